/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "striae-test-store.h"

/* One backend under test: where a test's records go, and how SQL reaches them behind the
 * store's back. A PostgreSQL backend adds a row here (a database per test on the server
 * that STRIAE_TEST_POSTGRESQL names, reached with libpq). */
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
  static const char * const suffixes[] = { "", "-wal", "-shm", "-journal" };

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

static const TestBackend backends[] = {
  { "sqlite", sqlite_location, sqlite_remove, sqlite_query_int, sqlite_query_text,
    sqlite_query_column, sqlite_exec, sqlite_try_exec, sqlite_assert_intact, sqlite_dump },
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

/* A new, empty place for records on the backend under test, for a test whose own files go
 * in @dir. */
char *
striae_test_store_location (const char *dir)
{
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
