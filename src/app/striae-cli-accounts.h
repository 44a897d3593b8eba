/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "striae-store.h"

G_BEGIN_DECLS

/* Accounts on the command line:
 *   --user NAME                       the account a command works as; its password is read
 *                                     from the terminal without echo, or from the first line
 *                                     of standard input when it is not a terminal
 *   --init --user NAME                makes the database (or takes one from before accounts)
 *                                     and its administrator account; the password is asked
 *                                     twice on a terminal
 *   --display-name TEXT               with --init, the name the administrator signs with */

void     striae_cli_accounts_add_options (GApplication  *app);
gboolean striae_cli_accounts_handle      (const char    *database,
                                          GVariantDict  *options,
                                          int           *exit_status);
gboolean striae_cli_sign_in              (StriaeStore   *store,
                                          GVariantDict  *options,
                                          GError       **error);

/* striae_cli_sign_in() with the password checked in a thread of its own. */
typedef struct _StriaeCliSignIn StriaeCliSignIn;

StriaeCliSignIn *striae_cli_sign_in_start    (StriaeStore      *store,
                                              GVariantDict     *options,
                                              GError          **error);
const char      *striae_cli_sign_in_get_user (StriaeCliSignIn  *self);
gboolean         striae_cli_sign_in_finish   (StriaeCliSignIn  *self,
                                              GError          **error);

gboolean striae_cli_check_account        (StriaeStore   *store,
                                          GVariantDict  *options,
                                          StriaeRight    right,
                                          GError       **error);

G_END_DECLS
