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
  Connection *conn = &self->search;
  sqlite3_stmt *stmt;
  int rc;

  g_mutex_lock (&conn->lock);

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
