/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "striae-application.h"
#include "striae-resources.h"
#include "striae-server-login.h"
#include "striae-test-store.h"
#include "striae-window.h"

/* A clinic PC's start against the clinic server (issue 15): the keyring and the server are
 * asked as the application starts up, in a worker thread, not once it is activated, so that
 * the keyring's round trips, the connection and its opening statements go on while GTK
 * initialises; activated, the window opens on the records. On the private server of
 * tests/with-postgresql (its socket, which trusts the login: the password kept in the keyring
 * of tests/run-keyring is sent and not needed). Without a server (the file pass) it is skipped;
 * without a keyring it says so and is counted as skipped (failed under CI=true). */

static gboolean
ready (void)
{
  const char *keyring = g_getenv ("STRIAE_TEST_KEYRING");
  const char *missing = NULL;

  /* The file pass: this test is the PostgreSQL pass's, as server-gone is. */
  if (!striae_test_backend_is ("postgresql"))
    {
      g_test_skip ("no PostgreSQL server: run in the PostgreSQL pass (--setup=postgresql)");
      return FALSE;
    }
  if (g_strcmp0 (keyring, "ready") != 0)
    missing = keyring != NULL ? keyring : "the test was not run through tests/run-keyring";
  if (missing == NULL)
    return TRUE;

  if (g_strcmp0 (g_getenv ("CI"), "true") == 0)
    {
      g_test_message ("%s", missing);
      g_test_fail ();
    }
  else
    g_test_skip (missing);
  return FALSE;
}

/* A condition for striae_test_wait_for(): the pointer at @data is set. */
static gboolean
is_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

static void
result_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* "postgresql:///NAME?host=…": the database's name. */
static char *
dup_database_name (const char *location)
{
  const char *name = strstr (location, ":///");

  g_assert_nonnull (name);
  name += strlen (":///");
  return g_strndup (name, strcspn (name, "?"));
}

/* This PC pointed at the records at @location, as Preferences → Records leaves it, with a
 * password in the keyring. */
static void
point_at (GSettings  *settings,
          const char *location)
{
  g_autofree char *database = dup_database_name (location);
  const char *port = g_getenv ("STRIAE_TEST_POSTGRESQL_TLS_PORT");
  g_autoptr(StriaeServerLogin) login = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_settings_set_string (settings, "records-place", "clinic-server");
  g_settings_set_string (settings, "server-host", g_getenv ("STRIAE_TEST_POSTGRESQL"));
  g_settings_set_uint (settings, "server-port", port != NULL ? atoi (port) : 5432);
  g_settings_set_string (settings, "server-database", database);
  g_settings_set_string (settings, "server-user", "postgres");

  login = striae_server_login_new_from_settings (settings);
  striae_server_login_store_password_async (login, "kept-in-the-keyring", NULL, result_cb,
                                            &result);
  g_assert_true (striae_test_wait_for (is_set, &result));
  g_assert_true (striae_server_login_store_password_finish (login, result, &error));
  g_assert_no_error (error);
}

static GtkWindow *
main_window (StriaeApplication *app)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l; l = l->next)
    if (STRIAE_IS_WINDOW (l->data))
      return l->data;
  return NULL;
}

static gboolean
store_open (gpointer app)
{
  return striae_application_get_store (app) != NULL;
}

static gboolean
window_shown (gpointer app)
{
  return main_window (app) != NULL;
}

static void
test_asked_at_startup (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.striae.Striae");
  g_autoptr(StriaeApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *location = NULL;
  GtkWindow *window;

  if (!ready ())
    return;

  dir = g_dir_make_tmp ("striae-server-start-XXXXXX", &error);
  g_assert_no_error (error);
  location = striae_test_store_location (dir);
  /* The clinic's records exist: IT set them up before the PC starts. */
  g_object_unref (striae_test_store_open (location));
  point_at (settings, location);

  app = striae_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  /* Started up, not activated yet: the records open all the same, without a window. */
  g_assert_true (striae_test_wait_for (store_open, app));
  g_assert_null (main_window (app));

  /* Activated: the window on them, at once. */
  g_application_activate (G_APPLICATION (app));
  g_assert_true (striae_test_wait_for (window_shown, app));
  window = main_window (app);
  g_assert_true (striae_window_get_store (STRIAE_WINDOW (window)) ==
                 striae_application_get_store (app));

  gtk_window_destroy (window);
  g_clear_object (&app);
  striae_test_store_remove (location);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* Referencing the resource links it in from the static library, which registers it. */
  g_assert_nonnull (striae_get_resource ());

  g_test_add_func ("/server-start/asked-at-startup", test_asked_at_startup);

  return g_test_run ();
}
