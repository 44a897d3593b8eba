/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "striae-signature-pad.h"

/* A pad to sign a consent on the screen (issue 18): drawn with a mouse or a finger
 * (GtkGestureDrag) or a stylus (GtkGestureStylus, with its pressure), into a
 * StriaeConsentSignature in the pad's 0..1 space, four times as wide as high like the line
 * the sheet draws it on. Undo Stroke and Clear are actions, reachable by keyboard; the pad
 * itself cannot be drawn with keys, which its accessible description says. Locked, it shows
 * a signature that was saved and takes no more ink. */

struct _StriaeSignaturePad
{
  GtkWidget               parent_instance;

  GtkDrawingArea         *area;

  StriaeConsentSignature *signature;
  gboolean                locked;
  gboolean                stylus_down;
  gint64                  first_time;   /* the event time of the first point, -1: none */
};

G_DEFINE_FINAL_TYPE (StriaeSignaturePad, striae_signature_pad, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SIGNATURE,
  PROP_EMPTY,
  PROP_LOCKED,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
changed (StriaeSignaturePad *self)
{
  gboolean empty = striae_consent_signature_is_empty (self->signature);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pad.undo", !self->locked && !empty);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pad.clear", !self->locked && !empty);
  gtk_widget_queue_draw (GTK_WIDGET (self->area));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EMPTY]);
}

/* A stroke as a smooth curve through the midpoints of its points, as the sheet draws it. */
static void
draw_stroke (cairo_t                    *cr,
             const StriaeSignaturePoint *p,
             guint                       n,
             double                      width,
             double                      height)
{
  double pressure = 0;
  guint pressed = 0;

  for (guint i = 0; i < n; i++)
    if (p[i].pressure >= 0)
      {
        pressure += p[i].pressure;
        pressed++;
      }
  cairo_set_line_width (cr, height / 40 * (pressed > 0 ? 0.5 + pressure / pressed : 1.0));
  cairo_move_to (cr, p[0].x * width, p[0].y * height);
  if (n == 1)
    cairo_line_to (cr, p[0].x * width + 0.5, p[0].y * height);
  for (guint i = 1; i < n; i++)
    {
      double px = p[i - 1].x * width, py = p[i - 1].y * height;
      double mx = i + 1 < n ? (px + p[i].x * width) / 2 : p[i].x * width;
      double my = i + 1 < n ? (py + p[i].y * height) / 2 : p[i].y * height;
      double cx, cy;

      cairo_get_current_point (cr, &cx, &cy);
      cairo_curve_to (cr, cx + 2.0 / 3.0 * (px - cx), cy + 2.0 / 3.0 * (py - cy),
                      mx + 2.0 / 3.0 * (px - mx), my + 2.0 / 3.0 * (py - my), mx, my);
    }
  cairo_stroke (cr);
}

/* Paper: black ink on white, a line to sign on, whatever the theme. */
/* A name typed instead of drawn (issue 18), on the line, so the locked pad shows what
 * signed. */
static void
draw_typed (GtkWidget  *widget,
            cairo_t    *cr,
            const char *name,
            int         width,
            int         height)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, name);
  int text_width, text_height;

  pango_layout_set_width (layout, (int) (width * 0.92 * PANGO_SCALE));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_get_pixel_size (layout, &text_width, &text_height);
  cairo_move_to (cr, width * 0.04, height * 0.8 - text_height - 2);
  pango_cairo_show_layout (cr, layout);
  cairo_new_path (cr);
}

static void
draw_cb (GtkDrawingArea *area,
         cairo_t        *cr,
         int             width,
         int             height,
         gpointer        data)
{
  StriaeSignaturePad *self = data;

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.3);
  cairo_set_line_width (cr, 1);
  cairo_move_to (cr, width * 0.04, height * 0.8);
  cairo_line_to (cr, width * 0.96, height * 0.8);
  cairo_stroke (cr);

  cairo_set_source_rgb (cr, 0, 0, self->locked ? 0.35 : 0);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (guint i = 0; i < striae_consent_signature_get_n_strokes (self->signature); i++)
    {
      guint n = 0;
      const StriaeSignaturePoint *p = striae_consent_signature_get_stroke (self->signature, i,
                                                                          &n);

      if (n > 0)
        draw_stroke (cr, p, n, width, height);
    }
  if (striae_consent_signature_get_typed (self->signature) != NULL)
    draw_typed (GTK_WIDGET (area), cr, striae_consent_signature_get_typed (self->signature),
                width, height);
}

static guint32
time_offset (StriaeSignaturePad *self,
             GtkGesture         *gesture)
{
  gint64 now = gtk_event_controller_get_current_event_time (GTK_EVENT_CONTROLLER (gesture));

  if (self->first_time < 0)
    self->first_time = now;
  return (guint32) CLAMP (now - self->first_time, 0, STRIAE_SIGNATURE_TIME_MAX);
}

static void
add_point (StriaeSignaturePad *self,
           GtkGesture         *gesture,
           double              x,
           double              y,
           double              pressure)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self->area));
  int height = gtk_widget_get_height (GTK_WIDGET (self->area));

  if (self->locked || width <= 0 || height <= 0)
    return;
  striae_consent_signature_add_point (self->signature, x / width, y / height, pressure,
                                      time_offset (self, gesture));
  gtk_widget_queue_draw (GTK_WIDGET (self->area));
}

static void
begin_stroke (StriaeSignaturePad *self,
              GtkGesture         *gesture,
              double              x,
              double              y,
              double              pressure)
{
  if (self->locked)
    return;
  striae_consent_signature_begin_stroke (self->signature);
  add_point (self, gesture, x, y, pressure);
}

/* A stylus draws through its own gesture, with pressure; the drag leaves its events alone. */
static gboolean
from_stylus (GtkGesture *gesture)
{
  GdkDevice *device = gtk_event_controller_get_current_event_device (
                        GTK_EVENT_CONTROLLER (gesture));

  return device != NULL && gdk_device_get_source (device) == GDK_SOURCE_PEN;
}

static void
drag_begin_cb (StriaeSignaturePad *self,
               double              x,
               double              y,
               GtkGestureDrag     *gesture)
{
  if (!from_stylus (GTK_GESTURE (gesture)))
    begin_stroke (self, GTK_GESTURE (gesture), x, y, -1);
}

static void
drag_update_cb (StriaeSignaturePad *self,
                double              dx,
                double              dy,
                GtkGestureDrag     *gesture)
{
  double x, y;

  if (from_stylus (GTK_GESTURE (gesture)) ||
      !gtk_gesture_drag_get_start_point (gesture, &x, &y))
    return;
  add_point (self, GTK_GESTURE (gesture), x + dx, y + dy, -1);
}

static void
drag_end_cb (StriaeSignaturePad *self,
             double              dx,
             double              dy,
             GtkGestureDrag     *gesture)
{
  if (!from_stylus (GTK_GESTURE (gesture)))
    changed (self);
}

static double
stylus_pressure (GtkGestureStylus *gesture)
{
  double pressure;

  if (gtk_gesture_stylus_get_axis (gesture, GDK_AXIS_PRESSURE, &pressure))
    return pressure;
  return -1;
}

static void
stylus_down_cb (StriaeSignaturePad *self,
                double              x,
                double              y,
                GtkGestureStylus   *gesture)
{
  self->stylus_down = TRUE;
  begin_stroke (self, GTK_GESTURE (gesture), x, y, stylus_pressure (gesture));
}

static void
stylus_motion_cb (StriaeSignaturePad *self,
                  double              x,
                  double              y,
                  GtkGestureStylus   *gesture)
{
  if (self->stylus_down)
    add_point (self, GTK_GESTURE (gesture), x, y, stylus_pressure (gesture));
}

static void
stylus_up_cb (StriaeSignaturePad *self,
              double              x,
              double              y,
              GtkGestureStylus   *gesture)
{
  self->stylus_down = FALSE;
  changed (self);
}

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  StriaeSignaturePad *self = STRIAE_SIGNATURE_PAD (widget);

  striae_consent_signature_undo_stroke (self->signature);
  changed (self);
}

static void
clear_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  StriaeSignaturePad *self = STRIAE_SIGNATURE_PAD (widget);

  striae_consent_signature_clear (self->signature);
  self->first_time = -1;
  changed (self);
}

static void
striae_signature_pad_dispose (GObject *object)
{
  StriaeSignaturePad *self = STRIAE_SIGNATURE_PAD (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), STRIAE_TYPE_SIGNATURE_PAD);
  /* The template's box is the pad's own child (a bin layout), which only the pad unparents. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->signature);

  G_OBJECT_CLASS (striae_signature_pad_parent_class)->dispose (object);
}

static void
striae_signature_pad_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  StriaeSignaturePad *self = STRIAE_SIGNATURE_PAD (object);

  switch (prop_id)
    {
    case PROP_SIGNATURE:
      g_value_set_object (value, self->signature);
      break;
    case PROP_EMPTY:
      g_value_set_boolean (value, striae_signature_pad_get_empty (self));
      break;
    case PROP_LOCKED:
      g_value_set_boolean (value, self->locked);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_signature_pad_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  StriaeSignaturePad *self = STRIAE_SIGNATURE_PAD (object);

  switch (prop_id)
    {
    case PROP_SIGNATURE:
      striae_signature_pad_set_signature (self, g_value_get_object (value));
      break;
    case PROP_LOCKED:
      striae_signature_pad_set_locked (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_signature_pad_class_init (StriaeSignaturePadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = striae_signature_pad_dispose;
  object_class->get_property = striae_signature_pad_get_property;
  object_class->set_property = striae_signature_pad_set_property;

  properties[PROP_SIGNATURE] =
    g_param_spec_object ("signature", NULL, NULL, STRIAE_TYPE_CONSENT_SIGNATURE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EMPTY] =
    g_param_spec_boolean ("empty", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOCKED] =
    g_param_spec_boolean ("locked", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/striae/Striae/ui/"
                                               "striae-signature-pad.ui");
  gtk_widget_class_bind_template_child (widget_class, StriaeSignaturePad, area);
  gtk_widget_class_install_action (widget_class, "pad.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "pad.clear", NULL, clear_action);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
striae_signature_pad_init (StriaeSignaturePad *self)
{
  GtkGesture *drag;
  GtkGesture *stylus;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->signature = striae_consent_signature_new (STRIAE_CONSENT_SIGNER_PATIENT);
  self->first_time = -1;
  gtk_drawing_area_set_draw_func (self->area, draw_cb, self, NULL);

  drag = gtk_gesture_drag_new ();
  g_signal_connect_swapped (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect_swapped (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect_swapped (drag, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->area), GTK_EVENT_CONTROLLER (drag));

  stylus = gtk_gesture_stylus_new ();
  g_signal_connect_swapped (stylus, "down", G_CALLBACK (stylus_down_cb), self);
  g_signal_connect_swapped (stylus, "motion", G_CALLBACK (stylus_motion_cb), self);
  g_signal_connect_swapped (stylus, "up", G_CALLBACK (stylus_up_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->area), GTK_EVENT_CONTROLLER (stylus));

  changed (self);
}

GtkWidget *
striae_signature_pad_new (void)
{
  return g_object_new (STRIAE_TYPE_SIGNATURE_PAD, NULL);
}

/**
 * striae_signature_pad_get_signature:
 *
 * Returns: (transfer none): the signature drawn: its strokes; its signer, name and hash are
 *   the owner's to set
 */
StriaeConsentSignature *
striae_signature_pad_get_signature (StriaeSignaturePad *self)
{
  g_return_val_if_fail (STRIAE_IS_SIGNATURE_PAD (self), NULL);
  return self->signature;
}

void
striae_signature_pad_set_signature (StriaeSignaturePad     *self,
                                    StriaeConsentSignature *signature)
{
  g_return_if_fail (STRIAE_IS_SIGNATURE_PAD (self));
  g_return_if_fail (STRIAE_IS_CONSENT_SIGNATURE (signature));

  if (!g_set_object (&self->signature, signature))
    return;
  self->first_time = -1;
  changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGNATURE]);
}

gboolean
striae_signature_pad_get_empty (StriaeSignaturePad *self)
{
  g_return_val_if_fail (STRIAE_IS_SIGNATURE_PAD (self), TRUE);
  return striae_consent_signature_is_empty (self->signature);
}

gboolean
striae_signature_pad_get_locked (StriaeSignaturePad *self)
{
  g_return_val_if_fail (STRIAE_IS_SIGNATURE_PAD (self), FALSE);
  return self->locked;
}

/* A saved signature is locked: shown, never drawn over, undone or cleared. */
void
striae_signature_pad_set_locked (StriaeSignaturePad *self,
                                 gboolean            locked)
{
  g_return_if_fail (STRIAE_IS_SIGNATURE_PAD (self));

  locked = !!locked;
  if (self->locked == locked)
    return;
  self->locked = locked;
  gtk_widget_set_can_target (GTK_WIDGET (self->area), !locked);
  changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCKED]);
}

/* Adds a stroke through @n_points points (x, y pairs in the pad's 0..1 space), as the
 * gestures do: for a test, or a stroke given by another input. */
void
striae_signature_pad_add_stroke (StriaeSignaturePad *self,
                                 const double       *xy,
                                 guint               n_points)
{
  g_return_if_fail (STRIAE_IS_SIGNATURE_PAD (self));

  if (self->locked || n_points == 0)
    return;
  striae_consent_signature_begin_stroke (self->signature);
  for (guint i = 0; i < n_points; i++)
    striae_consent_signature_add_point (self->signature, xy[2 * i], xy[2 * i + 1], -1, i * 16);
  changed (self);
}
