/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "striae-date.h"
#include "striae-store-private.h"

/* The schedule, the day's list and the recalls (issue 17): the rules are in striae-store.h.
 *
 * The schedule is made here, in C, whenever a revision is written (store_index_schedule(),
 * called with the planned-session index): only a signed revision that treats plans
 * sessions. Made again for a later signed revision (an amendment), it keeps every session
 * done, missed, cancelled or moved, re-dates those still planned as the new plan says, adds
 * the numbers the plan gained and drops the open ones it lost.
 *
 * [course] maintenance: CLINICAL.md says every 4 to 6 months once the course is done; the
 * plan holds the months (the clinic's default, the practitioner's choice). One maintenance
 * session is open at a time, the plan's months after the last course session
 * (striae_plan_compute_maintenance_date()); when it is done the next is planned the same
 * months after the day it was done. */

#define IFACE(backend) STRIAE_STORE_BACKEND_GET_IFACE (backend)

static StriaeScheduledSession *
find_row (GPtrArray *rows,
          gboolean   maintenance,
          guint      number)
{
  for (guint i = 0; i < rows->len; i++)
    {
      StriaeScheduledSession *s = g_ptr_array_index (rows, i);

      if (s->maintenance == maintenance && s->number == number)
        return s;
    }
  return NULL;
}

static gboolean
insert_planned (StriaeStoreBackend  *backend,
                StriaeConsultation  *consultation,
                gboolean             maintenance,
                guint                number,
                guint                course_length,
                const GDate         *date,
                GError             **error)
{
  StriaeScheduledSession row = {
    .consultation_id = striae_consultation_get_id (consultation),
    .patient_id = striae_consultation_get_patient_id (consultation),
    .number = number,
    .course_length = course_length,
    .maintenance = maintenance,
    .date = *date,
    .time = -1,
    .planned_date = *date,
    .status = STRIAE_SCHEDULE_STATUS_PLANNED,
  };

  return striae_store_backend_insert_scheduled_session (backend, &row, error);
}

/* The course: numbers 1 to N on the plan's dates. */
static gboolean
schedule_course (StriaeStoreBackend  *backend,
                 StriaeConsultation  *consultation,
                 GArray              *dates,
                 GPtrArray           *rows,
                 GError             **error)
{
  for (guint i = 0; i < dates->len; i++)
    {
      const GDate *date = &g_array_index (dates, GDate, i);
      StriaeScheduledSession *row = find_row (rows, FALSE, i + 1);
      gboolean found = FALSE;

      if (row == NULL)
        {
          if (!insert_planned (backend, consultation, FALSE, i + 1, dates->len, date, error))
            return FALSE;
          continue;
        }
      if (row->status != STRIAE_SCHEDULE_STATUS_PLANNED || g_date_compare (&row->date, date) == 0)
        continue;
      row->date = *date;
      if (!striae_store_backend_update_scheduled_session (backend, row, &found, error))
        return FALSE;
    }

  for (guint i = 0; i < rows->len; i++)
    {
      StriaeScheduledSession *row = g_ptr_array_index (rows, i);

      if (!row->maintenance && row->number > dates->len &&
          striae_scheduled_session_is_open (row) &&
          !striae_store_backend_delete_scheduled_session (backend, row->id, error))
        return FALSE;
    }

  /* Every row of the course says "of N" with the new N, the sessions done too. */
  for (guint i = 0; i < rows->len; i++)
    if (((StriaeScheduledSession *) g_ptr_array_index (rows, i))->course_length != dates->len)
      return striae_store_backend_set_course_length (backend, striae_consultation_get_id (
                                                       consultation), dates->len, error);

  return TRUE;
}

/* One maintenance session open, when the plan asks for maintenance and none was scheduled. */
static gboolean
schedule_maintenance (StriaeStoreBackend  *backend,
                      StriaeConsultation  *consultation,
                      guint                course_length,
                      GPtrArray           *rows,
                      GError             **error)
{
  StriaePlan *plan = striae_consultation_get_plan (consultation);
  GDate date;

  if (striae_plan_get_maintenance_months (plan) == 0)
    {
      for (guint i = 0; i < rows->len; i++)
        {
          StriaeScheduledSession *row = g_ptr_array_index (rows, i);

          if (row->maintenance && striae_scheduled_session_is_open (row) &&
              !striae_store_backend_delete_scheduled_session (backend, row->id, error))
            return FALSE;
        }
      return TRUE;
    }

  for (guint i = 0; i < rows->len; i++)
    if (((StriaeScheduledSession *) g_ptr_array_index (rows, i))->maintenance)
      return TRUE;

  if (!striae_plan_compute_maintenance_date (plan, &date, NULL))
    return TRUE;
  return insert_planned (backend, consultation, TRUE, 1, course_length, &date, error);
}

/* Keeps the schedule and the see-again date of @consultation's stored revision (its id,
 * revision and patient the row's) in step with it, inside the caller's transaction. A draft
 * changes nothing: the revision signed before it still stands. */
gboolean
store_index_schedule (StriaeStoreBackend  *backend,
                      StriaeConsultation  *consultation,
                      GError             **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GArray) dates = NULL;
  gint64 id = striae_consultation_get_id (consultation);

  if (IFACE (backend)->list_schedule == NULL ||
      striae_consultation_get_status (consultation) != STRIAE_CONSULTATION_STATUS_SIGNED)
    return TRUE;

  if (striae_consultation_is_not_treated (consultation))
    return striae_store_backend_set_see_again (
      backend, id, striae_date_or_null (striae_consultation_get_see_again (consultation)),
      error);
  if (!striae_store_backend_set_see_again (backend, id, NULL, error))
    return FALSE;

  dates = striae_plan_compute_schedule (striae_consultation_get_plan (consultation), NULL);
  if (dates == NULL || dates->len == 0)
    return TRUE;

  rows = striae_store_backend_list_schedule (backend, id, 0, error);
  return rows != NULL &&
         schedule_course (backend, consultation, dates, rows, error) &&
         schedule_maintenance (backend, consultation, dates->len, rows, error);
}

/* Readers */

static void
set_not_found (GError **error,
               gint64   id)
{
  g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND,
               _("There is no scheduled session number %" PRId64 "; it may have been "
                 "erased."), id);
}

GPtrArray *
striae_store_list_schedule (StriaeStore  *self,
                            gint64        consultation_id,
                            GError      **error)
{
  GPtrArray *rows;

  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);
  g_return_val_if_fail (consultation_id > 0, NULL);

  if (!striae_store_may (self, STRIAE_RIGHT_READ, error))
    return NULL;
  striae_store_backend_lock (self->backend);
  rows = striae_store_backend_list_schedule (self->backend, consultation_id, 0, error);
  striae_store_backend_unlock (self->backend);
  return rows;
}

GPtrArray *
striae_store_list_patient_schedule (StriaeStore  *self,
                                    gint64        patient_id,
                                    GError      **error)
{
  GPtrArray *rows;

  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);
  g_return_val_if_fail (patient_id > 0, NULL);

  if (!striae_store_may (self, STRIAE_RIGHT_READ, error))
    return NULL;
  striae_store_backend_lock (self->backend);
  rows = striae_store_backend_list_schedule (self->backend, 0, patient_id, error);
  striae_store_backend_unlock (self->backend);
  return rows;
}

StriaeScheduledSession *
striae_store_get_scheduled_session (StriaeStore  *self,
                                    gint64        id,
                                    GError      **error)
{
  StriaeScheduledSession *row = NULL;
  gboolean ok;

  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);

  if (!striae_store_may (self, STRIAE_RIGHT_READ, error))
    return NULL;
  striae_store_backend_lock (self->backend);
  ok = striae_store_backend_get_scheduled_session (self->backend, id, &row, error);
  striae_store_backend_unlock (self->backend);
  if (ok && row == NULL)
    set_not_found (error, id);
  return row;
}

/* Changes */

/* The audit row of a change: the scheduled session, its place and dates; a reason only as
 * the start of its SHA-256, since the log outlives an erasure. */
static char *
describe_change (const StriaeScheduledSession *row,
                 const GDate                  *from)
{
  g_autofree char *date = striae_format_optional_iso_date (&row->date);
  g_autofree char *before = from ? striae_format_optional_iso_date (from) : NULL;
  g_autofree char *hash = NULL;
  GString *detail = g_string_new (NULL);

  g_string_append_printf (detail, "scheduled %" PRId64 ", %s %u of %u, %s", row->id,
                          row->maintenance ? "maintenance" : "session", row->number,
                          row->course_length, date);
  if (before != NULL)
    g_string_append_printf (detail, " (was %s)", before);
  if (row->reason != NULL && row->reason[0] != '\0')
    {
      hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, row->reason, -1);
      hash[16] = '\0';
      g_string_append_printf (detail, ", reason sha256:%s", hash);
    }
  return g_string_free (detail, FALSE);
}

static gboolean
write_change (StriaeStore            *self,
              StriaeAuditAction       action,
              StriaeScheduledSession *row,
              const GDate            *from,
              GError                **error)
{
  g_autofree char *detail = NULL;
  gboolean found = FALSE;

  if (!striae_store_backend_update_scheduled_session (self->backend, row, &found, error))
    return FALSE;
  if (!found)
    {
      set_not_found (error, row->id);
      return FALSE;
    }
  detail = describe_change (row, from);
  return store_audit_append (self, action, NULL, row->patient_id, row->consultation_id,
                             detail, error);
}

/* Reads open scheduled session @id for a change, inside the caller's transaction. */
static StriaeScheduledSession *
get_open (StriaeStore  *self,
          gint64        id,
          GError      **error)
{
  StriaeScheduledSession *row = NULL;
  g_autofree char *what = NULL;

  if (!striae_store_backend_get_scheduled_session (self->backend, id, &row, error))
    return NULL;
  if (row == NULL)
    {
      set_not_found (error, id);
      return NULL;
    }
  if (striae_scheduled_session_is_open (row))
    return row;

  what = striae_scheduled_session_describe (row);
  /* TRANSLATORS: the first %s is “Session 3 of 5”, the second its status, e.g. “Done” */
  g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
               _("%s is already marked “%s” and can no longer be changed."), what,
               striae_schedule_status_get_label (row->status));
  striae_scheduled_session_free (row);
  return NULL;
}

static void
stamp (StriaeStore            *self,
       StriaeScheduledSession *row,
       const char             *reason)
{
  g_autofree char *user = striae_store_dup_user (self);

  g_free (row->changed_by);
  row->changed_by = store_dup_signer (self, user);
  g_clear_pointer (&row->changed_at, g_date_time_unref);
  row->changed_at = g_date_time_new_now_utc ();
  g_free (row->reason);
  row->reason = reason != NULL && reason[0] != '\0' ? g_strdup (reason) : NULL;
}

/* Runs @change on open session @id in one transaction, then tells the window. */
typedef gboolean (*ChangeFunc) (StriaeStore             *self,
                                StriaeScheduledSession  *row,
                                gpointer                 data,
                                GError                 **error);

static gboolean
run_change (StriaeStore  *self,
            gint64        id,
            ChangeFunc    change,
            gpointer      data,
            GError      **error)
{
  g_autoptr(StriaeScheduledSession) row = NULL;

  striae_store_backend_lock (self->backend);
  if (!striae_store_backend_begin (self->backend, error) ||
      (row = get_open (self, id, error)) == NULL ||
      !change (self, row, data, error) ||
      !striae_store_backend_commit (self->backend, error))
    {
      striae_store_backend_rollback (self->backend);
      striae_store_backend_unlock (self->backend);
      return FALSE;
    }
  striae_store_backend_unlock (self->backend);

  store_emit_patients_changed (self, row->patient_id);
  return TRUE;
}

typedef struct
{
  const GDate *date;
  int          time;
  gboolean     later_follow;
  const char  *reason;
} Move;

static void
set_moved (StriaeScheduledSession *row,
           const GDate            *date)
{
  row->date = *date;
  row->status = g_date_valid (&row->planned_date) &&
                g_date_compare (&row->planned_date, date) == 0
                  ? STRIAE_SCHEDULE_STATUS_PLANNED
                  : STRIAE_SCHEDULE_STATUS_MOVED;
}

/* The open sessions after @row in its consultation's schedule move by the same days. */
static gboolean
move_later (StriaeStore                  *self,
            const StriaeScheduledSession *row,
            int                           days,
            const char                   *reason,
            GError                      **error)
{
  g_autoptr(GPtrArray) rows = NULL;

  rows = striae_store_backend_list_schedule (self->backend, row->consultation_id, 0, error);
  if (rows == NULL)
    return FALSE;

  for (guint i = 0; i < rows->len; i++)
    {
      StriaeScheduledSession *later = g_ptr_array_index (rows, i);
      GDate from = later->date;
      GDate date = later->date;
      gboolean after = later->maintenance > row->maintenance ||
                       (later->maintenance == row->maintenance && later->number > row->number);

      if (!after || !striae_scheduled_session_is_open (later))
        continue;
      if (days >= 0)
        g_date_add_days (&date, (guint) days);
      else
        g_date_subtract_days (&date, (guint) -days);
      set_moved (later, &date);
      stamp (self, later, reason);
      if (!write_change (self, STRIAE_AUDIT_SCHEDULE_MOVE, later, &from, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
consultation_date (StriaeStore  *self,
                   gint64        id,
                   GDate        *date,
                   GError      **error)
{
  g_autoptr(StriaeStoreRevision) stored = NULL;
  g_autoptr(StriaeConsultation) consultation = NULL;

  g_date_clear (date, 1);
  if (!striae_store_backend_get_revision (self->backend, id, 0, &stored, error))
    return FALSE;
  if (stored != NULL &&
      (consultation = striae_consultation_new_from_json (stored->document, NULL)) != NULL &&
      striae_consultation_get_date (consultation) != NULL)
    *date = *striae_consultation_get_date (consultation);
  return TRUE;
}

static gboolean
move_change (StriaeStore             *self,
             StriaeScheduledSession  *row,
             gpointer                 data,
             GError                 **error)
{
  const Move *move = data;
  GDate from = row->date;
  GDate earliest;
  int days;

  if (!consultation_date (self, row->consultation_id, &earliest, error))
    return FALSE;
  if (g_date_valid (&earliest) && g_date_compare (move->date, &earliest) < 0)
    {
      g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
                           _("A session cannot be moved before the consultation that "
                             "planned it; choose a later date."));
      return FALSE;
    }

  days = g_date_days_between (&from, move->date);
  set_moved (row, move->date);
  row->time = move->time;
  stamp (self, row, move->reason);
  return write_change (self, STRIAE_AUDIT_SCHEDULE_MOVE, row, &from, error) &&
         (!move->later_follow || days == 0 ||
          move_later (self, row, days, move->reason, error));
}

gboolean
striae_store_move_scheduled_session (StriaeStore  *self,
                                     gint64        id,
                                     const GDate  *date,
                                     int           time,
                                     gboolean      later_follow,
                                     const char   *reason,
                                     GError      **error)
{
  Move move = { date, time, later_follow, reason };

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (date != NULL && g_date_valid (date), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (time < -1 || time >= 24 * 60)
    {
      g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
                           _("The time of a session must be between 00:00 and 23:59."));
      return FALSE;
    }
  if (!striae_store_may (self, STRIAE_RIGHT_SCHEDULE, error))
    return FALSE;
  return run_change (self, id, move_change, &move, error);
}

typedef struct
{
  StriaeScheduleStatus  status;
  const char           *reason;
} Mark;

static gboolean
mark_change (StriaeStore             *self,
             StriaeScheduledSession  *row,
             gpointer                 data,
             GError                 **error)
{
  const Mark *mark = data;

  row->status = mark->status;
  stamp (self, row, mark->reason);
  return write_change (self,
                       mark->status == STRIAE_SCHEDULE_STATUS_MISSED
                         ? STRIAE_AUDIT_SCHEDULE_MISS : STRIAE_AUDIT_SCHEDULE_CANCEL,
                       row, NULL, error);
}

gboolean
striae_store_mark_session_missed (StriaeStore  *self,
                                  gint64        id,
                                  const char   *reason,
                                  GError      **error)
{
  Mark mark = { STRIAE_SCHEDULE_STATUS_MISSED, reason };

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!striae_store_may (self, STRIAE_RIGHT_SCHEDULE, error))
    return FALSE;
  return run_change (self, id, mark_change, &mark, error);
}

gboolean
striae_store_cancel_scheduled_session (StriaeStore  *self,
                                       gint64        id,
                                       const char   *reason,
                                       GError      **error)
{
  Mark mark = { STRIAE_SCHEDULE_STATUS_CANCELLED, reason };
  g_autofree char *text = g_strstrip (g_strdup (reason ? reason : ""));

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!striae_store_may (self, STRIAE_RIGHT_CANCEL_SESSION, error))
    return FALSE;
  if (text[0] == '\0')
    {
      g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
                           _("Say why the session is cancelled."));
      return FALSE;
    }
  return run_change (self, id, mark_change, &mark, error);
}

/* Linking a signed session record */

/* After maintenance session @row was done on @done, the next one, the plan's months later. */
static gboolean
plan_next_maintenance (StriaeStore                  *self,
                       const StriaeScheduledSession *row,
                       const GDate                  *done,
                       GError                      **error)
{
  g_autoptr(StriaeStoreRevision) stored = NULL;
  g_autoptr(StriaeConsultation) consultation = NULL;
  guint months;
  StriaeScheduledSession next;

  if (!striae_store_backend_get_revision (self->backend, row->consultation_id, 0, &stored,
                                          error))
    return FALSE;
  if (stored == NULL ||
      (consultation = striae_consultation_new_from_json (stored->document, NULL)) == NULL)
    return TRUE;
  months = striae_plan_get_maintenance_months (striae_consultation_get_plan (consultation));
  if (months == 0)
    return TRUE;

  next = (StriaeScheduledSession) {
    .consultation_id = row->consultation_id,
    .patient_id = row->patient_id,
    .number = row->number + 1,
    .course_length = row->course_length,
    .maintenance = TRUE,
    .date = *done,
    .time = -1,
    .status = STRIAE_SCHEDULE_STATUS_PLANNED,
  };
  g_date_add_months (&next.date, months);
  next.planned_date = next.date;
  return striae_store_backend_insert_scheduled_session (self->backend, &next, error);
}

/* Marks @row done by session record @session_id (signed, of @row's consultation), dated
 * @date, inside the caller's transaction. */
static gboolean
mark_done (StriaeStore            *self,
           StriaeScheduledSession *row,
           gint64                  session_id,
           const GDate            *date,
           GError                **error)
{
  GDate from = row->date;

  row->status = STRIAE_SCHEDULE_STATUS_DONE;
  row->treatment_session_id = session_id;
  if (date != NULL && g_date_valid (date))
    row->date = *date;
  stamp (self, row, NULL);
  return write_change (self, STRIAE_AUDIT_SCHEDULE_DONE, row,
                       g_date_compare (&from, &row->date) != 0 ? &from : NULL, error) &&
         (!row->maintenance || plan_next_maintenance (self, row, &row->date, error));
}

/* Called by striae_store_sign_treatment_session() inside its transaction: the open
 * scheduled session of the signed record's number (or the open maintenance session) is
 * done. A record with no open session to match leaves the schedule as it is. */
gboolean
store_schedule_session_signed (StriaeStore             *self,
                               StriaeTreatmentSession  *session,
                               GError                 **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  gboolean maintenance = striae_treatment_session_get_maintenance (session);

  if (IFACE (self->backend)->list_schedule == NULL)
    return TRUE;
  /* A session its check stopped treated nothing: its place in the course stays open for
   * the session that does treat (the stopped record is kept, and audited, all the same). */
  if (striae_session_check_get_result (striae_treatment_session_get_check (session)) ==
      STRIAE_CHECK_RESULT_STOPPED)
    return TRUE;
  rows = striae_store_backend_list_schedule (
    self->backend, striae_treatment_session_get_consultation_id (session), 0, error);
  if (rows == NULL)
    return FALSE;

  for (guint i = 0; i < rows->len; i++)
    {
      StriaeScheduledSession *row = g_ptr_array_index (rows, i);

      if (row->maintenance != maintenance || !striae_scheduled_session_is_open (row) ||
          (!maintenance && row->number != striae_treatment_session_get_number (session)))
        continue;
      return mark_done (self, row, striae_treatment_session_get_id (session),
                        striae_treatment_session_get_date (session), error);
    }

  return TRUE;
}

typedef struct
{
  gint64 session_id;
} Link;

static gboolean
link_change (StriaeStore             *self,
             StriaeScheduledSession  *row,
             gpointer                 data,
             GError                 **error)
{
  const Link *link = data;
  g_autoptr(StriaeStoreSessionRevision) stored = NULL;
  g_autoptr(StriaeTreatmentSession) session = NULL;

  if (!striae_store_backend_get_session_revision (self->backend, link->session_id, 0, &stored,
                                                  error))
    return FALSE;
  if (stored == NULL || stored->signed_at == NULL ||
      stored->consultation_id != row->consultation_id)
    {
      g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
                           _("Only a signed session record of the same consultation can "
                             "mark a scheduled session done."));
      return FALSE;
    }
  session = striae_treatment_session_new_from_json (stored->document, NULL);
  return mark_done (self, row, link->session_id,
                    session ? striae_treatment_session_get_date (session) : NULL, error);
}

gboolean
striae_store_link_treatment_session (StriaeStore  *self,
                                     gint64        id,
                                     gint64        treatment_session_id,
                                     GError      **error)
{
  Link link = { treatment_session_id };

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!striae_store_may (self, STRIAE_RIGHT_SIGN, error))
    return FALSE;
  return run_change (self, id, link_change, &link, error);
}

/* The day's list */

GPtrArray *
striae_store_list_day (StriaeStore  *self,
                       const GDate  *date,
                       GError      **error)
{
  GPtrArray *rows;

  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);
  g_return_val_if_fail (date != NULL && g_date_valid (date), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!striae_store_may (self, STRIAE_RIGHT_READ, error))
    return NULL;
  striae_store_backend_lock (self->backend);
  rows = striae_store_backend_list_day (self->backend, date, error);
  striae_store_backend_unlock (self->backend);
  return rows;
}

/* Whether the consultation of @entry is listed already. */
static gboolean
listed (GPtrArray *consultations,
        gint64     id)
{
  for (guint i = 0; i < consultations->len; i++)
    if (striae_consultation_get_id (g_ptr_array_index (consultations, i)) == id)
      return TRUE;
  return FALSE;
}

/**
 * striae_store_list_scheduled_on:
 * @date: the day
 *
 * The consultations whose schedule has a session on @date that takes place: planned there,
 * moved there, or done that day; not one missed or cancelled, nor one moved to another day.
 * What the front desk hands out that day (`--sessions-on`), as the day's list shows it
 * (striae_store_list_day()), in its order; a consultation whose amendment is in progress (its
 * latest revision a draft) is left out, as in striae_store_list_sessions_on(). Records that
 * keep no schedule (STRIAE_STORE_ERROR_NOT_SUPPORTED) give the plans' dates
 * (striae_store_list_sessions_on()).
 *
 * Returns: (transfer full) (element-type StriaeConsultation): the consultations, empty when
 *   there are none, %NULL with @error set when the records cannot be read
 */
GPtrArray *
striae_store_list_scheduled_on (StriaeStore  *self,
                                const GDate  *date,
                                GError      **error)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);
  g_return_val_if_fail (date != NULL && g_date_valid (date), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  entries = striae_store_list_day (self, date, &local_error);
  if (entries == NULL)
    {
      if (g_error_matches (local_error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_SUPPORTED))
        return striae_store_list_sessions_on (self, date, error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  for (guint i = 0; i < entries->len; i++)
    {
      const StriaeScheduledSession *session =
        &((StriaeDayEntry *) g_ptr_array_index (entries, i))->session;
      g_autoptr(StriaeConsultation) consultation = NULL;

      if (session->status == STRIAE_SCHEDULE_STATUS_MISSED ||
          session->status == STRIAE_SCHEDULE_STATUS_CANCELLED ||
          listed (list, session->consultation_id))
        continue;

      consultation = striae_store_get_consultation (self, session->consultation_id,
                                                    &local_error);
      if (consultation == NULL)
        {
          /* Erased since the query: nothing to hand out. */
          if (g_error_matches (local_error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND))
            {
              g_clear_error (&local_error);
              continue;
            }
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (striae_consultation_get_status (consultation) == STRIAE_CONSULTATION_STATUS_SIGNED)
        g_ptr_array_add (list, g_steal_pointer (&consultation));
    }

  return g_steal_pointer (&list);
}

/* Recalls */

/* @dates keeps each due date as written in the user's locale: a list of thousands of recalls
 * has a few dozen dates, and writing one takes the locale's form each time. */
static char *
recall_sentence (const StriaeRecall *recall,
                 GHashTable         *dates)
{
  gpointer key = GUINT_TO_POINTER (g_date_get_julian (&recall->due));
  const char *due = g_hash_table_lookup (dates, key);

  if (due == NULL)
    {
      due = striae_format_local_date (&recall->due);
      g_hash_table_insert (dates, key, (char *) due);
    }

  switch (recall->reason)
    {
    case STRIAE_RECALL_MAINTENANCE:
      /* TRANSLATORS: %s is a date */
      return g_strdup_printf (_("A maintenance session is due on %s."), due);
    case STRIAE_RECALL_COURSE_STOPPED:
      /* TRANSLATORS: %s is a date */
      return g_strdup_printf (_("The course stopped: a session was missed on %s and none "
                                "is planned after it."), due);
    case STRIAE_RECALL_SEE_AGAIN:
    default:
      /* TRANSLATORS: %s is a date */
      return g_strdup_printf (_("Not treated; to be seen again from %s."), due);
    }
}

/* [course] maintenance follows a course that was done: a consultation whose course stopped
 * is recalled for that, not for its maintenance as well. */
static void
drop_maintenance_of_stopped (GPtrArray *rows)
{
  g_autoptr(GHashTable) stopped = g_hash_table_new (g_int64_hash, g_int64_equal);

  for (guint i = 0; i < rows->len; i++)
    {
      StriaeRecall *recall = g_ptr_array_index (rows, i);

      if (recall->reason == STRIAE_RECALL_COURSE_STOPPED)
        g_hash_table_add (stopped, &recall->consultation_id);
    }
  for (guint i = rows->len; i > 0; i--)
    {
      StriaeRecall *recall = g_ptr_array_index (rows, i - 1);

      if (recall->reason == STRIAE_RECALL_MAINTENANCE &&
          g_hash_table_contains (stopped, &recall->consultation_id))
        g_ptr_array_remove_index (rows, i - 1);
    }
}

GPtrArray *
striae_store_list_recalls (StriaeStore  *self,
                           guint         within_days,
                           const GDate  *today,
                           GError      **error)
{
  g_autoptr(GHashTable) dates = NULL;
  GPtrArray *rows;
  GDate until;
  GDate since;

  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);
  g_return_val_if_fail (today != NULL && g_date_valid (today), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!striae_store_may (self, STRIAE_RIGHT_READ, error))
    return NULL;

  until = *today;
  g_date_add_days (&until, within_days);
  since = *today;
  g_date_subtract_days (&since, STRIAE_RECALL_LOOKBACK_DAYS);
  striae_store_backend_lock (self->backend);
  rows = striae_store_backend_list_recalls (self->backend, &since, today, &until, error);
  striae_store_backend_unlock (self->backend);

  if (rows == NULL)
    return NULL;

  drop_maintenance_of_stopped (rows);
  dates = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  for (guint i = 0; i < rows->len; i++)
    {
      StriaeRecall *recall = g_ptr_array_index (rows, i);

      recall->sentence = recall_sentence (recall, dates);
    }
  return rows;
}

/* Reading the recalls in a worker thread, so that the window never waits on the records for
 * them (issue 15). */

typedef struct
{
  GDate today;
  guint within_days;
} RecallsData;

static void
list_recalls_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  RecallsData *data = task_data;
  GError *error = NULL;
  GPtrArray *rows = striae_store_list_recalls (source_object, data->within_days,
                                               &data->today, &error);

  if (rows == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, rows, (GDestroyNotify) g_ptr_array_unref);
}

/* As striae_store_list_recalls(), in a worker thread. */
void
striae_store_list_recalls_async (StriaeStore         *self,
                                 guint                within_days,
                                 const GDate         *today,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RecallsData *data;

  g_return_if_fail (STRIAE_IS_STORE (self));
  g_return_if_fail (today != NULL && g_date_valid (today));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  data = g_new0 (RecallsData, 1);
  data->today = *today;
  data->within_days = within_days;
  g_task_set_source_tag (task, striae_store_list_recalls_async);
  g_task_set_task_data (task, data, g_free);
  g_task_run_in_thread (task, list_recalls_thread);
}

/* Returns: (transfer container) (element-type StriaeRecall): the recalls, or %NULL with
 * @error set (G_IO_ERROR_CANCELLED when cancelled meanwhile, whatever was read) */
GPtrArray *
striae_store_list_recalls_finish (StriaeStore   *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
