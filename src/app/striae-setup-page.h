/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "striae-store.h"

G_BEGIN_DECLS

#define STRIAE_TYPE_SETUP_PAGE (striae_setup_page_get_type ())

/* What a window shows instead of the register while its records have no account yet (a new
 * file, or one kept before accounts): the first administrator's name, display name and
 * password, made with striae_store_create_first_admin() in a worker thread. Emits "done"
 * once the administrator exists and is signed in. */
G_DECLARE_FINAL_TYPE (StriaeSetupPage, striae_setup_page, STRIAE, SETUP_PAGE, AdwBin)

GtkWidget   *striae_setup_page_new                (StriaeStore     *store);
StriaeStore *striae_setup_page_get_store          (StriaeSetupPage *self);
gboolean     striae_setup_page_get_busy           (StriaeSetupPage *self);
gint64       striae_setup_page_get_entries_before (StriaeSetupPage *self);

G_END_DECLS
