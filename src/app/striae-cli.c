/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "striae-cli.h"

/* Tabs and line breaks inside a field would break the one-patient-a-line format that
 * scripts read, so they are printed as spaces. */
static void
append_field (GString    *line,
              const char *text)
{
  for (const char *p = text ? text : ""; *p; p++)
    g_string_append_c (line, (*p == '\t' || *p == '\n' || *p == '\r') ? ' ' : *p);
}

gboolean
striae_cli_list_patients (StriaeStore    *store,
                          const char     *search,
                          GOutputStream  *out,
                          GError        **error)
{
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GString) line = g_string_new (NULL);

  g_return_val_if_fail (STRIAE_IS_STORE (store), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* A limit of 0 asks the store for every match. */
  ids = striae_store_search_patients (store, search ? search : "", 0, error);
  if (ids == NULL)
    return FALSE;

  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      g_autoptr(StriaePatient) patient = NULL;
      g_autoptr(GError) local_error = NULL;

      patient = striae_store_get_patient (store, id, &local_error);
      if (patient == NULL)
        {
          /* Deleted between the search and now: nothing to print. */
          if (g_error_matches (local_error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND))
            continue;
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }

      g_string_truncate (line, 0);
      g_string_append_printf (line, "%" G_GINT64_FORMAT "\t", id);
      append_field (line, striae_patient_get_family_name (patient));
      g_string_append_c (line, '\t');
      append_field (line, striae_patient_get_given_name (patient));
      g_string_append_c (line, '\t');
      append_field (line, striae_patient_get_birth_date (patient));
      g_string_append_c (line, '\n');

      if (!g_output_stream_write_all (out, line->str, line->len, NULL, NULL, error))
        return FALSE;
    }

  return g_output_stream_flush (out, NULL, error);
}
