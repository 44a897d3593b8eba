/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "striae-area.h"
#include "striae-history.h"
#include "striae-skin.h"

G_BEGIN_DECLS

/* Bump when the meaning of a stored rule set changes; recorded with each consultation. */
#define STRIAE_RULES_FORMAT 1

/* How a contraindication counts. [contra] "absolute" blocks the plan until resolved;
 * "relative" must be acknowledged by the practitioner; "off" is a clinic's decision to ignore
 * it. */
typedef enum
{
  STRIAE_LEVEL_OFF,
  STRIAE_LEVEL_RELATIVE,
  STRIAE_LEVEL_ABSOLUTE,
} StriaeLevel;

/* What a check looks at. */
typedef enum
{
  STRIAE_CHECK_KIND_QUESTION,     /* a medical-history question */
  STRIAE_CHECK_KIND_SKIN,         /* a yes/no fact of StriaeSkin */
  STRIAE_CHECK_KIND_FITZPATRICK,  /* Fitzpatrick type IV–VI */
  STRIAE_CHECK_KIND_AGE,          /* patient under 18 */
} StriaeCheckKind;

/* Every contraindication of CLINICAL.md "Screening: contraindications" [contra], one value
 * each; the default level of each is in the table of striae-rules.c. */
typedef enum
{
  /* Absolute by default */
  STRIAE_CHECK_INFECTION,
  STRIAE_CHECK_OPEN_WOUND,
  STRIAE_CHECK_INFLAMMATORY_SKIN,
  STRIAE_CHECK_ISOTRETINOIN,
  STRIAE_CHECK_PREGNANCY,
  STRIAE_CHECK_CANCER,
  STRIAE_CHECK_KELOID,
  STRIAE_CHECK_PACEMAKER,
  STRIAE_CHECK_METAL_IMPLANT,
  /* Relative by default */
  STRIAE_CHECK_BLEEDING_DISORDER,
  STRIAE_CHECK_ANTICOAGULANTS,
  STRIAE_CHECK_DIABETES,
  STRIAE_CHECK_IMMUNOSUPPRESSION,
  STRIAE_CHECK_AUTOIMMUNE,
  STRIAE_CHECK_BREASTFEEDING,
  STRIAE_CHECK_HERPES_HISTORY,
  STRIAE_CHECK_CORTICOSTEROIDS,
  STRIAE_CHECK_ALLERGY_ANAESTHETIC,
  STRIAE_CHECK_ALLERGY_METAL,
  STRIAE_CHECK_ALLERGY_SERUM,
  STRIAE_CHECK_RECENT_SUN,
  STRIAE_CHECK_RECENT_RESURFACING,
  STRIAE_CHECK_RETINOIDS,
  STRIAE_CHECK_PIH_HISTORY,
  STRIAE_CHECK_SENSITIVE_SKIN,
  STRIAE_CHECK_FITZPATRICK,
  STRIAE_CHECK_MINOR,
} StriaeCheck;

#define STRIAE_N_CHECKS (STRIAE_CHECK_MINOR + 1)

/**
 * StriaeCheckInfo:
 * @check: the check
 * @id: stable identifier, used for settings, finding ids and JSON ("anticoagulants")
 * @source: the CLINICAL.md fact it encodes, as a label ("[contra]")
 * @default_level: the level CLINICAL.md gives it
 * @kind: what it looks at
 * @question: for %STRIAE_CHECK_KIND_QUESTION, the question
 * @skin_fact: for %STRIAE_CHECK_KIND_SKIN, the skin fact
 * @title: a short name, untranslated (striae_check_get_title())
 * @reason: why it matters, in plain language, untranslated (striae_check_get_reason())
 */
typedef struct
{
  StriaeCheck      check;
  const char      *id;
  const char      *source;
  StriaeLevel      default_level;
  StriaeCheckKind  kind;
  StriaeQuestion   question;
  StriaeSkinFact   skin_fact;
  const char      *title;
  const char      *reason;
} StriaeCheckInfo;

const StriaeCheckInfo *striae_check_get_info    (StriaeCheck  check);
const char            *striae_check_get_title   (StriaeCheck  check);
const char            *striae_check_get_reason  (StriaeCheck  check);
gboolean               striae_check_from_id     (const char  *id,
                                                 StriaeCheck *check);
gboolean               striae_check_for_question (StriaeQuestion question,
                                                  StriaeCheck   *check);
const char            *striae_level_get_label   (StriaeLevel  level);

/* What a setting key holds. */
typedef enum
{
  STRIAE_RULES_KEY_LEVEL,   /* a #StriaeLevel */
  STRIAE_RULES_KEY_MM,      /* millimetres, in 0.25 mm steps */
  STRIAE_RULES_KEY_COUNT,   /* a whole number: months, weeks, sessions */
} StriaeRulesKeyKind;

#define STRIAE_TYPE_RULES (striae_rules_get_type ())

G_DECLARE_FINAL_TYPE (StriaeRules, striae_rules, STRIAE, RULES, GObject)

/* The rule settings a clinic may change. A "setting key" names one of them, for the list of
 * what differs from the defaults:
 *   level.<check-id>                          e.g. level.breastfeeding
 *   isotretinoin-delay-months
 *   depth.<mild|moderate|severe>.<thick|thin>
 *   depth.pih-step
 *   course.<mild|moderate|severe>.sessions
 *   course.<mild|moderate|severe>.interval-weeks
 *   course.<mild|moderate|severe>.interval-weeks-higher-risk
 *   maintenance-months
 *   maintenance-months-higher-risk
 */
StriaeRules *striae_rules_new                       (void);
StriaeRules *striae_rules_copy                      (StriaeRules     *self);
StriaeRules *striae_rules_new_from_json             (const char      *json,
                                                     GError         **error);
char        *striae_rules_to_json                   (StriaeRules     *self);
char        *striae_rules_dup_hash                  (StriaeRules     *self);
gboolean     striae_rules_hash_is_clinic_changed    (const char      *hash);
GStrv        striae_rules_dup_changed_keys          (StriaeRules     *self);
gboolean     striae_rules_is_changed                (StriaeRules     *self,
                                                     const char      *key);
gboolean     striae_rules_reset_key                 (StriaeRules     *self,
                                                     const char      *key,
                                                     GError         **error);
void         striae_rules_reset                     (StriaeRules     *self);
gboolean     striae_rules_is_default                (StriaeRules     *self);
GStrv        striae_rules_dup_differences           (StriaeRules     *self,
                                                     StriaeRules     *other);
StriaeRules *striae_rules_new_from_import           (const char      *json,
                                                     gssize           length,
                                                     GError         **error);

/* Any setting by its key; a level key's value is a #StriaeLevel. */
GStrv        striae_rules_dup_keys                  (void);
gboolean     striae_rules_key_get_kind              (const char      *key,
                                                     StriaeRulesKeyKind *kind);
gboolean     striae_rules_key_get_range             (const char      *key,
                                                     double          *min,
                                                     double          *max,
                                                     double          *step);
double       striae_rules_key_get_default           (const char      *key);
char        *striae_rules_key_dup_default_text      (const char      *key);
double       striae_rules_get_value                 (StriaeRules     *self,
                                                     const char      *key);
gboolean     striae_rules_set_value                 (StriaeRules     *self,
                                                     const char      *key,
                                                     double           value,
                                                     GError         **error);
char        *striae_rules_dup_value_text            (StriaeRules     *self,
                                                     const char      *key);

StriaeLevel  striae_rules_get_level                 (StriaeRules     *self,
                                                     StriaeCheck      check);
void         striae_rules_set_level                 (StriaeRules     *self,
                                                     StriaeCheck      check,
                                                     StriaeLevel      level);
guint        striae_rules_get_isotretinoin_delay_months (StriaeRules *self);
void         striae_rules_set_isotretinoin_delay_months (StriaeRules *self,
                                                         guint        months);
double       striae_rules_get_depth                 (StriaeRules     *self,
                                                     StriaeSeverity   severity,
                                                     gboolean         thin);
gboolean     striae_rules_set_depth                 (StriaeRules     *self,
                                                     StriaeSeverity   severity,
                                                     gboolean         thin,
                                                     double           mm,
                                                     GError         **error);
double       striae_rules_get_pih_depth_step        (StriaeRules     *self);
gboolean     striae_rules_set_pih_depth_step        (StriaeRules     *self,
                                                     double           mm,
                                                     GError         **error);
guint        striae_rules_get_sessions              (StriaeRules     *self,
                                                     StriaeSeverity   severity);
void         striae_rules_set_sessions              (StriaeRules     *self,
                                                     StriaeSeverity   severity,
                                                     guint            sessions);
guint        striae_rules_get_interval_weeks        (StriaeRules     *self,
                                                     StriaeSeverity   severity,
                                                     gboolean         higher_risk);
void         striae_rules_set_interval_weeks        (StriaeRules     *self,
                                                     StriaeSeverity   severity,
                                                     gboolean         higher_risk,
                                                     guint            weeks);
guint        striae_rules_get_maintenance_months    (StriaeRules     *self,
                                                     gboolean         higher_risk);
void         striae_rules_set_maintenance_months    (StriaeRules     *self,
                                                     gboolean         higher_risk,
                                                     guint            months);

G_END_DECLS
