/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "striae-drop-down.h"

/**
 * striae_drop_down_name_button:
 * @drop_down: a drop-down
 * @name: the accessible name, the same as the drop-down's own
 *
 * GTK 4.8's GtkDropDown draws its value on a toggle button that has no accessible name, so a
 * screen reader meets a nameless button inside the named drop-down. This names that button.
 */
void
striae_drop_down_name_button (GtkDropDown *drop_down,
                              const char  *name)
{
  GtkWidget *child;

  g_return_if_fail (GTK_IS_DROP_DOWN (drop_down));
  g_return_if_fail (name != NULL);

  for (child = gtk_widget_get_first_child (GTK_WIDGET (drop_down));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_TOGGLE_BUTTON (child))
        gtk_accessible_update_property (GTK_ACCESSIBLE (child),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                        -1);
    }
}
