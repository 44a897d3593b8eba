/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "striae-sqlite-private.h"

/* The consent signed on the screen in SQLite (migration 14 in striae-sqlite-schema.c): rows
 * are added, never changed; the strokes are read back through the core's strict parser. */

#define SELF(backend) STRIAE_SQLITE_BACKEND (backend)
#define TEXT(stmt, i) ((const char *) sqlite3_column_text (stmt, i))

/* Columns 0 consultation, 1 revision, 2 signer, 3 name, 4 signed at, 5 signed by,
 * 6 strokes, 7 consent hash. */
#define SIGNATURE_COLUMNS \
  "consultation_id, revision, signer, name, signed_at, signed_by, strokes, consent_hash"

static gboolean
sqlite_insert_consent_signature (StriaeStoreBackend      *backend,
                                 StriaeConsentSignature  *signature,
                                 gint64                   patient_id,
                                 GError                 **error)
{
  static const char sql[] =
    "INSERT INTO consent_signatures (patient_id, " SIGNATURE_COLUMNS ")"
    "  VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
  StriaeSqliteBackend *self = SELF (backend);
  StriaeConsentSigner signer = striae_consent_signature_get_signer (signature);
  sqlite3_stmt *stmt = sqlite_prepare (&self->main, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, patient_id);
  sqlite3_bind_int64 (stmt, 2, striae_consent_signature_get_consultation_id (signature));
  sqlite3_bind_int64 (stmt, 3, striae_consent_signature_get_revision (signature));
  sqlite3_bind_text (stmt, 4, striae_consent_signer_to_string (signer), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, striae_consent_signature_get_name (signature), -1,
                     SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, striae_store_format_timestamp (
                       striae_consent_signature_get_signed_at (signature)), -1, g_free);
  sqlite3_bind_text (stmt, 7, striae_consent_signature_get_signed_by (signature), -1,
                     SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, striae_consent_signature_strokes_to_json (signature), -1,
                     g_free);
  sqlite3_bind_text (stmt, 9, striae_consent_signature_get_consent_hash (signature), -1,
                     SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite_statement_done (stmt);
  if (rc != SQLITE_DONE)
    {
      sqlite_set_error (error, self->path, self->main.db, rc);
      return FALSE;
    }
  return TRUE;
}

static GPtrArray *
sqlite_list_consent_signatures (StriaeStoreBackend  *backend,
                                gint64               consultation_id,
                                gint64               patient_id,
                                GError             **error)
{
  static const char by_consultation[] =
    "SELECT " SIGNATURE_COLUMNS " FROM consent_signatures"
    "  WHERE consultation_id = ?1 ORDER BY revision, id";
  static const char by_patient[] =
    "SELECT " SIGNATURE_COLUMNS " FROM consent_signatures"
    "  WHERE patient_id = ?1 ORDER BY consultation_id, revision, id";
  StriaeSqliteBackend *self = SELF (backend);
  g_autoptr(GPtrArray) list = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = sqlite_prepare (&self->main, consultation_id != 0 ? by_consultation : by_patient,
                         error);
  if (stmt == NULL)
    return NULL;

  list = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_bind_int64 (stmt, 1, consultation_id != 0 ? consultation_id : patient_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      StriaeConsentSignature *signature =
        striae_store_consent_signature_from_row (sqlite3_column_int64 (stmt, 0),
                                                 (guint) sqlite3_column_int64 (stmt, 1),
                                                 TEXT (stmt, 2), TEXT (stmt, 3),
                                                 TEXT (stmt, 4), TEXT (stmt, 5),
                                                 TEXT (stmt, 6), TEXT (stmt, 7), error);

      if (signature == NULL)
        {
          sqlite_statement_done (stmt);
          return NULL;
        }
      g_ptr_array_add (list, signature);
    }

  sqlite_statement_done (stmt);
  if (rc != SQLITE_DONE)
    {
      sqlite_set_error (error, self->path, self->main.db, rc);
      return NULL;
    }
  return g_steal_pointer (&list);
}

void
sqlite_consent_iface_init (StriaeStoreBackendInterface *iface)
{
  iface->insert_consent_signature = sqlite_insert_consent_signature;
  iface->list_consent_signatures = sqlite_list_consent_signatures;
}
