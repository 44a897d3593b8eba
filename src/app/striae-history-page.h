/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "striae-consultation.h"
#include "striae-screening.h"
#include "striae-wizard-answer.h"

G_BEGIN_DECLS

#define STRIAE_TYPE_HISTORY_PAGE (striae_history_page_get_type ())

/* The medical-history page of the wizard, built from the question table of striae-history.h,
 * with the live screening result and the acknowledgement of relative findings. */
G_DECLARE_FINAL_TYPE (StriaeHistoryPage, striae_history_page, STRIAE, HISTORY_PAGE, AdwBin)

void                striae_history_page_set_consultation (StriaeHistoryPage  *self,
                                                          StriaeConsultation *consultation);
void                striae_history_page_set_screening    (StriaeHistoryPage  *self,
                                                          StriaeScreening    *screening);
StriaeWizardAnswer *striae_history_page_get_answer       (StriaeHistoryPage  *self,
                                                          StriaeQuestion      question);
GtkEditable        *striae_history_page_get_detail       (StriaeHistoryPage  *self,
                                                          StriaeQuestion      question);
GtkEditable        *striae_history_page_get_isotretinoin_end   (StriaeHistoryPage *self);
GtkWidget          *striae_history_page_get_isotretinoin_error (StriaeHistoryPage *self);
GtkWidget          *striae_history_page_get_acknowledge  (StriaeHistoryPage  *self,
                                                          const char         *finding_id);
guint               striae_history_page_count_missing    (StriaeHistoryPage  *self);

G_END_DECLS
