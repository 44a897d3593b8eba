/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "striae-store.h"

G_BEGIN_DECLS

/* striae --report-consultation ID: one consultation as JSON for audits and scripts
 * (docs/REPORT-FORMAT.md), on standard output. Needs no display. */

void     striae_cli_report_add_options    (GApplication  *app);
gboolean striae_cli_report_handle         (const char    *database,
                                           GVariantDict  *options,
                                           int           *exit_status);
char    *striae_cli_report_consultation   (StriaeStore   *store,
                                           gint64         consultation_id,
                                           const GDate   *today,
                                           GError       **error);

G_END_DECLS
