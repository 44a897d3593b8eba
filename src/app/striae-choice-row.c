/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "striae-choice-row.h"

struct _StriaeChoiceRow
{
  AdwActionRow    parent_instance;

  GtkCheckButton *check;
};

G_DEFINE_FINAL_TYPE (StriaeChoiceRow, striae_choice_row, ADW_TYPE_ACTION_ROW)

/* The next choice of the list after @row (before it when @forward is FALSE), or %NULL. */
static StriaeChoiceRow *
beyond (GtkWidget *row,
        gboolean   forward)
{
  for (GtkWidget *w = forward ? gtk_widget_get_next_sibling (row)
                              : gtk_widget_get_prev_sibling (row);
       w != NULL;
       w = forward ? gtk_widget_get_next_sibling (w) : gtk_widget_get_prev_sibling (w))
    if (STRIAE_IS_CHOICE_ROW (w) && gtk_widget_get_visible (w))
      return STRIAE_CHOICE_ROW (w);
  return NULL;
}

/* The choice Tab comes to: the one chosen, else the first. */
static StriaeChoiceRow *
find_stop (StriaeChoiceRow *self)
{
  StriaeChoiceRow *first = self;

  for (StriaeChoiceRow *r = self; r != NULL; r = beyond (GTK_WIDGET (r), FALSE))
    first = r;
  for (StriaeChoiceRow *r = first; r != NULL; r = beyond (GTK_WIDGET (r), TRUE))
    if (gtk_check_button_get_active (r->check))
      return r;
  return first;
}

static gboolean
holds_focus (StriaeChoiceRow *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  if (focus == NULL)
    return FALSE;
  for (StriaeChoiceRow *r = self; r != NULL; r = beyond (GTK_WIDGET (r), FALSE))
    if (gtk_widget_is_ancestor (focus, GTK_WIDGET (r)))
      return TRUE;
  for (StriaeChoiceRow *r = beyond (GTK_WIDGET (self), TRUE); r != NULL;
       r = beyond (GTK_WIDGET (r), TRUE))
    if (gtk_widget_is_ancestor (focus, GTK_WIDGET (r)))
      return TRUE;
  return FALSE;
}

/* The list asks each row in turn to take the focus; from outside the choices, the stop takes
 * it, and from inside, none does, so that Tab leaves the list. */
static gboolean
striae_choice_row_focus (GtkWidget        *widget,
                         GtkDirectionType  direction)
{
  StriaeChoiceRow *self = STRIAE_CHOICE_ROW (widget);

  if (holds_focus (self) || !gtk_widget_is_sensitive (widget))
    return FALSE;
  return gtk_widget_grab_focus (GTK_WIDGET (find_stop (self)->check));
}

static gboolean
key_pressed_cb (StriaeChoiceRow *self,
                guint            keyval,
                guint            keycode,
                GdkModifierType  state)
{
  StriaeChoiceRow *next;
  gboolean forward;

  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SHIFT_MASK)) != 0)
    return FALSE;

  if (keyval == GDK_KEY_Up || keyval == GDK_KEY_KP_Up ||
      keyval == GDK_KEY_Left || keyval == GDK_KEY_KP_Left)
    forward = FALSE;
  else if (keyval == GDK_KEY_Down || keyval == GDK_KEY_KP_Down ||
           keyval == GDK_KEY_Right || keyval == GDK_KEY_KP_Right)
    forward = TRUE;
  else
    return FALSE;

  /* At either end the choice stays where it is. */
  next = beyond (GTK_WIDGET (self), forward);
  if (next != NULL && gtk_widget_is_sensitive (GTK_WIDGET (next)))
    {
      gtk_check_button_set_active (next->check, TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (next->check));
    }
  return TRUE;
}

static void
striae_choice_row_class_init (StriaeChoiceRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->focus = striae_choice_row_focus;
}

static void
striae_choice_row_init (StriaeChoiceRow *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  self->check = GTK_CHECK_BUTTON (gtk_check_button_new ());
  gtk_widget_set_valign (GTK_WIDGET (self->check), GTK_ALIGN_CENTER);
  adw_action_row_add_prefix (ADW_ACTION_ROW (self), GTK_WIDGET (self->check));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (self), GTK_WIDGET (self->check));
  /* The check is the stop, not the row around it as well. */
  gtk_widget_set_focusable (GTK_WIDGET (self), FALSE);

  g_signal_connect_swapped (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
}

/* @title: the choice, also the check's accessible name */
GtkWidget *
striae_choice_row_new (const char *title)
{
  StriaeChoiceRow *self = g_object_new (STRIAE_TYPE_CHOICE_ROW, "title", title, NULL);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  title, -1);
  return GTK_WIDGET (self);
}

GtkCheckButton *
striae_choice_row_get_check (StriaeChoiceRow *self)
{
  g_return_val_if_fail (STRIAE_IS_CHOICE_ROW (self), NULL);
  return self->check;
}
