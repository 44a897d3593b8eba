/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gexiv2/gexiv2.h>
#include <glib/gstdio.h>
#include <gmodule.h>
#include <string.h>

#include "striae-core-error.h"
#include "striae-photo-image.h"

/* The import pipeline of a photo (issue 18), without the records: what goes in with GPS,
 * camera and maker tags comes out without a single tag (read back with a tag reader,
 * gexiv2, from the cleaned bytes), a photo tagged as turned comes out upright, a header that
 * claims 20 000 × 20 000 pixels is refused before a pixel is decoded, and 40 million pixels
 * pass the header's check. */

/* A JPEG of @width × @height, its left half red and its right half blue. */
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
        gboolean left = x < width / 2;

        p[0] = left ? 230 : 20;
        p[1] = 20;
        p[2] = left ? 20 : 230;
      }
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "jpeg", &error,
                                            "quality", "90", NULL));
  g_assert_no_error (error);
  return g_bytes_new_take (buffer, size);
}

/* @jpeg with the tags a phone writes: GPS position, camera, maker, owner, date, and
 * @orientation; written by gexiv2 through a file in a folder of the test's own. */
static GBytes *
tag_jpeg (GBytes            *jpeg,
          GExiv2Orientation  orientation)
{
  g_autoptr(GExiv2Metadata) metadata = gexiv2_metadata_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("striae-photo-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "tagged.jpg", NULL);
  char *data = NULL;
  gsize size = 0;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (jpeg, NULL),
                                      g_bytes_get_size (jpeg), &error));
  g_assert_no_error (error);
  g_assert_true (gexiv2_metadata_open_path (metadata, path, &error));
  g_assert_no_error (error);
  g_assert_true (gexiv2_metadata_try_set_gps_info (metadata, 2.3522, 48.8566, 35.0, &error));
  g_assert_no_error (error);
  g_assert_true (gexiv2_metadata_try_set_tag_string (metadata, "Exif.Image.Make", "Canon",
                                                     &error));
  g_assert_true (gexiv2_metadata_try_set_tag_string (metadata, "Exif.Image.Model",
                                                     "Canon EOS R5", &error));
  g_assert_true (gexiv2_metadata_try_set_tag_string (metadata, "Exif.Photo.BodySerialNumber",
                                                     "012345678901", &error));
  g_assert_true (gexiv2_metadata_try_set_tag_string (metadata, "Exif.Image.Artist",
                                                     "Inès Moreau", &error));
  g_assert_true (gexiv2_metadata_try_set_tag_string (metadata, "Exif.Photo.DateTimeOriginal",
                                                     "2026:03:02 10:15:00", &error));
  g_assert_true (gexiv2_metadata_try_set_tag_string (metadata, "Xmp.dc.creator",
                                                     "Inès Moreau", &error));
  g_assert_true (gexiv2_metadata_try_set_tag_string (metadata, "Iptc.Application2.City",
                                                     "Paris", &error));
  g_assert_no_error (error);
  gexiv2_metadata_try_set_orientation (metadata, orientation, &error);
  g_assert_no_error (error);
  g_assert_true (gexiv2_metadata_save_file (metadata, path, &error));
  g_assert_no_error (error);

  g_assert_true (g_file_get_contents (path, &data, &size, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
  return g_bytes_new_take (data, size);
}

static GExiv2Metadata *
read_tags (GBytes *bytes)
{
  GExiv2Metadata *metadata = gexiv2_metadata_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (gexiv2_metadata_open_buf (metadata, g_bytes_get_data (bytes, NULL),
                                           (glong) g_bytes_get_size (bytes), &error));
  g_assert_no_error (error);
  return metadata;
}

static GBytes *
clean (GBytes  *bytes,
       guint   *width,
       guint   *height,
       GBytes **thumbnail)
{
  g_autoptr(GError) error = NULL;
  GBytes *cleaned = striae_photo_image_clean (bytes, width, height, thumbnail, &error);

  g_assert_no_error (error);
  g_assert_nonnull (cleaned);
  return cleaned;
}

static void
test_no_metadata (void)
{
  g_autoptr(GBytes) plain = make_jpeg (120, 80);
  g_autoptr(GBytes) tagged = tag_jpeg (plain, GEXIV2_ORIENTATION_NORMAL);
  g_autoptr(GBytes) cleaned = NULL;
  g_autoptr(GBytes) thumbnail = NULL;
  g_autoptr(GExiv2Metadata) before = read_tags (tagged);
  g_autoptr(GExiv2Metadata) after = NULL;
  g_autoptr(GExiv2Metadata) after_thumbnail = NULL;
  g_auto(GStrv) exif = NULL;
  double longitude, latitude, altitude;
  guint width, height;

  /* The tags are there before (so the check below can fail)… */
  g_assert_true (gexiv2_metadata_has_exif (before));
  g_assert_true (gexiv2_metadata_has_xmp (before));
  g_assert_true (gexiv2_metadata_has_iptc (before));
  g_assert_true (gexiv2_metadata_try_get_gps_info (before, &longitude, &latitude, &altitude,
                                                   NULL));
  g_assert_cmpfloat_with_epsilon (latitude, 48.8566, 1e-3);
  g_assert_false (striae_photo_image_is_clean (tagged));

  /* …and none after, in the image or its thumbnail. */
  cleaned = clean (tagged, &width, &height, &thumbnail);
  g_assert_cmpuint (width, ==, 120);
  g_assert_cmpuint (height, ==, 80);
  after = read_tags (cleaned);
  exif = gexiv2_metadata_get_exif_tags (after);
  g_assert_cmpuint (g_strv_length (exif), ==, 0);
  g_assert_false (gexiv2_metadata_has_exif (after));
  g_assert_false (gexiv2_metadata_has_xmp (after));
  g_assert_false (gexiv2_metadata_has_iptc (after));
  g_assert_false (gexiv2_metadata_try_get_gps_info (after, &longitude, &latitude, &altitude,
                                                    NULL));
  g_assert_null (g_strstr_len (g_bytes_get_data (cleaned, NULL), g_bytes_get_size (cleaned),
                               "Canon"));
  g_assert_true (striae_photo_image_is_clean (cleaned));
  after_thumbnail = read_tags (thumbnail);
  g_assert_false (gexiv2_metadata_has_exif (after_thumbnail));
  g_assert_true (striae_photo_image_is_clean (thumbnail));
}

static void
assert_colour (GdkPixbuf *pixbuf,
               int        x,
               int        y,
               gboolean   red)
{
  guint8 *p = gdk_pixbuf_get_pixels (pixbuf) + y * gdk_pixbuf_get_rowstride (pixbuf) +
              x * gdk_pixbuf_get_n_channels (pixbuf);

  if (red)
    g_assert_cmpint (p[0], >, p[2] + 100);
  else
    g_assert_cmpint (p[2], >, p[0] + 100);
}

/* Orientation 6: the camera was turned a quarter clockwise, and the photo is shown turned
 * back; the landscape pixels come out portrait, the left half (red) on top. */
static void
test_orientation (void)
{
  g_autoptr(GBytes) plain = make_jpeg (160, 100);
  g_autoptr(GBytes) tagged = tag_jpeg (plain, GEXIV2_ORIENTATION_ROT_90);
  g_autoptr(GBytes) cleaned = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  guint width, height;

  cleaned = clean (tagged, &width, &height, NULL);
  g_assert_cmpuint (width, ==, 100);
  g_assert_cmpuint (height, ==, 160);
  stream = g_memory_input_stream_new_from_bytes (cleaned);
  pixbuf = gdk_pixbuf_new_from_stream (stream, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 100);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, 160);
  assert_colour (pixbuf, 50, 10, TRUE);
  assert_colour (pixbuf, 50, 150, FALSE);
  /* Nothing left to turn it again. */
  g_assert_null (gdk_pixbuf_get_option (pixbuf, "orientation"));
}

static guint32
crc32_of (const guint8 *data,
          gsize         size)
{
  guint32 crc = 0xffffffff;

  for (gsize i = 0; i < size; i++)
    {
      crc ^= data[i];
      for (int k = 0; k < 8; k++)
        crc = (crc >> 1) ^ (0xedb88320 & -(crc & 1));
    }
  return crc ^ 0xffffffff;
}

static void
append_chunk (GByteArray   *png,
              const char   *type,
              const guint8 *data,
              guint32       size)
{
  g_autoptr(GByteArray) body = g_byte_array_new ();
  guint8 be[4] = { size >> 24, size >> 16, size >> 8, size };
  guint32 crc;

  g_byte_array_append (png, be, 4);
  g_byte_array_append (body, (const guint8 *) type, 4);
  if (size > 0)
    g_byte_array_append (body, data, size);
  g_byte_array_append (png, body->data, body->len);
  crc = crc32_of (body->data, body->len);
  be[0] = crc >> 24;
  be[1] = crc >> 16;
  be[2] = crc >> 8;
  be[3] = crc;
  g_byte_array_append (png, be, 4);
}

/* A few kilobytes that claim @width × @height RGB pixels: the PNG signature, an IHDR that
 * says so, and an IDAT of the first rows (zeros, compressed with zlib through GIO). */
static GBytes *
make_png_header (guint32 width,
                 guint32 height)
{
  g_autoptr(GByteArray) png = g_byte_array_new ();
  g_autoptr(GConverter) zlib = G_CONVERTER (g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB,
                                                                   9));
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *rows = g_malloc0 (64 * 1024);
  guint8 compressed[4096];
  gsize read = 0, written = 0;
  guint8 ihdr[13] = {
    width >> 24, width >> 16, width >> 8, width,
    height >> 24, height >> 16, height >> 8, height,
    8, 2, 0, 0, 0,   /* 8 bits, RGB, deflate, no filter method, not interlaced */
  };

  g_byte_array_append (png, (const guint8 *) "\x89PNG\r\n\x1a\n", 8);
  append_chunk (png, "IHDR", ihdr, sizeof ihdr);
  g_converter_convert (zlib, rows, 64 * 1024, compressed, sizeof compressed,
                       G_CONVERTER_INPUT_AT_END | G_CONVERTER_FLUSH, &read, &written, &error);
  g_assert_no_error (error);
  append_chunk (png, "IDAT", compressed, (guint32) written);
  return g_byte_array_free_to_bytes (g_steal_pointer (&png));
}

static void
test_size_bomb (void)
{
  g_autoptr(GBytes) bomb = make_png_header (20000, 20000);
  g_autoptr(GBytes) forty = make_png_header (8000, 5000);
  g_autoptr(GBytes) wide = make_png_header (20000, 100);
  g_autoptr(GBytes) cleaned = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (g_bytes_get_size (bomb), <, 4096);

  /* 400 million pixels: refused from the header, with a sentence that says why. */
  cleaned = striae_photo_image_clean (bomb, NULL, NULL, NULL, &error);
  g_assert_null (cleaned);
  g_assert_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "20000 × 20000"));
  g_assert_nonnull (strstr (error->message, "too large"));
  g_clear_error (&error);

  /* One side too long, few pixels: refused too. */
  cleaned = striae_photo_image_clean (wide, NULL, NULL, NULL, &error);
  g_assert_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "too large"));
  g_clear_error (&error);

  /* 40 million pixels pass the header's check: this file fails only for being cut short. */
  cleaned = striae_photo_image_clean (forty, NULL, NULL, NULL, &error);
  g_assert_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID);
  g_assert_null (strstr (error->message, "too large"));
  g_assert_nonnull (strstr (error->message, "damaged or incomplete"));
}

static void
test_not_an_image (void)
{
  g_autoptr(GBytes) text = g_bytes_new_static ("<svg xmlns='http://www.w3.org/2000/svg'/>", 41);
  g_autoptr(GBytes) cleaned = NULL;
  g_autoptr(GError) error = NULL;

  cleaned = striae_photo_image_clean (text, NULL, NULL, NULL, &error);
  g_assert_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "JPEG, PNG or HEIF"));
}

/* A photo with transparency stays PNG (JPEG has no alpha); its thumbnail is a JPEG on white. */
static void
test_alpha_png (void)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, TRUE, 8, 300, 200);
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GBytes) cleaned = NULL;
  g_autoptr(GBytes) thumbnail = NULL;
  g_autoptr(GError) error = NULL;
  char *buffer = NULL;
  gsize size = 0;
  guint width, height;

  gdk_pixbuf_fill (pixbuf, 0x33669980);
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "png", &error,
                                            "tEXt::Author", "Inès Moreau", NULL));
  g_assert_no_error (error);
  png = g_bytes_new_take (buffer, size);
  g_assert_false (striae_photo_image_is_clean (png));

  cleaned = clean (png, &width, &height, &thumbnail);
  g_assert_cmpstr (striae_photo_image_mime_type (cleaned), ==, "image/png");
  g_assert_cmpstr (striae_photo_image_mime_type (thumbnail), ==, "image/jpeg");
  g_assert_true (striae_photo_image_is_clean (cleaned));
  g_assert_null (g_strstr_len (g_bytes_get_data (cleaned, NULL), g_bytes_get_size (cleaned),
                               "Author"));
}

static gboolean
has_heif_loader (void)
{
  GSList *formats = gdk_pixbuf_get_formats ();
  gboolean found = FALSE;

  for (GSList *l = formats; l != NULL && !found; l = l->next)
    {
      g_auto(GStrv) types = gdk_pixbuf_format_get_mime_types (l->data);

      found = g_strv_contains ((const char * const *) types, "image/heif");
    }
  g_slist_free (formats);
  return found;
}

/* HEIF, as phones write it, when gdk-pixbuf has its loader (Debian's heif-gdk-pixbuf, which
 * striae-dev installs): a 640 × 480 HEIC (tests/data, made with ImageMagick) comes out a
 * clean JPEG of the same size. */
static void
test_heif (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "photo-640x480.heic",
                                                 NULL);
  g_autoptr(GBytes) heic = NULL;
  g_autoptr(GBytes) cleaned = NULL;
  g_autoptr(GBytes) thumbnail = NULL;
  g_autoptr(GError) error = NULL;
  gboolean has_loader = has_heif_loader ();
  char *data = NULL;
  gsize size = 0;
  guint width, height;

  g_assert_true (g_file_get_contents (path, &data, &size, &error));
  g_assert_no_error (error);
  heic = g_bytes_new_take (data, size);

#ifndef HAVE_LIBHEIF
  /* Without libheif its size cannot be read first: refused as without a loader. */
  has_loader = FALSE;
#endif
  cleaned = striae_photo_image_clean (heic, &width, &height, &thumbnail, &error);
  if (!has_loader)
    {
      /* Without the loader, the sentence says what to do. */
      g_assert_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, "save the photo as JPEG"));
      g_test_skip ("gdk-pixbuf has no HEIF loader here (heif-gdk-pixbuf)");
      return;
    }
  g_assert_no_error (error);
  g_assert_cmpuint (width, ==, 640);
  g_assert_cmpuint (height, ==, 480);
  g_assert_cmpstr (striae_photo_image_mime_type (cleaned), ==, "image/jpeg");
  g_assert_true (striae_photo_image_is_clean (cleaned));
}

static GBytes *
read_data_file (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", name, NULL);
  g_autoptr(GError) error = NULL;
  char *data = NULL;
  gsize size = 0;

  g_assert_true (g_file_get_contents (path, &data, &size, &error));
  g_assert_no_error (error);
  return g_bytes_new_take (data, size);
}

static gboolean
libheif_mapped (void)
{
  g_autofree char *maps = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents ("/proc/self/maps", &maps, NULL, &error);
  g_assert_no_error (error);
  return strstr (maps, "/libheif.so") != NULL;
}

/* libheif is loaded with the first HEIF photo (issue 15, start-up): its module, built beside
 * this program, reads the size; until then no program of Striae's maps libheif. */
static void
test_heif_on_demand (void)
{
  g_autoptr(GBytes) real = read_data_file ("photo-640x480.heic");
  int width = 0, height = 0;

#ifndef HAVE_LIBHEIF
  g_test_skip ("built without libheif (libheif-dev)");
  return;
#endif
  g_assert_false (libheif_mapped ());
  g_assert_true (striae_photo_image_heif_size (real, &width, &height));
  g_assert_cmpint (width, ==, 640);
  g_assert_true (libheif_mapped ());
}

/* A HEIF bomb: a 534-byte HEIC (64 × 48, made with heif-enc) whose `ispe` boxes were
 * rewritten to claim 20 000 × 20 000 pixels. Its size is read from the boxes with libheif,
 * before any decoding, and the photo is refused with the size in the sentence; the real
 * HEIC's size reads the same way. */
static void
test_heif_bomb (void)
{
  g_autoptr(GBytes) bomb = read_data_file ("photo-bomb-20000x20000.heic");
  g_autoptr(GBytes) real = read_data_file ("photo-640x480.heic");
  g_autoptr(GBytes) cleaned = NULL;
  g_autoptr(GBytes) cut = NULL;
  g_autoptr(GError) error = NULL;
  int width = 0, height = 0;

#ifndef HAVE_LIBHEIF
  g_assert_false (striae_photo_image_heif_size (real, &width, &height));
  g_test_skip ("built without libheif (libheif-dev)");
  return;
#endif
  g_assert_true (striae_photo_image_heif_size (real, &width, &height));
  g_assert_cmpint (width, ==, 640);
  g_assert_cmpint (height, ==, 480);
  g_assert_true (striae_photo_image_heif_size (bomb, &width, &height));
  g_assert_cmpint (width, ==, 20000);
  g_assert_cmpint (height, ==, 20000);
  /* A HEIF cut short after its first box: no size, and no crash. */
  cut = g_bytes_new_from_bytes (real, 0, 40);
  g_assert_false (striae_photo_image_heif_size (cut, &width, &height));

  cleaned = striae_photo_image_clean (bomb, NULL, NULL, NULL, &error);
  g_assert_null (cleaned);
  g_assert_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "20000 × 20000"));
}

/* Run by /photo-image/heif-without-module in a copy of this program outside the build tree,
 * which looks for its modules where Striae is installed and finds none. */
static void
test_heif_without_module_child (void)
{
  g_autoptr(GBytes) real = read_data_file ("photo-640x480.heic");
  g_autoptr(GBytes) bomb = read_data_file ("photo-bomb-20000x20000.heic");
  g_autoptr(GBytes) cleaned = NULL;
  g_autoptr(GError) error = NULL;

  cleaned = striae_photo_image_clean (real, NULL, NULL, NULL, &error);
  g_assert_null (cleaned);
  g_assert_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "save the photo as JPEG"));
  g_clear_error (&error);
  /* Not decoded to find out: gdk-pixbuf's loader would decode all 400 million pixels. */
  cleaned = striae_photo_image_clean (bomb, NULL, NULL, NULL, &error);
  g_assert_null (cleaned);
  g_assert_nonnull (strstr (error->message, "save the photo as JPEG"));
  g_assert_false (libheif_mapped ());
}

/* A broken install, its libheif module missing: a HEIF photo is refused with a sentence that
 * says what to do, never decoded without its size read first (a HEIF bomb would be). */
static void
test_heif_without_module (void)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *installed = g_build_filename (PKGLIBDIR, "striae-heif." G_MODULE_SUFFIX,
                                                 NULL);
  g_autofree char *dir = NULL;
  g_autofree char *copy = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) source = NULL;
  g_autoptr(GFile) target = NULL;
  g_auto(GStrv) env = NULL;
  const char *argv[] = { NULL, "-p", "/photo-image/heif-without-module/child", NULL };
  int status = 0;

#ifndef HAVE_LIBHEIF
  g_test_skip ("built without libheif (libheif-dev)");
  return;
#endif
  if (g_file_test (installed, G_FILE_TEST_EXISTS))
    {
      g_test_skip_printf ("Striae's libheif module is installed here (%s)", installed);
      return;
    }
  dir = g_dir_make_tmp ("striae-heif-XXXXXX", &error);
  g_assert_no_error (error);
  copy = g_build_filename (dir, "test-photo-image", NULL);
  source = g_file_new_for_path (self);
  target = g_file_new_for_path (copy);
  g_assert_true (g_file_copy (source, target, G_FILE_COPY_NONE, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (copy, 0700), ==, 0);
  argv[0] = copy;
  env = g_environ_setenv (g_get_environ (), "STRIAE_TEST_HEIF_CHILD", "1", TRUE);
  env = g_environ_unsetenv (env, "G_DEBUG");
  g_assert_true (g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_DEFAULT, NULL, NULL, &out,
                               &err, &status, &error));
  g_assert_no_error (error);
  g_unlink (copy);
  g_rmdir (dir);
  if (!g_spawn_check_wait_status (status, NULL))
    g_test_message ("%s%s", out, err);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_nonnull (strstr (out, "ok 1 /photo-image/heif-without-module/child"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_assert_true (gexiv2_initialize ());

  if (g_strcmp0 (g_getenv ("STRIAE_TEST_HEIF_CHILD"), "1") == 0)
    {
      g_test_add_func ("/photo-image/heif-without-module/child",
                       test_heif_without_module_child);
      return g_test_run ();
    }

  /* First: nothing before it may load libheif. */
  g_test_add_func ("/photo-image/heif-on-demand", test_heif_on_demand);
  g_test_add_func ("/photo-image/no-metadata", test_no_metadata);
  g_test_add_func ("/photo-image/orientation", test_orientation);
  g_test_add_func ("/photo-image/size-bomb", test_size_bomb);
  g_test_add_func ("/photo-image/not-an-image", test_not_an_image);
  g_test_add_func ("/photo-image/alpha-png", test_alpha_png);
  g_test_add_func ("/photo-image/heif", test_heif);
  g_test_add_func ("/photo-image/heif-bomb", test_heif_bomb);
  g_test_add_func ("/photo-image/heif-without-module", test_heif_without_module);

  return g_test_run ();
}
