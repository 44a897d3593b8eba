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
  g_clear_pointer (&conn->prepared, g_hash_table_unref);
  g_mutex_clear (&conn->lock);
}

static void
striae_pg_backend_finalize (GObject *object)
{
  StriaePgBackend *self = (StriaePgBackend *) object;

  connection_clear (&self->rows);
  pg_transaction_clear (self);
  g_clear_pointer (&self->subjects, g_hash_table_unref);
  pg_audit_forget_identity (self);
  connection_clear (&self->search);
  connection_clear (&self->main);
  g_clear_pointer (&self->uri, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->login, g_free);

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
  self->main.prepared = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
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
                 _("There is no clinic server called %s. Check the server’s name in "
                   "Preferences → Records."), self->name);
  else if (contains (message, "certificate") || contains (message, "SSL") ||
           contains (message, "ssl"))
    g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_CERTIFICATE,
                 _("The clinic server %s could not prove who it is: its certificate was "
                   "refused. Check the certificate file in Preferences → Records, or ask "
                   "the clinic’s IT."), self->name);
  else if (contains (message, "database") && contains (message, "does not exist"))
    g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND,
                 _("The clinic server %s has no such database. Check the database name, "
                   "or have the clinic’s IT set it up with striae --server-init."),
                 self->name);
  else if (contains (message, "role") && contains (message, "does not exist"))
    g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_ACCESS_DENIED,
                 _("The clinic server %s does not know this user. Check the user name in "
                   "Preferences → Records."), self->name);
  else
    g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_UNREACHABLE,
                 _("The clinic server %s cannot be reached. Check that it is running and "
                   "that this computer is on the clinic’s network, then try again."),
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
                     "that this computer is on the clinic’s network, then try again."),
                   self->name);
    }
  else if (g_str_equal (state, "53100"))
    g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FULL,
                 _("The clinic server %s has no space left for the records. Ask the "
                   "clinic’s IT to free some."), self->name);
  else if (g_str_equal (state, "25006"))
    g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_READ_ONLY,
                 _("The records on %s are open for reading only."), self->name);
  else if (g_str_equal (state, "42501"))
    g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_ACCESS_DENIED,
                 _("Your login on the clinic server %s may not do this. Ask the clinic’s IT "
                   "for the right role."), self->name);
  else
    g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FAILED,
                 _("The clinic server %s could not read or write the records: %s"),
                 self->name, message);
}

/* Statements */

/* Statements prepared at most per session: the backend's own are a few dozen. */
#define MAX_PREPARED 256

/* The names prepared on the main connection are of the server session they were made on:
 * a connection made again (PQreset(), a server restarted) is a new session, which has none
 * of them. */
static void
check_prepared_session (StriaePgBackend *self)
{
  int pid = PQbackendPID (self->main.conn);

  if (pid != self->main.prepared_pid)
    {
      g_hash_table_remove_all (self->main.prepared);
      self->main.prepared_pid = pid;
    }
}

/* A statement the server no longer has as it was prepared (26000), or whose result changed
 * shape with the schema another PC migrated (0A000): every name is made again, under new
 * names (the old ones may still be taken on the server). */
static void
check_prepared_error (StriaePgBackend *self,
                      const PGresult  *result)
{
  const char *state = result != NULL ? PQresultErrorField (result, PG_DIAG_SQLSTATE) : NULL;

  if (g_strcmp0 (state, "26000") == 0 || g_strcmp0 (state, "0A000") == 0)
    g_hash_table_remove_all (self->main.prepared);
}

static gboolean
starts_with_word (const char *sql,
                  const char *word)
{
  gsize len = strlen (word);

  return g_ascii_strncasecmp (sql, word, len) == 0 &&
         (sql[len] == ' ' || sql[len] == '(' || sql[len] == '\n');
}

/* Only queries and changes of rows are prepared: what else the backend sends (BEGIN, COMMIT,
 * LISTEN, VACUUM, the schema's steps, a role's statements that hold a password) runs once
 * or cannot be prepared, and is never kept. */
static gboolean
is_preparable (StriaePgBackend *self,
               const char      *sql)
{
  while (g_ascii_isspace (*sql))
    sql++;

  return g_hash_table_size (self->main.prepared) < MAX_PREPARED &&
         strchr (sql, ';') == NULL &&
         (starts_with_word (sql, "SELECT") || starts_with_word (sql, "INSERT") ||
          starts_with_word (sql, "UPDATE") || starts_with_word (sql, "DELETE") ||
          starts_with_word (sql, "WITH"));
}

/* @result when it is one of success; else NULL, with @error set and the failed result kept
 * in @statement (if any), for its SQLSTATE. */
static PGresult *
check_result (StriaePgBackend  *self,
              PGconn           *conn,
              PgStatement      *statement,
              PGresult         *result,
              GError          **error)
{
  ExecStatusType status = PQresultStatus (result);

  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
    return result;

  if (conn == self->main.conn)
    check_prepared_error (self, result);
  pg_set_error (self, conn, result, error);
  if (statement != NULL && statement->result == NULL)
    statement->result = result;
  else
    PQclear (result);
  return NULL;
}

/* The first failure of a write transaction is the transaction's: the server refuses what
 * follows it, and its commit is refused with it (pg_backend_commit()), even when the caller
 * of the statement that met it went on. */
static void
note_failure (StriaePgBackend *self,
              const GError    *error)
{
  if (self->in_transaction && self->failed == NULL && error != NULL)
    self->failed = g_error_copy (error);
}

static gboolean
has_queued (StriaePgBackend *self)
{
  return self->queued != NULL && self->queued->len > 0;
}

/* The statement alone, when the transaction keeps nothing to send before it: by its
 * prepared name, or as it is when it cannot be prepared; NULL when it must be prepared
 * first (pg_run_pipeline()), with @error untouched. */
static PGresult *
run_alone (StriaePgBackend  *self,
           PgStatement      *s,
           gboolean         *ran,
           GError          **error)
{
  PGconn *conn = self->main.conn;
  const char *name = g_hash_table_lookup (self->main.prepared, s->sql);
  PGresult *result;

  *ran = name != NULL || !is_preparable (self, s->sql);
  if (!*ran)
    return NULL;

  striae_store_debug_round_trip ();
  result = name != NULL
           ? PQexecPrepared (conn, name, s->n_params, s->params, s->lengths, s->formats,
                             s->binary_result)
           : PQexecParams (conn, s->sql, s->n_params, NULL, s->params, s->lengths, s->formats,
                           s->binary_result);
  return check_result (self, conn, s, result, error);
}

/* @statement on the main connection: what the transaction keeps (its begin, its queued
 * writes, the audit rows it appended) goes first, in the same round trip
 * (pg_run_pipeline()), so that the statement sees it; a statement run before is run by its
 * prepared name. On failure, the failed result (if any) stays in @statement. */
static PGresult *
run_main (StriaePgBackend  *self,
          PgStatement      *statement,
          GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  PGresult *result;
  gboolean ran = FALSE;

  check_prepared_session (self);
  if (self->failed == NULL && !self->begin_pending && self->n_pending == 0 &&
      !has_queued (self))
    {
      result = run_alone (self, statement, &ran, &local_error);
      if (ran)
        {
          note_failure (self, local_error);
          if (local_error != NULL)
            g_propagate_error (error, g_steal_pointer (&local_error));
          return result;
        }
    }

  if (!pg_run_pipeline (self, statement, 1, error))
    return NULL;
  return g_steal_pointer (&statement->result);
}

/* A reading connection's statement, or the main connection's (run_main()). */
PGresult *
pg_run (StriaePgBackend     *self,
        PGconn              *conn,
        const char          *sql,
        int                  n_params,
        const char * const  *params,
        GError             **error)
{
  PgStatement statement = { sql, n_params, params, NULL };
  PGresult *result;

  if (conn != self->main.conn)
    {
      striae_store_debug_round_trip ();
      return check_result (self, conn, NULL, PQexecParams (conn, sql, n_params, NULL, params,
                                                           NULL, NULL, 0), error);
    }

  result = run_main (self, &statement, error);
  g_clear_pointer (&statement.result, PQclear);
  return result;
}

/**
 * pg_run_state:
 * @state: (out) (optional): the SQLSTATE of the failure, NULL when it has none
 *
 * Runs @statement on the main connection as pg_run() does, its parameters binary where it
 * says so, and on failure tells why by the server's SQLSTATE too, for a message of the
 * caller's own.
 */
PGresult *
pg_run_state (StriaePgBackend  *self,
              PgStatement      *statement,
              char            **state,
              GError          **error)
{
  PGresult *result = run_main (self, statement, error);

  if (result == NULL && state != NULL && statement->result != NULL)
    *state = g_strdup (PQresultErrorField (statement->result, PG_DIAG_SQLSTATE));
  g_clear_pointer (&statement->result, PQclear);
  return result;
}

/* What was sent of a pipeline: a statement (its index), or the preparing of it under @name. */
typedef struct
{
  guint  statement;
  char  *name;
} Sent;

/* Sends @statements, each by its prepared name, or prepared first (in the same round trip)
 * when it can be, or as it is. */
static gboolean
send_statements (StriaePgBackend  *self,
                 PgStatement      *statements,
                 guint             n,
                 Sent             *sent,
                 guint            *n_sent)
{
  PGconn *conn = self->main.conn;

  for (guint i = 0; i < n; i++)
    {
      const PgStatement *s = &statements[i];
      const char *name = g_hash_table_lookup (self->main.prepared, s->sql);
      gboolean ok;

      if (name == NULL && is_preparable (self, s->sql))
        {
          char *new_name = g_strdup_printf ("striae_%u", self->next_statement++);

          if (!PQsendPrepare (conn, new_name, s->sql, s->n_params, NULL))
            {
              g_free (new_name);
              return FALSE;
            }
          sent[(*n_sent)++] = (Sent) { i, new_name };
          name = new_name;
        }

      ok = name != NULL
           ? PQsendQueryPrepared (conn, name, s->n_params, s->params, s->lengths, s->formats,
                                  s->binary_result)
           : PQsendQueryParams (conn, s->sql, s->n_params, NULL, s->params, s->lengths,
                                s->formats, s->binary_result);
      if (!ok)
        return FALSE;
      sent[(*n_sent)++] = (Sent) { i, NULL };
    }

  return TRUE;
}

/* Runs @statements on the main connection in one round trip (pipeline mode), in order, each
 * with a snapshot of its own: a statement sees what was committed while the one before it
 * waited (for a lock, say). Each result goes into its statement (the caller clears it); the
 * first failure sets @error, its result stays in its statement, and the statements after it
 * were not run. */
static gboolean
run_pipeline (StriaePgBackend  *self,
              PgStatement      *statements,
              guint             n,
              GError          **error)
{
  PGconn *conn = self->main.conn;
  g_autofree Sent *sent = g_new0 (Sent, 2 * n);
  guint n_sent = 0;
  gboolean ok = TRUE;
  gboolean synced = FALSE;
  PGresult *result;

  check_prepared_session (self);
  striae_store_debug_round_trip ();
  if (!PQenterPipelineMode (conn))
    {
      pg_set_error (self, conn, NULL, error);
      return FALSE;
    }

  if (!send_statements (self, statements, n, sent, &n_sent))
    {
      pg_set_error (self, conn, NULL, error);
      ok = FALSE;
    }
  if (!PQpipelineSync (conn))
    {
      if (ok)
        pg_set_error (self, conn, NULL, error);
      ok = FALSE;
      synced = TRUE;
    }

  /* Each statement's (and each preparing's) results end with NULL; then comes the sync. */
  for (guint k = 0; k < n_sent && !synced; k++)
    while ((result = PQgetResult (conn)) != NULL)
      {
        ExecStatusType status = PQresultStatus (result);
        gboolean good = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
        PgStatement *s = &statements[sent[k].statement];

        if (good && sent[k].name != NULL)
          g_hash_table_insert (self->main.prepared, g_strdup (s->sql),
                               g_steal_pointer (&sent[k].name));
        else if (good && s->result == NULL)
          {
            s->result = result;
            continue;
          }
        else if (!good && ok)
          {
            check_prepared_error (self, result);
            pg_set_error (self, conn, result, error);
            ok = FALSE;
            if (s->result == NULL && status != PGRES_PIPELINE_SYNC)
              {
                s->result = result;
                continue;
              }
          }
        PQclear (result);
        if (status == PGRES_PIPELINE_SYNC)
          {
            synced = TRUE;
            break;
          }
      }

  if (!synced)
    {
      result = PQgetResult (conn);
      if (PQresultStatus (result) != PGRES_PIPELINE_SYNC && ok)
        {
          pg_set_error (self, conn, result, error);
          ok = FALSE;
        }
      PQclear (result);
    }
  /* A connection the server dropped halfway leaves results that never come: it stays in
   * pipeline mode until it is made again. */
  if (!PQexitPipelineMode (conn))
    {
      g_debug ("The connection to %s is made again: %s", self->name, PQerrorMessage (conn));
      self->reset_needed = TRUE;
      if (ok)
        pg_set_error (self, conn, NULL, error);
      ok = FALSE;
    }
  for (guint k = 0; k < n_sent; k++)
    g_free (sent[k].name);
  return ok;
}

/* The statements a write transaction begins with, after BEGIN: the advisory lock makes the
 * writers of every PC follow one another from the start of the transaction, so that no two
 * read the audit log's tail at once. The tail is read by a statement of its own after the
 * lock's (in one statement, the tail would be of the moment before the lock was waited for),
 * and kept for the transaction's appends. */
#define N_BEGIN 3

/* Writes that return nothing, kept at most before they are sent in a round trip of their
 * own. */
#define MAX_QUEUED 64

/* A write kept by pg_queue(): its SQL and its parameters, copied. */
typedef struct
{
  char   *sql;
  int     n_params;
  char  **params;
} PgQueued;

static void
queued_free (gpointer data)
{
  PgQueued *queued = data;

  for (int i = 0; i < queued->n_params; i++)
    g_free (queued->params[i]);
  g_free (queued->params);
  g_free (queued->sql);
  g_free (queued);
}

static void
queue_add (StriaePgBackend  *self,
           PgQueued         *queued)
{
  if (self->queued == NULL)
    self->queued = g_ptr_array_new_with_free_func (queued_free);
  g_ptr_array_add (self->queued, queued);
}

/* The audit rows kept so far join the queue, so that they are sent before the write queued
 * after them, as they were appended. */
static void
queue_audit_rows (StriaePgBackend *self)
{
  GString *columns[PG_AUDIT_COLUMNS] = { NULL, };
  const char *params[PG_AUDIT_COLUMNS];
  PgStatement statement = { NULL, };
  PgQueued *queued;

  if (!pg_audit_take_pending (self, columns, params, &statement))
    return;

  queued = g_new0 (PgQueued, 1);
  queued->sql = g_strdup (statement.sql);
  queued->n_params = PG_AUDIT_COLUMNS;
  queued->params = g_new0 (char *, PG_AUDIT_COLUMNS);
  for (guint c = 0; c < PG_AUDIT_COLUMNS; c++)
    queued->params[c] = g_string_free (columns[c], FALSE);
  queue_add (self, queued);
}

/**
 * pg_queue:
 *
 * A write whose result says nothing the caller needs (no rows, no count): in a write
 * transaction, it is kept, with a copy of @params, and sent with the next statement or the
 * commit, in its round trip; its failure then fails that statement, with the message it
 * would have had here, and the transaction, whose commit is refused with it. Outside a
 * transaction it runs at once.
 */
gboolean
pg_queue (StriaePgBackend     *self,
          const char          *sql,
          int                  n_params,
          const char * const  *params,
          GError             **error)
{
  PgQueued *queued;

  if (!self->in_transaction)
    return pg_exec (self, sql, n_params, params, error);
  if (self->failed != NULL)
    {
      g_propagate_error (error, g_error_copy (self->failed));
      return FALSE;
    }

  queue_audit_rows (self);
  queued = g_new0 (PgQueued, 1);
  queued->sql = g_strdup (sql);
  queued->n_params = n_params;
  queued->params = g_new0 (char *, MAX (n_params, 1));
  for (int i = 0; i < n_params; i++)
    queued->params[i] = g_strdup (params[i]);
  queue_add (self, queued);

  return self->queued->len < MAX_QUEUED || pg_flush (self, error);
}

/**
 * pg_run_pipeline:
 *
 * Runs @statements on the main connection in one round trip, after what the transaction
 * still keeps: its begin, when nothing of it was sent yet, then its queued writes and the
 * audit rows it appended, in the order they came. Each statement has a snapshot of its own:
 * it sees what was committed while the one before it waited (for the write lock, say). Each
 * result goes into its statement (the caller clears it); the first failure sets @error, its
 * result (if any) stays in its statement, and the statements after it were not run. A
 * transaction that failed before sends nothing more: @error is its first failure.
 */
gboolean
pg_run_pipeline (StriaePgBackend  *self,
                 PgStatement      *statements,
                 guint             n,
                 GError          **error)
{
  static const char * const tail_params[] = { "0" };
  g_autoptr(GPtrArray) queued = g_steal_pointer (&self->queued);
  guint n_queued = queued != NULL ? queued->len : 0;
  g_autofree PgStatement *all = g_new0 (PgStatement, N_BEGIN + n_queued + 1 + n);
  GString *columns[PG_AUDIT_COLUMNS] = { NULL, };
  const char *audit_params[PG_AUDIT_COLUMNS];
  g_autoptr(GError) local_error = NULL;
  gboolean begin = self->begin_pending;
  guint count = 0;
  gboolean ok;

  if (self->failed != NULL)
    {
      g_propagate_error (error, g_error_copy (self->failed));
      return FALSE;
    }

  if (begin)
    {
      all[count++] = (PgStatement) { "BEGIN", 0, NULL, NULL };
      all[count++] = (PgStatement) { "SELECT pg_advisory_xact_lock (" PG_WRITE_LOCK ")", 0,
                                     NULL, NULL };
      all[count++] = (PgStatement) { PG_AUDIT_TAIL_SQL, 1, tail_params, NULL };
      self->begin_pending = FALSE;
    }
  for (guint i = 0; i < n_queued; i++)
    {
      const PgQueued *q = g_ptr_array_index (queued, i);

      all[count++] = (PgStatement) { q->sql, q->n_params, (const char * const *) q->params,
                                     NULL };
    }
  if (pg_audit_take_pending (self, columns, audit_params, &all[count]))
    count++;
  if (n > 0)
    memcpy (all + count, statements, n * sizeof *statements);

  ok = count + n == 0 || run_pipeline (self, all, count + n, &local_error);
  if (!ok)
    {
      note_failure (self, local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
    }

  if (begin && all[N_BEGIN - 1].result != NULL &&
      PQresultStatus (all[N_BEGIN - 1].result) == PGRES_TUPLES_OK)
    {
      pg_audit_tail_from_row (all[N_BEGIN - 1].result, &self->tail);
      self->tail_known = TRUE;
    }
  for (guint i = 0; i < count; i++)
    g_clear_pointer (&all[i].result, PQclear);
  for (guint i = 0; i < n; i++)
    statements[i].result = all[count + i].result;
  for (guint c = 0; c < PG_AUDIT_COLUMNS; c++)
    if (columns[c] != NULL)
      g_string_free (columns[c], TRUE);
  return ok;
}

/* Sends what the write transaction keeps, if anything. */
gboolean
pg_flush (StriaePgBackend  *self,
          GError          **error)
{
  if (self->failed == NULL && !self->begin_pending && self->n_pending == 0 &&
      !has_queued (self))
    return TRUE;
  return pg_run_pipeline (self, NULL, 0, error);
}

/* Forgets what the write transaction knew (see StriaePgBackend). */
void
pg_transaction_clear (StriaePgBackend *self)
{
  self->begin_pending = FALSE;
  self->tail_known = FALSE;
  striae_store_audit_tail_clear (&self->tail);
  pg_audit_drop_pending (self);
  g_clear_pointer (&self->queued, g_ptr_array_unref);
  g_clear_error (&self->failed);
  if (self->subjects != NULL)
    g_hash_table_remove_all (self->subjects);
  g_clear_pointer (&self->locked_revision, striae_store_revision_free);
}

/* Adds @text to @array, the text of a PostgreSQL array being built from "{" (closed with
 * "}" by the caller), quoted so that every character stands for itself; NULL is SQL NULL.
 * A whole column of rows then travels as one parameter of one statement (unnest ()), so that
 * the server plans and runs one statement for many rows. */
void
pg_array_append (GString    *array,
                 const char *text)
{
  if (array->len > 1)
    g_string_append_c (array, ',');
  if (text == NULL)
    {
      g_string_append (array, "NULL");
      return;
    }

  g_string_append_c (array, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (array, '\\');
      g_string_append_c (array, *p);
    }
  g_string_append_c (array, '"');
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
            const char       *password,
            GError          **error)
{
  /* The URI comes last, so that what it says wins over these defaults. A network that goes
   * away under an open connection is noticed within seconds, not the minutes of TCP's own
   * retries: keepalives on an idle connection, and a limit on unacknowledged data. */
  static const char * const keywords[] = {
    "connect_timeout", "keepalives", "keepalives_idle", "keepalives_interval",
    "keepalives_count", "tcp_user_timeout", "fallback_application_name", "client_encoding",
    "dbname", "password", NULL
  };
  /* A password given here wins over the URI's (a later keyword overrides). */
  const char * const values[] = {
    "10", "1", "10", "3", "3", "10000", "striae", "UTF8", self->uri, password, NULL
  };
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

  striae_store_debug_round_trip ();
  result = PQexec (conn, sql);
  if (PQresultStatus (result) != PGRES_COMMAND_OK)
    {
      pg_set_error (self, conn, result, error);
      return FALSE;
    }

  return TRUE;
}

/* A reading connection (`search` or `rows`), opened once, under its lock. */
static gboolean
pg_open_reader (StriaePgBackend  *self,
                Connection       *reader,
                GError          **error)
{
  if (reader->conn != NULL && PQstatus (reader->conn) == CONNECTION_OK)
    return TRUE;

  g_clear_pointer (&reader->conn, PQfinish);
  if ((reader->conn = connect_to (self, NULL, error)) == NULL)
    return FALSE;
  if (!set_up_session (self, reader->conn, error))
    {
      g_clear_pointer (&reader->conn, PQfinish);
      return FALSE;
    }

  return TRUE;
}

static void
cancel_cb (GCancellable *cancellable,
           PGcancel     *cancel)
{
  char message[256];

  PQcancel (cancel, message, sizeof message);
}

/* One statement on @conn, which @cancellable (if any) cancels on the server. */
static PGresult *
run_cancellable (StriaePgBackend     *self,
                 PGconn              *conn,
                 const char          *sql,
                 int                  n_params,
                 const char * const  *params,
                 GCancellable        *cancellable,
                 GError             **error)
{
  PGcancel *cancel;
  gulong handler;
  PGresult *result;

  if (cancellable == NULL)
    return pg_run (self, conn, sql, n_params, params, error);

  cancel = PQgetCancel (conn);
  handler = g_cancellable_connect (cancellable, G_CALLBACK (cancel_cb), cancel, NULL);
  result = pg_run (self, conn, sql, n_params, params, error);
  g_cancellable_disconnect (cancellable, handler);
  PQfreeCancel (cancel);
  return result;
}

/* Runs one read on @reader, under its lock, opening it first if need be. A connection the
 * server dropped (restarted, or a failover) still looks healthy until its next statement
 * fails (libpq may keep CONNECTION_OK after a failed write): a read that found the server
 * unreachable on a connection opened earlier is then run once more on a fresh connection, since reading twice changes
 * nothing, so that the first read after an outage is answered rather than refused. */
PGresult *
pg_run_reader (StriaePgBackend     *self,
               Connection          *reader,
               const char          *sql,
               int                  n_params,
               const char * const  *params,
               GCancellable        *cancellable,
               GError             **error)
{
  g_autoptr(GError) first_error = NULL;
  gboolean was_open = reader->conn != NULL && PQstatus (reader->conn) == CONNECTION_OK;
  PGresult *result;

  if (!pg_open_reader (self, reader, error))
    return NULL;

  result = run_cancellable (self, reader->conn, sql, n_params, params, cancellable,
                            &first_error);
  if (result != NULL || !was_open ||
      !g_error_matches (first_error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_UNREACHABLE) ||
      g_cancellable_is_cancelled (cancellable))
    {
      if (first_error != NULL)
        g_propagate_error (error, g_steal_pointer (&first_error));
      return result;
    }

  g_debug ("A reading connection was dropped by the server (%s); reading again on a new one",
           first_error->message);
  g_clear_pointer (&reader->conn, PQfinish);
  if (!pg_open_reader (self, reader, error))
    return NULL;
  return run_cancellable (self, reader->conn, sql, n_params, params, cancellable, error);
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
  ok = self->listening || pg_exec (self, "LISTEN " PG_CHANGES_CHANNEL, 0, NULL, error);
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

  if ((PQstatus (self->main.conn) != CONNECTION_BAD && !self->reset_needed) ||
      self->in_transaction)
    return;

  now = g_get_monotonic_time ();
  if (self->last_reset != 0 && now - self->last_reset < RESET_INTERVAL_US)
    return;
  self->last_reset = now;

  PQreset (self->main.conn);
  self->reset_needed = FALSE;
  /* The new session has none of the statements prepared on the old one. */
  check_prepared_session (self);
  g_hash_table_remove_all (self->main.prepared);
  if (PQstatus (self->main.conn) != CONNECTION_OK)
    return;

  PQsetNoticeProcessor (self->main.conn, ignore_notice, NULL);
  pg_audit_forget_identity (self);
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

/* Nothing is sent yet: the BEGIN, the write lock and the tail go with the transaction's first
 * statement, in its round trip (pg_run_pipeline()); a failure of theirs fails that
 * statement, and the caller rolls back. */
static gboolean
pg_backend_begin (StriaeStoreBackend  *backend,
                  GError             **error)
{
  StriaePgBackend *self = SELF (backend);

  g_assert (!self->in_transaction);
  pg_transaction_clear (self);
  self->begin_pending = TRUE;
  self->in_transaction = TRUE;
  return TRUE;
}

/* The audit rows still kept travel with the COMMIT, in one round trip. When they or the
 * commit failed, whatever is left of the transaction is rolled back. */
static gboolean
pg_backend_commit (StriaeStoreBackend  *backend,
                   GError             **error)
{
  StriaePgBackend *self = SELF (backend);
  /* A transaction that sent nothing has nothing to commit; one that failed is refused
   * (pg_run_pipeline()). */
  gboolean ok = (self->failed == NULL && self->begin_pending && self->n_pending == 0 &&
                 !has_queued (self)) ||
                pg_audit_flush (self, "COMMIT", error);

  if (!ok)
    {
      g_autoptr(PGresult) result = NULL;

      striae_store_debug_round_trip ();
      result = PQexec (self->main.conn, "ROLLBACK");

      pg_audit_forget_identity (self);
    }
  pg_transaction_clear (self);
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

  /* A transaction that sent nothing has nothing to roll back. */
  if (!self->begin_pending)
    {
      striae_store_debug_round_trip ();
      result = PQexec (self->main.conn, "ROLLBACK");
    }
  pg_transaction_clear (self);
  self->in_transaction = FALSE;
  /* What the transaction may have changed of them (a copy's key) is gone with it. */
  pg_audit_forget_identity (self);
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

/* The clinic-wide settings are the administrators' (the grants of striae_admin): a member of
 * that group, the database's owner or a superuser may change them. */
static gboolean
pg_backend_may_change_clinic (StriaeStoreBackend  *backend,
                              gboolean            *may,
                              GError             **error)
{
  StriaePgBackend *self = SELF (backend);
  g_autoptr(PGresult) result = NULL;

  result = pg_run (self, self->main.conn,
                   "SELECT r.rolsuper OR d.datdba = r.oid OR"
                   "       CASE WHEN EXISTS (SELECT FROM pg_roles"
                   "                           WHERE rolname = 'striae_admin')"
                   "            THEN pg_has_role ('striae_admin', 'MEMBER') ELSE false END"
                   "  FROM pg_roles r, pg_database d"
                   "  WHERE r.rolname = current_user AND d.datname = current_database ()",
                   0, NULL, error);
  if (result == NULL)
    return FALSE;
  *may = PQntuples (result) > 0 && g_str_equal (PQgetvalue (result, 0, 0), "t");
  return TRUE;
}

/* The login's group, for the records layer's rights: the same groups the server's grants
 * name (striae-pg-roles.c), the highest first, the database's owner and a superuser as the
 * administrators they are; NULL on a server set up without Striae's groups, where the
 * grants are all the server has. */
static gboolean
pg_backend_dup_login_group (StriaeStoreBackend  *backend,
                            char               **group,
                            GError             **error)
{
  StriaePgBackend *self = SELF (backend);
  g_autoptr(PGresult) result = NULL;

  result = pg_run (self, self->main.conn,
                   "SELECT CASE"
                   "  WHEN NOT EXISTS (SELECT FROM pg_roles WHERE rolname IN"
                   "         ('striae_admin', 'striae_practitioner', 'striae_assistant'))"
                   "    THEN NULL"
                   "  WHEN r.rolsuper OR d.datdba = r.oid THEN 'striae_admin'"
                   "  WHEN EXISTS (SELECT FROM pg_roles WHERE rolname = 'striae_admin')"
                   "       AND pg_has_role ('striae_admin', 'MEMBER') THEN 'striae_admin'"
                   "  WHEN EXISTS (SELECT FROM pg_roles WHERE rolname = 'striae_practitioner')"
                   "       AND pg_has_role ('striae_practitioner', 'MEMBER')"
                   "    THEN 'striae_practitioner'"
                   "  ELSE 'striae_assistant' END"
                   "  FROM pg_roles r, pg_database d"
                   "  WHERE r.rolname = current_user AND d.datname = current_database ()",
                   0, NULL, error);
  if (result == NULL)
    return FALSE;
  *group = PQntuples (result) > 0 && !PQgetisnull (result, 0, 0)
           ? g_strdup (PQgetvalue (result, 0, 0)) : NULL;
  return TRUE;
}

static char *
pg_backend_dup_login_name (StriaeStoreBackend *backend)
{
  StriaePgBackend *self = SELF (backend);

  return self->used_password ? g_strdup (self->login) : NULL;
}

static void
set_no_password_error (StriaePgBackend  *self,
                       GError          **error)
{
  g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_SUPPORTED,
               _("The clinic server %s lets the login %s in without a password, so Striae "
                 "cannot check one. Ask the clinic’s IT to require passwords "
                 "(scram-sha-256)."), self->name, self->login);
}

/* The password typed again (the lock, a sign-off) checked by the server itself: a new
 * connection as this login with it, closed at once. */
static gboolean
pg_backend_check_login_password (StriaeStoreBackend  *backend,
                                 const char          *password,
                                 GError             **error)
{
  StriaePgBackend *self = SELF (backend);
  g_autoptr(GError) local_error = NULL;
  PGconn *conn;
  gboolean used_password;

  if (!self->used_password)
    {
      set_no_password_error (self, error);
      return FALSE;
    }

  /* An empty password would let libpq look for one elsewhere (~/.pgpass). */
  if ((conn = connect_to (self, password[0] != '\0' ? password : " ", &local_error)) == NULL)
    {
      if (g_error_matches (local_error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_ACCESS_DENIED))
        g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_SIGN_IN,
                     _("The password is not the one of the login %s."), self->login);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  used_password = PQconnectionUsedPassword (conn);
  PQfinish (conn);
  if (!used_password)
    {
      set_no_password_error (self, error);
      return FALSE;
    }
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
  iface->may_change_clinic = pg_backend_may_change_clinic;
  iface->dup_login_group = pg_backend_dup_login_group;
  iface->check_login_password = pg_backend_check_login_password;
  iface->dup_login_name = pg_backend_dup_login_name;

  pg_patients_iface_init (iface);
  pg_search_iface_init (iface);
  pg_consultations_iface_init (iface);
  pg_treatments_iface_init (iface);
  pg_schedule_iface_init (iface);
  pg_photos_iface_init (iface);
  pg_consent_iface_init (iface);
  pg_audit_iface_init (iface);
  pg_transfer_iface_init (iface);
  pg_copy_iface_init (iface);
  pg_logins_iface_init (iface);
}

/* Opening */

/* The main connection's session set up and what the opening needs of it asked, in one round
 * trip (pipeline mode) rather than one each: the time zone (and read-only, if asked), the
 * schema's version (pg_schema_version_from()), the login the server authenticated
 * (session_user, which SET ROLE does not change: the account the server writes into this
 * connection's audit rows), and the LISTEN of the changes of other PCs (pg_backend_ready()).
 * The version's statement comes last, as it fails in a database without Striae's schema
 * (then the one before it says so). */
static gboolean
open_session (StriaePgBackend  *self,
              int              *version,
              GError          **error)
{
  enum { TABLES, LOGIN, LISTEN, VERSION, N_ASKED };
  PgStatement statements[2 + N_ASKED] = { { NULL, }, };
  PgStatement *asked;
  g_autoptr(GError) local_error = NULL;
  guint n = 0;
  gboolean version_failed;
  gboolean ok;

  if (self->read_only)
    statements[n++] = (PgStatement) { "SET default_transaction_read_only = on", 0, NULL };
  statements[n++] = (PgStatement) { "SET TIME ZONE 'UTC'", 0, NULL };
  asked = &statements[n];
  asked[TABLES] = (PgStatement) { PG_TABLES_SQL, 0, NULL };
  asked[LOGIN] = (PgStatement) { "SELECT session_user", 0, NULL };
  asked[LISTEN] = (PgStatement) { "LISTEN " PG_CHANGES_CHANNEL, 0, NULL };
  asked[VERSION] = (PgStatement) { PG_VERSION_SQL, 0, NULL };
  n += N_ASKED;

  ok = pg_run_pipeline (self, statements, n, &local_error);
  /* The statements before the version's ran (their results are in) when only it failed,
   * which is no failure where the database has no striae_schema. */
  version_failed = !ok && asked[LISTEN].result != NULL &&
                   PQresultStatus (asked[LISTEN].result) == PGRES_COMMAND_OK;
  if (!ok && (!version_failed || g_str_equal (PQgetvalue (asked[TABLES].result, 0, 1), "t")))
    g_propagate_error (error, g_steal_pointer (&local_error));
  else
    {
      /* The pipeline's statements run in one implicit transaction, which the failure undid
       * with the session's settings and the LISTEN: in a database without Striae's schema
       * (a new one), the settings are made again, and pg_backend_ready() listens. */
      self->login = g_strdup (pg_value (asked[LOGIN].result, 0, 0));
      self->listening = !version_failed;
      ok = (!version_failed || set_up_session (self, self->main.conn, error)) &&
           pg_schema_version_from (self, asked[TABLES].result,
                                   version_failed ? NULL : asked[VERSION].result, version,
                                   error);
    }

  for (guint i = 0; i < n; i++)
    g_clear_pointer (&statements[i].result, PQclear);
  return ok;
}

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

  if ((self->main.conn = connect_to (self, NULL, error)) == NULL ||
      !open_session (self, version, error))
    return NULL;
  self->used_password = PQconnectionUsedPassword (self->main.conn);

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
                   _("There are no Striae records on %s yet. The clinic’s IT sets them up "
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
