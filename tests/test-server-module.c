/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "striae-server-engine.h"
#include "striae-store.h"

/* The clinic server's engine is a module (issue 15, start-up): a program that opens a single
 * PC's file never maps libpq; the first postgresql:// address loads the module, built beside
 * the program in the build tree. This program links the records layer as striae does, and
 * not libpq. */

static gboolean
libpq_mapped (void)
{
  g_autofree char *maps = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents ("/proc/self/maps", &maps, NULL, &error);
  g_assert_no_error (error);
  return strstr (maps, "/libpq.so") != NULL;
}

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        remove_tree (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

/* A file's records are opened, used and closed without libpq in the process. */
static void
test_file_without_libpq (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("striae-module-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "striae.db", NULL);
  g_autoptr(StriaeStore) store = NULL;

  g_assert_no_error (error);
  g_assert_false (libpq_mapped ());

  store = striae_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_false (striae_store_is_server_location (path));
  g_clear_object (&store);

  g_assert_false (libpq_mapped ());
  remove_tree (dir);
}

/* A server address loads the engine, which then tries to reach the server: the error is the
 * server's (nobody listens on a socket in an empty folder), not the module's. */
static void
test_server_loads_module (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("striae-module-XXXXXX", &error);
  g_autofree char *uri = g_strdup_printf ("postgresql:///striae?host=%s&connect_timeout=2",
                                          dir);
  g_autofree char *module = striae_server_engine_get_path ();
  g_autoptr(StriaeStore) store = NULL;

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (module, STRIAE_BUILD_ROOT G_DIR_SEPARATOR_S));
  g_assert_true (g_file_test (module, G_FILE_TEST_IS_REGULAR));
  g_assert_true (striae_store_is_server_location (uri));

  store = striae_store_open (uri, &error);
  g_assert_null (store);
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_UNREACHABLE);
  g_assert_true (libpq_mapped ());

  /* The same table every time, with the server's group roles in it. */
  g_assert_true (striae_server_engine_get (NULL) == striae_server_engine_get (NULL));
  g_assert_cmpstr (striae_staff_role_get_group (STRIAE_STAFF_ROLE_ADMIN), !=, NULL);
  remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  /* In this order: the first must run before anything loads the module. */
  g_test_add_func ("/server-module/file-without-libpq", test_file_without_libpq);
  g_test_add_func ("/server-module/server-loads-module", test_server_loads_module);

  return g_test_run ();
}
