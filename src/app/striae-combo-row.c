/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "striae-combo-row.h"

/* @with_check: the list's items have a check, the row's value has none. */
static void
choice_setup_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 gpointer                  with_check)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), label);
  if (with_check != NULL)
    gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name ("object-select-symbolic"));
  gtk_list_item_set_child (item, box);
}

/* The check marks the choice made; hidden by its opacity, it keeps its room. */
static void
update_check (GtkListItem *item,
              AdwComboRow *row)
{
  GtkWidget *check = gtk_widget_get_last_child (gtk_list_item_get_child (item));

  if (GTK_IS_IMAGE (check))
    gtk_widget_set_opacity (check, adw_combo_row_get_selected (row) ==
                                   gtk_list_item_get_position (item) ? 1 : 0);
}

static void
selected_cb (AdwComboRow *row,
             GParamSpec  *pspec,
             GtkListItem *item)
{
  update_check (item, row);
}

static void
choice_bind_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                AdwComboRow              *row)
{
  GtkWidget *label = gtk_widget_get_first_child (gtk_list_item_get_child (item));
  g_autofree char *text = NULL;
  GtkExpression *expression = adw_combo_row_get_expression (row);

  if (expression != NULL)
    {
      g_auto(GValue) value = G_VALUE_INIT;

      if (gtk_expression_evaluate (expression, gtk_list_item_get_item (item), &value))
        text = g_value_dup_string (&value);
    }
  else if (GTK_IS_STRING_OBJECT (gtk_list_item_get_item (item)))
    text = g_strdup (gtk_string_object_get_string (gtk_list_item_get_item (item)));

  gtk_label_set_label (GTK_LABEL (label), text);
  g_signal_connect_object (row, "notify::selected", G_CALLBACK (selected_cb), item, 0);
  update_check (item, row);
}

static void
choice_unbind_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  AdwComboRow              *row)
{
  g_signal_handlers_disconnect_by_func (row, selected_cb, item);
}

static GtkListItemFactory *
choice_factory_new (AdwComboRow *row,
                    gboolean     with_check)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (choice_setup_cb),
                    with_check ? GINT_TO_POINTER (1) : NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (choice_bind_cb), row);
  g_signal_connect (factory, "unbind", G_CALLBACK (choice_unbind_cb), row);
  return factory;
}

/**
 * striae_combo_row_show_whole_choices:
 * @row: a combo row whose choices are strings (a GtkStringList, or its expression's)
 *
 * libadwaita 1.2 cuts each choice of a combo row at 20 characters, in its list and as the
 * row's value: "Striae rubrae (new, re…", "Radiofrequency micro…", so that choices differing
 * in their end could not be told apart. This shows each choice whole, wrapped if it is long:
 * in the list, with the check on the one chosen, and beside the row's title (a row that
 * shows its value as its subtitle, "use-subtitle", shows it whole already).
 */
void
striae_combo_row_show_whole_choices (AdwComboRow *row)
{
  g_autoptr(GtkListItemFactory) list_factory = NULL;
  g_autoptr(GtkListItemFactory) factory = NULL;

  g_return_if_fail (ADW_IS_COMBO_ROW (row));

  list_factory = choice_factory_new (row, TRUE);
  factory = choice_factory_new (row, FALSE);
  adw_combo_row_set_list_factory (row, list_factory);
  adw_combo_row_set_factory (row, factory);
}
