/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define STRIAE_TYPE_DATE_ROW (striae_date_row_get_type ())

/* An entry row for a date: typed as striae_parse_date() reads it (year-month-day or the
 * locale's usual form), or picked from a GtkCalendar in a popover behind the row's calendar
 * button, which writes the day in the locale's form. The text stays the row's text
 * ("changed" as in any AdwEntryRow); the page decides what to store. */
G_DECLARE_FINAL_TYPE (StriaeDateRow, striae_date_row, STRIAE, DATE_ROW, AdwEntryRow)

GtkWidget      *striae_date_row_new          (void);
GtkMenuButton  *striae_date_row_get_button   (StriaeDateRow *self);
GtkCalendar    *striae_date_row_get_calendar (StriaeDateRow *self);

G_END_DECLS
