/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <locale.h>
#include <sqlite3.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>

#include "sqlite/striae-sqlite-backend.h"
#include "striae-bench.h"
#include "striae-bench-people.h"
#include "striae-patient-list.h"
#include "striae-store.h"
#include "striae-store-backend.h"

/* Fills a fresh database with synthetic patients and times the insert and the searches the
 * patient list makes while someone types. Not a test: it prints figures. */

#define SEED STRIAE_BENCH_PEOPLE_SEED

static double
percentile (GArray *sorted,
            double  fraction)
{
  guint index = (guint) (fraction * (sorted->len - 1) + 0.5);

  return g_array_index (sorted, double, index);
}

static long
status_kb (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;

  line = strstr (status, field);
  if (line == NULL)
    return -1;

  return strtol (line + strlen (field) + 1, NULL, 10);
}

typedef struct
{
  double median;
  double p95;
  double max;
  double mean_results;
} Timing;

static gboolean
time_searches (StriaeStore  *store,
               GPtrArray    *prefixes,
               guint         limit,
               Timing       *timing,
               GError      **error)
{
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  guint64 results = 0;

  /* No prefix of this kind (a small --count may give no non-ASCII name): nothing to time,
   * and percentile () must not index an empty array. */
  if (prefixes->len == 0)
    {
      *timing = (Timing) { 0 };
      return TRUE;
    }

  for (guint i = 0; i < prefixes->len; i++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr(GArray) ids = NULL;
      double ms;

      ids = striae_store_search_patients (store, g_ptr_array_index (prefixes, i), limit, error);
      if (ids == NULL)
        return FALSE;

      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (times, ms);
      results += ids->len;
    }

  g_array_sort (times, striae_bench_compare_doubles);
  timing->median = percentile (times, 0.5);
  timing->p95 = percentile (times, 0.95);
  timing->max = g_array_index (times, double, times->len - 1);
  timing->mean_results = (double) results / prefixes->len;

  return TRUE;
}

/* What someone types into the search field: the first @length letters of real names. */
static GPtrArray *
make_prefixes (GPtrArray *names,
               glong      length)
{
  GPtrArray *prefixes = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);

      if (g_utf8_strlen (name, -1) >= length)
        g_ptr_array_add (prefixes, g_utf8_substring (name, 0, length));
    }
  return prefixes;
}

typedef struct
{
  Timing list;
  Timing bare;
  Timing list_cpu;
  Timing bare_cpu;
} PageTiming;

/* The CPU time of this thread, in ms: on a machine shared with other work, what a query cost
 * apart from waiting for a processor. */
static double
thread_cpu_ms (void)
{
  struct timespec now;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now);
  return now.tv_sec * 1000.0 + now.tv_nsec / 1e6;
}

static void
summarize (GArray *times,
           Timing *timing)
{
  g_array_sort (times, striae_bench_compare_doubles);
  timing->median = percentile (times, 0.5);
  timing->p95 = percentile (times, 0.95);
  timing->max = g_array_index (times, double, times->len - 1);
}

/* The patient list's first page of a search for each prefix, as the list asks for it
 * (striae_store_search_rows () through the store), against the same statements run on a
 * connection the benchmark opened with sqlite3 itself (no memory map and SQLite's default
 * page cache, as the store's connection for searches has) with the register's order in
 * memory read once, as the store keeps it, alternating which goes first. */
static gboolean
time_first_pages (StriaeStore        *store,
                  sqlite3            *bare,
                  const SqliteOrder  *order,
                  GPtrArray          *prefixes,
                  PageTiming         *timing,
                  GError            **error)
{
  g_autoptr(GArray) list_times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) bare_times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) list_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) bare_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  guint64 results = 0;

  if (prefixes->len == 0)
    {
      *timing = (PageTiming) { 0 };
      return TRUE;
    }

  for (guint i = 0; i < prefixes->len; i++)
    {
      const char *prefix = g_ptr_array_index (prefixes, i);

      for (guint turn = 0; turn < 2; turn++)
        {
          gboolean list = (turn + i) % 2 == 0;
          gint64 start = g_get_monotonic_time ();
          double cpu_start = thread_cpu_ms ();
          double ms, cpu;

          if (list)
            {
              g_autoptr(GPtrArray) rows =
                striae_store_search_rows (store, prefix, STRIAE_SEARCH_FLAGS_NONE, NULL,
                                          STRIAE_PATIENT_LIST_PAGE_SIZE, NULL, error);

              if (rows == NULL)
                return FALSE;
              results += rows->len;
            }
          else if (striae_sqlite_backend_search_bare (bare, order, prefix,
                                                      STRIAE_PATIENT_LIST_PAGE_SIZE,
                                                      error) < 0)
            return FALSE;

          ms = (g_get_monotonic_time () - start) / 1000.0;
          cpu = thread_cpu_ms () - cpu_start;
          g_array_append_val (list ? list_times : bare_times, ms);
          g_array_append_val (list ? list_cpu : bare_cpu, cpu);
        }
    }

  summarize (list_times, &timing->list);
  summarize (bare_times, &timing->bare);
  summarize (list_cpu, &timing->list_cpu);
  summarize (bare_cpu, &timing->bare_cpu);
  timing->list.mean_results = (double) results / prefixes->len;
  return TRUE;
}

/* The first-page figures per prefix length, with the targets of issue 15 (at a million
 * patients: 1 letter median <= 50 ms; 2 and more median <= 16 ms and p95 <= 50 ms; within
 * 1.2 times the bare connection). */
static gboolean
report_first_pages (StriaeStore  *store,
                    const char   *path,
                    GPtrArray    *names,
                    GError      **error)
{
  sqlite3 *bare = NULL;
  g_autoptr(SqliteOrder) order = NULL;
  gint64 start;
  int rc;

  rc = sqlite3_open_v2 (path, &bare, SQLITE_OPEN_READONLY, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (bare, "PRAGMA mmap_size = 0", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", path,
                   sqlite3_errmsg (bare));
      sqlite3_close (bare);
      return FALSE;
    }
  start = g_get_monotonic_time ();
  if ((order = striae_sqlite_backend_order_new_bare (bare, error)) == NULL)
    {
      sqlite3_close (bare);
      return FALSE;
    }
  g_print ("\n%-40s %12.2f ms\n", "the register's order read into memory",
           (g_get_monotonic_time () - start) / 1000.0);
  g_print ("%-40s %12.1f MB\n", "the register's order: its memory",
           striae_sqlite_backend_order_get_size (order) / 1e6);

  g_print ("\nThe patient list's first page (%d rows), per prefix length, against the same\n"
           "statements on a bare sqlite3 connection (medians and p95 of %u names):\n",
           STRIAE_PATIENT_LIST_PAGE_SIZE, names->len);
  g_print ("%-8s %10s %10s %10s %10s %8s %8s   %s\n", "letters", "list med", "list p95",
           "bare med", "bare p95", "ratio", "rows", "CPU time: list med / p95, bare med / p95");
  for (glong length = 1; length <= 3; length++)
    {
      g_autoptr(GPtrArray) prefixes = make_prefixes (names, length);
      PageTiming timing;

      /* A warm-up pass, as the window would have run a few searches already. */
      if (!time_first_pages (store, bare, order, prefixes, &timing, error) ||
          !time_first_pages (store, bare, order, prefixes, &timing, error))
        {
          sqlite3_close (bare);
          return FALSE;
        }
      g_print ("%-8ld %7.2f ms %7.2f ms %7.2f ms %7.2f ms %8.2f %8.1f   "
               "%.2f / %.2f ms, %.2f / %.2f ms\n", length,
               timing.list.median, timing.list.p95, timing.bare.median, timing.bare.p95,
               timing.bare.median > 0 ? timing.list.median / timing.bare.median : 0,
               timing.list.mean_results, timing.list_cpu.median, timing.list_cpu.p95,
               timing.bare_cpu.median, timing.bare_cpu.p95);
    }

  sqlite3_close (bare);
  return TRUE;
}

/* The first page of a typed search while the register's order is not in memory yet (the
 * first second after the window opened records of a million patients, and after another
 * program's changes): the backend finds the page without it. Every prefix of 2 and 3
 * letters once, each timed alone, with the rows the backend counts as read. */
static gboolean
report_pages_without_order (StriaeStore  *store,
                            GPtrArray    *names,
                            GError      **error)
{
  g_print ("\nThe first page of a typed search without the register's order in memory (as in the\n"
           "first second after opening; medians, p95 and max of %u names; CPU of this thread):\n",
           names->len);
  g_print ("%-8s %10s %10s %10s   %10s %10s %10s %12s\n", "letters", "wall med", "wall p95",
           "wall max", "CPU med", "CPU p95", "CPU max", "rows read");
  /* A build of the order still under way would count its rows too: waited for. */
  striae_store_debug_set_order (STRIAE_STORE_DEBUG_ORDER_WAIT);
  {
    g_autoptr(GPtrArray) rows = striae_store_search_rows (store, "a", STRIAE_SEARCH_FLAGS_NONE,
                                                          NULL, 1, NULL, error);

    if (rows == NULL)
      {
        striae_store_debug_set_order (STRIAE_STORE_DEBUG_ORDER_BACKGROUND);
        return FALSE;
      }
  }
  striae_store_debug_set_order (STRIAE_STORE_DEBUG_ORDER_NEVER);
  for (glong length = 2; length <= 3; length++)
    {
      g_autoptr(GPtrArray) prefixes = make_prefixes (names, length);
      g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) cpu = g_array_new (FALSE, FALSE, sizeof (double));
      guint rows_before = striae_store_debug_get_rows_read ();
      Timing wall_timing, cpu_timing;

      for (guint i = 0; i < prefixes->len; i++)
        {
          gint64 start = g_get_monotonic_time ();
          double cpu_start = thread_cpu_ms ();
          g_autoptr(GPtrArray) rows =
            striae_store_search_rows (store, g_ptr_array_index (prefixes, i),
                                      STRIAE_SEARCH_FLAGS_NONE, NULL,
                                      STRIAE_PATIENT_LIST_PAGE_SIZE, NULL, error);
          double ms = (g_get_monotonic_time () - start) / 1000.0;
          double cpu_ms = thread_cpu_ms () - cpu_start;

          if (rows == NULL)
            {
              striae_store_debug_set_order (STRIAE_STORE_DEBUG_ORDER_BACKGROUND);
              return FALSE;
            }
          g_array_append_val (times, ms);
          g_array_append_val (cpu, cpu_ms);
        }
      if (prefixes->len == 0)
        continue;
      summarize (times, &wall_timing);
      summarize (cpu, &cpu_timing);
      g_print ("%-8ld %7.2f ms %7.2f ms %7.2f ms   %7.2f ms %7.2f ms %7.2f ms %12.0f\n", length,
               wall_timing.median, wall_timing.p95, wall_timing.max, cpu_timing.median,
               cpu_timing.p95, cpu_timing.max,
               (double) (striae_store_debug_get_rows_read () - rows_before) / prefixes->len);
    }
  striae_store_debug_set_order (STRIAE_STORE_DEBUG_ORDER_BACKGROUND);
  return TRUE;
}

/* The flags the window opens its records with (src/app/striae-application.c). */
#define WINDOW_OPEN_FLAGS \
  (STRIAE_STORE_OPEN_FLAGS_CHECK_IN_BACKGROUND | STRIAE_STORE_OPEN_FLAGS_ORDER_IN_BACKGROUND)

/* One typed search of the list's first page, timed: wall clock and this thread's CPU. */
static gboolean
time_one_page (StriaeStore  *store,
               const char   *text,
               double       *ms,
               double       *cpu,
               GError      **error)
{
  gint64 start = g_get_monotonic_time ();
  double cpu_start = thread_cpu_ms ();
  g_autoptr(GPtrArray) rows = striae_store_search_rows (store, text, STRIAE_SEARCH_FLAGS_NONE,
                                                        NULL, STRIAE_PATIENT_LIST_PAGE_SIZE,
                                                        NULL, error);

  *ms = (g_get_monotonic_time () - start) / 1000.0;
  *cpu = thread_cpu_ms () - cpu_start;
  return rows != NULL;
}

static void
print_first (const char *what,
             GArray     *times,
             GArray     *cpu,
             double      floor_ms)
{
  Timing timing, cpu_timing;

  summarize (times, &timing);
  summarize (cpu, &cpu_timing);
  g_print ("%-44s %8.2f ms %8.2f ms %8.2f ms %8.2f   %.2f ms\n", what, timing.median,
           timing.max, floor_ms, floor_ms > 0 ? timing.median / floor_ms : 0,
           cpu_timing.median);
}

/* The first typed search of records just opened as the window opens them, and the first
 * after a patient's edit: the warm figures above hide both (issue 15 asks every search to
 * stay under a frame). A search right after the list's first page, and one after a pause
 * of @pause_ms as a person takes before typing; then, on the last store, an edit (a family
 * name changed, and back) before each of @runs searches. Floor: the same search on the bare
 * connection, the register's order in memory already. Two letters: median <= 16 ms. */
static gboolean
report_first_searches (const char  *path,
                       GPtrArray   *names,
                       guint        runs,
                       guint        pause_ms,
                       GError     **error)
{
  g_autoptr(GPtrArray) prefixes = make_prefixes (names, 2);
  g_autoptr(GArray) at_once = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) at_once_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) paused = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) paused_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) edited = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) edited_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) floor = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(StriaeStore) store = NULL;
  g_autoptr(SqliteOrder) order = NULL;
  g_autoptr(GPtrArray) first_rows = NULL;
  sqlite3 *bare = NULL;
  Timing floor_timing;
  gint64 edited_id;
  double ms, cpu;

  if (prefixes->len < 2 * runs + 1)
    return TRUE;

  for (guint i = 0; i < 2 * runs; i++)
    {
      gboolean pause = i % 2 == 1;
      const char *prefix = g_ptr_array_index (prefixes, i);
      g_autoptr(GPtrArray) first = NULL;

      g_clear_object (&store);
      if ((store = striae_store_open_full (path, WINDOW_OPEN_FLAGS, error)) == NULL)
        return FALSE;
      /* The window's first page: the whole register. */
      first = striae_store_search_rows (store, "", STRIAE_SEARCH_FLAGS_NONE, NULL,
                                        STRIAE_PATIENT_LIST_FIRST_PAGE_SIZE, NULL, error);
      if (first == NULL)
        return FALSE;
      if (pause)
        g_usleep (pause_ms * 1000);
      if (!time_one_page (store, prefix, &ms, &cpu, error))
        return FALSE;
      g_array_append_val (pause ? paused : at_once, ms);
      g_array_append_val (pause ? paused_cpu : at_once_cpu, cpu);
    }

  /* A patient's family name changed (and changed back), then the next typed search. The
   * edits come long after the start, the register's order built (waited for here). */
  striae_store_debug_set_order (STRIAE_STORE_DEBUG_ORDER_WAIT);
  if (!time_one_page (store, g_ptr_array_index (prefixes, 2 * runs), &ms, &cpu, error))
    return FALSE;
  striae_store_debug_set_order (STRIAE_STORE_DEBUG_ORDER_BACKGROUND);
  first_rows = striae_store_search_rows (store, "", STRIAE_SEARCH_FLAGS_NONE, NULL, 1, NULL,
                                         error);
  if (first_rows == NULL || first_rows->len == 0)
    return first_rows != NULL;
  edited_id = ((StriaePatientSummary *) g_ptr_array_index (first_rows, 0))->id;
  for (guint i = 0; i < 2 * runs; i++)
    {
      g_autoptr(StriaePatient) patient = striae_store_get_patient (store, edited_id, error);
      g_autofree char *family = NULL;

      if (patient == NULL)
        return FALSE;
      family = g_strdup (striae_patient_get_family_name (patient));
      if (i % 2 == 0)
        {
          g_autofree char *changed = g_strconcat ("Zz", family, NULL);

          striae_patient_set_family_name (patient, changed);
        }
      else
        striae_patient_set_family_name (patient, family + 2);
      if (!striae_store_update_patient (store, patient, error) ||
          !time_one_page (store, g_ptr_array_index (prefixes, i), &ms, &cpu, error))
        return FALSE;
      g_array_append_val (edited, ms);
      g_array_append_val (edited_cpu, cpu);
    }
  g_clear_object (&store);

  if (sqlite3_open_v2 (path, &bare, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
      sqlite3_exec (bare, "PRAGMA mmap_size = 0", NULL, NULL, NULL) != SQLITE_OK ||
      (order = striae_sqlite_backend_order_new_bare (bare, error)) == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", path,
                     sqlite3_errmsg (bare));
      sqlite3_close (bare);
      return FALSE;
    }
  for (guint i = 0; i < 2 * runs; i++)
    {
      gint64 start = g_get_monotonic_time ();

      if (striae_sqlite_backend_search_bare (bare, order, g_ptr_array_index (prefixes, i),
                                             STRIAE_PATIENT_LIST_PAGE_SIZE, error) < 0)
        {
          sqlite3_close (bare);
          return FALSE;
        }
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (floor, ms);
    }
  sqlite3_close (bare);
  summarize (floor, &floor_timing);

  g_print ("\nThe first typed search (2 letters, first page), %u runs each, against the same\n"
           "search on a bare connection with the order in memory (target: median <= 16 ms):\n",
           runs);
  g_print ("%-44s %11s %11s %11s %8s   %s\n", "", "median", "max", "floor", "ratio",
           "CPU median");
  print_first ("right after the window's first page", at_once, at_once_cpu,
               floor_timing.median);
  {
    g_autofree char *what = g_strdup_printf ("%u ms after the window's first page", pause_ms);

    print_first (what, paused, paused_cpu, floor_timing.median);
  }
  print_first ("right after a patient's edit", edited, edited_cpu, floor_timing.median);
  return TRUE;
}

static void
remove_database (const char *path)
{
  static const char * const suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_unlink (file);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(StriaeStore) store = NULL;
  g_autoptr(GPtrArray) patients = NULL;
  g_autoptr(GPtrArray) prefixes = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GPtrArray) ascii_prefixes = NULL;
  g_autoptr(GRand) rand = NULL;
  g_autofree char *tmp_dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *keep = NULL;
  g_autofree char *existing = NULL;
  g_autofree char *engine = NULL;
  int count = 100000;
  int n_queries = 500;
  int first_runs = 5;
  gint64 start;
  double generate_s, insert_s, insert_cpu_s, open_s;
  Timing ui = { 0 }, unlimited = { 0 }, list_all = { 0 };
  Timing ascii_typed = { 0 };
  long rss_after_insert;
  GStatBuf st;
  const GOptionEntry entries[] = {
    { "count", 'n', 0, G_OPTION_ARG_INT, &count, "Number of patients (100000)", "N" },
    { "queries", 'q', 0, G_OPTION_ARG_INT, &n_queries, "Number of typed prefixes (500)", "N" },
    { "first-runs", 0, 0, G_OPTION_ARG_INT, &first_runs,
      "Records opened to time the first typed search, and edits (5)", "N" },
    { "keep", 'k', 0, G_OPTION_ARG_FILENAME, &keep,
      "Write the database to PATH and leave it there", "PATH" },
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, &existing,
      "Time the searches of the list on the database at PATH (as --keep left it) alone",
      "PATH" },
    { NULL }
  };

  setlocale (LC_ALL, "");

  context = g_option_context_new ("— time the patient store");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (count < 1 || n_queries < 1)
    {
      g_printerr ("--count and --queries must be at least 1\n");
      return 2;
    }

  /* A database made before (a million patients take minutes to insert): the list's first
   * pages alone, for names drawn as the patients were. */
  if (existing != NULL)
    {
      names = g_ptr_array_new_with_free_func (g_free);
      rand = g_rand_new_with_seed (SEED);
      for (int i = 0; i < n_queries; i++)
        {
          g_autoptr(StriaePatient) patient = striae_bench_people_make (rand, i);

          g_ptr_array_add (names, g_strdup (g_rand_boolean (rand)
                                            ? striae_patient_get_family_name (patient)
                                            : striae_patient_get_given_name (patient)));
        }

      store = striae_store_open (existing, &error);
      if (store == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      engine = striae_store_backend_dup_engine (striae_store_get_backend (store));
      g_print ("Striae patient list benchmark (%s, %s, %" G_GINT64_FORMAT " patients)\n",
               engine, existing, striae_store_count_patients (store, NULL));
      if (!report_first_pages (store, existing, names, &error) ||
          !report_pages_without_order (store, names, &error) ||
          !report_first_searches (existing, names, first_runs, 1500, &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      g_print ("%-40s %12ld kB\n", "peak RSS", status_kb ("VmHWM:"));
      return 0;
    }

  if (keep != NULL)
    {
      if (g_file_test (keep, G_FILE_TEST_EXISTS))
        {
          g_printerr ("%s exists; the benchmark needs a fresh database\n", keep);
          return 2;
        }
      path = g_strdup (keep);
    }
  else
    {
      tmp_dir = g_dir_make_tmp ("striae-bench-XXXXXX", &error);
      if (tmp_dir == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      path = g_build_filename (tmp_dir, "striae.db", NULL);
    }

  /* Synthetic patients, the same on every run. */
  rand = g_rand_new_with_seed (SEED);
  start = g_get_monotonic_time ();
  patients = g_ptr_array_new_full (count, g_object_unref);
  for (int i = 0; i < count; i++)
    g_ptr_array_add (patients, striae_bench_people_make (rand, i));
  generate_s = (g_get_monotonic_time () - start) / 1e6;

  /* What someone types into the search field: the first 1 to 4 letters of a real name. */
  prefixes = g_ptr_array_new_with_free_func (g_free);
  names = g_ptr_array_new_with_free_func (g_free);
  ascii_prefixes = g_ptr_array_new_with_free_func (g_free);
  for (int i = 0; i < n_queries; i++)
    {
      StriaePatient *patient = g_ptr_array_index (patients, g_rand_int_range (rand, 0, count));
      const char *name = g_rand_boolean (rand) ? striae_patient_get_family_name (patient)
                                               : striae_patient_get_given_name (patient);
      glong len = MIN (g_utf8_strlen (name, -1), g_rand_int_range (rand, 1, 5));

      g_ptr_array_add (prefixes, g_utf8_substring (name, 0, len));
      g_ptr_array_add (names, g_strdup (name));

      /* The same name typed on a keyboard without its letters ("mik" for "Mikołaj"). */
      if (!g_str_is_ascii (name))
        {
          g_autofree char *ascii = striae_bench_people_ascii_part (name);

          if (ascii != NULL)
            g_ptr_array_add (ascii_prefixes, g_strndup (ascii, len));
        }
    }

  start = g_get_monotonic_time ();
  store = striae_store_open (path, &error);
  open_s = (g_get_monotonic_time () - start) / 1e6;
  if (store == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  start = g_get_monotonic_time ();
  insert_cpu_s = thread_cpu_ms ();
  if (!striae_store_add_patients (store, patients, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  insert_s = (g_get_monotonic_time () - start) / 1e6;
  insert_cpu_s = (thread_cpu_ms () - insert_cpu_s) / 1e3;
  rss_after_insert = status_kb ("VmRSS:");
  g_clear_pointer (&patients, g_ptr_array_unref);

  /* One warm-up pass, as the window would have run a few searches already. */
  if (!time_searches (store, prefixes, 200, &ui, &error) ||
      !time_searches (store, prefixes, 200, &ui, &error) ||
      !time_searches (store, prefixes, 0, &unlimited, &error) ||
      !time_searches (store, ascii_prefixes, 200, &ascii_typed, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  {
    g_autoptr(GPtrArray) empty = g_ptr_array_new ();

    for (int i = 0; i < 20; i++)
      g_ptr_array_add (empty, (gpointer) "");
    if (!time_searches (store, empty, 200, &list_all, &error))
      {
        g_printerr ("%s\n", error->message);
        return 1;
      }
  }

  engine = striae_store_backend_dup_engine (striae_store_get_backend (store));
  g_print ("Striae patient store benchmark (%s, seed %u)\n\n", engine, SEED);
  g_print ("%-40s %12s\n", "measure", "value");
  g_print ("%-40s %12d\n", "patients", count);
  g_print ("%-40s %12.2f s\n", "generate patient objects", generate_s);
  g_print ("%-40s %12.3f s\n", "open + create schema", open_s);
  g_print ("%-40s %12.2f s   (target <= 5 s)\n", "insert, one transaction", insert_s);
  g_print ("%-40s %12.2f s\n", "insert: CPU time of the thread", insert_cpu_s);
  if (g_stat (path, &st) == 0)
    g_print ("%-40s %12.1f MB\n", "database file", st.st_size / 1e6);
  g_print ("%-40s %12d\n", "typed prefixes (1-4 letters)", n_queries);
  g_print ("%-40s %12.2f ms  (target <= 5 ms)\n", "search limit 200: median", ui.median);
  g_print ("%-40s %12.2f ms\n", "search limit 200: p95", ui.p95);
  g_print ("%-40s %12.2f ms\n", "search limit 200: max", ui.max);
  g_print ("%-40s %12.1f\n", "search limit 200: mean results", ui.mean_results);
  g_print ("%-40s %12.2f ms\n", "search no limit: median", unlimited.median);
  g_print ("%-40s %12.2f ms\n", "search no limit: p95", unlimited.p95);
  g_print ("%-40s %12.2f ms\n", "search no limit: max", unlimited.max);
  g_print ("%-40s %12.1f\n", "search no limit: mean results", unlimited.mean_results);
  g_print ("%-40s %12u\n", "same, non-ASCII names typed in ASCII", ascii_prefixes->len);
  g_print ("%-40s %12.2f ms\n", "ASCII-typed, limit 200: median", ascii_typed.median);
  g_print ("%-40s %12.2f ms\n", "ASCII-typed, limit 200: p95", ascii_typed.p95);
  g_print ("%-40s %12.1f\n", "ASCII-typed, limit 200: mean results",
           ascii_typed.mean_results);
  g_print ("%-40s %12.2f ms\n", "list everyone, limit 200: median", list_all.median);
  g_print ("%-40s %12ld kB\n", "RSS after insert (objects alive)", rss_after_insert);
  g_print ("%-40s %12ld kB\n", "RSS at end", status_kb ("VmRSS:"));
  g_print ("%-40s %12ld kB\n", "peak RSS", status_kb ("VmHWM:"));

  if (!report_first_pages (store, path, names, &error) ||
      !report_pages_without_order (store, names, &error) ||
      !report_first_searches (path, names, first_runs, 1500, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  g_clear_object (&store);

  if (keep != NULL)
    g_print ("\nThe database is at %s\n", keep);
  else
    {
      remove_database (path);
      g_rmdir (tmp_dir);
    }

  return 0;
}
