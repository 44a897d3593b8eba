/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "striae-cli.h"
#include "striae-cli-accounts.h"
#include "striae-cli-records.h"
#include "striae-cli-secret.h"

/* A command needs an account once the records have any: it names one with --user and gives
 * its password the way passphrases are given (striae-cli-secret.c), so that a script never
 * puts it on a command line. Records without any account are refused but for --init, which
 * makes their administrator; a clinic server's account is its login, in its address. */

static const GOptionEntry account_entries[] = {
  { "user", 'u', G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
    N_("Work as account NAME; its password is asked for, or read from standard input"),
    N_("NAME") },
  { "init", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
    N_("Create the patient database (or take one from before accounts) with the "
       "administrator account given with --user"), NULL },
  { "display-name", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
    N_("With --init or --server-add-login, the name consultations are signed with"),
    N_("TEXT") },
  { "reset-password", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
    N_("Give account NAME a new password, asked twice (an administrator’s command; on a "
       "clinic server NAME is a staff login)"), N_("NAME") },
  { NULL }
};

void
striae_cli_accounts_add_options (GApplication *app)
{
  g_return_if_fail (G_IS_APPLICATION (app));

  g_application_add_main_option_entries (app, account_entries);
}

static void
set_needs_init (GError      **error,
                StriaeStore  *store)
{
  /* TRANSLATORS: %s is the database's file */
  g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_ALLOWED,
               _("The records in %s have no account yet: make their administrator first with "
                 "striae --database PATH --init --user NAME."),
               striae_store_get_path (store));
}

/* The password of --user for @store, read once; NULL with @error set when @store needs
 * setup, no --user was given or no password came. A clinic server's account is its login:
 * there @user stays NULL, and so does the result, without an error unless --user was given. */
static StriaeSecret *
read_account (StriaeStore   *store,
              GVariantDict  *options,
              const char   **user,
              GError       **error)
{
  g_autoptr(StriaeSecret) password = NULL;
  g_autofree char *prompt = NULL;

  *user = NULL;
  g_variant_dict_lookup (options, "user", "&s", user);

  if (striae_store_is_server_location (striae_store_get_path (store)))
    {
      if (*user == NULL)
        return NULL;
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("On a clinic server, the account is the login in its address "
                             "(postgresql://NAME@…): leave out --user."));
      *user = NULL;
      return NULL;
    }

  if (striae_store_needs_setup (store))
    {
      set_needs_init (error, store);
      return NULL;
    }

  if (*user == NULL)
    {
      g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_ALLOWED,
                           _("These records have accounts: add --user NAME, and give its "
                             "password when asked."));
      return NULL;
    }

  /* TRANSLATORS: %s is an account's name */
  prompt = g_strdup_printf (_("Password of %s: "), *user);
  password = striae_cli_ask_secret (prompt);
  if (password == NULL)
    g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_SIGN_IN,
                         _("No password was given for --user: type it when asked, or give "
                           "it on the first line of standard input."));
  return g_steal_pointer (&password);
}

/**
 * striae_cli_sign_in:
 * @store: the records a command works on
 *
 * Signs in the account of --user, reading its password, when @store has accounts. Refuses
 * records without any account (they need --init first), records with accounts without
 * --user, and --user on a clinic server (whose account is the login in its address).
 */
gboolean
striae_cli_sign_in (StriaeStore   *store,
                    GVariantDict  *options,
                    GError       **error)
{
  g_autoptr(StriaeSecret) password = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *user = NULL;

  g_return_val_if_fail (STRIAE_IS_STORE (store), FALSE);
  g_return_val_if_fail (options != NULL, FALSE);

  password = read_account (store, options, &user, &local_error);
  if (password == NULL)
    {
      if (local_error == NULL)
        return TRUE;  /* a clinic server's login */
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  /* --verify-audit checks the log as it was: its sign-in row comes after the check. */
  return striae_store_sign_in_full (store, user, password,
                                    g_variant_dict_contains (options, "verify-audit")
                                    ? STRIAE_SIGN_IN_FLAGS_AUDIT_LATER
                                    : STRIAE_SIGN_IN_FLAGS_NONE, error);
}

struct _StriaeCliSignIn
{
  StriaeStore       *store;
  char              *user;
  StriaeSecret      *password;
  StriaeSignInFlags  flags;
  GThread           *thread;
  GError            *error;
};

static gpointer
sign_in_thread (gpointer data)
{
  StriaeCliSignIn *self = data;

  striae_store_sign_in_full (self->store, self->user, self->password, self->flags,
                             &self->error);
  return NULL;
}

/**
 * striae_cli_sign_in_start:
 * @store: the records a command works on; nothing else may use them until
 *   striae_cli_sign_in_finish()
 *
 * striae_cli_sign_in() in two halves: the password is read now, on this thread, and checked
 * (with everything striae_store_sign_in() does: the wait, the audit) in a thread of its own,
 * so that the command can prepare meanwhile what needs no password. Nothing prepared may
 * be written, printed or sent before striae_cli_sign_in_finish() says the account signed in.
 *
 * Returns: (transfer full): the sign-in under way, or %NULL with @error set (as
 *   striae_cli_sign_in() refuses before checking anything)
 */
StriaeCliSignIn *
striae_cli_sign_in_start (StriaeStore   *store,
                          GVariantDict  *options,
                          GError       **error)
{
  g_autoptr(StriaeSecret) password = NULL;
  g_autoptr(GError) local_error = NULL;
  StriaeCliSignIn *self;
  const char *user = NULL;

  g_return_val_if_fail (STRIAE_IS_STORE (store), NULL);
  g_return_val_if_fail (options != NULL, NULL);

  password = read_account (store, options, &user, &local_error);
  if (password == NULL && local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  self = g_new0 (StriaeCliSignIn, 1);
  self->store = g_object_ref (store);
  /* A clinic server's login: nothing to check here. */
  if (password == NULL)
    return self;

  self->user = g_strdup (user);
  self->password = g_steal_pointer (&password);
  self->flags = g_variant_dict_contains (options, "verify-audit")
                ? STRIAE_SIGN_IN_FLAGS_AUDIT_LATER : STRIAE_SIGN_IN_FLAGS_NONE;
  self->thread = g_thread_new ("striae-sign-in", sign_in_thread, self);
  return self;
}

/**
 * striae_cli_sign_in_get_user:
 *
 * Returns: (nullable): the account whose password is being checked, %NULL when there is
 *   none to check (a clinic server's login)
 */
const char *
striae_cli_sign_in_get_user (StriaeCliSignIn *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->user;
}

/**
 * striae_cli_sign_in_finish:
 * @self: (transfer full): the sign-in striae_cli_sign_in_start() began
 *
 * Waits for the password's check.
 *
 * Returns: %FALSE with @error set when the account did not sign in (striae_cli_sign_in())
 */
gboolean
striae_cli_sign_in_finish (StriaeCliSignIn  *self,
                           GError          **error)
{
  gboolean ok;

  g_return_val_if_fail (self != NULL, FALSE);

  if (self->thread != NULL)
    g_thread_join (self->thread);
  ok = self->error == NULL;
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&self->error));

  g_clear_object (&self->store);
  g_clear_pointer (&self->user, g_free);
  g_clear_pointer (&self->password, striae_cli_secret_free);
  g_free (self);
  return ok;
}

/**
 * striae_cli_check_account:
 * @store: the records a command is about to replace
 * @right: what the command does
 *
 * As striae_cli_sign_in(), but only checks that the account of --user has the password
 * typed and may do @right (striae_store_check_account()): no "sign-in" row goes into
 * records that a refused restore must leave as they were. A clinic server decides there.
 */
gboolean
striae_cli_check_account (StriaeStore   *store,
                          GVariantDict  *options,
                          StriaeRight    right,
                          GError       **error)
{
  g_autoptr(StriaeSecret) password = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *user = NULL;

  g_return_val_if_fail (STRIAE_IS_STORE (store), FALSE);
  g_return_val_if_fail (options != NULL, FALSE);

  password = read_account (store, options, &user, &local_error);
  if (password == NULL)
    {
      if (local_error == NULL)
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return striae_store_check_account (store, user, password, right, error);
}

/* --init: the password is read before anything is made, so that a refused one leaves no
 * empty database behind. */
static int
run_init (const char   *database,
          GVariantDict *options)
{
  g_autofree char *path = database ? g_strdup (database) : striae_store_default_path ();
  g_autoptr(StriaeSecret) password = NULL;
  g_autoptr(StriaeStore) store = NULL;
  g_autoptr(GError) error = NULL;
  const char *display_name = NULL;
  const char *user = NULL;
  gboolean existed;
  gboolean differ = FALSE;

  g_variant_dict_lookup (options, "user", "&s", &user);
  g_variant_dict_lookup (options, "display-name", "&s", &display_name);

  if (striae_store_is_server_location (path))
    {
      g_set_error_literal (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("--init makes the records of this computer; a clinic server is "
                             "set up with --server-init and its logins with "
                             "--server-add-login."));
      return striae_cli_print_error (error);
    }
  if (user == NULL)
    {
      g_set_error_literal (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("--init needs --user NAME, the administrator’s account."));
      return striae_cli_print_error (error);
    }
  if (!striae_store_check_account_name (user, &error))
    return striae_cli_print_error (error);

  /* Records that exist are looked at first: those with accounts are refused before any
   * password is asked for. */
  existed = g_file_test (path, G_FILE_TEST_EXISTS);
  if (existed)
    {
      if ((store = striae_store_open (path, &error)) == NULL)
        return striae_cli_print_error (error);
      if (striae_store_has_accounts (store))
        {
          /* TRANSLATORS: %s is the database's file */
          g_set_error (&error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_ALLOWED,
                       _("%s already has accounts: nothing was changed. An administrator "
                         "adds more."), path);
          return striae_cli_print_error (error);
        }
    }

  password = striae_cli_read_secret (_("Password of the new administrator: "),
                                     _("The same password again: "), &differ);
  if (password == NULL)
    {
      g_set_error_literal (&error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           differ ? _("The two passwords differ. Nothing was changed.")
                                  : _("No password was given. Nothing was changed."));
      return striae_cli_print_error (error);
    }
  if (!striae_store_check_new_password (password, &error))
    return striae_cli_print_error (error);

  if (store == NULL && (store = striae_store_open (path, &error)) == NULL)
    return striae_cli_print_error (error);

  if (!striae_store_create_first_admin (store, user, display_name, password, &error))
    return striae_cli_print_error (error);

  if (existed)
    /* TRANSLATORS: %s is the account's name, then the database's file */
    g_print (_("The administrator account %s was made in %s; the earlier audit entries are "
               "marked as before accounts.\n"), user, path);
  else
    /* TRANSLATORS: %s is the database's file, then the account's name */
    g_print (_("Created %s with the administrator account %s.\n"), path, user);
  return EXIT_SUCCESS;
}

/* --reset-password: the administrator's own password first (--user, on this computer's
 * records), then the new one, twice on a terminal or on the next line of standard input. */
static int
run_reset_password (const char   *database,
                    GVariantDict *options)
{
  g_autoptr(StriaeSecret) password = NULL;
  g_autoptr(StriaeStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *prompt = NULL;
  const char *name = NULL;
  gboolean differ = FALSE;

  g_variant_dict_lookup (options, "reset-password", "&s", &name);
  if ((store = striae_cli_open_existing_store (database, options, &error)) == NULL ||
      !striae_store_may (store, STRIAE_RIGHT_ACCOUNTS, &error))
    return striae_cli_print_error (error);

  /* TRANSLATORS: %s is an account's name */
  prompt = g_strdup_printf (_("New password of %s: "), name);
  password = striae_cli_read_secret (prompt, _("The same password again: "), &differ);
  if (password == NULL)
    {
      g_set_error_literal (&error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           differ ? _("The two passwords differ. Nothing was changed.")
                                  : _("No password was given. Nothing was changed."));
      return striae_cli_print_error (error);
    }

  if (!striae_store_reset_password (store, name, password, &error))
    return striae_cli_print_error (error);

  /* TRANSLATORS: %s is an account's name */
  g_print (_("The password of %s was reset; the old one no longer works.\n"), name);
  return EXIT_SUCCESS;
}

/**
 * striae_cli_accounts_handle:
 * @exit_status: (out): the exit status when --init or --reset-password ran
 *
 * Returns: %TRUE when --init or --reset-password was given (and has run)
 */
gboolean
striae_cli_accounts_handle (const char   *database,
                            GVariantDict *options,
                            int          *exit_status)
{
  if (g_variant_dict_contains (options, "reset-password") &&
      !g_variant_dict_contains (options, "init"))
    {
      *exit_status = run_reset_password (database, options);
      return TRUE;
    }

  if (!g_variant_dict_contains (options, "init"))
    {
      if (g_variant_dict_contains (options, "display-name"))
        {
          g_autoptr(GError) error = NULL;

          g_set_error_literal (&error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                               _("--display-name works together with --init or "
                                 "--server-add-login."));
          *exit_status = striae_cli_print_error (error);
          return TRUE;
        }
      return FALSE;
    }

  *exit_status = run_init (database, options);
  return TRUE;
}
