/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "striae-core-private.h"
#include "striae-patient.h"

/* Whether NFC may cut the text just before @c: @c is a starter that no canonical composition
 * takes as its second half, so NFC (a + b) = NFC (a) + NFC (b) whenever b begins with it.
 * That holds for everything below U+0300 (Latin letters, digits, punctuation), Greek and
 * Cyrillic letters, CJK ideographs and Hangul syllables: most of what a clinic writes. */
static gboolean
is_nfc_boundary (gunichar c)
{
  return c < 0x300 ||
         (c >= 0x370 && c <= 0x482) ||
         (c >= 0x48a && c <= 0x52f) ||
         (c >= 0x4e00 && c <= 0x9fff) ||
         (c >= 0xac00 && c <= 0xd7a3);
}

#define NFC_CHUNK_CHARS 64

/* Text from a form arrives with stray spaces and in whichever normal form the input method
 * produced; one canonical form (NFC, trimmed) keeps comparison honest. Invalid UTF-8 is kept
 * as it came so that validation can refuse it rather than hide it.
 *
 * GLib's composition step moves the rest of the text once per character it composes, which
 * takes time quadratic in the length (320 000 "é" took 12 s); normalising in pieces cut at
 * boundaries where NFC cannot reach across gives the same result in linear time. */
char *
striae_core_normalize_text (const char *text)
{
  g_autoptr(GString) out = NULL;
  const char *start;
  const char *p;
  guint n = 0;

  if (text == NULL)
    return g_strdup ("");

  if (!g_utf8_validate (text, -1, NULL))
    return g_strdup (text);

  out = g_string_sized_new (strlen (text));
  for (start = p = text; *p != '\0'; p = g_utf8_next_char (p), n++)
    {
      if (n >= NFC_CHUNK_CHARS && is_nfc_boundary (g_utf8_get_char (p)))
        {
          g_autofree char *piece = g_utf8_normalize (start, p - start, G_NORMALIZE_NFC);

          g_string_append (out, piece);
          start = p;
          n = 0;
        }
    }
  if (p > start)
    {
      g_autofree char *piece = g_utf8_normalize (start, p - start, G_NORMALIZE_NFC);

      g_string_append (out, piece);
    }

  g_strstrip (out->str);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

gboolean
striae_core_set_text (GObject     *object,
                      char       **field,
                      const char  *value,
                      GParamSpec  *pspec)
{
  g_autofree char *normal = striae_core_normalize_text (value);

  if (g_strcmp0 (*field, normal) == 0)
    return FALSE;

  g_free (*field);
  *field = g_steal_pointer (&normal);
  if (pspec != NULL)
    g_object_notify_by_pspec (object, pspec);

  return TRUE;
}

/* Enum values are stored by their nick ("upper-arms", "yes"), which mkenums derives from the
 * value's name, so stored files stay readable and do not depend on the numbering. */
const char *
striae_core_enum_to_nick (GType type,
                          int   value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *ev = g_enum_get_value (klass, value);

  return ev ? ev->value_nick : NULL;
}

gboolean
striae_core_enum_from_nick (GType       type,
                            const char *nick,
                            int        *value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *ev;

  if (nick == NULL)
    return FALSE;

  ev = g_enum_get_value_by_nick (klass, nick);
  if (ev == NULL)
    return FALSE;

  *value = ev->value;
  return TRUE;
}

gboolean
striae_core_is_quarter_mm (double mm)
{
  double quarters = mm * 4.0;

  return isfinite (mm) && fabs (quarters - round (quarters)) < 1e-6;
}
