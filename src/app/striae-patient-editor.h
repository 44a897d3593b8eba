/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "striae-patient.h"
#include "striae-store.h"

G_BEGIN_DECLS

#define STRIAE_TYPE_PATIENT_EDITOR (striae_patient_editor_get_type ())

G_DECLARE_FINAL_TYPE (StriaePatientEditor, striae_patient_editor, STRIAE, PATIENT_EDITOR, AdwWindow)

StriaePatientEditor *striae_patient_editor_new         (StriaeStore         *store,
                                                        StriaePatient       *patient);
StriaePatient       *striae_patient_editor_get_draft   (StriaePatientEditor *self);
gboolean             striae_patient_editor_is_valid    (StriaePatientEditor *self);

G_END_DECLS
