/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "striae-store-backend.h"
#include "striae-store.h"

G_BEGIN_DECLS

/* The clinic server's engine (src/store/postgresql/) is a loadable module, opened the first
 * time a server address is used, so that a start on a single PC's file never loads libpq and
 * what it pulls in (Kerberos, LDAP, OpenSSL). The module gives the records layer this table;
 * nothing of the engine's types crosses it. */

/* Told when a write transaction on the backend ends; @data is the hooks' data. */
typedef void (*StriaeServerHook) (gpointer data);

/* Raised whenever a member below changes, so that a stale module is refused, not called. */
#define STRIAE_SERVER_ENGINE_VERSION 1

typedef struct
{
  guint                version;
  StriaeStoreBackend *(*open)                      (const char        *uri,
                                                    gboolean           read_only,
                                                    StriaeServerHook   committed,
                                                    StriaeServerHook   rolled_back,
                                                    gpointer           hook_data,
                                                    int               *version,
                                                    GError           **error);
  char               *(*describe)                  (const char        *uri);
  int                 (*get_latest_schema_version) (void);
  const char         *(*group_name)                (StriaeStaffRole    role);
  gboolean            (*needs_password)            (const char        *uri);
  gboolean            (*check_owner)               (const char        *uri,
                                                    int               *schema_version,
                                                    GError           **error);
  gboolean            (*setup)                     (const char        *uri,
                                                    GStrv             *created,
                                                    GError           **error);
  gboolean            (*add_login)                 (const char        *uri,
                                                    const char        *name,
                                                    const char        *display_name,
                                                    StriaeStaffRole    role,
                                                    const char        *password,
                                                    GError           **error);
  /* For bench/bench-server: the list's search on a bare connection of the engine's. */
  int                 (*search_bare)               (gpointer           connection,
                                                    const char        *text,
                                                    guint              limit,
                                                    GError           **error);
} StriaeServerEngine;

/* What the module exports: a function returning its table. */
#define STRIAE_SERVER_ENGINE_SYMBOL "striae_server_engine_module_get"
typedef const StriaeServerEngine *(*StriaeServerEngineGetFunc) (void);

gboolean                  striae_server_engine_is_location (const char  *location);
const StriaeServerEngine *striae_server_engine_get         (GError     **error);
char                     *striae_server_engine_get_path    (void);

G_END_DECLS
