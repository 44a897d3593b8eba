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

G_END_DECLS
