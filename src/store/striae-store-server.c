/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "striae-server-engine.h"
#include "striae-store-private.h"

/* Setting up a clinic server: the records' schema (the backend's own migrations, as any
 * opening runs them) and the staff's group roles, by clinic IT with the database owner's
 * login (striae --server-init); then a login for each member of staff
 * (striae --server-add-login). docs/clinic-server.md walks through it. */

static const char * const role_names[] = {
  [STRIAE_STAFF_ROLE_ASSISTANT] = "assistant",
  [STRIAE_STAFF_ROLE_PRACTITIONER] = "practitioner",
  [STRIAE_STAFF_ROLE_ADMIN] = "admin",
};

/**
 * striae_staff_role_from_string:
 * @text: "assistant", "practitioner" or "admin"
 *
 * Returns: whether @text names a role (then set in @role)
 */
gboolean
striae_staff_role_from_string (const char      *text,
                               StriaeStaffRole *role)
{
  g_return_val_if_fail (role != NULL, FALSE);

  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (role_names); i++)
    if (strcmp (text, role_names[i]) == 0)
      {
        *role = i;
        return TRUE;
      }

  return FALSE;
}

/**
 * striae_staff_role_to_string:
 *
 * Returns: "assistant", "practitioner" or "admin", as the records and the command line
 *   write it
 */
const char *
striae_staff_role_to_string (StriaeStaffRole role)
{
  g_return_val_if_fail ((guint) role < G_N_ELEMENTS (role_names), NULL);

  return role_names[role];
}

/**
 * striae_staff_role_get_label:
 *
 * Returns: the role as a sentence names it ("assistant"), translated
 */
const char *
striae_staff_role_get_label (StriaeStaffRole role)
{
  switch (role)
    {
    case STRIAE_STAFF_ROLE_ASSISTANT:
      return _("assistant");
    case STRIAE_STAFF_ROLE_PRACTITIONER:
      return _("practitioner");
    case STRIAE_STAFF_ROLE_ADMIN:
    default:
      return _("administrator");
    }
}

/**
 * striae_staff_role_get_group:
 *
 * Returns: the name of @role's group role on a clinic server (striae_practitioner …)
 */
const char *
striae_staff_role_get_group (StriaeStaffRole role)
{
  const StriaeServerEngine *engine = striae_server_engine_get (NULL);

  /* Only asked of a server's login, once its engine is loaded. */
  return engine != NULL ? engine->group_name (role) : NULL;
}

/* The engine for @uri, or %NULL with @error set when @uri is no server's address or the
 * engine cannot be loaded. */
static const StriaeServerEngine *
get_server_engine (const char  *uri,
                   GError     **error)
{
  if (striae_store_is_server_location (uri))
    return striae_server_engine_get (error);

  g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
                       _("Give the clinic server’s address as a URI that starts with "
                         "postgresql://, such as postgresql://striae_owner@server/striae."));
  return NULL;
}

/**
 * striae_store_server_needs_password:
 *
 * Returns: whether the clinic server asks the login of @uri for a password that nothing gives
 *   yet (not @uri, PGPASSWORD or ~/.pgpass), so that the command line can ask for it
 */
gboolean
striae_store_server_needs_password (const char *uri)
{
  g_return_val_if_fail (uri != NULL, FALSE);

  const StriaeServerEngine *engine = NULL;

  return striae_store_is_server_location (uri) &&
         (engine = striae_server_engine_get (NULL)) != NULL && engine->needs_password (uri);
}

/**
 * striae_store_server_describe:
 *
 * Returns: the server as a person reads it, "user@host:port/database", without any password
 *   that @uri holds
 */
char *
striae_store_server_describe (const char *uri)
{
  g_return_val_if_fail (uri != NULL, NULL);

  const StriaeServerEngine *engine = striae_server_engine_get (NULL);

  /* Without its engine, the server's address cannot be read apart safely: its password
   * stays out of any message. */
  return engine != NULL ? engine->describe (uri) : g_strdup (_("the clinic server"));
}

void
striae_server_setup_free (StriaeServerSetup *setup)
{
  if (setup == NULL)
    return;

  g_strfreev (setup->created_roles);
  g_free (setup);
}

/**
 * striae_store_server_init:
 * @uri: the clinic server's database, with its owner's login (a libpq URI)
 *
 * Sets up the records on a clinic server: checks that the login owns the database, brings
 * its schema to this version (each migration in one transaction; a schema from a newer
 * Striae is refused, as a file's is), then makes the group roles that are missing and gives
 * each its privileges (one transaction). Running it again changes nothing that is right
 * already.
 *
 * Returns: (transfer full): what was done, or %NULL with @error set
 */
StriaeServerSetup *
striae_store_server_init (const char  *uri,
                          GError     **error)
{
  g_autoptr(StriaeServerSetup) setup = g_new0 (StriaeServerSetup, 1);
  g_autoptr(StriaeStore) store = NULL;
  const StriaeServerEngine *engine;

  g_return_val_if_fail (uri != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Who connects is checked before anything is written: the tables belong to whoever
   * creates them, and only their owner can grant on them. */
  if ((engine = get_server_engine (uri, error)) == NULL ||
      !engine->check_owner (uri, &setup->schema_before, error))
    return NULL;

  if ((store = striae_store_open (uri, error)) == NULL)
    return NULL;
  setup->schema_after = striae_store_get_schema_version (store);
  g_clear_object (&store);

  if (!engine->setup (uri, &setup->created_roles, error))
    return NULL;

  return g_steal_pointer (&setup);
}

/**
 * striae_store_server_add_login:
 *
 * As striae_store_server_add_login_full(), without a display name (the login's name signs).
 */
gboolean
striae_store_server_add_login (const char       *uri,
                               const char       *name,
                               StriaeStaffRole   role,
                               const char       *password,
                               GError          **error)
{
  return striae_store_server_add_login_full (uri, name, NULL, role, password, error);
}

/**
 * striae_store_server_add_login_full:
 * @uri: the clinic server's database, with a login that may create roles
 * @name: the new login
 * @display_name: (nullable): the name it signs consultations with, kept on the server as the
 *   login's comment (one line of at most 100 characters; %NULL or "": the login's name)
 * @password: its password (only its SCRAM verifier reaches the server)
 *
 * Makes a staff login in @role's group on a clinic server set up with
 * striae_store_server_init().
 */
gboolean
striae_store_server_add_login_full (const char       *uri,
                                    const char       *name,
                                    const char       *display_name,
                                    StriaeStaffRole   role,
                                    const char       *password,
                                    GError          **error)
{
  const StriaeServerEngine *engine;

  g_return_val_if_fail (uri != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (password != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (display_name != NULL &&
      (!g_utf8_validate (display_name, -1, NULL) || g_utf8_strlen (display_name, -1) > 100 ||
       strpbrk (display_name, "\t\r\n") != NULL))
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
                   _("A display name is one line of at most %d characters, such as "
                     "“Dr Marie Dupont”."), 100);
      return FALSE;
    }

  engine = get_server_engine (uri, error);
  return engine != NULL &&
         engine->add_login (uri, name, display_name, role, password, error);
}
