/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "striae-accessible.h"
#include "striae-app-private.h"
#include "striae-photo-compare.h"
#include "striae-photo-labels.h"

/* Two photos of one area side by side, the first and the latest when opened, so that the
 * patient sees their progress: each side has a drop-down to pick another photo of the area,
 * and under it the day, the moment in the course and the depth. Both sides share one
 * StriaePhotoZoom, so zooming or moving one moves the other. Each full photo is read from
 * the records (which audit the view) when it is picked, and kept in memory only; it is read
 * and decoded in a worker thread (a 6 MP photo takes a while), a spinner in its place, and
 * the read is cancelled when another photo is picked on that side or the comparison goes. */
struct _StriaePhotoCompare
{
  AdwBin           parent_instance;

  GtkDropDown     *left_drop_down;
  GtkDropDown     *right_drop_down;
  StriaePhotoView *left_view;
  StriaePhotoView *right_view;
  GtkLabel        *left_caption;
  GtkLabel        *right_caption;
  GtkWidget       *left_delete;
  GtkWidget       *right_delete;
  GtkWidget       *left_spinner;
  GtkWidget       *right_spinner;
  GCancellable    *left_reading;
  GCancellable    *right_reading;

  StriaeStore     *store;
  StriaePhotoZoom *zoom;
};

G_DEFINE_FINAL_TYPE (StriaePhotoCompare, striae_photo_compare, ADW_TYPE_BIN)

static char *
caption_for_item (gpointer     unused,
                  StriaePhoto *photo)
{
  if (photo == NULL)
    return g_strdup ("");
  return striae_photo_dup_caption (photo);
}

static void
image_read_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  StriaePhotoCompare *self = STRIAE_PHOTO_COMPARE (source);
  gboolean right = GPOINTER_TO_INT (user_data);
  StriaePhotoView *view = right ? self->right_view : self->left_view;
  GtkLabel *caption = right ? self->right_caption : self->left_caption;
  StriaePhoto *photo = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *name = NULL;

  texture = striae_photo_read_texture_finish (result, &photo, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* A read of an earlier photo of this side is cancelled, so the photo is still this one. */
  g_clear_object (right ? &self->right_reading : &self->left_reading);
  gtk_spinner_stop (GTK_SPINNER (right ? self->right_spinner : self->left_spinner));
  gtk_widget_set_visible (right ? self->right_spinner : self->left_spinner, FALSE);
  striae_photo_view_set_texture (view, texture);
  if (texture == NULL)
    {
      /* TRANSLATORS: %s says why a photo could not be shown */
      g_autofree char *problem = g_strdup_printf (_("This photo cannot be shown: %s"),
                                                  error->message);

      gtk_label_set_label (caption, problem);
      return;
    }
  text = striae_photo_dup_caption (photo);
  /* TRANSLATORS: the accessible name of a compared photo; %s is its caption */
  name = g_strdup_printf (_("Photo of %s"), text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);
}

static void
cancel_reading (StriaePhotoCompare *self,
                gboolean            right)
{
  GCancellable **reading = right ? &self->right_reading : &self->left_reading;
  GtkWidget *spinner = right ? self->right_spinner : self->left_spinner;

  if (*reading != NULL)
    g_cancellable_cancel (*reading);
  g_clear_object (reading);
  gtk_spinner_stop (GTK_SPINNER (spinner));
  gtk_widget_set_visible (spinner, FALSE);
}

/* The side's photo is read when it is picked: the records write the view to the audit log. */
static void
show_side (StriaePhotoCompare *self,
           gboolean            right)
{
  GtkDropDown *drop_down = right ? self->right_drop_down : self->left_drop_down;
  StriaePhoto *photo = gtk_drop_down_get_selected_item (drop_down);
  GtkLabel *caption = right ? self->right_caption : self->left_caption;
  GtkWidget *delete_button = right ? self->right_delete : self->left_delete;
  GtkWidget *spinner = right ? self->right_spinner : self->left_spinner;
  g_autofree char *text = NULL;

  /* Delete Photo… is for the photo this side shows. */
  gtk_actionable_set_action_target (GTK_ACTIONABLE (delete_button), "x",
                                    photo != NULL ? striae_photo_get_id (photo) : (gint64) 0);
  gtk_widget_set_visible (delete_button, photo != NULL);
  cancel_reading (self, right);
  striae_photo_view_set_texture (right ? self->right_view : self->left_view, NULL);
  if (photo == NULL || self->store == NULL)
    {
      gtk_label_set_label (caption, "");
      return;
    }

  text = striae_photo_dup_caption (photo);
  gtk_label_set_label (caption, text);
  gtk_widget_set_visible (spinner, TRUE);
  gtk_spinner_start (GTK_SPINNER (spinner));
  if (right)
    self->right_reading = g_cancellable_new ();
  else
    self->left_reading = g_cancellable_new ();
  striae_photo_read_texture_async (self->store, photo, TRUE, G_PRIORITY_DEFAULT, self,
                                   right ? self->right_reading : self->left_reading,
                                   image_read_cb, GINT_TO_POINTER (right));
}

static void
left_selected_cb (StriaePhotoCompare *self)
{
  show_side (self, FALSE);
}

static void
right_selected_cb (StriaePhotoCompare *self)
{
  show_side (self, TRUE);
}

static void
zoom_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  striae_photo_zoom_zoom_by (STRIAE_PHOTO_COMPARE (widget)->zoom, STRIAE_PHOTO_ZOOM_STEP);
}

static void
zoom_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  striae_photo_zoom_zoom_by (STRIAE_PHOTO_COMPARE (widget)->zoom, 1 / STRIAE_PHOTO_ZOOM_STEP);
}

static void
zoom_reset_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  striae_photo_zoom_reset (STRIAE_PHOTO_COMPARE (widget)->zoom);
}

/* Out of sight (back to the grid, the window locked or closed) nothing is read for it. */
static void
striae_photo_compare_unmap (GtkWidget *widget)
{
  StriaePhotoCompare *self = STRIAE_PHOTO_COMPARE (widget);

  cancel_reading (self, FALSE);
  cancel_reading (self, TRUE);
  GTK_WIDGET_CLASS (striae_photo_compare_parent_class)->unmap (widget);
}

/* Shown again: a side whose read was cancelled on the way out reads its photo anew. */
static void
striae_photo_compare_map (GtkWidget *widget)
{
  StriaePhotoCompare *self = STRIAE_PHOTO_COMPARE (widget);

  GTK_WIDGET_CLASS (striae_photo_compare_parent_class)->map (widget);
  for (guint right = 0; right < 2; right++)
    {
      StriaePhotoView *view = right ? self->right_view : self->left_view;
      GtkDropDown *drop_down = right ? self->right_drop_down : self->left_drop_down;

      if (striae_photo_view_get_texture (view) == NULL &&
          gtk_drop_down_get_selected_item (drop_down) != NULL &&
          !striae_photo_compare_is_reading (self, right))
        show_side (self, right);
    }
}

static void
striae_photo_compare_dispose (GObject *object)
{
  StriaePhotoCompare *self = STRIAE_PHOTO_COMPARE (object);

  if (self->left_reading != NULL)
    g_cancellable_cancel (self->left_reading);
  if (self->right_reading != NULL)
    g_cancellable_cancel (self->right_reading);
  g_clear_object (&self->left_reading);
  g_clear_object (&self->right_reading);
  gtk_widget_dispose_template (GTK_WIDGET (self), STRIAE_TYPE_PHOTO_COMPARE);
  g_clear_object (&self->store);
  g_clear_object (&self->zoom);

  G_OBJECT_CLASS (striae_photo_compare_parent_class)->dispose (object);
}

static void
striae_photo_compare_class_init (StriaePhotoCompareClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = striae_photo_compare_dispose;
  widget_class->map = striae_photo_compare_map;
  widget_class->unmap = striae_photo_compare_unmap;

  g_type_ensure (STRIAE_TYPE_PHOTO_VIEW);
  striae_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/striae/Striae/ui/"
                                               "striae-photo-compare.ui");
  gtk_widget_class_bind_template_child (widget_class, StriaePhotoCompare, left_drop_down);
  gtk_widget_class_bind_template_child (widget_class, StriaePhotoCompare, right_drop_down);
  gtk_widget_class_bind_template_child (widget_class, StriaePhotoCompare, left_view);
  gtk_widget_class_bind_template_child (widget_class, StriaePhotoCompare, right_view);
  gtk_widget_class_bind_template_child (widget_class, StriaePhotoCompare, left_caption);
  gtk_widget_class_bind_template_child (widget_class, StriaePhotoCompare, right_caption);
  gtk_widget_class_bind_template_child (widget_class, StriaePhotoCompare, left_delete);
  gtk_widget_class_bind_template_child (widget_class, StriaePhotoCompare, right_delete);
  gtk_widget_class_bind_template_child (widget_class, StriaePhotoCompare, left_spinner);
  gtk_widget_class_bind_template_child (widget_class, StriaePhotoCompare, right_spinner);

  gtk_widget_class_install_action (widget_class, "compare.zoom-in", NULL, zoom_in_action);
  gtk_widget_class_install_action (widget_class, "compare.zoom-out", NULL, zoom_out_action);
  gtk_widget_class_install_action (widget_class, "compare.zoom-reset", NULL,
                                   zoom_reset_action);
  /* Also while a drop-down has the focus (the views take these keys themselves). */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, 0, "compare.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, 0, "compare.zoom-in",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, 0, "compare.zoom-out",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, 0,
                                       "compare.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, 0, "compare.zoom-reset", NULL);
}

static void
caption_setup_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *item)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

static void
caption_bind_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item)
{
  g_autofree char *caption = caption_for_item (NULL, gtk_list_item_get_item (item));

  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (item)), caption);
}

static void
set_up_drop_down (StriaePhotoCompare *self,
                  GtkDropDown        *drop_down,
                  const char         *name,
                  GCallback           selected_cb)
{
  GtkExpression *expression =
    gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL, G_CALLBACK (caption_for_item),
                                 NULL, NULL);
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  /* GTK 4.8's own factory shows strings only: each photo is shown by its caption. */
  g_signal_connect (factory, "setup", G_CALLBACK (caption_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (caption_bind_cb), NULL);
  gtk_drop_down_set_factory (drop_down, factory);
  g_object_unref (factory);
  gtk_drop_down_set_expression (drop_down, expression);
  gtk_expression_unref (expression);
  striae_accessible_name_drop_down (drop_down, name);
  g_signal_connect_object (drop_down, "notify::selected", selected_cb, self,
                           G_CONNECT_SWAPPED);
}

static void
striae_photo_compare_init (StriaePhotoCompare *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->zoom = striae_photo_zoom_new ();
  striae_photo_view_set_zoom (self->left_view, self->zoom);
  striae_photo_view_set_zoom (self->right_view, self->zoom);
  set_up_drop_down (self, self->left_drop_down, _("Photo on the left"),
                    G_CALLBACK (left_selected_cb));
  set_up_drop_down (self, self->right_drop_down, _("Photo on the right"),
                    G_CALLBACK (right_selected_cb));
}

GtkWidget *
striae_photo_compare_new (void)
{
  return g_object_new (STRIAE_TYPE_PHOTO_COMPARE, NULL);
}

void
striae_photo_compare_set_store (StriaePhotoCompare *self,
                                StriaeStore        *store)
{
  g_return_if_fail (STRIAE_IS_PHOTO_COMPARE (self));
  g_return_if_fail (store == NULL || STRIAE_IS_STORE (store));

  g_set_object (&self->store, store);
}

/**
 * striae_photo_compare_show:
 * @photos: (nullable): the photos to choose from (StriaePhoto), oldest first; %NULL: none
 * @left: the position of the photo on the left
 * @right: the position of the photo on the right
 *
 * Shows two photos of @photos whole, side by side.
 */
void
striae_photo_compare_show (StriaePhotoCompare *self,
                           GListModel         *photos,
                           guint               left,
                           guint               right)
{
  g_return_if_fail (STRIAE_IS_PHOTO_COMPARE (self));
  g_return_if_fail (photos == NULL || G_IS_LIST_MODEL (photos));

  striae_photo_zoom_reset (self->zoom);
  /* No photo is read twice: each side's model is set with nothing picked, then its photo. */
  g_signal_handlers_block_by_func (self->left_drop_down, left_selected_cb, self);
  g_signal_handlers_block_by_func (self->right_drop_down, right_selected_cb, self);
  gtk_drop_down_set_model (self->left_drop_down, photos);
  gtk_drop_down_set_model (self->right_drop_down, photos);
  gtk_drop_down_set_selected (self->left_drop_down, left);
  gtk_drop_down_set_selected (self->right_drop_down, right);
  g_signal_handlers_unblock_by_func (self->left_drop_down, left_selected_cb, self);
  g_signal_handlers_unblock_by_func (self->right_drop_down, right_selected_cb, self);
  left_selected_cb (self);
  right_selected_cb (self);
}

StriaePhotoZoom *
striae_photo_compare_get_zoom (StriaePhotoCompare *self)
{
  g_return_val_if_fail (STRIAE_IS_PHOTO_COMPARE (self), NULL);
  return self->zoom;
}

StriaePhotoView *
striae_photo_compare_get_view (StriaePhotoCompare *self,
                               gboolean            right)
{
  g_return_val_if_fail (STRIAE_IS_PHOTO_COMPARE (self), NULL);
  return right ? self->right_view : self->left_view;
}

GtkDropDown *
striae_photo_compare_get_drop_down (StriaePhotoCompare *self,
                                    gboolean            right)
{
  g_return_val_if_fail (STRIAE_IS_PHOTO_COMPARE (self), NULL);
  return right ? self->right_drop_down : self->left_drop_down;
}

const char *
striae_photo_compare_get_caption (StriaePhotoCompare *self,
                                  gboolean            right)
{
  g_return_val_if_fail (STRIAE_IS_PHOTO_COMPARE (self), NULL);
  return gtk_label_get_label (right ? self->right_caption : self->left_caption);
}

/* The photo of the side that holds the focus, else the one on the right (the latest when
 * opened); %NULL when none is shown. */
StriaePhoto *
striae_photo_compare_get_focused_photo (StriaePhotoCompare *self)
{
  GtkRoot *root;
  GtkWidget *focus = NULL;
  GtkWidget *left_side;

  g_return_val_if_fail (STRIAE_IS_PHOTO_COMPARE (self), NULL);

  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (root != NULL)
    focus = gtk_root_get_focus (root);
  left_side = gtk_widget_get_parent (GTK_WIDGET (self->left_drop_down));
  if (focus != NULL && gtk_widget_is_ancestor (focus, left_side))
    return gtk_drop_down_get_selected_item (self->left_drop_down);
  return gtk_drop_down_get_selected_item (self->right_drop_down);
}

/* Whether the photo of a side is still being read and decoded. */
gboolean
striae_photo_compare_is_reading (StriaePhotoCompare *self,
                                 gboolean            right)
{
  g_return_val_if_fail (STRIAE_IS_PHOTO_COMPARE (self), FALSE);
  return (right ? self->right_reading : self->left_reading) != NULL;
}
