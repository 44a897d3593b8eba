/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "striae-sqlite-private.h"

/* Searching patients through the FTS5 index: what a person types becomes an FTS5 query here
 * and nowhere else. */

static gboolean
is_ascii_digits (const char *word)
{
  for (const char *p = word; *p; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;

  return TRUE;
}

/* Every word becomes a quoted prefix query; all must match. When every word is a group of
 * digits, as in "06 12 34", the digits run together also match a phone number stored
 * without spaces. Returns NULL when nothing searchable was typed. */
static char *
build_match_query (const char *text)
{
  /* Broken UTF-8 would make the splitter read past the end of the string. */
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  g_autoptr(GPtrArray) words = striae_store_backend_split_words (valid);
  g_autoptr(GString) query = NULL;
  g_autoptr(GString) digits = NULL;
  gboolean all_digits = TRUE;

  if (words->len == 0)
    return NULL;

  query = g_string_new (NULL);
  digits = g_string_new (NULL);
  for (guint i = 0; i < words->len; i++)
    {
      const char *word = g_ptr_array_index (words, i);

      /* Words hold no quote character, so quoting them is enough. */
      g_string_append_printf (query, "%s\"%s\"*", i > 0 ? " " : "", word);
      if (is_ascii_digits (word))
        g_string_append (digits, word);
      else
        all_digits = FALSE;
    }

  if (all_digits && words->len > 1)
    {
      g_string_prepend (query, "(");
      g_string_append_printf (query, ") OR phone_digits : \"%s\"*", digits->str);
    }

  return g_string_free (g_steal_pointer (&query), FALSE);
}

static int
search_progress_cb (gpointer data)
{
  return g_cancellable_is_cancelled (G_CANCELLABLE (data)) ? 1 : 0;
}

GArray *
sqlite_search_patients (StriaeSqliteBackend  *self,
                        const char           *text,
                        guint                 limit,
                        gboolean              archived,
                        GCancellable         *cancellable,
                        GError              **error)
{
  static const char all_sql[] =
    "SELECT id FROM patients WHERE archived = 0 ORDER BY sort_key, id LIMIT ?1";
  static const char all_archived_sql[] =
    "SELECT id FROM patients WHERE archived = 1 ORDER BY sort_key, id LIMIT ?1";
  static const char match_sql[] =
    "SELECT patients.id FROM patients_fts"
    "  JOIN patients ON patients.id = patients_fts.rowid"
    "  WHERE patients_fts MATCH ?2 AND patients.archived = ?3"
    "  ORDER BY patients_fts.rank, patients.sort_key, patients.id"
    "  LIMIT ?1";
  g_autofree char *query = build_match_query (text);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  Connection *conn = &self->rows;
  sqlite3_stmt *stmt;
  int rc;

  striae_store_mutex_lock (&conn->lock);

  stmt = sqlite_prepare (conn, query ? match_sql : archived ? all_archived_sql : all_sql,
                         error);
  if (stmt == NULL)
    {
      g_mutex_unlock (&conn->lock);
      return NULL;
    }

  sqlite3_bind_int64 (stmt, 1, limit == 0 ? -1 : (gint64) limit);
  if (query != NULL)
    {
      sqlite3_bind_text (stmt, 2, query, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 3, archived ? 1 : 0);
    }

  if (cancellable != NULL)
    sqlite3_progress_handler (conn->db, 1000, search_progress_cb, cancellable);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }

  if (cancellable != NULL)
    sqlite3_progress_handler (conn->db, 0, NULL, NULL);

  if (rc != SQLITE_DONE)
    sqlite_set_error (error, self->path, conn->db, rc);

  sqlite_statement_done (stmt);
  g_mutex_unlock (&conn->lock);

  if (rc != SQLITE_DONE)
    return NULL;

  return g_steal_pointer (&ids);
}

/* The patient list's rows: the patients' own columns, their draft flag and their place in
 * the order. The draft flag is read for the rows of the page alone, after the page is
 * chosen. */
#define DRAFT_OF(id) \
  "EXISTS (SELECT 1 FROM consultations c" \
  "  JOIN consultation_revisions r ON r.consultation_id = c.id AND r.status = 'draft'" \
  "  WHERE c.patient_id = " id ")"

#define ROWS_ALL(archived, after) \
  "SELECT p.id, p.given_name, p.family_name, p.birth_date, " DRAFT_OF ("p.id") "," \
  "  0.0, p.sort_key" \
  "  FROM patients p WHERE p.archived = " archived after \
  "  ORDER BY p.sort_key, p.id LIMIT ?1"
#define AFTER_ALL " AND (p.sort_key, p.id) > (?5, ?6)"

/* The rank is read once per match, in the inner query, which ranks the matches and keeps
 * the page; the outer one reads the page's names and draft flags. */
#define ROWS_MATCH(after) \
  "SELECT p.id, p.given_name, p.family_name, p.birth_date, " DRAFT_OF ("p.id") "," \
  "  m.rank, m.sort_key" \
  "  FROM (SELECT patients.id AS id, patients_fts.rank AS rank," \
  "               patients.sort_key AS sort_key" \
  "          FROM patients_fts JOIN patients ON patients.id = patients_fts.rowid" \
  "          WHERE patients_fts MATCH ?2 AND patients.archived = ?3" after \
  "          ORDER BY 2, 3, 1 LIMIT ?1) m" \
  "  JOIN patients p ON p.id = m.id" \
  "  ORDER BY m.rank, m.sort_key, m.id"
#define AFTER_MATCH \
  " AND (patients_fts.rank > ?4" \
  "      OR (patients_fts.rank = ?4 AND (patients.sort_key, patients.id) > (?5, ?6)))"

static const char * const rows_sql[2][3] = {
  /* first page: everyone, the archived, matches */
  { ROWS_ALL ("0", ""), ROWS_ALL ("1", ""), ROWS_MATCH ("") },
  /* after a row */
  { ROWS_ALL ("0", AFTER_ALL), ROWS_ALL ("1", AFTER_ALL), ROWS_MATCH (AFTER_MATCH) },
};

/**
 * striae_sqlite_backend_rows_statement:
 * @query: (out) (transfer full) (nullable): the FTS5 query to bind as ?2, NULL for none
 *
 * The statement the patient list's first page of a search for @text runs among the
 * patients not archived, for bench-patients, which times it on a bare connection too. Its
 * parameters: ?1 the limit, ?2 @query (when not NULL), ?3 0 (not archived).
 */
const char *
striae_sqlite_backend_rows_statement (const char  *text,
                                      char       **query)
{
  *query = build_match_query (text);
  return rows_sql[0][*query != NULL ? 2 : 0];
}

static StriaePatientSummary *
summary_from_row (sqlite3_stmt *stmt)
{
  StriaePatientSummary *summary = striae_patient_summary_new ();

  summary->id = sqlite3_column_int64 (stmt, 0);
  summary->given_name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  summary->family_name = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  summary->birth_date = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  summary->has_draft = sqlite3_column_int (stmt, 4) != 0;
  summary->rank = sqlite3_column_double (stmt, 5);
  summary->sort_key = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
  return summary;
}

GPtrArray *
sqlite_search_rows (StriaeSqliteBackend         *self,
                    const char                  *text,
                    gboolean                     archived,
                    const StriaePatientSummary  *after,
                    guint                        limit,
                    GCancellable                *cancellable,
                    GError                     **error)
{
  g_autofree char *query = build_match_query (text);
  g_autoptr(GPtrArray) rows =
    g_ptr_array_new_with_free_func ((GDestroyNotify) striae_patient_summary_free);
  Connection *conn = &self->rows;
  sqlite3_stmt *stmt;
  int rc;

  striae_store_mutex_lock (&conn->lock);

  stmt = sqlite_prepare (conn, rows_sql[after != NULL][query ? 2 : archived ? 1 : 0], error);
  if (stmt == NULL)
    {
      g_mutex_unlock (&conn->lock);
      return NULL;
    }

  sqlite3_bind_int64 (stmt, 1, limit == 0 ? -1 : (gint64) limit);
  if (query != NULL)
    {
      sqlite3_bind_text (stmt, 2, query, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 3, archived ? 1 : 0);
    }
  if (after != NULL)
    {
      if (query != NULL)
        sqlite3_bind_double (stmt, 4, after->rank);
      sqlite3_bind_text (stmt, 5, after->sort_key ? after->sort_key : "", -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 6, after->id);
    }

  if (cancellable != NULL)
    sqlite3_progress_handler (conn->db, 1000, search_progress_cb, cancellable);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (rows, summary_from_row (stmt));
      striae_store_debug_row_read ();
    }

  if (cancellable != NULL)
    sqlite3_progress_handler (conn->db, 0, NULL, NULL);

  if (rc != SQLITE_DONE)
    sqlite_set_error (error, self->path, conn->db, rc);

  sqlite_statement_done (stmt);
  g_mutex_unlock (&conn->lock);

  if (rc != SQLITE_DONE)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, NULL))
        {
          g_clear_error (error);
          g_cancellable_set_error_if_cancelled (cancellable, error);
        }
      return NULL;
    }

  return g_steal_pointer (&rows);
}

gint64
sqlite_count_matches (StriaeSqliteBackend  *self,
                      const char           *text,
                      gboolean              archived,
                      guint                 cap,
                      GCancellable         *cancellable,
                      GError              **error)
{
  static const char all_sql[] =
    "SELECT count (*) FROM (SELECT 1 FROM patients WHERE archived = ?3 LIMIT ?1)";
  static const char match_sql[] =
    "SELECT count (*) FROM (SELECT 1 FROM patients_fts"
    "  JOIN patients ON patients.id = patients_fts.rowid"
    "  WHERE patients_fts MATCH ?2 AND patients.archived = ?3 LIMIT ?1)";
  g_autofree char *query = build_match_query (text);
  Connection *conn = &self->rows;
  sqlite3_stmt *stmt;
  gint64 count = -1;
  int rc;

  striae_store_mutex_lock (&conn->lock);

  stmt = sqlite_prepare (conn, query ? match_sql : all_sql, error);
  if (stmt == NULL)
    {
      g_mutex_unlock (&conn->lock);
      return -1;
    }

  sqlite3_bind_int64 (stmt, 1, cap == 0 ? -1 : (gint64) cap);
  if (query != NULL)
    sqlite3_bind_text (stmt, 2, query, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 3, archived ? 1 : 0);

  if (cancellable != NULL)
    sqlite3_progress_handler (conn->db, 1000, search_progress_cb, cancellable);
  rc = sqlite3_step (stmt);
  if (cancellable != NULL)
    sqlite3_progress_handler (conn->db, 0, NULL, NULL);

  if (rc == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  else if (!g_cancellable_set_error_if_cancelled (cancellable, error))
    sqlite_set_error (error, self->path, conn->db, rc);

  sqlite_statement_done (stmt);
  g_mutex_unlock (&conn->lock);
  return count;
}
