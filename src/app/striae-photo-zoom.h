/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* How far a photo of the comparison may be enlarged beyond the size that fits its side. */
#define STRIAE_PHOTO_ZOOM_MAX 8.0
#define STRIAE_PHOTO_ZOOM_STEP 1.25

#define STRIAE_TYPE_PHOTO_ZOOM (striae_photo_zoom_get_type ())

G_DECLARE_FINAL_TYPE (StriaePhotoZoom, striae_photo_zoom, STRIAE, PHOTO_ZOOM, GObject)

StriaePhotoZoom *striae_photo_zoom_new          (void);
double           striae_photo_zoom_get_scale    (StriaePhotoZoom *self);
void             striae_photo_zoom_set_scale    (StriaePhotoZoom *self,
                                                 double           scale);
double           striae_photo_zoom_get_center_x (StriaePhotoZoom *self);
double           striae_photo_zoom_get_center_y (StriaePhotoZoom *self);
void             striae_photo_zoom_set_center   (StriaePhotoZoom *self,
                                                 double           x,
                                                 double           y);
void             striae_photo_zoom_zoom_by      (StriaePhotoZoom *self,
                                                 double           factor);
void             striae_photo_zoom_pan_by       (StriaePhotoZoom *self,
                                                 double           dx,
                                                 double           dy);
void             striae_photo_zoom_reset        (StriaePhotoZoom *self);

G_END_DECLS
