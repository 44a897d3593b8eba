/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "striae-patient-list.h"

/* Enough for the rows a window shows, several times over, and a few KB of memory. */
#define CACHE_SIZE 256

/* The rows asked for at a time: a few screens of them. The next page is asked for when an
 * item less than half a page from the end is wanted, so that it has usually arrived by the
 * time the list is scrolled there. */
#define PAGE_SIZE STRIAE_PATIENT_LIST_PAGE_SIZE

/* The first page holds what a screen shows, so that the window draws its first rows without
 * making the rows of further pages first; those come next, at a priority below the frames
 * (issue 15). */
#define FIRST_PAGE_SIZE STRIAE_PATIENT_LIST_FIRST_PAGE_SIZE

/* What the count counts up to: enough to say "more than 1 000". */
#define COUNT_CAP 1001

struct _StriaePatientList
{
  GObject        parent_instance;

  StriaeStore   *store;
  char          *query;
  gboolean       archived;
  GPtrArray     *rows;         /* StriaePatientSummary, in the search's order */
  gboolean       complete;     /* every row of the search is in rows */
  gboolean       fetching;     /* a next page is on its way */
  GCancellable  *cancellable;  /* the search in flight: first page, next page and count */
  GMainContext  *context;
  gboolean       loading;
  char          *problem;      /* why the last search failed (the server is gone), or NULL */
  gint64         matches;      /* the count, up to COUNT_CAP; -1 while not known */
  gboolean       counting;
  guint          first_page_size;

  /* A bounded cache of the items made from the rows: the table maps ids to patients, the
   * ring remembers the order in which they came so that the oldest goes first. */
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
  PROP_MATCHES,
  PROP_FIRST_PAGE_SIZE,
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

  return self->rows->len;
}

static void fetch_next_page (StriaePatientList *self);

/* The item of a row: a patient with what the row holds (id, names, date of birth) and
 * nothing more, made without asking the store. */
static StriaePatient *
patient_from_row (const StriaePatientSummary *row)
{
  StriaePatient *patient = striae_patient_new ();
  GDate date;

  striae_patient_set_id (patient, row->id);
  striae_patient_set_given_name (patient, row->given_name);
  striae_patient_set_family_name (patient, row->family_name);
  /* As the store reads a patient: an unknown date stays unknown. */
  striae_parse_optional_iso_date (row->birth_date, &date, NULL);
  striae_patient_set_birth_date (patient, &date);
  return patient;
}

static gpointer
striae_patient_list_get_item (GListModel *model,
                              guint       position)
{
  StriaePatientList *self = STRIAE_PATIENT_LIST (model);
  const StriaePatientSummary *row;
  StriaePatient *patient;

  if (position >= self->rows->len)
    return NULL;

  /* Near the end of what is here: ask for more, which arrives with "items-changed". */
  if (position + PAGE_SIZE / 2 >= self->rows->len)
    fetch_next_page (self);

  row = g_ptr_array_index (self->rows, position);
  patient = g_hash_table_lookup (self->cache, &row->id);
  if (patient != NULL)
    return g_object_ref (patient);

  patient = patient_from_row (row);
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

static StriaeSearchFlags
search_flags (StriaePatientList *self)
{
  return self->archived ? STRIAE_SEARCH_FLAGS_ARCHIVED : STRIAE_SEARCH_FLAGS_NONE;
}

static GWeakRef *
weak_new (StriaePatientList *self)
{
  GWeakRef *weak = g_new0 (GWeakRef, 1);

  g_weak_ref_init (weak, self);
  return weak;
}

/* Takes the list from what a search in flight holds: weakly, so that dropping the list is
 * not delayed by it. NULL when the list is gone. */
static StriaePatientList *
weak_steal (GWeakRef *weak)
{
  StriaePatientList *self = g_weak_ref_get (weak);

  g_weak_ref_clear (weak);
  g_free (weak);
  return self;
}

static void
set_matches (StriaePatientList *self,
             gint64             matches)
{
  if (self->matches == matches)
    return;

  self->matches = matches;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_MATCHES]);
}

static void
first_page_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(StriaePatientList) self = weak_steal (user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  guint removed, added;

  rows = striae_store_search_rows_finish (STRIAE_STORE (source), result, &error);
  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* Rather than patients of a search that could not be made, none, and why. */
  g_clear_pointer (&self->problem, g_free);
  if (rows == NULL)
    {
      g_message ("Could not search the patients: %s", error->message);
      self->problem = g_strdup (error->message);
      rows = g_ptr_array_new_with_free_func ((GDestroyNotify) striae_patient_summary_free);
    }

  removed = self->rows->len;
  added = rows->len;
  g_ptr_array_unref (self->rows);
  self->rows = g_steal_pointer (&rows);
  self->complete = added < self->first_page_size;
  self->fetching = FALSE;
  cache_clear (self);

  /* Every row is here: that is the count, without asking for it. */
  if (self->complete)
    set_matches (self, added);

  if (removed > 0 || added > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, added);

  set_loading (self, FALSE);
}

static void
next_page_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(StriaePatientList) self = weak_steal (user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  guint position;

  rows = striae_store_search_rows_finish (STRIAE_STORE (source), result, &error);
  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->fetching = FALSE;
  if (rows == NULL)
    {
      /* The rows already shown stay; scrolling to the end asks again. */
      g_message ("Could not list more patients: %s", error->message);
      return;
    }

  position = self->rows->len;
  self->complete = rows->len < PAGE_SIZE;
  g_ptr_array_extend_and_steal (self->rows, g_steal_pointer (&rows));
  if (self->complete)
    set_matches (self, self->rows->len);

  if (self->rows->len > position)
    g_list_model_items_changed (G_LIST_MODEL (self), position, 0, self->rows->len - position);
}

/* Asks for the page after the last row here, unless every row is here or it is on its way
 * already, or the first page is still to come. */
static void
fetch_next_page (StriaePatientList *self)
{
  if (self->complete || self->fetching || self->loading || self->rows->len == 0)
    return;

  self->fetching = TRUE;
  striae_store_search_rows_async (self->store, self->query, search_flags (self),
                                  g_ptr_array_index (self->rows, self->rows->len - 1),
                                  PAGE_SIZE, G_PRIORITY_LOW, self->cancellable, next_page_cb,
                                  weak_new (self));
}

static void
count_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(StriaePatientList) self = weak_steal (user_data);
  g_autoptr(GError) error = NULL;
  gint64 matches;

  matches = striae_store_count_matches_finish (STRIAE_STORE (source), result, &error);
  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->counting = FALSE;
  if (matches < 0)
    {
      g_message ("Could not count the patients: %s", error->message);
      return;
    }
  set_matches (self, matches);
}

/* Runs the current query again, in a worker thread; "items-changed" follows once with the
 * first page of the new results. A reload still running is cancelled, and so are the page
 * and the count it was asking for. */
void
striae_patient_list_reload (StriaePatientList *self)
{
  g_return_if_fail (STRIAE_IS_PATIENT_LIST (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->fetching = FALSE;
  self->counting = FALSE;
  set_matches (self, -1);

  set_loading (self, TRUE);
  striae_store_search_rows_async (self->store, self->query, search_flags (self), NULL,
                                  self->first_page_size, G_PRIORITY_DEFAULT, self->cancellable,
                                  first_page_cb,
                                  weak_new (self));
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
  g_clear_pointer (&self->rows, g_ptr_array_unref);
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
    case PROP_MATCHES:
      g_value_set_int64 (value, striae_patient_list_get_matches (self));
      break;
    case PROP_FIRST_PAGE_SIZE:
      g_value_set_uint (value, self->first_page_size);
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
    case PROP_FIRST_PAGE_SIZE:
      self->first_page_size = g_value_get_uint (value);
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

  /* How many patients match, up to 1 001 (so "more than 1 000"), -1 while not known: counted
   * in the background when first asked for, so that nothing counts what nobody shows. */
  properties [PROP_MATCHES] =
    g_param_spec_int64 ("matches", NULL, NULL,
                        -1, G_MAXINT64, -1,
                        (G_PARAM_READABLE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  /* The rows of a search's first page: what the list shows at once (a window asks for what
   * its height holds), the next pages coming as it binds its last rows. */
  properties [PROP_FIRST_PAGE_SIZE] =
    g_param_spec_uint ("first-page-size", NULL, NULL,
                       1, PAGE_SIZE, FIRST_PAGE_SIZE,
                       (G_PARAM_READWRITE |
                        G_PARAM_CONSTRUCT_ONLY |
                        G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
striae_patient_list_init (StriaePatientList *self)
{
  self->query = g_strdup ("");
  self->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) striae_patient_summary_free);
  self->matches = -1;
  self->first_page_size = FIRST_PAGE_SIZE;
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

guint
striae_patient_list_get_first_page_size (StriaePatientList *self)
{
  g_return_val_if_fail (STRIAE_IS_PATIENT_LIST (self), 0);
  return self->first_page_size;
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

/* The id at @position; 0 past the end. */
gint64
striae_patient_list_get_id (StriaePatientList *self,
                            guint              position)
{
  g_return_val_if_fail (STRIAE_IS_PATIENT_LIST (self), 0);

  if (position >= self->rows->len)
    return 0;

  return ((StriaePatientSummary *) g_ptr_array_index (self->rows, position))->id;
}

/* The row at @position, as the search gave it (names, date of birth, draft flag); NULL past
 * the end. Owned by the list until its next "items-changed". */
const StriaePatientSummary *
striae_patient_list_get_row (StriaePatientList *self,
                             guint              position)
{
  g_return_val_if_fail (STRIAE_IS_PATIENT_LIST (self), NULL);

  if (position >= self->rows->len)
    return NULL;

  return g_ptr_array_index (self->rows, position);
}

/* Whether the patient at @position had a consultation open as a draft when the row was
 * read (the list reloads when a consultation is saved); FALSE past the end. */
gboolean
striae_patient_list_get_has_draft (StriaePatientList *self,
                                   guint              position)
{
  const StriaePatientSummary *row = striae_patient_list_get_row (self, position);

  return row != NULL && row->has_draft;
}

/* Whether every row of the search is in the list; when not, asking for an item near the
 * end brings the next page. */
gboolean
striae_patient_list_get_complete (StriaePatientList *self)
{
  g_return_val_if_fail (STRIAE_IS_PATIENT_LIST (self), FALSE);
  return self->complete && !self->loading;
}

/**
 * striae_patient_list_get_matches:
 *
 * How many patients match the query, counted no further than 1 001; -1 while not known. The
 * first call for a search starts the count in the background ("notify::matches" tells when
 * it is known), unless every row is in the list already, which is the count.
 *
 * Returns: the count, or -1
 */
gint64
striae_patient_list_get_matches (StriaePatientList *self)
{
  g_return_val_if_fail (STRIAE_IS_PATIENT_LIST (self), -1);

  if (self->matches < 0 && !self->counting && self->store != NULL &&
      self->cancellable != NULL)
    {
      self->counting = TRUE;
      striae_store_count_matches_async (self->store, self->query, search_flags (self),
                                        COUNT_CAP, self->cancellable, count_cb,
                                        weak_new (self));
    }

  return self->matches;
}
