/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <gio/gio.h>
#include <stdarg.h>

#include "striae-test-cli.h"

/* The one way the tests run the command line: the built binary, @argv after its name, no
 * display, @input on a pipe. */
static int
run_argv (const char  *input,
          GPtrArray   *argv,
          char       **out,
          char       **err)
{
  g_autofree char *binary = g_build_filename (g_getenv ("STRIAE_BUILD_ROOT"), "src", "striae",
                                              NULL);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_ptr_array_insert (argv, 0, binary);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "PGPASSWORD");
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input, NULL, out, err, &error);
  g_assert_no_error (error);

  status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
  g_test_message ("striae %s → %d: %s%s", argv->len > 2 ? (char *) argv->pdata[1] : "",
                  status, *out, *err);
  return status;
}

static void
add_args (GPtrArray *argv,
          va_list    args)
{
  const char *arg;

  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
}

int
run_striae (const char  *database,
            char       **out,
            char       **err,
            ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  va_list args;

  g_ptr_array_add (argv, (char *) "--database");
  g_ptr_array_add (argv, (char *) database);
  va_start (args, err);
  add_args (argv, args);
  va_end (args);

  return run_argv (NULL, argv, out, err);
}

int
run_striae_with_input (const char  *input,
                       char       **out,
                       char       **err,
                       ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  va_list args;

  va_start (args, err);
  add_args (argv, args);
  va_end (args);

  return run_argv (input, argv, out, err);
}
