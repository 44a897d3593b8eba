/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "striae-cups-compat.h"
#include "striae-module.h"

/* The mend for Debian 12's libcups (src/app/cups/striae-cups-mend.c) is a module, so that
 * Striae maps libcups, and the Kerberos, GnuTLS and Avahi it pulls in, only when it prints
 * (issue 15, start-up). It must be in the process's global scope before GTK loads its CUPS
 * print backend, which then binds its httpUpdate() to the mend's: ahead of libcups, which the
 * module itself brings in. */

#define MODULE_NAME             "striae-cups-mend"
#define STRIAE_CUPS_MEND_SYMBOL "striae_cups_mend_ready"

typedef gboolean (*CupsMendReadyFunc) (void);

static gpointer
load_mend (gpointer data)
{
  g_autoptr(GError) error = NULL;
  CupsMendReadyFunc ready;

  ready = striae_module_load (MODULE_NAME, STRIAE_BUILD_CUPS_MODULEDIR,
                              STRIAE_MODULE_SCOPE_GLOBAL, STRIAE_CUPS_MEND_SYMBOL, &error);
  if (ready == NULL)
    {
      g_message ("Printing cannot work: %s", error->message);
      return GINT_TO_POINTER (FALSE);
    }
  return GINT_TO_POINTER (ready ());
}

/**
 * striae_cups_compat_ensure:
 *
 * Loads the mend for the print system the first time it is called; call it before anything
 * that makes GTK load its print backends (a print dialog, gtk_enumerate_printers(), a
 * #GtkPrintOperation).
 *
 * Returns: %TRUE when printing through GTK can work
 */
gboolean
striae_cups_compat_ensure (void)
{
  static GOnce once = G_ONCE_INIT;

  return GPOINTER_TO_INT (g_once (&once, load_mend, NULL));
}
