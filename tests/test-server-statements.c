/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <string.h>

#include "striae-patient-list.h"
#include "striae-server-engine.h"
#include "striae-store-backend.h"
#include "striae-test-date.h"
#include "striae-test-store.h"

/* The statements the PostgreSQL backend prepares once per session of the server (issue 15):
 * a connection made again, after the server dropped it or restarted, is a new session that
 * has none of them, and the records answer there as before, from the first statement on
 * (nothing fails for a statement name the server forgot). A write transaction's writes that
 * return nothing are kept and sent with its next statement or its commit: their failure
 * still fails the transaction, with the message it had when they were sent at once, and
 * leaves nothing written. On the private server of tests/with-postgresql; a file has no
 * sessions, and the test says so and is skipped. */

#define DROP_OTHER_SESSIONS \
  "SELECT pg_terminate_backend (pid) FROM pg_stat_activity" \
  "  WHERE datname = current_database () AND pid <> pg_backend_pid ()"

static gint64
add_patient (StriaeStore *store,
             const char  *family)
{
  g_autoptr(StriaePatient) patient = striae_patient_new ();
  g_autoptr(GError) error = NULL;

  striae_patient_set_given_name (patient, "Lena");
  striae_patient_set_family_name (patient, family);
  striae_patient_set_birth_date (patient, striae_test_date ("1990-05-17"));
  g_assert_true (striae_store_add_patient (store, patient, &error));
  g_assert_no_error (error);
  return striae_patient_get_id (patient);
}

static void
assert_patient (StriaeStore *store,
                gint64       id,
                const char  *family)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StriaePatient) patient = striae_store_get_patient (store, id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (patient);
  g_assert_cmpstr (striae_patient_get_family_name (patient), ==, family);
}

/* The same writes and reads, each statement run several times so that it is prepared,
 * before and after the session is lost by @lose. */
static void
check_session_lost (void (*lose) (const char *location))
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("striae-server-statements-XXXXXX", &error);
  g_autofree char *location = striae_test_store_location (dir);
  StriaeStore *store = striae_test_store_open (location);
  gint64 ids[3];

  ids[0] = add_patient (store, "Vogel");
  ids[1] = add_patient (store, "Okafor");
  assert_patient (store, ids[0], "Vogel");
  assert_patient (store, ids[1], "Okafor");
  g_assert_true (striae_store_check_changes (store, &error));
  g_assert_no_error (error);

  lose (location);
  /* The first statement on the dropped connection finds it gone (the server cannot be
   * reached); the connection is then made again. */
  g_assert_true (striae_test_wait_for (striae_test_store_answers, store));

  /* Every statement prepared before is run again on the new session, none refused. */
  ids[2] = add_patient (store, "Moreau");
  assert_patient (store, ids[0], "Vogel");
  assert_patient (store, ids[2], "Moreau");
  g_assert_true (striae_store_check_changes (store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (striae_test_store_count_audit (location, "create"), ==, 3);

  g_object_unref (store);
  striae_test_store_remove (location);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
drop_sessions (const char *location)
{
  striae_test_store_exec (location, DROP_OTHER_SESSIONS);
}

static void
restart_server (const char *location)
{
  striae_test_store_exec (location, "CHECKPOINT");
  striae_test_store_pg_ctl ("stop");
  striae_test_store_pg_ctl ("start");
}

static void
test_connection_dropped (void)
{
  check_session_lost (drop_sessions);
}

static void
test_server_restarted (void)
{
  check_session_lost (restart_server);
}

/* Queued writes: the backend driven directly, as the records layer drives it, on a
 * connection of its own beside the store that made the records. */
typedef struct
{
  char               *dir;
  char               *location;
  StriaeStore        *store;
  StriaeStoreBackend *backend;
  gint64              consultation;
  int                 committed;
  int                 rolled_back;
} Queue;

static void
committed_cb (gpointer data)
{
  ((Queue *) data)->committed++;
}

static void
rolled_back_cb (gpointer data)
{
  ((Queue *) data)->rolled_back++;
}

static void
queue_set_up (Queue *queue)
{
  g_autoptr(GError) error = NULL;
  const StriaeServerEngine *engine = striae_server_engine_get (&error);
  gint64 patient;
  int version = 0;

  g_assert_no_error (error);
  queue->dir = g_dir_make_tmp ("striae-server-queue-XXXXXX", &error);
  g_assert_no_error (error);
  queue->location = striae_test_store_location (queue->dir);
  queue->store = striae_test_store_open (queue->location);
  patient = striae_test_store_add_patient (queue->store, "Inès", "Moreau");
  queue->consultation = striae_test_store_add_signed_course (queue->store, patient,
                                                             STRIAE_SIDE_BOTH);
  queue->backend = engine->open (queue->location, FALSE, committed_cb, rolled_back_cb, queue,
                                 &version, &error);
  g_assert_no_error (error);
  g_assert_nonnull (queue->backend);
  g_assert_cmpint (version, ==, engine->get_latest_schema_version ());
}

static void
queue_tear_down (Queue *queue)
{
  g_clear_object (&queue->backend);
  g_clear_object (&queue->store);
  striae_test_store_remove (queue->location);
  g_assert_cmpint (g_rmdir (queue->dir), ==, 0);
  g_free (queue->location);
  g_free (queue->dir);
}

static gint64
count_see_again (Queue *queue)
{
  return striae_test_store_query_int (queue->location, "SELECT count (*) FROM see_again");
}

/* A revision of a consultation that does not exist: its foreign key refuses it. */
static gboolean
insert_orphan_revision (StriaeStoreBackend  *backend,
                        GError             **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  StriaeStoreRevision row = {
    .consultation_id = 987654321, .revision = 1, .patient_id = 1, .document = (char *) "{}",
    .created = now, .updated = now,
  };

  return striae_store_backend_insert_revision (backend, &row, error);
}

/* A write that a constraint refuses, kept with a good one before it: the commit fails with
 * the refusal's message, the one the write had when it ran alone, and the good write is not
 * kept either. */
static void
test_queued_write_refused (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) alone_error = NULL;
  Queue queue = { NULL, };
  GDate date;

  queue_set_up (&queue);
  g_date_set_dmy (&date, 12, G_DATE_MARCH, 2027);

  /* Outside a transaction the write runs at once, and is refused there. */
  striae_store_backend_lock (queue.backend);
  g_assert_false (insert_orphan_revision (queue.backend, &alone_error));
  g_assert_error (alone_error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FAILED);

  g_assert_true (striae_store_backend_begin (queue.backend, &error));
  g_assert_no_error (error);
  g_assert_true (striae_store_backend_set_see_again (queue.backend, queue.consultation, &date,
                                                     &error));
  g_assert_no_error (error);
  /* Kept: nothing was sent, nothing refused yet. */
  g_assert_true (insert_orphan_revision (queue.backend, &error));
  g_assert_no_error (error);
  g_assert_false (striae_store_backend_commit (queue.backend, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, alone_error->message);
  g_assert_cmpint (queue.committed, ==, 0);
  g_assert_cmpint (queue.rolled_back, ==, 1);
  g_assert_cmpint (count_see_again (&queue), ==, 0);

  /* The connection goes on: the same good write commits. */
  g_clear_error (&error);
  g_assert_true (striae_store_backend_begin (queue.backend, &error));
  g_assert_true (striae_store_backend_set_see_again (queue.backend, queue.consultation, &date,
                                                     &error));
  g_assert_true (striae_store_backend_commit (queue.backend, &error));
  g_assert_no_error (error);
  g_assert_cmpint (queue.committed, ==, 1);
  g_assert_cmpint (count_see_again (&queue), ==, 1);
  striae_store_backend_unlock (queue.backend);

  queue_tear_down (&queue);
}

/* The refusal of a kept write reaches the statement that took it along, and the transaction
 * stays failed: a caller that went on past it cannot commit. */
static void
test_queued_write_fails_next_statement (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;
  Queue queue = { NULL, };

  queue_set_up (&queue);
  striae_store_backend_lock (queue.backend);
  g_assert_true (striae_store_backend_begin (queue.backend, &error));
  g_assert_true (insert_orphan_revision (queue.backend, &error));
  g_assert_no_error (error);
  g_assert_false (striae_store_backend_get_setting (queue.backend, "clinic-name", &value,
                                                    &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_false (striae_store_backend_commit (queue.backend, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FAILED);
  g_assert_cmpint (queue.committed, ==, 0);
  g_assert_cmpint (queue.rolled_back, ==, 1);
  striae_store_backend_unlock (queue.backend);
  queue_tear_down (&queue);
}

/* The server stops between a kept write and the commit: the commit says the server cannot be
 * reached, as the write did when it was sent at once, and nothing of the transaction is
 * there once the server is back. */
static void
test_queued_write_server_stopped (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;
  Queue queue = { NULL, };
  GDate date;

  queue_set_up (&queue);
  g_date_set_dmy (&date, 12, G_DATE_MARCH, 2027);

  striae_store_backend_lock (queue.backend);
  g_assert_true (striae_store_backend_begin (queue.backend, &error));
  /* A read first, so that the transaction is begun on the server. */
  g_assert_true (striae_store_backend_get_setting (queue.backend, "clinic-name", &value,
                                                   &error));
  g_assert_no_error (error);
  g_assert_true (striae_store_backend_set_see_again (queue.backend, queue.consultation, &date,
                                                     &error));
  g_assert_no_error (error);

  striae_test_store_exec (queue.location, "CHECKPOINT");
  striae_test_store_pg_ctl ("stop");
  g_assert_false (striae_store_backend_commit (queue.backend, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_UNREACHABLE);
  g_assert_cmpint (queue.committed, ==, 0);
  g_assert_cmpint (queue.rolled_back, ==, 1);
  striae_store_backend_unlock (queue.backend);

  striae_test_store_pg_ctl ("start");
  g_assert_true (striae_test_wait_for (striae_test_store_answers, queue.store));
  g_assert_cmpint (count_see_again (&queue), ==, 0);
  queue_tear_down (&queue);
}

/* The search column's lexemes as schema 16 computed them: SQL's RETURN (SELECT …), planned
 * again by every statement that adds or changes a patient. */
#define LEXEMES_16 \
  "CREATE OR REPLACE FUNCTION striae_lexemes (text, text) RETURNS tsvector" \
  "  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE" \
  "  RETURN (SELECT coalesce (string_agg ('''' || w || ''':1' || $2, ' '), '')::tsvector" \
  "            FROM unnest (striae_words ($1)) w)"

/* Whether striae_lexemes keeps its plan for the session (PL/pgSQL), as schema 17 makes it. */
#define LEXEMES_KEEP_PLAN \
  "SELECT l.lanname = 'plpgsql' FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang" \
  "  WHERE p.proname = 'striae_lexemes'"

/* Texts of every kind the column takes, each with each weight: the lexemes of the function
 * against those of schema 16's body, computed inline. */
#define LEXEMES_DIFFER \
  "WITH t (a) AS (VALUES ('Léa Zofia'), (''), ('   '), ('Ñoño-Øre ß  łódź'), ('Ǆemal 東京')," \
  "                      ('06 12 00 00 02 0612000002 1990-05-12'), ('lea.p@example.org')," \
  "                      ('O''Brien \"x\" \\ y'), ('İstanbul Σίσυφος'))," \
  "     w (weight) AS (VALUES ('A'), ('B'), ('C'), ('D'))" \
  "SELECT count (*) FROM t, w" \
  "  WHERE striae_lexemes (a, weight) IS DISTINCT FROM" \
  "        (SELECT coalesce (string_agg ('''' || x || ''':1' || weight, ' '), '')::tsvector" \
  "           FROM unnest (striae_words (a)) x)"

static void
assert_found (StriaeStore *store,
              const char  *text,
              gint64       id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = striae_store_search_patients (store, text, 10, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 1);
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, id);
}

/* A patient written as schema 16 wrote one, its search column computed by its function. */
#define PATIENT_16 \
  "INSERT INTO patients (given_name, family_name, birth_date, created, updated, record_id)" \
  "  VALUES ('Zofia', 'Łukasiewicz-Ørsted', '1990-05-12', '2026-12-01T09:00:00.000000Z'," \
  "          '2026-12-01T09:00:00.000000Z', 'b8c9d6de-5c3e-4f43-9d55-9e0f3b2a4c11')" \
  "  RETURNING id"

/* Schema 17 (issue 15): an insert of one patient no longer plans the search column's
 * function four times, since the function keeps its plan for the session. On new records and
 * on records of schema 16 it gives the lexemes schema 16 gave, and the patients stored before
 * and after the step are found as before. */
static void
test_search_column_plan_kept (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("striae-server-lexemes-XXXXXX", &error);
  g_autofree char *location = striae_test_store_location (dir);
  StriaeStore *store = striae_test_store_open (location);
  gint64 old_patient, new_patient;

  g_assert_cmpint (striae_test_store_query_int (location, LEXEMES_KEEP_PLAN), ==, 1);
  g_assert_cmpint (striae_test_store_query_int (location, LEXEMES_DIFFER), ==, 0);
  g_object_unref (store);

  /* The records as schema 16 left them, with a patient whose column its function made. */
  striae_test_store_exec (location, LEXEMES_16);
  striae_test_store_exec (location, "UPDATE striae_schema SET version = 16");
  g_assert_cmpint (striae_test_store_query_int (location, LEXEMES_KEEP_PLAN), ==, 0);
  old_patient = striae_test_store_query_int (location, PATIENT_16);

  store = striae_test_store_open (location);
  g_assert_cmpint (striae_store_get_schema_version (store), ==,
                   striae_store_get_latest_schema_version ());
  g_assert_cmpint (striae_test_store_query_int (location, LEXEMES_KEEP_PLAN), ==, 1);
  g_assert_cmpint (striae_test_store_query_int (location, LEXEMES_DIFFER), ==, 0);
  new_patient = add_patient (store, "Ørsted-Nowak");
  assert_found (store, "łukasiew", old_patient);
  assert_found (store, "zofia ørsted", old_patient);
  assert_found (store, "ørsted nowak", new_patient);

  g_object_unref (store);
  striae_test_store_remove (location);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* The search column's lexemes as schema 17 computed them: a query, run by the executor for
 * each of the column's four calls, over striae_words, an SQL function set up for each. */
#define LEXEMES_17 \
  "CREATE OR REPLACE FUNCTION striae_lexemes (text, text) RETURNS tsvector" \
  "  LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE SET search_path FROM CURRENT AS $$" \
  "BEGIN" \
  "  RETURN (SELECT coalesce (string_agg ('''' || w || ''':1' || $2, ' '), '')::tsvector" \
  "            FROM unnest (striae_words ($1)) w);" \
  "END $$"

/* Whether striae_lexemes is one expression, which runs no query (schema 18). */
#define LEXEMES_ONE_EXPRESSION \
  "SELECT p.prosrc !~* '(select|unnest|striae_words)' FROM pg_proc p" \
  "  WHERE p.proname = 'striae_lexemes'"

/* Texts of twelve characters drawn from letters of many scripts with and without accents,
 * combining marks, digits of several kinds, punctuation, spaces and symbols (the same
 * every run), each with each weight: the lexemes of the function against schema 17's. */
#define LEXEMES_DIFFER_MANY \
  "WITH c (n, code) AS (SELECT row_number () OVER () - 1, code FROM (" \
  "         SELECT generate_series (32, 126) UNION ALL SELECT generate_series (160, 591)" \
  "         UNION ALL SELECT generate_series (768, 879) UNION ALL" \
  "         SELECT generate_series (880, 1279) UNION ALL SELECT generate_series (1632, 1641)" \
  "         UNION ALL SELECT generate_series (7680, 7935) UNION ALL" \
  "         SELECT generate_series (8192, 8303) UNION ALL" \
  "         SELECT generate_series (12288, 12351) UNION ALL" \
  "         SELECT generate_series (19968, 20031) UNION ALL" \
  "         SELECT generate_series (64256, 64262) UNION ALL" \
  "         SELECT generate_series (65280, 65381)) s (code))," \
  "     m (total) AS (SELECT count (*) FROM c)," \
  "     t (a) AS (SELECT string_agg (chr (c.code), '' ORDER BY k)" \
  "                 FROM generate_series (1, 4000) g CROSS JOIN generate_series (1, 12) k" \
  "                      CROSS JOIN m" \
  "                      JOIN c ON c.n = (g * 7919 + k * 104729 + g * k * 31) % m.total" \
  "                GROUP BY g)," \
  "     w (weight) AS (VALUES ('A'), ('B'), ('C'), ('D'))" \
  "SELECT count (*) FROM t, w" \
  "  WHERE striae_lexemes (a, weight) IS DISTINCT FROM" \
  "        (SELECT coalesce (string_agg ('''' || x || ''':1' || weight, ' '), '')::tsvector" \
  "           FROM unnest (striae_words (a)) x)"

/* A patient written as schema 17 wrote one, its search column computed by its function. */
#define PATIENT_17 \
  "INSERT INTO patients (given_name, family_name, birth_date, phone, created, updated," \
  "                      record_id)" \
  "  VALUES ('Ångström', 'Nguyễn-Dubois', '1984-02-29', '+33 6 12 34 56 78'," \
  "          '2026-12-01T09:00:00.000000Z', '2026-12-01T09:00:00.000000Z'," \
  "          '0c6f3a52-29a4-4d1e-8f0b-7f7c1d2e3a44')" \
  "  RETURNING id"

/* Schema 18 (issue 15): the search column's lexemes are one expression, no longer a query
 * that the executor set up for each of the column's four calls with a function planned
 * again each time. On texts of every kind it gives the lexemes schema 17 gave, and the
 * patients stored before and after the step are found as before. */
static void
test_search_column_one_expression (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("striae-server-lexemes-XXXXXX", &error);
  g_autofree char *location = striae_test_store_location (dir);
  StriaeStore *store = striae_test_store_open (location);
  gint64 old_patient, new_patient;

  g_assert_cmpint (striae_store_get_schema_version (store), ==,
                   striae_store_get_latest_schema_version ());
  g_assert_cmpint (striae_test_store_query_int (location, LEXEMES_ONE_EXPRESSION), ==, 1);
  g_assert_cmpint (striae_test_store_query_int (location, LEXEMES_DIFFER), ==, 0);
  g_assert_cmpint (striae_test_store_query_int (location, LEXEMES_DIFFER_MANY), ==, 0);
  g_object_unref (store);

  /* The records as schema 17 left them, with a patient whose column its function made. */
  striae_test_store_exec (location, LEXEMES_17);
  striae_test_store_exec (location, "UPDATE striae_schema SET version = 17");
  g_assert_cmpint (striae_test_store_query_int (location, LEXEMES_ONE_EXPRESSION), ==, 0);
  old_patient = striae_test_store_query_int (location, PATIENT_17);

  store = striae_test_store_open (location);
  g_assert_cmpint (striae_store_get_schema_version (store), ==,
                   striae_store_get_latest_schema_version ());
  g_assert_cmpint (striae_test_store_query_int (location, LEXEMES_ONE_EXPRESSION), ==, 1);
  g_assert_cmpint (striae_test_store_query_int (location,
                                                "SELECT count (*) FROM patients"
                                                "  WHERE search IS DISTINCT FROM"
                                                "    striae_lexemes (given_name || ' ' ||"
                                                "                    family_name, 'A') ||"
                                                "    striae_lexemes (search_names, 'B') ||"
                                                "    striae_lexemes (phone || ' ' ||"
                                                "                    phone_digits || ' ' ||"
                                                "                    birth_date, 'C') ||"
                                                "    striae_lexemes (email, 'D')"), ==, 0);
  new_patient = add_patient (store, "Nguyễn-Ørsted");
  assert_found (store, "angstr nguyen", old_patient);
  assert_found (store, "dubois 1984", old_patient);
  assert_found (store, "nguyen ørst", new_patient);

  g_object_unref (store);
  striae_test_store_remove (location);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
count_change_cb (StriaeStore *store,
                 gint64       patient_id,
                 guint       *changes)
{
  (*changes)++;
}

/* Opening the records (issue 15: a clinic PC's start waits on each round trip) sets up the
 * session and asks the schema's version, the login and the LISTEN of other PCs' changes in
 * one round trip, then the login's group and account: three in all, where each statement
 * was one before (eight). New records, without Striae's schema, are opened and set up as
 * before; the records opened so still hear of another PC's writes. */
static void
test_open_round_trips (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("striae-server-statements-XXXXXX", &error);
  g_autofree char *location = striae_test_store_location (dir);
  StriaeStore *other = striae_test_store_open (location);
  StriaeStore *store;
  guint before;
  guint changes = 0;

  add_patient (other, "Vogel");
  before = striae_store_debug_get_round_trips ();
  store = striae_test_store_open (location);
  g_test_message ("round trips to open the records: %u",
                  striae_store_debug_get_round_trips () - before);
  /* Counted at all (the backend tells each round trip), and few. */
  g_assert_cmpuint (striae_store_debug_get_round_trips () - before, >=, 1);
  g_assert_cmpuint (striae_store_debug_get_round_trips () - before, <=, 3);

  g_signal_connect (store, "patients-changed", G_CALLBACK (count_change_cb), &changes);
  g_assert_true (striae_store_check_changes (store, &error));
  g_assert_no_error (error);
  add_patient (other, "Okafor");
  g_assert_true (striae_store_check_changes (store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changes, ==, 1);

  g_object_unref (store);
  g_object_unref (other);
  striae_test_store_remove (location);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* Documents of every kind a revision may hold: Striae's own (each status, a date or none),
 * and what another client could write (a date that is null, a number, an object; a status
 * that is not at the top; a document that is an array, a scalar, not JSON at all, escaped,
 * with a key twice), each in two hundred variations (the same every run). */
#define REVISION_DOCUMENTS \
  "WITH k (n) AS (SELECT generate_series (1, 200))," \
  "     s (status) AS (VALUES ('\"draft\"'), ('\"complete\"'), ('\"signed\"'))," \
  "     d (date) AS (VALUES (', \"date\": \"2024-04-#\"'), (''), (', \"date\": null')," \
  "                         (', \"date\": 20240401'), (', \"date\": {\"y\": 2024}')," \
  "                         (', \"date\": \"\\u00e9t\\u00e9 #\"')," \
  "                         (', \"date\": \"x\", \"date\": \"2025-01-#\"'))" \
  "SELECT '{\"status\": ' || status || replace (date, '#', lpad ((n % 28 + 1)::text, 2, '0'))" \
  "       || ', \"n\": ' || n || '}' FROM k, s, d" \
  " UNION ALL" \
  " SELECT doc || repeat (' ', n % 3) FROM k," \
  "   (VALUES ('{\"a\": {\"status\": \"signed\"}}'), ('[\"status\", \"draft\"]'), ('\"draft\"')," \
  "           ('42'), ('{status: draft}'), (''), ('{\"status\": \"dra')," \
  "           ('  {\"date\" : \"2024-01-01\" }')) v (doc)"

/* A table whose status and date are schema 18's generated columns, with the documents, as
 * the reference. */
#define REVISIONS_18 \
  "CREATE TABLE revisions_18 (n integer PRIMARY KEY, data text NOT NULL," \
  "  status text GENERATED ALWAYS AS (striae_json (data) ->> 'status') STORED," \
  "  date text NOT NULL GENERATED ALWAYS AS" \
  "    (coalesce (striae_json (data) ->> 'date', '')) STORED);" \
  "INSERT INTO revisions_18 (n, data)" \
  "  SELECT row_number () OVER (), doc FROM (" REVISION_DOCUMENTS ") x (doc)"

/* Whether the revisions' status and date are computed by a trigger, not generated: step 19. */
#define REVISION_COLUMNS_BY_TRIGGER \
  "SELECT (SELECT count (*) FROM pg_attribute" \
  "          WHERE attrelid IN ('consultation_revisions'::regclass," \
  "                             'treatment_session_revisions'::regclass)" \
  "            AND attname IN ('status', 'date') AND attgenerated = '') = 4" \
  "   AND (SELECT count (*) FROM pg_trigger" \
  "          WHERE tgname IN ('consultation_revisions_columns'," \
  "                           'treatment_session_revisions_columns')) = 2"

static gint64
add_consultation_row (const char *location,
                      gint64      patient)
{
  g_autofree char *sql = g_strdup_printf ("INSERT INTO consultations (patient_id, created)"
                                          "  VALUES (%" G_GINT64_FORMAT ", '2026-12-07')"
                                          "  RETURNING id", patient);

  return striae_test_store_query_int (location, sql);
}

/* The revisions of the reference that an update changes: drafts (not signed, which no update
 * changes) among others. */
#define CHANGED "n % 3 = 0 AND status IS DISTINCT FROM 'signed' AND data LIKE '%draft%'"

/* The same documents written into @table under @owner_id (a new consultation or session)
 * give the status and date the generated columns of schema 18 gave; an update of the
 * document ("draft" made @replacement) computes them again, as the generated columns did;
 * an insert or an update that gives either a value is refused as the generated columns
 * refused it. */
static void
assert_revision_columns (const char *location,
                         const char *table,
                         const char *key,
                         gint64      owner_id,
                         const char *replacement)
{
  g_autofree char *owner = g_strdup_printf ("%" G_GINT64_FORMAT, owner_id);
  g_autofree char *copy = g_strdup_printf ("INSERT INTO %s (%s, revision, created, updated,"
                                           "                data)"
                                           "  SELECT %s, n, '2026-12-07T20:00:00Z',"
                                           "         '2026-12-07T20:00:00Z', data"
                                           "    FROM revisions_18", table, key, owner);
  g_autofree char *differ = g_strdup_printf ("SELECT count (*) FROM revisions_18 o"
                                             "  FULL JOIN (SELECT * FROM %s WHERE %s = %s) r"
                                             "    ON r.revision = o.n"
                                             "  WHERE (r.data, r.status, r.date)"
                                             "        IS DISTINCT FROM"
                                             "        (o.data, o.status, o.date)",
                                             table, key, owner);
  g_autofree char *change = g_strdup_printf ("UPDATE %s"
                                             "  SET data = replace (data, 'draft', '%s')"
                                             "  WHERE %s = %s AND revision IN"
                                             "    (SELECT n FROM revisions_18 WHERE %s);"
                                             "UPDATE revisions_18"
                                             "  SET data = replace (data, 'draft', '%s')"
                                             "  WHERE %s", table, replacement, key, owner,
                                             CHANGED, replacement, CHANGED);
  g_autofree char *named_status = g_strdup_printf ("INSERT INTO %s (%s, revision, created,"
                                                   "  updated, data, status) VALUES (%s, 9999,"
                                                   "  'x', 'x', '{\"status\": \"draft\"}',"
                                                   "  'draft')", table, key, owner);
  g_autofree char *named_date = g_strdup_printf ("INSERT INTO %s (%s, revision, created,"
                                                 "  updated, data, date) VALUES (%s, 9999,"
                                                 "  'x', 'x', '{}', '')", table, key, owner);
  g_autofree char *set_status = g_strdup_printf ("UPDATE %s SET status = 'draft'"
                                                 "  WHERE %s = %s", table, key, owner);
  g_autofree char *set_date = g_strdup_printf ("UPDATE %s SET date = '2020-01-01',"
                                               "  data = data || ' ' WHERE %s = %s",
                                               table, key, owner);

  striae_test_store_exec (location, copy);
  g_assert_cmpint (striae_test_store_query_int (location, differ), ==, 0);
  g_assert_cmpint (striae_test_store_query_int (location, "SELECT count (*) FROM revisions_18"
                                                "  WHERE " CHANGED), >, 100);
  striae_test_store_exec (location, change);
  g_assert_cmpint (striae_test_store_query_int (location, "SELECT count (*) FROM revisions_18"
                                                "  WHERE " CHANGED), ==, 0);
  g_assert_cmpint (striae_test_store_query_int (location, differ), ==, 0);
  g_assert_cmpint (striae_test_store_try_exec (location, named_status), ==,
                   STRIAE_TEST_SQL_INVALID);
  g_assert_cmpint (striae_test_store_try_exec (location, named_date), ==,
                   STRIAE_TEST_SQL_INVALID);
  g_assert_cmpint (striae_test_store_try_exec (location, set_status), ==,
                   STRIAE_TEST_SQL_INVALID);
  g_assert_cmpint (striae_test_store_try_exec (location, set_date), ==,
                   STRIAE_TEST_SQL_INVALID);
  g_assert_cmpint (striae_test_store_query_int (location, differ), ==, 0);
}

/* Schema 19 (issue 15): a revision's status and date come from one parse of its document, by
 * a trigger, no longer from two generated columns that each parsed it. On documents of every
 * kind, in consultations and session records, they are what schema 18's generated columns
 * gave, before and after the document changes; what the generated columns refused stays
 * refused; the revisions of schema 18 keep theirs through the step. */
static void
test_revision_columns_one_parse (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("striae-server-revisions-XXXXXX", &error);
  g_autofree char *location = striae_test_store_location (dir);
  StriaeStore *store = striae_test_store_open (location);
  gint64 patient = add_patient (store, "Okonkwo-Lindqvist");
  gint64 consultation, session, kept;
  g_autofree char *add_session = NULL;
  g_autofree char *kept_sql = NULL;

  g_assert_cmpint (striae_store_get_schema_version (store), ==,
                   striae_store_get_latest_schema_version ());
  g_assert_cmpint (striae_test_store_query_int (location, REVISION_COLUMNS_BY_TRIGGER), ==, 1);
  g_object_unref (store);

  striae_test_store_exec (location, REVISIONS_18);
  g_assert_cmpint (striae_test_store_query_int (location, "SELECT count (*) FROM revisions_18"),
                   ==, 200 * 3 * 7 + 200 * 8);
  consultation = add_consultation_row (location, patient);
  assert_revision_columns (location, "consultation_revisions", "consultation_id",
                           consultation, "complete");
  add_session = g_strdup_printf ("INSERT INTO treatment_sessions (consultation_id, patient_id,"
                                 "  created) VALUES (%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT
                                 ", '2026-12-07') RETURNING id", consultation, patient);
  session = striae_test_store_query_int (location, add_session);
  /* A session record is a draft or signed. */
  striae_test_store_exec (location, "DROP TABLE revisions_18;" REVISIONS_18 ";"
                          "DELETE FROM revisions_18 WHERE status = 'complete'");
  assert_revision_columns (location, "treatment_session_revisions", "session_id", session,
                           "signed");

  /* The records as schema 18 left them: its revisions' columns kept as they are. */
  striae_test_store_exec (location,
                          "DROP TRIGGER consultation_revisions_columns"
                          "  ON consultation_revisions;"
                          "DROP TRIGGER treatment_session_revisions_columns"
                          "  ON treatment_session_revisions;"
                          "UPDATE striae_schema SET version = 18");
  kept = add_consultation_row (location, patient);
  kept_sql = g_strdup_printf ("INSERT INTO consultation_revisions (consultation_id, revision,"
                              "  created, updated, data, status, date) VALUES"
                              "  (%" G_GINT64_FORMAT ", 1, '2026-12-07T20:00:00Z',"
                              "   '2026-12-07T20:00:00Z',"
                              "   '{\"status\": \"complete\", \"date\": \"2024-04-01\"}',"
                              "   'complete', '2024-04-01')", kept);
  striae_test_store_exec (location, kept_sql);

  store = striae_test_store_open (location);
  g_assert_cmpint (striae_store_get_schema_version (store), ==,
                   striae_store_get_latest_schema_version ());
  g_assert_cmpint (striae_test_store_query_int (location, REVISION_COLUMNS_BY_TRIGGER), ==, 1);
  striae_test_store_exec (location, "DROP TABLE revisions_18;" REVISIONS_18);
  assert_revision_columns (location, "consultation_revisions", "consultation_id",
                           add_consultation_row (location, patient), "complete");
  g_free (kept_sql);
  kept_sql = g_strdup_printf ("SELECT count (*) FROM consultation_revisions"
                              "  WHERE consultation_id = %" G_GINT64_FORMAT
                              "    AND status = 'complete' AND date = '2024-04-01'", kept);
  g_assert_cmpint (striae_test_store_query_int (location, kept_sql), ==, 1);

  g_object_unref (store);
  striae_test_store_remove (location);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* Schema 20 (issue 15): patient_name_prefixes holds, for every patient, each distinct
 * prefix of 1, 2 and 3 letters of each word of their names as the search column folds them
 * (its lexemes of weight A, which striae_words () gives from the names), with their archive
 * flag, sort key and id. The table against the same rows computed from the patients, every
 * row once: the count of rows of either side the other lacks. */
#define NAME_PREFIXES_DIFFER \
  "WITH expected AS (SELECT DISTINCT left (w, n.n) AS prefix, p.archived, p.sort_key," \
  "                         p.id AS patient_id" \
  "                    FROM patients p," \
  "                         unnest (striae_words (p.given_name || ' ' || p.family_name)) w," \
  "                         generate_series (1, 3) n (n))," \
  "     kept AS (SELECT prefix, archived, sort_key, patient_id FROM patient_name_prefixes)" \
  "SELECT (SELECT count (*) FROM (TABLE kept EXCEPT ALL TABLE expected) a)" \
  "     + (SELECT count (*) FROM (TABLE expected EXCEPT ALL TABLE kept) b)"

static void
assert_name_prefixes (const char *location)
{
  g_assert_cmpint (striae_test_store_query_int (location, NAME_PREFIXES_DIFFER), ==, 0);
  g_assert_cmpint (striae_test_store_query_int (location, "SELECT count (*) FROM"
                                                "  patient_name_prefixes"), >, 0);
}

/* Every match of @text among the patients archived or not, in the order of the search before
 * schema 20, as "id:tier" words: the tiers' conditions of striae-pg-search.c (names, then
 * search names, then phone and date of birth, then email), each tier in the register's
 * order, with no digits run together (the texts here are not groups of digits); everyone,
 * in the register's order, for a text without words. */
static char *
expected_matches (const char *location,
                  const char *text,
                  gboolean    archived)
{
  g_autofree char *literal = striae_test_sql_literal (text);
  g_autofree char *sql =
    g_strdup_printf ("SELECT coalesce (string_agg (id || ':' || tier, ' '"
                     "                   ORDER BY tier, sort_key COLLATE \"C\", id), '')"
                     "  FROM (SELECT p.id, p.sort_key,"
                     "               CASE WHEN cardinality (striae_words (%s)) = 0 THEN 0"
                     "                    WHEN p.search @@ striae_query (%s, 'A') THEN 0"
                     "                    WHEN p.search @@ striae_query (%s, 'AB') THEN 1"
                     "                    WHEN p.search @@ striae_query (%s, 'ABC') THEN 2"
                     "                    WHEN p.search @@ striae_query (%s) THEN 3"
                     "               END AS tier"
                     "          FROM patients p WHERE p.archived = %s) m"
                     " WHERE tier IS NOT NULL",
                     literal, literal, literal, literal, literal,
                     archived ? "true" : "false");

  return striae_test_store_query_text (location, sql);
}

/* The same, as the patient list reads it: pages of @limit rows, each after the last row of
 * the one before. */
static char *
listed_matches (StriaeStore *store,
                const char  *text,
                gboolean     archived,
                guint        limit)
{
  g_autoptr(GString) listed = g_string_new (NULL);
  g_autoptr(StriaePatientSummary) after = NULL;
  g_autoptr(GError) error = NULL;

  for (;;)
    {
      g_autoptr(GPtrArray) rows = striae_store_search_rows (store, text,
                                                            archived
                                                            ? STRIAE_SEARCH_FLAGS_ARCHIVED
                                                            : STRIAE_SEARCH_FLAGS_NONE,
                                                            after, limit, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (rows->len, <=, limit);
      for (guint i = 0; i < rows->len; i++)
        {
          const StriaePatientSummary *row = g_ptr_array_index (rows, i);

          g_string_append_printf (listed, "%s%" G_GINT64_FORMAT ":%d", listed->len > 0 ? " " : "",
                                  row->id, (int) row->rank);
        }
      if (rows->len < limit)
        break;
      g_clear_pointer (&after, striae_patient_summary_free);
      after = striae_patient_summary_copy (g_ptr_array_index (rows, rows->len - 1));
    }
  return g_string_free (g_steal_pointer (&listed), FALSE);
}

/* The search of @text lists what the search before schema 20 listed, page after page, for
 * the patients archived and the others; returns how many it found. */
static guint
assert_search_unchanged (StriaeStore *store,
                         const char  *location,
                         const char  *text,
                         guint        limit)
{
  guint found = 0;

  for (int archived = 0; archived < 2; archived++)
    {
      g_autofree char *expected = expected_matches (location, text, archived);
      g_autofree char *listed = listed_matches (store, text, archived, limit);

      if (g_strcmp0 (expected, listed) != 0)
        g_test_message ("search \"%s\" (%s)", text, archived ? "archived" : "not archived");
      g_assert_cmpstr (listed, ==, expected);
      found += *expected != '\0';
    }
  return found;
}

/* Names that share their first letters, with accents (folded, or found by their search names
 * as ł, ø and ß are), hyphens, apostrophes, several words, one letter. */
static const char * const prefix_given_names[] = {
  "Anna", "Anne-Marie", "Annabel", "Ánh", "Zoë", "Zoe", "Jean Luc", "Maria José", "Mary",
  "Ma", "M", "Ólafur", "Øystein", "Łukasz", "D'Arcy", "Siobhán", "Ma Lin", "Ann",
};
static const char * const prefix_family_names[] = {
  "Müller", "Mueller", "Muller", "Martin", "Martínez", "Marti", "O'Neil", "O'Brien",
  "Smith-Jones", "de la Cruz", "Nguyễn", "Ma", "Ångström", "Straße", "Tran", "Trần",
  "Mac Allister", "Anand",
};

/* What a person types: each prefix of 1 to 4 letters of every word of the names, as typed
 * and as folded, and words together. */
static GPtrArray *
prefix_queries (void)
{
  static const char * const typed[] = {
    "ma t", "anne mar", "jean luc", "o'b", "o'brien", "smith-j", "de la", "m m", "an ma",
    "MAR", "mü", "mu", "mue", "stra", "strasse", "lukasz", "luk", "oys", "oystein", "ang",
    "å", "tr", "trần", "tra", "nguyen", "ng", "zoe", "zoë", "ma ma", "a a", "mac al", "ma lin",
    "zz", "q", "mary martin", "example", "ann marti", "jo", "cruz de", "ma-t", "'", "1990",
  };
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GPtrArray *queries = g_ptr_array_new_with_free_func (g_free);
  const char * const *lists[] = { prefix_given_names, prefix_family_names };
  const gsize lengths[] = { G_N_ELEMENTS (prefix_given_names),
                            G_N_ELEMENTS (prefix_family_names) };

  for (gsize i = 0; i < G_N_ELEMENTS (typed); i++)
    g_hash_table_add (seen, g_strdup (typed[i]));
  for (gsize l = 0; l < G_N_ELEMENTS (lists); l++)
    for (gsize i = 0; i < lengths[l]; i++)
      {
        g_auto(GStrv) words = g_regex_split_simple ("[ '-]+", lists[l][i], 0, 0);

        for (guint w = 0; words[w] != NULL; w++)
          for (glong n = 1; n <= MIN (4, g_utf8_strlen (words[w], -1)); n++)
            {
              g_autofree char *prefix = g_utf8_substring (words[w], 0, n);

              g_hash_table_add (seen, g_utf8_strdown (prefix, -1));
              g_hash_table_add (seen, g_steal_pointer (&prefix));
            }
      }
  {
    GHashTableIter iter;
    gpointer key;

    g_hash_table_iter_init (&iter, seen);
    while (g_hash_table_iter_next (&iter, &key, NULL))
      g_ptr_array_add (queries, g_strdup (key));
  }
  g_ptr_array_sort (queries, (GCompareFunc) g_strcmp0);
  return queries;
}

static gint64
add_named_patient (StriaeStore *store,
                   const char  *given,
                   const char  *family,
                   guint        n)
{
  g_autoptr(StriaePatient) patient = striae_patient_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *born = g_strdup_printf ("19%02u-05-17", 50 + n % 50);
  g_autofree char *phone = g_strdup_printf ("+33 6 12 34 %02u %02u", n / 100 % 100, n % 100);
  g_autofree char *email = g_strdup_printf ("%s%u@example.org", n % 3 == 0 ? "mar" : "an", n);

  striae_patient_set_given_name (patient, given);
  striae_patient_set_family_name (patient, family);
  striae_patient_set_birth_date (patient, striae_test_date (born));
  striae_patient_set_phone (patient, phone);
  striae_patient_set_email (patient, email);
  g_assert_true (striae_store_add_patient (store, patient, &error));
  g_assert_no_error (error);
  return striae_patient_get_id (patient);
}

static void
rename_patient (StriaeStore *store,
                gint64       id,
                const char  *given,
                const char  *family)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StriaePatient) patient = striae_store_get_patient (store, id, &error);

  g_assert_no_error (error);
  striae_patient_set_given_name (patient, given);
  striae_patient_set_family_name (patient, family);
  g_assert_true (striae_store_update_patient (store, patient, &error));
  g_assert_no_error (error);
}

static void
archive_patient (StriaeStore *store,
                 gint64       id,
                 gboolean     archived)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (striae_store_set_patient_archived (store, id, archived, "Dr Roux", &error));
  g_assert_no_error (error);
}

static guint
assert_searches_unchanged (StriaeStore *store,
                           const char  *location,
                           GPtrArray   *queries)
{
  guint found = 0;

  for (guint i = 0; i < queries->len; i++)
    {
      const char *text = g_ptr_array_index (queries, i);

      /* Small pages cross many pages' edges; the list's own page, the first tier whole. */
      found += assert_search_unchanged (store, location, text, 7);
      assert_search_unchanged (store, location, text, STRIAE_PATIENT_LIST_PAGE_SIZE);
    }
  return found;
}

/* Schema 20 (issue 15): the first tier's page is read from the prefixes of the names, in
 * the register's order. Every search lists what it listed before, page after page, among the
 * archived patients and the others; the prefixes follow the patients through a new name,
 * archiving and its undoing, erasure (which also vacuums them, so that no name stays on
 * disk), and a patient's contact details changed leave them as they are. */
static void
test_name_prefixes_search (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("striae-server-prefixes-XXXXXX", &error);
  g_autofree char *location = striae_test_store_location (dir);
  StriaeStore *store = striae_test_store_open (location);
  g_autoptr(GPtrArray) queries = prefix_queries ();
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(StriaePatient) moved = NULL;
  g_autofree char *erased_rows = NULL;
  gint64 vacuums;
  guint n = 0;

  for (gsize g = 0; g < G_N_ELEMENTS (prefix_given_names); g++)
    for (gsize f = 0; f < G_N_ELEMENTS (prefix_family_names); f++)
      {
        gint64 id = add_named_patient (store, prefix_given_names[g], prefix_family_names[f],
                                       n++);

        g_array_append_val (ids, id);
      }
  for (guint i = 0; i < ids->len; i += 4)
    archive_patient (store, g_array_index (ids, gint64, i), TRUE);
  assert_name_prefixes (location);
  g_assert_cmpuint (assert_searches_unchanged (store, location, queries), >, queries->len / 2);

  /* Renamed, archived, brought back, erased, a phone number changed: the prefixes follow. */
  rename_patient (store, g_array_index (ids, gint64, 1), "Zélie", "Trang-Marlowe");
  rename_patient (store, g_array_index (ids, gint64, 4), "Annabel", "Ma");
  rename_patient (store, g_array_index (ids, gint64, 5), "Mary", "D'Arcy");
  archive_patient (store, g_array_index (ids, gint64, 6), TRUE);
  archive_patient (store, g_array_index (ids, gint64, 8), FALSE);
  rename_patient (store, g_array_index (ids, gint64, 8), "Øystein", "Müller");
  moved = striae_store_get_patient (store, g_array_index (ids, gint64, 9), &error);
  g_assert_no_error (error);
  striae_patient_set_phone (moved, "+33 7 00 00 00 00");
  g_assert_true (striae_store_update_patient (store, moved, &error));
  g_assert_no_error (error);
  assert_name_prefixes (location);

  vacuums = striae_test_store_query_int (location, "SELECT vacuum_count FROM pg_stat_all_tables"
                                         "  WHERE relid = 'patient_name_prefixes'::regclass");
  for (guint i = 10; i < 14; i++)
    {
      g_assert_true (striae_store_erase_patient (store, g_array_index (ids, gint64, i), &error));
      g_assert_no_error (error);
    }
  erased_rows = g_strdup_printf ("SELECT count (*) FROM patient_name_prefixes"
                                 "  WHERE patient_id BETWEEN %" G_GINT64_FORMAT
                                 "    AND %" G_GINT64_FORMAT,
                                 g_array_index (ids, gint64, 10),
                                 g_array_index (ids, gint64, 13));
  g_assert_cmpint (striae_test_store_query_int (location, erased_rows), ==, 0);
  g_assert_cmpint (striae_test_store_query_int (location, "SELECT vacuum_count"
                                                "  FROM pg_stat_all_tables WHERE relid ="
                                                "    'patient_name_prefixes'::regclass"),
                   >, vacuums);
  assert_name_prefixes (location);
  assert_searches_unchanged (store, location, queries);

  g_object_unref (store);
  striae_test_store_remove (location);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* A search whose words together match far fewer patients than its longest word's prefix:
 * the walk of the prefixes stops after its bound of rows (4 000, striae-pg-search.c) with
 * no whole page, and the page is read and sorted as before, the same rows in the same
 * order. The patients of schema 19 get their prefixes from step 20. */
static void
test_name_prefixes_bound_and_step (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("striae-server-prefixes-XXXXXX", &error);
  g_autofree char *location = striae_test_store_location (dir);
  StriaeStore *store = striae_test_store_open (location);
  g_autoptr(GPtrArray) many = g_ptr_array_new_with_free_func (g_object_unref);
  static const char * const queries[] = {
    "mar ze", "marlow z", "marlow", "mar t", "ma", "m", "zed", "zed mar", "z marlow",
  };

  for (guint i = 0; i < 4100; i++)
    {
      StriaePatient *patient = striae_patient_new ();

      striae_patient_set_given_name (patient, i % 1000 == 999 ? "Zed" : "Test");
      striae_patient_set_family_name (patient, "Marlow");
      striae_patient_set_birth_date (patient, striae_test_date ("1980-01-01"));
      g_ptr_array_add (many, patient);
    }
  g_assert_true (striae_store_add_patients (store, many, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 3; i++)
    add_named_patient (store, "Zed", "Marlow", i);
  assert_name_prefixes (location);
  for (gsize i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      g_assert_cmpuint (assert_search_unchanged (store, location, queries[i], 7), >, 0);
      assert_search_unchanged (store, location, queries[i], STRIAE_PATIENT_LIST_PAGE_SIZE);
    }
  g_object_unref (store);

  /* The records as schema 19 left them, with patients: step 20 fills their prefixes. */
  striae_test_store_exec (location,
                          "DROP TRIGGER patient_name_prefixes_insert ON patients;"
                          "DROP TRIGGER patient_name_prefixes_update ON patients;"
                          "DROP TRIGGER patient_name_prefixes_delete ON patients;"
                          "DROP TABLE patient_name_prefixes;"
                          "UPDATE striae_schema SET version = 19");
  store = striae_test_store_open (location);
  g_assert_cmpint (striae_store_get_schema_version (store), ==,
                   striae_store_get_latest_schema_version ());
  assert_name_prefixes (location);
  for (gsize i = 0; i < G_N_ELEMENTS (queries); i++)
    assert_search_unchanged (store, location, queries[i], STRIAE_PATIENT_LIST_PAGE_SIZE);
  add_named_patient (store, "Zed", "Marlowe", 7);
  assert_name_prefixes (location);

  g_object_unref (store);
  striae_test_store_remove (location);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* A consultation of @patient on @date, as a draft. */
static gint64
add_consultation (StriaeStore *store,
                  gint64       patient,
                  const char  *date)
{
  g_autoptr(StriaeConsultation) consultation = striae_consultation_new ();
  g_autoptr(GError) error = NULL;

  striae_consultation_set_patient_id (consultation, patient);
  striae_consultation_set_date (consultation, striae_test_date (date));
  striae_consultation_set_practitioner (consultation, "Dr Roux");
  g_assert_true (striae_store_save_consultation (store, consultation, NULL, &error));
  g_assert_no_error (error);
  return striae_consultation_get_id (consultation);
}

static char *
export_patient (StriaeStore *store,
                gint64       id)
{
  g_autoptr(GError) error = NULL;
  char *json = striae_store_export_patient (store, id, STRIAE_EXPORT_FLAGS_NONE, &error);

  g_assert_no_error (error);
  return json;
}

/* Vogel's first consultation in the file, of 2 March, has the lower of their numbers. */
#define FIRST_CONSULTATION_DATED_SQL \
  "SELECT count (*) FROM consultations c" \
  "  JOIN consultation_revisions r ON r.consultation_id = c.id" \
  " WHERE r.date = '2026-03-02'" \
  "   AND c.id = (SELECT min (id) FROM consultations WHERE patient_id = c.patient_id)"

/* An imported record reaches the server in two round trips: whether it is there, the
 * patient, their consultations and the audit subject with the transaction's begin; then
 * the revisions, the audit row and the commit (five for one with two consultations, each
 * statement that returns rows a round trip of its own). The consultations keep the file's
 * order in their numbers; a record refused in the middle of the first round trip leaves
 * nothing and the next one goes in; one already there changes nothing. */
static void
test_import_round_trips (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("striae-server-statements-XXXXXX", &error);
  g_autofree char *location = striae_test_store_location (dir);
  g_autofree char *target = striae_test_store_other_location (dir, "target");
  g_autoptr(StriaeStore) source = striae_test_store_open (location);
  g_autoptr(StriaeStore) store = striae_test_store_open (target);
  g_autoptr(GPtrArray) consultations = NULL;
  g_autofree char *vogel = NULL;
  g_autofree char *refused = NULL;
  g_autofree char *okafor = NULL;
  g_autofree char *moreau = NULL;
  gint64 vogel_id, id, n = 0;
  gboolean already = FALSE;
  guint before;

  vogel_id = add_patient (source, "Vogel");
  add_consultation (source, vogel_id, "2026-03-02");
  add_consultation (source, vogel_id, "2026-01-15");
  vogel = export_patient (source, vogel_id);
  id = add_patient (source, "Refused");
  add_consultation (source, id, "2026-02-01");
  refused = export_patient (source, id);
  id = add_patient (source, "Okafor");
  add_consultation (source, id, "2026-04-20");
  okafor = export_patient (source, id);
  id = add_patient (source, "Moreau");
  add_consultation (source, id, "2026-05-11");
  moreau = export_patient (source, id);
  striae_test_store_refuse_insert (target, "patients", "new.family_name = 'Refused'");

  /* The first import reads once what the connection then keeps (the audit key, the login's
   * rights). */
  id = striae_store_import_patient (store, okafor, -1, &already, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  g_assert_false (already);

  before = striae_store_debug_get_round_trips ();
  vogel_id = striae_store_import_patient (store, vogel, -1, &already, &error);
  g_assert_no_error (error);
  g_assert_cmpint (vogel_id, >, 0);
  g_test_message ("round trips to import a record: %u",
                  striae_store_debug_get_round_trips () - before);
  g_assert_cmpuint (striae_store_debug_get_round_trips () - before, ==, 2);
  consultations = striae_store_list_consultations (store, vogel_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (consultations->len, ==, 2);
  g_assert_cmpint (striae_test_store_query_int (target, FIRST_CONSULTATION_DATED_SQL), ==, 1);

  g_assert_cmpint (striae_store_import_patient (store, refused, -1, &already, &error), ==, 0);
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "refused"));
  g_clear_error (&error);
  g_assert_cmpint (striae_test_store_query_int (target, "SELECT count (*) FROM patients"), ==,
                   2);
  g_assert_cmpint (striae_test_store_query_int (target, "SELECT count (*) FROM consultations"),
                   ==, 3);
  id = striae_store_import_patient (store, moreau, -1, &already, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, vogel_id);
  g_assert_false (already);

  g_assert_cmpint (striae_store_import_patient (store, vogel, -1, &already, &error), ==,
                   vogel_id);
  g_assert_no_error (error);
  g_assert_true (already);
  g_assert_cmpint (striae_test_store_query_int (target, "SELECT count (*) FROM consultations"),
                   ==, 4);
  g_assert_cmpint (striae_test_store_count_audit (target, "import"), ==, 3);
  g_assert_true (striae_store_verify_audit (store, &n, NULL, &error));
  g_assert_no_error (error);

  g_clear_object (&store);
  g_clear_object (&source);
  striae_test_store_remove (target);
  striae_test_store_remove (location);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
skip_without_server (void)
{
  g_test_skip ("A file has no server sessions: this test runs in the PostgreSQL pass "
               "(meson test --setup=postgresql --suite postgresql server-statements)");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (striae_test_backend_is ("postgresql"))
    {
      g_test_add_func ("/server-statements/connection-dropped", test_connection_dropped);
      g_test_add_func ("/server-statements/server-restarted", test_server_restarted);
      g_test_add_func ("/server-statements/queued-write-refused", test_queued_write_refused);
      g_test_add_func ("/server-statements/queued-write-fails-next-statement",
                       test_queued_write_fails_next_statement);
      g_test_add_func ("/server-statements/queued-write-server-stopped",
                       test_queued_write_server_stopped);
      g_test_add_func ("/server-statements/search-column-plan-kept",
                       test_search_column_plan_kept);
      g_test_add_func ("/server-statements/search-column-one-expression",
                       test_search_column_one_expression);
      g_test_add_func ("/server-statements/open-round-trips", test_open_round_trips);
      g_test_add_func ("/server-statements/import-round-trips", test_import_round_trips);
      g_test_add_func ("/server-statements/revision-columns-one-parse",
                       test_revision_columns_one_parse);
      g_test_add_func ("/server-statements/name-prefixes-search", test_name_prefixes_search);
      g_test_add_func ("/server-statements/name-prefixes-bound-and-step",
                       test_name_prefixes_bound_and_step);
    }
  else
    {
      g_test_add_func ("/server-statements/connection-dropped", skip_without_server);
      g_test_add_func ("/server-statements/server-restarted", skip_without_server);
      g_test_add_func ("/server-statements/queued-write-refused", skip_without_server);
      g_test_add_func ("/server-statements/queued-write-fails-next-statement",
                       skip_without_server);
      g_test_add_func ("/server-statements/queued-write-server-stopped", skip_without_server);
      g_test_add_func ("/server-statements/search-column-plan-kept", skip_without_server);
      g_test_add_func ("/server-statements/search-column-one-expression",
                       skip_without_server);
      g_test_add_func ("/server-statements/open-round-trips", skip_without_server);
      g_test_add_func ("/server-statements/import-round-trips", skip_without_server);
      g_test_add_func ("/server-statements/revision-columns-one-parse", skip_without_server);
      g_test_add_func ("/server-statements/name-prefixes-search", skip_without_server);
      g_test_add_func ("/server-statements/name-prefixes-bound-and-step", skip_without_server);
    }

  return g_test_run ();
}
