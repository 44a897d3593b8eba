/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "striae-pg-private.h"

/* Patient rows on the server: reading, archiving, updating, adding and counting them. The
 * records layer validates, computes the keys, owns the transaction and audits. */

#define SELF(backend) STRIAE_PG_BACKEND (backend)

StriaePatient *
pg_patient_from_row (const PGresult *result,
                     int             row)
{
  StriaePatient *patient = striae_patient_new ();
  g_autoptr(GDateTime) created = NULL;
  g_autoptr(GDateTime) updated = NULL;
  GDate birth_date;

#define COLUMN(i) pg_value (result, row, i)
  striae_patient_set_id (patient, pg_int (result, row, 0));
  striae_patient_set_given_name (patient, COLUMN (1));
  striae_patient_set_family_name (patient, COLUMN (2));
  /* A date that is not one (which only damage could write) reads as none, which the patient
   * form then asks for, as the file does. */
  striae_parse_optional_iso_date (COLUMN (3), &birth_date, NULL);
  striae_patient_set_birth_date (patient, &birth_date);
  striae_patient_set_sex (patient, striae_sex_from_string (COLUMN (4)));
  striae_patient_set_phone (patient, COLUMN (5));
  striae_patient_set_email (patient, COLUMN (6));
  striae_patient_set_language (patient, COLUMN (7));
  striae_patient_set_notes (patient, COLUMN (8));
  created = striae_store_parse_timestamp (COLUMN (9));
  updated = striae_store_parse_timestamp (COLUMN (10));
#undef COLUMN

  striae_patient_set_created (patient, created);
  striae_patient_set_updated (patient, updated);
  return patient;
}

/* Parameters $1 to $11: given name, family name, birth date, sex, phone, phone digits,
 * email, language, notes, sort key, search names. The birth date's text is made into
 * @birth_date, which the caller frees once the statement ran. */
static void
patient_params (const char                   *params[11],
                StriaePatient                *patient,
                const StriaeStorePatientKeys *keys,
                char                        **birth_date)
{
  *birth_date = striae_format_optional_iso_date (striae_patient_get_birth_date (patient));
  params[0] = striae_patient_get_given_name (patient);
  params[1] = striae_patient_get_family_name (patient);
  params[2] = *birth_date;
  params[3] = striae_sex_to_string (striae_patient_get_sex (patient));
  params[4] = striae_patient_get_phone (patient);
  params[5] = keys->phone_digits;
  params[6] = striae_patient_get_email (patient);
  params[7] = striae_patient_get_language (patient);
  params[8] = striae_patient_get_notes (patient);
  params[9] = keys->sort_key;
  params[10] = keys->search_names;
  for (guint i = 0; i < 11; i++)
    if (params[i] == NULL)
      params[i] = "";
}

static gboolean
pg_get_patient (StriaeStoreBackend  *backend,
                gint64               id,
                StriaePatient      **patient,
                GError             **error)
{
  StriaePgBackend *self = SELF (backend);
  g_autofree char *id_text = pg_int_text (id);
  const char *params[] = { id_text };
  g_autoptr(PGresult) result = NULL;

  *patient = NULL;
  pg_lock_main (self);
  result = pg_run (self, self->main.conn,
                   "SELECT " PATIENT_COLUMNS " FROM patients WHERE id = $1", 1, params, error);
  g_mutex_unlock (&self->main.lock);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) > 0)
    *patient = pg_patient_from_row (result, 0);
  return TRUE;
}

static gboolean
pg_get_patient_archived (StriaeStoreBackend  *backend,
                         gint64               id,
                         gboolean            *found,
                         gboolean            *archived,
                         GError             **error)
{
  StriaePgBackend *self = SELF (backend);
  g_autofree char *id_text = pg_int_text (id);
  const char *params[] = { id_text };
  g_autoptr(PGresult) result = NULL;

  *found = FALSE;
  pg_lock_main (self);
  result = pg_run (self, self->main.conn, "SELECT archived FROM patients WHERE id = $1", 1,
                   params, error);
  g_mutex_unlock (&self->main.lock);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) > 0)
    {
      *found = TRUE;
      *archived = g_str_equal (PQgetvalue (result, 0, 0), "t");
    }
  return TRUE;
}

/* In the caller's transaction: whether the patient is there, and whether it changed. */
static gboolean
pg_set_patient_archived (StriaeStoreBackend  *backend,
                         gint64               id,
                         gboolean             archived,
                         gboolean            *found,
                         gboolean            *changed,
                         GError             **error)
{
  static const char sql[] =
    "WITH p AS (SELECT id, archived FROM patients WHERE id = $1 FOR UPDATE),"
    "     u AS (UPDATE patients SET archived = $2 WHERE id IN"
    "             (SELECT id FROM p WHERE archived <> $2) RETURNING id)"
    "SELECT (SELECT count (*) FROM p), (SELECT count (*) FROM u)";
  StriaePgBackend *self = SELF (backend);
  g_autofree char *id_text = pg_int_text (id);
  const char *params[] = { id_text, archived ? "t" : "f" };
  g_autoptr(PGresult) result = NULL;

  *found = FALSE;
  *changed = FALSE;
  if ((result = pg_run (self, self->main.conn, sql, 2, params, error)) == NULL)
    return FALSE;
  *found = pg_int (result, 0, 0) > 0;
  *changed = pg_int (result, 0, 1) > 0;
  return TRUE;
}

static gboolean
pg_update_patient (StriaeStoreBackend            *backend,
                   StriaePatient                 *patient,
                   const StriaeStorePatientKeys  *keys,
                   GDateTime                     *now,
                   gboolean                      *found,
                   GDateTime                    **created,
                   GError                       **error)
{
  static const char sql[] =
    "UPDATE patients SET given_name = $1, family_name = $2, birth_date = $3, sex = $4,"
    "  phone = $5, phone_digits = $6, email = $7, language = $8, notes = $9, sort_key = $10,"
    "  search_names = $11, updated = $12"
    "  WHERE id = $13"
    "  RETURNING created";
  StriaePgBackend *self = SELF (backend);
  g_autofree char *now_text = pg_timestamp_text (now);
  g_autofree char *id_text = pg_int_text (striae_patient_get_id (patient));
  g_autofree char *birth_date = NULL;
  const char *params[13];
  g_autoptr(PGresult) result = NULL;

  *found = FALSE;
  *created = NULL;
  patient_params (params, patient, keys, &birth_date);
  params[11] = now_text;
  params[12] = id_text;
  if ((result = pg_run (self, self->main.conn, sql, 13, params, error)) == NULL)
    return FALSE;
  if (PQntuples (result) > 0)
    {
      *found = TRUE;
      *created = striae_store_parse_timestamp (pg_value (result, 0, 0));
    }
  return TRUE;
}

typedef struct
{
  GPtrArray                   *patients;
  StriaeStorePatientKeysFunc   keys_func;
  gpointer                     keys_data;
  const char * const          *record_ids;
  const char                  *now;
  gint64                      *ids;
} InsertBatch;

static void
insert_params (guint         row,
               const char  **params,
               GPtrArray    *texts,
               gpointer      data)
{
  InsertBatch *batch = data;
  StriaePatient *patient = g_ptr_array_index (batch->patients, row);
  StriaeStorePatientKeys keys = { NULL, };
  char *birth_date = NULL;

  batch->keys_func (patient, &keys, batch->keys_data);
  patient_params (params, patient, &keys, &birth_date);
  /* Their texts are kept until the row is sent. */
  g_ptr_array_add (texts, birth_date);
  g_ptr_array_add (texts, keys.phone_digits);
  g_ptr_array_add (texts, keys.sort_key);
  g_ptr_array_add (texts, keys.search_names);
  params[11] = batch->now;
  if (batch->record_ids != NULL && batch->record_ids[row] != NULL)
    params[12] = batch->record_ids[row];
  else
    {
      char *record_id = g_uuid_string_random ();

      g_ptr_array_add (texts, record_id);
      params[12] = record_id;
    }
}

static void
insert_result (guint           row,
               const PGresult *result,
               gpointer        data)
{
  InsertBatch *batch = data;

  batch->ids[row] = pg_int (result, 0, 0);
}

/* The same statement for each patient, each parameter sent as it is (the server computes no
 * key, so that the file and the server index the same words), in batches of one round trip
 * (pg_run_batch()). */
static gboolean
pg_insert_patients (StriaeStoreBackend            *backend,
                    GPtrArray                     *patients,
                    StriaeStorePatientKeysFunc     keys_func,
                    gpointer                       keys_data,
                    const char * const            *record_ids,
                    GDateTime                     *now,
                    gint64                        *ids,
                    GError                       **error)
{
  static const char sql[] =
    "INSERT INTO patients (given_name, family_name, birth_date, sex, phone, phone_digits,"
    "                      email, language, notes, sort_key, search_names, created, updated,"
    "                      record_id)"
    "  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13)"
    "  RETURNING id";
  g_autofree char *now_text = pg_timestamp_text (now);
  InsertBatch batch = { patients, keys_func, keys_data, record_ids, now_text, ids };

  return pg_run_batch (SELF (backend), sql, 13, patients->len, insert_params, insert_result,
                       &batch, error);
}

/* A patient copied in (striae_store_copy_to()): its own id, times, record id, archived flag
 * and audit subject, which replaces the one the insert trigger made. */
static gboolean
pg_copy_in_patient (StriaeStoreBackend            *backend,
                    StriaePatient                 *patient,
                    const StriaeStorePatientKeys  *keys,
                    const char                    *record_id,
                    gboolean                       archived,
                    const char                    *subject,
                    GError                       **error)
{
  static const char sql[] =
    "INSERT INTO patients (given_name, family_name, birth_date, sex, phone, phone_digits,"
    "                      email, language, notes, sort_key, search_names, id, created,"
    "                      updated, record_id, archived)"
    "  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)";
  StriaePgBackend *self = SELF (backend);
  g_autofree char *id_text = pg_int_text (striae_patient_get_id (patient));
  g_autofree char *created = pg_timestamp_text (striae_patient_get_created (patient));
  g_autofree char *updated = pg_timestamp_text (striae_patient_get_updated (patient));
  g_autofree char *birth_date = NULL;
  const char *params[16];
  const char *subject_params[] = { id_text, subject };

  patient_params (params, patient, keys, &birth_date);
  params[11] = id_text;
  params[12] = created;
  params[13] = updated;
  params[14] = record_id;
  params[15] = archived ? "true" : "false";

  return pg_exec (self, sql, 16, params, error) &&
         (subject == NULL ||
          pg_exec (self, "UPDATE audit_subjects SET subject = $2 WHERE patient_id = $1", 2,
                   subject_params, error));
}

static gint64
pg_count_patients (StriaeStoreBackend  *backend,
                   GError             **error)
{
  StriaePgBackend *self = SELF (backend);
  g_autoptr(PGresult) result = NULL;

  pg_lock_main (self);
  result = pg_run (self, self->main.conn, "SELECT count (*) FROM patients", 0, NULL, error);
  g_mutex_unlock (&self->main.lock);
  return result != NULL ? pg_int (result, 0, 0) : -1;
}

void
pg_patients_iface_init (StriaeStoreBackendInterface *iface)
{
  iface->get_patient = pg_get_patient;
  iface->get_patient_archived = pg_get_patient_archived;
  iface->set_patient_archived = pg_set_patient_archived;
  iface->update_patient = pg_update_patient;
  iface->insert_patients = pg_insert_patients;
  iface->count_patients = pg_count_patients;
  iface->copy_in_patient = pg_copy_in_patient;
}
