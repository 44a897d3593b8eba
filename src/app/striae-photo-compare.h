/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "striae-photo-view.h"
#include "striae-store.h"

G_BEGIN_DECLS

#define STRIAE_TYPE_PHOTO_COMPARE (striae_photo_compare_get_type ())

G_DECLARE_FINAL_TYPE (StriaePhotoCompare, striae_photo_compare, STRIAE, PHOTO_COMPARE, AdwBin)

GtkWidget       *striae_photo_compare_new        (void);
void             striae_photo_compare_set_store  (StriaePhotoCompare *self,
                                                  StriaeStore        *store);
void             striae_photo_compare_show       (StriaePhotoCompare *self,
                                                  GListModel         *photos,
                                                  guint               left,
                                                  guint               right);
StriaePhotoZoom *striae_photo_compare_get_zoom   (StriaePhotoCompare *self);
StriaePhotoView *striae_photo_compare_get_view   (StriaePhotoCompare *self,
                                                  gboolean            right);
GtkDropDown     *striae_photo_compare_get_drop_down (StriaePhotoCompare *self,
                                                     gboolean            right);
const char      *striae_photo_compare_get_caption (StriaePhotoCompare *self,
                                                   gboolean            right);
StriaePhoto     *striae_photo_compare_get_focused_photo (StriaePhotoCompare *self);
gboolean         striae_photo_compare_is_reading (StriaePhotoCompare *self,
                                                  gboolean            right);

G_END_DECLS
