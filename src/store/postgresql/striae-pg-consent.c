/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "striae-pg-private.h"

/* The consent signed on the screen on the server (step 14 in striae-pg-schema.c), as in the
 * file (striae-sqlite-consent.c). */

#define SELF(backend) STRIAE_PG_BACKEND (backend)

#define SIGNATURE_COLUMNS \
  "consultation_id, revision, signer, name, signed_at, signed_by, strokes, consent_hash"

static gboolean
pg_insert_consent_signature (StriaeStoreBackend      *backend,
                             StriaeConsentSignature  *signature,
                             gint64                   patient_id,
                             GError                 **error)
{
  static const char sql[] =
    "INSERT INTO consent_signatures (patient_id, " SIGNATURE_COLUMNS ")"
    "  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
  StriaePgBackend *self = SELF (backend);
  StriaeConsentSigner signer = striae_consent_signature_get_signer (signature);
  g_autofree char *patient_text = pg_int_text (patient_id);
  g_autofree char *id_text =
    pg_int_text (striae_consent_signature_get_consultation_id (signature));
  g_autofree char *revision_text =
    pg_int_text (striae_consent_signature_get_revision (signature));
  g_autofree char *at_text =
    striae_store_format_timestamp (striae_consent_signature_get_signed_at (signature));
  g_autofree char *strokes = striae_consent_signature_strokes_to_json (signature);
  const char *params[] = {
    patient_text, id_text, revision_text, striae_consent_signer_to_string (signer),
    striae_consent_signature_get_name (signature), at_text,
    striae_consent_signature_get_signed_by (signature), strokes,
    striae_consent_signature_get_consent_hash (signature),
  };

  return pg_queue (self, sql, G_N_ELEMENTS (params), params, error);
}

static GPtrArray *
pg_list_consent_signatures (StriaeStoreBackend  *backend,
                            gint64               consultation_id,
                            gint64               patient_id,
                            GError             **error)
{
  static const char by_consultation[] =
    "SELECT " SIGNATURE_COLUMNS " FROM consent_signatures"
    "  WHERE consultation_id = $1 ORDER BY revision, id";
  static const char by_patient[] =
    "SELECT " SIGNATURE_COLUMNS " FROM consent_signatures"
    "  WHERE patient_id = $1 ORDER BY consultation_id, revision, id";
  StriaePgBackend *self = SELF (backend);
  g_autofree char *id_text = pg_int_text (consultation_id != 0 ? consultation_id : patient_id);
  const char *params[] = { id_text };
  g_autoptr(PGresult) result = NULL;
  g_autoptr(GPtrArray) list = NULL;

  result = pg_run (self, self->main.conn, consultation_id != 0 ? by_consultation : by_patient,
                   1, params, error);
  if (result == NULL)
    return NULL;

  list = g_ptr_array_new_with_free_func (g_object_unref);
  for (int i = 0; i < PQntuples (result); i++)
    {
      StriaeConsentSignature *signature =
        striae_store_consent_signature_from_row (pg_int (result, i, 0),
                                                 (guint) pg_int (result, i, 1),
                                                 pg_value (result, i, 2),
                                                 pg_value (result, i, 3),
                                                 pg_value (result, i, 4),
                                                 pg_value (result, i, 5),
                                                 pg_value (result, i, 6),
                                                 pg_value (result, i, 7), error);

      if (signature == NULL)
        return NULL;
      g_ptr_array_add (list, signature);
    }

  return g_steal_pointer (&list);
}

void
pg_consent_iface_init (StriaeStoreBackendInterface *iface)
{
  iface->insert_consent_signature = pg_insert_consent_signature;
  iface->list_consent_signatures = pg_list_consent_signatures;
}
