/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "striae-recall-item.h"

struct _StriaeRecallItem
{
  GObject       parent_instance;

  StriaeRecall *recall;
  char         *name;
  char         *summary;
};

G_DEFINE_FINAL_TYPE (StriaeRecallItem, striae_recall_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_SUMMARY,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
striae_recall_item_finalize (GObject *object)
{
  StriaeRecallItem *self = (StriaeRecallItem *)object;

  g_clear_pointer (&self->recall, striae_recall_free);
  g_free (self->name);
  g_free (self->summary);

  G_OBJECT_CLASS (striae_recall_item_parent_class)->finalize (object);
}

static void
striae_recall_item_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  StriaeRecallItem *self = STRIAE_RECALL_ITEM (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_SUMMARY:
      g_value_set_string (value, self->summary);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_recall_item_class_init (StriaeRecallItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = striae_recall_item_finalize;
  object_class->get_property = striae_recall_item_get_property;

  /* The row binds these (ui/striae-recall-row.ui). */
  properties [PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, "",
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_SUMMARY] =
    g_param_spec_string ("summary", NULL, NULL, "",
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
striae_recall_item_init (StriaeRecallItem *self)
{
}

static char *
dup_name (const StriaeRecall *recall)
{
  const char *given = recall->given_name != NULL ? recall->given_name : "";
  const char *family = recall->family_name != NULL ? recall->family_name : "";

  if (*given == '\0')
    return g_strdup (family);
  if (*family == '\0')
    return g_strdup (given);
  /* The patient's own words for a full name (striae_patient_dup_full_name()). */
  return g_strdup_printf (C_("full name", "%s %s"), given, family);
}

/* Why and since when (the records' sentence), and how to reach the patient: "A maintenance
 * session is due on 17/12/2026. · +33 1 23 45 67 89". */
static char *
dup_summary (const StriaeRecall *recall)
{
  const char *why = recall->sentence != NULL ? recall->sentence : "";
  const char *reach = recall->phone != NULL && *recall->phone != '\0' ? recall->phone
                                                                      : recall->email;

  if (reach == NULL || *reach == '\0')
    /* TRANSLATORS: a row of the recalls: why; the patient has no phone number or email in
     * the records */
    return g_strdup_printf (_("%s · no phone number or email"), why);
  /* TRANSLATORS: a row of the recalls: why, then the phone number or email */
  return g_strdup_printf (_("%s · %s"), why, reach);
}

StriaeRecallItem *
striae_recall_item_new (const StriaeRecall *recall)
{
  StriaeRecallItem *self;

  g_return_val_if_fail (recall != NULL, NULL);

  self = g_object_new (STRIAE_TYPE_RECALL_ITEM, NULL);
  self->recall = striae_recall_copy (recall);
  self->name = dup_name (recall);
  self->summary = dup_summary (recall);
  return self;
}

const StriaeRecall *
striae_recall_item_get_recall (StriaeRecallItem *self)
{
  g_return_val_if_fail (STRIAE_IS_RECALL_ITEM (self), NULL);
  return self->recall;
}

const char *
striae_recall_item_get_name (StriaeRecallItem *self)
{
  g_return_val_if_fail (STRIAE_IS_RECALL_ITEM (self), NULL);
  return self->name;
}

const char *
striae_recall_item_get_summary (StriaeRecallItem *self)
{
  g_return_val_if_fail (STRIAE_IS_RECALL_ITEM (self), NULL);
  return self->summary;
}
