/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "striae-photo.h"
#include "striae-store.h"

G_BEGIN_DECLS

/* What the photos page, its tiles and the comparison say about a photo, worded once. */
char       *striae_photo_dup_moment_label (StriaePhoto    *photo);
char       *striae_photo_dup_date_label   (StriaePhoto    *photo);
char       *striae_photo_dup_depth_label  (StriaePhoto    *photo);
char       *striae_photo_dup_caption      (StriaePhoto    *photo);
char       *striae_photo_dup_area_title   (StriaeBodySite  site,
                                           StriaeSide      side);
GdkTexture *striae_photo_load_thumbnail   (StriaeStore    *store,
                                           StriaePhoto    *photo,
                                           GError        **error);
GdkTexture *striae_photo_load_image       (StriaeStore    *store,
                                           StriaePhoto    *photo,
                                           GError        **error);
void        striae_photo_read_texture_async  (StriaeStore          *store,
                                              StriaePhoto          *photo,
                                              gboolean              whole,
                                              int                   priority,
                                              gpointer              source_object,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
GdkTexture *striae_photo_read_texture_finish (GAsyncResult         *result,
                                              StriaePhoto         **photo,
                                              GError              **error);

G_END_DECLS
