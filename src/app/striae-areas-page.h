/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "striae-wizard-page.h"

G_BEGIN_DECLS

#define STRIAE_TYPE_AREAS_PAGE (striae_areas_page_get_type ())

/* The stretch-marks page of the wizard: one expandable row per treated area of the
 * consultation of its "session". */
G_DECLARE_FINAL_TYPE (StriaeAreasPage, striae_areas_page, STRIAE, AREAS_PAGE,
                      StriaeWizardPage)

G_END_DECLS
