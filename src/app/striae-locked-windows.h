/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The application's other windows while it is locked (the patient editor, a sheet preview,
 * Preferences, dialogs): their content out of the widget tree until the unlock. */
typedef struct _StriaeLockedWindows StriaeLockedWindows;

StriaeLockedWindows *striae_locked_windows_hide    (void);
void                 striae_locked_windows_restore (StriaeLockedWindows *hidden);

G_END_DECLS
