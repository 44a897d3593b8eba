/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>

#include "striae-application.h"

/* Everything the command line says on standard error starts with "striae: ", also what
 * GApplication says itself when it cannot parse the options ("Unknown option --bogus"). */
static void
print_error_line (const char *text)
{
  /* TRANSLATORS: how errors of the command line start; %s is the message */
  g_autofree char *prefix = g_strdup_printf (_("striae: %s\n"), "");
  g_autofree char *line = NULL;

  g_strchomp (prefix);
  if (g_str_has_prefix (text, prefix))
    {
      fputs (text, stderr);
    }
  else
    {
      line = g_strchomp (g_strdup (text));
      fprintf (stderr, _("striae: %s\n"), line);
    }
  fflush (stderr);
}

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

  g_set_printerr_handler (print_error_line);
  app = striae_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
