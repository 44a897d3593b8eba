/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The day's batch (issue 15): `striae --sheet aftercare --sessions-on DAY --output FOLDER` for
 * a day with 50 planned sessions, with 1 000 and with 100 000 consultations on file, against
 * writing 50 bare Pango PDFs of the same lines in this process. The target is 1.5 times the
 * floor whatever the history: the batch grows with the day, not with the years on file.
 *
 *   _build/bench/bench-batch [--sheets N] [--runs N] [--striae PATH] [--keep]
 *   tests/with-postgresql _build/bench/bench-batch --server [--sheets N] [--runs N]
 *
 * The records are made through the records API (the day's 50 consultations and one of the
 * history), then the history is copied with SQL to the count asked, its first sessions spread
 * over the nine years before the day, with their rows in the index of planned sessions as
 * the records layer would write them (every 4 weeks, 6 sessions). Runs alternate between the
 * command and the floor; the figures are the medians (wall clock).
 *
 * With --server, the records are a clinic's on the private PostgreSQL server of
 * tests/with-postgresql instead: a database of the benchmark's own, set up as
 * `striae --server-init` does, with the front desk's login in the assistants' group, made and
 * filled outside the time (the history copied with SQL as the database's owner) and dropped
 * afterwards with every login and group the benchmark made. The command runs as that login
 * (`--database postgresql://…&user=frontdesk`), over the server's Unix socket, which the
 * private server trusts: no password is checked there.
 */
#include <cairo-pdf.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <pango/pangocairo.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include "bench-clinic-server.h"
#include "striae-bench.h"
#include "striae-bench-floor.h"
#include "striae-sheet.h"
#include "striae-sheet-private.h"
#include "striae-store.h"

#define DAY "2026-12-08"
/* The front desk's account, which the command line needs once records have accounts; its
 * password (Argon2id, checked at each run) is part of the figure, as it is of the batch. */
#define USER "frontdesk"
#define PASSWORD "bench-password"
#define TARGET_RATIO 1.5
#define SERVER_DATABASE "striae_bench_batch"

static const int histories[] = { 1000, 100000 };

static StriaeConsultation *
new_consultation (gint64      patient,
                  const char *first,
                  guint       sessions)
{
  StriaeConsultation *c = striae_consultation_new ();
  g_autoptr(StriaeArea) area = striae_area_new (STRIAE_BODY_SITE_THIGHS);
  StriaePlan *plan = striae_consultation_get_plan (c);
  GDate date;

  g_date_clear (&date, 1);
  striae_consultation_set_patient_id (c, patient);
  g_date_set_parse (&date, "2015-11-02");
  striae_consultation_set_date (c, &date);
  striae_consultation_set_practitioner (c, "Dr Roux");
  for (guint q = 0; q < STRIAE_N_QUESTIONS; q++)
    striae_history_set_answer (striae_consultation_get_history (c), q, STRIAE_ANSWER_NO);
  for (guint f = 0; f < STRIAE_N_SKIN_FACTS; f++)
    striae_skin_set_fact (striae_consultation_get_skin (c), f, STRIAE_ANSWER_NO);
  striae_skin_set_fitzpatrick (striae_consultation_get_skin (c), 3);
  striae_area_set_severity (area, STRIAE_SEVERITY_SEVERE);
  striae_area_set_mark_type (area, STRIAE_MARK_TYPE_ALBAE);
  striae_consultation_add_area (c, area);
  striae_plan_set_device (plan, STRIAE_DEVICE_RF);
  striae_plan_set_sessions (plan, sessions);
  striae_plan_set_interval_weeks (plan, 4);
  g_date_set_parse (&date, first);
  striae_plan_set_first_session (plan, &date);
  striae_consultation_set_status (c, STRIAE_CONSULTATION_STATUS_COMPLETE);
  return c;
}

static gint64
add_signed (StriaeStore  *store,
            const char   *given,
            const char   *family,
            const char   *first,
            guint         sessions,
            GError      **error)
{
  g_autoptr(StriaePatient) patient = striae_patient_new ();
  g_autoptr(StriaeConsultation) c = NULL;
  GDate birth;

  g_date_clear (&birth, 1);
  g_date_set_dmy (&birth, 12, G_DATE_MAY, 1990);
  striae_patient_set_given_name (patient, given);
  striae_patient_set_family_name (patient, family);
  striae_patient_set_birth_date (patient, &birth);
  striae_patient_set_language (patient, "en");
  if (!striae_store_add_patient (store, patient, error))
    return 0;
  c = new_consultation (striae_patient_get_id (patient), first, sessions);
  if (!striae_store_save_consultation (store, c, "Dr Roux", error) ||
      !striae_store_sign_consultation (store, striae_consultation_get_id (c), "Dr Roux", error))
    return 0;
  return striae_consultation_get_id (c);
}

static gboolean
exec_sql (sqlite3     *db,
          const char  *sql,
          GError     **error)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", message);
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

/* The history copied from consultation @model to @total consultations on file. */
static gboolean
grow_history (const char  *path,
              gint64       model,
              int          copies,
              GError     **error)
{
  g_autofree char *sql = NULL;
  sqlite3 *db = NULL;
  gboolean ok;

  if (copies <= 0)
    return TRUE;
  if (sqlite3_open (path, &db) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot open %s", path);
      sqlite3_close (db);
      return FALSE;
    }
  sql = g_strdup_printf (
    "BEGIN;"
    "CREATE TEMP TABLE copies AS"
    "  WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)"
    "  SELECT i FROM n;"
    "INSERT INTO consultations (patient_id, created)"
    "  SELECT c.patient_id, c.created FROM copies, consultations c WHERE c.id = %" G_GINT64_FORMAT ";"
    /* Never a multiple of 7 days before the day, so no history session falls on it. */
    "CREATE TEMP TABLE added AS"
    "  SELECT id, date ('" DAY "', '-' || (7 * (30 + id * 7919 %% 440) + 3) || ' days')"
    "  AS first FROM consultations WHERE id > (SELECT max (id) - %d FROM consultations);"
    "INSERT INTO consultation_revisions (consultation_id, revision, created, updated, signed_by,"
    "                                    signed_at, data)"
    "  SELECT a.id, 1, r.created, r.updated, r.signed_by, r.signed_at,"
    "         json_set (r.data, '$.id', a.id, '$.plan.\"first-session\"', a.first)"
    "  FROM added a, consultation_revisions r WHERE r.consultation_id = %" G_GINT64_FORMAT ";"
    "INSERT INTO planned_sessions (consultation_id, revision, date)"
    "  SELECT a.id, 1, date (a.first, '+' || (k.i * 28) || ' days')"
    "  FROM added a, (SELECT i - 1 AS i FROM copies WHERE i <= 6) k;"
    "COMMIT;",
    copies, model, copies, model);
  ok = exec_sql (db, sql, error);
  sqlite3_close (db);
  return ok;
}

static char *
make_records (const char  *dir,
              int          history,
              int          sheets,
              GError     **error)
{
  g_autofree char *name = g_strdup_printf ("history-%d.db", history);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(StriaeStore) store = striae_store_open (path, error);
  gint64 model;

  if (store == NULL)
    return NULL;
  for (int i = 0; i < sheets; i++)
    {
      g_autofree char *family = g_strdup_printf ("Patient%03d", i);

      if (add_signed (store, i % 2 ? "Zoë" : "Ana", family, DAY, 1, error) == 0)
        return NULL;
    }
  if ((model = add_signed (store, "Old", "History", "2016-01-05", 6, error)) == 0)
    return NULL;
  if (!striae_store_create_first_admin (store, USER, "Front desk", PASSWORD, error))
    return NULL;
  g_clear_object (&store);

  if (!grow_history (path, model, history - sheets - 1, error))
    return NULL;
  return g_steal_pointer (&path);
}

/* The same history on a clinic server, as the database's owner. */
static gboolean
grow_server_history (BenchClinicServer  *clinic,
                     gint64              model,
                     int                 copies,
                     GError            **error)
{
  g_autofree char *sql = NULL;

  if (copies <= 0)
    return TRUE;
  sql = g_strdup_printf (
    "BEGIN;"
    "INSERT INTO consultations (patient_id, created)"
    "  SELECT c.patient_id, c.created FROM generate_series (1, %d), consultations c"
    "  WHERE c.id = %" G_GINT64_FORMAT ";"
    /* Never a multiple of 7 days before the day, so no history session falls on it. */
    "CREATE TEMP TABLE added AS"
    "  SELECT id, to_char (DATE '" DAY "' - (7 * (30 + id * 7919 %% 440) + 3)::integer,"
    "                      'YYYY-MM-DD') AS first"
    "  FROM consultations WHERE id > (SELECT max (id) - %d FROM consultations);"
    "INSERT INTO consultation_revisions (consultation_id, revision, created, updated,"
    "                                    signed_by, signed_at, data)"
    "  SELECT a.id, 1, r.created, r.updated, r.signed_by, r.signed_at,"
    "         jsonb_set (jsonb_set (r.data::jsonb, '{id}', to_jsonb (a.id)),"
    "                    '{plan,first-session}', to_jsonb (a.first))::text"
    "  FROM added a, consultation_revisions r WHERE r.consultation_id = %" G_GINT64_FORMAT ";"
    "INSERT INTO planned_sessions (consultation_id, revision, date)"
    "  SELECT a.id, 1, to_char (a.first::date + k * 28, 'YYYY-MM-DD')"
    "  FROM added a, generate_series (0, 5) k;"
    "COMMIT;"
    "ANALYZE;",
    copies, model, copies, model);
  return bench_clinic_server_exec (clinic, sql, error);
}

/* The day's consultations and the history on @clinic's server, with the clinic's phone
 * number in its records, where a server keeps it. */
static gboolean
make_server_records (BenchClinicServer  *clinic,
                     int                 history,
                     int                 sheets,
                     GError            **error)
{
  g_autoptr(StriaeStore) store = striae_store_open (clinic->owner_uri, error);
  g_autoptr(StriaeClinic) settings = NULL;
  gint64 model;

  if (store == NULL || (settings = striae_store_load_clinic (store, error)) == NULL)
    return FALSE;
  striae_clinic_set_phone (settings, "+33 1 23 45 67 89");
  if (!striae_store_save_clinic (store, settings, NULL, error))
    return FALSE;
  for (int i = 0; i < sheets; i++)
    {
      g_autofree char *family = g_strdup_printf ("Patient%03d", i);

      if (add_signed (store, i % 2 ? "Zoë" : "Ana", family, DAY, 1, error) == 0)
        return FALSE;
    }
  if ((model = add_signed (store, "Old", "History", "2016-01-05", 6, error)) == 0)
    return FALSE;
  g_clear_object (&store);
  return grow_server_history (clinic, model, history - sheets - 1, error);
}

/* The processor time of this process's children that have ended, in ms. */
static double
children_cpu_ms (void)
{
  struct rusage usage;

  getrusage (RUSAGE_CHILDREN, &usage);
  return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000.0 +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000.0;
}

/* The command as the front desk runs it, process start included; its processor time in
 * @cpu_ms. */
static double
run_batch (const char  *striae,
           const char  *database,
           gboolean     server,
           const char  *output,
           int          expected,
           double      *cpu_ms,
           GError     **error)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GSubprocess) process = NULL;
  double elapsed;
  int written = 0;
  const char *file_argv[] = { striae, "--database", database, "--user", USER, "--sheet",
                              "aftercare", "--sessions-on", DAY, "--output", output, NULL };
  /* On a server, the account is the login in the address. */
  const char *server_argv[] = { striae, "--database", database, "--sheet", "aftercare",
                                "--sessions-on", DAY, "--output", output, NULL };
  const char * const *argv = server ? server_argv : file_argv;
  g_autofree char *err = NULL;
  gint64 start = g_get_monotonic_time ();

  *cpu_ms = children_cpu_ms ();

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE |
                               G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE, error);
  if (process == NULL ||
      !g_subprocess_communicate_utf8 (process, PASSWORD "\n", NULL, NULL, &err, error))
    return -1;
  if (!g_subprocess_get_successful (process))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", err);
      return -1;
    }
  elapsed = (g_get_monotonic_time () - start) / 1000.0;
  *cpu_ms = children_cpu_ms () - *cpu_ms;

  /* Only a batch that wrote every sheet counts. */
  if ((dir = g_dir_open (output, 0, error)) == NULL)
    return -1;
  while (g_dir_read_name (dir) != NULL)
    written++;
  if (written != expected)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%d sheets written, not %d: %s",
                   written, expected, err);
      return -1;
    }
  return elapsed;
}

/* The lines of each page of the aftercare sheet of patient @n. */
static GPtrArray *
collect_pages (StriaeSheetTemplate *template,
               guint                n)
{
  g_autoptr(StriaeSheetContext) context = striae_sheet_context_new ();
  g_autoptr(StriaeSheet) sheet = NULL;
  GPtrArray *pages = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  g_autofree char *name = g_strdup_printf ("%s Patient%03u", n % 2 ? "Zoë" : "Ana", n);
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 12, G_DATE_MAY, 1990);
  striae_sheet_context_set_patient (context, name, &date);
  striae_sheet_context_set_value (context, "plan.treatment", "microneedling");
  striae_sheet_context_set_value (context, "plan.needle_depth", "1.0 mm");
  g_date_set_parse (&date, DAY);
  striae_sheet_context_add_session (context, &date, NULL);
  sheet = striae_sheet_new (template, context, NULL);
  for (guint p = 0; p < striae_sheet_get_n_pages (sheet); p++)
    g_ptr_array_add (pages, _striae_sheet_collect_lines (sheet, p));
  return pages;
}

/* The floor: each sheet's lines shaped and drawn with bare Pango, one layout a line, into a
 * PDF file of its own. */
static double
bare_pdfs (GPtrArray  *stack,
           const char *output,
           double     *cpu_ms)
{
  gint64 start = g_get_monotonic_time ();
  struct timespec cpu_start, cpu_end;
  PangoContext *pango = pango_font_map_create_context (pango_cairo_font_map_get_default ());

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &cpu_start);
  pango_cairo_context_set_resolution (pango, 72.0);
  g_mkdir_with_parents (output, 0700);
  for (guint s = 0; s < stack->len; s++)
    {
      GPtrArray *pages = g_ptr_array_index (stack, s);
      g_autofree char *name = g_strdup_printf ("sheet-%03u.pdf", s);
      g_autofree char *path = g_build_filename (output, name, NULL);
      cairo_surface_t *surface = cairo_pdf_surface_create (path, 595.0, 842.0);
      cairo_t *cr = cairo_create (surface);

      striae_bench_show_lines (cr, pango, pages);
      cairo_destroy (cr);
      cairo_surface_finish (surface);
      cairo_surface_destroy (surface);
    }
  g_object_unref (pango);
  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &cpu_end);
  *cpu_ms = (cpu_end.tv_sec - cpu_start.tv_sec) * 1000.0 +
            (cpu_end.tv_nsec - cpu_start.tv_nsec) / 1e6;
  return (g_get_monotonic_time () - start) / 1000.0;
}

int
main (int   argc,
      char *argv[])
{
  int sheets = 50;
  int runs = 7;
  gboolean keep = FALSE;
  gboolean server = FALSE;
  g_autofree char *striae = NULL;
  GOptionEntry entries[] = {
    { "sheets", 'n', 0, G_OPTION_ARG_INT, &sheets, "Sessions on the day (50)", "N" },
    { "runs", 'r', 0, G_OPTION_ARG_INT, &runs, "Runs of each, alternating (7)", "N" },
    { "striae", 0, 0, G_OPTION_ARG_FILENAME, &striae, "The striae binary", "PATH" },
    { "keep", 0, 0, G_OPTION_ARG_NONE, &keep, "Keep the databases made (not on a server)",
      NULL },
    { "server", 0, 0, G_OPTION_ARG_NONE, &server,
      "The records on the private server of tests/with-postgresql", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) options = g_option_context_new ("- time the day's batch");
  g_autoptr(GError) error = NULL;
  g_autoptr(StriaeSheetTemplate) template = NULL;
  g_autoptr(GPtrArray) stack = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_autofree char *dir = NULL;
  g_autofree char *here = g_path_get_dirname (argv[0]);
  g_autofree char *schemas = g_build_filename (here, "..", "data", NULL);
  gboolean all_met = TRUE;

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error) || sheets < 1 || runs < 1)
    {
      g_printerr ("%s\n", error != NULL ? error->message : "--sheets and --runs: at least 1");
      return 1;
    }
  if (server && !bench_clinic_server_available ())
    {
      g_printerr ("bench-batch: --server runs under tests/with-postgresql\n");
      return 1;
    }
  if (striae == NULL)
    striae = g_build_filename (here, "..", "src", "striae", NULL);

  /* Audit keys in a folder of this run, never in the user's keyring; settings in memory. */
  dir = g_dir_make_tmp ("striae-bench-batch-XXXXXX", &error);
  if (dir == NULL)
    {
      g_printerr ("bench-batch: %s\n", error->message);
      return 1;
    }
  {
    g_autofree char *keys = g_build_filename (dir, "keys", NULL);

    g_autofree char *config = g_build_filename (dir, "config", NULL);
    g_autofree char *folder = g_build_filename (config, "glib-2.0", "settings", NULL);
    g_autofree char *keyfile = g_build_filename (folder, "keyfile", NULL);

    /* The child reads the clinic's settings from a key file of this run: an aftercare sheet
     * needs the clinic's phone number. */
    g_setenv ("STRIAE_AUDIT_KEY_DIR", keys, TRUE);
    g_setenv ("GSETTINGS_BACKEND", "keyfile", TRUE);
    g_setenv ("XDG_CONFIG_HOME", config, TRUE);
    g_setenv ("GSETTINGS_SCHEMA_DIR", schemas, FALSE);
    if (g_mkdir_with_parents (folder, 0700) != 0 ||
        !g_file_set_contents (keyfile, "[io/github/striae/Striae]\n"
                              "clinic-phone='+33 1 23 45 67 89'\n", -1, &error))
      {
        g_printerr ("bench-batch: cannot write %s\n", keyfile);
        return 1;
      }
  }

  template = striae_sheet_template_load ("aftercare", "en", "/nonexistent", NULL, NULL, NULL,
                                         &error);
  if (template == NULL)
    {
      g_printerr ("bench-batch: %s\n", error->message);
      return 1;
    }
  for (int i = 0; i < sheets; i++)
    g_ptr_array_add (stack, collect_pages (template, i));

  printf ("%d sheets (aftercare) for the sessions on %s; medians of %d alternating runs\n\n",
          sheets, DAY, runs);
  printf ("%-10s %12s %12s %12s %12s %8s %8s %12s\n", "on file", "striae", "striae cpu",
          "bare PDFs", "bare cpu", "ratio", "target", "first run");
  for (guint h = 0; h < G_N_ELEMENTS (histories); h++)
    {
      g_autoptr(BenchClinicServer) clinic = NULL;
      g_autofree char *database = NULL;
      g_autofree double *command = g_new (double, runs);
      g_autofree double *floor = g_new (double, runs);
      g_autofree double *cpu = g_new (double, runs);
      g_autofree double *floor_cpu = g_new (double, runs);
      double command_ms, floor_ms, ratio;
      double first;

      if (!server)
        database = make_records (dir, histories[h], sheets, &error);
      else if ((clinic = bench_clinic_server_new (SERVER_DATABASE, USER,
                                                  STRIAE_STAFF_ROLE_ASSISTANT, &error)) != NULL &&
               make_server_records (clinic, histories[h], sheets, &error))
        database = g_strdup (clinic->login_uri);
      if (database == NULL)
        {
          g_printerr ("bench-batch: %s\n", error->message);
          striae_bench_remove_tree (dir);
          return 1;
        }
      for (int r = 0; r < runs; r++)
        {
          g_autofree char *out = g_strdup_printf ("%s/out-%d-%d", dir, histories[h], r);
          g_autofree char *bare = g_strdup_printf ("%s/bare-%d-%d", dir, histories[h], r);

          if ((command[r] = run_batch (striae, database, server, out, sheets, &cpu[r],
                                    &error)) < 0)
            {
              g_printerr ("bench-batch: %s\n", error->message);
              striae_bench_remove_tree (dir);
              return 1;
            }
          floor[r] = bare_pdfs (stack, bare, &floor_cpu[r]);
          striae_bench_remove_tree (out);
          striae_bench_remove_tree (bare);
        }
      first = command[0];
      command_ms = striae_bench_median (command, runs);
      floor_ms = striae_bench_median (floor, runs);
      ratio = command_ms / floor_ms;
      all_met &= ratio <= TARGET_RATIO;
      printf ("%-10d %9.0f ms %9.0f ms %9.0f ms %9.0f ms %7.2fx %7.1fx %9.0f ms\n",
              histories[h], command_ms, striae_bench_median (cpu, runs), floor_ms,
              striae_bench_median (floor_cpu, runs), ratio, TARGET_RATIO, first);
    }

  printf ("\nstriae cpu: the command's own processor time (user + system), not the server's;"
          " bare cpu:\nthis process's while it writes the bare PDFs. The ratio and the target "
          "are of the wall clock.");
  if (server)
    printf ("\nstriae: `striae --database 'postgresql:///" SERVER_DATABASE "?host=…&user=" USER
            "' --sheet aftercare\n--sessions-on %s --output DIR`, the front desk's login "
            "(assistants' group) on the private\nserver's Unix socket (trusted: no password), "
            "process start included; floor: the same lines\nwith bare Pango, one PDF file "
            "each, in this process. The database, logins and groups made\nwere dropped.\n",
            DAY);
  else
    printf ("\nstriae: `striae --database DB --user " USER " --sheet aftercare --sessions-on "
            "%s --output DIR`\n(password on standard input), process start included; floor: "
            "the same lines with bare Pango,\none PDF file each, in this process. The first run "
            "checks the whole file (SQLite's\nquick_check): the records were made by the "
            "benchmark, not closed by a command; the later\nones trust the clean close of the "
            "run before (STRIAE_STORE_OPEN_FLAGS_TRUST_CLEAN_CLOSE).\n", DAY);
  if (keep)
    printf ("The databases are in %s\n", dir);
  else
    striae_bench_remove_tree (dir);
  return all_met ? 0 : 2;
}
