/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "striae-sqlite-private.h"

/* What any SQLite connection of Striae needs: errors in the user's words, cached statements,
 * and the checks that look at a database file before anything writes to it. */

#define SQLITE_HEADER_SIZE 100

/* Errors */

void
sqlite_set_error (GError     **error,
                  const char  *path,
                  sqlite3     *db,
                  int          rc)
{
  if (path == NULL)
    path = "";

  switch (rc & 0xff)
    {
    case SQLITE_FULL:
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FULL,
                   _("The disk holding %s is full, so the change was not saved. "
                     "Free some space and try again."), path);
      break;

    case SQLITE_READONLY:
    case SQLITE_PERM:
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_READ_ONLY,
                   _("The database %s is read-only, so the change was not saved."), path);
      break;

    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_A_DATABASE,
                   _("The file %s is damaged or is not a Striae database."), path);
      break;

    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FAILED,
                   _("The database %s is busy in another program. Try again in a moment."),
                   path);
      break;

    case SQLITE_INTERRUPT:
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                           _("The operation was cancelled."));
      break;

    default:
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FAILED,
                   _("The database %s reported an error: %s"), path,
                   db ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
      break;
    }
}

/* Statements */

/* Returns a cached statement for @sql, which must be a string literal; the caller holds the
 * connection's lock and calls sqlite_statement_done() when finished with it. */
sqlite3_stmt *
sqlite_prepare (Connection   *conn,
                const char   *sql,
                GError      **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (conn->statements, sql);
  int rc;

  if (stmt != NULL)
    return stmt;

  rc = sqlite3_prepare_v3 (conn->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      sqlite_set_error (error, conn->path, conn->db, rc);
      return NULL;
    }

  g_hash_table_insert (conn->statements, (gpointer) sql, stmt);
  return stmt;
}

void
sqlite_statement_done (sqlite3_stmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

/* Ends a statement of @conn that its caller stepped to @rc. Returns: FALSE with @error set
 * unless it ran to its end (SQLITE_DONE). */
gboolean
sqlite_statement_finish (Connection    *conn,
                         sqlite3_stmt  *stmt,
                         int            rc,
                         GError       **error)
{
  sqlite_statement_done (stmt);
  if (rc != SQLITE_DONE)
    {
      sqlite_set_error (error, conn->path, conn->db, rc);
      return FALSE;
    }
  return TRUE;
}

/* Runs a statement of @conn whose parameters are bound and that returns no row. */
gboolean
sqlite_step_done (Connection    *conn,
                  sqlite3_stmt  *stmt,
                  GError       **error)
{
  return sqlite_statement_finish (conn, stmt, sqlite3_step (stmt), error);
}

gboolean
sqlite_exec (Connection   *conn,
             const char   *sql,
             GError      **error)
{
  int rc = sqlite3_exec (conn->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      sqlite_set_error (error, conn->path, conn->db, rc);
      return FALSE;
    }

  /* Every write transaction commits through here: whoever watches the connection (the
   * records layer, whose audit head follows each commit) hears of it. */
  if (conn->committed != NULL && sqlite3_get_autocommit (conn->db))
    conn->committed (conn->hook_data);

  return TRUE;
}

gboolean
sqlite_query_int (Connection   *conn,
                  const char   *sql,
                  gint64       *value,
                  GError      **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (conn->db, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          *value = sqlite3_column_int64 (stmt, 0);
          rc = SQLITE_OK;
        }
    }
  if (rc != SQLITE_OK)
    rc = sqlite3_errcode (conn->db);
  sqlite3_finalize (stmt);

  if (rc != SQLITE_OK)
    {
      sqlite_set_error (error, conn->path, conn->db, rc);
      return FALSE;
    }

  return TRUE;
}

void
sqlite_rollback (Connection *conn)
{
  if (!sqlite3_get_autocommit (conn->db))
    sqlite3_exec (conn->db, "ROLLBACK", NULL, NULL, NULL);
}

static guint32
read_be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

void
sqlite_set_not_a_database (GError     **error,
                    const char  *path)
{
  g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_A_DATABASE,
               _("The file %s is not a Striae database, or it is damaged. "
                 "It was left unchanged."), path);
}

static gboolean
has_log_beside (const char *path)
{
  static const char * const suffixes[] = { "-wal", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *log = g_strconcat (path, suffixes[i], NULL);
      GStatBuf st;

      if (g_stat (log, &st) == 0 && st.st_size > 0)
        return TRUE;
    }

  return FALSE;
}

/* Looks at the raw 100-byte header before SQLite does, because SQLite would accept some
 * damaged files and a later write (even switching to WAL) would change them. See
 * https://www.sqlite.org/fileformat.html#the_database_header */
gboolean
store_check_header (const char  *path,
                    goffset      size,
                    GError     **error)
{
  static const char magic[16] = "SQLite format 3";
  guint8 header[SQLITE_HEADER_SIZE];
  guint32 page_size, page_count;
  gssize n = 0;
  int fd;

  if (size < SQLITE_HEADER_SIZE)
    {
      sqlite_set_not_a_database (error, path);
      return FALSE;
    }

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, STRIAE_STORE_ERROR,
                   saved_errno == EACCES ? STRIAE_STORE_ERROR_READ_ONLY
                                         : STRIAE_STORE_ERROR_FAILED,
                   _("The database %s cannot be read: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }

  while (n < SQLITE_HEADER_SIZE)
    {
      gssize r = read (fd, header + n, SQLITE_HEADER_SIZE - n);

      if (r < 0 && errno == EINTR)
        continue;
      if (r <= 0)
        break;
      n += r;
    }
  close (fd);

  if (n < SQLITE_HEADER_SIZE || memcmp (header, magic, sizeof magic) != 0)
    {
      sqlite_set_not_a_database (error, path);
      return FALSE;
    }

  page_size = ((guint32) header[16] << 8) | header[17];
  if (page_size == 1)
    page_size = 65536;
  if (page_size < 512 || page_size > 65536 || (page_size & (page_size - 1)) != 0)
    {
      sqlite_set_not_a_database (error, path);
      return FALSE;
    }

  /* The page count in the header is only current when the change counter matches the
   * "version valid for" number. A checkpoint writes page 1 before the pages that extend the
   * file, so while a write-ahead log (or a rollback journal) lies beside the file, another
   * process may be checkpointing, or one was killed in the middle of it: SQLite completes
   * the file from the log, and it is not cut off. (Found by tests/test-crash.c.) */
  page_count = read_be32 (header + 28);
  if (page_count != 0 && read_be32 (header + 24) == read_be32 (header + 92) &&
      (guint64) size < (guint64) page_size * page_count && !has_log_beside (path))
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_A_DATABASE,
                   _("The database %s is shorter than it should be: it was probably cut off "
                     "while being copied. It was left unchanged; restore it from a backup."),
                   path);
      return FALSE;
    }

  if ((guint64) size < page_size)
    {
      sqlite_set_not_a_database (error, path);
      return FALSE;
    }

  return TRUE;
}

/* A database on a read-only disk (a write-protected stick, a read-only share, a CD) cannot get
 * the -shm file that WAL mode needs even for reading, so SQLite is told that the file cannot
 * change (immutable), which is true there. Anywhere else the plain path is used. */
int
store_open_read_only (const char  *path,
                      sqlite3    **db)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *escaped = NULL;
  g_autofree char *uri = NULL;

  if (g_access (dir, W_OK) == 0 || errno != EROFS || g_file_test (wal, G_FILE_TEST_EXISTS))
    return sqlite3_open_v2 (path, db, SQLITE_OPEN_READONLY | SQLITE_OPEN_FULLMUTEX, NULL);

  escaped = g_uri_escape_string (path, "/", FALSE);
  uri = g_strconcat ("file:", escaped, "?immutable=1", NULL);
  return sqlite3_open_v2 (uri, db, SQLITE_OPEN_READONLY | SQLITE_OPEN_FULLMUTEX |
                          SQLITE_OPEN_URI, NULL);
}

/* Reads application_id, user_version and the list of tables through a read-only connection,
 * which sees a write-ahead log that has not been checkpointed yet and never changes the
 * database file. */
gboolean
store_inspect_existing (const char  *path,
                        int         *version,
                        GError     **error)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 app_id = -1, user_version = -1, foreign_tables = -1;
  int rc;

  rc = store_open_read_only (path, &db);
  if (rc == SQLITE_OK)
    rc = sqlite3_busy_timeout (db, BUSY_TIMEOUT_MS);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2 (db,
                             "SELECT (SELECT application_id FROM pragma_application_id),"
                             "       (SELECT user_version FROM pragma_user_version),"
                             "       (SELECT count(*) FROM sqlite_schema"
                             "         WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%'"
                             "         ESCAPE '\\')",
                             -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          app_id = sqlite3_column_int64 (stmt, 0);
          user_version = sqlite3_column_int64 (stmt, 1);
          foreign_tables = sqlite3_column_int64 (stmt, 2);
          rc = SQLITE_OK;
        }
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_OK)
    {
      int primary = rc & 0xff;

      if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB)
        sqlite_set_not_a_database (error, path);
      else
        g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FAILED,
                     _("The database %s cannot be read: %s"), path,
                     db ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
      sqlite3_close (db);
      return FALSE;
    }
  sqlite3_close (db);

  if (app_id == 0 && user_version == 0 && foreign_tables == 0)
    {
      /* An empty SQLite file, as left by an interrupted first start. */
      *version = 0;
      return TRUE;
    }

  if (app_id != STRIAE_SQLITE_APPLICATION_ID)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_A_DATABASE,
                   _("The file %s is an SQLite database of another program, not of Striae. "
                     "It was left unchanged."), path);
      return FALSE;
    }

  if (user_version > striae_sqlite_backend_get_latest_schema_version ())
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_TOO_NEW,
                   _("The database %s was written by a newer version of Striae "
                     "(format %d; this version knows up to %d). Update Striae to open it."),
                   path, (int) user_version, striae_sqlite_backend_get_latest_schema_version ());
      return FALSE;
    }

  if (user_version < 0)
    {
      sqlite_set_not_a_database (error, path);
      return FALSE;
    }

  *version = (int) user_version;
  return TRUE;
}

/* SQLite's report as one line, without its "*** in database main ***" heading. */
static char *
one_line (const char *report)
{
  static const char heading[] = "*** in database main ***";
  const char *start = report != NULL ? report : "?";

  if (g_str_has_prefix (start, heading))
    start += strlen (heading);
  return g_strstrip (g_strdelimit (g_strdup (start), "\r\n", ' '));
}

/* Where the damaged database's own audit log says the last backup went, if it can still be
 * read: the sentence that refuses the file points the user to it. */
static char *
describe_last_backup (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;
  char *said = NULL;

  if (sqlite3_prepare_v2 (db, "SELECT at, detail FROM audit WHERE action = 'backup'"
                              " ORDER BY id DESC LIMIT 1", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    /* TRANSLATORS: %s is a time, %s the backup's file name */
    said = g_strdup_printf (_("The last backup recorded in it was made at %s as “%s”."),
                            (const char *) sqlite3_column_text (stmt, 0),
                            (const char *) sqlite3_column_text (stmt, 1));
  sqlite3_finalize (stmt);

  return said != NULL ? said : g_strdup (_("Look for your most recent backup."));
}

/* SQLite's quick_check (the structure of every page and index, without comparing index
 * entries to rows) through @db, a read-only connection to @path, which stays open. Before
 * anything writes to the file: a damaged database is refused as it is, not written into.
 * About 0.3 s for 100 000 patients with a warm page cache (bench/bench-startup). */
gboolean
store_quick_check_connection (const char  *path,
                              sqlite3     *db,
                              GError     **error)
{
  g_autofree char *problem = NULL;
  g_autofree char *backup = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (db != NULL, FALSE);

  rc = sqlite3_errcode (db);
  if (rc == SQLITE_OK)
    rc = sqlite3_busy_timeout (db, BUSY_TIMEOUT_MS);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2 (db, "PRAGMA quick_check(1)", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      const char *result = (const char *) sqlite3_column_text (stmt, 0);

      if (g_strcmp0 (result, "ok") != 0)
        problem = one_line (result);
    }
  else
    problem = g_strdup (sqlite3_errmsg (db));
  sqlite3_finalize (stmt);

  if (problem == NULL)
    return TRUE;

  backup = describe_last_backup (db);
  g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_A_DATABASE,
               _("The database %s is damaged (%s) and was left unchanged. Replace it with a "
                 "backup. %s"), path, problem, backup);
  return FALSE;
}

/* store_quick_check_connection() through a connection of its own. */
gboolean
store_quick_check (const char  *path,
                   GError     **error)
{
  sqlite3 *db = NULL;
  gboolean passed;

  /* A file SQLite cannot open is said the same way, through the failed handle. */
  store_open_read_only (path, &db);
  passed = store_quick_check_connection (path, db, error);
  sqlite3_close (db);
  return passed;
}

static gboolean
is_read_only_errno (int saved_errno)
{
  return saved_errno == EACCES || saved_errno == EROFS || saved_errno == EPERM;
}

gboolean
sqlite_check_writable (const char  *path,
                gboolean     exists,
                GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);

  if (g_access (dir, W_OK) != 0 && errno == EROFS)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_READ_ONLY,
                   _("The database %s is on a read-only disk: Striae can show the records but "
                     "not change them."), path);
      return FALSE;
    }

  if (exists && g_access (path, W_OK) != 0 && is_read_only_errno (errno))
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_READ_ONLY,
                   _("The database %s is read-only. Ask whoever manages this computer to "
                     "make it writable for you."), path);
      return FALSE;
    }

  /* SQLite keeps its write-ahead log and lock files next to the database. */
  if (g_access (dir, W_OK) != 0 && is_read_only_errno (errno))
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_READ_ONLY,
                   _("The folder %s cannot be written, so the database in it cannot be "
                     "changed. Ask whoever manages this computer to make it writable for "
                     "you."), dir);
      return FALSE;
    }

  return TRUE;
}

/* The database file, then the files SQLite keeps beside it: its write-ahead log, the log's
 * shared-memory index and the rollback journal. */
char **
store_dup_database_files (const char *path)
{
  char **files = g_new0 (char *, 5);

  files[0] = g_strdup (path);
  files[1] = g_strconcat (path, "-wal", NULL);
  files[2] = g_strconcat (path, "-shm", NULL);
  files[3] = g_strconcat (path, "-journal", NULL);
  return files;
}

/* A database found readable or writable by others (an empty file a script made, a copy
 * brought in with the wrong mode) is made the owner's alone before anything is written, and
 * SQLite's -wal and -shm beside it with it, since SQLite copies the mode to those. */
gboolean
sqlite_narrow_mode (const char  *path,
                    GStatBuf    *st,
                    char       **notice,
                    GError     **error)
{
  g_auto(GStrv) files = NULL;

  if ((st->st_mode & 077) == 0)
    return TRUE;

  files = store_dup_database_files (path);
  for (guint i = 0; files[i] != NULL; i++)
    {
      int saved_errno;

      if (g_chmod (files[i], 0600) == 0 || (errno == ENOENT && i > 0))
        continue;
      saved_errno = errno;
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FAILED,
                   _("The database %s can be read by other users of this computer and cannot "
                     "be made private: %s"), files[i], g_strerror (saved_errno));
      return FALSE;
    }

  g_free (*notice);
  *notice = g_strdup_printf (_("The database %s could be read by other users of this "
                                    "computer (mode %03o); it is now readable by you alone."),
                                  path, (unsigned) (st->st_mode & 0777));
  return TRUE;
}

gboolean
sqlite_create_folder_and_file (const char  *path,
                        GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd;

  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      if (g_mkdir_with_parents (dir, 0700) != 0)
        {
          int saved_errno = errno;

          g_set_error (error, STRIAE_STORE_ERROR,
                       is_read_only_errno (saved_errno) ? STRIAE_STORE_ERROR_READ_ONLY
                                                        : STRIAE_STORE_ERROR_FAILED,
                       _("The folder %s cannot be created: %s"), dir,
                       g_strerror (saved_errno));
          return FALSE;
        }

      /* Patient data: only the owner may list the folder, whatever the umask. */
      if (g_chmod (dir, 0700) != 0)
        {
          int saved_errno = errno;

          g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FAILED,
                       _("The folder %s cannot be made private: %s"), dir,
                       g_strerror (saved_errno));
          return FALSE;
        }
    }

  if (!sqlite_check_writable (path, FALSE, error))
    return FALSE;

  fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0 && errno != EEXIST)
    {
      int saved_errno = errno;

      g_set_error (error, STRIAE_STORE_ERROR,
                   is_read_only_errno (saved_errno) ? STRIAE_STORE_ERROR_READ_ONLY
                                                    : STRIAE_STORE_ERROR_FAILED,
                   _("The database %s cannot be created: %s"), path,
                   g_strerror (saved_errno));
      return FALSE;
    }
  if (fd >= 0)
    close (fd);

  /* SQLite gives its -wal and -shm files the mode of the database file. */
  if (g_chmod (path, 0600) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FAILED,
                   _("The database %s cannot be made private: %s"), path,
                   g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

gboolean
sqlite_open_connection (Connection   *conn,
                        gboolean      read_only,
                        GError      **error)
{
  int rc;

  if (read_only)
    rc = store_open_read_only (conn->path, &conn->db);
  else
    rc = sqlite3_open_v2 (conn->path, &conn->db,
                          SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      sqlite_set_error (error, conn->path, conn->db, rc);
      return FALSE;
    }

  sqlite3_extended_result_codes (conn->db, 1);
  sqlite3_busy_timeout (conn->db, BUSY_TIMEOUT_MS);

  return sqlite_exec (conn, "PRAGMA foreign_keys = ON", error);
}

/* Times are stored as UTC text with microseconds, which sorts as it reads. */
