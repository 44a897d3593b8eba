/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <libpq-fe.h>

#include "bench-clinic-server.h"

#define OWNER "striae_bench_owner"
/* Only the server checks it, and only where pg_hba.conf asks for one: the private server
 * trusts its socket. */
#define LOGIN_PASSWORD "bench-login-password"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGconn, PQfinish)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

/* The private server's socket, as tests/with-postgresql exports it; its port names the
 * socket when the server also listens for TLS. */
static char *
uri_for (const char *database,
         const char *user)
{
  const char *dir = g_getenv ("STRIAE_TEST_POSTGRESQL");
  const char *port = g_getenv ("STRIAE_TEST_POSTGRESQL_TLS_PORT");
  g_autofree char *host = g_uri_escape_string (dir, NULL, FALSE);

  if (port != NULL && port[0] != '\0')
    return g_strdup_printf ("postgresql:///%s?host=%s&port=%s&user=%s", database, host, port,
                            user);
  return g_strdup_printf ("postgresql:///%s?host=%s&user=%s", database, host, user);
}

/**
 * bench_clinic_server_available:
 *
 * Returns: whether the benchmark runs under tests/with-postgresql
 */
gboolean
bench_clinic_server_available (void)
{
  const char *dir = g_getenv ("STRIAE_TEST_POSTGRESQL");

  return dir != NULL && dir[0] != '\0';
}

/* "does not exist, skipping" and the like: nothing the figures need. */
static void
ignore_notice (void       *data,
               const char *message)
{
}

static gboolean
exec_on (const char  *uri,
         const char  *sql,
         GError     **error)
{
  g_autoptr(PGconn) conn = PQconnectdb (uri);
  g_autoptr(PGresult) result = NULL;
  ExecStatusType status;

  if (PQstatus (conn) != CONNECTION_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", PQerrorMessage (conn));
      return FALSE;
    }
  PQsetNoticeProcessor (conn, ignore_notice, NULL);
  result = PQexec (conn, sql);
  status = PQresultStatus (result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", sql,
                   PQresultErrorMessage (result));
      return FALSE;
    }
  return TRUE;
}

/**
 * bench_clinic_server_new:
 * @database: the database to make (one of an earlier run is dropped first)
 * @login: the staff login to make
 * @role: its group
 *
 * Makes @database on the private server, owned by a login of its own that may create roles,
 * sets its records up as `striae --server-init` does and adds @login as
 * `striae --server-add-login` does. None of it is timed by the caller.
 *
 * Returns: (transfer full): the clinic, or %NULL with @error set (what was made is dropped)
 */
BenchClinicServer *
bench_clinic_server_new (const char       *database,
                         const char       *login,
                         StriaeStaffRole   role,
                         GError          **error)
{
  g_autoptr(BenchClinicServer) self = g_new0 (BenchClinicServer, 1);
  g_autoptr(StriaeServerSetup) setup = NULL;
  g_autofree char *drop = NULL;
  g_autofree char *roles = NULL;
  g_autofree char *create = NULL;

  g_return_val_if_fail (bench_clinic_server_available (), NULL);

  self->super_uri = uri_for ("postgres", "postgres");
  self->database = g_strdup (database);
  self->owner = g_strdup (OWNER);
  self->login = g_strdup (login);
  self->owner_uri = uri_for (database, OWNER);
  self->login_uri = uri_for (database, login);

  /* DROP and CREATE DATABASE each run alone, outside a transaction block. */
  drop = g_strdup_printf ("DROP DATABASE IF EXISTS %s WITH (FORCE)", database);
  roles = g_strdup_printf ("DROP ROLE IF EXISTS %s; DROP ROLE IF EXISTS " OWNER ";"
                           "CREATE ROLE " OWNER " LOGIN CREATEROLE", login);
  create = g_strdup_printf ("CREATE DATABASE %s OWNER " OWNER " ENCODING 'UTF8'"
                            " LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0",
                            database);
  if (!exec_on (self->super_uri, drop, error) || !exec_on (self->super_uri, roles, error) ||
      !exec_on (self->super_uri, create, error))
    return NULL;

  if ((setup = striae_store_server_init (self->owner_uri, error)) == NULL)
    return NULL;
  self->created_roles = g_steal_pointer (&setup->created_roles);
  if (!striae_store_server_add_login (self->owner_uri, login, role, LOGIN_PASSWORD, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * bench_clinic_server_exec:
 * @sql: statements, run as the database's owner
 *
 * Returns: whether they ran
 */
gboolean
bench_clinic_server_exec (BenchClinicServer  *self,
                          const char         *sql,
                          GError            **error)
{
  return exec_on (self->owner_uri, sql, error);
}

/* The database first (alone), then whoever owned or was granted anything in it. */
static void
drop_clinic (BenchClinicServer *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autofree char *drop = g_strdup_printf ("DROP DATABASE IF EXISTS %s WITH (FORCE)",
                                           self->database);

  g_string_append_printf (sql, "DROP ROLE IF EXISTS %s; DROP ROLE IF EXISTS " OWNER ";",
                          self->login);
  for (guint i = 0; self->created_roles != NULL && self->created_roles[i] != NULL; i++)
    g_string_append_printf (sql, "DROP ROLE IF EXISTS %s;", self->created_roles[i]);
  if (!exec_on (self->super_uri, drop, &error) || !exec_on (self->super_uri, sql->str, &error))
    g_printerr ("The benchmark's clinic was not dropped entirely: %s\n", error->message);
}

/**
 * bench_clinic_server_free:
 *
 * Drops the database, the logins and the group roles this clinic made, unless @self->keep
 * is set, then frees it.
 */
void
bench_clinic_server_free (BenchClinicServer *self)
{
  if (self == NULL)
    return;
  if (!self->keep)
    drop_clinic (self);

  g_free (self->super_uri);
  g_free (self->database);
  g_free (self->owner);
  g_free (self->login);
  g_free (self->owner_uri);
  g_free (self->login_uri);
  g_strfreev (self->created_roles);
  g_free (self);
}
