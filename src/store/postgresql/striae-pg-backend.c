/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "striae-pg-private.h"

/* The records on a clinic's PostgreSQL server (issue 14): the connection, its errors in
 * sentences, the transactions and the change notifications. Every value reaches the server
 * as a parameter of PQexecParams, never inside the SQL. Errors name the server by its user,
 * host, port and database, never with the password the URI may hold. */

static void striae_pg_backend_iface_init (StriaeStoreBackendInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (StriaePgBackend, striae_pg_backend, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (STRIAE_TYPE_STORE_BACKEND,
                                                      striae_pg_backend_iface_init))

static void
connection_clear (Connection *conn)
{
  g_clear_pointer (&conn->conn, PQfinish);
  g_mutex_clear (&conn->lock);
}

static void
striae_pg_backend_finalize (GObject *object)
{
  StriaePgBackend *self = (StriaePgBackend *) object;

  connection_clear (&self->rows);
  connection_clear (&self->search);
  connection_clear (&self->main);
  g_clear_pointer (&self->uri, g_free);
  g_clear_pointer (&self->name, g_free);

  G_OBJECT_CLASS (striae_pg_backend_parent_class)->finalize (object);
}

static void
striae_pg_backend_class_init (StriaePgBackendClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = striae_pg_backend_finalize;
}

static void
striae_pg_backend_init (StriaePgBackend *self)
{
  g_mutex_init (&self->main.lock);
  g_mutex_init (&self->search.lock);
  g_mutex_init (&self->rows.lock);
}

/* Names */

gboolean
striae_pg_backend_is_uri (const char *location)
{
  return location != NULL &&
         (g_str_has_prefix (location, "postgresql://") ||
          g_str_has_prefix (location, "postgres://"));
}

/* The server as a person reads it: "user@host:port/database", from the URI's parts, so that
 * no password it holds reaches a message or a log. */
char *
striae_pg_backend_describe (const char *uri)
{
  PQconninfoOption *options = PQconninfoParse (uri, NULL);
  const char *user = NULL, *host = NULL, *port = NULL, *dbname = NULL;
  GString *name;

  if (options == NULL)
    return g_strdup (_("the clinic server"));

  for (PQconninfoOption *o = options; o->keyword != NULL; o++)
    {
      if (o->val == NULL || o->val[0] == '\0')
        continue;
      if (strcmp (o->keyword, "user") == 0)
        user = o->val;
      else if (strcmp (o->keyword, "host") == 0)
        host = o->val;
      else if (strcmp (o->keyword, "port") == 0)
        port = o->val;
      else if (strcmp (o->keyword, "dbname") == 0)
        dbname = o->val;
    }

  name = g_string_new (NULL);
  if (user != NULL)
    g_string_append_printf (name, "%s@", user);
  g_string_append (name, host != NULL ? host : "localhost");
  if (port != NULL)
    g_string_append_printf (name, ":%s", port);
  if (dbname != NULL)
    g_string_append_printf (name, "/%s", dbname);

  PQconninfoFree (options);
  return g_string_free (name, FALSE);
}

/* Errors */

static gboolean
contains (const char *text,
          const char *part)
{
  return text != NULL && strstr (text, part) != NULL;
}

/* A connection that failed, in one sentence that says what to do. libpq says why only in
 * its message, so the kinds are told apart by it. */
static void
set_connect_error (StriaePgBackend  *self,
                   PGconn           *conn,
                   GError          **error)
{
  const char *message = conn != NULL ? PQerrorMessage (conn) : "";

  g_debug ("Connecting to %s failed: %s", self->name, message);

  if (contains (message, "password authentication failed") ||
      contains (message, "no password supplied") ||
      contains (message, "authentication failed"))
    g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_ACCESS_DENIED,
                 _("The clinic server %s refused the login. Check the user name and the "
                   "password in Preferences → Records."), self->name);
  else if (contains (message, "could not translate host name") ||
           contains (message, "Name or service not known"))
    g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_UNREACHABLE,
                 _("There is no clinic server called %s. Check the server's name in "
                   "Preferences → Records."), self->name);
  else if (contains (message, "certificate") || contains (message, "SSL") ||
           contains (message, "ssl"))
    g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_CERTIFICATE,
                 _("The clinic server %s could not prove who it is: its certificate was "
                   "refused. Check the certificate file in Preferences → Records, or ask "
                   "the clinic's IT."), self->name);
  else if (contains (message, "database") && contains (message, "does not exist"))
    g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND,
                 _("The clinic server %s has no such database. Check the database name, "
                   "or have the clinic's IT set it up with striae --server-init."),
                 self->name);
  else if (contains (message, "role") && contains (message, "does not exist"))
    g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_ACCESS_DENIED,
                 _("The clinic server %s does not know this user. Check the user name in "
                   "Preferences → Records."), self->name);
  else
    g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_UNREACHABLE,
                 _("The clinic server %s cannot be reached. Check that it is running and "
                   "that this computer is on the clinic's network, then try again."),
                 self->name);
}

/* What a failed statement means for the user. */
void
pg_set_error (StriaePgBackend  *self,
              PGconn           *conn,
              const PGresult   *result,
              GError          **error)
{
  const char *state = result != NULL ? PQresultErrorField (result, PG_DIAG_SQLSTATE) : NULL;
  const char *message = result != NULL
                        ? PQresultErrorField (result, PG_DIAG_MESSAGE_PRIMARY) : NULL;

  if (message == NULL)
    message = PQerrorMessage (conn);

  if (PQstatus (conn) != CONNECTION_OK || state == NULL || g_str_has_prefix (state, "08") ||
      g_str_has_prefix (state, "57P"))
    {
      g_debug ("The connection to %s failed: %s", self->name, message);
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_UNREACHABLE,
                   _("The clinic server %s cannot be reached. Check that it is running and "
                     "that this computer is on the clinic's network, then try again."),
                   self->name);
    }
  else if (g_str_equal (state, "53100"))
    g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FULL,
                 _("The clinic server %s has no space left for the records. Ask the "
                   "clinic's IT to free some."), self->name);
  else if (g_str_equal (state, "25006"))
    g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_READ_ONLY,
                 _("The records on %s are open for reading only."), self->name);
  else if (g_str_equal (state, "42501"))
    g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_ACCESS_DENIED,
                 _("Your login on the clinic server %s may not do this. Ask the clinic's IT "
                   "for the right role."), self->name);
  else
    g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FAILED,
                 _("The clinic server %s could not read or write the records: %s"),
                 self->name, message);
}

/* Statements */

PGresult *
pg_run (StriaePgBackend     *self,
        PGconn              *conn,
        const char          *sql,
        int                  n_params,
        const char * const  *params,
        GError             **error)
{
  PGresult *result = PQexecParams (conn, sql, n_params, NULL, params, NULL, NULL, 0);
  ExecStatusType status = PQresultStatus (result);

  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
    return result;

  pg_set_error (self, conn, result, error);
  PQclear (result);
  return NULL;
}

/* A batch runs this many statements per round trip: few enough that their results fit in
 * the socket's buffers while the next ones are still being sent (a blocking connection in
 * pipeline mode must not fill both directions at once). */
#define PG_BATCH_SIZE 500

/* Reads the results of one batch up to its sync: the Parse, then @n statements. The first
 * failure sets @error; the statements after it were not run (PGRES_PIPELINE_ABORTED). */
static gboolean
batch_read (StriaePgBackend     *self,
            PGconn              *conn,
            guint                first,
            guint                n,
            PgBatchResultFunc    result_func,
            gpointer             data,
            GError             **error)
{
  gboolean ok = TRUE;
  PGresult *result;

  for (int statement = -1; statement < (int) n; statement++)
    while ((result = PQgetResult (conn)) != NULL)
      {
        ExecStatusType status = PQresultStatus (result);

        if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
          {
            if (ok)
              pg_set_error (self, conn, result, error);
            ok = FALSE;
          }
        else if (statement >= 0 && result_func != NULL)
          result_func (first + statement, result, data);
        PQclear (result);
        if (status == PGRES_PIPELINE_SYNC)
          return ok;
      }

  result = PQgetResult (conn);
  if (PQresultStatus (result) != PGRES_PIPELINE_SYNC && ok)
    {
      pg_set_error (self, conn, result, error);
      ok = FALSE;
    }
  PQclear (result);
  return ok;
}

/* Runs @sql (parsed once) for each of @n_rows rows of parameters, which @params_func gives
 * (texts it makes go into @texts, freed once sent), and calls @result_func with each
 * result, in order. The statements travel in pipeline mode, PG_BATCH_SIZE per round trip,
 * on the main connection; on a failure, the caller's transaction is to be rolled back. */
gboolean
pg_run_batch (StriaePgBackend     *self,
              const char          *sql,
              int                  n_params,
              guint                n_rows,
              PgBatchParamsFunc    params_func,
              PgBatchResultFunc    result_func,
              gpointer             data,
              GError             **error)
{
  PGconn *conn = self->main.conn;
  g_autofree const char **params = g_new0 (const char *, MAX (n_params, 1));
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  gboolean ok = TRUE;

  for (guint first = 0; ok && first < n_rows; first += PG_BATCH_SIZE)
    {
      guint n = MIN (PG_BATCH_SIZE, n_rows - first);
      gboolean sent;

      if (!PQenterPipelineMode (conn))
        {
          pg_set_error (self, conn, NULL, error);
          return FALSE;
        }

      sent = PQsendPrepare (conn, "", sql, n_params, NULL);
      for (guint i = 0; sent && i < n; i++)
        {
          params_func (first + i, params, texts, data);
          sent = PQsendQueryPrepared (conn, "", n_params, params, NULL, NULL, 0);
          g_ptr_array_set_size (texts, 0);
        }
      if (!sent)
        pg_set_error (self, conn, NULL, error);

      /* Whatever was sent is read back to the sync, so that the connection is usable. */
      if (PQpipelineSync (conn))
        ok = batch_read (self, conn, first, n, result_func, data, sent ? error : NULL) && sent;
      else
        ok = FALSE;
      PQexitPipelineMode (conn);
    }

  return ok;
}

gboolean
pg_exec (StriaePgBackend     *self,
         const char          *sql,
         int                  n_params,
         const char * const  *params,
         GError             **error)
{
  g_autoptr(PGresult) result = pg_run (self, self->main.conn, sql, n_params, params, error);

  return result != NULL;
}

/* As pg_exec(), with the number of rows the statement changed. */
gboolean
pg_exec_count (StriaePgBackend     *self,
               const char          *sql,
               int                  n_params,
               const char * const  *params,
               gint64              *n_rows,
               GError             **error)
{
  g_autoptr(PGresult) result = pg_run (self, self->main.conn, sql, n_params, params, error);

  if (result == NULL)
    return FALSE;
  *n_rows = g_ascii_strtoll (PQcmdTuples (result), NULL, 10);
  return TRUE;
}

/* A text value, NULL for SQL NULL. */
const char *
pg_value (const PGresult *result,
          int             row,
          int             column)
{
  if (PQgetisnull (result, row, column))
    return NULL;
  return PQgetvalue (result, row, column);
}

gint64
pg_int (const PGresult *result,
        int             row,
        int             column)
{
  return g_ascii_strtoll (PQgetvalue (result, row, column), NULL, 10);
}

char *
pg_int_text (gint64 value)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, value);
}

char *
pg_timestamp_text (GDateTime *time)
{
  return time != NULL ? striae_store_format_timestamp (time) : NULL;
}

static void
ignore_notice (void       *data,
               const char *message)
{
}

static PGconn *
connect_to (StriaePgBackend  *self,
            GError          **error)
{
  /* The URI comes last, so that what it says wins over these defaults. */
  static const char * const keywords[] = {
    "connect_timeout", "fallback_application_name", "client_encoding", "dbname", NULL
  };
  const char * const values[] = { "10", "striae", "UTF8", self->uri, NULL };
  PGconn *conn = PQconnectdbParams (keywords, values, TRUE);

  if (conn == NULL || PQstatus (conn) != CONNECTION_OK)
    {
      set_connect_error (self, conn, error);
      g_clear_pointer (&conn, PQfinish);
      return NULL;
    }

  PQsetNoticeProcessor (conn, ignore_notice, NULL);
  return conn;
}

static gboolean
set_up_session (StriaePgBackend  *self,
                PGconn           *conn,
                GError          **error)
{
  g_autoptr(PGresult) result = NULL;
  const char *sql = self->read_only
                    ? "SET default_transaction_read_only = on; SET TIME ZONE 'UTC'"
                    : "SET TIME ZONE 'UTC'";

  result = PQexec (conn, sql);
  if (PQresultStatus (result) != PGRES_COMMAND_OK)
    {
      pg_set_error (self, conn, result, error);
      return FALSE;
    }

  return TRUE;
}

/* A reading connection (`search` or `rows`), opened once, under its lock. */
gboolean
pg_open_reader (StriaePgBackend  *self,
                Connection       *reader,
                GError          **error)
{
  if (reader->conn != NULL && PQstatus (reader->conn) == CONNECTION_OK)
    return TRUE;

  g_clear_pointer (&reader->conn, PQfinish);
  if ((reader->conn = connect_to (self, error)) == NULL)
    return FALSE;
  if (!set_up_session (self, reader->conn, error))
    {
      g_clear_pointer (&reader->conn, PQfinish);
      return FALSE;
    }

  return TRUE;
}

/* The search connection, opened once, under its lock. */
gboolean
pg_open_search (StriaePgBackend  *self,
                GError          **error)
{
  return pg_open_reader (self, &self->search, error);
}

/* StriaeStoreBackend */

#define SELF(backend) STRIAE_PG_BACKEND (backend)

static char *
pg_backend_dup_engine (StriaeStoreBackend *backend)
{
  int version = PQserverVersion (SELF (backend)->main.conn);

  return g_strdup_printf ("PostgreSQL %d.%d", version / 10000, version % 10000);
}

static int
pg_backend_get_schema_version (StriaeStoreBackend *backend)
{
  return SELF (backend)->schema_version;
}

static int
pg_backend_get_latest_schema_version (StriaeStoreBackend *backend)
{
  return striae_pg_backend_get_latest_schema_version ();
}

static gboolean
pg_backend_migrate (StriaeStoreBackend              *backend,
                    const StriaeStoreMigrationHooks *hooks,
                    gpointer                         data,
                    GError                         **error)
{
  return pg_migrate (SELF (backend), hooks, data, error);
}

/* Notifications of other PCs' writes arrive on the main connection, which listens from now
 * on. */
static gboolean
pg_backend_ready (StriaeStoreBackend  *backend,
                  GError             **error)
{
  StriaePgBackend *self = SELF (backend);
  gboolean ok;

  striae_store_mutex_lock (&self->main.lock);
  ok = pg_exec (self, "LISTEN " PG_CHANGES_CHANNEL, 0, NULL, error);
  g_mutex_unlock (&self->main.lock);
  return ok;
}

/* A server that restarted (or a network that came back) leaves the main connection broken:
 * between transactions it is made again, at most every few seconds so that a server still
 * gone does not hold up each call; what failed meanwhile said the server cannot be reached.
 * Notifications sent while it was broken are lost, so the next poll tells of a change. */
#define RESET_INTERVAL_US (5 * G_USEC_PER_SEC)

static void
reconnect_if_broken (StriaePgBackend *self)
{
  gint64 now;
  g_autoptr(GError) error = NULL;

  if (PQstatus (self->main.conn) != CONNECTION_BAD || self->in_transaction)
    return;

  now = g_get_monotonic_time ();
  if (self->last_reset != 0 && now - self->last_reset < RESET_INTERVAL_US)
    return;
  self->last_reset = now;

  PQreset (self->main.conn);
  if (PQstatus (self->main.conn) != CONNECTION_OK)
    return;

  PQsetNoticeProcessor (self->main.conn, ignore_notice, NULL);
  if (!set_up_session (self, self->main.conn, &error) ||
      !pg_exec (self, "LISTEN " PG_CHANGES_CHANNEL, 0, NULL, &error))
    {
      g_debug ("The connection to %s was made again, but not set up: %s", self->name,
               error->message);
      return;
    }
  self->reconnected = TRUE;
  g_debug ("The connection to %s was made again", self->name);
}

/* Takes the main connection's lock, the connection made again first if it broke. */
void
pg_lock_main (StriaePgBackend *self)
{
  striae_store_mutex_lock (&self->main.lock);
  reconnect_if_broken (self);
}

static void
pg_backend_lock (StriaeStoreBackend *backend)
{
  pg_lock_main (SELF (backend));
}

static void
pg_backend_unlock (StriaeStoreBackend *backend)
{
  g_mutex_unlock (&SELF (backend)->main.lock);
}

/* The advisory lock makes the writers of every PC follow one another from the start of the
 * transaction: no two read the audit log's tail at once. */
static gboolean
pg_backend_begin (StriaeStoreBackend  *backend,
                  GError             **error)
{
  StriaePgBackend *self = SELF (backend);

  if (!pg_exec (self, "BEGIN", 0, NULL, error))
    return FALSE;
  self->in_transaction = TRUE;
  if (!pg_exec (self, "SELECT pg_advisory_xact_lock (" PG_WRITE_LOCK ")", 0, NULL, error))
    {
      g_autoptr(PGresult) result = PQexec (self->main.conn, "ROLLBACK");

      self->in_transaction = FALSE;
      return FALSE;
    }

  return TRUE;
}

static gboolean
pg_backend_commit (StriaeStoreBackend  *backend,
                   GError             **error)
{
  StriaePgBackend *self = SELF (backend);
  gboolean ok = pg_exec (self, "COMMIT", 0, NULL, error);

  self->in_transaction = FALSE;
  if (ok && self->committed != NULL)
    self->committed (self->hook_data);
  else if (!ok && self->rolled_back != NULL)
    self->rolled_back (self->hook_data);
  return ok;
}

static void
pg_backend_rollback (StriaeStoreBackend *backend)
{
  StriaePgBackend *self = SELF (backend);
  g_autoptr(PGresult) result = NULL;

  if (!self->in_transaction)
    return;

  result = PQexec (self->main.conn, "ROLLBACK");
  self->in_transaction = FALSE;
  if (self->rolled_back != NULL)
    self->rolled_back (self->hook_data);
}

/* Other connections' writes, from the notifications the schema's triggers send; this
 * connection's own (its backend pid) do not count. A writer's commit signals the listeners
 * before it returns, and a server sends what it was signalled before it answers the next
 * statement: one empty round trip brings every notification of the writes committed so far,
 * so that a change is never reported late by a race. */
static gboolean
pg_backend_poll_changes (StriaeStoreBackend  *backend,
                         gboolean            *changed,
                         GError             **error)
{
  StriaePgBackend *self = SELF (backend);
  PGconn *conn = self->main.conn;
  int own_pid = PQbackendPID (conn);
  PGnotify *notify;
  gboolean seen = FALSE;

  if (!self->in_transaction && !pg_exec (self, "SELECT 1", 0, NULL, error))
    return FALSE;
  if (!PQconsumeInput (conn))
    {
      pg_set_error (self, conn, NULL, error);
      return FALSE;
    }

  while ((notify = PQnotifies (conn)) != NULL)
    {
      if (notify->be_pid != own_pid)
        seen = TRUE;
      PQfreemem (notify);
    }

  *changed = self->polled && (seen || self->reconnected);
  self->polled = TRUE;
  self->reconnected = FALSE;
  return TRUE;
}

static void
striae_pg_backend_iface_init (StriaeStoreBackendInterface *iface)
{
  iface->dup_engine = pg_backend_dup_engine;
  iface->get_schema_version = pg_backend_get_schema_version;
  iface->get_latest_schema_version = pg_backend_get_latest_schema_version;
  iface->migrate = pg_backend_migrate;
  iface->ready = pg_backend_ready;
  iface->lock = pg_backend_lock;
  iface->unlock = pg_backend_unlock;
  iface->begin = pg_backend_begin;
  iface->commit = pg_backend_commit;
  iface->rollback = pg_backend_rollback;
  iface->poll_changes = pg_backend_poll_changes;

  pg_patients_iface_init (iface);
  pg_search_iface_init (iface);
  pg_consultations_iface_init (iface);
  pg_audit_iface_init (iface);
  pg_transfer_iface_init (iface);
  pg_copy_iface_init (iface);
}

/* Opening */

/**
 * striae_pg_backend_open:
 * @uri: a libpq URI (postgresql://…)
 * @version: (out): the schema version found, 0 for an empty database
 *
 * Connects to the records on a clinic server, after every check that can refuse them (the
 * login, the certificate, a database that is not Striae's, a newer schema), before anything
 * is written. Then the caller migrates them and calls ready.
 */
StriaePgBackend *
striae_pg_backend_open (const char     *uri,
                        gboolean        read_only,
                        StriaePgHook    committed,
                        StriaePgHook    rolled_back,
                        gpointer        hook_data,
                        int            *version,
                        GError        **error)
{
  g_autoptr(StriaePgBackend) self = NULL;

  g_return_val_if_fail (uri != NULL && version != NULL, NULL);

  *version = 0;
  self = g_object_new (STRIAE_TYPE_PG_BACKEND, NULL);
  self->uri = g_strdup (uri);
  self->name = striae_pg_backend_describe (uri);
  self->read_only = read_only;
  self->committed = committed;
  self->rolled_back = rolled_back;
  self->hook_data = hook_data;

  if ((self->main.conn = connect_to (self, error)) == NULL ||
      !set_up_session (self, self->main.conn, error) ||
      !pg_read_schema_version (self, version, error))
    return NULL;

  if (*version > striae_pg_backend_get_latest_schema_version ())
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_TOO_NEW,
                   _("The records on %s were written by a newer version of Striae. Update "
                     "Striae on this computer to open them."), self->name);
      return NULL;
    }

  if (read_only && *version == 0)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND,
                   _("There are no Striae records on %s yet. The clinic's IT sets them up "
                     "with striae --server-init."), self->name);
      return NULL;
    }

  if (read_only && *version < striae_pg_backend_get_latest_schema_version ())
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_READ_ONLY,
                   _("The records on %s need to be upgraded to this version of Striae, "
                     "which cannot be done while they are opened read-only."), self->name);
      return NULL;
    }

  self->schema_version = *version;
  return g_steal_pointer (&self);
}
