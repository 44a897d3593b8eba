/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gio/gio.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <string.h>

#include "striae-store.h"
#include "striae-test-cli.h"
#include "striae-test-date.h"

/* striae --copy-to: a single PC's file moved onto a clinic server that --server-init set up,
 * on a private PostgreSQL server (tests/with-postgresql, through
 * `meson test --setup=postgresql --suite postgresql`): every row equal on both sides, the
 * chain verified on the server and kept by new writes, a used or unprepared server refused
 * and left as it was, 1 000 patients, and the command line. */

typedef struct
{
  char *socket_dir;   /* the private server's */
  char *folder;       /* the files of this run */
} Server;

#define OWNER "clinic_it"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGconn, PQfinish)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

static char *
uri_for (const Server *server,
         const char   *database,
         const char   *user)
{
  g_autofree char *host = g_uri_escape_string (server->socket_dir, NULL, FALSE);
  const char *port = g_getenv ("STRIAE_TEST_POSTGRESQL_TLS_PORT");

  if (port != NULL && port[0] != '\0')
    return g_strdup_printf ("postgresql:///%s?host=%s&port=%s&user=%s", database, host, port,
                            user);
  return g_strdup_printf ("postgresql:///%s?host=%s&user=%s", database, host, user);
}

static void
ignore_notice (void       *data,
               const char *message)
{
}

/* The rows of @sql as text: columns apart by |, rows by new lines, NULL as ∅. */
static char *
pg_dump (const char *uri,
         const char *sql)
{
  g_autoptr(PGconn) conn = PQconnectdb (uri);
  g_autoptr(PGresult) result = NULL;
  GString *text = g_string_new (NULL);

  if (PQstatus (conn) != CONNECTION_OK)
    g_error ("%s: %s", uri, PQerrorMessage (conn));
  PQsetNoticeProcessor (conn, ignore_notice, NULL);
  result = PQexec (conn, sql);
  if (PQresultStatus (result) != PGRES_TUPLES_OK && PQresultStatus (result) != PGRES_COMMAND_OK)
    g_error ("%s: %s", sql, PQerrorMessage (conn));

  for (int row = 0; row < PQntuples (result); row++)
    {
      for (int column = 0; column < PQnfields (result); column++)
        g_string_append_printf (text, "%s|", PQgetisnull (result, row, column)
                                             ? "∅" : PQgetvalue (result, row, column));
      g_string_append_c (text, '\n');
    }
  return g_string_free (text, FALSE);
}

static void
exec_sql (const char *uri,
          const char *sql)
{
  g_free (pg_dump (uri, sql));
}


static char *
file_dump (const char *path,
           const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  GString *text = g_string_new (NULL);

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      for (int column = 0; column < sqlite3_column_count (stmt); column++)
        g_string_append_printf (text, "%s|", sqlite3_column_type (stmt, column) == SQLITE_NULL
                                             ? "∅"
                                             : (const char *) sqlite3_column_text (stmt,
                                                                                   column));
      g_string_append_c (text, '\n');
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return g_string_free (text, FALSE);
}

/* What must arrive as it was, the same statement on both sides. */
static const char * const tables[] = {
  "SELECT id, given_name, family_name, birth_date, sex, phone, phone_digits, email, language,"
  "       notes, sort_key, search_names, created, updated, record_id,"
  "       CASE WHEN archived THEN 1 ELSE 0 END"
  "  FROM patients ORDER BY id",
  "SELECT id, patient_id, created FROM consultations ORDER BY id",
  "SELECT consultation_id, revision, created, updated, signed_by, signed_at, data"
  "  FROM consultation_revisions ORDER BY consultation_id, revision",
  "SELECT id, at, actor, action, subject, consultation_id, detail, hash FROM audit ORDER BY id",
  "SELECT patient_id, subject FROM audit_subjects ORDER BY patient_id",
  "SELECT id, consultation_id, patient_id, created FROM treatment_sessions ORDER BY id",
  "SELECT session_id, revision, created, updated, signed_by, signed_at, data"
  "  FROM treatment_session_revisions ORDER BY session_id, revision",
  "SELECT session_id, revision, position, product, lot, lot_key"
  "  FROM session_batches ORDER BY session_id, revision, position",
  "SELECT consultation_id, revision, patient_id, signer, name, signed_at, signed_by, strokes,"
  "       consent_hash FROM consent_signatures ORDER BY id",
  "SELECT value FROM settings WHERE key = 'rules'",
  /* Photos (issue 18): numbered anew on the server, in the file's order; the images and
   * thumbnails by their length and the image's SHA-256. */
  "SELECT patient_id, consultation_id, treatment_session_id, site, side, moment, date, width,"
  "       height, sha256, added, added_by, length (image), length (thumbnail)"
  "  FROM photos ORDER BY id",
  "SELECT patient_id, scope, recorded, recorded_by FROM photo_consents ORDER BY patient_id",
  /* The schedule (issue 17) as the front desk left it: numbered anew on the server. */
  "SELECT consultation_id, patient_id, number, course_length,"
  "       CASE WHEN maintenance THEN 1 ELSE 0 END, date, time, planned_date, status,"
  "       treatment_session_id, changed_by, changed_at, reason"
  "  FROM scheduled_sessions ORDER BY consultation_id, maintenance, number",
};

/* What a server in use holds that a refused copy must leave as it is: the patients, the
 * audit rows and the audit key. */
static char *
dump_in_use (const char *uri)
{
  g_autofree char *patients = pg_dump (uri, tables[0]);
  g_autofree char *audit = pg_dump (uri, tables[3]);
  g_autofree char *key = pg_dump (uri, "SELECT encode (key, 'hex') FROM audit_key");

  return g_strconcat (patients, audit, key, NULL);
}

static void
assert_same_rows (const char *path,
                  const char *uri)
{
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *in_file = file_dump (path, tables[i]);
      g_autofree char *on_server = pg_dump (uri, tables[i]);

      g_assert_cmpstr (on_server, ==, in_file);
    }
}

/* A database that --server-init set up for the owner. */
static char *
new_server_records (const Server *server,
                    const char   *database,
                    gboolean      init)
{
  g_autofree char *super = uri_for (server, "postgres", "postgres");
  g_autofree char *sql = g_strdup_printf ("CREATE DATABASE %s OWNER " OWNER, database);
  char *uri = uri_for (server, database, OWNER);

  exec_sql (super, sql);
  if (init)
    {
      g_autoptr(StriaeServerSetup) setup = NULL;
      g_autoptr(GError) error = NULL;

      setup = striae_store_server_init (uri, &error);
      g_assert_no_error (error);
    }
  return uri;
}

static gint64
add_patient (StriaeStore *store,
             const char  *given,
             const char  *family)
{
  g_autoptr(StriaePatient) patient = striae_patient_new ();
  g_autoptr(GError) error = NULL;

  striae_patient_set_given_name (patient, given);
  striae_patient_set_family_name (patient, family);
  striae_patient_set_birth_date (patient, striae_test_date ("1990-05-17"));
  striae_patient_set_phone (patient, "06 12 34 56 78");
  g_assert_true (striae_store_add_patient (store, patient, &error));
  g_assert_no_error (error);
  return striae_patient_get_id (patient);
}

static gint64
save_draft (StriaeStore *store,
            gint64       patient_id,
            const char  *date)
{
  g_autoptr(StriaeConsultation) consultation = striae_consultation_new ();
  g_autoptr(GError) error = NULL;

  striae_consultation_set_patient_id (consultation, patient_id);
  striae_consultation_set_date (consultation, striae_test_date (date));
  g_assert_true (striae_store_save_consultation (store, consultation, "Dr Roux", &error));
  g_assert_no_error (error);
  return striae_consultation_get_id (consultation);
}

static void
sign (StriaeStore *store,
      gint64       id)
{
  g_autoptr(StriaeConsultation) consultation = NULL;
  g_autoptr(GError) error = NULL;
  StriaePlan *plan;

  consultation = striae_store_get_consultation (store, id, &error);
  g_assert_no_error (error);
  /* A course of 3 sessions 4 weeks apart from the consultation's day: a schedule. */
  plan = striae_consultation_get_plan (consultation);
  striae_plan_set_sessions (plan, 3);
  striae_plan_set_interval_weeks (plan, 4);
  striae_plan_set_first_session (plan, striae_consultation_get_date (consultation));
  striae_consultation_set_status (consultation, STRIAE_CONSULTATION_STATUS_COMPLETE);
  g_assert_true (striae_store_save_consultation (store, consultation, "Dr Roux", &error));
  g_assert_no_error (error);
  g_assert_true (striae_store_sign_consultation (store, id, "Dr Roux", &error));
  g_assert_no_error (error);
}

/* A session record of consultation @id, stopped by its check, signed and then amended:
 * two revisions and their lots (issue 17). */
static void
add_session (StriaeStore *store,
             gint64       id)
{
  g_autoptr(StriaeConsultation) consultation = NULL;
  g_autoptr(StriaeTreatmentSession) session = NULL;
  g_autoptr(StriaeTreatmentSession) amended = NULL;
  g_autoptr(StriaeSessionProduct) product = NULL;
  StriaeSessionCheck *check;
  g_autoptr(GError) error = NULL;

  consultation = striae_store_get_consultation (store, id, &error);
  g_assert_no_error (error);
  session = striae_treatment_session_new_for (consultation);
  while (g_list_model_get_n_items (striae_treatment_session_get_areas (session)) > 0)
    striae_treatment_session_remove_area (session, 0);
  striae_treatment_session_set_number (session, 1);
  striae_treatment_session_set_course_length (session, 3);
  striae_treatment_session_set_date (session, striae_test_date ("2026-11-10"));
  striae_treatment_session_set_practitioner (session, "Dr Roux");
  striae_treatment_session_set_numbing_cream (session, FALSE);
  product = striae_session_product_new ("Numbing cream", "NC-2291",
                                        striae_test_date ("2027-06-30"));
  striae_treatment_session_add_product (session, product);
  check = striae_treatment_session_get_check (session);
  striae_session_check_set_answer (check, STRIAE_CHECK_ITEM_COLD_SORE, STRIAE_ANSWER_YES);
  striae_session_check_set_result (check, STRIAE_CHECK_RESULT_STOPPED);
  striae_session_check_set_reason (check, "Active cold sore.");
  g_assert_true (striae_store_save_treatment_session (store, session, "Dr Roux", &error));
  g_assert_no_error (error);
  g_assert_true (striae_store_sign_treatment_session (store,
                                                      striae_treatment_session_get_id (session),
                                                      "Dr Roux", &error));
  g_assert_no_error (error);
  amended = striae_store_amend_treatment_session (store,
                                                  striae_treatment_session_get_id (session),
                                                  "Dr Roux", "Lot number", &error);
  g_assert_no_error (error);
}

/* The front desk's changes to @id's schedule: session 2 moved to a time, session 3 missed. */
static void
change_schedule (StriaeStore *store,
                 gint64       id)
{
  g_autoptr(GPtrArray) rows = striae_store_list_schedule (store, id, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (rows);
  g_assert_cmpuint (rows->len, >=, 3);
  g_assert_true (striae_store_move_scheduled_session (
                   store, ((StriaeScheduledSession *) g_ptr_array_index (rows, 1))->id,
                   striae_test_date ("2026-12-17"), 14 * 60 + 30, FALSE, "Patient away",
                   &error));
  g_assert_no_error (error);
  g_assert_true (striae_store_mark_session_missed (
                   store, ((StriaeScheduledSession *) g_ptr_array_index (rows, 2))->id,
                   "Did not come", &error));
  g_assert_no_error (error);
}

/* The consent of @id signed on the screen by the patient (issue 18). */
static void
add_consent_signature (StriaeStore *store,
                       gint64       id)
{
  g_autoptr(StriaeConsentSignature) signature =
    striae_consent_signature_new (STRIAE_CONSENT_SIGNER_PATIENT);
  g_autoptr(GError) error = NULL;

  striae_consent_signature_set_name (signature, "Inès Moreau");
  striae_consent_signature_set_consent_hash (
    signature, "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
  striae_consent_signature_begin_stroke (signature);
  striae_consent_signature_add_point (signature, 0.1, 0.5, 0.3, 0);
  striae_consent_signature_add_point (signature, 0.9, 0.4, 0.6, 120);
  g_assert_true (striae_store_save_consent_signature (store, id, signature, &error));
  g_assert_no_error (error);
}

/* Photo consent for patient @patient and a photo of consultation @id (issue 18). */
static void
add_photo (StriaeStore *store,
           gint64       patient,
           gint64       id)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 64, 48);
  g_autoptr(StriaePhoto) photo = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  char *buffer = NULL;
  gsize size = 0;

  gdk_pixbuf_fill (pixbuf, 0xc08060ff);
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "jpeg", &error, NULL));
  bytes = g_bytes_new_take (buffer, size);
  g_assert_true (striae_store_set_photo_consent (store, patient, STRIAE_PHOTO_CONSENT_CLINICAL,
                                                 &error));
  g_assert_no_error (error);
  photo = striae_store_add_photo (store, id, 0, STRIAE_BODY_SITE_ABDOMEN,
                                  STRIAE_SIDE_NOT_APPLICABLE, STRIAE_PHOTO_MOMENT_CONSULTATION,
                                  bytes, &error);
  g_assert_no_error (error);
  g_assert_nonnull (photo);
}

/* A PC's file with what a clinic's file holds: signed, amended, draft and not-treated
 * consultations, an archived patient, an erased one (their audit subject gone), new rules. */
static StriaeStore *
make_file (const char *path,
           gint64     *draft_id)
{
  g_autoptr(StriaeStore) store = NULL;
  g_autoptr(StriaeRules) rules = NULL;
  g_autoptr(StriaeConsultation) amended = NULL;
  g_autoptr(GError) error = NULL;
  gint64 ines, jonas, lena, erased, signed_id, amended_id, not_treated;

  store = striae_store_open (path, &error);
  g_assert_no_error (error);
  striae_store_set_user (store, "Dr Roux");

  ines = add_patient (store, "Inès", "Moreau");
  jonas = add_patient (store, "Jonas", "Łukasz");
  lena = add_patient (store, "Lena", "Vogel");
  erased = add_patient (store, "Erik", "Gone");

  signed_id = save_draft (store, ines, "2026-11-02");
  sign (store, signed_id);
  add_session (store, signed_id);
  change_schedule (store, signed_id);
  add_consent_signature (store, signed_id);
  add_photo (store, ines, signed_id);
  amended_id = save_draft (store, ines, "2026-11-20");
  sign (store, amended_id);
  amended = striae_store_amend_consultation (store, amended_id, "Dr Roux", "Wrong area",
                                             &error);
  g_assert_no_error (error);
  g_assert_nonnull (amended);

  *draft_id = save_draft (store, jonas, "2026-12-01");
  g_assert_true (striae_store_set_resume_page (store, *draft_id, "skin", &error));
  g_assert_no_error (error);
  not_treated = save_draft (store, jonas, "2026-12-02");
  g_assert_true (striae_store_sign_not_treated (store, not_treated, "Dr Roux", "Pregnancy",
                                                NULL, &error));
  g_assert_no_error (error);

  save_draft (store, lena, "2026-10-01");
  g_assert_true (striae_store_set_patient_archived (store, lena, TRUE, "Office", &error));
  g_assert_no_error (error);

  sign (store, save_draft (store, erased, "2026-09-01"));
  g_assert_true (striae_store_set_patient_archived (store, erased, TRUE, "Office", &error));
  g_assert_no_error (error);
  g_assert_true (striae_store_erase_patient (store, erased, &error));
  g_assert_no_error (error);

  rules = striae_store_load_rules (store, &error);
  g_assert_no_error (error);
  striae_rules_set_isotretinoin_delay_months (rules, 9);
  g_assert_true (striae_store_save_rules (store, rules, "Office", &error));
  g_assert_no_error (error);

  return g_steal_pointer (&store);
}

static void
test_records (gconstpointer data)
{
  const Server *server = data;
  g_autofree char *path = g_build_filename (server->folder, "records.db", NULL);
  g_autofree char *uri = new_server_records (server, "striae_copy", TRUE);
  g_autofree char *super = uri_for (server, "striae_copy", "postgres");
  g_autoptr(StriaeStore) file = NULL;
  g_autoptr(StriaeStore) target = NULL;
  g_autoptr(StriaeConsultation) consultation = striae_consultation_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *page = NULL;
  StriaeCopyReport report = { 0 };
  gint64 file_entries = 0, entries = 0, bad = -1, draft_id = 0, max_patient, next_patient;

  file = make_file (path, &draft_id);
  g_assert_true (striae_store_verify_audit (file, &file_entries, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (striae_store_copy_to (file, uri, &report, &error));
  g_assert_no_error (error);
  g_test_message ("copied %" G_GINT64_FORMAT " patients, %" G_GINT64_FORMAT
                  " consultations, %" G_GINT64_FORMAT " revisions, %" G_GINT64_FORMAT
                  " audit entries", report.patients, report.consultations, report.revisions,
                  report.audit_entries);
  g_assert_cmpint (report.patients, ==, 3);
  g_assert_cmpint (report.consultations, ==, 5);
  g_assert_cmpint (report.revisions, ==, 6);
  g_assert_cmpint (report.audit_entries, ==, file_entries);

  /* Row for row, byte for byte; the erased patient's entries name a subject no one has. */
  assert_same_rows (path, super);
  {
    g_autofree char *orphans = pg_dump (super,
                                        "SELECT count (*) FROM audit a WHERE subject IS NOT NULL"
                                        "   AND NOT EXISTS (SELECT FROM audit_subjects s"
                                        "                    WHERE s.subject = a.subject)");

    g_assert_cmpstr (orphans, !=, "0|\n");
  }

  target = striae_store_open (uri, &error);
  g_assert_no_error (error);
  g_assert_true (striae_store_verify_audit (target, &entries, &bad, &error));
  g_assert_no_error (error);
  g_assert_cmpint (entries, ==, file_entries);
  g_assert_cmpint (bad, ==, 0);
  page = striae_store_dup_resume_page (target, draft_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (page, ==, "skin");

  /* New writes take numbers of their own and carry the chain on. */
  {
    g_autofree char *max_text = pg_dump (super, "SELECT max (id) FROM patients");

    max_patient = g_ascii_strtoll (max_text, NULL, 10);
  }
  striae_store_set_user (target, "Dr Roux");
  next_patient = add_patient (target, "Nora", "Neu");
  g_assert_cmpint (next_patient, >, max_patient);
  striae_consultation_set_patient_id (consultation, next_patient);
  striae_consultation_set_date (consultation, striae_test_date ("2026-12-06"));
  g_assert_true (striae_store_save_consultation (target, consultation, "Dr Roux", &error));
  g_assert_no_error (error);
  g_assert_cmpint (striae_consultation_get_id (consultation), >, 5);
  g_assert_true (striae_store_verify_audit (target, &entries, &bad, &error));
  g_assert_no_error (error);
  g_assert_cmpint (entries, >, file_entries);
  g_assert_cmpint (bad, ==, 0);
}

static void
test_refusals (gconstpointer data)
{
  const Server *server = data;
  g_autofree char *path = g_build_filename (server->folder, "refused.db", NULL);
  g_autofree char *bare = new_server_records (server, "striae_bare", FALSE);
  g_autofree char *bare_super = uri_for (server, "striae_bare", "postgres");
  g_autofree char *used = uri_for (server, "striae_copy", OWNER);
  g_autofree char *used_super = uri_for (server, "striae_copy", "postgres");
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *tables_after = NULL;
  g_autoptr(StriaeStore) file = NULL;
  g_autoptr(GError) error = NULL;
  StriaeCopyReport report = { 1, 1, 1, 1 };
  gint64 draft_id;

  file = make_file (path, &draft_id);

  /* Not set up: refused, and nothing made there. */
  g_assert_false (striae_store_copy_to (file, bare, &report, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "--server-init"));
  g_clear_error (&error);
  tables_after = pg_dump (bare_super, "SELECT count (*) FROM pg_tables"
                                      " WHERE schemaname = 'public'");
  g_assert_cmpstr (tables_after, ==, "0|\n");
  g_assert_cmpint (report.patients, ==, 0);

  /* In use (the copy of the test before, and a patient more): refused, unchanged. */
  before = dump_in_use (used_super);
  g_assert_false (striae_store_copy_to (file, used, &report, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_LOCKED);
  g_assert_nonnull (strstr (error->message, "in use already (patients: 4"));
  g_clear_error (&error);
  after = dump_in_use (used_super);
  g_assert_cmpstr (after, ==, before);

  /* A failure half-way (the server refuses the revisions): nothing of the copy is left, and
   * the server's own key is kept. */
  {
    g_autofree char *halfway = new_server_records (server, "striae_halfway", TRUE);
    g_autofree char *halfway_super = uri_for (server, "striae_halfway", "postgres");
    g_autofree char *key_before = pg_dump (halfway_super,
                                           "SELECT encode (key, 'hex') FROM audit_key");
    g_autofree char *key_after = NULL;
    g_autofree char *rows_after = NULL;

    exec_sql (halfway_super,
              "CREATE TRIGGER test_refuse BEFORE INSERT ON consultation_revisions"
              "  FOR EACH ROW EXECUTE FUNCTION striae_refuse ('test: no revisions')");
    g_assert_false (striae_store_copy_to (file, halfway, &report, &error));
    g_assert_nonnull (error);
    g_test_message ("half-way: %s", error->message);
    g_clear_error (&error);
    key_after = pg_dump (halfway_super, "SELECT encode (key, 'hex') FROM audit_key");
    g_assert_cmpstr (key_after, ==, key_before);
    rows_after = pg_dump (halfway_super,
                          "SELECT (SELECT count (*) FROM patients),"
                          "       (SELECT count (*) FROM consultations),"
                          "       (SELECT count (*) FROM audit),"
                          "       (SELECT last_number FROM audit_numbers),"
                          "       (SELECT count (*) FROM settings WHERE key = 'rules')");
    g_assert_cmpstr (rows_after, ==, "0|0|0|0|0|\n");
  }

  /* Onto a file: a backup's job. */
  {
    g_autofree char *other = g_build_filename (server->folder, "other.db", NULL);

    g_assert_false (striae_store_copy_to (file, other, NULL, &error));
    g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID);
    g_assert_false (g_file_test (other, G_FILE_TEST_EXISTS));
  }
}

/* The figure: 1 000 patients with a consultation each. */
static void
test_thousand (gconstpointer data)
{
  const Server *server = data;
  g_autofree char *path = g_build_filename (server->folder, "thousand.db", NULL);
  g_autofree char *uri = new_server_records (server, "striae_thousand", TRUE);
  g_autofree char *super = uri_for (server, "striae_thousand", "postgres");
  g_autoptr(GPtrArray) patients = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(StriaeStore) file = NULL;
  g_autoptr(StriaeStore) target = NULL;
  g_autoptr(GError) error = NULL;
  StriaeCopyReport report = { 0 };
  gint64 file_entries = 0, entries = 0;
  gint64 start;

  file = striae_store_open (path, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 1000; i++)
    {
      StriaePatient *patient = striae_patient_new ();
      g_autofree char *given = g_strdup_printf ("Given%u", i);

      striae_patient_set_given_name (patient, given);
      striae_patient_set_family_name (patient, i % 2 ? "Müller" : "Dupré");
      striae_patient_set_birth_date (patient, striae_test_date ("1985-03-14"));
      g_ptr_array_add (patients, patient);
    }
  g_assert_true (striae_store_add_patients (file, patients, &error));
  g_assert_no_error (error);
  g_assert_true (striae_store_begin_bulk (file, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < patients->len; i++)
    save_draft (file, striae_patient_get_id (g_ptr_array_index (patients, i)), "2026-12-01");
  g_assert_true (striae_store_end_bulk (file, &error));
  g_assert_no_error (error);
  g_assert_true (striae_store_verify_audit (file, &file_entries, NULL, &error));
  g_assert_no_error (error);

  start = g_get_monotonic_time ();
  g_assert_true (striae_store_copy_to (file, uri, &report, &error));
  g_assert_no_error (error);
  g_test_message ("1 000 patients, 1 000 consultations and %" G_GINT64_FORMAT " audit "
                  "entries copied and checked in %.2f s", report.audit_entries,
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);

  g_assert_cmpint (report.patients, ==, 1000);
  g_assert_cmpint (report.consultations, ==, 1000);
  g_assert_cmpint (report.revisions, ==, 1000);
  g_assert_cmpint (report.audit_entries, ==, file_entries);
  assert_same_rows (path, super);

  target = striae_store_open (uri, &error);
  g_assert_no_error (error);
  g_assert_cmpint (striae_store_count_patients (target, &error), ==, 1000);
  g_assert_true (striae_store_verify_audit (target, &entries, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (entries, ==, file_entries);
}

static void
test_cli (gconstpointer data)
{
  const Server *server = data;
  g_autofree char *path = g_build_filename (server->folder, "cli.db", NULL);
  g_autofree char *uri = new_server_records (server, "striae_cli_copy", TRUE);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  gint64 draft_id;

  g_object_unref (make_file (path, &draft_id));

  g_assert_cmpint (run_striae_with_input (NULL, &out, &err, "--copy-to", uri,
                                          "--database", path, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "  patients:      3\n"));
  g_assert_nonnull (strstr (out, "  consultations: 5\n"));
  g_assert_nonnull (strstr (out, "  revisions:     6\n"));
  g_assert_nonnull (strstr (out, "its audit log is intact"));
  g_assert_cmpstr (err, ==, "");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Again: the server is in use now; one sentence, exit status 1. */
  g_assert_cmpint (run_striae_with_input (NULL, &out, &err, "--copy-to", uri,
                                          "--database", path, NULL), ==, 1);
  g_assert_true (g_str_has_prefix (err, "striae: The records on "));
  g_assert_nonnull (strstr (err, "nothing was copied"));
  g_assert_cmpint (strchr (err, '\n') - err + 1, ==, strlen (err));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_striae_with_input (NULL, &out, &err, "--copy-to", uri,
                                          "--server-init", uri, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "not several"));
}

static void
test_not_this_pass (void)
{
  g_test_skip ("Runs in the PostgreSQL pass only: meson test --setup=postgresql "
               "--suite postgresql");
}

int
main (int   argc,
      char *argv[])
{
  Server server = { 0 };
  g_autoptr(GError) error = NULL;
  const char *dir;
  int status;

  g_test_init (&argc, &argv, NULL);

  dir = g_getenv ("STRIAE_TEST_POSTGRESQL");
  if (dir == NULL || dir[0] == '\0')
    {
      if (g_strcmp0 (g_getenv ("CI"), "true") == 0 &&
          g_strcmp0 (g_getenv ("STRIAE_TEST_BACKEND"), "postgresql") == 0)
        g_error ("STRIAE_TEST_POSTGRESQL names no server in the PostgreSQL pass");
      g_test_add_func ("/copy-to/not-this-pass", test_not_this_pass);
      return g_test_run ();
    }

  server.socket_dir = g_strdup (dir);
  server.folder = g_dir_make_tmp ("striae-copy-to-XXXXXX", &error);
  g_assert_no_error (error);
  {
    g_autofree char *super = uri_for (&server, "postgres", "postgres");

    /* Clinic IT's login as docs/clinic-server.md makes it. */
    exec_sql (super, "CREATE ROLE " OWNER " LOGIN CREATEROLE");
  }

  /* In this order: the refusals use the records the first copy filled. */
  g_test_add_data_func ("/copy-to/records", &server, test_records);
  g_test_add_data_func ("/copy-to/refusals", &server, test_refusals);
  g_test_add_data_func ("/copy-to/thousand", &server, test_thousand);
  g_test_add_data_func ("/copy-to/cli", &server, test_cli);

  status = g_test_run ();
  {
    g_autofree char *command = g_strdup_printf ("rm -rf '%s'", server.folder);

    if (system (command) != 0)
      g_warning ("%s was not removed", server.folder);
  }
  g_free (server.folder);
  g_free (server.socket_dir);
  return status;
}
