/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "striae-core-enums.h"
#include "striae-core-error.h"
#include "striae-core-private.h"
#include "striae-skin.h"

struct _StriaeSkin
{
  GObject       parent_instance;

  guint         fitzpatrick;
  StriaeAnswer  facts[STRIAE_N_SKIN_FACTS];
  char         *products;
};

G_DEFINE_FINAL_TYPE (StriaeSkin, striae_skin, G_TYPE_OBJECT)

/* The fact properties come first so that PROP_FACT0 + fact is the fact's property. */
enum {
  PROP_0,
  PROP_FACT0,
  PROP_FITZPATRICK = PROP_FACT0 + STRIAE_N_SKIN_FACTS,
  PROP_PRODUCTS,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties [N_PROPS];
static guint signals [N_SIGNALS];

static const StriaeSkinFactInfo facts[STRIAE_N_SKIN_FACTS] = {
  /* [contra] sensitive skin */
  { STRIAE_SKIN_FACT_SENSITIVE, "sensitive",
    N_("Sensitive skin") },
  /* [contra] recent sun exposure, tan or sunburn in the area, about the last 2 weeks */
  { STRIAE_SKIN_FACT_RECENT_SUN, "recent-sun",
    N_("Sun, tanning or sunburn on the area in the last 2 weeks") },
  /* [contra] laser, chemical peel or other resurfacing in the area in the last 4 weeks */
  { STRIAE_SKIN_FACT_RECENT_RESURFACING, "recent-resurfacing",
    N_("Laser, chemical peel or other resurfacing on the area in the last 4 weeks") },
  /* [contra] topical retinoids or exfoliating acids (AHA/BHA) in use */
  { STRIAE_SKIN_FACT_RETINOIDS, "retinoids",
    N_("Uses retinoid creams or exfoliating acids (AHA/BHA)") },
  /* [contra] history of PIH or adverse reactions to skin treatments */
  { STRIAE_SKIN_FACT_PIH_HISTORY, "pih-history",
    N_("Dark marks after skin injury (PIH) or bad reactions to skin treatments in the past") },
};

/* [fitzpatrick] the six types, in our own words. */
static const struct {
  const char *numeral;
  const char *description;
} fitzpatrick_types[STRIAE_FITZPATRICK_MAX + 1] = {
  { "", NC_("Fitzpatrick type", "Not recorded") },
  { "I", N_("Always burns, never tans") },
  { "II", N_("Usually burns, tans a little") },
  { "III", N_("Sometimes burns, tans evenly") },
  { "IV", N_("Burns a little, tans well") },
  { "V", N_("Rarely burns, tans darkly") },
  { "VI", N_("Never burns, deeply pigmented") },
};

const StriaeSkinFactInfo *
striae_skin_fact_get_info (StriaeSkinFact fact)
{
  g_return_val_if_fail (fact < STRIAE_N_SKIN_FACTS, NULL);
  return &facts[fact];
}

const char *
striae_skin_fact_get_label (StriaeSkinFact fact)
{
  g_return_val_if_fail (fact < STRIAE_N_SKIN_FACTS, NULL);
  return _(facts[fact].label);
}

gboolean
striae_skin_fact_from_id (const char     *id,
                          StriaeSkinFact *fact)
{
  for (guint i = 0; i < STRIAE_N_SKIN_FACTS; i++)
    {
      if (g_strcmp0 (facts[i].id, id) == 0)
        {
          if (fact)
            *fact = i;
          return TRUE;
        }
    }

  return FALSE;
}

const char *
striae_fitzpatrick_get_numeral (guint type)
{
  g_return_val_if_fail (type <= STRIAE_FITZPATRICK_MAX, NULL);
  return fitzpatrick_types[type].numeral;
}

const char *
striae_fitzpatrick_get_description (guint type)
{
  g_return_val_if_fail (type <= STRIAE_FITZPATRICK_MAX, NULL);
  /* The first entry is marked with a context: "Not recorded" agrees with other nouns in
   * other places. */
  if (type == 0)
    return g_dpgettext2 (NULL, "Fitzpatrick type", fitzpatrick_types[type].description);
  return _(fitzpatrick_types[type].description);
}

/* [fitzpatrick] types IV–VI carry a higher risk of pigment change after treatment. */
gboolean
striae_fitzpatrick_is_pih_risk (guint type)
{
  return type >= 4 && type <= STRIAE_FITZPATRICK_MAX;
}

static void
striae_skin_finalize (GObject *object)
{
  StriaeSkin *self = (StriaeSkin *)object;

  g_clear_pointer (&self->products, g_free);

  G_OBJECT_CLASS (striae_skin_parent_class)->finalize (object);
}

static void
striae_skin_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  StriaeSkin *self = STRIAE_SKIN (object);

  if (prop_id >= PROP_FACT0 && prop_id < PROP_FACT0 + STRIAE_N_SKIN_FACTS)
    {
      g_value_set_enum (value, self->facts[prop_id - PROP_FACT0]);
      return;
    }

  switch (prop_id)
    {
    case PROP_FITZPATRICK:
      g_value_set_uint (value, self->fitzpatrick);
      break;
    case PROP_PRODUCTS:
      g_value_set_string (value, self->products);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_skin_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  StriaeSkin *self = STRIAE_SKIN (object);

  if (prop_id >= PROP_FACT0 && prop_id < PROP_FACT0 + STRIAE_N_SKIN_FACTS)
    {
      striae_skin_set_fact (self, prop_id - PROP_FACT0, g_value_get_enum (value));
      return;
    }

  switch (prop_id)
    {
    case PROP_FITZPATRICK:
      striae_skin_set_fitzpatrick (self, g_value_get_uint (value));
      break;
    case PROP_PRODUCTS:
      striae_skin_set_products (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_skin_class_init (StriaeSkinClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = striae_skin_finalize;
  object_class->get_property = striae_skin_get_property;
  object_class->set_property = striae_skin_set_property;

  for (guint i = 0; i < STRIAE_N_SKIN_FACTS; i++)
    properties [PROP_FACT0 + i] =
      g_param_spec_enum (facts[i].id, NULL, NULL, STRIAE_TYPE_ANSWER,
                         STRIAE_ANSWER_NOT_ASKED, flags);
  properties [PROP_FITZPATRICK] =
    g_param_spec_uint ("fitzpatrick", NULL, NULL, 0, STRIAE_FITZPATRICK_MAX, 0, flags);
  properties [PROP_PRODUCTS] = g_param_spec_string ("products", NULL, NULL, "", flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * StriaeSkin::changed:
   *
   * Emitted after any change.
   */
  signals [CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
striae_skin_init (StriaeSkin *self)
{
  self->products = g_strdup ("");
}

StriaeSkin *
striae_skin_new (void)
{
  return g_object_new (STRIAE_TYPE_SKIN, NULL);
}

void
striae_skin_copy_into (StriaeSkin *self,
                       StriaeSkin *dest)
{
  g_return_if_fail (STRIAE_IS_SKIN (self));
  g_return_if_fail (STRIAE_IS_SKIN (dest));

  striae_skin_set_fitzpatrick (dest, self->fitzpatrick);
  for (guint i = 0; i < STRIAE_N_SKIN_FACTS; i++)
    striae_skin_set_fact (dest, i, self->facts[i]);
  striae_skin_set_products (dest, self->products);
}

guint
striae_skin_get_fitzpatrick (StriaeSkin *self)
{
  g_return_val_if_fail (STRIAE_IS_SKIN (self), 0);
  return self->fitzpatrick;
}

void
striae_skin_set_fitzpatrick (StriaeSkin *self,
                             guint       type)
{
  g_return_if_fail (STRIAE_IS_SKIN (self));
  g_return_if_fail (type <= STRIAE_FITZPATRICK_MAX);

  if (self->fitzpatrick == type)
    return;

  self->fitzpatrick = type;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_FITZPATRICK]);
  g_signal_emit (self, signals [CHANGED], 0);
}

StriaeAnswer
striae_skin_get_fact (StriaeSkin     *self,
                      StriaeSkinFact  fact)
{
  g_return_val_if_fail (STRIAE_IS_SKIN (self), STRIAE_ANSWER_NOT_ASKED);
  g_return_val_if_fail (fact < STRIAE_N_SKIN_FACTS, STRIAE_ANSWER_NOT_ASKED);

  return self->facts[fact];
}

void
striae_skin_set_fact (StriaeSkin     *self,
                      StriaeSkinFact  fact,
                      StriaeAnswer    answer)
{
  g_return_if_fail (STRIAE_IS_SKIN (self));
  g_return_if_fail (fact < STRIAE_N_SKIN_FACTS);
  g_return_if_fail (answer < STRIAE_N_ANSWERS);

  if (self->facts[fact] == answer)
    return;

  self->facts[fact] = answer;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_FACT0 + fact]);
  g_signal_emit (self, signals [CHANGED], 0);
}

const char *
striae_skin_get_products (StriaeSkin *self)
{
  g_return_val_if_fail (STRIAE_IS_SKIN (self), NULL);
  return self->products;
}

void
striae_skin_set_products (StriaeSkin *self,
                          const char *products)
{
  g_return_if_fail (STRIAE_IS_SKIN (self));

  if (striae_core_set_text (G_OBJECT (self), &self->products, products,
                            properties [PROP_PRODUCTS]))
    g_signal_emit (self, signals [CHANGED], 0);
}

gboolean
striae_skin_validate (StriaeSkin  *self,
                      GError     **error)
{
  g_return_val_if_fail (STRIAE_IS_SKIN (self), FALSE);

  if (!g_utf8_validate (self->products, -1, NULL) ||
      g_utf8_strlen (self->products, -1) > STRIAE_SKIN_PRODUCTS_MAX)
    {
      g_set_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
                   _("Current skin products must be valid text of at most %u characters."),
                   STRIAE_SKIN_PRODUCTS_MAX);
      return FALSE;
    }

  return TRUE;
}
