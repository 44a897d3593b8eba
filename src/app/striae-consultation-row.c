/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "striae-consultation-row.h"

struct _StriaeConsultationRow
{
  AdwActionRow        parent_instance;

  StriaeConsultation *consultation;
};

G_DEFINE_FINAL_TYPE (StriaeConsultationRow, striae_consultation_row, ADW_TYPE_ACTION_ROW)

enum {
  PROP_0,
  PROP_CONSULTATION,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
striae_consultation_row_dispose (GObject *object)
{
  StriaeConsultationRow *self = STRIAE_CONSULTATION_ROW (object);

  g_clear_object (&self->consultation);

  G_OBJECT_CLASS (striae_consultation_row_parent_class)->dispose (object);
}

static void
striae_consultation_row_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  StriaeConsultationRow *self = STRIAE_CONSULTATION_ROW (object);

  switch (prop_id)
    {
    case PROP_CONSULTATION:
      g_value_set_object (value, self->consultation);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_consultation_row_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  StriaeConsultationRow *self = STRIAE_CONSULTATION_ROW (object);

  switch (prop_id)
    {
    case PROP_CONSULTATION:
      self->consultation = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_consultation_row_class_init (StriaeConsultationRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = striae_consultation_row_dispose;
  object_class->get_property = striae_consultation_row_get_property;
  object_class->set_property = striae_consultation_row_set_property;

  properties [PROP_CONSULTATION] =
    g_param_spec_object ("consultation", NULL, NULL, STRIAE_TYPE_CONSULTATION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
striae_consultation_row_init (StriaeConsultationRow *self)
{
  /* Names, dates and reasons are shown as typed, never read as markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self), FALSE);
}

GtkWidget *
striae_consultation_row_new (StriaeConsultation *consultation)
{
  g_return_val_if_fail (STRIAE_IS_CONSULTATION (consultation), NULL);

  return g_object_new (STRIAE_TYPE_CONSULTATION_ROW, "consultation", consultation, NULL);
}

StriaeConsultation *
striae_consultation_row_get_consultation (StriaeConsultationRow *self)
{
  g_return_val_if_fail (STRIAE_IS_CONSULTATION_ROW (self), NULL);
  return self->consultation;
}
