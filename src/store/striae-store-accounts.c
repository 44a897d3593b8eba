/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <sodium.h>
#include <string.h>

#include "striae-store-private.h"

/* Accounts and rights: the rules. The statements are the backends' (get_account …); what is
 * decided here is who may sign in, how long a name waits after wrong passwords, which role
 * may do what (striae_store_may()), and what the audit log says about it.
 *
 * Passwords are kept only as crypto_pwhash_str() writes them (Argon2id with its own salt and
 * the interactive costs, about 70 ms a hash), and checked with crypto_pwhash_str_verify();
 * a hash made with lower costs than today's is made again at the next sign-in. A name that
 * is no account is checked against a hash of nothing in particular, so that it costs the
 * same time as a wrong password and does not tell which names exist; its wrong tries are
 * counted in memory, for the same wait as an account's.
 *
 * The audit log before the first account was written in the names typed then (or
 * "system:USER"): rows cannot be changed (they are a chain), so the last entry before
 * accounts is kept in the setting ACCOUNTS_BEFORE_KEY, written with the "accounts-start"
 * row, and striae_store_describe_actor() names the earlier rows "before accounts (…)". An
 * account's rows name it "account:NAME", which no earlier actor could be taken for.
 *
 * Every sign-in is audited: a failure as "sign-in-failed" in the name tried, a success as
 * "sign-in" in the account's name, in the transaction that resets its count, so that the
 * log says who opened the records even to read them (a sign-in whose row cannot be written
 * fails). The end of a sign-in is not audited: a sign-out, the window's lock, a command that
 * ends or a process that dies write nothing, because the last of these cannot, and a log
 * where the end of some sign-ins is missing would mislead; the next "sign-in" row, or
 * another account's rows, show that someone else took over. The one sign-in that writes
 * nothing is striae_store_check_account(), which only asks whether an account may do
 * something about to replace these very records (a restore): a row written before the
 * restore would either change records the restore then refuses to replace, or vanish with
 * them. */

#define ACCOUNTS_BEFORE_KEY "accounts.before"
#define ACTOR_PREFIX        "account:"
#define NAME_MAX_LENGTH     64
#define DISPLAY_MAX_LENGTH  100

typedef struct
{
  guint      failures;
  GDateTime *last;
} StoreUnknownTries;

static void
unknown_tries_free (gpointer data)
{
  StoreUnknownTries *tries = data;

  g_clear_pointer (&tries->last, g_date_time_unref);
  g_free (tries);
}

/* StriaeAccount */

StriaeAccount *
striae_account_copy (const StriaeAccount *account)
{
  StriaeAccount *copy;

  g_return_val_if_fail (account != NULL, NULL);

  copy = g_new0 (StriaeAccount, 1);
  copy->name = g_strdup (account->name);
  copy->display_name = g_strdup (account->display_name);
  copy->role = account->role;
  copy->disabled = account->disabled;
  copy->created = account->created ? g_date_time_ref (account->created) : NULL;
  return copy;
}

void
striae_account_free (StriaeAccount *account)
{
  if (account == NULL)
    return;

  g_free (account->name);
  g_free (account->display_name);
  g_clear_pointer (&account->created, g_date_time_unref);
  g_free (account);
}

G_DEFINE_BOXED_TYPE (StriaeAccount, striae_account, striae_account_copy, striae_account_free)

static StriaeAccount *
account_from_row (const StriaeStoreAccountRow *row)
{
  StriaeAccount *account = g_new0 (StriaeAccount, 1);

  account->name = g_strdup (row->name);
  account->display_name = g_strdup (row->display_name);
  if (!striae_staff_role_from_string (row->role, &account->role))
    account->role = STRIAE_STAFF_ROLE_ASSISTANT;
  account->disabled = row->disabled;
  account->created = row->created ? g_date_time_ref (row->created) : NULL;
  return account;
}

/* The store's state */

void
store_accounts_init (StriaeStore *self)
{
  g_mutex_init (&self->account_lock);
  self->unknown_tries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                               unknown_tries_free);
  self->accounts_start = -1;
}

void
store_accounts_clear (StriaeStore *self)
{
  g_clear_pointer (&self->account, striae_account_free);
  g_clear_pointer (&self->login_account, striae_account_free);
  g_clear_pointer (&self->session_login, g_free);
  g_clear_pointer (&self->display_names, g_hash_table_unref);
  g_clear_pointer (&self->login_group, g_free);
  g_clear_pointer (&self->unknown_tries, g_hash_table_unref);
  g_clear_pointer (&self->dummy_hash, g_free);
  g_mutex_clear (&self->account_lock);
}

static void
set_account (StriaeStore   *self,
             StriaeAccount *account)
{
  g_mutex_lock (&self->account_lock);
  g_clear_pointer (&self->account, striae_account_free);
  self->account = account;
  self->signature_confirmed = FALSE;
  self->reading_as = FALSE;
  g_mutex_unlock (&self->account_lock);
}

/* Whether the file has any account, read from the records (under the backend's lock). */
static gboolean
read_has_accounts (StriaeStore  *self,
                   gboolean     *has,
                   GError      **error)
{
  g_autoptr(GPtrArray) accounts = NULL;

  *has = FALSE;
  if (!striae_store_backend_has_accounts (self->backend))
    return TRUE;

  striae_store_backend_lock (self->backend);
  accounts = striae_store_backend_list_accounts (self->backend, error);
  striae_store_backend_unlock (self->backend);
  if (accounts == NULL)
    return FALSE;

  *has = accounts->len > 0;
  return TRUE;
}

static StriaeStaffRole right_get_role (StriaeRight right);
static void set_not_allowed (GError          **error,
                             StriaeStaffRole   role,
                             StriaeRight       right);

static gboolean get_login_role (StriaeStore      *self,
                                StriaeStaffRole  *role,
                                gboolean         *known,
                                GError          **error);

/* On a clinic server: the login, and a staff login as an account, from the server's
 * account list (its display name is the login's comment there, or its name). */
static gboolean
load_login_account (StriaeStore  *self,
                    GError      **error)
{
  g_autofree char *login = striae_store_backend_dup_session_login (self->backend);
  g_autoptr(GPtrArray) logins = NULL;
  StriaeAccount *account = NULL;

  if (login == NULL)
    return TRUE;

  striae_store_backend_lock (self->backend);
  logins = striae_store_backend_list_logins (self->backend, error);
  striae_store_backend_unlock (self->backend);
  if (logins == NULL)
    return FALSE;

  for (guint i = 0; i < logins->len && account == NULL; i++)
    {
      const StriaeStoreAccountRow *row = g_ptr_array_index (logins, i);

      if (g_strcmp0 (row->name, login) == 0)
        account = account_from_row (row);
    }

  g_mutex_lock (&self->account_lock);
  g_free (self->session_login);
  self->session_login = g_steal_pointer (&login);
  g_clear_pointer (&self->login_account, striae_account_free);
  self->login_account = account;
  g_mutex_unlock (&self->account_lock);
  return TRUE;
}

/* Reads whether the file has accounts, and where they began in the audit log, so that
 * neither needs the backend's lock later (an export reads them while it holds it); on a
 * server, the login's group, so that a write while the server is gone (which keeps a draft
 * on this computer) need not ask it. */
gboolean
store_accounts_load (StriaeStore  *self,
                     GError      **error)
{
  g_autofree char *text = NULL;
  gint64 start = -1;
  gboolean has;

  if (!striae_store_backend_has_accounts (self->backend))
    {
      StriaeStaffRole role;
      gboolean known;

      return get_login_role (self, &role, &known, error) && load_login_account (self, error);
    }

  if (!read_has_accounts (self, &has, error))
    return FALSE;

  if (has)
    {
      gboolean ok;

      striae_store_backend_lock (self->backend);
      ok = striae_store_backend_get_setting (self->backend, ACCOUNTS_BEFORE_KEY, &text,
                                             error);
      striae_store_backend_unlock (self->backend);
      if (!ok)
        return FALSE;
      if (text == NULL || !g_ascii_string_to_signed (text, 10, 0, G_MAXINT64, &start, NULL))
        start = -1;
    }

  g_mutex_lock (&self->account_lock);
  self->has_accounts = has;
  self->accounts_start = start;
  g_mutex_unlock (&self->account_lock);
  return TRUE;
}

char *
store_dup_account_actor (StriaeStore *self)
{
  char *actor = NULL;

  /* On a clinic server, the login: the server writes the same into the row itself
   * (striae-pg-roles.c), so that the seal holds and no client can name someone else. */
  g_mutex_lock (&self->account_lock);
  if (self->account != NULL)
    actor = g_strconcat (ACTOR_PREFIX, self->account->name, NULL);
  else if (self->session_login != NULL)
    actor = g_strconcat (ACTOR_PREFIX, self->session_login, NULL);
  g_mutex_unlock (&self->account_lock);
  return actor;
}

/* Who signs a consultation: the signed-in account's display name (on a clinic server, the
 * login's), or else the name the caller gives (a store without accounts), stripped; "" for
 * none. */
char *
store_dup_signer (StriaeStore *self,
                  const char  *practitioner)
{
  char *name = NULL;

  g_mutex_lock (&self->account_lock);
  if (self->account != NULL)
    name = g_strdup (self->account->display_name);
  else if (self->login_account != NULL)
    name = g_strdup (self->login_account->display_name);
  g_mutex_unlock (&self->account_lock);

  return g_strstrip (name != NULL ? name : g_strdup (practitioner ? practitioner : ""));
}

static GDateTime *
store_now (StriaeStore *self)
{
  if (self->clock != NULL)
    return self->clock (self->clock_data);
  return g_date_time_new_now_utc ();
}

/**
 * striae_store_set_clock_for_testing:
 * @clock: (nullable): gives the time now; %NULL for the real clock
 *
 * Lets a test move time on for the wait after wrong passwords instead of sleeping.
 */
void
striae_store_set_clock_for_testing (StriaeStore      *self,
                                    StriaeStoreClock  clock,
                                    gpointer          data)
{
  g_return_if_fail (STRIAE_IS_STORE (self));

  self->clock = clock;
  self->clock_data = data;
}

/* Checks and hashes */

static gboolean
init_sodium (GError **error)
{
  if (sodium_init () >= 0)
    return TRUE;

  g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FAILED,
                       _("Passwords cannot be checked: the cryptography library could not "
                         "start."));
  return FALSE;
}

static char *
hash_password (const char  *password,
               GError     **error)
{
  char hash[crypto_pwhash_STRBYTES];

  if (!init_sodium (error))
    return NULL;

  if (crypto_pwhash_str (hash, password, strlen (password),
                         crypto_pwhash_OPSLIMIT_INTERACTIVE,
                         crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    {
      g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FAILED,
                           _("The password could not be stored: this computer is short of "
                             "memory. Close other programs and try again."));
      return NULL;
    }
  return g_strdup (hash);
}

static gboolean
verify_password (const char *hash,
                 const char *password)
{
  return crypto_pwhash_str_verify (hash, password, strlen (password)) == 0;
}

/**
 * striae_store_check_new_password:
 *
 * Returns: whether @password is long enough for an account
 *   (%STRIAE_ACCOUNT_PASSWORD_MIN_LENGTH characters), with a sentence in @error when not
 */
gboolean
striae_store_check_new_password (const char  *password,
                                 GError     **error)
{
  if (password == NULL || !g_utf8_validate (password, -1, NULL) ||
      g_utf8_strlen (password, -1) < STRIAE_ACCOUNT_PASSWORD_MIN_LENGTH)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
                   g_dngettext (GETTEXT_PACKAGE,
                                "A password needs at least %d character.",
                                "A password needs at least %d characters.",
                                STRIAE_ACCOUNT_PASSWORD_MIN_LENGTH),
                   STRIAE_ACCOUNT_PASSWORD_MIN_LENGTH);
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_name_char (gunichar c)
{
  return g_unichar_isalnum (c) || c == '.' || c == '-' || c == '_';
}

/**
 * striae_store_check_account_name:
 *
 * Returns: whether @name may name an account (1 to 64 letters, digits, '.', '-', '_'), with
 *   a sentence in @error when not
 */
gboolean
striae_store_check_account_name (const char  *name,
                                 GError     **error)
{
  glong length = name != NULL && g_utf8_validate (name, -1, NULL)
                 ? g_utf8_strlen (name, -1) : 0;

  for (const char *p = name; length > 0 && *p != '\0'; p = g_utf8_next_char (p))
    if (!is_name_char (g_utf8_get_char (p)))
      length = 0;

  if (length < 1 || length > NAME_MAX_LENGTH)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
                   _("An account’s name is 1 to %d letters, digits, dots, hyphens or "
                     "underscores, such as “m.dupont”."), NAME_MAX_LENGTH);
      return FALSE;
    }
  return TRUE;
}

/* The display name as stored: @display_name stripped, or the account's name for none. */
static char *
dup_display_name (const char  *name,
                  const char  *display_name,
                  GError     **error)
{
  g_autofree char *text = g_strstrip (g_strdup (display_name ? display_name : ""));

  if (!g_utf8_validate (text, -1, NULL) || g_utf8_strlen (text, -1) > DISPLAY_MAX_LENGTH ||
      strpbrk (text, "\t\r\n") != NULL)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
                   _("A display name is one line of at most %d characters, such as "
                     "“Dr Marie Dupont”."), DISPLAY_MAX_LENGTH);
      return NULL;
    }
  return text[0] != '\0' ? g_steal_pointer (&text) : g_strdup (name);
}

/* Backoff */

/* How long a name waits after @failures wrong passwords in a row: nothing for the first
 * STRIAE_ACCOUNT_FREE_TRIES, then 1, 2, 4 … seconds, at most STRIAE_ACCOUNT_MAX_WAIT. */
static gint64
wait_seconds (guint failures)
{
  guint n;

  if (failures < STRIAE_ACCOUNT_FREE_TRIES)
    return 0;
  n = failures - STRIAE_ACCOUNT_FREE_TRIES;
  return n >= 9 ? STRIAE_ACCOUNT_MAX_WAIT : MIN ((gint64) 1 << n, STRIAE_ACCOUNT_MAX_WAIT);
}

/* FALSE with @error set while @name must still wait after @failures, the last at @last. */
static gboolean
check_wait (const char  *name,
            guint        failures,
            GDateTime   *last,
            GDateTime   *now,
            GError     **error)
{
  g_autoptr(GDateTime) until = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *when = NULL;
  gint64 wait = wait_seconds (failures);

  if (wait == 0 || last == NULL)
    return TRUE;

  until = g_date_time_add_seconds (last, (gdouble) wait);
  if (g_date_time_compare (now, until) >= 0)
    return TRUE;

  local = g_date_time_to_local (until);
  when = g_date_time_format (local, "%H:%M:%S");
  g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_WAIT,
               _("Too many wrong passwords for “%s”: try again at %s."), name, when);
  return FALSE;
}

static void
set_wrong_password (GError **error)
{
  g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_SIGN_IN,
                       _("The name or the password is wrong. Check both and try again."));
}

static gboolean
check_keeps_accounts (StriaeStore  *self,
                      GError      **error)
{
  if (striae_store_backend_has_accounts (self->backend))
    return TRUE;

  g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_SUPPORTED,
                       _("On a clinic server, accounts are the server’s logins: ask its "
                         "administrator (striae --server-add-login)."));
  return FALSE;
}

static gboolean
update_account (StriaeStore                 *self,
                const StriaeStoreAccountRow *row,
                GError                     **error)
{
  gboolean found;
  gboolean ok;

  striae_store_backend_lock (self->backend);
  ok = striae_store_backend_begin (self->backend, error) &&
       striae_store_backend_update_account (self->backend, row, &found, error) &&
       striae_store_backend_commit (self->backend, error);
  if (!ok)
    striae_store_backend_rollback (self->backend);
  striae_store_backend_unlock (self->backend);
  return ok;
}

/* Writes what one try at a password left (the account's count, the audit row) in a
 * transaction of its own; @row NULL for a name that is no account. */
static gboolean
record_try (StriaeStore                 *self,
            const StriaeStoreAccountRow *row,
            StriaeAuditAction            action,
            const char                  *actor,
            const char                  *detail,
            GError                     **error)
{
  gboolean found;

  striae_store_backend_lock (self->backend);
  if (!striae_store_backend_begin (self->backend, error) ||
      (row != NULL &&
       !striae_store_backend_update_account (self->backend, row, &found, error)) ||
      !store_audit_append (self, action, actor, 0, 0, detail, error) ||
      !striae_store_backend_commit (self->backend, error))
    {
      striae_store_backend_rollback (self->backend);
      striae_store_backend_unlock (self->backend);
      return FALSE;
    }
  striae_store_backend_unlock (self->backend);
  return TRUE;
}

/* A failed try of @name: audited, and counted for its wait. @row is the account as read
 * (NULL: no such account). Always returns FALSE with @error set: @reason when given,
 * otherwise the audit's failure to be written. */
static gboolean
fail_try (StriaeStore           *self,
          const char            *name,
          StriaeStoreAccountRow *row,
          GDateTime             *now,
          gboolean               counted,
          const char            *detail,
          GError               **reason,
          GError               **error)
{
  g_autofree char *actor = g_strconcat (ACTOR_PREFIX, row ? row->name : name, NULL);
  g_autoptr(GError) local_error = NULL;

  if (counted && row != NULL)
    {
      row->failures++;
      g_clear_pointer (&row->last_failure, g_date_time_unref);
      row->last_failure = g_date_time_ref (now);
    }
  else if (counted)
    {
      g_autofree char *key = g_utf8_casefold (name, -1);
      StoreUnknownTries *tries;

      g_mutex_lock (&self->account_lock);
      if ((tries = g_hash_table_lookup (self->unknown_tries, key)) == NULL)
        {
          tries = g_new0 (StoreUnknownTries, 1);
          g_hash_table_insert (self->unknown_tries, g_steal_pointer (&key), tries);
        }
      tries->failures++;
      g_clear_pointer (&tries->last, g_date_time_unref);
      tries->last = g_date_time_ref (now);
      g_mutex_unlock (&self->account_lock);
    }

  if (!record_try (self, counted ? row : NULL, STRIAE_AUDIT_SIGN_IN_FAILED, actor, detail,
                   &local_error))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  g_propagate_error (error, g_steal_pointer (reason));
  return FALSE;
}

/* Checks @password for @name with every rule of a sign-in: the wait, the hash (the dummy
 * one for an unknown name), a disabled account. On failure the try is counted and audited.
 * On success the account's count is reset (and its hash made again when it was made with
 * lower costs); with @audit_success the "sign-in" row is written with that change, in one
 * transaction, and without it only a change is written. */
static StriaeStoreAccountRow *
attempt (StriaeStore        *self,
         const char         *name,
         const char         *password,
         gboolean            audit_success,
         GError            **error)
{
  gboolean changed = FALSE;
  g_autoptr(StriaeStoreAccountRow) row = NULL;
  g_autoptr(GDateTime) now = store_now (self);
  g_autoptr(GError) reason = NULL;
  g_autofree char *rehashed = NULL;
  g_autoptr(GDateTime) last = NULL;
  guint failures = 0;
  gboolean ok;

  if (!init_sodium (error))
    return NULL;

  striae_store_backend_lock (self->backend);
  ok = striae_store_backend_get_account (self->backend, name, &row, error);
  striae_store_backend_unlock (self->backend);
  if (!ok)
    return NULL;

  if (row != NULL)
    {
      failures = row->failures;
      last = row->last_failure ? g_date_time_ref (row->last_failure) : NULL;
    }
  else
    {
      g_autofree char *key = g_utf8_casefold (name, -1);
      StoreUnknownTries *tries;

      g_mutex_lock (&self->account_lock);
      if ((tries = g_hash_table_lookup (self->unknown_tries, key)) != NULL)
        {
          failures = tries->failures;
          last = tries->last ? g_date_time_ref (tries->last) : NULL;
        }
      g_mutex_unlock (&self->account_lock);
    }

  /* While a name waits, its password is not even checked. */
  if (!check_wait (row ? row->name : name, failures, last, now, &reason))
    {
      fail_try (self, name, row, now, FALSE, "waiting", &reason, error);
      return NULL;
    }

  if (row == NULL)
    {
      if (self->dummy_hash == NULL &&
          (self->dummy_hash = hash_password ("striae-no-such-account", error)) == NULL)
        return NULL;
      verify_password (self->dummy_hash, password);
      set_wrong_password (&reason);
      fail_try (self, name, NULL, now, TRUE, "unknown name", &reason, error);
      return NULL;
    }

  if (!verify_password (row->password_hash, password))
    {
      set_wrong_password (&reason);
      fail_try (self, name, row, now, TRUE, "wrong password", &reason, error);
      return NULL;
    }

  if (row->disabled)
    {
      g_set_error (&reason, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_SIGN_IN,
                   _("The account “%s” is disabled: an administrator can enable it "
                     "again."), row->name);
      fail_try (self, name, row, now, FALSE, "disabled", &reason, error);
      return NULL;
    }

  if (crypto_pwhash_str_needs_rehash (row->password_hash, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0 &&
      (rehashed = hash_password (password, NULL)) != NULL)
    {
      g_free (row->password_hash);
      row->password_hash = g_steal_pointer (&rehashed);
      changed = TRUE;
    }
  if (row->failures > 0 || row->last_failure != NULL)
    {
      row->failures = 0;
      g_clear_pointer (&row->last_failure, g_date_time_unref);
      changed = TRUE;
    }

  if (audit_success)
    {
      g_autofree char *actor = g_strconcat (ACTOR_PREFIX, row->name, NULL);

      if (!record_try (self, changed ? row : NULL, STRIAE_AUDIT_SIGN_IN, actor, NULL, error))
        return NULL;
    }
  else if (changed && !update_account (self, row, error))
    {
      return NULL;
    }
  return g_steal_pointer (&row);
}

/* Signing in */

/**
 * striae_store_has_accounts:
 *
 * Returns: whether the records have accounts of their own (a file with at least one; a
 *   clinic server's accounts are its logins, and this is %FALSE there)
 */
gboolean
striae_store_has_accounts (StriaeStore *self)
{
  gboolean has;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);

  g_mutex_lock (&self->account_lock);
  has = self->has_accounts;
  g_mutex_unlock (&self->account_lock);
  return has;
}

/**
 * striae_store_needs_setup:
 *
 * Returns: whether the first administrator's account must be made before anyone works with
 *   these records: a file without any account (new, or from before accounts). Never on a
 *   clinic server, whose logins are its accounts.
 */
gboolean
striae_store_needs_setup (StriaeStore *self)
{
  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);

  return striae_store_backend_has_accounts (self->backend) &&
         !striae_store_has_accounts (self);
}

/**
 * striae_store_count_entries_before_accounts:
 *
 * Returns: how many audit entries are "before accounts": while the records need setup,
 *   every entry so far (0 for new records, more for records kept before accounts, which a
 *   first administrator made now leaves attributed to "before accounts"); once they have
 *   accounts, those written before the first. 0 on a clinic server; -1 with @error set when
 *   the log cannot be read.
 */
gint64
striae_store_count_entries_before_accounts (StriaeStore  *self,
                                            GError      **error)
{
  g_auto(StriaeStoreAuditTail) tail = { 0 };
  gboolean ok;

  g_return_val_if_fail (STRIAE_IS_STORE (self), -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  if (!striae_store_backend_has_accounts (self->backend))
    return 0;
  if (striae_store_has_accounts (self))
    return MAX (striae_store_get_accounts_start (self), 0);

  striae_store_backend_lock (self->backend);
  ok = striae_store_backend_audit_get_tail (self->backend, 0, &tail, error);
  striae_store_backend_unlock (self->backend);
  return ok ? tail.last_number : -1;
}

/**
 * striae_store_create_first_admin:
 * @name: the account's name (letters, digits, '.', '-', '_'; unique whatever its case)
 * @display_name: (nullable): the name the clinic knows them by, which signs consultations
 *   (%NULL or "": @name)
 * @password: at least %STRIAE_ACCOUNT_PASSWORD_MIN_LENGTH characters
 *
 * Makes the first account, an administrator, and signs it in. Refused once the records have
 * any account. The audit log's rows written before it stay as they are and are named
 * "before accounts" from now on (striae_store_describe_actor()); an "accounts-start" row in
 * the new administrator's name marks where accounts began.
 */
gboolean
striae_store_create_first_admin (StriaeStore  *self,
                                 const char   *name,
                                 const char   *display_name,
                                 const char   *password,
                                 GError      **error)
{
  g_autoptr(StriaeStoreAccountRow) row = striae_store_account_row_new ();
  g_autoptr(GPtrArray) accounts = NULL;
  g_auto(StriaeStoreAuditTail) tail = { 0 };
  g_autofree char *before = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *actor = NULL;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_keeps_accounts (self, error) || !striae_store_check_account_name (name, error) ||
      (row->display_name = dup_display_name (name, display_name, error)) == NULL ||
      !striae_store_check_new_password (password, error) ||
      (row->password_hash = hash_password (password, error)) == NULL)
    return FALSE;

  row->name = g_strdup (name);
  row->role = g_strdup (striae_staff_role_to_string (STRIAE_STAFF_ROLE_ADMIN));
  row->created = store_now (self);
  actor = g_strconcat (ACTOR_PREFIX, name, NULL);

  striae_store_backend_lock (self->backend);
  if (!striae_store_backend_begin (self->backend, error) ||
      (accounts = striae_store_backend_list_accounts (self->backend, error)) == NULL)
    goto fail;

  if (accounts->len > 0)
    {
      g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_ALLOWED,
                           _("These records already have accounts: sign in, or ask an "
                             "administrator for an account."));
      goto fail;
    }

  /* Every row so far is before accounts, whoever it names. */
  if (!striae_store_backend_audit_get_tail (self->backend, 0, &tail, error))
    goto fail;
  before = g_strdup_printf ("%" G_GINT64_FORMAT, tail.last_number);
  detail = g_strdup_printf ("entries 1 to %" G_GINT64_FORMAT " before accounts; admin",
                            tail.last_number);
  if (!striae_store_backend_set_setting (self->backend, ACCOUNTS_BEFORE_KEY, before, error) ||
      !striae_store_backend_insert_account (self->backend, row, error) ||
      !store_audit_append (self, STRIAE_AUDIT_ACCOUNTS_START, actor, 0, 0, detail, error) ||
      !striae_store_backend_commit (self->backend, error))
    goto fail;
  striae_store_backend_unlock (self->backend);

  g_mutex_lock (&self->account_lock);
  self->has_accounts = TRUE;
  self->accounts_start = tail.last_number;
  g_mutex_unlock (&self->account_lock);
  set_account (self, account_from_row (row));
  return TRUE;

fail:
  striae_store_backend_rollback (self->backend);
  striae_store_backend_unlock (self->backend);
  return FALSE;
}

/**
 * striae_store_sign_in:
 * @name: the account's name, in any case
 * @password: its password
 *
 * Signs @name in: from now on the audit log names the account on every row written through
 * this store, and striae_store_may() answers for its role. Whoever was signed in is signed
 * out first, even when this fails. The sign-in is audited ("sign-in", in the account's
 * name); when that row cannot be written, nobody is signed in.
 *
 * After %STRIAE_ACCOUNT_FREE_TRIES wrong passwords in a row for a name, each further try
 * is refused without checking the password until 2^(n - 3) seconds (at most
 * %STRIAE_ACCOUNT_MAX_WAIT) have passed since the last wrong one
 * (%STRIAE_STORE_ERROR_WAIT, with the time to try again). Every failure is audited as
 * "sign-in-failed" in the name tried.
 *
 * Returns: %FALSE with %STRIAE_STORE_ERROR_SIGN_IN for a wrong name or password or a
 *   disabled account, %STRIAE_STORE_ERROR_WAIT while the name must wait
 */
gboolean
striae_store_sign_in (StriaeStore  *self,
                      const char   *name,
                      const char   *password,
                      GError      **error)
{
  return striae_store_sign_in_full (self, name, password, STRIAE_SIGN_IN_FLAGS_NONE, error);
}

/**
 * striae_store_sign_in_full:
 * @flags: with %STRIAE_SIGN_IN_FLAGS_AUDIT_LATER, the "sign-in" row is written by
 *   striae_store_audit_sign_in() once the caller has read what it must read first
 *
 * As striae_store_sign_in().
 */
gboolean
striae_store_sign_in_full (StriaeStore        *self,
                           const char         *name,
                           const char         *password,
                           StriaeSignInFlags   flags,
                           GError            **error)
{
  g_autoptr(StriaeStoreAccountRow) row = NULL;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  set_account (self, NULL);
  if (!check_keeps_accounts (self, error))
    return FALSE;

  if (name == NULL || name[0] == '\0' || !g_utf8_validate (name, -1, NULL))
    {
      g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_SIGN_IN,
                           _("Type the name of your account."));
      return FALSE;
    }

  row = attempt (self, name, password ? password : "",
                 (flags & STRIAE_SIGN_IN_FLAGS_AUDIT_LATER) == 0, error);
  if (row == NULL)
    return FALSE;

  set_account (self, account_from_row (row));
  return TRUE;
}

/**
 * striae_store_read_as:
 * @name: an account of these records, in any case
 *
 * For records opened with %STRIAE_STORE_OPEN_FLAGS_READ_ONLY only, through which nothing can
 * be written: lets this store read them (%STRIAE_RIGHT_READ, no other right) in the role of
 * account @name, without its password. It is for a command that reads ahead while the same
 * account's password is checked on another store of the same records (striae_store_sign_in()
 * there, the day's batch of issue 15): nothing read this way may leave the process, be
 * written or be shown before that check has passed. Nothing is audited here; the sign-in on
 * the other store is, as always, and so is a wrong password there.
 *
 * Whoever this store read as before is forgotten first, even when this fails.
 *
 * Returns: %FALSE with @error set when the records have no accounts (a clinic server) or
 *   @name is no enabled account
 */
gboolean
striae_store_read_as (StriaeStore  *self,
                      const char   *name,
                      GError      **error)
{
  g_autoptr(StriaeStoreAccountRow) row = NULL;
  StriaeAccount *account;
  gboolean ok;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Records this store can write are never read without a password. */
  g_return_val_if_fail (self->read_only, FALSE);

  set_account (self, NULL);
  if (!check_keeps_accounts (self, error))
    return FALSE;

  striae_store_backend_lock (self->backend);
  ok = striae_store_backend_get_account (self->backend, name, &row, error);
  striae_store_backend_unlock (self->backend);
  if (!ok)
    return FALSE;
  if (row == NULL || row->disabled)
    {
      set_wrong_password (error);
      return FALSE;
    }

  account = account_from_row (row);
  g_mutex_lock (&self->account_lock);
  g_clear_pointer (&self->account, striae_account_free);
  self->account = account;
  self->signature_confirmed = FALSE;
  self->reading_as = TRUE;
  g_mutex_unlock (&self->account_lock);
  return TRUE;
}

/**
 * striae_store_audit_sign_in:
 *
 * Writes the "sign-in" row of the account signed in with
 * %STRIAE_SIGN_IN_FLAGS_AUDIT_LATER.
 */
gboolean
striae_store_audit_sign_in (StriaeStore  *self,
                            GError      **error)
{
  g_autofree char *actor = NULL;
  gboolean ok;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if ((actor = store_dup_account_actor (self)) == NULL)
    {
      g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_ALLOWED,
                           _("No one is signed in: sign in first."));
      return FALSE;
    }

  striae_store_backend_lock (self->backend);
  ok = striae_store_backend_begin (self->backend, error) &&
       store_audit_append (self, STRIAE_AUDIT_SIGN_IN, actor, 0, 0, NULL, error) &&
       striae_store_backend_commit (self->backend, error);
  if (!ok)
    striae_store_backend_rollback (self->backend);
  striae_store_backend_unlock (self->backend);
  return ok;
}

/**
 * striae_store_sign_out:
 *
 * Signs the account out: from now on writes are refused until someone signs in.
 */
void
striae_store_sign_out (StriaeStore *self)
{
  g_return_if_fail (STRIAE_IS_STORE (self));

  set_account (self, NULL);
}

/* On a clinic server the login is the account: its password is the server's to check. A
 * refusal is audited like a wrong password for an account. */
static gboolean
check_login_password (StriaeStore  *self,
                      const char   *password,
                      GError      **error)
{
  g_autoptr(GError) refusal = NULL;
  g_autofree char *login = NULL;
  g_autofree char *actor = NULL;

  if (striae_store_backend_check_login_password (self->backend, password, &refusal))
    return TRUE;
  if (!g_error_matches (refusal, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_SIGN_IN))
    {
      g_propagate_error (error, g_steal_pointer (&refusal));
      return FALSE;
    }

  login = striae_store_backend_dup_login_name (self->backend);
  actor = g_strconcat (ACTOR_PREFIX, login ? login : "", NULL);
  if (!record_try (self, NULL, STRIAE_AUDIT_SIGN_IN_FAILED, actor, "password", error))
    return FALSE;
  g_propagate_error (error, g_steal_pointer (&refusal));
  return FALSE;
}

/**
 * striae_store_dup_login_name:
 *
 * Returns: (transfer full) (nullable): on a clinic server whose login needed a password,
 *   the login these records were opened as (its accounts are its logins, and
 *   striae_store_check_password() asks the server for its password); %NULL for a file, or
 *   for a login the server lets in without a password
 */
char *
striae_store_dup_login_name (StriaeStore *self)
{
  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);

  return striae_store_backend_dup_login_name (self->backend);
}

/**
 * striae_store_check_password:
 * @password: the password typed again
 *
 * Asks the signed-in account for its password again (sign-off, the lock): the same rules
 * as striae_store_sign_in() (the wait, the audit of each failure). The account stays signed
 * in either way. On a clinic server, the login's password, checked by the server on a
 * connection of its own (%STRIAE_STORE_ERROR_NOT_SUPPORTED when the server asks this login
 * for none: trust or peer authentication).
 */
gboolean
striae_store_check_password (StriaeStore  *self,
                             const char   *password,
                             GError      **error)
{
  g_autoptr(StriaeStoreAccountRow) row = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!striae_store_backend_has_accounts (self->backend))
    return check_login_password (self, password ? password : "", error);

  g_mutex_lock (&self->account_lock);
  name = self->account ? g_strdup (self->account->name) : NULL;
  g_mutex_unlock (&self->account_lock);
  if (name == NULL)
    {
      g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_ALLOWED,
                           _("No one is signed in: sign in first."));
      return FALSE;
    }

  /* The rows of a failed check name the account because it is still signed in. A right
   * password is no new sign-in: what it confirms (a signature) is audited by itself. */
  row = attempt (self, name, password ? password : "", FALSE, error);
  return row != NULL;
}

/**
 * striae_store_confirm_signature:
 * @password: the signed-in account's password, typed again to sign
 *
 * The electronic signature of the window's sign-off: checks @password as
 * striae_store_check_password() does (the wait, the audit of a failure) and, when it is
 * right, lets the next signature of this store say so in its audit entry ("password
 * given"). That holds for one signature only, and ends when the account signs out.
 */
gboolean
striae_store_confirm_signature (StriaeStore  *self,
                                const char   *password,
                                GError      **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!striae_store_check_password (self, password, error))
    return FALSE;

  g_mutex_lock (&self->account_lock);
  self->signature_confirmed = self->account != NULL || self->login_account != NULL;
  g_mutex_unlock (&self->account_lock);
  return TRUE;
}

/**
 * striae_store_signs_with_password:
 *
 * Returns: whether a signature in the window asks for the password first
 *   (striae_store_confirm_signature()): on records with accounts once someone is signed in,
 *   and always for a staff login of a clinic server, whose display name signs (a server that
 *   lets the login in without a password refuses the signature then, with a sentence). A
 *   file without accounts signs in the name typed, as before accounts, and so does clinic
 *   IT's owner login on a server, which is no staff account.
 */
gboolean
striae_store_signs_with_password (StriaeStore *self)
{
  gboolean signs;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);

  g_mutex_lock (&self->account_lock);
  signs = (self->has_accounts && self->account != NULL) || self->login_account != NULL;
  g_mutex_unlock (&self->account_lock);
  return signs;
}

/* Whether the next signature was confirmed with the password; asking uses it up. */
gboolean
store_take_signature_confirmed (StriaeStore *self)
{
  gboolean confirmed;

  g_mutex_lock (&self->account_lock);
  confirmed = self->signature_confirmed &&
              (self->account != NULL || self->login_account != NULL);
  self->signature_confirmed = FALSE;
  g_mutex_unlock (&self->account_lock);
  return confirmed;
}

/**
 * striae_store_check_account:
 * @name: the account's name, in any case
 * @password: its password
 * @right: what the account is about to do
 *
 * Checks, with every rule of striae_store_sign_in() (the wait, the audit of each failure),
 * that @name has @password and may do @right, without signing it in and without a
 * "sign-in" row. Only for a command that replaces these records as a whole (a restore):
 * a sign-in row written before it would change records that a refused restore must leave
 * as they were, and vanish with them when it succeeds. Whoever was signed in stays so.
 *
 * Returns: %FALSE with %STRIAE_STORE_ERROR_SIGN_IN or %STRIAE_STORE_ERROR_WAIT as for a
 *   sign-in, or %STRIAE_STORE_ERROR_NOT_ALLOWED when the account's role may not do @right
 */
gboolean
striae_store_check_account (StriaeStore  *self,
                            const char   *name,
                            const char   *password,
                            StriaeRight   right,
                            GError      **error)
{
  g_autoptr(StriaeStoreAccountRow) row = NULL;
  StriaeStaffRole role;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_keeps_accounts (self, error))
    return FALSE;
  if (name == NULL || name[0] == '\0' || !g_utf8_validate (name, -1, NULL))
    {
      g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_SIGN_IN,
                           _("Type the name of your account."));
      return FALSE;
    }

  row = attempt (self, name, password ? password : "", FALSE, error);
  if (row == NULL)
    return FALSE;

  if (!striae_staff_role_from_string (row->role, &role))
    role = STRIAE_STAFF_ROLE_ASSISTANT;
  if (role >= right_get_role (right))
    return TRUE;
  set_not_allowed (error, role, right);
  return FALSE;
}

gboolean
striae_store_is_signed_in (StriaeStore *self)
{
  gboolean signed_in;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);

  g_mutex_lock (&self->account_lock);
  signed_in = self->account != NULL;
  g_mutex_unlock (&self->account_lock);
  return signed_in;
}

/**
 * striae_store_get_account_name:
 *
 * Returns: (nullable): the signed-in account's name; valid until it signs out (call from
 *   the thread that signs in and out)
 */
const char *
striae_store_get_account_name (StriaeStore *self)
{
  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);

  return self->account ? self->account->name : NULL;
}

/**
 * striae_store_get_account_display_name:
 *
 * Returns: (nullable): the signed-in account's display name, as it signs (on a clinic
 *   server, the login's, from the server's account list); as
 *   striae_store_get_account_name()
 */
const char *
striae_store_get_account_display_name (StriaeStore *self)
{
  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);

  if (self->account != NULL)
    return self->account->display_name;
  return self->login_account ? self->login_account->display_name : NULL;
}

static gboolean
role_from_group (const char      *group,
                 StriaeStaffRole *role)
{
  for (StriaeStaffRole r = STRIAE_STAFF_ROLE_ASSISTANT; r <= STRIAE_STAFF_ROLE_ADMIN; r++)
    if (g_strcmp0 (group, striae_staff_role_get_group (r)) == 0)
      {
        *role = r;
        return TRUE;
      }
  return FALSE;
}

/* On a server: the role of its login, asked once (@known FALSE on a server without
 * Striae's groups). */
static gboolean
get_login_role (StriaeStore      *self,
                StriaeStaffRole  *role,
                gboolean         *known,
                GError          **error)
{
  g_autofree char *group = NULL;

  g_mutex_lock (&self->account_lock);
  if (self->login_group_known)
    {
      *known = role_from_group (self->login_group, role);
      g_mutex_unlock (&self->account_lock);
      return TRUE;
    }
  g_mutex_unlock (&self->account_lock);

  striae_store_backend_lock (self->backend);
  if (!striae_store_backend_dup_login_group (self->backend, &group, error))
    {
      striae_store_backend_unlock (self->backend);
      return FALSE;
    }
  striae_store_backend_unlock (self->backend);

  g_mutex_lock (&self->account_lock);
  g_free (self->login_group);
  self->login_group = g_strdup (group);
  self->login_group_known = TRUE;
  g_mutex_unlock (&self->account_lock);

  *known = role_from_group (group, role);
  return TRUE;
}

/**
 * striae_store_get_role:
 * @role: (out): the role of whoever works with the records
 *
 * Returns: %FALSE when no role applies: no one signed in on a file, or a clinic server
 *   without Striae's groups (or whose groups cannot be read now)
 */
gboolean
striae_store_get_role (StriaeStore     *self,
                       StriaeStaffRole *role)
{
  gboolean known = FALSE;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (role != NULL, FALSE);

  if (!striae_store_backend_has_accounts (self->backend))
    return get_login_role (self, role, &known, NULL) && known;

  g_mutex_lock (&self->account_lock);
  if (self->account != NULL)
    {
      *role = self->account->role;
      known = TRUE;
    }
  g_mutex_unlock (&self->account_lock);
  return known;
}

/* Rights */

static StriaeStaffRole
right_get_role (StriaeRight right)
{
  switch (right)
    {
    case STRIAE_RIGHT_READ:
    case STRIAE_RIGHT_PATIENTS:
    case STRIAE_RIGHT_SHEETS:
    case STRIAE_RIGHT_SCHEDULE:
      return STRIAE_STAFF_ROLE_ASSISTANT;
    case STRIAE_RIGHT_CONSULTATIONS:
    case STRIAE_RIGHT_SIGN:
    case STRIAE_RIGHT_AMEND:
    case STRIAE_RIGHT_DISCARD:
    case STRIAE_RIGHT_AUDIT:
    case STRIAE_RIGHT_CANCEL_SESSION:
      return STRIAE_STAFF_ROLE_PRACTITIONER;
    case STRIAE_RIGHT_CLINIC:
    case STRIAE_RIGHT_ACCOUNTS:
    case STRIAE_RIGHT_ARCHIVE:
    case STRIAE_RIGHT_ERASE:
    case STRIAE_RIGHT_TRANSFER:
    default:
      return STRIAE_STAFF_ROLE_ADMIN;
    }
}

/* What @right lets one do, to end "may not …". */
static const char *
right_describe (StriaeRight right)
{
  switch (right)
    {
    case STRIAE_RIGHT_READ:
      return _("read the records");
    case STRIAE_RIGHT_PATIENTS:
      return _("change patients’ details");
    case STRIAE_RIGHT_SHEETS:
      return _("print or export sheets");
    case STRIAE_RIGHT_CONSULTATIONS:
      return _("change a consultation’s history, skin, areas or plan");
    case STRIAE_RIGHT_SIGN:
      return _("sign consultations");
    case STRIAE_RIGHT_AMEND:
      return _("amend signed consultations");
    case STRIAE_RIGHT_DISCARD:
      return _("discard drafts");
    case STRIAE_RIGHT_AUDIT:
      return _("read the audit log");
    case STRIAE_RIGHT_CLINIC:
      return _("change the clinic’s settings, rules or sheets");
    case STRIAE_RIGHT_ACCOUNTS:
      return _("manage accounts");
    case STRIAE_RIGHT_ARCHIVE:
      return _("archive patients or bring them back");
    case STRIAE_RIGHT_ERASE:
      return _("erase patients");
    case STRIAE_RIGHT_SCHEDULE:
      return _("move scheduled sessions or mark them missed");
    case STRIAE_RIGHT_CANCEL_SESSION:
      return _("cancel scheduled sessions");
    case STRIAE_RIGHT_TRANSFER:
    default:
      return _("export, import or back up records");
    }
}

static void
set_not_allowed (GError          **error,
                 StriaeStaffRole   role,
                 StriaeRight       right)
{
  const char *what = right_describe (right);

  /* TRANSLATORS: %s is what is refused, such as “sign consultations” */
  if (right_get_role (right) == STRIAE_STAFF_ROLE_PRACTITIONER)
    g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_ALLOWED,
                 _("An assistant may not %s: ask a practitioner or an administrator."), what);
  else if (role == STRIAE_STAFF_ROLE_ASSISTANT)
    /* TRANSLATORS: %s is what is refused, such as “manage accounts” */
    g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_ALLOWED,
                 _("An assistant may not %s: ask an administrator."), what);
  else
    /* TRANSLATORS: %s is what is refused, such as “manage accounts” */
    g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_ALLOWED,
                 _("A practitioner may not %s: ask an administrator."), what);
}

static gboolean
is_reading_as (StriaeStore *self)
{
  gboolean reading;

  g_mutex_lock (&self->account_lock);
  reading = self->reading_as;
  g_mutex_unlock (&self->account_lock);
  return reading;
}

/**
 * striae_store_may:
 * @right: what is about to be done
 *
 * Whether whoever works with the records may do @right (see StriaeRight and the roles at
 * the top of the accounts' part of striae-store.h). Every write of the records layer asks
 * this first. On a file without accounts, anyone may (see striae_store_needs_setup()); on
 * one with accounts, no one until someone signs in. On a clinic server, the login's group
 * decides, as the server's own grants do.
 *
 * Returns: %FALSE with %STRIAE_STORE_ERROR_NOT_ALLOWED (one sentence naming the role and
 *   who may) when not
 */
gboolean
striae_store_may (StriaeStore  *self,
                  StriaeRight   right,
                  GError      **error)
{
  StriaeStaffRole role = STRIAE_STAFF_ROLE_ASSISTANT;
  gboolean known = FALSE;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!striae_store_backend_has_accounts (self->backend))
    {
      if (!get_login_role (self, &role, &known, error))
        return FALSE;
      if (!known)
        return TRUE;
    }
  else
    {
      /* Records opened without accounts stay so for this store, even when another process
       * (striae --init) makes the first account meanwhile: the window shows its setup page
       * for them, whose striae_store_create_first_admin() refuses then. */
      if (!striae_store_has_accounts (self))
        return TRUE;
      if (right != STRIAE_RIGHT_READ && is_reading_as (self))
        {
          g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_ALLOWED,
                               _("No one is signed in: sign in first."));
          return FALSE;
        }
      if (!striae_store_get_role (self, &role))
        {
          g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_ALLOWED,
                               _("No one is signed in: sign in first."));
          return FALSE;
        }
    }

  if (role >= right_get_role (right))
    return TRUE;

  set_not_allowed (error, role, right);
  return FALSE;
}

/* Administration */

/* Changes account @name in a transaction: @change edits the row read (returns FALSE with
 * @error set to refuse), then the row is written and @detail audited. */
typedef gboolean (*AccountChange) (StriaeStoreAccountRow *row,
                                   gconstpointer          data,
                                   GError               **error);

static gboolean
is_enabled_admin (const StriaeStoreAccountRow *row)
{
  return !row->disabled &&
         g_strcmp0 (row->role, striae_staff_role_to_string (STRIAE_STAFF_ROLE_ADMIN)) == 0;
}

/* Refuses a change that leaves no enabled administrator. */
static gboolean
check_admin_left (StriaeStore                 *self,
                  const StriaeStoreAccountRow *changed,
                  GError                     **error)
{
  g_autoptr(GPtrArray) accounts = NULL;

  if (is_enabled_admin (changed))
    return TRUE;

  if ((accounts = striae_store_backend_list_accounts (self->backend, error)) == NULL)
    return FALSE;
  for (guint i = 0; i < accounts->len; i++)
    {
      const StriaeStoreAccountRow *other = g_ptr_array_index (accounts, i);

      if (g_ascii_strcasecmp (other->name, changed->name) != 0 && is_enabled_admin (other))
        return TRUE;
    }

  g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
               _("“%s” is the last administrator: make another account an administrator "
                 "first."), changed->name);
  return FALSE;
}

static gboolean
change_account (StriaeStore    *self,
                const char     *name,
                AccountChange   change,
                gconstpointer   data,
                const char     *detail,
                GError        **error)
{
  g_autoptr(StriaeStoreAccountRow) row = NULL;
  g_autofree char *full_detail = NULL;
  gboolean found = FALSE;

  if (!striae_store_may (self, STRIAE_RIGHT_ACCOUNTS, error) ||
      !check_keeps_accounts (self, error))
    return FALSE;

  striae_store_backend_lock (self->backend);
  if (!striae_store_backend_begin (self->backend, error) ||
      !striae_store_backend_get_account (self->backend, name ? name : "", &row, error))
    goto fail;

  if (row == NULL)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND,
                   _("There is no account named “%s”."), name ? name : "");
      goto fail;
    }

  full_detail = g_strdup_printf ("%s: %s", row->name, detail);
  if (!change (row, data, error) ||
      !check_admin_left (self, row, error) ||
      !striae_store_backend_update_account (self->backend, row, &found, error) ||
      !store_audit_append (self, STRIAE_AUDIT_ACCOUNT_CHANGE, NULL, 0, 0, full_detail,
                           error) ||
      !striae_store_backend_commit (self->backend, error))
    goto fail;
  striae_store_backend_unlock (self->backend);

  /* The signed-in account's own role or state may have changed. */
  g_mutex_lock (&self->account_lock);
  if (self->account != NULL && g_ascii_strcasecmp (self->account->name, row->name) == 0)
    {
      striae_account_free (self->account);
      self->account = row->disabled ? NULL : account_from_row (row);
    }
  g_mutex_unlock (&self->account_lock);
  return TRUE;

fail:
  striae_store_backend_rollback (self->backend);
  striae_store_backend_unlock (self->backend);
  return FALSE;
}

/**
 * striae_store_list_accounts:
 *
 * Returns: (transfer container) (element-type StriaeAccount): every account by name, for an
 *   administrator (never a password or its hash): on a clinic server its logins in Striae's
 *   groups, whose role and display name the server keeps (striae_store_keeps_accounts() is
 *   %FALSE there: only a password can be reset from Striae); %NULL with @error set
 */
GPtrArray *
striae_store_list_accounts (StriaeStore  *self,
                            GError      **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  GPtrArray *accounts;

  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!striae_store_may (self, STRIAE_RIGHT_ACCOUNTS, error))
    return NULL;

  /* On a clinic server, its staff logins (and this login). */
  striae_store_backend_lock (self->backend);
  rows = striae_store_backend_has_accounts (self->backend)
         ? striae_store_backend_list_accounts (self->backend, error)
         : striae_store_backend_list_logins (self->backend, error);
  striae_store_backend_unlock (self->backend);
  if (rows == NULL)
    return NULL;

  accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) striae_account_free);
  for (guint i = 0; i < rows->len; i++)
    g_ptr_array_add (accounts, account_from_row (g_ptr_array_index (rows, i)));
  return accounts;
}

/**
 * striae_store_add_account:
 * @display_name: (nullable): as for striae_store_create_first_admin()
 *
 * Adds an account (administrators only; audited as "account-add").
 */
gboolean
striae_store_add_account (StriaeStore      *self,
                          const char       *name,
                          const char       *display_name,
                          StriaeStaffRole   role,
                          const char       *password,
                          GError          **error)
{
  g_autoptr(StriaeStoreAccountRow) row = striae_store_account_row_new ();
  g_autoptr(StriaeStoreAccountRow) taken = NULL;
  g_autofree char *detail = NULL;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (role <= STRIAE_STAFF_ROLE_ADMIN, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!striae_store_may (self, STRIAE_RIGHT_ACCOUNTS, error) ||
      !check_keeps_accounts (self, error) ||
      !striae_store_check_account_name (name, error) ||
      (row->display_name = dup_display_name (name, display_name, error)) == NULL ||
      !striae_store_check_new_password (password, error))
    return FALSE;

  if (!striae_store_has_accounts (self))
    {
      g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_ALLOWED,
                           _("Make the administrator’s account first."));
      return FALSE;
    }

  if ((row->password_hash = hash_password (password, error)) == NULL)
    return FALSE;
  row->name = g_strdup (name);
  row->role = g_strdup (striae_staff_role_to_string (role));
  row->created = store_now (self);
  detail = g_strdup_printf ("%s: %s", name, row->role);

  striae_store_backend_lock (self->backend);
  if (!striae_store_backend_begin (self->backend, error) ||
      !striae_store_backend_get_account (self->backend, name, &taken, error))
    goto fail;
  if (taken != NULL)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_CONFLICT,
                   _("There is already an account named “%s”: choose another name."),
                   taken->name);
      goto fail;
    }
  if (!striae_store_backend_insert_account (self->backend, row, error) ||
      !store_audit_append (self, STRIAE_AUDIT_ACCOUNT_ADD, NULL, 0, 0, detail, error) ||
      !striae_store_backend_commit (self->backend, error))
    goto fail;
  striae_store_backend_unlock (self->backend);
  return TRUE;

fail:
  striae_store_backend_rollback (self->backend);
  striae_store_backend_unlock (self->backend);
  return FALSE;
}

static gboolean
change_password (StriaeStoreAccountRow  *row,
                 gconstpointer           data,
                 GError                **error)
{
  /* A reset also ends the wait after wrong passwords. */
  g_free (row->password_hash);
  row->password_hash = g_strdup (data);
  row->failures = 0;
  g_clear_pointer (&row->last_failure, g_date_time_unref);
  return TRUE;
}

/* On a clinic server, the login's new password goes to the server as a SCRAM verifier, in
 * the transaction of its audit row. */
static gboolean
reset_login_password (StriaeStore  *self,
                      const char   *name,
                      const char   *password,
                      GError      **error)
{
  g_autofree char *detail = g_strdup_printf ("%s: password reset", name ? name : "");
  gboolean ok;

  striae_store_backend_lock (self->backend);
  ok = striae_store_backend_begin (self->backend, error) &&
       striae_store_backend_set_login_password (self->backend, name ? name : "", password,
                                                error) &&
       store_audit_append (self, STRIAE_AUDIT_ACCOUNT_CHANGE, NULL, 0, 0, detail, error) &&
       striae_store_backend_commit (self->backend, error);
  if (!ok)
    striae_store_backend_rollback (self->backend);
  striae_store_backend_unlock (self->backend);
  return ok;
}

/**
 * striae_store_keeps_accounts:
 *
 * Returns: whether the records keep accounts of their own, which Striae adds and changes (a
 *   file); on a clinic server the accounts are its logins, made by clinic IT
 *   (striae --server-add-login), and Striae only resets their passwords
 */
gboolean
striae_store_keeps_accounts (StriaeStore *self)
{
  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);

  return striae_store_backend_has_accounts (self->backend);
}

/**
 * striae_store_reset_password:
 *
 * Gives account @name a new password (administrators only; audited as "account-change"),
 * and ends any wait after wrong passwords. On a clinic server, @name is a staff login: only
 * a SCRAM-SHA-256 verifier of @password, made on this computer, reaches the server.
 */
gboolean
striae_store_reset_password (StriaeStore  *self,
                             const char   *name,
                             const char   *password,
                             GError      **error)
{
  g_autofree char *hash = NULL;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!striae_store_backend_has_accounts (self->backend))
    return striae_store_may (self, STRIAE_RIGHT_ACCOUNTS, error) &&
           striae_store_check_new_password (password, error) &&
           reset_login_password (self, name, password, error);

  if (!striae_store_may (self, STRIAE_RIGHT_ACCOUNTS, error) ||
      !striae_store_check_new_password (password, error) ||
      (hash = hash_password (password, error)) == NULL)
    return FALSE;

  return change_account (self, name, change_password, hash, "password reset", error);
}

static gboolean
change_role (StriaeStoreAccountRow  *row,
             gconstpointer           data,
             GError                **error)
{
  g_free (row->role);
  row->role = g_strdup (data);
  return TRUE;
}

/**
 * striae_store_set_account_role:
 *
 * Gives account @name another role (administrators only; audited). The last enabled
 * administrator keeps theirs.
 */
gboolean
striae_store_set_account_role (StriaeStore      *self,
                               const char       *name,
                               StriaeStaffRole   role,
                               GError          **error)
{
  const char *text = striae_staff_role_to_string (role);
  g_autofree char *detail = g_strdup_printf ("role %s", text);

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return change_account (self, name, change_role, text, detail, error);
}

static gboolean
change_disabled (StriaeStoreAccountRow  *row,
                 gconstpointer           data,
                 GError                **error)
{
  row->disabled = GPOINTER_TO_INT (data);
  return TRUE;
}

/**
 * striae_store_set_account_disabled:
 *
 * Disables account @name (it can no longer sign in; its rows stay its own) or enables it
 * again (administrators only; audited). The last enabled administrator cannot be disabled.
 * Disabling the signed-in account signs it out.
 */
gboolean
striae_store_set_account_disabled (StriaeStore  *self,
                                   const char   *name,
                                   gboolean      disabled,
                                   GError      **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return change_account (self, name, change_disabled, GINT_TO_POINTER (disabled ? 1 : 0),
                         disabled ? "disabled" : "enabled", error);
}

/* Before accounts */

/**
 * striae_store_get_accounts_start:
 *
 * Returns: the number of the last audit entry written before the first account (0 when the
 *   log was empty then), -1 when the records have no accounts or cannot tell
 */
gint64
striae_store_get_accounts_start (StriaeStore *self)
{
  gint64 start;

  g_return_val_if_fail (STRIAE_IS_STORE (self), -1);

  g_mutex_lock (&self->account_lock);
  start = self->accounts_start;
  g_mutex_unlock (&self->account_lock);
  return start;
}

/* The display names of the accounts (on a clinic server, its logins), read once. */
static void
load_display_names (StriaeStore *self)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  GHashTable *names;

  striae_store_backend_lock (self->backend);
  rows = striae_store_backend_has_accounts (self->backend)
         ? striae_store_backend_list_accounts (self->backend, &error)
         : striae_store_backend_list_logins (self->backend, &error);
  striae_store_backend_unlock (self->backend);
  if (rows == NULL)
    {
      g_debug ("The display names of the accounts could not be read: %s", error->message);
      return;
    }

  names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < rows->len; i++)
    {
      const StriaeStoreAccountRow *row = g_ptr_array_index (rows, i);

      g_hash_table_insert (names, g_strdup (row->name), g_strdup (row->display_name));
    }

  g_mutex_lock (&self->account_lock);
  if (self->display_names == NULL)
    self->display_names = g_steal_pointer (&names);
  g_mutex_unlock (&self->account_lock);
  g_clear_pointer (&names, g_hash_table_unref);
}

/* "NAME (Display Name)", or NAME alone when its display name says nothing more or is not
 * known (an account since removed). */
static char *
dup_account_described (StriaeStore *self,
                       const char  *name)
{
  g_autofree char *display = NULL;
  gboolean loaded;

  g_mutex_lock (&self->account_lock);
  loaded = self->display_names != NULL;
  g_mutex_unlock (&self->account_lock);
  if (!loaded)
    load_display_names (self);

  g_mutex_lock (&self->account_lock);
  if (self->display_names != NULL)
    display = g_strdup (g_hash_table_lookup (self->display_names, name));
  g_mutex_unlock (&self->account_lock);

  if (display == NULL || display[0] == '\0' || g_strcmp0 (display, name) == 0)
    return g_strdup (name);
  /* TRANSLATORS: an audit entry's author: the account's name, then its display name,
   * e.g. "dr_roux (Dr Marie Roux)" */
  return g_strdup_printf (_("%s (%s)"), name, display);
}

/* An actor as a sentence names it, for code that holds the backend's lock (which reading
 * the display names would take again): an account's name without its prefix, with its
 * display name when the names were read already. */
char *
store_dup_actor_name (StriaeStore *self,
                      const char  *actor)
{
  const char *name;
  g_autofree char *display = NULL;

  if (actor == NULL || !g_str_has_prefix (actor, ACTOR_PREFIX))
    return g_strdup (actor ? actor : "");

  name = actor + strlen (ACTOR_PREFIX);
  g_mutex_lock (&self->account_lock);
  if (self->display_names != NULL)
    display = g_strdup (g_hash_table_lookup (self->display_names, name));
  g_mutex_unlock (&self->account_lock);
  if (display == NULL || display[0] == '\0' || g_strcmp0 (display, name) == 0)
    return g_strdup (name);
  return g_strdup_printf (_("%s (%s)"), name, display);
}

/**
 * striae_store_describe_actor:
 * @entry: the audit entry's number
 * @actor: its actor as stored
 *
 * Returns: (transfer full): the actor as a report shows it: "before accounts (@actor)" for
 *   an entry written before the first account, the account's name for an account's entry
 *   (on a clinic server, the login's) followed by its display name in brackets when that
 *   differs, @actor otherwise
 */
char *
striae_store_describe_actor (StriaeStore *self,
                             gint64       entry,
                             const char  *actor)
{
  gint64 start;

  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);

  start = striae_store_get_accounts_start (self);
  if (start >= 0 && entry <= start)
    /* TRANSLATORS: an audit entry's author from before Striae had accounts; %s is the
     * name written then */
    return g_strdup_printf (_("before accounts (%s)"), actor ? actor : "");
  if (actor != NULL && g_str_has_prefix (actor, ACTOR_PREFIX))
    return dup_account_described (self, actor + strlen (ACTOR_PREFIX));
  return g_strdup (actor ? actor : "");
}
