/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "striae-schedule.h"

/* The rows the schedule, the day's list and the recalls give (striae-store-schedule.c):
 * boxed copies, their names and the recalls' CSV. */

static const char * const status_names[] = {
  [STRIAE_SCHEDULE_STATUS_PLANNED] = "planned",
  [STRIAE_SCHEDULE_STATUS_DONE] = "done",
  [STRIAE_SCHEDULE_STATUS_MOVED] = "moved",
  [STRIAE_SCHEDULE_STATUS_MISSED] = "missed",
  [STRIAE_SCHEDULE_STATUS_CANCELLED] = "cancelled",
};

const char *
striae_schedule_status_to_string (StriaeScheduleStatus status)
{
  g_return_val_if_fail (status < G_N_ELEMENTS (status_names), NULL);

  return status_names[status];
}

gboolean
striae_schedule_status_from_string (const char           *text,
                                    StriaeScheduleStatus *status)
{
  g_return_val_if_fail (status != NULL, FALSE);

  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (status_names); i++)
    if (g_str_equal (text, status_names[i]))
      {
        *status = i;
        return TRUE;
      }

  return FALSE;
}

const char *
striae_schedule_status_get_label (StriaeScheduleStatus status)
{
  switch (status)
    {
    case STRIAE_SCHEDULE_STATUS_PLANNED:
      return _("Planned");
    case STRIAE_SCHEDULE_STATUS_DONE:
      return _("Done");
    case STRIAE_SCHEDULE_STATUS_MOVED:
      return _("Moved");
    case STRIAE_SCHEDULE_STATUS_MISSED:
      return _("Missed");
    case STRIAE_SCHEDULE_STATUS_CANCELLED:
    default:
      return _("Cancelled");
    }
}

/* Scheduled sessions */

static void
scheduled_session_copy_into (const StriaeScheduledSession *s,
                             StriaeScheduledSession       *copy)
{
  *copy = *s;
  copy->changed_by = g_strdup (s->changed_by);
  copy->changed_at = s->changed_at ? g_date_time_ref (s->changed_at) : NULL;
  copy->reason = g_strdup (s->reason);
}

static void
scheduled_session_clear (StriaeScheduledSession *s)
{
  g_clear_pointer (&s->changed_by, g_free);
  g_clear_pointer (&s->changed_at, g_date_time_unref);
  g_clear_pointer (&s->reason, g_free);
}

StriaeScheduledSession *
striae_scheduled_session_copy (const StriaeScheduledSession *s)
{
  StriaeScheduledSession *copy = g_new0 (StriaeScheduledSession, 1);

  g_return_val_if_fail (s != NULL, NULL);

  scheduled_session_copy_into (s, copy);
  return copy;
}

void
striae_scheduled_session_free (StriaeScheduledSession *s)
{
  if (s == NULL)
    return;
  scheduled_session_clear (s);
  g_free (s);
}

G_DEFINE_BOXED_TYPE (StriaeScheduledSession, striae_scheduled_session,
                     striae_scheduled_session_copy, striae_scheduled_session_free)

char *
striae_scheduled_session_describe (const StriaeScheduledSession *s)
{
  g_return_val_if_fail (s != NULL, NULL);

  if (s->maintenance)
    /* TRANSLATORS: %u is the maintenance session's number after the course, from 1 */
    return g_strdup_printf (_("Maintenance session %u"), s->number);

  /* TRANSLATORS: the place of a session in the course, as in “Session 3 of 5” */
  return g_strdup_printf (_("Session %u of %u"), s->number, s->course_length);
}

gboolean
striae_scheduled_session_is_open (const StriaeScheduledSession *s)
{
  g_return_val_if_fail (s != NULL, FALSE);

  return s->status == STRIAE_SCHEDULE_STATUS_PLANNED ||
         s->status == STRIAE_SCHEDULE_STATUS_MOVED;
}

/* The day's list */

StriaeDayEntry *
striae_day_entry_copy (const StriaeDayEntry *entry)
{
  StriaeDayEntry *copy = g_new0 (StriaeDayEntry, 1);

  g_return_val_if_fail (entry != NULL, NULL);

  scheduled_session_copy_into (&entry->session, &copy->session);
  copy->given_name = g_strdup (entry->given_name);
  copy->family_name = g_strdup (entry->family_name);
  copy->date_of_birth = entry->date_of_birth;
  return copy;
}

void
striae_day_entry_free (StriaeDayEntry *entry)
{
  if (entry == NULL)
    return;
  scheduled_session_clear (&entry->session);
  g_free (entry->given_name);
  g_free (entry->family_name);
  g_free (entry);
}

G_DEFINE_BOXED_TYPE (StriaeDayEntry, striae_day_entry, striae_day_entry_copy,
                     striae_day_entry_free)

/* Recalls */

StriaeRecall *
striae_recall_copy (const StriaeRecall *recall)
{
  StriaeRecall *copy = g_new0 (StriaeRecall, 1);

  g_return_val_if_fail (recall != NULL, NULL);

  *copy = *recall;
  copy->given_name = g_strdup (recall->given_name);
  copy->family_name = g_strdup (recall->family_name);
  copy->phone = g_strdup (recall->phone);
  copy->email = g_strdup (recall->email);
  copy->sentence = g_strdup (recall->sentence);
  return copy;
}

void
striae_recall_free (StriaeRecall *recall)
{
  if (recall == NULL)
    return;
  g_free (recall->given_name);
  g_free (recall->family_name);
  g_free (recall->phone);
  g_free (recall->email);
  g_free (recall->sentence);
  g_free (recall);
}

G_DEFINE_BOXED_TYPE (StriaeRecall, striae_recall, striae_recall_copy, striae_recall_free)

const char *
striae_recall_reason_to_string (StriaeRecallReason reason)
{
  switch (reason)
    {
    case STRIAE_RECALL_MAINTENANCE:
      return "maintenance";
    case STRIAE_RECALL_COURSE_STOPPED:
      return "course-stopped";
    case STRIAE_RECALL_SEE_AGAIN:
    default:
      return "see-again";
    }
}

/* RFC 4180: a field with a comma, a quote, CR or LF is quoted, its quotes doubled. */
static void
append_field (GString    *csv,
              const char *text,
              gboolean    last)
{
  if (text == NULL)
    text = "";

  if (strpbrk (text, ",\"\r\n") != NULL)
    {
      g_string_append_c (csv, '"');
      for (const char *p = text; *p != '\0'; p++)
        {
          if (*p == '"')
            g_string_append_c (csv, '"');
          g_string_append_c (csv, *p);
        }
      g_string_append_c (csv, '"');
    }
  else
    g_string_append (csv, text);

  g_string_append (csv, last ? "\r\n" : ",");
}

static char *
format_date (const GDate *date)
{
  char text[16] = "";

  if (date != NULL && g_date_valid (date))
    g_date_strftime (text, sizeof text, "%Y-%m-%d", date);
  return g_strdup (text);
}

/**
 * striae_recalls_to_csv:
 * @recalls: (element-type StriaeRecall): the recalls
 *
 * Returns: (transfer full): the CSV text, UTF-8, header row first
 */
char *
striae_recalls_to_csv (GPtrArray *recalls)
{
  static const char * const header[] = {
    "family_name", "given_name", "date_of_birth", "phone", "email", "reason", "reason_text",
    "due", "patient_id", "consultation_id",
  };
  GString *csv = g_string_new (NULL);

  g_return_val_if_fail (recalls != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (header); i++)
    append_field (csv, header[i], i + 1 == G_N_ELEMENTS (header));

  for (guint i = 0; i < recalls->len; i++)
    {
      const StriaeRecall *recall = g_ptr_array_index (recalls, i);
      g_autofree char *birth = format_date (&recall->date_of_birth);
      g_autofree char *due = format_date (&recall->due);
      g_autofree char *patient = g_strdup_printf ("%" PRId64, recall->patient_id);
      g_autofree char *consultation = g_strdup_printf ("%" PRId64, recall->consultation_id);

      append_field (csv, recall->family_name, FALSE);
      append_field (csv, recall->given_name, FALSE);
      append_field (csv, birth, FALSE);
      append_field (csv, recall->phone, FALSE);
      append_field (csv, recall->email, FALSE);
      append_field (csv, striae_recall_reason_to_string (recall->reason), FALSE);
      append_field (csv, recall->sentence, FALSE);
      append_field (csv, due, FALSE);
      append_field (csv, patient, FALSE);
      append_field (csv, consultation, TRUE);
    }

  return g_string_free (csv, FALSE);
}
