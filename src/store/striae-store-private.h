/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Shared by the files that implement StriaeStore (striae-store*.c); nothing here leaves
 * src/store. */

#include "striae-audit-anchor.h"
#include "striae-audit-report.h"
#include "striae-store-backend.h"
#include "striae-store.h"

G_BEGIN_DECLS

#define AUDIT_KEY_SIZE 32
#define AUDIT_SEAL_HEX 64

/* The place of an audit key kept in the records themselves (a clinic server; see
 * store_audit_find_key()), beside the anchor's "keyring" and "file". */
#define AUDIT_PLACE_RECORDS "records"

/* The head of the audit log, kept outside the database beside its key: how far Striae had
 * written the log, and what Striae noticed about it on the way (striae-store-audit.c). */
typedef struct
{
  gint64 last_entry;               /* the newest entry Striae sealed, 0 for none */
  char   seal[AUDIT_SEAL_HEX + 1]; /* its seal in hex, "" for none */
  gint64 cut_from;                 /* the first entry found gone from the end, 0 for none */
  gint64 resealed_at;              /* the head's entry, found with another seal; 0 for none */
  gint64 broken_before_keying;     /* the first entry of the SHA-256 chain found broken */
  gint64 keyed_from;               /* the first entry sealed with this key */
  gint64 head_lost_at;             /* the entry Striae was to write when the head was gone */
} AuditHead;

/* The audit key of the database and the head that the open write transaction will leave,
 * written outside once it commits. Guarded by the backend's lock. */
typedef struct
{
  char      *database_id;
  GBytes    *key;
  char      *place;       /* where the anchor keeps the key: "keyring" or "file" */
  gboolean   pending;     /* the open transaction appended rows */
  AuditHead  head;
} AuditState;

struct _StriaeStore
{
  GObject     parent_instance;

  char       *path;
  char       *name;       /* the records as messages name them: never a server's password */
  int         schema_version;
  gboolean    read_only;

  /* Who the audit log names when a call does not say (striae_store_set_user()). */
  char       *user;

  /* What opening changed that the user should hear of (striae_store_get_notice()). */
  char       *notice;

  /* Where the records live. */
  StriaeStoreBackend *backend;

  /* The audit log's key and head live outside the database. */
  StriaeAuditAnchor *anchor;
  AuditState         audit;

  /* Between striae_store_begin_bulk() and striae_store_end_bulk(): commits are made durable
   * at the end, and the audit head of the last one that appended rows waits here to be
   * written outside after them (pending). */
  gboolean           bulk;
  AuditState         bulk_audit;

  /* The spool (striae-store-spool.c): a kept draft is read, sent and removed under this
   * lock, and a save that may keep one holds it too, so that a version typed meanwhile is
   * never removed unsent. What was sent is remembered (spool file name → StoreSpoolSent) so
   * that a save made on this computer from the same start goes on from what was sent. */
  GMutex             spool_lock;
  GHashTable        *spool_sent;

  /* Accounts (striae-store-accounts.c), under account_lock: who is signed in (NULL: no
   * one), whether a file has any account (cached at opening and when the first is made),
   * the login's group on a server (asked once), the wrong tries of names that are no
   * account (folded name → StoreUnknownTries, kept in memory only), the clock the
   * backoff reads, a hash to verify against for an unknown name, the last audit entry
   * before accounts (-1: none), and whether the signed-in account has just given its
   * password for the next signature (striae_store_confirm_signature()). */
  GMutex             account_lock;
  StriaeAccount     *account;
  gboolean           has_accounts;
  gboolean           login_group_known;
  char              *login_group;
  GHashTable        *unknown_tries;
  StriaeStoreClock   clock;
  gpointer           clock_data;
  char              *dummy_hash;
  gint64             accounts_start;
  gboolean           signature_confirmed;
  /* Read-only records read in an account's role before its password was checked elsewhere
   * (striae_store_read_as()): only STRIAE_RIGHT_READ is granted. */
  gboolean           reading_as;
  /* On a clinic server, the login the server authenticated, which every audit row of this
   * store names, and, for a staff login, the login as an account (its name, its display
   * name from the server's account list, its role), which signs; read at opening, NULL for
   * a file (and the account NULL for clinic IT's owner or a superuser). And the display
   * names of the accounts (name → display name), read when a report first asks. */
  char              *session_login;
  StriaeAccount     *login_account;
  GHashTable        *display_names;
};


/* The words the search index holds besides a patient's names (striae-store.c). */
char          *store_make_search_names (const char    *given,
                                        const char    *family);
void           store_patient_keys_init (StriaeStorePatientKeys *keys,
                                        StriaePatient          *patient);
gboolean       store_audit_save_bulk_head (StriaeStore *self,
                                           GError     **error);
gboolean       store_save_consultation (StriaeStore         *self,
                                        StriaeConsultation  *consultation,
                                        const char          *practitioner,
                                        gboolean             spool,
                                        GError             **error);
void           store_spool_init        (StriaeStore         *self);
void           store_spool_clear       (StriaeStore         *self);
void           store_spool_lock        (StriaeStore         *self);
void           store_spool_unlock      (StriaeStore         *self);
gboolean       store_spool_write       (StriaeStore         *self,
                                        StriaeConsultation  *consultation,
                                        const char          *practitioner,
                                        GError             **error);
void           store_spool_catch_up    (StriaeStore         *self,
                                        StriaeConsultation  *consultation);
void           store_spool_forget      (StriaeStore         *self,
                                        gint64               id,
                                        const char          *local_id);
void           store_emit_spool_sent   (StriaeStore         *self,
                                        gint64               old_id,
                                        StriaeConsultation  *consultation);
void           store_emit_spool_refused (StriaeStore        *self,
                                         gint64              id,
                                         const char         *local_id,
                                         const GError       *error);
void           store_emit_patients_changed (StriaeStore *self,
                                            gint64       id);
gboolean       store_check_backup      (const char     *location,
                                        const char     *backup,
                                        GError        **error);
gboolean       store_validate_patient  (StriaePatient  *patient,
                                        const GDate    *today,
                                        GError        **error);
gboolean       store_insert_patient    (StriaeStore    *self,
                                        StriaePatient  *patient,
                                        const char     *now,
                                        const char     *record_id,
                                        gint64         *id,
                                        GError        **error);

/* striae-store-consultations.c */
gboolean       store_insert_revision   (StriaeStore        *self,
                                        StriaeConsultation *consultation,
                                        const char         *created,
                                        const char         *updated,
                                        const char         *signed_by,
                                        const char         *signed_at,
                                        GError            **error);

/* striae-store-treatments.c: a session record's revision as an import has it, and the lot
 * index of a revision. */
gboolean       store_index_session_batches (StriaeStoreBackend      *backend,
                                            StriaeTreatmentSession  *session,
                                            GError                 **error);
gboolean       store_insert_session_revision (StriaeStore             *self,
                                              StriaeTreatmentSession  *session,
                                              GDateTime               *created,
                                              GDateTime               *updated,
                                              const char              *signed_by,
                                              GDateTime               *signed_at,
                                              GError                 **error);

/* striae-store-sessions.c: the index of planned session dates, written with each revision
 * inside the caller's transaction, and its back-fill (schema step "planned sessions"). */
gboolean       store_index_sessions     (StriaeStoreBackend         *backend,
                                         StriaeConsultation         *consultation,
                                         GError                    **error);
gboolean       store_index_revision     (StriaeStoreBackend         *backend,
                                         const StriaeStoreRevision  *row,
                                         GError                    **error);
gboolean       store_index_all_sessions (StriaeStore                *self,
                                         GError                    **error);

/* striae-store-schedule.c */
gboolean       store_index_schedule    (StriaeStoreBackend         *backend,
                                        StriaeConsultation         *consultation,
                                        GError                    **error);
gboolean       store_schedule_session_signed (StriaeStore             *self,
                                              StriaeTreatmentSession  *session,
                                              GError                 **error);
gboolean       store_schedule_all      (StriaeStore                *self,
                                        GError                    **error);

/* striae-store-clinic.c: whether the clinic allows a typed name for a consent's signature
 * (issue 18); the backend is locked. */
gboolean       store_typed_signature_allowed (StriaeStore  *self,
                                              gboolean     *allowed,
                                              GError      **error);

/* striae-store-audit.c. Appends one row to the audit log inside the caller's write
 * transaction (under the backend's lock, which the caller holds). @patient_id 0 and
 * @consultation_id 0 mean none; @actor NULL means the store's user. */
gboolean       store_audit_append      (StriaeStore       *self,
                                        StriaeAuditAction  action,
                                        const char        *actor,
                                        gint64             patient_id,
                                        gint64             consultation_id,
                                        const char        *detail,
                                        GError           **error);
gboolean       store_audit_append_patients (StriaeStore       *self,
                                            StriaeAuditAction  action,
                                            const gint64      *patient_ids,
                                            guint              n,
                                            const char        *detail,
                                            GError           **error);

/* The seal of one audit row (striae-store-audit.c): HMAC-SHA256 with the database's key over
 * a typed encoding of the previous row's stored seal, the row's id and its other columns. */
GHmac         *store_audit_hmac_new    (GBytes            *key);
void           store_audit_encode_null (GByteArray        *out);
void           store_audit_encode_int  (GByteArray        *out,
                                        gint64             value);
void           store_audit_encode_text (GByteArray        *out,
                                        const char        *text);
void           store_audit_encode_value (GByteArray             *out,
                                         const StriaeStoreValue *value);
void           store_audit_encode_row  (GByteArray                *out,
                                        const StriaeStoreAuditRow *row);
gint64         store_audit_row_get_int (const StriaeStoreAuditRow *row,
                                        StriaeAuditColumn          column);
char          *store_audit_row_dup_text (const StriaeStoreAuditRow *row,
                                         StriaeAuditColumn          column);
void           store_audit_seal        (GHmac             *keyed,
                                        const guint8      *previous,
                                        gsize              previous_size,
                                        gint64             id,
                                        const guint8      *content,
                                        gsize              content_size,
                                        char               seal[AUDIT_SEAL_HEX + 1]);
char          *store_audit_legacy_hash (const char        *previous,
                                        gint64             id,
                                        const char        *at,
                                        const char        *actor,
                                        const char        *action,
                                        const char        *subject,
                                        gint64             consultation_id,
                                        const char        *detail);
gboolean       store_audit_find_key    (StriaeStore       *self,
                                        char             **database_id,
                                        GBytes           **key,
                                        AuditHead         *head,
                                        gboolean          *has_head,
                                        char             **place,
                                        GError           **error);
void           store_audit_committed   (StriaeStore       *self);
void           store_audit_rolled_back (StriaeStore       *self);
gboolean       store_audit_seal_log    (StriaeStore       *self,
                                        GError           **error);
gboolean       store_audit_backup      (StriaeStore       *self,
                                        const char        *location,
                                        GError           **error);
char          *store_audit_dup_database_id   (StriaeStore *self);
gboolean       store_audit_adopt_backup_head (StriaeStore *self,
                                              const char  *replaced_id,
                                              GError     **error);
void           store_audit_state_clear (AuditState        *state);

/* striae-audit-anchor.c */
gboolean       store_is_database_id    (const char        *text);
char          *store_audit_head_to_text   (const AuditHead *head);
gboolean       store_audit_head_from_text (const char      *text,
                                           AuditHead       *head);
gboolean       store_anchor_lookup     (StriaeAuditAnchor  *self,
                                        const char         *database_id,
                                        const char         *place_hint,
                                        GBytes            **key,
                                        AuditHead          *head,
                                        gboolean           *has_head,
                                        char              **place,
                                        GError            **error);
gboolean       store_anchor_create     (StriaeAuditAnchor  *self,
                                        const char         *database_id,
                                        GBytes             *key,
                                        const AuditHead    *head,
                                        char              **place,
                                        GError            **error);
gboolean       store_anchor_store_head (StriaeAuditAnchor  *self,
                                        const char         *database_id,
                                        const char         *place,
                                        GBytes             *key,
                                        const AuditHead    *head,
                                        GError            **error);

/* striae-audit-report.c */
StriaeAuditReport *store_audit_report_new (gint64             n_entries);
void           store_audit_report_add  (StriaeAuditReport *self,
                                        StriaeAuditDamage  damage,
                                        gint64             first,
                                        gint64             last);
void           store_audit_report_set_plain_sha256 (StriaeAuditReport *self);
gint64         store_audit_report_first_damage     (StriaeAuditReport *self);

/* striae-store-audit-check.c */
StriaeAuditReport *store_audit_check_with (StriaeStore     *self,
                                           GBytes          *key,
                                           const AuditHead *head,
                                           GError         **error);

gboolean       store_log_event         (StriaeStore       *self,
                                        StriaeAuditAction  action,
                                        gint64             patient_id,
                                        gint64             consultation_id,
                                        const char        *detail,
                                        GError           **error);

/* striae-store-accounts.c */
void           store_accounts_init     (StriaeStore        *self);
void           store_accounts_clear    (StriaeStore        *self);
gboolean       store_accounts_load     (StriaeStore        *self,
                                        GError            **error);
char          *store_dup_account_actor (StriaeStore        *self);
char          *store_dup_actor_name    (StriaeStore        *self,
                                        const char         *actor);
char          *store_dup_signer        (StriaeStore        *self,
                                        const char         *practitioner);
gboolean       store_take_signature_confirmed (StriaeStore *self);

/* striae-store-rows.c */
char          *store_search_text       (const char         *text);

G_END_DECLS
