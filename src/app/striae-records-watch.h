/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "striae-store.h"

G_BEGIN_DECLS

#define STRIAE_TYPE_RECORDS_WATCH (striae_records_watch_get_type ())

G_DECLARE_FINAL_TYPE (StriaeRecordsWatch, striae_records_watch, STRIAE, RECORDS_WATCH, GObject)

/* How a page of the window follows the records: a change made here or on another PC (the
 * store's "patients-changed", from any thread) makes the watch emit "reload" once, from an
 * idle in the main thread, while the page is shown. A page not shown is read again when the
 * window shows it. */
StriaeRecordsWatch *striae_records_watch_new       (GtkWidget          *page);
void                striae_records_watch_set_store (StriaeRecordsWatch *self,
                                                    StriaeStore        *store);

G_END_DECLS
