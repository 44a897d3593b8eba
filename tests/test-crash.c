/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "striae-store.h"
#include "striae-test-store.h"
#include "striae-test-date.h"

/* Crash safety: writer processes save consultations in a loop and are killed with SIGKILL at
 * random moments, at least 200 times. A writer reports "id revision sha256" on a pipe only
 * after striae_store_save_consultation() returned TRUE; afterwards the records must pass
 * their backend's integrity check (SQLite's PRAGMA integrity_check) and every reported save
 * must read back exactly. The records are the backend's that STRIAE_TEST_BACKEND names
 * (tests/striae-test-store.h). */

#define N_KILLS 200
#define N_WRITERS 4

static G_NORETURN void
writer (const char *location,
        gint64      patient,
        int         fd,
        guint       seed)
{
  g_autoptr(StriaeStore) store = NULL;
  g_autoptr(GError) error = NULL;
  GRand *rand = g_rand_new_with_seed (seed);

  store = striae_store_open (location, &error);
  if (store == NULL)
    {
      g_printerr ("writer: %s\n", error->message);
      _exit (2);
    }

  for (guint n = 0; ; n++)
    {
      g_autoptr(StriaeConsultation) c = striae_consultation_new ();
      g_autofree char *json = NULL;
      g_autofree char *hash = NULL;
      g_autofree char *line = NULL;

      striae_consultation_set_patient_id (c, patient);
      striae_consultation_set_practitioner (c, "Dr Roux");
      if (!striae_store_save_consultation (store, c, NULL, &error))
        {
          g_printerr ("writer: %s\n", error->message);
          _exit (3);
        }

      /* A few more saves of the same draft, each with different answers. */
      for (guint k = 0; k < 3; k++)
        {
          g_autofree char *date = g_strdup_printf ("20%02u-%02u-%02u",
                                                   g_rand_int_range (rand, 10, 30),
                                                   g_rand_int_range (rand, 1, 13),
                                                   g_rand_int_range (rand, 1, 29));

          striae_consultation_set_date (c, striae_test_date (date));
          striae_history_set_answer (striae_consultation_get_history (c),
                                     g_rand_int_range (rand, 0, STRIAE_QUESTION_PREGNANCY + 1),
                                     g_rand_int_range (rand, 0, 3));
          if (!striae_store_save_consultation (store, c, NULL, &error))
            {
              g_printerr ("writer: %s\n", error->message);
              _exit (3);
            }

          json = striae_consultation_to_json (c);
          hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, json, -1);
          line = g_strdup_printf ("%d %" G_GINT64_FORMAT " %s\n", (int) getpid (),
                                  striae_consultation_get_id (c), hash);
          if (write (fd, line, strlen (line)) != (ssize_t) strlen (line))
            _exit (4);
          g_clear_pointer (&json, g_free);
          g_clear_pointer (&hash, g_free);
          g_clear_pointer (&line, g_free);
        }
    }
}

static void
test_kill_writers (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("striae-crash-XXXXXX", &error);
  g_autofree char *location = NULL;
  g_autoptr(GHashTable) saved = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                       g_free);
  g_autoptr(GHashTable) last_of_writer = g_hash_table_new_full (g_direct_hash,
                                                                g_direct_equal, NULL, g_free);
  g_autoptr(GString) pending = g_string_new (NULL);
  g_autoptr(StriaeStore) store = NULL;
  g_autoptr(StriaePatient) patient = striae_patient_new ();
  GRand *rand = g_rand_new ();
  gint64 started = g_get_monotonic_time ();
  pid_t pids[N_WRITERS] = { 0, };
  guint kills = 0, spawned = 0, reports = 0;
  int fds[2];

  g_assert_no_error (error);

  location = striae_test_store_location (dir);
  store = striae_test_store_open (location);
  striae_patient_set_given_name (patient, "Crash");
  striae_patient_set_family_name (patient, "Test");
  striae_patient_set_birth_date (patient, striae_test_date ("1990-01-01"));
  g_assert_true (striae_store_add_patient (store, patient, &error));
  g_clear_object (&store);

  /* Lines are under PIPE_BUF, so each write() reaches the pipe whole. */
  g_assert_cmpint (pipe (fds), ==, 0);

  while (kills < N_KILLS)
    {
      for (guint i = 0; i < N_WRITERS; i++)
        if (pids[i] == 0)
          {
            pids[i] = fork ();
            g_assert_cmpint (pids[i], >=, 0);
            if (pids[i] == 0)
              {
                close (fds[0]);
                writer (location, striae_patient_get_id (patient), fds[1], ++spawned * 7919);
              }
            spawned++;
          }

      g_usleep (g_rand_int_range (rand, 500, 40000));

      {
        guint victim = g_rand_int_range (rand, 0, N_WRITERS);
        int status = 0;

        kill (pids[victim], SIGKILL);
        g_assert_cmpint (waitpid (pids[victim], &status, 0), ==, pids[victim]);
        /* Anything but our SIGKILL means the writer failed by itself. */
        if (!WIFSIGNALED (status) || WTERMSIG (status) != SIGKILL)
          g_error ("A writer exited with status %d", WIFEXITED (status) ? WEXITSTATUS (status)
                                                                         : -1);
        pids[victim] = 0;
        kills++;
      }
    }

  for (guint i = 0; i < N_WRITERS; i++)
    if (pids[i] != 0)
      {
        kill (pids[i], SIGKILL);
        waitpid (pids[i], NULL, 0);
      }
  close (fds[1]);

  /* Collect the reports; the last one for an id is its latest saved state. */
  {
    char buffer[4096];
    ssize_t n;

    while ((n = read (fds[0], buffer, sizeof buffer)) > 0)
      g_string_append_len (pending, buffer, n);
    close (fds[0]);
  }
  {
    g_auto(GStrv) lines = g_strsplit (pending->str, "\n", -1);

    for (guint i = 0; lines[i] != NULL; i++)
      {
        gint64 id;
        char hash[65];
        int pid;

        if (lines[i][0] == '\0')
          continue;
        g_assert_cmpint (sscanf (lines[i], "%d %" G_GINT64_FORMAT " %64s", &pid, &id, hash),
                         ==, 3);
        g_hash_table_insert (saved, g_memdup2 (&id, sizeof id), g_strdup (hash));
        g_hash_table_insert (last_of_writer, GINT_TO_POINTER (pid),
                             g_memdup2 (&id, sizeof id));
        reports++;
      }
  }

  g_test_message ("%u kills, %u saves reported, %u consultations, %.1f s", kills, reports,
                  g_hash_table_size (saved),
                  (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC);
  g_assert_cmpuint (g_hash_table_size (saved), >, 0);

  /* The records as the last writer left them, checked before the store opens them again. */
  striae_test_store_assert_intact (location);

  store = striae_test_store_open (location);

  {
    GHashTableIter iter;
    gpointer key, value;
    guint exact = 0, newer = 0;

    g_hash_table_iter_init (&iter, saved);
    while (g_hash_table_iter_next (&iter, &key, &value))
      {
        g_autoptr(StriaeConsultation) c = NULL;
        g_autofree char *json = NULL;
        g_autofree char *hash = NULL;

        c = striae_store_get_consultation (store, *(gint64 *) key, &error);
        g_assert_no_error (error);
        json = striae_consultation_to_json (c);
        hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, json, -1);

        /* A writer may have saved once more after its last report, just before the kill:
         * then the stored state is newer than the reported one. That can only happen to
         * the last consultation a writer reported; every other one must match exactly. */
        if (g_strcmp0 (hash, value) != 0)
          {
            GHashTableIter writers;
            gpointer last;
            gboolean is_last = FALSE;

            g_hash_table_iter_init (&writers, last_of_writer);
            while (g_hash_table_iter_next (&writers, NULL, &last))
              is_last |= *(gint64 *) last == *(gint64 *) key;
            if (!is_last)
              g_error ("Consultation %" G_GINT64_FORMAT " does not read back as saved",
                       *(gint64 *) key);
            g_assert_cmpstr (striae_consultation_get_practitioner (c), ==, "Dr Roux");
            g_assert_nonnull (striae_consultation_get_date (c));
            newer++;
          }
        else
          exact++;
      }

    g_test_message ("%u consultations as reported, %u saved again after their last report",
                    exact, newer);
  }

  g_assert_true (striae_store_verify_audit (store, NULL, NULL, &error));
  g_assert_no_error (error);

  g_clear_object (&store);
  striae_test_store_remove (location);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
  g_rand_free (rand);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/crash/kill-writers", test_kill_writers);

  return g_test_run ();
}
