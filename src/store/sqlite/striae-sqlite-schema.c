/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "striae-sqlite-private.h"

/* The SQLite schema and its migrations: FTS5, the name folding columns, application_id and
 * user_version. */

/* Each entry moves the schema from version N to N + 1 and runs in its own transaction,
 * together with `PRAGMA user_version = N + 1`. Never edit a shipped entry: append one. */
static const char * const migrations[] = {
  /* 1: patients and their full-text index. The index is external-content: it stores only
   * tokens and reads the text back from `patients`. `phone_digits` holds the phone number
   * without separators so that "0612" finds "06 12 34 56 78"; `sort_key` holds the family and
   * given names case-folded and without accents, for listing in alphabetical order. */
  "CREATE TABLE patients ("
  "  id           INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  given_name   TEXT NOT NULL,"
  "  family_name  TEXT NOT NULL,"
  "  birth_date   TEXT NOT NULL,"
  "  sex          TEXT NOT NULL DEFAULT '',"
  "  phone        TEXT NOT NULL DEFAULT '',"
  "  phone_digits TEXT NOT NULL DEFAULT '',"
  "  email        TEXT NOT NULL DEFAULT '',"
  "  language     TEXT NOT NULL DEFAULT '',"
  "  notes        TEXT NOT NULL DEFAULT '',"
  "  sort_key     TEXT NOT NULL DEFAULT '',"
  "  created      TEXT NOT NULL,"
  "  updated      TEXT NOT NULL"
  ");"
  "CREATE INDEX patients_by_sort_key ON patients (sort_key);"
  "CREATE VIRTUAL TABLE patients_fts USING fts5 ("
  "  given_name, family_name, phone, phone_digits, email, birth_date,"
  "  content='patients', content_rowid='id',"
  "  tokenize='unicode61 remove_diacritics 2',"
  "  prefix='1 2 3'"
  ");"
  /* Names weigh most, then phone and date of birth, then the email address. */
  "INSERT INTO patients_fts (patients_fts, rank)"
  "  VALUES ('rank', 'bm25(10.0, 10.0, 2.0, 2.0, 1.0, 2.0)');"
  "CREATE TRIGGER patients_fts_insert AFTER INSERT ON patients BEGIN"
  "  INSERT INTO patients_fts (rowid, given_name, family_name, phone, phone_digits, email,"
  "                            birth_date)"
  "    VALUES (new.id, new.given_name, new.family_name, new.phone, new.phone_digits,"
  "            new.email, new.birth_date);"
  "END;"
  "CREATE TRIGGER patients_fts_delete AFTER DELETE ON patients BEGIN"
  "  INSERT INTO patients_fts (patients_fts, rowid, given_name, family_name, phone,"
  "                            phone_digits, email, birth_date)"
  "    VALUES ('delete', old.id, old.given_name, old.family_name, old.phone,"
  "            old.phone_digits, old.email, old.birth_date);"
  "END;"
  "CREATE TRIGGER patients_fts_update"
  "  AFTER UPDATE OF given_name, family_name, phone, phone_digits, email, birth_date"
  "  ON patients BEGIN"
  "  INSERT INTO patients_fts (patients_fts, rowid, given_name, family_name, phone,"
  "                            phone_digits, email, birth_date)"
  "    VALUES ('delete', old.id, old.given_name, old.family_name, old.phone,"
  "            old.phone_digits, old.email, old.birth_date);"
  "  INSERT INTO patients_fts (rowid, given_name, family_name, phone, phone_digits, email,"
  "                            birth_date)"
  "    VALUES (new.id, new.given_name, new.family_name, new.phone, new.phone_digits,"
  "            new.email, new.birth_date);"
  "END;",

  /* 2: consultations, the audit log and clinic settings.
   *
   * A consultation is a number (`consultations.id`) with one or more revisions; each
   * revision row holds the whole consultation as JSON (striae_consultation_to_json()) and,
   * for listing and checks, a few of its fields as columns. A signed revision is never
   * changed again (the triggers refuse it even to SQL typed by hand); a correction is a new
   * revision.
   *
   * The audit log names a patient only through `audit_subjects.subject`, a random token made
   * when the patient is added and deleted with them: erasing a patient leaves the log (and
   * its hash chain) whole, yet nothing in it leads back to the person any more. */
  "CREATE TABLE consultations ("
  "  id          INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  patient_id  INTEGER NOT NULL REFERENCES patients (id) ON DELETE CASCADE,"
  "  created     TEXT NOT NULL"
  ");"
  "CREATE INDEX consultations_by_patient ON consultations (patient_id);"
  "CREATE TABLE consultation_revisions ("
  "  consultation_id INTEGER NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,"
  "  revision     INTEGER NOT NULL CHECK (revision >= 1),"
  "  status       TEXT NOT NULL CHECK (status IN ('draft', 'complete', 'signed')),"
  "  date         TEXT NOT NULL DEFAULT '',"
  "  practitioner TEXT NOT NULL DEFAULT '',"
  "  rules_hash   TEXT NOT NULL DEFAULT '',"
  "  created      TEXT NOT NULL,"
  "  updated      TEXT NOT NULL,"
  "  signed_by    TEXT,"
  "  signed_at    TEXT,"
  "  data         TEXT NOT NULL,"
  "  PRIMARY KEY (consultation_id, revision)"
  ") WITHOUT ROWID;"
  "CREATE INDEX consultation_revisions_drafts ON consultation_revisions (consultation_id)"
  "  WHERE status = 'draft';"
  "CREATE TRIGGER consultation_revisions_signed_update"
  "  BEFORE UPDATE ON consultation_revisions WHEN old.status = 'signed' BEGIN"
  "  SELECT RAISE (ABORT, 'signed consultation');"
  "END;"
  "CREATE TABLE audit_subjects ("
  "  patient_id INTEGER PRIMARY KEY REFERENCES patients (id) ON DELETE CASCADE,"
  "  subject    TEXT NOT NULL UNIQUE"
  ");"
  "INSERT INTO audit_subjects (patient_id, subject)"
  "  SELECT id, lower (hex (randomblob (16))) FROM patients;"
  "CREATE TRIGGER audit_subjects_insert AFTER INSERT ON patients BEGIN"
  "  INSERT INTO audit_subjects (patient_id, subject)"
  "    VALUES (new.id, lower (hex (randomblob (16))));"
  "END;"
  "CREATE TABLE audit ("
  "  id              INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  at              TEXT NOT NULL,"
  "  actor           TEXT NOT NULL,"
  "  action          TEXT NOT NULL,"
  "  subject         TEXT,"
  "  consultation_id INTEGER,"
  "  detail          TEXT NOT NULL DEFAULT '',"
  "  hash            TEXT NOT NULL"
  ");"
  "CREATE INDEX audit_by_subject ON audit (subject) WHERE subject IS NOT NULL;"
  "CREATE TABLE settings ("
  "  key   TEXT PRIMARY KEY,"
  "  value TEXT NOT NULL"
  ") WITHOUT ROWID;",

  /* 3: the wizard page a consultation was left on, so that a draft reopens where the
   * practitioner stopped. Not part of the record: exports and revisions leave it out. */
  "ALTER TABLE consultations ADD COLUMN resume_page TEXT NOT NULL DEFAULT '';",

  /* 4: names findable without letters the keyboard may lack. The tokenizer strips accents
   * (é, ü, ś) but keeps letters that Unicode does not decompose, such as ł, ø and ß, so
   * "mikolaj" did not find "Mikołaj". `search_names` holds the ASCII spellings of just those
   * name words (see make_search_names()), computed in C like `sort_key`; the backfill calls
   * the same code through striae_search_names(), which exists only on Striae's own
   * connection and only for this statement (it is not part of the schema). The index is
   * made again with the new column, weighted a little below the names so that a name typed
   * exactly as stored still comes first. */
  "DROP TRIGGER patients_fts_insert;"
  "DROP TRIGGER patients_fts_delete;"
  "DROP TRIGGER patients_fts_update;"
  "DROP TABLE patients_fts;"
  "ALTER TABLE patients ADD COLUMN search_names TEXT NOT NULL DEFAULT '';"
  "UPDATE patients SET search_names = striae_search_names (given_name, family_name);"
  "CREATE VIRTUAL TABLE patients_fts USING fts5 ("
  "  given_name, family_name, phone, phone_digits, email, birth_date, search_names,"
  "  content='patients', content_rowid='id',"
  "  tokenize='unicode61 remove_diacritics 2',"
  "  prefix='1 2 3'"
  ");"
  "INSERT INTO patients_fts (patients_fts, rank)"
  "  VALUES ('rank', 'bm25(10.0, 10.0, 2.0, 2.0, 1.0, 2.0, 8.0)');"
  "CREATE TRIGGER patients_fts_insert AFTER INSERT ON patients BEGIN"
  "  INSERT INTO patients_fts (rowid, given_name, family_name, phone, phone_digits, email,"
  "                            birth_date, search_names)"
  "    VALUES (new.id, new.given_name, new.family_name, new.phone, new.phone_digits,"
  "            new.email, new.birth_date, new.search_names);"
  "END;"
  "CREATE TRIGGER patients_fts_delete AFTER DELETE ON patients BEGIN"
  "  INSERT INTO patients_fts (patients_fts, rowid, given_name, family_name, phone,"
  "                            phone_digits, email, birth_date, search_names)"
  "    VALUES ('delete', old.id, old.given_name, old.family_name, old.phone,"
  "            old.phone_digits, old.email, old.birth_date, old.search_names);"
  "END;"
  "CREATE TRIGGER patients_fts_update"
  "  AFTER UPDATE OF given_name, family_name, phone, phone_digits, email, birth_date,"
  "                  search_names"
  "  ON patients BEGIN"
  "  INSERT INTO patients_fts (patients_fts, rowid, given_name, family_name, phone,"
  "                            phone_digits, email, birth_date, search_names)"
  "    VALUES ('delete', old.id, old.given_name, old.family_name, old.phone,"
  "            old.phone_digits, old.email, old.birth_date, old.search_names);"
  "  INSERT INTO patients_fts (rowid, given_name, family_name, phone, phone_digits, email,"
  "                            birth_date, search_names)"
  "    VALUES (new.id, new.given_name, new.family_name, new.phone, new.phone_digits,"
  "            new.email, new.birth_date, new.search_names);"
  "END;"
  "INSERT INTO patients_fts (patients_fts) VALUES ('rebuild');",

  /* 5: the audit log is keyed (see striae-store-audit.c). The database gets a random id,
   * which names its audit key and head outside the database; store_audit_seal_log() then
   * checks the SHA-256 chain as it was and seals every row with a new key. */
  "INSERT OR REPLACE INTO settings (key, value)"
  "  VALUES ('database-id', lower (hex (randomblob (16))));",

  /* 6: a record id for each patient, a random UUID made when the patient is added. It
   * travels with their record through an export (docs/EXPORT-FORMAT.md), so that importing a
   * record that is already here, such as an import retried after it was interrupted, adds
   * nobody. Existing patients get one from striae_record_id (), which exists only on
   * Striae's own connection and only for this statement, like striae_search_names (). */
  "ALTER TABLE patients ADD COLUMN record_id TEXT NOT NULL DEFAULT '';"
  "UPDATE patients SET record_id = striae_record_id ();"
  "CREATE UNIQUE INDEX patients_by_record_id ON patients (record_id);",

  /* 7: archiving. An archived patient (`archived` = 1) is kept whole but left out of the
   * register's list and searches unless they are asked for (STRIAE_SEARCH_FLAGS_ARCHIVED);
   * the few archived ones are listed through their own partial index. */
  "ALTER TABLE patients ADD COLUMN archived INTEGER NOT NULL DEFAULT 0;"
  "CREATE INDEX patients_archived_by_sort_key ON patients (sort_key) WHERE archived = 1;",

  /* 8: one source of truth for a revision's facts. Status, date, practitioner and rules hash
   * were written both as columns and inside the document, and on reading the columns won.
   * Now the document is the truth: `status` (stored, for the drafts' index and the lock) and
   * `date` (for the order of the list) are generated from it, and practitioner and rules
   * hash, on which SQL never filters, live in the document alone. The table is made again,
   * since a column cannot become generated in place.
   *
   * Where an old row's columns and document disagree, the columns carry into the document,
   * as they won on reading: nothing a user saw changes. A row that agrees keeps its document
   * byte for byte. A document that is not JSON at all (which Striae never wrote) is kept as
   * it is; its signature still locks it. The consultation's keys (id, revision, patient)
   * stay the row's and are carried into the document too. */
  "CREATE TABLE consultation_revisions_8 ("
  "  consultation_id INTEGER NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,"
  "  revision     INTEGER NOT NULL CHECK (revision >= 1),"
  "  created      TEXT NOT NULL,"
  "  updated      TEXT NOT NULL,"
  "  signed_by    TEXT,"
  "  signed_at    TEXT,"
  "  data         TEXT NOT NULL,"
  "  status       TEXT GENERATED ALWAYS AS"
  "    (iif (json_valid (data), json_extract (data, '$.status'), NULL)) STORED"
  "    CHECK (status IN ('draft', 'complete', 'signed')),"
  "  date         TEXT NOT NULL GENERATED ALWAYS AS"
  "    (coalesce (iif (json_valid (data), json_extract (data, '$.date'), NULL), '')) VIRTUAL,"
  "  PRIMARY KEY (consultation_id, revision)"
  ") WITHOUT ROWID;"
  "INSERT INTO consultation_revisions_8 (consultation_id, revision, created, updated,"
  "                                      signed_by, signed_at, data)"
  "  SELECT r.consultation_id, r.revision, r.created, r.updated, r.signed_by, r.signed_at,"
  "    CASE"
  "      WHEN NOT json_valid (r.data) THEN r.data"
  "      WHEN json_extract (r.data, '$.status') IS r.status"
  "       AND coalesce (json_extract (r.data, '$.date'), '') IS r.date"
  "       AND coalesce (json_extract (r.data, '$.practitioner'), '') IS r.practitioner"
  "       AND coalesce (json_extract (r.data, '$.rules.hash'), '') IS r.rules_hash"
  "       AND json_extract (r.data, '$.id') IS r.consultation_id"
  "       AND json_extract (r.data, '$.revision') IS r.revision"
  "       AND json_extract (r.data, '$.\"patient-id\"') IS c.patient_id"
  "      THEN r.data"
  "      ELSE json_set (r.data, '$.id', r.consultation_id,"
  "                     '$.\"patient-id\"', coalesce (c.patient_id,"
  "                                        json_extract (r.data, '$.\"patient-id\"')),"
  "                     '$.revision', r.revision, '$.status', r.status, '$.date', r.date,"
  "                     '$.practitioner', r.practitioner, '$.rules.hash', r.rules_hash)"
  "    END"
  "  FROM consultation_revisions r LEFT JOIN consultations c ON c.id = r.consultation_id;"
  "DROP TABLE consultation_revisions;"
  "ALTER TABLE consultation_revisions_8 RENAME TO consultation_revisions;"
  "CREATE INDEX consultation_revisions_drafts ON consultation_revisions (consultation_id)"
  "  WHERE status = 'draft';"
  "CREATE TRIGGER consultation_revisions_signed_update"
  "  BEFORE UPDATE ON consultation_revisions"
  "  WHEN old.status = 'signed' OR old.signed_at IS NOT NULL BEGIN"
  "  SELECT RAISE (ABORT, 'signed consultation');"
  "END;",

  /* 9, planned sessions: the dates of the sessions a finished revision plans, one row a
   * date, so that the day's batch finds its consultations by date rather than by reading
   * every plan on file. The records layer computes the schedule and writes the rows with the
   * revision (striae_store_backend_set_planned_sessions()); its C code back-fills them for
   * the revisions already here (store_index_all_sessions(), run after this step). A
   * revision's dates go with it. */
  "CREATE TABLE planned_sessions ("
  "  consultation_id INTEGER NOT NULL,"
  "  revision        INTEGER NOT NULL,"
  "  date            TEXT NOT NULL,"
  "  PRIMARY KEY (consultation_id, revision, date),"
  "  FOREIGN KEY (consultation_id, revision)"
  "    REFERENCES consultation_revisions (consultation_id, revision) ON DELETE CASCADE"
  ") WITHOUT ROWID;"
  "CREATE INDEX planned_sessions_by_date ON planned_sessions (date);",
  /* 10: the register's order of the archived and the others in one index, which the patient
   * list walks a page at a time, its search too when a prefix matches many patients (see
   * striae-sqlite-search.c); it takes the place of the two it covers. And what a search
   * reads of each match to sort a few thousand of them (archived, sort key), in an index of
   * its own by id, a small fraction of the table's pages. */
  "CREATE INDEX IF NOT EXISTS patients_by_archived_sort_key ON patients (archived, sort_key);"
  "CREATE INDEX IF NOT EXISTS patients_list_keys ON patients (id, archived, sort_key);"
  "DROP INDEX IF EXISTS patients_by_sort_key;"
  "DROP INDEX IF EXISTS patients_archived_by_sort_key;",
  /* 11, accounts: who may sign in on this computer (striae-store-accounts.c has the rules).
   * A name is unique whatever its case; the password is kept only as crypto_pwhash_str()
   * wrote it (Argon2id, its salt and costs inside). The failed tries since the last
   * sign-in, and when the last of them was, give the wait before the next. */
  "CREATE TABLE IF NOT EXISTS accounts ("
  "  name          TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,"
  "  display_name  TEXT NOT NULL,"
  "  role          TEXT NOT NULL CHECK (role IN ('assistant', 'practitioner', 'admin')),"
  "  password_hash TEXT NOT NULL,"
  "  created       TEXT NOT NULL,"
  "  disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),"
  "  failures      INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),"
  "  last_failure  TEXT"
  ") WITHOUT ROWID;",
  /* 12, session records (issue 17): a session of a signed plan is a number with one or more
   * revisions, stored like a consultation's: the document in `data` is the truth, `status`
   * and `date` are generated from it, and a signed revision is never changed again (the
   * trigger refuses it even to SQL typed by hand); a correction is a new revision. A session
   * goes with its consultation and its patient. `session_batches` indexes the lot number of
   * each product a revision records, folded by the records layer into `lot_key`, so that a
   * manufacturer's advisory finds every patient who received a batch without reading every
   * record (striae_store_find_batch()). Written so that it may run again over its own tables
   * (a file set back to an older version keeps them). */
  "CREATE TABLE IF NOT EXISTS treatment_sessions ("
  "  id              INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  consultation_id INTEGER NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,"
  "  patient_id      INTEGER NOT NULL REFERENCES patients (id) ON DELETE CASCADE,"
  "  created         TEXT NOT NULL"
  ");"
  "CREATE INDEX IF NOT EXISTS treatment_sessions_by_consultation"
  "  ON treatment_sessions (consultation_id);"
  "CREATE INDEX IF NOT EXISTS treatment_sessions_by_patient ON treatment_sessions (patient_id);"
  "CREATE TABLE IF NOT EXISTS treatment_session_revisions ("
  "  session_id INTEGER NOT NULL REFERENCES treatment_sessions (id) ON DELETE CASCADE,"
  "  revision   INTEGER NOT NULL CHECK (revision >= 1),"
  "  created    TEXT NOT NULL,"
  "  updated    TEXT NOT NULL,"
  "  signed_by  TEXT,"
  "  signed_at  TEXT,"
  "  data       TEXT NOT NULL,"
  "  status     TEXT GENERATED ALWAYS AS"
  "    (iif (json_valid (data), json_extract (data, '$.status'), NULL)) STORED"
  "    CHECK (status IN ('draft', 'signed')),"
  "  date       TEXT NOT NULL GENERATED ALWAYS AS"
  "    (coalesce (iif (json_valid (data), json_extract (data, '$.date'), NULL), '')) VIRTUAL,"
  "  PRIMARY KEY (session_id, revision)"
  ") WITHOUT ROWID;"
  "CREATE TRIGGER IF NOT EXISTS treatment_session_revisions_signed_update"
  "  BEFORE UPDATE ON treatment_session_revisions"
  "  WHEN old.status = 'signed' OR old.signed_at IS NOT NULL BEGIN"
  "  SELECT RAISE (ABORT, 'signed session');"
  "END;"
  "CREATE TABLE IF NOT EXISTS session_batches ("
  "  session_id INTEGER NOT NULL,"
  "  revision   INTEGER NOT NULL,"
  "  position   INTEGER NOT NULL,"
  "  product    TEXT NOT NULL,"
  "  lot        TEXT NOT NULL,"
  "  lot_key    TEXT NOT NULL,"
  "  PRIMARY KEY (session_id, revision, position),"
  "  FOREIGN KEY (session_id, revision)"
  "    REFERENCES treatment_session_revisions (session_id, revision) ON DELETE CASCADE"
  ") WITHOUT ROWID;"
  "CREATE INDEX IF NOT EXISTS session_batches_by_lot ON session_batches (lot_key);",
  /* 13, the schedule (issue 17): one row a scheduled session of a signed consultation that
   * treats, made by the records layer from the plan when the consultation is signed (its C
   * code back-fills the consultations signed before, store_schedule_all(), run after this
   * step). The rows are the truth of the diary: a move, a miss or a cancellation changes
   * them, with who, when and why. `see_again` indexes the date a consultation signed as not
   * treated gives to see the patient again, for the recalls. Dates are YYYY-MM-DD, a time
   * minutes after midnight. Both go with their consultation and patient. */
  "CREATE TABLE IF NOT EXISTS scheduled_sessions ("
  "  id              INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  consultation_id INTEGER NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,"
  "  patient_id      INTEGER NOT NULL REFERENCES patients (id) ON DELETE CASCADE,"
  "  number          INTEGER NOT NULL CHECK (number >= 1),"
  "  course_length   INTEGER NOT NULL CHECK (course_length >= 0),"
  "  maintenance     INTEGER NOT NULL DEFAULT 0 CHECK (maintenance IN (0, 1)),"
  "  date            TEXT NOT NULL,"
  "  time            INTEGER CHECK (time BETWEEN 0 AND 1439),"
  "  planned_date    TEXT NOT NULL,"
  "  status          TEXT NOT NULL"
  "    CHECK (status IN ('planned', 'done', 'moved', 'missed', 'cancelled')),"
  "  treatment_session_id INTEGER REFERENCES treatment_sessions (id) ON DELETE SET NULL,"
  "  changed_by      TEXT,"
  "  changed_at      TEXT,"
  "  reason          TEXT,"
  "  UNIQUE (consultation_id, maintenance, number)"
  ");"
  "CREATE INDEX IF NOT EXISTS scheduled_sessions_by_date ON scheduled_sessions (date);"
  "CREATE INDEX IF NOT EXISTS scheduled_sessions_by_patient"
  "  ON scheduled_sessions (patient_id);"
  "CREATE INDEX IF NOT EXISTS scheduled_sessions_maintenance_due ON scheduled_sessions (date)"
  "  WHERE maintenance = 1 AND status IN ('planned', 'moved');"
  "CREATE INDEX IF NOT EXISTS scheduled_sessions_missed ON scheduled_sessions (date)"
  "  WHERE status = 'missed';"
  "CREATE TABLE IF NOT EXISTS see_again ("
  "  consultation_id INTEGER PRIMARY KEY REFERENCES consultations (id) ON DELETE CASCADE,"
  "  patient_id      INTEGER NOT NULL REFERENCES patients (id) ON DELETE CASCADE,"
  "  date            TEXT NOT NULL"
  ");"
  "CREATE INDEX IF NOT EXISTS see_again_by_date ON see_again (date);",
  /* 14, photos (issue 18): one row a photo of an area, at the consultation or at a session
   * (before or after treating), with its cleaned image (JPEG, or PNG with an alpha channel,
   * no metadata), its thumbnail and the SHA-256 of the image; site, side and moment are the
   * core's nicks, the date the consultation's or the session's (YYYY-MM-DD). The pixels go
   * with the patient (erasure, secure_delete) and with the session record or consultation.
   * `photo_consents` is the patient's photo consent: its scope ("none" once withdrawn), when
   * and by whom it was recorded. */
  "CREATE TABLE IF NOT EXISTS photos ("
  "  id              INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  patient_id      INTEGER NOT NULL REFERENCES patients (id) ON DELETE CASCADE,"
  "  consultation_id INTEGER NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,"
  "  treatment_session_id INTEGER REFERENCES treatment_sessions (id) ON DELETE CASCADE,"
  "  site            TEXT NOT NULL,"
  "  side            TEXT NOT NULL,"
  "  moment          TEXT NOT NULL CHECK (moment IN ('consultation', 'before', 'after')),"
  "  date            TEXT NOT NULL,"
  "  width           INTEGER NOT NULL CHECK (width > 0),"
  "  height          INTEGER NOT NULL CHECK (height > 0),"
  "  sha256          TEXT NOT NULL,"
  "  added           TEXT NOT NULL,"
  "  added_by        TEXT NOT NULL,"
  "  image           BLOB NOT NULL,"
  "  thumbnail       BLOB NOT NULL"
  ");"
  "CREATE INDEX IF NOT EXISTS photos_by_patient ON photos (patient_id, date);"
  "CREATE INDEX IF NOT EXISTS photos_by_session ON photos (treatment_session_id)"
  "  WHERE treatment_session_id IS NOT NULL;"
  "CREATE INDEX IF NOT EXISTS photos_by_consultation ON photos (consultation_id);"
  "CREATE TABLE IF NOT EXISTS photo_consents ("
  "  patient_id      INTEGER PRIMARY KEY REFERENCES patients (id) ON DELETE CASCADE,"
  "  scope           TEXT NOT NULL CHECK (scope IN ('none', 'clinical', 'teaching')),"
  "  recorded        TEXT NOT NULL,"
  "  recorded_by     TEXT NOT NULL"
  ");",
  /* 15, the consent signed on the screen (issue 18): one row a signature of a signed
   * revision's consent, by the patient, a guardian or the practitioner, with the signer's
   * name, when, who was signed in, the strokes (JSON, bounded, read strictly by the core)
   * and the SHA-256 of the consent's text as it was shown (striae_sheet_dup_content_hash()).
   * A signature never changes (the trigger refuses it even to SQL typed by hand); an
   * amendment that changes the consent's text needs a new one, which is a new row. It goes
   * with its revision, and so with the patient on erasure. */
  "CREATE TABLE IF NOT EXISTS consent_signatures ("
  "  id              INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  consultation_id INTEGER NOT NULL,"
  "  revision        INTEGER NOT NULL,"
  "  patient_id      INTEGER NOT NULL REFERENCES patients (id) ON DELETE CASCADE,"
  "  signer          TEXT NOT NULL CHECK (signer IN ('patient', 'guardian', 'practitioner')),"
  "  name            TEXT NOT NULL CHECK (length (name) <= 200),"
  "  signed_at       TEXT NOT NULL,"
  "  signed_by       TEXT,"
  "  strokes         TEXT NOT NULL CHECK (length (CAST (strokes AS BLOB)) <= 1048576),"
  "  consent_hash    TEXT NOT NULL CHECK (length (consent_hash) = 64),"
  "  UNIQUE (consultation_id, revision, signer, consent_hash),"
  "  FOREIGN KEY (consultation_id, revision)"
  "    REFERENCES consultation_revisions (consultation_id, revision) ON DELETE CASCADE"
  ");"
  "CREATE INDEX IF NOT EXISTS consent_signatures_by_patient ON consent_signatures (patient_id);"
  "CREATE TRIGGER IF NOT EXISTS consent_signatures_unchanged"
  "  BEFORE UPDATE ON consent_signatures BEGIN"
  "  SELECT RAISE (ABORT, 'signed consent');"
  "END;",
  /* 16, the audit subjects' uniqueness as a named index (issue 15): the UNIQUE constraint of
   * step 1 made an index SQLite cannot drop, so a bulk insert of a million patients put a
   * million random tokens into it one at a time; a named index is set aside and made again
   * from its sorted keys like the patients' own. The table is made again without the
   * constraint (SQLite cannot drop one), its rows copied in patient order; the trigger that
   * feeds it goes first, since a rename rewrites the triggers that name the table, and comes
   * back as step 1 made it. */
  "DROP TRIGGER audit_subjects_insert;"
  "ALTER TABLE audit_subjects RENAME TO audit_subjects_15;"
  "CREATE TABLE audit_subjects ("
  "  patient_id INTEGER PRIMARY KEY REFERENCES patients (id) ON DELETE CASCADE,"
  "  subject    TEXT NOT NULL"
  ");"
  "INSERT INTO audit_subjects (patient_id, subject)"
  "  SELECT patient_id, subject FROM audit_subjects_15 ORDER BY patient_id;"
  "DROP TABLE audit_subjects_15;"
  "CREATE UNIQUE INDEX audit_subjects_by_subject ON audit_subjects (subject);"
  "CREATE TRIGGER audit_subjects_insert AFTER INSERT ON patients BEGIN"
  "  INSERT INTO audit_subjects (patient_id, subject)"
  "    VALUES (new.id, lower (hex (randomblob (16))));"
  "END;",
  /* 17: nothing in a file. The server's step 17 keeps the plan of its search column's
   * function per session (issue 15); the two engines keep one version number. */
  "SELECT 1;",
  /* 18: nothing in a file. The server's step 18 computes its search column's lexemes as one
   * expression (issue 15); the two engines keep one version number. */
  "SELECT 1;",
  /* 19: nothing in a file. The server's step 19 fills a revision's status and date from one
   * parse of its document (issue 15); the two engines keep one version number. */
  "SELECT 1;",
  /* 20: nothing in a file. The server's step 20 keeps the prefixes of the patients' names
   * in the register's order for the patient list's searches (issue 15); the file's own
   * order is in memory (striae-sqlite-order.c). The two engines keep one version number. */
  "SELECT 1;",
};

int
striae_sqlite_backend_get_latest_schema_version (void)
{
  return G_N_ELEMENTS (migrations);
}

/* striae_search_names (given, family), for migration 4's backfill: the records layer's own
 * folding, so that old rows get what new rows get. */
static void
search_names_sql_function (sqlite3_context  *context,
                           int               argc,
                           sqlite3_value   **argv)
{
  const StriaeStoreMigrationHooks *hooks = sqlite3_user_data (context);
  const char *given = (const char *) sqlite3_value_text (argv[0]);
  const char *family = (const char *) sqlite3_value_text (argv[1]);

  sqlite3_result_text (context, hooks->search_names (given, family), -1, g_free);
}

/* striae_record_id (), for migration 6: a new record id on every call, so it is not
 * deterministic. */
static void
record_id_sql_function (sqlite3_context  *context,
                        int               argc,
                        sqlite3_value   **argv)
{
  sqlite3_result_text (context, g_uuid_string_random (), -1, g_free);
}

static gboolean
add_migration_functions (Connection                      *conn,
                         const StriaeStoreMigrationHooks *hooks,
                         GError                         **error)
{
  int rc;

  /* Migrations 4 and 6 fill new columns with the same C code as new rows get. DIRECTONLY
   * keeps the functions out of triggers and views, so the schema never depends on them. */
  rc = sqlite3_create_function_v2 (conn->db, "striae_search_names", 2,
                                   SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY,
                                   (void *) hooks, search_names_sql_function, NULL, NULL,
                                   NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_create_function_v2 (conn->db, "striae_record_id", 0,
                                     SQLITE_UTF8 | SQLITE_DIRECTONLY,
                                     NULL, record_id_sql_function, NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      sqlite_set_error (error, conn->path, conn->db, rc);
      return FALSE;
    }

  return TRUE;
}

gboolean
sqlite_migrate (StriaeSqliteBackend              *self,
                const StriaeStoreMigrationHooks  *hooks,
                gpointer                          data,
                GError                          **error)
{
  Connection *conn = &self->main;
  int latest = striae_sqlite_backend_get_latest_schema_version ();

  if (!add_migration_functions (conn, hooks, error))
    return FALSE;

  while (self->schema_version < latest)
    {
      g_autofree char *set_version = NULL;
      gint64 version = 0;
      int next;

      if (!sqlite_exec (conn, "BEGIN IMMEDIATE", error))
        return FALSE;

      /* Another Striae may have migrated the file between our check and our lock. */
      if (!sqlite_query_int (conn, "PRAGMA user_version", &version, error))
        goto fail;

      if (version > latest)
        {
          g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_TOO_NEW,
                       _("The database %s was written by a newer version of Striae. "
                         "Update Striae to open it."), self->path);
          goto fail;
        }

      if (version >= latest)
        {
          self->schema_version = version;
          sqlite_rollback (conn);
          break;
        }

      next = (int) version + 1;
      set_version = g_strdup_printf ("PRAGMA application_id = %d; PRAGMA user_version = %d;",
                                     STRIAE_SQLITE_APPLICATION_ID, next);

      if (!sqlite_exec (conn, migrations[next - 1], error) ||
          (hooks->after_step != NULL && !hooks->after_step (next, data, error)) ||
          !sqlite_exec (conn, set_version, error) ||
          !sqlite_exec (conn, "COMMIT", error))
        {
          g_prefix_error (error, _("The database could not be upgraded to format %d: "), next);
          goto fail;
        }

      g_debug ("Migrated %s to schema version %d", self->path, next);
      self->schema_version = next;
    }

  return TRUE;

fail:
  sqlite_rollback (conn);
  return FALSE;
}
