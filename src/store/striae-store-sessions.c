/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "striae-store-private.h"

/* The day's planned sessions, for the front desk's morning stack of aftercare sheets.
 *
 * Session dates follow from the plan inside the consultation's document (first session, then
 * one every interval, striae_plan_compute_schedule()). So that the day's batch grows with the
 * day and not with the years on file, the records keep an index of them (schema step
 * "planned sessions"): whenever the records layer writes a revision it computes the schedule
 * here, in C, and the backend keeps one row a date for that revision; deleting a revision
 * deletes its rows. Only signed or complete revisions not signed as not treated have dates:
 * a sheet is printed after a session of a finished plan. The batch asks the index for the
 * day's consultations and checks each one's schedule again from the document it loads
 * anyway, so that the document stays the truth. */

/* Revisions read at a time by the back-fill. */
#define BACKFILL_PAGE 500

/* The dates on which @consultation plans a session: none while it is a draft or when it was
 * signed as not treated (or has no schedule). */
static GArray *
planned_dates (StriaeConsultation *consultation)
{
  StriaeConsultationStatus status = striae_consultation_get_status (consultation);
  GArray *schedule;

  if ((status != STRIAE_CONSULTATION_STATUS_SIGNED &&
       status != STRIAE_CONSULTATION_STATUS_COMPLETE) ||
      striae_consultation_is_not_treated (consultation))
    return g_array_new (FALSE, FALSE, sizeof (GDate));

  schedule = striae_plan_compute_schedule (striae_consultation_get_plan (consultation), NULL);
  if (schedule == NULL)
    return g_array_new (FALSE, FALSE, sizeof (GDate));

  return schedule;
}

/* Indexes the planned sessions of @consultation's revision (whose id and revision are the
 * stored row's) in @backend, inside the caller's transaction. */
gboolean
store_index_sessions (StriaeStoreBackend  *backend,
                      StriaeConsultation  *consultation,
                      GError             **error)
{
  g_autoptr(GArray) dates = planned_dates (consultation);

  return striae_store_backend_set_planned_sessions (
           backend, striae_consultation_get_id (consultation),
           striae_consultation_get_revision (consultation), dates, error) &&
         store_index_schedule (backend, consultation, error);
}

/* The consultation of a stored row, its keys the row's; NULL when its document cannot be
 * read. */
static StriaeConsultation *
consultation_from_row (const StriaeStoreRevision *row)
{
  StriaeConsultation *consultation = striae_consultation_new_from_json (row->document, NULL);

  if (consultation == NULL)
    return NULL;
  striae_consultation_set_id (consultation, row->consultation_id);
  striae_consultation_set_revision (consultation, row->revision);
  striae_consultation_set_patient_id (consultation, row->patient_id);
  return consultation;
}

/* The same for a stored row, whose document is read here; a document that cannot be read
 * plans nothing. With @schedule, the schedule too (not before the schema has one). */
static gboolean
index_revision (StriaeStoreBackend         *backend,
                const StriaeStoreRevision  *row,
                gboolean                    schedule,
                GError                    **error)
{
  g_autoptr(StriaeConsultation) consultation = consultation_from_row (row);
  g_autoptr(GArray) dates = NULL;

  if (consultation != NULL)
    dates = planned_dates (consultation);
  else
    dates = g_array_new (FALSE, FALSE, sizeof (GDate));

  return striae_store_backend_set_planned_sessions (backend, row->consultation_id,
                                                    row->revision, dates, error) &&
         (!schedule || consultation == NULL ||
          store_index_schedule (backend, consultation, error));
}

gboolean
store_index_revision (StriaeStoreBackend         *backend,
                      const StriaeStoreRevision  *row,
                      GError                    **error)
{
  return index_revision (backend, row, TRUE, error);
}

/* Every signed or complete revision on file, oldest first, page by page, inside the
 * caller's transaction: @planned re-indexes its planned sessions, @schedule makes its
 * schedule (a consultation's later signed revisions after its earlier ones, as they were
 * signed). */
static gboolean
index_all (StriaeStore  *self,
           gboolean      planned,
           gboolean      schedule,
           GError      **error)
{
  gint64 after_id = 0;
  guint after_revision = 0;

  for (;;)
    {
      g_autoptr(GPtrArray) rows = NULL;
      StriaeStoreRevision *last;

      rows = striae_store_backend_list_finished_revisions (self->backend, after_id,
                                                           after_revision, BACKFILL_PAGE,
                                                           error);
      if (rows == NULL)
        return FALSE;

      for (guint i = 0; i < rows->len; i++)
        {
          const StriaeStoreRevision *row = g_ptr_array_index (rows, i);
          g_autoptr(StriaeConsultation) consultation = NULL;

          if (planned)
            {
              if (!index_revision (self->backend, row, schedule, error))
                return FALSE;
              continue;
            }
          consultation = consultation_from_row (row);
          if (consultation != NULL &&
              !store_index_schedule (self->backend, consultation, error))
            return FALSE;
        }

      if (rows->len < BACKFILL_PAGE)
        return TRUE;

      last = g_ptr_array_index (rows, rows->len - 1);
      after_id = last->consultation_id;
      after_revision = last->revision;
    }
}

/* The back-fill of the schema step "planned sessions" (9). */
gboolean
store_index_all_sessions (StriaeStore  *self,
                          GError      **error)
{
  return index_all (self, TRUE, FALSE, error);
}

/* The back-fill of the schema step "schedule" (13): the schedule of every consultation signed
 * before it, and the see-again dates of those not treated. */
gboolean
store_schedule_all (StriaeStore  *self,
                    GError      **error)
{
  return index_all (self, FALSE, TRUE, error);
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

  ids = striae_store_backend_find_planned_sessions (self->backend, date, error);
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
