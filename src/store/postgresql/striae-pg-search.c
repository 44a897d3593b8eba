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

  g_mutex_lock (&self->search.lock);
  if (!pg_open_search (self, error))
    {
      g_mutex_unlock (&self->search.lock);
      return NULL;
    }

  if (cancellable != NULL)
    {
      cancel = PQgetCancel (self->search.conn);
      handler = g_cancellable_connect (cancellable, G_CALLBACK (cancel_cb), cancel, NULL);
    }

  result = pg_run (self, self->search.conn, words != NULL ? match_sql : all_sql,
                   words != NULL ? 4 : 2, params, error);

  if (cancellable != NULL)
    {
      g_cancellable_disconnect (cancellable, handler);
      PQfreeCancel (cancel);
    }
  g_mutex_unlock (&self->search.lock);

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

void
pg_search_iface_init (StriaeStoreBackendInterface *iface)
{
  iface->search_patients = pg_search_patients;
}
