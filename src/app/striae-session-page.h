/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "striae-consultation.h"
#include "striae-patient.h"
#include "striae-store.h"
#include "striae-treatment-session.h"
#include "striae-wizard-answer.h"

G_BEGIN_DECLS

#define STRIAE_TYPE_SESSION_PAGE (striae_session_page_get_type ())

/* The record of one treatment session (issue 17): the check before the session, then what
 * was done, saved as a draft as the practitioner types, signed, and amended as a revision.
 * Emits "closed" when the user leaves it; what was typed is saved first. */
G_DECLARE_FINAL_TYPE (StriaeSessionPage, striae_session_page, STRIAE, SESSION_PAGE, AdwBin)

GtkWidget              *striae_session_page_new          (void);
void                    striae_session_page_set_store    (StriaeSessionPage       *self,
                                                          StriaeStore             *store);
gboolean                striae_session_page_open         (StriaeSessionPage       *self,
                                                          StriaePatient           *patient,
                                                          StriaeConsultation      *consultation,
                                                          gint64                   session_id,
                                                          GError                 **error);
StriaeTreatmentSession *striae_session_page_get_session  (StriaeSessionPage       *self);
gboolean                striae_session_page_get_read_only (StriaeSessionPage      *self);
gboolean                striae_session_page_save_now     (StriaeSessionPage       *self,
                                                          GError                 **error);
gboolean                striae_session_page_finish_check (StriaeSessionPage       *self,
                                                          GError                 **error);
gboolean                striae_session_page_sign         (StriaeSessionPage       *self,
                                                          GError                 **error);
gboolean                striae_session_page_amend        (StriaeSessionPage       *self,
                                                          const char              *reason,
                                                          GError                 **error);
StriaeWizardAnswer     *striae_session_page_get_answer   (StriaeSessionPage       *self,
                                                          StriaeCheckItem          item);

G_END_DECLS
