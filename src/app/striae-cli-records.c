/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <unistd.h>

#include "striae-cli.h"
#include "striae-cli-records.h"
#include "striae-store.h"

static const GOptionEntry record_entries[] = {
  { "export-patient", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
    N_("Write the whole record of patient ID as JSON to the file given with --output"),
    N_("ID") },
  { "import-patient", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, NULL,
    N_("Add the patient of an exported record as a new patient and print their id; a record "
       "imported before is not added again"),
    N_("FILE") },
  { "backup", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, NULL,
    N_("Copy the whole patient database to FILE"), N_("FILE") },
  { "verify-audit", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
    N_("Check that the audit log was not changed outside Striae"), NULL },
  { "erase-patient", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
    N_("Erase patient ID and everything about them from the database, for good"), N_("ID") },
  { "yes", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
    N_("With --erase-patient: do not ask for confirmation (for scripts)"), NULL },
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
 * Opens the database a command works on. Commands need one that exists: a missing one is
 * refused rather than created empty.
 */
StriaeStore *
striae_cli_open_existing_store (const char  *database,
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

  store = striae_store_open (path, error);
  if (store != NULL && striae_store_get_notice (store) != NULL)
    g_printerr (_("striae: %s\n"), striae_store_get_notice (store));
  return g_steal_pointer (&store);
}

static int
run_export (StriaeStore  *store,
            GVariantDict *options)
{
  g_autoptr(GError) error = NULL;
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

  if (!striae_store_export_patient_to_file (store, id, STRIAE_EXPORT_FLAGS_WITH_AUDIT, output,
                                            &error))
    return striae_cli_print_error (error);

  return EXIT_SUCCESS;
}

static int
run_import (StriaeStore  *store,
            GVariantDict *options)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *name = NULL;
  const char *input = NULL;
  gboolean already = FALSE;
  gsize length = 0;
  gint64 id;

  g_variant_dict_lookup (options, "import-patient", "^&ay", &input);
  if (!g_file_get_contents (input, &json, &length, &error))
    return striae_cli_print_error (error);

  id = striae_store_import_patient (store, json, length, &already, &error);
  if (id == 0)
    return striae_cli_print_error (error);

  /* A retry of an import that was interrupted after it was committed: a success, which
   * prints the same id, so that a script can simply run the command again. */
  if (already)
    {
      name = g_filename_display_name (input);
      /* TRANSLATORS: %s is the file, %" PRId64 " the patient's number */
      g_printerr (_("striae: %s was already imported as patient %" PRId64 "; nothing was "
                    "changed.\n"), name, id);
    }

  g_print ("%" G_GINT64_FORMAT "\n", id);
  return EXIT_SUCCESS;
}

static int
run_backup (StriaeStore  *store,
            GVariantDict *options)
{
  g_autoptr(GError) error = NULL;
  const char *path = NULL;

  g_variant_dict_lookup (options, "backup", "^&ay", &path);
  if (!striae_store_backup (store, path, &error))
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
  gint64 n;

  report = striae_store_check_audit (store, &error);
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

        store = striae_cli_open_existing_store (database, &error);
        *exit_status = store ? commands[i].run (store, options) : striae_cli_print_error (error);
        return TRUE;
      }

  return FALSE;
}
