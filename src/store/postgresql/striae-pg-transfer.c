/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "striae-pg-private.h"

/* What export, import and erasure need of the server. A server is backed up with its own
 * tools (pg_dump, docs/clinic-server.md): backup and restore stay NULL, and the records
 * layer says so. */

#define SELF(backend) STRIAE_PG_BACKEND (backend)

static gboolean
pg_get_patient_record (StriaeStoreBackend  *backend,
                       gint64               id,
                       StriaePatient      **patient,
                       char               **record_id,
                       gboolean            *archived,
                       GError             **error)
{
  StriaePgBackend *self = SELF (backend);
  g_autofree char *id_text = pg_int_text (id);
  const char *params[] = { id_text };
  g_autoptr(PGresult) result = pg_run (self, self->main.conn,
                                       "SELECT " PATIENT_COLUMNS ", record_id, archived"
                                       "  FROM patients WHERE id = $1", 1, params, error);

  if (result == NULL)
    return FALSE;
  if (PQntuples (result) > 0)
    {
      *patient = pg_patient_from_row (result, 0);
      *record_id = g_strdup (pg_value (result, 0, 11));
      *archived = g_str_equal (PQgetvalue (result, 0, 12), "t");
    }
  return TRUE;
}

static gboolean
pg_find_record_id (StriaeStoreBackend  *backend,
                   const char          *record_id,
                   gint64              *patient_id,
                   GError             **error)
{
  StriaePgBackend *self = SELF (backend);
  const char *params[] = { record_id };
  g_autoptr(PGresult) result = pg_run (self, self->main.conn,
                                       "SELECT id FROM patients WHERE record_id = $1", 1,
                                       params, error);

  if (result == NULL)
    return FALSE;
  if (PQntuples (result) > 0)
    *patient_id = pg_int (result, 0, 0);
  return TRUE;
}

/* The stored texts as they are: an export copies them byte for byte. */
static gboolean
pg_list_patient_revisions (StriaeStoreBackend       *backend,
                           gint64                    patient_id,
                           StriaeStoreRevisionFunc   func,
                           gpointer                  data,
                           GError                  **error)
{
  static const char sql[] =
    "SELECT r.data, r.created, r.updated, r.signed_by, r.signed_at"
    "  FROM consultations c JOIN consultation_revisions r ON r.consultation_id = c.id"
    "  WHERE c.patient_id = $1 ORDER BY c.id, r.revision";
  StriaePgBackend *self = SELF (backend);
  g_autofree char *id_text = pg_int_text (patient_id);
  const char *params[] = { id_text };
  g_autoptr(PGresult) result = pg_run (self, self->main.conn, sql, 1, params, error);

  if (result == NULL)
    return FALSE;

  for (int i = 0; i < PQntuples (result); i++)
    {
#define TEXT(c) pg_value (result, i, c)
      StriaeStoreRevisionText revision = { TEXT (0), TEXT (1), TEXT (2), TEXT (3), TEXT (4) };
#undef TEXT

      if (!func (&revision, data, error))
        return FALSE;
    }

  return TRUE;
}

/* The patient's consultations, revisions (signed ones too: the schema's triggers let them go
 * with their patient alone) and audit subject go with their row. */
static gboolean
pg_erase_patient (StriaeStoreBackend  *backend,
                  gint64               id,
                  gboolean            *found,
                  GError             **error)
{
  StriaePgBackend *self = SELF (backend);
  g_autofree char *id_text = pg_int_text (id);
  const char *params[] = { id_text };
  gint64 n = 0;

  g_clear_pointer (&self->locked_revision, striae_store_revision_free);
  pg_audit_forget_subject (self, id);
  if (!pg_exec_count (self, "DELETE FROM patients WHERE id = $1", 1, params, &n, error))
    return FALSE;
  *found = n > 0;
  return TRUE;
}

/* VACUUM makes the space of the deleted rows free for reuse, so that the erased patient's
 * bytes are overwritten in time (their names' prefixes and sort key too, schema 20; the
 * photos' images too: vacuuming a table vacuums its TOAST table, where they are kept); it
 * cannot run inside a transaction, and only warns when it fails (the rows themselves are
 * gone already). */
static void
pg_purge_erased (StriaeStoreBackend *backend)
{
  StriaePgBackend *self = SELF (backend);
  g_autoptr(GError) error = NULL;

  if (self->in_transaction)
    return;

  if (!pg_exec (self, "VACUUM patients, patient_name_prefixes, consultations,"
                " consultation_revisions, audit_subjects, photos, photo_consents", 0, NULL,
                &error))
    g_warning ("The space of an erased patient on %s was not vacuumed: %s", self->name,
               error->message);
}

void
pg_transfer_iface_init (StriaeStoreBackendInterface *iface)
{
  iface->get_patient_record = pg_get_patient_record;
  iface->find_record_id = pg_find_record_id;
  iface->list_patient_revisions = pg_list_patient_revisions;
  iface->erase_patient = pg_erase_patient;
  iface->purge_erased = pg_purge_erased;
}
