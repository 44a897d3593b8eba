/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "striae-accessible.h"

/**
 * striae_accessible_name_drop_down:
 * @drop_down: a drop-down
 * @name: the accessible name, the same as the drop-down's own
 *
 * GTK 4.8's GtkDropDown draws its value on a toggle button that has no accessible name, so a
 * screen reader meets a nameless button inside the named drop-down. This names that button.
 */
void
striae_accessible_name_drop_down (GtkDropDown *drop_down,
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

/**
 * striae_accessible_name_menu_button:
 * @menu_button: a menu button showing an icon
 * @name: the accessible name, the same as the menu button's own
 *
 * As for a drop-down, GTK 4.8's GtkMenuButton takes the focus on an inner toggle button
 * that has no accessible name: this names it.
 */
void
striae_accessible_name_menu_button (GtkMenuButton *menu_button,
                                    const char    *name)
{
  GtkWidget *child;

  g_return_if_fail (GTK_IS_MENU_BUTTON (menu_button));
  g_return_if_fail (name != NULL);

  for (child = gtk_widget_get_first_child (GTK_WIDGET (menu_button));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_TOGGLE_BUTTON (child))
        gtk_accessible_update_property (GTK_ACCESSIBLE (child),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                        -1);
    }
}

/* The label as shown: "_Next" is "Next", "Fish __and Chips" is "Fish _and Chips". */
static char *
strip_mnemonic (const char *label)
{
  GString *shown = g_string_new (NULL);

  for (const char *p = label; *p != '\0'; p++)
    {
      if (*p == '_')
        {
          if (p[1] != '_')
            continue;
          p++;
        }
      g_string_append_c (shown, *p);
    }
  return g_string_free (shown, FALSE);
}

/**
 * striae_accessible_name_buttons:
 * @root: a widget
 *
 * GTK 4.8 names a button with a mnemonic by its raw label and then its shown text, so a
 * screen reader says "underscore Next Next". This names @root and every button under it
 * whose label has a mnemonic by the label as shown. Call it once the widgets exist, before
 * any is given an explicit accessible name of its own.
 */
void
striae_accessible_name_buttons (GtkWidget *root)
{
  GtkWidget *child;

  g_return_if_fail (GTK_IS_WIDGET (root));

  if (GTK_IS_BUTTON (root) && gtk_button_get_use_underline (GTK_BUTTON (root)) &&
      gtk_button_get_label (GTK_BUTTON (root)) != NULL)
    {
      g_autofree char *shown = strip_mnemonic (gtk_button_get_label (GTK_BUTTON (root)));

      gtk_accessible_update_property (GTK_ACCESSIBLE (root),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, shown,
                                      -1);
    }

  for (child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    striae_accessible_name_buttons (child);
}

/**
 * striae_accessible_name_password_peek:
 * @row: a password entry row
 *
 * libadwaita 1.2's password row shows and hides the password with a button that has no
 * accessible name (read as "GtkImage"): this names it.
 */
void
striae_accessible_name_password_peek (GtkWidget *row)
{
  g_return_if_fail (GTK_IS_WIDGET (row));

  for (GtkWidget *child = gtk_widget_get_first_child (row); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_BUTTON (child) && gtk_button_get_label (GTK_BUTTON (child)) == NULL)
        gtk_accessible_update_property (GTK_ACCESSIBLE (child),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        _("Show or Hide the Password"), -1);
      striae_accessible_name_password_peek (child);
    }
}

/**
 * striae_accessible_name_list_item:
 * @row: the row or tile of a list or grid view (or the widget alone, outside one)
 * @label: (nullable): what a screen reader says for it, %NULL for nothing
 * @description: (nullable): what it adds after a pause, %NULL for nothing
 *
 * In a GtkListView or GtkGridView the focusable item is the row's parent, which GTK 4.8
 * names after its type ("GtkListItemWidget") and gives no other name. This names that item;
 * a widget not in a list is named itself.
 */
void
striae_accessible_name_list_item (GtkWidget  *row,
                                  const char *label,
                                  const char *description)
{
  GtkWidget *target = gtk_widget_get_parent (row);

  if (target == NULL)
    target = row;
  if (label != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (target), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    label, -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (target), GTK_ACCESSIBLE_PROPERTY_LABEL);
  if (description != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (target),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description, -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (target),
                                   GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}
