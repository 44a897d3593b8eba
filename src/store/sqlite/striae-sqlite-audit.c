/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "striae-sqlite-private.h"

/* The settings and the audit log in SQLite: the statements only. What is audited, how rows
 * are numbered and sealed, and how the log is checked are the records layer's
 * (striae-store-audit.c, striae-store-audit-check.c).
 *
 * The log's table declares `id INTEGER PRIMARY KEY AUTOINCREMENT`, so that SQLite keeps the
 * highest number ever used in sqlite_sequence: rows removed from the end leave it behind. */

static void
value_from_column (StriaeStoreValue *value,
                   sqlite3_stmt     *stmt,
                   int               column)
{
  memset (value, 0, sizeof *value);

  switch (sqlite3_column_type (stmt, column))
    {
    case SQLITE_INTEGER:
      value->type = STRIAE_STORE_VALUE_INTEGER;
      value->integer = sqlite3_column_int64 (stmt, column);
      break;

    case SQLITE_FLOAT:
      value->type = STRIAE_STORE_VALUE_REAL;
      value->real = sqlite3_column_double (stmt, column);
      break;

    case SQLITE_TEXT:
      value->type = STRIAE_STORE_VALUE_TEXT;
      value->data = sqlite3_column_text (stmt, column);
      value->size = sqlite3_column_bytes (stmt, column);
      break;

    case SQLITE_BLOB:
      value->type = STRIAE_STORE_VALUE_BLOB;
      value->data = sqlite3_column_blob (stmt, column);
      value->size = sqlite3_column_bytes (stmt, column);
      break;

    default:
      value->type = STRIAE_STORE_VALUE_NULL;
      break;
    }
}

/* Settings */

gboolean
sqlite_get_setting (StriaeSqliteBackend  *self,
                    const char           *key,
                    char                **value,
                    GError              **error)
{
  static const char sql[] = "SELECT value FROM settings WHERE key = ?1";
  sqlite3_stmt *stmt = sqlite_prepare (&self->main, sql, error);
  int rc;

  *value = NULL;
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  else if (rc != SQLITE_DONE)
    sqlite_set_error (error, self->path, self->main.db, rc);
  sqlite_statement_done (stmt);

  return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

gboolean
sqlite_set_setting (StriaeSqliteBackend  *self,
                    const char           *key,
                    const char           *value,
                    GError              **error)
{
  static const char set_sql[] = "INSERT OR REPLACE INTO settings (key, value) VALUES (?1, ?2)";
  static const char remove_sql[] = "DELETE FROM settings WHERE key = ?1";
  sqlite3_stmt *stmt = sqlite_prepare (&self->main, value != NULL ? set_sql : remove_sql,
                                       error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (value != NULL)
    sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    sqlite_set_error (error, self->path, self->main.db, rc);
  sqlite_statement_done (stmt);

  return rc == SQLITE_DONE;
}

/* Audit */

static const char tail_sql[] =
  "SELECT coalesce ((SELECT seq FROM sqlite_sequence WHERE name = 'audit'), 0),"
  "       coalesce ((SELECT max (id) FROM audit), 0),"
  "       (SELECT hash FROM audit ORDER BY id DESC LIMIT 1),"
  "       (SELECT hash FROM audit WHERE id = ?1 AND typeof (hash) = 'text')";

static int
step_tail (sqlite3_stmt          *stmt,
           gint64                 at,
           StriaeStoreAuditTail  *tail)
{
  int rc;

  sqlite3_bind_int64 (stmt, 1, at);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      tail->last_number = sqlite3_column_int64 (stmt, 0);
      tail->last_id = sqlite3_column_int64 (stmt, 1);
      value_from_column (&tail->last_seal, stmt, 2);
      tail->last_seal.data = tail->last_seal.data != NULL
                             ? g_memdup2 (tail->last_seal.data, tail->last_seal.size) : NULL;
      tail->seal_at = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
    }

  return rc;
}

/* The tail of the log in a backup's copy. */
gboolean
sqlite_audit_read_tail (sqlite3               *db,
                        gint64                 at,
                        StriaeStoreAuditTail  *tail)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, tail_sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = step_tail (stmt, at, tail);
  sqlite3_finalize (stmt);

  return rc == SQLITE_ROW;
}

/* Read before each append: its statement stays prepared. */
gboolean
sqlite_audit_get_tail (StriaeSqliteBackend   *self,
                       gint64                 at,
                       StriaeStoreAuditTail  *tail,
                       GError               **error)
{
  sqlite3_stmt *stmt = sqlite_prepare (&self->main, tail_sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  rc = step_tail (stmt, at, tail);
  if (rc != SQLITE_ROW)
    sqlite_set_error (error, self->path, self->main.db, rc);
  sqlite_statement_done (stmt);

  return rc == SQLITE_ROW;
}

gboolean
sqlite_audit_get_subject (StriaeSqliteBackend  *self,
                          gint64                patient_id,
                          char                **subject,
                          GError              **error)
{
  static const char sql[] = "SELECT subject FROM audit_subjects WHERE patient_id = ?1";
  sqlite3_stmt *stmt = sqlite_prepare (&self->main, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, patient_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *subject = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  else if (rc != SQLITE_DONE)
    sqlite_set_error (error, self->path, self->main.db, rc);
  sqlite_statement_done (stmt);

  return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

gboolean
sqlite_audit_append (StriaeSqliteBackend          *self,
                     const StriaeStoreAuditEntry  *entry,
                     GError                      **error)
{
  static const char sql[] =
    "INSERT INTO audit (id, at, actor, action, subject, consultation_id, detail, hash)"
    "  VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
  sqlite3_stmt *stmt = sqlite_prepare (&self->main, sql, error);
  int rc;

  g_assert (!sqlite3_get_autocommit (self->main.db));

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, entry->id);
  sqlite3_bind_text (stmt, 2, entry->at, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, entry->actor, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, entry->action, -1, SQLITE_STATIC);
  if (entry->subject != NULL)
    sqlite3_bind_text (stmt, 5, entry->subject, -1, SQLITE_STATIC);
  if (entry->consultation_id > 0)
    sqlite3_bind_int64 (stmt, 6, entry->consultation_id);
  sqlite3_bind_text (stmt, 7, entry->detail, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, entry->seal, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    sqlite_set_error (error, self->path, self->main.db, rc);
  sqlite_statement_done (stmt);

  return rc == SQLITE_DONE;
}

#define ROW_COLUMNS "a.id, a.at, a.actor, a.action, a.subject, a.consultation_id, a.detail, a.hash"

static gboolean
read_rows (sqlite3_stmt            *stmt,
           StriaeStoreAuditRowFunc  func,
           gpointer                 data,
           int                     *rc)
{
  while ((*rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      StriaeStoreAuditRow row = { sqlite3_column_int64 (stmt, 0) };

      for (int column = 0; column < STRIAE_AUDIT_N_COLUMNS; column++)
        value_from_column (&row.columns[column], stmt, column + 1);
      if (!func (&row, data))
        {
          *rc = SQLITE_DONE;
          break;
        }
    }

  return *rc == SQLITE_DONE;
}

gboolean
sqlite_audit_read (StriaeSqliteBackend      *self,
                   gint64                    after,
                   guint                     limit,
                   gint64                    patient_id,
                   const char               *action,
                   StriaeStoreAuditRowFunc   func,
                   gpointer                  data,
                   GError                  **error)
{
  /* A patient's rows through the index on their subject; a NULL action lets every action
   * through. */
  static const char all_sql[] =
    "SELECT " ROW_COLUMNS " FROM audit a"
    "  WHERE a.id > ?1 AND (?4 IS NULL OR a.action = ?4)"
    "  ORDER BY a.id LIMIT ?2";
  static const char patient_sql[] =
    "SELECT " ROW_COLUMNS " FROM audit a"
    "  WHERE a.subject = (SELECT subject FROM audit_subjects WHERE patient_id = ?3)"
    "    AND a.id > ?1 AND (?4 IS NULL OR a.action = ?4)"
    "  ORDER BY a.id LIMIT ?2";
  sqlite3_stmt *stmt = sqlite_prepare (&self->main, patient_id > 0 ? patient_sql : all_sql,
                                       error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, after);
  sqlite3_bind_int64 (stmt, 2, limit > 0 ? (gint64) limit : -1);
  if (patient_id > 0)
    sqlite3_bind_int64 (stmt, 3, patient_id);
  if (action != NULL)
    sqlite3_bind_text (stmt, 4, action, -1, SQLITE_STATIC);
  if (!read_rows (stmt, func, data, &rc))
    sqlite_set_error (error, self->path, self->main.db, rc);
  sqlite_statement_done (stmt);

  return rc == SQLITE_DONE;
}

/* On the read-only connection, in one read transaction, so that writers carry on meanwhile
 * and the rows and the sequence number are of the same moment. */
gboolean
sqlite_audit_scan (StriaeSqliteBackend      *self,
                   gint64                   *last_number,
                   StriaeStoreAuditRowFunc   func,
                   gpointer                  data,
                   GError                  **error)
{
  static const char seq_sql[] =
    "SELECT coalesce ((SELECT seq FROM sqlite_sequence WHERE name = 'audit'), 0)";
  static const char rows_sql[] = "SELECT " ROW_COLUMNS " FROM audit a ORDER BY a.id";
  Connection *conn = &self->search;
  sqlite3_stmt *stmt = NULL;
  gboolean ok;
  int rc = SQLITE_OK;

  *last_number = 0;

  striae_store_mutex_lock (&conn->lock);
  ok = sqlite_exec (conn, "BEGIN", error) &&
       sqlite_query_int (conn, seq_sql, last_number, error) &&
       (stmt = sqlite_prepare (conn, rows_sql, error)) != NULL;
  if (ok && !read_rows (stmt, func, data, &rc))
    {
      sqlite_set_error (error, self->path, conn->db, rc);
      ok = FALSE;
    }
  if (stmt != NULL)
    sqlite_statement_done (stmt);
  sqlite_rollback (conn);
  g_mutex_unlock (&conn->lock);

  return ok;
}

gboolean
sqlite_audit_reseal (StriaeSqliteBackend  *self,
                     gint64                id,
                     const char           *seal,
                     GError              **error)
{
  static const char sql[] = "UPDATE audit SET hash = ?2 WHERE id = ?1";
  sqlite3_stmt *stmt = sqlite_prepare (&self->main, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, seal, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    sqlite_set_error (error, self->path, self->main.db, rc);
  sqlite_statement_done (stmt);

  return rc == SQLITE_DONE;
}
