/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>

#include "striae-test-date.h"
#include "striae-test-store.h"

/* The statements the PostgreSQL backend prepares once per session of the server (issue 15):
 * a connection made again, after the server dropped it or restarted, is a new session that
 * has none of them, and the records answer there as before, from the first statement on
 * (nothing fails for a statement name the server forgot). On the private server of
 * tests/with-postgresql; a file has no sessions, and the test says so and is skipped. */

#define DROP_OTHER_SESSIONS \
  "SELECT pg_terminate_backend (pid) FROM pg_stat_activity" \
  "  WHERE datname = current_database () AND pid <> pg_backend_pid ()"

static gint64
add_patient (StriaeStore *store,
             const char  *family)
{
  g_autoptr(StriaePatient) patient = striae_patient_new ();
  g_autoptr(GError) error = NULL;

  striae_patient_set_given_name (patient, "Lena");
  striae_patient_set_family_name (patient, family);
  striae_patient_set_birth_date (patient, striae_test_date ("1990-05-17"));
  g_assert_true (striae_store_add_patient (store, patient, &error));
  g_assert_no_error (error);
  return striae_patient_get_id (patient);
}

static void
assert_patient (StriaeStore *store,
                gint64       id,
                const char  *family)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StriaePatient) patient = striae_store_get_patient (store, id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (patient);
  g_assert_cmpstr (striae_patient_get_family_name (patient), ==, family);
}

/* The same writes and reads, each statement run several times so that it is prepared,
 * before and after the session is lost by @lose. */
static void
check_session_lost (void (*lose) (const char *location))
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("striae-server-statements-XXXXXX", &error);
  g_autofree char *location = striae_test_store_location (dir);
  StriaeStore *store = striae_test_store_open (location);
  gint64 ids[3];

  ids[0] = add_patient (store, "Vogel");
  ids[1] = add_patient (store, "Okafor");
  assert_patient (store, ids[0], "Vogel");
  assert_patient (store, ids[1], "Okafor");
  g_assert_true (striae_store_check_changes (store, &error));
  g_assert_no_error (error);

  lose (location);
  /* The first statement on the dropped connection finds it gone (the server cannot be
   * reached); the connection is then made again. */
  g_assert_true (striae_test_wait_for (striae_test_store_answers, store));

  /* Every statement prepared before is run again on the new session, none refused. */
  ids[2] = add_patient (store, "Moreau");
  assert_patient (store, ids[0], "Vogel");
  assert_patient (store, ids[2], "Moreau");
  g_assert_true (striae_store_check_changes (store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (striae_test_store_count_audit (location, "create"), ==, 3);

  g_object_unref (store);
  striae_test_store_remove (location);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
drop_sessions (const char *location)
{
  striae_test_store_exec (location, DROP_OTHER_SESSIONS);
}

static void
restart_server (const char *location)
{
  striae_test_store_exec (location, "CHECKPOINT");
  striae_test_store_pg_ctl ("stop");
  striae_test_store_pg_ctl ("start");
}

static void
test_connection_dropped (void)
{
  check_session_lost (drop_sessions);
}

static void
test_server_restarted (void)
{
  check_session_lost (restart_server);
}

static void
skip_without_server (void)
{
  g_test_skip ("A file has no server sessions: this test runs in the PostgreSQL pass "
               "(meson test --setup=postgresql --suite postgresql server-statements)");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (striae_test_backend_is ("postgresql"))
    {
      g_test_add_func ("/server-statements/connection-dropped", test_connection_dropped);
      g_test_add_func ("/server-statements/server-restarted", test_server_restarted);
    }
  else
    {
      g_test_add_func ("/server-statements/connection-dropped", skip_without_server);
      g_test_add_func ("/server-statements/server-restarted", skip_without_server);
    }

  return g_test_run ();
}
