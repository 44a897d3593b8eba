/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "sqlite/striae-sqlite-backend.h"
#include "striae-store.h"
#include "striae-test-date.h"

/* The seam under the records layer (StriaeStoreBackend), through its SQLite implementation:
 * what the records layer relies on from any backend. */

typedef struct
{
  char *dir;
  char *path;
  int   committed;
  int   rolled_back;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StriaeStore) store = NULL;

  fixture->dir = g_dir_make_tmp ("striae-backend-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "striae.db", NULL);

  /* The records layer creates and migrates the schema. */
  store = striae_store_open (fixture->path, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  static const char * const suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (fixture->path, suffixes[i], NULL);

      g_unlink (file);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static void
committed_cb (gpointer data)
{
  ((Fixture *) data)->committed++;
}

static void
rolled_back_cb (gpointer data)
{
  ((Fixture *) data)->rolled_back++;
}

static StriaeStoreBackend *
open_backend (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *notice = NULL;
  StriaeSqliteBackend *backend;
  int version = -1;

  backend = striae_sqlite_backend_open (fixture->path, FALSE, FALSE, committed_cb, rolled_back_cb,
                                        fixture, &version, &notice, &error);
  g_assert_no_error (error);
  g_assert_nonnull (backend);
  g_assert_cmpint (version, ==, striae_store_get_latest_schema_version ());
  g_assert_null (notice);
  g_assert_true (striae_store_backend_ready (STRIAE_STORE_BACKEND (backend), &error));
  g_assert_no_error (error);
  g_assert_cmpstr (striae_sqlite_backend_get_path (backend), ==, fixture->path);

  return STRIAE_STORE_BACKEND (backend);
}

static void
test_engine (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(StriaeStoreBackend) backend = open_backend (fixture);
  g_autofree char *engine = striae_store_backend_dup_engine (backend);

  g_assert_true (STRIAE_IS_STORE_BACKEND (backend));
  g_assert_true (g_str_has_prefix (engine, "SQLite 3."));
}

/* The records layer hears of every commit and rollback: the audit head follows them. */
static void
test_transactions (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(StriaeStoreBackend) backend = open_backend (fixture);
  g_autoptr(GError) error = NULL;
  int committed = fixture->committed;

  striae_store_backend_lock (backend);
  g_assert_true (striae_store_backend_begin (backend, &error));
  g_assert_no_error (error);
  g_assert_true (striae_store_backend_commit (backend, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fixture->committed, ==, committed + 1);

  g_assert_true (striae_store_backend_begin (backend, &error));
  g_assert_no_error (error);
  striae_store_backend_rollback (backend);
  g_assert_cmpint (fixture->rolled_back, ==, 1);
  g_assert_cmpint (fixture->committed, ==, committed + 1);

  /* Outside a transaction, rolling back does nothing. */
  striae_store_backend_rollback (backend);
  g_assert_cmpint (fixture->rolled_back, ==, 1);
  striae_store_backend_unlock (backend);
}

static void
test_planned_sessions_empty (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(StriaeStoreBackend) backend = open_backend (fixture);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;
  GDate day;

  g_date_set_dmy (&day, 2, G_DATE_APRIL, 2024);
  ids = striae_store_backend_find_planned_sessions (backend, &day, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ids);
  g_assert_cmpuint (ids->len, ==, 0);
}

/* The backend's search, as the records layer asks for it: prefixes of every word, the digits
 * of a phone number run together, everyone for nothing searchable, archived ones apart. */
static void
test_search (Fixture       *fixture,
             gconstpointer  data)
{
  const char *names[][3] = {
    { "Inès", "Moreau", "06 12 34 56 78" },
    { "Jan", "Kowalski", "+48 601 222 333" },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(StriaeStoreBackend) backend = NULL;
  g_autoptr(GArray) ids = NULL;
  gint64 first = 0;

  {
    g_autoptr(StriaeStore) store = striae_store_open (fixture->path, &error);

    g_assert_no_error (error);
    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      {
        g_autoptr(StriaePatient) patient = striae_patient_new ();

        striae_patient_set_given_name (patient, names[i][0]);
        striae_patient_set_family_name (patient, names[i][1]);
        striae_patient_set_birth_date (patient, striae_test_date ("1991-04-02"));
        striae_patient_set_phone (patient, names[i][2]);
        g_assert_true (striae_store_add_patient (store, patient, &error));
        g_assert_no_error (error);
        if (i == 0)
          first = striae_patient_get_id (patient);
      }
  }

  backend = open_backend (fixture);

  ids = striae_store_backend_search_patients (backend, "mor", 0, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 1);
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, first);
  g_clear_pointer (&ids, g_array_unref);

  ids = striae_store_backend_search_patients (backend, "ines mo", 0, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 1);
  g_clear_pointer (&ids, g_array_unref);

  ids = striae_store_backend_search_patients (backend, "0612", 0, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 1);
  g_clear_pointer (&ids, g_array_unref);

  /* Query syntax typed is only separators. */
  ids = striae_store_backend_search_patients (backend, "\"*)( -:", 0, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 2);
  g_clear_pointer (&ids, g_array_unref);

  ids = striae_store_backend_search_patients (backend, "", 1, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 1);
  g_clear_pointer (&ids, g_array_unref);

  ids = striae_store_backend_search_patients (backend, "mor", 0, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 0);
}

/* Patient rows: not found is no error at this level (the records layer says it). */
static void
test_patients (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StriaeStoreBackend) backend = NULL;
  g_autoptr(StriaePatient) got = NULL;
  g_autoptr(StriaePatient) patient = striae_patient_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) created = NULL;
  StriaeStorePatientKeys keys = { (char *) "0612", (char *) "moreau\x1fines", (char *) "" };
  gboolean found = TRUE, archived = TRUE, changed = FALSE;
  gint64 id;

  {
    g_autoptr(StriaeStore) store = striae_store_open (fixture->path, &error);

    g_assert_no_error (error);
    striae_patient_set_given_name (patient, "Inès");
    striae_patient_set_family_name (patient, "Moreau");
    striae_patient_set_birth_date (patient, striae_test_date ("1991-04-02"));
    g_assert_true (striae_store_add_patient (store, patient, &error));
    g_assert_no_error (error);
    id = striae_patient_get_id (patient);
  }

  backend = open_backend (fixture);
  g_assert_cmpint (striae_store_backend_count_patients (backend, &error), ==, 1);
  g_assert_no_error (error);

  g_assert_true (striae_store_backend_get_patient (backend, id, &got, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (striae_patient_get_family_name (got), ==, "Moreau");
  g_clear_object (&got);
  g_assert_true (striae_store_backend_get_patient (backend, id + 1, &got, &error));
  g_assert_no_error (error);
  g_assert_null (got);

  g_assert_true (striae_store_backend_get_patient_archived (backend, id, &found, &archived,
                                                            &error));
  g_assert_true (found);
  g_assert_false (archived);
  g_assert_true (striae_store_backend_get_patient_archived (backend, id + 1, &found,
                                                            &archived, &error));
  g_assert_false (found);

  striae_store_backend_lock (backend);
  g_assert_true (striae_store_backend_begin (backend, &error));
  g_assert_true (striae_store_backend_set_patient_archived (backend, id, TRUE, &found,
                                                            &changed, &error));
  g_assert_no_error (error);
  g_assert_true (found);
  g_assert_true (changed);
  g_assert_true (striae_store_backend_set_patient_archived (backend, id, TRUE, &found,
                                                            &changed, &error));
  g_assert_true (found);
  g_assert_false (changed);
  g_assert_true (striae_store_backend_set_patient_archived (backend, id + 1, TRUE, &found,
                                                            &changed, &error));
  g_assert_false (found);

  striae_patient_set_family_name (patient, "Moreau-Petit");
  g_assert_true (striae_store_backend_update_patient (backend, patient, &keys, now, &found,
                                                      &created, &error));
  g_assert_no_error (error);
  g_assert_true (found);
  g_assert_nonnull (created);
  g_clear_pointer (&created, g_date_time_unref);
  striae_patient_set_id (patient, id + 1);
  g_assert_true (striae_store_backend_update_patient (backend, patient, &keys, now, &found,
                                                      &created, &error));
  g_assert_false (found);
  g_assert_null (created);
  g_assert_true (striae_store_backend_commit (backend, &error));
  striae_store_backend_unlock (backend);

  g_assert_true (striae_store_backend_get_patient (backend, id, &got, &error));
  g_assert_cmpstr (striae_patient_get_family_name (got), ==, "Moreau-Petit");
  g_assert_true (striae_store_backend_get_patient_archived (backend, id, &found, &archived,
                                                            &error));
  g_assert_true (archived);
}

/* Empty keys, counting the rows the backend asked about. */
static void
empty_keys_cb (StriaePatient          *patient,
               StriaeStorePatientKeys *keys,
               gpointer                data)
{
  guint *n_calls = data;

  g_assert_true (STRIAE_IS_PATIENT (patient));
  keys->phone_digits = g_strdup ("");
  keys->sort_key = g_strdup ("");
  keys->search_names = g_strdup ("");
  (*n_calls)++;
}

/* Adding patients in the caller's transaction, one at a time with a record id and in a bulk
 * batch (which the SQLite backend stages), rolled back or committed whole; the keys of
 * each row are asked for once. */
static void
test_insert (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(StriaeStoreBackend) backend = open_backend (fixture);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) patients = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(StriaePatient) got = NULL;
  g_autofree gint64 *ids = NULL;
  const char *record_ids[] = { "0b7a1b3e-4d2c-4a57-9a53-5d1c0b8f1e01" };
  guint n = 1500;
  guint n_calls = 0;

  for (guint i = 0; i < n; i++)
    {
      StriaePatient *patient = striae_patient_new ();
      g_autofree char *family = g_strdup_printf ("Family%u", i);

      striae_patient_set_given_name (patient, "Ana");
      striae_patient_set_family_name (patient, family);
      striae_patient_set_birth_date (patient, striae_test_date ("1980-01-01"));
      g_ptr_array_add (patients, patient);
    }
  ids = g_new0 (gint64, n);

  striae_store_backend_lock (backend);

  /* Rolled back: nobody. */
  g_assert_true (striae_store_backend_begin (backend, &error));
  g_assert_true (striae_store_backend_insert_patients (backend, patients, empty_keys_cb,
                                                       &n_calls, NULL, now, ids, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_calls, ==, n);
  striae_store_backend_rollback (backend);
  striae_store_backend_unlock (backend);
  g_assert_cmpint (striae_store_backend_count_patients (backend, &error), ==, 0);

  striae_store_backend_lock (backend);
  g_assert_true (striae_store_backend_begin (backend, &error));
  g_assert_true (striae_store_backend_insert_patients (backend, patients, empty_keys_cb,
                                                       &n_calls, NULL, now, ids, &error));
  g_assert_no_error (error);
  for (guint i = 1; i < n; i++)
    g_assert_cmpint (ids[i], >, ids[i - 1]);
  g_ptr_array_set_size (patients, 1);
  g_assert_true (striae_store_backend_insert_patients (backend, patients, empty_keys_cb,
                                                       &n_calls, record_ids, now, ids,
                                                       &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_calls, ==, 2 * n + 1);
  g_assert_true (striae_store_backend_commit (backend, &error));
  striae_store_backend_unlock (backend);

  g_assert_cmpint (striae_store_backend_count_patients (backend, &error), ==, n + 1);
  g_assert_true (striae_store_backend_get_patient (backend, ids[0], &got, &error));
  g_assert_cmpstr (striae_patient_get_family_name (got), ==, "Family0");
  g_assert_true (g_date_time_equal (striae_patient_get_created (got), now));
}

/* One text of one row of @sql run on the file at @path, through a connection of its own. */
static char *
query_text (const char *path,
            const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *text = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return text;
}

/* The indexes and triggers of the patients table, the audit subjects and the audit log, as
 * SQLite keeps them, sorted by name. */
static char *
patients_schema (const char *path)
{
  return query_text (path, "SELECT group_concat (type || ' ' || name || ': ' || sql, '\n')"
                           "  FROM (SELECT type, name, sql FROM sqlite_master"
                           "          WHERE tbl_name IN ('patients', 'audit_subjects', 'audit')"
                           "            AND type != 'table'"
                           "          ORDER BY name)");
}

static gint64
query_int (const char *path,
           const char *sql)
{
  g_autofree char *text = query_text (path, sql);

  return g_ascii_strtoll (text, NULL, 10);
}

/* How full the leaves of the index @name are, from 0 to 1 (SQLite's dbstat table). An index
 * made again from its sorted keys fills its leaves; one that took its keys at random places
 * splits them and leaves them about 85 % full. */
static double
index_leaf_fill (const char *path,
                 const char *name)
{
  g_autofree char *sql = g_strdup_printf ("SELECT sum (pgsize - unused) * 1000 / sum (pgsize)"
                                          "  FROM dbstat WHERE name = '%s'"
                                          "    AND pagetype = 'leaf'", name);

  return query_int (path, sql) / 1000.0;
}

/* @n patients, families "Bulk<first>" to "Bulk<first + n - 1>"; the one named @fail (if any)
 * is "Fail". */
static GPtrArray *
make_patients (guint first,
               guint n,
               guint fail)
{
  GPtrArray *patients = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = first; i < first + n; i++)
    {
      StriaePatient *patient = striae_patient_new ();
      g_autofree char *family = g_strdup_printf ("Bulk%u", i);

      striae_patient_set_given_name (patient, "Ana");
      striae_patient_set_family_name (patient, i == fail ? "Fail" : family);
      striae_patient_set_birth_date (patient, striae_test_date ("1980-01-01"));
      g_ptr_array_add (patients, patient);
    }

  return patients;
}

/* Keys with the family name as search names, so that the full-text index has words. */
static void
family_keys_cb (StriaePatient          *patient,
                StriaeStorePatientKeys *keys,
                gpointer                data)
{
  keys->phone_digits = g_strdup ("");
  keys->sort_key = g_ascii_strdown (striae_patient_get_family_name (patient), -1);
  keys->search_names = g_ascii_strdown (striae_patient_get_family_name (patient), -1);
}

/* Inserts @patients in a transaction of its own; commits or rolls back as it went. */
static gboolean
insert_bulk (StriaeStoreBackend  *backend,
             GPtrArray           *patients,
             GError             **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree gint64 *ids = g_new0 (gint64, patients->len);
  gboolean ok;

  striae_store_backend_lock (backend);
  ok = striae_store_backend_begin (backend, error) &&
       striae_store_backend_insert_patients (backend, patients, family_keys_cb, NULL, NULL, now,
                                             ids, error) &&
       striae_store_backend_commit (backend, error);
  if (!ok)
    striae_store_backend_rollback (backend);
  striae_store_backend_unlock (backend);

  return ok;
}

/* What every bulk must leave: one unique audit subject per patient, a full-text index that
 * matches its rows, the file's indexes consistent, the patients table's schema unchanged. */
static void
assert_bulk_whole (const char *path,
                   const char *schema,
                   gint64      n_patients)
{
  g_autofree char *now_schema = patients_schema (path);
  g_autofree char *integrity = NULL;

  g_assert_cmpstr (now_schema, ==, schema);
  g_assert_cmpint (query_int (path, "SELECT count(*) FROM patients"), ==, n_patients);
  g_assert_cmpint (query_int (path, "SELECT count(DISTINCT subject) FROM audit_subjects"
                                    "  JOIN patients ON patients.id = patient_id"), ==,
                   n_patients);
  g_assert_cmpint (query_int (path, "SELECT count(*) FROM audit_subjects"), ==, n_patients);
  integrity = query_text (path, "PRAGMA integrity_check");
  g_assert_cmpstr (integrity, ==, "ok");
}

/* The full-text index against its rows (FTS5's integrity-check compares the index with the
 * content table), and the patients found by one family name. */
static void
assert_fts (const char *path,
            const char *family,
            gint64      n_found)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM patients_fts"
                                          "  WHERE patients_fts MATCH 'search_names : %s'",
                                          family);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO patients_fts (patients_fts, rank)"
                                     "  VALUES ('integrity-check', 1)", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_cmpint (query_int (path, sql), ==, n_found);
}

/* FTS5 writes each segment's first term of every leaf to its %_idx table: the number of
 * segments in the full-text index. */
#define FTS_SEGMENTS_SQL "SELECT count (DISTINCT segid) FROM patients_fts_idx"

static void
set_automerge (const char *path,
               int         value)
{
  g_autofree char *sql = g_strdup_printf ("INSERT INTO patients_fts (patients_fts, rank)"
                                          "  VALUES ('automerge', %d)", value);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* A bulk insert sets the patients' triggers and, when it is large next to the table, their
 * indexes and the audit subjects' aside (issue 15): a bulk that fails half-way leaves records
 * and schema as they were; one that succeeds, into an empty table, a small one or a large
 * one, leaves the same schema, a unique audit subject for each patient and a full-text index
 * that finds them; after a large one, the indexes were made again from their sorted keys. */
static void
test_insert_bulk (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(StriaeStoreBackend) backend = open_backend (fixture);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) failing = make_patients (0, 1500, 750);
  g_autoptr(GPtrArray) first = make_patients (0, 1500, G_MAXUINT);
  g_autoptr(GPtrArray) small = make_patients (1500, 1000, G_MAXUINT);
  g_autoptr(GPtrArray) large = make_patients (2500, 3000, G_MAXUINT);
  g_autofree char *initial = patients_schema (fixture->path);
  g_autofree char *schema = NULL;
  sqlite3 *db = NULL;

  g_assert_nonnull (strstr (initial, "patients_by_record_id"));
  g_assert_nonnull (strstr (initial, "patients_fts_insert"));
  g_assert_nonnull (strstr (initial, "audit_subjects_insert"));
  g_assert_nonnull (strstr (initial, "audit_by_subject"));
  g_assert_nonnull (strstr (initial, "audit_subjects_by_subject"));

  /* A trigger of the test's own stops the move half-way, at the patient named "Fail". */
  g_assert_cmpint (sqlite3_open_v2 (fixture->path, &db, SQLITE_OPEN_READWRITE, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TRIGGER test_fail BEFORE INSERT ON patients"
                                     "  WHEN new.family_name = 'Fail' BEGIN"
                                     "  SELECT RAISE (ABORT, 'half-way');"
                                     "END", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_true (insert_bulk (backend, first, &error));
  g_assert_no_error (error);
  schema = patients_schema (fixture->path);
  g_assert_nonnull (strstr (schema, "test_fail"));
  g_assert_false (insert_bulk (backend, failing, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  assert_bulk_whole (fixture->path, schema, 1500);
  g_assert_cmpint (sqlite3_exec (db, "DROP TRIGGER test_fail", NULL, NULL, NULL), ==,
                   SQLITE_OK);
  sqlite3_close (db);
  assert_bulk_whole (fixture->path, initial, 1500);
  assert_fts (fixture->path, "bulk749", 1);
  assert_fts (fixture->path, "fail", 0);

  /* Smaller than the table (its indexes stay), then larger (they are made again, and the
   * full-text index is fed with FTS5's merging off, then merged into one segment, the
   * table's own merge settings back as they were). */
  g_assert_true (insert_bulk (backend, small, &error));
  g_assert_no_error (error);
  assert_bulk_whole (fixture->path, initial, 2500);
  assert_fts (fixture->path, "bulk1999", 1);
  g_assert_cmpint (query_int (fixture->path, FTS_SEGMENTS_SQL), >, 1);
  set_automerge (fixture->path, 8);
  g_assert_true (insert_bulk (backend, large, &error));
  g_assert_no_error (error);
  assert_bulk_whole (fixture->path, initial, 5500);
  g_assert_cmpfloat (index_leaf_fill (fixture->path, "audit_subjects_by_subject"), >, 0.95);
  g_assert_cmpfloat (index_leaf_fill (fixture->path, "patients_by_record_id"), >, 0.95);
  g_assert_cmpint (query_int (fixture->path, FTS_SEGMENTS_SQL), ==, 1);
  g_assert_cmpint (query_int (fixture->path, "SELECT v FROM patients_fts_config"
                                             "  WHERE k = 'automerge'"), ==, 8);
  g_assert_cmpint (query_int (fixture->path, "SELECT coalesce (max (v), 16)"
                                             "  FROM patients_fts_config"
                                             "  WHERE k = 'crisismerge'"), ==, 16);
  assert_fts (fixture->path, "bulk0", 1);
  assert_fts (fixture->path, "bulk5499", 1);
  g_assert_cmpint (query_int (fixture->path, "SELECT count(*) FROM patients"
                                             "  WHERE record_id = ''"), ==, 0);
}

/* One patient, added in a transaction of its own, with @record_id. */
static gint64
add_patient (StriaeStoreBackend *backend,
             const char         *record_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) patients = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  StriaePatient *patient = striae_patient_new ();
  const char *record_ids[] = { record_id };
  guint n_calls = 0;
  gint64 id = 0;

  striae_patient_set_given_name (patient, "Inès");
  striae_patient_set_family_name (patient, "Moreau");
  striae_patient_set_birth_date (patient, striae_test_date ("1991-04-02"));
  g_ptr_array_add (patients, patient);

  striae_store_backend_lock (backend);
  g_assert_true (striae_store_backend_begin (backend, &error));
  g_assert_true (striae_store_backend_insert_patients (backend, patients, empty_keys_cb,
                                                       &n_calls, record_ids, now, &id,
                                                       &error));
  g_assert_true (striae_store_backend_commit (backend, &error));
  g_assert_no_error (error);
  striae_store_backend_unlock (backend);

  return id;
}

/* Settings: absent, set, replaced, removed; kept only when committed. */
static void
test_settings (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(StriaeStoreBackend) backend = open_backend (fixture);
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;

  striae_store_backend_lock (backend);
  g_assert_true (striae_store_backend_get_setting (backend, "test-key", &value, &error));
  g_assert_null (value);

  g_assert_true (striae_store_backend_begin (backend, &error));
  g_assert_true (striae_store_backend_set_setting (backend, "test-key", "one", &error));
  striae_store_backend_rollback (backend);
  g_assert_true (striae_store_backend_get_setting (backend, "test-key", &value, &error));
  g_assert_null (value);

  g_assert_true (striae_store_backend_begin (backend, &error));
  g_assert_true (striae_store_backend_set_setting (backend, "test-key", "one", &error));
  g_assert_true (striae_store_backend_set_setting (backend, "test-key", "two", &error));
  g_assert_true (striae_store_backend_commit (backend, &error));
  g_assert_true (striae_store_backend_get_setting (backend, "test-key", &value, &error));
  g_assert_cmpstr (value, ==, "two");
  g_clear_pointer (&value, g_free);

  g_assert_true (striae_store_backend_begin (backend, &error));
  g_assert_true (striae_store_backend_set_setting (backend, "test-key", NULL, &error));
  g_assert_true (striae_store_backend_commit (backend, &error));
  g_assert_true (striae_store_backend_get_setting (backend, "test-key", &value, &error));
  g_assert_null (value);
  g_assert_no_error (error);
  striae_store_backend_unlock (backend);
}

typedef struct
{
  GArray *ids;
  GPtrArray *details;
  gint64 consultation_id;   /* of the last row */
  gboolean subject_null;    /* of the last row */
  guint stop_after;         /* 0: never */
} Rows;

static gboolean
collect_row_cb (const StriaeStoreAuditRow *row,
                gpointer                   data)
{
  Rows *rows = data;
  const StriaeStoreValue *detail = &row->columns[STRIAE_AUDIT_COLUMN_DETAIL];
  const StriaeStoreValue *consultation = &row->columns[STRIAE_AUDIT_COLUMN_CONSULTATION_ID];

  g_assert_cmpint (detail->type, ==, STRIAE_STORE_VALUE_TEXT);
  g_array_append_val (rows->ids, row->id);
  g_ptr_array_add (rows->details, g_strndup ((const char *) detail->data, detail->size));
  rows->consultation_id = consultation->type == STRIAE_STORE_VALUE_INTEGER
                          ? consultation->integer : 0;
  rows->subject_null = row->columns[STRIAE_AUDIT_COLUMN_SUBJECT].type ==
                       STRIAE_STORE_VALUE_NULL;

  return rows->stop_after == 0 || rows->ids->len < rows->stop_after;
}

static void
rows_reset (Rows *rows)
{
  g_array_set_size (rows->ids, 0);
  g_ptr_array_set_size (rows->details, 0);
}

static void
append_row (StriaeStoreBackend *backend,
            gint64              id,
            const char         *subject,
            gint64              consultation_id,
            const char         *action,
            const char         *detail)
{
  g_autoptr(GError) error = NULL;
  StriaeStoreAuditEntry entry = {
    id, "2026-12-06T10:00:00Z", "tester", action, subject, consultation_id, detail,
    "0000000000000000000000000000000000000000000000000000000000000000",
  };

  g_assert_true (striae_store_backend_audit_append (backend, &entry, &error));
  g_assert_no_error (error);
}

/* The audit log as a backend keeps it: appended in the caller's transaction (a row rolled
 * back is gone), read back in order and filtered, its tail with the highest number given
 * and the seal at an entry, a snapshot scan that can stop, and a reseal. */
static void
test_audit (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(StriaeStoreBackend) backend = open_backend (fixture);
  g_autoptr(GError) error = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *nobody = NULL;
  g_auto(StriaeStoreAuditTail) tail = { 0 };
  Rows rows = { g_array_new (FALSE, FALSE, sizeof (gint64)),
                g_ptr_array_new_with_free_func (g_free) };
  gint64 patient = add_patient (backend, NULL);
  gint64 first, last_number = 0;

  striae_store_backend_lock (backend);
  g_assert_true (striae_store_backend_audit_get_subject (backend, patient, &subject, &error));
  g_assert_nonnull (subject);
  g_assert_true (striae_store_backend_audit_get_subject (backend, patient + 1000, &nobody,
                                                         &error));
  g_assert_null (nobody);

  g_assert_true (striae_store_backend_audit_get_tail (backend, 0, &tail, &error));
  first = tail.last_number + 1;
  striae_store_audit_tail_clear (&tail);

  /* A rolled back row is gone. */
  g_assert_true (striae_store_backend_begin (backend, &error));
  append_row (backend, first, NULL, 0, "view", "rolled back");
  striae_store_backend_rollback (backend);
  g_assert_true (striae_store_backend_audit_get_tail (backend, 0, &tail, &error));
  g_assert_cmpint (tail.last_number, ==, first - 1);
  striae_store_audit_tail_clear (&tail);

  g_assert_true (striae_store_backend_begin (backend, &error));
  append_row (backend, first, subject, 7, "export", "one");
  append_row (backend, first + 1, NULL, 0, "backup", "two");
  append_row (backend, first + 2, subject, 0, "print", "three");
  g_assert_true (striae_store_backend_commit (backend, &error));

  g_assert_true (striae_store_backend_audit_get_tail (backend, first + 1, &tail, &error));
  g_assert_cmpint (tail.last_number, ==, first + 2);
  g_assert_cmpint (tail.last_id, ==, first + 2);
  g_assert_cmpint (tail.last_seal.type, ==, STRIAE_STORE_VALUE_TEXT);
  g_assert_cmpint (tail.last_seal.size, ==, 64);
  g_assert_cmpstr (tail.seal_at, ==,
                   "0000000000000000000000000000000000000000000000000000000000000000");

  /* In order; after a number; at most a limit; about a patient; of an action. */
  g_assert_true (striae_store_backend_audit_read (backend, first - 1, 0, 0, NULL,
                                                  collect_row_cb, &rows, &error));
  g_assert_cmpuint (rows.ids->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (rows.details, 0), ==, "one");
  g_assert_cmpstr (g_ptr_array_index (rows.details, 2), ==, "three");
  rows_reset (&rows);
  g_assert_true (striae_store_backend_audit_read (backend, first, 1, 0, NULL,
                                                  collect_row_cb, &rows, &error));
  g_assert_cmpuint (rows.ids->len, ==, 1);
  g_assert_cmpint (g_array_index (rows.ids, gint64, 0), ==, first + 1);
  g_assert_true (rows.subject_null);
  rows_reset (&rows);
  g_assert_true (striae_store_backend_audit_read (backend, 0, 0, patient, NULL,
                                                  collect_row_cb, &rows, &error));
  g_assert_cmpuint (rows.ids->len, ==, 2);
  rows_reset (&rows);
  g_assert_true (striae_store_backend_audit_read (backend, 0, 0, patient, "export",
                                                  collect_row_cb, &rows, &error));
  g_assert_cmpuint (rows.ids->len, ==, 1);
  g_assert_cmpint (rows.consultation_id, ==, 7);
  rows_reset (&rows);

  /* A reseal changes the seal of that row only. */
  g_assert_true (striae_store_backend_begin (backend, &error));
  g_assert_true (striae_store_backend_audit_reseal (backend, first + 1,
                   "1111111111111111111111111111111111111111111111111111111111111111",
                   &error));
  g_assert_true (striae_store_backend_commit (backend, &error));
  striae_store_audit_tail_clear (&tail);
  g_assert_true (striae_store_backend_audit_get_tail (backend, first + 1, &tail, &error));
  g_assert_cmpstr (tail.seal_at, ==,
                   "1111111111111111111111111111111111111111111111111111111111111111");
  g_assert_no_error (error);
  striae_store_backend_unlock (backend);

  /* The scan reads everything, and stops when told. */
  g_assert_true (striae_store_backend_audit_scan (backend, &last_number, collect_row_cb,
                                                  &rows, &error));
  g_assert_cmpint (last_number, ==, first + 2);
  g_assert_cmpint (g_array_index (rows.ids, gint64, rows.ids->len - 1), ==, first + 2);
  rows_reset (&rows);
  rows.stop_after = 1;
  g_assert_true (striae_store_backend_audit_scan (backend, &last_number, collect_row_cb,
                                                  &rows, &error));
  g_assert_cmpuint (rows.ids->len, ==, 1);
  g_assert_no_error (error);

  g_array_unref (rows.ids);
  g_ptr_array_unref (rows.details);
}

static gboolean
count_revision_cb (const StriaeStoreRevisionText  *revision,
                   gpointer                        data,
                   GError                        **error)
{
  (*(guint *) data)++;
  return TRUE;
}

/* What an export and an import need, and an erasure that leaves nothing of the patient. */
static void
test_transfer (Fixture       *fixture,
               gconstpointer  data)
{
  static const char record_id[] = "0b7a1b3e-4d2c-4a57-9a53-5d1c0b8f1e02";
  g_autoptr(StriaeStoreBackend) backend = open_backend (fixture);
  g_autoptr(GError) error = NULL;
  g_autoptr(StriaePatient) patient = NULL;
  g_autofree char *stored_record_id = NULL;
  g_autofree char *subject = NULL;
  gboolean archived = TRUE, found = FALSE;
  g_autoptr(GDateTime) created = g_date_time_new_utc (2026, 12, 6, 10, 0, 0);
  gint64 id = add_patient (backend, record_id);
  gint64 found_id = 0, consultation = 0;
  guint n_revisions = 0;

  striae_store_backend_lock (backend);
  g_assert_true (striae_store_backend_get_patient_record (backend, id, &patient,
                                                          &stored_record_id, &archived,
                                                          &error));
  g_assert_cmpstr (striae_patient_get_family_name (patient), ==, "Moreau");
  g_assert_cmpstr (stored_record_id, ==, record_id);
  g_assert_false (archived);
  g_clear_object (&patient);
  g_clear_pointer (&stored_record_id, g_free);
  g_assert_true (striae_store_backend_get_patient_record (backend, id + 1, &patient,
                                                          &stored_record_id, &archived,
                                                          &error));
  g_assert_null (patient);

  g_assert_true (striae_store_backend_find_record_id (backend, record_id, &found_id, &error));
  g_assert_cmpint (found_id, ==, id);
  g_assert_true (striae_store_backend_find_record_id (backend, "no-such-record", &found_id,
                                                      &error));
  g_assert_cmpint (found_id, ==, 0);

  g_assert_true (striae_store_backend_begin (backend, &error));
  g_assert_true (striae_store_backend_insert_consultation (backend, id, created,
                                                           &consultation, &error));
  g_assert_true (striae_store_backend_commit (backend, &error));
  g_assert_cmpint (consultation, >, 0);
  g_assert_true (striae_store_backend_list_patient_revisions (backend, id, count_revision_cb,
                                                              &n_revisions, &error));
  g_assert_cmpuint (n_revisions, ==, 0);

  /* Erasure: not found is no error; found, the row and the audit subject are gone. */
  g_assert_true (striae_store_backend_begin (backend, &error));
  g_assert_true (striae_store_backend_erase_patient (backend, id + 1, &found, &error));
  g_assert_false (found);
  g_assert_true (striae_store_backend_erase_patient (backend, id, &found, &error));
  g_assert_true (found);
  g_assert_true (striae_store_backend_commit (backend, &error));
  striae_store_backend_purge_erased (backend);
  g_assert_true (striae_store_backend_get_patient_record (backend, id, &patient,
                                                          &stored_record_id, &archived,
                                                          &error));
  g_assert_null (patient);
  g_assert_true (striae_store_backend_audit_get_subject (backend, id, &subject, &error));
  g_assert_null (subject);
  g_assert_no_error (error);
  striae_store_backend_unlock (backend);
  g_assert_cmpint (striae_store_backend_count_patients (backend, &error), ==, 0);
}

static char **
seal_copy_cb (const StriaeStoreAuditTail  *tail,
              gpointer                     data,
              GError                     **error)
{
  const char *settings[] = { "backup-tail", NULL, NULL };
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, tail->last_id);

  (*(int *) data)++;
  settings[1] = text;
  return g_strdupv ((char **) settings);
}

static char **
refuse_seal_cb (const StriaeStoreAuditTail  *tail,
                gpointer                     data,
                GError                     **error)
{
  g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FAILED, "refused");
  return NULL;
}

/* A backup carries the settings the records layer gives for the copy's own tail, and only
 * the copy does; a refused seal leaves no file; a restore brings the copy back whole. */
static void
test_backup (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(StriaeStoreBackend) backend = open_backend (fixture);
  g_autoptr(GError) error = NULL;
  g_autofree char *copy = g_build_filename (fixture->dir, "copy.db", NULL);
  g_autofree char *value = NULL;
  g_auto(StriaeStoreAuditTail) tail = { 0 };
  g_autofree char *expected = NULL;
  int n_seals = 0;

  add_patient (backend, NULL);

  g_assert_false (striae_store_backend_backup (backend, copy, 0, refuse_seal_cb, NULL,
                                               &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_false (g_file_test (copy, G_FILE_TEST_EXISTS));

  g_assert_true (striae_store_backend_backup (backend, copy, 0, seal_copy_cb, &n_seals,
                                              &error));
  g_assert_no_error (error);
  g_assert_cmpint (n_seals, ==, 1);

  striae_store_backend_lock (backend);
  g_assert_true (striae_store_backend_get_setting (backend, "backup-tail", &value, &error));
  g_assert_null (value);
  g_assert_true (striae_store_backend_audit_get_tail (backend, 0, &tail, &error));
  expected = g_strdup_printf ("%" G_GINT64_FORMAT, tail.last_id);
  striae_store_backend_unlock (backend);

  /* Another patient after the backup goes away with the restore. */
  add_patient (backend, NULL);
  g_assert_cmpint (striae_store_backend_count_patients (backend, &error), ==, 2);
  g_assert_true (striae_store_backend_restore (backend, copy, &error));
  g_assert_no_error (error);
  g_assert_cmpint (striae_store_backend_count_patients (backend, &error), ==, 1);

  striae_store_backend_lock (backend);
  g_assert_true (striae_store_backend_get_setting (backend, "backup-tail", &value, &error));
  g_assert_cmpstr (value, ==, expected);
  striae_store_backend_unlock (backend);

  /* A file that is no backup is refused before anything changes. */
  g_assert_false (striae_store_backend_restore (backend, fixture->dir, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND);
  g_assert_cmpint (striae_store_backend_count_patients (backend, NULL), ==, 1);
  g_unlink (copy);
}

/* Consultations and revisions */

/* A revision row of consultation @id as the records layer hands it over. */
static void
revision_init (StriaeStoreRevision      *row,
               gint64                    id,
               guint                     revision,
               gint64                    patient_id,
               StriaeConsultationStatus  status,
               const char               *date,
               GDateTime                *now)
{
  g_autoptr(StriaeConsultation) consultation = striae_consultation_new ();

  striae_consultation_set_id (consultation, id);
  striae_consultation_set_revision (consultation, revision);
  striae_consultation_set_patient_id (consultation, patient_id);
  striae_consultation_set_status (consultation, status);
  striae_consultation_set_date (consultation, striae_test_date (date));
  striae_plan_set_first_session (striae_consultation_get_plan (consultation),
                                 striae_test_date (date));
  *row = (StriaeStoreRevision) {
    .consultation_id = id, .revision = revision, .patient_id = patient_id,
    .document = striae_consultation_to_json (consultation), .created = now, .updated = now,
  };
}

static gint64
add_consultation (StriaeStoreBackend       *backend,
                  gint64                    patient_id,
                  StriaeConsultationStatus  status,
                  const char               *date,
                  GDateTime                *now)
{
  g_autoptr(GError) error = NULL;
  StriaeStoreRevision row;
  gint64 id = 0;

  striae_store_backend_lock (backend);
  g_assert_true (striae_store_backend_begin (backend, &error));
  g_assert_true (striae_store_backend_insert_consultation (backend, patient_id, now, &id,
                                                           &error));
  g_assert_cmpint (id, >, 0);
  revision_init (&row, id, 1, patient_id, status, date, now);
  g_assert_true (striae_store_backend_insert_revision (backend, &row, &error));
  g_assert_true (striae_store_backend_commit (backend, &error));
  g_assert_no_error (error);
  striae_store_backend_unlock (backend);
  g_free (row.document);

  return id;
}

static void
assert_latest (StriaeStoreBackend       *backend,
               gint64                    id,
               gint64                    patient_id,
               guint                     revision,
               StriaeConsultationStatus  status)
{
  g_autoptr(GError) error = NULL;
  StriaeConsultationStatus got_status = -1;
  gint64 got_patient = 0;
  guint got_revision = 0;
  gboolean found = FALSE;

  striae_store_backend_lock (backend);
  g_assert_true (striae_store_backend_get_latest_status (backend, id, &found, &got_patient,
                                                         &got_revision, &got_status, &error));
  striae_store_backend_unlock (backend);
  g_assert_no_error (error);
  g_assert_true (found);
  g_assert_cmpint (got_patient, ==, patient_id);
  g_assert_cmpuint (got_revision, ==, revision);
  g_assert_cmpint (got_status, ==, status);
}

/* What the records layer relies on: the document comes back as it went in, its status is the
 * one the document holds, a signed revision cannot be changed even by a records layer that
 * forgot its rules, and lists come in the promised order. */
static void
test_consultations (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(StriaeStoreBackend) backend = open_backend (fixture);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_seconds (now, 60);
  g_autoptr(StriaeStoreRevision) got = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  StriaeStoreRevision row;
  gint64 patient = add_patient (backend, NULL);
  gint64 id, undated, newer, none = -1;
  gboolean found = FALSE, has_draft = FALSE;

  /* No such patient: no consultation, and no error. */
  striae_store_backend_lock (backend);
  g_assert_true (striae_store_backend_begin (backend, &error));
  g_assert_true (striae_store_backend_insert_consultation (backend, patient + 1, now, &none,
                                                           &error));
  g_assert_no_error (error);
  g_assert_cmpint (none, ==, 0);
  striae_store_backend_rollback (backend);
  striae_store_backend_unlock (backend);

  id = add_consultation (backend, patient, STRIAE_CONSULTATION_STATUS_DRAFT, "2024-03-01", now);
  assert_latest (backend, id, patient, 1, STRIAE_CONSULTATION_STATUS_DRAFT);
  g_assert_true (striae_store_backend_patient_has_draft (backend, patient, &has_draft, &error));
  g_assert_true (has_draft);

  /* Signing: the document says signed, the signature is kept beside it. */
  revision_init (&row, id, 1, patient, STRIAE_CONSULTATION_STATUS_SIGNED, "2024-03-01", later);
  row.signed_by = (char *) "Dr Roux";
  row.signed_at = later;
  striae_store_backend_lock (backend);
  g_assert_true (striae_store_backend_update_revision (backend, &row, &found, &error));
  g_assert_no_error (error);
  g_assert_true (found);

  /* Locked for good, whatever the records layer asks. */
  g_assert_false (striae_store_backend_update_revision (backend, &row, &found, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_LOCKED);
  g_clear_error (&error);

  g_assert_true (striae_store_backend_get_revision (backend, id, 0, &got, &error));
  striae_store_backend_unlock (backend);
  g_assert_nonnull (got);
  g_assert_cmpstr (got->document, ==, row.document);
  g_assert_cmpint (got->consultation_id, ==, id);
  g_assert_cmpint (got->patient_id, ==, patient);
  g_assert_cmpstr (got->signed_by, ==, "Dr Roux");
  g_assert_true (g_date_time_equal (got->signed_at, later));
  g_assert_true (g_date_time_equal (got->created, now));
  g_assert_true (g_date_time_equal (got->updated, later));
  g_free (row.document);
  assert_latest (backend, id, patient, 1, STRIAE_CONSULTATION_STATUS_SIGNED);
  g_assert_true (striae_store_backend_patient_has_draft (backend, patient, &has_draft, &error));
  g_assert_false (has_draft);

  /* An amendment: a second revision, listed after the first. */
  revision_init (&row, id, 2, patient, STRIAE_CONSULTATION_STATUS_DRAFT, "2024-03-01", later);
  striae_store_backend_lock (backend);
  g_assert_true (striae_store_backend_begin (backend, &error));
  g_assert_true (striae_store_backend_insert_revision (backend, &row, &error));
  g_assert_true (striae_store_backend_commit (backend, &error));
  list = striae_store_backend_list_revisions (backend, id, &error);
  striae_store_backend_unlock (backend);
  g_assert_no_error (error);
  g_free (row.document);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpuint (((StriaeStoreRevision *) list->pdata[0])->revision, ==, 1);
  g_assert_cmpuint (((StriaeStoreRevision *) list->pdata[1])->revision, ==, 2);
  assert_latest (backend, id, patient, 2, STRIAE_CONSULTATION_STATUS_DRAFT);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* Newest first by the document's date; one without a date by when it was started. */
  undated = add_consultation (backend, patient, STRIAE_CONSULTATION_STATUS_DRAFT, "", now);
  newer = add_consultation (backend, patient, STRIAE_CONSULTATION_STATUS_COMPLETE,
                            "2024-06-01", now);
  striae_store_backend_lock (backend);
  list = striae_store_backend_list_consultations (backend, patient, &error);
  striae_store_backend_unlock (backend);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);
  g_assert_cmpint (((StriaeStoreRevision *) list->pdata[0])->consultation_id, ==, undated);
  g_assert_cmpint (((StriaeStoreRevision *) list->pdata[1])->consultation_id, ==, newer);
  g_assert_cmpint (((StriaeStoreRevision *) list->pdata[2])->consultation_id, ==, id);
  g_assert_cmpuint (((StriaeStoreRevision *) list->pdata[2])->revision, ==, 2);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* Discarding: a revision, then a whole consultation. */
  striae_store_backend_lock (backend);
  g_assert_true (striae_store_backend_begin (backend, &error));
  g_assert_true (striae_store_backend_delete_revision (backend, id, 2, &error));
  g_assert_true (striae_store_backend_delete_consultation (backend, undated, &error));
  g_assert_true (striae_store_backend_commit (backend, &error));
  g_assert_no_error (error);
  g_clear_pointer (&got, striae_store_revision_free);
  g_assert_true (striae_store_backend_get_revision (backend, undated, 0, &got, &error));
  g_assert_null (got);
  list = striae_store_backend_list_consultations (backend, patient, &error);
  striae_store_backend_unlock (backend);
  g_assert_cmpuint (list->len, ==, 2);
  assert_latest (backend, id, patient, 1, STRIAE_CONSULTATION_STATUS_SIGNED);
}

/* The clinic's rules, the wizard's resume page, and the day's session candidates. */
static void
test_consultation_extras (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(StriaeStoreBackend) backend = open_backend (fixture);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *rules = NULL;
  g_autofree char *page = NULL;
  gint64 patient = add_patient (backend, NULL);
  g_autoptr(GArray) dates = NULL;
  gint64 draft, complete;
  gboolean found = TRUE;
  GDate day;

  draft = add_consultation (backend, patient, STRIAE_CONSULTATION_STATUS_DRAFT, "2024-04-02",
                            now);
  complete = add_consultation (backend, patient, STRIAE_CONSULTATION_STATUS_COMPLETE,
                               "2024-04-02", now);

  striae_store_backend_lock (backend);
  g_assert_true (striae_store_backend_get_rules (backend, &rules, &error));
  g_assert_null (rules);
  g_assert_true (striae_store_backend_set_rules (backend, "{\"format\": 1}", &error));
  g_assert_true (striae_store_backend_get_rules (backend, &rules, &error));
  g_assert_cmpstr (rules, ==, "{\"format\": 1}");

  g_assert_true (striae_store_backend_set_resume_page (backend, complete + 1, "skin", &found,
                                                       &error));
  g_assert_false (found);
  g_assert_true (striae_store_backend_set_resume_page (backend, draft, "skin", &found, &error));
  g_assert_true (found);
  striae_store_backend_unlock (backend);
  g_assert_no_error (error);

  g_assert_true (striae_store_backend_get_resume_page (backend, draft, &page, &error));
  g_assert_cmpstr (page, ==, "skin");
  g_clear_pointer (&page, g_free);
  g_assert_true (striae_store_backend_get_resume_page (backend, complete + 1, &page, &error));
  g_assert_null (page);
  g_assert_no_error (error);

  /* The index as the records layer writes it: drafts are no candidates, whatever is
   * indexed for them; a revision's dates are replaced, and go with it. */
  dates = g_array_new (FALSE, FALSE, sizeof (GDate));
  g_date_set_dmy (&day, 2, G_DATE_APRIL, 2024);
  g_array_append_val (dates, day);
  g_date_set_dmy (&day, 30, G_DATE_APRIL, 2024);
  g_array_append_val (dates, day);
  striae_store_backend_lock (backend);
  g_assert_true (striae_store_backend_begin (backend, &error));
  g_assert_true (striae_store_backend_set_planned_sessions (backend, draft, 1, dates, &error));
  g_assert_true (striae_store_backend_set_planned_sessions (backend, complete, 1, dates,
                                                            &error));
  g_assert_true (striae_store_backend_commit (backend, &error));
  striae_store_backend_unlock (backend);
  g_assert_no_error (error);

  g_date_set_dmy (&day, 30, G_DATE_APRIL, 2024);
  ids = striae_store_backend_find_planned_sessions (backend, &day, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 1);
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, complete);
  g_clear_pointer (&ids, g_array_unref);
  g_date_set_dmy (&day, 1, G_DATE_APRIL, 2024);
  ids = striae_store_backend_find_planned_sessions (backend, &day, &error);
  g_assert_cmpuint (ids->len, ==, 0);
  g_clear_pointer (&ids, g_array_unref);

  /* Replaced: the complete one now plans 1 April alone. */
  g_array_set_size (dates, 1);
  g_array_index (dates, GDate, 0) = day;
  striae_store_backend_lock (backend);
  g_assert_true (striae_store_backend_begin (backend, &error));
  g_assert_true (striae_store_backend_set_planned_sessions (backend, complete, 1, dates,
                                                            &error));
  g_assert_true (striae_store_backend_commit (backend, &error));
  striae_store_backend_unlock (backend);
  ids = striae_store_backend_find_planned_sessions (backend, &day, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 1);
  g_clear_pointer (&ids, g_array_unref);
  g_date_set_dmy (&day, 30, G_DATE_APRIL, 2024);
  ids = striae_store_backend_find_planned_sessions (backend, &day, &error);
  g_assert_cmpuint (ids->len, ==, 0);
  g_clear_pointer (&ids, g_array_unref);

  /* Deleted with the revision. */
  striae_store_backend_lock (backend);
  g_assert_true (striae_store_backend_begin (backend, &error));
  g_assert_true (striae_store_backend_delete_consultation (backend, complete, &error));
  g_assert_true (striae_store_backend_commit (backend, &error));
  striae_store_backend_unlock (backend);
  g_assert_no_error (error);
  g_date_set_dmy (&day, 1, G_DATE_APRIL, 2024);
  ids = striae_store_backend_find_planned_sessions (backend, &day, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 0);
}

static char *
search_names_stub (const char *given,
                   const char *family)
{
  return g_strdup ("");
}

static gboolean
count_step (int        version,
            gpointer   data,
            GError   **error)
{
  GArray *steps = data;

  g_array_append_val (steps, version);
  return TRUE;
}

/* A new file is migrated by the backend, one step at a time, each step calling the records
 * layer's code after its statements; migrating again does nothing. */
static void
test_migrate (void)
{
  static const StriaeStoreMigrationHooks hooks = {
    .search_names = search_names_stub,
    .after_step = count_step,
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("striae-backend-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "striae.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autofree char *notice = NULL;
  g_autoptr(GArray) steps = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(StriaeSqliteBackend) sqlite = NULL;
  StriaeStoreBackend *backend;
  int latest = striae_store_get_latest_schema_version ();
  int version = -1;

  sqlite = striae_sqlite_backend_open (path, FALSE, FALSE, NULL, NULL, NULL, &version, &notice,
                                       &error);
  g_assert_no_error (error);
  backend = STRIAE_STORE_BACKEND (sqlite);
  g_assert_cmpint (version, ==, 0);
  g_assert_cmpint (striae_store_backend_get_schema_version (backend), ==, 0);
  g_assert_cmpint (striae_store_backend_get_latest_schema_version (backend), ==, latest);

  g_assert_true (striae_store_backend_migrate (backend, &hooks, steps, &error));
  g_assert_no_error (error);
  g_assert_cmpint (striae_store_backend_get_schema_version (backend), ==, latest);
  g_assert_cmpuint (steps->len, ==, (guint) latest);
  for (guint i = 0; i < steps->len; i++)
    g_assert_cmpint (g_array_index (steps, int, i), ==, (int) i + 1);

  g_assert_true (striae_store_backend_migrate (backend, &hooks, steps, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (steps->len, ==, (guint) latest);

  g_clear_object (&sqlite);
  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (dir);
}

/* A file that is not a database is refused by the backend, before anything writes to it. */
static void
test_refuses_foreign_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("striae-backend-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "notes.txt", NULL);
  g_autofree char *notice = NULL;
  g_autofree char *after = NULL;
  StriaeSqliteBackend *backend;
  const char text[] = "not a database, but long enough to have a header of a hundred bytes "
                      "if it were one; it is not, and it must stay as it is.";
  int version = -1;

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  backend = striae_sqlite_backend_open (path, FALSE, FALSE, NULL, NULL, NULL, &version, &notice,
                                        &error);
  g_assert_null (backend);
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_A_DATABASE);
  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, text);

  g_unlink (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/store-backend/engine", Fixture, NULL,
              fixture_set_up, test_engine, fixture_tear_down);
  g_test_add ("/store-backend/transactions", Fixture, NULL,
              fixture_set_up, test_transactions, fixture_tear_down);
  g_test_add ("/store-backend/planned-sessions-empty", Fixture, NULL,
              fixture_set_up, test_planned_sessions_empty, fixture_tear_down);
  g_test_add ("/store-backend/search", Fixture, NULL,
              fixture_set_up, test_search, fixture_tear_down);
  g_test_add ("/store-backend/patients", Fixture, NULL,
              fixture_set_up, test_patients, fixture_tear_down);
  g_test_add ("/store-backend/insert", Fixture, NULL,
              fixture_set_up, test_insert, fixture_tear_down);
  g_test_add ("/store-backend/insert-bulk", Fixture, NULL,
              fixture_set_up, test_insert_bulk, fixture_tear_down);
  g_test_add ("/store-backend/settings", Fixture, NULL,
              fixture_set_up, test_settings, fixture_tear_down);
  g_test_add ("/store-backend/audit", Fixture, NULL,
              fixture_set_up, test_audit, fixture_tear_down);
  g_test_add ("/store-backend/transfer", Fixture, NULL,
              fixture_set_up, test_transfer, fixture_tear_down);
  g_test_add ("/store-backend/backup", Fixture, NULL,
              fixture_set_up, test_backup, fixture_tear_down);
  g_test_add ("/store-backend/consultations", Fixture, NULL,
              fixture_set_up, test_consultations, fixture_tear_down);
  g_test_add ("/store-backend/consultation-extras", Fixture, NULL,
              fixture_set_up, test_consultation_extras, fixture_tear_down);
  g_test_add_func ("/store-backend/refuses-foreign-file", test_refuses_foreign_file);
  g_test_add_func ("/store-backend/migrate", test_migrate);

  return g_test_run ();
}
