/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Setting up a clinic server from the command line, for clinic IT (docs/clinic-server.md):
 *   --server-init URI                             the schema and the staff's group roles
 *   --server-add-login NAME --role ROLE URI       a staff login in one group
 *   --copy-to URI [--database PATH]               this computer's file onto a new server
 * None needs a display; only --copy-to reads the records of this computer (it never
 * writes them). */

void     striae_cli_server_add_options (GApplication *app);
gboolean striae_cli_server_handle      (const char   *database,
                                        GVariantDict *options,
                                        int          *exit_status);

G_END_DECLS
