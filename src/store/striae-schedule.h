/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The rows of the schedule, the day's list and the recalls (issue 17): what
 * striae_store_list_schedule(), striae_store_list_day() and striae_store_list_recalls()
 * give (striae-store.h), boxed for the window's models. */

typedef enum
{
  STRIAE_SCHEDULE_STATUS_PLANNED,   /* to come, on the plan's date */
  STRIAE_SCHEDULE_STATUS_DONE,      /* its session record is signed (treatment_session_id) */
  STRIAE_SCHEDULE_STATUS_MOVED,     /* to come, on another date than the plan's */
  STRIAE_SCHEDULE_STATUS_MISSED,    /* the patient did not come */
  STRIAE_SCHEDULE_STATUS_CANCELLED, /* will not take place (with a reason) */
} StriaeScheduleStatus;

/* One scheduled session. */
typedef struct
{
  gint64                id;
  gint64                consultation_id;
  gint64                patient_id;
  guint                 number;          /* n: 1…N in the course; 1, 2… for maintenance */
  guint                 course_length;   /* N, the plan's sessions */
  gboolean              maintenance;     /* a maintenance session after the course */
  GDate                 date;            /* when it is (or was) to take place */
  int                   time;            /* minutes after midnight, -1: no time set */
  GDate                 planned_date;    /* the date the plan gave it first */
  StriaeScheduleStatus  status;
  gint64                treatment_session_id; /* the signed session record when done, or 0 */
  char                 *changed_by;      /* who last moved, missed or cancelled it, or NULL */
  GDateTime            *changed_at;      /* when, or NULL */
  char                 *reason;          /* why (a move's, a miss's, a cancellation's), or NULL */
} StriaeScheduledSession;

#define STRIAE_TYPE_SCHEDULED_SESSION (striae_scheduled_session_get_type ())

GType                   striae_scheduled_session_get_type   (void) G_GNUC_CONST;
StriaeScheduledSession *striae_scheduled_session_copy       (const StriaeScheduledSession *s);
void                    striae_scheduled_session_free       (StriaeScheduledSession *s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (StriaeScheduledSession, striae_scheduled_session_free)
/* "Session 3 of 5" or "Maintenance session 1", translated. */
char                   *striae_scheduled_session_describe   (const StriaeScheduledSession *s);
/* Whether it is still to come (planned or moved). */
gboolean                striae_scheduled_session_is_open    (const StriaeScheduledSession *s);
/* "planned", "done", "moved", "missed", "cancelled": for files and the audit log. */
const char             *striae_schedule_status_to_string    (StriaeScheduleStatus status);
gboolean                striae_schedule_status_from_string  (const char           *text,
                                                             StriaeScheduleStatus *status);
/* "Planned", "Done"…: translated, for the window. */
const char             *striae_schedule_status_get_label    (StriaeScheduleStatus status);

/* A row of the day's list: the scheduled session and its patient. */
typedef struct
{
  StriaeScheduledSession  session;
  char                   *given_name;
  char                   *family_name;
  GDate                   date_of_birth;  /* cleared when unknown */
} StriaeDayEntry;

#define STRIAE_TYPE_DAY_ENTRY (striae_day_entry_get_type ())

GType                   striae_day_entry_get_type           (void) G_GNUC_CONST;
StriaeDayEntry         *striae_day_entry_copy               (const StriaeDayEntry *entry);
void                    striae_day_entry_free               (StriaeDayEntry       *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (StriaeDayEntry, striae_day_entry_free)

typedef enum
{
  STRIAE_RECALL_MAINTENANCE,     /* a maintenance session is due */
  STRIAE_RECALL_COURSE_STOPPED,  /* a session was missed and nothing is planned or done after */
  STRIAE_RECALL_SEE_AGAIN,       /* not treated, with a date to see the patient again */
} StriaeRecallReason;

/* One patient to call back. */
typedef struct
{
  gint64              patient_id;
  char               *given_name;
  char               *family_name;
  GDate               date_of_birth;   /* cleared when unknown */
  char               *phone;           /* "" when the record has none */
  char               *email;           /* "" when the record has none */
  StriaeRecallReason  reason;
  char               *sentence;        /* the reason in a sentence, translated */
  GDate               due;             /* the maintenance date, the missed session's date, or
                                        * the date to see the patient again */
  gint64              consultation_id;
  gint64              scheduled_id;    /* the scheduled session concerned, or 0 */
} StriaeRecall;

#define STRIAE_TYPE_RECALL (striae_recall_get_type ())

GType                   striae_recall_get_type              (void) G_GNUC_CONST;
StriaeRecall           *striae_recall_copy                  (const StriaeRecall *recall);
void                    striae_recall_free                  (StriaeRecall       *recall);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (StriaeRecall, striae_recall_free)
/* "maintenance", "course-stopped", "see-again": for files. */
const char             *striae_recall_reason_to_string      (StriaeRecallReason  reason);

/* The recalls as CSV for a mail merge: RFC 4180, UTF-8 without BOM, CRLF line ends, a header
 * row (family_name, given_name, date_of_birth, phone, email, reason, reason_text, due,
 * patient_id, consultation_id), fields quoted when they hold a comma, a quote, CR or LF. */
char                   *striae_recalls_to_csv               (GPtrArray          *recalls);

G_END_DECLS
