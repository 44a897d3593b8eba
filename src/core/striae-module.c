/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
#include <gmodule.h>

#include "striae-module.h"

/* Where Striae's modules are found and how they are opened (striae-module.h). An installed
 * Striae finds them in PKGLIBDIR; a program run from the build tree (striae, the tests, the
 * benchmarks) finds the one built there, so that it never mixes with an installed copy of
 * another version. */

/**
 * striae_module_get_path:
 * @name: the module's name, without its suffix ("striae-postgresql")
 * @build_dir: the folder the build tree makes it in (a STRIAE_BUILD_*_MODULEDIR of config.h)
 *
 * Returns: the module's file for this program: the build tree's when the program itself runs
 *   from the build tree, else the installed one
 */
char *
striae_module_get_path (const char *name,
                        const char *build_dir)
{
  g_autofree char *program = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *file = g_strconcat (name, ".", G_MODULE_SUFFIX, NULL);

  g_return_val_if_fail (name != NULL && build_dir != NULL, NULL);

  if (program != NULL && g_str_has_prefix (program, STRIAE_BUILD_ROOT G_DIR_SEPARATOR_S))
    return g_build_filename (build_dir, file, NULL);
  return g_build_filename (PKGLIBDIR, file, NULL);
}

/**
 * striae_module_load:
 * @name: the module's name, as for striae_module_get_path()
 * @build_dir: its folder in the build tree
 * @scope: whether later libraries bind to the module's symbols
 * @symbol: its entry point
 * @error: the system's reason, naming the file, when it cannot be loaded
 *
 * Loads the module, with every symbol bound now, so that one that does not fit this program
 * is refused here rather than ending the process at its first call, and keeps it for the life
 * of the process (a module may register types with GObject). Call it once per module (under
 * a #GOnce): loading it again returns the same entry point.
 *
 * Returns: (nullable): the entry point's address
 */
gpointer
striae_module_load (const char         *name,
                    const char         *build_dir,
                    StriaeModuleScope   scope,
                    const char         *symbol,
                    GError            **error)
{
  g_autofree char *path = striae_module_get_path (name, build_dir);
  gpointer address = NULL;
  GModule *module;

  g_return_val_if_fail (symbol != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Without G_MODULE_BIND_LOCAL, dlopen() puts the module in the global scope. */
  module = g_module_open (path, scope == STRIAE_MODULE_SCOPE_LOCAL ? G_MODULE_BIND_LOCAL : 0);
  if (module == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, g_module_error ());
      return NULL;
    }
  if (!g_module_symbol (module, symbol, &address) || address == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "%s: not a module of this version of Striae", path);
      g_module_close (module);
      return NULL;
    }
  g_module_make_resident (module);
  return address;
}
