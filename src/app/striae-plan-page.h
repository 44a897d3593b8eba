/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "striae-wizard-page.h"

G_BEGIN_DECLS

#define STRIAE_TYPE_PLAN_PAGE (striae_plan_page_get_type ())

/* The plan page of the wizard: recommendation beside the chosen values, a reason for every
 * change, the schedule, device, numbing cream, adjuncts and extra sheet instructions, for the
 * consultation of its "session". */
G_DECLARE_FINAL_TYPE (StriaePlanPage, striae_plan_page, STRIAE, PLAN_PAGE,
                      StriaeWizardPage)

gboolean striae_plan_page_focus_field (StriaePlanPage *self,
                                       const char     *field);

G_END_DECLS
