/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "striae-core-error.h"
#include "striae-date.h"
#include "striae-treatment-session.h"

/* The session record of the core (issue 17): its JSON round trip, the strict reading, and the
 * rules of saving and signing. */

static StriaeConsultation *
make_consultation (void)
{
  StriaeConsultation *consultation = striae_consultation_new ();
  g_autoptr(StriaeArea) abdomen = striae_area_new (STRIAE_BODY_SITE_ABDOMEN);
  StriaePlan *plan = striae_consultation_get_plan (consultation);
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 2, G_DATE_MARCH, 2026);
  striae_consultation_set_id (consultation, 7);
  striae_consultation_set_patient_id (consultation, 3);
  striae_consultation_set_revision (consultation, 2);
  striae_consultation_set_date (consultation, &date);
  striae_area_set_depth (abdomen, 1.0);
  striae_consultation_add_area (consultation, abdomen);
  striae_plan_set_device (plan, STRIAE_DEVICE_PEN);
  striae_plan_set_sessions (plan, 4);
  striae_plan_set_numbing_cream (plan, TRUE);
  striae_consultation_set_status (consultation, STRIAE_CONSULTATION_STATUS_SIGNED);

  return consultation;
}

static void
set_date (StriaeTreatmentSession *session,
          int                     day,
          GDateMonth              month,
          int                     year)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, day, month, year);
  striae_treatment_session_set_date (session, &date);
}

/* A complete session record of @consultation's plan: session 2 of 4 on 6 April 2026. */
static StriaeTreatmentSession *
make_session (StriaeConsultation *consultation)
{
  StriaeTreatmentSession *session = striae_treatment_session_new_for (consultation);
  g_autoptr(StriaeSessionProduct) serum = NULL;
  g_autoptr(StriaeAdverseEvent) event = NULL;
  GDate expiry;

  striae_treatment_session_set_number (session, 2);
  set_date (session, 6, G_DATE_APRIL, 2026);
  striae_treatment_session_set_time (session, 10 * 60 + 30);
  striae_treatment_session_set_numbing_cream_time (session, 9 * 60 + 45);
  striae_treatment_session_set_practitioner (session, "Dr. Zoë Ångström");
  striae_treatment_session_set_tolerance (session, 4);
  striae_treatment_session_set_reaction (session, "Erythema, as expected.");
  striae_treatment_session_set_notes (session, "Tolerated well.");

  g_date_clear (&expiry, 1);
  g_date_set_dmy (&expiry, 30, G_DATE_JUNE, 2027);
  serum = striae_session_product_new ("Hyaluronic serum", "LOT-42A", &expiry);
  striae_treatment_session_add_product (session, serum);
  event = striae_adverse_event_new ("Pinpoint bleeding", STRIAE_EVENT_SEVERITY_MILD);
  striae_adverse_event_set_follow_up (event, "Pressure for 2 minutes.");
  striae_treatment_session_add_event (session, event);

  {
    g_autoptr(StriaeSessionArea) area =
      g_list_model_get_item (striae_treatment_session_get_areas (session), 0);

    striae_session_area_set_passes (area, 3);
  }
  striae_session_check_set_answer (striae_treatment_session_get_check (session),
                                   STRIAE_CHECK_ITEM_PREGNANCY, STRIAE_ANSWER_NO);
  striae_session_check_set_result (striae_treatment_session_get_check (session),
                                   STRIAE_CHECK_RESULT_CLEAR);

  return session;
}

static void
test_new_for (void)
{
  g_autoptr(StriaeConsultation) consultation = make_consultation ();
  g_autoptr(StriaeTreatmentSession) session = striae_treatment_session_new_for (consultation);
  g_autoptr(StriaeSessionArea) area = NULL;

  g_assert_cmpint (striae_treatment_session_get_consultation_id (session), ==, 7);
  g_assert_cmpuint (striae_treatment_session_get_consultation_revision (session), ==, 2);
  g_assert_cmpint (striae_treatment_session_get_patient_id (session), ==, 3);
  g_assert_cmpuint (striae_treatment_session_get_course_length (session), ==, 4);
  g_assert_true (striae_treatment_session_get_numbing_cream (session));
  g_assert_cmpuint (g_list_model_get_n_items (striae_treatment_session_get_areas (session)),
                    ==, 1);
  area = g_list_model_get_item (striae_treatment_session_get_areas (session), 0);
  g_assert_cmpfloat (striae_session_area_get_depth (area), ==, 1.0);
  g_assert_cmpint (striae_session_area_get_device (area), ==, STRIAE_DEVICE_PEN);
  g_assert_cmpint (striae_treatment_session_get_tolerance (session), ==, -1);
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

static void
test_notify (void)
{
  g_autoptr(StriaeTreatmentSession) session = striae_treatment_session_new ();
  guint count = 0;

  g_signal_connect (session, "notify::tolerance", G_CALLBACK (count_notify), &count);
  striae_treatment_session_set_tolerance (session, 5);
  striae_treatment_session_set_tolerance (session, 5);
  g_object_set (session, "tolerance", 6, NULL);
  g_assert_cmpuint (count, ==, 2);
}

static void
test_round_trip (void)
{
  g_autoptr(StriaeConsultation) consultation = make_consultation ();
  g_autoptr(StriaeTreatmentSession) session = make_session (consultation);
  g_autoptr(StriaeTreatmentSession) read = NULL;
  g_autoptr(StriaeSessionProduct) product = NULL;
  g_autoptr(StriaeAdverseEvent) event = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *again = NULL;

  striae_session_check_set_changes (striae_treatment_session_get_check (session),
                                    "Nothing new.");
  json = striae_treatment_session_to_json (session);
  read = striae_treatment_session_new_from_json (json, &error);
  g_assert_no_error (error);
  again = striae_treatment_session_to_json (read);
  g_assert_cmpstr (again, ==, json);

  g_assert_cmpuint (striae_treatment_session_get_number (read), ==, 2);
  g_assert_cmpint (striae_treatment_session_get_time (read), ==, 630);
  g_assert_cmpint (striae_treatment_session_get_numbing_cream_time (read), ==, 585);
  g_assert_cmpstr (striae_treatment_session_get_practitioner (read), ==, "Dr. Zoë Ångström");
  product = g_list_model_get_item (striae_treatment_session_get_products (read), 0);
  g_assert_cmpstr (striae_session_product_get_lot (product), ==, "LOT-42A");
  g_assert_cmpint (g_date_get_year (striae_session_product_get_expiry (product)), ==, 2027);
  event = g_list_model_get_item (striae_treatment_session_get_events (read), 0);
  g_assert_cmpstr (striae_adverse_event_get_follow_up (event), ==, "Pressure for 2 minutes.");
  g_assert_cmpint (striae_session_check_get_answer (striae_treatment_session_get_check (read),
                                                    STRIAE_CHECK_ITEM_PREGNANCY),
                   ==, STRIAE_ANSWER_NO);
  g_assert_cmpstr (g_strstr_len (json, -1, "\"time\" : \"10:30\""), !=, NULL);
}

/* Each bad document is refused, naming where. */
static void
test_strict (void)
{
  static const struct {
    const char *json;
    const char *where;
  } cases[] = {
    { "{\"format\": 1, \"colour\": \"red\"}", "$.colour" },
    { "{\"format\": 1, \"number\": \"2\"}", "$.number" },
    { "{\"format\": 1, \"tolerance\": 11}", "$.tolerance" },
    { "{\"format\": 1, \"tolerance\": 4.5}", "$.tolerance" },
    { "{\"format\": 1, \"time\": \"25:00\"}", "$.time" },
    { "{\"format\": 1, \"date\": \"06/04/2026\"}", "$.date" },
    { "{\"format\": 1, \"status\": \"final\"}", "$.status" },
    { "{\"format\": 1, \"areas\": [{\"area-id\": \"a\", \"depth\": 9}]}", "$.areas[0].depth" },
    { "{\"format\": 1, \"areas\": [{\"area-id\": \"a\", \"colour\": 1}]}",
      "$.areas[0].colour" },
    { "{\"format\": 1, \"areas\": [7]}", "$.areas[0]" },
    { "{\"format\": 1, \"products\": {\"lot\": \"x\"}}", "$.products" },
    { "{\"format\": 1, \"products\": [{\"lot\": 42}]}", "$.products[0].lot" },
    { "{\"format\": 1, \"adverse-events\": [{\"severity\": \"fatal\"}]}",
      "$.adverse-events[0].severity" },
    { "{\"format\": 1, \"check\": {\"answers\": {\"mood\": \"yes\"}}}",
      "$.check.answers.mood" },
    { "{\"format\": 1, \"check\": {\"result\": true}}", "$.check.result" },
    { "{\"format\": 1, \"maintenance\": \"yes\"}", "$.maintenance" },
    { "{\"format\": 1, \"notes\": \"a\", \"notes\": \"b\"}", "$.notes" },
    { "{\"id\": 1}", "$.format" },
    { "[1]", "$" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(StriaeTreatmentSession) session =
        striae_treatment_session_new_from_json (cases[i].json, &error);

      g_test_message ("case %u: %s", i, cases[i].json);
      g_assert_null (session);
      g_assert_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, cases[i].where));
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(StriaeTreatmentSession) session =
      striae_treatment_session_new_from_json ("{\"format\": 2}", &error);

    g_assert_null (session);
    g_assert_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "Update Striae"));
  }
}

static void
test_validate_ok (void)
{
  g_autoptr(StriaeConsultation) consultation = make_consultation ();
  g_autoptr(StriaeTreatmentSession) session = make_session (consultation);
  g_autoptr(GError) error = NULL;
  GDate today;

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 6, G_DATE_APRIL, 2026);
  g_assert_true (striae_treatment_session_validate (session, consultation, &error));
  g_assert_no_error (error);
  g_assert_true (striae_treatment_session_check_signable (session, &today, &error));
  g_assert_no_error (error);
}

typedef void (*Spoil) (StriaeTreatmentSession *session,
                       StriaeConsultation     *consultation);

static StriaeSessionArea *
first_area (StriaeTreatmentSession *session)
{
  g_autoptr(StriaeSessionArea) area =
    g_list_model_get_item (striae_treatment_session_get_areas (session), 0);

  return area;  /* the session holds it */
}

static void
spoil_unsigned (StriaeTreatmentSession *s,
                StriaeConsultation     *c)
{
  striae_consultation_set_status (c, STRIAE_CONSULTATION_STATUS_COMPLETE);
}

static void
spoil_not_treated (StriaeTreatmentSession *s,
                   StriaeConsultation     *c)
{
  striae_consultation_set_not_treated (c, TRUE, "Pregnant", NULL);
}

static void
spoil_number (StriaeTreatmentSession *s,
              StriaeConsultation     *c)
{
  striae_treatment_session_set_number (s, 5);
}

static void
spoil_number_zero (StriaeTreatmentSession *s,
                   StriaeConsultation     *c)
{
  striae_treatment_session_set_number (s, 0);
}

static void
spoil_depth_step (StriaeTreatmentSession *s,
                  StriaeConsultation     *c)
{
  striae_session_area_set_depth (first_area (s), 0.8);
}

static void
spoil_depth_over_plan (StriaeTreatmentSession *s,
                       StriaeConsultation     *c)
{
  striae_session_area_set_depth (first_area (s), 1.5);
}

static void
spoil_rf (StriaeTreatmentSession *s,
          StriaeConsultation     *c)
{
  striae_session_area_set_device (first_area (s), STRIAE_DEVICE_RF);
  striae_session_area_set_reason (first_area (s), "Better reach");
}

static void
spoil_device (StriaeTreatmentSession *s,
              StriaeConsultation     *c)
{
  striae_session_area_set_device (first_area (s), STRIAE_DEVICE_ROLLER);
}

static void
spoil_area (StriaeTreatmentSession *s,
            StriaeConsultation     *c)
{
  striae_session_area_set_area_id (first_area (s), "not-an-area");
}

static void
spoil_twice (StriaeTreatmentSession *s,
             StriaeConsultation     *c)
{
  g_autoptr(StriaeSessionArea) copy = striae_session_area_copy (first_area (s));

  striae_treatment_session_add_area (s, copy);
}

static void
spoil_before_consultation (StriaeTreatmentSession *s,
                           StriaeConsultation     *c)
{
  set_date (s, 1, G_DATE_MARCH, 2026);
}

static void
spoil_cream_after_start (StriaeTreatmentSession *s,
                         StriaeConsultation     *c)
{
  striae_treatment_session_set_numbing_cream_time (s, 11 * 60);
}

static void
spoil_check_clear (StriaeTreatmentSession *s,
                   StriaeConsultation     *c)
{
  striae_session_check_set_answer (striae_treatment_session_get_check (s),
                                   STRIAE_CHECK_ITEM_COLD_SORE, STRIAE_ANSWER_YES);
}

static void
spoil_check_stopped (StriaeTreatmentSession *s,
                     StriaeConsultation     *c)
{
  striae_session_check_set_result (striae_treatment_session_get_check (s),
                                   STRIAE_CHECK_RESULT_STOPPED);
}

static void
spoil_other_patient (StriaeTreatmentSession *s,
                     StriaeConsultation     *c)
{
  striae_treatment_session_set_patient_id (s, 99);
}

static void
test_validate_refusals (void)
{
  static const struct {
    Spoil       spoil;
    const char *says;
  } cases[] = {
    { spoil_unsigned, "sign the consultation" },
    { spoil_not_treated, "not treated" },
    { spoil_number, "maintenance" },
    { spoil_number_zero, "number in the course" },
    { spoil_depth_step, "steps of 0.25" },
    { spoil_depth_over_plan, "deeper than the plan" },
    { spoil_rf, "Radiofrequency" },
    { spoil_device, "device other than" },
    { spoil_area, "not in the consultation" },
    { spoil_twice, "listed twice" },
    { spoil_before_consultation, "before the consultation" },
    { spoil_cream_after_start, "after the session started" },
    { spoil_check_clear, "acknowledge the finding" },
    { spoil_check_stopped, "why the session was stopped" },
    { spoil_other_patient, "another consultation or patient" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(StriaeConsultation) consultation = make_consultation ();
      g_autoptr(StriaeTreatmentSession) session = make_session (consultation);
      g_autoptr(GError) error = NULL;

      cases[i].spoil (session, consultation);
      g_test_message ("case %u: %s", i, cases[i].says);
      g_assert_false (striae_treatment_session_validate (session, consultation, &error));
      g_assert_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, cases[i].says));
    }
}

/* A deeper needle or another device is kept with its reason. */
static void
test_override_with_reason (void)
{
  g_autoptr(StriaeConsultation) consultation = make_consultation ();
  g_autoptr(StriaeTreatmentSession) session = make_session (consultation);
  g_autoptr(GError) error = NULL;

  striae_session_area_set_depth (first_area (session), 1.5);
  striae_session_area_set_device (first_area (session), STRIAE_DEVICE_ROLLER);
  striae_session_area_set_reason (first_area (session), "Marks responded little at 1 mm.");
  g_assert_true (striae_treatment_session_validate (session, consultation, &error));
  g_assert_no_error (error);
}

static void
sign_spoil_expired (StriaeTreatmentSession *s,
                    StriaeConsultation     *c)
{
  g_autoptr(StriaeSessionProduct) product =
    g_list_model_get_item (striae_treatment_session_get_products (s), 0);
  GDate expiry;

  g_date_clear (&expiry, 1);
  g_date_set_dmy (&expiry, 5, G_DATE_APRIL, 2026);
  striae_session_product_set_expiry (product, &expiry);
}

static void
sign_spoil_no_lot (StriaeTreatmentSession *s,
                   StriaeConsultation     *c)
{
  g_autoptr(StriaeSessionProduct) product =
    g_list_model_get_item (striae_treatment_session_get_products (s), 0);

  striae_session_product_set_lot (product, "");
}

static void
sign_spoil_future (StriaeTreatmentSession *s,
                   StriaeConsultation     *c)
{
  set_date (s, 7, G_DATE_APRIL, 2026);
}

static void
sign_spoil_no_depth (StriaeTreatmentSession *s,
                     StriaeConsultation     *c)
{
  striae_session_area_set_depth (first_area (s), 0);
}

static void
sign_spoil_no_check (StriaeTreatmentSession *s,
                     StriaeConsultation     *c)
{
  striae_session_check_set_result (striae_treatment_session_get_check (s),
                                   STRIAE_CHECK_RESULT_NOT_DONE);
}

static void
sign_spoil_cream_time (StriaeTreatmentSession *s,
                       StriaeConsultation     *c)
{
  striae_treatment_session_set_numbing_cream_time (s, -1);
}

static void
sign_spoil_stopped_with_areas (StriaeTreatmentSession *s,
                               StriaeConsultation     *c)
{
  StriaeSessionCheck *check = striae_treatment_session_get_check (s);

  striae_session_check_set_answer (check, STRIAE_CHECK_ITEM_PREGNANCY, STRIAE_ANSWER_YES);
  striae_session_check_set_result (check, STRIAE_CHECK_RESULT_STOPPED);
  striae_session_check_set_reason (check, "Pregnant since the last session.");
}

static void
sign_spoil_practitioner (StriaeTreatmentSession *s,
                         StriaeConsultation     *c)
{
  striae_treatment_session_set_practitioner (s, "  ");
}

static void
test_signable_refusals (void)
{
  static const struct {
    Spoil       spoil;
    const char *says;
  } cases[] = {
    { sign_spoil_expired, "expired on" },
    { sign_spoil_no_lot, "batch or lot number" },
    { sign_spoil_future, "in the future" },
    { sign_spoil_no_depth, "needle depth used" },
    { sign_spoil_no_check, "check before the session" },
    { sign_spoil_cream_time, "numbing cream went on" },
    { sign_spoil_stopped_with_areas, "stopped before treatment" },
    { sign_spoil_practitioner, "who performed" },
  };
  GDate today;

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 6, G_DATE_APRIL, 2026);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(StriaeConsultation) consultation = make_consultation ();
      g_autoptr(StriaeTreatmentSession) session = make_session (consultation);
      g_autoptr(GError) error = NULL;

      cases[i].spoil (session, consultation);
      g_test_message ("case %u: %s", i, cases[i].says);
      g_assert_true (striae_treatment_session_validate (session, consultation, NULL));
      g_assert_false (striae_treatment_session_check_signable (session, &today, &error));
      g_assert_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, cases[i].says));
    }
}

/* A session stopped by its check, with no area treated, can be signed: the record says why. */
static void
test_stopped_session (void)
{
  g_autoptr(StriaeConsultation) consultation = make_consultation ();
  g_autoptr(StriaeTreatmentSession) session = make_session (consultation);
  StriaeSessionCheck *check = striae_treatment_session_get_check (session);
  g_autoptr(GError) error = NULL;
  GDate today;

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 6, G_DATE_APRIL, 2026);
  striae_session_check_set_answer (check, STRIAE_CHECK_ITEM_PREGNANCY, STRIAE_ANSWER_YES);
  g_assert_true (striae_session_check_has_absolute (check));
  striae_session_check_set_result (check, STRIAE_CHECK_RESULT_STOPPED);
  striae_session_check_set_reason (check, "Pregnant since the last session.");
  striae_treatment_session_remove_area (session, 0);
  g_assert_true (striae_treatment_session_validate (session, consultation, &error));
  g_assert_no_error (error);
  g_assert_true (striae_treatment_session_check_signable (session, &today, &error));
  g_assert_no_error (error);
}

static void
test_new_revision (void)
{
  g_autoptr(StriaeConsultation) consultation = make_consultation ();
  g_autoptr(StriaeTreatmentSession) session = make_session (consultation);
  g_autoptr(StriaeTreatmentSession) amended = NULL;

  striae_treatment_session_set_status (session, STRIAE_TREATMENT_SESSION_STATUS_SIGNED);
  striae_treatment_session_set_amendment_reason (session, "old reason");
  amended = striae_treatment_session_new_revision (session);
  g_assert_cmpuint (striae_treatment_session_get_revision (amended), ==, 2);
  g_assert_cmpint (striae_treatment_session_get_status (amended), ==,
                   STRIAE_TREATMENT_SESSION_STATUS_DRAFT);
  g_assert_cmpstr (striae_treatment_session_get_amendment_reason (amended), ==, "");
  g_assert_cmpuint (g_list_model_get_n_items (striae_treatment_session_get_products (amended)),
                    ==, 1);
  /* The copy is deep: changing it leaves the signed one as it was. */
  striae_session_area_set_passes (first_area (amended), 5);
  g_assert_cmpuint (striae_session_area_get_passes (first_area (session)), ==, 3);
}

static void
test_minutes (void)
{
  int minutes = 0;
  g_autofree char *text = striae_format_minutes (9 * 60 + 5);

  g_assert_cmpstr (text, ==, "09:05");
  g_assert_true (striae_parse_minutes ("23:59", &minutes));
  g_assert_cmpint (minutes, ==, STRIAE_MINUTES_MAX);
  g_assert_true (striae_parse_minutes ("", &minutes));
  g_assert_cmpint (minutes, ==, -1);
  g_assert_false (striae_parse_minutes ("24:00", &minutes));
  g_assert_false (striae_parse_minutes ("9:05", &minutes));
  g_assert_false (striae_parse_minutes ("09:60", &minutes));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/treatment-session/new-for", test_new_for);
  g_test_add_func ("/treatment-session/notify", test_notify);
  g_test_add_func ("/treatment-session/json/round-trip", test_round_trip);
  g_test_add_func ("/treatment-session/json/strict", test_strict);
  g_test_add_func ("/treatment-session/validate/ok", test_validate_ok);
  g_test_add_func ("/treatment-session/validate/refusals", test_validate_refusals);
  g_test_add_func ("/treatment-session/validate/override-with-reason",
                   test_override_with_reason);
  g_test_add_func ("/treatment-session/signable/refusals", test_signable_refusals);
  g_test_add_func ("/treatment-session/signable/stopped", test_stopped_session);
  g_test_add_func ("/treatment-session/new-revision", test_new_revision);
  g_test_add_func ("/treatment-session/minutes", test_minutes);

  return g_test_run ();
}
