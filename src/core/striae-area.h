/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define STRIAE_AREA_NOTES_MAX       2000
#define STRIAE_AREA_AGE_MONTHS_MAX  1200
/* The approximate skin surface the marks cover, in whole cm² (0: not measured). Both thighs
 * of an adult are about 3 500 cm², so 5 000 cm² bounds one area of any named site. */
#define STRIAE_AREA_EXTENT_MAX_CM2  5000
#define STRIAE_DEPTH_MIN_MM         0.25
#define STRIAE_DEPTH_MAX_MM         3.0
#define STRIAE_DEPTH_STEP_MM        0.25
/* [depth] the shortest length recommended for stretch marks, the depth table's first row:
 * shorter needles stay in the epidermis, and stretch marks lie in the dermis. A practitioner
 * may still choose less (down to STRIAE_DEPTH_MIN_MM), with a reason. */
#define STRIAE_DEPTH_STRIAE_MIN_MM  0.5

/* [striae] common sites. Thin- or thick-skinned: see striae_body_site_is_thin(). */
typedef enum
{
  STRIAE_BODY_SITE_ABDOMEN,
  STRIAE_BODY_SITE_BREASTS,
  STRIAE_BODY_SITE_HIPS,
  STRIAE_BODY_SITE_FLANKS,
  STRIAE_BODY_SITE_THIGHS,
  STRIAE_BODY_SITE_BUTTOCKS,
  STRIAE_BODY_SITE_UPPER_ARMS,
  STRIAE_BODY_SITE_INNER_ARMS,
  STRIAE_BODY_SITE_LOWER_BACK,
  STRIAE_BODY_SITE_OTHER,
} StriaeBodySite;

#define STRIAE_N_BODY_SITES (STRIAE_BODY_SITE_OTHER + 1)

/* Which side of the body an area is on. Only paired sites have one (see
 * striae_body_site_has_side()); a midline site, or another site the notes describe, is
 * STRIAE_SIDE_NOT_APPLICABLE. A paired site recorded before sides existed is
 * STRIAE_SIDE_NOT_RECORDED. */
typedef enum
{
  STRIAE_SIDE_NOT_RECORDED,
  STRIAE_SIDE_LEFT,
  STRIAE_SIDE_RIGHT,
  STRIAE_SIDE_BOTH,
  STRIAE_SIDE_NOT_APPLICABLE,
} StriaeSide;

/* [striae] types by stage and colour. */
typedef enum
{
  STRIAE_MARK_TYPE_NOT_SET,
  STRIAE_MARK_TYPE_RUBRAE,     /* new, red to purple, active */
  STRIAE_MARK_TYPE_ALBAE,      /* mature, white to silver, atrophic */
  STRIAE_MARK_TYPE_NIGRAE,     /* mature, dark brown or black, in darker skin */
  STRIAE_MARK_TYPE_CAERULEAE,  /* mature, blue, in darker skin */
} StriaeMarkType;

/* [striae] causes. */
typedef enum
{
  STRIAE_CAUSE_UNKNOWN,
  STRIAE_CAUSE_PREGNANCY,
  STRIAE_CAUSE_WEIGHT_CHANGE,
  STRIAE_CAUSE_GROWTH_SPURT,
  STRIAE_CAUSE_MUSCLE_BUILDING,
  STRIAE_CAUSE_CORTICOSTEROIDS,
  STRIAE_CAUSE_ENDOCRINE,
  STRIAE_CAUSE_OTHER,
} StriaeCause;

/* [depth] severity for the recommendation. */
typedef enum
{
  STRIAE_SEVERITY_NOT_SET,
  STRIAE_SEVERITY_MILD,      /* narrow, flat or barely depressed, mostly recent and red */
  STRIAE_SEVERITY_MODERATE,  /* wider or clearly depressed */
  STRIAE_SEVERITY_SEVERE,    /* wide, deeply atrophic, extensive */
} StriaeSeverity;

#define STRIAE_N_SEVERITIES (STRIAE_SEVERITY_SEVERE + 1)

/* [depth] published scores; recording one is optional. */
typedef enum
{
  STRIAE_SCORE_SCALE_NONE,
  STRIAE_SCORE_SCALE_DAVEY,  /* abdomen, 0–8 */
  STRIAE_SCORE_SCALE_ATWAL,  /* total over abdomen, hips, buttocks, breasts: 4 × 0–8 */
  STRIAE_SCORE_SCALE_OTHER,  /* a clinic's own scale, 0–100 */
} StriaeScoreScale;

const char *striae_body_site_get_label   (StriaeBodySite   site);
gboolean    striae_body_site_is_thin     (StriaeBodySite   site);
gboolean    striae_body_site_has_side    (StriaeBodySite   site);
StriaeBodySite striae_body_site_first_unrecorded (GListModel *areas);
const char *striae_side_get_label        (StriaeSide       side);
gboolean    striae_side_fits_site        (StriaeSide       side,
                                          StriaeBodySite   site);
const char *striae_mark_type_get_label   (StriaeMarkType   type);
const char *striae_cause_get_label       (StriaeCause      cause);
const char *striae_severity_get_label    (StriaeSeverity   severity);
const char *striae_score_scale_get_label (StriaeScoreScale scale);
gboolean    striae_score_scale_get_range (StriaeScoreScale scale,
                                          double          *min,
                                          double          *max);

#define STRIAE_TYPE_AREA (striae_area_get_type ())

G_DECLARE_FINAL_TYPE (StriaeArea, striae_area, STRIAE, AREA, GObject)

StriaeArea       *striae_area_new                   (StriaeBodySite    site);
StriaeArea       *striae_area_copy                  (StriaeArea       *self);

const char       *striae_area_get_id                (StriaeArea       *self);
void              striae_area_set_id                (StriaeArea       *self,
                                                     const char       *id);
StriaeBodySite    striae_area_get_site              (StriaeArea       *self);
void              striae_area_set_site              (StriaeArea       *self,
                                                     StriaeBodySite    site);
StriaeSide        striae_area_get_side              (StriaeArea       *self);
void              striae_area_set_side              (StriaeArea       *self,
                                                     StriaeSide        side);
int               striae_area_get_extent            (StriaeArea       *self);
void              striae_area_set_extent            (StriaeArea       *self,
                                                     int               cm2);
StriaeMarkType    striae_area_get_mark_type         (StriaeArea       *self);
void              striae_area_set_mark_type         (StriaeArea       *self,
                                                     StriaeMarkType    type);
StriaeCause       striae_area_get_cause             (StriaeArea       *self);
void              striae_area_set_cause             (StriaeArea       *self,
                                                     StriaeCause       cause);
int               striae_area_get_age_months        (StriaeArea       *self);
void              striae_area_set_age_months        (StriaeArea       *self,
                                                     int               months);
StriaeSeverity    striae_area_get_severity          (StriaeArea       *self);
void              striae_area_set_severity          (StriaeArea       *self,
                                                     StriaeSeverity    severity);
StriaeScoreScale  striae_area_get_score_scale       (StriaeArea       *self);
void              striae_area_set_score_scale       (StriaeArea       *self,
                                                     StriaeScoreScale  scale);
double            striae_area_get_score             (StriaeArea       *self);
void              striae_area_set_score             (StriaeArea       *self,
                                                     double            score);
const char       *striae_area_get_notes             (StriaeArea       *self);
void              striae_area_set_notes             (StriaeArea       *self,
                                                     const char       *notes);
double            striae_area_get_recommended_depth (StriaeArea       *self);
void              striae_area_set_recommended_depth (StriaeArea       *self,
                                                     double            mm);
double            striae_area_get_depth             (StriaeArea       *self);
void              striae_area_set_depth             (StriaeArea       *self,
                                                     double            mm);
const char       *striae_area_get_depth_reason      (StriaeArea       *self);
void              striae_area_set_depth_reason      (StriaeArea       *self,
                                                     const char       *reason);
gboolean          striae_area_is_depth_overridden   (StriaeArea       *self);
char             *striae_area_dup_title             (StriaeArea       *self);
gboolean          striae_area_overlaps              (StriaeArea       *self,
                                                     StriaeArea       *other);

gboolean          striae_area_validate              (StriaeArea       *self,
                                                     GError          **error);

G_END_DECLS
