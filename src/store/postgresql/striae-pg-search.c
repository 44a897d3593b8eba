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

/* The patient list's rows: the patients' own columns, their draft flag and their place in
 * the order (the tier as the rank, then the sort key, then the id). The draft flag is read
 * for the rows of the page alone, once the page is chosen. */
#define DRAFT_OF(id) \
  "EXISTS (SELECT 1 FROM consultations c" \
  "  JOIN consultation_revisions r ON r.consultation_id = c.id AND r.status = 'draft'" \
  "  WHERE c.patient_id = " id ")"

/* $1 the limit, $2 archived, after a row $3 its sort key and $4 its id. */
#define ROWS_ALL(after) \
  "SELECT p.id, p.given_name, p.family_name, p.birth_date, " DRAFT_OF ("p.id") "," \
  "  0, p.sort_key" \
  "  FROM patients p WHERE p.archived = $2" after \
  "  ORDER BY p.sort_key COLLATE \"C\", p.id LIMIT $1"
#define AFTER_ALL " AND (p.sort_key COLLATE \"C\", p.id) > ($3, $4::bigint)"

/* $1 the limit, $2 archived, $3 the words, $4 the digits run together (NULL unless every
 * word is a group of digits), $5 the tier of the row to start after (-1: from the first),
 * $6 its sort key, $7 its id. The order is the file's (striae-sqlite-search.c): the
 * patients whose every word matches in their names, then with their search names, then with
 * their phone number or date of birth, then with their email address, each tier in the
 * register's order. Each tier is a page of its own, which the server may find by walking
 * the register's index when a prefix matches many; the first @limit of them make the
 * page. */
#define DIGITS "($4::text IS NOT NULL AND p.phone_digits LIKE $4 || '%')"
#define TIER(t, condition) \
  "(SELECT " #t " AS tier, p.id, p.sort_key FROM patients p" \
  "   WHERE p.archived = $2 AND " condition \
  "     AND (" #t " > $5::int OR (" #t " = $5::int" \
  "          AND (p.sort_key COLLATE \"C\", p.id) > ($6, $7::bigint)))" \
  "   ORDER BY p.sort_key COLLATE \"C\", p.id LIMIT $1)"
static const char match_sql[] =
  "SELECT p.id, p.given_name, p.family_name, p.birth_date, " DRAFT_OF ("p.id") ","
  "  m.tier, m.sort_key"
  "  FROM ("
  TIER (0, "p.search @@ striae_query ($3, 'A')")
  " UNION ALL "
  TIER (1, "p.search @@ striae_query ($3, 'AB') AND NOT p.search @@ striae_query ($3, 'A')")
  " UNION ALL "
  TIER (2, "(p.search @@ striae_query ($3, 'ABC') OR " DIGITS ")"
           " AND NOT p.search @@ striae_query ($3, 'AB')")
  " UNION ALL "
  TIER (3, "p.search @@ striae_query ($3)"
           " AND NOT (p.search @@ striae_query ($3, 'ABC') OR " DIGITS ")")
  ") m JOIN patients p ON p.id = m.id"
  "  ORDER BY m.tier, m.sort_key COLLATE \"C\", m.id LIMIT $1";

static const char * const all_sql[2] = { ROWS_ALL (""), ROWS_ALL (AFTER_ALL) };

/**
 * striae_pg_backend_search_statement:
 * @params: (out caller-allocates) (array fixed-size=7): the parameters, each a new string or
 *   %NULL (SQL NULL)
 *
 * The statement and parameters of the patient list's first page of a search for @text
 * among the patients not archived, as striae_store_search_rows() sends them: for
 * bench-server, which times the same statement on a bare connection.
 *
 * Returns: the statement; its number of parameters in @n_params
 */
const char *
striae_pg_backend_search_statement (const char  *text,
                                    guint        limit,
                                    char        *params[7],
                                    int         *n_params)
{
  char *digits = NULL;
  char *words = build_words (text, &digits);

  memset (params, 0, 7 * sizeof (char *));
  params[0] = limit > 0 ? g_strdup_printf ("%u", limit) : NULL;
  params[1] = g_strdup ("f");
  if (words == NULL)
    {
      *n_params = 2;
      return all_sql[0];
    }
  params[2] = words;
  params[3] = digits;
  params[4] = g_strdup ("-1");
  *n_params = 7;
  return match_sql;
}

static void
cancel_cb (GCancellable *cancellable,
           PGcancel     *cancel)
{
  char message[256];

  PQcancel (cancel, message, sizeof message);
}

static StriaePatientSummary *
summary_from_row (const PGresult *result,
                  int             row)
{
  StriaePatientSummary *summary = striae_patient_summary_new ();

  summary->id = pg_int (result, row, 0);
  summary->given_name = g_strdup (PQgetvalue (result, row, 1));
  summary->family_name = g_strdup (PQgetvalue (result, row, 2));
  summary->birth_date = g_strdup (PQgetvalue (result, row, 3));
  summary->has_draft = g_str_equal (PQgetvalue (result, row, 4), "t");
  summary->rank = g_ascii_strtod (PQgetvalue (result, row, 5), NULL);
  summary->sort_key = g_strdup (PQgetvalue (result, row, 6));
  return summary;
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
  PGcancel *cancel = NULL;
  gulong handler = 0;

  striae_store_mutex_lock (&self->rows.lock);
  if (!pg_open_reader (self, &self->rows, error))
    {
      g_mutex_unlock (&self->rows.lock);
      return NULL;
    }

  if (cancellable != NULL)
    {
      cancel = PQgetCancel (self->rows.conn);
      handler = g_cancellable_connect (cancellable, G_CALLBACK (cancel_cb), cancel, NULL);
    }

  result = pg_run (self, self->rows.conn, sql, n_params, params, error);

  if (cancellable != NULL)
    {
      g_cancellable_disconnect (cancellable, handler);
      PQfreeCancel (cancel);
    }
  g_mutex_unlock (&self->rows.lock);

  if (result == NULL && g_cancellable_is_cancelled (cancellable))
    {
      g_clear_error (error);
      g_cancellable_set_error_if_cancelled (cancellable, error);
    }
  return result;
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
  StriaePgBackend *self = SELF (backend);
  g_autofree char *digits = NULL;
  g_autofree char *words = build_words (text, &digits);
  g_autofree char *limit_text = limit > 0 ? g_strdup_printf ("%u", limit) : NULL;
  g_autofree char *tier = NULL;
  g_autofree char *id = NULL;
  g_autoptr(PGresult) result = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  const char *params[7] = { limit_text, archived ? "t" : "f" };
  const char *sql;
  int n_params;

  if (after != NULL)
    {
      tier = g_strdup_printf ("%d", (int) after->rank);
      id = pg_int_text (after->id);
    }

  if (words != NULL)
    {
      params[2] = words;
      params[3] = digits;
      params[4] = after != NULL ? tier : "-1";
      params[5] = after != NULL ? after->sort_key : NULL;
      params[6] = id;
      n_params = 7;
      sql = match_sql;
    }
  else
    {
      params[2] = after != NULL ? after->sort_key : NULL;
      params[3] = id;
      n_params = after != NULL ? 4 : 2;
      sql = all_sql[after != NULL];
    }

  result = run_on_rows (self, sql, n_params, params, cancellable, error);
  if (result == NULL)
    return NULL;

  rows = g_ptr_array_new_full (PQntuples (result),
                               (GDestroyNotify) striae_patient_summary_free);
  for (int i = 0; i < PQntuples (result); i++)
    {
      g_ptr_array_add (rows, summary_from_row (result, i));
      striae_store_debug_row_read ();
    }

  return g_steal_pointer (&rows);
}

/* The ids of a search, in the order of its rows. */
static GArray *
pg_search_patients (StriaeStoreBackend  *backend,
                    const char          *text,
                    guint                limit,
                    gboolean             archived,
                    GCancellable        *cancellable,
                    GError             **error)
{
  g_autoptr(GPtrArray) rows = pg_search_rows (backend, text, archived, NULL, limit,
                                              cancellable, error);
  GArray *ids;

  if (rows == NULL)
    return NULL;

  ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), rows->len);
  for (guint i = 0; i < rows->len; i++)
    g_array_append_val (ids, ((StriaePatientSummary *) g_ptr_array_index (rows, i))->id);
  return ids;
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
  iface->search_patients = pg_search_patients;
  iface->search_rows = pg_search_rows;
  iface->count_matches = pg_count_matches;
}
