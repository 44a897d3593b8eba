/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "striae-first-frame.h"
#include "striae-store-authenticator.h"

/* The lock's authenticator over the records' accounts (issue 16): a password is checked by
 * striae_store_sign_in(), in a worker thread since Argon2id takes a noticeable moment, and
 * the account signed in is the records' own. On a clinic server the account is the login
 * the records were opened as, and its password is checked by the server
 * (striae_store_check_password()). */

struct _StriaeStoreAuthenticator
{
  GObject      parent_instance;

  StriaeStore *store;
  char        *login;  /* on a clinic server, the login: the one account of this PC's run */
};

static void authenticator_iface_init (StriaeAuthenticatorInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (StriaeStoreAuthenticator, striae_store_authenticator,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (STRIAE_TYPE_AUTHENTICATOR,
                                                      authenticator_iface_init))

typedef struct
{
  char *name;
  char *password;
} Attempt;

static void
attempt_free (Attempt *attempt)
{
  g_free (attempt->name);
  /* The password goes from memory as soon as it was checked. */
  if (attempt->password != NULL)
    memset (attempt->password, 0, strlen (attempt->password));
  g_free (attempt->password);
  g_free (attempt);
}

static const char *
store_authenticator_get_account (StriaeAuthenticator *authenticator)
{
  StriaeStoreAuthenticator *self = STRIAE_STORE_AUTHENTICATOR (authenticator);

  return self->login != NULL ? self->login : striae_store_get_account_name (self->store);
}

static void
check_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  StriaeStoreAuthenticator *self = source_object;
  Attempt *attempt = task_data;
  GError *error = NULL;
  gint64 start = g_get_monotonic_time ();
  gboolean passed;

  if (self->login != NULL && g_strcmp0 (attempt->name, self->login) != 0)
    {
      /* The records were opened as this login: another works from its own Striae. */
      g_task_return_new_error (task, STRIAE_AUTHENTICATOR_ERROR,
                               STRIAE_AUTHENTICATOR_ERROR_WRONG_PASSWORD,
                               _("Striae is connected to the clinic server as %s on this "
                                 "computer: only %s can unlock it. To work as another login, "
                                 "quit Striae and connect as yours."),
                               self->login, self->login);
      return;
    }

  passed = self->login != NULL
           ? striae_store_check_password (self->store, attempt->password, &error)
           : striae_store_sign_in (self->store, attempt->name, attempt->password, &error);
  /* bench/bench-startup counts the password's check apart from the start-up (`striae
   * --user`): from its start to its answer, here in the thread. */
  if (striae_first_frame_requested ())
    g_printerr ("sign-in: %.3f s\n", (g_get_monotonic_time () - start) / 1e6);
  if (passed)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  /* A wrong name or password is the lock page's own sentence; anything else (the wait after
   * too many tries, records that do not answer) is said as the records say it. */
  if (g_error_matches (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_SIGN_IN))
    {
      GError *wrong = g_error_new_literal (STRIAE_AUTHENTICATOR_ERROR,
                                           STRIAE_AUTHENTICATOR_ERROR_WRONG_PASSWORD,
                                           error->message);

      g_error_free (error);
      error = wrong;
    }
  g_task_return_error (task, error);
}

static void
store_authenticator_check_async (StriaeAuthenticator *authenticator,
                                 const char          *name,
                                 const char          *password,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (authenticator, cancellable, callback, user_data);
  Attempt *attempt = g_new0 (Attempt, 1);

  attempt->name = g_strdup (name != NULL ? name : "");
  attempt->password = g_strdup (password != NULL ? password : "");
  g_task_set_source_tag (task, store_authenticator_check_async);
  g_task_set_task_data (task, attempt, (GDestroyNotify) attempt_free);
  g_task_run_in_thread (task, check_thread);
}

static gboolean
store_authenticator_check_finish (StriaeAuthenticator  *authenticator,
                                  GAsyncResult         *result,
                                  GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, authenticator), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
authenticator_iface_init (StriaeAuthenticatorInterface *iface)
{
  iface->get_account = store_authenticator_get_account;
  iface->check_async = store_authenticator_check_async;
  iface->check_finish = store_authenticator_check_finish;
}

static void
striae_store_authenticator_dispose (GObject *object)
{
  StriaeStoreAuthenticator *self = STRIAE_STORE_AUTHENTICATOR (object);

  g_clear_object (&self->store);

  G_OBJECT_CLASS (striae_store_authenticator_parent_class)->dispose (object);
}

static void
striae_store_authenticator_finalize (GObject *object)
{
  StriaeStoreAuthenticator *self = STRIAE_STORE_AUTHENTICATOR (object);

  g_free (self->login);

  G_OBJECT_CLASS (striae_store_authenticator_parent_class)->finalize (object);
}

static void
striae_store_authenticator_class_init (StriaeStoreAuthenticatorClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = striae_store_authenticator_dispose;
  G_OBJECT_CLASS (klass)->finalize = striae_store_authenticator_finalize;
}

static void
striae_store_authenticator_init (StriaeStoreAuthenticator *self)
{
}

/* An authenticator that signs in to @store's accounts. */
StriaeAuthenticator *
striae_store_authenticator_new (StriaeStore *store)
{
  StriaeStoreAuthenticator *self;

  g_return_val_if_fail (STRIAE_IS_STORE (store), NULL);

  self = g_object_new (STRIAE_TYPE_STORE_AUTHENTICATOR, NULL);
  self->store = g_object_ref (store);
  self->login = striae_store_dup_login_name (store);
  return STRIAE_AUTHENTICATOR (self);
}
