/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "striae-store.h"

G_BEGIN_DECLS

#define STRIAE_TYPE_RECALLS_PAGE (striae_recalls_page_get_type ())

G_DECLARE_FINAL_TYPE (StriaeRecallsPage, striae_recalls_page, STRIAE, RECALLS_PAGE, AdwBin)

/* Who to call back (striae_store_list_recalls()): maintenance due within the weeks chosen,
 * courses stopped, patients not treated with a date to see them again; opening the patient
 * and saving the list as CSV for a mail merge. Emits "open-patient" (gint64 id) and
 * "close". */
GtkWidget  *striae_recalls_page_new        (void);
void        striae_recalls_page_set_store  (StriaeRecallsPage *self,
                                            StriaeStore       *store);
void        striae_recalls_page_set_weeks  (StriaeRecallsPage *self,
                                            guint              weeks);
void        striae_recalls_page_reload     (StriaeRecallsPage *self);
gboolean    striae_recalls_page_is_reading (StriaeRecallsPage *self);
GListModel *striae_recalls_page_get_items  (StriaeRecallsPage *self);
const char *striae_recalls_page_get_problem (StriaeRecallsPage *self);
gboolean    striae_recalls_page_save_csv   (StriaeRecallsPage *self,
                                            GFile             *file,
                                            GError           **error);

G_END_DECLS
