/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "striae-core-error.h"
#include "striae-core-private.h"
#include "striae-patient.h"
#include "striae-screening.h"

struct _StriaeScreening
{
  GObject     parent_instance;

  GListStore *findings;
  GArray     *missing;     /* the StriaeChecks whose answer is missing, in check order */
  char       *rules_hash;
};

G_DEFINE_FINAL_TYPE (StriaeScreening, striae_screening, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FINDINGS,
  PROP_HAS_ABSOLUTE,
  PROP_ALL_RELATIVE_ACKNOWLEDGED,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
striae_screening_finalize (GObject *object)
{
  StriaeScreening *self = (StriaeScreening *)object;

  g_clear_object (&self->findings);
  g_clear_pointer (&self->missing, g_array_unref);
  g_clear_pointer (&self->rules_hash, g_free);

  G_OBJECT_CLASS (striae_screening_parent_class)->finalize (object);
}

static void
striae_screening_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  StriaeScreening *self = STRIAE_SCREENING (object);

  switch (prop_id)
    {
    case PROP_FINDINGS:
      g_value_set_object (value, self->findings);
      break;
    case PROP_HAS_ABSOLUTE:
      g_value_set_boolean (value, striae_screening_has_absolute (self));
      break;
    case PROP_ALL_RELATIVE_ACKNOWLEDGED:
      g_value_set_boolean (value, striae_screening_all_relative_acknowledged (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_screening_class_init (StriaeScreeningClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = striae_screening_finalize;
  object_class->get_property = striae_screening_get_property;

  properties [PROP_FINDINGS] =
    g_param_spec_object ("findings", NULL, NULL, G_TYPE_LIST_MODEL, flags);
  properties [PROP_HAS_ABSOLUTE] =
    g_param_spec_boolean ("has-absolute", NULL, NULL, FALSE, flags);
  properties [PROP_ALL_RELATIVE_ACKNOWLEDGED] =
    g_param_spec_boolean ("all-relative-acknowledged", NULL, NULL, TRUE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
striae_screening_init (StriaeScreening *self)
{
  self->findings = g_list_store_new (STRIAE_TYPE_FINDING);
  self->missing = g_array_new (FALSE, FALSE, sizeof (StriaeCheck));
}

StriaeScreeningPart
striae_check_get_part (StriaeCheck check)
{
  g_return_val_if_fail (check < STRIAE_N_CHECKS, 0);

  switch (striae_check_get_info (check)->kind)
    {
    case STRIAE_CHECK_KIND_QUESTION:
      return STRIAE_SCREENING_PART_HISTORY;
    case STRIAE_CHECK_KIND_SKIN:
    case STRIAE_CHECK_KIND_FITZPATRICK:
      return STRIAE_SCREENING_PART_SKIN;
    case STRIAE_CHECK_KIND_AGE:
      return STRIAE_SCREENING_PART_PATIENT;
    default:
      g_return_val_if_reached (0);
    }
}

static StriaeAnswer
answer_for_check (StriaeConsultation    *consultation,
                  const StriaeCheckInfo *info)
{
  switch (info->kind)
    {
    case STRIAE_CHECK_KIND_QUESTION:
      return striae_history_get_answer (striae_consultation_get_history (consultation),
                                        info->question);
    case STRIAE_CHECK_KIND_SKIN:
      return striae_skin_get_fact (striae_consultation_get_skin (consultation),
                                   info->skin_fact);
    case STRIAE_CHECK_KIND_FITZPATRICK:
    case STRIAE_CHECK_KIND_AGE:
    default:
      g_assert_not_reached ();
    }
}

/* [contra] isotretinoin: the answer alone is not enough, the delay after the last dose
 * decides. Returns the answer the check should count as, and a reason that names the dates. */
static StriaeAnswer
isotretinoin_answer (StriaeConsultation  *consultation,
                     StriaeRules         *rules,
                     const GDate         *today,
                     char               **reason)
{
  StriaeHistory *history = striae_consultation_get_history (consultation);
  StriaeAnswer answer = striae_history_get_answer (history, STRIAE_QUESTION_ISOTRETINOIN);
  const GDate *end_date = striae_history_get_isotretinoin_end_date (history);
  guint delay = striae_rules_get_isotretinoin_delay_months (rules);
  const char *general = striae_check_get_reason (STRIAE_CHECK_ISOTRETINOIN);
  g_autofree char *end_iso = NULL;
  g_autofree char *until_iso = NULL;
  GDate end, until;

  if (answer != STRIAE_ANSWER_YES)
    return answer;

  if (end_date == NULL)
    {
      *reason = g_strdup_printf ("%s %s", general,
                                 _("The patient takes it now, or the date of the last dose "
                                   "is not recorded."));
      return STRIAE_ANSWER_YES;
    }

  end = *end_date;
  until = end;
  g_date_add_months (&until, delay);
  if (g_date_compare (today, &until) >= 0 && g_date_compare (today, &end) > 0)
    return STRIAE_ANSWER_NO;

  end_iso = striae_format_iso_date (&end);
  until_iso = striae_format_iso_date (&until);
  if (g_date_compare (today, &end) <= 0)
    /* TRANSLATORS: the general reason, the date of the last dose, the months the clinic
     * waits and the date the wait ends */
    *reason = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "%s The patient takes it until %s; the clinic "
                                            "waits %u month after the last dose, until %s.",
                                            "%s The patient takes it until %s; the clinic "
                                            "waits %u months after the last dose, until %s.",
                                            delay),
                               general, end_iso, delay, until_iso);
  else
    /* TRANSLATORS: the general reason, the date of the last dose, the months the clinic
     * waits and the date the wait ends */
    *reason = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "%s The last dose was on %s; the clinic waits "
                                            "%u month after it, until %s.",
                                            "%s The last dose was on %s; the clinic waits "
                                            "%u months after it, until %s.",
                                            delay),
                               general, end_iso, delay, until_iso);
  return STRIAE_ANSWER_YES;
}

static int
age_on (const GDate *birth,
        const GDate *today)
{
  int age = g_date_get_year (today) - g_date_get_year (birth);

  if (g_date_get_month (today) < g_date_get_month (birth) ||
      (g_date_get_month (today) == g_date_get_month (birth) &&
       g_date_get_day (today) < g_date_get_day (birth)))
    age--;

  return age;
}

/* A Fitzpatrick type not recorded is a missing answer. Before format 2 it was a relative
 * finding that could be acknowledged; a consultation that acknowledged it keeps that finding,
 * so that what was signed keeps its meaning. */
static StriaeAnswer
legacy_fitzpatrick_answer (StriaeConsultation *consultation,
                           StriaeLevel         level)
{
  g_autofree char *id = g_strconcat (striae_check_get_info (STRIAE_CHECK_FITZPATRICK)->id,
                                     "-unanswered", NULL);

  if (level == STRIAE_LEVEL_RELATIVE && striae_consultation_is_acknowledged (consultation, id))
    return STRIAE_ANSWER_UNKNOWN;
  return STRIAE_ANSWER_NOT_ASKED;
}

/* [contra] what an "unknown" answer means: the contraindication may be there. An absolute
 * one stops the plan until it is ruled out; a relative one is treated with the same caution
 * as a "yes", which the practitioner acknowledges. */
static char *
unknown_reason (const StriaeCheckInfo *info,
                StriaeLevel            level)
{
  const char *label;

  switch (info->kind)
    {
    case STRIAE_CHECK_KIND_AGE:
      return g_strdup (_("The date of birth is not recorded, so it is not known whether the "
                         "patient is under 18. Record it, or confirm the patient is an "
                         "adult."));
    case STRIAE_CHECK_KIND_FITZPATRICK:
      return g_strdup (_("The skin type is not recorded: types IV to VI need a gentler "
                         "plan."));
    case STRIAE_CHECK_KIND_QUESTION:
      label = striae_question_get_label (info->question);
      break;
    case STRIAE_CHECK_KIND_SKIN:
      label = striae_skin_fact_get_label (info->skin_fact);
      break;
    default:
      g_assert_not_reached ();
    }

  if (level == STRIAE_LEVEL_ABSOLUTE)
    /* TRANSLATORS: %s is the question, answered "Unknown" */
    return g_strdup_printf (_("Not known: “%s”. Do not treat until it is ruled out."), label);
  /* TRANSLATORS: %s is the question, answered "Unknown" */
  return g_strdup_printf (_("Not known: “%s”. Take the same care as for a “yes”."), label);
}

/**
 * striae_screen:
 * @consultation: the consultation
 * @rules: the clinic's rule settings
 * @birth_date: (nullable): the patient's date of birth, %NULL when not known
 * @today: the day of the screening
 *
 * Returns: (transfer full): the findings
 */
StriaeScreening *
striae_screen (StriaeConsultation *consultation,
               StriaeRules        *rules,
               const GDate        *birth_date,
               const GDate        *today)
{
  g_autoptr(StriaeScreening) self = NULL;
  g_autoptr(GPtrArray) absolute = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) relative = g_ptr_array_new_with_free_func (g_object_unref);
  gboolean rf;

  g_return_val_if_fail (STRIAE_IS_CONSULTATION (consultation), NULL);
  g_return_val_if_fail (STRIAE_IS_RULES (rules), NULL);
  g_return_val_if_fail (today != NULL && g_date_valid (today), NULL);

  self = g_object_new (STRIAE_TYPE_SCREENING, NULL);
  self->rules_hash = striae_rules_dup_hash (rules);

  rf = striae_plan_get_device (striae_consultation_get_plan (consultation)) == STRIAE_DEVICE_RF;

  for (guint i = 0; i < STRIAE_N_CHECKS; i++)
    {
      const StriaeCheckInfo *info = striae_check_get_info (i);
      StriaeLevel level = striae_rules_get_level (rules, i);
      g_autofree char *reason = NULL;
      g_autoptr(StriaeFinding) finding = NULL;
      StriaeAnswer answer;
      gboolean acknowledged;
      guint fitzpatrick;

      if (level == STRIAE_LEVEL_OFF)
        continue;

      /* [contra] pacemaker and metal implants matter for radiofrequency only. */
      if (info->kind == STRIAE_CHECK_KIND_QUESTION &&
          striae_question_get_info (info->question)->rf_only && !rf)
        continue;

      switch (info->kind)
        {
        case STRIAE_CHECK_KIND_QUESTION:
          if (i == STRIAE_CHECK_ISOTRETINOIN)
            answer = isotretinoin_answer (consultation, rules, today, &reason);
          else
            answer = answer_for_check (consultation, info);
          break;

        case STRIAE_CHECK_KIND_SKIN:
          answer = answer_for_check (consultation, info);
          break;

        case STRIAE_CHECK_KIND_FITZPATRICK:
          /* [fitzpatrick] types IV–VI */
          fitzpatrick = striae_skin_get_fitzpatrick (striae_consultation_get_skin (consultation));
          answer = fitzpatrick == 0 ? legacy_fitzpatrick_answer (consultation, level)
                 : striae_fitzpatrick_is_pih_risk (fitzpatrick) ? STRIAE_ANSWER_YES
                 : STRIAE_ANSWER_NO;
          if (answer == STRIAE_ANSWER_YES)
            reason = g_strdup_printf (_("Skin type %s. %s"),
                                      striae_fitzpatrick_get_numeral (fitzpatrick),
                                      striae_check_get_reason (i));
          break;

        case STRIAE_CHECK_KIND_AGE:
          /* [contra] under 18 */
          if (birth_date == NULL || !g_date_valid (birth_date) ||
              g_date_compare (birth_date, today) > 0)
            answer = STRIAE_ANSWER_UNKNOWN;
          else if (age_on (birth_date, today) < STRIAE_ADULT_AGE)
            {
              int age = age_on (birth_date, today);

              answer = STRIAE_ANSWER_YES;
              /* TRANSLATORS: the patient's age in years, then the reason of the check */
              reason = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                     "The patient is %d year old. %s",
                                                     "The patient is %d years old. %s", age),
                                        age, striae_check_get_reason (i));
            }
          else
            answer = STRIAE_ANSWER_NO;
          break;

        default:
          g_assert_not_reached ();
        }

      if (answer == STRIAE_ANSWER_NO)
        continue;

      /* A question not asked yet is no finding: it is a missing answer. */
      if (answer == STRIAE_ANSWER_NOT_ASKED)
        {
          g_array_append_val (self->missing, i);
          continue;
        }

      if (answer == STRIAE_ANSWER_UNKNOWN)
        {
          g_clear_pointer (&reason, g_free);
          reason = unknown_reason (info, level);
        }
      else if (reason == NULL)
        reason = g_strdup (striae_check_get_reason (i));

      acknowledged = FALSE;
      finding = striae_finding_new (i, level, answer == STRIAE_ANSWER_UNKNOWN, reason, FALSE);
      /* Only relative findings can be acknowledged: an absolute one blocks whatever the
       * practitioner ticks. */
      if (level == STRIAE_LEVEL_RELATIVE)
        acknowledged = striae_consultation_is_acknowledged (consultation,
                                                            striae_finding_get_id (finding));
      if (acknowledged)
        {
          g_clear_object (&finding);
          finding = striae_finding_new (i, level, answer == STRIAE_ANSWER_UNKNOWN, reason, TRUE);
        }

      g_ptr_array_add (level == STRIAE_LEVEL_ABSOLUTE ? absolute : relative,
                       g_steal_pointer (&finding));
    }

  g_list_store_splice (self->findings, 0, 0, absolute->pdata, absolute->len);
  g_list_store_splice (self->findings, absolute->len, 0, relative->pdata, relative->len);

  return g_steal_pointer (&self);
}

/**
 * striae_screening_get_findings:
 *
 * Returns: (transfer none): a #GListModel of #StriaeFinding
 */
GListModel *
striae_screening_get_findings (StriaeScreening *self)
{
  g_return_val_if_fail (STRIAE_IS_SCREENING (self), NULL);
  return G_LIST_MODEL (self->findings);
}

/**
 * striae_screening_lookup:
 *
 * Returns: (transfer none) (nullable): the finding with @finding_id
 */
StriaeFinding *
striae_screening_lookup (StriaeScreening *self,
                         const char      *finding_id)
{
  guint n;

  g_return_val_if_fail (STRIAE_IS_SCREENING (self), NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->findings));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(StriaeFinding) finding = g_list_model_get_item (G_LIST_MODEL (self->findings), i);

      if (g_strcmp0 (striae_finding_get_id (finding), finding_id) == 0)
        return finding;  /* the store keeps its reference */
    }

  return NULL;
}

gboolean
striae_screening_has_absolute (StriaeScreening *self)
{
  g_autoptr(StriaeFinding) first = NULL;

  g_return_val_if_fail (STRIAE_IS_SCREENING (self), FALSE);

  /* Absolute findings come first. */
  first = g_list_model_get_item (G_LIST_MODEL (self->findings), 0);
  return first != NULL && striae_finding_get_level (first) == STRIAE_LEVEL_ABSOLUTE;
}

gboolean
striae_screening_all_relative_acknowledged (StriaeScreening *self)
{
  guint n;

  g_return_val_if_fail (STRIAE_IS_SCREENING (self), FALSE);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->findings));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(StriaeFinding) finding = g_list_model_get_item (G_LIST_MODEL (self->findings), i);

      if (striae_finding_get_level (finding) == STRIAE_LEVEL_RELATIVE &&
          !striae_finding_get_acknowledged (finding))
        return FALSE;
    }

  return TRUE;
}

guint
striae_screening_count_unanswered (StriaeScreening *self)
{
  guint n, count = 0;

  g_return_val_if_fail (STRIAE_IS_SCREENING (self), 0);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->findings));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(StriaeFinding) finding = g_list_model_get_item (G_LIST_MODEL (self->findings), i);

      if (striae_finding_get_unanswered (finding))
        count++;
    }

  return count;
}

/* Counts the findings of @parts at @level (%STRIAE_LEVEL_OFF: at any level). */
guint
striae_screening_count_findings (StriaeScreening     *self,
                                 StriaeScreeningPart  parts,
                                 StriaeLevel          level)
{
  guint n, count = 0;

  g_return_val_if_fail (STRIAE_IS_SCREENING (self), 0);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->findings));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(StriaeFinding) finding = g_list_model_get_item (G_LIST_MODEL (self->findings), i);

      if ((striae_check_get_part (striae_finding_get_check (finding)) & parts) != 0 &&
          (level == STRIAE_LEVEL_OFF || striae_finding_get_level (finding) == level))
        count++;
    }

  return count;
}

/* Counts the relative findings of @parts not acknowledged yet. */
guint
striae_screening_count_to_acknowledge (StriaeScreening     *self,
                                       StriaeScreeningPart  parts)
{
  guint n, count = 0;

  g_return_val_if_fail (STRIAE_IS_SCREENING (self), 0);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->findings));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(StriaeFinding) finding = g_list_model_get_item (G_LIST_MODEL (self->findings), i);

      if ((striae_check_get_part (striae_finding_get_check (finding)) & parts) != 0 &&
          striae_finding_get_level (finding) == STRIAE_LEVEL_RELATIVE &&
          !striae_finding_get_acknowledged (finding))
        count++;
    }

  return count;
}

/* Counts the answers of @parts that the plan needs and nobody gave yet: questions not
 * asked, a Fitzpatrick type not recorded. Questions of a check the rules turn off, and
 * radiofrequency questions for another device, are not needed. */
guint
striae_screening_count_missing (StriaeScreening     *self,
                                StriaeScreeningPart  parts)
{
  guint count = 0;

  g_return_val_if_fail (STRIAE_IS_SCREENING (self), 0);

  for (guint i = 0; i < self->missing->len; i++)
    if ((striae_check_get_part (g_array_index (self->missing, StriaeCheck, i)) & parts) != 0)
      count++;

  return count;
}

gboolean
striae_screening_is_missing (StriaeScreening *self,
                             StriaeCheck      check)
{
  g_return_val_if_fail (STRIAE_IS_SCREENING (self), FALSE);

  for (guint i = 0; i < self->missing->len; i++)
    if (g_array_index (self->missing, StriaeCheck, i) == check)
      return TRUE;

  return FALSE;
}

/* Whether the plan may be completed: no absolute finding, no missing answer and every
 * relative finding acknowledged. The error names the first thing in the way. */
gboolean
striae_screening_can_proceed (StriaeScreening  *self,
                              GError          **error)
{
  guint n;

  g_return_val_if_fail (STRIAE_IS_SCREENING (self), FALSE);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->findings));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(StriaeFinding) finding = g_list_model_get_item (G_LIST_MODEL (self->findings), i);

      if (striae_finding_get_level (finding) == STRIAE_LEVEL_ABSOLUTE)
        {
          g_set_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_CONTRAINDICATED,
                       _("Do not treat now: %s. %s"),
                       striae_finding_get_title (finding), striae_finding_get_reason (finding));
          return FALSE;
        }
    }

  if (self->missing->len > 0)
    {
      StriaeCheck check = g_array_index (self->missing, StriaeCheck, 0);

      if (check == STRIAE_CHECK_FITZPATRICK)
        g_set_error_literal (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INCOMPLETE,
                             _("The skin type is not recorded yet. Record it before the plan "
                               "can be completed."));
      else
        g_set_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INCOMPLETE,
                   _("“%s” is not answered yet. Answer it (“Unknown” is an answer) before "
                     "the plan can be completed."),
                   striae_check_get_title (check));
      return FALSE;
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(StriaeFinding) finding = g_list_model_get_item (G_LIST_MODEL (self->findings), i);

      if (!striae_finding_get_acknowledged (finding))
        {
          g_set_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INCOMPLETE,
                       _("Acknowledge “%s” (or resolve it) before the plan can be completed."),
                       striae_finding_get_title (finding));
          return FALSE;
        }
    }

  return TRUE;
}

/**
 * striae_screening_acknowledge:
 * @consultation: the consultation @self screened
 *
 * Records (or withdraws) the practitioner's acknowledgement of the relative finding
 * @finding_id. [contra] Only a relative finding can be acknowledged: a question not asked
 * yet is no finding, and an absolute finding blocks whatever is ticked; both are refused
 * with an error that says what to do instead. Withdrawing is always allowed.
 */
gboolean
striae_screening_acknowledge (StriaeScreening     *self,
                              StriaeConsultation  *consultation,
                              const char          *finding_id,
                              gboolean             acknowledge,
                              GError             **error)
{
  StriaeFinding *finding;

  g_return_val_if_fail (STRIAE_IS_SCREENING (self), FALSE);
  g_return_val_if_fail (STRIAE_IS_CONSULTATION (consultation), FALSE);
  g_return_val_if_fail (finding_id != NULL && finding_id[0] != '\0', FALSE);

  finding = striae_screening_lookup (self, finding_id);
  if (acknowledge && finding == NULL)
    {
      g_set_error_literal (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
                           _("There is no such finding to acknowledge: answer the question "
                             "first."));
      return FALSE;
    }
  if (acknowledge && striae_finding_get_level (finding) == STRIAE_LEVEL_ABSOLUTE)
    {
      g_set_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_CONTRAINDICATED,
                   _("“%s” blocks the plan and cannot be acknowledged."),
                   striae_finding_get_title (finding));
      return FALSE;
    }

  striae_consultation_set_acknowledged (consultation, finding_id, acknowledge);
  return TRUE;
}

const char *
striae_screening_get_rules_hash (StriaeScreening *self)
{
  g_return_val_if_fail (STRIAE_IS_SCREENING (self), NULL);
  return self->rules_hash;
}

/**
 * striae_consultation_check_complete:
 *
 * Whether the consultation may be marked complete: a date and a practitioner, valid
 * history, skin and areas, screening that lets the plan go ahead (no absolute finding, every
 * relative one acknowledged), and a complete plan. The error names the first thing missing.
 * Marking it complete, and recording the rules with striae_consultation_set_rules(), is the
 * caller's.
 */
gboolean
striae_consultation_check_complete (StriaeConsultation  *consultation,
                                    StriaeRules         *rules,
                                    const GDate         *birth_date,
                                    const GDate         *today,
                                    GError             **error)
{
  g_autoptr(StriaeScreening) screening = NULL;
  GListModel *areas;
  guint n;

  g_return_val_if_fail (STRIAE_IS_CONSULTATION (consultation), FALSE);
  g_return_val_if_fail (STRIAE_IS_RULES (rules), FALSE);
  g_return_val_if_fail (today != NULL && g_date_valid (today), FALSE);

  if (striae_consultation_get_date (consultation) == NULL)
    {
      g_set_error_literal (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INCOMPLETE,
                           _("Enter a date."));
      g_prefix_error (error, _("Consultation date: "));
      return FALSE;
    }

  if (striae_consultation_get_practitioner (consultation)[0] == '\0')
    {
      g_set_error_literal (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INCOMPLETE,
                           _("Enter the name of the practitioner."));
      return FALSE;
    }

  if (!striae_history_validate (striae_consultation_get_history (consultation), today, error) ||
      !striae_skin_validate (striae_consultation_get_skin (consultation), error))
    return FALSE;

  areas = striae_consultation_get_areas (consultation);
  n = g_list_model_get_n_items (areas);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(StriaeArea) area = g_list_model_get_item (areas, i);

      if (!striae_area_validate (area, error))
        return FALSE;
    }

  screening = striae_screen (consultation, rules, birth_date, today);
  if (!striae_screening_can_proceed (screening, error))
    return FALSE;

  return striae_plan_validate (striae_consultation_get_plan (consultation), areas, NULL, error);
}
