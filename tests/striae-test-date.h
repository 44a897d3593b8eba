/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "striae-date.h"

G_BEGIN_DECLS

/* Dates for the tests, written as the tables write them. The model keeps GDate; these turn a
 * test's YYYY-MM-DD into one and back, so that a case still reads as the day it is. */

#define STRIAE_TEST_DATE_SLOTS 16

/* The day @iso names (YYYY-MM-DD), or %NULL for %NULL or "" (no date); the test stops on
 * anything else. The day stays valid for the next STRIAE_TEST_DATE_SLOTS calls: long
 * enough to hand to a setter, which copies it. */
static inline const GDate *
striae_test_date (const char *iso)
{
  static GDate slots [STRIAE_TEST_DATE_SLOTS];
  static guint next;
  g_autoptr(GError) error = NULL;
  GDate *date;

  if (iso == NULL || iso[0] == '\0')
    return NULL;

  date = &slots [next++ % STRIAE_TEST_DATE_SLOTS];
  if (!striae_parse_iso_date (iso, date, &error))
    g_error ("a test's date: %s", error->message);
  return date;
}

/* Asserts that @date (a `const GDate *`, %NULL for none) is the day @iso, or none for "". */
#define striae_assert_date(date, iso)                                           \
  G_STMT_START {                                                                \
    g_autofree char *striae_test_iso_ = striae_format_optional_iso_date (date); \
    g_assert_cmpstr (striae_test_iso_, ==, (iso));                              \
  } G_STMT_END

G_END_DECLS
