/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void        striae_texture_levels_make_async  (GdkTexture          *texture,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
GPtrArray  *striae_texture_levels_make_finish (GAsyncResult        *result,
                                               GError             **error);
GdkTexture *striae_texture_levels_pick        (GPtrArray           *levels,
                                               GdkTexture          *texture,
                                               double               drawn_width);

G_END_DECLS
