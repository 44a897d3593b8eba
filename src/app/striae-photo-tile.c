/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "striae-app-private.h"
#include "striae-photo-labels.h"
#include "striae-photo-tile.h"

/* One photo in the photos page's grid: its thumbnail, the day, the moment in the course and
 * the depth used. The grid makes a few tiles and binds them to the photos scrolled to. */
struct _StriaePhotoTile
{
  AdwBin      parent_instance;

  GtkPicture *picture;
  GtkLabel   *date_label;
  GtkLabel   *moment_label;
  GtkLabel   *depth_label;
};

G_DEFINE_FINAL_TYPE (StriaePhotoTile, striae_photo_tile, ADW_TYPE_BIN)

static void
striae_photo_tile_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), STRIAE_TYPE_PHOTO_TILE);

  G_OBJECT_CLASS (striae_photo_tile_parent_class)->dispose (object);
}

static void
striae_photo_tile_class_init (StriaePhotoTileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = striae_photo_tile_dispose;

  striae_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/striae/Striae/ui/striae-photo-tile.ui");
  gtk_widget_class_bind_template_child (widget_class, StriaePhotoTile, picture);
  gtk_widget_class_bind_template_child (widget_class, StriaePhotoTile, date_label);
  gtk_widget_class_bind_template_child (widget_class, StriaePhotoTile, moment_label);
  gtk_widget_class_bind_template_child (widget_class, StriaePhotoTile, depth_label);
}

static void
striae_photo_tile_init (StriaePhotoTile *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
striae_photo_tile_new (void)
{
  return g_object_new (STRIAE_TYPE_PHOTO_TILE, NULL);
}

/**
 * striae_photo_tile_set_photo:
 * @photo: (nullable): the photo shown, %NULL when the tile is unbound
 * @thumbnail: (nullable): its thumbnail, %NULL when it could not be read
 */
void
striae_photo_tile_set_photo (StriaePhotoTile *self,
                             StriaePhoto     *photo,
                             GdkTexture      *thumbnail)
{
  g_autofree char *date = NULL;
  g_autofree char *moment = NULL;
  g_autofree char *depth = NULL;

  g_return_if_fail (STRIAE_IS_PHOTO_TILE (self));
  g_return_if_fail (photo == NULL || STRIAE_IS_PHOTO (photo));

  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (thumbnail));
  if (photo == NULL)
    {
      gtk_label_set_label (self->date_label, "");
      gtk_label_set_label (self->moment_label, "");
      gtk_label_set_label (self->depth_label, "");
      return;
    }
  date = striae_photo_dup_date_label (photo);
  moment = striae_photo_dup_moment_label (photo);
  depth = striae_photo_dup_depth_label (photo);
  gtk_label_set_label (self->date_label, date);
  gtk_label_set_label (self->moment_label, moment);
  gtk_label_set_label (self->depth_label, depth);
}

/* The thumbnail, read after the tile was bound (%NULL until then). */
void
striae_photo_tile_set_thumbnail (StriaePhotoTile *self,
                                 GdkTexture      *thumbnail)
{
  g_return_if_fail (STRIAE_IS_PHOTO_TILE (self));

  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (thumbnail));
}

const char *
striae_photo_tile_get_date_text (StriaePhotoTile *self)
{
  g_return_val_if_fail (STRIAE_IS_PHOTO_TILE (self), NULL);
  return gtk_label_get_label (self->date_label);
}

const char *
striae_photo_tile_get_moment_text (StriaePhotoTile *self)
{
  g_return_val_if_fail (STRIAE_IS_PHOTO_TILE (self), NULL);
  return gtk_label_get_label (self->moment_label);
}

const char *
striae_photo_tile_get_depth_text (StriaePhotoTile *self)
{
  g_return_val_if_fail (STRIAE_IS_PHOTO_TILE (self), NULL);
  return gtk_label_get_label (self->depth_label);
}

GdkPaintable *
striae_photo_tile_get_thumbnail (StriaePhotoTile *self)
{
  g_return_val_if_fail (STRIAE_IS_PHOTO_TILE (self), NULL);
  return gtk_picture_get_paintable (self->picture);
}
