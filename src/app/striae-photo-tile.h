/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "striae-photo.h"

G_BEGIN_DECLS

#define STRIAE_TYPE_PHOTO_TILE (striae_photo_tile_get_type ())

G_DECLARE_FINAL_TYPE (StriaePhotoTile, striae_photo_tile, STRIAE, PHOTO_TILE, AdwBin)

GtkWidget   *striae_photo_tile_new       (void);
void         striae_photo_tile_set_photo (StriaePhotoTile *self,
                                          StriaePhoto     *photo,
                                          GdkTexture      *thumbnail);
void         striae_photo_tile_set_thumbnail (StriaePhotoTile *self,
                                              GdkTexture      *thumbnail);
const char  *striae_photo_tile_get_moment_text (StriaePhotoTile *self);
const char  *striae_photo_tile_get_date_text   (StriaePhotoTile *self);
const char  *striae_photo_tile_get_depth_text  (StriaePhotoTile *self);
GdkPaintable *striae_photo_tile_get_thumbnail  (StriaePhotoTile *self);

G_END_DECLS
