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

/* A tier's page comes from the register's order in memory (SqliteOrder): the places of the
 * tier's matches, read from the FTS5 index alone, the first ones of the page kept, their
 * rows read by id. Finding a match's place in an index instead cost about 2 µs of CPU at a
 * million patients (most of it the read () of a page of that index), and walking the
 * register's order until a page of matches was found cost as much for the prefixes whose
 * matches lie far from its start: 18 ms for a first page of three letters. */

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
typedef enum
{
  ROWS_STATEMENT_ALL,
  ROWS_STATEMENT_READ,
} RowsStatement;

static const char * const rows_sql[2][2] = {
  { ROWS_ALL (""), ROWS_READ ("") },
  { ROWS_ALL (AFTER), ROWS_READ (AFTER) },
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

/* The register's order in memory: each patient's place in the order of the index on
 * (archived, sort_key), by id; 4 bytes a patient id (ids are patients' rowids, dense from 1),
 * built in one pass over that index. The backend builds it again when its patients changed
 * (sqlite_search_rows()). */
struct _SqliteOrder
{
  guint32 *places;    /* 1 + the place of the patient with that id; 0: no such patient */
  gsize    n_ids;
  guint32  n_active;  /* places 1 … n_active are the patients not archived */
  gint     changes;   /* the count of changes to patients it reflects (the backend's) */
};

void
sqlite_order_free (SqliteOrder *order)
{
  if (order == NULL)
    return;
  g_free (order->places);
  g_free (order);
}

static gboolean
order_add (SqliteOrder *order,
           gint64       id,
           guint32      place)
{
  if (id < 0 || id >= G_MAXUINT32)
    return FALSE;
  if ((gsize) id >= order->n_ids)
    {
      gsize n_ids = MAX ((gsize) id + 1, order->n_ids * 2);

      order->places = g_renew (guint32, order->places, n_ids);
      memset (order->places + order->n_ids, 0, (n_ids - order->n_ids) * sizeof (guint32));
      order->n_ids = n_ids;
    }
  order->places[id] = place;
  return TRUE;
}

static guint32
order_place (const SqliteOrder *order,
             gint64             id)
{
  return id >= 0 && (guint64) id < order->n_ids ? order->places[id] : 0;
}

static SqliteOrder *
order_new (const Preparer  *preparer,
           gint             changes,
           GError         **error)
{
  static const char order_sql[] =
    "SELECT id, archived FROM patients INDEXED BY patients_by_archived_sort_key"
    "  ORDER BY archived, sort_key, id";
  sqlite3_stmt *stmt = preparer->prepare (preparer->data, order_sql, error);
  g_autoptr(SqliteOrder) order = g_new0 (SqliteOrder, 1);
  guint32 place = 0;
  int rc;

  if (stmt == NULL)
    return NULL;

  order->changes = changes;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW && place < G_MAXUINT32 - 1 &&
         order_add (order, sqlite3_column_int64 (stmt, 0), ++place))
    {
      if (sqlite3_column_int (stmt, 1) == 0)
        order->n_active = place;
      striae_store_debug_row_read ();
    }
  if (rc == SQLITE_ROW)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FAILED,
                   "%s: a patient id out of range", preparer->path);
      rc = SQLITE_DONE;
      preparer->done (stmt);
      return NULL;
    }
  if (rc != SQLITE_DONE)
    sqlite_set_error (error, preparer->path, sqlite3_db_handle (stmt), rc);
  preparer->done (stmt);
  return rc == SQLITE_DONE ? g_steal_pointer (&order) : NULL;
}

/* The @need matches with the lowest places in a range, in a max-heap of places. */
typedef struct
{
  guint32 place;
  gint64  id;
} Placed;

typedef struct
{
  GArray  *heap;
  guint    need;
} Lowest;

static void
lowest_sift_down (GArray *heap,
                  guint   i)
{
  Placed *items = (Placed *) heap->data;

  for (;;)
    {
      guint child = 2 * i + 1;
      Placed item;

      if (child >= heap->len)
        return;
      if (child + 1 < heap->len && items[child + 1].place > items[child].place)
        child++;
      if (items[i].place >= items[child].place)
        return;
      item = items[i];
      items[i] = items[child];
      items[child] = item;
      i = child;
    }
}

static void
lowest_offer (Lowest  *lowest,
              guint32  place,
              gint64   id)
{
  Placed item = { place, id };
  Placed *items;
  guint i;

  if (lowest->heap->len == lowest->need)
    {
      items = (Placed *) lowest->heap->data;
      if (place >= items[0].place)
        return;
      items[0] = item;
      lowest_sift_down (lowest->heap, 0);
      return;
    }

  g_array_append_val (lowest->heap, item);
  items = (Placed *) lowest->heap->data;
  for (i = lowest->heap->len - 1; i > 0 && items[(i - 1) / 2].place < items[i].place;
       i = (i - 1) / 2)
    {
      Placed parent = items[(i - 1) / 2];

      items[(i - 1) / 2] = items[i];
      items[i] = parent;
    }
}

static int
placed_compare (gconstpointer a,
                gconstpointer b)
{
  guint32 pa = ((const Placed *) a)->place;
  guint32 pb = ((const Placed *) b)->place;

  return pa < pb ? -1 : pa > pb;
}

/* The ids of up to @need matches of the FTS5 query @query with a place in [@first, @last],
 * lowest places first. A match without a place means the order is older than the index:
 * *@stale is set. */
static GArray *
lowest_matches (const Preparer     *preparer,
                const SqliteOrder  *order,
                const char         *query,
                guint32             first,
                guint32             last,
                guint               need,
                gboolean           *stale,
                GError            **error)
{
  sqlite3_stmt *stmt = preparer->prepare (preparer->data, matches_sql, error);
  g_autoptr(GArray) ids = NULL;
  Lowest lowest = { g_array_sized_new (FALSE, FALSE, sizeof (Placed), need), need };
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
      guint32 place = order_place (order, id);

      if (place == 0)
        *stale = TRUE;
      else if (place >= first && place <= last)
        lowest_offer (&lowest, place, id);
    }
  if (rc != SQLITE_DONE)
    sqlite_set_error (error, preparer->path, sqlite3_db_handle (stmt), rc);
  preparer->done (stmt);

  if (rc == SQLITE_DONE)
    {
      g_array_sort (lowest.heap, placed_compare);
      ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), lowest.heap->len);
      for (guint i = 0; i < lowest.heap->len; i++)
        g_array_append_val (ids, g_array_index (lowest.heap, Placed, i).id);
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

/* Up to @need rows of the tier whose FTS5 query is @query, after @after, in the register's
 * order @order; *@stale set when @order is older than the index. */
static gboolean
tier_page (const Preparer              *preparer,
           const SqliteOrder           *order,
           const char                  *query,
           gboolean                     archived,
           const StriaePatientSummary  *after,
           guint                        need,
           int                          tier,
           GPtrArray                   *rows,
           gboolean                    *stale,
           GError                     **error)
{
  guint32 first = archived ? order->n_active + 1 : 1;
  guint32 last = archived ? G_MAXUINT32 : order->n_active;
  g_autoptr(GArray) ids = NULL;

  if (after != NULL)
    {
      guint32 place = order_place (order, after->id);

      /* The patient the page follows is gone: its keys place the page. */
      if (place == 0)
        return read_page (preparer, ROWS_STATEMENT_READ, query, archived, after, need, tier,
                          rows, error);
      first = MAX (first, place + 1);
    }

  ids = lowest_matches (preparer, order, query, first, last, need, stale, error);
  return ids != NULL && read_rows_by_id (preparer, ids, tier, rows, error);
}

/* A page of rows: the tiers one after the other from the one of @after, until @limit rows
 * are found (0: every row, read and sorted by SQLite: @order may be %NULL then). */
static GPtrArray *
search_page (const Preparer              *preparer,
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
        done = tier_page (preparer, order, query, archived, from, limit - rows->len, tier,
                          rows, stale, error);
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

/* The register's order as the patients are now, built again when they changed since (a
 * write of this process, seen by the update hook, or of another, seen by the records' poll)
 * or when @stale. With the lock of @conn held. */
static const SqliteOrder *
current_order (StriaeSqliteBackend  *self,
               const Preparer       *preparer,
               gboolean              stale,
               GError              **error)
{
  gint changes = g_atomic_int_get (&self->patients_changes);

  if (self->order == NULL || self->order->changes != changes || stale)
    {
      g_clear_pointer (&self->order, sqlite_order_free);
      self->order = order_new (preparer, changes, error);
    }
  return self->order;
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
  Preparer preparer = { prepare_cached, sqlite_statement_done, conn, self->path };
  GPtrArray *rows = NULL;
  gboolean stale = FALSE;
  gboolean needs_order = search_needs_order (text, limit);
  const SqliteOrder *order = NULL;

  striae_store_mutex_lock (&conn->lock);

  if (cancellable != NULL)
    sqlite3_progress_handler (conn->db, 1000, search_progress_cb, cancellable);
  /* A match the order does not know (a patient added since): once more with a new order. */
  for (int attempt = 0; attempt < 2 && (attempt == 0 || stale); attempt++)
    {
      g_clear_pointer (&rows, g_ptr_array_unref);
      if (needs_order)
        order = current_order (self, &preparer, stale, error);
      stale = FALSE;
      rows = order != NULL || !needs_order ? search_page (&preparer, order, text, archived,
                                                         after, limit, &stale, error)
                                           : NULL;
    }
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
 * striae_sqlite_backend_order_new_bare:
 * @db: a connection to a Striae file that the caller opened with sqlite3 itself
 *
 * For bench-patients: the register's order in memory, as the records keep it for their
 * searches, read on @db.
 *
 * Returns: (transfer full): the order, or %NULL with @error set
 */
SqliteOrder *
striae_sqlite_backend_order_new_bare (sqlite3  *db,
                                      GError  **error)
{
  Preparer preparer = { prepare_bare, (void (*) (sqlite3_stmt *)) sqlite3_finalize, db,
                        sqlite3_db_filename (db, "main") };

  return order_new (&preparer, 0, error);
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
  Preparer preparer = { prepare_bare, (void (*) (sqlite3_stmt *)) sqlite3_finalize, db,
                        sqlite3_db_filename (db, "main") };
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
