/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "striae-application.h"
#include "striae-idle-lock.h"
#include "striae-preferences.h"
#include "striae-records-page.h"
#include "striae-setup-page.h"
#include "striae-window.h"
#include "striae-test-app.h"
#include "striae-test-date.h"
#include "striae-test-store.h"
#include "striae-test-window.h"

/* The setup page (issue 16): records without any account open on it instead of the register,
 * whether new or kept before accounts; each mistake is one sentence and makes nothing; the
 * right fields make the administrator in a worker thread, sign it in and show the register,
 * from then on with the lock. Clicked through here, through the application as it starts;
 * every other GUI test passes it with tests/striae-test-app.h. */

#define ACCOUNT  "anna"
#define DISPLAY  "Dr Anna Roth"
#define PASSWORD "correct horse"

/* What the setup page must not show of records kept before accounts. */
static const char * const secrets[] = {
  "Henrike", "Quast-Bellmann", "5550 1234",
};

typedef struct
{
  char              *dir;
  char              *database;
  gint64             entries_before;
  StriaeApplication *app;
  StriaeWindow      *window;
} Fixture;

static gboolean
window_shown (gpointer data)
{
  Fixture *fixture = data;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (fixture->app)); l; l = l->next)
    if (STRIAE_IS_WINDOW (l->data) && gtk_widget_get_mapped (l->data))
      {
        fixture->window = l->data;
        return TRUE;
      }
  return FALSE;
}

/* A new file (@data NULL), or one with a patient kept before accounts; the application
 * started on it as `striae --database FILE` does. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *app_id = NULL;

  fixture->dir = g_dir_make_tmp ("striae-setup-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->database = g_build_filename (fixture->dir, "striae.db", NULL);
  if (data != NULL)
    {
      g_autoptr(StriaeStore) store = striae_store_open (fixture->database, &error);
      g_autoptr(StriaePatient) patient = striae_patient_new ();

      g_assert_no_error (error);
      striae_patient_set_given_name (patient, "Henrike");
      striae_patient_set_family_name (patient, "Quast-Bellmann");
      striae_patient_set_birth_date (patient, striae_test_date ("1979-03-14"));
      striae_patient_set_phone (patient, "+49 30 5550 1234");
      g_assert_true (striae_store_add_patient (store, patient, &error));
      g_assert_no_error (error);
      fixture->entries_before = striae_store_count_entries_before_accounts (store, &error);
      g_assert_no_error (error);
      g_assert_cmpint (fixture->entries_before, >, 0);
    }

  app_id = g_strdup_printf ("io.github.striae.Striae.SetupTest%u",
                            g_str_hash (g_test_get_path ()));
  fixture->app = striae_application_new ();
  g_application_set_application_id (G_APPLICATION (fixture->app), app_id);
  g_application_set_flags (G_APPLICATION (fixture->app), G_APPLICATION_NON_UNIQUE);
  striae_application_set_database (fixture->app, fixture->database);
  g_assert_true (g_application_register (G_APPLICATION (fixture->app), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (fixture->app));
  g_assert_true (striae_test_wait_for (window_shown, fixture));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GList) windows = NULL;

  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (fixture->app)));
  for (GList *l = windows; l; l = l->next)
    gtk_window_destroy (l->data);
  striae_test_spin (100);
  g_clear_object (&fixture->app);
  striae_test_app_remove_database (fixture->database);
  g_rmdir (fixture->dir);
  g_clear_pointer (&fixture->database, g_free);
  g_clear_pointer (&fixture->dir, g_free);
}

static StriaeSetupPage *
setup_page (Fixture *fixture)
{
  GtkWidget *page = striae_window_get_setup_page (fixture->window);

  g_assert_true (STRIAE_IS_SETUP_PAGE (page));
  return STRIAE_SETUP_PAGE (page);
}

static GtkWidget *
find_row (GtkWidget  *widget,
          const char *title)
{
  if (ADW_IS_PREFERENCES_ROW (widget) &&
      g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_row (child, title);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static const char *
visible_error (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "error") &&
      gtk_widget_get_visible (widget))
    return gtk_label_get_text (GTK_LABEL (widget));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *found = visible_error (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Every text a person or a screen reader could get from @widget. */
static void
collect_texts (GtkWidget *widget,
               GString   *texts)
{
  if (GTK_IS_LABEL (widget))
    g_string_append_printf (texts, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));
  if (GTK_IS_EDITABLE (widget))
    g_string_append_printf (texts, "%s\n", gtk_editable_get_text (GTK_EDITABLE (widget)));
  if (ADW_IS_PREFERENCES_ROW (widget))
    g_string_append_printf (texts, "%s\n",
                            adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)));
  if (ADW_IS_ACTION_ROW (widget))
    g_string_append_printf (texts, "%s\n",
                            adw_action_row_get_subtitle (ADW_ACTION_ROW (widget)));
  if (ADW_IS_STATUS_PAGE (widget))
    g_string_append_printf (texts, "%s\n%s\n",
                            adw_status_page_get_title (ADW_STATUS_PAGE (widget)),
                            adw_status_page_get_description (ADW_STATUS_PAGE (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_texts (child, texts);
}

static char *
window_texts (Fixture *fixture)
{
  GString *texts = g_string_new (NULL);

  collect_texts (GTK_WIDGET (fixture->window), texts);
  return g_string_free (texts, FALSE);
}

/* Types the four fields and presses Enter in the last; the page is not waited for. */
static void
type_fields (Fixture    *fixture,
             const char *name,
             const char *password,
             const char *again)
{
  GtkWidget *page = GTK_WIDGET (setup_page (fixture));
  GtkWidget *again_row = find_row (page, _("Password Again"));

  gtk_editable_set_text (GTK_EDITABLE (find_row (page, _("Account Name"))), name);
  gtk_editable_set_text (GTK_EDITABLE (find_row (page, _("Display Name"))), DISPLAY);
  gtk_editable_set_text (GTK_EDITABLE (find_row (page, _("Password"))), password);
  gtk_editable_set_text (GTK_EDITABLE (again_row), again);
  g_signal_emit_by_name (again_row, "entry-activated");
}

/* A mistake is one sentence, on the field it is about, and nothing is made. */
static void
assert_refused (Fixture    *fixture,
                const char *name,
                const char *password,
                const char *again,
                const char *said,
                const char *row_title)
{
  StriaeStore *store = striae_application_get_store (fixture->app);
  GtkWidget *page = GTK_WIDGET (setup_page (fixture));
  const char *problem;

  type_fields (fixture, name, password, again);
  g_assert_false (striae_setup_page_get_busy (STRIAE_SETUP_PAGE (page)));
  problem = visible_error (page);
  g_assert_nonnull (problem);
  g_test_message ("%s", problem);
  g_assert_nonnull (strstr (problem, said));
  g_assert_nonnull (strchr (problem, '.'));
  g_assert_null (strchr (problem, '\n'));
  g_assert_true (gtk_widget_is_ancestor (gtk_window_get_focus (GTK_WINDOW (fixture->window)),
                                         find_row (page, row_title)));
  g_assert_true (striae_store_needs_setup (store));
  g_assert_cmpint (striae_test_app_query_int (fixture->database,
                                              "SELECT count (*) FROM accounts"), ==, 0);
}

static gboolean
setup_finished (gpointer data)
{
  Fixture *fixture = data;

  return striae_window_get_setup_page (fixture->window) == NULL;
}

/* Creates the administrator with the right fields: the work goes to a thread (the page is
 * busy at once, the records not yet changed), then the register comes. */
static void
create_admin (Fixture *fixture)
{
  StriaeSetupPage *page = setup_page (fixture);
  StriaeStore *store = striae_application_get_store (fixture->app);

  g_object_ref (page);
  type_fields (fixture, "  " ACCOUNT " ", PASSWORD, PASSWORD);
  g_assert_null (visible_error (GTK_WIDGET (page)));
  g_assert_true (striae_setup_page_get_busy (page));
  g_assert_true (striae_store_needs_setup (store));
  g_assert_true (striae_test_wait_for (setup_finished, fixture));
  g_assert_false (striae_setup_page_get_busy (page));
  /* The passwords do not stay in the page. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_row (GTK_WIDGET (page),
                                                                  _("Password")))), ==, "");
  g_object_unref (page);

  g_assert_false (striae_store_needs_setup (store));
  g_assert_true (striae_store_is_signed_in (store));
  g_assert_cmpstr (striae_store_get_account_name (store), ==, ACCOUNT);
  g_assert_cmpstr (striae_store_get_account_display_name (store), ==, DISPLAY);
  g_assert_false (striae_window_get_locked (fixture->window));
  /* From now on the windows lock. */
  g_assert_nonnull (striae_application_get_idle_lock (fixture->app));
}

/* The Preferences window, once one is shown. */
static GtkWindow *
preferences_shown (gpointer data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (STRIAE_IS_PREFERENCES (window) && gtk_widget_get_mapped (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

/* A button shown in @widget that activates @action. */
static gboolean
has_button (GtkWidget  *widget,
            const char *action)
{
  if (GTK_IS_BUTTON (widget) && gtk_widget_get_mapped (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_button (child, action))
      return TRUE;
  return FALSE;
}

static gboolean
preferences_open (gpointer data)
{
  return preferences_shown (data) != NULL;
}

/* A new file: the page says so, refuses each mistake with a sentence, then makes the
 * administrator, who is signed in with the register shown. */
static void
test_setup_new_file (Fixture       *fixture,
                     gconstpointer  data)
{
  StriaeSetupPage *page = setup_page (fixture);
  g_autofree char *texts = window_texts (fixture);
  g_autofree char *actor = NULL;
  guint n_windows;

  g_assert_true (striae_window_get_locked (fixture->window));
  g_assert_cmpint (striae_setup_page_get_entries_before (page), ==, 0);
  g_assert_nonnull (strstr (texts, "These patient records are new."));
  g_assert_nonnull (strstr (texts, "at least 8 characters"));
  g_assert_null (striae_application_get_idle_lock (fixture->app));
  /* Nothing of the register opens meanwhile, not even by a shortcut. */
  n_windows = g_list_model_get_n_items (gtk_window_get_toplevels ());
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.new-patient", NULL);
  striae_test_spin (100);
  g_assert_cmpuint (g_list_model_get_n_items (gtk_window_get_toplevels ()), ==, n_windows);
  /* Create Administrator is the window's default: Enter anywhere makes the account. */
  g_assert_true (gtk_widget_is_ancestor (gtk_window_get_default_widget (
                                           GTK_WINDOW (fixture->window)),
                                         GTK_WIDGET (page)));

  /* A clinic PC whose records are on the server goes there instead: Preferences, on its
   * Records page. */
  g_assert_true (has_button (GTK_WIDGET (page), "app.records"));
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "app.records", NULL);
  g_assert_true (striae_test_wait_for (preferences_open, NULL));
  {
    GtkWindow *preferences = preferences_shown (NULL);

    g_assert_true (adw_preferences_window_get_visible_page (
                     ADW_PREFERENCES_WINDOW (preferences)) ==
                   ADW_PREFERENCES_PAGE (striae_preferences_get_records_page (
                     STRIAE_PREFERENCES (preferences))));
    gtk_window_destroy (preferences);
  }

  assert_refused (fixture, "", PASSWORD, PASSWORD, "An account’s name", _("Account Name"));
  assert_refused (fixture, "anna roth", PASSWORD, PASSWORD, "An account’s name",
                  _("Account Name"));
  assert_refused (fixture, ACCOUNT, "short", "short", "at least 8 characters", _("Password"));
  assert_refused (fixture, ACCOUNT, PASSWORD, "correct hose", "The two passwords differ",
                  _("Password Again"));

  create_admin (fixture);
  actor = striae_test_app_query_text (fixture->database,
                                      "SELECT actor FROM audit WHERE action = 'accounts-start'");
  g_assert_cmpstr (actor, ==, "account:" ACCOUNT);
  g_assert_cmpint (striae_store_get_accounts_start (striae_application_get_store (fixture->app)),
                   ==, 0);
}

/* Records kept before accounts: the page says that their entries stay "before accounts",
 * shows none of their patients, and after the administrator is made the register has them
 * and the old entries name no account. */
static void
test_setup_before_accounts (Fixture       *fixture,
                            gconstpointer  data)
{
  StriaeSetupPage *page = setup_page (fixture);
  StriaeStore *store = striae_application_get_store (fixture->app);
  g_autofree char *texts = window_texts (fixture);
  g_autofree char *where = NULL;
  g_autofree char *after = NULL;

  g_assert_cmpint (striae_setup_page_get_entries_before (page), ==, fixture->entries_before);
  g_assert_nonnull (strstr (texts, "kept before Striae had accounts"));
  g_assert_nonnull (strstr (texts, "“before accounts”"));
  for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
    g_assert_null (strstr (texts, secrets[i]));

  create_admin (fixture);
  g_assert_cmpint (striae_store_get_accounts_start (store), ==, fixture->entries_before);
  where = g_strdup_printf ("SELECT count (*) FROM audit WHERE id <= %" G_GINT64_FORMAT
                           " AND actor LIKE 'account:%%'", fixture->entries_before);
  g_assert_cmpint (striae_test_app_query_int (fixture->database, where), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (striae_window_get_patients (fixture->window)),
                    ==, 1);
  striae_test_spin (200);
  after = window_texts (fixture);
  g_assert_nonnull (strstr (after, "Quast-Bellmann"));
}

/* With STRIAE_SCREENSHOT_DIR set, saves what @widget shows as NAME.png there, for a person
 * to look at (LANGUAGE=de for the translation; tests/striae-test-window.h). */
static void
screenshot (GtkWidget  *widget,
            const char *name)
{
  g_autofree char *file = g_strconcat (name, ".png", NULL);

  striae_test_window_save_png (widget, file);
}

/* The page fits a 360 px wide window, with a mistake said. */
static void
test_setup_narrow (Fixture       *fixture,
                   gconstpointer  data)
{
  GtkWidget *page = GTK_WIDGET (setup_page (fixture));
  const char *kind = data != NULL ? "before-accounts" : "new";
  g_autofree char *wide = g_strdup_printf ("setup-page-%s", kind);
  g_autofree char *narrow = g_strdup_printf ("setup-page-%s-narrow", kind);
  int minimum = 0;

  gtk_window_unmaximize (GTK_WINDOW (fixture->window));
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1000, 760);
  striae_test_spin (300);
  screenshot (GTK_WIDGET (fixture->window), wide);
  /* In the language of the screenshots, too. */
  assert_refused (fixture, ACCOUNT, PASSWORD, "correct hose",
                  _("The two passwords differ: type the same password in both fields."),
                  _("Password Again"));
  gtk_widget_measure (page, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_assert_cmpint (minimum, <=, 360);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 360, 640);
  striae_test_spin (300);
  screenshot (GTK_WIDGET (fixture->window), narrow);
}

static gboolean
stdin_closed_cb (GIOChannel   *channel,
                 GIOCondition  condition,
                 gpointer      data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* For tests/a11y-setup.py: the window on the setup page of records kept before accounts;
 * says "SETUP" on standard output and runs until standard input closes, so that a screen
 * reader's view of it can be read over AT-SPI and the administrator made there. */
static int
run_setup_window (void)
{
  g_autoptr(GIOChannel) input = g_io_channel_unix_new (0);
  Fixture fixture = { 0 };
  gboolean done = FALSE;

  g_set_prgname ("striae-setup-test");
  gtk_init ();
  adw_init ();
  fixture_set_up (&fixture, "before accounts");
  striae_test_spin (300);
  g_print ("SETUP\n");
  fflush (stdout);

  g_io_add_watch (input, G_IO_IN | G_IO_HUP | G_IO_ERR, stdin_closed_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  fixture_tear_down (&fixture, NULL);
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *localedir = NULL;

  /* The build's translations, for screenshots with LANGUAGE=de. */
  setlocale (LC_ALL, "");
  localedir = g_build_filename (g_getenv ("STRIAE_BUILD_ROOT"), "po", NULL);
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc > 1 && g_str_equal (argv[1], "--setup-window"))
    return run_setup_window ();

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/setup/new-file", Fixture, NULL, fixture_set_up, test_setup_new_file,
              fixture_tear_down);
  g_test_add ("/setup/before-accounts", Fixture, "before accounts", fixture_set_up,
              test_setup_before_accounts, fixture_tear_down);
  g_test_add ("/setup/narrow", Fixture, NULL, fixture_set_up, test_setup_narrow,
              fixture_tear_down);
  g_test_add ("/setup/narrow-before-accounts", Fixture, "before accounts", fixture_set_up,
              test_setup_narrow, fixture_tear_down);

  return g_test_run ();
}
