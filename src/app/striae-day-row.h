/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "striae-day-item.h"

G_BEGIN_DECLS

#define STRIAE_TYPE_DAY_ROW (striae_day_row_get_type ())

G_DECLARE_FINAL_TYPE (StriaeDayRow, striae_day_row, STRIAE, DAY_ROW, AdwBin)

GtkWidget     *striae_day_row_new      (void);
StriaeDayItem *striae_day_row_get_item (StriaeDayRow  *self);
void           striae_day_row_set_item (StriaeDayRow  *self,
                                        StriaeDayItem *item);

G_END_DECLS
