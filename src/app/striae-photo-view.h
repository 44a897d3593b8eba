/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "striae-photo-zoom.h"

G_BEGIN_DECLS

#define STRIAE_TYPE_PHOTO_VIEW (striae_photo_view_get_type ())

G_DECLARE_FINAL_TYPE (StriaePhotoView, striae_photo_view, STRIAE, PHOTO_VIEW, GtkWidget)

GtkWidget       *striae_photo_view_new         (void);
GdkTexture      *striae_photo_view_get_texture (StriaePhotoView *self);
void             striae_photo_view_set_texture (StriaePhotoView *self,
                                                GdkTexture      *texture);
StriaePhotoZoom *striae_photo_view_get_zoom    (StriaePhotoView *self);
void             striae_photo_view_set_zoom    (StriaePhotoView *self,
                                                StriaePhotoZoom *zoom);

G_END_DECLS
