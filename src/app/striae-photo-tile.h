/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "striae-photo.h"
#include "striae-store.h"

G_BEGIN_DECLS

#define STRIAE_TYPE_PHOTO_TILE (striae_photo_tile_get_type ())

G_DECLARE_FINAL_TYPE (StriaePhotoTile, striae_photo_tile, STRIAE, PHOTO_TILE, GtkWidget)

GtkWidget    *striae_photo_tile_new             (void);
void          striae_photo_tile_set_photo       (StriaePhotoTile *self,
                                                 StriaePhoto     *photo);
void          striae_photo_tile_read_thumbnail  (StriaePhotoTile *self,
                                                 StriaeStore     *store);
gboolean      striae_photo_tile_is_reading      (StriaePhotoTile *self);
StriaePhoto  *striae_photo_tile_get_photo       (StriaePhotoTile *self);
const char   *striae_photo_tile_get_moment_text (StriaePhotoTile *self);
const char   *striae_photo_tile_get_date_text   (StriaePhotoTile *self);
const char   *striae_photo_tile_get_depth_text  (StriaePhotoTile *self);
GdkPaintable *striae_photo_tile_get_thumbnail   (StriaePhotoTile *self);

G_END_DECLS
