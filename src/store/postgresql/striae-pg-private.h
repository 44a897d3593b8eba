/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The PostgreSQL backend's insides, shared by the files in src/store/postgresql/. */

#include <libpq-fe.h>

#include "striae-pg-backend.h"
#include "striae-store.h"

G_BEGIN_DECLS

/* The key of the advisory lock that a write transaction takes at once (pg_advisory_xact_lock),
 * so that writers from every PC follow one another and the audit chain stays one; the eight
 * bytes spell "STRIAEWR". Migrations take their own ("STRIAEMG"). */
#define PG_WRITE_LOCK "6004514677772867410"
#define PG_MIGRATE_LOCK "6004514677772864839"

/* The audit rows a write transaction keeps (StriaePgBackend's `pending`): one array per
 * column. */
#define PG_AUDIT_COLUMNS 8

/* The channel that the triggers of the schema notify on every write to patients and
 * consultations (poll_changes). */
#define PG_CHANGES_CHANNEL "striae_changes"

/* One connection and the lock that keeps a statement or a transaction whole on it (a PGconn
 * is not thread-safe). The main connection prepares its statements once per session of the
 * server (`prepared`: SQL text → statement name), so that the server parses each once; a
 * session that is not the one they were prepared on (the connection made again: another
 * server process, `prepared_pid`) has none of them, and they are forgotten. */
typedef struct
{
  PGconn     *conn;
  GMutex      lock;
  GHashTable *prepared;
  int         prepared_pid;
} Connection;

struct _StriaePgBackend
{
  GObject       parent_instance;

  char         *uri;
  char         *name;          /* the URI without its password, for messages */
  char         *login;         /* session_user: the login the server authenticated */
  gboolean      used_password; /* the server asked the login for a password */
  gboolean      read_only;
  int           schema_version;
  gboolean      in_transaction;
  /* The write transaction was begun but nothing of it sent yet: its BEGIN, write lock and
   * tail go with its first statement, in the same round trip (pg_run_pipeline()). */
  gboolean      begin_pending;
  guint         next_statement; /* the number of the next prepared statement's name */
  gboolean      polled;        /* poll_changes was called once */
  gboolean      reconnected;   /* notifications may have been missed: tell of a change */
  gboolean      listening;     /* the main connection's LISTEN was sent as it opened */
  gint64        last_reset;    /* when the main connection was last made again */
  gboolean      reset_needed;  /* a pipeline the server broke left it unusable */
  StriaePgHook  committed;
  StriaePgHook  rolled_back;
  gpointer      hook_data;

  /* Writes and records go through `main`; searches and the cheap reads for lists through
   * `search`, opened when first needed, so that a search in a worker thread never holds up
   * the window. */
  Connection    main;
  Connection    search;
  /* Searches of every kind run on `rows`, so that the cheap reads for lists on `search`
   * (a draft flag, a resume page), which the window makes, never wait for one. */
  Connection    rows;

  /* What stays as it is while the main connection lasts, read once: the audit key and the
   * database's id, which the schema makes and no Striae role can change (forgotten when the
   * connection is made again, and after a rollback). */
  GBytes       *audit_key;
  char         *database_id;

  /* What a write transaction knows, from begin to its end (pg_transaction_clear()). Every
   * writer takes the write lock first, so that nothing of this moves but through the
   * transaction itself: the audit log's tail, read as the lock was taken and moved on by the
   * rows appended; those rows, kept until the next statement or the commit takes them along
   * (pg_audit_flush()); the audit subjects read so far; the latest revision of the
   * consultation read under lock, for the read of it that follows. */
  gboolean              tail_known;
  StriaeStoreAuditTail  tail;
  GString              *pending[PG_AUDIT_COLUMNS];
  guint                 n_pending;
  GHashTable           *subjects;
  StriaeStoreRevision  *locked_revision;
  /* The writes that return nothing (pg_queue()), in order, kept until the next statement
   * or the commit takes them along in its round trip (PgQueued); and the first failure of
   * a statement of the transaction, which fails what it still asks, and its commit. */
  GPtrArray            *queued;
  GError               *failed;
};

/* The audit log's tail as pg_audit_tail_from_row() reads it, with the seal of row $1. */
#define PG_AUDIT_TAIL_SQL \
  "SELECT (SELECT last_number FROM audit_numbers)," \
  "       coalesce ((SELECT max (id) FROM audit), 0)," \
  "       (SELECT hash FROM audit ORDER BY id DESC LIMIT 1)," \
  "       (SELECT hash FROM audit WHERE id = $1)"

/* One statement of a pipeline (pg_run_pipeline()), and its result once run. @lengths and
 * @formats, when set, say which parameters are binary (as PQexecParams() takes them), and
 * @binary_result asks for the results in binary. */
typedef struct
{
  const char          *sql;
  int                  n_params;
  const char * const  *params;
  PGresult            *result;
  const int           *lengths;
  const int           *formats;
  int                  binary_result;
} PgStatement;

/* The result of one statement, NULL when it failed (with @error set). @sql takes $1, $2…;
 * @params are texts (NULL for SQL NULL). */
PGresult      *pg_run                  (StriaePgBackend   *self,
                                        PGconn            *conn,
                                        const char        *sql,
                                        int                n_params,
                                        const char * const *params,
                                        GError           **error);
gboolean       pg_run_pipeline         (StriaePgBackend   *self,
                                        PgStatement       *statements,
                                        guint              n,
                                        GError           **error);
gboolean       pg_flush                (StriaePgBackend   *self,
                                        GError           **error);
void           pg_transaction_clear    (StriaePgBackend   *self);
PGresult      *pg_run_state            (StriaePgBackend   *self,
                                        PgStatement       *statement,
                                        char             **state,
                                        GError           **error);
gboolean       pg_queue                (StriaePgBackend   *self,
                                        const char        *sql,
                                        int                n_params,
                                        const char * const *params,
                                        GError           **error);
gboolean       pg_exec                 (StriaePgBackend   *self,
                                        const char        *sql,
                                        int                n_params,
                                        const char * const *params,
                                        GError           **error);
gboolean       pg_exec_count           (StriaePgBackend   *self,
                                        const char        *sql,
                                        int                n_params,
                                        const char * const *params,
                                        gint64            *n_rows,
                                        GError           **error);
void           pg_set_error            (StriaePgBackend   *self,
                                        PGconn            *conn,
                                        const PGresult    *result,
                                        GError           **error);
PGresult      *pg_run_reader           (StriaePgBackend   *self,
                                        Connection        *reader,
                                        const char        *sql,
                                        int                n_params,
                                        const char * const *params,
                                        GCancellable      *cancellable,
                                        GError           **error);
void           pg_lock_main            (StriaePgBackend   *self);
void           pg_array_append         (GString           *array,
                                        const char        *text);
const char    *pg_value                (const PGresult    *result,
                                        int                row,
                                        int                column);
gint64         pg_int                  (const PGresult    *result,
                                        int                row,
                                        int                column);
char          *pg_int_text             (gint64             value);
char          *pg_timestamp_text       (GDateTime         *time);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

/* striae-pg-schema.c: the schema's version, from whether the database holds tables and
 * Striae's (PG_TABLES_SQL), and the highest step made (PG_VERSION_SQL, which fails where
 * there is no striae_schema). */
#define PG_TABLES_SQL \
  "SELECT (SELECT count (*) FROM pg_catalog.pg_tables" \
  "         WHERE schemaname = current_schema ())," \
  "       to_regclass ('striae_schema') IS NOT NULL"
#define PG_VERSION_SQL "SELECT max (version) FROM striae_schema"
gboolean       pg_schema_version_from  (StriaePgBackend   *self,
                                        const PGresult    *tables,
                                        const PGresult    *found,
                                        int               *version,
                                        GError           **error);
gboolean       pg_read_schema_version  (StriaePgBackend   *self,
                                        int               *version,
                                        GError           **error);
gboolean       pg_migrate              (StriaePgBackend                 *self,
                                        const StriaeStoreMigrationHooks *hooks,
                                        gpointer                         data,
                                        GError                         **error);

/* striae-pg-patients.c */
StriaePatient *pg_patient_from_row     (const PGresult *result,
                                        int             row);
void           pg_patient_params       (const char                   *params[11],
                                        StriaePatient                *patient,
                                        const StriaeStorePatientKeys *keys,
                                        char                        **birth_date);
void           pg_patients_iface_init  (StriaeStoreBackendInterface *iface);

/* striae-pg-search.c */
void           pg_search_iface_init    (StriaeStoreBackendInterface *iface);

/* striae-pg-consultations.c */
void           pg_consultations_iface_init (StriaeStoreBackendInterface *iface);

/* striae-pg-treatments.c: session records (issue 17) */
void           pg_treatments_iface_init (StriaeStoreBackendInterface *iface);
void           pg_schedule_iface_init  (StriaeStoreBackendInterface *iface);
void           pg_photos_iface_init    (StriaeStoreBackendInterface *iface);
void           pg_consent_iface_init   (StriaeStoreBackendInterface *iface);

/* striae-pg-audit.c */
void           pg_audit_iface_init     (StriaeStoreBackendInterface *iface);
void           pg_audit_tail_from_row  (const PGresult        *result,
                                        StriaeStoreAuditTail  *tail);
gboolean       pg_audit_flush          (StriaePgBackend       *self,
                                        const char            *then,
                                        GError               **error);
gboolean       pg_audit_take_pending   (StriaePgBackend       *self,
                                        GString              **columns,
                                        const char           **params,
                                        PgStatement           *statement);
void           pg_audit_drop_pending   (StriaePgBackend       *self);
void           pg_audit_note_subject   (StriaePgBackend       *self,
                                        gint64                 patient_id,
                                        const char            *subject);
void           pg_audit_forget_subject (StriaePgBackend       *self,
                                        gint64                 patient_id);
void           pg_audit_forget_identity (StriaePgBackend      *self);

/* striae-pg-transfer.c */
void           pg_transfer_iface_init  (StriaeStoreBackendInterface *iface);

/* striae-pg-copy.c */
void           pg_copy_iface_init      (StriaeStoreBackendInterface *iface);

/* striae-pg-logins.c: the server's logins as accounts (issue 16) */
void           pg_logins_iface_init    (StriaeStoreBackendInterface *iface);

#define PATIENT_COLUMNS \
  "id, given_name, family_name, birth_date, sex, phone, email, language, notes, created, updated"

G_END_DECLS
