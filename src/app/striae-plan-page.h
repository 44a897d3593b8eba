/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "striae-consultation.h"
#include "striae-recommendation.h"
#include "striae-screening.h"

G_BEGIN_DECLS

#define STRIAE_TYPE_PLAN_PAGE (striae_plan_page_get_type ())

/* The plan page of the wizard: recommendation beside the chosen values, a reason for every
 * change, the schedule, device, numbing cream, adjuncts and extra sheet instructions. */
G_DECLARE_FINAL_TYPE (StriaePlanPage, striae_plan_page, STRIAE, PLAN_PAGE, AdwBin)

void       striae_plan_page_set_consultation (StriaePlanPage       *self,
                                              StriaeConsultation   *consultation);
void       striae_plan_page_refresh          (StriaePlanPage       *self,
                                              StriaeScreening      *screening,
                                              StriaeRecommendation *recommendation);
GtkWidget *striae_plan_page_get_field        (StriaePlanPage       *self,
                                              const char           *field);
GtkWidget *striae_plan_page_get_depth        (StriaePlanPage       *self,
                                              guint                 area,
                                              gboolean              reason);
GtkWidget *striae_plan_page_get_sheet_item   (StriaePlanPage       *self,
                                              const char           *sheet_name,
                                              const char           *id);
gboolean   striae_plan_page_is_blocked       (StriaePlanPage       *self);

G_END_DECLS
