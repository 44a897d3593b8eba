/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "striae-store.h"
#include "striae-test-date.h"
#include "striae-test-files.h"

/* Where Striae may write what a person named (striae_store_check_output()), and the modes of
 * what it writes: a typo in --output or a file chooser must never replace the records. The
 * test's own XDG_DATA_HOME stands for Striae's data folder. */

typedef struct
{
  char        *dir;
  char        *database;
  StriaeStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("striae-output-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->database = g_build_filename (fixture->dir, "clinic.db", NULL);
  fixture->store = striae_store_open (fixture->database, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  striae_test_remove_tree (fixture->dir);
  g_free (fixture->database);
  g_free (fixture->dir);
}

static GBytes *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

static void
assert_refused (Fixture    *fixture,
                const char *path,
                const char *expected)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (striae_store_check_output (fixture->store, path, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID);
  g_test_message ("%s: %s", path, error->message);
  g_assert_nonnull (strstr (error->message, expected));
  g_assert_nonnull (strstr (error->message, "Nothing was written"));
}

/* The open database and SQLite's files beside it, by any spelling of their names. */
static void
test_database_files (Fixture       *fixture,
                     gconstpointer  data)
{
  static const char * const suffixes[] = { "", "-wal", "-shm", "-journal" };
  g_autofree char *cwd = g_get_current_dir ();
  g_autofree char *hard_link = g_build_filename (fixture->dir, "copy.db", NULL);
  g_autofree char *dotted = g_build_filename (fixture->dir, "missing", "..", "clinic.db", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (fixture->database, suffixes[i], NULL);

      assert_refused (fixture, file, "is the patient database");
    }

  assert_refused (fixture, dotted, "is the patient database");
  g_assert_cmpint (link (fixture->database, hard_link), ==, 0);
  assert_refused (fixture, hard_link, "is the patient database");

  g_assert_cmpint (g_chdir (fixture->dir), ==, 0);
  assert_refused (fixture, "clinic.db", "is the patient database");
  assert_refused (fixture, "./clinic.db-wal", "is the patient database");
  g_assert_cmpint (g_chdir (cwd), ==, 0);
}

/* Anything that exists and is not an ordinary file: a folder, a device, a link, a pipe. */
static void
test_not_regular (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *link_path = g_build_filename (fixture->dir, "sheet.pdf", NULL);
  g_autofree char *target = g_build_filename (fixture->dir, "elsewhere.pdf", NULL);
  g_autofree char *pipe = g_build_filename (fixture->dir, "pipe", NULL);

  assert_refused (fixture, fixture->dir, "is a folder");
  assert_refused (fixture, "/dev/null", "not an ordinary file");
  g_assert_true (g_file_set_contents (target, "keep", -1, NULL));
  g_assert_cmpint (symlink (target, link_path), ==, 0);
  assert_refused (fixture, link_path, "not an ordinary file");
  g_assert_cmpint (mkfifo (pipe, 0600), ==, 0);
  assert_refused (fixture, pipe, "not an ordinary file");
  assert_refused (fixture, "", "No file name");
}

static void
test_data_folder (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *folder = g_build_filename (g_get_user_data_dir (), "striae", NULL);
  g_autofree char *inside = g_build_filename (folder, "export.json", NULL);
  g_autofree char *deeper = g_build_filename (folder, "sheets", "a.pdf", NULL);
  g_autofree char *beside = g_build_filename (g_get_user_data_dir (), "striae-export.json",
                                              NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  assert_refused (fixture, inside, "inside Striae’s own data folder");
  assert_refused (fixture, deeper, "inside Striae’s own data folder");

  g_assert_false (striae_store_check_output_folder (fixture->store, folder, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* A neighbour whose name only begins like the folder is fine. */
  g_assert_true (striae_store_check_output (fixture->store, beside, &error));
  g_assert_no_error (error);
}

static void
test_allowed (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *fresh = g_build_filename (fixture->dir, "sheet.pdf", NULL);
  g_autofree char *existing = g_build_filename (fixture->dir, "old.pdf", NULL);
  g_autofree char *folder = g_build_filename (fixture->dir, "day", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (striae_store_check_output (fixture->store, fresh, &error));
  g_assert_no_error (error);
  /* Replacing an ordinary file of one's own is what "save as" does. */
  g_assert_true (g_file_set_contents (existing, "old", -1, NULL));
  g_assert_true (striae_store_check_output (fixture->store, existing, &error));
  g_assert_no_error (error);
  g_assert_true (striae_store_check_output_folder (fixture->store, folder, &error));
  g_assert_no_error (error);
  g_assert_true (striae_store_check_output_folder (fixture->store, fixture->dir, &error));
  g_assert_no_error (error);

  g_assert_false (striae_store_check_output_folder (fixture->store, existing, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID);
}

/* A backup onto the database is refused and leaves it byte for byte as it was; a backup is
 * 0600 whatever the umask. */
static void
test_backup (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autofree char *copy = g_build_filename (fixture->dir, "backup.db", NULL);
  g_autoptr(GError) error = NULL;
  GStatBuf st;
  mode_t old_umask;

  g_assert_true (striae_store_backup (fixture->store, copy, NULL, &error));
  g_assert_no_error (error);
  before = read_file (fixture->database);
  g_assert_false (striae_store_backup (fixture->store, fixture->database, NULL, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID);
  after = read_file (fixture->database);
  g_assert_true (g_bytes_equal (before, after));

  g_clear_error (&error);
  g_unlink (copy);
  old_umask = umask (0);
  g_assert_true (striae_store_backup (fixture->store, copy, NULL, &error));
  umask (old_umask);
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (copy, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

/* A database found readable by others is narrowed to 0600 on open, with a notice; one that
 * is private already gets no notice. */
static void
test_narrow_mode (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("striae-output-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "wide.db", NULL);
  g_autoptr(StriaeStore) store = NULL;
  GStatBuf st;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, "", 0, NULL));
  g_assert_cmpint (g_chmod (path, 0666), ==, 0);

  store = striae_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_nonnull (striae_store_get_notice (store));
  g_assert_nonnull (strstr (striae_store_get_notice (store), "mode 666"));
  g_clear_object (&store);

  store = striae_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_null (striae_store_get_notice (store));
  g_clear_object (&store);

  striae_test_remove_tree (dir);
}

/* A database on a read-only disk: opening it to change it says so in one sentence; opening
 * it to read works (SQLite cannot make its -shm file there). A read-only tmpfs stands for the
 * write-protected stick; mounting one needs root, which CI has. */
static void
test_read_only_disk (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("striae-output-ro-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "clinic.db", NULL);
  g_autoptr(StriaeStore) store = NULL;
  g_autoptr(StriaePatient) patient = striae_patient_new ();
  g_assert_no_error (error);
  if (geteuid () != 0 || mount ("striae-test", dir, "tmpfs", 0, "size=8m") != 0)
    {
      if (g_strcmp0 (g_getenv ("CI"), "true") == 0)
        g_error ("CI runs as root and must be able to mount a tmpfs for this test");
      g_test_skip ("mounting a read-only disk needs root");
      g_rmdir (dir);
      return;
    }

  store = striae_store_open (path, &error);
  g_assert_no_error (error);
  striae_patient_set_given_name (patient, "Ines");
  striae_patient_set_family_name (patient, "Read");
  striae_patient_set_birth_date (patient, striae_test_date ("1990-01-01"));
  g_assert_true (striae_store_add_patient (store, patient, &error));
  g_clear_object (&store);
  g_assert_cmpint (mount (NULL, dir, NULL, MS_REMOUNT | MS_RDONLY, NULL), ==, 0);

  store = striae_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_READ_ONLY);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "read-only disk"));
  g_clear_error (&error);

  store = striae_store_open_full (path, STRIAE_STORE_OPEN_FLAGS_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_cmpint (striae_store_count_patients (store, &error), ==, 1);
  g_clear_object (&store);

  g_assert_cmpint (umount (dir), ==, 0);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = g_dir_make_tmp ("striae-output-data-XXXXXX", NULL);
  int status;

  /* Before anything asks GLib for it: g_get_user_data_dir() keeps the first answer. */
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/output/database-files", test_database_files);
  ADD ("/output/not-regular", test_not_regular);
  ADD ("/output/data-folder", test_data_folder);
  ADD ("/output/allowed", test_allowed);
  ADD ("/output/backup", test_backup);
#undef ADD
  g_test_add_func ("/output/narrow-mode", test_narrow_mode);
  g_test_add_func ("/output/read-only-disk", test_read_only_disk);

  status = g_test_run ();
  striae_test_remove_tree (data_home);
  return status;
}
