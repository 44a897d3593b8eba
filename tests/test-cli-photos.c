/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <string.h>

#include "striae-clinic-cache.h"
#include "striae-sheet-delivery.h"
#include "striae-test-cli.h"
#include "striae-test-date.h"
#include "striae-test-store.h"

/* striae --photo-consent and --add-photo (issue 18): the consent recorded, several files
 * added at once with one refused on its own, and each wrong option refused with its sentence,
 * on the backend STRIAE_TEST_BACKEND names. */

typedef struct
{
  char        *dir;
  char        *location;
  StriaeStore *store;
  gint64       patient;
  gint64       consultation;
  char        *jpeg;
  char        *text;
} Fixture;

static gint64
add_consultation (Fixture *fixture)
{
  g_autoptr(StriaePatient) patient = striae_patient_new ();
  g_autoptr(StriaeConsultation) c = striae_consultation_new ();
  g_autoptr(StriaeArea) area = striae_area_new (STRIAE_BODY_SITE_THIGHS);
  g_autoptr(GError) error = NULL;

  striae_patient_set_given_name (patient, "Zoé");
  striae_patient_set_family_name (patient, "Martin");
  striae_patient_set_birth_date (patient, striae_test_date ("1988-05-17"));
  g_assert_true (striae_store_add_patient (fixture->store, patient, &error));
  g_assert_no_error (error);
  fixture->patient = striae_patient_get_id (patient);

  striae_consultation_set_patient_id (c, fixture->patient);
  striae_consultation_set_date (c, striae_test_date ("2026-02-02"));
  striae_consultation_set_practitioner (c, "Dr Roux");
  striae_area_set_side (area, STRIAE_SIDE_LEFT);
  striae_consultation_add_area (c, area);
  g_assert_true (striae_store_save_consultation (fixture->store, c, "Dr Roux", &error));
  g_assert_no_error (error);
  return striae_consultation_get_id (c);
}

static void
write_jpeg (const char *path)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 90, 60);
  g_autoptr(GError) error = NULL;

  gdk_pixbuf_fill (pixbuf, 0xc08060ff);
  g_assert_true (gdk_pixbuf_save (pixbuf, path, "jpeg", &error, NULL));
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("striae-cli-photos-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->location = striae_test_store_location (fixture->dir);
  fixture->store = striae_test_store_open (fixture->location);
  fixture->consultation = add_consultation (fixture);
  fixture->jpeg = g_build_filename (fixture->dir, "thigh.jpg", NULL);
  fixture->text = g_build_filename (fixture->dir, "notes.txt", NULL);
  write_jpeg (fixture->jpeg);
  g_assert_true (g_file_set_contents (fixture->text, "not a photo", -1, NULL));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  striae_test_store_remove (fixture->location);
  g_remove (fixture->jpeg);
  g_remove (fixture->text);
  g_assert_cmpint (g_rmdir (fixture->dir), ==, 0);
  g_free (fixture->jpeg);
  g_free (fixture->text);
  g_free (fixture->location);
  g_free (fixture->dir);
}

static gint64
count_photos (Fixture *fixture)
{
  return striae_test_store_query_int (fixture->location, "SELECT count (*) FROM photos");
}

static void
test_add (Fixture       *fixture,
          gconstpointer  data)
{
  g_autofree char *patient = g_strdup_printf ("%" G_GINT64_FORMAT, fixture->patient);
  g_autofree char *consultation = g_strdup_printf ("%" G_GINT64_FORMAT, fixture->consultation);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  /* Without consent: refused, nothing added. */
  status = run_striae (fixture->location, &out, &err, "--add-photo", fixture->jpeg,
                       "--consultation", consultation, "--site", "thighs", "--side", "left",
                       "--moment", "consultation", NULL);
  g_assert_cmpint (status, !=, 0);
  g_assert_nonnull (strstr (err, "has not given consent to photos"));
  g_assert_cmpint (count_photos (fixture), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  status = run_striae (fixture->location, &out, &err, "--photo-consent", patient, "clinical",
                       NULL);
  g_test_message ("%s", err);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "Clinical record only"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Three files at once: the text file is refused on its own, the two photos are added. */
  status = run_striae (fixture->location, &out, &err, "--add-photo", fixture->jpeg,
                       fixture->text, fixture->jpeg, "--consultation", consultation,
                       "--site", "thighs", "--side", "left", "--moment", "consultation", NULL);
  g_test_message ("%s%s", out, err);
  g_assert_cmpint (status, !=, 0);
  g_assert_nonnull (strstr (out, "(90 × 60 pixels)"));
  g_assert_nonnull (strstr (err, "notes.txt: This file is not a photo Striae can read"));
  g_assert_cmpint (count_photos (fixture), ==, 2);
  g_assert_cmpint (striae_test_store_query_int (fixture->location,
                                                "SELECT count (*) FROM audit"
                                                " WHERE action = 'photo-add'"), ==, 2);
}

typedef struct
{
  const char *name;
  const char *args[12];
  const char *message;
} BadCall;

static const BadCall bad_calls[] = {
  { "no-side", { "--site", "thighs", "--moment", "consultation", NULL },
    "--site thighs is on both sides of the body" },
  { "bad-site", { "--site", "knee", "--side", "left", "--moment", "consultation", NULL },
    "--site takes abdomen, breasts" },
  { "bad-moment", { "--site", "abdomen", "--moment", "later", NULL },
    "--moment takes consultation, before or after, not “later”." },
  { "no-moment", { "--site", "abdomen", NULL }, "--add-photo needs --moment" },
  { "no-record", { "--site", "abdomen", "--moment", "before", "--session", "3", NULL },
    "Session 3 of consultation" },
};

static void
test_bad_call (Fixture       *fixture,
               gconstpointer  data)
{
  const BadCall *bad = data;
  g_autofree char *consultation = g_strdup_printf ("%" G_GINT64_FORMAT, fixture->consultation);
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *env_args[32] = { NULL };
  int status;

  g_ptr_array_add (args, (gpointer) "--add-photo");
  g_ptr_array_add (args, fixture->jpeg);
  g_ptr_array_add (args, (gpointer) "--consultation");
  g_ptr_array_add (args, consultation);
  for (guint i = 0; bad->args[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) bad->args[i]);
  g_assert_cmpuint (args->len, <, G_N_ELEMENTS (env_args) - 2);
  env_args[0] = "--database";
  env_args[1] = fixture->location;
  for (guint i = 0; i < args->len; i++)
    env_args[2 + i] = g_ptr_array_index (args, i);

  status = run_striae_env (NULL, NULL, env_args, &out, &err);
  g_test_message ("%s", err);
  g_assert_cmpint (status, !=, 0);
  g_assert_nonnull (strstr (err, bad->message));
  g_assert_cmpint (count_photos (fixture), ==, 0);
}

static void
test_option_alone (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  status = run_striae (fixture->location, &out, &err, "--site", "thighs", NULL);
  g_assert_cmpint (status, !=, 0);
  g_assert_nonnull (strstr (err, "--site works together with --add-photo."));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  status = run_striae (fixture->location, &out, &err, "--photo-consent", "1", "always", NULL);
  g_assert_cmpint (status, !=, 0);
  g_assert_nonnull (strstr (err, "none, clinical or teaching"));
}

static StriaeSheet *
compose (Fixture             *fixture,
         StriaeSheetDelivery *delivery,
         gint64               id,
         const char          *name)
{
  g_autoptr(StriaeConsultation) c = NULL;
  g_autoptr(StriaePatient) patient = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *unfinished = NULL;
  g_autofree char *warning = NULL;
  StriaeSheet *sheet;

  c = striae_store_get_consultation (fixture->store, id, &error);
  g_assert_no_error (error);
  patient = striae_store_get_patient (fixture->store, fixture->patient, &error);
  g_assert_no_error (error);
  sheet = striae_sheet_delivery_compose (delivery, patient, c, name, "en",
                                         striae_test_date ("2026-03-02"), &unfinished,
                                         &warning, &error);
  g_assert_no_error (error);
  g_assert_null (warning);
  g_assert_nonnull (sheet);
  return sheet;
}

/* Photos on a clinic's sheet through the application's delivery (issue 18): the photo comes
 * from the records through the audited read, one "photo-view" row for it; a shipped sheet
 * reads none. */
static void
test_sheet (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.striae.Striae");
  g_autoptr(StriaeSheetDelivery) delivery = striae_sheet_delivery_new (fixture->store,
                                                                       settings);
  g_autofree char *sheets = g_build_filename (fixture->dir, "sheets", "en", NULL);
  g_autofree char *template = g_build_filename (sheets, "aftercare.xml", NULL);
  g_autofree char *sheets_dir = g_build_filename (fixture->dir, "sheets", NULL);
  g_autofree char *content = NULL;
  g_autoptr(StriaeSheet) shipped = NULL;
  g_autoptr(StriaeSheet) sheet = NULL;
  g_autoptr(StriaePhoto) photo = NULL;
  g_autoptr(GBytes) jpeg = NULL;
  g_autoptr(GError) error = NULL;
  const char *xml =
    "<sheet version=\"1\" title=\"Your progress\">\n"
    "  <section id=\"progress\" title=\"Your progress\">\n"
    "    <p id=\"intro\">Your skin at the start.</p>\n"
    "    <photos id=\"progress-photos\" which=\"first-latest\"/>\n"
    "  </section>\n"
    "</sheet>\n";
  char *data_bytes = NULL;
  gsize size = 0;
  gint64 id = striae_test_store_add_signed_course (fixture->store, fixture->patient,
                                                  STRIAE_SIDE_LEFT);

  g_assert_cmpint (g_mkdir_with_parents (sheets, 0700), ==, 0);
  g_assert_true (g_file_set_contents (template, xml, -1, &error));
  g_assert_no_error (error);
  striae_sheet_delivery_set_override_dir (delivery, sheets_dir);
  /* On a clinic server the clinic's sheets are those in the records. */
  if (striae_store_is_server_location (fixture->location))
    {
      guint n = 0;

      g_assert_true (striae_clinic_cache_load_folder (fixture->store, sheets_dir, NULL, &n,
                                                      &error));
      g_assert_no_error (error);
      g_assert_cmpuint (n, ==, 1);
    }

  g_assert_true (striae_store_set_photo_consent (fixture->store, fixture->patient,
                                                 STRIAE_PHOTO_CONSENT_CLINICAL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (fixture->jpeg, &data_bytes, &size, &error));
  jpeg = g_bytes_new_take (data_bytes, size);
  photo = striae_store_add_photo (fixture->store, id, 0, STRIAE_BODY_SITE_THIGHS,
                                  STRIAE_SIDE_LEFT, STRIAE_PHOTO_MOMENT_CONSULTATION, jpeg,
                                  &error);
  g_assert_no_error (error);

  shipped = compose (fixture, delivery, id, "pre");
  g_assert_cmpint (striae_test_store_query_int (fixture->location,
                                                "SELECT count (*) FROM audit"
                                                " WHERE action = 'photo-view'"), ==, 0);

  sheet = compose (fixture, delivery, id, "aftercare");
  content = striae_sheet_dup_content_text (sheet);
  g_test_message ("%s", content);
  g_assert_nonnull (strstr (content, "photos\tLeft thigh 2026-03-02 · Consultation\n"));
  g_assert_cmpint (striae_test_store_query_int (fixture->location,
                                                "SELECT count (*) FROM audit"
                                                " WHERE action = 'photo-view'"), ==, 1);

  /* Composed again by the same delivery (the preview's language or sheet changed): the image
   * it opened is not opened again; another delivery opens it, audited. */
  g_clear_object (&sheet);
  sheet = compose (fixture, delivery, id, "aftercare");
  g_assert_cmpint (striae_test_store_query_int (fixture->location,
                                                "SELECT count (*) FROM audit"
                                                " WHERE action = 'photo-view'"), ==, 1);
  g_clear_object (&sheet);
  g_clear_object (&delivery);
  delivery = striae_sheet_delivery_new (fixture->store, settings);
  striae_sheet_delivery_set_override_dir (delivery, sheets_dir);
  sheet = compose (fixture, delivery, id, "aftercare");
  g_assert_cmpint (striae_test_store_query_int (fixture->location,
                                                "SELECT count (*) FROM audit"
                                                " WHERE action = 'photo-view'"), ==, 2);
  g_unlink (template);
  g_rmdir (sheets);
  g_rmdir (sheets_dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, data) \
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)
  ADD ("/cli-photos/add", test_add, NULL);
  ADD ("/cli-photos/sheet", test_sheet, NULL);
  ADD ("/cli-photos/option-alone", test_option_alone, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (bad_calls); i++)
    {
      g_autofree char *path = g_strdup_printf ("/cli-photos/bad/%s", bad_calls[i].name);

      ADD (path, test_bad_call, &bad_calls[i]);
    }
#undef ADD

  return g_test_run ();
}
