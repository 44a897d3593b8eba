/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define STRIAE_TYPE_LOCK_PAGE (striae_lock_page_get_type ())

/* What a locked window shows instead of its content: the app's name, who was signed in, a
 * password field and Unlock. Emits "unlock-requested" (name, password); whoever checks the
 * password answers with striae_lock_page_show_problem() or unlocks. */
G_DECLARE_FINAL_TYPE (StriaeLockPage, striae_lock_page, STRIAE, LOCK_PAGE, AdwBin)

GtkWidget  *striae_lock_page_new          (void);
const char *striae_lock_page_get_account  (StriaeLockPage *self);
void        striae_lock_page_set_account  (StriaeLockPage *self,
                                           const char     *account);
void        striae_lock_page_fill_name    (StriaeLockPage *self,
                                           const char     *name);
gboolean    striae_lock_page_get_busy     (StriaeLockPage *self);
void        striae_lock_page_set_busy     (StriaeLockPage *self,
                                           gboolean        busy);
void        striae_lock_page_show_problem (StriaeLockPage *self,
                                           const char     *problem);
void        striae_lock_page_reset        (StriaeLockPage *self);

G_END_DECLS
