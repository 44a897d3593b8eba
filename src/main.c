/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "striae-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(StriaeApplication) app = NULL;
  const char *localedir = g_getenv ("STRIAE_LOCALEDIR");

  /* STRIAE_LOCALEDIR lets a build that is not installed find its translations
   * (./striae-dev run and the tests point it at <build>/po). */
  if (localedir == NULL || localedir[0] == '\0')
    localedir = LOCALEDIR;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = striae_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
