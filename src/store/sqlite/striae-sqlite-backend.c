/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <unistd.h>

#include "striae-sqlite-private.h"

/* The records in one SQLite file: the checks before anything writes to it, its two
 * connections (WAL lets a search run beside a write) and what StriaeStoreBackend asks of an
 * engine. */

/* The search connection reads pages with read() into SQLite's own small cache, not through
 * a memory map: every page a search or a count touched through the map stayed in the
 * process's resident memory. Measured with 1 000 000 patients listed and scrolled (Xvfb,
 * cairo, GL off; the bare window with a list is 31 MB): a map of up to 256 MiB gave 304 MB
 * resident (278 MB of it the file), 64 MiB 125 MB, 16 MiB 78 MB, none 62 MB; the medians of
 * 1-, 2- and 3-letter searches without a limit did not differ beyond the machine's noise
 * (1.4-2.5 s, 0.2-0.6 s, 0.08-0.18 s whatever the map). Explicit, so that a build of SQLite
 * with another default does not map the file either. */
#define SEARCH_MMAP_PRAGMA "PRAGMA mmap_size = 0"

static void striae_sqlite_backend_iface_init (StriaeStoreBackendInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (StriaeSqliteBackend, striae_sqlite_backend, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (STRIAE_TYPE_STORE_BACKEND,
                                                      striae_sqlite_backend_iface_init))

static void
connection_init (Connection *conn)
{
  g_mutex_init (&conn->lock);
  conn->statements = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                            (GDestroyNotify) sqlite3_finalize);
}

static void
connection_clear (Connection *conn)
{
  g_clear_pointer (&conn->statements, g_hash_table_unref);
  g_clear_pointer (&conn->db, sqlite3_close);
  g_mutex_clear (&conn->lock);
}

static void
striae_sqlite_backend_finalize (GObject *object)
{
  StriaeSqliteBackend *self = (StriaeSqliteBackend *) object;

  gboolean passed = self->check == NULL || sqlite_check_passed (self->check);
  /* A trusted file whose check did not end before the close keeps its last check's time. */
  gboolean sound = passed || (!self->check_holds_writes &&
                              sqlite_check_sound_so_far (self->check, NULL));

  if (self->check != NULL && passed)
    self->checked_at = self->opened_at;
  g_clear_pointer (&self->check, sqlite_check_free);
  /* Before the connections: the build takes the lock of `main`. */
  g_clear_pointer (&self->order_build, sqlite_order_build_free);
  g_clear_pointer (&self->order, sqlite_order_free);
  /* Statements first: a connection with statements left cannot close. */
  connection_clear (&self->rows);
  connection_clear (&self->search);
  connection_clear (&self->main);
  if (self->note_on_close && sound)
    sqlite_check_leave_note (self->path, self->checked_at);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->deferred_indexes, g_ptr_array_unref);
  g_clear_pointer (&self->changed_ids, g_array_unref);
  g_mutex_clear (&self->changes_lock);

  G_OBJECT_CLASS (striae_sqlite_backend_parent_class)->finalize (object);
}

static void
striae_sqlite_backend_class_init (StriaeSqliteBackendClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = striae_sqlite_backend_finalize;
}

static void
striae_sqlite_backend_init (StriaeSqliteBackend *self)
{
  connection_init (&self->main);
  connection_init (&self->search);
  connection_init (&self->rows);
  self->deferred_indexes = g_ptr_array_new_with_free_func (g_free);
  self->data_version = -1;
  g_mutex_init (&self->changes_lock);
  self->changed_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
}

/* StriaeStoreBackend */

static char *
sqlite_backend_dup_engine (StriaeStoreBackend *backend)
{
  return g_strconcat ("SQLite ", sqlite3_libversion (), NULL);
}

static char **
sqlite_backend_dup_files (StriaeStoreBackend *backend)
{
  return store_dup_database_files (STRIAE_SQLITE_BACKEND (backend)->path);
}

/* The read-only connection for searches, once the schema is current. */
static gboolean
sqlite_backend_ready (StriaeStoreBackend  *backend,
                      GError             **error)
{
  StriaeSqliteBackend *self = STRIAE_SQLITE_BACKEND (backend);

  return sqlite_open_connection (&self->search, TRUE, error) &&
         sqlite_exec (&self->search, SEARCH_MMAP_PRAGMA, error) &&
         sqlite_open_connection (&self->rows, TRUE, error) &&
         sqlite_exec (&self->rows, SEARCH_MMAP_PRAGMA, error);
}

/* SQLite's data_version moves when another connection to the file commits, and not for this
 * connection's own commits. */
static gboolean
sqlite_backend_poll_changes (StriaeStoreBackend  *backend,
                             gboolean            *changed,
                             GError             **error)
{
  StriaeSqliteBackend *self = STRIAE_SQLITE_BACKEND (backend);
  gint64 version;

  if (!sqlite_query_int (&self->main, "PRAGMA data_version", &version, error))
    return FALSE;
  *changed = self->data_version >= 0 && version != self->data_version;
  self->data_version = version;
  /* Another process's commit may have changed patients: the searches' order is read again. */
  if (*changed)
    sqlite_order_note_change (self, 0, FALSE);
  return TRUE;
}

static int
sqlite_backend_get_schema_version (StriaeStoreBackend *backend)
{
  return STRIAE_SQLITE_BACKEND (backend)->schema_version;
}

static int
sqlite_backend_get_latest_schema_version (StriaeStoreBackend *backend)
{
  return striae_sqlite_backend_get_latest_schema_version ();
}

static gboolean
sqlite_backend_migrate (StriaeStoreBackend              *backend,
                        const StriaeStoreMigrationHooks *hooks,
                        gpointer                         data,
                        GError                         **error)
{
  return sqlite_migrate (STRIAE_SQLITE_BACKEND (backend), hooks, data, error);
}

static void
sqlite_backend_lock (StriaeStoreBackend *backend)
{
  striae_store_mutex_lock (&STRIAE_SQLITE_BACKEND (backend)->main.lock);
}

static void
sqlite_backend_unlock (StriaeStoreBackend *backend)
{
  g_mutex_unlock (&STRIAE_SQLITE_BACKEND (backend)->main.lock);
}

/* Whether a write may go on. It waits for the verdict of a quick check still running
 * (striae-sqlite-check.c): a damaged file is refused, not written into; the check of a file
 * trusted after a clean close is not waited for, only its verdict once given. */
static gboolean
sqlite_write_allowed (StriaeSqliteBackend  *self,
                      GError              **error)
{
  if (self->check_holds_writes)
    return sqlite_check_wait (self->check, NULL, error);
  return sqlite_check_sound_so_far (self->check, error);
}

static gboolean
sqlite_backend_begin (StriaeStoreBackend  *backend,
                      GError             **error)
{
  StriaeSqliteBackend *self = STRIAE_SQLITE_BACKEND (backend);

  return sqlite_write_allowed (self, error) &&
         sqlite_exec (&self->main, "BEGIN IMMEDIATE", error);
}

static gboolean
sqlite_backend_wait_checked (StriaeStoreBackend  *backend,
                             GCancellable        *cancellable,
                             GError             **error)
{
  return sqlite_check_wait (STRIAE_SQLITE_BACKEND (backend)->check, cancellable, error);
}

/* The same for a statement that writes outside BEGIN: SQLite rolls it back when this
 * returns non-zero. */
static int
commit_hook_cb (gpointer data)
{
  StriaeSqliteBackend *self = data;

  return sqlite_write_allowed (self, NULL) ? 0 : 1;
}

/* Every row this process writes to patients (the searches' order puts it back at its
 * place). */
static void
update_hook_cb (gpointer       data,
                int            operation,
                const char    *database,
                const char    *table,
                sqlite3_int64  rowid)
{
  StriaeSqliteBackend *self = data;

  if (g_strcmp0 (table, "patients") == 0)
    sqlite_order_note_change (self, rowid, TRUE);
}

static void
end_bulk_cache (StriaeSqliteBackend *self)
{
  if (self->bulk_cache && sqlite3_get_autocommit (self->main.db))
    {
      sqlite3_exec (self->main.db, DEFAULT_CACHE_PRAGMA, NULL, NULL, NULL);
      self->bulk_cache = FALSE;
    }
}

/* In the transaction, before it commits; a failure leaves the transaction to roll back. */
static gboolean
create_deferred_indexes (StriaeSqliteBackend  *self,
                         GError              **error)
{
  for (guint i = 0; i < self->deferred_indexes->len; i++)
    if (!sqlite_exec (&self->main, g_ptr_array_index (self->deferred_indexes, i), error))
      return FALSE;
  g_ptr_array_set_size (self->deferred_indexes, 0);

  return TRUE;
}

static gboolean
sqlite_backend_commit (StriaeStoreBackend  *backend,
                       GError             **error)
{
  StriaeSqliteBackend *self = STRIAE_SQLITE_BACKEND (backend);
  gboolean ok = create_deferred_indexes (self, error) &&
                sqlite_exec (&self->main, "COMMIT", error);

  end_bulk_cache (self);
  return ok;
}

static void
sqlite_backend_rollback (StriaeStoreBackend *backend)
{
  StriaeSqliteBackend *self = STRIAE_SQLITE_BACKEND (backend);

  sqlite_rollback (&self->main);
  g_ptr_array_set_size (self->deferred_indexes, 0);
  end_bulk_cache (self);
}

static gboolean
sqlite_backend_get_patient (StriaeStoreBackend  *backend,
                            gint64               id,
                            StriaePatient      **patient,
                            GError             **error)
{
  return sqlite_get_patient (STRIAE_SQLITE_BACKEND (backend), id, patient, error);
}

static gboolean
sqlite_backend_get_patient_archived (StriaeStoreBackend  *backend,
                                     gint64               id,
                                     gboolean            *found,
                                     gboolean            *archived,
                                     GError             **error)
{
  return sqlite_get_patient_archived (STRIAE_SQLITE_BACKEND (backend), id, found, archived,
                                      error);
}

static gboolean
sqlite_backend_set_patient_archived (StriaeStoreBackend  *backend,
                                     gint64               id,
                                     gboolean             archived,
                                     gboolean            *found,
                                     gboolean            *changed,
                                     GError             **error)
{
  return sqlite_set_patient_archived (STRIAE_SQLITE_BACKEND (backend), id, archived, found,
                                      changed, error);
}

static gboolean
sqlite_backend_update_patient (StriaeStoreBackend            *backend,
                               StriaePatient                 *patient,
                               const StriaeStorePatientKeys  *keys,
                               GDateTime                     *now,
                               gboolean                      *found,
                               GDateTime                    **created,
                               GError                       **error)
{
  return sqlite_update_patient (STRIAE_SQLITE_BACKEND (backend), patient, keys, now, found,
                                created, error);
}

static gboolean
sqlite_backend_insert_patients (StriaeStoreBackend            *backend,
                                GPtrArray                     *patients,
                                StriaeStorePatientKeysFunc     keys,
                                gpointer                       keys_data,
                                const char * const            *record_ids,
                                GDateTime                     *now,
                                gint64                        *ids,
                                GError                       **error)
{
  return sqlite_insert_patients (STRIAE_SQLITE_BACKEND (backend), patients, keys, keys_data,
                                 record_ids, now, ids, error);
}

static gint64
sqlite_backend_count_patients (StriaeStoreBackend  *backend,
                               GError             **error)
{
  return sqlite_count_patients (STRIAE_SQLITE_BACKEND (backend), error);
}

static GPtrArray *
sqlite_backend_search_rows (StriaeStoreBackend          *backend,
                            const char                  *text,
                            gboolean                     archived,
                            const StriaePatientSummary  *after,
                            guint                        limit,
                            GCancellable                *cancellable,
                            GError                     **error)
{
  return sqlite_search_rows (STRIAE_SQLITE_BACKEND (backend), text, archived, after, limit,
                             cancellable, error);
}

static gint64
sqlite_backend_count_matches (StriaeStoreBackend  *backend,
                              const char          *text,
                              gboolean             archived,
                              guint                cap,
                              GCancellable        *cancellable,
                              GError             **error)
{
  return sqlite_count_matches (STRIAE_SQLITE_BACKEND (backend), text, archived, cap,
                               cancellable, error);
}

/* Consultations and revisions (striae-sqlite-consultations.c) */

#define SELF(backend) STRIAE_SQLITE_BACKEND (backend)

static gboolean
sqlite_backend_insert_consultation (StriaeStoreBackend  *backend,
                                    gint64               patient_id,
                                    GDateTime           *created,
                                    gint64              *id,
                                    GError             **error)
{
  return sqlite_insert_consultation (SELF (backend), patient_id, created, id, error);
}

static gboolean
sqlite_backend_insert_revision (StriaeStoreBackend         *backend,
                                const StriaeStoreRevision  *revision,
                                GError                    **error)
{
  return sqlite_insert_revision (SELF (backend), revision, error);
}

static gboolean
sqlite_backend_update_revision (StriaeStoreBackend         *backend,
                                const StriaeStoreRevision  *revision,
                                gboolean                   *found,
                                GError                    **error)
{
  return sqlite_update_revision (SELF (backend), revision, found, error);
}

static gboolean
sqlite_backend_get_latest_status (StriaeStoreBackend        *backend,
                                  gint64                     id,
                                  gboolean                  *found,
                                  gint64                    *patient_id,
                                  guint                     *revision,
                                  StriaeConsultationStatus  *status,
                                  GError                   **error)
{
  return sqlite_get_latest_status (SELF (backend), id, found, patient_id, revision, status,
                                   error);
}

static gboolean
sqlite_backend_get_revision (StriaeStoreBackend   *backend,
                             gint64                id,
                             guint                 revision,
                             StriaeStoreRevision **result,
                             GError              **error)
{
  return sqlite_get_revision (SELF (backend), id, revision, result, error);
}

static GPtrArray *
sqlite_backend_list_revisions (StriaeStoreBackend  *backend,
                               gint64               id,
                               GError             **error)
{
  return sqlite_list_revisions (SELF (backend), id, error);
}

static GPtrArray *
sqlite_backend_list_consultations (StriaeStoreBackend  *backend,
                                   gint64               patient_id,
                                   GError             **error)
{
  return sqlite_list_consultations (SELF (backend), patient_id, error);
}

static gboolean
sqlite_backend_delete_revision (StriaeStoreBackend  *backend,
                                gint64               id,
                                guint                revision,
                                GError             **error)
{
  return sqlite_delete_revision (SELF (backend), id, revision, error);
}

static gboolean
sqlite_backend_delete_consultation (StriaeStoreBackend  *backend,
                                    gint64               id,
                                    GError             **error)
{
  return sqlite_delete_consultation (SELF (backend), id, error);
}

static gboolean
sqlite_backend_patient_has_draft (StriaeStoreBackend  *backend,
                                  gint64               patient_id,
                                  gboolean            *has_draft,
                                  GError             **error)
{
  return sqlite_patient_has_draft (SELF (backend), patient_id, has_draft, error);
}

static gboolean
sqlite_backend_set_resume_page (StriaeStoreBackend  *backend,
                                gint64               id,
                                const char          *page,
                                gboolean            *found,
                                GError             **error)
{
  return sqlite_set_resume_page (SELF (backend), id, page, found, error);
}

static gboolean
sqlite_backend_get_resume_page (StriaeStoreBackend  *backend,
                                gint64               id,
                                char               **page,
                                GError             **error)
{
  return sqlite_get_resume_page (SELF (backend), id, page, error);
}

static gboolean
sqlite_backend_get_rules (StriaeStoreBackend  *backend,
                          char               **document,
                          GError             **error)
{
  return sqlite_get_rules (SELF (backend), document, error);
}

static gboolean
sqlite_backend_set_rules (StriaeStoreBackend  *backend,
                          const char          *document,
                          GError             **error)
{
  return sqlite_set_rules (SELF (backend), document, error);
}

static gboolean
sqlite_backend_set_planned_sessions (StriaeStoreBackend  *backend,
                                     gint64               consultation_id,
                                     guint                revision,
                                     GArray              *dates,
                                     GError             **error)
{
  return sqlite_set_planned_sessions (SELF (backend), consultation_id, revision, dates, error);
}

static GArray *
sqlite_backend_find_planned_sessions (StriaeStoreBackend  *backend,
                                      const GDate         *date,
                                      GError             **error)
{
  return sqlite_find_planned_sessions (SELF (backend), date, error);
}

static GPtrArray *
sqlite_backend_list_finished_revisions (StriaeStoreBackend  *backend,
                                        gint64               after_id,
                                        guint                after_revision,
                                        guint                limit,
                                        GError             **error)
{
  return sqlite_list_finished_revisions (SELF (backend), after_id, after_revision, limit,
                                         error);
}

#undef SELF

/* Writes the file at @path, as far as it exists, to the disk. */
static gboolean
sync_file (const char  *path,
           GError     **error)
{
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  int saved;

  if (fd < 0 && errno == ENOENT)
    return TRUE;
  if (fd >= 0 && fsync (fd) == 0)
    return g_close (fd, error);

  saved = errno;
  if (fd >= 0)
    g_close (fd, NULL);
  g_set_error (error, STRIAE_STORE_ERROR,
               saved == ENOSPC ? STRIAE_STORE_ERROR_FULL : STRIAE_STORE_ERROR_FAILED,
               _("The database %s could not be written to the disk: %s."), path,
               g_strerror (saved));
  return FALSE;
}

/* In WAL mode, synchronous = NORMAL leaves a commit in the log without syncing it, which
 * keeps the database consistent through any crash and the commit through a crash of Striae.
 * Once the bulk ends, FULL is back, and syncing the log and the file (a checkpoint syncs the
 * file before the log restarts) makes every commit of the bulk durable. In another journal
 * mode NORMAL could damage the file on a power cut, so nothing changes there. */
static gboolean
sqlite_backend_set_bulk (StriaeStoreBackend  *backend,
                         gboolean             bulk,
                         GError             **error)
{
  StriaeSqliteBackend *self = STRIAE_SQLITE_BACKEND (backend);
  g_autofree char *wal = NULL;

  if (!self->wal)
    return TRUE;
  if (bulk)
    return sqlite_exec (&self->main, "PRAGMA synchronous = NORMAL", error);

  wal = g_strconcat (self->path, "-wal", NULL);
  return sqlite_exec (&self->main, "PRAGMA synchronous = FULL", error) &&
         sync_file (wal, error) && sync_file (self->path, error);
}

/* For the tests of a full disk: max_page_count, for this connection. */
static gboolean
sqlite_backend_set_size_limit (StriaeStoreBackend  *backend,
                               guint64              max_bytes,
                               GError             **error)
{
  StriaeSqliteBackend *self = STRIAE_SQLITE_BACKEND (backend);
  g_autofree char *sql = NULL;
  gint64 page_size = 0;
  gboolean ok;

  striae_store_mutex_lock (&self->main.lock);
  ok = sqlite_query_int (&self->main, "PRAGMA page_size", &page_size, error);
  if (ok)
    {
      guint64 pages = max_bytes == 0 ? G_MAXUINT32 : MAX (1, max_bytes / (guint64) page_size);

      sql = g_strdup_printf ("PRAGMA max_page_count = %" G_GUINT64_FORMAT, pages);
      ok = sqlite_exec (&self->main, sql, error);
    }
  g_mutex_unlock (&self->main.lock);

  return ok;
}

/* Settings, audit and transfer (striae-sqlite-audit.c, striae-sqlite-transfer.c) */

#define SELF(backend) STRIAE_SQLITE_BACKEND (backend)

static gboolean
sqlite_backend_get_setting (StriaeStoreBackend  *backend,
                            const char          *key,
                            char               **value,
                            GError             **error)
{
  return sqlite_get_setting (SELF (backend), key, value, error);
}

static gboolean
sqlite_backend_set_setting (StriaeStoreBackend  *backend,
                            const char          *key,
                            const char          *value,
                            GError             **error)
{
  return sqlite_set_setting (SELF (backend), key, value, error);
}

static gboolean
sqlite_backend_get_account (StriaeStoreBackend      *backend,
                            const char              *name,
                            StriaeStoreAccountRow  **account,
                            GError                 **error)
{
  return sqlite_get_account (SELF (backend), name, account, error);
}

static GPtrArray *
sqlite_backend_list_accounts (StriaeStoreBackend  *backend,
                              GError             **error)
{
  return sqlite_list_accounts (SELF (backend), error);
}

static gboolean
sqlite_backend_insert_account (StriaeStoreBackend           *backend,
                               const StriaeStoreAccountRow  *account,
                               GError                      **error)
{
  return sqlite_insert_account (SELF (backend), account, error);
}

static gboolean
sqlite_backend_update_account (StriaeStoreBackend           *backend,
                               const StriaeStoreAccountRow  *account,
                               gboolean                     *found,
                               GError                      **error)
{
  return sqlite_update_account (SELF (backend), account, found, error);
}

static gboolean
sqlite_backend_audit_get_tail (StriaeStoreBackend    *backend,
                               gint64                 at,
                               StriaeStoreAuditTail  *tail,
                               GError               **error)
{
  return sqlite_audit_get_tail (SELF (backend), at, tail, error);
}

static gboolean
sqlite_backend_audit_get_subject (StriaeStoreBackend  *backend,
                                  gint64               patient_id,
                                  char               **subject,
                                  GError             **error)
{
  return sqlite_audit_get_subject (SELF (backend), patient_id, subject, error);
}

static gboolean
sqlite_backend_audit_append (StriaeStoreBackend           *backend,
                             const StriaeStoreAuditEntry  *entry,
                             GError                      **error)
{
  return sqlite_audit_append (SELF (backend), entry, error);
}

static gboolean
sqlite_backend_audit_read (StriaeStoreBackend       *backend,
                           gint64                    after,
                           guint                     limit,
                           gint64                    patient_id,
                           const char               *action,
                           StriaeStoreAuditRowFunc   func,
                           gpointer                  data,
                           GError                  **error)
{
  return sqlite_audit_read (SELF (backend), after, limit, patient_id, action, func, data,
                            error);
}

static gboolean
sqlite_backend_audit_scan (StriaeStoreBackend       *backend,
                           gint64                   *last_number,
                           StriaeStoreAuditRowFunc   func,
                           gpointer                  data,
                           GError                  **error)
{
  return sqlite_audit_scan (SELF (backend), last_number, func, data, error);
}

static gboolean
sqlite_backend_audit_reseal (StriaeStoreBackend  *backend,
                             gint64               id,
                             const char          *seal,
                             GError             **error)
{
  return sqlite_audit_reseal (SELF (backend), id, seal, error);
}

static gboolean
sqlite_backend_get_patient_record (StriaeStoreBackend  *backend,
                                   gint64               id,
                                   StriaePatient      **patient,
                                   char               **record_id,
                                   gboolean            *archived,
                                   GError             **error)
{
  return sqlite_get_patient_record (SELF (backend), id, patient, record_id, archived, error);
}

static gboolean
sqlite_backend_find_record_id (StriaeStoreBackend  *backend,
                               const char          *record_id,
                               gint64              *patient_id,
                               GError             **error)
{
  return sqlite_find_record_id (SELF (backend), record_id, patient_id, error);
}

static gboolean
sqlite_backend_list_patient_revisions (StriaeStoreBackend       *backend,
                                       gint64                    patient_id,
                                       StriaeStoreRevisionFunc   func,
                                       gpointer                  data,
                                       GError                  **error)
{
  return sqlite_list_patient_revisions (SELF (backend), patient_id, func, data, error);
}

static gboolean
sqlite_backend_erase_patient (StriaeStoreBackend  *backend,
                              gint64               id,
                              gboolean            *found,
                              GError             **error)
{
  return sqlite_erase_patient (SELF (backend), id, found, error);
}

static void
sqlite_backend_purge_erased (StriaeStoreBackend *backend)
{
  sqlite_purge_erased (SELF (backend));
}

static gboolean
sqlite_backend_backup (StriaeStoreBackend         *backend,
                       const char                 *location,
                       gint64                      head_entry,
                       StriaeStoreBackupSealFunc   seal,
                       gpointer                    data,
                       GError                    **error)
{
  return sqlite_backup (SELF (backend), location, head_entry, seal, data, error);
}

static gboolean
sqlite_backend_restore (StriaeStoreBackend  *backend,
                        const char          *location,
                        GError             **error)
{
  return sqlite_restore (SELF (backend), location, error);
}

static void
striae_sqlite_backend_iface_init (StriaeStoreBackendInterface *iface)
{
  iface->dup_engine = sqlite_backend_dup_engine;
  iface->dup_files = sqlite_backend_dup_files;
  iface->ready = sqlite_backend_ready;
  iface->poll_changes = sqlite_backend_poll_changes;
  iface->get_schema_version = sqlite_backend_get_schema_version;
  iface->get_latest_schema_version = sqlite_backend_get_latest_schema_version;
  iface->migrate = sqlite_backend_migrate;
  iface->set_size_limit = sqlite_backend_set_size_limit;
  iface->set_bulk = sqlite_backend_set_bulk;
  iface->lock = sqlite_backend_lock;
  iface->unlock = sqlite_backend_unlock;
  iface->begin = sqlite_backend_begin;
  iface->commit = sqlite_backend_commit;
  iface->rollback = sqlite_backend_rollback;
  iface->get_patient = sqlite_backend_get_patient;
  iface->get_patient_archived = sqlite_backend_get_patient_archived;
  iface->set_patient_archived = sqlite_backend_set_patient_archived;
  iface->update_patient = sqlite_backend_update_patient;
  iface->insert_patients = sqlite_backend_insert_patients;
  iface->count_patients = sqlite_backend_count_patients;
  iface->insert_consultation = sqlite_backend_insert_consultation;
  iface->insert_revision = sqlite_backend_insert_revision;
  iface->update_revision = sqlite_backend_update_revision;
  iface->get_latest_status = sqlite_backend_get_latest_status;
  iface->get_revision = sqlite_backend_get_revision;
  iface->list_revisions = sqlite_backend_list_revisions;
  iface->list_consultations = sqlite_backend_list_consultations;
  iface->delete_revision = sqlite_backend_delete_revision;
  iface->delete_consultation = sqlite_backend_delete_consultation;
  iface->patient_has_draft = sqlite_backend_patient_has_draft;
  iface->set_resume_page = sqlite_backend_set_resume_page;
  iface->get_resume_page = sqlite_backend_get_resume_page;
  iface->get_rules = sqlite_backend_get_rules;
  iface->set_rules = sqlite_backend_set_rules;
  iface->search_rows = sqlite_backend_search_rows;
  iface->count_matches = sqlite_backend_count_matches;
  iface->set_planned_sessions = sqlite_backend_set_planned_sessions;
  iface->find_planned_sessions = sqlite_backend_find_planned_sessions;
  iface->list_finished_revisions = sqlite_backend_list_finished_revisions;
  iface->get_setting = sqlite_backend_get_setting;
  iface->get_account = sqlite_backend_get_account;
  iface->list_accounts = sqlite_backend_list_accounts;
  iface->insert_account = sqlite_backend_insert_account;
  iface->update_account = sqlite_backend_update_account;
  iface->set_setting = sqlite_backend_set_setting;
  iface->audit_get_tail = sqlite_backend_audit_get_tail;
  iface->audit_get_subject = sqlite_backend_audit_get_subject;
  iface->audit_append = sqlite_backend_audit_append;
  iface->audit_read = sqlite_backend_audit_read;
  iface->audit_scan = sqlite_backend_audit_scan;
  iface->audit_reseal = sqlite_backend_audit_reseal;
  iface->get_patient_record = sqlite_backend_get_patient_record;
  iface->find_record_id = sqlite_backend_find_record_id;
  iface->list_patient_revisions = sqlite_backend_list_patient_revisions;
  iface->erase_patient = sqlite_backend_erase_patient;
  iface->purge_erased = sqlite_backend_purge_erased;
  iface->backup = sqlite_backend_backup;
  iface->wait_checked = sqlite_backend_wait_checked;
  iface->restore = sqlite_backend_restore;
  sqlite_treatments_iface_init (iface);
  sqlite_schedule_iface_init (iface);
  sqlite_photos_iface_init (iface);
  sqlite_consent_iface_init (iface);
}

/* Opening */

/* Whether the file is in WAL mode already, asked without changing it. */
static gboolean
sqlite_query_is_wal (Connection *conn)
{
  sqlite3_stmt *stmt = NULL;
  gboolean wal = FALSE;

  if (sqlite3_prepare_v2 (conn->db, "PRAGMA journal_mode", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    wal = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "wal") == 0;
  sqlite3_finalize (stmt);
  return wal;
}

/**
 * striae_sqlite_backend_open:
 * @committed: (nullable): called after each write transaction commits
 * @rolled_back: (nullable): called when one is rolled back
 * @version: (out): the schema version found in the file, 0 for a new or empty one
 * @notice: (out) (transfer full): a sentence about what opening changed, or %NULL
 *
 * Opens the database at @path, creating it (and its folder) when it does not exist, after
 * every check that can refuse the file: its type, whether it can be written, its header,
 * application id and schema version, and SQLite's quick check — which, with
 * STRIAE_STORE_OPEN_FLAGS_CHECK_IN_BACKGROUND in @flags and a file that needs no upgrade, runs
 * in a worker thread instead while reads go on (writes wait for it), and which
 * STRIAE_STORE_OPEN_FLAGS_TRUST_CLEAN_CLOSE skips for a file as Striae closed it after a check
 * (sqlite_check_take_note()). Then the caller migrates it
 * (StriaeStoreBackend's migrate, with the records layer's hooks) and then ready, which
 * opens the connection for searches.
 */
StriaeSqliteBackend *
striae_sqlite_backend_open (const char            *path,
                            gboolean               read_only,
                            StriaeStoreOpenFlags   flags,
                            StriaeSqliteHook       committed,
                            StriaeSqliteHook       rolled_back,
                            gpointer               hook_data,
                            int                   *version,
                            char                 **notice,
                            GError               **error)
{
  g_autoptr(StriaeSqliteBackend) self = NULL;
  gint64 opened_at = g_get_real_time () / G_USEC_PER_SEC;
  gboolean trusted = FALSE;
  gboolean later = FALSE;
  GStatBuf st;
  gboolean exists;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (version != NULL && notice != NULL, NULL);

  *version = 0;
  *notice = NULL;

  self = g_object_new (STRIAE_TYPE_SQLITE_BACKEND, NULL);
  self->path = g_strdup (path);
  self->main.path = self->path;
  self->search.path = self->path;
  self->rows.path = self->path;

  exists = g_stat (path, &st) == 0;
  if (exists && !S_ISREG (st.st_mode))
    {
      sqlite_set_not_a_database (error, path);
      return NULL;
    }

  /* A read-only disk is said as such, before SQLite fails to make its files there. */
  if (exists && !read_only && !sqlite_check_writable (path, TRUE, error))
    return NULL;

  /* Every check that can refuse the file happens before anything writes to it. A file of
   * zero bytes is what an interrupted first start leaves: SQLite treats it as empty. */
  if (exists && st.st_size > 0)
    {
      if (!store_check_header (path, st.st_size, error) ||
          !store_inspect_existing (path, version, error))
        return NULL;
    }

  if (read_only)
    {
      if (!exists)
        {
          g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND,
                       _("There is no database at %s."), path);
          return NULL;
        }
      if (*version < striae_sqlite_backend_get_latest_schema_version ())
        {
          g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_READ_ONLY,
                       _("The database %s needs to be upgraded to this version of Striae, "
                         "which cannot be done while it is opened read-only."), path);
          return NULL;
        }
    }
  else if (exists)
    {
      gboolean current = *version == striae_sqlite_backend_get_latest_schema_version ();
      gint64 noted_at = 0;
      gboolean noted = sqlite_check_take_note (path, &noted_at);

      gboolean verify;

      trusted = (flags & STRIAE_STORE_OPEN_FLAGS_TRUST_CLEAN_CLOSE) != 0 && noted &&
                current && st.st_size > 0;
      later = !trusted && (flags & STRIAE_STORE_OPEN_FLAGS_CHECK_IN_BACKGROUND) != 0 &&
              st.st_size > 0 && current;
      verify = trusted && (flags & STRIAE_STORE_OPEN_FLAGS_VERIFY_TRUSTED) != 0;

      if ((st.st_size > 0 && !later && !trusted && !store_quick_check (path, error)) ||
          !sqlite_narrow_mode (path, &st, notice, error))
        return NULL;
      if (later || verify)
        self->check = sqlite_check_start (path);
      self->check_holds_writes = later;
      self->opened_at = opened_at;
      self->checked_at = trusted ? noted_at : opened_at;
    }
  else if (!sqlite_create_folder_and_file (path, error))
    return NULL;
  else
    self->checked_at = opened_at;
  /* Those who open the file for the window or a command leave the note of a clean close. */
  self->note_on_close = !read_only &&
                        (flags & (STRIAE_STORE_OPEN_FLAGS_CHECK_IN_BACKGROUND |
                                  STRIAE_STORE_OPEN_FLAGS_TRUST_CLEAN_CLOSE)) != 0;

  if (!sqlite_open_connection (&self->main, read_only, error))
    return NULL;
  self->main.committed = committed;
  self->main.hook_data = hook_data;
  if (rolled_back != NULL)
    sqlite3_rollback_hook (self->main.db, rolled_back, hook_data);
  if (self->check != NULL)
    sqlite3_commit_hook (self->main.db, commit_hook_cb, self);
  sqlite3_update_hook (self->main.db, update_hook_cb, self);
  /* Not checked in full this time: SQLite looks harder at each page as it reads it, so that
   * damage is refused before it spreads (a few per cent slower). */
  if (trusted && !sqlite_exec (&self->main, "PRAGMA cell_size_check = ON", error))
    return NULL;

  if (!read_only)
    {
      const char *mode = NULL;
      sqlite3_stmt *stmt = NULL;
      int rc;

      /* Turning WAL on writes the file's header: not before the check has passed. */
      if (self->check != NULL && !sqlite_query_is_wal (&self->main) &&
          !sqlite_write_allowed (self, error))
        return NULL;

      rc = sqlite3_prepare_v2 (self->main.db, "PRAGMA journal_mode = WAL", -1, &stmt, NULL);
      if (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          mode = (const char *) sqlite3_column_text (stmt, 0);
          rc = SQLITE_OK;
        }
      if (rc == SQLITE_OK && g_strcmp0 (mode, "wal") != 0)
        g_debug ("%s stays in journal mode %s", path, mode);
      self->wal = rc == SQLITE_OK && g_strcmp0 (mode, "wal") == 0;
      sqlite3_finalize (stmt);

      if (rc != SQLITE_OK)
        {
          sqlite_set_error (error, path, self->main.db, rc);
          return NULL;
        }
    }

  /* A saved draft or signature must survive a power cut, not only a crash of Striae: in WAL
   * mode, synchronous = NORMAL syncs only at checkpoints, so the last commits could be lost
   * while the database stays consistent; FULL syncs the log at every commit. One fsync per
   * save is cheap next to a person filling in a form, and bulk imports are one commit. */
  if (!read_only && !sqlite_exec (&self->main, "PRAGMA synchronous = FULL", error))
    return NULL;

  self->schema_version = *version;
  self->order_early = (flags & STRIAE_STORE_OPEN_FLAGS_ORDER_IN_BACKGROUND) != 0;
  return g_steal_pointer (&self);
}


const char *
striae_sqlite_backend_get_path (StriaeSqliteBackend *self)
{
  g_return_val_if_fail (STRIAE_IS_SQLITE_BACKEND (self), NULL);

  return self->path;
}
