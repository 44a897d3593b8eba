/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "striae-skin-page.h"
#include "striae-wizard-answer.h"

G_BEGIN_DECLS

/* For the tests and the screenshots: the page's fields. */
GtkCheckButton     *striae_skin_page_get_fitzpatrick (StriaeSkinPage *self,
                                                      guint           type);
StriaeWizardAnswer *striae_skin_page_get_fact        (StriaeSkinPage *self,
                                                      StriaeSkinFact  fact);
GtkWidget          *striae_skin_page_get_acknowledge (StriaeSkinPage *self,
                                                      const char     *finding_id);

G_END_DECLS
