/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <inttypes.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

#include "striae-store-private.h"

#define SQLITE_HEADER_SIZE 100
#define SORT_KEY_SEPARATOR "\x1f"

/* A bulk insert (see insert_patients_staged()) gets a larger page cache for its duration, so
 * that it does not spill pages to the write-ahead log before it commits. */
#define BULK_THRESHOLD 1000
#define BULK_CACHE_PRAGMA "PRAGMA cache_size = -65536"
#define DEFAULT_CACHE_PRAGMA "PRAGMA cache_size = -2000"

/* Searches read the index through a memory map rather than one read() per page, which
 * halves their time on a large database; untouched pages cost no memory. */
#define SEARCH_MMAP_PRAGMA "PRAGMA mmap_size = 268435456"

/* Each entry moves the schema from version N to N + 1 and runs in its own transaction,
 * together with `PRAGMA user_version = N + 1`. Never edit a shipped entry: append one. */
static const char * const migrations[] = {
  /* 1: patients and their full-text index. The index is external-content: it stores only
   * tokens and reads the text back from `patients`. `phone_digits` holds the phone number
   * without separators so that "0612" finds "06 12 34 56 78"; `sort_key` holds the family and
   * given names case-folded and without accents, for listing in alphabetical order. */
  "CREATE TABLE patients ("
  "  id           INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  given_name   TEXT NOT NULL,"
  "  family_name  TEXT NOT NULL,"
  "  birth_date   TEXT NOT NULL,"
  "  sex          TEXT NOT NULL DEFAULT '',"
  "  phone        TEXT NOT NULL DEFAULT '',"
  "  phone_digits TEXT NOT NULL DEFAULT '',"
  "  email        TEXT NOT NULL DEFAULT '',"
  "  language     TEXT NOT NULL DEFAULT '',"
  "  notes        TEXT NOT NULL DEFAULT '',"
  "  sort_key     TEXT NOT NULL DEFAULT '',"
  "  created      TEXT NOT NULL,"
  "  updated      TEXT NOT NULL"
  ");"
  "CREATE INDEX patients_by_sort_key ON patients (sort_key);"
  "CREATE VIRTUAL TABLE patients_fts USING fts5 ("
  "  given_name, family_name, phone, phone_digits, email, birth_date,"
  "  content='patients', content_rowid='id',"
  "  tokenize='unicode61 remove_diacritics 2',"
  "  prefix='1 2 3'"
  ");"
  /* Names weigh most, then phone and date of birth, then the email address. */
  "INSERT INTO patients_fts (patients_fts, rank)"
  "  VALUES ('rank', 'bm25(10.0, 10.0, 2.0, 2.0, 1.0, 2.0)');"
  "CREATE TRIGGER patients_fts_insert AFTER INSERT ON patients BEGIN"
  "  INSERT INTO patients_fts (rowid, given_name, family_name, phone, phone_digits, email,"
  "                            birth_date)"
  "    VALUES (new.id, new.given_name, new.family_name, new.phone, new.phone_digits,"
  "            new.email, new.birth_date);"
  "END;"
  "CREATE TRIGGER patients_fts_delete AFTER DELETE ON patients BEGIN"
  "  INSERT INTO patients_fts (patients_fts, rowid, given_name, family_name, phone,"
  "                            phone_digits, email, birth_date)"
  "    VALUES ('delete', old.id, old.given_name, old.family_name, old.phone,"
  "            old.phone_digits, old.email, old.birth_date);"
  "END;"
  "CREATE TRIGGER patients_fts_update"
  "  AFTER UPDATE OF given_name, family_name, phone, phone_digits, email, birth_date"
  "  ON patients BEGIN"
  "  INSERT INTO patients_fts (patients_fts, rowid, given_name, family_name, phone,"
  "                            phone_digits, email, birth_date)"
  "    VALUES ('delete', old.id, old.given_name, old.family_name, old.phone,"
  "            old.phone_digits, old.email, old.birth_date);"
  "  INSERT INTO patients_fts (rowid, given_name, family_name, phone, phone_digits, email,"
  "                            birth_date)"
  "    VALUES (new.id, new.given_name, new.family_name, new.phone, new.phone_digits,"
  "            new.email, new.birth_date);"
  "END;",

  /* 2: consultations, the audit log and clinic settings.
   *
   * A consultation is a number (`consultations.id`) with one or more revisions; each
   * revision row holds the whole consultation as JSON (striae_consultation_to_json()) and,
   * for listing and checks, a few of its fields as columns. A signed revision is never
   * changed again (the triggers refuse it even to SQL typed by hand); a correction is a new
   * revision.
   *
   * The audit log names a patient only through `audit_subjects.subject`, a random token made
   * when the patient is added and deleted with them: erasing a patient leaves the log (and
   * its hash chain) whole, yet nothing in it leads back to the person any more. */
  "CREATE TABLE consultations ("
  "  id          INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  patient_id  INTEGER NOT NULL REFERENCES patients (id) ON DELETE CASCADE,"
  "  created     TEXT NOT NULL"
  ");"
  "CREATE INDEX consultations_by_patient ON consultations (patient_id);"
  "CREATE TABLE consultation_revisions ("
  "  consultation_id INTEGER NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,"
  "  revision     INTEGER NOT NULL CHECK (revision >= 1),"
  "  status       TEXT NOT NULL CHECK (status IN ('draft', 'complete', 'signed')),"
  "  date         TEXT NOT NULL DEFAULT '',"
  "  practitioner TEXT NOT NULL DEFAULT '',"
  "  rules_hash   TEXT NOT NULL DEFAULT '',"
  "  created      TEXT NOT NULL,"
  "  updated      TEXT NOT NULL,"
  "  signed_by    TEXT,"
  "  signed_at    TEXT,"
  "  data         TEXT NOT NULL,"
  "  PRIMARY KEY (consultation_id, revision)"
  ") WITHOUT ROWID;"
  "CREATE INDEX consultation_revisions_drafts ON consultation_revisions (consultation_id)"
  "  WHERE status = 'draft';"
  "CREATE TRIGGER consultation_revisions_signed_update"
  "  BEFORE UPDATE ON consultation_revisions WHEN old.status = 'signed' BEGIN"
  "  SELECT RAISE (ABORT, 'signed consultation');"
  "END;"
  "CREATE TABLE audit_subjects ("
  "  patient_id INTEGER PRIMARY KEY REFERENCES patients (id) ON DELETE CASCADE,"
  "  subject    TEXT NOT NULL UNIQUE"
  ");"
  "INSERT INTO audit_subjects (patient_id, subject)"
  "  SELECT id, lower (hex (randomblob (16))) FROM patients;"
  "CREATE TRIGGER audit_subjects_insert AFTER INSERT ON patients BEGIN"
  "  INSERT INTO audit_subjects (patient_id, subject)"
  "    VALUES (new.id, lower (hex (randomblob (16))));"
  "END;"
  "CREATE TABLE audit ("
  "  id              INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  at              TEXT NOT NULL,"
  "  actor           TEXT NOT NULL,"
  "  action          TEXT NOT NULL,"
  "  subject         TEXT,"
  "  consultation_id INTEGER,"
  "  detail          TEXT NOT NULL DEFAULT '',"
  "  hash            TEXT NOT NULL"
  ");"
  "CREATE INDEX audit_by_subject ON audit (subject) WHERE subject IS NOT NULL;"
  "CREATE TABLE settings ("
  "  key   TEXT PRIMARY KEY,"
  "  value TEXT NOT NULL"
  ") WITHOUT ROWID;",

  /* 3: the wizard page a consultation was left on, so that a draft reopens where the
   * practitioner stopped. Not part of the record: exports and revisions leave it out. */
  "ALTER TABLE consultations ADD COLUMN resume_page TEXT NOT NULL DEFAULT '';",

  /* 4: names findable without letters the keyboard may lack. The tokenizer strips accents
   * (é, ü, ś) but keeps letters that Unicode does not decompose, such as ł, ø and ß, so
   * "mikolaj" did not find "Mikołaj". `search_names` holds the ASCII spellings of just those
   * name words (see make_search_names()), computed in C like `sort_key`; the backfill calls
   * the same code through striae_search_names(), which exists only on Striae's own
   * connection and only for this statement (it is not part of the schema). The index is
   * made again with the new column, weighted a little below the names so that a name typed
   * exactly as stored still comes first. */
  "DROP TRIGGER patients_fts_insert;"
  "DROP TRIGGER patients_fts_delete;"
  "DROP TRIGGER patients_fts_update;"
  "DROP TABLE patients_fts;"
  "ALTER TABLE patients ADD COLUMN search_names TEXT NOT NULL DEFAULT '';"
  "UPDATE patients SET search_names = striae_search_names (given_name, family_name);"
  "CREATE VIRTUAL TABLE patients_fts USING fts5 ("
  "  given_name, family_name, phone, phone_digits, email, birth_date, search_names,"
  "  content='patients', content_rowid='id',"
  "  tokenize='unicode61 remove_diacritics 2',"
  "  prefix='1 2 3'"
  ");"
  "INSERT INTO patients_fts (patients_fts, rank)"
  "  VALUES ('rank', 'bm25(10.0, 10.0, 2.0, 2.0, 1.0, 2.0, 8.0)');"
  "CREATE TRIGGER patients_fts_insert AFTER INSERT ON patients BEGIN"
  "  INSERT INTO patients_fts (rowid, given_name, family_name, phone, phone_digits, email,"
  "                            birth_date, search_names)"
  "    VALUES (new.id, new.given_name, new.family_name, new.phone, new.phone_digits,"
  "            new.email, new.birth_date, new.search_names);"
  "END;"
  "CREATE TRIGGER patients_fts_delete AFTER DELETE ON patients BEGIN"
  "  INSERT INTO patients_fts (patients_fts, rowid, given_name, family_name, phone,"
  "                            phone_digits, email, birth_date, search_names)"
  "    VALUES ('delete', old.id, old.given_name, old.family_name, old.phone,"
  "            old.phone_digits, old.email, old.birth_date, old.search_names);"
  "END;"
  "CREATE TRIGGER patients_fts_update"
  "  AFTER UPDATE OF given_name, family_name, phone, phone_digits, email, birth_date,"
  "                  search_names"
  "  ON patients BEGIN"
  "  INSERT INTO patients_fts (patients_fts, rowid, given_name, family_name, phone,"
  "                            phone_digits, email, birth_date, search_names)"
  "    VALUES ('delete', old.id, old.given_name, old.family_name, old.phone,"
  "            old.phone_digits, old.email, old.birth_date, old.search_names);"
  "  INSERT INTO patients_fts (rowid, given_name, family_name, phone, phone_digits, email,"
  "                            birth_date, search_names)"
  "    VALUES (new.id, new.given_name, new.family_name, new.phone, new.phone_digits,"
  "            new.email, new.birth_date, new.search_names);"
  "END;"
  "INSERT INTO patients_fts (patients_fts) VALUES ('rebuild');",

  /* 5: the audit log is keyed (see striae-store-audit.c). The database gets a random id,
   * which names its audit key and head outside the database; store_audit_seal_log() then
   * checks the SHA-256 chain as it was and seals every row with a new key. */
  "INSERT OR REPLACE INTO settings (key, value)"
  "  VALUES ('database-id', lower (hex (randomblob (16))));",

  /* 6: a record id for each patient, a random UUID made when the patient is added. It
   * travels with their record through an export (docs/EXPORT-FORMAT.md), so that importing a
   * record that is already here, such as an import retried after it was interrupted, adds
   * nobody. Existing patients get one from striae_record_id (), which exists only on
   * Striae's own connection and only for this statement, like striae_search_names (). */
  "ALTER TABLE patients ADD COLUMN record_id TEXT NOT NULL DEFAULT '';"
  "UPDATE patients SET record_id = striae_record_id ();"
  "CREATE UNIQUE INDEX patients_by_record_id ON patients (record_id);",

  /* 7: archiving. An archived patient (`archived` = 1) is kept whole but left out of the
   * register's list and searches unless they are asked for (STRIAE_SEARCH_FLAGS_ARCHIVED);
   * the few archived ones are listed through their own partial index. */
  "ALTER TABLE patients ADD COLUMN archived INTEGER NOT NULL DEFAULT 0;"
  "CREATE INDEX patients_archived_by_sort_key ON patients (sort_key) WHERE archived = 1;",
};


G_DEFINE_FINAL_TYPE (StriaeStore, striae_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (striae-store-error-quark, striae_store_error)

enum {
  PATIENTS_CHANGED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static void
connection_init (Connection *conn)
{
  g_mutex_init (&conn->lock);
  conn->statements = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                            (GDestroyNotify) sqlite3_finalize);
}

static void
connection_clear (Connection *conn)
{
  g_clear_pointer (&conn->statements, g_hash_table_unref);
  g_clear_pointer (&conn->db, sqlite3_close);
  g_mutex_clear (&conn->lock);
}

static void
striae_store_finalize (GObject *object)
{
  StriaeStore *self = (StriaeStore *)object;

  /* Statements first: a connection with statements left cannot close. */
  connection_clear (&self->search);
  connection_clear (&self->main);
  store_audit_state_clear (&self->audit);
  g_clear_object (&self->anchor);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->user, g_free);
  g_clear_pointer (&self->notice, g_free);

  G_OBJECT_CLASS (striae_store_parent_class)->finalize (object);
}

static void
striae_store_class_init (StriaeStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = striae_store_finalize;

  signals [PATIENTS_CHANGED] =
    g_signal_new ("patients-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
striae_store_init (StriaeStore *self)
{
  connection_init (&self->main);
  connection_init (&self->search);
}

/* Errors */

void
store_set_sqlite_error (GError     **error,
                        StriaeStore *self,
                        sqlite3     *db,
                        int          rc)
{
  const char *path = self ? self->path : "";

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
 * connection's lock and calls store_statement_done() when finished with it. */
sqlite3_stmt *
store_prepare (StriaeStore  *self,
               Connection   *conn,
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
      store_set_sqlite_error (error, self, conn->db, rc);
      return NULL;
    }

  g_hash_table_insert (conn->statements, (gpointer) sql, stmt);
  return stmt;
}

void
store_statement_done (sqlite3_stmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

gboolean
store_exec (StriaeStore  *self,
            Connection   *conn,
            const char   *sql,
            GError      **error)
{
  int rc = sqlite3_exec (conn->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      store_set_sqlite_error (error, self, conn->db, rc);
      return FALSE;
    }

  /* Every write transaction commits through here: the audit log's head follows it. */
  if (conn == &self->main && sqlite3_get_autocommit (conn->db))
    store_audit_committed (self);

  return TRUE;
}

gboolean
store_query_int (StriaeStore  *self,
                 Connection   *conn,
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
      store_set_sqlite_error (error, self, conn->db, rc);
      return FALSE;
    }

  return TRUE;
}

void
store_rollback (Connection *conn)
{
  if (!sqlite3_get_autocommit (conn->db))
    sqlite3_exec (conn->db, "ROLLBACK", NULL, NULL, NULL);
}

/* Opening */

char *
striae_store_default_path (void)
{
  const char *env = g_getenv ("STRIAE_DATABASE");

  if (env != NULL && env[0] != '\0')
    return g_strdup (env);

  return g_build_filename (g_get_user_data_dir (), "striae", "striae.db", NULL);
}

int
striae_store_get_latest_schema_version (void)
{
  return G_N_ELEMENTS (migrations);
}

static guint32
read_be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static void
set_not_a_database (GError     **error,
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
      set_not_a_database (error, path);
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
      set_not_a_database (error, path);
      return FALSE;
    }

  page_size = ((guint32) header[16] << 8) | header[17];
  if (page_size == 1)
    page_size = 65536;
  if (page_size < 512 || page_size > 65536 || (page_size & (page_size - 1)) != 0)
    {
      set_not_a_database (error, path);
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
      set_not_a_database (error, path);
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
        set_not_a_database (error, path);
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

  if (app_id != STRIAE_STORE_APPLICATION_ID)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_A_DATABASE,
                   _("The file %s is an SQLite database of another program, not of Striae. "
                     "It was left unchanged."), path);
      return FALSE;
    }

  if (user_version > striae_store_get_latest_schema_version ())
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_TOO_NEW,
                   _("The database %s was written by a newer version of Striae "
                     "(format %d; this version knows up to %d). Update Striae to open it."),
                   path, (int) user_version, striae_store_get_latest_schema_version ());
      return FALSE;
    }

  if (user_version < 0)
    {
      set_not_a_database (error, path);
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
 * entries to rows) through a read-only connection, before anything writes to the file: a
 * damaged database is refused as it is, not written into. About 120 ms for 100 000 patients
 * (bench/bench-erase). */
gboolean
store_quick_check (const char  *path,
                   GError     **error)
{
  g_autofree char *problem = NULL;
  g_autofree char *backup = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = store_open_read_only (path, &db);
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
    {
      sqlite3_close (db);
      return TRUE;
    }

  backup = describe_last_backup (db);
  sqlite3_close (db);
  g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_A_DATABASE,
               _("The database %s is damaged (%s) and was left unchanged. Replace it with a "
                 "backup. %s"), path, problem, backup);
  return FALSE;
}

static gboolean
is_read_only_errno (int saved_errno)
{
  return saved_errno == EACCES || saved_errno == EROFS || saved_errno == EPERM;
}

static gboolean
check_writable (const char  *path,
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
static gboolean
narrow_mode (StriaeStore  *self,
             GStatBuf     *st,
             GError      **error)
{
  g_auto(GStrv) files = NULL;

  if ((st->st_mode & 077) == 0)
    return TRUE;

  files = store_dup_database_files (self->path);
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

  g_free (self->notice);
  self->notice = g_strdup_printf (_("The database %s could be read by other users of this "
                                    "computer (mode %03o); it is now readable by you alone."),
                                  self->path, (unsigned) (st->st_mode & 0777));
  return TRUE;
}

static gboolean
create_folder_and_file (const char  *path,
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

  if (!check_writable (path, FALSE, error))
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

static gboolean
open_connection (StriaeStore  *self,
                 Connection   *conn,
                 gboolean      read_only,
                 GError      **error)
{
  int rc;

  if (read_only)
    rc = store_open_read_only (self->path, &conn->db);
  else
    rc = sqlite3_open_v2 (self->path, &conn->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX,
                          NULL);
  if (rc != SQLITE_OK)
    {
      store_set_sqlite_error (error, self, conn->db, rc);
      return FALSE;
    }

  sqlite3_extended_result_codes (conn->db, 1);
  sqlite3_busy_timeout (conn->db, BUSY_TIMEOUT_MS);

  return store_exec (self, conn, "PRAGMA foreign_keys = ON", error);
}

static void search_names_sql_function (sqlite3_context  *context,
                                       int               argc,
                                       sqlite3_value   **argv);

/* striae_record_id (), for migration 6: a new record id on every call, so it is not
 * deterministic. */
static void
record_id_sql_function (sqlite3_context  *context,
                        int               argc,
                        sqlite3_value   **argv)
{
  sqlite3_result_text (context, g_uuid_string_random (), -1, g_free);
}

static gboolean
add_migration_functions (StriaeStore  *self,
                         Connection   *conn,
                         GError      **error)
{
  int rc;

  /* Migrations 4 and 6 fill new columns with the same C code as new rows get. DIRECTONLY
   * keeps the functions out of triggers and views, so the schema never depends on them. */
  rc = sqlite3_create_function_v2 (conn->db, "striae_search_names", 2,
                                   SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY,
                                   NULL, search_names_sql_function, NULL, NULL, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_create_function_v2 (conn->db, "striae_record_id", 0,
                                     SQLITE_UTF8 | SQLITE_DIRECTONLY,
                                     NULL, record_id_sql_function, NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      store_set_sqlite_error (error, self, conn->db, rc);
      return FALSE;
    }

  return TRUE;
}

/* Migrations that need C code besides their SQL, run in the same transaction after it. */
static gboolean
run_migration_code (StriaeStore  *self,
                    int           version,
                    GError      **error)
{
  switch (version)
    {
    case 5:
      return store_audit_seal_log (self, error);
    default:
      return TRUE;
    }
}

static gboolean
migrate (StriaeStore  *self,
         GError      **error)
{
  Connection *conn = &self->main;
  int latest = striae_store_get_latest_schema_version ();

  if (!add_migration_functions (self, conn, error))
    return FALSE;

  while (self->schema_version < latest)
    {
      g_autofree char *set_version = NULL;
      gint64 version = 0;
      int next;

      if (!store_exec (self, conn, "BEGIN IMMEDIATE", error))
        return FALSE;

      /* Another Striae may have migrated the file between our check and our lock. */
      if (!store_query_int (self, conn, "PRAGMA user_version", &version, error))
        goto fail;

      if (version > latest)
        {
          g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_TOO_NEW,
                       _("The database %s was written by a newer version of Striae. "
                         "Update Striae to open it."), self->path);
          goto fail;
        }

      if (version >= latest)
        {
          self->schema_version = version;
          store_rollback (conn);
          break;
        }

      next = (int) version + 1;
      set_version = g_strdup_printf ("PRAGMA application_id = %d; PRAGMA user_version = %d;",
                                     STRIAE_STORE_APPLICATION_ID, next);

      if (!store_exec (self, conn, migrations[next - 1], error) ||
          !run_migration_code (self, next, error) ||
          !store_exec (self, conn, set_version, error) ||
          !store_exec (self, conn, "COMMIT", error))
        {
          g_prefix_error (error, _("The database could not be upgraded to format %d: "), next);
          goto fail;
        }

      g_debug ("Migrated %s to schema version %d", self->path, next);
      self->schema_version = next;
    }

  return TRUE;

fail:
  store_rollback (conn);
  return FALSE;
}

static void
rollback_hook_cb (gpointer data)
{
  store_audit_rolled_back (data);
}

StriaeStore *
striae_store_open_full (const char            *path,
                        StriaeStoreOpenFlags   flags,
                        GError               **error)
{
  g_autoptr(StriaeAuditAnchor) anchor = striae_audit_anchor_new ();

  return striae_store_open_with_anchor (path, flags, anchor, error);
}

/**
 * striae_store_open_with_anchor:
 * @anchor: where the audit log's key and head are kept
 *
 * striae_store_open_full() with the audit key and head kept by @anchor, rather than in the
 * user's keyring or configuration folder.
 */
StriaeStore *
striae_store_open_with_anchor (const char            *path,
                               StriaeStoreOpenFlags   flags,
                               StriaeAuditAnchor     *anchor,
                               GError               **error)
{
  g_autoptr(StriaeStore) self = NULL;
  g_autofree char *default_path = NULL;
  gboolean read_only = (flags & STRIAE_STORE_OPEN_FLAGS_READ_ONLY) != 0;
  GStatBuf st;
  gboolean exists;
  int version = 0;

  g_return_val_if_fail (STRIAE_IS_AUDIT_ANCHOR (anchor), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (path == NULL)
    path = default_path = striae_store_default_path ();

  self = g_object_new (STRIAE_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  self->read_only = read_only;
  self->anchor = g_object_ref (anchor);

  exists = g_stat (path, &st) == 0;
  if (exists && !S_ISREG (st.st_mode))
    {
      set_not_a_database (error, path);
      return NULL;
    }

  /* A read-only disk is said as such, before SQLite fails to make its files there. */
  if (exists && !read_only && !check_writable (path, TRUE, error))
    return NULL;

  /* Every check that can refuse the file happens before anything writes to it. A file of
   * zero bytes is what an interrupted first start leaves: SQLite treats it as empty. */
  if (exists && st.st_size > 0)
    {
      if (!store_check_header (path, st.st_size, error) ||
          !store_inspect_existing (path, &version, error))
        return NULL;
    }

  if (read_only)
    {
      if (!exists)
        {
          g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND,
                       _("There is no database at %s."), path);
          return NULL;
        }
      if (version < striae_store_get_latest_schema_version ())
        {
          g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_READ_ONLY,
                       _("The database %s needs to be upgraded to this version of Striae, "
                         "which cannot be done while it is opened read-only."), path);
          return NULL;
        }
    }
  else if (exists)
    {
      if ((st.st_size > 0 && !store_quick_check (path, error)) ||
          !narrow_mode (self, &st, error))
        return NULL;
    }
  else if (!create_folder_and_file (path, error))
    return NULL;

  if (!open_connection (self, &self->main, read_only, error))
    return NULL;
  sqlite3_rollback_hook (self->main.db, rollback_hook_cb, self);

  if (!read_only)
    {
      const char *mode = NULL;
      sqlite3_stmt *stmt = NULL;
      int rc;

      rc = sqlite3_prepare_v2 (self->main.db, "PRAGMA journal_mode = WAL", -1, &stmt, NULL);
      if (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          mode = (const char *) sqlite3_column_text (stmt, 0);
          rc = SQLITE_OK;
        }
      if (rc == SQLITE_OK && g_strcmp0 (mode, "wal") != 0)
        g_debug ("%s stays in journal mode %s", path, mode);
      sqlite3_finalize (stmt);

      if (rc != SQLITE_OK)
        {
          store_set_sqlite_error (error, self, self->main.db, rc);
          return NULL;
        }
    }

  /* A saved draft or signature must survive a power cut, not only a crash of Striae: in WAL
   * mode, synchronous = NORMAL syncs only at checkpoints, so the last commits could be lost
   * while the database stays consistent; FULL syncs the log at every commit. One fsync per
   * save is cheap next to a person filling in a form, and bulk imports are one commit. */
  if (!read_only && !store_exec (self, &self->main, "PRAGMA synchronous = FULL", error))
    return NULL;

  self->schema_version = version;
  if (!read_only && !migrate (self, error))
    return NULL;

  if (!open_connection (self, &self->search, TRUE, error) ||
      !store_exec (self, &self->search, SEARCH_MMAP_PRAGMA, error))
    return NULL;

  return g_steal_pointer (&self);
}

StriaeStore *
striae_store_open (const char  *path,
                   GError     **error)
{
  return striae_store_open_full (path, STRIAE_STORE_OPEN_FLAGS_NONE, error);
}

/**
 * striae_store_get_notice:
 *
 * Returns: (nullable): a sentence about what opening the database changed (its mode was
 *   narrowed to the owner's alone), for the user to read; %NULL when nothing was changed
 */
const char *
striae_store_get_notice (StriaeStore *self)
{
  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);

  return self->notice;
}

const char *
striae_store_get_path (StriaeStore *self)
{
  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);
  return self->path;
}

int
striae_store_get_schema_version (StriaeStore *self)
{
  g_return_val_if_fail (STRIAE_IS_STORE (self), 0);
  return self->schema_version;
}

gboolean
striae_store_is_read_only (StriaeStore *self)
{
  g_return_val_if_fail (STRIAE_IS_STORE (self), TRUE);
  return self->read_only;
}

/* Names @user (a practitioner's name) in the audit log for the changes made through this
 * store from now on, when a call does not name someone itself. %NULL or "" goes back to the
 * default, "system:" and the name of the operating-system account. */
void
striae_store_set_user (StriaeStore *self,
                       const char  *user)
{
  g_return_if_fail (STRIAE_IS_STORE (self));

  g_free (self->user);
  self->user = (user != NULL && user[0] != '\0') ? g_strdup (user) : NULL;
}

char *
striae_store_dup_user (StriaeStore *self)
{
  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);

  if (self->user != NULL)
    return g_strdup (self->user);

  return g_strconcat ("system:", g_get_user_name (), NULL);
}

void
store_emit_patients_changed (StriaeStore *self,
                             gint64       id)
{
  g_signal_emit (self, signals [PATIENTS_CHANGED], 0, id);
}

/* Caps the size of the database file (rounded down to whole pages) for this connection;
 * writes beyond it fail with STRIAE_STORE_ERROR_FULL, as on a full disk. 0 lifts the cap. */
gboolean
striae_store_set_size_limit (StriaeStore  *self,
                             guint64       max_bytes,
                             GError      **error)
{
  g_autofree char *sql = NULL;
  gint64 page_size = 0;
  gboolean ok;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_mutex_lock (&self->main.lock);
  ok = store_query_int (self, &self->main, "PRAGMA page_size", &page_size, error);
  if (ok)
    {
      guint64 pages = max_bytes == 0 ? G_MAXUINT32 : MAX (1, max_bytes / (guint64) page_size);

      sql = g_strdup_printf ("PRAGMA max_page_count = %" G_GUINT64_FORMAT, pages);
      ok = store_exec (self, &self->main, sql, error);
    }
  g_mutex_unlock (&self->main.lock);

  return ok;
}

/* Patients */

static char *
fold_for_sorting (const char *text)
{
  g_autofree char *decomposed = g_utf8_normalize (text, -1, G_NORMALIZE_NFKD);
  g_autoptr(GString) bare = NULL;

  if (decomposed == NULL)
    return g_strdup (text);

  bare = g_string_sized_new (strlen (decomposed));
  for (const char *p = decomposed; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_ismark (c))
        g_string_append_unichar (bare, c);
    }

  return g_utf8_casefold (bare->str, bare->len);
}

static char *
make_sort_key (StriaePatient *patient)
{
  g_autofree char *family = fold_for_sorting (striae_patient_get_family_name (patient));
  g_autofree char *given = fold_for_sorting (striae_patient_get_given_name (patient));

  return g_strconcat (family, SORT_KEY_SEPARATOR, given, NULL);
}

static GPtrArray *split_search_words (const char *text);

/* Folds @word roughly as the index's tokenizer (unicode61 remove_diacritics 2) does:
 * canonical decomposition without the marks, in lower case. */
static char *
fold_like_tokenizer (const char *word)
{
  g_autofree char *decomposed = g_utf8_normalize (word, -1, G_NORMALIZE_NFD);
  g_autoptr(GString) bare = NULL;

  if (decomposed == NULL)
    return g_utf8_strdown (word, -1);

  bare = g_string_sized_new (strlen (decomposed));
  for (const char *p = decomposed; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_ismark (c))
        g_string_append_unichar (bare, c);
    }

  return g_utf8_strdown (bare->str, bare->len);
}

/* Whether @word holds a letter that Unicode does not decompose into a base letter and
 * marks (ł, ø, ß, but also every Cyrillic or Greek letter), the only ones the tokenizer
 * leaves as they are. */
static gboolean
has_undecomposed_letter (const char *word)
{
  for (const char *p = word; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      gunichar decomposition[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];

      if (c >= 0x80 && !g_unichar_ismark (c) &&
          g_unichar_fully_decompose (c, FALSE, decomposition,
                                     G_N_ELEMENTS (decomposition)) == 1)
        return TRUE;
    }

  return FALSE;
}

static void
append_spelling (GString    *out,
                 const char *spelling,
                 const char *folded_word)
{
  g_autofree char *folded = fold_like_tokenizer (spelling);

  if (strcmp (folded, folded_word) == 0)
    return;

  if (out->len > 0)
    g_string_append_c (out, ' ');
  g_string_append (out, folded);
}

/* Appends to @out the ASCII spellings of @word (one word, valid UTF-8) that the tokenizer
 * would not derive itself, as GLib's locale-independent transliteration writes them
 * ("Mikołaj" gives "mikolaj", "Strauß" gives "strauss"). GLib spells ø, æ, œ and ß with two
 * letters, as German spells ö; people who lack the letter type "lochen" as often as
 * "loechen" for "Løchen", so such a letter also gives a spelling with the first of the two
 * (but not a ligature like ﬁ, which Unicode itself spells out). A letter GLib cannot spell
 * in ASCII (Cyrillic, Greek, đ, ı) stays as it is. */
static void
append_ascii_spellings (GString    *out,
                        const char *word)
{
  g_autofree char *composed = g_utf8_normalize (word, -1, G_NORMALIZE_NFC);
  g_autofree char *folded_word = NULL;
  g_autoptr(GString) full = NULL;
  g_autoptr(GString) short_form = NULL;
  gboolean has_short_form = FALSE;

  if (composed == NULL || !has_undecomposed_letter (composed))
    return;

  full = g_string_sized_new (strlen (composed));
  short_form = g_string_sized_new (strlen (composed));
  for (const char *p = composed; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      gunichar decomposition[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];
      char utf8[8] = { 0 };
      g_autofree char *ascii = NULL;

      if (c < 0x80)
        {
          g_string_append_c (full, (char) c);
          g_string_append_c (short_form, (char) c);
          continue;
        }

      g_unichar_to_utf8 (c, utf8);
      ascii = g_str_to_ascii (utf8, "C");
      if (ascii[0] == '\0' || strchr (ascii, '?') != NULL)
        {
          g_string_append (full, utf8);
          g_string_append (short_form, utf8);
        }
      else if (ascii[1] != '\0' &&
               g_unichar_fully_decompose (c, TRUE, decomposition,
                                          G_N_ELEMENTS (decomposition)) == 1)
        {
          g_string_append (full, ascii);
          g_string_append_c (short_form, ascii[0]);
          has_short_form = TRUE;
        }
      else
        {
          g_string_append (full, ascii);
          g_string_append (short_form, ascii);
        }
    }

  folded_word = fold_like_tokenizer (composed);
  append_spelling (out, full->str, folded_word);
  if (has_short_form)
    append_spelling (out, short_form->str, folded_word);
}

/* The words the index holds besides the names themselves, so that a name is found when
 * typed without the letters the tokenizer does not fold; empty for most names. */
static char *
make_search_names (const char *given,
                   const char *family)
{
  const char *names[] = { given, family };
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *valid = NULL;
      g_autoptr(GPtrArray) words = NULL;

      if (names[i] == NULL || g_str_is_ascii (names[i]))
        continue;

      valid = g_utf8_make_valid (names[i], -1);
      words = split_search_words (valid);
      for (guint j = 0; j < words->len; j++)
        append_ascii_spellings (out, g_ptr_array_index (words, j));
    }

  return g_string_free (out, FALSE);
}

/* striae_search_names (given_name, family_name), for migration 4. */
static void
search_names_sql_function (sqlite3_context  *context,
                           int               argc,
                           sqlite3_value   **argv)
{
  const char *given = (const char *) sqlite3_value_text (argv[0]);
  const char *family = (const char *) sqlite3_value_text (argv[1]);

  sqlite3_result_text (context, make_search_names (given, family), -1, g_free);
}

static char *
phone_digits (const char *phone)
{
  GString *digits = g_string_new (NULL);

  for (const char *p = phone; *p; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (digits, *p);

  return g_string_free (digits, FALSE);
}

char *
store_format_timestamp (GDateTime *time)
{
  return g_date_time_format (time, "%Y-%m-%dT%H:%M:%S.%fZ");
}

char *
store_now (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return store_format_timestamp (now);
}

GDateTime *
store_parse_timestamp (const char *text)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

  return text ? g_date_time_new_from_iso8601 (text, utc) : NULL;
}

gboolean
store_validate_patient (StriaePatient  *patient,
                        const GDate    *today,
                        GError        **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!striae_patient_validate (patient, today, NULL, &local_error))
    {
      g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
                           local_error->message);
      return FALSE;
    }

  return TRUE;
}

/* Binds the patient's fields to parameters 1 to 11 of a statement: given name, family name,
 * birth date, sex, phone, phone digits, email, language, notes, sort key, search names. */
void
store_bind_patient (sqlite3_stmt  *stmt,
                    StriaePatient *patient)
{
  sqlite3_bind_text (stmt, 1, striae_patient_get_given_name (patient), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, striae_patient_get_family_name (patient), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, striae_patient_get_birth_date (patient), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, striae_sex_to_string (striae_patient_get_sex (patient)), -1,
                     SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, striae_patient_get_phone (patient), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, phone_digits (striae_patient_get_phone (patient)), -1, g_free);
  sqlite3_bind_text (stmt, 7, striae_patient_get_email (patient), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, striae_patient_get_language (patient), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 9, striae_patient_get_notes (patient), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 10, make_sort_key (patient), -1, g_free);
  sqlite3_bind_text (stmt, 11,
                     make_search_names (striae_patient_get_given_name (patient),
                                        striae_patient_get_family_name (patient)),
                     -1, g_free);
}

static const char insert_sql[] =
  "INSERT INTO patients (given_name, family_name, birth_date, sex, phone, phone_digits, email,"
  "                      language, notes, sort_key, search_names, created, updated, record_id)"
  "  VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12, ?13)";

/* Inserts one patient inside the caller's transaction, with @record_id or, when that is
 * %NULL, a new one; sets nothing on @patient. */
gboolean
store_insert_patient (StriaeStore    *self,
                      StriaePatient  *patient,
                      const char     *now,
                      const char     *record_id,
                      gint64         *id,
                      GError        **error)
{
  sqlite3_stmt *stmt = store_prepare (self, &self->main, insert_sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  store_bind_patient (stmt, patient);
  sqlite3_bind_text (stmt, 12, now, -1, SQLITE_STATIC);
  if (record_id != NULL)
    sqlite3_bind_text (stmt, 13, record_id, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_text (stmt, 13, g_uuid_string_random (), -1, g_free);
  rc = sqlite3_step (stmt);
  store_statement_done (stmt);

  if (rc != SQLITE_DONE)
    {
      store_set_sqlite_error (error, self, self->main.db, rc);
      return FALSE;
    }

  *id = sqlite3_last_insert_rowid (self->main.db);
  return TRUE;
}

/* FTS5 writes its pending index data out at every statement boundary inside a transaction,
 * so indexing 100 000 patients one INSERT at a time leaves 100 000 tiny segments to merge
 * (9 s). A bulk insert therefore stages the rows in a temporary table and moves them with a
 * single INSERT … SELECT, during which the trigger feeds the index in one go (under 3 s). */
static gboolean
insert_patients_staged (StriaeStore   *self,
                        GPtrArray     *patients,
                        const char    *now,
                        gint64        *ids,
                        GError       **error)
{
  static const char stage_sql[] =
    "INSERT INTO temp.patients_staging (given_name, family_name, birth_date, sex, phone,"
    "                                   phone_digits, email, language, notes, sort_key,"
    "                                   search_names, record_id)"
    "  VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
  static const char move_sql[] =
    "INSERT INTO patients (given_name, family_name, birth_date, sex, phone, phone_digits, email,"
    "                      language, notes, sort_key, search_names, created, updated,"
    "                      record_id)"
    "  SELECT given_name, family_name, birth_date, sex, phone, phone_digits, email, language,"
    "         notes, sort_key, search_names, ?1, ?1, record_id"
    "    FROM temp.patients_staging ORDER BY rowid";
  static const char new_ids_sql[] = "SELECT id FROM patients WHERE id > ?1 ORDER BY id";
  sqlite3_stmt *stmt;
  gint64 last_id = 0;
  guint n = 0;
  int rc;

  if (!store_exec (self, &self->main,
                   "CREATE TEMP TABLE IF NOT EXISTS patients_staging ("
                   "  given_name, family_name, birth_date, sex, phone, phone_digits, email,"
                   "  language, notes, sort_key, search_names, record_id);"
                   "DELETE FROM temp.patients_staging;", error) ||
      !store_query_int (self, &self->main, "SELECT coalesce (max (id), 0) FROM patients",
                        &last_id, error))
    return FALSE;

  if ((stmt = store_prepare (self, &self->main, stage_sql, error)) == NULL)
    return FALSE;
  for (guint i = 0; i < patients->len; i++)
    {
      store_bind_patient (stmt, g_ptr_array_index (patients, i));
      sqlite3_bind_text (stmt, 12, g_uuid_string_random (), -1, g_free);
      rc = sqlite3_step (stmt);
      store_statement_done (stmt);
      if (rc != SQLITE_DONE)
        goto fail;
    }

  if ((stmt = store_prepare (self, &self->main, move_sql, error)) == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, now, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  store_statement_done (stmt);
  if (rc != SQLITE_DONE)
    goto fail;

  if ((stmt = store_prepare (self, &self->main, new_ids_sql, error)) == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, last_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW && n < patients->len)
    ids[n++] = sqlite3_column_int64 (stmt, 0);
  store_statement_done (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    goto fail;
  g_assert (n == patients->len);

  return store_exec (self, &self->main, "DELETE FROM temp.patients_staging", error);

fail:
  store_set_sqlite_error (error, self, self->main.db, rc);
  return FALSE;
}

static gboolean
check_new (StriaePatient  *patient,
           GError        **error)
{
  if (striae_patient_get_id (patient) != 0)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
                   _("This patient is already stored (number %" PRId64 ")."),
                   striae_patient_get_id (patient));
      return FALSE;
    }

  return TRUE;
}

gboolean
striae_store_add_patient (StriaeStore    *self,
                          StriaePatient  *patient,
                          GError        **error)
{
  g_autoptr(GPtrArray) one = NULL;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (STRIAE_IS_PATIENT (patient), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  one = g_ptr_array_new ();
  g_ptr_array_add (one, patient);

  return striae_store_add_patients (self, one, error);
}

/* Adds all of @patients (StriaePatient objects) in one transaction, or none of them. On
 * success each patient gets its id and its created and updated times. */
gboolean
striae_store_add_patients (StriaeStore  *self,
                           GPtrArray    *patients,
                           GError      **error)
{
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *now_text = NULL;
  g_autofree gint64 *ids = NULL;
  gboolean bulk = FALSE;
  GDate today;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (patients != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  striae_get_today (&today);

  for (guint i = 0; i < patients->len; i++)
    {
      StriaePatient *patient = g_ptr_array_index (patients, i);

      g_return_val_if_fail (STRIAE_IS_PATIENT (patient), FALSE);

      if (!check_new (patient, error) || !store_validate_patient (patient, &today, error))
        {
          if (patients->len > 1)
            g_prefix_error (error, _("Patient %u of %u: "), i + 1, patients->len);
          return FALSE;
        }
    }

  if (patients->len == 0)
    return TRUE;

  now = g_date_time_new_now_utc ();
  now_text = store_format_timestamp (now);
  ids = g_new0 (gint64, patients->len);

  g_mutex_lock (&self->main.lock);

  bulk = patients->len >= BULK_THRESHOLD;
  if (bulk)
    sqlite3_exec (self->main.db, BULK_CACHE_PRAGMA, NULL, NULL, NULL);

  if (!store_exec (self, &self->main, "BEGIN IMMEDIATE", error))
    goto fail;

  if (bulk)
    {
      if (!insert_patients_staged (self, patients, now_text, ids, error))
        goto fail;
    }
  else
    {
      for (guint i = 0; i < patients->len; i++)
        if (!store_insert_patient (self, g_ptr_array_index (patients, i), now_text, NULL,
                                   &ids[i], error))
          goto fail;
    }

  for (guint i = 0; i < patients->len; i++)
    if (!store_audit_append (self, STRIAE_AUDIT_CREATE, NULL, ids[i], 0, "patient", error))
      goto fail;

  if (!store_exec (self, &self->main, "COMMIT", error))
    goto fail;

  if (bulk)
    sqlite3_exec (self->main.db, DEFAULT_CACHE_PRAGMA, NULL, NULL, NULL);
  g_mutex_unlock (&self->main.lock);

  for (guint i = 0; i < patients->len; i++)
    {
      StriaePatient *patient = g_ptr_array_index (patients, i);

      striae_patient_set_id (patient, ids[i]);
      striae_patient_set_created (patient, now);
      striae_patient_set_updated (patient, now);
    }

  g_signal_emit (self, signals [PATIENTS_CHANGED], 0, patients->len == 1 ? ids[0] : 0);

  return TRUE;

fail:
  store_rollback (&self->main);
  if (bulk)
    sqlite3_exec (self->main.db, DEFAULT_CACHE_PRAGMA, NULL, NULL, NULL);
  g_mutex_unlock (&self->main.lock);
  return FALSE;
}

gboolean
striae_store_update_patient (StriaeStore    *self,
                             StriaePatient  *patient,
                             GError        **error)
{
  static const char sql[] =
    "UPDATE patients SET given_name = ?1, family_name = ?2, birth_date = ?3, sex = ?4,"
    "  phone = ?5, phone_digits = ?6, email = ?7, language = ?8, notes = ?9, sort_key = ?10,"
    "  search_names = ?11, updated = ?12"
    "  WHERE id = ?13"
    "  RETURNING created";
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) created = NULL;
  g_autofree char *now_text = NULL;
  sqlite3_stmt *stmt;
  gint64 id;
  int rc;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (STRIAE_IS_PATIENT (patient), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!store_validate_patient (patient, NULL, error))
    return FALSE;

  id = striae_patient_get_id (patient);
  now = g_date_time_new_now_utc ();
  now_text = store_format_timestamp (now);

  g_mutex_lock (&self->main.lock);

  /* The change and its audit row are one transaction. */
  if (!store_exec (self, &self->main, "BEGIN IMMEDIATE", error))
    goto fail;

  stmt = store_prepare (self, &self->main, sql, error);
  if (stmt == NULL)
    goto fail;

  store_bind_patient (stmt, patient);
  sqlite3_bind_text (stmt, 12, now_text, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 13, id);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      created = store_parse_timestamp ((const char *) sqlite3_column_text (stmt, 0));
      rc = sqlite3_step (stmt);
    }
  else if (rc == SQLITE_DONE)
    {
      store_statement_done (stmt);
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND,
                   _("There is no patient number %" PRId64 "; "
                     "they may have been deleted."), id);
      goto fail;
    }

  if (rc != SQLITE_DONE)
    {
      store_set_sqlite_error (error, self, self->main.db, rc);
      store_statement_done (stmt);
      goto fail;
    }

  store_statement_done (stmt);

  if (!store_audit_append (self, STRIAE_AUDIT_UPDATE, NULL, id, 0, "patient", error) ||
      !store_exec (self, &self->main, "COMMIT", error))
    goto fail;

  g_mutex_unlock (&self->main.lock);

  striae_patient_set_updated (patient, now);
  if (created != NULL)
    striae_patient_set_created (patient, created);

  g_signal_emit (self, signals [PATIENTS_CHANGED], 0, id);

  return TRUE;

fail:
  store_rollback (&self->main);
  g_mutex_unlock (&self->main.lock);
  return FALSE;
}

StriaePatient *
store_patient_from_row (sqlite3_stmt *stmt)
{
  StriaePatient *patient = striae_patient_new ();
  g_autoptr(GDateTime) created = NULL;
  g_autoptr(GDateTime) updated = NULL;

#define COLUMN(i) ((const char *) sqlite3_column_text (stmt, i))
  striae_patient_set_id (patient, sqlite3_column_int64 (stmt, 0));
  striae_patient_set_given_name (patient, COLUMN (1));
  striae_patient_set_family_name (patient, COLUMN (2));
  striae_patient_set_birth_date (patient, COLUMN (3));
  striae_patient_set_sex (patient, striae_sex_from_string (COLUMN (4)));
  striae_patient_set_phone (patient, COLUMN (5));
  striae_patient_set_email (patient, COLUMN (6));
  striae_patient_set_language (patient, COLUMN (7));
  striae_patient_set_notes (patient, COLUMN (8));
  created = store_parse_timestamp (COLUMN (9));
  updated = store_parse_timestamp (COLUMN (10));
#undef COLUMN

  striae_patient_set_created (patient, created);
  striae_patient_set_updated (patient, updated);

  return patient;
}

static void
set_not_found (GError **error,
               gint64   id)
{
  g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND,
               _("There is no patient number %" PRId64 "; they may have been deleted."),
               id);
}

StriaePatient *
striae_store_get_patient (StriaeStore  *self,
                          gint64        id,
                          GError      **error)
{
  static const char sql[] = "SELECT " PATIENT_COLUMNS " FROM patients WHERE id = ?1";
  StriaePatient *patient = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_mutex_lock (&self->main.lock);

  stmt = store_prepare (self, &self->main, sql, error);
  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, id);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        patient = store_patient_from_row (stmt);
      else if (rc == SQLITE_DONE)
        set_not_found (error, id);
      else
        store_set_sqlite_error (error, self, self->main.db, rc);
      store_statement_done (stmt);
    }

  g_mutex_unlock (&self->main.lock);

  return patient;
}

/**
 * striae_store_get_patient_archived:
 * @archived: (out): whether patient @id is archived
 *
 * Returns: %FALSE with @error set when there is no such patient
 */
gboolean
striae_store_get_patient_archived (StriaeStore  *self,
                                   gint64        id,
                                   gboolean     *archived,
                                   GError      **error)
{
  static const char sql[] = "SELECT archived FROM patients WHERE id = ?1";
  sqlite3_stmt *stmt;
  int rc = SQLITE_ERROR;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (archived != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_mutex_lock (&self->main.lock);
  if ((stmt = store_prepare (self, &self->main, sql, error)) != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, id);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        *archived = sqlite3_column_int (stmt, 0) != 0;
      else if (rc == SQLITE_DONE)
        set_not_found (error, id);
      else
        store_set_sqlite_error (error, self, self->main.db, rc);
      store_statement_done (stmt);
    }
  g_mutex_unlock (&self->main.lock);

  return rc == SQLITE_ROW;
}

/**
 * striae_store_set_patient_archived:
 * @archived: %TRUE to archive the patient, %FALSE to bring them back to the register
 * @practitioner: (nullable): who does it, for the audit log
 *
 * Archives patient @id, or brings them back: an archived patient keeps their whole record
 * but the register lists them only when asked for (striae_store_search_patients_full()).
 * Audited as "archive" or "unarchive"; setting what already holds changes and audits nothing.
 */
gboolean
striae_store_set_patient_archived (StriaeStore  *self,
                                   gint64        id,
                                   gboolean      archived,
                                   const char   *practitioner,
                                   GError      **error)
{
  static const char sql[] =
    "UPDATE patients SET archived = ?2 WHERE id = ?1 AND archived != ?2";
  static const char exists_sql[] = "SELECT 1 FROM patients WHERE id = ?1";
  sqlite3_stmt *stmt;
  gboolean changed = FALSE;
  int rc;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_mutex_lock (&self->main.lock);

  if (!store_exec (self, &self->main, "BEGIN IMMEDIATE", error) ||
      (stmt = store_prepare (self, &self->main, sql, error)) == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int (stmt, 2, archived ? 1 : 0);
  rc = sqlite3_step (stmt);
  store_statement_done (stmt);
  if (rc != SQLITE_DONE)
    {
      store_set_sqlite_error (error, self, self->main.db, rc);
      goto fail;
    }
  changed = sqlite3_changes (self->main.db) > 0;

  if (!changed)
    {
      if ((stmt = store_prepare (self, &self->main, exists_sql, error)) == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, id);
      rc = sqlite3_step (stmt);
      store_statement_done (stmt);
      if (rc == SQLITE_DONE)
        {
          set_not_found (error, id);
          goto fail;
        }
      if (rc != SQLITE_ROW)
        {
          store_set_sqlite_error (error, self, self->main.db, rc);
          goto fail;
        }
    }
  else if (!store_audit_append (self, archived ? STRIAE_AUDIT_ARCHIVE : STRIAE_AUDIT_UNARCHIVE,
                                practitioner, id, 0, "", error))
    goto fail;

  if (!store_exec (self, &self->main, "COMMIT", error))
    goto fail;

  g_mutex_unlock (&self->main.lock);
  if (changed)
    store_emit_patients_changed (self, id);
  return TRUE;

fail:
  store_rollback (&self->main);
  g_mutex_unlock (&self->main.lock);
  return FALSE;
}

gint64
striae_store_count_patients (StriaeStore  *self,
                             GError      **error)
{
  gint64 count = -1;

  g_return_val_if_fail (STRIAE_IS_STORE (self), -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  g_mutex_lock (&self->main.lock);
  if (!store_query_int (self, &self->main, "SELECT count(*) FROM patients", &count, error))
    count = -1;
  g_mutex_unlock (&self->main.lock);

  return count;
}

/* Search */

/* Splits what a person typed the way the unicode61 tokenizer would (letters, digits and
 * marks make words; everything else separates them), so that no character they type can
 * reach the FTS5 query syntax. */
static GPtrArray *
split_search_words (const char *text)
{
  GPtrArray *words = g_ptr_array_new_with_free_func (g_free);
  GString *word = g_string_new (NULL);

  for (const char *p = text; ; p = g_utf8_next_char (p))
    {
      gunichar c = *p ? g_utf8_get_char (p) : 0;

      if (c != 0 && (g_unichar_isalnum (c) || g_unichar_ismark (c) ||
                     g_unichar_type (c) == G_UNICODE_PRIVATE_USE))
        {
          g_string_append_unichar (word, c);
          continue;
        }

      if (word->len > 0)
        {
          g_ptr_array_add (words, g_strdup (word->str));
          g_string_truncate (word, 0);
        }

      if (c == 0)
        break;
    }

  g_string_free (word, TRUE);
  return words;
}

static gboolean
is_ascii_digits (const char *word)
{
  for (const char *p = word; *p; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;

  return TRUE;
}

/* Every word becomes a quoted prefix query; all must match. When every word is a group of
 * digits, as in "06 12 34", the digits run together also match a phone number stored
 * without spaces. Returns NULL when nothing searchable was typed. */
static char *
build_match_query (const char *text)
{
  /* Broken UTF-8 would make the splitter read past the end of the string. */
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  g_autoptr(GPtrArray) words = NULL;
  g_autoptr(GString) query = NULL;
  g_autoptr(GString) digits = NULL;
  gboolean all_digits = TRUE;
  GDate date;

  /* A date written the way the patient editor takes it (14.3.1991 in German) looks for the
   * stored ISO date, read by the same parser. */
  if (striae_parse_date (valid, &date, NULL))
    {
      g_free (valid);
      valid = striae_format_iso_date (&date);
    }

  words = split_search_words (valid);
  if (words->len == 0)
    return NULL;

  query = g_string_new (NULL);
  digits = g_string_new (NULL);
  for (guint i = 0; i < words->len; i++)
    {
      const char *word = g_ptr_array_index (words, i);

      /* Words hold no quote character, so quoting them is enough. */
      g_string_append_printf (query, "%s\"%s\"*", i > 0 ? " " : "", word);
      if (is_ascii_digits (word))
        g_string_append (digits, word);
      else
        all_digits = FALSE;
    }

  if (all_digits && words->len > 1)
    {
      g_string_prepend (query, "(");
      g_string_append_printf (query, ") OR phone_digits : \"%s\"*", digits->str);
    }

  return g_string_free (g_steal_pointer (&query), FALSE);
}

static int
search_progress_cb (gpointer data)
{
  return g_cancellable_is_cancelled (G_CANCELLABLE (data)) ? 1 : 0;
}

static GArray *
search_patients (StriaeStore        *self,
                 const char         *text,
                 guint               limit,
                 StriaeSearchFlags   flags,
                 GCancellable       *cancellable,
                 GError            **error)
{
  static const char all_sql[] =
    "SELECT id FROM patients WHERE archived = 0 ORDER BY sort_key, id LIMIT ?1";
  static const char all_archived_sql[] =
    "SELECT id FROM patients WHERE archived = 1 ORDER BY sort_key, id LIMIT ?1";
  static const char match_sql[] =
    "SELECT patients.id FROM patients_fts"
    "  JOIN patients ON patients.id = patients_fts.rowid"
    "  WHERE patients_fts MATCH ?2 AND patients.archived = ?3"
    "  ORDER BY patients_fts.rank, patients.sort_key, patients.id"
    "  LIMIT ?1";
  g_autofree char *query = build_match_query (text ? text : "");
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  gboolean archived = (flags & STRIAE_SEARCH_FLAGS_ARCHIVED) != 0;
  Connection *conn = &self->search;
  sqlite3_stmt *stmt;
  int rc;

  g_mutex_lock (&conn->lock);

  stmt = store_prepare (self, conn,
                        query ? match_sql : archived ? all_archived_sql : all_sql, error);
  if (stmt == NULL)
    {
      g_mutex_unlock (&conn->lock);
      return NULL;
    }

  sqlite3_bind_int64 (stmt, 1, limit == 0 ? -1 : (gint64) limit);
  if (query != NULL)
    {
      sqlite3_bind_text (stmt, 2, query, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 3, archived ? 1 : 0);
    }

  if (cancellable != NULL)
    sqlite3_progress_handler (conn->db, 1000, search_progress_cb, cancellable);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }

  if (cancellable != NULL)
    sqlite3_progress_handler (conn->db, 0, NULL, NULL);

  if (rc != SQLITE_DONE)
    store_set_sqlite_error (error, self, conn->db, rc);

  store_statement_done (stmt);
  g_mutex_unlock (&conn->lock);

  if (rc != SQLITE_DONE)
    return NULL;

  return g_steal_pointer (&ids);
}

/* Returns the ids (gint64) of the patients matching @text, best first; an empty @text lists
 * everyone by family then given name. @limit 0 means no limit. Archived patients are left
 * out (see striae_store_search_patients_full()). */
GArray *
striae_store_search_patients (StriaeStore  *self,
                              const char   *text,
                              guint         limit,
                              GError      **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return search_patients (self, text, limit, STRIAE_SEARCH_FLAGS_NONE, NULL, error);
}

/**
 * striae_store_search_patients_full:
 * @flags: %STRIAE_SEARCH_FLAGS_ARCHIVED to search the archived patients instead of the others
 *
 * As striae_store_search_patients(), among the patients @flags asks for.
 */
GArray *
striae_store_search_patients_full (StriaeStore        *self,
                                   const char         *text,
                                   guint               limit,
                                   StriaeSearchFlags   flags,
                                   GError            **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return search_patients (self, text, limit, flags, NULL, error);
}

typedef struct
{
  char              *text;
  guint              limit;
  StriaeSearchFlags  flags;
} SearchData;

static void
search_data_free (SearchData *data)
{
  g_free (data->text);
  g_free (data);
}

static void
search_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  SearchData *data = task_data;
  GError *error = NULL;
  GArray *ids;

  if (g_task_return_error_if_cancelled (task))
    return;

  ids = search_patients (source_object, data->text, data->limit, data->flags, cancellable,
                         &error);
  if (ids == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, ids, (GDestroyNotify) g_array_unref);
}

void
striae_store_search_patients_async (StriaeStore          *self,
                                    const char           *text,
                                    guint                 limit,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data)
{
  striae_store_search_patients_full_async (self, text, limit, STRIAE_SEARCH_FLAGS_NONE,
                                           cancellable, callback, user_data);
}

/* As striae_store_search_patients_async(), among the patients @flags asks for; finish with
 * striae_store_search_patients_finish(). */
void
striae_store_search_patients_full_async (StriaeStore          *self,
                                         const char           *text,
                                         guint                 limit,
                                         StriaeSearchFlags     flags,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  SearchData *data;

  g_return_if_fail (STRIAE_IS_STORE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (SearchData, 1);
  data->text = g_strdup (text ? text : "");
  data->limit = limit;
  data->flags = flags;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, striae_store_search_patients_async);
  g_task_set_task_data (task, data, (GDestroyNotify) search_data_free);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, search_thread);
}

GArray *
striae_store_search_patients_finish (StriaeStore   *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
