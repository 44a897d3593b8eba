/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "striae-store.h"

G_BEGIN_DECLS

/* The record-keeping commands of the command line, none of which needs a display:
 *   --export-patient ID --output FILE   write a patient's record as JSON
 *   --import-patient FILE               add the patient of an export; prints the new id
 *   --backup FILE                       copy the whole database
 *   --verify-audit                      check the audit log's seals and its head
 * They use the database given with --database (or the default one). */

void     striae_cli_records_add_options (GApplication *app);
gboolean striae_cli_records_handle      (const char   *database,
                                         GVariantDict *options,
                                         int          *exit_status);
StriaeStore *striae_cli_open_existing_store (const char    *database,
                                             GVariantDict  *options,
                                             GError       **error);
StriaeStore *striae_cli_open_existing_unsigned (const char  *database,
                                                GError     **error);

/* A command that works on an existing database: its option's long name, and what runs it
 * (returning the exit status). */
typedef struct
{
  const char *option;
  int       (*run) (StriaeStore  *store,
                    GVariantDict *options);
} StriaeCliCommand;

gboolean striae_cli_run_command (const StriaeCliCommand *commands,
                                 gsize                   n_commands,
                                 const char             *database,
                                 GVariantDict           *options,
                                 int                    *exit_status);

G_END_DECLS
