/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "striae-core-private.h"
#include "striae-date.h"
#include "striae-session-product.h"

struct _StriaeSessionProduct
{
  GObject  parent_instance;

  char    *name;
  char    *lot;
  GDate    expiry;
};

G_DEFINE_FINAL_TYPE (StriaeSessionProduct, striae_session_product, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_LOT,
  PROP_EXPIRY,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
striae_session_product_finalize (GObject *object)
{
  StriaeSessionProduct *self = (StriaeSessionProduct *) object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->lot, g_free);

  G_OBJECT_CLASS (striae_session_product_parent_class)->finalize (object);
}

static void
striae_session_product_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  StriaeSessionProduct *self = STRIAE_SESSION_PRODUCT (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_LOT:
      g_value_set_string (value, self->lot);
      break;
    case PROP_EXPIRY:
      g_value_set_boxed (value, striae_date_or_null (&self->expiry));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_session_product_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  StriaeSessionProduct *self = STRIAE_SESSION_PRODUCT (object);

  switch (prop_id)
    {
    case PROP_NAME:
      striae_session_product_set_name (self, g_value_get_string (value));
      break;
    case PROP_LOT:
      striae_session_product_set_lot (self, g_value_get_string (value));
      break;
    case PROP_EXPIRY:
      striae_session_product_set_expiry (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_session_product_class_init (StriaeSessionProductClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = striae_session_product_finalize;
  object_class->get_property = striae_session_product_get_property;
  object_class->set_property = striae_session_product_set_property;

  properties [PROP_NAME] = g_param_spec_string ("name", NULL, NULL, "", flags);
  properties [PROP_LOT] = g_param_spec_string ("lot", NULL, NULL, "", flags);
  properties [PROP_EXPIRY] = g_param_spec_boxed ("expiry", NULL, NULL, G_TYPE_DATE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
striae_session_product_init (StriaeSessionProduct *self)
{
  self->name = g_strdup ("");
  self->lot = g_strdup ("");
  g_date_clear (&self->expiry, 1);
}

StriaeSessionProduct *
striae_session_product_new (const char  *name,
                            const char  *lot,
                            const GDate *expiry)
{
  return g_object_new (STRIAE_TYPE_SESSION_PRODUCT,
                       "name", name, "lot", lot, "expiry", expiry, NULL);
}

StriaeSessionProduct *
striae_session_product_copy (StriaeSessionProduct *self)
{
  g_return_val_if_fail (STRIAE_IS_SESSION_PRODUCT (self), NULL);

  return striae_session_product_new (self->name, self->lot,
                                     striae_date_or_null (&self->expiry));
}

const char *
striae_session_product_get_name (StriaeSessionProduct *self)
{
  g_return_val_if_fail (STRIAE_IS_SESSION_PRODUCT (self), NULL);
  return self->name;
}

void
striae_session_product_set_name (StriaeSessionProduct *self,
                                 const char           *name)
{
  g_return_if_fail (STRIAE_IS_SESSION_PRODUCT (self));
  striae_core_set_text (G_OBJECT (self), &self->name, name, properties [PROP_NAME]);
}

const char *
striae_session_product_get_lot (StriaeSessionProduct *self)
{
  g_return_val_if_fail (STRIAE_IS_SESSION_PRODUCT (self), NULL);
  return self->lot;
}

/* A lot number is kept as printed on the box (trimmed, NFC); striae_store_find_batch()
 * compares it without regard to case. */
void
striae_session_product_set_lot (StriaeSessionProduct *self,
                                const char           *lot)
{
  g_return_if_fail (STRIAE_IS_SESSION_PRODUCT (self));
  striae_core_set_text (G_OBJECT (self), &self->lot, lot, properties [PROP_LOT]);
}

const GDate *
striae_session_product_get_expiry (StriaeSessionProduct *self)
{
  g_return_val_if_fail (STRIAE_IS_SESSION_PRODUCT (self), NULL);
  return striae_date_or_null (&self->expiry);
}

void
striae_session_product_set_expiry (StriaeSessionProduct *self,
                                   const GDate          *expiry)
{
  g_return_if_fail (STRIAE_IS_SESSION_PRODUCT (self));

  if (striae_date_assign (&self->expiry, expiry))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_EXPIRY]);
}
