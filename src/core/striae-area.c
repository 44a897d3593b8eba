/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "striae-area.h"
#include "striae-core-enums.h"
#include "striae-core-error.h"
#include "striae-core-private.h"

struct _StriaeArea
{
  GObject           parent_instance;

  char             *id;
  StriaeBodySite    site;
  StriaeSide        side;
  int               extent;
  StriaeMarkType    mark_type;
  StriaeCause       cause;
  int               age_months;
  StriaeSeverity    severity;
  StriaeScoreScale  score_scale;
  double            score;
  char             *notes;
  double            recommended_depth;
  double            depth;
  char             *depth_reason;
};

G_DEFINE_FINAL_TYPE (StriaeArea, striae_area, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_SITE,
  PROP_SIDE,
  PROP_EXTENT,
  PROP_MARK_TYPE,
  PROP_CAUSE,
  PROP_AGE_MONTHS,
  PROP_SEVERITY,
  PROP_SCORE_SCALE,
  PROP_SCORE,
  PROP_NOTES,
  PROP_RECOMMENDED_DEPTH,
  PROP_DEPTH,
  PROP_DEPTH_REASON,
  PROP_DEPTH_OVERRIDDEN,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties [N_PROPS];
static guint signals [N_SIGNALS];

/* [depth] thick-skinned: abdomen, thighs, buttocks; thin-skinned: breasts, inner arms.
 * CLINICAL.md names no thickness for hips, flanks, upper arms or lower back; we count them
 * thick like the trunk and thighs they adjoin. An unnamed site counts as thin, the
 * conservative choice when nobody knows the skin.
 * [striae] the common sites that come in pairs, one on each side of the body, take a side;
 * the abdomen and the lower back lie across the midline, and another site is described in
 * the notes, side included. Each paired site names its left, right and both sides in full,
 * because the words agree with the site's noun in most languages. */
static const struct {
  const char *label;
  gboolean    thin;
  const char *sides[3];  /* left, right, both; NULL for a site without a side */
} sites[STRIAE_N_BODY_SITES] = {
  { N_("Abdomen"), FALSE, { NULL } },
  { N_("Breasts"), TRUE,
    { NC_("area", "Left breast"), NC_("area", "Right breast"), NC_("area", "Both breasts") } },
  { N_("Hips"), FALSE,
    { NC_("area", "Left hip"), NC_("area", "Right hip"), NC_("area", "Both hips") } },
  { N_("Flanks"), FALSE,
    { NC_("area", "Left flank"), NC_("area", "Right flank"), NC_("area", "Both flanks") } },
  { N_("Thighs"), FALSE,
    { NC_("area", "Left thigh"), NC_("area", "Right thigh"), NC_("area", "Both thighs") } },
  { N_("Buttocks"), FALSE,
    { NC_("area", "Left buttock"), NC_("area", "Right buttock"), NC_("area", "Both buttocks") } },
  { N_("Upper arms"), FALSE,
    { NC_("area", "Left upper arm"), NC_("area", "Right upper arm"),
      NC_("area", "Both upper arms") } },
  { N_("Inner arms"), TRUE,
    { NC_("area", "Left inner arm"), NC_("area", "Right inner arm"),
      NC_("area", "Both inner arms") } },
  { N_("Lower back"), FALSE, { NULL } },
  { N_("Other site"), TRUE, { NULL } },
};

const char *
striae_body_site_get_label (StriaeBodySite site)
{
  g_return_val_if_fail (site < STRIAE_N_BODY_SITES, NULL);
  return _(sites[site].label);
}

gboolean
striae_body_site_is_thin (StriaeBodySite site)
{
  g_return_val_if_fail (site < STRIAE_N_BODY_SITES, TRUE);
  return sites[site].thin;
}

gboolean
striae_body_site_has_side (StriaeBodySite site)
{
  g_return_val_if_fail (site < STRIAE_N_BODY_SITES, FALSE);
  return sites[site].sides[0] != NULL;
}

/* A site for a new area: the first in the list that no area of @areas (a list of
 * #StriaeArea) records yet, so that adding an area does not repeat one; another site when
 * every named one is taken. */
StriaeBodySite
striae_body_site_first_unrecorded (GListModel *areas)
{
  gboolean taken[STRIAE_N_BODY_SITES] = { FALSE };
  guint n;

  g_return_val_if_fail (G_IS_LIST_MODEL (areas), STRIAE_BODY_SITE_OTHER);

  n = g_list_model_get_n_items (areas);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(StriaeArea) area = g_list_model_get_item (areas, i);

      taken[striae_area_get_site (area)] = TRUE;
    }
  for (StriaeBodySite site = 0; site < STRIAE_BODY_SITE_OTHER; site++)
    if (!taken[site])
      return site;
  return STRIAE_BODY_SITE_OTHER;
}

const char *
striae_side_get_label (StriaeSide side)
{
  static const char *labels[] = {
    NC_("side", "Not recorded"),
    NC_("side", "Left"),
    NC_("side", "Right"),
    NC_("side", "Both sides"),
    NC_("side", "No side"),
  };

  g_return_val_if_fail (side <= STRIAE_SIDE_NOT_APPLICABLE, NULL);
  /* Every label carries a context: "Left" and "Right" agree with the noun "side" in some
   * languages, and "Not recorded" with the noun of each field. */
  return g_dpgettext2 (NULL, "side", labels[side]);
}

/* A paired site takes a side or has it not recorded; any other site has none. */
gboolean
striae_side_fits_site (StriaeSide     side,
                       StriaeBodySite site)
{
  g_return_val_if_fail (site < STRIAE_N_BODY_SITES, FALSE);

  if (side > STRIAE_SIDE_NOT_APPLICABLE)
    return FALSE;
  return striae_body_site_has_side (site) == (side != STRIAE_SIDE_NOT_APPLICABLE);
}

const char *
striae_mark_type_get_label (StriaeMarkType type)
{
  static const char *labels[] = {
    NC_("mark type", "Not recorded"),
    N_("Striae rubrae (new, red to purple)"),
    N_("Striae albae (mature, white to silver)"),
    N_("Striae nigrae (mature, dark brown or black)"),
    N_("Striae caeruleae (mature, blue)"),
  };

  g_return_val_if_fail (type <= STRIAE_MARK_TYPE_CAERULEAE, NULL);
  /* "Not recorded" carries a context: its words agree with the noun in some languages. */
  if (type == 0)
    return g_dpgettext2 (NULL, "mark type", labels[type]);
  return _(labels[type]);
}

const char *
striae_cause_get_label (StriaeCause cause)
{
  static const char *labels[] = {
    NC_("cause", "Unknown"),
    N_("Pregnancy"),
    N_("Weight gain or loss"),
    N_("Growth spurt"),
    N_("Muscle building"),
    N_("Corticosteroids"),
    N_("Hormonal (endocrine) disease"),
    NC_("cause", "Other"),
  };

  g_return_val_if_fail (cause <= STRIAE_CAUSE_OTHER, NULL);
  /* "Unknown" and "Other" carry a context: the same English words answer other questions
   * (a yes/no answer, the patient's sex) and agree with other nouns elsewhere. */
  if (cause == STRIAE_CAUSE_UNKNOWN || cause == STRIAE_CAUSE_OTHER)
    return g_dpgettext2 (NULL, "cause", labels[cause]);
  return _(labels[cause]);
}

const char *
striae_severity_get_label (StriaeSeverity severity)
{
  static const char *labels[] = {
    NC_("severity", "Not recorded"),
    N_("Mild"),
    N_("Moderate"),
    N_("Severe"),
  };

  g_return_val_if_fail (severity <= STRIAE_SEVERITY_SEVERE, NULL);
  /* "Not recorded" carries a context: its words agree with the noun in some languages. */
  if (severity == STRIAE_SEVERITY_NOT_SET)
    return g_dpgettext2 (NULL, "severity", labels[severity]);
  return _(labels[severity]);
}

const char *
striae_score_scale_get_label (StriaeScoreScale scale)
{
  static const char *labels[] = {
    N_("No score"),
    N_("Davey score (0–8)"),
    N_("Atwal total striae score (0–32)"),
    N_("Other scale (0–100)"),
  };

  g_return_val_if_fail (scale <= STRIAE_SCORE_SCALE_OTHER, NULL);
  return _(labels[scale]);
}

/* [depth] Davey scores the abdomen 0–8. Atwal scores each of four sites (abdomen, hips,
 * buttocks, breasts) 0–8, so the total is 0–32. A clinic's own scale is kept to 0–100. */
gboolean
striae_score_scale_get_range (StriaeScoreScale  scale,
                              double           *min,
                              double           *max)
{
  double lo = 0, hi = 0;

  switch (scale)
    {
    case STRIAE_SCORE_SCALE_DAVEY:
      hi = 8;
      break;
    case STRIAE_SCORE_SCALE_ATWAL:
      hi = 32;
      break;
    case STRIAE_SCORE_SCALE_OTHER:
      hi = 100;
      break;
    case STRIAE_SCORE_SCALE_NONE:
    default:
      return FALSE;
    }

  if (min)
    *min = lo;
  if (max)
    *max = hi;
  return TRUE;
}

static void
emit_changed (StriaeArea *self,
              int         prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties [prop]);
  g_signal_emit (self, signals [CHANGED], 0);
}

static void
striae_area_finalize (GObject *object)
{
  StriaeArea *self = (StriaeArea *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->notes, g_free);
  g_clear_pointer (&self->depth_reason, g_free);

  G_OBJECT_CLASS (striae_area_parent_class)->finalize (object);
}

static void
striae_area_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  StriaeArea *self = STRIAE_AREA (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_SITE:
      g_value_set_enum (value, self->site);
      break;
    case PROP_SIDE:
      g_value_set_enum (value, self->side);
      break;
    case PROP_EXTENT:
      g_value_set_int (value, self->extent);
      break;
    case PROP_MARK_TYPE:
      g_value_set_enum (value, self->mark_type);
      break;
    case PROP_CAUSE:
      g_value_set_enum (value, self->cause);
      break;
    case PROP_AGE_MONTHS:
      g_value_set_int (value, self->age_months);
      break;
    case PROP_SEVERITY:
      g_value_set_enum (value, self->severity);
      break;
    case PROP_SCORE_SCALE:
      g_value_set_enum (value, self->score_scale);
      break;
    case PROP_SCORE:
      g_value_set_double (value, self->score);
      break;
    case PROP_NOTES:
      g_value_set_string (value, self->notes);
      break;
    case PROP_RECOMMENDED_DEPTH:
      g_value_set_double (value, self->recommended_depth);
      break;
    case PROP_DEPTH:
      g_value_set_double (value, self->depth);
      break;
    case PROP_DEPTH_REASON:
      g_value_set_string (value, self->depth_reason);
      break;
    case PROP_DEPTH_OVERRIDDEN:
      g_value_set_boolean (value, striae_area_is_depth_overridden (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_area_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  StriaeArea *self = STRIAE_AREA (object);

  switch (prop_id)
    {
    case PROP_ID:
      striae_area_set_id (self, g_value_get_string (value));
      break;
    case PROP_SITE:
      striae_area_set_site (self, g_value_get_enum (value));
      break;
    case PROP_SIDE:
      striae_area_set_side (self, g_value_get_enum (value));
      break;
    case PROP_EXTENT:
      striae_area_set_extent (self, g_value_get_int (value));
      break;
    case PROP_MARK_TYPE:
      striae_area_set_mark_type (self, g_value_get_enum (value));
      break;
    case PROP_CAUSE:
      striae_area_set_cause (self, g_value_get_enum (value));
      break;
    case PROP_AGE_MONTHS:
      striae_area_set_age_months (self, g_value_get_int (value));
      break;
    case PROP_SEVERITY:
      striae_area_set_severity (self, g_value_get_enum (value));
      break;
    case PROP_SCORE_SCALE:
      striae_area_set_score_scale (self, g_value_get_enum (value));
      break;
    case PROP_SCORE:
      striae_area_set_score (self, g_value_get_double (value));
      break;
    case PROP_NOTES:
      striae_area_set_notes (self, g_value_get_string (value));
      break;
    case PROP_RECOMMENDED_DEPTH:
      striae_area_set_recommended_depth (self, g_value_get_double (value));
      break;
    case PROP_DEPTH:
      striae_area_set_depth (self, g_value_get_double (value));
      break;
    case PROP_DEPTH_REASON:
      striae_area_set_depth_reason (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_area_class_init (StriaeAreaClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = striae_area_finalize;
  object_class->get_property = striae_area_get_property;
  object_class->set_property = striae_area_set_property;

  properties [PROP_ID] = g_param_spec_string ("id", NULL, NULL, "", flags);
  properties [PROP_SITE] =
    g_param_spec_enum ("site", NULL, NULL, STRIAE_TYPE_BODY_SITE,
                       STRIAE_BODY_SITE_ABDOMEN, flags);
  properties [PROP_SIDE] =
    g_param_spec_enum ("side", NULL, NULL, STRIAE_TYPE_SIDE, STRIAE_SIDE_NOT_APPLICABLE, flags);
  properties [PROP_EXTENT] =
    g_param_spec_int ("extent", NULL, NULL, 0, STRIAE_AREA_EXTENT_MAX_CM2, 0, flags);
  properties [PROP_MARK_TYPE] =
    g_param_spec_enum ("mark-type", NULL, NULL, STRIAE_TYPE_MARK_TYPE,
                       STRIAE_MARK_TYPE_NOT_SET, flags);
  properties [PROP_CAUSE] =
    g_param_spec_enum ("cause", NULL, NULL, STRIAE_TYPE_CAUSE, STRIAE_CAUSE_UNKNOWN, flags);
  properties [PROP_AGE_MONTHS] =
    g_param_spec_int ("age-months", NULL, NULL, -1, STRIAE_AREA_AGE_MONTHS_MAX, -1, flags);
  properties [PROP_SEVERITY] =
    g_param_spec_enum ("severity", NULL, NULL, STRIAE_TYPE_SEVERITY,
                       STRIAE_SEVERITY_NOT_SET, flags);
  properties [PROP_SCORE_SCALE] =
    g_param_spec_enum ("score-scale", NULL, NULL, STRIAE_TYPE_SCORE_SCALE,
                       STRIAE_SCORE_SCALE_NONE, flags);
  properties [PROP_SCORE] =
    g_param_spec_double ("score", NULL, NULL, 0, 100, 0, flags);
  properties [PROP_NOTES] = g_param_spec_string ("notes", NULL, NULL, "", flags);
  properties [PROP_RECOMMENDED_DEPTH] =
    g_param_spec_double ("recommended-depth", NULL, NULL, 0, STRIAE_DEPTH_MAX_MM, 0, flags);
  properties [PROP_DEPTH] =
    g_param_spec_double ("depth", NULL, NULL, 0, STRIAE_DEPTH_MAX_MM, 0, flags);
  properties [PROP_DEPTH_REASON] = g_param_spec_string ("depth-reason", NULL, NULL, "", flags);
  properties [PROP_DEPTH_OVERRIDDEN] =
    g_param_spec_boolean ("depth-overridden", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * StriaeArea::changed:
   *
   * Emitted after any change.
   */
  signals [CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
striae_area_init (StriaeArea *self)
{
  self->id = g_uuid_string_random ();
  /* The abdomen, the default site, has no side. */
  self->side = STRIAE_SIDE_NOT_APPLICABLE;
  self->age_months = -1;
  self->notes = g_strdup ("");
  self->depth_reason = g_strdup ("");
}

StriaeArea *
striae_area_new (StriaeBodySite site)
{
  g_return_val_if_fail (site < STRIAE_N_BODY_SITES, NULL);

  return g_object_new (STRIAE_TYPE_AREA, "site", site, NULL);
}

StriaeArea *
striae_area_copy (StriaeArea *self)
{
  StriaeArea *copy;

  g_return_val_if_fail (STRIAE_IS_AREA (self), NULL);

  copy = striae_area_new (self->site);
  striae_area_set_id (copy, self->id);
  copy->side = self->side;
  copy->extent = self->extent;
  copy->mark_type = self->mark_type;
  copy->cause = self->cause;
  copy->age_months = self->age_months;
  copy->severity = self->severity;
  copy->score_scale = self->score_scale;
  copy->score = self->score;
  striae_area_set_notes (copy, self->notes);
  copy->recommended_depth = self->recommended_depth;
  copy->depth = self->depth;
  striae_area_set_depth_reason (copy, self->depth_reason);

  return copy;
}

const char *
striae_area_get_id (StriaeArea *self)
{
  g_return_val_if_fail (STRIAE_IS_AREA (self), NULL);
  return self->id;
}

void
striae_area_set_id (StriaeArea *self,
                    const char *id)
{
  g_return_if_fail (STRIAE_IS_AREA (self));

  if (striae_core_set_text (G_OBJECT (self), &self->id, id, properties [PROP_ID]))
    g_signal_emit (self, signals [CHANGED], 0);
}

#define ENUM_ACCESSORS(Type, field, PROP, MAX)                        \
Type                                                                  \
striae_area_get_##field (StriaeArea *self)                            \
{                                                                     \
  g_return_val_if_fail (STRIAE_IS_AREA (self), 0);                    \
  return self->field;                                                 \
}                                                                     \
                                                                      \
void                                                                  \
striae_area_set_##field (StriaeArea *self,                            \
                         Type        value)                           \
{                                                                     \
  g_return_if_fail (STRIAE_IS_AREA (self));                           \
  g_return_if_fail ((guint) value <= (guint) MAX);                    \
                                                                      \
  if (self->field == value)                                           \
    return;                                                           \
                                                                      \
  self->field = value;                                                \
  emit_changed (self, PROP);                                          \
}

ENUM_ACCESSORS (StriaeMarkType, mark_type, PROP_MARK_TYPE, STRIAE_MARK_TYPE_CAERULEAE)
ENUM_ACCESSORS (StriaeCause, cause, PROP_CAUSE, STRIAE_CAUSE_OTHER)
ENUM_ACCESSORS (StriaeSeverity, severity, PROP_SEVERITY, STRIAE_SEVERITY_SEVERE)
ENUM_ACCESSORS (StriaeScoreScale, score_scale, PROP_SCORE_SCALE, STRIAE_SCORE_SCALE_OTHER)

#undef ENUM_ACCESSORS

StriaeBodySite
striae_area_get_site (StriaeArea *self)
{
  g_return_val_if_fail (STRIAE_IS_AREA (self), 0);
  return self->site;
}

/* A side stays with a paired site when it moves to another paired one (the left thigh becomes
 * the left hip); it goes when the site has no side, and is not recorded when a site without
 * one becomes a paired one. */
void
striae_area_set_site (StriaeArea     *self,
                      StriaeBodySite  site)
{
  StriaeSide side;

  g_return_if_fail (STRIAE_IS_AREA (self));
  g_return_if_fail (site < STRIAE_N_BODY_SITES);

  if (self->site == site)
    return;

  self->site = site;
  side = self->side;
  if (!striae_body_site_has_side (site))
    side = STRIAE_SIDE_NOT_APPLICABLE;
  else if (side == STRIAE_SIDE_NOT_APPLICABLE)
    side = STRIAE_SIDE_NOT_RECORDED;
  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SITE]);
  if (side != self->side)
    {
      self->side = side;
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SIDE]);
    }
  g_object_thaw_notify (G_OBJECT (self));
  g_signal_emit (self, signals [CHANGED], 0);
}

StriaeSide
striae_area_get_side (StriaeArea *self)
{
  g_return_val_if_fail (STRIAE_IS_AREA (self), STRIAE_SIDE_NOT_RECORDED);
  return self->side;
}

/* The side must fit the site (striae_side_fits_site()): set the site first. */
void
striae_area_set_side (StriaeArea *self,
                      StriaeSide  side)
{
  g_return_if_fail (STRIAE_IS_AREA (self));
  g_return_if_fail (striae_side_fits_site (side, self->site));

  if (self->side == side)
    return;

  self->side = side;
  emit_changed (self, PROP_SIDE);
}

int
striae_area_get_extent (StriaeArea *self)
{
  g_return_val_if_fail (STRIAE_IS_AREA (self), 0);
  return self->extent;
}

/* The approximate surface the marks cover, in cm²; 0 means not measured. */
void
striae_area_set_extent (StriaeArea *self,
                        int         cm2)
{
  g_return_if_fail (STRIAE_IS_AREA (self));
  g_return_if_fail (cm2 >= 0 && cm2 <= STRIAE_AREA_EXTENT_MAX_CM2);

  if (self->extent == cm2)
    return;

  self->extent = cm2;
  emit_changed (self, PROP_EXTENT);
}

int
striae_area_get_age_months (StriaeArea *self)
{
  g_return_val_if_fail (STRIAE_IS_AREA (self), -1);
  return self->age_months;
}

/* -1 means the age of the marks is not known. */
void
striae_area_set_age_months (StriaeArea *self,
                            int         months)
{
  g_return_if_fail (STRIAE_IS_AREA (self));
  g_return_if_fail (months >= -1 && months <= STRIAE_AREA_AGE_MONTHS_MAX);

  if (self->age_months == months)
    return;

  self->age_months = months;
  emit_changed (self, PROP_AGE_MONTHS);
}

double
striae_area_get_score (StriaeArea *self)
{
  g_return_val_if_fail (STRIAE_IS_AREA (self), 0);
  return self->score;
}

/* The range is checked by striae_area_validate(), against the chosen scale: a person may set
 * the score before the scale. */
void
striae_area_set_score (StriaeArea *self,
                       double      score)
{
  g_return_if_fail (STRIAE_IS_AREA (self));
  g_return_if_fail (isfinite (score));

  if (self->score == score)
    return;

  self->score = score;
  emit_changed (self, PROP_SCORE);
}

const char *
striae_area_get_notes (StriaeArea *self)
{
  g_return_val_if_fail (STRIAE_IS_AREA (self), NULL);
  return self->notes;
}

void
striae_area_set_notes (StriaeArea *self,
                       const char *notes)
{
  g_return_if_fail (STRIAE_IS_AREA (self));

  if (striae_core_set_text (G_OBJECT (self), &self->notes, notes, properties [PROP_NOTES]))
    g_signal_emit (self, signals [CHANGED], 0);
}

double
striae_area_get_recommended_depth (StriaeArea *self)
{
  g_return_val_if_fail (STRIAE_IS_AREA (self), 0);
  return self->recommended_depth;
}

static void
set_depth_field (StriaeArea *self,
                 double     *field,
                 double      mm,
                 int         prop)
{
  gboolean was_overridden = striae_area_is_depth_overridden (self);

  if (*field == mm)
    return;

  *field = mm;
  g_object_notify_by_pspec (G_OBJECT (self), properties [prop]);
  if (was_overridden != striae_area_is_depth_overridden (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DEPTH_OVERRIDDEN]);
  g_signal_emit (self, signals [CHANGED], 0);
}

/* 0 means no recommendation (the severity is not recorded yet). */
void
striae_area_set_recommended_depth (StriaeArea *self,
                                   double      mm)
{
  g_return_if_fail (STRIAE_IS_AREA (self));
  g_return_if_fail (mm == 0 || (mm >= STRIAE_DEPTH_MIN_MM && mm <= STRIAE_DEPTH_MAX_MM));

  set_depth_field (self, &self->recommended_depth, mm, PROP_RECOMMENDED_DEPTH);
}

double
striae_area_get_depth (StriaeArea *self)
{
  g_return_val_if_fail (STRIAE_IS_AREA (self), 0);
  return self->depth;
}

/* The depth the practitioner chose; 0 means not chosen yet. Whether it is a 0.25 mm step is
 * checked by striae_area_validate(). */
void
striae_area_set_depth (StriaeArea *self,
                       double      mm)
{
  g_return_if_fail (STRIAE_IS_AREA (self));
  g_return_if_fail (mm == 0 || (mm >= STRIAE_DEPTH_MIN_MM && mm <= STRIAE_DEPTH_MAX_MM));

  set_depth_field (self, &self->depth, mm, PROP_DEPTH);
}

const char *
striae_area_get_depth_reason (StriaeArea *self)
{
  g_return_val_if_fail (STRIAE_IS_AREA (self), NULL);
  return self->depth_reason;
}

void
striae_area_set_depth_reason (StriaeArea *self,
                              const char *reason)
{
  g_return_if_fail (STRIAE_IS_AREA (self));

  if (striae_core_set_text (G_OBJECT (self), &self->depth_reason, reason,
                            properties [PROP_DEPTH_REASON]))
    g_signal_emit (self, signals [CHANGED], 0);
}

/* An override is a chosen depth that differs from a recommendation that exists. */
gboolean
striae_area_is_depth_overridden (StriaeArea *self)
{
  g_return_val_if_fail (STRIAE_IS_AREA (self), FALSE);

  return self->recommended_depth > 0 && self->depth > 0 &&
         fabs (self->depth - self->recommended_depth) > 1e-6;
}

char *
striae_area_dup_title (StriaeArea *self)
{
  g_return_val_if_fail (STRIAE_IS_AREA (self), NULL);

  if (self->site == STRIAE_BODY_SITE_OTHER && self->notes[0] != '\0')
    {
      g_autofree char *first = g_strdup (self->notes);
      char *nl = strchr (first, '\n');

      if (nl)
        *nl = '\0';
      /* TRANSLATORS: an area at a site not in the list, followed by the practitioner's note */
      return g_strdup_printf (_("Other site: %s"), first);
    }

  if (self->side >= STRIAE_SIDE_LEFT && self->side <= STRIAE_SIDE_BOTH)
    return g_strdup (g_dpgettext2 (NULL, "area", sites[self->site].sides[self->side - 1]));

  return g_strdup (striae_body_site_get_label (self->site));
}

/* The first line of another site's notes, which names the site, folded for comparison. */
static char *
dup_other_site_key (StriaeArea *self)
{
  g_autofree char *first = g_strdup (self->notes);
  g_autofree char *normal = NULL;
  char *nl = strchr (first, '\n');

  if (nl)
    *nl = '\0';
  normal = g_utf8_normalize (g_strstrip (first), -1, G_NORMALIZE_ALL);
  return normal != NULL ? g_utf8_casefold (normal, -1) : g_strdup ("");
}

/**
 * striae_area_overlaps:
 *
 * Whether @self and @other record the same skin: the same site, and sides that meet (the
 * same side, both sides against one of them, or a side not recorded); another site counts
 * as the same when the first lines of the notes say the same.
 */
gboolean
striae_area_overlaps (StriaeArea *self,
                      StriaeArea *other)
{
  g_return_val_if_fail (STRIAE_IS_AREA (self), FALSE);
  g_return_val_if_fail (STRIAE_IS_AREA (other), FALSE);

  if (self == other || self->site != other->site)
    return FALSE;

  if (self->site == STRIAE_BODY_SITE_OTHER)
    {
      g_autofree char *mine = dup_other_site_key (self);
      g_autofree char *theirs = dup_other_site_key (other);

      return mine[0] != '\0' && g_str_equal (mine, theirs);
    }

  if (self->side == STRIAE_SIDE_NOT_APPLICABLE || self->side == other->side)
    return TRUE;
  if (self->side == STRIAE_SIDE_BOTH || other->side == STRIAE_SIDE_BOTH)
    return TRUE;
  return self->side == STRIAE_SIDE_NOT_RECORDED || other->side == STRIAE_SIDE_NOT_RECORDED;
}

gboolean
striae_area_validate (StriaeArea  *self,
                      GError     **error)
{
  g_autofree char *title = NULL;
  double min, max;

  g_return_val_if_fail (STRIAE_IS_AREA (self), FALSE);

  title = striae_area_dup_title (self);

  if (self->id[0] == '\0')
    {
      g_set_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
                   _("%s: the area has no identifier."), title);
      return FALSE;
    }

  if (self->severity == STRIAE_SEVERITY_NOT_SET)
    {
      g_set_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INCOMPLETE,
                   _("%s: choose how severe the marks are."), title);
      return FALSE;
    }

  if (self->mark_type == STRIAE_MARK_TYPE_NOT_SET)
    {
      g_set_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INCOMPLETE,
                   _("%s: choose the type of the marks."), title);
      return FALSE;
    }

  if (self->site == STRIAE_BODY_SITE_OTHER && self->notes[0] == '\0')
    {
      g_set_error_literal (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INCOMPLETE,
                           _("Other site: say in the notes where the marks are."));
      return FALSE;
    }

  if (striae_score_scale_get_range (self->score_scale, &min, &max) &&
      (self->score < min || self->score > max))
    {
      g_set_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
                   _("%s: a score on this scale lies between %g and %g."), title, min, max);
      return FALSE;
    }

  if (!g_utf8_validate (self->notes, -1, NULL) ||
      g_utf8_strlen (self->notes, -1) > STRIAE_AREA_NOTES_MAX ||
      !g_utf8_validate (self->depth_reason, -1, NULL) ||
      g_utf8_strlen (self->depth_reason, -1) > STRIAE_AREA_NOTES_MAX)
    {
      g_set_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
                   _("%s: notes must be valid text of at most %u characters."),
                   title, STRIAE_AREA_NOTES_MAX);
      return FALSE;
    }

  if ((self->depth > 0 && !striae_core_is_quarter_mm (self->depth)) ||
      (self->recommended_depth > 0 && !striae_core_is_quarter_mm (self->recommended_depth)))
    {
      g_set_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
                   _("%s: needle depth goes in steps of 0.25 mm."), title);
      return FALSE;
    }

  return TRUE;
}
