/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "striae-store.h"
#include "striae-test-store.h"
#include "striae-test-date.h"

/* The record rules of session records (issue 17) on the backend STRIAE_TEST_BACKEND names:
 * draft → signed → locked → amended revision, refusals, lists, batch tracing, audit rows. */

typedef StriaeTestRecords Fixture;

/* A complete consultation of @patient (tests/striae-test-store.h): one thigh area at 1 mm
 * with a pen, 3 sessions. */
static StriaeConsultation *
add_consultation (Fixture *fixture,
                  gint64   patient)
{
  return striae_test_store_add_course (fixture->store, patient, STRIAE_SIDE_NOT_APPLICABLE, 0);
}

/* The signed consultation, as read back. */
static StriaeConsultation *
signed_consultation (Fixture *fixture,
                     gint64   patient)
{
  g_autoptr(StriaeConsultation) c = add_consultation (fixture, patient);

  return striae_test_store_sign_course (fixture->store, c);
}

static void
test_life_cycle (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(StriaeConsultation) c = signed_consultation (fixture, fixture->patient);
  g_autoptr(StriaeTreatmentSession) s = striae_test_session_new (c, 1, "2026-03-09", "AB-123");
  g_autoptr(StriaeTreatmentSession) read = NULL;
  g_autoptr(StriaeTreatmentSession) amended = NULL;
  g_autoptr(StriaeTreatmentSession) first = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  /* A draft, saved twice. */
  g_assert_true (striae_store_save_treatment_session (fixture->store, s, "Dr Roux", &error));
  g_assert_no_error (error);
  id = striae_treatment_session_get_id (s);
  g_assert_cmpint (id, >, 0);
  g_assert_cmpuint (striae_treatment_session_get_revision (s), ==, 1);
  g_assert_cmpint (striae_treatment_session_get_patient_id (s), ==, fixture->patient);
  g_assert_cmpuint (striae_treatment_session_get_consultation_revision (s), ==,
                    striae_consultation_get_revision (c));
  striae_treatment_session_set_notes (s, "Comfortable.");
  g_assert_true (striae_store_save_treatment_session (fixture->store, s, "Dr Roux", &error));
  g_assert_no_error (error);
  g_assert_cmpint (striae_test_store_count_audit (fixture->location, "session-create"), ==, 1);
  g_assert_cmpint (striae_test_store_count_audit (fixture->location, "session-update"), ==, 1);

  read = striae_store_get_treatment_session (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (striae_treatment_session_get_notes (read), ==, "Comfortable.");
  g_assert_cmpint (striae_treatment_session_get_status (read), ==,
                   STRIAE_TREATMENT_SESSION_STATUS_DRAFT);
  g_clear_object (&read);

  /* Signed, then locked: the records layer and the backend both refuse a change. */
  g_assert_true (striae_store_sign_treatment_session (fixture->store, id, "Dr Roux", &error));
  g_assert_no_error (error);
  g_assert_cmpint (striae_test_store_count_audit (fixture->location, "session-sign"), ==, 1);
  read = striae_store_get_treatment_session (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (striae_treatment_session_get_status (read), ==,
                   STRIAE_TREATMENT_SESSION_STATUS_SIGNED);
  g_assert_false (striae_store_save_treatment_session (fixture->store, s, "Dr Roux", &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_LOCKED);
  g_clear_error (&error);
  g_assert_false (striae_store_sign_treatment_session (fixture->store, id, "Dr Roux", &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_LOCKED);
  g_clear_error (&error);
  g_assert_false (striae_store_save_treatment_session (fixture->store, read, "Dr Roux",
                                                       &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (striae_test_store_try_exec (fixture->location,
                                               "UPDATE treatment_session_revisions"
                                               " SET data = '{}'"),
                   ==, STRIAE_TEST_SQL_REFUSED);

  /* Amended: a new draft revision with its reason, the signed one kept as it was. */
  g_assert_null (striae_store_amend_treatment_session (fixture->store, id, "Dr Roux", "  ",
                                                       &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID);
  g_clear_error (&error);
  amended = striae_store_amend_treatment_session (fixture->store, id, "Dr Roux",
                                                  "Lot number mistyped.", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (striae_treatment_session_get_revision (amended), ==, 2);
  g_assert_cmpstr (striae_treatment_session_get_amendment_reason (amended), ==,
                   "Lot number mistyped.");
  g_assert_cmpint (striae_test_store_count_audit (fixture->location, "session-amend"), ==, 1);
  {
    g_autoptr(StriaeSessionProduct) product =
      g_list_model_get_item (striae_treatment_session_get_products (amended), 0);

    striae_session_product_set_lot (product, "AB-124");
  }
  g_assert_true (striae_store_save_treatment_session (fixture->store, amended, "Dr Roux",
                                                      &error));
  g_assert_no_error (error);
  g_assert_true (striae_store_sign_treatment_session (fixture->store, id, "Dr Roux", &error));
  g_assert_no_error (error);

  first = striae_store_get_treatment_session_revision (fixture->store, id, 1, &error);
  g_assert_no_error (error);
  {
    g_autoptr(StriaeSessionProduct) product =
      g_list_model_get_item (striae_treatment_session_get_products (first), 0);

    g_assert_cmpstr (striae_session_product_get_lot (product), ==, "AB-123");
  }
  g_assert_null (striae_store_amend_treatment_session (fixture->store, id + 100, NULL, "x",
                                                       &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND);
  striae_test_store_assert_intact (fixture->location);
}

/* No session record for a consultation that is not signed, or signed as not treated. */
static void
test_unsigned_refused (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(StriaeConsultation) c = add_consultation (fixture, fixture->patient);
  g_autoptr(StriaeTreatmentSession) s = striae_test_session_new (c, 1, "2026-03-09", "AB-123");
  g_autoptr(StriaeTreatmentSession) other = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (striae_store_save_treatment_session (fixture->store, s, NULL, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "sign the consultation"));
  g_clear_error (&error);
  g_assert_cmpint (striae_treatment_session_get_id (s), ==, 0);

  /* Nor for one that is not there. */
  other = striae_treatment_session_new ();
  striae_treatment_session_set_consultation_id (other, 9999);
  g_assert_false (striae_store_save_treatment_session (fixture->store, other, NULL, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_cmpint (striae_test_store_query_int (fixture->location,
                                                "SELECT count (*) FROM treatment_sessions"),
                   ==, 0);
  g_assert_cmpint (striae_test_store_count_audit (fixture->location, "session-create"), ==, 0);
}

/* Signing asks for a complete, true record; the draft stays as it was. */
static void
test_sign_refused (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(StriaeConsultation) c = signed_consultation (fixture, fixture->patient);
  g_autoptr(StriaeTreatmentSession) s = striae_test_session_new (c, 1, "2026-03-09", "AB-123");
  g_autoptr(StriaeTreatmentSession) read = NULL;
  g_autoptr(GError) error = NULL;

  /* A batch expired before the session. */
  {
    g_autoptr(StriaeSessionProduct) product =
      g_list_model_get_item (striae_treatment_session_get_products (s), 0);

    striae_session_product_set_expiry (product, striae_test_date ("2026-03-01"));
  }
  g_assert_true (striae_store_save_treatment_session (fixture->store, s, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (striae_store_sign_treatment_session (fixture->store,
                                                       striae_treatment_session_get_id (s),
                                                       "Dr Roux", &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "expired"));
  g_clear_error (&error);
  g_assert_false (striae_store_sign_treatment_session (fixture->store,
                                                       striae_treatment_session_get_id (s),
                                                       "  ", &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID);
  g_clear_error (&error);

  read = striae_store_get_treatment_session (fixture->store,
                                             striae_treatment_session_get_id (s), &error);
  g_assert_no_error (error);
  g_assert_cmpint (striae_treatment_session_get_status (read), ==,
                   STRIAE_TREATMENT_SESSION_STATUS_DRAFT);
  g_assert_cmpint (striae_test_store_count_audit (fixture->location, "session-sign"), ==, 0);

  /* A depth over the plan's without a reason is refused at saving already. */
  {
    g_autoptr(StriaeSessionArea) area =
      g_list_model_get_item (striae_treatment_session_get_areas (read), 0);

    striae_session_area_set_depth (area, 2.0);
  }
  g_assert_false (striae_store_save_treatment_session (fixture->store, read, NULL, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID);
}

static char *
session_ids (GPtrArray *list)
{
  GString *ids = g_string_new (NULL);

  for (guint i = 0; i < list->len; i++)
    g_string_append_printf (ids, "%s%u", i > 0 ? " " : "",
                            striae_treatment_session_get_number (g_ptr_array_index (list, i)));
  return g_string_free (ids, FALSE);
}

static void
save_signed (Fixture                *fixture,
             StriaeTreatmentSession *s)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (striae_store_save_treatment_session (fixture->store, s, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (striae_store_sign_treatment_session (fixture->store,
                                                      striae_treatment_session_get_id (s),
                                                      "Dr Roux", &error));
  g_assert_no_error (error);
}

/* Lists of a consultation and of a patient, and the lot search across patients. */
static void
test_lists_and_batches (Fixture       *fixture,
                        gconstpointer  data)
{
  gint64 other = striae_test_store_add_patient (fixture->store, "Åsa", "Lindqvist");
  g_autoptr(StriaeConsultation) c1 = signed_consultation (fixture, fixture->patient);
  g_autoptr(StriaeConsultation) c2 = signed_consultation (fixture, other);
  g_autoptr(StriaeTreatmentSession) a = striae_test_session_new (c1, 2, "2026-04-06", "LOT-7");
  g_autoptr(StriaeTreatmentSession) b = striae_test_session_new (c1, 1, "2026-03-09", "LOT-9");
  g_autoptr(StriaeTreatmentSession) d = striae_test_session_new (c2, 1, "2026-03-20", "lot 7");
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GPtrArray) uses = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ids = NULL;

  save_signed (fixture, a);
  save_signed (fixture, b);
  save_signed (fixture, d);

  list = striae_store_list_treatment_sessions (fixture->store,
                                               striae_consultation_get_id (c1), &error);
  g_assert_no_error (error);
  ids = session_ids (list);
  g_assert_cmpstr (ids, ==, "1 2");
  g_clear_pointer (&list, g_ptr_array_unref);
  list = striae_store_list_patient_treatment_sessions (fixture->store, other, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);

  /* "LOT-7" as printed and "lot 7" as typed are the same batch; LOT-9 is not. */
  uses = striae_store_find_batch (fixture->store, "Lot-7", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (uses->len, ==, 2);
  {
    StriaeStoreBatchUse *first = g_ptr_array_index (uses, 0);
    StriaeStoreBatchUse *second = g_ptr_array_index (uses, 1);

    g_assert_cmpint (first->patient_id, ==, other);
    g_assert_cmpstr (first->date, ==, "2026-03-20");
    g_assert_cmpstr (first->lot, ==, "lot 7");
    g_assert_cmpint (second->patient_id, ==, fixture->patient);
    g_assert_cmpint (second->session_id, ==, striae_treatment_session_get_id (a));
    g_assert_cmpstr (second->product, ==, "Numbing cream");
  }
  g_clear_pointer (&uses, g_ptr_array_unref);
  uses = striae_store_find_batch (fixture->store, "LOT-8", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (uses->len, ==, 0);
  g_clear_pointer (&uses, g_ptr_array_unref);
  g_assert_null (striae_store_find_batch (fixture->store, "  ", &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* An amendment that corrects the lot moves the session out of the old batch. */
  {
    g_autoptr(StriaeTreatmentSession) amended =
      striae_store_amend_treatment_session (fixture->store, striae_treatment_session_get_id (d),
                                            "Dr Roux", "Wrong lot.", &error);
    g_autoptr(StriaeSessionProduct) product = NULL;

    g_assert_no_error (error);
    product = g_list_model_get_item (striae_treatment_session_get_products (amended), 0);
    striae_session_product_set_lot (product, "LOT-9");
    g_assert_true (striae_store_save_treatment_session (fixture->store, amended, NULL, &error));
    g_assert_no_error (error);
  }
  uses = striae_store_find_batch (fixture->store, "LOT-7", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (uses->len, ==, 1);
  g_clear_pointer (&uses, g_ptr_array_unref);
  uses = striae_store_find_batch (fixture->store, "lot-9", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (uses->len, ==, 2);
}

static void
found_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static gboolean
found (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

/* striae_store_find_batch_async() for the window (issue 15): @lot's uses with their patients and
 * session records, read in a worker thread; NULL with @error set. */
static GPtrArray *
find_batch_async (StriaeStore   *store,
                  const char    *lot,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  striae_store_find_batch_async (store, lot, cancellable, found_cb, &result);
  /* Never in the caller's turn: the answer comes through the main context. */
  g_assert_null (result);
  g_assert_true (striae_test_wait_for (found, &result));
  return striae_store_find_batch_finish (store, result, error);
}

/* The lot search in a worker thread gives each use with its own patient and the session
 * record's latest revision; cancelled, it gives nothing; a lot of only dashes is refused as
 * the search in the caller's thread refuses it. */
static void
test_find_batch_async (Fixture       *fixture,
                       gconstpointer  data)
{
  gint64 other = striae_test_store_add_patient (fixture->store, "Åsa", "Lindqvist");
  g_autoptr(StriaeConsultation) c1 = signed_consultation (fixture, fixture->patient);
  g_autoptr(StriaeConsultation) c2 = signed_consultation (fixture, other);
  g_autoptr(StriaeTreatmentSession) a = striae_test_session_new (c1, 1, "2026-03-09", "LOT-7");
  g_autoptr(StriaeTreatmentSession) b = striae_test_session_new (c1, 2, "2026-04-06", "lot7");
  g_autoptr(StriaeTreatmentSession) d = striae_test_session_new (c2, 1, "2026-03-20", "LOT-9");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;

  save_signed (fixture, a);
  save_signed (fixture, b);
  save_signed (fixture, d);

  records = find_batch_async (fixture->store, "lot 7", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 2);
  for (guint i = 0; i < records->len; i++)
    {
      StriaeBatchRecord *record = g_ptr_array_index (records, i);
      StriaeTreatmentSession *expected = i == 0 ? a : b;

      g_assert_cmpint (record->use->session_id, ==, striae_treatment_session_get_id (expected));
      g_assert_cmpint (striae_patient_get_id (record->patient), ==, fixture->patient);
      g_assert_cmpstr (striae_patient_get_given_name (record->patient), ==, "Inès");
      g_assert_cmpint (striae_treatment_session_get_id (record->session), ==,
                       record->use->session_id);
      g_assert_cmpuint (striae_treatment_session_get_number (record->session), ==, i + 1);
    }
  g_clear_pointer (&records, g_ptr_array_unref);

  records = find_batch_async (fixture->store, "LOT 9", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 1);
  g_assert_cmpint (striae_patient_get_id (((StriaeBatchRecord *) records->pdata[0])->patient),
                   ==, other);
  g_clear_pointer (&records, g_ptr_array_unref);

  records = find_batch_async (fixture->store, "LOT-8", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 0);
  g_clear_pointer (&records, g_ptr_array_unref);

  g_assert_null (find_batch_async (fixture->store, " - ", NULL, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* No longer wanted: whatever was read is dropped. */
  g_cancellable_cancel (cancellable);
  g_assert_null (find_batch_async (fixture->store, "LOT-7", cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* The lot search goes through its index (SQLite's query plan, read from the file). */
static void
test_batch_index (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GString) plan = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db = NULL;

  if (!striae_test_backend_is ("sqlite"))
    {
      g_test_skip ("the query plan is SQLite's");
      return;
    }

  g_assert_cmpint (sqlite3_open_v2 (fixture->location, &db, SQLITE_OPEN_READONLY, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "EXPLAIN QUERY PLAN SELECT session_id FROM"
                                       " session_batches WHERE lot_key = 'X'", -1, &stmt,
                                       NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (plan, "%s | ", (const char *) sqlite3_column_text (stmt, 3));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  g_test_message ("plan: %s", plan->str);
  g_assert_nonnull (strstr (plan->str, "session_batches_by_lot"));
}

/* Erasing the patient erases their session records and batches. */
static void
test_erase (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(StriaeConsultation) c = signed_consultation (fixture, fixture->patient);
  g_autoptr(StriaeTreatmentSession) s = striae_test_session_new (c, 1, "2026-03-09", "AB-123");
  g_autoptr(GError) error = NULL;

  save_signed (fixture, s);
  g_assert_true (striae_store_erase_patient (fixture->store, fixture->patient, &error));
  g_assert_no_error (error);
  g_assert_cmpint (striae_test_store_query_int (fixture->location,
                                                "SELECT count (*) FROM treatment_sessions"),
                   ==, 0);
  g_assert_cmpint (striae_test_store_query_int (fixture->location,
                                                "SELECT count (*) FROM session_batches"),
                   ==, 0);
}

/* Sessions travel in a patient’s export (format version 2 on) and come back, under new numbers,
 * signed and locked as they were, amendments and lots included; another record's file is
 * refused whole. */
static void
test_export_import (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(StriaeConsultation) c = signed_consultation (fixture, fixture->patient);
  g_autoptr(StriaeTreatmentSession) s = striae_test_session_new (c, 1, "2026-03-09", "AB-123");
  g_autoptr(StriaeTreatmentSession) amended = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GPtrArray) uses = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *other_location = striae_test_store_other_location (fixture->dir, "other");
  g_autoptr(StriaeStore) other = NULL;
  g_autofree char *broken = NULL;
  StriaeTreatmentSession *copy;
  gint64 imported;

  save_signed (fixture, s);
  amended = striae_store_amend_treatment_session (fixture->store,
                                                  striae_treatment_session_get_id (s),
                                                  "Dr Roux", "Passes miscounted.", &error);
  g_assert_no_error (error);
  json = striae_store_export_patient (fixture->store, fixture->patient,
                                      STRIAE_EXPORT_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (json, "\"sessions\""));
  g_assert_nonnull (strstr (json, "\"version\" : 4"));

  other = striae_test_store_open (other_location);
  imported = striae_store_import_patient (other, json, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (imported, >, 0);

  list = striae_store_list_patient_treatment_sessions (other, imported, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  copy = g_ptr_array_index (list, 0);
  g_assert_cmpuint (striae_treatment_session_get_revision (copy), ==, 2);
  g_assert_cmpstr (striae_treatment_session_get_amendment_reason (copy), ==,
                   "Passes miscounted.");
  g_assert_cmpint (striae_treatment_session_get_patient_id (copy), ==, imported);
  {
    g_autoptr(StriaeTreatmentSession) first =
      striae_store_get_treatment_session_revision (other,
                                                   striae_treatment_session_get_id (copy), 1,
                                                   &error);

    g_assert_no_error (error);
    g_assert_cmpint (striae_treatment_session_get_status (first), ==,
                     STRIAE_TREATMENT_SESSION_STATUS_SIGNED);
  }
  uses = striae_store_find_batch (other, "ab123", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (uses->len, ==, 1);

  /* A session of a consultation the file does not hold: nothing is imported. */
  broken = g_strdup (json);
  {
    char *at = strstr (broken, "\"consultation-id\" : ");

    g_assert_nonnull (at);
    at += strlen ("\"consultation-id\" : ");
    *at = '9';
  }
  g_clear_pointer (&list, g_ptr_array_unref);
  g_assert_cmpint (striae_store_import_patient (fixture->store, broken, -1, NULL, &error), ==, 0);
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "consultation-id"));

  g_clear_object (&other);
  striae_test_store_remove (other_location);
}

/* While an amendment of the consultation is a draft, a new session follows the plan signed
 * before it. */
static void
test_consultation_being_amended (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(StriaeConsultation) c = signed_consultation (fixture, fixture->patient);
  g_autoptr(StriaeConsultation) amendment = NULL;
  g_autoptr(StriaeTreatmentSession) s = striae_test_session_new (c, 1, "2026-03-09", "AB-123");
  g_autoptr(GError) error = NULL;

  amendment = striae_store_amend_consultation (fixture->store, striae_consultation_get_id (c),
                                               "Dr Roux", "Second area", &error);
  g_assert_no_error (error);
  striae_treatment_session_set_consultation_revision (s, 0);
  g_assert_true (striae_store_save_treatment_session (fixture->store, s, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (striae_treatment_session_get_consultation_revision (s), ==,
                    striae_consultation_get_revision (c));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, striae_test_records_set_up, func, \
              striae_test_records_tear_down)
  ADD ("/store/treatments/life-cycle", test_life_cycle);
  ADD ("/store/treatments/unsigned-refused", test_unsigned_refused);
  ADD ("/store/treatments/sign-refused", test_sign_refused);
  ADD ("/store/treatments/lists-and-batches", test_lists_and_batches);
  ADD ("/store/treatments/find-batch-async", test_find_batch_async);
  ADD ("/store/treatments/batch-index", test_batch_index);
  ADD ("/store/treatments/erase", test_erase);
  ADD ("/store/treatments/export-import", test_export_import);
  ADD ("/store/treatments/consultation-being-amended", test_consultation_being_amended);
#undef ADD

  return g_test_run ();
}
