/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE
#include "config.h"

#include <adwaita.h>
#include <dlfcn.h>
#include <string.h>

#include "striae-cups-compat.h"
#include "striae-test-cli.h"
#include "striae-test-files.h"

/* Issue 15, start-up: what Striae needs only for a rare task is loaded when that task comes,
 * so that a start on a single PC's file maps none of it. Printing: libcups (and the Kerberos,
 * GnuTLS and Avahi it pulls in) comes with the mend for Debian's libcups
 * (src/app/cups/striae-cups-mend.c), a module that must then stand before libcups in the
 * global scope, where GTK's print backend looks for httpUpdate(). This program links the
 * application layer as striae does. */

static gboolean
mapped (const char *library)
{
  g_autofree char *maps = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents ("/proc/self/maps", &maps, NULL, &error);
  g_assert_no_error (error);
  return strstr (maps, library) != NULL;
}

/* The mend loads libcups, and a library bound later finds the mend's httpUpdate() first. */
static void
test_print_mend (void)
{
  Dl_info info = { 0 };
  gpointer update;

  g_assert_false (mapped ("/libcups.so"));
  g_assert_null (dlsym (RTLD_DEFAULT, "httpUpdate"));

  g_assert_true (striae_cups_compat_ensure ());
  g_assert_true (striae_cups_compat_ensure ());
  g_assert_true (mapped ("/libcups.so"));

  /* RTLD_DEFAULT searches the global scope in the order a print backend's own references
   * are bound. */
  update = dlsym (RTLD_DEFAULT, "httpUpdate");
  g_assert_nonnull (update);
  g_assert_true (dladdr (update, &info) != 0);
  g_assert_nonnull (info.dli_fname);
  g_test_message ("httpUpdate() is %s's", info.dli_fname);
  g_assert_true (g_str_has_prefix (info.dli_fname, STRIAE_BUILD_ROOT G_DIR_SEPARATOR_S));
  g_assert_true (g_str_has_suffix (info.dli_fname, "/striae-cups-mend." G_MODULE_SUFFIX));
}

/* The libraries `striae --database FILE --user NAME` loads up to its first frame, as the
 * dynamic linker reports them. */
static char *
first_frame_libraries (const char *database)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  char *err = NULL;

  g_subprocess_launcher_setenv (launcher, "STRIAE_EXIT_AFTER_FIRST_FRAME", "1", TRUE);
  g_subprocess_launcher_setenv (launcher, "LD_DEBUG", "files", TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("STRIAE_APP_BINARY"),
                                         "--database", database, "--user",
                                         STRIAE_TEST_ACCOUNT, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, STRIAE_TEST_PASSWORD "\n", NULL, NULL, &err,
                                 &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  g_assert_nonnull (strstr (err, "first frame: "));
  return err;
}

static guint
count_loaded (const char *report)
{
  guint n = 0;

  for (const char *at = report; (at = strstr (at, "generating link map")) != NULL; at++)
    n++;
  return n;
}

/* A start on a file, signed in, up to the register's first frame. */
static void
test_first_frame (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("striae-libraries-XXXXXX", &error);
  g_autofree char *database = g_build_filename (dir, "striae.db", NULL);
  g_autofree char *report = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (run_striae_as (STRIAE_TEST_PASSWORD "\n", &out, &err, "--database", database,
                                  "--init", "--user", STRIAE_TEST_ACCOUNT, NULL), ==, 0);

  report = first_frame_libraries (database);
  g_test_message ("%u libraries loaded up to the first frame", count_loaded (report));
  g_assert_cmpuint (count_loaded (report), >, 0);
  g_assert_null (strstr (report, "file=libcups.so"));
  g_assert_null (strstr (report, "file=libpq.so"));
  g_assert_null (strstr (report, "file=libheif.so"));

  striae_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  /* In this order: the first must run before anything loads the mend. */
  g_test_add_func ("/startup-libraries/print-mend", test_print_mend);
  g_test_add_func ("/startup-libraries/first-frame", test_first_frame);

  return g_test_run ();
}
