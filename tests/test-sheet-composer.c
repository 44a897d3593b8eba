/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <string.h>

#include "striae-recommendation.h"
#include "striae-screening.h"
#include "striae-sheet-composer.h"
#include "striae-sheet-error.h"
#include "striae-sheet-names.h"
#include "striae-test-date.h"

/* Between a number and its unit, so that a line never breaks between them ("0,75" / "mm"):
 * spelt out, so that a plain space fails. */
#define NBSP "\xc2\xa0"

static const StriaeClinicSettings clinic = {
  .name = "Clinique Étoile",
  .address = "1 rue de la Paix\n75002 Paris",
  .phone = "+33 1 23 45 67 89",
  .email = "contact@etoile.example",
  .logo_path = NULL,
  .paper = STRIAE_PAPER_US_LETTER,
  .practitioner = "Dr Hélène Marchand",
  .language = "en",
};

static void
answer_everything_no (StriaeConsultation *c)
{
  StriaeSkin *skin = striae_consultation_get_skin (c);

  for (guint q = 0; q < STRIAE_N_QUESTIONS; q++)
    striae_history_set_answer (striae_consultation_get_history (c), q, STRIAE_ANSWER_NO);
  for (guint f = 0; f < STRIAE_N_SKIN_FACTS; f++)
    striae_skin_set_fact (skin, f, STRIAE_ANSWER_NO);
}

static void
add_area (StriaeConsultation *c,
          StriaeBodySite      site,
          StriaeSeverity      severity,
          StriaeMarkType      type,
          double              depth)
{
  g_autoptr(StriaeArea) area = striae_area_new (site);

  striae_area_set_severity (area, severity);
  striae_area_set_mark_type (area, type);
  if (depth > 0)
    striae_area_set_depth (area, depth);
  striae_consultation_add_area (c, area);
}

/* An adult with fair skin, a pen on abdomen and thighs, a full schedule and maintenance. */
static void
make_adult (StriaePatient      **patient,
            StriaeConsultation **consultation)
{
  StriaePatient *p = striae_patient_new ();
  StriaeConsultation *c = striae_consultation_new ();
  StriaePlan *plan = striae_consultation_get_plan (c);
  const char *added[] = { "Bring loose cotton clothes to the session.", NULL };
  const char *struck[] = { "sun", NULL };

  striae_patient_set_given_name (p, "Zoë");
  striae_patient_set_family_name (p, "Dubois-Émond");
  striae_patient_set_birth_date (p, striae_test_date ("1990-05-12"));
  striae_patient_set_language (p, "sv");

  striae_consultation_set_id (c, 7);
  answer_everything_no (c);
  striae_skin_set_fitzpatrick (striae_consultation_get_skin (c), 2);
  add_area (c, STRIAE_BODY_SITE_ABDOMEN, STRIAE_SEVERITY_MODERATE, STRIAE_MARK_TYPE_ALBAE,
            1.0);
  add_area (c, STRIAE_BODY_SITE_THIGHS, STRIAE_SEVERITY_MODERATE, STRIAE_MARK_TYPE_ALBAE,
            1.0);
  striae_plan_set_device (plan, STRIAE_DEVICE_PEN);
  striae_plan_set_sessions (plan, 4);
  striae_plan_set_interval_weeks (plan, 6);
  striae_plan_set_first_session (plan, striae_test_date ("2026-12-01"));
  striae_plan_set_maintenance_months (plan, 6);
  striae_plan_set_numbing_cream (plan, TRUE);
  striae_consultation_set_added_items (c, added);
  striae_consultation_set_struck_items (c, struck);

  *patient = p;
  *consultation = c;
}

/* A 16-year-old with darker skin on blood thinners, radiofrequency on the breasts at two
 * depths, no dates booked and no practitioner named. */
static void
make_minor (StriaePatient      **patient,
            StriaeConsultation **consultation)
{
  StriaePatient *p = striae_patient_new ();
  StriaeConsultation *c = striae_consultation_new ();
  StriaePlan *plan = striae_consultation_get_plan (c);
  g_autofree char *birth = NULL;
  GDate date;

  striae_get_today (&date);
  g_date_subtract_years (&date, 16);
  birth = striae_format_iso_date (&date);

  striae_patient_set_given_name (p, "Ana");
  striae_patient_set_family_name (p, "Łukasiewicz");
  striae_patient_set_birth_date (p, striae_test_date (birth));

  striae_consultation_set_id (c, 8);
  answer_everything_no (c);
  striae_history_set_answer (striae_consultation_get_history (c),
                             STRIAE_QUESTION_ANTICOAGULANTS, STRIAE_ANSWER_YES);
  striae_skin_set_fitzpatrick (striae_consultation_get_skin (c), 5);
  add_area (c, STRIAE_BODY_SITE_BREASTS, STRIAE_SEVERITY_SEVERE, STRIAE_MARK_TYPE_RUBRAE,
            0.75);
  add_area (c, STRIAE_BODY_SITE_HIPS, STRIAE_SEVERITY_SEVERE, STRIAE_MARK_TYPE_RUBRAE, 1.25);
  striae_plan_set_device (plan, STRIAE_DEVICE_RF);
  striae_plan_set_sessions (plan, 3);
  striae_plan_set_interval_weeks (plan, 8);

  *patient = p;
  *consultation = c;
}

static StriaeRecommendation *
recommend_for (StriaePatient      *patient,
               StriaeConsultation *consultation)
{
  g_autoptr(StriaeRules) rules = striae_rules_new ();
  GDate today;

  striae_get_today (&today);
  g_assert_nonnull (striae_patient_get_birth_date (patient));
  return striae_recommend (consultation, rules, striae_patient_get_birth_date (patient), &today);
}

static StriaeSheetTemplate *
load_in (const char *name,
         const char *language)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *empty_dir = g_dir_make_tmp ("striae-composer-XXXXXX", NULL);
  StriaeSheetTemplate *template;

  template = striae_sheet_template_load (name, language, empty_dir, NULL,
                                         striae_sheet_default_facts (), NULL, &error);
  g_assert_no_error (error);
  g_rmdir (empty_dir);
  return template;
}

static StriaeSheetTemplate *
load (const char *name)
{
  return load_in (name, "en");
}

static void
test_adult (void)
{
  g_autoptr(StriaePatient) patient = NULL;
  g_autoptr(StriaeConsultation) consultation = NULL;
  g_autoptr(StriaeRecommendation) recommendation = NULL;
  g_autoptr(StriaeSheetTemplate) template = load ("aftercare");
  g_autoptr(StriaeSheetContext) context = NULL;
  g_autoptr(StriaeSheet) sheet = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) struck = NULL;
  const char *label = NULL;
  const char *section = NULL;
  const GDate *date;
  GDate sheet_date;

  make_adult (&patient, &consultation);
  recommendation = recommend_for (patient, consultation);
  g_date_clear (&sheet_date, 1);
  g_date_set_dmy (&sheet_date, 12, G_DATE_JANUARY, 2027);

  context = striae_sheet_compose_context (template, patient, consultation, recommendation,
                                          &clinic, &sheet_date);

  g_assert_cmpstr (striae_sheet_context_get_value (context, "patient.name"), ==,
                   "Zoë Dubois-Émond");
  g_assert_cmpstr (striae_sheet_context_get_value (context, "clinic.name"), ==,
                   "Clinique Étoile");
  g_assert_cmpstr (striae_sheet_context_get_value (context, "practitioner.name"), ==,
                   "Dr Hélène Marchand");
  g_assert_cmpstr (striae_sheet_context_get_value (context, "plan.treatment"), ==,
                   "microneedling");
  g_assert_cmpstr (striae_sheet_context_get_value (context, "plan.areas"), ==,
                   "abdomen and thighs");
  g_assert_cmpstr (striae_sheet_context_get_value (context, "plan.needle_depth"), ==,
                   "1.0" NBSP "mm");
  g_assert_cmpstr (striae_sheet_context_get_value (context, "plan.sessions"), ==, "4");
  g_assert_cmpstr (striae_sheet_context_get_value (context, "plan.interval"), ==, "6" NBSP "weeks");
  g_assert_cmpstr (striae_sheet_context_get_value (context, "plan.maintenance"), ==,
                   "every 6" NBSP "months");
  /* The template's own date format: "Tuesday 1 December 2026". */
  g_assert_cmpstr (striae_sheet_context_get_value (context, "plan.first_date"), ==,
                   "Tuesday 1 December 2026");
  /* Sessions on 1 Dec, 12 Jan (the sheet's day), 23 Feb: the next one is after today. */
  g_assert_cmpstr (striae_sheet_context_get_value (context, "plan.next_date"), ==,
                   "Tuesday 23 February 2027");
  g_assert_cmpint (striae_sheet_context_get_paper (context), ==, STRIAE_PAPER_US_LETTER);
  g_assert_true (g_date_compare (striae_sheet_context_get_date (context), &sheet_date) == 0);
  g_assert_cmpint (g_date_get_year (striae_sheet_context_get_birth_date (context)), ==, 1990);

  /* Four sessions six weeks apart, then maintenance six months after the last. */
  g_assert_cmpuint (striae_sheet_context_get_n_sessions (context), ==, 5);
  date = striae_sheet_context_get_session (context, 0, &label);
  g_assert_cmpstr (label, ==, "Session 1");
  g_assert_cmpuint (g_date_get_day (date), ==, 1);
  g_assert_cmpuint (g_date_get_month (date), ==, G_DATE_DECEMBER);
  date = striae_sheet_context_get_session (context, 3, &label);
  g_assert_cmpstr (label, ==, "Session 4");
  g_assert_cmpuint (g_date_get_julian (date), ==,
                    g_date_get_julian (striae_sheet_context_get_session (context, 0, NULL))
                    + 3 * 42);
  date = striae_sheet_context_get_session (context, 4, &label);
  g_assert_cmpstr (label, ==, "Maintenance");
  g_assert_cmpuint (g_date_get_month (date), ==, G_DATE_OCTOBER);
  g_assert_cmpuint (g_date_get_year (date), ==, 2027);

  g_assert_false (striae_sheet_context_has_fact (context, "pih-risk"));
  g_assert_false (striae_sheet_context_has_fact (context, "anticoagulants"));
  g_assert_false (striae_sheet_context_has_fact (context, "minor"));
  g_assert_false (striae_sheet_context_has_fact (context, "rf"));
  g_assert_true (striae_sheet_context_has_fact (context, "striae-albae"));
  /* Maintenance is planned; this is not yet a maintenance session (the course runs). */
  g_assert_true (striae_sheet_context_has_fact (context, "maintenance-planned"));
  g_assert_false (striae_sheet_context_has_fact (context, "maintenance"));

  g_assert_cmpuint (striae_sheet_context_get_n_extra_items (context), ==, 1);
  g_assert_cmpstr (striae_sheet_context_get_extra_item (context, 0, &section), ==,
                   "Bring loose cotton clothes to the session.");
  g_assert_null (section);
  struck = striae_sheet_context_dup_struck_ids (context);
  g_assert_cmpstrv (struck, ((const char *[]) { "sun", NULL }));

  sheet = striae_sheet_new (template, context, &error);
  g_assert_no_error (error);
  g_assert_false (striae_sheet_has_item (sheet, "bruising"));
  g_assert_false (striae_sheet_has_item (sheet, "pigment"));
  g_assert_false (striae_sheet_has_item (sheet, "call-burn"));
  g_assert_false (striae_sheet_has_item (sheet, "sun"));
  g_assert_true (striae_sheet_has_item (sheet, "results-albae"));
  g_assert_true (striae_sheet_has_item (sheet, "maintenance"));
}

static void
test_minor (void)
{
  g_autoptr(StriaePatient) patient = NULL;
  g_autoptr(StriaeConsultation) consultation = NULL;
  g_autoptr(StriaeRecommendation) recommendation = NULL;
  g_autoptr(StriaeSheetTemplate) template = load ("consent");
  g_autoptr(StriaeSheetContext) context = NULL;
  g_autoptr(StriaeSheet) sheet = NULL;
  g_autoptr(GError) error = NULL;
  const StriaeClinicSettings no_practitioner = { .name = "Clinic", .paper = STRIAE_PAPER_A4 };

  make_minor (&patient, &consultation);
  recommendation = recommend_for (patient, consultation);
  context = striae_sheet_compose_context (template, patient, consultation, recommendation,
                                          &no_practitioner, NULL);

  g_assert_cmpstr (striae_sheet_context_get_value (context, "plan.treatment"), ==,
                   "radiofrequency microneedling");
  g_assert_cmpstr (striae_sheet_context_get_value (context, "plan.areas"), ==,
                   "breasts and hips");
  g_assert_cmpstr (striae_sheet_context_get_value (context, "plan.needle_depth"), ==,
                   "breasts 0.75" NBSP "mm and hips 1.25" NBSP "mm");
  g_assert_cmpstr (striae_sheet_context_get_value (context, "plan.interval"), ==, "8" NBSP "weeks");
  /* Nothing booked and nobody named: blanks to fill in by hand, not invented values. */
  g_assert_null (striae_sheet_context_get_value (context, "plan.first_date"));
  g_assert_null (striae_sheet_context_get_value (context, "plan.next_date"));
  g_assert_null (striae_sheet_context_get_value (context, "plan.maintenance"));
  g_assert_null (striae_sheet_context_get_value (context, "practitioner.name"));
  g_assert_cmpuint (striae_sheet_context_get_n_sessions (context), ==, 0);
  g_assert_cmpint (striae_sheet_context_get_paper (context), ==, STRIAE_PAPER_A4);

  g_assert_true (striae_sheet_context_has_fact (context, "pih-risk"));
  g_assert_true (striae_sheet_context_has_fact (context, "anticoagulants"));
  g_assert_true (striae_sheet_context_has_fact (context, "minor"));
  g_assert_true (striae_sheet_context_has_fact (context, "rf"));
  g_assert_true (striae_sheet_context_has_fact (context, "striae-rubrae"));
  g_assert_false (striae_sheet_context_has_fact (context, "maintenance"));

  sheet = striae_sheet_new (template, context, &error);
  g_assert_no_error (error);
  g_assert_true (striae_sheet_has_item (sheet, "sign-guardian"));
  g_assert_false (striae_sheet_has_item (sheet, "sign-patient"));
  g_assert_true (striae_sheet_has_item (sheet, "risk-bruising"));
  g_assert_true (striae_sheet_has_item (sheet, "risk-pigment"));
  g_assert_false (striae_sheet_has_item (sheet, "risk-colour"));
  g_assert_true (striae_sheet_has_item (sheet, "risk-burns"));
}

static void
test_compose_and_block (void)
{
  g_autoptr(StriaePatient) patient = NULL;
  g_autoptr(StriaeConsultation) consultation = NULL;
  g_autoptr(StriaeSheet) sheet = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *warning = NULL;
  g_autofree char *empty_dir = g_dir_make_tmp ("striae-composer-XXXXXX", NULL);
  StriaeSheetRequest request = { .name = "pre", .clinic = &clinic, .override_dir = empty_dir };

  make_adult (&patient, &consultation);
  request.patient = patient;
  request.consultation = consultation;
  sheet = striae_sheet_compose (&request, NULL, &warning, &error);
  g_assert_no_error (error);
  g_assert_null (warning);
  /* The patient prefers Swedish; there is no Swedish sheet, so the clinic's English one. */
  g_assert_cmpstr (striae_sheet_template_get_language (striae_sheet_get_template (sheet)), ==,
                   "en");
  g_assert_cmpstr (striae_sheet_template_get_name (striae_sheet_get_template (sheet)), ==,
                   "pre-treatment");
  g_clear_object (&sheet);

  /* Asked for explicitly, a missing language is an error. */
  request.name = "aftercare";
  request.language = "sv";
  sheet = striae_sheet_compose (&request, NULL, NULL, &error);
  g_assert_error (error, STRIAE_SHEET_ERROR, STRIAE_SHEET_ERROR_NOT_FOUND);
  g_assert_null (sheet);
  g_clear_error (&error);

  request.name = "postcare";
  request.language = NULL;
  sheet = striae_sheet_compose (&request, NULL, NULL, &error);
  g_assert_error (error, STRIAE_SHEET_ERROR, STRIAE_SHEET_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "postcare"));
  g_clear_error (&error);

  /* [contra] pregnancy is absolute: the plan is blocked and no sheet is given. */
  request.name = "aftercare";
  striae_history_set_answer (striae_consultation_get_history (consultation),
                             STRIAE_QUESTION_PREGNANCY, STRIAE_ANSWER_YES);
  sheet = striae_sheet_compose (&request, NULL, NULL, &error);
  g_assert_error (error, STRIAE_SHEET_ERROR, STRIAE_SHEET_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Do not treat now"));
  g_assert_null (sheet);
  g_clear_error (&error);

  /* An absolute question nobody asked blocks as well. */
  striae_history_set_answer (striae_consultation_get_history (consultation),
                             STRIAE_QUESTION_PREGNANCY, STRIAE_ANSWER_UNKNOWN);
  g_assert_false (striae_sheet_check_printable ("aftercare", patient, consultation, NULL, &clinic,
                                                &error));
  g_assert_error (error, STRIAE_SHEET_ERROR, STRIAE_SHEET_ERROR_INVALID);
  g_clear_error (&error);

  striae_history_set_answer (striae_consultation_get_history (consultation),
                             STRIAE_QUESTION_PREGNANCY, STRIAE_ANSWER_NO);
  g_assert_true (striae_sheet_check_printable ("aftercare", patient, consultation, NULL, &clinic,
                                                &error));
  g_assert_no_error (error);

  /* A consultation signed as not treated has no sheets, with one sentence that says so. */
  striae_consultation_set_not_treated (consultation, TRUE, "Declined", NULL);
  g_assert_false (striae_sheet_check_printable ("aftercare", patient, consultation, NULL, &clinic,
                                                &error));
  g_assert_error (error, STRIAE_SHEET_ERROR, STRIAE_SHEET_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "was signed as not treated, so it has no sheets "
                                            "to print."));
  g_clear_error (&error);
  sheet = striae_sheet_compose (&request, NULL, NULL, &error);
  g_assert_error (error, STRIAE_SHEET_ERROR, STRIAE_SHEET_ERROR_INVALID);
  g_assert_null (sheet);
  g_clear_error (&error);
  striae_consultation_set_not_treated (consultation, FALSE, NULL, NULL);
  g_rmdir (empty_dir);
}

static void
write_template (const char *dir,
                const char *language,
                const char *name,
                const char *condition)
{
  g_autofree char *folder = g_build_filename (dir, language, NULL);
  g_autofree char *file = g_strconcat (name, ".xml", NULL);
  g_autofree char *path = g_build_filename (folder, file, NULL);
  g_autofree char *text = g_strdup_printf ("<sheet version=\"1\" title=\"Soins\">\n"
                                           "<section id=\"a\" title=\"A\">\n"
                                           "<p id=\"b\" if=\"%s\">Bonjour {patient.name}</p>\n"
                                           "</section>\n</sheet>\n", condition);

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
}

static void
remove_template (const char *dir,
                 const char *language,
                 const char *name)
{
  g_autofree char *file = g_strconcat (name, ".xml", NULL);
  g_autofree char *path = g_build_filename (dir, language, file, NULL);
  g_autofree char *folder = g_build_filename (dir, language, NULL);

  g_unlink (path);
  g_rmdir (folder);
}

/* The session speaks English (the test runs in the C locale, untranslated), the sheet
 * German: every word the composer fills in comes from the German template. */
static void
test_german_sheet (void)
{
  g_autoptr(StriaePatient) patient = NULL;
  g_autoptr(StriaeConsultation) consultation = NULL;
  g_autoptr(StriaeRecommendation) recommendation = NULL;
  g_autoptr(StriaeSheetTemplate) template = load_in ("aftercare", "de");
  g_autoptr(StriaeSheetContext) context = NULL;
  const char *label = NULL;

  make_adult (&patient, &consultation);
  recommendation = recommend_for (patient, consultation);
  context = striae_sheet_compose_context (template, patient, consultation, recommendation,
                                          &clinic, NULL);
  g_assert_cmpstr (striae_sheet_context_get_value (context, "plan.treatment"), ==,
                   "Microneedling");
  g_assert_cmpstr (striae_sheet_context_get_value (context, "plan.areas"), ==,
                   "Bauch und Oberschenkel");
  g_assert_cmpstr (striae_sheet_context_get_value (context, "plan.needle_depth"), ==,
                   "1,0" NBSP "mm");
  g_assert_cmpstr (striae_sheet_context_get_value (context, "plan.interval"), ==,
                   "6" NBSP "Wochen");
  g_assert_cmpstr (striae_sheet_context_get_value (context, "plan.maintenance"), ==,
                   "alle 6" NBSP "Monate");
  striae_sheet_context_get_session (context, 4, &label);
  g_assert_cmpstr (label, ==, "Auffrischung");
  g_clear_object (&recommendation);
  g_clear_object (&context);
  g_clear_object (&consultation);
  g_clear_object (&patient);

  /* Radiofrequency on two sites at two depths, one week apart, maintenance every month. */
  make_minor (&patient, &consultation);
  striae_plan_set_interval_weeks (striae_consultation_get_plan (consultation), 1);
  striae_plan_set_maintenance_months (striae_consultation_get_plan (consultation), 1);
  recommendation = recommend_for (patient, consultation);
  context = striae_sheet_compose_context (template, patient, consultation, recommendation,
                                          &clinic, NULL);
  g_assert_cmpstr (striae_sheet_context_get_value (context, "plan.treatment"), ==,
                   "Radiofrequenz-Microneedling");
  g_assert_cmpstr (striae_sheet_context_get_value (context, "plan.areas"), ==,
                   "Brust und Hüften");
  g_assert_cmpstr (striae_sheet_context_get_value (context, "plan.needle_depth"), ==,
                   "Brust 0,75" NBSP "mm und Hüften 1,25" NBSP "mm");
  g_assert_cmpstr (striae_sheet_context_get_value (context, "plan.interval"), ==, "1" NBSP "Woche");
  g_assert_cmpstr (striae_sheet_context_get_value (context, "plan.maintenance"), ==,
                   "jeden Monat");
}

/* Three areas in French: the comma, then the template's word before the last name; a site
 * the practitioner named keeps their words. */
static void
test_french_areas (void)
{
  g_autoptr(StriaeConsultation) consultation = striae_consultation_new ();
  g_autoptr(StriaePatient) patient = striae_patient_new ();
  g_autoptr(StriaeSheetTemplate) template = load_in ("pre-treatment", "fr");
  g_autoptr(StriaeSheetContext) context = NULL;
  g_autoptr(StriaeArea) other = striae_area_new (STRIAE_BODY_SITE_OTHER);

  add_area (consultation, STRIAE_BODY_SITE_LOWER_BACK, STRIAE_SEVERITY_MILD,
            STRIAE_MARK_TYPE_ALBAE, 0.5);
  add_area (consultation, STRIAE_BODY_SITE_INNER_ARMS, STRIAE_SEVERITY_MILD,
            STRIAE_MARK_TYPE_ALBAE, 0.5);
  striae_area_set_notes (other, "mollets");
  striae_area_set_depth (other, 0.5);
  striae_consultation_add_area (consultation, other);
  context = striae_sheet_compose_context (template, patient, consultation, NULL, &clinic, NULL);
  g_assert_cmpstr (striae_sheet_context_get_value (context, "plan.areas"), ==,
                   "bas du dos, intérieur des bras et mollets");
  g_assert_cmpstr (striae_sheet_context_get_value (context, "plan.needle_depth"), ==,
                   "0,5" NBSP "mm");
}

static StriaeArea *
add_sided_area (StriaeConsultation *c,
                StriaeBodySite      site,
                StriaeSide          side,
                double              depth)
{
  g_autoptr(StriaeArea) area = striae_area_new (site);

  striae_area_set_side (area, side);
  striae_area_set_severity (area, STRIAE_SEVERITY_MILD);
  striae_area_set_mark_type (area, STRIAE_MARK_TYPE_RUBRAE);
  striae_area_set_depth (area, depth);
  striae_consultation_add_area (c, area);
  return area;
}

typedef struct
{
  const char *language;
  const char *areas;
  const char *depths;
} SidedCase;

/* A recorded side is named in the sheet's own words, agreeing with the body part; a paired
 * site whose side was not recorded prints as before. */
static void
test_sided_areas (void)
{
  static const SidedCase cases[] = {
    { "en", "left thigh, both hips, abdomen, right inner arm and buttocks",
      "left thigh 1.0" NBSP "mm, both hips 1.0" NBSP "mm, abdomen 1.0" NBSP "mm, "
      "right inner arm 0.5" NBSP "mm and buttocks 1.0" NBSP "mm" },
    { "de", "linker Oberschenkel, beide Hüften, Bauch, Innenseite des rechten Arms und Gesäß",
      "linker Oberschenkel 1,0" NBSP "mm, beide Hüften 1,0" NBSP "mm, Bauch 1,0" NBSP "mm, "
      "Innenseite des rechten Arms 0,5" NBSP "mm und Gesäß 1,0" NBSP "mm" },
    { "fr", "cuisse gauche, les deux hanches, ventre, intérieur du bras droit et fesses",
      "cuisse gauche 1,0" NBSP "mm, les deux hanches 1,0" NBSP "mm, ventre 1,0" NBSP "mm, "
      "intérieur du bras droit 0,5" NBSP "mm et fesses 1,0" NBSP "mm" },
    { "es", "muslo izquierdo, ambas caderas, abdomen, cara interna del brazo derecho y glúteos",
      "muslo izquierdo 1,0" NBSP "mm, ambas caderas 1,0" NBSP "mm, abdomen 1,0" NBSP "mm, "
      "cara interna del brazo derecho 0,5" NBSP "mm y glúteos 1,0" NBSP "mm" },
  };
  g_autoptr(StriaeConsultation) consultation = striae_consultation_new ();
  g_autoptr(StriaePatient) patient = striae_patient_new ();
  g_autoptr(StriaeSheetTemplate) old_copy = NULL;
  g_autoptr(StriaeSheetContext) context = NULL;
  g_autoptr(GError) error = NULL;

  add_sided_area (consultation, STRIAE_BODY_SITE_THIGHS, STRIAE_SIDE_LEFT, 1.0);
  add_sided_area (consultation, STRIAE_BODY_SITE_HIPS, STRIAE_SIDE_BOTH, 1.0);
  add_sided_area (consultation, STRIAE_BODY_SITE_ABDOMEN, STRIAE_SIDE_NOT_APPLICABLE, 1.0);
  add_sided_area (consultation, STRIAE_BODY_SITE_INNER_ARMS, STRIAE_SIDE_RIGHT, 0.5);
  add_sided_area (consultation, STRIAE_BODY_SITE_BUTTOCKS, STRIAE_SIDE_NOT_RECORDED, 1.0);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(StriaeSheetTemplate) template = load_in ("consent", cases[i].language);

      g_test_message ("sheet language %s", cases[i].language);
      g_clear_object (&context);
      context = striae_sheet_compose_context (template, patient, consultation, NULL, &clinic,
                                              NULL);
      g_assert_cmpstr (striae_sheet_context_get_value (context, "plan.areas"), ==,
                       cases[i].areas);
      g_assert_cmpstr (striae_sheet_context_get_value (context, "plan.needle_depth"), ==,
                       cases[i].depths);
    }

  /* A clinic's German copy from before sides names the sites in German, without the side,
   * rather than mixing in English words. */
  old_copy = striae_sheet_template_new_from_data ("<sheet version=\"1\" title=\"T\">\n"
                                                  "<labels and=\"und\" "
                                                  "area-thighs=\"Oberschenkel\" "
                                                  "area-hips=\"Hüften\" area-abdomen=\"Bauch\"/>\n"
                                                  "<section id=\"a\" title=\"A\">\n"
                                                  "<p id=\"b\">{plan.areas}</p>\n"
                                                  "</section>\n</sheet>\n", -1, "old.xml",
                                                  NULL, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&context);
  context = striae_sheet_compose_context (old_copy, patient, consultation, NULL, &clinic, NULL);
  g_assert_cmpstr (striae_sheet_context_get_value (context, "plan.areas"), ==,
                   "Oberschenkel, Hüften, Bauch, right inner arm und buttocks");
}

static void
test_language_choice (void)
{
  g_autoptr(StriaePatient) patient = striae_patient_new ();
  g_autoptr(StriaeSheetTemplate) template = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("striae-composer-XXXXXX", NULL);
  g_autofree char *warning = NULL;
  const StriaeClinicSettings german = { .language = "it" };

  /* A clinic's French sheet: a French-speaking patient (pt_BR style code too) gets it. */
  write_template (dir, "fr", "aftercare", "tretinoin");
  striae_patient_set_language (patient, "fr_CA");
  template = striae_sheet_load_for_patient ("aftercare", NULL, patient, &german, dir,
                                            &warning, &error);
  g_assert_no_error (error);
  g_assert_null (warning);
  g_assert_cmpstr (striae_sheet_template_get_language (template), ==, "fr");
  g_clear_object (&template);

  /* No such language anywhere: the clinic's default (Italian, missing too), then English. */
  striae_patient_set_language (patient, "sv");
  template = striae_sheet_load_for_patient ("aftercare", NULL, patient, &german, dir, NULL,
                                            &error);
  g_assert_no_error (error);
  g_assert_cmpstr (striae_sheet_template_get_language (template), ==, "en");
  g_assert_true (striae_sheet_template_is_built_in (template));
  g_clear_object (&template);

  /* Austrian German finds the shipped German sheets. */
  striae_patient_set_language (patient, "de_AT");
  template = striae_sheet_load_for_patient ("aftercare", NULL, patient, &german, dir, NULL,
                                            &error);
  g_assert_no_error (error);
  g_assert_cmpstr (striae_sheet_template_get_language (template), ==, "de");
  g_clear_object (&template);

  remove_template (dir, "fr", "aftercare");
  g_rmdir (dir);
}

/* The sheets know exactly the core's facts: a template may test any fact the core computes
 * ("tretinoin" was missing from the sheets' own list once) and none other. */
static void
test_facts_follow_core (void)
{
  const char * const *facts = striae_sheet_default_facts ();
  const StriaeFactInfo *info;
  g_autoptr(StriaeSheetTemplate) template = NULL;
  g_autoptr(GError) error = NULL;
  guint n_facts = 0;
  guint n_sheet_facts;

  info = striae_facts_get_all (&n_facts);
  n_sheet_facts = g_strv_length ((char **) facts);
  g_assert_cmpuint (n_sheet_facts, ==, n_facts);
  for (guint i = 0; i < n_facts; i++)
    g_assert_true (g_strv_contains (facts, info[i].name));
  for (guint i = 0; facts[i] != NULL; i++)
    g_assert_true (striae_fact_is_known (facts[i]));

  template = striae_sheet_template_new_from_data ("<sheet version=\"1\" title=\"T\">\n"
                                                  "<section id=\"a\" title=\"A\">\n"
                                                  "<p id=\"b\" if=\"tretinoin deep-needling\">"
                                                  "x</p>\n</section>\n</sheet>\n", -1, "t.xml",
                                                  NULL, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&template);

  template = striae_sheet_template_new_from_data ("<sheet version=\"1\" title=\"T\">\n"
                                                  "<section id=\"a\" title=\"A\">\n"
                                                  "<p id=\"b\" if=\"sunburnt\">x</p>\n"
                                                  "</section>\n</sheet>\n", -1, "t.xml",
                                                  NULL, NULL, &error);
  g_assert_error (error, STRIAE_SHEET_ERROR, STRIAE_SHEET_ERROR_UNKNOWN_FACT);
  g_assert_nonnull (strstr (error->message, "t.xml:3"));
  g_assert_null (template);
}

static void
test_sheet_names (void)
{
  g_autoptr(GError) error = NULL;
  const char *name = NULL;

  g_assert_true (striae_sheet_name_from_string ("pre", &name, NULL));
  g_assert_cmpstr (name, ==, "pre-treatment");
  g_assert_true (striae_sheet_name_from_string ("aftercare", &name, NULL));
  g_assert_cmpstr (name, ==, "aftercare");
  g_assert_true (striae_sheet_name_from_string ("consent", &name, NULL));
  g_assert_cmpstr (name, ==, "consent");
  g_assert_false (striae_sheet_name_from_string ("Consent", &name, &error));
  g_assert_error (error, STRIAE_SHEET_ERROR, STRIAE_SHEET_ERROR_NOT_FOUND);
}

/* The plan page lists a sheet's items as the sheet prints them for this patient: placeholders
 * filled, dates in the template's words, a missing value as the printed blank line. */
static void
test_filled_item_text (void)
{
  static const char xml[] =
    "<sheet version=\"1\" title=\"Dates\">\n"
    "  <section id=\"s\" title=\"S\"><list>\n"
    "    <item id=\"born\">Born {patient.birth_date}, seen {sheet.date} {{not a placeholder}}"
    "</item>\n"
    "  </list></section>\n"
    "</sheet>\n";
  g_autoptr(StriaePatient) patient = NULL;
  g_autoptr(StriaeConsultation) consultation = NULL;
  g_autoptr(StriaeRecommendation) recommendation = NULL;
  g_autoptr(StriaeSheetTemplate) template = load ("consent");
  g_autoptr(StriaeSheetTemplate) dates = NULL;
  g_autoptr(StriaeSheetContext) context = NULL;
  g_autoptr(GError) error = NULL;
  const StriaeClinicSettings no_practitioner = { .name = "Clinic", .paper = STRIAE_PAPER_A4 };
  GDate sheet_date;
  char *text;

  make_adult (&patient, &consultation);
  recommendation = recommend_for (patient, consultation);
  g_date_clear (&sheet_date, 1);
  g_date_set_dmy (&sheet_date, 12, G_DATE_JANUARY, 2027);
  context = striae_sheet_compose_context (template, patient, consultation, recommendation,
                                          &clinic, &sheet_date);

  text = striae_sheet_template_dup_item_text (template, "plan-areas");
  g_assert_cmpstr (text, ==, "Areas: {plan.areas}");
  g_free (text);
  text = striae_sheet_template_dup_item_text_filled (template, "plan-areas", context);
  g_assert_cmpstr (text, ==, "Areas: abdomen and thighs");
  g_free (text);
  text = striae_sheet_template_dup_item_text_filled (template, "plan-sessions", context);
  g_assert_cmpstr (text, ==, "Sessions: 4, about 6" NBSP "weeks apart");
  g_free (text);
  text = striae_sheet_template_dup_item_text_filled (template, "plan-practitioner", context);
  g_assert_cmpstr (text, ==, "Practitioner: Dr Hélène Marchand");
  g_free (text);
  g_assert_null (striae_sheet_template_dup_item_text_filled (template, "no-such-item", context));

  /* Nobody named a practitioner: the line to fill in by hand, as printed. */
  g_clear_object (&context);
  context = striae_sheet_compose_context (template, patient, consultation, recommendation,
                                          &no_practitioner, &sheet_date);
  text = striae_sheet_template_dup_item_text_filled (template, "plan-practitioner", context);
  g_assert_cmpstr (text, ==, "Practitioner: ____________");
  g_free (text);

  /* Dates in the template's own format; a doubled brace is a brace. */
  dates = striae_sheet_template_new_from_data (xml, -1, "dates/en/dates.xml", NULL, NULL,
                                               &error);
  g_assert_no_error (error);
  g_clear_object (&context);
  context = striae_sheet_compose_context (dates, patient, consultation, recommendation,
                                          &clinic, &sheet_date);
  text = striae_sheet_template_dup_item_text_filled (dates, "born", context);
  g_assert_cmpstr (text, ==, "Born 1990-05-12, seen 2027-01-12 {not a placeholder}");
  g_free (text);
}

/* Fills @consultation's plan as the consent needs it, checks it may be given, then empties
 * one field with @unset and checks that the consent is refused with @sentence, and that a
 * draft can still be composed, marked as such, and not exported. */
static void
check_consent_refusal (const char *sentence,
                       void      (*unset) (StriaeConsultation *consultation))
{
  g_autoptr(StriaePatient) patient = NULL;
  g_autoptr(StriaeConsultation) consultation = NULL;
  g_autoptr(StriaeSheet) sheet = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *unfinished = NULL;
  g_autofree char *dir = g_dir_make_tmp ("striae-refusal-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "consent.pdf", NULL);

  make_adult (&patient, &consultation);
  g_assert_true (striae_sheet_check_printable ("consent", patient, consultation, NULL, &clinic,
                                               &error));
  g_assert_no_error (error);

  unset (consultation);
  g_assert_false (striae_sheet_check_printable ("consent", patient, consultation, NULL, &clinic,
                                                &error));
  g_assert_error (error, STRIAE_SHEET_ERROR, STRIAE_SHEET_ERROR_UNFINISHED);
  g_assert_cmpstr (error->message, ==, sentence);
  g_clear_error (&error);

  sheet = striae_sheet_compose (&(StriaeSheetRequest) {
      .name = "consent",
      .language = "en",
      .patient = patient,
      .consultation = consultation,
      .clinic = &clinic,
      .override_dir = dir,
    },
    NULL, NULL, &error);
  g_assert_error (error, STRIAE_SHEET_ERROR, STRIAE_SHEET_ERROR_UNFINISHED);
  g_assert_null (sheet);
  g_clear_error (&error);

  sheet = striae_sheet_compose (&(StriaeSheetRequest) {
      .name = "consent",
      .language = "en",
      .patient = patient,
      .consultation = consultation,
      .clinic = &clinic,
      .override_dir = dir,
    },
    &unfinished, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (striae_sheet_get_draft (sheet));
  g_assert_cmpstr (unfinished, ==, sentence);
  g_assert_false (striae_sheet_export_pdf (sheet, path, &error));
  g_assert_error (error, STRIAE_SHEET_ERROR, STRIAE_SHEET_ERROR_UNFINISHED);
  /* The refusal says what the draft lacks, not a guess. */
  g_assert_true (g_str_has_suffix (error->message, sentence));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_rmdir (dir);
}

static void
unset_sessions (StriaeConsultation *consultation)
{
  striae_plan_set_sessions (striae_consultation_get_plan (consultation), 0);
}

static void
unset_interval (StriaeConsultation *consultation)
{
  striae_plan_set_interval_weeks (striae_consultation_get_plan (consultation), 0);
}

/* Neither chosen nor recommended: the severity is not recorded either. */
static void
unset_depth (StriaeConsultation *consultation)
{
  g_autoptr(StriaeArea) area = g_list_model_get_item (striae_consultation_get_areas (consultation),
                                                      1);

  striae_area_set_depth (area, 0.0);
  striae_area_set_severity (area, STRIAE_SEVERITY_NOT_SET);
}

static void
unset_areas (StriaeConsultation *consultation)
{
  GListModel *areas = striae_consultation_get_areas (consultation);

  while (g_list_model_get_n_items (areas) > 0)
    striae_consultation_remove_area (consultation, 0);
}

static void
test_refusals (void)
{
  g_autoptr(StriaePatient) patient = NULL;
  g_autoptr(StriaeConsultation) consultation = NULL;
  g_autoptr(StriaeScreening) screening = NULL;
  g_autoptr(StriaeRules) rules = striae_rules_new ();
  g_autoptr(GError) error = NULL;
  StriaeClinicSettings no_phone = clinic;
  const struct {
    const char *name;
    const char *sentence;
  } phone_sentences[] = {
    { "aftercare", "Set the clinic’s phone number in Preferences → Clinic: the aftercare sheet "
                   "tells patients when to call." },
    { "pre", "Set the clinic’s phone number in Preferences → Clinic: the pre-treatment sheet "
             "tells patients whom to call with questions." },
    { "consent", "Set the clinic’s phone number in Preferences → Clinic: the consent form tells "
                 "patients whom to call with questions." },
  };
  GDate today;

  /* Every sheet needs the clinic's phone; a blank one is no phone. */
  make_adult (&patient, &consultation);
  for (guint i = 0; i < G_N_ELEMENTS (phone_sentences); i++)
    for (guint blank = 0; blank < 2; blank++)
      {
        no_phone.phone = blank ? "  " : NULL;
        g_assert_false (striae_sheet_check_printable (phone_sentences[i].name, patient,
                                                      consultation, NULL, &no_phone, &error));
        g_assert_error (error, STRIAE_SHEET_ERROR, STRIAE_SHEET_ERROR_UNFINISHED);
        g_assert_cmpstr (error->message, ==, phone_sentences[i].sentence);
        g_clear_error (&error);
      }

  /* A finished consultation's sheet without the phone is a draft; saving it says to set the
   * phone, not to finish the consultation. */
  {
    g_autoptr(StriaeSheet) draft = NULL;
    g_autofree char *unfinished = NULL;
    g_autofree char *dir = g_dir_make_tmp ("striae-no-phone-XXXXXX", NULL);
    g_autofree char *path = g_build_filename (dir, "aftercare.pdf", NULL);

    no_phone.phone = NULL;
    draft = striae_sheet_compose (&(StriaeSheetRequest) {
        .name = "aftercare",
        .language = "en",
        .patient = patient,
        .consultation = consultation,
        .clinic = &no_phone,
        .override_dir = dir,
      },
      &unfinished, NULL, &error);
    g_assert_no_error (error);
    g_assert_true (striae_sheet_get_draft (draft));
    g_assert_false (striae_sheet_export_pdf (draft, path, &error));
    g_assert_error (error, STRIAE_SHEET_ERROR, STRIAE_SHEET_ERROR_UNFINISHED);
    g_assert_cmpstr (error->message, ==, "A draft sheet is not for the patient and is not "
                     "saved. Set the clinic’s phone number in Preferences → Clinic: the "
                     "aftercare sheet tells patients when to call.");
    g_clear_error (&error);
    g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
    g_rmdir (dir);
  }

  /* The consent needs sessions, their interval and every area's depth. */
  check_consent_refusal ("Set the number of sessions on the Plan page: the consent form "
                         "states it.", unset_sessions);
  check_consent_refusal ("Set the interval between sessions on the Plan page: the consent form "
                         "states it.", unset_interval);
  check_consent_refusal ("Choose the needle depth for “Thighs” on the Plan page: the consent "
                         "form states it.", unset_depth);
  check_consent_refusal ("Add the areas to treat on the Stretch marks page: the consent form "
                         "names them.", unset_areas);

  /* A relative finding (Fitzpatrick V) not acknowledged: every sheet waits for it, in the
   * core's words; acknowledged, the sheet may be given. */
  striae_skin_set_fitzpatrick (striae_consultation_get_skin (consultation), 5);
  g_assert_false (striae_sheet_check_printable ("aftercare", patient, consultation, NULL,
                                                &clinic, &error));
  g_assert_error (error, STRIAE_SHEET_ERROR, STRIAE_SHEET_ERROR_UNFINISHED);
  g_assert_nonnull (strstr (error->message, "Acknowledge “"));
  g_clear_error (&error);
  striae_get_today (&today);
  screening = striae_screen (consultation, rules, NULL, &today);
  for (guint i = 0; i < g_list_model_get_n_items (striae_screening_get_findings (screening)); i++)
    {
      g_autoptr(StriaeFinding) finding =
        g_list_model_get_item (striae_screening_get_findings (screening), i);

      striae_consultation_set_acknowledged (consultation, striae_finding_get_id (finding), TRUE);
    }
  g_assert_true (striae_sheet_check_printable ("aftercare", patient, consultation, NULL,
                                               &clinic, &error));
  g_assert_no_error (error);
}

/* A draft carries "Draft — not for the patient" across each page: the page drawn differs
 * from the same sheet drawn as given, in red, at the page's centre. */
static void
test_draft_mark (void)
{
  g_autoptr(StriaePatient) patient = NULL;
  g_autoptr(StriaeConsultation) consultation = NULL;
  g_autoptr(StriaeSheet) sheet = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *empty_dir = g_dir_make_tmp ("striae-draft-XXXXXX", NULL);
  guint red_pixels[2] = { 0, 0 };

  make_adult (&patient, &consultation);
  sheet = striae_sheet_compose (&(StriaeSheetRequest) {
      .name = "aftercare",
      .language = "en",
      .patient = patient,
      .consultation = consultation,
      .clinic = &clinic,
      .override_dir = empty_dir,
    },
    NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (striae_sheet_get_draft (sheet));

  for (guint draft = 0; draft < 2; draft++)
    for (guint page = 0; page < striae_sheet_get_n_pages (sheet); page++)
      {
        cairo_surface_t *surface;
        cairo_t *cr;
        guint32 *pixels;
        int width, height, stride;
        guint red = 0;

        striae_sheet_set_draft (sheet, draft ? "Sign the consultation first." : NULL);
        surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 306, 396);
        cr = cairo_create (surface);
        cairo_scale (cr, 0.5, 0.5);
        striae_sheet_draw_page (sheet, cr, page);
        cairo_destroy (cr);
        cairo_surface_flush (surface);
        pixels = (guint32 *) cairo_image_surface_get_data (surface);
        width = cairo_image_surface_get_width (surface);
        height = cairo_image_surface_get_height (surface);
        stride = cairo_image_surface_get_stride (surface) / 4;
        for (int y = 0; y < height; y++)
          for (int x = 0; x < width; x++)
            {
              guint32 p = pixels[y * stride + x];
              guint r = (p >> 16) & 0xff, g = (p >> 8) & 0xff, b = p & 0xff;

              if (r > 200 && g < 200 && b < 200 && r - g > 40)
                red++;
            }
        cairo_surface_destroy (surface);
        /* Each page of a draft carries the mark; a sheet to give has no red at all. */
        if (draft)
          g_assert_cmpuint (red, >, 1000);
        else
          g_assert_cmpuint (red, ==, 0);
        red_pixels[draft] += red;
      }
  g_test_message ("red pixels: %u given, %u draft", red_pixels[0], red_pixels[1]);
  g_rmdir (empty_dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sheet-composer/adult", test_adult);
  g_test_add_func ("/sheet-composer/minor", test_minor);
  g_test_add_func ("/sheet-composer/compose-and-block", test_compose_and_block);
  g_test_add_func ("/sheet-composer/language-choice", test_language_choice);
  g_test_add_func ("/sheet-composer/german-sheet", test_german_sheet);
  g_test_add_func ("/sheet-composer/french-areas", test_french_areas);
  g_test_add_func ("/sheet-composer/sided-areas", test_sided_areas);
  g_test_add_func ("/sheet-composer/facts-follow-core", test_facts_follow_core);
  g_test_add_func ("/sheet-composer/sheet-names", test_sheet_names);
  g_test_add_func ("/sheet-composer/filled-item-text", test_filled_item_text);
  g_test_add_func ("/sheet-composer/refusals", test_refusals);
  g_test_add_func ("/sheet-composer/draft-mark", test_draft_mark);

  return g_test_run ();
}
