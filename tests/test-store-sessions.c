/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>

#include "striae-store.h"
#include "striae-test-store.h"
#include "striae-test-date.h"

/* The index of planned session dates behind striae_store_list_sessions_on(): written with
 * every revision (saved, signed, amended, discarded) and back-filled by its schema step, on
 * the backend STRIAE_TEST_BACKEND names. */

/* The schema step that adds the index (striae-sqlite-schema.c, striae-pg-schema.c). */
#define PLANNED_SESSIONS_STEP 9

/* The records with one patient, Inès Moreau (tests/striae-test-store.h). */
typedef StriaeTestRecords Fixture;

/* Every answer given, so that it can be saved as complete; a plan of @sessions sessions every
 * @weeks weeks from @first. */
static void
fill (StriaeConsultation *c,
      const char         *first,
      guint               sessions,
      guint               weeks)
{
  g_autoptr(StriaeArea) area = striae_area_new (STRIAE_BODY_SITE_THIGHS);
  StriaePlan *plan = striae_consultation_get_plan (c);

  striae_consultation_set_date (c, striae_test_date ("2026-11-02"));
  striae_consultation_set_practitioner (c, "Dr Roux");
  for (guint q = 0; q < STRIAE_N_QUESTIONS; q++)
    striae_history_set_answer (striae_consultation_get_history (c), q, STRIAE_ANSWER_NO);
  for (guint f = 0; f < STRIAE_N_SKIN_FACTS; f++)
    striae_skin_set_fact (striae_consultation_get_skin (c), f, STRIAE_ANSWER_NO);
  striae_skin_set_fitzpatrick (striae_consultation_get_skin (c), 3);
  if (g_list_model_get_n_items (striae_consultation_get_areas (c)) == 0)
    {
      striae_area_set_severity (area, STRIAE_SEVERITY_SEVERE);
      striae_area_set_mark_type (area, STRIAE_MARK_TYPE_ALBAE);
      striae_consultation_add_area (c, area);
    }
  striae_plan_set_device (plan, STRIAE_DEVICE_RF);
  striae_plan_set_sessions (plan, sessions);
  striae_plan_set_interval_weeks (plan, weeks);
  striae_plan_set_first_session (plan, striae_test_date (first));
}

static StriaeConsultation *
add_complete (Fixture    *fixture,
              const char *first,
              guint       sessions,
              guint       weeks)
{
  g_autoptr(StriaeConsultation) c = striae_consultation_new ();
  g_autoptr(GError) error = NULL;

  striae_consultation_set_patient_id (c, fixture->patient);
  fill (c, first, sessions, weeks);
  striae_consultation_set_status (c, STRIAE_CONSULTATION_STATUS_COMPLETE);
  g_assert_true (striae_store_save_consultation (fixture->store, c, "Dr Roux", &error));
  g_assert_no_error (error);
  return g_steal_pointer (&c);
}

/* The ids listed for @day, as "id id …" in the order given. */
static char *
sessions_on (Fixture    *fixture,
             const char *day)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) ids = g_string_new (NULL);

  list = striae_store_list_sessions_on (fixture->store, striae_test_date (day), &error);
  g_assert_no_error (error);
  g_assert_nonnull (list);
  for (guint i = 0; i < list->len; i++)
    g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, i > 0 ? " " : "",
                            striae_consultation_get_id (g_ptr_array_index (list, i)));
  return g_string_free (g_steal_pointer (&ids), FALSE);
}

#define ASSERT_SESSIONS(fixture, day, expected) \
  G_STMT_START { \
    g_autofree char *_got = sessions_on (fixture, day); \
    g_assert_cmpstr (_got, ==, expected); \
  } G_STMT_END

static char *
id_text (gint64 id)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, id);
}

/* Saving, saving back to a draft, signing, amending with another plan, discarding the
 * amendment: the day's list follows the latest finished revision each time. */
static void
test_life_cycle (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(StriaeConsultation) c = add_complete (fixture, "2026-11-10", 3, 4);
  g_autoptr(StriaeConsultation) amended = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = striae_consultation_get_id (c);
  g_autofree char *one = id_text (id);

  ASSERT_SESSIONS (fixture, "2026-11-10", one);
  ASSERT_SESSIONS (fixture, "2026-12-08", one);
  ASSERT_SESSIONS (fixture, "2027-01-05", one);
  ASSERT_SESSIONS (fixture, "2027-02-02", "");
  ASSERT_SESSIONS (fixture, "2026-11-11", "");
  g_assert_cmpint (striae_test_store_query_int (fixture->location,
                                                "SELECT count (*) FROM planned_sessions"),
                   ==, 3);

  /* Back to a draft: no sessions until it is finished again. */
  striae_consultation_set_status (c, STRIAE_CONSULTATION_STATUS_DRAFT);
  g_assert_true (striae_store_save_consultation (fixture->store, c, "Dr Roux", &error));
  g_assert_no_error (error);
  ASSERT_SESSIONS (fixture, "2026-12-08", "");
  g_assert_cmpint (striae_test_store_query_int (fixture->location,
                                                "SELECT count (*) FROM planned_sessions"),
                   ==, 0);

  striae_consultation_set_status (c, STRIAE_CONSULTATION_STATUS_COMPLETE);
  g_assert_true (striae_store_save_consultation (fixture->store, c, "Dr Roux", &error));
  g_assert_true (striae_store_sign_consultation (fixture->store, id, "Dr Roux", &error));
  g_assert_no_error (error);
  ASSERT_SESSIONS (fixture, "2026-12-08", one);

  /* An amendment is a draft: the signed plan is no longer the latest. */
  amended = striae_store_amend_consultation (fixture->store, id, "Dr Roux", "Moved", &error);
  g_assert_no_error (error);
  ASSERT_SESSIONS (fixture, "2026-12-08", "");

  /* Finished with another plan: its dates, not the signed one's. */
  fill (amended, "2026-11-17", 2, 6);
  striae_consultation_set_status (amended, STRIAE_CONSULTATION_STATUS_COMPLETE);
  g_assert_true (striae_store_save_consultation (fixture->store, amended, "Dr Roux", &error));
  g_assert_no_error (error);
  ASSERT_SESSIONS (fixture, "2026-12-08", "");
  ASSERT_SESSIONS (fixture, "2026-11-17", one);
  ASSERT_SESSIONS (fixture, "2026-12-29", one);

  /* Discarded: the signed revision's plan holds again. */
  g_assert_true (striae_store_discard_draft (fixture->store, id, "Dr Roux", &error));
  g_assert_no_error (error);
  ASSERT_SESSIONS (fixture, "2026-11-17", "");
  ASSERT_SESSIONS (fixture, "2026-12-08", one);

  /* Signed as not treated: no sessions. */
  {
    g_autoptr(StriaeConsultation) other = add_complete (fixture, "2026-12-08", 1, 0);
    gint64 other_id = striae_consultation_get_id (other);
    g_autofree char *both = g_strdup_printf ("%" G_GINT64_FORMAT " %" G_GINT64_FORMAT,
                                             MIN (id, other_id), MAX (id, other_id));

    ASSERT_SESSIONS (fixture, "2026-12-08", both);
    g_assert_true (striae_store_sign_not_treated (fixture->store, other_id, "Dr Roux",
                                                  "Declined", NULL, &error));
    g_assert_no_error (error);
    ASSERT_SESSIONS (fixture, "2026-12-08", one);
  }
}

/* Records written before the index: its schema step fills it from every finished revision,
 * and the day's list is what it was. */
static void
test_backfill (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(StriaeConsultation) a = add_complete (fixture, "2026-11-10", 3, 4);
  g_autoptr(StriaeConsultation) b = add_complete (fixture, "2026-12-08", 2, 2);
  g_autoptr(StriaeConsultation) draft = striae_consultation_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *both = NULL;
  g_autofree char *one = id_text (striae_consultation_get_id (b));
  g_autofree char *first = id_text (striae_consultation_get_id (a));
  g_autofree char *before = NULL;
  int latest = striae_store_get_latest_schema_version ();

  striae_consultation_set_patient_id (draft, fixture->patient);
  fill (draft, "2026-12-08", 1, 0);
  g_assert_true (striae_store_save_consultation (fixture->store, draft, "Dr Roux", &error));
  g_assert_true (striae_store_sign_consultation (fixture->store, striae_consultation_get_id (a),
                                                 "Dr Roux", &error));
  g_assert_no_error (error);
  both = g_strdup_printf ("%" G_GINT64_FORMAT " %" G_GINT64_FORMAT,
                          striae_consultation_get_id (a), striae_consultation_get_id (b));
  ASSERT_SESSIONS (fixture, "2026-12-08", both);
  g_clear_object (&fixture->store);

  /* The records as the version before the index left them. */
  g_assert_cmpint (latest, >=, PLANNED_SESSIONS_STEP);
  striae_test_store_exec (fixture->location, "DROP TABLE planned_sessions");
  if (striae_test_backend_is ("sqlite"))
    before = g_strdup_printf ("PRAGMA user_version = %d", PLANNED_SESSIONS_STEP - 1);
  else
    before = g_strdup_printf ("UPDATE striae_schema SET version = %d",
                              PLANNED_SESSIONS_STEP - 1);
  striae_test_store_exec (fixture->location, before);

  fixture->store = striae_test_store_open (fixture->location);
  g_assert_cmpint (striae_store_get_schema_version (fixture->store), ==, latest);
  g_assert_cmpint (striae_test_store_query_int (fixture->location,
                                                "SELECT count (*) FROM planned_sessions"),
                   ==, 3 + 2);
  ASSERT_SESSIONS (fixture, "2026-12-08", both);
  ASSERT_SESSIONS (fixture, "2026-12-22", one);
  ASSERT_SESSIONS (fixture, "2027-01-05", first);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/store-sessions/life-cycle", Fixture, NULL,
              striae_test_records_set_up, test_life_cycle,
              striae_test_records_tear_down);
  g_test_add ("/store-sessions/backfill", Fixture, NULL,
              striae_test_records_set_up, test_backfill,
              striae_test_records_tear_down);

  return g_test_run ();
}
