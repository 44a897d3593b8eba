/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define STRIAE_TYPE_CHOICE_ROW (striae_choice_row_get_type ())

/* A row with a check in front, one of several choices of a boxed list (their checks in one
 * group). The choices of a list are one stop for Tab, as a group of radio buttons is: Tab
 * comes to the check chosen, or to the first while none is, and leaves the choices from
 * there; Up and Left choose the choice before, Down and Right the one after, and the focus
 * goes with the choice. */
G_DECLARE_FINAL_TYPE (StriaeChoiceRow, striae_choice_row, STRIAE, CHOICE_ROW, AdwActionRow)

GtkWidget      *striae_choice_row_new       (const char      *title);
GtkCheckButton *striae_choice_row_get_check (StriaeChoiceRow *self);

G_END_DECLS
