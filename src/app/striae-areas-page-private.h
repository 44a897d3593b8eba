/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "striae-areas-page.h"

G_BEGIN_DECLS

/* For the tests and the screenshots: the page's rows and fields. */
GtkWidget *striae_areas_page_get_area_row (StriaeAreasPage *self,
                                           guint            position);
GtkWidget *striae_areas_page_get_field    (StriaeAreasPage *self,
                                           guint            position,
                                           const char      *field);
const char *striae_areas_page_get_duplicate_warning (StriaeAreasPage *self);

G_END_DECLS
