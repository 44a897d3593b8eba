/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "striae-pg-private.h"

/* On a clinic server the accounts are its logins (issue 16): the login a connection
 * authenticated as is the account that every audit row of it names (the server writes it
 * itself: striae-pg-roles.c), the staff logins in Striae's groups are the clinic's account
 * list, with a display name kept as the login's comment on the server, and an administrator
 * gives a login a new password of which only a SCRAM-SHA-256 verifier, made here, reaches
 * the server. */

/* A staff login: may log in, is no superuser, and is a member of one of Striae's groups. */
#define STAFF_LOGIN \
  "r.rolcanlogin AND NOT r.rolsuper AND EXISTS (" \
  "  SELECT FROM pg_catalog.pg_roles g" \
  "   WHERE g.rolname IN ('striae_admin', 'striae_practitioner', 'striae_assistant')" \
  "     AND pg_catalog.pg_has_role (r.oid, g.oid, 'MEMBER'))"

/* The role a login has in Striae: its highest group; the database's owner and a superuser
 * are the administrators they are. */
#define ROLE_OF_LOGIN \
  "CASE WHEN r.rolsuper OR r.oid = d.datdba THEN 'admin'" \
  "     WHEN EXISTS (SELECT FROM pg_catalog.pg_roles g WHERE g.rolname = 'striae_admin'" \
  "                     AND pg_catalog.pg_has_role (r.oid, g.oid, 'MEMBER')) THEN 'admin'" \
  "     WHEN EXISTS (SELECT FROM pg_catalog.pg_roles g" \
  "                   WHERE g.rolname = 'striae_practitioner'" \
  "                     AND pg_catalog.pg_has_role (r.oid, g.oid, 'MEMBER'))" \
  "       THEN 'practitioner'" \
  "     ELSE 'assistant' END"

static char *
pg_logins_dup_session_login (StriaeStoreBackend *backend)
{
  StriaePgBackend *self = (StriaePgBackend *) backend;

  return g_strdup (self->login);
}

static GPtrArray *
pg_logins_list (StriaeStoreBackend  *backend,
                GError             **error)
{
  StriaePgBackend *self = (StriaePgBackend *) backend;
  g_autoptr(PGresult) result = NULL;
  GPtrArray *logins;

  result = pg_run (self, self->main.conn,
                   "SELECT r.rolname,"
                   "       coalesce (nullif (btrim (pg_catalog.shobj_description (r.oid,"
                   "                                  'pg_authid')), ''), r.rolname),"
                   "       " ROLE_OF_LOGIN
                   "  FROM pg_catalog.pg_roles r, pg_catalog.pg_database d"
                   "  WHERE d.datname = current_database ()"
                   "    AND " STAFF_LOGIN
                   "  ORDER BY r.rolname",
                   0, NULL, error);
  if (result == NULL)
    return NULL;

  logins = g_ptr_array_new_with_free_func ((GDestroyNotify) striae_store_account_row_free);
  for (int i = 0; i < PQntuples (result); i++)
    {
      StriaeStoreAccountRow *row = striae_store_account_row_new ();

      row->name = g_strdup (pg_value (result, i, 0));
      row->display_name = g_strdup (pg_value (result, i, 1));
      row->role = g_strdup (pg_value (result, i, 2));
      g_ptr_array_add (logins, row);
    }
  return logins;
}

/* Whether this login may change roles itself (the owner keeps CREATEROLE while IT adds
 * logins; a superuser may anyway); staff administrators go through the server's function
 * instead (striae-pg-roles.c), which holds that right for them and for nothing else. */
static gboolean
may_alter_roles (StriaePgBackend  *self,
                 gboolean         *may,
                 GError          **error)
{
  g_autoptr(PGresult) result = NULL;

  result = pg_run (self, self->main.conn,
                   "SELECT rolsuper OR rolcreaterole FROM pg_catalog.pg_roles"
                   "  WHERE rolname = session_user",
                   0, NULL, error);
  if (result == NULL)
    return FALSE;
  *may = PQntuples (result) > 0 && g_str_equal (pg_value (result, 0, 0), "t");
  return TRUE;
}

static gboolean
is_staff_login (StriaePgBackend  *self,
                const char       *name,
                gboolean         *staff,
                GError          **error)
{
  g_autoptr(PGresult) result = NULL;
  const char *params[] = { name };

  result = pg_run (self, self->main.conn,
                   "SELECT FROM pg_catalog.pg_roles r WHERE r.rolname = $1 AND " STAFF_LOGIN,
                   1, params, error);
  if (result == NULL)
    return FALSE;
  *staff = PQntuples (result) > 0;
  return TRUE;
}

/* Runs @sql on the main connection, saying in a sentence why the server refused it. */
static gboolean
run_password_change (StriaePgBackend     *self,
                     const char          *sql,
                     int                  n_params,
                     const char * const  *params,
                     const char          *name,
                     GError             **error)
{
  PgStatement statement = { sql, n_params, params, NULL };
  g_autoptr(PGresult) result = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *state = NULL;

  if ((result = pg_run_state (self, &statement, &state, &local_error)) != NULL)
    return TRUE;

  g_debug ("Changing the password of %s on %s failed: %s", name, self->name,
           local_error->message);
  if (g_strcmp0 (state, "42883") == 0)
    g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_SUPPORTED,
                 _("The clinic server %s does not let administrators change passwords yet: "
                   "the clinic’s IT runs striae --server-init on it again."), self->name);
  else if (g_strcmp0 (state, "42704") == 0)
    g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND,
                 _("There is no staff login named “%s” on the clinic server."), name);
  else if (g_strcmp0 (state, "42501") == 0)
    g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_ACCESS_DENIED,
                 _("The clinic server %s refused to change the password of %s: its owner "
                   "login may not change roles now (the clinic’s IT gives it CREATEROLE "
                   "again)."), self->name, name);
  else
    g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

static gboolean
pg_logins_set_password (StriaeStoreBackend  *backend,
                        const char          *name,
                        const char          *password,
                        GError             **error)
{
  StriaePgBackend *self = (StriaePgBackend *) backend;
  g_autofree char *sql = NULL;
  char *verifier = NULL;
  gboolean may = FALSE;
  gboolean staff = FALSE;
  gboolean ok;

  if (!is_staff_login (self, name, &staff, error) || !may_alter_roles (self, &may, error))
    return FALSE;
  if (!staff)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND,
                   _("There is no staff login named “%s” on the clinic server."), name);
      return FALSE;
    }

  /* The password never travels: the verifier is made here, with a salt of its own. */
  verifier = PQencryptPasswordConn (self->main.conn, password, name, "scram-sha-256");
  if (verifier == NULL)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FAILED,
                   _("The new password could not be prepared for the clinic server %s."),
                   self->name);
      return FALSE;
    }

  if (may)
    {
      char *identifier = PQescapeIdentifier (self->main.conn, name, strlen (name));
      char *literal = PQescapeLiteral (self->main.conn, verifier, strlen (verifier));

      if (identifier != NULL && literal != NULL)
        sql = g_strdup_printf ("ALTER ROLE %s PASSWORD %s", identifier, literal);
      PQfreemem (identifier);
      PQfreemem (literal);
      ok = sql != NULL && run_password_change (self, sql, 0, NULL, name, error);
      if (sql == NULL)
        g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FAILED,
                     _("The new password could not be prepared for the clinic server %s."),
                     self->name);
    }
  else
    {
      const char *params[] = { name, verifier };

      ok = run_password_change (self, "SELECT striae_set_login_password ($1, $2)", 2, params,
                                name, error);
    }

  memset (verifier, 0, strlen (verifier));
  PQfreemem (verifier);
  return ok;
}

void
pg_logins_iface_init (StriaeStoreBackendInterface *iface)
{
  iface->dup_session_login = pg_logins_dup_session_login;
  iface->list_logins = pg_logins_list;
  iface->set_login_password = pg_logins_set_password;
}
