/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "striae-application.h"
#include "striae-clinic-cache.h"
#include "striae-authenticator.h"
#include "striae-idle-lock.h"
#include "striae-lock-page.h"
#include "striae-store-authenticator.h"
#include "striae-patient-editor.h"
#include "striae-window.h"
#include "striae-wizard-private.h"
#include "striae-test-app.h"
#include "striae-test-cli.h"
#include "striae-test-date.h"
#include "striae-test-files.h"
#include "striae-test-store.h"
#include "striae-test-window.h"

/* Long enough for a slow machine under a sanitizer; a passing run takes a fraction of it. */

#define MINUTE ((gint64) 60 * G_USEC_PER_SEC)

#define ACCOUNT "dr.weber"
#define PASSWORD "correct horse"

/* What the lock must hide: the patient's names, date of birth (as the app shows it and as
 * ISO), phone, and a consultation's typed text. */
static const char * const secrets[] = {
  "Henrike", "Quast-Bellmann", "1979-03-14", "14/03/1979", "14.03.1979", "03/14/1979",
  "5550 1234", "Isotretinoin until May",
};

static void screenshot (GtkWidget  *widget,
                        const char *name);

/* A fake of the records layer's accounts: one account, one password, answered from an idle
 * like a real check would be from a thread. */
#define TEST_TYPE_AUTHENTICATOR (test_authenticator_get_type ())
G_DECLARE_FINAL_TYPE (TestAuthenticator, test_authenticator, TEST, AUTHENTICATOR, GObject)

struct _TestAuthenticator
{
  GObject  parent_instance;
  char    *account;
  guint    n_checks;
  gboolean hold;    /* answer nothing until the test releases the check */
  GTask   *held;
};

static void test_authenticator_iface_init (StriaeAuthenticatorInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestAuthenticator, test_authenticator, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (STRIAE_TYPE_AUTHENTICATOR,
                                                      test_authenticator_iface_init))

static const char *
test_authenticator_get_account (StriaeAuthenticator *authenticator)
{
  return TEST_AUTHENTICATOR (authenticator)->account;
}

static void
test_authenticator_check_async (StriaeAuthenticator *authenticator,
                                const char          *name,
                                const char          *password,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  TestAuthenticator *self = TEST_AUTHENTICATOR (authenticator);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  gboolean known = g_str_equal (name, ACCOUNT) || g_str_equal (name, "assistant.kim");

  self->n_checks++;
  if (self->hold)
    {
      /* As a check that waits for a large file's own check: the answer comes later. */
      g_set_object (&self->held, task);
      return;
    }
  if (known && g_str_equal (password, PASSWORD))
    {
      g_free (self->account);
      self->account = g_strdup (name);
      g_task_return_boolean (task, TRUE);
    }
  else
    {
      g_task_return_new_error (task, STRIAE_AUTHENTICATOR_ERROR,
                               STRIAE_AUTHENTICATOR_ERROR_WRONG_PASSWORD,
                               "The name or the password is wrong.");
    }
}

static gboolean
test_authenticator_check_finish (StriaeAuthenticator  *authenticator,
                                 GAsyncResult         *result,
                                 GError              **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
test_authenticator_iface_init (StriaeAuthenticatorInterface *iface)
{
  iface->get_account = test_authenticator_get_account;
  iface->check_async = test_authenticator_check_async;
  iface->check_finish = test_authenticator_check_finish;
}

static void
test_authenticator_finalize (GObject *object)
{
  g_free (TEST_AUTHENTICATOR (object)->account);
  g_clear_object (&TEST_AUTHENTICATOR (object)->held);
  G_OBJECT_CLASS (test_authenticator_parent_class)->finalize (object);
}

static void
test_authenticator_class_init (TestAuthenticatorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_authenticator_finalize;
}

static void
test_authenticator_init (TestAuthenticator *self)
{
  self->account = g_strdup (ACCOUNT);
}

/* The test's clock: it moves only when the test says. */
typedef struct
{
  gint64 now;
} Clock;

static gint64
clock_now (gpointer user_data)
{
  return ((Clock *) user_data)->now;
}

static gboolean
is_locked (gpointer data)
{
  return striae_idle_lock_get_locked (data);
}

static gboolean
is_watching (gpointer data)
{
  return striae_idle_lock_get_watching_desktop (data);
}

/* Five minutes without input lock; a minute less does not; the time starts again at the
 * unlock. */
static void
test_lock_idle_clock (void)
{
  g_autoptr(StriaeIdleLock) lock = striae_idle_lock_new ();
  Clock clock = { 1000 * MINUTE };

  striae_idle_lock_set_clock (lock, clock_now, &clock);
  g_assert_cmpuint (striae_idle_lock_get_minutes (lock), ==, 5);
  g_assert_false (striae_idle_lock_get_locked (lock));

  clock.now += 5 * MINUTE - 1;
  g_assert_false (striae_idle_lock_check (lock));
  clock.now += 1;
  g_assert_true (striae_idle_lock_check (lock));
  g_assert_true (striae_idle_lock_get_locked (lock));

  /* Input on the lock page counts for nothing. */
  striae_idle_lock_note_activity (lock);
  g_assert_true (striae_idle_lock_get_locked (lock));

  striae_idle_lock_unlock (lock);
  g_assert_false (striae_idle_lock_get_locked (lock));
  clock.now += 4 * MINUTE;
  g_assert_false (striae_idle_lock_check (lock));

  /* A clinic's shorter time applies at once. */
  striae_idle_lock_set_minutes (lock, 2);
  g_assert_true (striae_idle_lock_check (lock));
}

/* Input resets the idle time: noted activity, and real pointer motion over a watched window
 * (xdotool moves the X pointer on the test's Xvfb). */
static void
test_lock_input_resets (void)
{
  g_autoptr(StriaeIdleLock) lock = striae_idle_lock_new ();
  g_autofree char *xdotool = g_find_program_in_path ("xdotool");
  Clock clock = { 1000 * MINUTE };
  GtkWindow *window;

  striae_idle_lock_set_clock (lock, clock_now, &clock);
  clock.now += 4 * MINUTE;
  striae_idle_lock_note_activity (lock);
  clock.now += 4 * MINUTE;
  g_assert_false (striae_idle_lock_check (lock));
  g_assert_cmpint (striae_idle_lock_get_idle_time (lock), ==, 4 * MINUTE);

  if (xdotool == NULL)
    {
      if (g_getenv ("CI") != NULL)
        g_error ("xdotool is needed to move the pointer (package xdotool)");
      g_test_skip ("xdotool not found: real pointer input not tried");
      return;
    }

  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (window, 400, 300);
  striae_idle_lock_watch_window (lock, window);
  gtk_window_present (window);
  striae_test_spin (300);

  for (int step = 0; step < 20 && striae_idle_lock_get_idle_time (lock) != 0; step++)
    {
      g_autofree char *command = g_strdup_printf ("%s mousemove %d %d", xdotool,
                                                  50 + step * 7, 60 + step * 5);

      g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL));
      striae_test_spin (100);
    }
  /* The motion was noted at the test clock's "now": no idle time left. */
  g_assert_cmpint (striae_idle_lock_get_idle_time (lock), ==, 0);
  clock.now += 4 * MINUTE;
  g_assert_false (striae_idle_lock_check (lock));
  clock.now += MINUTE;
  g_assert_true (striae_idle_lock_check (lock));

  gtk_window_destroy (window);
}

static void
emit_screensaver (GDBusConnection *bus,
                  gboolean         active)
{
  g_autoptr(GError) error = NULL;

  g_dbus_connection_emit_signal (bus, NULL, "/org/gnome/ScreenSaver", "org.gnome.ScreenSaver",
                                 "ActiveChanged", g_variant_new ("(b)", active), &error);
  g_assert_no_error (error);
  g_dbus_connection_flush_sync (bus, NULL, &error);
  g_assert_no_error (error);
}

/* The desktop's screen lock locks at once, on the private session bus of tests/run-headless;
 * the screen saver going off unlocks nothing. The system bus may be missing: no warning. */
static void
test_lock_screensaver_signal (void)
{
  g_autoptr(StriaeIdleLock) lock = striae_idle_lock_new ();
  g_autoptr(GDBusConnection) sender = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;

  address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  sender = g_dbus_connection_new_for_address_sync (address,
                                                   G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                   G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                   NULL, NULL, &error);
  g_assert_no_error (error);

  striae_idle_lock_watch_desktop (lock);
  g_assert_true (striae_test_wait_for (is_watching, lock));
  /* The match rule reaches the bus with the first message the lock sends after subscribing;
   * a round trip of the lock's own connection makes sure it is in place. */
  striae_test_spin (200);

  emit_screensaver (sender, FALSE);
  striae_test_spin (300);
  g_assert_false (striae_idle_lock_get_locked (lock));

  emit_screensaver (sender, TRUE);
  g_assert_true (striae_test_wait_for (is_locked, lock));
  g_dbus_connection_close_sync (sender, NULL, NULL);
}

/* Every text a person or a screen reader could get from the windows now: titles, labels,
 * fields, row titles and subtitles, status pages, buttons, tooltips. */
static void
collect_texts (GtkWidget *widget,
               GPtrArray *texts)
{
  if (GTK_IS_LABEL (widget))
    g_ptr_array_add (texts, g_strdup (gtk_label_get_text (GTK_LABEL (widget))));
  if (GTK_IS_EDITABLE (widget))
    g_ptr_array_add (texts, g_strdup (gtk_editable_get_text (GTK_EDITABLE (widget))));
  if (ADW_IS_PREFERENCES_ROW (widget))
    g_ptr_array_add (texts,
                     g_strdup (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget))));
  if (ADW_IS_ACTION_ROW (widget))
    g_ptr_array_add (texts, g_strdup (adw_action_row_get_subtitle (ADW_ACTION_ROW (widget))));
  if (ADW_IS_EXPANDER_ROW (widget))
    g_ptr_array_add (texts, g_strdup (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (widget))));
  if (ADW_IS_WINDOW_TITLE (widget))
    {
      g_ptr_array_add (texts, g_strdup (adw_window_title_get_title (ADW_WINDOW_TITLE (widget))));
      g_ptr_array_add (texts, g_strdup (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (widget))));
    }
  if (ADW_IS_STATUS_PAGE (widget))
    {
      g_ptr_array_add (texts, g_strdup (adw_status_page_get_title (ADW_STATUS_PAGE (widget))));
      g_ptr_array_add (texts,
                       g_strdup (adw_status_page_get_description (ADW_STATUS_PAGE (widget))));
    }
  if (GTK_IS_BUTTON (widget))
    g_ptr_array_add (texts, g_strdup (gtk_button_get_label (GTK_BUTTON (widget))));
  if (GTK_IS_WINDOW (widget))
    g_ptr_array_add (texts, g_strdup (gtk_window_get_title (GTK_WINDOW (widget))));
  g_ptr_array_add (texts, g_strdup (gtk_widget_get_tooltip_text (widget)));

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_texts (child, texts);
}

/* The first secret any window shows, or NULL. */
static const char *
find_secret (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      collect_texts (window, texts);
    }
  for (guint i = 0; i < texts->len; i++)
    for (guint s = 0; s < G_N_ELEMENTS (secrets); s++)
      if (texts->pdata[i] != NULL && strstr (texts->pdata[i], secrets[s]) != NULL)
        return secrets[s];
  return NULL;
}

static GtkWidget *
find_widget (GtkWidget *widget,
             GType      type)
{
  if (g_type_is_a (G_OBJECT_TYPE (widget), type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
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

static GtkLabel *
find_visible_error (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "error") &&
      gtk_widget_get_visible (widget))
    return GTK_LABEL (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found = find_visible_error (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

typedef struct
{
  char                *dir;
  char                *database;
  gint64               patient_id;
  StriaeApplication   *app;
  TestAuthenticator   *authenticator;
  StriaeWindow        *window;
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

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(StriaePatient) patient = striae_patient_new ();
  g_autoptr(StriaeStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *app_id = NULL;

  fixture->dir = g_dir_make_tmp ("striae-lock-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->database = g_build_filename (fixture->dir, "striae.db", NULL);
  store = striae_test_app_open_with_admin (fixture->database);
  striae_patient_set_given_name (patient, "Henrike");
  striae_patient_set_family_name (patient, "Quast-Bellmann");
  striae_patient_set_birth_date (patient, striae_test_date ("1979-03-14"));
  striae_patient_set_phone (patient, "+49 30 5550 1234");
  g_assert_true (striae_store_add_patient (store, patient, &error));
  g_assert_no_error (error);
  fixture->patient_id = striae_patient_get_id (patient);
  g_clear_object (&store);

  /* A registered application stays exported on the session bus for the rest of the process:
   * each test under an id of its own. */
  app_id = g_strdup_printf ("io.github.striae.Striae.LockTest%u", g_str_hash (g_test_get_path ()));
  fixture->app = striae_application_new ();
  g_application_set_application_id (G_APPLICATION (fixture->app), app_id);
  g_application_set_flags (G_APPLICATION (fixture->app), G_APPLICATION_NON_UNIQUE);
  striae_application_set_database (fixture->app, fixture->database);
  g_assert_true (g_application_register (G_APPLICATION (fixture->app), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (fixture->app));
  g_assert_true (striae_test_wait_for (window_shown, fixture));
  /* The records have accounts: the window opens on the sign-in. Past it, the lock asks the
   * fake from now on. */
  striae_test_app_sign_in (fixture->app);
  fixture->authenticator = g_object_new (TEST_TYPE_AUTHENTICATOR, NULL);
  striae_application_set_authenticator (fixture->app,
                                         STRIAE_AUTHENTICATOR (fixture->authenticator));
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
  g_clear_object (&fixture->authenticator);
  for (const char *suffix = ""; suffix != NULL; suffix = g_str_equal (suffix, "") ? "-wal" :
       g_str_equal (suffix, "-wal") ? "-shm" : NULL)
    {
      g_autofree char *file = g_strconcat (fixture->database, suffix, NULL);

      g_remove (file);
    }
  g_rmdir (fixture->dir);
  g_clear_pointer (&fixture->database, g_free);
  g_clear_pointer (&fixture->dir, g_free);
}

static gboolean
wizard_on_history (gpointer data)
{
  StriaeWizard *wizard = data;

  return gtk_widget_get_mapped (GTK_WIDGET (wizard)) &&
         g_strcmp0 (striae_wizard_get_page (wizard), "history") == 0;
}

static gboolean
window_unlocked (gpointer data)
{
  return !striae_window_get_locked (data);
}

static gboolean
page_idle (gpointer data)
{
  return !striae_lock_page_get_busy (data);
}

/* Types @password (and @name, when given, after "Sign In as Someone Else") on the lock page
 * and presses Enter in the password field. */
static void
type_password (StriaeLockPage *page,
               const char     *name,
               const char     *password)
{
  GtkWidget *password_row = find_row (GTK_WIDGET (page), _("Password"));

  if (name != NULL)
    {
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "lock.other-account", NULL));
      gtk_editable_set_text (GTK_EDITABLE (find_row (GTK_WIDGET (page), _("Account Name"))), name);
    }
  gtk_editable_set_text (GTK_EDITABLE (password_row), password);
  g_signal_emit_by_name (password_row, "entry-activated");
  g_assert_true (striae_test_wait_for (page_idle, page));
}

/* Opens the patient, starts a consultation, types the medicines on the history page and
 * opens the patient's editor; returns the wizard. */
static StriaeWizard *
open_patient_and_draft (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  StriaeWizard *wizard;
  GtkWidget *medication;
  StriaePatientEditor *editor;

  g_assert_true (striae_window_show_patient (fixture->window, fixture->patient_id, &error));
  g_assert_no_error (error);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window),
                                             "win.new-consultation", NULL));
  wizard = STRIAE_WIZARD (find_widget (GTK_WIDGET (fixture->window), STRIAE_TYPE_WIZARD));
  g_assert_nonnull (wizard);
  striae_test_spin (100);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.next", NULL));
  g_assert_true (striae_test_wait_for (wizard_on_history, wizard));
  medication = find_row (striae_wizard_get_page_widget (wizard, "history"),
                         "Medicines taken now");
  g_assert_nonnull (medication);
  gtk_editable_set_text (GTK_EDITABLE (medication), "Isotretinoin until May");
  gtk_widget_grab_focus (medication);

  editor = striae_patient_editor_new (striae_application_get_store (fixture->app),
                                      striae_patient_page_get_patient (
                                        striae_window_get_patient_page (fixture->window)));
  gtk_window_set_transient_for (GTK_WINDOW (editor), GTK_WINDOW (fixture->window));
  gtk_window_present (GTK_WINDOW (editor));
  striae_test_spin (200);
  return wizard;
}

/* While locked no window holds a patient's name, date of birth, phone or consultation text;
 * the draft was saved first. A wrong password stays locked and says so; the right one brings
 * back the same patient, the wizard on the same page, the text typed, the editor. */
static void
test_lock_window (Fixture       *fixture,
                  gconstpointer  data)
{
  StriaeIdleLock *lock = striae_application_get_idle_lock (fixture->app);
  g_autoptr(StriaeStore) store = NULL;
  g_autoptr(StriaeConsultation) saved = NULL;
  g_autoptr(GError) error = NULL;
  StriaeLockPage *page;
  StriaeWizard *wizard;
  GtkLabel *problem;
  gint64 consultation_id;
  guint n_windows;

  g_assert_nonnull (lock);
  wizard = open_patient_and_draft (fixture);
  /* The walk finds what it looks for: the test can fail. */
  g_assert_cmpstr (find_secret (), !=, NULL);

  striae_idle_lock_lock (lock);
  striae_test_spin (200);
  g_assert_true (striae_window_get_locked (fixture->window));
  g_assert_cmpstr (find_secret (), ==, NULL);
  for (guint i = 0; i < g_list_model_get_n_items (gtk_window_get_toplevels ()); i++)
    {
      g_autoptr(GtkWidget) toplevel = g_list_model_get_item (gtk_window_get_toplevels (), i);

      if (STRIAE_IS_PATIENT_EDITOR (toplevel))
        screenshot (toplevel, "locked-editor");
    }
  g_assert_false (gtk_widget_get_realized (GTK_WIDGET (wizard)));
  g_assert_false (gtk_widget_get_realized (
                    GTK_WIDGET (striae_window_get_patient_page (fixture->window))));
  g_assert_false (gtk_widget_is_ancestor (GTK_WIDGET (wizard), GTK_WIDGET (fixture->window)));
  /* Nothing that shows patients opens meanwhile. */
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (fixture->app),
                                                     "preferences"));
  n_windows = g_list_model_get_n_items (gtk_window_get_toplevels ());
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.new-patient", NULL);
  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "preferences", NULL);
  striae_test_spin (100);
  g_assert_cmpuint (g_list_model_get_n_items (gtk_window_get_toplevels ()), ==, n_windows);

  /* The draft was saved before the lock. */
  consultation_id = striae_consultation_get_id (striae_wizard_get_consultation (wizard));
  g_assert_cmpint (consultation_id, >, 0);
  store = striae_store_open (fixture->database, &error);
  g_assert_no_error (error);
  saved = striae_store_get_consultation (store, consultation_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (striae_history_get_medication (striae_consultation_get_history (saved)), ==,
                   "Isotretinoin until May");

  page = striae_window_get_lock_page (fixture->window);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (page)));
  g_assert_cmpstr (striae_lock_page_get_account (page), ==, ACCOUNT);

  /* A wrong password: still locked, and the page says so. */
  type_password (page, NULL, "wrong horse");
  striae_test_spin (100);
  g_assert_true (striae_window_get_locked (fixture->window));
  g_assert_true (striae_idle_lock_get_locked (lock));
  problem = find_visible_error (GTK_WIDGET (page));
  g_assert_nonnull (problem);
  g_assert_cmpstr (gtk_label_get_text (problem), ==,
                   "Wrong password for " ACCOUNT " (1 failed try). Type it again.");
  g_assert_cmpstr (find_secret (), ==, NULL);
  type_password (page, NULL, "still wrong");
  problem = find_visible_error (GTK_WIDGET (page));
  g_assert_cmpstr (gtk_label_get_text (problem), ==,
                   "Wrong password for " ACCOUNT " (2 failed tries). Type it again.");

  /* The right one: everything where it was. */
  type_password (page, NULL, PASSWORD);
  g_assert_true (striae_test_wait_for (window_unlocked, fixture->window));
  g_assert_false (striae_idle_lock_get_locked (lock));
  g_assert_true (striae_test_wait_for (wizard_on_history, wizard));
  g_assert_cmpint (striae_patient_get_id (striae_wizard_get_patient (wizard)), ==,
                   fixture->patient_id);
  g_assert_cmpint (striae_consultation_get_id (striae_wizard_get_consultation (wizard)), ==,
                   consultation_id);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (
                     find_row (striae_wizard_get_page_widget (wizard, "history"),
                               "Medicines taken now"))), ==, "Isotretinoin until May");
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (fixture->app),
                                                    "preferences"));
  g_assert_cmpstr (find_secret (), !=, NULL);
}

/* Another account signs in instead: the previous draft is saved and closed, the window
 * starts from the list. */
static void
test_lock_other_account (Fixture       *fixture,
                         gconstpointer  data)
{
  StriaeIdleLock *lock = striae_application_get_idle_lock (fixture->app);
  StriaeLockPage *page;
  StriaeWizard *wizard;

  wizard = open_patient_and_draft (fixture);
  striae_idle_lock_lock (lock);
  striae_test_spin (100);
  page = striae_window_get_lock_page (fixture->window);
  type_password (page, "assistant.kim", PASSWORD);
  g_assert_true (striae_test_wait_for (window_unlocked, fixture->window));
  g_assert_null (striae_patient_page_get_patient (striae_window_get_patient_page (
                                                    fixture->window)));
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (wizard)));
}

static gboolean
lock_after_two (gpointer data)
{
  return striae_idle_lock_get_minutes (data) == 2;
}

/* The clinic's setting reaches the lock at once. On a file with accounts it is the records'
 * (issue 16): this PC's setting, which anyone at the PC can change, no longer moves it; an
 * administrator's save does. */
static void
test_lock_setting (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.striae.Striae");
  StriaeIdleLock *lock = striae_application_get_idle_lock (fixture->app);
  StriaeStore *store = striae_application_get_store (fixture->app);
  g_autoptr(StriaeClinic) clinic = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (striae_idle_lock_get_minutes (lock), ==, 5);
  g_settings_set_uint (settings, "lock-after-minutes", 60);
  striae_test_spin (100);
  g_assert_cmpuint (striae_idle_lock_get_minutes (lock), ==, 5);
  g_settings_reset (settings, "lock-after-minutes");

  clinic = striae_store_load_clinic (store, &error);
  g_assert_no_error (error);
  striae_clinic_set_lock_minutes (clinic, 2);
  g_assert_true (striae_store_save_clinic (store, clinic, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (striae_test_wait_for (lock_after_two, lock));
}


/* With STRIAE_SCREENSHOT_DIR set, saves what @widget shows as NAME.png there, for a person
 * to look at (LANGUAGE=de or fr for the translations; tests/striae-test-window.h). */
static void
screenshot (GtkWidget  *widget,
            const char *name)
{
  g_autofree char *file = g_strconcat (name, ".png", NULL);

  striae_test_window_save_png (widget, file);
}

/* The lock page fits a 360 px wide window (a phone-sized or split screen), with a wrong
 * password said, and Unlock is the window's default. */
static void
test_lock_page_narrow (Fixture       *fixture,
                       gconstpointer  data)
{
  StriaeLockPage *page;
  int minimum = 0;

  striae_idle_lock_lock (striae_application_get_idle_lock (fixture->app));
  striae_test_spin (200);
  /* Each lock has a page of its own. */
  page = striae_window_get_lock_page (fixture->window);
  screenshot (GTK_WIDGET (fixture->window), "lock-page");
  type_password (page, NULL, "wrong horse");
  gtk_widget_measure (GTK_WIDGET (page), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL,
                      NULL, NULL);
  g_assert_cmpint (minimum, <=, 360);
  gtk_window_unmaximize (GTK_WINDOW (fixture->window));
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 360, 640);
  striae_test_spin (300);
  screenshot (GTK_WIDGET (fixture->window), "lock-page-narrow");
  gtk_widget_activate_action (GTK_WIDGET (page), "lock.other-account", NULL);
  screenshot (GTK_WIDGET (fixture->window), "lock-page-other-account");
  g_assert_true (gtk_widget_get_receives_default (
                   gtk_window_get_default_widget (GTK_WINDOW (fixture->window))));
  g_assert_true (gtk_widget_is_ancestor (
                   gtk_window_get_default_widget (GTK_WINDOW (fixture->window)),
                   GTK_WIDGET (page)));
}

/* The label beside the page's spinner, when the spinner shows. */
static const char *
signing_in_text (StriaeLockPage *page)
{
  GtkWidget *spinner = find_widget (GTK_WIDGET (page), GTK_TYPE_SPINNER);

  g_assert_nonnull (spinner);
  if (!gtk_widget_is_visible (spinner) || !gtk_spinner_get_spinning (GTK_SPINNER (spinner)))
    return NULL;
  g_assert_true (GTK_IS_LABEL (gtk_widget_get_next_sibling (spinner)));
  return gtk_label_get_text (GTK_LABEL (gtk_widget_get_next_sibling (spinner)));
}

/* A password whose check takes a while (the sign-in of a large file not closed cleanly waits
 * for the file's check) shows that it is being checked, in place of the last try's problem,
 * and the page goes back to its fields when the answer comes. */
static void
test_lock_signing_in (Fixture       *fixture,
                      gconstpointer  data)
{
  StriaeLockPage *page;
  g_autoptr(GTask) held = NULL;

  striae_idle_lock_lock (striae_application_get_idle_lock (fixture->app));
  striae_test_spin (200);
  page = striae_window_get_lock_page (fixture->window);
  g_assert_null (signing_in_text (page));
  type_password (page, NULL, "wrong horse");
  g_assert_nonnull (find_visible_error (GTK_WIDGET (page)));
  g_assert_null (signing_in_text (page));

  fixture->authenticator->hold = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (find_row (GTK_WIDGET (page), _("Password"))), PASSWORD);
  g_signal_emit_by_name (find_row (GTK_WIDGET (page), _("Password")), "entry-activated");
  striae_test_spin (100);
  g_assert_true (striae_lock_page_get_busy (page));
  g_assert_cmpstr (signing_in_text (page), ==, _("Signing in…"));
  g_assert_null (find_visible_error (GTK_WIDGET (page)));
  screenshot (GTK_WIDGET (fixture->window), "lock-page-signing-in");

  held = g_steal_pointer (&fixture->authenticator->held);
  g_assert_nonnull (held);
  g_task_return_boolean (held, TRUE);
  g_assert_true (striae_test_wait_for (page_idle, page));
  g_assert_null (signing_in_text (page));
  g_assert_true (striae_test_wait_for (window_unlocked, fixture->window));
}

/* `striae --user NAME` (issue 15: the window never waits): the application run as from the
 * command line, the password on standard input, on records whose sign-in is slow: not closed
 * cleanly, so that the sign-in's audit row waits for the check of the whole file, made slow
 * here as on a million patients' file. A ticker on the window's thread watches what the
 * window shows, and how long that thread goes without turning. */

/* How long the check of the file takes here: far longer than a frame, or Argon2id. */
#define START_CHECK_DELAY_MS 3000

typedef enum
{
  START_WAITING,   /* no window yet */
  START_BUSY,      /* the sign-in page says "Signing in…" */
  START_ANSWERED,  /* the page is idle again */
  START_DONE,
} StartPhase;

typedef struct
{
  StriaeApplication *app;
  StartPhase         phase;
  gboolean           quit_when_busy;  /* quit while the password is being checked */
  gint64             deadline;
  gint64             last_tick;
  gint64             longest_gap;     /* while busy: the longest time between two ticks */
  gint64             longest_start;   /* the same from the start until the answer, the
                                       * start-up (GTK, the records, the window) included */
  gint64             busy_since;
  gint64             busy_for;
  gboolean           unlocked_first;  /* the register came without the busy page */
  gboolean           timed_out;
  char              *name_shown;      /* the account name on the page while busy */
  char              *signing_in;      /* the text beside its spinner */
  const char        *secret_shown;    /* a patient detail readable while busy */
  gboolean           register_shown;
  char              *problem;         /* the problem the page says after the answer */
  gboolean           password_focused; /* then: typing goes to the password field */
  GString           *printed;         /* what went to standard error */
} StartRun;

static StartRun *printing_run;

static void
capture_printerr (const char *text)
{
  g_string_append (printing_run->printed, text);
}

/* Records with the test's administrator and a patient, closed as by a crash: no note of a
 * clean close beside the file, so that the next opening checks it before its first write. */
static char *
make_start_records (const char *dir)
{
  g_autofree char *database = g_build_filename (dir, "striae.db", NULL);
  g_autofree char *note = g_strconcat (database, "-checked", NULL);
  g_autoptr(StriaePatient) patient = striae_patient_new ();
  g_autoptr(StriaeStore) store = striae_test_app_open_with_admin (database);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GError) error = NULL;

  striae_patient_set_given_name (patient, "Henrike");
  striae_patient_set_family_name (patient, "Quast-Bellmann");
  striae_patient_set_birth_date (patient, striae_test_date ("1979-03-14"));
  g_assert_true (striae_store_add_patient (store, patient, &error));
  g_assert_no_error (error);
  /* The one-time copy of this PC's clinic settings, which the first window on records with
   * accounts makes (a write), made here: this test is about the sign-in. */
  g_assert_true (striae_clinic_cache_adopt (store, settings, &error));
  g_assert_no_error (error);
  g_clear_object (&store);
  g_unlink (note);
  return g_steal_pointer (&database);
}

static StriaeWindow *
start_window (StriaeApplication *app)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l; l = l->next)
    if (STRIAE_IS_WINDOW (l->data) && gtk_widget_get_mapped (l->data))
      return l->data;
  return NULL;
}

static void
start_quit (StartRun *run)
{
  run->phase = START_DONE;
  g_action_group_activate_action (G_ACTION_GROUP (run->app), "quit", NULL);
}

static gboolean
start_tick_cb (gpointer data)
{
  StartRun *run = data;
  gint64 now = g_get_monotonic_time ();
  StriaeWindow *window = start_window (run->app);
  StriaeLockPage *page;

  if (run->phase == START_BUSY)
    run->longest_gap = MAX (run->longest_gap, now - run->last_tick);
  if (run->phase <= START_BUSY)
    run->longest_start = MAX (run->longest_start, now - run->last_tick);
  run->last_tick = now;
  if (run->phase == START_DONE)
    return G_SOURCE_REMOVE;
  if (now > run->deadline)
    {
      run->timed_out = TRUE;
      start_quit (run);
      return G_SOURCE_REMOVE;
    }
  if (window == NULL)
    return G_SOURCE_CONTINUE;

  if (!striae_window_get_locked (window))
    {
      /* Signed in: the register comes, with the patient's row. */
      if (run->phase == START_WAITING)
        run->unlocked_first = TRUE;
      if (run->phase == START_BUSY)
        run->busy_for = now - run->busy_since;
      run->phase = START_ANSWERED;
      if (find_secret () == NULL)
        return G_SOURCE_CONTINUE;
      run->register_shown = TRUE;
      screenshot (GTK_WIDGET (window), "start-user-signed-in");
      start_quit (run);
      return G_SOURCE_REMOVE;
    }

  page = striae_window_get_lock_page (window);
  if (run->phase == START_WAITING && striae_lock_page_get_busy (page))
    {
      run->phase = START_BUSY;
      run->busy_since = now;
      run->name_shown = g_strdup (gtk_editable_get_text (
                                    GTK_EDITABLE (find_row (GTK_WIDGET (page),
                                                            _("Account Name")))));
      run->signing_in = g_strdup (signing_in_text (page));
      run->secret_shown = find_secret ();
      if (run->quit_when_busy)
        {
          start_quit (run);
          return G_SOURCE_REMOVE;
        }
      screenshot (GTK_WIDGET (window), "start-user-signing-in");
      /* A screenshot's settling time is the test's, not a stall of the window. */
      run->last_tick = g_get_monotonic_time ();
    }
  else if (run->phase == START_BUSY && !striae_lock_page_get_busy (page))
    {
      run->phase = START_ANSWERED;
      run->busy_for = now - run->busy_since;
    }
  else if (run->phase == START_ANSWERED && find_visible_error (GTK_WIDGET (page)) != NULL)
    {
      GtkWidget *focus = gtk_window_get_focus (GTK_WINDOW (window));
      GtkWidget *password_row = find_row (GTK_WIDGET (page), _("Password"));

      run->problem = g_strdup (gtk_label_get_text (find_visible_error (GTK_WIDGET (page))));
      run->password_focused = focus != NULL && (focus == password_row ||
                                                gtk_widget_is_ancestor (focus, password_row));
      screenshot (GTK_WIDGET (window), "start-user-wrong-password");
      start_quit (run);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

/* Runs `striae --database DATABASE --user STRIAE_TEST_ACCOUNT` in this process with
 * @password as standard input's first line, as a person would from a terminal script,
 * until the ticker quits it. */
static void
run_start_user (StartRun   *run,
                const char *database,
                const char *password)
{
  g_autofree char *app_id = NULL;
  g_autofree char *input = g_strconcat (password, "\n", NULL);
  char *argv[] = { (char *) "striae", (char *) "--database", (char *) database,
                   (char *) "--user", (char *) STRIAE_TEST_ACCOUNT, NULL };
  GPrintFunc printerr;
  int fds[2];
  int saved_stdin = dup (STDIN_FILENO);

  g_assert_cmpint (saved_stdin, >=, 0);
  g_assert_cmpint (pipe (fds), ==, 0);
  g_assert_cmpint (write (fds[1], input, strlen (input)), ==, (gssize) strlen (input));
  close (fds[1]);
  g_assert_cmpint (dup2 (fds[0], STDIN_FILENO), ==, STDIN_FILENO);
  close (fds[0]);
  clearerr (stdin);

  app_id = g_strdup_printf ("io.github.striae.Striae.LockTest%u",
                            g_str_hash (g_test_get_path ()));
  run->app = striae_application_new ();
  g_application_set_application_id (G_APPLICATION (run->app), app_id);
  g_application_set_flags (G_APPLICATION (run->app), G_APPLICATION_NON_UNIQUE);
  run->printed = g_string_new (NULL);
  run->deadline = g_get_monotonic_time () + MINUTE;
  run->last_tick = g_get_monotonic_time ();
  printing_run = run;
  printerr = g_set_printerr_handler (capture_printerr);

  g_timeout_add (4, start_tick_cb, run);
  striae_store_debug_set_check_delay (START_CHECK_DELAY_MS);
  g_assert_cmpint (g_application_run (G_APPLICATION (run->app), G_N_ELEMENTS (argv) - 1, argv),
                   ==, 0);
  striae_store_debug_set_check_delay (0);

  g_set_printerr_handler (printerr);
  printing_run = NULL;
  g_assert_cmpint (dup2 (saved_stdin, STDIN_FILENO), ==, STDIN_FILENO);
  close (saved_stdin);
  clearerr (stdin);
  g_test_message ("standard error: %s", run->printed->str);
  g_assert_false (run->timed_out);
}

static void
start_run_clear (StartRun *run)
{
  g_clear_object (&run->app);
  g_clear_pointer (&run->name_shown, g_free);
  g_clear_pointer (&run->signing_in, g_free);
  g_clear_pointer (&run->problem, g_free);
  if (run->printed != NULL)
    g_string_free (g_steal_pointer (&run->printed), TRUE);
}

/* The window opens at once on its sign-in page, the account's name filled in and "Signing
 * in…" shown, no patient readable, while the password is checked in a thread; the window's
 * thread never waits for a lock of the records meanwhile (the lock probe), nor stops turning
 * for long, though the check takes seconds; then the register shows, and the sign-in is
 * audited in the account's name. */
static void
test_lock_start_user (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("striae-lock-XXXXXX", &error);
  g_autofree char *database = make_start_records (dir);
  const char *sign_ins = "SELECT count (*) FROM audit WHERE action = 'sign-in'"
                         "  AND actor = 'account:" STRIAE_TEST_ACCOUNT "'";
  gint64 before = striae_test_app_query_int (database, sign_ins);
  StartRun run = { 0 };
  gint64 waited;

  striae_store_debug_watch_locks (TRUE);
  run_start_user (&run, database, STRIAE_TEST_PASSWORD);
  waited = striae_store_debug_get_longest_lock_wait ();
  striae_store_debug_watch_locks (FALSE);

  g_test_message ("busy for %" G_GINT64_FORMAT " ms; the window's thread: longest gap %"
                  G_GINT64_FORMAT " ms while busy, %" G_GINT64_FORMAT " ms from the start, "
                  "longest wait for a lock of the records %" G_GINT64_FORMAT " us",
                  run.busy_for / 1000, run.longest_gap / 1000, run.longest_start / 1000,
                  waited);
  g_assert_false (run.unlocked_first);
  g_assert_cmpstr (run.name_shown, ==, STRIAE_TEST_ACCOUNT);
  g_assert_cmpstr (run.signing_in, ==, _("Signing in…"));
  g_assert_null (run.secret_shown);
  g_assert_true (run.register_shown);
  /* The check was slow indeed, and the window's thread turned all along. */
  g_assert_cmpint (run.busy_for, >=, START_CHECK_DELAY_MS / 2 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpint (waited, <=, 16 * G_TIME_SPAN_MILLISECOND);
  /* The frame-exact bound is the lock probe's above; a gap on a machine shared by many
   * builds is the scheduler's too, so these only catch a wait for the check (seconds). Nor
   * did the start-up wait for it: only the window's own making is in there. */
  g_assert_cmpint (run.longest_gap, <, START_CHECK_DELAY_MS / 2 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpint (run.longest_start, <, START_CHECK_DELAY_MS / 2 * G_TIME_SPAN_MILLISECOND);
  g_assert_null (strstr (run.printed->str, "wrong"));
  start_run_clear (&run);
  g_assert_cmpint (striae_test_app_query_int (database, sign_ins), ==, before + 1);

  striae_test_remove_tree (dir);
}

/* A wrong password is said on standard error, as before the window showed the page, and on
 * the page as one typed there; the page then waits for the person, the name still there. */
static void
test_lock_start_user_wrong (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("striae-lock-XXXXXX", &error);
  g_autofree char *database = make_start_records (dir);
  StartRun run = { 0 };

  run_start_user (&run, database, "wrong horse");

  g_assert_false (run.unlocked_first);
  g_assert_false (run.register_shown);
  g_assert_cmpstr (run.name_shown, ==, STRIAE_TEST_ACCOUNT);
  g_assert_cmpstr (run.signing_in, ==, _("Signing in…"));
  g_assert_nonnull (run.problem);
  g_assert_nonnull (strstr (run.problem, STRIAE_TEST_ACCOUNT));
  g_assert_true (run.password_focused);
  g_assert_nonnull (strstr (run.printed->str, "password is wrong"));
  g_assert_cmpint (striae_test_app_query_int (database, "SELECT count (*) FROM audit "
                                                        "WHERE action = 'sign-in-failed'"),
                   ==, 1);
  start_run_clear (&run);

  striae_test_remove_tree (dir);
}

/* Quitting while the password is being checked (the sign-in waiting for the check of the
 * file) lets the check end before the process would: the records close with the
 * application, and their clean close is noted for the next start. */
static void
test_lock_start_user_quit (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("striae-lock-XXXXXX", &error);
  g_autofree char *database = make_start_records (dir);
  g_autofree char *note = g_strconcat (database, "-checked", NULL);
  StartRun run = { .quit_when_busy = TRUE };

  run_start_user (&run, database, STRIAE_TEST_PASSWORD);
  g_assert_cmpint (run.phase, ==, START_DONE);
  g_assert_cmpstr (run.signing_in, ==, _("Signing in…"));
  g_clear_object (&run.app);
  g_assert_true (g_file_test (note, G_FILE_TEST_EXISTS));
  start_run_clear (&run);

  striae_test_remove_tree (dir);
}

static gboolean
stdin_closed_cb (GIOChannel   *channel,
                 GIOCondition  condition,
                 gpointer      data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* For tests/a11y-lock.py: the window with a patient, a draft and the patient's editor open,
 * locked; says "LOCKED" on standard output and runs until standard input closes, so that a
 * screen reader's view of it can be read over AT-SPI (and the password typed there). */
static int
run_locked_window (void)
{
  g_autoptr(GIOChannel) input = g_io_channel_unix_new (0);
  Fixture fixture = { 0 };
  gboolean done = FALSE;

  g_set_prgname ("striae-lock-test");
  gtk_init ();
  adw_init ();
  fixture_set_up (&fixture, NULL);
  open_patient_and_draft (&fixture);
  striae_idle_lock_lock (striae_application_get_idle_lock (fixture.app));
  striae_test_spin (300);
  g_print ("LOCKED\n");
  fflush (stdout);

  g_io_add_watch (input, G_IO_IN | G_IO_HUP | G_IO_ERR, stdin_closed_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  fixture_tear_down (&fixture, NULL);
  return 0;
}

static void
checked_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GError **error = user_data;

  if (!striae_authenticator_check_finish (STRIAE_AUTHENTICATOR (source), result, error))
    g_assert_nonnull (*error);
  else
    *error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_EXISTS, "passed");
}

/* Waits for one check; returns its error, or G_IO_ERROR_EXISTS "passed". */
static GError *
check (StriaeAuthenticator *authenticator,
       const char          *name,
       const char          *password)
{
  GError *error = NULL;

  striae_authenticator_check_async (authenticator, name, password, NULL, checked_cb, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  return error;
}

/* The records' accounts behind the lock: a wrong password is the lock page's "wrong
 * password", the right one signs the account in, and the account is the records' own. */
static void
test_lock_store_authenticator (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("striae-lock-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "clinic.db", NULL);
  g_autoptr(StriaeStore) store = striae_store_open (path, &error);
  g_autoptr(StriaeAuthenticator) authenticator = NULL;
  g_autoptr(GError) wrong = NULL;
  g_autoptr(GError) unknown = NULL;
  g_autoptr(GError) right = NULL;

  g_assert_no_error (error);
  g_assert_true (striae_store_create_first_admin (store, "anna", "Dr Anna Roth",
                                                  "correct horse", &error));
  g_assert_no_error (error);
  striae_store_sign_out (store);
  authenticator = striae_store_authenticator_new (store);
  g_assert_null (striae_authenticator_get_account (authenticator));

  wrong = check (authenticator, "anna", "wrong horse");
  g_assert_error (wrong, STRIAE_AUTHENTICATOR_ERROR, STRIAE_AUTHENTICATOR_ERROR_WRONG_PASSWORD);
  unknown = check (authenticator, "nobody", "correct horse");
  g_assert_error (unknown, STRIAE_AUTHENTICATOR_ERROR,
                  STRIAE_AUTHENTICATOR_ERROR_WRONG_PASSWORD);
  g_assert_false (striae_store_is_signed_in (store));

  g_assert_cmpint (striae_test_app_query_int (path, "SELECT count (*) FROM audit WHERE "
                                                    "action = 'sign-in'"), ==, 0);

  right = check (authenticator, "anna", "correct horse");
  g_assert_error (right, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_assert_true (striae_store_is_signed_in (store));
  g_assert_cmpstr (striae_authenticator_get_account (authenticator), ==, "anna");
  /* The sign-in, and only the right one, is audited in the account's name. */
  g_assert_cmpint (striae_test_app_query_int (path, "SELECT count (*) FROM audit WHERE "
                                                    "action = 'sign-in' AND "
                                                    "actor = 'account:anna'"), ==, 1);

  g_clear_object (&authenticator);
  g_clear_object (&store);
  for (const char *suffix = ""; suffix != NULL;
       suffix = g_str_equal (suffix, "") ? "-wal" : g_str_equal (suffix, "-wal") ? "-shm" : NULL)
    {
      g_autofree char *file = g_strconcat (path, suffix, NULL);
      g_remove (file);
    }
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *localedir = NULL;

  /* The build's translations, for screenshots with LANGUAGE=de or fr. */
  setlocale (LC_ALL, "");
  localedir = g_build_filename (g_getenv ("STRIAE_BUILD_ROOT"), "po", NULL);
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc > 1 && g_str_equal (argv[1], "--locked-window"))
    return run_locked_window ();

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/lock/idle-clock", test_lock_idle_clock);
  g_test_add_func ("/lock/store-authenticator", test_lock_store_authenticator);
  g_test_add_func ("/lock/input-resets", test_lock_input_resets);
  g_test_add_func ("/lock/screensaver-signal", test_lock_screensaver_signal);
  g_test_add ("/lock/window", Fixture, NULL, fixture_set_up, test_lock_window,
              fixture_tear_down);
  g_test_add ("/lock/other-account", Fixture, NULL, fixture_set_up, test_lock_other_account,
              fixture_tear_down);
  g_test_add ("/lock/page-narrow", Fixture, NULL, fixture_set_up, test_lock_page_narrow,
              fixture_tear_down);
  g_test_add ("/lock/signing-in", Fixture, NULL, fixture_set_up, test_lock_signing_in,
              fixture_tear_down);
  g_test_add ("/lock/setting", Fixture, NULL, fixture_set_up, test_lock_setting,
              fixture_tear_down);
  g_test_add_func ("/lock/start-user", test_lock_start_user);
  g_test_add_func ("/lock/start-user-wrong", test_lock_start_user_wrong);
  g_test_add_func ("/lock/start-user-quit", test_lock_start_user_quit);

  return g_test_run ();
}
