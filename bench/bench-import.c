/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Importing many exported records with one `striae --import-patient FOLDER`, against the
 * floor of the same imports through the records API in this process (no process start, no
 * command line), in the same run. Each record is a patient with a signed consultation.
 *
 *   _build/bench/bench-import [--count N] [--striae PATH] [--keep]
 *   tests/with-postgresql _build/bench/bench-import --server [--count N] [--striae PATH]
 *
 * With --server, both import into a clinic's records on the private PostgreSQL server of
 * tests/with-postgresql: each into a database of the benchmark's own, set up as
 * `striae --server-init` does, as a login of the administrators' group (importing is
 * theirs), all made outside the time and dropped afterwards with the logins and groups the
 * benchmark made. The command reaches the server as that login over its Unix socket, which
 * the private server trusts (no password is checked).
 *
 * Exits 2 when the command takes more than 1.5 s for 1 000 records (issue 15).
 */
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "bench-clinic-server.h"
#include "striae-bench.h"
#include "striae-store.h"

#define TARGET_MS_PER_1000 1500.0
#define USER "bench"
#define PASSWORD "bench-password"
#define SERVER_DATABASE "striae_bench_import"

/* The processor time of this process's children that have ended, in ms. */
static double
children_cpu_ms (void)
{
  struct rusage usage;

  getrusage (RUSAGE_CHILDREN, &usage);
  return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000.0 +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000.0;
}

/* The processor time of the private server's processes that have ended (its backends, once
 * their client is gone), in ms, from its postmaster's /proc entry; -1 when it cannot be read
 * (no server of tests/with-postgresql, or another system than Linux). */
static double
server_children_cpu_ms (void)
{
  const char *data = g_getenv ("STRIAE_TEST_POSTGRESQL_DATA");
  g_autofree char *pid_path = NULL;
  g_autofree char *pid_text = NULL;
  g_autofree char *stat_path = NULL;
  g_autofree char *stat = NULL;
  g_auto(GStrv) fields = NULL;
  const char *end;

  if (data == NULL)
    return -1;
  pid_path = g_build_filename (data, "postmaster.pid", NULL);
  if (!g_file_get_contents (pid_path, &pid_text, NULL, NULL))
    return -1;
  stat_path = g_strdup_printf ("/proc/%d/stat", atoi (pid_text));
  if (!g_file_get_contents (stat_path, &stat, NULL, NULL) ||
      (end = strrchr (stat, ')')) == NULL)
    return -1;

  /* After the command's name: state is field 3, cutime and cstime are fields 16 and 17. */
  fields = g_strsplit (end + 2, " ", 0);
  if (g_strv_length (fields) < 15)
    return -1;
  return (g_ascii_strtod (fields[13], NULL) + g_ascii_strtod (fields[14], NULL)) * 1000.0 /
         sysconf (_SC_CLK_TCK);
}

/* A patient and a signed consultation with an area, as a clinic's records look. */
static gboolean
add_record (StriaeStore  *store,
            guint         n,
            GError      **error)
{
  g_autoptr(StriaePatient) patient = striae_patient_new ();
  g_autoptr(StriaeConsultation) consultation = striae_consultation_new ();
  g_autoptr(StriaeArea) area = striae_area_new (STRIAE_BODY_SITE_ABDOMEN);
  g_autofree char *family = g_strdup_printf ("Patient%05u", n);
  g_autofree char *phone = g_strdup_printf ("06 12 %02u %02u %02u", n / 10000 % 100,
                                            n / 100 % 100, n % 100);
  GDate birth, day;

  striae_patient_set_given_name (patient, n % 2 ? "Léa" : "Zofia");
  striae_patient_set_family_name (patient, family);
  g_date_clear (&birth, 1);
  g_date_set_dmy (&birth, 12, G_DATE_MAY, 1990);
  striae_patient_set_birth_date (patient, &birth);
  striae_patient_set_phone (patient, phone);
  striae_patient_set_email (patient, "patient@example.org");
  striae_patient_set_notes (patient, "Prefers appointments after 16:00.");
  if (!striae_store_add_patient (store, patient, error))
    return FALSE;

  striae_consultation_set_patient_id (consultation, striae_patient_get_id (patient));
  g_date_clear (&day, 1);
  g_date_set_dmy (&day, 2, G_DATE_NOVEMBER, 2026);
  striae_consultation_set_date (consultation, &day);
  striae_consultation_set_practitioner (consultation, "Dr Roux");
  striae_history_set_answer (striae_consultation_get_history (consultation),
                             STRIAE_QUESTION_PREGNANCY, STRIAE_ANSWER_NO);
  striae_consultation_add_area (consultation, area);
  striae_consultation_set_status (consultation, STRIAE_CONSULTATION_STATUS_COMPLETE);
  return striae_store_save_consultation (store, consultation, NULL, error) &&
         striae_store_sign_consultation (store, striae_consultation_get_id (consultation),
                                         "Dr Roux", error);
}

/* The records exported one file each into @folder. */
static gboolean
make_records (const char  *dir,
              const char  *folder,
              guint        count,
              GError     **error)
{
  g_autofree char *source_path = g_build_filename (dir, "source.db", NULL);
  g_autoptr(StriaeStore) source = striae_store_open (source_path, error);

  if (source == NULL || g_mkdir (folder, 0700) != 0)
    return FALSE;
  for (guint i = 0; i < count; i++)
    if (!add_record (source, i, error))
      return FALSE;
  for (guint i = 0; i < count; i++)
    {
      g_autofree char *name = g_strdup_printf ("%05u.json", i);
      g_autofree char *path = g_build_filename (folder, name, NULL);

      if (!striae_store_export_patient_to_file (source, i + 1, STRIAE_EXPORT_FLAGS_NONE, path,
                                                NULL,
                                                error))
        return FALSE;
    }
  return TRUE;
}

/* The floor: each file read and imported through the API in one bulk, in this process. */
static double
import_in_process (const char  *database,
                   const char  *folder,
                   guint        count,
                   GError     **error)
{
  g_autoptr(StriaeStore) store = striae_store_open (database, error);
  gint64 start;

  if (store == NULL)
    return -1;
  start = g_get_monotonic_time ();
  if (!striae_store_begin_bulk (store, error))
    return -1;
  for (guint i = 0; i < count; i++)
    {
      g_autofree char *name = g_strdup_printf ("%05u.json", i);
      g_autofree char *path = g_build_filename (folder, name, NULL);
      g_autofree char *json = NULL;
      gsize length = 0;

      if (!g_file_get_contents (path, &json, &length, error) ||
          striae_store_import_patient (store, json, length, NULL, error) == 0)
        return -1;
    }
  if (!striae_store_end_bulk (store, error))
    return -1;
  return (g_get_monotonic_time () - start) / 1000.0;
}

/* What a clinic runs: one command for the whole folder, process start and the check of the
 * account's password (Argon2id, slow on purpose) included. */
static double
import_command (const char  *striae,
                const char  *database,
                gboolean     server,
                const char  *folder,
                double      *cpu_ms,
                double      *server_cpu_ms,
                GError     **error)
{
  const char *file_argv[] = { striae, "--database", database, "--user", USER,
                              "--import-patient", folder, NULL };
  /* On a server, the account is the login in the address, set up by the caller. */
  const char *server_argv[] = { striae, "--database", database, "--import-patient", folder,
                                NULL };
  const char * const *argv = server ? server_argv : file_argv;
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *err = NULL;
  gint64 start;
  double elapsed;

  /* The command imports into records that exist, with their administrator; made here,
   * outside the time. */
  if (!server)
    {
      g_autoptr(StriaeStore) empty = striae_store_open (database, error);

      if (empty == NULL ||
          !striae_store_create_first_admin (empty, USER, "Front desk", PASSWORD, error))
        return -1;
    }
  *cpu_ms = children_cpu_ms ();
  *server_cpu_ms = server_children_cpu_ms ();
  start = g_get_monotonic_time ();

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
  *cpu_ms = children_cpu_ms () - *cpu_ms;
  elapsed = (g_get_monotonic_time () - start) / 1000.0;

  /* The server's backend for the command ends as it disconnects and is counted once its
   * postmaster has waited for it. */
  if (*server_cpu_ms >= 0)
    {
      g_usleep (300 * 1000);
      *server_cpu_ms = server_children_cpu_ms () - *server_cpu_ms;
    }
  return elapsed;
}

/* The floor or the command, into @database or, with @server, into a clinic server's records
 * made for it and dropped afterwards. */
static double
import_on (const char  *striae,
           const char  *database,
           gboolean     server,
           gboolean     command,
           const char  *folder,
           guint        count,
           double      *cpu_ms,
           double      *server_cpu_ms,
           GError     **error)
{
  g_autoptr(BenchClinicServer) clinic = NULL;

  if (server)
    {
      clinic = bench_clinic_server_new (SERVER_DATABASE, USER, STRIAE_STAFF_ROLE_ADMIN, error);
      if (clinic == NULL)
        return -1;
      database = clinic->login_uri;
    }
  return command ? import_command (striae, database, server, folder, cpu_ms,
                                   server_cpu_ms, error)
                 : import_in_process (database, folder, count, error);
}

int
main (int   argc,
      char *argv[])
{
  int count = 1000;
  g_autofree char *striae = NULL;
  gboolean keep = FALSE;
  gboolean server = FALSE;
  GOptionEntry entries[] = {
    { "keep", 0, 0, G_OPTION_ARG_NONE, &keep,
      "Keep the records and databases made (not on a server)", NULL },
    { "server", 0, 0, G_OPTION_ARG_NONE, &server,
      "Import into the private server of tests/with-postgresql", NULL },
    { "count", 'n', 0, G_OPTION_ARG_INT, &count, "Records to import (1000)", "N" },
    { "striae", 0, 0, G_OPTION_ARG_FILENAME, &striae, "The striae binary", "PATH" },
    { NULL }
  };
  g_autoptr(GOptionContext) options = g_option_context_new ("- time a bulk import");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *floor_db = NULL;
  g_autofree char *command_db = NULL;
  double floor_ms, command_ms, target, cpu_ms = 0, server_cpu_ms = -1;

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error) || count < 1)
    {
      g_printerr ("%s\n", error != NULL ? error->message : "--count must be at least 1");
      return 1;
    }
  if (server && !bench_clinic_server_available ())
    {
      g_printerr ("bench-import: --server runs under tests/with-postgresql\n");
      return 1;
    }
  if (striae == NULL)
    {
      g_autofree char *here = g_path_get_dirname (argv[0]);

      striae = g_build_filename (here, "..", "src", "striae", NULL);
    }

  /* Audit keys in a folder of this run, never in the user's keyring. */
  dir = g_dir_make_tmp ("striae-bench-import-XXXXXX", &error);
  if (dir != NULL)
    {
      g_autofree char *keys = g_build_filename (dir, "keys", NULL);

      g_setenv ("STRIAE_AUDIT_KEY_DIR", keys, TRUE);
    }
  folder = g_build_filename (dir != NULL ? dir : "", "records", NULL);
  floor_db = g_build_filename (dir != NULL ? dir : "", "floor.db", NULL);
  command_db = g_build_filename (dir != NULL ? dir : "", "command.db", NULL);

  if (dir == NULL || !make_records (dir, folder, count, &error) ||
      (floor_ms = import_on (striae, floor_db, server, FALSE, folder, count, &cpu_ms,
                             &server_cpu_ms, &error)) < 0 ||
      (command_ms = import_on (striae, command_db, server, TRUE, folder, count, &cpu_ms,
                               &server_cpu_ms, &error)) < 0)
    {
      g_printerr ("bench-import: %s\n", error->message);
      if (dir != NULL)
        striae_bench_remove_tree (dir);
      return 1;
    }

  target = TARGET_MS_PER_1000 * count / 1000.0;
  printf ("%u records, each a patient with a signed consultation, into %s\n\n", count,
          server ? "a clinic server (private PostgreSQL, an administrators' login)" : "a file");
  printf ("%-44s %10s %10s\n", "measure", "time", "target");
  printf ("%-44s %7.0f ms %10s\n", "floor: the records API, in this process", floor_ms, "-");
  printf ("%-44s %7.0f ms %7.0f ms\n", server ? "striae --database URI --import-patient FOLDER"
                                               : "striae --import-patient FOLDER (one process)",
          command_ms, target);
  printf ("%-44s %7.0f ms\n", "  its processor time (user + system)", cpu_ms);
  if (server && server_cpu_ms >= 0)
    printf ("%-44s %7.0f ms\n", "  the server's (its processes that ended)", server_cpu_ms);
  printf ("%-44s %9.2fx\n", "ratio to the floor", command_ms / floor_ms);
  if (keep)
    printf ("\nThe records and databases are in %s\n", dir);
  else
    striae_bench_remove_tree (dir);
  return command_ms <= target ? 0 : 2;
}
