/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

gboolean striae_first_frame_requested (void);
void     striae_first_frame_watch     (GtkWindow  *window);
void     striae_first_frame_mark      (const char *what);

G_END_DECLS
