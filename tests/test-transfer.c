/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/wait.h>

#include "striae-store.h"

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
  fixture->path = g_build_filename (fixture->dir, "striae.db", NULL);
  fixture->store = striae_store_open (fixture->path, &error);
  g_assert_no_error (error);

  striae_patient_set_given_name (other, "Paul");
  striae_patient_set_family_name (other, "Durand");
  striae_patient_set_birth_date (other, "1979-09-09");
  g_assert_true (striae_store_add_patient (fixture->store, other, &error));

  striae_patient_set_given_name (patient, "Quentinella");
  striae_patient_set_family_name (patient, "Zyxwvutsky");
  striae_patient_set_birth_date (patient, "1993-07-14");
  striae_patient_set_phone (patient, "06 98 76 54 32");
  striae_patient_set_email (patient, "qz@example.org");
  striae_patient_set_sex (patient, STRIAE_SEX_FEMALE);
  striae_patient_set_notes (patient, "Prefers morning appointments.");
  g_assert_true (striae_store_add_patient (fixture->store, patient, &error));
  fixture->patient = striae_patient_get_id (patient);

  striae_consultation_set_patient_id (first, fixture->patient);
  striae_consultation_set_date (first, "2024-02-01");
  striae_consultation_set_practitioner (first, "Dr Roux");
  striae_history_set_answer (striae_consultation_get_history (first),
                             STRIAE_QUESTION_PREGNANCY, STRIAE_ANSWER_NO);
  striae_consultation_add_area (first, area);
  striae_consultation_set_status (first, STRIAE_CONSULTATION_STATUS_COMPLETE);
  g_assert_true (striae_store_save_consultation (fixture->store, first, NULL, &error));
  fixture->first = striae_consultation_get_id (first);
  g_assert_true (striae_store_sign_consultation (fixture->store, fixture->first, "Dr Roux",
                                                 &error));
  amended = striae_store_amend_consultation (fixture->store, fixture->first, NULL, &error);
  striae_consultation_set_date (amended, "2024-02-02");
  g_assert_true (striae_store_save_consultation (fixture->store, amended, NULL, &error));

  striae_consultation_set_patient_id (second, fixture->patient);
  g_assert_true (striae_store_save_consultation (fixture->store, second, NULL, &error));
  fixture->second = striae_consultation_get_id (second);
  g_assert_no_error (error);
}

static void
remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  remove_dir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

/* Every table's rows, as text, to tell whether anything changed. */
static char *
dump_database (const char *path)
{
  static const char * const tables[] = {
    "patients", "consultations", "consultation_revisions", "audit", "audit_subjects",
    "settings", "patients_fts_data",
  };
  g_autoptr(GString) dump = g_string_new (NULL);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT * FROM %s ORDER BY 1", tables[t]);
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
      g_string_append_printf (dump, "[%s]\n", tables[t]);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          for (int i = 0; i < sqlite3_column_count (stmt); i++)
            {
              const void *blob = sqlite3_column_blob (stmt, i);
              int n = sqlite3_column_bytes (stmt, i);

              g_string_append_c (dump, '|');
              if (blob != NULL)
                {
                  g_autofree char *hex = g_compute_checksum_for_data (G_CHECKSUM_SHA1,
                                                                       blob, n);
                  g_string_append (dump, hex);
                }
            }
          g_string_append_c (dump, '\n');
        }
      sqlite3_finalize (stmt);
    }
  sqlite3_close (db);

  return g_string_free (g_steal_pointer (&dump), FALSE);
}

static gint64
sql_count (const char *path,
           const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
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
  gint64 id;

  json = striae_store_export_patient (fixture->store, fixture->patient,
                                      STRIAE_EXPORT_FLAGS_WITH_AUDIT, &error);
  g_assert_no_error (error);

  root = json_from_string (json, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "format"), ==,
                   "striae-patient-export");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (root), "version"), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (root), "consultations")), ==, 3);
  /* Add patient, sign, amend, save ×2 …: the export itself is the last row about them. */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (root), "audit")), >=, 7);

  id = striae_store_import_patient (fixture->store, json, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, fixture->patient);

  original = striae_store_get_patient (fixture->store, fixture->patient, &error);
  imported = striae_store_get_patient (fixture->store, id, &error);
  g_assert_cmpstr (striae_patient_get_family_name (imported), ==,
                   striae_patient_get_family_name (original));
  g_assert_cmpstr (striae_patient_get_phone (imported), ==,
                   striae_patient_get_phone (original));
  g_assert_cmpstr (striae_patient_get_notes (imported), ==,
                   striae_patient_get_notes (original));
  g_assert_cmpint (striae_patient_get_sex (imported), ==, STRIAE_SEX_FEMALE);

  before = all_revisions (fixture->store, fixture->patient);
  after = all_revisions (fixture->store, id);
  g_assert_cmpuint (before->len, ==, 3);
  g_assert_cmpuint (after->len, ==, before->len);
  for (guint i = 0; i < before->len; i++)
    g_assert_cmpstr (g_ptr_array_index (after, i), ==, g_ptr_array_index (before, i));

  /* Signatures travel, and signed revisions stay locked. */
  {
    g_autoptr(GPtrArray) list = striae_store_list_consultations (fixture->store, id, NULL);
    gint64 first = 0;

    for (guint i = 0; i < list->len; i++)
      if (striae_consultation_get_revision (g_ptr_array_index (list, i)) == 2)
        first = striae_consultation_get_id (g_ptr_array_index (list, i));
    g_assert_cmpint (first, >, 0);
    g_assert_true (striae_store_get_signature (fixture->store, first, 1, &by, NULL, &error));
    g_assert_cmpstr (by, ==, "Dr Roux");
    g_assert_true (striae_store_patient_has_draft (fixture->store, id, NULL));
  }

  g_assert_true (striae_store_verify_audit (fixture->store, NULL, NULL, &error));
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
  g_assert_cmpint (striae_store_import_patient (fixture->store, bad->json, -1, &error), ==, 0);
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
  g_autofree char *json = striae_store_export_patient (fixture->store, fixture->patient, 0,
                                                       &error);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TRIGGER fail_second BEFORE INSERT ON "
                                 "consultation_revisions WHEN new.revision = 2 BEGIN "
                                 "SELECT RAISE (ABORT, 'refused'); END;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  before = dump_database (fixture->path);
  g_assert_cmpint (striae_store_import_patient (fixture->store, json, -1, &error), ==, 0);
  g_assert_nonnull (error);
  after = dump_database (fixture->path);
  g_assert_cmpstr (before, ==, after);
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

  g_assert_true (striae_store_backup (fixture->store, backup, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (backup, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (sql_count (fixture->path, "SELECT count (*) FROM audit WHERE action = "
                              "'backup'"), ==, 1);

  /* Changes after the backup are gone after the restore. */
  g_assert_true (striae_store_erase_patient (fixture->store, fixture->patient, &error));

  g_assert_true (striae_store_restore (backup, target, &error));
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
  g_assert_true (striae_store_restore (backup, fixture->path, &error));
  g_assert_no_error (error);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = striae_store_list_consultations (fixture->store, fixture->patient, &error);
  g_assert_cmpuint (list->len, ==, 2);

  /* Refusals leave the current database as it was. */
  current = dump_database (fixture->path);

  g_assert_true (g_file_set_contents (text, "not a database at all, just some text that is "
                                      "long enough to have a header's worth of bytes in it "
                                      "and then some more", -1, NULL));
  g_assert_false (striae_store_restore (text, fixture->path, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_A_DATABASE);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  {
    sqlite3 *db = NULL;

    g_assert_cmpint (sqlite3_open (foreign, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE t (x); INSERT INTO t VALUES (1);",
                                   NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
  }
  g_assert_false (striae_store_restore (foreign, fixture->path, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_A_DATABASE);
  g_clear_error (&error);

  {
    sqlite3 *db = NULL;
    g_autofree char *newer = g_build_filename (fixture->dir, "newer.striae", NULL);
    g_autofree char *sql = g_strdup_printf ("PRAGMA application_id = %d; PRAGMA user_version "
                                            "= %d; CREATE TABLE t (x);",
                                            STRIAE_STORE_APPLICATION_ID,
                                            striae_store_get_latest_schema_version () + 1);

    g_assert_cmpint (sqlite3_open (newer, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
    g_assert_false (striae_store_restore (newer, fixture->path, &error));
    g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_TOO_NEW);
    g_clear_error (&error);
  }

  /* A backup with a damaged page in the middle: the header is fine, the integrity check is
   * not. */
  g_assert_true (g_file_get_contents (backup, &contents, &length, &error));
  g_assert_cmpuint (length, >=, 4096 * 8);
  memset (contents + 4096 * 5 + 8, 0xA5, 2000);
  g_assert_true (g_file_set_contents (damaged, contents, length, &error));
  g_assert_false (striae_store_restore (damaged, fixture->path, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_A_DATABASE);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  g_assert_false (striae_store_restore (target, text, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_A_DATABASE);
  g_clear_error (&error);

  current_after = dump_database (fixture->path);
  g_assert_cmpstr (current, ==, current_after);
}

/* The command line: the built binary, without a display. */
static int
run_striae (const char  *database,
            char       **out,
            char       **err,
            ...)
{
  g_autofree char *binary = g_build_filename (g_getenv ("STRIAE_BUILD_ROOT"), "src", "striae",
                                              NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envp = g_get_environ ();
  const char *arg;
  int status = -1;
  va_list args;

  envp = g_environ_unsetenv (envp, "DISPLAY");
  envp = g_environ_unsetenv (envp, "WAYLAND_DISPLAY");

  g_ptr_array_add (argv, binary);
  g_ptr_array_add (argv, (char *) "--database");
  g_ptr_array_add (argv, (char *) database);
  va_start (args, err);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL,
                               out, err, &status, &error));
  g_assert_no_error (error);
  g_test_message ("striae %s → %d: %s%s", (char *) argv->pdata[3],
                  WIFEXITED (status) ? WEXITSTATUS (status) : -1, *out, *err);

  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
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
  g_autofree char *patient_text = g_strdup_printf ("%" G_GINT64_FORMAT, fixture->patient);
  g_autofree char *id_text = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(StriaePatient) imported = NULL;
  g_autoptr(GError) error = NULL;
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
                               "--output", export_path, NULL), ==, 0);
  g_assert_cmpstr (err, ==, "");
  CLEAR ();
  g_assert_cmpint (g_stat (export_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  g_assert_cmpint (run_striae (fixture->path, &out, &err, "--export-patient", "999",
                               "--output", bad_path, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "999"));
  CLEAR ();

  g_assert_cmpint (run_striae (fixture->path, &out, &err, "--import-patient", export_path,
                               NULL), ==, 0);
  id_text = g_strstrip (g_strdup (out));
  CLEAR ();
  imported = striae_store_get_patient (fixture->store, g_ascii_strtoll (id_text, NULL, 10),
                                       &error);
  g_assert_no_error (error);
  g_assert_cmpstr (striae_patient_get_family_name (imported), ==, "Zyxwvutsky");

  g_assert_true (g_file_set_contents (bad_path, "{\"format\": \"other\", \"version\": 1}",
                                      -1, NULL));
  g_assert_cmpint (run_striae (fixture->path, &out, &err, "--import-patient", bad_path, NULL),
                   ==, 1);
  g_assert_nonnull (strstr (err, "$.format"));
  g_assert_cmpstr (out, ==, "");
  CLEAR ();

  g_assert_cmpint (run_striae (fixture->path, &out, &err, "--backup", backup_path, NULL), ==, 0);
  CLEAR ();
  g_assert_true (striae_store_restore (backup_path, missing_db, &error));
  g_assert_no_error (error);
  g_unlink (missing_db);

  g_assert_true (striae_store_verify_audit (fixture->store, &n, NULL, &error));
  expected = g_strdup_printf ("Audit log intact: %" G_GINT64_FORMAT " entries\n", n);
  g_assert_cmpint (run_striae (fixture->path, &out, &err, "--verify-audit", NULL), ==, 0);
  g_assert_cmpstr (out, ==, expected);
  CLEAR ();

  {
    sqlite3 *db = NULL;

    g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "UPDATE audit SET actor = 'nobody' WHERE id = 4",
                                   NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
  }
  g_assert_cmpint (run_striae (fixture->path, &out, &err, "--verify-audit", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "entry 4 "));
  CLEAR ();

  /* A database that does not exist is not created by these commands. */
  g_assert_cmpint (run_striae (missing_db, &out, &err, "--verify-audit", NULL), ==, 1);
  CLEAR ();
  g_assert_false (g_file_test (missing_db, G_FILE_TEST_EXISTS));
#undef CLEAR
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, data, func) \
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)
  ADD ("/transfer/round-trip", NULL, test_round_trip);
  ADD ("/transfer/import/all-or-nothing", NULL, test_import_all_or_nothing);
  for (guint i = 0; i < G_N_ELEMENTS (bad_imports); i++)
    {
      g_autofree char *path = g_strdup_printf ("/transfer/import/refused/%s",
                                               bad_imports[i].name);

      ADD (path, &bad_imports[i], test_bad_import);
    }
  ADD ("/transfer/erase", NULL, test_erase);
  ADD ("/transfer/backup-restore", NULL, test_backup_restore);
  ADD ("/transfer/command-line", NULL, test_command_line);
#undef ADD

  return g_test_run ();
}
