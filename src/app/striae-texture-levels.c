/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "striae-texture-levels.h"

/* Smaller copies of a large texture (a photo of several megapixels), each half the one
 * before, made in a worker thread, so that a photo drawn small is drawn from the copy nearest
 * its size. Without them every frame scales the whole photo down: with the cairo renderer that
 * is tens of milliseconds a frame, and with GL's linear filter a shimmer of aliased detail. */

/* No copy is made below this width: the texture itself is cheap to draw from there. */
#define SMALLEST_LEVEL 256

static cairo_surface_t *
surface_from_texture (GdkTexture *texture)
{
  cairo_surface_t *surface =
    cairo_image_surface_create (CAIRO_FORMAT_ARGB32, gdk_texture_get_width (texture),
                                gdk_texture_get_height (texture));

  /* GdkTexture's download format is cairo's ARGB32: premultiplied, native endian. */
  gdk_texture_download (texture, cairo_image_surface_get_data (surface),
                        cairo_image_surface_get_stride (surface));
  cairo_surface_mark_dirty (surface);
  return surface;
}

static cairo_surface_t *
surface_halved (cairo_surface_t *source)
{
  int width = MAX (1, cairo_image_surface_get_width (source) / 2);
  int height = MAX (1, cairo_image_surface_get_height (source) / 2);
  cairo_surface_t *half = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_t *cr = cairo_create (half);

  cairo_scale (cr, (double) width / cairo_image_surface_get_width (source),
               (double) height / cairo_image_surface_get_height (source));
  cairo_set_source_surface (cr, source, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_GOOD);
  cairo_set_operator (cr, CAIRO_OPERATOR_SOURCE);
  cairo_paint (cr);
  cairo_destroy (cr);
  return half;
}

static GdkTexture *
texture_from_surface (cairo_surface_t *surface)
{
  int height = cairo_image_surface_get_height (surface);
  gsize stride = cairo_image_surface_get_stride (surface);
  g_autoptr(GBytes) bytes = NULL;

  cairo_surface_flush (surface);
  bytes = g_bytes_new (cairo_image_surface_get_data (surface), stride * height);
  return gdk_memory_texture_new (cairo_image_surface_get_width (surface), height,
                                 GDK_MEMORY_DEFAULT, bytes, stride);
}

static void
make_levels (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GdkTexture *texture = task_data;
  g_autoptr(GPtrArray) levels = g_ptr_array_new_with_free_func (g_object_unref);
  cairo_surface_t *level = surface_from_texture (texture);

  while (cairo_image_surface_get_width (level) / 2 >= SMALLEST_LEVEL &&
         !g_cancellable_is_cancelled (cancellable))
    {
      cairo_surface_t *half = surface_halved (level);

      cairo_surface_destroy (level);
      level = half;
      g_ptr_array_add (levels, texture_from_surface (level));
    }
  cairo_surface_destroy (level);
  if (!g_task_return_error_if_cancelled (task))
    g_task_return_pointer (task, g_steal_pointer (&levels), (GDestroyNotify) g_ptr_array_unref);
}

/**
 * striae_texture_levels_make_async:
 * @texture: a texture in memory (gdk_memory_texture_new(), gdk_texture_new_from_bytes())
 *
 * Makes copies of @texture at half, a quarter, an eighth… of its size, down to
 * %SMALLEST_LEVEL pixels wide, in a worker thread.
 */
void
striae_texture_levels_make_async (GdkTexture          *texture,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, striae_texture_levels_make_async);
  g_task_set_task_data (task, g_object_ref (texture), g_object_unref);
  g_task_run_in_thread (task, make_levels);
}

/**
 * striae_texture_levels_make_finish:
 *
 * Returns: (transfer full): the copies, largest first (none for a small texture), or %NULL
 *   with @error set (%G_IO_ERROR_CANCELLED)
 */
GPtrArray *
striae_texture_levels_make_finish (GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * striae_texture_levels_pick:
 * @levels: (nullable): copies of @texture from striae_texture_levels_make_finish()
 * @texture: the texture itself
 * @drawn_width: the width it is drawn at, in device pixels
 *
 * Returns: (transfer none): the smallest of @texture and its copies that is at least
 *   @drawn_width wide, so that drawing it only ever scales down by less than half
 */
GdkTexture *
striae_texture_levels_pick (GPtrArray  *levels,
                            GdkTexture *texture,
                            double      drawn_width)
{
  GdkTexture *picked = texture;

  for (guint i = 0; levels != NULL && i < levels->len; i++)
    {
      GdkTexture *level = g_ptr_array_index (levels, i);

      if (gdk_texture_get_width (level) < drawn_width)
        break;
      picked = level;
    }
  return picked;
}
