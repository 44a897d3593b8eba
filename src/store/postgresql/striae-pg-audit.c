/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "striae-pg-private.h"

/* The settings and the audit log on the server: the statements only. The records layer
 * numbers and seals the rows (striae-store-audit.c); the schema's triggers refuse any change
 * to them, and `audit_numbers` keeps the highest number ever given. */

#define SELF(backend) STRIAE_PG_BACKEND (backend)

/* Settings */

static gboolean
pg_get_setting (StriaeStoreBackend  *backend,
                const char          *key,
                char               **value,
                GError             **error)
{
  StriaePgBackend *self = SELF (backend);
  const char *params[] = { key };
  g_autoptr(PGresult) result = pg_run (self, self->main.conn,
                                       "SELECT value FROM settings WHERE key = $1", 1,
                                       params, error);

  *value = NULL;
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) > 0)
    *value = g_strdup (pg_value (result, 0, 0));
  return TRUE;
}

static gboolean
pg_set_setting (StriaeStoreBackend  *backend,
                const char          *key,
                const char          *value,
                GError             **error)
{
  const char *params[] = { key, value };

  if (value == NULL)
    return pg_exec (SELF (backend), "DELETE FROM settings WHERE key = $1", 1, params, error);

  return pg_exec (SELF (backend),
                  "INSERT INTO settings (key, value) VALUES ($1, $2)"
                  "  ON CONFLICT (key) DO UPDATE SET value = excluded.value", 2, params,
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

static gboolean
pg_audit_get_tail (StriaeStoreBackend    *backend,
                   gint64                 at,
                   StriaeStoreAuditTail  *tail,
                   GError               **error)
{
  static const char sql[] =
    "SELECT (SELECT last_number FROM audit_numbers),"
    "       coalesce ((SELECT max (id) FROM audit), 0),"
    "       (SELECT hash FROM audit ORDER BY id DESC LIMIT 1),"
    "       (SELECT hash FROM audit WHERE id = $1)";
  StriaePgBackend *self = SELF (backend);
  g_autofree char *at_text = pg_int_text (at);
  const char *params[] = { at_text };
  g_autoptr(PGresult) result = pg_run (self, self->main.conn, sql, 1, params, error);

  if (result == NULL)
    return FALSE;

  tail->last_number = MAX (pg_int (result, 0, 0), pg_int (result, 0, 1));
  tail->last_id = pg_int (result, 0, 1);
  value_from_column (&tail->last_seal, result, 0, 2, FALSE);
  tail->last_seal.data = tail->last_seal.data != NULL
                         ? g_memdup2 (tail->last_seal.data, tail->last_seal.size) : NULL;
  tail->seal_at = g_strdup (pg_value (result, 0, 3));
  return TRUE;
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
  g_autoptr(PGresult) result = pg_run (self, self->main.conn,
                                       "SELECT subject FROM audit_subjects"
                                       "  WHERE patient_id = $1", 1, params, error);

  if (result == NULL)
    return FALSE;
  if (PQntuples (result) > 0)
    *subject = g_strdup (pg_value (result, 0, 0));
  return TRUE;
}

#define APPEND_SQL \
  "INSERT INTO audit (id, at, actor, action, subject, consultation_id, detail, hash)" \
  "  VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"

static gboolean
pg_audit_append (StriaeStoreBackend           *backend,
                 const StriaeStoreAuditEntry  *entry,
                 GError                      **error)
{
  StriaePgBackend *self = SELF (backend);
  g_autofree char *id_text = pg_int_text (entry->id);
  g_autofree char *consultation_text = entry->consultation_id > 0
                                       ? pg_int_text (entry->consultation_id) : NULL;
  const char *params[] = {
    id_text, entry->at, entry->actor, entry->action, entry->subject, consultation_text,
    entry->detail, entry->seal
  };

  g_assert (self->in_transaction);
  return pg_exec (self, APPEND_SQL, 8, params, error);
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

static void
append_params (guint         row,
               const char  **params,
               GPtrArray    *texts,
               gpointer      data)
{
  const StriaeStoreAuditEntry *entry = (const StriaeStoreAuditEntry *) data + row;
  char *id_text = pg_int_text (entry->id);
  char *consultation_text = entry->consultation_id > 0
                            ? pg_int_text (entry->consultation_id) : NULL;

  g_ptr_array_add (texts, id_text);
  g_ptr_array_add (texts, consultation_text);
  params[0] = id_text;
  params[1] = entry->at;
  params[2] = entry->actor;
  params[3] = entry->action;
  params[4] = entry->subject;
  params[5] = consultation_text;
  params[6] = entry->detail;
  params[7] = entry->seal;
}

/* A bulk's rows, in order, in batches of one round trip (pg_run_batch()). */
static gboolean
pg_audit_append_rows (StriaeStoreBackend           *backend,
                      const StriaeStoreAuditEntry  *entries,
                      guint                         n,
                      GError                      **error)
{
  StriaePgBackend *self = SELF (backend);

  g_assert (self->in_transaction);
  return pg_run_batch (self, APPEND_SQL, 8, n, append_params, NULL, (gpointer) entries, error);
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
  ok = pg_open_search (self, error);
  if (ok)
    {
      g_autoptr(PGresult) begin = pg_run (self, self->search.conn,
                                          "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
                                          0, NULL, error);

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
  g_autoptr(PGresult) result = pg_run (self, self->main.conn,
                                       "SELECT encode (key, 'hex') FROM audit_key", 0, NULL,
                                       error);
  const char *hex;
  gsize len;
  guint8 *bytes;

  *key = NULL;
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
  return TRUE;
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
