/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "striae-photo-zoom.h"

/* The one zoom and offset that both sides of a photo comparison show, so that the same part
 * of the skin is enlarged on each: the scale is relative to the size that fits a side (1 =
 * the whole photo), and the centre is the point of the photo shown in the middle, as a
 * fraction of its width and height. Fractions rather than pixels keep two photos of
 * different sizes in step. */
struct _StriaePhotoZoom
{
  GObject parent_instance;

  double  scale;
  double  center_x;
  double  center_y;
};

G_DEFINE_FINAL_TYPE (StriaePhotoZoom, striae_photo_zoom, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SCALE,
  PROP_CENTER_X,
  PROP_CENTER_Y,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

/* At a scale of s, the visible part of the photo is 1/s of it: the centre stays where that
 * part is still inside the photo, so that a pan never leaves an empty side. */
static double
clamp_center (double center,
              double scale)
{
  double half = 0.5 / scale;

  return CLAMP (center, half, 1.0 - half);
}

static void
striae_photo_zoom_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  StriaePhotoZoom *self = STRIAE_PHOTO_ZOOM (object);

  switch (prop_id)
    {
    case PROP_SCALE:
      g_value_set_double (value, self->scale);
      break;
    case PROP_CENTER_X:
      g_value_set_double (value, self->center_x);
      break;
    case PROP_CENTER_Y:
      g_value_set_double (value, self->center_y);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_photo_zoom_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  StriaePhotoZoom *self = STRIAE_PHOTO_ZOOM (object);

  switch (prop_id)
    {
    case PROP_SCALE:
      striae_photo_zoom_set_scale (self, g_value_get_double (value));
      break;
    case PROP_CENTER_X:
      striae_photo_zoom_set_center (self, g_value_get_double (value), self->center_y);
      break;
    case PROP_CENTER_Y:
      striae_photo_zoom_set_center (self, self->center_x, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_photo_zoom_class_init (StriaePhotoZoomClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = striae_photo_zoom_get_property;
  object_class->set_property = striae_photo_zoom_set_property;

  properties [PROP_SCALE] =
    g_param_spec_double ("scale", NULL, NULL, 1.0, STRIAE_PHOTO_ZOOM_MAX, 1.0, flags);
  properties [PROP_CENTER_X] =
    g_param_spec_double ("center-x", NULL, NULL, 0.0, 1.0, 0.5, flags);
  properties [PROP_CENTER_Y] =
    g_param_spec_double ("center-y", NULL, NULL, 0.0, 1.0, 0.5, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
striae_photo_zoom_init (StriaePhotoZoom *self)
{
  self->scale = 1.0;
  self->center_x = 0.5;
  self->center_y = 0.5;
}

StriaePhotoZoom *
striae_photo_zoom_new (void)
{
  return g_object_new (STRIAE_TYPE_PHOTO_ZOOM, NULL);
}

double
striae_photo_zoom_get_scale (StriaePhotoZoom *self)
{
  g_return_val_if_fail (STRIAE_IS_PHOTO_ZOOM (self), 1.0);
  return self->scale;
}

double
striae_photo_zoom_get_center_x (StriaePhotoZoom *self)
{
  g_return_val_if_fail (STRIAE_IS_PHOTO_ZOOM (self), 0.5);
  return self->center_x;
}

double
striae_photo_zoom_get_center_y (StriaePhotoZoom *self)
{
  g_return_val_if_fail (STRIAE_IS_PHOTO_ZOOM (self), 0.5);
  return self->center_y;
}

void
striae_photo_zoom_set_center (StriaePhotoZoom *self,
                              double           x,
                              double           y)
{
  g_return_if_fail (STRIAE_IS_PHOTO_ZOOM (self));

  x = clamp_center (x, self->scale);
  y = clamp_center (y, self->scale);
  g_object_freeze_notify (G_OBJECT (self));
  if (x != self->center_x)
    {
      self->center_x = x;
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CENTER_X]);
    }
  if (y != self->center_y)
    {
      self->center_y = y;
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CENTER_Y]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

void
striae_photo_zoom_set_scale (StriaePhotoZoom *self,
                             double           scale)
{
  g_return_if_fail (STRIAE_IS_PHOTO_ZOOM (self));

  scale = CLAMP (scale, 1.0, STRIAE_PHOTO_ZOOM_MAX);
  if (scale == self->scale)
    return;
  g_object_freeze_notify (G_OBJECT (self));
  self->scale = scale;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SCALE]);
  /* A smaller scale shows more of the photo: the centre moves in if it must. */
  striae_photo_zoom_set_center (self, self->center_x, self->center_y);
  g_object_thaw_notify (G_OBJECT (self));
}

void
striae_photo_zoom_zoom_by (StriaePhotoZoom *self,
                           double           factor)
{
  g_return_if_fail (STRIAE_IS_PHOTO_ZOOM (self));
  g_return_if_fail (factor > 0);

  striae_photo_zoom_set_scale (self, self->scale * factor);
}

/* Moves the centre by @dx and @dy, fractions of the photo's width and height. */
void
striae_photo_zoom_pan_by (StriaePhotoZoom *self,
                          double           dx,
                          double           dy)
{
  g_return_if_fail (STRIAE_IS_PHOTO_ZOOM (self));

  striae_photo_zoom_set_center (self, self->center_x + dx, self->center_y + dy);
}

void
striae_photo_zoom_reset (StriaePhotoZoom *self)
{
  g_return_if_fail (STRIAE_IS_PHOTO_ZOOM (self));

  g_object_freeze_notify (G_OBJECT (self));
  striae_photo_zoom_set_scale (self, 1.0);
  striae_photo_zoom_set_center (self, 0.5, 0.5);
  g_object_thaw_notify (G_OBJECT (self));
}
