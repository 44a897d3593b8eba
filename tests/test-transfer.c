/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "striae-test-cli.h"
#include "sqlite/striae-sqlite-backend.h"
#include "striae-store.h"
#include "striae-test-files.h"
#include "striae-test-store.h"
#include "striae-test-date.h"

/* Export and import of a patient's record, erasure, backup and restore. */

typedef struct
{
  char        *dir;
  char        *path;
  StriaeStore *store;
  gint64       patient;
  gint64       first;   /* signed, then amended: two revisions */
  gint64       second;  /* a draft */
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(StriaePatient) patient = striae_patient_new ();
  g_autoptr(StriaePatient) other = striae_patient_new ();
  g_autoptr(StriaeConsultation) first = striae_consultation_new ();
  g_autoptr(StriaeConsultation) second = striae_consultation_new ();
  g_autoptr(StriaeConsultation) amended = NULL;
  g_autoptr(StriaeArea) area = striae_area_new (STRIAE_BODY_SITE_HIPS);
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("striae-transfer-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = striae_test_store_location (fixture->dir);
  fixture->store = striae_test_store_open (fixture->path);

  striae_patient_set_given_name (other, "Paul");
  striae_patient_set_family_name (other, "Durand");
  striae_patient_set_birth_date (other, striae_test_date ("1979-09-09"));
  g_assert_true (striae_store_add_patient (fixture->store, other, &error));

  striae_patient_set_given_name (patient, "Quentinella");
  striae_patient_set_family_name (patient, "Zyxwvutsky");
  striae_patient_set_birth_date (patient, striae_test_date ("1993-07-14"));
  striae_patient_set_phone (patient, "06 98 76 54 32");
  striae_patient_set_email (patient, "qz@example.org");
  striae_patient_set_sex (patient, STRIAE_SEX_FEMALE);
  striae_patient_set_notes (patient, "Prefers morning appointments.");
  g_assert_true (striae_store_add_patient (fixture->store, patient, &error));
  fixture->patient = striae_patient_get_id (patient);

  striae_consultation_set_patient_id (first, fixture->patient);
  striae_consultation_set_date (first, striae_test_date ("2024-02-01"));
  striae_consultation_set_practitioner (first, "Dr Roux");
  striae_history_set_answer (striae_consultation_get_history (first),
                             STRIAE_QUESTION_PREGNANCY, STRIAE_ANSWER_NO);
  striae_consultation_add_area (first, area);
  striae_consultation_set_status (first, STRIAE_CONSULTATION_STATUS_COMPLETE);
  g_assert_true (striae_store_save_consultation (fixture->store, first, NULL, &error));
  fixture->first = striae_consultation_get_id (first);
  g_assert_true (striae_store_sign_consultation (fixture->store, fixture->first, "Dr Roux",
                                                 &error));
  amended = striae_store_amend_consultation (fixture->store, fixture->first, NULL, "Wrong date",
                                             &error);
  striae_consultation_set_date (amended, striae_test_date ("2024-02-02"));
  g_assert_true (striae_store_save_consultation (fixture->store, amended, NULL, &error));

  striae_consultation_set_patient_id (second, fixture->patient);
  g_assert_true (striae_store_save_consultation (fixture->store, second, NULL, &error));
  fixture->second = striae_consultation_get_id (second);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  striae_test_store_remove (fixture->path);
  striae_test_remove_tree (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

/* Every table's rows, as text, to tell whether anything changed. */
static char *
dump_database (const char *location)
{
  return striae_test_store_dump (location);
}

static gint64
sql_count (const char *location,
           const char *sql)
{
  return striae_test_store_query_int (location, sql);
}

static gint64
audit_entries (const char *location)
{
  return sql_count (location, "SELECT count (*) FROM audit");
}

/* The dump of @location as a command line that changed nothing leaves it: every row as it
 * was, and at the end of the audit log nothing but the "sign-in" rows of the command's
 * account (written above @entries, checked here and left out of the dump). */
static char *
dump_but_sign_ins (const char *location,
                   gint64      entries)
{
  g_autofree char *where = g_strdup_printf ("SELECT count (*) FROM audit WHERE id > %"
                                            G_GINT64_FORMAT " AND action != 'sign-in'",
                                            entries);
  g_autofree char *dump = dump_database (location);
  gint64 added = audit_entries (location) - entries;
  g_auto(GStrv) lines = g_strsplit (dump, "\n", -1);
  g_autoptr(GString) kept = g_string_new (NULL);
  guint audit_end = 0;

  g_assert_cmpint (sql_count (location, where), ==, 0);
  g_assert_cmpint (added, >=, 0);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_equal (lines[i], "[audit]"))
      for (audit_end = i + 1; lines[audit_end] != NULL && lines[audit_end][0] != '['; )
        audit_end++;
  g_assert_cmpuint (audit_end, >, 0);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (i >= audit_end - added && i < audit_end)
        continue;
      if (kept->len > 0)
        g_string_append_c (kept, '\n');
      g_string_append (kept, lines[i]);
    }
  return g_string_free (g_steal_pointer (&kept), FALSE);
}

static char *
sql_text (const char *location,
          const char *sql)
{
  return striae_test_store_query_text (location, sql);
}

/* An export as a file from before record ids has it. */
static char *
without_record_id (const char *json)
{
  g_autoptr(JsonNode) root = json_from_string (json, NULL);
  JsonObject *patient;

  g_assert_nonnull (root);
  patient = json_object_get_object_member (json_node_get_object (root), "patient");
  g_assert_true (json_object_has_member (patient, "record-id"));
  json_object_remove_member (patient, "record-id");
  return json_to_string (root, TRUE);
}

/* A consultation's JSON without the numbers the store gives out. */
static char *
json_without_ids (StriaeConsultation *consultation)
{
  g_autoptr(StriaeConsultation) copy = striae_consultation_copy (consultation);

  striae_consultation_set_id (copy, 0);
  striae_consultation_set_patient_id (copy, 0);
  return striae_consultation_to_json (copy);
}

static GPtrArray *
all_revisions (StriaeStore *store,
               gint64       patient)
{
  g_autoptr(GPtrArray) list = striae_store_list_consultations (store, patient, NULL);
  GPtrArray *all = g_ptr_array_new_with_free_func (g_free);

  /* Oldest consultation first, then each one's revisions in order. */
  for (guint i = list->len; i > 0; i--)
    {
      StriaeConsultation *c = g_ptr_array_index (list, i - 1);
      g_autoptr(GPtrArray) revisions =
        striae_store_list_revisions (store, striae_consultation_get_id (c), NULL);

      for (guint r = 0; r < revisions->len; r++)
        g_ptr_array_add (all, json_without_ids (g_ptr_array_index (revisions, r)));
    }

  return all;
}

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autoptr(StriaePatient) original = NULL;
  g_autoptr(StriaePatient) imported = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *by = NULL;
  g_autofree char *other_path = striae_test_store_other_location (fixture->dir, "other.db");
  g_autofree char *record_sql = g_strdup_printf ("SELECT record_id FROM patients WHERE id = "
                                                 "%" G_GINT64_FORMAT, fixture->patient);
  g_autofree char *record_id = sql_text (fixture->path, record_sql);
  g_autofree char *imported_record_id = NULL;
  g_autofree char *dump = NULL;
  g_autofree char *dump_after = NULL;
  g_autoptr(StriaeStore) other = striae_store_open (other_path, &error);
  gboolean already = TRUE;
  gint64 id, again;

  g_assert_no_error (error);
  json = striae_store_export_patient (fixture->store, fixture->patient,
                                      STRIAE_EXPORT_FLAGS_WITH_AUDIT, &error);
  g_assert_no_error (error);

  root = json_from_string (json, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "format"), ==,
                   "striae-patient-export");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (root), "version"), ==, 4);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (root), "consultations")), ==, 3);
  /* Add patient, sign, amend, save ×2 …: the export itself is the last row about them. */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (root), "audit")), >=, 7);

  /* The record id travels with the record. */
  g_assert_true (g_uuid_string_is_valid (record_id));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (
                     json_node_get_object (root), "patient"), "record-id"), ==, record_id);

  id = striae_store_import_patient (other, json, -1, &already, &error);
  g_assert_no_error (error);
  g_assert_false (already);
  g_assert_cmpint (id, ==, 1);
  g_clear_pointer (&record_sql, g_free);
  record_sql = g_strdup_printf ("SELECT record_id FROM patients WHERE id = %" G_GINT64_FORMAT, id);
  imported_record_id = sql_text (other_path, record_sql);
  g_assert_cmpstr (imported_record_id, ==, record_id);

  /* Importing it again, or into the database it came from, adds nobody. */
  dump = dump_database (other_path);
  again = striae_store_import_patient (other, json, -1, &already, &error);
  g_assert_no_error (error);
  g_assert_true (already);
  g_assert_cmpint (again, ==, id);
  dump_after = dump_database (other_path);
  g_assert_cmpstr (dump_after, ==, dump);
  g_clear_pointer (&dump, g_free);
  g_clear_pointer (&dump_after, g_free);
  dump = dump_database (fixture->path);
  again = striae_store_import_patient (fixture->store, json, -1, &already, &error);
  g_assert_no_error (error);
  g_assert_true (already);
  g_assert_cmpint (again, ==, fixture->patient);
  dump_after = dump_database (fixture->path);
  g_assert_cmpstr (dump_after, ==, dump);

  original = striae_store_get_patient (fixture->store, fixture->patient, &error);
  imported = striae_store_get_patient (other, id, &error);
  g_assert_cmpstr (striae_patient_get_family_name (imported), ==,
                   striae_patient_get_family_name (original));
  g_assert_cmpstr (striae_patient_get_phone (imported), ==,
                   striae_patient_get_phone (original));
  g_assert_cmpstr (striae_patient_get_notes (imported), ==,
                   striae_patient_get_notes (original));
  g_assert_cmpint (striae_patient_get_sex (imported), ==, STRIAE_SEX_FEMALE);

  before = all_revisions (fixture->store, fixture->patient);
  after = all_revisions (other, id);
  g_assert_cmpuint (before->len, ==, 3);
  g_assert_cmpuint (after->len, ==, before->len);
  for (guint i = 0; i < before->len; i++)
    g_assert_cmpstr (g_ptr_array_index (after, i), ==, g_ptr_array_index (before, i));

  /* Signatures travel, and signed revisions stay locked. */
  {
    g_autoptr(GPtrArray) list = striae_store_list_consultations (other, id, NULL);
    gint64 first = 0;

    for (guint i = 0; i < list->len; i++)
      if (striae_consultation_get_revision (g_ptr_array_index (list, i)) == 2)
        first = striae_consultation_get_id (g_ptr_array_index (list, i));
    g_assert_cmpint (first, >, 0);
    g_assert_true (striae_store_get_signature (other, first, 1, &by, NULL, &error));
    g_assert_cmpstr (by, ==, "Dr Roux");
    g_assert_true (striae_store_patient_has_draft (other, id, NULL));
  }

  g_assert_true (striae_store_verify_audit (fixture->store, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (striae_store_verify_audit (other, NULL, NULL, &error));
  g_assert_no_error (error);
}

typedef struct
{
  const char *name;
  const char *json;
  const char *path;   /* the JSON path the message must name */
} BadImport;

#define PATIENT_OK \
  "\"patient\": {\"given-name\": \"A\", \"family-name\": \"B\", \"birth-date\": \"1990-01-01\"}"
#define HEADER "\"format\": \"striae-patient-export\", \"version\": 1, "

static const BadImport bad_imports[] = {
  { "not-json", "{ this is not json", "$" },
  { "not-object", "[1, 2, 3]", "$" },
  { "empty", "", "$" },
  { "no-format", "{\"version\": 1, " PATIENT_OK "}", "$.format" },
  { "wrong-format", "{\"format\": \"striae-consultation\", \"version\": 1, " PATIENT_OK "}",
    "$.format" },
  { "version-99", "{\"format\": \"striae-patient-export\", \"version\": 99, " PATIENT_OK "}",
    "$.version" },
  { "version-text", "{\"format\": \"striae-patient-export\", \"version\": \"1\", "
    PATIENT_OK "}", "$.version" },
  { "unknown-member", "{" HEADER PATIENT_OK ", \"extra\": true}", "$.extra" },
  { "missing-patient", "{" HEADER "\"consultations\": []}", "$.patient" },
  { "patient-not-object", "{" HEADER "\"patient\": 5}", "$.patient" },
  { "missing-family-name", "{" HEADER "\"patient\": {\"given-name\": \"A\", "
    "\"birth-date\": \"1990-01-01\"}}", "$.patient.family-name" },
  { "name-not-text", "{" HEADER "\"patient\": {\"given-name\": 12, \"family-name\": \"B\", "
    "\"birth-date\": \"1990-01-01\"}}", "$.patient.given-name" },
  { "future-birth-date", "{" HEADER "\"patient\": {\"given-name\": \"A\", "
    "\"family-name\": \"B\", \"birth-date\": \"2999-01-01\"}}", "$.patient.birth-date" },
  { "bad-sex", "{" HEADER "\"patient\": {\"given-name\": \"A\", \"family-name\": \"B\", "
    "\"birth-date\": \"1990-01-01\", \"sex\": \"robot\"}}", "$.patient.sex" },
  { "bad-email", "{" HEADER "\"patient\": {\"given-name\": \"A\", \"family-name\": \"B\", "
    "\"birth-date\": \"1990-01-01\", \"email\": \"not an address\"}}", "$.patient.email" },
  { "bad-created", "{" HEADER "\"patient\": {\"given-name\": \"A\", \"family-name\": \"B\", "
    "\"birth-date\": \"1990-01-01\", \"created\": \"yesterday\"}}", "$.patient.created" },
  { "consultations-not-list", "{" HEADER PATIENT_OK ", \"consultations\": {}}",
    "$.consultations" },
  { "consultation-not-object", "{" HEADER PATIENT_OK ", \"consultations\": [1]}",
    "$.consultations[0]" },
  { "consultation-bad-status", "{" HEADER PATIENT_OK ", \"consultations\": ["
    "{\"format\": 1, \"id\": 1, \"revision\": 1},"
    "{\"format\": 1, \"id\": 2, \"revision\": 1},"
    "{\"format\": 1, \"id\": 3, \"revision\": 1, \"status\": \"maybe\"}]}",
    "$.consultations[2].status" },
  { "consultation-bad-type", "{" HEADER PATIENT_OK ", \"consultations\": ["
    "{\"format\": 1, \"id\": 1, \"revision\": 1, \"date\": 20240101}]}",
    "$.consultations[0].date" },
  { "consultation-unknown-member", "{" HEADER PATIENT_OK ", \"consultations\": ["
    "{\"format\": 1, \"id\": 1, \"revision\": 1, \"colour\": \"red\"}]}",
    "$.consultations[0].colour" },
  { "consultation-no-id", "{" HEADER PATIENT_OK ", \"consultations\": ["
    "{\"format\": 1, \"revision\": 1}]}", "$.consultations[0].id" },
  { "revision-gap", "{" HEADER PATIENT_OK ", \"consultations\": ["
    "{\"format\": 1, \"id\": 1, \"revision\": 2}]}", "$.consultations[0].revision" },
  { "amended-unsigned", "{" HEADER PATIENT_OK ", \"consultations\": ["
    "{\"format\": 1, \"id\": 1, \"revision\": 1, \"status\": \"complete\"},"
    "{\"format\": 1, \"id\": 1, \"revision\": 2}]}", "$.consultations[0].status" },
  { "signed-without-signer", "{" HEADER PATIENT_OK ", \"consultations\": ["
    "{\"format\": 1, \"id\": 1, \"revision\": 1, \"status\": \"signed\"}]}",
    "$.consultations[0].record.signed-by" },
  { "draft-with-signer", "{" HEADER PATIENT_OK ", \"consultations\": ["
    "{\"format\": 1, \"id\": 1, \"revision\": 1, \"record\": {\"signed-by\": \"X\"}}]}",
    "$.consultations[0].record.signed-by" },
  { "bad-signed-at", "{" HEADER PATIENT_OK ", \"consultations\": ["
    "{\"format\": 1, \"id\": 1, \"revision\": 1, \"status\": \"signed\", \"record\": "
    "{\"signed-by\": \"X\", \"signed-at\": \"soon\"}}]}",
    "$.consultations[0].record.signed-at" },
  { "other-patient", "{" HEADER "\"patient\": {\"id\": 7, \"given-name\": \"A\", "
    "\"family-name\": \"B\", \"birth-date\": \"1990-01-01\"}, \"consultations\": ["
    "{\"format\": 1, \"id\": 1, \"patient-id\": 8, \"revision\": 1}]}",
    "$.consultations[0].patient-id" },
  { "duplicate", "{" HEADER PATIENT_OK ", \"consultations\": ["
    "{\"format\": 1, \"id\": 1, \"revision\": 1},"
    "{\"format\": 1, \"id\": 2, \"revision\": 1},"
    "{\"format\": 1, \"id\": 1, \"revision\": 1}]}", "$.consultations[2].id" },
  { "audit-not-list", "{" HEADER PATIENT_OK ", \"audit\": 3}", "$.audit" },
  { "audit-row-not-object", "{" HEADER PATIENT_OK ", \"audit\": [{}, \"x\"]}", "$.audit[1]" },
};

/* Refusals with their exact message: what json-glib would have read differently from the
 * text, and what the readers would have stored differently from the file. */
typedef struct
{
  const char *name;
  const char *json;
  const char *path;
  const char *what;
} ExactRefusal;

#define PATIENT_WITH(members) \
  "\"patient\": {\"given-name\": \"A\", \"family-name\": \"B\", \"birth-date\": \"1990-01-01\"" \
  members "}"

#define TIME_EXPECTED \
  "a date and time in UTC written as YYYY-MM-DDTHH:MM:SS or YYYY-MM-DDTHH:MM:SS.ffffff, " \
  "followed by Z, was expected."
#define NOT_AS_WRITTEN \
  "the text has spaces at either end or is not in Unicode normal form C, so it would not be " \
  "kept as written."

static const ExactRefusal exact_refusals[] = {
  /* Before json-glib: strict JSON, RFC 8259. */
  { "nul-escape", "{" HEADER "\"patient\": {\"given-name\": \"Zed\\u0000hidden\", "
    "\"family-name\": \"B\", \"birth-date\": \"1990-01-01\"}}", "$.patient.given-name",
    "the text holds a NUL character (\\u0000)." },
  { "nul-escape-in-name", "{" HEADER PATIENT_WITH (", \"no\\u0000tes\": \"x\"") "}",
    "$.patient", "the text holds a NUL character (\\u0000)." },
  { "nul-escape-in-consultation", "{" HEADER PATIENT_OK ", \"consultations\": [{\"format\": 1, "
    "\"id\": 1, \"revision\": 1, \"practitioner\": \"Dr\\u0000X\"}]}",
    "$.consultations[0].practitioner", "the text holds a NUL character (\\u0000)." },
  { "duplicate-patient", "{" HEADER PATIENT_OK ", " PATIENT_OK "}", "$.patient",
    "this member appears twice in its object." },
  { "duplicate-version", "{\"format\": \"striae-patient-export\", \"version\": 2, "
    "\"version\": 1, " PATIENT_OK "}", "$.version", "this member appears twice in its object." },
  { "duplicate-escaped-name", "{" HEADER PATIENT_WITH (", \"n\\u006ftes\": \"x\", "
    "\"notes\": \"y\"") "}", "$.patient.notes", "this member appears twice in its object." },
  { "duplicate-in-consultation", "{" HEADER PATIENT_OK ", \"consultations\": [{\"format\": 1, "
    "\"id\": 1, \"revision\": 1, \"plan\": {\"sessions\": 3, \"sessions\": 4}}]}",
    "$.consultations[0].plan.sessions", "this member appears twice in its object." },
  { "two-objects", "{" HEADER PATIENT_OK "}\n{" HEADER PATIENT_OK "}", "$",
    "more data follows the end of the JSON text." },
  { "trailing-text", "{" HEADER PATIENT_OK "} x", "$",
    "more data follows the end of the JSON text." },
  { "block-comment", "{" HEADER "/* who */ " PATIENT_OK "}", "$",
    "comments are not allowed in JSON." },
  { "line-comment", "{" HEADER PATIENT_WITH (", \"notes\": \"x\" // why\n") "}", "$.patient",
    "comments are not allowed in JSON." },
  { "single-quoted-name", "{'format': \"striae-patient-export\"}", "$",
    "text must be in double quotes, not single quotes." },
  { "single-quoted-value", "{" HEADER PATIENT_WITH (", \"notes\": 'x'") "}", "$.patient.notes",
    "text must be in double quotes, not single quotes." },
  { "invalid-utf8", "{" HEADER PATIENT_WITH (", \"notes\": \"caf\xe9\"") "}", "$.patient.notes",
    "the text is not valid UTF-8." },
  { "overlong-utf8", "{" HEADER PATIENT_WITH (", \"notes\": \"\xc0\xaf\"") "}",
    "$.patient.notes", "the text is not valid UTF-8." },
  { "utf8-surrogate", "{" HEADER PATIENT_WITH (", \"notes\": \"\xed\xa0\x80\"") "}",
    "$.patient.notes", "the text is not valid UTF-8." },
  { "raw-control-character", "{" HEADER PATIENT_WITH (", \"notes\": \"a\tb\"") "}",
    "$.patient.notes", "the text holds a control character that JSON requires to be escaped." },
  { "unknown-escape", "{" HEADER PATIENT_WITH (", \"notes\": \"\\x41\"") "}", "$.patient.notes",
    "the text holds an escape sequence that JSON does not know." },
  { "short-escape", "{" HEADER PATIENT_WITH (", \"notes\": \"\\u12\"") "}", "$.patient.notes",
    "the text holds an escape sequence that JSON does not know." },
  { "lone-surrogate", "{" HEADER PATIENT_WITH (", \"notes\": \"\\ud83d\"") "}",
    "$.patient.notes", "the text holds half of a UTF-16 surrogate pair." },
  { "reversed-surrogates", "{" HEADER PATIENT_WITH (", \"notes\": \"\\ude00\\ud83d\"") "}",
    "$.patient.notes", "the text holds half of a UTF-16 surrogate pair." },
  { "integer-too-large", "{" HEADER "\"patient\": {\"id\": 9223372036854775808, "
    "\"given-name\": \"A\", \"family-name\": \"B\", \"birth-date\": \"1990-01-01\"}}",
    "$.patient.id", "this number is too large or too small to be kept exactly." },
  { "double-too-large", "{" HEADER PATIENT_OK ", \"consultations\": [{\"format\": 1, \"id\": 1, "
    "\"revision\": 1, \"areas\": [{\"score\": 1e400}]}]}", "$.consultations[0].areas[0].score",
    "this number is too large or too small to be kept exactly." },
  { "double-too-small", "{" HEADER PATIENT_OK ", \"consultations\": [{\"format\": 1, \"id\": 1, "
    "\"revision\": 1, \"areas\": [{\"score\": 1e-400}]}]}", "$.consultations[0].areas[0].score",
    "this number is too large or too small to be kept exactly." },
  { "leading-zero", "{" HEADER PATIENT_OK ", \"audit\": [01]}", "$.audit",
    "the JSON text is malformed at byte 142." },
  { "trailing-comma", "{" HEADER PATIENT_OK ", \"audit\": [1,]}", "$.audit[1]",
    "the JSON text is malformed at byte 143." },
  { "truncated", "{" HEADER PATIENT_WITH (", \"notes\": \"x"), "$.patient.notes",
    "the JSON text ends too early." },
  { "byte-order-mark", "\xef\xbb\xbf{" HEADER PATIENT_OK "}", "$",
    "the JSON text is malformed at byte 1." },
  /* The readers: dates, times, numbers, text as written. */
  { "birth-date-slashes", "{" HEADER "\"patient\": {\"given-name\": \"A\", \"family-name\": "
    "\"B\", \"birth-date\": \"1990/05/12\"}}", "$.patient.birth-date",
    "expected a date written as YYYY-MM-DD." },
  { "birth-date-not-a-day", "{" HEADER "\"patient\": {\"given-name\": \"A\", \"family-name\": "
    "\"B\", \"birth-date\": \"1990-02-30\"}}", "$.patient.birth-date",
    "expected a date written as YYYY-MM-DD." },
  { "birth-date-short", "{" HEADER "\"patient\": {\"given-name\": \"A\", \"family-name\": "
    "\"B\", \"birth-date\": \"1990-5-12\"}}", "$.patient.birth-date",
    "expected a date written as YYYY-MM-DD." },
  { "birth-date-words", "{" HEADER "\"patient\": {\"given-name\": \"A\", \"family-name\": "
    "\"B\", \"birth-date\": \"12 May 1990\"}}", "$.patient.birth-date",
    "expected a date written as YYYY-MM-DD." },
  { "birth-date-empty", "{" HEADER "\"patient\": {\"given-name\": \"A\", \"family-name\": "
    "\"B\", \"birth-date\": \"\"}}", "$.patient.birth-date",
    "expected a date written as YYYY-MM-DD." },
  { "birth-date-spaces", "{" HEADER "\"patient\": {\"given-name\": \"A\", \"family-name\": "
    "\"B\", \"birth-date\": \" 1990-05-12\"}}", "$.patient.birth-date", NOT_AS_WRITTEN },
  { "time-without-z", "{" HEADER PATIENT_WITH (", \"created\": \"2024-05-02T09:14:03\"") "}",
    "$.patient.created", TIME_EXPECTED },
  { "time-with-offset", "{" HEADER PATIENT_WITH (", \"updated\": "
    "\"2024-05-02T09:14:03+05:00\"") "}", "$.patient.updated", TIME_EXPECTED },
  { "time-with-zero-offset", "{" HEADER PATIENT_WITH (", \"updated\": "
    "\"2024-05-02T09:14:03.5+00:00\"") "}", "$.patient.updated", TIME_EXPECTED },
  { "time-with-space", "{" HEADER PATIENT_WITH (", \"updated\": \"2024-05-02 09:14:03Z\"") "}",
    "$.patient.updated", TIME_EXPECTED },
  { "time-seven-digits", "{" HEADER PATIENT_WITH (", \"updated\": "
    "\"2024-05-02T09:14:03.1234567Z\"") "}", "$.patient.updated", TIME_EXPECTED },
  { "time-leap-second", "{" HEADER PATIENT_WITH (", \"updated\": \"2016-12-31T23:59:60Z\"")
    "}", "$.patient.updated", TIME_EXPECTED },
  { "time-not-a-day", "{" HEADER PATIENT_WITH (", \"updated\": \"2023-02-29T10:00:00Z\"") "}",
    "$.patient.updated", TIME_EXPECTED },
  { "time-24h", "{" HEADER PATIENT_WITH (", \"updated\": \"2023-02-28T24:00:00Z\"") "}",
    "$.patient.updated", TIME_EXPECTED },
  { "exported-without-z", "{" HEADER "\"exported\": \"2024-05-02T09:14:03.123456\", "
    PATIENT_OK "}", "$.exported", TIME_EXPECTED },
  { "signed-at-with-offset", "{" HEADER PATIENT_OK ", \"consultations\": [{\"format\": 1, "
    "\"id\": 1, \"revision\": 1, \"status\": \"signed\", \"record\": {\"signed-by\": \"X\", "
    "\"signed-at\": \"2024-02-01T10:21:00.000000+01:00\"}}]}",
    "$.consultations[0].record.signed-at", TIME_EXPECTED },
  { "sessions-out-of-range", "{" HEADER PATIENT_OK ", \"consultations\": [{\"format\": 1, "
    "\"id\": 1, \"revision\": 1, \"plan\": {\"sessions\": 21}}]}",
    "$.consultations[0].plan.sessions", "expected a number from 0 to 20." },
  { "score-out-of-range", "{" HEADER PATIENT_OK ", \"consultations\": [{\"format\": 1, "
    "\"id\": 1, \"revision\": 1, \"areas\": [{\"score\": 100.5}]}]}",
    "$.consultations[0].areas[0].score", "expected a number from 0 to 100." },
  { "side-unknown", "{" HEADER PATIENT_OK ", \"consultations\": [{\"format\": 1, "
    "\"id\": 1, \"revision\": 1, \"areas\": [{\"site\": \"thighs\", \"side\": \"front\"}]}]}",
    "$.consultations[0].areas[0].side",
    "“front” is not one of “not-recorded”, “left”, “right”, “both”, “not-applicable”." },
  { "side-on-midline-site", "{" HEADER PATIENT_OK ", \"consultations\": [{\"format\": 1, "
    "\"id\": 1, \"revision\": 1, \"areas\": [{\"site\": \"abdomen\", \"side\": \"left\"}]}]}",
    "$.consultations[0].areas[0].side",
    "only a paired site has a side: this site’s is “not-applicable”." },
  { "no-side-on-paired-site", "{" HEADER PATIENT_OK ", \"consultations\": [{\"format\": 1, "
    "\"id\": 1, \"revision\": 1, \"areas\": [{\"site\": \"hips\", "
    "\"side\": \"not-applicable\"}]}]}", "$.consultations[0].areas[0].side",
    "a paired site’s side is “not-recorded”, “left”, “right” or “both”." },
  { "extent-out-of-range", "{" HEADER PATIENT_OK ", \"consultations\": [{\"format\": 1, "
    "\"id\": 1, \"revision\": 1, \"areas\": [{\"extent-cm2\": 5001}]}]}",
    "$.consultations[0].areas[0].extent-cm2", "expected a number from 0 to 5000." },
  { "extent-not-whole", "{" HEADER PATIENT_OK ", \"consultations\": [{\"format\": 1, "
    "\"id\": 1, \"revision\": 1, \"areas\": [{\"extent-cm2\": 40.5}]}]}",
    "$.consultations[0].areas[0].extent-cm2", "expected a whole number." },
  { "reason-without-not-treated", "{" HEADER PATIENT_OK ", \"consultations\": [{\"format\": 1, "
    "\"id\": 1, \"revision\": 1, \"not-treated\": false, \"not-treated-reason\": \"x\"}]}",
    "$.consultations[0].not-treated-reason",
    "only a consultation signed as not treated has this reason; leave it empty." },
  { "see-again-without-not-treated", "{" HEADER PATIENT_OK ", \"consultations\": [{\"format\": 1, "
    "\"id\": 1, \"revision\": 1, \"see-again\": \"2027-01-04\"}]}",
    "$.consultations[0].see-again", "only a consultation signed as not treated has a date to "
    "see the patient again; leave it empty." },
  { "patient-id-negative", "{" HEADER "\"patient\": {\"id\": -1, \"given-name\": \"A\", "
    "\"family-name\": \"B\", \"birth-date\": \"1990-01-01\"}}", "$.patient.id",
    "a whole number of 0 or more was expected." },
  { "revision-zero", "{" HEADER PATIENT_OK ", \"consultations\": [{\"format\": 1, "
    "\"id\": 1, \"revision\": 0}]}", "$.consultations[0].revision",
    "expected a number from 1 to 4294967295." },
  { "consultation-format", "{" HEADER PATIENT_OK ", \"consultations\": [{\"format\": 3, "
    "\"id\": 1, \"revision\": 1}]}", "$.consultations[0].format",
    "format 3 is not one this version of Striae reads (it reads format 2)." },
  { "name-with-spaces", "{" HEADER "\"patient\": {\"given-name\": \" A\", \"family-name\": "
    "\"B\", \"birth-date\": \"1990-01-01\"}}", "$.patient.given-name", NOT_AS_WRITTEN },
  { "name-decomposed", "{" HEADER "\"patient\": {\"given-name\": \"Zoe\\u0308\", "
    "\"family-name\": \"B\", \"birth-date\": \"1990-01-01\"}}", "$.patient.given-name",
    NOT_AS_WRITTEN },
  { "practitioner-with-spaces", "{" HEADER PATIENT_OK ", \"consultations\": [{\"format\": 1, "
    "\"id\": 1, \"revision\": 1, \"practitioner\": \"Dr Roux \"}]}",
    "$.consultations[0].practitioner", NOT_AS_WRITTEN },
  { "detail-decomposed", "{" HEADER PATIENT_OK ", \"consultations\": [{\"format\": 1, "
    "\"id\": 1, \"revision\": 1, \"history\": {\"answers\": {\"pregnancy\": {\"detail\": "
    "\"cafe\\u0301\"}}}}]}", "$.consultations[0].history.answers.pregnancy.detail",
    NOT_AS_WRITTEN },
  { "acknowledged-twice", "{" HEADER PATIENT_OK ", \"consultations\": [{\"format\": 1, "
    "\"id\": 1, \"revision\": 1, \"acknowledged\": [\"a\", \"b\", \"a\"]}]}",
    "$.consultations[0].acknowledged[2]", "this item is already in the list." },
  { "struck-twice", "{" HEADER PATIENT_OK ", \"consultations\": [{\"format\": 1, "
    "\"id\": 1, \"revision\": 1, \"sheet\": {\"struck\": [\"x\", \"x\"]}}]}",
    "$.consultations[0].sheet.struck[1]", "this item is already in the list." },
  { "added-empty", "{" HEADER PATIENT_OK ", \"consultations\": [{\"format\": 1, "
    "\"id\": 1, \"revision\": 1, \"sheet\": {\"added\": [\"Rest\", \"\"]}}]}",
    "$.consultations[0].sheet.added[1]", "an empty text is not allowed in this list." },
  { "adjunct-twice", "{" HEADER PATIENT_OK ", \"consultations\": [{\"format\": 1, "
    "\"id\": 1, \"revision\": 1, \"plan\": {\"adjuncts\": [\"prp\", \"prp\"]}}]}",
    "$.consultations[0].plan.adjuncts[1]", "this item is already in the list." },
  { "record-id-not-uuid", "{" HEADER "\"patient\": {\"record-id\": \"patient-7\", "
    "\"given-name\": \"A\", \"family-name\": \"B\", \"birth-date\": \"1990-01-01\"}}",
    "$.patient.record-id",
    "a UUID such as “0c6ef1a4-4b8e-4e0e-9f1b-2c1d3e4f5a6b” was expected." },
  { "record-id-empty", "{" HEADER "\"patient\": {\"record-id\": \"\", "
    "\"given-name\": \"A\", \"family-name\": \"B\", \"birth-date\": \"1990-01-01\"}}",
    "$.patient.record-id",
    "a UUID such as “0c6ef1a4-4b8e-4e0e-9f1b-2c1d3e4f5a6b” was expected." },
  { "record-id-upper-case", "{" HEADER "\"patient\": {\"record-id\": "
    "\"0C6EF1A4-4B8E-4E0E-9F1B-2C1D3E4F5A6B\", \"given-name\": \"A\", \"family-name\": \"B\", "
    "\"birth-date\": \"1990-01-01\"}}", "$.patient.record-id",
    "a UUID is written in lower case in an export." },
  { "record-id-number", "{" HEADER "\"patient\": {\"record-id\": 7, "
    "\"given-name\": \"A\", \"family-name\": \"B\", \"birth-date\": \"1990-01-01\"}}",
    "$.patient.record-id", "a text was expected." },
  { "value-with-line-break", "{" HEADER PATIENT_WITH (", \"language\": \"a\\nb\"") "}",
    "$.patient.language",
    "“a\\nb” is not a language code such as “en”, “de” or “pt_BR”." },
  { "name-with-line-break", "{" HEADER PATIENT_WITH (", \"x\\ty\": 1") "}",
    "$.patient.x\\ty", "this member is unknown." },
  { "long-member-name", "{" HEADER PATIENT_WITH (", \"" "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"
    "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn\": 1") "}",
    "$.patient", "a member name is longer than 100 characters." },
};

/* The database before and after a refused import, and the exact message. */
static void
assert_refused (Fixture    *fixture,
                const char *json,
                gssize      length,
                const char *path,
                const char *what)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = dump_database (fixture->path);
  g_autofree char *after = NULL;
  g_autofree char *expected = g_strdup_printf ("The file was not imported and nothing was "
                                               "changed: at %s, %s", path, what);

  g_assert_cmpint (striae_store_import_patient (fixture->store, json, length, NULL, &error), ==,
                   0);
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, expected);

  after = dump_database (fixture->path);
  g_assert_cmpstr (before, ==, after);
}

static void
test_exact_refusal (Fixture       *fixture,
                    gconstpointer  data)
{
  const ExactRefusal *refusal = data;

  assert_refused (fixture, refusal->json, -1, refusal->path, refusal->what);
}

/* 80 000 levels overflowed json-glib's stack; the ninth is refused before it reads a byte. */
static void
test_refused_deep (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GString) json = g_string_new (NULL);
  g_autoptr(GString) path = g_string_new ("$");

  for (guint i = 0; i < 80000; i++)
    g_string_append_c (json, '[');
  for (guint i = 0; i < 80000; i++)
    g_string_append_c (json, ']');
  for (guint i = 0; i < 8; i++)
    g_string_append (path, "[0]");
  assert_refused (fixture, json->str, json->len, path->str,
                  "the data is nested more than 8 levels deep.");

  g_string_assign (json, "{" HEADER PATIENT_OK ", \"audit\": [{\"a\": [[[[[[1]]]]]]}]}");
  assert_refused (fixture, json->str, -1, "$.audit[0].a[0][0][0][0][0]",
                  "the data is nested more than 8 levels deep.");
}

/* Text one character over its length, in every kind of field; the patient's in é, which
 * normalising took quadratic time over. */
typedef struct
{
  const char *path;
  guint       max;
  const char *format;   /* the file, with %s for the text */
} LongText;

#define CONSULTATION(members) \
  "{" HEADER PATIENT_OK ", \"consultations\": [{\"format\": 1, \"id\": 1, \"revision\": 1, " \
  members "}]}"

static const LongText long_texts[] = {
  { "$.patient.given-name", 100, "{" HEADER "\"patient\": {\"given-name\": \"%s\", "
    "\"family-name\": \"B\", \"birth-date\": \"1990-01-01\"}}" },
  { "$.patient.family-name", 100, "{" HEADER "\"patient\": {\"given-name\": \"A\", "
    "\"family-name\": \"%s\", \"birth-date\": \"1990-01-01\"}}" },
  { "$.patient.phone", 32, "{" HEADER PATIENT_WITH (", \"phone\": \"%s\"") "}" },
  { "$.patient.email", 254, "{" HEADER PATIENT_WITH (", \"email\": \"%s\"") "}" },
  { "$.patient.language", 5, "{" HEADER PATIENT_WITH (", \"language\": \"%s\"") "}" },
  { "$.patient.notes", 10000, "{" HEADER PATIENT_WITH (", \"notes\": \"%s\"") "}" },
  { "$.generator", 200, "{" HEADER "\"generator\": \"%s\", " PATIENT_OK "}" },
  { "$.consultations[0].practitioner", 200, CONSULTATION ("\"practitioner\": \"%s\"") },
  { "$.consultations[0].record.signed-by", 200,
    CONSULTATION ("\"record\": {\"signed-by\": \"%s\"}") },
  { "$.consultations[0].rules.hash", 100, CONSULTATION ("\"rules\": {\"hash\": \"%s\"}") },
  { "$.consultations[0].history.answers.pregnancy.detail", 2000,
    CONSULTATION ("\"history\": {\"answers\": {\"pregnancy\": {\"detail\": \"%s\"}}}") },
  { "$.consultations[0].history.medication", 10000,
    CONSULTATION ("\"history\": {\"medication\": \"%s\"}") },
  { "$.consultations[0].skin.products", 2000, CONSULTATION ("\"skin\": {\"products\": \"%s\"}") },
  { "$.consultations[0].areas[0].id", 100, CONSULTATION ("\"areas\": [{\"id\": \"%s\"}]") },
  { "$.consultations[0].areas[0].notes", 2000, CONSULTATION ("\"areas\": [{\"notes\": \"%s\"}]") },
  { "$.consultations[0].areas[0].depth-reason", 2000,
    CONSULTATION ("\"areas\": [{\"depth-reason\": \"%s\"}]") },
  { "$.consultations[0].plan.sessions-reason", 2000,
    CONSULTATION ("\"plan\": {\"sessions-reason\": \"%s\"}") },
  { "$.consultations[0].plan.numbing-cream-reason", 2000,
    CONSULTATION ("\"plan\": {\"numbing-cream-reason\": \"%s\"}") },
  { "$.consultations[0].acknowledged[0]", 100, CONSULTATION ("\"acknowledged\": [\"%s\"]") },
  { "$.consultations[0].sheet.added[0]", 2000, CONSULTATION ("\"sheet\": {\"added\": [\"%s\"]}") },
  { "$.consultations[0].sheet.struck[0]", 100,
    CONSULTATION ("\"sheet\": {\"struck\": [\"%s\"]}") },
  { "$.consultations[0].plan.device", 100, CONSULTATION ("\"plan\": {\"device\": \"%s\"}") },
};

static char *
repeat (const char *unit,
        guint       n)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append (text, unit);

  return g_string_free (text, FALSE);
}

/* @pattern with its "%s" replaced by @text. */
static char *
fill (const char *pattern,
      const char *text)
{
  const char *at = strstr (pattern, "%s");

  g_assert_nonnull (at);
  return g_strdup_printf ("%.*s%s%s", (int) (at - pattern), pattern, text, at + 2);
}

static void
test_refused_long (Fixture       *fixture,
                   gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (long_texts); i++)
    {
      const LongText *field = &long_texts[i];
      g_autofree char *text = repeat ("\xc3\xa9", field->max + 1);
      g_autofree char *json = fill (field->format, text);
      g_autofree char *what = g_strdup_printf ("the text is longer than the %u characters "
                                               "allowed.", field->max);

      assert_refused (fixture, json, -1, field->path, what);
    }
}

/* The fuzzer's case: notes of 320 000 "é" took 14 s to be refused; a 2 MB practitioner's
 * name was accepted. */
static void
test_refused_long_fast (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *notes = repeat ("\xc3\xa9", 320000);
  g_autofree char *name = repeat ("Dr ", 700000);
  g_autofree char *json = g_strdup_printf ("{" HEADER PATIENT_WITH (", \"notes\": \"%s\"") "}",
                                           notes);
  g_autofree char *consultation = g_strdup_printf (CONSULTATION ("\"practitioner\": \"%s\""),
                                                   name);
  gint64 start = g_get_monotonic_time ();
  gint64 elapsed;

  assert_refused (fixture, json, -1, "$.patient.notes",
                  "the text is longer than the 10000 characters allowed.");
  elapsed = g_get_monotonic_time () - start;
  g_test_message ("320 000 “é” of notes refused in %" G_GINT64_FORMAT " ms", elapsed / 1000);
  g_assert_cmpint (elapsed, <, 2 * G_USEC_PER_SEC);

  assert_refused (fixture, consultation, -1, "$.consultations[0].practitioner",
                  "the text is longer than the 200 characters allowed.");
}

/* Lists within their bounds: areas, strings, revisions. */
static void
test_refused_many (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GString) items = g_string_new (NULL);
  g_autoptr(GString) revisions = g_string_new (NULL);
  g_autofree char *json = NULL;

  for (guint i = 0; i < 101; i++)
    g_string_append_printf (items, "%s{\"id\": \"a%u\"}", i ? ", " : "", i);
  json = g_strdup_printf (CONSULTATION ("\"areas\": [%s]"), items->str);
  assert_refused (fixture, json, -1, "$.consultations[0].areas",
                  "the list has more than the 100 items allowed.");

  g_string_truncate (items, 0);
  for (guint i = 0; i < 501; i++)
    g_string_append_printf (items, "%s\"f%u\"", i ? ", " : "", i);
  g_clear_pointer (&json, g_free);
  json = g_strdup_printf (CONSULTATION ("\"acknowledged\": [%s]"), items->str);
  assert_refused (fixture, json, -1, "$.consultations[0].acknowledged",
                  "the list has more than the 500 items allowed.");

  for (guint i = 0; i < 1001; i++)
    g_string_append_printf (revisions, "%s{\"format\": 1, \"id\": %u, \"revision\": 1}",
                            i ? ", " : "", i + 1);
  g_clear_pointer (&json, g_free);
  json = g_strdup_printf ("{" HEADER PATIENT_OK ", \"consultations\": [%s]}", revisions->str);
  assert_refused (fixture, json, -1, "$.consultations",
                  "the list has more than the 1000 items allowed.");
}

/* The size is checked first, without reading further than one byte past the bound. */
#define TOO_LARGE "the file is larger than the 256 MB an export may have."
static void
test_refused_large (Fixture       *fixture,
                    gconstpointer  data)
{
  gsize size = 256 * 1024 * 1024 + 1;
  g_autofree char *json = g_malloc (size + 1);

  memset (json, ' ', size);
  json[0] = '{';
  json[size - 1] = '}';
  json[size] = '\0';
  assert_refused (fixture, json, size, "$", TOO_LARGE);
  assert_refused (fixture, json, -1, "$", TOO_LARGE);

  /* Without a NUL byte at the end, with -1: strnlen stops one past the bound. */
  memset (json, 'x', size + 1);
  assert_refused (fixture, json, -1, "$", TOO_LARGE);
}

static void
test_bad_import (Fixture       *fixture,
                 gconstpointer  data)
{
  const BadImport *bad = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *quoted = g_strdup_printf ("at %s,", bad->path);
  g_autofree char *quoted_core = g_strdup_printf ("at %s:", bad->path);

  before = dump_database (fixture->path);
  g_assert_cmpint (striae_store_import_patient (fixture->store, bad->json, -1, NULL, &error),
                   ==, 0);
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID);
  g_test_message ("%s", error->message);
  if (strstr (error->message, quoted) == NULL && strstr (error->message, quoted_core) == NULL)
    g_error ("“%s” does not name %s", error->message, bad->path);

  after = dump_database (fixture->path);
  g_assert_cmpstr (before, ==, after);
}

/* A valid file whose last consultation fails in the database (a revision the schema refuses)
 * leaves nothing behind either. */
static void
test_import_all_or_nothing (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *exported = striae_store_export_patient (fixture->store, fixture->patient, 0,
                                                           &error);
  /* Without its record id, which is in this database already. */
  g_autofree char *json = without_record_id (exported);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  striae_test_store_refuse_insert (fixture->path, "consultation_revisions",
                                   "new.revision = 2");

  before = dump_database (fixture->path);
  g_assert_cmpint (striae_store_import_patient (fixture->store, json, -1, NULL, &error), ==, 0);
  g_assert_nonnull (error);
  /* On a server the revision is sent with the commit (queued): the refusal's own words still
   * reach the caller. */
  if (striae_test_backend_is ("postgresql"))
    g_assert_nonnull (strstr (error->message, ": refused"));
  after = dump_database (fixture->path);
  g_assert_cmpstr (before, ==, after);
}

/* @json with @record_id as the patient's record id. */
static char *
with_record_id (const char *json,
                const char *record_id)
{
  g_autoptr(JsonNode) root = json_from_string (json, NULL);

  g_assert_nonnull (root);
  json_object_set_string_member (json_object_get_object_member (json_node_get_object (root),
                                                                "patient"),
                                 "record-id", record_id);
  return json_to_string (root, TRUE);
}

static gint64
count_record (const char *path,
              const char *record_id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM patients WHERE record_id = "
                                          "'%s'", record_id);

  return sql_count (path, sql);
}

/* An archived patient stays archived through export and import; a file from before
 * archiving (no "archived") imports as not archived, and the member must be a boolean. */
static void
test_archived_round_trip (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *other_path = striae_test_store_other_location (fixture->dir, "other.db");
  g_autoptr(StriaeStore) other = striae_store_open (other_path, &error);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GArray) listed = NULL;
  gboolean already = TRUE;
  gboolean archived = FALSE;
  JsonObject *patient;
  gint64 id;

  g_assert_no_error (error);
  g_assert_true (striae_store_set_patient_archived (fixture->store, fixture->patient, TRUE,
                                                    NULL, &error));
  json = striae_store_export_patient (fixture->store, fixture->patient,
                                      STRIAE_EXPORT_FLAGS_NONE, &error);
  g_assert_no_error (error);
  root = json_from_string (json, &error);
  patient = json_object_get_object_member (json_node_get_object (root), "patient");
  g_assert_true (json_object_get_boolean_member (patient, "archived"));

  id = striae_store_import_patient (other, json, -1, &already, &error);
  g_assert_no_error (error);
  g_assert_true (striae_store_get_patient_archived (other, id, &archived, &error));
  g_assert_true (archived);
  listed = striae_store_search_patients (other, "", 0, &error);
  g_assert_cmpuint (listed->len, ==, 0);

  /* Without the member (an older file, here without its record id too): not archived. */
  json_object_remove_member (patient, "archived");
  json_object_remove_member (patient, "record-id");
  g_free (json);
  json = json_to_string (root, FALSE);
  id = striae_store_import_patient (other, json, -1, &already, &error);
  g_assert_no_error (error);
  g_assert_false (already);
  g_assert_true (striae_store_get_patient_archived (other, id, &archived, &error));
  g_assert_false (archived);

  /* Not a boolean: refused, naming the member. */
  json_object_set_string_member (patient, "archived", "yes");
  g_free (json);
  json = json_to_string (root, FALSE);
  g_assert_cmpint (striae_store_import_patient (other, json, -1, &already, &error), ==, 0);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "$.patient.archived"));
}

/* A consultation signed as not treated keeps its reason and date through export and
 * import. */
static void
test_not_treated_round_trip (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *other_path = striae_test_store_other_location (fixture->dir, "other.db");
  g_autoptr(StriaeStore) other = striae_store_open (other_path, &error);
  g_autoptr(GPtrArray) list = NULL;
  gboolean already = TRUE;
  gboolean found = FALSE;
  gint64 id;

  g_assert_no_error (error);
  g_assert_true (striae_store_sign_not_treated (fixture->store, fixture->second, "Dr Roux",
                                                "Pregnant", striae_test_date ("2027-03-01"),
                                                &error));
  g_assert_no_error (error);
  json = striae_store_export_patient (fixture->store, fixture->patient,
                                      STRIAE_EXPORT_FLAGS_NONE, &error);
  g_assert_no_error (error);
  id = striae_store_import_patient (other, json, -1, &already, &error);
  g_assert_no_error (error);
  g_assert_false (already);

  list = striae_store_list_consultations (other, id, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < list->len; i++)
    {
      StriaeConsultation *c = g_ptr_array_index (list, i);

      if (!striae_consultation_is_not_treated (c))
        continue;
      found = TRUE;
      g_assert_cmpint (striae_consultation_get_status (c), ==,
                       STRIAE_CONSULTATION_STATUS_SIGNED);
      g_assert_cmpstr (striae_consultation_get_not_treated_reason (c), ==, "Pregnant");
      striae_assert_date (striae_consultation_get_see_again (c), "2027-03-01");
    }
  g_assert_true (found);
}

/* A file from before record ids is imported as before, as a new patient each time, who gets
 * a new record id. */
static void
test_import_older_file (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *exported = striae_store_export_patient (fixture->store, fixture->patient, 0,
                                                           &error);
  g_autofree char *json = without_record_id (exported);
  g_autofree char *first_sql = NULL;
  g_autofree char *second_sql = NULL;
  g_autofree char *first_id = NULL;
  g_autofree char *second_id = NULL;
  gboolean already = TRUE;
  gint64 first, second;

  first = striae_store_import_patient (fixture->store, json, -1, &already, &error);
  g_assert_no_error (error);
  g_assert_false (already);
  second = striae_store_import_patient (fixture->store, json, -1, &already, &error);
  g_assert_no_error (error);
  g_assert_false (already);
  g_assert_cmpint (second, >, first);
  g_assert_cmpint (first, >, fixture->patient);

  first_sql = g_strdup_printf ("SELECT record_id FROM patients WHERE id = %" G_GINT64_FORMAT,
                               first);
  second_sql = g_strdup_printf ("SELECT record_id FROM patients WHERE id = %" G_GINT64_FORMAT,
                                second);
  first_id = sql_text (fixture->path, first_sql);
  second_id = sql_text (fixture->path, second_sql);
  g_assert_true (g_uuid_string_is_valid (first_id));
  g_assert_true (g_uuid_string_is_valid (second_id));
  g_assert_cmpstr (first_id, !=, second_id);
  g_assert_cmpint (count_record (fixture->path, first_id), ==, 1);
}

/* The child: imports @json into @path, then, with @hold, says so on @fd and waits to be
 * killed, as a command that committed but had not printed the new id yet. */
static G_NORETURN void
import_child (const char *path,
              const char *json,
              gboolean    hold,
              int         fd)
{
  g_autoptr(StriaeStore) store = NULL;
  g_autoptr(GError) error = NULL;

  store = striae_store_open (path, &error);
  if (store == NULL || striae_store_import_patient (store, json, -1, NULL, &error) == 0)
    {
      g_printerr ("import child: %s\n", error->message);
      _exit (2);
    }
  if (hold)
    {
      if (write (fd, "c", 1) != 1)
        _exit (3);
      g_usleep (60 * G_USEC_PER_SEC);
    }
  _exit (0);
}

/* Runs an import in a child process and kills it with SIGKILL after @delay_us, or right
 * after it committed with a negative @delay_us, or lets it finish with G_MAXINT64. Returns
 * how long the child ran, in µs. */
static gint64
run_import_child (const char *path,
                  const char *json,
                  gint64      delay_us,
                  gboolean   *finished)
{
  gint64 start = g_get_monotonic_time ();
  gboolean hold = delay_us < 0;
  int fds[2];
  int status = 0;
  pid_t pid;

  g_assert_cmpint (pipe (fds), ==, 0);
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    import_child (path, json, hold, fds[1]);
  close (fds[1]);

  if (hold)
    {
      char c = 0;

      g_assert_cmpint (read (fds[0], &c, 1), ==, 1);
      kill (pid, SIGKILL);
    }
  else if (delay_us != G_MAXINT64)
    {
      g_usleep (delay_us);
      kill (pid, SIGKILL);
    }
  close (fds[0]);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);

  /* A child that failed by itself, rather than being killed or finishing, is a bug. */
  *finished = WIFEXITED (status);
  if (*finished)
    g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  else
    g_assert_true (WIFSIGNALED (status) && WTERMSIG (status) == SIGKILL);

  return g_get_monotonic_time () - start;
}

/* The fuzzer's case: imports killed with SIGKILL had committed without printing the new id,
 * and a script that retried added the patient twice. Killed at random moments, from before
 * the store opens to after the commit, then retried, every record is there exactly once. */
static void
test_import_kill_and_retry (Fixture       *fixture,
                            gconstpointer  data)
{
  const guint n_rounds = 60;
  g_autoptr(GError) error = NULL;
  g_autofree char *target = striae_test_store_other_location (fixture->dir, "target.db");
  g_autofree char *json = striae_store_export_patient (fixture->store, fixture->patient,
                                                       STRIAE_EXPORT_FLAGS_WITH_AUDIT, &error);
  g_autoptr(StriaeStore) store = striae_store_open (target, &error);
  GRand *rand = g_rand_new_with_seed (7717);
  guint committed = 0, not_committed = 0, finished_alone = 0;
  gboolean finished;
  gint64 duration;

  g_assert_no_error (error);
  g_clear_object (&store);

  /* How long an import takes from fork to exit, to kill across all of it. */
  {
    g_autofree char *uuid = g_uuid_string_random ();
    g_autofree char *first = with_record_id (json, uuid);

    duration = run_import_child (target, first, G_MAXINT64, &finished);
    g_assert_true (finished);
    g_assert_cmpint (count_record (target, uuid), ==, 1);
  }

  /* Every fifth kill comes right after the commit, before the child could print. */
  for (guint round = 0; round < n_rounds; round++)
    {
      g_autofree char *uuid = g_uuid_string_random ();
      g_autofree char *record = with_record_id (json, uuid);
      gint64 delay = round % 5 == 4
                     ? -1 : g_rand_int_range (rand, 0, (gint32) MIN (duration * 3 / 2,
                                                                    G_MAXINT32));
      gboolean already = FALSE;
      gint64 id;

      run_import_child (target, record, delay, &finished);
      finished_alone += finished;

      store = striae_store_open (target, &error);
      g_assert_no_error (error);
      id = striae_store_import_patient (store, record, -1, &already, &error);
      g_assert_no_error (error);
      g_assert_cmpint (id, >, 0);
      if (already)
        committed++;
      else
        not_committed++;
      g_assert_true (finished || delay < 0 ? already : TRUE);
      g_clear_object (&store);

      g_assert_cmpint (count_record (target, uuid), ==, 1);
    }
  g_rand_free (rand);

  g_test_message ("%u imports killed and retried (an import takes %" G_GINT64_FORMAT " ms; "
                  "%u killed right after the commit): %u had committed (%u of them finished "
                  "before the kill), %u had not", n_rounds, duration / 1000, n_rounds / 5,
                  committed, finished_alone, not_committed);
  g_assert_cmpint (sql_count (target, "SELECT count (*) FROM patients"), ==, n_rounds + 1);
  g_assert_cmpint (sql_count (target, "SELECT count (DISTINCT record_id) FROM patients"), ==,
                   n_rounds + 1);

  striae_test_store_assert_intact (target);
  store = striae_store_open (target, &error);
  g_assert_no_error (error);
  g_assert_true (striae_store_verify_audit (store, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
assert_file_lacks (const char *path,
                   const char *text)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return;
  g_assert_null (memmem (contents, length, text, strlen (text)));
}

static void
test_erase (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *wal = g_strconcat (fixture->path, "-wal", NULL);
  g_autofree char *where = NULL;
  g_autoptr(GArray) found = NULL;
  g_autoptr(StriaePatient) other = NULL;
  g_autofree char *shm = g_strconcat (fixture->path, "-shm", NULL);
  static const char * const traces[] = {
    "Zyxwvutsky", "zyxwvutsky", "ZYXWVUTSKY", "Quentinella", "quentinella", "qz@example.org",
    "0698765432", "06 98 76 54 32", "Prefers morning",
  };
  sqlite3 *other_db = NULL;
  gint64 n_before = 0, n_after = 0;

  g_assert_true (striae_store_verify_audit (fixture->store, &n_before, NULL, &error));

  /* A second connection stays open, as another window or the front desk's batch would hold
   * one, and has read the patient into its page cache. */
  g_assert_cmpint (sqlite3_open_v2 (fixture->path, &other_db, SQLITE_OPEN_READWRITE, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (other_db, "SELECT * FROM patients; SELECT * FROM patients_fts"
                                 " WHERE patients_fts MATCH 'zyxwvutsky'", NULL, NULL, NULL),
                   ==, SQLITE_OK);

  g_assert_true (striae_store_erase_patient (fixture->store, fixture->patient, &error));
  g_assert_no_error (error);

  g_assert_false (striae_store_erase_patient (fixture->store, fixture->patient, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* The chain still verifies, one "erase" row longer, naming nobody. */
  g_assert_true (striae_store_verify_audit (fixture->store, &n_after, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n_after, ==, n_before + 1);
  g_assert_cmpint (sql_count (fixture->path, "SELECT count (*) FROM audit WHERE id = "
                              "(SELECT max (id) FROM audit) AND action = 'erase' AND "
                              "subject IS NULL AND consultation_id IS NULL AND detail = ''"),
                   ==, 1);

  /* No row of theirs anywhere. */
  where = g_strdup_printf ("SELECT (SELECT count (*) FROM patients WHERE id = %1$" G_GINT64_FORMAT
                           ") + (SELECT count (*) FROM consultations WHERE patient_id = %1$"
                           G_GINT64_FORMAT ") + (SELECT count (*) FROM consultation_revisions"
                           " WHERE consultation_id IN (%2$" G_GINT64_FORMAT ", %3$"
                           G_GINT64_FORMAT ")) + (SELECT count (*) FROM audit_subjects WHERE "
                           "patient_id = %1$" G_GINT64_FORMAT ") + (SELECT count (*) FROM "
                           "audit a WHERE a.subject NOT IN (SELECT subject FROM "
                           "audit_subjects) AND a.subject IN (SELECT subject FROM "
                           "audit_subjects))", fixture->patient, fixture->first,
                           fixture->second);
  g_assert_cmpint (sql_count (fixture->path, where), ==, 0);
  found = striae_store_search_patients (fixture->store, "Zyxwvutsky", 0, &error);
  g_assert_cmpuint (found->len, ==, 0);
  g_clear_pointer (&found, g_array_unref);
  found = striae_store_search_patients (fixture->store, "Quentinella", 0, &error);
  g_assert_cmpuint (found->len, ==, 0);

  /* Not in the files either, not even in the search index or freed pages. */
  for (guint i = 0; i < G_N_ELEMENTS (traces); i++)
    {
      assert_file_lacks (fixture->path, traces[i]);
      assert_file_lacks (wal, traces[i]);
      assert_file_lacks (shm, traces[i]);
    }
  /* Also after the other connection wrote and closed, which checkpoints what it saw. */
  g_assert_cmpint (sqlite3_exec (other_db, "PRAGMA user_version", NULL, NULL, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_close (other_db), ==, SQLITE_OK);
  for (guint i = 0; i < G_N_ELEMENTS (traces); i++)
    {
      assert_file_lacks (fixture->path, traces[i]);
      assert_file_lacks (wal, traces[i]);
    }

  /* Everyone else is untouched. */
  found = striae_store_search_patients (fixture->store, "Durand", 0, &error);
  g_assert_cmpuint (found->len, ==, 1);
  other = striae_store_get_patient (fixture->store, g_array_index (found, gint64, 0), &error);
  g_assert_cmpstr (striae_patient_get_given_name (other), ==, "Paul");
}

static void
test_backup_restore (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *backup = g_build_filename (fixture->dir, "backup.striae", NULL);
  g_autofree char *target = g_build_filename (fixture->dir, "restored.db", NULL);
  g_autofree char *foreign = g_build_filename (fixture->dir, "foreign.db", NULL);
  g_autofree char *text = g_build_filename (fixture->dir, "notes.txt", NULL);
  g_autofree char *damaged = g_build_filename (fixture->dir, "damaged.striae", NULL);
  g_autofree char *current = NULL;
  g_autofree char *current_after = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(StriaeStore) restored = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  GStatBuf st;

  g_assert_true (striae_store_backup (fixture->store, backup, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (backup, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (sql_count (fixture->path, "SELECT count (*) FROM audit WHERE action = "
                              "'backup'"), ==, 1);

  /* Changes after the backup are gone after the restore. */
  g_assert_true (striae_store_erase_patient (fixture->store, fixture->patient, &error));

  g_assert_true (striae_store_restore (backup, target, NULL, &error));
  g_assert_no_error (error);
  restored = striae_store_open (target, &error);
  g_assert_no_error (error);
  list = striae_store_list_consultations (restored, fixture->patient, &error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_true (striae_store_verify_audit (restored, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sql_count (target, "SELECT count (*) FROM audit WHERE action = 'restore'"),
                   ==, 1);
  g_clear_object (&restored);

  /* Restoring over the live database works too, in place. */
  g_assert_true (striae_store_restore (backup, fixture->path, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = striae_store_list_consultations (fixture->store, fixture->patient, &error);
  g_assert_cmpuint (list->len, ==, 2);

  /* Refusals leave the current database as it was. */
  current = dump_database (fixture->path);

  g_assert_true (g_file_set_contents (text, "not a database at all, just some text that is "
                                      "long enough to have a header's worth of bytes in it "
                                      "and then some more", -1, NULL));
  g_assert_false (striae_store_restore (text, fixture->path, NULL, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_A_DATABASE);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  /* Nor is a missing target created for a backup that is refused. */
  {
    g_autofree char *missing = g_build_filename (fixture->dir, "never.db", NULL);

    g_assert_false (striae_store_restore (text, missing, NULL, &error));
    g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_A_DATABASE);
    g_clear_error (&error);
    g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  }

  {
    sqlite3 *db = NULL;

    g_assert_cmpint (sqlite3_open (foreign, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE t (x); INSERT INTO t VALUES (1);",
                                   NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
  }
  g_assert_false (striae_store_restore (foreign, fixture->path, NULL, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_A_DATABASE);
  g_clear_error (&error);

  {
    sqlite3 *db = NULL;
    g_autofree char *newer = g_build_filename (fixture->dir, "newer.striae", NULL);
    g_autofree char *sql = g_strdup_printf ("PRAGMA application_id = %d; PRAGMA user_version "
                                            "= %d; CREATE TABLE t (x);",
                                            STRIAE_SQLITE_APPLICATION_ID,
                                            striae_store_get_latest_schema_version () + 1);

    g_assert_cmpint (sqlite3_open (newer, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
    g_assert_false (striae_store_restore (newer, fixture->path, NULL, &error));
    g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_TOO_NEW);
    g_clear_error (&error);
  }

  /* A backup with a damaged page in the middle: the header is fine, the integrity check is
   * not. */
  g_assert_true (g_file_get_contents (backup, &contents, &length, &error));
  g_assert_cmpuint (length, >=, 4096 * 8);
  memset (contents + 4096 * 5 + 8, 0xA5, 2000);
  g_assert_true (g_file_set_contents (damaged, contents, length, &error));
  g_assert_false (striae_store_restore (damaged, fixture->path, NULL, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_A_DATABASE);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  g_assert_false (striae_store_restore (target, text, NULL, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_A_DATABASE);
  g_clear_error (&error);

  current_after = dump_database (fixture->path);
  g_assert_cmpstr (current, ==, current_after);
}

static void
test_command_line (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *binary = NULL;
  g_autofree char *export_path = g_build_filename (fixture->dir, "patient.json", NULL);
  g_autofree char *backup_path = g_build_filename (fixture->dir, "copy.striae", NULL);
  g_autofree char *bad_path = g_build_filename (fixture->dir, "bad.json", NULL);
  g_autofree char *missing_db = g_build_filename (fixture->dir, "missing.db", NULL);
  g_autofree char *other_path = striae_test_store_other_location (fixture->dir, "other.db");
  g_autofree char *patient_text = g_strdup_printf ("%" G_GINT64_FORMAT, fixture->patient);
  g_autofree char *id_text = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *dump = NULL;
  g_autofree char *dump_after = NULL;
  g_autoptr(StriaeStore) other = NULL;
  g_autoptr(StriaePatient) imported = NULL;
  g_autoptr(GError) error = NULL;
  gint64 entries;
  gint64 n = 0;
  GStatBuf st;
  char *out = NULL, *err = NULL;

  if (g_getenv ("STRIAE_BUILD_ROOT") == NULL)
    {
      g_test_skip ("STRIAE_BUILD_ROOT is not set");
      return;
    }
  binary = g_build_filename (g_getenv ("STRIAE_BUILD_ROOT"), "src", "striae", NULL);
  if (!g_file_test (binary, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("The striae binary is not built");
      return;
    }

#define CLEAR() G_STMT_START { g_clear_pointer (&out, g_free); g_clear_pointer (&err, g_free); \
                  } G_STMT_END

  g_assert_cmpint (run_striae (fixture->path, &out, &err, "--export-patient", "1", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "--output"));
  CLEAR ();

  g_assert_cmpint (run_striae (fixture->path, &out, &err, "--export-patient", patient_text,
                               "--output", export_path, "--plain", NULL), ==, 0);
  g_assert_cmpstr (err, ==, "");
  CLEAR ();
  g_assert_cmpint (g_stat (export_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  g_assert_cmpint (run_striae (fixture->path, &out, &err, "--export-patient", "999",
                               "--output", bad_path, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "999"));
  CLEAR ();

  /* Into another database; then again, as a script retries after an interruption: the same
   * id, a sentence saying so, success, and nothing changed. */
  other = striae_store_open (other_path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (run_striae (other_path, &out, &err, "--import-patient", export_path,
                               NULL), ==, 0);
  g_assert_cmpstr (err, ==, "");
  id_text = g_strstrip (g_strdup (out));
  CLEAR ();
  imported = striae_store_get_patient (other, g_ascii_strtoll (id_text, NULL, 10), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (striae_patient_get_family_name (imported), ==, "Zyxwvutsky");

  dump = dump_database (other_path);
  entries = audit_entries (other_path);
  g_assert_cmpint (run_striae (other_path, &out, &err, "--import-patient", export_path,
                               NULL), ==, 0);
  expected = g_strdup_printf ("%s\n", id_text);
  g_assert_cmpstr (out, ==, expected);
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("striae: %s was already imported as patient %s; nothing was "
                              "changed.\n", export_path, id_text);
  g_assert_cmpstr (err, ==, expected);
  g_clear_pointer (&expected, g_free);
  CLEAR ();
  dump_after = dump_but_sign_ins (other_path, entries);
  g_assert_cmpstr (dump_after, ==, dump);

  /* Into the database it came from, likewise. */
  g_assert_cmpint (run_striae (fixture->path, &out, &err, "--import-patient", export_path,
                               NULL), ==, 0);
  expected = g_strdup_printf ("%s\n", patient_text);
  g_assert_cmpstr (out, ==, expected);
  g_clear_pointer (&expected, g_free);
  g_assert_nonnull (strstr (err, "already imported as patient"));
  CLEAR ();

  g_assert_true (g_file_set_contents (bad_path, "{\"format\": \"other\", \"version\": 1}",
                                      -1, NULL));
  g_assert_cmpint (run_striae (fixture->path, &out, &err, "--import-patient", bad_path, NULL),
                   ==, 1);
  g_assert_nonnull (strstr (err, "$.format"));
  g_assert_cmpstr (out, ==, "");
  CLEAR ();

  /* A file is backed up by Striae; a server by its own tools, which the refusal names. */
  if (striae_test_backend_is ("sqlite"))
    {
      g_assert_cmpint (run_striae (fixture->path, &out, &err, "--backup", backup_path,
                                   "--plain", NULL), ==, 0);
      CLEAR ();
      g_assert_true (striae_store_restore (backup_path, missing_db, NULL, &error));
      g_assert_no_error (error);
      g_unlink (missing_db);
    }
  else
    {
      g_assert_cmpint (run_striae (fixture->path, &out, &err, "--backup", backup_path, NULL),
                       ==, 1);
      g_assert_nonnull (strstr (err, "server"));
      g_assert_false (g_file_test (backup_path, G_FILE_TEST_EXISTS));
      CLEAR ();
    }

  /* The log as found: the command's own sign-in is written after its check. */
  g_assert_true (striae_store_verify_audit (fixture->store, &n, NULL, &error));
  expected = g_strdup_printf ("Audit log intact: %" G_GINT64_FORMAT " entries\n", n);
  g_assert_cmpint (run_striae (fixture->path, &out, &err, "--verify-audit", NULL), ==, 0);
  g_assert_cmpstr (out, ==, expected);
  CLEAR ();

  /* A file can be changed behind Striae's back, which the check then finds; a server
   * refuses the change itself. */
  if (striae_test_backend_is ("sqlite"))
    {
      striae_test_store_exec (fixture->path, "UPDATE audit SET actor = 'nobody' WHERE id = 4");
      g_assert_cmpint (run_striae (fixture->path, &out, &err, "--verify-audit", NULL), ==, 1);
      g_assert_nonnull (strstr (err, "entry 4 "));
      CLEAR ();
    }
  else
    g_assert_cmpint (striae_test_store_try_exec (fixture->path,
                                                 "UPDATE audit SET actor = 'nobody'"
                                                 "  WHERE id = 4"), ==,
                     STRIAE_TEST_SQL_REFUSED);

  /* A database that does not exist is not created by these commands. */
  g_assert_cmpint (run_striae (missing_db, &out, &err, "--verify-audit", NULL), ==, 1);
  CLEAR ();
  g_assert_false (g_file_test (missing_db, G_FILE_TEST_EXISTS));
#undef CLEAR
}

/* Many records in one process, more than are read ahead of the one being written: the lines
 * come out in the order of the files' names whatever each file holds (a record, one seen
 * before, one refused), each refused file named, the counts right. */
static void
test_command_line_read_ahead (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *folder = g_build_filename (fixture->dir, "records", NULL);
  g_autofree char *other_path = g_build_filename (fixture->dir, "other.db", NULL);
  g_autofree char *summary = NULL;
  g_autoptr(GPtrArray) written = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(StriaeStore) other = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  char *out = NULL, *err = NULL;
  guint refused = 0;

  if (g_getenv ("STRIAE_BUILD_ROOT") == NULL)
    {
      g_test_skip ("STRIAE_BUILD_ROOT is not set");
      return;
    }

  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  for (guint i = 0; i < 13; i++)
    {
      g_autofree char *name = g_strdup_printf ("%02u.json", i);
      g_autofree char *path = g_build_filename (folder, name, NULL);

      if (i % 3 == 1)
        {
          g_assert_true (g_file_set_contents (path, "{\"format\": \"other\"}", -1, NULL));
          refused++;
          continue;
        }
      g_assert_true (striae_store_export_patient_to_file (fixture->store,
                                                          fixture->patient - i % 2,
                                                          STRIAE_EXPORT_FLAGS_NONE, path,
                                                          NULL, &error));
      g_assert_no_error (error);
      g_ptr_array_add (written, g_steal_pointer (&path));
    }
  other = striae_store_open (other_path, &error);
  g_assert_no_error (error);

  g_assert_cmpint (run_striae (other_path, &out, &err, "--import-patient", folder, NULL), ==,
                   1);
  lines = g_strsplit (out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, written->len + 1);
  for (guint i = 0; i < written->len; i++)
    g_assert_true (g_str_has_suffix (lines[i], g_ptr_array_index (written, i)));
  for (guint i = 1; i < 13; i += 3)
    {
      g_autofree char *line = g_strdup_printf ("striae: %s/%02u.json: ", folder, i);

      g_assert_nonnull (strstr (err, line));
    }
  summary = g_strdup_printf ("2 records imported, %u were already here, %u refused.",
                             written->len - 2, refused);
  g_assert_nonnull (strstr (err, summary));
  g_assert_cmpint (striae_store_count_patients (other, &error), ==, 2);
  g_free (out);
  g_free (err);
}

/* Many records in one process: a folder's .json files in the order of their names, each in
 * a transaction of its own; a refused one is named and the others go in; a second run adds
 * nobody. */
static void
test_command_line_many (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *folder = g_build_filename (fixture->dir, "records", NULL);
  g_autofree char *empty = g_build_filename (fixture->dir, "empty", NULL);
  g_autofree char *first = g_build_filename (folder, "a.json", NULL);
  g_autofree char *second = g_build_filename (folder, "b.json", NULL);
  g_autofree char *bad = g_build_filename (folder, "c.json", NULL);
  g_autofree char *ignored = g_build_filename (folder, "notes.txt", NULL);
  g_autofree char *other_path = g_build_filename (fixture->dir, "other.db", NULL);
  g_autofree char *bad_line = NULL;
  g_autoptr(StriaeStore) other = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  char *out = NULL, *err = NULL;

  if (g_getenv ("STRIAE_BUILD_ROOT") == NULL)
    {
      g_test_skip ("STRIAE_BUILD_ROOT is not set");
      return;
    }

  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  g_assert_cmpint (g_mkdir (empty, 0700), ==, 0);
  g_assert_true (striae_store_export_patient_to_file (fixture->store, fixture->patient,
                                                      STRIAE_EXPORT_FLAGS_NONE, first, NULL,
                                                      &error));
  g_assert_no_error (error);
  g_assert_true (striae_store_export_patient_to_file (fixture->store, fixture->patient - 1,
                                                      STRIAE_EXPORT_FLAGS_NONE, second, NULL,
                                                      &error));
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (bad, "{\"format\": \"other\"}", -1, NULL));
  g_assert_true (g_file_set_contents (ignored, "not a record", -1, NULL));
  other = striae_store_open (other_path, &error);
  g_assert_no_error (error);

  g_assert_cmpint (run_striae (other_path, &out, &err, "--import-patient", folder, NULL), ==,
                   1);
  lines = g_strsplit (out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_true (g_str_has_suffix (lines[0], first));
  g_assert_true (g_ascii_isdigit (lines[0][0]) && strchr (lines[0], '\t') != NULL);
  g_assert_true (g_str_has_suffix (lines[1], second));
  g_assert_cmpstr (lines[2], ==, "");
  bad_line = g_strdup_printf ("striae: %s: ", bad);
  g_assert_nonnull (strstr (err, bad_line));
  g_assert_nonnull (strstr (err, "2 records imported, 0 were already here, 1 refused."));
  g_assert_null (strstr (err, "notes.txt"));
  g_assert_cmpint (striae_store_count_patients (other, &error), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_striae (other_path, &out, &err, "--import-patient", first,
                               "--import-patient", second, NULL), ==, 0);
  g_assert_nonnull (strstr (err, "0 records imported, 2 were already here, 0 refused."));
  g_assert_cmpint (striae_store_count_patients (other, &error), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* The audit head followed the bulk: the log checks whole. */
  g_assert_cmpint (run_striae (other_path, &out, &err, "--verify-audit", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_striae (other_path, &out, &err, "--import-patient", empty, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "found no record to import"));
  g_assert_cmpstr (out, ==, "");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
}

/* A bulk of imports with a refused one last: the head kept outside is that of the last
 * commit, not of the transaction rolled back, so the log checks whole afterwards; and the
 * bulk's writes are there once it ended. */
static void
test_import_bulk (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *other_path = NULL;
  g_autofree char *other_dir = NULL;
  g_autofree char *json = NULL;
  g_autoptr(StriaeStore) other = NULL;
  g_autoptr(GError) error = NULL;
  gint64 n = 0;

  json = striae_store_export_patient (fixture->store, fixture->patient,
                                      STRIAE_EXPORT_FLAGS_NONE, &error);
  g_assert_no_error (error);
  other_dir = g_build_filename (fixture->dir, "other", NULL);
  g_assert_cmpint (g_mkdir (other_dir, 0700), ==, 0);
  other_path = striae_test_store_location (other_dir);
  other = striae_test_store_open (other_path);

  g_assert_true (striae_store_begin_bulk (other, &error));
  g_assert_no_error (error);
  g_assert_cmpint (striae_store_import_patient (other, json, -1, NULL, &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (striae_store_import_patient (other, "{\"format\": 1}", -1, NULL, &error),
                   ==, 0);
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (striae_store_end_bulk (other, &error));
  g_assert_no_error (error);

  g_assert_cmpint (striae_store_count_patients (other, &error), ==, 1);
  g_assert_true (striae_store_verify_audit (other, &n, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n, >, 0);
  g_clear_object (&other);
  striae_test_store_remove (other_path);
}

/* Records read ahead in another thread. */
typedef struct
{
  const char * const  *texts;
  guint                n;
  StriaeImportRecord **records;
  GError             **errors;
} ReadAhead;

static gpointer
read_ahead_thread (gpointer data)
{
  ReadAhead *ahead = data;

  for (guint i = 0; i < ahead->n; i++)
    ahead->records[i] = striae_import_record_read (ahead->texts[i], -1, &ahead->errors[i]);
  return NULL;
}

/* Records read and checked in a worker thread, then written in order by the records (as
 * --import-patient does): each goes in as striae_store_import_patient() puts it, one already
 * there is found, and one refused in the middle changes nothing, fails alone and says why,
 * the next one still going in. */
static void
test_import_read_ahead (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *json = NULL;
  g_autofree char *second = NULL;
  g_autofree char *other_dir = NULL;
  g_autofree char *other_path = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(StriaeStore) other = NULL;
  g_autoptr(StriaePatient) patient = NULL;
  g_autoptr(GPtrArray) consultations = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GThread) thread = NULL;
  const char *texts[4];
  StriaeImportRecord *records[4] = { NULL, };
  GError *errors[4] = { NULL, };
  ReadAhead ahead = { texts, 4, records, errors };
  gboolean already = FALSE;
  gint64 first_id, id, n = 0;

  json = striae_store_export_patient (fixture->store, fixture->patient,
                                      STRIAE_EXPORT_FLAGS_NONE, &error);
  g_assert_no_error (error);
  second = striae_store_export_patient (fixture->store, fixture->patient - 1,
                                        STRIAE_EXPORT_FLAGS_NONE, &error);
  g_assert_no_error (error);
  other_dir = g_build_filename (fixture->dir, "other", NULL);
  g_assert_cmpint (g_mkdir (other_dir, 0700), ==, 0);
  other_path = striae_test_store_location (other_dir);
  other = striae_test_store_open (other_path);

  texts[0] = json;
  texts[1] = "{\"format\": \"striae-patient-export\", \"version\": 4}";
  texts[2] = second;
  texts[3] = json;
  thread = g_thread_new ("read-ahead", read_ahead_thread, &ahead);
  g_thread_join (g_steal_pointer (&thread));

  first_id = striae_store_import_record (other, records[0], &already, &error);
  g_assert_no_error (error);
  g_assert_cmpint (first_id, >, 0);
  g_assert_false (already);
  patient = striae_store_get_patient (other, first_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (striae_patient_get_family_name (patient), ==, "Zyxwvutsky");
  consultations = striae_store_list_consultations (other, first_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (consultations->len, ==, 2);

  /* Refused as it was read: nothing of it reached the records. */
  g_assert_null (records[1]);
  g_assert_error (errors[1], STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (errors[1]->message, "nothing was changed"));
  g_assert_no_error (errors[0]);
  g_assert_no_error (errors[2]);
  g_assert_no_error (errors[3]);

  id = striae_store_import_record (other, records[2], &already, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, first_id);
  g_assert_false (already);

  before = dump_database (other_path);
  g_assert_cmpint (striae_store_import_record (other, records[3], &already, &error), ==,
                   first_id);
  g_assert_no_error (error);
  g_assert_true (already);
  after = dump_database (other_path);
  g_assert_cmpstr (before, ==, after);

  g_assert_cmpint (striae_store_count_patients (other, &error), ==, 2);
  g_assert_true (striae_store_verify_audit (other, &n, NULL, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (records); i++)
    {
      g_clear_pointer (&records[i], striae_import_record_free);
      g_clear_error (&errors[i]);
    }
  g_clear_object (&other);
  striae_test_store_remove (other_path);
}

/* A crash of Striae in the middle of a bulk loses none of its commits, and the audit log,
 * whose head outside is older than the log then, checks whole. */
static void
test_bulk_crash (void)
{
  const char *location = g_getenv ("STRIAE_TEST_BULK_LOCATION");
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(StriaeStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gint64 n = 0;

  if (g_test_subprocess ())
    {
      store = striae_test_store_open (location);
      g_assert_true (striae_store_begin_bulk (store, &error));
      for (guint i = 0; i < 3; i++)
        {
          g_autoptr(StriaePatient) patient = striae_patient_new ();

          striae_patient_set_given_name (patient, "Ada");
          striae_patient_set_family_name (patient, "Bulk");
          striae_patient_set_birth_date (patient, striae_test_date ("1980-01-01"));
          g_assert_true (striae_store_add_patient (store, patient, &error));
          g_assert_no_error (error);
        }
      _exit (0);
    }

  dir = g_dir_make_tmp ("striae-bulk-XXXXXX", &error);
  g_assert_no_error (error);
  path = striae_test_store_location (dir);
  g_clear_object (&store);
  store = striae_test_store_open (path);
  g_clear_object (&store);
  g_setenv ("STRIAE_TEST_BULK_LOCATION", path, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();

  store = striae_test_store_open (path);
  g_assert_cmpint (striae_store_count_patients (store, &error), ==, 3);
  g_assert_true (striae_store_verify_audit (store, &n, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 3);
  g_clear_object (&store);
  striae_test_store_remove (path);
  striae_test_remove_tree (dir);
}

#define PASSPHRASE "correct horse battery staple"
#define CLEAR() G_STMT_START { g_clear_pointer (&out, g_free); g_clear_pointer (&err, g_free); \
                  } G_STMT_END

/* Whether @path holds @needle anywhere. */
static gboolean
file_holds (const char *path,
            const char *needle)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  return memmem (contents, length, needle, strlen (needle)) != NULL;
}

/* No plain copy left beside the records by a sealed backup or restore. */
static void
assert_no_plain_copy (const char *dir)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  while ((name = g_dir_read_name (listing)) != NULL)
    g_assert_false (g_str_has_prefix (name, ".striae-copy-"));
}

/* Encrypted copies by default (issue 16): an export and an import with the passphrase on
 * standard input, refusals that change nothing, and --plain for a plain file on purpose. */
static void
test_command_line_sealed (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *sealed_path = g_build_filename (fixture->dir, "patient.sealed", NULL);
  g_autofree char *short_path = g_build_filename (fixture->dir, "short.sealed", NULL);
  g_autofree char *other_path = striae_test_store_other_location (fixture->dir, "other.db");
  g_autofree char *patient_text = g_strdup_printf ("%" G_GINT64_FORMAT, fixture->patient);
  g_autofree char *dump = NULL;
  g_autofree char *dump_after = NULL;
  g_autoptr(StriaeStore) other = NULL;
  g_autoptr(StriaePatient) imported = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL, *err = NULL;
  gint64 entries;

  g_assert_cmpint (run_striae_with_input (PASSPHRASE "\n", &out, &err, "--database",
                                          fixture->path, "--export-patient", patient_text,
                                          "--output", sealed_path, NULL), ==, 0);
  g_assert_cmpstr (err, ==, "");
  CLEAR ();
  g_assert_true (file_holds (sealed_path, "STRIAESC"));
  g_assert_false (file_holds (sealed_path, "Zyxwvutsky"));

  /* Too short a passphrase, or none: refused, nothing written. */
  g_assert_cmpint (run_striae_with_input ("too short\n", &out, &err, "--database",
                                          fixture->path, "--export-patient", patient_text,
                                          "--output", short_path, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "at least 12 characters"));
  CLEAR ();
  g_assert_cmpint (run_striae_with_input (NULL, &out, &err, "--database", fixture->path,
                                          "--export-patient", patient_text, "--output",
                                          short_path, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "--plain"));
  CLEAR ();
  g_assert_false (g_file_test (short_path, G_FILE_TEST_EXISTS));

  /* A wrong passphrase changes nothing; the right one imports. */
  other = striae_store_open (other_path, &error);
  g_assert_no_error (error);
  run_striae_init (other_path);
  dump = dump_database (other_path);
  entries = audit_entries (other_path);
  g_assert_cmpint (run_striae_with_input ("correct horse battery stapler\n", &out, &err,
                                          "--database", other_path, "--import-patient",
                                          sealed_path, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "The passphrase is wrong"));
  CLEAR ();
  dump_after = dump_but_sign_ins (other_path, entries);
  g_assert_cmpstr (dump_after, ==, dump);

  g_assert_cmpint (run_striae_with_input (PASSPHRASE "\n", &out, &err, "--database",
                                          other_path, "--import-patient", sealed_path, NULL),
                   ==, 0);
  g_assert_cmpstr (err, ==, "");
  imported = striae_store_get_patient (other, g_ascii_strtoll (out, NULL, 10), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (striae_patient_get_family_name (imported), ==, "Zyxwvutsky");
  CLEAR ();
}

/* A sealed backup: nothing of the records readable in it, restored only with its
 * passphrase, no plain copy left anywhere on the way. */
static void
test_backup_sealed (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *backup = g_build_filename (fixture->dir, "copy.sealed", NULL);
  g_autofree char *target = g_build_filename (fixture->dir, "restored.db", NULL);
  g_autofree char *current = NULL;
  g_autoptr(StriaeStore) restored = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL, *err = NULL;

  g_assert_cmpint (run_striae_with_input (PASSPHRASE "\n", &out, &err, "--database",
                                          fixture->path, "--backup", backup, NULL), ==, 0);
  g_assert_cmpstr (err, ==, "");
  CLEAR ();
  g_assert_true (file_holds (backup, "STRIAESC"));
  g_assert_false (file_holds (backup, "SQLite format"));
  g_assert_false (file_holds (backup, "Zyxwvutsky"));
  assert_no_plain_copy (fixture->dir);

  /* Without its passphrase, or with a wrong one: refused, the live records untouched. */
  current = dump_database (fixture->path);
  g_assert_false (striae_store_restore (backup, fixture->path, NULL, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_PASSPHRASE);
  g_clear_error (&error);
  g_assert_false (striae_store_restore (backup, fixture->path, "not the passphrase", &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_PASSPHRASE);
  g_clear_error (&error);
  {
    g_autofree char *after = dump_database (fixture->path);

    g_assert_cmpstr (after, ==, current);
  }
  assert_no_plain_copy (fixture->dir);

  g_assert_true (striae_store_restore (backup, target, PASSPHRASE, &error));
  g_assert_no_error (error);
  assert_no_plain_copy (fixture->dir);
  restored = striae_store_open (target, &error);
  g_assert_no_error (error);
  list = striae_store_list_consultations (restored, fixture->patient, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  /* The backup was made on the command line, which gave the records an account. */
  g_assert_true (striae_store_sign_in (restored, STRIAE_TEST_ACCOUNT, STRIAE_TEST_PASSWORD,
                                       &error));
  g_assert_true (striae_store_verify_audit (restored, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sql_count (target, "SELECT count (*) FROM audit WHERE action = 'restore' "
                              "AND detail = 'copy.sealed'"), ==, 1);
  g_clear_object (&restored);

  /* The command line: over existing records only with --yes from a script; the passphrase
   * on standard input. */
  g_assert_true (striae_store_erase_patient (fixture->store, fixture->patient, &error));
  g_assert_no_error (error);
  g_clear_pointer (&current, g_free);
  current = dump_database (fixture->path);
  g_assert_cmpint (run_striae_with_input (PASSPHRASE "\n", &out, &err, "--database",
                                          fixture->path, "--restore", backup, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "--yes"));
  CLEAR ();
  g_assert_cmpint (run_striae_with_input ("not the passphrase\n", &out, &err, "--database",
                                          fixture->path, "--restore", backup, "--yes", NULL),
                   ==, 1);
  g_assert_nonnull (strstr (err, "The passphrase is wrong"));
  CLEAR ();
  {
    g_autofree char *after = dump_database (fixture->path);

    g_assert_cmpstr (after, ==, current);
  }
  g_assert_cmpint (run_striae_with_input (PASSPHRASE "\n", &out, &err, "--database",
                                          fixture->path, "--restore", backup, "--yes", NULL),
                   ==, 0);
  CLEAR ();
  g_clear_pointer (&list, g_ptr_array_unref);
  list = striae_store_list_consultations (fixture->store, fixture->patient, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  assert_no_plain_copy (fixture->dir);
}

#undef CLEAR

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, data, func) \
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)
  ADD ("/transfer/round-trip", NULL, test_round_trip);
  ADD ("/transfer/import/all-or-nothing", NULL, test_import_all_or_nothing);
  ADD ("/transfer/import/older-file", NULL, test_import_older_file);
  ADD ("/transfer/not-treated", NULL, test_not_treated_round_trip);
  ADD ("/transfer/archived", NULL, test_archived_round_trip);
  ADD ("/transfer/import/kill-and-retry", NULL, test_import_kill_and_retry);
  ADD ("/transfer/import/bulk", NULL, test_import_bulk);
  ADD ("/transfer/import/read-ahead", NULL, test_import_read_ahead);
  g_test_add_func ("/transfer/import/bulk-crash", test_bulk_crash);
  for (guint i = 0; i < G_N_ELEMENTS (bad_imports); i++)
    {
      g_autofree char *path = g_strdup_printf ("/transfer/import/refused/%s",
                                               bad_imports[i].name);

      ADD (path, &bad_imports[i], test_bad_import);
    }
  for (guint i = 0; i < G_N_ELEMENTS (exact_refusals); i++)
    {
      g_autofree char *path = g_strdup_printf ("/transfer/import/exact/%s",
                                               exact_refusals[i].name);

      ADD (path, &exact_refusals[i], test_exact_refusal);
    }
  ADD ("/transfer/import/exact/deep", NULL, test_refused_deep);
  ADD ("/transfer/import/exact/large", NULL, test_refused_large);
  ADD ("/transfer/import/exact/long", NULL, test_refused_long);
  ADD ("/transfer/import/exact/long-fast", NULL, test_refused_long_fast);
  ADD ("/transfer/import/exact/many", NULL, test_refused_many);
  /* What only a file shows: no byte of an erased patient in it or its write-ahead log, and
   * backups as files, refused when they are some other file. */
  if (striae_test_backend_is ("sqlite"))
    {
      ADD ("/transfer/erase", NULL, test_erase);
      ADD ("/transfer/backup-restore", NULL, test_backup_restore);
      ADD ("/transfer/backup-sealed", NULL, test_backup_sealed);
    }
  ADD ("/transfer/command-line", NULL, test_command_line);
  ADD ("/transfer/command-line/many", NULL, test_command_line_many);
  ADD ("/transfer/command-line/read-ahead", NULL, test_command_line_read_ahead);
  ADD ("/transfer/command-line/sealed", NULL, test_command_line_sealed);
#undef ADD

  return g_test_run ();
}
