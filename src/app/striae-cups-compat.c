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
 * The executable exports this httpUpdate() (striae-cups-compat.list), so GTK's print backend,
 * which is loaded later, calls it instead of libcups' own. It reads the waiting reply the way
 * the fixed libcups does — in blocking mode, and only when the socket already has data — and
 * leaves every other call to libcups unchanged. With a fixed libcups it changes nothing. */
#define _GNU_SOURCE
#include "config.h"

#include <cups/cups.h>
#include <dlfcn.h>

#include "striae-cups-compat.h"

typedef http_status_t (*HttpUpdateFunc) (http_t *http);

static gpointer
find_libcups_update (gpointer data)
{
  return dlsym (RTLD_NEXT, "httpUpdate");
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

/**
 * striae_cups_compat_ensure:
 *
 * Makes sure the mend above is linked in (it is reached by no call of ours otherwise) and that
 * libcups' own httpUpdate() can be found behind it.
 *
 * Returns: %TRUE when printing through GTK can work
 */
gboolean
striae_cups_compat_ensure (void)
{
  return get_libcups_update () != NULL;
}
