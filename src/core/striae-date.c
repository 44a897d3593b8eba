/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <langinfo.h>
#include <locale.h>
#include <string.h>

#include "striae-core-error.h"
#include "striae-date.h"

/* Dates are stored as ISO 8601 (YYYY-MM-DD). A person may also type a date the way their
 * locale writes it: 14.03.1991 in German, 14/03/1991 in French, Spanish or British English,
 * 03/14/1991 in US English. The order of day and month comes from the locale's D_FMT
 * (nl_langinfo), never from the numbers: GDate's own parser swaps day and month when the
 * month is over 12 and takes two-digit years, so it is not used at all.
 *
 * The rules, so that a date is never read as another day without a word:
 *  - year first (1991-03-14, 1991/3/14, 1991.03.14) is always year-month-day;
 *  - year last is read in the locale's order of day and month, and only there: 14/03/1991
 *    in US English is refused, not swapped;
 *  - with a separator the locale does not use (03/04/1991 in German, 03.04.1991 in US
 *    English) the date may come from someone used to the other order, so it is refused
 *    when reading it the other way would give another valid day;
 *  - the year has four digits (a birth date in ’91 could be 1891, 1991 or 2091);
 *  - the C and POSIX locales have no usual form a person writes, so they take year first
 *    only. */

typedef enum
{
  ORDER_NONE,   /* only year first */
  ORDER_DMY,
  ORDER_MDY,
  ORDER_YMD,
} DateOrder;

typedef struct
{
  DateOrder order;
  char      separator;
} LocaleForm;

static void
get_locale_form (LocaleForm *form)
{
  const char *name = setlocale (LC_TIME, NULL);
  const char *fmt;
  char fields [3];
  guint n = 0;

  form->order = ORDER_NONE;
  form->separator = '-';

  if (name == NULL || g_str_equal (name, "C") || g_str_equal (name, "POSIX") ||
      g_str_has_prefix (name, "C."))
    return;

  fmt = nl_langinfo (D_FMT);
  if (fmt == NULL)
    return;

  for (const char *p = fmt; *p != '\0' && n < 3; p++)
    {
      if (*p != '%')
        {
          if (n == 1 && form->separator == '-' && strchr ("./-", *p) != NULL)
            form->separator = *p;
          continue;
        }

      /* Flags, width and the E and O modifiers before the conversion. */
      p++;
      while (*p != '\0' && (strchr ("-_0^#EO", *p) != NULL || g_ascii_isdigit (*p)))
        p++;

      switch (*p)
        {
        case 'd':
        case 'e':
          fields [n++] = 'd';
          break;
        case 'm':
          fields [n++] = 'm';
          break;
        case 'y':
        case 'Y':
          fields [n++] = 'y';
          break;
        case 'D':
          form->order = ORDER_MDY;
          form->separator = '/';
          return;
        case 'F':
          form->order = ORDER_YMD;
          return;
        case '\0':
          p--;
          break;
        default:
          break;
        }
    }

  if (n < 3)
    return;
  if (fields [0] == 'd' && fields [1] == 'm' && fields [2] == 'y')
    form->order = ORDER_DMY;
  else if (fields [0] == 'm' && fields [1] == 'd' && fields [2] == 'y')
    form->order = ORDER_MDY;
  else if (fields [0] == 'y')
    form->order = ORDER_YMD;
}

static char *
format_in (const LocaleForm *form,
           guint             day,
           guint             month,
           guint             year)
{
  switch (form->order)
    {
    case ORDER_DMY:
      return g_strdup_printf ("%02u%c%02u%c%04u", day, form->separator, month,
                              form->separator, year);
    case ORDER_MDY:
      return g_strdup_printf ("%02u%c%02u%c%04u", month, form->separator, day,
                              form->separator, year);
    case ORDER_NONE:
    case ORDER_YMD:
    default:
      return g_strdup_printf ("%04u-%02u-%02u", year, month, day);
    }
}

/* Reads up to @max digits; returns how many it read. */
static guint
read_number (const char **p,
             guint        max,
             guint       *value)
{
  guint n = 0;

  *value = 0;
  while (n < max + 1 && g_ascii_isdigit (**p))
    {
      *value = *value * 10 + (guint) (**p - '0');
      (*p)++;
      n++;
    }

  return n;
}

static gboolean
invalid (GError     **error,
         const char  *text)
{
  LocaleForm form;
  g_autofree char *example = NULL;

  get_locale_form (&form);
  if (form.order != ORDER_DMY && form.order != ORDER_MDY)
    {
      g_set_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
                   _("“%s” is not a valid date. Write it as year-month-day, "
                     "for example 1985-04-23."),
                   text);
      return FALSE;
    }

  example = format_in (&form, 23, 4, 1985);
  /* TRANSLATORS: the second placeholder is 23 April 1985 in the locale's usual form,
   * for example 23.04.1985 */
  g_set_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
               _("“%s” is not a valid date. Write it like %s or 1985-04-23."),
               text, example);
  return FALSE;
}

/**
 * striae_parse_iso_date:
 *
 * Only YYYY-MM-DD, a real calendar day: the form dates are stored in.
 */
gboolean
striae_parse_iso_date (const char  *text,
                       GDate       *date,
                       GError     **error)
{
  guint year, month, day;

  g_return_val_if_fail (date != NULL, FALSE);

  g_date_clear (date, 1);

  if (text == NULL || text[0] == '\0')
    {
      g_set_error_literal (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INCOMPLETE,
                           _("Enter a date."));
      return FALSE;
    }

  for (guint i = 0; i < 10; i++)
    if (text[i] == '\0' || ((i == 4 || i == 7) ? text[i] != '-' : !g_ascii_isdigit (text[i])))
      goto bad;
  if (text[10] != '\0')
    goto bad;

  year = (guint) g_ascii_strtoull (text, NULL, 10);
  month = (guint) g_ascii_strtoull (text + 5, NULL, 10);
  day = (guint) g_ascii_strtoull (text + 8, NULL, 10);
  if (g_date_valid_dmy (day, month, year))
    {
      g_date_set_dmy (date, day, month, year);
      return TRUE;
    }

bad:
  g_set_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
               _("“%s” is not a valid date. Write it as year-month-day, for example 1985-04-23."),
               text);
  return FALSE;
}

/**
 * striae_parse_date:
 *
 * A date a person typed: year-month-day, or the locale's usual form with a four-digit year
 * (see the rules at the top of this file). The error says how to write it instead.
 */
gboolean
striae_parse_date (const char  *text,
                   GDate       *date,
                   GError     **error)
{
  g_autofree char *copy = NULL;
  const char *p;
  guint value [3], digits [3];
  char separator = 0;
  LocaleForm form;
  guint day, month, year;

  g_return_val_if_fail (date != NULL, FALSE);

  g_date_clear (date, 1);

  if (text == NULL || text[0] == '\0')
    {
      g_set_error_literal (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INCOMPLETE,
                           _("Enter a date."));
      return FALSE;
    }

  copy = g_strstrip (g_strdup (text));
  p = copy;
  for (guint i = 0; i < 3; i++)
    {
      digits [i] = read_number (&p, 4, &value [i]);
      if (digits [i] == 0 || digits [i] > 4)
        return invalid (error, text);
      if (i == 2)
        break;
      if (*p == '\0' || strchr ("./-", *p) == NULL || (separator != 0 && *p != separator))
        return invalid (error, text);
      separator = *p++;
    }
  if (*p != '\0')
    return invalid (error, text);

  /* Year first: year-month-day in every locale. */
  if (digits [0] == 4)
    {
      if (digits [1] > 2 || digits [2] > 2 || !g_date_valid_dmy (value [2], value [1], value [0]))
        return invalid (error, text);
      g_date_set_dmy (date, value [2], value [1], value [0]);
      return TRUE;
    }

  get_locale_form (&form);
  if ((form.order != ORDER_DMY && form.order != ORDER_MDY) || digits [0] > 2 || digits [1] > 2)
    return invalid (error, text);

  if (digits [2] != 4)
    {
      g_autofree char *example = format_in (&form, 23, 4, 1985);

      g_set_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
                   _("“%s” has a two-digit year; write the year in full, like %s."),
                   text, example);
      return FALSE;
    }

  year = value [2];
  day = form.order == ORDER_DMY ? value [0] : value [1];
  month = form.order == ORDER_DMY ? value [1] : value [0];
  if (year < 1000 || !g_date_valid_dmy (day, month, year))
    return invalid (error, text);

  /* The other order gives another real day: ambiguous unless written the locale's way. */
  if (separator != form.separator && day != month && day <= 12)
    {
      g_autofree char *local = format_in (&form, day, month, year);
      g_autofree char *iso = g_strdup_printf ("%04u-%02u-%02u", year, month, day);

      /* TRANSLATORS: the first placeholder is what was typed, e.g. 03/04/1991; the others
       * are the date read the locale's way, e.g. 03.04.1991 and 1991-04-03 */
      g_set_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
                   _("“%s” can be read as two different days; write it as %s or %s."),
                   text, local, iso);
      return FALSE;
    }

  g_date_set_dmy (date, day, month, year);
  return TRUE;
}

/**
 * striae_parse_optional_iso_date:
 * @text: (nullable): YYYY-MM-DD, or %NULL or "" for no date
 * @date: (out): the day, or cleared for no date
 *
 * Reads a stored date that may be absent: an empty text is no date, anything else must be
 * what striae_parse_iso_date() reads.
 */
gboolean
striae_parse_optional_iso_date (const char  *text,
                                GDate       *date,
                                GError     **error)
{
  g_return_val_if_fail (date != NULL, FALSE);

  g_date_clear (date, 1);
  if (text == NULL || text[0] == '\0')
    return TRUE;

  return striae_parse_iso_date (text, date, error);
}

char *
striae_format_iso_date (const GDate *date)
{
  g_return_val_if_fail (date != NULL && g_date_valid (date), NULL);

  return g_strdup_printf ("%04u-%02u-%02u",
                          g_date_get_year (date),
                          g_date_get_month (date),
                          g_date_get_day (date));
}

/**
 * striae_format_optional_iso_date:
 * @date: (nullable): a day, or %NULL or a cleared date for none
 *
 * Returns: @date as YYYY-MM-DD, or "" when there is none: how an absent date is stored
 */
char *
striae_format_optional_iso_date (const GDate *date)
{
  if (date == NULL || !g_date_valid (date))
    return g_strdup ("");

  return striae_format_iso_date (date);
}

/**
 * striae_format_local_date:
 *
 * @date as the locale usually writes it, with a four-digit year, so that
 * striae_parse_date() reads it back as the same day: 23.04.1985, 23/04/1985 or
 * 04/23/1985; year-month-day where the locale has no such form.
 */
char *
striae_format_local_date (const GDate *date)
{
  LocaleForm form;

  g_return_val_if_fail (date != NULL && g_date_valid (date), NULL);

  get_locale_form (&form);
  return format_in (&form, g_date_get_day (date), g_date_get_month (date),
                    g_date_get_year (date));
}

/**
 * striae_date_or_null:
 * @date: (nullable): a field of the model
 *
 * Returns: (nullable): @date when it is a valid day, %NULL when there is none
 */
const GDate *
striae_date_or_null (const GDate *date)
{
  return date != NULL && g_date_valid (date) ? date : NULL;
}

/**
 * striae_date_equal:
 * @a: (nullable): a day or none
 * @b: (nullable): a day or none
 *
 * Returns: whether @a and @b are the same day, or both none
 */
gboolean
striae_date_equal (const GDate *a,
                   const GDate *b)
{
  a = striae_date_or_null (a);
  b = striae_date_or_null (b);

  if (a == NULL || b == NULL)
    return a == b;

  return g_date_compare (a, b) == 0;
}

/**
 * striae_date_assign:
 * @field: a date of the model
 * @value: (nullable): the new day, or %NULL (or a cleared date) for none
 *
 * What a model's date setter does: @field becomes @value.
 *
 * Returns: whether @field changed
 */
gboolean
striae_date_assign (GDate       *field,
                    const GDate *value)
{
  g_return_val_if_fail (field != NULL, FALSE);

  if (striae_date_equal (field, value))
    return FALSE;

  value = striae_date_or_null (value);
  if (value != NULL)
    *field = *value;
  else
    g_date_clear (field, 1);

  return TRUE;
}
