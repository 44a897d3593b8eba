/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "striae-recall-item.h"

G_BEGIN_DECLS

#define STRIAE_TYPE_RECALL_ROW (striae_recall_row_get_type ())

G_DECLARE_FINAL_TYPE (StriaeRecallRow, striae_recall_row, STRIAE, RECALL_ROW, AdwBin)

GtkWidget     *striae_recall_row_new      (void);
StriaeRecallItem *striae_recall_row_get_item (StriaeRecallRow  *self);
void           striae_recall_row_set_item (StriaeRecallRow  *self,
                                        StriaeRecallItem *item);

G_END_DECLS
