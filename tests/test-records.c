/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "striae-store.h"
#include "striae-test-store.h"
#include "striae-test-date.h"

/* Consultations in the store: drafts, sign-off, amendments, listing, clinic rules. They run
 * on the backend STRIAE_TEST_BACKEND names (tests/striae-test-store.h); nothing here needs a
 * file. */

typedef struct
{
  char        *dir;
  char        *location;
  StriaeStore *store;
  gint64       patient;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(StriaePatient) patient = striae_patient_new ();
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("striae-records-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->location = striae_test_store_location (fixture->dir);
  fixture->store = striae_test_store_open (fixture->location);

  striae_patient_set_given_name (patient, "Inès");
  striae_patient_set_family_name (patient, "Moreau");
  striae_patient_set_birth_date (patient, striae_test_date ("1991-04-02"));
  g_assert_true (striae_store_add_patient (fixture->store, patient, &error));
  g_assert_no_error (error);
  fixture->patient = striae_patient_get_id (patient);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->store);
  striae_test_store_remove (fixture->location);
  g_assert_cmpint (g_rmdir (fixture->dir), ==, 0);
  g_free (fixture->location);
  g_free (fixture->dir);
}

static StriaeConsultation *
new_consultation (gint64      patient,
                  const char *date)
{
  StriaeConsultation *consultation = striae_consultation_new ();

  striae_consultation_set_patient_id (consultation, patient);
  striae_consultation_set_date (consultation, striae_test_date (date));
  return consultation;
}

static void
assert_same_json (StriaeConsultation *a,
                  StriaeConsultation *b)
{
  g_autofree char *json_a = striae_consultation_to_json (a);
  g_autofree char *json_b = striae_consultation_to_json (b);

  g_assert_cmpstr (json_a, ==, json_b);
}

/* The action and detail of the newest audit row, read straight from the records. */
static void
last_audit (Fixture  *fixture,
            char    **action,
            char    **detail)
{
  g_assert_cmpint (striae_test_store_query_int (fixture->location,
                                                "SELECT count (*) FROM audit"), >, 0);
  *action = striae_test_store_query_text (fixture->location, "SELECT action FROM audit"
                                          "  ORDER BY id DESC LIMIT 1");
  *detail = striae_test_store_query_text (fixture->location, "SELECT detail FROM audit"
                                          "  ORDER BY id DESC LIMIT 1");
}

/* Sets @members (name, value, …, NULL) of revision @revision's document, behind the store,
 * as one UPDATE of the whole document (no backend's own JSON functions), and says how that
 * ended. */
static StriaeTestSql
edit_document (Fixture    *fixture,
               gint64      id,
               guint       revision,
               ...)
{
  g_autofree char *select = g_strdup_printf ("SELECT data FROM consultation_revisions"
                                             "  WHERE consultation_id = %" G_GINT64_FORMAT
                                             "  AND revision = %u", id, revision);
  g_autofree char *data = striae_test_store_query_text (fixture->location, select);
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *edited = NULL;
  g_autofree char *literal = NULL;
  g_autofree char *update = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;
  va_list members;

  g_assert_nonnull (data);
  root = json_from_string (data, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));

  va_start (members, revision);
  while ((name = va_arg (members, const char *)) != NULL)
    json_object_set_string_member (json_node_get_object (root), name,
                                   va_arg (members, const char *));
  va_end (members);

  edited = json_to_string (root, FALSE);
  literal = striae_test_sql_literal (edited);
  update = g_strdup_printf ("UPDATE consultation_revisions SET data = %s"
                            "  WHERE consultation_id = %" G_GINT64_FORMAT
                            "  AND revision = %u", literal, id, revision);
  return striae_test_store_try_exec (fixture->location, update);
}

static void
test_draft_partial (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(StriaeConsultation) consultation = new_consultation (fixture->patient, "");
  g_autoptr(StriaeConsultation) loaded = NULL;
  g_autoptr(StriaeArea) area = NULL;
  g_autoptr(GError) error = NULL;

  /* Nothing answered at all: still saved. */
  g_assert_false (striae_store_patient_has_draft (fixture->store, fixture->patient, &error));
  g_assert_true (striae_store_save_consultation (fixture->store, consultation, "Dr Roux",
                                                 &error));
  g_assert_no_error (error);
  g_assert_cmpint (striae_consultation_get_id (consultation), >, 0);
  g_assert_cmpuint (striae_consultation_get_revision (consultation), ==, 1);
  g_assert_true (striae_store_patient_has_draft (fixture->store, fixture->patient, &error));
  g_assert_no_error (error);

  /* Some answers, saved again on the same record. */
  striae_history_set_answer (striae_consultation_get_history (consultation),
                             STRIAE_QUESTION_PREGNANCY, STRIAE_ANSWER_NO);
  area = striae_area_new (STRIAE_BODY_SITE_ABDOMEN);
  striae_consultation_add_area (consultation, area);
  striae_consultation_set_practitioner (consultation, "Dr Roux");
  g_assert_true (striae_store_save_consultation (fixture->store, consultation, NULL, &error));
  g_assert_no_error (error);

  loaded = striae_store_get_consultation (fixture->store,
                                          striae_consultation_get_id (consultation), &error);
  g_assert_no_error (error);
  assert_same_json (consultation, loaded);
  g_assert_cmpint (striae_consultation_get_status (loaded), ==,
                   STRIAE_CONSULTATION_STATUS_DRAFT);

  /* A draft can be saved as complete, and then the patient has no draft open. */
  striae_consultation_set_status (consultation, STRIAE_CONSULTATION_STATUS_COMPLETE);
  g_assert_true (striae_store_save_consultation (fixture->store, consultation, NULL, &error));
  g_assert_false (striae_store_patient_has_draft (fixture->store, fixture->patient, &error));
  g_assert_no_error (error);
}

static void
test_refused_saves (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(StriaeConsultation) orphan = new_consultation (fixture->patient + 1000, "");
  g_autoptr(StriaeConsultation) nobody = new_consultation (0, "");
  g_autoptr(StriaeConsultation) unknown = new_consultation (fixture->patient, "");
  g_autoptr(GError) error = NULL;

  g_assert_false (striae_store_save_consultation (fixture->store, orphan, NULL, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (striae_consultation_get_id (orphan), ==, 0);

  g_assert_false (striae_store_save_consultation (fixture->store, nobody, NULL, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID);
  g_clear_error (&error);

  striae_consultation_set_id (unknown, 4242);
  g_assert_false (striae_store_save_consultation (fixture->store, unknown, NULL, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_null (striae_store_get_consultation (fixture->store, 4242, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND);
}

static void
test_sign_lock (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(StriaeConsultation) consultation = new_consultation (fixture->patient,
                                                                 "2024-03-01");
  g_autoptr(StriaeConsultation) loaded = NULL;
  g_autoptr(GDateTime) signed_at = NULL;
  g_autofree char *signed_by = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  g_assert_true (striae_store_save_consultation (fixture->store, consultation, NULL, &error));
  id = striae_consultation_get_id (consultation);

  /* A draft cannot be signed; nor can anyone sign without a name. */
  g_assert_false (striae_store_sign_consultation (fixture->store, id, "Dr Roux", &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID);
  g_clear_error (&error);

  striae_consultation_set_status (consultation, STRIAE_CONSULTATION_STATUS_COMPLETE);
  g_assert_true (striae_store_save_consultation (fixture->store, consultation, NULL, &error));
  g_assert_false (striae_store_sign_consultation (fixture->store, id, "  ", &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (striae_store_sign_consultation (fixture->store, id, "Dr Roux", &error));
  g_assert_no_error (error);

  g_assert_true (striae_store_get_signature (fixture->store, id, 1, &signed_by, &signed_at,
                                             &error));
  g_assert_cmpstr (signed_by, ==, "Dr Roux");
  g_assert_nonnull (signed_at);
  g_assert_cmpint (g_date_time_get_utc_offset (signed_at), ==, 0);

  loaded = striae_store_get_consultation (fixture->store, id, &error);
  g_assert_cmpint (striae_consultation_get_status (loaded), ==,
                   STRIAE_CONSULTATION_STATUS_SIGNED);

  /* Locked: saving over it, signing it again and changing it behind the store fail. */
  striae_consultation_set_practitioner (consultation, "Someone else");
  g_assert_false (striae_store_save_consultation (fixture->store, consultation, NULL, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_LOCKED);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  g_assert_false (striae_store_sign_consultation (fixture->store, id, "Dr Roux", &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_LOCKED);
  g_clear_error (&error);

  /* The document is the record (schema 8): its practitioner is changed there. */
  g_assert_cmpint (edit_document (fixture, id, 1, "practitioner", "x", NULL), ==,
                   STRIAE_TEST_SQL_REFUSED);

  g_clear_object (&loaded);
  loaded = striae_store_get_consultation (fixture->store, id, &error);
  g_assert_cmpstr (striae_consultation_get_practitioner (loaded), ==, "");
}

static void
test_amend_keeps_original (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(StriaeConsultation) consultation = new_consultation (fixture->patient,
                                                                 "2024-03-01");
  g_autoptr(StriaeConsultation) amended = NULL;
  g_autoptr(StriaeConsultation) original = NULL;
  g_autoptr(StriaeConsultation) latest = NULL;
  g_autoptr(GPtrArray) revisions = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *signed_json = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  striae_consultation_set_practitioner (consultation, "Dr Roux");
  striae_consultation_set_status (consultation, STRIAE_CONSULTATION_STATUS_COMPLETE);
  g_assert_true (striae_store_save_consultation (fixture->store, consultation, NULL, &error));
  id = striae_consultation_get_id (consultation);

  /* Nothing to amend before sign-off. */
  g_assert_null (striae_store_amend_consultation (fixture->store, id, NULL, "Typo", &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (striae_store_sign_consultation (fixture->store, id, "Dr Roux", &error));
  original = striae_store_get_consultation (fixture->store, id, &error);
  signed_json = striae_consultation_to_json (original);

  amended = striae_store_amend_consultation (fixture->store, id, "Dr Roux", "Typo", &error);
  g_assert_no_error (error);
  g_assert_cmpint (striae_consultation_get_id (amended), ==, id);
  g_assert_cmpuint (striae_consultation_get_revision (amended), ==, 2);
  g_assert_cmpint (striae_consultation_get_status (amended), ==,
                   STRIAE_CONSULTATION_STATUS_DRAFT);
  g_assert_true (striae_store_patient_has_draft (fixture->store, fixture->patient, &error));

  striae_consultation_set_date (amended, striae_test_date ("2024-03-02"));
  g_assert_true (striae_store_save_consultation (fixture->store, amended, NULL, &error));
  g_assert_no_error (error);

  /* The old revision cannot be saved over any more. */
  g_assert_false (striae_store_save_consultation (fixture->store, consultation, NULL, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_LOCKED);
  g_clear_error (&error);

  revisions = striae_store_list_revisions (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (revisions->len, ==, 2);
  {
    g_autofree char *first = striae_consultation_to_json (g_ptr_array_index (revisions, 0));

    g_assert_cmpstr (first, ==, signed_json);
  }
  g_clear_object (&original);
  original = striae_store_get_revision (fixture->store, id, 1, &error);
  striae_assert_date (striae_consultation_get_date (original), "2024-03-01");

  latest = striae_store_get_consultation (fixture->store, id, &error);
  striae_assert_date (striae_consultation_get_date (latest), "2024-03-02");
  g_assert_cmpuint (striae_consultation_get_revision (latest), ==, 2);

  list = striae_store_list_consultations (fixture->store, fixture->patient, &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpuint (striae_consultation_get_revision (g_ptr_array_index (list, 0)), ==, 2);
}

/* Amending asks why: the reason is required, kept with the new revision (a save cannot change
 * it), and the audit row commits to it without holding its text. */
static void
test_amend_reason (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(StriaeConsultation) consultation = new_consultation (fixture->patient,
                                                                 "2024-03-01");
  g_autoptr(StriaeConsultation) amended = NULL;
  g_autoptr(StriaeConsultation) loaded = NULL;
  g_autoptr(GPtrArray) revisions = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *action = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256,
                                                         "Depth on the thighs was wrong", -1);
  g_autofree char *expected = NULL;
  gint64 id;

  striae_consultation_set_status (consultation, STRIAE_CONSULTATION_STATUS_COMPLETE);
  g_assert_true (striae_store_save_consultation (fixture->store, consultation, NULL, &error));
  id = striae_consultation_get_id (consultation);
  g_assert_true (striae_store_sign_consultation (fixture->store, id, "Dr Roux", &error));
  g_assert_no_error (error);

  g_assert_null (striae_store_amend_consultation (fixture->store, id, "Dr Roux", " ", &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (striae_store_amend_consultation (fixture->store, id, "Dr Roux", NULL, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID);
  g_clear_error (&error);
  revisions = striae_store_list_revisions (fixture->store, id, &error);
  g_assert_cmpuint (revisions->len, ==, 1);
  g_clear_pointer (&revisions, g_ptr_array_unref);

  amended = striae_store_amend_consultation (fixture->store, id, "Dr Roux",
                                             "  Depth on the thighs was wrong ", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (striae_consultation_get_amendment_reason (amended), ==,
                   "Depth on the thighs was wrong");
  last_audit (fixture, &action, &detail);
  g_assert_cmpstr (action, ==, "amend");
  hash[16] = '\0';
  expected = g_strdup_printf ("revision 2, reason sha256:%s", hash);
  g_assert_cmpstr (detail, ==, expected);

  /* A save keeps the reason it was started with. */
  striae_consultation_set_amendment_reason (amended, "something else");
  g_assert_true (striae_store_save_consultation (fixture->store, amended, NULL, &error));
  g_assert_no_error (error);
  loaded = striae_store_get_consultation (fixture->store, id, &error);
  g_assert_cmpstr (striae_consultation_get_amendment_reason (loaded), ==,
                   "Depth on the thighs was wrong");

  /* Every revision, oldest first: the signed one has no reason, the amendment has one. */
  revisions = striae_store_list_revisions (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (revisions->len, ==, 2);
  g_assert_cmpstr (striae_consultation_get_amendment_reason (g_ptr_array_index (revisions, 0)),
                   ==, "");
  g_assert_cmpint (striae_consultation_get_status (g_ptr_array_index (revisions, 0)), ==,
                   STRIAE_CONSULTATION_STATUS_SIGNED);
  g_assert_cmpstr (striae_consultation_get_amendment_reason (g_ptr_array_index (revisions, 1)),
                   ==, "Depth on the thighs was wrong");

  /* Signed, the amendment keeps it; the next amendment starts without. */
  g_clear_object (&loaded);
  striae_consultation_set_status (amended, STRIAE_CONSULTATION_STATUS_COMPLETE);
  g_assert_true (striae_store_save_consultation (fixture->store, amended, NULL, &error));
  g_assert_true (striae_store_sign_consultation (fixture->store, id, "Dr Roux", &error));
  loaded = striae_store_get_revision (fixture->store, id, 2, &error);
  g_assert_cmpstr (striae_consultation_get_amendment_reason (loaded), ==,
                   "Depth on the thighs was wrong");
  g_clear_object (&amended);
  amended = striae_consultation_new_revision (loaded);
  g_assert_cmpstr (striae_consultation_get_amendment_reason (amended), ==, "");
}

static void
test_list_newest_first (Fixture       *fixture,
                        gconstpointer  data)
{
  const char *dates[] = { "2023-01-10", "2024-06-01", "2022-12-31" };
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (dates); i++)
    {
      g_autoptr(StriaeConsultation) c = new_consultation (fixture->patient, dates[i]);

      g_assert_true (striae_store_save_consultation (fixture->store, c, NULL, &error));
    }

  list = striae_store_list_consultations (fixture->store, fixture->patient, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);
  striae_assert_date (striae_consultation_get_date (g_ptr_array_index (list, 0)), "2024-06-01");
  striae_assert_date (striae_consultation_get_date (g_ptr_array_index (list, 1)), "2023-01-10");
  striae_assert_date (striae_consultation_get_date (g_ptr_array_index (list, 2)), "2022-12-31");
  g_clear_pointer (&list, g_ptr_array_unref);

  list = striae_store_list_consultations (fixture->store, fixture->patient + 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* Deleting the patient deletes their consultations. */
  g_assert_true (striae_store_erase_patient (fixture->store, fixture->patient, &error));
  list = striae_store_list_consultations (fixture->store, fixture->patient, &error);
  g_assert_cmpuint (list->len, ==, 0);
}

static void
test_rules (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(StriaeRules) defaults = striae_store_load_rules (fixture->store, NULL);
  g_autoptr(StriaeRules) loaded = NULL;
  g_autoptr(StriaeRules) changed = striae_rules_new ();
  g_autofree char *default_hash = NULL;
  g_autofree char *changed_hash = NULL;
  g_autofree char *loaded_hash = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (defaults);
  default_hash = striae_rules_dup_hash (defaults);

  striae_rules_set_level (changed, STRIAE_CHECK_BREASTFEEDING, STRIAE_LEVEL_ABSOLUTE);
  striae_rules_set_sessions (changed, STRIAE_SEVERITY_SEVERE, 8);
  changed_hash = striae_rules_dup_hash (changed);
  g_assert_cmpstr (changed_hash, !=, default_hash);

  g_assert_true (striae_store_save_rules (fixture->store, changed, "Dr Roux", &error));
  g_assert_no_error (error);
  g_clear_object (&fixture->store);
  fixture->store = striae_test_store_open (fixture->location);

  loaded = striae_store_load_rules (fixture->store, &error);
  g_assert_no_error (error);
  loaded_hash = striae_rules_dup_hash (loaded);
  g_assert_cmpstr (loaded_hash, ==, changed_hash);
  g_assert_cmpint (striae_rules_get_level (loaded, STRIAE_CHECK_BREASTFEEDING), ==,
                   STRIAE_LEVEL_ABSOLUTE);

  /* A consultation keeps the hash of the rules it was screened with. */
  {
    g_autoptr(StriaeConsultation) c = new_consultation (fixture->patient, "2024-01-01");
    g_autoptr(StriaeConsultation) back = NULL;

    striae_consultation_set_rules (c, STRIAE_RULES_FORMAT, loaded_hash);
    g_assert_true (striae_store_save_consultation (fixture->store, c, NULL, &error));
    back = striae_store_get_consultation (fixture->store, striae_consultation_get_id (c),
                                          &error);
    g_assert_cmpstr (striae_consultation_get_rules_hash (back), ==, loaded_hash);
  }
}

/* The audit rows about rules, oldest first, as "actor|detail". */
static GPtrArray *
rule_audit_rows (Fixture *fixture)
{
  GPtrArray *rows = striae_test_store_query_column (fixture->location,
                                                    "SELECT coalesce (actor, '') || '|' || detail"
                                                    "  FROM audit WHERE detail LIKE 'rules %'"
                                                    "  ORDER BY id");

  for (guint i = 0; i < rows->len; i++)
    g_assert_nonnull (rows->pdata[i]);
  return rows;
}

/* Each changed value gets its own audit row, old → new; saving the same rules again audits
 * nothing. */
static void
test_rules_audit (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(StriaeRules) rules = striae_rules_new ();
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *expected = NULL;
  /* On a clinic server, the login rather than the name typed. */
  g_autofree char *actor = striae_test_store_actor ("Dr Roux");

  striae_rules_set_level (rules, STRIAE_CHECK_BREASTFEEDING, STRIAE_LEVEL_ABSOLUTE);
  striae_rules_set_sessions (rules, STRIAE_SEVERITY_SEVERE, 8);
  hash = striae_rules_dup_hash (rules);
  g_assert_true (striae_store_save_rules (fixture->store, rules, "Dr Roux", &error));
  g_assert_no_error (error);

  rows = rule_audit_rows (fixture);
  g_assert_cmpuint (rows->len, ==, 2);
  expected = g_strdup_printf ("%s|rules %s: level.breastfeeding relative → absolute", actor,
                              hash);
  g_assert_cmpstr (rows->pdata[0], ==, expected);
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("%s|rules %s: course.severe.sessions 6 → 8", actor, hash);
  g_assert_cmpstr (rows->pdata[1], ==, expected);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* The same rules again: nothing to audit. */
  g_assert_true (striae_store_save_rules (fixture->store, rules, "Dr Roux", &error));
  rows = rule_audit_rows (fixture);
  g_assert_cmpuint (rows->len, ==, 2);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* One value back to its default, one depth changed: two more rows, from the stored
   * values. */
  striae_rules_reset_key (rules, "level.breastfeeding", NULL);
  g_assert_true (striae_rules_set_depth (rules, STRIAE_SEVERITY_MILD, FALSE, 0.75, NULL));
  g_clear_pointer (&hash, g_free);
  hash = striae_rules_dup_hash (rules);
  g_assert_true (striae_store_save_rules (fixture->store, rules, "Dr Weil", &error));
  rows = rule_audit_rows (fixture);
  g_assert_cmpuint (rows->len, ==, 4);
  g_clear_pointer (&expected, g_free);
  g_clear_pointer (&actor, g_free);
  actor = striae_test_store_actor ("Dr Weil");
  expected = g_strdup_printf ("%s|rules %s: level.breastfeeding absolute → relative", actor,
                              hash);
  g_assert_cmpstr (rows->pdata[2], ==, expected);
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("%s|rules %s: depth.mild.thick 0.50 → 0.75", actor, hash);
  g_assert_cmpstr (rows->pdata[3], ==, expected);

  /* The log's seals still hold. */
  striae_store_verify_audit (fixture->store, NULL, NULL, &error);
  g_assert_no_error (error);
}

static void
test_resume_page (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(StriaeConsultation) consultation = new_consultation (fixture->patient, "");
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *missing = NULL;
  gint64 id;

  g_assert_true (striae_store_save_consultation (fixture->store, consultation, NULL, &error));
  id = striae_consultation_get_id (consultation);

  /* A new consultation was left on no page. */
  before = striae_store_dup_resume_page (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (before, ==, "");

  /* The page stays with the consultation through a save of the draft. */
  g_assert_true (striae_store_set_resume_page (fixture->store, id, "plan", &error));
  g_assert_no_error (error);
  striae_consultation_set_practitioner (consultation, "Dr Roux");
  g_assert_true (striae_store_save_consultation (fixture->store, consultation, NULL, &error));
  after = striae_store_dup_resume_page (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (after, ==, "plan");

  /* No such consultation, either way. */
  g_assert_false (striae_store_set_resume_page (fixture->store, id + 100, "plan", &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  missing = striae_store_dup_resume_page (fixture->store, id + 100, &error);
  g_assert_null (missing);
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND);
}

/* A consultation that ends without treatment is signed as such, from a draft, with its
 * reason and the date to see the patient again; it is locked and audited like any other. */
static void
test_sign_not_treated (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(StriaeConsultation) consultation = new_consultation (fixture->patient,
                                                                 "2026-12-02");
  g_autoptr(StriaeConsultation) loaded = NULL;
  g_autoptr(StriaeConsultation) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *action = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *signed_by = NULL;
  g_autofree char *json = NULL;
  gint64 id;

  striae_history_set_answer (striae_consultation_get_history (consultation),
                             STRIAE_QUESTION_PREGNANCY, STRIAE_ANSWER_YES);
  g_assert_true (striae_store_save_consultation (fixture->store, consultation, NULL, &error));
  g_assert_no_error (error);
  id = striae_consultation_get_id (consultation);

  /* The reason is required and a name signs. (The date is a day or none: what was typed
   * is read, and refused, in the Not Treated dialog; see test-wizard.) */
  g_assert_false (striae_store_sign_not_treated (fixture->store, id, "Dr Roux", "  ", NULL,
                                                 &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (striae_store_sign_not_treated (fixture->store, id, "", "Pregnant", NULL,
                                                 &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID);
  g_clear_error (&error);
  loaded = striae_store_get_consultation (fixture->store, id, &error);
  g_assert_cmpint (striae_consultation_get_status (loaded), ==,
                   STRIAE_CONSULTATION_STATUS_DRAFT);
  g_assert_false (striae_consultation_is_not_treated (loaded));
  g_clear_object (&loaded);

  /* A draft signs as not treated. */
  g_assert_true (striae_store_sign_not_treated (fixture->store, id, "Dr Roux",
                                                "Pregnant; come back after the birth",
                                                striae_test_date ("2027-09-01"), &error));
  g_assert_no_error (error);
  loaded = striae_store_get_consultation (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (striae_consultation_get_status (loaded), ==,
                   STRIAE_CONSULTATION_STATUS_SIGNED);
  g_assert_true (striae_consultation_is_not_treated (loaded));
  g_assert_cmpstr (striae_consultation_get_not_treated_reason (loaded), ==,
                   "Pregnant; come back after the birth");
  striae_assert_date (striae_consultation_get_see_again (loaded), "2027-09-01");
  g_assert_cmpstr (striae_consultation_get_practitioner (loaded), ==, "Dr Roux");
  g_assert_true (striae_store_get_signature (fixture->store, id, 1, &signed_by, NULL, &error));
  g_assert_cmpstr (signed_by, ==, "Dr Roux");
  g_assert_false (striae_store_patient_has_draft (fixture->store, fixture->patient, &error));

  last_audit (fixture, &action, &detail);
  g_assert_cmpstr (action, ==, "sign");
  g_assert_cmpstr (detail, ==, "revision 1 not treated, see again 2027-09-01");

  /* Locked like any signed revision. */
  g_assert_false (striae_store_sign_not_treated (fixture->store, id, "Dr Roux", "Again", NULL,
                                                 &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_LOCKED);
  g_clear_error (&error);

  /* The JSON carries it; a copy and a new revision do what they should. */
  json = striae_consultation_to_json (loaded);
  g_clear_object (&copy);
  copy = striae_consultation_new_from_json (json, &error);
  g_assert_no_error (error);
  assert_same_json (loaded, copy);
  g_assert_true (striae_consultation_is_not_treated (copy));
  g_clear_object (&copy);
  copy = striae_consultation_new_revision (loaded);
  g_assert_false (striae_consultation_is_not_treated (copy));
  g_assert_cmpstr (striae_consultation_get_not_treated_reason (copy), ==, "");

  /* Not treated needs its reason in a file as well. */
  {
    g_autoptr(StriaeConsultation) bad = NULL;
    g_autofree char *edited = NULL;

    striae_consultation_set_not_treated (copy, TRUE, "", NULL);
    edited = striae_consultation_to_json (copy);
    bad = striae_consultation_new_from_json (edited, &error);
    g_assert_null (bad);
    g_assert_nonnull (error);
    g_clear_error (&error);
  }

  /* Without a date to see again, the audit says so. */
  {
    g_autoptr(StriaeConsultation) other = new_consultation (fixture->patient, "2026-12-03");

    g_assert_true (striae_store_save_consultation (fixture->store, other, NULL, &error));
    g_assert_true (striae_store_sign_not_treated (fixture->store,
                                                  striae_consultation_get_id (other),
                                                  "Dr Roux", "Declined", NULL, &error));
    g_assert_no_error (error);
    g_free (action);
    g_free (detail);
    last_audit (fixture, &action, &detail);
    g_assert_cmpstr (detail, ==, "revision 1 not treated");
  }
}

/* A draft can be thrown away: a first revision with its consultation, an amendment leaving
 * the signed revision as it was; a signed one never. Each is audited as "discard". */
static void
test_discard_draft (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(StriaeConsultation) draft = new_consultation (fixture->patient, "2026-12-01");
  g_autoptr(StriaeConsultation) kept = new_consultation (fixture->patient, "2026-11-01");
  g_autoptr(StriaeConsultation) amended = NULL;
  g_autoptr(StriaeConsultation) loaded = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *action = NULL;
  g_autofree char *detail = NULL;
  gint64 id;

  g_assert_true (striae_store_save_consultation (fixture->store, draft, NULL, &error));
  g_assert_no_error (error);
  id = striae_consultation_get_id (draft);
  g_assert_true (striae_store_discard_draft (fixture->store, id, "Dr Roux", &error));
  g_assert_no_error (error);
  loaded = striae_store_get_consultation (fixture->store, id, &error);
  g_assert_null (loaded);
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (striae_store_patient_has_draft (fixture->store, fixture->patient, &error));
  last_audit (fixture, &action, &detail);
  g_assert_cmpstr (action, ==, "discard");
  g_assert_cmpstr (detail, ==, "revision 1");

  /* Gone means gone. */
  g_assert_false (striae_store_discard_draft (fixture->store, id, NULL, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Signed: kept. */
  striae_consultation_set_status (kept, STRIAE_CONSULTATION_STATUS_COMPLETE);
  g_assert_true (striae_store_save_consultation (fixture->store, kept, NULL, &error));
  id = striae_consultation_get_id (kept);
  g_assert_true (striae_store_sign_consultation (fixture->store, id, "Dr Roux", &error));
  g_assert_false (striae_store_discard_draft (fixture->store, id, NULL, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_LOCKED);
  g_clear_error (&error);

  /* An amendment's draft goes; the signed revision stays the latest. */
  amended = striae_store_amend_consultation (fixture->store, id, NULL, "Wrong patient", &error);
  g_assert_no_error (error);
  g_assert_true (striae_store_discard_draft (fixture->store, id, "Dr Roux", &error));
  g_assert_no_error (error);
  loaded = striae_store_get_consultation (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (striae_consultation_get_revision (loaded), ==, 1);
  g_assert_cmpint (striae_consultation_get_status (loaded), ==,
                   STRIAE_CONSULTATION_STATUS_SIGNED);
  list = striae_store_list_consultations (fixture->store, fixture->patient, &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_free (action);
  g_free (detail);
  last_audit (fixture, &action, &detail);
  g_assert_cmpstr (action, ==, "discard");
  g_assert_cmpstr (detail, ==, "revision 2");
  g_assert_cmpstr (striae_audit_action_to_string (STRIAE_AUDIT_DISCARD), ==, "discard");

  /* The audit chain is whole. */
  g_assert_true (striae_store_verify_audit (fixture->store, NULL, NULL, &error));
  g_assert_no_error (error);
}

/* The consultation's document is the one source of its facts (schema 8): what the file's
 * columns say follows it, and the store reads the status, date and practitioner from it. */
static void
test_document_is_truth (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(StriaeConsultation) consultation = new_consultation (fixture->patient,
                                                                 "2024-03-01");
  g_autoptr(StriaeConsultation) loaded = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *signed_by = NULL;
  gint64 id;

  striae_consultation_set_practitioner (consultation, "Dr Roux");
  g_assert_true (striae_store_save_consultation (fixture->store, consultation, NULL, &error));
  g_assert_no_error (error);
  id = striae_consultation_get_id (consultation);
  g_assert_true (striae_store_patient_has_draft (fixture->store, fixture->patient, &error));

  /* Completed behind the store, in the document alone: the store sees it complete, so it
   * can be signed, and it no longer counts as a draft. */
  g_assert_cmpint (edit_document (fixture, id, 1, "status", "complete", "date", "2024-04-01",
                                  NULL), ==, STRIAE_TEST_SQL_DONE);

  loaded = striae_store_get_consultation (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (striae_consultation_get_status (loaded), ==,
                   STRIAE_CONSULTATION_STATUS_COMPLETE);
  striae_assert_date (striae_consultation_get_date (loaded), "2024-04-01");
  g_assert_false (striae_store_patient_has_draft (fixture->store, fixture->patient, &error));
  g_assert_no_error (error);

  g_assert_true (striae_store_sign_consultation (fixture->store, id, "Dr Roux", &error));
  g_assert_no_error (error);
  list = striae_store_list_consultations (fixture->store, fixture->patient, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpint (striae_consultation_get_status (g_ptr_array_index (list, 0)), ==,
                   STRIAE_CONSULTATION_STATUS_SIGNED);
  g_assert_cmpstr (striae_consultation_get_practitioner (g_ptr_array_index (list, 0)), ==,
                   "Dr Roux");
  g_assert_true (striae_store_get_signature (fixture->store, id, 1, &signed_by, NULL, &error));
  g_assert_cmpstr (signed_by, ==, "Dr Roux");

  /* There is no other copy of a fact to change behind the store. */
  g_assert_cmpint (striae_test_store_try_exec (fixture->location,
                                               "UPDATE consultation_revisions"
                                               "  SET status = 'draft'"), ==,
                   STRIAE_TEST_SQL_INVALID);
}

static void
count_changes_cb (StriaeStore *store,
                  gint64       id,
                  guint       *n_changes)
{
  (*n_changes)++;
}

/* Two stores on the same records, as two PCs on one clinic server (or two Striae on one
 * file): each sees what the other wrote, a consultation signed on one is locked on the
 * other, and a check for changes reports the other's writes but never its own. */
static void
test_two_stores (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(StriaeStore) front_desk = striae_test_store_open (fixture->location);
  g_autoptr(StriaeConsultation) consultation = new_consultation (fixture->patient, "");
  g_autoptr(StriaeConsultation) seen = NULL;
  g_autoptr(StriaePatient) patient = NULL;
  g_autoptr(GArray) found = NULL;
  g_autoptr(GError) error = NULL;
  guint room_changes = 0, desk_changes = 0;
  gint64 n = 0, id;

  g_assert_true (striae_store_check_changes (fixture->store, &error));
  g_assert_true (striae_store_check_changes (front_desk, &error));
  g_assert_no_error (error);
  g_signal_connect (fixture->store, "patients-changed", G_CALLBACK (count_changes_cb),
                    &room_changes);
  g_signal_connect (front_desk, "patients-changed", G_CALLBACK (count_changes_cb),
                    &desk_changes);

  /* The consultation room saves and signs; the front desk reads it at once. */
  striae_consultation_set_status (consultation, STRIAE_CONSULTATION_STATUS_COMPLETE);
  g_assert_true (striae_store_save_consultation (fixture->store, consultation, "Dr Roux",
                                                 &error));
  g_assert_no_error (error);
  id = striae_consultation_get_id (consultation);
  g_assert_true (striae_store_sign_consultation (fixture->store, id, "Dr Roux", &error));
  g_assert_no_error (error);
  room_changes = 0;

  seen = striae_store_get_consultation (front_desk, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (striae_consultation_get_status (seen), ==,
                   STRIAE_CONSULTATION_STATUS_SIGNED);
  g_assert_true (striae_store_check_changes (front_desk, &error));
  g_assert_cmpuint (desk_changes, ==, 1);
  g_assert_true (striae_store_check_changes (fixture->store, &error));
  g_assert_cmpuint (room_changes, ==, 0);

  /* What the front desk is refused on the signed consultation. */
  striae_consultation_set_status (seen, STRIAE_CONSULTATION_STATUS_COMPLETE);
  g_assert_false (striae_store_save_consultation (front_desk, seen, NULL, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_LOCKED);
  g_clear_error (&error);

  /* Nor can SQL typed by hand change it. A server also refuses to delete it, or its
   * consultation, other than with its whole patient (an erasure). */
  {
    g_autofree char *update = g_strdup_printf ("UPDATE consultation_revisions"
                                               "  SET signed_by = 'Dr Nobody'"
                                               "  WHERE consultation_id = %" G_GINT64_FORMAT,
                                               id);
    g_autofree char *delete_revision = g_strdup_printf ("DELETE FROM consultation_revisions"
                                                        "  WHERE consultation_id = %"
                                                        G_GINT64_FORMAT, id);
    g_autofree char *delete_consultation = g_strdup_printf ("DELETE FROM consultations"
                                                            "  WHERE id = %" G_GINT64_FORMAT,
                                                            id);

    g_assert_cmpint (striae_test_store_try_exec (fixture->location, update), ==,
                     STRIAE_TEST_SQL_REFUSED);
    if (striae_test_backend_is ("postgresql"))
      {
        g_assert_cmpint (striae_test_store_try_exec (fixture->location, delete_revision), ==,
                         STRIAE_TEST_SQL_REFUSED);
        g_assert_cmpint (striae_test_store_try_exec (fixture->location, delete_consultation),
                         ==, STRIAE_TEST_SQL_REFUSED);
      }
  }

  /* The front desk adds a patient; the room finds them and hears of it. */
  patient = striae_patient_new ();
  striae_patient_set_given_name (patient, "Inès");
  striae_patient_set_family_name (patient, "Bérénger");
  striae_patient_set_birth_date (patient, striae_test_date ("1991-04-02"));
  g_assert_true (striae_store_add_patient (front_desk, patient, &error));
  g_assert_no_error (error);
  desk_changes = 0;
  found = striae_store_search_patients (fixture->store, "berenger ines", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpint (g_array_index (found, gint64, 0), ==, striae_patient_get_id (patient));
  g_assert_true (striae_store_check_changes (fixture->store, &error));
  g_assert_cmpuint (room_changes, ==, 1);
  g_assert_true (striae_store_check_changes (front_desk, &error));
  g_assert_cmpuint (desk_changes, ==, 0);

  /* Both wrote to one audit log, which holds as one chain. */
  g_assert_true (striae_store_verify_audit (front_desk, &n, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n, >=, 4);

  /* An erasure takes the signed consultation with its patient, and leaves the log whole. */
  g_assert_true (striae_store_erase_patient (front_desk, fixture->patient, &error));
  g_assert_no_error (error);
  g_assert_cmpint (striae_test_store_query_int (fixture->location,
                                                "SELECT count (*) FROM consultation_revisions"),
                   ==, 0);
  g_assert_true (striae_store_verify_audit (fixture->store, NULL, NULL, &error));
  g_assert_no_error (error);
}

static gpointer
add_patients_thread (gpointer data)
{
  StriaeStore *store = data;

  for (guint i = 0; i < 25; i++)
    {
      g_autoptr(StriaePatient) patient = striae_patient_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *given = g_strdup_printf ("Writer%u", i);
      GDate birth;

      /* Not striae_test_date(): its slots are not for threads. */
      g_date_clear (&birth, 1);
      g_date_set_dmy (&birth, 1, G_DATE_JANUARY, 1980);
      striae_patient_set_given_name (patient, given);
      striae_patient_set_family_name (patient, "Concurrent");
      striae_patient_set_birth_date (patient, &birth);
      g_assert_true (striae_store_add_patient (store, patient, &error));
      g_assert_no_error (error);
    }

  return NULL;
}

/* Four writers at once, each through a store of its own (four PCs): every write is kept and
 * the audit log stays one chain, since each write transaction waits for the others. */
static void
test_concurrent_writers (Fixture       *fixture,
                         gconstpointer  data)
{
  StriaeStore *stores[4];
  GThread *threads[4];
  g_autoptr(GError) error = NULL;
  gint64 n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (stores); i++)
    stores[i] = striae_test_store_open (fixture->location);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("writer", add_patients_thread, stores[i]);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);

  g_assert_cmpint (striae_store_count_patients (fixture->store, &error), ==, 1 + 4 * 25);
  g_assert_true (striae_store_verify_audit (fixture->store, &n, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 1 + 4 * 25);

  for (guint i = 0; i < G_N_ELEMENTS (stores); i++)
    g_object_unref (stores[i]);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/records/draft/partial", test_draft_partial);
  ADD ("/records/rules-audit", test_rules_audit);
  ADD ("/records/draft/refused", test_refused_saves);
  ADD ("/records/sign/lock", test_sign_lock);
  ADD ("/records/sign/not-treated", test_sign_not_treated);
  ADD ("/records/draft/discard", test_discard_draft);
  ADD ("/records/amend/keeps-original", test_amend_keeps_original);
  ADD ("/records/amend/reason", test_amend_reason);
  ADD ("/records/list/newest-first", test_list_newest_first);
  ADD ("/records/rules", test_rules);
  ADD ("/records/draft/resume-page", test_resume_page);
  ADD ("/records/document-is-truth", test_document_is_truth);
  ADD ("/records/two-stores", test_two_stores);
  ADD ("/records/concurrent-writers", test_concurrent_writers);
#undef ADD

  return g_test_run ();
}
