/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "striae-wizard-page.h"

G_BEGIN_DECLS

#define STRIAE_TYPE_HISTORY_PAGE (striae_history_page_get_type ())

/* The medical-history page of the wizard, built from the question table of striae-history.h,
 * with the live screening result and the acknowledgement of relative findings. It shows the
 * consultation of its "session" and answers into it. */
G_DECLARE_FINAL_TYPE (StriaeHistoryPage, striae_history_page, STRIAE, HISTORY_PAGE,
                      StriaeWizardPage)

G_END_DECLS
