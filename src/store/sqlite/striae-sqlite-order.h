/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "striae-sqlite-private.h"

G_BEGIN_DECLS

/* The register's order in memory for typed searches (striae-sqlite-order.c): built by a
 * worker thread, kept up to date for this process's changes, read by the search
 * (striae-sqlite-search.c). */

/* The statements a page runs, on @db, with the lock of its connection held. */
typedef struct
{
  sqlite3_stmt *(*prepare) (gpointer       data,
                            const char    *sql,
                            GError       **error);
  void          (*done)    (sqlite3_stmt  *stmt);
  gpointer        data;
  const char     *path;    /* for messages */
} SqlitePreparer;

sqlite3_stmt *sqlite_prepare_bare       (gpointer               data,
                                         const char            *sql,
                                         GError               **error);
/* A read transaction on @db: one snapshot of the patients for the statements that follow. */
gboolean      sqlite_snapshot_begin     (sqlite3               *db,
                                         const char            *path,
                                         GError               **error);
void          sqlite_snapshot_end       (sqlite3               *db);

guint32       sqlite_order_label        (const SqliteOrder     *order,
                                         gint64                 id);
void          sqlite_order_get_span     (const SqliteOrder     *order,
                                         gboolean               archived,
                                         guint32               *first,
                                         guint32               *last);
gboolean      sqlite_order_for_search   (StriaeSqliteBackend   *self,
                                         const SqlitePreparer  *preparer,
                                         const SqliteOrder    **current,
                                         GError               **error);
void          sqlite_order_drop_stale   (StriaeSqliteBackend   *self);
void          sqlite_order_prepare      (StriaeSqliteBackend   *self);

G_END_DECLS
