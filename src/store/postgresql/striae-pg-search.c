/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

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

static const char all_sql[] =
  "SELECT id FROM patients WHERE archived = $2"
  "  ORDER BY sort_key COLLATE \"C\", id LIMIT $1";
/* Ranked by ts_rank with the weights {D, C, B, A}: email, phone and date of birth,
 * search names, names. */
static const char match_sql[] =
  "SELECT p.id FROM patients p, striae_query ($3) q"
  "  WHERE p.archived = $2"
  "    AND (p.search @@ q OR ($4::text IS NOT NULL AND p.phone_digits LIKE $4 || '%'))"
  "  ORDER BY ts_rank ('{0.1, 0.2, 0.8, 1.0}', p.search, q) DESC,"
  "           p.sort_key COLLATE \"C\", p.id"
  "  LIMIT $1";

/**
 * striae_pg_backend_search_statement:
 * @params: (out caller-allocates) (array fixed-size=4): the parameters, each a new string or
 *   %NULL (SQL NULL)
 *
 * The statement and parameters a search for @text among the patients not archived runs, as
 * striae_store_search_patients() sends them: for bench-server, which times the same
 * statement on a bare connection.
 *
 * Returns: the statement; its number of parameters in @n_params
 */
const char *
striae_pg_backend_search_statement (const char  *text,
                                    guint        limit,
                                    char        *params[4],
                                    int         *n_params)
{
  char *digits = NULL;
  char *words = build_words (text, &digits);

  params[0] = limit > 0 ? g_strdup_printf ("%u", limit) : NULL;
  params[1] = g_strdup ("f");
  params[2] = words;
  params[3] = digits;
  *n_params = words != NULL ? 4 : 2;
  return words != NULL ? match_sql : all_sql;
}

static void
cancel_cb (GCancellable *cancellable,
           PGcancel     *cancel)
{
  char message[256];

  PQcancel (cancel, message, sizeof message);
}

static GArray *
pg_search_patients (StriaeStoreBackend  *backend,
                    const char          *text,
                    guint                limit,
                    gboolean             archived,
                    GCancellable        *cancellable,
                    GError             **error)
{
  StriaePgBackend *self = SELF (backend);
  g_autofree char *digits = NULL;
  g_autofree char *words = build_words (text, &digits);
  g_autofree char *limit_text = limit > 0 ? g_strdup_printf ("%u", limit) : NULL;
  const char *params[] = { limit_text, archived ? "t" : "f", words, digits };
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(PGresult) result = NULL;
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

  result = pg_run (self, self->rows.conn, words != NULL ? match_sql : all_sql,
                   words != NULL ? 4 : 2, params, error);

  if (cancellable != NULL)
    {
      g_cancellable_disconnect (cancellable, handler);
      PQfreeCancel (cancel);
    }
  g_mutex_unlock (&self->rows.lock);

  if (result == NULL)
    {
      if (g_cancellable_is_cancelled (cancellable))
        {
          g_clear_error (error);
          g_cancellable_set_error_if_cancelled (cancellable, error);
        }
      return NULL;
    }

  for (int i = 0; i < PQntuples (result); i++)
    {
      gint64 id = pg_int (result, i, 0);

      g_array_append_val (ids, id);
    }

  return g_steal_pointer (&ids);
}

/* The patient list's rows: the patients' own columns, their draft flag and their place in
 * the order, the rank given as its opposite so that lower comes first as in the file. The
 * draft flag is read for the rows of the page alone, after the page is chosen. */
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

/* $1 the limit, $2 archived, $3 the words, $4 the digits run together; after a row $5 its
 * score, $6 its sort key, $7 its id. */
#define SCORE "ts_rank ('{0.1, 0.2, 0.8, 1.0}', p.search, q)"
#define ROWS_MATCH(after) \
  "SELECT p.id, p.given_name, p.family_name, p.birth_date, " DRAFT_OF ("p.id") "," \
  "  -m.score, m.sort_key" \
  "  FROM (SELECT p.id, " SCORE " AS score, p.sort_key" \
  "          FROM patients p, striae_query ($3) q" \
  "          WHERE p.archived = $2" \
  "            AND (p.search @@ q OR ($4::text IS NOT NULL AND p.phone_digits LIKE $4 || '%'))" \
  after \
  "          ORDER BY 2 DESC, p.sort_key COLLATE \"C\", p.id LIMIT $1) m" \
  "  JOIN patients p ON p.id = m.id" \
  "  ORDER BY m.score DESC, m.sort_key COLLATE \"C\", m.id"
#define AFTER_MATCH \
  " AND (" SCORE " < $5::real" \
  "      OR (" SCORE " = $5::real" \
  "          AND (p.sort_key COLLATE \"C\", p.id) > ($6, $7::bigint)))"

static const char * const rows_sql[2][2] = {
  { ROWS_ALL (""), ROWS_MATCH ("") },
  { ROWS_ALL (AFTER_ALL), ROWS_MATCH (AFTER_MATCH) },
};

/**
 * striae_pg_backend_rows_statement:
 * @params: (out caller-allocates) (array fixed-size=4): the parameters, each a new string or
 *   %NULL (SQL NULL)
 *
 * The statement and parameters of the patient list's first page of a search for @text
 * among the patients not archived, as striae_store_search_rows() sends them: for
 * bench-server, which times the same statement on a bare connection.
 *
 * Returns: the statement; its number of parameters in @n_params
 */
const char *
striae_pg_backend_rows_statement (const char  *text,
                                  guint        limit,
                                  char        *params[4],
                                  int         *n_params)
{
  char *digits = NULL;
  char *words = build_words (text, &digits);

  params[0] = limit > 0 ? g_strdup_printf ("%u", limit) : NULL;
  params[1] = g_strdup ("f");
  params[2] = words;
  params[3] = digits;
  *n_params = words != NULL ? 4 : 2;
  return rows_sql[0][words != NULL];
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
  g_autofree char *score = NULL;
  g_autofree char *id = NULL;
  g_autoptr(PGresult) result = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  const char *params[7] = { limit_text, archived ? "t" : "f" };
  int n_params;

  if (after != NULL)
    {
      /* A real's shortest text gives back the same real. */
      score = g_strdup_printf ("%.9g", -after->rank);
      id = pg_int_text (after->id);
    }

  if (words != NULL)
    {
      params[2] = words;
      params[3] = digits;
      params[4] = score;
      params[5] = after != NULL ? after->sort_key : NULL;
      params[6] = id;
      n_params = after != NULL ? 7 : 4;
    }
  else
    {
      params[2] = after != NULL ? after->sort_key : NULL;
      params[3] = id;
      n_params = after != NULL ? 4 : 2;
    }

  result = run_on_rows (self, rows_sql[after != NULL][words != NULL], n_params, params,
                        cancellable, error);
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
