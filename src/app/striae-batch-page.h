/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "striae-store.h"

G_BEGIN_DECLS

#define STRIAE_TYPE_BATCH_PAGE (striae_batch_page_get_type ())

G_DECLARE_FINAL_TYPE (StriaeBatchPage, striae_batch_page, STRIAE, BATCH_PAGE, AdwBin)

/* Batch tracing (issue 17), for a manufacturer's advisory: every patient and session that
 * received a product lot (striae_store_find_batch()), one row each with the session's date,
 * its place in the course, the product and its expiry; a row opens the patient. The lot is
 * looked for in a worker thread (striae_store_find_batch_async(), issue 15): "reading" is
 * TRUE meanwhile. Emits "open-patient" (gint64 id) and "close". */
GtkWidget  *striae_batch_page_new       (void);
void        striae_batch_page_set_store (StriaeBatchPage *self,
                                         StriaeStore     *store);
void        striae_batch_page_search    (StriaeBatchPage *self,
                                         const char      *lot);
void        striae_batch_page_reload    (StriaeBatchPage *self);
gboolean    striae_batch_page_get_reading (StriaeBatchPage *self);
void        striae_batch_page_focus     (StriaeBatchPage *self);
guint       striae_batch_page_get_n_rows (StriaeBatchPage *self);
GtkWidget  *striae_batch_page_get_row   (StriaeBatchPage *self,
                                         guint            position);

G_END_DECLS
