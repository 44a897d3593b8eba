/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A mend for libcups 2.4.2-3+deb12u10 (Debian 12's security update of 2026-11-20), under
 * which every print through GTK freezes the process.
 *
 * The fix for CVE-2025-58436 made libcups' _httpUpdate() return HTTP_STATUS_CONTINUE without
 * reading when a non-blocking connection has nothing buffered yet, and nothing else fills the
 * buffer. GTK 4.8's CUPS backend uses non-blocking connections and, in
 * gtk_cups_request_read_write(), loops "while the socket is readable, httpUpdate()": it spins
 * inside g_main_context_check() forever, so gtk_enumerate_printers(), GtkPrintJob and the print
 * dialog never return and no timeout can fire. Upstream CUPS fixed this in 2.4.16
 * (OpenPrinting/cups#1429, pull request #1439: read when the socket is readable); Debian's
 * backport lacks that part.
 *
 * This module's httpUpdate() replaces libcups' own for the whole process: the program loads
 * the module into the global scope before GTK loads its print backend
 * (src/app/striae-cups-compat.c), so the backend, and libcups itself, bind to it, while the
 * module finds libcups' own behind it. It reads the waiting reply the way
 * the fixed libcups does — in blocking mode, and only when the socket already has data — and
 * leaves every other call to libcups unchanged. With a fixed libcups it changes nothing. */
#define _GNU_SOURCE
#include "config.h"

#include <cups/cups.h>
#include <dlfcn.h>

#include <glib.h>
#include <gmodule.h>

typedef http_status_t (*HttpUpdateFunc) (http_t *http);

/* libcups' own httpUpdate(), asked of libcups itself: libcups is loaded already, as this
 * module needs it. (Not dlsym (RTLD_NEXT, …): that searches after the object that called
 * dlsym(), which is GLib's g_once() when the call is compiled as a tail call, and the global
 * scope after GLib holds this module, ahead of libcups.) */
static gpointer
find_libcups_update (gpointer data)
{
  void *libcups = dlopen ("libcups.so.2", RTLD_NOW | RTLD_NOLOAD);
  gpointer update;

  if (libcups == NULL)
    return NULL;
  update = dlsym (libcups, "httpUpdate");
  /* Dropped the reference dlopen() took: this module's own keeps libcups loaded. */
  dlclose (libcups);
  /* The mend itself would call itself for ever. */
  return update != (gpointer) httpUpdate ? update : NULL;
}

static HttpUpdateFunc
get_libcups_update (void)
{
  static GOnce found = G_ONCE_INIT;

  return (HttpUpdateFunc) g_once (&found, find_libcups_update, NULL);
}

/* Replaces libcups' httpUpdate() for the whole process (its prototype is libcups'); see above. */

http_status_t
httpUpdate (http_t *http)
{
  HttpUpdateFunc update = get_libcups_update ();
  http_status_t status;

  if (update == NULL)
    return HTTP_STATUS_ERROR;

  /* The only case the faulty libcups mishandles: a non-blocking connection with an empty
   * buffer and a reply waiting on the socket. Reading it blocking cannot stall, as the data is
   * there already (a reply cut short waits at most the connection's own timeout). */
  if (http == NULL || httpGetBlocking (http) || httpGetReady (http) > 0 || !httpWait (http, 0))
    return update (http);

  httpBlocking (http, 1);
  status = update (http);
  httpBlocking (http, 0);
  return status;
}

/* The module's entry point (STRIAE_CUPS_MEND_SYMBOL in src/app/striae-cups-compat.c):
 * whether libcups' own httpUpdate() was found behind the mend, that is whether printing
 * through GTK can work. */
G_MODULE_EXPORT gboolean striae_cups_mend_ready (void);

gboolean
striae_cups_mend_ready (void)
{
  return get_libcups_update () != NULL;
}
