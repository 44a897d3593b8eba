/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "striae-date-row.h"
#include "striae-patient.h"

struct _StriaeDateRow
{
  AdwEntryRow    parent_instance;

  GtkMenuButton *button;
  GtkPopover    *popover;
  GtkCalendar   *calendar;
};

G_DEFINE_FINAL_TYPE (StriaeDateRow, striae_date_row, ADW_TYPE_ENTRY_ROW)

/* The calendar opens on the typed day, or today. */
static void
popover_show_cb (StriaeDateRow *self)
{
  g_autoptr(GDateTime) day = NULL;
  GDate date;

  if (striae_parse_date (gtk_editable_get_text (GTK_EDITABLE (self)), &date, NULL))
    day = g_date_time_new_local (g_date_get_year (&date), g_date_get_month (&date),
                                 g_date_get_day (&date), 0, 0, 0);
  else
    day = g_date_time_new_now_local ();

  g_signal_handlers_block_matched (self->calendar, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  gtk_calendar_select_day (self->calendar, day);
  g_signal_handlers_unblock_matched (self->calendar, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL,
                                     self);
}

/* The day the calendar shows is written at once: a click on a day, or the month and year
 * arrows (which keep the day of the month, so GtkCalendar says only "notify::month"). */
static void
day_selected_cb (StriaeDateRow *self)
{
  g_autoptr(GDateTime) day = gtk_calendar_get_date (self->calendar);
  g_autofree char *text = NULL;
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, g_date_time_get_day_of_month (day), g_date_time_get_month (day),
                  g_date_time_get_year (day));
  text = striae_format_local_date (&date);
  gtk_editable_set_text (GTK_EDITABLE (self), text);
  gtk_editable_set_position (GTK_EDITABLE (self), -1);
}

/* A click on a day, or Enter, closes the calendar; the month and year arrows do not. */
static void
calendar_released_cb (StriaeDateRow   *self,
                      int              n_press,
                      double           x,
                      double           y,
                      GtkGestureClick *gesture)
{
  GtkWidget *picked = gtk_widget_pick (GTK_WIDGET (self->calendar), x, y, GTK_PICK_DEFAULT);

  if (picked != NULL && gtk_widget_has_css_class (picked, "day-number"))
    gtk_popover_popdown (self->popover);
}

/* Enter closes the calendar on the day it shows. (GTK 4.8's calendar moves an undrawn
 * keyboard focus with the arrow keys, not the selection, so Space is not handed on to it;
 * Ctrl with the arrows changes the month and year, and typing stays the quick way.) */
static gboolean
calendar_key_cb (StriaeDateRow         *self,
                 guint                  keyval,
                 guint                  keycode,
                 GdkModifierType        state,
                 GtkEventControllerKey *controller)
{
  if (keyval != GDK_KEY_Return && keyval != GDK_KEY_KP_Enter && keyval != GDK_KEY_ISO_Enter)
    return FALSE;

  day_selected_cb (self);
  gtk_popover_popdown (self->popover);
  return TRUE;
}

static void
striae_date_row_class_init (StriaeDateRowClass *klass)
{
}

static void
striae_date_row_init (StriaeDateRow *self)
{
  GtkGesture *click = gtk_gesture_click_new ();
  GtkEventController *keys = gtk_event_controller_key_new ();

  self->calendar = GTK_CALENDAR (gtk_calendar_new ());
  g_signal_connect_swapped (self->calendar, "day-selected", G_CALLBACK (day_selected_cb), self);
  g_signal_connect_swapped (self->calendar, "notify::month", G_CALLBACK (day_selected_cb), self);
  g_signal_connect_swapped (self->calendar, "notify::year", G_CALLBACK (day_selected_cb), self);
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_BUBBLE);
  g_signal_connect_swapped (click, "released", G_CALLBACK (calendar_released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->calendar), GTK_EVENT_CONTROLLER (click));
  gtk_event_controller_set_name (keys, "striae-date-row-keys");
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (keys, "key-pressed", G_CALLBACK (calendar_key_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->calendar), keys);

  self->popover = GTK_POPOVER (gtk_popover_new ());
  gtk_popover_set_child (self->popover, GTK_WIDGET (self->calendar));
  g_signal_connect_swapped (self->popover, "show", G_CALLBACK (popover_show_cb), self);

  self->button = GTK_MENU_BUTTON (gtk_menu_button_new ());
  gtk_menu_button_set_icon_name (self->button, "x-office-calendar-symbolic");
  gtk_menu_button_set_popover (self->button, GTK_WIDGET (self->popover));
  gtk_widget_set_valign (GTK_WIDGET (self->button), GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (GTK_WIDGET (self->button), "flat");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->button), _("Choose From a Calendar"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Choose From a Calendar"),
                                  -1);
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (self), GTK_WIDGET (self->button));
}

GtkWidget *
striae_date_row_new (void)
{
  return g_object_new (STRIAE_TYPE_DATE_ROW, NULL);
}

GtkMenuButton *
striae_date_row_get_button (StriaeDateRow *self)
{
  g_return_val_if_fail (STRIAE_IS_DATE_ROW (self), NULL);
  return self->button;
}

GtkCalendar *
striae_date_row_get_calendar (StriaeDateRow *self)
{
  g_return_val_if_fail (STRIAE_IS_DATE_ROW (self), NULL);
  return self->calendar;
}
