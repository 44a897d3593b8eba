/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>

#include "striae-bench.h"
#include "striae-store.h"

/* The day's list and the recalls (issue 17) in a large clinic: 100 000 patients, one signed
 * consultation each, and 300 000 scheduled sessions (two course sessions and a maintenance
 * session each) over eight years, some missed, some patients to see again. Prints the median
 * time of striae_store_list_day() for the busiest day on file and of
 * striae_store_list_recalls() within 6 weeks, each against the target of 50 ms.
 *
 * The patients go in through the records API; the consultations and the schedule are copied
 * from one signed through the API by SQL, as bench-batch.c grows its history. */

#define TARGET_MS 50.0
#define TODAY "2026-06-01"

static StriaePatient *
new_patient (int i)
{
  StriaePatient *patient = striae_patient_new ();
  g_autofree char *family = g_strdup_printf ("Patient%06d", i);
  g_autofree char *phone = g_strdup_printf ("06 %02d %02d %02d %02d", i % 97, i % 89, i % 83,
                                            i % 79);
  g_autofree char *email = g_strdup_printf ("p%d@example.org", i);
  GDate birth;

  g_date_clear (&birth, 1);
  g_date_set_dmy (&birth, 1 + i % 28, 1 + i % 12, 1950 + i % 50);
  striae_patient_set_given_name (patient, i % 2 ? "Zoë" : "Ana");
  striae_patient_set_family_name (patient, family);
  striae_patient_set_birth_date (patient, &birth);
  striae_patient_set_phone (patient, phone);
  striae_patient_set_email (patient, email);
  return patient;
}

/* One signed consultation through the API: the model the others copy. */
static gint64
add_model (StriaeStore  *store,
           gint64        patient,
           GError      **error)
{
  g_autoptr(StriaeConsultation) c = striae_consultation_new ();
  g_autoptr(StriaeArea) area = striae_area_new (STRIAE_BODY_SITE_THIGHS);
  StriaePlan *plan = striae_consultation_get_plan (c);
  GDate date;

  g_date_clear (&date, 1);
  striae_consultation_set_patient_id (c, patient);
  g_date_set_dmy (&date, 5, 1, 2015);
  striae_consultation_set_date (c, &date);
  striae_consultation_set_practitioner (c, "Dr Roux");
  for (guint q = 0; q < STRIAE_N_QUESTIONS; q++)
    striae_history_set_answer (striae_consultation_get_history (c), q, STRIAE_ANSWER_NO);
  for (guint f = 0; f < STRIAE_N_SKIN_FACTS; f++)
    striae_skin_set_fact (striae_consultation_get_skin (c), f, STRIAE_ANSWER_NO);
  striae_skin_set_fitzpatrick (striae_consultation_get_skin (c), 3);
  striae_area_set_severity (area, STRIAE_SEVERITY_MODERATE);
  striae_area_set_mark_type (area, STRIAE_MARK_TYPE_ALBAE);
  striae_consultation_add_area (c, area);
  striae_plan_set_device (plan, STRIAE_DEVICE_PEN);
  striae_plan_set_sessions (plan, 2);
  striae_plan_set_interval_weeks (plan, 4);
  g_date_set_dmy (&date, 12, 1, 2015);
  striae_plan_set_first_session (plan, &date);
  striae_plan_set_maintenance_months (plan, 4);
  striae_consultation_set_status (c, STRIAE_CONSULTATION_STATUS_COMPLETE);
  if (!striae_store_save_consultation (store, c, "Dr Roux", error) ||
      !striae_store_sign_consultation (store, striae_consultation_get_id (c), "Dr Roux", error))
    return 0;
  return striae_consultation_get_id (c);
}

/* A consultation for every other patient, each with a course starting on a day of the eight
 * years around TODAY (consultation i on day i * 7919 mod 2920), its two sessions 4 weeks
 * apart and maintenance 4 months later; sessions before TODAY done, 1 in 50 missed, and
 * 1 in 50 patients not treated with a date to see them again. */
static gboolean
grow (const char  *path,
      gint64       model,
      GError     **error)
{
  static const char sql[] =
    "BEGIN;"
    "INSERT INTO consultations (patient_id, created)"
    "  SELECT p.id, c.created FROM patients p, consultations c"
    "  WHERE c.id = ?1 AND p.id <> c.patient_id;"
    "CREATE TEMP TABLE added AS"
    "  SELECT id, patient_id, date ('" TODAY "', '-1460 days', '+' || (id * 7919 % 2920) || ' days')"
    "    AS first FROM consultations WHERE id <> ?1;"
    "INSERT INTO consultation_revisions (consultation_id, revision, created, updated, signed_by,"
    "                                    signed_at, data)"
    "  SELECT a.id, 1, r.created, r.updated, r.signed_by, r.signed_at,"
    "         json_set (r.data, '$.id', a.id, '$.plan.\"first-session\"', a.first)"
    "  FROM added a, consultation_revisions r WHERE r.consultation_id = ?1;"
    "INSERT INTO scheduled_sessions (consultation_id, patient_id, number, course_length,"
    "                                maintenance, date, planned_date, status)"
    "  SELECT id, patient_id, n, 2, m, day, day,"
    "         CASE WHEN day >= '" TODAY "' THEN 'planned'"
    "              WHEN (id + n) % 50 = 0 THEN 'missed' ELSE 'done' END"
    "  FROM (SELECT a.id, a.patient_id, k.n, k.m,"
    "               date (a.first, '+' || k.days || ' days') AS day"
    "        FROM added a, (SELECT 1 AS n, 0 AS m, 0 AS days UNION ALL SELECT 2, 0, 28"
    "                       UNION ALL SELECT 1, 1, 148) k);"
    "INSERT INTO see_again (consultation_id, patient_id, date)"
    "  SELECT id, patient_id, date (first, '+200 days') FROM added WHERE id % 50 = 7;"
    "COMMIT;";
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  const char *tail = sql;
  int rc = SQLITE_OK;

  if (sqlite3_open (path, &db) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot open %s", path);
      sqlite3_close (db);
      return FALSE;
    }
  while (rc == SQLITE_OK && *tail != '\0')
    {
      rc = sqlite3_prepare_v2 (db, tail, -1, &stmt, &tail);
      if (rc != SQLITE_OK || stmt == NULL)
        break;
      if (sqlite3_bind_parameter_count (stmt) > 0)
        sqlite3_bind_int64 (stmt, 1, model);
      rc = sqlite3_step (stmt);
      rc = rc == SQLITE_DONE || rc == SQLITE_ROW ? SQLITE_OK : rc;
      sqlite3_finalize (stmt);
      stmt = NULL;
    }
  if (rc != SQLITE_OK)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", sqlite3_errmsg (db));
  sqlite3_close (db);
  return rc == SQLITE_OK;
}

static char *
busiest_day (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *day = NULL;

  if (sqlite3_open (path, &db) == SQLITE_OK &&
      sqlite3_prepare_v2 (db, "SELECT date FROM scheduled_sessions GROUP BY date"
                              " ORDER BY count (*) DESC, date LIMIT 1", -1, &stmt,
                          NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    day = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return day;
}

static void
print_figure (const char *what,
              double     *times,
              int         runs,
              guint       rows)
{
  double ms = striae_bench_median (times, runs);

  printf ("%-36s %6u rows %9.2f ms   target %.0f ms   %s\n", what, rows, ms, TARGET_MS,
          ms <= TARGET_MS ? "met" : "NOT MET");
}

int
main (int   argc,
      char *argv[])
{
  int count = 100000;
  int runs = 21;
  g_autofree char *keep = NULL;
  GOptionEntry entries[] = {
    { "count", 0, 0, G_OPTION_ARG_INT, &count, "Patients (100 000)", "N" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Timed runs of each list (21)", "N" },
    { "keep", 0, 0, G_OPTION_ARG_FILENAME, &keep,
      "Keep the database at PATH (measure it again when it exists)", "PATH" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- the day's list and recalls");
  g_autoptr(GError) error = NULL;
  g_autoptr(StriaeStore) store = NULL;
  g_autoptr(GPtrArray) patients = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *day_text = NULL;
  g_autofree double *day_times = NULL;
  g_autofree double *recall_times = NULL;
  guint day_rows = 0, recall_rows = 0;
  GDate day, today;
  gint64 model;
  gint64 start;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || count < 2 || runs < 1)
    {
      fprintf (stderr, "%s\n", error ? error->message : "--count 2 or more, --runs 1 or more");
      return EXIT_FAILURE;
    }

  dir = g_dir_make_tmp ("striae-bench-daylist-XXXXXX", &error);
  path = keep ? g_strdup (keep) : g_build_filename (dir, "clinic.db", NULL);
  start = g_get_monotonic_time ();
  /* A kept database is measured again as it is. */
  if (keep != NULL && g_file_test (keep, G_FILE_TEST_EXISTS))
    {
      if ((store = striae_store_open (path, &error)) == NULL)
        goto fail;
      printf ("%s as kept\n\n", path);
      goto measure;
    }
  if ((store = striae_store_open (path, &error)) == NULL)
    goto fail;
  for (int i = 0; i < count; i++)
    g_ptr_array_add (patients, new_patient (i));
  if (!striae_store_begin_bulk (store, &error) ||
      !striae_store_add_patients (store, patients, &error) ||
      !striae_store_end_bulk (store, &error) ||
      (model = add_model (store, striae_patient_get_id (g_ptr_array_index (patients, 0)),
                          &error)) == 0)
    goto fail;
  g_clear_object (&store);
  if (!grow (path, model, &error))
    goto fail;
  if ((store = striae_store_open (path, &error)) == NULL)
    goto fail;
  printf ("%d patients, %d consultations and %d scheduled sessions made in %.1f s\n\n", count,
          count, 3 * count, (g_get_monotonic_time () - start) / 1e6);

measure:
  day_text = busiest_day (path);
  g_date_clear (&day, 1);
  g_date_clear (&today, 1);
  g_date_set_parse (&day, day_text);
  g_date_set_parse (&today, TODAY);
  day_times = g_new (double, runs);
  recall_times = g_new (double, runs);
  for (int r = 0; r < runs; r++)
    {
      g_autoptr(GPtrArray) rows = NULL;
      g_autoptr(GPtrArray) recalls = NULL;

      start = g_get_monotonic_time ();
      if ((rows = striae_store_list_day (store, &day, &error)) == NULL)
        goto fail;
      day_times[r] = (g_get_monotonic_time () - start) / 1e3;
      day_rows = rows->len;

      start = g_get_monotonic_time ();
      if ((recalls = striae_store_list_recalls (store, 42, &today, &error)) == NULL)
        goto fail;
      recall_times[r] = (g_get_monotonic_time () - start) / 1e3;
      recall_rows = recalls->len;
    }

  printf ("Medians of %d runs (today %s)\n", runs, TODAY);
  {
    g_autofree char *what = g_strdup_printf ("striae_store_list_day (%s)", day_text);

    print_figure (what, day_times, runs, day_rows);
  }
  print_figure ("striae_store_list_recalls (6 weeks)", recall_times, runs, recall_rows);

  g_clear_object (&store);
  if (keep == NULL)
    {
      g_autofree char *wal = g_strconcat (path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (path, "-shm", NULL);

      g_remove (wal);
      g_remove (shm);
      g_remove (path);
    }
  g_rmdir (dir);
  return EXIT_SUCCESS;

fail:
  fprintf (stderr, "bench-daylist: %s\n", error ? error->message : "failed");
  return EXIT_FAILURE;
}
