/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "striae-test-cli.h"
#include "striae-recommendation.h"
#include "striae-store.h"
#include "striae-test-date.h"

/* striae --report-consultation ID, through the built binary without a display: parse its
 * JSON and check the fields docs/REPORT-FORMAT.md names. */

typedef struct
{
  char        *dir;
  char        *path;
  StriaeStore *store;
  gint64       consultation;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(StriaePatient) patient = striae_patient_new ();
  g_autoptr(StriaeConsultation) c = striae_consultation_new ();
  g_autoptr(StriaeArea) area = striae_area_new (STRIAE_BODY_SITE_THIGHS);
  g_autoptr(StriaeRecommendation) rec = NULL;
  g_autoptr(StriaeRules) rules = striae_rules_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  StriaeHistory *history = striae_consultation_get_history (c);
  StriaePlan *plan = striae_consultation_get_plan (c);
  GDate today;

  fixture->dir = g_dir_make_tmp ("striae-cli-report-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "striae.db", NULL);
  fixture->store = striae_store_open (fixture->path, &error);
  g_assert_no_error (error);

  striae_patient_set_given_name (patient, "Anaïs");
  striae_patient_set_family_name (patient, "Berthier");
  striae_patient_set_birth_date (patient, striae_test_date ("1990-05-12"));
  g_assert_true (striae_store_add_patient (fixture->store, patient, &error));
  g_assert_no_error (error);

  striae_consultation_set_patient_id (c, striae_patient_get_id (patient));
  striae_consultation_set_date (c, striae_test_date ("2026-11-30"));
  striae_consultation_set_practitioner (c, "Dr Roux");
  for (guint q = 0; q < STRIAE_N_QUESTIONS; q++)
    striae_history_set_answer (history, q, STRIAE_ANSWER_NO);
  striae_history_set_answer (history, STRIAE_QUESTION_BREASTFEEDING, STRIAE_ANSWER_YES);
  striae_history_set_answer (history, STRIAE_QUESTION_ANTICOAGULANTS, STRIAE_ANSWER_YES);
  striae_consultation_set_acknowledged (c, "breastfeeding", TRUE);
  for (guint f = 0; f < STRIAE_N_SKIN_FACTS; f++)
    striae_skin_set_fact (striae_consultation_get_skin (c), f, STRIAE_ANSWER_NO);
  striae_skin_set_fitzpatrick (striae_consultation_get_skin (c), 3);
  striae_area_set_severity (area, STRIAE_SEVERITY_SEVERE);
  striae_area_set_mark_type (area, STRIAE_MARK_TYPE_ALBAE);
  striae_area_set_side (area, STRIAE_SIDE_LEFT);
  striae_area_set_extent (area, 250);
  striae_consultation_add_area (c, area);
  striae_plan_set_device (plan, STRIAE_DEVICE_PEN);
  striae_plan_set_first_session (plan, striae_test_date ("2026-12-07"));

  striae_get_today (&today);
  rec = striae_recommend (c, rules, NULL, &today);
  striae_recommendation_apply (rec, c);
  /* Fewer sessions than recommended, with the practitioner's reason. */
  striae_plan_set_sessions (plan, 3);
  striae_plan_set_sessions_reason (plan, "The patient can come three times only.");
  hash = striae_rules_dup_hash (rules);
  striae_consultation_set_rules (c, STRIAE_RULES_FORMAT, hash);

  g_assert_true (striae_store_save_consultation (fixture->store, c, NULL, &error));
  g_assert_no_error (error);
  fixture->consultation = striae_consultation_get_id (c);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->dir, 0, NULL);
  const char *name;

  g_clear_object (&fixture->store);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static JsonNode *
report (Fixture *fixture)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, fixture->consultation);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  g_assert_cmpint (run_striae (fixture->path, &out, &err, "--report-consultation", id, NULL),
                   ==, 0);
  g_assert_cmpstr (err, ==, "");
  root = json_from_string (out, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  return root;
}

static JsonObject *
member (JsonObject *object,
        const char *name)
{
  g_assert_true (json_object_has_member (object, name));
  return json_object_get_object_member (object, name);
}

static JsonObject *
find_finding (JsonArray  *findings,
              const char *id)
{
  for (guint i = 0; i < json_array_get_length (findings); i++)
    {
      JsonObject *f = json_array_get_object_element (findings, i);

      if (g_strcmp0 (json_object_get_string_member (f, "id"), id) == 0)
        return f;
    }
  return NULL;
}

static gboolean
array_has_string (JsonArray  *array,
                  const char *text)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (g_strcmp0 (json_array_get_string_element (array, i), text) == 0)
      return TRUE;
  return FALSE;
}

static void
test_fields (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(JsonNode) node = report (fixture);
  JsonObject *root = json_node_get_object (node);
  JsonObject *consultation = member (root, "consultation");
  JsonObject *rules = member (root, "rules");
  JsonObject *screening = member (root, "screening");
  JsonObject *recommendation = member (root, "recommendation");
  JsonObject *course = member (recommendation, "course");
  JsonObject *plan = member (root, "plan");
  JsonObject *sessions = member (plan, "sessions");
  JsonArray *findings = json_object_get_array_member (screening, "findings");
  JsonArray *rec_areas = json_object_get_array_member (recommendation, "areas");
  JsonArray *plan_areas = json_object_get_array_member (plan, "areas");
  JsonArray *facts = json_object_get_array_member (root, "facts");
  JsonObject *f;

  g_assert_cmpstr (json_object_get_string_member (root, "format"), ==,
                   "striae-consultation-report");
  g_assert_cmpint (json_object_get_int_member (root, "version"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (consultation, "id"), ==, fixture->consultation);
  g_assert_cmpstr (json_object_get_string_member (consultation, "date"), ==, "2026-11-30");
  g_assert_cmpstr (json_object_get_string_member (consultation, "practitioner"), ==, "Dr Roux");
  g_assert_cmpstr (json_object_get_string_member (consultation, "status"), ==, "draft");

  /* Screened with the defaults. */
  g_assert_cmpuint (strlen (json_object_get_string_member (rules, "hash")), ==, 64);
  g_assert_false (json_object_get_boolean_member (rules, "clinic-changed"));
  g_assert_false (json_object_get_boolean_member (rules, "current-clinic-changed"));
  g_assert_cmpstr (json_object_get_string_member (rules, "hash"), ==,
                   json_object_get_string_member (rules, "current-hash"));

  /* Two relative findings, one acknowledged: no absolute, cannot proceed yet. */
  g_assert_false (json_object_get_boolean_member (screening, "has-absolute"));
  g_assert_false (json_object_get_boolean_member (screening, "can-proceed"));
  g_assert_cmpuint (json_array_get_length (findings), ==, 2);
  f = find_finding (findings, "breastfeeding");
  g_assert_nonnull (f);
  g_assert_cmpstr (json_object_get_string_member (f, "level"), ==, "relative");
  g_assert_true (json_object_get_boolean_member (f, "acknowledged"));
  g_assert_cmpstr (json_object_get_string_member (f, "source"), ==, "[contra]");
  g_assert_cmpuint (strlen (json_object_get_string_member (f, "reason")), >, 10);
  f = find_finding (findings, "anticoagulants");
  g_assert_nonnull (f);
  g_assert_false (json_object_get_boolean_member (f, "acknowledged"));
  g_assert_false (json_object_get_boolean_member (f, "unanswered"));
  /* Every answer is given: nothing missing. */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (screening, "missing")),
                    ==, 0);

  /* The recommendation: severe marks on thighs. */
  g_assert_cmpuint (json_array_get_length (rec_areas), ==, 1);
  f = json_array_get_object_element (rec_areas, 0);
  g_assert_cmpstr (json_object_get_string_member (f, "site"), ==, "thighs");
  g_assert_cmpstr (json_object_get_string_member (f, "side"), ==, "left");
  g_assert_cmpstr (json_object_get_string_member (f, "title"), ==, "Left thigh");
  g_assert_cmpint (json_object_get_int_member (f, "extent-cm2"), ==, 250);
  g_assert_cmpstr (json_object_get_string_member (f, "severity"), ==, "severe");
  g_assert_cmpfloat (json_object_get_double_member (f, "depth-mm"), ==, 1.5);
  g_assert_cmpint (json_object_get_int_member (course, "sessions"), ==, 6);
  g_assert_cmpint (json_object_get_int_member (course, "interval-weeks"), ==, 4);

  /* The plan, with its override and reason. */
  g_assert_cmpstr (json_object_get_string_member (plan, "device"), ==, "pen");
  g_assert_cmpint (json_object_get_int_member (sessions, "chosen"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (sessions, "recommended"), ==, 6);
  g_assert_true (json_object_get_boolean_member (sessions, "overridden"));
  g_assert_cmpstr (json_object_get_string_member (sessions, "reason"), ==,
                   "The patient can come three times only.");
  g_assert_false (json_object_get_boolean_member (member (plan, "interval-weeks"),
                                                  "overridden"));
  g_assert_cmpuint (json_array_get_length (plan_areas), ==, 1);
  f = json_array_get_object_element (plan_areas, 0);
  g_assert_cmpfloat (json_object_get_double_member (f, "depth-mm"), ==, 1.5);
  g_assert_false (json_object_get_boolean_member (f, "overridden"));

  /* The named facts. */
  g_assert_true (array_has_string (facts, "anticoagulants"));
  g_assert_true (array_has_string (facts, "bleeding-risk"));
  g_assert_true (array_has_string (facts, "breastfeeding"));
  g_assert_true (array_has_string (facts, "striae-albae"));
  g_assert_true (array_has_string (facts, "deep-needling"));
  g_assert_false (array_has_string (facts, "pih-risk"));
  g_assert_false (array_has_string (facts, "rf"));
}

/* With clinic-changed rules: the report says so, and screening follows them. */
static void
test_clinic_changed (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(StriaeRules) rules = striae_rules_new ();
  g_autoptr(StriaeConsultation) c = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *hash = NULL;
  JsonObject *root, *rules_object, *screening;
  JsonArray *keys;

  striae_rules_set_level (rules, STRIAE_CHECK_BREASTFEEDING, STRIAE_LEVEL_ABSOLUTE);
  g_assert_true (striae_store_save_rules (fixture->store, rules, "Dr Roux", &error));
  g_assert_no_error (error);

  /* Not yet re-screened: the consultation still records the defaults. */
  node = report (fixture);
  rules_object = member (json_node_get_object (node), "rules");
  g_assert_false (json_object_get_boolean_member (rules_object, "clinic-changed"));
  g_assert_true (json_object_get_boolean_member (rules_object, "current-clinic-changed"));
  keys = json_object_get_array_member (rules_object, "current-changed-keys");
  g_assert_cmpuint (json_array_get_length (keys), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (keys, 0), ==, "level.breastfeeding");
  g_clear_pointer (&node, json_node_unref);

  c = striae_store_get_consultation (fixture->store, fixture->consultation, &error);
  g_assert_no_error (error);
  hash = striae_rules_dup_hash (rules);
  striae_consultation_set_rules (c, STRIAE_RULES_FORMAT, hash);
  g_assert_true (striae_store_save_consultation (fixture->store, c, NULL, &error));
  g_assert_no_error (error);

  node = report (fixture);
  root = json_node_get_object (node);
  rules_object = member (root, "rules");
  g_assert_true (json_object_get_boolean_member (rules_object, "clinic-changed"));
  g_assert_cmpstr (json_object_get_string_member (rules_object, "hash"), ==, hash);
  screening = member (root, "screening");
  g_assert_true (json_object_get_boolean_member (screening, "has-absolute"));
  g_assert_cmpstr (json_object_get_string_member (
                     find_finding (json_object_get_array_member (screening, "findings"),
                                   "breastfeeding"), "level"), ==, "absolute");
}

static void
test_refused (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_striae (fixture->path, &out, &err, "--report-consultation", "999", NULL),
                   ==, 1);
  g_assert_cmpstr (out, ==, "");
  g_assert_true (g_str_has_prefix (err, "striae: "));
  g_assert_nonnull (strstr (err, "999"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_striae (fixture->path, &out, &err, "--report-consultation", "x", NULL),
                   ==, 1);
  g_assert_true (g_str_has_prefix (err, "striae: "));
}

/* The consultation's session records (issue 17): none at first, then the one recorded. */
static void
test_sessions (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(JsonNode) before = report (fixture);
  g_autoptr(JsonNode) after = NULL;
  g_autoptr(StriaeConsultation) c = NULL;
  g_autoptr(StriaeTreatmentSession) session = NULL;
  g_autoptr(StriaeSessionProduct) product = NULL;
  g_autoptr(GError) error = NULL;
  StriaeSessionCheck *check;
  JsonArray *sessions;
  JsonObject *first;

  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (before), "sessions")), ==, 0);

  c = striae_store_get_consultation (fixture->store, fixture->consultation, &error);
  g_assert_no_error (error);
  striae_consultation_set_status (c, STRIAE_CONSULTATION_STATUS_COMPLETE);
  g_assert_true (striae_store_save_consultation (fixture->store, c, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (striae_store_sign_consultation (fixture->store, fixture->consultation,
                                                 "Dr Roux", &error));
  g_assert_no_error (error);
  g_clear_object (&c);
  c = striae_store_get_consultation (fixture->store, fixture->consultation, &error);
  g_assert_no_error (error);

  session = striae_treatment_session_new_for (c);
  while (g_list_model_get_n_items (striae_treatment_session_get_areas (session)) > 0)
    striae_treatment_session_remove_area (session, 0);
  striae_treatment_session_set_number (session, 1);
  striae_treatment_session_set_date (session, striae_test_date ("2026-12-01"));
  striae_treatment_session_set_time (session, 9 * 60 + 30);
  striae_treatment_session_set_practitioner (session, "Dr Roux");
  product = striae_session_product_new ("Serum", "SR-1", striae_test_date ("2027-02-28"));
  striae_treatment_session_add_product (session, product);
  check = striae_treatment_session_get_check (session);
  striae_session_check_set_answer (check, STRIAE_CHECK_ITEM_RECENT_SUN, STRIAE_ANSWER_YES);
  striae_session_check_set_result (check, STRIAE_CHECK_RESULT_STOPPED);
  striae_session_check_set_reason (check, "Sunburn on the thigh.");
  g_assert_true (striae_store_save_treatment_session (fixture->store, session, NULL, &error));
  g_assert_no_error (error);

  after = report (fixture);
  sessions = json_object_get_array_member (json_node_get_object (after), "sessions");
  g_assert_cmpuint (json_array_get_length (sessions), ==, 1);
  first = json_array_get_object_element (sessions, 0);
  g_assert_cmpint (json_object_get_int_member (first, "id"), ==,
                   striae_treatment_session_get_id (session));
  g_assert_cmpstr (json_object_get_string_member (first, "status"), ==, "draft");
  g_assert_cmpstr (json_object_get_string_member (first, "date"), ==, "2026-12-01");
  g_assert_cmpstr (json_object_get_string_member (first, "time"), ==, "09:30");
  g_assert_cmpstr (json_object_get_string_member (first, "check"), ==, "stopped");
  g_assert_true (json_object_get_null_member (first, "tolerance"));
  g_assert_cmpstr (json_object_get_string_member (
                     json_array_get_object_element (
                       json_object_get_array_member (first, "products"), 0), "lot"), ==,
                   "SR-1");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/cli-report/fields", test_fields);
  ADD ("/cli-report/clinic-changed", test_clinic_changed);
  ADD ("/cli-report/refused", test_refused);
  ADD ("/cli-report/sessions", test_sessions);

  return g_test_run ();
}
