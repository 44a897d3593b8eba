/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Striae's loadable parts (issue 15, start-up): code that needs a large library only for a
 * rare task (the clinic server's engine, the mend for the print system, a HEIF photo's size)
 * lives in a module loaded the first time that task comes, so that a start never maps the
 * library. Each module exports one entry point. */

/**
 * StriaeModuleScope:
 * @STRIAE_MODULE_SCOPE_LOCAL: the module's symbols serve only the calls made through its
 *   entry point
 * @STRIAE_MODULE_SCOPE_GLOBAL: the module's symbols join the process's global scope, ahead
 *   of every library loaded after it (and of its own dependencies), so that libraries loaded
 *   later bind to them
 */
typedef enum
{
  STRIAE_MODULE_SCOPE_LOCAL,
  STRIAE_MODULE_SCOPE_GLOBAL,
} StriaeModuleScope;

char     *striae_module_get_path (const char         *name,
                                  const char         *build_dir);
gpointer  striae_module_load     (const char         *name,
                                  const char         *build_dir,
                                  StriaeModuleScope   scope,
                                  const char         *symbol,
                                  GError            **error);

G_END_DECLS
