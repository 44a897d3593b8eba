/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "striae-wizard-page.h"

G_BEGIN_DECLS

#define STRIAE_TYPE_SUMMARY_PAGE (striae_summary_page_get_type ())

/* The last page of the wizard: the whole consultation of its "session", and its sign-off. */
G_DECLARE_FINAL_TYPE (StriaeSummaryPage, striae_summary_page, STRIAE, SUMMARY_PAGE,
                      StriaeWizardPage)

void         striae_summary_page_refresh          (StriaeSummaryPage *self,
                                                   const char        *problem);
GtkEditable *striae_summary_page_get_practitioner (StriaeSummaryPage *self);
void         striae_summary_page_focus_next_step  (StriaeSummaryPage *self);

G_END_DECLS
