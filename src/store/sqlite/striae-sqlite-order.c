/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/resource.h>

#include "striae-sqlite-order.h"

/* The register's order in memory: the ids of the patients in the order of the index on
 * (archived, sort_key), and by id a label for each that grows along that order; 8 bytes a
 * patient (ids are patients' rowids, dense from 1), built in one pass over that index by a
 * worker thread (SqliteOrderBuild), then kept up to date in place for the patients this
 * process changes (order_fold ()). A search compares labels only, so they are spread over
 * the 32 bits with gaps between them: a patient put back takes a label between its
 * neighbours' and no other patient's label changes, but where a gap is used up
 * (order_relabel ()). */
struct _SqliteOrder
{
  guint32 *labels;    /* by id: the label of the patient with that id (1 or more); 0: none */
  gsize    n_ids;
  guint32 *ids;       /* in the order */
  guint32  n;         /* patients in the order */
  gsize    n_alloc;   /* room in ids */
  guint32  n_active;  /* ids[0 … n_active - 1] are the patients not archived */
};

/* No label is this or more: the archived patients' labels end below it. */
#define LABELS_END G_MAXUINT32

void
sqlite_order_free (SqliteOrder *order)
{
  if (order == NULL)
    return;
  g_free (order->labels);
  g_free (order->ids);
  g_free (order);
}

/* Room for the label of @id. */
static gboolean
order_reserve_id (SqliteOrder *order,
                  gint64       id)
{
  if (id < 0 || id >= G_MAXUINT32)
    return FALSE;
  if ((gsize) id >= order->n_ids)
    {
      gsize n_ids = MAX ((gsize) id + 1, order->n_ids * 2);

      order->labels = g_renew (guint32, order->labels, n_ids);
      memset (order->labels + order->n_ids, 0, (n_ids - order->n_ids) * sizeof (guint32));
      order->n_ids = n_ids;
    }
  return TRUE;
}

/* Room for one more patient. */
static void
order_reserve_place (SqliteOrder *order)
{
  if (order->n < order->n_alloc)
    return;
  order->n_alloc = MAX (1024, order->n_alloc * 2);
  order->ids = g_renew (guint32, order->ids, order->n_alloc);
}

/* The most patients an order holds: room for eight labels each, so that spreading them
 * (order_relabel ()) always finds room. */
#define MAX_PATIENTS (LABELS_END / 8)

/* @id at the end of the order (its label given by order_relabel () once all are in). */
static gboolean
order_append (SqliteOrder *order,
              gint64       id)
{
  if (order->n >= MAX_PATIENTS || !order_reserve_id (order, id))
    return FALSE;
  order_reserve_place (order);
  order->ids[order->n++] = (guint32) id;
  order->labels[id] = order->n;
  return TRUE;
}

static guint32
label_at (const SqliteOrder *order,
          guint32            place)
{
  return order->labels[order->ids[place]];
}

/* The labels of places @first to @last - 1 spread evenly between the labels of their
 * neighbours (0 and LABELS_END at the ends). The caller checks that there is room. */
static void
order_spread (SqliteOrder *order,
              guint32      first,
              guint32      last)
{
  guint64 low = first > 0 ? label_at (order, first - 1) : 0;
  guint64 high = last < order->n ? label_at (order, last) : LABELS_END;
  guint64 step = (high - low) / (last - first + 1);

  for (guint32 i = first; i < last; i++)
    order->labels[order->ids[i]] = (guint32) (low + step * (i - first + 1));
}

/* Where the gap around @place is used up: the labels of a stretch around it, twice as long
 * each time until it holds at most a quarter of the labels between its neighbours, spread
 * again (each stretch relabelled is then rarely needed again: a few dozen patients put back
 * between the same two before the next). */
static void
order_relabel (SqliteOrder *order,
               guint32      place)
{
  for (guint32 width = 2;; width *= 2)
    {
      guint32 first = place - MIN (place, width / 2);
      guint32 last = MIN ((guint64) order->n, (guint64) first + width);
      guint64 low = first > 0 ? label_at (order, first - 1) : 0;
      guint64 high = last < order->n ? label_at (order, last) : LABELS_END;

      if ((high - low) / 4 >= last - first || (first == 0 && last == order->n))
        {
          order_spread (order, first, last);
          return;
        }
    }
}

guint32
sqlite_order_label (const SqliteOrder *order,
                    gint64             id)
{
  return id >= 0 && (guint64) id < order->n_ids ? order->labels[id] : 0;
}

/* The labels of the patients archived (@archived) or not lie in [*@first, *@last]. */
void
sqlite_order_get_span (const SqliteOrder *order,
                       gboolean           archived,
                       guint32           *first,
                       guint32           *last)
{
  guint32 last_active = order->n_active > 0 ? label_at (order, order->n_active - 1) : 0;

  *first = archived ? last_active + 1 : 1;
  *last = archived ? LABELS_END : last_active;
}

/* The bytes the order holds, for bench-patients. */
gsize
striae_sqlite_backend_order_get_size (const SqliteOrder *order)
{
  return order->n_ids * sizeof (guint32) + order->n_alloc * sizeof (guint32);
}

/* Reads the order in one pass; each row counts as a row a search read, also in the
 * background (a test counts them, or slows them). */
static SqliteOrder *
order_new (const SqlitePreparer  *preparer,
           GError               **error)
{
  static const char order_sql[] =
    "SELECT id, archived FROM patients INDEXED BY patients_by_archived_sort_key"
    "  ORDER BY archived, sort_key, id";
  sqlite3_stmt *stmt = preparer->prepare (preparer->data, order_sql, error);
  g_autoptr(SqliteOrder) order = g_new0 (SqliteOrder, 1);
  int rc;

  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW &&
         order_append (order, sqlite3_column_int64 (stmt, 0)))
    {
      if (sqlite3_column_int (stmt, 1) == 0)
        order->n_active = order->n;
      striae_store_debug_row_read ();
    }
  if (rc == SQLITE_ROW)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FAILED,
                   "%s: a patient id out of range, or too many patients", preparer->path);
      preparer->done (stmt);
      return NULL;
    }
  if (rc != SQLITE_DONE)
    sqlite_set_error (error, preparer->path, sqlite3_db_handle (stmt), rc);
  preparer->done (stmt);
  if (rc != SQLITE_DONE)
    return NULL;
  order_spread (order, 0, order->n);
  return g_steal_pointer (&order);
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  gint64 ia = *(const gint64 *) a;
  gint64 ib = *(const gint64 *) b;

  return ia < ib ? -1 : ia > ib;
}

/* The place of the patient labelled @label, found by halving the order. */
static guint32
order_find (const SqliteOrder *order,
            guint32            label)
{
  guint32 low = 0, high = order->n;

  while (low < high)
    {
      guint32 middle = low + (high - low) / 2;

      if (label_at (order, middle) < label)
        low = middle + 1;
      else
        high = middle;
    }
  return low;
}

static int
compare_places (gconstpointer a,
                gconstpointer b)
{
  guint32 pa = *(const guint32 *) a;
  guint32 pb = *(const guint32 *) b;

  return pa < pb ? -1 : pa > pb;
}

/* Takes the patients of @changed (each once) out of the order: their places found by their
 * labels, then the patients between them moved down, a stretch at a time. */
static void
order_take_out (SqliteOrder *order,
                GArray      *changed)
{
  g_autoptr(GArray) places = g_array_new (FALSE, FALSE, sizeof (guint32));
  guint32 kept;

  for (guint i = 0; i < changed->len; i++)
    {
      guint32 label = sqlite_order_label (order, g_array_index (changed, gint64, i));
      guint32 place;

      if (label == 0)
        continue;
      place = order_find (order, label);
      g_array_append_val (places, place);
    }
  if (places->len == 0)
    return;

  g_array_sort (places, compare_places);
  kept = g_array_index (places, guint32, 0);
  for (guint i = 0; i < places->len; i++)
    {
      guint32 place = g_array_index (places, guint32, i);
      guint32 end = i + 1 < places->len ? g_array_index (places, guint32, i + 1) : order->n;

      order->labels[order->ids[place]] = 0;
      memmove (order->ids + kept, order->ids + place + 1, (end - place - 1) * sizeof (guint32));
      kept += end - place - 1;
    }
  for (guint i = places->len; i > 0; i--)
    if (g_array_index (places, guint32, i - 1) < order->n_active)
      order->n_active--;
  order->n = kept;
}

/* Whether the patient @other comes after the keys bound to @stmt (archived, sort key, id)
 * in the register's order, as SQLite compares them (the index's collation). */
static gboolean
order_comes_after (sqlite3_stmt  *stmt,
                   guint32        other,
                   gboolean      *after)
{
  int rc;

  sqlite3_reset (stmt);
  sqlite3_bind_int64 (stmt, 4, other);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return FALSE;
  *after = sqlite3_column_int (stmt, 0) != 0;
  striae_store_debug_row_read ();
  return TRUE;
}

/* @id at @place, labelled between its neighbours. */
static void
order_insert (SqliteOrder *order,
              guint32      place,
              gint64       id)
{
  guint64 low, high;

  order_reserve_place (order);
  memmove (order->ids + place + 1, order->ids + place, (order->n - place) * sizeof (guint32));
  order->ids[place] = (guint32) id;
  order->n++;

  low = place > 0 ? label_at (order, place - 1) : 0;
  high = place + 1 < order->n ? label_at (order, place + 1) : LABELS_END;
  if (high - low >= 2)
    order->labels[id] = (guint32) (low + (high - low) / 2);
  else
    order_relabel (order, place);
}

/* Puts @id back at its place, found by halving the order (about 20 looks at a million
 * patients); a patient no longer there (erased) stays out. */
static gboolean
order_put_back (SqliteOrder           *order,
                const SqlitePreparer  *preparer,
                gint64                 id,
                GError               **error)
{
  static const char keys_sql[] =
    "SELECT archived, sort_key FROM patients INDEXED BY patients_list_keys WHERE id = ?1";
  static const char after_sql[] =
    "SELECT (archived, sort_key, id) > (?1, ?2, ?3)"
    "  FROM patients INDEXED BY patients_list_keys WHERE id = ?4";
  sqlite3_stmt *keys = preparer->prepare (preparer->data, keys_sql, error);
  sqlite3_stmt *after = NULL;
  guint32 low = 0, high = order->n;
  gboolean archived;
  int rc;

  if (keys == NULL)
    return FALSE;
  sqlite3_bind_int64 (keys, 1, id);
  rc = sqlite3_step (keys);
  if (rc == SQLITE_DONE)
    {
      preparer->done (keys);
      return TRUE;
    }
  if (rc != SQLITE_ROW)
    sqlite_set_error (error, preparer->path, sqlite3_db_handle (keys), rc);
  else if (order->n >= MAX_PATIENTS || !order_reserve_id (order, id))
    g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FAILED,
                 "%s: a patient id out of range, or too many patients", preparer->path);
  else
    after = preparer->prepare (preparer->data, after_sql, error);
  if (after == NULL)
    {
      preparer->done (keys);
      return FALSE;
    }
  striae_store_debug_row_read ();
  archived = sqlite3_column_int (keys, 0) != 0;
  sqlite3_bind_int (after, 1, archived ? 1 : 0);
  sqlite3_bind_value (after, 2, sqlite3_column_value (keys, 1));
  sqlite3_bind_int64 (after, 3, id);

  /* The first place whose patient comes after @id. */
  while (low < high)
    {
      guint32 middle = low + (high - low) / 2;
      gboolean comes_after;

      if (!order_comes_after (after, order->ids[middle], &comes_after))
        {
          g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FAILED,
                       "%s: the register's order is out of step with its patients",
                       preparer->path);
          preparer->done (after);
          preparer->done (keys);
          return FALSE;
        }
      if (comes_after)
        high = middle;
      else
        low = middle + 1;
    }
  preparer->done (after);
  preparer->done (keys);

  order_insert (order, low, id);
  if (!archived)
    order->n_active++;
  return TRUE;
}

/* Brings the order up to date for the patients of @changed (ids, in any order, repeated
 * maybe), whose keys may have changed, who may be new or erased: taken out, then each put
 * back at its place as @preparer's connection sees the patients. The others must be as
 * the order has them. A failure leaves the order unusable. */
static gboolean
order_fold (SqliteOrder           *order,
            const SqlitePreparer  *preparer,
            GArray                *changed,
            GError               **error)
{
  guint unique = 0;

  g_array_sort (changed, compare_ids);
  for (guint i = 0; i < changed->len; i++)
    if (i == 0 || g_array_index (changed, gint64, i) != g_array_index (changed, gint64, i - 1))
      g_array_index (changed, gint64, unique++) = g_array_index (changed, gint64, i);
  g_array_set_size (changed, unique);

  order_take_out (order, changed);
  for (guint i = 0; i < changed->len; i++)
    if (!order_put_back (order, preparer, g_array_index (changed, gint64, i), error))
      return FALSE;
  return TRUE;
}

sqlite3_stmt *
sqlite_prepare_bare (gpointer     data,
                     const char  *sql,
                     GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (data, sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      sqlite_set_error (error, sqlite3_db_filename (data, "main"), data, rc);
      return NULL;
    }
  return stmt;
}

/* The build of the register's order in a worker thread of its own, on a connection of its
 * own, behind the window's work (issue 15: at a million patients the pass over the index
 * takes about a second, which neither the first typed search nor the first after a change
 * should wait for; they rank with SQL meanwhile). */
struct _SqliteOrderBuild
{
  GMutex               lock;
  GCond                cond;
  GThread             *thread;
  StriaeSqliteBackend *backend;  /* not a reference: the backend frees the build first */
  gint                 stopped;  /* atomic: the backend asked the build to stop */
  gboolean             done;
  SqliteOrder         *order;    /* once done: the order, or %NULL when it failed */
};

static int
build_progress_cb (gpointer data)
{
  SqliteOrderBuild *build = data;

  return g_atomic_int_get (&build->stopped);
}

/* The changes to patients this process made, and whether there were others (another
 * process's commits, or too many to take one by one): called by the update hook of the
 * connection that writes, for each row of patients it writes, and by the records' poll. */
void
sqlite_order_note_change (StriaeSqliteBackend *self,
                          gint64               id,
                          gboolean             known)
{
  g_mutex_lock (&self->changes_lock);
  if (known && self->changed_ids->len < ORDER_MAX_FOLD)
    g_array_append_val (self->changed_ids, id);
  else
    self->changed_unknown = TRUE;
  g_mutex_unlock (&self->changes_lock);
}

/* Starts a read transaction on @db and reads from patients, so that what follows sees the
 * patients as they are now (WAL: one snapshot until the transaction ends). */
gboolean
sqlite_snapshot_begin (sqlite3     *db,
                       const char  *path,
                       GError     **error)
{
  int rc = sqlite3_exec (db, "BEGIN; SELECT 1 FROM patients LIMIT 1", NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      sqlite_set_error (error, path, db, rc);
      if (!sqlite3_get_autocommit (db))
        sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }
  return TRUE;
}

void
sqlite_snapshot_end (sqlite3 *db)
{
  if (!sqlite3_get_autocommit (db))
    sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  /* Left open, it would keep every later search on this snapshot. */
  if (!sqlite3_get_autocommit (db))
    g_warning ("A search's read transaction did not end: %s", sqlite3_errmsg (db));
}

/* The snapshot the build reads: taken with the writing connection's lock held, so that no
 * write of this process is under way, every change noted so far is in it and may be
 * forgotten. The other process's changes noted so far are forgotten before: those that
 * come after the snapshot are noted again by the next poll. */
static gboolean
build_begin (SqliteOrderBuild  *build,
             sqlite3           *db,
             GError           **error)
{
  StriaeSqliteBackend *self = build->backend;
  gboolean begun;

  g_mutex_lock (&self->main.lock);
  g_mutex_lock (&self->changes_lock);
  self->changed_unknown = FALSE;
  g_mutex_unlock (&self->changes_lock);
  begun = sqlite_snapshot_begin (db, self->path, error);
  if (begun)
    {
      g_mutex_lock (&self->changes_lock);
      g_array_set_size (self->changed_ids, 0);
      g_mutex_unlock (&self->changes_lock);
    }
  g_mutex_unlock (&self->main.lock);
  return begun;
}

static gpointer
build_thread (gpointer data)
{
  SqliteOrderBuild *build = data;
  g_autoptr(GError) error = NULL;
  SqliteOrder *order = NULL;
  sqlite3 *db = NULL;
  SqlitePreparer preparer = { sqlite_prepare_bare, (void (*) (sqlite3_stmt *)) sqlite3_finalize,
                              NULL, build->backend->path };

  /* Behind the window's own work on a busy processor, as the check of the file. */
  if (setpriority (PRIO_PROCESS, 0, 10) != 0)
    g_debug ("The order's build keeps its priority: %s", g_strerror (errno));

  if (store_open_read_only (build->backend->path, &db) == SQLITE_OK &&
      sqlite3_exec (db, "PRAGMA mmap_size = 0", NULL, NULL, NULL) == SQLITE_OK)
    {
      preparer.data = db;
      sqlite3_busy_timeout (db, BUSY_TIMEOUT_MS);
      sqlite3_progress_handler (db, 1000, build_progress_cb, build);
      if (!g_atomic_int_get (&build->stopped) && build_begin (build, db, &error))
        order = order_new (&preparer, &error);
      sqlite_snapshot_end (db);
    }
  if (order == NULL && !g_atomic_int_get (&build->stopped))
    g_debug ("The register's order of %s was not built: %s", build->backend->path,
             error != NULL ? error->message : sqlite3_errmsg (db));
  sqlite3_close (db);

  g_mutex_lock (&build->lock);
  build->order = order;
  build->done = TRUE;
  g_cond_broadcast (&build->cond);
  g_mutex_unlock (&build->lock);
  return NULL;
}

static SqliteOrderBuild *
order_build_start (StriaeSqliteBackend *self)
{
  SqliteOrderBuild *build = g_new0 (SqliteOrderBuild, 1);

  g_mutex_init (&build->lock);
  g_cond_init (&build->cond);
  build->backend = self;
  build->thread = g_thread_new ("striae-order", build_thread, build);
  return build;
}

/* Stops a build still running and frees it. */
void
sqlite_order_build_free (SqliteOrderBuild *build)
{
  if (build == NULL)
    return;

  g_atomic_int_set (&build->stopped, 1);
  g_thread_join (build->thread);
  sqlite_order_free (build->order);
  g_cond_clear (&build->cond);
  g_mutex_clear (&build->lock);
  g_free (build);
}

/* The order of a build that is over, if it is (or when @wait, once it is). */
static gboolean
order_build_take (SqliteOrderBuild  *build,
                  gboolean           wait,
                  SqliteOrder      **order)
{
  gboolean done;

  g_mutex_lock (&build->lock);
  while (wait && !build->done)
    g_cond_wait (&build->cond, &build->lock);
  done = build->done;
  if (done)
    *order = g_steal_pointer (&build->order);
  g_mutex_unlock (&build->lock);
  return done;
}

/* The order of a build that is over becomes the current one; with no order and no build,
 * a build starts (and is waited for, when a test asks so). With the lock of `rows`. */
static void
order_refresh (StriaeSqliteBackend *self)
{
  StriaeStoreDebugOrder mode = striae_store_debug_get_order ();

  if (self->order != NULL || mode == STRIAE_STORE_DEBUG_ORDER_NEVER)
    return;
  if (self->order_build == NULL)
    self->order_build = order_build_start (self);
  if (order_build_take (self->order_build, mode == STRIAE_STORE_DEBUG_ORDER_WAIT,
                        &self->order))
    g_clear_pointer (&self->order_build, sqlite_order_build_free);
}

/* The changes noted since the order was brought up to date, and whether there were others;
 * forgotten when @forget (the caller folds them into the order, and no write of this
 * process was under way when its snapshot began). */
static GArray *
take_changes (StriaeSqliteBackend *self,
              gboolean             forget,
              gboolean            *unknown)
{
  GArray *changed;

  g_mutex_lock (&self->changes_lock);
  *unknown = self->changed_unknown;
  changed = g_array_copy (self->changed_ids);
  if (forget && !*unknown)
    g_array_set_size (self->changed_ids, 0);
  g_mutex_unlock (&self->changes_lock);
  return changed;
}

/* The register's order for a search, up to date with the snapshot begun on `rows` here, or
 * %NULL (no error) when there is none yet: the search then ranks with SQL while a build
 * runs in the background. A few patients changed by this process are put back at their
 * places (order_fold ()); more, or another process's changes, need a new build. With the
 * lock of `rows`; FALSE with @error set when the snapshot could not begin. */
gboolean
sqlite_order_for_search (StriaeSqliteBackend   *self,
                         const SqlitePreparer  *preparer,
                         const SqliteOrder    **current,
                         GError               **error)
{
  g_autoptr(GArray) changed = NULL;
  g_autoptr(GError) fold_error = NULL;
  gboolean quiet, unknown;

  order_refresh (self);
  /* No write of this process under way: the changes noted so far are all in the snapshot. */
  quiet = g_mutex_trylock (&self->main.lock);
  if (!sqlite_snapshot_begin (self->rows.db, self->path, error))
    {
      if (quiet)
        g_mutex_unlock (&self->main.lock);
      return FALSE;
    }
  changed = take_changes (self, quiet && self->order != NULL, &unknown);
  if (quiet)
    g_mutex_unlock (&self->main.lock);

  if (self->order != NULL && unknown)
    g_clear_pointer (&self->order, sqlite_order_free);
  if (self->order != NULL && changed->len > 0 &&
      !order_fold (self->order, preparer, changed, &fold_error))
    {
      /* The changes were forgotten: only a new build knows them now. */
      g_debug ("%s", fold_error->message);
      g_clear_pointer (&self->order, sqlite_order_free);
      sqlite_order_note_change (self, 0, FALSE);
    }
  if (self->order == NULL)
    order_refresh (self);
  *current = self->order;
  return TRUE;
}

/* A match the order does not know: a patient another process added, before the records'
 * poll noticed. The order is built again; meanwhile SQL ranks. */
void
sqlite_order_drop_stale (StriaeSqliteBackend *self)
{
  g_clear_pointer (&self->order, sqlite_order_free);
  sqlite_order_note_change (self, 0, FALSE);
  if (striae_store_debug_get_order () != STRIAE_STORE_DEBUG_ORDER_NEVER &&
      self->order_build == NULL)
    self->order_build = order_build_start (self);
}

/* The window opened the records (STRIAE_STORE_OPEN_FLAGS_ORDER_IN_BACKGROUND): once its
 * first page of the register is read, the order is built for the typed searches to come. */
void
sqlite_order_prepare (StriaeSqliteBackend *self)
{
  if (self->order_early && self->order == NULL && self->order_build == NULL &&
      striae_store_debug_get_order () != STRIAE_STORE_DEBUG_ORDER_NEVER)
    self->order_build = order_build_start (self);
}

/**
 * striae_sqlite_backend_order_new_bare:
 * @db: a connection to a Striae file that the caller opened with sqlite3 itself
 *
 * For bench-patients: the register's order in memory, as the records keep it for their
 * searches, read on @db.
 *
 * Returns: (transfer full): the order, or %NULL with @error set
 */
SqliteOrder *
striae_sqlite_backend_order_new_bare (sqlite3  *db,
                                      GError  **error)
{
  SqlitePreparer preparer = { sqlite_prepare_bare, (void (*) (sqlite3_stmt *)) sqlite3_finalize,
                              db, sqlite3_db_filename (db, "main") };

  return order_new (&preparer, error);
}

