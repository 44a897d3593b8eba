/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <poppler.h>
#include <string.h>

#include "striae-sheet-composer.h"
#include "striae-sheet-error.h"
#include "striae-sheet-private.h"
#include "striae-test-date.h"
#include "striae-test-files.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerDocument, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerPage, g_object_unref)

/* Photos on a sheet (issue 18): a clinic's template with a <photos> element prints the
 * patient's photos of the consultation (first and latest of each area, never one taken
 * right after treating nor one after the sheet's day), read through the source only then;
 * the shipped templates ask for none, read none and carry no image; without consent
 * nothing is printed and the person printing is told. */

static const StriaeClinicSettings clinic = {
  .name = "Clinique Étoile",
  .address = "1 rue de la Paix\n75002 Paris",
  .phone = "+33 1 23 45 67 89",
  .email = "contact@etoile.example",
  .logo_path = NULL,
  .paper = STRIAE_PAPER_A4,
  .practitioner = "Dr Hélène Marchand",
  .language = "en",
};

#define CONSULTATION_ID 7

/* What the fake records hold, and what the sheets asked of them. */
typedef struct
{
  StriaePhotoConsentScope  consent;
  GPtrArray               *photos;
  guint                    n_lists;
  GArray                  *reads;     /* gint64: the photo ids read, in order */
} Records;

typedef struct
{
  char    *dir;         /* the clinic's templates */
  Records  records;
} Fixture;

static GBytes *
make_jpeg (int     width,
           int     height,
           guint32 rgba)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autoptr(GError) error = NULL;
  char *buffer = NULL;
  gsize size = 0;

  gdk_pixbuf_fill (pixbuf, rgba);
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "jpeg", &error, NULL));
  g_assert_no_error (error);
  return g_bytes_new_take (buffer, size);
}

static StriaePhoto *
make_photo (gint64             id,
            gint64             consultation_id,
            StriaeBodySite     site,
            StriaeSide         side,
            StriaePhotoMoment  moment,
            guint              session,
            const char        *date)
{
  StriaePhoto *photo = striae_photo_new ();

  striae_photo_set_id (photo, id);
  striae_photo_set_consultation_id (photo, consultation_id);
  striae_photo_set_site (photo, site);
  striae_photo_set_side (photo, side);
  striae_photo_set_moment (photo, moment);
  striae_photo_set_session_number (photo, session);
  striae_photo_set_date (photo, striae_test_date (date));
  striae_photo_set_size (photo, 400, 300);
  return photo;
}

static gboolean
list_cb (gpointer                  user_data,
         StriaePhotoConsentScope  *consent,
         GPtrArray               **photos,
         GError                  **error)
{
  Records *records = user_data;

  records->n_lists++;
  *consent = records->consent;
  *photos = g_ptr_array_ref (records->photos);
  return TRUE;
}

static GBytes *
read_cb (gpointer      user_data,
         StriaePhoto  *photo,
         GError      **error)
{
  Records *records = user_data;
  gint64 id = striae_photo_get_id (photo);

  g_array_append_val (records->reads, id);
  /* Each photo its own colour, so that the rendered page shows which is which. */
  return make_jpeg (400, 300, 0x30000000u + (guint32) id * 0x00304000u + 0xffu);
}

/* The records of Zoë: the abdomen at the consultation, before and after session 1 and
 * before session 2 (after the sheet's day); the left thigh at the consultation; and a
 * photo of another consultation of hers. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *shipped = NULL;
  g_autofree char *path = NULL;
  g_autofree char *lang = NULL;
  g_autofree char *changed = NULL;
  char *end;

  fixture->dir = g_dir_make_tmp ("striae-sheet-photos-XXXXXX", &error);
  g_assert_no_error (error);
  lang = g_build_filename (fixture->dir, "en", NULL);
  g_assert_cmpint (g_mkdir (lang, 0700), ==, 0);

  /* The clinic's aftercare: the shipped one with its photos after "What is normal". */
  path = g_build_filename (g_getenv ("STRIAE_SOURCE_ROOT"), "data", "sheets", "en",
                           "aftercare.xml", NULL);
  g_assert_true (g_file_get_contents (path, &shipped, NULL, &error));
  g_assert_no_error (error);
  end = strstr (shipped, "<section id=\"care\"");
  g_assert_nonnull (end);
  changed = g_strdup_printf ("%.*s<section id=\"progress\" title=\"Your progress\">\n"
                             "    <photos id=\"progress-photos\" which=\"%s\"\n"
                             "            empty=\"We take your first photos at the "
                             "consultation.\"/>\n  </section>\n  %s",
                             (int) (end - shipped), shipped, (const char *) data, end);
  g_free (path);
  path = g_build_filename (lang, "aftercare.xml", NULL);
  g_assert_true (g_file_set_contents (path, changed, -1, &error));
  g_assert_no_error (error);

  fixture->records.consent = STRIAE_PHOTO_CONSENT_CLINICAL;
  fixture->records.reads = g_array_new (FALSE, FALSE, sizeof (gint64));
  fixture->records.photos = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (fixture->records.photos,
                   make_photo (1, CONSULTATION_ID, STRIAE_BODY_SITE_ABDOMEN,
                               STRIAE_SIDE_NOT_APPLICABLE, STRIAE_PHOTO_MOMENT_CONSULTATION, 0,
                               "2026-11-20"));
  g_ptr_array_add (fixture->records.photos,
                   make_photo (2, CONSULTATION_ID, STRIAE_BODY_SITE_THIGHS, STRIAE_SIDE_LEFT,
                               STRIAE_PHOTO_MOMENT_CONSULTATION, 0, "2026-11-20"));
  g_ptr_array_add (fixture->records.photos,
                   make_photo (3, CONSULTATION_ID, STRIAE_BODY_SITE_ABDOMEN,
                               STRIAE_SIDE_NOT_APPLICABLE, STRIAE_PHOTO_MOMENT_BEFORE, 1,
                               "2026-12-01"));
  g_ptr_array_add (fixture->records.photos,
                   make_photo (4, CONSULTATION_ID, STRIAE_BODY_SITE_ABDOMEN,
                               STRIAE_SIDE_NOT_APPLICABLE, STRIAE_PHOTO_MOMENT_AFTER, 1,
                               "2026-12-01"));
  g_ptr_array_add (fixture->records.photos,
                   make_photo (5, 99, STRIAE_BODY_SITE_ABDOMEN, STRIAE_SIDE_NOT_APPLICABLE,
                               STRIAE_PHOTO_MOMENT_BEFORE, 1, "2026-12-05"));
  g_ptr_array_add (fixture->records.photos,
                   make_photo (6, CONSULTATION_ID, STRIAE_BODY_SITE_ABDOMEN,
                               STRIAE_SIDE_NOT_APPLICABLE, STRIAE_PHOTO_MOMENT_BEFORE, 2,
                               "2027-01-12"));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  striae_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_ptr_array_unref (fixture->records.photos);
  g_array_unref (fixture->records.reads);
}

static void
answer_everything_no (StriaeConsultation *c)
{
  StriaeSkin *skin = striae_consultation_get_skin (c);

  for (guint q = 0; q < STRIAE_N_QUESTIONS; q++)
    striae_history_set_answer (striae_consultation_get_history (c), q, STRIAE_ANSWER_NO);
  for (guint f = 0; f < STRIAE_N_SKIN_FACTS; f++)
    striae_skin_set_fact (skin, f, STRIAE_ANSWER_NO);
}

static void
make_patient (StriaePatient      **patient,
              StriaeConsultation **consultation)
{
  StriaePatient *p = striae_patient_new ();
  StriaeConsultation *c = striae_consultation_new ();
  StriaePlan *plan = striae_consultation_get_plan (c);
  g_autoptr(StriaeArea) abdomen = striae_area_new (STRIAE_BODY_SITE_ABDOMEN);
  g_autoptr(StriaeArea) thigh = striae_area_new (STRIAE_BODY_SITE_THIGHS);

  striae_patient_set_given_name (p, "Zoë");
  striae_patient_set_family_name (p, "Dubois-Émond");
  striae_patient_set_birth_date (p, striae_test_date ("1990-05-12"));
  striae_patient_set_language (p, "en");

  striae_consultation_set_id (c, CONSULTATION_ID);
  answer_everything_no (c);
  striae_skin_set_fitzpatrick (striae_consultation_get_skin (c), 2);
  for (StriaeArea *area = abdomen; area != NULL; area = area == abdomen ? thigh : NULL)
    {
      striae_area_set_severity (area, STRIAE_SEVERITY_MODERATE);
      striae_area_set_mark_type (area, STRIAE_MARK_TYPE_ALBAE);
      striae_area_set_depth (area, 1.0);
    }
  striae_area_set_side (thigh, STRIAE_SIDE_LEFT);
  striae_consultation_add_area (c, abdomen);
  striae_consultation_add_area (c, thigh);
  striae_plan_set_device (plan, STRIAE_DEVICE_PEN);
  striae_plan_set_sessions (plan, 4);
  striae_plan_set_interval_weeks (plan, 6);
  striae_plan_set_first_session (plan, striae_test_date ("2026-12-01"));

  *patient = p;
  *consultation = c;
}

static StriaeSheet *
compose (Fixture    *fixture,
         const char *name,
         const char *override_dir)
{
  g_autoptr(StriaePatient) patient = NULL;
  g_autoptr(StriaeConsultation) consultation = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *warning = NULL;
  StriaeSheetPhotoSource source = { list_cb, read_cb, &fixture->records };
  StriaeSheet *sheet;

  make_patient (&patient, &consultation);
  sheet = striae_sheet_compose (&(StriaeSheetRequest) {
      .name = name,
      .language = "en",
      .patient = patient,
      .consultation = consultation,
      .clinic = &clinic,
      .override_dir = override_dir,
      .sheet_date = striae_test_date ("2027-01-05"),
      .photos = &source,
    },
    NULL, &warning, &error);
  g_assert_no_error (error);
  g_assert_null (warning);
  g_assert_nonnull (sheet);
  return sheet;
}

/* The images of the PDF as `pdfimages -list` counts them (one line each after its two
 * heading lines), and as poppler-glib finds them on the pages. */
static guint
count_images (const char *pdf)
{
  g_autofree char *uri = g_filename_to_uri (pdf, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PopplerDocument) document = poppler_document_new_from_file (uri, NULL, &error);
  g_autofree char *pdfimages = g_find_program_in_path ("pdfimages");
  guint mapped = 0;

  g_assert_no_error (error);
  for (int i = 0; i < poppler_document_get_n_pages (document); i++)
    {
      g_autoptr(PopplerPage) page = poppler_document_get_page (document, i);
      GList *images = poppler_page_get_image_mapping (page);

      mapped += g_list_length (images);
      poppler_page_free_image_mapping (images);
    }

  if (pdfimages != NULL)
    {
      const char *argv[] = { pdfimages, "-list", pdf, NULL };
      g_autofree char *out = NULL;
      g_auto(GStrv) lines = NULL;
      int status = 0;
      guint listed = 0;

      g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL,
                                   NULL, NULL, &out, NULL, &status, &error));
      g_assert_no_error (error);
      g_assert_cmpint (status, ==, 0);
      lines = g_strsplit (out, "\n", -1);
      for (guint i = 2; lines[i] != NULL; i++)
        if (*lines[i] != '\0')
          {
            listed++;
            /* Each photo is kept as a JPEG in the PDF. */
            g_assert_nonnull (strstr (lines[i], "jpeg"));
          }
      g_assert_cmpuint (listed, ==, mapped);
    }
  return mapped;
}

static char *
export (StriaeSheet *sheet,
        const char  *dir,
        const char  *name)
{
  g_autoptr(GError) error = NULL;
  char *pdf = g_build_filename (dir, name, NULL);

  g_assert_true (striae_sheet_export_pdf (sheet, pdf, &error));
  g_assert_no_error (error);
  return pdf;
}

static char *
pdf_text (const char *pdf)
{
  g_autofree char *uri = g_filename_to_uri (pdf, NULL, NULL);
  g_autoptr(PopplerDocument) document = poppler_document_new_from_file (uri, NULL, NULL);
  GString *text = g_string_new (NULL);

  for (int i = 0; i < poppler_document_get_n_pages (document); i++)
    {
      g_autoptr(PopplerPage) page = poppler_document_get_page (document, i);
      g_autofree char *page_text = poppler_page_get_text (page);

      g_string_append (text, page_text);
    }
  return g_string_free (text, FALSE);
}

/* first-latest: the abdomen at the consultation and before session 1 (not the photo after
 * it, not session 2's after the sheet's day, not the other consultation's), the left thigh
 * once; each read once, in that order, and each an image of the PDF with its caption. */
static void
test_first_latest (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(StriaeSheet) sheet = compose (fixture, "aftercare", fixture->dir);
  g_autofree char *pdf = export (sheet, fixture->dir, "progress.pdf");
  g_autofree char *text = pdf_text (pdf);
  g_autofree char *content = striae_sheet_dup_content_text (sheet);

  g_assert_cmpuint (fixture->records.n_lists, ==, 1);
  g_assert_cmpuint (fixture->records.reads->len, ==, 3);
  g_assert_cmpint (g_array_index (fixture->records.reads, gint64, 0), ==, 1);
  g_assert_cmpint (g_array_index (fixture->records.reads, gint64, 1), ==, 3);
  g_assert_cmpint (g_array_index (fixture->records.reads, gint64, 2), ==, 2);
  g_assert_cmpuint (count_images (pdf), ==, 3);
  g_assert_true (striae_sheet_has_item (sheet, "progress-photos"));

  g_assert_nonnull (strstr (text, "Your progress"));
  g_assert_nonnull (strstr (content, "photos\tAbdomen 20 November 2026 · Consultation\t"
                                     "Abdomen 1 December 2026 · Session 1, before "
                                     "treatment\n"));
  g_assert_nonnull (strstr (content, "photos\tLeft thigh 20 November 2026 · Consultation\n"));
  g_assert_null (strstr (text, "We take your first photos"));
  g_assert_cmpstrv (striae_sheet_get_warnings (sheet), ((const char *[]) { NULL }));
}

/* first-latest keeps each area on its own row: an area with one photo is not paired with
 * the next area's first. */
static void
test_area_a_row (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(StriaeSheet) sheet = NULL;
  g_autofree char *content = NULL;

  /* The abdomen at the consultation only (its session photos gone), the left thigh. */
  g_ptr_array_remove_range (fixture->records.photos, 2, 4);
  sheet = compose (fixture, "aftercare", fixture->dir);
  content = striae_sheet_dup_content_text (sheet);

  g_assert_cmpuint (fixture->records.reads->len, ==, 2);
  g_assert_nonnull (strstr (content, "photos\tAbdomen 20 November 2026 · Consultation\n"
                                     "photos\tLeft thigh 20 November 2026 · Consultation\n"));
}

/* The other choices, straight from the selection. */
static void
test_which (Fixture       *fixture,
            gconstpointer  data)
{
  GPtrArray *photos = fixture->records.photos;
  const GDate *day = striae_test_date ("2027-01-05");
  g_autoptr(GPtrArray) latest = _striae_sheet_photos_select (photos, STRIAE_PHOTOS_LATEST,
                                                             CONSULTATION_ID, day);
  g_autoptr(GPtrArray) all = _striae_sheet_photos_select (photos, STRIAE_PHOTOS_ALL_BEFORE,
                                                          CONSULTATION_ID, NULL);
  g_autoptr(GPtrArray) none = _striae_sheet_photos_select (photos, STRIAE_PHOTOS_LATEST, 42,
                                                           NULL);

  g_assert_cmpuint (latest->len, ==, 2);
  g_assert_cmpint (striae_photo_get_id (g_ptr_array_index (latest, 0)), ==, 3);
  g_assert_cmpint (striae_photo_get_id (g_ptr_array_index (latest, 1)), ==, 2);
  /* Without a day: every photo of the consultation but the one after treating. */
  g_assert_cmpuint (all->len, ==, 4);
  g_assert_cmpint (striae_photo_get_id (g_ptr_array_index (all, 0)), ==, 1);
  g_assert_cmpint (striae_photo_get_id (g_ptr_array_index (all, 1)), ==, 3);
  g_assert_cmpint (striae_photo_get_id (g_ptr_array_index (all, 2)), ==, 6);
  g_assert_cmpint (striae_photo_get_id (g_ptr_array_index (all, 3)), ==, 2);
  g_assert_cmpuint (none->len, ==, 0);
}

/* The shipped sheets ask for no photo: none is listed or read, and no PDF has an image. */
static void
test_shipped (Fixture       *fixture,
              gconstpointer  data)
{
  const char *names[] = { "pre", "aftercare", "consent" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(StriaeSheet) sheet = compose (fixture, names[i], NULL);
      g_autofree char *file = g_strconcat (names[i], ".pdf", NULL);
      g_autofree char *pdf = export (sheet, fixture->dir, file);

      g_assert_cmpuint (count_images (pdf), ==, 0);
    }
  g_assert_cmpuint (fixture->records.n_lists, ==, 0);
  g_assert_cmpuint (fixture->records.reads->len, ==, 0);
}

/* Without consent: no photo read or printed, not even the "empty" sentence; the person
 * printing is told why. */
static void
test_no_consent (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(StriaeSheet) sheet = NULL;
  g_autofree char *pdf = NULL;
  g_autofree char *text = NULL;
  const char * const *warnings;

  fixture->records.consent = STRIAE_PHOTO_CONSENT_NONE;
  sheet = compose (fixture, "aftercare", fixture->dir);
  pdf = export (sheet, fixture->dir, "no-consent.pdf");
  text = pdf_text (pdf);

  g_assert_cmpuint (fixture->records.reads->len, ==, 0);
  g_assert_cmpuint (count_images (pdf), ==, 0);
  g_assert_null (strstr (text, "Your progress"));
  g_assert_null (strstr (text, "We take your first photos"));
  warnings = striae_sheet_get_warnings (sheet);
  g_assert_nonnull (warnings[0]);
  g_assert_nonnull (strstr (warnings[0], "has not consented to photos"));
}

/* With consent and no photo yet: the clinic's "empty" sentence. */
static void
test_no_photos (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(StriaeSheet) sheet = NULL;
  g_autofree char *pdf = NULL;
  g_autofree char *text = NULL;

  g_ptr_array_set_size (fixture->records.photos, 0);
  sheet = compose (fixture, "aftercare", fixture->dir);
  pdf = export (sheet, fixture->dir, "no-photos.pdf");
  text = pdf_text (pdf);

  g_assert_cmpuint (count_images (pdf), ==, 0);
  g_assert_nonnull (strstr (text, "We take your first photos at the consultation."));
}

/* A <photos> element that names no known choice is refused with its line. */
static void
test_bad_which (void)
{
  const char *xml =
    "<sheet version=\"1\" title=\"T\">\n"
    "  <section id=\"s\" title=\"S\">\n"
    "    <photos id=\"p\" which=\"best\"/>\n"
    "  </section>\n"
    "</sheet>\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(StriaeSheetTemplate) template =
    striae_sheet_template_new_from_data (xml, -1, "clinic.xml", NULL, NULL, &error);

  g_assert_null (template);
  g_assert_error (error, STRIAE_SHEET_ERROR, STRIAE_SHEET_ERROR_MARKUP);
  g_assert_nonnull (strstr (error->message, "clinic.xml:3"));
  g_assert_nonnull (strstr (error->message, "which=\"best\""));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/sheet-photos/first-latest", Fixture, "first-latest", fixture_set_up,
              test_first_latest, fixture_tear_down);
  g_test_add ("/sheet-photos/area-a-row", Fixture, "first-latest", fixture_set_up,
              test_area_a_row, fixture_tear_down);
  g_test_add ("/sheet-photos/which", Fixture, "latest", fixture_set_up, test_which,
              fixture_tear_down);
  g_test_add ("/sheet-photos/shipped", Fixture, "latest", fixture_set_up, test_shipped,
              fixture_tear_down);
  g_test_add ("/sheet-photos/no-consent", Fixture, "latest", fixture_set_up,
              test_no_consent, fixture_tear_down);
  g_test_add ("/sheet-photos/no-photos", Fixture, "all-before", fixture_set_up,
              test_no_photos, fixture_tear_down);
  g_test_add_func ("/sheet-photos/bad-which", test_bad_which);

  return g_test_run ();
}
