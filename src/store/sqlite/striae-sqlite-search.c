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

/* The order of a search: the patients whose words all match in their names first, then
 * those who also need their search names (a name typed without its ł, ø or ß), then their
 * phone number or date of birth, then their email address; within each of these tiers, the
 * register's order (sort key, then id). Each tier is one FTS5 query, so that a page is read
 * from an index in that order, whatever the number of matches, rather than ranked whole:
 * the tier-t query matches the patients whose every word matches in the columns of tiers up
 * to t, less those of the tiers before. */
#define N_TIERS 4
static const char * const tier_columns[N_TIERS] = {
  "{given_name family_name} : ",
  "{given_name family_name search_names} : ",
  "{given_name family_name search_names phone phone_digits birth_date} : ",
  "",
};
/* The phone number's digits belong to this tier. */
#define PHONE_TIER 2

/* Beyond this many matches in a tier for each row of the page, a page is found by walking
 * the register's order and keeping the matches (page size / share of matches rows to walk);
 * below it, by reading the matches and sorting them. Reading costs about half a microsecond
 * a match (the index patients_list_keys), walking less a row, but the matches of a prefix
 * of family names lie together in the register's order, possibly far from its start: in a
 * million patients, the 30 000 matches of a page of 200 are read in about 15 ms, and a walk
 * is only worth it for prefixes that common, which given names spread over the register. */
#define WALK_PER_ROW 150

typedef struct
{
  GPtrArray *words;
  char      *digits;  /* every word a group of digits, run together; NULL otherwise */
} Typed;

static void
typed_clear (Typed *typed)
{
  g_clear_pointer (&typed->words, g_ptr_array_unref);
  g_clear_pointer (&typed->digits, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Typed, typed_clear)

/* Every word becomes a quoted prefix; when every word is a group of digits, as in "06 12 34",
 * the digits run together also match a phone number stored without spaces. FALSE when
 * nothing searchable was typed. */
static gboolean
typed_parse (Typed      *typed,
             const char *text)
{
  /* Broken UTF-8 would make the splitter read past the end of the string. */
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  g_autoptr(GString) digits = g_string_new (NULL);
  gboolean all_digits = TRUE;

  typed->words = striae_store_backend_split_words (valid);
  typed->digits = NULL;
  if (typed->words->len == 0)
    return FALSE;

  for (guint i = 0; i < typed->words->len; i++)
    {
      const char *word = g_ptr_array_index (typed->words, i);

      if (is_ascii_digits (word))
        g_string_append (digits, word);
      else
        all_digits = FALSE;
    }
  if (all_digits && typed->words->len > 1)
    typed->digits = g_string_free (g_steal_pointer (&digits), FALSE);

  return TRUE;
}

/* The patients whose every word matches in the columns of tiers up to @tier. Words hold no
 * quote character, so quoting them is enough. */
static void
append_up_to_tier (GString     *query,
                   const Typed *typed,
                   int          tier)
{
  g_string_append_c (query, '(');
  for (guint i = 0; i < typed->words->len; i++)
    g_string_append_printf (query, "%s%s\"%s\"*", i > 0 ? " AND " : "", tier_columns[tier],
                            (const char *) g_ptr_array_index (typed->words, i));
  if (typed->digits != NULL && tier >= PHONE_TIER)
    g_string_append_printf (query, " OR {phone_digits} : \"%s\"*", typed->digits);
  g_string_append_c (query, ')');
}

/* The FTS5 query of tier @tier alone: its matches less those of the tiers before. */
static char *
build_tier_query (const Typed *typed,
                  int          tier)
{
  GString *query = g_string_new (NULL);

  append_up_to_tier (query, typed, tier);
  if (tier > 0)
    {
      g_string_append (query, " NOT ");
      append_up_to_tier (query, typed, tier - 1);
    }
  return g_string_free (query, FALSE);
}

/* The FTS5 query of every match, whatever its tier. NULL when nothing searchable was
 * typed. */
static char *
build_match_query (const char *text)
{
  g_auto(Typed) typed = { 0 };
  GString *query;

  if (!typed_parse (&typed, text))
    return NULL;

  query = g_string_new (NULL);
  append_up_to_tier (query, &typed, N_TIERS - 1);
  return g_string_free (query, FALSE);
}

static int
search_progress_cb (gpointer data)
{
  return g_cancellable_is_cancelled (G_CANCELLABLE (data)) ? 1 : 0;
}

/* The patient list's rows: the patients' own columns and their draft flag. The draft flag
 * is read for the rows of the page alone, once the page is chosen. */
#define ROW_COLUMNS \
  "p.id, p.given_name, p.family_name, p.birth_date," \
  " EXISTS (SELECT 1 FROM consultations c" \
  "   JOIN consultation_revisions r ON r.consultation_id = c.id AND r.status = 'draft'" \
  "   WHERE c.patient_id = p.id)," \
  " p.sort_key"

/* ?1 the limit, ?2 the tier's FTS5 query, ?3 archived; after a row ?5 its sort key, ?6 its
 * id. The register's order is the index on (archived, sort_key). */
#define AFTER " AND (p.sort_key, p.id) > (?5, ?6)"
#define ROWS_ALL(after) \
  "SELECT " ROW_COLUMNS \
  "  FROM patients p INDEXED BY patients_by_archived_sort_key" \
  "  WHERE p.archived = ?3" after \
  "  ORDER BY p.sort_key, p.id LIMIT ?1"
/* Few matches: read them (the FTS5 index first, hence CROSS JOIN) and sort them. */
#define ROWS_READ(after) \
  "SELECT " ROW_COLUMNS \
  "  FROM (SELECT p.id AS id, p.sort_key AS sort_key" \
  "          FROM patients_fts" \
  "            CROSS JOIN patients p INDEXED BY patients_list_keys" \
  "              ON p.id = patients_fts.rowid" \
  "          WHERE patients_fts MATCH ?2 AND p.archived = ?3" after \
  "          ORDER BY 2, 1 LIMIT ?1) m" \
  "  CROSS JOIN patients p ON p.id = m.id" \
  "  ORDER BY m.sort_key, m.id"
/* Many matches: walk the register's order and keep them. */
#define ROWS_WALK(after) \
  "SELECT " ROW_COLUMNS \
  "  FROM patients p INDEXED BY patients_by_archived_sort_key" \
  "  WHERE p.archived = ?3" after \
  "    AND p.id IN (SELECT rowid FROM patients_fts WHERE patients_fts MATCH ?2)" \
  "  ORDER BY p.sort_key, p.id LIMIT ?1"

typedef enum
{
  ROWS_STATEMENT_ALL,
  ROWS_STATEMENT_READ,
  ROWS_STATEMENT_WALK,
} RowsStatement;

static const char * const rows_sql[2][3] = {
  { ROWS_ALL (""), ROWS_READ (""), ROWS_WALK ("") },
  { ROWS_ALL (AFTER), ROWS_READ (AFTER), ROWS_WALK (AFTER) },
};

static const char count_sql[] =
  "SELECT count (*) FROM (SELECT 1 FROM patients_fts WHERE patients_fts MATCH ?2 LIMIT ?1)";

static StriaePatientSummary *
summary_from_row (sqlite3_stmt *stmt,
                  int           tier)
{
  StriaePatientSummary *summary = striae_patient_summary_new ();

  summary->id = sqlite3_column_int64 (stmt, 0);
  summary->given_name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  summary->family_name = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  summary->birth_date = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  summary->has_draft = sqlite3_column_int (stmt, 4) != 0;
  summary->rank = tier;
  summary->sort_key = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
  return summary;
}

/* The statements a page runs, on @db, with the lock of its connection held. */
typedef struct
{
  sqlite3_stmt *(*prepare) (gpointer       data,
                            const char    *sql,
                            GError       **error);
  void          (*done)    (sqlite3_stmt  *stmt);
  gpointer        data;
  const char     *path;    /* for messages */
} Preparer;

/* How many matches the tier's query has, counting no further than @cap; -1 on an error. */
static gint64
count_tier (const Preparer  *preparer,
            const char      *query,
            gint64           cap,
            GError         **error)
{
  sqlite3_stmt *stmt = preparer->prepare (preparer->data, count_sql, error);
  gint64 count = -1;
  int rc;

  if (stmt == NULL)
    return -1;

  sqlite3_bind_int64 (stmt, 1, cap);
  sqlite3_bind_text (stmt, 2, query, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  else
    sqlite_set_error (error, preparer->path, sqlite3_db_handle (stmt), rc);
  preparer->done (stmt);
  return count;
}

/* Runs one statement of a page, adding its rows to @rows (of tier @tier). */
static gboolean
run_page_statement (const Preparer              *preparer,
                    RowsStatement                which,
                    const char                  *query,
                    gboolean                     archived,
                    const StriaePatientSummary  *after,
                    gint64                       limit,
                    int                          tier,
                    GPtrArray                   *rows,
                    GError                     **error)
{
  sqlite3_stmt *stmt = preparer->prepare (preparer->data, rows_sql[after != NULL][which], error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, limit);
  if (query != NULL)
    sqlite3_bind_text (stmt, 2, query, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 3, archived ? 1 : 0);
  if (after != NULL)
    {
      sqlite3_bind_text (stmt, 5, after->sort_key ? after->sort_key : "", -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 6, after->id);
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (rows, summary_from_row (stmt, tier));
      striae_store_debug_row_read ();
    }
  if (rc != SQLITE_DONE)
    sqlite_set_error (error, preparer->path, sqlite3_db_handle (stmt), rc);
  preparer->done (stmt);
  return rc == SQLITE_DONE;
}

/* A page of rows: the tiers one after the other from the one of @after, each read or
 * walked, until @limit rows are found (0: every row). */
static GPtrArray *
search_page (const Preparer              *preparer,
             const char                  *text,
             gboolean                     archived,
             const StriaePatientSummary  *after,
             guint                        limit,
             GError                     **error)
{
  g_autoptr(GPtrArray) rows =
    g_ptr_array_new_with_free_func ((GDestroyNotify) striae_patient_summary_free);
  g_auto(Typed) typed = { 0 };

  if (!typed_parse (&typed, text))
    {
      if (!run_page_statement (preparer, ROWS_STATEMENT_ALL, NULL, archived, after,
                               limit == 0 ? -1 : (gint64) limit, 0, rows, error))
        return NULL;
      return g_steal_pointer (&rows);
    }

  for (int tier = after != NULL ? CLAMP ((int) after->rank, 0, N_TIERS - 1) : 0;
       tier < N_TIERS && (limit == 0 || rows->len < limit);
       tier++)
    {
      g_autofree char *query = build_tier_query (&typed, tier);
      const StriaePatientSummary *from = after != NULL && tier == (int) after->rank ? after
                                                                                   : NULL;
      RowsStatement which = ROWS_STATEMENT_READ;

      if (limit > 0)
        {
          gint64 threshold = (gint64) (limit - rows->len) * WALK_PER_ROW;
          gint64 count = count_tier (preparer, query, threshold, error);

          if (count < 0)
            return NULL;
          if (count == 0)
            continue;
          if (count >= threshold)
            which = ROWS_STATEMENT_WALK;
        }

      if (!run_page_statement (preparer, which, query, archived, from,
                               limit == 0 ? -1 : (gint64) (limit - rows->len), tier, rows,
                               error))
        return NULL;
    }

  return g_steal_pointer (&rows);
}

static sqlite3_stmt *
prepare_cached (gpointer     data,
                const char  *sql,
                GError     **error)
{
  return sqlite_prepare (data, sql, error);
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
  Connection *conn = &self->rows;
  Preparer preparer = { prepare_cached, sqlite_statement_done, conn, self->path };
  GPtrArray *rows;

  striae_store_mutex_lock (&conn->lock);

  if (cancellable != NULL)
    sqlite3_progress_handler (conn->db, 1000, search_progress_cb, cancellable);
  rows = search_page (&preparer, text, archived, after, limit, error);
  if (cancellable != NULL)
    sqlite3_progress_handler (conn->db, 0, NULL, NULL);

  g_mutex_unlock (&conn->lock);

  if (rows == NULL && g_cancellable_is_cancelled (cancellable))
    {
      g_clear_error (error);
      g_cancellable_set_error_if_cancelled (cancellable, error);
    }

  return rows;
}

static sqlite3_stmt *
prepare_bare (gpointer     data,
              const char  *sql,
              GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (data, sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      sqlite_set_error (error, sqlite3_db_filename (data, "main"), data, rc);
      return NULL;
    }
  return stmt;
}

/**
 * striae_sqlite_backend_search_bare:
 * @db: a connection to a Striae file that the caller opened with sqlite3 itself
 *
 * For bench-patients: the statements of the patient list's first page of a search for
 * @text among the patients not archived, run on @db and prepared anew each time, without
 * the store around them (no lock, no statement cache, no thread).
 *
 * Returns: the number of rows, or -1 with @error set
 */
int
striae_sqlite_backend_search_bare (sqlite3     *db,
                                   const char  *text,
                                   guint        limit,
                                   GError     **error)
{
  Preparer preparer = { prepare_bare, (void (*) (sqlite3_stmt *)) sqlite3_finalize, db,
                        sqlite3_db_filename (db, "main") };
  g_autoptr(GPtrArray) rows = search_page (&preparer, text, FALSE, NULL, limit, error);

  return rows != NULL ? (int) rows->len : -1;
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
  /* The index's matches first, each looked up in patients (CROSS JOIN keeps that order):
   * left to itself, SQLite walks every patient and asks the index for each, 3 s for a
   * prefix of 100 000 patients instead of 2 ms. */
  static const char match_sql[] =
    "SELECT count (*) FROM (SELECT 1 FROM patients_fts"
    "  CROSS JOIN patients ON patients.id = patients_fts.rowid"
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
