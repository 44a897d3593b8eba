/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "striae-pg-private.h"

/* What export, import and erasure need of the server. A server is backed up with its own
 * tools (pg_dump, docs/clinic-server.md): backup and restore stay NULL, and the records
 * layer says so. */

#define SELF(backend) STRIAE_PG_BACKEND (backend)

static gboolean
pg_get_patient_record (StriaeStoreBackend  *backend,
                       gint64               id,
                       StriaePatient      **patient,
                       char               **record_id,
                       gboolean            *archived,
                       GError             **error)
{
  StriaePgBackend *self = SELF (backend);
  g_autofree char *id_text = pg_int_text (id);
  const char *params[] = { id_text };
  g_autoptr(PGresult) result = pg_run (self, self->main.conn,
                                       "SELECT " PATIENT_COLUMNS ", record_id, archived"
                                       "  FROM patients WHERE id = $1", 1, params, error);

  if (result == NULL)
    return FALSE;
  if (PQntuples (result) > 0)
    {
      *patient = pg_patient_from_row (result, 0);
      *record_id = g_strdup (pg_value (result, 0, 11));
      *archived = g_str_equal (PQgetvalue (result, 0, 12), "t");
    }
  return TRUE;
}

static gboolean
pg_find_record_id (StriaeStoreBackend  *backend,
                   const char          *record_id,
                   gint64              *patient_id,
                   GError             **error)
{
  StriaePgBackend *self = SELF (backend);
  const char *params[] = { record_id };
  g_autoptr(PGresult) result = pg_run (self, self->main.conn,
                                       "SELECT id FROM patients WHERE record_id = $1", 1,
                                       params, error);

  if (result == NULL)
    return FALSE;
  if (PQntuples (result) > 0)
    *patient_id = pg_int (result, 0, 0);
  return TRUE;
}

/* An imported patient and their consultations' rows, in one round trip with the
 * transaction's begin (pg_run_pipeline()): whether the record is here already, then the
 * patient (unless it is) and the consultations in one statement, then the patient's id and
 * audit subject, which the audit row of the import names. The consultations are inserted in
 * the file's order; each id is matched back by its creation time, the lowest first, so that
 * ids follow the file's order whatever order the server returns them in. */
static gboolean
pg_add_imported_patient (StriaeStoreBackend           *backend,
                         StriaePatient                *patient,
                         const StriaeStorePatientKeys *keys,
                         const char                   *record_id,
                         GDateTime                    *now,
                         GDateTime * const            *created,
                         guint                         n_consultations,
                         gint64                       *existing_id,
                         gint64                       *patient_id,
                         gint64                       *consultation_ids,
                         GError                      **error)
{
  static const char find_sql[] = "SELECT id FROM patients WHERE record_id = $1";
  static const char add_sql[] =
    "WITH p AS ("
    "  INSERT INTO patients (given_name, family_name, birth_date, sex, phone, phone_digits,"
    "                        email, language, notes, sort_key, search_names, record_id,"
    "                        created, updated)"
    "    SELECT $1::text, $2::text, $3::text, $4::text, $5::text, $6::text, $7::text,"
    "           $8::text, $9::text, $10::text, $11::text, $12::text, $13::text, $13::text"
    "     WHERE NOT EXISTS (SELECT FROM patients WHERE record_id = $12)"
    "    RETURNING id)"
    " INSERT INTO consultations (patient_id, created)"
    "  SELECT p.id, c.created FROM p, unnest ($14::text[]) WITH ORDINALITY AS c (created, n)"
    "   ORDER BY c.n"
    "  RETURNING id, created";
  static const char subject_sql[] =
    "SELECT p.id, s.subject FROM patients p LEFT JOIN audit_subjects s ON s.patient_id = p.id"
    "  WHERE p.record_id = $1";
  StriaePgBackend *self = SELF (backend);
  g_autofree char *new_record_id = record_id == NULL ? g_uuid_string_random () : NULL;
  g_autofree char *now_text = pg_timestamp_text (now);
  g_autofree char *birth_date = NULL;
  g_auto(GStrv) created_texts = g_new0 (char *, n_consultations + 1);
  g_autoptr(GString) created_array = g_string_new ("{");
  const char *params[14];
  const char *find_params[1];
  PgStatement statements[3];
  guint n = 0, find = G_MAXUINT;
  gboolean ok;

  if (record_id == NULL)
    record_id = new_record_id;
  for (guint i = 0; i < n_consultations; i++)
    {
      created_texts[i] = pg_timestamp_text (created[i]);
      pg_array_append (created_array, created_texts[i]);
    }
  g_string_append_c (created_array, '}');

  pg_patient_params (params, patient, keys, &birth_date);
  params[11] = record_id;
  params[12] = now_text;
  params[13] = created_array->str;
  find_params[0] = record_id;

  if (new_record_id == NULL)
    {
      find = n;
      statements[n++] = (PgStatement) { find_sql, 1, find_params, NULL };
    }
  statements[n++] = (PgStatement) { add_sql, 14, params, NULL };
  statements[n++] = (PgStatement) { subject_sql, 1, find_params, NULL };

  ok = pg_run_pipeline (self, statements, n, error);
  if (ok && find != G_MAXUINT && PQntuples (statements[find].result) > 0)
    *existing_id = pg_int (statements[find].result, 0, 0);
  else if (ok)
    {
      const PGresult *added = statements[n - 2].result;
      const PGresult *subject = statements[n - 1].result;
      g_autofree gboolean *taken = g_new0 (gboolean, MAX (PQntuples (added), 1));

      g_assert (PQntuples (subject) == 1 && PQntuples (added) == (int) n_consultations);
      *patient_id = pg_int (subject, 0, 0);
      pg_audit_note_subject (self, *patient_id, pg_value (subject, 0, 1));
      for (guint i = 0; i < n_consultations; i++)
        {
          int best = -1;

          for (int row = 0; row < PQntuples (added); row++)
            if (!taken[row] && g_str_equal (PQgetvalue (added, row, 1), created_texts[i]) &&
                (best < 0 || pg_int (added, row, 0) < pg_int (added, best, 0)))
              best = row;
          g_assert (best >= 0);
          taken[best] = TRUE;
          consultation_ids[i] = pg_int (added, best, 0);
        }
    }

  for (guint i = 0; i < n; i++)
    g_clear_pointer (&statements[i].result, PQclear);
  return ok;
}

/* The stored texts as they are: an export copies them byte for byte. */
static gboolean
pg_list_patient_revisions (StriaeStoreBackend       *backend,
                           gint64                    patient_id,
                           StriaeStoreRevisionFunc   func,
                           gpointer                  data,
                           GError                  **error)
{
  static const char sql[] =
    "SELECT r.data, r.created, r.updated, r.signed_by, r.signed_at"
    "  FROM consultations c JOIN consultation_revisions r ON r.consultation_id = c.id"
    "  WHERE c.patient_id = $1 ORDER BY c.id, r.revision";
  StriaePgBackend *self = SELF (backend);
  g_autofree char *id_text = pg_int_text (patient_id);
  const char *params[] = { id_text };
  g_autoptr(PGresult) result = pg_run (self, self->main.conn, sql, 1, params, error);

  if (result == NULL)
    return FALSE;

  for (int i = 0; i < PQntuples (result); i++)
    {
#define TEXT(c) pg_value (result, i, c)
      StriaeStoreRevisionText revision = { TEXT (0), TEXT (1), TEXT (2), TEXT (3), TEXT (4) };
#undef TEXT

      if (!func (&revision, data, error))
        return FALSE;
    }

  return TRUE;
}

/* The patient's consultations, revisions (signed ones too: the schema's triggers let them go
 * with their patient alone) and audit subject go with their row. */
static gboolean
pg_erase_patient (StriaeStoreBackend  *backend,
                  gint64               id,
                  gboolean            *found,
                  GError             **error)
{
  StriaePgBackend *self = SELF (backend);
  g_autofree char *id_text = pg_int_text (id);
  const char *params[] = { id_text };
  gint64 n = 0;

  g_clear_pointer (&self->locked_revision, striae_store_revision_free);
  pg_audit_forget_subject (self, id);
  if (!pg_exec_count (self, "DELETE FROM patients WHERE id = $1", 1, params, &n, error))
    return FALSE;
  *found = n > 0;
  return TRUE;
}

/* VACUUM makes the space of the deleted rows free for reuse, so that the erased patient's
 * bytes are overwritten in time (their names' prefixes and sort key too, schema 20; the
 * photos' images too: vacuuming a table vacuums its TOAST table, where they are kept); it
 * cannot run inside a transaction, and only warns when it fails (the rows themselves are
 * gone already). */
static void
pg_purge_erased (StriaeStoreBackend *backend)
{
  StriaePgBackend *self = SELF (backend);
  g_autoptr(GError) error = NULL;

  if (self->in_transaction)
    return;

  if (!pg_exec (self, "VACUUM patients, patient_name_prefixes, consultations,"
                " consultation_revisions, audit_subjects, photos, photo_consents", 0, NULL,
                &error))
    g_warning ("The space of an erased patient on %s was not vacuumed: %s", self->name,
               error->message);
}

void
pg_transfer_iface_init (StriaeStoreBackendInterface *iface)
{
  iface->get_patient_record = pg_get_patient_record;
  iface->find_record_id = pg_find_record_id;
  iface->add_imported_patient = pg_add_imported_patient;
  iface->list_patient_revisions = pg_list_patient_revisions;
  iface->erase_patient = pg_erase_patient;
  iface->purge_erased = pg_purge_erased;
}
