/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "striae-patient-list.h"

/* Enough for the rows a window shows, several times over, and a few KB of memory. */
#define CACHE_SIZE 256

struct _StriaePatientList
{
  GObject        parent_instance;

  StriaeStore   *store;
  char          *query;
  gboolean       archived;
  GArray        *ids;
  GCancellable  *cancellable;
  GMainContext  *context;
  gboolean       loading;
  char          *problem;      /* why the last search failed (the server is gone), or NULL */

  /* A bounded cache: the table maps ids to patients, the ring remembers the order in which
   * they came so that the oldest goes first. */
  GHashTable    *cache;
  gint64         ring [CACHE_SIZE];
  guint          ring_next;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (StriaePatientList, striae_patient_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_STORE,
  PROP_QUERY,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
cache_clear (StriaePatientList *self)
{
  g_hash_table_remove_all (self->cache);
  memset (self->ring, 0, sizeof self->ring);
  self->ring_next = 0;
}

static void
cache_insert (StriaePatientList *self,
              StriaePatient     *patient)
{
  gint64 id = striae_patient_get_id (patient);
  gint64 oldest = self->ring [self->ring_next];

  if (oldest != 0)
    g_hash_table_remove (self->cache, &oldest);

  self->ring [self->ring_next] = id;
  self->ring_next = (self->ring_next + 1) % CACHE_SIZE;
  g_hash_table_insert (self->cache, g_memdup2 (&id, sizeof id), g_object_ref (patient));
}

static GType
striae_patient_list_get_item_type (GListModel *model)
{
  return STRIAE_TYPE_PATIENT;
}

static guint
striae_patient_list_get_n_items (GListModel *model)
{
  StriaePatientList *self = STRIAE_PATIENT_LIST (model);

  return self->ids->len;
}

static gpointer
striae_patient_list_get_item (GListModel *model,
                              guint       position)
{
  StriaePatientList *self = STRIAE_PATIENT_LIST (model);
  g_autoptr(GError) error = NULL;
  StriaePatient *patient;
  gint64 id;

  if (position >= self->ids->len)
    return NULL;

  id = g_array_index (self->ids, gint64, position);
  patient = g_hash_table_lookup (self->cache, &id);
  if (patient != NULL)
    return g_object_ref (patient);

  patient = striae_store_get_patient (self->store, id, &error);
  if (patient == NULL)
    {
      /* Deleted since the search ran; the reload the store's signal started will drop the
       * row. Until then a blank patient keeps the model consistent. */
      g_debug ("Patient %" G_GINT64_FORMAT " is gone from the list: %s", id, error->message);
      patient = striae_patient_new ();
      striae_patient_set_id (patient, id);
      return patient;
    }

  cache_insert (self, patient);
  return patient;
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = striae_patient_list_get_item_type;
  iface->get_n_items = striae_patient_list_get_n_items;
  iface->get_item = striae_patient_list_get_item;
}

static void
set_loading (StriaePatientList *self,
             gboolean           loading)
{
  if (self->loading == loading)
    return;

  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_LOADING]);
}

/* A search in flight holds the list weakly, so that dropping the list is not delayed by it. */
static void
search_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GWeakRef *weak = user_data;
  g_autoptr(StriaePatientList) self = g_weak_ref_get (weak);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;
  guint removed, added;

  g_weak_ref_clear (weak);
  g_free (weak);

  ids = striae_store_search_patients_finish (STRIAE_STORE (source), result, &error);
  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->cancellable);

  /* Rather than patients of a search that could not be made, none, and why. */
  g_clear_pointer (&self->problem, g_free);
  if (ids == NULL)
    {
      g_message ("Could not search the patients: %s", error->message);
      self->problem = g_strdup (error->message);
      ids = g_array_new (FALSE, FALSE, sizeof (gint64));
    }

  removed = self->ids->len;
  added = ids->len;
  g_array_unref (self->ids);
  self->ids = g_steal_pointer (&ids);
  cache_clear (self);

  if (removed > 0 || added > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, added);

  set_loading (self, FALSE);
}

/* Runs the current query again, in a worker thread; "items-changed" follows once with the
 * new results. A reload still running is cancelled. */
void
striae_patient_list_reload (StriaePatientList *self)
{
  GWeakRef *weak;

  g_return_if_fail (STRIAE_IS_PATIENT_LIST (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  weak = g_new0 (GWeakRef, 1);
  g_weak_ref_init (weak, self);

  set_loading (self, TRUE);
  striae_store_search_patients_full_async (self->store, self->query, 0,
                                           self->archived ? STRIAE_SEARCH_FLAGS_ARCHIVED
                                                          : STRIAE_SEARCH_FLAGS_NONE,
                                           self->cancellable, search_cb, weak);
}

typedef struct
{
  StriaePatientList *self;
  gint64             id;
} ChangeData;

static void
change_data_free (ChangeData *data)
{
  g_object_unref (data->self);
  g_free (data);
}

static gboolean
apply_change (gpointer user_data)
{
  ChangeData *data = user_data;

  if (data->id != 0)
    g_hash_table_remove (data->self->cache, &data->id);
  else
    cache_clear (data->self);

  striae_patient_list_reload (data->self);

  return G_SOURCE_REMOVE;
}

/* The store may change in any thread; the list lives in the thread that made it. */
static void
patients_changed_cb (StriaePatientList *self,
                     gint64             id,
                     StriaeStore       *store)
{
  ChangeData *data = g_new0 (ChangeData, 1);

  data->self = g_object_ref (self);
  data->id = id;
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, apply_change, data,
                              (GDestroyNotify) change_data_free);
}

static void
striae_patient_list_constructed (GObject *object)
{
  StriaePatientList *self = (StriaePatientList *)object;

  G_OBJECT_CLASS (striae_patient_list_parent_class)->constructed (object);

  g_assert (STRIAE_IS_STORE (self->store));

  g_signal_connect_object (self->store, "patients-changed",
                           G_CALLBACK (patients_changed_cb), self, G_CONNECT_SWAPPED);
  striae_patient_list_reload (self);
}

static void
striae_patient_list_dispose (GObject *object)
{
  StriaePatientList *self = (StriaePatientList *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);
  if (self->cache != NULL)
    cache_clear (self);

  G_OBJECT_CLASS (striae_patient_list_parent_class)->dispose (object);
}

static void
striae_patient_list_finalize (GObject *object)
{
  StriaePatientList *self = (StriaePatientList *)object;

  g_clear_pointer (&self->query, g_free);
  g_clear_pointer (&self->problem, g_free);
  g_clear_pointer (&self->ids, g_array_unref);
  g_clear_pointer (&self->cache, g_hash_table_unref);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (striae_patient_list_parent_class)->finalize (object);
}

static void
striae_patient_list_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  StriaePatientList *self = STRIAE_PATIENT_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_QUERY:
      g_value_set_string (value, self->query);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_patient_list_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  StriaePatientList *self = STRIAE_PATIENT_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_QUERY:
      striae_patient_list_set_query (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_patient_list_class_init (StriaePatientListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = striae_patient_list_constructed;
  object_class->dispose = striae_patient_list_dispose;
  object_class->finalize = striae_patient_list_finalize;
  object_class->get_property = striae_patient_list_get_property;
  object_class->set_property = striae_patient_list_set_property;

  properties [PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         STRIAE_TYPE_STORE,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS));

  properties [PROP_QUERY] =
    g_param_spec_string ("query", NULL, NULL,
                         "",
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties [PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE |
                           G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
striae_patient_list_init (StriaePatientList *self)
{
  self->query = g_strdup ("");
  self->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->cache = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  self->context = g_main_context_ref_thread_default ();
}

/* Starts listing every patient; see striae_patient_list_set_query(). */
StriaePatientList *
striae_patient_list_new (StriaeStore *store)
{
  g_return_val_if_fail (STRIAE_IS_STORE (store), NULL);

  return g_object_new (STRIAE_TYPE_PATIENT_LIST, "store", store, NULL);
}

StriaeStore *
striae_patient_list_get_store (StriaePatientList *self)
{
  g_return_val_if_fail (STRIAE_IS_PATIENT_LIST (self), NULL);
  return self->store;
}

const char *
striae_patient_list_get_query (StriaePatientList *self)
{
  g_return_val_if_fail (STRIAE_IS_PATIENT_LIST (self), NULL);
  return self->query;
}

/* Searches for @text (NULL or empty lists everyone) in a worker thread; the list keeps its
 * old items, with "loading" TRUE, until the results replace them in one "items-changed". */
void
striae_patient_list_set_query (StriaePatientList *self,
                               const char        *text)
{
  g_return_if_fail (STRIAE_IS_PATIENT_LIST (self));

  if (text == NULL)
    text = "";

  if (g_strcmp0 (self->query, text) == 0)
    return;

  g_free (self->query);
  self->query = g_strdup (text);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_QUERY]);

  /* Before construction ends there is no store yet; constructed() loads. */
  if (self->store != NULL)
    striae_patient_list_reload (self);
}

/* Whether the list holds the archived patients rather than the others. */
gboolean
striae_patient_list_get_archived (StriaePatientList *self)
{
  g_return_val_if_fail (STRIAE_IS_PATIENT_LIST (self), FALSE);
  return self->archived;
}

/* Lists the archived patients (%TRUE) or the others, with the same query; like a new query,
 * the old items stay until the results replace them. */
void
striae_patient_list_set_archived (StriaePatientList *self,
                                  gboolean           archived)
{
  g_return_if_fail (STRIAE_IS_PATIENT_LIST (self));

  archived = !!archived;
  if (self->archived == archived)
    return;

  self->archived = archived;
  if (self->store != NULL)
    striae_patient_list_reload (self);
}

gboolean
striae_patient_list_get_loading (StriaePatientList *self)
{
  g_return_val_if_fail (STRIAE_IS_PATIENT_LIST (self), FALSE);
  return self->loading;
}

/* Why the last search failed (the clinic server cannot be reached, say): the list is empty
 * then. NULL after a search that was made. */
const char *
striae_patient_list_get_problem (StriaePatientList *self)
{
  g_return_val_if_fail (STRIAE_IS_PATIENT_LIST (self), NULL);
  return self->problem;
}

/* The id at @position, without loading the patient; 0 past the end. */
gint64
striae_patient_list_get_id (StriaePatientList *self,
                            guint              position)
{
  g_return_val_if_fail (STRIAE_IS_PATIENT_LIST (self), 0);

  if (position >= self->ids->len)
    return 0;

  return g_array_index (self->ids, gint64, position);
}
