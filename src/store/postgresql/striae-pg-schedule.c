/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "striae-date.h"
#include "striae-pg-private.h"

/* The schedule on the server (step 13 in striae-pg-schema.c), as in the file
 * (striae-sqlite-schedule.c). */

#define SELF(backend) STRIAE_PG_BACKEND (backend)

/* Columns 0 id, 1 consultation, 2 patient, 3 number, 4 course length, 5 maintenance, 6 date,
 * 7 time, 8 planned date, 9 status, 10 session record, 11 changed by, 12 changed at,
 * 13 reason. */
#define SCHEDULE_COLUMNS \
  "s.id, s.consultation_id, s.patient_id, s.number, s.course_length, s.maintenance::int," \
  " s.date, s.time, s.planned_date, s.status, s.treatment_session_id, s.changed_by," \
  " s.changed_at, s.reason"
#define N_SCHEDULE_COLUMNS 14

static void
read_scheduled (const PGresult         *result,
                int                     row,
                StriaeScheduledSession *s)
{
  s->id = pg_int (result, row, 0);
  s->consultation_id = pg_int (result, row, 1);
  s->patient_id = pg_int (result, row, 2);
  s->number = (guint) pg_int (result, row, 3);
  s->course_length = (guint) pg_int (result, row, 4);
  s->maintenance = pg_int (result, row, 5) != 0;
  striae_parse_optional_iso_date (pg_value (result, row, 6), &s->date, NULL);
  s->time = PQgetisnull (result, row, 7) ? -1 : (int) pg_int (result, row, 7);
  striae_parse_optional_iso_date (pg_value (result, row, 8), &s->planned_date, NULL);
  if (!striae_schedule_status_from_string (pg_value (result, row, 9), &s->status))
    s->status = STRIAE_SCHEDULE_STATUS_PLANNED;
  s->treatment_session_id = pg_int (result, row, 10);
  s->changed_by = g_strdup (pg_value (result, row, 11));
  s->changed_at = striae_store_parse_timestamp (pg_value (result, row, 12));
  s->reason = g_strdup (pg_value (result, row, 13));
}

static GPtrArray *
pg_list_schedule (StriaeStoreBackend  *backend,
                  gint64               consultation_id,
                  gint64               patient_id,
                  GError             **error)
{
  static const char by_consultation[] =
    "SELECT " SCHEDULE_COLUMNS " FROM scheduled_sessions s"
    "  WHERE s.consultation_id = $1 ORDER BY s.maintenance, s.number";
  static const char by_patient[] =
    "SELECT " SCHEDULE_COLUMNS " FROM scheduled_sessions s"
    "  WHERE s.patient_id = $1"
    "  ORDER BY s.date COLLATE \"C\", s.consultation_id, s.maintenance, s.number";
  StriaePgBackend *self = SELF (backend);
  g_autofree char *id_text = pg_int_text (consultation_id != 0 ? consultation_id : patient_id);
  const char *params[] = { id_text };
  g_autoptr(PGresult) result = NULL;
  GPtrArray *list;

  result = pg_run (self, self->main.conn, consultation_id != 0 ? by_consultation : by_patient,
                   1, params, error);
  if (result == NULL)
    return NULL;

  list = g_ptr_array_new_with_free_func ((GDestroyNotify) striae_scheduled_session_free);
  for (int i = 0; i < PQntuples (result); i++)
    {
      StriaeScheduledSession *s = g_new0 (StriaeScheduledSession, 1);

      read_scheduled (result, i, s);
      g_ptr_array_add (list, s);
    }

  return list;
}

/* Inside a transaction the row is locked until it ends, so that no other PC moves it between
 * the records layer's check and its write. */
static gboolean
pg_get_scheduled_session (StriaeStoreBackend      *backend,
                          gint64                   id,
                          StriaeScheduledSession **out,
                          GError                 **error)
{
  static const char read_sql[] =
    "SELECT " SCHEDULE_COLUMNS " FROM scheduled_sessions s WHERE s.id = $1";
  static const char lock_sql[] =
    "SELECT " SCHEDULE_COLUMNS " FROM scheduled_sessions s WHERE s.id = $1 FOR UPDATE";
  StriaePgBackend *self = SELF (backend);
  g_autofree char *id_text = pg_int_text (id);
  const char *params[] = { id_text };
  g_autoptr(PGresult) result = NULL;

  result = pg_run (self, self->main.conn, self->in_transaction ? lock_sql : read_sql, 1,
                   params, error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) > 0)
    {
      *out = g_new0 (StriaeScheduledSession, 1);
      read_scheduled (result, 0, *out);
    }

  return TRUE;
}

/* The texts of what an update writes: $1 date … $7 reason (NULLs where none). */
typedef struct
{
  char *date;
  char *time;
  char *session;
  char *changed_at;
} Changes;

static void
changes_init (Changes                      *changes,
              const StriaeScheduledSession *s,
              const char                  **params)
{
  changes->date = striae_format_optional_iso_date (&s->date);
  changes->time = s->time >= 0 ? pg_int_text (s->time) : NULL;
  changes->session = s->treatment_session_id != 0 ? pg_int_text (s->treatment_session_id)
                                                  : NULL;
  changes->changed_at = pg_timestamp_text (s->changed_at);
  params[0] = changes->date;
  params[1] = changes->time;
  params[2] = striae_schedule_status_to_string (s->status);
  params[3] = changes->session;
  params[4] = s->changed_by;
  params[5] = changes->changed_at;
  params[6] = s->reason;
}

static void
changes_clear (Changes *changes)
{
  g_free (changes->date);
  g_free (changes->time);
  g_free (changes->session);
  g_free (changes->changed_at);
}

static gboolean
pg_insert_scheduled_session (StriaeStoreBackend     *backend,
                             StriaeScheduledSession *session,
                             GError                **error)
{
  static const char sql[] =
    "INSERT INTO scheduled_sessions (date, time, status, treatment_session_id, changed_by,"
    "                                changed_at, reason, consultation_id, patient_id, number,"
    "                                course_length, maintenance, planned_date)"
    "  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id";
  StriaePgBackend *self = SELF (backend);
  g_autofree char *consultation = pg_int_text (session->consultation_id);
  g_autofree char *patient = pg_int_text (session->patient_id);
  g_autofree char *number = pg_int_text (session->number);
  g_autofree char *length = pg_int_text (session->course_length);
  g_autofree char *planned = striae_format_optional_iso_date (&session->planned_date);
  const char *params[13];
  g_autoptr(PGresult) result = NULL;
  Changes changes;

  changes_init (&changes, session, params);
  params[7] = consultation;
  params[8] = patient;
  params[9] = number;
  params[10] = length;
  params[11] = session->maintenance ? "true" : "false";
  params[12] = planned;
  result = pg_run (self, self->main.conn, sql, 13, params, error);
  changes_clear (&changes);
  if (result == NULL)
    return FALSE;
  session->id = pg_int (result, 0, 0);

  return TRUE;
}

static gboolean
pg_update_scheduled_session (StriaeStoreBackend           *backend,
                             const StriaeScheduledSession *session,
                             gboolean                     *found,
                             GError                      **error)
{
  static const char sql[] =
    "UPDATE scheduled_sessions SET date = $1, time = $2, status = $3,"
    "    treatment_session_id = $4, changed_by = $5, changed_at = $6, reason = $7"
    "  WHERE id = $8";
  static const char front_desk_sql[] =
    "UPDATE scheduled_sessions SET date = $1, time = $2, status = $3,"
    "    changed_by = $5, changed_at = $6, reason = $7"
    "  WHERE id = $8 AND treatment_session_id IS NOT DISTINCT FROM $4::bigint";
  StriaePgBackend *self = SELF (backend);
  g_autofree char *id_text = pg_int_text (session->id);
  const char *params[8];
  gint64 n_rows = 0;
  Changes changes;
  gboolean ok;

  changes_init (&changes, session, params);
  params[7] = id_text;
  /* The front desk's grant has no session record column: a move or a miss leaves it as it
   * is, and writes only what the front desk may. */
  ok = pg_exec_count (self, session->status == STRIAE_SCHEDULE_STATUS_DONE ? sql
                                                                          : front_desk_sql,
                      8, params, &n_rows, error);
  changes_clear (&changes);
  *found = ok && n_rows > 0;

  return ok;
}

/* A practitioner's amendment: the front desk's grant has no course_length column, and no
 * front desk signs an amendment. */
static gboolean
pg_set_course_length (StriaeStoreBackend  *backend,
                      gint64               consultation_id,
                      guint                course_length,
                      GError             **error)
{
  StriaePgBackend *self = SELF (backend);
  g_autofree char *id_text = pg_int_text (consultation_id);
  g_autofree char *length_text = g_strdup_printf ("%u", course_length);
  const char *params[] = { id_text, length_text };

  return pg_queue (self,
                   "UPDATE scheduled_sessions SET course_length = $2"
                   "  WHERE consultation_id = $1 AND course_length <> $2",
                   2, params, error);
}

static gboolean
pg_delete_scheduled_session (StriaeStoreBackend  *backend,
                             gint64               id,
                             GError             **error)
{
  StriaePgBackend *self = SELF (backend);
  g_autofree char *id_text = pg_int_text (id);
  const char *params[] = { id_text };

  return pg_queue (self, "DELETE FROM scheduled_sessions WHERE id = $1", 1, params, error);
}

static gboolean
pg_set_see_again (StriaeStoreBackend  *backend,
                  gint64               consultation_id,
                  const GDate         *date,
                  GError             **error)
{
  static const char delete_sql[] = "DELETE FROM see_again WHERE consultation_id = $1";
  static const char insert_sql[] =
    "INSERT INTO see_again (consultation_id, patient_id, date)"
    "  SELECT id, patient_id, $2 FROM consultations WHERE id = $1";
  StriaePgBackend *self = SELF (backend);
  g_autofree char *id_text = pg_int_text (consultation_id);
  g_autofree char *date_text = striae_format_optional_iso_date (date);
  const char *params[] = { id_text, date_text };

  if (!pg_queue (self, delete_sql, 1, params, error))
    return FALSE;
  if (date == NULL || !g_date_valid (date))
    return TRUE;
  return pg_queue (self, insert_sql, 2, params, error);
}

static GPtrArray *
pg_list_day (StriaeStoreBackend  *backend,
             const GDate         *date,
             GError             **error)
{
  static const char sql[] =
    "SELECT " SCHEDULE_COLUMNS ", p.given_name, p.family_name, p.birth_date"
    "  FROM scheduled_sessions s JOIN patients p ON p.id = s.patient_id"
    "  WHERE s.date = $1 AND NOT p.archived"
    "  ORDER BY s.time IS NULL, s.time, p.sort_key COLLATE \"C\", s.id";
  StriaePgBackend *self = SELF (backend);
  g_autofree char *date_text = striae_format_optional_iso_date (date);
  const char *params[] = { date_text };
  g_autoptr(PGresult) result = NULL;
  GPtrArray *list;

  result = pg_run (self, self->main.conn, sql, 1, params, error);
  if (result == NULL)
    return NULL;

  list = g_ptr_array_new_with_free_func ((GDestroyNotify) striae_day_entry_free);
  for (int i = 0; i < PQntuples (result); i++)
    {
      StriaeDayEntry *entry = g_new0 (StriaeDayEntry, 1);

      read_scheduled (result, i, &entry->session);
      entry->given_name = g_strdup (pg_value (result, i, N_SCHEDULE_COLUMNS));
      entry->family_name = g_strdup (pg_value (result, i, N_SCHEDULE_COLUMNS + 1));
      striae_parse_optional_iso_date (pg_value (result, i, N_SCHEDULE_COLUMNS + 2),
                                      &entry->date_of_birth, NULL);
      g_ptr_array_add (list, entry);
    }

  return list;
}

static GPtrArray *
pg_list_recalls (StriaeStoreBackend  *backend,
                 const GDate         *since,
                 const GDate         *today,
                 const GDate         *until,
                 GError             **error)
{
  static const char sql[] =
    "WITH due (reason, scheduled_id, consultation_id, patient_id, date) AS ("
    "  SELECT 0, s.id, s.consultation_id, s.patient_id, s.date FROM scheduled_sessions s"
    "    WHERE s.maintenance AND s.status IN ('planned', 'moved')"
    "      AND s.date COLLATE \"C\" <= $2 AND s.date COLLATE \"C\" >= $3"
    "  UNION ALL"
    "  SELECT 1, s.id, s.consultation_id, s.patient_id, s.date FROM scheduled_sessions s"
    "    WHERE s.status = 'missed' AND s.date COLLATE \"C\" >= $3"
    "      AND NOT EXISTS (SELECT 1 FROM scheduled_sessions m"
    "                      WHERE m.consultation_id = s.consultation_id"
    "                        AND m.status = 'missed'"
    "                        AND (m.date COLLATE \"C\" > s.date"
    "                             OR (m.date = s.date AND m.id > s.id)))"
    "      AND NOT EXISTS (SELECT 1 FROM scheduled_sessions l"
    "                      WHERE l.consultation_id = s.consultation_id"
    "                        AND l.maintenance = s.maintenance"
    "                        AND ((l.status IN ('planned', 'moved')"
    "                              AND l.date COLLATE \"C\" >= $1)"
    "                             OR (l.status = 'done' AND l.date COLLATE \"C\" >= s.date)))"
    "  UNION ALL"
    "  SELECT 2, 0, a.consultation_id, a.patient_id, a.date FROM see_again a"
    "    WHERE a.date COLLATE \"C\" <= $2 AND a.date COLLATE \"C\" >= $3"
    "      AND NOT EXISTS (SELECT 1 FROM consultations c"
    "                      WHERE c.patient_id = a.patient_id AND c.id > a.consultation_id))"
    "SELECT d.reason, d.scheduled_id, d.consultation_id, d.patient_id, d.date,"
    "       p.given_name, p.family_name, p.birth_date, p.phone, p.email"
    "  FROM due d JOIN patients p ON p.id = d.patient_id"
    "  WHERE NOT p.archived"
    "  ORDER BY d.date COLLATE \"C\", p.sort_key COLLATE \"C\", d.patient_id, d.reason";
  StriaePgBackend *self = SELF (backend);
  g_autofree char *today_text = striae_format_optional_iso_date (today);
  g_autofree char *until_text = striae_format_optional_iso_date (until);
  g_autofree char *since_text = striae_format_optional_iso_date (since);
  const char *params[] = { today_text, until_text, since_text };
  g_autoptr(PGresult) result = NULL;
  GPtrArray *list;

  result = pg_run (self, self->main.conn, sql, 3, params, error);
  if (result == NULL)
    return NULL;

  list = g_ptr_array_new_with_free_func ((GDestroyNotify) striae_recall_free);
  for (int i = 0; i < PQntuples (result); i++)
    {
      StriaeRecall *recall = g_new0 (StriaeRecall, 1);

      recall->reason = (StriaeRecallReason) pg_int (result, i, 0);
      recall->scheduled_id = pg_int (result, i, 1);
      recall->consultation_id = pg_int (result, i, 2);
      recall->patient_id = pg_int (result, i, 3);
      striae_parse_optional_iso_date (pg_value (result, i, 4), &recall->due, NULL);
      recall->given_name = g_strdup (pg_value (result, i, 5));
      recall->family_name = g_strdup (pg_value (result, i, 6));
      striae_parse_optional_iso_date (pg_value (result, i, 7), &recall->date_of_birth, NULL);
      recall->phone = g_strdup (pg_value (result, i, 8));
      recall->email = g_strdup (pg_value (result, i, 9));
      g_ptr_array_add (list, recall);
    }

  return list;
}

void
pg_schedule_iface_init (StriaeStoreBackendInterface *iface)
{
  iface->list_schedule = pg_list_schedule;
  iface->get_scheduled_session = pg_get_scheduled_session;
  iface->insert_scheduled_session = pg_insert_scheduled_session;
  iface->update_scheduled_session = pg_update_scheduled_session;
  iface->set_course_length = pg_set_course_length;
  iface->delete_scheduled_session = pg_delete_scheduled_session;
  iface->set_see_again = pg_set_see_again;
  iface->list_day = pg_list_day;
  iface->list_recalls = pg_list_recalls;
}
