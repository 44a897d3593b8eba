/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>

#include "striae-pg-private.h"

/* Session records on the server (the tables of step 12 in striae-pg-schema.c), as in the
 * file: the document in `data` is the truth, `status` and `date` are computed from it by the
 * schema's trigger (step 19), and the schema's triggers refuse any change to a signed
 * revision, for every client. */

#define SELF(backend) STRIAE_PG_BACKEND (backend)

/* Columns: 0 session id, 1 revision, 2 consultation id, 3 patient id, 4 data, 5 created,
 * 6 updated, 7 signed by, 8 signed at. */
#define SESSION_COLUMNS \
  "r.session_id, r.revision, s.consultation_id, s.patient_id, r.data, r.created, r.updated," \
  " r.signed_by, r.signed_at"
#define SESSION_FROM \
  " FROM treatment_sessions s JOIN treatment_session_revisions r ON r.session_id = s.id"
#define LATEST \
  " r.revision = (SELECT max (revision) FROM treatment_session_revisions" \
  "               WHERE session_id = s.id)"

static StriaeStoreSessionRevision *
revision_from_row (const PGresult *result,
                   int             row)
{
  StriaeStoreSessionRevision *revision = striae_store_session_revision_new ();

  revision->session_id = pg_int (result, row, 0);
  revision->revision = (guint) pg_int (result, row, 1);
  revision->consultation_id = pg_int (result, row, 2);
  revision->patient_id = pg_int (result, row, 3);
  revision->document = g_strdup (pg_value (result, row, 4));
  revision->created = striae_store_parse_timestamp (pg_value (result, row, 5));
  revision->updated = striae_store_parse_timestamp (pg_value (result, row, 6));
  revision->signed_by = g_strdup (pg_value (result, row, 7));
  revision->signed_at = striae_store_parse_timestamp (pg_value (result, row, 8));

  return revision;
}

/* From a SELECT of the consultation, so that a missing one inserts nothing rather than
 * failing (which would spoil the caller's transaction). */
static gboolean
pg_insert_treatment_session (StriaeStoreBackend  *backend,
                             gint64               consultation_id,
                             GDateTime           *created,
                             gint64              *id,
                             gint64              *patient_id,
                             GError             **error)
{
  static const char sql[] =
    "INSERT INTO treatment_sessions (consultation_id, patient_id, created)"
    "  SELECT id, patient_id, $2 FROM consultations WHERE id = $1"
    "  RETURNING id, patient_id";
  StriaePgBackend *self = SELF (backend);
  g_autofree char *id_text = pg_int_text (consultation_id);
  g_autofree char *created_text = pg_timestamp_text (created);
  const char *params[] = { id_text, created_text };
  g_autoptr(PGresult) result = pg_run (self, self->main.conn, sql, 2, params, error);

  if (result == NULL)
    return FALSE;
  if (PQntuples (result) > 0)
    {
      *id = pg_int (result, 0, 0);
      *patient_id = pg_int (result, 0, 1);
    }

  return TRUE;
}

static gboolean
pg_insert_session_revision (StriaeStoreBackend                *backend,
                            const StriaeStoreSessionRevision  *revision,
                            GError                           **error)
{
  static const char sql[] =
    "INSERT INTO treatment_session_revisions (session_id, revision, created, updated,"
    "                                         signed_by, signed_at, data)"
    "  VALUES ($1, $2, $3, $4, $5, $6, $7)";
  StriaePgBackend *self = SELF (backend);
  g_autofree char *id_text = pg_int_text (revision->session_id);
  g_autofree char *revision_text = pg_int_text (revision->revision);
  g_autofree char *created_text = pg_timestamp_text (revision->created);
  g_autofree char *updated_text = pg_timestamp_text (revision->updated);
  g_autofree char *signed_text = pg_timestamp_text (revision->signed_at);
  const char *params[] = {
    id_text, revision_text, created_text, updated_text, revision->signed_by, signed_text,
    revision->document
  };

  return pg_queue (self, sql, 7, params, error);
}

static gboolean
pg_update_session_revision (StriaeStoreBackend                *backend,
                            const StriaeStoreSessionRevision  *revision,
                            gboolean                          *found,
                            GError                           **error)
{
  static const char sql[] =
    "UPDATE treatment_session_revisions SET updated = $3, signed_by = $4, signed_at = $5,"
    "  data = $6"
    "  WHERE session_id = $1 AND revision = $2";
  StriaePgBackend *self = SELF (backend);
  g_autofree char *id_text = pg_int_text (revision->session_id);
  g_autofree char *revision_text = pg_int_text (revision->revision);
  g_autofree char *updated_text = pg_timestamp_text (revision->updated);
  g_autofree char *signed_text = pg_timestamp_text (revision->signed_at);
  const char *params[] = {
    id_text, revision_text, updated_text, revision->signed_by, signed_text, revision->document
  };
  PgStatement statement = { sql, 6, params, NULL };
  g_autoptr(PGresult) result = NULL;
  g_autofree char *state = NULL;

  result = pg_run_state (self, &statement, &state, error);
  if (result == NULL)
    {
      /* The schema's trigger on signed revisions (step 12). */
      if (g_strcmp0 (state, "P0001") == 0)
        {
          g_clear_error (error);
          g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_LOCKED,
                       _("Session record %" PRId64 " (revision %u) is signed and cannot be "
                         "changed. Amend it to make a correction."),
                       revision->session_id, revision->revision);
        }
      return FALSE;
    }

  *found = g_ascii_strtoll (PQcmdTuples (result), NULL, 10) > 0;
  return TRUE;
}

/* Inside a transaction the session's row is locked until it ends, so that no other PC saves
 * or signs it between the records layer's check and its write. */
static gboolean
pg_get_session_revision (StriaeStoreBackend           *backend,
                         gint64                        id,
                         guint                         revision,
                         StriaeStoreSessionRevision  **out,
                         GError                      **error)
{
  static const char read_sql[] =
    "SELECT " SESSION_COLUMNS SESSION_FROM
    "  WHERE s.id = $1 AND (r.revision = $2 OR ($2 = 0 AND" LATEST "))";
  static const char lock_sql[] =
    "SELECT " SESSION_COLUMNS SESSION_FROM
    "  WHERE s.id = $1 AND (r.revision = $2 OR ($2 = 0 AND" LATEST "))"
    "  FOR UPDATE OF s";
  StriaePgBackend *self = SELF (backend);
  g_autofree char *id_text = pg_int_text (id);
  g_autofree char *revision_text = pg_int_text (revision);
  const char *params[] = { id_text, revision_text };
  g_autoptr(PGresult) result = NULL;

  result = pg_run (self, self->main.conn, self->in_transaction ? lock_sql : read_sql, 2,
                   params, error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) > 0)
    *out = revision_from_row (result, 0);

  return TRUE;
}

static GPtrArray *
pg_list_session_revisions (StriaeStoreBackend  *backend,
                           gint64               consultation_id,
                           gint64               patient_id,
                           gboolean             every_revision,
                           GError             **error)
{
  static const char every[] =
    "SELECT " SESSION_COLUMNS SESSION_FROM
    "  WHERE s.patient_id = $1 ORDER BY s.id, r.revision";
  static const char by_consultation[] =
    "SELECT " SESSION_COLUMNS SESSION_FROM
    "  WHERE s.consultation_id = $1 AND" LATEST " ORDER BY r.date COLLATE \"C\", s.id";
  static const char by_patient[] =
    "SELECT " SESSION_COLUMNS SESSION_FROM
    "  WHERE s.patient_id = $1 AND" LATEST " ORDER BY r.date COLLATE \"C\", s.id";
  StriaePgBackend *self = SELF (backend);
  g_autofree char *id_text = pg_int_text (consultation_id != 0 ? consultation_id : patient_id);
  const char *params[] = { id_text };
  g_autoptr(PGresult) result = NULL;
  GPtrArray *list;

  result = pg_run (self, self->main.conn,
                   every_revision ? every
                                  : consultation_id != 0 ? by_consultation : by_patient,
                   1, params, error);
  if (result == NULL)
    return NULL;

  list = g_ptr_array_new_with_free_func ((GDestroyNotify) striae_store_session_revision_free);
  for (int i = 0; i < PQntuples (result); i++)
    g_ptr_array_add (list, revision_from_row (result, i));

  return list;
}

/* The revision's lots in one statement: each column travels as an array (unnest ()). */
static gboolean
pg_set_session_batches (StriaeStoreBackend  *backend,
                        gint64               session_id,
                        guint                revision,
                        GPtrArray           *batches,
                        GError             **error)
{
  static const char delete_sql[] =
    "DELETE FROM session_batches WHERE session_id = $1 AND revision = $2";
  static const char insert_sql[] =
    "INSERT INTO session_batches (session_id, revision, position, product, lot, lot_key)"
    "  SELECT $1, $2, b.n - 1, b.product, b.lot, b.lot_key"
    "    FROM unnest ($3::text[], $4::text[], $5::text[])"
    "      WITH ORDINALITY AS b (product, lot, lot_key, n)";
  StriaePgBackend *self = SELF (backend);
  g_autofree char *id_text = pg_int_text (session_id);
  g_autofree char *revision_text = pg_int_text (revision);
  g_autoptr(GString) products = g_string_new ("{");
  g_autoptr(GString) lots = g_string_new ("{");
  g_autoptr(GString) keys = g_string_new ("{");
  const char *params[] = { id_text, revision_text, NULL, NULL, NULL };

  if (!pg_queue (self, delete_sql, 2, params, error))
    return FALSE;
  if (batches->len == 0)
    return TRUE;

  for (guint i = 0; i < batches->len; i++)
    {
      const StriaeStoreBatchUse *use = g_ptr_array_index (batches, i);

      pg_array_append (products, use->product);
      pg_array_append (lots, use->lot);
      pg_array_append (keys, use->lot_key);
    }
  g_string_append_c (products, '}');
  g_string_append_c (lots, '}');
  g_string_append_c (keys, '}');
  params[2] = products->str;
  params[3] = lots->str;
  params[4] = keys->str;

  return pg_queue (self, insert_sql, 5, params, error);
}

/* As in the file: through the lot index, then to each session's latest revision. */
static GPtrArray *
pg_find_batch (StriaeStoreBackend  *backend,
               const char          *lot_key,
               GError             **error)
{
  static const char sql[] =
    "SELECT b.session_id, b.revision, s.consultation_id, s.patient_id, r.date, b.product,"
    "       b.lot, b.lot_key"
    "  FROM session_batches b"
    "  JOIN treatment_sessions s ON s.id = b.session_id"
    "  JOIN treatment_session_revisions r"
    "    ON r.session_id = b.session_id AND r.revision = b.revision"
    "  WHERE b.lot_key = $1 AND" LATEST
    "  ORDER BY r.date COLLATE \"C\", b.session_id, b.position";
  StriaePgBackend *self = SELF (backend);
  const char *params[] = { lot_key };
  g_autoptr(PGresult) result = pg_run (self, self->main.conn, sql, 1, params, error);
  GPtrArray *list;

  if (result == NULL)
    return NULL;

  list = g_ptr_array_new_with_free_func ((GDestroyNotify) striae_store_batch_use_free);
  for (int i = 0; i < PQntuples (result); i++)
    {
      StriaeStoreBatchUse *use = striae_store_batch_use_new ();

      use->session_id = pg_int (result, i, 0);
      use->revision = (guint) pg_int (result, i, 1);
      use->consultation_id = pg_int (result, i, 2);
      use->patient_id = pg_int (result, i, 3);
      use->date = g_strdup (pg_value (result, i, 4));
      use->product = g_strdup (pg_value (result, i, 5));
      use->lot = g_strdup (pg_value (result, i, 6));
      use->lot_key = g_strdup (pg_value (result, i, 7));
      g_ptr_array_add (list, use);
    }

  return list;
}

static gboolean
pg_copy_in_treatment_session (StriaeStoreBackend  *backend,
                              gint64               id,
                              gint64               consultation_id,
                              gint64               patient_id,
                              GDateTime           *created,
                              GError             **error)
{
  static const char sql[] =
    "INSERT INTO treatment_sessions (id, consultation_id, patient_id, created)"
    "  VALUES ($1, $2, $3, $4)";
  StriaePgBackend *self = SELF (backend);
  g_autofree char *id_text = pg_int_text (id);
  g_autofree char *consultation_text = pg_int_text (consultation_id);
  g_autofree char *patient_text = pg_int_text (patient_id);
  g_autofree char *created_text = pg_timestamp_text (created);
  const char *params[] = { id_text, consultation_text, patient_text, created_text };

  return pg_queue (self, sql, 4, params, error);
}

void
pg_treatments_iface_init (StriaeStoreBackendInterface *iface)
{
  iface->insert_treatment_session = pg_insert_treatment_session;
  iface->insert_session_revision = pg_insert_session_revision;
  iface->update_session_revision = pg_update_session_revision;
  iface->get_session_revision = pg_get_session_revision;
  iface->list_session_revisions = pg_list_session_revisions;
  iface->set_session_batches = pg_set_session_batches;
  iface->find_batch = pg_find_batch;
  iface->copy_in_treatment_session = pg_copy_in_treatment_session;
}
