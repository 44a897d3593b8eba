/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "striae-date.h"
#include "striae-sqlite-private.h"

/* The schedule in SQLite (migration 13 in striae-sqlite-schema.c): the rows are written as
 * the records layer decides them; the day's list and the recalls are read through the
 * indexes on the date, the missed sessions and the see-again dates. */

#define SELF(backend) STRIAE_SQLITE_BACKEND (backend)
#define TEXT(stmt, i) ((const char *) sqlite3_column_text (stmt, i))

/* Columns 0 id, 1 consultation, 2 patient, 3 number, 4 course length, 5 maintenance, 6 date,
 * 7 time, 8 planned date, 9 status, 10 session record, 11 changed by, 12 changed at,
 * 13 reason. */
#define SCHEDULE_COLUMNS \
  "s.id, s.consultation_id, s.patient_id, s.number, s.course_length, s.maintenance, s.date," \
  " s.time, s.planned_date, s.status, s.treatment_session_id, s.changed_by, s.changed_at," \
  " s.reason"
#define N_SCHEDULE_COLUMNS 14

static void
read_scheduled (sqlite3_stmt           *stmt,
                StriaeScheduledSession *s)
{
  s->id = sqlite3_column_int64 (stmt, 0);
  s->consultation_id = sqlite3_column_int64 (stmt, 1);
  s->patient_id = sqlite3_column_int64 (stmt, 2);
  s->number = (guint) sqlite3_column_int64 (stmt, 3);
  s->course_length = (guint) sqlite3_column_int64 (stmt, 4);
  s->maintenance = sqlite3_column_int (stmt, 5) != 0;
  striae_parse_optional_iso_date (TEXT (stmt, 6), &s->date, NULL);
  s->time = sqlite3_column_type (stmt, 7) == SQLITE_NULL ? -1 : sqlite3_column_int (stmt, 7);
  striae_parse_optional_iso_date (TEXT (stmt, 8), &s->planned_date, NULL);
  if (!striae_schedule_status_from_string (TEXT (stmt, 9), &s->status))
    s->status = STRIAE_SCHEDULE_STATUS_PLANNED;
  s->treatment_session_id = sqlite3_column_int64 (stmt, 10);
  s->changed_by = g_strdup (TEXT (stmt, 11));
  s->changed_at = striae_store_parse_timestamp (TEXT (stmt, 12));
  s->reason = g_strdup (TEXT (stmt, 13));
}

static void
bind_date (sqlite3_stmt *stmt,
           int           index,
           const GDate  *date)
{
  sqlite3_bind_text (stmt, index, striae_format_optional_iso_date (date), -1, g_free);
}

static GPtrArray *
sqlite_list_schedule (StriaeStoreBackend  *backend,
                      gint64               consultation_id,
                      gint64               patient_id,
                      GError             **error)
{
  static const char by_consultation[] =
    "SELECT " SCHEDULE_COLUMNS " FROM scheduled_sessions s"
    "  WHERE s.consultation_id = ?1 ORDER BY s.maintenance, s.number";
  static const char by_patient[] =
    "SELECT " SCHEDULE_COLUMNS " FROM scheduled_sessions s"
    "  WHERE s.patient_id = ?1"
    "  ORDER BY s.date, s.consultation_id, s.maintenance, s.number";
  StriaeSqliteBackend *self = SELF (backend);
  g_autoptr(GPtrArray) list = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = sqlite_prepare (&self->main, consultation_id != 0 ? by_consultation : by_patient,
                         error);
  if (stmt == NULL)
    return NULL;

  list = g_ptr_array_new_with_free_func ((GDestroyNotify) striae_scheduled_session_free);
  sqlite3_bind_int64 (stmt, 1, consultation_id != 0 ? consultation_id : patient_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      StriaeScheduledSession *s = g_new0 (StriaeScheduledSession, 1);

      read_scheduled (stmt, s);
      g_ptr_array_add (list, s);
    }

  return sqlite_statement_finish (&self->main, stmt, rc, error) ? g_steal_pointer (&list) : NULL;
}

static gboolean
sqlite_get_scheduled_session (StriaeStoreBackend      *backend,
                              gint64                   id,
                              StriaeScheduledSession **result,
                              GError                 **error)
{
  static const char sql[] =
    "SELECT " SCHEDULE_COLUMNS " FROM scheduled_sessions s WHERE s.id = ?1";
  StriaeSqliteBackend *self = SELF (backend);
  sqlite3_stmt *stmt = sqlite_prepare (&self->main, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *result = g_new0 (StriaeScheduledSession, 1);
      read_scheduled (stmt, *result);
      rc = sqlite3_step (stmt);
    }

  return sqlite_statement_finish (&self->main, stmt, rc, error);
}

/* Parameters 1 date, 2 time, 3 status, 4 session record, 5 changed by, 6 changed at,
 * 7 reason: what an update writes too. */
static void
bind_changes (sqlite3_stmt                 *stmt,
              const StriaeScheduledSession *s)
{
  bind_date (stmt, 1, &s->date);
  if (s->time >= 0)
    sqlite3_bind_int (stmt, 2, s->time);
  else
    sqlite3_bind_null (stmt, 2);
  sqlite3_bind_text (stmt, 3, striae_schedule_status_to_string (s->status), -1,
                     SQLITE_STATIC);
  if (s->treatment_session_id != 0)
    sqlite3_bind_int64 (stmt, 4, s->treatment_session_id);
  else
    sqlite3_bind_null (stmt, 4);
  sqlite3_bind_text (stmt, 5, s->changed_by, -1, SQLITE_STATIC);
  if (s->changed_at != NULL)
    sqlite3_bind_text (stmt, 6, striae_store_format_timestamp (s->changed_at), -1, g_free);
  else
    sqlite3_bind_null (stmt, 6);
  sqlite3_bind_text (stmt, 7, s->reason, -1, SQLITE_STATIC);
}

static gboolean
sqlite_insert_scheduled_session (StriaeStoreBackend     *backend,
                                 StriaeScheduledSession *session,
                                 GError                **error)
{
  static const char sql[] =
    "INSERT INTO scheduled_sessions (date, time, status, treatment_session_id, changed_by,"
    "                                changed_at, reason, consultation_id, patient_id, number,"
    "                                course_length, maintenance, planned_date)"
    "  VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";
  StriaeSqliteBackend *self = SELF (backend);
  sqlite3_stmt *stmt = sqlite_prepare (&self->main, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  bind_changes (stmt, session);
  sqlite3_bind_int64 (stmt, 8, session->consultation_id);
  sqlite3_bind_int64 (stmt, 9, session->patient_id);
  sqlite3_bind_int64 (stmt, 10, session->number);
  sqlite3_bind_int64 (stmt, 11, session->course_length);
  sqlite3_bind_int (stmt, 12, session->maintenance ? 1 : 0);
  bind_date (stmt, 13, &session->planned_date);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    session->id = sqlite3_last_insert_rowid (self->main.db);

  return sqlite_statement_finish (&self->main, stmt, rc, error);
}

static gboolean
sqlite_update_scheduled_session (StriaeStoreBackend           *backend,
                                 const StriaeScheduledSession *session,
                                 gboolean                     *found,
                                 GError                      **error)
{
  static const char sql[] =
    "UPDATE scheduled_sessions SET date = ?1, time = ?2, status = ?3,"
    "    treatment_session_id = ?4, changed_by = ?5, changed_at = ?6, reason = ?7"
    "  WHERE id = ?8";
  StriaeSqliteBackend *self = SELF (backend);
  sqlite3_stmt *stmt = sqlite_prepare (&self->main, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  bind_changes (stmt, session);
  sqlite3_bind_int64 (stmt, 8, session->id);
  rc = sqlite3_step (stmt);
  *found = rc == SQLITE_DONE && sqlite3_changes (self->main.db) > 0;

  return sqlite_statement_finish (&self->main, stmt, rc, error);
}

static gboolean
sqlite_set_course_length (StriaeStoreBackend  *backend,
                          gint64               consultation_id,
                          guint                course_length,
                          GError             **error)
{
  static const char sql[] =
    "UPDATE scheduled_sessions SET course_length = ?2"
    "  WHERE consultation_id = ?1 AND course_length <> ?2";
  StriaeSqliteBackend *self = SELF (backend);
  sqlite3_stmt *stmt = sqlite_prepare (&self->main, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, consultation_id);
  sqlite3_bind_int64 (stmt, 2, course_length);
  rc = sqlite3_step (stmt);
  return sqlite_statement_finish (&self->main, stmt, rc, error);
}

static gboolean
sqlite_delete_scheduled_session (StriaeStoreBackend  *backend,
                                 gint64               id,
                                 GError             **error)
{
  StriaeSqliteBackend *self = SELF (backend);
  sqlite3_stmt *stmt = sqlite_prepare (&self->main,
                                       "DELETE FROM scheduled_sessions WHERE id = ?1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  return sqlite_statement_finish (&self->main, stmt, sqlite3_step (stmt), error);
}

static gboolean
sqlite_set_see_again (StriaeStoreBackend  *backend,
                      gint64               consultation_id,
                      const GDate         *date,
                      GError             **error)
{
  static const char delete_sql[] = "DELETE FROM see_again WHERE consultation_id = ?1";
  static const char insert_sql[] =
    "INSERT INTO see_again (consultation_id, patient_id, date)"
    "  SELECT id, patient_id, ?2 FROM consultations WHERE id = ?1";
  StriaeSqliteBackend *self = SELF (backend);
  sqlite3_stmt *stmt = sqlite_prepare (&self->main, delete_sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, consultation_id);
  if (!sqlite_statement_finish (&self->main, stmt, sqlite3_step (stmt), error))
    return FALSE;
  if (date == NULL || !g_date_valid (date))
    return TRUE;

  if ((stmt = sqlite_prepare (&self->main, insert_sql, error)) == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, consultation_id);
  bind_date (stmt, 2, date);
  return sqlite_statement_finish (&self->main, stmt, sqlite3_step (stmt), error);
}

static GPtrArray *
sqlite_list_day (StriaeStoreBackend  *backend,
                 const GDate         *date,
                 GError             **error)
{
  static const char sql[] =
    "SELECT " SCHEDULE_COLUMNS ", p.given_name, p.family_name, p.birth_date"
    "  FROM scheduled_sessions s JOIN patients p ON p.id = s.patient_id"
    "  WHERE s.date = ?1 AND p.archived = 0"
    "  ORDER BY s.time IS NULL, s.time, p.sort_key, s.id";
  StriaeSqliteBackend *self = SELF (backend);
  g_autoptr(GPtrArray) list = NULL;
  sqlite3_stmt *stmt = sqlite_prepare (&self->main, sql, error);
  int rc;

  if (stmt == NULL)
    return NULL;

  list = g_ptr_array_new_with_free_func ((GDestroyNotify) striae_day_entry_free);
  bind_date (stmt, 1, date);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      StriaeDayEntry *entry = g_new0 (StriaeDayEntry, 1);

      read_scheduled (stmt, &entry->session);
      entry->given_name = g_strdup (TEXT (stmt, N_SCHEDULE_COLUMNS));
      entry->family_name = g_strdup (TEXT (stmt, N_SCHEDULE_COLUMNS + 1));
      striae_parse_optional_iso_date (TEXT (stmt, N_SCHEDULE_COLUMNS + 2),
                                      &entry->date_of_birth, NULL);
      g_ptr_array_add (list, entry);
    }

  return sqlite_statement_finish (&self->main, stmt, rc, error) ? g_steal_pointer (&list) : NULL;
}

/* Three kinds in one statement, each through its own index: the open maintenance sessions
 * by date, the missed sessions (few), the see-again dates. A stopped course is one whose
 * latest missed session has no session of its kind open from @today on or done after it. */
static GPtrArray *
sqlite_list_recalls (StriaeStoreBackend  *backend,
                     const GDate         *since,
                     const GDate         *today,
                     const GDate         *until,
                     GError             **error)
{
  static const char sql[] =
    "WITH due (reason, scheduled_id, consultation_id, patient_id, date) AS ("
    "  SELECT 0, s.id, s.consultation_id, s.patient_id, s.date FROM scheduled_sessions s"
    "    WHERE s.maintenance = 1 AND s.status IN ('planned', 'moved') AND s.date <= ?2 AND s.date >= ?3"
    "  UNION ALL"
    "  SELECT 1, s.id, s.consultation_id, s.patient_id, s.date FROM scheduled_sessions s"
    "    WHERE s.status = 'missed' AND s.date >= ?3"
    "      AND NOT EXISTS (SELECT 1 FROM scheduled_sessions m"
    "                      WHERE m.consultation_id = s.consultation_id"
    "                        AND m.status = 'missed'"
    "                        AND (m.date > s.date OR (m.date = s.date AND m.id > s.id)))"
    "      AND NOT EXISTS (SELECT 1 FROM scheduled_sessions l"
    "                      WHERE l.consultation_id = s.consultation_id"
    "                        AND l.maintenance = s.maintenance"
    "                        AND ((l.status IN ('planned', 'moved') AND l.date >= ?1)"
    "                             OR (l.status = 'done' AND l.date >= s.date)))"
    "  UNION ALL"
    "  SELECT 2, 0, a.consultation_id, a.patient_id, a.date FROM see_again a"
    "    WHERE a.date <= ?2 AND a.date >= ?3"
    "      AND NOT EXISTS (SELECT 1 FROM consultations c"
    "                      WHERE c.patient_id = a.patient_id AND c.id > a.consultation_id))"
    "SELECT d.reason, d.scheduled_id, d.consultation_id, d.patient_id, d.date,"
    "       p.given_name, p.family_name, p.birth_date, p.phone, p.email"
    "  FROM due d JOIN patients p ON p.id = d.patient_id"
    "  WHERE p.archived = 0"
    "  ORDER BY d.date, p.sort_key, d.patient_id, d.reason";
  StriaeSqliteBackend *self = SELF (backend);
  g_autoptr(GPtrArray) list = NULL;
  sqlite3_stmt *stmt = sqlite_prepare (&self->main, sql, error);
  int rc;

  if (stmt == NULL)
    return NULL;

  list = g_ptr_array_new_with_free_func ((GDestroyNotify) striae_recall_free);
  bind_date (stmt, 1, today);
  bind_date (stmt, 2, until);
  bind_date (stmt, 3, since);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      StriaeRecall *recall = g_new0 (StriaeRecall, 1);

      recall->reason = sqlite3_column_int (stmt, 0);
      recall->scheduled_id = sqlite3_column_int64 (stmt, 1);
      recall->consultation_id = sqlite3_column_int64 (stmt, 2);
      recall->patient_id = sqlite3_column_int64 (stmt, 3);
      striae_parse_optional_iso_date (TEXT (stmt, 4), &recall->due, NULL);
      recall->given_name = g_strdup (TEXT (stmt, 5));
      recall->family_name = g_strdup (TEXT (stmt, 6));
      striae_parse_optional_iso_date (TEXT (stmt, 7), &recall->date_of_birth, NULL);
      recall->phone = g_strdup (TEXT (stmt, 8));
      recall->email = g_strdup (TEXT (stmt, 9));
      g_ptr_array_add (list, recall);
    }

  return sqlite_statement_finish (&self->main, stmt, rc, error) ? g_steal_pointer (&list) : NULL;
}

void
sqlite_schedule_iface_init (StriaeStoreBackendInterface *iface)
{
  iface->list_schedule = sqlite_list_schedule;
  iface->get_scheduled_session = sqlite_get_scheduled_session;
  iface->insert_scheduled_session = sqlite_insert_scheduled_session;
  iface->update_scheduled_session = sqlite_update_scheduled_session;
  iface->set_course_length = sqlite_set_course_length;
  iface->delete_scheduled_session = sqlite_delete_scheduled_session;
  iface->set_see_again = sqlite_set_see_again;
  iface->list_day = sqlite_list_day;
  iface->list_recalls = sqlite_list_recalls;
}
