/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <gmodule.h>

#include "striae-server-engine.h"

/* The clinic server's engine, loaded from its module the first time a server address is
 * used (striae-server-engine.h). An installed Striae finds it in PKGLIBDIR; a program run
 * from the build tree (striae, the tests, the benchmarks) finds the one built beside it, so
 * that it never mixes with an installed copy of another version. */

#define MODULE_NAME "striae-postgresql." G_MODULE_SUFFIX

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
 * Returns: the file of the engine's module for this program: the build tree's when the
 *   program itself runs from the build tree, else the installed one
 */
char *
striae_server_engine_get_path (void)
{
  g_autofree char *program = g_file_read_link ("/proc/self/exe", NULL);

  if (program != NULL && g_str_has_prefix (program, STRIAE_BUILD_ROOT G_DIR_SEPARATOR_S))
    return g_build_filename (STRIAE_BUILD_MODULEDIR, MODULE_NAME, NULL);
  return g_build_filename (PKGLIBDIR, MODULE_NAME, NULL);
}

static gpointer
load_engine (gpointer data)
{
  Loaded *loaded = g_new0 (Loaded, 1);
  g_autofree char *path = striae_server_engine_get_path ();
  StriaeServerEngineGetFunc get = NULL;
  GModule *module;

  /* Every symbol bound now, so that a module that does not fit this program is refused
   * here, with a message, rather than ending the process at its first call. */
  module = g_module_open (path, G_MODULE_BIND_LOCAL);
  if (module == NULL)
    {
      loaded->problem = g_strdup (g_module_error ());
      return loaded;
    }
  if (!g_module_symbol (module, STRIAE_SERVER_ENGINE_SYMBOL, (gpointer *) &get) ||
      get == NULL || get ()->version != STRIAE_SERVER_ENGINE_VERSION)
    {
      loaded->problem = g_strdup_printf ("%s: not a module of this version of Striae", path);
      g_module_close (module);
      return loaded;
    }

  /* The engine registers its types with GObject: it stays for the life of the process. */
  g_module_make_resident (module);
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
