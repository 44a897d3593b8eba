/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "striae-adverse-event.h"
#include "striae-consultation.h"
#include "striae-session-area.h"
#include "striae-session-check.h"
#include "striae-session-product.h"

G_BEGIN_DECLS

/* 1: the first format of a session record. */
#define STRIAE_TREATMENT_SESSION_FORMAT 1
#define STRIAE_TREATMENT_SESSION_TEXT_MAX 2000
/* [course] a course is 3 to 6 sessions; a plan holds at most STRIAE_PLAN_SESSIONS_MAX, and
 * maintenance sessions, one every 4 to 6 months, are counted on from 1. */
#define STRIAE_TREATMENT_SESSION_NUMBER_MAX 100
/* The bounds of the lists of one session record. */
#define STRIAE_TREATMENT_SESSION_AREAS_MAX    STRIAE_CONSULTATION_AREAS_MAX
#define STRIAE_TREATMENT_SESSION_PRODUCTS_MAX 50
#define STRIAE_TREATMENT_SESSION_EVENTS_MAX   50
/* The patient's tolerance, a 0-10 pain score; -1 while not recorded. */
#define STRIAE_TOLERANCE_MAX 10
/* A time of day, in minutes after midnight; -1 while not recorded. */
#define STRIAE_MINUTES_MAX (24 * 60 - 1)

/* [consent] a signed session record is locked like a consultation; a correction is a new
 * revision, signed again. */
typedef enum
{
  STRIAE_TREATMENT_SESSION_STATUS_DRAFT,
  STRIAE_TREATMENT_SESSION_STATUS_SIGNED,
} StriaeTreatmentSessionStatus;

#define STRIAE_TYPE_TREATMENT_SESSION (striae_treatment_session_get_type ())

G_DECLARE_FINAL_TYPE (StriaeTreatmentSession, striae_treatment_session, STRIAE,
                      TREATMENT_SESSION, GObject)

/* The record of one treatment session of a signed plan (issue 17): the consultation revision
 * whose plan it follows, its place in the course (number of course-length, or a maintenance
 * session), when, who, what was done to each area, numbing cream, products and their batches,
 * tolerance, the immediate reaction, adverse events, notes and the check before the session.
 * Every field is a property with notify, so that a page can bind to it; the lists are
 * GListModels of StriaeSessionArea, StriaeSessionProduct and StriaeAdverseEvent. Setters keep
 * what they are given; striae_treatment_session_validate() says what is wrong. */
StriaeTreatmentSession *striae_treatment_session_new           (void);
StriaeTreatmentSession *striae_treatment_session_new_for       (StriaeConsultation *consultation);
StriaeTreatmentSession *striae_treatment_session_new_from_json (const char             *json,
                                                                GError                **error);
char                   *striae_treatment_session_to_json       (StriaeTreatmentSession *self);
StriaeTreatmentSession *striae_treatment_session_copy          (StriaeTreatmentSession *self);
StriaeTreatmentSession *striae_treatment_session_new_revision  (StriaeTreatmentSession *self);

gint64        striae_treatment_session_get_id                    (StriaeTreatmentSession *self);
void          striae_treatment_session_set_id                    (StriaeTreatmentSession *self,
                                                                  gint64                  id);
guint         striae_treatment_session_get_revision              (StriaeTreatmentSession *self);
void          striae_treatment_session_set_revision              (StriaeTreatmentSession *self,
                                                                  guint                   revision);
StriaeTreatmentSessionStatus
              striae_treatment_session_get_status                (StriaeTreatmentSession *self);
void          striae_treatment_session_set_status
                                          (StriaeTreatmentSession       *self,
                                           StriaeTreatmentSessionStatus  status);
gint64        striae_treatment_session_get_patient_id            (StriaeTreatmentSession *self);
void          striae_treatment_session_set_patient_id            (StriaeTreatmentSession *self,
                                                                  gint64                  id);
gint64        striae_treatment_session_get_consultation_id       (StriaeTreatmentSession *self);
void          striae_treatment_session_set_consultation_id       (StriaeTreatmentSession *self,
                                                                  gint64                  id);
guint         striae_treatment_session_get_consultation_revision (StriaeTreatmentSession *self);
void          striae_treatment_session_set_consultation_revision (StriaeTreatmentSession *self,
                                                                  guint                   revision);
guint         striae_treatment_session_get_number                (StriaeTreatmentSession *self);
void          striae_treatment_session_set_number                (StriaeTreatmentSession *self,
                                                                  guint                   number);
guint         striae_treatment_session_get_course_length         (StriaeTreatmentSession *self);
void          striae_treatment_session_set_course_length         (StriaeTreatmentSession *self,
                                                                  guint                   length);
gboolean      striae_treatment_session_get_maintenance           (StriaeTreatmentSession *self);
void          striae_treatment_session_set_maintenance           (StriaeTreatmentSession *self,
                                                                  gboolean                yes);
const GDate  *striae_treatment_session_get_date                  (StriaeTreatmentSession *self);
void          striae_treatment_session_set_date                  (StriaeTreatmentSession *self,
                                                                  const GDate            *date);
int           striae_treatment_session_get_time                  (StriaeTreatmentSession *self);
void          striae_treatment_session_set_time                  (StriaeTreatmentSession *self,
                                                                  int                     minutes);
const char   *striae_treatment_session_get_practitioner          (StriaeTreatmentSession *self);
void          striae_treatment_session_set_practitioner          (StriaeTreatmentSession *self,
                                                                  const char             *name);
gboolean      striae_treatment_session_get_numbing_cream         (StriaeTreatmentSession *self);
void          striae_treatment_session_set_numbing_cream         (StriaeTreatmentSession *self,
                                                                  gboolean                used);
int           striae_treatment_session_get_numbing_cream_time    (StriaeTreatmentSession *self);
void          striae_treatment_session_set_numbing_cream_time    (StriaeTreatmentSession *self,
                                                                  int                     minutes);
int           striae_treatment_session_get_tolerance             (StriaeTreatmentSession *self);
void          striae_treatment_session_set_tolerance             (StriaeTreatmentSession *self,
                                                                  int                     score);
const char   *striae_treatment_session_get_reaction              (StriaeTreatmentSession *self);
void          striae_treatment_session_set_reaction              (StriaeTreatmentSession *self,
                                                                  const char             *reaction);
const char   *striae_treatment_session_get_notes                 (StriaeTreatmentSession *self);
void          striae_treatment_session_set_notes                 (StriaeTreatmentSession *self,
                                                                  const char             *notes);
const char   *striae_treatment_session_get_amendment_reason      (StriaeTreatmentSession *self);
void          striae_treatment_session_set_amendment_reason      (StriaeTreatmentSession *self,
                                                                  const char             *reason);

StriaeSessionCheck *striae_treatment_session_get_check    (StriaeTreatmentSession *self);
GListModel         *striae_treatment_session_get_areas    (StriaeTreatmentSession *self);
GListModel         *striae_treatment_session_get_products (StriaeTreatmentSession *self);
GListModel         *striae_treatment_session_get_events   (StriaeTreatmentSession *self);
void                striae_treatment_session_add_area     (StriaeTreatmentSession *self,
                                                           StriaeSessionArea      *area);
void                striae_treatment_session_remove_area  (StriaeTreatmentSession *self,
                                                           guint                   position);
void                striae_treatment_session_add_product  (StriaeTreatmentSession *self,
                                                           StriaeSessionProduct   *product);
void                striae_treatment_session_remove_product (StriaeTreatmentSession *self,
                                                             guint                   position);
void                striae_treatment_session_add_event    (StriaeTreatmentSession *self,
                                                           StriaeAdverseEvent     *event);
void                striae_treatment_session_remove_event (StriaeTreatmentSession *self,
                                                           guint                   position);

gboolean      striae_treatment_session_validate          (StriaeTreatmentSession *self,
                                                          StriaeConsultation     *consultation,
                                                          GError                **error);
gboolean      striae_treatment_session_check_signable    (StriaeTreatmentSession *self,
                                                          const GDate            *today,
                                                          GError                **error);

char         *striae_format_minutes (int          minutes);
gboolean      striae_parse_minutes  (const char  *text,
                                     int         *minutes);

G_END_DECLS
