/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The administrator run_striae() and run_striae_with_input() work as on a database file:
 * they give the file this account when it has none yet (striae --init) and pass --user with
 * its password on standard input, before @input. */
#define STRIAE_TEST_ACCOUNT  "striae-test"
#define STRIAE_TEST_PASSWORD "striae test password"

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

/* Gives the database file @database the test's administrator now (as run_striae() does
 * before its command), for a test that compares the file before and after a command;
 * nothing for a clinic server. */
void run_striae_init      (const char  *database);

/* As run_striae_with_input(), with @args (NULL-terminated) in the environment @envp (NULL:
 * this process's). */
int run_striae_env        (const char * const  *envp,
                           const char          *input,
                           const char * const  *args,
                           char               **out,
                           char               **err);

/* As run_striae_with_input(), with ARGS exactly as given: no account is made or named. */
int run_striae_as         (const char  *input,
                           char       **out,
                           char       **err,
                           ...) G_GNUC_NULL_TERMINATED;

G_END_DECLS
