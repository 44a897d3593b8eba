/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "striae-consultation.h"

G_BEGIN_DECLS

#define STRIAE_TYPE_CONSULTATION_ROW (striae_consultation_row_get_type ())

/* A row of the patient page's lists (consultations, revisions) that knows the consultation
 * (or revision) it stands for, so that activating it opens that one. */
G_DECLARE_FINAL_TYPE (StriaeConsultationRow, striae_consultation_row, STRIAE, CONSULTATION_ROW,
                      AdwActionRow)

GtkWidget          *striae_consultation_row_new              (StriaeConsultation    *consultation);
StriaeConsultation *striae_consultation_row_get_consultation (StriaeConsultationRow *self);

G_END_DECLS
