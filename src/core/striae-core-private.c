/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>

#include "striae-core-private.h"
#include "striae-patient.h"

/* Text from a form arrives with stray spaces and in whichever normal form the input method
 * produced; one canonical form (NFC, trimmed) keeps comparison honest. Invalid UTF-8 is kept
 * as it came so that validation can refuse it rather than hide it. */
char *
striae_core_normalize_text (const char *text)
{
  g_autofree char *normal = NULL;

  if (text == NULL)
    return g_strdup ("");

  if (!g_utf8_validate (text, -1, NULL))
    return g_strdup (text);

  normal = g_utf8_normalize (text, -1, G_NORMALIZE_NFC);
  return g_strdup (g_strstrip (normal));
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

gboolean
striae_core_check_iso_date (const char  *text,
                            gboolean     allow_empty,
                            GDate       *date,
                            GError     **error)
{
  GDate local;

  if (date == NULL)
    date = &local;

  g_date_clear (date, 1);
  if (allow_empty && (text == NULL || text[0] == '\0'))
    return TRUE;

  return striae_parse_date (text, date, error);
}
