/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gmodule.h>

#include "striae-pg-backend.h"
#include "striae-pg-roles.h"
#include "striae-server-engine.h"

/* The entry point of the PostgreSQL module (striae-server-engine.h): what the records layer
 * calls, once it has loaded the module for a server address. */

static StriaeStoreBackend *
open_backend (const char        *uri,
              gboolean           read_only,
              StriaeServerHook   committed,
              StriaeServerHook   rolled_back,
              gpointer           hook_data,
              int               *version,
              GError           **error)
{
  return (StriaeStoreBackend *) striae_pg_backend_open (uri, read_only, committed, rolled_back,
                                                        hook_data, version, error);
}

static int
search_bare (gpointer     connection,
             const char  *text,
             guint        limit,
             GError     **error)
{
  return striae_pg_backend_search_bare (connection, text, limit, error);
}

static const StriaeServerEngine engine = {
  .version = STRIAE_SERVER_ENGINE_VERSION,
  .open = open_backend,
  .describe = striae_pg_backend_describe,
  .get_latest_schema_version = striae_pg_backend_get_latest_schema_version,
  .group_name = striae_pg_roles_group_name,
  .needs_password = striae_pg_roles_needs_password,
  .check_owner = striae_pg_roles_check_owner,
  .setup = striae_pg_roles_setup,
  .add_login = striae_pg_roles_add_login,
  .search_bare = search_bare,
};

G_MODULE_EXPORT const StriaeServerEngine *striae_server_engine_module_get (void);

const StriaeServerEngine *
striae_server_engine_module_get (void)
{
  return &engine;
}
