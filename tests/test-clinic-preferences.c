/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "striae-preferences.h"
#include "striae-resources.h"
#include "striae-test-date.h"
#include "striae-test-store.h"

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

  gtk_editable_set_text (GTK_EDITABLE (child (preferences, "name_row")), "Cabinet du Parc");
  /* Closing the window saves what was typed a moment ago. */
  gtk_window_destroy (GTK_WINDOW (preferences));

  other = striae_test_store_open (location);
  clinic = striae_store_load_clinic (other, &error);
  g_assert_no_error (error);
  this_pc = g_settings_get_string (settings, "clinic-name");
  stored = striae_store_dup_sheet_templates (other, &error);
  g_assert_no_error (error);
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

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* Referencing the resource links it in from the static library, which registers it. */
  g_assert_nonnull (striae_get_resource ());

  g_test_add_func ("/clinic-preferences/clinic-page", test_clinic_page);

  return g_test_run ();
}
