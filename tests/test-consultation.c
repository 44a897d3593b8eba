/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include <json-glib/json-glib.h>

#include "striae-core-enums.h"
#include "striae-core-error.h"
#include "striae-consultation.h"
#include "striae-patient.h"
#include "striae-test-date.h"

static void
count_cb (gpointer  instance,
          guint    *count)
{
  (*count)++;
}

static void
answer_changed_cb (StriaeHistory  *history,
                   StriaeQuestion  question,
                   guint          *count)
{
  if (question == STRIAE_QUESTION_ANTICOAGULANTS)
    (*count)++;
}

static void
notify_cb (GObject    *object,
           GParamSpec *pspec,
           guint      *count)
{
  (*count)++;
}

static void
test_question_table (void)
{
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  guint rf = 0;

  for (guint q = 0; q < STRIAE_N_QUESTIONS; q++)
    {
      const StriaeQuestionInfo *info = striae_question_get_info (q);
      StriaeQuestion back;

      g_assert_cmpint (info->question, ==, q);
      g_assert_true (g_hash_table_add (ids, (gpointer) info->id));
      g_assert_true (striae_question_from_id (info->id, &back));
      g_assert_cmpint (back, ==, q);
      g_assert_cmpuint (strlen (striae_question_get_label (q)), >, 5);
      g_assert_nonnull (striae_question_get_detail_label (q));
      g_assert_nonnull (striae_question_group_get_label (info->group));
      if (info->rf_only)
        {
          g_assert_cmpint (info->group, ==, STRIAE_QUESTION_GROUP_RF);
          rf++;
        }
    }

  /* [contra] pacemaker or defibrillator; metal implants in the area. */
  g_assert_cmpuint (rf, ==, 2);
  g_assert_false (striae_question_from_id ("flu", NULL));
}

static void
test_skin_tables (void)
{
  for (guint type = 0; type <= STRIAE_FITZPATRICK_MAX; type++)
    {
      g_assert_nonnull (striae_fitzpatrick_get_description (type));
      g_assert_cmpint (striae_fitzpatrick_is_pih_risk (type), ==, type >= 4);
    }
  g_assert_cmpstr (striae_fitzpatrick_get_numeral (4), ==, "IV");
  g_assert_cmpstr (striae_fitzpatrick_get_numeral (6), ==, "VI");

  for (guint f = 0; f < STRIAE_N_SKIN_FACTS; f++)
    {
      StriaeSkinFact back;

      g_assert_true (striae_skin_fact_from_id (striae_skin_fact_get_info (f)->id, &back));
      g_assert_cmpint (back, ==, f);
      g_assert_nonnull (striae_skin_fact_get_label (f));
    }
}

static void
test_history_answers (void)
{
  g_autoptr(StriaeHistory) history = striae_history_new ();
  g_autoptr(GError) error = NULL;
  guint changed = 0, answer_changed = 0;
  GDate today;

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 23, 11, 2026);

  g_signal_connect (history, "changed", G_CALLBACK (count_cb), &changed);
  g_signal_connect (history, "answer-changed", G_CALLBACK (answer_changed_cb), &answer_changed);

  /* Nothing is asked yet: no answer is "unknown", which is an answer. */
  for (StriaeQuestion q = 0; q < STRIAE_N_QUESTIONS; q++)
    g_assert_cmpint (striae_history_get_answer (history, q), ==, STRIAE_ANSWER_NOT_ASKED);

  striae_history_set_answer (history, STRIAE_QUESTION_ANTICOAGULANTS, STRIAE_ANSWER_YES);
  striae_history_set_answer (history, STRIAE_QUESTION_ANTICOAGULANTS, STRIAE_ANSWER_YES);
  striae_history_set_detail (history, STRIAE_QUESTION_ANTICOAGULANTS, "  Apixaban 5 mg ");
  g_assert_cmpstr (striae_history_get_detail (history, STRIAE_QUESTION_ANTICOAGULANTS), ==,
                   "Apixaban 5 mg");
  g_assert_cmpuint (changed, ==, 2);
  g_assert_cmpuint (answer_changed, ==, 2);

  g_assert_true (striae_history_validate (history, &today, &error));
  g_assert_no_error (error);

  /* Only a day reaches the model (the history page reads what is typed); it changes once. */
  striae_history_set_isotretinoin_end_date (history, striae_test_date ("2026-01-01"));
  striae_history_set_isotretinoin_end_date (history, striae_test_date ("2026-01-01"));
  g_assert_cmpuint (changed, ==, 3);
  striae_assert_date (striae_history_get_isotretinoin_end_date (history), "2026-01-01");
  g_assert_true (striae_history_validate (history, &today, &error));
  g_assert_no_error (error);

  striae_history_set_isotretinoin_end_date (history, striae_test_date ("2026-01-01"));
  striae_history_set_answer (history, STRIAE_QUESTION_ISOTRETINOIN, STRIAE_ANSWER_NO);
  g_assert_false (striae_history_validate (history, &today, &error));
  g_assert_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID);
}

static void
test_area (void)
{
  g_autoptr(StriaeArea) area = striae_area_new (STRIAE_BODY_SITE_OTHER);
  g_autoptr(StriaeArea) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  guint notifies = 0;

  g_assert_cmpuint (strlen (striae_area_get_id (area)), ==, 36);
  g_signal_connect (area, "notify::depth-overridden", G_CALLBACK (notify_cb), &notifies);

  g_assert_false (striae_area_validate (area, &error));
  g_assert_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INCOMPLETE);
  g_clear_error (&error);

  striae_area_set_severity (area, STRIAE_SEVERITY_MODERATE);
  striae_area_set_mark_type (area, STRIAE_MARK_TYPE_ALBAE);
  g_assert_false (striae_area_validate (area, &error));  /* other site needs a note */
  g_assert_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INCOMPLETE);
  g_clear_error (&error);

  striae_area_set_notes (area, "Calves\nboth sides");
  title = striae_area_dup_title (area);
  g_assert_cmpstr (title, ==, "Other site: Calves");
  g_assert_true (striae_area_validate (area, &error));
  g_assert_no_error (error);

  /* [depth] a Davey score lies in 0–8. */
  striae_area_set_score_scale (area, STRIAE_SCORE_SCALE_DAVEY);
  striae_area_set_score (area, 9);
  g_assert_false (striae_area_validate (area, &error));
  g_assert_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID);
  g_clear_error (&error);
  striae_area_set_score_scale (area, STRIAE_SCORE_SCALE_ATWAL);
  g_assert_true (striae_area_validate (area, &error));

  striae_area_set_recommended_depth (area, 1.0);
  striae_area_set_depth (area, 1.0);
  g_assert_false (striae_area_is_depth_overridden (area));
  striae_area_set_depth (area, 1.25);
  g_assert_true (striae_area_is_depth_overridden (area));
  g_assert_cmpuint (notifies, ==, 1);

  copy = striae_area_copy (area);
  g_assert_cmpstr (striae_area_get_id (copy), ==, striae_area_get_id (area));
  g_assert_cmpfloat (striae_area_get_depth (copy), ==, 1.25);
  g_assert_cmpfloat (striae_area_get_score (copy), ==, 9);
}

static void
test_changed_signal (void)
{
  g_autoptr(StriaeConsultation) c = striae_consultation_new ();
  g_autoptr(StriaeArea) area = striae_area_new (STRIAE_BODY_SITE_THIGHS);
  g_autoptr(StriaeArea) kept = NULL;
  guint changed = 0;

  g_signal_connect (c, "changed", G_CALLBACK (count_cb), &changed);

  striae_consultation_set_practitioner (c, "Dr. Ana Ruiz");
  g_assert_cmpuint (changed, ==, 1);
  striae_history_set_answer (striae_consultation_get_history (c), STRIAE_QUESTION_PREGNANCY,
                             STRIAE_ANSWER_NO);
  g_assert_cmpuint (changed, ==, 2);
  striae_skin_set_fitzpatrick (striae_consultation_get_skin (c), 3);
  g_assert_cmpuint (changed, ==, 3);
  striae_plan_set_sessions (striae_consultation_get_plan (c), 4);
  g_assert_cmpuint (changed, ==, 4);
  striae_consultation_add_area (c, area);
  g_assert_cmpuint (changed, ==, 5);
  striae_area_set_severity (area, STRIAE_SEVERITY_SEVERE);
  g_assert_cmpuint (changed, ==, 6);
  striae_consultation_set_acknowledged (c, "anticoagulants", TRUE);
  g_assert_cmpuint (changed, ==, 7);
  striae_consultation_set_item_struck (c, "aftercare.sauna", TRUE);
  g_assert_cmpuint (changed, ==, 8);
  striae_consultation_add_sheet_item (c, "Bring your compression garment.");
  g_assert_cmpuint (changed, ==, 9);

  /* Setting the same value again is no change. */
  striae_consultation_set_practitioner (c, "Dr. Ana Ruiz ");
  striae_consultation_set_acknowledged (c, "anticoagulants", TRUE);
  striae_consultation_set_item_struck (c, "aftercare.sauna", TRUE);
  g_assert_cmpuint (changed, ==, 9);

  /* A removed area no longer reports to the consultation. */
  kept = g_object_ref (area);
  striae_consultation_remove_area (c, 0);
  g_assert_cmpuint (changed, ==, 10);
  striae_area_set_severity (kept, STRIAE_SEVERITY_MILD);
  g_assert_cmpuint (changed, ==, 10);
}

static void
test_acknowledged_and_sheet_items (void)
{
  g_autoptr(StriaeConsultation) c = striae_consultation_new ();
  g_auto(GStrv) acks = NULL;
  const char *struck[] = { "pre.tan", "after.sauna", NULL };
  const char *sorted[] = { "after.sauna", "pre.tan", NULL };
  const char *added[] = { "  Bring loose clothes. ", "", "Rest on Sunday.", NULL };
  const char *added_clean[] = { "Bring loose clothes.", "Rest on Sunday.", NULL };

  striae_consultation_set_acknowledged (c, "sensitive-skin", TRUE);
  striae_consultation_set_acknowledged (c, "anticoagulants", TRUE);
  striae_consultation_set_acknowledged (c, "minor", TRUE);
  striae_consultation_set_acknowledged (c, "minor", FALSE);
  acks = striae_consultation_dup_acknowledged (c);
  g_assert_cmpuint (g_strv_length (acks), ==, 2);
  g_assert_cmpstr (acks[0], ==, "anticoagulants");
  g_assert_true (striae_consultation_is_acknowledged (c, "sensitive-skin"));
  g_assert_false (striae_consultation_is_acknowledged (c, "minor"));

  striae_consultation_set_struck_items (c, struck);
  g_assert_true (g_strv_equal (striae_consultation_get_struck_items (c), sorted));
  g_assert_true (striae_consultation_is_item_struck (c, "pre.tan"));
  striae_consultation_set_item_struck (c, "pre.tan", FALSE);
  g_assert_false (striae_consultation_is_item_struck (c, "pre.tan"));
  g_assert_cmpuint (g_strv_length ((GStrv) striae_consultation_get_struck_items (c)), ==, 1);

  striae_consultation_set_added_items (c, added);
  g_assert_true (g_strv_equal (striae_consultation_get_added_items (c), added_clean));
}

/* A consultation with every part filled in and unusual text. */
static StriaeConsultation *
full_consultation (void)
{
  StriaeConsultation *c = striae_consultation_new ();
  StriaeHistory *history = striae_consultation_get_history (c);
  StriaeSkin *skin = striae_consultation_get_skin (c);
  StriaePlan *plan = striae_consultation_get_plan (c);
  g_autoptr(StriaeArea) a1 = striae_area_new (STRIAE_BODY_SITE_ABDOMEN);
  g_autoptr(StriaeArea) a2 = striae_area_new (STRIAE_BODY_SITE_OTHER);

  striae_consultation_set_id (c, 41);
  striae_consultation_set_patient_id (c, 7);
  striae_consultation_set_date (c, striae_test_date ("2026-11-23"));
  striae_consultation_set_practitioner (c, "Dr. Zoë “Ruiz” \\ O’Brien");
  striae_consultation_set_status (c, STRIAE_CONSULTATION_STATUS_COMPLETE);
  striae_consultation_set_revision (c, 3);
  striae_consultation_set_rules (c, 1, "59d2305569ad4a1b2873194218d24b3b");

  for (guint q = 0; q < STRIAE_N_QUESTIONS; q++)
    striae_history_set_answer (history, q, q % 3);
  striae_history_set_answer (history, STRIAE_QUESTION_ISOTRETINOIN, STRIAE_ANSWER_YES);
  striae_history_set_detail (history, STRIAE_QUESTION_ANTICOAGULANTS, "Apixaban\n5 mg twice");
  striae_history_set_medication (history, "Levothyroxine 50 µg; 日本語");
  striae_history_set_isotretinoin_end_date (history, striae_test_date ("2026-02-28"));

  striae_skin_set_fitzpatrick (skin, 5);
  for (guint f = 0; f < STRIAE_N_SKIN_FACTS; f++)
    striae_skin_set_fact (skin, f, (f + 1) % 3);
  striae_skin_set_products (skin, "Vitamin C serum, SPF 50");

  striae_area_set_mark_type (a1, STRIAE_MARK_TYPE_RUBRAE);
  striae_area_set_cause (a1, STRIAE_CAUSE_PREGNANCY);
  striae_area_set_age_months (a1, 14);
  striae_area_set_severity (a1, STRIAE_SEVERITY_MODERATE);
  striae_area_set_score_scale (a1, STRIAE_SCORE_SCALE_DAVEY);
  striae_area_set_score (a1, 5.5);
  striae_area_set_recommended_depth (a1, 0.75);
  striae_area_set_depth (a1, 1.0);
  striae_area_set_depth_reason (a1, "Good tolerance at the test patch");
  striae_consultation_add_area (c, a1);

  striae_area_set_mark_type (a2, STRIAE_MARK_TYPE_CAERULEAE);
  striae_area_set_cause (a2, STRIAE_CAUSE_CORTICOSTEROIDS);
  striae_area_set_severity (a2, STRIAE_SEVERITY_SEVERE);
  striae_area_set_notes (a2, "Calves");
  striae_consultation_add_area (c, a2);

  striae_plan_set_device (plan, STRIAE_DEVICE_RF);
  striae_plan_set_recommended_sessions (plan, 6);
  striae_plan_set_sessions (plan, 5);
  striae_plan_set_sessions_reason (plan, "Budget");
  striae_plan_set_recommended_interval_weeks (plan, 6);
  striae_plan_set_interval_weeks (plan, 6);
  striae_plan_set_first_session (plan, striae_test_date ("2026-12-07"));
  striae_plan_set_recommended_maintenance_months (plan, 6);
  striae_plan_set_maintenance_months (plan, 0);
  striae_plan_set_maintenance_reason (plan, "Declined");
  striae_plan_set_recommended_numbing_cream (plan, FALSE);
  striae_plan_set_numbing_cream (plan, FALSE);
  striae_plan_set_adjuncts (plan, STRIAE_ADJUNCT_SERUM | STRIAE_ADJUNCT_PRP);

  striae_consultation_set_acknowledged (c, "fitzpatrick", TRUE);
  striae_consultation_set_acknowledged (c, "anticoagulants", TRUE);
  striae_consultation_add_sheet_item (c, "Wear the compression garment for 2 days.");
  striae_consultation_set_item_struck (c, "aftercare.sauna", TRUE);

  return c;
}

static void
test_json_round_trip (void)
{
  g_autoptr(StriaeConsultation) c = full_consultation ();
  g_autoptr(StriaeConsultation) loaded = NULL;
  g_autoptr(StriaeConsultation) empty = striae_consultation_new ();
  g_autoptr(StriaeConsultation) empty_loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = striae_consultation_to_json (c);
  g_autofree char *json2 = NULL;
  g_autofree char *empty_json = striae_consultation_to_json (empty);
  g_autofree char *empty_json2 = NULL;
  g_autoptr(StriaeArea) area = NULL;
  StriaePlan *plan;

  loaded = striae_consultation_new_from_json (json, &error);
  g_assert_no_error (error);
  json2 = striae_consultation_to_json (loaded);
  g_assert_cmpstr (json, ==, json2);

  /* Spot checks that the values, not only the text, came back. */
  g_assert_cmpint (striae_consultation_get_id (loaded), ==, 41);
  g_assert_cmpint (striae_consultation_get_status (loaded), ==,
                   STRIAE_CONSULTATION_STATUS_COMPLETE);
  g_assert_cmpstr (striae_consultation_get_practitioner (loaded), ==,
                   "Dr. Zoë “Ruiz” \\ O’Brien");
  g_assert_cmpint (striae_history_get_answer (striae_consultation_get_history (loaded),
                                              STRIAE_QUESTION_ISOTRETINOIN), ==,
                   STRIAE_ANSWER_YES);
  g_assert_cmpuint (striae_skin_get_fitzpatrick (striae_consultation_get_skin (loaded)), ==, 5);
  g_assert_cmpuint (g_list_model_get_n_items (striae_consultation_get_areas (loaded)), ==, 2);
  area = g_list_model_get_item (striae_consultation_get_areas (loaded), 0);
  g_assert_cmpfloat (striae_area_get_score (area), ==, 5.5);
  g_assert_true (striae_area_is_depth_overridden (area));
  plan = striae_consultation_get_plan (loaded);
  g_assert_cmpint (striae_plan_get_adjuncts (plan), ==, STRIAE_ADJUNCT_SERUM | STRIAE_ADJUNCT_PRP);
  g_assert_false (striae_plan_get_numbing_cream (plan));
  g_assert_true (striae_consultation_is_acknowledged (loaded, "fitzpatrick"));
  g_assert_true (striae_consultation_is_item_struck (loaded, "aftercare.sauna"));
  g_assert_cmpstr (striae_consultation_get_rules_hash (loaded), ==,
                   striae_consultation_get_rules_hash (c));

  empty_loaded = striae_consultation_new_from_json (empty_json, &error);
  g_assert_no_error (error);
  empty_json2 = striae_consultation_to_json (empty_loaded);
  g_assert_cmpstr (empty_json, ==, empty_json2);
}

/* The member @name of @object at @path ("history", "plan" or "" for the root) as text. */
static const char *
json_text (JsonObject *root,
           const char *path,
           const char *name)
{
  JsonObject *object = path[0] != '\0' ? json_object_get_object_member (root, path) : root;

  return json_object_get_string_member (object, name);
}

/* Each date of a consultation goes to JSON as YYYY-MM-DD and comes back as the same day; no
 * date goes as "" and comes back as none, and so does a member that is absent. A text that
 * is not a day is refused with the member's path. */
static void
test_json_dates (void)
{
  static const struct {
    const char *path;
    const char *name;
  } members[] = {
    { "", "date" },
    { "", "see-again" },
    { "history", "isotretinoin-end-date" },
    { "plan", "first-session" },
  };
  static const struct {
    const char *json;
    const char *path;
  } refused[] = {
    { "{\"format\": 2, \"date\": \"2026-02-30\"}", "$.date" },
    { "{\"format\": 2, \"date\": \"23.11.2026\"}", "$.date" },
    { "{\"format\": 2, \"date\": \" 2026-11-23\"}", "$.date" },
    { "{\"format\": 2, \"not-treated\": true, \"not-treated-reason\": \"Pregnant\", "
      "\"see-again\": \"next spring\"}", "$.see-again" },
    { "{\"format\": 2, \"history\": {\"isotretinoin-end-date\": \"2026-2-28\"}}",
      "$.history.isotretinoin-end-date" },
  };
  g_autoptr(StriaeConsultation) c = full_consultation ();
  g_autoptr(StriaeConsultation) empty = striae_consultation_new ();
  g_autoptr(StriaeConsultation) loaded = NULL;
  g_autoptr(StriaeConsultation) bare = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) empty_node = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *empty_json = NULL;

  striae_consultation_set_not_treated (c, TRUE, "Pregnant", striae_test_date ("2027-09-01"));
  json = striae_consultation_to_json (c);
  node = json_from_string (json, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_text (json_node_get_object (node), "", "date"), ==, "2026-11-23");
  g_assert_cmpstr (json_text (json_node_get_object (node), "", "see-again"), ==, "2027-09-01");
  g_assert_cmpstr (json_text (json_node_get_object (node), "history", "isotretinoin-end-date"),
                   ==, "2026-02-28");
  g_assert_cmpstr (json_text (json_node_get_object (node), "plan", "first-session"), ==,
                   "2026-12-07");

  loaded = striae_consultation_new_from_json (json, &error);
  g_assert_no_error (error);
  striae_assert_date (striae_consultation_get_date (loaded), "2026-11-23");
  striae_assert_date (striae_consultation_get_see_again (loaded), "2027-09-01");
  striae_assert_date (striae_history_get_isotretinoin_end_date (
                        striae_consultation_get_history (loaded)), "2026-02-28");
  striae_assert_date (striae_plan_get_first_session (striae_consultation_get_plan (loaded)),
                      "2026-12-07");

  empty_json = striae_consultation_to_json (empty);
  empty_node = json_from_string (empty_json, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    g_assert_cmpstr (json_text (json_node_get_object (empty_node), members[i].path,
                                members[i].name), ==, "");
  g_clear_object (&loaded);
  loaded = striae_consultation_new_from_json (empty_json, &error);
  g_assert_no_error (error);
  g_assert_null (striae_consultation_get_date (loaded));
  g_assert_null (striae_consultation_get_see_again (loaded));
  g_assert_null (striae_history_get_isotretinoin_end_date (
                   striae_consultation_get_history (loaded)));
  g_assert_null (striae_plan_get_first_session (striae_consultation_get_plan (loaded)));

  bare = striae_consultation_new_from_json ("{\"format\": 2}", &error);
  g_assert_no_error (error);
  g_assert_null (striae_consultation_get_date (bare));
  g_assert_null (striae_plan_get_first_session (striae_consultation_get_plan (bare)));

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(StriaeConsultation) bad = NULL;

      g_test_message ("refused: %s", refused[i].json);
      bad = striae_consultation_new_from_json (refused[i].json, &error);
      g_assert_null (bad);
      g_assert_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID);
      if (strstr (error->message, refused[i].path) == NULL ||
          strstr (error->message, "expected a date written as YYYY-MM-DD.") == NULL)
        g_error ("“%s”: %s", refused[i].json, error->message);
      g_clear_error (&error);
    }
}

static void
test_copy_and_revision (void)
{
  g_autoptr(StriaeConsultation) c = full_consultation ();
  g_autoptr(StriaeConsultation) copy = striae_consultation_copy (c);
  g_autoptr(StriaeConsultation) revision = NULL;
  g_autoptr(StriaeConsultation) copy2 = NULL;
  g_autofree char *json = striae_consultation_to_json (c);
  g_autofree char *copy_json = striae_consultation_to_json (copy);
  g_autofree char *after = NULL;

  g_assert_cmpstr (json, ==, copy_json);
  g_assert_true (striae_consultation_get_history (copy) != striae_consultation_get_history (c));

  striae_consultation_set_status (c, STRIAE_CONSULTATION_STATUS_SIGNED);
  revision = striae_consultation_new_revision (c);
  g_assert_cmpuint (striae_consultation_get_revision (revision), ==, 4);
  g_assert_cmpint (striae_consultation_get_status (revision), ==,
                   STRIAE_CONSULTATION_STATUS_DRAFT);
  g_assert_cmpint (striae_consultation_get_id (revision), ==, 41);

  /* Editing the revision leaves the signed original alone. */
  striae_skin_set_fitzpatrick (striae_consultation_get_skin (revision), 2);
  g_assert_cmpuint (striae_skin_get_fitzpatrick (striae_consultation_get_skin (c)), ==, 5);
  g_clear_pointer (&json, g_free);
  json = striae_consultation_to_json (c);
  copy2 = striae_consultation_copy (c);
  after = striae_consultation_to_json (copy2);
  g_assert_cmpstr (json, ==, after);
}

typedef struct
{
  const char *json;
  const char *path;
} BadCase;

static const BadCase bad_cases[] = {
  { "{", "not valid JSON" },
  { "[]", "at $:" },
  { "{\"id\": 1}", "$.format" },
  { "{\"format\": 9}", "format 9" },
  { "{\"format\": 1, \"colour\": 1}", "$.colour" },
  { "{\"format\": 1, \"id\": -4}", "$.id" },
  { "{\"format\": 1, \"id\": \"4\"}", "$.id" },
  { "{\"format\": 1, \"date\": \"23/11/2026\"}", "$.date" },
  { "{\"format\": 1, \"date\": \"2026-02-30\"}", "$.date" },
  { "{\"format\": 1, \"status\": \"finished\"}", "$.status" },
  { "{\"format\": 1, \"revision\": 0}", "$.revision" },
  { "{\"format\": 1, \"rules\": {\"hash\": 5}}", "$.rules.hash" },
  { "{\"format\": 1, \"history\": []}", "$.history" },
  { "{\"format\": 1, \"history\": {\"answers\": {\"flu\": {\"answer\": \"yes\"}}}}",
    "$.history.answers.flu" },
  { "{\"format\": 1, \"history\": {\"answers\": {\"pregnancy\": {\"answer\": \"maybe\"}}}}",
    "$.history.answers.pregnancy.answer" },
  { "{\"format\": 1, \"history\": {\"answers\": {\"pregnancy\": \"yes\"}}}",
    "$.history.answers.pregnancy" },
  { "{\"format\": 1, \"history\": {\"isotretinoin-end-date\": \"soon\"}}",
    "$.history.isotretinoin-end-date" },
  { "{\"format\": 1, \"skin\": {\"fitzpatrick\": 7}}", "$.skin.fitzpatrick" },
  { "{\"format\": 1, \"skin\": {\"facts\": {\"sensitive\": true}}}", "$.skin.facts.sensitive" },
  { "{\"format\": 1, \"skin\": {\"facts\": {\"tattoo\": \"no\"}}}", "$.skin.facts.tattoo" },
  { "{\"format\": 1, \"areas\": {}}", "$.areas" },
  { "{\"format\": 1, \"areas\": [{\"site\": \"abdomen\"}, 3]}", "$.areas[1]" },
  { "{\"format\": 1, \"areas\": [{\"site\": \"knee\"}]}", "$.areas[0].site" },
  { "{\"format\": 1, \"areas\": [{\"site\": \"hips\", \"severity\": \"huge\"}]}",
    "$.areas[0].severity" },
  { "{\"format\": 1, \"areas\": [{\"depth\": 0.6}]}", "$.areas[0].depth" },
  { "{\"format\": 1, \"areas\": [{\"depth\": 3.5}]}", "$.areas[0].depth" },
  { "{\"format\": 1, \"areas\": [{\"age-months\": 5000}]}", "$.areas[0].age-months" },
  { "{\"format\": 1, \"areas\": [{\"score\": \"high\"}]}", "$.areas[0].score" },
  { "{\"format\": 1, \"areas\": [{\"id\": \"a\"}, {\"id\": \"a\"}]}", "$.areas[1].id" },
  { "{\"format\": 1, \"areas\": [{\"site\": \"thighs\", \"side\": \"up\"}]}",
    "$.areas[0].side" },
  { "{\"format\": 1, \"areas\": [{\"site\": \"thighs\", \"side\": 1}]}", "$.areas[0].side" },
  { "{\"format\": 1, \"areas\": [{\"site\": \"abdomen\", \"side\": \"left\"}]}",
    "$.areas[0].side" },
  { "{\"format\": 1, \"areas\": [{\"site\": \"hips\", \"side\": \"not-applicable\"}]}",
    "$.areas[0].side" },
  { "{\"format\": 1, \"areas\": [{\"side\": \"both\"}]}", "$.areas[0].side" },
  { "{\"format\": 1, \"areas\": [{\"extent-cm2\": 5001}]}", "$.areas[0].extent-cm2" },
  { "{\"format\": 1, \"areas\": [{\"extent-cm2\": -1}]}", "$.areas[0].extent-cm2" },
  { "{\"format\": 1, \"areas\": [{\"extent-cm2\": 12.5}]}", "$.areas[0].extent-cm2" },
  { "{\"format\": 1, \"areas\": [{\"id\": \"\"}]}", "$.areas[0].id" },
  { "{\"format\": 1, \"plan\": {\"device\": \"laser\"}}", "$.plan.device" },
  { "{\"format\": 1, \"plan\": {\"sessions\": 40}}", "$.plan.sessions" },
  { "{\"format\": 1, \"plan\": {\"numbing-cream\": \"yes\"}}", "$.plan.numbing-cream" },
  { "{\"format\": 1, \"plan\": {\"first-session\": \"2026-1-5\"}}", "$.plan.first-session" },
  { "{\"format\": 1, \"plan\": {\"adjuncts\": [\"serum\", \"botox\"]}}", "$.plan.adjuncts[1]" },
  { "{\"format\": 1, \"plan\": {\"adjuncts\": \"serum\"}}", "$.plan.adjuncts" },
  { "{\"format\": 1, \"acknowledged\": [\"minor\", 3]}", "$.acknowledged[1]" },
  { "{\"format\": 1, \"sheet\": {\"added\": \"x\"}}", "$.sheet.added" },
  { "{\"format\": 1, \"sheet\": {\"crossed\": []}}", "$.sheet.crossed" },
};

static void
test_json_refused (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(StriaeConsultation) c = NULL;

      g_test_message ("bad consultation: %s", bad_cases[i].json);
      c = striae_consultation_new_from_json (bad_cases[i].json, &error);
      g_assert_null (c);
      g_assert_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID);
      if (strstr (error->message, bad_cases[i].path) == NULL)
        g_error ("“%s” not in “%s”", bad_cases[i].path, error->message);
    }
}

/* A file from before a member existed still loads, with defaults. */
static void
test_json_minimal (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StriaeConsultation) c =
    striae_consultation_new_from_json ("{\"format\": 1, \"areas\": [{\"site\": \"breasts\"}]}",
                                       &error);
  g_autoptr(StriaeArea) area = NULL;

  g_assert_no_error (error);
  area = g_list_model_get_item (striae_consultation_get_areas (c), 0);
  g_assert_cmpint (striae_area_get_site (area), ==, STRIAE_BODY_SITE_BREASTS);
  g_assert_cmpint (striae_area_get_age_months (area), ==, -1);
  /* From before sides and extents: a paired site's side was not recorded, nor the extent. */
  g_assert_cmpint (striae_area_get_side (area), ==, STRIAE_SIDE_NOT_RECORDED);
  g_assert_cmpint (striae_area_get_extent (area), ==, 0);
  g_assert_cmpuint (striae_consultation_get_revision (c), ==, 1);
  g_assert_true (striae_plan_get_numbing_cream (striae_consultation_get_plan (c)));
}

/* An area before sides existed, as Striae 0.1 wrote it: every member but side and extent. */
static const char old_area_json[] =
  "{\"format\": 1, \"areas\": ["
  "{\"id\": \"a1\", \"site\": \"abdomen\", \"mark-type\": \"albae\", \"cause\": \"pregnancy\","
  " \"age-months\": 30, \"severity\": \"moderate\", \"score-scale\": \"none\", \"score\": 0,"
  " \"notes\": \"\", \"recommended-depth\": 1.0, \"depth\": 1.0, \"depth-reason\": \"\"},"
  "{\"id\": \"a2\", \"site\": \"thighs\", \"mark-type\": \"rubrae\", \"cause\": \"pregnancy\","
  " \"age-months\": 30, \"severity\": \"mild\", \"score-scale\": \"none\", \"score\": 0,"
  " \"notes\": \"\", \"recommended-depth\": 0.5, \"depth\": 0.5, \"depth-reason\": \"\"}]}";

static void
test_area_side_and_extent (void)
{
  g_autoptr(StriaeConsultation) c = striae_consultation_new ();
  g_autoptr(StriaeConsultation) loaded = NULL;
  g_autoptr(StriaeConsultation) old = NULL;
  g_autoptr(StriaeArea) thigh = striae_area_new (STRIAE_BODY_SITE_THIGHS);
  g_autoptr(StriaeArea) belly = striae_area_new (STRIAE_BODY_SITE_ABDOMEN);
  g_autoptr(StriaeArea) area = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *title = NULL;

  /* [striae] a paired site takes a side; the abdomen lies across the midline. */
  g_assert_cmpint (striae_area_get_side (thigh), ==, STRIAE_SIDE_NOT_RECORDED);
  g_assert_cmpint (striae_area_get_side (belly), ==, STRIAE_SIDE_NOT_APPLICABLE);
  g_assert_true (striae_body_site_has_side (STRIAE_BODY_SITE_INNER_ARMS));
  g_assert_false (striae_body_site_has_side (STRIAE_BODY_SITE_LOWER_BACK));
  g_assert_false (striae_body_site_has_side (STRIAE_BODY_SITE_OTHER));

  striae_area_set_side (thigh, STRIAE_SIDE_LEFT);
  striae_area_set_extent (thigh, 350);
  striae_area_set_severity (thigh, STRIAE_SEVERITY_MILD);
  striae_area_set_mark_type (thigh, STRIAE_MARK_TYPE_RUBRAE);
  g_assert_true (striae_area_validate (thigh, &error));
  g_assert_no_error (error);
  title = striae_area_dup_title (thigh);
  g_assert_cmpstr (title, ==, "Left thigh");
  striae_consultation_add_area (c, thigh);
  striae_consultation_add_area (c, belly);

  json = striae_consultation_to_json (c);
  g_assert_nonnull (strstr (json, "\"side\" : \"left\""));
  g_assert_nonnull (strstr (json, "\"extent-cm2\" : 350"));
  g_assert_nonnull (strstr (json, "\"side\" : \"not-applicable\""));
  loaded = striae_consultation_new_from_json (json, &error);
  g_assert_no_error (error);
  area = g_list_model_get_item (striae_consultation_get_areas (loaded), 0);
  g_assert_cmpint (striae_area_get_side (area), ==, STRIAE_SIDE_LEFT);
  g_assert_cmpint (striae_area_get_extent (area), ==, 350);
  g_clear_object (&area);
  area = g_list_model_get_item (striae_consultation_get_areas (loaded), 1);
  g_assert_cmpint (striae_area_get_side (area), ==, STRIAE_SIDE_NOT_APPLICABLE);
  g_assert_cmpint (striae_area_get_extent (area), ==, 0);
  g_clear_object (&area);

  /* A side follows the site to another paired one, and goes with a midline one. */
  striae_area_set_site (thigh, STRIAE_BODY_SITE_HIPS);
  g_assert_cmpint (striae_area_get_side (thigh), ==, STRIAE_SIDE_LEFT);
  striae_area_set_site (thigh, STRIAE_BODY_SITE_LOWER_BACK);
  g_assert_cmpint (striae_area_get_side (thigh), ==, STRIAE_SIDE_NOT_APPLICABLE);
  striae_area_set_site (thigh, STRIAE_BODY_SITE_BUTTOCKS);
  g_assert_cmpint (striae_area_get_side (thigh), ==, STRIAE_SIDE_NOT_RECORDED);
  striae_area_set_side (thigh, STRIAE_SIDE_BOTH);
  g_clear_pointer (&title, g_free);
  title = striae_area_dup_title (thigh);
  g_assert_cmpstr (title, ==, "Both buttocks");

  /* A record from before sides loads unchanged, and writes the new members with defaults. */
  old = striae_consultation_new_from_json (old_area_json, &error);
  g_assert_no_error (error);
  area = g_list_model_get_item (striae_consultation_get_areas (old), 0);
  g_assert_cmpint (striae_area_get_side (area), ==, STRIAE_SIDE_NOT_APPLICABLE);
  g_assert_cmpint (striae_area_get_age_months (area), ==, 30);
  g_clear_object (&area);
  area = g_list_model_get_item (striae_consultation_get_areas (old), 1);
  g_assert_cmpint (striae_area_get_side (area), ==, STRIAE_SIDE_NOT_RECORDED);
  g_assert_cmpint (striae_area_get_extent (area), ==, 0);
  g_assert_cmpfloat (striae_area_get_depth (area), ==, 0.5);
  g_clear_pointer (&title, g_free);
  title = striae_area_dup_title (area);
  g_assert_cmpstr (title, ==, "Thighs");
  g_assert_true (striae_area_validate (area, NULL));
}

typedef struct
{
  StriaeBodySite site_a;
  StriaeSide     side_a;
  StriaeBodySite site_b;
  StriaeSide     side_b;
  gboolean       overlaps;
} OverlapCase;

static void
test_area_overlaps (void)
{
  static const OverlapCase cases[] = {
    { STRIAE_BODY_SITE_THIGHS, STRIAE_SIDE_LEFT, STRIAE_BODY_SITE_THIGHS, STRIAE_SIDE_LEFT, TRUE },
    { STRIAE_BODY_SITE_THIGHS, STRIAE_SIDE_LEFT, STRIAE_BODY_SITE_THIGHS, STRIAE_SIDE_RIGHT,
      FALSE },
    { STRIAE_BODY_SITE_THIGHS, STRIAE_SIDE_LEFT, STRIAE_BODY_SITE_THIGHS, STRIAE_SIDE_BOTH, TRUE },
    { STRIAE_BODY_SITE_THIGHS, STRIAE_SIDE_RIGHT, STRIAE_BODY_SITE_THIGHS,
      STRIAE_SIDE_NOT_RECORDED, TRUE },
    { STRIAE_BODY_SITE_THIGHS, STRIAE_SIDE_LEFT, STRIAE_BODY_SITE_HIPS, STRIAE_SIDE_LEFT, FALSE },
    { STRIAE_BODY_SITE_ABDOMEN, STRIAE_SIDE_NOT_APPLICABLE, STRIAE_BODY_SITE_ABDOMEN,
      STRIAE_SIDE_NOT_APPLICABLE, TRUE },
    { STRIAE_BODY_SITE_ABDOMEN, STRIAE_SIDE_NOT_APPLICABLE, STRIAE_BODY_SITE_LOWER_BACK,
      STRIAE_SIDE_NOT_APPLICABLE, FALSE },
  };
  g_autoptr(StriaeArea) calves = striae_area_new (STRIAE_BODY_SITE_OTHER);
  g_autoptr(StriaeArea) knees = striae_area_new (STRIAE_BODY_SITE_OTHER);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(StriaeArea) a = striae_area_new (cases[i].site_a);
      g_autoptr(StriaeArea) b = striae_area_new (cases[i].site_b);

      striae_area_set_side (a, cases[i].side_a);
      striae_area_set_side (b, cases[i].side_b);
      g_assert_cmpint (striae_area_overlaps (a, b), ==, cases[i].overlaps);
      g_assert_cmpint (striae_area_overlaps (b, a), ==, cases[i].overlaps);
      g_assert_false (striae_area_overlaps (a, a));
    }

  /* Other sites are told apart by the first line of their notes. */
  striae_area_set_notes (calves, "Calves\nboth");
  striae_area_set_notes (knees, "Knees");
  g_assert_false (striae_area_overlaps (calves, knees));
  striae_area_set_notes (knees, "calves");
  g_assert_true (striae_area_overlaps (calves, knees));
}

/* A new area's site is one no area records yet. */
static void
test_area_first_unrecorded (void)
{
  g_autoptr(GListStore) areas = g_list_store_new (STRIAE_TYPE_AREA);

  g_assert_cmpint (striae_body_site_first_unrecorded (G_LIST_MODEL (areas)), ==,
                   STRIAE_BODY_SITE_ABDOMEN);
  for (StriaeBodySite site = STRIAE_BODY_SITE_ABDOMEN; site < STRIAE_BODY_SITE_OTHER; site++)
    {
      StriaeBodySite next = striae_body_site_first_unrecorded (G_LIST_MODEL (areas));
      g_autoptr(StriaeArea) area = striae_area_new (next);

      g_assert_cmpint (next, ==, site);
      g_list_store_append (areas, area);
    }
  g_assert_cmpint (striae_body_site_first_unrecorded (G_LIST_MODEL (areas)), ==,
                   STRIAE_BODY_SITE_OTHER);

  /* A gap is found wherever it is. */
  g_list_store_remove (areas, STRIAE_BODY_SITE_THIGHS);
  g_assert_cmpint (striae_body_site_first_unrecorded (G_LIST_MODEL (areas)), ==,
                   STRIAE_BODY_SITE_THIGHS);
}

/* Format 1 stored "not asked" and "unknown" alike, as "unknown". A consultation of format 1
 * loads with the meaning it had: a relative finding the practitioner acknowledged stays an
 * acknowledged "unknown" (same finding id, same acknowledgement), anything else left
 * "unknown" was a question not asked yet. Format 2 keeps the two apart. */
static void
test_json_format_1 (void)
{
  static const char *old =
    "{\"format\": 1, \"status\": \"signed\", "
    "\"history\": {\"answers\": {"
    "\"diabetes\": {\"answer\": \"unknown\"}, \"autoimmune\": {\"answer\": \"unknown\"}, "
    "\"pregnancy\": {\"answer\": \"unknown\"}, \"anticoagulants\": {\"answer\": \"yes\"}, "
    "\"keloid\": {\"answer\": \"no\"}}}, "
    "\"skin\": {\"fitzpatrick\": 0, \"facts\": {\"recent-sun\": \"unknown\", "
    "\"retinoids\": \"unknown\", \"sensitive\": \"no\"}}, "
    "\"acknowledged\": [\"anticoagulants\", \"diabetes-unanswered\", "
    "\"fitzpatrick-unanswered\", \"retinoids-unanswered\"]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(StriaeConsultation) c = striae_consultation_new_from_json (old, &error);
  g_autoptr(StriaeConsultation) back = NULL;
  g_autofree char *json = NULL;
  StriaeHistory *history;
  StriaeSkin *skin;

  g_assert_no_error (error);
  history = striae_consultation_get_history (c);
  skin = striae_consultation_get_skin (c);
  g_assert_cmpint (striae_history_get_answer (history, STRIAE_QUESTION_DIABETES), ==,
                   STRIAE_ANSWER_UNKNOWN);
  g_assert_cmpint (striae_history_get_answer (history, STRIAE_QUESTION_AUTOIMMUNE), ==,
                   STRIAE_ANSWER_NOT_ASKED);
  g_assert_cmpint (striae_history_get_answer (history, STRIAE_QUESTION_PREGNANCY), ==,
                   STRIAE_ANSWER_NOT_ASKED);
  g_assert_cmpint (striae_history_get_answer (history, STRIAE_QUESTION_ANTICOAGULANTS), ==,
                   STRIAE_ANSWER_YES);
  g_assert_cmpint (striae_history_get_answer (history, STRIAE_QUESTION_KELOID), ==,
                   STRIAE_ANSWER_NO);
  /* Not in the file at all: never asked. */
  g_assert_cmpint (striae_history_get_answer (history, STRIAE_QUESTION_CANCER), ==,
                   STRIAE_ANSWER_NOT_ASKED);
  g_assert_cmpint (striae_skin_get_fact (skin, STRIAE_SKIN_FACT_RETINOIDS), ==,
                   STRIAE_ANSWER_UNKNOWN);
  g_assert_cmpint (striae_skin_get_fact (skin, STRIAE_SKIN_FACT_RECENT_SUN), ==,
                   STRIAE_ANSWER_NOT_ASKED);
  g_assert_cmpint (striae_skin_get_fact (skin, STRIAE_SKIN_FACT_SENSITIVE), ==,
                   STRIAE_ANSWER_NO);
  g_assert_true (striae_consultation_is_acknowledged (c, "diabetes-unanswered"));

  /* Saved again, it is format 2 and reads back the same. */
  json = striae_consultation_to_json (c);
  g_assert_nonnull (strstr (json, "\"format\" : 2"));
  g_assert_nonnull (strstr (json, "\"not-asked\""));
  back = striae_consultation_new_from_json (json, &error);
  g_assert_no_error (error);
  g_assert_cmpint (striae_history_get_answer (striae_consultation_get_history (back),
                                              STRIAE_QUESTION_DIABETES), ==,
                   STRIAE_ANSWER_UNKNOWN);
  g_assert_cmpint (striae_history_get_answer (striae_consultation_get_history (back),
                                              STRIAE_QUESTION_AUTOIMMUNE), ==,
                   STRIAE_ANSWER_NOT_ASKED);

  /* In format 2, "unknown" is an answer, acknowledged or not. */
  g_clear_object (&back);
  back = striae_consultation_new_from_json ("{\"format\": 2, \"history\": {\"answers\": "
                                            "{\"autoimmune\": {\"answer\": \"unknown\"}}}}",
                                            &error);
  g_assert_no_error (error);
  g_assert_cmpint (striae_history_get_answer (striae_consultation_get_history (back),
                                              STRIAE_QUESTION_AUTOIMMUNE), ==,
                   STRIAE_ANSWER_UNKNOWN);
}

/* The stored stamp is record metadata: copied with the consultation, cleared for a new
 * revision, outside the document, and no change to save. */
static void
test_stored_stamp (void)
{
  g_autoptr(StriaeConsultation) c = striae_consultation_new ();
  g_autoptr(StriaeConsultation) copy = NULL;
  g_autoptr(StriaeConsultation) next = NULL;
  g_autofree char *before = striae_consultation_to_json (c);
  g_autofree char *after = NULL;
  guint changed = 0;

  g_assert_null (striae_consultation_get_stored_stamp (c));
  g_signal_connect (c, "changed", G_CALLBACK (count_cb), &changed);
  striae_consultation_set_stored_stamp (c, "2026-12-06T10:42:00.123456Z");
  g_assert_cmpstr (striae_consultation_get_stored_stamp (c), ==, "2026-12-06T10:42:00.123456Z");
  g_assert_cmpuint (changed, ==, 0);
  after = striae_consultation_to_json (c);
  g_assert_cmpstr (after, ==, before);

  copy = striae_consultation_copy (c);
  g_assert_cmpstr (striae_consultation_get_stored_stamp (copy), ==,
                   "2026-12-06T10:42:00.123456Z");
  next = striae_consultation_new_revision (c);
  g_assert_null (striae_consultation_get_stored_stamp (next));

  striae_consultation_set_stored_stamp (c, NULL);
  g_assert_null (striae_consultation_get_stored_stamp (c));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/consultation/question-table", test_question_table);
  g_test_add_func ("/consultation/stored-stamp", test_stored_stamp);
  g_test_add_func ("/consultation/skin-tables", test_skin_tables);
  g_test_add_func ("/consultation/history", test_history_answers);
  g_test_add_func ("/consultation/area", test_area);
  g_test_add_func ("/consultation/area-side-and-extent", test_area_side_and_extent);
  g_test_add_func ("/consultation/area-overlaps", test_area_overlaps);
  g_test_add_func ("/consultation/area-first-unrecorded", test_area_first_unrecorded);
  g_test_add_func ("/consultation/changed", test_changed_signal);
  g_test_add_func ("/consultation/acknowledged-and-sheet", test_acknowledged_and_sheet_items);
  g_test_add_func ("/consultation/json-round-trip", test_json_round_trip);
  g_test_add_func ("/consultation/json-dates", test_json_dates);
  g_test_add_func ("/consultation/copy-and-revision", test_copy_and_revision);
  g_test_add_func ("/consultation/json-refused", test_json_refused);
  g_test_add_func ("/consultation/json-format-1", test_json_format_1);
  g_test_add_func ("/consultation/json-minimal", test_json_minimal);

  return g_test_run ();
}
