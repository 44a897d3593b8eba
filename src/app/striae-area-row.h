/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "striae-area.h"

G_BEGIN_DECLS

#define STRIAE_TYPE_AREA_ROW (striae_area_row_get_type ())

/* One area of the Stretch marks page: an expander row whose fields are bound to the
 * properties of its "area". Its title names the area as recorded ("Left thigh"); its subtitle
 * says what is missing, or the page's warning about a repeated area. The remove button
 * activates "areas.remove" with the area's id. */
G_DECLARE_FINAL_TYPE (StriaeAreaRow, striae_area_row, STRIAE, AREA_ROW, AdwExpanderRow)

GtkWidget  *striae_area_row_new         (StriaeArea    *area);
StriaeArea *striae_area_row_get_area    (StriaeAreaRow *self);
void        striae_area_row_set_warning (StriaeAreaRow *self,
                                         const char    *warning);

/* For the tests and the screenshots. @field: "site", "side", "type", "cause", "severity",
 * "scale" (combo rows), "age", "extent", "score" (spin buttons), "notes" (entry row) or
 * "remove" (button). */
GtkWidget  *striae_area_row_get_field   (StriaeAreaRow *self,
                                         const char    *field);

G_END_DECLS
