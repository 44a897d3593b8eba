/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <cairo.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n.h>
#include <string.h>

#include "striae-photo-image.h"
#include "striae-sheet-error.h"
#include "striae-sheet-private.h"

/* The patient's photos on a sheet (issue 18): which ones a <photos> element prints, and
 * each one made into a Cairo image at the printer's resolution. Everything stays in memory:
 * a photo never goes through a file on its way to the sheet. */

#define PRINT_DPI    300.0
#define JPEG_QUALITY "85"

/* The area a photo shows: its site and side. */
gboolean
_striae_sheet_photos_same_area (StriaePhoto *a,
                                StriaePhoto *b)
{
  return striae_photo_get_site (a) == striae_photo_get_site (b) &&
         striae_photo_get_side (a) == striae_photo_get_side (b);
}

/* Whether @photo may stand on a sheet dated @until: one of the consultation's, not taken
 * right after treating (the needling's redness, not a result to show), and not taken
 * after the sheet's day. */
static gboolean
may_print (StriaePhoto *photo,
           gint64       consultation_id,
           const GDate *until)
{
  const GDate *date = striae_photo_get_date (photo);

  if (striae_photo_get_consultation_id (photo) != consultation_id)
    return FALSE;
  if (striae_photo_get_moment (photo) == STRIAE_PHOTO_MOMENT_AFTER)
    return FALSE;
  return until == NULL || date == NULL || !g_date_valid (date) ||
         g_date_compare (date, until) <= 0;
}

/**
 * _striae_sheet_photos_select:
 * @photos: (element-type StriaePhoto): the patient's photos, oldest first
 * @which: which of each area's photos
 * @consultation_id: the consultation the sheet is for: only its photos
 * @until: (nullable): the sheet's day: no photo taken after it
 *
 * Returns: (transfer container) (element-type StriaePhoto): the photos to print, area by
 *   area (in the order each area was first photographed), each area's oldest first
 */
GPtrArray *
_striae_sheet_photos_select (GPtrArray         *photos,
                             StriaePhotosWhich  which,
                             gint64             consultation_id,
                             const GDate       *until)
{
  g_autoptr(GPtrArray) areas = g_ptr_array_new ();   /* the first photo of each area */
  GPtrArray *chosen = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; photos != NULL && i < photos->len; i++)
    {
      StriaePhoto *photo = g_ptr_array_index (photos, i);
      gboolean known = FALSE;

      if (!may_print (photo, consultation_id, until))
        continue;
      for (guint k = 0; k < areas->len && !known; k++)
        known = _striae_sheet_photos_same_area (g_ptr_array_index (areas, k), photo);
      if (!known)
        g_ptr_array_add (areas, photo);
    }

  for (guint k = 0; k < areas->len; k++)
    {
      StriaePhoto *area = g_ptr_array_index (areas, k);
      StriaePhoto *first = NULL;
      StriaePhoto *latest = NULL;

      for (guint i = 0; i < photos->len; i++)
        {
          StriaePhoto *photo = g_ptr_array_index (photos, i);

          if (!may_print (photo, consultation_id, until) ||
              !_striae_sheet_photos_same_area (area, photo))
            continue;
          if (first == NULL)
            first = photo;
          latest = photo;
          if (which == STRIAE_PHOTOS_ALL_BEFORE)
            g_ptr_array_add (chosen, g_object_ref (photo));
        }
      if (which == STRIAE_PHOTOS_FIRST_LATEST && first != latest)
        g_ptr_array_add (chosen, g_object_ref (first));
      if (which != STRIAE_PHOTOS_ALL_BEFORE)
        g_ptr_array_add (chosen, g_object_ref (latest));
    }
  return chosen;
}

typedef struct
{
  double box_width;    /* the room on the page, in points */
  double box_height;
  int    width;        /* the image's own size, from its header */
  int    height;
} Fit;

/* The printed size of a @width × @height image in the box, its proportions kept. */
static double
fit_scale (const Fit *fit,
           int        width,
           int        height)
{
  return MIN (fit->box_width / width, fit->box_height / height);
}

/* No more pixels are decoded than the printer prints at 300 dpi (JPEG decodes at a smaller
 * scale directly), and no image the import would have refused is decoded at all. */
static void
size_prepared_cb (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  Fit             *fit)
{
  double pixels;
  double scale;

  fit->width = width;
  fit->height = height;
  if (width <= 0 || height <= 0 || width > STRIAE_PHOTO_MAX_SIDE ||
      height > STRIAE_PHOTO_MAX_SIDE ||
      (guint64) width * (guint64) height > STRIAE_PHOTO_MAX_PIXELS)
    {
      gdk_pixbuf_loader_set_size (loader, 0, 0);
      return;
    }
  pixels = fit_scale (fit, width, height) * PRINT_DPI / 72.0;
  scale = MIN (1.0, pixels);
  if (scale < 1.0)
    gdk_pixbuf_loader_set_size (loader, MAX (1, (int) (width * scale + 0.5)),
                                MAX (1, (int) (height * scale + 0.5)));
}

/* @pixbuf's pixels in Cairo's layout: native-endian 32-bit words, alpha premultiplied. */
static cairo_surface_t *
surface_from_pixbuf (GdkPixbuf *pixbuf)
{
  int width = gdk_pixbuf_get_width (pixbuf);
  int height = gdk_pixbuf_get_height (pixbuf);
  int channels = gdk_pixbuf_get_n_channels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  gboolean alpha = gdk_pixbuf_get_has_alpha (pixbuf);
  const guint8 *pixels = gdk_pixbuf_read_pixels (pixbuf);
  cairo_surface_t *surface;
  guint8 *out;
  int out_stride;

  surface = cairo_image_surface_create (alpha ? CAIRO_FORMAT_ARGB32 : CAIRO_FORMAT_RGB24,
                                        width, height);
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    return surface;
  cairo_surface_flush (surface);
  out = cairo_image_surface_get_data (surface);
  out_stride = cairo_image_surface_get_stride (surface);
  for (int y = 0; y < height; y++)
    {
      const guint8 *p = pixels + (gsize) y * stride;
      guint32 *q = (guint32 *) (gpointer) (out + (gsize) y * out_stride);

      for (int x = 0; x < width; x++, p += channels)
        {
          guint32 a = alpha ? p[3] : 0xff;
          guint32 r = (p[0] * a + 127) / 255;
          guint32 g = (p[1] * a + 127) / 255;
          guint32 b = (p[2] * a + 127) / 255;

          q[x] = (a << 24) | (r << 16) | (g << 8) | b;
        }
    }
  cairo_surface_mark_dirty (surface);
  return surface;
}

/* A PDF keeps a photo as a JPEG (DCT) rather than as raw pixels: a few hundred kB a photo
 * instead of megabytes. The JPEG is made in memory from the pixels already scaled. */
static void
attach_jpeg (cairo_surface_t *surface,
             GdkPixbuf       *pixbuf)
{
  g_autoptr(GError) error = NULL;
  char *buffer = NULL;
  gsize size = 0;

  if (gdk_pixbuf_get_has_alpha (pixbuf))
    return;
  if (!gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "jpeg", &error,
                                  "quality", JPEG_QUALITY, NULL))
    {
      g_debug ("Photo kept as pixels in the PDF: %s", error->message);
      return;
    }
  cairo_surface_set_mime_data (surface, CAIRO_MIME_TYPE_JPEG, (const guint8 *) buffer, size,
                               g_free, buffer);
}

/**
 * _striae_sheet_photo_surface_new:
 * @image: a photo as stored (JPEG or PNG)
 * @box_width: the room for it on the page, in points
 * @box_height: the same, down the page
 * @width: (out): its printed width, in points, its proportions kept
 * @height: (out): its printed height
 *
 * Decodes @image at no more than the 300 dpi a printer prints it at; Cairo scales it to
 * the page when it is drawn.
 *
 * Returns: (transfer full): the image, or %NULL with @error set (%STRIAE_SHEET_ERROR_INVALID)
 */
cairo_surface_t *
_striae_sheet_photo_surface_new (GBytes  *image,
                                 double   box_width,
                                 double   box_height,
                                 double  *width,
                                 double  *height,
                                 GError **error)
{
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  g_autoptr(GError) local_error = NULL;
  cairo_surface_t *surface;
  Fit fit = { box_width, box_height, 0, 0 };
  GdkPixbuf *pixbuf;
  double scale;
  gboolean ok;

  g_signal_connect (loader, "size-prepared", G_CALLBACK (size_prepared_cb), &fit);
  ok = gdk_pixbuf_loader_write_bytes (loader, image, &local_error);
  ok = gdk_pixbuf_loader_close (loader, ok ? &local_error : NULL) && ok;
  pixbuf = ok ? gdk_pixbuf_loader_get_pixbuf (loader) : NULL;
  if (pixbuf == NULL || fit.width <= 0 || fit.height <= 0)
    {
      g_debug ("Photo not decoded for the sheet: %s",
               local_error != NULL ? local_error->message : "no image");
      g_set_error_literal (error, STRIAE_SHEET_ERROR, STRIAE_SHEET_ERROR_INVALID,
                           _("A photo in the records could not be read."));
      return NULL;
    }

  surface = surface_from_pixbuf (pixbuf);
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (surface);
      g_set_error_literal (error, STRIAE_SHEET_ERROR, STRIAE_SHEET_ERROR_INVALID,
                           _("A photo in the records could not be read."));
      return NULL;
    }
  attach_jpeg (surface, pixbuf);

  scale = fit_scale (&fit, fit.width, fit.height);
  *width = fit.width * scale;
  *height = fit.height * scale;
  return surface;
}
