/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Runs the built `striae --database DATABASE ARGS…` (NULL-terminated) without a display and
 * returns its exit status (-1 when it did not exit); @out and @err receive what it printed. */
int run_striae            (const char  *database,
                           char       **out,
                           char       **err,
                           ...) G_GNUC_NULL_TERMINATED;

/* Runs the built `striae ARGS…` (NULL-terminated) with @input (NULL: nothing) on its standard
 * input, which is not a terminal, as run_striae() does otherwise. PGPASSWORD is not passed
 * on, so that a password can only come from @input. */
int run_striae_with_input (const char  *input,
                           char       **out,
                           char       **err,
                           ...) G_GNUC_NULL_TERMINATED;

G_END_DECLS
