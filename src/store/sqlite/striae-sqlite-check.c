/* SPDX-License-Identifier: GPL-3.0-or-later */

/* SQLite's quick_check in a worker thread, for a database opened with
 * STRIAE_STORE_OPEN_FLAGS_CHECK_IN_BACKGROUND (issue 15): the check reads every page, about
 * 0.3 s for 100 000 patients and 3 s for a million with a warm page cache (ten times that
 * cold), which the window's first frame and the front desk's batch should not wait for.
 * Reading goes on beside the check; every write waits for its verdict (sqlite_check_wait(),
 * called by BEGIN and by the commit hook), so a damaged file is still never written into. */

#include "config.h"

#include <errno.h>
#include <sys/resource.h>

#include "striae-sqlite-private.h"

struct _SqliteCheck
{
  GMutex   lock;
  GCond    cond;
  GThread *thread;
  char    *path;
  sqlite3 *db;      /* the check's connection while it runs, for sqlite3_interrupt() */
  gboolean done;
  gboolean stopped; /* sqlite_check_free() asked the check to stop */
  GError  *error;   /* the verdict: %NULL when the file passed */
};

static gpointer
check_thread (gpointer data)
{
  SqliteCheck *check = data;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;
  gboolean stopped;

  /* Behind the window's own work on a busy processor: on Linux a thread has its own nice
   * value, and 0 names the calling thread. */
  if (setpriority (PRIO_PROCESS, 0, 10) != 0)
    g_debug ("The check of %s keeps its priority: %s", check->path, g_strerror (errno));

  g_mutex_lock (&check->lock);
  stopped = check->stopped;
  if (!stopped)
    store_open_read_only (check->path, &db);
  check->db = db;
  g_mutex_unlock (&check->lock);

  /* A file SQLite cannot open is said the same way, through the failed handle. */
  if (!stopped)
    store_quick_check_connection (check->path, db, &error);

  g_mutex_lock (&check->lock);
  check->db = NULL;
  check->done = TRUE;
  check->error = g_steal_pointer (&error);
  g_cond_broadcast (&check->cond);
  g_mutex_unlock (&check->lock);

  sqlite3_close (db);
  return NULL;
}

/* Starts checking the database at @path in a thread of its own. */
SqliteCheck *
sqlite_check_start (const char *path)
{
  SqliteCheck *check = g_new0 (SqliteCheck, 1);

  g_mutex_init (&check->lock);
  g_cond_init (&check->cond);
  check->path = g_strdup (path);
  check->thread = g_thread_new ("striae-check", check_thread, check);
  return check;
}

/* Waits until the check is over. Returns: %FALSE with its sentence when the file is
 * damaged, or when the check was stopped before it could tell. */
gboolean
sqlite_check_wait (SqliteCheck  *check,
                   GError      **error)
{
  gboolean passed;

  if (check == NULL)
    return TRUE;

  g_mutex_lock (&check->lock);
  while (!check->done)
    g_cond_wait (&check->cond, &check->lock);
  passed = check->error == NULL;
  if (!passed && error != NULL)
    *error = g_error_copy (check->error);
  g_mutex_unlock (&check->lock);

  return passed;
}

/* Stops a check still running (closing the records does not wait three seconds for a
 * verdict nobody needs) and frees it. */
void
sqlite_check_free (SqliteCheck *check)
{
  if (check == NULL)
    return;

  g_mutex_lock (&check->lock);
  check->stopped = TRUE;
  if (check->db != NULL)
    sqlite3_interrupt (check->db);
  g_mutex_unlock (&check->lock);

  g_thread_join (check->thread);
  g_clear_error (&check->error);
  g_free (check->path);
  g_cond_clear (&check->cond);
  g_mutex_clear (&check->lock);
  g_free (check);
}
