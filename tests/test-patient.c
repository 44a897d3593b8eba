/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "striae-core-error.h"
#include "striae-core-private.h"
#include "striae-patient.h"
#include "striae-test-date.h"

static void
set_today (GDate *today)
{
  g_date_clear (today, 1);
  g_date_set_dmy (today, 23, G_DATE_NOVEMBER, 2026);
}

static StriaePatient *
valid_patient (void)
{
  StriaePatient *patient = striae_patient_new ();

  striae_patient_set_given_name (patient, "Zoë");
  striae_patient_set_family_name (patient, "Wiśniewska");
  striae_patient_set_birth_date (patient, striae_test_date ("1990-05-12"));
  return patient;
}

static void
test_patient_valid (void)
{
  g_autoptr(StriaePatient) patient = valid_patient ();
  g_autoptr(GError) error = NULL;
  GDate today;

  set_today (&today);
  g_assert_true (striae_patient_validate (patient, &today, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (striae_patient_get_age (patient, &today), ==, 36);
}

static void
test_patient_trims_and_normalizes (void)
{
  g_autoptr(StriaePatient) patient = striae_patient_new ();
  g_autofree char *full = NULL;

  /* "Zoe" followed by a combining diaeresis becomes the single precomposed letter. */
  striae_patient_set_given_name (patient, "  Zoe\xcc\x88 \t");
  striae_patient_set_family_name (patient, "\n O’Brien ");
  g_assert_cmpstr (striae_patient_get_given_name (patient), ==, "Zoë");
  g_assert_cmpstr (striae_patient_get_family_name (patient), ==, "O’Brien");

  full = striae_patient_dup_full_name (patient);
  g_assert_cmpstr (full, ==, "Zoë O’Brien");
}

typedef struct
{
  const char         *label;
  StriaePatientField  field;
  const char         *value;
  gboolean            valid;
} FieldCase;

static const FieldCase field_cases[] = {
  { "empty given name", STRIAE_PATIENT_FIELD_GIVEN_NAME, "", FALSE },
  { "blank given name", STRIAE_PATIENT_FIELD_GIVEN_NAME, "   ", FALSE },
  { "arabic given name", STRIAE_PATIENT_FIELD_GIVEN_NAME, "ليلى", TRUE },
  { "name with tab", STRIAE_PATIENT_FIELD_FAMILY_NAME, "Smith\tJones", FALSE },
  { "invalid utf-8", STRIAE_PATIENT_FIELD_FAMILY_NAME, "Sm\xff" "ith", FALSE },
  { "empty family name", STRIAE_PATIENT_FIELD_FAMILY_NAME, "", FALSE },
  { "no birth date", STRIAE_PATIENT_FIELD_BIRTH_DATE, "", FALSE },
  { "future birth date", STRIAE_PATIENT_FIELD_BIRTH_DATE, "2026-11-24", FALSE },
  { "born today", STRIAE_PATIENT_FIELD_BIRTH_DATE, "2026-11-23", TRUE },
  { "age 120", STRIAE_PATIENT_FIELD_BIRTH_DATE, "1906-11-24", TRUE },
  { "age 121", STRIAE_PATIENT_FIELD_BIRTH_DATE, "1905-11-23", FALSE },
  { "february 30", STRIAE_PATIENT_FIELD_BIRTH_DATE, "1990-02-30", FALSE },
  { "leap day", STRIAE_PATIENT_FIELD_BIRTH_DATE, "2000-02-29", TRUE },
  { "garbage date", STRIAE_PATIENT_FIELD_BIRTH_DATE, "yesterday-ish", FALSE },
  { "trailing junk", STRIAE_PATIENT_FIELD_BIRTH_DATE, "1990-01-01x", FALSE },
  { "empty phone", STRIAE_PATIENT_FIELD_PHONE, "", TRUE },
  { "intl phone", STRIAE_PATIENT_FIELD_PHONE, "+48 (22) 123-45-67", TRUE },
  { "letters in phone", STRIAE_PATIENT_FIELD_PHONE, "call me", FALSE },
  { "plus inside phone", STRIAE_PATIENT_FIELD_PHONE, "12+34", FALSE },
  { "two digits", STRIAE_PATIENT_FIELD_PHONE, "12", FALSE },
  { "empty email", STRIAE_PATIENT_FIELD_EMAIL, "", TRUE },
  { "plain email", STRIAE_PATIENT_FIELD_EMAIL, "zoe.w@example.co.uk", TRUE },
  { "no at", STRIAE_PATIENT_FIELD_EMAIL, "zoe.example.com", FALSE },
  { "two ats", STRIAE_PATIENT_FIELD_EMAIL, "a@b@example.com", FALSE },
  { "no dot", STRIAE_PATIENT_FIELD_EMAIL, "zoe@localhost", FALSE },
  { "empty label", STRIAE_PATIENT_FIELD_EMAIL, "zoe@example..com", FALSE },
  { "space", STRIAE_PATIENT_FIELD_EMAIL, "zo e@example.com", FALSE },
  { "language de", STRIAE_PATIENT_FIELD_LANGUAGE, "de", TRUE },
  { "language pt_BR", STRIAE_PATIENT_FIELD_LANGUAGE, "pt_BR", TRUE },
  { "language German", STRIAE_PATIENT_FIELD_LANGUAGE, "German", FALSE },
  { "multi-line notes", STRIAE_PATIENT_FIELD_NOTES, "Line one\nLine two", TRUE },
};

/* @value as the patient form hands it to the model. The date of birth is read where it is
 * typed (striae_parse_date()): a text that is not a date never reaches the model, which then
 * has none, and the sentence is the reader's. */
static gboolean
set_field (StriaePatient       *patient,
           StriaePatientField   field,
           const char          *value,
           GError             **error)
{
  static const char *names[] = {
    "given-name", "family-name", "birth-date", "sex", "phone", "email", "language", "notes",
  };

  if (field == STRIAE_PATIENT_FIELD_BIRTH_DATE)
    {
      gboolean ok;
      GDate date;

      g_date_clear (&date, 1);
      ok = value[0] == '\0' || striae_parse_date (value, &date, error);
      striae_patient_set_birth_date (patient, &date);
      return ok;
    }

  g_object_set (patient, names[field], value, NULL);
  return TRUE;
}

static void
test_patient_field_cases (void)
{
  GDate today;

  set_today (&today);

  for (guint i = 0; i < G_N_ELEMENTS (field_cases); i++)
    {
      const FieldCase *c = &field_cases[i];
      g_autoptr(StriaePatient) patient = valid_patient ();
      g_autoptr(GError) error = NULL;
      StriaePatientField bad = STRIAE_PATIENT_N_FIELDS;
      gboolean ok;

      g_test_message ("case: %s", c->label);
      ok = set_field (patient, c->field, c->value, &error) &&
           striae_patient_check_field (patient, c->field, &today, &error);
      g_assert_cmpint (ok, ==, c->valid);

      if (c->valid)
        {
          g_assert_no_error (error);
          continue;
        }

      g_assert_true (error != NULL && error->domain == STRIAE_CORE_ERROR);
      g_assert_cmpstr (error->message, !=, "");
      g_clear_error (&error);
      g_assert_false (striae_patient_validate (patient, &today, &bad, &error));
      g_assert_cmpint (bad, ==, c->field);
    }
}

static void
test_patient_name_length (void)
{
  g_autoptr(StriaePatient) patient = valid_patient ();
  g_autoptr(GString) name = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  /* The limit counts characters, not bytes: 100 two-byte letters are fine. */
  for (guint i = 0; i < STRIAE_PATIENT_NAME_MAX; i++)
    g_string_append (name, "ż");
  striae_patient_set_family_name (patient, name->str);
  g_assert_true (striae_patient_check_field (patient, STRIAE_PATIENT_FIELD_FAMILY_NAME,
                                             NULL, &error));
  g_assert_no_error (error);

  g_string_append (name, "a");
  striae_patient_set_family_name (patient, name->str);
  g_assert_false (striae_patient_check_field (patient, STRIAE_PATIENT_FIELD_FAMILY_NAME,
                                              NULL, &error));
  g_assert_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID);
}

static void
test_patient_copy_and_notify (void)
{
  g_autoptr(StriaePatient) patient = valid_patient ();
  g_autoptr(StriaePatient) copy = NULL;
  guint notified = 0;

  striae_patient_set_sex (patient, STRIAE_SEX_FEMALE);
  copy = striae_patient_copy (patient);
  g_assert_cmpstr (striae_patient_get_family_name (copy), ==, "Wiśniewska");
  g_assert_cmpint (striae_patient_get_sex (copy), ==, STRIAE_SEX_FEMALE);

  g_signal_connect_swapped (copy, "notify::phone", G_CALLBACK (g_nullify_pointer), &notified);
  notified = 1;
  striae_patient_set_phone (copy, "  ");
  g_assert_cmpint (notified, ==, 1); /* "  " trims to "", the value it had: no notify */
  striae_patient_set_phone (copy, "123 456");
  g_assert_cmpint (notified, ==, 0);

  g_assert_finalize_object (g_steal_pointer (&copy));
}

static void
count_cb (guint *count)
{
  (*count)++;
}

/* The date of birth is a GDate property: set and read as one, notified when it changes and
 * only then, copied with the patient, and none is %NULL. */
static void
test_patient_birth_date (void)
{
  g_autoptr(StriaePatient) patient = valid_patient ();
  g_autoptr(StriaePatient) copy = NULL;
  g_autoptr(GDate) read = NULL;
  guint notified = 0;
  GDate day, cleared;

  striae_assert_date (striae_patient_get_birth_date (patient), "1990-05-12");
  g_object_get (patient, "birth-date", &read, NULL);
  g_assert_nonnull (read);
  g_assert_cmpint (g_date_compare (read, striae_patient_get_birth_date (patient)), ==, 0);

  g_signal_connect_swapped (patient, "notify::birth-date", G_CALLBACK (count_cb), &notified);
  striae_patient_set_birth_date (patient, striae_test_date ("1990-05-12"));
  g_assert_cmpuint (notified, ==, 0); /* the same day: no notify */

  g_date_clear (&day, 1);
  g_date_set_dmy (&day, 13, G_DATE_MAY, 1990);
  g_object_set (patient, "birth-date", &day, NULL);
  g_assert_cmpuint (notified, ==, 1);
  striae_assert_date (striae_patient_get_birth_date (patient), "1990-05-13");

  copy = striae_patient_copy (patient);
  striae_assert_date (striae_patient_get_birth_date (copy), "1990-05-13");

  striae_patient_set_birth_date (patient, NULL);
  g_assert_cmpuint (notified, ==, 2);
  g_assert_null (striae_patient_get_birth_date (patient));
  g_clear_pointer (&read, g_date_free);
  g_object_get (patient, "birth-date", &read, NULL);
  g_assert_null (read);
  g_assert_cmpint (striae_patient_get_age (patient, &day), ==, -1);

  /* A cleared date is none as well. */
  g_date_clear (&cleared, 1);
  striae_patient_set_birth_date (copy, &cleared);
  g_assert_null (striae_patient_get_birth_date (copy));
}

static void
test_parse_date (void)
{
  GDate date;
  g_autofree char *iso = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (striae_parse_date ("2024-02-29", &date, &error));
  g_assert_no_error (error);
  iso = striae_format_iso_date (&date);
  g_assert_cmpstr (iso, ==, "2024-02-29");

  g_assert_false (striae_parse_date ("2023-02-29", &date, &error));
  g_assert_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_false (striae_parse_date ("", &date, &error));
  g_assert_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INCOMPLETE);
}

/* Normalising in pieces gives what normalising the whole text at once gives, on text mixing
 * the characters where pieces are cut with ones that compose across them: combining marks
 * of different classes, Hangul jamo and syllables, Greek, Cyrillic, Devanagari. */
static void
test_normalize_pieces (void)
{
  static const char * const alphabet[] = {
    "e", "E", " ", "\t", ".", "\xc3\xa9" /* é */, "\xcc\x81" /* U+0301 */,
    "\xcc\xa3" /* U+0323 */, "\xcd\x85" /* U+0345 */, "\xe1\x84\x80" /* U+1100 L */,
    "\xe1\x85\xa1" /* U+1161 V */, "\xe1\x86\xa8" /* U+11A8 T */,
    "\xea\xb0\x80" /* 가 */, "\xce\xb1" /* α */, "\xce\xac" /* ά */,
    "\xd0\xb8" /* и */, "\xcc\x86" /* U+0306 */, "\xe0\xa4\x95" /* क */,
    "\xe0\xa4\xbc" /* U+093C */, "\xe4\xb8\xad" /* 中 */, "\xe2\x84\xab" /* Å sign */,
  };
  GRand *rand = g_rand_new_with_seed (4242);

  for (guint i = 0; i < 3000; i++)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      g_autofree char *whole = NULL;
      g_autofree char *pieces = NULL;
      guint length = g_rand_int_range (rand, 0, 400);

      for (guint j = 0; j < length; j++)
        g_string_append (text, alphabet[g_rand_int_range (rand, 0, G_N_ELEMENTS (alphabet))]);

      whole = g_utf8_normalize (text->str, -1, G_NORMALIZE_NFC);
      g_strstrip (whole);
      pieces = striae_core_normalize_text (text->str);
      g_assert_cmpstr (pieces, ==, whole);
    }
  g_rand_free (rand);
}

/* 320 000 "é" took 12 s in one piece. */
static void
test_normalize_linear (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *normal = NULL;
  gint64 start;

  for (guint i = 0; i < 320000; i++)
    g_string_append (text, "\xc3\xa9");

  start = g_get_monotonic_time ();
  normal = striae_core_normalize_text (text->str);
  g_test_message ("320 000 “é” normalised in %" G_GINT64_FORMAT " ms",
                  (g_get_monotonic_time () - start) / 1000);
  g_assert_cmpstr (normal, ==, text->str);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
}

/* Whose record it is, as headers show it: the full name and the age on the day given. */
static void
test_patient_title (void)
{
  g_autoptr(StriaePatient) patient = striae_patient_new ();
  g_autofree char *before = NULL;
  g_autofree char *on = NULL;
  g_autofree char *unknown = NULL;
  GDate today;

  striae_patient_set_given_name (patient, "Inès");
  striae_patient_set_family_name (patient, "Okafor");
  g_date_set_dmy (&today, 13, G_DATE_MARCH, 2026);
  unknown = striae_patient_dup_title (patient, &today);
  g_assert_cmpstr (unknown, ==, "Inès Okafor");

  striae_patient_set_birth_date (patient, striae_test_date ("1988-03-14"));
  before = striae_patient_dup_title (patient, &today);
  g_assert_cmpstr (before, ==, "Inès Okafor · 37");
  g_date_set_dmy (&today, 14, G_DATE_MARCH, 2026);
  on = striae_patient_dup_title (patient, &today);
  g_assert_cmpstr (on, ==, "Inès Okafor · 38");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/patient/valid", test_patient_valid);
  g_test_add_func ("/patient/title", test_patient_title);
  g_test_add_func ("/patient/trims-and-normalizes", test_patient_trims_and_normalizes);
  g_test_add_func ("/patient/field-cases", test_patient_field_cases);
  g_test_add_func ("/patient/name-length", test_patient_name_length);
  g_test_add_func ("/patient/copy-and-notify", test_patient_copy_and_notify);
  g_test_add_func ("/patient/birth-date", test_patient_birth_date);
  g_test_add_func ("/patient/parse-date", test_parse_date);
  g_test_add_func ("/patient/normalize/pieces", test_normalize_pieces);
  g_test_add_func ("/patient/normalize/linear", test_normalize_linear);

  return g_test_run ();
}
