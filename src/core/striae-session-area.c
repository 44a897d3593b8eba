/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "striae-area.h"
#include "striae-core-enums.h"
#include "striae-core-private.h"
#include "striae-session-area.h"

struct _StriaeSessionArea
{
  GObject       parent_instance;

  char         *area_id;
  double        depth;
  StriaeDevice  device;
  guint         passes;
  char         *reason;
};

G_DEFINE_FINAL_TYPE (StriaeSessionArea, striae_session_area, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_AREA_ID,
  PROP_DEPTH,
  PROP_DEVICE,
  PROP_PASSES,
  PROP_REASON,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
striae_session_area_finalize (GObject *object)
{
  StriaeSessionArea *self = (StriaeSessionArea *) object;

  g_clear_pointer (&self->area_id, g_free);
  g_clear_pointer (&self->reason, g_free);

  G_OBJECT_CLASS (striae_session_area_parent_class)->finalize (object);
}

static void
striae_session_area_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  StriaeSessionArea *self = STRIAE_SESSION_AREA (object);

  switch (prop_id)
    {
    case PROP_AREA_ID:
      g_value_set_string (value, self->area_id);
      break;
    case PROP_DEPTH:
      g_value_set_double (value, self->depth);
      break;
    case PROP_DEVICE:
      g_value_set_enum (value, self->device);
      break;
    case PROP_PASSES:
      g_value_set_uint (value, self->passes);
      break;
    case PROP_REASON:
      g_value_set_string (value, self->reason);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_session_area_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  StriaeSessionArea *self = STRIAE_SESSION_AREA (object);

  switch (prop_id)
    {
    case PROP_AREA_ID:
      striae_session_area_set_area_id (self, g_value_get_string (value));
      break;
    case PROP_DEPTH:
      striae_session_area_set_depth (self, g_value_get_double (value));
      break;
    case PROP_DEVICE:
      striae_session_area_set_device (self, g_value_get_enum (value));
      break;
    case PROP_PASSES:
      striae_session_area_set_passes (self, g_value_get_uint (value));
      break;
    case PROP_REASON:
      striae_session_area_set_reason (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_session_area_class_init (StriaeSessionAreaClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = striae_session_area_finalize;
  object_class->get_property = striae_session_area_get_property;
  object_class->set_property = striae_session_area_set_property;

  properties [PROP_AREA_ID] = g_param_spec_string ("area-id", NULL, NULL, "", flags);
  /* 0 is "not entered yet"; validation asks for one before sign-off. */
  properties [PROP_DEPTH] =
    g_param_spec_double ("depth", NULL, NULL, 0, STRIAE_DEPTH_MAX_MM, 0, flags);
  properties [PROP_DEVICE] =
    g_param_spec_enum ("device", NULL, NULL, STRIAE_TYPE_DEVICE, STRIAE_DEVICE_NOT_SET, flags);
  properties [PROP_PASSES] =
    g_param_spec_uint ("passes", NULL, NULL, 0, STRIAE_SESSION_PASSES_MAX, 0, flags);
  properties [PROP_REASON] = g_param_spec_string ("reason", NULL, NULL, "", flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
striae_session_area_init (StriaeSessionArea *self)
{
  self->area_id = g_strdup ("");
  self->reason = g_strdup ("");
}

StriaeSessionArea *
striae_session_area_new (const char *area_id)
{
  return g_object_new (STRIAE_TYPE_SESSION_AREA, "area-id", area_id, NULL);
}

StriaeSessionArea *
striae_session_area_copy (StriaeSessionArea *self)
{
  StriaeSessionArea *copy;

  g_return_val_if_fail (STRIAE_IS_SESSION_AREA (self), NULL);

  copy = striae_session_area_new (self->area_id);
  copy->depth = self->depth;
  copy->device = self->device;
  copy->passes = self->passes;
  striae_session_area_set_reason (copy, self->reason);

  return copy;
}

const char *
striae_session_area_get_area_id (StriaeSessionArea *self)
{
  g_return_val_if_fail (STRIAE_IS_SESSION_AREA (self), NULL);
  return self->area_id;
}

void
striae_session_area_set_area_id (StriaeSessionArea *self,
                                 const char        *area_id)
{
  g_return_if_fail (STRIAE_IS_SESSION_AREA (self));
  striae_core_set_text (G_OBJECT (self), &self->area_id, area_id, properties [PROP_AREA_ID]);
}

double
striae_session_area_get_depth (StriaeSessionArea *self)
{
  g_return_val_if_fail (STRIAE_IS_SESSION_AREA (self), 0);
  return self->depth;
}

/* Any depth from 0 to the longest needle is kept as entered, so that a form never loses what
 * was typed; striae_treatment_session_validate() says what is wrong with it. */
void
striae_session_area_set_depth (StriaeSessionArea *self,
                               double             mm)
{
  g_return_if_fail (STRIAE_IS_SESSION_AREA (self));
  g_return_if_fail (mm >= 0 && mm <= STRIAE_DEPTH_MAX_MM);

  if (self->depth == mm)
    return;

  self->depth = mm;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DEPTH]);
}

StriaeDevice
striae_session_area_get_device (StriaeSessionArea *self)
{
  g_return_val_if_fail (STRIAE_IS_SESSION_AREA (self), STRIAE_DEVICE_NOT_SET);
  return self->device;
}

void
striae_session_area_set_device (StriaeSessionArea *self,
                                StriaeDevice       device)
{
  g_return_if_fail (STRIAE_IS_SESSION_AREA (self));
  g_return_if_fail (device <= STRIAE_DEVICE_RF);

  if (self->device == device)
    return;

  self->device = device;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DEVICE]);
}

guint
striae_session_area_get_passes (StriaeSessionArea *self)
{
  g_return_val_if_fail (STRIAE_IS_SESSION_AREA (self), 0);
  return self->passes;
}

void
striae_session_area_set_passes (StriaeSessionArea *self,
                                guint              passes)
{
  g_return_if_fail (STRIAE_IS_SESSION_AREA (self));
  g_return_if_fail (passes <= STRIAE_SESSION_PASSES_MAX);

  if (self->passes == passes)
    return;

  self->passes = passes;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PASSES]);
}

const char *
striae_session_area_get_reason (StriaeSessionArea *self)
{
  g_return_val_if_fail (STRIAE_IS_SESSION_AREA (self), NULL);
  return self->reason;
}

void
striae_session_area_set_reason (StriaeSessionArea *self,
                                const char        *reason)
{
  g_return_if_fail (STRIAE_IS_SESSION_AREA (self));
  striae_core_set_text (G_OBJECT (self), &self->reason, reason, properties [PROP_REASON]);
}
