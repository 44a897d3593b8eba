/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "striae-consultation.h"
#include "striae-rules.h"

G_BEGIN_DECLS

/* Named facts: words that describe a consultation, computed by striae_recommend() and used
 * by the sheet templates to show an item only when its facts hold. A template that names a
 * fact not in this list is wrong; check names with striae_fact_is_known().
 *
 *   pih-risk            skin type IV–VI or a history of PIH / reactions   [fitzpatrick]
 *   higher-risk-skin    pih-risk or sensitive skin: longer spacing         [course]
 *   sensitive-skin      sensitive skin                                     [contra]
 *   recent-sun          sun, tan or sunburn on the area in 2 weeks         [contra] [before]
 *   recent-resurfacing  laser, peel or resurfacing in 4 weeks              [contra]
 *   retinoids           retinoid creams or AHA/BHA acids in use            [contra] [before]
 *   anticoagulants      takes blood thinners                               [contra] [after]
 *   bleeding-disorder   has a bleeding disorder                            [contra]
 *   bleeding-risk       anticoagulants or bleeding-disorder                [after]
 *   herpes-history      cold sores in the area before                      [contra]
 *   diabetes            diabetes or another condition that slows healing   [contra]
 *   slow-healing        diabetes, weakened immune system or high-dose
 *                       corticosteroids                                    [contra]
 *   autoimmune          autoimmune disease                                 [contra]
 *   breastfeeding       breastfeeding                                      [contra]
 *   anaesthetic-allergy allergy to local anaesthetics                      [contra]
 *   metal-allergy       allergy to metals such as nickel                   [contra]
 *   serum-allergy       allergy to serum ingredients                       [contra]
 *   minor               patient under 18: guardian consent                 [contra] [consent]
 *   numbing-cream       the plan uses numbing cream                        [before]
 *   no-numbing-cream    the plan does not (e.g. local anaesthetic allergy) [contra]
 *   rf                  radiofrequency microneedling: burn risk            [microneedling]
 *   serum               a serum is applied with the treatment              [microneedling]
 *   prp                 platelet-rich plasma is used                       [microneedling]
 *   tretinoin           topical tretinoin is part of the plan              [microneedling]
 *   striae-rubrae       some marks are new, red to purple                  [striae]
 *   striae-albae        some marks are mature, white to silver             [striae]
 *   striae-nigrae       some marks are dark brown or black                 [striae]
 *   striae-caeruleae    some marks are blue                                [striae]
 *   thin-skin-site      some area is thin-skinned (breasts, inner arms)    [depth]
 *   deep-needling       some area is treated at 1.5 mm or deeper:
 *                       more bleeding and downtime                         [depth] [after]
 *   maintenance         maintenance sessions are planned                   [course]
 */
typedef struct
{
  const char *name;
  const char *description;  /* untranslated; for the sheet editor */
} StriaeFactInfo;

const StriaeFactInfo *striae_facts_get_all  (guint      *n_facts);
gboolean              striae_fact_is_known  (const char *name);

#define STRIAE_DEEP_NEEDLING_MM 1.5

#define STRIAE_TYPE_RECOMMENDATION (striae_recommendation_get_type ())

G_DECLARE_FINAL_TYPE (StriaeRecommendation, striae_recommendation, STRIAE, RECOMMENDATION, GObject)

/* The recommendation is a pure function of the consultation, the rules and the patient's
 * age:
 *
 * - depth per area [depth]: the rules' depth table for the area's severity and the site's
 *   skin (thin or thick), one "depth.pih-step" less for pih-risk skin, never below 0.25 mm;
 *   0 (no recommendation) when the severity is not recorded;
 * - sessions [course]: the rules' sessions for the most severe area;
 * - interval [course]: the longest interval among the areas, the higher-risk column when
 *   the skin is higher-risk (pih-risk or sensitive);
 * - maintenance [course]: the rules' maintenance months, higher-risk or not;
 * - numbing cream [microneedling] [contra]: yes, unless the patient is allergic to local
 *   anaesthetics.
 *
 * Its facts describe the consultation as it stands, including the plan's chosen values. */
StriaeRecommendation *striae_recommend           (StriaeConsultation   *consultation,
                                                  StriaeRules          *rules,
                                                  const GDate          *birth_date,
                                                  const GDate          *today);

guint                 striae_recommendation_get_n_areas  (StriaeRecommendation *self);
double                striae_recommendation_get_depth    (StriaeRecommendation *self,
                                                          guint                 area);
const char           *striae_recommendation_get_depth_explanation
                                                         (StriaeRecommendation *self,
                                                          guint                 area);
guint                 striae_recommendation_get_sessions (StriaeRecommendation *self);
guint                 striae_recommendation_get_interval_weeks
                                                         (StriaeRecommendation *self);
guint                 striae_recommendation_get_maintenance_months
                                                         (StriaeRecommendation *self);
gboolean              striae_recommendation_get_numbing_cream
                                                         (StriaeRecommendation *self);
gboolean              striae_recommendation_get_higher_risk
                                                         (StriaeRecommendation *self);
const char * const   *striae_recommendation_get_cautions (StriaeRecommendation *self);

const char * const   *striae_recommendation_get_facts    (StriaeRecommendation *self);
gboolean              striae_recommendation_has_fact     (StriaeRecommendation *self,
                                                          const char           *name);

void                  striae_recommendation_apply        (StriaeRecommendation *self,
                                                          StriaeConsultation   *consultation);

G_END_DECLS
