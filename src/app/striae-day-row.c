/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "striae-accessible.h"
#include "striae-app-private.h"
#include "striae-day-row.h"

struct _StriaeDayRow
{
  AdwBin         parent_instance;

  StriaeDayItem *item;
};

G_DEFINE_FINAL_TYPE (StriaeDayRow, striae_day_row, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_ITEM,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
striae_day_row_dispose (GObject *object)
{
  StriaeDayRow *self = (StriaeDayRow *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), STRIAE_TYPE_DAY_ROW);
  g_clear_object (&self->item);

  G_OBJECT_CLASS (striae_day_row_parent_class)->dispose (object);
}

static void
striae_day_row_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  StriaeDayRow *self = STRIAE_DAY_ROW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      g_value_set_object (value, self->item);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_day_row_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  StriaeDayRow *self = STRIAE_DAY_ROW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      striae_day_row_set_item (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_day_row_class_init (StriaeDayRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = striae_day_row_dispose;
  object_class->get_property = striae_day_row_get_property;
  object_class->set_property = striae_day_row_set_property;

  /* The session the row shows; its labels are bound to it in the template. */
  properties [PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL, STRIAE_TYPE_DAY_ITEM,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (STRIAE_TYPE_DAY_ITEM);
  striae_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/striae/Striae/ui/striae-day-row.ui");
}

static void
striae_day_row_init (StriaeDayRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
striae_day_row_new (void)
{
  return g_object_new (STRIAE_TYPE_DAY_ROW, NULL);
}

StriaeDayItem *
striae_day_row_get_item (StriaeDayRow *self)
{
  g_return_val_if_fail (STRIAE_IS_DAY_ROW (self), NULL);
  return self->item;
}

void
striae_day_row_set_item (StriaeDayRow  *self,
                         StriaeDayItem *item)
{
  g_return_if_fail (STRIAE_IS_DAY_ROW (self));
  g_return_if_fail (item == NULL || STRIAE_IS_DAY_ITEM (item));

  if (!g_set_object (&self->item, item))
    return;

  /* A screen reader names the row as the list item it sits in: patient, then the rest. */
  striae_accessible_name_list_item (GTK_WIDGET (self),
                                    item != NULL ? striae_day_item_get_name (item) : NULL, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ITEM]);
}
