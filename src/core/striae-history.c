/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "striae-core-enums.h"
#include "striae-core-error.h"
#include "striae-core-private.h"
#include "striae-history.h"

struct _StriaeHistory
{
  GObject       parent_instance;

  StriaeAnswer  answers[STRIAE_N_QUESTIONS];
  char         *details[STRIAE_N_QUESTIONS];
  char         *medication;
  GDate         isotretinoin_end_date;
};

G_DEFINE_FINAL_TYPE (StriaeHistory, striae_history, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_MEDICATION,
  PROP_ISOTRETINOIN_END_DATE,
  N_PROPS
};

enum {
  ANSWER_CHANGED,
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties [N_PROPS];
static guint signals [N_SIGNALS];

/* Every question is one contraindication of CLINICAL.md [contra]; the wording is ours. */
static const StriaeQuestionInfo questions[STRIAE_N_QUESTIONS] = {
  { STRIAE_QUESTION_INFECTION, "infection",
    N_("Skin infection in or near the area (bacterial, fungal, or viral such as an active "
       "cold sore)"),
    N_("Where, and what kind"), STRIAE_QUESTION_GROUP_SKIN_AREA, FALSE },
  { STRIAE_QUESTION_OPEN_WOUND, "open-wound",
    N_("Open wounds, cuts or broken skin in the area"),
    N_("Where"), STRIAE_QUESTION_GROUP_SKIN_AREA, FALSE },
  { STRIAE_QUESTION_INFLAMMATORY_SKIN, "inflammatory-skin",
    N_("Active acne, rosacea flare, eczema, psoriasis or other skin inflammation in the area"),
    N_("Which condition, and where"), STRIAE_QUESTION_GROUP_SKIN_AREA, FALSE },
  { STRIAE_QUESTION_HERPES_HISTORY, "herpes-history",
    N_("Cold sores (herpes simplex) in the area in the past"),
    N_("How often, last outbreak"), STRIAE_QUESTION_GROUP_SKIN_AREA, FALSE },
  { STRIAE_QUESTION_ISOTRETINOIN, "isotretinoin",
    N_("Oral isotretinoin (an acne medicine) now or recently"),
    N_("Dose and reason"), STRIAE_QUESTION_GROUP_MEDICINES, FALSE },
  { STRIAE_QUESTION_ANTICOAGULANTS, "anticoagulants",
    N_("Blood thinners: anticoagulant or antiplatelet medicine"),
    N_("Which medicine"), STRIAE_QUESTION_GROUP_MEDICINES, FALSE },
  { STRIAE_QUESTION_CORTICOSTEROIDS, "corticosteroids",
    N_("High-dose corticosteroid tablets or injections"),
    N_("Which medicine and dose"), STRIAE_QUESTION_GROUP_MEDICINES, FALSE },
  { STRIAE_QUESTION_CANCER, "cancer",
    N_("Active cancer in the area, or chemotherapy or radiotherapy now"),
    N_("Details"), STRIAE_QUESTION_GROUP_CONDITIONS, FALSE },
  { STRIAE_QUESTION_KELOID, "keloid",
    N_("Keloids or raised (hypertrophic) scars in the past"),
    N_("Where, and when"), STRIAE_QUESTION_GROUP_CONDITIONS, FALSE },
  { STRIAE_QUESTION_BLEEDING_DISORDER, "bleeding-disorder",
    N_("Bleeding disorder"),
    N_("Which disorder"), STRIAE_QUESTION_GROUP_CONDITIONS, FALSE },
  { STRIAE_QUESTION_DIABETES, "diabetes",
    N_("Diabetes or another condition that slows wound healing"),
    N_("Which condition, and how well controlled"), STRIAE_QUESTION_GROUP_CONDITIONS, FALSE },
  { STRIAE_QUESTION_IMMUNOSUPPRESSION, "immunosuppression",
    N_("Weakened immune system, or medicine that suppresses it"),
    N_("Cause or medicine"), STRIAE_QUESTION_GROUP_CONDITIONS, FALSE },
  { STRIAE_QUESTION_AUTOIMMUNE, "autoimmune",
    N_("Autoimmune disease such as lupus, scleroderma or vitiligo"),
    N_("Which disease"), STRIAE_QUESTION_GROUP_CONDITIONS, FALSE },
  { STRIAE_QUESTION_PREGNANCY, "pregnancy",
    N_("Pregnant now, or could be pregnant"),
    N_("Weeks, or due date"), STRIAE_QUESTION_GROUP_PREGNANCY, FALSE },
  { STRIAE_QUESTION_BREASTFEEDING, "breastfeeding",
    N_("Breastfeeding"),
    N_("Details"), STRIAE_QUESTION_GROUP_PREGNANCY, FALSE },
  { STRIAE_QUESTION_ALLERGY_ANAESTHETIC, "allergy-anaesthetic",
    N_("Allergy to local anaesthetics (numbing cream)"),
    N_("Which substance, what reaction"), STRIAE_QUESTION_GROUP_ALLERGIES, FALSE },
  { STRIAE_QUESTION_ALLERGY_METAL, "allergy-metal",
    N_("Allergy to metals such as nickel"),
    N_("Which metal, what reaction"), STRIAE_QUESTION_GROUP_ALLERGIES, FALSE },
  { STRIAE_QUESTION_ALLERGY_SERUM, "allergy-serum",
    N_("Allergy to ingredients of skin serums or creams"),
    N_("Which ingredient, what reaction"), STRIAE_QUESTION_GROUP_ALLERGIES, FALSE },
  { STRIAE_QUESTION_PACEMAKER, "pacemaker",
    N_("Pacemaker or implanted defibrillator"),
    N_("Device"), STRIAE_QUESTION_GROUP_RF, TRUE },
  { STRIAE_QUESTION_METAL_IMPLANT, "metal-implant",
    N_("Metal implants in the area (plates, screws, piercings that stay in)"),
    N_("What, and where"), STRIAE_QUESTION_GROUP_RF, TRUE },
};

const StriaeQuestionInfo *
striae_question_get_info (StriaeQuestion question)
{
  g_return_val_if_fail (question < STRIAE_N_QUESTIONS, NULL);
  g_assert (questions[question].question == question);

  return &questions[question];
}

const char *
striae_question_get_label (StriaeQuestion question)
{
  g_return_val_if_fail (question < STRIAE_N_QUESTIONS, NULL);
  return _(questions[question].label);
}

const char *
striae_question_get_detail_label (StriaeQuestion question)
{
  g_return_val_if_fail (question < STRIAE_N_QUESTIONS, NULL);
  return _(questions[question].detail_label);
}

gboolean
striae_question_from_id (const char     *id,
                         StriaeQuestion *question)
{
  for (guint i = 0; i < STRIAE_N_QUESTIONS; i++)
    {
      if (g_strcmp0 (questions[i].id, id) == 0)
        {
          if (question)
            *question = i;
          return TRUE;
        }
    }

  return FALSE;
}

const char *
striae_question_group_get_label (StriaeQuestionGroup group)
{
  switch (group)
    {
    case STRIAE_QUESTION_GROUP_SKIN_AREA:
      return _("Infection and skin disease in the area");
    case STRIAE_QUESTION_GROUP_MEDICINES:
      return _("Medicines");
    case STRIAE_QUESTION_GROUP_CONDITIONS:
      return _("Conditions");
    case STRIAE_QUESTION_GROUP_PREGNANCY:
      return _("Pregnancy");
    case STRIAE_QUESTION_GROUP_ALLERGIES:
      return _("Allergies");
    case STRIAE_QUESTION_GROUP_RF:
      return _("Radiofrequency microneedling");
    default:
      g_return_val_if_reached (NULL);
    }
}

static void
emit_changed (StriaeHistory *self)
{
  g_signal_emit (self, signals [CHANGED], 0);
}

static void
striae_history_finalize (GObject *object)
{
  StriaeHistory *self = (StriaeHistory *)object;

  for (guint i = 0; i < STRIAE_N_QUESTIONS; i++)
    g_clear_pointer (&self->details[i], g_free);
  g_clear_pointer (&self->medication, g_free);

  G_OBJECT_CLASS (striae_history_parent_class)->finalize (object);
}

static void
striae_history_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  StriaeHistory *self = STRIAE_HISTORY (object);

  switch (prop_id)
    {
    case PROP_MEDICATION:
      g_value_set_string (value, self->medication);
      break;
    case PROP_ISOTRETINOIN_END_DATE:
      g_value_set_boxed (value, striae_date_or_null (&self->isotretinoin_end_date));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_history_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  StriaeHistory *self = STRIAE_HISTORY (object);

  switch (prop_id)
    {
    case PROP_MEDICATION:
      striae_history_set_medication (self, g_value_get_string (value));
      break;
    case PROP_ISOTRETINOIN_END_DATE:
      striae_history_set_isotretinoin_end_date (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_history_class_init (StriaeHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = striae_history_finalize;
  object_class->get_property = striae_history_get_property;
  object_class->set_property = striae_history_set_property;

  properties [PROP_MEDICATION] =
    g_param_spec_string ("medication", NULL, NULL, "", flags);
  properties [PROP_ISOTRETINOIN_END_DATE] =
    g_param_spec_boxed ("isotretinoin-end-date", NULL, NULL, G_TYPE_DATE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * StriaeHistory::answer-changed:
   * @question: the StriaeQuestion whose answer or detail changed
   */
  signals [ANSWER_CHANGED] =
    g_signal_new ("answer-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, STRIAE_TYPE_QUESTION);

  /**
   * StriaeHistory::changed:
   *
   * Emitted after any change, so that the consultation can schedule a save.
   */
  signals [CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
striae_history_init (StriaeHistory *self)
{
  for (guint i = 0; i < STRIAE_N_QUESTIONS; i++)
    self->details[i] = g_strdup ("");
  self->medication = g_strdup ("");
  g_date_clear (&self->isotretinoin_end_date, 1);
}

StriaeHistory *
striae_history_new (void)
{
  return g_object_new (STRIAE_TYPE_HISTORY, NULL);
}

/* Copies every answer into @dest through the setters, so @dest notifies what changed. */
void
striae_history_copy_into (StriaeHistory *self,
                          StriaeHistory *dest)
{
  g_return_if_fail (STRIAE_IS_HISTORY (self));
  g_return_if_fail (STRIAE_IS_HISTORY (dest));

  for (guint i = 0; i < STRIAE_N_QUESTIONS; i++)
    {
      striae_history_set_answer (dest, i, self->answers[i]);
      striae_history_set_detail (dest, i, self->details[i]);
    }
  striae_history_set_medication (dest, self->medication);
  striae_history_set_isotretinoin_end_date (dest, &self->isotretinoin_end_date);
}

StriaeAnswer
striae_history_get_answer (StriaeHistory  *self,
                           StriaeQuestion  question)
{
  g_return_val_if_fail (STRIAE_IS_HISTORY (self), STRIAE_ANSWER_NOT_ASKED);
  g_return_val_if_fail (question < STRIAE_N_QUESTIONS, STRIAE_ANSWER_NOT_ASKED);

  return self->answers[question];
}

void
striae_history_set_answer (StriaeHistory  *self,
                           StriaeQuestion  question,
                           StriaeAnswer    answer)
{
  g_return_if_fail (STRIAE_IS_HISTORY (self));
  g_return_if_fail (question < STRIAE_N_QUESTIONS);
  g_return_if_fail (answer < STRIAE_N_ANSWERS);

  if (self->answers[question] == answer)
    return;

  self->answers[question] = answer;
  g_signal_emit (self, signals [ANSWER_CHANGED], 0, question);
  emit_changed (self);
}

const char *
striae_history_get_detail (StriaeHistory  *self,
                           StriaeQuestion  question)
{
  g_return_val_if_fail (STRIAE_IS_HISTORY (self), NULL);
  g_return_val_if_fail (question < STRIAE_N_QUESTIONS, NULL);

  return self->details[question];
}

void
striae_history_set_detail (StriaeHistory  *self,
                           StriaeQuestion  question,
                           const char     *detail)
{
  g_return_if_fail (STRIAE_IS_HISTORY (self));
  g_return_if_fail (question < STRIAE_N_QUESTIONS);

  if (striae_core_set_text (G_OBJECT (self), &self->details[question], detail, NULL))
    {
      g_signal_emit (self, signals [ANSWER_CHANGED], 0, question);
      emit_changed (self);
    }
}

const char *
striae_history_get_medication (StriaeHistory *self)
{
  g_return_val_if_fail (STRIAE_IS_HISTORY (self), NULL);
  return self->medication;
}

void
striae_history_set_medication (StriaeHistory *self,
                               const char    *medication)
{
  g_return_if_fail (STRIAE_IS_HISTORY (self));

  if (striae_core_set_text (G_OBJECT (self), &self->medication, medication,
                            properties [PROP_MEDICATION]))
    emit_changed (self);
}

/* Returns: (nullable): the day of the last isotretinoin dose, %NULL when none is given */
const GDate *
striae_history_get_isotretinoin_end_date (StriaeHistory *self)
{
  g_return_val_if_fail (STRIAE_IS_HISTORY (self), NULL);
  return striae_date_or_null (&self->isotretinoin_end_date);
}

/* @end_date: (nullable): the day of the last dose, or %NULL for none */
void
striae_history_set_isotretinoin_end_date (StriaeHistory *self,
                                          const GDate   *end_date)
{
  g_return_if_fail (STRIAE_IS_HISTORY (self));

  if (striae_date_assign (&self->isotretinoin_end_date, end_date))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ISOTRETINOIN_END_DATE]);
      emit_changed (self);
    }
}

static gboolean
check_text (const char  *text,
            gsize        max_chars,
            const char  *label,
            GError     **error)
{
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
                   _("%s contains text that is not valid UTF-8."), label);
      return FALSE;
    }

  if (g_utf8_strlen (text, -1) > (glong) max_chars)
    {
      g_set_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
                   g_dngettext (GETTEXT_PACKAGE, "%s is too long: at most %u character.",
                                "%s is too long: at most %u characters.", max_chars),
                   label, (guint) max_chars);
      return FALSE;
    }

  return TRUE;
}

/* Checks what a person typed: the texts and the isotretinoin date. An unanswered question is
 * not an error here; screening reports it (see striae_screen()). Whether the date is one is
 * the form's concern: only a day reaches the model. */
gboolean
striae_history_validate (StriaeHistory  *self,
                         const GDate    *today,
                         GError        **error)
{
  g_return_val_if_fail (STRIAE_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (today != NULL && g_date_valid (today), FALSE);

  for (guint i = 0; i < STRIAE_N_QUESTIONS; i++)
    if (!check_text (self->details[i], STRIAE_HISTORY_DETAIL_MAX,
                     striae_question_get_label (i), error))
      return FALSE;

  if (!check_text (self->medication, STRIAE_HISTORY_TEXT_MAX, _("Current medication"), error))
    return FALSE;

  if (g_date_valid (&self->isotretinoin_end_date) &&
      self->answers[STRIAE_QUESTION_ISOTRETINOIN] == STRIAE_ANSWER_NO)
    {
      g_set_error_literal (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
                           _("An isotretinoin end date is given, but the isotretinoin question "
                             "is answered “no”. Answer “yes” or clear the date."));
      return FALSE;
    }

  return TRUE;
}
