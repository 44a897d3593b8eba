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
void
pg_patient_params (const char                   *params[11],
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
  pg_patient_params (params, patient, keys, &birth_date);
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

/* Rows per statement of an insert: enough that what the server does once per statement
 * (planning it, setting up the generated search column and its functions) is spread thin
 * over the rows, few enough that the parameters of one stay a few hundred kilobytes. */
#define INSERT_ROWS 1000
#define INSERT_COLUMNS 12

/* Rows @first to @first + @n - 1 of @patients as one statement, each column one array
 * parameter; their ids into @ids, matched by record id (the order in which the server hands
 * out ids is its own). */
static gboolean
insert_rows (StriaePgBackend             *self,
             GPtrArray                   *patients,
             guint                        first,
             guint                        n,
             StriaeStorePatientKeysFunc   keys_func,
             gpointer                     keys_data,
             const char * const          *record_ids,
             const char                  *now,
             gint64                      *ids,
             GError                     **error)
{
  static const char sql[] =
    "INSERT INTO patients (given_name, family_name, birth_date, sex, phone, phone_digits,"
    "                      email, language, notes, sort_key, search_names, record_id,"
    "                      created, updated)"
    "  SELECT r.*, $13::text, $13::text"
    "    FROM unnest ($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],"
    "                 $7::text[], $8::text[], $9::text[], $10::text[], $11::text[],"
    "                 $12::text[]) AS r"
    "  RETURNING id, record_id";
  g_autoptr(GHashTable) rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GString *columns[INSERT_COLUMNS];
  const char *params[INSERT_COLUMNS + 1];
  g_autoptr(PGresult) result = NULL;

  for (guint c = 0; c < INSERT_COLUMNS; c++)
    columns[c] = g_string_new ("{");

  for (guint i = first; i < first + n; i++)
    {
      StriaePatient *patient = g_ptr_array_index (patients, i);
      g_auto(StriaeStorePatientKeys) keys = { NULL, };
      g_autofree char *birth_date = NULL;
      char *record_id;
      const char *values[INSERT_COLUMNS];

      keys_func (patient, &keys, keys_data);
      pg_patient_params (values, patient, &keys, &birth_date);
      if (record_ids != NULL && record_ids[i] != NULL)
        record_id = g_strdup (record_ids[i]);
      else
        record_id = g_uuid_string_random ();
      values[INSERT_COLUMNS - 1] = record_id;
      for (guint c = 0; c < INSERT_COLUMNS; c++)
        pg_array_append (columns[c], values[c]);
      g_hash_table_insert (rows, record_id, GUINT_TO_POINTER (i + 1));
    }

  for (guint c = 0; c < INSERT_COLUMNS; c++)
    {
      g_string_append_c (columns[c], '}');
      params[c] = columns[c]->str;
    }
  params[INSERT_COLUMNS] = now;

  result = pg_run (self, self->main.conn, sql, INSERT_COLUMNS + 1, params, error);
  for (guint c = 0; c < INSERT_COLUMNS; c++)
    g_string_free (columns[c], TRUE);
  if (result == NULL)
    return FALSE;

  g_assert (PQntuples (result) == (int) n);
  for (int row = 0; row < PQntuples (result); row++)
    {
      guint i = GPOINTER_TO_UINT (g_hash_table_lookup (rows, PQgetvalue (result, row, 1)));

      g_assert (i > first && i <= first + n);
      ids[i - 1] = pg_int (result, row, 0);
    }
  return TRUE;
}

/* Each parameter is sent as it is (the server computes no key, so that the file and the
 * server index the same words); the keys of a row are made as it is added to its statement,
 * so that a large batch never holds them all at once. */
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
  g_autofree char *now_text = pg_timestamp_text (now);

  for (guint first = 0; first < patients->len; first += INSERT_ROWS)
    if (!insert_rows (SELF (backend), patients, first, MIN (INSERT_ROWS, patients->len - first),
                      keys_func, keys_data, record_ids, now_text, ids, error))
      return FALSE;

  return TRUE;
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

  pg_audit_forget_subject (self, striae_patient_get_id (patient));
  pg_patient_params (params, patient, keys, &birth_date);
  params[11] = id_text;
  params[12] = created;
  params[13] = updated;
  params[14] = record_id;
  params[15] = archived ? "true" : "false";

  return pg_queue (self, sql, 16, params, error) &&
         (subject == NULL ||
          pg_queue (self, "UPDATE audit_subjects SET subject = $2 WHERE patient_id = $1", 2,
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
