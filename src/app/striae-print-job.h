/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>
#include <gtk/gtkunixprint.h>

#include "striae-sheet.h"

G_BEGIN_DECLS

/* Printing without a dialog, for the command line and batches. GtkPrintOperation cannot be
 * used for this in GTK 4.8 (it crashes when it finds a named printer without showing its
 * dialog), so this goes through gtk_enumerate_printers() and GtkPrintJob. It needs GTK to
 * be initialised, which needs a display.
 *
 * Nothing here waits on the print system without a bound: finding the printer and handing
 * over the job each give up after STRIAE_PRINT_TIMEOUT_SECONDS. */

#define STRIAE_PRINT_TIMEOUT_SECONDS 15

gboolean striae_print_job_print_sheets (StriaeSheet * const *sheets,
                                        guint               n_sheets,
                                        const char         *printer_name,
                                        const char         *title,
                                        GError            **error);

G_END_DECLS
