/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "striae-store.h"

G_BEGIN_DECLS

/* What the window changes of a scheduled session (issue 17), from the patient page's course
 * (StriaeCourseGroup) and from the day's list (StriaeDayPage): the same dialogs, the same
 * rights, the same sentences. */
typedef enum
{
  STRIAE_SCHEDULE_CHANGE_MOVE,    /* another date (and time), later sessions following or not */
  STRIAE_SCHEDULE_CHANGE_MISS,    /* the patient did not come; a reason may be given */
  STRIAE_SCHEDULE_CHANGE_CANCEL,  /* it will not take place; a reason is required */
} StriaeScheduleChange;

/* Called with the dialog's parent once the records took the change. */
typedef void (*StriaeScheduleDone) (GtkWidget *parent);

gboolean          striae_schedule_change_offered (StriaeStore                  *store,
                                                  const StriaeScheduledSession *session,
                                                  StriaeScheduleChange          change);
AdwMessageDialog *striae_schedule_dialog_present (GtkWidget                    *parent,
                                                  StriaeStore                  *store,
                                                  const StriaeScheduledSession *session,
                                                  StriaeScheduleChange          change,
                                                  StriaeScheduleDone            done);
char             *striae_schedule_format_day     (const GDate                  *date);

G_END_DECLS
