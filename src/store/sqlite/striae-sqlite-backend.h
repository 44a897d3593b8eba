/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "striae-store-backend.h"
#include "striae-store.h"

G_BEGIN_DECLS

/* Written to `PRAGMA application_id` so that a Striae database can be told from any other
 * SQLite file; the four bytes spell "STRI" in ASCII. */
#define STRIAE_SQLITE_APPLICATION_ID 0x53545249

#define STRIAE_TYPE_SQLITE_BACKEND (striae_sqlite_backend_get_type ())

G_DECLARE_FINAL_TYPE (StriaeSqliteBackend, striae_sqlite_backend, STRIAE, SQLITE_BACKEND,
                      GObject)

/* Told when a write transaction on the backend ends; @data is the hooks' data. */
typedef void (*StriaeSqliteHook) (gpointer data);

StriaeSqliteBackend *striae_sqlite_backend_open        (const char            *path,
                                                        gboolean               read_only,
                                                        StriaeStoreOpenFlags   flags,
                                                        StriaeSqliteHook       committed,
                                                        StriaeSqliteHook       rolled_back,
                                                        gpointer               hook_data,
                                                        int                   *version,
                                                        char                 **notice,
                                                        GError               **error);
const char          *striae_sqlite_backend_get_path    (StriaeSqliteBackend *self);
gboolean             striae_sqlite_backend_check_backup (const char        *path,
                                                         GError           **error);
int                  striae_sqlite_backend_get_latest_schema_version (void);
struct sqlite3;
/* The register's order in memory for searches (striae-sqlite-order.c). */
typedef struct _SqliteOrder SqliteOrder;
void                 sqlite_order_free                  (SqliteOrder         *order);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SqliteOrder, sqlite_order_free)
gsize                striae_sqlite_backend_order_get_size (const SqliteOrder *order);
SqliteOrder         *striae_sqlite_backend_order_new_bare (struct sqlite3   *db,
                                                          GError          **error);
int                  striae_sqlite_backend_search_bare  (struct sqlite3     *db,
                                                         const SqliteOrder  *order,
                                                         const char         *text,
                                                         guint               limit,
                                                         GError            **error);

G_END_DECLS
