/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "striae-core-enums.h"
#include "striae-core-error.h"
#include "striae-core-private.h"
#include "striae-json-private.h"
#include "striae-rules.h"

#define NO_QUESTION STRIAE_N_QUESTIONS
#define NO_FACT     STRIAE_N_SKIN_FACTS

/* The contraindications of CLINICAL.md "Screening: contraindications". Columns: check, id,
 * source label, default level, what it looks at, title, reason. Every sentence is ours. */
static const StriaeCheckInfo checks[STRIAE_N_CHECKS] = {
  /* [contra] absolute: active infection in or near the area, incl. active herpes simplex */
  { STRIAE_CHECK_INFECTION, "infection", "[contra]", STRIAE_LEVEL_ABSOLUTE,
    STRIAE_CHECK_KIND_QUESTION, STRIAE_QUESTION_INFECTION, NO_FACT,
    N_("Skin infection in or near the area"),
    N_("Needling infected skin can spread the infection and slow healing. Treat the infection "
       "first, and treat the area once the skin has healed.") },
  /* [contra] absolute: open wounds, cuts or broken skin in the area */
  { STRIAE_CHECK_OPEN_WOUND, "open-wound", "[contra]", STRIAE_LEVEL_ABSOLUTE,
    STRIAE_CHECK_KIND_QUESTION, STRIAE_QUESTION_OPEN_WOUND, NO_FACT,
    N_("Open wound or broken skin"),
    N_("Broken skin lets germs in and must not be injured further. Wait until it has closed "
       "and healed.") },
  /* [contra] absolute: active acne, rosacea, eczema, psoriasis or other inflammation there */
  { STRIAE_CHECK_INFLAMMATORY_SKIN, "inflammatory-skin", "[contra]", STRIAE_LEVEL_ABSOLUTE,
    STRIAE_CHECK_KIND_QUESTION, STRIAE_QUESTION_INFLAMMATORY_SKIN, NO_FACT,
    N_("Inflamed skin in the area"),
    N_("Needling inflamed skin can make the flare worse and spread it. Wait until the skin "
       "is calm.") },
  /* [contra] absolute by default: oral isotretinoin within the delay (label: 6 months; the
   * 2017 JAMA Dermatology consensus found too little evidence, so a clinic may lower it) */
  { STRIAE_CHECK_ISOTRETINOIN, "isotretinoin", "[contra] isotretinoin", STRIAE_LEVEL_ABSOLUTE,
    STRIAE_CHECK_KIND_QUESTION, STRIAE_QUESTION_ISOTRETINOIN, NO_FACT,
    N_("Oral isotretinoin"),
    N_("Oral isotretinoin slows skin healing and may raise the risk of scarring. The "
       "medicine’s label asks for a wait after the last dose; a 2017 expert consensus found "
       "too little evidence to require it.") },
  /* [contra] absolute: pregnancy (treat stretch marks of pregnancy after delivery) */
  { STRIAE_CHECK_PREGNANCY, "pregnancy", "[contra]", STRIAE_LEVEL_ABSOLUTE,
    STRIAE_CHECK_KIND_QUESTION, STRIAE_QUESTION_PREGNANCY, NO_FACT,
    N_("Pregnancy"),
    N_("Microneedling is not done during pregnancy. Stretch marks from pregnancy can be "
       "treated after the baby is born.") },
  /* [contra] absolute: active cancer in the area, or chemotherapy or radiotherapy now */
  { STRIAE_CHECK_CANCER, "cancer", "[contra]", STRIAE_LEVEL_ABSOLUTE,
    STRIAE_CHECK_KIND_QUESTION, STRIAE_QUESTION_CANCER, NO_FACT,
    N_("Cancer or cancer treatment"),
    N_("Active cancer in the area, or chemotherapy or radiotherapy now, rules out treatment: "
       "the skin heals poorly and the area belongs in the care of the patient’s doctors.") },
  /* [contra] absolute (as many guidelines have it): history of keloids or hypertrophic scars */
  { STRIAE_CHECK_KELOID, "keloid", "[contra]", STRIAE_LEVEL_ABSOLUTE,
    STRIAE_CHECK_KIND_QUESTION, STRIAE_QUESTION_KELOID, NO_FACT,
    N_("Keloids or raised scars"),
    N_("People who form keloids or raised scars may form new ones where the needles injure "
       "the skin. Many guidelines do not treat them.") },
  /* [contra] absolute for RF only: pacemaker or implanted defibrillator */
  { STRIAE_CHECK_PACEMAKER, "pacemaker", "[contra] RF", STRIAE_LEVEL_ABSOLUTE,
    STRIAE_CHECK_KIND_QUESTION, STRIAE_QUESTION_PACEMAKER, NO_FACT,
    N_("Pacemaker or defibrillator (radiofrequency)"),
    N_("Radiofrequency energy can interfere with a pacemaker or an implanted defibrillator. "
       "Do not use radiofrequency microneedling; a device without radiofrequency may be an "
       "option.") },
  /* [contra] absolute for RF only: metal implants in the area (2025 FDA safety communication:
   * burns, scarring, fat loss, nerve damage) */
  { STRIAE_CHECK_METAL_IMPLANT, "metal-implant", "[contra] RF", STRIAE_LEVEL_ABSOLUTE,
    STRIAE_CHECK_KIND_QUESTION, STRIAE_QUESTION_METAL_IMPLANT, NO_FACT,
    N_("Metal implant in the area (radiofrequency)"),
    N_("Metal in the area can heat up under radiofrequency energy. In 2025 the US FDA "
       "reported burns, scarring, fat loss and nerve damage with radiofrequency "
       "microneedling. Do not use radiofrequency on this area.") },
  /* [contra] relative (some clinics: absolute): bleeding disorder */
  { STRIAE_CHECK_BLEEDING_DISORDER, "bleeding-disorder", "[contra]", STRIAE_LEVEL_RELATIVE,
    STRIAE_CHECK_KIND_QUESTION, STRIAE_QUESTION_BLEEDING_DISORDER, NO_FACT,
    N_("Bleeding disorder"),
    N_("A bleeding disorder means more bleeding and bruising, more so with deeper needles. "
       "Some clinics do not treat at all.") },
  /* [contra] relative (some clinics: absolute): anticoagulant or antiplatelet medicine;
   * never advise stopping it */
  { STRIAE_CHECK_ANTICOAGULANTS, "anticoagulants", "[contra]", STRIAE_LEVEL_RELATIVE,
    STRIAE_CHECK_KIND_QUESTION, STRIAE_QUESTION_ANTICOAGULANTS, NO_FACT,
    N_("Blood thinners"),
    N_("Blood thinners cause more bleeding and bruising. Never advise stopping a prescribed "
       "medicine: refer the question to the doctor who prescribed it.") },
  /* [contra] relative: diabetes or other conditions with impaired wound healing */
  { STRIAE_CHECK_DIABETES, "diabetes", "[contra]", STRIAE_LEVEL_RELATIVE,
    STRIAE_CHECK_KIND_QUESTION, STRIAE_QUESTION_DIABETES, NO_FACT,
    N_("Diabetes or slow wound healing"),
    N_("Diabetes and other conditions that slow wound healing raise the risk of infection "
       "and make recovery slower.") },
  /* [contra] relative: immunosuppression */
  { STRIAE_CHECK_IMMUNOSUPPRESSION, "immunosuppression", "[contra]", STRIAE_LEVEL_RELATIVE,
    STRIAE_CHECK_KIND_QUESTION, STRIAE_QUESTION_IMMUNOSUPPRESSION, NO_FACT,
    N_("Weakened immune system"),
    N_("A weakened immune system raises the risk of infection and slows healing.") },
  /* [contra] relative: autoimmune disease (lupus, scleroderma, vitiligo) */
  { STRIAE_CHECK_AUTOIMMUNE, "autoimmune", "[contra]", STRIAE_LEVEL_RELATIVE,
    STRIAE_CHECK_KIND_QUESTION, STRIAE_QUESTION_AUTOIMMUNE, NO_FACT,
    N_("Autoimmune disease"),
    N_("Autoimmune disease such as lupus or scleroderma can react to skin injury, and "
       "vitiligo can spread to injured skin.") },
  /* [contra] relative (some clinics: absolute): breastfeeding */
  { STRIAE_CHECK_BREASTFEEDING, "breastfeeding", "[contra]", STRIAE_LEVEL_RELATIVE,
    STRIAE_CHECK_KIND_QUESTION, STRIAE_QUESTION_BREASTFEEDING, NO_FACT,
    N_("Breastfeeding"),
    N_("Treatment while breastfeeding needs caution; some clinics wait until breastfeeding "
       "has ended.") },
  /* [contra] relative: history of herpes simplex in the area (antiviral prophylaxis) */
  { STRIAE_CHECK_HERPES_HISTORY, "herpes-history", "[contra]", STRIAE_LEVEL_RELATIVE,
    STRIAE_CHECK_KIND_QUESTION, STRIAE_QUESTION_HERPES_HISTORY, NO_FACT,
    N_("Cold sores in the area before"),
    N_("Needling can bring back cold sores where they have been before. Consider antiviral "
       "medicine before treatment; this matters most on the face.") },
  /* [contra] relative: high-dose systemic corticosteroids */
  { STRIAE_CHECK_CORTICOSTEROIDS, "corticosteroids", "[contra]", STRIAE_LEVEL_RELATIVE,
    STRIAE_CHECK_KIND_QUESTION, STRIAE_QUESTION_CORTICOSTEROIDS, NO_FACT,
    N_("High-dose corticosteroids"),
    N_("High doses of corticosteroid tablets or injections thin the skin and slow "
       "healing.") },
  /* [contra] relative: allergy to local anaesthetics (no numbing cream) */
  { STRIAE_CHECK_ALLERGY_ANAESTHETIC, "allergy-anaesthetic", "[contra]", STRIAE_LEVEL_RELATIVE,
    STRIAE_CHECK_KIND_QUESTION, STRIAE_QUESTION_ALLERGY_ANAESTHETIC, NO_FACT,
    N_("Allergy to local anaesthetics"),
    N_("The patient must not get numbing cream. Plan the sessions without it and agree with "
       "the patient how to keep them comfortable.") },
  /* [contra] relative: allergy to metals such as nickel (check the needle material) */
  { STRIAE_CHECK_ALLERGY_METAL, "allergy-metal", "[contra]", STRIAE_LEVEL_RELATIVE,
    STRIAE_CHECK_KIND_QUESTION, STRIAE_QUESTION_ALLERGY_METAL, NO_FACT,
    N_("Allergy to metals"),
    N_("Check what the needles are made of, and use needles free of the metal the patient "
       "reacts to.") },
  /* [contra] relative: allergy to ingredients of serums applied during treatment */
  { STRIAE_CHECK_ALLERGY_SERUM, "allergy-serum", "[contra]", STRIAE_LEVEL_RELATIVE,
    STRIAE_CHECK_KIND_QUESTION, STRIAE_QUESTION_ALLERGY_SERUM, NO_FACT,
    N_("Allergy to serum ingredients"),
    N_("The needle channels carry products deep into the skin. Check every product used "
       "during and after treatment for the ingredients the patient reacts to.") },
  /* [contra] relative: recent sun exposure, tan or sunburn in the area (about 2 weeks) */
  { STRIAE_CHECK_RECENT_SUN, "recent-sun", "[contra]", STRIAE_LEVEL_RELATIVE,
    STRIAE_CHECK_KIND_SKIN, NO_QUESTION, STRIAE_SKIN_FACT_RECENT_SUN,
    N_("Recent sun, tan or sunburn"),
    N_("Skin that was in the sun, tanned or burned in the last 2 weeks reacts more and darkens "
       "more easily. Wait until it has had 2 weeks without sun.") },
  /* [contra] relative: laser, chemical peel or other resurfacing in the last 4 weeks */
  { STRIAE_CHECK_RECENT_RESURFACING, "recent-resurfacing", "[contra]", STRIAE_LEVEL_RELATIVE,
    STRIAE_CHECK_KIND_SKIN, NO_QUESTION, STRIAE_SKIN_FACT_RECENT_RESURFACING,
    N_("Recent laser, peel or resurfacing"),
    N_("The skin needs time to recover from a laser, a chemical peel or other resurfacing. "
       "Wait until 4 weeks have passed.") },
  /* [contra] relative: topical retinoids or exfoliating acids in use (pause before) */
  { STRIAE_CHECK_RETINOIDS, "retinoids", "[contra] [before]", STRIAE_LEVEL_RELATIVE,
    STRIAE_CHECK_KIND_SKIN, NO_QUESTION, STRIAE_SKIN_FACT_RETINOIDS,
    N_("Retinoid creams or exfoliating acids"),
    N_("Retinoid creams and exfoliating acids make the skin more fragile. The patient should "
       "pause them a few days before treatment, commonly 3 to 5 days.") },
  /* [contra] relative: history of PIH or of adverse reactions to skin treatments */
  { STRIAE_CHECK_PIH_HISTORY, "pih-history", "[contra] [fitzpatrick]", STRIAE_LEVEL_RELATIVE,
    STRIAE_CHECK_KIND_SKIN, NO_QUESTION, STRIAE_SKIN_FACT_PIH_HISTORY,
    N_("Dark marks or reactions after earlier treatments"),
    N_("Dark marks or bad reactions after earlier skin treatments mean a higher risk of "
       "pigment change. Use a gentler depth, longer intervals and strict sun protection, and "
       "consider a test patch.") },
  /* [contra] relative: sensitive skin */
  { STRIAE_CHECK_SENSITIVE_SKIN, "sensitive-skin", "[contra]", STRIAE_LEVEL_RELATIVE,
    STRIAE_CHECK_KIND_SKIN, NO_QUESTION, STRIAE_SKIN_FACT_SENSITIVE,
    N_("Sensitive skin"),
    N_("Sensitive skin reacts more strongly to needling. Plan gently and check how the skin "
       "reacted before the next session.") },
  /* [contra] [fitzpatrick] relative: types IV–VI, higher risk of pigment change */
  { STRIAE_CHECK_FITZPATRICK, "fitzpatrick", "[contra] [fitzpatrick]", STRIAE_LEVEL_RELATIVE,
    STRIAE_CHECK_KIND_FITZPATRICK, NO_QUESTION, NO_FACT,
    N_("Skin type IV to VI"),
    N_("Skin types IV to VI are more likely to get darker or lighter patches after "
       "treatment, which may be temporary or permanent. Use a gentler depth, longer "
       "intervals and strict sun protection; a test patch is prudent.") },
  /* [contra] relative: patient under 18 (guardian consent) */
  { STRIAE_CHECK_MINOR, "minor", "[contra] [consent]", STRIAE_LEVEL_RELATIVE,
    STRIAE_CHECK_KIND_AGE, NO_QUESTION, NO_FACT,
    N_("Patient under 18"),
    N_("The patient is under 18. A parent or guardian must give consent and sign the "
       "consent form.") },
};

const StriaeCheckInfo *
striae_check_get_info (StriaeCheck check)
{
  g_return_val_if_fail (check < STRIAE_N_CHECKS, NULL);
  g_assert (checks[check].check == check);

  return &checks[check];
}

const char *
striae_check_get_title (StriaeCheck check)
{
  g_return_val_if_fail (check < STRIAE_N_CHECKS, NULL);
  return _(checks[check].title);
}

const char *
striae_check_get_reason (StriaeCheck check)
{
  g_return_val_if_fail (check < STRIAE_N_CHECKS, NULL);
  return _(checks[check].reason);
}

gboolean
striae_check_from_id (const char  *id,
                      StriaeCheck *check)
{
  for (guint i = 0; i < STRIAE_N_CHECKS; i++)
    {
      if (g_strcmp0 (checks[i].id, id) == 0)
        {
          if (check)
            *check = i;
          return TRUE;
        }
    }

  return FALSE;
}

gboolean
striae_check_for_question (StriaeQuestion  question,
                           StriaeCheck    *check)
{
  for (guint i = 0; i < STRIAE_N_CHECKS; i++)
    {
      if (checks[i].kind == STRIAE_CHECK_KIND_QUESTION && checks[i].question == question)
        {
          if (check)
            *check = i;
          return TRUE;
        }
    }

  return FALSE;
}

const char *
striae_level_get_label (StriaeLevel level)
{
  switch (level)
    {
    case STRIAE_LEVEL_OFF:
      return _("Off");
    case STRIAE_LEVEL_RELATIVE:
      return _("Relative: treat with caution");
    case STRIAE_LEVEL_ABSOLUTE:
      return _("Absolute: do not treat now");
    default:
      g_return_val_if_reached (NULL);
    }
}

struct _StriaeRules
{
  GObject     parent_instance;

  StriaeLevel levels[STRIAE_N_CHECKS];
  guint       isotretinoin_delay_months;
  double      depth[STRIAE_N_SEVERITIES][2];   /* [severity][thin] */
  double      pih_depth_step;
  guint       sessions[STRIAE_N_SEVERITIES];
  guint       interval_weeks[STRIAE_N_SEVERITIES][2];  /* [severity][higher risk] */
  guint       maintenance_months[2];           /* [higher risk] */
};

G_DEFINE_FINAL_TYPE (StriaeRules, striae_rules, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

/* The numeric settings, with their defaults and the range a clinic may set. Columns: key,
 * field, double or whole number, default, minimum, maximum, source. */
typedef struct
{
  const char *key;
  gsize       offset;
  gboolean    is_mm;
  double      def;
  double      min;
  double      max;
  const char *source;
} Setting;

#define DEPTH(sev, thin) G_STRUCT_OFFSET (StriaeRules, depth) + \
  ((sev) * 2 + (thin)) * sizeof (double)
#define SESSIONS(sev) G_STRUCT_OFFSET (StriaeRules, sessions) + (sev) * sizeof (guint)
#define INTERVAL(sev, risk) G_STRUCT_OFFSET (StriaeRules, interval_weeks) + \
  ((sev) * 2 + (risk)) * sizeof (guint)
#define MAINTENANCE(risk) G_STRUCT_OFFSET (StriaeRules, maintenance_months) + \
  (risk) * sizeof (guint)

static const Setting settings[] = {
  /* [contra] the label's 6-month wait after oral isotretinoin; a clinic may shorten it */
  { "isotretinoin-delay-months", G_STRUCT_OFFSET (StriaeRules, isotretinoin_delay_months),
    FALSE, 6, 0, 24, "[contra]" },
  /* [depth] 0.5 mm fine lines and light scarring, 1.0 mm moderate stretch marks, 1.5 mm more
   * severe ones; thin-skinned sites one 0.25 mm step less than thick-skinned ones, but never
   * below 0.5 mm, the shortest length that reaches the dermis where stretch marks lie
   * (STRIAE_DEPTH_STRIAE_MIN_MM). */
  { "depth.mild.thick", DEPTH (STRIAE_SEVERITY_MILD, 0), TRUE, 0.5, 0.25, 3.0, "[depth]" },
  { "depth.mild.thin", DEPTH (STRIAE_SEVERITY_MILD, 1), TRUE, 0.5, 0.25, 3.0, "[depth]" },
  { "depth.moderate.thick", DEPTH (STRIAE_SEVERITY_MODERATE, 0), TRUE, 1.0, 0.25, 3.0,
    "[depth]" },
  { "depth.moderate.thin", DEPTH (STRIAE_SEVERITY_MODERATE, 1), TRUE, 0.75, 0.25, 3.0,
    "[depth]" },
  { "depth.severe.thick", DEPTH (STRIAE_SEVERITY_SEVERE, 0), TRUE, 1.5, 0.25, 3.0, "[depth]" },
  { "depth.severe.thin", DEPTH (STRIAE_SEVERITY_SEVERE, 1), TRUE, 1.25, 0.25, 3.0, "[depth]" },
  /* [fitzpatrick] types IV–VI (and a history of PIH): a more conservative depth. We take one
   * 0.25 mm step, the table's own step, rather than 0.5 mm; the recommendation never goes
   * below 0.5 mm for it (STRIAE_DEPTH_STRIAE_MIN_MM). */
  { "depth.pih-step", G_STRUCT_OFFSET (StriaeRules, pih_depth_step), TRUE, 0.25, 0, 1.0,
    "[fitzpatrick]" },
  /* [course] usually 3 to 6 sessions; milder marks need fewer, severe ones more. */
  { "course.mild.sessions", SESSIONS (STRIAE_SEVERITY_MILD), FALSE, 3, 1, 20, "[course]" },
  { "course.moderate.sessions", SESSIONS (STRIAE_SEVERITY_MODERATE), FALSE, 4, 1, 20,
    "[course]" },
  { "course.severe.sessions", SESSIONS (STRIAE_SEVERITY_SEVERE), FALSE, 6, 1, 20, "[course]" },
  /* [course] 4 to 6 weeks apart: 4 weeks for ordinary skin, 6 weeks (the longer spacing) for
   * higher-risk skin [fitzpatrick]. */
  { "course.mild.interval-weeks", INTERVAL (STRIAE_SEVERITY_MILD, 0), FALSE, 4, 1, 26,
    "[course]" },
  { "course.mild.interval-weeks-higher-risk", INTERVAL (STRIAE_SEVERITY_MILD, 1), FALSE,
    6, 1, 26, "[course] [fitzpatrick]" },
  { "course.moderate.interval-weeks", INTERVAL (STRIAE_SEVERITY_MODERATE, 0), FALSE, 4, 1, 26,
    "[course]" },
  { "course.moderate.interval-weeks-higher-risk", INTERVAL (STRIAE_SEVERITY_MODERATE, 1),
    FALSE, 6, 1, 26, "[course] [fitzpatrick]" },
  { "course.severe.interval-weeks", INTERVAL (STRIAE_SEVERITY_SEVERE, 0), FALSE, 4, 1, 26,
    "[course]" },
  { "course.severe.interval-weeks-higher-risk", INTERVAL (STRIAE_SEVERITY_SEVERE, 1),
    FALSE, 6, 1, 26, "[course] [fitzpatrick]" },
  /* [course] maintenance every 4 to 6 months: the shorter end for ordinary skin, the longer
   * for higher-risk skin, in keeping with its longer spacing. */
  { "maintenance-months", MAINTENANCE (0), FALSE, 4, 0, 24, "[course]" },
  { "maintenance-months-higher-risk", MAINTENANCE (1), FALSE, 6, 0, 24,
    "[course] [fitzpatrick]" },
};

#undef DEPTH
#undef SESSIONS
#undef INTERVAL
#undef MAINTENANCE

static double
setting_get (StriaeRules   *self,
             const Setting *s)
{
  gpointer p = G_STRUCT_MEMBER_P (self, s->offset);

  return s->is_mm ? *(double *) p : (double) *(guint *) p;
}

static void
setting_set (StriaeRules   *self,
             const Setting *s,
             double         value)
{
  gpointer p = G_STRUCT_MEMBER_P (self, s->offset);

  if (s->is_mm)
    *(double *) p = value;
  else
    *(guint *) p = (guint) value;
}

static const Setting *
find_setting (const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    if (g_strcmp0 (settings[i].key, key) == 0)
      return &settings[i];

  return NULL;
}

static gboolean
setting_check (const Setting  *s,
               double          value,
               GError        **error)
{
  if (!isfinite (value) || value < s->min || value > s->max ||
      (s->is_mm ? !striae_core_is_quarter_mm (value) : value != floor (value)))
    {
      if (s->is_mm)
        g_set_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
                     _("%s must be between %.2f and %.2f mm, in steps of 0.25 mm."),
                     s->key, s->min, s->max);
      else
        g_set_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
                     _("%s must be a whole number between %g and %g."),
                     s->key, s->min, s->max);
      return FALSE;
    }

  return TRUE;
}

static void
striae_rules_class_init (StriaeRulesClass *klass)
{
  /**
   * StriaeRules::changed:
   *
   * Emitted after any setting changed.
   */
  signals [CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
load_defaults (StriaeRules *self)
{
  for (guint i = 0; i < STRIAE_N_CHECKS; i++)
    self->levels[i] = checks[i].default_level;
  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    setting_set (self, &settings[i], settings[i].def);
}

static void
striae_rules_init (StriaeRules *self)
{
  load_defaults (self);
}

StriaeRules *
striae_rules_new (void)
{
  return g_object_new (STRIAE_TYPE_RULES, NULL);
}

StriaeRules *
striae_rules_copy (StriaeRules *self)
{
  StriaeRules *copy;

  g_return_val_if_fail (STRIAE_IS_RULES (self), NULL);

  copy = striae_rules_new ();
  memcpy (copy->levels, self->levels, sizeof self->levels);
  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    setting_set (copy, &settings[i], setting_get (self, &settings[i]));

  return copy;
}

static void
emit_changed (StriaeRules *self)
{
  g_signal_emit (self, signals [CHANGED], 0);
}

void
striae_rules_reset (StriaeRules *self)
{
  g_return_if_fail (STRIAE_IS_RULES (self));

  load_defaults (self);
  emit_changed (self);
}

StriaeLevel
striae_rules_get_level (StriaeRules *self,
                        StriaeCheck  check)
{
  g_return_val_if_fail (STRIAE_IS_RULES (self), STRIAE_LEVEL_OFF);
  g_return_val_if_fail (check < STRIAE_N_CHECKS, STRIAE_LEVEL_OFF);

  return self->levels[check];
}

void
striae_rules_set_level (StriaeRules *self,
                        StriaeCheck  check,
                        StriaeLevel  level)
{
  g_return_if_fail (STRIAE_IS_RULES (self));
  g_return_if_fail (check < STRIAE_N_CHECKS);
  g_return_if_fail (level <= STRIAE_LEVEL_ABSOLUTE);

  if (self->levels[check] == level)
    return;

  self->levels[check] = level;
  emit_changed (self);
}

static gboolean
set_by_key (StriaeRules  *self,
            const char   *key,
            double        value,
            GError      **error)
{
  const Setting *s = find_setting (key);

  g_assert (s != NULL);

  if (!setting_check (s, value, error))
    return FALSE;

  if (setting_get (self, s) != value)
    {
      setting_set (self, s, value);
      emit_changed (self);
    }

  return TRUE;
}

static const char *
severity_key (StriaeSeverity severity)
{
  return striae_core_enum_to_nick (STRIAE_TYPE_SEVERITY, severity);
}

guint
striae_rules_get_isotretinoin_delay_months (StriaeRules *self)
{
  g_return_val_if_fail (STRIAE_IS_RULES (self), 0);
  return self->isotretinoin_delay_months;
}

void
striae_rules_set_isotretinoin_delay_months (StriaeRules *self,
                                            guint        months)
{
  g_return_if_fail (STRIAE_IS_RULES (self));
  g_return_if_fail (months <= 24);

  set_by_key (self, "isotretinoin-delay-months", months, NULL);
}

double
striae_rules_get_depth (StriaeRules    *self,
                        StriaeSeverity  severity,
                        gboolean        thin)
{
  g_return_val_if_fail (STRIAE_IS_RULES (self), 0);
  g_return_val_if_fail (severity > STRIAE_SEVERITY_NOT_SET, 0);
  g_return_val_if_fail (severity <= STRIAE_SEVERITY_SEVERE, 0);

  return self->depth[severity][!!thin];
}

gboolean
striae_rules_set_depth (StriaeRules     *self,
                        StriaeSeverity   severity,
                        gboolean         thin,
                        double           mm,
                        GError         **error)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (STRIAE_IS_RULES (self), FALSE);
  g_return_val_if_fail (severity > STRIAE_SEVERITY_NOT_SET, FALSE);
  g_return_val_if_fail (severity <= STRIAE_SEVERITY_SEVERE, FALSE);

  key = g_strdup_printf ("depth.%s.%s", severity_key (severity), thin ? "thin" : "thick");
  return set_by_key (self, key, mm, error);
}

double
striae_rules_get_pih_depth_step (StriaeRules *self)
{
  g_return_val_if_fail (STRIAE_IS_RULES (self), 0);
  return self->pih_depth_step;
}

gboolean
striae_rules_set_pih_depth_step (StriaeRules  *self,
                                 double        mm,
                                 GError      **error)
{
  g_return_val_if_fail (STRIAE_IS_RULES (self), FALSE);
  return set_by_key (self, "depth.pih-step", mm, error);
}

guint
striae_rules_get_sessions (StriaeRules    *self,
                           StriaeSeverity  severity)
{
  g_return_val_if_fail (STRIAE_IS_RULES (self), 0);
  g_return_val_if_fail (severity > STRIAE_SEVERITY_NOT_SET, 0);
  g_return_val_if_fail (severity <= STRIAE_SEVERITY_SEVERE, 0);

  return self->sessions[severity];
}

void
striae_rules_set_sessions (StriaeRules    *self,
                           StriaeSeverity  severity,
                           guint           sessions)
{
  g_autofree char *key = NULL;

  g_return_if_fail (STRIAE_IS_RULES (self));
  g_return_if_fail (severity > STRIAE_SEVERITY_NOT_SET);
  g_return_if_fail (severity <= STRIAE_SEVERITY_SEVERE);
  g_return_if_fail (sessions >= 1 && sessions <= 20);

  key = g_strdup_printf ("course.%s.sessions", severity_key (severity));
  set_by_key (self, key, sessions, NULL);
}

guint
striae_rules_get_interval_weeks (StriaeRules    *self,
                                 StriaeSeverity  severity,
                                 gboolean        higher_risk)
{
  g_return_val_if_fail (STRIAE_IS_RULES (self), 0);
  g_return_val_if_fail (severity > STRIAE_SEVERITY_NOT_SET, 0);
  g_return_val_if_fail (severity <= STRIAE_SEVERITY_SEVERE, 0);

  return self->interval_weeks[severity][!!higher_risk];
}

void
striae_rules_set_interval_weeks (StriaeRules    *self,
                                 StriaeSeverity  severity,
                                 gboolean        higher_risk,
                                 guint           weeks)
{
  g_autofree char *key = NULL;

  g_return_if_fail (STRIAE_IS_RULES (self));
  g_return_if_fail (severity > STRIAE_SEVERITY_NOT_SET);
  g_return_if_fail (severity <= STRIAE_SEVERITY_SEVERE);
  g_return_if_fail (weeks >= 1 && weeks <= 26);

  key = g_strdup_printf ("course.%s.interval-weeks%s", severity_key (severity),
                         higher_risk ? "-higher-risk" : "");
  set_by_key (self, key, weeks, NULL);
}

guint
striae_rules_get_maintenance_months (StriaeRules *self,
                                     gboolean     higher_risk)
{
  g_return_val_if_fail (STRIAE_IS_RULES (self), 0);
  return self->maintenance_months[!!higher_risk];
}

void
striae_rules_set_maintenance_months (StriaeRules *self,
                                     gboolean     higher_risk,
                                     guint        months)
{
  g_return_if_fail (STRIAE_IS_RULES (self));
  g_return_if_fail (months <= 24);

  set_by_key (self, higher_risk ? "maintenance-months-higher-risk" : "maintenance-months",
              months, NULL);
}

static gboolean
level_key_check (const char  *key,
                 StriaeCheck *check)
{
  return g_str_has_prefix (key, "level.") && striae_check_from_id (key + strlen ("level."), check);
}

gboolean
striae_rules_is_changed (StriaeRules *self,
                         const char  *key)
{
  const Setting *s;
  StriaeCheck check;

  g_return_val_if_fail (STRIAE_IS_RULES (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  if (level_key_check (key, &check))
    return self->levels[check] != checks[check].default_level;

  s = find_setting (key);
  g_return_val_if_fail (s != NULL, FALSE);

  return setting_get (self, s) != s->def;
}

/**
 * striae_rules_dup_changed_keys:
 *
 * The setting keys whose values differ from the defaults that ship in the code, in a fixed
 * order (levels in check order, then the numeric settings), so that the preferences can show
 * what the clinic changed.
 *
 * Returns: (transfer full): a %NULL-terminated array of setting keys
 */
GStrv
striae_rules_dup_changed_keys (StriaeRules *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (STRIAE_IS_RULES (self), NULL);

  for (guint i = 0; i < STRIAE_N_CHECKS; i++)
    {
      if (self->levels[i] != checks[i].default_level)
        {
          g_autofree char *key = g_strconcat ("level.", checks[i].id, NULL);
          g_strv_builder_add (builder, key);
        }
    }

  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    if (setting_get (self, &settings[i]) != settings[i].def)
      g_strv_builder_add (builder, settings[i].key);

  return g_strv_builder_end (builder);
}

gboolean
striae_rules_reset_key (StriaeRules  *self,
                        const char   *key,
                        GError      **error)
{
  const Setting *s;
  StriaeCheck check;

  g_return_val_if_fail (STRIAE_IS_RULES (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  if (level_key_check (key, &check))
    {
      striae_rules_set_level (self, check, checks[check].default_level);
      return TRUE;
    }

  s = find_setting (key);
  if (s == NULL)
    {
      g_set_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
                   _("“%s” is not a rule setting."), key);
      return FALSE;
    }

  return set_by_key (self, key, s->def, error);
}

static const char *
level_nick (StriaeLevel level)
{
  return striae_core_enum_to_nick (STRIAE_TYPE_LEVEL, level);
}

/**
 * striae_rules_dup_keys:
 *
 * Every setting key, in the order of striae_rules_dup_changed_keys(): the level of each
 * contraindication in check order, then the numeric settings.
 *
 * Returns: (transfer full): a %NULL-terminated array of setting keys
 */
GStrv
striae_rules_dup_keys (void)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < STRIAE_N_CHECKS; i++)
    {
      g_autofree char *key = g_strconcat ("level.", checks[i].id, NULL);

      g_strv_builder_add (builder, key);
    }
  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    g_strv_builder_add (builder, settings[i].key);

  return g_strv_builder_end (builder);
}

/**
 * striae_rules_key_get_kind:
 * @kind: (out) (optional): what the key holds
 *
 * Returns: %TRUE when @key is a setting key
 */
gboolean
striae_rules_key_get_kind (const char         *key,
                           StriaeRulesKeyKind *kind)
{
  const Setting *s;
  StriaeRulesKeyKind k;

  g_return_val_if_fail (key != NULL, FALSE);

  if (level_key_check (key, NULL))
    k = STRIAE_RULES_KEY_LEVEL;
  else if ((s = find_setting (key)) != NULL)
    k = s->is_mm ? STRIAE_RULES_KEY_MM : STRIAE_RULES_KEY_COUNT;
  else
    return FALSE;

  if (kind)
    *kind = k;
  return TRUE;
}

/**
 * striae_rules_key_get_range:
 * @min: (out) (optional): the smallest value a clinic may set
 * @max: (out) (optional): the largest
 * @step: (out) (optional): the step between two values (0.25 mm, or 1)
 *
 * For a level key the values are those of #StriaeLevel, off to absolute.
 *
 * Returns: %TRUE when @key is a setting key
 */
gboolean
striae_rules_key_get_range (const char *key,
                            double     *min,
                            double     *max,
                            double     *step)
{
  const Setting *s;
  double lo, hi, st;

  g_return_val_if_fail (key != NULL, FALSE);

  if (level_key_check (key, NULL))
    {
      lo = STRIAE_LEVEL_OFF;
      hi = STRIAE_LEVEL_ABSOLUTE;
      st = 1;
    }
  else if ((s = find_setting (key)) != NULL)
    {
      lo = s->min;
      hi = s->max;
      st = s->is_mm ? 0.25 : 1;
    }
  else
    return FALSE;

  if (min)
    *min = lo;
  if (max)
    *max = hi;
  if (step)
    *step = st;
  return TRUE;
}

/**
 * striae_rules_key_get_default:
 *
 * Returns: the value CLINICAL.md gives @key (a #StriaeLevel for a level key), or 0 when
 *   @key is not a setting key
 */
double
striae_rules_key_get_default (const char *key)
{
  const Setting *s;
  StriaeCheck check;

  g_return_val_if_fail (key != NULL, 0);

  if (level_key_check (key, &check))
    return checks[check].default_level;
  s = find_setting (key);
  g_return_val_if_fail (s != NULL, 0);

  return s->def;
}

/**
 * striae_rules_get_value:
 *
 * Returns: the value of @key (a #StriaeLevel for a level key)
 */
double
striae_rules_get_value (StriaeRules *self,
                        const char  *key)
{
  const Setting *s;
  StriaeCheck check;

  g_return_val_if_fail (STRIAE_IS_RULES (self), 0);
  g_return_val_if_fail (key != NULL, 0);

  if (level_key_check (key, &check))
    return self->levels[check];
  s = find_setting (key);
  g_return_val_if_fail (s != NULL, 0);

  return setting_get (self, s);
}

/**
 * striae_rules_set_value:
 * @value: the new value, a #StriaeLevel for a level key
 *
 * Sets any setting by its key, checking its range and step.
 *
 * Returns: %TRUE when set; %FALSE with @error set (one sentence naming the key) when @key is
 *   unknown or @value out of its range
 */
gboolean
striae_rules_set_value (StriaeRules  *self,
                        const char   *key,
                        double        value,
                        GError      **error)
{
  StriaeCheck check;

  g_return_val_if_fail (STRIAE_IS_RULES (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  if (level_key_check (key, &check))
    {
      if (!isfinite (value) || value != floor (value) ||
          value < STRIAE_LEVEL_OFF || value > STRIAE_LEVEL_ABSOLUTE)
        {
          g_set_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
                       _("%s must be absolute, relative or off."), key);
          return FALSE;
        }
      striae_rules_set_level (self, check, (StriaeLevel) value);
      return TRUE;
    }

  if (find_setting (key) == NULL)
    {
      g_set_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
                   _("“%s” is not a rule setting."), key);
      return FALSE;
    }

  return set_by_key (self, key, value, error);
}

static char *
format_value (const char *key,
              double      value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  StriaeRulesKeyKind kind = STRIAE_RULES_KEY_COUNT;

  striae_rules_key_get_kind (key, &kind);
  switch (kind)
    {
    case STRIAE_RULES_KEY_LEVEL:
      return g_strdup (level_nick ((StriaeLevel) value));
    case STRIAE_RULES_KEY_MM:
      return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.2f", value));
    case STRIAE_RULES_KEY_COUNT:
    default:
      return g_strdup_printf ("%u", (guint) value);
    }
}

/**
 * striae_rules_dup_value_text:
 *
 * The value of @key as the rules file writes it, untranslated, for logs and the audit:
 * "absolute", "0.75", "6".
 *
 * Returns: (transfer full): the text
 */
char *
striae_rules_dup_value_text (StriaeRules *self,
                             const char  *key)
{
  g_return_val_if_fail (STRIAE_IS_RULES (self), NULL);
  g_return_val_if_fail (striae_rules_key_get_kind (key, NULL), NULL);

  return format_value (key, striae_rules_get_value (self, key));
}

/**
 * striae_rules_key_dup_default_text:
 *
 * Returns: (transfer full): the default of @key, written as striae_rules_dup_value_text()
 *   writes a value
 */
char *
striae_rules_key_dup_default_text (const char *key)
{
  g_return_val_if_fail (striae_rules_key_get_kind (key, NULL), NULL);

  return format_value (key, striae_rules_key_get_default (key));
}

/**
 * striae_rules_is_default:
 *
 * Returns: %TRUE when every setting has the value that ships in the code
 */
gboolean
striae_rules_is_default (StriaeRules *self)
{
  g_auto(GStrv) changed = NULL;

  g_return_val_if_fail (STRIAE_IS_RULES (self), FALSE);

  changed = striae_rules_dup_changed_keys (self);
  return changed[0] == NULL;
}

/**
 * striae_rules_dup_differences:
 * @other: the rules to compare with, often the defaults (striae_rules_new()) or the ones
 *   stored before a change
 *
 * Returns: (transfer full): the keys whose values differ between @self and @other, in the
 *   order of striae_rules_dup_keys()
 */
GStrv
striae_rules_dup_differences (StriaeRules *self,
                              StriaeRules *other)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) keys = striae_rules_dup_keys ();

  g_return_val_if_fail (STRIAE_IS_RULES (self), NULL);
  g_return_val_if_fail (STRIAE_IS_RULES (other), NULL);

  for (guint i = 0; keys[i] != NULL; i++)
    if (striae_rules_get_value (self, keys[i]) != striae_rules_get_value (other, keys[i]))
      g_strv_builder_add (builder, keys[i]);

  return g_strv_builder_end (builder);
}

/* The rule set as JSON: every setting, always, in a fixed order, so that the text of two
 * equal rule sets is equal. */
char *
striae_rules_to_json (StriaeRules *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (STRIAE_IS_RULES (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_int_value (builder, STRIAE_RULES_FORMAT);

  json_builder_set_member_name (builder, "levels");
  json_builder_begin_object (builder);
  for (guint i = 0; i < STRIAE_N_CHECKS; i++)
    {
      json_builder_set_member_name (builder, checks[i].id);
      json_builder_add_string_value (builder, level_nick (self->levels[i]));
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "settings");
  json_builder_begin_object (builder);
  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    {
      json_builder_set_member_name (builder, settings[i].key);
      if (settings[i].is_mm)
        json_builder_add_double_value (builder, setting_get (self, &settings[i]));
      else
        json_builder_add_int_value (builder, (gint64) setting_get (self, &settings[i]));
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  return striae_json_builder_to_data (builder);
}

static gboolean
fail_at (GError     **error,
         const char  *path,
         const char  *what)
{
  g_set_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
               _("The rule settings are damaged at %s: %s"), path, what);
  return FALSE;
}

static gboolean
not_json (GError     **error,
          const char  *message)
{
  g_set_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
               _("The rule settings are not valid JSON: %s"), message);
  return FALSE;
}

static const StriaeJsonReader reader = { .fail = fail_at, .not_json = not_json };

static gboolean
load_levels (StriaeRules             *self,
             const StriaeJsonReader  *r,
             JsonNode                *node,
             GError                 **error)
{
  JsonObject *object;
  g_autoptr(GList) members = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return r->fail (error, "$.levels", _("expected an object."));

  object = json_node_get_object (node);
  members = json_object_get_members (object);
  for (GList *l = members; l; l = l->next)
    {
      const char *id = l->data;
      g_autofree char *path = g_strdup_printf ("$.levels.%s", id);
      const char *expected = _("expected “absolute”, “relative” or “off”.");
      JsonNode *value;
      StriaeCheck check;
      int level;

      if (!striae_check_from_id (id, &check))
        return r->fail (error, path, _("not a known contraindication."));

      if (!striae_json_read_value (r, object, "$.levels", id, G_TYPE_STRING, FALSE,
                                   expected, &value, error))
        return FALSE;
      if (!striae_core_enum_from_nick (STRIAE_TYPE_LEVEL, json_node_get_string (value), &level))
        return r->fail (error, path, expected);

      self->levels[check] = level;
    }

  return TRUE;
}

static gboolean
load_settings (StriaeRules             *self,
               const StriaeJsonReader  *r,
               JsonNode                *node,
               GError                 **error)
{
  JsonObject *object;
  g_autoptr(GList) members = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return r->fail (error, "$.settings", _("expected an object."));

  object = json_node_get_object (node);
  members = json_object_get_members (object);
  for (GList *l = members; l; l = l->next)
    {
      const char *key = l->data;
      g_autofree char *path = g_strdup_printf ("$.settings.%s", key);
      const Setting *s = find_setting (key);
      g_autoptr(GError) local_error = NULL;
      JsonNode *value;
      double number;

      if (s == NULL)
        return r->fail (error, path, _("not a known setting."));

      if (!striae_json_read_value (r, object, "$.settings", key, G_TYPE_DOUBLE, FALSE,
                                   _("expected a number."), &value, error))
        return FALSE;

      number = json_node_get_double (value);
      if (!setting_check (s, number, &local_error))
        return r->fail (error, path, local_error->message);

      setting_set (self, s, number);
    }

  return TRUE;
}

/* Reads the members of @root (the format already checked) into @self. With @require_all,
 * every level and every setting must be there (an import); otherwise missing ones keep
 * their defaults (a file saved before a setting existed). */
static gboolean
load_root (StriaeRules             *self,
           const StriaeJsonReader  *r,
           JsonObject              *root,
           gboolean                 require_all,
           GError                 **error)
{
  g_autoptr(GList) members = json_object_get_members (root);

  for (GList *l = members; l; l = l->next)
    {
      const char *name = l->data;
      JsonNode *node = json_object_get_member (root, name);

      if (g_str_equal (name, "format"))
        continue;
      else if (g_str_equal (name, "levels"))
        {
          if (!load_levels (self, r, node, error))
            return FALSE;
        }
      else if (g_str_equal (name, "settings"))
        {
          if (!load_settings (self, r, node, error))
            return FALSE;
        }
      else
        {
          g_autofree char *path = g_strdup_printf ("$.%s", name);

          return r->fail (error, path, _("not a known member."));
        }
    }

  if (require_all)
    {
      JsonObject *levels = json_object_has_member (root, "levels")
        ? json_object_get_object_member (root, "levels") : NULL;
      JsonObject *settings_object = json_object_has_member (root, "settings")
        ? json_object_get_object_member (root, "settings") : NULL;
      g_autofree char *missing = NULL;

      for (guint i = 0; i < STRIAE_N_CHECKS && missing == NULL; i++)
        if (levels == NULL || !json_object_has_member (levels, checks[i].id))
          missing = g_strdup_printf ("$.levels.%s", checks[i].id);
      for (guint i = 0; i < G_N_ELEMENTS (settings) && missing == NULL; i++)
        if (settings_object == NULL || !json_object_has_member (settings_object,
                                                                settings[i].key))
          missing = g_strdup_printf ("$.settings.%s", settings[i].key);

      if (missing != NULL)
        {
          g_set_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
                       /* TRANSLATORS: %s is a JSON path such as $.levels.pregnancy */
                       _("The rules file was not imported: it does not give %s, and a rules "
                         "file must give every level and every setting (write a complete one "
                         "with --rules-export)."), missing);
          return FALSE;
        }
    }

  return TRUE;
}

static StriaeRules *
rules_from_json (const StriaeJsonReader  *r,
                 const char              *json,
                 gssize                   length,
                 gboolean                 strict,
                 GError                 **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(StriaeRules) self = NULL;
  JsonObject *root;
  JsonNode *node;

  g_return_val_if_fail (json != NULL, NULL);

  /* Three levels: the root, "levels" and "settings". */
  if (strict && !striae_json_check_strict (r, json, length, 2, error))
    return NULL;
  if ((root = striae_json_parse_object (r, parser, json, length, error)) == NULL)
    return NULL;

  if (!striae_json_read_value (r, root, "$", "format", G_TYPE_INT64, TRUE,
                               _("expected the format number."), &node, error))
    return NULL;
  if (json_node_get_int (node) != STRIAE_RULES_FORMAT)
    {
      if (strict)
        g_set_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
                     _("The rules file was not imported: it uses format %" PRId64 ", but "
                       "this version of Striae reads format %d."),
                     json_node_get_int (node), STRIAE_RULES_FORMAT);
      else
        g_set_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
                     _("The rule settings use format %" PRId64 ", but this version of "
                       "Striae reads format %d."),
                     json_node_get_int (node), STRIAE_RULES_FORMAT);
      return NULL;
    }

  self = striae_rules_new ();
  if (!load_root (self, r, root, strict, error))
    return NULL;

  return g_steal_pointer (&self);
}

/* Settings missing from the file keep their defaults, so that a file saved before a setting
 * existed still loads; anything unknown or out of range is refused. */
StriaeRules *
striae_rules_new_from_json (const char  *json,
                            GError     **error)
{
  return rules_from_json (&reader, json, -1, FALSE, error);
}

static gboolean
import_fail_at (GError     **error,
                const char  *path,
                const char  *what)
{
  g_set_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
               /* TRANSLATORS: the first %s is a JSON path such as $.levels.pregnancy, the
                * second what is wrong there ("expected a number.") */
               _("The rules file was not imported: at %s, %s"), path, what);
  return FALSE;
}

static gboolean
import_not_json (GError     **error,
                 const char  *message)
{
  g_set_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
               _("The rules file was not imported: it is not valid JSON (%s)."), message);
  return FALSE;
}

static const StriaeJsonReader import_reader = {
  .fail = import_fail_at,
  .not_json = import_not_json,
  .exact = TRUE,
};

/**
 * striae_rules_new_from_import:
 * @json: the text of a rules file (docs/RULES-FORMAT.md)
 * @length: its length in bytes, or -1 when it ends with a NUL byte
 *
 * Reads a rules file that a person or a script wrote. Unlike striae_rules_new_from_json(),
 * which reads Striae's own stored settings, the file must be strict JSON (no repeated
 * members, nothing after the value) and give every level and every setting; anything
 * unknown, of the wrong type or out of range refuses the whole file, with one sentence that
 * names the offending key.
 *
 * Returns: (transfer full): the rules, or %NULL with @error set
 */
StriaeRules *
striae_rules_new_from_import (const char  *json,
                              gssize       length,
                              GError     **error)
{
  return rules_from_json (&import_reader, json, length, TRUE, error);
}

/* A digest of every setting, written in our own canonical text (not the JSON, whose number
 * formatting belongs to json-glib), so that the same rules give the same hash on every
 * machine and version. */
char *
striae_rules_dup_hash (StriaeRules *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_return_val_if_fail (STRIAE_IS_RULES (self), NULL);

  g_string_append_printf (text, "format=%d\n", STRIAE_RULES_FORMAT);
  for (guint i = 0; i < STRIAE_N_CHECKS; i++)
    g_string_append_printf (text, "level.%s=%s\n", checks[i].id, level_nick (self->levels[i]));
  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    g_string_append_printf (text, "%s=%s\n", settings[i].key,
                            g_ascii_formatd (buffer, sizeof buffer, "%.2f",
                                             setting_get (self, &settings[i])));

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text->str, text->len);
}

/**
 * striae_rules_hash_is_clinic_changed:
 * @hash: (nullable): a rules hash, as a consultation records it
 *
 * Whether a consultation that records @hash was screened with rules the clinic changed
 * (anything but the built-in defaults of this format).
 *
 * Returns: %TRUE when @hash is set and is not the hash of the defaults
 */
/* The hashes of the built-in defaults of earlier versions of Striae: a consultation screened
 * with them was not screened with rules the clinic changed. Before 0.5 mm became the
 * shallowest depth, mild marks on thin-skinned sites had 0.25 mm. */
static const char * const former_default_hashes[] = {
  "59d2305569ad4a1b2873194218d24b3b451e55c6b477109cb7f48aefe9428ad2",
};

gboolean
striae_rules_hash_is_clinic_changed (const char *hash)
{
  static char *default_hash = NULL;

  if (hash == NULL || *hash == '\0')
    return FALSE;

  if (g_once_init_enter (&default_hash))
    {
      g_autoptr(StriaeRules) defaults = striae_rules_new ();

      g_once_init_leave (&default_hash, striae_rules_dup_hash (defaults));
    }

  for (guint i = 0; i < G_N_ELEMENTS (former_default_hashes); i++)
    if (g_str_equal (hash, former_default_hashes[i]))
      return FALSE;

  return !g_str_equal (hash, default_hash);
}
