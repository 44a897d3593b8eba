/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define STRIAE_AUTHENTICATOR_ERROR (striae_authenticator_error_quark ())

typedef enum
{
  /* The name and password do not match an account. */
  STRIAE_AUTHENTICATOR_ERROR_WRONG_PASSWORD,
} StriaeAuthenticatorError;

#define STRIAE_TYPE_AUTHENTICATOR (striae_authenticator_get_type ())

/* Who may unlock the windows: the application asks it, and never checks a password itself.
 * The records layer's accounts implement it; tests give a fake one. */
G_DECLARE_INTERFACE (StriaeAuthenticator, striae_authenticator, STRIAE, AUTHENTICATOR, GObject)

struct _StriaeAuthenticatorInterface
{
  GTypeInterface parent_iface;

  const char *(*get_account)  (StriaeAuthenticator  *self);
  void        (*check_async)  (StriaeAuthenticator  *self,
                               const char           *name,
                               const char           *password,
                               GCancellable         *cancellable,
                               GAsyncReadyCallback   callback,
                               gpointer              user_data);
  gboolean    (*check_finish) (StriaeAuthenticator  *self,
                               GAsyncResult         *result,
                               GError              **error);
};

GQuark      striae_authenticator_error_quark  (void);
const char *striae_authenticator_get_account  (StriaeAuthenticator  *self);
void        striae_authenticator_check_async  (StriaeAuthenticator  *self,
                                               const char           *name,
                                               const char           *password,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean    striae_authenticator_check_finish (StriaeAuthenticator  *self,
                                               GAsyncResult         *result,
                                               GError              **error);

G_END_DECLS
