/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "striae-cli.h"
#include "striae-cli-records.h"
#include "striae-cli-rules.h"
#include "striae-rules.h"
#include "striae-store.h"

/* A rules file is a few kilobytes; anything much larger is not one. */
#define MAX_RULES_FILE (256 * 1024)

static const GOptionEntry rules_entries[] = {
  { "rules-export", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, NULL,
    N_("Write the clinic’s rule settings (every level, delay, depth and course default) as "
       "JSON to FILE"), N_("FILE") },
  { "rules-import", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, NULL,
    N_("Replace the clinic’s rule settings with those of FILE, checked first: all or nothing, "
       "each change audited"), N_("FILE") },
  { NULL }
};

void
striae_cli_rules_add_options (GApplication *app)
{
  g_return_if_fail (G_IS_APPLICATION (app));

  g_application_add_main_option_entries (app, rules_entries);
}

static int
run_export (StriaeStore  *store,
            GVariantDict *options)
{
  g_autoptr(StriaeRules) rules = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  const char *path = NULL;

  g_variant_dict_lookup (options, "rules-export", "^&ay", &path);
  if (!striae_store_check_output (store, path, &error))
    return striae_cli_print_error (error);
  if ((rules = striae_store_load_rules (store, &error)) == NULL)
    return striae_cli_print_error (error);

  json = striae_rules_to_json (rules);
  /* Like every export, readable by its owner only (README.md). */
  if (!g_file_set_contents_full (path, json, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    return striae_cli_print_error (error);

  return EXIT_SUCCESS;
}

static int
run_import (StriaeStore  *store,
            GVariantDict *options)
{
  g_autoptr(StriaeRules) before = NULL;
  g_autoptr(StriaeRules) rules = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *name = NULL;
  g_auto(GStrv) changes = NULL;
  const char *path = NULL;
  gsize length = 0;
  guint n;

  g_variant_dict_lookup (options, "rules-import", "^&ay", &path);
  name = g_filename_display_name (path);
  if (!g_file_get_contents (path, &json, &length, &error))
    {
      g_autoptr(GError) read_error = g_steal_pointer (&error);
      const char *reason = g_error_matches (read_error, G_FILE_ERROR, G_FILE_ERROR_NOENT)
        ? _("there is no such file") : read_error->message;

      /* TRANSLATORS: %s is the file, then why it could not be read */
      g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("%s could not be read (%s); nothing was imported."), name, reason);
      return striae_cli_print_error (error);
    }
  if (length > MAX_RULES_FILE)
    {
      g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("%s is too large to be a rules file; nothing was imported."), name);
      return striae_cli_print_error (error);
    }

  if ((rules = striae_rules_new_from_import (json, length, &error)) == NULL ||
      (before = striae_store_load_rules (store, &error)) == NULL)
    return striae_cli_print_error (error);

  changes = striae_rules_dup_differences (rules, before);
  if (!striae_store_save_rules (store, rules, NULL, &error))
    return striae_cli_print_error (error);

  n = g_strv_length (changes);
  if (n == 0)
    g_print (_("The rules of %s are the clinic’s rules already; nothing was changed.\n"), name);
  else
    /* TRANSLATORS: %u is a number of settings, %s the file */
    g_print (g_dngettext (GETTEXT_PACKAGE, "Imported the rules of %2$s: %1$u setting changed.\n",
                          "Imported the rules of %2$s: %1$u settings changed.\n", n),
             n, name);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *old = striae_rules_dup_value_text (before, changes[i]);
      g_autofree char *new = striae_rules_dup_value_text (rules, changes[i]);

      g_print ("  %s: %s → %s\n", changes[i], old, new);
    }

  return EXIT_SUCCESS;
}

/**
 * striae_cli_rules_handle:
 * @database: (nullable): the database given on the command line
 * @exit_status: (out): the exit status when a command ran
 *
 * Runs the rules command present in @options, if any.
 *
 * Returns: %TRUE when one was present (and has run)
 */
gboolean
striae_cli_rules_handle (const char   *database,
                         GVariantDict *options,
                         int          *exit_status)
{
  static const StriaeCliCommand commands[] = {
    { "rules-export", run_export },
    { "rules-import", run_import },
  };

  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (exit_status != NULL, FALSE);

  if (g_variant_dict_contains (options, "rules-export") &&
      g_variant_dict_contains (options, "rules-import"))
    {
      g_autoptr(GError) error = NULL;

      g_set_error_literal (&error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("Give either --rules-export or --rules-import, not both."));
      *exit_status = striae_cli_print_error (error);
      return TRUE;
    }

  return striae_cli_run_command (commands, G_N_ELEMENTS (commands), database, options,
                                 exit_status);
}
