/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "striae-photo-view.h"
#include "striae-texture-levels.h"

/* One side of the photo comparison: a photo drawn to fit, enlarged and moved by a
 * StriaePhotoZoom that the other side shares. It draws the texture it was given with
 * GtkSnapshot (no file, no copy of the pixels), takes pinch, Ctrl+scroll and drag, and the
 * keyboard: + and - zoom, 0 shows the whole photo, the arrow keys move it. */

/* A press of an arrow key moves by this fraction of what is visible. */
#define PAN_STEP 0.1
#define MIN_SIZE 120

struct _StriaePhotoView
{
  GtkWidget        parent_instance;

  GdkTexture      *texture;
  /* Smaller copies of the texture, drawn while the photo is shown small. */
  GPtrArray       *levels;
  GCancellable    *levels_cancellable;
  StriaePhotoZoom *zoom;

  /* At the start of a drag or pinch: the centre and the scale it started from. */
  double           drag_x;
  double           drag_y;
  double           pinch_scale;
};

G_DEFINE_FINAL_TYPE (StriaePhotoView, striae_photo_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TEXTURE,
  PROP_ZOOM,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

/* The size the whole photo is drawn at, in the widget's pixels, at the zoom's scale. */
static gboolean
get_drawn_size (StriaePhotoView *self,
                double          *width,
                double          *height)
{
  double w = gtk_widget_get_width (GTK_WIDGET (self));
  double h = gtk_widget_get_height (GTK_WIDGET (self));
  double tw, th, fit;

  if (self->texture == NULL || self->zoom == NULL || w <= 0 || h <= 0)
    return FALSE;
  tw = gdk_texture_get_width (self->texture);
  th = gdk_texture_get_height (self->texture);
  fit = MIN (w / tw, h / th);
  *width = tw * fit * striae_photo_zoom_get_scale (self->zoom);
  *height = th * fit * striae_photo_zoom_get_scale (self->zoom);
  return TRUE;
}

static void
striae_photo_view_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  StriaePhotoView *self = STRIAE_PHOTO_VIEW (widget);
  double w = gtk_widget_get_width (widget);
  double h = gtk_widget_get_height (widget);
  double dw, dh, x, y;
  GdkTexture *drawn;

  if (!get_drawn_size (self, &dw, &dh))
    return;

  /* The zoom's centre, a point of the photo, is drawn in the middle of the widget. */
  x = w / 2 - striae_photo_zoom_get_center_x (self->zoom) * dw;
  y = h / 2 - striae_photo_zoom_get_center_y (self->zoom) * dh;
  /* Whole photo: it is centred where the fit leaves room on one axis. */
  if (dw <= w)
    x = (w - dw) / 2;
  if (dh <= h)
    y = (h - dh) / 2;

  drawn = striae_texture_levels_pick (self->levels, self->texture,
                                      dw * gtk_widget_get_scale_factor (widget));
  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, w, h));
  gtk_snapshot_append_texture (snapshot, drawn, &GRAPHENE_RECT_INIT (x, y, dw, dh));
  gtk_snapshot_pop (snapshot);
}

static void
striae_photo_view_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  *minimum = MIN_SIZE;
  *natural = 2 * MIN_SIZE;
}

static void
zoom_changed_cb (StriaePhotoView *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
drag_begin_cb (StriaePhotoView *self,
               double           x,
               double           y)
{
  if (self->zoom == NULL)
    return;
  self->drag_x = striae_photo_zoom_get_center_x (self->zoom);
  self->drag_y = striae_photo_zoom_get_center_y (self->zoom);
  gtk_widget_grab_focus (GTK_WIDGET (self));
}

/* The photo follows the pointer: a drag to the right shows what is further left. */
static void
drag_update_cb (StriaePhotoView *self,
                double           offset_x,
                double           offset_y)
{
  double dw, dh;

  if (!get_drawn_size (self, &dw, &dh))
    return;
  striae_photo_zoom_set_center (self->zoom, self->drag_x - offset_x / dw,
                                self->drag_y - offset_y / dh);
}

static void
pinch_begin_cb (StriaePhotoView *self)
{
  if (self->zoom != NULL)
    self->pinch_scale = striae_photo_zoom_get_scale (self->zoom);
}

static void
pinch_scale_changed_cb (StriaePhotoView *self,
                        double           delta)
{
  if (self->zoom != NULL)
    striae_photo_zoom_set_scale (self->zoom, self->pinch_scale * delta);
}

/* The wheel zooms with Ctrl held; without it, the page scrolls as everywhere else. */
static gboolean
scroll_cb (StriaePhotoView          *self,
           double                    dx,
           double                    dy,
           GtkEventControllerScroll *controller)
{
  GdkModifierType state =
    gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));

  if (self->zoom == NULL || (state & GDK_CONTROL_MASK) == 0 || dy == 0)
    return FALSE;
  striae_photo_zoom_zoom_by (self->zoom, dy < 0 ? STRIAE_PHOTO_ZOOM_STEP
                                                : 1 / STRIAE_PHOTO_ZOOM_STEP);
  return TRUE;
}

static void
zoom_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  StriaePhotoView *self = STRIAE_PHOTO_VIEW (widget);

  if (self->zoom != NULL)
    striae_photo_zoom_zoom_by (self->zoom, STRIAE_PHOTO_ZOOM_STEP);
}

static void
zoom_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  StriaePhotoView *self = STRIAE_PHOTO_VIEW (widget);

  if (self->zoom != NULL)
    striae_photo_zoom_zoom_by (self->zoom, 1 / STRIAE_PHOTO_ZOOM_STEP);
}

static void
zoom_reset_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  StriaePhotoView *self = STRIAE_PHOTO_VIEW (widget);

  if (self->zoom != NULL)
    striae_photo_zoom_reset (self->zoom);
}

/* @parameter: (dd), the step in each direction, in steps of PAN_STEP of what is visible. */
static void
pan_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  StriaePhotoView *self = STRIAE_PHOTO_VIEW (widget);
  double x, y, step;

  if (self->zoom == NULL)
    return;
  g_variant_get (parameter, "(dd)", &x, &y);
  step = PAN_STEP / striae_photo_zoom_get_scale (self->zoom);
  striae_photo_zoom_pan_by (self->zoom, x * step, y * step);
}

static void
striae_photo_view_dispose (GObject *object)
{
  StriaePhotoView *self = STRIAE_PHOTO_VIEW (object);

  striae_photo_view_set_zoom (self, NULL);
  g_cancellable_cancel (self->levels_cancellable);
  g_clear_object (&self->levels_cancellable);
  g_clear_pointer (&self->levels, g_ptr_array_unref);
  g_clear_object (&self->texture);

  G_OBJECT_CLASS (striae_photo_view_parent_class)->dispose (object);
}

static void
striae_photo_view_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  StriaePhotoView *self = STRIAE_PHOTO_VIEW (object);

  switch (prop_id)
    {
    case PROP_TEXTURE:
      g_value_set_object (value, self->texture);
      break;
    case PROP_ZOOM:
      g_value_set_object (value, self->zoom);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_photo_view_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  StriaePhotoView *self = STRIAE_PHOTO_VIEW (object);

  switch (prop_id)
    {
    case PROP_TEXTURE:
      striae_photo_view_set_texture (self, g_value_get_object (value));
      break;
    case PROP_ZOOM:
      striae_photo_view_set_zoom (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
add_pan_binding (GtkWidgetClass *widget_class,
                 guint           key,
                 guint           keypad_key,
                 double          x,
                 double          y)
{
  gtk_widget_class_add_binding_action (widget_class, key, 0, "view.pan", "(dd)", x, y);
  gtk_widget_class_add_binding_action (widget_class, keypad_key, 0, "view.pan", "(dd)", x, y);
}

static void
striae_photo_view_class_init (StriaePhotoViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = striae_photo_view_dispose;
  object_class->get_property = striae_photo_view_get_property;
  object_class->set_property = striae_photo_view_set_property;
  widget_class->snapshot = striae_photo_view_snapshot;
  widget_class->measure = striae_photo_view_measure;

  properties [PROP_TEXTURE] =
    g_param_spec_object ("texture", NULL, NULL, GDK_TYPE_TEXTURE, flags);
  properties [PROP_ZOOM] =
    g_param_spec_object ("zoom", NULL, NULL, STRIAE_TYPE_PHOTO_ZOOM, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "view.zoom-in", NULL, zoom_in_action);
  gtk_widget_class_install_action (widget_class, "view.zoom-out", NULL, zoom_out_action);
  gtk_widget_class_install_action (widget_class, "view.zoom-reset", NULL, zoom_reset_action);
  gtk_widget_class_install_action (widget_class, "view.pan", "(dd)", pan_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, 0, "view.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, 0, "view.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, 0, "view.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, 0, "view.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, 0,
                                       "view.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, 0, "view.zoom-reset", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_0, 0, "view.zoom-reset", NULL);
  add_pan_binding (widget_class, GDK_KEY_Left, GDK_KEY_KP_Left, -1, 0);
  add_pan_binding (widget_class, GDK_KEY_Right, GDK_KEY_KP_Right, 1, 0);
  add_pan_binding (widget_class, GDK_KEY_Up, GDK_KEY_KP_Up, 0, -1);
  add_pan_binding (widget_class, GDK_KEY_Down, GDK_KEY_KP_Down, 0, 1);

  gtk_widget_class_set_css_name (widget_class, "photoview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
striae_photo_view_init (StriaePhotoView *self)
{
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkGesture *pinch = gtk_gesture_zoom_new ();
  GtkEventController *scroll =
    gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);

  g_signal_connect_swapped (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect_swapped (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));
  g_signal_connect_swapped (pinch, "begin", G_CALLBACK (pinch_begin_cb), self);
  g_signal_connect_swapped (pinch, "scale-changed", G_CALLBACK (pinch_scale_changed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (pinch));
  g_signal_connect_swapped (scroll, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);
}

GtkWidget *
striae_photo_view_new (void)
{
  return g_object_new (STRIAE_TYPE_PHOTO_VIEW, NULL);
}

GdkTexture *
striae_photo_view_get_texture (StriaePhotoView *self)
{
  g_return_val_if_fail (STRIAE_IS_PHOTO_VIEW (self), NULL);
  return self->texture;
}

static void
levels_made_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(StriaePhotoView) self = user_data;
  g_autoptr(GPtrArray) levels = striae_texture_levels_make_finish (result, NULL);

  /* NULL when cancelled: the view has another texture, or none, by now. */
  if (levels == NULL)
    return;
  self->levels = g_steal_pointer (&levels);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
striae_photo_view_set_texture (StriaePhotoView *self,
                               GdkTexture      *texture)
{
  g_return_if_fail (STRIAE_IS_PHOTO_VIEW (self));
  g_return_if_fail (texture == NULL || GDK_IS_TEXTURE (texture));

  if (g_set_object (&self->texture, texture))
    {
      g_cancellable_cancel (self->levels_cancellable);
      g_clear_object (&self->levels_cancellable);
      g_clear_pointer (&self->levels, g_ptr_array_unref);
      if (texture != NULL)
        {
          self->levels_cancellable = g_cancellable_new ();
          striae_texture_levels_make_async (texture, self->levels_cancellable, levels_made_cb,
                                            g_object_ref (self));
        }
      gtk_widget_queue_draw (GTK_WIDGET (self));
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_TEXTURE]);
    }
}

StriaePhotoZoom *
striae_photo_view_get_zoom (StriaePhotoView *self)
{
  g_return_val_if_fail (STRIAE_IS_PHOTO_VIEW (self), NULL);
  return self->zoom;
}

void
striae_photo_view_set_zoom (StriaePhotoView *self,
                            StriaePhotoZoom *zoom)
{
  g_return_if_fail (STRIAE_IS_PHOTO_VIEW (self));
  g_return_if_fail (zoom == NULL || STRIAE_IS_PHOTO_ZOOM (zoom));

  if (self->zoom == zoom)
    return;
  if (self->zoom != NULL)
    g_signal_handlers_disconnect_by_data (self->zoom, self);
  g_set_object (&self->zoom, zoom);
  if (zoom != NULL)
    g_signal_connect_object (zoom, "notify", G_CALLBACK (zoom_changed_cb), self,
                             G_CONNECT_SWAPPED);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ZOOM]);
}
