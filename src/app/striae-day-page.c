/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <gtk/gtkunixprint.h>

#include "striae-accessible.h"
#include "striae-app-private.h"
#include "striae-cups-compat.h"
#include "striae-date.h"
#include "striae-day-item.h"
#include "striae-day-page.h"
#include "striae-day-print.h"
#include "striae-day-reader.h"
#include "striae-day-row.h"
#include "striae-reading-placeholder.h"
#include "striae-records-watch.h"
#include "striae-schedule-dialog.h"

struct _StriaeDayPage
{
  AdwBin              parent_instance;

  GtkRevealer        *print_revealer;
  GtkLabel           *print_label;
  GtkProgressBar     *progress_bar;
  GtkStack           *stack;
  GtkListView        *list_view;
  GtkCalendar        *calendar;
  GtkMenuButton      *date_button;
  GtkLabel           *date_label;
  AdwStatusPage      *empty_status;
  StriaeReadingPlaceholder *reading_placeholder;

  StriaeStore        *store;
  GSettings          *settings;
  GDate               day;
  GListStore         *items;
  GtkSingleSelection *selection;
  StriaeDayPrint     *print;
  GCancellable       *print_cancellable;
  StriaeRecordsWatch *watch;
  /* While the day is read in a worker thread: cancelled by the next read. */
  GCancellable       *reading;
  /* The day of the rows shown (invalid before the first read). */
  GDate               shown_day;
  /* The keyboard goes to the list once it is read (striae_day_page_focus_list()). */
  gboolean            focus_when_read;
};

G_DEFINE_FINAL_TYPE (StriaeDayPage, striae_day_page, ADW_TYPE_BIN)

enum {
  OPEN_PATIENT,
  CLOSE,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

enum {
  PROP_0,
  PROP_READING,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static StriaeDayItem *
selected_item (StriaeDayPage *self)
{
  return gtk_single_selection_get_selected_item (self->selection);
}

static const struct
{
  const char           *action;
  StriaeScheduleChange  change;
} change_actions[] = {
  { "day.move", STRIAE_SCHEDULE_CHANGE_MOVE },
  { "day.miss", STRIAE_SCHEDULE_CHANGE_MISS },
  { "day.cancel", STRIAE_SCHEDULE_CHANGE_CANCEL },
};

/* The selected session moves, is missed or cancelled while it is to come, by whoever may. */
static void
update_change_actions (StriaeDayPage *self,
                       StriaeDayItem *item)
{
  const StriaeScheduledSession *scheduled = item != NULL ? striae_day_item_get_scheduled (item)
                                                         : NULL;

  for (guint i = 0; i < G_N_ELEMENTS (change_actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), change_actions[i].action,
                                   striae_schedule_change_offered (self->store, scheduled,
                                                                   change_actions[i].change));
}

static void
update_actions (StriaeDayPage *self)
{
  gboolean idle = self->print == NULL;
  StriaeDayItem *item = selected_item (self);
  gboolean selected = item != NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->items));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "day.open", selected);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "day.record", selected);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "day.print-one",
                                 selected && idle && striae_day_item_get_printable (item));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "day.print-all", n > 0 && idle);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "day.dismiss", idle);
  update_change_actions (self, item);
}

static gboolean
is_today (const GDate *day)
{
  GDate today;

  striae_get_today (&today);
  return g_date_compare (&today, day) == 0;
}

static void
update_title (StriaeDayPage *self)
{
  g_autoptr(GDateTime) when = NULL;
  g_autofree char *text = NULL;
  g_autofree char *accessible = NULL;

  when = g_date_time_new_local (g_date_get_year (&self->day), g_date_get_month (&self->day),
                                g_date_get_day (&self->day), 12, 0, 0);
  /* TRANSLATORS: the day the day's list shows, a g_date_time_format() format, e.g. "Monday 7
   * December 2026" */
  text = g_date_time_format (when, _("%A %-d %B %Y"));
  if (is_today (&self->day))
    {
      /* TRANSLATORS: the day's list shows today; %s is the date */
      g_autofree char *today = g_strdup_printf (_("Today, %s"), text);

      g_free (text);
      text = g_steal_pointer (&today);
    }
  gtk_label_set_label (self->date_label, text);
  /* TRANSLATORS: the accessible name of the button that shows the day and opens a calendar;
   * %s is the day */
  accessible = g_strdup_printf (_("%s: choose another day"), text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->date_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);

  g_signal_handlers_block_matched (self->calendar, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  gtk_calendar_select_day (self->calendar, when);
  g_signal_handlers_unblock_matched (self->calendar, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL,
                                     self);
}

static void
show_problem (StriaeDayPage *self,
              const GError  *error)
{
  adw_status_page_set_icon_name (self->empty_status, "dialog-warning-symbolic");
  adw_status_page_set_title (self->empty_status, _("The Sessions Cannot Be Shown"));
  adw_status_page_set_description (self->empty_status, error->message);
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

static void
show_items (StriaeDayPage *self,
            GListModel    *items)
{
  StriaeDayItem *selected = selected_item (self);
  gint64 keep = selected != NULL ? striae_day_item_get_consultation_id (selected) : 0;
  guint n = g_list_model_get_n_items (items);

  g_list_store_remove_all (self->items);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(StriaeDayItem) item = g_list_model_get_item (items, i);

      g_list_store_append (self->items, item);
      if (striae_day_item_get_consultation_id (item) == keep)
        gtk_single_selection_set_selected (self->selection, i);
    }

  adw_status_page_set_icon_name (self->empty_status, "x-office-calendar-symbolic");
  adw_status_page_set_title (self->empty_status, _("No Sessions"));
  adw_status_page_set_description (self->empty_status,
                                   _("No session is planned on this day. Choose another day "
                                     "with the arrows or the calendar."));
  gtk_stack_set_visible_child_name (self->stack, n > 0 ? "list" : "empty");
}

static void
set_reading (StriaeDayPage *self,
             GCancellable  *reading)
{
  gboolean was_reading = self->reading != NULL;

  g_cancellable_cancel (self->reading);
  g_set_object (&self->reading, reading);
  if (was_reading != (reading != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_READING]);
}

static void
day_read_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(StriaeDayPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListStore) items = striae_day_read_finish (STRIAE_STORE (source), result, &error);
  gboolean focus = self->focus_when_read;

  /* A later read, or the page's end, cancelled this one: it shows nothing. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->focus_when_read = FALSE;
  set_reading (self, NULL);
  if (items == NULL)
    {
      g_list_store_remove_all (self->items);
      g_date_clear (&self->shown_day, 1);
      show_problem (self, error);
    }
  else
    {
      show_items (self, G_LIST_MODEL (items));
      self->shown_day = self->day;
    }
  update_actions (self);
  if (focus)
    striae_day_page_focus_list (self);
}

/* Another day's rows give way at once, so that no row stands under the wrong day; the
 * placeholder shows its spinner only when the read takes longer than the eye notices. */
static void
clear_other_day (StriaeDayPage *self)
{
  if (g_date_valid (&self->shown_day) && g_date_compare (&self->shown_day, &self->day) == 0)
    return;

  g_list_store_remove_all (self->items);
  g_date_clear (&self->shown_day, 1);
  gtk_stack_set_visible_child_name (self->stack, "reading");
}

/**
 * striae_day_page_reload:
 *
 * Reads the day's sessions again from the records, in a worker thread: the rows of the same
 * day stay shown meanwhile, another day's give way to a placeholder; the row selected stays
 * selected when it is still there. striae_day_page_get_reading() says when it is done.
 */
void
striae_day_page_reload (StriaeDayPage *self)
{
  g_autoptr(GCancellable) reading = NULL;

  g_return_if_fail (STRIAE_IS_DAY_PAGE (self));

  update_title (self);
  if (self->store == NULL)
    {
      set_reading (self, NULL);
      return;
    }

  reading = g_cancellable_new ();
  set_reading (self, reading);
  clear_other_day (self);
  update_actions (self);
  striae_day_read_async (self->store, &self->day, reading, day_read_cb, g_object_ref (self));
}

/**
 * striae_day_page_get_reading:
 *
 * Returns: whether the day is being read (after striae_day_page_reload() or another day)
 */
gboolean
striae_day_page_get_reading (StriaeDayPage *self)
{
  g_return_val_if_fail (STRIAE_IS_DAY_PAGE (self), FALSE);

  return self->reading != NULL;
}

static void
list_activate_cb (StriaeDayPage *self,
                  guint          position)
{
  g_autoptr(StriaeDayItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), position);

  if (item != NULL)
    g_signal_emit (self, signals [OPEN_PATIENT], 0, striae_day_item_get_patient_id (item));
}

static void
calendar_day_selected_cb (StriaeDayPage *self,
                          GtkCalendar   *calendar)
{
  g_autoptr(GDateTime) when = gtk_calendar_get_date (calendar);
  GDate day;

  g_date_clear (&day, 1);
  g_date_set_dmy (&day, g_date_time_get_day_of_month (when), g_date_time_get_month (when),
                  g_date_time_get_year (when));
  gtk_menu_button_popdown (self->date_button);
  striae_day_page_set_date (self, &day);
}

static void
shift_day (StriaeDayPage *self,
           int            days)
{
  GDate day = self->day;

  if (days > 0)
    g_date_add_days (&day, days);
  else
    g_date_subtract_days (&day, -days);
  striae_day_page_set_date (self, &day);
}

static void
previous_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  shift_day (STRIAE_DAY_PAGE (widget), -1);
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  shift_day (STRIAE_DAY_PAGE (widget), 1);
}

static void
today_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  StriaeDayPage *self = STRIAE_DAY_PAGE (widget);
  GDate today;

  striae_get_today (&today);
  gtk_menu_button_popdown (self->date_button);
  striae_day_page_set_date (self, &today);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  StriaeDayPage *self = STRIAE_DAY_PAGE (widget);
  StriaeDayItem *item = selected_item (self);

  if (item != NULL)
    g_signal_emit (self, signals [OPEN_PATIENT], 0, striae_day_item_get_patient_id (item));
}

/* The session record is the window's page (win.record-session, for a consultation); without
 * it, the patient's page, where the course is. */
static void
record_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  StriaeDayPage *self = STRIAE_DAY_PAGE (widget);
  StriaeDayItem *item = selected_item (self);

  if (item == NULL)
    return;
  if (!gtk_widget_activate_action (widget, "win.record-session", "x",
                                   striae_day_item_get_consultation_id (item)))
    g_signal_emit (self, signals [OPEN_PATIENT], 0, striae_day_item_get_patient_id (item));
}

static void
change_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  StriaeDayPage *self = STRIAE_DAY_PAGE (widget);
  StriaeDayItem *item = selected_item (self);

  /* The records' "patients-changed" reads the day again once the change is made. */
  for (guint i = 0; item != NULL && i < G_N_ELEMENTS (change_actions); i++)
    if (g_str_equal (action_name, change_actions[i].action))
      striae_schedule_dialog_present (widget, self->store, striae_day_item_get_scheduled (item),
                                      change_actions[i].change, NULL);
}

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  g_signal_emit (widget, signals [CLOSE], 0);
}

static void
dismiss_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  gtk_revealer_set_reveal_child (STRIAE_DAY_PAGE (widget)->print_revealer, FALSE);
}

static void
print_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(StriaeDayPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *said = NULL;

  said = striae_day_print_run_finish (STRIAE_DAY_PRINT (source), result, NULL, &error);
  if (self->print == STRIAE_DAY_PRINT (source))
    {
      g_signal_handlers_disconnect_by_data (self->print, self);
      g_clear_object (&self->print);
    }
  /* The page went away meanwhile (its template is gone): nobody to tell. */
  if (self->print_label == NULL)
    return;

  /* The result stays until dismissed: the front desk reads it after the printer is done. */
  gtk_label_set_text (self->print_label, said != NULL ? said : error->message);
  gtk_progress_bar_set_fraction (self->progress_bar, said != NULL ? 1.0 : 0.0);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), FALSE);
  update_actions (self);
}

static void
print_progress_cb (StriaeDayPage  *self,
                   GParamSpec     *pspec,
                   StriaeDayPrint *print)
{
  gtk_progress_bar_set_fraction (self->progress_bar, striae_day_print_get_fraction (print));
  gtk_label_set_text (self->print_label, striae_day_print_get_text (print));
}

/**
 * striae_day_page_print:
 * @printer: the printer's name
 * @whole_day: every session's sheet, or the selected one's alone
 *
 * Sends the aftercare sheets, dated the page's day, to @printer, with the progress and then
 * the result shown above the list.
 */
void
striae_day_page_print (StriaeDayPage *self,
                       const char    *printer,
                       gboolean       whole_day)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->items));

  g_return_if_fail (STRIAE_IS_DAY_PAGE (self));
  g_return_if_fail (printer != NULL);
  g_return_if_fail (self->store != NULL);

  if (self->print != NULL)
    return;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(StriaeDayItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);
      gint64 id = striae_day_item_get_consultation_id (item);

      if (striae_day_item_get_printable (item) && (whole_day || item == selected_item (self)))
        g_array_append_val (ids, id);
    }
  if (ids->len == 0)
    return;

  self->print = striae_day_print_new (self->store, self->settings, &self->day,
                                      (const gint64 *) (gpointer) ids->data, ids->len);
  g_signal_connect_object (self->print, "notify::text", G_CALLBACK (print_progress_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), TRUE);
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  gtk_revealer_set_reveal_child (self->print_revealer, TRUE);
  update_actions (self);

  g_clear_object (&self->print_cancellable);
  self->print_cancellable = g_cancellable_new ();
  striae_day_print_run_async (self->print, printer, self->print_cancellable, print_done_cb,
                              g_object_ref (self));
}

typedef struct
{
  StriaeDayPage *self;
  gboolean       whole_day;
} PrinterChoice;

static void
printer_chosen_cb (GtkDialog *dialog,
                   int        response,
                   gpointer   user_data)
{
  g_autofree PrinterChoice *choice = user_data;
  g_autoptr(StriaeDayPage) self = choice->self;
  GtkPrinter *printer = gtk_print_unix_dialog_get_selected_printer (GTK_PRINT_UNIX_DIALOG (dialog));
  g_autofree char *name = printer != NULL ? g_strdup (gtk_printer_get_name (printer)) : NULL;
  gboolean is_virtual = printer != NULL && gtk_printer_is_virtual (printer);

  gtk_window_destroy (GTK_WINDOW (dialog));
  if (response != GTK_RESPONSE_OK || name == NULL)
    return;

  if (is_virtual)
    {
      gtk_label_set_text (self->print_label,
                          _("The day’s sheets go to a printer. To keep them as PDF files, "
                            "open a patient’s sheets and export them there."));
      gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), FALSE);
      gtk_revealer_set_reveal_child (self->print_revealer, TRUE);
      return;
    }
  striae_day_page_print (self, name, choice->whole_day);
}

/* GTK's print dialog chooses the printer; the sheets then go through the sheet delivery's
 * print job, as the command line's do. */
static void
choose_printer (StriaeDayPage *self,
                gboolean       whole_day)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog;
  PrinterChoice *choice = g_new0 (PrinterChoice, 1);

  /* Without the mend for Debian's libcups, the dialog freezes the window while it lists the
   * printers (striae-cups-compat.c); the print job itself says when it is missing. */
  striae_cups_compat_ensure ();
  dialog = gtk_print_unix_dialog_new (whole_day ? _("Print the Day’s Aftercare Sheets")
                                                : _("Print the Aftercare Sheet"),
                                      GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL);
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  gtk_print_unix_dialog_set_manual_capabilities (GTK_PRINT_UNIX_DIALOG (dialog), 0);
  choice->self = g_object_ref (self);
  choice->whole_day = whole_day;
  g_signal_connect (dialog, "response", G_CALLBACK (printer_chosen_cb), choice);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
print_one_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  choose_printer (STRIAE_DAY_PAGE (widget), FALSE);
}

static void
print_all_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  choose_printer (STRIAE_DAY_PAGE (widget), TRUE);
}

static void
factory_setup_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *list_item,
                  gpointer                  user_data)
{
  gtk_list_item_set_child (list_item, striae_day_row_new ());
}

static void
factory_bind_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 gpointer                  user_data)
{
  striae_day_row_set_item (STRIAE_DAY_ROW (gtk_list_item_get_child (list_item)),
                           gtk_list_item_get_item (list_item));
}

static void
factory_unbind_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *list_item,
                   gpointer                  user_data)
{
  striae_day_row_set_item (STRIAE_DAY_ROW (gtk_list_item_get_child (list_item)), NULL);
}

static void
striae_day_page_dispose (GObject *object)
{
  StriaeDayPage *self = (StriaeDayPage *)object;

  g_cancellable_cancel (self->print_cancellable);
  g_clear_object (&self->print_cancellable);
  if (self->print != NULL)
    g_signal_handlers_disconnect_by_data (self->print, self);
  g_clear_object (&self->print);
  g_clear_object (&self->watch);
  g_cancellable_cancel (self->reading);
  g_clear_object (&self->reading);
  if (self->list_view != NULL)
    gtk_list_view_set_model (self->list_view, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), STRIAE_TYPE_DAY_PAGE);
  g_clear_object (&self->selection);
  g_clear_object (&self->items);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (striae_day_page_parent_class)->dispose (object);
}

static void
striae_day_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  StriaeDayPage *self = STRIAE_DAY_PAGE (object);

  switch (prop_id)
    {
    case PROP_READING:
      g_value_set_boolean (value, striae_day_page_get_reading (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
install_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "day.previous", NULL, previous_action);
  gtk_widget_class_install_action (widget_class, "day.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "day.today", NULL, today_action);
  gtk_widget_class_install_action (widget_class, "day.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "day.record", NULL, record_action);
  gtk_widget_class_install_action (widget_class, "day.print-one", NULL, print_one_action);
  gtk_widget_class_install_action (widget_class, "day.print-all", NULL, print_all_action);
  gtk_widget_class_install_action (widget_class, "day.dismiss", NULL, dismiss_action);
  gtk_widget_class_install_action (widget_class, "day.close", NULL, close_action);
  for (guint i = 0; i < G_N_ELEMENTS (change_actions); i++)
    gtk_widget_class_install_action (widget_class, change_actions[i].action, NULL,
                                     change_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, GDK_CONTROL_MASK,
                                       "day.previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, GDK_CONTROL_MASK,
                                       "day.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Home, GDK_ALT_MASK,
                                       "day.today", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "day.record", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK,
                                       "day.print-one", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK, "day.print-all", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_m, GDK_CONTROL_MASK,
                                       "day.move", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "day.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK,
                                       "day.close", NULL);
}

static void
striae_day_page_class_init (StriaeDayPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = striae_day_page_dispose;
  object_class->get_property = striae_day_page_get_property;

  /* The day is being read in a worker thread. */
  properties [PROP_READING] =
    g_param_spec_boolean ("reading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The patient of a row is to be shown (Enter on the row, or Open Patient). */
  signals [OPEN_PATIENT] =
    g_signal_new ("open-patient", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  /* Back to the patients. */
  signals [CLOSE] =
    g_signal_new ("close", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  striae_app_ensure_resources ();
  g_type_ensure (STRIAE_TYPE_READING_PLACEHOLDER);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/striae/Striae/ui/striae-day-page.ui");
  gtk_widget_class_bind_template_child (widget_class, StriaeDayPage, print_revealer);
  gtk_widget_class_bind_template_child (widget_class, StriaeDayPage, print_label);
  gtk_widget_class_bind_template_child (widget_class, StriaeDayPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, StriaeDayPage, stack);
  gtk_widget_class_bind_template_child (widget_class, StriaeDayPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, StriaeDayPage, calendar);
  gtk_widget_class_bind_template_child (widget_class, StriaeDayPage, date_button);
  gtk_widget_class_bind_template_child (widget_class, StriaeDayPage, date_label);
  gtk_widget_class_bind_template_child (widget_class, StriaeDayPage, empty_status);
  gtk_widget_class_bind_template_child (widget_class, StriaeDayPage, reading_placeholder);
  gtk_widget_class_bind_template_callback (widget_class, list_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, calendar_day_selected_cb);

  install_actions (widget_class);
}

static void
striae_day_page_init (StriaeDayPage *self)
{
  g_autoptr(GtkListItemFactory) factory = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  striae_accessible_name_buttons (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  self->items = g_list_store_new (STRIAE_TYPE_DAY_ITEM);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->items)));
  g_signal_connect_object (self->selection, "notify::selected", G_CALLBACK (update_actions),
                           self, G_CONNECT_SWAPPED);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (factory_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (factory_bind_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (factory_unbind_cb), NULL);
  gtk_list_view_set_factory (self->list_view, factory);
  self->watch = striae_records_watch_new (GTK_WIDGET (self));
  g_signal_connect_object (self->watch, "reload", G_CALLBACK (striae_day_page_reload), self,
                           G_CONNECT_SWAPPED);

  /* The placeholder turns its spinner while the records are read, and shows it after a
   * moment. */
  g_object_bind_property (self, "reading", self->reading_placeholder, "active",
                          G_BINDING_SYNC_CREATE);

  g_date_clear (&self->shown_day, 1);
  striae_get_today (&self->day);
  update_title (self);
  update_actions (self);
}

GtkWidget *
striae_day_page_new (void)
{
  return g_object_new (STRIAE_TYPE_DAY_PAGE, NULL);
}

/* The records the page reads; it follows their changes, made here or on another PC. */
void
striae_day_page_set_store (StriaeDayPage *self,
                           StriaeStore   *store)
{
  g_return_if_fail (STRIAE_IS_DAY_PAGE (self));
  g_return_if_fail (store == NULL || STRIAE_IS_STORE (store));

  if (!g_set_object (&self->store, store))
    return;
  striae_records_watch_set_store (self->watch, store);
  g_date_clear (&self->shown_day, 1);
  striae_day_page_reload (self);
}

void
striae_day_page_set_date (StriaeDayPage *self,
                          const GDate   *date)
{
  g_return_if_fail (STRIAE_IS_DAY_PAGE (self));
  g_return_if_fail (date != NULL && g_date_valid (date));

  if (g_date_compare (&self->day, date) == 0)
    return;
  self->day = *date;
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  striae_day_page_reload (self);
}

void
striae_day_page_get_date (StriaeDayPage *self,
                          GDate         *date)
{
  g_return_if_fail (STRIAE_IS_DAY_PAGE (self));
  g_return_if_fail (date != NULL);

  *date = self->day;
}

/* Puts the keyboard on the list, where Enter opens the selected row's patient; on the day's
 * navigation when the day has no session. While the day is read, once it is. */
void
striae_day_page_focus_list (StriaeDayPage *self)
{
  g_return_if_fail (STRIAE_IS_DAY_PAGE (self));

  if (self->reading != NULL)
    {
      self->focus_when_read = TRUE;
      return;
    }
  if (g_list_model_get_n_items (G_LIST_MODEL (self->items)) == 0 ||
      !gtk_widget_grab_focus (GTK_WIDGET (self->list_view)))
    gtk_widget_grab_focus (GTK_WIDGET (self->date_button));
}

/* The rows shown (StriaeDayItem), for tests. */
GListModel *
striae_day_page_get_items (StriaeDayPage *self)
{
  g_return_val_if_fail (STRIAE_IS_DAY_PAGE (self), NULL);
  return G_LIST_MODEL (self->items);
}

gboolean
striae_day_page_get_printing (StriaeDayPage *self)
{
  g_return_val_if_fail (STRIAE_IS_DAY_PAGE (self), FALSE);
  return self->print != NULL;
}

/* What the print area says: the progress, then the result. */
const char *
striae_day_page_get_print_text (StriaeDayPage *self)
{
  g_return_val_if_fail (STRIAE_IS_DAY_PAGE (self), NULL);
  return gtk_label_get_text (self->print_label);
}
