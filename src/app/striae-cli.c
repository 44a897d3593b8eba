/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "striae-cli.h"
#include "striae-cli-accounts.h"
#include "striae-clinic-cache.h"
#include "striae-sheet-composer.h"
#include "striae-sheet-delivery.h"
#include "striae-sheet-error.h"

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
      g_autofree char *birth_date = NULL;

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
      birth_date = striae_format_optional_iso_date (striae_patient_get_birth_date (patient));
      append_field (line, birth_date);
      g_string_append_c (line, '\n');

      if (!g_output_stream_write_all (out, line->str, line->len, NULL, NULL, error))
        return FALSE;
    }

  return g_output_stream_flush (out, NULL, error);
}

/**
 * striae_cli_print_error:
 *
 * Prints @error as the command line's one sentence: "striae: " and the message on one line
 * (a message that spans lines, as SQLite's reports may, is joined with spaces).
 *
 * Returns: %EXIT_FAILURE, for `return striae_cli_print_error (error);`
 */
int
striae_cli_print_error (const GError *error)
{
  g_autofree char *line = g_strdup (error->message);

  g_strstrip (g_strdelimit (line, "\r\n", ' '));
  /* TRANSLATORS: how errors of the command line start; %s is the message */
  g_printerr (_("striae: %s\n"), line);
  return EXIT_FAILURE;
}

/**
 * striae_cli_lookup_id:
 * @name: an option that takes a record's number (--consultation, --export-patient …)
 * @id: (out): the number, or 0 when the option was not given
 *
 * Numbers are read as text, because GApplication drops an integer option whose value is 0
 * and "--consultation 0" would then act as if it were not there.
 *
 * Returns: %FALSE with @error set when the option was given without a number of 1 or more
 */
gboolean
striae_cli_lookup_id (GVariantDict  *options,
                      const char    *name,
                      gint64        *id,
                      GError       **error)
{
  const char *text = NULL;
  guint64 value = 0;

  *id = 0;
  if (!g_variant_dict_lookup (options, name, "&s", &text))
    return TRUE;
  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &value, NULL))
    {
      /* TRANSLATORS: --%s is an option such as --consultation, “%s” what was given */
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--%s takes a record number (1 or more), not “%s”."), name, text);
      return FALSE;
    }
  *id = (gint64) value;
  return TRUE;
}

static gboolean
write_line (GOutputStream  *stream,
            const char     *line,
            GError        **error)
{
  g_autofree char *text = g_strconcat (line, "\n", NULL);

  if (stream == NULL)
    return TRUE;
  return g_output_stream_write_all (stream, text, strlen (text), NULL, NULL, error) &&
         g_output_stream_flush (stream, NULL, error);
}

static gboolean
check_destination (const char  *output,
                   const char  *printer,
                   GError     **error)
{
  if (output != NULL && printer != NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("Give either --output or --printer, not both."));
      return FALSE;
    }
  if (output == NULL && printer == NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("Say where the sheet goes: --output FILE.pdf or --printer NAME."));
      return FALSE;
    }
  return TRUE;
}

/**
 * striae_cli_sheet_for_consultation:
 * @store: the patient database, writable (every export and print goes to its audit log)
 * @consultation_id: the consultation
 * @sheet: a sheet name ("pre", "aftercare", "consent" or a template name)
 * @language: (nullable): a language code, %NULL for the patient's preferred one
 * @output: (nullable): the PDF file to write
 * @printer: (nullable): the printer to print on without a dialog; exactly one of @output
 *   and @printer is given
 * @settings: the application's settings, for the clinic
 * @out: where to say what was written (the file's path, or the printer)
 * @notes: (nullable): where to say that the clinic's template was refused
 *
 * Composes the sheet of the latest revision of a stored consultation, with the clinic's
 * rules, writes or prints it and records that in the audit log.
 *
 * Returns: %FALSE with @error set when there is no such consultation, its plan is blocked,
 *   or the sheet cannot be written, printed or logged
 */
gboolean
striae_cli_sheet_for_consultation (StriaeStore    *store,
                                   gint64          consultation_id,
                                   const char     *sheet,
                                   const char     *language,
                                   const char     *output,
                                   const char     *printer,
                                   GSettings      *settings,
                                   GOutputStream  *out,
                                   GOutputStream  *notes,
                                   GError        **error)
{
  g_autoptr(StriaeSheetDelivery) delivery = NULL;
  g_autoptr(StriaeConsultation) consultation = NULL;
  g_autoptr(StriaePatient) patient = NULL;
  g_autoptr(StriaeSheet) composed = NULL;
  g_autofree char *warning = NULL;
  g_autofree char *said = NULL;
  const char *template_name;

  g_return_val_if_fail (STRIAE_IS_STORE (store), FALSE);
  g_return_val_if_fail (sheet != NULL, FALSE);
  g_return_val_if_fail (G_IS_SETTINGS (settings), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_destination (output, printer, error))
    return FALSE;

  if (!striae_sheet_name_from_string (sheet, &template_name, error))
    return FALSE;

  delivery = striae_sheet_delivery_new (store, settings);
  composed = striae_sheet_delivery_compose_stored (delivery, consultation_id, sheet, language,
                                                   NULL, &patient, &consultation, &warning,
                                                   error);
  if (composed == NULL)
    return FALSE;
  if (warning != NULL && !write_line (notes, warning, error))
    return FALSE;

  if (output != NULL)
    {
      if (!striae_sheet_delivery_export (delivery, composed, patient, consultation, output,
                                         error))
        return FALSE;
      said = g_strdup (output);
    }
  else
    {
      g_autofree char *name = striae_patient_dup_full_name (patient);
      g_autofree char *title = NULL;

      /* TRANSLATORS: the print job's title: the sheet's title and the patient's name */
      title = g_strdup_printf (_("%s — %s"), striae_sheet_get_title (composed), name);
      if (!striae_sheet_delivery_print (delivery, &composed, &patient, &consultation, 1,
                                        printer, title, error))
        return FALSE;
      /* TRANSLATORS: said after printing from the command line; %s is the printer */
      said = g_strdup_printf (_("Sent 1 sheet to the printer “%s”."), printer);
    }

  return write_line (out, said, error);
}

/* A strict YYYY-MM-DD: g_date_set_parse() would take many forms and follows the locale. */
static gboolean
parse_day (const char  *text,
           GDate       *date,
           GError     **error)
{
  /* Only the ISO form, written out in full (so not "+026-12-01", "-001-01-01" or the
   * locale's way), and a year a session can have been planned in. */
  if (striae_parse_iso_date (text, date, NULL) && g_date_get_year (date) >= 1900)
    return TRUE;

  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               _("“%s” is not a date; give it as YYYY-MM-DD, for example 2026-12-01."),
               text ? text : "");
  return FALSE;
}

/* Letters and digits of any script stay (a name is best read as it is written); everything
 * else, path separators included, becomes one hyphen. */
static void
append_file_part (GString    *name,
                  const char *text)
{
  gboolean hyphen = name->len > 0;

  for (const char *p = text ? text : ""; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalnum (c))
        {
          if (hyphen && name->len > 0)
            g_string_append_c (name, '-');
          g_string_append_unichar (name, c);
          hyphen = FALSE;
        }
      else
        hyphen = TRUE;
    }
}

static char *
sheet_file_name (const GDate         *date,
                 StriaePatient       *patient,
                 StriaeConsultation  *consultation,
                 StriaeSheet         *sheet,
                 GHashTable          *used)
{
  g_autoptr(GString) name = g_string_new (NULL);
  char day[16];
  gsize before;

  g_date_strftime (day, sizeof day, "%Y-%m-%d", date);
  g_string_append (name, day);
  before = name->len;
  append_file_part (name, striae_patient_get_family_name (patient));
  append_file_part (name, striae_patient_get_given_name (patient));
  if (name->len == before)
    g_string_append_printf (name, "-patient-%" G_GINT64_FORMAT, striae_patient_get_id (patient));
  append_file_part (name, striae_sheet_template_get_name (striae_sheet_get_template (sheet)));

  /* Two consultations of one patient, or two patients of one name, on the same day. */
  if (g_hash_table_contains (used, name->str))
    g_string_append_printf (name, "-%" G_GINT64_FORMAT,
                            striae_consultation_get_id (consultation));
  g_hash_table_add (used, g_strdup (name->str));

  g_string_append (name, ".pdf");
  return g_string_free (g_steal_pointer (&name), FALSE);
}

static gboolean
prepare_folder (StriaeStore  *store,
                const char   *folder,
                GError      **error)
{
  if (g_file_test (folder, G_FILE_TEST_EXISTS) && !g_file_test (folder, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY,
                   _("With --sessions-on, --output names a folder, but “%s” is a file."),
                   folder);
      return FALSE;
    }
  if (!striae_store_check_output_folder (store, folder, error))
    return FALSE;

  /* The sheets carry health data: a new folder is the user's alone. */
  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("The folder “%s” could not be created: %s."), folder,
                   g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

/* The day's stack, composed: for each sheet its consultation and patient, and the notes to
 * print before it goes out (consultations left out, templates refused). */
typedef struct
{
  GPtrArray *consultations;
  GPtrArray *delivered;
  GPtrArray *patients;
  GPtrArray *sheets;
  GPtrArray *notes;
  GPtrArray *pdfs;      /* the PDF of each sheet, when made ahead; else NULL */
} Stack;

static void
stack_init (Stack *stack)
{
  stack->consultations = NULL;
  stack->delivered = g_ptr_array_new ();
  stack->patients = g_ptr_array_new_with_free_func (g_object_unref);
  stack->sheets = g_ptr_array_new_with_free_func (g_object_unref);
  stack->notes = g_ptr_array_new_with_free_func (g_free);
}

static void
stack_clear (Stack *stack)
{
  g_clear_pointer (&stack->delivered, g_ptr_array_unref);
  g_clear_pointer (&stack->patients, g_ptr_array_unref);
  g_clear_pointer (&stack->sheets, g_ptr_array_unref);
  g_clear_pointer (&stack->notes, g_ptr_array_unref);
  g_clear_pointer (&stack->pdfs, g_ptr_array_unref);
  g_clear_pointer (&stack->consultations, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Stack, stack_clear)

/* One consultation's sheet into @stack; a blocked plan or an unfinished sheet is left out
 * with a note. Composing lays text out with Pango: with another thread composing beside this
 * one, it holds @fonts (see striae_sheet_render_pdf_sharing()). */
static gboolean
compose_one (StriaeSheetDelivery  *delivery,
             StriaeStore          *store,
             StriaeConsultation   *consultation,
             const char           *sheet,
             const char           *language,
             const GDate          *date,
             GMutex               *fonts,
             Stack                *stack,
             GError              **error)
{
  g_autoptr(StriaePatient) patient = NULL;
  g_autoptr(StriaeSheet) composed = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *warning = NULL;

  patient = striae_store_get_patient (store, striae_consultation_get_patient_id (consultation),
                                      error);
  if (patient == NULL)
    return FALSE;

  if (fonts != NULL)
    g_mutex_lock (fonts);
  composed = striae_sheet_delivery_compose (delivery, patient, consultation, sheet, language,
                                            date, NULL, &warning, &local_error);
  if (fonts != NULL)
    g_mutex_unlock (fonts);
  if (composed == NULL)
    {
      /* A missing template or language concerns every sheet: stop. A blocked plan or an
       * unfinished sheet concerns this patient alone: name the consultation and go on. */
      if (!g_error_matches (local_error, STRIAE_SHEET_ERROR, STRIAE_SHEET_ERROR_INVALID) &&
          !g_error_matches (local_error, STRIAE_SHEET_ERROR, STRIAE_SHEET_ERROR_UNFINISHED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      /* TRANSLATORS: the consultation's number, then why its sheet was left out */
      g_ptr_array_add (stack->notes,
                       g_strdup_printf (_("Consultation %" PRId64 " left out: %s"),
                                        striae_consultation_get_id (consultation),
                                        local_error->message));
      return TRUE;
    }
  if (warning != NULL)
    g_ptr_array_add (stack->notes, g_steal_pointer (&warning));

  g_ptr_array_add (stack->delivered, consultation);
  g_ptr_array_add (stack->patients, g_steal_pointer (&patient));
  g_ptr_array_add (stack->sheets, g_steal_pointer (&composed));
  return TRUE;
}

static StriaeSheetDelivery *
new_batch_delivery (StriaeStore *store,
                    GSettings   *settings,
                    gboolean     read_ahead)
{
  StriaeSheetDelivery *delivery = striae_sheet_delivery_new (store, settings);

  /* The clinic, its rules and the template are the same for every sheet of the stack. */
  striae_sheet_delivery_set_batch (delivery, TRUE);
  striae_sheet_delivery_set_read_ahead (delivery, read_ahead);
  return delivery;
}

/* The sheets of @consultations from @first to before @end into @stack; @fonts as for
 * compose_one(). */
static gboolean
compose_range (StriaeSheetDelivery  *delivery,
               StriaeStore          *store,
               GPtrArray            *consultations,
               guint                 first,
               guint                 end,
               const char           *sheet,
               const char           *language,
               const GDate          *date,
               GMutex               *fonts,
               Stack                *stack,
               GError              **error)
{
  for (guint i = first; i < end; i++)
    if (!compose_one (delivery, store, g_ptr_array_index (consultations, i), sheet, language,
                      date, fonts, stack, error))
      return FALSE;
  return TRUE;
}

/* Every sheet of the day's schedule, in memory: nothing is written or printed; @read_ahead,
 * before the sign-in, not even this PC's copy of the clinic's logo. */
static gboolean
compose_stack (StriaeStore  *store,
               GSettings    *settings,
               const GDate  *date,
               const char   *sheet,
               const char   *language,
               gboolean      read_ahead,
               Stack        *stack,
               GError      **error)
{
  g_autoptr(StriaeSheetDelivery) delivery = NULL;

  /* The schedule's day, as the window's day's list: a moved session on its new date, none
   * missed or cancelled. */
  stack->consultations = striae_store_list_scheduled_on (store, date, error);
  if (stack->consultations == NULL)
    return FALSE;
  delivery = new_batch_delivery (store, settings, read_ahead);
  return compose_range (delivery, store, stack->consultations, 0, stack->consultations->len,
                        sheet, language, date, NULL, stack, error);
}

/* The stack's notes, then its sheets to @printer or as PDFs into @output_folder. */
static gboolean
deliver_stack (StriaeStore    *store,
               GSettings      *settings,
               const char     *day,
               const GDate    *date,
               const char     *output_folder,
               const char     *printer,
               Stack          *stack,
               GOutputStream  *out,
               GOutputStream  *notes,
               GError        **error)
{
  g_autoptr(GHashTable) used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) paths = NULL;
  g_autoptr(StriaeSheetDelivery) delivery = striae_sheet_delivery_new (store, settings);
  GPtrArray *sheets = stack->sheets;
  guint written = 0;
  gboolean ok;

  for (guint i = 0; i < stack->notes->len; i++)
    if (!write_line (notes, g_ptr_array_index (stack->notes, i), error))
      return FALSE;

  if (sheets->len == 0)
    {
      g_autofree char *said = NULL;

      /* TRANSLATORS: %s is a date, YYYY-MM-DD */
      said = g_strdup_printf (_("No sheet to deliver: no session takes place on %s."), day);
      return write_line (notes != NULL ? notes : out, said, error);
    }

  if (printer != NULL)
    {
      g_autofree char *title = NULL;
      g_autofree char *said = NULL;

      /* TRANSLATORS: the print job's title; %s is a date */
      title = g_strdup_printf (_("Sheets for the sessions on %s"), day);
      if (!striae_sheet_delivery_print (delivery, (StriaeSheet * const *) sheets->pdata,
                                        (StriaePatient * const *) stack->patients->pdata,
                                        (StriaeConsultation * const *) stack->delivered->pdata,
                                        sheets->len, printer, title, error))
        return FALSE;

      said = g_strdup_printf (ngettext ("Sent %u sheet to the printer “%s”.",
                                        "Sent %u sheets to the printer “%s”.", sheets->len),
                              sheets->len, printer);
      return write_line (out, said, error);
    }

  paths = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < sheets->len; i++)
    {
      g_autofree char *file_name = NULL;

      file_name = sheet_file_name (date, g_ptr_array_index (stack->patients, i),
                                   g_ptr_array_index (stack->delivered, i),
                                   g_ptr_array_index (sheets, i), used);
      g_ptr_array_add (paths, g_build_filename (output_folder, file_name, NULL));
    }

  /* Every PDF, then their audit rows in one commit: the stack is one write to the records. */
  if (stack->pdfs != NULL)
    ok = striae_sheet_delivery_export_rendered (delivery,
                                                (StriaeSheet * const *) sheets->pdata,
                                                (GBytes * const *) stack->pdfs->pdata,
                                                (StriaePatient * const *) stack->patients->pdata,
                                                (StriaeConsultation * const *)
                                                stack->delivered->pdata,
                                                (const char * const *) paths->pdata,
                                                sheets->len, &written, error);
  else
    ok = striae_sheet_delivery_export_all (delivery, (StriaeSheet * const *) sheets->pdata,
                                           (StriaePatient * const *) stack->patients->pdata,
                                           (StriaeConsultation * const *)
                                           stack->delivered->pdata,
                                           (const char * const *) paths->pdata, sheets->len,
                                           &written, error);
  for (guint i = 0; i < written; i++)
    if (!write_line (out, g_ptr_array_index (paths, i), ok ? error : NULL))
      return FALSE;

  return ok;
}

/* striae_cli_sheets_on_day() with the stack composed already (@composed), or not (NULL). */
static gboolean
sheets_on_day (StriaeStore    *store,
               const char     *day,
               const char     *sheet,
               const char     *language,
               const char     *output_folder,
               const char     *printer,
               GSettings      *settings,
               Stack          *composed,
               GOutputStream  *out,
               GOutputStream  *notes,
               GError        **error)
{
  g_auto(Stack) stack = { NULL, NULL, NULL, NULL, NULL, NULL };
  const char *template_name;
  GDate date;

  if (!check_destination (output_folder, printer, error) ||
      !parse_day (day, &date, error) ||
      !striae_sheet_name_from_string (sheet, &template_name, error))
    return FALSE;

  /* A wrong folder is found before any sheet is composed or a note is written. */
  if (output_folder != NULL && !prepare_folder (store, output_folder, error))
    return FALSE;

  if (composed == NULL)
    {
      composed = &stack;
      stack_init (composed);
      if (!compose_stack (store, settings, &date, sheet, language, FALSE, composed, error))
        return FALSE;
    }
  return deliver_stack (store, settings, day, &date, output_folder, printer, composed, out,
                        notes, error);
}

/**
 * striae_cli_sheets_on_day:
 * @store: the patient database, writable (every export and print goes to its audit log)
 * @day: the day, as YYYY-MM-DD
 * @sheet: a sheet name, usually "aftercare"
 * @language: (nullable): a language code for all sheets, %NULL for each patient's own
 * @output_folder: (nullable): the folder to write one PDF per consultation to
 * @printer: (nullable): the printer to send all sheets to, in one job; exactly one of
 *   @output_folder and @printer is given
 * @settings: the application's settings, for the clinic
 * @out: where to say what was written: one path a line, or the printer
 * @notes: (nullable): where to name the consultations that were left out and why
 *
 * The front desk's morning stack: the sheet for every consultation with a session on @day
 * by its schedule (striae_store_list_scheduled_on()), dated that day. A consultation whose plan is
 * blocked, or whose sheet is unfinished (striae_sheet_check_printable()), is left out and
 * named in @notes with the reason; the others still go out.
 *
 * Returns: %FALSE with @error set when the day is not a date, the folder cannot be written,
 *   the printer cannot be used or the audit log cannot be written
 */
gboolean
striae_cli_sheets_on_day (StriaeStore    *store,
                          const char     *day,
                          const char     *sheet,
                          const char     *language,
                          const char     *output_folder,
                          const char     *printer,
                          GSettings      *settings,
                          GOutputStream  *out,
                          GOutputStream  *notes,
                          GError        **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE (store), FALSE);
  g_return_val_if_fail (sheet != NULL, FALSE);
  g_return_val_if_fail (G_IS_SETTINGS (settings), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return sheets_on_day (store, day, sheet, language, output_folder, printer, settings, NULL,
                        out, notes, error);
}

/* The PDF of every sheet of @stack, in memory; none when one cannot be made (they are made
 * again when written, and the error said then). With another thread making sheets beside
 * this one, the drawing holds @fonts (striae_sheet_render_pdf_sharing()). */
static void
render_stack (Stack  *stack,
              GMutex *fonts)
{
  g_autoptr(GPtrArray) pdfs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

  for (guint i = 0; i < stack->sheets->len; i++)
    {
      StriaeSheet *sheet = g_ptr_array_index (stack->sheets, i);
      GBytes *pdf = fonts != NULL ? striae_sheet_render_pdf_sharing (sheet, fonts, NULL)
                                  : striae_sheet_render_pdf (sheet, NULL);

      if (pdf == NULL)
        return;
      g_ptr_array_add (pdfs, pdf);
    }
  stack->pdfs = g_steal_pointer (&pdfs);
}

/* @part's sheets and notes after @stack's own, and its PDFs when both have theirs. */
static void
stack_append (Stack *stack,
              Stack *part)
{
  g_ptr_array_extend_and_steal (stack->delivered, g_steal_pointer (&part->delivered));
  g_ptr_array_extend_and_steal (stack->patients, g_steal_pointer (&part->patients));
  g_ptr_array_extend_and_steal (stack->sheets, g_steal_pointer (&part->sheets));
  g_ptr_array_extend_and_steal (stack->notes, g_steal_pointer (&part->notes));
  if (stack->pdfs != NULL && part->pdfs != NULL)
    g_ptr_array_extend_and_steal (stack->pdfs, g_steal_pointer (&part->pdfs));
  else
    g_clear_pointer (&stack->pdfs, g_ptr_array_unref);
}

/* The later part of a stack composed ahead, with its PDFs, in a thread of its own: through
 * its own connection to the records, its own templates and Pango's fonts of its thread. */
typedef struct
{
  StriaeSheetDelivery *batch;
  const char          *path;
  const char          *user;
  GPtrArray           *consultations;
  guint                first;
  const char          *sheet;
  const char          *language;
  const GDate         *date;
  GMutex              *fonts;
  Stack                stack;
  GError              *error;
} StackPart;

static gpointer
compose_part_thread (gpointer data)
{
  StackPart *part = data;
  g_autoptr(StriaeStore) reader = NULL;
  g_autoptr(StriaeSheetDelivery) delivery = NULL;

  reader = striae_store_open_full (part->path, STRIAE_STORE_OPEN_FLAGS_READ_ONLY, &part->error);
  if (reader == NULL || !striae_store_read_as (reader, part->user, &part->error))
    return NULL;
  delivery = striae_sheet_delivery_new_sibling (part->batch, reader);
  if (compose_range (delivery, reader, part->consultations, part->first,
                     part->consultations->len, part->sheet, part->language, part->date,
                     part->fonts, &part->stack, &part->error))
    render_stack (&part->stack, part->fonts);

  /* This thread's templates and font map, let go of now under the lock rather than when the
   * thread ends: a font let go of can take its Cairo font face with it. */
  g_mutex_lock (part->fonts);
  g_clear_object (&delivery);
  striae_sheet_release_thread_fonts ();
  g_mutex_unlock (part->fonts);
  return NULL;
}

/* compose_stack() and render_stack() for a folder, ahead of the sign-in: the later half of
 * the day's sheets in a second thread, so that both processors work once the password's
 * check is done. The sheets, notes and PDFs come out in the day's order, as from one. */
static gboolean
compose_stack_ahead (StriaeStore  *reader,
                     const char   *user,
                     GSettings    *settings,
                     const GDate  *date,
                     const char   *sheet,
                     const char   *language,
                     Stack        *stack,
                     GError      **error)
{
  g_autoptr(StriaeSheetDelivery) delivery = NULL;
  /* Both threads lay text out with fonts that share Cairo's state underneath: one at a time
   * (striae_sheet_render_pdf_sharing()). */
  GMutex fonts;
  StackPart part = { NULL, NULL, NULL, NULL, 0, sheet, language, date, &fonts, { NULL },
                     NULL };
  GThread *thread = NULL;
  guint split;
  gboolean ok;

  stack->consultations = striae_store_list_scheduled_on (reader, date, error);
  if (stack->consultations == NULL)
    return FALSE;
  g_mutex_init (&fonts);
  delivery = new_batch_delivery (reader, settings, TRUE);
  split = stack->consultations->len;
  /* The rules and clinic are read before the split, once, for both halves. */
  if (split >= 2 && striae_sheet_delivery_read_batch (delivery, NULL))
    {
      split = (split + 1) / 2;
      part.batch = delivery;
      part.path = striae_store_get_path (reader);
      part.user = user;
      part.consultations = stack->consultations;
      part.first = split;
      stack_init (&part.stack);
      thread = g_thread_new ("striae-stack", compose_part_thread, &part);
    }

  ok = compose_range (delivery, reader, stack->consultations, 0, split, sheet, language, date,
                      thread != NULL ? &fonts : NULL, stack, error);
  if (ok)
    render_stack (stack, thread != NULL ? &fonts : NULL);
  if (thread == NULL)
    {
      g_mutex_clear (&fonts);
      return ok;
    }

  g_thread_join (thread);
  g_mutex_clear (&fonts);
  if (ok && part.error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&part.error));
      ok = FALSE;
    }
  g_clear_error (&part.error);
  if (ok)
    stack_append (stack, &part.stack);
  stack_clear (&part.stack);
  return ok;
}

/* The stack composed from a read-only store of @store's records, read as @user while that
 * account's password is checked on @store: FALSE when it cannot be, for whatever reason (the
 * stack is then composed again once signed in, and any error said then). */
static gboolean
compose_ahead (StriaeStore  *store,
               const char   *user,
               GSettings    *settings,
               const char   *day,
               const char   *sheet,
               const char   *language,
               gboolean      to_folder,
               Stack        *stack)
{
  g_autoptr(StriaeStore) reader = NULL;
  g_autoptr(GError) error = NULL;
  const char *template_name;
  GDate date;

  if (user == NULL || !parse_day (day, &date, NULL) ||
      !striae_sheet_name_from_string (sheet, &template_name, NULL))
    return FALSE;
  reader = striae_store_open_full (striae_store_get_path (store),
                                   STRIAE_STORE_OPEN_FLAGS_READ_ONLY, &error);
  /* The PDFs too, while the password's check goes on: still nothing is written. A printer
   * draws the sheets in this thread, so they are composed in this thread alone. */
  if (reader != NULL && striae_store_read_as (reader, user, &error) &&
      (to_folder
       ? compose_stack_ahead (reader, user, settings, &date, sheet, language, stack, &error)
       : compose_stack (reader, settings, &date, sheet, language, TRUE, stack, &error)))
    return TRUE;

  g_debug ("The day’s stack is composed once signed in: %s", error->message);
  return FALSE;
}

/* Whether what @stack was composed from still holds now that the account signed in: not
 * when this run is the one that copies this PC's clinic into the records
 * (striae_clinic_cache_adopt()), which a read-only store cannot. */
static gboolean
clinic_unchanged (StriaeStore  *store,
                  GSettings    *settings,
                  GError      **error)
{
  g_autoptr(StriaeClinic) clinic = NULL;
  gboolean adopted = FALSE;

  if (!striae_store_has_accounts (store))
    return TRUE;
  clinic = striae_clinic_cache_dup_settings_clinic (settings);
  return striae_store_adopt_clinic (store, clinic, &adopted, error) && !adopted;
}

/* Once signed in, this PC's copy of the clinic's logo brought up to date, as composing
 * after the sign-in would have: the reading ahead wrote nothing. */
static gboolean
update_clinic_cache (StriaeStore  *store,
                     GSettings    *settings,
                     GError      **error)
{
  g_autofree char *override_dir = NULL;
  g_autoptr(StriaeClinicSettings) clinic = NULL;

  clinic = striae_clinic_cache_dup_settings (store, settings, &override_dir, error);
  return clinic != NULL;
}

/**
 * striae_cli_sheets_on_day_signing_in:
 * @store: the patient database, opened without signing in (striae_cli_open_existing_unsigned())
 * @options: the command line's options, for the account of --user
 *
 * striae_cli_sign_in() then striae_cli_sheets_on_day(), in less time: while the password is
 * checked (Argon2id, on purpose slow) in a thread of its own, the stack is read from a
 * read-only store of the same records, composed, and its PDFs made, in memory. Nothing is written, printed
 * or sent before the account has signed in; when it does not, the stack is dropped and the
 * sign-in's error returned, as without this.
 */
gboolean
striae_cli_sheets_on_day_signing_in (StriaeStore    *store,
                                     GVariantDict   *options,
                                     const char     *day,
                                     const char     *sheet,
                                     const char     *language,
                                     const char     *output_folder,
                                     const char     *printer,
                                     GSettings      *settings,
                                     GOutputStream  *out,
                                     GOutputStream  *notes,
                                     GError        **error)
{
  g_auto(Stack) stack = { NULL, NULL, NULL, NULL, NULL, NULL };
  g_autoptr(GError) local_error = NULL;
  StriaeCliSignIn *sign_in;
  gboolean ahead;

  g_return_val_if_fail (STRIAE_IS_STORE (store), FALSE);
  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (sheet != NULL, FALSE);
  g_return_val_if_fail (G_IS_SETTINGS (settings), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if ((sign_in = striae_cli_sign_in_start (store, options, error)) == NULL)
    return FALSE;
  stack_init (&stack);
  ahead = compose_ahead (store, striae_cli_sign_in_get_user (sign_in), settings, day, sheet,
                         language, output_folder != NULL && printer == NULL, &stack);
  if (!striae_cli_sign_in_finish (sign_in, error))
    return FALSE;

  /* A stack that could not be composed ahead, or no longer holds, is composed again. */
  if (ahead && (!clinic_unchanged (store, settings, &local_error) ||
                !update_clinic_cache (store, settings, &local_error)))
    {
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      ahead = FALSE;
    }
  if (ahead)
    g_debug ("The day’s stack was composed while the password was checked.");
  return sheets_on_day (store, day, sheet, language, output_folder, printer, settings,
                        ahead ? &stack : NULL, out, notes, error);
}
