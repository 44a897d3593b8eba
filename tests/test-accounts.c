/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <string.h>

#include "striae-store.h"
#include "striae-test-cli.h"
#include "striae-test-date.h"
#include "striae-test-store.h"

/* Accounts on this computer and rights in the records layer (issue 16): the first
 * administrator, sign-in, wrong passwords and their wait (a simulated clock, never a sleep),
 * unknown names, each role's rights, the audit's actor after sign-in and the rows from
 * before accounts. Accounts live in a file; a clinic server's are its logins, so these run
 * on the file alone. Each Argon2id hash costs about 70 ms: the fixture makes three. */

#define ADMIN_PASSWORD        "correct horse"
#define PRACTITIONER_PASSWORD "battery staple"
#define ASSISTANT_PASSWORD    "front desk 42"

typedef struct
{
  char        *dir;
  char        *location;
  StriaeStore *store;
  gint64       patient;
  gint64       before;   /* audit entries before accounts */
  GDateTime   *now;      /* the simulated clock */
} Fixture;

static GDateTime *
fake_clock (gpointer data)
{
  Fixture *fixture = data;

  return g_date_time_ref (fixture->now);
}

static void
advance (Fixture *fixture,
         double   seconds)
{
  GDateTime *later = g_date_time_add_seconds (fixture->now, seconds);

  g_date_time_unref (fixture->now);
  fixture->now = later;
}

static gint64
add_patient (StriaeStore  *store,
             const char   *given,
             GError      **error)
{
  g_autoptr(StriaePatient) patient = striae_patient_new ();

  striae_patient_set_given_name (patient, given);
  striae_patient_set_family_name (patient, "Moreau");
  striae_patient_set_birth_date (patient, striae_test_date ("1991-04-02"));
  if (!striae_store_add_patient (store, patient, error))
    return 0;
  return striae_patient_get_id (patient);
}

static gint64
audit_count (Fixture    *fixture,
             const char *where)
{
  g_autofree char *sql = g_strconcat ("SELECT count (*) FROM audit WHERE ", where, NULL);

  return striae_test_store_query_int (fixture->location, sql);
}

static char *
last_audit (Fixture    *fixture,
            const char *column)
{
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM audit ORDER BY id DESC LIMIT 1",
                                          column);

  return striae_test_store_query_text (fixture->location, sql);
}

/* A file with a patient written before accounts, then "boss" (admin, signed in), "doc"
 * (practitioner) and "desk" (assistant); no one signed in at the end. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("striae-accounts-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->location = g_build_filename (fixture->dir, "striae.db", NULL);
  fixture->store = striae_test_store_open (fixture->location);
  fixture->now = g_date_time_new_utc (2026, 12, 6, 9, 0, 0);
  striae_store_set_clock_for_testing (fixture->store, fake_clock, fixture);

  fixture->patient = add_patient (fixture->store, "Inès", &error);
  g_assert_no_error (error);
  fixture->before = audit_count (fixture, "1");
  g_assert_cmpint (fixture->before, >, 0);

  if (data != NULL)
    return;

  g_assert_true (striae_store_create_first_admin (fixture->store, "boss", "Dr Anne Roux",
                                                  ADMIN_PASSWORD, &error));
  g_assert_no_error (error);
  g_assert_true (striae_store_add_account (fixture->store, "doc", "Dr Paul Vidal",
                                           STRIAE_STAFF_ROLE_PRACTITIONER,
                                           PRACTITIONER_PASSWORD, &error));
  g_assert_no_error (error);
  g_assert_true (striae_store_add_account (fixture->store, "desk", NULL,
                                           STRIAE_STAFF_ROLE_ASSISTANT,
                                           ASSISTANT_PASSWORD, &error));
  g_assert_no_error (error);
  striae_store_sign_out (fixture->store);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->store);
  striae_test_store_remove (fixture->location);
  g_assert_cmpint (g_rmdir (fixture->dir), ==, 0);
  g_date_time_unref (fixture->now);
  g_free (fixture->location);
  g_free (fixture->dir);
}

static void
sign_in (Fixture    *fixture,
         const char *name,
         const char *password)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (striae_store_sign_in (fixture->store, name, password, &error));
  g_assert_no_error (error);
}

/* A new file, and one from before accounts, need setup; anyone may work on them until the
 * first administrator exists, and only one first administrator is made. */
static void
test_setup (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(StriaeStore) reopened = NULL;
  g_autoptr(GError) error = NULL;
  StriaeStaffRole role;

  g_assert_true (striae_store_needs_setup (fixture->store));
  g_assert_false (striae_store_has_accounts (fixture->store));
  g_assert_false (striae_store_is_signed_in (fixture->store));
  g_assert_true (striae_store_may (fixture->store, STRIAE_RIGHT_ACCOUNTS, &error));
  g_assert_no_error (error);

  /* Bad names and short passwords are refused with a sentence, and nothing is made. */
  g_assert_false (striae_store_create_first_admin (fixture->store, "bo ss", NULL,
                                                   ADMIN_PASSWORD, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (striae_store_create_first_admin (fixture->store, "boss", NULL, "short",
                                                   &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "8"));
  g_clear_error (&error);
  g_assert_true (striae_store_needs_setup (fixture->store));

  g_assert_true (striae_store_create_first_admin (fixture->store, "boss", "",
                                                  ADMIN_PASSWORD, &error));
  g_assert_no_error (error);
  g_assert_false (striae_store_needs_setup (fixture->store));
  g_assert_true (striae_store_is_signed_in (fixture->store));
  g_assert_cmpstr (striae_store_get_account_name (fixture->store), ==, "boss");
  g_assert_cmpstr (striae_store_get_account_display_name (fixture->store), ==, "boss");
  g_assert_true (striae_store_get_role (fixture->store, &role));
  g_assert_cmpint (role, ==, STRIAE_STAFF_ROLE_ADMIN);

  g_assert_false (striae_store_create_first_admin (fixture->store, "other", NULL,
                                                   ADMIN_PASSWORD, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_ALLOWED);
  g_clear_error (&error);

  /* Opened again, the file has accounts and refuses writes until someone signs in. */
  reopened = striae_test_store_open (fixture->location);
  g_assert_false (striae_store_needs_setup (reopened));
  g_assert_true (striae_store_has_accounts (reopened));
  g_assert_false (striae_store_is_signed_in (reopened));
  g_assert_cmpint (add_patient (reopened, "Léa", &error), ==, 0);
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_ALLOWED);
  g_clear_error (&error);

  /* Signing in finds the account whatever the case of the name typed. */
  g_assert_true (striae_store_sign_in (reopened, "BOSS", ADMIN_PASSWORD, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (striae_store_get_account_name (reopened), ==, "boss");
}

/* The rows from before accounts stay as they were, are named "before accounts (…)", and the
 * chain still holds. */
static void
test_before_accounts (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *first_actor = NULL;
  g_autofree char *described = NULL;
  g_autofree char *start_where = NULL;
  g_autofree char *action = NULL;
  g_autofree char *actor = NULL;
  g_autofree char *json = NULL;
  g_autoptr(GError) error = NULL;
  gint64 n_entries = 0;

  first_actor = striae_test_store_query_text (fixture->location,
                                              "SELECT actor FROM audit WHERE id = 1");
  g_assert_true (g_str_has_prefix (first_actor, "system:"));
  g_assert_cmpint (striae_store_get_accounts_start (fixture->store), ==, -1);

  g_assert_true (striae_store_create_first_admin (fixture->store, "boss", "Dr Anne Roux",
                                                  ADMIN_PASSWORD, &error));
  g_assert_no_error (error);
  g_assert_cmpint (striae_store_get_accounts_start (fixture->store), ==, fixture->before);

  /* The row that starts accounts names the new administrator; the old ones do not. */
  action = last_audit (fixture, "action");
  actor = last_audit (fixture, "actor");
  g_assert_cmpstr (action, ==, "accounts-start");
  g_assert_cmpstr (actor, ==, "account:boss");
  start_where = g_strdup_printf ("id <= %" G_GINT64_FORMAT " AND actor LIKE 'account:%%'",
                                 fixture->before);
  g_assert_cmpint (audit_count (fixture, start_where), ==, 0);
  {
    g_autofree char *stored = striae_test_store_query_text (fixture->location,
                                                            "SELECT actor FROM audit "
                                                            "WHERE id = 1");

    g_assert_cmpstr (stored, ==, first_actor);
  }

  described = striae_store_describe_actor (fixture->store, 1, first_actor);
  g_assert_true (g_str_has_prefix (described, "before accounts ("));
  g_assert_nonnull (strstr (described, first_actor));
  g_clear_pointer (&described, g_free);
  described = striae_store_describe_actor (fixture->store, fixture->before + 1,
                                           "account:boss");
  /* An account's rows show its name and, from the accounts, the display name it signs
   * with. */
  g_assert_cmpstr (described, ==, "boss (Dr Anne Roux)");

  g_assert_true (striae_store_verify_audit (fixture->store, &n_entries, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n_entries, ==, fixture->before + 1);

  /* A patient's export marks their rows from before accounts. */
  json = striae_store_export_patient (fixture->store, fixture->patient,
                                      STRIAE_EXPORT_FLAGS_WITH_AUDIT, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (json, "\"before-accounts\" : true"));

  /* Opened again, the store still knows where accounts began. */
  g_clear_object (&fixture->store);
  fixture->store = striae_test_store_open (fixture->location);
  g_assert_cmpint (striae_store_get_accounts_start (fixture->store), ==, fixture->before);
}

static void
test_sign_in (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) unknown_error = NULL;
  g_autofree char *actor = NULL;
  g_autofree char *action = NULL;
  g_autofree char *detail = NULL;
  StriaeStaffRole role;
  gint64 rows = audit_count (fixture, "1");

  /* Any case finds the account; the account keeps its own spelling. The sign-in is
   * audited in the account's name, and only once. */
  sign_in (fixture, "Doc", PRACTITIONER_PASSWORD);
  g_assert_cmpint (audit_count (fixture, "1"), ==, rows + 1);
  action = last_audit (fixture, "action");
  actor = last_audit (fixture, "actor");
  g_assert_cmpstr (action, ==, "sign-in");
  g_assert_cmpstr (actor, ==, "account:doc");
  g_clear_pointer (&action, g_free);
  g_clear_pointer (&actor, g_free);
  g_assert_cmpstr (striae_store_get_account_name (fixture->store), ==, "doc");
  g_assert_cmpstr (striae_store_get_account_display_name (fixture->store), ==,
                   "Dr Paul Vidal");
  g_assert_true (striae_store_get_role (fixture->store, &role));
  g_assert_cmpint (role, ==, STRIAE_STAFF_ROLE_PRACTITIONER);

  /* A wrong password signs whoever was in out, and is audited in the name tried. */
  g_assert_false (striae_store_sign_in (fixture->store, "doc", "not the password", &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_SIGN_IN);
  g_assert_false (striae_store_is_signed_in (fixture->store));
  action = last_audit (fixture, "action");
  actor = last_audit (fixture, "actor");
  detail = last_audit (fixture, "detail");
  g_assert_cmpstr (action, ==, "sign-in-failed");
  g_assert_cmpstr (actor, ==, "account:doc");
  g_assert_cmpstr (detail, ==, "wrong password");
  g_clear_pointer (&action, g_free);
  g_clear_pointer (&actor, g_free);
  g_clear_pointer (&detail, g_free);

  /* An unknown name gets the very same sentence, and is audited too. */
  g_assert_false (striae_store_sign_in (fixture->store, "nobody", PRACTITIONER_PASSWORD,
                                        &unknown_error));
  g_assert_error (unknown_error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_SIGN_IN);
  g_assert_cmpstr (unknown_error->message, ==, error->message);
  action = last_audit (fixture, "action");
  actor = last_audit (fixture, "actor");
  g_assert_cmpstr (action, ==, "sign-in-failed");
  g_assert_cmpstr (actor, ==, "account:nobody");
  g_clear_error (&error);

  /* No password, no name. */
  g_assert_false (striae_store_sign_in (fixture->store, "", ADMIN_PASSWORD, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_SIGN_IN);
  g_clear_error (&error);

  /* Signed out, the records refuse writes again. */
  sign_in (fixture, "desk", ASSISTANT_PASSWORD);
  striae_store_sign_out (fixture->store);
  g_assert_false (striae_store_is_signed_in (fixture->store));
  g_assert_cmpint (add_patient (fixture->store, "Léa", &error), ==, 0);
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_ALLOWED);
}

/* A read-only store may read in an account's role without its password (the day's batch
 * reads ahead while the password is checked on another store, issue 15): reads only, no
 * other right, nothing audited; an unknown or disabled name is refused. */
static void
test_read_as (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(StriaeStore) reader = NULL;
  g_autoptr(StriaePatient) patient = NULL;
  g_autoptr(GError) error = NULL;
  gint64 rows = audit_count (fixture, "1");
  StriaeStaffRole role;

  reader = striae_store_open_full (fixture->location, STRIAE_STORE_OPEN_FLAGS_READ_ONLY,
                                   &error);
  g_assert_no_error (error);

  /* Nobody: nothing may be read. */
  g_assert_false (striae_store_may (reader, STRIAE_RIGHT_READ, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_ALLOWED);
  g_clear_error (&error);

  g_assert_false (striae_store_read_as (reader, "nobody", &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_SIGN_IN);
  g_clear_error (&error);

  g_assert_true (striae_store_read_as (reader, "DESK", &error));
  g_assert_no_error (error);
  g_assert_true (striae_store_get_role (reader, &role));
  g_assert_cmpint (role, ==, STRIAE_STAFF_ROLE_ASSISTANT);
  patient = striae_store_get_patient (reader, fixture->patient, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (striae_patient_get_given_name (patient), ==, "Inès");
  g_assert_true (striae_store_may (reader, STRIAE_RIGHT_READ, &error));
  g_assert_no_error (error);

  /* Even a right the role has is refused: this store reads, it does not act. */
  g_assert_false (striae_store_may (reader, STRIAE_RIGHT_SHEETS, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  g_assert_false (striae_store_may (reader, STRIAE_RIGHT_PATIENTS, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_ALLOWED);
  g_clear_error (&error);

  /* Nothing of it is audited, and a disabled account is refused. */
  g_assert_cmpint (audit_count (fixture, "1"), ==, rows);
  sign_in (fixture, "boss", ADMIN_PASSWORD);
  g_assert_true (striae_store_set_account_disabled (fixture->store, "desk", TRUE, &error));
  g_assert_no_error (error);
  g_assert_false (striae_store_read_as (reader, "desk", &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_SIGN_IN);
}

/* Asking whether an account may replace the records (a restore) signs nobody in and
 * writes no "sign-in" row; a wrong password is still audited, and a role that may not is
 * refused. */
static void
test_check_account (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *action = NULL;
  gint64 rows = audit_count (fixture, "1");

  g_assert_true (striae_store_check_account (fixture->store, "BOSS", ADMIN_PASSWORD,
                                             STRIAE_RIGHT_TRANSFER, &error));
  g_assert_no_error (error);
  g_assert_false (striae_store_is_signed_in (fixture->store));
  g_assert_cmpint (audit_count (fixture, "1"), ==, rows);

  g_assert_false (striae_store_check_account (fixture->store, "doc", PRACTITIONER_PASSWORD,
                                              STRIAE_RIGHT_TRANSFER, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_ALLOWED);
  g_assert_cmpint (audit_count (fixture, "1"), ==, rows);
  g_clear_error (&error);

  g_assert_false (striae_store_check_account (fixture->store, "boss", "not the password",
                                              STRIAE_RIGHT_TRANSFER, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_SIGN_IN);
  g_assert_cmpint (audit_count (fixture, "1"), ==, rows + 1);
  action = last_audit (fixture, "action");
  g_assert_cmpstr (action, ==, "sign-in-failed");

  /* Whoever was signed in stays so. */
  sign_in (fixture, "desk", ASSISTANT_PASSWORD);
  g_assert_true (striae_store_check_account (fixture->store, "boss", ADMIN_PASSWORD,
                                             STRIAE_RIGHT_ERASE, NULL));
  g_assert_cmpstr (striae_store_get_account_name (fixture->store), ==, "desk");
}

/* The entries a first administrator leaves "before accounts": none in new records, every
 * one so far in records kept before accounts, and the same number once accounts began. */
static void
test_entries_before_accounts (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *fresh = g_build_filename (fixture->dir, "fresh.db", NULL);
  g_autoptr(StriaeStore) store = striae_test_store_open (fresh);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (striae_store_count_entries_before_accounts (store, &error), ==, 0);
  g_assert_no_error (error);
  g_clear_object (&store);
  striae_test_store_remove (fresh);

  g_assert_cmpint (striae_store_count_entries_before_accounts (fixture->store, &error), ==,
                   fixture->before);
  g_assert_true (striae_store_create_first_admin (fixture->store, "boss", NULL,
                                                  ADMIN_PASSWORD, &error));
  g_assert_no_error (error);
  g_assert_cmpint (audit_count (fixture, "1"), >, fixture->before);
  g_assert_cmpint (striae_store_count_entries_before_accounts (fixture->store, &error), ==,
                   fixture->before);
}

/* After three wrong passwords, a name waits 1, 2, 4 … seconds (at most five minutes) after
 * its last failure, and during the wait even the right password is refused. */
static void
test_backoff (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *stamp = NULL;

  for (guint i = 0; i < 3; i++)
    {
      g_assert_false (striae_store_sign_in (fixture->store, "doc", "wrong", &error));
      g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_SIGN_IN);
      g_clear_error (&error);
    }

  g_assert_false (striae_store_sign_in (fixture->store, "doc", PRACTITIONER_PASSWORD,
                                        &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_WAIT);
  g_assert_nonnull (strstr (error->message, "doc"));
  g_clear_error (&error);
  detail = last_audit (fixture, "detail");
  g_assert_cmpstr (detail, ==, "waiting");

  /* One second later: a fourth wrong password, then a wait of two seconds. */
  advance (fixture, 1);
  g_assert_false (striae_store_sign_in (fixture->store, "doc", "wrong", &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_SIGN_IN);
  g_clear_error (&error);
  advance (fixture, 1.5);
  g_assert_false (striae_store_sign_in (fixture->store, "doc", PRACTITIONER_PASSWORD,
                                        &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_WAIT);
  g_clear_error (&error);
  advance (fixture, 0.5);
  sign_in (fixture, "doc", PRACTITIONER_PASSWORD);

  /* The right password started the count again. */
  g_assert_cmpint (striae_test_store_query_int (fixture->location,
                                                "SELECT failures FROM accounts"
                                                "  WHERE name = 'doc'"), ==, 0);

  /* The wait never passes five minutes, however many failures. */
  stamp = g_date_time_format_iso8601 (fixture->now);
  sql = g_strdup_printf ("UPDATE accounts SET failures = 40, last_failure = '%s'"
                         "  WHERE name = 'desk'", stamp);
  striae_test_store_exec (fixture->location, sql);
  advance (fixture, 299);
  g_assert_false (striae_store_sign_in (fixture->store, "desk", ASSISTANT_PASSWORD, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_WAIT);
  g_clear_error (&error);
  advance (fixture, 1);
  sign_in (fixture, "desk", ASSISTANT_PASSWORD);

  /* A name that is no account waits as well, so that waiting tells nothing. */
  for (guint i = 0; i < 3; i++)
    {
      g_assert_false (striae_store_sign_in (fixture->store, "ghost", "wrong", &error));
      g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_SIGN_IN);
      g_clear_error (&error);
    }
  g_assert_false (striae_store_sign_in (fixture->store, "GHOST", "wrong", &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_WAIT);
  g_clear_error (&error);

  /* Every failure was audited: 3 + 1 + 1 + 1 + 1 + 3 + 1. */
  g_assert_cmpint (audit_count (fixture, "action = 'sign-in-failed'"), ==, 11);
}

/* An assistant keeps the front desk: patients' details and sheets, not the medical record,
 * the signature or the audit log. */
static void
test_assistant (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(StriaeConsultation) consultation = striae_consultation_new ();
  g_autoptr(StriaePatient) patient = NULL;
  g_autoptr(StriaeAuditReport) report = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  /* A consultation signed by the practitioner, for the assistant to try to amend. */
  sign_in (fixture, "doc", PRACTITIONER_PASSWORD);
  striae_consultation_set_patient_id (consultation, fixture->patient);
  striae_consultation_set_date (consultation, striae_test_date ("2026-12-01"));
  striae_consultation_set_status (consultation, STRIAE_CONSULTATION_STATUS_COMPLETE);
  g_assert_true (striae_store_save_consultation (fixture->store, consultation, NULL, &error));
  g_assert_no_error (error);
  id = striae_consultation_get_id (consultation);

  sign_in (fixture, "desk", ASSISTANT_PASSWORD);
  g_assert_cmpint (add_patient (fixture->store, "Léa", &error), >, 0);
  g_assert_no_error (error);
  patient = striae_store_get_patient (fixture->store, fixture->patient, &error);
  g_assert_no_error (error);
  striae_patient_set_phone (patient, "06 12 34 56 78");
  g_assert_true (striae_store_update_patient (fixture->store, patient, &error));
  g_assert_no_error (error);
  g_assert_true (striae_store_log_event (fixture->store, STRIAE_AUDIT_PRINT, fixture->patient,
                                         id, "aftercare", &error));
  g_assert_no_error (error);
  g_assert_true (striae_store_may (fixture->store, STRIAE_RIGHT_SHEETS, &error));
  g_assert_no_error (error);

  /* Not the history or the plan … */
  g_assert_false (striae_store_save_as_new_draft (fixture->store, consultation, NULL, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_ALLOWED);
  g_assert_nonnull (strstr (error->message, "assistant"));
  g_clear_error (&error);
  /* … not the signature … */
  g_assert_false (striae_store_sign_consultation (fixture->store, id, "Desk", &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  g_assert_false (striae_store_sign_not_treated (fixture->store, id, "Desk", "ill", NULL,
                                                 &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  /* … not an amendment … */
  sign_in (fixture, "doc", PRACTITIONER_PASSWORD);
  g_assert_true (striae_store_sign_consultation (fixture->store, id, NULL, &error));
  g_assert_no_error (error);
  sign_in (fixture, "desk", ASSISTANT_PASSWORD);
  g_assert_null (striae_store_amend_consultation (fixture->store, id, NULL, "typo", &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  /* … and not the audit log. */
  report = striae_store_check_audit (fixture->store, &error);
  g_assert_null (report);
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  g_assert_false (striae_store_verify_audit (fixture->store, NULL, NULL, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  g_assert_false (striae_store_set_patient_archived (fixture->store, fixture->patient, TRUE,
                                                     NULL, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_ALLOWED);
  g_assert_nonnull (strstr (error->message, "administrator"));
  g_clear_error (&error);

  /* Nothing the refusals touched changed: one revision, signed. */
  g_assert_cmpint (striae_test_store_query_int (fixture->location,
                                                "SELECT count (*) FROM consultation_revisions"),
                   ==, 1);
}

/* A practitioner signs in their account's name (not a typed one), and may not manage
 * accounts or the clinic. */
static void
test_practitioner (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(StriaeConsultation) consultation = striae_consultation_new ();
  g_autoptr(StriaeConsultation) amended = NULL;
  g_autoptr(StriaeClinic) clinic = striae_clinic_new ();
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(StriaeAuditReport) report = NULL;
  g_autoptr(GDateTime) signed_at = NULL;
  g_autofree char *signed_by = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  sign_in (fixture, "doc", PRACTITIONER_PASSWORD);
  striae_consultation_set_patient_id (consultation, fixture->patient);
  striae_consultation_set_date (consultation, striae_test_date ("2026-12-01"));
  striae_consultation_set_status (consultation, STRIAE_CONSULTATION_STATUS_COMPLETE);
  g_assert_true (striae_store_save_consultation (fixture->store, consultation, "Typed",
                                                 &error));
  g_assert_no_error (error);
  id = striae_consultation_get_id (consultation);
  g_assert_true (striae_store_sign_consultation (fixture->store, id, "Someone Else", &error));
  g_assert_no_error (error);
  g_assert_true (striae_store_get_signature (fixture->store, id, 1, &signed_by, &signed_at,
                                             &error));
  g_assert_cmpstr (signed_by, ==, "Dr Paul Vidal");
  amended = striae_store_amend_consultation (fixture->store, id, NULL, "typo", &error);
  g_assert_no_error (error);
  g_assert_nonnull (amended);
  report = striae_store_check_audit (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_true (striae_audit_report_is_intact (report));

  g_assert_false (striae_store_add_account (fixture->store, "nurse", NULL,
                                            STRIAE_STAFF_ROLE_ASSISTANT, "long enough",
                                            &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_ALLOWED);
  g_assert_nonnull (strstr (error->message, "practitioner"));
  g_clear_error (&error);
  accounts = striae_store_list_accounts (fixture->store, &error);
  g_assert_null (accounts);
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  g_assert_false (striae_store_set_account_role (fixture->store, "doc",
                                                 STRIAE_STAFF_ROLE_ADMIN, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  g_assert_false (striae_store_reset_password (fixture->store, "boss", "taken over!",
                                               &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  striae_clinic_set_name (clinic, "Cabinet du Parc");
  g_assert_false (striae_store_save_clinic (fixture->store, clinic, NULL, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  g_assert_false (striae_store_erase_patient (fixture->store, fixture->patient, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  g_assert_cmpint (striae_store_count_patients (fixture->store, &error), ==, 1);
}

/* An administrator lists accounts (never a hash), resets passwords, changes roles and
 * disables accounts; the last enabled administrator stays one. */
static void
test_admin (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;
  StriaeAccount *account;

  sign_in (fixture, "boss", ADMIN_PASSWORD);
  accounts = striae_store_list_accounts (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, ==, 3);
  account = g_ptr_array_index (accounts, 0);
  g_assert_cmpstr (account->name, ==, "boss");
  g_assert_cmpint (account->role, ==, STRIAE_STAFF_ROLE_ADMIN);
  account = g_ptr_array_index (accounts, 1);
  g_assert_cmpstr (account->name, ==, "desk");
  g_assert_cmpstr (account->display_name, ==, "desk");
  g_assert_cmpint (account->role, ==, STRIAE_STAFF_ROLE_ASSISTANT);
  g_assert_false (account->disabled);

  g_assert_false (striae_store_add_account (fixture->store, "DOC", NULL,
                                            STRIAE_STAFF_ROLE_ASSISTANT, "long enough",
                                            &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_CONFLICT);
  g_clear_error (&error);

  /* The last enabled administrator can be neither demoted nor disabled. */
  g_assert_false (striae_store_set_account_role (fixture->store, "boss",
                                                 STRIAE_STAFF_ROLE_PRACTITIONER, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (striae_store_set_account_disabled (fixture->store, "boss", TRUE, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (striae_store_set_account_role (fixture->store, "desk",
                                                STRIAE_STAFF_ROLE_ADMIN, &error));
  g_assert_no_error (error);
  g_assert_true (striae_store_set_account_role (fixture->store, "boss",
                                                STRIAE_STAFF_ROLE_PRACTITIONER, &error));
  g_assert_no_error (error);
  /* Boss is a practitioner now, at once. */
  g_assert_false (striae_store_may (fixture->store, STRIAE_RIGHT_ACCOUNTS, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_ALLOWED);
  g_clear_error (&error);

  sign_in (fixture, "desk", ASSISTANT_PASSWORD);
  g_assert_true (striae_store_reset_password (fixture->store, "doc", "a new password",
                                              &error));
  g_assert_no_error (error);
  g_assert_false (striae_store_sign_in (fixture->store, "doc", PRACTITIONER_PASSWORD,
                                        &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_SIGN_IN);
  g_clear_error (&error);
  sign_in (fixture, "doc", "a new password");

  sign_in (fixture, "desk", ASSISTANT_PASSWORD);
  g_assert_true (striae_store_set_account_disabled (fixture->store, "doc", TRUE, &error));
  g_assert_no_error (error);
  g_assert_false (striae_store_sign_in (fixture->store, "doc", "a new password", &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_SIGN_IN);
  g_assert_nonnull (strstr (error->message, "disabled"));
  g_clear_error (&error);

  /* Nothing readable of a password: the hash is Argon2id's, never the text. */
  g_assert_cmpint (striae_test_store_query_int (fixture->location,
                                                "SELECT count (*) FROM accounts WHERE"
                                                "  password_hash LIKE '$argon2id$%'"), ==, 3);
  g_assert_cmpint (striae_test_store_query_int (fixture->location,
                                                "SELECT count (*) FROM accounts WHERE"
                                                "  instr (password_hash, 'new password')"),
                   ==, 0);
}

/* Once signed in, every row names the account, whatever name a call or
 * striae_store_set_user() gives; signing again asks for the same password. */
static void
test_audit_actor (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(StriaeConsultation) consultation = striae_consultation_new ();
  g_autofree char *where = NULL;
  g_autoptr(GError) error = NULL;
  gint64 from;

  sign_in (fixture, "doc", PRACTITIONER_PASSWORD);
  from = audit_count (fixture, "1");
  striae_store_set_user (fixture->store, "Typed Name");

  g_assert_cmpint (add_patient (fixture->store, "Léa", &error), >, 0);
  striae_consultation_set_patient_id (consultation, fixture->patient);
  striae_consultation_set_date (consultation, striae_test_date ("2026-12-01"));
  g_assert_true (striae_store_save_consultation (fixture->store, consultation, "Dr Typed",
                                                 &error));
  striae_consultation_set_status (consultation, STRIAE_CONSULTATION_STATUS_COMPLETE);
  g_assert_true (striae_store_save_consultation (fixture->store, consultation, "Dr Typed",
                                                 &error));
  g_assert_true (striae_store_sign_consultation (fixture->store,
                                                 striae_consultation_get_id (consultation),
                                                 "Dr Typed", &error));
  g_assert_true (striae_store_log_event (fixture->store, STRIAE_AUDIT_VIEW, fixture->patient,
                                         0, "", &error));
  g_assert_no_error (error);

  /* Re-authentication: wrong, then right; the account stays signed in. */
  g_assert_false (striae_store_check_password (fixture->store, "nope", &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_SIGN_IN);
  g_clear_error (&error);
  g_assert_true (striae_store_is_signed_in (fixture->store));
  g_assert_true (striae_store_check_password (fixture->store, PRACTITIONER_PASSWORD, &error));
  g_assert_no_error (error);

  where = g_strdup_printf ("id > %" G_GINT64_FORMAT, from);
  g_assert_cmpint (audit_count (fixture, where), ==, 6);
  g_clear_pointer (&where, g_free);
  where = g_strdup_printf ("id > %" G_GINT64_FORMAT " AND actor != 'account:doc'", from);
  g_assert_cmpint (audit_count (fixture, where), ==, 0);

  striae_store_sign_out (fixture->store);
  g_assert_false (striae_store_check_password (fixture->store, PRACTITIONER_PASSWORD, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_ALLOWED);
}

/* The command line: --init makes the file and its administrator (and takes a file from
 * before accounts), --user signs in with the password on standard input, and a role's
 * refusal is one sentence with exit status 1. */
static void
test_command_line (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *fresh = g_build_filename (fixture->dir, "fresh.db", NULL);
  g_autofree char *export = g_build_filename (fixture->dir, "export.json", NULL);
  g_autofree char *patient = g_strdup_printf ("%" G_GINT64_FORMAT, fixture->patient);
  g_autoptr(StriaeStore) store = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL, *err = NULL;

#define CLEAR() G_STMT_START { g_clear_pointer (&out, g_free); g_clear_pointer (&err, g_free); \
  } G_STMT_END

  /* A short password makes nothing; then the file and its administrator. */
  g_assert_cmpint (run_striae_as ("short\n", &out, &err, "--database", fresh, "--init",
                                  "--user", "boss", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "at least 8 characters"));
  g_assert_false (g_file_test (fresh, G_FILE_TEST_EXISTS));
  CLEAR ();
  g_assert_cmpint (run_striae_as ("--init needs a user\n", &out, &err, "--database", fresh,
                                  "--init", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "--user NAME"));
  CLEAR ();
  g_assert_cmpint (run_striae_as (ADMIN_PASSWORD "\n", &out, &err, "--database", fresh,
                                  "--init", "--user", "boss", "--display-name", "Dr Roux",
                                  NULL), ==, 0);
  g_assert_nonnull (strstr (out, "boss"));
  CLEAR ();
  g_assert_cmpint (run_striae_as (ADMIN_PASSWORD "\n", &out, &err, "--database", fresh,
                                  "--init", "--user", "other", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "already has accounts"));
  CLEAR ();

  /* Records with accounts: no --user, a wrong password, then the right one. */
  g_assert_cmpint (run_striae_as (NULL, &out, &err, "--database", fresh, "--list", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "add --user NAME"));
  g_assert_null (strchr (strchr (err, '\n') + 1, '\n'));
  CLEAR ();
  g_assert_cmpint (run_striae_as ("wrong password\n", &out, &err, "--database", fresh,
                                  "--list", "--user", "boss", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "password is wrong"));
  CLEAR ();
  g_assert_cmpint (run_striae_as (ADMIN_PASSWORD "\n", &out, &err, "--database", fresh,
                                  "--list", "--user", "BOSS", NULL), ==, 0);
  g_assert_cmpstr (err, ==, "");
  CLEAR ();

  /* The fixture's file is from before accounts: refused until --init takes it. */
  g_assert_cmpint (run_striae_as (ADMIN_PASSWORD "\n", &out, &err, "--database",
                                  fixture->location, "--list", "--user", "boss", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "--init"));
  CLEAR ();
  g_clear_object (&fixture->store);
  g_assert_cmpint (run_striae_as (ADMIN_PASSWORD "\n", &out, &err, "--database",
                                  fixture->location, "--init", "--user", "boss", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "before accounts"));
  CLEAR ();
  g_assert_cmpint (striae_test_store_query_int (fixture->location,
                                                "SELECT count (*) FROM audit WHERE"
                                                "  actor LIKE 'account:%'"), ==, 1);

  /* An assistant lists and prints, but may not read the audit or export a record. */
  fixture->store = striae_test_store_open (fixture->location);
  sign_in (fixture, "boss", ADMIN_PASSWORD);
  g_assert_true (striae_store_add_account (fixture->store, "desk", NULL,
                                           STRIAE_STAFF_ROLE_ASSISTANT, ASSISTANT_PASSWORD,
                                           &error));
  g_assert_no_error (error);
  g_assert_cmpint (run_striae_as (ASSISTANT_PASSWORD "\n", &out, &err, "--database",
                                  fixture->location, "--list", "--user", "desk", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Moreau"));
  CLEAR ();
  g_assert_cmpint (run_striae_as (ASSISTANT_PASSWORD "\n", &out, &err, "--database",
                                  fixture->location, "--verify-audit", "--user", "desk", NULL),
                   ==, 1);
  g_assert_nonnull (strstr (err, "An assistant may not read the audit log"));
  CLEAR ();
  g_assert_cmpint (run_striae_as (ASSISTANT_PASSWORD "\n", &out, &err, "--database",
                                  fixture->location, "--export-patient", patient, "--output",
                                  export, "--plain", "--user", "desk", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "ask an administrator"));
  g_assert_false (g_file_test (export, G_FILE_TEST_EXISTS));
  CLEAR ();
  g_assert_cmpint (run_striae_as (ADMIN_PASSWORD "\n", &out, &err, "--database",
                                  fixture->location, "--verify-audit", "--user", "boss", NULL),
                   ==, 0);
  CLEAR ();

  /* --reset-password: the administrator's password, then the new one; an assistant may not,
   * and a short one changes nothing. */
  g_assert_cmpint (run_striae_as (ASSISTANT_PASSWORD "\nnew desk password\n", &out, &err,
                                  "--database", fixture->location, "--user", "desk",
                                  "--reset-password", "desk", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "An assistant may not manage accounts"));
  CLEAR ();
  g_assert_cmpint (run_striae_as (ADMIN_PASSWORD "\nshort\n", &out, &err, "--database",
                                  fixture->location, "--user", "boss", "--reset-password",
                                  "desk", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "at least 8 characters"));
  CLEAR ();
  g_assert_cmpint (run_striae_as (ADMIN_PASSWORD "\nnew desk password\n", &out, &err,
                                  "--database", fixture->location, "--user", "boss",
                                  "--reset-password", "desk", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "The password of desk was reset"));
  CLEAR ();
  g_assert_cmpint (run_striae_as (ASSISTANT_PASSWORD "\n", &out, &err, "--database",
                                  fixture->location, "--list", "--user", "desk", NULL), ==, 1);
  CLEAR ();
  g_assert_cmpint (run_striae_as ("new desk password\n", &out, &err, "--database",
                                  fixture->location, "--list", "--user", "desk", NULL), ==, 0);
  CLEAR ();
  striae_test_store_remove (fresh);

#undef CLEAR
}

static void
test_server (void)
{
  g_test_skip ("Accounts live in a file; a clinic server's are its logins (server-roles).");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  if (!striae_test_backend_is ("sqlite"))
    {
      g_test_add_func ("/accounts/server", test_server);
      return g_test_run ();
    }

#define ADD(path, func, data) \
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)

  ADD ("/accounts/setup", test_setup, GINT_TO_POINTER (1));
  ADD ("/accounts/before-accounts", test_before_accounts, GINT_TO_POINTER (1));
  ADD ("/accounts/sign-in", test_sign_in, NULL);
  ADD ("/accounts/check-account", test_check_account, NULL);
  ADD ("/accounts/read-as", test_read_as, NULL);
  ADD ("/accounts/entries-before-accounts", test_entries_before_accounts, GINT_TO_POINTER (1));
  ADD ("/accounts/backoff", test_backoff, NULL);
  ADD ("/accounts/assistant", test_assistant, NULL);
  ADD ("/accounts/practitioner", test_practitioner, NULL);
  ADD ("/accounts/admin", test_admin, NULL);
  ADD ("/accounts/audit-actor", test_audit_actor, NULL);
  ADD ("/accounts/command-line", test_command_line, GINT_TO_POINTER (1));

  return g_test_run ();
}
