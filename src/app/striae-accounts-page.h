/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "striae-store.h"

G_BEGIN_DECLS

#define STRIAE_TYPE_ACCOUNTS_PAGE (striae_accounts_page_get_type ())

/* Preferences → Accounts (issue 16), for administrators: the records' accounts, and adding
 * one, resetting a password, changing a role, disabling and enabling. On a clinic server,
 * whose accounts are its logins, it says how they are managed instead. */
G_DECLARE_FINAL_TYPE (StriaeAccountsPage, striae_accounts_page, STRIAE, ACCOUNTS_PAGE,
                      AdwPreferencesPage)

gboolean            striae_accounts_page_applies (StriaeStore        *store);
StriaeAccountsPage *striae_accounts_page_new     (StriaeStore        *store);
void                striae_accounts_page_reload  (StriaeAccountsPage *self);
gboolean            striae_accounts_page_is_busy (StriaeAccountsPage *self);

G_END_DECLS
