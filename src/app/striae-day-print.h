/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "striae-store.h"

G_BEGIN_DECLS

#define STRIAE_TYPE_DAY_PRINT (striae_day_print_get_type ())

G_DECLARE_FINAL_TYPE (StriaeDayPrint, striae_day_print, STRIAE, DAY_PRINT, GObject)

/* The day's stack from the window: the aftercare sheet of each session, dated the day,
 * composed one at a time in the main loop ("fraction" and "text" say how far it is) and
 * sent to one printer in one job through the sheet delivery, as `--sessions-on` does. */
StriaeDayPrint *striae_day_print_new          (StriaeStore          *store,
                                               GSettings            *settings,
                                               const GDate          *day,
                                               const gint64         *consultation_ids,
                                               guint                 n_consultations);
double          striae_day_print_get_fraction (StriaeDayPrint       *self);
const char     *striae_day_print_get_text     (StriaeDayPrint       *self);
void            striae_day_print_run_async    (StriaeDayPrint       *self,
                                               const char           *printer,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
char           *striae_day_print_run_finish   (StriaeDayPrint       *self,
                                               GAsyncResult         *result,
                                               guint                *n_sent,
                                               GError              **error);

G_END_DECLS
