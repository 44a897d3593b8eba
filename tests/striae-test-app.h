/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "striae-application.h"
#include "striae-store.h"

G_BEGIN_DECLS

/* Records with their administrator, for window tests (issue 16): since records without any
 * account open on the setup page, a test that starts the application on a database of its
 * own gives it the test's administrator (STRIAE_TEST_ACCOUNT, STRIAE_TEST_PASSWORD) through
 * the records API before the window opens, then passes the sign-in page with
 * striae_test_app_sign_in(). tests/test-setup.c alone goes through the setup page. */

/* Opens (or creates) the records at @database and makes the test's administrator when they
 * have no account yet; returns them signed in, for the test to fill. */
StriaeStore *striae_test_app_open_with_admin (const char         *database);

/* Types the test's administrator and password on the sign-in page of @app's main window and
 * waits until the register is shown. */
void         striae_test_app_sign_in         (StriaeApplication  *app);

/* The database file and its -wal and -shm files, removed. */
void         striae_test_app_remove_database (const char         *database);

/* One number, or one text, that @sql reads from the database file @database. */
gint64       striae_test_app_query_int       (const char         *database,
                                              const char         *sql);
char        *striae_test_app_query_text      (const char         *database,
                                              const char         *sql);

G_END_DECLS
