/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "striae-accessible.h"
#include "striae-app-private.h"
#include "striae-batch-page.h"
#include "striae-date.h"
#include "striae-reading-placeholder.h"
#include "striae-records-watch.h"
#include "striae-schedule-dialog.h"
#include "striae-treatment-session.h"

struct _StriaeBatchPage
{
  AdwBin              parent_instance;

  GtkSearchEntry     *entry;
  GtkStack           *stack;
  GtkLabel           *count_label;
  GtkListBox         *list;
  AdwStatusPage      *status;
  StriaeReadingPlaceholder *reading_placeholder;

  StriaeStore        *store;
  StriaeRecordsWatch *watch;
  GPtrArray          *rows;
  /* The lot whose rows are shown (NULL: none), and the lot being looked for meanwhile. */
  char               *shown_lot;
  char               *lot;
  /* While the lot is looked for in a worker thread: cancelled by the next search. */
  GCancellable       *reading;
};

G_DEFINE_FINAL_TYPE (StriaeBatchPage, striae_batch_page, ADW_TYPE_BIN)

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

/* "30 June 2027 · Session 2 of 4 · Hyaluronic serum, lot AB-12, expires 31 May 2028": what
 * an advisory asks of each use, from its session record (the product as recorded there, with
 * the expiry the index does not keep). */
static char *
describe_use (const StriaeStoreBatchUse *use,
              StriaeTreatmentSession    *session)
{
  GListModel *products = striae_treatment_session_get_products (session);
  g_autofree char *wanted = striae_store_fold_lot (use->lot);
  g_autofree char *day = NULL;
  g_autofree char *place = NULL;
  g_autofree char *product = NULL;
  g_autofree char *expiry = NULL;
  StriaeScheduledSession where = {
    .number = striae_treatment_session_get_number (session),
    .course_length = striae_treatment_session_get_course_length (session),
    .maintenance = striae_treatment_session_get_maintenance (session),
  };
  GDate date;

  g_date_clear (&date, 1);
  striae_parse_iso_date (use->date, &date, NULL);
  day = striae_schedule_format_day (&date);
  place = striae_scheduled_session_describe (&where);

  for (guint i = 0; expiry == NULL && i < g_list_model_get_n_items (products); i++)
    {
      g_autoptr(StriaeSessionProduct) p = g_list_model_get_item (products, i);
      g_autofree char *key = striae_store_fold_lot (striae_session_product_get_lot (p));

      if (g_strcmp0 (key, wanted) == 0 &&
          g_strcmp0 (striae_session_product_get_name (p), use->product) == 0 &&
          striae_session_product_get_expiry (p) != NULL &&
          g_date_valid (striae_session_product_get_expiry (p)))
        expiry = striae_schedule_format_day (striae_session_product_get_expiry (p));
    }
  if (expiry != NULL)
    /* TRANSLATORS: a product a session received: its name, its lot and its expiry */
    product = g_strdup_printf (_("%s, lot %s, expires %s"), use->product, use->lot, expiry);
  else
    /* TRANSLATORS: a product a session received: its name and its lot */
    product = g_strdup_printf (_("%s, lot %s"), use->product, use->lot);

  /* TRANSLATORS: a session that received a batch: its date, its place in the course and the
   * product, e.g. "30 June 2027 · Session 2 of 4 · Serum, lot AB-12, expires 31 May 2028" */
  return g_strdup_printf (_("%s · %s · %s"), day, place, product);
}

/* A row of a use read in the worker (striae_store_find_batch_async()): nothing more is read
 * here. */
static GtkWidget *
use_row_new (const StriaeBatchRecord *record)
{
  const StriaeStoreBatchUse *use = record->use;
  g_autofree char *name = striae_patient_dup_full_name (record->patient);
  g_autofree char *summary = describe_use (use, record->session);
  GtkWidget *row;

  row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), summary);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "batch.open");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (row),
                                          g_variant_new_int64 (use->patient_id));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  return row;
}

static void
clear_rows (StriaeBatchPage *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    gtk_list_box_remove (self->list, g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);
}

static void
show_status (StriaeBatchPage *self,
             const char      *icon,
             const char      *title,
             const char      *description)
{
  adw_status_page_set_icon_name (self->status, icon);
  adw_status_page_set_title (self->status, title);
  adw_status_page_set_description (self->status, description);
  gtk_stack_set_visible_child_name (self->stack, "status");
}

static void
show_start (StriaeBatchPage *self)
{
  show_status (self, "edit-find-symbolic", _("Find a Batch"),
               _("Type the batch or lot number of a product, as printed on its box, to list "
                 "every patient and session that received it."));
}

static void
set_reading (StriaeBatchPage *self,
             GCancellable    *reading)
{
  gboolean was_reading = self->reading != NULL;

  g_cancellable_cancel (self->reading);
  g_set_object (&self->reading, reading);
  if (was_reading != (reading != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_READING]);
}

static void
show_records (StriaeBatchPage *self,
              GPtrArray       *records)
{
  g_autofree char *count = NULL;

  for (guint i = 0; i < records->len; i++)
    {
      GtkWidget *row = use_row_new (g_ptr_array_index (records, i));

      gtk_list_box_append (self->list, row);
      g_ptr_array_add (self->rows, row);
    }
  if (records->len == 0)
    {
      show_status (self, "edit-find-symbolic", _("No Session Received This Batch"),
                   _("No session record names this batch or lot number. Check it against "
                     "the box: letters and digits count, spaces and dashes do not."));
      return;
    }

  /* TRANSLATORS: above the sessions that received a batch; %u is their number */
  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u session received this batch.",
                                        "%u sessions received this batch.", records->len),
                           records->len);
  gtk_label_set_text (self->count_label, count);
  gtk_stack_set_visible_child_name (self->stack, "list");
}

static void
find_batch_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(StriaeBatchPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = striae_store_find_batch_finish (STRIAE_STORE (source), result,
                                                                 &error);

  /* A later search, or the page's end, cancelled this one: it shows nothing. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_reading (self, NULL);
  clear_rows (self);
  if (records == NULL)
    {
      g_clear_pointer (&self->shown_lot, g_free);
      show_status (self, "dialog-warning-symbolic", _("The Batch Cannot Be Looked For"),
                   error->message);
      return;
    }
  g_free (self->shown_lot);
  self->shown_lot = g_strdup (self->lot);
  show_records (self, records);
}

/* Another lot's rows give way at once, so that no row stands under the wrong lot; the
 * placeholder shows its spinner only when the search takes longer than the eye notices. */
static void
clear_other_lot (StriaeBatchPage *self)
{
  if (g_strcmp0 (self->shown_lot, self->lot) == 0)
    return;

  clear_rows (self);
  g_clear_pointer (&self->shown_lot, g_free);
  gtk_stack_set_visible_child_name (self->stack, "reading");
}

static void
search_changed_cb (StriaeBatchPage *self,
                   GtkSearchEntry  *entry)
{
  g_autofree char *typed = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));

  /* The entry's own delayed search after striae_batch_page_search() set its text: under
   * way or done already. */
  if (g_strcmp0 (typed, self->lot) == 0)
    return;
  striae_batch_page_search (self, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

/**
 * striae_batch_page_search:
 * @lot: the batch or lot number, as typed ("" shows how to search)
 *
 * Lists the sessions that received @lot, as the records say now, read in a worker thread: the
 * rows of the same lot stay shown meanwhile, another lot's give way to a placeholder.
 * striae_batch_page_get_reading() says when it is done.
 */
void
striae_batch_page_search (StriaeBatchPage *self,
                          const char      *lot)
{
  g_autoptr(GCancellable) reading = NULL;

  g_return_if_fail (STRIAE_IS_BATCH_PAGE (self));
  g_return_if_fail (lot != NULL);

  /* Setting the text empties the entry first, which the search entry reports at once: that
   * is not a search of its own. */
  g_signal_handlers_block_by_func (self->entry, search_changed_cb, self);
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->entry)), lot) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->entry), lot);
  g_signal_handlers_unblock_by_func (self->entry, search_changed_cb, self);
  g_free (self->lot);
  self->lot = g_strstrip (g_strdup (lot));
  if (self->store == NULL || *self->lot == '\0')
    {
      set_reading (self, NULL);
      clear_rows (self);
      g_clear_pointer (&self->shown_lot, g_free);
      show_start (self);
      return;
    }

  reading = g_cancellable_new ();
  set_reading (self, reading);
  clear_other_lot (self);
  striae_store_find_batch_async (self->store, self->lot, reading, find_batch_cb,
                                 g_object_ref (self));
}

/**
 * striae_batch_page_get_reading:
 *
 * Returns: whether a lot is being looked for (after striae_batch_page_search())
 */
gboolean
striae_batch_page_get_reading (StriaeBatchPage *self)
{
  g_return_val_if_fail (STRIAE_IS_BATCH_PAGE (self), FALSE);

  return self->reading != NULL;
}

/* The lot typed, looked for again: the records may have changed since. */
void
striae_batch_page_reload (StriaeBatchPage *self)
{
  g_autofree char *lot = NULL;

  g_return_if_fail (STRIAE_IS_BATCH_PAGE (self));

  lot = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry)));
  striae_batch_page_search (self, lot);
}

static void
stop_search_cb (StriaeBatchPage *self)
{
  g_signal_emit (self, signals [CLOSE], 0);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  g_signal_emit (widget, signals [OPEN_PATIENT], 0, g_variant_get_int64 (parameter));
}

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  g_signal_emit (widget, signals [CLOSE], 0);
}

static void
striae_batch_page_dispose (GObject *object)
{
  StriaeBatchPage *self = (StriaeBatchPage *)object;

  g_clear_object (&self->watch);
  g_cancellable_cancel (self->reading);
  g_clear_object (&self->reading);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), STRIAE_TYPE_BATCH_PAGE);
  g_clear_object (&self->store);
  g_clear_pointer (&self->shown_lot, g_free);
  g_clear_pointer (&self->lot, g_free);

  G_OBJECT_CLASS (striae_batch_page_parent_class)->dispose (object);
}

static void
striae_batch_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  StriaeBatchPage *self = STRIAE_BATCH_PAGE (object);

  switch (prop_id)
    {
    case PROP_READING:
      g_value_set_boolean (value, striae_batch_page_get_reading (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_batch_page_class_init (StriaeBatchPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = striae_batch_page_dispose;
  object_class->get_property = striae_batch_page_get_property;

  /* Whether a lot is being looked for in a worker thread. */
  properties [PROP_READING] =
    g_param_spec_boolean ("reading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The patient of a row is to be shown. */
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
                                               "/io/github/striae/Striae/ui/striae-batch-page.ui");
  gtk_widget_class_bind_template_child (widget_class, StriaeBatchPage, entry);
  gtk_widget_class_bind_template_child (widget_class, StriaeBatchPage, stack);
  gtk_widget_class_bind_template_child (widget_class, StriaeBatchPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, StriaeBatchPage, list);
  gtk_widget_class_bind_template_child (widget_class, StriaeBatchPage, status);
  gtk_widget_class_bind_template_child (widget_class, StriaeBatchPage, reading_placeholder);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);

  gtk_widget_class_install_action (widget_class, "batch.open", "x", open_action);
  gtk_widget_class_install_action (widget_class, "batch.close", NULL, close_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "batch.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK,
                                       "batch.close", NULL);
}

static void
striae_batch_page_init (StriaeBatchPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  striae_accessible_name_buttons (GTK_WIDGET (self));
  self->rows = g_ptr_array_new ();
  /* The placeholder turns its spinner while the records are read, and shows it after a
   * moment. */
  g_object_bind_property (self, "reading", self->reading_placeholder, "active",
                          G_BINDING_SYNC_CREATE);
  /* A session recorded on another PC with the lot shown is listed without typing again. */
  self->watch = striae_records_watch_new (GTK_WIDGET (self));
  g_signal_connect_object (self->watch, "reload", G_CALLBACK (striae_batch_page_reload),
                           self, G_CONNECT_SWAPPED);
  show_start (self);
}

GtkWidget *
striae_batch_page_new (void)
{
  return g_object_new (STRIAE_TYPE_BATCH_PAGE, NULL);
}

void
striae_batch_page_set_store (StriaeBatchPage *self,
                             StriaeStore     *store)
{
  g_return_if_fail (STRIAE_IS_BATCH_PAGE (self));
  g_return_if_fail (store == NULL || STRIAE_IS_STORE (store));

  if (g_set_object (&self->store, store))
    {
      striae_records_watch_set_store (self->watch, store);
      striae_batch_page_reload (self);
    }
}

/* The keyboard goes to the search, its text selected for the next lot. */
void
striae_batch_page_focus (StriaeBatchPage *self)
{
  g_return_if_fail (STRIAE_IS_BATCH_PAGE (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->entry));
  gtk_editable_select_region (GTK_EDITABLE (self->entry), 0, -1);
}

guint
striae_batch_page_get_n_rows (StriaeBatchPage *self)
{
  g_return_val_if_fail (STRIAE_IS_BATCH_PAGE (self), 0);
  return self->rows->len;
}

GtkWidget *
striae_batch_page_get_row (StriaeBatchPage *self,
                           guint            position)
{
  g_return_val_if_fail (STRIAE_IS_BATCH_PAGE (self), NULL);
  g_return_val_if_fail (position < self->rows->len, NULL);
  return g_ptr_array_index (self->rows, position);
}
