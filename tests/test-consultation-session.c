/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>

#include "striae-consultation-session.h"
#include "striae-sheet-delivery.h"
#include "striae-sheet-error.h"
#include "striae-test-date.h"
#include "striae-test-files.h"

/* Long enough for a slow machine under a sanitizer; a passing run takes a fraction of it. */
#define WAIT_MS 10000

typedef struct
{
  char                      *dir;
  StriaeStore               *store;
  StriaeWizardRecords       *records;
  StriaePatient             *patient;
  StriaeConsultationSession *session;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *database = NULL;

  fixture->dir = g_dir_make_tmp ("striae-session-XXXXXX", &error);
  g_assert_no_error (error);
  database = g_build_filename (fixture->dir, "striae.db", NULL);
  fixture->store = striae_store_open (database, &error);
  g_assert_no_error (error);
  fixture->records = striae_wizard_records_new (fixture->store);

  fixture->patient = striae_patient_new ();
  striae_patient_set_given_name (fixture->patient, "Inès");
  striae_patient_set_family_name (fixture->patient, "Okafor");
  striae_patient_set_birth_date (fixture->patient, striae_test_date ("1988-01-01"));
  g_assert_true (striae_store_add_patient (fixture->store, fixture->patient, &error));
  g_assert_no_error (error);

  fixture->session = striae_consultation_session_new ();
  striae_consultation_session_set_records (fixture->session, fixture->records);
}

static gboolean
is_saving (gpointer data)
{
  return striae_consultation_session_is_saving (data);
}

static gboolean
wait_until_saved (StriaeConsultationSession *session)
{
  gint64 end = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;

  while (is_saving (session))
    {
      if (g_get_monotonic_time () > end)
        return FALSE;
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2 * G_TIME_SPAN_MILLISECOND);
    }
  return TRUE;
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->session != NULL)
    {
      g_assert_true (wait_until_saved (fixture->session));
      g_assert_finalize_object (fixture->session);
    }
  g_clear_object (&fixture->patient);
  g_assert_finalize_object (fixture->records);
  g_assert_finalize_object (fixture->store);
  striae_test_remove_tree (fixture->dir);
  g_clear_pointer (&fixture->dir, g_free);
}

static void
count_cb (GObject    *object,
          GParamSpec *pspec,
          guint      *count)
{
  (*count)++;
}

static void
answer_history (StriaeConsultation *consultation,
                StriaeAnswer        value)
{
  StriaeHistory *history = striae_consultation_get_history (consultation);

  for (StriaeQuestion q = 0; q < STRIAE_N_QUESTIONS; q++)
    striae_history_set_answer (history, q, value);
}

/* A new consultation: the screening, the recommendation and whose record it is, at once. */
static void
test_session_open (Fixture       *fixture,
                   gconstpointer  data)
{
  StriaeConsultationSession *session = fixture->session;
  StriaeConsultation *consultation;
  g_autofree char *expected = NULL;
  GDate today;

  striae_consultation_session_open (session, fixture->patient, NULL);
  consultation = striae_consultation_session_get_consultation (session);
  g_assert_nonnull (consultation);
  g_assert_cmpint (striae_consultation_get_patient_id (consultation), ==,
                   striae_patient_get_id (fixture->patient));
  g_assert_true (striae_consultation_session_get_patient (session) == fixture->patient);
  g_assert_nonnull (striae_consultation_session_get_screening (session));
  g_assert_nonnull (striae_consultation_session_get_recommendation (session));
  g_assert_nonnull (striae_consultation_session_get_facts (session));
  g_assert_false (striae_consultation_session_get_signed (session));
  g_assert_false (striae_consultation_session_get_read_only (session));
  g_assert_nonnull (striae_consultation_session_get_problem (session));

  striae_get_today (&today);
  expected = g_strdup_printf ("Inès Okafor · %d",
                              striae_patient_get_age (fixture->patient, &today));
  g_assert_cmpstr (striae_consultation_session_get_patient_title (session), ==, expected);

  g_assert_true (striae_consultation_session_is_page_complete (session, "patient"));
  g_assert_false (striae_consultation_session_is_page_complete (session, "history"));
  g_assert_false (striae_consultation_session_is_page_complete (session, "skin"));
  g_assert_false (striae_consultation_session_is_page_complete (session, "areas"));
  g_assert_false (striae_consultation_session_is_page_complete (session, "summary"));
  g_assert_cmpuint (striae_consultation_session_get_history_missing (session), >, 0);
  g_assert_cmpuint (striae_consultation_session_get_skin_missing (session), ==,
                    1 + STRIAE_N_SKIN_FACTS);
  g_assert_cmpuint (striae_consultation_session_get_areas_missing (session), ==, 1);
}

/* Each change recomputes once and notifies once: the recommendation written back into the
 * plan does not start another round. The counts of what is missing follow the answers. */
static void
test_session_recompute (Fixture       *fixture,
                        gconstpointer  data)
{
  StriaeConsultationSession *session = fixture->session;
  StriaeConsultation *consultation;
  StriaeScreening *before;
  g_autoptr(StriaeArea) area = NULL;
  guint screenings = 0;
  guint recommendations = 0;
  guint skin = 0;
  guint skin_complete = 0;
  guint history = 0;

  striae_consultation_session_open (session, fixture->patient, NULL);
  consultation = striae_consultation_session_get_consultation (session);
  g_signal_connect (session, "notify::screening", G_CALLBACK (count_cb), &screenings);
  g_signal_connect (session, "notify::recommendation", G_CALLBACK (count_cb),
                    &recommendations);
  g_signal_connect (session, "notify::skin-missing", G_CALLBACK (count_cb), &skin);
  g_signal_connect (session, "notify::skin-complete", G_CALLBACK (count_cb), &skin_complete);
  g_signal_connect (session, "notify::history-complete", G_CALLBACK (count_cb), &history);

  before = striae_consultation_session_get_screening (session);
  striae_skin_set_fitzpatrick (striae_consultation_get_skin (consultation), 3);
  g_assert_cmpuint (screenings, ==, 1);
  g_assert_cmpuint (recommendations, ==, 1);
  g_assert_true (striae_consultation_session_get_screening (session) != before);
  g_assert_cmpuint (skin, ==, 1);
  g_assert_cmpuint (striae_consultation_session_get_skin_missing (session), ==,
                    STRIAE_N_SKIN_FACTS);
  g_assert_cmpuint (skin_complete, ==, 0);

  for (StriaeSkinFact f = 0; f < STRIAE_N_SKIN_FACTS; f++)
    striae_skin_set_fact (striae_consultation_get_skin (consultation), f, STRIAE_ANSWER_NO);
  g_assert_cmpuint (screenings, ==, 1 + STRIAE_N_SKIN_FACTS);
  g_assert_cmpuint (striae_consultation_session_get_skin_missing (session), ==, 0);
  g_assert_cmpuint (skin_complete, ==, 1);
  g_assert_true (striae_consultation_session_is_page_complete (session, "skin"));

  answer_history (consultation, STRIAE_ANSWER_NO);
  g_assert_cmpuint (striae_consultation_session_get_history_missing (session), ==, 0);
  g_assert_true (striae_consultation_session_is_page_complete (session, "history"));
  g_assert_cmpuint (history, ==, 1);

  /* An area gets its recommended depth written into it, in the same round. */
  area = striae_area_new (STRIAE_BODY_SITE_ABDOMEN);
  striae_consultation_add_area (consultation, area);
  striae_area_set_mark_type (area, STRIAE_MARK_TYPE_ALBAE);
  screenings = 0;
  striae_area_set_severity (area, STRIAE_SEVERITY_MODERATE);
  g_assert_cmpuint (screenings, ==, 1);
  g_assert_cmpfloat (striae_area_get_recommended_depth (area), >, 0);
  g_assert_cmpfloat (striae_area_get_depth (area), ==, striae_area_get_recommended_depth (area));
  g_assert_cmpuint (striae_consultation_session_get_areas_missing (session), ==, 0);
  g_assert_true (striae_consultation_session_is_page_complete (session, "areas"));
}

/* A change is saved after a pause, with the page it is on; closing saves at once. */
static void
test_session_autosave (Fixture       *fixture,
                       gconstpointer  data)
{
  StriaeConsultationSession *session = fixture->session;
  StriaeConsultation *consultation;
  g_autoptr(StriaeConsultation) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *page = NULL;
  guint saving = 0;
  gint64 id;

  striae_consultation_session_open (session, fixture->patient, NULL);
  consultation = striae_consultation_session_get_consultation (session);
  striae_consultation_session_set_page (session, "skin");
  striae_consultation_session_save_draft (session);
  g_assert_true (wait_until_saved (session));
  id = striae_consultation_get_id (consultation);
  g_assert_cmpint (id, >, 0);
  page = striae_consultation_session_dup_resume_page (session);
  g_assert_cmpstr (page, ==, "skin");

  g_signal_connect (session, "notify::saving", G_CALLBACK (count_cb), &saving);
  striae_skin_set_fitzpatrick (striae_consultation_get_skin (consultation), 4);
  g_assert_true (striae_consultation_session_is_saving (session));
  g_assert_cmpuint (saving, ==, 1);
  g_assert_true (wait_until_saved (session));
  g_assert_cmpuint (saving, ==, 2);
  stored = striae_store_get_consultation (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (striae_skin_get_fitzpatrick (striae_consultation_get_skin (stored)), ==, 4);
  g_clear_object (&stored);

  /* A change, then the session goes before the pause is over: it is saved all the same. */
  striae_skin_set_fitzpatrick (striae_consultation_get_skin (consultation), 5);
  g_assert_true (striae_consultation_session_is_saving (session));
  g_object_ref (consultation);
  g_assert_finalize_object (g_steal_pointer (&fixture->session));
  stored = striae_store_get_consultation (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (striae_skin_get_fitzpatrick (striae_consultation_get_skin (stored)), ==, 5);
  g_object_unref (consultation);
}

/* Signing makes the record read-only; later changes are neither recomputed into it nor
 * saved. Without records there is nothing to sign in. */
static void
test_session_sign (Fixture       *fixture,
                   gconstpointer  data)
{
  StriaeConsultationSession *session = fixture->session;
  g_autoptr(StriaeConsultationSession) alone = striae_consultation_session_new ();
  g_autoptr(GError) error = NULL;
  guint read_only = 0;

  striae_consultation_session_open (alone, fixture->patient, NULL);
  g_assert_false (striae_consultation_session_sign (alone, "Dr. Who", "Pregnant", NULL,
                                                    &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);

  striae_consultation_session_open (session, fixture->patient, NULL);
  g_signal_connect (session, "notify::read-only", G_CALLBACK (count_cb), &read_only);
  g_assert_true (striae_consultation_session_sign (session, "Dr. Who", "Pregnant", NULL,
                                                   &error));
  g_assert_no_error (error);
  g_assert_true (striae_consultation_session_get_signed (session));
  g_assert_true (striae_consultation_session_get_read_only (session));
  g_assert_true (striae_consultation_session_is_page_complete (session, "summary"));
  g_assert_cmpuint (read_only, ==, 1);
  g_assert_false (striae_consultation_session_is_saving (session));
}

static guint
fitzpatrick_of (StriaeStore *store,
                gint64       id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StriaeConsultation) stored = striae_store_get_consultation (store, id, &error);

  g_assert_no_error (error);
  return striae_skin_get_fitzpatrick (striae_consultation_get_skin (stored));
}

/* Another computer (another store on the same file) saves the consultation with skin type
 * @value. */
static void
change_elsewhere (StriaeStore *other,
                  gint64       id,
                  guint        value)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StriaeConsultation) there = striae_store_get_consultation (other, id, &error);

  g_assert_no_error (error);
  striae_skin_set_fitzpatrick (striae_consultation_get_skin (there), value);
  g_assert_true (striae_store_save_consultation (other, there, NULL, &error));
  g_assert_no_error (error);
}

/* Another computer changed the draft: the autosave is refused once, says who, and saves
 * wait (nothing typed is written over theirs, nor lost) until the user keeps theirs as a
 * new draft or reloads; leaving without choosing keeps the typing as a new draft. */
static void
test_session_conflict (Fixture       *fixture,
                       gconstpointer  data)
{
  StriaeConsultationSession *session = fixture->session;
  g_autoptr(StriaeStore) other = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  StriaeConsultation *consultation;
  guint conflicts = 0;
  gint64 id, kept;

  other = striae_store_open (striae_store_get_path (fixture->store), &error);
  g_assert_no_error (error);
  striae_store_set_user (other, "Dr Roux");

  striae_consultation_session_open (session, fixture->patient, NULL);
  consultation = striae_consultation_session_get_consultation (session);
  striae_consultation_session_save_draft (session);
  g_assert_true (wait_until_saved (session));
  id = striae_consultation_get_id (consultation);
  g_signal_connect (session, "notify::conflict", G_CALLBACK (count_cb), &conflicts);

  change_elsewhere (other, id, 2);
  striae_skin_set_fitzpatrick (striae_consultation_get_skin (consultation), 4);
  g_assert_true (wait_until_saved (session));
  g_assert_cmpuint (conflicts, ==, 1);
  g_test_message ("%s", striae_consultation_session_get_conflict (session));
  g_assert_nonnull (strstr (striae_consultation_session_get_conflict (session), "Dr Roux"));
  g_assert_cmpuint (fitzpatrick_of (fixture->store, id), ==, 2);

  /* Typing on while the question is open: no save, no second question. */
  striae_skin_set_fitzpatrick (striae_consultation_get_skin (consultation), 5);
  g_assert_true (wait_until_saved (session));
  g_assert_cmpuint (conflicts, ==, 1);
  g_assert_cmpuint (fitzpatrick_of (fixture->store, id), ==, 2);

  /* Keep mine: a new draft with what was typed; theirs stays. */
  g_assert_true (striae_consultation_session_keep_as_new_draft (session, &error));
  g_assert_no_error (error);
  g_assert_null (striae_consultation_session_get_conflict (session));
  g_assert_true (striae_consultation_session_get_consultation (session) == consultation);
  kept = striae_consultation_get_id (consultation);
  g_assert_cmpint (kept, !=, id);
  g_assert_cmpuint (fitzpatrick_of (fixture->store, kept), ==, 5);
  g_assert_cmpuint (fitzpatrick_of (fixture->store, id), ==, 2);

  /* Reload: their version replaces what was typed here, and saving goes on. */
  change_elsewhere (other, kept, 1);
  striae_skin_set_fitzpatrick (striae_consultation_get_skin (consultation), 6);
  g_assert_true (wait_until_saved (session));
  g_assert_nonnull (striae_consultation_session_get_conflict (session));
  g_assert_true (striae_consultation_session_reload (session, &error));
  g_assert_no_error (error);
  g_assert_null (striae_consultation_session_get_conflict (session));
  consultation = striae_consultation_session_get_consultation (session);
  g_assert_cmpint (striae_consultation_get_id (consultation), ==, kept);
  g_assert_cmpuint (striae_skin_get_fitzpatrick (striae_consultation_get_skin (consultation)),
                    ==, 1);
  striae_skin_set_fitzpatrick (striae_consultation_get_skin (consultation), 3);
  g_assert_true (wait_until_saved (session));
  g_assert_null (striae_consultation_session_get_conflict (session));
  g_assert_cmpuint (fitzpatrick_of (fixture->store, kept), ==, 3);

  /* Leaving with the question open: the typing becomes a draft of its own. */
  change_elsewhere (other, kept, 2);
  striae_skin_set_fitzpatrick (striae_consultation_get_skin (consultation), 6);
  g_assert_true (wait_until_saved (session));
  g_assert_nonnull (striae_consultation_session_get_conflict (session));
  g_assert_finalize_object (g_steal_pointer (&fixture->session));
  g_assert_cmpuint (fitzpatrick_of (fixture->store, kept), ==, 2);
  list = striae_store_list_consultations (fixture->store,
                                          striae_patient_get_id (fixture->patient), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);
}

/* Signing what another computer changed since it was opened is refused: nothing is signed,
 * and the session asks what to keep, as for a save. */
static void
test_session_sign_conflict (Fixture       *fixture,
                            gconstpointer  data)
{
  StriaeConsultationSession *session = fixture->session;
  g_autoptr(StriaeStore) other = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *signed_by = NULL;
  gint64 id;

  other = striae_store_open (striae_store_get_path (fixture->store), &error);
  g_assert_no_error (error);
  striae_store_set_user (other, "Dr Roux");

  striae_consultation_session_open (session, fixture->patient, NULL);
  striae_consultation_session_save_draft (session);
  g_assert_true (wait_until_saved (session));
  id = striae_consultation_get_id (striae_consultation_session_get_consultation (session));

  change_elsewhere (other, id, 3);
  g_assert_false (striae_consultation_session_sign (session, "Dr Vidal", "Pregnant", NULL,
                                                    &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_CONFLICT);
  g_assert_false (striae_consultation_session_get_signed (session));
  g_assert_nonnull (striae_consultation_session_get_conflict (session));
  g_assert_true (striae_store_get_signature (fixture->store, id, 1, &signed_by, NULL, NULL));
  g_assert_null (signed_by);
  g_assert_cmpuint (fitzpatrick_of (fixture->store, id), ==, 3);

  /* Reloaded, it signs what it now shows. */
  g_assert_true (striae_consultation_session_reload (session, NULL));
  g_clear_error (&error);
  g_assert_true (striae_consultation_session_sign (session, "Dr Vidal", "Pregnant", NULL,
                                                   &error));
  g_assert_no_error (error);
  g_assert_true (striae_store_get_signature (fixture->store, id, 1, &signed_by, NULL, NULL));
  g_assert_cmpstr (signed_by, ==, "Dr Vidal");
}

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      data)
{
  guint *done = data;
  g_autoptr(GError) error = NULL;

  g_assert_true (striae_wizard_records_save_finish (STRIAE_WIZARD_RECORDS (object), result,
                                                    &error));
  g_assert_no_error (error);
  (*done)++;
}

/* A save works on a copy, so the wizard's consultation keeps the stamp it was read with: the
 * records' own later saves go over their earlier ones all the same, while another
 * computer's change is still refused. */
static void
test_records_own_saves (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(StriaeConsultation) consultation = striae_consultation_new ();
  g_autoptr(StriaeStore) other = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *read_with = NULL;
  guint done = 0;

  striae_consultation_set_patient_id (consultation, striae_patient_get_id (fixture->patient));
  g_assert_true (striae_wizard_records_save (fixture->records, consultation, NULL, &error));
  g_assert_no_error (error);
  read_with = g_strdup (striae_consultation_get_stored_stamp (consultation));

  for (guint i = 1; i <= 3; i++)
    {
      gint64 end = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;

      striae_skin_set_fitzpatrick (striae_consultation_get_skin (consultation), i);
      striae_wizard_records_save_async (fixture->records, consultation, NULL, NULL, saved_cb,
                                        &done);
      while (done < i && g_get_monotonic_time () < end)
        g_main_context_iteration (NULL, TRUE);
      g_assert_cmpuint (done, ==, i);
      g_assert_cmpstr (striae_consultation_get_stored_stamp (consultation), ==, read_with);
      g_assert_cmpuint (fitzpatrick_of (fixture->store, striae_consultation_get_id (consultation)),
                        ==, i);
    }

  other = striae_store_open (striae_store_get_path (fixture->store), &error);
  g_assert_no_error (error);
  change_elsewhere (other, striae_consultation_get_id (consultation), 6);
  striae_skin_set_fitzpatrick (striae_consultation_get_skin (consultation), 4);
  g_assert_false (striae_wizard_records_save (fixture->records, consultation, NULL, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_CONFLICT);
}

/* When the server is gone (issue 14): the draft kept on this computer is sent once the
 * server is back, and the session goes on from the revision stored, its next save no
 * conflict with itself; a kept draft someone changed on the records meanwhile asks, as any
 * conflict does. (A file cannot be unreachable: the draft is kept here by hand.) */
static void
test_session_spool (Fixture       *fixture,
                    gconstpointer  data)
{
  StriaeConsultationSession *session = fixture->session;
  g_autoptr(StriaeStore) other = NULL;
  g_autoptr(GError) error = NULL;
  StriaeConsultation *consultation;
  guint n_sent = 0;
  gint64 id;

  other = striae_store_open (striae_store_get_path (fixture->store), &error);
  g_assert_no_error (error);
  striae_store_set_user (other, "Dr Roux");

  striae_consultation_session_open (session, fixture->patient, NULL);
  consultation = striae_consultation_session_get_consultation (session);
  striae_consultation_session_save_draft (session);
  g_assert_true (wait_until_saved (session));
  id = striae_consultation_get_id (consultation);

  /* Kept here while the server was gone, then sent. */
  g_assert_true (striae_store_spool_consultation (fixture->store, consultation, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (striae_store_send_spooled (fixture->store, &n_sent, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_sent, ==, 1);
  g_assert_false (striae_store_is_spooled (fixture->store, id, NULL));

  striae_skin_set_fitzpatrick (striae_consultation_get_skin (consultation), 5);
  g_assert_true (wait_until_saved (session));
  g_assert_null (striae_consultation_session_get_conflict (session));
  g_assert_cmpuint (fitzpatrick_of (fixture->store, id), ==, 5);

  /* Another computer changes it on the records; what is typed here is kept here. */
  change_elsewhere (other, id, 2);
  g_assert_true (striae_store_spool_consultation (fixture->store, consultation, NULL, &error));
  g_assert_false (striae_store_send_spooled (fixture->store, &n_sent, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_cmpuint (n_sent, ==, 0);
  g_assert_nonnull (striae_consultation_session_get_conflict (session));
  g_assert_true (striae_store_is_spooled (fixture->store, id, NULL));

  /* Meanwhile no sheet of it is given out: the records hold an older version. */
  {
    g_autoptr(GSettings) settings = g_settings_new ("io.github.striae.Striae");
    g_autoptr(StriaeSheetDelivery) delivery = striae_sheet_delivery_new (fixture->store,
                                                                         settings);
    g_autoptr(StriaeSheet) sheet = NULL;

    sheet = striae_sheet_delivery_compose_stored (delivery, id, "aftercare", "en", NULL, NULL,
                                                  NULL, NULL, &error);
    g_assert_null (sheet);
    g_assert_error (error, STRIAE_SHEET_ERROR, STRIAE_SHEET_ERROR_UNFINISHED);
    g_assert_nonnull (strstr (error->message, "kept on this computer"));
    g_clear_error (&error);
  }

  /* Choosing theirs drops the copy kept here. */
  g_assert_true (striae_consultation_session_reload (session, &error));
  g_assert_no_error (error);
  g_assert_false (striae_store_is_spooled (fixture->store, id, NULL));
  g_assert_cmpuint (fitzpatrick_of (fixture->store, id), ==, 2);
}

/* A save that fails for another reason than a conflict (here: the patient was erased
 * meanwhile; on a clinic server, a login that may not write consultations) is told through
 * "save-error", for the wizard to show, and forgotten once a save works. */
static void
test_session_save_error (Fixture       *fixture,
                         gconstpointer  data)
{
  StriaeConsultationSession *session = fixture->session;
  StriaeConsultation *consultation;
  g_autoptr(GError) error = NULL;
  guint notified = 0;

  striae_consultation_session_open (session, fixture->patient, NULL);
  consultation = striae_consultation_session_get_consultation (session);
  striae_consultation_session_save_draft (session);
  g_assert_true (wait_until_saved (session));
  g_assert_null (striae_consultation_session_get_save_error (session));

  g_signal_connect (session, "notify::save-error", G_CALLBACK (count_cb), &notified);
  g_assert_true (striae_store_erase_patient (fixture->store,
                                             striae_patient_get_id (fixture->patient),
                                             &error));
  g_assert_no_error (error);
  striae_skin_set_fitzpatrick (striae_consultation_get_skin (consultation), 3);
  g_assert_true (wait_until_saved (session));
  g_test_message ("%s", striae_consultation_session_get_save_error (session));
  g_assert_nonnull (striae_consultation_session_get_save_error (session));
  g_assert_cmpuint (notified, ==, 1);
  g_assert_null (striae_consultation_session_get_conflict (session));

  /* Another consultation opened: its saves start afresh. */
  g_clear_object (&fixture->patient);
  fixture->patient = striae_patient_new ();
  striae_patient_set_given_name (fixture->patient, "Aiko");
  striae_patient_set_family_name (fixture->patient, "Tanaka");
  striae_patient_set_birth_date (fixture->patient, striae_test_date ("1991-02-03"));
  g_assert_true (striae_store_add_patient (fixture->store, fixture->patient, &error));
  g_assert_no_error (error);
  striae_consultation_session_open (session, fixture->patient, NULL);
  g_assert_null (striae_consultation_session_get_save_error (session));
  striae_consultation_session_save_draft (session);
  g_assert_true (wait_until_saved (session));
  g_assert_null (striae_consultation_session_get_save_error (session));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/session/open", Fixture, NULL, fixture_set_up, test_session_open,
              fixture_tear_down);
  g_test_add ("/session/recompute", Fixture, NULL, fixture_set_up, test_session_recompute,
              fixture_tear_down);
  g_test_add ("/session/autosave", Fixture, NULL, fixture_set_up, test_session_autosave,
              fixture_tear_down);
  g_test_add ("/session/sign", Fixture, NULL, fixture_set_up, test_session_sign,
              fixture_tear_down);
  g_test_add ("/session/conflict", Fixture, NULL, fixture_set_up, test_session_conflict,
              fixture_tear_down);
  g_test_add ("/session/sign-conflict", Fixture, NULL, fixture_set_up,
              test_session_sign_conflict, fixture_tear_down);
  g_test_add ("/session/save-error", Fixture, NULL, fixture_set_up, test_session_save_error,
              fixture_tear_down);
  g_test_add ("/session/spool", Fixture, NULL, fixture_set_up, test_session_spool,
              fixture_tear_down);
  g_test_add ("/records/own-saves", Fixture, NULL, fixture_set_up, test_records_own_saves,
              fixture_tear_down);

  return g_test_run ();
}
