/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "striae-records-watch.h"

struct _StriaeRecordsWatch
{
  GObject      parent_instance;

  /* The page that reads again; it owns the watch. */
  GtkWidget   *page;
  StriaeStore *store;
  /* Several changes in a row wait for this idle to read once. */
  guint        reload_id;
};

G_DEFINE_FINAL_TYPE (StriaeRecordsWatch, striae_records_watch, G_TYPE_OBJECT)

enum {
  RELOAD,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static gboolean
reload_cb (gpointer user_data)
{
  StriaeRecordsWatch *self = user_data;

  self->reload_id = 0;
  g_signal_emit (self, signals [RELOAD], 0);
  return G_SOURCE_REMOVE;
}

static gboolean
schedule_reload_cb (gpointer user_data)
{
  g_autoptr(StriaeRecordsWatch) self = g_weak_ref_get (user_data);

  if (self != NULL && self->store != NULL && self->reload_id == 0 &&
      self->page != NULL && gtk_widget_get_mapped (self->page))
    self->reload_id = g_idle_add (reload_cb, self);
  return G_SOURCE_REMOVE;
}

static void
weak_ref_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

/* The records changed, here or on another PC (striae_store_check_changes()); the signal may
 * come from any thread, the page lives in the main one. */
static void
records_changed_cb (StriaeRecordsWatch *self,
                    gint64              id,
                    StriaeStore        *store)
{
  GWeakRef *ref = g_new0 (GWeakRef, 1);

  g_weak_ref_init (ref, self);
  g_main_context_invoke_full (NULL, G_PRIORITY_DEFAULT, schedule_reload_cb, ref,
                              weak_ref_free);
}

static void
striae_records_watch_dispose (GObject *object)
{
  StriaeRecordsWatch *self = (StriaeRecordsWatch *)object;

  g_clear_handle_id (&self->reload_id, g_source_remove);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);
  g_clear_weak_pointer (&self->page);

  G_OBJECT_CLASS (striae_records_watch_parent_class)->dispose (object);
}

static void
striae_records_watch_class_init (StriaeRecordsWatchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = striae_records_watch_dispose;

  /* The records changed while the page is shown: it reads them again. */
  signals [RELOAD] =
    g_signal_new ("reload", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
striae_records_watch_init (StriaeRecordsWatch *self)
{
}

StriaeRecordsWatch *
striae_records_watch_new (GtkWidget *page)
{
  StriaeRecordsWatch *self;

  g_return_val_if_fail (GTK_IS_WIDGET (page), NULL);

  self = g_object_new (STRIAE_TYPE_RECORDS_WATCH, NULL);
  g_set_weak_pointer (&self->page, page);
  return self;
}

/* The records to follow, or %NULL for none. */
void
striae_records_watch_set_store (StriaeRecordsWatch *self,
                                StriaeStore        *store)
{
  g_return_if_fail (STRIAE_IS_RECORDS_WATCH (self));
  g_return_if_fail (store == NULL || STRIAE_IS_STORE (store));

  if (self->store == store)
    return;
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_handle_id (&self->reload_id, g_source_remove);
  g_set_object (&self->store, store);
  if (store != NULL)
    g_signal_connect_object (store, "patients-changed", G_CALLBACK (records_changed_cb), self,
                             G_CONNECT_SWAPPED);
}
