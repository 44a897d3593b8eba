/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>

#include "striae-bench-records.h"
#include "striae-bench.h"
#include "striae-photo-image.h"
#include "striae-store.h"

/* Photos (issue 18): importing a 12 MP JPEG into the records (striae_store_add_photo(): the
 * header check, decoding, turning upright, re-encoding without metadata, the thumbnail, the
 * SHA-256, the row and its audit), against its floor, decoding and encoding the same JPEG
 * with bare gdk-pixbuf; target 1 s. Then the database's growth per photo against its floor,
 * the bytes of the stored image and thumbnail. Medians of --runs imports (5). */

#define TARGET_MS 1000.0
#define WIDTH 4000
#define HEIGHT 3000

/* The floor: what any import does at the least, decoding and encoding once. */
static double
bare_ms (GBytes *jpeg)
{
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  gint64 start = g_get_monotonic_time ();
  char *buffer = NULL;
  gsize size = 0;

  if (!gdk_pixbuf_loader_write_bytes (loader, jpeg, NULL) ||
      !gdk_pixbuf_loader_close (loader, NULL) ||
      !gdk_pixbuf_save_to_buffer (gdk_pixbuf_loader_get_pixbuf (loader), &buffer, &size,
                                  "jpeg", NULL, "quality", "90", NULL))
    g_error ("bare gdk-pixbuf failed");
  g_free (buffer);
  return (g_get_monotonic_time () - start) / 1000.0;
}

static gint64
add_consultation (StriaeStore *store)
{
  g_autoptr(StriaeConsultation) c = striae_consultation_new ();
  g_autoptr(StriaeArea) area = striae_area_new (STRIAE_BODY_SITE_ABDOMEN);
  g_autoptr(GError) error = NULL;
  GDate date;

  striae_bench_day (&date);
  striae_consultation_set_patient_id (c, striae_bench_add_patient (store));
  striae_consultation_set_date (c, &date);
  striae_consultation_add_area (c, area);
  if (!striae_store_save_consultation (store, c, "Dr Bench", &error))
    g_error ("%s", error->message);
  return striae_consultation_get_id (c);
}

static gint64
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (gint64) st.st_size : 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) jpeg = NULL;
  g_autoptr(StriaeStore) store = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree double *striae = NULL;
  g_autofree double *bare = NULL;
  gint64 consultation, before, after, stored = 0;
  double striae_ms, bare_median_ms;
  int runs = 5;
  GOptionEntry entries[] = {
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Imports to take the median of (5)", "N" },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || runs < 1)
    {
      g_printerr ("bench-photos: %s\n", error ? error->message : "--runs must be 1 or more");
      return EXIT_FAILURE;
    }

  /* A 12 MP photo at a camera's quality. */
  jpeg = striae_bench_make_photo (WIDTH, HEIGHT, 92);
  dir = g_dir_make_tmp ("striae-bench-photos-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "striae.db", NULL);
  store = striae_store_open (path, &error);
  g_assert_no_error (error);
  consultation = add_consultation (store);
  g_clear_object (&store);
  before = file_size (path);
  store = striae_store_open (path, &error);
  g_assert_no_error (error);

  striae = g_new (double, runs);
  bare = g_new (double, runs);
  for (int i = 0; i < runs; i++)
    {
      g_autoptr(StriaePhoto) photo = NULL;
      g_autoptr(GBytes) image = NULL;
      g_autoptr(GBytes) thumbnail = NULL;
      gint64 start = g_get_monotonic_time ();

      photo = striae_store_add_photo (store, consultation, 0, STRIAE_BODY_SITE_ABDOMEN,
                                      STRIAE_SIDE_NOT_APPLICABLE,
                                      STRIAE_PHOTO_MOMENT_CONSULTATION, jpeg, &error);
      striae[i] = (g_get_monotonic_time () - start) / 1000.0;
      if (photo == NULL)
        g_error ("%s", error->message);
      bare[i] = bare_ms (jpeg);

      image = striae_store_get_photo_image (store, striae_photo_get_id (photo), &error);
      thumbnail = striae_store_get_photo_thumbnail (store, striae_photo_get_id (photo), &error);
      g_assert_no_error (error);
      stored += g_bytes_get_size (image) + g_bytes_get_size (thumbnail);
    }
  g_clear_object (&store);
  after = file_size (path);

  printf ("Importing a %d MP JPEG (%d × %d, %.1f MB), median of %d:\n",
          WIDTH * HEIGHT / 1000000, WIDTH, HEIGHT, g_bytes_get_size (jpeg) / 1e6, runs);
  striae_ms = striae_bench_median (striae, runs);
  bare_median_ms = striae_bench_median (bare, runs);
  printf ("  striae_store_add_photo    %9.1f ms  (target %.0f ms: %s)\n", striae_ms, TARGET_MS,
          striae_ms <= TARGET_MS ? "met" : "NOT met");
  printf ("  bare gdk-pixbuf (floor)   %9.1f ms  decode + JPEG q90 encode  (%.2f×)\n",
          bare_median_ms, striae_ms / bare_median_ms);
  printf ("Database growth per photo:\n");
  printf ("  the file                  %9" G_GINT64_FORMAT " bytes\n", (after - before) / runs);
  printf ("  image + thumbnail (floor) %9" G_GINT64_FORMAT " bytes  (%.3f×)\n", stored / runs,
          (double) (after - before) / (double) stored);

  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_remove (wal);
    g_remove (shm);
    g_remove (path);
    g_rmdir (dir);
  }
  return EXIT_SUCCESS;
}
