/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "striae-audit-anchor.h"
#include "striae-audit-report.h"
#include "striae-clinic.h"
#include "striae-consultation.h"
#include "striae-patient.h"
#include "striae-photo.h"
#include "striae-rules.h"
#include "striae-schedule.h"
#include "striae-store-backend.h"
#include "striae-treatment-session.h"

G_BEGIN_DECLS

#define STRIAE_STORE_ERROR (striae_store_error_quark ())

typedef enum
{
  STRIAE_STORE_ERROR_FAILED,         /* anything else the storage engine reports */
  STRIAE_STORE_ERROR_NOT_A_DATABASE, /* the file is not a Striae database (or is damaged) */
  STRIAE_STORE_ERROR_TOO_NEW,        /* the file comes from a newer Striae */
  STRIAE_STORE_ERROR_READ_ONLY,      /* the file or its folder cannot be written */
  STRIAE_STORE_ERROR_FULL,           /* the disk is full */
  STRIAE_STORE_ERROR_NOT_FOUND,      /* no such record */
  STRIAE_STORE_ERROR_INVALID,        /* the record does not pass validation */
  STRIAE_STORE_ERROR_LOCKED,         /* the consultation is signed (or superseded): amend it */
  STRIAE_STORE_ERROR_TAMPERED,       /* the audit log was changed outside Striae */
  STRIAE_STORE_ERROR_NOT_SUPPORTED,  /* the kind of records cannot do this (a backup) */
  STRIAE_STORE_ERROR_CONFLICT,       /* someone else changed the consultation since it was read */
  STRIAE_STORE_ERROR_UNREACHABLE,    /* the clinic server cannot be reached */
  STRIAE_STORE_ERROR_ACCESS_DENIED,  /* the clinic server refused the login or the action */
  STRIAE_STORE_ERROR_CERTIFICATE,    /* the clinic server's certificate was refused */
  STRIAE_STORE_ERROR_SPOOLED,        /* not saved on the server, kept on this computer */
  STRIAE_STORE_ERROR_PASSPHRASE,     /* an encrypted copy's passphrase is wrong, or the copy
                                      * was changed */
  STRIAE_STORE_ERROR_SIGN_IN,        /* the account's name or password is wrong, or it is
                                      * disabled */
  STRIAE_STORE_ERROR_WAIT,           /* too many wrong passwords: try again later */
  STRIAE_STORE_ERROR_NOT_ALLOWED,    /* nobody is signed in, or the account's role may not do
                                      * this */
} StriaeStoreError;

GQuark striae_store_error_quark (void);

typedef enum
{
  STRIAE_STORE_OPEN_FLAGS_NONE      = 0,
  STRIAE_STORE_OPEN_FLAGS_READ_ONLY = 1 << 0, /* never write; refuse a file that needs upgrading */
  /* A file's structure is checked in a worker thread after opening rather than before (the
   * window's first frame and the front desk's batch do not wait for it); reads go on, every
   * write waits for the verdict and a damaged file is refused as before. */
  STRIAE_STORE_OPEN_FLAGS_CHECK_IN_BACKGROUND = 1 << 1,
  /* For a command run headless many times a day (issue 15): a file that Striae closed
   * cleanly after a check that passed, untouched since and checked within the last day, is
   * not checked again; any other is checked as with CHECK_IN_BACKGROUND (or before opening,
   * without it). See sqlite_check_take_note(). */
  STRIAE_STORE_OPEN_FLAGS_TRUST_CLEAN_CLOSE = 1 << 2,
  /* With the two above, for the window: a file trusted after a clean close is still checked
   * in the background at every opening, but writes (the sign-in's audit row first) do not
   * wait for that check; once it finds damage, every later write is refused and
   * striae_store_wait_checked() says why, as with CHECK_IN_BACKGROUND alone. */
  STRIAE_STORE_OPEN_FLAGS_VERIFY_TRUSTED = 1 << 3,
  /* For the window (issue 15): what typed searches rank by (the SQLite backend's register's
   * order in memory) is made in the background once the first page of the register was
   * read, rather than when the first typed search asks; commands never pay for it. */
  STRIAE_STORE_OPEN_FLAGS_ORDER_IN_BACKGROUND = 1 << 4,
} StriaeStoreOpenFlags;

/* What an audit-log row records. */
typedef enum
{
  STRIAE_AUDIT_CREATE,
  STRIAE_AUDIT_VIEW,
  STRIAE_AUDIT_UPDATE,
  STRIAE_AUDIT_SIGN,
  STRIAE_AUDIT_AMEND,
  STRIAE_AUDIT_PRINT,
  STRIAE_AUDIT_EXPORT,
  STRIAE_AUDIT_IMPORT,
  STRIAE_AUDIT_DELETE,
  STRIAE_AUDIT_BACKUP,
  STRIAE_AUDIT_RESTORE,
  STRIAE_AUDIT_ERASE,
  STRIAE_AUDIT_DISCARD,
  STRIAE_AUDIT_ARCHIVE,
  STRIAE_AUDIT_UNARCHIVE,
  STRIAE_AUDIT_SIGN_IN_FAILED,   /* a wrong name or password, or a try during the wait */
  STRIAE_AUDIT_ACCOUNTS_START,   /* the first account: the rows before it are "before accounts" */
  STRIAE_AUDIT_ACCOUNT_ADD,
  STRIAE_AUDIT_ACCOUNT_CHANGE,   /* a password reset, a new role, disabled or enabled again */
  /* Session records (issue 17): the row names the patient, the detail the session, its
   * revision and its consultation. */
  STRIAE_AUDIT_SESSION_CREATE,
  STRIAE_AUDIT_SESSION_UPDATE,
  STRIAE_AUDIT_SESSION_SIGN,
  STRIAE_AUDIT_SESSION_AMEND,
  /* The schedule (issue 17): a scheduled session moved, missed, cancelled or done; the row
   * names the patient and the consultation, the detail the scheduled session, its place in
   * the course and the dates (never the reason's words, only the start of their SHA-256). */
  STRIAE_AUDIT_SCHEDULE_MOVE,
  STRIAE_AUDIT_SCHEDULE_MISS,
  STRIAE_AUDIT_SCHEDULE_CANCEL,
  STRIAE_AUDIT_SCHEDULE_DONE,
  STRIAE_AUDIT_SIGN_IN,          /* an account signed in (the window's sign-in or unlock, --user) */
  /* Photos (issue 18): the row names the patient and the consultation, the detail the photo,
   * its area, moment and the start of its SHA-256; a view is a full image opened. */
  STRIAE_AUDIT_PHOTO_ADD,
  STRIAE_AUDIT_PHOTO_VIEW,
  STRIAE_AUDIT_PHOTO_DELETE,
  STRIAE_AUDIT_PHOTO_CONSENT,    /* the patient's photo consent recorded, changed or withdrawn */
  /* The consent signed on the screen (issue 18): the row names the patient and the
   * consultation, the detail the revision, the signer and the start of the consent's hash. */
  STRIAE_AUDIT_CONSENT_SIGN,
} StriaeAuditAction;

typedef enum
{
  STRIAE_SEARCH_FLAGS_NONE     = 0,
  STRIAE_SEARCH_FLAGS_ARCHIVED = 1 << 0, /* the archived patients instead of the others */
} StriaeSearchFlags;

typedef enum
{
  STRIAE_EXPORT_FLAGS_NONE       = 0,
  STRIAE_EXPORT_FLAGS_WITH_AUDIT = 1 << 0, /* add the audit rows about the patient */
} StriaeExportFlags;

#define STRIAE_TYPE_STORE (striae_store_get_type ())

/* StriaeStore emits "patients-changed" (gint64 id, 0 after a bulk insert) in the thread that
 * made the change, after it was committed. */
G_DECLARE_FINAL_TYPE (StriaeStore, striae_store, STRIAE, STORE, GObject)

/* Where the records are: a location names them, which the store hands to the backend that
 * keeps them (StriaeStoreBackend): the path of a database file today (SQLite), a
 * postgresql:// URI of a clinic server later. NULL means the default file. */
char          *striae_store_default_path      (void);
StriaeStore   *striae_store_open              (const char   *location,
                                               GError      **error);
const char    *striae_store_get_path          (StriaeStore  *self);
StriaeStoreBackend *striae_store_get_backend  (StriaeStore  *self);
const char    *striae_store_get_notice        (StriaeStore  *self);
gboolean       striae_store_wait_checked      (StriaeStore  *self,
                                               GError      **error);
void           striae_store_wait_checked_async (StriaeStore         *self,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean       striae_store_wait_checked_finish (StriaeStore   *self,
                                                 GAsyncResult  *result,
                                                 GError       **error);
gboolean       striae_store_check_changes     (StriaeStore  *self,
                                               GError      **error);
void           striae_store_check_changes_async (StriaeStore         *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean       striae_store_check_changes_finish (StriaeStore   *self,
                                                  GAsyncResult  *result,
                                                  GError       **error);
char          *striae_store_describe_patient_copies (StriaeStore  *self,
                                                     gint64        patient_id,
                                                     GError      **error);
gboolean       striae_store_check_output      (StriaeStore  *self,
                                               const char   *path,
                                               GError      **error);
gboolean       striae_store_check_output_folder (StriaeStore  *self,
                                                 const char   *path,
                                                 GError      **error);
int            striae_store_get_schema_version (StriaeStore *self);
StriaeStore   *striae_store_open_full         (const char            *location,
                                               StriaeStoreOpenFlags   flags,
                                               GError               **error);
StriaeStore   *striae_store_open_with_anchor  (const char            *location,
                                               StriaeStoreOpenFlags   flags,
                                               StriaeAuditAnchor     *anchor,
                                               GError               **error);
gboolean       striae_store_is_read_only      (StriaeStore  *self);
int            striae_store_get_latest_schema_version (void);
gboolean       striae_store_is_server_location (const char *location);
gboolean       striae_store_set_size_limit    (StriaeStore  *self,
                                               guint64       max_bytes,
                                               GError      **error);
void           striae_store_set_user          (StriaeStore  *self,
                                               const char   *user);
char          *striae_store_dup_user          (StriaeStore  *self);

/* Patients */
gboolean       striae_store_add_patient       (StriaeStore    *self,
                                               StriaePatient  *patient,
                                               GError        **error);
gboolean       striae_store_add_patients      (StriaeStore    *self,
                                               GPtrArray      *patients,
                                               GError        **error);
gboolean       striae_store_update_patient    (StriaeStore    *self,
                                               StriaePatient  *patient,
                                               GError        **error);
StriaePatient *striae_store_get_patient       (StriaeStore    *self,
                                               gint64          id,
                                               GError        **error);
gint64         striae_store_count_patients    (StriaeStore    *self,
                                               GError        **error);
GArray        *striae_store_search_patients   (StriaeStore    *self,
                                               const char     *text,
                                               guint           limit,
                                               GError        **error);
void           striae_store_search_patients_async  (StriaeStore          *self,
                                                    const char           *text,
                                                    guint                 limit,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
GArray        *striae_store_search_patients_finish (StriaeStore          *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);
GArray        *striae_store_search_patients_full (StriaeStore         *self,
                                                  const char          *text,
                                                  guint                limit,
                                                  StriaeSearchFlags    flags,
                                                  GError             **error);
void           striae_store_search_patients_full_async (StriaeStore          *self,
                                                        const char           *text,
                                                        guint                 limit,
                                                        StriaeSearchFlags     flags,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
GPtrArray     *striae_store_search_rows        (StriaeStore                 *self,
                                                const char                  *text,
                                                StriaeSearchFlags            flags,
                                                const StriaePatientSummary  *after,
                                                guint                        limit,
                                                GCancellable                *cancellable,
                                                GError                     **error);
void           striae_store_search_rows_async  (StriaeStore                 *self,
                                                const char                  *text,
                                                StriaeSearchFlags            flags,
                                                const StriaePatientSummary  *after,
                                                guint                        limit,
                                                int                          io_priority,
                                                GCancellable                *cancellable,
                                                GAsyncReadyCallback          callback,
                                                gpointer                     user_data);
GPtrArray     *striae_store_search_rows_finish (StriaeStore                 *self,
                                                GAsyncResult                *result,
                                                GError                     **error);
gint64         striae_store_count_matches      (StriaeStore                 *self,
                                                const char                  *text,
                                                StriaeSearchFlags            flags,
                                                guint                        cap,
                                                GCancellable                *cancellable,
                                                GError                     **error);
void           striae_store_count_matches_async (StriaeStore                *self,
                                                 const char                 *text,
                                                 StriaeSearchFlags           flags,
                                                 guint                       cap,
                                                 GCancellable               *cancellable,
                                                 GAsyncReadyCallback         callback,
                                                 gpointer                    user_data);
gint64         striae_store_count_matches_finish (StriaeStore               *self,
                                                  GAsyncResult              *result,
                                                  GError                   **error);
gboolean       striae_store_get_patient_archived (StriaeStore         *self,
                                                  gint64               id,
                                                  gboolean            *archived,
                                                  GError             **error);
gboolean       striae_store_set_patient_archived (StriaeStore         *self,
                                                  gint64               id,
                                                  gboolean             archived,
                                                  const char          *practitioner,
                                                  GError             **error);

/* Consultations (striae-store-consultations.c) */
gboolean            striae_store_save_consultation  (StriaeStore         *self,
                                                     StriaeConsultation  *consultation,
                                                     const char          *practitioner,
                                                     GError             **error);
gboolean            striae_store_save_as_new_draft  (StriaeStore         *self,
                                                     StriaeConsultation  *consultation,
                                                     const char          *practitioner,
                                                     GError             **error);
StriaeConsultation *striae_store_get_consultation   (StriaeStore         *self,
                                                     gint64               id,
                                                     GError             **error);
StriaeConsultation *striae_store_get_revision       (StriaeStore         *self,
                                                     gint64               id,
                                                     guint                revision,
                                                     GError             **error);
GPtrArray          *striae_store_list_consultations (StriaeStore         *self,
                                                     gint64               patient_id,
                                                     GError             **error);
GPtrArray          *striae_store_list_revisions     (StriaeStore         *self,
                                                     gint64               id,
                                                     GError             **error);
gboolean            striae_store_sign_consultation  (StriaeStore         *self,
                                                     gint64               id,
                                                     const char          *practitioner,
                                                     GError             **error);
gboolean            striae_store_sign_as_held       (StriaeStore         *self,
                                                     StriaeConsultation  *consultation,
                                                     const char          *practitioner,
                                                     const char          *reason,
                                                     const GDate         *see_again,
                                                     GError             **error);
gboolean            striae_store_sign_not_treated   (StriaeStore         *self,
                                                     gint64               id,
                                                     const char          *practitioner,
                                                     const char          *reason,
                                                     const GDate         *see_again,
                                                     GError             **error);
gboolean            striae_store_get_signature      (StriaeStore         *self,
                                                     gint64               id,
                                                     guint                revision,
                                                     char               **signed_by,
                                                     GDateTime          **signed_at,
                                                     GError             **error);
StriaeConsultation *striae_store_amend_consultation (StriaeStore         *self,
                                                     gint64               id,
                                                     const char          *practitioner,
                                                     const char          *reason,
                                                     GError             **error);
gboolean            striae_store_discard_draft      (StriaeStore         *self,
                                                     gint64               id,
                                                     const char          *practitioner,
                                                     GError             **error);
gboolean            striae_store_patient_has_draft  (StriaeStore         *self,
                                                     gint64               patient_id,
                                                     GError             **error);
gboolean            striae_store_set_resume_page    (StriaeStore         *self,
                                                     gint64               consultation_id,
                                                     const char          *page,
                                                     GError             **error);
char               *striae_store_dup_resume_page    (StriaeStore         *self,
                                                     gint64               consultation_id,
                                                     GError             **error);
StriaeRules        *striae_store_load_rules         (StriaeStore         *self,
                                                     GError             **error);
gboolean            striae_store_save_rules         (StriaeStore         *self,
                                                     StriaeRules         *rules,
                                                     const char          *practitioner,
                                                     GError             **error);

/* What is clinic-wide (striae-store-clinic.c) */

/* The largest sheet template the records keep: wording for patients, not a book. */
#define STRIAE_STORE_SHEET_TEMPLATE_MAX_SIZE (64 * 1024)

StriaeClinic       *striae_store_load_clinic        (StriaeStore         *self,
                                                     GError             **error);
gboolean            striae_store_save_clinic        (StriaeStore         *self,
                                                     StriaeClinic        *clinic,
                                                     const char          *practitioner,
                                                     GError             **error);
gboolean            striae_store_may_change_clinic  (StriaeStore         *self,
                                                     gboolean            *may,
                                                     GError             **error);
gboolean            striae_store_adopt_clinic       (StriaeStore         *self,
                                                     StriaeClinic        *clinic,
                                                     gboolean            *adopted,
                                                     GError             **error);
gboolean            striae_store_load_sheet_template (StriaeStore        *self,
                                                      const char         *name,
                                                      const char         *language,
                                                      char              **text,
                                                      GError            **error);
gboolean            striae_store_save_sheet_template (StriaeStore        *self,
                                                      const char         *name,
                                                      const char         *language,
                                                      const char         *text,
                                                      const char         *practitioner,
                                                      GError            **error);
GStrv               striae_store_dup_sheet_templates (StriaeStore        *self,
                                                      GError            **error);

/* Drafts kept on this computer while the clinic server is gone (striae-store-spool.c).
 * "spool-sent" (gint64 old id, StriaeConsultation as stored) and "spool-refused" (gint64 id,
 * const char *local id, const char *message) are emitted by striae_store_send_spooled(), or
 * on the main context by striae_store_send_spooled_async(). A new draft (id 0) is known by
 * its local id (striae_consultation_get_local_id()). */
gboolean            striae_store_spool_consultation (StriaeStore         *self,
                                                     StriaeConsultation  *consultation,
                                                     const char          *practitioner,
                                                     GError             **error);
gboolean            striae_store_send_spooled       (StriaeStore         *self,
                                                     guint               *n_sent,
                                                     GError             **error);
void                striae_store_send_spooled_async (StriaeStore         *self,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean            striae_store_send_spooled_finish (StriaeStore        *self,
                                                      GAsyncResult       *result,
                                                      guint              *n_sent,
                                                      GError            **error);
gboolean            striae_store_is_spooled         (StriaeStore         *self,
                                                     gint64               id,
                                                     const char          *local_id);
void                striae_store_discard_spooled    (StriaeStore         *self,
                                                     gint64               id,
                                                     const char          *local_id);
char               *striae_store_dup_spool_folder   (StriaeStore         *self);

/* Audit log (striae-store-audit.c, striae-store-audit-check.c) */
const char         *striae_audit_action_to_string   (StriaeAuditAction    action);
/* Something that happened outside the store, for its audit log (striae_store_log_events()). */
typedef struct
{
  StriaeAuditAction  action;
  gint64             patient_id;      /* the patient concerned, or 0 */
  gint64             consultation_id; /* the consultation concerned, or 0 */
  const char        *detail;          /* a short note that identifies nobody, or NULL */
} StriaeAuditEvent;

gboolean            striae_store_log_events         (StriaeStore             *self,
                                                     const StriaeAuditEvent  *events,
                                                     guint                    n_events,
                                                     GError                 **error);
gboolean            striae_store_log_event          (StriaeStore         *self,
                                                     StriaeAuditAction    action,
                                                     gint64               patient_id,
                                                     gint64               consultation_id,
                                                     const char          *detail,
                                                     GError             **error);
StriaeAuditReport  *striae_store_check_audit        (StriaeStore         *self,
                                                     GError             **error);
gboolean            striae_store_verify_audit       (StriaeStore         *self,
                                                     gint64              *n_entries,
                                                     gint64              *bad_row_id,
                                                     GError             **error);

/* Export, import, erasure, backup (striae-store-transfer.c) */
char               *striae_store_export_patient     (StriaeStore         *self,
                                                     gint64               patient_id,
                                                     StriaeExportFlags    flags,
                                                     GError             **error);
gboolean            striae_store_export_patient_to_file (StriaeStore        *self,
                                                         gint64              patient_id,
                                                         StriaeExportFlags   flags,
                                                         const char         *path,
                                                         const char         *passphrase,
                                                         GError            **error);
gboolean            striae_store_begin_bulk         (StriaeStore         *self,
                                                     GError             **error);
gboolean            striae_store_end_bulk           (StriaeStore         *self,
                                                     GError             **error);
gint64              striae_store_import_patient     (StriaeStore         *self,
                                                     const char          *json,
                                                     gssize               length,
                                                     gboolean            *already_imported,
                                                     GError             **error);

/* A patient export read and checked, before any records are written: reading needs no
 * store, and so can run in another thread while the records take the one before. */
typedef struct _StriaeImportRecord StriaeImportRecord;

StriaeImportRecord *striae_import_record_read       (const char          *json,
                                                     gssize               length,
                                                     GError             **error);
void                striae_import_record_free       (StriaeImportRecord  *record);
gint64              striae_store_import_record      (StriaeStore         *self,
                                                     StriaeImportRecord  *record,
                                                     gboolean            *already_imported,
                                                     GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StriaeImportRecord, striae_import_record_free)

gboolean            striae_store_erase_patient      (StriaeStore         *self,
                                                     gint64               patient_id,
                                                     GError             **error);
gboolean            striae_store_backup             (StriaeStore         *self,
                                                     const char          *path,
                                                     const char          *passphrase,
                                                     GError             **error);
gboolean            striae_store_restore            (const char          *backup_path,
                                                     const char          *location,
                                                     const char          *passphrase,
                                                     GError             **error);

/* Sessions planned on a day (striae-store-sessions.c) */
GPtrArray          *striae_store_list_sessions_on   (StriaeStore         *self,
                                                     const GDate         *date,
                                                     GError             **error);

/* Setting up a clinic server (striae-store-server.c) */

/* The group a staff login of a clinic server belongs to. */
typedef enum
{
  STRIAE_STAFF_ROLE_ASSISTANT,
  STRIAE_STAFF_ROLE_PRACTITIONER,
  STRIAE_STAFF_ROLE_ADMIN,
} StriaeStaffRole;

/* What striae_store_server_init() did. */
typedef struct
{
  int    schema_before;  /* the schema's version before, 0 for a database without one */
  int    schema_after;   /* and after */
  GStrv  created_roles;  /* the group roles made now; those that existed are not named */
} StriaeServerSetup;

gboolean            striae_staff_role_from_string   (const char          *text,
                                                     StriaeStaffRole     *role);
const char         *striae_staff_role_get_group     (StriaeStaffRole      role);
gboolean            striae_store_server_needs_password (const char      *uri);
char               *striae_store_server_describe    (const char          *uri);
StriaeServerSetup  *striae_store_server_init        (const char          *uri,
                                                     GError             **error);
void                striae_server_setup_free        (StriaeServerSetup   *setup);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (StriaeServerSetup, striae_server_setup_free)
gboolean            striae_store_server_add_login   (const char          *uri,
                                                     const char          *name,
                                                     StriaeStaffRole      role,
                                                     const char          *password,
                                                     GError             **error);
gboolean            striae_store_server_add_login_full (const char       *uri,
                                                        const char       *name,
                                                        const char       *display_name,
                                                        StriaeStaffRole   role,
                                                        const char       *password,
                                                        GError          **error);

/* Accounts and rights (striae-store-accounts.c).
 *
 * Who works with the records. On this computer (a file), accounts live in the records: a
 * name (unique whatever its case), a display name, a role and a password hash (libsodium's
 * crypto_pwhash_str, Argon2id at the interactive limits). On a clinic server the account is
 * the server's login and its role the login's group (striae_admin, striae_practitioner,
 * striae_assistant), which the server enforces itself; the records layer asks the same
 * question so that the client refuses what the server would refuse.
 *
 * The roles nest: an admin may do what a practitioner may, and a practitioner what an
 * assistant may (a clinic owner who is also the doctor is the common case).
 *
 *   assistant:    patients' contact details, the day's list, printing and exporting sheets,
 *                 reading the records
 *   practitioner: consultations (history, skin, areas, plan), sign-off, amendments,
 *                 discarding drafts, reading the audit log (its check and report)
 *   admin:        the clinic's settings, rules and sheet wording, accounts, archive,
 *                 erasure, a patient's export and import, backups, a copy to a server
 *
 * A file without any account yet (a new database, or one from before accounts) is open to
 * whoever opens it, as before accounts, so that striae_store_needs_setup() can make the
 * first admin; the window shows its setup page for it and the command line refuses to work
 * on it but for --init. Once the file has an account, every write is refused until someone
 * signs in (STRIAE_STORE_ERROR_NOT_ALLOWED), and the audit log names the signed-in account
 * ("account:NAME") on every row, whatever striae_store_set_user() was given. Each
 * sign-in writes a "sign-in" row in the account's name; a sign-out, a lock and the end of a
 * command do not (striae-store-accounts.c says why). */

/* What an account may do: each right belongs to the lowest role that has it. */
typedef enum
{
  STRIAE_RIGHT_READ,            /* assistant: read and search the records, log views */
  STRIAE_RIGHT_PATIENTS,        /* assistant: add patients, change their contact details */
  STRIAE_RIGHT_SHEETS,          /* assistant: print and export sheets */
  STRIAE_RIGHT_CONSULTATIONS,   /* practitioner: history, skin, areas and plan of a draft */
  STRIAE_RIGHT_SIGN,            /* practitioner: sign off (also held, not treated) */
  STRIAE_RIGHT_AMEND,           /* practitioner: a new revision of a signed consultation */
  STRIAE_RIGHT_DISCARD,         /* practitioner: throw a draft away */
  STRIAE_RIGHT_AUDIT,           /* practitioner: check and read the audit log */
  STRIAE_RIGHT_CLINIC,          /* admin: clinic settings, rules, the sheets' wording */
  STRIAE_RIGHT_ACCOUNTS,        /* admin: add, reset, change the role of, disable accounts */
  STRIAE_RIGHT_ARCHIVE,         /* admin: archive a patient and bring them back */
  STRIAE_RIGHT_ERASE,           /* admin: erase a patient */
  STRIAE_RIGHT_TRANSFER,        /* admin: a patient's export and import, backups, copies */
  STRIAE_RIGHT_SCHEDULE,        /* assistant: move a scheduled session, mark it missed (the
                                 * front desk runs the diary) */
  STRIAE_RIGHT_CANCEL_SESSION,  /* practitioner: cancel a scheduled session, which shortens
                                 * the course the practitioner planned */
} StriaeRight;

/* The shortest password Striae accepts for an account: 8 characters (Unicode characters,
 * not bytes), which NIST SP 800-63B asks of passwords a person chooses. */
#define STRIAE_ACCOUNT_PASSWORD_MIN_LENGTH 8

/* After this many wrong passwords in a row for a name, each further try waits 2^(n - 3)
 * seconds after the last failure, at most STRIAE_ACCOUNT_MAX_WAIT seconds. */
#define STRIAE_ACCOUNT_FREE_TRIES 3
#define STRIAE_ACCOUNT_MAX_WAIT   300

/* An account as listed: never its password hash. */
typedef struct
{
  char            *name;
  char            *display_name;
  StriaeStaffRole  role;
  gboolean         disabled;
  GDateTime       *created;
} StriaeAccount;

#define STRIAE_TYPE_ACCOUNT (striae_account_get_type ())

GType               striae_account_get_type         (void) G_GNUC_CONST;
StriaeAccount      *striae_account_copy             (const StriaeAccount *account);
void                striae_account_free             (StriaeAccount       *account);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (StriaeAccount, striae_account_free)

const char         *striae_staff_role_to_string     (StriaeStaffRole      role);
const char         *striae_staff_role_get_label     (StriaeStaffRole      role);

/* Returns the time now, in UTC; for tests that let time pass without waiting. */
typedef GDateTime *(*StriaeStoreClock) (gpointer data);

void                striae_store_set_clock_for_testing (StriaeStore      *self,
                                                        StriaeStoreClock  clock,
                                                        gpointer          data);
gboolean            striae_store_check_account_name (const char          *name,
                                                     GError             **error);
gboolean            striae_store_check_new_password (const char          *password,
                                                     GError             **error);
gboolean            striae_store_has_accounts       (StriaeStore         *self);
gboolean            striae_store_needs_setup        (StriaeStore         *self);
gint64              striae_store_count_entries_before_accounts (StriaeStore  *self,
                                                                GError      **error);
gboolean            striae_store_create_first_admin (StriaeStore         *self,
                                                     const char          *name,
                                                     const char          *display_name,
                                                     const char          *password,
                                                     GError             **error);
gboolean            striae_store_sign_in            (StriaeStore         *self,
                                                     const char          *name,
                                                     const char          *password,
                                                     GError             **error);
/* How a sign-in is audited. */
typedef enum
{
  STRIAE_SIGN_IN_FLAGS_NONE        = 0,
  /* the "sign-in" row waits for striae_store_audit_sign_in(): for a check of the audit log,
   * which must find the log as it was, not with its own row appended */
  STRIAE_SIGN_IN_FLAGS_AUDIT_LATER = 1 << 0,
} StriaeSignInFlags;

gboolean            striae_store_sign_in_full       (StriaeStore         *self,
                                                     const char          *name,
                                                     const char          *password,
                                                     StriaeSignInFlags    flags,
                                                     GError             **error);
gboolean            striae_store_audit_sign_in      (StriaeStore         *self,
                                                     GError             **error);
gboolean            striae_store_read_as            (StriaeStore         *self,
                                                     const char          *name,
                                                     GError             **error);
void                striae_store_sign_out           (StriaeStore         *self);
gboolean            striae_store_check_password     (StriaeStore         *self,
                                                     const char          *password,
                                                     GError             **error);
gboolean            striae_store_confirm_signature  (StriaeStore         *self,
                                                     const char          *password,
                                                     GError             **error);
gboolean            striae_store_check_account      (StriaeStore         *self,
                                                     const char          *name,
                                                     const char          *password,
                                                     StriaeRight          right,
                                                     GError             **error);
gboolean            striae_store_is_signed_in       (StriaeStore         *self);
const char         *striae_store_get_account_name   (StriaeStore         *self);
char               *striae_store_dup_login_name     (StriaeStore         *self);
const char         *striae_store_get_account_display_name (StriaeStore   *self);
gboolean            striae_store_signs_with_password (StriaeStore        *self);
gboolean            striae_store_keeps_accounts     (StriaeStore         *self);
gboolean            striae_store_get_role           (StriaeStore         *self,
                                                     StriaeStaffRole     *role);
gboolean            striae_store_may                (StriaeStore         *self,
                                                     StriaeRight          right,
                                                     GError             **error);
GPtrArray          *striae_store_list_accounts      (StriaeStore         *self,
                                                     GError             **error);
gboolean            striae_store_add_account        (StriaeStore         *self,
                                                     const char          *name,
                                                     const char          *display_name,
                                                     StriaeStaffRole      role,
                                                     const char          *password,
                                                     GError             **error);
gboolean            striae_store_reset_password     (StriaeStore         *self,
                                                     const char          *name,
                                                     const char          *password,
                                                     GError             **error);
gboolean            striae_store_set_account_role   (StriaeStore         *self,
                                                     const char          *name,
                                                     StriaeStaffRole      role,
                                                     GError             **error);
gboolean            striae_store_set_account_disabled (StriaeStore       *self,
                                                       const char        *name,
                                                       gboolean           disabled,
                                                       GError           **error);
gint64              striae_store_get_accounts_start (StriaeStore         *self);
char               *striae_store_describe_actor     (StriaeStore         *self,
                                                     gint64               entry,
                                                     const char          *actor);

/* Moving a single PC's file onto a clinic server (striae-store-copy.c): what was copied,
 * counted on both sides. */
typedef struct
{
  gint64 patients;
  gint64 consultations;
  gint64 revisions;
  gint64 audit_entries;
} StriaeCopyReport;

gboolean            striae_store_copy_to            (StriaeStore         *self,
                                                     const char          *uri,
                                                     StriaeCopyReport    *report,
                                                     GError             **error);

/* Session records (striae-store-treatments.c, issue 17) */
gboolean                striae_store_save_treatment_session (StriaeStore             *self,
                                                             StriaeTreatmentSession  *session,
                                                             const char              *practitioner,
                                                             GError                 **error);
gboolean                striae_store_sign_treatment_session (StriaeStore             *self,
                                                             gint64                   id,
                                                             const char              *practitioner,
                                                             GError                 **error);
StriaeTreatmentSession *striae_store_amend_treatment_session (StriaeStore            *self,
                                                              gint64                  id,
                                                              const char             *practitioner,
                                                              const char             *reason,
                                                              GError                **error);
StriaeTreatmentSession *striae_store_get_treatment_session  (StriaeStore             *self,
                                                             gint64                   id,
                                                             GError                 **error);
StriaeTreatmentSession *striae_store_get_treatment_session_revision
                                                            (StriaeStore             *self,
                                                             gint64                   id,
                                                             guint                    revision,
                                                             GError                 **error);
GPtrArray              *striae_store_list_treatment_sessions (StriaeStore            *self,
                                                              gint64                  id,
                                                              GError                **error);
GPtrArray              *striae_store_list_patient_treatment_sessions
                                                            (StriaeStore             *self,
                                                             gint64                   patient_id,
                                                             GError                 **error);
GPtrArray              *striae_store_find_batch             (StriaeStore             *self,
                                                             const char              *lot,
                                                             GError                 **error);

/* A use of a lot with what the Find Batch page shows of it, read together in a worker thread
 * so that the window never waits on the records for it (issue 15): the use, its patient and
 * the session record's latest revision (its products' expiry, its place in the course). */
typedef struct
{
  StriaeStoreBatchUse    *use;
  StriaePatient          *patient;
  StriaeTreatmentSession *session;
} StriaeBatchRecord;

void                    striae_batch_record_free            (StriaeBatchRecord       *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (StriaeBatchRecord, striae_batch_record_free)

/* As striae_store_find_batch(), with each use's patient and session record, in a worker
 * thread; @cancellable stops it between records (a new lot typed, the page gone). */
void                    striae_store_find_batch_async       (StriaeStore             *self,
                                                             const char              *lot,
                                                             GCancellable            *cancellable,
                                                             GAsyncReadyCallback      callback,
                                                             gpointer                 user_data);
GPtrArray              *striae_store_find_batch_finish      (StriaeStore             *self,
                                                             GAsyncResult            *result,
                                                             GError                 **error);
char                   *striae_store_fold_lot               (const char              *lot);

/* The schedule, the day's list and the recalls (striae-store-schedule.c, issue 17).
 *
 * Each signed consultation that treats has a schedule: one scheduled session a row, the
 * course's sessions 1 to N on the plan's dates (striae_plan_compute_schedule()), then one
 * maintenance session at a time when the plan asks for maintenance (its maintenance months,
 * 4 to 6 by CLINICAL.md's default, after the last course session; when a maintenance session
 * is done, the next one is planned the same number of months after it). The schedule is
 * made when the consultation is signed (and back-filled for those signed before schema 13);
 * an amendment signed later plans again the sessions still to come, keeping the done, missed
 * and cancelled ones.
 *
 * Rights: reading is STRIAE_RIGHT_READ; moving and marking missed STRIAE_RIGHT_SCHEDULE
 * (assistant: the front desk runs the diary, and a moved date changes no clinical fact);
 * cancelling STRIAE_RIGHT_CANCEL_SESSION (practitioner: it shortens the planned course).
 * A session becomes done when its session record is signed
 * (striae_store_sign_treatment_session() links it) or by striae_store_link_treatment_session().
 * Each change leaves an audit row (STRIAE_AUDIT_SCHEDULE_*). */

/* The schedule of consultation @consultation_id (course first, by number, then maintenance),
 * or of every consultation of patient @patient_id (by date). Empty when nothing is scheduled.
 * (element-type StriaeScheduledSession) */
GPtrArray              *striae_store_list_schedule          (StriaeStore         *self,
                                                             gint64               consultation_id,
                                                             GError             **error);
GPtrArray              *striae_store_list_patient_schedule  (StriaeStore         *self,
                                                             gint64               patient_id,
                                                             GError             **error);
StriaeScheduledSession *striae_store_get_scheduled_session  (StriaeStore         *self,
                                                             gint64               id,
                                                             GError             **error);

/* Moves scheduled session @id (planned or moved) to @date at @time (minutes after midnight,
 * -1: none). With @later_follow, every open session after it in the same consultation's
 * schedule moves by the same number of days (their times stay). @reason (nullable) says why.
 * Refused (STRIAE_STORE_ERROR_INVALID) for a session done, missed or cancelled, or a date
 * before the consultation's; STRIAE_STORE_ERROR_NOT_ALLOWED without STRIAE_RIGHT_SCHEDULE. */
gboolean                striae_store_move_scheduled_session (StriaeStore         *self,
                                                             gint64               id,
                                                             const GDate         *date,
                                                             int                  time,
                                                             gboolean             later_follow,
                                                             const char          *reason,
                                                             GError             **error);
/* Marks an open scheduled session missed (STRIAE_RIGHT_SCHEDULE); @reason nullable. */
gboolean                striae_store_mark_session_missed    (StriaeStore         *self,
                                                             gint64               id,
                                                             const char          *reason,
                                                             GError             **error);
/* Cancels an open scheduled session (STRIAE_RIGHT_CANCEL_SESSION); @reason is required. */
gboolean                striae_store_cancel_scheduled_session (StriaeStore       *self,
                                                               gint64             id,
                                                               const char        *reason,
                                                               GError           **error);
/* Marks scheduled session @id done by the signed session record @treatment_session_id of
 * the same consultation (STRIAE_RIGHT_SIGN). Signing a session record does this by itself
 * for the open session of its number (or the open maintenance session). */
gboolean                striae_store_link_treatment_session (StriaeStore         *self,
                                                             gint64               id,
                                                             gint64               treatment_session_id,
                                                             GError             **error);

/* The scheduled sessions of @date, every status (cancelled ones too, for the front desk to
 * see), by time (those without a time last), then family and given name; patients archived
 * are left out. (element-type StriaeDayEntry) */
GPtrArray              *striae_store_list_day               (StriaeStore         *self,
                                                             const GDate         *date,
                                                             GError             **error);
/* The consultations with a session taking place on @date by their schedule (planned or moved
 * there, or done that day), for the day's sheets. (element-type StriaeConsultation) */
GPtrArray              *striae_store_list_scheduled_on      (StriaeStore         *self,
                                                             const GDate         *date,
                                                             GError             **error);

/* Who to call back as of @today: maintenance sessions open and due on or before @today +
 * @within_days (overdue ones too), courses stopped (their missed session's date as due),
 * and consultations signed as not treated whose see-again date is on or before @today +
 * @within_days and after which the patient has no later consultation; none dated more than
 * STRIAE_RECALL_LOOKBACK_DAYS before @today. By due date, then
 * family and given name; archived patients are left out. Needs STRIAE_RIGHT_READ (contact
 * details are read with it, as the patient list reads them). (element-type StriaeRecall) */
GPtrArray              *striae_store_list_recalls           (StriaeStore         *self,
                                                             guint                within_days,
                                                             const GDate         *today,
                                                             GError             **error);
/* The recalls read in a worker thread, for the window (issue 15). */
void                    striae_store_list_recalls_async     (StriaeStore         *self,
                                                             guint                within_days,
                                                             const GDate         *today,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
GPtrArray              *striae_store_list_recalls_finish    (StriaeStore         *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);

/* Photos (striae-store-photos.c, issue 18) */

/* Photo consent of a patient (STRIAE_RIGHT_PATIENTS to set; audited). Withdrawing it
 * (STRIAE_PHOTO_CONSENT_NONE) keeps the photos already taken and refuses new ones. Reading
 * it needs STRIAE_RIGHT_READ; @recorded is NULL when none was ever recorded. */
gboolean      striae_store_set_photo_consent   (StriaeStore              *self,
                                                gint64                    patient_id,
                                                StriaePhotoConsentScope   scope,
                                                GError                  **error);
StriaePhotoConsentScope
              striae_store_get_photo_consent   (StriaeStore              *self,
                                                gint64                    patient_id,
                                                GDateTime               **recorded,
                                                GError                  **error);
/* Who recorded the consent ("" when none was), besides its scope and time. */
char         *striae_store_dup_photo_consent_recorder (StriaeStore   *self,
                                                       gint64         patient_id,
                                                       GError       **error);
/* Adds a photo (STRIAE_RIGHT_CONSULTATIONS): cleans @bytes with striae_photo_image_clean(),
 * refuses without photo consent (STRIAE_STORE_ERROR_NOT_ALLOWED, one sentence), stores the
 * image, its thumbnail and SHA-256; audited. @treatment_session_id 0 = the consultation. */
StriaePhoto  *striae_store_add_photo           (StriaeStore              *self,
                                                gint64                    consultation_id,
                                                gint64                    treatment_session_id,
                                                StriaeBodySite            site,
                                                StriaeSide                side,
                                                StriaePhotoMoment         moment,
                                                GBytes                   *bytes,
                                                GError                  **error);
/* The same in a worker thread, for the window: decoding and re-encoding a large photo takes
 * up to a second. Once started it is not undone: @cancellable only spares the work when
 * cancelled before the worker takes it up. _finish() emits "patients-changed" in the
 * caller's thread. */
void          striae_store_add_photo_async     (StriaeStore              *self,
                                                gint64                    consultation_id,
                                                gint64                    treatment_session_id,
                                                StriaeBodySite            site,
                                                StriaeSide                side,
                                                StriaePhotoMoment         moment,
                                                GBytes                   *bytes,
                                                GCancellable             *cancellable,
                                                GAsyncReadyCallback       callback,
                                                gpointer                  user_data);
StriaePhoto  *striae_store_add_photo_finish    (StriaeStore              *self,
                                                GAsyncResult             *result,
                                                GError                  **error);
/* A patient's photos, oldest first (by date, session number, moment), without pixels, with
 * their session number and depth. (element-type StriaePhoto) */
GPtrArray    *striae_store_list_patient_photos (StriaeStore              *self,
                                                gint64                    patient_id,
                                                GError                  **error);
StriaePhoto  *striae_store_get_photo           (StriaeStore              *self,
                                                gint64                    photo_id,
                                                GError                  **error);
GBytes       *striae_store_get_photo_thumbnail (StriaeStore              *self,
                                                gint64                    photo_id,
                                                GError                  **error);
/* The full image; writes an audit "photo-view" row (opening a photo is audited). */
GBytes       *striae_store_get_photo_image     (StriaeStore              *self,
                                                gint64                    photo_id,
                                                GError                  **error);
/* Deletes a photo (STRIAE_RIGHT_CONSULTATIONS) with its image; @reason is required and
 * audited only as the start of its SHA-256. */
gboolean      striae_store_delete_photo        (StriaeStore              *self,
                                                gint64                    photo_id,
                                                const char               *reason,
                                                GError                  **error);
/* The consent signed on the screen (issue 18, striae-store-consent.c). Saving needs
 * STRIAE_RIGHT_CONSULTATIONS (the patient signs on the practitioner's screen), reading
 * STRIAE_RIGHT_READ. */
gboolean            striae_store_save_consent_signature (StriaeStore             *self,
                                                         gint64                   consultation_id,
                                                         StriaeConsentSignature  *signature,
                                                         GError                 **error);
GPtrArray          *striae_store_list_consent_signatures (StriaeStore            *self,
                                                          gint64                  consultation_id,
                                                          GError                **error);
GPtrArray          *striae_store_consent_signatures_matching (GPtrArray          *signatures,
                                                              const char         *consent_hash);

G_END_DECLS
