/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gmodule.h>
#include <libheif/heif.h>

/* A HEIF's size from its boxes (striae_photo_image_heif_size()), in a module that the core
 * loads on the first HEIF photo, so that a start never maps libheif (issue 15). */

G_MODULE_EXPORT gboolean striae_heif_module_size (const guint8 *data,
                                                  gsize         size,
                                                  int          *width,
                                                  int          *height);

/* The module's entry point: libheif parses the file's structure and decodes no pixel. */
gboolean
striae_heif_module_size (const guint8 *data,
                         gsize         size,
                         int          *width,
                         int          *height)
{
  struct heif_context *context;
  struct heif_image_handle *handle = NULL;
  struct heif_error status;

  context = heif_context_alloc ();
  /* Without a copy: the caller's bytes outlive the context, which is freed below. */
  status = heif_context_read_from_memory_without_copy (context, data, size, NULL);
  if (status.code == heif_error_Ok)
    status = heif_context_get_primary_image_handle (context, &handle);
  if (status.code == heif_error_Ok)
    {
      *width = heif_image_handle_get_width (handle);
      *height = heif_image_handle_get_height (handle);
      heif_image_handle_release (handle);
    }
  else
    g_debug ("HEIF size not read: %s", status.message);
  heif_context_free (context);
  return status.code == heif_error_Ok;
}
