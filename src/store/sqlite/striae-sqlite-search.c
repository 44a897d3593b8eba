/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

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

/* A tier's page is found in one of two ways. Reading its matches and sorting them by the
 * register's order costs a look-up in patients_list_keys a match: about 2 µs of CPU at a
 * million patients, most of it the read () of a page of that index. Walking the register's
 * order and keeping the matches costs about 0.1 µs a row walked, but the matches of a prefix
 * of family names lie together in that order, possibly far from its start (and those of a
 * culture's given names near its family names). So a page is walked while the walk, going by
 * the share of matches among the rows walked so far, promises to cost less than reading
 * every match would; else the matches are read. A walk that gives up has cost at most what
 * the reading costs again. */
#define READ_PER_WALKED_ROW 20
/* Rows walked before the walk's promise is judged, and how often after. */
#define WALK_SAMPLE 256

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
/* Many matches: walk the register's order (its ids alone, from the index), keeping the rows
 * whose id is among the matches (see Matches), then read the page's rows by id. */
#define WALK_IDS(after) \
  "SELECT p.id FROM patients p INDEXED BY patients_by_archived_sort_key" \
  "  WHERE p.archived = ?3" after \
  "  ORDER BY p.sort_key, p.id"

typedef enum
{
  ROWS_STATEMENT_ALL,
  ROWS_STATEMENT_READ,
  ROWS_STATEMENT_WALK,
} RowsStatement;

static const char * const rows_sql[2][3] = {
  { ROWS_ALL (""), ROWS_READ (""), WALK_IDS ("") },
  { ROWS_ALL (AFTER), ROWS_READ (AFTER), WALK_IDS (AFTER) },
};

static const char row_by_id_sql[] = "SELECT " ROW_COLUMNS " FROM patients p WHERE p.id = ?1";

static const char matches_sql[] = "SELECT rowid FROM patients_fts WHERE patients_fts MATCH ?1";

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

/* The ids of a tier's matches, a bit each: a walk asks of every row it passes whether it
 * matches, and SQLite's own `IN (SELECT …)` would first copy every match into a b-tree,
 * which costs more than the walk for a prefix of a hundred thousand patients. Ids are
 * patients' rowids, dense from 1, so a million patients take 125 kB. */
typedef struct
{
  guint64 *bits;
  gsize    n_words;
  gint64   count;
} Matches;

static void
matches_clear (Matches *matches)
{
  g_clear_pointer (&matches->bits, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Matches, matches_clear)

static void
matches_add (Matches *matches,
             gint64   id)
{
  gsize word = (gsize) id / 64;

  if (word >= matches->n_words)
    {
      gsize n_words = MAX (word + 1, matches->n_words * 2);

      matches->bits = g_renew (guint64, matches->bits, n_words);
      memset (matches->bits + matches->n_words, 0,
              (n_words - matches->n_words) * sizeof (guint64));
      matches->n_words = n_words;
    }
  matches->bits[word] |= G_GUINT64_CONSTANT (1) << (id % 64);
  matches->count++;
}

static gboolean
matches_has (const Matches *matches,
             gint64         id)
{
  gsize word = (gsize) id / 64;

  return id >= 0 && word < matches->n_words &&
         (matches->bits[word] & (G_GUINT64_CONSTANT (1) << (id % 64))) != 0;
}

/* Every match of the tier's query, archived or not. */
static gboolean
matches_fill (Matches         *matches,
              const Preparer  *preparer,
              const char      *query,
              GError         **error)
{
  sqlite3_stmt *stmt = preparer->prepare (preparer->data, matches_sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, query, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      if (id >= 0)
        matches_add (matches, id);
    }
  if (rc != SQLITE_DONE)
    sqlite_set_error (error, preparer->path, sqlite3_db_handle (stmt), rc);
  preparer->done (stmt);
  return rc == SQLITE_DONE;
}

/* Binds the parameters the page statements share: ?1 the limit, ?2 the query, ?3 archived,
 * ?5 and ?6 the row after which the page starts. */
static void
bind_page (sqlite3_stmt                *stmt,
           const char                  *query,
           gboolean                     archived,
           const StriaePatientSummary  *after,
           gint64                       limit)
{
  sqlite3_bind_int64 (stmt, 1, limit);
  if (query != NULL)
    sqlite3_bind_text (stmt, 2, query, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 3, archived ? 1 : 0);
  if (after != NULL)
    {
      sqlite3_bind_text (stmt, 5, after->sort_key ? after->sort_key : "", -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 6, after->id);
    }
}

/* Runs the statement that reads (or lists) a page, adding its rows to @rows (of tier
 * @tier). */
static gboolean
read_page (const Preparer              *preparer,
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

  bind_page (stmt, query, archived, after, limit);
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

/* Whether a walk that has passed @walked rows and found @found of the @need it wants, among
 * @count matches in all, still promises to cost less than reading the matches. */
static gboolean
walk_promising (gint64 walked,
                gint64 found,
                gint64 need,
                gint64 count)
{
  gint64 budget = count * READ_PER_WALKED_ROW;
  gint64 wanted = MIN (need, count) - found;

  if (walked >= budget)
    return FALSE;
  /* Too few rows walked to judge the share of matches by. */
  if (walked < budget / 8)
    return TRUE;
  return walked + wanted * walked / (found + 1) <= budget;
}

typedef enum
{
  WALK_FAILED,
  WALK_GAVE_UP,
  WALK_DONE,
} WalkResult;

/* Walks the register's order after @after, adding to @ids those of up to @need matches. */
static WalkResult
walk_page (const Preparer              *preparer,
           const Matches               *matches,
           gboolean                     archived,
           const StriaePatientSummary  *after,
           gint64                       need,
           GArray                      *ids,
           GError                     **error)
{
  sqlite3_stmt *stmt = preparer->prepare (preparer->data,
                                          rows_sql[after != NULL][ROWS_STATEMENT_WALK], error);
  WalkResult result = WALK_DONE;
  gint64 walked = 0;
  int rc = SQLITE_DONE;

  if (stmt == NULL)
    return WALK_FAILED;

  bind_page (stmt, NULL, archived, after, -1);
  while ((gint64) ids->len < need && (gint64) ids->len < matches->count &&
         (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      if (matches_has (matches, id))
        g_array_append_val (ids, id);
      if (++walked % WALK_SAMPLE == 0 &&
          !walk_promising (walked, ids->len, need, matches->count))
        {
          result = WALK_GAVE_UP;
          break;
        }
    }
  if (result == WALK_DONE && rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      sqlite_set_error (error, preparer->path, sqlite3_db_handle (stmt), rc);
      result = WALK_FAILED;
    }
  preparer->done (stmt);
  return result;
}

/* The rows of @ids, in that order. */
static gboolean
read_rows_by_id (const Preparer  *preparer,
                 GArray          *ids,
                 int              tier,
                 GPtrArray       *rows,
                 GError         **error)
{
  sqlite3_stmt *stmt = preparer->prepare (preparer->data, row_by_id_sql, error);
  int rc = SQLITE_DONE;

  if (stmt == NULL)
    return FALSE;

  for (guint i = 0; i < ids->len && rc == SQLITE_DONE; i++)
    {
      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, g_array_index (ids, gint64, i));
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          g_ptr_array_add (rows, summary_from_row (stmt, tier));
          striae_store_debug_row_read ();
          rc = sqlite3_step (stmt);
        }
    }
  if (rc != SQLITE_DONE)
    sqlite_set_error (error, preparer->path, sqlite3_db_handle (stmt), rc);
  preparer->done (stmt);
  return rc == SQLITE_DONE;
}

/* Up to @need rows of the tier whose FTS5 query is @query, after @after, walked or read. */
static gboolean
tier_page (const Preparer              *preparer,
           const char                  *query,
           gboolean                     archived,
           const StriaePatientSummary  *after,
           gint64                       need,
           int                          tier,
           GPtrArray                   *rows,
           GError                     **error)
{
  g_auto(Matches) matches = { 0 };
  g_autoptr(GArray) ids = NULL;

  if (!matches_fill (&matches, preparer, query, error))
    return FALSE;
  if (matches.count == 0)
    return TRUE;

  if (matches.count > need)
    {
      ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      switch (walk_page (preparer, &matches, archived, after, need, ids, error))
        {
        case WALK_FAILED:
          return FALSE;
        case WALK_DONE:
          return read_rows_by_id (preparer, ids, tier, rows, error);
        case WALK_GAVE_UP:
          break;
        }
    }

  return read_page (preparer, ROWS_STATEMENT_READ, query, archived, after, need, tier, rows,
                    error);
}

/* A page of rows: the tiers one after the other from the one of @after, until @limit rows
 * are found (0: every row). */
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
      if (!read_page (preparer, ROWS_STATEMENT_ALL, NULL, archived, after,
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
      gboolean done;

      if (limit == 0)
        done = read_page (preparer, ROWS_STATEMENT_READ, query, archived, from, -1, tier, rows,
                          error);
      else
        done = tier_page (preparer, query, archived, from, (gint64) (limit - rows->len), tier,
                          rows, error);
      if (!done)
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
