/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>

#include "striae-sqlite-private.h"

/* Session records in SQLite (the tables of migration 12 in striae-sqlite-schema.c): the
 * document in `data` is the truth, `status` and `date` are generated from it; the trigger on
 * signed revisions is the last guard of the lock. */

#define SELF(backend) STRIAE_SQLITE_BACKEND (backend)

/* Columns: 0 session id, 1 revision, 2 consultation id, 3 patient id, 4 data, 5 created,
 * 6 updated, 7 signed by, 8 signed at. */
#define SESSION_COLUMNS \
  "r.session_id, r.revision, s.consultation_id, s.patient_id, r.data, r.created, r.updated," \
  " r.signed_by, r.signed_at"
#define SESSION_FROM \
  " FROM treatment_sessions s JOIN treatment_session_revisions r ON r.session_id = s.id"
#define LATEST \
  " r.revision = (SELECT max (revision) FROM treatment_session_revisions" \
  "               WHERE session_id = s.id)"

#define TEXT(stmt, i) ((const char *) sqlite3_column_text (stmt, i))

static StriaeStoreSessionRevision *
revision_from_row (sqlite3_stmt *stmt)
{
  StriaeStoreSessionRevision *revision = striae_store_session_revision_new ();

  revision->session_id = sqlite3_column_int64 (stmt, 0);
  revision->revision = (guint) sqlite3_column_int64 (stmt, 1);
  revision->consultation_id = sqlite3_column_int64 (stmt, 2);
  revision->patient_id = sqlite3_column_int64 (stmt, 3);
  revision->document = g_strdup (TEXT (stmt, 4));
  revision->created = striae_store_parse_timestamp (TEXT (stmt, 5));
  revision->updated = striae_store_parse_timestamp (TEXT (stmt, 6));
  revision->signed_by = g_strdup (TEXT (stmt, 7));
  revision->signed_at = striae_store_parse_timestamp (TEXT (stmt, 8));

  return revision;
}

static void
bind_timestamp (sqlite3_stmt *stmt,
                int           index,
                GDateTime    *time)
{
  if (time != NULL)
    sqlite3_bind_text (stmt, index, striae_store_format_timestamp (time), -1, g_free);
  else
    sqlite3_bind_null (stmt, index);
}

/* The patient comes from the consultation in the same statement, so that a consultation
 * gone meanwhile inserts nothing rather than fail. */
static gboolean
sqlite_insert_treatment_session (StriaeStoreBackend  *backend,
                                 gint64               consultation_id,
                                 GDateTime           *created,
                                 gint64              *id,
                                 gint64              *patient_id,
                                 GError             **error)
{
  static const char sql[] =
    "INSERT INTO treatment_sessions (consultation_id, patient_id, created)"
    "  SELECT id, patient_id, ?2 FROM consultations WHERE id = ?1"
    "  RETURNING id, patient_id";
  StriaeSqliteBackend *self = SELF (backend);
  sqlite3_stmt *stmt = sqlite_prepare (&self->main, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, consultation_id);
  bind_timestamp (stmt, 2, created);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *id = sqlite3_column_int64 (stmt, 0);
      *patient_id = sqlite3_column_int64 (stmt, 1);
      rc = sqlite3_step (stmt);
    }
  sqlite_statement_done (stmt);
  if (rc != SQLITE_DONE)
    {
      sqlite_set_error (error, self->path, self->main.db, rc);
      return FALSE;
    }

  return TRUE;
}

static gboolean
sqlite_insert_session_revision (StriaeStoreBackend                *backend,
                                const StriaeStoreSessionRevision  *revision,
                                GError                           **error)
{
  static const char sql[] =
    "INSERT INTO treatment_session_revisions (session_id, revision, created, updated,"
    "                                         signed_by, signed_at, data)"
    "  VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
  StriaeSqliteBackend *self = SELF (backend);
  sqlite3_stmt *stmt = sqlite_prepare (&self->main, sql, error);

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, revision->session_id);
  sqlite3_bind_int64 (stmt, 2, revision->revision);
  bind_timestamp (stmt, 3, revision->created);
  bind_timestamp (stmt, 4, revision->updated);
  sqlite3_bind_text (stmt, 5, revision->signed_by, -1, SQLITE_STATIC);
  bind_timestamp (stmt, 6, revision->signed_at);
  sqlite3_bind_text (stmt, 7, revision->document, -1, SQLITE_STATIC);

  return sqlite_step_done (&self->main, stmt, error);
}

static gboolean
sqlite_update_session_revision (StriaeStoreBackend                *backend,
                                const StriaeStoreSessionRevision  *revision,
                                gboolean                          *found,
                                GError                           **error)
{
  static const char sql[] =
    "UPDATE treatment_session_revisions SET updated = ?3, signed_by = ?4, signed_at = ?5,"
    "  data = ?6"
    "  WHERE session_id = ?1 AND revision = ?2";
  StriaeSqliteBackend *self = SELF (backend);
  sqlite3_stmt *stmt = sqlite_prepare (&self->main, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, revision->session_id);
  sqlite3_bind_int64 (stmt, 2, revision->revision);
  bind_timestamp (stmt, 3, revision->updated);
  sqlite3_bind_text (stmt, 4, revision->signed_by, -1, SQLITE_STATIC);
  bind_timestamp (stmt, 5, revision->signed_at);
  sqlite3_bind_text (stmt, 6, revision->document, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite_statement_done (stmt);

  /* The trigger of migration 12 refuses any change to a signed revision. */
  if (rc == SQLITE_CONSTRAINT_TRIGGER)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_LOCKED,
                   _("Session record %" PRId64 " (revision %u) is signed and cannot be "
                     "changed. Amend it to make a correction."),
                   revision->session_id, revision->revision);
      return FALSE;
    }
  if (rc != SQLITE_DONE)
    {
      sqlite_set_error (error, self->path, self->main.db, rc);
      return FALSE;
    }

  *found = sqlite3_changes (self->main.db) > 0;
  return TRUE;
}

static gboolean
sqlite_get_session_revision (StriaeStoreBackend           *backend,
                             gint64                        id,
                             guint                         revision,
                             StriaeStoreSessionRevision  **result,
                             GError                      **error)
{
  static const char sql[] =
    "SELECT " SESSION_COLUMNS SESSION_FROM
    "  WHERE s.id = ?1 AND (r.revision = ?2 OR (?2 = 0 AND" LATEST "))";
  StriaeSqliteBackend *self = SELF (backend);
  sqlite3_stmt *stmt = sqlite_prepare (&self->main, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, revision);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *result = revision_from_row (stmt);
      rc = SQLITE_DONE;
    }
  sqlite_statement_done (stmt);
  if (rc != SQLITE_DONE)
    {
      sqlite_set_error (error, self->path, self->main.db, rc);
      return FALSE;
    }

  return TRUE;
}

static GPtrArray *
sqlite_list_session_revisions (StriaeStoreBackend  *backend,
                               gint64               consultation_id,
                               gint64               patient_id,
                               gboolean             every_revision,
                               GError             **error)
{
  static const char every[] =
    "SELECT " SESSION_COLUMNS SESSION_FROM
    "  WHERE s.patient_id = ?1 ORDER BY s.id, r.revision";
  static const char by_consultation[] =
    "SELECT " SESSION_COLUMNS SESSION_FROM
    "  WHERE s.consultation_id = ?1 AND" LATEST " ORDER BY r.date, s.id";
  static const char by_patient[] =
    "SELECT " SESSION_COLUMNS SESSION_FROM
    "  WHERE s.patient_id = ?1 AND" LATEST " ORDER BY r.date, s.id";
  StriaeSqliteBackend *self = SELF (backend);
  g_autoptr(GPtrArray) list = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = sqlite_prepare (&self->main,
                         every_revision ? every
                                        : consultation_id != 0 ? by_consultation : by_patient,
                         error);
  if (stmt == NULL)
    return NULL;

  list = g_ptr_array_new_with_free_func ((GDestroyNotify) striae_store_session_revision_free);
  sqlite3_bind_int64 (stmt, 1, consultation_id != 0 ? consultation_id : patient_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, revision_from_row (stmt));
  if (rc != SQLITE_DONE)
    sqlite_set_error (error, self->path, self->main.db, rc);
  sqlite_statement_done (stmt);

  return rc == SQLITE_DONE ? g_steal_pointer (&list) : NULL;
}

static gboolean
sqlite_set_session_batches (StriaeStoreBackend  *backend,
                            gint64               session_id,
                            guint                revision,
                            GPtrArray           *batches,
                            GError             **error)
{
  static const char delete_sql[] =
    "DELETE FROM session_batches WHERE session_id = ?1 AND revision = ?2";
  static const char insert_sql[] =
    "INSERT INTO session_batches (session_id, revision, position, product, lot, lot_key)"
    "  VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
  StriaeSqliteBackend *self = SELF (backend);
  sqlite3_stmt *stmt = sqlite_prepare (&self->main, delete_sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, session_id);
  sqlite3_bind_int64 (stmt, 2, revision);
  if (!sqlite_step_done (&self->main, stmt, error))
    return FALSE;

  for (guint i = 0; i < batches->len; i++)
    {
      const StriaeStoreBatchUse *use = g_ptr_array_index (batches, i);

      if ((stmt = sqlite_prepare (&self->main, insert_sql, error)) == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, session_id);
      sqlite3_bind_int64 (stmt, 2, revision);
      sqlite3_bind_int64 (stmt, 3, i);
      sqlite3_bind_text (stmt, 4, use->product, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, use->lot, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 6, use->lot_key, -1, SQLITE_STATIC);
      if (!sqlite_step_done (&self->main, stmt, error))
        return FALSE;
    }

  return TRUE;
}

/* Through the lot index, then to each session's latest revision: only what the record says
 * now counts, as an amendment may have corrected a lot typed wrong. */
static GPtrArray *
sqlite_find_batch (StriaeStoreBackend  *backend,
                   const char          *lot_key,
                   GError             **error)
{
  static const char sql[] =
    "SELECT b.session_id, b.revision, s.consultation_id, s.patient_id, r.date, b.product,"
    "       b.lot, b.lot_key"
    "  FROM session_batches b"
    "  JOIN treatment_sessions s ON s.id = b.session_id"
    "  JOIN treatment_session_revisions r"
    "    ON r.session_id = b.session_id AND r.revision = b.revision"
    "  WHERE b.lot_key = ?1 AND" LATEST
    "  ORDER BY r.date, b.session_id, b.position";
  StriaeSqliteBackend *self = SELF (backend);
  g_autoptr(GPtrArray) list = NULL;
  sqlite3_stmt *stmt = sqlite_prepare (&self->main, sql, error);
  int rc;

  if (stmt == NULL)
    return NULL;

  list = g_ptr_array_new_with_free_func ((GDestroyNotify) striae_store_batch_use_free);
  sqlite3_bind_text (stmt, 1, lot_key, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      StriaeStoreBatchUse *use = striae_store_batch_use_new ();

      use->session_id = sqlite3_column_int64 (stmt, 0);
      use->revision = (guint) sqlite3_column_int64 (stmt, 1);
      use->consultation_id = sqlite3_column_int64 (stmt, 2);
      use->patient_id = sqlite3_column_int64 (stmt, 3);
      use->date = g_strdup (TEXT (stmt, 4));
      use->product = g_strdup (TEXT (stmt, 5));
      use->lot = g_strdup (TEXT (stmt, 6));
      use->lot_key = g_strdup (TEXT (stmt, 7));
      g_ptr_array_add (list, use);
    }
  if (rc != SQLITE_DONE)
    sqlite_set_error (error, self->path, self->main.db, rc);
  sqlite_statement_done (stmt);

  return rc == SQLITE_DONE ? g_steal_pointer (&list) : NULL;
}

void
sqlite_treatments_iface_init (StriaeStoreBackendInterface *iface)
{
  iface->insert_treatment_session = sqlite_insert_treatment_session;
  iface->insert_session_revision = sqlite_insert_session_revision;
  iface->update_session_revision = sqlite_update_session_revision;
  iface->get_session_revision = sqlite_get_session_revision;
  iface->list_session_revisions = sqlite_list_session_revisions;
  iface->set_session_batches = sqlite_set_session_batches;
  iface->find_batch = sqlite_find_batch;
}
