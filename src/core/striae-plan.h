/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define STRIAE_PLAN_SESSIONS_MAX      20
#define STRIAE_PLAN_INTERVAL_MAX      26   /* weeks */
#define STRIAE_PLAN_MAINTENANCE_MAX   24   /* months */
#define STRIAE_PLAN_REASON_MAX        2000

/* [microneedling] the three ways of making the micro-injuries. */
typedef enum
{
  STRIAE_DEVICE_NOT_SET,
  STRIAE_DEVICE_ROLLER,  /* manual roller */
  STRIAE_DEVICE_PEN,     /* automated pen */
  STRIAE_DEVICE_RF,      /* radiofrequency microneedling */
} StriaeDevice;

/* [microneedling] what may be combined with the needling; none is 0. */
typedef enum /*< flags >*/
{
  STRIAE_ADJUNCT_NONE      = 0,
  STRIAE_ADJUNCT_SERUM     = 1 << 0,
  STRIAE_ADJUNCT_PRP       = 1 << 1,
  STRIAE_ADJUNCT_TRETINOIN = 1 << 2,
} StriaeAdjunct;

#define STRIAE_ADJUNCT_ALL (STRIAE_ADJUNCT_SERUM | STRIAE_ADJUNCT_PRP | STRIAE_ADJUNCT_TRETINOIN)

/* The fields of the plan page, so that a form can show an error next to the right one. */
typedef enum
{
  STRIAE_PLAN_FIELD_DEVICE,
  STRIAE_PLAN_FIELD_DEPTH,
  STRIAE_PLAN_FIELD_SESSIONS,
  STRIAE_PLAN_FIELD_INTERVAL,
  STRIAE_PLAN_FIELD_FIRST_SESSION,
  STRIAE_PLAN_FIELD_MAINTENANCE,
  STRIAE_PLAN_FIELD_NUMBING_CREAM,
} StriaePlanField;

#define STRIAE_PLAN_N_FIELDS (STRIAE_PLAN_FIELD_NUMBING_CREAM + 1)

const char *striae_device_get_label  (StriaeDevice  device);
const char *striae_adjunct_get_label (StriaeAdjunct adjunct);

#define STRIAE_TYPE_PLAN (striae_plan_get_type ())

G_DECLARE_FINAL_TYPE (StriaePlan, striae_plan, STRIAE, PLAN, GObject)

StriaePlan   *striae_plan_new                             (void);
void          striae_plan_copy_into                       (StriaePlan    *self,
                                                           StriaePlan    *dest);

StriaeDevice  striae_plan_get_device                      (StriaePlan    *self);
void          striae_plan_set_device                      (StriaePlan    *self,
                                                           StriaeDevice   device);
guint         striae_plan_get_recommended_sessions        (StriaePlan    *self);
void          striae_plan_set_recommended_sessions        (StriaePlan    *self,
                                                           guint          sessions);
guint         striae_plan_get_sessions                    (StriaePlan    *self);
void          striae_plan_set_sessions                    (StriaePlan    *self,
                                                           guint          sessions);
const char   *striae_plan_get_sessions_reason             (StriaePlan    *self);
void          striae_plan_set_sessions_reason             (StriaePlan    *self,
                                                           const char    *reason);
guint         striae_plan_get_recommended_interval_weeks  (StriaePlan    *self);
void          striae_plan_set_recommended_interval_weeks  (StriaePlan    *self,
                                                           guint          weeks);
guint         striae_plan_get_interval_weeks              (StriaePlan    *self);
void          striae_plan_set_interval_weeks              (StriaePlan    *self,
                                                           guint          weeks);
const char   *striae_plan_get_interval_reason             (StriaePlan    *self);
void          striae_plan_set_interval_reason             (StriaePlan    *self,
                                                           const char    *reason);
const GDate  *striae_plan_get_first_session               (StriaePlan    *self);
void          striae_plan_set_first_session               (StriaePlan    *self,
                                                           const GDate   *date);
guint         striae_plan_get_recommended_maintenance_months (StriaePlan *self);
void          striae_plan_set_recommended_maintenance_months (StriaePlan *self,
                                                              guint       months);
guint         striae_plan_get_maintenance_months          (StriaePlan    *self);
void          striae_plan_set_maintenance_months          (StriaePlan    *self,
                                                           guint          months);
const char   *striae_plan_get_maintenance_reason          (StriaePlan    *self);
void          striae_plan_set_maintenance_reason          (StriaePlan    *self,
                                                           const char    *reason);
gboolean      striae_plan_get_recommended_numbing_cream   (StriaePlan    *self);
void          striae_plan_set_recommended_numbing_cream   (StriaePlan    *self,
                                                           gboolean       numbing);
gboolean      striae_plan_get_numbing_cream               (StriaePlan    *self);
void          striae_plan_set_numbing_cream               (StriaePlan    *self,
                                                           gboolean       numbing);
const char   *striae_plan_get_numbing_cream_reason        (StriaePlan    *self);
void          striae_plan_set_numbing_cream_reason        (StriaePlan    *self,
                                                           const char    *reason);
StriaeAdjunct striae_plan_get_adjuncts                    (StriaePlan    *self);
void          striae_plan_set_adjuncts                    (StriaePlan    *self,
                                                           StriaeAdjunct  adjuncts);

gboolean      striae_plan_check_field                     (StriaePlan     *self,
                                                           StriaePlanField field,
                                                           GListModel     *areas,
                                                           GError        **error);
gboolean      striae_plan_validate                        (StriaePlan     *self,
                                                           GListModel     *areas,
                                                           StriaePlanField *bad_field,
                                                           GError        **error);
GArray       *striae_plan_compute_schedule                (StriaePlan     *self,
                                                           GError        **error);
gboolean      striae_plan_compute_maintenance_date        (StriaePlan     *self,
                                                           GDate          *date,
                                                           GError        **error);

G_END_DECLS
