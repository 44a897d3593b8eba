/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The SQLite backend's insides, shared by the files in src/store/sqlite/ and, until their
 * statements move behind StriaeStoreBackend, by the records layer's files that still speak
 * SQL (see striae-store-private.h). */

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "striae-sqlite-backend.h"
#include "striae-store.h"

G_BEGIN_DECLS

#define BUSY_TIMEOUT_MS 5000

/* A bulk insert (see sqlite_insert_patients()) gets a larger page cache for its duration, so
 * that it does not spill pages to the write-ahead log before it commits. */
#define BULK_THRESHOLD 1000
#define BULK_CACHE_PRAGMA "PRAGMA cache_size = -65536"
#define DEFAULT_CACHE_PRAGMA "PRAGMA cache_size = -2000"

/* The columns sqlite_patient_from_row() reads. */
#define PATIENT_COLUMNS \
  "id, given_name, family_name, birth_date, sex, phone, email, language, notes, created, updated"

/* One SQLite connection, its lock and its prepared statements. SQLite's own mutex (the
 * connection is opened with SQLITE_OPEN_FULLMUTEX) protects single calls; ours keeps a
 * statement or a transaction whole when several threads share the connection. */
typedef struct _SqliteCheck SqliteCheck;
typedef struct _SqliteOrderBuild SqliteOrderBuild;

typedef struct
{
  sqlite3          *db;
  GMutex            lock;
  GHashTable       *statements;
  const char       *path;       /* the database file, owned by the backend */
  StriaeSqliteHook  committed;  /* called when a write transaction has committed */
  gpointer          hook_data;
} Connection;

struct _StriaeSqliteBackend
{
  GObject     parent_instance;

  char       *path;
  int         schema_version;
  gboolean    bulk_cache;   /* the open transaction has the bulk insert's page cache */
  /* CREATE statements of indexes a bulk insert dropped, to run just before the open
   * transaction commits (the audit log's, whose rows come after the patients). */
  GPtrArray  *deferred_indexes;
  gboolean    wal;          /* the file is in WAL mode */
  gint64      data_version; /* the last PRAGMA data_version seen, -1 before the first */

  /* Writes and single-record reads go through `main`; searches through `search`, so that a
   * long search in a worker thread never holds up the window (WAL lets them run side by
   * side). */
  Connection  main;
  Connection  search;
  /* Searches of every kind (the patient list's rows, its counts, ids for the command line)
   * run on `rows`, so that the cheap reads for lists on `search` (a draft flag, a resume
   * page), which the window makes, never wait for a search that steps through its
   * matches. */
  Connection  rows;
  /* The quick check of a file opened with STRIAE_STORE_OPEN_FLAGS_CHECK_IN_BACKGROUND, while
   * it runs or after; %NULL when the file was checked before opening (or is new). */
  SqliteCheck *check;
  /* When the last full check of the file passed (Unix time): before opening, or in the
   * background (then once `check` passed), or as noted at the last clean close; 0 for none.
   * The file's clean close notes it (sqlite_check_leave_note()). */
  gint64       checked_at;
  /* Whether writes wait for `check`'s verdict: not when it checks a file trusted after a
   * clean close (STRIAE_STORE_OPEN_FLAGS_VERIFY_TRUSTED), which started at opened_at. */
  gboolean     check_holds_writes;
  gint64       opened_at;
  gboolean     note_on_close;
  /* The register's order for searches (striae-sqlite-order.c), under the lock of `rows`:
   * the order, or its build in a worker thread while searches rank with SQL; whether the
   * build starts after the first page of the register (STRIAE_STORE_OPEN_FLAGS_ORDER_IN_-
   * BACKGROUND) rather than at the first typed search. */
  SqliteOrder      *order;
  SqliteOrderBuild *order_build;
  gboolean          order_early;
  /* The changes to patients the order does not reflect yet, under `changes_lock`: the ids
   * of the rows written through `main` (its update hook), and whether there were others
   * (another process's commits, seen by sqlite_backend_poll_changes(), or too many). */
  GMutex            changes_lock;
  GArray           *changed_ids;
  gboolean          changed_unknown;
};

/* More changes than this to fold into the register's order (each moves up to the whole
 * array of ids, 4 MB at a million patients): it is built again instead. */
#define ORDER_MAX_FOLD 64

/* striae-sqlite-treatments.c: the session records' part of the interface (issue 17). */
void           sqlite_treatments_iface_init (StriaeStoreBackendInterface *iface);
void           sqlite_schedule_iface_init (StriaeStoreBackendInterface *iface);
void           sqlite_photos_iface_init (StriaeStoreBackendInterface *iface);
void           sqlite_consent_iface_init (StriaeStoreBackendInterface *iface);

/* striae-sqlite-schema.c */
gboolean       sqlite_migrate          (StriaeSqliteBackend              *self,
                                        const StriaeStoreMigrationHooks  *hooks,
                                        gpointer                          data,
                                        GError                          **error);

/* striae-sqlite-patients.c */
StriaePatient *sqlite_patient_from_row (sqlite3_stmt   *stmt);
void           sqlite_bind_patient     (sqlite3_stmt                 *stmt,
                                        StriaePatient                *patient,
                                        const StriaeStorePatientKeys *keys);
gboolean       sqlite_get_patient      (StriaeSqliteBackend  *self,
                                        gint64                id,
                                        StriaePatient       **patient,
                                        GError              **error);
gboolean       sqlite_get_patient_archived (StriaeSqliteBackend  *self,
                                            gint64                id,
                                            gboolean             *found,
                                            gboolean             *archived,
                                            GError              **error);
gboolean       sqlite_set_patient_archived (StriaeSqliteBackend  *self,
                                            gint64                id,
                                            gboolean              archived,
                                            gboolean             *found,
                                            gboolean             *changed,
                                            GError              **error);
gboolean       sqlite_update_patient   (StriaeSqliteBackend            *self,
                                        StriaePatient                  *patient,
                                        const StriaeStorePatientKeys   *keys,
                                        GDateTime                      *now,
                                        gboolean                       *found,
                                        GDateTime                     **created,
                                        GError                        **error);
gboolean       sqlite_insert_patients  (StriaeSqliteBackend           *self,
                                        GPtrArray                     *patients,
                                        StriaeStorePatientKeysFunc     keys_func,
                                        gpointer                       keys_data,
                                        const char * const            *record_ids,
                                        GDateTime                     *now,
                                        gint64                        *ids,
                                        GError                       **error);
gint64         sqlite_count_patients   (StriaeSqliteBackend  *self,
                                        GError              **error);

/* striae-sqlite-consultations.c */
gboolean       sqlite_insert_consultation (StriaeSqliteBackend  *self,
                                           gint64                patient_id,
                                           GDateTime            *created,
                                           gint64               *id,
                                           GError              **error);
gboolean       sqlite_insert_revision  (StriaeSqliteBackend        *self,
                                        const StriaeStoreRevision  *revision,
                                        GError                    **error);
gboolean       sqlite_update_revision  (StriaeSqliteBackend        *self,
                                        const StriaeStoreRevision  *revision,
                                        gboolean                   *found,
                                        GError                    **error);
gboolean       sqlite_get_latest_status (StriaeSqliteBackend        *self,
                                         gint64                      id,
                                         gboolean                   *found,
                                         gint64                     *patient_id,
                                         guint                      *revision,
                                         StriaeConsultationStatus   *status,
                                         GError                    **error);
gboolean       sqlite_get_revision     (StriaeSqliteBackend   *self,
                                        gint64                 id,
                                        guint                  revision,
                                        StriaeStoreRevision  **result,
                                        GError               **error);
GPtrArray     *sqlite_list_revisions   (StriaeSqliteBackend  *self,
                                        gint64                id,
                                        GError              **error);
GPtrArray     *sqlite_list_consultations (StriaeSqliteBackend  *self,
                                          gint64                patient_id,
                                          GError              **error);
gboolean       sqlite_delete_revision  (StriaeSqliteBackend  *self,
                                        gint64                id,
                                        guint                 revision,
                                        GError              **error);
gboolean       sqlite_delete_consultation (StriaeSqliteBackend  *self,
                                           gint64                id,
                                           GError              **error);
gboolean       sqlite_patient_has_draft (StriaeSqliteBackend  *self,
                                         gint64                patient_id,
                                         gboolean             *has_draft,
                                         GError              **error);
gboolean       sqlite_set_resume_page  (StriaeSqliteBackend  *self,
                                        gint64                id,
                                        const char           *page,
                                        gboolean             *found,
                                        GError              **error);
gboolean       sqlite_get_resume_page  (StriaeSqliteBackend  *self,
                                        gint64                id,
                                        char                **page,
                                        GError              **error);
gboolean       sqlite_get_rules        (StriaeSqliteBackend  *self,
                                        char                **document,
                                        GError              **error);
gboolean       sqlite_set_rules        (StriaeSqliteBackend  *self,
                                        const char           *document,
                                        GError              **error);
gboolean       sqlite_set_planned_sessions    (StriaeSqliteBackend  *self,
                                               gint64                consultation_id,
                                               guint                 revision,
                                               GArray               *dates,
                                               GError              **error);
GArray        *sqlite_find_planned_sessions   (StriaeSqliteBackend  *self,
                                               const GDate          *date,
                                               GError              **error);
GPtrArray     *sqlite_list_finished_revisions (StriaeSqliteBackend  *self,
                                               gint64                after_id,
                                               guint                 after_revision,
                                               guint                 limit,
                                               GError              **error);

/* striae-sqlite-order.c */
void           sqlite_order_note_change (StriaeSqliteBackend  *self,
                                         gint64                id,
                                         gboolean              known);
void           sqlite_order_build_free (SqliteOrderBuild     *build);

/* striae-sqlite-search.c */
GPtrArray     *sqlite_search_rows      (StriaeSqliteBackend          *self,
                                        const char                   *text,
                                        gboolean                      archived,
                                        const StriaePatientSummary   *after,
                                        guint                         limit,
                                        GCancellable                 *cancellable,
                                        GError                      **error);
gint64         sqlite_count_matches    (StriaeSqliteBackend  *self,
                                        const char           *text,
                                        gboolean              archived,
                                        guint                 cap,
                                        GCancellable         *cancellable,
                                        GError              **error);

/* striae-sqlite-audit.c */
gboolean       sqlite_get_setting      (StriaeSqliteBackend  *self,
                                        const char           *key,
                                        char                **value,
                                        GError              **error);
gboolean       sqlite_set_setting      (StriaeSqliteBackend  *self,
                                        const char           *key,
                                        const char           *value,
                                        GError              **error);
gboolean       sqlite_get_account      (StriaeSqliteBackend     *self,
                                        const char              *name,
                                        StriaeStoreAccountRow  **account,
                                        GError                 **error);
GPtrArray     *sqlite_list_accounts    (StriaeSqliteBackend     *self,
                                        GError                 **error);
gboolean       sqlite_insert_account   (StriaeSqliteBackend          *self,
                                        const StriaeStoreAccountRow  *account,
                                        GError                      **error);
gboolean       sqlite_update_account   (StriaeSqliteBackend          *self,
                                        const StriaeStoreAccountRow  *account,
                                        gboolean                     *found,
                                        GError                      **error);
gboolean       sqlite_audit_read_tail  (sqlite3               *db,
                                        gint64                 at,
                                        StriaeStoreAuditTail  *tail);
gboolean       sqlite_audit_get_tail   (StriaeSqliteBackend   *self,
                                        gint64                 at,
                                        StriaeStoreAuditTail  *tail,
                                        GError               **error);
gboolean       sqlite_audit_get_subject (StriaeSqliteBackend  *self,
                                         gint64                patient_id,
                                         char                **subject,
                                         GError              **error);
gboolean       sqlite_audit_append     (StriaeSqliteBackend          *self,
                                        const StriaeStoreAuditEntry  *entry,
                                        GError                      **error);
gboolean       sqlite_audit_read       (StriaeSqliteBackend      *self,
                                        gint64                    after,
                                        guint                     limit,
                                        gint64                    patient_id,
                                        const char               *action,
                                        StriaeStoreAuditRowFunc   func,
                                        gpointer                  data,
                                        GError                  **error);
gboolean       sqlite_audit_scan       (StriaeSqliteBackend      *self,
                                        gint64                   *last_number,
                                        StriaeStoreAuditRowFunc   func,
                                        gpointer                  data,
                                        GError                  **error);
gboolean       sqlite_audit_reseal     (StriaeSqliteBackend  *self,
                                        gint64                id,
                                        const char           *seal,
                                        GError              **error);

/* striae-sqlite-transfer.c */
gboolean       sqlite_get_patient_record (StriaeSqliteBackend  *self,
                                          gint64                id,
                                          StriaePatient       **patient,
                                          char                **record_id,
                                          gboolean             *archived,
                                          GError              **error);
gboolean       sqlite_find_record_id   (StriaeSqliteBackend  *self,
                                        const char           *record_id,
                                        gint64               *patient_id,
                                        GError              **error);
gboolean       sqlite_list_patient_revisions (StriaeSqliteBackend      *self,
                                              gint64                    patient_id,
                                              StriaeStoreRevisionFunc   func,
                                              gpointer                  data,
                                              GError                  **error);
gboolean       sqlite_erase_patient    (StriaeSqliteBackend  *self,
                                        gint64                id,
                                        gboolean             *found,
                                        GError              **error);
void           sqlite_purge_erased     (StriaeSqliteBackend  *self);
gboolean       sqlite_backup           (StriaeSqliteBackend         *self,
                                        const char                  *path,
                                        gint64                       head_entry,
                                        StriaeStoreBackupSealFunc    seal,
                                        gpointer                     data,
                                        GError                     **error);
gboolean       sqlite_restore          (StriaeSqliteBackend  *self,
                                        const char           *path,
                                        GError              **error);

/* striae-sqlite-file.c */
void           sqlite_set_error        (GError        **error,
                                        const char     *path,
                                        sqlite3        *db,
                                        int             rc);
sqlite3_stmt  *sqlite_prepare          (Connection     *conn,
                                        const char     *sql,
                                        GError        **error);
void           sqlite_statement_done   (sqlite3_stmt   *stmt);
gboolean       sqlite_statement_finish (Connection     *conn,
                                        sqlite3_stmt   *stmt,
                                        int             rc,
                                        GError        **error);
gboolean       sqlite_step_done        (Connection     *conn,
                                        sqlite3_stmt   *stmt,
                                        GError        **error);
gboolean       sqlite_exec             (Connection     *conn,
                                        const char     *sql,
                                        GError        **error);
gboolean       sqlite_query_int        (Connection     *conn,
                                        const char     *sql,
                                        gint64         *value,
                                        GError        **error);
void           sqlite_rollback         (Connection     *conn);
void           sqlite_set_not_a_database (GError      **error,
                                          const char   *path);
gboolean       sqlite_check_writable   (const char     *path,
                                        gboolean        exists,
                                        GError        **error);
gboolean       sqlite_narrow_mode      (const char     *path,
                                        GStatBuf       *st,
                                        char          **notice,
                                        GError        **error);
gboolean       sqlite_create_folder_and_file (const char  *path,
                                              GError     **error);
gboolean       sqlite_open_connection  (Connection     *conn,
                                        gboolean        read_only,
                                        GError        **error);
gboolean       store_check_header      (const char     *path,
                                        goffset         size,
                                        GError        **error);
char         **store_dup_database_files (const char    *path);
int            store_open_read_only    (const char     *path,
                                        sqlite3       **db);
gboolean       store_quick_check       (const char     *path,
                                        GError        **error);
gboolean       store_quick_check_connection (const char  *path,
                                             sqlite3     *db,
                                             GError     **error);

/* The quick check in a worker thread (striae-sqlite-check.c) */
SqliteCheck   *sqlite_check_start      (const char     *path);
gboolean       sqlite_check_wait       (SqliteCheck    *check,
                                        GCancellable   *cancellable,
                                        GError        **error);
void           sqlite_check_free       (SqliteCheck    *check);
gboolean       sqlite_check_passed     (SqliteCheck    *check);
gboolean       sqlite_check_sound_so_far (SqliteCheck  *check,
                                          GError      **error);
gboolean       sqlite_check_take_note  (const char     *path,
                                        gint64         *checked_at);
void           sqlite_check_leave_note (const char     *path,
                                        gint64          checked_at);
gboolean       store_inspect_existing  (const char     *path,
                                        int            *version,
                                        GError        **error);

G_END_DECLS
