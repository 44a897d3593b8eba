/* SPDX-License-Identifier: GPL-3.0-or-later */

/* SQLite's quick_check in a worker thread, for a database opened with
 * STRIAE_STORE_OPEN_FLAGS_CHECK_IN_BACKGROUND (issue 15): the check reads every page, about
 * 0.3 s for 100 000 patients and 3 s for a million with a warm page cache (ten times that
 * cold), which the window's first frame and the front desk's batch should not wait for.
 * Reading goes on beside the check; every write waits for its verdict (sqlite_check_wait(),
 * called by BEGIN and by the commit hook), so a damaged file is still never written into. */

#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <sys/resource.h>
#include <sys/stat.h>

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

  striae_store_debug_check_starts ();

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

static void
wait_cancelled_cb (GCancellable *cancellable,
                   SqliteCheck  *check)
{
  g_mutex_lock (&check->lock);
  g_cond_broadcast (&check->cond);
  g_mutex_unlock (&check->lock);
}

/* Waits until the check is over, or until @cancellable is cancelled (the records are being
 * closed: the check itself stops with them). Returns: %FALSE with its sentence when the
 * file is damaged, or when the check was stopped before it could tell; G_IO_ERROR_CANCELLED
 * when the wait was. */
gboolean
sqlite_check_wait (SqliteCheck   *check,
                   GCancellable  *cancellable,
                   GError       **error)
{
  gboolean passed, done;
  gulong handler = 0;

  if (check == NULL)
    return TRUE;

  if (cancellable != NULL)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (wait_cancelled_cb), check, NULL);
  g_mutex_lock (&check->lock);
  while (!check->done && !g_cancellable_is_cancelled (cancellable))
    g_cond_wait (&check->cond, &check->lock);
  done = check->done;
  passed = done && check->error == NULL;
  if (done && !passed && error != NULL)
    *error = g_error_copy (check->error);
  g_mutex_unlock (&check->lock);
  g_cancellable_disconnect (cancellable, handler);

  if (!done)
    g_cancellable_set_error_if_cancelled (cancellable, error);
  return passed;
}

/* Whether the check has found nothing wrong so far, without waiting for it (a check of a
 * file trusted after a clean close, which writes do not wait for). Returns: %FALSE with its
 * sentence once it found the file damaged. */
gboolean
sqlite_check_sound_so_far (SqliteCheck  *check,
                           GError      **error)
{
  gboolean sound;

  if (check == NULL)
    return TRUE;

  g_mutex_lock (&check->lock);
  sound = !check->done || check->stopped || check->error == NULL;
  if (!sound && error != NULL)
    *error = g_error_copy (check->error);
  g_mutex_unlock (&check->lock);

  return sound;
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

/* Whether the check is over and found the file sound, without waiting for it. */
gboolean
sqlite_check_passed (SqliteCheck *check)
{
  gboolean passed;

  g_mutex_lock (&check->lock);
  passed = check->done && !check->stopped && check->error == NULL;
  g_mutex_unlock (&check->lock);

  return passed;
}

/* A clean close (issue 15). The quick check reads every page: about 1.2 s of processor for
 * 100 000 consultations (a 500 MB file), more than the 50 sheets a headless command prints
 * with it. A command opened with STRIAE_STORE_OPEN_FLAGS_TRUST_CLEAN_CLOSE skips it when
 * Striae itself closed the file cleanly after a check that passed, and nothing touched the
 * file since: the note beside the database (PATH-checked) then names the file (device and
 * inode) and its size, modification and status-change times as Striae left it, and when the
 * last full check passed. Anything else checks the file in full:
 * - a crash or power cut leaves a write-ahead log, or a half-written file whose times moved;
 * - a copy, a restored backup, or a write by another program changes the inode or the times;
 * - the note is taken away when the file is opened for writing, so a process that dies
 *   leaves none, and another Striae that opens the file meanwhile checks it;
 * - a note older than TRUST_HOURS is not trusted, so damage that changes nothing of the
 *   file's times (the disk's own faults) is found within a day even when only commands run;
 *   the window checks at every opening, in the background, its writes not waiting for the
 *   verdict when the note is trusted (STRIAE_STORE_OPEN_FLAGS_VERIFY_TRUSTED).
 * Whatever is skipped, SQLite still checks each page it reads (and cell_size_check is on). */

#define TRUST_HOURS 24
#define NOTE_GROUP "Striae check"

static char *
note_path (const char *path)
{
  return g_strconcat (path, "-checked", NULL);
}

/* The file's identity and times, as a line; %NULL when it cannot be read. */
static char *
describe_file (const char *path)
{
  struct stat st;

  if (stat (path, &st) != 0)
    return NULL;
  return g_strdup_printf ("%ju %ju %jd %jd.%09ld %jd.%09ld", (uintmax_t) st.st_dev,
                          (uintmax_t) st.st_ino, (intmax_t) st.st_size,
                          (intmax_t) st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
                          (intmax_t) st.st_ctim.tv_sec, st.st_ctim.tv_nsec);
}

/* Whether a write-ahead log with content lies beside @path: a writer has the file open, or
 * one stopped before it could fold its log into the file. */
static gboolean
has_log (const char *path)
{
  g_autofree char *log = g_strconcat (path, "-wal", NULL);
  GStatBuf st;

  return g_stat (log, &st) == 0 && st.st_size > 0;
}

/**
 * sqlite_check_take_note:
 * @checked_at: (out): when the last full check passed (Unix time), 0 when the note is not
 *   to be trusted
 *
 * Reads and removes the note of a clean close beside @path, before anything writes to the
 * file. Returns: whether the file is as Striae left it after a check within TRUST_HOURS.
 */
gboolean
sqlite_check_take_note (const char *path,
                        gint64     *checked_at)
{
  g_autofree char *note = note_path (path);
  g_autoptr(GKeyFile) keys = g_key_file_new ();
  g_autofree char *file = NULL;
  g_autofree char *now_file = NULL;
  gint64 when;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  *checked_at = 0;
  if (!g_key_file_load_from_file (keys, note, G_KEY_FILE_NONE, NULL))
    return FALSE;
  if (g_unlink (note) != 0)
    return FALSE;

  file = g_key_file_get_string (keys, NOTE_GROUP, "file", NULL);
  when = g_key_file_get_int64 (keys, NOTE_GROUP, "checked-at", NULL);
  now_file = describe_file (path);
  if (file == NULL || now_file == NULL || g_strcmp0 (file, now_file) != 0 || has_log (path) ||
      when <= 0 || when > now || now - when > TRUST_HOURS * 3600)
    return FALSE;

  *checked_at = when;
  return TRUE;
}

/**
 * sqlite_check_leave_note:
 * @checked_at: when the last full check of the file passed (Unix time)
 *
 * After the last connection closed: notes the file as Striae leaves it, when its log was
 * folded into it (no other connection open, none of ours left open).
 */
void
sqlite_check_leave_note (const char *path,
                         gint64      checked_at)
{
  g_autofree char *note = note_path (path);
  g_autofree char *file = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GKeyFile) keys = NULL;
  g_autoptr(GError) error = NULL;

  if (checked_at <= 0 || has_log (path) || (file = describe_file (path)) == NULL)
    return;

  keys = g_key_file_new ();
  g_key_file_set_comment (keys, NULL, NULL,
                          " Striae closed the database beside this file cleanly after a check"
                          " that passed.\n Delete this file to have the next opening check the"
                          " whole database.", NULL);
  g_key_file_set_string (keys, NOTE_GROUP, "file", file);
  g_key_file_set_int64 (keys, NOTE_GROUP, "checked-at", checked_at);
  text = g_key_file_to_data (keys, NULL, NULL);
  if (!g_file_set_contents_full (note, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    g_debug ("No note of the clean close of %s: %s", path, error->message);
}
