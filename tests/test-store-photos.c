/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "striae-photo-image.h"
#include "striae-store.h"
#include "striae-test-store.h"
#include "striae-test-date.h"

/* Photos in the records (issue 18) on the backend STRIAE_TEST_BACKEND names: the photo
 * consent and its audit, a photo refused without it, added with it (cleaned, with its
 * thumbnail and SHA-256), listed with its date, session number and depth, opened (audited),
 * deleted, erased with the patient, exported and imported. */

typedef StriaeTestRecords Fixture;

/* A complete consultation of @patient (tests/striae-test-store.h): one left thigh area at 1 mm
 * with a pen, 3 sessions, maintenance every 4 months. */
static StriaeConsultation *
add_consultation (Fixture *fixture,
                  gint64   patient)
{
  return striae_test_store_add_course (fixture->store, patient, STRIAE_SIDE_LEFT, 4);
}

/* The consultation signed, as read back. */
static StriaeConsultation *
signed_consultation (Fixture *fixture)
{
  g_autoptr(StriaeConsultation) c = add_consultation (fixture, fixture->patient);

  return striae_test_store_sign_course (fixture->store, c);
}

/* Session @number of @c on @date, recorded at @depth mm on its one area. */
static gint64
record_session (Fixture            *fixture,
                StriaeConsultation *c,
                guint               number,
                const char         *date,
                double              depth)
{
  g_autoptr(StriaeTreatmentSession) s = striae_treatment_session_new_for (c);
  g_autoptr(StriaeSessionArea) area =
    g_list_model_get_item (striae_treatment_session_get_areas (s), 0);
  g_autoptr(GError) error = NULL;

  striae_treatment_session_set_number (s, number);
  striae_treatment_session_set_date (s, striae_test_date (date));
  striae_treatment_session_set_practitioner (s, "Dr Roux");
  striae_session_area_set_depth (area, depth);
  striae_session_area_set_passes (area, 4);
  g_assert_true (striae_store_save_treatment_session (fixture->store, s, "Dr Roux", &error));
  g_assert_no_error (error);
  return striae_treatment_session_get_id (s);
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
  g_assert_cmpint (striae_test_store_count_audit (fixture->location, "photo-add"), ==, 0);

  /* Given for the clinical record: recorded, audited, and a photo is taken. */
  set_consent (fixture, STRIAE_PHOTO_CONSENT_CLINICAL);
  g_assert_cmpint (striae_store_get_photo_consent (fixture->store, fixture->patient,
                                                   &recorded, &error), ==,
                   STRIAE_PHOTO_CONSENT_CLINICAL);
  g_assert_no_error (error);
  g_assert_nonnull (recorded);
  g_assert_cmpint (striae_test_store_count_audit (fixture->location, "photo-consent"), ==, 1);
  photo = add_photo (fixture, id, 0, STRIAE_PHOTO_MOMENT_CONSULTATION, jpeg);
  g_assert_cmpint (striae_test_store_count_audit (fixture->location, "photo-add"), ==, 1);

  /* Withdrawn: the photo stays, a new one is refused. */
  set_consent (fixture, STRIAE_PHOTO_CONSENT_NONE);
  g_assert_cmpint (striae_test_store_count_audit (fixture->location, "photo-consent"), ==, 2);
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
  /* The same through the properties a list item binds to. */
  {
    g_autofree char *sha256 = NULL;
    double depth = 0;
    int moment = -1;
    guint width = 0;

    g_object_get (listed, "sha256", &sha256, "depth-mm", &depth, "moment", &moment,
                  "width", &width, NULL);
    g_assert_cmpstr (sha256, ==, striae_photo_get_sha256 (photo));
    g_assert_cmpfloat_with_epsilon (depth, 1.0, 1e-9);
    g_assert_cmpint (moment, ==, STRIAE_PHOTO_MOMENT_CONSULTATION);
    g_assert_cmpuint (width, ==, 640);
  }

  thumbnail = striae_store_get_photo_thumbnail (fixture->store, striae_photo_get_id (photo),
                                                &error);
  g_assert_no_error (error);
  thumb = gdk_pixbuf_new_from_stream (g_memory_input_stream_new_from_bytes (thumbnail), NULL,
                                      &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (thumb), ==, STRIAE_PHOTO_THUMBNAIL_SIZE);
  g_assert_cmpint (gdk_pixbuf_get_height (thumb), ==, 192);
  g_assert_cmpint (striae_test_store_count_audit (fixture->location, "photo-view"), ==, 0);

  image = striae_store_get_photo_image (fixture->store, striae_photo_get_id (photo), &error);
  g_assert_no_error (error);
  sha = striae_photo_image_sha256 (image);
  g_assert_cmpstr (sha, ==, striae_photo_get_sha256 (photo));
  g_assert_cmpint (striae_test_store_count_audit (fixture->location, "photo-view"), ==, 1);
}

/* Photos of sessions: listed after the consultation's, by date, session and moment, with the
 * session's number and the depth its record gives the area. */
static void
test_sessions (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(StriaeConsultation) c = signed_consultation (fixture);
  g_autoptr(GBytes) jpeg = make_jpeg (320, 240);
  g_autoptr(GPtrArray) photos = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = striae_consultation_get_id (c);
  gint64 first, second;
  StriaePhoto *refused;

  set_consent (fixture, STRIAE_PHOTO_CONSENT_CLINICAL);
  first = record_session (fixture, c, 1, "2026-03-09", 0.75);
  second = record_session (fixture, c, 2, "2026-04-06", 1.0);
  g_clear_object (&photos);
  g_object_unref (add_photo (fixture, id, second, STRIAE_PHOTO_MOMENT_AFTER, jpeg));
  g_object_unref (add_photo (fixture, id, first, STRIAE_PHOTO_MOMENT_AFTER, jpeg));
  g_object_unref (add_photo (fixture, id, first, STRIAE_PHOTO_MOMENT_BEFORE, jpeg));
  g_object_unref (add_photo (fixture, id, 0, STRIAE_PHOTO_MOMENT_CONSULTATION, jpeg));

  /* A photo of a session that is "at the consultation", or of the consultation that is
   * "before", is refused with a sentence. */
  refused = striae_store_add_photo (fixture->store, id, first, STRIAE_BODY_SITE_THIGHS,
                                    STRIAE_SIDE_LEFT, STRIAE_PHOTO_MOMENT_CONSULTATION, jpeg,
                                    &error);
  g_assert_null (refused);
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID);
  g_clear_error (&error);
  refused = striae_store_add_photo (fixture->store, id, 0, STRIAE_BODY_SITE_THIGHS,
                                    STRIAE_SIDE_LEFT, STRIAE_PHOTO_MOMENT_BEFORE, jpeg, &error);
  g_assert_null (refused);
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID);
  g_clear_error (&error);

  photos = striae_store_list_patient_photos (fixture->store, fixture->patient, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (photos->len, ==, 4);
#define AT(i) ((StriaePhoto *) g_ptr_array_index (photos, i))
  g_assert_cmpint (striae_photo_get_moment (AT (0)), ==, STRIAE_PHOTO_MOMENT_CONSULTATION);
  g_assert_cmpuint (striae_photo_get_session_number (AT (0)), ==, 0);
  g_assert_cmpfloat_with_epsilon (striae_photo_get_depth_mm (AT (0)), 1.0, 1e-9);
  g_assert_cmpint (striae_photo_get_moment (AT (1)), ==, STRIAE_PHOTO_MOMENT_BEFORE);
  g_assert_cmpuint (striae_photo_get_session_number (AT (1)), ==, 1);
  g_assert_cmpfloat_with_epsilon (striae_photo_get_depth_mm (AT (1)), 0.75, 1e-9);
  g_assert_cmpint (g_date_compare (striae_photo_get_date (AT (1)),
                                   striae_test_date ("2026-03-09")), ==, 0);
  g_assert_cmpint (striae_photo_get_moment (AT (2)), ==, STRIAE_PHOTO_MOMENT_AFTER);
  g_assert_cmpuint (striae_photo_get_session_number (AT (2)), ==, 1);
  g_assert_cmpuint (striae_photo_get_session_number (AT (3)), ==, 2);
  g_assert_cmpint (striae_photo_get_treatment_session_id (AT (3)), ==, second);
#undef AT
}

/* 16 bytes from the middle of @image, as a run to look for. */
static GBytes *
middle_run (GBytes *image)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (image, &size);

  g_assert_cmpuint (size, >, 64);
  return g_bytes_new (data + size / 2, 16);
}

static gboolean
file_holds (const char *path,
            GBytes     *run)
{
  g_autofree char *contents = NULL;
  gsize size = 0;

  if (!g_file_get_contents (path, &contents, &size, NULL))
    return FALSE;
  return memmem (contents, size, g_bytes_get_data (run, NULL), g_bytes_get_size (run)) != NULL;
}

/* Erasing the patient removes the images: no row is left, and in a file neither the
 * database nor its write-ahead log holds a run of the stored image's bytes any more. */
static void
test_erased (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(StriaeConsultation) c = add_consultation (fixture, fixture->patient);
  g_autoptr(GBytes) jpeg = make_jpeg (800, 600);
  g_autoptr(StriaePhoto) photo = NULL;
  g_autoptr(GBytes) image = NULL;
  g_autoptr(GBytes) run = NULL;
  g_autoptr(GError) error = NULL;
  gboolean file = striae_test_backend_is ("sqlite");
  g_autofree char *wal = g_strconcat (fixture->location, "-wal", NULL);

  set_consent (fixture, STRIAE_PHOTO_CONSENT_CLINICAL);
  photo = add_photo (fixture, striae_consultation_get_id (c), 0,
                     STRIAE_PHOTO_MOMENT_CONSULTATION, jpeg);
  image = striae_store_get_photo_image (fixture->store, striae_photo_get_id (photo), &error);
  g_assert_no_error (error);
  run = middle_run (image);
  g_assert_cmpint (striae_test_store_query_int (fixture->location,
                                                "SELECT count (*) FROM photos"), ==, 1);
  /* The run is there before, so that its absence after means something. */
  if (file)
    g_assert_true (file_holds (fixture->location, run) || file_holds (wal, run));

  g_assert_true (striae_store_erase_patient (fixture->store, fixture->patient, &error));
  g_assert_no_error (error);
  g_assert_cmpint (striae_test_store_query_int (fixture->location,
                                                "SELECT count (*) FROM photos"), ==, 0);
  g_assert_cmpint (striae_test_store_query_int (fixture->location,
                                                "SELECT count (*) FROM photo_consents"), ==, 0);
  if (file)
    {
      g_clear_object (&fixture->store);
      g_assert_false (file_holds (fixture->location, run));
      g_assert_false (file_holds (wal, run));
      fixture->store = striae_test_store_open (fixture->location);
    }
}

/* Photos travel with the patient (export format 4): each image in base64 with its SHA-256,
 * back byte for byte under the new numbers, with the consent; a changed byte is refused. */
static void
test_export_import (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(StriaeConsultation) c = signed_consultation (fixture);
  g_autoptr(GBytes) jpeg = make_jpeg (400, 300);
  g_autoptr(StriaePhoto) photo = NULL;
  g_autoptr(StriaePhoto) session_photo = NULL;
  g_autofree char *other_location = striae_test_store_other_location (fixture->dir, "other");
  g_autoptr(StriaeStore) other = NULL;
  g_autoptr(GPtrArray) copied = NULL;
  g_autoptr(GBytes) original = NULL;
  g_autoptr(GBytes) imported_image = NULL;
  g_autoptr(GBytes) thumbnail = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *changed = NULL;
  gint64 session;
  gint64 imported;
  StriaePhoto *back;
  char *image_member;

  set_consent (fixture, STRIAE_PHOTO_CONSENT_TEACHING);
  session = record_session (fixture, c, 1, "2026-03-09", 0.75);
  photo = add_photo (fixture, striae_consultation_get_id (c), 0,
                     STRIAE_PHOTO_MOMENT_CONSULTATION, jpeg);
  session_photo = add_photo (fixture, striae_consultation_get_id (c), session,
                             STRIAE_PHOTO_MOMENT_BEFORE, jpeg);
  original = striae_store_get_photo_image (fixture->store, striae_photo_get_id (photo), &error);
  g_assert_no_error (error);

  json = striae_store_export_patient (fixture->store, fixture->patient,
                                      STRIAE_EXPORT_FLAGS_NONE, &error);
  g_assert_no_error (error);
  {
    g_autoptr(JsonNode) root = json_from_string (json, &error);

    g_assert_no_error (error);
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (root), "version"), ==, 4);
  }
  g_assert_nonnull (strstr (json, striae_photo_get_sha256 (photo)));

  other = striae_test_store_open (other_location);
  imported = striae_store_import_patient (other, json, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (striae_store_get_photo_consent (other, imported, NULL, &error), ==,
                   STRIAE_PHOTO_CONSENT_TEACHING);
  g_assert_no_error (error);
  copied = striae_store_list_patient_photos (other, imported, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (copied->len, ==, 2);
  back = g_ptr_array_index (copied, 0);
  g_assert_cmpint (striae_photo_get_patient_id (back), ==, imported);
  g_assert_cmpstr (striae_photo_get_sha256 (back), ==, striae_photo_get_sha256 (photo));
  g_assert_cmpuint (striae_photo_get_width (back), ==, 400);
  imported_image = striae_store_get_photo_image (other, striae_photo_get_id (back), &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (imported_image, original));
  thumbnail = striae_store_get_photo_thumbnail (other, striae_photo_get_id (back), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (thumbnail), >, 0);
  back = g_ptr_array_index (copied, 1);
  g_assert_cmpuint (striae_photo_get_session_number (back), ==, 1);
  g_assert_cmpint (striae_photo_get_moment (back), ==, STRIAE_PHOTO_MOMENT_BEFORE);
  g_assert_cmpfloat_with_epsilon (striae_photo_get_depth_mm (back), 0.75, 1e-9);
  {
    g_autoptr(StriaeTreatmentSession) its = NULL;

    its = striae_store_get_treatment_session (other, striae_photo_get_treatment_session_id (back),
                                              &error);
    g_assert_no_error (error);
    g_assert_cmpint (striae_treatment_session_get_patient_id (its), ==, imported);
  }

  /* One character of the base64 changed: refused whole, with the photo's path and why. */
  changed = g_strdup (json);
  image_member = strstr (changed, "\"image\" : \"");
  if (image_member == NULL)
    image_member = strstr (changed, "\"image\": \"");
  g_assert_nonnull (image_member);
  image_member = strchr (image_member + 8, '"') + 200;
  *image_member = *image_member == 'A' ? 'B' : 'A';
  g_assert_cmpint (striae_store_import_patient (other, changed, -1, NULL, &error), ==, 0);
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "$.photos[0]"));
  g_assert_nonnull (strstr (error->message, "SHA-256"));
  g_clear_error (&error);
  g_assert_cmpint (striae_test_store_query_int (other_location,
                                                "SELECT count (*) FROM photos"), ==, 2);

  g_clear_object (&other);
  striae_test_store_remove (other_location);
}

/* The front desk records the consent and sees the photos, but neither adds nor deletes one;
 * deleting needs a reason, is audited and takes the image with it. */
static void
test_rights_delete (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(StriaeConsultation) c = add_consultation (fixture, fixture->patient);
  g_autoptr(GBytes) jpeg = make_jpeg (120, 90);
  g_autoptr(StriaePhoto) photo = NULL;
  g_autoptr(StriaePhoto) refused = NULL;
  g_autoptr(GBytes) thumbnail = NULL;
  g_autoptr(GBytes) image = NULL;
  g_autoptr(GPtrArray) photos = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  set_consent (fixture, STRIAE_PHOTO_CONSENT_CLINICAL);
  photo = add_photo (fixture, striae_consultation_get_id (c), 0,
                     STRIAE_PHOTO_MOMENT_CONSULTATION, jpeg);
  id = striae_photo_get_id (photo);
  if (!striae_test_backend_is ("sqlite"))
    {
      g_test_skip ("A clinic server's accounts are its logins (test-server-roles)");
      return;
    }

  g_assert_true (striae_store_create_first_admin (fixture->store, "boss", "Dr Anne Roux",
                                                  "correct horse", &error));
  g_assert_no_error (error);
  g_assert_true (striae_store_add_account (fixture->store, "desk", "Front desk",
                                           STRIAE_STAFF_ROLE_ASSISTANT, "front desk 1",
                                           &error));
  g_assert_no_error (error);
  striae_store_sign_out (fixture->store);
  g_assert_true (striae_store_sign_in (fixture->store, "desk", "front desk 1", &error));
  g_assert_no_error (error);

  set_consent (fixture, STRIAE_PHOTO_CONSENT_TEACHING);
  thumbnail = striae_store_get_photo_thumbnail (fixture->store, id, &error);
  g_assert_no_error (error);
  refused = striae_store_add_photo (fixture->store, striae_consultation_get_id (c), 0,
                                    STRIAE_BODY_SITE_THIGHS, STRIAE_SIDE_LEFT,
                                    STRIAE_PHOTO_MOMENT_CONSULTATION, jpeg, &error);
  g_assert_null (refused);
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  g_assert_false (striae_store_delete_photo (fixture->store, id, "Blurred", &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_ALLOWED);
  g_clear_error (&error);

  striae_store_sign_out (fixture->store);
  g_assert_true (striae_store_sign_in (fixture->store, "boss", "correct horse", &error));
  g_assert_no_error (error);
  g_assert_false (striae_store_delete_photo (fixture->store, id, "  ", &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (striae_store_delete_photo (fixture->store, id, "Blurred", &error));
  g_assert_no_error (error);
  g_assert_cmpint (striae_test_store_count_audit (fixture->location, "photo-delete"), ==, 1);
  photos = striae_store_list_patient_photos (fixture->store, fixture->patient, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (photos->len, ==, 0);
  image = striae_store_get_photo_image (fixture->store, id, &error);
  g_assert_null (image);
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND);
}

/* Adding in a worker thread (the window's way): the same rules and record, the news
 * ("patients-changed") in the caller's thread only, and nothing added when cancelled first. */
typedef struct
{
  GThread *thread;
  guint    changes;
  gboolean other_thread;
} Changes;

static void
changed_cb (StriaeStore *store,
            gint64       patient_id,
            Changes     *changes)
{
  changes->changes++;
  if (g_thread_self () != changes->thread)
    changes->other_thread = TRUE;
}

static void
result_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static StriaePhoto *
add_photo_in_worker (Fixture       *fixture,
                     gint64         consultation,
                     GBytes        *bytes,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  striae_store_add_photo_async (fixture->store, consultation, 0, STRIAE_BODY_SITE_THIGHS,
                                STRIAE_SIDE_LEFT, STRIAE_PHOTO_MOMENT_CONSULTATION, bytes,
                                cancellable, result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return striae_store_add_photo_finish (fixture->store, result, error);
}

static void
test_add_async (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(StriaeConsultation) c = add_consultation (fixture, fixture->patient);
  gint64 id = striae_consultation_get_id (c);
  g_autoptr(GBytes) jpeg = make_jpeg (1200, 900);
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  g_autoptr(StriaePhoto) refused = NULL;
  g_autoptr(StriaePhoto) photo = NULL;
  g_autoptr(StriaePhoto) not_added = NULL;
  g_autoptr(GPtrArray) photos = NULL;
  g_autoptr(GError) error = NULL;
  Changes changes = { g_thread_self (), 0, FALSE };
  gulong handler;

  handler = g_signal_connect (fixture->store, "patients-changed", G_CALLBACK (changed_cb),
                              &changes);

  /* Without consent: the same sentence as the synchronous call. */
  refused = add_photo_in_worker (fixture, id, jpeg, NULL, &error);
  g_assert_null (refused);
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  g_assert_cmpuint (changes.changes, ==, 0);

  set_consent (fixture, STRIAE_PHOTO_CONSENT_CLINICAL);
  changes.changes = 0;
  photo = add_photo_in_worker (fixture, id, jpeg, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (photo);
  g_assert_cmpint (striae_photo_get_id (photo), >, 0);
  g_assert_cmpuint (striae_photo_get_width (photo), ==, 1200);
  g_assert_cmpuint (changes.changes, ==, 1);
  g_assert_false (changes.other_thread);
  g_assert_cmpint (striae_test_store_count_audit (fixture->location, "photo-add"), ==, 1);

  /* Cancelled before the worker took it up: nothing added, nothing said. */
  g_cancellable_cancel (cancelled);
  not_added = add_photo_in_worker (fixture, id, jpeg, cancelled, &error);
  g_assert_null (not_added);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (changes.changes, ==, 1);
  g_clear_error (&error);

  photos = striae_store_list_patient_photos (fixture->store, fixture->patient, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (photos->len, ==, 1);
  g_assert_cmpint (striae_test_store_count_audit (fixture->location, "photo-add"), ==, 1);
  g_signal_handler_disconnect (fixture->store, handler);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, striae_test_records_set_up, func, \
              striae_test_records_tear_down)
  ADD ("/photos/consent", test_consent);
  ADD ("/photos/add-list-open", test_add_list_open);
  ADD ("/photos/sessions", test_sessions);
  ADD ("/photos/erased", test_erased);
  ADD ("/photos/export-import", test_export_import);
  ADD ("/photos/rights-delete", test_rights_delete);
  ADD ("/photos/add-async", test_add_async);
#undef ADD

  return g_test_run ();
}
