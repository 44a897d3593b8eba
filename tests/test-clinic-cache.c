/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <string.h>

#include "striae-clinic-cache.h"
#include "striae-sheet-composer.h"
#include "striae-sheet-error.h"
#include "striae-test-files.h"
#include "striae-test-store.h"
#include "striae-test-date.h"

/* The clinic's own sheets and identity on a clinic server (issue 14): loaded into the records
 * only when the template loader accepts them, and composed on another PC from what the
 * records hold. Runs on the backend STRIAE_TEST_BACKEND names (tests/striae-test-store.h). */

static const guint8 tiny_png[] = {
  0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
  0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89,
};

#define GOOD_SHEET \
  "<sheet version=\"1\" title=\"Soins\">\n<section id=\"a\" title=\"A\">\n" \
  "<p id=\"b\">Appelez {clinic.name} au {clinic.phone}</p>\n</section>\n</sheet>\n"
#define BAD_SHEET \
  "<sheet version=\"1\" title=\"Soins\">\n<section id=\"a\" title=\"A\">\n" \
  "<p id=\"b\">Faxez {clinic.fax}</p>\n</section>\n</sheet>\n"

#define BAD_SHEET_FIXED \
  "<sheet version=\"1\" title=\"Soins\">\n<section id=\"a\" title=\"A\">\n" \
  "<p id=\"b\">Appelez {clinic.phone}</p>\n</section>\n</sheet>\n"

typedef struct
{
  char        *dir;
  char        *location;
  StriaeStore *a;
  StriaeStore *b;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("striae-clinic-cache-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->location = striae_test_store_location (fixture->dir);
  fixture->a = striae_test_store_open (fixture->location);
  fixture->b = striae_test_store_open (fixture->location);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->a);
  g_assert_finalize_object (fixture->b);
  striae_test_store_remove (fixture->location);
  striae_test_remove_tree (fixture->dir);
  g_free (fixture->location);
  g_free (fixture->dir);
}

static void
write_sheet (const char *folder,
             const char *language,
             const char *name,
             const char *text)
{
  g_autofree char *language_dir = g_build_filename (folder, language, NULL);
  g_autofree char *file = g_strconcat (name, ".xml", NULL);
  g_autofree char *path = g_build_filename (language_dir, file, NULL);

  g_assert_cmpint (g_mkdir_with_parents (language_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
}

static guint
n_stored (StriaeStore *store)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) sheets = striae_store_dup_sheet_templates (store, &error);

  g_assert_no_error (error);
  return g_strv_length (sheets);
}

/* A template the loader refuses never reaches the records; the sentence is the loader's. */
static void
test_bad_sheet (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (striae_clinic_cache_store_sheet (fixture->a, "aftercare", "fr", BAD_SHEET,
                                                   "Dr Roux", &error));
  g_assert_error (error, STRIAE_SHEET_ERROR, STRIAE_SHEET_ERROR_UNKNOWN_PLACEHOLDER);
  g_assert_nonnull (strstr (error->message, "fr/aftercare.xml"));
  g_assert_nonnull (strstr (error->message, "clinic.fax"));
  g_assert_cmpuint (n_stored (fixture->b), ==, 0);
}

/* A folder is loaded whole or not at all. */
static void
test_folder (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *good = g_build_filename (fixture->dir, "good", NULL);
  g_autofree char *mixed = g_build_filename (fixture->dir, "mixed", NULL);
  g_autoptr(GError) error = NULL;
  guint n = 99;

  write_sheet (good, "fr", "aftercare", GOOD_SHEET);
  write_sheet (good, "de", "pre-treatment", GOOD_SHEET);
  write_sheet (good, "de", "notes", BAD_SHEET);  /* not a sheet Striae knows: left alone */
  g_assert_true (striae_clinic_cache_load_folder (fixture->a, good, "Dr Roux", &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpuint (n_stored (fixture->b), ==, 2);

  write_sheet (mixed, "es", "aftercare", GOOD_SHEET);
  write_sheet (mixed, "es", "consent", BAD_SHEET);
  g_assert_false (striae_clinic_cache_load_folder (fixture->a, mixed, "Dr Roux", &n, &error));
  g_assert_error (error, STRIAE_SHEET_ERROR, STRIAE_SHEET_ERROR_UNKNOWN_PLACEHOLDER);
  g_assert_cmpuint (n, ==, 0);
  g_assert_cmpuint (n_stored (fixture->b), ==, 2);
}

/* One PC saves the clinic and its French aftercare sheet; the other composes a sheet with
 * the records' name, phone, logo and wording. */
static void
test_composed_from_records (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(StriaeClinic) clinic = striae_clinic_new ();
  g_autoptr(StriaeClinic) loaded = NULL;
  g_autoptr(GBytes) logo = g_bytes_new_static (tiny_png, sizeof tiny_png);
  g_autoptr(StriaePatient) patient = striae_patient_new ();
  g_autoptr(StriaeConsultation) consultation = striae_consultation_new ();
  g_autoptr(StriaeClinicSettings) settings = NULL;
  g_autoptr(StriaeSheetTemplate) template = NULL;
  g_autoptr(StriaeSheetContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cache = g_build_filename (fixture->dir, "cache", NULL);
  g_autofree char *override_dir = NULL;
  g_autofree char *logo_path = NULL;
  g_autofree char *logo_data = NULL;
  g_autofree char *text = NULL;
  gsize logo_size = 0;

  striae_clinic_set_name (clinic, "Cabinet du Parc");
  striae_clinic_set_phone (clinic, "+33 4 78 00 00 00");
  striae_clinic_set_logo (clinic, logo);
  g_assert_true (striae_store_save_clinic (fixture->a, clinic, "Dr Roux", &error));
  g_assert_no_error (error);
  g_assert_true (striae_clinic_cache_store_sheet (fixture->a, "aftercare", "fr", GOOD_SHEET,
                                                  "Dr Roux", &error));
  g_assert_no_error (error);

  loaded = striae_store_load_clinic (fixture->b, &error);
  g_assert_no_error (error);
  override_dir = striae_clinic_cache_write (fixture->b, loaded, cache, &logo_path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (override_dir);
  g_assert_nonnull (logo_path);
  g_assert_true (g_file_get_contents (logo_path, &logo_data, &logo_size, NULL));
  g_assert_cmpmem (logo_data, logo_size, tiny_png, sizeof tiny_png);

  settings = striae_clinic_settings_new_from_clinic (loaded, NULL, logo_path);
  striae_patient_set_given_name (patient, "Inès");
  striae_patient_set_family_name (patient, "Moreau");
  striae_patient_set_birth_date (patient, striae_test_date ("1991-04-02"));
  template = striae_sheet_load_for_patient ("aftercare", "fr", patient, settings, override_dir,
                                            NULL, &error);
  g_assert_no_error (error);
  g_assert_false (striae_sheet_template_is_built_in (template));

  context = striae_sheet_compose_context (template, patient, consultation, NULL, settings,
                                          NULL);
  g_assert_cmpstr (striae_sheet_context_get_value (context, "clinic.name"), ==,
                   "Cabinet du Parc");
  g_assert_cmpstr (striae_sheet_context_get_value (context, "clinic.phone"), ==,
                   "+33 4 78 00 00 00");
  g_assert_cmpstr (striae_sheet_context_get_logo_path (context), ==, logo_path);
  text = striae_sheet_template_dup_item_text_filled (template, "b", context);
  g_assert_cmpstr (text, ==, "Appelez Cabinet du Parc au +33 4 78 00 00 00");

  /* The sheet taken out of the records is no longer used on the next write. */
  g_assert_true (striae_store_save_sheet_template (fixture->a, "aftercare", "fr", NULL, NULL,
                                                   &error));
  g_assert_no_error (error);
  g_clear_pointer (&override_dir, g_free);
  g_clear_pointer (&logo_path, g_free);
  override_dir = striae_clinic_cache_write (fixture->b, loaded, cache, &logo_path, &error);
  g_assert_no_error (error);
  g_clear_object (&template);
  template = striae_sheet_load_for_patient ("aftercare", "fr", patient, settings, override_dir,
                                            NULL, &error);
  g_assert_no_error (error);
  g_assert_true (striae_sheet_template_is_built_in (template));
}

/* Reading the clinic's settings again writes nothing when the records did not change (the
 * plan page reads them often), and a changed sheet replaces its copy. */
static void
test_written_when_changed (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(StriaeClinic) clinic = striae_clinic_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *cache = g_build_filename (fixture->dir, "cache", NULL);
  g_autofree char *override_dir = NULL;
  g_autofree char *logo_path = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  GStatBuf before, after;

  g_assert_true (striae_clinic_cache_store_sheet (fixture->a, "aftercare", "fr", GOOD_SHEET,
                                                  "Dr Roux", &error));
  g_assert_no_error (error);
  override_dir = striae_clinic_cache_write (fixture->b, clinic, cache, &logo_path, &error);
  g_assert_no_error (error);
  path = g_build_filename (override_dir, "fr", "aftercare.xml", NULL);
  g_assert_cmpint (g_stat (path, &before), ==, 0);
  g_assert_cmpint (before.st_mode & 0777, ==, 0600);

  /* A new file replaces an old one under another inode: the same inode means not written. */
  g_clear_pointer (&override_dir, g_free);
  override_dir = striae_clinic_cache_write (fixture->b, clinic, cache, &logo_path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &after), ==, 0);
  g_assert_cmpuint (after.st_ino, ==, before.st_ino);

  g_assert_true (striae_clinic_cache_store_sheet (fixture->a, "aftercare", "fr",
                                                  BAD_SHEET_FIXED, "Dr Roux", &error));
  g_assert_no_error (error);
  g_clear_pointer (&override_dir, g_free);
  override_dir = striae_clinic_cache_write (fixture->b, clinic, cache, &logo_path, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, BAD_SHEET_FIXED);
}

/* On a server the wizard offers the records' practitioners and a new signer is added there;
 * on a file, nothing of the records is used. */
static void
test_practitioners (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(StriaeClinic) clinic = striae_clinic_new ();
  const char * const names[] = { "Dr Roux", NULL };
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) offered = NULL;
  gboolean server = striae_store_is_server_location (fixture->location);

  g_assert_cmpint (striae_clinic_cache_in_records (fixture->a), ==, server);
  g_assert_false (striae_clinic_cache_in_records (NULL));

  striae_clinic_set_practitioners (clinic, names);
  g_assert_true (striae_store_save_clinic (fixture->a, clinic, "Dr Roux", &error));
  g_assert_no_error (error);

  striae_clinic_cache_remember_practitioner (fixture->b, NULL, "Dr Vidal");
  offered = striae_clinic_cache_dup_practitioners (fixture->a, NULL);
  if (server)
    {
      g_assert_cmpstr (offered[0], ==, "Dr Vidal");
      g_assert_cmpstr (offered[1], ==, "Dr Roux");
      g_assert_null (offered[2]);
    }
  else
    g_assert_null (offered[0]);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/clinic-cache/bad-sheet", test_bad_sheet);
  ADD ("/clinic-cache/folder", test_folder);
  ADD ("/clinic-cache/composed-from-records", test_composed_from_records);
  ADD ("/clinic-cache/written-when-changed", test_written_when_changed);
  ADD ("/clinic-cache/practitioners", test_practitioners);
#undef ADD

  return g_test_run ();
}
