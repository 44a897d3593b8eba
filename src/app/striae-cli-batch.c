/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gunixoutputstream.h>
#include <glib/gi18n.h>
#include <unistd.h>

#include "striae-cli.h"
#include "striae-cli-batch.h"
#include "striae-cli-records.h"
#include "striae-date.h"

static const GOptionEntry batch_entries[] = {
  { "find-batch", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
    N_("Print every patient and session that received product batch LOT, one a line: "
       "patient id, family name, given name, date of birth, session date, session record, "
       "consultation, product, lot"), N_("LOT") },
  { NULL }
};

void
striae_cli_batch_add_options (GApplication *app)
{
  g_return_if_fail (G_IS_APPLICATION (app));

  g_application_add_main_option_entries (app, batch_entries);
}

/* Tabs and line breaks inside a field would break the one-use-a-line format that scripts
 * read, so they are printed as spaces, as --list does. */
static void
append_field (GString    *line,
              const char *text)
{
  for (const char *p = text ? text : ""; *p; p++)
    g_string_append_c (line, (*p == '\t' || *p == '\n' || *p == '\r') ? ' ' : *p);
  g_string_append_c (line, '\t');
}

static gboolean
append_use (StriaeStore                *store,
            const StriaeStoreBatchUse  *use,
            GString                    *line,
            GError                    **error)
{
  g_autoptr(StriaePatient) patient = NULL;
  g_autofree char *birth_date = NULL;

  patient = striae_store_get_patient (store, use->patient_id, error);
  if (patient == NULL)
    return FALSE;

  birth_date = striae_format_optional_iso_date (striae_patient_get_birth_date (patient));
  g_string_append_printf (line, "%" G_GINT64_FORMAT "\t", use->patient_id);
  append_field (line, striae_patient_get_family_name (patient));
  append_field (line, striae_patient_get_given_name (patient));
  append_field (line, birth_date);
  append_field (line, use->date);
  g_string_append_printf (line, "%" G_GINT64_FORMAT "\t%" G_GINT64_FORMAT "\t",
                          use->session_id, use->consultation_id);
  append_field (line, use->product);
  append_field (line, use->lot);
  /* The last field ends the line, not another field. */
  line->str[line->len - 1] = '\n';

  return TRUE;
}

/**
 * striae_cli_find_batch:
 * @lot: the batch or lot number looked for
 *
 * Writes to @out one line for each session that received @lot (striae_store_find_batch()),
 * by session date.
 */
gboolean
striae_cli_find_batch (StriaeStore    *store,
                       const char     *lot,
                       GOutputStream  *out,
                       GError        **error)
{
  g_autoptr(GPtrArray) uses = NULL;
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_val_if_fail (STRIAE_IS_STORE (store), FALSE);
  g_return_val_if_fail (lot != NULL, FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);

  uses = striae_store_find_batch (store, lot, error);
  if (uses == NULL)
    return FALSE;

  for (guint i = 0; i < uses->len; i++)
    if (!append_use (store, g_ptr_array_index (uses, i), text, error))
      return FALSE;

  return g_output_stream_write_all (out, text->str, text->len, NULL, NULL, error) &&
         g_output_stream_flush (out, NULL, error);
}

/**
 * striae_cli_batch_handle:
 * @database: (nullable): the database given on the command line
 * @exit_status: (out): the exit status when the command ran
 *
 * Returns: %TRUE when --find-batch was given (and has run)
 */
gboolean
striae_cli_batch_handle (const char   *database,
                         GVariantDict *options,
                         int          *exit_status)
{
  g_autoptr(StriaeStore) store = NULL;
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  const char *lot = NULL;

  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (exit_status != NULL, FALSE);

  if (!g_variant_dict_lookup (options, "find-batch", "&s", &lot))
    return FALSE;

  out = g_unix_output_stream_new (STDOUT_FILENO, FALSE);
  if ((store = striae_cli_open_existing_store (database, options, &error)) == NULL ||
      !striae_cli_find_batch (store, lot, out, &error))
    {
      *exit_status = striae_cli_print_error (error);
      return TRUE;
    }

  *exit_status = EXIT_SUCCESS;
  return TRUE;
}
