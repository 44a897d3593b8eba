/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define STRIAE_TYPE_MESSAGE_ROW (striae_message_row_get_type ())

/* A row of a boxed list that only shows something to read, such as the message under a field
 * that is wrong (its "child"). It is never a Tab stop: Tab and Shift+Tab go on to the row
 * beyond it in the same list. A plain row that takes no focus would end the list there
 * instead (GtkListBox leaves the list when the next row takes none), so that Tab from the
 * field above jumped out of the list. Screen readers still read it. */
G_DECLARE_FINAL_TYPE (StriaeMessageRow, striae_message_row, STRIAE, MESSAGE_ROW,
                      AdwPreferencesRow)

G_END_DECLS
