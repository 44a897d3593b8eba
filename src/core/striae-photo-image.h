/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The import pipeline of a photo (no store): gdk-pixbuf only, never GTK. */

/* The largest image accepted: 100 million pixels (a 40 MP camera is fine), and no side
 * longer than 16 384 pixels. Checked from the header before any pixel is decoded. */
#define STRIAE_PHOTO_MAX_PIXELS     100000000
#define STRIAE_PHOTO_MAX_SIDE       16384
#define STRIAE_PHOTO_THUMBNAIL_SIZE 256   /* longest side of a thumbnail, pixels */

/* Decodes @bytes (JPEG, PNG, or HEIF when gdk-pixbuf has a loader for it), turns it upright
 * from its orientation tag, and re-encodes it (JPEG, or PNG when it has an alpha channel)
 * without any metadata; fills @thumbnail (JPEG). Errors are one sentence
 * (STRIAE_CORE_ERROR_INVALID): not an image, a format Striae cannot read, too large. */
GBytes *striae_photo_image_clean  (GBytes   *bytes,
                                   guint    *width,
                                   guint    *height,
                                   GBytes  **thumbnail,
                                   GError  **error);
/* A HEIF's size from its header, without decoding (libheif); FALSE without libheif. */
gboolean striae_photo_image_heif_size (GBytes *bytes,
                                       int    *width,
                                       int    *height);
char   *striae_photo_image_sha256 (GBytes   *bytes);
/* The MIME type of stored image bytes: "image/png" or "image/jpeg". */
const char *striae_photo_image_mime_type (GBytes *bytes);
/* The thumbnail of an image as stored (for one that comes back from an export), with the
 * same size check before decoding; fills the image's size. */
GBytes *striae_photo_image_thumbnail (GBytes  *bytes,
                                      guint   *width,
                                      guint   *height,
                                      GError **error);
/* Whether @bytes is a JPEG or PNG as striae_photo_image_clean() writes them: no EXIF, XMP,
 * IPTC, ICC profile, comment or text in it. */
gboolean striae_photo_image_is_clean (GBytes *bytes);

G_END_DECLS
