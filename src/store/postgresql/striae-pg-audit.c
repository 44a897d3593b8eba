/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "striae-pg-private.h"

/* The settings and the audit log on the server: the statements only. The records layer
 * numbers and seals the rows (striae-store-audit.c); the schema's triggers refuse any change
 * to them, and `audit_numbers` keeps the highest number ever given. */

#define SELF(backend) STRIAE_PG_BACKEND (backend)

/* Settings */

/* The database's id is made with the schema (make_identity()) and only a file's records ever
 * get another (a restore made a database of its own): on a server it is read once per
 * connection, as every write transaction asks for it (store_audit_find_key()). */
#define DATABASE_ID_KEY "database-id"

static gboolean
pg_get_setting (StriaeStoreBackend  *backend,
                const char          *key,
                char               **value,
                GError             **error)
{
  StriaePgBackend *self = SELF (backend);
  const char *params[] = { key };
  g_autoptr(PGresult) result = NULL;
  gboolean database_id = g_str_equal (key, DATABASE_ID_KEY);

  *value = NULL;
  if (database_id && self->database_id != NULL)
    {
      *value = g_strdup (self->database_id);
      return TRUE;
    }

  result = pg_run (self, self->main.conn, "SELECT value FROM settings WHERE key = $1", 1,
                   params, error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) > 0)
    *value = g_strdup (pg_value (result, 0, 0));
  if (database_id && *value != NULL)
    self->database_id = g_strdup (*value);
  return TRUE;
}

/* What the settings hold is the clinic's (its name, practitioners, sheets): the other PCs
 * hear of a change through the channel they listen on (poll_changes), when the transaction
 * commits. */
static gboolean
pg_set_setting (StriaeStoreBackend  *backend,
                const char          *key,
                const char          *value,
                GError             **error)
{
  StriaePgBackend *self = SELF (backend);
  const char *params[] = { key, value };

  if (g_str_equal (key, DATABASE_ID_KEY))
    g_clear_pointer (&self->database_id, g_free);

  if (value == NULL)
    return pg_exec (self,
                    "WITH deleted AS (DELETE FROM settings WHERE key = $1)"
                    "  SELECT pg_notify ('" PG_CHANGES_CHANNEL "', 'settings')", 1, params,
                    error);

  return pg_exec (self,
                  "WITH stored AS (INSERT INTO settings (key, value) VALUES ($1, $2)"
                  "                  ON CONFLICT (key) DO UPDATE SET value = excluded.value)"
                  "  SELECT pg_notify ('" PG_CHANGES_CHANNEL "', 'settings')", 2, params,
                  error);
}

/* Audit */

/* The columns of the log as text results: the consultation id is the one integer. */
static void
value_from_column (StriaeStoreValue *value,
                   const PGresult   *result,
                   int               row,
                   int               column,
                   gboolean          integer)
{
  memset (value, 0, sizeof *value);

  if (PQgetisnull (result, row, column))
    value->type = STRIAE_STORE_VALUE_NULL;
  else if (integer)
    {
      value->type = STRIAE_STORE_VALUE_INTEGER;
      value->integer = pg_int (result, row, column);
    }
  else
    {
      value->type = STRIAE_STORE_VALUE_TEXT;
      value->data = (const guint8 *) PQgetvalue (result, row, column);
      value->size = PQgetlength (result, row, column);
    }
}

/* A row of PG_AUDIT_TAIL_SQL. */
void
pg_audit_tail_from_row (const PGresult        *result,
                        StriaeStoreAuditTail  *tail)
{
  tail->last_number = MAX (pg_int (result, 0, 0), pg_int (result, 0, 1));
  tail->last_id = pg_int (result, 0, 1);
  value_from_column (&tail->last_seal, result, 0, 2, FALSE);
  tail->last_seal.data = tail->last_seal.data != NULL
                         ? g_memdup2 (tail->last_seal.data, tail->last_seal.size) : NULL;
  tail->seal_at = g_strdup (pg_value (result, 0, 3));
}

/* In a write transaction, the tail read as it began, moved on by its own rows, is the log's:
 * no one else appends while it holds the write lock. */
static gboolean
tail_from_transaction (StriaePgBackend       *self,
                       gint64                 at,
                       StriaeStoreAuditTail  *tail)
{
  const StriaeStoreValue *seal = &self->tail.last_seal;

  if (!self->in_transaction || !self->tail_known || (at != 0 && at != self->tail.last_id))
    return FALSE;

  tail->last_number = self->tail.last_number;
  tail->last_id = self->tail.last_id;
  tail->last_seal = *seal;
  tail->last_seal.data = seal->data != NULL ? g_memdup2 (seal->data, seal->size) : NULL;
  /* The seal of the newest row, when it was asked for and is a text (as every stored seal
   * is: the column is text). */
  tail->seal_at = at != 0 && seal->type == STRIAE_STORE_VALUE_TEXT
                  ? g_strndup ((const char *) seal->data, seal->size) : NULL;
  return TRUE;
}

static gboolean
pg_audit_get_tail (StriaeStoreBackend    *backend,
                   gint64                 at,
                   StriaeStoreAuditTail  *tail,
                   GError               **error)
{
  StriaePgBackend *self = SELF (backend);
  g_autofree char *at_text = pg_int_text (at);
  const char *params[] = { at_text };
  g_autoptr(PGresult) result = NULL;

  /* A transaction's tail is read as it begins. */
  if (self->in_transaction && self->begin_pending && !pg_flush (self, error))
    return FALSE;
  if (tail_from_transaction (self, at, tail))
    return TRUE;

  if ((result = pg_run (self, self->main.conn, PG_AUDIT_TAIL_SQL, 1, params, error)) == NULL)
    return FALSE;
  pg_audit_tail_from_row (result, tail);
  return TRUE;
}

/* Subjects read in a write transaction stay as they are until it ends: only a writer, who
 * waits for the write lock, adds or erases a patient. */
void
pg_audit_note_subject (StriaePgBackend *self,
                       gint64           patient_id,
                       const char      *subject)
{
  gint64 *key;

  if (!self->in_transaction)
    return;

  if (self->subjects == NULL)
    self->subjects = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  key = g_new (gint64, 1);
  *key = patient_id;
  g_hash_table_replace (self->subjects, key, g_strdup (subject));
}

/* The patient's subject changed or went in this transaction. */
void
pg_audit_forget_subject (StriaePgBackend *self,
                         gint64           patient_id)
{
  if (self->subjects != NULL)
    g_hash_table_remove (self->subjects, &patient_id);
}

static gboolean
pg_audit_get_subject (StriaeStoreBackend  *backend,
                      gint64               patient_id,
                      char               **subject,
                      GError             **error)
{
  StriaePgBackend *self = SELF (backend);
  g_autofree char *id_text = pg_int_text (patient_id);
  const char *params[] = { id_text };
  g_autoptr(PGresult) result = NULL;
  const char *known;

  if (self->in_transaction && self->subjects != NULL &&
      g_hash_table_lookup_extended (self->subjects, &patient_id, NULL, (gpointer *) &known))
    {
      *subject = g_strdup (known);
      return TRUE;
    }

  result = pg_run (self, self->main.conn,
                   "SELECT subject FROM audit_subjects WHERE patient_id = $1", 1, params,
                   error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) > 0)
    *subject = g_strdup (pg_value (result, 0, 0));
  pg_audit_note_subject (self, patient_id, *subject);
  return TRUE;
}

/* Appending. The rows of a transaction are kept, as the columns of one statement, until the
 * next statement on the connection or the commit takes them along in its round trip
 * (pg_audit_flush()); a failure then fails that statement or the commit, and the transaction
 * is rolled back whole. */

#define APPEND_ROWS_SQL \
  "INSERT INTO audit (id, at, actor, action, subject, consultation_id, detail, hash)" \
  "  SELECT * FROM unnest ($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[]," \
  "                        $6::bigint[], $7::text[], $8::text[])"

/* Rows kept at most, so that a copy of a long log sends them in statements of this size. */
#define PENDING_ROWS 1000

void
pg_audit_drop_pending (StriaePgBackend *self)
{
  for (guint c = 0; c < G_N_ELEMENTS (self->pending); c++)
    if (self->pending[c] != NULL)
      {
        g_string_free (self->pending[c], TRUE);
        self->pending[c] = NULL;
      }
  self->n_pending = 0;
}

static void
keep_row (StriaePgBackend              *self,
          const StriaeStoreAuditEntry  *entry)
{
  g_autofree char *id_text = pg_int_text (entry->id);
  g_autofree char *consultation_text = entry->consultation_id > 0
                                       ? pg_int_text (entry->consultation_id) : NULL;
  const char *values[] = {
    id_text, entry->at, entry->actor, entry->action, entry->subject, consultation_text,
    entry->detail, entry->seal
  };

  G_STATIC_ASSERT (G_N_ELEMENTS (values) == PG_AUDIT_COLUMNS);
  for (guint c = 0; c < G_N_ELEMENTS (values); c++)
    {
      if (self->pending[c] == NULL)
        self->pending[c] = g_string_new ("{");
      pg_array_append (self->pending[c], values[c]);
    }
  self->n_pending++;

  /* The tail moves on with the row (rows are appended after the highest number). */
  if (self->tail_known && entry->id > self->tail.last_id)
    {
      self->tail.last_number = MAX (self->tail.last_number, entry->id);
      self->tail.last_id = entry->id;
      g_free ((gpointer) self->tail.last_seal.data);
      self->tail.last_seal.type = STRIAE_STORE_VALUE_TEXT;
      self->tail.last_seal.size = strlen (entry->seal);
      self->tail.last_seal.data = g_memdup2 (entry->seal, self->tail.last_seal.size);
    }
  else
    self->tail_known = FALSE;
}

/* Takes the audit rows kept out into @statement, which appends them, with @columns (of
 * PG_AUDIT_COLUMNS, freed by the caller once it ran) and @params for its parameters; FALSE
 * when none are kept. */
gboolean
pg_audit_take_pending (StriaePgBackend  *self,
                       GString         **columns,
                       const char      **params,
                       PgStatement      *statement)
{
  if (self->n_pending == 0)
    return FALSE;

  for (guint c = 0; c < PG_AUDIT_COLUMNS; c++)
    {
      columns[c] = g_steal_pointer (&self->pending[c]);
      g_string_append_c (columns[c], '}');
      params[c] = columns[c]->str;
    }
  self->n_pending = 0;

  statement->sql = APPEND_ROWS_SQL;
  statement->n_params = PG_AUDIT_COLUMNS;
  statement->params = params;
  statement->result = NULL;
  return TRUE;
}

/**
 * pg_audit_flush:
 * @then: (nullable): a statement without parameters to run right after, in the same round
 *   trip (the COMMIT)
 *
 * Sends what the transaction still keeps (its begin, the audit rows), then @then.
 */
gboolean
pg_audit_flush (StriaePgBackend  *self,
                const char       *then,
                GError          **error)
{
  PgStatement statement = { then, 0, NULL, NULL };
  gboolean ok;

  if (then == NULL)
    return pg_flush (self, error);

  ok = pg_run_pipeline (self, &statement, 1, error);
  g_clear_pointer (&statement.result, PQclear);
  return ok;
}

static gboolean
pg_audit_append (StriaeStoreBackend           *backend,
                 const StriaeStoreAuditEntry  *entry,
                 GError                      **error)
{
  StriaePgBackend *self = SELF (backend);

  g_assert (self->in_transaction);
  /* The tail the row moves on is the one read as the transaction began. */
  if (self->begin_pending && !pg_flush (self, error))
    return FALSE;
  keep_row (self, entry);
  return self->n_pending < PENDING_ROWS || pg_audit_flush (self, NULL, error);
}

/* The subjects of a bulk's patients in one statement: their ids as an array of integers. */
static gboolean
pg_audit_get_subjects (StriaeStoreBackend  *backend,
                       const gint64        *patient_ids,
                       guint                n,
                       char               **subjects,
                       GError             **error)
{
  StriaePgBackend *self = SELF (backend);
  g_autoptr(GString) ids = g_string_new ("{");
  g_autoptr(GHashTable) index = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(PGresult) result = NULL;
  const char *params[1];

  for (guint i = 0; i < n; i++)
    {
      g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "", patient_ids[i]);
      g_hash_table_insert (index, (gpointer) &patient_ids[i], &subjects[i]);
    }
  g_string_append_c (ids, '}');
  params[0] = ids->str;

  result = pg_run (self, self->main.conn,
                   "SELECT patient_id, subject FROM audit_subjects"
                   "  WHERE patient_id = ANY ($1::bigint[])", 1, params, error);
  if (result == NULL)
    return FALSE;

  for (int row = 0; row < PQntuples (result); row++)
    {
      gint64 id = pg_int (result, row, 0);
      char **subject = g_hash_table_lookup (index, &id);

      if (subject != NULL && *subject == NULL)
        *subject = g_strdup (pg_value (result, row, 1));
    }
  return TRUE;
}

/* A bulk's rows, in order, in statements of PENDING_ROWS rows, the last ones with the
 * commit. */
static gboolean
pg_audit_append_rows (StriaeStoreBackend           *backend,
                      const StriaeStoreAuditEntry  *entries,
                      guint                         n,
                      GError                      **error)
{
  for (guint i = 0; i < n; i++)
    if (!pg_audit_append (backend, &entries[i], error))
      return FALSE;

  return TRUE;
}

#define ROW_COLUMNS "a.id, a.at, a.actor, a.action, a.subject, a.consultation_id, a.detail, a.hash"

static gboolean
read_rows (const PGresult           *result,
           StriaeStoreAuditRowFunc   func,
           gpointer                  data)
{
  for (int i = 0; i < PQntuples (result); i++)
    {
      StriaeStoreAuditRow row = { pg_int (result, i, 0) };

      for (int column = 0; column < STRIAE_AUDIT_N_COLUMNS; column++)
        value_from_column (&row.columns[column], result, i, column + 1,
                           column == STRIAE_AUDIT_COLUMN_CONSULTATION_ID);
      if (!func (&row, data))
        break;
    }

  return TRUE;
}

static gboolean
pg_audit_read (StriaeStoreBackend       *backend,
               gint64                    after,
               guint                     limit,
               gint64                    patient_id,
               const char               *action,
               StriaeStoreAuditRowFunc   func,
               gpointer                  data,
               GError                  **error)
{
  /* A patient's rows through the index on their subject; a NULL action lets every action
   * through; a NULL limit is none. */
  static const char all_sql[] =
    "SELECT " ROW_COLUMNS " FROM audit a"
    "  WHERE a.id > $1 AND ($3::text IS NULL OR a.action = $3)"
    "  ORDER BY a.id LIMIT $2";
  static const char patient_sql[] =
    "SELECT " ROW_COLUMNS " FROM audit a"
    "  WHERE a.subject = (SELECT subject FROM audit_subjects WHERE patient_id = $4)"
    "    AND a.id > $1 AND ($3::text IS NULL OR a.action = $3)"
    "  ORDER BY a.id LIMIT $2";
  StriaePgBackend *self = SELF (backend);
  g_autofree char *after_text = pg_int_text (after);
  g_autofree char *limit_text = limit > 0 ? g_strdup_printf ("%u", limit) : NULL;
  g_autofree char *patient_text = pg_int_text (patient_id);
  const char *params[] = { after_text, limit_text, action, patient_text };
  g_autoptr(PGresult) result = NULL;

  result = pg_run (self, self->main.conn, patient_id > 0 ? patient_sql : all_sql,
                   patient_id > 0 ? 4 : 3, params, error);
  if (result == NULL)
    return FALSE;

  return read_rows (result, func, data);
}

/* In one REPEATABLE READ, READ ONLY snapshot on the search connection, so that the rows and
 * the highest number are of one moment while writers carry on. */
static gboolean
pg_audit_scan (StriaeStoreBackend       *backend,
               gint64                   *last_number,
               StriaeStoreAuditRowFunc   func,
               gpointer                  data,
               GError                  **error)
{
  StriaePgBackend *self = SELF (backend);
  g_autoptr(PGresult) numbers = NULL;
  g_autoptr(PGresult) rows = NULL;
  gboolean ok;

  *last_number = 0;

  striae_store_mutex_lock (&self->search.lock);
  {
    g_autoptr(PGresult) begin = pg_run_reader (self, &self->search,
                                               "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
                                               0, NULL, NULL, error);

    ok = begin != NULL;
  }
  ok = ok &&
       (numbers = pg_run (self, self->search.conn,
                          "SELECT greatest ((SELECT last_number FROM audit_numbers),"
                          "                 (SELECT coalesce (max (id), 0) FROM audit))",
                          0, NULL, error)) != NULL &&
       (rows = pg_run (self, self->search.conn,
                       "SELECT " ROW_COLUMNS " FROM audit a ORDER BY a.id", 0, NULL,
                       error)) != NULL;
  if (self->search.conn != NULL)
    {
      g_autoptr(PGresult) end = PQexec (self->search.conn, "ROLLBACK");
    }
  g_mutex_unlock (&self->search.lock);

  if (!ok)
    return FALSE;

  *last_number = pg_int (numbers, 0, 0);
  return read_rows (rows, func, data);
}

/* The key that seals the log, kept in the records (see store_audit_find_key()). */
static gboolean
pg_audit_get_key (StriaeStoreBackend  *backend,
                  GBytes             **key,
                  GError             **error)
{
  StriaePgBackend *self = SELF (backend);
  g_autoptr(PGresult) result = NULL;
  const char *hex;
  gsize len;
  guint8 *bytes;

  *key = NULL;
  if (self->audit_key != NULL)
    {
      *key = g_bytes_ref (self->audit_key);
      return TRUE;
    }

  result = pg_run (self, self->main.conn, "SELECT encode (key, 'hex') FROM audit_key", 0, NULL,
                   error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) == 0)
    return TRUE;

  hex = PQgetvalue (result, 0, 0);
  len = strlen (hex) / 2;
  bytes = g_malloc (len);
  for (gsize i = 0; i < len; i++)
    bytes[i] = (g_ascii_xdigit_value (hex[2 * i]) << 4) | g_ascii_xdigit_value (hex[2 * i + 1]);
  *key = g_bytes_new_take (bytes, len);
  self->audit_key = g_bytes_ref (*key);
  return TRUE;
}

/* Forgets the key and the database's id read on this connection. */
void
pg_audit_forget_identity (StriaePgBackend *self)
{
  g_clear_pointer (&self->audit_key, g_bytes_unref);
  g_clear_pointer (&self->database_id, g_free);
}

void
pg_audit_iface_init (StriaeStoreBackendInterface *iface)
{
  iface->get_setting = pg_get_setting;
  iface->set_setting = pg_set_setting;
  iface->audit_get_tail = pg_audit_get_tail;
  iface->audit_get_subject = pg_audit_get_subject;
  iface->audit_append = pg_audit_append;
  iface->audit_get_subjects = pg_audit_get_subjects;
  iface->audit_append_rows = pg_audit_append_rows;
  iface->audit_read = pg_audit_read;
  iface->audit_scan = pg_audit_scan;
  iface->audit_get_key = pg_audit_get_key;
}
