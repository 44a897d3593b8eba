/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "striae-history-page.h"
#include "striae-wizard-answer.h"

G_BEGIN_DECLS

/* For the tests and the screenshots: the page's fields. */
StriaeWizardAnswer *striae_history_page_get_answer             (StriaeHistoryPage *self,
                                                                StriaeQuestion     question);
GtkEditable        *striae_history_page_get_detail             (StriaeHistoryPage *self,
                                                                StriaeQuestion     question);
GtkEditable        *striae_history_page_get_isotretinoin_end   (StriaeHistoryPage *self);
GtkWidget          *striae_history_page_get_isotretinoin_error (StriaeHistoryPage *self);
GtkWidget          *striae_history_page_get_acknowledge        (StriaeHistoryPage *self,
                                                                const char        *finding_id);
GtkWidget          *striae_history_page_get_missing            (StriaeHistoryPage *self,
                                                                StriaeQuestion     question);
GtkWidget          *striae_history_page_get_missing_group      (StriaeHistoryPage *self);
AdwExpanderRow     *striae_history_page_get_missing_row        (StriaeHistoryPage *self);
GtkWidget          *striae_history_page_get_findings           (StriaeHistoryPage *self);

G_END_DECLS
