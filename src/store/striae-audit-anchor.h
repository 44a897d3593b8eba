/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define STRIAE_TYPE_AUDIT_ANCHOR (striae_audit_anchor_get_type ())

/* Where a database's audit key and the head of its audit log are kept, outside the database
 * file: the user's keyring (Secret Service), or a private folder of key files. A store is
 * given one when it is opened (striae_store_open_with_anchor()); striae_store_open() uses
 * striae_audit_anchor_new(). */
G_DECLARE_FINAL_TYPE (StriaeAuditAnchor, striae_audit_anchor, STRIAE, AUDIT_ANCHOR, GObject)

StriaeAuditAnchor *striae_audit_anchor_new             (void);
StriaeAuditAnchor *striae_audit_anchor_new_for_folder  (const char        *folder);
StriaeAuditAnchor *striae_audit_anchor_new_for_keyring (void);
const char        *striae_audit_anchor_get_folder      (StriaeAuditAnchor *self);
gboolean           striae_audit_anchor_uses_keyring    (StriaeAuditAnchor *self);

G_END_DECLS
