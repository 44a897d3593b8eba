/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "striae-pg-private.h"

/* Searching patients on the server, on the search connection: what a person types is split
 * into words by the records layer and reaches the server as one parameter, which
 * striae_query () (striae-pg-schema.c) folds and makes a prefix query of. */

#define SELF(backend) STRIAE_PG_BACKEND (backend)

static gboolean
is_ascii_digits (const char *word)
{
  for (const char *p = word; *p; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;

  return TRUE;
}

/* The words, one space between them, and, when every word is a group of digits and there
 * are several, the digits run together (to match a phone number stored without spaces). */
static char *
build_words (const char  *text,
             char       **digits)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  g_autoptr(GPtrArray) words = striae_store_backend_split_words (valid);
  g_autoptr(GString) run = g_string_new (NULL);
  gboolean all_digits = TRUE;

  *digits = NULL;
  if (words->len == 0)
    return NULL;

  for (guint i = 0; i < words->len; i++)
    {
      const char *word = g_ptr_array_index (words, i);

      if (is_ascii_digits (word))
        g_string_append (run, word);
      else
        all_digits = FALSE;
    }
  if (all_digits && words->len > 1)
    *digits = g_string_free (g_steal_pointer (&run), FALSE);

  g_ptr_array_add (words, NULL);
  return g_strjoinv (" ", (char **) words->pdata);
}

/* The patient list's rows: the patients' own columns and their draft flag. The draft flag is
 * read for the rows of the page alone, once the page is chosen. */
#define ROW_COLUMNS \
  "p.id, p.given_name, p.family_name, p.birth_date," \
  " EXISTS (SELECT 1 FROM consultations c" \
  "   JOIN consultation_revisions r ON r.consultation_id = c.id AND r.status = 'draft'" \
  "   WHERE c.patient_id = p.id)," \
  " p.sort_key"
#define ORDER " ORDER BY p.sort_key COLLATE \"C\", p.id LIMIT $1"
#define AFTER_AT(a, b) " AND (p.sort_key COLLATE \"C\", p.id) > ($" a ", $" b "::bigint)"

/* Everyone: $1 the limit, $2 archived, after a row $3 its sort key and $4 its id. */
#define ROWS_ALL(after) \
  "SELECT " ROW_COLUMNS " FROM patients p WHERE p.archived = $2" after ORDER

/* The order is the file's (striae-sqlite-search.c): the patients whose every word matches in
 * their names, then with their search names (weight B), then with their phone number or
 * date of birth (C), then with their email address (D), each tier in the register's order.
 * Each tier is a statement of its own, so that the server walks the register's index and
 * stops at a page when a prefix matches many, or reads the few matches and sorts them, as
 * its estimates say; the next tier runs only when a page is not full.
 *
 * $1 the limit, $2 archived, $3 the words; tiers 2 and 3 have $4, the digits run together
 * (NULL unless every word is a group of digits); after a row, its sort key and id follow. */
#define MATCH(weights) "p.search @@ striae_query ($3" weights ")"
#define DIGITS "($4::text IS NOT NULL AND p.phone_digits LIKE $4 || '%')"
#define TIER_0 MATCH (", 'A'")
#define TIER_1 MATCH (", 'AB'") " AND NOT " MATCH (", 'A'")
#define TIER_2 "(" MATCH (", 'ABC'") " OR " DIGITS ") AND NOT " MATCH (", 'AB'")
#define TIER_3 MATCH ("") " AND NOT (" MATCH (", 'ABC'") " OR " DIGITS ")"
#define ROWS_TIER(condition, after) \
  "SELECT " ROW_COLUMNS " FROM patients p WHERE p.archived = $2 AND " condition after ORDER
/* The later tiers hold few patients as a rule (a name matched only through its search
 * names, a phone number, an email address), spread over the register: walking its index for
 * them reads most of it, so they are sorted (the order by an expression, which no index
 * gives). */
#define ORDER_SORTED " ORDER BY (p.sort_key || '') COLLATE \"C\", p.id LIMIT $1"
#define ROWS_FEW(condition, after) \
  "SELECT " ROW_COLUMNS " FROM patients p WHERE p.archived = $2 AND " condition after \
  ORDER_SORTED

/* The first tier's page from the prefixes of the names (schema step 20, issue 15): every
 * patient whose names match holds a word that begins with the query's longest word, and so
 * a row of patient_name_prefixes under that word's first three letters (or the whole word,
 * when shorter), whose index gives them in the register's order (its sort key and id are
 * the patient's, kept by the schema's triggers). The page is the first rows of that range
 * whose patient matches every word of the query, which for a query of one word of up to
 * three letters is every row. A query whose words together match far fewer than its longest
 * word's prefix ("ma t") could read much of the range: the walk stops after WALK_ROWS of its
 * rows; when they hold no whole page, the matches are read through the search column's
 * index and sorted (ROWS_FEW), which costs their number, as before the prefixes.
 *
 * Before them, the register's own index was walked for the page, testing each patient's
 * search column (a few microseconds each): for a prefix whose matches lie together far from
 * the register's start ("Tr", "Sm" at 100 000 patients) it read 85 000 rows, 0.6 s. */
#define WALK_ROWS "4000"
#define PREFIX_OF_LONGEST_WORD \
  "(SELECT left (w, 3) FROM unnest (striae_words ($3)) w ORDER BY length (w) DESC LIMIT 1)"
#define PREFIX_AFTER_AT(a, b) " AND (x.sort_key, x.patient_id) > ($" a ", $" b "::bigint)"
#define ROWS_WALK(condition, after) \
  "SELECT " ROW_COLUMNS " FROM (SELECT x.sort_key, x.patient_id FROM patient_name_prefixes x" \
  "  WHERE x.prefix = " PREFIX_OF_LONGEST_WORD " AND x.archived = $2" after \
  "  ORDER BY x.sort_key, x.patient_id LIMIT " WALK_ROWS ") x" \
  " JOIN patients p ON p.id = x.patient_id" \
  " WHERE p.archived = $2 AND " condition \
  " ORDER BY x.sort_key, x.patient_id LIMIT $1"
/* The query made once for the statement, as an uncorrelated subquery: the plan the server
 * keeps for a statement prepared once per session (a generic plan, chosen after a few runs)
 * otherwise calls striae_query () for each row it tests, 0.25 ms each, which made a page of
 * 200 rows 53 ms instead of 2 to 8 (EXPLAIN ANALYZE at 1 M patients). */
#define TIER_0_ONCE "p.search @@ (SELECT striae_query ($3, 'A'))"
static const char * const walk_sql[2] = {
  ROWS_WALK (TIER_0_ONCE, ""), ROWS_WALK (TIER_0_ONCE, PREFIX_AFTER_AT ("4", "5")),
};
/* The first tier, read and sorted. */
static const char * const read_sql[2] = {
  ROWS_FEW (TIER_0, ""), ROWS_FEW (TIER_0, AFTER_AT ("4", "5")),
};

#define N_TIERS 4
/* The tiers whose statements take the digits. */
#define DIGITS_TIER 2

static const char * const all_sql[2] = { ROWS_ALL (""), ROWS_ALL (AFTER_AT ("3", "4")) };
static const char * const tier_sql[2][N_TIERS] = {
  { ROWS_TIER (TIER_0, ""), ROWS_FEW (TIER_1, ""), ROWS_FEW (TIER_2, ""),
    ROWS_FEW (TIER_3, "") },
  { ROWS_TIER (TIER_0, AFTER_AT ("4", "5")), ROWS_FEW (TIER_1, AFTER_AT ("4", "5")),
    ROWS_FEW (TIER_2, AFTER_AT ("5", "6")), ROWS_FEW (TIER_3, AFTER_AT ("5", "6")) },
};

/* Runs one statement of a page, on the store's connection or on a bare one. */
typedef struct
{
  PGresult *(*run) (gpointer             data,
                    const char          *sql,
                    int                  n_params,
                    const char * const  *params,
                    GError             **error);
  gpointer    data;
} Runner;

static StriaePatientSummary *
summary_from_row (const PGresult *result,
                  int             row,
                  int             tier)
{
  StriaePatientSummary *summary = striae_patient_summary_new ();

  summary->id = pg_int (result, row, 0);
  summary->given_name = g_strdup (PQgetvalue (result, row, 1));
  summary->family_name = g_strdup (PQgetvalue (result, row, 2));
  summary->birth_date = g_strdup (PQgetvalue (result, row, 3));
  summary->has_draft = g_str_equal (PQgetvalue (result, row, 4), "t");
  summary->rank = tier;
  summary->sort_key = g_strdup (PQgetvalue (result, row, 5));
  return summary;
}

static gboolean
add_rows (const Runner        *runner,
          const char          *sql,
          int                  n_params,
          const char * const  *params,
          int                  tier,
          GPtrArray           *rows,
          GError             **error)
{
  g_autoptr(PGresult) result = runner->run (runner->data, sql, n_params, params, error);

  if (result == NULL)
    return FALSE;

  for (int i = 0; i < PQntuples (result); i++)
    {
      g_ptr_array_add (rows, summary_from_row (result, i, tier));
      striae_store_debug_row_read ();
    }
  return TRUE;
}

/* A page of rows: the tiers one after the other from the one of @after, until @limit rows are
 * found (0: every row). */
static GPtrArray *
search_page (const Runner                *runner,
             const char                  *text,
             gboolean                     archived,
             const StriaePatientSummary  *after,
             guint                        limit,
             GError                     **error)
{
  g_autoptr(GPtrArray) rows =
    g_ptr_array_new_with_free_func ((GDestroyNotify) striae_patient_summary_free);
  g_autofree char *digits = NULL;
  g_autofree char *words = build_words (text, &digits);
  g_autofree char *id = after != NULL ? pg_int_text (after->id) : NULL;
  const char *sort_key = after != NULL ? after->sort_key : NULL;

  if (words == NULL)
    {
      g_autofree char *limit_text = limit > 0 ? g_strdup_printf ("%u", limit) : NULL;
      const char *params[] = { limit_text, archived ? "t" : "f", sort_key, id };

      if (!add_rows (runner, all_sql[after != NULL], after != NULL ? 4 : 2, params, 0, rows,
                     error))
        return NULL;
      return g_steal_pointer (&rows);
    }

  for (int tier = after != NULL ? CLAMP ((int) after->rank, 0, N_TIERS - 1) : 0;
       tier < N_TIERS && (limit == 0 || rows->len < limit);
       tier++)
    {
      gboolean from = after != NULL && tier == (int) after->rank;
      g_autofree char *limit_text =
        limit > 0 ? g_strdup_printf ("%u", limit - rows->len) : NULL;
      const char *params[6] = { limit_text, archived ? "t" : "f", words };
      int n_params = 3;

      if (tier >= DIGITS_TIER)
        params[n_params++] = digits;
      if (from)
        {
          params[n_params++] = sort_key;
          params[n_params++] = id;
        }

      if (tier == 0 && limit > 0)
        {
          guint before = rows->len;

          if (!add_rows (runner, walk_sql[from], n_params, params, tier, rows, error))
            return NULL;
          if (rows->len == limit)
            continue;
          g_ptr_array_set_size (rows, before);
          if (!add_rows (runner, read_sql[from], n_params, params, tier, rows, error))
            return NULL;
          continue;
        }

      if (!add_rows (runner, tier_sql[from][tier], n_params, params, tier, rows, error))
        return NULL;
    }

  return g_steal_pointer (&rows);
}

static PGresult *
run_bare (gpointer             data,
          const char          *sql,
          int                  n_params,
          const char * const  *params,
          GError             **error)
{
  PGresult *result = PQexecParams (data, sql, n_params, NULL, params, NULL, NULL, 0);

  if (PQresultStatus (result) == PGRES_TUPLES_OK)
    return result;

  g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FAILED, "%s",
               PQerrorMessage (data));
  PQclear (result);
  return NULL;
}

/**
 * striae_pg_backend_search_bare:
 * @conn: a connection to the records that the caller opened with libpq itself
 *
 * For bench-server: the statements of the patient list's first page of a search for @text
 * among the patients not archived, as striae_store_search_rows() sends them, run on @conn
 * without the store around them (no lock, no thread).
 *
 * Returns: the number of rows, or -1 with @error set
 */
int
striae_pg_backend_search_bare (PGconn      *conn,
                               const char  *text,
                               guint        limit,
                               GError     **error)
{
  Runner runner = { run_bare, conn };
  g_autoptr(GPtrArray) rows = search_page (&runner, text, FALSE, NULL, limit, error);

  return rows != NULL ? (int) rows->len : -1;
}

/* One statement on the `rows` connection, which @cancellable cancels on the server. */
static PGresult *
run_on_rows (StriaePgBackend     *self,
             const char          *sql,
             int                  n_params,
             const char * const  *params,
             GCancellable        *cancellable,
             GError             **error)
{
  PGresult *result;

  striae_store_mutex_lock (&self->rows.lock);
  result = pg_run_reader (self, &self->rows, sql, n_params, params, cancellable, error);
  g_mutex_unlock (&self->rows.lock);

  if (result == NULL && g_cancellable_is_cancelled (cancellable))
    {
      g_clear_error (error);
      g_cancellable_set_error_if_cancelled (cancellable, error);
    }
  return result;
}

typedef struct
{
  StriaePgBackend *self;
  GCancellable    *cancellable;
} RowsRun;

static PGresult *
run_rows (gpointer             data,
          const char          *sql,
          int                  n_params,
          const char * const  *params,
          GError             **error)
{
  RowsRun *run = data;

  return run_on_rows (run->self, sql, n_params, params, run->cancellable, error);
}

static GPtrArray *
pg_search_rows (StriaeStoreBackend          *backend,
                const char                  *text,
                gboolean                     archived,
                const StriaePatientSummary  *after,
                guint                        limit,
                GCancellable                *cancellable,
                GError                     **error)
{
  RowsRun run = { SELF (backend), cancellable };
  Runner runner = { run_rows, &run };

  return search_page (&runner, text, archived, after, limit, error);
}

static gint64
pg_count_matches (StriaeStoreBackend  *backend,
                  const char          *text,
                  gboolean             archived,
                  guint                cap,
                  GCancellable        *cancellable,
                  GError             **error)
{
  static const char count_all_sql[] =
    "SELECT count (*) FROM (SELECT 1 FROM patients WHERE archived = $2 LIMIT $1) m";
  static const char count_match_sql[] =
    "SELECT count (*) FROM (SELECT 1 FROM patients p, striae_query ($3) q"
    "  WHERE p.archived = $2"
    "    AND (p.search @@ q OR ($4::text IS NOT NULL AND p.phone_digits LIKE $4 || '%'))"
    "  LIMIT $1) m";
  StriaePgBackend *self = SELF (backend);
  g_autofree char *digits = NULL;
  g_autofree char *words = build_words (text, &digits);
  g_autofree char *cap_text = cap > 0 ? g_strdup_printf ("%u", cap) : NULL;
  const char *params[] = { cap_text, archived ? "t" : "f", words, digits };
  g_autoptr(PGresult) result = NULL;

  result = run_on_rows (self, words != NULL ? count_match_sql : count_all_sql,
                        words != NULL ? 4 : 2, params, cancellable, error);
  if (result == NULL)
    return -1;

  return pg_int (result, 0, 0);
}

void
pg_search_iface_init (StriaeStoreBackendInterface *iface)
{
  iface->search_rows = pg_search_rows;
  iface->count_matches = pg_count_matches;
}
