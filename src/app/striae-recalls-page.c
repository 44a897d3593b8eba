/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "striae-accessible.h"
#include "striae-app-private.h"
#include "striae-date.h"
#include "striae-recall-item.h"
#include "striae-recall-row.h"
#include "striae-recalls-page.h"
#include "striae-records-watch.h"

#define DAYS_A_WEEK 7

struct _StriaeRecallsPage
{
  AdwBin              parent_instance;

  GtkSpinButton      *weeks_button;
  GtkLabel           *saved_label;
  GtkStack           *stack;
  GtkListView        *list_view;
  AdwStatusPage      *empty_status;

  StriaeStore        *store;
  GListStore         *items;
  GtkSingleSelection *selection;
  GPtrArray          *recalls;
  char               *problem;
  GtkNativeDialog    *chooser;
  StriaeRecordsWatch *watch;
  /* While the recalls are read in a worker thread: cancelled by the next read. */
  GCancellable       *reading;
};

G_DEFINE_FINAL_TYPE (StriaeRecallsPage, striae_recalls_page, ADW_TYPE_BIN)

enum {
  OPEN_PATIENT,
  CLOSE,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static void
update_actions (StriaeRecallsPage *self)
{
  gboolean any = self->recalls != NULL && self->recalls->len > 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "recalls.save-csv", any);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "recalls.open",
                                 gtk_single_selection_get_selected_item (self->selection) != NULL);
}

static void
show_status (StriaeRecallsPage *self,
             const char        *icon,
             const char        *title,
             const char        *description)
{
  adw_status_page_set_icon_name (self->empty_status, icon);
  adw_status_page_set_title (self->empty_status, title);
  adw_status_page_set_description (self->empty_status, description);
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

/* Shows what a read of the recalls found, or why it failed. */
static void
show_recalls (StriaeRecallsPage *self,
              GPtrArray         *recalls,
              const GError      *error)
{
  g_list_store_remove_all (self->items);
  g_clear_pointer (&self->recalls, g_ptr_array_unref);
  g_clear_pointer (&self->problem, g_free);
  if (recalls == NULL)
    {
      self->problem = g_strdup (error->message);
      show_status (self, "dialog-warning-symbolic", _("The Recalls Cannot Be Shown"),
                   error->message);
      update_actions (self);
      return;
    }

  self->recalls = g_ptr_array_ref (recalls);
  for (guint i = 0; i < self->recalls->len; i++)
    {
      g_autoptr(StriaeRecallItem) item = striae_recall_item_new (self->recalls->pdata[i]);

      g_list_store_append (self->items, item);
    }

  if (self->recalls->len > 0)
    gtk_stack_set_visible_child_name (self->stack, "list");
  else
    show_status (self, "call-start-symbolic", _("Nobody to Call Back"),
                 _("No maintenance is due in these weeks, no course has stopped and no "
                   "patient waits to be seen again. Choose more weeks to look further."));
  update_actions (self);
}

static void
recalls_read_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(StriaeRecallsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) recalls = striae_store_list_recalls_finish (STRIAE_STORE (source),
                                                                   result, &error);

  /* A later read, or the page's end, cancelled this one: it shows nothing. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->reading);
  show_recalls (self, recalls, error);
}

/**
 * striae_recalls_page_reload:
 *
 * Reads who to call back as of today, within the weeks chosen, in a worker thread (the list
 * shown stays until the new one is read; striae_recalls_page_is_reading() says when).
 */
void
striae_recalls_page_reload (StriaeRecallsPage *self)
{
  guint weeks;
  GDate today;

  g_return_if_fail (STRIAE_IS_RECALLS_PAGE (self));

  g_cancellable_cancel (self->reading);
  g_clear_object (&self->reading);
  if (self->store == NULL)
    {
      g_list_store_remove_all (self->items);
      g_clear_pointer (&self->recalls, g_ptr_array_unref);
      g_clear_pointer (&self->problem, g_free);
      update_actions (self);
      return;
    }

  weeks = (guint) gtk_spin_button_get_value_as_int (self->weeks_button);
  striae_get_today (&today);
  self->reading = g_cancellable_new ();
  striae_store_list_recalls_async (self->store, weeks * DAYS_A_WEEK, &today, self->reading,
                                   recalls_read_cb, g_object_ref (self));
}

/**
 * striae_recalls_page_is_reading:
 *
 * Returns: whether the recalls are being read (after striae_recalls_page_reload())
 */
gboolean
striae_recalls_page_is_reading (StriaeRecallsPage *self)
{
  g_return_val_if_fail (STRIAE_IS_RECALLS_PAGE (self), FALSE);

  return self->reading != NULL;
}

static void
weeks_changed_cb (StriaeRecallsPage *self)
{
  striae_recalls_page_reload (self);
}

static void
list_activate_cb (StriaeRecallsPage *self,
                  guint              position)
{
  g_autoptr(StriaeRecallItem) item = g_list_model_get_item (G_LIST_MODEL (self->items),
                                                            position);

  if (item != NULL)
    g_signal_emit (self, signals [OPEN_PATIENT], 0,
                   striae_recall_item_get_recall (item)->patient_id);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  StriaeRecallsPage *self = STRIAE_RECALLS_PAGE (widget);
  StriaeRecallItem *item = gtk_single_selection_get_selected_item (self->selection);

  if (item != NULL)
    g_signal_emit (self, signals [OPEN_PATIENT], 0,
                   striae_recall_item_get_recall (item)->patient_id);
}

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  g_signal_emit (widget, signals [CLOSE], 0);
}

/**
 * striae_recalls_page_save_csv:
 *
 * Writes the recalls shown to @file as CSV (striae_recalls_to_csv()), readable by its owner
 * alone, where the records allow a file to be written (striae_store_check_output()).
 */
gboolean
striae_recalls_page_save_csv (StriaeRecallsPage  *self,
                              GFile              *file,
                              GError            **error)
{
  g_autofree char *csv = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (STRIAE_IS_RECALLS_PAGE (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (self->recalls != NULL, FALSE);

  path = g_file_get_path (file);
  if (path != NULL && !striae_store_check_output (self->store, path, error))
    return FALSE;

  csv = striae_recalls_to_csv (self->recalls);
  /* Names and phone numbers of patients: the file is the user's alone. */
  return g_file_replace_contents (file, csv, strlen (csv), NULL, FALSE,
                                  G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                                  NULL, NULL, error);
}

static void
chooser_response_cb (StriaeRecallsPage *self,
                     int                response,
                     GtkNativeDialog   *chooser)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *said = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);
  if (file == NULL || self->recalls == NULL)
    return;

  if (striae_recalls_page_save_csv (self, file, &error))
    {
      g_autofree char *name = g_file_get_parse_name (file);

      /* TRANSLATORS: %u patients, %s the file */
      said = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u patient saved to %s.",
                                           "%u patients saved to %s.", self->recalls->len),
                              self->recalls->len, name);
    }
  else
    /* TRANSLATORS: %s says why */
    said = g_strdup_printf (_("The list could not be saved: %s"), error->message);

  gtk_label_set_text (self->saved_label, said);
  gtk_widget_set_visible (GTK_WIDGET (self->saved_label), TRUE);
}

static void
save_csv_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  StriaeRecallsPage *self = STRIAE_RECALLS_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;

  if (self->chooser != NULL)
    return;

  chooser = gtk_file_chooser_native_new (_("Save the Recalls as CSV"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), NULL);
  gtk_file_filter_set_name (filter, _("CSV files"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  /* TRANSLATORS: the file name the recalls are saved to at first */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), _("recalls.csv"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  g_signal_connect_object (chooser, "response", G_CALLBACK (chooser_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (self->chooser);
}

static void
factory_setup_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *list_item,
                  gpointer                  user_data)
{
  gtk_list_item_set_child (list_item, striae_recall_row_new ());
}

static void
factory_bind_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 gpointer                  user_data)
{
  striae_recall_row_set_item (STRIAE_RECALL_ROW (gtk_list_item_get_child (list_item)),
                              gtk_list_item_get_item (list_item));
}

static void
factory_unbind_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *list_item,
                   gpointer                  user_data)
{
  striae_recall_row_set_item (STRIAE_RECALL_ROW (gtk_list_item_get_child (list_item)), NULL);
}

static void
striae_recalls_page_dispose (GObject *object)
{
  StriaeRecallsPage *self = (StriaeRecallsPage *)object;

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  g_clear_object (&self->watch);
  g_cancellable_cancel (self->reading);
  g_clear_object (&self->reading);
  if (self->list_view != NULL)
    gtk_list_view_set_model (self->list_view, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), STRIAE_TYPE_RECALLS_PAGE);
  g_clear_object (&self->selection);
  g_clear_object (&self->items);
  g_clear_pointer (&self->recalls, g_ptr_array_unref);
  g_clear_pointer (&self->problem, g_free);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (striae_recalls_page_parent_class)->dispose (object);
}

static void
striae_recalls_page_class_init (StriaeRecallsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = striae_recalls_page_dispose;

  /* The patient of a row is to be shown (Enter on the row). */
  signals [OPEN_PATIENT] =
    g_signal_new ("open-patient", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  /* Back to the patients. */
  signals [CLOSE] =
    g_signal_new ("close", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  striae_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/striae/Striae/ui/"
                                               "striae-recalls-page.ui");
  gtk_widget_class_bind_template_child (widget_class, StriaeRecallsPage, weeks_button);
  gtk_widget_class_bind_template_child (widget_class, StriaeRecallsPage, saved_label);
  gtk_widget_class_bind_template_child (widget_class, StriaeRecallsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, StriaeRecallsPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, StriaeRecallsPage, empty_status);
  gtk_widget_class_bind_template_callback (widget_class, list_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, weeks_changed_cb);

  gtk_widget_class_install_action (widget_class, "recalls.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "recalls.save-csv", NULL, save_csv_action);
  gtk_widget_class_install_action (widget_class, "recalls.close", NULL, close_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "recalls.save-csv", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "recalls.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK,
                                       "recalls.close", NULL);
}

static void
striae_recalls_page_init (StriaeRecallsPage *self)
{
  g_autoptr(GtkListItemFactory) factory = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  striae_accessible_name_buttons (GTK_WIDGET (self));

  self->items = g_list_store_new (STRIAE_TYPE_RECALL_ITEM);
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
  g_signal_connect_object (self->watch, "reload", G_CALLBACK (striae_recalls_page_reload),
                           self, G_CONNECT_SWAPPED);
  update_actions (self);
}

GtkWidget *
striae_recalls_page_new (void)
{
  return g_object_new (STRIAE_TYPE_RECALLS_PAGE, NULL);
}

/* The records the page reads; it follows their changes, made here or on another PC. */
void
striae_recalls_page_set_store (StriaeRecallsPage *self,
                               StriaeStore       *store)
{
  g_return_if_fail (STRIAE_IS_RECALLS_PAGE (self));
  g_return_if_fail (store == NULL || STRIAE_IS_STORE (store));

  if (g_set_object (&self->store, store))
    striae_records_watch_set_store (self->watch, store);
}

/* Maintenance and see-again dates due within @weeks weeks from today. */
void
striae_recalls_page_set_weeks (StriaeRecallsPage *self,
                               guint              weeks)
{
  g_return_if_fail (STRIAE_IS_RECALLS_PAGE (self));

  gtk_spin_button_set_value (self->weeks_button, weeks);
}

/* The rows shown (StriaeRecallItem), for tests. */
GListModel *
striae_recalls_page_get_items (StriaeRecallsPage *self)
{
  g_return_val_if_fail (STRIAE_IS_RECALLS_PAGE (self), NULL);
  return G_LIST_MODEL (self->items);
}

/* Why the recalls cannot be shown, or %NULL. */
const char *
striae_recalls_page_get_problem (StriaeRecallsPage *self)
{
  g_return_val_if_fail (STRIAE_IS_RECALLS_PAGE (self), NULL);
  return self->problem;
}
