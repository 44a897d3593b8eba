/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "striae-store.h"

G_BEGIN_DECLS

/* Setting up a clinic server (striae --server-init, --server-add-login): the group roles of
 * Striae's staff and what each may do. Each call opens its own connection to @uri, a libpq
 * URI, and closes it before it returns. */

const char *striae_pg_roles_group_name  (StriaeStaffRole   role);
gboolean    striae_pg_roles_needs_password (const char    *uri);
gboolean    striae_pg_roles_check_owner (const char       *uri,
                                         int              *schema_version,
                                         GError          **error);
gboolean    striae_pg_roles_setup       (const char       *uri,
                                         GStrv            *created,
                                         GError          **error);
gboolean    striae_pg_roles_add_login   (const char       *uri,
                                         const char       *name,
                                         const char       *display_name,
                                         StriaeStaffRole   role,
                                         const char       *password,
                                         GError          **error);

G_END_DECLS
