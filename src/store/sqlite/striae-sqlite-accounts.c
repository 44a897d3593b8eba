/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "striae-sqlite-private.h"

/* The accounts of a file (schema 11): the statements only. Who may sign in, the password
 * rules and the backoff are the records layer's (striae-store-accounts.c). */

#define ACCOUNT_COLUMNS \
  "name, display_name, role, password_hash, created, disabled, failures, last_failure"

static char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static GDateTime *
column_time (sqlite3_stmt *stmt,
             int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  return text != NULL ? striae_store_parse_timestamp (text) : NULL;
}

static StriaeStoreAccountRow *
account_from_row (sqlite3_stmt *stmt)
{
  StriaeStoreAccountRow *account = striae_store_account_row_new ();

  account->name = column_text (stmt, 0);
  account->display_name = column_text (stmt, 1);
  account->role = column_text (stmt, 2);
  account->password_hash = column_text (stmt, 3);
  account->created = column_time (stmt, 4);
  account->disabled = sqlite3_column_int (stmt, 5) != 0;
  account->failures = (guint) CLAMP (sqlite3_column_int64 (stmt, 6), 0, G_MAXUINT);
  account->last_failure = column_time (stmt, 7);
  return account;
}

gboolean
sqlite_get_account (StriaeSqliteBackend     *self,
                    const char              *name,
                    StriaeStoreAccountRow  **account,
                    GError                 **error)
{
  static const char sql[] = "SELECT " ACCOUNT_COLUMNS " FROM accounts WHERE name = ?1";
  sqlite3_stmt *stmt = sqlite_prepare (&self->main, sql, error);
  int rc;

  *account = NULL;
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *account = account_from_row (stmt);
  else if (rc != SQLITE_DONE)
    sqlite_set_error (error, self->path, self->main.db, rc);
  sqlite_statement_done (stmt);

  return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

GPtrArray *
sqlite_list_accounts (StriaeSqliteBackend  *self,
                      GError              **error)
{
  static const char sql[] = "SELECT " ACCOUNT_COLUMNS " FROM accounts ORDER BY name";
  g_autoptr(GPtrArray) accounts = NULL;
  sqlite3_stmt *stmt = sqlite_prepare (&self->main, sql, error);
  int rc;

  if (stmt == NULL)
    return NULL;

  accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) striae_store_account_row_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (accounts, account_from_row (stmt));
  if (rc != SQLITE_DONE)
    sqlite_set_error (error, self->path, self->main.db, rc);
  sqlite_statement_done (stmt);

  return rc == SQLITE_DONE ? g_steal_pointer (&accounts) : NULL;
}

static void
bind_time (sqlite3_stmt *stmt,
           int           column,
           GDateTime    *time)
{
  if (time != NULL)
    sqlite3_bind_text (stmt, column, striae_store_format_timestamp (time), -1, g_free);
  else
    sqlite3_bind_null (stmt, column);
}


gboolean
sqlite_insert_account (StriaeSqliteBackend          *self,
                       const StriaeStoreAccountRow  *account,
                       GError                      **error)
{
  static const char sql[] =
    "INSERT INTO accounts (" ACCOUNT_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
  sqlite3_stmt *stmt = sqlite_prepare (&self->main, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, account->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, account->display_name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, account->role, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, account->password_hash, -1, SQLITE_STATIC);
  bind_time (stmt, 5, account->created);
  sqlite3_bind_int (stmt, 6, account->disabled ? 1 : 0);
  sqlite3_bind_int64 (stmt, 7, account->failures);
  bind_time (stmt, 8, account->last_failure);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_CONSTRAINT &&
      sqlite3_extended_errcode (self->main.db) == SQLITE_CONSTRAINT_PRIMARYKEY)
    g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_CONFLICT,
                 _("There is already an account named “%s”: choose another name."),
                 account->name);
  else if (rc != SQLITE_DONE)
    sqlite_set_error (error, self->path, self->main.db, rc);
  sqlite_statement_done (stmt);

  return rc == SQLITE_DONE;
}

gboolean
sqlite_update_account (StriaeSqliteBackend          *self,
                       const StriaeStoreAccountRow  *account,
                       gboolean                     *found,
                       GError                      **error)
{
  static const char sql[] =
    "UPDATE accounts SET display_name = ?2, role = ?3, password_hash = ?4,"
    "  disabled = ?5, failures = ?6, last_failure = ?7"
    "  WHERE name = ?1";
  sqlite3_stmt *stmt = sqlite_prepare (&self->main, sql, error);
  int rc;

  *found = FALSE;
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, account->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, account->display_name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, account->role, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, account->password_hash, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 5, account->disabled ? 1 : 0);
  sqlite3_bind_int64 (stmt, 6, account->failures);
  bind_time (stmt, 7, account->last_failure);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    *found = sqlite3_changes (self->main.db) > 0;
  else
    sqlite_set_error (error, self->path, self->main.db, rc);
  sqlite_statement_done (stmt);

  return rc == SQLITE_DONE;
}
