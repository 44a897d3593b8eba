/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "striae-message-row.h"

struct _StriaeMessageRow
{
  AdwPreferencesRow parent_instance;
};

G_DEFINE_FINAL_TYPE (StriaeMessageRow, striae_message_row, ADW_TYPE_PREFERENCES_ROW)

static GtkWidget *
beyond (GtkWidget *row,
        gboolean   forward)
{
  return forward ? gtk_widget_get_next_sibling (row) : gtk_widget_get_prev_sibling (row);
}

/* The list asks this row to take the focus: it hands it on to the first row beyond that
 * takes it, in the direction of travel. */
static gboolean
striae_message_row_focus (GtkWidget        *widget,
                          GtkDirectionType  direction)
{
  gboolean forward;

  if (direction != GTK_DIR_TAB_FORWARD && direction != GTK_DIR_TAB_BACKWARD &&
      direction != GTK_DIR_DOWN && direction != GTK_DIR_UP)
    return FALSE;

  forward = direction == GTK_DIR_TAB_FORWARD || direction == GTK_DIR_DOWN;
  for (GtkWidget *row = beyond (widget, forward); row != NULL; row = beyond (row, forward))
    if (GTK_IS_LIST_BOX_ROW (row) && gtk_widget_get_visible (row) &&
        gtk_widget_is_sensitive (row) && gtk_widget_child_focus (row, direction))
      return TRUE;

  return FALSE;
}

static void
striae_message_row_class_init (StriaeMessageRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->focus = striae_message_row_focus;
}

static void
striae_message_row_init (StriaeMessageRow *self)
{
  gtk_widget_set_focusable (GTK_WIDGET (self), FALSE);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self), FALSE);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (self), FALSE);
}
