/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "striae-consent-signature.h"
#include "striae-consultation.h"
#include "striae-patient.h"
#include "striae-patient-summary.h"
#include "striae-photo.h"
#include "striae-schedule.h"

G_BEGIN_DECLS

#define STRIAE_TYPE_STORE_BACKEND (striae_store_backend_get_type ())

G_DECLARE_INTERFACE (StriaeStoreBackend, striae_store_backend, STRIAE, STORE_BACKEND, GObject)

/* Where the records live: the seam between the records layer (StriaeStore: validation, the
 * consultation life cycle, the audit chain, erasure, import and export) and one storage
 * engine. Whatever differs between engines (placeholders, upserts, JSON access, full-text
 * search, locking) stays behind it; src/store/sqlite/ implements it for a single file and
 * src/store/postgresql/ for a clinic's server.
 *
 * The write lock keeps a statement or a transaction whole when several threads share the
 * backend: the records layer takes it around every transaction it opens. Errors are
 * STRIAE_STORE_ERROR, in sentences the user can act on.
 *
 * Everything the records layer stores goes through this seam (issue 13). */
/* What the records layer lends a migration: how it computes the search names of a patient
 * (for a backfill), and C code that a step needs besides the backend's statements, run
 * inside the step's transaction after them (@data is the migrate call's). */
typedef struct
{
  char     *(*search_names) (const char  *given,
                             const char  *family);
  gboolean  (*after_step)   (int          version,
                             gpointer     data,
                             GError     **error);
} StriaeStoreMigrationHooks;

/* What the records layer computes for a patient's row besides the patient's fields, and
 * what the backend stores with them: the phone number's digits (so that "0612" finds
 * "06 12 34 56 78"), the sort key (names folded, for the register's order) and the search
 * names (spellings typed without the letters the index does not fold). */
typedef struct
{
  char *phone_digits;
  char *sort_key;
  char *search_names;
} StriaeStorePatientKeys;

/* One stored revision of a consultation: its keys, the consultation document and what the
 * records keep beside it. The document (JSON as striae_consultation_to_json() writes it) is
 * the one source of the consultation's facts: status, date, practitioner, rules, plan, not
 * treated. A backend may derive what it filters on from the document (generated columns, an
 * expression index) but never stores those facts apart from it. The keys (consultation id,
 * revision, patient) are the row's; the records layer sets them on the consultation it reads. */
typedef struct
{
  gint64     consultation_id;
  guint      revision;
  gint64     patient_id;
  char      *document;
  GDateTime *created;
  /* The revision's stamp too (striae_consultation_get_stored_stamp()): the records layer
   * compares it, formatted with striae_store_format_timestamp(), to refuse writes over a
   * revision changed since it was read, so a backend keeps it to the microsecond, in UTC,
   * and gives it back exactly as it was written. */
  GDateTime *updated;
  char      *signed_by;   /* NULL while not signed */
  GDateTime *signed_at;   /* NULL while not signed */
} StriaeStoreRevision;

/* One stored revision of a session record (issue 17): its keys and the session document
 * (JSON as striae_treatment_session_to_json() writes it), which is the one source of the
 * record's facts, as for a consultation's revision. */
typedef struct
{
  gint64     session_id;
  guint      revision;
  gint64     consultation_id;
  gint64     patient_id;
  char      *document;
  GDateTime *created;
  GDateTime *updated;
  char      *signed_by;   /* NULL while not signed */
  GDateTime *signed_at;   /* NULL while not signed */
} StriaeStoreSessionRevision;

/* A product batch a session received: what the lot index keeps of each product of a
 * revision (@lot_key is the lot folded by the records layer, what the index is searched by),
 * and, read back by find_batch, whose session it was. */
typedef struct
{
  gint64  session_id;
  guint   revision;
  gint64  consultation_id;
  gint64  patient_id;
  char   *date;      /* the session's date, YYYY-MM-DD, "" while none */
  char   *product;
  char   *lot;
  char   *lot_key;
} StriaeStoreBatchUse;

/* A value as the engine stored it, with its type: the audit chain seals each column with
 * its type, so that a value changed to another type (or to NULL) no longer holds. @data
 * and @size hold a text (UTF-8, without its NUL) or a blob; the memory belongs to the
 * backend and lasts until the callback that receives the value returns. */
typedef enum
{
  STRIAE_STORE_VALUE_NULL,
  STRIAE_STORE_VALUE_INTEGER,
  STRIAE_STORE_VALUE_REAL,
  STRIAE_STORE_VALUE_TEXT,
  STRIAE_STORE_VALUE_BLOB,
} StriaeStoreValueType;

typedef struct
{
  StriaeStoreValueType  type;
  gint64                integer;
  double                real;
  const guint8         *data;
  gsize                 size;
} StriaeStoreValue;

/* The columns of an audit row after its number, in the order they are sealed. */
typedef enum
{
  STRIAE_AUDIT_COLUMN_AT,
  STRIAE_AUDIT_COLUMN_ACTOR,
  STRIAE_AUDIT_COLUMN_ACTION,
  STRIAE_AUDIT_COLUMN_SUBJECT,          /* the patient's audit subject, NULL for none */
  STRIAE_AUDIT_COLUMN_CONSULTATION_ID,  /* NULL for none */
  STRIAE_AUDIT_COLUMN_DETAIL,
  STRIAE_AUDIT_COLUMN_SEAL,
  STRIAE_AUDIT_N_COLUMNS
} StriaeAuditColumn;

/* One audit row as stored, for reading: its number and its columns as the engine keeps
 * them (which may not be what Striae wrote, when someone changed the file). */
typedef struct
{
  gint64            id;
  StriaeStoreValue  columns[STRIAE_AUDIT_N_COLUMNS];
} StriaeStoreAuditRow;

/* Called for each row read, in order of their numbers; returning FALSE stops the reading
 * (no error). */
typedef gboolean (*StriaeStoreAuditRowFunc) (const StriaeStoreAuditRow *row,
                                             gpointer                   data);

/* One audit row to append, as the records layer sealed it. */
typedef struct
{
  gint64      id;
  const char *at;
  const char *actor;
  const char *action;
  const char *subject;          /* NULL: none */
  gint64      consultation_id;  /* 0: none */
  const char *detail;
  const char *seal;
} StriaeStoreAuditEntry;

/* The end of the audit log: the highest number ever given to a row (rows removed from the
 * end leave it behind them), the newest row there and its seal, and the seal of the row
 * numbered @at when asked for and stored as a text. */
typedef struct
{
  gint64            last_number;
  gint64            last_id;         /* 0 for an empty log */
  StriaeStoreValue  last_seal;       /* NULL-typed for an empty log; data owned by the tail */
  char             *seal_at;         /* NULL when there is none, or not a text */
} StriaeStoreAuditTail;

void       striae_store_audit_tail_clear (StriaeStoreAuditTail *tail);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (StriaeStoreAuditTail, striae_store_audit_tail_clear)

/* A consultation's revision as stored, for an export: the consultation document (JSON, as
 * the core writes it) and what the records keep beside it. */
typedef struct
{
  const char *data;
  const char *created;
  const char *updated;
  const char *signed_by;  /* NULL: not signed */
  const char *signed_at;
} StriaeStoreRevisionText;

typedef gboolean (*StriaeStoreRevisionFunc) (const StriaeStoreRevisionText *revision,
                                             gpointer                       data,
                                             GError                       **error);

/* Asked by a backup for the settings to put into the copy alone, given the copy's audit
 * tail (with the seal at the entry the backup was asked about): a NULL-terminated list of
 * keys and values, or NULL with @error set. */
typedef char **(*StriaeStoreBackupSealFunc) (const StriaeStoreAuditTail  *tail,
                                             gpointer                     data,
                                             GError                     **error);

/* An account on this computer as the records keep it (striae-store-accounts.c has its
 * rules). @role is "assistant", "practitioner" or "admin"; @password_hash is what
 * crypto_pwhash_str() wrote; @failures counts the wrong passwords since the last sign-in,
 * the last of them at @last_failure (NULL: none). */
typedef struct
{
  char      *name;
  char      *display_name;
  char      *role;
  char      *password_hash;
  GDateTime *created;
  gboolean   disabled;
  guint      failures;
  GDateTime *last_failure;
} StriaeStoreAccountRow;

/* Computes the keys of one patient's row (the records layer's rules), called by the
 * backend as it stores each row, so that a large batch never holds them all at once. */
typedef void (*StriaeStorePatientKeysFunc) (StriaePatient           *patient,
                                            StriaeStorePatientKeys  *keys,
                                            gpointer                 data);

struct _StriaeStoreBackendInterface
{
  GTypeInterface parent_iface;

  /* The engine and its version, for reports and the benchmark, e.g. "SQLite 3.40.1". */
  char      *(*dup_engine)              (StriaeStoreBackend  *self);
  /* The files on this computer that hold the records (NULL-terminated; NULL or empty for
   * a server), so that nothing Striae writes lands on one of them. */
  char     **(*dup_files)               (StriaeStoreBackend  *self);

  /* The schema version of the records, and the newest this backend knows. Each step of
   * migrate moves the schema one version up in a transaction of its own; a newer schema
   * than the backend knows is refused with STRIAE_STORE_ERROR_TOO_NEW. */
  int        (*get_schema_version)      (StriaeStoreBackend  *self);
  int        (*get_latest_schema_version) (StriaeStoreBackend *self);
  gboolean   (*migrate)                 (StriaeStoreBackend              *self,
                                         const StriaeStoreMigrationHooks *hooks,
                                         gpointer                         data,
                                         GError                         **error);
  /* Called once the records are at this version's schema, before the first read: what a
   * backend opens only then (NULL: nothing). */
  gboolean   (*ready)                   (StriaeStoreBackend              *self,
                                         GError                         **error);
  /* Waits for the verdict of a check of the records started when they were opened
   * (STRIAE_STORE_OPEN_FLAGS_CHECK_IN_BACKGROUND); %FALSE with its sentence when they are
   * damaged, or G_IO_ERROR_CANCELLED when @cancellable was cancelled first. Any thread, no
   * lock held. NULL: nothing is checked after opening. */
  gboolean   (*wait_checked)            (StriaeStoreBackend              *self,
                                         GCancellable                    *cancellable,
                                         GError                         **error);

  /* Caps the size of the records (as the engine counts it); writes beyond it fail with
   * STRIAE_STORE_ERROR_FULL, as on a full disk. 0 lifts the cap. For tests. */
  gboolean   (*set_size_limit)          (StriaeStoreBackend  *self,
                                         guint64              max_bytes,
                                         GError             **error);

  /* A bulk of writes (an import of many records, each in a transaction of its own): while
   * on, a commit need not reach the disk at once (the engine may leave it to the operating
   * system, which keeps it through a crash of the process but not of the computer); turning
   * it off makes every commit since it was turned on durable before it returns. NULL where
   * every commit is durable at once anyway. Called with the lock held, outside a
   * transaction. */
  gboolean   (*set_bulk)                (StriaeStoreBackend  *self,
                                         gboolean             bulk,
                                         GError             **error);

  void       (*lock)                    (StriaeStoreBackend  *self);
  void       (*unlock)                  (StriaeStoreBackend  *self);

  /* A write transaction, which takes the engine's write lock at once, so that it cannot
   * fail half-way for another writer; commit and rollback end it. Rollback does nothing
   * outside a transaction. */
  gboolean   (*begin)                   (StriaeStoreBackend  *self,
                                         GError             **error);
  gboolean   (*commit)                  (StriaeStoreBackend  *self,
                                         GError             **error);
  void       (*rollback)                (StriaeStoreBackend  *self);

  /* Patients. Not found is no error: @patient NULL, or @found FALSE, and the records layer
   * says so. set_patient_archived and update_patient run in the caller's transaction;
   * @changed is FALSE when the patient already was as asked; @created is the row's creation
   * time. count_patients gives -1 with @error set. */
  gboolean   (*get_patient)             (StriaeStoreBackend  *self,
                                         gint64               id,
                                         StriaePatient      **patient,
                                         GError             **error);
  gboolean   (*get_patient_archived)    (StriaeStoreBackend  *self,
                                         gint64               id,
                                         gboolean            *found,
                                         gboolean            *archived,
                                         GError             **error);
  gboolean   (*set_patient_archived)    (StriaeStoreBackend  *self,
                                         gint64               id,
                                         gboolean             archived,
                                         gboolean            *found,
                                         gboolean            *changed,
                                         GError             **error);
  gboolean   (*update_patient)          (StriaeStoreBackend            *self,
                                         StriaePatient                 *patient,
                                         const StriaeStorePatientKeys  *keys,
                                         GDateTime                     *now,
                                         gboolean                      *found,
                                         GDateTime                    **created,
                                         GError                       **error);
  gint64     (*count_patients)          (StriaeStoreBackend  *self,
                                         GError             **error);

  /* Adds @patients (StriaePatient, validated by the records layer) with the keys @keys
   * computes for each as its row is stored, in the caller's transaction, created and
   * updated at @now; @record_ids (nullable; an entry NULL for a new one) are their record
   * ids. Their ids go into @ids, in order; nothing is set on the patients. A backend may
   * make a large batch faster than one row at a time. */
  gboolean   (*insert_patients)         (StriaeStoreBackend            *self,
                                         GPtrArray                     *patients,
                                         StriaeStorePatientKeysFunc     keys,
                                         gpointer                       keys_data,
                                         const char * const            *record_ids,
                                         GDateTime                     *now,
                                         gint64                        *ids,
                                         GError                       **error);

  /* Consultations and revisions.
   *
   * A consultation is a number with one or more revisions (StriaeStoreRevision). The records
   * layer keeps every rule of their life (who may save, sign, amend or discard what); the
   * backend stores and reads, and refuses to change a signed revision at all (update_revision
   * fails with STRIAE_STORE_ERROR_LOCKED) as the last guard, which a server enforces for every
   * client. Writes run in the caller's transaction. Reads are called with the lock held
   * (lock()), inside a transaction or not; patient_has_draft and get_resume_page are cheap
   * reads for lists, called from any thread without it. Not found is no error: an id 0, a
   * NULL revision, @found FALSE or an empty list, and the records layer says so. */

  /* A new consultation number of patient @patient_id, started at @created: @id, or 0 when
   * there is no such patient (a server can insert from a SELECT of the patient, so that no
   * failed statement spoils the caller's transaction). */
  gboolean   (*insert_consultation)     (StriaeStoreBackend  *self,
                                         gint64               patient_id,
                                         GDateTime           *created,
                                         gint64              *id,
                                         GError             **error);
  /* Adds @revision (its patient_id is the consultation's and is not stored again). */
  gboolean   (*insert_revision)         (StriaeStoreBackend         *self,
                                         const StriaeStoreRevision  *revision,
                                         GError                    **error);
  /* Replaces the document, the updated time and the signature of a stored revision (its
   * creation time stays). A signed stored revision is refused with
   * STRIAE_STORE_ERROR_LOCKED. */
  gboolean   (*update_revision)         (StriaeStoreBackend         *self,
                                         const StriaeStoreRevision  *revision,
                                         gboolean                   *found,
                                         GError                    **error);
  /* The latest revision's number, patient and status (as its document says). Inside a
   * transaction, the backend keeps other writers off that consultation until the transaction
   * ends (SELECT … FOR UPDATE on a server), so that what the records layer checks still holds
   * when it writes. */
  gboolean   (*get_latest_status)       (StriaeStoreBackend        *self,
                                         gint64                     id,
                                         gboolean                  *found,
                                         gint64                    *patient_id,
                                         guint                     *revision,
                                         StriaeConsultationStatus  *status,
                                         GError                   **error);
  /* Revision @revision of consultation @id, the latest for 0; NULL when there is none. */
  gboolean   (*get_revision)            (StriaeStoreBackend   *self,
                                         gint64                id,
                                         guint                 revision,
                                         StriaeStoreRevision **result,
                                         GError              **error);
  /* Every revision (StriaeStoreRevision) of consultation @id, oldest first. */
  GPtrArray *(*list_revisions)          (StriaeStoreBackend  *self,
                                         gint64               id,
                                         GError             **error);
  /* The latest revision of each consultation of patient @patient_id, newest first: by the
   * document's date, or by when the consultation was started while it has none; then by id,
   * the newest first. */
  GPtrArray *(*list_consultations)      (StriaeStoreBackend  *self,
                                         gint64               patient_id,
                                         GError             **error);
  /* Removes one revision, or a whole consultation with its revisions and resume page. */
  gboolean   (*delete_revision)         (StriaeStoreBackend  *self,
                                         gint64               id,
                                         guint                revision,
                                         GError             **error);
  gboolean   (*delete_consultation)     (StriaeStoreBackend  *self,
                                         gint64               id,
                                         GError             **error);
  /* Whether a consultation of the patient has a draft as its latest revision. */
  gboolean   (*patient_has_draft)       (StriaeStoreBackend  *self,
                                         gint64               patient_id,
                                         gboolean            *has_draft,
                                         GError             **error);
  /* The wizard page a consultation was left on ("" for none): not part of the record, not
   * audited, not kept per revision. get_resume_page gives @page NULL when there is no such
   * consultation. */
  gboolean   (*set_resume_page)         (StriaeStoreBackend  *self,
                                         gint64               id,
                                         const char          *page,
                                         gboolean            *found,
                                         GError             **error);
  gboolean   (*get_resume_page)         (StriaeStoreBackend  *self,
                                         gint64               id,
                                         char               **page,
                                         GError             **error);
  /* The clinic's rules, one document (striae_rules_to_json()); @document NULL when the clinic
   * never saved any. set_rules runs in the caller's transaction. */
  gboolean   (*get_rules)               (StriaeStoreBackend  *self,
                                         char               **document,
                                         GError             **error);
  gboolean   (*set_rules)               (StriaeStoreBackend  *self,
                                         const char          *document,
                                         GError             **error);
  /* The patients matching @text, best first: every word typed is a prefix and all must
   * match; when every word is a group of digits, the digits run together also match a phone
   * number. The order goes by tiers: the patients whose every word matches in their names,
   * then with their search names, then with their phone number or date of birth, then with
   * their email address; within a tier, by sort key then id. An empty @text (or one with
   * nothing searchable) lists everyone by sort key. Only archived patients when @archived,
   * only the others otherwise.
   *
   * The one search, the patient list's and every other's (their ids come from
   * striae_store_backend_search_patients()): the rows (StriaePatientSummary) of those
   * patients in that order (tier as the rank, then sort key, then id), @limit of them
   * (0: all) after @after (NULL: from the first), each with the names, date of birth and
   * draft flag read by the same query; an empty search has rank 0 everywhere. A search runs
   * on a connection of its own, which no read of the window's waits for. Called from worker
   * threads; @cancellable stops a long search. */
  GPtrArray *(*search_rows)             (StriaeStoreBackend          *self,
                                         const char                  *text,
                                         gboolean                     archived,
                                         const StriaePatientSummary  *after,
                                         guint                        limit,
                                         GCancellable                *cancellable,
                                         GError                     **error);
  /* How many patients search_rows() would list, counting no further than @cap (0: all);
   * -1 with @error set. */
  gint64     (*count_matches)           (StriaeStoreBackend          *self,
                                         const char                  *text,
                                         gboolean                     archived,
                                         guint                        cap,
                                         GCancellable                *cancellable,
                                         GError                     **error);

  /* The index of planned session dates (schema step "planned sessions"): the records layer
   * computes a revision's schedule (striae_plan_compute_schedule()) whenever it writes the
   * revision and gives the dates here, empty for a revision that has no planned session (a
   * draft, one signed as not treated); they replace whatever was indexed for that revision,
   * in the caller's transaction. Deleting a revision deletes its dates with it.
   *
   * find_planned_sessions gives the ids (gint64) of the consultations whose latest revision
   * is signed or complete and has a date indexed on @date, by the patient's family and
   * given name; it takes the lock itself. list_finished_revisions gives, for the index's
   * back-fill, at most @limit signed or complete revisions (StriaeStoreRevision) after
   * (@after_id, @after_revision), in that order; called with the lock held. */
  gboolean   (*set_planned_sessions)    (StriaeStoreBackend  *self,
                                         gint64               consultation_id,
                                         guint                revision,
                                         GArray              *dates,
                                         GError             **error);
  GArray    *(*find_planned_sessions)   (StriaeStoreBackend  *self,
                                         const GDate         *date,
                                         GError             **error);
  GPtrArray *(*list_finished_revisions) (StriaeStoreBackend  *self,
                                         gint64               after_id,
                                         guint                after_revision,
                                         guint                limit,
                                         GError             **error);

  /* Change events */

  /* Whether someone else (another process on this computer, another PC on a server) changed
   * the records since the last call; this connection's own writes do not count, and the
   * first call only takes note. Called with the lock held. NULL where the backend cannot
   * tell. A server backend answers from its notifications (LISTEN/NOTIFY). */
  gboolean   (*poll_changes)            (StriaeStoreBackend  *self,
                                         gboolean            *changed,
                                         GError             **error);

  /* Settings */

  /* Small texts by key that the records keep about themselves (the database's id, where
   * its audit key is kept, the head a backup carries). Under the write lock, in the
   * caller's transaction when there is one. A missing key gives @value NULL; setting NULL
   * removes the key. */
  gboolean   (*get_setting)             (StriaeStoreBackend  *self,
                                         const char          *key,
                                         char               **value,
                                         GError             **error);
  gboolean   (*set_setting)             (StriaeStoreBackend  *self,
                                         const char          *key,
                                         const char          *value,
                                         GError             **error);

  /* Optional: whether this login may change what is clinic-wide (the clinic's name,
   * address, logo, practitioners), which a server grants to its administrators alone. Under
   * the write lock. Without it, whoever may write the records may. */
  gboolean   (*may_change_clinic)       (StriaeStoreBackend  *self,
                                         gboolean            *may,
                                         GError             **error);

  /* Accounts (optional: a backend without them has no accounts of its own).
   *
   * get_account finds an account by its name whatever the case (@account NULL when there is
   * none); list_accounts gives every account (StriaeStoreAccountRow), by name. insert_account
   * refuses a name taken (in any case) with STRIAE_STORE_ERROR_CONFLICT; update_account
   * replaces every column but the name and the creation time (@found FALSE when there is no
   * such account). Under the write lock, in the caller's transaction when there is one.
   *
   * dup_login_group: on a server whose logins are the accounts, the group of this login
   * ("striae_admin", "striae_practitioner", "striae_assistant"; the database's owner and a
   * superuser count as striae_admin), %NULL for a server without Striae's groups. */
  gboolean   (*get_account)             (StriaeStoreBackend      *self,
                                         const char              *name,
                                         StriaeStoreAccountRow  **account,
                                         GError                 **error);
  GPtrArray *(*list_accounts)           (StriaeStoreBackend      *self,
                                         GError                 **error);
  gboolean   (*insert_account)          (StriaeStoreBackend           *self,
                                         const StriaeStoreAccountRow  *account,
                                         GError                      **error);
  gboolean   (*update_account)          (StriaeStoreBackend           *self,
                                         const StriaeStoreAccountRow  *account,
                                         gboolean                     *found,
                                         GError                      **error);
  gboolean   (*dup_login_group)         (StriaeStoreBackend      *self,
                                         char                   **group,
                                         GError                 **error);
  /* check_login_password: on a server whose logins are the accounts, whether @password is
   * this login's, asked of the server on a connection of its own: %STRIAE_STORE_ERROR_SIGN_IN
   * when it refuses the password, %STRIAE_STORE_ERROR_NOT_SUPPORTED when it lets this login
   * in without one (trust or peer authentication: there is nothing to check). Without the
   * write lock. dup_login_name: the login's name when the server asked it for a password
   * (so that it can be asked again), %NULL otherwise. */
  gboolean   (*check_login_password)    (StriaeStoreBackend      *self,
                                         const char              *password,
                                         GError                 **error);
  char      *(*dup_login_name)          (StriaeStoreBackend      *self);
  /* dup_session_login: on a server whose logins are the accounts, the login this connection
   * authenticated as (session_user), whether or not the server asked it for a password: the
   * account every audit row of this connection names, which the server records itself
   * (striae-pg-roles.c). %NULL for records with accounts of their own.
   *
   * list_logins: the server's accounts, StriaeStoreAccountRow without a password hash: every
   * staff login (one that may log in, in one of Striae's groups, no superuser), by name, each
   * with its role (its highest group) and its display name (the login's comment on the
   * server, or its name). The database's owner and a superuser are clinic IT's, no staff.
   *
   * set_login_password: gives login @name a new password, of which only a SCRAM-SHA-256
   * verifier made on this computer reaches the server; in the caller's transaction, under
   * the write lock. %STRIAE_STORE_ERROR_NOT_FOUND for no such staff login,
   * %STRIAE_STORE_ERROR_ACCESS_DENIED when the server refuses this login the change. */
  char      *(*dup_session_login)       (StriaeStoreBackend      *self);
  GPtrArray *(*list_logins)             (StriaeStoreBackend      *self,
                                         GError                 **error);
  gboolean   (*set_login_password)      (StriaeStoreBackend      *self,
                                         const char              *name,
                                         const char              *password,
                                         GError                 **error);

  /* Audit */

  /* The audit log is append-only: the records layer numbers and seals each row
   * (striae-store-audit.c) and the backend keeps it as given; a backend on a server should
   * refuse any other change to the rows from anyone (grants, triggers). All of these but
   * audit_scan run under the write lock, audit_append in the caller's transaction. Since
   * begin takes the engine's write lock, no other writer appends between the tail read and
   * the append of one transaction, so that the chain stays one with several writers.
   *
   * audit_get_tail reads the log's end (see StriaeStoreAuditTail), with the seal of row
   * @at (0: none asked). audit_get_subject gives the patient's audit subject, a random
   * token that stands for them in the rows (NULL when they have none yet or were erased).
   * audit_read calls @func for the rows numbered above @after, in order, at most @limit (0:
   * all) of them, only those about @patient_id (0: anyone) and of @action (NULL: any).
   * audit_scan reads every row in order and the highest number given, all of one moment,
   * without holding up writers (a read snapshot), for the check.
   *
   * audit_get_subjects and audit_append_rows, both optional, do what audit_get_subject and
   * audit_append do for @n patients or rows at once, for a bulk (striae_store_add_patients())
   * on a backend where each statement is a round trip; @subjects has room for @n, each set
   * to a new string or NULL. Without them, the records layer calls the others in turn.
   *
   * audit_reseal replaces the seal of row @id: only when the records layer keys a log for
   * the first time (a migration) or makes a restored copy a database of its own. A backend
   * whose rows are unchangeable leaves it NULL, and the call fails. */
  gboolean   (*audit_get_tail)          (StriaeStoreBackend    *self,
                                         gint64                 at,
                                         StriaeStoreAuditTail  *tail,
                                         GError               **error);
  gboolean   (*audit_get_subject)       (StriaeStoreBackend    *self,
                                         gint64                 patient_id,
                                         char                 **subject,
                                         GError               **error);
  gboolean   (*audit_append)            (StriaeStoreBackend           *self,
                                         const StriaeStoreAuditEntry  *entry,
                                         GError                      **error);
  gboolean   (*audit_get_subjects)      (StriaeStoreBackend    *self,
                                         const gint64          *patient_ids,
                                         guint                  n,
                                         char                 **subjects,
                                         GError               **error);
  gboolean   (*audit_append_rows)       (StriaeStoreBackend           *self,
                                         const StriaeStoreAuditEntry  *entries,
                                         guint                         n,
                                         GError                      **error);
  gboolean   (*audit_read)              (StriaeStoreBackend       *self,
                                         gint64                    after,
                                         guint                     limit,
                                         gint64                    patient_id,
                                         const char               *action,
                                         StriaeStoreAuditRowFunc   func,
                                         gpointer                  data,
                                         GError                  **error);
  gboolean   (*audit_scan)              (StriaeStoreBackend       *self,
                                         gint64                   *last_number,
                                         StriaeStoreAuditRowFunc   func,
                                         gpointer                  data,
                                         GError                  **error);
  gboolean   (*audit_reseal)            (StriaeStoreBackend  *self,
                                         gint64               id,
                                         const char          *seal,
                                         GError             **error);
  /* The audit key kept in the records themselves, where every client must seal with the
   * same key (a server, whose schema makes it once and whose triggers keep anyone from
   * changing it): @key NULL when there is none. NULL where the key lives outside the records,
   * with the head of the log (StriaeAuditAnchor: a file's key and head). */
  gboolean   (*audit_get_key)           (StriaeStoreBackend  *self,
                                         GBytes             **key,
                                         GError             **error);

  /* Transfer */

  /* A patient's whole record for an export, and what an import needs, in the caller's
   * transaction. get_patient_record: not found is @patient NULL. find_record_id: 0 when
   * no patient has @record_id. list_patient_revisions calls @func for every revision of every
   * consultation of the patient, by consultation then revision, with the stored text as
   * it is (an export copies it unchanged). An import adds consultations with
   * insert_consultation and insert_revision. */
  gboolean   (*get_patient_record)      (StriaeStoreBackend  *self,
                                         gint64               id,
                                         StriaePatient      **patient,
                                         char               **record_id,
                                         gboolean            *archived,
                                         GError             **error);
  gboolean   (*find_record_id)          (StriaeStoreBackend  *self,
                                         const char          *record_id,
                                         gint64              *patient_id,
                                         GError             **error);
  /* Optional: an imported patient and the rows of their consultations (created at
   * @created, in that order, their ids into @consultation_ids), inside the caller's write
   * transaction; but when a patient has @record_id already, *existing_id is theirs and the
   * caller rolls back. With @record_id %NULL the patient gets a new one. Without it,
   * find_record_id, insert_patients and insert_consultation each; a server's sends them
   * together. */
  gboolean   (*add_imported_patient)    (StriaeStoreBackend           *self,
                                         StriaePatient                *patient,
                                         const StriaeStorePatientKeys *keys,
                                         const char                   *record_id,
                                         GDateTime                    *now,
                                         GDateTime * const            *created,
                                         guint                         n_consultations,
                                         gint64                       *existing_id,
                                         gint64                       *patient_id,
                                         gint64                       *consultation_ids,
                                         GError                      **error);
  gboolean   (*list_patient_revisions)  (StriaeStoreBackend       *self,
                                         gint64                    patient_id,
                                         StriaeStoreRevisionFunc   func,
                                         gpointer                  data,
                                         GError                  **error);

  /* Erasure (GDPR Art. 17), in the caller's transaction: removes the patient's row, every
   * revision of every consultation, their entries in every index and their audit subject,
   * so that no byte of theirs is left once purge_erased has run; @found FALSE when there is
   * no such patient. purge_erased runs after the transaction ended (committed or not),
   * under the write lock: it removes what the engine keeps of deleted rows outside them
   * (free pages, a write-ahead log); it only warns when it cannot. */
  gboolean   (*erase_patient)           (StriaeStoreBackend  *self,
                                         gint64               id,
                                         gboolean            *found,
                                         GError             **error);
  void       (*purge_erased)            (StriaeStoreBackend  *self);

  /* Backup where the backend has one (NULL where it has none, as on a server backed up by
   * its own tools). backup writes a consistent copy of the whole records at @location,
   * replacing it only once complete, after checking that the records are sound, and puts
   * into the copy alone the settings @seal gives for the copy's audit tail (read with the
   * seal at @head_entry). restore checks the backup at @location whole (that it is a
   * backup of this kind, not from a newer schema, undamaged) and then replaces the records
   * with it in one go; the records layer reopens them afterwards. */
  gboolean   (*backup)                  (StriaeStoreBackend         *self,
                                         const char                 *location,
                                         gint64                      head_entry,
                                         StriaeStoreBackupSealFunc   seal,
                                         gpointer                    data,
                                         GError                    **error);
  gboolean   (*restore)                 (StriaeStoreBackend  *self,
                                         const char          *location,
                                         GError             **error);

  /* Copying a single PC's records in (striae_store_copy_to(), striae --copy-to): into
   * records that hold no patient and no audit row, in one transaction of the caller's, as
   * they were stored elsewhere. NULL where records are not filled this way (a file: a
   * backup's job); the calls then fail with STRIAE_STORE_ERROR_NOT_SUPPORTED.
   *
   * copy_in_patient adds @patient with its own id, created and updated times, @record_id,
   * @archived, the keys the records layer computed, and the audit subject @subject (NULL:
   * whatever the backend gives a new patient). copy_in_consultation adds consultation @id of
   * @patient_id started at @created, with its resume page (revisions go in through
   * insert_revision, audit rows through audit_append). copy_in_audit_key replaces the key
   * the records keep (audit_get_key) with @key, and refuses unless the log is empty and no
   * number was ever given; then the copied rows, sealed with @key, verify. finish_copy
   * raises the audit log's highest number to @audit_last_number and moves the numbers the
   * engine gives new patients and consultations past the copied ones. */
  gboolean   (*copy_in_patient)         (StriaeStoreBackend            *self,
                                         StriaePatient                 *patient,
                                         const StriaeStorePatientKeys  *keys,
                                         const char                    *record_id,
                                         gboolean                       archived,
                                         const char                    *subject,
                                         GError                       **error);
  gboolean   (*copy_in_consultation)    (StriaeStoreBackend  *self,
                                         gint64               id,
                                         gint64               patient_id,
                                         GDateTime           *created,
                                         const char          *resume_page,
                                         GError             **error);
  gboolean   (*copy_in_audit_key)       (StriaeStoreBackend  *self,
                                         GBytes              *key,
                                         GError             **error);
  gboolean   (*finish_copy)             (StriaeStoreBackend  *self,
                                         gint64               audit_last_number,
                                         GError             **error);

  /* Session records (issue 17), stored like consultations: a session is a number with one
   * or more revisions, the records layer keeps every rule of their life, and the backend
   * refuses to change a signed revision (update_session_revision fails with
   * STRIAE_STORE_ERROR_LOCKED), a server for every client. Writes run in the caller's
   * transaction, reads with the lock held; not found is no error.
   *
   * insert_treatment_session adds a session number for consultation @consultation_id and
   * gives its id and the consultation's patient (@id 0 when there is no such consultation).
   * get_session_revision reads revision @revision, or the latest for 0.
   * list_session_revisions gives the latest revision of each session of consultation
   * @consultation_id, or of patient @patient_id when it is 0, by date then id; with
   * @every_revision (for an export), every revision of the patient's sessions, by session
   * then revision.
   * set_session_batches replaces the lot index of a revision with @batches
   * (StriaeStoreBatchUse: product, lot, lot_key). find_batch gives the uses of the lot whose
   * key is @lot_key in the latest revision of every session, by date. */
  gboolean   (*insert_treatment_session) (StriaeStoreBackend  *self,
                                          gint64               consultation_id,
                                          GDateTime           *created,
                                          gint64              *id,
                                          gint64              *patient_id,
                                          GError             **error);
  gboolean   (*insert_session_revision) (StriaeStoreBackend                *self,
                                         const StriaeStoreSessionRevision  *revision,
                                         GError                           **error);
  gboolean   (*update_session_revision) (StriaeStoreBackend                *self,
                                         const StriaeStoreSessionRevision  *revision,
                                         gboolean                          *found,
                                         GError                           **error);
  gboolean   (*get_session_revision)    (StriaeStoreBackend           *self,
                                         gint64                        id,
                                         guint                         revision,
                                         StriaeStoreSessionRevision  **result,
                                         GError                      **error);
  GPtrArray *(*list_session_revisions)  (StriaeStoreBackend  *self,
                                         gint64               consultation_id,
                                         gint64               patient_id,
                                         gboolean             every_revision,
                                         GError             **error);
  gboolean   (*set_session_batches)     (StriaeStoreBackend  *self,
                                         gint64               session_id,
                                         guint                revision,
                                         GPtrArray           *batches,
                                         GError             **error);
  GPtrArray *(*find_batch)              (StriaeStoreBackend  *self,
                                         const char          *lot_key,
                                         GError             **error);
  /* For a copy onto the clinic server (striae --copy-to): a session number as the file has
   * it; finish_copy moves the numbering past it. NULL where nothing is copied in. */
  gboolean   (*copy_in_treatment_session) (StriaeStoreBackend  *self,
                                           gint64               id,
                                           gint64               consultation_id,
                                           gint64               patient_id,
                                           GDateTime           *created,
                                           GError             **error);

  /* The schedule (issue 17, schema 13): one row a scheduled session
   * (StriaeScheduledSession), which goes with its consultation. The records layer decides
   * every row (numbers, dates, status); the backend stores and reads them. Writes run in
   * the caller's transaction; reads with the lock held. list_schedule gives the rows of
   * consultation @consultation_id (course by number, then maintenance by number), or when
   * it is 0 of patient @patient_id (by date, then consultation and place). insert sets the
   * row's id; update writes date, time, status, session record, who, when and why.
   *
   * set_course_length writes @course_length into every row of consultation
   * @consultation_id's schedule (an amendment that changes the number of sessions: "session 2
   * of 5" for the sessions done, missed and planned alike).
   *
   * set_see_again indexes the date a consultation signed as not treated names to see the
   * patient again (NULL: none), as the records layer writes the revision.
   *
   * list_day gives the rows of @date with their patient's names and date of birth
   * (StriaeDayEntry), archived patients left out, by time (none last), family and given
   * name. list_recalls gives, as of @today and dated from @since on, with the patient's names, date of birth, phone and email
   * (StriaeRecall, no sentence): the open maintenance sessions dated on or before @until;
   * each consultation's latest missed session after which no session of its kind (course or
   * maintenance) is open from @today on or done (due: its date); the see-again dates on or before @until of consultations after which
   * the patient has no later consultation. Archived patients are left out. */
  GPtrArray *(*list_schedule)           (StriaeStoreBackend  *self,
                                         gint64               consultation_id,
                                         gint64               patient_id,
                                         GError             **error);
  gboolean   (*get_scheduled_session)   (StriaeStoreBackend      *self,
                                         gint64                   id,
                                         StriaeScheduledSession **result,
                                         GError                 **error);
  gboolean   (*insert_scheduled_session) (StriaeStoreBackend     *self,
                                          StriaeScheduledSession *session,
                                          GError                **error);
  gboolean   (*update_scheduled_session) (StriaeStoreBackend           *self,
                                          const StriaeScheduledSession *session,
                                          gboolean                     *found,
                                          GError                      **error);
  gboolean   (*delete_scheduled_session) (StriaeStoreBackend  *self,
                                          gint64               id,
                                          GError             **error);
  gboolean   (*set_course_length)       (StriaeStoreBackend  *self,
                                         gint64               consultation_id,
                                         guint                course_length,
                                         GError             **error);
  gboolean   (*set_see_again)           (StriaeStoreBackend  *self,
                                         gint64               consultation_id,
                                         const GDate         *date,
                                         GError             **error);
  GPtrArray *(*list_day)                (StriaeStoreBackend  *self,
                                         const GDate         *date,
                                         GError             **error);
  GPtrArray *(*list_recalls)            (StriaeStoreBackend  *self,
                                         const GDate         *since,
                                         const GDate         *today,
                                         const GDate         *until,
                                         GError             **error);
  /* Photos (issue 18, schema 14). A photo row keeps its record (StriaePhoto: patient,
   * consultation, session record or none, site, side, moment, date, size, SHA-256, when and
   * by whom it was added) and its pixels apart (the cleaned image and its thumbnail), so
   * that a list reads no pixel. The records layer cleans and checks; the backend stores and
   * reads. Writes run in the caller's transaction; reads with the lock held.
   *
   * insert_photo sets the photo's id. list_photos gives the records of patient
   * @patient_id's photos (without session number or depth, which the records layer reads
   * from the session records) by date, then id. get_photo gives NULL when there is none;
   * get_photo_data the image, or its thumbnail when @thumbnail, NULL when there is none.
   * delete_photo removes the row and its bytes.
   *
   * The photo consent of a patient: its scope as striae_photo_consent_scope_to_string()
   * writes it, when and by whom it was recorded; @scope NULL when none was ever recorded.
   * set_photo_consent replaces it. */
  gboolean   (*insert_photo)            (StriaeStoreBackend  *self,
                                         StriaePhoto         *photo,
                                         GBytes              *image,
                                         GBytes              *thumbnail,
                                         GError             **error);
  GPtrArray *(*list_photos)             (StriaeStoreBackend  *self,
                                         gint64               patient_id,
                                         GError             **error);
  gboolean   (*get_photo)               (StriaeStoreBackend  *self,
                                         gint64               id,
                                         StriaePhoto        **photo,
                                         GError             **error);
  gboolean   (*get_photo_data)          (StriaeStoreBackend  *self,
                                         gint64               id,
                                         gboolean             thumbnail,
                                         GBytes             **data,
                                         GError             **error);
  gboolean   (*delete_photo)            (StriaeStoreBackend  *self,
                                         gint64               id,
                                         gboolean            *found,
                                         GError             **error);
  gboolean   (*get_photo_consent)       (StriaeStoreBackend  *self,
                                         gint64               patient_id,
                                         char               **scope,
                                         GDateTime          **recorded,
                                         char               **recorded_by,
                                         GError             **error);
  gboolean   (*set_photo_consent)       (StriaeStoreBackend  *self,
                                         gint64               patient_id,
                                         const char          *scope,
                                         GDateTime           *recorded,
                                         const char          *recorded_by,
                                         GError             **error);

  /* The consent signed on the screen (issue 18, schema 15): signatures are added (in the
   * caller's transaction, with the patient's id beside the signature's consultation and
   * revision) and never changed; a backend refuses any change. list_consent_signatures
   * gives those of consultation @consultation_id (by revision, then as added), or when it
   * is 0 of patient @patient_id (by consultation, revision, then as added), their strokes
   * read strictly (striae_store_consent_signature_from_row()); with the lock held. */
  gboolean   (*insert_consent_signature) (StriaeStoreBackend      *self,
                                          StriaeConsentSignature  *signature,
                                          gint64                   patient_id,
                                          GError                 **error);
  GPtrArray *(*list_consent_signatures)  (StriaeStoreBackend      *self,
                                          gint64                   consultation_id,
                                          gint64                   patient_id,
                                          GError                 **error);
};

char      *striae_store_backend_dup_engine (StriaeStoreBackend  *self);
char     **striae_store_backend_dup_files  (StriaeStoreBackend  *self);
int        striae_store_backend_get_schema_version (StriaeStoreBackend *self);
int        striae_store_backend_get_latest_schema_version (StriaeStoreBackend *self);
gboolean   striae_store_backend_migrate    (StriaeStoreBackend              *self,
                                            const StriaeStoreMigrationHooks *hooks,
                                            gpointer                         data,
                                            GError                         **error);
gboolean   striae_store_backend_set_size_limit (StriaeStoreBackend  *self,
                                                guint64              max_bytes,
                                                GError             **error);
gboolean   striae_store_backend_ready      (StriaeStoreBackend  *self,
                                            GError             **error);
gboolean   striae_store_backend_wait_checked (StriaeStoreBackend  *self,
                                              GCancellable        *cancellable,
                                              GError             **error);
gboolean   striae_store_backend_set_bulk   (StriaeStoreBackend  *self,
                                            gboolean             bulk,
                                            GError             **error);
gboolean   striae_store_backend_may_change_clinic (StriaeStoreBackend  *self,
                                                   gboolean            *may,
                                                   GError             **error);
void       striae_store_backend_lock       (StriaeStoreBackend  *self);
void       striae_store_backend_unlock     (StriaeStoreBackend  *self);
gboolean   striae_store_backend_begin      (StriaeStoreBackend  *self,
                                            GError             **error);
gboolean   striae_store_backend_commit     (StriaeStoreBackend  *self,
                                            GError             **error);
void       striae_store_backend_rollback   (StriaeStoreBackend  *self);
gboolean   striae_store_backend_get_patient (StriaeStoreBackend  *self,
                                             gint64               id,
                                             StriaePatient      **patient,
                                             GError             **error);
gboolean   striae_store_backend_get_patient_archived (StriaeStoreBackend  *self,
                                                      gint64               id,
                                                      gboolean            *found,
                                                      gboolean            *archived,
                                                      GError             **error);
gboolean   striae_store_backend_set_patient_archived (StriaeStoreBackend  *self,
                                                      gint64               id,
                                                      gboolean             archived,
                                                      gboolean            *found,
                                                      gboolean            *changed,
                                                      GError             **error);
gboolean   striae_store_backend_update_patient (StriaeStoreBackend            *self,
                                                StriaePatient                 *patient,
                                                const StriaeStorePatientKeys  *keys,
                                                GDateTime                     *now,
                                                gboolean                      *found,
                                                GDateTime                    **created,
                                                GError                       **error);
gboolean   striae_store_backend_insert_patients (StriaeStoreBackend            *self,
                                                 GPtrArray                     *patients,
                                                 StriaeStorePatientKeysFunc     keys,
                                                 gpointer                       keys_data,
                                                 const char * const            *record_ids,
                                                 GDateTime                     *now,
                                                 gint64                        *ids,
                                                 GError                       **error);
gint64     striae_store_backend_count_patients (StriaeStoreBackend  *self,
                                                GError             **error);

/* Consultations and revisions */
gboolean   striae_store_backend_insert_consultation (StriaeStoreBackend  *self,
                                                     gint64               patient_id,
                                                     GDateTime           *created,
                                                     gint64              *id,
                                                     GError             **error);
gboolean   striae_store_backend_insert_revision (StriaeStoreBackend         *self,
                                                 const StriaeStoreRevision  *revision,
                                                 GError                    **error);
gboolean   striae_store_backend_update_revision (StriaeStoreBackend         *self,
                                                 const StriaeStoreRevision  *revision,
                                                 gboolean                   *found,
                                                 GError                    **error);
gboolean   striae_store_backend_get_latest_status (StriaeStoreBackend        *self,
                                                   gint64                     id,
                                                   gboolean                  *found,
                                                   gint64                    *patient_id,
                                                   guint                     *revision,
                                                   StriaeConsultationStatus  *status,
                                                   GError                   **error);
gboolean   striae_store_backend_get_revision (StriaeStoreBackend   *self,
                                              gint64                id,
                                              guint                 revision,
                                              StriaeStoreRevision **result,
                                              GError              **error);
GPtrArray *striae_store_backend_list_revisions (StriaeStoreBackend  *self,
                                                gint64               id,
                                                GError             **error);
GPtrArray *striae_store_backend_list_consultations (StriaeStoreBackend  *self,
                                                    gint64               patient_id,
                                                    GError             **error);
gboolean   striae_store_backend_delete_revision (StriaeStoreBackend  *self,
                                                 gint64               id,
                                                 guint                revision,
                                                 GError             **error);
gboolean   striae_store_backend_delete_consultation (StriaeStoreBackend  *self,
                                                     gint64               id,
                                                     GError             **error);
gboolean   striae_store_backend_patient_has_draft (StriaeStoreBackend  *self,
                                                   gint64               patient_id,
                                                   gboolean            *has_draft,
                                                   GError             **error);
gboolean   striae_store_backend_set_resume_page (StriaeStoreBackend  *self,
                                                 gint64               id,
                                                 const char          *page,
                                                 gboolean            *found,
                                                 GError             **error);
gboolean   striae_store_backend_get_resume_page (StriaeStoreBackend  *self,
                                                 gint64               id,
                                                 char               **page,
                                                 GError             **error);
gboolean   striae_store_backend_get_rules (StriaeStoreBackend  *self,
                                           char               **document,
                                           GError             **error);
gboolean   striae_store_backend_set_rules (StriaeStoreBackend  *self,
                                           const char          *document,
                                           GError             **error);

StriaeStoreRevision *striae_store_revision_new  (void);
void                 striae_store_revision_free (StriaeStoreRevision *revision);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (StriaeStoreRevision, striae_store_revision_free)

GArray    *striae_store_backend_search_patients (StriaeStoreBackend  *self,
                                                 const char          *text,
                                                 guint                limit,
                                                 gboolean             archived,
                                                 GCancellable        *cancellable,
                                                 GError             **error);
GPtrArray *striae_store_backend_search_rows (StriaeStoreBackend          *self,
                                            const char                  *text,
                                            gboolean                     archived,
                                            const StriaePatientSummary  *after,
                                            guint                        limit,
                                            GCancellable                *cancellable,
                                            GError                     **error);
gint64     striae_store_backend_count_matches (StriaeStoreBackend  *self,
                                               const char          *text,
                                               gboolean             archived,
                                               guint                cap,
                                               GCancellable        *cancellable,
                                               GError             **error);

/* The store's locks, taken through these so that a test can see how long the window's
 * thread waited for one (striae_store_debug_watch_locks()). */
void       striae_store_mutex_lock     (GMutex     *mutex);
void       striae_store_debug_row_read (void);
void       striae_store_debug_rows_read (guint n);
void       striae_store_debug_check_starts (void);
/* For tests only: the lock probe, slow searches and slow checks (striae-store-backend.c). */
void       striae_store_debug_watch_locks (gboolean watch);
gint64     striae_store_debug_get_longest_lock_wait (void);
guint      striae_store_debug_get_rows_read (void);
void       striae_store_debug_set_row_delay (guint microseconds);
void       striae_store_debug_set_check_delay (guint milliseconds);
/* How a backend that ranks typed searches by an order it keeps in memory gets it when it has
 * none: built in the background while SQL ranks (the default), built and waited for, or
 * never (SQL ranks every search); tests compare the two ways. */
typedef enum
{
  STRIAE_STORE_DEBUG_ORDER_BACKGROUND,
  STRIAE_STORE_DEBUG_ORDER_WAIT,
  STRIAE_STORE_DEBUG_ORDER_NEVER,
} StriaeStoreDebugOrder;
void       striae_store_debug_set_order (StriaeStoreDebugOrder mode);
StriaeStoreDebugOrder striae_store_debug_get_order (void);
void       striae_store_debug_round_trip (void);
guint      striae_store_debug_get_round_trips (void);

gboolean   striae_store_backend_set_planned_sessions    (StriaeStoreBackend  *self,
                                                         gint64               consultation_id,
                                                         guint                revision,
                                                         GArray              *dates,
                                                         GError             **error);
GArray    *striae_store_backend_find_planned_sessions   (StriaeStoreBackend  *self,
                                                         const GDate         *date,
                                                         GError             **error);
GPtrArray *striae_store_backend_list_finished_revisions (StriaeStoreBackend  *self,
                                                         gint64               after_id,
                                                         guint                after_revision,
                                                         guint                limit,
                                                         GError             **error);

gboolean   striae_store_backend_poll_changes (StriaeStoreBackend  *self,
                                              gboolean            *changed,
                                              GError             **error);

/* Accounts */
gboolean   striae_store_backend_has_accounts (StriaeStoreBackend  *self);
gboolean   striae_store_backend_get_account (StriaeStoreBackend      *self,
                                             const char              *name,
                                             StriaeStoreAccountRow  **account,
                                             GError                 **error);
GPtrArray *striae_store_backend_list_accounts (StriaeStoreBackend  *self,
                                               GError             **error);
gboolean   striae_store_backend_insert_account (StriaeStoreBackend           *self,
                                                const StriaeStoreAccountRow  *account,
                                                GError                      **error);
gboolean   striae_store_backend_update_account (StriaeStoreBackend           *self,
                                                const StriaeStoreAccountRow  *account,
                                                gboolean                     *found,
                                                GError                      **error);
gboolean   striae_store_backend_dup_login_group (StriaeStoreBackend  *self,
                                                 char               **group,
                                                 GError             **error);
gboolean   striae_store_backend_check_login_password (StriaeStoreBackend  *self,
                                                      const char          *password,
                                                      GError             **error);
char      *striae_store_backend_dup_login_name      (StriaeStoreBackend  *self);
char      *striae_store_backend_dup_session_login   (StriaeStoreBackend  *self);
GPtrArray *striae_store_backend_list_logins         (StriaeStoreBackend  *self,
                                                     GError             **error);
gboolean   striae_store_backend_set_login_password  (StriaeStoreBackend  *self,
                                                     const char          *name,
                                                     const char          *password,
                                                     GError             **error);

StriaeStoreAccountRow *striae_store_account_row_new  (void);
void                   striae_store_account_row_free (StriaeStoreAccountRow *account);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (StriaeStoreAccountRow, striae_store_account_row_free)

/* Settings */
gboolean   striae_store_backend_get_setting (StriaeStoreBackend  *self,
                                             const char          *key,
                                             char               **value,
                                             GError             **error);
gboolean   striae_store_backend_set_setting (StriaeStoreBackend  *self,
                                             const char          *key,
                                             const char          *value,
                                             GError             **error);

/* Audit */
gboolean   striae_store_backend_audit_get_tail (StriaeStoreBackend    *self,
                                                gint64                 at,
                                                StriaeStoreAuditTail  *tail,
                                                GError               **error);
gboolean   striae_store_backend_audit_get_subject (StriaeStoreBackend  *self,
                                                   gint64               patient_id,
                                                   char               **subject,
                                                   GError             **error);
gboolean   striae_store_backend_audit_append (StriaeStoreBackend           *self,
                                              const StriaeStoreAuditEntry  *entry,
                                              GError                      **error);
gboolean   striae_store_backend_audit_get_subjects (StriaeStoreBackend  *self,
                                                    const gint64        *patient_ids,
                                                    guint                n,
                                                    char               **subjects,
                                                    GError             **error);
gboolean   striae_store_backend_audit_append_rows (StriaeStoreBackend           *self,
                                                   const StriaeStoreAuditEntry  *entries,
                                                   guint                         n,
                                                   GError                      **error);
gboolean   striae_store_backend_audit_read (StriaeStoreBackend       *self,
                                            gint64                    after,
                                            guint                     limit,
                                            gint64                    patient_id,
                                            const char               *action,
                                            StriaeStoreAuditRowFunc   func,
                                            gpointer                  data,
                                            GError                  **error);
gboolean   striae_store_backend_audit_scan (StriaeStoreBackend       *self,
                                            gint64                   *last_number,
                                            StriaeStoreAuditRowFunc   func,
                                            gpointer                  data,
                                            GError                  **error);
gboolean   striae_store_backend_audit_reseal (StriaeStoreBackend  *self,
                                              gint64               id,
                                              const char          *seal,
                                              GError             **error);
gboolean   striae_store_backend_keeps_audit_key (StriaeStoreBackend  *self);
gboolean   striae_store_backend_audit_get_key (StriaeStoreBackend  *self,
                                               GBytes             **key,
                                               GError             **error);

/* Transfer */
gboolean   striae_store_backend_get_patient_record (StriaeStoreBackend  *self,
                                                    gint64               id,
                                                    StriaePatient      **patient,
                                                    char               **record_id,
                                                    gboolean            *archived,
                                                    GError             **error);
gboolean   striae_store_backend_find_record_id (StriaeStoreBackend  *self,
                                                const char          *record_id,
                                                gint64              *patient_id,
                                                GError             **error);
gboolean   striae_store_backend_add_imported_patient
                                               (StriaeStoreBackend           *self,
                                                StriaePatient                *patient,
                                                const StriaeStorePatientKeys *keys,
                                                const char                   *record_id,
                                                GDateTime                    *now,
                                                GDateTime * const            *created,
                                                guint                         n_consultations,
                                                gint64                       *existing_id,
                                                gint64                       *patient_id,
                                                gint64                       *consultation_ids,
                                                GError                      **error);
gboolean   striae_store_backend_list_patient_revisions (StriaeStoreBackend       *self,
                                                        gint64                    patient_id,
                                                        StriaeStoreRevisionFunc   func,
                                                        gpointer                  data,
                                                        GError                  **error);
gboolean   striae_store_backend_erase_patient (StriaeStoreBackend  *self,
                                               gint64               id,
                                               gboolean            *found,
                                               GError             **error);
void       striae_store_backend_purge_erased (StriaeStoreBackend  *self);
gboolean   striae_store_backend_backup     (StriaeStoreBackend         *self,
                                            const char                 *location,
                                            gint64                      head_entry,
                                            StriaeStoreBackupSealFunc   seal,
                                            gpointer                    data,
                                            GError                    **error);
gboolean   striae_store_backend_restore    (StriaeStoreBackend  *self,
                                            const char          *location,
                                            GError             **error);

/* Copying records in */
gboolean   striae_store_backend_copy_in_patient (StriaeStoreBackend            *self,
                                                 StriaePatient                 *patient,
                                                 const StriaeStorePatientKeys  *keys,
                                                 const char                    *record_id,
                                                 gboolean                       archived,
                                                 const char                    *subject,
                                                 GError                       **error);
gboolean   striae_store_backend_copy_in_consultation (StriaeStoreBackend  *self,
                                                      gint64               id,
                                                      gint64               patient_id,
                                                      GDateTime           *created,
                                                      const char          *resume_page,
                                                      GError             **error);
gboolean   striae_store_backend_copy_in_audit_key (StriaeStoreBackend  *self,
                                                   GBytes              *key,
                                                   GError             **error);
gboolean   striae_store_backend_finish_copy (StriaeStoreBackend  *self,
                                             gint64               audit_last_number,
                                             GError             **error);

void       striae_store_patient_keys_clear (StriaeStorePatientKeys *keys);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (StriaeStorePatientKeys, striae_store_patient_keys_clear)

GPtrArray *striae_store_backend_split_words (const char *text);

char      *striae_store_format_timestamp (GDateTime  *time);

/* striae-store-backend-consent.c */
gboolean   striae_store_backend_insert_consent_signature (StriaeStoreBackend      *self,
                                                          StriaeConsentSignature  *signature,
                                                          gint64                   patient_id,
                                                          GError                 **error);
GPtrArray *striae_store_backend_list_consent_signatures  (StriaeStoreBackend      *self,
                                                          gint64                   consultation_id,
                                                          gint64                   patient_id,
                                                          GError                 **error);
StriaeConsentSignature *
           striae_store_consent_signature_from_row (gint64       consultation_id,
                                                    guint        revision,
                                                    const char  *signer,
                                                    const char  *name,
                                                    const char  *signed_at,
                                                    const char  *signed_by,
                                                    const char  *strokes,
                                                    const char  *consent_hash,
                                                    GError     **error);
GDateTime *striae_store_parse_timestamp  (const char *text);
char      *striae_store_now              (void);

/* Session records (issue 17) */
StriaeStoreSessionRevision *striae_store_session_revision_new  (void);
void       striae_store_session_revision_free (StriaeStoreSessionRevision *revision);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (StriaeStoreSessionRevision, striae_store_session_revision_free)
StriaeStoreBatchUse *striae_store_batch_use_new  (void);
void       striae_store_batch_use_free (StriaeStoreBatchUse *use);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (StriaeStoreBatchUse, striae_store_batch_use_free)
gboolean   striae_store_backend_insert_treatment_session (StriaeStoreBackend  *self,
                                                          gint64               consultation_id,
                                                          GDateTime           *created,
                                                          gint64              *id,
                                                          gint64              *patient_id,
                                                          GError             **error);
gboolean   striae_store_backend_insert_session_revision (StriaeStoreBackend               *self,
                                                         const StriaeStoreSessionRevision *revision,
                                                         GError                          **error);
gboolean   striae_store_backend_update_session_revision (StriaeStoreBackend               *self,
                                                         const StriaeStoreSessionRevision *revision,
                                                         gboolean                         *found,
                                                         GError                          **error);
gboolean   striae_store_backend_get_session_revision (StriaeStoreBackend          *self,
                                                      gint64                       id,
                                                      guint                        revision,
                                                      StriaeStoreSessionRevision **result,
                                                      GError                     **error);
GPtrArray *striae_store_backend_list_session_revisions (StriaeStoreBackend  *self,
                                                        gint64               consultation_id,
                                                        gint64               patient_id,
                                                        gboolean             every_revision,
                                                        GError             **error);
gboolean   striae_store_backend_set_session_batches (StriaeStoreBackend  *self,
                                                     gint64               session_id,
                                                     guint                revision,
                                                     GPtrArray           *batches,
                                                     GError             **error);
GPtrArray *striae_store_backend_find_batch (StriaeStoreBackend  *self,
                                            const char          *lot_key,
                                            GError             **error);
gboolean   striae_store_backend_copy_in_treatment_session (StriaeStoreBackend  *self,
                                                           gint64               id,
                                                           gint64               consultation_id,
                                                           gint64               patient_id,
                                                           GDateTime           *created,
                                                           GError             **error);
GPtrArray *striae_store_backend_list_schedule (StriaeStoreBackend  *self,
                                               gint64               consultation_id,
                                               gint64               patient_id,
                                               GError             **error);
gboolean   striae_store_backend_get_scheduled_session (StriaeStoreBackend      *self,
                                                       gint64                   id,
                                                       StriaeScheduledSession **result,
                                                       GError                 **error);
gboolean   striae_store_backend_insert_scheduled_session (StriaeStoreBackend     *self,
                                                          StriaeScheduledSession *session,
                                                          GError                **error);
gboolean   striae_store_backend_update_scheduled_session (StriaeStoreBackend           *self,
                                                          const StriaeScheduledSession *session,
                                                          gboolean                     *found,
                                                          GError                      **error);
gboolean   striae_store_backend_delete_scheduled_session (StriaeStoreBackend  *self,
                                                          gint64               id,
                                                          GError             **error);
gboolean   striae_store_backend_set_course_length (StriaeStoreBackend  *self,
                                                   gint64               consultation_id,
                                                   guint                course_length,
                                                   GError             **error);
gboolean   striae_store_backend_set_see_again (StriaeStoreBackend  *self,
                                               gint64               consultation_id,
                                               const GDate         *date,
                                               GError             **error);
GPtrArray *striae_store_backend_list_day   (StriaeStoreBackend  *self,
                                            const GDate         *date,
                                            GError             **error);
GPtrArray *striae_store_backend_list_recalls (StriaeStoreBackend  *self,
                                              const GDate         *since,
                                              const GDate         *today,
                                              const GDate         *until,
                                              GError             **error);

/* Photos (striae-store-backend-photos.c, issue 18) */
gboolean   striae_store_backend_insert_photo (StriaeStoreBackend  *self,
                                              StriaePhoto         *photo,
                                              GBytes              *image,
                                              GBytes              *thumbnail,
                                              GError             **error);
GPtrArray *striae_store_backend_list_photos  (StriaeStoreBackend  *self,
                                              gint64               patient_id,
                                              GError             **error);
gboolean   striae_store_backend_get_photo    (StriaeStoreBackend  *self,
                                              gint64               id,
                                              StriaePhoto        **photo,
                                              GError             **error);
gboolean   striae_store_backend_get_photo_data (StriaeStoreBackend  *self,
                                                gint64               id,
                                                gboolean             thumbnail,
                                                GBytes             **data,
                                                GError             **error);
gboolean   striae_store_backend_delete_photo (StriaeStoreBackend  *self,
                                              gint64               id,
                                              gboolean            *found,
                                              GError             **error);
gboolean   striae_store_backend_get_photo_consent (StriaeStoreBackend  *self,
                                                   gint64               patient_id,
                                                   char               **scope,
                                                   GDateTime          **recorded,
                                                   char               **recorded_by,
                                                   GError             **error);
gboolean   striae_store_backend_set_photo_consent (StriaeStoreBackend  *self,
                                                   gint64               patient_id,
                                                   const char          *scope,
                                                   GDateTime           *recorded,
                                                   const char          *recorded_by,
                                                   GError             **error);

/* A photo's site and side as the records write them (the core's nicks), and back. */
const char *striae_store_photo_site_to_string   (StriaeBodySite   site);
const char *striae_store_photo_side_to_string   (StriaeSide       side);
gboolean    striae_store_photo_site_from_string (const char      *text,
                                                 StriaeBodySite  *site);
gboolean    striae_store_photo_side_from_string (const char      *text,
                                                 StriaeSide      *side);

G_END_DECLS
