/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <fcntl.h>
#include <glib/gstdio.h>
#include <inttypes.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "striae-store.h"
#include "striae-store-backend.h"
#include "striae-test-date.h"

/* A damaged database is refused before anything writes to it, and left byte for byte as it
 * was: every page of a real database is damaged in turn (random bytes, zeros, a broken page
 * header), and opening it for writing must say so. */

#define N_PATIENTS 60

static void
fill (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StriaeStore) store = striae_store_open (path, &error);

  g_assert_no_error (error);
  for (int i = 0; i < N_PATIENTS; i++)
    {
      g_autoptr(StriaePatient) patient = striae_patient_new ();
      g_autofree char *family = g_strdup_printf ("Family%03d", i);
      g_autofree char *notes = g_strnfill (300 + i * 7, 'a' + i % 26);

      striae_patient_set_given_name (patient, "Given");
      striae_patient_set_family_name (patient, family);
      striae_patient_set_birth_date (patient, striae_test_date ("1980-01-01"));
      striae_patient_set_notes (patient, notes);
      g_assert_true (striae_store_add_patient (store, patient, &error));
      g_assert_no_error (error);
    }
  /* Closing the last connection folds the write-ahead log into the file. */
}

typedef enum
{
  DAMAGE_RANDOM,
  DAMAGE_ZEROS,
  DAMAGE_HEADER,
  N_DAMAGES
} Damage;

static const char * const damage_names[] = { "random bytes", "zeros", "a broken page header" };

static GBytes *
damaged_copy (GBytes *original,
              gsize   page_size,
              guint   page,
              Damage  damage,
              GRand  *rand)
{
  gsize length = 0;
  const guint8 *data = g_bytes_get_data (original, &length);
  guint8 *copy = g_memdup2 (data, length);
  /* Page 1 starts with the 100-byte file header, which striae_store_open() reads itself. */
  gsize start = page * page_size + (page == 0 ? 100 : 0);
  gsize end = (page + 1) * page_size;

  if (damage == DAMAGE_HEADER)
    end = start + 8;
  for (gsize i = start; i < end && i < length; i++)
    copy[i] = damage == DAMAGE_ZEROS ? 0 : (guint8) g_rand_int_range (rand, 0, 256);

  return g_bytes_new_take (copy, length);
}

/* A write: one patient more. */
static gboolean
add_writer (StriaeStore  *store,
            GError      **error)
{
  g_autoptr(StriaePatient) patient = striae_patient_new ();

  striae_patient_set_given_name (patient, "Late");
  striae_patient_set_family_name (patient, "Writer");
  striae_patient_set_birth_date (patient, striae_test_date ("1990-05-05"));
  return striae_store_add_patient (store, patient, error);
}

/* Opened with @flags: refused at once, or — the check running in the background — opened
 * for reading, with the first write and striae_store_wait_checked() refused. */
static gboolean
refuses (const char            *path,
         StriaeStoreOpenFlags   flags)
{
  g_autoptr(StriaeStore) store = NULL;
  g_autoptr(GError) error = NULL;

  store = striae_store_open_full (path, flags, &error);
  if (store == NULL)
    {
      g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_A_DATABASE);
      return TRUE;
    }
  if ((flags & STRIAE_STORE_OPEN_FLAGS_CHECK_IN_BACKGROUND) == 0)
    return FALSE;

  if (add_writer (store, &error))
    return FALSE;
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_A_DATABASE);
  g_clear_error (&error);

  g_assert_false (striae_store_wait_checked (store, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_A_DATABASE);
  return TRUE;
}

static void
damage_every_page (StriaeStoreOpenFlags flags)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("striae-damage-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "clinic.db", NULL);
  g_autofree char *victim = g_build_filename (dir, "damaged.db", NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261202);
  g_autoptr(GBytes) original = NULL;
  char *contents = NULL;
  gsize length = 0, page_size;
  guint n_pages, refused = 0, tried = 0;

  g_assert_no_error (error);
  fill (path);
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  original = g_bytes_new_take (contents, length);
  page_size = ((gsize) ((guint8 *) contents)[16] << 8) | ((guint8 *) contents)[17];
  n_pages = length / page_size;
  g_assert_cmpuint (n_pages, >=, 8);

  for (guint page = 0; page < n_pages; page++)
    for (Damage damage = 0; damage < N_DAMAGES; damage++)
      {
        g_autoptr(GBytes) bad = damaged_copy (original, page_size, page, damage, rand);
        g_autoptr(GBytes) after = NULL;

        g_assert_true (g_file_set_contents (victim, g_bytes_get_data (bad, NULL),
                                            g_bytes_get_size (bad), NULL));
        tried++;
        if (refuses (victim, flags))
          refused++;
        else
          g_test_message ("page %u of %u, %s: written into", page + 1, n_pages,
                          damage_names[damage]);

        g_assert_true (g_file_get_contents (victim, &contents, &length, NULL));
        after = g_bytes_new_take (contents, length);
        if (refused == tried)
          g_assert_true (g_bytes_equal (bad, after));
        g_unlink (victim);
      }

  g_test_message ("%u damaged copies (%u pages × %d kinds of damage): %u refused", tried,
                  n_pages, N_DAMAGES, refused);
  g_assert_cmpuint (refused, ==, tried);

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_every_page (void)
{
  damage_every_page (STRIAE_STORE_OPEN_FLAGS_NONE);
}

/* The window and the command line open the file at once and check it in a worker thread:
 * the same damage is still never written into. */
static void
test_every_page_checked_later (void)
{
  damage_every_page (STRIAE_STORE_OPEN_FLAGS_CHECK_IN_BACKGROUND);
}

/* A sound file opened that way takes writes once checked, and closing it while the check
 * runs neither waits for the verdict nor leaves the thread behind. */
static void
test_checked_later_sound (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("striae-damage-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "clinic.db", NULL);
  g_autoptr(StriaeStore) store = NULL;
  g_autoptr(StriaePatient) patient = striae_patient_new ();

  fill (path);
  for (int i = 0; i < 20; i++)
    {
      store = striae_store_open_full (path, STRIAE_STORE_OPEN_FLAGS_CHECK_IN_BACKGROUND, &error);
      g_assert_no_error (error);
      g_clear_object (&store);
    }

  store = striae_store_open_full (path, STRIAE_STORE_OPEN_FLAGS_CHECK_IN_BACKGROUND, &error);
  g_assert_no_error (error);
  striae_patient_set_given_name (patient, "Late");
  striae_patient_set_family_name (patient, "Writer");
  striae_patient_set_birth_date (patient, striae_test_date ("1990-05-05"));
  g_assert_true (striae_store_add_patient (store, patient, &error));
  g_assert_no_error (error);
  g_assert_true (striae_store_wait_checked (store, &error));
  g_assert_no_error (error);
  g_clear_object (&store);

  g_unlink (path);
  {
    g_autofree char *note = g_strconcat (path, "-checked", NULL);

    g_unlink (note);
  }
  g_rmdir (dir);
}

/* The sentence names the damage, says the file was left unchanged and points to a backup. */
static void
test_sentence (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("striae-damage-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "clinic.db", NULL);
  g_autofree char *backup = g_build_filename (dir, "monday.striae", NULL);
  g_autoptr(StriaeStore) store = NULL;
  char *contents = NULL;
  gsize length = 0, page_size;

  fill (path);
  store = striae_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (striae_store_backup (store, backup, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&store);

  /* The last page holds patients' rows, not the audit log the sentence reads. */
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  page_size = ((gsize) ((guint8 *) contents)[16] << 8) | ((guint8 *) contents)[17];
  memset (contents + 2 * page_size, 0xff, 8);
  g_assert_true (g_file_set_contents (path, contents, length, NULL));
  g_free (contents);

  store = striae_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_A_DATABASE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "is damaged"));
  g_assert_nonnull (strstr (error->message, "left unchanged"));
  g_assert_nonnull (strstr (error->message, "backup"));

  g_unlink (backup);
  g_unlink (path);
  g_rmdir (dir);
}

/* A headless command trusts a clean close (issue 15) */

#define COMMAND_FLAGS (STRIAE_STORE_OPEN_FLAGS_CHECK_IN_BACKGROUND | \
                       STRIAE_STORE_OPEN_FLAGS_TRUST_CLEAN_CLOSE)

/* New files, never closed by Striae, are checked in full by a command too. */
static void
test_every_page_trusting (void)
{
  damage_every_page (COMMAND_FLAGS);
}

static gsize
read_page_size (const char *path)
{
  guint8 header[18];
  int fd = open (path, O_RDONLY);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (read (fd, header, sizeof header), ==, sizeof header);
  close (fd);
  return ((gsize) header[16] << 8) | header[17];
}

/* Zeros over the third page, written into the file itself, as a faulty disk or program
 * would: its times move. */
static void
damage_in_place (const char *path)
{
  gsize page_size = read_page_size (path);
  g_autofree guint8 *zeros = g_malloc0 (page_size);
  int fd = open (path, O_WRONLY);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (pwrite (fd, zeros, page_size, 2 * page_size), ==, page_size);
  close (fd);
}

/* The note a clean close leaves, written for the file as it is now, checked @hours ago: what
 * damage that moves none of the file's times (the disk's own fault) would look like. */
static void
forge_note (const char *path,
            double      hours)
{
  g_autofree char *note = g_strconcat (path, "-checked", NULL);
  g_autoptr(GKeyFile) keys = g_key_file_new ();
  g_autofree char *file = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  struct stat st;

  g_assert_cmpint (stat (path, &st), ==, 0);
  file = g_strdup_printf ("%ju %ju %jd %jd.%09ld %jd.%09ld", (uintmax_t) st.st_dev,
                          (uintmax_t) st.st_ino, (intmax_t) st.st_size,
                          (intmax_t) st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
                          (intmax_t) st.st_ctim.tv_sec, st.st_ctim.tv_nsec);
  g_key_file_set_string (keys, "Striae check", "file", file);
  g_key_file_set_int64 (keys, "Striae check", "checked-at", now - (gint64) (hours * 3600));
  g_assert_true (g_key_file_save_to_file (keys, note, NULL));
}

static void
remove_records (const char *dir,
                const char *path)
{
  g_autofree char *note = g_strconcat (path, "-checked", NULL);

  g_unlink (note);
  g_unlink (path);
  g_rmdir (dir);
}

/* A command's clean close after a check that passed leaves the note, readable by its owner
 * alone; the next command takes it while the file is open; damage written after the clean
 * close moves the file's times, and the file is checked and refused as before. */
static void
test_clean_close (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("striae-damage-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "clinic.db", NULL);
  g_autofree char *note = g_strconcat (path, "-checked", NULL);
  g_autoptr(StriaeStore) store = NULL;
  GStatBuf st;

  fill (path);
  /* Opened by neither the window nor a command: no note. */
  g_assert_false (g_file_test (note, G_FILE_TEST_EXISTS));

  store = striae_store_open_full (path, COMMAND_FLAGS, &error);
  g_assert_no_error (error);
  g_assert_true (striae_store_wait_checked (store, &error));
  g_assert_no_error (error);
  g_clear_object (&store);
  g_assert_cmpint (g_stat (note, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  store = striae_store_open_full (path, COMMAND_FLAGS, &error);
  g_assert_no_error (error);
  g_assert_false (g_file_test (note, G_FILE_TEST_EXISTS));
  g_clear_object (&store);
  g_assert_true (g_file_test (note, G_FILE_TEST_EXISTS));

  damage_in_place (path);
  g_assert_true (refuses (path, COMMAND_FLAGS));
  /* Refused: no note to trust next time either. */
  g_assert_false (g_file_test (note, G_FILE_TEST_EXISTS));
  g_assert_true (refuses (path, COMMAND_FLAGS));

  remove_records (dir, path);
}

/* What is skipped, and what is not: damage that moved none of the file's times goes unseen
 * by a command while the note is less than a day old (the limit the note states: SQLite
 * still checks each page it reads); the window, a note more than a day old, or a file
 * changed since the note are checked in full and refused. */
static void
test_clean_close_limits (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("striae-damage-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "clinic.db", NULL);
  g_autoptr(StriaeStore) store = NULL;

  fill (path);
  damage_in_place (path);

  forge_note (path, 1);
  store = striae_store_open_full (path, COMMAND_FLAGS, &error);
  g_assert_no_error (error);
  g_assert_true (striae_store_wait_checked (store, &error));
  g_clear_object (&store);

  forge_note (path, 1);
  g_assert_true (refuses (path, STRIAE_STORE_OPEN_FLAGS_CHECK_IN_BACKGROUND));
  forge_note (path, 25);
  g_assert_true (refuses (path, COMMAND_FLAGS));
  forge_note (path, 1);
  damage_in_place (path);
  g_assert_true (refuses (path, COMMAND_FLAGS));

  remove_records (dir, path);
}

/* The window opens a file as commands do, trusting a clean close, but still checks it in
 * the background at every opening (issue 15): damage that moved none of the file's times is
 * found there, and every write after the verdict is refused; the next opening checks in
 * full before any write. */
#define WINDOW_FLAGS (COMMAND_FLAGS | STRIAE_STORE_OPEN_FLAGS_VERIFY_TRUSTED)

static void
test_window_verifies_trusted (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("striae-damage-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "clinic.db", NULL);
  g_autofree char *note = g_strconcat (path, "-checked", NULL);

  fill (path);
  damage_in_place (path);
  forge_note (path, 1);
  g_assert_true (refuses (path, WINDOW_FLAGS));
  g_assert_false (g_file_test (note, G_FILE_TEST_EXISTS));
  g_assert_true (refuses (path, WINDOW_FLAGS));

  remove_records (dir, path);
}

static gint64
noted_check (const char *path)
{
  g_autofree char *note = g_strconcat (path, "-checked", NULL);
  g_autoptr(GKeyFile) keys = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  gint64 checked_at;

  g_assert_true (g_key_file_load_from_file (keys, note, G_KEY_FILE_NONE, &error));
  g_assert_no_error (error);
  checked_at = g_key_file_get_int64 (keys, "Striae check", "checked-at", &error);
  g_assert_no_error (error);
  return checked_at;
}

/* A sound file the window closed cleanly: the next window's first write (the sign-in's
 * audit row) does not wait for the check of a large file, made slow here; the check still
 * runs, and its pass is noted at the clean close. Opened without a note, the first write
 * waits for the verdict as before. */
static void
test_window_writes_before_verdict (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("striae-damage-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "clinic.db", NULL);
  g_autofree char *note = g_strconcat (path, "-checked", NULL);
  g_autoptr(StriaeStore) store = NULL;
  gint64 start, noted;

  fill (path);
  store = striae_store_open_full (path, WINDOW_FLAGS, &error);
  g_assert_no_error (error);
  g_assert_true (striae_store_wait_checked (store, &error));
  g_clear_object (&store);
  noted = noted_check (path);
  /* The note counts in seconds: the next pass is noted as a later one. */
  g_usleep (1100 * G_TIME_SPAN_MILLISECOND);

  striae_store_debug_set_check_delay (3000);
  store = striae_store_open_full (path, WINDOW_FLAGS, &error);
  g_assert_no_error (error);
  start = g_get_monotonic_time ();
  g_assert_true (add_writer (store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2000 * G_TIME_SPAN_MILLISECOND);
  g_assert_true (striae_store_wait_checked (store, &error));
  g_assert_no_error (error);
  g_clear_object (&store);
  g_assert_cmpint (noted_check (path), >, noted);

  /* No note (a crash): the first write waits for the check's verdict. The check (and its
   * delay) starts as the records open: counted from before. */
  g_unlink (note);
  start = g_get_monotonic_time ();
  store = striae_store_open_full (path, WINDOW_FLAGS, &error);
  g_assert_no_error (error);
  g_assert_true (add_writer (store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 3000 * G_TIME_SPAN_MILLISECOND);
  striae_store_debug_set_check_delay (0);
  g_clear_object (&store);

  remove_records (dir, path);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/damage/every-page", test_every_page);
  g_test_add_func ("/damage/every-page-checked-later", test_every_page_checked_later);
  g_test_add_func ("/damage/checked-later-sound", test_checked_later_sound);
  g_test_add_func ("/damage/sentence", test_sentence);
  g_test_add_func ("/damage/every-page-trusting", test_every_page_trusting);
  g_test_add_func ("/damage/clean-close", test_clean_close);
  g_test_add_func ("/damage/clean-close-limits", test_clean_close_limits);
  g_test_add_func ("/damage/window-verifies-trusted", test_window_verifies_trusted);
  g_test_add_func ("/damage/window-writes-before-verdict", test_window_writes_before_verdict);

  return g_test_run ();
}
