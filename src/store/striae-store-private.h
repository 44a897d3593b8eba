/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Shared by the files that implement StriaeStore (striae-store*.c); nothing here leaves
 * src/store. */

#include <sqlite3.h>

#include "striae-store.h"

G_BEGIN_DECLS

#define BUSY_TIMEOUT_MS 5000

/* The columns store_patient_from_row() reads. */
#define PATIENT_COLUMNS \
  "id, given_name, family_name, birth_date, sex, phone, email, language, notes, created, updated"

/* One SQLite connection, its lock and its prepared statements. SQLite's own mutex (the
 * connection is opened with SQLITE_OPEN_FULLMUTEX) protects single calls; ours keeps a
 * statement or a transaction whole when several threads share the connection. */
typedef struct
{
  sqlite3    *db;
  GMutex      lock;
  GHashTable *statements;
} Connection;

struct _StriaeStore
{
  GObject     parent_instance;

  char       *path;
  int         schema_version;
  gboolean    read_only;

  /* Who the audit log names when a call does not say (striae_store_set_user()). */
  char       *user;

  /* What opening changed that the user should hear of (striae_store_get_notice()). */
  char       *notice;

  /* Writes and single-record reads go through `main`; searches through `search`, so that a
   * long search in a worker thread never holds up the window (WAL lets them run side by
   * side). */
  Connection  main;
  Connection  search;
};


void           store_set_sqlite_error  (GError        **error,
                                        StriaeStore    *self,
                                        sqlite3        *db,
                                        int             rc);
sqlite3_stmt  *store_prepare           (StriaeStore    *self,
                                        Connection     *conn,
                                        const char     *sql,
                                        GError        **error);
void           store_statement_done    (sqlite3_stmt   *stmt);
gboolean       store_exec              (StriaeStore    *self,
                                        Connection     *conn,
                                        const char     *sql,
                                        GError        **error);
gboolean       store_query_int         (StriaeStore    *self,
                                        Connection     *conn,
                                        const char     *sql,
                                        gint64         *value,
                                        GError        **error);
void           store_rollback          (Connection     *conn);
gboolean       store_check_header      (const char     *path,
                                        goffset         size,
                                        GError        **error);
int            store_open_read_only    (const char     *path,
                                        sqlite3       **db);
gboolean       store_quick_check       (const char     *path,
                                        GError        **error);
gboolean       store_inspect_existing  (const char     *path,
                                        int            *version,
                                        GError        **error);
char          *store_format_timestamp  (GDateTime      *time);
GDateTime     *store_parse_timestamp   (const char     *text);
char          *store_now               (void);
void           store_emit_patients_changed (StriaeStore *self,
                                            gint64       id);
gboolean       store_validate_patient  (StriaePatient  *patient,
                                        const GDate    *today,
                                        GError        **error);
void           store_bind_patient      (sqlite3_stmt   *stmt,
                                        StriaePatient  *patient);
StriaePatient *store_patient_from_row  (sqlite3_stmt   *stmt);
gboolean       store_insert_patient    (StriaeStore    *self,
                                        StriaePatient  *patient,
                                        const char     *now,
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

/* striae-store-audit.c. Appends one row to the audit log inside the caller's write
 * transaction on `main` (whose lock the caller holds). @patient_id 0 and @consultation_id 0
 * mean none; @actor NULL means the store's user. */
gboolean       store_audit_append      (StriaeStore       *self,
                                        StriaeAuditAction  action,
                                        const char        *actor,
                                        gint64             patient_id,
                                        gint64             consultation_id,
                                        const char        *detail,
                                        GError           **error);

G_END_DECLS
