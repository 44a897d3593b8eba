/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <sqlite3.h>
#include <string.h>

#include "striae-store.h"
#include "striae-test-date.h"
#include "striae-test-files.h"

/* The audit key in a real keyring: a gnome-keyring-daemon on a private session bus, with its
 * own HOME (tests/run-keyring starts both and says in STRIAE_TEST_KEYRING whether it could).
 * Where the keyring cannot be started the test is skipped, except under CI=true, where it
 * fails: CI must run it. */

static const SecretSchema key_schema = {
  "io.github.striae.Striae.AuditKey", SECRET_SCHEMA_NONE,
  {
    { "database", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

static gboolean
keyring_ready (void)
{
  const char *state = g_getenv ("STRIAE_TEST_KEYRING");

  if (g_strcmp0 (state, "ready") == 0)
    return TRUE;

  if (state == NULL)
    state = "the test was not run through tests/run-keyring";
  if (g_strcmp0 (g_getenv ("CI"), "true") == 0)
    {
      g_test_message ("No keyring: %s", state);
      g_test_fail ();
    }
  else
    g_test_skip (state);
  return FALSE;
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

static void
run_sql (const char *path,
         const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

static void
add_patients (StriaeStore *store,
              guint        n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(StriaePatient) patient = striae_patient_new ();
      g_autoptr(GError) error = NULL;

      striae_patient_set_given_name (patient, "Léa");
      striae_patient_set_family_name (patient, "Garnier");
      striae_patient_set_birth_date (patient, striae_test_date ("1988-02-29"));
      g_assert_true (striae_store_add_patient (store, patient, &error));
      g_assert_no_error (error);
    }
}

static char *
keyring_secret (const char *database_id)
{
  g_autoptr(GError) error = NULL;
  char *secret = secret_password_lookup_sync (&key_schema, NULL, &error,
                                              "database", database_id, NULL);

  g_assert_no_error (error);
  return secret;
}

static char *
make_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("striae-keyring-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

/* With a usable keyring, the default place for the key is the keyring: no key file, the
 * secret holds the key and the head, and the head follows each write. */
static void
test_default_is_keyring (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *id = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *place = NULL;
  g_autofree char *folder = g_build_filename (g_get_user_config_dir (), "striae", NULL);
  g_autoptr(StriaeStore) store = NULL;
  g_autoptr(StriaeAuditReport) report = NULL;
  g_autoptr(GError) error = NULL;

  if (!keyring_ready ())
    return;

  dir = make_dir ();
  path = g_build_filename (dir, "striae.db", NULL);
  g_unsetenv ("STRIAE_AUDIT_KEY_DIR");
  store = striae_store_open (path, &error);
  g_assert_no_error (error);
  add_patients (store, 3);

  id = sql_text (path, "SELECT value FROM settings WHERE key = 'database-id'");
  place = sql_text (path, "SELECT value FROM settings WHERE key = 'audit-key-place'");
  g_assert_cmpstr (place, ==, "keyring");
  secret = keyring_secret (id);
  g_assert_nonnull (secret);
  g_assert_nonnull (strstr (secret, "[Key]\nSecret="));
  g_assert_nonnull (strstr (secret, "LastEntry=3\n"));
  g_assert_false (g_file_test (folder, G_FILE_TEST_EXISTS));

  report = striae_store_check_audit (store, &error);
  g_assert_no_error (error);
  g_assert_true (striae_audit_report_is_intact (report));
  g_assert_cmpint (striae_audit_report_get_n_entries (report), ==, 3);
  g_clear_object (&report);

  /* An edit and a cut through the file are found with the key from the keyring. */
  run_sql (path, "UPDATE audit SET actor = 'nobody' WHERE id = 1;"
                 "DELETE FROM audit WHERE id = 3;"
                 "UPDATE sqlite_sequence SET seq = 2 WHERE name = 'audit'");
  report = striae_store_check_audit (store, &error);
  g_assert_no_error (error);
  g_assert_cmpint (striae_audit_report_get_first_entry (report, STRIAE_AUDIT_DAMAGE_EDITED),
                   ==, 1);
  g_assert_cmpint (striae_audit_report_get_first_entry (report, STRIAE_AUDIT_DAMAGE_CUT), ==,
                   3);

  g_clear_object (&store);
  striae_test_remove_tree (dir);
}

/* Two databases on one account have two keys. */
static void
test_two_databases (void)
{
  g_autoptr(StriaeAuditAnchor) anchor = striae_audit_anchor_new_for_keyring ();
  g_autofree char *dir = NULL;
  g_autofree char *first_path = NULL;
  g_autofree char *second_path = NULL;
  g_autofree char *first_id = NULL;
  g_autofree char *second_id = NULL;
  g_autofree char *first_secret = NULL;
  g_autofree char *second_secret = NULL;
  g_autoptr(StriaeStore) first = NULL;
  g_autoptr(StriaeStore) second = NULL;
  g_autoptr(GError) error = NULL;

  if (!keyring_ready ())
    return;

  dir = make_dir ();
  first_path = g_build_filename (dir, "first.db", NULL);
  second_path = g_build_filename (dir, "second.db", NULL);
  first = striae_store_open_with_anchor (first_path, STRIAE_STORE_OPEN_FLAGS_NONE, anchor,
                                         &error);
  g_assert_no_error (error);
  second = striae_store_open_with_anchor (second_path, STRIAE_STORE_OPEN_FLAGS_NONE, anchor,
                                          &error);
  g_assert_no_error (error);
  add_patients (first, 1);
  add_patients (second, 2);

  first_id = sql_text (first_path, "SELECT value FROM settings WHERE key = 'database-id'");
  second_id = sql_text (second_path, "SELECT value FROM settings WHERE key = 'database-id'");
  g_assert_cmpstr (first_id, !=, second_id);
  first_secret = keyring_secret (first_id);
  second_secret = keyring_secret (second_id);
  g_assert_nonnull (strstr (first_secret, "LastEntry=1\n"));
  g_assert_nonnull (strstr (second_secret, "LastEntry=2\n"));
  g_assert_cmpstr (strstr (first_secret, "Secret="), !=, strstr (second_secret, "Secret="));
  g_assert_true (striae_store_verify_audit (first, NULL, NULL, &error));
  g_assert_true (striae_store_verify_audit (second, NULL, NULL, &error));
  g_assert_no_error (error);

  g_clear_object (&first);
  g_clear_object (&second);
  striae_test_remove_tree (dir);
}

/* A locked keyring that cannot be unlocked (no one to type the password here): a key in it
 * cannot be read, which is an error, not an empty log; a new database keeps its key in a
 * key file instead. */
static void
test_locked (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *other = NULL;
  g_autofree char *place = NULL;
  g_autoptr(StriaeStore) store = NULL;
  g_autoptr(StriaeStore) fresh = NULL;
  g_autoptr(StriaeAuditReport) report = NULL;
  g_autoptr(SecretService) service = NULL;
  g_autoptr(SecretCollection) collection = NULL;
  g_autoptr(GError) error = NULL;
  GList *locked = NULL;

  if (!keyring_ready ())
    return;

  dir = make_dir ();
  path = g_build_filename (dir, "striae.db", NULL);
  other = g_build_filename (dir, "other.db", NULL);
  g_unsetenv ("STRIAE_AUDIT_KEY_DIR");
  store = striae_store_open (path, &error);
  g_assert_no_error (error);
  add_patients (store, 2);

  service = secret_service_get_sync (SECRET_SERVICE_LOAD_COLLECTIONS, NULL, &error);
  g_assert_no_error (error);
  collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT,
                                                 SECRET_COLLECTION_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (collection);
  locked = g_list_append (NULL, collection);
  g_assert_cmpint (secret_service_lock_sync (service, locked, NULL, NULL, &error), ==, 1);
  g_list_free (locked);
  g_assert_no_error (error);

  report = striae_store_check_audit (store, &error);
  g_assert_null (report);
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FAILED);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  g_assert_false (striae_store_log_event (store, STRIAE_AUDIT_VIEW, 0, 0, "", &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FAILED);
  g_clear_error (&error);

  fresh = striae_store_open (other, &error);
  g_assert_no_error (error);
  add_patients (fresh, 1);
  place = sql_text (other, "SELECT value FROM settings WHERE key = 'audit-key-place'");
  g_assert_cmpstr (place, ==, "file");
  g_assert_true (striae_store_verify_audit (fresh, NULL, NULL, &error));
  g_assert_no_error (error);

  g_clear_object (&store);
  g_clear_object (&fresh);
  striae_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/audit-keyring/default-is-keyring", test_default_is_keyring);
  g_test_add_func ("/audit-keyring/two-databases", test_two_databases);
  g_test_add_func ("/audit-keyring/locked", test_locked);

  return g_test_run ();
}
