/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/resource.h>

#include "striae-sqlite-order.h"

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

/* A tier's page comes from the register's order in memory (SqliteOrder): the labels of the
 * tier's matches, read from the FTS5 index alone, the first ones of the page kept, their
 * rows read by id. Finding a match's place in an index instead cost about 2 µs of CPU at a
 * million patients (most of it the read () of a page of that index), and walking the
 * register's order until a page of matches was found cost as much for the prefixes whose
 * matches lie far from its start: 18 ms for a first page of three letters. Until the order
 * is built (in the background, about a second of a worker thread at a million patients),
 * a tier's page is walked from the register's index over a bit set of its matches, or its
 * matches are sorted by SQLite (ranked_page ()): the same rows, in the same order, never
 * waiting for a pass over every patient. */

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
/* Every match of a tier in the register's order, or the page after a patient no longer in
 * the register's order in memory: the FTS5 index first (hence CROSS JOIN), each match looked
 * up in patients_list_keys, sorted. */
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
/* Many matches and no order in memory: walk the register's order (its ids alone, from the
 * index), keeping the rows whose id is among the matches (see Matches), then read the
 * page's rows by id. */
#define WALK_IDS(after) \
  "SELECT p.id FROM patients p INDEXED BY patients_by_archived_sort_key" \
  "  WHERE p.archived = ?3" after \
  "  ORDER BY p.sort_key, p.id"
/* The same walk over the sort keys from ?7 (included) to ?8 (excluded) alone: those that
 * begin as the first word typed, where the matches of a prefix of family names lie. */
#define WALK_RANGE(after) \
  "SELECT p.id, p.sort_key FROM patients p INDEXED BY patients_by_archived_sort_key" \
  "  WHERE p.archived = ?3 AND p.sort_key >= ?7 AND p.sort_key < ?8" after \
  "  ORDER BY p.sort_key, p.id"
typedef enum
{
  ROWS_STATEMENT_ALL,
  ROWS_STATEMENT_READ,
  ROWS_STATEMENT_WALK,
  ROWS_STATEMENT_WALK_RANGE,
} RowsStatement;

static const char * const rows_sql[2][4] = {
  { ROWS_ALL (""), ROWS_READ (""), WALK_IDS (""), WALK_RANGE ("") },
  { ROWS_ALL (AFTER), ROWS_READ (AFTER), WALK_IDS (AFTER), WALK_RANGE (AFTER) },
};

/* The first ?1 of the patients whose ids are the JSON array ?9, of the archive state ?3,
 * after ?5 and ?6, in the register's order: each looked up in patients_list_keys. */
#define KEYS_BY_IDS(after) \
  "SELECT p.id, p.sort_key FROM json_each (?9) j" \
  "  CROSS JOIN patients p INDEXED BY patients_list_keys ON p.id = j.value" \
  "  WHERE p.archived = ?3" after \
  "  ORDER BY p.sort_key, p.id LIMIT ?1"
static const char * const keys_by_ids_sql[2] = { KEYS_BY_IDS (""), KEYS_BY_IDS (AFTER) };

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


/* The @need matches with the lowest labels in a range, in a max-heap of labels. */
typedef struct
{
  guint32 label;
  gint64  id;
} Labelled;

typedef struct
{
  GArray  *heap;
  guint    need;
} Lowest;

static void
lowest_sift_down (GArray *heap,
                  guint   i)
{
  Labelled *items = (Labelled *) heap->data;

  for (;;)
    {
      guint child = 2 * i + 1;
      Labelled item;

      if (child >= heap->len)
        return;
      if (child + 1 < heap->len && items[child + 1].label > items[child].label)
        child++;
      if (items[i].label >= items[child].label)
        return;
      item = items[i];
      items[i] = items[child];
      items[child] = item;
      i = child;
    }
}

static void
lowest_offer (Lowest  *lowest,
              guint32  label,
              gint64   id)
{
  Labelled item = { label, id };
  Labelled *items;
  guint i;

  if (lowest->heap->len == lowest->need)
    {
      items = (Labelled *) lowest->heap->data;
      if (label >= items[0].label)
        return;
      items[0] = item;
      lowest_sift_down (lowest->heap, 0);
      return;
    }

  g_array_append_val (lowest->heap, item);
  items = (Labelled *) lowest->heap->data;
  for (i = lowest->heap->len - 1; i > 0 && items[(i - 1) / 2].label < items[i].label;
       i = (i - 1) / 2)
    {
      Labelled parent = items[(i - 1) / 2];

      items[(i - 1) / 2] = items[i];
      items[i] = parent;
    }
}

static int
labelled_compare (gconstpointer a,
                gconstpointer b)
{
  guint32 pa = ((const Labelled *) a)->label;
  guint32 pb = ((const Labelled *) b)->label;

  return pa < pb ? -1 : pa > pb;
}

/* The end of a statement's steps: an error unless they ran to its end (@rc SQLITE_DONE), and
 * the statement handed back. */
static gboolean
statement_end (const SqlitePreparer  *preparer,
               sqlite3_stmt          *stmt,
               int                    rc,
               GError               **error)
{
  if (rc != SQLITE_DONE)
    sqlite_set_error (error, preparer->path, sqlite3_db_handle (stmt), rc);
  preparer->done (stmt);
  return rc == SQLITE_DONE;
}

/* The ids of up to @need matches of the FTS5 query @query with a label in [@first, @last],
 * lowest labels first. A match without a label means the order is older than the index:
 * *@stale is set. */
static GArray *
lowest_matches (const SqlitePreparer  *preparer,
                const SqliteOrder     *order,
                const char            *query,
                guint32                first,
                guint32                last,
                guint                  need,
                gboolean              *stale,
                GError               **error)
{
  sqlite3_stmt *stmt = preparer->prepare (preparer->data, matches_sql, error);
  g_autoptr(GArray) ids = NULL;
  Lowest lowest = { g_array_sized_new (FALSE, FALSE, sizeof (Labelled), need), need };
  int rc;

  if (stmt == NULL)
    {
      g_array_unref (lowest.heap);
      return NULL;
    }

  sqlite3_bind_text (stmt, 1, query, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      guint32 label = sqlite_order_label (order, id);

      if (label == 0)
        *stale = TRUE;
      else if (label >= first && label <= last)
        lowest_offer (&lowest, label, id);
    }
  if (statement_end (preparer, stmt, rc, error))
    {
      g_array_sort (lowest.heap, labelled_compare);
      ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), lowest.heap->len);
      for (guint i = 0; i < lowest.heap->len; i++)
        g_array_append_val (ids, g_array_index (lowest.heap, Labelled, i).id);
    }
  g_array_unref (lowest.heap);
  return g_steal_pointer (&ids);
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
read_page (const SqlitePreparer        *preparer,
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
  return statement_end (preparer, stmt, rc, error);
}

/* The rows of @ids, in that order. */
static gboolean
read_rows_by_id (const SqlitePreparer  *preparer,
                 GArray                *ids,
                 int                    tier,
                 GPtrArray             *rows,
                 GError               **error)
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
  return statement_end (preparer, stmt, rc, error);
}

/* The ids of a tier's matches, a bit each, for a walk of the register's order that asks of
 * every row it passes whether it matches (SQLite's own `IN (SELECT …)` would copy every
 * match into a b-tree first). Ids are patients' rowids, dense from 1: a million patients
 * take 125 kB. */
typedef struct
{
  guint64  *bits;
  gsize     n_words;
  gint64    count;
  gboolean  beyond;  /* a match's id too large for a bit: only SQLite ranks them */
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

/* Every match of the tier's query, archived or not, from the FTS5 index alone. */
static gboolean
matches_fill (Matches               *matches,
              const SqlitePreparer  *preparer,
              const char            *query,
              GError               **error)
{
  sqlite3_stmt *stmt = preparer->prepare (preparer->data, matches_sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, query, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      if (id >= 0 && id < G_MAXUINT32)
        matches_add (matches, id);
      else
        matches->beyond = TRUE;
    }
  return statement_end (preparer, stmt, rc, error);
}

/* Without the order in memory, a tier's page is found in one of three ways. SQLite ranking
 * the matches (ROWS_READ) looks each up in patients_list_keys and sorts them: about 1 µs of
 * CPU a match at a million patients, 40 ms for the 80 000 matches of two letters. Walking
 * the register's order from its index and keeping the matches costs about 0.1 µs a row
 * walked, and a page of a common prefix is found after a few thousand rows; but the matches
 * of a prefix of family names lie together in that order, possibly far from its start. So
 * a page is walked while the walk, going by the share of matches among the rows walked so
 * far, promises to cost less than ranking every match. When it gives up, the range of sort
 * keys that begin as the first word typed is walked, and the few matches outside it looked
 * up (range_page ()); when too many lie outside, SQLite ranks them all. What was
 * walked before giving up costs at most about as much again. At a million patients this
 * takes the first page of 20 two-letter names from about 31 ms of CPU to about 18
 * (median), three letters from about 26 to 6 (bench-patients). */
#define RANK_PER_WALKED_ROW 10
/* The matches outside the range are looked up for about one and a half times what ranking
 * a match costs (their ids passed as JSON): worth it while they are at most two thirds of
 * the matches. */
#define LOOK_UP_COST 3
#define RANK_COST 2
/* Rows walked between two judgements of the walk's promise. */
#define WALK_SAMPLE 256

/* Whether a walk that has passed @walked rows and found @found of the @need it wants, among
 * @count matches in all, still promises to cost less than ranking the matches. */
static gboolean
walk_promising (gint64 walked,
                gint64 found,
                gint64 need,
                gint64 count)
{
  gint64 budget = count * RANK_PER_WALKED_ROW;
  gint64 wanted = MIN (need, count) - found;

  if (walked >= budget)
    return FALSE;
  /* Too few rows walked to judge the share of matches by. */
  if (walked < budget / 32)
    return TRUE;
  return walked + wanted * walked / (found + 1) <= budget;
}

typedef enum
{
  WALK_FAILED,
  WALK_GAVE_UP,
  WALK_DONE,
} WalkResult;

/* Walks the register's order after @after, adding to @ids those of up to @need matches;
 * each row walked counts as a row read. */
static WalkResult
walk_page (const SqlitePreparer        *preparer,
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
        result = WALK_GAVE_UP;
      if (result == WALK_GAVE_UP)
        break;
    }
  striae_store_debug_rows_read ((guint) MIN (walked, G_MAXUINT));
  if (result == WALK_DONE && rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      sqlite_set_error (error, preparer->path, sqlite3_db_handle (stmt), rc);
      result = WALK_FAILED;
    }
  preparer->done (stmt);
  return result;
}

/* A match placed by its keys: the sort key's bytes (SQLite's BINARY collation), then the
 * id. */
typedef struct
{
  gint64  id;
  char   *key;
  gsize   key_len;
} Keyed;

static void
keyed_clear (gpointer data)
{
  g_free (((Keyed *) data)->key);
}

static int
keyed_compare_keys (const char *a,
                    gsize       a_len,
                    gint64      a_id,
                    const char *b,
                    gsize       b_len,
                    gint64      b_id)
{
  int by_key = memcmp (a, b, MIN (a_len, b_len));

  if (by_key != 0)
    return by_key;
  if (a_len != b_len)
    return a_len < b_len ? -1 : 1;
  return a_id < b_id ? -1 : a_id > b_id;
}

static int
keyed_compare (gconstpointer a,
               gconstpointer b)
{
  const Keyed *ka = a;
  const Keyed *kb = b;

  return keyed_compare_keys (ka->key, ka->key_len, ka->id, kb->key, kb->key_len, kb->id);
}

static void
keyed_append (GArray       *keyed,
              gint64        id,
              sqlite3_stmt *stmt,
              int           column)
{
  Keyed item = { id, NULL, (gsize) sqlite3_column_bytes (stmt, column) };

  item.key = g_memdup2 (sqlite3_column_blob (stmt, column), item.key_len + 1);
  g_array_append_val (keyed, item);
}

/* The sort keys that begin as @hint: from @hint to @hint with its last byte one higher
 * (UTF-8 has no byte 0xff), compared byte by byte as the index does. */
static void
bind_range (sqlite3_stmt *stmt,
            const char   *hint)
{
  gsize len = strlen (hint);
  char *end = g_strdup (hint);

  end[len - 1] = (char) ((guchar) end[len - 1] + 1);
  sqlite3_bind_text (stmt, 7, hint, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, end, (int) len, g_free);
}

/* The first @need matches between the sort keys that begin as @hint, in the register's
 * order, into @in_range; each match found there is taken out of @matches. Gives up when
 * the range promises to cost more than ranking every match. */
static WalkResult
walk_range (const SqlitePreparer        *preparer,
            Matches                     *matches,
            const char                  *hint,
            gboolean                     archived,
            const StriaePatientSummary  *after,
            guint                        need,
            GArray                      *in_range,
            GError                     **error)
{
  sqlite3_stmt *stmt = preparer->prepare (preparer->data,
                                          rows_sql[after != NULL][ROWS_STATEMENT_WALK_RANGE],
                                          error);
  gint64 budget = matches->count * RANK_PER_WALKED_ROW;
  WalkResult result = WALK_DONE;
  gint64 walked = 0;
  int rc;

  if (stmt == NULL)
    return WALK_FAILED;

  bind_page (stmt, NULL, archived, after, -1);
  bind_range (stmt, hint);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      if (matches_has (matches, id))
        {
          matches->bits[id / 64] &= ~(G_GUINT64_CONSTANT (1) << (id % 64));
          if (in_range->len < need)
            keyed_append (in_range, id, stmt, 1);
        }
      if (++walked > budget)
        {
          result = WALK_GAVE_UP;
          break;
        }
    }
  striae_store_debug_rows_read ((guint) MIN (walked, G_MAXUINT));
  if (result == WALK_DONE && rc != SQLITE_DONE)
    {
      sqlite_set_error (error, preparer->path, sqlite3_db_handle (stmt), rc);
      result = WALK_FAILED;
    }
  preparer->done (stmt);
  return result;
}

/* The first @need matches left in @matches, of the archive state searched and after
 * @after, in the register's order, into @outside: looked up by SQLite from their ids, given
 * as one JSON array, so that the look-ups cost about what they cost ranking every match. */
static gboolean
look_up_outside (const SqlitePreparer        *preparer,
                 const Matches               *matches,
                 gint64                       left,
                 gboolean                     archived,
                 const StriaePatientSummary  *after,
                 guint                        need,
                 GArray                      *outside,
                 GError                     **error)
{
  sqlite3_stmt *stmt = preparer->prepare (preparer->data, keys_by_ids_sql[after != NULL],
                                          error);
  GString *json;
  int rc;

  if (stmt == NULL)
    return FALSE;

  json = g_string_sized_new ((gsize) left * 8 + 2);
  g_string_append_c (json, '[');
  for (gsize word = 0; word < matches->n_words; word++)
    for (guint64 bits = matches->bits[word]; bits != 0; bits &= bits - 1)
      g_string_append_printf (json, "%s%" G_GINT64_FORMAT, json->len > 1 ? "," : "",
                              (gint64) word * 64 + __builtin_ctzll (bits));
  g_string_append_c (json, ']');

  bind_page (stmt, NULL, archived, after, need);
  sqlite3_bind_text (stmt, 9, json->str, (int) json->len, g_free);
  g_string_free (json, FALSE);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    keyed_append (outside, sqlite3_column_int64 (stmt, 0), stmt, 1);
  striae_store_debug_rows_read ((guint) MIN (left, G_MAXUINT));
  return statement_end (preparer, stmt, rc, error);
}

/* The page when the walk from the register's start gave up: the matches of a prefix of
 * family names lie together where the sort keys begin as the first word typed (@hint), so
 * that range is walked, and only the matches not found there are looked up and sorted by
 * SQLite (the rest of a culture's given names, the later words of family names); the page
 * is the first @need of both, merged. Whatever the range, the page is exact: it only decides which
 * matches are walked rather than looked up. */
static WalkResult
range_page (const SqlitePreparer        *preparer,
            Matches                     *matches,
            const char                  *hint,
            gboolean                     archived,
            const StriaePatientSummary  *after,
            guint                        need,
            GArray                      *ids,
            GError                     **error)
{
  g_autoptr(GArray) in_range = g_array_new (FALSE, FALSE, sizeof (Keyed));
  g_autoptr(GArray) outside = g_array_new (FALSE, FALSE, sizeof (Keyed));
  gint64 count = matches->count;
  gint64 left = 0;
  WalkResult result;
  guint r = 0, o = 0;

  g_array_set_clear_func (in_range, keyed_clear);
  g_array_set_clear_func (outside, keyed_clear);
  result = walk_range (preparer, matches, hint, archived, after, need, in_range, error);
  if (result != WALK_DONE)
    return result;
  /* Too many matches outside the range: SQLite ranks them all for less. */
  for (gsize word = 0; word < matches->n_words; word++)
    left += __builtin_popcountll (matches->bits[word]);
  if (left * LOOK_UP_COST > count * RANK_COST)
    return WALK_GAVE_UP;
  if (left > 0 &&
      !look_up_outside (preparer, matches, left, archived, after, need, outside, error))
    return WALK_FAILED;

  while (ids->len < need && (r < in_range->len || o < outside->len))
    {
      gboolean from_range = o == outside->len ||
                            (r < in_range->len &&
                             keyed_compare (&g_array_index (in_range, Keyed, r),
                                            &g_array_index (outside, Keyed, o)) < 0);
      const Keyed *next = from_range ? &g_array_index (in_range, Keyed, r++)
                                     : &g_array_index (outside, Keyed, o++);

      g_array_append_val (ids, next->id);
    }
  return WALK_DONE;
}

/* Up to @need rows of the tier whose FTS5 query is @query, after @after, without the order
 * in memory: walked, or ranked by SQLite (every match looked up counts as a row read). */
static gboolean
ranked_page (const SqlitePreparer        *preparer,
             const char                  *query,
             const char                  *hint,
             gboolean                     archived,
             const StriaePatientSummary  *after,
             guint                        need,
             int                          tier,
             GPtrArray                   *rows,
             GError                     **error)
{
  g_auto(Matches) matches = { 0 };
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (!matches_fill (&matches, preparer, query, error))
    return FALSE;
  if (matches.count == 0)
    return TRUE;

  if (matches.count > need && !matches.beyond)
    {
      WalkResult result = walk_page (preparer, &matches, archived, after, need, ids, error);

      if (result == WALK_GAVE_UP && hint != NULL)
        {
          g_array_set_size (ids, 0);
          /* Takes the range's matches out of the bit set: SQLite ranks them all if it
           * gives up too. */
          result = range_page (preparer, &matches, hint, archived, after, need, ids, error);
        }
      if (result == WALK_FAILED)
        return FALSE;
      if (result == WALK_DONE)
        return read_rows_by_id (preparer, ids, tier, rows, error);
    }

  striae_store_debug_rows_read ((guint) MIN (matches.count, G_MAXUINT));
  return read_page (preparer, ROWS_STATEMENT_READ, query, archived, after, need, tier, rows,
                    error);
}

/* Up to @need rows of the tier whose FTS5 query is @query, after @after, in the register's
 * order @order (%NULL: walked or ranked by SQLite, ranked_page ()); *@stale set when @order
 * is older than the index. */
static gboolean
tier_page (const SqlitePreparer        *preparer,
           const SqliteOrder           *order,
           const char                  *query,
           const char                  *hint,
           gboolean                     archived,
           const StriaePatientSummary  *after,
           guint                        need,
           int                          tier,
           GPtrArray                   *rows,
           gboolean                    *stale,
           GError                     **error)
{
  guint32 first, last;
  g_autoptr(GArray) ids = NULL;

  /* No order in memory yet (being built): the same rows in the same order without it. */
  if (order == NULL)
    return ranked_page (preparer, query, hint, archived, after, need, tier, rows, error);

  sqlite_order_get_span (order, archived, &first, &last);
  if (after != NULL)
    {
      guint32 label = sqlite_order_label (order, after->id);

      /* The patient the page follows is gone: its keys place the page. */
      if (label == 0)
        return ranked_page (preparer, query, hint, archived, after, need, tier, rows, error);
      first = MAX (first, label + 1);
    }

  ids = lowest_matches (preparer, order, query, first, last, need, stale, error);
  return ids != NULL && read_rows_by_id (preparer, ids, tier, rows, error);
}

/* Where the sort keys of the patients whose family name begins as @word begin: @word folded
 * as the records layer folds names for sorting (striae-store.c: compatibility
 * decomposition, no marks, case folded). A hint only (range_page ()): %NULL when empty. */
static char *
sort_key_hint (const char *word)
{
  g_autofree char *decomposed = g_utf8_normalize (word, -1, G_NORMALIZE_NFKD);
  g_autoptr(GString) bare = g_string_new (NULL);

  if (decomposed == NULL)
    return NULL;
  for (const char *p = decomposed; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_ismark (c))
        g_string_append_unichar (bare, c);
    }
  if (bare->len == 0)
    return NULL;
  return g_utf8_casefold (bare->str, bare->len);
}

/* A page of rows: the tiers one after the other from the one of @after, until @limit rows
 * are found (0: every row). Without @order, each tier's page is read and sorted by SQLite:
 * the same rows in the same order, at the cost of every match of the tier. */
static GPtrArray *
search_page (const SqlitePreparer        *preparer,
             const SqliteOrder           *order,
             const char                  *text,
             gboolean                     archived,
             const StriaePatientSummary  *after,
             guint                        limit,
             gboolean                    *stale,
             GError                     **error)
{
  g_autoptr(GPtrArray) rows =
    g_ptr_array_new_with_free_func ((GDestroyNotify) striae_patient_summary_free);
  g_auto(Typed) typed = { 0 };
  g_autofree char *hint = NULL;

  if (!typed_parse (&typed, text))
    {
      if (!read_page (preparer, ROWS_STATEMENT_ALL, NULL, archived, after,
                      limit == 0 ? -1 : (gint64) limit, 0, rows, error))
        return NULL;
      return g_steal_pointer (&rows);
    }

  hint = sort_key_hint (g_ptr_array_index (typed.words, 0));
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
        done = tier_page (preparer, order, query, hint, archived, from, limit - rows->len,
                          tier, rows, stale, error);
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

/* Whether a page of a search for @text needs the register's order in memory: the list of
 * everyone (nothing searchable typed) and every match at once (no limit) are read in the
 * register's order by SQLite from its index, so that the window's first page, the whole
 * register, never waits for the order of a million patients to be built (issue 15). */
static gboolean
search_needs_order (const char *text,
                    guint       limit)
{
  g_auto(Typed) typed = { 0 };

  return limit > 0 && typed_parse (&typed, text);
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
  SqlitePreparer preparer = { prepare_cached, sqlite_statement_done, conn, self->path };
  GPtrArray *rows = NULL;
  gboolean stale = FALSE;
  gboolean typed = search_needs_order (text, limit);
  gboolean needs_order = typed;
  gboolean begun;
  const SqliteOrder *order = NULL;

  striae_store_mutex_lock (&conn->lock);

  /* A test compares the pages SQL ranks alone. */
  if (striae_store_debug_get_order () == STRIAE_STORE_DEBUG_ORDER_NEVER)
    needs_order = FALSE;
  /* A typed search's page takes several statements (its matches, a walk, look-ups): all
   * in one snapshot, which also spares each its own read transaction. */
  if (needs_order)
    begun = sqlite_order_for_search (self, &preparer, &order, error);
  else
    begun = !typed || sqlite_snapshot_begin (conn->db, self->path, error);
  if (begun)
    {
      if (cancellable != NULL)
        sqlite3_progress_handler (conn->db, 1000, search_progress_cb, cancellable);
      rows = search_page (&preparer, order, text, archived, after, limit, &stale, error);
      if (rows != NULL && stale)
        {
          sqlite_order_drop_stale (self);
          g_clear_pointer (&rows, g_ptr_array_unref);
          rows = search_page (&preparer, NULL, text, archived, after, limit, &stale, error);
        }
      if (cancellable != NULL)
        sqlite3_progress_handler (conn->db, 0, NULL, NULL);
      sqlite_snapshot_end (conn->db);
    }
  if (rows != NULL && !typed && limit > 0)
    sqlite_order_prepare (self);

  g_mutex_unlock (&conn->lock);

  if (rows == NULL && g_cancellable_is_cancelled (cancellable))
    {
      g_clear_error (error);
      g_cancellable_set_error_if_cancelled (cancellable, error);
    }

  return rows;
}

/**
 * striae_sqlite_backend_search_bare:
 * @db: a connection to a Striae file that the caller opened with sqlite3 itself
 * @order: its register's order, from striae_sqlite_backend_order_new_bare()
 *
 * For bench-patients: the statements of the patient list's first page of a search for
 * @text among the patients not archived, run on @db and prepared anew each time, without
 * the store around them (no lock, no statement cache, no thread).
 *
 * Returns: the number of rows, or -1 with @error set
 */
int
striae_sqlite_backend_search_bare (sqlite3            *db,
                                   const SqliteOrder  *order,
                                   const char         *text,
                                   guint               limit,
                                   GError            **error)
{
  SqlitePreparer preparer = { sqlite_prepare_bare, (void (*) (sqlite3_stmt *)) sqlite3_finalize,
                              db, sqlite3_db_filename (db, "main") };
  gboolean stale = FALSE;
  g_autoptr(GPtrArray) rows = search_page (&preparer, order, text, FALSE, NULL, limit, &stale,
                                           error);

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
