/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A register of COUNT patients on the private PostgreSQL server of tests/with-postgresql, for
 * the benchmarks that start the application against a clinic server (bench/bench-startup and
 * bench/bench-app-rss.sh with --server). Not a benchmark: it prints how long the filling took
 * on standard error, and on standard output one line for the script,
 *
 *   DATABASE LOGIN PASSWORD
 *
 * the records and the staff login that the application signs in with as a clinic PC does:
 * over TLS with the password checked by the server (SCRAM). That login is the private
 * server's one login that pg_hba.conf asks a password of (STRIAE_TEST_POSTGRESQL_PASSWORD_USER,
 * whose name Striae would not make a login: it is put into the practitioners' group), beside
 * the practitioner made as `striae --server-add-login` makes one.
 *
 *   tests/with-postgresql _build/bench/bench-server-register --count N [--database NAME]
 *
 * The database (default striae_bench_register) is made anew, as `striae --server-init` does,
 * and filled as its owner through the records API, 10 000 patients per transaction (each
 * with its audit entry), with the patients bench-patients puts into a file (same generator,
 * same seed); then vacuumed and analysed, as autovacuum would have done after an import. It is
 * left on the server for the script: everything goes with the private server at the end.
 */
#include <locale.h>
#include <stdio.h>

#include "bench-clinic-server.h"
#include "striae-bench-people.h"
#include "striae-store.h"

#define DEFAULT_DATABASE "striae_bench_register"
#define BATCH 10000
#define PRACTITIONER "dr_bench"

static gboolean
fill (BenchClinicServer  *clinic,
      int                 count,
      GError            **error)
{
  g_autoptr(StriaeStore) store = striae_store_open (clinic->owner_uri, error);
  g_autoptr(GRand) rand = g_rand_new_with_seed (STRIAE_BENCH_PEOPLE_SEED);
  gint64 start = g_get_monotonic_time ();

  if (store == NULL)
    return FALSE;
  for (int done = 0; done < count;)
    {
      int n = MIN (BATCH, count - done);
      g_autoptr(GPtrArray) patients = g_ptr_array_new_full (n, g_object_unref);

      for (int i = 0; i < n; i++)
        g_ptr_array_add (patients, striae_bench_people_make (rand, done + i));
      if (!striae_store_add_patients (store, patients, error))
        return FALSE;
      done += n;
      if (done % 100000 == 0 || done == count)
        g_printerr ("%d patients on the server after %.1f s\n", done,
                    (g_get_monotonic_time () - start) / 1e6);
    }
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BenchClinicServer) clinic = NULL;
  g_autofree char *database = NULL;
  const char *login = g_getenv ("STRIAE_TEST_POSTGRESQL_PASSWORD_USER");
  const char *password = g_getenv ("STRIAE_TEST_POSTGRESQL_PASSWORD");
  g_autofree char *grant = NULL;
  int count = 100000;
  const GOptionEntry entries[] = {
    { "count", 'n', 0, G_OPTION_ARG_INT, &count, "Number of patients (100000)", "N" },
    { "database", 'd', 0, G_OPTION_ARG_STRING, &database,
      "The database to make (" DEFAULT_DATABASE ")", "NAME" },
    { NULL }
  };

  setlocale (LC_ALL, "");
  context = g_option_context_new ("— a register of N patients on the private server");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  if (count < 0)
    {
      g_printerr ("--count must not be negative\n");
      return 1;
    }
  if (!bench_clinic_server_available () || login == NULL || password == NULL ||
      g_getenv ("STRIAE_TEST_POSTGRESQL_TLS_PORT") == NULL)
    {
      g_printerr ("bench-server-register runs under tests/with-postgresql, with openssl (a "
                  "login checked by password over TLS)\n");
      return 1;
    }

  clinic = bench_clinic_server_new (database != NULL ? database : DEFAULT_DATABASE,
                                    PRACTITIONER, STRIAE_STAFF_ROLE_PRACTITIONER, &error);
  grant = g_strdup_printf ("GRANT striae_practitioner TO %s", login);
  if (clinic == NULL || !bench_clinic_server_exec (clinic, grant, &error) ||
      !fill (clinic, count, &error) ||
      !bench_clinic_server_exec (clinic, "VACUUM ANALYZE", &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  clinic->keep = TRUE;
  printf ("%s %s %s\n", clinic->database, login, password);
  return 0;
}
