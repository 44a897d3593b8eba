/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "striae-consultation.h"
#include "striae-patient.h"
#include "striae-recommendation.h"
#include "striae-rules.h"
#include "striae-screening.h"
#include "striae-sheet-composer.h"
#include "striae-wizard-records.h"

G_BEGIN_DECLS

/* A pause in typing longer than this saves the draft; the issue allows losing 2 s at most. */
#define STRIAE_CONSULTATION_SESSION_SAVE_DELAY_MS 1000

#define STRIAE_TYPE_CONSULTATION_SESSION (striae_consultation_session_get_type ())

/* One consultation being worked on: the patient, the consultation, the clinic's rules and the
 * records it is saved in. It recomputes the screening and the recommendation after every
 * change of the consultation, writes the recommendation into the plan, tells how complete
 * each page is, and saves the draft a moment after the last change (and at once when it is
 * closed). It knows no widget: the wizard's pages read it through its properties. */
G_DECLARE_FINAL_TYPE (StriaeConsultationSession, striae_consultation_session,
                      STRIAE, CONSULTATION_SESSION, GObject)

StriaeConsultationSession *striae_consultation_session_new (void);

void                  striae_consultation_session_set_records
                                          (StriaeConsultationSession  *self,
                                           StriaeWizardRecords        *records);
StriaeWizardRecords  *striae_consultation_session_get_records
                                          (StriaeConsultationSession  *self);
void                  striae_consultation_session_set_rules
                                          (StriaeConsultationSession  *self,
                                           StriaeRules                *rules);
StriaeRules          *striae_consultation_session_get_rules
                                          (StriaeConsultationSession  *self);
void                  striae_consultation_session_open
                                          (StriaeConsultationSession  *self,
                                           StriaePatient              *patient,
                                           StriaeConsultation         *consultation);
void                  striae_consultation_session_close
                                          (StriaeConsultationSession  *self);
StriaePatient        *striae_consultation_session_get_patient
                                          (StriaeConsultationSession  *self);
StriaeConsultation   *striae_consultation_session_get_consultation
                                          (StriaeConsultationSession  *self);
const char           *striae_consultation_session_get_patient_title
                                          (StriaeConsultationSession  *self);
StriaeScreening      *striae_consultation_session_get_screening
                                          (StriaeConsultationSession  *self);
StriaeRecommendation *striae_consultation_session_get_recommendation
                                          (StriaeConsultationSession  *self);
const char * const   *striae_consultation_session_get_facts
                                          (StriaeConsultationSession  *self);
gboolean              striae_consultation_session_get_signed
                                          (StriaeConsultationSession  *self);
gboolean              striae_consultation_session_get_read_only
                                          (StriaeConsultationSession  *self);
GDateTime            *striae_consultation_session_dup_signed_at
                                          (StriaeConsultationSession  *self);
const char           *striae_consultation_session_get_problem
                                          (StriaeConsultationSession  *self);
guint                 striae_consultation_session_get_history_missing
                                          (StriaeConsultationSession  *self);
guint                 striae_consultation_session_get_skin_missing
                                          (StriaeConsultationSession  *self);
guint                 striae_consultation_session_get_areas_missing
                                          (StriaeConsultationSession  *self);
gboolean              striae_consultation_session_is_page_complete
                                          (StriaeConsultationSession  *self,
                                           const char                 *page);
const char           *striae_consultation_session_get_page
                                          (StriaeConsultationSession  *self);
void                  striae_consultation_session_set_page
                                          (StriaeConsultationSession  *self,
                                           const char                 *page);
char                 *striae_consultation_session_dup_resume_page
                                          (StriaeConsultationSession  *self);
gboolean              striae_consultation_session_is_saving
                                          (StriaeConsultationSession  *self);
void                  striae_consultation_session_save_draft
                                          (StriaeConsultationSession  *self);
const char           *striae_consultation_session_get_conflict
                                          (StriaeConsultationSession  *self);
const char           *striae_consultation_session_get_save_error
                                          (StriaeConsultationSession  *self);
gboolean              striae_consultation_session_reload
                                          (StriaeConsultationSession  *self,
                                           GError                    **error);
gboolean              striae_consultation_session_keep_as_new_draft
                                          (StriaeConsultationSession  *self,
                                           GError                    **error);
gboolean              striae_consultation_session_save_now
                                          (StriaeConsultationSession  *self,
                                           GError                    **error);
StriaeClinicSettings *striae_consultation_session_dup_clinic
                                          (StriaeConsultationSession  *self);
gboolean              striae_consultation_session_sign
                                          (StriaeConsultationSession  *self,
                                           const char                 *practitioner,
                                           const char                 *not_treated_reason,
                                           const GDate                *see_again,
                                           GError                    **error);

G_END_DECLS
