/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <string.h>

#include "striae-cli-batch.h"
#include "striae-test-cli.h"
#include "striae-test-date.h"
#include "striae-test-store.h"

/* striae --find-batch LOT (issue 17): the lines a manufacturer's advisory needs, on the
 * backend STRIAE_TEST_BACKEND names. */

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

  fixture->dir = g_dir_make_tmp ("striae-batch-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->location = striae_test_store_location (fixture->dir);
  fixture->store = striae_test_store_open (fixture->location);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  striae_test_store_remove (fixture->location);
  g_assert_cmpint (g_rmdir (fixture->dir), ==, 0);
  g_free (fixture->location);
  g_free (fixture->dir);
}

/* A patient with a signed consultation and a signed session on @date that received @lot;
 * the patient's id. */
static gint64
add_treated (Fixture    *fixture,
             const char *given,
             const char *family,
             const char *date,
             const char *lot)
{
  g_autoptr(StriaePatient) patient = striae_patient_new ();
  g_autoptr(StriaeConsultation) c = striae_consultation_new ();
  g_autoptr(StriaeConsultation) read = NULL;
  g_autoptr(StriaeArea) area = striae_area_new (STRIAE_BODY_SITE_ABDOMEN);
  g_autoptr(StriaeTreatmentSession) s = NULL;
  g_autoptr(StriaeSessionProduct) product = NULL;
  StriaePlan *plan = striae_consultation_get_plan (c);
  g_autoptr(GError) error = NULL;

  striae_patient_set_given_name (patient, given);
  striae_patient_set_family_name (patient, family);
  striae_patient_set_birth_date (patient, striae_test_date ("1988-05-17"));
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
  striae_consultation_set_status (c, STRIAE_CONSULTATION_STATUS_COMPLETE);
  g_assert_true (striae_store_save_consultation (fixture->store, c, "Dr Roux", &error));
  g_assert_no_error (error);
  g_assert_true (striae_store_sign_consultation (fixture->store, striae_consultation_get_id (c),
                                                 "Dr Roux", &error));
  g_assert_no_error (error);
  read = striae_store_get_consultation (fixture->store, striae_consultation_get_id (c), &error);
  g_assert_no_error (error);

  s = striae_treatment_session_new_for (read);
  striae_treatment_session_set_number (s, 1);
  striae_treatment_session_set_date (s, striae_test_date (date));
  striae_treatment_session_set_practitioner (s, "Dr Roux");
  striae_treatment_session_set_numbing_cream (s, FALSE);
  product = striae_session_product_new ("Serum\twith tab", lot, striae_test_date ("2027-12-31"));
  striae_treatment_session_add_product (s, product);
  striae_session_check_set_result (striae_treatment_session_get_check (s),
                                   STRIAE_CHECK_RESULT_CLEAR);
  g_assert_true (striae_store_save_treatment_session (fixture->store, s, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (striae_store_sign_treatment_session (fixture->store,
                                                      striae_treatment_session_get_id (s),
                                                      "Dr Roux", &error));
  g_assert_no_error (error);

  return striae_patient_get_id (patient);
}

static void
test_lines (Fixture       *fixture,
            gconstpointer  data)
{
  gint64 zoe = add_treated (fixture, "Zoë", "Ångström", "2026-03-02", "K-77");
  gint64 lee = add_treated (fixture, "Lee", "Ng", "2026-02-09", "k77");
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *text = NULL;
  g_autofree char *zoe_start = g_strdup_printf ("%" G_GINT64_FORMAT "\tÅngström\tZoë\t"
                                                "1988-05-17\t2026-03-02\t", zoe);
  g_autofree char *lee_start = g_strdup_printf ("%" G_GINT64_FORMAT "\tNg\tLee\t"
                                                "1988-05-17\t2026-02-09\t", lee);

  add_treated (fixture, "Ana", "Ruiz", "2026-02-20", "K-78");
  g_assert_true (striae_cli_find_batch (fixture->store, "K77", out, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (out, NULL, NULL));
  text = g_strndup (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)),
                    g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)));
  g_test_message ("%s", text);
  lines = g_strsplit (text, "\n", -1);

  /* By session date; a tab inside a field does not split it; the lot as recorded. */
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_true (g_str_has_prefix (lines[0], lee_start));
  g_assert_true (g_str_has_prefix (lines[1], zoe_start));
  g_assert_true (g_str_has_suffix (lines[0], "\tSerum with tab\tk77"));
  g_assert_true (g_str_has_suffix (lines[1], "\tSerum with tab\tK-77"));
  {
    g_auto(GStrv) fields = g_strsplit (lines[0], "\t", -1);

    g_assert_cmpuint (g_strv_length (fields), ==, 9);
  }
  g_assert_cmpstr (lines[2], ==, "");
}

/* The built binary: the same lines on standard output, and one sentence for an empty lot. */
static void
test_binary (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *none_out = NULL;
  g_autofree char *none_err = NULL;
  int status;

  add_treated (fixture, "Zoë", "Ångström", "2026-03-02", "K-77");
  g_clear_object (&fixture->store);

  status = run_striae (fixture->location, &out, &err, "--find-batch", "k 77", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "\tÅngström\tZoë\t1988-05-17\t2026-03-02\t"));

  status = run_striae (fixture->location, &none_out, &none_err, "--find-batch", " ", NULL);
  g_assert_cmpint (status, !=, 0);
  g_assert_nonnull (strstr (none_err, "batch or lot number"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/cli/find-batch/lines", Fixture, NULL, fixture_set_up, test_lines,
              fixture_tear_down);
  g_test_add ("/cli/find-batch/binary", Fixture, NULL, fixture_set_up, test_binary,
              fixture_tear_down);

  return g_test_run ();
}
