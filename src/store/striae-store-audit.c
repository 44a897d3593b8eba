/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <string.h>

#include "striae-store-private.h"

/* The audit log is a hash chain: each row's `hash` is the SHA-256 of the previous row's hash
 * followed by the row's own fields, so that changing, removing or reordering any row breaks
 * every hash after it. Rows are numbered 1, 2, 3 … without gaps, and the highest number ever
 * used is kept by SQLite in sqlite_sequence, so that removing the newest rows shows too.
 *
 * A row names a patient only by their audit subject (a random token, see migration 2 in
 * striae-store.c), never by name or number. Erasing a patient deletes the token, which leaves
 * the chain whole and unlinks the rows from the person. */

static const char * const action_names[] = {
  [STRIAE_AUDIT_CREATE] = "create",
  [STRIAE_AUDIT_VIEW] = "view",
  [STRIAE_AUDIT_UPDATE] = "update",
  [STRIAE_AUDIT_SIGN] = "sign",
  [STRIAE_AUDIT_AMEND] = "amend",
  [STRIAE_AUDIT_PRINT] = "print",
  [STRIAE_AUDIT_EXPORT] = "export",
  [STRIAE_AUDIT_IMPORT] = "import",
  [STRIAE_AUDIT_DELETE] = "delete",
  [STRIAE_AUDIT_BACKUP] = "backup",
  [STRIAE_AUDIT_RESTORE] = "restore",
  [STRIAE_AUDIT_ERASE] = "erase",
};

const char *
striae_audit_action_to_string (StriaeAuditAction action)
{
  g_return_val_if_fail (action <= STRIAE_AUDIT_ERASE, NULL);

  return action_names[action];
}

/* Fields are separated by a NUL byte, which none of them can hold, so that no two different
 * rows hash the same text. */
static char *
compute_hash (const char *previous,
              gint64      id,
              const char *at,
              const char *actor,
              const char *action,
              const char *subject,
              gint64      consultation_id,
              const char *detail)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  char number[32];
  const char *fields[7];

  fields[0] = previous;
  fields[1] = at;
  fields[2] = actor;
  fields[3] = action;
  fields[4] = subject ? subject : "";
  fields[5] = detail ? detail : "";

  g_snprintf (number, sizeof number, "%" G_GINT64_FORMAT, id);
  g_checksum_update (checksum, (const guchar *) number, strlen (number) + 1);
  for (guint i = 0; i < 6; i++)
    g_checksum_update (checksum, (const guchar *) fields[i], strlen (fields[i]) + 1);
  g_snprintf (number, sizeof number, "%" G_GINT64_FORMAT, consultation_id);
  g_checksum_update (checksum, (const guchar *) number, strlen (number) + 1);

  return g_strdup (g_checksum_get_string (checksum));
}

gboolean
store_audit_append (StriaeStore        *self,
                    StriaeAuditAction   action,
                    const char         *actor,
                    gint64              patient_id,
                    gint64              consultation_id,
                    const char         *detail,
                    GError            **error)
{
  static const char last_sql[] =
    "SELECT coalesce ((SELECT seq FROM sqlite_sequence WHERE name = 'audit'), 0),"
    "       coalesce ((SELECT hash FROM audit ORDER BY id DESC LIMIT 1), '')";
  static const char subject_sql[] = "SELECT subject FROM audit_subjects WHERE patient_id = ?1";
  static const char insert_sql[] =
    "INSERT INTO audit (id, at, actor, action, subject, consultation_id, detail, hash)"
    "  VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
  g_autofree char *default_actor = NULL;
  g_autofree char *previous = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *at = store_now ();
  const char *action_name = striae_audit_action_to_string (action);
  sqlite3_stmt *stmt;
  gint64 id = 0;
  int rc;

  g_assert (!sqlite3_get_autocommit (self->main.db));

  if (actor == NULL || actor[0] == '\0')
    actor = default_actor = striae_store_dup_user (self);
  if (detail == NULL)
    detail = "";

  if ((stmt = store_prepare (self, &self->main, last_sql, error)) == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      id = sqlite3_column_int64 (stmt, 0) + 1;
      previous = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
    }
  store_statement_done (stmt);
  if (rc != SQLITE_ROW)
    goto fail;

  if (patient_id > 0)
    {
      if ((stmt = store_prepare (self, &self->main, subject_sql, error)) == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, patient_id);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        subject = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      store_statement_done (stmt);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        goto fail;
    }

  hash = compute_hash (previous, id, at, actor, action_name, subject,
                       consultation_id, detail);

  if ((stmt = store_prepare (self, &self->main, insert_sql, error)) == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, at, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, actor, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, action_name, -1, SQLITE_STATIC);
  if (subject != NULL)
    sqlite3_bind_text (stmt, 5, subject, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, 5);
  if (consultation_id > 0)
    sqlite3_bind_int64 (stmt, 6, consultation_id);
  else
    sqlite3_bind_null (stmt, 6);
  sqlite3_bind_text (stmt, 7, detail, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, hash, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  store_statement_done (stmt);
  if (rc != SQLITE_DONE)
    goto fail;

  return TRUE;

fail:
  store_set_sqlite_error (error, self, self->main.db, rc);
  return FALSE;
}

/**
 * striae_store_log_event:
 * @patient_id: the patient concerned, or 0
 * @consultation_id: the consultation concerned, or 0
 * @detail: (nullable): a short note; never a name or anything else that identifies a person
 *
 * Records something that happened outside the store (a consultation shown on screen, a sheet
 * printed) in the audit log, in the name of the store's user. The store records its own
 * changes by itself.
 */
gboolean
striae_store_log_event (StriaeStore        *self,
                        StriaeAuditAction   action,
                        gint64              patient_id,
                        gint64              consultation_id,
                        const char         *detail,
                        GError            **error)
{
  gboolean ok;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (action <= STRIAE_AUDIT_ERASE, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_mutex_lock (&self->main.lock);
  ok = store_exec (self, &self->main, "BEGIN IMMEDIATE", error) &&
       store_audit_append (self, action, NULL, patient_id, consultation_id, detail, error) &&
       store_exec (self, &self->main, "COMMIT", error);
  if (!ok)
    store_rollback (&self->main);
  g_mutex_unlock (&self->main.lock);

  return ok;
}

static void
set_tampered (GError **error,
              gint64   row)
{
  g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_TAMPERED,
               _("The audit log was changed outside Striae: entry %" PRId64 " is missing or "
                 "does not match the entries before it."), row);
}

/**
 * striae_store_verify_audit:
 * @n_entries: (out) (optional): the number of entries checked
 * @bad_row_id: (out) (optional): the first entry found changed or missing, 0 when intact
 *
 * Recomputes the hash chain of the whole audit log. Returns %FALSE with
 * %STRIAE_STORE_ERROR_TAMPERED when a row was changed, removed or inserted other than by
 * Striae, or with another error when the log could not be read.
 */
gboolean
striae_store_verify_audit (StriaeStore  *self,
                           gint64       *n_entries,
                           gint64       *bad_row_id,
                           GError      **error)
{
  static const char rows_sql[] =
    "SELECT id, at, actor, action, subject, coalesce (consultation_id, 0), detail, hash"
    "  FROM audit ORDER BY id";
  static const char seq_sql[] =
    "SELECT coalesce ((SELECT seq FROM sqlite_sequence WHERE name = 'audit'), 0)";
  Connection *conn = &self->search;
  g_autofree char *previous = g_strdup ("");
  sqlite3_stmt *stmt;
  gint64 expected = 1, bad = 0, count = 0, seq = 0;
  gboolean ok = FALSE;
  int rc;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (n_entries != NULL)
    *n_entries = 0;
  if (bad_row_id != NULL)
    *bad_row_id = 0;

  /* The read-only connection, in one read transaction, so that writers carry on meanwhile
   * and the rows and the sequence number are of the same moment. */
  g_mutex_lock (&conn->lock);
  if (!store_exec (self, conn, "BEGIN", error))
    goto out;
  if (!store_query_int (self, conn, seq_sql, &seq, error))
    goto out;
  if ((stmt = store_prepare (self, conn, rows_sql, error)) == NULL)
    goto out;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
#define TEXT(i) ((const char *) sqlite3_column_text (stmt, i))
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_autofree char *hash = NULL;

      if (id != expected)
        {
          bad = expected;
          break;
        }

      hash = compute_hash (previous, id, TEXT (1), TEXT (2), TEXT (3), TEXT (4),
                           sqlite3_column_int64 (stmt, 5), TEXT (6));
      if (g_strcmp0 (hash, TEXT (7)) != 0)
        {
          bad = id;
          break;
        }
#undef TEXT
      g_free (previous);
      previous = g_steal_pointer (&hash);
      count++;
      expected++;
    }
  store_statement_done (stmt);

  if (bad == 0 && rc != SQLITE_DONE)
    {
      store_set_sqlite_error (error, self, conn->db, rc);
      goto out;
    }

  /* Rows removed from the end leave the sequence number behind them. */
  if (bad == 0 && seq != count)
    bad = count + 1;

  if (bad != 0)
    {
      set_tampered (error, bad);
      if (bad_row_id != NULL)
        *bad_row_id = bad;
    }
  else
    ok = TRUE;

  if (n_entries != NULL)
    *n_entries = count;

out:
  store_rollback (conn);
  g_mutex_unlock (&conn->lock);
  return ok;
}
