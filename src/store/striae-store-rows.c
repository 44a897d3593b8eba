/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "striae-store-private.h"

/* The patient list's search: rows rather than ids, a page at a time, and a count of the
 * matches apart from them, so that the window shows the first rows of a search at once
 * whatever the size of the register, and never asks the store anything to show a row. */

/* What a search looks for: a date written the way the patient editor takes it (14.3.1991 in
 * German) looks for the stored ISO date, read by the same parser. */
char *
store_search_text (const char *text)
{
  GDate date;

  if (text == NULL)
    return g_strdup ("");
  if (striae_parse_date (text, &date, NULL))
    return striae_format_iso_date (&date);
  return g_strdup (text);
}

/**
 * striae_store_search_rows:
 * @flags: %STRIAE_SEARCH_FLAGS_ARCHIVED to search the archived patients instead of the others
 * @after: (nullable): the last row of the page before, %NULL for the first page
 * @limit: how many rows at most; 0 for all of them
 *
 * The rows (StriaePatientSummary) of the patients matching @text, in the order of
 * striae_store_search_patients_full() (best first; everyone in the register's order for an
 * empty @text), starting after @after: asking for pages one after the other, each after the
 * last row of the one before, gives every match once, in the order of one search for all of
 * them, as long as the records do not change in between (the store's "patients-changed"
 * says when they do). Blocks: call it from a worker thread, or use
 * striae_store_search_rows_async().
 *
 * Returns: (transfer container) (element-type StriaePatientSummary): the rows, or %NULL
 *   with @error set
 */
GPtrArray *
striae_store_search_rows (StriaeStore                 *self,
                          const char                  *text,
                          StriaeSearchFlags            flags,
                          const StriaePatientSummary  *after,
                          guint                        limit,
                          GCancellable                *cancellable,
                          GError                     **error)
{
  g_autofree char *search = NULL;

  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  search = store_search_text (text);
  return striae_store_backend_search_rows (self->backend, search,
                                           (flags & STRIAE_SEARCH_FLAGS_ARCHIVED) != 0,
                                           after, limit, cancellable, error);
}

/**
 * striae_store_count_matches:
 * @cap: count no further than this (0: count them all)
 *
 * How many patients striae_store_search_rows() lists for @text, up to @cap: a count of
 * 1 001 with @cap 1 001 says "more than 1 000". Blocks, like striae_store_search_rows().
 *
 * Returns: the count, or -1 with @error set
 */
gint64
striae_store_count_matches (StriaeStore        *self,
                            const char         *text,
                            StriaeSearchFlags   flags,
                            guint               cap,
                            GCancellable       *cancellable,
                            GError            **error)
{
  g_autofree char *search = NULL;

  g_return_val_if_fail (STRIAE_IS_STORE (self), -1);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return -1;

  search = store_search_text (text);
  return striae_store_backend_count_matches (self->backend, search,
                                             (flags & STRIAE_SEARCH_FLAGS_ARCHIVED) != 0,
                                             cap, cancellable, error);
}

typedef struct
{
  char                 *text;
  StriaeSearchFlags     flags;
  StriaePatientSummary *after;
  guint                 limit;
} RowsData;

static void
rows_data_free (RowsData *data)
{
  g_free (data->text);
  striae_patient_summary_free (data->after);
  g_free (data);
}

static RowsData *
rows_data_new (const char                 *text,
               StriaeSearchFlags           flags,
               const StriaePatientSummary *after,
               guint                       limit)
{
  RowsData *data = g_new0 (RowsData, 1);

  data->text = g_strdup (text);
  data->flags = flags;
  data->after = after != NULL ? striae_patient_summary_copy (after) : NULL;
  data->limit = limit;
  return data;
}

static void
search_rows_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  RowsData *data = task_data;
  GError *error = NULL;
  GPtrArray *rows;

  rows = striae_store_search_rows (source_object, data->text, data->flags, data->after,
                                   data->limit, cancellable, &error);
  if (rows == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, rows, (GDestroyNotify) g_ptr_array_unref);
}

/* As striae_store_search_rows(), in a worker thread; @after is copied. @io_priority orders
 * the search among the others waiting for a thread, and its callback among the main loop's
 * sources (G_PRIORITY_LOW: after the frames being drawn). */
void
striae_store_search_rows_async (StriaeStore                 *self,
                                const char                  *text,
                                StriaeSearchFlags            flags,
                                const StriaePatientSummary  *after,
                                guint                        limit,
                                int                          io_priority,
                                GCancellable                *cancellable,
                                GAsyncReadyCallback          callback,
                                gpointer                     user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (STRIAE_IS_STORE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, striae_store_search_rows_async);
  g_task_set_priority (task, io_priority);
  g_task_set_task_data (task, rows_data_new (text, flags, after, limit),
                        (GDestroyNotify) rows_data_free);
  g_task_run_in_thread (task, search_rows_thread);
}

/* Returns: (transfer container) (element-type StriaePatientSummary) */
GPtrArray *
striae_store_search_rows_finish (StriaeStore   *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
count_matches_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  RowsData *data = task_data;
  GError *error = NULL;
  gint64 count;

  count = striae_store_count_matches (source_object, data->text, data->flags, data->limit,
                                      cancellable, &error);
  if (count < 0)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, count);
}

/* As striae_store_count_matches(), in a worker thread. */
void
striae_store_count_matches_async (StriaeStore          *self,
                                  const char           *text,
                                  StriaeSearchFlags     flags,
                                  guint                 cap,
                                  GCancellable         *cancellable,
                                  GAsyncReadyCallback   callback,
                                  gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (STRIAE_IS_STORE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, striae_store_count_matches_async);
  g_task_set_task_data (task, rows_data_new (text, flags, NULL, cap),
                        (GDestroyNotify) rows_data_free);
  g_task_run_in_thread (task, count_matches_thread);
}

/* Returns: the count, or -1 with @error set */
gint64
striae_store_count_matches_finish (StriaeStore   *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE (self), -1);
  g_return_val_if_fail (g_task_is_valid (result, self), -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  return g_task_propagate_int (G_TASK (result), error);
}
