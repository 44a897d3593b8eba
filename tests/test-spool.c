/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "striae-store.h"
#include "striae-test-store.h"
#include "striae-test-date.h"

/* When the server is gone (issue 14): a draft that cannot reach the records is kept on this
 * computer (a 0600 file in a 0700 folder holding exactly its document) and sent once the
 * records answer, through the normal save: removed only after the commit, kept on a
 * conflict. They run on the backend STRIAE_TEST_BACKEND names; in the PostgreSQL pass,
 * /spool/server-stopped stops the private server for real (pg_ctl stop -m immediate) in the
 * middle of a draft and starts it again. */

typedef struct
{
  char        *dir;
  char        *location;
  StriaeStore *store;
  gint64       patient;
  guint        n_sent_signals;
  gint64       sent_old_id;
  gint64       sent_new_id;
  char        *refused;
} Fixture;

static void
spool_sent_cb (StriaeStore        *store,
               gint64              old_id,
               StriaeConsultation *consultation,
               Fixture            *fixture)
{
  fixture->n_sent_signals++;
  fixture->sent_old_id = old_id;
  fixture->sent_new_id = striae_consultation_get_id (consultation);
}

static void
spool_refused_cb (StriaeStore *store,
                  gint64       id,
                  gint64       patient_id,
                  const char  *message,
                  Fixture     *fixture)
{
  g_free (fixture->refused);
  fixture->refused = g_strdup (message);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(StriaePatient) patient = striae_patient_new ();
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("striae-spool-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->location = striae_test_store_location (fixture->dir);
  fixture->store = striae_test_store_open (fixture->location);
  striae_store_set_user (fixture->store, "Dr Roux");
  g_signal_connect (fixture->store, "spool-sent", G_CALLBACK (spool_sent_cb), fixture);
  g_signal_connect (fixture->store, "spool-refused", G_CALLBACK (spool_refused_cb), fixture);

  striae_patient_set_given_name (patient, "Inès");
  striae_patient_set_family_name (patient, "Moreau");
  striae_patient_set_birth_date (patient, striae_test_date ("1991-04-02"));
  g_assert_true (striae_store_add_patient (fixture->store, patient, &error));
  g_assert_no_error (error);
  fixture->patient = striae_patient_get_id (patient);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->store);
  striae_test_store_remove (fixture->location);
  g_assert_cmpint (g_rmdir (fixture->dir), ==, 0);
  g_free (fixture->location);
  g_free (fixture->dir);
  g_free (fixture->refused);
}

static StriaeConsultation *
new_draft (Fixture *fixture)
{
  StriaeConsultation *consultation = striae_consultation_new ();

  striae_consultation_set_patient_id (consultation, fixture->patient);
  striae_consultation_set_date (consultation, striae_test_date ("2024-03-01"));
  striae_consultation_set_practitioner (consultation, "Dr Roux");
  return consultation;
}

static StriaeConsultation *
saved_draft (Fixture *fixture)
{
  StriaeConsultation *consultation = new_draft (fixture);
  g_autoptr(GError) error = NULL;

  g_assert_true (striae_store_save_consultation (fixture->store, consultation, NULL, &error));
  g_assert_no_error (error);
  return consultation;
}

/* What the wizard would change between two saves. */
static void
edit (StriaeConsultation *consultation)
{
  striae_consultation_set_date (consultation, striae_test_date ("2024-03-02"));
  striae_consultation_set_practitioner (consultation, "Dr Vidal");
}

static char *
spool_file (Fixture *fixture,
            gint64   id)
{
  g_autofree char *folder = striae_store_dup_spool_folder (fixture->store);
  g_autofree char *name = id == 0
                          ? g_strdup_printf ("new-%" G_GINT64_FORMAT ".json", fixture->patient)
                          : g_strdup_printf ("consultation-%" G_GINT64_FORMAT ".json", id);

  return g_build_filename (folder, name, NULL);
}

/* The document a spool file holds, after checking the file's and its folder's modes. */
static char *
read_spooled_document (const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = g_path_get_dirname (path);
  GStatBuf file_stat, folder_stat;

  g_assert_cmpint (g_stat (path, &file_stat), ==, 0);
  g_assert_cmpint (g_stat (folder, &folder_stat), ==, 0);
  g_assert_cmpint (file_stat.st_mode & 0777, ==, 0600);
  g_assert_cmpint (folder_stat.st_mode & 0777, ==, 0700);

  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  return g_strdup (json_object_get_string_member (
                     json_node_get_object (json_parser_get_root (parser)), "document"));
}

static char *
stored_document (Fixture *fixture,
                 gint64   id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StriaeConsultation) stored = striae_store_get_consultation (fixture->store, id,
                                                                        &error);

  g_assert_no_error (error);
  return striae_consultation_to_json (stored);
}

static void
test_file (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(StriaeConsultation) consultation = saved_draft (fixture);
  gint64 id = striae_consultation_get_id (consultation);
  g_autofree char *path = spool_file (fixture, id);
  g_autofree char *expected = NULL;
  g_autofree char *document = NULL;
  g_autofree char *basename = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (striae_store_is_spooled (fixture->store, id, fixture->patient));
  edit (consultation);
  expected = striae_consultation_to_json (consultation);
  g_assert_true (striae_store_spool_consultation (fixture->store, consultation, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (striae_store_is_spooled (fixture->store, id, fixture->patient));

  document = read_spooled_document (path);
  g_assert_cmpstr (document, ==, expected);

  /* The newest replaces the older: one file per consultation. */
  striae_consultation_set_practitioner (consultation, "Dr Martin");
  g_assert_true (striae_store_spool_consultation (fixture->store, consultation, NULL, &error));
  g_clear_pointer (&document, g_free);
  g_clear_pointer (&expected, g_free);
  expected = striae_consultation_to_json (consultation);
  document = read_spooled_document (path);
  g_assert_cmpstr (document, ==, expected);

  /* Nothing of the location (a server's password) in the names. */
  basename = g_path_get_basename (path);
  g_assert_null (strstr (path, "password"));
  g_assert_cmpstr (basename, ==, strrchr (path, G_DIR_SEPARATOR) + 1);
}

static void
test_send (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(StriaeConsultation) consultation = saved_draft (fixture);
  gint64 id = striae_consultation_get_id (consultation);
  g_autofree char *path = spool_file (fixture, id);
  g_autofree char *spooled = NULL;
  g_autofree char *stored = NULL;
  g_autoptr(GError) error = NULL;
  guint n_sent = 99;

  edit (consultation);
  g_assert_true (striae_store_spool_consultation (fixture->store, consultation, NULL, &error));
  spooled = read_spooled_document (path);

  g_assert_true (striae_store_send_spooled (fixture->store, &n_sent, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_sent, ==, 1);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (fixture->n_sent_signals, ==, 1);
  g_assert_cmpint (fixture->sent_old_id, ==, id);
  g_assert_cmpint (fixture->sent_new_id, ==, id);

  stored = stored_document (fixture, id);
  g_assert_cmpstr (stored, ==, spooled);

  /* Nothing left: a second call sends nothing. */
  g_assert_true (striae_store_send_spooled (fixture->store, &n_sent, &error));
  g_assert_cmpuint (n_sent, ==, 0);
}

static void
test_send_new (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(StriaeConsultation) consultation = new_draft (fixture);
  g_autofree char *path = spool_file (fixture, 0);
  g_autofree char *spooled = NULL;
  g_autofree char *stored = NULL;
  g_autoptr(GError) error = NULL;
  guint n_sent = 0;

  g_assert_true (striae_store_spool_consultation (fixture->store, consultation, NULL, &error));
  g_assert_true (striae_store_is_spooled (fixture->store, 0, fixture->patient));
  spooled = read_spooled_document (path);

  g_assert_true (striae_store_send_spooled (fixture->store, &n_sent, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_sent, ==, 1);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpint (fixture->sent_old_id, ==, 0);
  g_assert_cmpint (fixture->sent_new_id, >, 0);

  /* The document is the one kept, with the number the records gave it. */
  g_clear_pointer (&spooled, g_free);
  striae_consultation_set_id (consultation, fixture->sent_new_id);
  spooled = striae_consultation_to_json (consultation);
  stored = stored_document (fixture, fixture->sent_new_id);
  g_assert_cmpstr (stored, ==, spooled);
}

static void
test_conflict_keeps (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(StriaeConsultation) consultation = saved_draft (fixture);
  gint64 id = striae_consultation_get_id (consultation);
  g_autoptr(StriaeConsultation) elsewhere = striae_store_get_consultation (fixture->store, id,
                                                                           NULL);
  g_autofree char *path = spool_file (fixture, id);
  g_autofree char *spooled = NULL;
  g_autofree char *theirs = NULL;
  g_autofree char *stored = NULL;
  g_autoptr(GError) error = NULL;
  guint n_sent = 99;

  /* Another computer saved the consultation while this one could not reach the records. */
  striae_consultation_set_practitioner (elsewhere, "Dr Martin");
  g_assert_true (striae_store_save_consultation (fixture->store, elsewhere, NULL, &error));
  g_assert_no_error (error);
  theirs = striae_consultation_to_json (elsewhere);

  edit (consultation);
  g_assert_true (striae_store_spool_consultation (fixture->store, consultation, NULL, &error));
  spooled = read_spooled_document (path);

  g_assert_false (striae_store_send_spooled (fixture->store, &n_sent, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_CONFLICT);
  g_assert_cmpuint (n_sent, ==, 0);
  g_assert_nonnull (fixture->refused);
  g_assert_cmpuint (fixture->n_sent_signals, ==, 0);
  g_clear_pointer (&spooled, g_free);
  spooled = read_spooled_document (path);
  g_assert_nonnull (spooled);

  stored = stored_document (fixture, id);
  g_assert_cmpstr (stored, ==, theirs);

  striae_store_discard_spooled (fixture->store, id, fixture->patient);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

/* A direct save that reached the records makes what waited older: it is removed. */
static void
test_save_forgets (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(StriaeConsultation) consultation = saved_draft (fixture);
  gint64 id = striae_consultation_get_id (consultation);
  g_autoptr(GError) error = NULL;

  edit (consultation);
  g_assert_true (striae_store_spool_consultation (fixture->store, consultation, NULL, &error));
  g_assert_true (striae_store_is_spooled (fixture->store, id, fixture->patient));
  g_assert_true (striae_store_save_consultation (fixture->store, consultation, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (striae_store_is_spooled (fixture->store, id, fixture->patient));
}

/* Runs pg_ctl on the private server (as `postgres` when root, as tests/with-postgresql). */
static void
pg_ctl (const char *action)
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

static void
test_server_stopped (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(StriaeConsultation) consultation = saved_draft (fixture);
  gint64 id = striae_consultation_get_id (consultation);
  g_autofree char *path = spool_file (fixture, id);
  g_autofree char *expected = NULL;
  g_autofree char *spooled = NULL;
  g_autofree char *stored = NULL;
  g_autoptr(GError) error = NULL;
  guint n_sent = 0;
  gboolean sent = FALSE;

  /* The private server runs with synchronous_commit off, which a stop "immediate" would
   * punish by losing the last commits: the clinic's own server keeps them on disk. */
  striae_test_store_exec (fixture->location, "CHECKPOINT");
  pg_ctl ("stop");

  /* The wizard saves the next answer: the server is gone, the draft is kept here. */
  edit (consultation);
  expected = striae_consultation_to_json (consultation);
  g_assert_false (striae_store_save_consultation (fixture->store, consultation, NULL, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_SPOOLED);
  g_clear_error (&error);
  spooled = read_spooled_document (path);
  g_assert_cmpstr (spooled, ==, expected);

  /* Still gone: sending says so and keeps the file. */
  g_assert_false (striae_store_send_spooled (fixture->store, &n_sent, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_UNREACHABLE);
  g_clear_error (&error);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));

  pg_ctl ("start");

  /* The store makes its connection again at most every few seconds. */
  for (guint attempt = 0; attempt < 30 && !sent; attempt++)
    {
      sent = striae_store_send_spooled (fixture->store, &n_sent, &error);
      if (!sent)
        {
          g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_UNREACHABLE);
          g_clear_error (&error);
          g_usleep (G_USEC_PER_SEC / 2);
        }
    }
  g_assert_true (sent);
  g_assert_cmpuint (n_sent, ==, 1);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  stored = stored_document (fixture, id);
  g_assert_cmpstr (stored, ==, spooled);
}

static void
add (const char *path,
     void      (*test) (Fixture *, gconstpointer))
{
  g_test_add (path, Fixture, NULL, fixture_set_up, test, fixture_tear_down);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  add ("/spool/file", test_file);
  add ("/spool/send", test_send);
  add ("/spool/send-new", test_send_new);
  add ("/spool/conflict-keeps", test_conflict_keeps);
  add ("/spool/save-forgets", test_save_forgets);

  /* Only a server can be stopped for real. */
  if (striae_test_backend_is ("postgresql"))
    {
      if (g_getenv ("STRIAE_TEST_POSTGRESQL_DATA") == NULL ||
          g_getenv ("STRIAE_TEST_PG_CTL") == NULL)
        g_error ("tests/with-postgresql names no data folder or pg_ctl to stop the server");
      add ("/spool/server-stopped", test_server_stopped);
    }

  return g_test_run ();
}
