/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "striae-patient.h"
#include "striae-store.h"
#include "striae-wizard-records.h"

G_BEGIN_DECLS

#define STRIAE_TYPE_PATIENT_PAGE (striae_patient_page_get_type ())

G_DECLARE_FINAL_TYPE (StriaePatientPage, striae_patient_page, STRIAE, PATIENT_PAGE, AdwBin)

GtkWidget     *striae_patient_page_new         (void);
StriaeStore   *striae_patient_page_get_store   (StriaePatientPage *self);
void           striae_patient_page_set_store   (StriaePatientPage *self,
                                                StriaeStore       *store);
StriaePatient *striae_patient_page_get_patient (StriaePatientPage *self);
void           striae_patient_page_set_patient (StriaePatientPage *self,
                                                StriaePatient     *patient);
AdwPreferencesGroup *
               striae_patient_page_get_consultations_group (StriaePatientPage *self);

void           striae_patient_page_set_records (StriaePatientPage   *self,
                                                StriaeWizardRecords *records);
void           striae_patient_page_reload_consultations (StriaePatientPage *self);
void           striae_patient_page_show_unreadable (StriaePatientPage *self,
                                                    gint64             id,
                                                    const GError      *error);

G_END_DECLS
