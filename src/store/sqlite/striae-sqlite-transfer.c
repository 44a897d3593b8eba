/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <unistd.h>

#include "striae-sqlite-private.h"

/* What export, import, erasure, backup and restore need of a SQLite file. The records layer
 * (striae-store-transfer.c) keeps the rules and the JSON; here are the statements, the
 * scrubbing an erasure needs in SQLite (secure_delete, the index merged, the write-ahead log
 * emptied) and SQLite's online backup API. */

/* Export and import */

gboolean
sqlite_get_patient_record (StriaeSqliteBackend  *self,
                           gint64                id,
                           StriaePatient       **patient,
                           char                **record_id,
                           gboolean             *archived,
                           GError              **error)
{
  static const char sql[] =
    "SELECT " PATIENT_COLUMNS ", record_id, archived FROM patients WHERE id = ?1";
  sqlite3_stmt *stmt = sqlite_prepare (&self->main, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *patient = sqlite_patient_from_row (stmt);
      *record_id = g_strdup ((const char *) sqlite3_column_text (stmt, 11));
      *archived = sqlite3_column_int (stmt, 12) != 0;
    }
  else if (rc != SQLITE_DONE)
    sqlite_set_error (error, self->path, self->main.db, rc);
  sqlite_statement_done (stmt);

  return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

gboolean
sqlite_find_record_id (StriaeSqliteBackend  *self,
                       const char           *record_id,
                       gint64               *patient_id,
                       GError              **error)
{
  static const char sql[] = "SELECT id FROM patients WHERE record_id = ?1";
  sqlite3_stmt *stmt = sqlite_prepare (&self->main, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, record_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *patient_id = sqlite3_column_int64 (stmt, 0);
  else if (rc != SQLITE_DONE)
    sqlite_set_error (error, self->path, self->main.db, rc);
  sqlite_statement_done (stmt);

  return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

gboolean
sqlite_list_patient_revisions (StriaeSqliteBackend      *self,
                               gint64                    patient_id,
                               StriaeStoreRevisionFunc   func,
                               gpointer                  data,
                               GError                  **error)
{
  static const char sql[] =
    "SELECT r.data, r.created, r.updated, r.signed_by, r.signed_at"
    "  FROM consultations c JOIN consultation_revisions r ON r.consultation_id = c.id"
    "  WHERE c.patient_id = ?1 ORDER BY c.id, r.revision";
  sqlite3_stmt *stmt = sqlite_prepare (&self->main, sql, error);
  gboolean ok = TRUE;
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, patient_id);
  while (ok && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
#define TEXT(i) ((const char *) sqlite3_column_text (stmt, i))
      StriaeStoreRevisionText revision = { TEXT (0), TEXT (1), TEXT (2), TEXT (3), TEXT (4) };
#undef TEXT

      ok = func (&revision, data, error);
    }
  if (ok && rc != SQLITE_DONE)
    {
      sqlite_set_error (error, self->path, self->main.db, rc);
      ok = FALSE;
    }
  sqlite_statement_done (stmt);

  return ok;
}

/* Erasure */

/* The patient's consultations, revisions, index entries and audit subject go with their row
 * (foreign keys and triggers of the schema). secure_delete overwrites the freed space; it
 * stays on until purge_erased, so that the index merge and the commit overwrite too. */
gboolean
sqlite_erase_patient (StriaeSqliteBackend  *self,
                      gint64                id,
                      gboolean             *found,
                      GError              **error)
{
  static const char delete_sql[] = "DELETE FROM patients WHERE id = ?1";
  sqlite3_stmt *stmt;
  int rc;

  if (!sqlite_exec (&self->main, "PRAGMA secure_delete = ON", error) ||
      (stmt = sqlite_prepare (&self->main, delete_sql, error)) == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  sqlite_statement_done (stmt);
  if (rc != SQLITE_DONE)
    {
      sqlite_set_error (error, self->path, self->main.db, rc);
      return FALSE;
    }

  *found = sqlite3_changes (self->main.db) > 0;
  if (!*found)
    return TRUE;

  /* The external-content index only marks the rows deleted; merging its segments drops
   * their tokens for good. */
  return sqlite_exec (&self->main, "INSERT INTO patients_fts (patients_fts) VALUES ('optimize')",
                      error);
}

void
sqlite_purge_erased (StriaeSqliteBackend *self)
{
  /* The write-ahead log still holds the old pages until they are copied back. */
  if (sqlite3_get_autocommit (self->main.db) &&
      sqlite3_wal_checkpoint_v2 (self->main.db, NULL, SQLITE_CHECKPOINT_TRUNCATE,
                                 NULL, NULL) != SQLITE_OK)
    g_warning ("The write-ahead log of %s could not be emptied after an erasure: %s",
               self->path, sqlite3_errmsg (self->main.db));

  sqlite3_exec (self->main.db, "PRAGMA secure_delete = OFF", NULL, NULL, NULL);
}

/* Backup and restore */

static gboolean
copy_database (sqlite3      *from,
               sqlite3      *to,
               const char   *to_path,
               GError      **error)
{
  sqlite3_backup *backup = sqlite3_backup_init (to, "main", from, "main");
  int rc;

  if (backup == NULL)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FAILED,
                   _("The database could not be copied to %s: %s"), to_path,
                   sqlite3_errmsg (to));
      return FALSE;
    }

  do
    rc = sqlite3_backup_step (backup, -1);
  while (rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  sqlite3_backup_finish (backup);

  if (rc != SQLITE_DONE)
    {
      g_set_error (error, STRIAE_STORE_ERROR,
                   (rc & 0xff) == SQLITE_FULL ? STRIAE_STORE_ERROR_FULL
                                              : STRIAE_STORE_ERROR_FAILED,
                   _("The database could not be copied to %s: %s"), to_path,
                   sqlite3_errstr (rc));
      return FALSE;
    }

  return TRUE;
}

/* A backup of a damaged database would carry the damage on while looking good: the full
 * integrity check (every index against its table, unlike the quick check on opening) runs
 * first. */
static gboolean
check_source_integrity (StriaeSqliteBackend  *self,
                        GError              **error)
{
  g_autofree char *result = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  striae_store_mutex_lock (&self->main.lock);
  rc = sqlite3_prepare_v2 (self->main.db, "PRAGMA integrity_check(1)", -1, &stmt, NULL);
  if (rc == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW)
    result = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  g_mutex_unlock (&self->main.lock);

  if (g_strcmp0 (result, "ok") == 0)
    return TRUE;

  g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_A_DATABASE,
               _("The database %s is damaged, so no backup was made (SQLite found: %s). Keep "
                 "your last good backup."), self->path,
               result != NULL ? g_strdelimit (result, "\r\n", ' ') : sqlite3_errstr (rc));
  return FALSE;
}

static gboolean
set_copy_settings (sqlite3            *copy,
                   const char * const *settings)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (copy, "INSERT OR REPLACE INTO settings (key, value) VALUES (?1, ?2)",
                           -1, &stmt, NULL);
  for (guint i = 0; rc == SQLITE_OK && settings[i] != NULL && settings[i + 1] != NULL; i += 2)
    {
      sqlite3_bind_text (stmt, 1, settings[i], -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, settings[i + 1], -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);

  return rc == SQLITE_OK;
}

/* The copy in @dest, with the records layer's settings for its audit tail, as one file
 * without a write-ahead log beside it. */
static gboolean
write_copy (StriaeSqliteBackend         *self,
            sqlite3                     *dest,
            const char                  *path,
            gint64                       head_entry,
            StriaeStoreBackupSealFunc    seal,
            gpointer                     data,
            GError                     **error)
{
  g_auto(StriaeStoreAuditTail) tail = { 0 };
  g_auto(GStrv) settings = NULL;
  gboolean ok;

  striae_store_mutex_lock (&self->main.lock);
  ok = copy_database (self->main.db, dest, path, error);
  g_mutex_unlock (&self->main.lock);
  if (!ok)
    return FALSE;

  if (!sqlite_audit_read_tail (dest, head_entry, &tail))
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FAILED,
                   _("The backup cannot be written: %s"), sqlite3_errmsg (dest));
      return FALSE;
    }

  if ((settings = seal (&tail, data, error)) == NULL)
    return FALSE;

  if (!set_copy_settings (dest, (const char * const *) settings) ||
      sqlite3_exec (dest, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) != SQLITE_OK)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FAILED,
                   _("The backup %s cannot be written: %s"), path, sqlite3_errmsg (dest));
      return FALSE;
    }

  return TRUE;
}

/* Copies the whole database with SQLite's online backup API (a consistent copy while the
 * store stays in use) into a private (0600) single file, written beside @path and renamed
 * at the end, so that a failed backup never replaces a good one. */
gboolean
sqlite_backup (StriaeSqliteBackend         *self,
               const char                  *path,
               gint64                       head_entry,
               StriaeStoreBackupSealFunc    seal,
               gpointer                     data,
               GError                     **error)
{
  g_autofree char *partial = NULL;
  sqlite3 *dest = NULL;
  gboolean ok;
  int fd, rc;

  if (!check_source_integrity (self, error))
    return FALSE;

  partial = g_strconcat (path, ".partial", NULL);
  g_unlink (partial);
  fd = g_open (partial, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FAILED,
                   _("The backup %s cannot be written: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }
  close (fd);

  rc = sqlite3_open_v2 (partial, &dest, SQLITE_OPEN_READWRITE, NULL);
  ok = rc == SQLITE_OK;
  if (!ok)
    g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FAILED,
                 _("The backup %s cannot be written: %s"), path, sqlite3_errstr (rc));

  if (ok)
    ok = write_copy (self, dest, path, head_entry, seal, data, error);

  if (sqlite3_close (dest) != SQLITE_OK && ok)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FAILED,
                   _("The backup %s cannot be written."), path);
      ok = FALSE;
    }

  if (ok && g_rename (partial, path) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FAILED,
                   _("The backup %s cannot be written: %s"), path, g_strerror (saved_errno));
      ok = FALSE;
    }

  if (!ok)
    g_unlink (partial);

  return ok;
}

/* The checks opening makes, plus a full integrity check, on a file that must not be
 * changed. */
static gboolean
check_backup (const char  *path,
              GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  g_autofree char *result = NULL;
  GStatBuf st;
  int version = 0;
  int rc;

  if (g_stat (path, &st) != 0 || !S_ISREG (st.st_mode))
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND,
                   _("There is no backup file at %s."), path);
      return FALSE;
    }

  if (!store_check_header (path, st.st_size, &local_error) ||
      !store_inspect_existing (path, &version, &local_error))
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                  _("The file %s is not a valid Striae backup: "), path);
      return FALSE;
    }

  if (version < 1)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_A_DATABASE,
                   _("The file %s is not a valid Striae backup: it is empty."), path);
      return FALSE;
    }

  rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL);
  if (rc == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW)
    result = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  if (g_strcmp0 (result, "ok") != 0)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_A_DATABASE,
                   _("The file %s is not a valid Striae backup: it is damaged (%s)."), path,
                   result ? result : sqlite3_errstr (rc));
      return FALSE;
    }

  return TRUE;
}

/**
 * striae_sqlite_backend_check_backup:
 *
 * Whether @path is a backup a SQLite backend can restore, before any database is opened for
 * the restore (which would create a missing one); writes nothing.
 */
gboolean
striae_sqlite_backend_check_backup (const char  *path,
                                    GError     **error)
{
  g_return_val_if_fail (path != NULL, FALSE);

  return check_backup (path, error);
}

/* Replaces the contents of the database with the backup at @path, in one transaction (the
 * backup API's). */
gboolean
sqlite_restore (StriaeSqliteBackend  *self,
                const char           *path,
                GError              **error)
{
  sqlite3 *source = NULL;
  gboolean ok;
  int rc;

  if (!check_backup (path, error))
    return FALSE;

  rc = sqlite3_open_v2 (path, &source, SQLITE_OPEN_READONLY, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FAILED,
                   _("The backup %s cannot be read: %s"), path, sqlite3_errstr (rc));
      sqlite3_close (source);
      return FALSE;
    }

  striae_store_mutex_lock (&self->main.lock);
  ok = copy_database (source, self->main.db, self->path, error);
  g_mutex_unlock (&self->main.lock);
  sqlite3_close (source);

  return ok;
}
