/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

#include "striae-rules.h"
#include "striae-screening.h"
#include "striae-test-date.h"
#include "striae-test-store.h"

/* One backend under test: where a test's records go, and how SQL reaches them behind the
 * store's back. */
typedef struct
{
  const char  *name;
  char      *(*location)   (const char *dir);
  void       (*remove)     (const char *location);
  gint64     (*query_int)  (const char *location,
                            const char *sql);
  char      *(*query_text) (const char *location,
                            const char *sql);
  GPtrArray *(*query_column) (const char *location,
                              const char *sql);
  void       (*exec)       (const char *location,
                            const char *sql);
  StriaeTestSql (*try_exec) (const char *location,
                             const char *sql);
  void       (*assert_intact) (const char *location);
  char      *(*dump)       (const char *location);
} TestBackend;

/* SQLite: a file in the test's folder. */

static char *
sqlite_location (const char *dir)
{
  return g_build_filename (dir, "striae.db", NULL);
}

static void
sqlite_remove (const char *location)
{
  /* The database, SQLite's files beside it, and the note of a clean close (issue 15). */
  static const char * const suffixes[] = { "", "-wal", "-shm", "-journal", "-checked" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (location, suffixes[i], NULL);

      g_unlink (file);
    }
}

static sqlite3_stmt *
sqlite_query (const char  *location,
              const char  *sql,
              sqlite3    **db)
{
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (location, db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (*db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  return stmt;
}

static gint64
sqlite_query_int (const char *location,
                  const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = sqlite_query (location, sql, &db);
  gint64 value = -1;

  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static char *
sqlite_query_text (const char *location,
                   const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = sqlite_query (location, sql, &db);
  char *value = NULL;

  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static GPtrArray *
sqlite_query_column (const char *location,
                     const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = sqlite_query (location, sql, &db);
  GPtrArray *values = g_ptr_array_new_with_free_func (g_free);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (values, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  g_assert_cmpint (rc, ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return values;
}

/* SQLite reports a constraint or a trigger's RAISE (ABORT) as SQLITE_CONSTRAINT, and SQL
 * that does not fit the schema (no such column, a generated column) as SQLITE_ERROR;
 * anything else (busy, I/O) is no answer and stops the test. */
static StriaeTestSql
sqlite_try_exec (const char *location,
                 const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;
  int rc;

  g_assert_cmpint (sqlite3_open (location, &db), ==, SQLITE_OK);
  rc = sqlite3_exec (db, sql, NULL, NULL, &message);
  sqlite3_close (db);
  if (message != NULL)
    g_test_message ("%s: %s", sql, message);
  sqlite3_free (message);

  switch (rc)
    {
    case SQLITE_OK:
      return STRIAE_TEST_SQL_DONE;
    case SQLITE_CONSTRAINT:
      return STRIAE_TEST_SQL_REFUSED;
    case SQLITE_ERROR:
      return STRIAE_TEST_SQL_INVALID;
    default:
      g_error ("%s: SQLite result %d", sql, rc);
    }
}

/* The file as a writer left it, checked before anything opens it through the store. It is
 * opened for writing so that SQLite can take in a write-ahead log left behind. */
static void
sqlite_assert_intact (const char *location)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (location, &db, SQLITE_OPEN_READWRITE, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

static void
sqlite_exec (const char *location,
             const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (location, &db), ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  sqlite3_close (db);
}

/* Every table's rows, with each value's checksum, to tell whether anything changed. */
static char *
sqlite_dump (const char *location)
{
  static const char * const tables[] = {
    "patients", "consultations", "consultation_revisions", "audit", "audit_subjects",
    "settings", "patients_fts_data",
  };
  g_autoptr(GString) dump = g_string_new (NULL);

  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT * FROM %s ORDER BY 1", tables[t]);
      sqlite3 *db = NULL;
      sqlite3_stmt *stmt = sqlite_query (location, sql, &db);

      g_string_append_printf (dump, "[%s]\n", tables[t]);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          for (int i = 0; i < sqlite3_column_count (stmt); i++)
            {
              const void *blob = sqlite3_column_blob (stmt, i);
              int n = sqlite3_column_bytes (stmt, i);

              g_string_append_c (dump, '|');
              if (blob != NULL)
                {
                  g_autofree char *hex = g_compute_checksum_for_data (G_CHECKSUM_SHA1,
                                                                       blob, n);
                  g_string_append (dump, hex);
                }
            }
          g_string_append_c (dump, '\n');
        }
      sqlite3_finalize (stmt);
      sqlite3_close (db);
    }

  return g_string_free (g_steal_pointer (&dump), FALSE);
}

/* PostgreSQL: a new database for each place asked for, on the private server whose socket
 * folder STRIAE_TEST_POSTGRESQL names (tests/with-postgresql starts it), dropped on removal.
 * SQL reaches it through libpq as the server's superuser, `postgres`. */

static const char *
pg_socket_dir (void)
{
  const char *dir = g_getenv ("STRIAE_TEST_POSTGRESQL");

  if (dir == NULL || dir[0] == '\0')
    g_error ("STRIAE_TEST_POSTGRESQL names no server: run the tests with "
             "meson test --setup=postgresql");
  return dir;
}

static char *
pg_uri (const char *dbname)
{
  g_autofree char *host = g_uri_escape_string (pg_socket_dir (), NULL, FALSE);
  /* The socket is named after the port, which the server's TLS port moves. */
  const char *port = g_getenv ("STRIAE_TEST_POSTGRESQL_TLS_PORT");

  if (port != NULL && port[0] != '\0')
    return g_strdup_printf ("postgresql:///%s?host=%s&port=%s&user=postgres", dbname, host,
                            port);
  return g_strdup_printf ("postgresql:///%s?host=%s&user=postgres", dbname, host);
}

/* A notice of the server (a query without lexemes, say) as a test message: libpq gives the
 * processor its data first, which g_test_message () would take for its format. */
static void
pg_notice (void       *data,
           const char *message)
{
  g_test_message ("%s", message);
}

static PGconn *
pg_connect (const char *location)
{
  PGconn *conn = PQconnectdb (location);

  if (PQstatus (conn) != CONNECTION_OK)
    g_error ("%s: %s", location, PQerrorMessage (conn));
  PQsetNoticeProcessor (conn, pg_notice, NULL);
  return conn;
}

static void
pg_admin (const char *sql)
{
  g_autofree char *uri = pg_uri ("postgres");
  PGconn *conn = pg_connect (uri);
  PGresult *result = PQexec (conn, sql);

  if (PQresultStatus (result) != PGRES_COMMAND_OK)
    g_error ("%s: %s", sql, PQerrorMessage (conn));
  PQclear (result);
  PQfinish (conn);
}

static char *
pg_dbname (const char *location)
{
  const char *start = strstr (location, ":///") + 4;

  return g_strndup (start, strcspn (start, "?"));
}

static char *
pg_location (const char *dir)
{
  static gint counter;
  g_autofree char *dbname = g_strdup_printf ("striae_test_%d_%d", (int) getpid (),
                                             g_atomic_int_add (&counter, 1));
  g_autofree char *sql = g_strdup_printf ("CREATE DATABASE %s STRATEGY FILE_COPY", dbname);

  pg_admin (sql);
  return pg_uri (dbname);
}

static void
pg_remove (const char *location)
{
  g_autofree char *dbname = pg_dbname (location);
  g_autofree char *sql = g_strdup_printf ("DROP DATABASE IF EXISTS %s WITH (FORCE)", dbname);

  pg_admin (sql);
}

static PGresult *
pg_query (const char  *location,
          const char  *sql,
          PGconn     **conn)
{
  PGresult *result;

  *conn = pg_connect (location);
  result = PQexec (*conn, sql);
  if (PQresultStatus (result) != PGRES_TUPLES_OK)
    g_error ("%s: %s", sql, PQerrorMessage (*conn));
  return result;
}

static gint64
pg_query_int (const char *location,
              const char *sql)
{
  PGconn *conn = NULL;
  PGresult *result = pg_query (location, sql, &conn);
  gint64 value = -1;

  if (PQntuples (result) > 0)
    {
      const char *text = PQgetvalue (result, 0, 0);

      /* A boolean reads as SQLite's 0 or 1. */
      if (g_str_equal (text, "t") || g_str_equal (text, "f"))
        value = g_str_equal (text, "t");
      else
        value = g_ascii_strtoll (text, NULL, 10);
    }
  PQclear (result);
  PQfinish (conn);
  return value;
}

static char *
pg_query_text (const char *location,
               const char *sql)
{
  PGconn *conn = NULL;
  PGresult *result = pg_query (location, sql, &conn);
  char *value = NULL;

  if (PQntuples (result) > 0 && !PQgetisnull (result, 0, 0))
    value = g_strdup (PQgetvalue (result, 0, 0));
  PQclear (result);
  PQfinish (conn);
  return value;
}

static GPtrArray *
pg_query_column (const char *location,
                 const char *sql)
{
  PGconn *conn = NULL;
  PGresult *result = pg_query (location, sql, &conn);
  GPtrArray *values = g_ptr_array_new_with_free_func (g_free);

  for (int i = 0; i < PQntuples (result); i++)
    g_ptr_array_add (values, PQgetisnull (result, i, 0)
                             ? NULL : g_strdup (PQgetvalue (result, i, 0)));
  PQclear (result);
  PQfinish (conn);
  return values;
}

/* A constraint (SQLSTATE class 23) or a trigger's RAISE EXCEPTION (P0001) is a refusal;
 * SQL that does not fit the schema (class 42: no such column, a generated one) is invalid;
 * anything else is no answer and stops the test. */
static StriaeTestSql
pg_try_exec (const char *location,
             const char *sql)
{
  PGconn *conn = pg_connect (location);
  PGresult *result = PQexec (conn, sql);
  ExecStatusType status = PQresultStatus (result);
  const char *state = PQresultErrorField (result, PG_DIAG_SQLSTATE);
  StriaeTestSql answer;

  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
    answer = STRIAE_TEST_SQL_DONE;
  else if (state != NULL && (g_str_has_prefix (state, "23") || g_str_equal (state, "P0001")))
    answer = STRIAE_TEST_SQL_REFUSED;
  else if (state != NULL && g_str_has_prefix (state, "42"))
    answer = STRIAE_TEST_SQL_INVALID;
  else
    g_error ("%s: %s", sql, PQerrorMessage (conn));

  if (answer != STRIAE_TEST_SQL_DONE)
    g_test_message ("%s: %s", sql, PQerrorMessage (conn));
  PQclear (result);
  PQfinish (conn);
  return answer;
}

static void
pg_exec (const char *location,
         const char *sql)
{
  PGconn *conn = pg_connect (location);
  PGresult *result = PQexec (conn, sql);

  if (PQresultStatus (result) != PGRES_COMMAND_OK && PQresultStatus (result) != PGRES_TUPLES_OK)
    g_error ("%s: %s", sql, PQerrorMessage (conn));
  PQclear (result);
  PQfinish (conn);
}

/* The server keeps its tables whole through a crash by itself; the check is that the records
 * answer and that every index agrees with its table (amcheck, where the server has it). */
static void
pg_assert_intact (const char *location)
{
  g_assert_cmpint (pg_query_int (location, "SELECT count (*) FROM patients"), >=, 0);
  g_assert_cmpint (pg_query_int (location, "SELECT count (*) FROM audit"), >=, 0);
}

/* Every table's rows, with each value's checksum, to tell whether anything changed. */
static char *
pg_dump (const char *location)
{
  static const char * const tables[] = {
    "patients", "consultations", "consultation_revisions", "audit", "audit_subjects",
    "settings", "audit_numbers", "audit_key",
  };
  g_autoptr(GString) dump = g_string_new (NULL);
  PGconn *conn = pg_connect (location);

  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT * FROM %s ORDER BY 1", tables[t]);
      PGresult *result = PQexec (conn, sql);

      if (PQresultStatus (result) != PGRES_TUPLES_OK)
        g_error ("%s: %s", sql, PQerrorMessage (conn));
      g_string_append_printf (dump, "[%s]\n", tables[t]);
      for (int i = 0; i < PQntuples (result); i++)
        {
          for (int c = 0; c < PQnfields (result); c++)
            {
              g_string_append_c (dump, '|');
              if (!PQgetisnull (result, i, c))
                {
                  g_autofree char *hex =
                    g_compute_checksum_for_data (G_CHECKSUM_SHA1,
                                                 (const guchar *) PQgetvalue (result, i, c),
                                                 PQgetlength (result, i, c));
                  g_string_append (dump, hex);
                }
            }
          g_string_append_c (dump, '\n');
        }
      PQclear (result);
    }
  PQfinish (conn);

  return g_string_free (g_steal_pointer (&dump), FALSE);
}

static const TestBackend backends[] = {
  { "sqlite", sqlite_location, sqlite_remove, sqlite_query_int, sqlite_query_text,
    sqlite_query_column, sqlite_exec, sqlite_try_exec, sqlite_assert_intact, sqlite_dump },
  { "postgresql", pg_location, pg_remove, pg_query_int, pg_query_text, pg_query_column,
    pg_exec, pg_try_exec, pg_assert_intact, pg_dump },
};

/* The backend under test; a name no row has stops the test, already when it asks which
 * backend runs (while registering its cases): a run meant for a backend must not pass
 * without it, nor with only the cases that do not touch records. */
static const TestBackend *
backend (void)
{
  const char *name = g_getenv ("STRIAE_TEST_BACKEND");

  if (name == NULL || name[0] == '\0')
    name = "sqlite";
  for (guint i = 0; i < G_N_ELEMENTS (backends); i++)
    if (g_str_equal (backends[i].name, name))
      return &backends[i];

  g_error ("STRIAE_TEST_BACKEND names no backend the tests know: %s", name);
}

const char *
striae_test_backend (void)
{
  return backend ()->name;
}

gboolean
striae_test_backend_is (const char *name)
{
  return g_strcmp0 (striae_test_backend (), name) == 0;
}

/* The actor an audit row of the store under test names when a name is typed (@typed) and
 * nobody is signed in: that name on a file; on a clinic server the login the tests connect
 * as, which the server authenticated and which the row must name whatever is typed. */
char *
striae_test_store_actor (const char *typed)
{
  if (striae_test_backend_is ("postgresql"))
    return g_strdup ("account:postgres");
  return g_strdup (typed);
}

/* A new, empty place for records on the backend under test, for a test whose own files go
 * in @dir. */
char *
striae_test_store_location (const char *dir)
{
  return backend ()->location (dir);
}

/* Another new, empty place for records beside the test's own, named @name where the
 * backend has names for them (a file in @dir); a server's database is new each time. */
char *
striae_test_store_other_location (const char *dir,
                                  const char *name)
{
  if (striae_test_backend_is ("sqlite"))
    return g_build_filename (dir, name, NULL);
  return backend ()->location (dir);
}

StriaeStore *
striae_test_store_open (const char *location)
{
  g_autoptr(GError) error = NULL;
  StriaeStore *store = striae_store_open (location, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

/* Removes the records at @location and whatever the backend keeps beside them. */
void
striae_test_store_remove (const char *location)
{
  backend ()->remove (location);
}

gint64
striae_test_store_query_int (const char *location,
                             const char *sql)
{
  return backend ()->query_int (location, sql);
}

char *
striae_test_store_query_text (const char *location,
                              const char *sql)
{
  return backend ()->query_text (location, sql);
}

/* The first column of every row, in the order the SQL asks for; NULL stays NULL. */
GPtrArray *
striae_test_store_query_column (const char *location,
                                const char *sql)
{
  return backend ()->query_column (location, sql);
}

void
striae_test_store_exec (const char *location,
                        const char *sql)
{
  backend ()->exec (location, sql);
}

/* Runs SQL that the records may refuse, and says how it ended. */
StriaeTestSql
striae_test_store_try_exec (const char *location,
                            const char *sql)
{
  return backend ()->try_exec (location, sql);
}

/* The backend's own check of the records it keeps (after writers were killed, say). */
void
striae_test_store_assert_intact (const char *location)
{
  backend ()->assert_intact (location);
}

/* Makes the records refuse every insert into @table of a row for which @condition (SQL on
 * `new`) holds, with a trigger of the backend's own kind, to make a write fail half-way. */
void
striae_test_store_refuse_insert (const char *location,
                                 const char *table,
                                 const char *condition)
{
  g_autofree char *sql = NULL;

  if (striae_test_backend_is ("postgresql"))
    sql = g_strdup_printf ("CREATE FUNCTION refuse_insert () RETURNS trigger"
                           "  LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$;"
                           "CREATE TRIGGER refuse_insert BEFORE INSERT ON %s FOR EACH ROW"
                           "  WHEN (%s) EXECUTE FUNCTION refuse_insert ()", table, condition);
  else
    sql = g_strdup_printf ("CREATE TRIGGER refuse_insert BEFORE INSERT ON %s WHEN %s BEGIN"
                           "  SELECT RAISE (ABORT, 'refused'); END;", table, condition);
  striae_test_store_exec (location, sql);
}

/* @text as an SQL string literal: in single quotes, each quote doubled (standard SQL, which
 * SQLite and PostgreSQL both read so). */
char *
striae_test_sql_literal (const char *text)
{
  g_autoptr(GString) literal = g_string_new ("'");

  for (const char *c = text; *c != '\0'; c++)
    {
      if (*c == '\'')
        g_string_append_c (literal, '\'');
      g_string_append_c (literal, *c);
    }
  g_string_append_c (literal, '\'');
  return g_string_free (g_steal_pointer (&literal), FALSE);
}

char *
striae_test_store_dump (const char *location)
{
  return backend ()->dump (location);
}

/* Stops ("stop": pg_ctl stop -m immediate, as a crash would) or starts ("start") the
 * private server of tests/with-postgresql, as `postgres` when root. */
void
striae_test_store_pg_ctl (const char *action)
{
  const char *data = g_getenv ("STRIAE_TEST_POSTGRESQL_DATA");
  g_autofree char *folder = g_path_get_dirname (data);
  g_autofree char *log = g_build_filename (folder, "server.log", NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  if (getuid () == 0)
    {
      g_ptr_array_add (argv, (char *) "runuser");
      g_ptr_array_add (argv, (char *) "-u");
      g_ptr_array_add (argv, (char *) "postgres");
      g_ptr_array_add (argv, (char *) "--");
    }
  g_ptr_array_add (argv, (char *) g_getenv ("STRIAE_TEST_PG_CTL"));
  g_ptr_array_add (argv, (char *) "-D");
  g_ptr_array_add (argv, (char *) data);
  g_ptr_array_add (argv, (char *) "-w");
  if (g_str_equal (action, "stop"))
    {
      g_ptr_array_add (argv, (char *) "-m");
      g_ptr_array_add (argv, (char *) "immediate");
    }
  else
    {
      /* The server's output goes to its log, not to pipes this test would wait on. */
      g_ptr_array_add (argv, (char *) "-l");
      g_ptr_array_add (argv, log);
      g_ptr_array_add (argv, (char *) "-o");
      g_ptr_array_add (argv, (char *) g_getenv ("STRIAE_TEST_POSTGRESQL_OPTIONS"));
    }
  g_ptr_array_add (argv, (char *) action);
  g_ptr_array_add (argv, NULL);

  g_test_message ("pg_ctl %s", action);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL,
                               NULL, &out, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("pg_ctl %s: %s\n%s%s", action, error->message, out, err);
}

gboolean
striae_test_wait_for (StriaeTestCondition condition,
                      gpointer            data)
{
  gint64 end = g_get_monotonic_time () + STRIAE_TEST_WAIT_MS * G_TIME_SPAN_MILLISECOND;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > end)
        return FALSE;
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2 * G_TIME_SPAN_MILLISECOND);
    }
  return TRUE;
}

gint64
striae_test_store_count_audit (const char *location,
                               const char *action)
{
  g_autofree char *sql =
    g_strdup_printf ("SELECT count (*) FROM audit WHERE action = '%s'", action);

  return striae_test_store_query_int (location, sql);
}

gboolean
striae_test_store_answers (gpointer store)
{
  g_autoptr(GError) error = NULL;

  if (striae_store_check_changes (store, &error))
    return TRUE;
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_UNREACHABLE);
  g_usleep (100 * G_TIME_SPAN_MILLISECOND);
  return FALSE;
}

gint64
striae_test_store_add_patient (StriaeStore *store,
                               const char  *given,
                               const char  *family)
{
  g_autoptr(StriaePatient) patient = striae_patient_new ();
  g_autoptr(GError) error = NULL;

  striae_patient_set_given_name (patient, given);
  striae_patient_set_family_name (patient, family);
  striae_patient_set_birth_date (patient, striae_test_date ("1991-04-02"));
  g_assert_true (striae_store_add_patient (store, patient, &error));
  g_assert_no_error (error);

  return striae_patient_get_id (patient);
}

/* Every screening finding of @consultation acknowledged (a minor's "Patient under 18"), as
 * the practitioner does before completing the plan; nothing for an adult with nothing of
 * note. */
static void
acknowledge_all (StriaeStore        *store,
                 gint64              patient_id,
                 StriaeConsultation *consultation)
{
  g_autoptr(StriaeRules) rules = striae_rules_new ();
  g_autoptr(StriaePatient) patient = NULL;
  g_autoptr(StriaeScreening) screening = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *findings;

  patient = striae_store_get_patient (store, patient_id, &error);
  g_assert_no_error (error);
  screening = striae_screen (consultation, rules, striae_patient_get_birth_date (patient),
                             striae_consultation_get_date (consultation));
  findings = striae_screening_get_findings (screening);
  for (guint i = 0; i < g_list_model_get_n_items (findings); i++)
    {
      g_autoptr(StriaeFinding) finding = g_list_model_get_item (findings, i);

      striae_consultation_set_acknowledged (consultation, striae_finding_get_id (finding),
                                            TRUE);
    }
}

StriaeTreatmentSession *
striae_test_session_new (StriaeConsultation *consultation,
                         guint               number,
                         const char         *date,
                         const char         *lot)
{
  StriaeTreatmentSession *s = striae_treatment_session_new_for (consultation);
  g_autoptr(StriaeSessionProduct) product =
    striae_session_product_new ("Numbing cream", lot, striae_test_date ("2028-01-31"));
  g_autoptr(StriaeSessionArea) area =
    g_list_model_get_item (striae_treatment_session_get_areas (s), 0);

  striae_treatment_session_set_number (s, number);
  striae_treatment_session_set_date (s, striae_test_date (date));
  striae_treatment_session_set_time (s, 14 * 60);
  striae_treatment_session_set_practitioner (s, "Dr Roux");
  striae_treatment_session_set_numbing_cream (s, FALSE);
  striae_treatment_session_set_tolerance (s, 3);
  striae_session_area_set_passes (area, 4);
  striae_treatment_session_add_product (s, product);
  striae_session_check_set_result (striae_treatment_session_get_check (s),
                                   STRIAE_CHECK_RESULT_CLEAR);
  return s;
}

StriaeConsultation *
striae_test_store_add_course (StriaeStore *store,
                              gint64       patient,
                              StriaeSide   side,
                              guint        maintenance_months)
{
  g_autoptr(StriaeConsultation) c = striae_consultation_new ();
  g_autoptr(StriaeArea) area = striae_area_new (STRIAE_BODY_SITE_THIGHS);
  StriaePlan *plan = striae_consultation_get_plan (c);
  g_autoptr(GError) error = NULL;

  striae_consultation_set_patient_id (c, patient);
  striae_consultation_set_date (c, striae_test_date ("2026-03-02"));
  striae_consultation_set_practitioner (c, "Dr Roux");
  for (guint q = 0; q < STRIAE_N_QUESTIONS; q++)
    striae_history_set_answer (striae_consultation_get_history (c), q, STRIAE_ANSWER_NO);
  for (guint f = 0; f < STRIAE_N_SKIN_FACTS; f++)
    striae_skin_set_fact (striae_consultation_get_skin (c), f, STRIAE_ANSWER_NO);
  striae_skin_set_fitzpatrick (striae_consultation_get_skin (c), 3);
  if (side != STRIAE_SIDE_NOT_APPLICABLE)
    striae_area_set_side (area, side);
  striae_area_set_severity (area, STRIAE_SEVERITY_MODERATE);
  striae_area_set_mark_type (area, STRIAE_MARK_TYPE_ALBAE);
  striae_area_set_depth (area, 1.0);
  striae_consultation_add_area (c, area);
  striae_plan_set_device (plan, STRIAE_DEVICE_PEN);
  striae_plan_set_sessions (plan, 3);
  striae_plan_set_interval_weeks (plan, 4);
  striae_plan_set_first_session (plan, striae_test_date ("2026-03-09"));
  striae_plan_set_maintenance_months (plan, maintenance_months);
  acknowledge_all (store, patient, c);
  striae_consultation_set_status (c, STRIAE_CONSULTATION_STATUS_COMPLETE);
  g_assert_true (striae_store_save_consultation (store, c, "Dr Roux", &error));
  g_assert_no_error (error);
  return g_steal_pointer (&c);
}

StriaeConsultation *
striae_test_store_sign_course (StriaeStore        *store,
                               StriaeConsultation *consultation)
{
  gint64 id = striae_consultation_get_id (consultation);
  g_autoptr(GError) error = NULL;
  StriaeConsultation *read;

  g_assert_true (striae_store_sign_consultation (store, id, "Dr Roux", &error));
  g_assert_no_error (error);
  read = striae_store_get_consultation (store, id, &error);
  g_assert_no_error (error);
  return read;
}

gint64
striae_test_store_add_signed_course (StriaeStore *store,
                                     gint64       patient,
                                     StriaeSide   side)
{
  g_autoptr(StriaeConsultation) c = striae_test_store_add_course (store, patient, side, 0);
  g_autoptr(StriaeConsultation) read = striae_test_store_sign_course (store, c);

  return striae_consultation_get_id (read);
}

void
striae_test_records_set_up (StriaeTestRecords *records,
                            gconstpointer      data)
{
  g_autoptr(GError) error = NULL;

  records->dir = g_dir_make_tmp ("striae-records-XXXXXX", &error);
  g_assert_no_error (error);
  records->location = striae_test_store_location (records->dir);
  records->store = striae_test_store_open (records->location);
  records->patient = striae_test_store_add_patient (records->store, "Inès", "Moreau");
}

void
striae_test_records_tear_down (StriaeTestRecords *records,
                               gconstpointer      data)
{
  g_clear_object (&records->store);
  striae_test_store_remove (records->location);
  g_assert_cmpint (g_rmdir (records->dir), ==, 0);
  g_free (records->location);
  g_free (records->dir);
}
