/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "striae-store.h"

G_BEGIN_DECLS

/* striae --find-batch LOT: every patient and session that received a product batch, for a
 * manufacturer's advisory (issue 17), one use a line on standard output, tab-separated like
 * --list: patient id, family name, given name, date of birth, session date, session record
 * id, consultation id, product, lot as recorded. Needs no display. */

void     striae_cli_batch_add_options (GApplication   *app);
gboolean striae_cli_batch_handle      (const char     *database,
                                       GVariantDict   *options,
                                       int            *exit_status);
gboolean striae_cli_find_batch        (StriaeStore    *store,
                                       const char     *lot,
                                       GOutputStream  *out,
                                       GError        **error);

G_END_DECLS
