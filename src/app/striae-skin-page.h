/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "striae-wizard-page.h"

G_BEGIN_DECLS

#define STRIAE_TYPE_SKIN_PAGE (striae_skin_page_get_type ())

/* The skin page of the wizard: Fitzpatrick type and the yes/no skin facts of the
 * consultation of its "session". */
G_DECLARE_FINAL_TYPE (StriaeSkinPage, striae_skin_page, STRIAE, SKIN_PAGE,
                      StriaeWizardPage)

G_END_DECLS
