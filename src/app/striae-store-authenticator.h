/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "striae-authenticator.h"
#include "striae-store.h"

G_BEGIN_DECLS

#define STRIAE_TYPE_STORE_AUTHENTICATOR (striae_store_authenticator_get_type ())

G_DECLARE_FINAL_TYPE (StriaeStoreAuthenticator, striae_store_authenticator, STRIAE,
                      STORE_AUTHENTICATOR, GObject)

StriaeAuthenticator *striae_store_authenticator_new (StriaeStore *store);

G_END_DECLS
