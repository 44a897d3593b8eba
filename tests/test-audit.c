/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/wait.h>

#include "striae-store.h"
#include "striae-test-cli.h"
#include "striae-test-files.h"
#include "striae-test-store.h"
#include "striae-test-date.h"

/* The audit log: what writes rows, and that its seals and the head kept outside the database
 * tell each kind of tampering apart. Tampering is done as someone holding only the database
 * file would: with a raw SQLite connection on a copy of the file, which is then opened with
 * the original's key folder. */

typedef struct
{
  char              *dir;
  char              *path;      /* the database */
  char              *keys;      /* its key folder */
  char              *saved_keys;
  StriaeAuditAnchor *anchor;
  StriaeStore       *store;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("striae-audit-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = striae_test_store_location (fixture->dir);
  fixture->keys = g_build_filename (fixture->dir, "keys", NULL);
  fixture->anchor = striae_audit_anchor_new_for_folder (fixture->keys);
  /* Stores opened the ordinary way (a restore opens its target so) use the same folder. */
  fixture->saved_keys = g_strdup (g_getenv ("STRIAE_AUDIT_KEY_DIR"));
  g_setenv ("STRIAE_AUDIT_KEY_DIR", fixture->keys, TRUE);
  fixture->store = striae_store_open_with_anchor (fixture->path, STRIAE_STORE_OPEN_FLAGS_NONE,
                                                  fixture->anchor, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->anchor);
  striae_test_store_remove (fixture->path);
  striae_test_remove_tree (fixture->dir);
  if (fixture->saved_keys != NULL)
    g_setenv ("STRIAE_AUDIT_KEY_DIR", fixture->saved_keys, TRUE);
  else
    g_unsetenv ("STRIAE_AUDIT_KEY_DIR");
  g_free (fixture->saved_keys);
  g_free (fixture->keys);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static void
run_sql (const char *location,
         const char *sql)
{
  striae_test_store_exec (location, sql);
}

static char *
sql_text (const char *location,
          const char *sql)
{
  return striae_test_store_query_text (location, sql);
}

/* The first column of every row, joined with commas. */
static char *
sql_joined (const char *location,
            const char *sql)
{
  g_autoptr(GPtrArray) values = striae_test_store_query_column (location, sql);

  g_ptr_array_add (values, NULL);
  return g_strjoinv (",", (char **) values->pdata);
}

/* Adds a patient, edits them, adds, signs and amends a consultation, then deletes another
 * patient: 9 audit rows. */
static gint64
make_history (StriaeStore *store)
{
  g_autoptr(StriaePatient) patient = striae_patient_new ();
  g_autoptr(StriaePatient) other = striae_patient_new ();
  g_autoptr(StriaeConsultation) consultation = striae_consultation_new ();
  g_autoptr(StriaeConsultation) amended = NULL;
  g_autoptr(GError) error = NULL;

  striae_patient_set_given_name (patient, "Léa");
  striae_patient_set_family_name (patient, "Garnier");
  striae_patient_set_birth_date (patient, striae_test_date ("1988-02-29"));
  g_assert_true (striae_store_add_patient (store, patient, &error));             /* 1 */
  striae_patient_set_phone (patient, "01 23 45 67 89");
  g_assert_true (striae_store_update_patient (store, patient, &error));          /* 2 */

  striae_consultation_set_patient_id (consultation, striae_patient_get_id (patient));
  g_assert_true (striae_store_save_consultation (store, consultation, NULL, &error)); /* 3 */
  striae_consultation_set_status (consultation, STRIAE_CONSULTATION_STATUS_COMPLETE);
  g_assert_true (striae_store_save_consultation (store, consultation, NULL, &error)); /* 4 */
  g_assert_true (striae_store_sign_consultation (store,
                                                 striae_consultation_get_id (consultation),
                                                 "Dr Roux", &error));            /* 5 */
  amended = striae_store_amend_consultation (store, striae_consultation_get_id (consultation),
                                             NULL, "Wrong area", &error);        /* 6 */
  g_assert_no_error (error);
  g_assert_true (striae_store_log_event (store, STRIAE_AUDIT_PRINT,
                                         striae_patient_get_id (patient),
                                         striae_consultation_get_id (consultation),
                                         "aftercare", &error));                  /* 7 */

  striae_patient_set_given_name (other, "Tom");
  striae_patient_set_family_name (other, "Weber");
  striae_patient_set_birth_date (other, striae_test_date ("1970-01-01"));
  g_assert_true (striae_store_add_patient (store, other, &error));               /* 8 */
  g_assert_true (striae_store_erase_patient (store, striae_patient_get_id (other),
                                             &error));                         /* 9 */
  g_assert_no_error (error);

  return striae_patient_get_id (patient);
}

static StriaeAuditReport *
check (StriaeStore *store)
{
  g_autoptr(GError) error = NULL;
  StriaeAuditReport *report = striae_store_check_audit (store, &error);

  g_assert_no_error (error);
  g_assert_nonnull (report);
  return report;
}

static void
assert_intact (StriaeStore *store,
               gint64       expected)
{
  g_autoptr(StriaeAuditReport) report = check (store);
  g_autoptr(GError) error = NULL;
  g_autofree char *described = striae_audit_report_describe_all (report);
  gint64 n = -1, bad = -1;

  if (!striae_audit_report_is_intact (report))
    g_error ("The audit log should be intact: %s", described);
  g_assert_cmpint (striae_audit_report_get_n_entries (report), ==, expected);

  g_assert_true (striae_store_verify_audit (store, &n, &bad, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, expected);
  g_assert_cmpint (bad, ==, 0);
}

static void
assert_sql (const char *path,
            const char *sql,
            const char *expected)
{
  g_autofree char *text = sql_text (path, sql);

  g_assert_cmpstr (text, ==, expected);
}

/* Exactly @damage was found (besides those in @also), first at @row. */
static void
assert_damage (StriaeAuditReport *report,
               StriaeAuditDamage  damage,
               gint64             row,
               guint              also)
{
  g_autofree char *described = striae_audit_report_describe_all (report);

  g_test_message ("%s", described);
  for (guint i = 0; i < STRIAE_AUDIT_N_DAMAGES; i++)
    {
      gboolean expected = i == damage || (also & (1u << i)) != 0;

      if (striae_audit_report_has (report, i) != expected)
        g_error ("Damage %u %s, in: %s", i, expected ? "not found" : "found too", described);
    }
  g_assert_cmpint (striae_audit_report_get_first_entry (report, damage), ==, row);
}

/* The database closed (which folds the write-ahead log into it) and copied for tampering. */
static char *
copy_database (Fixture    *fixture,
               const char *name)
{
  g_autofree char *copy = g_build_filename (fixture->dir, name, NULL);
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_clear_object (&fixture->store);
  g_assert_true (g_file_get_contents (fixture->path, &contents, &length, NULL));
  g_assert_true (g_file_set_contents_full (copy, contents, length,
                                           G_FILE_SET_CONTENTS_NONE, 0600, NULL));
  return g_steal_pointer (&copy);
}

static StriaeStore *
open_with_keys (Fixture    *fixture,
                const char *path)
{
  g_autoptr(GError) error = NULL;
  StriaeStore *store = striae_store_open_with_anchor (path, STRIAE_STORE_OPEN_FLAGS_NONE,
                                                      fixture->anchor, &error);

  g_assert_no_error (error);
  return store;
}

/* Resealing as someone without the key would */

/* The typed encoding of a value, written here again from the documentation of the seal
 * (README, "The audit log"): a tag (N, I, R, T, B), for all but N eight bytes big-endian
 * (the number, or the length), then the bytes. */
static void
encode_value (GByteArray   *out,
              sqlite3_stmt *stmt,
              int           column)
{
  int type = sqlite3_column_type (stmt, column);
  guint8 tag = type == SQLITE_INTEGER ? 'I' : type == SQLITE_TEXT ? 'T' :
               type == SQLITE_BLOB ? 'B' : type == SQLITE_FLOAT ? 'R' : 'N';
  const guint8 *bytes = sqlite3_column_blob (stmt, column);
  guint64 number = type == SQLITE_INTEGER ? (guint64) sqlite3_column_int64 (stmt, column)
                                          : (guint64) sqlite3_column_bytes (stmt, column);
  guint64 big_endian = GUINT64_TO_BE (number);

  g_byte_array_append (out, &tag, 1);
  if (tag == 'N')
    return;
  g_byte_array_append (out, (const guint8 *) &big_endian, sizeof big_endian);
  if (tag == 'T' || tag == 'B')
    g_byte_array_append (out, bytes, sqlite3_column_bytes (stmt, column));
}

static void
encode_text (GByteArray *out,
             const char *text)
{
  guint64 big_endian = GUINT64_TO_BE ((guint64) strlen (text));
  guint8 tag = 'T';

  g_byte_array_append (out, &tag, 1);
  g_byte_array_append (out, (const guint8 *) &big_endian, sizeof big_endian);
  g_byte_array_append (out, (const guint8 *) text, strlen (text));
}

typedef struct
{
  gint64      id;
  GByteArray *columns;   /* id, then the columns, typed */
  char      **text;      /* the same as text, for the plain SHA-256 chain; NULL for SQL NULL,
                          * so not a GStrv: seven entries, each freed */
  GByteArray *stored;    /* the stored seal, typed */
} RawRow;

static void
raw_row_clear (RawRow *row)
{
  g_byte_array_unref (row->columns);
  for (int column = 0; column < 7; column++)
    g_free (row->text[column]);
  g_free (row->text);
  g_byte_array_unref (row->stored);
}

static GArray *
read_raw_rows (sqlite3 *db)
{
  GArray *rows = g_array_new (FALSE, TRUE, sizeof (RawRow));
  sqlite3_stmt *stmt = NULL;

  g_array_set_clear_func (rows, (GDestroyNotify) raw_row_clear);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT id, at, actor, action, subject, "
                                       "consultation_id, detail, hash FROM audit ORDER BY id",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      RawRow row = { sqlite3_column_int64 (stmt, 0), g_byte_array_new (),
                     g_new0 (char *, 8), g_byte_array_new () };

      for (int column = 0; column < 7; column++)
        {
          encode_value (row.columns, stmt, column);
          row.text[column] = g_strdup ((const char *) sqlite3_column_text (stmt, column));
        }
      encode_value (row.stored, stmt, 7);
      g_array_append_val (rows, row);
    }
  sqlite3_finalize (stmt);
  return rows;
}

static void
write_seal (sqlite3    *db,
            gint64      id,
            const char *seal)
{
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "UPDATE audit SET hash = ?2 WHERE id = ?1", -1,
                                       &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, seal, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
}

/* Reseals every row from @first on with HMAC-SHA256 under @key, exactly as Striae seals, but
 * with a key that is not the database's. */
static void
reseal_with_key (const char   *path,
                 gint64        first,
                 const guint8 *key)
{
  static const char domain[] = "striae-audit-seal-1";
  g_autoptr(GArray) rows = NULL;
  g_autoptr(GByteArray) previous = g_byte_array_new ();
  guint8 null_tag = 'N';
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  rows = read_raw_rows (db);
  g_byte_array_append (previous, &null_tag, 1);

  for (guint i = 0; i < rows->len; i++)
    {
      RawRow *row = &g_array_index (rows, RawRow, i);
      g_autoptr(GHmac) hmac = NULL;
      g_autofree char *seal = NULL;

      if (row->id < first)
        {
          g_byte_array_set_size (previous, 0);
          g_byte_array_append (previous, row->stored->data, row->stored->len);
          continue;
        }

      hmac = g_hmac_new (G_CHECKSUM_SHA256, key, 32);
      g_hmac_update (hmac, (const guchar *) domain, sizeof domain);
      g_hmac_update (hmac, previous->data, previous->len);
      g_hmac_update (hmac, row->columns->data, row->columns->len);
      seal = g_strdup (g_hmac_get_string (hmac));
      write_seal (db, row->id, seal);

      g_byte_array_set_size (previous, 0);
      encode_text (previous, seal);
    }

  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

/* Rehashes the whole log as the chain before keys did: SHA-256 of the previous hash and the
 * row's fields as text, each followed by a NUL byte, which anyone can compute. */
static void
reseal_with_plain_sha256 (const char *path)
{
  g_autoptr(GArray) rows = NULL;
  g_autofree char *previous = g_strdup ("");
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  rows = read_raw_rows (db);

  for (guint i = 0; i < rows->len; i++)
    {
      RawRow *row = &g_array_index (rows, RawRow, i);
      g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
      const char *fields[] = {
        row->text[0], previous, row->text[1], row->text[2], row->text[3],
        row->text[4] ? row->text[4] : "", row->text[6], row->text[5] ? row->text[5] : "0",
      };

      for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
        g_checksum_update (checksum, (const guchar *) fields[f], strlen (fields[f]) + 1);
      g_free (previous);
      previous = g_strdup (g_checksum_get_string (checksum));
      write_seal (db, row->id, previous);
    }

  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

/* Tests */

static void
test_rows_written (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *actions = NULL;
  g_autofree char *actors = NULL;
  g_autofree char *names = NULL;
  g_autofree char *system_actor = g_strconcat ("system:", g_get_user_name (), NULL);
  g_autofree char *typed_actor = striae_test_store_actor ("Dr Vidal");
  g_autofree char *expected_actors = striae_test_backend_is ("postgresql")
                                     ? striae_test_store_actor ("Dr Roux")
                                     : g_strconcat ("Dr Roux,", system_actor, NULL);

  assert_intact (fixture->store, 0);
  make_history (fixture->store);
  assert_intact (fixture->store, 9);

  actions = sql_joined (fixture->path, "SELECT action FROM audit ORDER BY id");
  g_assert_cmpstr (actions, ==,
                   "create,update,create,update,sign,amend,print,create,erase");
  actors = sql_joined (fixture->path, "SELECT DISTINCT actor FROM audit ORDER BY actor");
  g_assert_cmpstr (actors, ==, expected_actors);

  /* Timestamps are UTC ISO 8601; no row holds a patient's name or number. */
  {
    g_autoptr(GPtrArray) times = striae_test_store_query_column (fixture->path,
                                                                 "SELECT at FROM audit");
    g_autoptr(GPtrArray) subjects = striae_test_store_query_column (fixture->path,
                                                                    "SELECT subject FROM audit"
                                                                    "  WHERE subject IS NOT NULL");

    g_assert_cmpuint (times->len, ==, 9);
    for (guint i = 0; i < times->len; i++)
      g_assert_true (g_regex_match_simple ("^[0-9]{4}-[0-9]{2}-[0-9]{2}T.*Z$",
                                           times->pdata[i], 0, 0));
    for (guint i = 0; i < subjects->len; i++)
      g_assert_false (g_regex_match_simple ("^[0-9]$", subjects->pdata[i], 0, 0));
  }
  names = sql_text (fixture->path, "SELECT count (*) FROM audit WHERE detail LIKE '%Garnier%'"
                                   " OR actor LIKE '%Garnier%'");
  g_assert_cmpstr (names, ==, "0");

  /* The practitioner the store is told about is named from then on; on a clinic server the
   * row names the login, whatever name is typed. */
  striae_store_set_user (fixture->store, "Dr Vidal");
  g_assert_true (striae_store_log_event (fixture->store, STRIAE_AUDIT_VIEW, 1, 1, NULL, NULL));
  g_free (actors);
  actors = sql_text (fixture->path, "SELECT actor FROM audit ORDER BY id DESC LIMIT 1");
  g_assert_cmpstr (actors, ==, typed_actor);
  assert_intact (fixture->store, 10);
}

static void
test_patient_change_and_audit_together (Fixture       *fixture,
                                        gconstpointer  data)
{
  g_autoptr(StriaePatient) patient = striae_patient_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *count = NULL;

  striae_patient_set_given_name (patient, "Léa");
  striae_patient_set_family_name (patient, "Garnier");
  striae_patient_set_birth_date (patient, striae_test_date ("1988-02-29"));
  g_assert_true (striae_store_add_patient (fixture->store, patient, &error));

  /* When the audit row cannot be written, the change is not made either, and the head
   * kept outside does not move. */
  if (striae_test_backend_is ("postgresql"))
    run_sql (fixture->path, "CREATE FUNCTION no_audit () RETURNS trigger LANGUAGE plpgsql AS"
                            "  $$ BEGIN RAISE EXCEPTION 'no'; END $$;"
                            "CREATE TRIGGER no_audit BEFORE INSERT ON audit FOR EACH ROW"
                            "  EXECUTE FUNCTION no_audit ()");
  else
    run_sql (fixture->path, "CREATE TRIGGER no_audit BEFORE INSERT ON audit BEGIN"
                            "  SELECT RAISE (ABORT, 'no'); END;");
  striae_patient_set_family_name (patient, "Changed");
  g_assert_false (striae_store_update_patient (fixture->store, patient, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_false (striae_store_erase_patient (fixture->store, striae_patient_get_id (patient),
                                               &error));
  g_clear_error (&error);
  run_sql (fixture->path, striae_test_backend_is ("postgresql")
                          ? "DROP TRIGGER no_audit ON audit" : "DROP TRIGGER no_audit");

  count = sql_text (fixture->path, "SELECT family_name FROM patients");
  g_assert_cmpstr (count, ==, "Garnier");
  assert_intact (fixture->store, 1);
}

typedef struct
{
  const char        *name;
  const char        *sql;
  StriaeAuditDamage  damage;
  gint64             row;
} Tampering;

static const Tampering tamperings[] = {
  { "edit-detail", "UPDATE audit SET detail = 'nothing' WHERE id = 5",
    STRIAE_AUDIT_DAMAGE_EDITED, 5 },
  { "edit-actor", "UPDATE audit SET actor = 'Dr Nobody' WHERE id = 3",
    STRIAE_AUDIT_DAMAGE_EDITED, 3 },
  { "edit-time", "UPDATE audit SET at = '2000-01-01T00:00:00.000000Z' WHERE id = 1",
    STRIAE_AUDIT_DAMAGE_EDITED, 1 },
  { "edit-last", "UPDATE audit SET action = 'view' WHERE id = 9",
    STRIAE_AUDIT_DAMAGE_EDITED, 9 },
  { "null-to-zero", "UPDATE audit SET consultation_id = 0 WHERE id = 1",
    STRIAE_AUDIT_DAMAGE_EDITED, 1 },
  { "text-to-blob", "UPDATE audit SET detail = CAST (detail AS BLOB) WHERE id = 2",
    STRIAE_AUDIT_DAMAGE_EDITED, 2 },
  { "seal-to-blob", "UPDATE audit SET hash = CAST (hash AS BLOB) WHERE id = 4",
    STRIAE_AUDIT_DAMAGE_EDITED, 4 },
  { "reseal-one", "UPDATE audit SET detail = 'x', hash = lower (hex (randomblob (32)))"
                  "  WHERE id = 4", STRIAE_AUDIT_DAMAGE_EDITED, 4 },
  { "delete-middle", "DELETE FROM audit WHERE id = 6", STRIAE_AUDIT_DAMAGE_REMOVED, 6 },
  { "delete-last", "DELETE FROM audit WHERE id = 9", STRIAE_AUDIT_DAMAGE_CUT, 9 },
  { "delete-last-and-sequence", "DELETE FROM audit WHERE id = 9;"
                                "UPDATE sqlite_sequence SET seq = 8 WHERE name = 'audit'",
    STRIAE_AUDIT_DAMAGE_CUT, 9 },
  { "delete-last-three", "DELETE FROM audit WHERE id >= 7;"
                         "UPDATE sqlite_sequence SET seq = 6 WHERE name = 'audit'",
    STRIAE_AUDIT_DAMAGE_CUT, 7 },
  { "delete-all", "DELETE FROM audit; DELETE FROM sqlite_sequence WHERE name = 'audit'",
    STRIAE_AUDIT_DAMAGE_EMPTIED, 1 },
  { "reorder", "UPDATE audit SET id = 100 WHERE id = 2;"
               "UPDATE audit SET id = 2 WHERE id = 3;"
               "UPDATE audit SET id = 3 WHERE id = 100", STRIAE_AUDIT_DAMAGE_REORDERED, 2 },
  { "move-to-end", "UPDATE audit SET id = 10 WHERE id = 4", STRIAE_AUDIT_DAMAGE_REORDERED, 4 },
  { "insert-at-end", "INSERT INTO audit (id, at, actor, action, detail, hash)"
                     "  VALUES (10, '2030-01-01T00:00:00.000000Z', 'Dr Roux', 'view', '',"
                     "          lower (hex (randomblob (32))))",
    STRIAE_AUDIT_DAMAGE_FORGED, 10 },
};

/* On a server, the tamperings a file cannot stop are refused by the server itself, whatever
 * SQL is typed, even as its superuser: no row of the log is changed or removed, and the
 * log stays whole. A row added by hand is not refused (a Striae role may append), but its
 * seal does not hold (with no head outside, it reads as edited). */
static void
test_server_refuses_tampering (Fixture       *fixture,
                               gconstpointer  data)
{
  static const char * const refused[] = {
    "UPDATE audit SET detail = 'nothing' WHERE id = 5",
    "UPDATE audit SET actor = 'Dr Nobody' WHERE id = 3",
    "UPDATE audit SET hash = md5 (hash) || md5 (hash) WHERE id = 4",
    "UPDATE audit SET id = 100 WHERE id = 2",
    "DELETE FROM audit WHERE id = 6",
    "DELETE FROM audit WHERE id = 9",
    "DELETE FROM audit",
    "TRUNCATE audit",
    "UPDATE audit_numbers SET last_number = 6",
    "DELETE FROM audit_key",
    "UPDATE audit_key SET key = key",
  };
  g_autoptr(StriaeAuditReport) report = NULL;
  g_autofree char *dump = NULL;
  g_autofree char *dump_after = NULL;

  make_history (fixture->store);
  assert_intact (fixture->store, 9);
  dump = striae_test_store_dump (fixture->path);

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    g_assert_cmpint (striae_test_store_try_exec (fixture->path, refused[i]), ==,
                     STRIAE_TEST_SQL_REFUSED);

  dump_after = striae_test_store_dump (fixture->path);
  g_assert_cmpstr (dump_after, ==, dump);
  assert_intact (fixture->store, 9);

  g_assert_cmpint (striae_test_store_try_exec (fixture->path,
                                               "INSERT INTO audit (id, at, actor, action,"
                                               "                   detail, hash)"
                                               "  VALUES (10, '2030-01-01T00:00:00.000000Z',"
                                               "          'Dr Roux', 'view', '',"
                                               "          md5 ('x') || md5 ('y'))"), ==,
                   STRIAE_TEST_SQL_DONE);
  report = check (fixture->store);
  assert_damage (report, STRIAE_AUDIT_DAMAGE_EDITED, 10, 0);
}

static void
test_tampering (Fixture       *fixture,
                gconstpointer  data)
{
  const Tampering *tampering = data;
  g_autofree char *copy = NULL;
  g_autoptr(StriaeStore) store = NULL;
  g_autoptr(StriaeAuditReport) report = NULL;
  g_autoptr(GError) error = NULL;
  gint64 bad = 0;

  make_history (fixture->store);
  assert_intact (fixture->store, 9);

  copy = copy_database (fixture, "copy.db");
  run_sql (copy, tampering->sql);
  store = open_with_keys (fixture, copy);
  report = check (store);
  assert_damage (report, tampering->damage, tampering->row, 0);

  /* The short form names the same row. */
  g_assert_false (striae_store_verify_audit (store, NULL, &bad, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_TAMPERED);
  g_assert_cmpint (bad, ==, tampering->row);
}

/* The chain rebuilt from scratch as the SHA-256 chain before keys: every row hashes right by
 * the old rule, which no longer proves anything. */
static void
test_forged_plain_sha256 (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *copy = NULL;
  g_autoptr(StriaeStore) store = NULL;
  g_autoptr(StriaeAuditReport) report = NULL;

  make_history (fixture->store);
  copy = copy_database (fixture, "copy.db");
  run_sql (copy, "UPDATE audit SET actor = 'Dr Nobody' WHERE id = 5");
  reseal_with_plain_sha256 (copy);

  store = open_with_keys (fixture, copy);
  report = check (store);
  assert_damage (report, STRIAE_AUDIT_DAMAGE_FORGED, 1, 0);
  g_assert_true (striae_audit_report_is_plain_sha256 (report));
}

/* An edit, and every seal from there on made again with HMAC-SHA256 the way Striae does,
 * but with a key of the forger's own. */
static void
test_forged_other_key (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *copy = NULL;
  g_autoptr(StriaeStore) store = NULL;
  g_autoptr(StriaeAuditReport) report = NULL;
  guint8 key[32];

  for (guint i = 0; i < sizeof key; i++)
    key[i] = g_random_int_range (0, 256);

  make_history (fixture->store);
  copy = copy_database (fixture, "copy.db");
  run_sql (copy, "UPDATE audit SET detail = 'changed' WHERE id = 3");
  reseal_with_key (copy, 3, key);

  store = open_with_keys (fixture, copy);
  report = check (store);
  assert_damage (report, STRIAE_AUDIT_DAMAGE_FORGED, 3, 0);
  g_assert_false (striae_audit_report_is_plain_sha256 (report));

  /* The same forger, cutting the last two rows and lowering the sequence: both show. */
  g_clear_object (&store);
  g_clear_object (&report);
  run_sql (copy, "DELETE FROM audit WHERE id >= 8;"
                 "UPDATE sqlite_sequence SET seq = 7 WHERE name = 'audit'");
  reseal_with_key (copy, 1, key);
  store = open_with_keys (fixture, copy);
  report = check (store);
  assert_damage (report, STRIAE_AUDIT_DAMAGE_FORGED, 1, 1u << STRIAE_AUDIT_DAMAGE_CUT);
  g_assert_cmpint (striae_audit_report_get_first_entry (report, STRIAE_AUDIT_DAMAGE_CUT), ==,
                   8);
}

/* Striae writing on after a cut, or after the log was emptied or resealed, does not make the
 * damage go away: the head kept outside remembers it. */
static void
test_writing_on_keeps_damage (Fixture       *fixture,
                              gconstpointer  data)
{
  static const struct {
    const char        *sql;
    StriaeAuditDamage  damage;
    gint64             row;
    gint64             entries;
  } cases[] = {
    { "DELETE FROM audit WHERE id = 9;"
      "UPDATE sqlite_sequence SET seq = 8 WHERE name = 'audit'",
      STRIAE_AUDIT_DAMAGE_CUT, 9, 10 },
    { "DELETE FROM audit; DELETE FROM sqlite_sequence WHERE name = 'audit'",
      STRIAE_AUDIT_DAMAGE_EMPTIED, 1, 2 },
    { "UPDATE audit SET hash = lower (hex (randomblob (32))) WHERE id = 9",
      STRIAE_AUDIT_DAMAGE_FORGED, 9, 11 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("live-%u.db", i);
      g_autofree char *copy = NULL;
      g_autoptr(StriaeStore) store = NULL;
      g_autoptr(StriaeAuditReport) report = NULL;
      g_autoptr(GError) error = NULL;

      if (fixture->store == NULL)
        fixture->store = open_with_keys (fixture, fixture->path);
      if (i == 0)
        make_history (fixture->store);
      copy = copy_database (fixture, name);
      run_sql (copy, cases[i].sql);

      store = open_with_keys (fixture, copy);
      for (guint k = 0; k < 2; k++)
        g_assert_true (striae_store_log_event (store, STRIAE_AUDIT_VIEW, 0, 0, "", &error));
      report = check (store);
      assert_damage (report, cases[i].damage, cases[i].row, 0);
      g_assert_cmpint (striae_audit_report_get_n_entries (report), ==, cases[i].entries);

      /* The copy wrote its own head over the original's: give it back. */
      g_clear_object (&store);
      striae_test_remove_tree (fixture->keys);
      g_unlink (fixture->path);
      fixture->store = open_with_keys (fixture, fixture->path);
      make_history (fixture->store);
    }
}

/* Without the head kept outside, the log cannot show a cut: it says so, and keeps saying so
 * once Striae writes a new head. */
static void
test_head_lost (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(StriaeAuditReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;

  make_history (fixture->store);
  dir = g_dir_open (fixture->keys, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".head"))
      {
        g_autofree char *path = g_build_filename (fixture->keys, name, NULL);

        g_assert_cmpint (g_unlink (path), ==, 0);
      }

  report = check (fixture->store);
  assert_damage (report, STRIAE_AUDIT_DAMAGE_NO_HEAD, 0, 0);
  g_clear_object (&report);

  g_assert_true (striae_store_log_event (fixture->store, STRIAE_AUDIT_VIEW, 0, 0, "", &error));
  report = check (fixture->store);
  assert_damage (report, STRIAE_AUDIT_DAMAGE_NO_HEAD, 10, 0);
}

/* Without its key (another account, or the key deleted), nothing of the log can be checked;
 * Striae seals what it writes from then on with a new key, and says from where. */
static void
test_key_lost (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(StriaeAuditReport) report = NULL;
  g_autoptr(GError) error = NULL;

  make_history (fixture->store);
  striae_test_remove_tree (fixture->keys);

  report = check (fixture->store);
  assert_damage (report, STRIAE_AUDIT_DAMAGE_UNCHECKABLE, 1, 0);
  g_assert_cmpint (striae_audit_report_get_last_entry (report,
                                                       STRIAE_AUDIT_DAMAGE_UNCHECKABLE), ==,
                   9);
  g_clear_object (&report);

  g_assert_true (striae_store_log_event (fixture->store, STRIAE_AUDIT_VIEW, 0, 0, "", &error));
  report = check (fixture->store);
  assert_damage (report, STRIAE_AUDIT_DAMAGE_UNCHECKABLE, 1, 0);
  g_assert_cmpint (striae_audit_report_get_last_entry (report,
                                                       STRIAE_AUDIT_DAMAGE_UNCHECKABLE), ==,
                   9);
  g_clear_object (&report);

  /* The new entries are sealed: an edit among them shows as such. */
  run_sql (fixture->path, "UPDATE audit SET detail = 'x' WHERE id = 10");
  report = check (fixture->store);
  assert_damage (report, STRIAE_AUDIT_DAMAGE_UNCHECKABLE, 1, 1u << STRIAE_AUDIT_DAMAGE_EDITED);
  g_assert_cmpint (striae_audit_report_get_first_entry (report, STRIAE_AUDIT_DAMAGE_EDITED),
                   ==, 10);
}

/* A database as schema 4 left it: the SHA-256 chain, no id, no key, and none of what later
 * migrations add (6: the patients' record ids; 8: the revisions' facts generated from their
 * documents, made again as the columns they were). */
static void
make_schema_4 (const char *path)
{
  reseal_with_plain_sha256 (path);
  run_sql (path, "DROP TABLE IF EXISTS planned_sessions;");
  run_sql (path, "CREATE TABLE revisions_2 ("
                 "  consultation_id INTEGER NOT NULL REFERENCES consultations (id)"
                 "    ON DELETE CASCADE,"
                 "  revision INTEGER NOT NULL CHECK (revision >= 1),"
                 "  status TEXT NOT NULL CHECK (status IN ('draft', 'complete', 'signed')),"
                 "  date TEXT NOT NULL DEFAULT '', practitioner TEXT NOT NULL DEFAULT '',"
                 "  rules_hash TEXT NOT NULL DEFAULT '', created TEXT NOT NULL,"
                 "  updated TEXT NOT NULL, signed_by TEXT, signed_at TEXT,"
                 "  data TEXT NOT NULL, PRIMARY KEY (consultation_id, revision)"
                 ") WITHOUT ROWID;"
                 "INSERT INTO revisions_2 SELECT consultation_id, revision, status, date,"
                 "  json_extract (data, '$.practitioner'), json_extract (data, '$.rules.hash'),"
                 "  created, updated, signed_by, signed_at, data FROM consultation_revisions;"
                 "DROP TABLE consultation_revisions;"
                 "ALTER TABLE revisions_2 RENAME TO consultation_revisions;"
                 "CREATE INDEX consultation_revisions_drafts"
                 "  ON consultation_revisions (consultation_id) WHERE status = 'draft';"
                 "CREATE TRIGGER consultation_revisions_signed_update"
                 "  BEFORE UPDATE ON consultation_revisions WHEN old.status = 'signed' BEGIN"
                 "  SELECT RAISE (ABORT, 'signed consultation');"
                 "END;");
  run_sql (path, "DELETE FROM settings WHERE key IN ('database-id', 'audit-key-place');"
                 "DROP INDEX patients_by_archived_sort_key;"
                 "DROP INDEX patients_list_keys;"
                 "CREATE INDEX patients_by_sort_key ON patients (sort_key);"
                 "ALTER TABLE patients DROP COLUMN archived;"
                 "DROP INDEX patients_by_record_id;"
                 "ALTER TABLE patients DROP COLUMN record_id;"
                 "PRAGMA user_version = 4;");
}

static void
test_migrate (Fixture       *fixture,
              gconstpointer  data)
{
  gboolean broken = GPOINTER_TO_INT (data);
  g_autofree char *old = NULL;
  g_autofree char *id_before = NULL;
  g_autofree char *id_after = NULL;
  g_autofree char *legacy = NULL;
  g_autoptr(StriaeStore) store = NULL;
  g_autoptr(StriaeAuditReport) report = NULL;

  make_history (fixture->store);
  old = copy_database (fixture, "old.db");
  id_before = sql_text (old, "SELECT value FROM settings WHERE key = 'database-id'");
  make_schema_4 (old);
  if (broken)
    run_sql (old, "UPDATE audit SET detail = 'changed before the upgrade' WHERE id = 3");
  legacy = sql_text (old, "SELECT hash FROM audit WHERE id = 9");

  store = open_with_keys (fixture, old);
  g_assert_cmpint (striae_store_get_schema_version (store), ==,
                   striae_store_get_latest_schema_version ());
  id_after = sql_text (old, "SELECT value FROM settings WHERE key = 'database-id'");
  g_assert_nonnull (id_after);
  g_assert_cmpstr (id_after, !=, id_before);

  /* Every row was sealed again, with the new key. */
  assert_sql (old, "SELECT count (*) FROM audit", "9");
  assert_sql (old, "SELECT id FROM audit WHERE length (hash) != 64", NULL);
  g_free (id_before);
  id_before = sql_text (old, "SELECT hash FROM audit WHERE id = 9");
  g_assert_cmpstr (id_before, !=, legacy);

  report = check (store);
  if (broken)
    assert_damage (report, STRIAE_AUDIT_DAMAGE_BROKEN_BEFORE_KEYING, 3, 0);
  else
    assert_intact (store, 9);
}

/* Backups carry the head, sealed; restoring over the database brings it back, and restoring
 * elsewhere makes a database of its own. */
static void
test_backup_restore (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *backup = g_build_filename (fixture->dir, "backup.striae", NULL);
  g_autofree char *cut = g_build_filename (fixture->dir, "cut.striae", NULL);
  g_autofree char *elsewhere = g_build_filename (fixture->dir, "elsewhere.db", NULL);
  g_autofree char *head = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(StriaeStore) restored = NULL;
  g_autoptr(StriaeAuditReport) report = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;

  make_history (fixture->store);
  g_assert_true (striae_store_backup (fixture->store, backup, NULL, &error));
  g_assert_no_error (error);
  head = sql_text (backup, "SELECT value FROM settings WHERE key = 'audit-head'");
  g_assert_nonnull (head);
  g_assert_nonnull (strstr (head, "LastEntry=9\n"));
  assert_sql (backup, "SELECT length (value) FROM settings WHERE key = 'audit-head-seal'",
              "64");
  assert_intact (fixture->store, 10);

  /* Restored elsewhere: its own id, intact, and the original too. */
  g_assert_true (striae_store_restore (backup, elsewhere, NULL, &error));
  g_assert_no_error (error);
  restored = open_with_keys (fixture, elsewhere);
  assert_intact (restored, 10);
  g_free (head);
  head = sql_text (fixture->path, "SELECT value FROM settings WHERE key = 'database-id'");
  g_free (contents);
  contents = sql_text (elsewhere, "SELECT value FROM settings WHERE key = 'database-id'");
  g_assert_cmpstr (contents, !=, head);
  g_clear_pointer (&contents, g_free);
  assert_sql (elsewhere, "SELECT value FROM settings WHERE key = 'audit-head'", NULL);
  assert_intact (fixture->store, 10);
  g_clear_object (&restored);

  /* Restored over the database: the log goes back to the backup's moment, and so does the
   * head, plus the restore's own entry. */
  g_assert_true (striae_store_restore (backup, fixture->path, NULL, &error));
  g_assert_no_error (error);
  assert_intact (fixture->store, 10);

  /* A backup cut short, with its sealed head left in, shows the cut once restored. */
  g_assert_true (g_file_get_contents (backup, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (cut, contents, length, NULL));
  run_sql (cut, "DELETE FROM audit WHERE id = 9;"
                "UPDATE sqlite_sequence SET seq = 8 WHERE name = 'audit'");
  g_assert_true (striae_store_restore (cut, fixture->path, NULL, &error));
  g_assert_no_error (error);
  report = check (fixture->store);
  assert_damage (report, STRIAE_AUDIT_DAMAGE_CUT, 9, 0);
}

/* With no Secret Service on the session bus, the key goes into a file in the user's
 * configuration folder, readable by its owner only, and never into the database. */
static void
test_key_file_fallback (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *saved_bus = g_strdup (g_getenv ("DBUS_SESSION_BUS_ADDRESS"));
  g_autofree char *folder = g_build_filename (g_get_user_config_dir (), "striae", NULL);
  g_autofree char *path = g_build_filename (fixture->dir, "default.db", NULL);
  g_autofree char *id = NULL;
  g_autofree char *key_path = NULL;
  g_autofree char *head_path = NULL;
  g_autofree char *key = NULL;
  g_autofree char *database = NULL;
  g_autoptr(StriaeStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gsize key_length = 0, database_length = 0;
  GStatBuf st;

  g_unsetenv ("STRIAE_AUDIT_KEY_DIR");
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/striae-test-bus", TRUE);

  store = striae_store_open (path, &error);
  g_assert_no_error (error);
  make_history (store);
  assert_intact (store, 9);
  g_clear_object (&store);

  id = sql_text (path, "SELECT value FROM settings WHERE key = 'database-id'");
  assert_sql (path, "SELECT value FROM settings WHERE key = 'audit-key-place'", "file");
  key_path = g_strdup_printf ("%s/audit-%s.key", folder, id);
  head_path = g_strdup_printf ("%s/audit-%s.head", folder, id);

  g_assert_cmpint (g_stat (folder, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_cmpint (g_stat (key_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (st.st_size, ==, 32);
  g_assert_cmpint (g_stat (head_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* The key's bytes appear nowhere in the database. */
  g_assert_true (g_file_get_contents (key_path, &key, &key_length, NULL));
  g_assert_true (g_file_get_contents (path, &database, &database_length, NULL));
  g_assert_null (memmem (database, database_length, key, key_length));

  /* Opened again, the key is found in its file. */
  store = striae_store_open (path, &error);
  g_assert_no_error (error);
  assert_intact (store, 9);

  if (saved_bus != NULL)
    g_setenv ("DBUS_SESSION_BUS_ADDRESS", saved_bus, TRUE);
  else
    g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
}

/* The command line: one sentence per kind found, each an error, exit 1; a short line and
 * exit 0 when intact. */
static int
run_verify (Fixture     *fixture,
            const char  *database,
            char       **out,
            char       **err)
{
  const char *args[] = { "--database", database, "--verify-audit", NULL };
  g_auto(GStrv) envp = g_get_environ ();

  envp = g_environ_setenv (envp, "STRIAE_AUDIT_KEY_DIR", fixture->keys, TRUE);
  return run_striae_env ((const char * const *) envp, NULL, args, out, err);
}

static void
test_command_line (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *copy = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) lines = NULL;

  if (g_getenv ("STRIAE_BUILD_ROOT") == NULL)
    {
      g_test_skip ("STRIAE_BUILD_ROOT is not set");
      return;
    }

  make_history (fixture->store);
  /* The command line works as an account (issue 16): the tenth entry starts accounts. */
  g_assert_true (striae_store_create_first_admin (fixture->store, STRIAE_TEST_ACCOUNT, NULL,
                                                  STRIAE_TEST_PASSWORD, NULL));
  copy = copy_database (fixture, "copy.db");

  /* The log is checked as it was found; the command's own sign-in comes after. */
  g_assert_cmpint (run_verify (fixture, copy, &out, &err), ==, 0);
  g_assert_cmpstr (out, ==, "Audit log intact: 10 entries\n");
  g_assert_cmpstr (err, ==, "");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_verify (fixture, copy, &out, &err), ==, 0);
  g_assert_cmpstr (out, ==, "Audit log intact: 11 entries\n");
  g_assert_cmpstr (err, ==, "");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  run_sql (copy, "UPDATE audit SET actor = 'nobody' WHERE id = 4;"
                 "DELETE FROM audit WHERE id = 6;"
                 "DELETE FROM audit WHERE id >= 10;"
                 "UPDATE sqlite_sequence SET seq = 9 WHERE name = 'audit'");
  g_assert_cmpint (run_verify (fixture, copy, &out, &err), ==, 1);
  g_assert_cmpstr (out, ==, "");
  lines = g_strsplit (g_strstrip (err), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  for (guint i = 0; lines[i] != NULL; i++)
    g_assert_true (g_str_has_prefix (lines[i], "striae: "));
  g_assert_true (strstr (lines[0], "edited") != NULL && strstr (lines[0], "entry 4 ") != NULL);
  g_assert_true (strstr (lines[1], "deleted") != NULL && strstr (lines[1], "entry 6 ") != NULL);
  g_assert_true (strstr (lines[2], "cut off") != NULL &&
                 strstr (lines[2], "entry 10 ") != NULL);
}

int
main (int   argc,
      char *argv[])
{
  /* The key-file test writes into the user's configuration folder: the test gets its own,
   * set before anything asks GLib for it (G_TEST_OPTION_ISOLATE_DIRS would do this too, but
   * GLib 2.74 leaks the names it replaces, which AddressSanitizer cannot tell from ours). */
  g_autofree char *config_home = g_dir_make_tmp ("striae-audit-config-XXXXXX", NULL);
  int status;

  g_assert_nonnull (config_home);
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, data, func) \
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)
  ADD ("/audit/rows", NULL, test_rows_written);
  ADD ("/audit/same-transaction", NULL, test_patient_change_and_audit_together);
  /* A file can be changed by whoever holds it: the check finds what was done to a copy, with
   * the key and head kept outside it. Forging reads and rewrites the rows with their SQLite
   * types; the migrations start from SQLite files of earlier schemas; backups are files. A
   * server refuses the same changes itself and keeps its key in the records, with no head
   * outside. */
  if (striae_test_backend_is ("sqlite"))
    {
      for (guint i = 0; i < G_N_ELEMENTS (tamperings); i++)
        {
          g_autofree char *path = g_strdup_printf ("/audit/tampering/%s",
                                                   tamperings[i].name);

          ADD (path, &tamperings[i], test_tampering);
        }
      ADD ("/audit/tampering/forged-plain-sha256", NULL, test_forged_plain_sha256);
      ADD ("/audit/tampering/forged-other-key", NULL, test_forged_other_key);
      ADD ("/audit/writing-on-keeps-damage", NULL, test_writing_on_keeps_damage);
      ADD ("/audit/head-lost", NULL, test_head_lost);
      ADD ("/audit/key-lost", NULL, test_key_lost);
      ADD ("/audit/migrate/intact", GINT_TO_POINTER (FALSE), test_migrate);
      ADD ("/audit/migrate/broken", GINT_TO_POINTER (TRUE), test_migrate);
      ADD ("/audit/backup-restore", NULL, test_backup_restore);
      ADD ("/audit/key-file-fallback", NULL, test_key_file_fallback);
      ADD ("/audit/command-line", NULL, test_command_line);
    }
  else
    ADD ("/audit/server-refuses-tampering", NULL, test_server_refuses_tampering);
#undef ADD

  status = g_test_run ();
  striae_test_remove_tree (config_home);
  return status;
}
