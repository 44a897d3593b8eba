/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The clinic's rule settings on the command line, for clinic IT (docs/RULES-FORMAT.md):
 *   --rules-export FILE   write the clinic's rules, every setting, as JSON
 *   --rules-import FILE   replace the clinic's rules with those of FILE: checked first, all
 *                         or nothing, each changed value audited
 * They use the database given with --database (or the default one). */

void     striae_cli_rules_add_options (GApplication *app);
gboolean striae_cli_rules_handle      (const char   *database,
                                       GVariantDict *options,
                                       int          *exit_status);

G_END_DECLS
