/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>

#include "striae-date.h"
#include "striae-sqlite-private.h"

/* Consultations, their revisions and the clinic's rules in SQLite (the tables of migrations 2
 * and 8 in striae-sqlite-schema.c). The document in `data` is the truth; `status` and `date`
 * are generated from it for what SQL filters and sorts on. The records layer decides what may
 * be saved, signed, amended or discarded; the trigger on signed revisions is the last guard. */

/* Columns: 0 consultation id, 1 revision, 2 patient id, 3 data, 4 created, 5 updated,
 * 6 signed by, 7 signed at. */
#define REVISION_COLUMNS \
  "r.consultation_id, r.revision, c.patient_id, r.data, r.created, r.updated, r.signed_by," \
  " r.signed_at"
#define REVISION_FROM \
  " FROM consultations c JOIN consultation_revisions r ON r.consultation_id = c.id"

static StriaeStoreRevision *
revision_from_row (sqlite3_stmt *stmt)
{
  StriaeStoreRevision *revision = striae_store_revision_new ();

#define TEXT(i) ((const char *) sqlite3_column_text (stmt, i))
  revision->consultation_id = sqlite3_column_int64 (stmt, 0);
  revision->revision = (guint) sqlite3_column_int64 (stmt, 1);
  revision->patient_id = sqlite3_column_int64 (stmt, 2);
  revision->document = g_strdup (TEXT (3));
  revision->created = striae_store_parse_timestamp (TEXT (4));
  revision->updated = striae_store_parse_timestamp (TEXT (5));
  revision->signed_by = g_strdup (TEXT (6));
  revision->signed_at = striae_store_parse_timestamp (TEXT (7));
#undef TEXT

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

gboolean
sqlite_insert_consultation (StriaeSqliteBackend  *self,
                            gint64                patient_id,
                            GDateTime            *created,
                            gint64               *id,
                            GError              **error)
{
  static const char sql[] = "INSERT INTO consultations (patient_id, created) VALUES (?1, ?2)";
  sqlite3_stmt *stmt = sqlite_prepare (&self->main, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, patient_id);
  bind_timestamp (stmt, 2, created);
  rc = sqlite3_step (stmt);
  sqlite_statement_done (stmt);

  /* The only constraint is the reference to the patient. */
  if ((rc & 0xff) == SQLITE_CONSTRAINT)
    return TRUE;
  if (rc != SQLITE_DONE)
    {
      sqlite_set_error (error, self->path, self->main.db, rc);
      return FALSE;
    }

  *id = sqlite3_last_insert_rowid (self->main.db);
  return TRUE;
}

gboolean
sqlite_insert_revision (StriaeSqliteBackend        *self,
                        const StriaeStoreRevision  *revision,
                        GError                    **error)
{
  static const char sql[] =
    "INSERT INTO consultation_revisions (consultation_id, revision, created, updated,"
    "                                    signed_by, signed_at, data)"
    "  VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
  sqlite3_stmt *stmt = sqlite_prepare (&self->main, sql, error);

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, revision->consultation_id);
  sqlite3_bind_int64 (stmt, 2, revision->revision);
  bind_timestamp (stmt, 3, revision->created);
  bind_timestamp (stmt, 4, revision->updated);
  sqlite3_bind_text (stmt, 5, revision->signed_by, -1, SQLITE_STATIC);
  bind_timestamp (stmt, 6, revision->signed_at);
  sqlite3_bind_text (stmt, 7, revision->document, -1, SQLITE_STATIC);

  return sqlite_step_done (&self->main, stmt, error);
}

gboolean
sqlite_update_revision (StriaeSqliteBackend        *self,
                        const StriaeStoreRevision  *revision,
                        gboolean                   *found,
                        GError                    **error)
{
  static const char sql[] =
    "UPDATE consultation_revisions SET updated = ?3, signed_by = ?4, signed_at = ?5,"
    "  data = ?6"
    "  WHERE consultation_id = ?1 AND revision = ?2";
  sqlite3_stmt *stmt = sqlite_prepare (&self->main, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, revision->consultation_id);
  sqlite3_bind_int64 (stmt, 2, revision->revision);
  bind_timestamp (stmt, 3, revision->updated);
  sqlite3_bind_text (stmt, 4, revision->signed_by, -1, SQLITE_STATIC);
  bind_timestamp (stmt, 5, revision->signed_at);
  sqlite3_bind_text (stmt, 6, revision->document, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite_statement_done (stmt);

  /* The trigger of migration 2 (and 8) refuses any change to a signed revision. */
  if (rc == SQLITE_CONSTRAINT_TRIGGER)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_LOCKED,
                   _("Consultation %" PRId64 " (revision %u) is signed and cannot be changed. "
                     "Amend it to make a correction."),
                   revision->consultation_id, revision->revision);
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

static StriaeConsultationStatus
status_from_string (const char *text)
{
  if (g_strcmp0 (text, "signed") == 0)
    return STRIAE_CONSULTATION_STATUS_SIGNED;
  if (g_strcmp0 (text, "complete") == 0)
    return STRIAE_CONSULTATION_STATUS_COMPLETE;
  return STRIAE_CONSULTATION_STATUS_DRAFT;
}

/* SQLite locks the whole file for the transaction (BEGIN IMMEDIATE), so nothing else is
 * needed to keep other writers off the consultation. A document too damaged to say its
 * status counts as signed once it has a signature, so that it stays locked. */
gboolean
sqlite_get_latest_status (StriaeSqliteBackend        *self,
                          gint64                      id,
                          gboolean                   *found,
                          gint64                     *patient_id,
                          guint                      *revision,
                          StriaeConsultationStatus   *status,
                          GError                    **error)
{
  static const char sql[] =
    "SELECT c.patient_id, r.revision,"
    "       iif (r.status IS NULL AND r.signed_at IS NOT NULL, 'signed', r.status)"
    REVISION_FROM
    "  WHERE c.id = ?1 ORDER BY r.revision DESC LIMIT 1";
  sqlite3_stmt *stmt = sqlite_prepare (&self->main, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *found = TRUE;
      *patient_id = sqlite3_column_int64 (stmt, 0);
      *revision = (guint) sqlite3_column_int64 (stmt, 1);
      *status = status_from_string ((const char *) sqlite3_column_text (stmt, 2));
    }
  else if (rc != SQLITE_DONE)
    sqlite_set_error (error, self->path, self->main.db, rc);
  sqlite_statement_done (stmt);

  return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

gboolean
sqlite_get_revision (StriaeSqliteBackend   *self,
                     gint64                 id,
                     guint                  revision,
                     StriaeStoreRevision  **result,
                     GError               **error)
{
  static const char latest_sql[] =
    "SELECT " REVISION_COLUMNS REVISION_FROM
    "  WHERE c.id = ?1 ORDER BY r.revision DESC LIMIT 1";
  static const char revision_sql[] =
    "SELECT " REVISION_COLUMNS REVISION_FROM
    "  WHERE c.id = ?1 AND r.revision = ?2";
  sqlite3_stmt *stmt;
  int rc;

  stmt = sqlite_prepare (&self->main, revision == 0 ? latest_sql : revision_sql, error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);
  if (revision != 0)
    sqlite3_bind_int64 (stmt, 2, revision);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *result = revision_from_row (stmt);
  else if (rc != SQLITE_DONE)
    sqlite_set_error (error, self->path, self->main.db, rc);
  sqlite_statement_done (stmt);

  return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

static GPtrArray *
list_revisions (StriaeSqliteBackend  *self,
                const char           *sql,
                gint64                id,
                GError              **error)
{
  g_autoptr(GPtrArray) list = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if ((stmt = sqlite_prepare (&self->main, sql, error)) == NULL)
    return NULL;

  list = g_ptr_array_new_with_free_func ((GDestroyNotify) striae_store_revision_free);
  sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, revision_from_row (stmt));
  if (rc != SQLITE_DONE)
    sqlite_set_error (error, self->path, self->main.db, rc);
  sqlite_statement_done (stmt);

  return rc == SQLITE_DONE ? g_steal_pointer (&list) : NULL;
}

GPtrArray *
sqlite_list_revisions (StriaeSqliteBackend  *self,
                       gint64                id,
                       GError              **error)
{
  static const char sql[] =
    "SELECT " REVISION_COLUMNS REVISION_FROM "  WHERE c.id = ?1 ORDER BY r.revision";

  return list_revisions (self, sql, id, error);
}

GPtrArray *
sqlite_list_consultations (StriaeSqliteBackend  *self,
                           gint64                patient_id,
                           GError              **error)
{
  static const char sql[] =
    "SELECT " REVISION_COLUMNS REVISION_FROM
    "  WHERE c.patient_id = ?1"
    "    AND r.revision = (SELECT max (revision) FROM consultation_revisions"
    "                       WHERE consultation_id = c.id)"
    "  ORDER BY CASE r.date WHEN '' THEN c.created ELSE r.date END DESC, c.id DESC";

  return list_revisions (self, sql, patient_id, error);
}

gboolean
sqlite_delete_revision (StriaeSqliteBackend  *self,
                        gint64                id,
                        guint                 revision,
                        GError              **error)
{
  static const char sql[] =
    "DELETE FROM consultation_revisions WHERE consultation_id = ?1 AND revision = ?2";
  sqlite3_stmt *stmt = sqlite_prepare (&self->main, sql, error);

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, revision);
  return sqlite_step_done (&self->main, stmt, error);
}

/* Its revisions go with it (ON DELETE CASCADE). */
gboolean
sqlite_delete_consultation (StriaeSqliteBackend  *self,
                            gint64                id,
                            GError              **error)
{
  static const char sql[] = "DELETE FROM consultations WHERE id = ?1";
  sqlite3_stmt *stmt = sqlite_prepare (&self->main, sql, error);

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);
  return sqlite_step_done (&self->main, stmt, error);
}

/* Two index look-ups on the read connection, so that a list can ask for every visible row
 * without waiting for a write. Only a latest revision can be a draft. */
gboolean
sqlite_patient_has_draft (StriaeSqliteBackend  *self,
                          gint64                patient_id,
                          gboolean             *has_draft,
                          GError              **error)
{
  static const char sql[] =
    "SELECT EXISTS (SELECT 1 FROM consultations c"
    "  JOIN consultation_revisions r ON r.consultation_id = c.id AND r.status = 'draft'"
    "  WHERE c.patient_id = ?1)";
  Connection *conn = &self->search;
  sqlite3_stmt *stmt;
  int rc = SQLITE_ERROR;

  striae_store_mutex_lock (&conn->lock);
  if ((stmt = sqlite_prepare (conn, sql, error)) != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, patient_id);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        *has_draft = sqlite3_column_int (stmt, 0) != 0;
      else
        sqlite_set_error (error, self->path, conn->db, rc);
      sqlite_statement_done (stmt);
    }
  g_mutex_unlock (&conn->lock);

  return rc == SQLITE_ROW;
}

gboolean
sqlite_set_resume_page (StriaeSqliteBackend  *self,
                        gint64                id,
                        const char           *page,
                        gboolean             *found,
                        GError              **error)
{
  static const char sql[] = "UPDATE consultations SET resume_page = ?2 WHERE id = ?1";
  sqlite3_stmt *stmt = sqlite_prepare (&self->main, sql, error);

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, page, -1, SQLITE_STATIC);
  if (!sqlite_step_done (&self->main, stmt, error))
    return FALSE;

  *found = sqlite3_changes (self->main.db) > 0;
  return TRUE;
}

gboolean
sqlite_get_resume_page (StriaeSqliteBackend  *self,
                        gint64                id,
                        char                **page,
                        GError              **error)
{
  static const char sql[] = "SELECT resume_page FROM consultations WHERE id = ?1";
  Connection *conn = &self->search;
  sqlite3_stmt *stmt;
  int rc = SQLITE_ERROR;

  striae_store_mutex_lock (&conn->lock);
  if ((stmt = sqlite_prepare (conn, sql, error)) != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, id);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        *page = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      else if (rc != SQLITE_DONE)
        sqlite_set_error (error, self->path, conn->db, rc);
      sqlite_statement_done (stmt);
    }
  g_mutex_unlock (&conn->lock);

  return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

gboolean
sqlite_get_rules (StriaeSqliteBackend  *self,
                  char                **document,
                  GError              **error)
{
  static const char sql[] = "SELECT value FROM settings WHERE key = 'rules'";
  sqlite3_stmt *stmt = sqlite_prepare (&self->main, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *document = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  else if (rc != SQLITE_DONE)
    sqlite_set_error (error, self->path, self->main.db, rc);
  sqlite_statement_done (stmt);

  return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

gboolean
sqlite_set_rules (StriaeSqliteBackend  *self,
                  const char           *document,
                  GError              **error)
{
  static const char sql[] =
    "INSERT INTO settings (key, value) VALUES ('rules', ?1)"
    "  ON CONFLICT (key) DO UPDATE SET value = excluded.value";
  sqlite3_stmt *stmt = sqlite_prepare (&self->main, sql, error);

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, document, -1, SQLITE_STATIC);
  return sqlite_step_done (&self->main, stmt, error);
}

/* The index of planned session dates (migration 9). */
gboolean
sqlite_set_planned_sessions (StriaeSqliteBackend  *self,
                             gint64                consultation_id,
                             guint                 revision,
                             GArray               *dates,
                             GError              **error)
{
  static const char delete_sql[] =
    "DELETE FROM planned_sessions WHERE consultation_id = ?1 AND revision = ?2";
  static const char insert_sql[] =
    "INSERT OR IGNORE INTO planned_sessions (consultation_id, revision, date)"
    "  VALUES (?1, ?2, ?3)";
  sqlite3_stmt *stmt;

  if ((stmt = sqlite_prepare (&self->main, delete_sql, error)) == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, consultation_id);
  sqlite3_bind_int64 (stmt, 2, revision);
  if (!sqlite_step_done (&self->main, stmt, error))
    return FALSE;

  for (guint i = 0; i < dates->len; i++)
    {
      if ((stmt = sqlite_prepare (&self->main, insert_sql, error)) == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, consultation_id);
      sqlite3_bind_int64 (stmt, 2, revision);
      sqlite3_bind_text (stmt, 3, striae_format_iso_date (&g_array_index (dates, GDate, i)),
                         -1, g_free);
      if (!sqlite_step_done (&self->main, stmt, error))
        return FALSE;
    }

  return TRUE;
}

/* Candidates by the index; the records layer checks each one's schedule again. */
GArray *
sqlite_find_planned_sessions (StriaeSqliteBackend  *self,
                              const GDate          *date,
                              GError              **error)
{
  static const char sql[] =
    "SELECT c.id FROM planned_sessions s"
    "  JOIN consultation_revisions r"
    "    ON r.consultation_id = s.consultation_id AND r.revision = s.revision"
    "  JOIN consultations c ON c.id = s.consultation_id"
    "  JOIN patients p ON p.id = c.patient_id"
    "  WHERE s.date = ?1"
    "    AND s.revision = (SELECT max (revision) FROM consultation_revisions"
    "                       WHERE consultation_id = s.consultation_id)"
    "    AND r.status IN ('signed', 'complete')"
    "  ORDER BY p.family_name, p.given_name, p.id, c.id";
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  int rc;

  striae_store_mutex_lock (&self->main.lock);

  if ((stmt = sqlite_prepare (&self->main, sql, error)) == NULL)
    {
      g_mutex_unlock (&self->main.lock);
      return NULL;
    }

  sqlite3_bind_text (stmt, 1, striae_format_iso_date (date), -1, g_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  if (rc != SQLITE_DONE)
    sqlite_set_error (error, self->path, self->main.db, rc);
  sqlite_statement_done (stmt);

  g_mutex_unlock (&self->main.lock);

  if (rc != SQLITE_DONE)
    return NULL;

  return g_steal_pointer (&ids);
}

GPtrArray *
sqlite_list_finished_revisions (StriaeSqliteBackend  *self,
                                gint64                after_id,
                                guint                 after_revision,
                                guint                 limit,
                                GError              **error)
{
  static const char sql[] =
    "SELECT " REVISION_COLUMNS REVISION_FROM
    "  WHERE r.status IN ('signed', 'complete')"
    "    AND (r.consultation_id, r.revision) > (?1, ?2)"
    "  ORDER BY r.consultation_id, r.revision LIMIT ?3";
  g_autoptr(GPtrArray) list = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if ((stmt = sqlite_prepare (&self->main, sql, error)) == NULL)
    return NULL;

  list = g_ptr_array_new_with_free_func ((GDestroyNotify) striae_store_revision_free);
  sqlite3_bind_int64 (stmt, 1, after_id);
  sqlite3_bind_int64 (stmt, 2, after_revision);
  sqlite3_bind_int64 (stmt, 3, limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, revision_from_row (stmt));
  if (rc != SQLITE_DONE)
    sqlite_set_error (error, self->path, self->main.db, rc);
  sqlite_statement_done (stmt);

  return rc == SQLITE_DONE ? g_steal_pointer (&list) : NULL;
}
