/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "striae-consultation.h"
#include "striae-wizard-answer.h"

G_BEGIN_DECLS

#define STRIAE_TYPE_SKIN_PAGE (striae_skin_page_get_type ())

/* The skin page of the wizard: Fitzpatrick type and the yes/no skin facts. */
G_DECLARE_FINAL_TYPE (StriaeSkinPage, striae_skin_page, STRIAE, SKIN_PAGE, AdwBin)

void                striae_skin_page_set_consultation (StriaeSkinPage     *self,
                                                       StriaeConsultation *consultation);
GtkCheckButton     *striae_skin_page_get_fitzpatrick  (StriaeSkinPage     *self,
                                                       guint               type);
StriaeWizardAnswer *striae_skin_page_get_fact         (StriaeSkinPage     *self,
                                                       StriaeSkinFact      fact);
guint               striae_skin_page_count_missing    (StriaeSkinPage     *self);

G_END_DECLS
