/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <adwaita.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "striae-preferences.h"
#include "striae-rules-page.h"
#include "striae-resources.h"
#include "striae-test-date.h"
#include "striae-test-store.h"
#include "striae-test-window.h"

/* Preferences → Clinic edits what is in use (issue 14): on a clinic server the records,
 * shared by every PC, and the page says so; on a file, this PC's settings as always. Runs on
 * the backend STRIAE_TEST_BACKEND names (tests/striae-test-store.h), so the store suite's
 * PostgreSQL pass shows the server's side. */

#define GOOD_SHEET \
  "<sheet version=\"1\" title=\"Soins\">\n<section id=\"a\" title=\"A\">\n" \
  "<p id=\"b\">Appelez {clinic.name}</p>\n</section>\n</sheet>\n"

static GtkWidget *
child (StriaePreferences *preferences,
       const char        *name)
{
  GObject *widget = gtk_widget_get_template_child (GTK_WIDGET (preferences),
                                                   STRIAE_TYPE_PREFERENCES, name);

  g_assert_nonnull (widget);
  return GTK_WIDGET (widget);
}

static GtkWidget *
rules_child (GtkWidget  *rules_page,
             const char *name)
{
  GObject *widget = gtk_widget_get_template_child (rules_page, STRIAE_TYPE_RULES_PAGE, name);

  g_assert_nonnull (widget);
  return GTK_WIDGET (widget);
}

static void
write_sheet (const char *folder,
             const char *text)
{
  g_autofree char *language_dir = g_build_filename (folder, "fr", NULL);
  g_autofree char *path = g_build_filename (language_dir, "aftercare.xml", NULL);

  g_assert_cmpint (g_mkdir_with_parents (language_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
}

static void
remove_sheet (const char *folder)
{
  g_autofree char *language_dir = g_build_filename (folder, "fr", NULL);
  g_autofree char *path = g_build_filename (language_dir, "aftercare.xml", NULL);

  g_unlink (path);
  g_rmdir (language_dir);
  g_rmdir (folder);
}

static void
test_clinic_page (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("striae-clinic-prefs-XXXXXX", &error);
  g_autofree char *location = striae_test_store_location (dir);
  g_autofree char *sheets = g_build_filename (dir, "sheets", NULL);
  g_autoptr(GSettings) settings = g_settings_new ("io.github.striae.Striae");
  g_autoptr(StriaeStore) store = striae_test_store_open (location);
  g_autoptr(StriaeStore) other = NULL;
  g_autoptr(StriaeClinic) clinic = NULL;
  g_autofree char *this_pc = NULL;
  g_auto(GStrv) stored = NULL;
  StriaePreferences *preferences;
  gboolean server = striae_store_is_server_location (location);
  const char *description;

  g_assert_no_error (error);
  g_settings_set_string (settings, "clinic-name", "");
  preferences = striae_preferences_new (NULL);
  striae_preferences_set_store (preferences, store);

  description = adw_preferences_group_get_description (
    ADW_PREFERENCES_GROUP (child (preferences, "clinic_group")));
  g_assert_cmpint (strstr (description, "Shared by every PC") != NULL, ==, server);
  g_assert_cmpint (gtk_widget_get_visible (child (preferences, "server_sheets_row")), ==,
                   server);

  if (server)
    {
      /* The clinic's sheets: a template with a mistake is refused with the loader's
       * sentence, a good one is loaded. */
      write_sheet (sheets, "<sheet version=\"1\" title=\"T\"><section id=\"a\" title=\"A\">"
                           "<p id=\"b\">{clinic.fax}</p></section></sheet>");
      g_assert_false (striae_preferences_load_sheets (preferences, sheets, &error));
      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error->message, "clinic.fax"));
      g_clear_error (&error);
      write_sheet (sheets, GOOD_SHEET);
      g_assert_true (striae_preferences_load_sheets (preferences, sheets, &error));
      g_assert_no_error (error);
    }
  if (server)
    {
      /* Another PC changes the phone, then a patient; once this PC hears of the change, the
       * page shows the phone. (The server notifies changes of patients and consultations,
       * not yet of the settings alone.) */
      g_autoptr(StriaeStore) elsewhere = striae_test_store_open (location);
      g_autoptr(StriaeClinic) theirs = striae_clinic_new ();
      g_autoptr(StriaePatient) patient = striae_patient_new ();

      g_assert_true (striae_store_check_changes (store, &error));
      g_assert_no_error (error);
      striae_clinic_set_phone (theirs, "+33 4 78 00 00 00");
      g_assert_true (striae_store_save_clinic (elsewhere, theirs, NULL, &error));
      g_assert_no_error (error);
      striae_patient_set_given_name (patient, "Inès");
      striae_patient_set_family_name (patient, "Moreau");
      striae_patient_set_birth_date (patient, striae_test_date ("1991-04-02"));
      g_assert_true (striae_store_add_patient (elsewhere, patient, &error));
      g_assert_no_error (error);
      for (guint i = 0; i < 50; i++)
        {
          g_assert_true (striae_store_check_changes (store, &error));
          g_assert_no_error (error);
          if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (child (preferences, "phone_row"))),
                         "+33 4 78 00 00 00") == 0)
            break;
          g_usleep (100000);
        }
      g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (preferences, "phone_row"))),
                       ==, "+33 4 78 00 00 00");
    }

  /* A typed name for the consent's signature (issue 18) is a setting of the records, on a
   * file too: off at first, and the switch saves it there. */
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (child (preferences,
                                                            "typed_signature_switch"))));
  g_assert_true (gtk_widget_get_sensitive (child (preferences, "typed_signature_switch")));
  gtk_switch_set_active (GTK_SWITCH (child (preferences, "typed_signature_switch")), TRUE);

  gtk_editable_set_text (GTK_EDITABLE (child (preferences, "name_row")), "Cabinet du Parc");
  /* Closing the window saves what was typed a moment ago. */
  gtk_window_destroy (GTK_WINDOW (preferences));

  other = striae_test_store_open (location);
  clinic = striae_store_load_clinic (other, &error);
  g_assert_no_error (error);
  this_pc = g_settings_get_string (settings, "clinic-name");
  stored = striae_store_dup_sheet_templates (other, &error);
  g_assert_no_error (error);
  g_assert_true (striae_clinic_get_typed_signature (clinic));
  if (server)
    {
      g_assert_cmpstr (striae_clinic_get_name (clinic), ==, "Cabinet du Parc");
      g_assert_cmpstr (striae_clinic_get_phone (clinic), ==, "+33 4 78 00 00 00");
      g_assert_cmpstr (this_pc, ==, "");
      g_assert_cmpstr (stored[0], ==, "fr/aftercare");
      g_assert_null (stored[1]);
    }
  else
    {
      g_assert_cmpstr (striae_clinic_get_name (clinic), ==, "");
      g_assert_cmpstr (this_pc, ==, "Cabinet du Parc");
      g_assert_null (stored[0]);
    }

  g_clear_object (&other);
  g_clear_object (&store);
  striae_test_store_remove (location);
  remove_sheet (sheets);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* The button under @widget that runs @action. */
static GtkWidget *
find_button (GtkWidget  *widget,
             const char *action)
{
  if (GTK_IS_BUTTON (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_button (c, action);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* @location (the records of the private server, as its superuser) for another login. */
static char *
location_as (const char *location,
             const char *login)
{
  g_autofree char *prefix = g_strndup (location, strstr (location, "user=postgres") - location);

  return g_strdup_printf ("%suser=%s", prefix, login);
}

/* On a clinic server only its administrators may change what is clinic-wide: for any other
 * login the Clinic page shows the settings, says why they cannot be changed, and offers
 * nothing that would change them; an administrator's page stays open to change. */
static void
test_read_only (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("striae-clinic-prefs-XXXXXX", &error);
  g_autofree char *location = striae_test_store_location (dir);
  g_autofree char *as_practitioner = NULL;
  g_autofree char *as_admin = NULL;
  g_autoptr(StriaeServerSetup) setup = NULL;
  g_autoptr(StriaeStore) store = NULL;
  g_autoptr(StriaeClinic) clinic = NULL;
  StriaePreferences *preferences;
  GtkWidget *rules_page;
  const char *description;
  gboolean may = TRUE;

  if (!striae_store_is_server_location (location))
    {
      striae_test_store_remove (location);
      g_assert_cmpint (g_rmdir (dir), ==, 0);
      g_test_skip ("A file has no logins: this runs in the PostgreSQL pass "
                   "(meson test --setup=postgresql clinic-preferences)");
      return;
    }

  setup = striae_store_server_init (location, &error);
  g_assert_no_error (error);
  striae_test_store_exec (location, "CREATE ROLE clinic_prefs_room LOGIN"
                                    "  IN ROLE striae_practitioner");
  striae_test_store_exec (location, "CREATE ROLE clinic_prefs_it LOGIN IN ROLE striae_admin");
  as_practitioner = location_as (location, "clinic_prefs_room");
  as_admin = location_as (location, "clinic_prefs_it");

  /* A practitioner's login. */
  store = striae_store_open (as_practitioner, &error);
  g_assert_no_error (error);
  g_assert_true (striae_store_may_change_clinic (store, &may, &error));
  g_assert_no_error (error);
  g_assert_false (may);
  preferences = striae_preferences_new (NULL);
  striae_preferences_set_store (preferences, store);
  g_assert_true (striae_preferences_get_clinic_read_only (preferences));
  description = adw_preferences_group_get_description (
    ADW_PREFERENCES_GROUP (child (preferences, "clinic_group")));
  g_assert_nonnull (strstr (description, "only the clinic’s administrator can change"));
  /* First on the page, a row that says so, which Tab reaches and a screen reader names. */
  g_assert_true (gtk_widget_get_visible (child (preferences, "read_only_group")));
  g_assert_true (gtk_widget_get_visible (child (preferences, "read_only_row")));
  g_assert_true (gtk_widget_get_focusable (child (preferences, "read_only_row")));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (
                     child (preferences, "read_only_row"))), ==,
                   "These Settings Are Read Only");
  g_assert_false (gtk_editable_get_editable (GTK_EDITABLE (child (preferences, "name_row"))));
  g_assert_false (gtk_editable_get_editable (GTK_EDITABLE (child (preferences, "phone_row"))));
  g_assert_false (gtk_editable_get_editable (GTK_EDITABLE (child (preferences, "email_row"))));
  g_assert_false (gtk_text_view_get_editable (GTK_TEXT_VIEW (child (preferences,
                                                                    "address_view"))));
  g_assert_false (gtk_widget_get_visible (child (preferences, "add_practitioner_row")));
  g_assert_false (gtk_widget_get_visible (child (preferences, "server_sheets_row")));
  /* The idle time before the lock: said in its row, with no spin button to change it. */
  g_assert_false (gtk_widget_get_visible (child (preferences, "lock_spin")));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (child (preferences,
                                                                       "lock_row"))), ==,
                   "Locks after 5 minutes without use");
  g_assert_false (gtk_widget_get_sensitive (find_button (child (preferences, "logo_row"),
                                                        "preferences.choose-logo")));
  g_assert_false (gtk_widget_get_sensitive (child (preferences, "typed_signature_switch")));
  /* The rules likewise: shown, read rather than greyed out (account-ui checks that nothing
   * changes them), and the page says why. */
  rules_page = striae_preferences_get_rules_page (preferences);
  g_assert_true (gtk_widget_get_sensitive (rules_child (rules_page, "levels_group")));
  g_assert_true (gtk_widget_get_sensitive (rules_child (rules_page, "course_group")));
  description = adw_preferences_group_get_description (
    ADW_PREFERENCES_GROUP (rules_child (rules_page, "rules_group")));
  g_assert_nonnull (strstr (description, "only the clinic’s administrator can change them"));
  g_assert_true (gtk_widget_get_visible (rules_child (rules_page, "read_only_row")));
  g_assert_true (gtk_widget_get_focusable (rules_child (rules_page, "read_only_row")));
  g_assert_false (gtk_widget_get_visible (rules_child (rules_page, "reset_all_button")));
  gtk_window_destroy (GTK_WINDOW (preferences));
  /* Nothing was saved on the way. */
  clinic = striae_store_load_clinic (store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (striae_clinic_get_name (clinic), ==, "");
  g_clear_object (&clinic);
  g_clear_object (&store);

  /* An administrator's login. */
  store = striae_store_open (as_admin, &error);
  g_assert_no_error (error);
  g_assert_true (striae_store_may_change_clinic (store, &may, &error));
  g_assert_true (may);
  preferences = striae_preferences_new (NULL);
  striae_preferences_set_store (preferences, store);
  g_assert_false (striae_preferences_get_clinic_read_only (preferences));
  g_assert_false (gtk_widget_get_visible (child (preferences, "read_only_group")));
  g_assert_true (gtk_editable_get_editable (GTK_EDITABLE (child (preferences, "name_row"))));
  g_assert_true (gtk_widget_get_sensitive (find_button (child (preferences, "logo_row"),
                                                       "preferences.choose-logo")));
  rules_page = striae_preferences_get_rules_page (preferences);
  g_assert_true (gtk_widget_get_sensitive (rules_child (rules_page, "levels_group")));
  g_assert_false (gtk_widget_get_visible (rules_child (rules_page, "read_only_row")));
  g_assert_true (gtk_widget_get_visible (rules_child (rules_page, "reset_all_button")));
  gtk_editable_set_text (GTK_EDITABLE (child (preferences, "name_row")), "Cabinet du Parc");
  gtk_window_destroy (GTK_WINDOW (preferences));
  clinic = striae_store_load_clinic (store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (striae_clinic_get_name (clinic), ==, "Cabinet du Parc");
  g_clear_object (&store);

  striae_test_store_remove (location);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

#define ADMIN_PASSWORD "correct horse battery"
#define DESK_PASSWORD "front desk password"

/* With STRIAE_SCREENSHOT_DIR set, shows @preferences at STRIAE_SCREENSHOT_WIDTH (1366 by
 * default) by 900 and saves what it shows as @name there, for a person to look at. */
static void
screenshot (StriaePreferences *preferences,
            const char        *name)
{
  const char *width = g_getenv ("STRIAE_SCREENSHOT_WIDTH");

  if (g_getenv ("STRIAE_SCREENSHOT_DIR") == NULL)
    return;
  gtk_window_set_default_size (GTK_WINDOW (preferences), width != NULL ? atoi (width) : 1366,
                               900);
  gtk_window_present (GTK_WINDOW (preferences));
  striae_test_window_save_png (GTK_WIDGET (preferences), name);
}

/* The icons under @widget, shown as far as their parents go, that offer to edit or remove
 * something: the entry rows' pencils and the remove buttons. */
static guint
count_edit_icons (GtkWidget *widget)
{
  guint n = 0;

  if (!gtk_widget_get_visible (widget))
    return 0;
  if (GTK_IS_IMAGE (widget) &&
      (g_strcmp0 (gtk_image_get_icon_name (GTK_IMAGE (widget)), "document-edit-symbolic") == 0 ||
       g_strcmp0 (gtk_image_get_icon_name (GTK_IMAGE (widget)), "edit-delete-symbolic") == 0))
    n++;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    n += count_edit_icons (c);
  return n;
}

/* The Clinic page, whose groups these are. */
static GtkWidget *
clinic_page (StriaePreferences *preferences)
{
  GtkWidget *page = gtk_widget_get_ancestor (child (preferences, "clinic_group"),
                                             ADW_TYPE_PREFERENCES_PAGE);

  g_assert_nonnull (page);
  return page;
}

static gboolean
read_only (StriaePreferences *preferences)
{
  gboolean value = FALSE;

  g_object_get (preferences, "clinic-read-only", &value, NULL);
  g_assert_true (value == striae_preferences_get_clinic_read_only (preferences));
  return value;
}

static const char *
row_text (StriaePreferences *preferences,
          const char        *name)
{
  return gtk_editable_get_text (GTK_EDITABLE (child (preferences, name)));
}

/* On a file with accounts (issue 16) the Clinic page edits the records, not this PC's
 * settings. The first reading copies this PC's values in; an assistant then reads them, is
 * told why they cannot be changed and has no way to change the idle minutes or the name,
 * and what anyone at the PC sets in its settings changes nothing any more; an
 * administrator's change goes into the records, audited in their name. */
static void
test_file_accounts (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("striae-clinic-prefs-XXXXXX", &error);
  g_autofree char *location = striae_test_store_location (dir);
  g_autoptr(GSettings) settings = g_settings_new ("io.github.striae.Striae");
  g_autoptr(StriaeStore) store = striae_test_store_open (location);
  g_autoptr(StriaeStore) desk = NULL;
  g_autoptr(StriaeClinic) clinic = NULL;
  g_autofree char *this_pc = NULL;
  StriaePreferences *preferences;
  const char *description;

  g_assert_no_error (error);
  g_settings_set_string (settings, "clinic-name", "Lindenhof Skin Clinic");
  g_settings_set_string (settings, "clinic-address", "Lindenhofgasse 4\n8001 Zürich");
  g_settings_set_uint (settings, "lock-after-minutes", 7);
  g_assert_true (striae_store_create_first_admin (store, "boss", "Dr Anne Roux",
                                                  ADMIN_PASSWORD, &error));
  g_assert_no_error (error);
  g_assert_true (striae_store_add_account (store, "desk", "Front Desk",
                                           STRIAE_STAFF_ROLE_ASSISTANT, DESK_PASSWORD,
                                           &error));
  g_assert_no_error (error);

  /* The assistant. */
  desk = striae_test_store_open (location);
  g_assert_true (striae_store_sign_in (desk, "desk", DESK_PASSWORD, &error));
  g_assert_no_error (error);
  preferences = striae_preferences_new (NULL);
  striae_preferences_set_store (preferences, desk);
  g_assert_cmpstr (row_text (preferences, "name_row"), ==, "Lindenhof Skin Clinic");
  g_assert_true (striae_preferences_get_clinic_read_only (preferences));
  description = adw_preferences_group_get_description (
    ADW_PREFERENCES_GROUP (child (preferences, "clinic_group")));
  g_assert_nonnull (strstr (description, "Only an administrator can change"));
  g_assert_true (gtk_widget_get_visible (child (preferences, "read_only_row")));
  g_assert_false (gtk_editable_get_editable (GTK_EDITABLE (child (preferences, "name_row"))));
  g_assert_false (gtk_widget_get_visible (child (preferences, "lock_spin")));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (child (preferences,
                                                                       "lock_row"))), ==,
                   "Locks after 7 minutes without use");
  g_assert_false (gtk_widget_get_sensitive (find_button (child (preferences, "logo_row"),
                                                        "preferences.choose-logo")));
  g_assert_false (gtk_widget_get_visible (child (preferences, "server_sheets_row")));
  /* Nothing on the page suggests editing: each value is shown as text in a row of its own,
   * no pencil, no entry, no button for the logo (clinic-read-only switches them all). */
  g_assert_true (read_only (preferences));
  g_assert_cmpuint (count_edit_icons (clinic_page (preferences)), ==, 0);
  g_assert_false (gtk_widget_get_visible (child (preferences, "name_row")));
  g_assert_true (gtk_widget_get_visible (child (preferences, "name_value_row")));
  g_assert_true (gtk_widget_get_focusable (child (preferences, "name_value_row")));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (child (preferences,
                                                                       "name_value_row"))),
                   ==, "Lindenhof Skin Clinic");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (child (preferences,
                                                                       "phone_value_row"))),
                   ==, "Not set");
  g_assert_false (gtk_widget_get_visible (child (preferences, "logo_remove_button")));
  g_assert_false (gtk_widget_get_visible (child (preferences, "logo_choose_button")));
  g_assert_false (gtk_widget_get_visible (child (preferences, "add_practitioner_row")));
  g_assert_false (gtk_text_view_get_editable (GTK_TEXT_VIEW (child (preferences,
                                                                    "address_view"))));
  /* The address as a row like the others, not an empty-looking text box; the logo row says
   * whether the sheets carry one, not how to choose it. */
  g_assert_false (gtk_widget_get_visible (child (preferences, "address_group")));
  g_assert_true (gtk_widget_get_visible (child (preferences, "address_value_row")));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (child (preferences,
                                                                       "address_value_row"))),
                   ==, "Lindenhofgasse 4\n8001 Zürich");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (child (preferences,
                                                                       "logo_row"))),
                   ==, "Not set");
  screenshot (preferences, "preferences-clinic-assistant.png");
  gtk_window_destroy (GTK_WINDOW (preferences));

  /* Anyone at the PC may change its settings: the records' clinic stays. */
  g_settings_set_string (settings, "clinic-name", "Changed with gsettings");
  g_settings_set_uint (settings, "lock-after-minutes", 60);
  preferences = striae_preferences_new (NULL);
  striae_preferences_set_store (preferences, desk);
  g_assert_cmpstr (row_text (preferences, "name_row"), ==, "Lindenhof Skin Clinic");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (child (preferences,
                                                                       "lock_row"))), ==,
                   "Locks after 7 minutes without use");
  gtk_window_destroy (GTK_WINDOW (preferences));

  /* The administrator (signed in on @store since the first account was made). */
  preferences = striae_preferences_new (NULL);
  striae_preferences_set_store (preferences, store);
  g_assert_false (read_only (preferences));
  g_assert_true (gtk_editable_get_editable (GTK_EDITABLE (child (preferences, "name_row"))));
  g_assert_true (gtk_widget_get_visible (child (preferences, "lock_spin")));
  /* The administrator's page offers to edit: the pencils of the entries and the logo's
   * buttons, none of the read-only rows. */
  g_assert_cmpuint (count_edit_icons (clinic_page (preferences)), >=, 3);
  g_assert_true (gtk_widget_get_visible (child (preferences, "name_row")));
  g_assert_false (gtk_widget_get_visible (child (preferences, "name_value_row")));
  g_assert_true (gtk_widget_get_visible (child (preferences, "logo_remove_button")));
  g_assert_true (gtk_widget_get_visible (child (preferences, "logo_choose_button")));
  g_assert_false (gtk_widget_get_visible (child (preferences, "read_only_group")));
  description = adw_preferences_group_get_description (
    ADW_PREFERENCES_GROUP (child (preferences, "clinic_group")));
  g_assert_nonnull (strstr (description, "Kept in the records"));
  screenshot (preferences, "preferences-clinic-admin.png");
  gtk_editable_set_text (GTK_EDITABLE (child (preferences, "name_row")), "Cabinet du Parc");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (child (preferences, "lock_spin")), 12);
  gtk_window_destroy (GTK_WINDOW (preferences));

  clinic = striae_store_load_clinic (desk, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (striae_clinic_get_name (clinic), ==, "Cabinet du Parc");
  g_assert_cmpuint (striae_clinic_get_lock_minutes (clinic), ==, 12);
  this_pc = g_settings_get_string (settings, "clinic-name");
  g_assert_cmpstr (this_pc, ==, "Changed with gsettings");
  g_assert_cmpuint (g_settings_get_uint (settings, "lock-after-minutes"), ==, 60);
  g_assert_cmpint (striae_test_store_query_int (location,
                                                "SELECT count(*) FROM audit"
                                                "  WHERE actor = 'account:boss'"
                                                "  AND detail = 'clinic.name: Cabinet du Parc'"),
                   ==, 1);

  g_settings_reset (settings, "clinic-name");
  g_settings_reset (settings, "lock-after-minutes");
  g_clear_object (&desk);
  g_clear_object (&store);
  striae_test_store_remove (location);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* Referencing the resource links it in from the static library, which registers it. */
  g_assert_nonnull (striae_get_resource ());

  g_test_add_func ("/clinic-preferences/clinic-page", test_clinic_page);
  g_test_add_func ("/clinic-preferences/read-only", test_read_only);
  if (striae_test_backend_is ("sqlite"))
    g_test_add_func ("/clinic-preferences/file-accounts", test_file_accounts);

  return g_test_run ();
}
