/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "striae-module.h"
#include "striae-server-engine.h"

/* The clinic server's engine, loaded from its module the first time a server address is
 * used (striae-server-engine.h), the way every module of Striae is (striae-module.c). */

#define MODULE_NAME "striae-postgresql"

typedef struct
{
  const StriaeServerEngine *engine;
  char                     *problem;
} Loaded;

/**
 * striae_server_engine_is_location:
 *
 * Returns: whether @location is a clinic server's address (a libpq URI, postgresql://… or
 *   postgres://…) rather than a file, asked without loading the engine
 */
gboolean
striae_server_engine_is_location (const char *location)
{
  return location != NULL &&
         (g_str_has_prefix (location, "postgresql://") ||
          g_str_has_prefix (location, "postgres://"));
}

/**
 * striae_server_engine_get_path:
 *
 * Returns: the file of the engine's module for this program (striae_module_get_path())
 */
char *
striae_server_engine_get_path (void)
{
  return striae_module_get_path (MODULE_NAME, STRIAE_BUILD_POSTGRESQL_MODULEDIR);
}

static gpointer
load_engine (gpointer data)
{
  Loaded *loaded = g_new0 (Loaded, 1);
  g_autoptr(GError) error = NULL;
  StriaeServerEngineGetFunc get;

  get = striae_module_load (MODULE_NAME, STRIAE_BUILD_POSTGRESQL_MODULEDIR,
                            STRIAE_MODULE_SCOPE_LOCAL, STRIAE_SERVER_ENGINE_SYMBOL, &error);
  if (get == NULL)
    loaded->problem = g_strdup (error->message);
  else if (get ()->version != STRIAE_SERVER_ENGINE_VERSION)
    loaded->problem = g_strdup_printf ("%s: not a module of this version of Striae",
                                       MODULE_NAME);
  else
    loaded->engine = get ();
  return loaded;
}

/**
 * striae_server_engine_get:
 *
 * Loads the clinic server's engine the first time it is asked for.
 *
 * Returns: (transfer none): its table, or %NULL with @error set when its module cannot be
 *   loaded
 */
const StriaeServerEngine *
striae_server_engine_get (GError **error)
{
  static GOnce once = G_ONCE_INIT;
  const Loaded *loaded = g_once (&once, load_engine, NULL);

  if (loaded->engine != NULL)
    return loaded->engine;

  g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_SUPPORTED,
               /* TRANSLATORS: %s is the system's reason, naming the file */
               _("Striae cannot use a clinic server: its PostgreSQL part cannot be loaded "
                 "(%s). Reinstall Striae."),
               loaded->problem);
  return NULL;
}
