/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "striae-cli-records.h"
#include "striae-store.h"

static const GOptionEntry record_entries[] = {
  { "export-patient", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_INT64, NULL,
    N_("Write the whole record of patient ID as JSON to the file given with --output"),
    N_("ID") },
  { "import-patient", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, NULL,
    N_("Add the patient of an exported record as a new patient and print their id"),
    N_("FILE") },
  { "backup", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, NULL,
    N_("Copy the whole patient database to FILE"), N_("FILE") },
  { "verify-audit", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
    N_("Check that the audit log was not changed outside Striae"), NULL },
  { NULL }
};

void
striae_cli_records_add_options (GApplication *app)
{
  g_return_if_fail (G_IS_APPLICATION (app));

  g_application_add_main_option_entries (app, record_entries);
}

static int
fail (const GError *error)
{
  /* TRANSLATORS: how errors of the command line start; %s is the message */
  g_printerr (_("striae: %s\n"), error->message);
  return EXIT_FAILURE;
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

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND,
                   _("There is no patient database at %s."), path);
      return NULL;
    }

  return striae_store_open (path, error);
}

static int
run_export (StriaeStore  *store,
            GVariantDict *options)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  const char *output = NULL;
  gint64 id = 0;

  g_variant_dict_lookup (options, "export-patient", "x", &id);
  if (!g_variant_dict_lookup (options, "output", "^&ay", &output) || output[0] == '\0')
    {
      g_set_error_literal (&error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("--export-patient needs --output FILE, the file to write."));
      return fail (error);
    }

  json = striae_store_export_patient (store, id, STRIAE_EXPORT_FLAGS_WITH_AUDIT, &error);
  if (json == NULL)
    return fail (error);

  /* A patient's whole record: readable by its owner only. */
  if (!g_file_set_contents_full (output, json, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                 &error))
    return fail (error);

  return EXIT_SUCCESS;
}

static int
run_import (StriaeStore  *store,
            GVariantDict *options)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  const char *input = NULL;
  gsize length = 0;
  gint64 id;

  g_variant_dict_lookup (options, "import-patient", "^&ay", &input);
  if (!g_file_get_contents (input, &json, &length, &error))
    return fail (error);

  id = striae_store_import_patient (store, json, length, &error);
  if (id == 0)
    return fail (error);

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
    return fail (error);

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
    return fail (error);

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
  static const struct {
    const char *option;
    int       (*run) (StriaeStore *store, GVariantDict *options);
  } commands[] = {
    { "export-patient", run_export },
    { "import-patient", run_import },
    { "backup", run_backup },
    { "verify-audit", run_verify_audit },
  };

  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (exit_status != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_variant_dict_contains (options, commands[i].option))
      {
        g_autoptr(StriaeStore) store = NULL;
        g_autoptr(GError) error = NULL;

        store = striae_cli_open_existing_store (database, &error);
        *exit_status = store ? commands[i].run (store, options) : fail (error);
        return TRUE;
      }

  return FALSE;
}
