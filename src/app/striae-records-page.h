/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "striae-server-login.h"
#include "striae-store.h"

G_BEGIN_DECLS

#define STRIAE_TYPE_RECORDS_PAGE (striae_records_page_get_type ())

/* Preferences → Records: where this PC keeps the records, on this computer (the database
 * file) or on the clinic server (host, port, database, user, password, the clinic's
 * certificate authority). "Connect" opens the chosen records off the window's thread; only
 * once they opened are the details saved (the password in the keyring, the rest in
 * GSettings) and "records-opened" emitted with them, for the application to switch to.
 * Until then, and when they do not open, the records in use stay in use.
 *
 * Actions: records.use (open the chosen records), records.choose-ca-file.
 * Signal: records-opened (StriaeStore *store, const char *notice). */
G_DECLARE_FINAL_TYPE (StriaeRecordsPage, striae_records_page, STRIAE, RECORDS_PAGE,
                      AdwPreferencesPage)

void               striae_records_page_set_store    (StriaeRecordsPage *self,
                                                     StriaeStore       *store);
void               striae_records_page_show_problem (StriaeRecordsPage *self,
                                                     const char        *message);
const char        *striae_records_page_get_status   (StriaeRecordsPage *self);
gboolean           striae_records_page_is_busy      (StriaeRecordsPage *self);
StriaeServerLogin *striae_records_page_get_login    (StriaeRecordsPage *self);

G_END_DECLS
