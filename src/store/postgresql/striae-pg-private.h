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

/* The channel that the triggers of the schema notify on every write to patients and
 * consultations (poll_changes). */
#define PG_CHANGES_CHANNEL "striae_changes"

/* One connection and the lock that keeps a statement or a transaction whole on it (a PGconn
 * is not thread-safe). */
typedef struct
{
  PGconn *conn;
  GMutex  lock;
} Connection;

struct _StriaePgBackend
{
  GObject       parent_instance;

  char         *uri;
  char         *name;          /* the URI without its password, for messages */
  gboolean      read_only;
  int           schema_version;
  gboolean      in_transaction;
  gboolean      polled;        /* poll_changes was called once */
  gboolean      reconnected;   /* notifications may have been missed: tell of a change */
  gint64        last_reset;    /* when the main connection was last made again */
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
};

/* The result of one statement, NULL when it failed (with @error set). @sql takes $1, $2…;
 * @params are texts (NULL for SQL NULL). */
PGresult      *pg_run                  (StriaePgBackend   *self,
                                        PGconn            *conn,
                                        const char        *sql,
                                        int                n_params,
                                        const char * const *params,
                                        GError           **error);
/* pg_run_batch(): the parameters of row @row into @params (texts made for them into
 * @texts), and the result of each row. */
typedef void (*PgBatchParamsFunc) (guint         row,
                                   const char  **params,
                                   GPtrArray    *texts,
                                   gpointer      data);
typedef void (*PgBatchResultFunc) (guint           row,
                                   const PGresult *result,
                                   gpointer        data);
gboolean       pg_run_batch            (StriaePgBackend   *self,
                                        const char        *sql,
                                        int                n_params,
                                        guint              n_rows,
                                        PgBatchParamsFunc  params_func,
                                        PgBatchResultFunc  result_func,
                                        gpointer           data,
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
gboolean       pg_open_search          (StriaePgBackend   *self,
                                        GError           **error);
gboolean       pg_open_reader          (StriaePgBackend   *self,
                                        Connection        *reader,
                                        GError           **error);
void           pg_lock_main            (StriaePgBackend   *self);
const char    *pg_value                (const PGresult    *result,
                                        int                row,
                                        int                column);
gint64         pg_int                  (const PGresult    *result,
                                        int                row,
                                        int                column);
char          *pg_int_text             (gint64             value);
char          *pg_timestamp_text       (GDateTime         *time);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

/* striae-pg-schema.c */
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
void           pg_patients_iface_init  (StriaeStoreBackendInterface *iface);

/* striae-pg-search.c */
void           pg_search_iface_init    (StriaeStoreBackendInterface *iface);

/* striae-pg-consultations.c */
void           pg_consultations_iface_init (StriaeStoreBackendInterface *iface);

/* striae-pg-audit.c */
void           pg_audit_iface_init     (StriaeStoreBackendInterface *iface);

/* striae-pg-transfer.c */
void           pg_transfer_iface_init  (StriaeStoreBackendInterface *iface);

/* striae-pg-copy.c */
void           pg_copy_iface_init      (StriaeStoreBackendInterface *iface);

#define PATIENT_COLUMNS \
  "id, given_name, family_name, birth_date, sex, phone, email, language, notes, created, updated"

G_END_DECLS
