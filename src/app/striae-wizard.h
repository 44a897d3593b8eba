/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "striae-areas-page.h"
#include "striae-consultation.h"
#include "striae-history-page.h"
#include "striae-patient.h"
#include "striae-plan-page.h"
#include "striae-rules.h"
#include "striae-skin-page.h"
#include "striae-summary-page.h"
#include "striae-wizard-records.h"

G_BEGIN_DECLS

/* Patient · Medical history · Skin · Stretch marks · Plan · Summary */
#define STRIAE_WIZARD_N_PAGES 6

#define STRIAE_TYPE_WIZARD (striae_wizard_get_type ())

/* The consultation wizard: Patient · Medical history · Skin · Stretch marks · Plan ·
 * Summary. Emits "closed" when the user leaves it, after the draft was saved. */
G_DECLARE_FINAL_TYPE (StriaeWizard, striae_wizard, STRIAE, WIZARD, AdwBin)

GtkWidget          *striae_wizard_new              (void);
void                striae_wizard_set_records      (StriaeWizard        *self,
                                                    StriaeWizardRecords *records);
void                striae_wizard_set_rules        (StriaeWizard        *self,
                                                    StriaeRules         *rules);
void                striae_wizard_open             (StriaeWizard        *self,
                                                    StriaePatient       *patient,
                                                    StriaeConsultation  *consultation,
                                                    const char          *page);
StriaeConsultation *striae_wizard_get_consultation (StriaeWizard        *self);
StriaePatient      *striae_wizard_get_patient      (StriaeWizard        *self);
const char         *striae_wizard_get_page         (StriaeWizard        *self);
void                striae_wizard_set_page         (StriaeWizard        *self,
                                                    const char          *page);
gboolean            striae_wizard_save_now         (StriaeWizard        *self,
                                                    GError             **error);

int                 striae_wizard_page_get_position (const char       *page);
const char         *striae_wizard_page_get_title   (const char          *page);

G_END_DECLS
