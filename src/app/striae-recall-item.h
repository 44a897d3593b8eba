/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "striae-store.h"

G_BEGIN_DECLS

#define STRIAE_TYPE_RECALL_ITEM (striae_recall_item_get_type ())

G_DECLARE_FINAL_TYPE (StriaeRecallItem, striae_recall_item, STRIAE, RECALL_ITEM, GObject)

/* One patient to call back (StriaeRecallsPage), over the records' StriaeRecall: "name" and
 * "summary" (why, when, and how to reach them) are what its row shows. */
StriaeRecallItem   *striae_recall_item_new            (const StriaeRecall *recall);
const StriaeRecall *striae_recall_item_get_recall     (StriaeRecallItem   *self);
const char         *striae_recall_item_get_name       (StriaeRecallItem   *self);
const char         *striae_recall_item_get_summary    (StriaeRecallItem   *self);

G_END_DECLS
