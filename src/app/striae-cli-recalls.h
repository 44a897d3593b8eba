/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "striae-store.h"

G_BEGIN_DECLS

/* striae --recalls [--within 6w|30d] [--today DATE] [--output FILE.csv]: who to call back
 * (striae_store_list_recalls()), as CSV for a mail merge (striae_recalls_to_csv()), on
 * standard output or into a new file. Needs no display. */

void     striae_cli_recalls_add_options (GApplication   *app);
gboolean striae_cli_recalls_handle      (const char     *database,
                                         GVariantDict   *options,
                                         int            *exit_status);
gboolean striae_cli_parse_within        (const char     *text,
                                         guint          *days,
                                         GError        **error);

G_END_DECLS
