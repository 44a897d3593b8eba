/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <libpq-fe.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "striae-bench.h"
#include "striae-bench-people.h"
#include "striae-patient-list.h"
#include "striae-server-engine.h"
#include "striae-store.h"

/* The records on a PostgreSQL server, against the targets of issues 14 and 15: a bulk
 * insert, the searches of the patient list per prefix length against the same statements on
 * a bare libpq connection (alternating), four clients saving drafts at once, and the time
 * until another client hears of a save. Not a test: it prints figures, and exits with 2 when
 * a target is missed.
 *
 * The server is the one --uri names (its database must be empty: Striae makes its schema),
 * or the private one of tests/with-postgresql, in a new database `striae_bench`. With
 * --register NAME, a register bench-server-register made on the private server before (1 M
 * patients take 20 minutes and more to make): no insert, the searches typed from its own
 * names, and the database left as it was found but for the clients' drafts. */

#define SEED 20261206
#define N_CLIENTS 4

static const char * const given_names[] = {
  "Camille", "Léa", "Manon", "Anna", "Lena", "Jürgen", "Zofia", "Małgorzata", "María",
  "Lucía", "Giulia", "Zeynep", "Ayşe", "Ana", "João", "Ngọc", "Fatima", "Анна", "Olivia",
  "Siobhán", "Hugo", "Théo", "Björn", "Paweł", "Álvaro", "Mehmet", "Leonardo", "Emily",
};
static const char * const family_names[] = {
  "Martin", "Bernard", "Dubois", "Müller", "Schmidt", "Schröder", "Nowak", "Wiśniewska",
  "García", "Rodríguez", "Rossi", "Ferrari", "Yılmaz", "Öztürk", "Silva", "Gonçalves",
  "Nguyễn", "Trần", "Benali", "Иванова", "Smith", "O’Brien", "Lefèvre", "Fontaine",
  "Krüger", "Kowalczyk", "Jiménez", "Moretti", "Kaya", "Patel", "Khan", "Lambert",
};

typedef struct
{
  double median;
  double p95;
  double max;
} Figures;

static Figures
figures_of (GArray *times)
{
  Figures figures = { 0 };

  if (times->len == 0)
    return figures;
  g_array_sort (times, striae_bench_compare_doubles);
  figures.median = g_array_index (times, double, times->len / 2);
  figures.p95 = g_array_index (times, double, (guint) (0.95 * (times->len - 1) + 0.5));
  figures.max = g_array_index (times, double, times->len - 1);
  return figures;
}

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

static StriaePatient *
make_patient (GRand *rand,
              guint  serial)
{
  StriaePatient *patient = striae_patient_new ();
  g_autofree char *phone = g_strdup_printf ("06 %02d %02d %02d %02d",
                                            g_rand_int_range (rand, 0, 100),
                                            g_rand_int_range (rand, 0, 100),
                                            g_rand_int_range (rand, 0, 100), serial % 100);
  GDate date;

  striae_patient_set_given_name (patient, given_names[g_rand_int_range (rand, 0,
                                                      G_N_ELEMENTS (given_names))]);
  striae_patient_set_family_name (patient, family_names[g_rand_int_range (rand, 0,
                                                        G_N_ELEMENTS (family_names))]);
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 1, G_DATE_JANUARY, 1940);
  g_date_add_days (&date, g_rand_int_range (rand, 0, 365 * 65));
  striae_patient_set_birth_date (patient, &date);
  striae_patient_set_sex (patient, STRIAE_SEX_FEMALE);
  striae_patient_set_phone (patient, phone);
  return patient;
}

/* Searches */

/* The first @length letters of a name, @count of them. */
static GPtrArray *
make_prefixes (GRand *rand,
               guint  length,
               guint  count)
{
  GPtrArray *prefixes = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < count; i++)
    {
      const char *name = g_rand_boolean (rand)
                         ? given_names[g_rand_int_range (rand, 0, G_N_ELEMENTS (given_names))]
                         : family_names[g_rand_int_range (rand, 0,
                                                          G_N_ELEMENTS (family_names))];

      g_ptr_array_add (prefixes, g_utf8_substring (name, 0, length));
    }
  return prefixes;
}

/* @count prefixes of @length letters of the names of the people bench-server-register puts
 * in a register (its first @count patients: given or family name, in turn). */
static GPtrArray *
make_register_prefixes (guint length,
                        guint count)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (STRIAE_BENCH_PEOPLE_SEED);
  GPtrArray *prefixes = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < count; i++)
    {
      g_autoptr(StriaePatient) patient = striae_bench_people_make (rand, i);
      const char *name = i % 2 == 0 ? striae_patient_get_given_name (patient)
                                    : striae_patient_get_family_name (patient);

      g_ptr_array_add (prefixes, g_utf8_substring (name, 0, length));
    }
  return prefixes;
}

/* The ids of the register's first @n patients, for the clients' drafts. */
static gboolean
register_patient_ids (PGconn  *conn,
                      gint64  *ids,
                      guint    n,
                      GError **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT id FROM patients ORDER BY id LIMIT %u", n);
  PGresult *result = PQexec (conn, sql);
  gboolean ok = PQresultStatus (result) == PGRES_TUPLES_OK && (guint) PQntuples (result) == n;

  for (guint i = 0; ok && i < n; i++)
    ids[i] = g_ascii_strtoll (PQgetvalue (result, i, 0), NULL, 10);
  if (!ok)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "The register has not %u patients: %s",
                 n, PQerrorMessage (conn));
  PQclear (result);
  return ok;
}

/* The list's first page of a search for each prefix, through the store, against the
 * floor: the statements the store sends, with their parameters, on a bare connection;
 * alternating which goes first, so that both see the same load and the same caches. */
static gboolean
time_searches (StriaeStore  *store,
               PGconn       *conn,
               GPtrArray    *prefixes,
               Figures      *through_store,
               Figures      *floor,
               GError      **error)
{
  g_autoptr(GArray) store_times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) bare_times = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint i = 0; i < prefixes->len; i++)
    {
      const char *prefix = g_ptr_array_index (prefixes, i);

      for (guint turn = 0; turn < 2; turn++)
        {
          gboolean through = (turn + i) % 2 == 0;
          gint64 start = g_get_monotonic_time ();
          double ms;

          if (through)
            {
              g_autoptr(GPtrArray) rows =
                striae_store_search_rows (store, prefix, STRIAE_SEARCH_FLAGS_NONE, NULL,
                                          STRIAE_PATIENT_LIST_PAGE_SIZE, NULL, error);

              if (rows == NULL)
                return FALSE;
            }
          else if (striae_server_engine_get (error) == NULL ||
                   striae_server_engine_get (NULL)->search_bare (conn, prefix,
                                                                 STRIAE_PATIENT_LIST_PAGE_SIZE,
                                                                 error) < 0)
            return FALSE;

          ms = ms_since (start);
          g_array_append_val (through ? store_times : bare_times, ms);
        }
    }
  *through_store = figures_of (store_times);
  *floor = figures_of (bare_times);
  return TRUE;
}

/* Clients saving drafts */

typedef struct
{
  char    *uri;
  gint64   patient_id;
  gint64   until;
  GArray  *times;  /* ms per save */
  GError  *error;
} Client;

static gpointer
client_thread (gpointer data)
{
  Client *client = data;
  g_autoptr(StriaeStore) store = striae_store_open (client->uri, &client->error);
  g_autoptr(StriaeConsultation) consultation = striae_consultation_new ();
  GDate date;

  if (store == NULL)
    return NULL;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 1, G_DATE_MARCH, 2024);
  striae_consultation_set_patient_id (consultation, client->patient_id);
  for (guint i = 0; g_get_monotonic_time () < client->until; i++)
    {
      gint64 start;
      double ms;

      g_date_add_days (&date, 1);
      striae_consultation_set_date (consultation, &date);
      start = g_get_monotonic_time ();
      if (!striae_store_save_consultation (store, consultation, NULL, &client->error))
        return NULL;
      ms = ms_since (start);
      g_array_append_val (client->times, ms);
    }
  return NULL;
}

static gboolean
run_clients (const char  *uri,
             const gint64 patient_ids[N_CLIENTS],
             int          seconds,
             double      *saves_per_second,
             Figures     *figures,
             GError     **error)
{
  Client clients[N_CLIENTS];
  GThread *threads[N_CLIENTS];
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  gint64 start = g_get_monotonic_time ();
  gboolean ok = TRUE;

  for (guint i = 0; i < N_CLIENTS; i++)
    {
      clients[i] = (Client) { g_strdup (uri), patient_ids[i], start + seconds * G_USEC_PER_SEC,
                              g_array_new (FALSE, FALSE, sizeof (double)), NULL };
      threads[i] = g_thread_new ("client", client_thread, &clients[i]);
    }
  for (guint i = 0; i < N_CLIENTS; i++)
    {
      g_thread_join (threads[i]);
      g_array_append_vals (times, clients[i].times->data, clients[i].times->len);
      if (clients[i].error != NULL && ok)
        {
          g_propagate_error (error, g_steal_pointer (&clients[i].error));
          ok = FALSE;
        }
      g_clear_error (&clients[i].error);
      g_array_unref (clients[i].times);
      g_free (clients[i].uri);
    }

  *saves_per_second = times->len / ((g_get_monotonic_time () - start) / 1e6);
  *figures = figures_of (times);
  return ok;
}

/* Notification: A saves, B asks every millisecond until it hears of it. */

static void
changed_cb (StriaeStore *store,
            gint64       id,
            gboolean    *heard)
{
  *heard = TRUE;
}

static gboolean
time_notifications (const char  *uri,
                    gint64       patient_id,
                    guint        trials,
                    Figures     *figures,
                    GError     **error)
{
  g_autoptr(StriaeStore) a = striae_store_open (uri, error);
  g_autoptr(StriaeStore) b = NULL;
  g_autoptr(StriaeConsultation) consultation = striae_consultation_new ();
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  gboolean heard = FALSE;
  GDate date;

  if (a == NULL || (b = striae_store_open (uri, error)) == NULL)
    return FALSE;
  g_signal_connect (b, "patients-changed", G_CALLBACK (changed_cb), &heard);
  /* The first check only takes note. */
  if (!striae_store_check_changes (b, error))
    return FALSE;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 1, G_DATE_JUNE, 2024);
  striae_consultation_set_patient_id (consultation, patient_id);
  for (guint i = 0; i < trials; i++)
    {
      gint64 start;
      double ms;

      if (!striae_store_check_changes (b, error))
        return FALSE;
      heard = FALSE;
      g_date_add_days (&date, 1);
      striae_consultation_set_date (consultation, &date);
      start = g_get_monotonic_time ();
      if (!striae_store_save_consultation (a, consultation, NULL, error))
        return FALSE;
      while (!heard && ms_since (start) < 5000)
        {
          if (!striae_store_check_changes (b, error))
            return FALSE;
          if (!heard)
            g_usleep (1000);
        }
      ms = heard ? ms_since (start) : 5000;
      g_array_append_val (times, ms);
    }
  *figures = figures_of (times);
  return TRUE;
}

/* The server */

/* The private server's `postgres` database as its superuser, or %NULL when not under
 * tests/with-postgresql. */
static char *
private_admin_uri (void)
{
  const char *dir = g_getenv ("STRIAE_TEST_POSTGRESQL");
  const char *port = g_getenv ("STRIAE_TEST_POSTGRESQL_TLS_PORT");
  g_autofree char *host = NULL;

  if (dir == NULL || dir[0] == '\0')
    return NULL;
  host = g_uri_escape_string (dir, NULL, FALSE);
  return g_strdup_printf ("postgresql:///postgres?host=%s%s%s&user=postgres", host,
                          port != NULL ? "&port=" : "", port != NULL ? port : "");
}

/* Runs @sql alone as the private server's superuser. */
static gboolean
exec_as_admin (const char *admin_uri,
               const char *sql)
{
  PGconn *conn = PQconnectdb (admin_uri);
  PGresult *result = PQexec (conn, sql);
  gboolean ok = PQresultStatus (result) == PGRES_COMMAND_OK;

  if (!ok)
    g_printerr ("%s: %s\n", sql, PQerrorMessage (conn));
  PQclear (result);
  PQfinish (conn);
  return ok;
}

/* The private server's database @name as its superuser, or %NULL when not under
 * tests/with-postgresql. */
static char *
private_database_uri (const char *name)
{
  g_autofree char *admin_uri = private_admin_uri ();

  if (admin_uri == NULL)
    return NULL;
  return g_strdup_printf ("postgresql:///%s?%s", name, strchr (admin_uri, '?') + 1);
}

static char *
private_server_uri (void)
{
  g_autofree char *admin_uri = private_admin_uri ();

  if (admin_uri == NULL ||
      !exec_as_admin (admin_uri, "DROP DATABASE IF EXISTS striae_bench") ||
      !exec_as_admin (admin_uri, "CREATE DATABASE striae_bench"))
    return NULL;
  return private_database_uri ("striae_bench");
}

/* The private server's database goes with the run: no patient outlives the benchmark. */
static void
drop_private_database (void)
{
  g_autofree char *admin_uri = private_admin_uri ();

  if (admin_uri != NULL)
    exec_as_admin (admin_uri, "DROP DATABASE IF EXISTS striae_bench WITH (FORCE)");
}

static gboolean missed;

static void
print_figure (const char *label,
              double      value,
              const char *unit,
              const char *target,
              gboolean    met)
{
  g_print ("%-44s %10.2f %-4s %s%s\n", label, value, unit, target != NULL ? target : "",
           target != NULL && !met ? "  MISSED" : "");
  if (target != NULL && !met)
    missed = TRUE;
}

static int
fail (GError *error)
{
  g_printerr ("%s\n", error->message);
  return 1;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(StriaeStore) store = NULL;
  g_autoptr(GPtrArray) patients = NULL;
  g_autoptr(GRand) rand = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *register_name = NULL;
  g_autofree char *engine = NULL;
  PGconn *bare;
  int count = 100000;
  int queries = 200;
  int seconds = 10;
  int trials = 20;
  gint64 patient_ids[N_CLIENTS];
  gboolean private_server = FALSE;
  gint64 start;
  double insert_s, saves_per_second;
  Figures saves, notifications;
  const GOptionEntry entries[] = {
    { "uri", 'u', 0, G_OPTION_ARG_STRING, &uri,
      "The server's empty database (default: the private server of tests/with-postgresql)",
      "URI" },
    { "register", 'r', 0, G_OPTION_ARG_STRING, &register_name,
      "A register bench-server-register made on the private server: no insert", "NAME" },
    { "count", 'n', 0, G_OPTION_ARG_INT, &count, "Number of patients (100000)", "N" },
    { "queries", 'q', 0, G_OPTION_ARG_INT, &queries, "Searches per prefix length (200)", "N" },
    { "seconds", 's', 0, G_OPTION_ARG_INT, &seconds, "Seconds of saving drafts (10)", "N" },
    { "trials", 't', 0, G_OPTION_ARG_INT, &trials, "Notification trials (20)", "N" },
    { NULL }
  };

  setlocale (LC_ALL, "");
  context = g_option_context_new ("— time the records on a PostgreSQL server");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return fail (error);
  if (count < N_CLIENTS || queries < 1 || seconds < 1 || trials < 1)
    {
      g_printerr ("--count must be at least %d, the others at least 1\n", N_CLIENTS);
      return 1;
    }
  if (register_name != NULL)
    {
      if (uri != NULL || (uri = private_database_uri (register_name)) == NULL)
        {
          g_printerr ("--register names a database of the private server of "
                      "tests/with-postgresql, without --uri\n");
          return 1;
        }
    }
  else if (uri == NULL)
    {
      if ((uri = private_server_uri ()) == NULL)
        {
          g_printerr ("No server: give --uri, or run under tests/with-postgresql\n");
          return 1;
        }
      private_server = TRUE;
    }

  rand = g_rand_new_with_seed (SEED);
  if ((store = striae_store_open (uri, &error)) == NULL)
    return fail (error);
  engine = striae_store_backend_dup_engine (striae_store_get_backend (store));
  g_print ("Striae on a PostgreSQL server (%s, %u cores, seed %u)\n\n", engine,
           g_get_num_processors (), SEED);

  if (register_name == NULL)
    {
      patients = g_ptr_array_new_full (count, g_object_unref);
      for (int i = 0; i < count; i++)
        g_ptr_array_add (patients, make_patient (rand, i));
      start = g_get_monotonic_time ();
      if (!striae_store_add_patients (store, patients, &error))
        return fail (error);
      insert_s = ms_since (start) / 1000.0;
      for (guint i = 0; i < N_CLIENTS; i++)
        patient_ids[i] = striae_patient_get_id (g_ptr_array_index (patients, i));
      g_clear_pointer (&patients, g_ptr_array_unref);
      g_print ("%-44s %10d\n", "patients", count);
      print_figure ("insert, one transaction", insert_s, "s", "(target < 60 s)", insert_s < 60);
    }

  bare = PQconnectdb (uri);
  if (PQstatus (bare) != CONNECTION_OK)
    {
      g_printerr ("%s\n", PQerrorMessage (bare));
      return 1;
    }
  if (register_name != NULL)
    {
      PGresult *result = PQexec (bare, "SELECT count(*) FROM patients");

      if (PQresultStatus (result) == PGRES_TUPLES_OK)
        g_print ("%-44s %10s (register %s, made before)\n", "patients",
                 PQgetvalue (result, 0, 0), register_name);
      PQclear (result);
      if (!register_patient_ids (bare, patient_ids, N_CLIENTS, &error))
        return fail (error);
    }
  /* As autovacuum would have, shortly after an import. */
  PQclear (PQexec (bare, "ANALYZE"));
  g_print ("\nthe patient list's first page (%d rows), %d per length: the store against the\n"
           "same statements and parameters on a bare libpq connection (PQexecParams, same "
           "socket), alternating\n", STRIAE_PATIENT_LIST_PAGE_SIZE, queries);
  for (guint length = 1; length <= 3; length++)
    {
      g_autoptr(GPtrArray) prefixes = register_name != NULL
                                      ? make_register_prefixes (length, queries)
                                      : make_prefixes (rand, length, queries);
      Figures through_store, floor;
      char label[64];

      /* One pass to warm the caches, then the timed one. */
      if (!time_searches (store, bare, prefixes, &through_store, &floor, &error) ||
          !time_searches (store, bare, prefixes, &through_store, &floor, &error))
        return fail (error);

      g_snprintf (label, sizeof label, "%u letter(s), store: median", length);
      /* Issue 14 asked for 10 ms; issue 15 for 16 ms from 2 letters and 50 ms for 1. */
      print_figure (label, through_store.median, "ms",
                    length == 1 ? "(target <= 50 ms)" : "(target <= 10 ms)",
                    through_store.median <= (length == 1 ? 50 : 10));
      g_snprintf (label, sizeof label, "%u letter(s), store: p95", length);
      print_figure (label, through_store.p95, "ms", length == 1 ? NULL : "(target <= 50 ms)",
                    length == 1 || through_store.p95 <= 50);
      g_snprintf (label, sizeof label, "%u letter(s), bare libpq: median", length);
      print_figure (label, floor.median, "ms", NULL, TRUE);
      g_snprintf (label, sizeof label, "%u letter(s), bare libpq: p95", length);
      print_figure (label, floor.p95, "ms", NULL, TRUE);
      g_snprintf (label, sizeof label, "%u letter(s), ratio of medians", length);
      print_figure (label, through_store.median / MAX (floor.median, 0.001), "x",
                    "(target <= 1.2)", through_store.median <= 1.2 * floor.median);
    }
  PQfinish (bare);

  g_print ("\n%d clients saving drafts for %d s, each its own store and patient\n", N_CLIENTS,
           seconds);
  if (!run_clients (uri, patient_ids, seconds, &saves_per_second, &saves, &error))
    return fail (error);
  print_figure ("saves per second, all clients", saves_per_second, "/s", NULL, TRUE);
  print_figure ("save: median", saves.median, "ms", NULL, TRUE);
  print_figure ("save: p95", saves.p95, "ms", "(target <= 50 ms)", saves.p95 <= 50);
  print_figure ("save: max", saves.max, "ms", NULL, TRUE);

  g_print ("\nfrom a save on client A to check_changes on B reporting it (asked every 1 ms), "
           "%d trials\n", trials);
  if (!time_notifications (uri, patient_ids[0], trials, &notifications, &error))
    return fail (error);
  print_figure ("notification: median", notifications.median, "ms", NULL, TRUE);
  print_figure ("notification: max", notifications.max, "ms", "(target <= 1000 ms)",
                notifications.max <= 1000);

  g_print ("\n%s\n", missed ? "A target was missed." : "Every target was met.");
  g_clear_object (&store);
  if (private_server)
    drop_private_database ();
  return missed ? 2 : 0;
}
