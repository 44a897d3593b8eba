/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gunixoutputstream.h>
#include <glib/gi18n.h>
#include <unistd.h>

#include "striae-cli.h"
#include "striae-cli-recalls.h"
#include "striae-cli-records.h"
#include "striae-date.h"

/* The longest look ahead: two years is beyond any maintenance interval (24 months at most,
 * STRIAE_PLAN_MAINTENANCE_MAX). */
#define WITHIN_MAX_DAYS 731
#define WITHIN_DEFAULT_DAYS 42

static const GOptionEntry recalls_entries[] = {
  { "recalls", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
    N_("Write the patients to call back as CSV (maintenance due, courses stopped, patients "
       "to see again), to standard output or to --output FILE"), NULL },
  { "within", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
    N_("With --recalls, how far ahead: days (30d) or weeks (6w); 6 weeks when not given"),
    N_("SPAN") },
  { "today", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
    N_("With --recalls, the day to count from (YYYY-MM-DD) instead of today"), N_("DATE") },
  { NULL }
};

void
striae_cli_recalls_add_options (GApplication *app)
{
  g_return_if_fail (G_IS_APPLICATION (app));

  g_application_add_main_option_entries (app, recalls_entries);
}

/**
 * striae_cli_parse_within:
 * @text: a number of days or weeks: "30d", "6w"
 * @days: (out): the days it means
 *
 * Returns: %FALSE with one sentence in @error when @text is not such a span
 */
gboolean
striae_cli_parse_within (const char  *text,
                         guint       *days,
                         GError     **error)
{
  guint64 n = 0;
  gsize len = text ? strlen (text) : 0;
  g_autofree char *digits = NULL;
  guint factor;

  g_return_val_if_fail (days != NULL, FALSE);

  if (len >= 2 && (text[len - 1] == 'd' || text[len - 1] == 'w'))
    {
      factor = text[len - 1] == 'w' ? 7 : 1;
      digits = g_strndup (text, len - 1);
      if (g_ascii_string_to_unsigned (digits, 10, 1, WITHIN_MAX_DAYS, &n, NULL) &&
          n * factor <= WITHIN_MAX_DAYS)
        {
          *days = (guint) (n * factor);
          return TRUE;
        }
    }

  /* TRANSLATORS: %s is what was given after --within; keep 30d and 6w as they are */
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               _("--within takes a number of days or weeks up to two years, such as 30d or "
                 "6w, not “%s”."), text ? text : "");
  return FALSE;
}

static gboolean
parse_today (GVariantDict  *options,
             GDate         *today,
             GError       **error)
{
  const char *text = NULL;

  if (!g_variant_dict_lookup (options, "today", "&s", &text))
    {
      g_date_set_time_t (today, time (NULL));
      return TRUE;
    }
  if (striae_parse_iso_date (text, today, NULL))
    return TRUE;

  /* TRANSLATORS: %s is what was given after --today */
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               _("--today takes a date as YYYY-MM-DD, not “%s”."), text);
  return FALSE;
}

/* The CSV holds names and phone numbers: the file is for the clinic's eyes only (0600), and
 * never replaces the records or anything in Striae's data folder. */
static gboolean
write_csv (StriaeStore  *store,
           const char   *output,
           const char   *csv,
           GError      **error)
{
  g_autoptr(GOutputStream) out = NULL;

  if (output == NULL)
    {
      out = g_unix_output_stream_new (STDOUT_FILENO, FALSE);
      return g_output_stream_write_all (out, csv, strlen (csv), NULL, NULL, error) &&
             g_output_stream_flush (out, NULL, error);
    }

  return striae_store_check_output (store, output, error) &&
         g_file_set_contents_full (output, csv, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                   error);
}

static gboolean
run_recalls (const char    *database,
             GVariantDict  *options,
             GError       **error)
{
  g_autoptr(StriaeStore) store = NULL;
  g_autoptr(GPtrArray) recalls = NULL;
  g_autofree char *csv = NULL;
  const char *within = NULL;
  const char *output = NULL;
  guint days = WITHIN_DEFAULT_DAYS;
  GDate today;

  /* Every value is checked before the records are opened. */
  if (g_variant_dict_lookup (options, "within", "&s", &within) &&
      !striae_cli_parse_within (within, &days, error))
    return FALSE;
  if (!parse_today (options, &today, error))
    return FALSE;
  if (g_variant_dict_lookup (options, "output", "^&ay", &output) && output[0] == '\0')
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("--output needs a file name."));
      return FALSE;
    }

  if ((store = striae_cli_open_existing_store (database, options, error)) == NULL ||
      (recalls = striae_store_list_recalls (store, days, &today, error)) == NULL)
    return FALSE;

  csv = striae_recalls_to_csv (recalls);
  return write_csv (store, output, csv, error);
}

/**
 * striae_cli_recalls_handle:
 * @database: (nullable): the database given on the command line
 * @exit_status: (out): the exit status when the command ran
 *
 * Returns: %TRUE when --recalls (or one of its options) was given, and has run
 */
gboolean
striae_cli_recalls_handle (const char   *database,
                           GVariantDict *options,
                           int          *exit_status)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (exit_status != NULL, FALSE);

  if (!g_variant_dict_contains (options, "recalls"))
    {
      const char *lone = g_variant_dict_contains (options, "within") ? "within"
                         : g_variant_dict_contains (options, "today") ? "today" : NULL;

      if (lone == NULL)
        return FALSE;
      /* TRANSLATORS: %s is an option such as --within */
      g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("--%s works together with --recalls."), lone);
      *exit_status = striae_cli_print_error (error);
      return TRUE;
    }

  if (!run_recalls (database, options, &error))
    {
      *exit_status = striae_cli_print_error (error);
      return TRUE;
    }

  *exit_status = EXIT_SUCCESS;
  return TRUE;
}
