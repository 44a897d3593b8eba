/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "striae-adverse-event.h"
#include "striae-core-enums.h"
#include "striae-core-private.h"

struct _StriaeAdverseEvent
{
  GObject              parent_instance;

  char                *what;
  StriaeEventSeverity  severity;
  char                *follow_up;
};

G_DEFINE_FINAL_TYPE (StriaeAdverseEvent, striae_adverse_event, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_WHAT,
  PROP_SEVERITY,
  PROP_FOLLOW_UP,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
striae_adverse_event_finalize (GObject *object)
{
  StriaeAdverseEvent *self = (StriaeAdverseEvent *) object;

  g_clear_pointer (&self->what, g_free);
  g_clear_pointer (&self->follow_up, g_free);

  G_OBJECT_CLASS (striae_adverse_event_parent_class)->finalize (object);
}

static void
striae_adverse_event_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  StriaeAdverseEvent *self = STRIAE_ADVERSE_EVENT (object);

  switch (prop_id)
    {
    case PROP_WHAT:
      g_value_set_string (value, self->what);
      break;
    case PROP_SEVERITY:
      g_value_set_enum (value, self->severity);
      break;
    case PROP_FOLLOW_UP:
      g_value_set_string (value, self->follow_up);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_adverse_event_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  StriaeAdverseEvent *self = STRIAE_ADVERSE_EVENT (object);

  switch (prop_id)
    {
    case PROP_WHAT:
      striae_adverse_event_set_what (self, g_value_get_string (value));
      break;
    case PROP_SEVERITY:
      striae_adverse_event_set_severity (self, g_value_get_enum (value));
      break;
    case PROP_FOLLOW_UP:
      striae_adverse_event_set_follow_up (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_adverse_event_class_init (StriaeAdverseEventClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = striae_adverse_event_finalize;
  object_class->get_property = striae_adverse_event_get_property;
  object_class->set_property = striae_adverse_event_set_property;

  properties [PROP_WHAT] = g_param_spec_string ("what", NULL, NULL, "", flags);
  properties [PROP_SEVERITY] =
    g_param_spec_enum ("severity", NULL, NULL, STRIAE_TYPE_EVENT_SEVERITY,
                       STRIAE_EVENT_SEVERITY_MILD, flags);
  properties [PROP_FOLLOW_UP] = g_param_spec_string ("follow-up", NULL, NULL, "", flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
striae_adverse_event_init (StriaeAdverseEvent *self)
{
  self->what = g_strdup ("");
  self->follow_up = g_strdup ("");
}

StriaeAdverseEvent *
striae_adverse_event_new (const char          *what,
                          StriaeEventSeverity  severity)
{
  return g_object_new (STRIAE_TYPE_ADVERSE_EVENT, "what", what, "severity", severity, NULL);
}

StriaeAdverseEvent *
striae_adverse_event_copy (StriaeAdverseEvent *self)
{
  StriaeAdverseEvent *copy;

  g_return_val_if_fail (STRIAE_IS_ADVERSE_EVENT (self), NULL);

  copy = striae_adverse_event_new (self->what, self->severity);
  striae_adverse_event_set_follow_up (copy, self->follow_up);

  return copy;
}

const char *
striae_adverse_event_get_what (StriaeAdverseEvent *self)
{
  g_return_val_if_fail (STRIAE_IS_ADVERSE_EVENT (self), NULL);
  return self->what;
}

void
striae_adverse_event_set_what (StriaeAdverseEvent *self,
                               const char         *what)
{
  g_return_if_fail (STRIAE_IS_ADVERSE_EVENT (self));
  striae_core_set_text (G_OBJECT (self), &self->what, what, properties [PROP_WHAT]);
}

StriaeEventSeverity
striae_adverse_event_get_severity (StriaeAdverseEvent *self)
{
  g_return_val_if_fail (STRIAE_IS_ADVERSE_EVENT (self), STRIAE_EVENT_SEVERITY_MILD);
  return self->severity;
}

void
striae_adverse_event_set_severity (StriaeAdverseEvent  *self,
                                   StriaeEventSeverity  severity)
{
  g_return_if_fail (STRIAE_IS_ADVERSE_EVENT (self));
  g_return_if_fail (severity <= STRIAE_EVENT_SEVERITY_SEVERE);

  if (self->severity == severity)
    return;

  self->severity = severity;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SEVERITY]);
}

const char *
striae_adverse_event_get_follow_up (StriaeAdverseEvent *self)
{
  g_return_val_if_fail (STRIAE_IS_ADVERSE_EVENT (self), NULL);
  return self->follow_up;
}

void
striae_adverse_event_set_follow_up (StriaeAdverseEvent *self,
                                    const char         *follow_up)
{
  g_return_if_fail (STRIAE_IS_ADVERSE_EVENT (self));
  striae_core_set_text (G_OBJECT (self), &self->follow_up, follow_up,
                        properties [PROP_FOLLOW_UP]);
}
