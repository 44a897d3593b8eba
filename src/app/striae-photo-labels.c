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

typedef struct
{
  StriaeStore *store;
  StriaePhoto *photo;
  gboolean     whole;
} PhotoRead;

static void
photo_read_free (PhotoRead *read)
{
  g_object_unref (read->store);
  g_object_unref (read->photo);
  g_free (read);
}

/* In a worker: the thumbnail's or the whole photo's bytes from the records, decoded. */
static void
photo_read_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  PhotoRead *read = task_data;
  GError *error = NULL;
  GdkTexture *texture;

  /* Cancelled before its turn came (scrolled past, another photo picked): nothing to read. */
  if (g_task_return_error_if_cancelled (task))
    return;
  texture = read->whole ? striae_photo_load_image (read->store, read->photo, &error)
                        : striae_photo_load_thumbnail (read->store, read->photo, &error);
  if (texture == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, texture, g_object_unref);
}

/**
 * striae_photo_read_texture_async:
 * @whole: the whole photo (striae_photo_load_image()) rather than its thumbnail
 * @priority: the read's place in GLib's pool of task threads
 *
 * Reads and decodes @photo in a worker thread, so that the window never waits for it.
 */
void
striae_photo_read_texture_async (StriaeStore         *store,
                                 StriaePhoto         *photo,
                                 gboolean             whole,
                                 int                  priority,
                                 gpointer             source_object,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (source_object, cancellable, callback, user_data);
  PhotoRead *read = g_new0 (PhotoRead, 1);

  read->store = g_object_ref (store);
  read->photo = g_object_ref (photo);
  read->whole = whole;
  g_task_set_source_tag (task, striae_photo_read_texture_async);
  g_task_set_priority (task, priority);
  g_task_set_task_data (task, read, (GDestroyNotify) photo_read_free);
  g_task_run_in_thread (task, photo_read_thread);
}

/**
 * striae_photo_read_texture_finish:
 * @photo: (out) (transfer none) (optional): the photo that was read
 *
 * Returns: (transfer full): the decoded photo, or %NULL with @error set (%G_IO_ERROR_CANCELLED
 *   when the read was cancelled)
 */
GdkTexture *
striae_photo_read_texture_finish (GAsyncResult  *result,
                                  StriaePhoto  **photo,
                                  GError       **error)
{
  g_return_val_if_fail (g_async_result_is_tagged (result, striae_photo_read_texture_async),
                        NULL);

  if (photo != NULL)
    *photo = ((PhotoRead *) g_task_get_task_data (G_TASK (result)))->photo;
  return g_task_propagate_pointer (G_TASK (result), error);
}
