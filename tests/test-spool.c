/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "striae-consultation-session.h"
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
  GThread     *signal_thread;  /* where the last "spool-sent" was emitted */
} Fixture;

static void
spool_sent_cb (StriaeStore        *store,
               gint64              old_id,
               StriaeConsultation *consultation,
               Fixture            *fixture)
{
  fixture->n_sent_signals++;
  fixture->signal_thread = g_thread_self ();
  fixture->sent_old_id = old_id;
  fixture->sent_new_id = striae_consultation_get_id (consultation);
}

static void
spool_refused_cb (StriaeStore *store,
                  gint64       id,
                  const char  *local_id,
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

/* The file a consultation is kept in: under its number, or a new one under its local id. */
static char *
spool_file (Fixture            *fixture,
            StriaeConsultation *consultation)
{
  g_autofree char *folder = striae_store_dup_spool_folder (fixture->store);
  gint64 id = striae_consultation_get_id (consultation);
  g_autofree char *name = id == 0
                          ? g_strdup_printf ("new-%s.json",
                                             striae_consultation_get_local_id (consultation))
                          : g_strdup_printf ("consultation-%" G_GINT64_FORMAT ".json", id);

  return g_build_filename (folder, name, NULL);
}

static guint
count_spool_files (Fixture *fixture)
{
  g_autofree char *folder = striae_store_dup_spool_folder (fixture->store);
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  guint n = 0;

  while (dir != NULL && g_dir_read_name (dir) != NULL)
    n++;
  return n;
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
  g_autofree char *path = spool_file (fixture, consultation);
  g_autofree char *expected = NULL;
  g_autofree char *document = NULL;
  g_autofree char *basename = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (striae_store_is_spooled (fixture->store, id, NULL));
  edit (consultation);
  expected = striae_consultation_to_json (consultation);
  g_assert_true (striae_store_spool_consultation (fixture->store, consultation, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (striae_store_is_spooled (fixture->store, id, NULL));

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
  g_autofree char *path = spool_file (fixture, consultation);
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
  g_autofree char *path = spool_file (fixture, consultation);
  g_autofree char *spooled = NULL;
  g_autofree char *stored = NULL;
  g_autoptr(GError) error = NULL;
  guint n_sent = 0;

  g_assert_true (striae_store_spool_consultation (fixture->store, consultation, NULL, &error));
  g_assert_true (striae_store_is_spooled (fixture->store, 0,
                                          striae_consultation_get_local_id (consultation)));
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
  g_autofree char *path = spool_file (fixture, consultation);
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

  striae_store_discard_spooled (fixture->store, id, NULL);
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
  g_assert_true (striae_store_is_spooled (fixture->store, id, NULL));
  g_assert_true (striae_store_save_consultation (fixture->store, consultation, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (striae_store_is_spooled (fixture->store, id, NULL));
}

/* Two new drafts of one patient made while the server was gone are two files (each under
 * its local id), and both reach the records, each as it was typed. */
static void
test_two_new_drafts (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(StriaeConsultation) first = new_draft (fixture);
  g_autoptr(StriaeConsultation) second = new_draft (fixture);
  g_autofree char *first_path = spool_file (fixture, first);
  g_autofree char *second_path = spool_file (fixture, second);
  g_autofree char *first_document = NULL;
  g_autofree char *second_document = NULL;
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GError) error = NULL;
  guint n_sent = 0;
  guint matched = 0;

  striae_consultation_set_practitioner (second, "Dr Vidal");
  g_assert_cmpstr (striae_consultation_get_local_id (first), !=,
                   striae_consultation_get_local_id (second));
  g_assert_true (striae_store_spool_consultation (fixture->store, first, NULL, &error));
  g_assert_true (striae_store_spool_consultation (fixture->store, second, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (first_path, !=, second_path);
  g_assert_cmpuint (count_spool_files (fixture), ==, 2);
  first_document = read_spooled_document (first_path);
  second_document = read_spooled_document (second_path);
  g_assert_cmpstr (first_document, !=, second_document);

  g_assert_true (striae_store_send_spooled (fixture->store, &n_sent, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_sent, ==, 2);
  g_assert_cmpuint (fixture->n_sent_signals, ==, 2);
  g_assert_cmpuint (count_spool_files (fixture), ==, 0);

  /* Both are stored, each as it was kept (with the number the records gave it). */
  listed = striae_store_list_consultations (fixture->store, fixture->patient, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 2);
  for (guint i = 0; i < listed->len; i++)
    {
      StriaeConsultation *stored = listed->pdata[i];
      gint64 id = striae_consultation_get_id (stored);
      g_autofree char *document = stored_document (fixture, id);
      StriaeConsultation *kept = g_str_equal (striae_consultation_get_practitioner (stored),
                                              "Dr Vidal") ? second : first;
      g_autofree char *expected = NULL;

      striae_consultation_set_id (kept, id);
      expected = striae_consultation_to_json (kept);
      g_assert_cmpstr (document, ==, expected);
      matched |= kept == first ? 1 : 2;
    }
  g_assert_cmpuint (matched, ==, 3);
}

/* After a kept draft was sent, a save made here from the same start goes on from what was
 * sent: a new draft is not added twice, a stored one meets no conflict with itself. */
static void
test_catch_up (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(StriaeConsultation) fresh = new_draft (fixture);
  g_autoptr(StriaeConsultation) stored = saved_draft (fixture);
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GError) error = NULL;
  gint64 stored_id = striae_consultation_get_id (stored);
  gint64 fresh_id;
  guint n_sent = 0;

  g_assert_true (striae_store_spool_consultation (fixture->store, fresh, NULL, &error));
  edit (stored);
  g_assert_true (striae_store_spool_consultation (fixture->store, stored, NULL, &error));
  g_assert_true (striae_store_send_spooled (fixture->store, &n_sent, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_sent, ==, 2);
  fresh_id = fixture->sent_old_id == 0 ? fixture->sent_new_id : 0;

  /* The wizard's objects have not heard of the sending yet (as when it ran in a thread). */
  g_assert_cmpint (striae_consultation_get_id (fresh), ==, 0);
  striae_consultation_set_practitioner (fresh, "Dr Martin");
  g_assert_true (striae_store_save_consultation (fixture->store, fresh, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (striae_consultation_get_id (fresh), >, 0);
  if (fresh_id != 0)
    g_assert_cmpint (striae_consultation_get_id (fresh), ==, fresh_id);

  striae_consultation_set_practitioner (stored, "Dr Martin");
  g_assert_true (striae_store_save_consultation (fixture->store, stored, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (striae_consultation_get_id (stored), ==, stored_id);

  listed = striae_store_list_consultations (fixture->store, fixture->patient, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 2);
}

static void
sent_async_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* Drops the test's hold on a finished sending, and waits (5 s at most) until the worker
 * thread has let go of it too: the task holds the store, which the fixture's tear-down
 * expects to be the last one holding it. */
static void
release_result (GAsyncResult **result)
{
  gpointer task = *result;
  gint64 end = g_get_monotonic_time () + 5 * G_TIME_SPAN_SECOND;

  g_object_add_weak_pointer (G_OBJECT (task), &task);
  g_clear_object (result);
  while (g_atomic_pointer_get (&task) != NULL && g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (G_TIME_SPAN_MILLISECOND);
    }
  g_assert_null (g_atomic_pointer_get (&task));
}

/* Sending in a worker thread: the window's thread is free meanwhile, and the signals reach
 * it on its own main context, before the callback. */
static void
test_send_async (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(StriaeConsultation) first = new_draft (fixture);
  g_autoptr(StriaeConsultation) second = saved_draft (fixture);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *stored = NULL;
  gint64 id = striae_consultation_get_id (second);
  guint n_sent = 0;

  edit (second);
  expected = striae_consultation_to_json (second);
  g_assert_true (striae_store_spool_consultation (fixture->store, first, NULL, &error));
  g_assert_true (striae_store_spool_consultation (fixture->store, second, NULL, &error));
  g_assert_no_error (error);

  striae_store_send_spooled_async (fixture->store, NULL, sent_async_cb, &result);
  /* Nothing is emitted before the main context runs. */
  g_assert_cmpuint (fixture->n_sent_signals, ==, 0);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_true (striae_store_send_spooled_finish (fixture->store, result, &n_sent, &error));
  g_assert_no_error (error);
  release_result (&result);
  g_assert_cmpuint (n_sent, ==, 2);
  g_assert_cmpuint (fixture->n_sent_signals, ==, 2);
  g_assert_true (fixture->signal_thread == g_thread_self ());
  g_assert_cmpuint (count_spool_files (fixture), ==, 0);
  stored = stored_document (fixture, id);
  g_assert_cmpstr (stored, ==, expected);
}

static void
test_server_stopped (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(StriaeConsultation) consultation = saved_draft (fixture);
  gint64 id = striae_consultation_get_id (consultation);
  g_autofree char *path = spool_file (fixture, consultation);
  g_autofree char *expected = NULL;
  g_autofree char *spooled = NULL;
  g_autofree char *stored = NULL;
  g_autoptr(GError) error = NULL;
  guint n_sent = 0;
  gboolean sent = FALSE;

  /* The private server runs with synchronous_commit off, which a stop "immediate" would
   * punish by losing the last commits: the clinic's own server keeps them on disk. */
  striae_test_store_exec (fixture->location, "CHECKPOINT");
  striae_test_store_pg_ctl ("stop");

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

  striae_test_store_pg_ctl ("start");

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

static gboolean
saved (gpointer session)
{
  return !striae_consultation_session_is_saving (session);
}

static gboolean
file_exists (gpointer path)
{
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

/* The records answer again: asked as the application asks them, now and then. */
static gboolean
result_in (gpointer result)
{
  return *(GAsyncResult **) result != NULL;
}

/* What the wizard types between two saves. */
static void
type_more (StriaeConsultationSession *session,
           guint                      fitzpatrick,
           const char                *practitioner)
{
  StriaeConsultation *consultation = striae_consultation_session_get_consultation (session);

  striae_skin_set_fitzpatrick (striae_consultation_get_skin (consultation), fitzpatrick);
  striae_consultation_set_practitioner (consultation, practitioner);
  striae_consultation_session_save_draft (session);
  g_assert_true (striae_test_wait_for (saved, session));
}

/* The server is stopped for real (pg_ctl stop -m immediate) in the middle of the wizard: its
 * session (what the wizard's pages bind to) goes on saving, each draft is kept on this
 * computer in a 0600 file (one opened before the stop, one new), and after pg_ctl start the
 * application's sending (in a worker thread) delivers both, identical to what was typed; the
 * wizard then goes on saving to the records, with no conflict with itself. */
static void
test_wizard_server_stopped (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(StriaeWizardRecords) records = striae_wizard_records_new (fixture->store);
  g_autoptr(StriaeConsultationSession) session = striae_consultation_session_new ();
  g_autoptr(StriaeConsultationSession) second = striae_consultation_session_new ();
  g_autoptr(StriaePatient) patient = striae_store_get_patient (fixture->store, fixture->patient,
                                                               NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  StriaeConsultation *consultation;
  StriaeConsultation *fresh;
  g_autofree char *path = NULL;
  g_autofree char *fresh_path = NULL;
  g_autofree char *spooled = NULL;
  g_autofree char *fresh_spooled = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *typed = NULL;
  guint n_sent = 0;
  gint64 id;

  striae_consultation_session_set_records (session, records);
  striae_consultation_session_set_records (second, records);
  striae_consultation_session_open (session, patient, NULL);
  consultation = striae_consultation_session_get_consultation (session);
  type_more (session, 2, "Dr Roux");
  id = striae_consultation_get_id (consultation);
  g_assert_cmpint (id, >, 0);
  path = spool_file (fixture, consultation);

  /* The private server runs with synchronous_commit off, which a stop "immediate" would
   * punish by losing the last commits: the clinic's own server keeps them on disk. */
  striae_test_store_exec (fixture->location, "CHECKPOINT");
  striae_test_store_pg_ctl ("stop");

  /* Typing goes on: each save is kept here, the newest replacing the one before. */
  type_more (session, 4, "Dr Vidal");
  g_assert_true (striae_test_wait_for (file_exists, path));
  type_more (session, 5, "Dr Vidal");
  g_assert_null (striae_consultation_session_get_conflict (session));
  spooled = read_spooled_document (path);
  typed = striae_consultation_to_json (consultation);
  g_assert_cmpstr (spooled, ==, typed);
  g_clear_pointer (&typed, g_free);

  /* A new consultation begun while the server is gone. */
  striae_consultation_session_open (second, patient, NULL);
  fresh = striae_consultation_session_get_consultation (second);
  type_more (second, 3, "Dr Martin");
  g_assert_cmpint (striae_consultation_get_id (fresh), ==, 0);
  fresh_path = spool_file (fixture, fresh);
  g_assert_true (striae_test_wait_for (file_exists, fresh_path));
  fresh_spooled = read_spooled_document (fresh_path);
  typed = striae_consultation_to_json (fresh);
  g_assert_cmpstr (fresh_spooled, ==, typed);
  g_clear_pointer (&typed, g_free);
  g_assert_cmpuint (count_spool_files (fixture), ==, 2);

  striae_test_store_pg_ctl ("start");
  g_assert_true (striae_test_wait_for (striae_test_store_answers, fixture->store));
  striae_store_send_spooled_async (fixture->store, NULL, sent_async_cb, &result);
  g_assert_true (striae_test_wait_for (result_in, &result));
  g_assert_true (striae_store_send_spooled_finish (fixture->store, result, &n_sent, &error));
  g_assert_no_error (error);
  release_result (&result);
  g_assert_cmpuint (n_sent, ==, 2);
  g_assert_cmpuint (count_spool_files (fixture), ==, 0);

  /* Both arrived as they were typed. */
  stored = stored_document (fixture, id);
  g_assert_cmpstr (stored, ==, spooled);
  g_clear_pointer (&stored, g_free);
  g_assert_cmpint (striae_consultation_get_id (fresh), >, 0);
  stored = stored_document (fixture, striae_consultation_get_id (fresh));
  typed = striae_consultation_to_json (fresh);
  g_assert_cmpstr (stored, ==, typed);
  g_clear_pointer (&stored, g_free);
  g_clear_pointer (&typed, g_free);

  /* The wizard goes on saving to the records, over its own sent draft. */
  type_more (session, 6, "Dr Vidal");
  g_assert_null (striae_consultation_session_get_conflict (session));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  stored = stored_document (fixture, id);
  typed = striae_consultation_to_json (consultation);
  g_assert_cmpstr (stored, ==, typed);

  g_assert_true (striae_test_wait_for (saved, session));
  g_assert_true (striae_test_wait_for (saved, second));
  g_clear_object (&session);
  g_clear_object (&second);
}

static void
skip_without_server (void)
{
  g_test_skip ("A file cannot be stopped: this test runs in the PostgreSQL pass "
               "(meson test --setup=postgresql --suite postgresql spool)");
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
  add ("/spool/two-new-drafts", test_two_new_drafts);
  add ("/spool/catch-up", test_catch_up);
  add ("/spool/send-async", test_send_async);

  /* Only a server can be stopped for real: in the file's pass the test says so and is
   * counted as skipped, not passed. */
  if (striae_test_backend_is ("postgresql"))
    {
      if (g_getenv ("STRIAE_TEST_POSTGRESQL_DATA") == NULL ||
          g_getenv ("STRIAE_TEST_PG_CTL") == NULL)
        g_error ("tests/with-postgresql names no data folder or pg_ctl to stop the server");
      add ("/spool/server-stopped", test_server_stopped);
      add ("/spool/wizard-server-stopped", test_wizard_server_stopped);
    }
  else
    {
      g_test_add_func ("/spool/server-stopped", skip_without_server);
      g_test_add_func ("/spool/wizard-server-stopped", skip_without_server);
    }

  return g_test_run ();
}
