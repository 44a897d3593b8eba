/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "striae-store.h"

G_BEGIN_DECLS

/* Reads the day's list for the window (StriaeDayPage): one StriaeDayItem a session planned
 * on @day, in the records' order. */
GListStore *striae_day_read (StriaeStore  *store,
                             const GDate  *day,
                             GError      **error);

void        striae_day_read_async  (StriaeStore         *store,
                                    const GDate         *day,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
GListStore *striae_day_read_finish (StriaeStore         *store,
                                    GAsyncResult        *result,
                                    GError             **error);

G_END_DECLS
