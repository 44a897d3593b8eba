/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"


#include "striae-core-enums.h"
#include "striae-finding.h"

struct _StriaeFinding
{
  GObject      parent_instance;

  char        *id;
  StriaeCheck  check;
  StriaeLevel  level;
  gboolean     unanswered;
  char        *reason;
  gboolean     acknowledged;
};

G_DEFINE_FINAL_TYPE (StriaeFinding, striae_finding, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_CHECK,
  PROP_QUESTION,
  PROP_LEVEL,
  PROP_UNANSWERED,
  PROP_TITLE,
  PROP_REASON,
  PROP_SOURCE,
  PROP_ACKNOWLEDGED,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
striae_finding_finalize (GObject *object)
{
  StriaeFinding *self = (StriaeFinding *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->reason, g_free);

  G_OBJECT_CLASS (striae_finding_parent_class)->finalize (object);
}

static void
striae_finding_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  StriaeFinding *self = STRIAE_FINDING (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_CHECK:
      g_value_set_enum (value, self->check);
      break;
    case PROP_QUESTION:
      g_value_set_int (value, striae_finding_get_question (self));
      break;
    case PROP_LEVEL:
      g_value_set_enum (value, self->level);
      break;
    case PROP_UNANSWERED:
      g_value_set_boolean (value, self->unanswered);
      break;
    case PROP_TITLE:
      g_value_set_string (value, striae_finding_get_title (self));
      break;
    case PROP_REASON:
      g_value_set_string (value, self->reason);
      break;
    case PROP_SOURCE:
      g_value_set_string (value, striae_finding_get_source (self));
      break;
    case PROP_ACKNOWLEDGED:
      g_value_set_boolean (value, self->acknowledged);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_finding_class_init (StriaeFindingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = striae_finding_finalize;
  object_class->get_property = striae_finding_get_property;

  properties [PROP_ID] = g_param_spec_string ("id", NULL, NULL, "", flags);
  properties [PROP_CHECK] =
    g_param_spec_enum ("check", NULL, NULL, STRIAE_TYPE_CHECK, STRIAE_CHECK_INFECTION, flags);
  properties [PROP_QUESTION] =
    g_param_spec_int ("question", NULL, NULL, -1, STRIAE_N_QUESTIONS, -1, flags);
  properties [PROP_LEVEL] =
    g_param_spec_enum ("level", NULL, NULL, STRIAE_TYPE_LEVEL, STRIAE_LEVEL_RELATIVE, flags);
  properties [PROP_UNANSWERED] = g_param_spec_boolean ("unanswered", NULL, NULL, FALSE, flags);
  properties [PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, "", flags);
  properties [PROP_REASON] = g_param_spec_string ("reason", NULL, NULL, "", flags);
  properties [PROP_SOURCE] = g_param_spec_string ("source", NULL, NULL, "", flags);
  properties [PROP_ACKNOWLEDGED] =
    g_param_spec_boolean ("acknowledged", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
striae_finding_init (StriaeFinding *self)
{
}

StriaeFinding *
striae_finding_new (StriaeCheck  check,
                    StriaeLevel  level,
                    gboolean     unanswered,
                    const char  *reason,
                    gboolean     acknowledged)
{
  StriaeFinding *self;
  const StriaeCheckInfo *info;

  g_return_val_if_fail (check < STRIAE_N_CHECKS, NULL);
  g_return_val_if_fail (level == STRIAE_LEVEL_RELATIVE || level == STRIAE_LEVEL_ABSOLUTE, NULL);
  g_return_val_if_fail (reason != NULL, NULL);

  info = striae_check_get_info (check);
  self = g_object_new (STRIAE_TYPE_FINDING, NULL);
  self->check = check;
  self->level = level;
  self->unanswered = !!unanswered;
  self->id = unanswered ? g_strconcat (info->id, "-unanswered", NULL) : g_strdup (info->id);
  self->reason = g_strdup (reason);
  self->acknowledged = !!acknowledged;

  return self;
}

const char *
striae_finding_get_id (StriaeFinding *self)
{
  g_return_val_if_fail (STRIAE_IS_FINDING (self), NULL);
  return self->id;
}

StriaeCheck
striae_finding_get_check (StriaeFinding *self)
{
  g_return_val_if_fail (STRIAE_IS_FINDING (self), 0);
  return self->check;
}

/* The history question behind the finding, or -1 when it comes from the skin or the age. */
int
striae_finding_get_question (StriaeFinding *self)
{
  const StriaeCheckInfo *info;

  g_return_val_if_fail (STRIAE_IS_FINDING (self), -1);

  info = striae_check_get_info (self->check);
  return info->kind == STRIAE_CHECK_KIND_QUESTION ? (int) info->question : -1;
}

StriaeLevel
striae_finding_get_level (StriaeFinding *self)
{
  g_return_val_if_fail (STRIAE_IS_FINDING (self), STRIAE_LEVEL_OFF);
  return self->level;
}

gboolean
striae_finding_get_unanswered (StriaeFinding *self)
{
  g_return_val_if_fail (STRIAE_IS_FINDING (self), FALSE);
  return self->unanswered;
}

const char *
striae_finding_get_title (StriaeFinding *self)
{
  g_return_val_if_fail (STRIAE_IS_FINDING (self), NULL);
  return striae_check_get_title (self->check);
}

const char *
striae_finding_get_reason (StriaeFinding *self)
{
  g_return_val_if_fail (STRIAE_IS_FINDING (self), NULL);
  return self->reason;
}

const char *
striae_finding_get_source (StriaeFinding *self)
{
  g_return_val_if_fail (STRIAE_IS_FINDING (self), NULL);
  return striae_check_get_info (self->check)->source;
}

gboolean
striae_finding_get_acknowledged (StriaeFinding *self)
{
  g_return_val_if_fail (STRIAE_IS_FINDING (self), FALSE);
  return self->acknowledged;
}
