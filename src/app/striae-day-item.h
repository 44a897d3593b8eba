/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "striae-schedule.h"

G_BEGIN_DECLS

#define STRIAE_TYPE_DAY_ITEM (striae_day_item_get_type ())

G_DECLARE_FINAL_TYPE (StriaeDayItem, striae_day_item, STRIAE, DAY_ITEM, GObject)

/* One session of the day's list (StriaeDayPage): whose it is and what the front desk reads in
 * its row. Its words are set once, when the day is read. */
StriaeDayItem *striae_day_item_new                 (gint64         patient_id,
                                                    gint64         consultation_id,
                                                    const char    *name,
                                                    const char    *time,
                                                    const char    *course,
                                                    const char    *status,
                                                    gboolean       printable);
gint64         striae_day_item_get_patient_id      (StriaeDayItem *self);
gint64         striae_day_item_get_consultation_id (StriaeDayItem *self);
const char    *striae_day_item_get_name            (StriaeDayItem *self);
const char    *striae_day_item_get_time            (StriaeDayItem *self);
const char    *striae_day_item_get_course          (StriaeDayItem *self);
const char    *striae_day_item_get_status          (StriaeDayItem *self);
const char    *striae_day_item_get_summary         (StriaeDayItem *self);
gboolean       striae_day_item_get_printable       (StriaeDayItem *self);
/* The scheduled session the row shows, when the records keep a schedule (else %NULL). */
const StriaeScheduledSession *
               striae_day_item_get_scheduled       (StriaeDayItem *self);
void           striae_day_item_set_scheduled       (StriaeDayItem                *self,
                                                    const StriaeScheduledSession *session);

G_END_DECLS
