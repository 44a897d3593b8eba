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
  void       (*exec)       (const char *location,
                            const char *sql);
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
    sqlite_exec, sqlite_dump },
};

const char *
striae_test_backend (void)
{
  const char *name = g_getenv ("STRIAE_TEST_BACKEND");

  return name != NULL && name[0] != '\0' ? name : "sqlite";
}

gboolean
striae_test_backend_is (const char *name)
{
  return g_strcmp0 (striae_test_backend (), name) == 0;
}

/* The backend under test; a name no row has stops the test (a run meant for a backend
 * must not pass without it). */
static const TestBackend *
backend (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (backends); i++)
    if (striae_test_backend_is (backends[i].name))
      return &backends[i];

  g_error ("STRIAE_TEST_BACKEND names no backend the tests know: %s", striae_test_backend ());
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

void
striae_test_store_exec (const char *location,
                        const char *sql)
{
  backend ()->exec (location, sql);
}

char *
striae_test_store_dump (const char *location)
{
  return backend ()->dump (location);
}
