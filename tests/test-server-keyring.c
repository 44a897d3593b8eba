/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE
#include <glib/gstdio.h>
#include <string.h>

#include "striae-server-login.h"

/* The clinic server's password in a real keyring: a gnome-keyring-daemon on a private session
 * bus, with its own HOME (tests/run-keyring starts both and says in STRIAE_TEST_KEYRING
 * whether it could). The password goes in, comes back for the same server and user only, is
 * replaced rather than doubled, is cleared, and is never found in GSettings or in any file
 * under HOME (the keyring's own file is encrypted). secret-tool (libsecret-tools) reads the
 * keyring from outside, as clinic IT would. Without a keyring the test is skipped, except
 * under CI=true, where it fails. */

#define PASSWORD "c0rrect horse&battery=staple%/é"
#define WAIT_MS 20000

static gboolean
keyring_ready (void)
{
  const char *state = g_getenv ("STRIAE_TEST_KEYRING");
  g_autofree char *secret_tool = g_find_program_in_path ("secret-tool");

  if (g_strcmp0 (state, "ready") == 0 && secret_tool != NULL)
    return TRUE;

  if (state == NULL)
    state = "the test was not run through tests/run-keyring";
  else if (g_strcmp0 (state, "ready") == 0)
    state = "secret-tool is not installed (package libsecret-tools)";
  if (g_strcmp0 (g_getenv ("CI"), "true") == 0)
    {
      g_test_message ("No keyring: %s", state);
      g_test_fail ();
    }
  else
    g_test_skip (state);
  return FALSE;
}

static StriaeServerLogin *
new_login (const char *user)
{
  return g_object_new (STRIAE_TYPE_SERVER_LOGIN,
                       "host", "db.clinic.lan", "port", 5432, "database", "striae",
                       "user", user, NULL);
}

static GAsyncResult *
wait_result (GAsyncResult **result)
{
  gint64 end = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;

  while (*result == NULL && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (*result);
  return *result;
}

static void
result_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
store_password (StriaeServerLogin *login,
                const char        *password)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  striae_server_login_store_password_async (login, password, NULL, result_cb, &result);
  g_assert_true (striae_server_login_store_password_finish (login, wait_result (&result),
                                                            &error));
  g_assert_no_error (error);
}

static char *
lookup_password (StriaeServerLogin *login)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *password;

  striae_server_login_lookup_password_async (login, NULL, result_cb, &result);
  password = striae_server_login_lookup_password_finish (login, wait_result (&result), &error);
  g_assert_no_error (error);
  return password;
}

static void
clear_password (StriaeServerLogin *login)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  striae_server_login_clear_password_async (login, NULL, result_cb, &result);
  g_assert_true (striae_server_login_clear_password_finish (login, wait_result (&result),
                                                            &error));
  g_assert_no_error (error);
}

/* secret-tool ARGS…: its standard output; @status its exit status. */
static char *
secret_tool (int         *status,
             const char  *first,
             ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  va_list args;

  g_ptr_array_add (argv, (char *) "secret-tool");
  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL,
                               G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                               &out, NULL, status, &error));
  g_assert_no_error (error);
  return out;
}

static char *
secret_tool_lookup (const char *user,
                    int        *status)
{
  return secret_tool (status, "lookup", "xdg:schema", "io.github.striae.Striae.ServerLogin",
                      "host", "db.clinic.lan", "port", "5432", "database", "striae",
                      "user", user, NULL);
}

/* Whether any file under @path holds @needle. */
static gboolean
found_in_files (const char *path,
                const char *needle)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        {
          if (found_in_files (child, needle))
            return TRUE;
        }
      else if (g_file_get_contents (child, &contents, &length, NULL) &&
               memmem (contents, length, needle, strlen (needle)) != NULL)
        {
          g_test_message ("%s holds the password", child);
          return TRUE;
        }
    }
  return FALSE;
}

static void
assert_nowhere_else (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.striae.Striae");
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GVariant) value = g_settings_get_value (settings, keys[i]);
      g_autofree char *text = g_variant_print (value, FALSE);

      g_assert_null (strstr (text, "c0rrect"));
    }
  g_assert_false (found_in_files (g_get_home_dir (), "c0rrect"));
}

static void
test_keyring (void)
{
  g_autoptr(StriaeServerLogin) anna = new_login ("anna");
  g_autoptr(StriaeServerLogin) ben = new_login ("ben");
  g_autofree char *found = NULL;
  g_autofree char *listed = NULL;
  g_autofree char *out = NULL;
  char *password;
  int status = 0;

  if (!keyring_ready ())
    return;

  /* Nothing kept yet: no password, and no error. */
  g_assert_null (lookup_password (anna));

  store_password (anna, PASSWORD);
  password = lookup_password (anna);
  g_assert_cmpstr (password, ==, PASSWORD);
  striae_server_login_free_secret (password);

  /* Read from outside by its attributes, as clinic IT would. */
  found = secret_tool_lookup ("anna", &status);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_cmpstr (found, ==, PASSWORD);

  /* Another user of the same server has none. */
  g_assert_null (lookup_password (ben));

  /* Kept again (a new password after a change): replaced, not doubled. */
  store_password (anna, "new " PASSWORD);
  password = lookup_password (anna);
  g_assert_cmpstr (password, ==, "new " PASSWORD);
  striae_server_login_free_secret (password);
  listed = secret_tool (&status, "search", "--all", "xdg:schema",
                        "io.github.striae.Striae.ServerLogin", NULL);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_test_message ("%s", listed);
  /* One item, each starting with its path in brackets. */
  g_assert_true (listed[0] == '[');
  g_assert_null (strstr (listed, "\n["));
  g_assert_nonnull (strstr (listed, "label = Striae clinic server password for "
                                    "anna@db.clinic.lan:5432/striae"));

  assert_nowhere_else ();

  clear_password (anna);
  g_assert_null (lookup_password (anna));
  out = secret_tool_lookup ("anna", &status);
  g_assert_false (g_spawn_check_wait_status (status, NULL));
  g_assert_cmpstr (out, ==, "");
  /* Clearing what is not there is no error. */
  clear_password (anna);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server-keyring/store-lookup-clear", test_keyring);

  return g_test_run ();
}
