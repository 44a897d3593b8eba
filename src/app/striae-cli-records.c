/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <unistd.h>

#include "striae-cli.h"
#include "striae-cli-accounts.h"
#include "striae-cli-records.h"
#include "striae-cli-secret.h"
#include "striae-sealed.h"
#include "striae-store.h"

static const GOptionEntry record_entries[] = {
  { "export-patient", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
    N_("Write the whole record of patient ID, encrypted with a passphrase, to the file given "
       "with --output"),
    N_("ID") },
  { "import-patient", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME_ARRAY, NULL,
    N_("Add the patient of an exported record as a new patient and print their id; a record "
       "imported before is not added again. Give it several times, or a folder, to import "
       "many records"),
    N_("FILE|FOLDER") },
  { "backup", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, NULL,
    N_("Copy the whole patient database to FILE, encrypted with a passphrase"), N_("FILE") },
  { "restore", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, NULL,
    N_("Replace the patient database (or the one of --database) with the backup FILE; asks "
       "for the backup’s passphrase when it is encrypted"), N_("FILE") },
  { "plain", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
    N_("With --backup or --export-patient: write a plain file that anyone who finds it can "
       "read, not an encrypted one"), NULL },
  { "verify-audit", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
    N_("Check that the audit log was not changed outside Striae"), NULL },
  { "erase-patient", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
    N_("Erase patient ID and everything about them from the database, for good"), N_("ID") },
  { "yes", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
    N_("With --erase-patient or --restore: do not ask for confirmation (for scripts)"), NULL },
  { NULL }
};

void
striae_cli_records_add_options (GApplication *app)
{
  g_return_if_fail (G_IS_APPLICATION (app));

  g_application_add_main_option_entries (app, record_entries);
}

/**
 * striae_cli_open_existing_store:
 * @database: (nullable): the path given with --database; %NULL for the default one
 *
 * Opens the database a command works on, and signs in the account of --user
 * (striae_cli_sign_in()). Commands need one that exists: a missing one is refused rather than
 * created empty.
 */
StriaeStore *
striae_cli_open_existing_store (const char    *database,
                                GVariantDict  *options,
                                GError       **error)
{
  g_autoptr(StriaeStore) store = striae_cli_open_existing_unsigned (database, error);

  if (store != NULL && !striae_cli_sign_in (store, options, error))
    return NULL;
  return g_steal_pointer (&store);
}

/**
 * striae_cli_open_existing_unsigned:
 *
 * striae_cli_open_existing_store() without signing in: the caller signs in
 * (striae_cli_sign_in_start()) before anything is read.
 */
StriaeStore *
striae_cli_open_existing_unsigned (const char  *database,
                                   GError     **error)
{
  g_autofree char *path = database ? g_strdup (database) : striae_store_default_path ();
  g_autoptr(StriaeStore) store = NULL;

  if (striae_store_is_server_location (path))
    {
      /* A server's records exist once set up: looked at without writing first, so that a
       * command never makes them in an empty database. Records that only need upgrading are
       * upgraded below, as a file's are. */
      g_autoptr(StriaeStore) probe = NULL;
      g_autoptr(GError) local_error = NULL;

      probe = striae_store_open_full (path, STRIAE_STORE_OPEN_FLAGS_READ_ONLY, &local_error);
      if (probe == NULL &&
          !g_error_matches (local_error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_READ_ONLY))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }
  else if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND,
                   _("There is no patient database at %s."), path);
      return NULL;
    }

  /* The file's check runs beside the command's reads; its writes, and what it sends out
   * (striae_sheet_delivery_export()), wait for the verdict. A file Striae closed cleanly
   * after a check within the last day, untouched since, is not read through again: a
   * command run several times a day does not pay for the whole file each time. */
  store = striae_store_open_full (path, STRIAE_STORE_OPEN_FLAGS_CHECK_IN_BACKGROUND |
                                        STRIAE_STORE_OPEN_FLAGS_TRUST_CLEAN_CLOSE, error);
  if (store != NULL && striae_store_get_notice (store) != NULL)
    g_printerr (_("striae: %s\n"), striae_store_get_notice (store));
  return g_steal_pointer (&store);
}

/* The passphrase a copy is sealed with (striae_cli_read_secret()); none with --plain. */
static gboolean
read_new_passphrase (GVariantDict   *options,
                     StriaeSecret  **passphrase,
                     GError        **error)
{
  gboolean differ = FALSE;

  *passphrase = NULL;
  if (g_variant_dict_contains (options, "plain"))
    return TRUE;

  *passphrase = striae_cli_read_secret (_("Passphrase for the encrypted copy: "),
                                        _("The same passphrase again: "), &differ);
  if (*passphrase == NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           differ ? _("The two passphrases differ. Nothing was written.")
                                  : _("The copy is encrypted with a passphrase, and none was "
                                      "given; --plain writes a plain copy. Nothing was "
                                      "written."));
      return FALSE;
    }
  return striae_sealed_check_passphrase (*passphrase, error);
}

static int
run_export (StriaeStore  *store,
            GVariantDict *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StriaeSecret) passphrase = NULL;
  g_autoptr(StriaePatient) patient = NULL;
  const char *output = NULL;
  gint64 id = 0;

  if (!striae_cli_lookup_id (options, "export-patient", &id, &error))
    return striae_cli_print_error (error);
  if (!g_variant_dict_lookup (options, "output", "^&ay", &output) || output[0] == '\0')
    {
      g_set_error_literal (&error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("--export-patient needs --output FILE, the file to write."));
      return striae_cli_print_error (error);
    }

  /* Whom and where are checked before the passphrase is asked for. */
  if ((patient = striae_store_get_patient (store, id, &error)) == NULL ||
      !striae_store_check_output (store, output, &error) ||
      !read_new_passphrase (options, &passphrase, &error) ||
      !striae_store_export_patient_to_file (store, id, STRIAE_EXPORT_FLAGS_WITH_AUDIT, output,
                                            passphrase, &error))
    return striae_cli_print_error (error);

  return EXIT_SUCCESS;
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

/* The records an --import-patient names: each file as given, and a folder's *.json and
 * *.sealed files in the order of their names. */
static gboolean
collect_import_files (const char * const  *inputs,
                      GPtrArray           *files,
                      GError             **error)
{
  for (gsize i = 0; inputs[i] != NULL; i++)
    {
      g_autoptr(GDir) dir = NULL;
      g_autoptr(GPtrArray) found = NULL;
      const char *name;

      if (!g_file_test (inputs[i], G_FILE_TEST_IS_DIR))
        {
          g_ptr_array_add (files, g_strdup (inputs[i]));
          continue;
        }

      dir = g_dir_open (inputs[i], 0, error);
      if (dir == NULL)
        return FALSE;
      found = g_ptr_array_new_with_free_func (g_free);
      while ((name = g_dir_read_name (dir)) != NULL)
        if (g_str_has_suffix (name, ".json") || g_str_has_suffix (name, ".sealed"))
          g_ptr_array_add (found, g_build_filename (inputs[i], name, NULL));
      g_ptr_array_sort (found, compare_paths);
      g_ptr_array_extend_and_steal (files, g_steal_pointer (&found));
    }

  if (files->len == 0)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("--import-patient found no record to import (a folder’s records "
                             "are its .json and .sealed files)."));
      return FALSE;
    }
  return TRUE;
}

/* The plain JSON of a record file: an encrypted one is opened with the passphrase, asked
 * the first time one is met and kept for the others of the same import. */
static GBytes *
read_record (const char     *file,
             StriaeSecret  **passphrase,
             GError        **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize length = 0;

  if (!g_file_get_contents (file, &contents, &length, error))
    return NULL;
  bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
  if (!striae_sealed_has_header (g_bytes_get_data (bytes, NULL), length))
    return g_steal_pointer (&bytes);

  if (*passphrase == NULL &&
      (*passphrase = striae_cli_ask_secret (_("Passphrase of the encrypted records: "))) == NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("The record is encrypted, and no passphrase was given. Nothing "
                             "was imported."));
      return NULL;
    }
  return striae_sealed_open_bytes (bytes, *passphrase, error);
}

/* Records are read and checked in a worker thread a few files ahead of the one the records
 * take (striae_import_record_read() needs no store), so that the checking of the next
 * record runs while the records write the one before, on a clinic server while the server
 * works. A file's bytes are read (and a sealed one opened, which may ask for the passphrase)
 * here, in order, as it joins the queue. */
#define READ_AHEAD 4

typedef struct
{
  GBytes              *json;
  StriaeImportRecord  *record;
  GError              *error;
  gboolean             done;
} ReadJob;

typedef struct
{
  GMutex       lock;
  GCond        done;
  GThreadPool *pool;
  ReadJob     *jobs;
  guint        n_queued;
} Reader;

static void
read_job_run (gpointer data,
              gpointer user_data)
{
  ReadJob *job = data;
  Reader *reader = user_data;
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  const char *json = g_bytes_get_data (job->json, &length);
  StriaeImportRecord *record = striae_import_record_read (json, length, &error);

  g_mutex_lock (&reader->lock);
  job->record = record;
  job->error = g_steal_pointer (&error);
  job->done = TRUE;
  g_cond_broadcast (&reader->done);
  g_mutex_unlock (&reader->lock);
}

/* Queues the files up to @last (an index of @files) that are not queued yet. */
static void
reader_queue_to (Reader         *reader,
                 GPtrArray      *files,
                 guint           last,
                 StriaeSecret  **passphrase)
{
  for (; reader->n_queued <= last && reader->n_queued < files->len; reader->n_queued++)
    {
      ReadJob *job = &reader->jobs[reader->n_queued];
      g_autoptr(GError) error = NULL;

      job->json = read_record (g_ptr_array_index (files, reader->n_queued), passphrase,
                               &error);
      if (job->json == NULL)
        {
          job->error = g_steal_pointer (&error);
          job->done = TRUE;
        }
      else
        g_thread_pool_push (reader->pool, job, NULL);
    }
}

/* Waits for job @i, whose record (or error) is then the caller's. */
static ReadJob *
reader_wait (Reader *reader,
             guint   i)
{
  ReadJob *job = &reader->jobs[i];

  g_mutex_lock (&reader->lock);
  while (!job->done)
    g_cond_wait (&reader->done, &reader->lock);
  g_mutex_unlock (&reader->lock);
  g_clear_pointer (&job->json, g_bytes_unref);
  return job;
}

/* Imports one record read: its id (0 after printing why not) and whether it was here
 * before. */
static gint64
import_file (StriaeStore  *store,
             const char   *file,
             ReadJob      *job,
             gboolean     *already)
{
  g_autoptr(GError) error = g_steal_pointer (&job->error);
  g_autoptr(StriaeImportRecord) record = g_steal_pointer (&job->record);
  g_autofree char *name = g_filename_display_name (file);
  gint64 id = 0;

  if (record != NULL)
    id = striae_store_import_record (store, record, already, &error);
  if (id <= 0)
    {
      /* TRANSLATORS: the first %s is the file, the second why it was not imported */
      g_printerr (_("striae: %s: %s\n"), name, error->message);
      return 0;
    }

  /* A retry of an import that was interrupted after it was committed: a success, which
   * prints the same id, so that a script can simply run the command again. */
  if (*already)
    /* TRANSLATORS: %s is the file, %" PRId64 " the patient's number */
    g_printerr (_("striae: %s was already imported as patient %" PRId64 "; nothing was "
                  "changed.\n"), name, id);
  return id;
}

/* One process for many records, each in a transaction of its own: a record refused is named
 * and the others go in. One record prints its id alone, as scripts expect; several print
 * "ID<tab>FILE" a line, and a count at the end. */
static int
run_import (StriaeStore  *store,
            GVariantDict *options)
{
  g_autoptr(GError) error = NULL;
  g_autofree const char **inputs = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) ids = g_string_new (NULL);
  g_autoptr(StriaeSecret) passphrase = NULL;
  Reader reader = { 0, };
  guint added = 0, already_there = 0, refused = 0;

  g_variant_dict_lookup (options, "import-patient", "^a&ay", &inputs);
  if (!collect_import_files (inputs, files, &error))
    return striae_cli_print_error (error);

  /* Each record in a transaction of its own, made durable together at the end, before the
   * count is printed: a crash of the computer part way loses none that was said to be in,
   * and running the command again adds the rest (a record is never added twice). */
  if (files->len > 1 && !striae_store_begin_bulk (store, &error))
    return striae_cli_print_error (error);

  g_mutex_init (&reader.lock);
  g_cond_init (&reader.done);
  reader.jobs = g_new0 (ReadJob, files->len);
  reader.pool = g_thread_pool_new (read_job_run, &reader, 1, FALSE, NULL);
  for (guint i = 0; i < files->len; i++)
    {
      const char *file = g_ptr_array_index (files, i);
      gboolean already = FALSE;
      gint64 id;

      reader_queue_to (&reader, files, i + READ_AHEAD, &passphrase);
      id = import_file (store, file, reader_wait (&reader, i), &already);
      if (id == 0)
        {
          refused++;
          continue;
        }
      if (already)
        already_there++;
      else
        added++;
      if (files->len == 1)
        g_string_append_printf (ids, "%" G_GINT64_FORMAT "\n", id);
      else
        g_string_append_printf (ids, "%" G_GINT64_FORMAT "\t%s\n", id, file);
    }
  g_thread_pool_free (reader.pool, FALSE, TRUE);
  g_free (reader.jobs);
  g_cond_clear (&reader.done);
  g_mutex_clear (&reader.lock);

  /* The ids only once they are on the disk. */
  if (files->len > 1 && !striae_store_end_bulk (store, &error))
    return striae_cli_print_error (error);
  g_print ("%s", ids->str);
  if (files->len > 1)
    /* TRANSLATORS: a summary after importing several records; the three numbers are counts */
    g_printerr (_("striae: %u records imported, %u were already here, %u refused.\n"), added,
                already_there, refused);
  return refused == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

static int
run_backup (StriaeStore  *store,
            GVariantDict *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StriaeSecret) passphrase = NULL;
  const char *path = NULL;

  g_variant_dict_lookup (options, "backup", "^&ay", &path);
  /* A server's records refuse with their own sentence, before any passphrase is asked. */
  if (striae_store_is_server_location (striae_store_get_path (store)))
    {
      if (!striae_store_backup (store, path, NULL, &error))
        return striae_cli_print_error (error);
      return EXIT_SUCCESS;
    }
  if (!striae_store_check_output (store, path, &error) ||
      !read_new_passphrase (options, &passphrase, &error) ||
      !striae_store_backup (store, path, passphrase, &error))
    return striae_cli_print_error (error);

  return EXIT_SUCCESS;
}

/* One sentence per kind of damage found, each an error line; exit 1 when any. */
static int
run_verify_audit (StriaeStore  *store,
                  GVariantDict *options)
{
  g_autoptr(StriaeAuditReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) audit_error = NULL;
  gint64 n;

  report = striae_store_check_audit (store, &error);
  /* The account signed in for the check (striae_cli_sign_in()) is audited after it, so that
   * the log is checked as it was found, not with a row of the check appended. */
  if (striae_store_is_signed_in (store) && !striae_store_audit_sign_in (store, &audit_error))
    g_printerr (_("striae: %s\n"), audit_error->message);
  if (report == NULL)
    return striae_cli_print_error (error);

  if (!striae_audit_report_is_intact (report))
    {
      for (guint i = 0; i < STRIAE_AUDIT_N_DAMAGES; i++)
        {
          g_autofree char *sentence = striae_audit_report_describe (report, i);

          if (sentence != NULL)
            g_printerr (_("striae: %s\n"), sentence);
        }
      return EXIT_FAILURE;
    }

  n = striae_audit_report_get_n_entries (report);
  g_print (g_dngettext (GETTEXT_PACKAGE, "Audit log intact: %" PRId64 " entry\n",
                        "Audit log intact: %" PRId64 " entries\n", n), (int64_t) n);
  return EXIT_SUCCESS;
}

/* Erasing cannot be undone: on a terminal the family name must be typed back; elsewhere
 * --yes says that a script means it. */
static gboolean
confirm_erasure (StriaePatient  *patient,
                 GVariantDict   *options,
                 GError        **error)
{
  g_autofree char *name = striae_patient_dup_full_name (patient);
  char line[512];

  if (g_variant_dict_contains (options, "yes"))
    return TRUE;
  if (!isatty (STDIN_FILENO))
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("--erase-patient asks for confirmation on a terminal; add --yes to "
                             "erase from a script. Nothing was erased."));
      return FALSE;
    }

  /* A question, not an error: straight to the terminal, without the "striae: " of errors.
   * TRANSLATORS: %s is the patient's full name, then the family name to type */
  fprintf (stderr, _("Erase %s and everything Striae holds about them? This cannot be undone.\n"
                     "Type the family name (%s) to confirm: "),
           name, striae_patient_get_family_name (patient));
  fflush (stderr);
  if (fgets (line, sizeof line, stdin) != NULL &&
      g_strcmp0 (g_strstrip (line), striae_patient_get_family_name (patient)) == 0)
    return TRUE;

  g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                       _("The family name was not typed as it is. Nothing was erased."));
  return FALSE;
}

static int
run_erase (StriaeStore  *store,
           GVariantDict *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StriaePatient) patient = NULL;
  g_autofree char *copies = NULL;
  gint64 id = 0;

  if (!striae_cli_lookup_id (options, "erase-patient", &id, &error))
    return striae_cli_print_error (error);
  patient = striae_store_get_patient (store, id, &error);
  if (patient == NULL || !confirm_erasure (patient, options, &error))
    return striae_cli_print_error (error);

  /* Before the erasure, which unlinks the audit log from the patient. */
  copies = striae_store_describe_patient_copies (store, id, &error);
  if (error != NULL || !striae_store_erase_patient (store, id, &error))
    return striae_cli_print_error (error);

  g_print (_("Patient %" PRId64 " was erased.\n"), (int64_t) id);
  if (copies != NULL)
    g_print ("%s\n", copies);
  return EXIT_SUCCESS;
}

/* Going back to a backup loses what was written since: on a terminal a word must be typed;
 * elsewhere --yes says that a script means it. */
static gboolean
confirm_restore (const char    *location,
                 GVariantDict  *options,
                 GError       **error)
{
  /* TRANSLATORS: the word typed to confirm replacing the records with a backup */
  const char *word = _("replace");
  char line[512];

  if (g_variant_dict_contains (options, "yes"))
    return TRUE;
  if (!isatty (STDIN_FILENO))
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("--restore asks for confirmation on a terminal; add --yes to "
                             "restore from a script. Nothing was changed."));
      return FALSE;
    }

  /* TRANSLATORS: %s is the database's file, then the word to type */
  fprintf (stderr, _("Replace the records in %s with the backup? Everything written since the "
                     "backup was made is lost.\nType “%s” to confirm: "), location, word);
  fflush (stderr);
  if (fgets (line, sizeof line, stdin) != NULL && g_strcmp0 (g_strstrip (line), word) == 0)
    return TRUE;

  g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                       _("The word was not typed as it is. Nothing was changed."));
  return FALSE;
}

/* Records with accounts are replaced by an administrator alone; records without any (or
 * none yet) by whoever may write the file, as before accounts. The administrator's password
 * is checked without a "sign-in" row (striae_cli_check_account()): a refused restore leaves
 * the records as they were, and a restore replaces them with the backup's anyway. */
static gboolean
check_may_restore (const char    *location,
                   GVariantDict  *options,
                   GError       **error)
{
  g_autoptr(StriaeStore) store = NULL;

  if (striae_store_is_server_location (location) ||
      !g_file_test (location, G_FILE_TEST_EXISTS))
    return TRUE;

  if ((store = striae_store_open (location, error)) == NULL)
    return FALSE;
  if (!striae_store_has_accounts (store))
    return TRUE;
  return striae_cli_check_account (store, options, STRIAE_RIGHT_TRANSFER, error);
}

/* Replaces the records at @database (created when missing) with a backup; an encrypted one
 * is opened with its passphrase, read after the confirmation. */
static int
run_restore (const char   *database,
             GVariantDict *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StriaeSecret) passphrase = NULL;
  g_autofree char *location = database ? g_strdup (database) : striae_store_default_path ();
  const char *path = NULL;
  gboolean sealed = FALSE;

  g_variant_dict_lookup (options, "restore", "^&ay", &path);
  if (!check_may_restore (location, options, &error) ||
      !striae_sealed_file_is_sealed (path, &sealed, &error) ||
      (g_file_test (location, G_FILE_TEST_EXISTS) &&
       !confirm_restore (location, options, &error)))
    return striae_cli_print_error (error);

  if (sealed &&
      (passphrase = striae_cli_ask_secret (_("Passphrase of the backup: "))) == NULL)
    {
      g_set_error_literal (&error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("The backup is encrypted, and no passphrase was given. Nothing "
                             "was changed."));
      return striae_cli_print_error (error);
    }

  if (!striae_store_restore (path, location, passphrase, &error))
    return striae_cli_print_error (error);

  /* TRANSLATORS: the first %s is the database's file, the second the backup */
  g_print (_("The records in %s are now those of the backup %s.\n"), location, path);
  return EXIT_SUCCESS;
}

/**
 * striae_cli_records_handle:
 * @database: (nullable): the database given on the command line
 * @exit_status: (out): the exit status when a command ran
 *
 * Runs the record-keeping command present in @options, if any.
 *
 * Returns: %TRUE when one was present (and has run)
 */
gboolean
striae_cli_records_handle (const char   *database,
                           GVariantDict *options,
                           int          *exit_status)
{
  static const StriaeCliCommand commands[] = {
    { "export-patient", run_export },
    { "import-patient", run_import },
    { "backup", run_backup },
    { "verify-audit", run_verify_audit },
    { "erase-patient", run_erase },
  };

  /* A restore may make the records it fills: it does not need them to exist. */
  if (g_variant_dict_contains (options, "restore"))
    {
      *exit_status = run_restore (database, options);
      return TRUE;
    }

  return striae_cli_run_command (commands, G_N_ELEMENTS (commands), database, options,
                                 exit_status);
}

/**
 * striae_cli_run_command:
 * @commands: the commands a part of the command line offers
 * @database: (nullable): the path given with --database; %NULL for the default one
 * @exit_status: (out): the exit status when a command ran
 *
 * Runs the first of @commands present in @options on the existing database.
 *
 * Returns: %TRUE when one was present (and has run)
 */
gboolean
striae_cli_run_command (const StriaeCliCommand *commands,
                        gsize                   n_commands,
                        const char             *database,
                        GVariantDict           *options,
                        int                    *exit_status)
{
  g_return_val_if_fail (commands != NULL, FALSE);
  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (exit_status != NULL, FALSE);

  for (gsize i = 0; i < n_commands; i++)
    if (g_variant_dict_contains (options, commands[i].option))
      {
        g_autoptr(StriaeStore) store = NULL;
        g_autoptr(GError) error = NULL;

        store = striae_cli_open_existing_store (database, options, &error);
        *exit_status = store ? commands[i].run (store, options) : striae_cli_print_error (error);
        return TRUE;
      }

  return FALSE;
}
