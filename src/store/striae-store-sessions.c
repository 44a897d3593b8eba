/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "striae-store-private.h"

/* The day's planned sessions, for the front desk's morning stack of aftercare sheets.
 *
 * Session dates are not stored: they follow from the plan inside the consultation's JSON
 * (first session, then one every interval, striae_plan_compute_schedule()). The backend
 * narrows the candidates to the latest revisions that are signed or complete and whose first session
 * lies in the window in which a session on the day is possible at all; the schedule itself is
 * computed here in C. A clinic has a few thousand consultations at most, so that is quick,
 * and it keeps one source of truth for the schedule instead of an index that could drift from
 * the plan. Drafts are left out: a sheet is printed after a session of a finished plan; so
 * are consultations signed as not treated, whose patient has no sessions. */

/* No plan reaches further than its last session: (STRIAE_PLAN_SESSIONS_MAX - 1) intervals
 * of at most STRIAE_PLAN_INTERVAL_MAX weeks after the first. */
#define LONGEST_COURSE_DAYS ((STRIAE_PLAN_SESSIONS_MAX - 1) * STRIAE_PLAN_INTERVAL_MAX * 7)

static GArray *
find_candidates (StriaeStore  *self,
                 const GDate  *date,
                 GError      **error)
{
  GDate start = *date;

  g_date_subtract_days (&start, LONGEST_COURSE_DAYS);
  return striae_store_backend_find_session_candidates (self->backend, &start, date, error);
}

static gboolean
has_session_on (StriaeConsultation *consultation,
                const GDate        *date)
{
  g_autoptr(GArray) schedule = NULL;
  g_autoptr(GError) error = NULL;

  schedule = striae_plan_compute_schedule (striae_consultation_get_plan (consultation),
                                           &error);
  if (schedule == NULL)
    {
      /* A finished consultation always has a schedule; one that has none has no session on
       * any day either. */
      g_debug ("Consultation %" G_GINT64_FORMAT " has no schedule: %s",
               striae_consultation_get_id (consultation), error->message);
      return FALSE;
    }

  for (guint i = 0; i < schedule->len; i++)
    if (g_date_compare (&g_array_index (schedule, GDate, i), date) == 0)
      return TRUE;

  return FALSE;
}

/**
 * striae_store_list_sessions_on:
 * @date: the day
 *
 * The consultations with a planned session on @date: the latest revision of each consultation
 * that is signed or complete (drafts are left out) and whose plan's schedule has a session
 * that day. Blocked plans are not left out here: the store does not judge the plan; the sheet
 * composer refuses them.
 *
 * Returns: (transfer full) (element-type StriaeConsultation): the consultations, by the
 *   patient's family and given name; empty when there are none, %NULL with @error set when
 *   the database cannot be read
 */
GPtrArray *
striae_store_list_sessions_on (StriaeStore  *self,
                               const GDate  *date,
                               GError      **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) ids = NULL;

  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);
  g_return_val_if_fail (date != NULL && g_date_valid (date), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  ids = find_candidates (self, date, error);
  if (ids == NULL)
    return NULL;

  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(StriaeConsultation) consultation = NULL;
      g_autoptr(GError) local_error = NULL;
      StriaeConsultationStatus status;

      consultation = striae_store_get_consultation (self, g_array_index (ids, gint64, i),
                                                    &local_error);
      if (consultation == NULL)
        {
          /* Deleted since the query: nothing to list. */
          if (g_error_matches (local_error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND))
            continue;
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }

      /* Amended since the query: the new draft revision is not finished. */
      status = striae_consultation_get_status (consultation);
      if (status != STRIAE_CONSULTATION_STATUS_SIGNED &&
          status != STRIAE_CONSULTATION_STATUS_COMPLETE)
        continue;

      if (has_session_on (consultation, date))
        g_ptr_array_add (list, g_steal_pointer (&consultation));
    }

  return g_steal_pointer (&list);
}
