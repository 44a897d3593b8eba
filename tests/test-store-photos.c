/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <string.h>

#include "striae-photo-image.h"
#include "striae-store.h"
#include "striae-test-store.h"
#include "striae-test-date.h"

/* Photos in the records (issue 18) on the backend STRIAE_TEST_BACKEND names: the photo
 * consent and its audit, a photo refused without it, added with it (cleaned, with its
 * thumbnail and SHA-256), listed with its date, session number and depth, opened (audited),
 * deleted, erased with the patient, exported and imported. */

typedef struct
{
  char        *dir;
  char        *location;
  StriaeStore *store;
  gint64       patient;
} Fixture;

static gint64
add_patient (StriaeStore *store,
             const char  *given,
             const char  *family)
{
  g_autoptr(StriaePatient) patient = striae_patient_new ();
  g_autoptr(GError) error = NULL;

  striae_patient_set_given_name (patient, given);
  striae_patient_set_family_name (patient, family);
  striae_patient_set_birth_date (patient, striae_test_date ("1991-04-02"));
  g_assert_true (striae_store_add_patient (store, patient, &error));
  g_assert_no_error (error);

  return striae_patient_get_id (patient);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("striae-photos-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->location = striae_test_store_location (fixture->dir);
  fixture->store = striae_test_store_open (fixture->location);
  fixture->patient = add_patient (fixture->store, "Inès", "Moreau");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  striae_test_store_remove (fixture->location);
  g_assert_cmpint (g_rmdir (fixture->dir), ==, 0);
  g_free (fixture->location);
  g_free (fixture->dir);
}

/* A complete consultation of @patient: one left thigh area at 1 mm, 3 sessions. */
static StriaeConsultation *
add_consultation (Fixture *fixture,
                  gint64   patient)
{
  g_autoptr(StriaeConsultation) c = striae_consultation_new ();
  g_autoptr(StriaeArea) area = striae_area_new (STRIAE_BODY_SITE_THIGHS);
  StriaePlan *plan = striae_consultation_get_plan (c);
  g_autoptr(GError) error = NULL;

  striae_consultation_set_patient_id (c, patient);
  striae_consultation_set_date (c, striae_test_date ("2026-03-02"));
  striae_consultation_set_practitioner (c, "Dr Roux");
  for (guint q = 0; q < STRIAE_N_QUESTIONS; q++)
    striae_history_set_answer (striae_consultation_get_history (c), q, STRIAE_ANSWER_NO);
  for (guint f = 0; f < STRIAE_N_SKIN_FACTS; f++)
    striae_skin_set_fact (striae_consultation_get_skin (c), f, STRIAE_ANSWER_NO);
  striae_skin_set_fitzpatrick (striae_consultation_get_skin (c), 3);
  striae_area_set_side (area, STRIAE_SIDE_LEFT);
  striae_area_set_severity (area, STRIAE_SEVERITY_MODERATE);
  striae_area_set_mark_type (area, STRIAE_MARK_TYPE_ALBAE);
  striae_area_set_depth (area, 1.0);
  striae_consultation_add_area (c, area);
  striae_plan_set_device (plan, STRIAE_DEVICE_PEN);
  striae_plan_set_sessions (plan, 3);
  striae_plan_set_interval_weeks (plan, 4);
  striae_plan_set_first_session (plan, striae_test_date ("2026-03-09"));
  striae_plan_set_maintenance_months (plan, 4);
  striae_consultation_set_status (c, STRIAE_CONSULTATION_STATUS_COMPLETE);
  g_assert_true (striae_store_save_consultation (fixture->store, c, "Dr Roux", &error));
  g_assert_no_error (error);

  return g_steal_pointer (&c);
}

static gint64
count_audit (Fixture    *fixture,
             const char *action)
{
  g_autofree char *sql =
    g_strdup_printf ("SELECT count (*) FROM audit WHERE action = '%s'", action);

  return striae_test_store_query_int (fixture->location, sql);
}

/* A JPEG of @width × @height in a gradient, made with gdk-pixbuf. */
static GBytes *
make_jpeg (int width,
           int height)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autoptr(GError) error = NULL;
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  char *buffer = NULL;
  gsize size = 0;

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint8 *p = pixels + y * stride + x * 3;

        p[0] = (guint8) (x * 255 / MAX (width - 1, 1));
        p[1] = (guint8) (y * 255 / MAX (height - 1, 1));
        p[2] = (guint8) ((x + y) & 0xff);
      }
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "jpeg", &error,
                                            "quality", "85", NULL));
  g_assert_no_error (error);
  return g_bytes_new_take (buffer, size);
}

static void
set_consent (Fixture                 *fixture,
             StriaePhotoConsentScope  scope)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (striae_store_set_photo_consent (fixture->store, fixture->patient, scope,
                                                 &error));
  g_assert_no_error (error);
}

static StriaePhoto *
add_photo (Fixture           *fixture,
           gint64             consultation,
           gint64             session,
           StriaePhotoMoment  moment,
           GBytes            *bytes)
{
  g_autoptr(GError) error = NULL;
  StriaePhoto *photo = striae_store_add_photo (fixture->store, consultation, session,
                                               STRIAE_BODY_SITE_THIGHS, STRIAE_SIDE_LEFT,
                                               moment, bytes, &error);

  g_assert_no_error (error);
  g_assert_nonnull (photo);
  return photo;
}

static void
test_consent (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(StriaeConsultation) c = add_consultation (fixture, fixture->patient);
  g_autoptr(GBytes) jpeg = make_jpeg (64, 48);
  g_autoptr(GDateTime) recorded = NULL;
  g_autoptr(StriaePhoto) photo = NULL;
  g_autoptr(StriaePhoto) refused = NULL;
  g_autoptr(GPtrArray) photos = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = striae_consultation_get_id (c);

  /* Never asked: none, and no photo. */
  g_assert_cmpint (striae_store_get_photo_consent (fixture->store, fixture->patient,
                                                   &recorded, &error), ==,
                   STRIAE_PHOTO_CONSENT_NONE);
  g_assert_no_error (error);
  g_assert_null (recorded);
  refused = striae_store_add_photo (fixture->store, id, 0, STRIAE_BODY_SITE_THIGHS,
                                    STRIAE_SIDE_LEFT, STRIAE_PHOTO_MOMENT_CONSULTATION, jpeg,
                                    &error);
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_ALLOWED);
  g_assert_null (refused);
  g_clear_error (&error);
  g_assert_cmpint (count_audit (fixture, "photo-add"), ==, 0);

  /* Given for the clinical record: recorded, audited, and a photo is taken. */
  set_consent (fixture, STRIAE_PHOTO_CONSENT_CLINICAL);
  g_assert_cmpint (striae_store_get_photo_consent (fixture->store, fixture->patient,
                                                   &recorded, &error), ==,
                   STRIAE_PHOTO_CONSENT_CLINICAL);
  g_assert_no_error (error);
  g_assert_nonnull (recorded);
  g_assert_cmpint (count_audit (fixture, "photo-consent"), ==, 1);
  photo = add_photo (fixture, id, 0, STRIAE_PHOTO_MOMENT_CONSULTATION, jpeg);
  g_assert_cmpint (count_audit (fixture, "photo-add"), ==, 1);

  /* Withdrawn: the photo stays, a new one is refused. */
  set_consent (fixture, STRIAE_PHOTO_CONSENT_NONE);
  g_assert_cmpint (count_audit (fixture, "photo-consent"), ==, 2);
  g_clear_object (&refused);
  refused = striae_store_add_photo (fixture->store, id, 0, STRIAE_BODY_SITE_THIGHS,
                                    STRIAE_SIDE_LEFT, STRIAE_PHOTO_MOMENT_CONSULTATION, jpeg,
                                    &error);
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_ALLOWED);
  g_assert_null (refused);
  g_clear_error (&error);
  photos = striae_store_list_patient_photos (fixture->store, fixture->patient, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (photos->len, ==, 1);
}

static void
test_add_list_open (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(StriaeConsultation) c = add_consultation (fixture, fixture->patient);
  g_autoptr(GBytes) jpeg = make_jpeg (640, 480);
  g_autoptr(StriaePhoto) photo = NULL;
  g_autoptr(GPtrArray) photos = NULL;
  g_autoptr(GBytes) thumbnail = NULL;
  g_autoptr(GBytes) image = NULL;
  g_autoptr(GdkPixbuf) thumb = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sha = NULL;
  StriaePhoto *listed;

  set_consent (fixture, STRIAE_PHOTO_CONSENT_TEACHING);
  photo = add_photo (fixture, striae_consultation_get_id (c), 0,
                     STRIAE_PHOTO_MOMENT_CONSULTATION, jpeg);
  g_assert_cmpint (striae_photo_get_id (photo), >, 0);
  g_assert_cmpuint (striae_photo_get_width (photo), ==, 640);
  g_assert_cmpuint (striae_photo_get_height (photo), ==, 480);

  photos = striae_store_list_patient_photos (fixture->store, fixture->patient, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (photos->len, ==, 1);
  listed = g_ptr_array_index (photos, 0);
  g_assert_cmpint (striae_photo_get_id (listed), ==, striae_photo_get_id (photo));
  g_assert_cmpint (striae_photo_get_patient_id (listed), ==, fixture->patient);
  g_assert_cmpint (striae_photo_get_site (listed), ==, STRIAE_BODY_SITE_THIGHS);
  g_assert_cmpint (striae_photo_get_side (listed), ==, STRIAE_SIDE_LEFT);
  g_assert_cmpint (striae_photo_get_moment (listed), ==, STRIAE_PHOTO_MOMENT_CONSULTATION);
  g_assert_cmpuint (striae_photo_get_session_number (listed), ==, 0);
  g_assert_cmpint (g_date_compare (striae_photo_get_date (listed),
                                   striae_test_date ("2026-03-02")), ==, 0);
  g_assert_cmpfloat_with_epsilon (striae_photo_get_depth_mm (listed), 1.0, 1e-9);
  g_assert_cmpstr (striae_photo_get_sha256 (listed), ==, striae_photo_get_sha256 (photo));

  thumbnail = striae_store_get_photo_thumbnail (fixture->store, striae_photo_get_id (photo),
                                                &error);
  g_assert_no_error (error);
  thumb = gdk_pixbuf_new_from_stream (g_memory_input_stream_new_from_bytes (thumbnail), NULL,
                                      &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (thumb), ==, STRIAE_PHOTO_THUMBNAIL_SIZE);
  g_assert_cmpint (gdk_pixbuf_get_height (thumb), ==, 192);
  g_assert_cmpint (count_audit (fixture, "photo-view"), ==, 0);

  image = striae_store_get_photo_image (fixture->store, striae_photo_get_id (photo), &error);
  g_assert_no_error (error);
  sha = striae_photo_image_sha256 (image);
  g_assert_cmpstr (sha, ==, striae_photo_get_sha256 (photo));
  g_assert_cmpint (count_audit (fixture, "photo-view"), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/photos/consent", test_consent);
  ADD ("/photos/add-list-open", test_add_list_open);
#undef ADD

  return g_test_run ();
}
