/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What erasing a patient costs in a large register, and what the check on opening costs:
 * striae_store_erase_patient() (secure_delete, the full-text index's optimize, a truncating
 * checkpoint) and SQLite's quick_check, on a database that bench-patients filled.
 *   _build/bench/bench-patients --count 100000 --keep /tmp/big.db
 *   _build/bench/bench-erase --database /tmp/big.db [--erase N]
 * The database is changed: N patients are erased from it. */
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "striae-store.h"

/* What a person waits for at the erase confirmation, and at start-up. */
#define ERASE_FLOOR_MS 3000.0
#define QUICK_CHECK_FLOOR_MS 1000.0
#define INTEGRITY_CHECK_FLOOR_MS 5000.0

static double
check_ms (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;
  gint64 start;
  double ms;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    g_error ("cannot open %s", path);
  start = g_get_monotonic_time ();
  if (sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK)
    g_error ("%s failed: %s", sql, sqlite3_errmsg (db));
  ms = (g_get_monotonic_time () - start) / 1000.0;
  sqlite3_close (db);
  return ms;
}

static void
report (const char *what,
        double      ms,
        double      floor_ms)
{
  g_print ("%-44s %9.1f ms   (floor %.0f ms: %s)\n", what, ms, floor_ms,
           ms <= floor_ms ? "met" : "MISSED");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- cost of erasing a patient");
  g_autoptr(GError) error = NULL;
  g_autoptr(StriaeStore) store = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autofree char *path = NULL;
  int n_erase = 5;
  double worst = 0, total = 0;
  GStatBuf st;
  const GOptionEntry entries[] = {
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, &path, "A database made by bench-patients",
      "PATH" },
    { "erase", 'e', 0, G_OPTION_ARG_INT, &n_erase, "How many patients to erase (5)", "N" },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || path == NULL || n_erase < 1)
    {
      g_printerr ("usage: bench-erase --database PATH [--erase N]\n");
      return 2;
    }

  report ("quick_check on opening", check_ms (path, "PRAGMA quick_check"),
          QUICK_CHECK_FLOOR_MS);
  report ("integrity_check before a backup", check_ms (path, "PRAGMA integrity_check"),
          INTEGRITY_CHECK_FLOOR_MS);

  store = striae_store_open (path, &error);
  if (store == NULL)
    g_error ("%s", error->message);
  ids = striae_store_search_patients (store, "", n_erase, &error);
  if (ids == NULL)
    g_error ("%s", error->message);
  g_print ("%-44s %9" G_GINT64_FORMAT "\n", "patients",
           striae_store_count_patients (store, NULL));

  for (guint i = 0; i < ids->len; i++)
    {
      gint64 start = g_get_monotonic_time ();
      double ms;

      if (!striae_store_erase_patient (store, g_array_index (ids, gint64, i), &error))
        g_error ("%s", error->message);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      total += ms;
      worst = MAX (worst, ms);
    }

  g_print ("%-44s %9u\n", "patients erased", ids->len);
  report ("erase, mean", total / ids->len, ERASE_FLOOR_MS);
  report ("erase, slowest", worst, ERASE_FLOOR_MS);
  if (g_stat (path, &st) == 0)
    g_print ("%-44s %9.1f MB\n", "database file", st.st_size / 1e6);
  return worst <= ERASE_FLOOR_MS ? 0 : 1;
}
