/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "striae-pg-private.h"

/* Copying a single PC's records onto the server (striae_store_copy_to(), striae --copy-to),
 * run by clinic IT with the database owner's login into records that --server-init made and
 * nobody wrote yet, in the caller's one transaction. Patients are copied in
 * striae-pg-patients.c; this file keeps the consultations, the audit key and the numbers. */

#define SELF(backend) STRIAE_PG_BACKEND (backend)

static gboolean
pg_copy_in_consultation (StriaeStoreBackend  *backend,
                         gint64               id,
                         gint64               patient_id,
                         GDateTime           *created,
                         const char          *resume_page,
                         GError             **error)
{
  static const char sql[] =
    "INSERT INTO consultations (id, patient_id, created, resume_page)"
    "  VALUES ($1, $2, $3, $4)";
  StriaePgBackend *self = SELF (backend);
  g_autofree char *id_text = pg_int_text (id);
  g_autofree char *patient_text = pg_int_text (patient_id);
  g_autofree char *created_text = pg_timestamp_text (created);
  const char *params[] = { id_text, patient_text, created_text, resume_page };

  return pg_exec (self, sql, 4, params, error);
}

/* The server made its own key with the schema, and its triggers keep anyone from changing it
 * (audit_key_kept). The copied rows were sealed with the file's key: it replaces the server's
 * only while no row was ever written with it, the trigger set aside for this statement alone
 * (which only the tables' owner can), all in the caller's transaction. */
static gboolean
pg_copy_in_audit_key (StriaeStoreBackend  *backend,
                      GBytes              *key,
                      GError             **error)
{
  static const char used_sql[] =
    "SELECT (SELECT count (*) FROM audit) + (SELECT coalesce (max (last_number), 0)"
    "                                          FROM audit_numbers)";
  StriaePgBackend *self = SELF (backend);
  g_autoptr(PGresult) used = NULL;
  g_autofree char *hex = NULL;
  const char *params[1];
  gsize size;
  const guint8 *bytes = g_bytes_get_data (key, &size);
  GString *text = g_string_sized_new (2 * size);
  gint64 n_rows = 0;

  for (gsize i = 0; i < size; i++)
    g_string_append_printf (text, "%02x", bytes[i]);
  hex = g_string_free (text, FALSE);
  params[0] = hex;

  g_assert (self->in_transaction);
  pg_audit_forget_identity (self);
  if ((used = pg_run (self, self->main.conn, used_sql, 0, NULL, error)) == NULL)
    return FALSE;
  if (pg_int (used, 0, 0) != 0)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_LOCKED,
                   _("The audit log on %s has entries already; its key stays as it is."),
                   self->name);
      return FALSE;
    }

  if (!pg_exec (self, "ALTER TABLE audit_key DISABLE TRIGGER audit_key_kept", 0, NULL, error) ||
      !pg_exec_count (self, "UPDATE audit_key SET key = decode ($1, 'hex')", 1, params,
                      &n_rows, error) ||
      (n_rows == 0 &&
       !pg_exec (self, "INSERT INTO audit_key (key) VALUES (decode ($1, 'hex'))", 1, params,
                 error)))
    return FALSE;

  return pg_exec (self, "ALTER TABLE audit_key ENABLE TRIGGER audit_key_kept", 0, NULL, error);
}

/* The audit log's highest number as the copy's, and the identities past the copied ids, so
 * that the next patient or consultation made on the server takes a number of its own. */
static gboolean
pg_finish_copy (StriaeStoreBackend  *backend,
                gint64               audit_last_number,
                GError             **error)
{
  StriaePgBackend *self = SELF (backend);
  g_autofree char *number = pg_int_text (audit_last_number);
  const char *params[] = { number };

  /* The tail this transaction knew moves with the number. */
  self->tail_known = FALSE;
  return pg_exec (self, "UPDATE audit_numbers SET last_number = greatest (last_number, $1)",
                  1, params, error) &&
         pg_exec (self,
                  "SELECT setval (pg_get_serial_sequence ('patients', 'id'),"
                  "               coalesce (max (id), 0) + 1, false) FROM patients",
                  0, NULL, error) &&
         pg_exec (self,
                  "SELECT setval (pg_get_serial_sequence ('consultations', 'id'),"
                  "               coalesce (max (id), 0) + 1, false) FROM consultations",
                  0, NULL, error) &&
         pg_exec (self,
                  "SELECT setval (pg_get_serial_sequence ('treatment_sessions', 'id'),"
                  "               coalesce (max (id), 0) + 1, false) FROM treatment_sessions",
                  0, NULL, error);
}

void
pg_copy_iface_init (StriaeStoreBackendInterface *iface)
{
  iface->copy_in_consultation = pg_copy_in_consultation;
  iface->copy_in_audit_key = pg_copy_in_audit_key;
  iface->finish_copy = pg_finish_copy;
}
