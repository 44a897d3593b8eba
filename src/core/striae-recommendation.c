/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "striae-core-enums.h"
#include "striae-core-private.h"
#include "striae-recommendation.h"

static const StriaeFactInfo facts[] = {
  { "pih-risk", N_("Skin type IV–VI or a history of dark marks after skin injury") },
  { "higher-risk-skin", N_("Skin at risk of pigment change, or sensitive skin") },
  { "sensitive-skin", N_("Sensitive skin") },
  { "recent-sun", N_("Sun, tan or sunburn on the area in the last 2 weeks") },
  { "recent-resurfacing", N_("Laser, peel or resurfacing on the area in the last 4 weeks") },
  { "retinoids", N_("Uses retinoid creams or exfoliating acids") },
  { "anticoagulants", N_("Takes blood thinners") },
  { "bleeding-disorder", N_("Has a bleeding disorder") },
  { "bleeding-risk", N_("Takes blood thinners or has a bleeding disorder") },
  { "herpes-history", N_("Has had cold sores in the area") },
  { "diabetes", N_("Diabetes or another condition that slows healing") },
  { "slow-healing", N_("Diabetes, a weakened immune system or high-dose corticosteroids") },
  { "autoimmune", N_("Autoimmune disease") },
  { "breastfeeding", N_("Breastfeeding") },
  { "anaesthetic-allergy", N_("Allergy to local anaesthetics") },
  { "metal-allergy", N_("Allergy to metals such as nickel") },
  { "serum-allergy", N_("Allergy to serum ingredients") },
  { "minor", N_("Patient under 18") },
  { "numbing-cream", N_("Numbing cream is planned") },
  { "no-numbing-cream", N_("No numbing cream is planned") },
  { "rf", N_("Radiofrequency microneedling") },
  { "serum", N_("A serum is applied with the treatment") },
  { "prp", N_("Platelet-rich plasma (PRP) is used") },
  { "tretinoin", N_("Topical tretinoin is part of the plan") },
  { "striae-rubrae", N_("New, red to purple marks") },
  { "striae-albae", N_("Mature, white to silver marks") },
  { "striae-nigrae", N_("Dark brown or black marks") },
  { "striae-caeruleae", N_("Blue marks") },
  { "thin-skin-site", N_("A thin-skinned area such as the breasts or inner arms") },
  { "deep-needling", N_("Needle depth of 1.5 mm or more") },
  { "maintenance-planned", N_("Maintenance sessions are planned") },
  { "maintenance", N_("The course is done: this is a maintenance session") },
  { "session-day", N_("The sheet is for the day of a planned session") },
  { "next-session", N_("A session is planned after the day of the sheet") },
  { "added-items", N_("The practitioner added points to this patient’s sheets") },
};

const StriaeFactInfo *
striae_facts_get_all (guint *n_facts)
{
  if (n_facts)
    *n_facts = G_N_ELEMENTS (facts);
  return facts;
}

gboolean
striae_fact_is_known (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (facts); i++)
    if (g_strcmp0 (facts[i].name, name) == 0)
      return TRUE;

  return FALSE;
}

typedef struct
{
  char   *area_id;
  double  depth;
  char   *explanation;
} AreaRecommendation;

static void
area_recommendation_clear (gpointer data)
{
  AreaRecommendation *area = data;

  g_free (area->area_id);
  g_free (area->explanation);
}

struct _StriaeRecommendation
{
  GObject     parent_instance;

  GArray     *areas;  /* AreaRecommendation */
  guint       sessions;
  guint       interval_weeks;
  guint       maintenance_months;
  gboolean    numbing_cream;
  gboolean    higher_risk;
  gboolean    minor;
  GStrv       cautions;
  GStrv       facts;  /* sorted */
  GDate       day;    /* the day the facts are for */
};

G_DEFINE_FINAL_TYPE (StriaeRecommendation, striae_recommendation, G_TYPE_OBJECT)

static void
striae_recommendation_finalize (GObject *object)
{
  StriaeRecommendation *self = (StriaeRecommendation *)object;

  g_clear_pointer (&self->areas, g_array_unref);
  g_clear_pointer (&self->cautions, g_strfreev);
  g_clear_pointer (&self->facts, g_strfreev);

  G_OBJECT_CLASS (striae_recommendation_parent_class)->finalize (object);
}

static void
striae_recommendation_class_init (StriaeRecommendationClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = striae_recommendation_finalize;
}

static void
striae_recommendation_init (StriaeRecommendation *self)
{
  self->areas = g_array_new (FALSE, TRUE, sizeof (AreaRecommendation));
  g_array_set_clear_func (self->areas, area_recommendation_clear);
}

/* One whole sentence per severity and skin: a severity's word slotted into a shared
 * sentence would not agree with "marks" in every language. */
static char *
dup_depth_explanation (StriaeSeverity severity,
                       gboolean       thin,
                       double         depth)
{
  switch (severity)
    {
    case STRIAE_SEVERITY_MILD:
      return thin ? g_strdup_printf (_("Mild marks on a thin-skinned site: %.2f mm."), depth)
                  : g_strdup_printf (_("Mild marks on a thick-skinned site: %.2f mm."), depth);
    case STRIAE_SEVERITY_MODERATE:
      return thin ? g_strdup_printf (_("Moderate marks on a thin-skinned site: %.2f mm."), depth)
                  : g_strdup_printf (_("Moderate marks on a thick-skinned site: %.2f mm."),
                                     depth);
    case STRIAE_SEVERITY_SEVERE:
    case STRIAE_SEVERITY_NOT_SET:
    default:
      g_assert (severity == STRIAE_SEVERITY_SEVERE);
      return thin ? g_strdup_printf (_("Severe marks on a thin-skinned site: %.2f mm."), depth)
                  : g_strdup_printf (_("Severe marks on a thick-skinned site: %.2f mm."), depth);
    }
}

static gboolean
yes (StriaeHistory  *history,
     StriaeQuestion  question)
{
  return striae_history_get_answer (history, question) == STRIAE_ANSWER_YES;
}

static gboolean
skin_yes (StriaeSkin     *skin,
          StriaeSkinFact  fact)
{
  return striae_skin_get_fact (skin, fact) == STRIAE_ANSWER_YES;
}

/* [fitzpatrick] types IV–VI, and [contra] a history of PIH or adverse reactions. */
static gboolean
is_pih_risk (StriaeSkin *skin)
{
  return striae_fitzpatrick_is_pih_risk (striae_skin_get_fitzpatrick (skin)) ||
         skin_yes (skin, STRIAE_SKIN_FACT_PIH_HISTORY);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* [course] maintenance "once the course is done": the last session of the course (@dates,
 * the plan's schedule, or %NULL without a first date) lies before @today. */
static gboolean
is_course_done (GArray      *dates,
                const GDate *today)
{
  return dates != NULL && dates->len > 0 &&
         g_date_compare (&g_array_index (dates, GDate, dates->len - 1), today) < 0;
}

/* Whether @today is the day of a planned session of the course, or of the maintenance
 * session after it: the day a patient has just been treated. */
static gboolean
is_session_day (StriaePlan  *plan,
                GArray      *dates,
                const GDate *today)
{
  GDate maintenance;

  for (guint i = 0; dates != NULL && i < dates->len; i++)
    if (g_date_compare (&g_array_index (dates, GDate, i), today) == 0)
      return TRUE;

  return striae_plan_get_maintenance_months (plan) > 0 &&
         striae_plan_compute_maintenance_date (plan, &maintenance, NULL) &&
         g_date_compare (&maintenance, today) == 0;
}

/* [course] "Next sessions: dates": whether a session of the course, or the maintenance
 * session after it, is planned after @today, so that the aftercare can name its date. */
static gboolean
has_next_session (StriaePlan  *plan,
                  GArray      *dates,
                  const GDate *today)
{
  GDate maintenance;

  if (dates != NULL && dates->len > 0 &&
      g_date_compare (&g_array_index (dates, GDate, dates->len - 1), today) > 0)
    return TRUE;

  return striae_plan_get_maintenance_months (plan) > 0 &&
         striae_plan_compute_maintenance_date (plan, &maintenance, NULL) &&
         g_date_compare (&maintenance, today) > 0;
}

static void
compute_facts (StriaeRecommendation *self,
               StriaeConsultation   *consultation,
               const GDate          *today)
{
  StriaeHistory *history = striae_consultation_get_history (consultation);
  StriaeSkin *skin = striae_consultation_get_skin (consultation);
  StriaePlan *plan = striae_consultation_get_plan (consultation);
  GListModel *areas = striae_consultation_get_areas (consultation);
  StriaeAdjunct adjuncts = striae_plan_get_adjuncts (plan);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  guint n = g_list_model_get_n_items (areas);
  gboolean pih_risk = is_pih_risk (skin);
  gboolean sensitive = skin_yes (skin, STRIAE_SKIN_FACT_SENSITIVE);
  gboolean anaesthetic_allergy = yes (history, STRIAE_QUESTION_ALLERGY_ANAESTHETIC);
  const char * const *added = striae_consultation_get_added_items (consultation);
  g_autoptr(GArray) schedule = striae_plan_compute_schedule (plan, NULL);

#define FACT(name, cond) G_STMT_START { \
    g_assert (striae_fact_is_known (name)); \
    if (cond) g_ptr_array_add (names, g_strdup (name)); \
  } G_STMT_END

  FACT ("pih-risk", pih_risk);
  FACT ("higher-risk-skin", pih_risk || sensitive);
  FACT ("sensitive-skin", sensitive);
  FACT ("recent-sun", skin_yes (skin, STRIAE_SKIN_FACT_RECENT_SUN));
  FACT ("recent-resurfacing", skin_yes (skin, STRIAE_SKIN_FACT_RECENT_RESURFACING));
  FACT ("retinoids", skin_yes (skin, STRIAE_SKIN_FACT_RETINOIDS));
  FACT ("anticoagulants", yes (history, STRIAE_QUESTION_ANTICOAGULANTS));
  FACT ("bleeding-disorder", yes (history, STRIAE_QUESTION_BLEEDING_DISORDER));
  FACT ("bleeding-risk", yes (history, STRIAE_QUESTION_ANTICOAGULANTS) ||
                         yes (history, STRIAE_QUESTION_BLEEDING_DISORDER));
  FACT ("herpes-history", yes (history, STRIAE_QUESTION_HERPES_HISTORY));
  FACT ("diabetes", yes (history, STRIAE_QUESTION_DIABETES));
  FACT ("slow-healing", yes (history, STRIAE_QUESTION_DIABETES) ||
                        yes (history, STRIAE_QUESTION_IMMUNOSUPPRESSION) ||
                        yes (history, STRIAE_QUESTION_CORTICOSTEROIDS));
  FACT ("autoimmune", yes (history, STRIAE_QUESTION_AUTOIMMUNE));
  FACT ("breastfeeding", yes (history, STRIAE_QUESTION_BREASTFEEDING));
  FACT ("anaesthetic-allergy", yes (history, STRIAE_QUESTION_ALLERGY_ANAESTHETIC));
  FACT ("metal-allergy", yes (history, STRIAE_QUESTION_ALLERGY_METAL));
  FACT ("serum-allergy", yes (history, STRIAE_QUESTION_ALLERGY_SERUM));
  FACT ("minor", self->minor);
  /* [contra] no numbing cream with an allergy to local anaesthetics, whatever the stored
   * plan says: a sheet must never promise the cream to a patient who is allergic to it. The
   * "no-numbing-cream" sentences give the allergy as the reason, so that fact holds only
   * with the allergy; a plan without cream for another reason prints neither. */
  FACT ("numbing-cream", striae_plan_get_numbing_cream (plan) && !anaesthetic_allergy);
  FACT ("no-numbing-cream", anaesthetic_allergy);
  FACT ("rf", striae_plan_get_device (plan) == STRIAE_DEVICE_RF);
  FACT ("serum", (adjuncts & STRIAE_ADJUNCT_SERUM) != 0);
  FACT ("prp", (adjuncts & STRIAE_ADJUNCT_PRP) != 0);
  FACT ("tretinoin", (adjuncts & STRIAE_ADJUNCT_TRETINOIN) != 0);
  FACT ("maintenance-planned", striae_plan_get_maintenance_months (plan) > 0);
  FACT ("maintenance", striae_plan_get_maintenance_months (plan) > 0 &&
                       is_course_done (schedule, today));
  FACT ("session-day", is_session_day (plan, schedule, today));
  FACT ("next-session", has_next_session (plan, schedule, today));
  FACT ("added-items", added != NULL && added[0] != NULL);

  {
    gboolean type_seen[STRIAE_MARK_TYPE_CAERULEAE + 1] = { FALSE, };
    gboolean thin = FALSE, deep = FALSE;

    for (guint i = 0; i < n; i++)
      {
        g_autoptr(StriaeArea) area = g_list_model_get_item (areas, i);

        type_seen[striae_area_get_mark_type (area)] = TRUE;
        thin |= striae_body_site_is_thin (striae_area_get_site (area));
        deep |= striae_area_get_depth (area) >= STRIAE_DEEP_NEEDLING_MM;
      }

    FACT ("striae-rubrae", type_seen[STRIAE_MARK_TYPE_RUBRAE]);
    FACT ("striae-albae", type_seen[STRIAE_MARK_TYPE_ALBAE]);
    FACT ("striae-nigrae", type_seen[STRIAE_MARK_TYPE_NIGRAE]);
    FACT ("striae-caeruleae", type_seen[STRIAE_MARK_TYPE_CAERULEAE]);
    FACT ("thin-skin-site", thin);
    FACT ("deep-needling", deep);
  }

#undef FACT

  g_ptr_array_sort (names, compare_strings);
  g_ptr_array_add (names, NULL);
  g_clear_pointer (&self->facts, g_strfreev);
  self->facts = (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

static void
compute_cautions (StriaeRecommendation *self,
                  StriaeConsultation   *consultation)
{
  StriaeHistory *history = striae_consultation_get_history (consultation);
  StriaePlan *plan = striae_consultation_get_plan (consultation);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  /* [microneedling] [contra] RF adds heat energy and a risk of burns. */
  if (striae_plan_get_device (plan) == STRIAE_DEVICE_RF)
    g_strv_builder_add (builder,
                        _("Radiofrequency adds heat: it tightens more, but it can burn. The US "
                          "FDA (2025) reported burns, scarring, fat loss and nerve damage. "
                          "Check for a pacemaker, a defibrillator and metal in the area."));
  /* [fitzpatrick] conservative depth, longer intervals, sun protection, test patch */
  if (striae_recommendation_has_fact (self, "pih-risk"))
    g_strv_builder_add (builder,
                        _("Higher risk of pigment change: gentler depth, longer intervals, "
                          "strict sun protection. A test patch is prudent."));
  /* [contra] no numbing cream with an allergy to local anaesthetics */
  if (yes (history, STRIAE_QUESTION_ALLERGY_ANAESTHETIC))
    g_strv_builder_add (builder,
                        _("Allergy to local anaesthetics: no numbing cream."));
  /* [contra] [after] more bleeding and bruising */
  if (striae_recommendation_has_fact (self, "bleeding-risk"))
    g_strv_builder_add (builder,
                        _("More bleeding and bruising are likely, more so at deeper settings. "
                          "Do not advise stopping prescribed medicine."));
  /* [contra] antiviral prophylaxis */
  if (yes (history, STRIAE_QUESTION_HERPES_HISTORY))
    g_strv_builder_add (builder,
                        _("Cold sores before: consider antiviral medicine before treatment."));
  /* [contra] check the needle material */
  if (yes (history, STRIAE_QUESTION_ALLERGY_METAL))
    g_strv_builder_add (builder,
                        _("Metal allergy: check what the needles are made of."));
  /* [contra] serums go deep through the channels */
  if (yes (history, STRIAE_QUESTION_ALLERGY_SERUM) &&
      (striae_plan_get_adjuncts (plan) & STRIAE_ADJUNCT_SERUM))
    g_strv_builder_add (builder,
                        _("Serum allergy and a serum in the plan: check every ingredient."));
  /* [striae] response depends on the type */
  if (striae_recommendation_has_fact (self, "striae-albae"))
    g_strv_builder_add (builder,
                        _("White (mature) marks improve less and more slowly than new red "
                          "ones. Set expectations with the patient."));

  g_clear_pointer (&self->cautions, g_strfreev);
  self->cautions = g_strv_builder_end (builder);
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

/**
 * striae_recommend:
 * @consultation: the consultation
 * @rules: the clinic's rule settings
 * @birth_date: (nullable): the patient's date of birth
 * @today: the day of the recommendation
 *
 * Returns: (transfer full): the recommendation and the named facts
 */
StriaeRecommendation *
striae_recommend (StriaeConsultation *consultation,
                  StriaeRules        *rules,
                  const GDate        *birth_date,
                  const GDate        *today)
{
  g_autoptr(StriaeRecommendation) self = NULL;
  StriaeHistory *history;
  StriaeSkin *skin;
  GListModel *areas;
  gboolean pih_risk;
  double pih_step;
  guint n;
  StriaeSeverity worst = STRIAE_SEVERITY_NOT_SET;

  g_return_val_if_fail (STRIAE_IS_CONSULTATION (consultation), NULL);
  g_return_val_if_fail (STRIAE_IS_RULES (rules), NULL);
  g_return_val_if_fail (today != NULL && g_date_valid (today), NULL);

  self = g_object_new (STRIAE_TYPE_RECOMMENDATION, NULL);
  self->day = *today;
  history = striae_consultation_get_history (consultation);
  skin = striae_consultation_get_skin (consultation);
  areas = striae_consultation_get_areas (consultation);

  pih_risk = is_pih_risk (skin);
  pih_step = striae_rules_get_pih_depth_step (rules);
  /* [course] longer spacing for higher-risk skin; [fitzpatrick] longer intervals. */
  self->higher_risk = pih_risk || skin_yes (skin, STRIAE_SKIN_FACT_SENSITIVE);
  self->minor = birth_date != NULL && g_date_valid (birth_date) &&
                g_date_compare (birth_date, today) <= 0 && age_on (birth_date, today) < 18;

  n = g_list_model_get_n_items (areas);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(StriaeArea) area = g_list_model_get_item (areas, i);
      StriaeSeverity severity = striae_area_get_severity (area);
      gboolean thin = striae_body_site_is_thin (striae_area_get_site (area));
      AreaRecommendation rec = { NULL, 0, NULL };

      rec.area_id = g_strdup (striae_area_get_id (area));

      if (severity == STRIAE_SEVERITY_NOT_SET)
        {
          rec.explanation = g_strdup (_("Record how severe the marks are to get a "
                                        "recommended depth."));
          g_array_append_val (self->areas, rec);
          continue;
        }

      worst = MAX (worst, severity);

      /* [depth] the table: severity × thin- or thick-skinned site, never shallower than
       * the shortest length for stretch marks (a clinic's table may go below it). */
      rec.depth = MAX (STRIAE_DEPTH_STRIAE_MIN_MM, striae_rules_get_depth (rules, severity, thin));
      rec.explanation = dup_depth_explanation (severity, thin, rec.depth);

      /* [fitzpatrick] a more conservative depth for skin at risk of pigment change, within
       * the table's range: never below the shortest length for stretch marks. */
      if (pih_risk && pih_step > 0 && rec.depth > STRIAE_DEPTH_STRIAE_MIN_MM)
        {
          double depth = MAX (STRIAE_DEPTH_STRIAE_MIN_MM, rec.depth - pih_step);
          char *longer = g_strdup_printf (_("%s One step gentler for skin at risk of pigment "
                                            "change: %.2f mm."),
                                          rec.explanation, depth);

          g_free (rec.explanation);
          rec.explanation = longer;
          rec.depth = depth;
        }

      g_array_append_val (self->areas, rec);
    }

  if (worst != STRIAE_SEVERITY_NOT_SET)
    {
      /* [course] milder marks need fewer sessions, severe ones more: the most severe area
       * sets the course; the interval is the longest any area needs. */
      self->sessions = striae_rules_get_sessions (rules, worst);
      for (StriaeSeverity s = STRIAE_SEVERITY_MILD; s <= STRIAE_SEVERITY_SEVERE; s++)
        {
          for (guint i = 0; i < n; i++)
            {
              g_autoptr(StriaeArea) area = g_list_model_get_item (areas, i);

              if (striae_area_get_severity (area) == s)
                self->interval_weeks = MAX (self->interval_weeks,
                                            striae_rules_get_interval_weeks (rules, s,
                                                                             self->higher_risk));
            }
        }
    }

  /* [course] maintenance every 4 to 6 months. */
  self->maintenance_months = striae_rules_get_maintenance_months (rules, self->higher_risk);

  /* [microneedling] numbing cream is usually applied beforehand; [contra] not with an
   * allergy to local anaesthetics. */
  self->numbing_cream = !yes (history, STRIAE_QUESTION_ALLERGY_ANAESTHETIC);

  compute_facts (self, consultation, today);
  compute_cautions (self, consultation);

  return g_steal_pointer (&self);
}

guint
striae_recommendation_get_n_areas (StriaeRecommendation *self)
{
  g_return_val_if_fail (STRIAE_IS_RECOMMENDATION (self), 0);
  return self->areas->len;
}

/* In the order of the consultation's areas; 0 when the area has no severity yet. */
double
striae_recommendation_get_depth (StriaeRecommendation *self,
                                 guint                 area)
{
  g_return_val_if_fail (STRIAE_IS_RECOMMENDATION (self), 0);
  g_return_val_if_fail (area < self->areas->len, 0);

  return g_array_index (self->areas, AreaRecommendation, area).depth;
}

const char *
striae_recommendation_get_depth_explanation (StriaeRecommendation *self,
                                             guint                 area)
{
  g_return_val_if_fail (STRIAE_IS_RECOMMENDATION (self), NULL);
  g_return_val_if_fail (area < self->areas->len, NULL);

  return g_array_index (self->areas, AreaRecommendation, area).explanation;
}

guint
striae_recommendation_get_sessions (StriaeRecommendation *self)
{
  g_return_val_if_fail (STRIAE_IS_RECOMMENDATION (self), 0);
  return self->sessions;
}

guint
striae_recommendation_get_interval_weeks (StriaeRecommendation *self)
{
  g_return_val_if_fail (STRIAE_IS_RECOMMENDATION (self), 0);
  return self->interval_weeks;
}

guint
striae_recommendation_get_maintenance_months (StriaeRecommendation *self)
{
  g_return_val_if_fail (STRIAE_IS_RECOMMENDATION (self), 0);
  return self->maintenance_months;
}

gboolean
striae_recommendation_get_numbing_cream (StriaeRecommendation *self)
{
  g_return_val_if_fail (STRIAE_IS_RECOMMENDATION (self), FALSE);
  return self->numbing_cream;
}

gboolean
striae_recommendation_get_higher_risk (StriaeRecommendation *self)
{
  g_return_val_if_fail (STRIAE_IS_RECOMMENDATION (self), FALSE);
  return self->higher_risk;
}

/* Short plain sentences for the plan page: what to watch for with this patient. */
const char * const *
striae_recommendation_get_cautions (StriaeRecommendation *self)
{
  g_return_val_if_fail (STRIAE_IS_RECOMMENDATION (self), NULL);
  return (const char * const *) self->cautions;
}

/* The named facts that hold, sorted. */
const char * const *
striae_recommendation_get_facts (StriaeRecommendation *self)
{
  g_return_val_if_fail (STRIAE_IS_RECOMMENDATION (self), NULL);
  return (const char * const *) self->facts;
}

gboolean
striae_recommendation_has_fact (StriaeRecommendation *self,
                                const char           *name)
{
  g_return_val_if_fail (STRIAE_IS_RECOMMENDATION (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  return self->facts != NULL && g_strv_contains ((const char * const *) self->facts, name);
}

/* A chosen value follows the recommendation while the practitioner has not overridden it
 * (it is unset, or still equal to the previous recommendation); an override stays. */
static gboolean
follows (double chosen,
         double old_recommended)
{
  return chosen == 0 || fabs (chosen - old_recommended) < 1e-6;
}

/**
 * striae_recommendation_apply:
 *
 * Writes the recommended values into the consultation's plan and areas (matched by area
 * id), moving each chosen value along with its recommendation unless it was overridden, and
 * recomputes the facts for the plan as it now stands.
 */
void
striae_recommendation_apply (StriaeRecommendation *self,
                             StriaeConsultation   *consultation)
{
  StriaePlan *plan;
  gboolean numbing_follows;

  g_return_if_fail (STRIAE_IS_RECOMMENDATION (self));
  g_return_if_fail (STRIAE_IS_CONSULTATION (consultation));

  plan = striae_consultation_get_plan (consultation);

  for (guint i = 0; i < self->areas->len; i++)
    {
      AreaRecommendation *rec = &g_array_index (self->areas, AreaRecommendation, i);
      StriaeArea *area = striae_consultation_find_area (consultation, rec->area_id, NULL);

      if (area == NULL)
        continue;

      if (follows (striae_area_get_depth (area), striae_area_get_recommended_depth (area)))
        striae_area_set_depth (area, rec->depth);
      striae_area_set_recommended_depth (area, rec->depth);
    }

  if (follows (striae_plan_get_sessions (plan), striae_plan_get_recommended_sessions (plan)))
    striae_plan_set_sessions (plan, self->sessions);
  striae_plan_set_recommended_sessions (plan, self->sessions);

  if (follows (striae_plan_get_interval_weeks (plan),
               striae_plan_get_recommended_interval_weeks (plan)))
    striae_plan_set_interval_weeks (plan, self->interval_weeks);
  striae_plan_set_recommended_interval_weeks (plan, self->interval_weeks);

  /* 0 months is a real choice for maintenance (none), so only equality counts here. */
  if (striae_plan_get_maintenance_months (plan) ==
      striae_plan_get_recommended_maintenance_months (plan))
    striae_plan_set_maintenance_months (plan, self->maintenance_months);
  striae_plan_set_recommended_maintenance_months (plan, self->maintenance_months);

  numbing_follows = striae_plan_get_numbing_cream (plan) ==
                    striae_plan_get_recommended_numbing_cream (plan);
  if (numbing_follows)
    striae_plan_set_numbing_cream (plan, self->numbing_cream);
  striae_plan_set_recommended_numbing_cream (plan, self->numbing_cream);

  compute_facts (self, consultation, &self->day);
  compute_cautions (self, consultation);
}
