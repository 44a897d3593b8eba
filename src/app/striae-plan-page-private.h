/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "striae-plan-page.h"

G_BEGIN_DECLS

/* For the tests and the screenshots: the page's fields. */
GtkWidget *striae_plan_page_get_field      (StriaePlanPage *self,
                                            const char     *field);
GtkWidget *striae_plan_page_get_depth      (StriaePlanPage *self,
                                            guint           area,
                                            gboolean        reason);
GtkWidget *striae_plan_page_get_sheet_item (StriaePlanPage *self,
                                            const char     *sheet_name,
                                            const char     *id);
gboolean   striae_plan_page_is_blocked     (StriaePlanPage *self);

G_END_DECLS
