/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <adwaita.h>
#include <locale.h>

#include "striae-date-row.h"
#include "striae-patient.h"

/* The date row: the calendar opens on the typed day and writes the chosen day the way the
 * locale writes dates, which the parser reads back as the same day. */

static void
iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static GtkEventController *
key_controller (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (g_strcmp0 (gtk_event_controller_get_name (controller), "striae-date-row-keys") == 0)
        return controller;
    }

  return NULL;
}

static void
test_calendar (void)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  GtkWidget *list = gtk_list_box_new ();
  StriaeDateRow *row = STRIAE_DATE_ROW (striae_date_row_new ());
  GtkMenuButton *button = striae_date_row_get_button (row);
  GtkCalendar *calendar = striae_date_row_get_calendar (row);
  g_autoptr(GDateTime) shown = NULL;
  g_autoptr(GDateTime) chosen = NULL;
  gboolean handled = FALSE;
  GDate date;

  if (setlocale (LC_TIME, "de_DE.UTF-8") == NULL)
    {
      g_test_skip ("de_DE.UTF-8 is not installed (install locales-all)");
      gtk_window_destroy (window);
      return;
    }

  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (row));
  gtk_window_set_child (window, list);
  gtk_window_present (window);
  iterate ();

  /* The button names what it does, for the pointer and for a screen reader. */
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (button)), !=, NULL);

  gtk_editable_set_text (GTK_EDITABLE (row), "14.03.1991");
  gtk_menu_button_popup (button);
  iterate ();
  shown = gtk_calendar_get_date (calendar);
  g_assert_cmpint (g_date_time_get_year (shown), ==, 1991);
  g_assert_cmpint (g_date_time_get_month (shown), ==, 3);
  g_assert_cmpint (g_date_time_get_day_of_month (shown), ==, 14);
  /* Opening the calendar leaves the text as typed. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "14.03.1991");

  /* 3 April: day and month both under 13, written the German way. */
  chosen = g_date_time_new_local (1991, 4, 3, 0, 0, 0);
  gtk_calendar_select_day (calendar, chosen);
  g_signal_emit_by_name (calendar, "day-selected");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "03.04.1991");
  g_assert_true (striae_parse_date (gtk_editable_get_text (GTK_EDITABLE (row)), &date, NULL));
  g_assert_cmpint (g_date_get_month (&date), ==, G_DATE_APRIL);
  g_assert_cmpint (g_date_get_day (&date), ==, 3);

  /* The month arrows keep the day of the month and say only "notify::month". */
  g_clear_pointer (&chosen, g_date_time_unref);
  chosen = g_date_time_new_local (1991, 5, 3, 0, 0, 0);
  gtk_calendar_select_day (calendar, chosen);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "03.05.1991");

  /* Enter closes the calendar, keeping the day. */
  g_signal_emit_by_name (key_controller (GTK_WIDGET (calendar)), "key-pressed",
                         GDK_KEY_Return, 0, 0, &handled);
  g_assert_true (handled);
  iterate ();
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (gtk_menu_button_get_popover (button))));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "03.05.1991");

  /* A text that is no date opens the calendar on today. */
  gtk_editable_set_text (GTK_EDITABLE (row), "31.02.1991");
  gtk_menu_button_popup (button);
  iterate ();
  g_clear_pointer (&shown, g_date_time_unref);
  shown = gtk_calendar_get_date (calendar);
  g_assert_cmpint (g_date_time_get_year (shown), >, 2000);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "31.02.1991");
  gtk_menu_button_popdown (button);

  setlocale (LC_TIME, "C.UTF-8");
  gtk_window_destroy (window);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/date-row/calendar", test_calendar);

  return g_test_run ();
}
