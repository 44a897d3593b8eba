/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>

#include "striae-store-private.h"

/* Consultations and their revisions (tables of migration 2 in striae-store.c).
 *
 * Life of a consultation: it is saved as a draft as often as the wizard likes (partial
 * answers included), saved as complete when finished, then signed, which records who and
 * when and locks it: a signed revision is never changed again. A correction is an amendment,
 * a new draft revision that starts as a copy of the signed one, which stays readable. Only the
 * latest revision of a consultation can be saved. */

static const char *
status_to_string (StriaeConsultationStatus status)
{
  switch (status)
    {
    case STRIAE_CONSULTATION_STATUS_DRAFT:
      return "draft";
    case STRIAE_CONSULTATION_STATUS_COMPLETE:
      return "complete";
    case STRIAE_CONSULTATION_STATUS_SIGNED:
      return "signed";
    default:
      g_assert_not_reached ();
    }
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

static void
set_consultation_not_found (GError **error,
                            gint64   id)
{
  g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND,
               _("There is no consultation number %" PRId64 "; it may have been deleted."),
               id);
}

/* Inserts one revision row inside the caller's transaction. The consultation's id, revision,
 * status and patient must already be right; its JSON is stored as it is. */
gboolean
store_insert_revision (StriaeStore         *self,
                       StriaeConsultation  *consultation,
                       const char          *created,
                       const char          *updated,
                       const char          *signed_by,
                       const char          *signed_at,
                       GError             **error)
{
  static const char sql[] =
    "INSERT INTO consultation_revisions (consultation_id, revision, status, date, practitioner,"
    "                                    rules_hash, created, updated, signed_by, signed_at,"
    "                                    data)"
    "  VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
  sqlite3_stmt *stmt = store_prepare (self, STORE_MAIN (self), sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, striae_consultation_get_id (consultation));
  sqlite3_bind_int64 (stmt, 2, striae_consultation_get_revision (consultation));
  sqlite3_bind_text (stmt, 3, status_to_string (striae_consultation_get_status (consultation)),
                     -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, striae_consultation_get_date (consultation), -1,
                     SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, striae_consultation_get_practitioner (consultation), -1,
                     SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, striae_consultation_get_rules_hash (consultation), -1,
                     SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, created, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, updated, -1, SQLITE_STATIC);
  if (signed_by != NULL)
    sqlite3_bind_text (stmt, 9, signed_by, -1, SQLITE_STATIC);
  if (signed_at != NULL)
    sqlite3_bind_text (stmt, 10, signed_at, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 11, striae_consultation_to_json (consultation), -1, g_free);

  rc = sqlite3_step (stmt);
  store_statement_done (stmt);
  if (rc != SQLITE_DONE)
    {
      store_set_sqlite_error (error, self, STORE_MAIN (self)->db, rc);
      return FALSE;
    }

  return TRUE;
}

/* Columns: 0 data, 1 consultation id, 2 revision, 3 status, 4 patient id. */
#define REVISION_COLUMNS "r.data, r.consultation_id, r.revision, r.status, c.patient_id"

static StriaeConsultation *
consultation_from_row (StriaeStore   *self,
                       sqlite3_stmt  *stmt,
                       GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  StriaeConsultation *consultation;
  gint64 id = sqlite3_column_int64 (stmt, 1);

  consultation = striae_consultation_new_from_json ((const char *) sqlite3_column_text (stmt, 0),
                                                    &local_error);
  if (consultation == NULL)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_A_DATABASE,
                   _("Consultation number %" PRId64 " in %s is damaged: %s"), id, self->path,
                   local_error->message);
      return NULL;
    }

  /* The columns are what the store checks and locks by; they win. */
  striae_consultation_set_id (consultation, id);
  striae_consultation_set_revision (consultation, (guint) sqlite3_column_int64 (stmt, 2));
  striae_consultation_set_status (consultation,
                                  status_from_string ((const char *)
                                                      sqlite3_column_text (stmt, 3)));
  striae_consultation_set_patient_id (consultation, sqlite3_column_int64 (stmt, 4));

  return consultation;
}

/* Reads the latest revision's number, status and patient of consultation @id, inside the
 * caller's transaction on `main`. */
static gboolean
read_latest (StriaeStore               *self,
             gint64                     id,
             gint64                    *patient_id,
             guint                     *revision,
             StriaeConsultationStatus  *status,
             GError                   **error)
{
  static const char sql[] =
    "SELECT c.patient_id, r.revision, r.status FROM consultations c"
    "  JOIN consultation_revisions r ON r.consultation_id = c.id"
    "  WHERE c.id = ?1 ORDER BY r.revision DESC LIMIT 1";
  sqlite3_stmt *stmt = store_prepare (self, STORE_MAIN (self), sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *patient_id = sqlite3_column_int64 (stmt, 0);
      *revision = (guint) sqlite3_column_int64 (stmt, 1);
      *status = status_from_string ((const char *) sqlite3_column_text (stmt, 2));
    }
  else if (rc == SQLITE_DONE)
    set_consultation_not_found (error, id);
  else
    store_set_sqlite_error (error, self, STORE_MAIN (self)->db, rc);
  store_statement_done (stmt);

  return rc == SQLITE_ROW;
}

static void
set_locked (GError  **error,
            gint64    id,
            guint     revision)
{
  g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_LOCKED,
               _("Consultation %" PRId64 " (revision %u) is signed and cannot be changed. "
                 "Amend it to make a correction."), id, revision);
}

static StriaeConsultation *load_revision (StriaeStore  *self,
                                          gint64        id,
                                          guint         revision,
                                          GError      **error);

/**
 * striae_store_save_consultation:
 * @consultation: a draft or complete consultation; its patient must be stored
 * @practitioner: (nullable): who saves it, for the audit log (%NULL: the store's user)
 *
 * Saves a consultation as it is, partial answers included. A consultation without an id is
 * added (as revision 1) and gets its id; one with an id replaces its latest revision. Refuses
 * with %STRIAE_STORE_ERROR_LOCKED a signed revision or one that is not the latest.
 */
gboolean
striae_store_save_consultation (StriaeStore         *self,
                                StriaeConsultation  *consultation,
                                const char          *practitioner,
                                GError             **error)
{
  static const char insert_sql[] =
    "INSERT INTO consultations (patient_id, created) VALUES (?1, ?2)";
  static const char update_sql[] =
    "UPDATE consultation_revisions SET status = ?3, date = ?4, practitioner = ?5,"
    "  rules_hash = ?6, updated = ?7, data = ?8"
    "  WHERE consultation_id = ?1 AND revision = ?2";
  g_autoptr(StriaeConsultation) copy = NULL;
  g_autofree char *now = store_now ();
  StriaeConsultationStatus status;
  gint64 id, patient_id;
  guint revision;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (STRIAE_IS_CONSULTATION (consultation), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  id = striae_consultation_get_id (consultation);
  patient_id = striae_consultation_get_patient_id (consultation);
  revision = striae_consultation_get_revision (consultation);
  status = striae_consultation_get_status (consultation);

  if (patient_id <= 0)
    {
      g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
                           _("The consultation belongs to no patient, so it cannot be saved."));
      return FALSE;
    }
  if (status == STRIAE_CONSULTATION_STATUS_SIGNED)
    {
      g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
                           _("A consultation is signed through sign-off, not by saving it."));
      return FALSE;
    }

  /* The caller's object changes only once the transaction has committed. */
  copy = striae_consultation_copy (consultation);

  striae_store_backend_lock (self->backend);

  if (!striae_store_backend_begin (self->backend, error))
    goto fail;

  if (id == 0)
    {
      if ((stmt = store_prepare (self, STORE_MAIN (self), insert_sql, error)) == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, patient_id);
      sqlite3_bind_text (stmt, 2, now, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      store_statement_done (stmt);
      if ((rc & 0xff) == SQLITE_CONSTRAINT)
        {
          g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND,
                       _("There is no patient number %" PRId64 "; "
                         "they may have been deleted."), patient_id);
          goto fail;
        }
      if (rc != SQLITE_DONE)
        {
          store_set_sqlite_error (error, self, STORE_MAIN (self)->db, rc);
          goto fail;
        }

      id = sqlite3_last_insert_rowid (STORE_MAIN (self)->db);
      revision = 1;
      striae_consultation_set_id (copy, id);
      striae_consultation_set_revision (copy, revision);

      if (!store_insert_revision (self, copy, now, now, NULL, NULL, error) ||
          !store_audit_append (self, STRIAE_AUDIT_CREATE, practitioner, patient_id, id,
                               status_to_string (status), error))
        goto fail;
    }
  else
    {
      StriaeConsultationStatus stored_status;
      gint64 stored_patient;
      guint latest;

      if (!read_latest (self, id, &stored_patient, &latest, &stored_status, error))
        goto fail;

      if (stored_patient != patient_id)
        {
          g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
                       _("Consultation %" PRId64 " belongs to another patient."), id);
          goto fail;
        }
      if (revision < latest)
        {
          g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_LOCKED,
                       _("Revision %u of consultation %" PRId64 " has been superseded by "
                         "revision %u and cannot be changed."), revision, id, latest);
          goto fail;
        }
      if (revision > latest)
        {
          g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND,
                       _("Consultation %" PRId64 " has no revision %u."), id, revision);
          goto fail;
        }
      if (stored_status == STRIAE_CONSULTATION_STATUS_SIGNED)
        {
          set_locked (error, id, latest);
          goto fail;
        }
      /* An amendment's reason was given when it was started; saving keeps it. */
      if (revision > 1)
        {
          g_autoptr(StriaeConsultation) stored = load_revision (self, id, revision, error);

          if (stored == NULL)
            goto fail;
          striae_consultation_set_amendment_reason (
            copy, striae_consultation_get_amendment_reason (stored));
        }

      if ((stmt = store_prepare (self, STORE_MAIN (self), update_sql, error)) == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_int64 (stmt, 2, revision);
      sqlite3_bind_text (stmt, 3, status_to_string (status), -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, striae_consultation_get_date (copy), -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, striae_consultation_get_practitioner (copy), -1,
                         SQLITE_STATIC);
      sqlite3_bind_text (stmt, 6, striae_consultation_get_rules_hash (copy), -1,
                         SQLITE_STATIC);
      sqlite3_bind_text (stmt, 7, now, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 8, striae_consultation_to_json (copy), -1, g_free);
      rc = sqlite3_step (stmt);
      store_statement_done (stmt);
      if (rc != SQLITE_DONE)
        {
          store_set_sqlite_error (error, self, STORE_MAIN (self)->db, rc);
          goto fail;
        }

      if (!store_audit_append (self, STRIAE_AUDIT_UPDATE, practitioner, patient_id, id,
                               status_to_string (status), error))
        goto fail;
    }

  if (!striae_store_backend_commit (self->backend, error))
    goto fail;

  striae_store_backend_unlock (self->backend);

  striae_consultation_set_id (consultation, id);
  striae_consultation_set_revision (consultation, revision);
  store_emit_patients_changed (self, patient_id);

  return TRUE;

fail:
  striae_store_backend_rollback (self->backend);
  striae_store_backend_unlock (self->backend);
  return FALSE;
}

/* Reads one revision (the latest when @revision is 0) through `main`, whose lock the caller
 * holds. */
static StriaeConsultation *
load_revision (StriaeStore  *self,
               gint64        id,
               guint         revision,
               GError      **error)
{
  static const char latest_sql[] =
    "SELECT " REVISION_COLUMNS " FROM consultations c"
    "  JOIN consultation_revisions r ON r.consultation_id = c.id"
    "  WHERE c.id = ?1 ORDER BY r.revision DESC LIMIT 1";
  static const char revision_sql[] =
    "SELECT " REVISION_COLUMNS " FROM consultations c"
    "  JOIN consultation_revisions r ON r.consultation_id = c.id"
    "  WHERE c.id = ?1 AND r.revision = ?2";
  StriaeConsultation *consultation = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = store_prepare (self, STORE_MAIN (self), revision == 0 ? latest_sql : revision_sql, error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, id);
  if (revision != 0)
    sqlite3_bind_int64 (stmt, 2, revision);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    consultation = consultation_from_row (self, stmt, error);
  else if (rc == SQLITE_DONE && revision != 0)
    g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND,
                 _("Consultation %" PRId64 " has no revision %u."), id, revision);
  else if (rc == SQLITE_DONE)
    set_consultation_not_found (error, id);
  else
    store_set_sqlite_error (error, self, STORE_MAIN (self)->db, rc);
  store_statement_done (stmt);

  return consultation;
}

/* Returns the latest revision of consultation @id. */
StriaeConsultation *
striae_store_get_consultation (StriaeStore  *self,
                               gint64        id,
                               GError      **error)
{
  StriaeConsultation *consultation;

  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  striae_store_backend_lock (self->backend);
  consultation = load_revision (self, id, 0, error);
  striae_store_backend_unlock (self->backend);

  return consultation;
}

StriaeConsultation *
striae_store_get_revision (StriaeStore  *self,
                           gint64        id,
                           guint         revision,
                           GError      **error)
{
  StriaeConsultation *consultation;

  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);
  g_return_val_if_fail (revision >= 1, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  striae_store_backend_lock (self->backend);
  consultation = load_revision (self, id, revision, error);
  striae_store_backend_unlock (self->backend);

  return consultation;
}

static GPtrArray *
load_list (StriaeStore  *self,
           const char   *sql,
           gint64        id,
           GError      **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt;
  int rc;

  striae_store_backend_lock (self->backend);

  if ((stmt = store_prepare (self, STORE_MAIN (self), sql, error)) == NULL)
    {
      striae_store_backend_unlock (self->backend);
      return NULL;
    }

  sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      StriaeConsultation *consultation = consultation_from_row (self, stmt, error);

      if (consultation == NULL)
        break;
      g_ptr_array_add (list, consultation);
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    store_set_sqlite_error (error, self, STORE_MAIN (self)->db, rc);
  store_statement_done (stmt);

  striae_store_backend_unlock (self->backend);

  if (rc != SQLITE_DONE)
    return NULL;

  return g_steal_pointer (&list);
}

/**
 * striae_store_list_consultations:
 *
 * Returns: (transfer full) (element-type StriaeConsultation): the latest revision of each of
 *   the patient's consultations, newest first (by consultation date, or by when it was
 *   started while it has no date); empty for an unknown patient
 */
GPtrArray *
striae_store_list_consultations (StriaeStore  *self,
                                 gint64        patient_id,
                                 GError      **error)
{
  static const char sql[] =
    "SELECT " REVISION_COLUMNS " FROM consultations c"
    "  JOIN consultation_revisions r ON r.consultation_id = c.id"
    "  WHERE c.patient_id = ?1"
    "    AND r.revision = (SELECT max (revision) FROM consultation_revisions"
    "                       WHERE consultation_id = c.id)"
    "  ORDER BY CASE r.date WHEN '' THEN c.created ELSE r.date END DESC, c.id DESC";

  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return load_list (self, sql, patient_id, error);
}

/**
 * striae_store_list_revisions:
 *
 * Returns: (transfer full) (element-type StriaeConsultation): every revision of consultation
 *   @id, oldest first
 */
GPtrArray *
striae_store_list_revisions (StriaeStore  *self,
                             gint64        id,
                             GError      **error)
{
  static const char sql[] =
    "SELECT " REVISION_COLUMNS " FROM consultations c"
    "  JOIN consultation_revisions r ON r.consultation_id = c.id"
    "  WHERE c.id = ?1 ORDER BY r.revision";
  GPtrArray *list;

  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  list = load_list (self, sql, id, error);
  if (list != NULL && list->len == 0)
    {
      g_ptr_array_unref (list);
      set_consultation_not_found (error, id);
      return NULL;
    }

  return list;
}

/* Signs the latest revision of consultation @id in @name's name. With @reason, it is signed
 * as not treated, from a draft as well as a complete revision; without, it must be complete. */
static gboolean
sign_latest (StriaeStore  *self,
             gint64        id,
             const char   *practitioner,
             const char   *reason,
             const char   *see_again,
             GError      **error)
{
  static const char sql[] =
    "UPDATE consultation_revisions SET status = 'signed', signed_by = ?3, signed_at = ?4,"
    "  updated = ?4, data = ?5"
    "  WHERE consultation_id = ?1 AND revision = ?2";
  g_autoptr(StriaeConsultation) consultation = NULL;
  g_autofree char *now = store_now ();
  g_autofree char *name = NULL;
  StriaeConsultationStatus status;
  gint64 patient_id;
  guint revision;
  sqlite3_stmt *stmt;
  int rc;

  name = g_strstrip (g_strdup (practitioner ? practitioner : ""));
  if (name[0] == '\0')
    {
      g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
                           _("A consultation is signed in a practitioner’s name; set the "
                             "practitioner’s name in the preferences first."));
      return FALSE;
    }

  striae_store_backend_lock (self->backend);

  if (!striae_store_backend_begin (self->backend, error) ||
      !read_latest (self, id, &patient_id, &revision, &status, error))
    goto fail;

  if (status == STRIAE_CONSULTATION_STATUS_SIGNED)
    {
      set_locked (error, id, revision);
      goto fail;
    }
  if (status != STRIAE_CONSULTATION_STATUS_COMPLETE && reason == NULL)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
                   _("Consultation %" PRId64 " is still a draft. Complete it before "
                     "signing it."), id);
      goto fail;
    }

  if ((consultation = load_revision (self, id, revision, error)) == NULL)
    goto fail;
  striae_consultation_set_status (consultation, STRIAE_CONSULTATION_STATUS_SIGNED);
  striae_consultation_set_not_treated (consultation, reason != NULL, reason, see_again);
  if (reason != NULL)
    striae_consultation_set_practitioner (consultation, name);

  if ((stmt = store_prepare (self, STORE_MAIN (self), sql, error)) == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, revision);
  sqlite3_bind_text (stmt, 3, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, striae_consultation_to_json (consultation), -1, g_free);
  rc = sqlite3_step (stmt);
  store_statement_done (stmt);
  if (rc != SQLITE_DONE)
    {
      store_set_sqlite_error (error, self, STORE_MAIN (self)->db, rc);
      goto fail;
    }

  {
    g_autofree char *detail = NULL;

    if (reason == NULL)
      detail = g_strdup_printf ("revision %u", revision);
    else if (see_again != NULL && see_again[0] != '\0')
      detail = g_strdup_printf ("revision %u not treated, see again %s", revision, see_again);
    else
      detail = g_strdup_printf ("revision %u not treated", revision);

    if (!store_audit_append (self, STRIAE_AUDIT_SIGN, name, patient_id, id, detail, error) ||
        !striae_store_backend_commit (self->backend, error))
      goto fail;
  }

  striae_store_backend_unlock (self->backend);
  store_emit_patients_changed (self, patient_id);
  return TRUE;

fail:
  striae_store_backend_rollback (self->backend);
  striae_store_backend_unlock (self->backend);
  return FALSE;
}

/**
 * striae_store_sign_consultation:
 * @practitioner: the name of the practitioner who signs
 *
 * Signs the latest revision of consultation @id, which must be complete: records
 * @practitioner and the time (see striae_store_get_signature()) and locks it.
 */
gboolean
striae_store_sign_consultation (StriaeStore  *self,
                                gint64        id,
                                const char   *practitioner,
                                GError      **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return sign_latest (self, id, practitioner, NULL, NULL, error);
}

/* A reason kept with the record (why not treated, why amended): trimmed, not empty, not too
 * long. @missing is the sentence for an empty one. */
static char *
dup_reason (const char  *reason,
            const char  *missing,
            GError     **error)
{
  g_autofree char *why = g_strstrip (g_strdup (reason != NULL ? reason : ""));

  if (why[0] == '\0')
    {
      g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID, missing);
      return NULL;
    }
  if (g_utf8_strlen (why, -1) > STRIAE_CONSULTATION_TEXT_MAX)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
                   _("The reason is too long; keep it under %d characters."),
                   STRIAE_CONSULTATION_TEXT_MAX);
      return NULL;
    }

  return g_steal_pointer (&why);
}

/**
 * striae_store_sign_not_treated:
 * @practitioner: the name of the practitioner who signs
 * @reason: why the patient was not treated (required)
 * @see_again: (nullable): when to see the patient again, a date as striae_parse_date()
 *   reads it, or %NULL or "" for none
 *
 * Signs the latest revision of consultation @id, a draft or a complete one, as not treated:
 * a consultation blocked by an absolute contraindication (or any other) reaches its end
 * state this way. It is locked like any signed revision and no sheet is printed for it.
 */
gboolean
striae_store_sign_not_treated (StriaeStore  *self,
                               gint64        id,
                               const char   *practitioner,
                               const char   *reason,
                               const char   *see_again,
                               GError      **error)
{
  g_autofree char *why = NULL;
  g_autofree char *iso = NULL;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  why = dup_reason (reason, _("Say why the patient was not treated; the reason is part of "
                               "the record."), error);
  if (why == NULL)
    return FALSE;
  if (see_again != NULL && see_again[0] != '\0')
    {
      GDate date;

      if (!striae_parse_date (see_again, &date, NULL))
        {
          g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
                       _("“%s” is not a date; write the date to see the patient again as "
                         "YYYY-MM-DD, or leave it empty."), see_again);
          return FALSE;
        }
      iso = striae_format_iso_date (&date);
    }

  return sign_latest (self, id, practitioner, why, iso, error);
}

/**
 * striae_store_get_signature:
 * @signed_by: (out) (optional): who signed, %NULL when not signed
 * @signed_at: (out) (optional): when (UTC), %NULL when not signed
 *
 * Returns: %TRUE when the revision exists (signed or not)
 */
gboolean
striae_store_get_signature (StriaeStore  *self,
                            gint64        id,
                            guint         revision,
                            char        **signed_by,
                            GDateTime   **signed_at,
                            GError      **error)
{
  static const char sql[] =
    "SELECT signed_by, signed_at FROM consultation_revisions"
    "  WHERE consultation_id = ?1 AND revision = ?2";
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  striae_store_backend_lock (self->backend);
  if ((stmt = store_prepare (self, STORE_MAIN (self), sql, error)) == NULL)
    {
      striae_store_backend_unlock (self->backend);
      return FALSE;
    }

  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, revision);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      const char *by = (const char *) sqlite3_column_text (stmt, 0);
      const char *at = (const char *) sqlite3_column_text (stmt, 1);

      if (signed_by != NULL)
        *signed_by = g_strdup (by);
      if (signed_at != NULL)
        *signed_at = at ? store_parse_timestamp (at) : NULL;
    }
  else if (rc == SQLITE_DONE)
    g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND,
                 _("Consultation %" PRId64 " has no revision %u."), id, revision);
  else
    store_set_sqlite_error (error, self, STORE_MAIN (self)->db, rc);
  store_statement_done (stmt);
  striae_store_backend_unlock (self->backend);

  return rc == SQLITE_ROW;
}

/* The audit row of an amendment commits to its reason without holding it: the log outlives
 * an erasure, and a reason is free text about the patient. */
static char *
amend_detail (guint       revision,
              const char *reason)
{
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, reason, -1);

  hash[16] = '\0';
  return g_strdup_printf ("revision %u, reason sha256:%s", revision, hash);
}

/**
 * striae_store_amend_consultation:
 * @practitioner: (nullable): who amends it, for the audit log
 * @reason: why the signed record is corrected (required)
 *
 * Starts a correction of signed consultation @id: stores a new draft revision, a copy of the
 * signed one that holds @reason (striae_consultation_get_amendment_reason()), and returns it.
 * The signed revision stays as it was (striae_store_list_revisions()). The audit row names
 * the new revision and the start of the SHA-256 of the reason.
 *
 * Returns: (transfer full): the new revision
 */
StriaeConsultation *
striae_store_amend_consultation (StriaeStore  *self,
                                 gint64        id,
                                 const char   *practitioner,
                                 const char   *reason,
                                 GError      **error)
{
  g_autofree char *why = NULL;
  g_autoptr(StriaeConsultation) signed_one = NULL;
  g_autoptr(StriaeConsultation) amended = NULL;
  g_autofree char *now = store_now ();
  g_autofree char *detail = NULL;
  StriaeConsultationStatus status;
  gint64 patient_id;
  guint revision;

  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  why = dup_reason (reason, _("Say why the signed record is amended; the reason is kept with "
                               "the new revision."), error);
  if (why == NULL)
    return NULL;

  striae_store_backend_lock (self->backend);

  if (!striae_store_backend_begin (self->backend, error) ||
      !read_latest (self, id, &patient_id, &revision, &status, error))
    goto fail;

  if (status != STRIAE_CONSULTATION_STATUS_SIGNED)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
                   _("Consultation %" PRId64 " is not signed, so it can be changed as it is; "
                     "there is nothing to amend."), id);
      goto fail;
    }

  if ((signed_one = load_revision (self, id, revision, error)) == NULL)
    goto fail;
  amended = striae_consultation_new_revision (signed_one);
  striae_consultation_set_amendment_reason (amended, why);
  detail = amend_detail (striae_consultation_get_revision (amended),
                         striae_consultation_get_amendment_reason (amended));

  if (!store_insert_revision (self, amended, now, now, NULL, NULL, error) ||
      !store_audit_append (self, STRIAE_AUDIT_AMEND, practitioner, patient_id, id, detail,
                           error) ||
      !striae_store_backend_commit (self->backend, error))
    goto fail;

  striae_store_backend_unlock (self->backend);
  store_emit_patients_changed (self, patient_id);
  return g_steal_pointer (&amended);

fail:
  striae_store_backend_rollback (self->backend);
  striae_store_backend_unlock (self->backend);
  return NULL;
}

/**
 * striae_store_discard_draft:
 * @practitioner: (nullable): who discards it, for the audit log
 *
 * Throws away the unsigned latest revision of consultation @id (a draft, or one saved as
 * complete but not signed). A first revision takes the consultation with it; an amendment
 * leaves the signed revisions before it as they were. Signed revisions are never discarded.
 * Audited as "discard".
 */
gboolean
striae_store_discard_draft (StriaeStore  *self,
                            gint64        id,
                            const char   *practitioner,
                            GError      **error)
{
  static const char revision_sql[] =
    "DELETE FROM consultation_revisions WHERE consultation_id = ?1 AND revision = ?2";
  static const char consultation_sql[] = "DELETE FROM consultations WHERE id = ?1";
  g_autofree char *detail = NULL;
  StriaeConsultationStatus status;
  gint64 patient_id;
  guint revision;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  striae_store_backend_lock (self->backend);

  if (!striae_store_backend_begin (self->backend, error) ||
      !read_latest (self, id, &patient_id, &revision, &status, error))
    goto fail;

  if (status == STRIAE_CONSULTATION_STATUS_SIGNED)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_LOCKED,
                   _("Consultation %" PRId64 " (revision %u) is signed, so it is kept; "
                     "only an unsigned draft can be discarded."), id, revision);
      goto fail;
    }

  if ((stmt = store_prepare (self, STORE_MAIN (self),
                             revision == 1 ? consultation_sql : revision_sql, error)) == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, id);
  if (revision != 1)
    sqlite3_bind_int64 (stmt, 2, revision);
  rc = sqlite3_step (stmt);
  store_statement_done (stmt);
  if (rc != SQLITE_DONE)
    {
      store_set_sqlite_error (error, self, STORE_MAIN (self)->db, rc);
      goto fail;
    }

  detail = g_strdup_printf ("revision %u", revision);
  if (!store_audit_append (self, STRIAE_AUDIT_DISCARD, practitioner, patient_id, id, detail,
                           error) ||
      !striae_store_backend_commit (self->backend, error))
    goto fail;

  striae_store_backend_unlock (self->backend);
  store_emit_patients_changed (self, patient_id);
  return TRUE;

fail:
  striae_store_backend_rollback (self->backend);
  striae_store_backend_unlock (self->backend);
  return FALSE;
}

/**
 * striae_store_patient_has_draft:
 *
 * Tells whether the patient has a consultation whose latest revision is a draft. Cheap (two
 * index look-ups on the read connection), so a list can ask for every visible row.
 *
 * Returns: %TRUE when there is a draft; %FALSE when there is none or on error
 */
gboolean
striae_store_patient_has_draft (StriaeStore  *self,
                                gint64        patient_id,
                                GError      **error)
{
  static const char sql[] =
    "SELECT EXISTS (SELECT 1 FROM consultations c"
    "  JOIN consultation_revisions r ON r.consultation_id = c.id AND r.status = 'draft'"
    "  WHERE c.patient_id = ?1)";
  Connection *conn = STORE_SEARCH (self);
  gboolean has_draft = FALSE;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_mutex_lock (&conn->lock);
  if ((stmt = store_prepare (self, conn, sql, error)) != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, patient_id);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        has_draft = sqlite3_column_int (stmt, 0) != 0;
      else
        store_set_sqlite_error (error, self, conn->db, rc);
      store_statement_done (stmt);
    }
  g_mutex_unlock (&conn->lock);

  return has_draft;
}

/**
 * striae_store_set_resume_page:
 * @consultation_id: a stored consultation
 * @page: the name of the wizard page it was left on
 *
 * Remembers where the practitioner left a consultation. This is not part of the record:
 * it is not audited, not exported and not kept per revision.
 */
gboolean
striae_store_set_resume_page (StriaeStore  *self,
                              gint64        consultation_id,
                              const char   *page,
                              GError      **error)
{
  static const char sql[] = "UPDATE consultations SET resume_page = ?2 WHERE id = ?1";
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;
  int rc;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (page != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  striae_store_backend_lock (self->backend);
  if ((stmt = store_prepare (self, STORE_MAIN (self), sql, error)) != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, consultation_id);
      sqlite3_bind_text (stmt, 2, page, -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
      store_statement_done (stmt);
      if (rc != SQLITE_DONE)
        store_set_sqlite_error (error, self, STORE_MAIN (self)->db, rc);
      else if (sqlite3_changes (STORE_MAIN (self)->db) == 0)
        set_consultation_not_found (error, consultation_id);
      else
        ok = TRUE;
    }
  striae_store_backend_unlock (self->backend);

  return ok;
}

/**
 * striae_store_dup_resume_page:
 * @consultation_id: a stored consultation
 *
 * Returns: (transfer full) (nullable): the wizard page the consultation was left on, "" when
 *   none was recorded, or %NULL with @error set
 */
char *
striae_store_dup_resume_page (StriaeStore  *self,
                              gint64        consultation_id,
                              GError      **error)
{
  static const char sql[] = "SELECT resume_page FROM consultations WHERE id = ?1";
  Connection *conn = STORE_SEARCH (self);
  char *page = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_mutex_lock (&conn->lock);
  if ((stmt = store_prepare (self, conn, sql, error)) != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, consultation_id);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        page = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      else if (rc == SQLITE_DONE)
        set_consultation_not_found (error, consultation_id);
      else
        store_set_sqlite_error (error, self, conn->db, rc);
      store_statement_done (stmt);
    }
  g_mutex_unlock (&conn->lock);

  return page;
}

/* Clinic rules */

/* The stored rules JSON, or %NULL (and no error) when the clinic never saved any. Called
 * with @self->main's lock held. */
static gboolean
read_rules_json (StriaeStore  *self,
                 char        **json,
                 GError      **error)
{
  static const char sql[] = "SELECT value FROM settings WHERE key = 'rules'";
  sqlite3_stmt *stmt;
  int rc;

  *json = NULL;
  if ((stmt = store_prepare (self, STORE_MAIN (self), sql, error)) == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *json = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  else if (rc != SQLITE_DONE)
    store_set_sqlite_error (error, self, STORE_MAIN (self)->db, rc);
  store_statement_done (stmt);

  return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

/**
 * striae_store_load_rules:
 *
 * Returns: (transfer full): the clinic's rule settings, or the defaults when it never
 *   changed them
 */
StriaeRules *
striae_store_load_rules (StriaeStore  *self,
                         GError      **error)
{
  g_autofree char *json = NULL;
  g_autoptr(GError) local_error = NULL;
  StriaeRules *rules;
  gboolean ok;

  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  striae_store_backend_lock (self->backend);
  ok = read_rules_json (self, &json, error);
  striae_store_backend_unlock (self->backend);

  if (!ok)
    return NULL;
  if (json == NULL)
    return striae_rules_new ();

  rules = striae_rules_new_from_json (json, &local_error);
  if (rules == NULL)
    g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_A_DATABASE,
                 _("The clinic’s rule settings in %s are damaged: %s"), self->path,
                 local_error->message);

  return rules;
}

/* One audit row per value that changes, old → new, each with the hash of the new rules
 * that consultations screened from now on record. */
static gboolean
audit_rule_changes (StriaeStore  *self,
                    StriaeRules  *before,
                    StriaeRules  *after,
                    const char   *practitioner,
                    GError      **error)
{
  g_auto(GStrv) keys = striae_rules_dup_differences (after, before);
  g_autofree char *hash = striae_rules_dup_hash (after);

  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autofree char *old = striae_rules_dup_value_text (before, keys[i]);
      g_autofree char *new = striae_rules_dup_value_text (after, keys[i]);
      g_autofree char *detail = g_strdup_printf ("rules %s: %s %s → %s", hash, keys[i], old,
                                                 new);

      if (!store_audit_append (self, STRIAE_AUDIT_UPDATE, practitioner, 0, 0, detail, error))
        return FALSE;
    }

  return TRUE;
}

/**
 * striae_store_save_rules:
 * @practitioner: (nullable): who changes them, for the audit log
 *
 * Stores the clinic's rule settings; consultations screened from now on record their hash.
 * Each value that changes gets its own audit row ("rules HASH: level.pregnancy absolute →
 * relative"); saving the rules already stored changes nothing and audits nothing.
 */
gboolean
striae_store_save_rules (StriaeStore  *self,
                         StriaeRules  *rules,
                         const char   *practitioner,
                         GError      **error)
{
  static const char sql[] =
    "INSERT INTO settings (key, value) VALUES ('rules', ?1)"
    "  ON CONFLICT (key) DO UPDATE SET value = excluded.value";
  g_autofree char *old_json = NULL;
  g_autoptr(StriaeRules) before = NULL;
  g_auto(GStrv) changes = NULL;
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;
  int rc;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (STRIAE_IS_RULES (rules), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  striae_store_backend_lock (self->backend);
  if (!striae_store_backend_begin (self->backend, error))
    goto out;
  if (!read_rules_json (self, &old_json, error))
    goto out;

  /* Damaged stored settings are replaced; their values are audited as the defaults. */
  if (old_json != NULL)
    before = striae_rules_new_from_json (old_json, NULL);
  if (before == NULL)
    before = striae_rules_new ();

  changes = striae_rules_dup_differences (rules, before);
  if (changes[0] == NULL && old_json != NULL)
    {
      ok = striae_store_backend_commit (self->backend, error);
      goto out;
    }

  if ((stmt = store_prepare (self, STORE_MAIN (self), sql, error)) == NULL)
    goto out;
  sqlite3_bind_text (stmt, 1, striae_rules_to_json (rules), -1, g_free);
  rc = sqlite3_step (stmt);
  store_statement_done (stmt);
  if (rc != SQLITE_DONE)
    store_set_sqlite_error (error, self, STORE_MAIN (self)->db, rc);
  else
    ok = audit_rule_changes (self, before, rules, practitioner, error) &&
         striae_store_backend_commit (self->backend, error);

out:
  if (!ok)
    striae_store_backend_rollback (self->backend);
  striae_store_backend_unlock (self->backend);

  return ok;
}
