/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <sys/random.h>

#include "striae-pg-private.h"

/* The schema on a clinic server and its migrations. The version lives in the database
 * (`striae_schema`); each step runs in one transaction with the version's update, under an
 * advisory lock, so that two PCs starting a new Striae at once migrate it once.
 *
 * The tables are named as in the file (patients, consultations, consultation_revisions,
 * audit, audit_subjects, settings), so that the grants of `striae --server-init` fit both.
 * What the file's triggers guard, the server guards for every client: no one changes a signed
 * revision or an audit row, whatever SQL they type. */

/* The records' format versions are one series for every backend, so that a version means
 * the same records whatever keeps them (and the records layer's migration hooks the same
 * step): the server's first step makes an empty database the file's version 8 at once. */
#define FIRST_VERSION 8

/* Step 20's prefixes of the names of the patients of @rows (a table or transition table of
 * patients, or a subquery with their id, archived, sort_key and search): each distinct prefix
 * of 1, 2 and 3 letters of each lexeme of weight A (the names) of their search column, as
 * x.prefix beside the row. */
#define NAME_PREFIXES(rows) \
  "LATERAL (SELECT DISTINCT left (l.lexeme, k.n)" \
  "           FROM unnest (ts_filter (" rows ".search, '{a}')) l, (VALUES (1), (2), (3)) k (n)" \
  "          WHERE k.n <= length (l.lexeme)) x (prefix)"
/* What step 20's rows of a patient are made of, for the patients of @rows. */
#define NAME_KEYS(rows) \
  "SELECT id, archived, sort_key, ts_filter (search, '{a}') AS search FROM " rows
/* Deletes step 20's rows of the patients of @rows, found by their whole key. */
#define REMOVE_NAME_PREFIXES(rows) \
  "DELETE FROM patient_name_prefixes d USING " rows " r, " NAME_PREFIXES ("r") \
  " WHERE d.prefix = x.prefix AND d.archived = r.archived AND d.sort_key = r.sort_key" \
  "   AND d.patient_id = r.id"

/* Entry 0 makes version FIRST_VERSION out of an empty database; each later entry N moves the
 * schema from FIRST_VERSION + N - 1 to FIRST_VERSION + N. Never edit a shipped entry: append
 * one. */
static const char * const migrations[] = {
  /* 8: the records layer's schema as of the file's version 8, in PostgreSQL's terms.
   *
   * Search: accents are folded as the file's tokenizer folds them (unicode61
   * remove_diacritics 2): canonical decomposition without the combining marks, in lower case.
   * `unaccent` would fold more (ł, ø and ß too), so that "mikoł" would find "Mikolaj" as
   * well, which the file does not; the letters Unicode does not decompose are found through
   * the records layer's search names instead, as in the file. The folding is IMMUTABLE SQL,
   * so that every word of the names, search names, phone, phone digits, date of birth and
   * email is a lexeme of a weighted tsvector (names A, search names B, phone and date of
   * birth C, email D), generated from the row, with a GIN index that answers prefix queries.
   * The words are split on whatever is not a letter or a digit, as the file's tokenizer
   * does, with no text-search parser in between. */
  "CREATE FUNCTION striae_fold (text) RETURNS text"
  "  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE"
  "  RETURN lower (regexp_replace (normalize ($1, NFD),"
  "    '[\\u0300-\\u036f\\u1ab0-\\u1aff\\u1dc0-\\u1dff'\n"
  "    '\\u20d0-\\u20ff\\ufe20-\\ufe2f]', '', 'g'));"
  "CREATE FUNCTION striae_words (text) RETURNS text[]"
  "  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE"
  "  RETURN array_remove (regexp_split_to_array (striae_fold ($1), '[^[:alnum:]]+'), '');"
  /* A lexeme with a position for each word, so that it carries its weight (a lexeme without
   * a position has none); the words hold letters and digits alone, which a tsvector's text
   * takes quoted as they are. */
  "CREATE FUNCTION striae_lexemes (text, text) RETURNS tsvector"
  "  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE"
  "  RETURN (SELECT coalesce (string_agg ('''' || w || ''':1' || $2, ' '), '')::tsvector"
  "            FROM unnest (striae_words ($1)) w);"
  "CREATE FUNCTION striae_query (text) RETURNS tsquery"
  "  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE"
  "  RETURN (SELECT coalesce (string_agg ('''' || w || ''':*', ' & '), '')::tsquery"
  "            FROM unnest (striae_words ($1)) w);"
  "CREATE FUNCTION striae_refuse () RETURNS trigger LANGUAGE plpgsql AS $$"
  "BEGIN"
  "  RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'P0001';"
  "END $$;"
  "CREATE FUNCTION striae_notify () RETURNS trigger LANGUAGE plpgsql AS $$"
  "BEGIN"
  "  PERFORM pg_notify ('" PG_CHANGES_CHANNEL "', TG_TABLE_NAME);"
  "  RETURN NULL;"
  "END $$;"
  /* A document that is not JSON (which Striae never writes) gives no status rather than an
   * error, as in the file. */
  "CREATE FUNCTION striae_json (text) RETURNS jsonb"
  "  LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$"
  "BEGIN"
  "  RETURN $1::jsonb;"
  "EXCEPTION WHEN others THEN"
  "  RETURN NULL;"
  "END $$;"

  "CREATE TABLE striae_schema (version integer NOT NULL);"
  "INSERT INTO striae_schema (version) VALUES (0);"

  "CREATE TABLE patients ("
  "  id           bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
  "  given_name   text NOT NULL,"
  "  family_name  text NOT NULL,"
  "  birth_date   text NOT NULL,"
  "  sex          text NOT NULL DEFAULT '',"
  "  phone        text NOT NULL DEFAULT '',"
  "  phone_digits text NOT NULL DEFAULT '',"
  "  email        text NOT NULL DEFAULT '',"
  "  language     text NOT NULL DEFAULT '',"
  "  notes        text NOT NULL DEFAULT '',"
  "  sort_key     text NOT NULL DEFAULT '',"
  "  search_names text NOT NULL DEFAULT '',"
  "  created      text NOT NULL,"
  "  updated      text NOT NULL,"
  "  record_id    text NOT NULL UNIQUE,"
  "  archived     boolean NOT NULL DEFAULT false,"
  "  search       tsvector GENERATED ALWAYS AS ("
  "    striae_lexemes (given_name || ' ' || family_name, 'A') ||"
  "    striae_lexemes (search_names, 'B') ||"
  "    striae_lexemes (phone || ' ' || phone_digits || ' ' || birth_date, 'C') ||"
  "    striae_lexemes (email, 'D')) STORED"
  ");"
  "CREATE INDEX patients_by_sort_key ON patients (archived, sort_key COLLATE \"C\", id);"
  "CREATE INDEX patients_search ON patients USING gin (search);"
  "CREATE INDEX patients_by_phone_digits ON patients (phone_digits text_pattern_ops);"

  "CREATE TABLE consultations ("
  "  id          bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
  "  patient_id  bigint NOT NULL REFERENCES patients (id) ON DELETE CASCADE,"
  "  created     text NOT NULL,"
  "  resume_page text NOT NULL DEFAULT ''"
  ");"
  "CREATE INDEX consultations_by_patient ON consultations (patient_id);"
  "CREATE TABLE consultation_revisions ("
  "  consultation_id bigint NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,"
  "  revision  integer NOT NULL CHECK (revision >= 1),"
  "  created   text NOT NULL,"
  "  updated   text NOT NULL,"
  "  signed_by text,"
  "  signed_at text,"
  "  data      text NOT NULL,"
  "  status    text GENERATED ALWAYS AS (striae_json (data) ->> 'status') STORED"
  "    CHECK (status IN ('draft', 'complete', 'signed')),"
  "  date      text NOT NULL GENERATED ALWAYS AS"
  "    (coalesce (striae_json (data) ->> 'date', '')) STORED,"
  "  PRIMARY KEY (consultation_id, revision)"
  ");"
  "CREATE INDEX consultation_revisions_drafts ON consultation_revisions (consultation_id)"
  "  WHERE status = 'draft';"
  /* A signed revision never changes. It goes only with its whole patient, on erasure: the
   * deletes that cascade from the patient's row find the patient (or the consultation)
   * already gone, which no other delete does. */
  "CREATE TRIGGER consultation_revisions_signed_update"
  "  BEFORE UPDATE ON consultation_revisions FOR EACH ROW"
  "  WHEN (old.status = 'signed' OR old.signed_at IS NOT NULL)"
  "  EXECUTE FUNCTION striae_refuse ('signed consultation');"
  "CREATE FUNCTION striae_refuse_signed_delete () RETURNS trigger LANGUAGE plpgsql AS $$"
  "BEGIN"
  "  IF (old.status = 'signed' OR old.signed_at IS NOT NULL) AND EXISTS ("
  "       SELECT 1 FROM consultations c JOIN patients p ON p.id = c.patient_id"
  "        WHERE c.id = old.consultation_id) THEN"
  "    RAISE EXCEPTION 'signed consultation' USING ERRCODE = 'P0001';"
  "  END IF;"
  "  RETURN old;"
  "END $$;"
  "CREATE TRIGGER consultation_revisions_signed_delete"
  "  BEFORE DELETE ON consultation_revisions FOR EACH ROW"
  "  EXECUTE FUNCTION striae_refuse_signed_delete ();"
  "CREATE FUNCTION striae_refuse_signed_consultation_delete () RETURNS trigger"
  "  LANGUAGE plpgsql AS $$"
  "BEGIN"
  "  IF EXISTS (SELECT 1 FROM consultation_revisions r"
  "              WHERE r.consultation_id = old.id"
  "                AND (r.status = 'signed' OR r.signed_at IS NOT NULL))"
  "     AND EXISTS (SELECT 1 FROM patients p WHERE p.id = old.patient_id) THEN"
  "    RAISE EXCEPTION 'signed consultation' USING ERRCODE = 'P0001';"
  "  END IF;"
  "  RETURN old;"
  "END $$;"
  "CREATE TRIGGER consultations_signed_delete"
  "  BEFORE DELETE ON consultations FOR EACH ROW"
  "  EXECUTE FUNCTION striae_refuse_signed_consultation_delete ();"
  "CREATE TRIGGER consultation_revisions_no_truncate BEFORE TRUNCATE ON consultation_revisions"
  "  EXECUTE FUNCTION striae_refuse ('signed consultations');"
  "CREATE TRIGGER consultations_no_truncate BEFORE TRUNCATE ON consultations"
  "  EXECUTE FUNCTION striae_refuse ('signed consultations');"

  /* The audit log names a patient only through their subject, a random token deleted with
   * them. */
  "CREATE TABLE audit_subjects ("
  "  patient_id bigint PRIMARY KEY REFERENCES patients (id) ON DELETE CASCADE,"
  "  subject    text NOT NULL UNIQUE"
  ");"
  /* The triggers that keep the records' own bookkeeping run as the schema's owner (with the
   * search path of its creation), so that Striae's roles need no right to write
   * `audit_subjects` or `audit_numbers` themselves. */
  "CREATE FUNCTION striae_add_audit_subject () RETURNS trigger LANGUAGE plpgsql"
  "  SECURITY DEFINER SET search_path FROM CURRENT AS $$"
  "BEGIN"
  "  INSERT INTO audit_subjects (patient_id, subject)"
  "    VALUES (new.id, replace (gen_random_uuid ()::text, '-', ''));"
  "  RETURN NULL;"
  "END $$;"
  "CREATE TRIGGER audit_subjects_insert AFTER INSERT ON patients FOR EACH ROW"
  "  EXECUTE FUNCTION striae_add_audit_subject ();"

  /* Rows are numbered and sealed by the records layer. No one may change or delete one; the
   * highest number ever given is kept beside them in `audit_numbers`, moved as the
   * transaction that appended commits (a sequence would move on for a transaction rolled
   * back, which the check would read as rows cut from the end). The trigger is deferred and
   * moves the number once, for the newest row, since a row updated again and again in one
   * transaction gets slower with each version it leaves. */
  "CREATE TABLE audit ("
  "  id              bigint PRIMARY KEY CHECK (id > 0),"
  "  at              text NOT NULL,"
  "  actor           text NOT NULL,"
  "  action          text NOT NULL,"
  "  subject         text,"
  "  consultation_id bigint,"
  "  detail          text NOT NULL DEFAULT '',"
  "  hash            text NOT NULL"
  ");"
  "CREATE INDEX audit_by_subject ON audit (subject) WHERE subject IS NOT NULL;"
  "CREATE TABLE audit_numbers (last_number bigint NOT NULL);"
  "INSERT INTO audit_numbers (last_number) VALUES (0);"
  "CREATE FUNCTION striae_audit_numbered () RETURNS trigger LANGUAGE plpgsql"
  "  SECURITY DEFINER SET search_path FROM CURRENT AS $$"
  "BEGIN"
  "  IF new.id >= (SELECT max (id) FROM audit) THEN"
  "    UPDATE audit_numbers SET last_number = greatest (last_number, new.id);"
  "  END IF;"
  "  RETURN NULL;"
  "END $$;"
  "CREATE CONSTRAINT TRIGGER audit_numbered AFTER INSERT ON audit"
  "  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW"
  "  EXECUTE FUNCTION striae_audit_numbered ();"
  "CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit FOR EACH ROW"
  "  EXECUTE FUNCTION striae_refuse ('the audit log is append-only');"
  "CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit"
  "  EXECUTE FUNCTION striae_refuse ('the audit log is append-only');"
  "CREATE FUNCTION striae_audit_numbers_forward () RETURNS trigger LANGUAGE plpgsql AS $$"
  "BEGIN"
  "  IF new.last_number < old.last_number THEN"
  "    RAISE EXCEPTION 'the audit numbers only go up' USING ERRCODE = 'P0001';"
  "  END IF;"
  "  RETURN new;"
  "END $$;"
  "CREATE TRIGGER audit_numbers_forward BEFORE UPDATE ON audit_numbers FOR EACH ROW"
  "  EXECUTE FUNCTION striae_audit_numbers_forward ();"
  "CREATE TRIGGER audit_numbers_kept BEFORE INSERT OR DELETE ON audit_numbers FOR EACH ROW"
  "  EXECUTE FUNCTION striae_refuse ('the audit numbers are kept');"
  "CREATE TRIGGER audit_numbers_no_truncate BEFORE TRUNCATE ON audit_numbers"
  "  EXECUTE FUNCTION striae_refuse ('the audit numbers are kept');"

  /* The audit key: on a server every PC seals with the same key, so it lives in the records,
   * made once with the schema; no one changes or removes it (see store_audit_find_key()). */
  "CREATE TABLE audit_key (key bytea NOT NULL CHECK (length (key) = 32));"
  "CREATE TRIGGER audit_key_kept BEFORE UPDATE OR DELETE ON audit_key FOR EACH ROW"
  "  EXECUTE FUNCTION striae_refuse ('the audit key is kept');"
  "CREATE TRIGGER audit_key_no_truncate BEFORE TRUNCATE ON audit_key"
  "  EXECUTE FUNCTION striae_refuse ('the audit key is kept');"
  "CREATE FUNCTION striae_audit_key_once () RETURNS trigger LANGUAGE plpgsql AS $$"
  "BEGIN"
  "  IF EXISTS (SELECT 1 FROM audit_key) THEN"
  "    RAISE EXCEPTION 'the audit key is kept' USING ERRCODE = 'P0001';"
  "  END IF;"
  "  RETURN new;"
  "END $$;"
  "CREATE TRIGGER audit_key_once BEFORE INSERT ON audit_key FOR EACH ROW"
  "  EXECUTE FUNCTION striae_audit_key_once ();"

  "CREATE TABLE settings ("
  "  key   text PRIMARY KEY,"
  "  value text NOT NULL"
  ");"

  /* Other PCs hear of every write to the records (poll_changes). */
  "CREATE TRIGGER patients_notify AFTER INSERT OR UPDATE OR DELETE ON patients"
  "  FOR EACH STATEMENT EXECUTE FUNCTION striae_notify ();"
  "CREATE TRIGGER consultations_notify AFTER INSERT OR UPDATE OR DELETE ON consultations"
  "  FOR EACH STATEMENT EXECUTE FUNCTION striae_notify ();"
  "CREATE TRIGGER consultation_revisions_notify"
  "  AFTER INSERT OR UPDATE OR DELETE ON consultation_revisions"
  "  FOR EACH STATEMENT EXECUTE FUNCTION striae_notify ();",

  /* 9, planned sessions: as in the file (striae-sqlite-schema.c), the dates of the sessions
   * a finished revision plans, written by the records layer with the revision and
   * back-filled by its C code after this step (the migration hooks). */
  "CREATE TABLE planned_sessions ("
  "  consultation_id bigint NOT NULL,"
  "  revision        integer NOT NULL,"
  "  date            text NOT NULL,"
  "  PRIMARY KEY (consultation_id, revision, date),"
  "  FOREIGN KEY (consultation_id, revision)"
  "    REFERENCES consultation_revisions (consultation_id, revision) ON DELETE CASCADE"
  ");"
  "CREATE INDEX planned_sessions_by_date ON planned_sessions (date COLLATE \"C\");",
  /* 10: the search's tiers, as in the file: the patients whose every word matches in their
   * names first, then with their search names, then with their phone number or date of
   * birth, then with their email address, each tier in the register's order. A tier is a
   * prefix query restricted to the weights of its columns (names A, search names B, phone
   * and date of birth C, email D), so that the server can walk the register's index and
   * stop at a page when a prefix matches many patients, instead of ranking every match. */
  "CREATE OR REPLACE FUNCTION striae_query (text, text) RETURNS tsquery"
  "  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE"
  "  RETURN (SELECT coalesce (string_agg ('''' || w || ''':*' || $2, ' & '), '')::tsquery"
  "            FROM unnest (striae_words ($1)) w);",
  /* 11: accounts. On a clinic server an account is a login role in its role's group
   * (striae-pg-roles.c), which the server checks itself; the records keep no account of
   * their own, and the version moves with the file's only to keep the series one. */
  "COMMENT ON TABLE striae_schema IS"
  "  'Striae''s records format; accounts are the server''s login roles';",
  /* 12, session records (issue 17), as in the file (striae-sqlite-schema.c): a session is a
   * number with revisions whose document is the truth; a signed revision never changes, and
   * goes only with its whole patient on erasure, as a consultation's does. The lot index
   * serves batch tracing. Written so that it may run again over its own tables. */
  "CREATE TABLE IF NOT EXISTS treatment_sessions ("
  "  id              bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
  "  consultation_id bigint NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,"
  "  patient_id      bigint NOT NULL REFERENCES patients (id) ON DELETE CASCADE,"
  "  created         text NOT NULL"
  ");"
  "CREATE INDEX IF NOT EXISTS treatment_sessions_by_consultation"
  "  ON treatment_sessions (consultation_id);"
  "CREATE INDEX IF NOT EXISTS treatment_sessions_by_patient ON treatment_sessions (patient_id);"
  "CREATE TABLE IF NOT EXISTS treatment_session_revisions ("
  "  session_id bigint NOT NULL REFERENCES treatment_sessions (id) ON DELETE CASCADE,"
  "  revision   integer NOT NULL CHECK (revision >= 1),"
  "  created    text NOT NULL,"
  "  updated    text NOT NULL,"
  "  signed_by  text,"
  "  signed_at  text,"
  "  data       text NOT NULL,"
  "  status     text GENERATED ALWAYS AS (striae_json (data) ->> 'status') STORED"
  "    CHECK (status IN ('draft', 'signed')),"
  "  date       text NOT NULL GENERATED ALWAYS AS"
  "    (coalesce (striae_json (data) ->> 'date', '')) STORED,"
  "  PRIMARY KEY (session_id, revision)"
  ");"
  "CREATE OR REPLACE FUNCTION striae_refuse_signed_session_delete () RETURNS trigger"
  "  LANGUAGE plpgsql AS $$"
  "BEGIN"
  "  IF (old.status = 'signed' OR old.signed_at IS NOT NULL) AND EXISTS ("
  "       SELECT 1 FROM treatment_sessions s JOIN patients p ON p.id = s.patient_id"
  "        WHERE s.id = old.session_id) THEN"
  "    RAISE EXCEPTION 'signed session' USING ERRCODE = 'P0001';"
  "  END IF;"
  "  RETURN old;"
  "END $$;"
  "DROP TRIGGER IF EXISTS treatment_session_revisions_signed_update"
  "  ON treatment_session_revisions;"
  "CREATE TRIGGER treatment_session_revisions_signed_update"
  "  BEFORE UPDATE ON treatment_session_revisions FOR EACH ROW"
  "  WHEN (old.status = 'signed' OR old.signed_at IS NOT NULL)"
  "  EXECUTE FUNCTION striae_refuse ('signed session');"
  "DROP TRIGGER IF EXISTS treatment_session_revisions_signed_delete"
  "  ON treatment_session_revisions;"
  "CREATE TRIGGER treatment_session_revisions_signed_delete"
  "  BEFORE DELETE ON treatment_session_revisions FOR EACH ROW"
  "  EXECUTE FUNCTION striae_refuse_signed_session_delete ();"
  "DROP TRIGGER IF EXISTS treatment_session_revisions_no_truncate"
  "  ON treatment_session_revisions;"
  "CREATE TRIGGER treatment_session_revisions_no_truncate"
  "  BEFORE TRUNCATE ON treatment_session_revisions"
  "  EXECUTE FUNCTION striae_refuse ('signed sessions');"
  "DROP TRIGGER IF EXISTS treatment_session_revisions_notify"
  "  ON treatment_session_revisions;"
  "CREATE TRIGGER treatment_session_revisions_notify"
  "  AFTER INSERT OR UPDATE OR DELETE ON treatment_session_revisions"
  "  FOR EACH STATEMENT EXECUTE FUNCTION striae_notify ();"
  "CREATE TABLE IF NOT EXISTS session_batches ("
  "  session_id bigint NOT NULL,"
  "  revision   integer NOT NULL,"
  "  position   integer NOT NULL,"
  "  product    text NOT NULL,"
  "  lot        text NOT NULL,"
  "  lot_key    text NOT NULL,"
  "  PRIMARY KEY (session_id, revision, position),"
  "  FOREIGN KEY (session_id, revision)"
  "    REFERENCES treatment_session_revisions (session_id, revision) ON DELETE CASCADE"
  ");"
  "CREATE INDEX IF NOT EXISTS session_batches_by_lot"
  "  ON session_batches (lot_key COLLATE \"C\");",
  /* 13, the schedule (issue 17), as in the file (striae-sqlite-schema.c): one row a
   * scheduled session, made by the records layer when a consultation is signed (back-filled
   * after this step), and the see-again dates of consultations not treated. Another PC's
   * change to the diary is notified like any other, for the day's list to refresh. */
  "CREATE TABLE IF NOT EXISTS scheduled_sessions ("
  "  id              bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
  "  consultation_id bigint NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,"
  "  patient_id      bigint NOT NULL REFERENCES patients (id) ON DELETE CASCADE,"
  "  number          integer NOT NULL CHECK (number >= 1),"
  "  course_length   integer NOT NULL CHECK (course_length >= 0),"
  "  maintenance     boolean NOT NULL DEFAULT false,"
  "  date            text NOT NULL,"
  "  time            integer CHECK (time BETWEEN 0 AND 1439),"
  "  planned_date    text NOT NULL,"
  "  status          text NOT NULL"
  "    CHECK (status IN ('planned', 'done', 'moved', 'missed', 'cancelled')),"
  "  treatment_session_id bigint REFERENCES treatment_sessions (id) ON DELETE SET NULL,"
  "  changed_by      text,"
  "  changed_at      text,"
  "  reason          text,"
  "  UNIQUE (consultation_id, maintenance, number)"
  ");"
  "CREATE INDEX IF NOT EXISTS scheduled_sessions_by_date"
  "  ON scheduled_sessions (date COLLATE \"C\");"
  "CREATE INDEX IF NOT EXISTS scheduled_sessions_by_patient"
  "  ON scheduled_sessions (patient_id);"
  "CREATE INDEX IF NOT EXISTS scheduled_sessions_maintenance_due"
  "  ON scheduled_sessions (date COLLATE \"C\")"
  "  WHERE maintenance AND status IN ('planned', 'moved');"
  "CREATE INDEX IF NOT EXISTS scheduled_sessions_missed"
  "  ON scheduled_sessions (date COLLATE \"C\") WHERE status = 'missed';"
  "DROP TRIGGER IF EXISTS scheduled_sessions_notify ON scheduled_sessions;"
  "CREATE TRIGGER scheduled_sessions_notify"
  "  AFTER INSERT OR UPDATE OR DELETE ON scheduled_sessions"
  "  FOR EACH STATEMENT EXECUTE FUNCTION striae_notify ();"
  "CREATE TABLE IF NOT EXISTS see_again ("
  "  consultation_id bigint PRIMARY KEY REFERENCES consultations (id) ON DELETE CASCADE,"
  "  patient_id      bigint NOT NULL REFERENCES patients (id) ON DELETE CASCADE,"
  "  date            text NOT NULL"
  ");"
  "CREATE INDEX IF NOT EXISTS see_again_by_date ON see_again (date COLLATE \"C\");",
  /* 14, photos (issue 18), as in the file (striae-sqlite-schema.c): the cleaned image and
   * its thumbnail as bytea (stored out of line by TOAST, so a list of records reads none of
   * them), and the patient's photo consent. Both go with the patient on erasure; another
   * PC's new photo is notified for its window to refresh. */
  "CREATE TABLE IF NOT EXISTS photos ("
  "  id              bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
  "  patient_id      bigint NOT NULL REFERENCES patients (id) ON DELETE CASCADE,"
  "  consultation_id bigint NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,"
  "  treatment_session_id bigint REFERENCES treatment_sessions (id) ON DELETE CASCADE,"
  "  site            text NOT NULL,"
  "  side            text NOT NULL,"
  "  moment          text NOT NULL CHECK (moment IN ('consultation', 'before', 'after')),"
  "  date            text NOT NULL,"
  "  width           integer NOT NULL CHECK (width > 0),"
  "  height          integer NOT NULL CHECK (height > 0),"
  "  sha256          text NOT NULL,"
  "  added           text NOT NULL,"
  "  added_by        text NOT NULL,"
  "  image           bytea NOT NULL,"
  "  thumbnail       bytea NOT NULL"
  ");"
  "CREATE INDEX IF NOT EXISTS photos_by_patient ON photos (patient_id, date COLLATE \"C\");"
  "CREATE INDEX IF NOT EXISTS photos_by_session ON photos (treatment_session_id)"
  "  WHERE treatment_session_id IS NOT NULL;"
  "CREATE INDEX IF NOT EXISTS photos_by_consultation ON photos (consultation_id);"
  "DROP TRIGGER IF EXISTS photos_notify ON photos;"
  "CREATE TRIGGER photos_notify AFTER INSERT OR DELETE ON photos"
  "  FOR EACH STATEMENT EXECUTE FUNCTION striae_notify ();"
  "CREATE TABLE IF NOT EXISTS photo_consents ("
  "  patient_id      bigint PRIMARY KEY REFERENCES patients (id) ON DELETE CASCADE,"
  "  scope           text NOT NULL CHECK (scope IN ('none', 'clinical', 'teaching')),"
  "  recorded        text NOT NULL,"
  "  recorded_by     text NOT NULL"
  ");",
  /* 15, the consent signed on the screen (issue 18), as in the file
   * (striae-sqlite-schema.c): a signature never changes (the trigger, and no role has
   * UPDATE); it goes with its revision, and with the patient on erasure. */
  "CREATE TABLE IF NOT EXISTS consent_signatures ("
  "  id              bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
  "  consultation_id bigint NOT NULL,"
  "  revision        integer NOT NULL,"
  "  patient_id      bigint NOT NULL REFERENCES patients (id) ON DELETE CASCADE,"
  "  signer          text NOT NULL CHECK (signer IN ('patient', 'guardian', 'practitioner')),"
  "  name            text NOT NULL CHECK (char_length (name) <= 200),"
  "  signed_at       text NOT NULL,"
  "  signed_by       text,"
  "  strokes         text NOT NULL CHECK (octet_length (strokes) <= 1048576),"
  "  consent_hash    text NOT NULL CHECK (char_length (consent_hash) = 64),"
  "  UNIQUE (consultation_id, revision, signer, consent_hash),"
  "  FOREIGN KEY (consultation_id, revision)"
  "    REFERENCES consultation_revisions (consultation_id, revision) ON DELETE CASCADE"
  ");"
  "CREATE INDEX IF NOT EXISTS consent_signatures_by_patient ON consent_signatures (patient_id);"
  "DROP TRIGGER IF EXISTS consent_signatures_unchanged ON consent_signatures;"
  "CREATE TRIGGER consent_signatures_unchanged"
  "  BEFORE UPDATE ON consent_signatures FOR EACH ROW"
  "  EXECUTE FUNCTION striae_refuse ('signed consent');"
  "DROP TRIGGER IF EXISTS consent_signatures_notify ON consent_signatures;"
  "CREATE TRIGGER consent_signatures_notify"
  "  AFTER INSERT OR DELETE ON consent_signatures"
  "  FOR EACH STATEMENT EXECUTE FUNCTION striae_notify ();",
  /* 16: nothing on a server. The file's step 16 turns the audit subjects' UNIQUE constraint
   * into a named index that its bulk insert sets aside (issue 15); the two engines keep one
   * version number. */
  "SELECT 1;",
  /* 17: the search column's lexemes in PL/pgSQL (issue 15). A function whose body is SQL's
   * RETURN (SELECT …) is not inlined: each statement that adds or changes a patient read its
   * stored body, planned it and set it up again for each of the column's four calls, about
   * 0.6 ms of the server's 1.4 ms for one patient's insert. PL/pgSQL keeps its plan for the
   * session. The body and so every lexeme stay as they were (the stored column is not made
   * again); the search path is the schema's, as the SQL body's names were bound to it. */
  "CREATE OR REPLACE FUNCTION striae_lexemes (text, text) RETURNS tsvector"
  "  LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE SET search_path FROM CURRENT AS $$"
  "BEGIN"
  "  RETURN (SELECT coalesce (string_agg ('''' || w || ''':1' || $2, ' '), '')::tsvector"
  "            FROM unnest (striae_words ($1)) w);"
  "END $$;",
  /* 18: the search column's lexemes as one expression (issue 15). Step 17's query ran
   * through the executor for each of the column's four calls, and its striae_words, an SQL
   * function that is not inlined (array_remove () takes NULLs), was read, planned and set
   * up again each time: about two thirds of the server's work for a patient's search
   * column. The same words are now each run of letters and digits of the folded text, the
   * runs of anything else becoming spaces, which a tsvector's text skips; each word is
   * quoted with its position and weight as before. So every lexeme stays as it was (the
   * stored column is not made again), which the tests compare on texts of every kind. */
  "CREATE OR REPLACE FUNCTION striae_lexemes (text, text) RETURNS tsvector"
  "  LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE SET search_path FROM CURRENT AS $$"
  "BEGIN"
  "  RETURN regexp_replace (regexp_replace (striae_fold ($1), '[^[:alnum:]]+', ' ', 'g'),"
  "                         '[[:alnum:]]+', E'''\\\\&'':1' || $2, 'g')::tsvector;"
  "END $$;",
  /* 19: a revision's document parsed once (issue 15). The status and the date were two
   * generated columns, each parsing the whole document again (striae_json), about 0.6 M
   * instructions of a signed consultation's insert; one parse saves about a third of the
   * insert's server time (83 of 251 microseconds of CPU, the bench's document). They become
   * plain columns that a trigger fills from one parse, before the row's checks, as the
   * generated columns were (DROP EXPRESSION keeps every stored value and rewrites nothing).
   * What a generated column refused stays refused: an INSERT that gives either column a
   * value, an UPDATE that sets one, with its error (SQLSTATE 428C9), and a COPY that gives
   * one (there with the same error, no longer COPY's own). The trigger's
   * name sorts before the signed revisions' own BEFORE UPDATE trigger, so that such an
   * UPDATE on a signed revision is refused for the column, as it was, before the rule. */
  "CREATE OR REPLACE FUNCTION striae_revision_columns () RETURNS trigger LANGUAGE plpgsql"
  "  SET search_path FROM CURRENT AS $$"
  "DECLARE"
  "  document jsonb;"
  "  named text;"
  "BEGIN"
  "  IF TG_OP = 'INSERT' THEN"
  "    named := CASE WHEN new.status IS NOT NULL THEN 'status'"
  "                  WHEN new.date IS NOT NULL THEN 'date' END;"
  "    IF named IS NOT NULL THEN"
  "      RAISE EXCEPTION 'cannot insert a non-DEFAULT value into column \"%\"', named"
  "        USING ERRCODE = 'generated_always',"
  "              DETAIL = format ('Column \"%s\" is a generated column.', named);"
  "    END IF;"
  "  ELSE"
  "    named := CASE WHEN new.status IS DISTINCT FROM old.status THEN 'status'"
  "                  WHEN new.date IS DISTINCT FROM old.date THEN 'date' END;"
  "    IF named IS NOT NULL THEN"
  "      RAISE EXCEPTION 'column \"%\" can only be updated to DEFAULT', named"
  "        USING ERRCODE = 'generated_always',"
  "              DETAIL = format ('Column \"%s\" is a generated column.', named);"
  "    END IF;"
  "    IF new.data IS NOT DISTINCT FROM old.data THEN"
  "      RETURN new;"
  "    END IF;"
  "  END IF;"
  "  document := striae_json (new.data);"
  "  new.status := document ->> 'status';"
  "  new.date := coalesce (document ->> 'date', '');"
  "  RETURN new;"
  "END $$;"
  "ALTER TABLE consultation_revisions"
  "  ALTER COLUMN status DROP EXPRESSION IF EXISTS,"
  "  ALTER COLUMN date DROP EXPRESSION IF EXISTS;"
  "DROP TRIGGER IF EXISTS consultation_revisions_columns ON consultation_revisions;"
  "CREATE TRIGGER consultation_revisions_columns"
  "  BEFORE INSERT OR UPDATE ON consultation_revisions FOR EACH ROW"
  "  EXECUTE FUNCTION striae_revision_columns ();"
  "ALTER TABLE treatment_session_revisions"
  "  ALTER COLUMN status DROP EXPRESSION IF EXISTS,"
  "  ALTER COLUMN date DROP EXPRESSION IF EXISTS;"
  "DROP TRIGGER IF EXISTS treatment_session_revisions_columns"
  "  ON treatment_session_revisions;"
  "CREATE TRIGGER treatment_session_revisions_columns"
  "  BEFORE INSERT OR UPDATE ON treatment_session_revisions FOR EACH ROW"
  "  EXECUTE FUNCTION striae_revision_columns ();",
  /* 20: the patient list's first page of a search in the register's order from an index
   * (issue 15). A prefix that many names share ("a", "ma") matched through the search
   * column's GIN index gives every patient it matches, unordered, to be sorted; walking the
   * register's index instead reads every patient until a page of matches is found, far when
   * they lie together away from its start. patient_name_prefixes holds, for each patient,
   * each distinct prefix of 1, 2 and 3 letters of the words of their names, with the
   * register's order beside it: the first tier's page is then a range of one index, in that
   * order, of patients nearly all of whom match (striae-pg-search.c). The words are the
   * search column's own lexemes of weight A (its names), so that the prefixes follow the
   * column's folding whatever it is, and a patient's rows are found again from their stored
   * column to delete them. The table is kept by statement triggers that run as the schema's
   * owner (Striae's roles only read it, as they read patients): a patient added, their names,
   * archive flag or order changed, or erased (no name stays behind: the erasure vacuums it
   * with the patients). Filled here for the patients already there, then indexed; written so
   * that it may run again over its own table. */
  "DROP TABLE IF EXISTS patient_name_prefixes;"
  "CREATE TABLE patient_name_prefixes ("
  "  prefix     text COLLATE \"C\" NOT NULL,"
  "  archived   boolean NOT NULL,"
  "  sort_key   text COLLATE \"C\" NOT NULL,"
  "  patient_id bigint NOT NULL"
  ");"
  "SET LOCAL maintenance_work_mem = '256MB';"
  "INSERT INTO patient_name_prefixes (prefix, archived, sort_key, patient_id)"
  "  SELECT x.prefix, r.archived, r.sort_key, r.id FROM patients r, " NAME_PREFIXES ("r") ";"
  "CREATE INDEX patient_name_prefixes_page ON patient_name_prefixes"
  "  (prefix, archived, sort_key, patient_id);"
  "ANALYZE patient_name_prefixes;"
  "CREATE OR REPLACE FUNCTION striae_add_name_prefixes () RETURNS trigger LANGUAGE plpgsql"
  "  SECURITY DEFINER SET search_path FROM CURRENT AS $$"
  "BEGIN"
  "  INSERT INTO patient_name_prefixes (prefix, archived, sort_key, patient_id)"
  "    SELECT x.prefix, r.archived, r.sort_key, r.id FROM added r, " NAME_PREFIXES ("r") ";"
  "  RETURN NULL;"
  "END $$;"
  "CREATE OR REPLACE FUNCTION striae_remove_name_prefixes () RETURNS trigger"
  "  LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$"
  "BEGIN"
  "  " REMOVE_NAME_PREFIXES ("removed") ";"
  "  RETURN NULL;"
  "END $$;"
  /* Only the patients whose names (their lexemes of weight A), archive flag or order
   * changed, as a set, so that a save of a patient's contact details moves nothing. */
  "CREATE OR REPLACE FUNCTION striae_change_name_prefixes () RETURNS trigger"
  "  LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$"
  "BEGIN"
  "  " REMOVE_NAME_PREFIXES ("(" NAME_KEYS ("old_patients") " EXCEPT "
                            NAME_KEYS ("new_patients") ")") ";"
  "  INSERT INTO patient_name_prefixes (prefix, archived, sort_key, patient_id)"
  "    SELECT x.prefix, r.archived, r.sort_key, r.id"
  "      FROM (" NAME_KEYS ("new_patients") " EXCEPT " NAME_KEYS ("old_patients") ") r, "
  NAME_PREFIXES ("r") ";"
  "  RETURN NULL;"
  "END $$;"
  "DROP TRIGGER IF EXISTS patient_name_prefixes_insert ON patients;"
  "DROP TRIGGER IF EXISTS patient_name_prefixes_update ON patients;"
  "DROP TRIGGER IF EXISTS patient_name_prefixes_delete ON patients;"
  "CREATE TRIGGER patient_name_prefixes_insert AFTER INSERT ON patients"
  "  REFERENCING NEW TABLE AS added"
  "  FOR EACH STATEMENT EXECUTE FUNCTION striae_add_name_prefixes ();"
  "CREATE TRIGGER patient_name_prefixes_update AFTER UPDATE ON patients"
  "  REFERENCING OLD TABLE AS old_patients NEW TABLE AS new_patients"
  "  FOR EACH STATEMENT EXECUTE FUNCTION striae_change_name_prefixes ();"
  "CREATE TRIGGER patient_name_prefixes_delete AFTER DELETE ON patients"
  "  REFERENCING OLD TABLE AS removed"
  "  FOR EACH STATEMENT EXECUTE FUNCTION striae_remove_name_prefixes ();",
};

int
striae_pg_backend_get_latest_schema_version (void)
{
  return FIRST_VERSION + G_N_ELEMENTS (migrations) - 1;
}

/* The version of the records from the answers of PG_TABLES_SQL (@tables) and PG_VERSION_SQL
 * (@found, which fails without striae_schema: NULL then), 0 for a database with nothing in
 * it; a database that holds tables but not Striae's is refused. */
gboolean
pg_schema_version_from (StriaePgBackend  *self,
                        const PGresult   *tables,
                        const PGresult   *found,
                        int              *version,
                        GError          **error)
{
  *version = 0;
  if (g_str_equal (PQgetvalue (tables, 0, 1), "f"))
    {
      if (pg_int (tables, 0, 0) == 0)
        return TRUE;
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_A_DATABASE,
                   _("The database %s holds something other than Striae’s records. Give "
                     "the name of the clinic’s Striae database instead."), self->name);
      return FALSE;
    }

  g_assert (found != NULL);
  *version = (int) pg_int (found, 0, 0);

  /* Striae never wrote a version below the first of the server's. */
  if (*version > 0 && *version < FIRST_VERSION)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_A_DATABASE,
                   _("The database %s holds something other than Striae’s records. Give "
                     "the name of the clinic’s Striae database instead."), self->name);
      return FALSE;
    }
  return TRUE;
}

/* The version of the records, read under the migration's lock (pg_schema_version_from()). */
gboolean
pg_read_schema_version (StriaePgBackend  *self,
                        int              *version,
                        GError          **error)
{
  g_autoptr(PGresult) tables = NULL;
  g_autoptr(PGresult) found = NULL;

  *version = 0;
  if ((tables = pg_run (self, self->main.conn, PG_TABLES_SQL, 0, NULL, error)) == NULL)
    return FALSE;
  if (g_str_equal (PQgetvalue (tables, 0, 1), "t") &&
      (found = pg_run (self, self->main.conn, PG_VERSION_SQL, 0, NULL, error)) == NULL)
    return FALSE;
  return pg_schema_version_from (self, tables, found, version, error);
}

static char *
random_hex (gsize    size,
            GError **error)
{
  g_autofree guint8 *bytes = g_malloc (size);
  GString *text = g_string_new (NULL);
  gsize done = 0;

  while (done < size)
    {
      gssize n = getrandom (bytes + done, size - done, 0);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FAILED,
                       _("No random numbers for a new audit key: %s"),
                       g_strerror (saved_errno));
          return (char *) g_string_free (text, TRUE);
        }
      done += n;
    }

  for (gsize i = 0; i < size; i++)
    g_string_append_printf (text, "%02x", bytes[i]);
  return g_string_free (text, FALSE);
}

/* The database's id and its audit key, made with the schema. */
static gboolean
make_identity (StriaePgBackend  *self,
               GError          **error)
{
  g_autofree char *key = NULL;
  g_autofree char *id = NULL;
  const char *key_params[1];
  const char *id_params[1];

  if ((key = random_hex (32, error)) == NULL || (id = random_hex (16, error)) == NULL)
    return FALSE;
  key_params[0] = key;
  id_params[0] = id;

  return pg_exec (self, "INSERT INTO audit_key (key) VALUES (decode ($1, 'hex'))", 1,
                  key_params, error) &&
         pg_exec (self, "INSERT INTO settings (key, value) VALUES ('database-id', $1)", 1,
                  id_params, error);
}

static gboolean
run_step (StriaePgBackend                  *self,
          int                               next,
          const StriaeStoreMigrationHooks  *hooks,
          gpointer                          data,
          GError                          **error)
{
  g_autoptr(PGresult) result = PQexec (self->main.conn, migrations[next - FIRST_VERSION]);
  g_autofree char *version = NULL;
  const char *params[1];

  if (PQresultStatus (result) != PGRES_COMMAND_OK && PQresultStatus (result) != PGRES_TUPLES_OK)
    {
      pg_set_error (self, self->main.conn, result, error);
      return FALSE;
    }

  if (next == FIRST_VERSION && !make_identity (self, error))
    return FALSE;

  if (next > FIRST_VERSION && hooks->after_step != NULL &&
      !hooks->after_step (next, data, error))
    return FALSE;

  version = g_strdup_printf ("%d", next);
  params[0] = version;
  return pg_exec (self, "UPDATE striae_schema SET version = $1", 1, params, error);
}

/* The server's schema starts where the file's eighth version is, with the audit log keyed
 * from its first row; later steps run the records layer's C code after their statements
 * (@hooks' after_step), in the same transaction, with the lock held. */
gboolean
pg_migrate (StriaePgBackend                  *self,
            const StriaeStoreMigrationHooks  *hooks,
            gpointer                          data,
            GError                          **error)
{
  int latest = striae_pg_backend_get_latest_schema_version ();
  gboolean ok = TRUE;
  gboolean began = FALSE;

  pg_lock_main (self);

  while (ok && self->schema_version < latest)
    {
      int version = 0;
      int next;

      began = TRUE;
      ok = pg_exec (self, "BEGIN", 0, NULL, error) &&
           pg_exec (self, "SELECT pg_advisory_xact_lock (" PG_MIGRATE_LOCK ")", 0, NULL,
                    error) &&
           pg_read_schema_version (self, &version, error);
      if (!ok)
        break;

      /* Another PC may have migrated the records between our check and our lock. */
      if (version > latest)
        {
          g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_TOO_NEW,
                       _("The records on %s were written by a newer version of Striae. "
                         "Update Striae on this computer to open them."), self->name);
          ok = FALSE;
          break;
        }
      if (version >= latest)
        {
          self->schema_version = version;
          break;
        }

      next = version == 0 ? FIRST_VERSION : version + 1;
      ok = run_step (self, next, hooks, data, error) && pg_exec (self, "COMMIT", 0, NULL, error);
      if (!ok)
        {
          g_prefix_error (error, _("The records could not be upgraded to format %d: "), next);
          break;
        }
      g_debug ("Migrated %s to schema version %d", self->name, next);
      self->schema_version = next;
    }

  /* Records already of this version began nothing to end (the version read at open). */
  if (began)
    {
      g_autoptr(PGresult) result = NULL;

      striae_store_debug_round_trip ();
      result = PQexec (self->main.conn, "ROLLBACK");
    }
  g_mutex_unlock (&self->main.lock);
  return ok;
}
