/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "striae-area.h"
#include "striae-date.h"
#include "striae-photo-labels.h"

/* "Consultation", "Session 2 — before": when in the course the photo was taken. */
char *
striae_photo_dup_moment_label (StriaePhoto *photo)
{
  guint number = striae_photo_get_session_number (photo);

  switch (striae_photo_get_moment (photo))
    {
    case STRIAE_PHOTO_MOMENT_BEFORE:
      /* TRANSLATORS: a photo taken at a treatment session before treating; %u is the
       * session's number in the course */
      return g_strdup_printf (_("Session %u — before"), number);
    case STRIAE_PHOTO_MOMENT_AFTER:
      /* TRANSLATORS: a photo taken at a treatment session after treating */
      return g_strdup_printf (_("Session %u — after"), number);
    case STRIAE_PHOTO_MOMENT_CONSULTATION:
    default:
      return g_strdup (_("Consultation"));
    }
}

char *
striae_photo_dup_date_label (StriaePhoto *photo)
{
  const GDate *date = striae_photo_get_date (photo);

  if (date == NULL || !g_date_valid (date))
    return g_strdup (_("No date"));
  return striae_format_local_date (date);
}

char *
striae_photo_dup_depth_label (StriaePhoto *photo)
{
  double depth = striae_photo_get_depth_mm (photo);

  if (depth <= 0)
    return g_strdup (_("No depth recorded"));
  /* TRANSLATORS: the needle depth used on the area at that session */
  return g_strdup_printf (_("Depth %.2f mm"), depth);
}

/* One line: "9 March 2026 · Session 1 — before · Depth 1.00 mm". */
char *
striae_photo_dup_caption (StriaePhoto *photo)
{
  g_autofree char *date = striae_photo_dup_date_label (photo);
  g_autofree char *moment = striae_photo_dup_moment_label (photo);
  g_autofree char *depth = striae_photo_dup_depth_label (photo);

  return g_strjoin (" · ", date, moment, depth, NULL);
}

char *
striae_photo_dup_area_title (StriaeBodySite site,
                             StriaeSide     side)
{
  g_autoptr(StriaeArea) area = striae_area_new (site);

  striae_area_set_side (area, side);
  return striae_area_dup_title (area);
}

static GdkTexture *
texture_from_bytes (GBytes  *bytes,
                    GError **error)
{
  if (bytes == NULL)
    return NULL;
  return gdk_texture_new_from_bytes (bytes, error);
}

/* Read when a tile is bound, not before: a patient's 500 photos list without any pixels. */
GdkTexture *
striae_photo_load_thumbnail (StriaeStore  *store,
                             StriaePhoto  *photo,
                             GError      **error)
{
  g_autoptr(GBytes) bytes = striae_store_get_photo_thumbnail (store,
                                                              striae_photo_get_id (photo),
                                                              error);

  return texture_from_bytes (bytes, error);
}

/* The whole photo, in memory only; the store writes the view to the audit log. */
GdkTexture *
striae_photo_load_image (StriaeStore  *store,
                         StriaePhoto  *photo,
                         GError      **error)
{
  g_autoptr(GBytes) bytes = striae_store_get_photo_image (store, striae_photo_get_id (photo),
                                                          error);

  return texture_from_bytes (bytes, error);
}
