/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "striae-print-job.h"

/**
 * striae_print_job_check_available:
 *
 * Initialises GTK if nobody did yet. Printers are found by GTK's print backends, and GTK 4
 * cannot start without a display.
 *
 * Returns: %FALSE with @error set when there is no display to start GTK on
 */
gboolean
striae_print_job_check_available (GError **error)
{
  if (gtk_is_initialized () || gtk_init_check ())
    return TRUE;

  g_set_error_literal (error, GTK_PRINT_ERROR, GTK_PRINT_ERROR_GENERAL,
                       _("Printing needs a desktop session, but no display could be opened. "
                         "Export the sheet with --output FILE.pdf instead, or print from a "
                         "desktop session."));
  return FALSE;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

typedef struct
{
  const char *wanted;
  GPtrArray  *names;
  GtkPrinter *found;
} FindPrinter;

static gboolean
find_printer_cb (GtkPrinter *printer,
                 gpointer    user_data)
{
  FindPrinter *find = user_data;
  const char *name = gtk_printer_get_name (printer);

  /* GTK offers "Print to File" as a printer; it is not one a sheet can be sent to by name. */
  if (gtk_printer_is_virtual (printer))
    return FALSE;

  if (find->names != NULL)
    g_ptr_array_add (find->names, g_strdup (name));

  if (find->wanted != NULL && g_strcmp0 (name, find->wanted) == 0)
    {
      find->found = g_object_ref (printer);
      return TRUE;
    }

  return FALSE;
}

/**
 * striae_print_job_list_printers:
 *
 * GTK must be initialised (striae_print_job_check_available()).
 *
 * Returns: (transfer full): the names of the printers, sorted
 */
char **
striae_print_job_list_printers (void)
{
  FindPrinter find = { NULL, g_ptr_array_new (), NULL };

  g_return_val_if_fail (gtk_is_initialized (), NULL);

  gtk_enumerate_printers (find_printer_cb, &find, NULL, TRUE);
  g_ptr_array_sort (find.names, compare_strings);
  g_ptr_array_add (find.names, NULL);
  return (char **) g_ptr_array_free (find.names, FALSE);
}

static GtkPrinter *
find_printer (const char  *name,
              GError     **error)
{
  FindPrinter find = { name, g_ptr_array_new_with_free_func (g_free), NULL };
  g_autoptr(GPtrArray) names = find.names;

  gtk_enumerate_printers (find_printer_cb, &find, NULL, TRUE);
  if (find.found != NULL)
    return find.found;

  if (names->len == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("There is no printer named “%s”: this computer has no printers."), name);
    }
  else
    {
      g_autofree char *list = NULL;

      g_ptr_array_sort (names, compare_strings);
      g_ptr_array_add (names, NULL);
      list = g_strjoinv (", ", (char **) names->pdata);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("There is no printer named “%s”. The printers are: %s."), name, list);
    }
  return NULL;
}

typedef struct
{
  GMainLoop *loop;
  GError    *error;
} SendData;

static void
job_sent_cb (GtkPrintJob  *job,
             gpointer      user_data,
             const GError *error)
{
  SendData *data = user_data;

  if (error != NULL)
    data->error = g_error_copy (error);
  g_main_loop_quit (data->loop);
}

static GtkPageSetup *
page_setup_for (StriaeSheet *sheet)
{
  g_autoptr(GtkPaperSize) paper = NULL;
  GtkPageSetup *setup = gtk_page_setup_new ();
  double width, height;

  /* The sheet is laid out for A4 or US Letter; ask the printer for that paper. */
  striae_sheet_get_page_size (sheet, &width, &height);
  if (fabs (width - 612.0) < 1.0 && fabs (height - 792.0) < 1.0)
    paper = gtk_paper_size_new (GTK_PAPER_NAME_LETTER);
  else
    paper = gtk_paper_size_new (GTK_PAPER_NAME_A4);

  gtk_page_setup_set_paper_size_and_default_margins (setup, paper);
  gtk_page_setup_set_orientation (setup, GTK_PAGE_ORIENTATION_PORTRAIT);
  return setup;
}

/**
 * striae_print_job_print_sheets:
 * @sheets: (array length=n_sheets): the sheets, printed one after another in one job
 * @n_sheets: how many, at least one
 * @printer_name: the printer's name as the system knows it (`lpstat -p`)
 * @title: the job's title, shown in the printer queue
 *
 * Sends the sheets to a printer without a dialog and waits until the print system has
 * accepted the job. GTK must be initialised (striae_print_job_check_available()).
 *
 * Returns: %FALSE with @error set if there is no such printer or it refused the job
 */
gboolean
striae_print_job_print_sheets (StriaeSheet * const  *sheets,
                               guint                 n_sheets,
                               const char           *printer_name,
                               const char           *title,
                               GError              **error)
{
  g_autoptr(GtkPrinter) printer = NULL;
  g_autoptr(GtkPrintSettings) settings = NULL;
  g_autoptr(GtkPageSetup) setup = NULL;
  g_autoptr(GtkPrintJob) job = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  SendData data = { NULL, NULL };
  cairo_surface_t *surface;
  cairo_t *cr;
  double paper_width, paper_height;

  g_return_val_if_fail (sheets != NULL && n_sheets > 0, FALSE);
  g_return_val_if_fail (printer_name != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!striae_print_job_check_available (error))
    return FALSE;

  printer = find_printer (printer_name, error);
  if (printer == NULL)
    return FALSE;

  if (!gtk_printer_is_accepting_jobs (printer))
    {
      g_set_error (error, GTK_PRINT_ERROR, GTK_PRINT_ERROR_GENERAL,
                   _("The printer “%s” does not accept jobs at the moment."), printer_name);
      return FALSE;
    }

  settings = gtk_print_settings_new ();
  gtk_print_settings_set_printer (settings, printer_name);
  gtk_print_settings_set_n_copies (settings, 1);
  setup = page_setup_for (sheets[0]);
  job = gtk_print_job_new (title != NULL ? title : _("Striae sheet"), printer, settings,
                           setup);

  surface = gtk_print_job_get_surface (job, error);
  if (surface == NULL)
    return FALSE;

  paper_width = gtk_page_setup_get_paper_width (setup, GTK_UNIT_POINTS);
  paper_height = gtk_page_setup_get_paper_height (setup, GTK_UNIT_POINTS);

  cr = cairo_create (surface);
  for (guint s = 0; s < n_sheets; s++)
    {
      double width, height, scale;

      /* A sheet laid out for the other paper size is scaled to fit, never cut off. */
      striae_sheet_get_page_size (sheets[s], &width, &height);
      scale = MIN (paper_width / width, paper_height / height);
      if (scale > 1.0)
        scale = 1.0;

      for (guint page = 0; page < striae_sheet_get_n_pages (sheets[s]); page++)
        {
          cairo_save (cr);
          cairo_scale (cr, scale, scale);
          striae_sheet_draw_page (sheets[s], cr, page);
          cairo_restore (cr);
          cairo_show_page (cr);
        }
    }

  if (cairo_status (cr) != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, GTK_PRINT_ERROR, GTK_PRINT_ERROR_GENERAL,
                   _("The sheet could not be prepared for printing: %s."),
                   cairo_status_to_string (cairo_status (cr)));
      cairo_destroy (cr);
      return FALSE;
    }
  cairo_destroy (cr);

  /* gtk_print_job_send() streams the spool file as it is and does not finish the surface
   * (GtkPrintOperation does that itself before sending). An unfinished PDF surface has
   * written its pages but no cross-reference table or trailer: the print system's pdftopdf
   * filter rejects such a file and cups-pdf turns the empty result into a blank page. */
  cairo_surface_finish (surface);
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, GTK_PRINT_ERROR, GTK_PRINT_ERROR_GENERAL,
                   _("The sheet could not be written to the print spool file: %s."),
                   cairo_status_to_string (cairo_surface_status (surface)));
      return FALSE;
    }

  loop = g_main_loop_new (NULL, FALSE);
  data.loop = loop;
  gtk_print_job_send (job, job_sent_cb, &data, NULL);
  g_main_loop_run (loop);

  if (data.error != NULL)
    {
      g_propagate_prefixed_error (error, data.error,
                                  _("The printer “%s” refused the sheet: "), printer_name);
      return FALSE;
    }

  return TRUE;
}
