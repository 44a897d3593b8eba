/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "striae-authenticator.h"

G_DEFINE_QUARK (striae-authenticator-error-quark, striae_authenticator_error)

G_DEFINE_INTERFACE (StriaeAuthenticator, striae_authenticator, G_TYPE_OBJECT)

static void
striae_authenticator_default_init (StriaeAuthenticatorInterface *iface)
{
}

/* The name of the account signed in now, shown on the lock page; NULL when nobody is. */
const char *
striae_authenticator_get_account (StriaeAuthenticator *self)
{
  g_return_val_if_fail (STRIAE_IS_AUTHENTICATOR (self), NULL);
  return STRIAE_AUTHENTICATOR_GET_IFACE (self)->get_account (self);
}

/* Checks @password for the account @name without blocking the window (a password hash takes
 * a while on purpose); once it matches, @name is the account signed in. */
void
striae_authenticator_check_async (StriaeAuthenticator *self,
                                  const char          *name,
                                  const char          *password,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (STRIAE_IS_AUTHENTICATOR (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (password != NULL);

  STRIAE_AUTHENTICATOR_GET_IFACE (self)->check_async (self, name, password, cancellable,
                                                      callback, user_data);
}

/* %TRUE when the password matched; else %FALSE with STRIAE_AUTHENTICATOR_ERROR_WRONG_PASSWORD
 * or the records' own error (a server that does not answer, a slowed-down retry). */
gboolean
striae_authenticator_check_finish (StriaeAuthenticator  *self,
                                   GAsyncResult         *result,
                                   GError              **error)
{
  g_return_val_if_fail (STRIAE_IS_AUTHENTICATOR (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return STRIAE_AUTHENTICATOR_GET_IFACE (self)->check_finish (self, result, error);
}
