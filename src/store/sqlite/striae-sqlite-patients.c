/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "striae-sqlite-private.h"

/* Patient rows: reading, archiving, updating and counting them. The records layer validates
 * the patient, computes the keys (StriaeStorePatientKeys), owns the transaction, audits the
 * change and says what went wrong. */

/* Binds the patient's fields and the records layer's keys to parameters 1 to 11 of a
 * statement: given name, family name, birth date, sex, phone, phone digits, email, language,
 * notes, sort key, search names. */
void
sqlite_bind_patient (sqlite3_stmt                 *stmt,
                     StriaePatient                *patient,
                     const StriaeStorePatientKeys *keys)
{
  sqlite3_bind_text (stmt, 1, striae_patient_get_given_name (patient), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, striae_patient_get_family_name (patient), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3,
                     striae_format_optional_iso_date (striae_patient_get_birth_date (patient)),
                     -1, g_free);
  sqlite3_bind_text (stmt, 4, striae_sex_to_string (striae_patient_get_sex (patient)), -1,
                     SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, striae_patient_get_phone (patient), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, keys->phone_digits, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, striae_patient_get_email (patient), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, striae_patient_get_language (patient), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 9, striae_patient_get_notes (patient), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 10, keys->sort_key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 11, keys->search_names, -1, SQLITE_TRANSIENT);
}

StriaePatient *
sqlite_patient_from_row (sqlite3_stmt *stmt)
{
  StriaePatient *patient = striae_patient_new ();
  g_autoptr(GDateTime) created = NULL;
  g_autoptr(GDateTime) updated = NULL;
  GDate birth_date;

#define COLUMN(i) ((const char *) sqlite3_column_text (stmt, i))
  striae_patient_set_id (patient, sqlite3_column_int64 (stmt, 0));
  striae_patient_set_given_name (patient, COLUMN (1));
  striae_patient_set_family_name (patient, COLUMN (2));
  /* Stored as YYYY-MM-DD; a row that holds anything else (only damage could) reads as
   * having no date of birth, which the patient form then asks for. */
  striae_parse_optional_iso_date (COLUMN (3), &birth_date, NULL);
  striae_patient_set_birth_date (patient, &birth_date);
  striae_patient_set_sex (patient, striae_sex_from_string (COLUMN (4)));
  striae_patient_set_phone (patient, COLUMN (5));
  striae_patient_set_email (patient, COLUMN (6));
  striae_patient_set_language (patient, COLUMN (7));
  striae_patient_set_notes (patient, COLUMN (8));
  created = striae_store_parse_timestamp (COLUMN (9));
  updated = striae_store_parse_timestamp (COLUMN (10));
#undef COLUMN

  striae_patient_set_created (patient, created);
  striae_patient_set_updated (patient, updated);

  return patient;
}

gboolean
sqlite_get_patient (StriaeSqliteBackend  *self,
                    gint64                id,
                    StriaePatient       **patient,
                    GError              **error)
{
  static const char sql[] = "SELECT " PATIENT_COLUMNS " FROM patients WHERE id = ?1";
  sqlite3_stmt *stmt;
  int rc;

  *patient = NULL;

  striae_store_mutex_lock (&self->main.lock);
  stmt = sqlite_prepare (&self->main, sql, error);
  if (stmt == NULL)
    {
      g_mutex_unlock (&self->main.lock);
      return FALSE;
    }

  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *patient = sqlite_patient_from_row (stmt);
  else if (rc != SQLITE_DONE)
    sqlite_set_error (error, self->path, self->main.db, rc);
  sqlite_statement_done (stmt);
  g_mutex_unlock (&self->main.lock);

  return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

gboolean
sqlite_get_patient_archived (StriaeSqliteBackend  *self,
                             gint64                id,
                             gboolean             *found,
                             gboolean             *archived,
                             GError              **error)
{
  static const char sql[] = "SELECT archived FROM patients WHERE id = ?1";
  sqlite3_stmt *stmt;
  int rc = SQLITE_ERROR;

  *found = FALSE;

  striae_store_mutex_lock (&self->main.lock);
  if ((stmt = sqlite_prepare (&self->main, sql, error)) != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, id);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          *found = TRUE;
          *archived = sqlite3_column_int (stmt, 0) != 0;
        }
      else if (rc != SQLITE_DONE)
        sqlite_set_error (error, self->path, self->main.db, rc);
      sqlite_statement_done (stmt);
    }
  g_mutex_unlock (&self->main.lock);

  return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

/* Inside the caller's transaction, whose lock the caller holds. */
gboolean
sqlite_set_patient_archived (StriaeSqliteBackend  *self,
                             gint64                id,
                             gboolean              archived,
                             gboolean             *found,
                             gboolean             *changed,
                             GError              **error)
{
  static const char sql[] =
    "UPDATE patients SET archived = ?2 WHERE id = ?1 AND archived != ?2";
  static const char exists_sql[] = "SELECT 1 FROM patients WHERE id = ?1";
  sqlite3_stmt *stmt;
  int rc;

  *found = FALSE;
  *changed = FALSE;

  if ((stmt = sqlite_prepare (&self->main, sql, error)) == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int (stmt, 2, archived ? 1 : 0);
  rc = sqlite3_step (stmt);
  sqlite_statement_done (stmt);
  if (rc != SQLITE_DONE)
    {
      sqlite_set_error (error, self->path, self->main.db, rc);
      return FALSE;
    }
  *changed = sqlite3_changes (self->main.db) > 0;
  if (*changed)
    {
      *found = TRUE;
      return TRUE;
    }

  if ((stmt = sqlite_prepare (&self->main, exists_sql, error)) == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  sqlite_statement_done (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      sqlite_set_error (error, self->path, self->main.db, rc);
      return FALSE;
    }
  *found = rc == SQLITE_ROW;

  return TRUE;
}

/* Inside the caller's transaction, whose lock the caller holds. */
gboolean
sqlite_update_patient (StriaeSqliteBackend            *self,
                       StriaePatient                  *patient,
                       const StriaeStorePatientKeys   *keys,
                       GDateTime                      *now,
                       gboolean                       *found,
                       GDateTime                     **created,
                       GError                        **error)
{
  static const char sql[] =
    "UPDATE patients SET given_name = ?1, family_name = ?2, birth_date = ?3, sex = ?4,"
    "  phone = ?5, phone_digits = ?6, email = ?7, language = ?8, notes = ?9, sort_key = ?10,"
    "  search_names = ?11, updated = ?12"
    "  WHERE id = ?13"
    "  RETURNING created";
  sqlite3_stmt *stmt;
  int rc;

  *found = FALSE;
  *created = NULL;

  stmt = sqlite_prepare (&self->main, sql, error);
  if (stmt == NULL)
    return FALSE;

  sqlite_bind_patient (stmt, patient, keys);
  sqlite3_bind_text (stmt, 12, striae_store_format_timestamp (now), -1, g_free);
  sqlite3_bind_int64 (stmt, 13, striae_patient_get_id (patient));

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *found = TRUE;
      *created = striae_store_parse_timestamp ((const char *) sqlite3_column_text (stmt, 0));
      rc = sqlite3_step (stmt);
    }

  if (rc != SQLITE_DONE)
    {
      sqlite_set_error (error, self->path, self->main.db, rc);
      g_clear_pointer (created, g_date_time_unref);
      *found = FALSE;
    }
  sqlite_statement_done (stmt);

  return rc == SQLITE_DONE;
}

static const char insert_sql[] =
  "INSERT INTO patients (given_name, family_name, birth_date, sex, phone, phone_digits, email,"
  "                      language, notes, sort_key, search_names, created, updated, record_id)"
  "  VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12, ?13)";

static gboolean
insert_patient (StriaeSqliteBackend           *self,
                StriaePatient                 *patient,
                const StriaeStorePatientKeys  *keys,
                const char                    *now,
                const char                    *record_id,
                gint64                        *id,
                GError                       **error)
{
  sqlite3_stmt *stmt = sqlite_prepare (&self->main, insert_sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite_bind_patient (stmt, patient, keys);
  sqlite3_bind_text (stmt, 12, now, -1, SQLITE_STATIC);
  if (record_id != NULL)
    sqlite3_bind_text (stmt, 13, record_id, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_text (stmt, 13, g_uuid_string_random (), -1, g_free);
  rc = sqlite3_step (stmt);
  sqlite_statement_done (stmt);

  if (rc != SQLITE_DONE)
    {
      sqlite_set_error (error, self->path, self->main.db, rc);
      return FALSE;
    }

  *id = sqlite3_last_insert_rowid (self->main.db);
  return TRUE;
}

/* A trigger that feeds another table for each new patient, and the statement that feeds it
 * for all the patients after ?1 at once. A bulk insert sets these triggers aside and runs the
 * statements after the move instead: each index then grows at its end in one pass instead of
 * taking a million inserts at random places interleaved with the others (issue 15). The
 * statements do what the triggers in striae-sqlite-schema.c do; a trigger of the table not
 * named here stays in place and fires for each row as before. */
typedef struct
{
  const char *trigger;
  gboolean    fts;      /* it feeds patients_fts */
  const char *feed_sql;
} BulkFeed;

static const BulkFeed bulk_feeds[] = {
  { "patients_fts_insert", TRUE,
    "INSERT INTO patients_fts (rowid, given_name, family_name, phone, phone_digits, email,"
    "                          birth_date, search_names)"
    "  SELECT id, given_name, family_name, phone, phone_digits, email, birth_date,"
    "         search_names"
    "    FROM patients WHERE id > ?1 ORDER BY id" },
  { "audit_subjects_insert", FALSE,
    "INSERT INTO audit_subjects (patient_id, subject)"
    "  SELECT id, lower (hex (randomblob (16))) FROM patients WHERE id > ?1 ORDER BY id" },
};

/* The schema objects of the patients table that a bulk insert drops and creates again. */
typedef struct
{
  GPtrArray *create_sql; /* of char *: the indexes' CREATE statements, then the triggers' */
  guint      n_indexes;
  gboolean   large;      /* the bulk is at least as large as the table was */
  gboolean   feeds[G_N_ELEMENTS (bulk_feeds)];
} SetAside;

static void
set_aside_clear (SetAside *aside)
{
  g_clear_pointer (&aside->create_sql, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SetAside, set_aside_clear)

static int
bulk_feed_index (const char *trigger)
{
  for (guint i = 0; i < G_N_ELEMENTS (bulk_feeds); i++)
    if (g_strcmp0 (trigger, bulk_feeds[i].trigger) == 0)
      return i;

  return -1;
}

/* Drops the triggers of bulk_feeds and, when @indexes, the indexes of the patients table and
 * of the audit subjects that one of those triggers feeds (not their primary keys), keeping
 * their CREATE statements as SQLite keeps them, so that the schema stays written in one
 * place. The audit log's indexes go too when @indexes: the records layer appends a row for
 * each new patient after this, so they come back at commit. */
static gboolean
set_aside_schema (StriaeSqliteBackend  *self,
                  gboolean              indexes,
                  SetAside             *aside,
                  GError              **error)
{
  static const char sql[] =
    "SELECT type, name, sql, tbl_name = 'audit' FROM sqlite_master"
    "  WHERE tbl_name IN ('patients', 'audit_subjects', 'audit')"
    "    AND type IN ('index', 'trigger')"
    "    AND sql IS NOT NULL"
    "  ORDER BY type = 'trigger', rowid";
  g_autoptr(GPtrArray) drop_sql = g_ptr_array_new_with_free_func (sqlite3_free);
  sqlite3_stmt *stmt;
  int rc;

  aside->create_sql = g_ptr_array_new_with_free_func (g_free);
  if ((stmt = sqlite_prepare (&self->main, sql, error)) == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *type = (const char *) sqlite3_column_text (stmt, 0);
      const char *name = (const char *) sqlite3_column_text (stmt, 1);
      const char *create = (const char *) sqlite3_column_text (stmt, 2);
      gboolean index = g_str_equal (type, "index");
      gboolean audit = sqlite3_column_int (stmt, 3);
      int feed = bulk_feed_index (name);

      if (index ? !indexes : feed < 0 || audit)
        continue;
      if (audit)
        g_ptr_array_add (self->deferred_indexes, g_strdup (create));
      else if (index)
        aside->n_indexes++;
      else
        aside->feeds[feed] = TRUE;
      if (!audit)
        g_ptr_array_add (aside->create_sql, g_strdup (create));
      g_ptr_array_add (drop_sql, sqlite3_mprintf ("DROP %s main.\"%w\"", type, name));
    }
  sqlite_statement_done (stmt);
  if (rc != SQLITE_DONE)
    {
      sqlite_set_error (error, self->path, self->main.db, rc);
      return FALSE;
    }

  for (guint i = 0; i < drop_sql->len; i++)
    if (!sqlite_exec (&self->main, g_ptr_array_index (drop_sql, i), error))
      return FALSE;

  return TRUE;
}

/* FTS5 merges its segments as it writes them (automerge): while a bulk fills most of the
 * index, those merges rewrite the new entries once for every level, and a million patients
 * make one level more than a hundred thousand (issue 15). A bulk at least as large as the table
 * therefore feeds the index with merging off and merges it into one segment at the end, which
 * is also the shape searches read fastest; the table's own settings come back afterwards. */
typedef struct
{
  const char *name;
  gint64      value;   /* while the bulk feeds the index */
  gint64      fallback; /* FTS5's default, when the table has no setting of its own */
} FtsSetting;

static const FtsSetting fts_bulk_settings[] = {
  { "automerge", 0, 4 },
  /* The most level-0 segments FTS5 allows before it must merge (its limit is 2000). */
  { "crisismerge", 1999, 16 },
};

static gboolean
set_fts_setting (StriaeSqliteBackend  *self,
                 const char           *name,
                 gint64                value,
                 GError              **error)
{
  static const char sql[] = "INSERT INTO patients_fts (patients_fts, rank) VALUES (?1, ?2)";
  sqlite3_stmt *stmt = sqlite_prepare (&self->main, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, value);
  rc = sqlite3_step (stmt);
  sqlite_statement_done (stmt);
  if (rc != SQLITE_DONE)
    {
      sqlite_set_error (error, self->path, self->main.db, rc);
      return FALSE;
    }

  return TRUE;
}

/* Sets fts_bulk_settings, keeping the table's own values in @saved. */
static gboolean
fts_merges_off (StriaeSqliteBackend  *self,
                gint64               *saved,
                GError              **error)
{
  static const char sql[] = "SELECT v FROM patients_fts_config WHERE k = ?1";

  for (guint i = 0; i < G_N_ELEMENTS (fts_bulk_settings); i++)
    {
      sqlite3_stmt *stmt = sqlite_prepare (&self->main, sql, error);
      int rc;

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, fts_bulk_settings[i].name, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      saved[i] = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0)
                                  : fts_bulk_settings[i].fallback;
      sqlite_statement_done (stmt);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        {
          sqlite_set_error (error, self->path, self->main.db, rc);
          return FALSE;
        }
      if (!set_fts_setting (self, fts_bulk_settings[i].name, fts_bulk_settings[i].value,
                            error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
fts_merge_all (StriaeSqliteBackend  *self,
               const gint64         *saved,
               GError              **error)
{
  if (!sqlite_exec (&self->main,
                    "INSERT INTO patients_fts (patients_fts) VALUES ('optimize')", error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (fts_bulk_settings); i++)
    if (!set_fts_setting (self, fts_bulk_settings[i].name, saved[i], error))
      return FALSE;

  return TRUE;
}

static gboolean
run_feed (StriaeSqliteBackend  *self,
          const BulkFeed       *feed,
          gint64                last_id,
          GError              **error)
{
  sqlite3_stmt *stmt = sqlite_prepare (&self->main, feed->feed_sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, last_id);
  rc = sqlite3_step (stmt);
  sqlite_statement_done (stmt);
  if (rc != SQLITE_DONE)
    {
      sqlite_set_error (error, self->path, self->main.db, rc);
      return FALSE;
    }

  return TRUE;
}

/* Feeds the tables of the triggers that were set aside with the patients after @last_id, in
 * id order (the full-text index of a large bulk as fts_merges_off() says), creates the
 * indexes again once their tables are full (SQLite sorts their keys first: the audit
 * subjects' random tokens would otherwise go into their index at random places), and
 * creates the triggers again. */
static gboolean
restore_schema (StriaeSqliteBackend  *self,
                SetAside             *aside,
                gint64                last_id,
                GError              **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (bulk_feeds); i++)
    {
      gboolean fts = bulk_feeds[i].fts && aside->large;
      gint64 saved[G_N_ELEMENTS (fts_bulk_settings)];

      if (!aside->feeds[i])
        continue;
      if ((fts && !fts_merges_off (self, saved, error)) ||
          !run_feed (self, &bulk_feeds[i], last_id, error))
        return FALSE;
      if (fts && !fts_merge_all (self, saved, error))
        return FALSE;
    }

  for (guint i = 0; i < aside->n_indexes; i++)
    if (!sqlite_exec (&self->main, g_ptr_array_index (aside->create_sql, i), error))
      return FALSE;

  for (guint i = aside->n_indexes; i < aside->create_sql->len; i++)
    if (!sqlite_exec (&self->main, g_ptr_array_index (aside->create_sql, i), error))
      return FALSE;

  return TRUE;
}

/* FTS5 writes its pending index data out at every statement boundary inside a transaction,
 * so indexing 100 000 patients one INSERT at a time leaves 100 000 tiny segments to merge
 * (9 s). A bulk insert therefore stages the rows in a temporary table and moves them with a
 * single INSERT … SELECT, with the feeding triggers set aside (see bulk_feeds) and, when the
 * bulk is at least as large as the table, its indexes too: creating an index again costs
 * about what the rows already there cost, and saves random inserts for each new row. All of
 * it runs in the caller's transaction, schema changes included, so that a failure anywhere
 * leaves the records and their schema as they were once the caller rolls back. */
static gboolean
insert_patients_staged (StriaeSqliteBackend           *self,
                        GPtrArray                     *patients,
                        StriaeStorePatientKeysFunc     keys_func,
                        gpointer                       keys_data,
                        const char                    *now,
                        gint64                        *ids,
                        GError                       **error)
{
  static const char stage_sql[] =
    "INSERT INTO temp.patients_staging (given_name, family_name, birth_date, sex, phone,"
    "                                   phone_digits, email, language, notes, sort_key,"
    "                                   search_names, record_id)"
    "  VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
  static const char move_sql[] =
    "INSERT INTO patients (given_name, family_name, birth_date, sex, phone, phone_digits, email,"
    "                      language, notes, sort_key, search_names, created, updated,"
    "                      record_id)"
    "  SELECT given_name, family_name, birth_date, sex, phone, phone_digits, email, language,"
    "         notes, sort_key, search_names, ?1, ?1, record_id"
    "    FROM temp.patients_staging ORDER BY rowid";
  static const char new_ids_sql[] = "SELECT id FROM patients WHERE id > ?1 ORDER BY id";
  g_auto(SetAside) aside = { NULL, };
  sqlite3_stmt *stmt;
  gint64 last_id = 0;
  gint64 n_before = 0;
  guint n = 0;
  int rc;

  if (!sqlite_exec (&self->main,
                    "CREATE TEMP TABLE IF NOT EXISTS patients_staging ("
                    "  given_name, family_name, birth_date, sex, phone, phone_digits, email,"
                    "  language, notes, sort_key, search_names, record_id);"
                    "DELETE FROM temp.patients_staging;", error) ||
      !sqlite_query_int (&self->main, "SELECT coalesce (max (id), 0) FROM patients",
                         &last_id, error) ||
      !sqlite_query_int (&self->main, "SELECT count(*) FROM patients", &n_before, error))
    return FALSE;

  if ((stmt = sqlite_prepare (&self->main, stage_sql, error)) == NULL)
    return FALSE;
  for (guint i = 0; i < patients->len; i++)
    {
      StriaePatient *patient = g_ptr_array_index (patients, i);
      g_auto(StriaeStorePatientKeys) keys = { NULL, };

      /* One row's keys at a time: SQLite copies them as they are bound. */
      keys_func (patient, &keys, keys_data);
      sqlite_bind_patient (stmt, patient, &keys);
      sqlite3_bind_text (stmt, 12, g_uuid_string_random (), -1, g_free);
      rc = sqlite3_step (stmt);
      sqlite_statement_done (stmt);
      if (rc != SQLITE_DONE)
        goto fail;
    }

  aside.large = patients->len >= n_before;
  if (!set_aside_schema (self, aside.large, &aside, error))
    return FALSE;

  if ((stmt = sqlite_prepare (&self->main, move_sql, error)) == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, now, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite_statement_done (stmt);
  if (rc != SQLITE_DONE)
    goto fail;

  if (!restore_schema (self, &aside, last_id, error))
    return FALSE;

  if ((stmt = sqlite_prepare (&self->main, new_ids_sql, error)) == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, last_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW && n < patients->len)
    ids[n++] = sqlite3_column_int64 (stmt, 0);
  sqlite_statement_done (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    goto fail;
  g_assert (n == patients->len);

  return sqlite_exec (&self->main, "DELETE FROM temp.patients_staging", error);

fail:
  sqlite_set_error (error, self->path, self->main.db, rc);
  return FALSE;
}

/* Inside the caller's transaction, whose lock the caller holds. A bulk insert gets a larger
 * page cache until the transaction ends (sqlite_backend_commit() and _rollback() put it back),
 * so that it does not spill pages to the write-ahead log before it commits. */
gboolean
sqlite_insert_patients (StriaeSqliteBackend           *self,
                        GPtrArray                     *patients,
                        StriaeStorePatientKeysFunc     keys_func,
                        gpointer                       keys_data,
                        const char * const            *record_ids,
                        GDateTime                     *now,
                        gint64                        *ids,
                        GError                       **error)
{
  g_autofree char *now_text = striae_store_format_timestamp (now);

  if (patients->len >= BULK_THRESHOLD && record_ids == NULL)
    {
      if (!self->bulk_cache)
        {
          sqlite3_exec (self->main.db, BULK_CACHE_PRAGMA, NULL, NULL, NULL);
          self->bulk_cache = TRUE;
        }
      return insert_patients_staged (self, patients, keys_func, keys_data, now_text, ids,
                                     error);
    }

  for (guint i = 0; i < patients->len; i++)
    {
      StriaePatient *patient = g_ptr_array_index (patients, i);
      g_auto(StriaeStorePatientKeys) keys = { NULL, };

      keys_func (patient, &keys, keys_data);
      if (!insert_patient (self, patient, &keys, now_text,
                           record_ids != NULL ? record_ids[i] : NULL, &ids[i], error))
        return FALSE;
    }

  return TRUE;
}

gint64
sqlite_count_patients (StriaeSqliteBackend  *self,
                       GError              **error)
{
  gint64 count = -1;

  striae_store_mutex_lock (&self->main.lock);
  if (!sqlite_query_int (&self->main, "SELECT count(*) FROM patients", &count, error))
    count = -1;
  g_mutex_unlock (&self->main.lock);

  return count;
}
