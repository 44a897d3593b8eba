/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"


#include "striae-accessible.h"
#include "striae-photo-labels.h"
#include "striae-photo-tile.h"

/* One photo in the photos page's grid: its thumbnail, the day, the moment in the course and
 * the depth used. GTK 4.8's grid makes about 30 rows of tiles up front (some 250 for a wide
 * window), and measures every one of them before its first frame; so a tile is built in code
 * (no GtkBuilder per tile) from few widgets, its texts are GtkInscriptions, whose size comes
 * from the font and not from laying out each text, and its thumbnail is read and decoded in
 * a worker thread, with an empty card in its place until then (issue 18). */
struct _StriaePhotoTile
{
  GtkWidget     parent_instance;

  GtkWidget    *picture;
  GtkWidget    *date;
  GtkWidget    *moment;
  GtkWidget    *depth;

  StriaePhoto  *photo;
  GCancellable *reading;   /* the thumbnail's read under way, if any */
};

G_DEFINE_FINAL_TYPE (StriaePhotoTile, striae_photo_tile, GTK_TYPE_WIDGET)

/* The side of the square the thumbnail is shown in, in pixels. */
#define THUMBNAIL_SIDE 144

static void
cancel_reading (StriaePhotoTile *self)
{
  g_cancellable_cancel (self->reading);
  g_clear_object (&self->reading);
}

static void
striae_photo_tile_dispose (GObject *object)
{
  StriaePhotoTile *self = STRIAE_PHOTO_TILE (object);

  cancel_reading (self);
  g_clear_object (&self->photo);
  g_clear_pointer (&self->picture, gtk_widget_unparent);
  g_clear_pointer (&self->date, gtk_widget_unparent);
  g_clear_pointer (&self->moment, gtk_widget_unparent);
  g_clear_pointer (&self->depth, gtk_widget_unparent);

  G_OBJECT_CLASS (striae_photo_tile_parent_class)->dispose (object);
}

static void
striae_photo_tile_class_init (StriaePhotoTileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = striae_photo_tile_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "photo-tile");
}

/* One line of text, as wide as the tile lets it be, ellipsized at its end. */
static GtkWidget *
add_line (StriaePhotoTile *self,
          const char      *style,
          const char      *style2)
{
  GtkWidget *line = gtk_inscription_new (NULL);

  gtk_inscription_set_xalign (GTK_INSCRIPTION (line), 0.5);
  gtk_inscription_set_min_lines (GTK_INSCRIPTION (line), 1);
  gtk_inscription_set_nat_lines (GTK_INSCRIPTION (line), 1);
  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (line),
                                     GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  if (style != NULL)
    gtk_widget_add_css_class (line, style);
  if (style2 != NULL)
    gtk_widget_add_css_class (line, style2);
  gtk_widget_set_parent (line, GTK_WIDGET (self));
  return line;
}

static void
striae_photo_tile_init (StriaePhotoTile *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));

  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 3);
  gtk_widget_set_margin_top (GTK_WIDGET (self), 6);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self), 6);
  gtk_widget_set_margin_start (GTK_WIDGET (self), 6);
  gtk_widget_set_margin_end (GTK_WIDGET (self), 6);

  /* The card is the thumbnail's place while it is read. */
  self->picture = g_object_new (GTK_TYPE_PICTURE,
                                "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                                "can-shrink", TRUE,
                                "content-fit", GTK_CONTENT_FIT_CONTAIN,
                                "width-request", THUMBNAIL_SIDE,
                                "height-request", THUMBNAIL_SIDE,
                                NULL);
  gtk_widget_add_css_class (self->picture, "card");
  gtk_widget_set_parent (self->picture, GTK_WIDGET (self));
  self->date = add_line (self, "heading", NULL);
  self->moment = add_line (self, NULL, NULL);
  self->depth = add_line (self, "dim-label", "caption");
}

GtkWidget *
striae_photo_tile_new (void)
{
  return g_object_new (STRIAE_TYPE_PHOTO_TILE, NULL);
}

/**
 * striae_photo_tile_set_photo:
 * @photo: (nullable): the photo shown, %NULL when the tile is unbound
 *
 * Shows @photo's day, moment and depth, and the empty card until its thumbnail is read
 * (striae_photo_tile_read_thumbnail()); a read under way for another photo is cancelled.
 */
void
striae_photo_tile_set_photo (StriaePhotoTile *self,
                             StriaePhoto     *photo)
{
  g_autofree char *date = NULL;
  g_autofree char *moment = NULL;
  g_autofree char *depth = NULL;
  g_autofree char *caption = NULL;

  g_return_if_fail (STRIAE_IS_PHOTO_TILE (self));
  g_return_if_fail (photo == NULL || STRIAE_IS_PHOTO (photo));

  cancel_reading (self);
  g_set_object (&self->photo, photo);
  gtk_picture_set_paintable (GTK_PICTURE (self->picture), NULL);
  if (photo != NULL)
    {
      date = striae_photo_dup_date_label (photo);
      moment = striae_photo_dup_moment_label (photo);
      depth = striae_photo_dup_depth_label (photo);
      caption = striae_photo_dup_caption (photo);
    }
  gtk_inscription_set_text (GTK_INSCRIPTION (self->date), date);
  gtk_inscription_set_text (GTK_INSCRIPTION (self->moment), moment);
  gtk_inscription_set_text (GTK_INSCRIPTION (self->depth), depth);
  /* The tile is read as one: "9 March 2026 · Session 1 — before · Depth 1.00 mm". */
  striae_accessible_name_list_item (GTK_WIDGET (self), caption, NULL);
}

static void
thumbnail_read_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  StriaePhotoTile *self = STRIAE_PHOTO_TILE (source);
  StriaePhoto *photo = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = striae_photo_read_texture_finish (result, &photo, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (texture == NULL)
    g_message ("Could not read the thumbnail of photo %" G_GINT64_FORMAT ": %s",
               striae_photo_get_id (photo), error->message);
  /* A read of an earlier photo of this tile is cancelled, so the photo is still this one. */
  g_assert (photo == self->photo);
  g_clear_object (&self->reading);
  gtk_picture_set_paintable (GTK_PICTURE (self->picture), GDK_PAINTABLE (texture));
}

/**
 * striae_photo_tile_read_thumbnail:
 *
 * Reads the thumbnail of the photo shown from @store and decodes it in a worker thread; it
 * shows when ready, unless the tile was given another photo meanwhile.
 */
void
striae_photo_tile_read_thumbnail (StriaePhotoTile *self,
                                  StriaeStore     *store)
{
  g_return_if_fail (STRIAE_IS_PHOTO_TILE (self));
  g_return_if_fail (STRIAE_IS_STORE (store));

  if (self->photo == NULL || self->reading != NULL ||
      gtk_picture_get_paintable (GTK_PICTURE (self->picture)) != NULL)
    return;
  self->reading = g_cancellable_new ();
  /* A grid binds some 250 tiles: their reads queue in GLib's pool of task threads behind any
   * other work of the window (a search, the recalls), not ahead of it. */
  striae_photo_read_texture_async (store, self->photo, FALSE, G_PRIORITY_LOW, self,
                                   self->reading, thumbnail_read_cb, NULL);
}

/* Whether the thumbnail's read is under way. */
gboolean
striae_photo_tile_is_reading (StriaePhotoTile *self)
{
  g_return_val_if_fail (STRIAE_IS_PHOTO_TILE (self), FALSE);
  return self->reading != NULL;
}

StriaePhoto *
striae_photo_tile_get_photo (StriaePhotoTile *self)
{
  g_return_val_if_fail (STRIAE_IS_PHOTO_TILE (self), NULL);
  return self->photo;
}

const char *
striae_photo_tile_get_date_text (StriaePhotoTile *self)
{
  g_return_val_if_fail (STRIAE_IS_PHOTO_TILE (self), NULL);
  return gtk_inscription_get_text (GTK_INSCRIPTION (self->date));
}

const char *
striae_photo_tile_get_moment_text (StriaePhotoTile *self)
{
  g_return_val_if_fail (STRIAE_IS_PHOTO_TILE (self), NULL);
  return gtk_inscription_get_text (GTK_INSCRIPTION (self->moment));
}

const char *
striae_photo_tile_get_depth_text (StriaePhotoTile *self)
{
  g_return_val_if_fail (STRIAE_IS_PHOTO_TILE (self), NULL);
  return gtk_inscription_get_text (GTK_INSCRIPTION (self->depth));
}

/* The thumbnail shown, %NULL while it is read (or when it could not be). */
GdkPaintable *
striae_photo_tile_get_thumbnail (StriaePhotoTile *self)
{
  g_return_val_if_fail (STRIAE_IS_PHOTO_TILE (self), NULL);
  return gtk_picture_get_paintable (GTK_PICTURE (self->picture));
}
