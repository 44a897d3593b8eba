/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <gio/gio.h>
#include <libpq-fe.h>
#include <string.h>

#include "striae-store.h"
#include "striae-test-cli.h"
#include "striae-test-date.h"

/* striae --server-init and --server-add-login on a private PostgreSQL server
 * (tests/with-postgresql, through `meson test --setup=postgresql`): the schema and the three
 * group roles, made once and kept on a second run; staff logins in their group; and, as a
 * login of each group, what the server lets it do through the records layer and what it
 * refuses to plain SQL, whatever the client. */

typedef struct
{
  char   *socket_dir;                /* the private server's, reached as `postgres` too */
  gint64  patient;                   /* a patient with a signed consultation */
  gint64  signed_id;                 /* that consultation */
  gint64  draft_id;                  /* and a draft of theirs */
} Server;

#define DATABASE "striae_clinic"
#define OWNER "clinic_it"

static const char * const login_names[] = { "anna_desk", "dr_roux", "office_admin" };

static char *
uri_for (const Server *server,
         const char   *database,
         const char   *user)
{
  g_autofree char *host = g_uri_escape_string (server->socket_dir, NULL, FALSE);
  /* The socket is named after the server's port, which its TLS port moves. */
  const char *port = g_getenv ("STRIAE_TEST_POSTGRESQL_TLS_PORT");

  if (port != NULL && port[0] != '\0')
    return g_strdup_printf ("postgresql:///%s?host=%s&port=%s&user=%s", database, host, port,
                            user);
  return g_strdup_printf ("postgresql:///%s?host=%s&user=%s", database, host, user);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGconn, PQfinish)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

static void
log_notice (void       *data,
            const char *message)
{
  g_test_message ("%s", message);
}

static PGconn *
connect_as (const char *uri)
{
  PGconn *conn = PQconnectdb (uri);

  if (PQstatus (conn) != CONNECTION_OK)
    g_error ("%s: %s", uri, PQerrorMessage (conn));
  PQsetNoticeProcessor (conn, log_notice, NULL);
  return conn;
}

/* Runs @sql as @uri's login: %NULL when it ran (with the rows it touched in @n_rows), or the
 * SQLSTATE of the server's refusal. */
static char *
try_sql (const char *uri,
         const char *sql,
         gint64     *n_rows)
{
  g_autoptr(PGconn) conn = connect_as (uri);
  g_autoptr(PGresult) result = PQexec (conn, sql);
  ExecStatusType status = PQresultStatus (result);

  if (n_rows != NULL)
    *n_rows = -1;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
    {
      if (n_rows != NULL)
        *n_rows = g_ascii_strtoll (PQcmdTuples (result), NULL, 10);
      return NULL;
    }

  g_test_message ("refused: %s: %s", sql, PQresultErrorMessage (result));
  return g_strdup (PQresultErrorField (result, PG_DIAG_SQLSTATE));
}

static void
exec_sql (const char *uri,
          const char *sql)
{
  g_autofree char *state = try_sql (uri, sql, NULL);

  if (state != NULL)
    g_error ("%s refused (%s)", sql, state);
}

static char *
query_text (const char *uri,
            const char *sql)
{
  g_autoptr(PGconn) conn = connect_as (uri);
  g_autoptr(PGresult) result = PQexec (conn, sql);

  if (PQresultStatus (result) != PGRES_TUPLES_OK)
    g_error ("%s: %s", sql, PQerrorMessage (conn));
  if (PQntuples (result) == 0 || PQgetisnull (result, 0, 0))
    return NULL;
  return g_strdup (PQgetvalue (result, 0, 0));
}

/* The server refuses @sql for lack of privilege: the grants, before any trigger. */
static void
assert_denied (const char *uri,
               const char *sql)
{
  g_autofree char *state = try_sql (uri, sql, NULL);

  if (g_strcmp0 (state, "42501") != 0)
    g_error ("expected permission denied (42501) for %s, got %s", sql,
             state ? state : "success");
}

/* @sql changes nothing, whether the server refuses it (a grant or a trigger) or row-level
 * security leaves it no row to touch. */
static void
assert_no_change (const char *uri,
                  const char *sql)
{
  g_autofree char *state = NULL;
  gint64 n_rows = -1;

  state = try_sql (uri, sql, &n_rows);
  if (state == NULL && n_rows != 0)
    g_error ("%s changed %" G_GINT64_FORMAT " rows", sql, n_rows);
}

static void
assert_allowed (const char *uri,
                const char *sql,
                gint64      expected_rows)
{
  g_autofree char *state = NULL;
  gint64 n_rows = -1;

  state = try_sql (uri, sql, &n_rows);
  if (state != NULL)
    g_error ("%s was refused (%s)", sql, state);
  g_assert_cmpint (n_rows, ==, expected_rows);
}

/* A fingerprint of what must never change: the audit log and the signed revisions. */
static char *
dup_protected (const Server *server)
{
  g_autofree char *uri = uri_for (server, DATABASE, "postgres");

  return query_text (uri,
                     "SELECT md5 ((SELECT coalesce (string_agg (a::text, '|' ORDER BY id), '')"
                     "               FROM audit a) ||"
                     "            (SELECT coalesce (string_agg (r::text, '|' ORDER BY"
                     "                               consultation_id, revision), '')"
                     "               FROM consultation_revisions r"
                     "              WHERE r.signed_at IS NOT NULL))");
}

static void
assert_count (const Server *server,
              const char   *sql,
              const char   *expected)
{
  g_autofree char *uri = uri_for (server, DATABASE, "postgres");
  g_autofree char *count = query_text (uri, sql);

  g_assert_cmpstr (count, ==, expected);
}

static void
test_init (gconstpointer data)
{
  const Server *server = data;
  g_autofree char *uri = uri_for (server, DATABASE, OWNER);
  g_autofree char *super = uri_for (server, DATABASE, "postgres");
  g_autoptr(StriaeServerSetup) first = NULL;
  g_autoptr(StriaeServerSetup) second = NULL;
  g_autofree char *owner = NULL;
  g_autofree char *groups = NULL;
  g_autoptr(GError) error = NULL;
  int latest;

  first = striae_store_server_init (uri, &error);
  g_assert_no_error (error);
  g_assert_nonnull (first);
  g_assert_cmpint (first->schema_before, ==, 0);
  g_assert_cmpint (first->schema_after, >=, 1);
  latest = first->schema_after;
  g_assert_cmpuint (g_strv_length (first->created_roles), ==, 3);
  g_assert_true (g_strv_contains ((const char * const *) first->created_roles,
                                  "striae_admin"));
  g_assert_true (g_strv_contains ((const char * const *) first->created_roles,
                                  "striae_practitioner"));
  g_assert_true (g_strv_contains ((const char * const *) first->created_roles,
                                  "striae_assistant"));

  /* The tables are the owner's, and the groups cannot log in or do more than their grants. */
  owner = query_text (super, "SELECT tableowner FROM pg_tables WHERE tablename = 'audit'");
  g_assert_cmpstr (owner, ==, OWNER);
  groups = query_text (super,
                       "SELECT count (*) FROM pg_roles"
                       "  WHERE rolname IN ('striae_admin', 'striae_practitioner',"
                       "                    'striae_assistant')"
                       "    AND NOT (rolcanlogin OR rolsuper OR rolcreaterole OR rolcreatedb"
                       "             OR rolbypassrls OR rolreplication)");
  g_assert_cmpstr (groups, ==, "3");

  /* Every table of the schema, including one a newer migration adds, is readable by each
   * group (else that migration needs its grants in striae-pg-roles.c). */
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT string_agg (c.relname, ' ')"
                                              "  FROM pg_class c"
                                              "  JOIN pg_namespace n ON n.oid = c.relnamespace"
                                              " WHERE n.nspname = 'public' AND c.relkind = 'r'"
                                              "   AND NOT has_table_privilege ('%s', c.oid,"
                                              "                                'SELECT')",
                                              striae_staff_role_get_group (i));
      g_autofree char *unreadable = query_text (super, sql);

      g_assert_cmpstr (unreadable, ==, NULL);
    }

  /* A second run makes nothing new and says so; the schema stays where it is. */
  second = striae_store_server_init (uri, &error);
  g_assert_no_error (error);
  g_assert_nonnull (second);
  g_assert_cmpint (second->schema_before, ==, latest);
  g_assert_cmpint (second->schema_after, ==, latest);
  g_assert_cmpuint (g_strv_length (second->created_roles), ==, 0);
}

static void
test_init_refusals (gconstpointer data)
{
  const Server *server = data;
  g_autofree char *staff = uri_for (server, DATABASE, login_names[STRIAE_STAFF_ROLE_ADMIN]);
  g_autofree char *unknown_db = uri_for (server, "no_such_database", OWNER);
  g_autofree char *super = uri_for (server, DATABASE, "postgres");
  g_autoptr(StriaeServerSetup) setup = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = dup_protected (server);
  g_autofree char *after = NULL;

  /* Not the owner: refused before anything is written, even for the clinic's admin. */
  setup = striae_store_server_init (staff, &error);
  g_assert_null (setup);
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_ACCESS_DENIED);
  g_assert_nonnull (strstr (error->message, OWNER));
  g_clear_error (&error);

  /* Nor the server's superuser, who would end up owning the tables. */
  setup = striae_store_server_init (super, &error);
  g_assert_null (setup);
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_ACCESS_DENIED);
  g_clear_error (&error);

  setup = striae_store_server_init (unknown_db, &error);
  g_assert_null (setup);
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  setup = striae_store_server_init ("/tmp/striae.db", &error);
  g_assert_null (setup);
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID);
  g_clear_error (&error);

  after = dup_protected (server);
  g_assert_cmpstr (before, ==, after);
}

/* A schema newer than this Striae's is refused, and the roles are left as they were. */
static void
test_init_newer_schema (gconstpointer data)
{
  const Server *server = data;
  g_autofree char *super = uri_for (server, "postgres", "postgres");
  g_autofree char *uri = uri_for (server, "striae_newer", OWNER);
  g_autofree char *future = uri_for (server, "striae_newer", "postgres");
  g_autoptr(StriaeServerSetup) setup = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *policies = NULL;

  exec_sql (super, "CREATE DATABASE striae_newer OWNER " OWNER);
  setup = striae_store_server_init (uri, &error);
  g_assert_no_error (error);
  g_clear_pointer (&setup, striae_server_setup_free);

  exec_sql (future, "UPDATE striae_schema SET version = version + 1");
  exec_sql (future, "DROP POLICY striae_read ON consultations");
  setup = striae_store_server_init (uri, &error);
  g_assert_null (setup);
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_TOO_NEW);

  policies = query_text (future, "SELECT count (*) FROM pg_policies"
                                 "  WHERE tablename = 'consultations'");
  g_assert_cmpstr (policies, ==, "4");
}

static void
test_add_login (gconstpointer data)
{
  const Server *server = data;
  g_autofree char *owner = uri_for (server, DATABASE, OWNER);
  g_autofree char *super = uri_for (server, DATABASE, "postgres");
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (login_names); i++)
    {
      g_autofree char *sql = NULL;
      g_autofree char *row = NULL;
      g_autofree char *expected = NULL;

      g_assert_true (striae_store_server_add_login (owner, login_names[i], i,
                                                    "correct horse battery", &error));
      g_assert_no_error (error);
      /* The practitioner's display name, as the server keeps it: what signs. */
      if (i == STRIAE_STAFF_ROLE_PRACTITIONER)
        exec_sql (super, "COMMENT ON ROLE dr_roux IS 'Dr Roux'");

      /* A login of its own with nothing but its group's privileges, and only the SCRAM
       * verifier of its password on the server. */
      sql = g_strdup_printf ("SELECT r.rolcanlogin || ' ' || r.rolinherit || ' '"
                             "       || (a.rolpassword LIKE 'SCRAM-SHA-256$%%') || ' '"
                             "       || (SELECT string_agg (g.rolname, ',')"
                             "             FROM pg_auth_members m"
                             "             JOIN pg_roles g ON g.oid = m.roleid"
                             "            WHERE m.member = r.oid)"
                             "  FROM pg_roles r JOIN pg_authid a ON a.oid = r.oid"
                             " WHERE r.rolname = '%s'", login_names[i]);
      row = query_text (super, sql);
      expected = g_strdup_printf ("true true true %s", striae_staff_role_get_group (i));
      g_assert_cmpstr (row, ==, expected);
    }

  /* Once only, with a name that needs no quoting, and a password worth the name. */
  g_assert_false (striae_store_server_add_login (owner, login_names[0],
                                                 STRIAE_STAFF_ROLE_ADMIN,
                                                 "correct horse battery", &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (striae_store_server_add_login (owner, "Robert\"; DROP TABLE audit; --",
                                                 STRIAE_STAFF_ROLE_ADMIN,
                                                 "correct horse battery", &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (striae_store_server_add_login (owner, "striae_admin",
                                                 STRIAE_STAFF_ROLE_ADMIN,
                                                 "correct horse battery", &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (striae_store_server_add_login (owner, "short_one", STRIAE_STAFF_ROLE_ADMIN,
                                                 "2short", &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* An owner whose right to make roles was taken back, as docs/clinic-server.md suggests
   * between new members of staff, is told what to do. */
  exec_sql (super, "ALTER ROLE " OWNER " NOCREATEROLE");
  g_assert_false (striae_store_server_add_login (owner, "new_nurse", STRIAE_STAFF_ROLE_ASSISTANT,
                                                 "correct horse battery", &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_ACCESS_DENIED);
  g_assert_nonnull (strstr (error->message, "CREATEROLE"));
  g_clear_error (&error);
  exec_sql (super, "ALTER ROLE " OWNER " CREATEROLE");
}

/* A login in no group cannot even connect: PUBLIC has nothing. */
static void
test_no_group (gconstpointer data)
{
  const Server *server = data;
  g_autofree char *super = uri_for (server, DATABASE, "postgres");
  g_autofree char *stranger = uri_for (server, DATABASE, "stranger");
  PGconn *conn;

  exec_sql (super, "CREATE ROLE stranger LOGIN");
  conn = PQconnectdb (stranger);
  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_BAD);
  g_assert_nonnull (strstr (PQerrorMessage (conn), "CONNECT"));
  PQfinish (conn);
}

static StriaeStore *
open_as (const Server    *server,
         StriaeStaffRole  role)
{
  g_autofree char *uri = uri_for (server, DATABASE, login_names[role]);
  g_autoptr(GError) error = NULL;
  StriaeStore *store = striae_store_open (uri, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
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
  g_assert_true (striae_store_add_patient (store, patient, &error));
  g_assert_no_error (error);
  return striae_patient_get_id (patient);
}

/* A session record of consultation @id, stopped by its check (issue 17), as @store's login
 * saves it: TRUE when it could be saved and signed. */
static gboolean
record_session (StriaeStore  *store,
                gint64        id,
                GError      **error)
{
  g_autoptr(StriaeConsultation) consultation = striae_store_get_consultation (store, id, error);
  g_autoptr(StriaeTreatmentSession) session = NULL;
  g_autoptr(StriaeSessionProduct) product = NULL;
  StriaeSessionCheck *check;

  if (consultation == NULL)
    return FALSE;
  session = striae_treatment_session_new_for (consultation);
  while (g_list_model_get_n_items (striae_treatment_session_get_areas (session)) > 0)
    striae_treatment_session_remove_area (session, 0);
  striae_treatment_session_set_number (session, 1);
  striae_treatment_session_set_course_length (session, 3);
  striae_treatment_session_set_date (session, striae_test_date ("2026-12-02"));
  striae_treatment_session_set_practitioner (session, "Dr Roux");
  striae_treatment_session_set_numbing_cream (session, FALSE);
  product = striae_session_product_new ("Serum", "SR-88", striae_test_date ("2027-01-31"));
  striae_treatment_session_add_product (session, product);
  check = striae_treatment_session_get_check (session);
  striae_session_check_set_answer (check, STRIAE_CHECK_ITEM_INFECTION, STRIAE_ANSWER_YES);
  striae_session_check_set_result (check, STRIAE_CHECK_RESULT_STOPPED);
  striae_session_check_set_reason (check, "Skin infection on the area.");

  return striae_store_save_treatment_session (store, session, "Dr Roux", error) &&
         striae_store_sign_treatment_session (store, striae_treatment_session_get_id (session),
                                              "Dr Roux", error);
}

/* The practitioner's day through the records layer: a patient, a draft, sign-off. */
static void
test_practitioner_records (gconstpointer data)
{
  Server *server = (Server *) data;
  g_autoptr(StriaeStore) store = open_as (server, STRIAE_STAFF_ROLE_PRACTITIONER);
  g_autoptr(StriaeConsultation) consultation = striae_consultation_new ();
  g_autoptr(StriaeConsultation) draft = striae_consultation_new ();
  g_autoptr(StriaePatient) patient = NULL;
  g_autoptr(GError) error = NULL;

  server->patient = add_patient (store, "Inès", "Moreau");

  striae_consultation_set_patient_id (consultation, server->patient);
  striae_consultation_set_date (consultation, striae_test_date ("2026-12-01"));
  g_assert_true (striae_store_save_consultation (store, consultation, "Dr Roux", &error));
  g_assert_no_error (error);
  server->signed_id = striae_consultation_get_id (consultation);
  striae_consultation_set_status (consultation, STRIAE_CONSULTATION_STATUS_COMPLETE);
  g_assert_true (striae_store_save_consultation (store, consultation, "Dr Roux", &error));
  g_assert_no_error (error);
  g_assert_true (striae_store_sign_consultation (store, server->signed_id, "Dr Roux", &error));
  g_assert_no_error (error);

  striae_consultation_set_patient_id (draft, server->patient);
  striae_consultation_set_date (draft, striae_test_date ("2026-12-05"));
  g_assert_true (striae_store_save_consultation (store, draft, "Dr Roux", &error));
  g_assert_no_error (error);
  server->draft_id = striae_consultation_get_id (draft);
  g_assert_cmpint (server->draft_id, !=, server->signed_id);
  g_assert_true (striae_store_set_resume_page (store, server->draft_id, "skin", &error));
  g_assert_no_error (error);
  assert_count (server, "SELECT count (*) FROM consultation_revisions", "2");

  /* Session records are the practitioner's, locked once signed on the server too. */
  g_assert_true (record_session (store, server->signed_id, &error));
  g_assert_no_error (error);
  assert_count (server, "SELECT count (*) FROM session_batches", "1");
  {
    g_autofree char *uri = uri_for (server, DATABASE,
                                    login_names[STRIAE_STAFF_ROLE_PRACTITIONER]);
    g_autofree char *state = NULL;
    gint64 n_rows = -1;

    state = try_sql (uri, "UPDATE treatment_session_revisions SET data = '{}'", &n_rows);
    g_assert_cmpstr (state, ==, "P0001");
  }

  /* The practitioner corrects a patient's name. */
  patient = striae_store_get_patient (store, server->patient, &error);
  g_assert_no_error (error);
  striae_patient_set_given_name (patient, "Inès Marie");
  g_assert_true (striae_store_update_patient (store, patient, &error));
  g_assert_no_error (error);

  /* Signed is signed, through the records layer too. */
  g_assert_true (striae_store_save_consultation (store, consultation, "Dr Roux", &error) ==
                 FALSE);
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_LOCKED);
  g_clear_error (&error);

  /* The clinic's rules are the admin's. */
  {
    g_autoptr(StriaeRules) rules = striae_store_load_rules (store, &error);

    g_assert_no_error (error);
    striae_rules_set_isotretinoin_delay_months (rules, 9);
    g_assert_false (striae_store_save_rules (store, rules, "Dr Roux", &error));
    g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_ALLOWED);
  }
}

/* The front desk reads the signed consultation, registers a patient and prints (audited);
 * it cannot write a consultation. */
static void
test_assistant_records (gconstpointer data)
{
  const Server *server = data;
  g_autoptr(StriaeStore) store = open_as (server, STRIAE_STAFF_ROLE_ASSISTANT);
  g_autoptr(StriaeConsultation) loaded = NULL;
  g_autoptr(StriaeConsultation) mine = striae_consultation_new ();
  g_autoptr(StriaePatient) patient = NULL;
  g_autoptr(GArray) found = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (server->signed_id, >, 0);
  loaded = striae_store_get_consultation (store, server->signed_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (striae_consultation_get_status (loaded), ==,
                   STRIAE_CONSULTATION_STATUS_SIGNED);
  g_assert_true (striae_store_log_event (store, STRIAE_AUDIT_PRINT, server->patient,
                                         server->signed_id, "aftercare", &error));
  g_assert_no_error (error);

  /* The front desk keeps contact details up to date, through the same save as anyone's;
   * a name is the practitioner's. */
  patient = striae_store_get_patient (store, server->patient, &error);
  g_assert_no_error (error);
  striae_patient_set_phone (patient, "+33 6 98 76 54 32");
  striae_patient_set_email (patient, "ines.moreau@example.org");
  g_assert_true (striae_store_update_patient (store, patient, &error));
  g_assert_no_error (error);
  striae_patient_set_family_name (patient, "Morel");
  g_assert_false (striae_store_update_patient (store, patient, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_ACCESS_DENIED);
  g_clear_error (&error);
  assert_count (server, "SELECT family_name || ' ' || phone FROM patients WHERE given_name"
                        " = 'Inès Marie'", "Moreau +33 6 98 76 54 32");

  add_patient (store, "Jonas", "Berger");
  found = striae_store_search_patients (store, "berg", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);

  /* The front desk traces a batch, but records no session. */
  {
    g_autoptr(GPtrArray) uses = striae_store_find_batch (store, "sr88", &error);

    g_assert_no_error (error);
    g_assert_cmpuint (uses->len, ==, 1);
  }
  g_assert_false (record_session (store, server->signed_id, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_ALLOWED);
  g_clear_error (&error);

  striae_consultation_set_patient_id (mine, server->patient);
  striae_consultation_set_date (mine, striae_test_date ("2026-12-06"));
  g_assert_false (striae_store_save_consultation (store, mine, "Front desk", &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_ALLOWED);
}

/* Archiving and erasure are the admin's. The records layer refuses what the login's group
 * may not do before the server is asked (issue 16), with the same answer; the server's own
 * refusal of each is checked to plain SQL below. */
static void
test_admin_records (gconstpointer data)
{
  const Server *server = data;
  g_autoptr(StriaeStore) store = open_as (server, STRIAE_STAFF_ROLE_ADMIN);
  g_autoptr(StriaeStore) practitioner = open_as (server, STRIAE_STAFF_ROLE_PRACTITIONER);
  g_autoptr(StriaeRules) rules = NULL;
  g_autoptr(GError) error = NULL;
  gboolean archived = FALSE;
  gint64 leaving;

  rules = striae_store_load_rules (store, &error);
  g_assert_no_error (error);
  striae_rules_set_isotretinoin_delay_months (rules, 9);
  g_assert_true (striae_store_save_rules (store, rules, "Office", &error));
  g_assert_no_error (error);

  leaving = add_patient (store, "Lena", "Vogel");
  g_assert_false (striae_store_set_patient_archived (practitioner, leaving, TRUE, "Dr Roux",
                                                     &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  g_assert_true (striae_store_set_patient_archived (store, leaving, TRUE, "Office", &error));
  g_assert_no_error (error);
  g_assert_true (striae_store_get_patient_archived (store, leaving, &archived, &error));
  g_assert_true (archived);

  g_assert_false (striae_store_erase_patient (practitioner, leaving, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  g_assert_true (striae_store_erase_patient (store, leaving, &error));
  g_assert_no_error (error);
}

/* What no role may do, refused by the server to plain SQL. */
static void
assert_audit_untouchable (const char *uri)
{
  assert_denied (uri, "UPDATE audit SET actor = 'someone else'");
  assert_denied (uri, "DELETE FROM audit");
  assert_denied (uri, "TRUNCATE audit");
  assert_denied (uri, "UPDATE audit_key SET key = key");
  assert_denied (uri, "DELETE FROM audit_numbers");
  assert_denied (uri, "UPDATE striae_schema SET version = 1");
  assert_denied (uri, "CREATE TABLE mine (x int)");
}

static void
test_forbidden (const Server    *server,
                StriaeStaffRole  role)
{
  g_autofree char *uri = uri_for (server, DATABASE, login_names[role]);
  g_autofree char *before = dup_protected (server);
  g_autofree char *after = NULL;
  g_autofree char *signed_update = NULL;
  g_autofree char *signed_delete = NULL;
  g_autofree char *consultation_delete = NULL;

  g_assert_cmpint (server->signed_id, >, 0);
  signed_update = g_strdup_printf ("UPDATE consultation_revisions SET data = data,"
                                   "  signed_by = 'someone else'"
                                   "  WHERE consultation_id = %" G_GINT64_FORMAT,
                                   server->signed_id);
  signed_delete = g_strdup_printf ("DELETE FROM consultation_revisions"
                                   "  WHERE consultation_id = %" G_GINT64_FORMAT,
                                   server->signed_id);
  consultation_delete = g_strdup_printf ("DELETE FROM consultations WHERE id = %"
                                         G_GINT64_FORMAT, server->signed_id);

  assert_audit_untouchable (uri);
  assert_denied (uri, "TRUNCATE consultation_revisions");
  assert_denied (uri, "ALTER TABLE audit DISABLE TRIGGER USER");
  assert_denied (uri, "DROP TABLE audit");
  assert_denied (uri, "ALTER TABLE consultation_revisions DISABLE ROW LEVEL SECURITY");

  if (role == STRIAE_STAFF_ROLE_ASSISTANT)
    {
      g_autofree char *draft_update = g_strdup_printf (
        "UPDATE consultation_revisions SET data = data WHERE consultation_id = %"
        G_GINT64_FORMAT, server->draft_id);
      g_autofree char *insert = g_strdup_printf (
        "INSERT INTO consultation_revisions (consultation_id, revision, created, updated, data)"
        "  SELECT consultation_id, revision + 10, created, updated, data"
        "    FROM consultation_revisions WHERE consultation_id = %" G_GINT64_FORMAT,
        server->draft_id);
      g_autofree char *phone = g_strdup_printf (
        "UPDATE patients SET phone = '+33 6 12 34 56 78', phone_digits = '33612345678'"
        "  WHERE id = %" G_GINT64_FORMAT, server->patient);
      g_autofree char *page = g_strdup_printf (
        "UPDATE consultations SET resume_page = 'plan' WHERE id = %" G_GINT64_FORMAT,
        server->draft_id);

      assert_denied (uri, signed_update);
      assert_denied (uri, signed_delete);
      assert_denied (uri, draft_update);
      assert_denied (uri, insert);
      assert_denied (uri, consultation_delete);
      assert_denied (uri, page);
      assert_denied (uri, "DELETE FROM patients");
      /* A session record is the practitioner's: the server refuses it to the front desk
       * whatever the client does. */
      assert_denied (uri, "INSERT INTO treatment_sessions (consultation_id, patient_id, created)"
                          " SELECT id, patient_id, '2026-12-06' FROM consultations LIMIT 1");
      assert_denied (uri, "UPDATE treatment_session_revisions SET updated = updated");
      assert_denied (uri, "UPDATE patients SET family_name = 'Other'");
      assert_denied (uri, "UPDATE patients SET notes = 'x', updated = updated");
      assert_denied (uri, "UPDATE patients SET archived = true");
      assert_denied (uri, "UPDATE patients SET record_id = 'x'");
      assert_denied (uri, "DROP TRIGGER striae_front_desk_edit ON patients");
      assert_denied (uri, "INSERT INTO settings (key, value) VALUES ('clinic-name', 'x')");
      /* Contact details are the front desk's. */
      assert_allowed (uri, phone, 1);
    }
  else
    {
      g_autofree char *draft_update = g_strdup_printf (
        "UPDATE consultation_revisions SET updated = updated WHERE consultation_id = %"
        G_GINT64_FORMAT, server->draft_id);

      /* Row-level security leaves no signed row to change, and the trigger would refuse. */
      assert_no_change (uri, signed_update);
      assert_no_change (uri, signed_delete);
      assert_no_change (uri, consultation_delete);
      assert_denied (uri, "UPDATE consultation_revisions SET consultation_id = 0");
      assert_allowed (uri, draft_update, 1);
    }

  if (role == STRIAE_STAFF_ROLE_PRACTITIONER)
    {
      assert_denied (uri, "DELETE FROM patients");
      assert_denied (uri, "UPDATE patients SET archived = true");
      assert_denied (uri, "UPDATE patients SET record_id = 'x'");
      assert_denied (uri, "INSERT INTO settings (key, value) VALUES ('clinic-name', 'x')");
      assert_denied (uri, "DELETE FROM settings");
    }

  after = dup_protected (server);
  g_assert_cmpstr (before, ==, after);
}

static void
test_forbidden_assistant (gconstpointer data)
{
  test_forbidden (data, STRIAE_STAFF_ROLE_ASSISTANT);
}

static void
test_forbidden_practitioner (gconstpointer data)
{
  test_forbidden (data, STRIAE_STAFF_ROLE_PRACTITIONER);
}

static void
test_forbidden_admin (gconstpointer data)
{
  test_forbidden (data, STRIAE_STAFF_ROLE_ADMIN);
}

/* A practitioner discards a draft of their own; nobody but the owner sidesteps the rows'
 * policies. */
static void
test_discard_draft (gconstpointer data)
{
  const Server *server = data;
  g_autoptr(StriaeStore) store = open_as (server, STRIAE_STAFF_ROLE_PRACTITIONER);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (server->draft_id, >, 0);
  g_assert_true (striae_store_discard_draft (store, server->draft_id, "Dr Roux", &error));
  g_assert_no_error (error);
}

/* Who did it is the login, recorded by the server: every row the practitioner's records
 * wrote names "account:dr_roux" (and says who signed, by the login's display name), and a
 * row a modified client appends in someone else's name names the login all the same. */
static void
test_audit_actor (gconstpointer data)
{
  const Server *server = data;
  g_autofree char *super = uri_for (server, DATABASE, "postgres");
  g_autofree char *staff = uri_for (server, DATABASE,
                                    login_names[STRIAE_STAFF_ROLE_PRACTITIONER]);
  g_autofree char *actors = NULL;
  g_autofree char *signer = NULL;
  g_autofree char *described = NULL;
  g_autoptr(StriaeStore) store = NULL;
  g_autoptr(PGconn) conn = NULL;
  g_autoptr(PGresult) result = NULL;

  g_assert_cmpint (server->signed_id, >, 0);
  actors = query_text (super, "SELECT string_agg (DISTINCT actor, ',') FROM audit"
                              "  WHERE action IN ('create', 'sign', 'update')");
  g_assert_cmpstr (actors, ==, "account:anna_desk,account:dr_roux,account:office_admin");
  signer = query_text (super, "SELECT signed_by FROM consultation_revisions"
                              "  WHERE signed_at IS NOT NULL");
  g_assert_cmpstr (signer, ==, "Dr Roux");

  /* Through the records layer, whatever name is typed. */
  store = open_as (server, STRIAE_STAFF_ROLE_PRACTITIONER);
  striae_store_set_user (store, "Dr Somebody Else");
  g_assert_true (striae_store_log_event (store, STRIAE_AUDIT_VIEW, server->patient, 0, NULL,
                                         NULL));
  g_clear_pointer (&actors, g_free);
  actors = query_text (super, "SELECT actor FROM audit ORDER BY id DESC LIMIT 1");
  g_assert_cmpstr (actors, ==, "account:dr_roux");
  described = striae_store_describe_actor (store, G_MAXINT64, actors);
  g_assert_cmpstr (described, ==, "dr_roux (Dr Roux)");

  /* Plain SQL naming the administrator: the server writes the login (in a transaction
   * rolled back, so that the chain the next tests check stays whole). */
  conn = connect_as (staff);
  g_clear_pointer (&result, PQclear);
  result = PQexec (conn, "BEGIN");
  g_assert_cmpint (PQresultStatus (result), ==, PGRES_COMMAND_OK);
  g_clear_pointer (&result, PQclear);
  result = PQexec (conn, "INSERT INTO audit (id, at, actor, action, detail, hash)"
                         "  VALUES ((SELECT last_number + 1000 FROM audit_numbers),"
                         "          '2026-12-06T10:00:00Z', 'account:office_admin', 'view',"
                         "          '', 'forged') RETURNING actor");
  g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
  g_assert_cmpstr (PQgetvalue (result, 0, 0), ==, "account:dr_roux");
  g_clear_pointer (&result, PQclear);
  result = PQexec (conn, "ROLLBACK");
}

/* The password login of the private server (tests/with-postgresql), checked with SCRAM over
 * TLS, made a practitioner: whether @password lets it into @database. */
static gboolean
password_opens (const char *database,
                const char *password)
{
  const char *port = g_getenv ("STRIAE_TEST_POSTGRESQL_TLS_PORT");
  const char *login = g_getenv ("STRIAE_TEST_POSTGRESQL_PASSWORD_USER");
  const char * const keywords[] = {
    "host", "port", "dbname", "user", "password", "sslmode", NULL
  };
  const char * const values[] = {
    "127.0.0.1", port, database, login, password, "require", NULL
  };
  g_autoptr(PGconn) conn = PQconnectdbParams (keywords, values, FALSE);

  if (PQstatus (conn) != CONNECTION_OK)
    g_test_message ("refused: %s", PQerrorMessage (conn));
  return PQstatus (conn) == CONNECTION_OK;
}

/* An administrator resets a staff login's password: as the owner on the command line
 * (ALTER ROLE with a verifier made on the PC), and as a staff administrator through the
 * records layer (the server's function). The new password opens, the old one no longer; a
 * practitioner may not, and nobody resets the owner's through Striae. */
static void
test_reset_password (gconstpointer data)
{
  const Server *server = data;
  const char *login = g_getenv ("STRIAE_TEST_POSTGRESQL_PASSWORD_USER");
  const char *first = g_getenv ("STRIAE_TEST_POSTGRESQL_PASSWORD");
  g_autofree char *super = uri_for (server, DATABASE, "postgres");
  g_autofree char *owner = uri_for (server, DATABASE, OWNER);
  g_autofree char *staff = uri_for (server, DATABASE,
                                    login_names[STRIAE_STAFF_ROLE_PRACTITIONER]);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *detail = NULL;
  g_autoptr(StriaeStore) admin = NULL;
  g_autoptr(StriaeStore) practitioner = NULL;
  g_autoptr(GError) error = NULL;

  if (login == NULL || first == NULL || g_getenv ("STRIAE_TEST_POSTGRESQL_TLS_PORT") == NULL)
    {
      g_test_skip ("The private server has no login checked by password (no openssl)");
      return;
    }

  sql = g_strdup_printf ("GRANT striae_practitioner TO %s", login);
  exec_sql (super, sql);
  g_assert_true (password_opens (DATABASE, first));

  g_assert_cmpint (run_striae_with_input ("second password 2\n", &out, &err, "--database",
                                          owner, "--reset-password", login, NULL), ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_assert_nonnull (strstr (out, "was reset"));
  g_assert_true (password_opens (DATABASE, "second password 2"));
  g_assert_false (password_opens (DATABASE, first));

  /* The office's administrator, a staff login without the right to change roles. */
  admin = open_as (server, STRIAE_STAFF_ROLE_ADMIN);
  g_assert_true (striae_store_reset_password (admin, login, "third password 3", &error));
  g_assert_no_error (error);
  g_assert_true (password_opens (DATABASE, "third password 3"));
  g_assert_false (password_opens (DATABASE, "second password 2"));
  detail = query_text (super, "SELECT actor || ' ' || detail FROM audit"
                              "  WHERE action = 'account-change' ORDER BY id DESC LIMIT 1");
  g_assert_cmpstr (detail, ==, "account:office_admin striae_password_login: password reset");

  g_assert_false (striae_store_reset_password (admin, OWNER, "owner password 4", &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (striae_store_reset_password (admin, login, "short", &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID);
  g_clear_error (&error);

  practitioner = open_as (server, STRIAE_STAFF_ROLE_PRACTITIONER);
  g_assert_false (striae_store_reset_password (practitioner, login, "fourth password", &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  /* Nor around the records layer, and never with a password in place of a verifier. */
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT striae_set_login_password ('%s', 'SCRAM-SHA-256$x')", login);
  assert_denied (staff, sql);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT striae_set_login_password ('%s', 'plain password')", login);
  {
    g_autofree char *admin_uri = uri_for (server, DATABASE,
                                          login_names[STRIAE_STAFF_ROLE_ADMIN]);
    g_autofree char *state = try_sql (admin_uri, sql, NULL);

    g_assert_cmpstr (state, ==, "22023");
  }
  g_assert_true (password_opens (DATABASE, "third password 3"));
}

/* A session record of a signed consultation of @patient (a pen on the thighs, 3 sessions),
 * complete for signing, saved as a draft by @store. */
static StriaeTreatmentSession *
add_session_draft (StriaeStore *store,
                   gint64       patient)
{
  g_autoptr(StriaeConsultation) c = striae_consultation_new ();
  g_autoptr(StriaeConsultation) read = NULL;
  g_autoptr(StriaeArea) area = striae_area_new (STRIAE_BODY_SITE_THIGHS);
  g_autoptr(StriaeSessionProduct) product = NULL;
  g_autoptr(StriaeSessionArea) treated = NULL;
  StriaePlan *plan = striae_consultation_get_plan (c);
  StriaeTreatmentSession *s;
  g_autoptr(GError) error = NULL;

  striae_consultation_set_patient_id (c, patient);
  striae_consultation_set_date (c, striae_test_date ("2026-03-02"));
  for (guint q = 0; q < STRIAE_N_QUESTIONS; q++)
    striae_history_set_answer (striae_consultation_get_history (c), q, STRIAE_ANSWER_NO);
  for (guint f = 0; f < STRIAE_N_SKIN_FACTS; f++)
    striae_skin_set_fact (striae_consultation_get_skin (c), f, STRIAE_ANSWER_NO);
  striae_skin_set_fitzpatrick (striae_consultation_get_skin (c), 3);
  striae_area_set_severity (area, STRIAE_SEVERITY_MODERATE);
  striae_area_set_mark_type (area, STRIAE_MARK_TYPE_ALBAE);
  striae_area_set_depth (area, 1.0);
  striae_consultation_add_area (c, area);
  striae_plan_set_device (plan, STRIAE_DEVICE_PEN);
  striae_plan_set_sessions (plan, 3);
  striae_plan_set_interval_weeks (plan, 4);
  striae_plan_set_first_session (plan, striae_test_date ("2026-03-09"));
  striae_consultation_set_status (c, STRIAE_CONSULTATION_STATUS_COMPLETE);
  g_assert_true (striae_store_save_consultation (store, c, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (striae_store_sign_consultation (store, striae_consultation_get_id (c), NULL,
                                                 &error));
  g_assert_no_error (error);
  read = striae_store_get_consultation (store, striae_consultation_get_id (c), &error);
  g_assert_no_error (error);

  s = striae_treatment_session_new_for (read);
  product = striae_session_product_new ("Numbing cream", "AB-123",
                                        striae_test_date ("2028-01-31"));
  treated = g_list_model_get_item (striae_treatment_session_get_areas (s), 0);
  striae_treatment_session_set_number (s, 1);
  striae_treatment_session_set_practitioner (s, "Dr Lina Petit");
  striae_treatment_session_set_date (s, striae_test_date ("2026-03-09"));
  striae_treatment_session_set_time (s, 14 * 60);
  striae_treatment_session_set_numbing_cream (s, FALSE);
  striae_treatment_session_set_tolerance (s, 3);
  striae_session_area_set_passes (treated, 4);
  striae_treatment_session_add_product (s, product);
  striae_session_check_set_result (striae_treatment_session_get_check (s),
                                   STRIAE_CHECK_RESULT_CLEAR);
  g_assert_true (striae_store_save_treatment_session (store, s, NULL, &error));
  g_assert_no_error (error);
  return s;
}

/* Signing asks the login's password again, checked by the server: the password login of
 * the private server (a practitioner since /server/reset-password, whose password it set)
 * over TLS. A wrong password is refused and audited, the right one signs with the login's
 * display name and the signature's entry says the password was given; a login the server
 * lets in without a password cannot sign that way. */
static void
test_sign_with_password (gconstpointer data)
{
  const Server *server = data;
  const char *login = g_getenv ("STRIAE_TEST_POSTGRESQL_PASSWORD_USER");
  const char *port = g_getenv ("STRIAE_TEST_POSTGRESQL_TLS_PORT");
  g_autofree char *super = uri_for (server, DATABASE, "postgres");
  g_autofree char *uri = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *signer = NULL;
  g_autofree char *failed = NULL;
  g_autoptr(StriaeStore) store = NULL;
  g_autoptr(StriaeStore) trusted = NULL;
  g_autoptr(StriaeConsultation) consultation = striae_consultation_new ();
  g_autoptr(GError) error = NULL;

  if (login == NULL || port == NULL)
    {
      g_test_skip ("The private server has no login checked by password (no openssl)");
      return;
    }

  sql = g_strdup_printf ("COMMENT ON ROLE %s IS 'Dr Lina Petit'", login);
  exec_sql (super, sql);
  uri = g_strdup_printf ("postgresql://%s:third%%20password%%203@127.0.0.1:%s/" DATABASE
                         "?sslmode=require", login, port);
  store = striae_store_open (uri, &error);
  g_assert_no_error (error);
  g_assert_true (striae_store_signs_with_password (store));
  g_assert_cmpstr (striae_store_get_account_display_name (store), ==, "Dr Lina Petit");

  striae_consultation_set_patient_id (consultation, server->patient);
  striae_consultation_set_date (consultation, striae_test_date ("2026-12-06"));
  striae_consultation_set_status (consultation, STRIAE_CONSULTATION_STATUS_COMPLETE);
  g_assert_true (striae_store_save_consultation (store, consultation, "Typed Name", &error));
  g_assert_no_error (error);

  g_assert_false (striae_store_confirm_signature (store, "not the password", &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_SIGN_IN);
  g_clear_error (&error);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT actor FROM audit WHERE action = 'sign-in-failed'"
                         "  ORDER BY id DESC LIMIT 1");
  failed = query_text (super, sql);
  g_assert_true (g_str_has_suffix (failed, login));

  g_assert_true (striae_store_confirm_signature (store, "third password 3", &error));
  g_assert_no_error (error);
  g_assert_true (striae_store_sign_consultation (store, striae_consultation_get_id (consultation),
                                                 "Typed Name", &error));
  g_assert_no_error (error);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT signed_by FROM consultation_revisions"
                         "  WHERE consultation_id = %" G_GINT64_FORMAT,
                         striae_consultation_get_id (consultation));
  signer = query_text (super, sql);
  g_assert_cmpstr (signer, ==, "Dr Lina Petit");
  detail = query_text (super, "SELECT detail FROM audit WHERE action = 'sign'"
                              "  ORDER BY id DESC LIMIT 1");
  g_assert_nonnull (strstr (detail, "password given"));

  /* A session record is signed the same way (issue 16): the password asked again, checked
   * by the server, and said in the signature's entry; without it, the entry says nothing of
   * a password. */
  {
    g_autoptr(StriaeTreatmentSession) first = add_session_draft (store, server->patient);
    g_autoptr(StriaeTreatmentSession) second = add_session_draft (store, server->patient);
    g_autofree char *session_detail = NULL;
    g_autofree char *session_signer = NULL;
    g_autofree char *unconfirmed = NULL;
    gboolean signed_first;

    g_assert_false (striae_store_confirm_signature (store, "not the password", &error));
    g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_SIGN_IN);
    g_clear_error (&error);
    g_assert_true (striae_store_confirm_signature (store, "third password 3", &error));
    g_assert_no_error (error);
    signed_first = striae_store_sign_treatment_session (
                     store, striae_treatment_session_get_id (first), NULL, &error);
    g_assert_no_error (error);
    g_assert_true (signed_first);
    session_detail = query_text (super, "SELECT detail FROM audit"
                                        "  WHERE action = 'session-sign'"
                                        "  ORDER BY id DESC LIMIT 1");
    g_assert_nonnull (strstr (session_detail, "password given"));
    g_clear_pointer (&sql, g_free);
    sql = g_strdup_printf ("SELECT signed_by FROM treatment_session_revisions"
                           "  WHERE session_id = %" G_GINT64_FORMAT,
                           striae_treatment_session_get_id (first));
    session_signer = query_text (super, sql);
    g_assert_cmpstr (session_signer, ==, "Dr Lina Petit");

    /* The confirmation held for one signature only. */
    g_assert_true (striae_store_sign_treatment_session (
                     store, striae_treatment_session_get_id (second), NULL, &error));
    g_assert_no_error (error);
    unconfirmed = query_text (super, "SELECT detail FROM audit"
                                     "  WHERE action = 'session-sign'"
                                     "  ORDER BY id DESC LIMIT 1");
    g_assert_null (strstr (unconfirmed, "password given"));
  }

  /* The practitioner's login on the socket is let in without a password (trust). */
  trusted = open_as (server, STRIAE_STAFF_ROLE_PRACTITIONER);
  g_assert_true (striae_store_signs_with_password (trusted));
  g_assert_false (striae_store_confirm_signature (trusted, "correct horse battery", &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_SUPPORTED);
  g_assert_nonnull (strstr (error->message, "without a password"));
}

static void
test_not_this_pass (void)
{
  g_test_skip ("Runs in the PostgreSQL pass only: meson test --setup=postgresql "
               "--suite postgresql");
}

/* The command line: its summary, a second run, one sentence per refusal, a login whose
 * password comes through a pipe. */
static void
test_cli (gconstpointer data)
{
  const Server *server = data;
  g_autofree char *super = uri_for (server, "postgres", "postgres");
  g_autofree char *uri = uri_for (server, "striae_cli", OWNER);
  g_autofree char *staff = uri_for (server, "striae_cli",
                                    login_names[STRIAE_STAFF_ROLE_PRACTITIONER]);
  g_autofree char *new_login = uri_for (server, "striae_cli", "cli_desk");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *group = NULL;

  exec_sql (super, "CREATE DATABASE striae_cli OWNER " OWNER);

  g_assert_cmpint (run_striae_with_input (NULL, &out, &err, "--server-init", uri, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Created the records’ schema (version "));
  /* The groups belong to the whole server: made for the first database, kept here. */
  g_assert_nonnull (strstr (out, "The group roles striae_admin, striae_practitioner, "
                                 "striae_assistant existed already; they were kept."));
  g_assert_cmpstr (err, ==, "");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_striae_with_input (NULL, &out, &err, "--server-init", uri, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "is up to date"));
  g_assert_cmpstr (err, ==, "");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Refusals: one line each, exit status 1. */
  g_assert_cmpint (run_striae_with_input (NULL, &out, &err, "--server-init", staff, NULL), ==, 1);
  g_assert_true (g_str_has_prefix (err, "striae: The login dr_roux does not own the database "
                                        "striae_cli; run --server-init with the owner"));
  g_assert_cmpint (strchr (err, '\n') - err + 1, ==, strlen (err));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_striae_with_input (NULL, &out, &err, "--server-init", uri, "extra",
                                          NULL), ==, 1);
  g_assert_nonnull (strstr (err, "one too many"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_striae_with_input (NULL, &out, &err, "somewhere", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "does not know what to do with “somewhere”"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_striae_with_input ("", &out, &err, "--server-add-login", "cli_desk",
                                          "--role", "assistant", uri, NULL), ==, 1);
  g_assert_cmpstr (err, ==, "striae: No password was given. No login was made.\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_striae_with_input ("front desk secret\n", &out, &err,
                                          "--server-add-login", "cli_desk", "--role", "nurse",
                                          uri, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "--role practitioner, --role assistant or --role admin"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_striae_with_input ("front desk secret\n", &out, &err,
                                          "--server-add-login", "cli_desk", "--role",
                                          "assistant", "--display-name", "Léa Martin", uri,
                                          NULL), ==, 0);
  g_assert_cmpstr (out, ==, "Added the login cli_desk to striae_assistant.\n");
  g_assert_cmpstr (err, ==, "");
  group = query_text (new_login, "SELECT pg_has_role ('striae_assistant', 'USAGE')::text");
  g_assert_cmpstr (group, ==, "true");
  /* Its display name, kept as its comment: what the account list shows and signs with. */
  {
    g_autofree char *display = query_text (new_login,
                                           "SELECT shobj_description (oid, 'pg_authid')"
                                           "  FROM pg_roles WHERE rolname = 'cli_desk'");

    g_assert_cmpstr (display, ==, "Léa Martin");
  }
}

int
main (int   argc,
      char *argv[])
{
  Server server = { 0 };
  const char *dir;
  int status;

  g_test_init (&argc, &argv, NULL);

  /* The PostgreSQL pass (tests/with-postgresql) names the server; the file's pass has none
   * to offer, and this test means nothing for a file. */
  dir = g_getenv ("STRIAE_TEST_POSTGRESQL");
  if (dir == NULL || dir[0] == '\0')
    {
      if (g_strcmp0 (g_getenv ("CI"), "true") == 0 &&
          g_strcmp0 (g_getenv ("STRIAE_TEST_BACKEND"), "postgresql") == 0)
        g_error ("STRIAE_TEST_POSTGRESQL names no server in the PostgreSQL pass");
      g_test_add_func ("/server/not-this-pass", test_not_this_pass);
      return g_test_run ();
    }

  server.socket_dir = g_strdup (dir);
  {
    g_autofree char *super = uri_for (&server, "postgres", "postgres");

    /* Clinic IT's login as docs/clinic-server.md makes it: it owns the database and may
     * create roles, and is no superuser. */
    exec_sql (super, "CREATE ROLE " OWNER " LOGIN CREATEROLE");
    exec_sql (super, "CREATE DATABASE " DATABASE " OWNER " OWNER);
  }

  /* One level, so that they run in this order: each builds on the one before. */
  g_test_add_data_func ("/server/init", &server, test_init);
  g_test_add_data_func ("/server/add-login", &server, test_add_login);
  g_test_add_data_func ("/server/init-refusals", &server, test_init_refusals);
  g_test_add_data_func ("/server/init-newer-schema", &server, test_init_newer_schema);
  g_test_add_data_func ("/server/no-group", &server, test_no_group);
  g_test_add_data_func ("/server/practitioner-records", &server, test_practitioner_records);
  g_test_add_data_func ("/server/assistant-records", &server, test_assistant_records);
  g_test_add_data_func ("/server/admin-records", &server, test_admin_records);
  g_test_add_data_func ("/server/assistant-forbidden", &server, test_forbidden_assistant);
  g_test_add_data_func ("/server/practitioner-forbidden", &server,
                        test_forbidden_practitioner);
  g_test_add_data_func ("/server/admin-forbidden", &server, test_forbidden_admin);
  g_test_add_data_func ("/server/discard-draft", &server, test_discard_draft);
  g_test_add_data_func ("/server/audit-actor", &server, test_audit_actor);
  g_test_add_data_func ("/server/reset-password", &server, test_reset_password);
  g_test_add_data_func ("/server/sign-with-password", &server, test_sign_with_password);
  g_test_add_data_func ("/server/cli", &server, test_cli);

  status = g_test_run ();
  g_free (server.socket_dir);
  return status;
}
