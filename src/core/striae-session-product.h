/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define STRIAE_SESSION_PRODUCT_NAME_MAX 200
#define STRIAE_SESSION_LOT_MAX          100

#define STRIAE_TYPE_SESSION_PRODUCT (striae_session_product_get_type ())

G_DECLARE_FINAL_TYPE (StriaeSessionProduct, striae_session_product, STRIAE, SESSION_PRODUCT,
                      GObject)

/* A product applied in a session (numbing cream, serum, needle cartridge…) with its batch or
 * lot number and expiry date, so that a manufacturer's advisory finds who received it
 * (striae_store_find_batch()). */
StriaeSessionProduct *striae_session_product_new        (const char           *name,
                                                         const char           *lot,
                                                         const GDate          *expiry);
StriaeSessionProduct *striae_session_product_copy       (StriaeSessionProduct *self);

const char           *striae_session_product_get_name   (StriaeSessionProduct *self);
void                  striae_session_product_set_name   (StriaeSessionProduct *self,
                                                         const char           *name);
const char           *striae_session_product_get_lot    (StriaeSessionProduct *self);
void                  striae_session_product_set_lot    (StriaeSessionProduct *self,
                                                         const char           *lot);
const GDate          *striae_session_product_get_expiry (StriaeSessionProduct *self);
void                  striae_session_product_set_expiry (StriaeSessionProduct *self,
                                                         const GDate          *expiry);

G_END_DECLS
