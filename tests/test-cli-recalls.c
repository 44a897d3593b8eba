/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <string.h>

#include "striae-cli-recalls.h"
#include "striae-test-cli.h"
#include "striae-test-date.h"
#include "striae-test-store.h"

/* striae --recalls (issue 17): the CSV a clinic mail-merges, and the refusals, on the backend
 * STRIAE_TEST_BACKEND names. */

typedef struct
{
  char        *dir;
  char        *location;
  StriaeStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("striae-recalls-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->location = striae_test_store_location (fixture->dir);
  fixture->store = striae_test_store_open (fixture->location);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *csv = g_build_filename (fixture->dir, "recalls.csv", NULL);

  g_clear_object (&fixture->store);
  striae_test_store_remove (fixture->location);
  g_remove (csv);
  g_assert_cmpint (g_rmdir (fixture->dir), ==, 0);
  g_free (fixture->location);
  g_free (fixture->dir);
}

/* A patient with a signed consultation: 3 sessions from 9 February 2026, every 4 weeks,
 * maintenance 4 months after the last (3 August 2026, a Monday like the course). */
static gint64
add_treated (Fixture    *fixture,
             const char *given,
             const char *family,
             const char *phone)
{
  g_autoptr(StriaePatient) patient = striae_patient_new ();
  g_autoptr(StriaeConsultation) c = striae_consultation_new ();
  g_autoptr(StriaeArea) area = striae_area_new (STRIAE_BODY_SITE_ABDOMEN);
  StriaePlan *plan = striae_consultation_get_plan (c);
  g_autoptr(GError) error = NULL;

  striae_patient_set_given_name (patient, given);
  striae_patient_set_family_name (patient, family);
  striae_patient_set_birth_date (patient, striae_test_date ("1988-05-17"));
  striae_patient_set_phone (patient, phone);
  striae_patient_set_email (patient, "zoe@example.org");
  g_assert_true (striae_store_add_patient (fixture->store, patient, &error));
  g_assert_no_error (error);

  striae_consultation_set_patient_id (c, striae_patient_get_id (patient));
  striae_consultation_set_date (c, striae_test_date ("2026-02-02"));
  striae_consultation_set_practitioner (c, "Dr Roux");
  for (guint q = 0; q < STRIAE_N_QUESTIONS; q++)
    striae_history_set_answer (striae_consultation_get_history (c), q, STRIAE_ANSWER_NO);
  for (guint f = 0; f < STRIAE_N_SKIN_FACTS; f++)
    striae_skin_set_fact (striae_consultation_get_skin (c), f, STRIAE_ANSWER_NO);
  striae_skin_set_fitzpatrick (striae_consultation_get_skin (c), 2);
  striae_area_set_severity (area, STRIAE_SEVERITY_MILD);
  striae_area_set_mark_type (area, STRIAE_MARK_TYPE_RUBRAE);
  striae_area_set_depth (area, 0.75);
  striae_consultation_add_area (c, area);
  striae_plan_set_device (plan, STRIAE_DEVICE_PEN);
  striae_plan_set_sessions (plan, 3);
  striae_plan_set_interval_weeks (plan, 4);
  striae_plan_set_first_session (plan, striae_test_date ("2026-02-09"));
  striae_plan_set_maintenance_months (plan, 4);
  striae_consultation_set_status (c, STRIAE_CONSULTATION_STATUS_COMPLETE);
  g_assert_true (striae_store_save_consultation (fixture->store, c, "Dr Roux", &error));
  g_assert_no_error (error);
  g_assert_true (striae_store_sign_consultation (fixture->store, striae_consultation_get_id (c),
                                                 "Dr Roux", &error));
  g_assert_no_error (error);

  return striae_patient_get_id (patient);
}

static void
test_within (void)
{
  static const struct
  {
    const char *text;
    guint       days;
  } good[] = { { "30d", 30 }, { "6w", 42 }, { "1d", 1 }, { "104w", 728 } };
  static const char * const bad[] = { "", "6", "w", "0d", "-3d", "6x", "6 w", "1000d", "6W" };
  guint days = 0;

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (striae_cli_parse_within (good[i].text, &days, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (days, ==, good[i].days);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (striae_cli_parse_within (bad[i], &days, &error));
      g_assert_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE);
      g_assert_nonnull (strstr (error->message, "30d or 6w"));
    }
}

static void
test_csv_file (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "recalls.csv", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *row = NULL;
  gint64 zoe = add_treated (fixture, "Zoë", "Åberg, Sr", "06 12 34 56 78");
  GStatBuf st;
  int status;

  add_treated (fixture, "Lee", "Ng", "");
  g_clear_object (&fixture->store);

  /* Both maintenance sessions fall on 3 August 2026: within 6 weeks of 1 July. */
  status = run_striae (fixture->location, &out, &err, "--recalls", "--within", "6w",
                       "--today", "2026-07-01", "--output", path, NULL);
  g_test_message ("%s", err);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (g_file_get_contents (path, &csv, NULL, NULL));
  g_test_message ("%s", csv);
  g_assert_true (g_utf8_validate (csv, -1, NULL));
  g_assert_true (g_str_has_prefix (csv, "family_name,given_name,date_of_birth,phone,email,"
                                        "reason,reason_text,due,patient_id,"
                                        "consultation_id\r\n"));
  row = g_strdup_printf ("\"Åberg, Sr\",Zoë,1988-05-17,06 12 34 56 78,zoe@example.org,"
                         "maintenance,");
  g_assert_nonnull (strstr (csv, row));
  g_assert_nonnull (strstr (csv, ",2026-08-03,"));
  g_assert_nonnull (strstr (csv, "\r\nNg,Lee,1988-05-17,,zoe@example.org,maintenance,"));
  g_clear_pointer (&row, g_free);
  row = g_strdup_printf (",%" G_GINT64_FORMAT ",", zoe);
  g_assert_nonnull (strstr (csv, row));
  g_assert_true (g_str_has_suffix (csv, "\r\n"));
  /* Every line ends CRLF: no bare LF. */
  for (const char *p = strchr (csv, '\n'); p != NULL; p = strchr (p + 1, '\n'))
    g_assert_cmpint (p[-1], ==, '\r');
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* Within 30 days of 1 July: nobody, the header alone, on standard output. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  status = run_striae (fixture->location, &out, &err, "--recalls", "--within", "30d",
                       "--today", "2026-07-01", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (out, ==, "family_name,given_name,date_of_birth,phone,email,reason,"
                            "reason_text,due,patient_id,consultation_id\r\n");
}

static void
test_refusals (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  g_clear_object (&fixture->store);

  status = run_striae (fixture->location, &out, &err, "--recalls", "--within", "6 weeks",
                       NULL);
  g_assert_cmpint (status, !=, 0);
  g_assert_nonnull (strstr (err, "--within takes a number of days or weeks"));
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out, g_free);

  status = run_striae (fixture->location, &out, &err, "--within", "6w", NULL);
  g_assert_cmpint (status, !=, 0);
  g_assert_nonnull (strstr (err, "--within works together with --recalls."));
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out, g_free);

  status = run_striae (fixture->location, &out, &err, "--recalls", "--today", "1 June", NULL);
  g_assert_cmpint (status, !=, 0);
  g_assert_nonnull (strstr (err, "--today takes a date"));
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out, g_free);

  /* Never over the records themselves, nor onto a folder. */
  if (striae_test_backend_is ("sqlite"))
    {
      status = run_striae (fixture->location, &out, &err, "--recalls", "--output",
                           fixture->location, NULL);
      g_assert_cmpint (status, !=, 0);
      g_assert_nonnull (err);
      g_assert_cmpint (striae_test_store_query_int (fixture->location,
                                                    "SELECT count (*) FROM patients"), ==, 0);
      g_clear_pointer (&err, g_free);
      g_clear_pointer (&out, g_free);
    }
  status = run_striae (fixture->location, &out, &err, "--recalls", "--output", fixture->dir,
                       NULL);
  g_assert_cmpint (status, !=, 0);
  g_assert_nonnull (strstr (err, fixture->dir));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/recalls/within", test_within);
  g_test_add ("/cli/recalls/csv-file", Fixture, NULL, fixture_set_up, test_csv_file,
              fixture_tear_down);
  g_test_add ("/cli/recalls/refusals", Fixture, NULL, fixture_set_up, test_refusals,
              fixture_tear_down);

  return g_test_run ();
}
