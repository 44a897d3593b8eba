/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdarg.h>
#include <sys/wait.h>

#include "striae-test-cli.h"

int
run_striae (const char  *database,
            char       **out,
            char       **err,
            ...)
{
  g_autofree char *binary = g_build_filename (g_getenv ("STRIAE_BUILD_ROOT"), "src", "striae",
                                              NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envp = g_get_environ ();
  const char *arg;
  int status = -1;
  va_list args;

  envp = g_environ_unsetenv (envp, "DISPLAY");
  envp = g_environ_unsetenv (envp, "WAYLAND_DISPLAY");

  g_ptr_array_add (argv, binary);
  g_ptr_array_add (argv, (char *) "--database");
  g_ptr_array_add (argv, (char *) database);
  va_start (args, err);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL,
                               out, err, &status, &error));
  g_assert_no_error (error);
  g_test_message ("striae %s → %d: %s%s", (char *) argv->pdata[3],
                  WIFEXITED (status) ? WEXITSTATUS (status) : -1, *out, *err);

  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}
