/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "striae-store.h"

G_BEGIN_DECLS

#define STRIAE_TYPE_DAY_PAGE (striae_day_page_get_type ())

G_DECLARE_FINAL_TYPE (StriaeDayPage, striae_day_page, STRIAE, DAY_PAGE, AdwBin)

/* The front desk's page: the sessions of a day (today at first), each with its patient, time,
 * place in the course and status; opening the patient, starting the session record, and
 * printing one aftercare sheet or the whole day's stack. Emits "open-patient" (gint64 id) and
 * "close". */
GtkWidget   *striae_day_page_new        (void);
void         striae_day_page_set_store  (StriaeDayPage *self,
                                         StriaeStore   *store);
void         striae_day_page_set_date   (StriaeDayPage *self,
                                         const GDate   *date);
void         striae_day_page_get_date   (StriaeDayPage *self,
                                         GDate         *date);
void         striae_day_page_reload     (StriaeDayPage *self);
gboolean     striae_day_page_get_reading (StriaeDayPage *self);
void         striae_day_page_focus_list (StriaeDayPage *self);
GListModel  *striae_day_page_get_items  (StriaeDayPage *self);
void         striae_day_page_print      (StriaeDayPage *self,
                                         const char    *printer,
                                         gboolean       whole_day);
gboolean     striae_day_page_get_printing (StriaeDayPage *self);
const char  *striae_day_page_get_print_text (StriaeDayPage *self);

G_END_DECLS
