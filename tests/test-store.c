/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <locale.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sqlite/striae-sqlite-backend.h"
#include "striae-store.h"
#include "striae-test-files.h"
#include "striae-test-store.h"
#include "striae-test-date.h"

/* Two kinds of case. Those on a Fixture set up by records_set_up() hold for every backend:
 * their records are the backend's under test (tests/striae-test-store.h), at @location. The
 * others look at what only a SQLite file allows (its bytes, header, mode, write-ahead log,
 * the folder it is made in) and are registered only when the backend under test is SQLite;
 * their file is @path, in a folder that does not exist yet. */
typedef struct
{
  char *dir;
  char *path;
  char *location;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("striae-store-XXXXXX", &error);
  g_assert_no_error (error);
  /* A folder that does not exist yet, so that opening has to create it. */
  fixture->path = g_build_filename (fixture->dir, "data", "striae.db", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *data_dir = g_path_get_dirname (fixture->path);

  /* Tests that take permissions away give them back before removing. */
  g_chmod (data_dir, 0700);
  striae_test_remove_tree (fixture->dir);
  g_clear_pointer (&fixture->dir, g_free);
  g_clear_pointer (&fixture->path, g_free);
}

static void
records_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture_set_up (fixture, data);
  fixture->location = striae_test_store_location (fixture->dir);
}

static void
records_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  striae_test_store_remove (fixture->location);
  g_clear_pointer (&fixture->location, g_free);
  fixture_tear_down (fixture, data);
}

static StriaePatient *
make_patient (const char *given,
              const char *family,
              const char *birth_date,
              const char *phone,
              const char *email)
{
  StriaePatient *patient = striae_patient_new ();

  striae_patient_set_given_name (patient, given);
  striae_patient_set_family_name (patient, family);
  striae_patient_set_birth_date (patient, striae_test_date (birth_date));
  striae_patient_set_phone (patient, phone);
  striae_patient_set_email (patient, email);
  return patient;
}

static StriaeStore *
open_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  StriaeStore *store = striae_store_open (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

static gint64
add (StriaeStore *store,
     const char  *given,
     const char  *family,
     const char  *birth_date,
     const char  *phone,
     const char  *email)
{
  g_autoptr(StriaePatient) patient = make_patient (given, family, birth_date, phone, email);
  g_autoptr(GError) error = NULL;

  g_assert_true (striae_store_add_patient (store, patient, &error));
  g_assert_no_error (error);
  g_assert_cmpint (striae_patient_get_id (patient), >, 0);
  return striae_patient_get_id (patient);
}

/* Runs SQL straight through SQLite, to make files the store must refuse and to look at the
 * files it writes (in the cases only SQLite runs). */
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

static gint64
sql_int (const char *path,
         const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static void
make_data_dir (Fixture *fixture)
{
  g_autofree char *dir = g_path_get_dirname (fixture->path);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
}

static void
write_file (const char *path,
            const char *contents,
            gssize      length)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
}

/* Opening must fail with @code and leave the file exactly as it was, with no journal or
 * write-ahead log next to it. */
static void
assert_refused (const char *path,
                GQuark      domain,
                int         code,
                const char *message_part)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StriaeStore) store = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *journal = g_strconcat (path, "-journal", NULL);
  gsize before_len, after_len;
  GStatBuf st;

  g_file_get_contents (path, &before, &before_len, &error);
  g_assert_no_error (error);

  store = striae_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, domain, code);
  if (message_part != NULL)
    g_assert_nonnull (strstr (error->message, message_part));
  g_test_message ("Refused: %s", error->message);
  g_clear_error (&error);

  g_file_get_contents (path, &after, &after_len, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (before, before_len, after, after_len);
  g_assert_cmpint (g_stat (wal, &st), !=, 0);
  g_assert_cmpint (g_stat (journal, &st), !=, 0);
}

static void
test_open_new (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(StriaeStore) store = striae_test_store_open (fixture->location);
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (striae_store_get_path (store), ==, fixture->location);
  g_assert_cmpint (striae_store_get_schema_version (store), ==,
                   striae_store_get_latest_schema_version ());
  g_assert_cmpint (striae_store_get_latest_schema_version (), >=, 1);
  g_assert_false (striae_store_is_read_only (store));
  g_assert_cmpint (striae_store_count_patients (store, &error), ==, 0);
  g_assert_no_error (error);
}

/* SQLite only: the file a new store makes, in a folder it makes, private to its owner,
 * marked as Striae's, in WAL mode. */
static void
test_open_new_file (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(StriaeStore) store = NULL;
  g_autofree char *dir = g_path_get_dirname (fixture->path);
  GStatBuf st;

  store = open_store (fixture->path);
  g_assert_cmpstr (striae_store_get_path (store), ==, fixture->path);
  g_assert_cmpint (striae_store_get_schema_version (store), ==,
                   striae_store_get_latest_schema_version ());

  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_cmpint (g_stat (fixture->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  g_assert_cmpint (sql_int (fixture->path, "PRAGMA user_version"), ==,
                   striae_store_get_latest_schema_version ());
  g_assert_cmpint (sql_int (fixture->path, "PRAGMA application_id"), ==,
                   STRIAE_SQLITE_APPLICATION_ID);
  /* Byte 18 and 19 of the header are 2 in WAL mode. */
  g_assert_cmpint (sql_int (fixture->path,
                            "SELECT count(*) FROM pragma_journal_mode WHERE journal_mode = 'wal'"),
                   ==, 1);

  /* The write-ahead log must be as private as the database. */
  add (store, "Ana", "Silva", "1980-01-01", "", "");
  {
    g_autofree char *wal = g_strconcat (fixture->path, "-wal", NULL);

    g_assert_cmpint (g_stat (wal, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  }
}

/* The location picks the backend: a file path opens SQLite, which names itself; a clinic
 * server's URI goes to PostgreSQL, which tries to connect: an unreachable server or an
 * unknown host is one sentence that never shows the password, and no file named like the
 * URI appears. */
static void
test_open_location (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(StriaeStore) store = open_store (fixture->path);
  g_autoptr(StriaeStore) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *engine = NULL;
  g_autofree char *cwd = g_get_current_dir ();
  g_autofree char *stray = g_build_filename (cwd, "postgresql:", NULL);

  g_assert_true (STRIAE_IS_STORE_BACKEND (striae_store_get_backend (store)));
  engine = striae_store_backend_dup_engine (striae_store_get_backend (store));
  g_assert_true (g_str_has_prefix (engine, "SQLite 3."));

  g_assert_true (striae_store_is_server_location ("postgresql://clinic.example/striae"));
  g_assert_true (striae_store_is_server_location ("postgres://clinic.example/striae"));
  g_assert_false (striae_store_is_server_location (fixture->path));

  /* Nothing listens on port 1. */
  server = striae_store_open ("postgresql://striae:s3cret@127.0.0.1:1/striae"
                              "?connect_timeout=5&sslmode=disable", &error);
  g_assert_null (server);
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_UNREACHABLE);
  g_assert_nonnull (strstr (error->message, "striae@127.0.0.1:1/striae"));
  g_assert_null (strstr (error->message, "s3cret"));
  g_clear_error (&error);

  /* .invalid is never a host's name (RFC 2606). */
  server = striae_store_open ("postgres://striae:s3cret@clinic.invalid/striae"
                              "?connect_timeout=5", &error);
  g_assert_null (server);
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_UNREACHABLE);
  g_assert_null (strstr (error->message, "s3cret"));
  g_assert_false (g_file_test (stray, G_FILE_TEST_EXISTS));
}

/* What a clinic server refuses, each in one sentence, with nothing written: a login it does
 * not know, a database that holds something else, records of a newer Striae. */
static void
test_server_refusals (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(StriaeStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stranger = NULL;
  g_autofree char *foreign = striae_test_store_other_location (fixture->dir, "foreign");
  g_autofree char *dump = NULL;
  g_autofree char *dump_after = NULL;
  char *user;

  /* A user the server does not know. */
  stranger = g_strdup (fixture->location);
  user = strstr (stranger, "user=postgres");
  g_assert_nonnull (user);
  memcpy (user, "user=nobody__", strlen ("user=nobody__"));
  store = striae_store_open (stranger, &error);
  g_assert_null (store);
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_ACCESS_DENIED);
  g_assert_nonnull (strstr (error->message, "nobody__@"));
  g_clear_error (&error);
  g_assert_cmpint (striae_test_store_query_int (fixture->location,
                                                "SELECT count (*) FROM pg_tables"
                                                "  WHERE schemaname = 'public'"), ==, 0);

  /* A database with tables of its own is not made Striae's. */
  striae_test_store_exec (foreign, "CREATE TABLE invoices (id integer)");
  store = striae_store_open (foreign, &error);
  g_assert_null (store);
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_A_DATABASE);
  g_clear_error (&error);
  g_assert_cmpint (striae_test_store_query_int (foreign,
                                                "SELECT count (*) FROM pg_tables"
                                                "  WHERE schemaname = 'public'"), ==, 1);
  striae_test_store_remove (foreign);

  /* Records of a newer Striae. */
  store = striae_test_store_open (fixture->location);
  g_clear_object (&store);
  striae_test_store_exec (fixture->location, "UPDATE striae_schema SET version = 99");
  dump = striae_test_store_dump (fixture->location);
  store = striae_store_open (fixture->location, &error);
  g_assert_null (store);
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_TOO_NEW);
  g_assert_null (strstr (error->message, "host="));
  dump_after = striae_test_store_dump (fixture->location);
  g_assert_cmpstr (dump_after, ==, dump);
}

/* Over TCP the server proves who it is (sslmode=verify-full): with the clinic's CA file it
 * is accepted; with another CA it is refused in one sentence that never shows the
 * password. The private server of tests/with-postgresql has a certificate for "localhost"
 * from a CA of its own. */
static void
test_server_certificate (Fixture       *fixture,
                         gconstpointer  data)
{
  const char *port = g_getenv ("STRIAE_TEST_POSTGRESQL_TLS_PORT");
  const char *dir = g_getenv ("STRIAE_TEST_POSTGRESQL");
  g_autofree char *ca = NULL;
  g_autofree char *good = NULL;
  g_autofree char *bad = NULL;
  g_autofree char *other_ca = g_build_filename (fixture->dir, "other-ca.crt", NULL);
  g_autoptr(StriaeStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *engine = NULL;

  if (port == NULL)
    {
      g_test_skip ("The private server has no TLS port (no openssl)");
      return;
    }

  ca = g_build_filename (dir, "tls", "ca.crt", NULL);
  /* A CA that signed nothing of the server's: the system's, or failing that none at all. */
  g_assert_true (g_file_set_contents (other_ca, "", 0, NULL));
  good = g_strdup_printf ("postgresql://postgres:s3cret@localhost:%s/postgres"
                          "?sslmode=verify-full&sslrootcert=%s", port, ca);
  bad = g_strdup_printf ("postgresql://postgres:s3cret@localhost:%s/postgres"
                         "?sslmode=verify-full&sslrootcert=%s", port,
                         g_file_test ("/etc/ssl/certs/ca-certificates.crt", G_FILE_TEST_EXISTS)
                         ? "/etc/ssl/certs/ca-certificates.crt" : other_ca);

  store = striae_store_open_full (bad, STRIAE_STORE_OPEN_FLAGS_READ_ONLY, &error);
  g_assert_null (store);
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_CERTIFICATE);
  g_assert_nonnull (strstr (error->message, "postgres@localhost:"));
  g_assert_null (strstr (error->message, "s3cret"));
  g_clear_error (&error);

  /* Read-only, so that the server's own database is left as it is: it has no records. */
  store = striae_store_open_full (good, STRIAE_STORE_OPEN_FLAGS_READ_ONLY, &error);
  g_assert_null (store);
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND);
}

/* A login whose password the server checks (scram-sha-256 in the private server of
 * tests/with-postgresql, over TLS): a wrong password is refused in one sentence that says what
 * to do and never shows the password, and nothing is written; the right one opens. */
static void
test_server_password (Fixture       *fixture,
                      gconstpointer  data)
{
  const char *port = g_getenv ("STRIAE_TEST_POSTGRESQL_TLS_PORT");
  const char *login = g_getenv ("STRIAE_TEST_POSTGRESQL_PASSWORD_USER");
  const char *password = g_getenv ("STRIAE_TEST_POSTGRESQL_PASSWORD");
  const char *start = strstr (fixture->location, ":///");
  g_autofree char *dbname = NULL;
  g_autofree char *ca = NULL;
  g_autofree char *wrong = NULL;
  g_autofree char *right = NULL;
  g_autofree char *grant = NULL;
  g_autofree char *dump = NULL;
  g_autofree char *dump_after = NULL;
  g_autoptr(StriaeServerSetup) setup = NULL;
  g_autoptr(StriaeStore) store = NULL;
  g_autoptr(GError) error = NULL;

  if (port == NULL || login == NULL || password == NULL)
    {
      g_test_skip ("The private server has no password-checked login (no openssl)");
      return;
    }

  g_assert_nonnull (start);
  dbname = g_strndup (start + 4, strcspn (start + 4, "?"));
  setup = striae_store_server_init (fixture->location, &error);
  g_assert_no_error (error);
  grant = g_strdup_printf ("GRANT striae_practitioner TO %s", login);
  striae_test_store_exec (fixture->location, grant);
  dump = striae_test_store_dump (fixture->location);

  ca = g_build_filename (g_getenv ("STRIAE_TEST_POSTGRESQL"), "tls", "ca.crt", NULL);
  wrong = g_strdup_printf ("postgresql://%s:not-the-password@localhost:%s/%s"
                           "?sslmode=verify-full&sslrootcert=%s", login, port, dbname, ca);
  right = g_strdup_printf ("postgresql://%s:%s@localhost:%s/%s"
                           "?sslmode=verify-full&sslrootcert=%s", login, password, port,
                           dbname, ca);

  store = striae_store_open (wrong, &error);
  g_assert_null (store);
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_ACCESS_DENIED);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "refused the login"));
  g_assert_nonnull (strstr (error->message, "Preferences"));
  g_assert_null (strstr (error->message, "not-the-password"));
  g_assert_null (strchr (error->message, '\n'));
  g_clear_error (&error);
  dump_after = striae_test_store_dump (fixture->location);
  g_assert_cmpstr (dump_after, ==, dump);

  store = striae_store_open (right, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  g_assert_cmpint (striae_store_count_patients (store, &error), ==, 0);
  g_assert_no_error (error);

  /* The password typed again (the lock, a sign-off) is the server's to check: a wrong one
   * is refused and audited in the login's name, the right one passes. */
  {
    g_autofree char *name = striae_store_dup_login_name (store);
    g_autofree char *failed = NULL;
    g_autofree char *expected = NULL;

    g_assert_cmpstr (name, ==, login);
    g_assert_false (striae_store_check_password (store, "not-the-password", &error));
    g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_SIGN_IN);
    g_assert_null (strstr (error->message, "not-the-password"));
    g_clear_error (&error);
    g_assert_false (striae_store_check_password (store, "", &error));
    g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_SIGN_IN);
    g_clear_error (&error);
    failed = striae_test_store_query_text (fixture->location,
                                           "SELECT string_agg (actor, ',') FROM audit"
                                           "  WHERE action = 'sign-in-failed'");
    expected = g_strdup_printf ("account:%s,account:%s", login, login);
    g_assert_cmpstr (failed, ==, expected);
    g_assert_true (striae_store_check_password (store, password, &error));
    g_assert_no_error (error);
  }
}

/* A login the server lets in without a password (trust, as the private server's superuser)
 * has no password to ask again: the lock is not offered, and a check says why. */
static void
test_server_no_password (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(StriaeStore) store = striae_test_store_open (fixture->location);
  g_autoptr(GError) error = NULL;

  g_assert_null (striae_store_dup_login_name (store));
  g_assert_false (striae_store_check_password (store, "anything", &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_SUPPORTED);
  g_assert_nonnull (strstr (error->message, "scram-sha-256"));
}

static void
count_changes_cb (guint *changes)
{
  (*changes)++;
}

/* A connection the server dropped (a restart, a network gone for a while) is made again at
 * the next call after the failing one: the failing call says the server cannot be reached,
 * and the next check for changes tells of one, since notifications were missed. */
static void
test_server_reconnect (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(StriaeStore) store = striae_test_store_open (fixture->location);
  g_autoptr(StriaePatient) patient = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = add (store, "Ana", "Lima", "1980-01-01", "", "");
  guint changes = 0;

  g_assert_true (striae_store_check_changes (store, &error));
  g_assert_no_error (error);

  g_assert_cmpint (striae_test_store_query_int (fixture->location,
                                                "SELECT count (pg_terminate_backend (pid))"
                                                "  FROM pg_stat_activity"
                                                "  WHERE datname = current_database ()"
                                                "    AND pid <> pg_backend_pid ()"), >=, 1);

  g_assert_false (striae_store_check_changes (store, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_UNREACHABLE);
  g_clear_error (&error);

  g_signal_connect_swapped (store, "patients-changed", G_CALLBACK (count_changes_cb),
                            &changes);
  g_assert_true (striae_store_check_changes (store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changes, ==, 1);

  patient = striae_store_get_patient (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (striae_patient_get_family_name (patient), ==, "Lima");
  add (store, "Zoë", "Ng", "1990-05-12", "", "");
}

static void
test_open_existing_empty_file (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(StriaeStore) store = NULL;

  make_data_dir (fixture);
  write_file (fixture->path, "", 0);
  store = open_store (fixture->path);
  g_assert_cmpint (striae_store_get_schema_version (store), ==,
                   striae_store_get_latest_schema_version ());
}

static void
test_default_path (void)
{
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "striae", "striae.db",
                                                NULL);
  g_autofree char *from_env = NULL;
  g_autofree char *plain = NULL;

  g_setenv ("STRIAE_DATABASE", "/somewhere/test.db", TRUE);
  from_env = striae_store_default_path ();
  g_assert_cmpstr (from_env, ==, "/somewhere/test.db");

  g_unsetenv ("STRIAE_DATABASE");
  plain = striae_store_default_path ();
  g_assert_cmpstr (plain, ==, expected);
}

static void
test_crud (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(StriaeStore) store = striae_test_store_open (fixture->location);
  g_autoptr(StriaePatient) patient = make_patient ("Zoë", "Wiśniewska", "1990-05-12",
                                                   "+48 (22) 123-45-67", "zoe@example.pl");
  g_autoptr(StriaePatient) loaded = NULL;
  g_autoptr(StriaePatient) reloaded = NULL;
  g_autoptr(GDateTime) created = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  striae_patient_set_sex (patient, STRIAE_SEX_FEMALE);
  striae_patient_set_language (patient, "pl");
  striae_patient_set_notes (patient, "Prefers morning appointments.\nAllergic to latex.");

  g_assert_true (striae_store_add_patient (store, patient, &error));
  g_assert_no_error (error);
  id = striae_patient_get_id (patient);
  g_assert_cmpint (id, >, 0);
  g_assert_nonnull (striae_patient_get_created (patient));
  g_assert_cmpint (g_date_time_get_utc_offset (striae_patient_get_created (patient)), ==, 0);

  loaded = striae_store_get_patient (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (striae_patient_get_id (loaded), ==, id);
  g_assert_cmpstr (striae_patient_get_given_name (loaded), ==, "Zoë");
  g_assert_cmpstr (striae_patient_get_family_name (loaded), ==, "Wiśniewska");
  striae_assert_date (striae_patient_get_birth_date (loaded), "1990-05-12");
  g_assert_cmpint (striae_patient_get_sex (loaded), ==, STRIAE_SEX_FEMALE);
  g_assert_cmpstr (striae_patient_get_phone (loaded), ==, "+48 (22) 123-45-67");
  g_assert_cmpstr (striae_patient_get_email (loaded), ==, "zoe@example.pl");
  g_assert_cmpstr (striae_patient_get_language (loaded), ==, "pl");
  g_assert_cmpstr (striae_patient_get_notes (loaded), ==,
                   "Prefers morning appointments.\nAllergic to latex.");
  g_assert_true (g_date_time_equal (striae_patient_get_created (loaded),
                                    striae_patient_get_created (patient)));
  g_assert_true (g_date_time_equal (striae_patient_get_updated (loaded),
                                    striae_patient_get_created (loaded)));
  g_assert_cmpint (g_date_time_get_utc_offset (striae_patient_get_updated (loaded)), ==, 0);
  created = g_date_time_ref (striae_patient_get_created (loaded));

  g_usleep (2000);
  striae_patient_set_family_name (loaded, "Nowak");
  striae_patient_set_sex (loaded, STRIAE_SEX_OTHER);
  g_assert_true (striae_store_update_patient (store, loaded, &error));
  g_assert_no_error (error);
  g_assert_true (g_date_time_compare (striae_patient_get_updated (loaded), created) > 0);

  reloaded = striae_store_get_patient (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (striae_patient_get_family_name (reloaded), ==, "Nowak");
  g_assert_cmpint (striae_patient_get_sex (reloaded), ==, STRIAE_SEX_OTHER);
  g_assert_true (g_date_time_equal (striae_patient_get_created (reloaded), created));
  g_assert_true (g_date_time_equal (striae_patient_get_updated (reloaded),
                                    striae_patient_get_updated (loaded)));
  g_assert_cmpint (striae_store_count_patients (store, &error), ==, 1);

  g_assert_true (striae_store_erase_patient (store, id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (striae_store_count_patients (store, &error), ==, 0);

  g_assert_null (striae_store_get_patient (store, id, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_false (striae_store_erase_patient (store, id, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_false (striae_store_update_patient (store, reloaded, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Ids are never given again, so that nothing can point at the wrong person later. */
  g_assert_cmpint (add (store, "Ana", "Silva", "1980-01-01", "", ""), >, id);
}

static void
test_invalid (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(StriaeStore) store = striae_test_store_open (fixture->location);
  g_autoptr(StriaePatient) bad = make_patient ("Ana", "", "1980-01-01", "", "");
  g_autoptr(StriaePatient) bad_mail = make_patient ("Ana", "Silva", "1980-01-01", "",
                                                    "not-an-address");
  g_autoptr(StriaePatient) good = make_patient ("Ana", "Silva", "1980-01-01", "", "");
  g_autoptr(GPtrArray) batch = g_ptr_array_new ();
  g_autoptr(GError) expected = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  g_assert_false (striae_patient_validate (bad, NULL, NULL, &expected));
  g_assert_false (striae_store_add_patient (store, bad, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, expected->message);
  g_assert_cmpint (striae_patient_get_id (bad), ==, 0);
  g_clear_error (&error);

  /* One bad patient in a batch keeps the whole batch out. */
  g_ptr_array_add (batch, good);
  g_ptr_array_add (batch, bad_mail);
  g_assert_false (striae_store_add_patients (store, batch, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "not-an-address"));
  g_clear_error (&error);
  g_assert_cmpint (striae_store_count_patients (store, &error), ==, 0);
  g_assert_cmpint (striae_patient_get_id (good), ==, 0);

  g_assert_true (striae_store_add_patient (store, good, &error));
  g_assert_no_error (error);
  id = striae_patient_get_id (good);

  /* Adding the same object twice would make a duplicate record. */
  g_assert_false (striae_store_add_patient (store, good, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID);
  g_clear_error (&error);

  striae_patient_set_birth_date (good, striae_test_date ("2999-01-01"));
  g_assert_false (striae_store_update_patient (store, good, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID);
  g_clear_error (&error);

  {
    g_autoptr(StriaePatient) stored = striae_store_get_patient (store, id, &error);

    g_assert_no_error (error);
    striae_assert_date (striae_patient_get_birth_date (stored), "1980-01-01");
  }
}

/* Each of the @n patients has a record id, a UUID in lower case, and no two the same. */
static void
assert_record_ids (const char *location,
                   gint64      n)
{
  g_autoptr(GPtrArray) ids = striae_test_store_query_column (location,
                                                             "SELECT record_id FROM patients");

  for (guint i = 0; i < ids->len; i++)
    {
      const char *id = g_ptr_array_index (ids, i);
      g_autofree char *lower = NULL;

      g_assert_nonnull (id);
      lower = g_ascii_strdown (id, -1);
      g_assert_true (g_uuid_string_is_valid (id));
      g_assert_cmpstr (id, ==, lower);
    }

  g_assert_cmpint (ids->len, ==, n);
  g_assert_cmpint (striae_test_store_query_int (location, "SELECT count (DISTINCT record_id)"
                                                          "  FROM patients"), ==, n);
}

static void
test_bulk (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(StriaeStore) store = striae_test_store_open (fixture->location);
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  g_autoptr(GArray) ids = NULL;

  /* Small batches go row by row, large ones through a staging table: try both. */
  for (guint round = 0; round < 2; round++)
    {
      guint n = round == 0 ? 50 : 1500;
      guint first = batch->len;

      for (guint i = 0; i < n; i++)
        {
          g_autofree char *family = g_strdup_printf ("Family%u-%04u", round, i);

          /* The large batch's names go through the staging table's search_names too. */
          g_ptr_array_add (batch, make_patient (round == 0 ? "Given" : "Łucja", family,
                                                "1970-02-03", "", ""));
        }
      g_ptr_array_remove_range (batch, 0, first);

      g_assert_true (striae_store_add_patients (store, batch, &error));
      g_assert_no_error (error);
      for (guint i = 0; i < batch->len; i++)
        {
          StriaePatient *added = g_ptr_array_index (batch, i);
          g_autoptr(StriaePatient) stored = NULL;

          if (i > 0)
            g_assert_cmpint (striae_patient_get_id (added), >,
                             striae_patient_get_id (g_ptr_array_index (batch, i - 1)));
          g_assert_nonnull (striae_patient_get_created (added));
          if (i % 97 != 0)
            continue;
          stored = striae_store_get_patient (store, striae_patient_get_id (added), &error);
          g_assert_no_error (error);
          g_assert_cmpstr (striae_patient_get_family_name (stored), ==,
                           striae_patient_get_family_name (added));
        }
    }

  g_assert_cmpint (striae_store_count_patients (store, &error), ==, 1550);
  ids = striae_store_search_patients (store, "family1", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ids->len, ==, 1500);
  g_clear_pointer (&ids, g_array_unref);
  ids = striae_store_search_patients (store, "lucja", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ids->len, ==, 1500);

  /* Row by row and staged, every patient got a record id of their own. */
  assert_record_ids (fixture->location, 1550);
}

/* What a server's batch sends as arrays (quotes, backslashes, braces, commas, the word NULL,
 * placeholders) comes back as it was typed, for a batch and for one patient. */
static void
test_odd_characters (Fixture       *fixture,
                     gconstpointer  data)
{
  static const char * const texts[][3] = {
    { "Zoé \"Zizi\"", "O'Brien\\Smith", "a \\\" b" },
    { "{Anna}", "Dupont, Martin", "NULL" },
    { "NULL", "de la Cruz", "'single'; semicolons; $1 and ?" },
    { "\"", "\\", "{\"\",\\}" },
  };
  g_autoptr(StriaeStore) store = striae_test_store_open (fixture->location);
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      StriaePatient *patient = make_patient (texts[i][0], texts[i][1], "1970-02-03", "", "");

      striae_patient_set_notes (patient, texts[i][2]);
      g_ptr_array_add (batch, patient);
    }
  /* The last one alone, the others in one batch. */
  g_assert_true (striae_store_add_patient (store, g_ptr_array_index (batch, batch->len - 1),
                                           &error));
  g_assert_no_error (error);
  g_ptr_array_set_size (batch, batch->len - 1);
  ok = striae_store_add_patients (store, batch, &error);
  g_assert_no_error (error);
  g_assert_true (ok);

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(StriaePatient) stored = striae_store_get_patient (store, i == 3 ? 1 : i + 2,
                                                                  &error);

      g_assert_no_error (error);
      g_assert_cmpstr (striae_patient_get_given_name (stored), ==, texts[i][0]);
      g_assert_cmpstr (striae_patient_get_family_name (stored), ==, texts[i][1]);
      g_assert_cmpstr (striae_patient_get_notes (stored), ==, texts[i][2]);
    }
  striae_test_store_assert_intact (fixture->location);
}

static void
test_reopen (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(StriaeStore) store = striae_test_store_open (fixture->location);
  g_autoptr(StriaePatient) patient = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  id = add (store, "Émilie", "Lefèvre", "1975-12-31", "01 23 45 67 89", "");
  g_clear_object (&store);

  store = striae_test_store_open (fixture->location);
  g_assert_cmpint (striae_store_get_schema_version (store), ==,
                   striae_store_get_latest_schema_version ());
  patient = striae_store_get_patient (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (striae_patient_get_family_name (patient), ==, "Lefèvre");

  ids = striae_store_search_patients (store, "lefevre", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ids->len, ==, 1);
}

static void
count_changed_cb (StriaeStore *store,
                  gint64       id,
                  GArray      *seen)
{
  g_array_append_val (seen, id);
}

/* A change made by someone else (a second store on the same records, as another Striae on
 * this computer or another PC would be) is noticed at the next check, as "patients-changed"
 * for everyone (0); a store's own writes and a check with nothing new are not. */
static void
test_changes_elsewhere (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(StriaeStore) here = striae_test_store_open (fixture->location);
  g_autoptr(StriaeStore) elsewhere = striae_test_store_open (fixture->location);
  g_autoptr(GArray) seen = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) error = NULL;

  g_signal_connect (here, "patients-changed", G_CALLBACK (count_changed_cb), seen);

  /* The first check only takes note. */
  g_assert_true (striae_store_check_changes (here, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (seen->len, ==, 0);

  /* Its own write: told at once, with the patient's id, and not again by the check. */
  add (here, "Ana", "Lima", "1980-01-01", "", "");
  g_assert_cmpuint (seen->len, ==, 1);
  g_assert_cmpint (g_array_index (seen, gint64, 0), >, 0);
  g_assert_true (striae_store_check_changes (here, &error));
  g_assert_cmpuint (seen->len, ==, 1);

  /* Someone else's write: told at the next check, once. */
  add (elsewhere, "Zoë", "Wiśniewska", "1990-05-12", "", "");
  g_assert_true (striae_store_check_changes (here, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (seen->len, ==, 2);
  g_assert_cmpint (g_array_index (seen, gint64, 1), ==, 0);
  g_assert_true (striae_store_check_changes (here, &error));
  g_assert_cmpuint (seen->len, ==, 2);
}

static void
test_refuse_not_sqlite (Fixture       *fixture,
                        gconstpointer  data)
{
  static const char text[] = "Name,Birth date\nZoë Wiśniewska,1990-05-12\n"
                             "padding padding padding padding padding padding padding padding "
                             "padding padding padding padding padding padding padding padding\n";
  char header[4096] = "SQLite format 3";

  make_data_dir (fixture);
  write_file (fixture->path, text, -1);
  assert_refused (fixture->path, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_A_DATABASE, NULL);

  /* Too short to hold a header, and a header with a page size that cannot be. */
  write_file (fixture->path, "SQLite format 3", 16);
  assert_refused (fixture->path, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_A_DATABASE, NULL);

  memset (header + 16, 0x7b, sizeof header - 16);
  write_file (fixture->path, header, sizeof header);
  assert_refused (fixture->path, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_A_DATABASE, NULL);
}

static void
test_refuse_foreign (Fixture       *fixture,
                     gconstpointer  data)
{
  make_data_dir (fixture);

  /* Another program's database, marked with its own application id. */
  run_sql (fixture->path,
           "PRAGMA application_id = 1234;"
           "CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL);"
           "INSERT INTO invoices (total) VALUES (12.5);");
  assert_refused (fixture->path, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_A_DATABASE,
                  "another program");
  g_unlink (fixture->path);

  /* A database with no application id but tables of its own. */
  run_sql (fixture->path,
           "CREATE TABLE patients (name TEXT);"
           "INSERT INTO patients VALUES ('someone');");
  assert_refused (fixture->path, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_A_DATABASE, NULL);
}

static void
test_refuse_too_new (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *sql = NULL;

  make_data_dir (fixture);
  sql = g_strdup_printf ("PRAGMA application_id = %d;"
                         "PRAGMA user_version = %d;"
                         "CREATE TABLE patients (id INTEGER PRIMARY KEY, future TEXT);",
                         STRIAE_SQLITE_APPLICATION_ID,
                         striae_store_get_latest_schema_version () + 1);
  run_sql (fixture->path, sql);
  assert_refused (fixture->path, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_TOO_NEW,
                  "Update Striae");

  /* Not even read-only: the old code would misread the new format. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(StriaeStore) store = NULL;

    store = striae_store_open_full (fixture->path, STRIAE_STORE_OPEN_FLAGS_READ_ONLY, &error);
    g_assert_null (store);
    g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_TOO_NEW);
  }
}

static void
test_refuse_truncated (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(StriaeStore) store = open_store (fixture->path);
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *notes = g_strnfill (2000, 'n');
  gsize length;

  for (guint i = 0; i < 100; i++)
    {
      StriaePatient *patient = make_patient ("Jan", "Kowalski", "1960-06-06", "", "");

      striae_patient_set_notes (patient, notes);
      g_ptr_array_add (batch, patient);
    }
  g_assert_true (striae_store_add_patients (store, batch, &error));
  g_assert_no_error (error);
  g_clear_object (&store);

  g_file_get_contents (fixture->path, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (length, >, 100000);

  /* Cut off in the middle of a page, and on a page boundary. */
  write_file (fixture->path, contents, length / 2 + 77);
  assert_refused (fixture->path, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_A_DATABASE,
                  "shorter");
  write_file (fixture->path, contents, 4096 * 3);
  assert_refused (fixture->path, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_A_DATABASE, NULL);
}

/* The schema as version 3 of the store created it, migrations 1 to 3 verbatim: shipped
 * migrations never change, so neither does this copy. */
static const char schema_v3[] =
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
  "END;"
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
  ") WITHOUT ROWID;"
  "ALTER TABLE consultations ADD COLUMN resume_page TEXT NOT NULL DEFAULT '';";

static void
test_migrate_from_v3 (Fixture       *fixture,
                      gconstpointer  data)
{
  static const struct {
    const char *given;
    const char *family;
    const char *phone;
  } rows[] = {
    { "Mikołaj", "Nowak", "06 12 34 56 78" },
    { "Ingrid", "Løchen", "" },
    { "Johann", "Strauß", "" },
    { "Dørte", "Hansen", "" },
    { "Ayşe", "Öztürk", "" },
    { "Anna", "Martin", "" },
  };
  g_autoptr(StriaeStore) store = NULL;
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  static const struct {
    const char *text;
    guint       row;
  } searches[] = {
    { "mikolaj", 0 }, { "Mikoł", 0 }, { "nowak", 0 }, { "0612", 0 },
    { "lochen", 1 }, { "loechen", 1 }, { "Løchen", 1 },
    { "strauss", 2 }, { "Strauß", 2 },
    { "dorte", 3 }, { "Dørte", 3 },
    { "oztu", 4 }, { "Öztürk", 4 },
    { "martin", 5 },
  };

  make_data_dir (fixture);
  g_string_append (sql, "BEGIN;");
  g_string_append (sql, schema_v3);
  g_string_append_printf (sql, "PRAGMA application_id = %d; PRAGMA user_version = 3;",
                          STRIAE_SQLITE_APPLICATION_ID);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      char *insert = sqlite3_mprintf ("INSERT INTO patients (given_name, family_name,"
                                      "  birth_date, phone, phone_digits, sort_key, created,"
                                      "  updated)"
                                      "  VALUES (%Q, %Q, '1980-01-0%u', %Q,"
                                      "          replace (%Q, ' ', ''), lower (%Q), 'c', 'u');",
                                      rows[i].given, rows[i].family, i + 1, rows[i].phone,
                                      rows[i].phone, rows[i].family);

      g_string_append (sql, insert);
      sqlite3_free (insert);
    }
  g_string_append (sql,
                   "INSERT INTO consultations (patient_id, created, resume_page)"
                   "  VALUES (1, 'c', 'skin');"
                   "INSERT INTO consultation_revisions (consultation_id, revision, status,"
                   "  created, updated, data) VALUES (1, 1, 'draft', 'c', 'u', '{}');"
                   "INSERT INTO settings (key, value) VALUES ('clinic-name', 'Clinique');"
                   "COMMIT;");
  run_sql (fixture->path, sql->str);
  g_assert_cmpint (sql_int (fixture->path, "PRAGMA user_version"), ==, 3);

  store = open_store (fixture->path);
  g_assert_cmpint (striae_store_get_schema_version (store), ==,
                   striae_store_get_latest_schema_version ());
  g_assert_cmpint (striae_store_count_patients (store, &error), ==, G_N_ELEMENTS (rows));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (searches); i++)
    {
      g_autoptr(GArray) ids = NULL;
      g_autoptr(StriaePatient) found = NULL;

      ids = striae_store_search_patients (store, searches[i].text, 0, &error);
      g_assert_no_error (error);
      if (ids->len != 1)
        g_error ("Searching “%s” after migrating found %u patients, not 1",
                 searches[i].text, ids->len);
      found = striae_store_get_patient (store, g_array_index (ids, gint64, 0), &error);
      g_assert_no_error (error);
      g_assert_cmpstr (striae_patient_get_given_name (found), ==, rows[searches[i].row].given);
      g_assert_cmpstr (striae_patient_get_family_name (found), ==,
                       rows[searches[i].row].family);
    }
  g_clear_object (&store);

  /* Nothing else was lost or changed, and the index agrees with the table. Each patient
   * got a record id of their own (migration 6). */
  g_assert_cmpint (sql_int (fixture->path, "PRAGMA user_version"), ==,
                   striae_store_get_latest_schema_version ());
  assert_record_ids (fixture->path, G_N_ELEMENTS (rows));
  g_assert_cmpint (sql_int (fixture->path, "SELECT count(*) FROM audit_subjects"), ==,
                   G_N_ELEMENTS (rows));
  g_assert_cmpint (sql_int (fixture->path,
                            "SELECT count(*) FROM consultations WHERE resume_page = 'skin'"),
                   ==, 1);
  g_assert_cmpint (sql_int (fixture->path, "SELECT count(*) FROM consultation_revisions"),
                   ==, 1);
  g_assert_cmpint (sql_int (fixture->path,
                            "SELECT count(*) FROM settings WHERE value = 'Clinique'"), ==, 1);
  g_assert_cmpint (sql_int (fixture->path,
                            "SELECT count(*) FROM patients WHERE sort_key = 'nowak'"
                            "  AND phone = '06 12 34 56 78' AND created = 'c'"), ==, 1);
  /* Only the names the tokenizer cannot fold get ASCII spellings. */
  g_assert_cmpint (sql_int (fixture->path,
                            "SELECT count(*) FROM patients WHERE search_names != ''"), ==, 4);
  run_sql (fixture->path,
           "INSERT INTO patients_fts (patients_fts, rank) VALUES ('integrity-check', 1)");
}

static char *
sql_text (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *text;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return text;
}

/* The patient row is where the date of birth becomes text: the column holds YYYY-MM-DD and
 * reads back as the same day. A column that holds anything else (only damage could write
 * it) reads as no date of birth, which the patient form then asks for, rather than as
 * another day. */
static void
test_birth_date_row (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(StriaePatient) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *column = NULL;
  gint64 id;

  {
    g_autoptr(StriaeStore) store = open_store (fixture->path);

    id = add (store, "Ana", "Silva", "1980-02-29", "", "");
  }
  column = sql_text (fixture->path, "SELECT birth_date FROM patients");
  g_assert_cmpstr (column, ==, "1980-02-29");

  run_sql (fixture->path, "UPDATE patients SET birth_date = '29.02.1980'");
  {
    g_autoptr(StriaeStore) store = open_store (fixture->path);

    loaded = striae_store_get_patient (store, id, &error);
    g_assert_no_error (error);
    g_assert_null (striae_patient_get_birth_date (loaded));
    g_assert_false (striae_patient_validate (loaded, NULL, NULL, &error));
    g_assert_cmpstr (error->message, ==, "Date of birth is required.");
  }
}

/* A consultation document as Striae wrote it, with these facts. */
static char *
revision_document (gint64                    id,
                   StriaeConsultationStatus  status,
                   const char               *date,
                   const char               *practitioner,
                   const char               *rules_hash)
{
  g_autoptr(StriaeConsultation) consultation = striae_consultation_new ();

  striae_consultation_set_id (consultation, id);
  striae_consultation_set_patient_id (consultation, 1);
  striae_consultation_set_revision (consultation, 1);
  striae_consultation_set_status (consultation, status);
  striae_consultation_set_date (consultation, striae_test_date (date));
  striae_consultation_set_practitioner (consultation, practitioner);
  striae_consultation_set_rules (consultation, 1, rules_hash);

  return striae_consultation_to_json (consultation);
}

static void
add_old_revision (GString    *sql,
                  gint64      id,
                  const char *status,
                  const char *date,
                  const char *practitioner,
                  const char *rules_hash,
                  const char *signed_at,
                  const char *data)
{
  char *insert = sqlite3_mprintf ("INSERT INTO consultations (id, patient_id, created)"
                                  "  VALUES (%lld, 1, 'c');"
                                  "INSERT INTO consultation_revisions (consultation_id,"
                                  "  revision, status, date, practitioner, rules_hash,"
                                  "  created, updated, signed_by, signed_at, data)"
                                  "  VALUES (%lld, 1, %Q, %Q, %Q, %Q, 'c', 'u', %Q, %Q, %Q);",
                                  (long long) id, (long long) id, status, date, practitioner,
                                  rules_hash, signed_at ? practitioner : NULL, signed_at,
                                  data);

  g_string_append (sql, insert);
  sqlite3_free (insert);
}

/* Migration 8: where an old file's columns and document disagree, the columns won on reading,
 * so they carry into the document; a document that agrees is kept byte for byte; one that is
 * not JSON is kept as it is and stays locked by its signature. */
static void
test_migrate_revision_facts (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *disagreeing = revision_document (1, STRIAE_CONSULTATION_STATUS_COMPLETE,
                                                    "2024-02-01", "Dr Json", "json-hash");
  g_autofree char *agreeing = revision_document (2, STRIAE_CONSULTATION_STATUS_DRAFT,
                                                 "2024-05-06", "Dr Roux", "hash");
  g_autoptr(GString) sql = g_string_new ("BEGIN;");
  g_autoptr(StriaeStore) store = NULL;
  g_autoptr(StriaeConsultation) one = NULL;
  g_autoptr(StriaeConsultation) two = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *damaged = NULL;

  make_data_dir (fixture);
  g_string_append (sql, schema_v3);
  g_string_append_printf (sql, "PRAGMA application_id = %d; PRAGMA user_version = 3;",
                          STRIAE_SQLITE_APPLICATION_ID);
  g_string_append (sql, "INSERT INTO patients (id, given_name, family_name, birth_date,"
                        "  created, updated) VALUES (1, 'Anna', 'Martin', '1980-01-01', 'c',"
                        "  'u');");
  add_old_revision (sql, 1, "signed", "2024-03-01", "Dr Column", "column-hash",
                    "2024-03-01T10:00:00.000000Z", disagreeing);
  add_old_revision (sql, 2, "draft", "2024-05-06", "Dr Roux", "hash", NULL, agreeing);
  add_old_revision (sql, 3, "signed", "2024-01-01", "Dr Roux", "",
                    "2024-01-01T10:00:00.000000Z", "{not json");
  g_string_append (sql, "COMMIT;");
  run_sql (fixture->path, sql->str);

  store = open_store (fixture->path);
  g_assert_cmpint (striae_store_get_schema_version (store), ==,
                   striae_store_get_latest_schema_version ());

  /* The columns' facts, now in the document, read as before. */
  one = striae_store_get_consultation (store, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (striae_consultation_get_status (one), ==, STRIAE_CONSULTATION_STATUS_SIGNED);
  striae_assert_date (striae_consultation_get_date (one), "2024-03-01");
  g_assert_cmpstr (striae_consultation_get_practitioner (one), ==, "Dr Column");
  g_assert_cmpstr (striae_consultation_get_rules_hash (one), ==, "column-hash");
  g_assert_cmpint (sql_int (fixture->path,
                            "SELECT count (*) FROM consultation_revisions WHERE"
                            "  json_extract (data, '$.status') = 'signed'"
                            "  AND json_extract (data, '$.practitioner') = 'Dr Column'"
                            "  AND consultation_id = 1"), ==, 1);

  /* Still signed, so still locked: above the backend and in the file. */
  striae_consultation_set_status (one, STRIAE_CONSULTATION_STATUS_COMPLETE);
  g_assert_false (striae_store_save_consultation (store, one, NULL, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_LOCKED);
  g_clear_error (&error);

  two = striae_store_get_consultation (store, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpint (striae_consultation_get_status (two), ==, STRIAE_CONSULTATION_STATUS_DRAFT);
  kept = sql_text (fixture->path,
                   "SELECT data FROM consultation_revisions WHERE consultation_id = 2");
  g_assert_cmpstr (kept, ==, agreeing);
  g_assert_true (striae_store_patient_has_draft (store, 1, &error));
  g_assert_no_error (error);

  /* The damaged one is kept, unreadable as before, and cannot be signed or saved over. */
  damaged = sql_text (fixture->path,
                      "SELECT data FROM consultation_revisions WHERE consultation_id = 3");
  g_assert_cmpstr (damaged, ==, "{not json");
  g_assert_null (striae_store_get_consultation (store, 3, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_A_DATABASE);
  g_clear_error (&error);
  g_assert_false (striae_store_sign_consultation (store, 3, "Dr Roux", &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_LOCKED);
  g_clear_error (&error);

  list = striae_store_list_revisions (store, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpint (sql_int (fixture->path, "SELECT count (*) FROM consultation_revisions"), ==,
                   3);
  g_clear_object (&store);
  run_sql (fixture->path, "PRAGMA integrity_check; PRAGMA foreign_key_check;");
}

static void
test_read_only_permissions (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(StriaeStore) store = NULL;
  g_autofree char *dir = g_path_get_dirname (fixture->path);
  g_autofree char *elsewhere = g_build_filename (dir, "other.db", NULL);

  if (geteuid () == 0)
    {
      g_test_skip ("File permissions do not bind root; see /store/read-only/flag");
      return;
    }

  store = open_store (fixture->path);
  g_clear_object (&store);

  g_assert_cmpint (g_chmod (fixture->path, 0400), ==, 0);
  assert_refused (fixture->path, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_READ_ONLY, NULL);
  g_assert_cmpint (g_chmod (fixture->path, 0600), ==, 0);

  g_assert_cmpint (g_chmod (dir, 0500), ==, 0);
  assert_refused (fixture->path, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_READ_ONLY, "folder");
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (striae_store_open (elsewhere, &error));
    g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_READ_ONLY);
  }
  g_assert_cmpint (g_chmod (dir, 0700), ==, 0);
}

/* Opens @location read-only: patient @id (Kari Nordmann) reads and is found, and every write
 * is refused as read-only. */
static void
assert_read_only_session (const char *location,
                          gint64      id)
{
  g_autoptr(StriaeStore) store = NULL;
  g_autoptr(StriaePatient) patient = NULL;
  g_autoptr(StriaePatient) extra = make_patient ("Ola", "Nordmann", "1999-09-09", "", "");
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;

  store = striae_store_open_full (location, STRIAE_STORE_OPEN_FLAGS_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_true (striae_store_is_read_only (store));

  patient = striae_store_get_patient (store, id, &error);
  g_assert_no_error (error);
  ids = striae_store_search_patients (store, "nord", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ids->len, ==, 1);

  g_assert_false (striae_store_add_patient (store, extra, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_READ_ONLY);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  striae_patient_set_given_name (patient, "Karianne");
  g_assert_false (striae_store_update_patient (store, patient, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_READ_ONLY);
  g_clear_error (&error);

  g_assert_false (striae_store_erase_patient (store, id, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_READ_ONLY);
  g_clear_error (&error);
}

/* Root ignores file modes, so the read-only paths are driven through the API: a backend
 * opened read-only answers every write with its own refusal (SQLite: SQLITE_READONLY), which
 * the store must translate, and nothing in the records changes. */
static void
test_read_only_flag (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(StriaeStore) store = striae_test_store_open (fixture->location);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gint64 id;

  id = add (store, "Kari", "Nordmann", "1988-08-08", "", "");
  g_clear_object (&store);

  before = striae_test_store_dump (fixture->location);
  assert_read_only_session (fixture->location, id);
  after = striae_test_store_dump (fixture->location);
  g_assert_cmpstr (before, ==, after);
}

/* SQLite only: a read-only session leaves the file's bytes as they were, and read-only
 * cannot create a file, nor upgrade one. */
static void
test_read_only_flag_file (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(StriaeStore) store = open_store (fixture->path);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize before_len, after_len;
  gint64 id;

  id = add (store, "Kari", "Nordmann", "1988-08-08", "", "");
  g_clear_object (&store);

  g_file_get_contents (fixture->path, &before, &before_len, &error);
  g_assert_no_error (error);
  assert_read_only_session (fixture->path, id);
  g_file_get_contents (fixture->path, &after, &after_len, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (before, before_len, after, after_len);

  /* Read-only cannot create a file, nor upgrade one. */
  g_unlink (fixture->path);
  store = striae_store_open_full (fixture->path, STRIAE_STORE_OPEN_FLAGS_READ_ONLY, &error);
  g_assert_null (store);
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  write_file (fixture->path, "", 0);
  store = striae_store_open_full (fixture->path, STRIAE_STORE_OPEN_FLAGS_READ_ONLY, &error);
  g_assert_null (store);
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_READ_ONLY);
}

static void
test_full (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(StriaeStore) store = striae_test_store_open (fixture->location);
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(StriaePatient) one = make_patient ("Ana", "Silva", "1980-01-01", "", "");
  g_autoptr(GError) error = NULL;
  g_autofree char *notes = g_strnfill (5000, 'x');
  gint64 count_before;

  add (store, "First", "Patient", "1980-01-01", "", "");
  g_assert_cmpint (striae_test_store_query_int (fixture->location,
                                                "SELECT count (*) FROM patients"), ==, 1);

  /* Pretend the disk ends a few pages after the schema (its tables and indexes) and the
   * first patient. */
  g_assert_true (striae_store_set_size_limit (store, 256 * 1024, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < 1000; i++)
    {
      StriaePatient *patient = make_patient ("Jan", "Kowalski", "1960-06-06", "", "");

      striae_patient_set_notes (patient, notes);
      g_ptr_array_add (batch, patient);
    }

  /* Row by row, then the bulk path. */
  for (guint i = 0; i < 100; i++)
    {
      g_autoptr(StriaePatient) big = make_patient ("Jan", "Kowalski", "1960-06-06", "", "");

      striae_patient_set_notes (big, notes);
      if (!striae_store_add_patient (store, big, &error))
        break;
    }
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FULL);
  g_clear_error (&error);
  count_before = striae_store_count_patients (store, &error);
  g_assert_cmpint (count_before, >, 1);

  g_assert_false (striae_store_add_patients (store, batch, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FULL);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  /* Nothing of the failed batch remains, and the store still works. */
  g_assert_cmpint (striae_store_count_patients (store, &error), ==, count_before);
  g_assert_no_error (error);
  g_assert_cmpint (striae_patient_get_id (g_ptr_array_index (batch, 0)), ==, 0);
  g_assert_true (striae_store_add_patient (store, one, &error));
  g_assert_no_error (error);

  g_assert_true (striae_store_set_size_limit (store, 0, &error));
  g_assert_true (striae_store_add_patients (store, batch, &error));
  g_assert_no_error (error);
  g_assert_cmpint (striae_store_count_patients (store, &error), ==, count_before + 1001);
}

/* Search */

/* The search's semantics hold on every backend: its records are the backend's under test
 * (tests/striae-test-store.h). */
typedef struct
{
  Fixture      base;
  char        *location;
  StriaeStore *store;
  gint64       zoe;
  gint64       zoe_caps;
  gint64       anna_martin;
  gint64       martin_dupont;
  gint64       paul_durand;
  gint64       ahmed;
  gint64       emilie;
  gint64       mikolaj;
  gint64       olga;
} SearchFixture;

static void
search_set_up (SearchFixture *fixture,
               gconstpointer  data)
{
  fixture_set_up (&fixture->base, data);
  fixture->location = striae_test_store_location (fixture->base.dir);
  fixture->store = striae_test_store_open (fixture->location);

  fixture->zoe = add (fixture->store, "Zoë", "Wiśniewska", "1990-05-12", "06 12 34 56 78",
                      "z.wisniewska@example.pl");
  fixture->zoe_caps = add (fixture->store, "ZOË", "Ng", "1985-03-02", "0798765432", "");
  fixture->anna_martin = add (fixture->store, "Anna", "Martin", "1970-01-15", "", "");
  fixture->martin_dupont = add (fixture->store, "Martin", "Dupont", "1965-07-04", "", "");
  fixture->paul_durand = add (fixture->store, "Paul", "Durand", "1990-11-30", "",
                              "martin.fan@example.org");
  fixture->ahmed = add (fixture->store, "Ahmed", "Benali", "2001-02-28", "+33 7 98 76 54 32",
                        "");
  fixture->emilie = add (fixture->store, "Émilie", "Lefèvre", "1982-09-09", "", "");
  fixture->mikolaj = add (fixture->store, "Mikołaj", "Nowak", "1979-04-01", "", "");
  fixture->olga = add (fixture->store, "Ольга", "Иванова", "1993-06-21", "", "");
}

static void
search_tear_down (SearchFixture *fixture,
                  gconstpointer  data)
{
  striae_store_debug_set_order (STRIAE_STORE_DEBUG_ORDER_BACKGROUND);
  striae_store_debug_set_row_delay (0);
  g_clear_object (&fixture->store);
  striae_test_store_remove (fixture->location);
  g_clear_pointer (&fixture->location, g_free);
  fixture_tear_down (&fixture->base, data);
}

/* The patient list's rows of a search for @text, @page at a time (0: all at once), each page
 * asked for after the last row of the one before. */
static GPtrArray *
search_rows_paged (StriaeStore       *store,
                   const char        *text,
                   StriaeSearchFlags  flags,
                   guint              page)
{
  GPtrArray *all = g_ptr_array_new_with_free_func ((GDestroyNotify) striae_patient_summary_free);
  StriaePatientSummary *last = NULL;

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) rows = striae_store_search_rows (store, text, flags, last, page,
                                                            NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (rows);
      g_assert_cmpuint (rows->len, <=, page == 0 ? G_MAXUINT : page);
      for (guint i = 0; i < rows->len; i++)
        g_ptr_array_add (all, striae_patient_summary_copy (g_ptr_array_index (rows, i)));
      if (page == 0 || rows->len < page)
        break;
      last = g_ptr_array_index (all, all->len - 1);
    }

  return all;
}

/* The rows of the patient list give the same patients in the same order as the ids of a
 * search, in pages of any size, each patient once; the count agrees with them. */
static void
assert_rows_agree (StriaeStore       *store,
                   const char        *text,
                   StriaeSearchFlags  flags,
                   GArray            *ids)
{
  static const guint pages[] = { 0, 1, 2, 3, 7 };
  g_autoptr(GError) error = NULL;

  for (guint p = 0; p < G_N_ELEMENTS (pages); p++)
    {
      g_autoptr(GPtrArray) rows = search_rows_paged (store, text, flags, pages[p]);

      g_assert_cmpuint (rows->len, ==, ids->len);
      for (guint i = 0; i < rows->len; i++)
        {
          StriaePatientSummary *row = g_ptr_array_index (rows, i);

          g_assert_cmpint (row->id, ==, g_array_index (ids, gint64, i));
        }
    }

  g_assert_cmpint (striae_store_count_matches (store, text, flags, 0, NULL, &error), ==,
                   ids->len);
  g_assert_no_error (error);
  g_assert_cmpint (striae_store_count_matches (store, text, flags, 2, NULL, &error), ==,
                   MIN (ids->len, 2));
  g_assert_no_error (error);
}

static GArray *
search (SearchFixture *fixture,
        const char    *text)
{
  g_autoptr(GError) error = NULL;
  GArray *ids = striae_store_search_patients (fixture->store, text, 0, &error);

  g_assert_no_error (error);
  g_assert_nonnull (ids);
  assert_rows_agree (fixture->store, text, STRIAE_SEARCH_FLAGS_NONE, ids);
  return ids;
}

static int
position_of (GArray *ids,
             gint64  id)
{
  for (guint i = 0; i < ids->len; i++)
    if (g_array_index (ids, gint64, i) == id)
      return (int) i;

  return -1;
}

static void
assert_finds (SearchFixture *fixture,
              const char    *text,
              gint64         id)
{
  g_autoptr(GArray) ids = search (fixture, text);

  if (position_of (ids, id) < 0)
    g_error ("Searching “%s” did not find patient %" G_GINT64_FORMAT, text, id);
}

static void
assert_only (SearchFixture *fixture,
             const char    *text,
             gint64         id)
{
  g_autoptr(GArray) ids = search (fixture, text);

  if (ids->len != 1 || g_array_index (ids, gint64, 0) != id)
    g_error ("Searching “%s” found %u patients, not just %" G_GINT64_FORMAT,
             text, ids->len, id);
}

static void
test_search_prefix_accents_case (SearchFixture *fixture,
                                 gconstpointer  data)
{
  g_autoptr(GArray) zoes = NULL;

  assert_only (fixture, "wiś", fixture->zoe);
  assert_only (fixture, "Wis", fixture->zoe);
  assert_only (fixture, "w", fixture->zoe);
  assert_only (fixture, "dup", fixture->martin_dupont);
  assert_finds (fixture, "mar", fixture->anna_martin);
  assert_finds (fixture, "mar", fixture->paul_durand);
  assert_only (fixture, "lefevre", fixture->emilie);
  assert_only (fixture, "EMILIE", fixture->emilie);
  assert_only (fixture, "Émi Lef", fixture->emilie);
  assert_only (fixture, "Mikołaj", fixture->mikolaj);
  assert_only (fixture, "MIKOŁ", fixture->mikolaj);
  assert_only (fixture, "ольга", fixture->olga);
  assert_only (fixture, "ИВАН", fixture->olga);
  /* A name typed with a combining accent (NFD) finds the stored precomposed one. */
  assert_only (fixture, "Lefe\xcc\x80vre", fixture->emilie);

  zoes = search (fixture, "Zoe");
  g_assert_cmpint (zoes->len, ==, 2);
  g_assert_cmpint (position_of (zoes, fixture->zoe), >=, 0);
  g_assert_cmpint (position_of (zoes, fixture->zoe_caps), >=, 0);
  g_clear_pointer (&zoes, g_array_unref);

  zoes = search (fixture, "zoe");
  g_assert_cmpint (zoes->len, ==, 2);
  g_clear_pointer (&zoes, g_array_unref);

  zoes = search (fixture, "ZOË");
  g_assert_cmpint (zoes->len, ==, 2);

  /* Every word must match, in any field. */
  assert_only (fixture, "zoe ng", fixture->zoe_caps);
  {
    g_autoptr(GArray) none = search (fixture, "zoe martin");

    g_assert_cmpint (none->len, ==, 0);
  }
}

static void
test_search_folded_letters (SearchFixture *fixture,
                            gconstpointer  data)
{
  g_autoptr(StriaePatient) dorte = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  gint64 lochen, strauss, dorte_id, ozturk, mikolaj_ascii;

  lochen = add (fixture->store, "Ingrid", "Løchen", "1975-03-03", "", "");
  strauss = add (fixture->store, "Johann", "Strauß", "1960-10-25", "", "");
  dorte_id = add (fixture->store, "Dørte", "Hansen", "1988-08-08", "", "");
  ozturk = add (fixture->store, "Ayşe", "Öztürk", "1992-12-01", "", "");

  /* Letters Unicode does not decompose: ł, ø, ß. */
  assert_only (fixture, "mikolaj", fixture->mikolaj);
  assert_only (fixture, "Mikolaj Nowak", fixture->mikolaj);
  assert_only (fixture, "lochen", lochen);
  assert_only (fixture, "loechen", lochen);
  assert_finds (fixture, "lo", lochen);
  assert_only (fixture, "strauss", strauss);
  assert_only (fixture, "STRAUS", strauss);
  assert_only (fixture, "dorte", dorte_id);
  assert_only (fixture, "doerte hansen", dorte_id);
  assert_only (fixture, "oztu", ozturk);
  assert_only (fixture, "ayse", ozturk);

  /* Typing the letter itself still works. */
  assert_only (fixture, "Mikoł", fixture->mikolaj);
  assert_only (fixture, "Strauß", strauss);
  assert_only (fixture, "strau", strauss);
  assert_only (fixture, "Løch", lochen);
  assert_only (fixture, "DØRTE", dorte_id);
  assert_only (fixture, "Öztürk", ozturk);

  /* Someone whose name is spelled as typed comes before the folded one. */
  mikolaj_ascii = add (fixture->store, "Mikolaj", "Nowak", "1979-04-01", "", "");
  ids = search (fixture, "mikolaj");
  g_assert_cmpint (ids->len, ==, 2);
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, mikolaj_ascii);
  g_assert_cmpint (g_array_index (ids, gint64, 1), ==, fixture->mikolaj);
  g_clear_pointer (&ids, g_array_unref);
  assert_only (fixture, "mikoł", fixture->mikolaj);

  /* A change of name changes the spellings too. */
  dorte = striae_store_get_patient (fixture->store, dorte_id, &error);
  g_assert_no_error (error);
  striae_patient_set_given_name (dorte, "Dagny");
  g_assert_true (striae_store_update_patient (fixture->store, dorte, &error));
  g_assert_no_error (error);
  ids = search (fixture, "dorte");
  g_assert_cmpint (ids->len, ==, 0);
  g_clear_pointer (&ids, g_array_unref);
  assert_only (fixture, "dagny", dorte_id);

  /* Erasing a patient takes their spellings out of the index. */
  g_assert_true (striae_store_erase_patient (fixture->store, lochen, &error));
  g_assert_no_error (error);
  ids = search (fixture, "lochen");
  g_assert_cmpint (ids->len, ==, 0);
}

static void
test_search_phone_email_date (SearchFixture *fixture,
                              gconstpointer  data)
{
  assert_only (fixture, "0612", fixture->zoe);
  assert_only (fixture, "06 12 34", fixture->zoe);
  assert_only (fixture, "06-12-34-56", fixture->zoe);
  assert_only (fixture, "079876", fixture->zoe_caps);
  assert_only (fixture, "07 98 76", fixture->zoe_caps);
  assert_only (fixture, "+33 7 98", fixture->ahmed);
  assert_only (fixture, "337987", fixture->ahmed);

  assert_only (fixture, "z.wisniewska@example.pl", fixture->zoe);
  assert_only (fixture, "martin.fan", fixture->paul_durand);
  assert_only (fixture, "example.org", fixture->paul_durand);

  assert_only (fixture, "1990-05-12", fixture->zoe);
  assert_only (fixture, "2001-02", fixture->ahmed);

  /* The locale's form, read by the patient editor's parser: "5" alone would not find "05". */
  if (setlocale (LC_TIME, "de_DE.UTF-8") != NULL)
    {
      assert_only (fixture, "12.5.1990", fixture->zoe);
      assert_only (fixture, "12.05.1990", fixture->zoe);
      setlocale (LC_TIME, "C.UTF-8");
    }
  else
    {
      g_test_message ("de_DE.UTF-8 is not installed: the German form is not searched");
    }
  {
    g_autoptr(GArray) ids = search (fixture, "1990");

    g_assert_cmpint (ids->len, ==, 2);
    g_assert_cmpint (position_of (ids, fixture->zoe), >=, 0);
    g_assert_cmpint (position_of (ids, fixture->paul_durand), >=, 0);
  }
}

static void
test_search_ranking (SearchFixture *fixture,
                     gconstpointer  data)
{
  g_autoptr(GArray) ids = search (fixture, "martin");
  g_autoptr(GArray) all = NULL;
  g_autoptr(GArray) limited = NULL;
  g_autoptr(GError) error = NULL;
  const gint64 alphabetical[] = {
    fixture->ahmed,         /* Benali */
    fixture->martin_dupont, /* Dupont */
    fixture->paul_durand,   /* Durand */
    fixture->emilie,        /* Lefèvre */
    fixture->anna_martin,   /* Martin */
    fixture->zoe_caps,      /* Ng */
    fixture->mikolaj,       /* Nowak */
    fixture->zoe,           /* Wiśniewska */
    fixture->olga,          /* Иванова */
  };

  /* A name beats an email address; equal ranks go by family name. */
  g_assert_cmpint (ids->len, ==, 3);
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, fixture->martin_dupont);
  g_assert_cmpint (g_array_index (ids, gint64, 1), ==, fixture->anna_martin);
  g_assert_cmpint (g_array_index (ids, gint64, 2), ==, fixture->paul_durand);

  all = search (fixture, "");
  g_assert_cmpint (all->len, ==, G_N_ELEMENTS (alphabetical));
  for (guint i = 0; i < G_N_ELEMENTS (alphabetical); i++)
    g_assert_cmpint (g_array_index (all, gint64, i), ==, alphabetical[i]);
  g_clear_pointer (&all, g_array_unref);

  all = search (fixture, NULL);
  g_assert_cmpint (all->len, ==, G_N_ELEMENTS (alphabetical));

  limited = striae_store_search_patients (fixture->store, "", 2, &error);
  g_assert_no_error (error);
  g_assert_cmpint (limited->len, ==, 2);
  g_assert_cmpint (g_array_index (limited, gint64, 1), ==, fixture->martin_dupont);
  g_clear_pointer (&limited, g_array_unref);

  limited = striae_store_search_patients (fixture->store, "martin", 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (limited->len, ==, 1);
}

static void
test_search_exact_family_above_email (SearchFixture *fixture,
                                      gconstpointer  data)
{
  g_autoptr(GArray) ids = NULL;
  gint64 durand_by_mail;

  durand_by_mail = add (fixture->store, "Claire", "Aubert", "1960-01-01", "",
                        "durand@example.fr");
  ids = search (fixture, "durand");
  g_assert_cmpint (ids->len, ==, 2);
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, fixture->paul_durand);
  g_assert_cmpint (g_array_index (ids, gint64, 1), ==, durand_by_mail);
}

static void
test_search_hostile (SearchFixture *fixture,
                     gconstpointer  data)
{
  static const char * const inputs[] = {
    "\"", "\"\"", "*", "**", "AND", "OR", "NOT", "NEAR", "NEAR(", "(", ")", "-", "--", "+",
    "^", ":", "{", "}", "a\"b", "zo\"e", "'", "';DROP TABLE patients;--", "given_name:zoe",
    "zoe*", "\"zoe\"", "NEAR(zoe martin)", "zoe AND", "OR zoe", "- zoe", "\\", "%", "_",
    "\xff\xfe", "Zo\xc3", "    ", "\t\n", "🙂", "a b c d e f g h i j k l m n o p",
  };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) ids = striae_store_search_patients (fixture->store, inputs[i], 0, &error);

      if (error != NULL)
        g_error ("Searching “%s” failed: %s", inputs[i], error->message);
      g_assert_nonnull (ids);
    }

  /* Quotes and operators are only separators; the words around them still count. */
  assert_only (fixture, "\"wiś\" (-*", fixture->zoe);
  g_assert_cmpint (striae_store_count_patients (fixture->store, NULL), ==, 9);
}

static void
test_search_follows_changes (SearchFixture *fixture,
                             gconstpointer  data)
{
  g_autoptr(StriaePatient) dupont = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;

  dupont = striae_store_get_patient (fixture->store, fixture->martin_dupont, &error);
  g_assert_no_error (error);
  striae_patient_set_family_name (dupont, "Durant");
  striae_patient_set_phone (dupont, "05 55 55 55");
  g_assert_true (striae_store_update_patient (fixture->store, dupont, &error));
  g_assert_no_error (error);

  ids = search (fixture, "dupont");
  g_assert_cmpint (ids->len, ==, 0);
  g_clear_pointer (&ids, g_array_unref);
  assert_only (fixture, "durant", fixture->martin_dupont);
  assert_only (fixture, "0555", fixture->martin_dupont);

  /* Notes are not indexed; changing them leaves the index alone. */
  striae_patient_set_notes (dupont, "zebra");
  g_assert_true (striae_store_update_patient (fixture->store, dupont, &error));
  ids = search (fixture, "zebra");
  g_assert_cmpint (ids->len, ==, 0);
  g_clear_pointer (&ids, g_array_unref);

  g_assert_true (striae_store_erase_patient (fixture->store, fixture->zoe, &error));
  g_assert_no_error (error);
  ids = search (fixture, "zoe");
  g_assert_cmpint (ids->len, ==, 1);
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, fixture->zoe_caps);
  g_clear_pointer (&ids, g_array_unref);
  ids = search (fixture, "0612");
  g_assert_cmpint (ids->len, ==, 0);
}

/* An archived patient leaves the register's list and searches, is found among the archived,
 * and comes back when unarchived; each change is audited, a change to what already holds is
 * no change. */
static void
test_search_archived (SearchFixture *fixture,
                      gconstpointer  data)
{
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GArray) all = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *export = NULL;
  gboolean archived = TRUE;

  all = search (fixture, "");
  g_assert_true (striae_store_get_patient_archived (fixture->store, fixture->zoe, &archived,
                                                    &error));
  g_assert_false (archived);
  g_assert_true (striae_store_set_patient_archived (fixture->store, fixture->zoe, TRUE,
                                                    "Dr Roux", &error));
  g_assert_no_error (error);
  g_assert_true (striae_store_get_patient_archived (fixture->store, fixture->zoe, &archived,
                                                    &error));
  g_assert_true (archived);

  /* Left out of the register, by list and by search. */
  ids = search (fixture, "");
  g_assert_cmpuint (ids->len, ==, all->len - 1);
  g_assert_cmpint (position_of (ids, fixture->zoe), <, 0);
  g_clear_pointer (&ids, g_array_unref);
  ids = search (fixture, "0612");
  g_assert_cmpuint (ids->len, ==, 0);
  g_clear_pointer (&ids, g_array_unref);
  assert_only (fixture, "zoe", fixture->zoe_caps);

  /* Found among the archived. */
  ids = striae_store_search_patients_full (fixture->store, "", 0,
                                           STRIAE_SEARCH_FLAGS_ARCHIVED, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 1);
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, fixture->zoe);
  g_clear_pointer (&ids, g_array_unref);
  ids = striae_store_search_patients_full (fixture->store, "wisniew", 0,
                                           STRIAE_SEARCH_FLAGS_ARCHIVED, &error);
  g_assert_cmpuint (ids->len, ==, 1);
  g_clear_pointer (&ids, g_array_unref);
  ids = striae_store_search_patients_full (fixture->store, "martin", 0,
                                           STRIAE_SEARCH_FLAGS_ARCHIVED, &error);
  g_assert_cmpuint (ids->len, ==, 0);
  g_clear_pointer (&ids, g_array_unref);

  /* Archiving again changes nothing; an unknown patient is an error. */
  g_assert_true (striae_store_set_patient_archived (fixture->store, fixture->zoe, TRUE, NULL,
                                                    &error));
  g_assert_false (striae_store_set_patient_archived (fixture->store, 99999, TRUE, NULL,
                                                     &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (striae_store_get_patient_archived (fixture->store, 99999, &archived, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Back in the register. */
  g_assert_true (striae_store_set_patient_archived (fixture->store, fixture->zoe, FALSE,
                                                    "Dr Roux", &error));
  g_assert_no_error (error);
  ids = search (fixture, "");
  g_assert_cmpuint (ids->len, ==, all->len);
  g_clear_pointer (&ids, g_array_unref);
  assert_finds (fixture, "0612", fixture->zoe);

  export = striae_store_export_patient (fixture->store, fixture->zoe,
                                        STRIAE_EXPORT_FLAGS_WITH_AUDIT, &error);
  g_assert_no_error (error);
  {
    const char *archive = strstr (export, "\"archive\"");

    g_assert_nonnull (archive);
    g_assert_nonnull (strstr (archive, "\"unarchive\""));
    /* Once each: the second archive changed nothing. */
    g_assert_null (strstr (archive + 1, "\"archive\""));
  }
  g_assert_cmpstr (striae_audit_action_to_string (STRIAE_AUDIT_ARCHIVE), ==, "archive");
  g_assert_cmpstr (striae_audit_action_to_string (STRIAE_AUDIT_UNARCHIVE), ==, "unarchive");
  g_assert_true (striae_store_verify_audit (fixture->store, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
async_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  GArray **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = striae_store_search_patients_finish (STRIAE_STORE (source), result, &error);
  g_assert_no_error (error);
}

static void
test_search_async (SearchFixture *fixture,
                   gconstpointer  data)
{
  GArray *ids = NULL;

  striae_store_search_patients_async (fixture->store, "wis", 0, NULL, async_cb, &ids);
  while (ids == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpint (ids->len, ==, 1);
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, fixture->zoe);
  g_array_unref (ids);
}

static void
cancelled_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;

  ids = striae_store_search_patients_finish (STRIAE_STORE (source), result, &error);
  g_assert_null (ids);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  *done = TRUE;
}

static void
test_search_async_cancelled (SearchFixture *fixture,
                             gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  gboolean done = FALSE;

  g_cancellable_cancel (cancellable);
  striae_store_search_patients_async (fixture->store, "a", 0, cancellable, cancelled_cb,
                                      &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* Schema 16 (issue 15): the audit subjects' uniqueness moves from the UNIQUE constraint of
 * step 1, whose index SQLite cannot drop, to a named unique index that a bulk insert sets
 * aside. A file of version 15 keeps every subject, the index refuses a second patient with
 * the same subject, and new patients still get one. */
static void
test_migrate_audit_subjects_index (Fixture       *fixture,
                                   gconstpointer  data)
{
  static const char subjects_sql[] =
    "SELECT group_concat (patient_id || ' ' || subject, ',')"
    "  FROM (SELECT patient_id, subject FROM audit_subjects ORDER BY patient_id)";
  g_autoptr(StriaeStore) store = open_store (fixture->path);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *integrity = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (striae_store_get_latest_schema_version (), >=, 16);
  add (store, "Anna", "Martin", "1970-01-15", "", "");
  add (store, "Paul", "Durand", "1990-11-30", "", "");
  add (store, "Inès", "Moreau", "1991-04-02", "", "");
  g_clear_object (&store);
  before = sql_text (fixture->path, subjects_sql);

  /* Back to version 15, as Striae left it. */
  run_sql (fixture->path,
           "BEGIN;"
           "DROP TRIGGER audit_subjects_insert;"
           "DROP INDEX audit_subjects_by_subject;"
           "ALTER TABLE audit_subjects RENAME TO audit_subjects_16;"
           "CREATE TABLE audit_subjects ("
           "  patient_id INTEGER PRIMARY KEY REFERENCES patients (id) ON DELETE CASCADE,"
           "  subject    TEXT NOT NULL UNIQUE"
           ");"
           "INSERT INTO audit_subjects SELECT patient_id, subject FROM audit_subjects_16;"
           "DROP TABLE audit_subjects_16;"
           "CREATE TRIGGER audit_subjects_insert AFTER INSERT ON patients BEGIN"
           "  INSERT INTO audit_subjects (patient_id, subject)"
           "    VALUES (new.id, lower (hex (randomblob (16))));"
           "END;"
           "PRAGMA user_version = 15;"
           "COMMIT;");
  g_assert_cmpint (sql_int (fixture->path, "SELECT count (*) FROM sqlite_master"
                                           "  WHERE tbl_name = 'audit_subjects'"
                                           "    AND type = 'index' AND sql IS NULL"), ==, 1);

  store = open_store (fixture->path);
  g_assert_cmpint (striae_store_get_schema_version (store), ==,
                   striae_store_get_latest_schema_version ());
  after = sql_text (fixture->path, subjects_sql);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (sql_int (fixture->path, "SELECT count (*) FROM sqlite_master"
                                           "  WHERE tbl_name = 'audit_subjects'"
                                           "    AND type = 'index' AND sql IS NULL"), ==, 0);
  g_assert_cmpint (sql_int (fixture->path, "SELECT count (*) FROM sqlite_master"
                                           "  WHERE name = 'audit_subjects_by_subject'"
                                           "    AND sql LIKE 'CREATE UNIQUE INDEX %'"), ==, 1);

  add (store, "Marta", "Nowak", "1985-06-01", "", "");
  g_clear_object (&store);
  g_assert_cmpint (sql_int (fixture->path, "SELECT count (DISTINCT subject) FROM audit_subjects"
                                           "  JOIN patients ON patients.id = patient_id"),
                   ==, 4);

  /* A second row with a subject already taken (foreign keys are off on this connection). */
  g_assert_cmpint (sqlite3_open_v2 (fixture->path, &db, SQLITE_OPEN_READWRITE, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO audit_subjects (patient_id, subject)"
                                     "  SELECT 1000, subject FROM audit_subjects"
                                     "    WHERE patient_id = 1", NULL, NULL, NULL), ==,
                   SQLITE_CONSTRAINT);
  g_assert_cmpint (sqlite3_extended_errcode (db), ==, SQLITE_CONSTRAINT_UNIQUE);
  sqlite3_close (db);
  integrity = sql_text (fixture->path, "PRAGMA integrity_check");
  g_assert_cmpstr (integrity, ==, "ok");
}

/* Schema 9 (the search's tiers: on a file, one index of the register's order for the
 * archived and the others; on a server, the prefix query restricted to some columns): records
 * of version 8 move to it, and their search pages as before. */
static void
test_migrate_search_tiers (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(StriaeStore) store = striae_test_store_open (fixture->location);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (striae_store_get_latest_schema_version (), >=, 13);
  add (store, "Anna", "Martin", "1970-01-15", "", "");
  add (store, "Martin", "Dupont", "1965-07-04", "", "");
  add (store, "Paul", "Durand", "1990-11-30", "", "martin.fan@example.org");
  g_clear_object (&store);

  /* Back to version 9, as Striae left it. */
  if (striae_test_backend_is ("sqlite"))
    striae_test_store_exec (fixture->location,
                            "DROP INDEX patients_by_archived_sort_key;"
                            "DROP INDEX patients_list_keys;"
                            "CREATE INDEX patients_by_sort_key ON patients (sort_key);"
                            "CREATE INDEX patients_archived_by_sort_key ON patients (sort_key)"
                            "  WHERE archived = 1;"
                            "PRAGMA user_version = 9;");
  else
    striae_test_store_exec (fixture->location,
                            "DROP FUNCTION striae_query (text, text);"
                            "UPDATE striae_schema SET version = 9;");

  store = striae_test_store_open (fixture->location);
  g_assert_cmpint (striae_store_get_schema_version (store), ==,
                   striae_store_get_latest_schema_version ());
  if (striae_test_backend_is ("sqlite"))
    {
      g_assert_cmpint (striae_test_store_query_int (fixture->location,
                                                    "SELECT count (*) FROM sqlite_master"
                                                    "  WHERE name IN ("
                                                    "    'patients_by_archived_sort_key',"
                                                    "    'patients_list_keys')"),
                       ==, 2);
      g_assert_cmpint (striae_test_store_query_int (fixture->location,
                                                    "SELECT count (*) FROM sqlite_master"
                                                    "  WHERE name IN ('patients_by_sort_key',"
                                                    "    'patients_archived_by_sort_key')"),
                       ==, 0);
    }

  /* Names first, in the register's order, then the email address. */
  ids = striae_store_search_patients (store, "martin", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 3);
  assert_rows_agree (store, "martin", STRIAE_SEARCH_FLAGS_NONE, ids);
  rows = striae_store_search_rows (store, "martin", STRIAE_SEARCH_FLAGS_NONE, NULL, 0, NULL,
                                   &error);
  g_assert_no_error (error);
  g_assert_cmpstr (((StriaePatientSummary *) g_ptr_array_index (rows, 0))->family_name, ==,
                   "Dupont");
  g_assert_cmpstr (((StriaePatientSummary *) g_ptr_array_index (rows, 1))->family_name, ==,
                   "Martin");
  g_assert_cmpstr (((StriaePatientSummary *) g_ptr_array_index (rows, 2))->family_name, ==,
                   "Durand");
}

/* A row carries what the list shows: the names as stored, the date of birth and whether a
 * consultation is open as a draft, from the query that found it. */
static void
test_search_rows (SearchFixture *fixture,
                  gconstpointer  data)
{
  g_autoptr(StriaeConsultation) draft = striae_consultation_new ();
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  StriaePatientSummary *row;

  striae_consultation_set_patient_id (draft, fixture->zoe);
  g_assert_true (striae_store_save_consultation (fixture->store, draft, "Dr Roux", &error));
  g_assert_no_error (error);

  rows = striae_store_search_rows (fixture->store, "zoe", STRIAE_SEARCH_FLAGS_NONE, NULL, 0,
                                   NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 2);
  for (guint i = 0; i < rows->len; i++)
    {
      row = g_ptr_array_index (rows, i);
      if (row->id == fixture->zoe)
        {
          g_assert_cmpstr (row->given_name, ==, "Zoë");
          g_assert_cmpstr (row->family_name, ==, "Wiśniewska");
          g_assert_cmpstr (row->birth_date, ==, "1990-05-12");
          g_assert_true (row->has_draft);
        }
      else
        {
          g_assert_cmpint (row->id, ==, fixture->zoe_caps);
          g_assert_cmpstr (row->given_name, ==, "ZOË");
          g_assert_cmpstr (row->family_name, ==, "Ng");
          g_assert_cmpstr (row->birth_date, ==, "1985-03-02");
          g_assert_false (row->has_draft);
        }
    }
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* The register's order, with the draft flag too. */
  rows = search_rows_paged (fixture->store, "", STRIAE_SEARCH_FLAGS_NONE, 4);
  g_assert_cmpuint (rows->len, ==, 9);
  for (guint i = 0; i < rows->len; i++)
    {
      row = g_ptr_array_index (rows, i);
      g_assert_true (row->has_draft == (row->id == fixture->zoe));
    }
}

/* Many patients with the same names (equal ranks, equal sort keys): pages of any size give
 * each match once, in the order of one search for all, ties going by id; archived patients
 * page on their own. */
static void
test_search_pages (SearchFixture *fixture,
                   gconstpointer  data)
{
  static const char * const queries[] = {
    "", "m", "ma", "mar", "martin", "n", "zoe", "z", "0", "06 12", "1990", "nowak m",
    "łucja", "lucja", "gross", "groß", "søren", "soren", "@",
  };
  static const char * const given[] = { "Martin", "Maria", "Łucja", "Søren", "Zoé" };
  static const char * const family[] = { "Martin", "Nowak", "Groß", "Ng", "Marín" };
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 60; i++)
    {
      StriaePatient *patient = make_patient (given[i % G_N_ELEMENTS (given)],
                                             family[(i / 3) % G_N_ELEMENTS (family)],
                                             i % 2 ? "1990-05-12" : "1975-01-31",
                                             i % 4 ? "" : "06 12 34 56 78",
                                             i % 5 ? "" : "martin@example.org");

      g_ptr_array_add (batch, patient);
    }
  g_assert_true (striae_store_add_patients (fixture->store, batch, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 60; i += 7)
    {
      g_assert_true (striae_store_set_patient_archived (fixture->store,
                                                        striae_patient_get_id (
                                                          g_ptr_array_index (batch, i)),
                                                        TRUE, NULL, &error));
      g_assert_no_error (error);
    }

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      for (guint archived = 0; archived < 2; archived++)
        {
          StriaeSearchFlags flags = archived ? STRIAE_SEARCH_FLAGS_ARCHIVED
                                             : STRIAE_SEARCH_FLAGS_NONE;
          g_autoptr(GArray) ids = striae_store_search_patients_full (fixture->store,
                                                                     queries[i], 0, flags,
                                                                     &error);
          g_autoptr(GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);

          g_assert_no_error (error);
          assert_rows_agree (fixture->store, queries[i], flags, ids);
          for (guint j = 0; j < ids->len; j++)
            g_assert_true (g_hash_table_add (seen, &g_array_index (ids, gint64, j)));
        }
    }

  /* The folding is the search's: ł, ø and ß typed in ASCII find them, and so do accents. */
  {
    g_autoptr(GArray) lucja = search (fixture, "lucja");
    g_autoptr(GArray) soren = search (fixture, "soren");
    g_autoptr(GArray) gross = search (fixture, "gross");
    g_autoptr(GArray) marin = search (fixture, "marin");

    g_assert_cmpuint (lucja->len, >, 0);
    g_assert_cmpuint (soren->len, >, 0);
    g_assert_cmpuint (gross->len, >, 0);
    g_assert_cmpuint (marin->len, >, 0);
  }
}

/* A register where a search finds more than a page, more than 1 000 patients, spread over
 * the register's order or all together at its end, with ties: the pages the list asks for,
 * whatever their size, give the rows of the whole search, each once, in the search's order
 * (tier, then sort key, then id), and as many as there are. At the store's costs the spread
 * matches are walked and those at the end read after the walk gave up. */
static void
test_search_many_matches (SearchFixture *fixture,
                          gconstpointer  data)
{
  static const struct
  {
    const char *text;
    guint       expected;
  } cases[] = {
    { "zo", 300 },        /* Zöller Anna, 300 ties at the register's end */
    { "zöl", 300 },
    { "mae", 1340 },      /* Maëlle, one in five of the others */
    { "maë", 1340 },
    { "06 12", 2234 },    /* a phone number, one in three */
    { "0612", 2234 },
    { "a", 7000 },        /* everyone, the nine of the fixture aside */
  };
  static const guint pages[] = { 200, 7 };
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 7000; i++)
    g_ptr_array_add (batch, i < 6700
                              ? make_patient (i % 5 == 0 ? "Maëlle" : "Anna",
                                              i % 2 ? "Abel" : "Adler", "1980-01-01",
                                              i % 3 == 0 ? "06 12 34 56 78" : "", "")
                              : make_patient ("Anna", "Zöller", "1980-01-01", "", ""));
  g_assert_true (striae_store_add_patients (fixture->store, batch, &error));
  g_assert_no_error (error);

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(GPtrArray) all = search_rows_paged (fixture->store, cases[c].text,
                                                    STRIAE_SEARCH_FLAGS_NONE, 0);
      guint fixture_matches = 0;

      g_test_message ("search: %s", cases[c].text);
      for (guint i = 1; i < all->len; i++)
        {
          const StriaePatientSummary *a = g_ptr_array_index (all, i - 1);
          const StriaePatientSummary *b = g_ptr_array_index (all, i);
          int by_key = g_strcmp0 (a->sort_key, b->sort_key);

          g_assert_true (a->rank < b->rank ||
                         (a->rank == b->rank && (by_key < 0 ||
                                                 (by_key == 0 && a->id < b->id))));
        }
      for (guint i = 0; i < all->len; i++)
        if (((StriaePatientSummary *) g_ptr_array_index (all, i))->id <= fixture->olga)
          fixture_matches++;
      g_assert_cmpuint (all->len - fixture_matches, ==, cases[c].expected);

      for (guint p = 0; p < G_N_ELEMENTS (pages); p++)
        {
          g_autoptr(GPtrArray) paged = search_rows_paged (fixture->store, cases[c].text,
                                                          STRIAE_SEARCH_FLAGS_NONE, pages[p]);

          g_assert_cmpuint (paged->len, ==, all->len);
          for (guint i = 0; i < all->len; i++)
            g_assert_cmpint (((StriaePatientSummary *) g_ptr_array_index (paged, i))->id, ==,
                             ((StriaePatientSummary *) g_ptr_array_index (all, i))->id);
        }

      g_assert_cmpint (striae_store_count_matches (fixture->store, cases[c].text,
                                                   STRIAE_SEARCH_FLAGS_NONE, 1001, NULL,
                                                   &error), ==, MIN (all->len, 1001));
      g_assert_no_error (error);
    }
}

/* Each page the list asks for agrees with the whole search read at once. */
static void
assert_pages_agree (StriaeStore        *store,
                    const char         *text,
                    StriaeSearchFlags   flags)
{
  g_autoptr(GPtrArray) all = search_rows_paged (store, text, flags, 0);
  g_autoptr(GPtrArray) paged = search_rows_paged (store, text, flags, 2);

  g_assert_cmpuint (paged->len, ==, all->len);
  for (guint i = 0; i < all->len; i++)
    g_assert_cmpint (((StriaePatientSummary *) g_ptr_array_index (paged, i))->id, ==,
                     ((StriaePatientSummary *) g_ptr_array_index (all, i))->id);
}

static gint64
first_id (StriaeStore *store,
          const char  *text)
{
  g_autoptr(GPtrArray) rows = search_rows_paged (store, text, STRIAE_SEARCH_FLAGS_NONE, 2);

  g_assert_cmpuint (rows->len, >, 0);
  return ((StriaePatientSummary *) g_ptr_array_index (rows, 0))->id;
}

static void
rename_patient (StriaeStore *store,
                gint64       id,
                const char  *family)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StriaePatient) patient = striae_store_get_patient (store, id, &error);

  g_assert_no_error (error);
  striae_patient_set_family_name (patient, family);
  g_assert_true (striae_store_update_patient (store, patient, &error));
  g_assert_no_error (error);
}

/* The search's pages follow every change to the patients' order: a family name changed, a
 * patient archived or added, here and by another program on the same records (seen at once
 * for an addition, at the records' next check of changes for the rest). */
static void
test_search_order_follows_changes (SearchFixture *fixture,
                             gconstpointer  data)
{
  g_autoptr(StriaeStore) other = NULL;
  g_autoptr(GError) error = NULL;
  gint64 abel = add (fixture->store, "Annette", "Abel", "1980-01-01", "", "");
  gint64 brun = add (fixture->store, "Annette", "Brun", "1980-01-01", "", "");
  gint64 caron = add (fixture->store, "Annette", "Caron", "1980-01-01", "", "");
  gint64 aaron;

  add (fixture->store, "Annette", "Dupuis", "1980-01-01", "", "");
  g_assert_cmpint (first_id (fixture->store, "annet"), ==, abel);
  assert_pages_agree (fixture->store, "annet", STRIAE_SEARCH_FLAGS_NONE);

  rename_patient (fixture->store, abel, "Zola");
  g_assert_cmpint (first_id (fixture->store, "annet"), ==, brun);
  assert_pages_agree (fixture->store, "annet", STRIAE_SEARCH_FLAGS_NONE);

  g_assert_true (striae_store_set_patient_archived (fixture->store, brun, TRUE, "Dr Roux",
                                                    &error));
  g_assert_no_error (error);
  g_assert_cmpint (first_id (fixture->store, "annet"), ==, caron);
  assert_pages_agree (fixture->store, "annet", STRIAE_SEARCH_FLAGS_NONE);
  assert_pages_agree (fixture->store, "annet", STRIAE_SEARCH_FLAGS_ARCHIVED);

  /* Another program on the same records. */
  g_assert_true (striae_store_check_changes (fixture->store, &error));
  other = striae_test_store_open (fixture->location);
  aaron = add (other, "Annette", "Aaron", "1980-01-01", "", "");
  g_assert_cmpint (first_id (fixture->store, "annet"), ==, aaron);
  assert_pages_agree (fixture->store, "annet", STRIAE_SEARCH_FLAGS_NONE);

  rename_patient (other, aaron, "Zucca");
  g_assert_true (striae_store_check_changes (fixture->store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (first_id (fixture->store, "annet"), ==, caron);
  assert_pages_agree (fixture->store, "annet", STRIAE_SEARCH_FLAGS_NONE);
}

/* Family names that spread the register's order: a patient's place moves far when renamed
 * from one to another. */
static const char * const spread_names[] = {
  "Abel", "Aubry", "Barre", "Caron", "Dufour", "Dupuis", "Fabre", "Garnier", "Henry", "Joly",
  "Lacroix", "Marchand", "Meunier", "Noël", "Perrin", "Roux", "Schmitt", "Vidal", "Weber",
  "Zola",
};

/* @n patients called Annette, in one transaction, their family names spread. */
static void
add_annettes (StriaeStore *store,
              guint        n,
              guint        seed)
{
  g_autoptr(GPtrArray) patients = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < n; i++)
    {
      const char *family = spread_names[(i * 7 + seed) % G_N_ELEMENTS (spread_names)];

      g_ptr_array_add (patients, make_patient (i % 3 == 0 ? "Annette" : "Anne-Marie", family,
                                               "1980-01-01", i % 5 == 0 ? "06 12 34 56 78" : "",
                                               ""));
    }
  g_assert_true (striae_store_add_patients (store, patients, &error));
  g_assert_no_error (error);
}

static void
assert_same_rows (GPtrArray *a,
                  GPtrArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    {
      const StriaePatientSummary *ra = g_ptr_array_index (a, i);
      const StriaePatientSummary *rb = g_ptr_array_index (b, i);

      g_assert_cmpint (ra->id, ==, rb->id);
      g_assert_cmpfloat (ra->rank, ==, rb->rank);
    }
}

/* The pages a typed search gives through the register's order in memory (brought up to
 * date or built again) are those SQL gives ranking without it, and every match at once. */
static void
assert_order_and_sql_agree (StriaeStore *store)
{
  static const char * const texts[] = { "a", "an", "annet", "anne-m", "du", "z", "06", "061" };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    for (guint archived = 0; archived < 2; archived++)
      {
        StriaeSearchFlags flags = archived ? STRIAE_SEARCH_FLAGS_ARCHIVED
                                           : STRIAE_SEARCH_FLAGS_NONE;
        g_autoptr(GPtrArray) ordered = NULL;
        g_autoptr(GPtrArray) ranked = NULL;
        g_autoptr(GPtrArray) all = NULL;

        striae_store_debug_set_order (STRIAE_STORE_DEBUG_ORDER_WAIT);
        ordered = search_rows_paged (store, texts[i], flags, 7);
        striae_store_debug_set_order (STRIAE_STORE_DEBUG_ORDER_NEVER);
        ranked = search_rows_paged (store, texts[i], flags, 7);
        all = search_rows_paged (store, texts[i], flags, 0);
        assert_same_rows (ordered, ranked);
        assert_same_rows (ordered, all);
      }
  striae_store_debug_set_order (STRIAE_STORE_DEBUG_ORDER_WAIT);
}

/* Issue 15: whatever answers a typed search (the order in memory as built, as brought up to
 * date in place after this process's changes, as built again after another's, or SQL while
 * there is none), the rows are the same, in the same order. */
static void
test_search_order_and_sql_agree (SearchFixture *fixture,
                                 gconstpointer  data)
{
  g_autoptr(StriaeStore) other = NULL;
  g_autoptr(GError) error = NULL;
  gint64 first, middle, last;

  add_annettes (fixture->store, 90, 0);
  first = add (fixture->store, "Annette", "Abel", "1980-01-01", "", "");
  middle = add (fixture->store, "Annette", "Lacroix", "1980-01-01", "", "");
  last = add (fixture->store, "Annette", "Zola", "1980-01-01", "", "");
  assert_order_and_sql_agree (fixture->store);

  /* A few changes, put back at their places in the order. */
  rename_patient (fixture->store, first, "Zzyzx");
  rename_patient (fixture->store, last, "Aaron");
  rename_patient (fixture->store, middle, "Lacroix-Abel");
  add (fixture->store, "Annette", "Martin", "1980-01-01", "", "");
  add (fixture->store, "Anne-Marie", "Aaby", "1980-01-01", "06 12 34 56 79", "");
  g_assert_true (striae_store_set_patient_archived (fixture->store, middle, TRUE, "Dr Roux",
                                                    &error));
  g_assert_no_error (error);
  g_assert_true (striae_store_set_patient_archived (fixture->store, first + 3, TRUE, "Dr Roux",
                                                    &error));
  g_assert_no_error (error);
  assert_order_and_sql_agree (fixture->store);

  g_assert_true (striae_store_set_patient_archived (fixture->store, middle, FALSE, "Dr Roux",
                                                    &error));
  g_assert_no_error (error);
  g_assert_true (striae_store_erase_patient (fixture->store, first + 3, &error));
  g_assert_no_error (error);
  rename_patient (fixture->store, first, "Abel");
  assert_order_and_sql_agree (fixture->store);

  /* More than the order takes one by one: built again. */
  add_annettes (fixture->store, 80, 3);
  assert_order_and_sql_agree (fixture->store);

  /* Another program on the same records. */
  other = striae_test_store_open (fixture->location);
  g_assert_true (striae_store_check_changes (fixture->store, &error));
  g_assert_no_error (error);
  rename_patient (other, last, "Zorro");
  add (other, "Annette", "Aalto", "1980-01-01", "", "");
  g_assert_true (striae_store_check_changes (fixture->store, &error));
  g_assert_no_error (error);
  assert_order_and_sql_agree (fixture->store);
}

/* Issue 15: a patient put back in the order takes a label between its neighbours' and the
 * others keep theirs; where many are put back between the same two (each after the last,
 * so that the gap halves each time: about 30 times on a few patients), or before the first
 * or after the last, the labels run out there and are spread again. The pages stay those
 * SQL gives. */
static void
test_search_order_labels_run_out (SearchFixture *fixture,
                                  gconstpointer  data)
{
  add (fixture->store, "Annette", "Abel", "1980-01-01", "", "");
  add (fixture->store, "Annette", "Brun", "1980-01-01", "", "");
  add (fixture->store, "Annette", "Caron", "1980-01-01", "", "");
  assert_order_and_sql_agree (fixture->store);

  for (guint i = 0; i < 40; i++)
    {
      g_autofree char *between = g_strdup_printf ("Abel-%02u", i);
      g_autofree char *before = g_strdup_printf ("Aa%c", 'z' - i % 26);
      g_autofree char *after = g_strdup_printf ("Zola-%02u", i);

      add (fixture->store, "Annette", between, "1980-01-01", "", "");
      add (fixture->store, "Anne-Marie", i < 26 ? before : after, "1980-01-01", "", "");
      assert_order_and_sql_agree (fixture->store);
    }
}

/* Issue 15: the first typed search after a patient's edit does not read every patient again
 * (at a million, a pass of about a second): the order in memory puts the patient back at
 * its place. */
static void
test_search_change_reads_a_page (SearchFixture *fixture,
                                 gconstpointer  data)
{
  g_autoptr(GPtrArray) before_rows = NULL;
  g_autoptr(GPtrArray) after_rows = NULL;
  g_autoptr(GError) error = NULL;
  guint n_patients = 400;
  guint before;
  guint read;

  add_annettes (fixture->store, n_patients, 0);
  striae_store_debug_set_order (STRIAE_STORE_DEBUG_ORDER_WAIT);
  before_rows = striae_store_search_rows (fixture->store, "annet", STRIAE_SEARCH_FLAGS_NONE,
                                          NULL, 5, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (before_rows->len, ==, 5);

  rename_patient (fixture->store, ((StriaePatientSummary *) before_rows->pdata[0])->id,
                  "Zzyzx");
  before = striae_store_debug_get_rows_read ();
  after_rows = striae_store_search_rows (fixture->store, "annet", STRIAE_SEARCH_FLAGS_NONE,
                                         NULL, 5, NULL, &error);
  g_assert_no_error (error);
  read = striae_store_debug_get_rows_read () - before;
  g_test_message ("rows read by the first search after an edit: %u", read);
  g_assert_cmpuint (after_rows->len, ==, 5);
  g_assert_cmpint (((StriaePatientSummary *) after_rows->pdata[0])->id, ==,
                   ((StriaePatientSummary *) before_rows->pdata[1])->id);
  g_assert_cmpuint (read, >=, 5);
  g_assert_cmpuint (read, <, n_patients);
}

/* Issue 15: without the register's order in memory (the first second after the window
 * opened a large register), a typed search's page is not found by looking every match up.
 * Spread matches (one Maëlle in five) are found by walking the register's order: the page
 * of 7 reads a few dozen rows, not the 600 matches. The matches of a family name (Zöller)
 * lie at the register's end, where the walk gives up; they are walked where the sort keys
 * begin as the word typed, and the few given names (Zoé) spread elsewhere are looked up.
 * Whichever way, the pages are those of the order in memory and of every match at once. */
static void
test_search_first_page_walks (SearchFixture *fixture,
                              gconstpointer  data)
{
  static const char * const texts[] = { "mae", "zo", "fri", "zol", "06 12" };
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  guint before, read;

  for (guint i = 0; i < 3000; i++)
    {
      const char *given = i % 5 == 0 ? "Maëlle" : i % 97 == 0 ? "Zoé" : "Anna";
      const char *family = spread_names[i % G_N_ELEMENTS (spread_names)];

      g_ptr_array_add (batch, i < 2600
                                ? make_patient (given, family, "1980-01-01",
                                                i % 3 == 0 ? "06 12 34 56 78" : "", "")
                                : make_patient (i % 2 ? "Anna" : "Frida",
                                                i % 4 < 2 ? "Zöller" : "Zylka", "1980-01-01",
                                                "", ""));
    }
  g_assert_true (striae_store_add_patients (fixture->store, batch, &error));
  g_assert_no_error (error);
  for (guint i = 7; i < 3000; i += 211)
    {
      g_assert_true (striae_store_set_patient_archived (fixture->store,
                                                        striae_patient_get_id (
                                                          g_ptr_array_index (batch, i)),
                                                        TRUE, NULL, &error));
      g_assert_no_error (error);
    }

  striae_store_debug_set_order (STRIAE_STORE_DEBUG_ORDER_NEVER);
  before = striae_store_debug_get_rows_read ();
  rows = striae_store_search_rows (fixture->store, "mae", STRIAE_SEARCH_FLAGS_NONE, NULL, 7,
                                   NULL, &error);
  read = striae_store_debug_get_rows_read () - before;
  g_assert_no_error (error);
  g_test_message ("rows read for a page of 7 of the 600 Maëlles: %u", read);
  g_assert_cmpuint (rows->len, ==, 7);
  g_assert_cmpuint (read, <, 100);

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    for (guint archived = 0; archived < 2; archived++)
      for (guint size = 7; size <= 200; size += 193)
        {
          StriaeSearchFlags flags = archived ? STRIAE_SEARCH_FLAGS_ARCHIVED
                                             : STRIAE_SEARCH_FLAGS_NONE;
          g_autoptr(GPtrArray) ordered = NULL;
          g_autoptr(GPtrArray) walked = NULL;
          g_autoptr(GPtrArray) all = NULL;

          g_test_message ("search: %s, archived %u, pages of %u", texts[i], archived, size);
          striae_store_debug_set_order (STRIAE_STORE_DEBUG_ORDER_WAIT);
          ordered = search_rows_paged (fixture->store, texts[i], flags, size);
          striae_store_debug_set_order (STRIAE_STORE_DEBUG_ORDER_NEVER);
          walked = search_rows_paged (fixture->store, texts[i], flags, size);
          all = search_rows_paged (fixture->store, texts[i], flags, 0);
          g_assert_cmpuint (all->len, >, 0);
          assert_same_rows (walked, all);
          assert_same_rows (ordered, all);
        }
  striae_store_debug_set_order (STRIAE_STORE_DEBUG_ORDER_WAIT);
}

/* Issue 15: the first typed search of records just opened does not wait for the register's
 * order to be read: here every row read costs 2 ms, so that a pass over the 300 patients
 * takes 0.6 s at least; the search ranks its five rows without it meanwhile. */
static void
test_search_first_does_not_wait (SearchFixture *fixture,
                                 gconstpointer  data)
{
  g_autoptr(StriaeStore) reopened = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) expected = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start, elapsed;

  add_annettes (fixture->store, 300, 0);
  striae_store_debug_set_order (STRIAE_STORE_DEBUG_ORDER_NEVER);
  expected = striae_store_search_rows (fixture->store, "annet", STRIAE_SEARCH_FLAGS_NONE, NULL,
                                       5, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&fixture->store);

  striae_store_debug_set_order (STRIAE_STORE_DEBUG_ORDER_BACKGROUND);
  reopened = striae_test_store_open (fixture->location);
  striae_store_debug_set_row_delay (2000);
  start = g_get_monotonic_time ();
  rows = striae_store_search_rows (reopened, "annet", STRIAE_SEARCH_FLAGS_NONE, NULL, 5, NULL,
                                   &error);
  elapsed = g_get_monotonic_time () - start;
  striae_store_debug_set_row_delay (0);
  g_assert_no_error (error);
  g_test_message ("the first typed search took %" G_GINT64_FORMAT " ms", elapsed / 1000);
  assert_same_rows (rows, expected);
  g_assert_cmpint (elapsed, <, 300 * 2000);
}

static void
rows_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GPtrArray **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = striae_store_search_rows_finish (STRIAE_STORE (source), result, &error);
  g_assert_no_error (error);
}

static void
count_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  gint64 *out = user_data;
  g_autoptr(GError) error = NULL;

  *out = striae_store_count_matches_finish (STRIAE_STORE (source), result, &error);
  g_assert_no_error (error);
}

static void
test_search_rows_async (SearchFixture *fixture,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) next = NULL;
  gint64 count = -1;

  striae_store_search_rows_async (fixture->store, "", STRIAE_SEARCH_FLAGS_NONE, NULL, 5,
                                  G_PRIORITY_DEFAULT, NULL, rows_cb, &first);
  while (first == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (first->len, ==, 5);

  striae_store_search_rows_async (fixture->store, "", STRIAE_SEARCH_FLAGS_NONE,
                                  g_ptr_array_index (first, 4), 5, G_PRIORITY_LOW, NULL,
                                  rows_cb, &next);
  while (next == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (next->len, ==, 4);

  striae_store_count_matches_async (fixture->store, "", STRIAE_SEARCH_FLAGS_NONE, 1001, NULL,
                                    count_cb, &count);
  while (count < 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (count, ==, 9);
}

/* Records without any account need their first administrator on a file (the window's setup
 * page, `striae --init`); a clinic server never does, its logins being its accounts. */
static void
test_needs_setup (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(StriaeStore) store = striae_test_store_open (fixture->location);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (striae_store_needs_setup (store), ==, striae_test_backend_is ("sqlite"));
  g_assert_false (striae_store_has_accounts (store));
  g_assert_cmpint (striae_store_count_entries_before_accounts (store, &error), ==, 0);
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  /* On every backend. */
  g_test_add ("/store/open/new", Fixture, NULL,
              records_set_up, test_open_new, records_tear_down);
  g_test_add_func ("/store/open/default-path", test_default_path);
  g_test_add ("/store/open/reopen", Fixture, NULL,
              records_set_up, test_reopen, records_tear_down);
  g_test_add ("/store/open/needs-setup", Fixture, NULL,
              records_set_up, test_needs_setup, records_tear_down);
  g_test_add ("/store/changes-elsewhere", Fixture, NULL,
              records_set_up, test_changes_elsewhere, records_tear_down);
  g_test_add ("/store/read-only/flag", Fixture, NULL,
              records_set_up, test_read_only_flag, records_tear_down);
  g_test_add ("/store/patient/crud", Fixture, NULL,
              records_set_up, test_crud, records_tear_down);
  g_test_add ("/store/patient/invalid", Fixture, NULL,
              records_set_up, test_invalid, records_tear_down);
  g_test_add ("/store/patient/bulk", Fixture, NULL,
              records_set_up, test_bulk, records_tear_down);
  g_test_add ("/store/patient/odd-characters", Fixture, NULL,
              records_set_up, test_odd_characters, records_tear_down);

  if (striae_test_backend_is ("postgresql"))
    {
      g_test_add ("/store/server/refusals", Fixture, NULL,
                  records_set_up, test_server_refusals, records_tear_down);
      g_test_add ("/store/server/certificate", Fixture, NULL,
                  records_set_up, test_server_certificate, records_tear_down);
      g_test_add ("/store/server/password", Fixture, NULL,
                  records_set_up, test_server_password, records_tear_down);
      g_test_add ("/store/server/reconnect", Fixture, NULL,
                  records_set_up, test_server_reconnect, records_tear_down);
      g_test_add ("/store/server/no-password", Fixture, NULL,
                  records_set_up, test_server_no_password, records_tear_down);
    }

  /* Only a SQLite file has bytes, a header, a mode, a write-ahead log, a folder to make and a
   * size that Striae can cap: these cases are SQLite's alone. Opening a server's URI that
   * cannot be reached needs no server, and runs here once. */
  if (striae_test_backend_is ("sqlite"))
    {
      g_test_add ("/store/full", Fixture, NULL,
                  records_set_up, test_full, records_tear_down);
      g_test_add ("/store/open/new-file", Fixture, NULL,
                  fixture_set_up, test_open_new_file, fixture_tear_down);
      g_test_add ("/store/open/location", Fixture, NULL,
                  fixture_set_up, test_open_location, fixture_tear_down);
      g_test_add ("/store/open/empty-file", Fixture, NULL,
                  fixture_set_up, test_open_existing_empty_file, fixture_tear_down);
      g_test_add ("/store/refuse/not-sqlite", Fixture, NULL,
                  fixture_set_up, test_refuse_not_sqlite, fixture_tear_down);
      g_test_add ("/store/refuse/foreign", Fixture, NULL,
                  fixture_set_up, test_refuse_foreign, fixture_tear_down);
      g_test_add ("/store/refuse/too-new", Fixture, NULL,
                  fixture_set_up, test_refuse_too_new, fixture_tear_down);
      g_test_add ("/store/refuse/truncated", Fixture, NULL,
                  fixture_set_up, test_refuse_truncated, fixture_tear_down);
      g_test_add ("/store/migrate/from-v3", Fixture, NULL,
                  fixture_set_up, test_migrate_from_v3, fixture_tear_down);
      g_test_add ("/store/migrate/revision-facts", Fixture, NULL,
                  fixture_set_up, test_migrate_revision_facts, fixture_tear_down);
      g_test_add ("/store/migrate/audit-subjects-index", Fixture, NULL,
                  fixture_set_up, test_migrate_audit_subjects_index, fixture_tear_down);
      g_test_add ("/store/read-only/permissions", Fixture, NULL,
                  fixture_set_up, test_read_only_permissions, fixture_tear_down);
      g_test_add ("/store/read-only/flag-file", Fixture, NULL,
                  fixture_set_up, test_read_only_flag_file, fixture_tear_down);
      g_test_add ("/store/patient/birth-date-row", Fixture, NULL,
                  fixture_set_up, test_birth_date_row, fixture_tear_down);
    }

  g_test_add ("/store/search/prefix-accents-case", SearchFixture, NULL,
              search_set_up, test_search_prefix_accents_case, search_tear_down);
  g_test_add ("/store/search/folded-letters", SearchFixture, NULL,
              search_set_up, test_search_folded_letters, search_tear_down);
  g_test_add ("/store/search/phone-email-date", SearchFixture, NULL,
              search_set_up, test_search_phone_email_date, search_tear_down);
  g_test_add ("/store/search/ranking", SearchFixture, NULL,
              search_set_up, test_search_ranking, search_tear_down);
  g_test_add ("/store/search/family-above-email", SearchFixture, NULL,
              search_set_up, test_search_exact_family_above_email, search_tear_down);
  g_test_add ("/store/search/hostile", SearchFixture, NULL,
              search_set_up, test_search_hostile, search_tear_down);
  g_test_add ("/store/search/follows-changes", SearchFixture, NULL,
              search_set_up, test_search_follows_changes, search_tear_down);
  g_test_add ("/store/search/archived", SearchFixture, NULL,
              search_set_up, test_search_archived, search_tear_down);
  g_test_add ("/store/search/async", SearchFixture, NULL,
              search_set_up, test_search_async, search_tear_down);
  g_test_add ("/store/search/async-cancelled", SearchFixture, NULL,
              search_set_up, test_search_async_cancelled, search_tear_down);
  g_test_add ("/store/migrate/search-tiers", Fixture, NULL,
              records_set_up, test_migrate_search_tiers, records_tear_down);
  g_test_add ("/store/search/rows", SearchFixture, NULL,
              search_set_up, test_search_rows, search_tear_down);
  g_test_add ("/store/search/pages", SearchFixture, NULL,
              search_set_up, test_search_pages, search_tear_down);
  g_test_add ("/store/search/order-follows-changes", SearchFixture, NULL,
              search_set_up, test_search_order_follows_changes, search_tear_down);
  g_test_add ("/store/search/order-labels-run-out", SearchFixture, NULL,
              search_set_up, test_search_order_labels_run_out, search_tear_down);
  g_test_add ("/store/search/order-and-sql-agree", SearchFixture, NULL,
              search_set_up, test_search_order_and_sql_agree, search_tear_down);
  g_test_add ("/store/search/change-reads-a-page", SearchFixture, NULL,
              search_set_up, test_search_change_reads_a_page, search_tear_down);
  g_test_add ("/store/search/first-page-walks", SearchFixture, NULL,
              search_set_up, test_search_first_page_walks, search_tear_down);
  g_test_add ("/store/search/first-does-not-wait", SearchFixture, NULL,
              search_set_up, test_search_first_does_not_wait, search_tear_down);
  g_test_add ("/store/search/many-matches", SearchFixture, NULL,
              search_set_up, test_search_many_matches, search_tear_down);
  g_test_add ("/store/search/rows-async", SearchFixture, NULL,
              search_set_up, test_search_rows_async, search_tear_down);

  return g_test_run ();
}
