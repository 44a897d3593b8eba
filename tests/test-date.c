/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <locale.h>

#include "striae-core-error.h"
#include "striae-date.h"

/* What a person types in each locale and the day it must mean; NULL when it must be
 * refused. Day and month are never swapped: a date either means the locale's reading or is
 * refused with one sentence. */
typedef struct
{
  const char *locale;
  const char *text;
  const char *iso;
} DateCase;

static const DateCase cases[] = {
  /* Year first is year-month-day everywhere. */
  { "C.UTF-8", "1991-03-14", "1991-03-14" },
  { "C.UTF-8", " 1991-3-4 ", "1991-03-04" },
  { "C.UTF-8", "1991/03/14", "1991-03-14" },
  { "C.UTF-8", "2024-02-29", "2024-02-29" },
  { "C.UTF-8", "2023-02-29", NULL },
  { "C.UTF-8", "1991-14-03", NULL },
  /* The C locale has no usual form a person writes: year first only. */
  { "C.UTF-8", "14.03.1991", NULL },
  { "C.UTF-8", "03/14/1991", NULL },
  { "de_DE.UTF-8", "14.03.1991", "1991-03-14" },
  { "de_DE.UTF-8", "4.3.1991", "1991-03-04" },
  { "de_DE.UTF-8", "03.04.1991", "1991-04-03" },
  { "de_DE.UTF-8", "1991-03-14", "1991-03-14" },
  { "de_DE.UTF-8", "14/03/1991", "1991-03-14" },   /* only one reading */
  { "de_DE.UTF-8", "03/04/1991", NULL },           /* a US form? two readings */
  { "de_DE.UTF-8", "03/14/1991", NULL },           /* month 14: never swapped */
  { "de_DE.UTF-8", "31.02.1991", NULL },
  { "de_DE.UTF-8", "14.03.91", NULL },             /* 1891, 1991 or 2091 */
  { "de_DE.UTF-8", "14.03.1991.", NULL },
  { "de_DE.UTF-8", "14.03/1991", NULL },
  { "de_DE.UTF-8", "14. März 1991", NULL },
  { "en_US.UTF-8", "03/14/1991", "1991-03-14" },
  { "en_US.UTF-8", "04/03/1991", "1991-04-03" },
  { "en_US.UTF-8", "3/4/1991", "1991-03-04" },
  { "en_US.UTF-8", "14/03/1991", NULL },           /* never swapped */
  { "en_US.UTF-8", "14.03.1991", NULL },
  { "en_US.UTF-8", "04.03.1991", NULL },           /* a German form? two readings */
  { "en_US.UTF-8", "3.14.1991", "1991-03-14" },
  { "en_US.UTF-8", "03/14/91", NULL },
  { "en_GB.UTF-8", "14/03/1991", "1991-03-14" },
  { "en_GB.UTF-8", "03/04/1991", "1991-04-03" },
  { "en_GB.UTF-8", "03/14/1991", NULL },
  { "en_GB.UTF-8", "14/03/91", NULL },
  { "fr_FR.UTF-8", "14/03/1991", "1991-03-14" },
  { "fr_FR.UTF-8", "01/02/2000", "2000-02-01" },
  { "fr_FR.UTF-8", "14.03.1991", "1991-03-14" },
  { "fr_FR.UTF-8", "01.02.2000", NULL },
  { "fr_FR.UTF-8", "29/02/2023", NULL },
  { "es_ES.UTF-8", "14/03/1991", "1991-03-14" },
  { "es_ES.UTF-8", "1/2/2000", "2000-02-01" },
  { "es_ES.UTF-8", "02/13/2000", NULL },
  { "es_ES.UTF-8", "", NULL },
};

/* The locale's usual form of 23 April 1985, as the calendar button writes it. */
static const struct
{
  const char *locale;
  const char *local;
} forms[] = {
  { "C.UTF-8", "1985-04-23" },
  { "de_DE.UTF-8", "23.04.1985" },
  { "en_US.UTF-8", "04/23/1985" },
  { "en_GB.UTF-8", "23/04/1985" },
  { "fr_FR.UTF-8", "23/04/1985" },
  { "es_ES.UTF-8", "23/04/1985" },
};

static gboolean
use_locale (const char *locale)
{
  if (setlocale (LC_TIME, locale) != NULL)
    return TRUE;

  g_test_message ("locale %s is not installed (install locales-all)", locale);
  return FALSE;
}

static void
test_parse (void)
{
  guint skipped = 0;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const DateCase *tc = &cases[i];
      g_autoptr(GError) error = NULL;
      GDate date;

      if (!use_locale (tc->locale))
        {
          skipped++;
          continue;
        }

      if (tc->iso != NULL)
        {
          g_autofree char *iso = NULL;

          if (!striae_parse_date (tc->text, &date, &error))
            g_error ("%s: “%s” refused: %s", tc->locale, tc->text, error->message);
          iso = striae_format_iso_date (&date);
          g_assert_cmpstr (iso, ==, tc->iso);
        }
      else
        {
          if (striae_parse_date (tc->text, &date, &error))
            g_error ("%s: “%s” accepted as %u-%u-%u", tc->locale, tc->text,
                     g_date_get_year (&date), g_date_get_month (&date), g_date_get_day (&date));
          g_assert_nonnull (error);
          g_assert_false (g_date_valid (&date));
          /* One sentence that says how to write it. */
          g_assert_true (g_str_has_suffix (error->message, "."));
          g_test_message ("%s: “%s”: %s", tc->locale, tc->text, error->message);
        }
    }

  setlocale (LC_TIME, "C.UTF-8");
  if (skipped > 0)
    g_test_incomplete ("some locales are not installed");
}

static void
test_format_local (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (forms); i++)
    {
      g_autofree char *local = NULL;
      g_autoptr(GError) error = NULL;
      GDate date, back;

      if (!use_locale (forms[i].locale))
        continue;

      g_date_clear (&date, 1);
      g_date_set_dmy (&date, 23, G_DATE_APRIL, 1985);
      local = striae_format_local_date (&date);
      g_assert_cmpstr (local, ==, forms[i].local);

      /* What the calendar writes is read back as the same day, even an ambiguous one. */
      g_date_set_dmy (&date, 3, G_DATE_APRIL, 1991);
      g_free (local);
      local = striae_format_local_date (&date);
      g_assert_true (striae_parse_date (local, &back, &error));
      g_assert_no_error (error);
      g_assert_cmpint (g_date_compare (&date, &back), ==, 0);
    }

  setlocale (LC_TIME, "C.UTF-8");
}

/* Stored dates are ISO only, whatever the locale. */
static void
test_iso_only (void)
{
  g_autoptr(GError) error = NULL;
  GDate date;

  if (!use_locale ("de_DE.UTF-8"))
    {
      g_test_skip ("de_DE.UTF-8 is not installed");
      return;
    }

  g_assert_true (striae_parse_date ("14.03.1991", &date, NULL));
  g_assert_false (striae_parse_iso_date ("14.03.1991", &date, &error));
  g_assert_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (striae_parse_iso_date ("1991-3-14", &date, &error));
  g_assert_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (striae_parse_iso_date ("1991-03-14", &date, NULL));
  g_assert_false (striae_parse_iso_date ("", &date, &error));
  g_assert_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INCOMPLETE);
  g_clear_error (&error);
  g_assert_false (striae_parse_optional_iso_date ("14.03.1991", &date, &error));
  g_assert_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID);
  g_assert_false (g_date_valid (&date));

  setlocale (LC_TIME, "C.UTF-8");
}

/* A stored date that may be absent: "" (or no text) is no date and comes back as "";
 * a day comes back as the same text; anything else is refused. */
static void
test_optional_round_trip (void)
{
  static const char * const days[] = { "1991-03-14", "2024-02-29", "0999-12-31", "2026-01-01" };
  static const char * const refused[] = {
    " ", "1991-03-14 ", "1991-3-14", "2023-02-29", "0000-01-01", "14.03.1991", "yesterday",
  };
  g_autofree char *none = NULL;
  g_autofree char *cleared_text = NULL;
  GDate date, cleared;

  g_assert_true (striae_parse_optional_iso_date ("", &date, NULL));
  g_assert_false (g_date_valid (&date));
  g_assert_null (striae_date_or_null (&date));
  g_assert_true (striae_parse_optional_iso_date (NULL, &date, NULL));
  g_assert_false (g_date_valid (&date));

  none = striae_format_optional_iso_date (NULL);
  g_assert_cmpstr (none, ==, "");
  g_date_clear (&cleared, 1);
  cleared_text = striae_format_optional_iso_date (&cleared);
  g_assert_cmpstr (cleared_text, ==, "");

  for (guint i = 0; i < G_N_ELEMENTS (days); i++)
    {
      g_autofree char *back = NULL;
      g_autofree char *strict = NULL;

      g_assert_true (striae_parse_optional_iso_date (days[i], &date, NULL));
      g_assert_true (striae_date_or_null (&date) == &date);
      back = striae_format_optional_iso_date (&date);
      strict = striae_format_iso_date (&date);
      g_assert_cmpstr (back, ==, days[i]);
      g_assert_cmpstr (strict, ==, days[i]);
    }

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (striae_parse_optional_iso_date (refused[i], &date, &error));
      g_assert_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID);
      g_assert_false (g_date_valid (&date));
    }
}

/* What a model's date setter does with striae_date_assign(): it says whether the field
 * changed, and none is none whichever way it is given. */
static void
test_assign (void)
{
  GDate field, day, other, cleared;

  g_date_clear (&field, 1);
  g_date_clear (&cleared, 1);
  g_date_clear (&day, 1);
  g_date_set_dmy (&day, 14, G_DATE_MARCH, 1991);
  g_date_clear (&other, 1);
  g_date_set_dmy (&other, 15, G_DATE_MARCH, 1991);

  g_assert_true (striae_date_equal (NULL, NULL));
  g_assert_true (striae_date_equal (NULL, &cleared));
  g_assert_false (striae_date_equal (NULL, &day));
  g_assert_false (striae_date_equal (&day, &other));
  g_assert_true (striae_date_equal (&day, &day));

  g_assert_false (striae_date_assign (&field, NULL));
  g_assert_false (striae_date_assign (&field, &cleared));
  g_assert_true (striae_date_assign (&field, &day));
  g_assert_cmpint (g_date_compare (&field, &day), ==, 0);
  g_assert_false (striae_date_assign (&field, &day));
  g_assert_true (striae_date_assign (&field, &other));
  g_assert_cmpint (g_date_get_day (&field), ==, 15);
  g_assert_true (striae_date_assign (&field, NULL));
  g_assert_false (g_date_valid (&field));
  g_assert_null (striae_date_or_null (&field));
  g_assert_null (striae_date_or_null (NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/date/parse", test_parse);
  g_test_add_func ("/date/format-local", test_format_local);
  g_test_add_func ("/date/iso-only", test_iso_only);
  g_test_add_func ("/date/optional-round-trip", test_optional_round_trip);
  g_test_add_func ("/date/assign", test_assign);

  return g_test_run ();
}
