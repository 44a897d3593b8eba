/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "striae-store.h"

/* The audit log: what writes rows, and that the hash chain finds edits made behind the
 * store's back. */

typedef struct
{
  char        *dir;
  char        *path;
  StriaeStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("striae-audit-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "striae.db", NULL);
  fixture->store = striae_store_open (fixture->path, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *wal = g_strconcat (fixture->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (fixture->path, "-shm", NULL);

  g_clear_object (&fixture->store);
  g_unlink (fixture->path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static void
run_sql (const char *path,
         const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

static char *
sql_text (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *text = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return text;
}

/* Adds a patient, edits them, adds, signs and amends a consultation, then deletes another
 * patient: 9 audit rows. */
static gint64
make_history (StriaeStore *store)
{
  g_autoptr(StriaePatient) patient = striae_patient_new ();
  g_autoptr(StriaePatient) other = striae_patient_new ();
  g_autoptr(StriaeConsultation) consultation = striae_consultation_new ();
  g_autoptr(StriaeConsultation) amended = NULL;
  g_autoptr(GError) error = NULL;

  striae_patient_set_given_name (patient, "Léa");
  striae_patient_set_family_name (patient, "Garnier");
  striae_patient_set_birth_date (patient, "1988-02-29");
  g_assert_true (striae_store_add_patient (store, patient, &error));             /* 1 */
  striae_patient_set_phone (patient, "01 23 45 67 89");
  g_assert_true (striae_store_update_patient (store, patient, &error));          /* 2 */

  striae_consultation_set_patient_id (consultation, striae_patient_get_id (patient));
  g_assert_true (striae_store_save_consultation (store, consultation, NULL, &error)); /* 3 */
  striae_consultation_set_status (consultation, STRIAE_CONSULTATION_STATUS_COMPLETE);
  g_assert_true (striae_store_save_consultation (store, consultation, NULL, &error)); /* 4 */
  g_assert_true (striae_store_sign_consultation (store,
                                                 striae_consultation_get_id (consultation),
                                                 "Dr Roux", &error));            /* 5 */
  amended = striae_store_amend_consultation (store, striae_consultation_get_id (consultation),
                                             NULL, &error);                      /* 6 */
  g_assert_no_error (error);
  g_assert_true (striae_store_log_event (store, STRIAE_AUDIT_PRINT,
                                         striae_patient_get_id (patient),
                                         striae_consultation_get_id (consultation),
                                         "aftercare", &error));                  /* 7 */

  striae_patient_set_given_name (other, "Tom");
  striae_patient_set_family_name (other, "Weber");
  striae_patient_set_birth_date (other, "1970-01-01");
  g_assert_true (striae_store_add_patient (store, other, &error));               /* 8 */
  g_assert_true (striae_store_erase_patient (store, striae_patient_get_id (other),
                                             &error));                         /* 9 */
  g_assert_no_error (error);

  return striae_patient_get_id (patient);
}

static void
assert_intact (StriaeStore *store,
               gint64       expected)
{
  g_autoptr(GError) error = NULL;
  gint64 n = -1, bad = -1;

  g_assert_true (striae_store_verify_audit (store, &n, &bad, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, expected);
  g_assert_cmpint (bad, ==, 0);
}

static void
assert_broken_at (StriaeStore *store,
                  gint64       row)
{
  g_autoptr(GError) error = NULL;
  gint64 bad = -1;

  g_assert_false (striae_store_verify_audit (store, NULL, &bad, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_TAMPERED);
  g_test_message ("%s", error->message);
  g_assert_cmpint (bad, ==, row);
}

static void
test_rows_written (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *actions = NULL;
  g_autofree char *actors = NULL;
  g_autofree char *names = NULL;
  g_autofree char *expected_actors = g_strconcat ("Dr Roux,system:", g_get_user_name (), NULL);

  assert_intact (fixture->store, 0);
  make_history (fixture->store);
  assert_intact (fixture->store, 9);

  actions = sql_text (fixture->path, "SELECT group_concat (action, ',') FROM "
                                     "(SELECT action FROM audit ORDER BY id)");
  g_assert_cmpstr (actions, ==,
                   "create,update,create,update,sign,amend,print,create,erase");
  actors = sql_text (fixture->path, "SELECT group_concat (actor) FROM "
                                    "(SELECT DISTINCT actor FROM audit ORDER BY actor)");
  g_assert_cmpstr (actors, ==, expected_actors);

  /* Timestamps are UTC ISO 8601; no row holds a patient's name or number. */
  g_assert_null (sql_text (fixture->path,
                           "SELECT at FROM audit WHERE at NOT GLOB "
                           "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T*Z'"));
  names = sql_text (fixture->path, "SELECT count (*) FROM audit WHERE detail LIKE '%Garnier%'"
                                   " OR subject GLOB '[0-9]' OR actor LIKE '%Garnier%'");
  g_assert_cmpstr (names, ==, "0");

  /* The practitioner the store is told about is named from then on. */
  striae_store_set_user (fixture->store, "Dr Vidal");
  g_assert_true (striae_store_log_event (fixture->store, STRIAE_AUDIT_VIEW, 1, 1, NULL, NULL));
  g_free (actors);
  actors = sql_text (fixture->path, "SELECT actor FROM audit ORDER BY id DESC LIMIT 1");
  g_assert_cmpstr (actors, ==, "Dr Vidal");
  assert_intact (fixture->store, 10);
}

static void
test_patient_change_and_audit_together (Fixture       *fixture,
                                        gconstpointer  data)
{
  g_autoptr(StriaePatient) patient = striae_patient_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *count = NULL;

  striae_patient_set_given_name (patient, "Léa");
  striae_patient_set_family_name (patient, "Garnier");
  striae_patient_set_birth_date (patient, "1988-02-29");
  g_assert_true (striae_store_add_patient (fixture->store, patient, &error));

  /* When the audit row cannot be written, the change is not made either. */
  run_sql (fixture->path, "CREATE TRIGGER no_audit BEFORE INSERT ON audit BEGIN"
                          "  SELECT RAISE (ABORT, 'no'); END;");
  striae_patient_set_family_name (patient, "Changed");
  g_assert_false (striae_store_update_patient (fixture->store, patient, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_false (striae_store_erase_patient (fixture->store, striae_patient_get_id (patient),
                                               &error));
  g_clear_error (&error);
  run_sql (fixture->path, "DROP TRIGGER no_audit");

  count = sql_text (fixture->path, "SELECT family_name FROM patients");
  g_assert_cmpstr (count, ==, "Garnier");
  assert_intact (fixture->store, 1);
}

typedef struct
{
  const char *name;
  const char *sql;
  gint64      bad_row;
} Tampering;

static const Tampering tamperings[] = {
  { "edit-detail", "UPDATE audit SET detail = 'nothing' WHERE id = 5", 5 },
  { "edit-actor", "UPDATE audit SET actor = 'Dr Nobody' WHERE id = 3", 3 },
  { "edit-time", "UPDATE audit SET at = '2000-01-01T00:00:00.000000Z' WHERE id = 1", 1 },
  { "edit-last", "UPDATE audit SET action = 'view' WHERE id = 9", 9 },
  { "rehash-one", "UPDATE audit SET detail = 'x', hash = lower (hex (randomblob (32)))"
                  "  WHERE id = 4", 4 },
  { "delete-middle", "DELETE FROM audit WHERE id = 6", 6 },
  { "delete-last", "DELETE FROM audit WHERE id = 9", 9 },
  { "reorder", "UPDATE audit SET id = 100 WHERE id = 2;"
               "UPDATE audit SET id = 2 WHERE id = 3;"
               "UPDATE audit SET id = 3 WHERE id = 100", 2 },
};

static void
test_tampering (Fixture       *fixture,
                gconstpointer  data)
{
  const Tampering *tampering = data;

  make_history (fixture->store);
  assert_intact (fixture->store, 9);

  run_sql (fixture->path, tampering->sql);
  assert_broken_at (fixture->store, tampering->bad_row);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/audit/rows", Fixture, NULL, fixture_set_up, test_rows_written,
              fixture_tear_down);
  g_test_add ("/audit/same-transaction", Fixture, NULL, fixture_set_up,
              test_patient_change_and_audit_together, fixture_tear_down);
  for (guint i = 0; i < G_N_ELEMENTS (tamperings); i++)
    {
      g_autofree char *path = g_strdup_printf ("/audit/tampering/%s", tamperings[i].name);

      g_test_add (path, Fixture, &tamperings[i], fixture_set_up, test_tampering,
                  fixture_tear_down);
    }

  return g_test_run ();
}
