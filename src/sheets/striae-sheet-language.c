/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "striae-sheet-composer.h"
#include "striae-sheet-language.h"

#define DEFAULT_LANGUAGE "en"

/* Each language is named in itself, so that a patient can point at theirs whatever language
 * the application speaks, and a list of them reads the same in every session. */
static const struct
{
  const char *code;
  const char *name;
} language_names[] = {
  { "de", "Deutsch" },
  { "en", "English" },
  { "es", "Español" },
  { "fr", "Français" },
  { "it", "Italiano" },
  { "nl", "Nederlands" },
  { "pl", "Polski" },
  { "pt", "Português" },
  { "tr", "Türkçe" },
};

/* "de-AT", "de_at.UTF-8" and "de_AT@euro" all mean "de_AT": the language in lower case, the
 * territory in upper case, without encoding or modifier.  Returns NULL for "C", "POSIX" and
 * anything that is not a language code. */
static char *
normalize_code (const char *code)
{
  g_autofree char *copy = g_strstrip (g_strdup (code));
  gsize length = strcspn (copy, ".@");
  GString *out;
  gboolean territory = FALSE;

  copy[length] = '\0';
  if (length < 2 || g_ascii_strcasecmp (copy, "POSIX") == 0)
    return NULL;

  out = g_string_new (NULL);
  for (const char *p = copy; *p; p++)
    {
      if (*p == '-' || *p == '_')
        {
          if (territory || out->len == 0)
            break;
          territory = TRUE;
          g_string_append_c (out, '_');
        }
      else if (g_ascii_isalnum (*p))
        g_string_append_c (out, territory ? g_ascii_toupper (*p) : g_ascii_tolower (*p));
      else
        {
          g_string_free (out, TRUE);
          return NULL;
        }
    }
  if (out->len > 0 && out->str[out->len - 1] == '_')
    g_string_truncate (out, out->len - 1);
  if (out->len < 2)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

static const char *
find_code (char * const *available,
           const char   *code,
           gboolean      prefix)
{
  gsize length = strlen (code);

  for (guint i = 0; available[i] != NULL; i++)
    {
      if (!prefix && g_ascii_strcasecmp (available[i], code) == 0)
        return available[i];
      if (prefix && g_ascii_strncasecmp (available[i], code, length) == 0
          && available[i][length] == '_')
        return available[i];
    }
  return NULL;
}

/**
 * striae_sheet_pick_language:
 * @wanted: (nullable): a language code such as "de", "de_AT", "fr-CA" or "pt_BR.UTF-8", or a
 *   list of them separated by colons as in $LANGUAGE, best first
 * @fallback: (nullable): the language to use when none of @wanted has sheets, %NULL for "en"
 * @override_dir: (nullable): where the clinic's own templates are, %NULL for the default
 *
 * Picks the sheet language for a patient: the exact code when sheets exist in it (shipped or
 * the clinic's own), else its language without the territory ("de_AT" → "de"), else another
 * territory of the same language ("pt" → "pt_BR" when only that exists), else @fallback.
 *
 * Returns: (transfer full): the code of the language to load the sheets in
 */
char *
striae_sheet_pick_language (const char *wanted,
                            const char *fallback,
                            const char *override_dir)
{
  g_auto(GStrv) available = NULL;
  g_auto(GStrv) codes = NULL;

  if (fallback == NULL || *fallback == '\0')
    fallback = DEFAULT_LANGUAGE;
  if (wanted == NULL || *wanted == '\0')
    return g_strdup (fallback);

  available = striae_sheet_dup_languages (override_dir);
  codes = g_strsplit (wanted, ":", -1);
  for (guint i = 0; codes[i] != NULL; i++)
    {
      g_autofree char *code = normalize_code (codes[i]);
      g_autofree char *language = NULL;
      const char *found;

      if (code == NULL)
        continue;
      if ((found = find_code (available, code, FALSE)) != NULL)
        return g_strdup (found);

      language = g_strndup (code, strcspn (code, "_"));
      if ((found = find_code (available, language, FALSE)) != NULL
          || (found = find_code (available, language, TRUE)) != NULL)
        return g_strdup (found);
    }

  return g_strdup (fallback);
}

/**
 * striae_sheet_language_dup_name:
 * @code: (nullable): a language code, as striae_sheet_dup_languages() lists them
 *
 * Names a sheet language the same way everywhere: in that language ("Deutsch", "Español"),
 * with the territory's code after it for a regional variant ("Deutsch (de_AT)"). A language
 * Striae does not know (a clinic's own templates) keeps its code.
 *
 * Returns: (transfer full): the name to show; "" for %NULL or ""
 */
char *
striae_sheet_language_dup_name (const char *code)
{
  g_autofree char *normal = NULL;
  g_autofree char *language = NULL;

  if (code == NULL || code[0] == '\0')
    return g_strdup ("");

  normal = normalize_code (code);
  if (normal == NULL)
    return g_strdup (code);

  language = g_strndup (normal, strcspn (normal, "_"));
  for (guint i = 0; i < G_N_ELEMENTS (language_names); i++)
    if (g_str_equal (language_names[i].code, language))
      return g_str_equal (language, normal)
             ? g_strdup (language_names[i].name)
             : g_strdup_printf ("%s (%s)", language_names[i].name, normal);

  return g_strdup (code);
}
