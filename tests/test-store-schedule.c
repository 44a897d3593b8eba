/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <string.h>

#include "striae-store.h"
#include "striae-test-store.h"
#include "striae-test-date.h"

/* The schedule, the day's list and the recalls (issue 17, part 2) on the backend
 * STRIAE_TEST_BACKEND names: the schedule made at sign-off, moves with and without the later
 * sessions following, missed and cancelled sessions, a signed session record marking its
 * slot done, the day's list, each reason of the recalls, their CSV, rights and audit rows. */

typedef StriaeTestRecords Fixture;

/* A complete consultation of @patient (tests/striae-test-store.h): one thigh area at 1 mm
 * with a pen, 3 sessions, maintenance every 4 months. */
static StriaeConsultation *
add_consultation (Fixture *fixture,
                  gint64   patient)
{
  return striae_test_store_add_course (fixture->store, patient, STRIAE_SIDE_NOT_APPLICABLE, 4);
}

/* The signed consultation, as read back. */
static StriaeConsultation *
signed_consultation (Fixture *fixture,
                     gint64   patient)
{
  g_autoptr(StriaeConsultation) c = add_consultation (fixture, patient);

  return striae_test_store_sign_course (fixture->store, c);
}

static GPtrArray *
schedule_of (Fixture *fixture,
             gint64   consultation)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *rows = striae_store_list_schedule (fixture->store, consultation, &error);

  g_assert_no_error (error);
  g_assert_nonnull (rows);
  return rows;
}

static StriaeScheduledSession *
row_at (GPtrArray *rows,
        guint      i)
{
  g_assert_cmpuint (i, <, rows->len);
  return g_ptr_array_index (rows, i);
}

static void
assert_date (const GDate *date,
             const char  *expected)
{
  g_autofree char *text = striae_format_optional_iso_date (date);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_made_at_sign_off (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(StriaeConsultation) draft = add_consultation (fixture, fixture->patient);
  g_autoptr(StriaeConsultation) c = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *what = NULL;
  g_autoptr(GError) error = NULL;

  /* Complete but not signed: nothing is scheduled yet. */
  rows = schedule_of (fixture, striae_consultation_get_id (draft));
  g_assert_cmpuint (rows->len, ==, 0);
  g_clear_pointer (&rows, g_ptr_array_unref);

  g_assert_true (striae_store_sign_consultation (fixture->store,
                                                 striae_consultation_get_id (draft),
                                                 "Dr Roux", &error));
  g_assert_no_error (error);
  rows = schedule_of (fixture, striae_consultation_get_id (draft));
  g_assert_cmpuint (rows->len, ==, 4);
  assert_date (&row_at (rows, 0)->date, "2026-03-09");
  assert_date (&row_at (rows, 1)->date, "2026-04-06");
  assert_date (&row_at (rows, 2)->date, "2026-05-04");
  for (guint i = 0; i < 3; i++)
    {
      g_assert_false (row_at (rows, i)->maintenance);
      g_assert_cmpuint (row_at (rows, i)->number, ==, i + 1);
      g_assert_cmpuint (row_at (rows, i)->course_length, ==, 3);
      g_assert_cmpint (row_at (rows, i)->status, ==, STRIAE_SCHEDULE_STATUS_PLANNED);
      g_assert_cmpint (row_at (rows, i)->patient_id, ==, fixture->patient);
    }
  /* [course] maintenance 4 months after the last course session, on the same weekday. */
  g_assert_true (row_at (rows, 3)->maintenance);
  assert_date (&row_at (rows, 3)->date, "2026-09-07");
  what = striae_scheduled_session_describe (row_at (rows, 1));
  g_assert_cmpstr (what, ==, "Session 2 of 3");
  g_clear_pointer (&what, g_free);
  what = striae_scheduled_session_describe (row_at (rows, 3));
  g_assert_cmpstr (what, ==, "Maintenance session 1");

  /* The patient's schedule is the same rows, by date. */
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = striae_store_list_patient_schedule (fixture->store, fixture->patient, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 4);
}

static void
test_move (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(StriaeConsultation) c = signed_consultation (fixture, fixture->patient);
  gint64 id = striae_consultation_get_id (c);
  g_autoptr(GPtrArray) rows = schedule_of (fixture, id);
  gint64 first = row_at (rows, 0)->id;
  gint64 second = row_at (rows, 1)->id;
  g_autoptr(GError) error = NULL;

  /* The first a week later, the others following. */
  g_assert_true (striae_store_move_scheduled_session (fixture->store, first,
                                                      striae_test_date ("2026-03-16"), 9 * 60,
                                                      TRUE, "Patient away", &error));
  g_assert_no_error (error);
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = schedule_of (fixture, id);
  assert_date (&row_at (rows, 0)->date, "2026-03-16");
  g_assert_cmpint (row_at (rows, 0)->time, ==, 9 * 60);
  g_assert_cmpint (row_at (rows, 0)->status, ==, STRIAE_SCHEDULE_STATUS_MOVED);
  g_assert_cmpstr (row_at (rows, 0)->reason, ==, "Patient away");
  g_assert_nonnull (row_at (rows, 0)->changed_at);
  assert_date (&row_at (rows, 0)->planned_date, "2026-03-09");
  assert_date (&row_at (rows, 1)->date, "2026-04-13");
  assert_date (&row_at (rows, 2)->date, "2026-05-11");
  assert_date (&row_at (rows, 3)->date, "2026-09-14");
  g_assert_cmpint (row_at (rows, 1)->time, ==, -1);
  g_assert_cmpint (striae_test_store_count_audit (fixture->location, "schedule-move"), ==, 4);

  /* The second back to its planned date alone: planned again, the third stays. */
  g_assert_true (striae_store_move_scheduled_session (fixture->store, second,
                                                      striae_test_date ("2026-04-06"), -1,
                                                      FALSE, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = schedule_of (fixture, id);
  assert_date (&row_at (rows, 1)->date, "2026-04-06");
  g_assert_cmpint (row_at (rows, 1)->status, ==, STRIAE_SCHEDULE_STATUS_PLANNED);
  assert_date (&row_at (rows, 2)->date, "2026-05-11");
  g_assert_cmpint (striae_test_store_count_audit (fixture->location, "schedule-move"), ==, 5);

  /* Not before the consultation, not at 24:00. */
  g_assert_false (striae_store_move_scheduled_session (fixture->store, second,
                                                       striae_test_date ("2026-02-01"), -1,
                                                       FALSE, NULL, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (striae_store_move_scheduled_session (fixture->store, second,
                                                       striae_test_date ("2026-04-07"),
                                                       24 * 60, FALSE, NULL, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (striae_store_move_scheduled_session (fixture->store, 999999,
                                                       striae_test_date ("2026-04-07"), -1,
                                                       FALSE, NULL, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND);
  g_assert_cmpint (striae_test_store_count_audit (fixture->location, "schedule-move"), ==, 5);
}

static void
test_missed_cancelled (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(StriaeConsultation) c = signed_consultation (fixture, fixture->patient);
  gint64 id = striae_consultation_get_id (c);
  g_autoptr(GPtrArray) rows = schedule_of (fixture, id);
  gint64 first = row_at (rows, 0)->id;
  gint64 third = row_at (rows, 2)->id;
  g_autoptr(GError) error = NULL;

  g_assert_true (striae_store_mark_session_missed (fixture->store, first, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (striae_store_cancel_scheduled_session (fixture->store, third, "  ", &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (striae_store_cancel_scheduled_session (fixture->store, third,
                                                        "Good result after two", &error));
  g_assert_no_error (error);

  /* Neither can change again. */
  g_assert_false (striae_store_move_scheduled_session (fixture->store, first,
                                                       striae_test_date ("2026-03-20"), -1,
                                                       FALSE, NULL, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (striae_store_mark_session_missed (fixture->store, third, NULL, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID);
  g_clear_error (&error);

  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = schedule_of (fixture, id);
  g_assert_cmpint (row_at (rows, 0)->status, ==, STRIAE_SCHEDULE_STATUS_MISSED);
  g_assert_cmpint (row_at (rows, 1)->status, ==, STRIAE_SCHEDULE_STATUS_PLANNED);
  g_assert_cmpint (row_at (rows, 2)->status, ==, STRIAE_SCHEDULE_STATUS_CANCELLED);
  g_assert_cmpstr (row_at (rows, 2)->reason, ==, "Good result after two");
  g_assert_cmpint (striae_test_store_count_audit (fixture->location, "schedule-miss"), ==, 1);
  g_assert_cmpint (striae_test_store_count_audit (fixture->location, "schedule-cancel"), ==, 1);
}

static gint64
record_and_sign (Fixture            *fixture,
                 StriaeConsultation *c,
                 guint               number,
                 const char         *date)
{
  g_autoptr(StriaeTreatmentSession) s = striae_test_session_new (c, number, date, "AB-123");
  g_autoptr(GError) error = NULL;

  g_assert_true (striae_store_save_treatment_session (fixture->store, s, "Dr Roux", &error));
  g_assert_no_error (error);
  g_assert_true (striae_store_sign_treatment_session (fixture->store,
                                                      striae_treatment_session_get_id (s),
                                                      "Dr Roux", &error));
  g_assert_no_error (error);
  return striae_treatment_session_get_id (s);
}

static void
test_signed_session_done (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(StriaeConsultation) c = signed_consultation (fixture, fixture->patient);
  gint64 id = striae_consultation_get_id (c);
  g_autoptr(GPtrArray) rows = NULL;
  gint64 session;

  session = record_and_sign (fixture, c, 1, "2026-03-10");
  rows = schedule_of (fixture, id);
  g_assert_cmpint (row_at (rows, 0)->status, ==, STRIAE_SCHEDULE_STATUS_DONE);
  g_assert_cmpint (row_at (rows, 0)->treatment_session_id, ==, session);
  assert_date (&row_at (rows, 0)->date, "2026-03-10");
  g_assert_cmpint (row_at (rows, 1)->status, ==, STRIAE_SCHEDULE_STATUS_PLANNED);
  g_assert_cmpint (striae_test_store_count_audit (fixture->location, "schedule-done"), ==, 1);
}

/* An amendment that lengthens the course to 5 sessions: every row says "of 5", the session
 * done too, and sessions 4 and 5 are planned. */
static void
test_amended_length (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(StriaeConsultation) c = signed_consultation (fixture, fixture->patient);
  gint64 id = striae_consultation_get_id (c);
  g_autoptr(StriaeConsultation) amendment = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;

  record_and_sign (fixture, c, 1, "2026-03-10");
  amendment = striae_store_amend_consultation (fixture->store, id, "Dr Roux",
                                               "Deeper marks than seen", &error);
  g_assert_no_error (error);
  striae_plan_set_sessions (striae_consultation_get_plan (amendment), 5);
  striae_consultation_set_status (amendment, STRIAE_CONSULTATION_STATUS_COMPLETE);
  g_assert_true (striae_store_save_consultation (fixture->store, amendment, "Dr Roux", &error));
  g_assert_no_error (error);
  g_assert_true (striae_store_sign_consultation (fixture->store, id, "Dr Roux", &error));
  g_assert_no_error (error);

  rows = schedule_of (fixture, id);
  for (guint i = 0; i < rows->len; i++)
    if (!row_at (rows, i)->maintenance)
      g_assert_cmpuint (row_at (rows, i)->course_length, ==, 5);
  g_assert_cmpint (row_at (rows, 0)->status, ==, STRIAE_SCHEDULE_STATUS_DONE);
  g_assert_cmpuint (row_at (rows, 4)->number, ==, 5);
  g_assert_cmpint (row_at (rows, 4)->status, ==, STRIAE_SCHEDULE_STATUS_PLANNED);
}

/* A session its check stopped (a cold sore, say) treated nothing: the course's place stays
 * open, and the session that treats later marks it done. */
static void
test_stopped_session_open (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(StriaeConsultation) c = signed_consultation (fixture, fixture->patient);
  g_autoptr(StriaeTreatmentSession) stopped =
    striae_test_session_new (c, 1, "2026-03-10", "AB-123");
  gint64 id = striae_consultation_get_id (c);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GError) error = NULL;
  StriaeSessionCheck *check = striae_treatment_session_get_check (stopped);
  gint64 session;

  while (g_list_model_get_n_items (striae_treatment_session_get_areas (stopped)) > 0)
    striae_treatment_session_remove_area (stopped, 0);
  striae_session_check_set_result (check, STRIAE_CHECK_RESULT_STOPPED);
  striae_session_check_set_reason (check, "Cold sore on the lip");
  g_assert_true (striae_store_save_treatment_session (fixture->store, stopped, "Dr Roux",
                                                      &error));
  g_assert_no_error (error);
  g_assert_true (striae_store_sign_treatment_session (fixture->store,
                                                      striae_treatment_session_get_id (stopped),
                                                      "Dr Roux", &error));
  g_assert_no_error (error);
  rows = schedule_of (fixture, id);
  g_assert_cmpint (row_at (rows, 0)->status, ==, STRIAE_SCHEDULE_STATUS_PLANNED);
  g_assert_cmpint (row_at (rows, 0)->treatment_session_id, ==, 0);
  g_assert_cmpint (striae_test_store_count_audit (fixture->location, "schedule-done"), ==, 0);

  session = record_and_sign (fixture, c, 1, "2026-03-24");
  after = schedule_of (fixture, id);
  g_assert_cmpint (row_at (after, 0)->status, ==, STRIAE_SCHEDULE_STATUS_DONE);
  g_assert_cmpint (row_at (after, 0)->treatment_session_id, ==, session);
}

static void
list_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* striae_store_list_recalls_async() as of @today within @days, waited for; cancelled at
 * once with @cancel. */
static GPtrArray *
recalls_in_thread (Fixture     *fixture,
                   const char  *today,
                   guint        days,
                   gboolean     cancel,
                   GError     **error)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;

  striae_store_list_recalls_async (fixture->store, days, striae_test_date (today), cancellable,
                                   list_read_cb, &result);
  if (cancel)
    g_cancellable_cancel (cancellable);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return striae_store_list_recalls_finish (fixture->store, result, error);
}

static void
test_day_list (Fixture       *fixture,
               gconstpointer  data)
{
  gint64 other = striae_test_store_add_patient (fixture->store, "Zoë", "Åberg");
  g_autoptr(StriaeConsultation) c = signed_consultation (fixture, fixture->patient);
  g_autoptr(StriaeConsultation) d = signed_consultation (fixture, other);
  g_autoptr(GPtrArray) rows = schedule_of (fixture, striae_consultation_get_id (d));
  g_autoptr(GPtrArray) day = NULL;
  g_autoptr(GError) error = NULL;
  const StriaeDayEntry *entry;

  /* Åberg at 10:30, Moreau without a time: the timed one first. */
  g_assert_true (striae_store_move_scheduled_session (fixture->store, row_at (rows, 1)->id,
                                                      striae_test_date ("2026-04-06"),
                                                      10 * 60 + 30, FALSE, NULL, &error));
  g_assert_no_error (error);
  day = striae_store_list_day (fixture->store, striae_test_date ("2026-04-06"), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (day->len, ==, 2);
  entry = g_ptr_array_index (day, 0);
  g_assert_cmpstr (entry->family_name, ==, "Åberg");
  g_assert_cmpstr (entry->given_name, ==, "Zoë");
  g_assert_cmpint (entry->session.time, ==, 10 * 60 + 30);
  g_assert_cmpuint (entry->session.number, ==, 2);
  g_assert_cmpuint (entry->session.course_length, ==, 3);
  g_assert_cmpint (entry->session.consultation_id, ==, striae_consultation_get_id (d));
  g_assert_cmpint (entry->session.patient_id, ==, other);
  assert_date (&entry->date_of_birth, "1991-04-02");
  entry = g_ptr_array_index (day, 1);
  g_assert_cmpstr (entry->family_name, ==, "Moreau");
  g_assert_cmpint (entry->session.time, ==, -1);
  g_assert_cmpint (entry->session.consultation_id, ==, striae_consultation_get_id (c));

  g_clear_pointer (&day, g_ptr_array_unref);
  day = striae_store_list_day (fixture->store, striae_test_date ("2026-04-07"), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (day->len, ==, 0);

}

static const StriaeRecall *
find_recall (GPtrArray          *recalls,
             StriaeRecallReason  reason)
{
  for (guint i = 0; i < recalls->len; i++)
    {
      const StriaeRecall *recall = g_ptr_array_index (recalls, i);

      if (recall->reason == reason)
        return recall;
    }
  return NULL;
}

static void
test_recalls (Fixture       *fixture,
              gconstpointer  data)
{
  gint64 stopped_patient = striae_test_store_add_patient (fixture->store, "Zoë", "Åberg");
  gint64 see_patient = striae_test_store_add_patient (fixture->store, "Lea", "Brunner");
  g_autoptr(StriaeConsultation) c = signed_consultation (fixture, fixture->patient);
  g_autoptr(StriaeConsultation) d = signed_consultation (fixture, stopped_patient);
  g_autoptr(StriaeConsultation) e = add_consultation (fixture, see_patient);
  g_autoptr(GPtrArray) rows = schedule_of (fixture, striae_consultation_get_id (d));
  g_autoptr(GPtrArray) recalls = NULL;
  g_autoptr(GError) error = NULL;
  const StriaeRecall *recall;

  /* Åberg missed the second session; the third was cancelled: the course stopped. */
  g_assert_true (striae_store_mark_session_missed (fixture->store, row_at (rows, 1)->id, NULL,
                                                   &error));
  g_assert_no_error (error);
  g_assert_true (striae_store_cancel_scheduled_session (fixture->store, row_at (rows, 2)->id,
                                                        "Patient moved away", &error));
  g_assert_no_error (error);
  /* Brunner is pregnant: not treated, to be seen again in November. */
  g_assert_true (striae_store_sign_not_treated (fixture->store, striae_consultation_get_id (e),
                                                "Dr Roux", "Pregnancy",
                                                striae_test_date ("2026-11-02"), &error));
  g_assert_no_error (error);

  /* In June, within 6 weeks: only the stopped course. */
  recalls = striae_store_list_recalls (fixture->store, 42, striae_test_date ("2026-06-01"),
                                       &error);
  g_assert_no_error (error);
  g_assert_cmpuint (recalls->len, ==, 1);
  recall = find_recall (recalls, STRIAE_RECALL_COURSE_STOPPED);
  g_assert_nonnull (recall);
  g_assert_cmpint (recall->patient_id, ==, stopped_patient);
  assert_date (&recall->due, "2026-04-06");
  g_assert_nonnull (strstr (recall->sentence, "missed"));
  g_clear_pointer (&recalls, g_ptr_array_unref);

  /* In August, within 6 weeks: Moreau's maintenance (7 September) too. */
  recalls = striae_store_list_recalls (fixture->store, 42, striae_test_date ("2026-08-01"),
                                       &error);
  g_assert_no_error (error);
  g_assert_cmpuint (recalls->len, ==, 2);
  recall = find_recall (recalls, STRIAE_RECALL_MAINTENANCE);
  g_assert_nonnull (recall);
  g_assert_cmpint (recall->patient_id, ==, fixture->patient);
  assert_date (&recall->due, "2026-09-07");
  g_assert_cmpstr (recall->family_name, ==, "Moreau");
  g_clear_pointer (&recalls, g_ptr_array_unref);

  /* The window reads the same in a worker thread; cancelled, it gives no rows. */
  recalls = recalls_in_thread (fixture, "2026-08-01", 42, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (recalls->len, ==, 2);
  g_assert_nonnull (find_recall (recalls, STRIAE_RECALL_MAINTENANCE));
  g_assert_nonnull (find_recall (recalls, STRIAE_RECALL_COURSE_STOPPED));
  g_clear_pointer (&recalls, g_ptr_array_unref);
  recalls = recalls_in_thread (fixture, "2026-08-01", 42, TRUE, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (recalls);
  g_clear_error (&error);

  /* In October, within 30 days: Brunner to be seen again. */
  recalls = striae_store_list_recalls (fixture->store, 30, striae_test_date ("2026-10-10"),
                                       &error);
  g_assert_no_error (error);
  recall = find_recall (recalls, STRIAE_RECALL_SEE_AGAIN);
  g_assert_nonnull (recall);
  g_assert_cmpint (recall->patient_id, ==, see_patient);
  assert_date (&recall->due, "2026-11-02");
  g_assert_cmpint (recall->consultation_id, ==, striae_consultation_get_id (e));
  g_clear_pointer (&recalls, g_ptr_array_unref);

  /* More than a year after the missed session, the stopped course is no longer called back
   * (STRIAE_RECALL_LOOKBACK_DAYS). */
  recalls = striae_store_list_recalls (fixture->store, 42, striae_test_date ("2027-04-10"),
                                       &error);
  g_assert_no_error (error);
  g_assert_null (find_recall (recalls, STRIAE_RECALL_COURSE_STOPPED));
}

static void
test_csv (void)
{
  g_autoptr(GPtrArray) recalls =
    g_ptr_array_new_with_free_func ((GDestroyNotify) striae_recall_free);
  StriaeRecall *recall = g_new0 (StriaeRecall, 1);
  g_autofree char *csv = NULL;

  recall->patient_id = 7;
  recall->consultation_id = 12;
  recall->given_name = g_strdup ("Zoë \"Zo\"");
  recall->family_name = g_strdup ("Åberg, Müller");
  recall->phone = g_strdup ("");
  recall->email = g_strdup ("zoe@example.org");
  recall->reason = STRIAE_RECALL_MAINTENANCE;
  recall->sentence = g_strdup ("Due.\nCall her.");
  g_date_clear (&recall->date_of_birth, 1);
  g_date_set_dmy (&recall->due, 7, 9, 2026);
  g_ptr_array_add (recalls, recall);

  csv = striae_recalls_to_csv (recalls);
  g_assert_cmpstr (csv, ==,
                   "family_name,given_name,date_of_birth,phone,email,reason,reason_text,due,"
                   "patient_id,consultation_id\r\n"
                   "\"Åberg, Müller\",\"Zoë \"\"Zo\"\"\",,,zoe@example.org,maintenance,"
                   "\"Due.\nCall her.\",2026-09-07,7,12\r\n");
  g_assert_true (g_utf8_validate (csv, -1, NULL));
}

static void
test_rights (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(StriaeConsultation) c = signed_consultation (fixture, fixture->patient);
  g_autoptr(GPtrArray) rows = schedule_of (fixture, striae_consultation_get_id (c));
  g_autoptr(GError) error = NULL;

  if (!striae_test_backend_is ("sqlite"))
    {
      g_test_skip ("A clinic server's accounts are its logins (test-server-roles)");
      return;
    }

  g_assert_true (striae_store_create_first_admin (fixture->store, "boss", "Dr Anne Roux",
                                                  "correct horse", &error));
  g_assert_no_error (error);
  g_assert_true (striae_store_add_account (fixture->store, "desk", "Front desk",
                                           STRIAE_STAFF_ROLE_ASSISTANT, "front desk 1",
                                           &error));
  g_assert_no_error (error);
  striae_store_sign_out (fixture->store);
  g_assert_true (striae_store_sign_in (fixture->store, "desk", "front desk 1", &error));
  g_assert_no_error (error);

  /* The front desk runs the diary. */
  g_assert_true (striae_store_move_scheduled_session (fixture->store, row_at (rows, 0)->id,
                                                      striae_test_date ("2026-03-10"), -1,
                                                      FALSE, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (striae_store_mark_session_missed (fixture->store, row_at (rows, 1)->id, NULL,
                                                   &error));
  g_assert_no_error (error);
  /* A cancellation shortens the course: the practitioner's. */
  g_assert_false (striae_store_cancel_scheduled_session (fixture->store, row_at (rows, 2)->id,
                                                         "No", &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  /* It reads the day's list and the recalls, contact details included. */
  {
    g_autoptr(GPtrArray) day = striae_store_list_day (fixture->store,
                                                      striae_test_date ("2026-03-10"), &error);
    g_autoptr(GPtrArray) recalls = NULL;

    g_assert_no_error (error);
    g_assert_cmpuint (day->len, ==, 1);
    recalls = striae_store_list_recalls (fixture->store, 42, striae_test_date ("2026-06-01"),
                                         &error);
    g_assert_no_error (error);
    g_assert_nonnull (find_recall (recalls, STRIAE_RECALL_COURSE_STOPPED));
  }
  g_assert_cmpint (striae_test_store_count_audit (fixture->location, "schedule-move"), ==, 1);
  g_assert_cmpint (striae_test_store_count_audit (fixture->location, "schedule-miss"), ==, 1);
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = schedule_of (fixture, striae_consultation_get_id (c));
  g_assert_cmpstr (row_at (rows, 0)->changed_by, ==, "Front desk");
  g_assert_cmpint (row_at (rows, 2)->status, ==, STRIAE_SCHEDULE_STATUS_PLANNED);

  striae_store_sign_out (fixture->store);
  g_assert_null (striae_store_list_schedule (fixture->store, striae_consultation_get_id (c),
                                             &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  g_assert_true (striae_store_sign_in (fixture->store, "boss", "correct horse", &error));
  g_assert_no_error (error);
  g_assert_true (striae_store_cancel_scheduled_session (fixture->store, row_at (rows, 2)->id,
                                                        "Good result", &error));
  g_assert_no_error (error);
}

static void
test_erased (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(StriaeConsultation) c = signed_consultation (fixture, fixture->patient);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (striae_test_store_query_int (fixture->location,
                                                "SELECT count (*) FROM scheduled_sessions"),
                   ==, 4);
  g_assert_true (striae_store_erase_patient (fixture->store, fixture->patient, &error));
  g_assert_no_error (error);
  g_assert_cmpint (striae_test_store_query_int (fixture->location,
                                                "SELECT count (*) FROM scheduled_sessions"),
                   ==, 0);
}

/* The schedule travels with the patient (export format 3): moves, misses and the session
 * record that made one done come back under the new numbers. */
static void
test_export_import (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(StriaeConsultation) c = signed_consultation (fixture, fixture->patient);
  g_autoptr(GPtrArray) rows = schedule_of (fixture, striae_consultation_get_id (c));
  g_autofree char *other_location = striae_test_store_other_location (fixture->dir, "other");
  g_autoptr(StriaeStore) other = NULL;
  g_autoptr(GPtrArray) copied = NULL;
  g_autoptr(GPtrArray) sessions = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  StriaeTreatmentSession *session;
  gint64 imported;

  record_and_sign (fixture, c, 1, "2026-03-09");
  g_assert_true (striae_store_move_scheduled_session (fixture->store, row_at (rows, 1)->id,
                                                      striae_test_date ("2026-04-08"),
                                                      11 * 60, FALSE, "Holiday", &error));
  g_assert_no_error (error);
  g_assert_true (striae_store_mark_session_missed (fixture->store, row_at (rows, 2)->id, NULL,
                                                   &error));
  g_assert_no_error (error);
  json = striae_store_export_patient (fixture->store, fixture->patient,
                                      STRIAE_EXPORT_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (json, "\"schedule\""));

  other = striae_test_store_open (other_location);
  imported = striae_store_import_patient (other, json, -1, NULL, &error);
  g_assert_no_error (error);
  copied = striae_store_list_patient_schedule (other, imported, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (copied->len, ==, 4);
  sessions = striae_store_list_patient_treatment_sessions (other, imported, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sessions->len, ==, 1);
  session = g_ptr_array_index (sessions, 0);
  g_assert_cmpint (row_at (copied, 0)->status, ==, STRIAE_SCHEDULE_STATUS_DONE);
  g_assert_cmpint (row_at (copied, 0)->treatment_session_id, ==,
                   striae_treatment_session_get_id (session));
  g_assert_cmpint (row_at (copied, 1)->status, ==, STRIAE_SCHEDULE_STATUS_MOVED);
  assert_date (&row_at (copied, 1)->date, "2026-04-08");
  assert_date (&row_at (copied, 1)->planned_date, "2026-04-06");
  g_assert_cmpint (row_at (copied, 1)->time, ==, 11 * 60);
  g_assert_cmpstr (row_at (copied, 1)->reason, ==, "Holiday");
  g_assert_cmpint (row_at (copied, 2)->status, ==, STRIAE_SCHEDULE_STATUS_MISSED);
  g_assert_true (row_at (copied, 3)->maintenance);
  g_assert_cmpint (row_at (copied, 3)->patient_id, ==, imported);

  /* A file whose schedule names no consultation of its own is refused whole. */
  {
    g_autoptr(GString) broken = g_string_new (json);
    g_autofree char *from = g_strdup_printf ("\"consultation\" : %" G_GINT64_FORMAT,
                                             striae_consultation_get_id (c));

    g_assert_cmpuint (g_string_replace (broken, from, "\"consultation\" : 999999", 1), ==, 1);
    g_assert_cmpint (striae_store_erase_patient (other, imported, &error), ==, TRUE);
    g_assert_no_error (error);
    g_assert_cmpint (striae_store_import_patient (other, broken->str, -1, NULL, &error), ==, 0);
    g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "$.schedule[0]"));
  }

  g_clear_object (&other);
  striae_test_store_remove (other_location);
}

/* Consultations signed before the schedule (schema 13): its step gives them the schedule
 * their plans give, and the see-again dates of those not treated. */
static void
test_backfill (Fixture       *fixture,
               gconstpointer  data)
{
  gint64 other = striae_test_store_add_patient (fixture->store, "Lea", "Brunner");
  g_autoptr(StriaeConsultation) c = signed_consultation (fixture, fixture->patient);
  g_autoptr(StriaeConsultation) e = add_consultation (fixture, other);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) recalls = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;

  g_assert_true (striae_store_sign_not_treated (fixture->store, striae_consultation_get_id (e),
                                                "Dr Roux", "Pregnancy",
                                                striae_test_date ("2026-11-02"), &error));
  g_assert_no_error (error);
  g_clear_object (&fixture->store);

  /* The records as the version before the schedule left them (and the photos and the
   * consent's signatures, schemas 14 and 15, which came after; schema 16 only names the
   * audit subjects' index, and makes it again on a file that has it; schema 17 changes only
   * how a server computes its search column, as does schema 18; schema 19 only how it fills a
   * revision's status and date). */
  g_assert_cmpint (striae_store_get_latest_schema_version (), ==, 20);
  striae_test_store_exec (fixture->location, "DROP TABLE photos");
  striae_test_store_exec (fixture->location, "DROP TABLE photo_consents");
  striae_test_store_exec (fixture->location, "DROP TABLE consent_signatures");
  striae_test_store_exec (fixture->location, "DROP TABLE scheduled_sessions");
  striae_test_store_exec (fixture->location, "DROP TABLE see_again");
  if (striae_test_backend_is ("sqlite"))
    before = g_strdup ("PRAGMA user_version = 12");
  else
    before = g_strdup ("UPDATE striae_schema SET version = 12");
  striae_test_store_exec (fixture->location, before);

  fixture->store = striae_test_store_open (fixture->location);
  g_assert_cmpint (striae_store_get_schema_version (fixture->store), ==,
                   striae_store_get_latest_schema_version ());
  rows = schedule_of (fixture, striae_consultation_get_id (c));
  g_assert_cmpuint (rows->len, ==, 4);
  assert_date (&row_at (rows, 0)->date, "2026-03-09");
  assert_date (&row_at (rows, 2)->date, "2026-05-04");
  g_assert_true (row_at (rows, 3)->maintenance);
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = schedule_of (fixture, striae_consultation_get_id (e));
  g_assert_cmpuint (rows->len, ==, 0);
  recalls = striae_store_list_recalls (fixture->store, 30, striae_test_date ("2026-10-10"),
                                       &error);
  g_assert_no_error (error);
  g_assert_nonnull (find_recall (recalls, STRIAE_RECALL_SEE_AGAIN));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, striae_test_records_set_up, func, \
              striae_test_records_tear_down)
  ADD ("/schedule/made-at-sign-off", test_made_at_sign_off);
  ADD ("/schedule/move", test_move);
  ADD ("/schedule/missed-cancelled", test_missed_cancelled);
  ADD ("/schedule/signed-session-done", test_signed_session_done);
  ADD ("/schedule/stopped-session-open", test_stopped_session_open);
  ADD ("/schedule/amended-length", test_amended_length);
  ADD ("/schedule/day-list", test_day_list);
  ADD ("/schedule/recalls", test_recalls);
  ADD ("/schedule/rights", test_rights);
  ADD ("/schedule/erased", test_erased);
  ADD ("/schedule/export-import", test_export_import);
  ADD ("/schedule/backfill", test_backfill);
  g_test_add_func ("/schedule/csv", test_csv);
#undef ADD

  return g_test_run ();
}
