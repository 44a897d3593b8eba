/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "striae-json-private.h"

/* A check of JSON text against RFC 8259 before json-glib reads it. json-glib is lenient where
 * a file from elsewhere must not be: it takes comments, single quotes and a second object
 * after the first, cuts a string at an escaped NUL, keeps the last of two members of the
 * same name, clamps numbers it cannot hold and recurses once per level of nesting (80 000
 * levels overflow the stack). This scan is linear in the length of the text, recurses no
 * deeper than @max_depth and refuses each of those with the JSON path where it is. */

/* No member of a Striae document has a longer name; a longer one is refused here so that
 * paths in messages stay short. */
#define MEMBER_NAME_MAX 100

typedef struct
{
  const StriaeJsonReader *reader;
  const char             *start;
  const char             *p;
  const char             *end;
  guint                   max_depth;
  GString                *path;
} Scan;

static gboolean scan_value (Scan    *scan,
                            guint    depth,
                            GError **error);

static gboolean
scan_fail (Scan        *scan,
           GError     **error,
           const char  *what)
{
  return scan->reader->fail (error, scan->path->str, what);
}

static gboolean
at_end (Scan *scan)
{
  return scan->p >= scan->end;
}

static gboolean
scan_malformed (Scan    *scan,
                GError **error)
{
  g_autofree char *what = NULL;

  if (at_end (scan))
    return scan_fail (scan, error, _("the JSON text ends too early."));

  what = g_strdup_printf (_("the JSON text is malformed at byte %" PRIu64 "."),
                          (guint64) (scan->p - scan->start + 1));
  return scan_fail (scan, error, what);
}

/* Something other than what JSON allows here: name the extensions json-glib would have
 * taken, since a file that uses them was most likely written by hand. */
static gboolean
scan_unexpected (Scan    *scan,
                 GError **error)
{
  if (!at_end (scan) && *scan->p == '/')
    return scan_fail (scan, error, _("comments are not allowed in JSON."));
  if (!at_end (scan) && *scan->p == '\'')
    return scan_fail (scan, error, _("text must be in double quotes, not single quotes."));

  return scan_malformed (scan, error);
}

static void
skip_space (Scan *scan)
{
  while (!at_end (scan) &&
         (*scan->p == ' ' || *scan->p == '\t' || *scan->p == '\n' || *scan->p == '\r'))
    scan->p++;
}

static gboolean
expect (Scan     *scan,
        char      c,
        GError  **error)
{
  skip_space (scan);
  if (at_end (scan) || *scan->p != c)
    return scan_unexpected (scan, error);

  scan->p++;
  skip_space (scan);
  return TRUE;
}

/* Reads the four hex digits of a \u escape. */
static gboolean
scan_hex4 (Scan     *scan,
           gunichar *value)
{
  *value = 0;
  if (scan->end - scan->p < 4)
    return FALSE;

  for (guint i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value (scan->p[i]);

      if (digit < 0)
        return FALSE;
      *value = *value * 16 + digit;
    }
  scan->p += 4;

  return TRUE;
}

/* After the "\u" of an escape: one character, or a UTF-16 surrogate pair. */
static gboolean
scan_unicode_escape (Scan      *scan,
                     gunichar  *c,
                     GError   **error)
{
  gunichar low;

  if (!scan_hex4 (scan, c))
    return scan_fail (scan, error,
                      _("the text holds an escape sequence that JSON does not know."));
  if (*c == 0)
    return scan_fail (scan, error, _("the text holds a NUL character (\\u0000)."));
  if (*c >= 0xdc00 && *c <= 0xdfff)
    return scan_fail (scan, error, _("the text holds half of a UTF-16 surrogate pair."));
  if (*c < 0xd800 || *c > 0xdbff)
    return TRUE;

  if (scan->end - scan->p < 2 || scan->p[0] != '\\' || scan->p[1] != 'u')
    return scan_fail (scan, error, _("the text holds half of a UTF-16 surrogate pair."));
  scan->p += 2;
  if (!scan_hex4 (scan, &low) || low < 0xdc00 || low > 0xdfff)
    return scan_fail (scan, error, _("the text holds half of a UTF-16 surrogate pair."));

  *c = 0x10000 + ((*c - 0xd800) << 10) + (low - 0xdc00);
  return TRUE;
}

static gboolean
scan_escape (Scan     *scan,
             GString  *decoded,
             GError  **error)
{
  static const char escapes[] = "\"\"\\\\//b\bf\fn\nr\rt\t";
  gunichar c;

  scan->p++;
  if (at_end (scan))
    return scan_malformed (scan, error);

  if (*scan->p == 'u')
    {
      scan->p++;
      if (!scan_unicode_escape (scan, &c, error))
        return FALSE;
      if (decoded != NULL)
        g_string_append_unichar (decoded, c);
      return TRUE;
    }

  for (guint i = 0; escapes[i] != '\0'; i += 2)
    if (*scan->p == escapes[i])
      {
        if (decoded != NULL)
          g_string_append_c (decoded, escapes[i + 1]);
        scan->p++;
        return TRUE;
      }

  return scan_fail (scan, error, _("the text holds an escape sequence that JSON does not know."));
}

/* Reads a string from its opening quote; appends its characters to @decoded unless that is
 * %NULL. */
static gboolean
scan_string (Scan     *scan,
             GString  *decoded,
             GError  **error)
{
  scan->p++;
  while (!at_end (scan))
    {
      guchar c = *scan->p;
      gunichar wide;

      if (c == '"')
        {
          scan->p++;
          return TRUE;
        }
      if (c < 0x20)
        return scan_fail (scan, error, _("the text holds a control character that JSON "
                                         "requires to be escaped."));
      if (c == '\\')
        {
          if (!scan_escape (scan, decoded, error))
            return FALSE;
          continue;
        }
      if (c < 0x80)
        {
          if (decoded != NULL)
            g_string_append_c (decoded, c);
          scan->p++;
          continue;
        }

      wide = g_utf8_get_char_validated (scan->p, scan->end - scan->p);
      if (wide == (gunichar) -1 || wide == (gunichar) -2)
        return scan_fail (scan, error, _("the text is not valid UTF-8."));
      if (decoded != NULL)
        g_string_append_unichar (decoded, wide);
      scan->p = g_utf8_next_char (scan->p);
    }

  return scan_malformed (scan, error);
}

static void
skip_digits (Scan *scan)
{
  while (!at_end (scan) && g_ascii_isdigit (*scan->p))
    scan->p++;
}

static gboolean
scan_digits (Scan *scan)
{
  if (at_end (scan) || !g_ascii_isdigit (*scan->p))
    return FALSE;

  skip_digits (scan);
  return TRUE;
}

/* A number as RFC 8259 writes it, which must also fit what json-glib makes of it: a
 * 64-bit integer when it has neither fraction nor exponent, else a finite double. */
static gboolean
scan_number (Scan    *scan,
             GError **error)
{
  const char *begin = scan->p;
  g_autofree char *literal = NULL;
  gboolean integer = TRUE;

  if (*scan->p == '-')
    scan->p++;
  if (!at_end (scan) && *scan->p == '0')
    scan->p++;
  else if (!scan_digits (scan))
    return scan_malformed (scan, error);

  if (!at_end (scan) && *scan->p == '.')
    {
      integer = FALSE;
      scan->p++;
      if (!scan_digits (scan))
        return scan_malformed (scan, error);
    }
  if (!at_end (scan) && (*scan->p == 'e' || *scan->p == 'E'))
    {
      integer = FALSE;
      scan->p++;
      if (!at_end (scan) && (*scan->p == '+' || *scan->p == '-'))
        scan->p++;
      if (!scan_digits (scan))
        return scan_malformed (scan, error);
    }

  literal = g_strndup (begin, scan->p - begin);
  errno = 0;
  if (integer)
    g_ascii_strtoll (literal, NULL, 10);
  else if (!isfinite (g_ascii_strtod (literal, NULL)))
    errno = ERANGE;

  if (errno != 0)
    return scan_fail (scan, error, _("this number is too large or too small to be kept "
                                     "exactly."));

  return TRUE;
}

static gboolean
scan_word (Scan        *scan,
           const char  *word,
           GError     **error)
{
  gsize length = strlen (word);

  if ((gsize) (scan->end - scan->p) < length || memcmp (scan->p, word, length) != 0)
    return scan_unexpected (scan, error);

  scan->p += length;
  return TRUE;
}

/* After a member or an element: a comma leads to the next one, @closer ends the container
 * (*done), anything else is an error. */
static gboolean
scan_next (Scan      *scan,
           char       closer,
           gboolean  *done,
           GError   **error)
{
  skip_space (scan);
  *done = !at_end (scan) && *scan->p == closer;
  if (*done)
    {
      scan->p++;
      return TRUE;
    }
  if (!at_end (scan) && *scan->p == ',')
    {
      scan->p++;
      skip_space (scan);
      return TRUE;
    }
  return scan_unexpected (scan, error);
}

static gboolean
scan_object (Scan    *scan,
             guint    depth,
             GError **error)
{
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GString) name = g_string_new (NULL);
  gsize base = scan->path->len;
  gboolean done;

  if (!expect (scan, '{', error))
    return FALSE;
  if (!at_end (scan) && *scan->p == '}')
    {
      scan->p++;
      return TRUE;
    }

  while (TRUE)
    {
      if (at_end (scan) || *scan->p != '"')
        return scan_unexpected (scan, error);

      g_string_truncate (name, 0);
      if (!scan_string (scan, name, error))
        return FALSE;
      if (g_utf8_strlen (name->str, name->len) > MEMBER_NAME_MAX)
        {
          g_autofree char *what =
            g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "a member name is longer than %u character.",
                                          "a member name is longer than %u characters.",
                                          MEMBER_NAME_MAX),
                             MEMBER_NAME_MAX);

          return scan_fail (scan, error, what);
        }

      g_string_append_c (scan->path, '.');
      g_string_append (scan->path, name->str);
      if (!g_hash_table_add (names, g_strdup (name->str)))
        return scan_fail (scan, error, _("this member appears twice in its object."));

      if (!expect (scan, ':', error) || !scan_value (scan, depth, error))
        return FALSE;
      g_string_truncate (scan->path, base);

      if (!scan_next (scan, '}', &done, error))
        return FALSE;
      if (done)
        return TRUE;
    }
}

static gboolean
scan_array (Scan    *scan,
            guint    depth,
            GError **error)
{
  gsize base = scan->path->len;
  gboolean done;

  if (!expect (scan, '[', error))
    return FALSE;
  if (!at_end (scan) && *scan->p == ']')
    {
      scan->p++;
      return TRUE;
    }

  for (guint64 i = 0; ; i++)
    {
      g_string_append_printf (scan->path, "[%" G_GUINT64_FORMAT "]", i);
      if (!scan_value (scan, depth, error))
        return FALSE;
      g_string_truncate (scan->path, base);

      if (!scan_next (scan, ']', &done, error))
        return FALSE;
      if (done)
        return TRUE;
    }
}

/* One value, whose containers may open @depth more levels at most. */
static gboolean
scan_value (Scan    *scan,
            guint    depth,
            GError **error)
{
  skip_space (scan);
  if (at_end (scan))
    return scan_malformed (scan, error);

  if (*scan->p == '{' || *scan->p == '[')
    {
      if (depth >= scan->max_depth)
        {
          g_autofree char *what =
            g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "the data is nested more than %u level deep.",
                                          "the data is nested more than %u levels deep.",
                                          scan->max_depth),
                             scan->max_depth);

          return scan_fail (scan, error, what);
        }
      return *scan->p == '{' ? scan_object (scan, depth + 1, error)
                             : scan_array (scan, depth + 1, error);
    }

  switch (*scan->p)
    {
    case '"':
      return scan_string (scan, NULL, error);
    case 't':
      return scan_word (scan, "true", error);
    case 'f':
      return scan_word (scan, "false", error);
    case 'n':
      return scan_word (scan, "null", error);
    case '-':
    case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
      return scan_number (scan, error);
    default:
      return scan_unexpected (scan, error);
    }
}

/**
 * striae_json_check_strict:
 * @json: the text
 * @length: its length in bytes, or -1 when it ends with a NUL byte
 * @max_depth: how many levels of objects and lists may nest (the document's root is one)
 *
 * Checks that @json is one JSON value as RFC 8259 defines it and nothing else: valid UTF-8,
 * no comments or single quotes, no text after the value, and, beyond the RFC, none of what
 * json-glib would read differently from the text (a NUL character in a string, two members
 * of the same name in an object, a number it cannot hold) and no deeper nesting than
 * @max_depth. On failure @error is set through @reader with the JSON path of the offending
 * place.
 */
gboolean
striae_json_check_strict (const StriaeJsonReader  *reader,
                          const char              *json,
                          gssize                   length,
                          guint                    max_depth,
                          GError                 **error)
{
  g_autoptr(GString) path = g_string_new ("$");
  Scan scan = { reader, json, json, json + (length < 0 ? strlen (json) : (gsize) length),
                max_depth, path };

  if (!scan_value (&scan, 0, error))
    return FALSE;

  skip_space (&scan);
  if (!at_end (&scan))
    return scan_fail (&scan, error, _("more data follows the end of the JSON text."));

  return TRUE;
}
