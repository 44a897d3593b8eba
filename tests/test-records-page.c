/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "striae-application.h"
#include "striae-choice-row.h"
#include "striae-preferences.h"
#include "striae-records-page.h"
#include "striae-resources.h"
#include "striae-test-files.h"
#include "striae-test-window.h"
#include "striae-window.h"

/* Preferences → Records: the choice between the file on this computer and the clinic server
 * shows or hides the server's details; Connect with a server that is not there says why in
 * one sentence and leaves the records in use, the settings and the keyring as they were; every
 * control has an accessible name and is reached with Tab. With STRIAE_SCREENSHOT_DIR set, the
 * page is also saved there as records-computer.png and records-server.png, to look at. */

#define WAIT_MS 60000

typedef struct
{
  char              *dir;
  char              *path;
  char              *ca_file;
  StriaeStore       *store;
  StriaePreferences *preferences;
  StriaeRecordsPage *page;
  StriaeStore       *opened;
  char              *notice;
} Fixture;

/* Whether the string setting @key of @settings is @value. */
static gboolean
setting_is (GSettings  *settings,
            const char *key,
            const char *value)
{
  g_autofree char *current = g_settings_get_string (settings, key);

  if (g_strcmp0 (current, value) != 0)
    g_test_message ("%s is “%s”, not “%s”", key, current, value);
  return g_strcmp0 (current, value) == 0;
}

static void
records_opened_cb (StriaeRecordsPage *page,
                   StriaeStore       *store,
                   const char        *notice,
                   Fixture           *fixture)
{
  g_set_object (&fixture->opened, store);
  g_free (fixture->notice);
  fixture->notice = g_strdup (notice);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = g_settings_new ("io.github.striae.Striae");

  g_settings_reset (settings, "records-place");
  g_settings_reset (settings, "server-host");
  fixture->dir = g_dir_make_tmp ("striae-records-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "striae.db", NULL);
  fixture->ca_file = g_build_filename (fixture->dir, "clinic ca.pem", NULL);
  g_file_set_contents (fixture->ca_file, "-----BEGIN CERTIFICATE-----\n", -1, &error);
  g_assert_no_error (error);
  fixture->store = striae_store_open (fixture->path, &error);
  g_assert_no_error (error);

  fixture->preferences = striae_preferences_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (fixture->preferences), 640, 900);
  if (data != NULL)
    striae_preferences_set_store (fixture->preferences, fixture->store);
  fixture->page = striae_preferences_get_records_page (fixture->preferences);
  g_signal_connect (fixture->page, "records-opened", G_CALLBACK (records_opened_cb), fixture);
  striae_preferences_show_records (fixture->preferences, NULL);
  gtk_window_present (GTK_WINDOW (fixture->preferences));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->preferences));
  g_clear_object (&fixture->opened);
  g_clear_object (&fixture->store);
  striae_test_remove_tree (fixture->dir);
  g_free (fixture->notice);
  g_free (fixture->ca_file);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static GtkWidget *
child (Fixture    *fixture,
       const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (fixture->page),
                                                   STRIAE_TYPE_RECORDS_PAGE, name);

  g_assert_nonnull (object);
  return GTK_WIDGET (object);
}

static GtkCheckButton *
check_of (Fixture    *fixture,
          const char *row)
{
  return striae_choice_row_get_check (STRIAE_CHOICE_ROW (child (fixture, row)));
}

static gboolean
action_enabled (Fixture *fixture)
{
  GtkWidget *button = child (fixture, "use_button");

  return gtk_widget_get_visible (button) && gtk_widget_get_sensitive (button);
}

/* The file in use is chosen and named; choosing the server shows its details, and back. */
static void
test_choice (Fixture       *fixture,
             gconstpointer  data)
{
  GtkCheckButton *computer = check_of (fixture, "this_computer_row");
  GtkCheckButton *server = check_of (fixture, "clinic_server_row");
  GtkWidget *group = child (fixture, "server_group");

  striae_test_spin (100);
  g_assert_true (gtk_check_button_get_active (computer));
  g_assert_false (gtk_check_button_get_active (server));
  g_assert_false (gtk_widget_get_visible (group));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (child (fixture,
                                                                       "this_computer_row"))),
                   ==, fixture->path);
  /* The file in use needs no opening. */
  g_assert_false (action_enabled (fixture));
  g_assert_null (striae_records_page_get_status (fixture->page));
  striae_test_window_save_png (GTK_WIDGET (fixture->preferences), "records-computer.png");

  gtk_check_button_set_active (server, TRUE);
  g_assert_false (gtk_check_button_get_active (computer));
  g_assert_true (gtk_widget_get_visible (group));
  g_assert_true (action_enabled (fixture));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (child (fixture, "use_button"))), ==,
                   "_Connect");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (fixture, "port_row"))), ==,
                   "5432");
  gtk_editable_set_text (GTK_EDITABLE (child (fixture, "host_row")), "db.clinic.lan");
  gtk_editable_set_text (GTK_EDITABLE (child (fixture, "database_row")), "striae");
  gtk_editable_set_text (GTK_EDITABLE (child (fixture, "user_row")), "anna");
  striae_test_window_save_png (GTK_WIDGET (fixture->preferences), "records-server.png");

  gtk_check_button_set_active (computer, TRUE);
  g_assert_false (gtk_widget_get_visible (group));
  g_assert_false (action_enabled (fixture));
}

static gboolean
idle (Fixture *fixture)
{
  gint64 end = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;

  while (striae_records_page_is_busy (fixture->page))
    {
      if (g_get_monotonic_time () > end)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  striae_test_spin (50);
  return TRUE;
}

static void
fill_server (Fixture    *fixture,
             const char *host,
             const char *port)
{
  gtk_check_button_set_active (check_of (fixture, "clinic_server_row"), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (child (fixture, "host_row")), host);
  gtk_editable_set_text (GTK_EDITABLE (child (fixture, "port_row")), port);
  gtk_editable_set_text (GTK_EDITABLE (child (fixture, "database_row")), "striae");
  gtk_editable_set_text (GTK_EDITABLE (child (fixture, "user_row")), "anna");
  gtk_editable_set_text (GTK_EDITABLE (child (fixture, "password_row")), "s3cret pass");
  striae_server_login_set_ca_file (striae_records_page_get_login (fixture->page),
                                   fixture->ca_file);
}

/* Nothing is kept, switched or shown with the password when the server cannot be reached. */
static void
assert_nothing_changed (Fixture *fixture)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.striae.Striae");
  const char *status = striae_records_page_get_status (fixture->page);

  g_assert_nonnull (status);
  g_test_message ("%s", status);
  g_assert_cmpstr (status, !=, "");
  g_assert_null (strstr (status, "s3cret"));
  g_assert_true (gtk_widget_has_css_class (child (fixture, "status_label"), "error"));
  g_assert_null (fixture->opened);
  g_assert_true (setting_is (settings, "records-place", "this-computer"));
  g_assert_true (setting_is (settings, "server-host", ""));
  g_assert_true (action_enabled (fixture));
}

static void
test_connect_bad_host (Fixture       *fixture,
                       gconstpointer  data)
{
  fill_server (fixture, "no-such-host.invalid", "5432");
  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "records.use", NULL);
  g_assert_true (idle (fixture));
  assert_nothing_changed (fixture);
  striae_test_window_save_png (GTK_WIDGET (fixture->preferences), "records-refused.png");

  /* No password typed: the keyring is asked (there is none here), then the server. */
  gtk_editable_set_text (GTK_EDITABLE (child (fixture, "password_row")), "");
  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "records.use", NULL);
  g_assert_true (striae_records_page_is_busy (fixture->page));
  g_assert_true (idle (fixture));
  assert_nothing_changed (fixture);

  /* The records in use still are. */
  g_assert_cmpint (striae_store_count_patients (fixture->store, NULL), ==, 0);
}

/* Details that cannot name a server: the sentence says which, before any connection. */
static void
test_connect_incomplete (Fixture       *fixture,
                         gconstpointer  data)
{
  fill_server (fixture, "db.clinic.lan", "54x2");
  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "records.use", NULL);
  g_assert_false (striae_records_page_is_busy (fixture->page));
  assert_nothing_changed (fixture);
  g_assert_nonnull (strstr (striae_records_page_get_status (fixture->page), "65535"));

  gtk_editable_set_text (GTK_EDITABLE (child (fixture, "port_row")), "5432");
  gtk_editable_set_text (GTK_EDITABLE (child (fixture, "user_row")), " ");
  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "records.use", NULL);
  assert_nothing_changed (fixture);
  g_assert_nonnull (strstr (striae_records_page_get_status (fixture->page), "user name"));

  /* Choosing again clears the sentence. */
  gtk_check_button_set_active (check_of (fixture, "this_computer_row"), TRUE);
  g_assert_null (striae_records_page_get_status (fixture->page));
}

/* With no records open (the server's failed at start), "On This Computer" opens the file. */
static void
test_back_to_file (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.striae.Striae");
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "striae", "striae.db",
                                                NULL);

  striae_preferences_show_records (fixture->preferences, "The server is gone.");
  g_assert_cmpstr (striae_records_page_get_status (fixture->page), ==, "The server is gone.");
  g_assert_true (action_enabled (fixture));
  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "records.use", NULL);
  g_assert_nonnull (fixture->opened);
  g_assert_cmpstr (striae_store_get_path (fixture->opened), ==, expected);
  g_assert_nonnull (fixture->notice);
  g_assert_true (setting_is (settings, "records-place", "this-computer"));
}

static gboolean
labelled (GtkWidget *widget)
{
  return gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget),
                                           GTK_ACCESSIBLE_PROPERTY_LABEL) ||
         gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget),
                                           GTK_ACCESSIBLE_RELATION_LABELLED_BY);
}

/* Every control is named and reached with Tab alone. */
static void
test_accessible (Fixture       *fixture,
                 gconstpointer  data)
{
  static const char * const rows[] = {
    "host_row", "port_row", "database_row", "user_row", "password_row",
  };
  const char *targets[] = {
    "clinic_server_row", "host_row", "port_row", "database_row", "user_row", "password_row",
    "ca_button", "use_button",
  };
  gboolean reached[G_N_ELEMENTS (targets)] = { FALSE, };

  gtk_check_button_set_active (check_of (fixture, "clinic_server_row"), TRUE);
  striae_test_spin (100);

  g_assert_true (labelled (GTK_WIDGET (check_of (fixture, "this_computer_row"))));
  g_assert_true (labelled (GTK_WIDGET (check_of (fixture, "clinic_server_row"))));
  g_assert_true (labelled (child (fixture, "ca_button")));
  g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (child (fixture, "ca_button")),
                                                   GTK_ACCESSIBLE_PROPERTY_DESCRIPTION));
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child (fixture,
                                                                                     rows[i])));
      g_assert_nonnull (title);
      g_assert_cmpstr (title, !=, "");
    }
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (child (fixture, "use_button"))), !=, "");

  gtk_widget_grab_focus (GTK_WIDGET (check_of (fixture, "this_computer_row")));
  for (guint step = 0; step < 40; step++)
    {
      GtkWidget *focus;

      g_assert_true (gtk_widget_child_focus (GTK_WIDGET (fixture->preferences),
                                             GTK_DIR_TAB_FORWARD));
      focus = gtk_root_get_focus (GTK_ROOT (fixture->preferences));
      for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
        if (focus != NULL && (focus == child (fixture, targets[i]) ||
                              gtk_widget_is_ancestor (focus, child (fixture, targets[i]))))
          reached[i] = TRUE;
    }
  /* The server's row is reached with the arrow keys from the other choice (StriaeChoiceRow);
   * the rest with Tab. */
  for (guint i = 1; i < G_N_ELEMENTS (targets); i++)
    {
      g_test_message ("%s reached: %d", targets[i], reached[i]);
      g_assert_true (reached[i]);
    }
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) &&
          gtk_widget_get_visible (GTK_WIDGET (window)))
        return GTK_WINDOW (window);
    }
  return NULL;
}

static GtkWindow *
wait_toplevel (GType type)
{
  gint64 end = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;
  GtkWindow *window;

  while ((window = find_toplevel (type)) == NULL && g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return window;
}

/* At start, records on a clinic server that cannot be opened (no password in a keyring, or
 * no keyring, or no server) bring Preferences → Records with the reason, never an empty
 * window; from there the records on this computer open the main window. */
static void
test_startup_server (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.striae.Striae");
  g_autoptr(StriaeApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  StriaePreferences *preferences;
  StriaeRecordsPage *page;
  AdwMessageDialog *dialog;
  GtkWindow *window;
  GtkWindow *old_window;
  g_autoptr(StriaeStore) second = NULL;
  g_autofree char *second_path = g_build_filename (g_get_user_data_dir (), "second.db", NULL);
  const char *status;

  g_settings_set_string (settings, "records-place", "clinic-server");
  g_settings_set_string (settings, "server-host", "/no/such/socket/folder");
  g_settings_set_string (settings, "server-database", "striae");
  g_settings_set_string (settings, "server-user", "anna");

  app = striae_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));

  preferences = STRIAE_PREFERENCES (wait_toplevel (STRIAE_TYPE_PREFERENCES));
  g_assert_nonnull (preferences);
  g_assert_null (find_toplevel (STRIAE_TYPE_WINDOW));
  g_assert_null (striae_application_get_store (app));
  page = striae_preferences_get_records_page (preferences);
  g_assert_true (adw_preferences_window_get_visible_page (ADW_PREFERENCES_WINDOW (preferences))
                 == ADW_PREFERENCES_PAGE (page));
  status = striae_records_page_get_status (page);
  g_assert_nonnull (status);
  g_test_message ("%s", status);
  g_assert_true (g_str_has_suffix (status, "."));
  g_assert_true (gtk_check_button_get_active (striae_choice_row_get_check (
    STRIAE_CHOICE_ROW (gtk_widget_get_template_child (GTK_WIDGET (page),
                                                      STRIAE_TYPE_RECORDS_PAGE,
                                                      "clinic_server_row")))));
  /* Said once where it cannot be missed, too. */
  dialog = ADW_MESSAGE_DIALOG (wait_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==, status);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (preferences));
  striae_test_window_save_png (GTK_WIDGET (preferences), "records-startup.png");
  striae_test_window_save_png (GTK_WIDGET (dialog), "records-startup-dialog.png");
  gtk_window_close (GTK_WINDOW (dialog));
  striae_test_spin (100);
  g_assert_null (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  /* Activating again shows the same window rather than a second one. */
  g_application_activate (G_APPLICATION (app));
  striae_test_spin (50);
  g_assert_null (find_toplevel (STRIAE_TYPE_WINDOW));

  gtk_check_button_set_active (striae_choice_row_get_check (
    STRIAE_CHOICE_ROW (gtk_widget_get_template_child (GTK_WIDGET (page),
                                                      STRIAE_TYPE_RECORDS_PAGE,
                                                      "this_computer_row"))), TRUE);
  gtk_widget_activate_action (GTK_WIDGET (page), "records.use", NULL);
  window = wait_toplevel (STRIAE_TYPE_WINDOW);
  g_assert_nonnull (window);
  g_assert_nonnull (striae_application_get_store (app));
  g_assert_true (setting_is (settings, "records-place", "this-computer"));
  striae_test_spin (100);
  g_assert_null (find_toplevel (STRIAE_TYPE_PREFERENCES));
  striae_test_window_save_png (GTK_WIDGET (window), "records-switched.png");

  /* Records opened from Preferences over a main window replace its records: a new main
   * window on them, the old one closed (saving what it holds into its own records),
   * Preferences closed. */
  old_window = window;
  g_object_add_weak_pointer (G_OBJECT (old_window), (gpointer *) &old_window);
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  preferences = STRIAE_PREFERENCES (wait_toplevel (STRIAE_TYPE_PREFERENCES));
  g_assert_nonnull (preferences);
  second = striae_store_open (second_path, &error);
  g_assert_no_error (error);
  g_signal_emit_by_name (striae_preferences_get_records_page (preferences), "records-opened",
                         second, "Now the second file.");
  striae_test_spin (200);
  g_assert_null (old_window);
  g_assert_null (find_toplevel (STRIAE_TYPE_PREFERENCES));
  window = find_toplevel (STRIAE_TYPE_WINDOW);
  g_assert_nonnull (window);
  g_assert_true (striae_window_get_store (STRIAE_WINDOW (window)) == second);
  g_assert_true (striae_application_get_store (app) == second);

  gtk_window_destroy (window);
  striae_test_spin (50);
  g_remove (second_path);
  g_settings_reset (settings, "server-host");
  g_settings_reset (settings, "server-database");
  g_settings_reset (settings, "server-user");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data_home = NULL;

  /* The default file ("On This Computer" without --database) in a folder of the test's own. */
  data_home = g_dir_make_tmp ("striae-records-data-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  /* Accessible properties kept in process, to be read back (GTK's test context). */
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* Referencing the resource links it in from the static library, which registers it. */
  g_assert_nonnull (striae_get_resource ());

#define ADD_TEST(path, func, with_store) \
  g_test_add (path, Fixture, with_store, fixture_set_up, func, fixture_tear_down)

  ADD_TEST ("/records-page/choice", test_choice, "store");
  ADD_TEST ("/records-page/connect-bad-host", test_connect_bad_host, "store");
  ADD_TEST ("/records-page/connect-incomplete", test_connect_incomplete, "store");
  ADD_TEST ("/records-page/back-to-file", test_back_to_file, NULL);
  ADD_TEST ("/records-page/accessible", test_accessible, "store");
  g_test_add_func ("/records-page/startup-server", test_startup_server);

  {
    int status = g_test_run ();

    striae_test_remove_tree (data_home);
    return status;
  }
}
