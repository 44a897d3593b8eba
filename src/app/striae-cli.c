/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "striae-cli.h"
#include "striae-print-job.h"
#include "striae-sheet-composer.h"

/* Tabs and line breaks inside a field would break the one-patient-a-line format that
 * scripts read, so they are printed as spaces. */
static void
append_field (GString    *line,
              const char *text)
{
  for (const char *p = text ? text : ""; *p; p++)
    g_string_append_c (line, (*p == '\t' || *p == '\n' || *p == '\r') ? ' ' : *p);
}

gboolean
striae_cli_list_patients (StriaeStore    *store,
                          const char     *search,
                          GOutputStream  *out,
                          GError        **error)
{
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GString) line = g_string_new (NULL);

  g_return_val_if_fail (STRIAE_IS_STORE (store), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* A limit of 0 asks the store for every match. */
  ids = striae_store_search_patients (store, search ? search : "", 0, error);
  if (ids == NULL)
    return FALSE;

  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      g_autoptr(StriaePatient) patient = NULL;
      g_autoptr(GError) local_error = NULL;

      patient = striae_store_get_patient (store, id, &local_error);
      if (patient == NULL)
        {
          /* Deleted between the search and now: nothing to print. */
          if (g_error_matches (local_error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND))
            continue;
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }

      g_string_truncate (line, 0);
      g_string_append_printf (line, "%" G_GINT64_FORMAT "\t", id);
      append_field (line, striae_patient_get_family_name (patient));
      g_string_append_c (line, '\t');
      append_field (line, striae_patient_get_given_name (patient));
      g_string_append_c (line, '\t');
      append_field (line, striae_patient_get_birth_date (patient));
      g_string_append_c (line, '\n');

      if (!g_output_stream_write_all (out, line->str, line->len, NULL, NULL, error))
        return FALSE;
    }

  return g_output_stream_flush (out, NULL, error);
}

/**
 * striae_cli_deliver_sheet:
 * @patient: the patient
 * @consultation: the consultation
 * @sheet: "pre", "aftercare" or "consent"
 * @language: (nullable): a language code, or %NULL for the patient's (see
 *   striae_sheet_load_for_patient())
 * @output: (nullable): a PDF file to write
 * @printer: (nullable): a printer to print on without a dialog; exactly one of @output and
 *   @printer is given
 * @settings: the application's settings, for the clinic
 * @warning: (out) (optional) (nullable) (transfer full): set when the clinic's template was
 *   refused and the shipped one is used
 *
 * Composes one sheet and writes it to a PDF (no display needed) or sends it to a printer
 * (GTK, and so a display, needed).
 *
 * Returns: %FALSE with @error set if the plan is blocked, the sheet or language does not
 *   exist, the file cannot be written or the printer cannot be used
 */
gboolean
striae_cli_deliver_sheet (StriaePatient       *patient,
                          StriaeConsultation  *consultation,
                          const char          *sheet,
                          const char          *language,
                          const char          *output,
                          const char          *printer,
                          GSettings           *settings,
                          char               **warning,
                          GError             **error)
{
  g_autoptr(StriaeClinicSettings) clinic = NULL;
  g_autoptr(StriaeSheet) composed = NULL;
  g_autofree char *name = NULL;
  g_autofree char *title = NULL;

  g_return_val_if_fail (STRIAE_IS_PATIENT (patient), FALSE);
  g_return_val_if_fail (STRIAE_IS_CONSULTATION (consultation), FALSE);
  g_return_val_if_fail (G_IS_SETTINGS (settings), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if ((output == NULL) == (printer == NULL))
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("Give either --output FILE.pdf or --printer NAME with --sheet."));
      return FALSE;
    }

  clinic = striae_clinic_settings_new_from_gsettings (settings);
  composed = striae_sheet_compose (sheet, language, patient, consultation, NULL, clinic, NULL,
                                   NULL, warning, error);
  if (composed == NULL)
    return FALSE;

  if (output != NULL)
    return striae_sheet_export_pdf (composed, output, error);

  name = striae_patient_dup_full_name (patient);
  /* TRANSLATORS: the print job's title: the sheet's title and the patient's name */
  title = g_strdup_printf (_("%s — %s"), striae_sheet_get_title (composed), name);
  return striae_print_job_print_sheets (&composed, 1, printer, title, error);
}
