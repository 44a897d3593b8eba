/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "striae-bench-records.h"

GBytes *
striae_bench_make_photo (int width,
                         int height,
                         int quality)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autoptr(GRand) rand = g_rand_new_with_seed (18);
  g_autofree char *quality_text = g_strdup_printf ("%d", quality);
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  char *buffer = NULL;
  gsize size = 0;

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint8 *p = pixels + (gsize) y * stride + x * 3;
        int noise = g_rand_int_range (rand, -12, 13);

        p[0] = CLAMP (180 + x * 40 / width + noise, 0, 255);
        p[1] = CLAMP (130 + y * 30 / height + noise, 0, 255);
        p[2] = CLAMP (110 + noise, 0, 255);
      }
  if (!gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "jpeg", NULL, "quality",
                                  quality_text, NULL))
    g_error ("Could not make the benchmark's photo");
  return g_bytes_new_take (buffer, size);
}

void
striae_bench_day (GDate *date)
{
  g_date_clear (date, 1);
  g_date_set_dmy (date, 2, 3, 2026);
}

gint64
striae_bench_add_patient (StriaeStore *store)
{
  g_autoptr(StriaePatient) patient = striae_patient_new ();
  g_autoptr(GError) error = NULL;
  GDate birth;

  striae_bench_day (&birth);
  striae_patient_set_given_name (patient, "Zoë");
  striae_patient_set_family_name (patient, "Benchmark");
  striae_patient_set_birth_date (patient, &birth);
  if (!striae_store_add_patient (store, patient, &error) ||
      !striae_store_set_photo_consent (store, striae_patient_get_id (patient),
                                       STRIAE_PHOTO_CONSENT_CLINICAL, &error))
    g_error ("%s", error->message);
  return striae_patient_get_id (patient);
}
