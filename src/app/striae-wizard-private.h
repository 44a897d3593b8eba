/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "striae-consultation-session.h"
#include "striae-areas-page-private.h"
#include "striae-history-page-private.h"
#include "striae-plan-page-private.h"
#include "striae-skin-page-private.h"
#include "striae-wizard.h"

G_BEGIN_DECLS

/* For the tests: what the wizard shows, and the session it shows. */
StriaeConsultationSession *striae_wizard_get_session         (StriaeWizard *self);
gboolean                   striae_wizard_is_page_complete    (StriaeWizard *self,
                                                              const char   *page);
gboolean                   striae_wizard_is_saving           (StriaeWizard *self);
GtkWidget                 *striae_wizard_get_page_widget     (StriaeWizard *self,
                                                              const char   *page);
GtkWidget                 *striae_wizard_get_step_button     (StriaeWizard *self,
                                                              const char   *page);
GtkLabel                  *striae_wizard_get_patient_label   (StriaeWizard *self);
GtkLabel                  *striae_wizard_get_screening_label (StriaeWizard *self);

G_END_DECLS
