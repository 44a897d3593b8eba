/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <string.h>

#include "striae-core-error.h"
#include "striae-module.h"
#include "striae-photo-image.h"

/* The import pipeline of a photo (issue 18). A photo from a camera or a phone carries what
 * a clinical record must not keep: GPS position, camera and maker data, often a thumbnail of
 * the uncropped picture. Only the pixels pass: the image is decoded, turned upright from its
 * orientation tag, and written anew by gdk-pixbuf, which writes no metadata of its own. Its
 * size is checked from the header, before a pixel is decoded, so that a small file claiming
 * an enormous image (a decompression bomb) never takes the memory it asks for. */

#define JPEG_QUALITY "90"

typedef struct
{
  const char *mime_type;
  const char *name;
} Format;

/* What the header's first bytes say the file is; NULL for anything else. Only the camera
 * formats are read: gdk-pixbuf reads more (SVG, TIFF, icons…) that no photo needs. */
static const Format *
sniff (GBytes *bytes)
{
  static const Format jpeg = { "image/jpeg", "JPEG" };
  static const Format png = { "image/png", "PNG" };
  static const Format heif = { "image/heif", "HEIF" };
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  if (size >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff)
    return &jpeg;
  if (size >= 8 && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0)
    return &png;
  if (size >= 12 && memcmp (data + 4, "ftyp", 4) == 0)
    return &heif;
  return NULL;
}

typedef struct
{
  int      width;
  int      height;
  gboolean too_large;
} Header;

static gboolean
is_too_large (int width,
              int height)
{
  return width <= 0 || height <= 0 ||
         width > STRIAE_PHOTO_MAX_SIDE || height > STRIAE_PHOTO_MAX_SIDE ||
         (guint64) width * (guint64) height > STRIAE_PHOTO_MAX_PIXELS;
}

/* The loader tells the size from the header before it allocates or decodes anything; a
 * requested size of 0 × 0 makes it stop there with an error (as gdk_pixbuf_get_file_info()
 * does), which the caller turns into its own sentence. */
static void
size_prepared_cb (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  Header          *header)
{
  header->width = width;
  header->height = height;
  header->too_large = is_too_large (width, height);
  if (header->too_large)
    gdk_pixbuf_loader_set_size (loader, 0, 0);
}

static void
set_too_large (GError       **error,
               const Header  *header)
{
  g_set_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
               _("This image is too large (%d × %d pixels); Striae takes photos of up to "
                 "%d million pixels and %d pixels a side."),
               header->width, header->height, STRIAE_PHOTO_MAX_PIXELS / 1000000,
               STRIAE_PHOTO_MAX_SIDE);
}

/* Whether a JPEG's data runs to its end marker: gdk-pixbuf decodes a file cut short (an
 * interrupted copy) into a photo with its bottom missing, without a word. The segments are
 * walked to each scan, and each scan's coded data (where 0xFF is followed by 0x00 or a
 * restart marker) to the marker after it, up to EOI; what follows EOI (a phone's appended
 * data) does not matter. */
static gboolean
jpeg_is_complete (const guint8 *data,
                  gsize         size)
{
  gsize i = 2;

  while (i + 2 <= size)
    {
      guint8 marker;
      gsize length;

      if (data[i] != 0xff)
        return FALSE;
      marker = data[i + 1];
      if (marker == 0xd9)
        return TRUE;
      if (marker == 0xff)
        {
          i++;
          continue;
        }
      if (i + 4 > size)
        return FALSE;
      length = ((gsize) data[i + 2] << 8) | data[i + 3];
      if (length < 2)
        return FALSE;
      i += 2 + length;
      if (marker != 0xda)
        continue;
      /* The scan's coded data, to the next marker. */
      while (i + 1 < size &&
             !(data[i] == 0xff && data[i + 1] != 0x00 &&
               !(data[i + 1] >= 0xd0 && data[i + 1] <= 0xd7) && data[i + 1] != 0xff))
        i++;
    }
  return FALSE;
}

/* Whether a PNG's chunks run to IEND. */
static gboolean
png_is_complete (const guint8 *data,
                 gsize         size)
{
  gsize i = 8;

  while (i + 12 <= size)
    {
      guint32 length = ((guint32) data[i] << 24) | ((guint32) data[i + 1] << 16) |
                       ((guint32) data[i + 2] << 8) | data[i + 3];

      if (memcmp (data + i + 4, "IEND", 4) == 0)
        return TRUE;
      if (length > size - i - 12)
        return FALSE;
      i += 12 + (gsize) length;
    }
  return FALSE;
}

static gboolean
is_complete (const Format *format,
             GBytes       *bytes)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  if (g_str_equal (format->mime_type, "image/jpeg"))
    return jpeg_is_complete (data, size);
  if (g_str_equal (format->mime_type, "image/png"))
    return png_is_complete (data, size);
  return TRUE;   /* HEIF: libheif reads the whole file and refuses one cut short */
}

/* What reading a HEIF's size from its boxes gave. */
typedef enum
{
  HEIF_SIZE_READ,
  HEIF_SIZE_DAMAGED,      /* libheif found no image size in it */
  HEIF_SIZE_UNAVAILABLE,  /* built without libheif, or its module is not installed */
} HeifSize;

#ifdef HAVE_LIBHEIF
/* libheif is used through a module (src/core/heif/), loaded on the first HEIF photo. */
typedef gboolean (*HeifSizeFunc) (const guint8 *data,
                                  gsize         size,
                                  int          *width,
                                  int          *height);

static gpointer
load_heif_size (gpointer data)
{
  g_autoptr(GError) error = NULL;
  gpointer size;

  size = striae_module_load ("striae-heif", STRIAE_BUILD_HEIF_MODULEDIR,
                             STRIAE_MODULE_SCOPE_LOCAL, "striae_heif_module_size", &error);
  if (size == NULL)
    g_message ("HEIF photos are refused: their size cannot be read before they are "
               "decoded: %s", error->message);
  return size;
}
#endif

static HeifSize
read_heif_size (GBytes *bytes,
                int    *width,
                int    *height)
{
#ifdef HAVE_LIBHEIF
  static GOnce once = G_ONCE_INIT;
  HeifSizeFunc size_func = (HeifSizeFunc) g_once (&once, load_heif_size, NULL);
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  if (size_func == NULL)
    return HEIF_SIZE_UNAVAILABLE;
  return size_func (data, size, width, height) ? HEIF_SIZE_READ : HEIF_SIZE_DAMAGED;
#else
  return HEIF_SIZE_UNAVAILABLE;
#endif
}

/**
 * striae_photo_image_heif_size:
 * @width: (out): the primary image's width, in pixels
 * @height: (out): its height
 *
 * Reads a HEIF's size from its boxes (libheif parses the file's structure and decodes no
 * pixel), so that a HEIF bomb is refused before decoding: gdk-pixbuf's HEIF loader has
 * libheif decode the whole image before it reports a size.
 *
 * Returns: %FALSE when Striae was built without libheif, its module is missing, or @bytes
 *   is no HEIF it can parse
 */
gboolean
striae_photo_image_heif_size (GBytes *bytes,
                              int    *width,
                              int    *height)
{
  g_return_val_if_fail (bytes != NULL, FALSE);
  g_return_val_if_fail (width != NULL && height != NULL, FALSE);

  return read_heif_size (bytes, width, height) == HEIF_SIZE_READ;
}

/* A HEIF is decoded only once its size is known and allowed: gdk-pixbuf's loader would
 * decode the whole image first. One whose size cannot be read is refused, as one whose
 * loader is missing would be. */
static gboolean
check_heif_size (GBytes        *bytes,
                 const Format  *format,
                 GError       **error)
{
  Header header = { 0, 0, FALSE };

  switch (read_heif_size (bytes, &header.width, &header.height))
    {
    case HEIF_SIZE_READ:
      if (!is_too_large (header.width, header.height))
        return TRUE;
      set_too_large (error, &header);
      return FALSE;
    case HEIF_SIZE_DAMAGED:
      g_set_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
                   _("This %s file is damaged or incomplete; Striae cannot read it."),
                   format->name);
      return FALSE;
    case HEIF_SIZE_UNAVAILABLE:
    default:
      g_set_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
                   _("%s images cannot be read on this computer; save the photo as JPEG "
                     "and add it again."), format->name);
      return FALSE;
    }
}

static GdkPixbuf *
decode (GBytes  *bytes,
        GError **error)
{
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GError) local_error = NULL;
  const Format *format = sniff (bytes);
  Header header = { 0, 0, FALSE };
  gboolean ok;

  if (format == NULL)
    {
      g_set_error_literal (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
                           _("This file is not a photo Striae can read; choose a JPEG, PNG "
                             "or HEIF image."));
      return NULL;
    }
  if (g_str_equal (format->mime_type, "image/heif") && !check_heif_size (bytes, format, error))
    return NULL;
  loader = gdk_pixbuf_loader_new_with_mime_type (format->mime_type, NULL);
  if (loader == NULL)
    {
      g_set_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
                   _("%s images cannot be read on this computer; save the photo as JPEG "
                     "and add it again."), format->name);
      return NULL;
    }

  g_signal_connect (loader, "size-prepared", G_CALLBACK (size_prepared_cb), &header);
  ok = gdk_pixbuf_loader_write_bytes (loader, bytes, &local_error);
  ok = gdk_pixbuf_loader_close (loader, ok ? &local_error : NULL) && ok;
  if (header.too_large)
    {
      set_too_large (error, &header);
      return NULL;
    }
  if (!ok || gdk_pixbuf_loader_get_pixbuf (loader) == NULL || !is_complete (format, bytes))
    {
      g_debug ("Photo not decoded: %s", local_error ? local_error->message : "no image");
      g_set_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
                   _("This %s file is damaged or incomplete; Striae cannot read it."),
                   format->name);
      return NULL;
    }
  return g_object_ref (gdk_pixbuf_loader_get_pixbuf (loader));
}

/* Writes @pixbuf anew, without any of the source's metadata: gdk-pixbuf's writers add none
 * unless asked (no EXIF, no ICC profile, no text chunks). */
static GBytes *
encode (GdkPixbuf  *pixbuf,
        GError    **error)
{
  g_autoptr(GError) local_error = NULL;
  char *buffer = NULL;
  gsize size = 0;
  gboolean ok;

  if (gdk_pixbuf_get_has_alpha (pixbuf))
    ok = gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "png", &local_error, NULL);
  else
    ok = gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "jpeg", &local_error,
                                    "quality", JPEG_QUALITY, NULL);
  if (!ok)
    {
      g_debug ("Photo not encoded: %s", local_error->message);
      g_set_error_literal (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
                           _("The photo could not be prepared for the records; there may "
                             "not be enough memory."));
      return NULL;
    }
  return g_bytes_new_take (buffer, size);
}

/* A thumbnail is a JPEG, so a transparent photo is laid on white first. */
static GdkPixbuf *
make_thumbnail (GdkPixbuf *pixbuf)
{
  int width = gdk_pixbuf_get_width (pixbuf);
  int height = gdk_pixbuf_get_height (pixbuf);
  int longest = MAX (width, height);
  int tw = width;
  int th = height;
  GdkPixbuf *thumbnail;

  if (longest > STRIAE_PHOTO_THUMBNAIL_SIZE)
    {
      tw = MAX (1, (int) ((gint64) width * STRIAE_PHOTO_THUMBNAIL_SIZE / longest));
      th = MAX (1, (int) ((gint64) height * STRIAE_PHOTO_THUMBNAIL_SIZE / longest));
    }
  if (!gdk_pixbuf_get_has_alpha (pixbuf))
    return gdk_pixbuf_scale_simple (pixbuf, tw, th, GDK_INTERP_BILINEAR);

  thumbnail = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, tw, th);
  if (thumbnail == NULL)
    return NULL;
  gdk_pixbuf_fill (thumbnail, 0xffffffff);
  gdk_pixbuf_composite (pixbuf, thumbnail, 0, 0, tw, th, 0, 0, (double) tw / width,
                        (double) th / height, GDK_INTERP_BILINEAR, 255);
  return thumbnail;
}

GBytes *
striae_photo_image_clean (GBytes   *bytes,
                          guint    *width,
                          guint    *height,
                          GBytes  **thumbnail,
                          GError  **error)
{
  g_autoptr(GdkPixbuf) decoded = NULL;
  g_autoptr(GdkPixbuf) upright = NULL;
  g_autoptr(GdkPixbuf) small = NULL;
  g_autoptr(GBytes) image = NULL;
  g_autoptr(GBytes) thumb = NULL;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  decoded = decode (bytes, error);
  if (decoded == NULL)
    return NULL;
  /* The orientation tag is the one piece of metadata that changes what the photo shows:
   * applied to the pixels, since the tag itself is not kept. */
  upright = gdk_pixbuf_apply_embedded_orientation (decoded);
  g_clear_object (&decoded);
  if (upright == NULL)
    {
      g_set_error_literal (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
                           _("The photo could not be prepared for the records; there may "
                             "not be enough memory."));
      return NULL;
    }

  image = encode (upright, error);
  if (image == NULL)
    return NULL;
  if (thumbnail != NULL)
    {
      small = make_thumbnail (upright);
      thumb = small ? encode (small, error) : NULL;
      if (thumb == NULL)
        {
          if (error != NULL && *error == NULL)
            g_set_error_literal (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
                                 _("The photo could not be prepared for the records; there "
                                   "may not be enough memory."));
          return NULL;
        }
      *thumbnail = g_steal_pointer (&thumb);
    }
  if (width != NULL)
    *width = (guint) gdk_pixbuf_get_width (upright);
  if (height != NULL)
    *height = (guint) gdk_pixbuf_get_height (upright);
  return g_steal_pointer (&image);
}

char *
striae_photo_image_sha256 (GBytes *bytes)
{
  g_return_val_if_fail (bytes != NULL, NULL);

  return g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
}

const char *
striae_photo_image_mime_type (GBytes *bytes)
{
  const Format *format;

  g_return_val_if_fail (bytes != NULL, NULL);

  format = sniff (bytes);
  return format != NULL ? format->mime_type : "application/octet-stream";
}

/**
 * striae_photo_image_thumbnail:
 *
 * The thumbnail of a stored image (already upright): decoded with the same header check
 * as striae_photo_image_clean(), for an image that comes back from an export.
 *
 * Returns: (transfer full): the thumbnail (JPEG), or %NULL with @error set
 */
GBytes *
striae_photo_image_thumbnail (GBytes   *bytes,
                              guint    *width,
                              guint    *height,
                              GError  **error)
{
  g_autoptr(GdkPixbuf) decoded = NULL;
  g_autoptr(GdkPixbuf) small = NULL;
  GBytes *thumbnail;

  g_return_val_if_fail (bytes != NULL, NULL);

  decoded = decode (bytes, error);
  if (decoded == NULL)
    return NULL;
  small = make_thumbnail (decoded);
  thumbnail = small != NULL ? encode (small, error) : NULL;
  if (thumbnail == NULL && error != NULL && *error == NULL)
    g_set_error_literal (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
                         _("The photo could not be prepared for the records; there may "
                           "not be enough memory."));
  if (thumbnail != NULL && width != NULL)
    *width = (guint) gdk_pixbuf_get_width (decoded);
  if (thumbnail != NULL && height != NULL)
    *height = (guint) gdk_pixbuf_get_height (decoded);
  return thumbnail;
}

/* JPEG markers: APP0 (JFIF, which gdk-pixbuf writes) is the only application segment a
 * clean image has; APP1 holds EXIF and XMP (GPS, camera, maker notes), APP2 ICC profiles and
 * FlashPix, APP13 IPTC, and COM free text. */
static gboolean
jpeg_is_clean (const guint8 *data,
               gsize         size)
{
  gsize i = 2;

  while (i + 4 <= size)
    {
      guint8 marker;
      gsize length;

      if (data[i] != 0xff)
        return FALSE;
      marker = data[i + 1];
      if (marker == 0xff)
        {
          i++;
          continue;
        }
      if (marker == 0xda)   /* start of scan: the pixels follow */
        return TRUE;
      if ((marker >= 0xe1 && marker <= 0xef) || marker == 0xfe)
        return FALSE;
      length = ((gsize) data[i + 2] << 8) | data[i + 3];
      if (length < 2)
        return FALSE;
      i += 2 + length;
    }
  return FALSE;
}

/* PNG chunks: only those that make the pixels (gdk-pixbuf adds sBIT, the bits per sample),
 * never text, time, EXIF or colour profiles. */
static gboolean
png_is_clean (const guint8 *data,
              gsize         size)
{
  static const char * const allowed[] = { "IHDR", "PLTE", "IDAT", "IEND", "tRNS", "sBIT" };
  gsize i = 8;

  while (i + 12 <= size)
    {
      guint32 length = ((guint32) data[i] << 24) | ((guint32) data[i + 1] << 16) |
                       ((guint32) data[i + 2] << 8) | data[i + 3];
      gboolean known = FALSE;

      for (guint k = 0; k < G_N_ELEMENTS (allowed); k++)
        known = known || memcmp (data + i + 4, allowed[k], 4) == 0;
      if (!known)
        return FALSE;
      if (memcmp (data + i + 4, "IEND", 4) == 0)
        return TRUE;
      if (length > size - i - 12)
        return FALSE;
      i += 12 + (gsize) length;
    }
  return FALSE;
}

/**
 * striae_photo_image_is_clean:
 *
 * Whether @bytes is an image as striae_photo_image_clean() writes them: a JPEG whose only
 * application segment is JFIF, or a PNG with only the chunks of its pixels; no EXIF, XMP,
 * IPTC, ICC profile, comment or text.
 */
gboolean
striae_photo_image_is_clean (GBytes *bytes)
{
  gsize size;
  const guint8 *data;
  const Format *format;

  g_return_val_if_fail (bytes != NULL, FALSE);

  data = g_bytes_get_data (bytes, &size);
  format = sniff (bytes);
  if (format == NULL)
    return FALSE;
  if (g_str_equal (format->mime_type, "image/jpeg"))
    return jpeg_is_clean (data, size);
  if (g_str_equal (format->mime_type, "image/png"))
    return png_is_clean (data, size);
  return FALSE;
}
