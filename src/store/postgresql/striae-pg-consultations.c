/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>

#include "striae-date.h"
#include "striae-pg-private.h"

/* Consultations, their revisions and the clinic's rules on the server. The document in
 * `data` is the truth, stored as the text given; `status` and `date` are computed from it by
 * the schema's trigger (striae-pg-schema.c, step 19), which refuses them from a client. The
 * schema's triggers refuse any change to a signed revision. */

#define SELF(backend) STRIAE_PG_BACKEND (backend)

/* Columns: 0 consultation id, 1 revision, 2 patient id, 3 data, 4 created, 5 updated,
 * 6 signed by, 7 signed at. */
#define REVISION_COLUMNS \
  "r.consultation_id, r.revision, c.patient_id, r.data, r.created, r.updated, r.signed_by," \
  " r.signed_at"
#define REVISION_FROM \
  " FROM consultations c JOIN consultation_revisions r ON r.consultation_id = c.id"

static StriaeStoreRevision *
revision_from_row (const PGresult *result,
                   int             row)
{
  StriaeStoreRevision *revision = striae_store_revision_new ();

  revision->consultation_id = pg_int (result, row, 0);
  revision->revision = (guint) pg_int (result, row, 1);
  revision->patient_id = pg_int (result, row, 2);
  revision->document = g_strdup (pg_value (result, row, 3));
  revision->created = striae_store_parse_timestamp (pg_value (result, row, 4));
  revision->updated = striae_store_parse_timestamp (pg_value (result, row, 5));
  revision->signed_by = g_strdup (pg_value (result, row, 6));
  revision->signed_at = striae_store_parse_timestamp (pg_value (result, row, 7));
  return revision;
}

/* From a SELECT of the patient, so that a missing patient inserts nothing rather than
 * failing (which would spoil the caller's transaction). */
static gboolean
pg_insert_consultation (StriaeStoreBackend  *backend,
                        gint64               patient_id,
                        GDateTime           *created,
                        gint64              *id,
                        GError             **error)
{
  /* The patient's audit subject comes along, for the audit row that follows. */
  static const char sql[] =
    "INSERT INTO consultations (patient_id, created)"
    "  SELECT id, $2 FROM patients WHERE id = $1"
    "  RETURNING id, (SELECT subject FROM audit_subjects s WHERE s.patient_id = $1)";
  StriaePgBackend *self = SELF (backend);
  g_autofree char *patient_text = pg_int_text (patient_id);
  g_autofree char *created_text = pg_timestamp_text (created);
  const char *params[] = { patient_text, created_text };
  g_autoptr(PGresult) result = pg_run (self, self->main.conn, sql, 2, params, error);

  if (result == NULL)
    return FALSE;
  if (PQntuples (result) > 0)
    {
      *id = pg_int (result, 0, 0);
      pg_audit_note_subject (self, patient_id, pg_value (result, 0, 1));
    }
  return TRUE;
}

static gboolean
pg_insert_revision (StriaeStoreBackend         *backend,
                    const StriaeStoreRevision  *revision,
                    GError                    **error)
{
  static const char sql[] =
    "INSERT INTO consultation_revisions (consultation_id, revision, created, updated,"
    "                                    signed_by, signed_at, data)"
    "  VALUES ($1, $2, $3, $4, $5, $6, $7)";
  StriaePgBackend *self = SELF (backend);
  g_autofree char *id_text = pg_int_text (revision->consultation_id);
  g_autofree char *revision_text = pg_int_text (revision->revision);
  g_autofree char *created_text = pg_timestamp_text (revision->created);
  g_autofree char *updated_text = pg_timestamp_text (revision->updated);
  g_autofree char *signed_text = pg_timestamp_text (revision->signed_at);
  const char *params[] = {
    id_text, revision_text, created_text, updated_text, revision->signed_by, signed_text,
    revision->document
  };

  g_clear_pointer (&self->locked_revision, striae_store_revision_free);
  return pg_queue (self, sql, 7, params, error);
}

/* The schema's trigger on signed revisions (RAISE EXCEPTION). */
static gboolean
is_refused_by_trigger (const char *state)
{
  return g_strcmp0 (state, "P0001") == 0;
}

static gboolean
pg_update_revision (StriaeStoreBackend         *backend,
                    const StriaeStoreRevision  *revision,
                    gboolean                   *found,
                    GError                    **error)
{
  static const char sql[] =
    "UPDATE consultation_revisions SET updated = $3, signed_by = $4, signed_at = $5,"
    "  data = $6"
    "  WHERE consultation_id = $1 AND revision = $2";
  StriaePgBackend *self = SELF (backend);
  g_autofree char *id_text = pg_int_text (revision->consultation_id);
  g_autofree char *revision_text = pg_int_text (revision->revision);
  g_autofree char *updated_text = pg_timestamp_text (revision->updated);
  g_autofree char *signed_text = pg_timestamp_text (revision->signed_at);
  const char *params[] = {
    id_text, revision_text, updated_text, revision->signed_by, signed_text, revision->document
  };
  PgStatement statement = { sql, 6, params, NULL };
  g_autoptr(PGresult) result = NULL;
  g_autofree char *state = NULL;

  g_clear_pointer (&self->locked_revision, striae_store_revision_free);
  result = pg_run_state (self, &statement, &state, error);
  if (result == NULL)
    {
      if (is_refused_by_trigger (state))
        {
          g_clear_error (error);
          g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_LOCKED,
                       _("Consultation %" PRId64 " (revision %u) is signed and cannot be "
                         "changed. Amend it to make a correction."),
                       revision->consultation_id, revision->revision);
        }
      return FALSE;
    }

  *found = g_ascii_strtoll (PQcmdTuples (result), NULL, 10) > 0;
  return TRUE;
}

static StriaeConsultationStatus
status_from_string (const char *text)
{
  if (g_strcmp0 (text, "signed") == 0)
    return STRIAE_CONSULTATION_STATUS_SIGNED;
  if (g_strcmp0 (text, "complete") == 0)
    return STRIAE_CONSULTATION_STATUS_COMPLETE;
  return STRIAE_CONSULTATION_STATUS_DRAFT;
}

/* Columns after REVISION_COLUMNS: 8 the latest revision's status, 9 the patient's audit
 * subject. */
#define STATUS_COLUMNS \
  REVISION_COLUMNS "," \
  " CASE WHEN r.status IS NULL AND r.signed_at IS NOT NULL THEN 'signed' ELSE r.status END," \
  " (SELECT subject FROM audit_subjects s WHERE s.patient_id = c.patient_id)"

/* Inside a transaction the consultation's row is locked until it ends, so that no other PC
 * saves or signs it between the records layer's check and its write. What the records layer
 * reads next comes in the same round trip: the revision itself (pg_get_revision()) and the
 * patient's audit subject (for the audit row), kept until the transaction writes. */
static gboolean
pg_get_latest_status (StriaeStoreBackend        *backend,
                      gint64                     id,
                      gboolean                  *found,
                      gint64                    *patient_id,
                      guint                     *revision,
                      StriaeConsultationStatus  *status,
                      GError                   **error)
{
  static const char read_sql[] =
    "SELECT " STATUS_COLUMNS REVISION_FROM
    "  WHERE c.id = $1 ORDER BY r.revision DESC LIMIT 1";
  static const char lock_sql[] =
    "SELECT " STATUS_COLUMNS REVISION_FROM
    "  WHERE c.id = $1 ORDER BY r.revision DESC LIMIT 1 FOR UPDATE OF c";
  StriaePgBackend *self = SELF (backend);
  g_autofree char *id_text = pg_int_text (id);
  const char *params[] = { id_text };
  g_autoptr(PGresult) result = NULL;

  result = pg_run (self, self->main.conn, self->in_transaction ? lock_sql : read_sql, 1,
                   params, error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) > 0)
    {
      *found = TRUE;
      *patient_id = pg_int (result, 0, 2);
      *revision = (guint) pg_int (result, 0, 1);
      *status = status_from_string (pg_value (result, 0, 8));
      if (self->in_transaction)
        {
          g_clear_pointer (&self->locked_revision, striae_store_revision_free);
          self->locked_revision = revision_from_row (result, 0);
          pg_audit_note_subject (self, *patient_id, pg_value (result, 0, 9));
        }
    }
  return TRUE;
}

static gboolean
pg_get_revision (StriaeStoreBackend   *backend,
                 gint64                id,
                 guint                 revision,
                 StriaeStoreRevision **out,
                 GError              **error)
{
  static const char latest_sql[] =
    "SELECT " REVISION_COLUMNS REVISION_FROM
    "  WHERE c.id = $1 ORDER BY r.revision DESC LIMIT 1";
  static const char revision_sql[] =
    "SELECT " REVISION_COLUMNS REVISION_FROM
    "  WHERE c.id = $1 AND r.revision = $2";
  StriaePgBackend *self = SELF (backend);
  g_autofree char *id_text = pg_int_text (id);
  g_autofree char *revision_text = pg_int_text (revision);
  const char *params[] = { id_text, revision_text };
  g_autoptr(PGresult) result = NULL;
  StriaeStoreRevision *locked = self->locked_revision;

  /* The revision just read under lock, unchanged since (every write forgets it). */
  if (self->in_transaction && locked != NULL && locked->consultation_id == id &&
      (revision == 0 || revision == locked->revision))
    {
      *out = g_steal_pointer (&self->locked_revision);
      return TRUE;
    }

  result = pg_run (self, self->main.conn, revision == 0 ? latest_sql : revision_sql,
                   revision == 0 ? 1 : 2, params, error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) > 0)
    *out = revision_from_row (result, 0);
  return TRUE;
}

static GPtrArray *
list_revisions (StriaePgBackend  *self,
                const char       *sql,
                gint64            id,
                GError          **error)
{
  g_autofree char *id_text = pg_int_text (id);
  const char *params[] = { id_text };
  g_autoptr(PGresult) result = pg_run (self, self->main.conn, sql, 1, params, error);
  GPtrArray *list;

  if (result == NULL)
    return NULL;

  list = g_ptr_array_new_with_free_func ((GDestroyNotify) striae_store_revision_free);
  for (int i = 0; i < PQntuples (result); i++)
    g_ptr_array_add (list, revision_from_row (result, i));
  return list;
}

static GPtrArray *
pg_list_revisions (StriaeStoreBackend  *backend,
                   gint64               id,
                   GError             **error)
{
  static const char sql[] =
    "SELECT " REVISION_COLUMNS REVISION_FROM "  WHERE c.id = $1 ORDER BY r.revision";

  return list_revisions (SELF (backend), sql, id, error);
}

static GPtrArray *
pg_list_consultations (StriaeStoreBackend  *backend,
                       gint64               patient_id,
                       GError             **error)
{
  static const char sql[] =
    "SELECT " REVISION_COLUMNS REVISION_FROM
    "  WHERE c.patient_id = $1"
    "    AND r.revision = (SELECT max (revision) FROM consultation_revisions"
    "                       WHERE consultation_id = c.id)"
    "  ORDER BY CASE r.date WHEN '' THEN c.created ELSE r.date END COLLATE \"C\" DESC,"
    "           c.id DESC";

  return list_revisions (SELF (backend), sql, patient_id, error);
}

static gboolean
pg_delete_revision (StriaeStoreBackend  *backend,
                    gint64               id,
                    guint                revision,
                    GError             **error)
{
  StriaePgBackend *self = SELF (backend);
  g_autofree char *id_text = pg_int_text (id);
  g_autofree char *revision_text = pg_int_text (revision);
  const char *params[] = { id_text, revision_text };

  g_clear_pointer (&self->locked_revision, striae_store_revision_free);
  return pg_queue (self,
                   "DELETE FROM consultation_revisions WHERE consultation_id = $1"
                   "  AND revision = $2", 2, params, error);
}

static gboolean
pg_delete_consultation (StriaeStoreBackend  *backend,
                        gint64               id,
                        GError             **error)
{
  StriaePgBackend *self = SELF (backend);
  g_autofree char *id_text = pg_int_text (id);
  const char *params[] = { id_text };

  g_clear_pointer (&self->locked_revision, striae_store_revision_free);
  return pg_exec (self, "DELETE FROM consultations WHERE id = $1", 1, params, error);
}

/* A cheap read for lists, from any thread: on the search connection. */
static PGresult *
run_on_search (StriaePgBackend     *self,
               const char          *sql,
               int                  n_params,
               const char * const  *params,
               GError             **error)
{
  PGresult *result;

  striae_store_mutex_lock (&self->search.lock);
  result = pg_run_reader (self, &self->search, sql, n_params, params, NULL, error);
  g_mutex_unlock (&self->search.lock);
  return result;
}

static gboolean
pg_patient_has_draft (StriaeStoreBackend  *backend,
                      gint64               patient_id,
                      gboolean            *has_draft,
                      GError             **error)
{
  static const char sql[] =
    "SELECT EXISTS (SELECT 1 FROM consultations c"
    "  JOIN consultation_revisions r ON r.consultation_id = c.id AND r.status = 'draft'"
    "  WHERE c.patient_id = $1)";
  g_autofree char *id_text = pg_int_text (patient_id);
  const char *params[] = { id_text };
  g_autoptr(PGresult) result = run_on_search (SELF (backend), sql, 1, params, error);

  if (result == NULL)
    return FALSE;
  *has_draft = g_str_equal (PQgetvalue (result, 0, 0), "t");
  return TRUE;
}

static gboolean
pg_set_resume_page (StriaeStoreBackend  *backend,
                    gint64               id,
                    const char          *page,
                    gboolean            *found,
                    GError             **error)
{
  g_autofree char *id_text = pg_int_text (id);
  const char *params[] = { id_text, page };
  gint64 n = 0;

  if (!pg_exec_count (SELF (backend), "UPDATE consultations SET resume_page = $2 WHERE id = $1",
                      2, params, &n, error))
    return FALSE;
  *found = n > 0;
  return TRUE;
}

static gboolean
pg_get_resume_page (StriaeStoreBackend  *backend,
                    gint64               id,
                    char               **page,
                    GError             **error)
{
  g_autofree char *id_text = pg_int_text (id);
  const char *params[] = { id_text };
  g_autoptr(PGresult) result = run_on_search (SELF (backend),
                                              "SELECT resume_page FROM consultations"
                                              "  WHERE id = $1", 1, params, error);

  if (result == NULL)
    return FALSE;
  if (PQntuples (result) > 0)
    *page = g_strdup (pg_value (result, 0, 0));
  return TRUE;
}

static gboolean
pg_get_rules (StriaeStoreBackend  *backend,
              char               **document,
              GError             **error)
{
  StriaePgBackend *self = SELF (backend);
  g_autoptr(PGresult) result = pg_run (self, self->main.conn,
                                       "SELECT value FROM settings WHERE key = 'rules'", 0,
                                       NULL, error);

  if (result == NULL)
    return FALSE;
  if (PQntuples (result) > 0)
    *document = g_strdup (pg_value (result, 0, 0));
  return TRUE;
}

static gboolean
pg_set_rules (StriaeStoreBackend  *backend,
              const char          *document,
              GError             **error)
{
  const char *params[] = { document };

  /* Clinic-wide, as the other settings: the other PCs hear of it (pg_set_setting()). */
  return pg_exec (SELF (backend),
                  "WITH stored AS (INSERT INTO settings (key, value) VALUES ('rules', $1)"
                  "                  ON CONFLICT (key) DO UPDATE SET value = excluded.value)"
                  "  SELECT pg_notify ('" PG_CHANGES_CHANNEL "', 'settings')", 1, params,
                  error);
}

/* The index of planned session dates (the schema's step 9): one statement removes what was
 * indexed for the revision and one adds its dates, given as a text array of ISO dates. */
static gboolean
pg_set_planned_sessions (StriaeStoreBackend  *backend,
                         gint64               consultation_id,
                         guint                revision,
                         GArray              *dates,
                         GError             **error)
{
  static const char delete_sql[] =
    "DELETE FROM planned_sessions WHERE consultation_id = $1 AND revision = $2";
  static const char insert_sql[] =
    "INSERT INTO planned_sessions (consultation_id, revision, date)"
    "  SELECT DISTINCT $1::bigint, $2::integer, d FROM unnest ($3::text[]) d";
  StriaePgBackend *self = SELF (backend);
  g_autofree char *id_text = pg_int_text (consultation_id);
  g_autofree char *revision_text = pg_int_text (revision);
  g_autoptr(GString) array = g_string_new ("{");
  const char *params[3];

  params[0] = id_text;
  params[1] = revision_text;
  if (!pg_queue (self, delete_sql, 2, params, error))
    return FALSE;
  if (dates->len == 0)
    return TRUE;

  for (guint i = 0; i < dates->len; i++)
    {
      g_autofree char *iso = striae_format_iso_date (&g_array_index (dates, GDate, i));

      g_string_append_printf (array, "%s%s", i > 0 ? "," : "", iso);
    }
  g_string_append_c (array, '}');
  params[2] = array->str;
  return pg_queue (self, insert_sql, 3, params, error);
}

/* Candidates by the index; the records layer checks each one's schedule again. */
static GArray *
pg_find_planned_sessions (StriaeStoreBackend  *backend,
                          const GDate         *date,
                          GError             **error)
{
  static const char sql[] =
    "SELECT c.id FROM planned_sessions s"
    "  JOIN consultation_revisions r"
    "    ON r.consultation_id = s.consultation_id AND r.revision = s.revision"
    "  JOIN consultations c ON c.id = s.consultation_id"
    "  JOIN patients p ON p.id = c.patient_id"
    "  WHERE s.date = $1"
    "    AND s.revision = (SELECT max (revision) FROM consultation_revisions"
    "                       WHERE consultation_id = s.consultation_id)"
    "    AND r.status IN ('signed', 'complete')"
    "  ORDER BY p.family_name COLLATE \"C\", p.given_name COLLATE \"C\", p.id, c.id";
  StriaePgBackend *self = SELF (backend);
  g_autofree char *day = striae_format_iso_date (date);
  const char *params[] = { day };
  g_autoptr(PGresult) result = NULL;
  GArray *ids;

  pg_lock_main (self);
  result = pg_run (self, self->main.conn, sql, 1, params, error);
  g_mutex_unlock (&self->main.lock);
  if (result == NULL)
    return NULL;

  ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (int i = 0; i < PQntuples (result); i++)
    {
      gint64 id = pg_int (result, i, 0);

      g_array_append_val (ids, id);
    }
  return ids;
}

static GPtrArray *
pg_list_finished_revisions (StriaeStoreBackend  *backend,
                            gint64               after_id,
                            guint                after_revision,
                            guint                limit,
                            GError             **error)
{
  static const char sql[] =
    "SELECT " REVISION_COLUMNS REVISION_FROM
    "  WHERE r.status IN ('signed', 'complete')"
    "    AND (r.consultation_id, r.revision) > ($1::bigint, $2::integer)"
    "  ORDER BY r.consultation_id, r.revision LIMIT $3";
  StriaePgBackend *self = SELF (backend);
  g_autofree char *id_text = pg_int_text (after_id);
  g_autofree char *revision_text = pg_int_text (after_revision);
  g_autofree char *limit_text = pg_int_text (limit);
  const char *params[] = { id_text, revision_text, limit_text };
  g_autoptr(PGresult) result = pg_run (self, self->main.conn, sql, 3, params, error);
  GPtrArray *list;

  if (result == NULL)
    return NULL;

  list = g_ptr_array_new_with_free_func ((GDestroyNotify) striae_store_revision_free);
  for (int i = 0; i < PQntuples (result); i++)
    g_ptr_array_add (list, revision_from_row (result, i));
  return list;
}

void
pg_consultations_iface_init (StriaeStoreBackendInterface *iface)
{
  iface->insert_consultation = pg_insert_consultation;
  iface->insert_revision = pg_insert_revision;
  iface->update_revision = pg_update_revision;
  iface->get_latest_status = pg_get_latest_status;
  iface->get_revision = pg_get_revision;
  iface->list_revisions = pg_list_revisions;
  iface->list_consultations = pg_list_consultations;
  iface->delete_revision = pg_delete_revision;
  iface->delete_consultation = pg_delete_consultation;
  iface->patient_has_draft = pg_patient_has_draft;
  iface->set_resume_page = pg_set_resume_page;
  iface->get_resume_page = pg_get_resume_page;
  iface->get_rules = pg_get_rules;
  iface->set_rules = pg_set_rules;
  iface->set_planned_sessions = pg_set_planned_sessions;
  iface->find_planned_sessions = pg_find_planned_sessions;
  iface->list_finished_revisions = pg_list_finished_revisions;
}
