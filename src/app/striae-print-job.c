/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "striae-cups-compat.h"
#include "striae-print-job.h"

/* GTK 4 cannot start without a display, and printers are found by GTK's print backends. */
static gboolean
check_available (GError **error)
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

/* One exchange with the print system that is waited for with a bound: finding the printer,
 * then handing over the job. GTK may call back after the wait has given up (a print server
 * that answers late), so the state is shared with GTK's callbacks and freed by the last one. */
typedef struct
{
  GMainLoop  *loop;
  gboolean    finished;
  gboolean    abandoned;
  char       *wanted;
  GPtrArray  *names;
  GtkPrinter *found;
  GError     *error;
} PrintWait;

static void
print_wait_clear (gpointer data)
{
  PrintWait *wait = data;

  g_main_loop_unref (wait->loop);
  g_free (wait->wanted);
  g_ptr_array_unref (wait->names);
  g_clear_object (&wait->found);
  g_clear_error (&wait->error);
}

static PrintWait *
print_wait_new (const char *wanted)
{
  PrintWait *wait = g_rc_box_new0 (PrintWait);

  wait->loop = g_main_loop_new (NULL, FALSE);
  wait->wanted = g_strdup (wanted);
  wait->names = g_ptr_array_new_with_free_func (g_free);
  return wait;
}

static void
print_wait_release (gpointer data)
{
  g_rc_box_release_full (data, print_wait_clear);
}

static PrintWait *
print_wait_ref (PrintWait *wait)
{
  return g_rc_box_acquire (wait);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PrintWait, print_wait_release)

static void
print_wait_finish (PrintWait *wait)
{
  wait->finished = TRUE;
  g_main_loop_quit (wait->loop);
}

static gboolean
print_wait_timed_out_cb (gpointer user_data)
{
  PrintWait *wait = user_data;

  wait->abandoned = TRUE;
  g_main_loop_quit (wait->loop);
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until GTK has answered or STRIAE_PRINT_TIMEOUT_SECONDS have passed.
 * Returns: %FALSE with @error set when the print system did not answer in time */
static gboolean
print_wait_run (PrintWait  *wait,
                GError    **error)
{
  guint timeout_id;

  if (wait->finished)
    return TRUE;

  /* Not g_timeout_add_seconds(): it may fire up to a second early, and the bound is a promise. */
  timeout_id = g_timeout_add (STRIAE_PRINT_TIMEOUT_SECONDS * 1000, print_wait_timed_out_cb, wait);
  g_main_loop_run (wait->loop);
  if (!wait->abandoned)
    g_source_remove (timeout_id);

  if (wait->finished)
    return TRUE;

  wait->abandoned = TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
               g_dngettext (GETTEXT_PACKAGE,
                            "The print system did not answer within %d second. Is CUPS "
                            "running? Nothing was printed.",
                            "The print system did not answer within %d seconds. Is CUPS "
                            "running? Nothing was printed.",
                            STRIAE_PRINT_TIMEOUT_SECONDS),
               STRIAE_PRINT_TIMEOUT_SECONDS);
  return FALSE;
}

static gboolean
find_printer_cb (GtkPrinter *printer,
                 gpointer    user_data)
{
  PrintWait *wait = user_data;
  const char *name = gtk_printer_get_name (printer);

  /* Stop GTK's search once the wait has given up on it. */
  if (wait->abandoned)
    return TRUE;

  /* GTK offers "Print to File" as a printer; it is not one a sheet can be sent to by name. */
  if (gtk_printer_is_virtual (printer))
    return FALSE;

  g_ptr_array_add (wait->names, g_strdup (name));
  if (g_strcmp0 (name, wait->wanted) == 0)
    {
      wait->found = g_object_ref (printer);
      return TRUE;
    }

  return FALSE;
}

/* GTK calls this once it has asked every print backend, or once find_printer_cb() stopped it. */
static void
find_printer_done_cb (gpointer user_data)
{
  g_autoptr(PrintWait) wait = user_data;

  print_wait_finish (wait);
}

static GtkPrinter *
find_printer (const char  *name,
              GError     **error)
{
  g_autoptr(PrintWait) wait = print_wait_new (name);
  g_autofree char *list = NULL;

  gtk_enumerate_printers (find_printer_cb, print_wait_ref (wait), find_printer_done_cb, FALSE);
  if (!print_wait_run (wait, error))
    return NULL;

  if (wait->found != NULL)
    return g_object_ref (wait->found);

  if (wait->names->len == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("There is no printer named “%s”: this computer has no printers."), name);
      return NULL;
    }

  g_ptr_array_sort (wait->names, compare_strings);
  g_ptr_array_add (wait->names, NULL);
  list = g_strjoinv (", ", (char **) wait->names->pdata);
  g_ptr_array_remove_index (wait->names, wait->names->len - 1);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
               _("There is no printer named “%s”. The printers are: %s."), name, list);
  return NULL;
}

static void
job_sent_cb (GtkPrintJob  *job,
             gpointer      user_data,
             const GError *error)
{
  PrintWait *wait = user_data;

  if (wait->abandoned)
    return;
  if (error != NULL)
    wait->error = g_error_copy (error);
  print_wait_finish (wait);
}

/* Hands the job to the print system and waits, with the bound, until it has taken it. */
static gboolean
send_job (GtkPrintJob  *job,
          const char   *printer_name,
          GError      **error)
{
  g_autoptr(PrintWait) wait = print_wait_new (printer_name);

  gtk_print_job_send (job, job_sent_cb, print_wait_ref (wait), print_wait_release);
  if (!print_wait_run (wait, error))
    return FALSE;

  if (wait->error != NULL)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&wait->error),
                                  _("The printer “%s” refused the sheet: "), printer_name);
      return FALSE;
    }
  return TRUE;
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
 * accepted the job, initialising GTK first if nobody did. Neither finding the printer nor
 * handing over the job waits longer than STRIAE_PRINT_TIMEOUT_SECONDS.
 *
 * Returns: %FALSE with @error set if there is no display, no such printer, the printer
 *   refused the job or the print system did not answer in time (%G_IO_ERROR_TIMED_OUT)
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
  cairo_surface_t *surface;
  cairo_t *cr;
  double paper_width, paper_height;

  g_return_val_if_fail (sheets != NULL && n_sheets > 0, FALSE);
  g_return_val_if_fail (printer_name != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!striae_cups_compat_ensure ())
    {
      g_set_error_literal (error, GTK_PRINT_ERROR, GTK_PRINT_ERROR_GENERAL,
                           _("The print system’s library could not be found. Nothing was "
                             "printed."));
      return FALSE;
    }
  if (!check_available (error))
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

  return send_job (job, printer_name, error);
}
