/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "striae-day-item.h"
#include "striae-day-reader.h"
#include "striae-treatment-session.h"

/* "Session 2 of 4" for a session of the course, "Maintenance session" for the one after it:
 * the place of @day in the plan's schedule [course]. */
static char *
describe_place (StriaePlan  *plan,
                const GDate *day)
{
  g_autoptr(GArray) dates = striae_plan_compute_schedule (plan, NULL);
  GDate maintenance;

  for (guint i = 0; dates != NULL && i < dates->len; i++)
    if (g_date_compare (&g_array_index (dates, GDate, i), day) == 0)
      /* TRANSLATORS: the place of a session in the course of treatment */
      return g_strdup_printf (_("Session %u of %u"), i + 1, dates->len);

  if (striae_plan_get_maintenance_months (plan) > 0 &&
      striae_plan_compute_maintenance_date (plan, &maintenance, NULL) &&
      g_date_compare (&maintenance, day) == 0)
    return g_strdup (_("Maintenance session"));

  return g_strdup (_("Session"));
}

static StriaeDayItem *
read_item (StriaeStore         *store,
           StriaeConsultation  *consultation,
           const GDate         *day,
           GError             **error)
{
  g_autoptr(StriaePatient) patient = NULL;
  g_autofree char *name = NULL;
  g_autofree char *place = NULL;

  patient = striae_store_get_patient (store, striae_consultation_get_patient_id (consultation),
                                      error);
  if (patient == NULL)
    return NULL;

  name = striae_patient_dup_full_name (patient);
  place = describe_place (striae_consultation_get_plan (consultation), day);
  /* The plan gives dates, not times: every session of the day is planned. */
  return striae_day_item_new (striae_patient_get_id (patient),
                              striae_consultation_get_id (consultation),
                              name, NULL, place, _("Planned"), TRUE);
}

static char *
dup_entry_name (const StriaeDayEntry *entry)
{
  const char *given = entry->given_name != NULL ? entry->given_name : "";
  const char *family = entry->family_name != NULL ? entry->family_name : "";

  if (*given == '\0')
    return g_strdup (family);
  if (*family == '\0')
    return g_strdup (given);
  /* The patient's own words for a full name (striae_patient_dup_full_name()). */
  return g_strdup_printf (C_("full name", "%s %s"), given, family);
}

static StriaeDayItem *
item_from_entry (const StriaeDayEntry *entry)
{
  const StriaeScheduledSession *session = &entry->session;
  g_autofree char *name = dup_entry_name (entry);
  g_autofree char *place = striae_scheduled_session_describe (session);
  g_autofree char *time = session->time >= 0 ? striae_format_minutes (session->time) : NULL;
  /* A session missed or cancelled was not given: it has no aftercare. */
  gboolean printable = session->status != STRIAE_SCHEDULE_STATUS_MISSED &&
                       session->status != STRIAE_SCHEDULE_STATUS_CANCELLED;
  StriaeDayItem *item;

  item = striae_day_item_new (session->patient_id, session->consultation_id, name, time,
                              place, striae_schedule_status_get_label (session->status),
                              printable);
  striae_day_item_set_scheduled (item, session);
  return item;
}

/* The records' schedule (striae_store_list_day()): times, statuses, moved sessions. */
static GListStore *
read_schedule (StriaeStore  *store,
               const GDate  *day,
               GError      **error)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GListStore) items = NULL;

  entries = striae_store_list_day (store, day, error);
  if (entries == NULL)
    return NULL;

  items = g_list_store_new (STRIAE_TYPE_DAY_ITEM);
  for (guint i = 0; i < entries->len; i++)
    {
      g_autoptr(StriaeDayItem) item = item_from_entry (g_ptr_array_index (entries, i));

      g_list_store_append (items, item);
    }
  return g_steal_pointer (&items);
}

/* Records without a schedule: the sessions the plans give that day, all planned. */
static GListStore *
read_plans (StriaeStore  *store,
            const GDate  *day,
            GError      **error)
{
  g_autoptr(GPtrArray) consultations = NULL;
  g_autoptr(GListStore) items = g_list_store_new (STRIAE_TYPE_DAY_ITEM);

  consultations = striae_store_list_sessions_on (store, day, error);
  if (consultations == NULL)
    return NULL;

  for (guint i = 0; i < consultations->len; i++)
    {
      g_autoptr(StriaeDayItem) item = read_item (store, g_ptr_array_index (consultations, i),
                                                 day, error);

      if (item == NULL)
        return NULL;
      g_list_store_append (items, item);
    }

  return g_steal_pointer (&items);
}

/**
 * striae_day_read:
 * @store: the records
 * @day: the day
 *
 * Returns: (transfer full): a list of #StriaeDayItem, or %NULL with @error set
 */
GListStore *
striae_day_read (StriaeStore  *store,
                 const GDate  *day,
                 GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  GListStore *items;

  g_return_val_if_fail (STRIAE_IS_STORE (store), NULL);
  g_return_val_if_fail (day != NULL && g_date_valid (day), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  items = read_schedule (store, day, &local_error);
  if (items != NULL)
    return items;
  if (!g_error_matches (local_error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_SUPPORTED))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  return read_plans (store, day, error);
}

/* Reading the day in a worker thread, so that the window never waits on the records for it
 * (issue 15); the records serialise their connections' use themselves, as for the recalls
 * (striae_store_list_recalls_async()). */

static void
day_read_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  GError *error = NULL;
  GListStore *items = striae_day_read (source_object, task_data, &error);

  if (items == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, items, g_object_unref);
}

/**
 * striae_day_read_async:
 * @cancellable: (nullable): cancelled when the read is no longer wanted (another day chosen)
 *
 * As striae_day_read(), in a worker thread.
 */
void
striae_day_read_async (StriaeStore         *store,
                       const GDate         *day,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (STRIAE_IS_STORE (store));
  g_return_if_fail (day != NULL && g_date_valid (day));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, striae_day_read_async);
  g_task_set_task_data (task, g_memdup2 (day, sizeof *day), g_free);
  g_task_run_in_thread (task, day_read_thread);
}

/**
 * striae_day_read_finish:
 *
 * Returns: (transfer full): a list of #StriaeDayItem, or %NULL with @error set
 *   (G_IO_ERROR_CANCELLED when cancelled meanwhile, whatever was read)
 */
GListStore *
striae_day_read_finish (StriaeStore   *store,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE (store), NULL);
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == striae_day_read_async, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
