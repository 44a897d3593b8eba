/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <locale.h>
#include <stdlib.h>

#include "striae-bench.h"
#include "striae-store.h"

/* Times the audit log: a check of every seal of a log of 100 000 entries (what
 * `striae --verify-audit` does), and one entry appended in its own transaction with the head
 * written outside. Keys go into a key folder beside the temporary database, never into the
 * keyring. Not a test: it prints figures. */

/* @count patients added in one transaction: one audit entry each. */
static gboolean
fill (StriaeStore  *store,
      int           count,
      GError      **error)
{
  g_autoptr(GPtrArray) patients = g_ptr_array_new_full (count, g_object_unref);

  for (int i = 0; i < count; i++)
    {
      StriaePatient *patient = striae_patient_new ();
      g_autofree char *given = g_strdup_printf ("Given%d", i);
      GDate birth;

      g_date_clear (&birth, 1);
      g_date_set_dmy (&birth, 1, G_DATE_JANUARY, 1980);
      striae_patient_set_given_name (patient, given);
      striae_patient_set_family_name (patient, "Bench");
      striae_patient_set_birth_date (patient, &birth);
      g_ptr_array_add (patients, patient);
    }

  return striae_store_add_patients (store, patients, error);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(StriaeAuditAnchor) anchor = NULL;
  g_autoptr(StriaeStore) store = NULL;
  g_autoptr(GArray) checks = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) appends = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *keys = NULL;
  int count = 100000, runs = 5;
  gint64 start, n = 0;
  double fill_s;
  const GOptionEntry entries[] = {
    { "count", 'n', 0, G_OPTION_ARG_INT, &count, "Number of audit entries (100000)", "N" },
    { "runs", 'r', 0, G_OPTION_ARG_INT, &runs, "Number of timed checks (5)", "N" },
    { NULL }
  };

  setlocale (LC_ALL, "");

  context = g_option_context_new ("— time the audit log's check");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (count < 1 || runs < 1)
    {
      g_printerr ("--count and --runs must be at least 1\n");
      return 2;
    }

  if ((dir = g_dir_make_tmp ("striae-bench-audit-XXXXXX", &error)) == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  path = g_build_filename (dir, "striae.db", NULL);
  keys = g_build_filename (dir, "keys", NULL);
  anchor = striae_audit_anchor_new_for_folder (keys);

  store = striae_store_open_with_anchor (path, STRIAE_STORE_OPEN_FLAGS_NONE, anchor, &error);
  start = g_get_monotonic_time ();
  if (store == NULL || !fill (store, count, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  fill_s = (g_get_monotonic_time () - start) / 1e6;

  for (int i = 0; i < runs; i++)
    {
      g_autoptr(StriaeAuditReport) report = NULL;
      double ms;

      start = g_get_monotonic_time ();
      report = striae_store_check_audit (store, &error);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      if (report == NULL || !striae_audit_report_is_intact (report))
        {
          g_printerr ("The check failed: %s\n", report ? "damage found" : error->message);
          return 1;
        }
      n = striae_audit_report_get_n_entries (report);
      g_array_append_val (checks, ms);
    }

  for (int i = 0; i < 20; i++)
    {
      double ms;

      start = g_get_monotonic_time ();
      if (!striae_store_log_event (store, STRIAE_AUDIT_VIEW, 0, 0, "bench", &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (appends, ms);
    }

  g_print ("audit entries:                  %" G_GINT64_FORMAT " (written in %.1f s)\n", n,
           fill_s);
  g_print ("check of every seal and head:   %.0f ms (median of %d)\n",
           striae_bench_median_of (checks), runs);
  g_print ("one entry in its own transaction, head to the key file: %.2f ms (median of 20)\n",
           striae_bench_median_of (appends));

  g_clear_object (&store);
  striae_bench_remove_tree (dir);
  return EXIT_SUCCESS;
}
