/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What a sheet says must be true for the patient it is printed for, in every language. Each
 * test builds a consultation that contradicts a sentence a sheet once printed, composes the
 * sheet as the window and the command line do (striae_sheet_compose()) and checks which of the
 * template's elements are printed. */
#include <glib/gstdio.h>
#include <poppler.h>
#include <string.h>

#include "striae-screening.h"
#include "striae-sheet-composer.h"
#include "striae-sheet-error.h"
#include "striae-test-date.h"

static const char * const languages[] = { "en", "de", "fr", "es" };

static const StriaeClinicSettings clinic = {
  .name = "Clinique Étoile",
  .address = "1 rue de la Paix\n75002 Paris",
  .phone = "+33 1 23 45 67 89",
  .email = "contact@etoile.example",
  .logo_path = NULL,
  .paper = STRIAE_PAPER_A4,
  .practitioner = "Dr Hélène Marchand",
  .language = "en",
};

static void
set_day (GDate      *date,
         const char *iso)
{
  g_assert_true (striae_parse_date (iso, date, NULL));
}

static void
add_area (StriaeConsultation *c,
          StriaeBodySite      site,
          StriaeMarkType      type)
{
  g_autoptr(StriaeArea) area = striae_area_new (site);

  striae_area_set_severity (area, STRIAE_SEVERITY_MODERATE);
  striae_area_set_mark_type (area, type);
  striae_area_set_depth (area, 1.0);
  striae_consultation_add_area (c, area);
}

/* An adult answering no to every question, white marks on the abdomen, four sessions six
 * weeks apart from 1 December 2026 (1 Dec, 12 Jan, 23 Feb, 6 Apr), maintenance every six
 * months, numbing cream. */
static void
make_patient (StriaePatient      **patient,
              StriaeConsultation **consultation)
{
  StriaePatient *p = striae_patient_new ();
  StriaeConsultation *c = striae_consultation_new ();
  StriaePlan *plan = striae_consultation_get_plan (c);
  StriaeSkin *skin = striae_consultation_get_skin (c);

  striae_patient_set_given_name (p, "Inès");
  striae_patient_set_family_name (p, "Okafor");
  striae_patient_set_birth_date (p, striae_test_date ("1988-03-14"));

  striae_consultation_set_id (c, 3);
  for (guint q = 0; q < STRIAE_N_QUESTIONS; q++)
    striae_history_set_answer (striae_consultation_get_history (c), q, STRIAE_ANSWER_NO);
  for (guint f = 0; f < STRIAE_N_SKIN_FACTS; f++)
    striae_skin_set_fact (skin, f, STRIAE_ANSWER_NO);
  striae_skin_set_fitzpatrick (skin, 2);
  add_area (c, STRIAE_BODY_SITE_ABDOMEN, STRIAE_MARK_TYPE_ALBAE);

  striae_plan_set_device (plan, STRIAE_DEVICE_PEN);
  striae_plan_set_sessions (plan, 4);
  striae_plan_set_interval_weeks (plan, 6);
  striae_plan_set_first_session (plan, striae_test_date ("2026-12-01"));
  striae_plan_set_maintenance_months (plan, 6);
  striae_plan_set_numbing_cream (plan, TRUE);

  *patient = p;
  *consultation = c;
}

/* A relative finding is printed only once the practitioner has acknowledged it. */
static void
acknowledge_all (StriaeConsultation *c)
{
  g_autoptr(StriaeRules) rules = striae_rules_new ();
  g_autoptr(StriaeScreening) screening = NULL;
  GListModel *findings;
  GDate today;

  striae_get_today (&today);
  screening = striae_screen (c, rules, NULL, &today);
  findings = striae_screening_get_findings (screening);
  for (guint i = 0; i < g_list_model_get_n_items (findings); i++)
    {
      g_autoptr(StriaeFinding) finding = g_list_model_get_item (findings, i);

      striae_consultation_set_acknowledged (c, striae_finding_get_id (finding), TRUE);
    }
}

static void
answer_yes (StriaeConsultation *c,
            StriaeQuestion      question)
{
  striae_history_set_answer (striae_consultation_get_history (c), question, STRIAE_ANSWER_YES);
  acknowledge_all (c);
}

static StriaeSheet *
compose (const char         *name,
         const char         *language,
         StriaePatient      *patient,
         StriaeConsultation *consultation,
         const char         *day)
{
  g_autoptr(GError) error = NULL;
  StriaeSheet *sheet;
  GDate date;

  set_day (&date, day);
  sheet = striae_sheet_compose (&(StriaeSheetRequest) {
      .name = name,
      .language = language,
      .patient = patient,
      .consultation = consultation,
      .clinic = &clinic,
      .sheet_date = &date,
    },
    NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (sheet);
  return sheet;
}

/* Checks in every language that the elements of @present are printed and those of @absent
 * are not. */
static void
assert_items (const char          *name,
              StriaePatient       *patient,
              StriaeConsultation  *consultation,
              const char          *day,
              const char * const  *present,
              const char * const  *absent)
{
  for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
    {
      g_autoptr(StriaeSheet) sheet = compose (name, languages[l], patient, consultation, day);

      for (guint i = 0; present != NULL && present[i] != NULL; i++)
        {
          g_test_message ("%s %s on %s: %s printed", languages[l], name, day, present[i]);
          g_assert_true (striae_sheet_has_item (sheet, present[i]));
        }
      for (guint i = 0; absent != NULL && absent[i] != NULL; i++)
        {
          g_test_message ("%s %s on %s: %s left out", languages[l], name, day, absent[i]);
          g_assert_false (striae_sheet_has_item (sheet, absent[i]));
        }
    }
}

#define IDS(...) ((const char * const []) { __VA_ARGS__, NULL })

/* 1. "This is a maintenance session" only once the course is done. */
static void
test_maintenance_after_course (void)
{
  g_autoptr(StriaePatient) patient = NULL;
  g_autoptr(StriaeConsultation) consultation = NULL;

  make_patient (&patient, &consultation);
  /* Before the first session, on a session day of the course, on the last one. */
  assert_items ("pre-treatment", patient, consultation, "2026-11-20", NULL,
                IDS ("about-maintenance"));
  assert_items ("pre-treatment", patient, consultation, "2027-01-12", NULL,
                IDS ("about-maintenance"));
  assert_items ("pre-treatment", patient, consultation, "2027-04-06", NULL,
                IDS ("about-maintenance"));
  /* After the course: the next session is the maintenance one. */
  assert_items ("pre-treatment", patient, consultation, "2027-09-20",
                IDS ("about-maintenance"), NULL);
  /* The aftercare still suggests maintenance during the course. */
  assert_items ("aftercare", patient, consultation, "2027-01-12", IDS ("maintenance"), NULL);

  /* Without maintenance, never. */
  striae_plan_set_maintenance_months (striae_consultation_get_plan (consultation), 0);
  assert_items ("pre-treatment", patient, consultation, "2027-09-20", NULL,
                IDS ("about-maintenance"));
  assert_items ("aftercare", patient, consultation, "2027-01-12", NULL, IDS ("maintenance"));
}

/* 2. A bleeding disorder warns of bleeding and bruising, without speaking of medicine. */
static void
test_bleeding_disorder (void)
{
  g_autoptr(StriaePatient) patient = NULL;
  g_autoptr(StriaeConsultation) consultation = NULL;

  make_patient (&patient, &consultation);
  assert_items ("aftercare", patient, consultation, "2027-01-12", NULL,
                IDS ("bruising", "bruising-disorder"));

  answer_yes (consultation, STRIAE_QUESTION_BLEEDING_DISORDER);
  assert_items ("aftercare", patient, consultation, "2027-01-12", IDS ("bruising-disorder"),
                IDS ("bruising"));
  assert_items ("consent", patient, consultation, "2026-11-20",
                IDS ("risk-bruising-disorder"), IDS ("risk-bruising"));
  assert_items ("pre-treatment", patient, consultation, "2026-11-20", NULL,
                IDS ("blood-thinners"));

  answer_yes (consultation, STRIAE_QUESTION_ANTICOAGULANTS);
  assert_items ("consent", patient, consultation, "2026-11-20",
                IDS ("risk-bruising", "risk-bruising-disorder"), NULL);
}

/* 3. Numbing cream follows the allergy, not a stored plan that still says cream. */
static void
test_numbing_follows_allergy (void)
{
  g_autoptr(StriaePatient) patient = NULL;
  g_autoptr(StriaeConsultation) consultation = NULL;
  StriaePlan *plan;

  make_patient (&patient, &consultation);
  plan = striae_consultation_get_plan (consultation);
  assert_items ("pre-treatment", patient, consultation, "2026-11-20", IDS ("numbing"),
                IDS ("no-numbing"));

  answer_yes (consultation, STRIAE_QUESTION_ALLERGY_ANAESTHETIC);
  g_assert_true (striae_plan_get_numbing_cream (plan));
  assert_items ("pre-treatment", patient, consultation, "2026-11-20", IDS ("no-numbing"),
                IDS ("numbing"));

  /* No cream by choice, without an allergy: no sentence gives an allergy as the reason. */
  g_clear_object (&patient);
  g_clear_object (&consultation);
  make_patient (&patient, &consultation);
  striae_plan_set_numbing_cream (striae_consultation_get_plan (consultation), FALSE);
  assert_items ("pre-treatment", patient, consultation, "2026-11-20", NULL,
                IDS ("numbing", "no-numbing"));
}

/* 5. White marks on one area and red ones on another: one sentence for both. */
static void
test_mixed_marks (void)
{
  g_autoptr(StriaePatient) patient = NULL;
  g_autoptr(StriaeConsultation) consultation = NULL;

  make_patient (&patient, &consultation);
  assert_items ("consent", patient, consultation, "2026-11-20", IDS ("results-albae"),
                IDS ("results-rubrae", "results-mixed"));

  add_area (consultation, STRIAE_BODY_SITE_THIGHS, STRIAE_MARK_TYPE_RUBRAE);
  assert_items ("consent", patient, consultation, "2026-11-20", IDS ("results-mixed"),
                IDS ("results-rubrae", "results-albae"));
}

/* 6. "You had microneedling today" only on the day of a session. */
static void
test_aftercare_day (void)
{
  g_autoptr(StriaePatient) patient = NULL;
  g_autoptr(StriaeConsultation) consultation = NULL;

  make_patient (&patient, &consultation);
  /* The consultation, a week before the first session. */
  assert_items ("aftercare", patient, consultation, "2026-11-24", IDS ("treatment-intro"),
                IDS ("today-intro"));
  assert_items ("aftercare", patient, consultation, "2026-12-01", IDS ("today-intro"),
                IDS ("treatment-intro"));
  assert_items ("aftercare", patient, consultation, "2027-02-23", IDS ("today-intro"),
                IDS ("treatment-intro"));
  /* The maintenance session six months after the last (6 Apr 2027), on the course's
   * Tuesday: 5 Oct 2027, not Wednesday 6 Oct. */
  assert_items ("aftercare", patient, consultation, "2027-10-05", IDS ("today-intro"),
                IDS ("treatment-intro"));
  assert_items ("aftercare", patient, consultation, "2027-10-06", IDS ("treatment-intro"),
                IDS ("today-intro"));

  /* No dates booked: nothing says the patient was treated today. */
  striae_plan_set_first_session (striae_consultation_get_plan (consultation), NULL);
  assert_items ("aftercare", patient, consultation, "2026-12-01", IDS ("treatment-intro"),
                IDS ("today-intro"));
}

/* Tretinoin in the plan: paused before each session, restarted after, explained in the
 * consent; a patient already on retinoids keeps the retinoid sentences instead. */
static void
test_tretinoin (void)
{
  g_autoptr(StriaePatient) patient = NULL;
  g_autoptr(StriaeConsultation) consultation = NULL;

  make_patient (&patient, &consultation);
  assert_items ("pre-treatment", patient, consultation, "2026-11-20", NULL,
                IDS ("tretinoin-pause", "retinoids"));
  striae_plan_set_adjuncts (striae_consultation_get_plan (consultation),
                            STRIAE_ADJUNCT_TRETINOIN);
  assert_items ("pre-treatment", patient, consultation, "2026-11-20",
                IDS ("tretinoin-pause"), IDS ("retinoids"));
  assert_items ("aftercare", patient, consultation, "2026-12-01",
                IDS ("tretinoin-restart"), IDS ("retinoids-restart"));
  assert_items ("consent", patient, consultation, "2026-11-20", IDS ("how-tretinoin"), NULL);

  striae_skin_set_fact (striae_consultation_get_skin (consultation),
                        STRIAE_SKIN_FACT_RETINOIDS, STRIAE_ANSWER_YES);
  acknowledge_all (consultation);
  assert_items ("pre-treatment", patient, consultation, "2026-11-20", IDS ("retinoids"),
                IDS ("tretinoin-pause"));
}

static char *
dup_pdf_text (StriaeSheet *sheet,
              guint       *n_pages)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("striae-truth-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *uri = NULL;
  g_autoptr(GObject) document = NULL;
  GString *text = g_string_new (NULL);

  g_assert_no_error (error);
  path = g_build_filename (dir, "sheet.pdf", NULL);
  g_assert_true (striae_sheet_export_pdf (sheet, path, &error));
  g_assert_no_error (error);
  uri = g_filename_to_uri (path, NULL, NULL);
  document = G_OBJECT (poppler_document_new_from_file (uri, NULL, &error));
  g_assert_no_error (error);

  *n_pages = poppler_document_get_n_pages (POPPLER_DOCUMENT (document));
  for (guint i = 0; i < *n_pages; i++)
    {
      g_autoptr(GObject) page = NULL;
      g_autofree char *page_text = NULL;

      page = G_OBJECT (poppler_document_get_page (POPPLER_DOCUMENT (document), i));
      page_text = poppler_page_get_text (POPPLER_PAGE (page));

      g_string_append (text, page_text);
      g_string_append_c (text, '\n');
    }

  g_unlink (path);
  g_rmdir (dir);
  /* One line: a sentence may be broken anywhere on the page. */
  g_strdelimit (text->str, "\n", ' ');
  return g_string_free (text, FALSE);
}

/* 7. What the practitioner adds to the consent is its own section, not a "less common"
 * risk. */
static void
test_consent_added_items (void)
{
  static const char * const headings[][3] = {
    /* language, the added section, the one after it */
    { "en", "Added for you", "Other choices" },
    { "de", "Für Sie ergänzt", "Andere Möglichkeiten" },
    { "fr", "Ajouté pour vous", "Autres possibilités" },
    { "es", "Añadido para usted", "Otras opciones" },
  };
  const char *added[] = { "I agree to photographs of the area for my record.", NULL };
  g_autoptr(StriaePatient) patient = NULL;
  g_autoptr(StriaeConsultation) consultation = NULL;

  make_patient (&patient, &consultation);
  assert_items ("consent", patient, consultation, "2026-11-20", NULL, IDS ("added-intro"));

  striae_consultation_set_added_items (consultation, added);
  for (guint l = 0; l < G_N_ELEMENTS (headings); l++)
    {
      g_autoptr(StriaeSheet) sheet = compose ("consent", headings[l][0], patient, consultation,
                                              "2026-11-20");
      g_autofree char *text = NULL;
      const char *section, *item, *next;
      guint n_pages;

      g_assert_true (striae_sheet_has_item (sheet, "added-intro"));
      text = dup_pdf_text (sheet, &n_pages);
      section = strstr (text, headings[l][1]);
      item = strstr (text, "photographs of the area");
      next = strstr (text, headings[l][2]);
      g_test_message ("%s: section %p, item %p, next %p", headings[l][0],
                      (void *) section, (void *) item, (void *) next);
      g_assert_nonnull (section);
      g_assert_nonnull (item);
      g_assert_nonnull (next);
      g_assert_true (section < item && item < next);
    }
}

/* The consent gives the plan's maintenance interval, as the aftercare does. */
static void
test_consent_maintenance (void)
{
  g_autoptr(StriaePatient) patient = NULL;
  g_autoptr(StriaeConsultation) consultation = NULL;
  g_autoptr(StriaeSheet) consent = NULL;
  g_autofree char *text = NULL;
  guint n_pages;

  make_patient (&patient, &consultation);
  striae_plan_set_maintenance_months (striae_consultation_get_plan (consultation), 4);
  consent = compose ("consent", "en", patient, consultation, "2026-11-20");
  text = dup_pdf_text (consent, &n_pages);
  g_assert_nonnull (strstr (text, "maintenance session every 4 months"));
  g_assert_null (strstr (text, "4 to 6 months"));

  striae_plan_set_maintenance_months (striae_consultation_get_plan (consultation), 0);
  assert_items ("consent", patient, consultation, "2026-11-20",
                IDS ("results-maintenance-maybe"), IDS ("results-maintenance"));
}

/* 8. The aftercare of a 4-session plan (four rows to come with maintenance) fits two pages,
 * in every language on A4 and in English on US Letter. */
static void
test_aftercare_two_pages (void)
{
  g_autoptr(StriaePatient) patient = NULL;
  g_autoptr(StriaeConsultation) consultation = NULL;
  StriaeClinicSettings letter = clinic;
  g_autoptr(StriaeSheet) english = NULL;
  g_autoptr(GError) error = NULL;
  GDate day;

  make_patient (&patient, &consultation);
  for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
    {
      g_autoptr(StriaeSheet) sheet = compose ("aftercare", languages[l], patient,
                                              consultation, "2026-12-01");

      g_test_message ("%s aftercare: %u pages", languages[l], striae_sheet_get_n_pages (sheet));
      g_assert_cmpuint (striae_sheet_get_n_pages (sheet), <=, 2);
      /* "Your next sessions" lists the sessions to come, not today's. */
      g_assert_true (striae_sheet_has_item (sheet, "sessions"));
    }

  letter.paper = STRIAE_PAPER_US_LETTER;
  set_day (&day, "2026-12-01");
  english = striae_sheet_compose (&(StriaeSheetRequest) {
      .name = "aftercare",
      .language = "en",
      .patient = patient,
      .consultation = consultation,
      .clinic = &letter,
      .sheet_date = &day,
    },
    NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (striae_sheet_get_n_pages (english), <=, 2);
}

/* The aftercare's table holds the sessions after the sheet's day; after the last one, the
 * template's sentence for no booked session. */
static void
test_aftercare_next_sessions (void)
{
  g_autoptr(StriaePatient) patient = NULL;
  g_autoptr(StriaeConsultation) consultation = NULL;
  guint n_pages;

  make_patient (&patient, &consultation);
  {
    g_autoptr(StriaeSheet) sheet = compose ("aftercare", "en", patient, consultation,
                                            "2027-01-12");
    g_autofree char *text = dup_pdf_text (sheet, &n_pages);

    g_assert_null (strstr (text, "Tuesday 1 December 2026"));
    g_assert_null (strstr (text, "Tuesday 12 January 2027"));
    g_assert_nonnull (strstr (text, "Tuesday 23 February 2027"));
    /* The maintenance session keeps the course's weekday. */
    g_assert_nonnull (strstr (text, "Tuesday 5 October 2027"));
  }
  {
    g_autoptr(StriaeSheet) pre = compose ("pre-treatment", "en", patient, consultation,
                                          "2027-01-12");
    g_autofree char *text = dup_pdf_text (pre, &n_pages);

    /* The pre-treatment sheet keeps the whole course. */
    g_assert_nonnull (strstr (text, "Tuesday 1 December 2026"));
  }
  striae_plan_set_maintenance_months (striae_consultation_get_plan (consultation), 0);
  {
    g_autoptr(StriaeSheet) sheet = compose ("aftercare", "en", patient, consultation,
                                            "2027-04-06");
    g_autofree char *text = dup_pdf_text (sheet, &n_pages);

    g_assert_null (strstr (text, "Tuesday 6 April 2027"));
    g_assert_nonnull (strstr (text, "We will call you to book your next session."));
  }
}

/* The aftercare of a session is dated that session, says the patient was treated that day
 * and names the next planned session's date, in every language; after the course's last
 * session it names the maintenance session, and with nothing planned after the day it names
 * no date. */
static void
test_aftercare_dated_session (void)
{
  /* The sheet's day (its header) and the next session, as each template writes them. */
  static const struct {
    const char *language;
    const char *day;
    const char *next;
    const char *last_next;
  } words[] = {
    { "en", "12 January 2027",
      "Your next session is planned for Tuesday 23 February 2027.",
      "Tuesday 5 October 2027" },
    { "de", "12. Januar 2027",
      "Ihre nächste Sitzung ist am Dienstag, 23. Februar 2027 geplant.",
      "Dienstag, 5. Oktober 2027" },
    { "fr", "12 janvier 2027",
      "Votre prochaine séance : mardi 23 février 2027.",
      "mardi 5 octobre 2027" },
    { "es", "12 de enero de 2027",
      "Su próxima sesión está prevista para el martes, 23 de febrero de 2027.",
      "martes, 5 de octubre de 2027" },
  };
  g_autoptr(StriaePatient) patient = NULL;
  g_autoptr(StriaeConsultation) consultation = NULL;

  make_patient (&patient, &consultation);
  /* The second session, six weeks after the first. */
  assert_items ("aftercare", patient, consultation, "2027-01-12",
                IDS ("today-intro", "next-date"), IDS ("treatment-intro"));

  for (guint l = 0; l < G_N_ELEMENTS (words); l++)
    {
      g_autoptr(StriaeSheet) sheet = NULL;
      g_autoptr(StriaeSheet) last = NULL;
      g_autofree char *text = NULL;
      g_autofree char *last_text = NULL;
      guint n_pages;

      g_test_message ("aftercare of 12 January 2027 in %s", words[l].language);
      sheet = compose ("aftercare", words[l].language, patient, consultation, "2027-01-12");
      text = dup_pdf_text (sheet, &n_pages);
      g_assert_nonnull (strstr (text, words[l].day));
      g_assert_nonnull (strstr (text, words[l].next));
      /* Not the consultation's day nor the first session's. */
      g_assert_null (strstr (text, "2026"));

      /* The course's last session: the next date is the maintenance session's. */
      last = compose ("aftercare", words[l].language, patient, consultation, "2027-04-06");
      last_text = dup_pdf_text (last, &n_pages);
      g_assert_nonnull (strstr (last_text, words[l].last_next));
    }

  /* Nothing planned after the day: no sentence with an empty date. */
  striae_plan_set_maintenance_months (striae_consultation_get_plan (consultation), 0);
  assert_items ("aftercare", patient, consultation, "2027-04-06", IDS ("today-intro"),
                IDS ("next-date"));
  /* No dates booked at all. */
  striae_plan_set_first_session (striae_consultation_get_plan (consultation), NULL);
  assert_items ("aftercare", patient, consultation, "2026-12-01", IDS ("treatment-intro"),
                IDS ("next-date", "today-intro"));
}

/* The aftercare of a session of the schedule (issue 17): the second session moved from 12 to
 * 19 January 2027, the later ones following; its record says 1.5 mm were used where the plan
 * said 1.0 mm. The sheet is dated the moved day, names the schedule's next session (2 March,
 * not the plan's 23 February) and the depth used. With STRIAE_SHEET_DIR set, the sheet is
 * saved there as aftercare-of-session.pdf. */
static void
test_aftercare_of_session (void)
{
  g_autoptr(StriaePatient) patient = NULL;
  g_autoptr(StriaeConsultation) consultation = NULL;
  g_autoptr(StriaeTreatmentSession) record = NULL;
  g_autoptr(StriaeSessionArea) area = NULL;
  g_autoptr(StriaeSheet) sheet = NULL;
  g_autoptr(StriaeSheet) planned = NULL;
  g_autoptr(GArray) next = g_array_new (FALSE, FALSE, sizeof (StriaeSheetSessionDate));
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *planned_text = NULL;
  StriaeSheetSession session = { TRUE, NULL, NULL };
  StriaeSheetSessionDate third = { *striae_test_date ("2027-03-02"), 3, FALSE };
  StriaeSheetSessionDate fourth = { *striae_test_date ("2027-04-13"), 4, FALSE };
  const char *dir = g_getenv ("STRIAE_SHEET_DIR");
  guint n_pages;
  GDate day;
  StriaeSheetRequest request;

  make_patient (&patient, &consultation);
  record = striae_treatment_session_new_for (consultation);
  striae_treatment_session_set_number (record, 2);
  striae_treatment_session_set_date (record, striae_test_date ("2027-01-19"));
  area = g_list_model_get_item (striae_treatment_session_get_areas (record), 0);
  striae_session_area_set_depth (area, 1.5);
  g_array_append_val (next, third);
  g_array_append_val (next, fourth);
  session.record = record;
  session.next_dates = next;

  set_day (&day, "2027-01-19");
  request = (StriaeSheetRequest) {
    .name = "aftercare",
    .language = "en",
    .patient = patient,
    .consultation = consultation,
    .clinic = &clinic,
    .sheet_date = &day,
    .session = &session,
  };
  sheet = striae_sheet_compose (&request, NULL, NULL, &error);
  g_assert_no_error (error);
  text = dup_pdf_text (sheet, &n_pages);
  g_assert_nonnull (strstr (text, "19 January 2027"));
  g_assert_nonnull (strstr (text, "Your next session is planned for Tuesday 2 March 2027."));
  g_assert_nonnull (strstr (text, "Needle length used: 1.5 mm."));
  g_assert_nonnull (strstr (text, "Tuesday 13 April 2027"));
  g_assert_null (strstr (text, "23 February"));
  g_assert_null (strstr (text, "1.0 mm"));
  if (dir != NULL)
    {
      g_autofree char *path = g_build_filename (dir, "aftercare-of-session.pdf", NULL);

      g_assert_true (striae_sheet_export_pdf (sheet, path, &error));
      g_assert_no_error (error);
    }

  /* The plan alone would say otherwise: that is what the session changes. */
  planned = compose ("aftercare", "en", patient, consultation, "2027-01-19");
  planned_text = dup_pdf_text (planned, &n_pages);
  g_assert_nonnull (strstr (planned_text, "23 February 2027"));
  g_assert_nonnull (strstr (planned_text, "1.0 mm"));

  /* Nothing still to come in the schedule: no next date, even though the plan has one. */
  g_array_set_size (next, 0);
  g_clear_object (&sheet);
  g_clear_pointer (&text, g_free);
  sheet = striae_sheet_compose (&request, NULL, NULL, &error);
  g_assert_no_error (error);
  text = dup_pdf_text (sheet, &n_pages);
  g_assert_null (strstr (text, "Your next session is planned"));
}

/* 13. The aftercare of a session names only what its record says was treated: the plan has
 * the abdomen (1.0 mm) and the thighs (2.0 mm), the session treated the abdomen alone, at
 * 1.5 mm. The thighs were not treated that day, so the sheet gives neither them nor their
 * planned depth, in any language; a record that names no area leaves the depth blank rather
 * than print the plan's. With STRIAE_SHEET_DIR set, the English sheet is saved there as
 * aftercare-one-area.pdf. */
static void
test_aftercare_areas_treated (void)
{
  static const struct { const char *thigh; const char *used; const char *planned; } words[] = {
    { "thigh", "1.5 mm", "2.0 mm" },
    { "Oberschenkel", "1,5 mm", "2,0 mm" },
    { "cuisse", "1,5 mm", "2,0 mm" },
    { "muslo", "1,5 mm", "2,0 mm" },
  };
  g_autoptr(StriaePatient) patient = NULL;
  g_autoptr(StriaeConsultation) consultation = NULL;
  g_autoptr(StriaeTreatmentSession) record = NULL;
  g_autoptr(StriaeSessionArea) abdomen = NULL;
  g_autoptr(StriaeArea) planned = NULL;
  g_autoptr(StriaeArea) thighs = striae_area_new (STRIAE_BODY_SITE_THIGHS);
  StriaeSheetSession session = { TRUE, NULL, NULL };
  StriaeSheetRequest request;
  const char *dir = g_getenv ("STRIAE_SHEET_DIR");
  guint n_pages;
  GDate day;

  G_STATIC_ASSERT (G_N_ELEMENTS (words) == G_N_ELEMENTS (languages));
  make_patient (&patient, &consultation);
  striae_area_set_side (thighs, STRIAE_SIDE_BOTH);
  striae_area_set_severity (thighs, STRIAE_SEVERITY_SEVERE);
  striae_area_set_mark_type (thighs, STRIAE_MARK_TYPE_ALBAE);
  striae_area_set_depth (thighs, 2.0);
  striae_consultation_add_area (consultation, thighs);

  /* The record of the session as the session page starts it: every area of the plan. */
  record = striae_treatment_session_new_for (consultation);
  striae_treatment_session_set_number (record, 1);
  striae_treatment_session_set_date (record, striae_test_date ("2026-12-01"));
  g_assert_cmpuint (g_list_model_get_n_items (striae_treatment_session_get_areas (record)), ==,
                    2);
  session.record = record;
  set_day (&day, "2026-12-01");
  request = (StriaeSheetRequest) {
    .name = "aftercare",
    .language = "en",
    .patient = patient,
    .consultation = consultation,
    .clinic = &clinic,
    .sheet_date = &day,
    .session = &session,
  };

  /* Both treated, at their planned depths: both on the sheet (as before). */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(StriaeSheet) sheet = NULL;
    g_autofree char *text = NULL;

    sheet = striae_sheet_compose (&request, NULL, NULL, &error);
    g_assert_no_error (error);
    text = dup_pdf_text (sheet, &n_pages);
    g_assert_nonnull (strstr (text, "Needle length used: abdomen 1.0 mm and both thighs "
                                    "2.0 mm."));
  }

  /* The thighs taken off the record: only the abdomen was treated, at 1.5 mm. */
  striae_treatment_session_remove_area (record, 1);
  abdomen = g_list_model_get_item (striae_treatment_session_get_areas (record), 0);
  planned = g_list_model_get_item (striae_consultation_get_areas (consultation), 0);
  g_assert_cmpstr (striae_session_area_get_area_id (abdomen), ==, striae_area_get_id (planned));
  striae_session_area_set_depth (abdomen, 1.5);
  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(StriaeSheet) sheet = NULL;
      g_autofree char *text = NULL;

      request.language = languages[i];
      sheet = striae_sheet_compose (&request, NULL, NULL, &error);
      g_assert_no_error (error);
      text = dup_pdf_text (sheet, &n_pages);
      g_test_message ("%s: %s", languages[i], text);
      g_assert_nonnull (strstr (text, words[i].used));
      g_assert_null (strstr (text, words[i].planned));
      g_assert_null (strstr (text, words[i].thigh));
      if (i == 0)
        {
          g_assert_nonnull (strstr (text, "Needle length used: 1.5 mm."));
          if (dir != NULL)
            {
              g_autofree char *path = g_build_filename (dir, "aftercare-one-area.pdf", NULL);

              g_assert_true (striae_sheet_export_pdf (sheet, path, &error));
              g_assert_no_error (error);
            }
        }
    }

  /* A record that names no area: a blank to fill in, not the plan's depths. */
  striae_treatment_session_remove_area (record, 0);
  request.language = "en";
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(StriaeSheet) sheet = NULL;
    g_autofree char *text = NULL;

    sheet = striae_sheet_compose (&request, NULL, NULL, &error);
    g_assert_no_error (error);
    text = dup_pdf_text (sheet, &n_pages);
    g_assert_nonnull (strstr (text, "Needle length used:"));
    g_assert_null (strstr (text, "mm."));
    g_assert_null (strstr (text, "thigh"));
  }

  /* The plan's own aftercare (no session) still gives both areas. */
  {
    g_autoptr(StriaeSheet) sheet = compose ("aftercare", "en", patient, consultation,
                                            "2026-11-20");
    g_autofree char *text = dup_pdf_text (sheet, &n_pages);

    g_assert_nonnull (strstr (text, "abdomen 1.0 mm and both thighs 2.0 mm"));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sheet-truth/maintenance-after-course", test_maintenance_after_course);
  g_test_add_func ("/sheet-truth/bleeding-disorder", test_bleeding_disorder);
  g_test_add_func ("/sheet-truth/numbing-follows-allergy", test_numbing_follows_allergy);
  g_test_add_func ("/sheet-truth/mixed-marks", test_mixed_marks);
  g_test_add_func ("/sheet-truth/aftercare-day", test_aftercare_day);
  g_test_add_func ("/sheet-truth/consent-added-items", test_consent_added_items);
  g_test_add_func ("/sheet-truth/tretinoin", test_tretinoin);
  g_test_add_func ("/sheet-truth/consent-maintenance", test_consent_maintenance);
  g_test_add_func ("/sheet-truth/aftercare-two-pages", test_aftercare_two_pages);
  g_test_add_func ("/sheet-truth/aftercare-next-sessions", test_aftercare_next_sessions);
  g_test_add_func ("/sheet-truth/aftercare-dated-session", test_aftercare_dated_session);
  g_test_add_func ("/sheet-truth/aftercare-of-session", test_aftercare_of_session);
  g_test_add_func ("/sheet-truth/aftercare-areas-treated", test_aftercare_areas_treated);

  return g_test_run ();
}
