/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "striae-store-backend.h"

G_BEGIN_DECLS

#define STRIAE_TYPE_PG_BACKEND (striae_pg_backend_get_type ())

G_DECLARE_FINAL_TYPE (StriaePgBackend, striae_pg_backend, STRIAE, PG_BACKEND, GObject)

/* Told when a write transaction on the backend ends; @data is the hooks' data. */
typedef void (*StriaePgHook) (gpointer data);

StriaePgBackend *striae_pg_backend_open   (const char    *uri,
                                           gboolean       read_only,
                                           StriaePgHook   committed,
                                           StriaePgHook   rolled_back,
                                           gpointer       hook_data,
                                           int           *version,
                                           GError       **error);
gboolean         striae_pg_backend_is_uri (const char    *location);
char            *striae_pg_backend_describe (const char  *uri);
int              striae_pg_backend_get_latest_schema_version (void);

struct pg_conn;
int              striae_pg_backend_search_bare (struct pg_conn  *conn,
                                                const char      *text,
                                                guint            limit,
                                                GError         **error);

G_END_DECLS
