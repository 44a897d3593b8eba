/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "striae-core-error.h"
#include "striae-patient.h"
#include "striae-recommendation.h"
#include "striae-rules.h"
#include "striae-test-date.h"

static void
set_date (GDate *date,
          guint  year,
          guint  month,
          guint  day)
{
  g_date_clear (date, 1);
  g_date_set_dmy (date, day, month, year);
}

static StriaeConsultation *
consultation_with_area (StriaeBodySite site,
                        StriaeSeverity severity,
                        guint          fitzpatrick)
{
  StriaeConsultation *c = striae_consultation_new ();
  g_autoptr(StriaeArea) area = striae_area_new (site);
  StriaeSkin *skin = striae_consultation_get_skin (c);

  for (guint q = 0; q < STRIAE_N_QUESTIONS; q++)
    striae_history_set_answer (striae_consultation_get_history (c), q, STRIAE_ANSWER_NO);
  for (guint f = 0; f < STRIAE_N_SKIN_FACTS; f++)
    striae_skin_set_fact (skin, f, STRIAE_ANSWER_NO);
  striae_skin_set_fitzpatrick (skin, fitzpatrick);
  striae_area_set_severity (area, severity);
  striae_area_set_mark_type (area, STRIAE_MARK_TYPE_RUBRAE);
  striae_consultation_add_area (c, area);
  striae_plan_set_device (striae_consultation_get_plan (c), STRIAE_DEVICE_PEN);

  return c;
}

static StriaeRecommendation *
recommend (StriaeConsultation *c,
           StriaeRules        *rules)
{
  GDate today, birth;

  set_date (&today, 2026, 11, 23);
  set_date (&birth, 1990, 5, 12);
  return striae_recommend (c, rules, &birth, &today);
}

/* [depth] the default table written out: severity × thick/thin × Fitzpatrick I–III or
 * IV–VI (one 0.25 mm step gentler, never below 0.5 mm). */
typedef struct
{
  StriaeSeverity severity;
  gboolean       thin;
  double         depth_light;  /* Fitzpatrick I–III */
  double         depth_dark;   /* Fitzpatrick IV–VI */
} DepthRow;

static const DepthRow depth_rows[] = {
  /* [depth] never below 0.5 mm, the shortest length for stretch marks: mild marks on a
   * thin-skinned site and the gentler step for skin types IV–VI stay at 0.5 mm. */
  { STRIAE_SEVERITY_MILD, FALSE, 0.5, 0.5 },
  { STRIAE_SEVERITY_MILD, TRUE, 0.5, 0.5 },
  { STRIAE_SEVERITY_MODERATE, FALSE, 1.0, 0.75 },
  { STRIAE_SEVERITY_MODERATE, TRUE, 0.75, 0.5 },
  { STRIAE_SEVERITY_SEVERE, FALSE, 1.5, 1.25 },
  { STRIAE_SEVERITY_SEVERE, TRUE, 1.25, 1.0 },
};

static const struct {
  StriaeBodySite site;
  gboolean       thin;
} sites[] = {
  { STRIAE_BODY_SITE_ABDOMEN, FALSE },
  { STRIAE_BODY_SITE_BREASTS, TRUE },
  { STRIAE_BODY_SITE_HIPS, FALSE },
  { STRIAE_BODY_SITE_FLANKS, FALSE },
  { STRIAE_BODY_SITE_THIGHS, FALSE },
  { STRIAE_BODY_SITE_BUTTOCKS, FALSE },
  { STRIAE_BODY_SITE_UPPER_ARMS, FALSE },
  { STRIAE_BODY_SITE_INNER_ARMS, TRUE },
  { STRIAE_BODY_SITE_LOWER_BACK, FALSE },
  { STRIAE_BODY_SITE_OTHER, TRUE },
};

static void
test_site_thickness (void)
{
  g_assert_cmpuint (G_N_ELEMENTS (sites), ==, STRIAE_N_BODY_SITES);
  for (guint i = 0; i < G_N_ELEMENTS (sites); i++)
    {
      g_assert_cmpint (striae_body_site_is_thin (sites[i].site), ==, sites[i].thin);
      g_assert_nonnull (striae_body_site_get_label (sites[i].site));
    }
}

static void
test_depth_table (void)
{
  g_autoptr(StriaeRules) rules = striae_rules_new ();
  guint n = 0;

  for (guint r = 0; r < G_N_ELEMENTS (depth_rows); r++)
    for (guint s = 0; s < G_N_ELEMENTS (sites); s++)
      {
        if (sites[s].thin != depth_rows[r].thin)
          continue;

        for (guint type = 1; type <= 6; type++)
          {
            g_autoptr(StriaeConsultation) c =
              consultation_with_area (sites[s].site, depth_rows[r].severity, type);
            g_autoptr(StriaeRecommendation) rec = recommend (c, rules);
            double expected = type >= 4 ? depth_rows[r].depth_dark : depth_rows[r].depth_light;

            g_test_message ("severity %d, site %d, type %u", depth_rows[r].severity,
                            sites[s].site, type);
            g_assert_cmpuint (striae_recommendation_get_n_areas (rec), ==, 1);
            g_assert_cmpfloat_with_epsilon (striae_recommendation_get_depth (rec, 0), expected,
                                            1e-9);
            g_assert_nonnull (striae_recommendation_get_depth_explanation (rec, 0));
            n++;
          }
      }

  /* 3 severities × 10 sites × 6 types */
  g_assert_cmpuint (n, ==, 180);
}

static void
test_depth_pih_history_and_clinic_table (void)
{
  g_autoptr(StriaeRules) rules = striae_rules_new ();
  g_autoptr(StriaeConsultation) c =
    consultation_with_area (STRIAE_BODY_SITE_THIGHS, STRIAE_SEVERITY_SEVERE, 2);
  g_autoptr(StriaeRecommendation) plain = recommend (c, rules);
  g_autoptr(StriaeRecommendation) pih = NULL;
  g_autoptr(StriaeRecommendation) clinic = NULL;
  g_autoptr(StriaeRecommendation) no_step = NULL;

  g_assert_cmpfloat (striae_recommendation_get_depth (plain, 0), ==, 1.5);

  /* [contra] [fitzpatrick] a history of PIH is pih-risk too. */
  striae_skin_set_fact (striae_consultation_get_skin (c), STRIAE_SKIN_FACT_PIH_HISTORY,
                        STRIAE_ANSWER_YES);
  pih = recommend (c, rules);
  g_assert_cmpfloat (striae_recommendation_get_depth (pih, 0), ==, 1.25);

  /* The clinic's own table and step are used. */
  g_assert_true (striae_rules_set_depth (rules, STRIAE_SEVERITY_SEVERE, FALSE, 2.0, NULL));
  g_assert_true (striae_rules_set_pih_depth_step (rules, 0.5, NULL));
  clinic = recommend (c, rules);
  g_assert_cmpfloat (striae_recommendation_get_depth (clinic, 0), ==, 1.5);

  g_assert_true (striae_rules_set_pih_depth_step (rules, 0, NULL));
  no_step = recommend (c, rules);
  g_assert_cmpfloat (striae_recommendation_get_depth (no_step, 0), ==, 2.0);
}

/* A clinic's table may go below 0.5 mm, and its PIH step may be large: the recommendation
 * still never proposes less than 0.5 mm for stretch marks (the practitioner may choose less,
 * with a reason). */
static void
test_depth_floor (void)
{
  g_autoptr(StriaeRules) rules = striae_rules_new ();
  g_autoptr(StriaeConsultation) thin =
    consultation_with_area (STRIAE_BODY_SITE_BREASTS, STRIAE_SEVERITY_MILD, 2);
  g_autoptr(StriaeConsultation) dark =
    consultation_with_area (STRIAE_BODY_SITE_ABDOMEN, STRIAE_SEVERITY_MODERATE, 6);
  g_autoptr(StriaeRecommendation) rec = NULL;
  g_autoptr(StriaeRecommendation) dark_rec = NULL;

  g_assert_cmpfloat (striae_rules_get_depth (rules, STRIAE_SEVERITY_MILD, TRUE), ==, 0.5);
  g_assert_true (striae_rules_set_depth (rules, STRIAE_SEVERITY_MILD, TRUE, 0.25, NULL));
  rec = recommend (thin, rules);
  g_assert_cmpfloat (striae_recommendation_get_depth (rec, 0), ==, STRIAE_DEPTH_STRIAE_MIN_MM);

  g_assert_true (striae_rules_set_pih_depth_step (rules, 1.0, NULL));
  dark_rec = recommend (dark, rules);
  g_assert_cmpfloat (striae_recommendation_get_depth (dark_rec, 0), ==,
                     STRIAE_DEPTH_STRIAE_MIN_MM);
}

static void
test_no_severity (void)
{
  g_autoptr(StriaeRules) rules = striae_rules_new ();
  g_autoptr(StriaeConsultation) c =
    consultation_with_area (STRIAE_BODY_SITE_ABDOMEN, STRIAE_SEVERITY_NOT_SET, 2);
  g_autoptr(StriaeRecommendation) rec = recommend (c, rules);

  g_assert_cmpfloat (striae_recommendation_get_depth (rec, 0), ==, 0);
  g_assert_cmpuint (striae_recommendation_get_sessions (rec), ==, 0);
  g_assert_cmpuint (striae_recommendation_get_interval_weeks (rec), ==, 0);
}

/* [course] sessions by the most severe area; interval 4 weeks, 6 for higher-risk skin;
 * maintenance 4 months, 6 for higher-risk skin. */
typedef struct
{
  const char     *label;
  StriaeSeverity  severities[3];
  guint           fitzpatrick;
  gboolean        sensitive;
  gboolean        pih_history;
  guint           sessions;
  guint           interval;
  guint           maintenance;
} CourseCase;

static const CourseCase course_cases[] = {
  { "mild", { STRIAE_SEVERITY_MILD }, 2, FALSE, FALSE, 3, 4, 4 },
  { "moderate", { STRIAE_SEVERITY_MODERATE }, 2, FALSE, FALSE, 4, 4, 4 },
  { "severe", { STRIAE_SEVERITY_SEVERE }, 2, FALSE, FALSE, 6, 4, 4 },
  { "mild and severe", { STRIAE_SEVERITY_MILD, STRIAE_SEVERITY_SEVERE }, 3, FALSE, FALSE,
    6, 4, 4 },
  { "mild, moderate, mild", { STRIAE_SEVERITY_MILD, STRIAE_SEVERITY_MODERATE,
                              STRIAE_SEVERITY_MILD }, 1, FALSE, FALSE, 4, 4, 4 },
  { "mild, type IV", { STRIAE_SEVERITY_MILD }, 4, FALSE, FALSE, 3, 6, 6 },
  { "severe, type VI", { STRIAE_SEVERITY_SEVERE }, 6, FALSE, FALSE, 6, 6, 6 },
  { "moderate, sensitive", { STRIAE_SEVERITY_MODERATE }, 2, TRUE, FALSE, 4, 6, 6 },
  { "moderate, PIH history", { STRIAE_SEVERITY_MODERATE }, 1, FALSE, TRUE, 4, 6, 6 },
  { "moderate, type not recorded", { STRIAE_SEVERITY_MODERATE }, 0, FALSE, FALSE, 4, 4, 4 },
};

static void
test_course (void)
{
  g_autoptr(StriaeRules) rules = striae_rules_new ();

  for (guint i = 0; i < G_N_ELEMENTS (course_cases); i++)
    {
      const CourseCase *tc = &course_cases[i];
      g_autoptr(StriaeConsultation) c =
        consultation_with_area (STRIAE_BODY_SITE_ABDOMEN, tc->severities[0], tc->fitzpatrick);
      g_autoptr(StriaeRecommendation) rec = NULL;
      StriaeSkin *skin = striae_consultation_get_skin (c);

      g_test_message ("course: %s", tc->label);
      for (guint a = 1; a < G_N_ELEMENTS (tc->severities) && tc->severities[a]; a++)
        {
          g_autoptr(StriaeArea) area = striae_area_new (STRIAE_BODY_SITE_HIPS);

          striae_area_set_severity (area, tc->severities[a]);
          striae_consultation_add_area (c, area);
        }
      striae_skin_set_fact (skin, STRIAE_SKIN_FACT_SENSITIVE,
                            tc->sensitive ? STRIAE_ANSWER_YES : STRIAE_ANSWER_NO);
      striae_skin_set_fact (skin, STRIAE_SKIN_FACT_PIH_HISTORY,
                            tc->pih_history ? STRIAE_ANSWER_YES : STRIAE_ANSWER_NO);

      rec = recommend (c, rules);
      g_assert_cmpuint (striae_recommendation_get_sessions (rec), ==, tc->sessions);
      g_assert_cmpuint (striae_recommendation_get_interval_weeks (rec), ==, tc->interval);
      g_assert_cmpuint (striae_recommendation_get_maintenance_months (rec), ==, tc->maintenance);
      g_assert_cmpint (striae_recommendation_get_higher_risk (rec), ==, tc->interval == 6);
    }
}

static void
test_course_clinic_settings (void)
{
  g_autoptr(StriaeRules) rules = striae_rules_new ();
  g_autoptr(StriaeConsultation) c =
    consultation_with_area (STRIAE_BODY_SITE_ABDOMEN, STRIAE_SEVERITY_MILD, 5);
  g_autoptr(StriaeArea) second = striae_area_new (STRIAE_BODY_SITE_THIGHS);
  g_autoptr(StriaeRecommendation) rec = NULL;

  striae_area_set_severity (second, STRIAE_SEVERITY_MODERATE);
  striae_consultation_add_area (c, second);
  striae_rules_set_sessions (rules, STRIAE_SEVERITY_MODERATE, 5);
  striae_rules_set_interval_weeks (rules, STRIAE_SEVERITY_MILD, TRUE, 8);
  striae_rules_set_interval_weeks (rules, STRIAE_SEVERITY_MODERATE, TRUE, 7);
  striae_rules_set_maintenance_months (rules, TRUE, 5);

  rec = recommend (c, rules);
  g_assert_cmpuint (striae_recommendation_get_sessions (rec), ==, 5);
  /* The longest interval any area needs. */
  g_assert_cmpuint (striae_recommendation_get_interval_weeks (rec), ==, 8);
  g_assert_cmpuint (striae_recommendation_get_maintenance_months (rec), ==, 5);
}

static void
test_numbing_cream (void)
{
  g_autoptr(StriaeRules) rules = striae_rules_new ();
  g_autoptr(StriaeConsultation) c =
    consultation_with_area (STRIAE_BODY_SITE_ABDOMEN, STRIAE_SEVERITY_MILD, 2);
  g_autoptr(StriaeRecommendation) yes = recommend (c, rules);
  g_autoptr(StriaeRecommendation) no = NULL;

  g_assert_true (striae_recommendation_get_numbing_cream (yes));
  striae_history_set_answer (striae_consultation_get_history (c),
                             STRIAE_QUESTION_ALLERGY_ANAESTHETIC, STRIAE_ANSWER_YES);
  no = recommend (c, rules);
  g_assert_false (striae_recommendation_get_numbing_cream (no));
  striae_recommendation_apply (no, c);
  g_assert_false (striae_plan_get_numbing_cream (striae_consultation_get_plan (c)));
  g_assert_true (striae_recommendation_has_fact (no, "no-numbing-cream"));
  g_assert_false (striae_recommendation_has_fact (no, "numbing-cream"));
}

static void
test_apply_keeps_overrides (void)
{
  g_autoptr(StriaeRules) rules = striae_rules_new ();
  g_autoptr(StriaeConsultation) c =
    consultation_with_area (STRIAE_BODY_SITE_ABDOMEN, STRIAE_SEVERITY_MODERATE, 2);
  g_autoptr(StriaeRecommendation) first = recommend (c, rules);
  g_autoptr(StriaeRecommendation) second = NULL;
  StriaePlan *plan = striae_consultation_get_plan (c);
  g_autoptr(StriaeArea) area = g_list_model_get_item (striae_consultation_get_areas (c), 0);

  striae_recommendation_apply (first, c);
  g_assert_cmpfloat (striae_area_get_depth (area), ==, 1.0);
  g_assert_cmpfloat (striae_area_get_recommended_depth (area), ==, 1.0);
  g_assert_cmpuint (striae_plan_get_sessions (plan), ==, 4);
  g_assert_cmpuint (striae_plan_get_interval_weeks (plan), ==, 4);
  g_assert_cmpuint (striae_plan_get_maintenance_months (plan), ==, 4);

  /* The practitioner overrides the sessions; then the skin turns out to be type V. */
  striae_plan_set_sessions (plan, 5);
  striae_skin_set_fitzpatrick (striae_consultation_get_skin (c), 5);
  second = recommend (c, rules);
  striae_recommendation_apply (second, c);

  g_assert_cmpfloat (striae_area_get_depth (area), ==, 0.75);
  g_assert_false (striae_area_is_depth_overridden (area));
  g_assert_cmpuint (striae_plan_get_sessions (plan), ==, 5);
  g_assert_cmpuint (striae_plan_get_recommended_sessions (plan), ==, 4);
  g_assert_cmpuint (striae_plan_get_interval_weeks (plan), ==, 6);
  g_assert_cmpuint (striae_plan_get_maintenance_months (plan), ==, 6);
}

static StriaeConsultation *
complete_plan (void)
{
  g_autoptr(StriaeRules) rules = striae_rules_new ();
  StriaeConsultation *c =
    consultation_with_area (STRIAE_BODY_SITE_ABDOMEN, STRIAE_SEVERITY_MODERATE, 2);
  g_autoptr(StriaeRecommendation) rec = recommend (c, rules);

  striae_recommendation_apply (rec, c);
  striae_plan_set_first_session (striae_consultation_get_plan (c), striae_test_date ("2026-12-01"));
  return c;
}

typedef void (*Change) (StriaeConsultation *c);

static void change_sessions (StriaeConsultation *c)
{ striae_plan_set_sessions (striae_consultation_get_plan (c), 6); }
static void change_interval (StriaeConsultation *c)
{ striae_plan_set_interval_weeks (striae_consultation_get_plan (c), 2); }
static void change_maintenance (StriaeConsultation *c)
{ striae_plan_set_maintenance_months (striae_consultation_get_plan (c), 0); }
static void change_numbing (StriaeConsultation *c)
{ striae_plan_set_numbing_cream (striae_consultation_get_plan (c), FALSE); }
static void change_device (StriaeConsultation *c)
{ striae_plan_set_device (striae_consultation_get_plan (c), STRIAE_DEVICE_NOT_SET); }
static void change_first (StriaeConsultation *c)
{ striae_plan_set_first_session (striae_consultation_get_plan (c), NULL); }
/* The consultation is on 2 December; the plan's first session is on 1 December. */
static void change_first_early (StriaeConsultation *c)
{ striae_consultation_set_date (c, striae_test_date ("2026-12-02")); }
static void
change_depth (StriaeConsultation *c)
{
  g_autoptr(StriaeArea) area = g_list_model_get_item (striae_consultation_get_areas (c), 0);
  striae_area_set_depth (area, 1.5);
}
static void
change_depth_off_step (StriaeConsultation *c)
{
  g_autoptr(StriaeArea) area = g_list_model_get_item (striae_consultation_get_areas (c), 0);
  striae_area_set_depth (area, 1.1);
  striae_area_set_depth_reason (area, "Thick skin");
}
static void
remove_area (StriaeConsultation *c)
{
  striae_consultation_remove_area (c, 0);
}

typedef struct
{
  const char      *label;
  Change           change;
  StriaePlanField  field;
  int              code;
  const char      *in_message;
  gboolean         fixed_by_reason;
} ValidationCase;

static const ValidationCase validation_cases[] = {
  { "sessions", change_sessions, STRIAE_PLAN_FIELD_SESSIONS, STRIAE_CORE_ERROR_INCOMPLETE,
    "Sessions", TRUE },
  { "interval", change_interval, STRIAE_PLAN_FIELD_INTERVAL, STRIAE_CORE_ERROR_INCOMPLETE,
    "Interval", TRUE },
  { "maintenance", change_maintenance, STRIAE_PLAN_FIELD_MAINTENANCE,
    STRIAE_CORE_ERROR_INCOMPLETE, "Maintenance", TRUE },
  { "numbing", change_numbing, STRIAE_PLAN_FIELD_NUMBING_CREAM, STRIAE_CORE_ERROR_INCOMPLETE,
    "Numbing cream", TRUE },
  { "depth", change_depth, STRIAE_PLAN_FIELD_DEPTH, STRIAE_CORE_ERROR_INCOMPLETE,
    "Needle depth for Abdomen", TRUE },
  { "depth step", change_depth_off_step, STRIAE_PLAN_FIELD_DEPTH, STRIAE_CORE_ERROR_INVALID,
    "0.25 mm", FALSE },
  { "device", change_device, STRIAE_PLAN_FIELD_DEVICE, STRIAE_CORE_ERROR_INCOMPLETE,
    "Device", FALSE },
  { "first session", change_first, STRIAE_PLAN_FIELD_FIRST_SESSION,
    STRIAE_CORE_ERROR_INCOMPLETE, "First session", FALSE },
  { "first session before the consultation", change_first_early,
    STRIAE_PLAN_FIELD_FIRST_SESSION, STRIAE_CORE_ERROR_INVALID, "before the consultation",
    FALSE },
  { "no area", remove_area, STRIAE_PLAN_FIELD_DEPTH, STRIAE_CORE_ERROR_INCOMPLETE,
    "at least one area", FALSE },
};

static void
give_reason (StriaeConsultation *c,
             StriaePlanField     field)
{
  StriaePlan *plan = striae_consultation_get_plan (c);
  g_autoptr(StriaeArea) area = NULL;

  switch (field)
    {
    case STRIAE_PLAN_FIELD_SESSIONS:
      striae_plan_set_sessions_reason (plan, "Very wide marks");
      break;
    case STRIAE_PLAN_FIELD_INTERVAL:
      striae_plan_set_interval_reason (plan, "Published protocol with 2-week spacing");
      break;
    case STRIAE_PLAN_FIELD_MAINTENANCE:
      striae_plan_set_maintenance_reason (plan, "Patient declines maintenance");
      break;
    case STRIAE_PLAN_FIELD_NUMBING_CREAM:
      striae_plan_set_numbing_cream_reason (plan, "Patient prefers none");
      break;
    case STRIAE_PLAN_FIELD_DEPTH:
      area = g_list_model_get_item (striae_consultation_get_areas (c), 0);
      striae_area_set_depth_reason (area, "Thick skin, good tolerance at the test patch");
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
test_plan_validation (void)
{
  g_autoptr(StriaeConsultation) ok = complete_plan ();
  g_autoptr(GError) error = NULL;

  g_assert_true (striae_plan_validate (striae_consultation_get_plan (ok),
                                       striae_consultation_get_areas (ok), NULL, &error));
  g_assert_no_error (error);

  /* A first session on the day of the consultation is fine; a day earlier is not, in a copy
   * too (what the wizard and the store work on). */
  striae_consultation_set_date (ok, striae_test_date ("2026-12-01"));
  g_assert_true (striae_plan_validate (striae_consultation_get_plan (ok),
                                       striae_consultation_get_areas (ok), NULL, &error));
  g_assert_no_error (error);
  striae_consultation_set_date (ok, striae_test_date ("2026-12-02"));
  {
    g_autoptr(StriaeConsultation) copy = striae_consultation_copy (ok);

    g_assert_false (striae_plan_validate (striae_consultation_get_plan (copy),
                                          striae_consultation_get_areas (copy), NULL, &error));
    g_assert_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID);
    g_test_message ("%s", error->message);
    g_clear_error (&error);
  }
  striae_consultation_set_date (ok, striae_test_date (""));

  for (guint i = 0; i < G_N_ELEMENTS (validation_cases); i++)
    {
      const ValidationCase *tc = &validation_cases[i];
      g_autoptr(StriaeConsultation) c = complete_plan ();
      StriaePlan *plan = striae_consultation_get_plan (c);
      StriaePlanField field = STRIAE_PLAN_N_FIELDS;

      g_test_message ("plan validation: %s", tc->label);
      tc->change (c);
      g_assert_false (striae_plan_validate (plan, striae_consultation_get_areas (c), &field,
                                            &error));
      g_assert_error (error, STRIAE_CORE_ERROR, tc->code);
      g_assert_cmpint (field, ==, tc->field);
      g_assert_nonnull (strstr (error->message, tc->in_message));
      g_clear_error (&error);

      if (tc->fixed_by_reason)
        {
          give_reason (c, tc->field);
          g_assert_true (striae_plan_validate (plan, striae_consultation_get_areas (c), NULL,
                                               &error));
          g_assert_no_error (error);
        }
    }
}

typedef struct
{
  const char *first;
  guint       sessions;
  guint       weeks;
  guint       maintenance;
  const char *expected[7];
  const char *maintenance_date;
} ScheduleCase;

/* The maintenance session keeps the course's weekday, on the nearest such day to the months
 * planned after the last session (in brackets where that day differs). */
static const ScheduleCase schedule_cases[] = {
  /* Tuesdays [Wednesday 2027-06-23]. */
  { "2026-12-01", 4, 4, 4, { "2026-12-01", "2026-12-29", "2027-01-26", "2027-02-23" },
    "2027-06-22" },
  /* Tuesdays [Monday 2027-08-23]. */
  { "2026-12-01", 3, 6, 6, { "2026-12-01", "2027-01-12", "2027-02-23" }, "2027-08-24" },
  /* Wednesdays [Saturday 2028-07-08]. */
  { "2027-10-20", 6, 4, 4, { "2027-10-20", "2027-11-17", "2027-12-15", "2028-01-12",
                             "2028-02-09", "2028-03-08" }, "2028-07-05" },
  /* A leap day, and a maintenance month that is shorter than the last session's day;
   * Mondays [Tuesday 2028-03-28]. */
  { "2028-01-03", 2, 8, 1, { "2028-01-03", "2028-02-28" }, "2028-03-27" },
  /* Fridays [Thursday 2028-02-03]. */
  { "2027-12-03", 1, 0, 2, { "2027-12-03" }, "2028-02-04" },
  /* A clinic open on Sundays keeps the Sunday [Tuesday 2028-02-29]. */
  { "2027-10-31", 1, 4, 4, { "2027-10-31" }, "2028-02-27" },
  /* Fridays [Sunday 2027-04-04]: not on the weekend. */
  { "2026-12-04", 1, 4, 4, { "2026-12-04" }, "2027-04-02" },
  /* Thursdays [Monday 2027-06-28]: three days later is nearer than four before. */
  { "2026-12-03", 3, 4, 5, { "2026-12-03", "2026-12-31", "2027-01-28" }, "2027-07-01" },
  /* Wednesdays, and the months end on one. */
  { "2026-12-02", 1, 0, 6, { "2026-12-02" }, "2027-06-02" },
};

static void
test_schedule (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (schedule_cases); i++)
    {
      const ScheduleCase *tc = &schedule_cases[i];
      g_autoptr(StriaePlan) plan = striae_plan_new ();
      g_autoptr(GArray) dates = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *maintenance = NULL;
      GDate date;

      striae_plan_set_first_session (plan, striae_test_date (tc->first));
      striae_plan_set_sessions (plan, tc->sessions);
      striae_plan_set_interval_weeks (plan, tc->weeks);
      striae_plan_set_maintenance_months (plan, tc->maintenance);

      dates = striae_plan_compute_schedule (plan, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (dates->len, ==, tc->sessions);
      for (guint d = 0; d < dates->len; d++)
        {
          g_autofree char *iso = striae_format_iso_date (&g_array_index (dates, GDate, d));
          g_assert_cmpstr (iso, ==, tc->expected[d]);
        }

      g_assert_true (striae_plan_compute_maintenance_date (plan, &date, &error));
      g_assert_no_error (error);
      maintenance = striae_format_iso_date (&date);
      g_assert_cmpstr (maintenance, ==, tc->maintenance_date);
      g_assert_cmpint (g_date_get_weekday (&date), ==,
                       g_date_get_weekday (&g_array_index (dates, GDate, 0)));
    }
}

static void
test_schedule_incomplete (void)
{
  g_autoptr(StriaePlan) plan = striae_plan_new ();
  g_autoptr(GArray) dates = NULL;
  g_autoptr(GError) error = NULL;
  GDate date;

  dates = striae_plan_compute_schedule (plan, &error);
  g_assert_null (dates);
  g_assert_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INCOMPLETE);
  g_clear_error (&error);

  striae_plan_set_first_session (plan, striae_test_date ("2026-12-01"));
  striae_plan_set_sessions (plan, 3);
  dates = striae_plan_compute_schedule (plan, &error);
  g_assert_null (dates);
  g_assert_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INCOMPLETE);
  g_clear_error (&error);

  striae_plan_set_interval_weeks (plan, 4);
  g_assert_false (striae_plan_compute_maintenance_date (plan, &date, &error));
  g_assert_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INCOMPLETE);
}

/* Each named fact: a change to a clean consultation that makes it hold. */
typedef struct
{
  const char *fact;
  void      (*setup) (StriaeConsultation *c);
  gboolean    minor;
} FactCase;

#define HISTORY_YES(fn, q) \
  static void fn (StriaeConsultation *c) \
  { striae_history_set_answer (striae_consultation_get_history (c), q, STRIAE_ANSWER_YES); }
#define SKIN_YES(fn, f) \
  static void fn (StriaeConsultation *c) \
  { striae_skin_set_fact (striae_consultation_get_skin (c), f, STRIAE_ANSWER_YES); }
#define MARK_TYPE(fn, t) \
  static void fn (StriaeConsultation *c) \
  { \
    g_autoptr(StriaeArea) a = g_list_model_get_item (striae_consultation_get_areas (c), 0); \
    striae_area_set_mark_type (a, t); \
  }
#define ADJUNCT(fn, a) \
  static void fn (StriaeConsultation *c) \
  { striae_plan_set_adjuncts (striae_consultation_get_plan (c), a); }

HISTORY_YES (set_anticoagulants, STRIAE_QUESTION_ANTICOAGULANTS)
HISTORY_YES (set_bleeding, STRIAE_QUESTION_BLEEDING_DISORDER)
HISTORY_YES (set_herpes, STRIAE_QUESTION_HERPES_HISTORY)
HISTORY_YES (set_diabetes, STRIAE_QUESTION_DIABETES)
HISTORY_YES (set_immuno, STRIAE_QUESTION_IMMUNOSUPPRESSION)
HISTORY_YES (set_steroids, STRIAE_QUESTION_CORTICOSTEROIDS)
HISTORY_YES (set_autoimmune, STRIAE_QUESTION_AUTOIMMUNE)
HISTORY_YES (set_breastfeeding, STRIAE_QUESTION_BREASTFEEDING)
HISTORY_YES (set_anaesthetic, STRIAE_QUESTION_ALLERGY_ANAESTHETIC)
HISTORY_YES (set_metal, STRIAE_QUESTION_ALLERGY_METAL)
HISTORY_YES (set_serum_allergy, STRIAE_QUESTION_ALLERGY_SERUM)
SKIN_YES (set_sensitive, STRIAE_SKIN_FACT_SENSITIVE)
SKIN_YES (set_sun, STRIAE_SKIN_FACT_RECENT_SUN)
SKIN_YES (set_resurfacing, STRIAE_SKIN_FACT_RECENT_RESURFACING)
SKIN_YES (set_retinoids, STRIAE_SKIN_FACT_RETINOIDS)
SKIN_YES (set_pih_history, STRIAE_SKIN_FACT_PIH_HISTORY)
MARK_TYPE (set_albae, STRIAE_MARK_TYPE_ALBAE)
MARK_TYPE (set_rubrae_only, STRIAE_MARK_TYPE_RUBRAE)
MARK_TYPE (set_nigrae, STRIAE_MARK_TYPE_NIGRAE)
MARK_TYPE (set_caeruleae, STRIAE_MARK_TYPE_CAERULEAE)
ADJUNCT (set_prp, STRIAE_ADJUNCT_PRP)
ADJUNCT (set_serum, STRIAE_ADJUNCT_SERUM)
ADJUNCT (set_tretinoin, STRIAE_ADJUNCT_TRETINOIN)

static void set_dark (StriaeConsultation *c)
{ striae_skin_set_fitzpatrick (striae_consultation_get_skin (c), 4); }
static void set_rf (StriaeConsultation *c)
{ striae_plan_set_device (striae_consultation_get_plan (c), STRIAE_DEVICE_RF); }
static void set_numbing (StriaeConsultation *c)
{ striae_plan_set_numbing_cream (striae_consultation_get_plan (c), TRUE); }
static void set_maintenance (StriaeConsultation *c)
{ striae_plan_set_maintenance_months (striae_consultation_get_plan (c), 4); }
/* Three sessions four weeks apart in January 2020: the course is long done. */
static void
set_course_done (StriaeConsultation *c)
{
  StriaePlan *plan = striae_consultation_get_plan (c);

  striae_plan_set_sessions (plan, 3);
  striae_plan_set_interval_weeks (plan, 4);
  striae_plan_set_first_session (plan, striae_test_date ("2020-01-06"));
  striae_plan_set_maintenance_months (plan, 4);
}
static void
set_session_today (StriaeConsultation *c)
{
  StriaePlan *plan = striae_consultation_get_plan (c);

  /* recommend() is for 23 November 2026: the second session. */
  striae_plan_set_sessions (plan, 3);
  striae_plan_set_interval_weeks (plan, 4);
  striae_plan_set_first_session (plan, striae_test_date ("2026-10-26"));
}
static void
set_added_items (StriaeConsultation *c)
{
  const char *items[] = { "Bring a loose top.", NULL };

  striae_consultation_set_added_items (c, items);
}
static void nothing (StriaeConsultation *c) { }
static void
set_thin (StriaeConsultation *c)
{
  g_autoptr(StriaeArea) a = g_list_model_get_item (striae_consultation_get_areas (c), 0);
  striae_area_set_site (a, STRIAE_BODY_SITE_INNER_ARMS);
}
static void
set_deep (StriaeConsultation *c)
{
  g_autoptr(StriaeArea) a = g_list_model_get_item (striae_consultation_get_areas (c), 0);
  striae_area_set_depth (a, 1.5);
}

static const FactCase fact_cases[] = {
  { "pih-risk", set_dark, FALSE },
  { "pih-risk", set_pih_history, FALSE },
  { "higher-risk-skin", set_dark, FALSE },
  { "higher-risk-skin", set_sensitive, FALSE },
  { "sensitive-skin", set_sensitive, FALSE },
  { "recent-sun", set_sun, FALSE },
  { "recent-resurfacing", set_resurfacing, FALSE },
  { "retinoids", set_retinoids, FALSE },
  { "anticoagulants", set_anticoagulants, FALSE },
  { "bleeding-disorder", set_bleeding, FALSE },
  { "bleeding-risk", set_anticoagulants, FALSE },
  { "bleeding-risk", set_bleeding, FALSE },
  { "herpes-history", set_herpes, FALSE },
  { "diabetes", set_diabetes, FALSE },
  { "slow-healing", set_diabetes, FALSE },
  { "slow-healing", set_immuno, FALSE },
  { "slow-healing", set_steroids, FALSE },
  { "autoimmune", set_autoimmune, FALSE },
  { "breastfeeding", set_breastfeeding, FALSE },
  { "anaesthetic-allergy", set_anaesthetic, FALSE },
  { "metal-allergy", set_metal, FALSE },
  { "serum-allergy", set_serum_allergy, FALSE },
  { "minor", nothing, TRUE },
  { "numbing-cream", set_numbing, FALSE },
  { "no-numbing-cream", set_anaesthetic, FALSE },
  { "rf", set_rf, FALSE },
  { "serum", set_serum, FALSE },
  { "prp", set_prp, FALSE },
  { "tretinoin", set_tretinoin, FALSE },
  { "striae-rubrae", set_rubrae_only, FALSE },
  { "striae-albae", set_albae, FALSE },
  { "striae-nigrae", set_nigrae, FALSE },
  { "striae-caeruleae", set_caeruleae, FALSE },
  { "thin-skin-site", set_thin, FALSE },
  { "deep-needling", set_deep, FALSE },
  { "maintenance-planned", set_maintenance, FALSE },
  { "maintenance", set_course_done, FALSE },
  { "session-day", set_session_today, FALSE },
  { "next-session", set_session_today, FALSE },
  { "added-items", set_added_items, FALSE },
};

/* The baseline: a type II adult with one mild area of white marks on the abdomen, a pen,
 * no numbing cream chosen, no maintenance, nothing else of note. */
static StriaeConsultation *
fact_baseline (void)
{
  StriaeConsultation *c = consultation_with_area (STRIAE_BODY_SITE_ABDOMEN,
                                                  STRIAE_SEVERITY_MILD, 2);
  g_autoptr(StriaeArea) a = g_list_model_get_item (striae_consultation_get_areas (c), 0);

  striae_area_set_mark_type (a, STRIAE_MARK_TYPE_NOT_SET);
  striae_area_set_depth (a, 0.5);
  striae_plan_set_numbing_cream (striae_consultation_get_plan (c), FALSE);
  return c;
}

static void
test_facts (void)
{
  g_autoptr(StriaeRules) rules = striae_rules_new ();
  g_autoptr(StriaeConsultation) base = fact_baseline ();
  g_autoptr(StriaeRecommendation) base_rec = recommend (base, rules);
  const char * const expected_base[] = { NULL };
  const StriaeFactInfo *all;
  guint n_all;
  GDate today, minor_birth;

  g_assert_true (g_strv_equal (striae_recommendation_get_facts (base_rec), expected_base));

  set_date (&today, 2026, 11, 23);
  set_date (&minor_birth, 2010, 3, 1);

  for (guint i = 0; i < G_N_ELEMENTS (fact_cases); i++)
    {
      const FactCase *tc = &fact_cases[i];
      g_autoptr(StriaeConsultation) c = fact_baseline ();
      g_autoptr(StriaeRecommendation) rec = NULL;

      g_test_message ("fact: %s", tc->fact);
      g_assert_true (striae_fact_is_known (tc->fact));
      g_assert_false (striae_recommendation_has_fact (base_rec, tc->fact));

      tc->setup (c);
      rec = tc->minor ? striae_recommend (c, rules, &minor_birth, &today) : recommend (c, rules);
      g_assert_true (striae_recommendation_has_fact (rec, tc->fact));
    }

  /* Every documented fact is exercised above. */
  all = striae_facts_get_all (&n_all);
  g_assert_cmpuint (n_all, >=, 16);
  for (guint i = 0; i < n_all; i++)
    {
      gboolean tested = FALSE;

      for (guint j = 0; j < G_N_ELEMENTS (fact_cases); j++)
        tested |= g_str_equal (fact_cases[j].fact, all[i].name);
      g_assert_true (tested);
    }
  g_assert_false (striae_fact_is_known ("pih_risk"));
}

static void
test_cautions (void)
{
  g_autoptr(StriaeRules) rules = striae_rules_new ();
  g_autoptr(StriaeConsultation) c = fact_baseline ();
  g_autoptr(StriaeRecommendation) none = recommend (c, rules);
  g_autoptr(StriaeRecommendation) some = NULL;

  g_assert_cmpuint (g_strv_length ((GStrv) striae_recommendation_get_cautions (none)), ==, 0);
  set_rf (c);
  set_dark (c);
  some = recommend (c, rules);
  g_assert_cmpuint (g_strv_length ((GStrv) striae_recommendation_get_cautions (some)), ==, 2);
  g_assert_nonnull (strstr (striae_recommendation_get_cautions (some)[0], "burn"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/plan/site-thickness", test_site_thickness);
  g_test_add_func ("/plan/depth-table", test_depth_table);
  g_test_add_func ("/plan/depth-floor", test_depth_floor);
  g_test_add_func ("/plan/depth-pih-and-clinic", test_depth_pih_history_and_clinic_table);
  g_test_add_func ("/plan/no-severity", test_no_severity);
  g_test_add_func ("/plan/course", test_course);
  g_test_add_func ("/plan/course-clinic", test_course_clinic_settings);
  g_test_add_func ("/plan/numbing-cream", test_numbing_cream);
  g_test_add_func ("/plan/apply-keeps-overrides", test_apply_keeps_overrides);
  g_test_add_func ("/plan/validation", test_plan_validation);
  g_test_add_func ("/plan/schedule", test_schedule);
  g_test_add_func ("/plan/schedule-incomplete", test_schedule_incomplete);
  g_test_add_func ("/plan/facts", test_facts);
  g_test_add_func ("/plan/cautions", test_cautions);

  return g_test_run ();
}
