/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "striae-cli.h"
#include "striae-cli-records.h"
#include "striae-cli-report.h"
#include "striae-core-enums.h"
#include "striae-recommendation.h"
#include "striae-screening.h"

/* Bump when a member changes meaning or goes away; adding members does not bump it. */
#define REPORT_VERSION 1

static const GOptionEntry report_entries[] = {
  { "report-consultation", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
    N_("Print consultation ID as JSON for audits and scripts: screening, recommendation, "
       "plan, sheet facts and the rules used"), N_("ID") },
  { NULL }
};

void
striae_cli_report_add_options (GApplication *app)
{
  g_return_if_fail (G_IS_APPLICATION (app));

  g_application_add_main_option_entries (app, report_entries);
}

static const char *
nick (GType type,
      int   value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *v = g_enum_get_value (klass, value);

  return v != NULL ? v->value_nick : "unknown";
}

static void
add_string (JsonBuilder *b,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL && *value != '\0')
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

/* A date as YYYY-MM-DD, or null when there is none. */
static void
add_date (JsonBuilder *b,
          const char  *name,
          const GDate *date)
{
  g_autofree char *iso = striae_format_optional_iso_date (date);

  add_string (b, name, iso);
}

static void
add_int (JsonBuilder *b,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

static void
add_bool (JsonBuilder *b,
          const char  *name,
          gboolean     value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_boolean_value (b, value);
}

/* A depth in mm, or null when none is set (0). */
static void
add_mm (JsonBuilder *b,
        const char  *name,
        double       mm)
{
  json_builder_set_member_name (b, name);
  if (mm > 0)
    json_builder_add_double_value (b, mm);
  else
    json_builder_add_null_value (b);
}

/* A whole number the plan may leave unset (0), or null. */
static void
add_count (JsonBuilder *b,
           const char  *name,
           guint        value)
{
  json_builder_set_member_name (b, name);
  if (value > 0)
    json_builder_add_int_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_rules (JsonBuilder        *b,
           StriaeConsultation *consultation,
           StriaeRules        *current)
{
  const char *hash = striae_consultation_get_rules_hash (consultation);
  g_autofree char *current_hash = striae_rules_dup_hash (current);
  g_auto(GStrv) changed = striae_rules_dup_changed_keys (current);

  json_builder_set_member_name (b, "rules");
  json_builder_begin_object (b);
  add_int (b, "format", striae_consultation_get_rules_format (consultation));
  add_string (b, "hash", hash);
  json_builder_set_member_name (b, "clinic-changed");
  if (hash != NULL && *hash != '\0')
    json_builder_add_boolean_value (b, striae_rules_hash_is_clinic_changed (hash));
  else
    json_builder_add_null_value (b);
  add_string (b, "current-hash", current_hash);
  add_bool (b, "current-clinic-changed", !striae_rules_is_default (current));
  json_builder_set_member_name (b, "current-changed-keys");
  json_builder_begin_array (b);
  for (guint i = 0; changed[i] != NULL; i++)
    json_builder_add_string_value (b, changed[i]);
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static void
add_screening (JsonBuilder     *b,
               StriaeScreening *screening,
               const GDate     *today)
{
  GListModel *findings = striae_screening_get_findings (screening);
  char day[16];

  g_date_strftime (day, sizeof day, "%Y-%m-%d", today);
  json_builder_set_member_name (b, "screening");
  json_builder_begin_object (b);
  add_string (b, "screened-on", day);
  add_bool (b, "has-absolute", striae_screening_has_absolute (screening));
  add_bool (b, "all-relative-acknowledged",
            striae_screening_all_relative_acknowledged (screening));
  add_bool (b, "can-proceed", striae_screening_can_proceed (screening, NULL));
  json_builder_set_member_name (b, "findings");
  json_builder_begin_array (b);
  for (guint i = 0; i < g_list_model_get_n_items (findings); i++)
    {
      g_autoptr(StriaeFinding) f = g_list_model_get_item (findings, i);
      const StriaeCheckInfo *info = striae_check_get_info (striae_finding_get_check (f));

      json_builder_begin_object (b);
      add_string (b, "id", striae_finding_get_id (f));
      add_string (b, "check", info->id);
      add_string (b, "level", nick (STRIAE_TYPE_LEVEL, striae_finding_get_level (f)));
      add_bool (b, "unanswered", striae_finding_get_unanswered (f));
      add_bool (b, "acknowledged", striae_finding_get_acknowledged (f));
      add_string (b, "title", striae_finding_get_title (f));
      add_string (b, "reason", striae_finding_get_reason (f));
      add_string (b, "source", striae_finding_get_source (f));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  /* The answers the plan still needs: a question not asked is no finding. */
  json_builder_set_member_name (b, "missing");
  json_builder_begin_array (b);
  for (StriaeCheck c = 0; c < STRIAE_N_CHECKS; c++)
    if (striae_screening_is_missing (screening, c))
      json_builder_add_string_value (b, striae_check_get_info (c)->id);
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static void
add_recommendation (JsonBuilder          *b,
                    StriaeConsultation   *consultation,
                    StriaeRecommendation *rec)
{
  GListModel *areas = striae_consultation_get_areas (consultation);
  const char * const *cautions = striae_recommendation_get_cautions (rec);

  json_builder_set_member_name (b, "recommendation");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "areas");
  json_builder_begin_array (b);
  for (guint i = 0; i < striae_recommendation_get_n_areas (rec); i++)
    {
      g_autoptr(StriaeArea) area = g_list_model_get_item (areas, i);
      g_autofree char *title = area ? striae_area_dup_title (area) : NULL;
      StriaeSide side = area ? striae_area_get_side (area) : STRIAE_SIDE_NOT_RECORDED;

      json_builder_begin_object (b);
      add_string (b, "area", area ? striae_area_get_id (area) : NULL);
      add_string (b, "title", title);
      add_string (b, "site", area ? nick (STRIAE_TYPE_BODY_SITE, striae_area_get_site (area))
                                  : NULL);
      /* A paired site whose side was not recorded has none to report. */
      add_string (b, "side", side != STRIAE_SIDE_NOT_RECORDED ? nick (STRIAE_TYPE_SIDE, side)
                                                              : NULL);
      add_count (b, "extent-cm2", area ? striae_area_get_extent (area) : 0);
      add_string (b, "severity",
                  area ? nick (STRIAE_TYPE_SEVERITY, striae_area_get_severity (area)) : NULL);
      add_mm (b, "depth-mm", striae_recommendation_get_depth (rec, i));
      add_string (b, "explanation", striae_recommendation_get_depth_explanation (rec, i));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "course");
  json_builder_begin_object (b);
  add_count (b, "sessions", striae_recommendation_get_sessions (rec));
  add_count (b, "interval-weeks", striae_recommendation_get_interval_weeks (rec));
  add_int (b, "maintenance-months", striae_recommendation_get_maintenance_months (rec));
  add_bool (b, "numbing-cream", striae_recommendation_get_numbing_cream (rec));
  add_bool (b, "higher-risk", striae_recommendation_get_higher_risk (rec));
  json_builder_set_member_name (b, "cautions");
  json_builder_begin_array (b);
  for (guint i = 0; cautions != NULL && cautions[i] != NULL; i++)
    json_builder_add_string_value (b, cautions[i]);
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
}

/* One chosen value: what was chosen, what was recommended, and the reason given for
 * choosing otherwise (null when none). */
static void
add_choice_count (JsonBuilder *b,
                  const char  *name,
                  guint        chosen,
                  guint        recommended,
                  const char  *reason)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  add_count (b, "chosen", chosen);
  add_count (b, "recommended", recommended);
  add_bool (b, "overridden", chosen != 0 && recommended != 0 && chosen != recommended);
  add_string (b, "reason", reason);
  json_builder_end_object (b);
}

static void
add_plan (JsonBuilder        *b,
          StriaeConsultation *consultation)
{
  StriaePlan *plan = striae_consultation_get_plan (consultation);
  GListModel *areas = striae_consultation_get_areas (consultation);
  StriaeAdjunct adjuncts = striae_plan_get_adjuncts (plan);
  static const struct { StriaeAdjunct flag; const char *name; } adjunct_names[] = {
    { STRIAE_ADJUNCT_SERUM, "serum" },
    { STRIAE_ADJUNCT_PRP, "prp" },
    { STRIAE_ADJUNCT_TRETINOIN, "tretinoin" },
  };

  json_builder_set_member_name (b, "plan");
  json_builder_begin_object (b);
  add_string (b, "device", striae_plan_get_device (plan) == STRIAE_DEVICE_NOT_SET
                           ? NULL : nick (STRIAE_TYPE_DEVICE, striae_plan_get_device (plan)));
  add_date (b, "first-session", striae_plan_get_first_session (plan));
  add_choice_count (b, "sessions", striae_plan_get_sessions (plan),
                    striae_plan_get_recommended_sessions (plan),
                    striae_plan_get_sessions_reason (plan));
  add_choice_count (b, "interval-weeks", striae_plan_get_interval_weeks (plan),
                    striae_plan_get_recommended_interval_weeks (plan),
                    striae_plan_get_interval_reason (plan));

  json_builder_set_member_name (b, "maintenance-months");
  json_builder_begin_object (b);
  add_int (b, "chosen", striae_plan_get_maintenance_months (plan));
  add_int (b, "recommended", striae_plan_get_recommended_maintenance_months (plan));
  add_bool (b, "overridden", striae_plan_get_maintenance_months (plan) !=
                             striae_plan_get_recommended_maintenance_months (plan));
  add_string (b, "reason", striae_plan_get_maintenance_reason (plan));
  json_builder_end_object (b);

  json_builder_set_member_name (b, "numbing-cream");
  json_builder_begin_object (b);
  add_bool (b, "chosen", striae_plan_get_numbing_cream (plan));
  add_bool (b, "recommended", striae_plan_get_recommended_numbing_cream (plan));
  add_bool (b, "overridden", striae_plan_get_numbing_cream (plan) !=
                             striae_plan_get_recommended_numbing_cream (plan));
  add_string (b, "reason", striae_plan_get_numbing_cream_reason (plan));
  json_builder_end_object (b);

  json_builder_set_member_name (b, "adjuncts");
  json_builder_begin_array (b);
  for (guint i = 0; i < G_N_ELEMENTS (adjunct_names); i++)
    if (adjuncts & adjunct_names[i].flag)
      json_builder_add_string_value (b, adjunct_names[i].name);
  json_builder_end_array (b);

  json_builder_set_member_name (b, "areas");
  json_builder_begin_array (b);
  for (guint i = 0; i < g_list_model_get_n_items (areas); i++)
    {
      g_autoptr(StriaeArea) area = g_list_model_get_item (areas, i);
      double chosen = striae_area_get_depth (area);
      double recommended = striae_area_get_recommended_depth (area);

      json_builder_begin_object (b);
      add_string (b, "area", striae_area_get_id (area));
      add_mm (b, "depth-mm", chosen);
      add_mm (b, "recommended-depth-mm", recommended);
      add_bool (b, "overridden", chosen > 0 && recommended > 0 && chosen != recommended);
      add_string (b, "reason", striae_area_get_depth_reason (area));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

/* The named facts the sheets show their items by (striae-sheet-context.c takes them from the
 * recommendation), in the order of the list of facts. */
static void
add_facts (JsonBuilder          *b,
           StriaeRecommendation *rec)
{
  guint n = 0;
  const StriaeFactInfo *facts = striae_facts_get_all (&n);

  json_builder_set_member_name (b, "facts");
  json_builder_begin_array (b);
  for (guint i = 0; i < n; i++)
    if (striae_recommendation_has_fact (rec, facts[i].name))
      json_builder_add_string_value (b, facts[i].name);
  json_builder_end_array (b);
}

/* One session record (issue 17), its latest revision. */
static void
add_session (JsonBuilder            *b,
             StriaeTreatmentSession *session)
{
  GListModel *areas = striae_treatment_session_get_areas (session);
  GListModel *products = striae_treatment_session_get_products (session);
  GListModel *events = striae_treatment_session_get_events (session);
  g_autofree char *time = striae_format_minutes (striae_treatment_session_get_time (session));
  int tolerance = striae_treatment_session_get_tolerance (session);

  json_builder_begin_object (b);
  add_int (b, "id", striae_treatment_session_get_id (session));
  add_int (b, "revision", striae_treatment_session_get_revision (session));
  add_string (b, "status", nick (STRIAE_TYPE_TREATMENT_SESSION_STATUS,
                                 striae_treatment_session_get_status (session)));
  add_int (b, "number", striae_treatment_session_get_number (session));
  add_count (b, "course-length", striae_treatment_session_get_course_length (session));
  add_bool (b, "maintenance", striae_treatment_session_get_maintenance (session));
  add_date (b, "date", striae_treatment_session_get_date (session));
  add_string (b, "time", time);
  add_string (b, "practitioner", striae_treatment_session_get_practitioner (session));
  add_string (b, "check", nick (STRIAE_TYPE_CHECK_RESULT,
                                striae_session_check_get_result (
                                  striae_treatment_session_get_check (session))));
  json_builder_set_member_name (b, "tolerance");
  if (tolerance >= 0)
    json_builder_add_int_value (b, tolerance);
  else
    json_builder_add_null_value (b);

  json_builder_set_member_name (b, "areas");
  json_builder_begin_array (b);
  for (guint i = 0; i < g_list_model_get_n_items (areas); i++)
    {
      g_autoptr(StriaeSessionArea) area = g_list_model_get_item (areas, i);

      json_builder_begin_object (b);
      add_string (b, "area", striae_session_area_get_area_id (area));
      add_mm (b, "depth-mm", striae_session_area_get_depth (area));
      add_string (b, "device", striae_session_area_get_device (area) == STRIAE_DEVICE_NOT_SET
                               ? NULL : nick (STRIAE_TYPE_DEVICE,
                                              striae_session_area_get_device (area)));
      add_count (b, "passes", striae_session_area_get_passes (area));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "products");
  json_builder_begin_array (b);
  for (guint i = 0; i < g_list_model_get_n_items (products); i++)
    {
      g_autoptr(StriaeSessionProduct) product = g_list_model_get_item (products, i);

      json_builder_begin_object (b);
      add_string (b, "name", striae_session_product_get_name (product));
      add_string (b, "lot", striae_session_product_get_lot (product));
      add_date (b, "expiry", striae_session_product_get_expiry (product));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "adverse-events");
  json_builder_begin_array (b);
  for (guint i = 0; i < g_list_model_get_n_items (events); i++)
    {
      g_autoptr(StriaeAdverseEvent) event = g_list_model_get_item (events, i);

      json_builder_begin_object (b);
      add_string (b, "what", striae_adverse_event_get_what (event));
      add_string (b, "severity", nick (STRIAE_TYPE_EVENT_SEVERITY,
                                       striae_adverse_event_get_severity (event)));
      add_string (b, "follow-up", striae_adverse_event_get_follow_up (event));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static void
add_sessions (JsonBuilder *b,
              GPtrArray   *sessions)
{
  json_builder_set_member_name (b, "sessions");
  json_builder_begin_array (b);
  for (guint i = 0; i < sessions->len; i++)
    add_session (b, g_ptr_array_index (sessions, i));
  json_builder_end_array (b);
}

/**
 * striae_cli_report_consultation:
 * @today: (nullable): the day to screen on (the isotretinoin delay, the patient's age);
 *   %NULL for today
 *
 * Builds the report of docs/REPORT-FORMAT.md: screening and recommendation recomputed with
 * the clinic's rules as they are now, as the window and the sheets compute them, beside the
 * stored plan and the hash of the rules the consultation recorded.
 *
 * Returns: (transfer full): the JSON text, or %NULL with @error set
 */
char *
striae_cli_report_consultation (StriaeStore  *store,
                                gint64        consultation_id,
                                const GDate  *today,
                                GError      **error)
{
  g_autoptr(StriaeConsultation) consultation = NULL;
  g_autoptr(StriaePatient) patient = NULL;
  g_autoptr(StriaeRules) rules = NULL;
  g_autoptr(StriaeScreening) screening = NULL;
  g_autoptr(StriaeRecommendation) rec = NULL;
  g_autoptr(GPtrArray) sessions = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  GDate day;

  g_return_val_if_fail (STRIAE_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if ((consultation = striae_store_get_consultation (store, consultation_id, error)) == NULL ||
      (patient = striae_store_get_patient (store,
                                           striae_consultation_get_patient_id (consultation),
                                           error)) == NULL ||
      (rules = striae_store_load_rules (store, error)) == NULL ||
      (sessions = striae_store_list_treatment_sessions (store, consultation_id,
                                                        error)) == NULL)
    return NULL;

  if (today != NULL)
    day = *today;
  else
    striae_get_today (&day);
  screening = striae_screen (consultation, rules, striae_patient_get_birth_date (patient), &day);
  rec = striae_recommend (consultation, rules, striae_patient_get_birth_date (patient), &day);

  json_builder_begin_object (b);
  add_string (b, "format", "striae-consultation-report");
  add_int (b, "version", REPORT_VERSION);
  add_string (b, "generator", "Striae " PACKAGE_VERSION);

  json_builder_set_member_name (b, "consultation");
  json_builder_begin_object (b);
  add_int (b, "id", striae_consultation_get_id (consultation));
  add_int (b, "patient", striae_consultation_get_patient_id (consultation));
  add_int (b, "revision", striae_consultation_get_revision (consultation));
  add_date (b, "date", striae_consultation_get_date (consultation));
  add_string (b, "practitioner", striae_consultation_get_practitioner (consultation));
  add_string (b, "status", nick (STRIAE_TYPE_CONSULTATION_STATUS,
                                 striae_consultation_get_status (consultation)));
  json_builder_end_object (b);

  add_rules (b, consultation, rules);
  add_screening (b, screening, &day);
  add_recommendation (b, consultation, rec);
  add_plan (b, consultation);
  add_facts (b, rec);
  add_sessions (b, sessions);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, NULL);
}

/**
 * striae_cli_report_handle:
 * @database: (nullable): the database given on the command line
 * @exit_status: (out): the exit status when the command ran
 *
 * Returns: %TRUE when --report-consultation was given (and has run)
 */
gboolean
striae_cli_report_handle (const char   *database,
                          GVariantDict *options,
                          int          *exit_status)
{
  g_autoptr(StriaeStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  gint64 id = 0;

  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (exit_status != NULL, FALSE);

  if (!g_variant_dict_contains (options, "report-consultation"))
    return FALSE;

  if (!striae_cli_lookup_id (options, "report-consultation", &id, &error) ||
      (store = striae_cli_open_existing_store (database, options, &error)) == NULL ||
      (json = striae_cli_report_consultation (store, id, NULL, &error)) == NULL)
    {
      *exit_status = striae_cli_print_error (error);
      return TRUE;
    }

  g_print ("%s\n", json);
  *exit_status = EXIT_SUCCESS;
  return TRUE;
}
