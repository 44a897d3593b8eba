/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "striae-patient.h"

G_BEGIN_DECLS

#define STRIAE_TYPE_PATIENT_ROW (striae_patient_row_get_type ())

G_DECLARE_FINAL_TYPE (StriaePatientRow, striae_patient_row, STRIAE, PATIENT_ROW, AdwBin)

GtkWidget     *striae_patient_row_new         (void);
StriaePatient *striae_patient_row_get_patient (StriaePatientRow *self);
void           striae_patient_row_set_patient (StriaePatientRow *self,
                                               StriaePatient    *patient);
gboolean       striae_patient_row_get_has_draft (StriaePatientRow *self);
void           striae_patient_row_set_has_draft (StriaePatientRow *self,
                                                 gboolean          has_draft);

/* Shared with the patient page: "1985-04-23 · 41 years", or the stored text alone when it
 * is not a date. */
char          *striae_patient_dup_birth_summary (StriaePatient  *patient);

G_END_DECLS
