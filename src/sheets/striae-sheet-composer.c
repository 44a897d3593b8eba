/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <string.h>

#include "striae-screening.h"
#include "striae-sheet-composer.h"
#include "striae-sheet-error.h"
#include "striae-sheet-language.h"
#include "striae-sheet-names.h"
#include "striae-sheet-private.h"
#include "striae-sheets-resources.h"

#define DEFAULT_LANGUAGE "en"

static char *
format_date (StriaeSheetTemplate *template,
             const GDate         *date)
{
  return _striae_document_format_date (_striae_sheet_template_get_document (template),
                                       date, TRUE);
}

/* The words a placeholder's value is made of come from the template's <labels>, in the
 * sheet's language, never from the application's locale: a German sheet printed in an
 * English session says "alle 4 Wochen". The loader has checked that @key uses no {name}
 * but @token. */
static char *
fill_label (StriaeSheetTemplate *template,
            const char          *key,
            const char          *token,
            const char          *value)
{
  const char *text = striae_sheet_template_get_label (template, key);
  g_autofree char *braced = g_strdup_printf ("{%s}", token);
  g_auto(GStrv) parts = g_strsplit (text, braced, -1);

  return g_strjoinv (value, parts);
}

static char *
fill_label_number (StriaeSheetTemplate *template,
                   const char          *key,
                   guint                n)
{
  g_autofree char *number = g_strdup_printf ("%u", n);

  return fill_label (template, key, "n", number);
}

/* Depths are multiples of 0.25 mm: "1.0 mm", "0.75 mm", "1.5 mm" (in German "1,5 mm"). */
static char *
format_depth (StriaeSheetTemplate *template,
              double               mm)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  int hundredths = (int) (mm * 100.0 + 0.5);
  g_auto(GStrv) parts = NULL;
  g_autofree char *number = NULL;

  if (hundredths % 10 == 0)
    g_ascii_formatd (buffer, sizeof buffer, "%.1f", mm);
  else
    g_ascii_formatd (buffer, sizeof buffer, "%.2f", mm);

  parts = g_strsplit (buffer, ".", 2);
  number = g_strjoinv (striae_sheet_template_get_label (template, "decimal-mark"), parts);
  return fill_label (template, "depth", "depth", number);
}

/* The needle depth of @area: the one its session record says was used, when the sheet
 * follows a session recorded (issue 17), else the plan's, else the recommendation's. */
static double
area_depth (StriaeArea             *area,
            StriaeRecommendation   *recommendation,
            guint                   index,
            StriaeTreatmentSession *record)
{
  GListModel *used = record != NULL ? striae_treatment_session_get_areas (record) : NULL;
  double depth = striae_area_get_depth (area);

  for (guint i = 0; used != NULL && i < g_list_model_get_n_items (used); i++)
    {
      g_autoptr(StriaeSessionArea) treated = g_list_model_get_item (used, i);

      if (g_strcmp0 (striae_session_area_get_area_id (treated), striae_area_get_id (area)) == 0 &&
          striae_session_area_get_depth (treated) > 0.0)
        return striae_session_area_get_depth (treated);
    }

  if (depth <= 0.0 && recommendation != NULL &&
      index < striae_recommendation_get_n_areas (recommendation))
    depth = striae_recommendation_get_depth (recommendation, index);

  return depth;
}

/* The keys of <labels> naming each body site, in the order of StriaeBodySite. */
static const char * const area_keys[STRIAE_N_BODY_SITES] = {
  [STRIAE_BODY_SITE_ABDOMEN] = "area-abdomen",
  [STRIAE_BODY_SITE_BREASTS] = "area-breasts",
  [STRIAE_BODY_SITE_HIPS] = "area-hips",
  [STRIAE_BODY_SITE_FLANKS] = "area-flanks",
  [STRIAE_BODY_SITE_THIGHS] = "area-thighs",
  [STRIAE_BODY_SITE_BUTTOCKS] = "area-buttocks",
  [STRIAE_BODY_SITE_UPPER_ARMS] = "area-upper-arms",
  [STRIAE_BODY_SITE_INNER_ARMS] = "area-inner-arms",
  [STRIAE_BODY_SITE_LOWER_BACK] = "area-lower-back",
  [STRIAE_BODY_SITE_OTHER] = "area-other",
};

/* The end of the key of <labels> naming one side of a paired site ("area-thighs-left"), in
 * the order of StriaeSide; NULL where the site's own key names the area. */
static const char * const side_suffixes[] = {
  [STRIAE_SIDE_NOT_RECORDED] = NULL,
  [STRIAE_SIDE_LEFT] = "left",
  [STRIAE_SIDE_RIGHT] = "right",
  [STRIAE_SIDE_BOTH] = "both",
  [STRIAE_SIDE_NOT_APPLICABLE] = NULL,
};

/* A site's name sits in a sentence on the sheet ("abdomen and thighs"), in the sheet's
 * language, with its side when one is recorded ("left thigh"): each side of each paired
 * site has its own label, since its words agree with the site's noun. A clinic's copy
 * written before sides existed has the site's label but not the side's: it keeps printing
 * the site in its own language rather than the side in English. A practitioner's own words
 * for another site are kept as typed. */
static char *
dup_area_name (StriaeSheetTemplate *template,
               StriaeArea          *area)
{
  StriaeBodySite site = striae_area_get_site (area);
  StriaeSide side = striae_area_get_side (area);
  const char *notes = striae_area_get_notes (area);

  if (site == STRIAE_BODY_SITE_OTHER && notes != NULL && *notes != '\0')
    return g_strdup (notes);

  g_assert (site < STRIAE_N_BODY_SITES);
  g_assert (side < G_N_ELEMENTS (side_suffixes));
  if (side_suffixes[side] != NULL && striae_body_site_has_side (site))
    {
      g_autofree char *key = g_strdup_printf ("%s-%s", area_keys[site], side_suffixes[side]);

      if (striae_sheet_template_has_label (template, key) ||
          !striae_sheet_template_has_label (template, area_keys[site]))
        return g_strdup (striae_sheet_template_get_label (template, key));
    }

  return g_strdup (striae_sheet_template_get_label (template, area_keys[site]));
}

/* "abdomen", "abdomen and thighs", "abdomen, hips and thighs": the comma is the same in
 * every language Striae ships; the word before the last name is the template's. */
static char *
join_names (StriaeSheetTemplate *template,
            GPtrArray           *names)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < names->len; i++)
    {
      if (i > 0 && i == names->len - 1)
        g_string_append_printf (out, " %s ", striae_sheet_template_get_label (template, "and"));
      else if (i > 0)
        g_string_append (out, ", ");
      g_string_append (out, g_ptr_array_index (names, i));
    }

  return g_string_free (out, FALSE);
}

/* Whether the session @record names @area among the areas it treated. Without a record
 * (a sheet of the plan) every area of the plan counts. */
static gboolean
area_treated (StriaeArea             *area,
              StriaeTreatmentSession *record)
{
  GListModel *used;

  if (record == NULL)
    return TRUE;
  used = striae_treatment_session_get_areas (record);
  for (guint i = 0; i < g_list_model_get_n_items (used); i++)
    {
      g_autoptr(StriaeSessionArea) treated = g_list_model_get_item (used, i);

      if (g_strcmp0 (striae_session_area_get_area_id (treated), striae_area_get_id (area)) == 0)
        return TRUE;
    }
  return FALSE;
}

/* The areas and their needle depths. After a session (@record), only the areas its record
 * names: an area not treated that day is not on that day's aftercare, neither by name nor
 * with the plan's depth [depth]; a record that names none leaves both blank for the
 * practitioner to fill in by hand rather than print the plan as if it had been done. */
static void
set_areas (StriaeSheetContext     *context,
           StriaeSheetTemplate    *template,
           StriaeConsultation     *consultation,
           StriaeRecommendation   *recommendation,
           StriaeTreatmentSession *record)
{
  GListModel *areas = striae_consultation_get_areas (consultation);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) depths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) mm = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *area_text = NULL;
  gboolean same_depth = TRUE;
  gboolean all_known = TRUE;

  for (guint i = 0; i < g_list_model_get_n_items (areas); i++)
    {
      g_autoptr(StriaeArea) area = g_list_model_get_item (areas, i);
      double depth;

      if (!area_treated (area, record))
        continue;
      depth = area_depth (area, recommendation, i, record);
      g_ptr_array_add (names, dup_area_name (template, area));
      if (depth <= 0.0)
        all_known = FALSE;
      if (mm->len > 0 && depth != g_array_index (mm, double, 0))
        same_depth = FALSE;
      g_array_append_val (mm, depth);
    }

  if (names->len > 0)
    area_text = join_names (template, names);
  striae_sheet_context_set_value (context, "plan.areas", area_text);

  /* A depth not yet chosen prints as a blank for the practitioner to fill in by hand. */
  if (names->len == 0 || !all_known)
    {
      striae_sheet_context_set_value (context, "plan.needle_depth", NULL);
      return;
    }

  if (same_depth)
    {
      g_autofree char *text = format_depth (template, g_array_index (mm, double, 0));

      striae_sheet_context_set_value (context, "plan.needle_depth", text);
      return;
    }

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *depth = format_depth (template, g_array_index (mm, double, i));

      /* One area and its needle length, e.g. "abdomen 1.5 mm", "Bauch 1,5 mm". */
      g_ptr_array_add (depths, g_strconcat (g_ptr_array_index (names, i), " ", depth, NULL));
    }
  {
    g_autofree char *text = join_names (template, depths);

    striae_sheet_context_set_value (context, "plan.needle_depth", text);
  }
}

static const char *
treatment_name (StriaeSheetTemplate *template,
                StriaePlan          *plan)
{
  switch (striae_plan_get_device (plan))
    {
    case STRIAE_DEVICE_RF:
      return striae_sheet_template_get_label (template, "treatment-rf");
    case STRIAE_DEVICE_ROLLER:
    case STRIAE_DEVICE_PEN:
    case STRIAE_DEVICE_NOT_SET:
    default:
      return striae_sheet_template_get_label (template, "treatment");
    }
}

static void
set_schedule (StriaeSheetContext  *context,
              StriaeSheetTemplate *template,
              StriaePlan          *plan,
              const GDate         *sheet_date)
{
  g_autoptr(GArray) dates = NULL;
  guint maintenance = striae_plan_get_maintenance_months (plan);
  GDate date;

  if (maintenance > 0)
    {
      g_autofree char *text = fill_label_number (template,
                                                 maintenance == 1 ? "every-month"
                                                                  : "every-months",
                                                 maintenance);

      striae_sheet_context_set_value (context, "plan.maintenance", text);
    }

  /* Without a first date the sheet prints the template's "empty" text for the table and
   * blanks for the dates: the assistant books them by phone. */
  dates = striae_plan_compute_schedule (plan, NULL);
  if (dates == NULL)
    return;

  for (guint i = 0; i < dates->len; i++)
    {
      const GDate *session = &g_array_index (dates, GDate, i);
      /* The row's words are the sheet's language (its <labels>), not the application's. */
      g_autofree char *label = striae_sheet_template_dup_session_label (template, i + 1);

      striae_sheet_context_add_session (context, session, label);

      if (i == 0)
        {
          g_autofree char *text = format_date (template, session);

          striae_sheet_context_set_value (context, "plan.first_date", text);
        }

      /* The next session is the first one after the day the sheet is for. */
      if (striae_sheet_context_get_value (context, "plan.next_date") == NULL &&
          g_date_compare (session, sheet_date) > 0)
        {
          g_autofree char *text = format_date (template, session);

          striae_sheet_context_set_value (context, "plan.next_date", text);
        }
    }

  if (maintenance > 0 && striae_plan_compute_maintenance_date (plan, &date, NULL))
    {
      striae_sheet_context_add_session (context, &date,
                                        striae_sheet_template_get_label (template,
                                                                         "maintenance"));
      if (striae_sheet_context_get_value (context, "plan.next_date") == NULL &&
          g_date_compare (&date, sheet_date) > 0)
        {
          g_autofree char *text = format_date (template, &date);

          striae_sheet_context_set_value (context, "plan.next_date", text);
        }
    }
}

/**
 * striae_sheet_compose_context:
 * @template: the template the context is for (its dates are written in its language)
 * @patient: the patient
 * @consultation: the consultation whose plan the sheet describes
 * @recommendation: (nullable): striae_recommend() for @consultation: its facts and the
 *   recommended depths of areas whose depth was not chosen
 * @clinic: the clinic's settings
 * @sheet_date: (nullable): the day the sheet is for, %NULL for today
 *
 * Fills a context with everything a sheet prints: the patient, the clinic, the plan's
 * placeholders, the recommendation's facts, the table of planned sessions ("Session 1" …,
 * then "Maintenance"), and the items the practitioner added or struck for this patient.
 *
 * Returns: (transfer full): a new context
 */
StriaeSheetContext *
striae_sheet_compose_context (StriaeSheetTemplate        *template,
                              StriaePatient              *patient,
                              StriaeConsultation         *consultation,
                              StriaeRecommendation       *recommendation,
                              const StriaeClinicSettings *clinic,
                              const GDate                *sheet_date)
{
  g_autoptr(StriaeSheetContext) context = NULL;
  g_autofree char *full_name = NULL;
  g_autofree char *sessions = NULL;
  const char * const *items;
  StriaePlan *plan;
  const char *practitioner;
  GDate today;
  guint n_sessions;
  guint interval;

  g_return_val_if_fail (STRIAE_IS_SHEET_TEMPLATE (template), NULL);
  g_return_val_if_fail (STRIAE_IS_PATIENT (patient), NULL);
  g_return_val_if_fail (STRIAE_IS_CONSULTATION (consultation), NULL);
  g_return_val_if_fail (recommendation == NULL || STRIAE_IS_RECOMMENDATION (recommendation),
                        NULL);
  g_return_val_if_fail (clinic != NULL, NULL);

  if (sheet_date == NULL || !g_date_valid (sheet_date))
    {
      striae_get_today (&today);
      sheet_date = &today;
    }

  context = striae_sheet_context_new ();
  striae_sheet_context_set_language (context, striae_sheet_template_get_language (template));
  striae_sheet_context_set_paper (context, clinic->paper);
  striae_sheet_context_set_date (context, sheet_date);
  striae_sheet_context_set_clinic (context, clinic->name, clinic->address, clinic->phone,
                                   clinic->email, clinic->logo_path);

  full_name = striae_patient_dup_full_name (patient);
  striae_sheet_context_set_patient (context, full_name, striae_patient_get_birth_date (patient));

  practitioner = striae_consultation_get_practitioner (consultation);
  if (practitioner == NULL || *practitioner == '\0')
    practitioner = clinic->practitioner;
  striae_sheet_context_set_value (context, "practitioner.name", practitioner);

  plan = striae_consultation_get_plan (consultation);
  striae_sheet_context_set_value (context, "plan.treatment", treatment_name (template, plan));
  set_areas (context, template, consultation, recommendation, NULL);

  n_sessions = striae_plan_get_sessions (plan);
  if (n_sessions > 0)
    {
      sessions = g_strdup_printf ("%u", n_sessions);
      striae_sheet_context_set_value (context, "plan.sessions", sessions);
    }

  interval = striae_plan_get_interval_weeks (plan);
  if (interval > 0)
    {
      g_autofree char *text = fill_label_number (template,
                                                 interval == 1 ? "week" : "weeks", interval);

      striae_sheet_context_set_value (context, "plan.interval", text);
    }

  set_schedule (context, template, plan, sheet_date);

  if (recommendation != NULL)
    {
      const char * const *facts = striae_recommendation_get_facts (recommendation);

      for (guint i = 0; facts != NULL && facts[i] != NULL; i++)
        striae_sheet_context_set_fact (context, facts[i], TRUE);
    }

  /* Extra items go to the template's default section; struck ids are the same in every
   * language, so a struck item stays struck whichever sheet is printed. */
  items = striae_consultation_get_added_items (consultation);
  for (guint i = 0; items != NULL && items[i] != NULL; i++)
    striae_sheet_context_add_extra_item (context, NULL, items[i]);

  items = striae_consultation_get_struck_items (consultation);
  for (guint i = 0; items != NULL && items[i] != NULL; i++)
    striae_sheet_context_strike (context, items[i]);

  return g_steal_pointer (&context);
}

/* The aftercare of one session of the schedule (issue 17): the depths its record says were
 * used, and the next session the schedule has after it (moved or not), rather than the
 * plan's first dates. */
static void
apply_session (StriaeSheetContext       *context,
               StriaeSheetTemplate      *template,
               StriaeConsultation       *consultation,
               StriaeRecommendation     *recommendation,
               const StriaeSheetSession *session,
               const GDate              *sheet_date)
{
  const GDate *next = NULL;

  striae_sheet_context_set_fact (context, "session-day", session->session_day);
  if (session->record != NULL)
    set_areas (context, template, consultation, recommendation, session->record);
  if (session->next_dates == NULL)
    return;

  /* The table and the next date: the schedule's sessions still to come, moved or not. */
  striae_sheet_context_clear_sessions (context);
  for (guint i = 0; i < session->next_dates->len; i++)
    {
      const StriaeSheetSessionDate *to_come =
        &g_array_index (session->next_dates, StriaeSheetSessionDate, i);
      g_autofree char *label = to_come->maintenance
        ? g_strdup (striae_sheet_template_get_label (template, "maintenance"))
        : striae_sheet_template_dup_session_label (template, to_come->number);

      striae_sheet_context_add_session (context, &to_come->date, label);
      if (next == NULL && g_date_compare (&to_come->date, sheet_date) > 0)
        next = &to_come->date;
    }

  if (next != NULL)
    {
      g_autofree char *text = format_date (template, next);

      striae_sheet_context_set_value (context, "plan.next_date", text);
    }
  else
    striae_sheet_context_set_value (context, "plan.next_date", NULL);
  striae_sheet_context_set_fact (context, "next-session", next != NULL);
}

static gboolean
try_language (const char *language)
{
  return language != NULL && *language != '\0';
}

/**
 * striae_sheet_load_for_patient:
 * @name: a template name (see striae_sheet_template_names())
 * @language: (nullable): the language asked for, or %NULL to choose: the patient's preferred
 *   language when a template exists in it, else the clinic's default, else English
 * @patient: (nullable): the patient, for their preferred language
 * @clinic: (nullable): the clinic's settings, for the default language
 * @override_dir: (nullable): where the clinic's own templates are, %NULL for the default
 * @warning: (out) (optional) (nullable) (transfer full): see striae_sheet_template_load()
 *
 * Loads a template, checking its facts against the core's named facts. A language asked for
 * explicitly must exist; a chosen one falls back quietly.
 *
 * Returns: (transfer full): the template, or %NULL with @error set
 */
/* One template, read through @templates when there are (see StriaeSheetRequest). */
static StriaeSheetTemplate *
load_template (StriaeSheetTemplates  *templates,
               const char            *name,
               const char            *language,
               const char            *override_dir,
               char                 **warning,
               GError               **error)
{
  if (templates != NULL)
    return striae_sheet_templates_load (templates, name, language, override_dir,
                                        striae_sheet_default_facts (), warning, error);
  return striae_sheet_template_load (name, language, override_dir, NULL,
                                     striae_sheet_default_facts (), warning, error);
}

static StriaeSheetTemplate *
load_for_patient (StriaeSheetTemplates        *templates,
                  const char                  *name,
                  const char                  *language,
                  StriaePatient               *patient,
                  const StriaeClinicSettings  *clinic,
                  const char                  *override_dir,
                  char                       **warning,
                  GError                     **error)
{
  g_autoptr(GPtrArray) candidates = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) first_error = NULL;
  const char *clinic_language;

  if (try_language (language))
    return load_template (templates, name, language, override_dir, warning, error);

  /* The patient's language as FORMAT.md describes it ("de_AT" → "de", "pt" → "pt_BR"),
   * else the clinic's default; when the chosen folder lacks this sheet, the clinic's
   * default, then English. */
  clinic_language = clinic != NULL && try_language (clinic->language) ? clinic->language
                                                                      : DEFAULT_LANGUAGE;
  g_ptr_array_add (candidates,
                   striae_sheet_pick_language (patient != NULL
                                               ? striae_patient_get_language (patient) : NULL,
                                               clinic_language, override_dir));
  g_ptr_array_add (candidates, g_strdup (clinic_language));
  g_ptr_array_add (candidates, g_strdup (DEFAULT_LANGUAGE));

  for (guint i = 0; i < candidates->len; i++)
    {
      g_autoptr(GError) local_error = NULL;
      StriaeSheetTemplate *template;

      template = load_template (templates, name, g_ptr_array_index (candidates, i),
                                override_dir, warning, &local_error);
      if (template != NULL)
        return template;

      /* A missing translation is normal; a broken template is not and is reported. */
      if (!g_error_matches (local_error, STRIAE_SHEET_ERROR, STRIAE_SHEET_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (first_error == NULL)
        first_error = g_steal_pointer (&local_error);
    }

  g_propagate_error (error, g_steal_pointer (&first_error));
  return NULL;
}

StriaeSheetTemplate *
striae_sheet_load_for_patient (const char                 *name,
                               const char                 *language,
                               StriaePatient              *patient,
                               const StriaeClinicSettings *clinic,
                               const char                 *override_dir,
                               char                      **warning,
                               GError                    **error)
{
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (patient == NULL || STRIAE_IS_PATIENT (patient), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return load_for_patient (NULL, name, language, patient, clinic, override_dir, warning,
                           error);
}

static gboolean
is_blank (const char *text)
{
  for (const char *p = text != NULL ? text : ""; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

/* The sentence that says why no sheet is given without the clinic's phone number: each
 * sheet tells the patient to call the clinic for something else. */
static const char *
phone_missing_sentence (const char *name)
{
  if (g_strcmp0 (name, "aftercare") == 0)
    return _("Set the clinic’s phone number in Preferences → Clinic: the aftercare sheet "
             "tells patients when to call.");
  if (g_strcmp0 (name, "consent") == 0)
    return _("Set the clinic’s phone number in Preferences → Clinic: the consent form tells "
             "patients whom to call with questions.");
  return _("Set the clinic’s phone number in Preferences → Clinic: the pre-treatment sheet "
           "tells patients whom to call with questions.");
}

static gboolean
check_consent_plan (StriaeConsultation   *consultation,
                    StriaeRecommendation *recommendation,
                    GError              **error)
{
  StriaePlan *plan = striae_consultation_get_plan (consultation);
  GListModel *areas = striae_consultation_get_areas (consultation);
  guint n_areas = g_list_model_get_n_items (areas);

  if (n_areas == 0)
    {
      g_set_error_literal (error, STRIAE_SHEET_ERROR, STRIAE_SHEET_ERROR_UNFINISHED,
                           _("Add the areas to treat on the Stretch marks page: the consent "
                             "form names them."));
      return FALSE;
    }
  if (striae_plan_get_sessions (plan) == 0)
    {
      g_set_error_literal (error, STRIAE_SHEET_ERROR, STRIAE_SHEET_ERROR_UNFINISHED,
                           _("Set the number of sessions on the Plan page: the consent form "
                             "states it."));
      return FALSE;
    }
  if (striae_plan_get_interval_weeks (plan) == 0)
    {
      g_set_error_literal (error, STRIAE_SHEET_ERROR, STRIAE_SHEET_ERROR_UNFINISHED,
                           _("Set the interval between sessions on the Plan page: the consent "
                             "form states it."));
      return FALSE;
    }
  for (guint i = 0; i < n_areas; i++)
    {
      g_autoptr(StriaeArea) area = g_list_model_get_item (areas, i);
      g_autofree char *title = NULL;

      if (area_depth (area, recommendation, i, NULL) > 0.0)
        continue;
      /* The area as the window names it, in the application's language. */
      title = striae_area_dup_title (area);
      /* TRANSLATORS: %s names an area as the Stretch marks page does, e.g. "Thighs" */
      g_set_error (error, STRIAE_SHEET_ERROR, STRIAE_SHEET_ERROR_UNFINISHED,
                   _("Choose the needle depth for “%s” on the Plan page: the consent form "
                     "states it."), title);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_printable (const char                 *name,
                 StriaePatient              *patient,
                 StriaeConsultation         *consultation,
                 StriaeRules                *rules,
                 const StriaeClinicSettings *clinic,
                 GError                    **error)
{
  g_autoptr(StriaeRules) default_rules = NULL;
  g_autoptr(StriaeScreening) screening = NULL;
  g_autoptr(StriaeRecommendation) recommendation = NULL;
  g_autoptr(GError) local_error = NULL;
  GDate today;

  if (striae_consultation_is_not_treated (consultation))
    {
      g_set_error (error, STRIAE_SHEET_ERROR, STRIAE_SHEET_ERROR_INVALID,
                   _("Consultation %" PRId64 " was signed as not treated, so it has no "
                     "sheets to print."),
                   striae_consultation_get_id (consultation));
      return FALSE;
    }

  if (rules == NULL)
    rules = default_rules = striae_rules_new ();

  /* The core's words for what stands in the way, whichever caller asks. A plan blocked by
   * an absolute finding is refused (INVALID); one that waits for an acknowledgement is
   * unfinished. */
  striae_get_today (&today);
  screening = striae_screen (consultation, rules, striae_patient_get_birth_date (patient),
                             &today);
  if (!striae_screening_can_proceed (screening, &local_error))
    {
      g_set_error_literal (error, STRIAE_SHEET_ERROR,
                           striae_screening_has_absolute (screening)
                           ? STRIAE_SHEET_ERROR_INVALID : STRIAE_SHEET_ERROR_UNFINISHED,
                           local_error->message);
      return FALSE;
    }

  if (clinic == NULL || is_blank (clinic->phone))
    {
      g_set_error_literal (error, STRIAE_SHEET_ERROR, STRIAE_SHEET_ERROR_UNFINISHED,
                           phone_missing_sentence (name));
      return FALSE;
    }

  if (g_strcmp0 (name, "consent") == 0)
    {
      recommendation = striae_recommend (consultation, rules,
                                         striae_patient_get_birth_date (patient), &today);
      if (!check_consent_plan (consultation, recommendation, error))
        return FALSE;
    }

  return TRUE;
}

/**
 * striae_sheet_check_printable:
 * @name: the sheet (a template name or a short one, see striae_sheet_name_from_string())
 * @patient: the patient
 * @consultation: the consultation
 * @rules: (nullable): the clinic's rules, %NULL for the defaults
 * @clinic: (nullable): the clinic's settings; %NULL has no phone number, so refuses
 *
 * Whether the sheet may reach the patient. A sheet describes a treatment the patient may
 * have: none is given for a consultation signed as not treated, nor while screening finds an
 * absolute contraindication [contra] (%STRIAE_SHEET_ERROR_INVALID). Nor is one given while it
 * is unfinished (%STRIAE_SHEET_ERROR_UNFINISHED): a relative finding not yet acknowledged,
 * no clinic phone number (every sheet tells the patient to call), and for the consent form
 * the areas, the number of sessions, their interval and every area's needle depth. The
 * error is one sentence that says what to do.
 *
 * Returns: %FALSE with @error set when the sheet may not be given
 */
/* "Left thigh" above "12 May 2026 · Session 2, before treatment": the area, then the day
 * and the moment, in the template's words. */
static char *
dup_photo_caption (StriaeSheetTemplate *template,
                   StriaePhoto         *photo)
{
  g_autoptr(StriaeArea) area = striae_area_new (striae_photo_get_site (photo));
  g_autofree char *name = NULL;
  g_autofree char *moment = NULL;
  g_autofree char *date = NULL;
  const GDate *day = striae_photo_get_date (photo);
  gunichar first;

  striae_area_set_side (area, striae_photo_get_side (photo));
  name = dup_area_name (template, area);
  /* A label reads inside a sentence ("left thigh"); a caption starts with a capital. */
  first = g_utf8_get_char (name);
  if (g_unichar_islower (first))
    {
      char upper[8] = { 0 };
      char *capital;

      g_unichar_to_utf8 (g_unichar_totitle (first), upper);
      capital = g_strconcat (upper, g_utf8_next_char (name), NULL);
      g_free (name);
      name = capital;
    }
  if (striae_photo_get_moment (photo) == STRIAE_PHOTO_MOMENT_CONSULTATION ||
      striae_photo_get_session_number (photo) == 0)
    moment = g_strdup (striae_sheet_template_get_label (template, "photo-consultation"));
  else
    moment = fill_label_number (template, "photo-before",
                                striae_photo_get_session_number (photo));
  if (day != NULL && g_date_valid (day))
    date = _striae_document_format_date (_striae_sheet_template_get_document (template), day,
                                         FALSE);
  if (date == NULL)
    return g_strconcat (name, "\n", moment, NULL);
  return g_strconcat (name, "\n", date, " · ", moment, NULL);
}

/* The photos each <photos> element to print asks for (issue 18), read through @source
 * into @context: only when there is such an element, so that every other sheet opens no
 * photo (and writes no audit row for one). */
static gboolean
add_photos (StriaeSheetContext           *context,
            StriaeSheetTemplate          *template,
            StriaeConsultation           *consultation,
            const GDate                  *sheet_date,
            const StriaeSheetPhotoSource *source,
            GError                      **error)
{
  const StriaeDocument *document = _striae_sheet_template_get_document (template);
  g_autoptr(GPtrArray) nodes = g_ptr_array_new ();
  g_autoptr(GPtrArray) photos = NULL;
  StriaePhotoConsentScope consent = STRIAE_PHOTO_CONSENT_NONE;

  for (guint i = 0; i < document->sections->len; i++)
    {
      StriaeNode *section = g_ptr_array_index (document->sections, i);

      for (guint j = 0; j < section->children->len; j++)
        {
          StriaeNode *node = g_ptr_array_index (section->children, j);

          if (node->kind == STRIAE_NODE_PHOTOS && _striae_sheet_node_visible (node, context))
            g_ptr_array_add (nodes, node);
        }
    }
  if (nodes->len == 0 || source == NULL)
    return TRUE;

  if (!source->list (source->user_data, &consent, &photos, error))
    return FALSE;
  striae_sheet_context_set_photos_allowed (context, consent != STRIAE_PHOTO_CONSENT_NONE);
  if (consent == STRIAE_PHOTO_CONSENT_NONE || striae_consultation_get_id (consultation) <= 0)
    return TRUE;

  for (guint i = 0; i < nodes->len; i++)
    {
      StriaeNode *node = g_ptr_array_index (nodes, i);
      g_autoptr(GPtrArray) chosen = _striae_sheet_photos_select (
        photos, node->which, striae_consultation_get_id (consultation), sheet_date);

      for (guint k = 0; k < chosen->len; k++)
        {
          StriaePhoto *photo = g_ptr_array_index (chosen, k);
          g_autoptr(GBytes) image = source->read (source->user_data, photo, error);
          g_autofree char *caption = NULL;
          gboolean new_area;

          if (image == NULL)
            return FALSE;
          caption = dup_photo_caption (template, photo);
          new_area = k == 0 ||
                     !_striae_sheet_photos_same_area (g_ptr_array_index (chosen, k - 1), photo);
          /* An area's first and latest photos side by side, each area on its own row. */
          striae_sheet_context_add_photo (context, node->id, image, caption,
                                          new_area && node->which == STRIAE_PHOTOS_FIRST_LATEST);
        }
    }
  return TRUE;
}

gboolean
striae_sheet_check_printable (const char                 *name,
                              StriaePatient              *patient,
                              StriaeConsultation         *consultation,
                              StriaeRules                *rules,
                              const StriaeClinicSettings *clinic,
                              GError                    **error)
{
  const char *template_name = NULL;

  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (STRIAE_IS_PATIENT (patient), FALSE);
  g_return_val_if_fail (STRIAE_IS_CONSULTATION (consultation), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!striae_sheet_name_from_string (name, &template_name, error))
    return FALSE;

  return check_printable (template_name, patient, consultation, rules, clinic, error);
}

/**
 * striae_sheet_compose:
 * @request: the sheet's inputs
 * @unfinished: (out) (optional) (nullable) (transfer full): for the preview: a sheet that is
 *   only unfinished (%STRIAE_SHEET_ERROR_UNFINISHED) is composed as a draft
 *   (striae_sheet_set_draft()) and this says why, %NULL when the sheet may be given; without
 *   it an unfinished sheet is refused. A blocked plan or a consultation not treated is
 *   refused either way.
 * @warning: (out) (optional) (nullable) (transfer full): set when the clinic's template was
 *   refused and the shipped one is used
 *
 * Everything from a stored consultation to a sheet ready to give: refuses a sheet that may
 * not reach the patient (striae_sheet_check_printable()), loads the template, runs the
 * recommendation for its facts and composes the context. With @request's session, the
 * aftercare of one session of the schedule, dated its sheet date (the session's day, moved
 * or not): the needle depth is the one its record says was used, the next date the
 * schedule's next session after it. The application's delivery uses it for the preview, the
 * print and the PDF alike.
 *
 * Returns: (transfer full): the sheet, or %NULL with @error set (also when a photo the
 *   template asks for cannot be read from the records)
 */
StriaeSheet *
striae_sheet_compose (const StriaeSheetRequest  *request,
                      char                     **unfinished,
                      char                     **warning,
                      GError                   **error)
{
  g_autoptr(StriaeRules) default_rules = NULL;
  g_autoptr(StriaeSheetTemplate) template = NULL;
  g_autoptr(StriaeRecommendation) recommendation = NULL;
  g_autoptr(StriaeSheetContext) context = NULL;
  g_autoptr(GError) refusal = NULL;
  g_autoptr(StriaeSheet) sheet = NULL;
  StriaePatient *patient;
  StriaeConsultation *consultation;
  StriaeRules *rules;
  const StriaeClinicSettings *clinic;
  const GDate *sheet_date;
  const char *template_name;
  GDate today;

  g_return_val_if_fail (request != NULL, NULL);
  g_return_val_if_fail (STRIAE_IS_PATIENT (request->patient), NULL);
  g_return_val_if_fail (STRIAE_IS_CONSULTATION (request->consultation), NULL);
  g_return_val_if_fail (request->clinic != NULL, NULL);
  g_return_val_if_fail (request->photos == NULL ||
                        (request->photos->list != NULL && request->photos->read != NULL),
                        NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  patient = request->patient;
  consultation = request->consultation;
  rules = request->rules;
  clinic = request->clinic;
  sheet_date = request->sheet_date;

  if (warning != NULL)
    *warning = NULL;
  if (unfinished != NULL)
    *unfinished = NULL;

  if (!striae_sheet_name_from_string (request->name, &template_name, error))
    return NULL;

  if (rules == NULL)
    rules = default_rules = striae_rules_new ();

  template = load_for_patient (request->templates, template_name, request->language, patient,
                               clinic, request->override_dir, warning, error);
  if (template == NULL)
    return NULL;

  if (!check_printable (template_name, patient, consultation, rules, clinic, &refusal))
    {
      /* Only an unfinished sheet may be shown, as a draft; a blocked one not at all. */
      if (unfinished == NULL ||
          !g_error_matches (refusal, STRIAE_SHEET_ERROR, STRIAE_SHEET_ERROR_UNFINISHED))
        {
          if (warning != NULL)
            g_clear_pointer (warning, g_free);
          g_propagate_error (error, g_steal_pointer (&refusal));
          return NULL;
        }
    }

  /* The facts are those of the sheet's day: whether it is a session day, whether the course
   * is done (a maintenance session), whether the patient is a minor. */
  if (sheet_date == NULL || !g_date_valid (sheet_date))
    {
      striae_get_today (&today);
      sheet_date = &today;
    }
  recommendation = striae_recommend (consultation, rules,
                                     striae_patient_get_birth_date (patient), sheet_date);
  context = striae_sheet_compose_context (template, patient, consultation, recommendation,
                                          clinic, sheet_date);
  if (request->session != NULL)
    apply_session (context, template, consultation, recommendation, request->session,
                   sheet_date);
  if (!add_photos (context, template, consultation, sheet_date, request->photos, error))
    {
      if (warning != NULL)
        g_clear_pointer (warning, g_free);
      return NULL;
    }

  sheet = striae_sheet_new (template, context, error);
  if (sheet == NULL)
    return NULL;
  if (refusal != NULL)
    {
      striae_sheet_set_draft (sheet, refusal->message);
      *unfinished = g_strdup (refusal->message);
    }
  return g_steal_pointer (&sheet);
}

/**
 * striae_sheet_name_from_string:
 * @text: "pre", "pre-treatment", "aftercare" or "consent"
 * @name: (out) (transfer none): the template name
 *
 * Returns: %FALSE with @error set if @text names no sheet
 */
gboolean
striae_sheet_name_from_string (const char  *text,
                               const char **name,
                               GError     **error)
{
  const char * const *names = striae_sheet_template_names ();

  g_return_val_if_fail (name != NULL, FALSE);

  if (g_strcmp0 (text, "pre") == 0)
    text = "pre-treatment";

  for (guint i = 0; names[i] != NULL; i++)
    if (g_strcmp0 (text, names[i]) == 0)
      {
        *name = names[i];
        return TRUE;
      }

  g_set_error (error, STRIAE_SHEET_ERROR, STRIAE_SHEET_ERROR_NOT_FOUND,
               _("“%s” is not a sheet. Choose pre, aftercare or consent."),
               text != NULL ? text : "");
  return FALSE;
}

/**
 * striae_clinic_settings_new_from_gsettings:
 * @settings: the application's settings (schema io.github.striae.Striae)
 *
 * Reads the clinic's name, address, phone, e-mail, logo, paper size and default sheet
 * language. The practitioner is the clinic's only practitioner, if it has exactly one; with
 * several, the consultation must say who treats.
 *
 * Returns: (transfer full): the settings, free with striae_clinic_settings_free()
 */
StriaeClinicSettings *
striae_clinic_settings_new_from_gsettings (GSettings *settings)
{
  StriaeClinicSettings *clinic;
  g_auto(GStrv) practitioners = NULL;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  clinic = g_new0 (StriaeClinicSettings, 1);
  clinic->name = g_settings_get_string (settings, "clinic-name");
  clinic->address = g_settings_get_string (settings, "clinic-address");
  clinic->phone = g_settings_get_string (settings, "clinic-phone");
  clinic->email = g_settings_get_string (settings, "clinic-email");
  clinic->logo_path = g_settings_get_string (settings, "clinic-logo");
  clinic->language = g_settings_get_string (settings, "sheet-language");
  clinic->paper = g_settings_get_enum (settings, "paper-size") == 1 ? STRIAE_PAPER_US_LETTER
                                                                      : STRIAE_PAPER_A4;
  practitioners = g_settings_get_strv (settings, "practitioner-names");
  if (g_strv_length (practitioners) == 1)
    clinic->practitioner = g_strdup (practitioners[0]);

  return clinic;
}

/**
 * striae_clinic_settings_new_from_clinic:
 * @clinic: what is clinic-wide, as the records of a clinic server keep it
 * @settings: (nullable): this PC's settings, for the paper size and the default sheet
 *   language, or %NULL for A4 and English
 * @logo_path: (nullable): where the application wrote @clinic's logo for this PC, or %NULL
 *
 * Like striae_clinic_settings_new_from_gsettings(), but the clinic's identity and its
 * practitioners come from @clinic: on a clinic server every PC prints the same header.
 *
 * Returns: (transfer full): the settings, free with striae_clinic_settings_free()
 */
StriaeClinicSettings *
striae_clinic_settings_new_from_clinic (StriaeClinic *clinic,
                                        GSettings    *settings,
                                        const char   *logo_path)
{
  StriaeClinicSettings *result;
  const char * const *practitioners;

  g_return_val_if_fail (STRIAE_IS_CLINIC (clinic), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  result = g_new0 (StriaeClinicSettings, 1);
  result->name = g_strdup (striae_clinic_get_name (clinic));
  result->address = g_strdup (striae_clinic_get_address (clinic));
  result->phone = g_strdup (striae_clinic_get_phone (clinic));
  result->email = g_strdup (striae_clinic_get_email (clinic));
  result->logo_path = g_strdup (logo_path);
  result->paper = STRIAE_PAPER_A4;
  if (settings != NULL)
    {
      result->language = g_settings_get_string (settings, "sheet-language");
      if (g_settings_get_enum (settings, "paper-size") == 1)
        result->paper = STRIAE_PAPER_US_LETTER;
    }

  practitioners = striae_clinic_get_practitioners (clinic);
  if (practitioners[0] != NULL && practitioners[1] == NULL)
    result->practitioner = g_strdup (practitioners[0]);

  return result;
}

void
striae_clinic_settings_free (StriaeClinicSettings *clinic)
{
  if (clinic == NULL)
    return;

  g_free ((char *) clinic->name);
  g_free ((char *) clinic->address);
  g_free ((char *) clinic->phone);
  g_free ((char *) clinic->email);
  g_free ((char *) clinic->logo_path);
  g_free ((char *) clinic->practitioner);
  g_free ((char *) clinic->language);
  g_free (clinic);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static void
add_language (GPtrArray  *languages,
              const char *code)
{
  for (guint i = 0; i < languages->len; i++)
    if (g_strcmp0 (g_ptr_array_index (languages, i), code) == 0)
      return;
  g_ptr_array_add (languages, g_strdup (code));
}

/**
 * striae_sheet_dup_languages:
 * @override_dir: (nullable): where the clinic's own templates are, %NULL for the default
 *
 * Returns: (transfer full): the codes of the languages that have at least one sheet, shipped
 *   or the clinic's own, sorted
 */
char **
striae_sheet_dup_languages (const char *override_dir)
{
  g_autoptr(GPtrArray) languages = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *default_dir = NULL;
  g_auto(GStrv) shipped = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *entry;

  shipped = g_resource_enumerate_children (_striae_sheets_resource (),
                                           "/io/github/striae/Striae/sheets/",
                                           G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  for (guint i = 0; shipped != NULL && shipped[i] != NULL; i++)
    {
      g_autofree char *code = g_strndup (shipped[i], strcspn (shipped[i], "/"));

      add_language (languages, code);
    }

  if (override_dir == NULL)
    override_dir = default_dir = striae_sheet_template_dup_default_override_dir ();
  dir = g_dir_open (override_dir, 0, NULL);
  while (dir != NULL && (entry = g_dir_read_name (dir)) != NULL)
    {
      const char * const *names = striae_sheet_template_names ();

      for (guint i = 0; names[i] != NULL; i++)
        {
          g_autofree char *file = g_strconcat (names[i], ".xml", NULL);
          g_autofree char *path = g_build_filename (override_dir, entry, file, NULL);

          if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
            {
              add_language (languages, entry);
              break;
            }
        }
    }

  g_ptr_array_sort (languages, compare_strings);
  g_ptr_array_add (languages, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&languages), FALSE);
}
