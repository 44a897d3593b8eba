/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void striae_accessible_name_drop_down (GtkDropDown *drop_down,
                                       const char  *name);
void striae_accessible_name_buttons   (GtkWidget   *root);
void striae_accessible_name_menu_button (GtkMenuButton *menu_button,
                                         const char    *name);
void striae_accessible_name_password_peek (GtkWidget   *row);
void striae_accessible_name_list_item (GtkWidget   *row,
                                       const char  *label,
                                       const char  *description);

G_END_DECLS
