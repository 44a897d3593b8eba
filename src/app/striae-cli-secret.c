/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "striae-cli-secret.h"

/* A secret is a line; anything longer is not one typed by a person. */
#define MAX_SECRET 1024

/* One line of standard input, without its line end. */
static StriaeSecret *
read_line (FILE *input)
{
  g_autoptr(StriaeSecret) line = g_malloc0 (MAX_SECRET + 2);
  gsize length;

  if (fgets (line, MAX_SECRET + 2, input) == NULL)
    return NULL;

  length = strcspn (line, "\r\n");
  line[length] = '\0';
  return g_steal_pointer (&line);
}

void
striae_cli_secret_free (StriaeSecret *secret)
{
  if (secret == NULL)
    return;

  explicit_bzero (secret, strlen (secret));
  g_free (secret);
}

/**
 * striae_cli_ask_secret:
 * @prompt: what is asked, on the terminal
 *
 * Asks on the terminal with the echo off, and puts it back whatever happens; without a
 * terminal, reads the first line of standard input without asking.
 *
 * Returns: (transfer full) (nullable): the secret, %NULL when none could be read
 */
StriaeSecret *
striae_cli_ask_secret (const char *prompt)
{
  struct termios saved, quiet;
  StriaeSecret *line;

  if (!isatty (STDIN_FILENO))
    return read_line (stdin);

  fputs (prompt, stderr);
  fflush (stderr);
  if (tcgetattr (STDIN_FILENO, &saved) != 0)
    return read_line (stdin);

  quiet = saved;
  quiet.c_lflag &= ~ECHO;
  quiet.c_lflag |= ECHONL;
  tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
  line = read_line (stdin);
  tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
  return line;
}

/**
 * striae_cli_read_secret:
 * @again_prompt: asked on a terminal to type the same again
 * @differ: (out): set when the two typed differ
 *
 * A new secret: on a terminal it is typed twice without echo; from a pipe it is the first
 * line, so that a script can hand it over without showing it on a command line.
 *
 * Returns: (transfer full) (nullable): the secret; %NULL when none was given (empty) or the
 *   two differ
 */
StriaeSecret *
striae_cli_read_secret (const char *prompt,
                        const char *again_prompt,
                        gboolean   *differ)
{
  g_autoptr(StriaeSecret) secret = striae_cli_ask_secret (prompt);
  g_autoptr(StriaeSecret) again = NULL;

  *differ = FALSE;
  if (secret == NULL || secret[0] == '\0')
    return NULL;
  if (!isatty (STDIN_FILENO))
    return g_steal_pointer (&secret);

  again = striae_cli_ask_secret (again_prompt);
  if (g_strcmp0 (secret, again) != 0)
    {
      *differ = TRUE;
      return NULL;
    }
  return g_steal_pointer (&secret);
}
