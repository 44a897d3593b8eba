/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "striae-store-backend.h"
#include "striae-store.h"

G_DEFINE_INTERFACE (StriaeStoreBackend, striae_store_backend, G_TYPE_OBJECT)

static void
striae_store_backend_default_init (StriaeStoreBackendInterface *iface)
{
}

char *
striae_store_backend_dup_engine (StriaeStoreBackend *self)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), NULL);

  return STRIAE_STORE_BACKEND_GET_IFACE (self)->dup_engine (self);
}

gboolean
striae_store_backend_poll_changes (StriaeStoreBackend  *self,
                                   gboolean            *changed,
                                   GError             **error)
{
  StriaeStoreBackendInterface *iface;

  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);
  g_return_val_if_fail (changed != NULL, FALSE);

  *changed = FALSE;
  iface = STRIAE_STORE_BACKEND_GET_IFACE (self);
  return iface->poll_changes == NULL || iface->poll_changes (self, changed, error);
}

gboolean
striae_store_backend_ready (StriaeStoreBackend  *self,
                            GError             **error)
{
  StriaeStoreBackendInterface *iface;

  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);

  iface = STRIAE_STORE_BACKEND_GET_IFACE (self);
  return iface->ready == NULL || iface->ready (self, error);
}

gboolean
striae_store_backend_wait_checked (StriaeStoreBackend  *self,
                                   GCancellable        *cancellable,
                                   GError             **error)
{
  StriaeStoreBackendInterface *iface;

  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);

  iface = STRIAE_STORE_BACKEND_GET_IFACE (self);
  return iface->wait_checked == NULL || iface->wait_checked (self, cancellable, error);
}

char **
striae_store_backend_dup_files (StriaeStoreBackend *self)
{
  StriaeStoreBackendInterface *iface;

  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), NULL);

  iface = STRIAE_STORE_BACKEND_GET_IFACE (self);
  if (iface->dup_files == NULL)
    return g_new0 (char *, 1);
  return iface->dup_files (self);
}

int
striae_store_backend_get_schema_version (StriaeStoreBackend *self)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), 0);

  return STRIAE_STORE_BACKEND_GET_IFACE (self)->get_schema_version (self);
}

int
striae_store_backend_get_latest_schema_version (StriaeStoreBackend *self)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), 0);

  return STRIAE_STORE_BACKEND_GET_IFACE (self)->get_latest_schema_version (self);
}

/* Brings the schema up to the newest version, one transaction per step. */
gboolean
striae_store_backend_migrate (StriaeStoreBackend              *self,
                              const StriaeStoreMigrationHooks *hooks,
                              gpointer                         data,
                              GError                         **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);
  g_return_val_if_fail (hooks != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return STRIAE_STORE_BACKEND_GET_IFACE (self)->migrate (self, hooks, data, error);
}

gboolean
striae_store_backend_set_size_limit (StriaeStoreBackend  *self,
                                     guint64              max_bytes,
                                     GError             **error)
{
  StriaeStoreBackendInterface *iface;

  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);

  iface = STRIAE_STORE_BACKEND_GET_IFACE (self);
  if (iface->set_size_limit == NULL)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_SUPPORTED,
                   _("The size of these records cannot be capped by Striae."));
      return FALSE;
    }

  return iface->set_size_limit (self, max_bytes, error);
}

gboolean
striae_store_backend_set_bulk (StriaeStoreBackend  *self,
                               gboolean             bulk,
                               GError             **error)
{
  StriaeStoreBackendInterface *iface;

  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);

  iface = STRIAE_STORE_BACKEND_GET_IFACE (self);
  return iface->set_bulk == NULL || iface->set_bulk (self, bulk, error);
}

void
striae_store_backend_lock (StriaeStoreBackend *self)
{
  STRIAE_STORE_BACKEND_GET_IFACE (self)->lock (self);
}

void
striae_store_backend_unlock (StriaeStoreBackend *self)
{
  STRIAE_STORE_BACKEND_GET_IFACE (self)->unlock (self);
}

gboolean
striae_store_backend_begin (StriaeStoreBackend  *self,
                            GError             **error)
{
  return STRIAE_STORE_BACKEND_GET_IFACE (self)->begin (self, error);
}

gboolean
striae_store_backend_commit (StriaeStoreBackend  *self,
                             GError             **error)
{
  return STRIAE_STORE_BACKEND_GET_IFACE (self)->commit (self, error);
}

void
striae_store_backend_rollback (StriaeStoreBackend *self)
{
  STRIAE_STORE_BACKEND_GET_IFACE (self)->rollback (self);
}

gboolean
striae_store_backend_get_patient (StriaeStoreBackend  *self,
                                  gint64               id,
                                  StriaePatient      **patient,
                                  GError             **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);
  g_return_val_if_fail (patient != NULL, FALSE);

  return STRIAE_STORE_BACKEND_GET_IFACE (self)->get_patient (self, id, patient, error);
}

gboolean
striae_store_backend_get_patient_archived (StriaeStoreBackend  *self,
                                           gint64               id,
                                           gboolean            *found,
                                           gboolean            *archived,
                                           GError             **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);
  g_return_val_if_fail (found != NULL && archived != NULL, FALSE);

  return STRIAE_STORE_BACKEND_GET_IFACE (self)->get_patient_archived (self, id, found,
                                                                      archived, error);
}

gboolean
striae_store_backend_set_patient_archived (StriaeStoreBackend  *self,
                                           gint64               id,
                                           gboolean             archived,
                                           gboolean            *found,
                                           gboolean            *changed,
                                           GError             **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);
  g_return_val_if_fail (found != NULL && changed != NULL, FALSE);

  return STRIAE_STORE_BACKEND_GET_IFACE (self)->set_patient_archived (self, id, archived,
                                                                      found, changed, error);
}

gboolean
striae_store_backend_update_patient (StriaeStoreBackend            *self,
                                     StriaePatient                 *patient,
                                     const StriaeStorePatientKeys  *keys,
                                     GDateTime                     *now,
                                     gboolean                      *found,
                                     GDateTime                    **created,
                                     GError                       **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);
  g_return_val_if_fail (STRIAE_IS_PATIENT (patient), FALSE);
  g_return_val_if_fail (keys != NULL && now != NULL, FALSE);
  g_return_val_if_fail (found != NULL && created != NULL, FALSE);

  return STRIAE_STORE_BACKEND_GET_IFACE (self)->update_patient (self, patient, keys, now,
                                                                found, created, error);
}

gboolean
striae_store_backend_insert_patients (StriaeStoreBackend            *self,
                                      GPtrArray                     *patients,
                                      StriaeStorePatientKeysFunc     keys,
                                      gpointer                       keys_data,
                                      const char * const            *record_ids,
                                      GDateTime                     *now,
                                      gint64                        *ids,
                                      GError                       **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);
  g_return_val_if_fail (patients != NULL && keys != NULL && now != NULL, FALSE);
  g_return_val_if_fail (ids != NULL, FALSE);

  return STRIAE_STORE_BACKEND_GET_IFACE (self)->insert_patients (self, patients, keys,
                                                                 keys_data, record_ids, now,
                                                                 ids, error);
}

gint64
striae_store_backend_count_patients (StriaeStoreBackend  *self,
                                     GError             **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), -1);

  return STRIAE_STORE_BACKEND_GET_IFACE (self)->count_patients (self, error);
}

void
striae_store_patient_keys_clear (StriaeStorePatientKeys *keys)
{
  g_clear_pointer (&keys->phone_digits, g_free);
  g_clear_pointer (&keys->sort_key, g_free);
  g_clear_pointer (&keys->search_names, g_free);
}

/* Consultations and revisions */

#define IFACE(self) STRIAE_STORE_BACKEND_GET_IFACE (self)

gboolean
striae_store_backend_insert_consultation (StriaeStoreBackend  *self,
                                          gint64               patient_id,
                                          GDateTime           *created,
                                          gint64              *id,
                                          GError             **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);
  g_return_val_if_fail (created != NULL && id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *id = 0;
  return IFACE (self)->insert_consultation (self, patient_id, created, id, error);
}

gboolean
striae_store_backend_insert_revision (StriaeStoreBackend         *self,
                                      const StriaeStoreRevision  *revision,
                                      GError                    **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);
  g_return_val_if_fail (revision != NULL && revision->document != NULL, FALSE);
  g_return_val_if_fail (revision->created != NULL && revision->updated != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return IFACE (self)->insert_revision (self, revision, error);
}

gboolean
striae_store_backend_update_revision (StriaeStoreBackend         *self,
                                      const StriaeStoreRevision  *revision,
                                      gboolean                   *found,
                                      GError                    **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);
  g_return_val_if_fail (revision != NULL && revision->document != NULL, FALSE);
  g_return_val_if_fail (revision->updated != NULL && found != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *found = FALSE;
  return IFACE (self)->update_revision (self, revision, found, error);
}

gboolean
striae_store_backend_get_latest_status (StriaeStoreBackend        *self,
                                        gint64                     id,
                                        gboolean                  *found,
                                        gint64                    *patient_id,
                                        guint                     *revision,
                                        StriaeConsultationStatus  *status,
                                        GError                   **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);
  g_return_val_if_fail (found != NULL && patient_id != NULL, FALSE);
  g_return_val_if_fail (revision != NULL && status != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *found = FALSE;
  return IFACE (self)->get_latest_status (self, id, found, patient_id, revision, status, error);
}

gboolean
striae_store_backend_get_revision (StriaeStoreBackend   *self,
                                   gint64                id,
                                   guint                 revision,
                                   StriaeStoreRevision **result,
                                   GError              **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);
  g_return_val_if_fail (result != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *result = NULL;
  return IFACE (self)->get_revision (self, id, revision, result, error);
}

GPtrArray *
striae_store_backend_list_revisions (StriaeStoreBackend  *self,
                                     gint64               id,
                                     GError             **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return IFACE (self)->list_revisions (self, id, error);
}

GPtrArray *
striae_store_backend_list_consultations (StriaeStoreBackend  *self,
                                         gint64               patient_id,
                                         GError             **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return IFACE (self)->list_consultations (self, patient_id, error);
}

gboolean
striae_store_backend_delete_revision (StriaeStoreBackend  *self,
                                      gint64               id,
                                      guint                revision,
                                      GError             **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return IFACE (self)->delete_revision (self, id, revision, error);
}

gboolean
striae_store_backend_delete_consultation (StriaeStoreBackend  *self,
                                          gint64               id,
                                          GError             **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return IFACE (self)->delete_consultation (self, id, error);
}

gboolean
striae_store_backend_patient_has_draft (StriaeStoreBackend  *self,
                                        gint64               patient_id,
                                        gboolean            *has_draft,
                                        GError             **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);
  g_return_val_if_fail (has_draft != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *has_draft = FALSE;
  return IFACE (self)->patient_has_draft (self, patient_id, has_draft, error);
}

gboolean
striae_store_backend_set_resume_page (StriaeStoreBackend  *self,
                                      gint64               id,
                                      const char          *page,
                                      gboolean            *found,
                                      GError             **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);
  g_return_val_if_fail (page != NULL && found != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *found = FALSE;
  return IFACE (self)->set_resume_page (self, id, page, found, error);
}

gboolean
striae_store_backend_get_resume_page (StriaeStoreBackend  *self,
                                      gint64               id,
                                      char               **page,
                                      GError             **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);
  g_return_val_if_fail (page != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *page = NULL;
  return IFACE (self)->get_resume_page (self, id, page, error);
}

gboolean
striae_store_backend_get_rules (StriaeStoreBackend  *self,
                                char               **document,
                                GError             **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);
  g_return_val_if_fail (document != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *document = NULL;
  return IFACE (self)->get_rules (self, document, error);
}

gboolean
striae_store_backend_set_rules (StriaeStoreBackend  *self,
                                const char          *document,
                                GError             **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);
  g_return_val_if_fail (document != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return IFACE (self)->set_rules (self, document, error);
}

#undef IFACE

StriaeStoreRevision *
striae_store_revision_new (void)
{
  return g_new0 (StriaeStoreRevision, 1);
}

void
striae_store_revision_free (StriaeStoreRevision *revision)
{
  if (revision == NULL)
    return;

  g_free (revision->document);
  g_clear_pointer (&revision->created, g_date_time_unref);
  g_clear_pointer (&revision->updated, g_date_time_unref);
  g_free (revision->signed_by);
  g_clear_pointer (&revision->signed_at, g_date_time_unref);
  g_free (revision);
}

/* The ids (gint64) of search_rows()'s rows, in their order; @limit 0 means none. */
GArray *
striae_store_backend_search_patients (StriaeStoreBackend  *self,
                                      const char          *text,
                                      guint                limit,
                                      gboolean             archived,
                                      GCancellable        *cancellable,
                                      GError             **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  GArray *ids;

  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  rows = STRIAE_STORE_BACKEND_GET_IFACE (self)->search_rows (self, text, archived, NULL, limit,
                                                             cancellable, error);
  if (rows == NULL)
    return NULL;

  ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), rows->len);
  for (guint i = 0; i < rows->len; i++)
    g_array_append_val (ids, ((StriaePatientSummary *) g_ptr_array_index (rows, i))->id);
  return ids;
}

gboolean
striae_store_backend_set_planned_sessions (StriaeStoreBackend  *self,
                                           gint64               consultation_id,
                                           guint                revision,
                                           GArray              *dates,
                                           GError             **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);
  g_return_val_if_fail (dates != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return STRIAE_STORE_BACKEND_GET_IFACE (self)->set_planned_sessions (self, consultation_id,
                                                                      revision, dates, error);
}

GPtrArray *
striae_store_backend_search_rows (StriaeStoreBackend          *self,
                                  const char                  *text,
                                  gboolean                     archived,
                                  const StriaePatientSummary  *after,
                                  guint                        limit,
                                  GCancellable                *cancellable,
                                  GError                     **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return STRIAE_STORE_BACKEND_GET_IFACE (self)->search_rows (self, text, archived, after, limit,
                                                             cancellable, error);
}

gint64
striae_store_backend_count_matches (StriaeStoreBackend  *self,
                                    const char          *text,
                                    gboolean             archived,
                                    guint                cap,
                                    GCancellable        *cancellable,
                                    GError             **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), -1);
  g_return_val_if_fail (text != NULL, -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  return STRIAE_STORE_BACKEND_GET_IFACE (self)->count_matches (self, text, archived, cap,
                                                               cancellable, error);
}

/* The lock probe (striae_store_debug_watch_locks()): off unless a test turns it on. It is
 * the one state shared by every store of the process, because what it watches, the window's
 * thread, is one per process too. */
static GThread *probe_thread;
static gint64 probe_longest_wait;
static guint probe_row_delay_us;
static gint probe_order_mode; /* StriaeStoreDebugOrder */
static guint probe_rows_read;
static guint probe_check_delay_ms;
static guint probe_round_trips;

/**
 * striae_store_mutex_lock:
 *
 * g_mutex_lock(), timed when the thread that turned the lock probe on waits for it.
 */
void
striae_store_mutex_lock (GMutex *mutex)
{
  gint64 start;

  if (G_LIKELY (g_atomic_pointer_get (&probe_thread) != g_thread_self ()))
    {
      g_mutex_lock (mutex);
      return;
    }

  /* Only the probe's own thread writes or reads the longest wait. */
  start = g_get_monotonic_time ();
  g_mutex_lock (mutex);
  probe_longest_wait = MAX (probe_longest_wait, g_get_monotonic_time () - start);
}

/* Called by a server's backend each time it waits for the server's answer to what it sent
 * (one statement, or a pipeline of them): a test counts them (issue 15, the opening's round
 * trips). */
void
striae_store_debug_round_trip (void)
{
  g_atomic_int_inc (&probe_round_trips);
}

/* For tests: the round trips of every server's backend of the process so far. */
guint
striae_store_debug_get_round_trips (void)
{
  return (guint) g_atomic_int_get (&probe_round_trips);
}

/* Called by a backend for each row a search reads, the register's order in memory included:
 * a test makes searches slow with it, or counts the rows. */
void
striae_store_debug_row_read (void)
{
  striae_store_debug_rows_read (1);
}

/* As striae_store_debug_row_read(), for @n rows that SQLite read in one statement (a page
 * ranked by sorting every match of a query). */
void
striae_store_debug_rows_read (guint n)
{
  guint delay = g_atomic_int_get (&probe_row_delay_us);

  g_atomic_int_add (&probe_rows_read, (gint) n);

  if (G_UNLIKELY (delay > 0 && n > 0))
    g_usleep ((gulong) delay * n);
}

/**
 * striae_store_debug_watch_locks:
 * @watch: %TRUE to start watching the calling thread (the window's), %FALSE to stop
 *
 * For tests: from now on, how long the calling thread waits for any lock of any store is
 * recorded (striae_store_debug_get_longest_lock_wait()); the record starts at 0.
 */
void
striae_store_debug_watch_locks (gboolean watch)
{
  probe_longest_wait = 0;
  g_atomic_pointer_set (&probe_thread, watch ? g_thread_self () : NULL);
}

/* For tests: how many rows the searches of every store have read so far (it wraps). */
guint
striae_store_debug_get_rows_read (void)
{
  return (guint) g_atomic_int_get (&probe_rows_read);
}

/* For tests: the longest wait for a store's lock, in microseconds, of the thread watched
 * since striae_store_debug_watch_locks(). */
gint64
striae_store_debug_get_longest_lock_wait (void)
{
  return probe_longest_wait;
}

/* For tests: each row that a search reads from now on costs @microseconds more (0: none),
 * as on a register far larger than a test can make. */
void
striae_store_debug_set_row_delay (guint microseconds)
{
  g_atomic_int_set (&probe_row_delay_us, microseconds);
}

/* Called by a backend as a check of its file in the background starts: a test makes the
 * check slow with it, as on a file far larger than a test can make. */
void
striae_store_debug_check_starts (void)
{
  guint delay = g_atomic_int_get (&probe_check_delay_ms);

  if (G_UNLIKELY (delay > 0))
    g_usleep (delay * G_TIME_SPAN_MILLISECOND);
}

/* For tests: each check of a file in the background started from now on waits
 * @milliseconds before it reads the file (0: none). */
void
striae_store_debug_set_check_delay (guint milliseconds)
{
  g_atomic_int_set (&probe_check_delay_ms, milliseconds);
}

/* For tests: how a backend gets the order it ranks typed searches by when it has none
 * (StriaeStoreDebugOrder); the default builds it in the background. */
void
striae_store_debug_set_order (StriaeStoreDebugOrder mode)
{
  g_atomic_int_set (&probe_order_mode, mode);
}

StriaeStoreDebugOrder
striae_store_debug_get_order (void)
{
  return g_atomic_int_get (&probe_order_mode);
}

GArray *
striae_store_backend_find_planned_sessions (StriaeStoreBackend  *self,
                                            const GDate         *date,
                                            GError             **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), NULL);
  g_return_val_if_fail (date != NULL && g_date_valid (date), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return STRIAE_STORE_BACKEND_GET_IFACE (self)->find_planned_sessions (self, date, error);
}

GPtrArray *
striae_store_backend_list_finished_revisions (StriaeStoreBackend  *self,
                                              gint64               after_id,
                                              guint                after_revision,
                                              guint                limit,
                                              GError             **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), NULL);
  g_return_val_if_fail (limit > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return STRIAE_STORE_BACKEND_GET_IFACE (self)->list_finished_revisions (self, after_id,
                                                                         after_revision, limit,
                                                                         error);
}

/**
 * striae_store_backend_split_words:
 * @text: valid UTF-8
 *
 * Splits what a person typed into words as the records layer does for the search names it
 * stores: letters, digits and marks make words; everything else separates them (as SQLite's
 * unicode61 tokenizer does). A backend builds its search from these words, so that no
 * character typed can reach its query syntax.
 *
 * Returns: (transfer full) (element-type utf8): the words
 */
GPtrArray *
striae_store_backend_split_words (const char *text)
{
  GPtrArray *words = g_ptr_array_new_with_free_func (g_free);
  GString *word = g_string_new (NULL);

  for (const char *p = text; ; p = g_utf8_next_char (p))
    {
      gunichar c = *p ? g_utf8_get_char (p) : 0;

      if (c != 0 && (g_unichar_isalnum (c) || g_unichar_ismark (c) ||
                     g_unichar_type (c) == G_UNICODE_PRIVATE_USE))
        {
          g_string_append_unichar (word, c);
          continue;
        }

      if (word->len > 0)
        {
          g_ptr_array_add (words, g_strdup (word->str));
          g_string_truncate (word, 0);
        }

      if (c == 0)
        break;
    }

  g_string_free (word, TRUE);
  return words;
}

/* Accounts */

StriaeStoreAccountRow *
striae_store_account_row_new (void)
{
  return g_new0 (StriaeStoreAccountRow, 1);
}

void
striae_store_account_row_free (StriaeStoreAccountRow *account)
{
  if (account == NULL)
    return;

  g_free (account->name);
  g_free (account->display_name);
  g_free (account->role);
  if (account->password_hash != NULL)
    {
      /* Not a secret as such, but no need to leave it lying in freed memory either. */
      memset (account->password_hash, 0, strlen (account->password_hash));
      g_free (account->password_hash);
    }
  g_clear_pointer (&account->created, g_date_time_unref);
  g_clear_pointer (&account->last_failure, g_date_time_unref);
  g_free (account);
}

/* Whether the backend keeps accounts of its own (a file does; a server's are its logins). */
gboolean
striae_store_backend_has_accounts (StriaeStoreBackend *self)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);

  return STRIAE_STORE_BACKEND_GET_IFACE (self)->get_account != NULL;
}

static gboolean
no_accounts (GError **error)
{
  g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_SUPPORTED,
                       _("On a clinic server, accounts are the server’s logins: ask its "
                         "administrator (striae --server-add-login)."));
  return FALSE;
}

gboolean
striae_store_backend_get_account (StriaeStoreBackend      *self,
                                  const char              *name,
                                  StriaeStoreAccountRow  **account,
                                  GError                 **error)
{
  StriaeStoreBackendInterface *iface;

  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);
  g_return_val_if_fail (name != NULL && account != NULL, FALSE);

  iface = STRIAE_STORE_BACKEND_GET_IFACE (self);
  *account = NULL;
  return iface->get_account != NULL ? iface->get_account (self, name, account, error)
                                    : no_accounts (error);
}

GPtrArray *
striae_store_backend_list_accounts (StriaeStoreBackend  *self,
                                    GError             **error)
{
  StriaeStoreBackendInterface *iface;

  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), NULL);

  iface = STRIAE_STORE_BACKEND_GET_IFACE (self);
  if (iface->list_accounts == NULL)
    {
      no_accounts (error);
      return NULL;
    }
  return iface->list_accounts (self, error);
}

gboolean
striae_store_backend_insert_account (StriaeStoreBackend           *self,
                                     const StriaeStoreAccountRow  *account,
                                     GError                      **error)
{
  StriaeStoreBackendInterface *iface;

  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);
  g_return_val_if_fail (account != NULL, FALSE);

  iface = STRIAE_STORE_BACKEND_GET_IFACE (self);
  return iface->insert_account != NULL ? iface->insert_account (self, account, error)
                                       : no_accounts (error);
}

gboolean
striae_store_backend_update_account (StriaeStoreBackend           *self,
                                     const StriaeStoreAccountRow  *account,
                                     gboolean                     *found,
                                     GError                      **error)
{
  StriaeStoreBackendInterface *iface;

  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);
  g_return_val_if_fail (account != NULL && found != NULL, FALSE);

  iface = STRIAE_STORE_BACKEND_GET_IFACE (self);
  *found = FALSE;
  return iface->update_account != NULL ? iface->update_account (self, account, found, error)
                                       : no_accounts (error);
}

gboolean
striae_store_backend_dup_login_group (StriaeStoreBackend  *self,
                                      char               **group,
                                      GError             **error)
{
  StriaeStoreBackendInterface *iface;

  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);
  g_return_val_if_fail (group != NULL, FALSE);

  iface = STRIAE_STORE_BACKEND_GET_IFACE (self);
  *group = NULL;
  return iface->dup_login_group == NULL || iface->dup_login_group (self, group, error);
}

gboolean
striae_store_backend_check_login_password (StriaeStoreBackend  *self,
                                           const char          *password,
                                           GError             **error)
{
  StriaeStoreBackendInterface *iface;

  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);
  g_return_val_if_fail (password != NULL, FALSE);

  iface = STRIAE_STORE_BACKEND_GET_IFACE (self);
  if (iface->check_login_password == NULL)
    {
      g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_SUPPORTED,
                           _("These records have no logins of their own."));
      return FALSE;
    }
  return iface->check_login_password (self, password, error);
}

/* The server login's name; %NULL for records without logins. */
char *
striae_store_backend_dup_login_name (StriaeStoreBackend *self)
{
  StriaeStoreBackendInterface *iface;

  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), NULL);

  iface = STRIAE_STORE_BACKEND_GET_IFACE (self);
  return iface->dup_login_name != NULL ? iface->dup_login_name (self) : NULL;
}

/* The server login every audit row names; %NULL for records with accounts of their own. */
char *
striae_store_backend_dup_session_login (StriaeStoreBackend *self)
{
  StriaeStoreBackendInterface *iface;

  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), NULL);

  iface = STRIAE_STORE_BACKEND_GET_IFACE (self);
  return iface->dup_session_login != NULL ? iface->dup_session_login (self) : NULL;
}

GPtrArray *
striae_store_backend_list_logins (StriaeStoreBackend  *self,
                                  GError             **error)
{
  StriaeStoreBackendInterface *iface;

  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), NULL);

  iface = STRIAE_STORE_BACKEND_GET_IFACE (self);
  if (iface->list_logins == NULL)
    {
      g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_SUPPORTED,
                           _("These records have no logins of their own."));
      return NULL;
    }
  return iface->list_logins (self, error);
}

gboolean
striae_store_backend_set_login_password (StriaeStoreBackend  *self,
                                         const char          *name,
                                         const char          *password,
                                         GError             **error)
{
  StriaeStoreBackendInterface *iface;

  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);
  g_return_val_if_fail (name != NULL && password != NULL, FALSE);

  iface = STRIAE_STORE_BACKEND_GET_IFACE (self);
  if (iface->set_login_password == NULL)
    {
      g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_SUPPORTED,
                           _("These records have no logins of their own."));
      return FALSE;
    }
  return iface->set_login_password (self, name, password, error);
}

/* Settings */

gboolean
striae_store_backend_may_change_clinic (StriaeStoreBackend  *self,
                                        gboolean            *may,
                                        GError             **error)
{
  StriaeStoreBackendInterface *iface;

  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);
  g_return_val_if_fail (may != NULL, FALSE);

  iface = STRIAE_STORE_BACKEND_GET_IFACE (self);
  *may = TRUE;
  return iface->may_change_clinic == NULL || iface->may_change_clinic (self, may, error);
}

gboolean
striae_store_backend_get_setting (StriaeStoreBackend  *self,
                                  const char          *key,
                                  char               **value,
                                  GError             **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);
  g_return_val_if_fail (key != NULL && value != NULL, FALSE);

  return STRIAE_STORE_BACKEND_GET_IFACE (self)->get_setting (self, key, value, error);
}

gboolean
striae_store_backend_set_setting (StriaeStoreBackend  *self,
                                  const char          *key,
                                  const char          *value,
                                  GError             **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  return STRIAE_STORE_BACKEND_GET_IFACE (self)->set_setting (self, key, value, error);
}

/* Audit */

void
striae_store_audit_tail_clear (StriaeStoreAuditTail *tail)
{
  g_free ((gpointer) tail->last_seal.data);
  g_clear_pointer (&tail->seal_at, g_free);
  memset (tail, 0, sizeof *tail);
}

gboolean
striae_store_backend_audit_get_tail (StriaeStoreBackend    *self,
                                     gint64                 at,
                                     StriaeStoreAuditTail  *tail,
                                     GError               **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);
  g_return_val_if_fail (tail != NULL, FALSE);

  memset (tail, 0, sizeof *tail);
  return STRIAE_STORE_BACKEND_GET_IFACE (self)->audit_get_tail (self, at, tail, error);
}

gboolean
striae_store_backend_audit_get_subject (StriaeStoreBackend  *self,
                                        gint64               patient_id,
                                        char               **subject,
                                        GError             **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);
  g_return_val_if_fail (subject != NULL, FALSE);

  *subject = NULL;
  if (patient_id <= 0)
    return TRUE;
  return STRIAE_STORE_BACKEND_GET_IFACE (self)->audit_get_subject (self, patient_id, subject,
                                                                   error);
}

gboolean
striae_store_backend_audit_append (StriaeStoreBackend           *self,
                                   const StriaeStoreAuditEntry  *entry,
                                   GError                      **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);
  g_return_val_if_fail (entry != NULL && entry->id > 0 && entry->seal != NULL, FALSE);

  return STRIAE_STORE_BACKEND_GET_IFACE (self)->audit_append (self, entry, error);
}

/* The subjects of @n patients (each a new string or NULL), at once where the backend can. */
gboolean
striae_store_backend_audit_get_subjects (StriaeStoreBackend  *self,
                                         const gint64        *patient_ids,
                                         guint                n,
                                         char               **subjects,
                                         GError             **error)
{
  StriaeStoreBackendInterface *iface;

  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);
  g_return_val_if_fail (n == 0 || (patient_ids != NULL && subjects != NULL), FALSE);

  for (guint i = 0; i < n; i++)
    subjects[i] = NULL;

  iface = STRIAE_STORE_BACKEND_GET_IFACE (self);
  if (iface->audit_get_subjects != NULL)
    return iface->audit_get_subjects (self, patient_ids, n, subjects, error);

  for (guint i = 0; i < n; i++)
    if (!iface->audit_get_subject (self, patient_ids[i], &subjects[i], error))
      return FALSE;
  return TRUE;
}

/* Appends @n rows in order, at once where the backend can. */
gboolean
striae_store_backend_audit_append_rows (StriaeStoreBackend           *self,
                                        const StriaeStoreAuditEntry  *entries,
                                        guint                         n,
                                        GError                      **error)
{
  StriaeStoreBackendInterface *iface;

  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);
  g_return_val_if_fail (n == 0 || entries != NULL, FALSE);

  for (guint i = 0; i < n; i++)
    g_return_val_if_fail (entries[i].id > 0 && entries[i].seal != NULL, FALSE);

  iface = STRIAE_STORE_BACKEND_GET_IFACE (self);
  if (iface->audit_append_rows != NULL)
    return iface->audit_append_rows (self, entries, n, error);

  for (guint i = 0; i < n; i++)
    if (!iface->audit_append (self, &entries[i], error))
      return FALSE;
  return TRUE;
}

gboolean
striae_store_backend_audit_read (StriaeStoreBackend       *self,
                                 gint64                    after,
                                 guint                     limit,
                                 gint64                    patient_id,
                                 const char               *action,
                                 StriaeStoreAuditRowFunc   func,
                                 gpointer                  data,
                                 GError                  **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  return STRIAE_STORE_BACKEND_GET_IFACE (self)->audit_read (self, after, limit, patient_id,
                                                            action, func, data, error);
}

gboolean
striae_store_backend_audit_scan (StriaeStoreBackend       *self,
                                 gint64                   *last_number,
                                 StriaeStoreAuditRowFunc   func,
                                 gpointer                  data,
                                 GError                  **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);
  g_return_val_if_fail (last_number != NULL && func != NULL, FALSE);

  return STRIAE_STORE_BACKEND_GET_IFACE (self)->audit_scan (self, last_number, func, data,
                                                            error);
}

gboolean
striae_store_backend_audit_reseal (StriaeStoreBackend  *self,
                                   gint64               id,
                                   const char          *seal,
                                   GError             **error)
{
  StriaeStoreBackendInterface *iface;

  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);
  g_return_val_if_fail (seal != NULL, FALSE);

  iface = STRIAE_STORE_BACKEND_GET_IFACE (self);
  if (iface->audit_reseal == NULL)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_SUPPORTED,
                   _("The audit log of these records cannot be sealed anew."));
      return FALSE;
    }

  return iface->audit_reseal (self, id, seal, error);
}

/* Whether the records keep their audit key themselves (a server) rather than the anchor. */
gboolean
striae_store_backend_keeps_audit_key (StriaeStoreBackend *self)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);

  return STRIAE_STORE_BACKEND_GET_IFACE (self)->audit_get_key != NULL;
}

gboolean
striae_store_backend_audit_get_key (StriaeStoreBackend  *self,
                                    GBytes             **key,
                                    GError             **error)
{
  StriaeStoreBackendInterface *iface;

  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  *key = NULL;
  iface = STRIAE_STORE_BACKEND_GET_IFACE (self);
  return iface->audit_get_key == NULL || iface->audit_get_key (self, key, error);
}

/* Transfer */

gboolean
striae_store_backend_get_patient_record (StriaeStoreBackend  *self,
                                         gint64               id,
                                         StriaePatient      **patient,
                                         char               **record_id,
                                         gboolean            *archived,
                                         GError             **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);
  g_return_val_if_fail (patient != NULL && record_id != NULL && archived != NULL, FALSE);

  *patient = NULL;
  *record_id = NULL;
  *archived = FALSE;
  return STRIAE_STORE_BACKEND_GET_IFACE (self)->get_patient_record (self, id, patient,
                                                                    record_id, archived,
                                                                    error);
}

gboolean
striae_store_backend_find_record_id (StriaeStoreBackend  *self,
                                     const char          *record_id,
                                     gint64              *patient_id,
                                     GError             **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);
  g_return_val_if_fail (record_id != NULL && patient_id != NULL, FALSE);

  *patient_id = 0;
  return STRIAE_STORE_BACKEND_GET_IFACE (self)->find_record_id (self, record_id, patient_id,
                                                                error);
}

/* The keys a caller computed, for insert_patients (StriaeStorePatientKeysFunc). */
static void
copy_keys_cb (StriaePatient          *patient,
              StriaeStorePatientKeys *keys,
              gpointer                data)
{
  const StriaeStorePatientKeys *given = data;

  keys->phone_digits = g_strdup (given->phone_digits);
  keys->sort_key = g_strdup (given->sort_key);
  keys->search_names = g_strdup (given->search_names);
}

/* add_imported_patient as the statements one by one, for a backend without its own. */
static gboolean
add_imported_patient_each (StriaeStoreBackend           *self,
                           StriaePatient                *patient,
                           const StriaeStorePatientKeys *keys,
                           const char                   *record_id,
                           GDateTime                    *now,
                           GDateTime * const            *created,
                           guint                         n_consultations,
                           gint64                       *existing_id,
                           gint64                       *patient_id,
                           gint64                       *consultation_ids,
                           GError                      **error)
{
  g_autoptr(GPtrArray) one = g_ptr_array_new ();
  const char *record_ids[] = { record_id };

  if (record_id != NULL &&
      !striae_store_backend_find_record_id (self, record_id, existing_id, error))
    return FALSE;
  if (*existing_id != 0)
    return TRUE;

  g_ptr_array_add (one, patient);
  if (!striae_store_backend_insert_patients (self, one, copy_keys_cb, (gpointer) keys,
                                             record_ids, now, patient_id, error))
    return FALSE;
  for (guint i = 0; i < n_consultations; i++)
    {
      if (!striae_store_backend_insert_consultation (self, *patient_id, created[i],
                                                     &consultation_ids[i], error))
        return FALSE;
      /* The patient was added just before. */
      g_assert (consultation_ids[i] != 0);
    }
  return TRUE;
}

gboolean
striae_store_backend_add_imported_patient (StriaeStoreBackend           *self,
                                           StriaePatient                *patient,
                                           const StriaeStorePatientKeys *keys,
                                           const char                   *record_id,
                                           GDateTime                    *now,
                                           GDateTime * const            *created,
                                           guint                         n_consultations,
                                           gint64                       *existing_id,
                                           gint64                       *patient_id,
                                           gint64                       *consultation_ids,
                                           GError                      **error)
{
  StriaeStoreBackendInterface *iface;

  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);
  g_return_val_if_fail (STRIAE_IS_PATIENT (patient) && keys != NULL, FALSE);
  g_return_val_if_fail (existing_id != NULL && patient_id != NULL, FALSE);
  g_return_val_if_fail (n_consultations == 0 || (created != NULL && consultation_ids != NULL),
                        FALSE);

  *existing_id = 0;
  *patient_id = 0;
  iface = STRIAE_STORE_BACKEND_GET_IFACE (self);
  if (iface->add_imported_patient == NULL)
    return add_imported_patient_each (self, patient, keys, record_id, now, created,
                                      n_consultations, existing_id, patient_id,
                                      consultation_ids, error);
  return iface->add_imported_patient (self, patient, keys, record_id, now, created,
                                      n_consultations, existing_id, patient_id,
                                      consultation_ids, error);
}

gboolean
striae_store_backend_list_patient_revisions (StriaeStoreBackend       *self,
                                             gint64                    patient_id,
                                             StriaeStoreRevisionFunc   func,
                                             gpointer                  data,
                                             GError                  **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  return STRIAE_STORE_BACKEND_GET_IFACE (self)->list_patient_revisions (self, patient_id, func,
                                                                        data, error);
}

gboolean
striae_store_backend_erase_patient (StriaeStoreBackend  *self,
                                    gint64               id,
                                    gboolean            *found,
                                    GError             **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);
  g_return_val_if_fail (found != NULL, FALSE);

  *found = FALSE;
  return STRIAE_STORE_BACKEND_GET_IFACE (self)->erase_patient (self, id, found, error);
}

void
striae_store_backend_purge_erased (StriaeStoreBackend *self)
{
  g_return_if_fail (STRIAE_IS_STORE_BACKEND (self));

  STRIAE_STORE_BACKEND_GET_IFACE (self)->purge_erased (self);
}

static void
set_no_backup (GError **error)
{
  g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_SUPPORTED,
               _("These records are not backed up by Striae; use the backup tools of the "
                 "server that keeps them."));
}

gboolean
striae_store_backend_backup (StriaeStoreBackend         *self,
                             const char                 *location,
                             gint64                      head_entry,
                             StriaeStoreBackupSealFunc   seal,
                             gpointer                    data,
                             GError                    **error)
{
  StriaeStoreBackendInterface *iface;

  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);
  g_return_val_if_fail (location != NULL && seal != NULL, FALSE);

  iface = STRIAE_STORE_BACKEND_GET_IFACE (self);
  if (iface->backup == NULL)
    {
      set_no_backup (error);
      return FALSE;
    }

  return iface->backup (self, location, head_entry, seal, data, error);
}

gboolean
striae_store_backend_restore (StriaeStoreBackend  *self,
                              const char          *location,
                              GError             **error)
{
  StriaeStoreBackendInterface *iface;

  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);
  g_return_val_if_fail (location != NULL, FALSE);

  iface = STRIAE_STORE_BACKEND_GET_IFACE (self);
  if (iface->restore == NULL)
    {
      set_no_backup (error);
      return FALSE;
    }

  return iface->restore (self, location, error);
}

/* Copying records in (see the interface) */

static gboolean
check_copy_in (gpointer   vfunc,
               GError   **error)
{
  if (vfunc != NULL)
    return TRUE;

  g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_SUPPORTED,
                       _("Records can be copied onto a clinic server only; a file is copied "
                         "with a backup."));
  return FALSE;
}

gboolean
striae_store_backend_copy_in_patient (StriaeStoreBackend            *self,
                                      StriaePatient                 *patient,
                                      const StriaeStorePatientKeys  *keys,
                                      const char                    *record_id,
                                      gboolean                       archived,
                                      const char                    *subject,
                                      GError                       **error)
{
  StriaeStoreBackendInterface *iface;

  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);
  g_return_val_if_fail (STRIAE_IS_PATIENT (patient), FALSE);
  g_return_val_if_fail (keys != NULL && record_id != NULL, FALSE);

  iface = STRIAE_STORE_BACKEND_GET_IFACE (self);
  return check_copy_in (iface->copy_in_patient, error) &&
         iface->copy_in_patient (self, patient, keys, record_id, archived, subject, error);
}

gboolean
striae_store_backend_copy_in_consultation (StriaeStoreBackend  *self,
                                           gint64               id,
                                           gint64               patient_id,
                                           GDateTime           *created,
                                           const char          *resume_page,
                                           GError             **error)
{
  StriaeStoreBackendInterface *iface;

  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);
  g_return_val_if_fail (created != NULL, FALSE);

  iface = STRIAE_STORE_BACKEND_GET_IFACE (self);
  return check_copy_in (iface->copy_in_consultation, error) &&
         iface->copy_in_consultation (self, id, patient_id, created,
                                      resume_page ? resume_page : "", error);
}

gboolean
striae_store_backend_copy_in_audit_key (StriaeStoreBackend  *self,
                                        GBytes              *key,
                                        GError             **error)
{
  StriaeStoreBackendInterface *iface;

  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  iface = STRIAE_STORE_BACKEND_GET_IFACE (self);
  return check_copy_in (iface->copy_in_audit_key, error) &&
         iface->copy_in_audit_key (self, key, error);
}

gboolean
striae_store_backend_finish_copy (StriaeStoreBackend  *self,
                                  gint64               audit_last_number,
                                  GError             **error)
{
  StriaeStoreBackendInterface *iface;

  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);

  iface = STRIAE_STORE_BACKEND_GET_IFACE (self);
  return check_copy_in (iface->finish_copy, error) &&
         iface->finish_copy (self, audit_last_number, error);
}

/* Timestamps cross the seam as GDateTime; where a backend or the records keep them as text
 * (the audit rows, an export), it is this one form: UTC, ISO 8601, to the microsecond. */
char *
striae_store_format_timestamp (GDateTime *time)
{
  return g_date_time_format (time, "%Y-%m-%dT%H:%M:%S.%fZ");
}

char *
striae_store_now (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return striae_store_format_timestamp (now);
}

GDateTime *
striae_store_parse_timestamp (const char *text)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

  return text ? g_date_time_new_from_iso8601 (text, utc) : NULL;
}
