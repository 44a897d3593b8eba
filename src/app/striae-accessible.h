/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void striae_accessible_name_drop_down (GtkDropDown *drop_down,
                                       const char  *name);
void striae_accessible_name_buttons   (GtkWidget   *root);

G_END_DECLS
