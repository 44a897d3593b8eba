/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A password or passphrase read by the command line: cleared from memory when freed. */
typedef char StriaeSecret;

void          striae_cli_secret_free (StriaeSecret *secret);
StriaeSecret *striae_cli_read_secret (const char   *prompt,
                                      const char   *again_prompt,
                                      gboolean     *differ);
StriaeSecret *striae_cli_ask_secret  (const char   *prompt);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StriaeSecret, striae_cli_secret_free)

G_END_DECLS
