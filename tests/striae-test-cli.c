/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <gio/gio.h>
#include <signal.h>
#include <stdarg.h>
#include <string.h>

#include "striae-test-cli.h"

/* Records with accounts need --user on the command line, and records without any are refused
 * but for --init (issue 16). The tests of the commands themselves work as an administrator
 * that this file makes, so that each call stays as it was written: before a command on a
 * database file that exists, the file is given the account STRIAE_TEST_ACCOUNT (striae
 * --init, which leaves a file with accounts alone), and the command runs with --user and the
 * password on the first line of its standard input. run_striae_as() runs a command as
 * written, for the tests of accounts themselves. */

static char *
binary_path (void)
{
  return g_build_filename (g_getenv ("STRIAE_BUILD_ROOT"), "src", "striae", NULL);
}

/* @input on the command's standard input (g_subprocess_communicate() then closes it). A
 * command may end before it reads it (one that refuses its options): the pipe is then
 * broken, which is no failure of the test (SIGPIPE ignored, so that the write says so
 * instead of ending the test). An input is a line or two, within the pipe's buffer, so that
 * the write does not wait for the command to read. */
static void
write_input (GSubprocess *process,
             const char  *input)
{
  GOutputStream *pipe = g_subprocess_get_stdin_pipe (process);
  g_autoptr(GError) error = NULL;

  signal (SIGPIPE, SIG_IGN);
  if (!g_output_stream_write_all (pipe, input, strlen (input), NULL, NULL, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE))
    g_assert_no_error (error);
}

/* The one way the tests run the command line: the built binary, @argv after its name, no
 * display, @input on a pipe. */
static int
spawn (const char          *input,
       const char * const  *envp,
       GPtrArray           *argv,
       char               **out,
       char               **err)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  if (envp != NULL)
    g_subprocess_launcher_set_environ (launcher, (char **) envp);
  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "PGPASSWORD");
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  if (input != NULL)
    write_input (process, input);
  g_subprocess_communicate_utf8 (process, NULL, NULL, out, err, &error);
  g_assert_no_error (error);

  return g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
}

static gboolean
has_arg (GPtrArray  *argv,
         const char *arg)
{
  for (guint i = 0; i < argv->len; i++)
    if (g_strcmp0 (g_ptr_array_index (argv, i), arg) == 0)
      return TRUE;
  return FALSE;
}

/* The database file a command names, NULL for none or a clinic server. */
static const char *
find_database_file (GPtrArray *argv)
{
  for (guint i = 0; i + 1 < argv->len; i++)
    if (g_strcmp0 (g_ptr_array_index (argv, i), "--database") == 0)
      {
        const char *database = g_ptr_array_index (argv, i + 1);

        return g_str_has_prefix (database, "postgresql:") ? NULL : database;
      }
  return NULL;
}

/* Gives the file @database the test's administrator unless it has accounts already. */
static void
ensure_account (const char * const *envp,
                const char         *database)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  g_ptr_array_add (argv, binary_path ());
  g_ptr_array_add (argv, g_strdup ("--database"));
  g_ptr_array_add (argv, g_strdup (database));
  g_ptr_array_add (argv, g_strdup ("--init"));
  g_ptr_array_add (argv, g_strdup ("--user"));
  g_ptr_array_add (argv, g_strdup (STRIAE_TEST_ACCOUNT));
  status = spawn (STRIAE_TEST_PASSWORD "\n", envp, argv, &out, &err);
  /* 1: the file had accounts already, which is what is wanted. */
  if (status != 0 && strstr (err, "already has accounts") == NULL)
    g_error ("Could not give %s the test's account: %s", database, err);
}

void
run_striae_init (const char *database)
{
  /* A clinic server's accounts are its logins. */
  if (g_str_has_prefix (database, "postgresql:"))
    return;
  g_assert_true (g_file_test (database, G_FILE_TEST_EXISTS));
  ensure_account (NULL, database);
}

static int
run_argv (const char          *input,
          const char * const  *envp,
          GPtrArray           *argv,
          gboolean             as_test_account,
          char               **out,
          char               **err)
{
  g_autofree char *binary = binary_path ();
  g_autofree char *with_password = NULL;
  const char *database = find_database_file (argv);
  int status;

  if (as_test_account && database != NULL && !has_arg (argv, "--user") &&
      !has_arg (argv, "--init") && g_file_test (database, G_FILE_TEST_EXISTS))
    {
      g_ptr_array_add (argv, (char *) "--user");
      g_ptr_array_add (argv, (char *) STRIAE_TEST_ACCOUNT);
      input = with_password = g_strconcat (STRIAE_TEST_PASSWORD "\n", input, NULL);
    }

  g_ptr_array_insert (argv, 0, binary);
  status = spawn (input, envp, argv, out, err);
  /* Records without any account refuse the command before it does anything: they get the
   * account, and the command runs again. Most calls find it there already. */
  if (with_password != NULL && status == 1 && strstr (*err, "have no account yet") != NULL)
    {
      g_clear_pointer (out, g_free);
      g_clear_pointer (err, g_free);
      ensure_account (envp, database);
      g_ptr_array_set_size (argv, argv->len - 1);
      status = spawn (input, envp, argv, out, err);
    }
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

  return run_argv (NULL, NULL, argv, TRUE, out, err);
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

  return run_argv (input, NULL, argv, TRUE, out, err);
}

int
run_striae_as (const char  *input,
               char       **out,
               char       **err,
               ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  va_list args;

  va_start (args, err);
  add_args (argv, args);
  va_end (args);

  return run_argv (input, NULL, argv, FALSE, out, err);
}

int
run_striae_env (const char * const  *envp,
                const char          *input,
                const char * const  *args,
                char               **out,
                char               **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);

  return run_argv (input, envp, argv, TRUE, out, err);
}
