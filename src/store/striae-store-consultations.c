/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>

#include "striae-store-private.h"

/* Consultations and their revisions: the rules of their life, above the backend
 * (StriaeStoreBackend's "Consultations and revisions"), which only stores and reads them.
 *
 * Life of a consultation: it is saved as a draft as often as the wizard likes (partial
 * answers included), saved as complete when finished, then signed, which records who and
 * when and locks it: a signed revision is never changed again. A correction is an amendment,
 * a new draft revision that starts as a copy of the signed one, which stays readable. Only the
 * latest revision of a consultation can be saved.
 *
 * The consultation's document (striae_consultation_to_json()) is the one source of its facts:
 * its status, date, practitioner and rules hash are read from it. Its id, revision and patient
 * are the keys the backend files it under, and are set from them. */

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

static void
set_consultation_not_found (GError **error,
                            gint64   id)
{
  g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND,
               _("There is no consultation number %" PRId64 "; it may have been deleted."),
               id);
}

static void
set_revision_not_found (GError **error,
                        gint64   id,
                        guint    revision)
{
  g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND,
               _("Consultation %" PRId64 " has no revision %u."), id, revision);
}

/* The revision row of @consultation, whose id, revision and patient must already be right. */
static void
revision_init (StriaeStoreRevision *row,
               StriaeConsultation  *consultation,
               GDateTime           *created,
               GDateTime           *updated)
{
  *row = (StriaeStoreRevision) {
    .consultation_id = striae_consultation_get_id (consultation),
    .revision = striae_consultation_get_revision (consultation),
    .patient_id = striae_consultation_get_patient_id (consultation),
    .document = striae_consultation_to_json (consultation),
    .created = created,
    .updated = updated,
  };
}

/* Inserts one revision inside the caller's transaction, created and last updated at @now. */
static gboolean
insert_revision (StriaeStore         *self,
                 StriaeConsultation  *consultation,
                 GDateTime           *now,
                 GError             **error)
{
  StriaeStoreRevision row;
  gboolean ok;

  revision_init (&row, consultation, now, now);
  ok = striae_store_backend_insert_revision (self->backend, &row, error);
  g_free (row.document);

  return ok;
}

/* Inserts one revision row inside the caller's transaction, with the times and signature an
 * import brings (UTC timestamps as the store writes them). The consultation's id, revision,
 * status and patient must already be right; its document is stored as it is. */
gboolean
store_insert_revision (StriaeStore         *self,
                       StriaeConsultation  *consultation,
                       const char          *created,
                       const char          *updated,
                       const char          *signed_by,
                       const char          *signed_at,
                       GError             **error)
{
  g_autoptr(GDateTime) created_time = striae_store_parse_timestamp (created);
  g_autoptr(GDateTime) updated_time = striae_store_parse_timestamp (updated);
  g_autoptr(GDateTime) signed_time = striae_store_parse_timestamp (signed_at);
  StriaeStoreRevision row;
  gboolean ok;

  g_assert (created_time != NULL && updated_time != NULL);
  g_assert (signed_at == NULL || signed_time != NULL);

  revision_init (&row, consultation, created_time, updated_time);
  row.signed_by = (char *) signed_by;
  row.signed_at = signed_time;
  ok = striae_store_backend_insert_revision (self->backend, &row, error);
  g_free (row.document);

  return ok;
}

static StriaeConsultation *
consultation_from_revision (StriaeStore          *self,
                            StriaeStoreRevision  *row,
                            GError              **error)
{
  g_autoptr(GError) local_error = NULL;
  StriaeConsultation *consultation;

  consultation = striae_consultation_new_from_json (row->document, &local_error);
  if (consultation == NULL)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_A_DATABASE,
                   _("Consultation number %" PRId64 " in %s is damaged: %s"),
                   row->consultation_id, self->name, local_error->message);
      return NULL;
    }

  striae_consultation_set_id (consultation, row->consultation_id);
  striae_consultation_set_revision (consultation, row->revision);
  striae_consultation_set_patient_id (consultation, row->patient_id);

  return consultation;
}

/* Reads the latest revision's number, status and patient of consultation @id, inside the
 * caller's transaction. */
static gboolean
read_latest (StriaeStore               *self,
             gint64                     id,
             gint64                    *patient_id,
             guint                     *revision,
             StriaeConsultationStatus  *status,
             GError                   **error)
{
  gboolean found;

  if (!striae_store_backend_get_latest_status (self->backend, id, &found, patient_id, revision,
                                               status, error))
    return FALSE;
  if (!found)
    {
      set_consultation_not_found (error, id);
      return FALSE;
    }

  return TRUE;
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

/* Reads one revision (the latest when @revision is 0); the caller holds the backend's
 * lock. */
static StriaeConsultation *
load_revision (StriaeStore  *self,
               gint64        id,
               guint         revision,
               GError      **error)
{
  g_autoptr(StriaeStoreRevision) row = NULL;

  if (!striae_store_backend_get_revision (self->backend, id, revision, &row, error))
    return NULL;

  if (row == NULL && revision != 0)
    set_revision_not_found (error, id, revision);
  else if (row == NULL)
    set_consultation_not_found (error, id);
  if (row == NULL)
    return NULL;

  return consultation_from_revision (self, row, error);
}

/* Replaces the latest revision @copy of a stored consultation, inside the caller's
 * transaction: the rules of saving are checked first. */
static gboolean
replace_revision (StriaeStore         *self,
                  StriaeConsultation  *copy,
                  GDateTime           *now,
                  GError             **error)
{
  StriaeConsultationStatus stored_status;
  gint64 id = striae_consultation_get_id (copy);
  guint revision = striae_consultation_get_revision (copy);
  gint64 stored_patient;
  StriaeStoreRevision row;
  gboolean found = FALSE;
  guint latest;
  gboolean ok;

  if (!read_latest (self, id, &stored_patient, &latest, &stored_status, error))
    return FALSE;

  if (stored_patient != striae_consultation_get_patient_id (copy))
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
                   _("Consultation %" PRId64 " belongs to another patient."), id);
      return FALSE;
    }
  if (revision < latest)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_LOCKED,
                   _("Revision %u of consultation %" PRId64 " has been superseded by "
                     "revision %u and cannot be changed."), revision, id, latest);
      return FALSE;
    }
  if (revision > latest)
    {
      set_revision_not_found (error, id, revision);
      return FALSE;
    }
  if (stored_status == STRIAE_CONSULTATION_STATUS_SIGNED)
    {
      set_locked (error, id, latest);
      return FALSE;
    }

  /* An amendment's reason was given when it was started; saving keeps it. */
  if (revision > 1)
    {
      g_autoptr(StriaeConsultation) stored = load_revision (self, id, revision, error);

      if (stored == NULL)
        return FALSE;
      striae_consultation_set_amendment_reason (
        copy, striae_consultation_get_amendment_reason (stored));
    }

  revision_init (&row, copy, NULL, now);
  ok = striae_store_backend_update_revision (self->backend, &row, &found, error);
  g_free (row.document);
  if (ok && !found)
    set_revision_not_found (error, id, revision);

  return ok && found;
}

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
  g_autoptr(StriaeConsultation) copy = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  StriaeConsultationStatus status;
  gint64 id, patient_id;
  guint revision;

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
      if (!striae_store_backend_insert_consultation (self->backend, patient_id, now, &id,
                                                     error))
        goto fail;
      if (id == 0)
        {
          g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND,
                       _("There is no patient number %" PRId64 "; "
                         "they may have been deleted."), patient_id);
          goto fail;
        }

      revision = 1;
      striae_consultation_set_id (copy, id);
      striae_consultation_set_revision (copy, revision);

      if (!insert_revision (self, copy, now, error) ||
          !store_audit_append (self, STRIAE_AUDIT_CREATE, practitioner, patient_id, id,
                               status_to_string (status), error))
        goto fail;
    }
  else if (!replace_revision (self, copy, now, error) ||
           !store_audit_append (self, STRIAE_AUDIT_UPDATE, practitioner, patient_id, id,
                                status_to_string (status), error))
    goto fail;

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

/* The consultations of revision rows from the backend (a list, or NULL with @error set). */
static GPtrArray *
consultations_from_revisions (StriaeStore  *self,
                              GPtrArray    *rows,
                              GError      **error)
{
  g_autoptr(GPtrArray) list = NULL;

  if (rows == NULL)
    return NULL;

  list = g_ptr_array_new_full (rows->len, g_object_unref);
  for (guint i = 0; i < rows->len; i++)
    {
      StriaeConsultation *consultation;

      consultation = consultation_from_revision (self, g_ptr_array_index (rows, i), error);
      if (consultation == NULL)
        return NULL;
      g_ptr_array_add (list, consultation);
    }

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
  g_autoptr(GPtrArray) rows = NULL;

  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  striae_store_backend_lock (self->backend);
  rows = striae_store_backend_list_consultations (self->backend, patient_id, error);
  striae_store_backend_unlock (self->backend);

  return consultations_from_revisions (self, rows, error);
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
  g_autoptr(GPtrArray) rows = NULL;

  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  striae_store_backend_lock (self->backend);
  rows = striae_store_backend_list_revisions (self->backend, id, error);
  striae_store_backend_unlock (self->backend);

  if (rows != NULL && rows->len == 0)
    {
      set_consultation_not_found (error, id);
      return NULL;
    }

  return consultations_from_revisions (self, rows, error);
}

/* Signs revision @revision of consultation @id in @name's name at @now, inside the caller's
 * transaction. With @reason, it is signed as not treated and @name becomes its
 * practitioner. */
static gboolean
write_signature (StriaeStore  *self,
                 gint64        id,
                 guint         revision,
                 const char   *name,
                 const char   *reason,
                 const char   *see_again,
                 GDateTime    *now,
                 GError      **error)
{
  g_autoptr(StriaeConsultation) consultation = NULL;
  StriaeStoreRevision row;
  gboolean found = FALSE;
  gboolean ok;

  if ((consultation = load_revision (self, id, revision, error)) == NULL)
    return FALSE;
  striae_consultation_set_status (consultation, STRIAE_CONSULTATION_STATUS_SIGNED);
  striae_consultation_set_not_treated (consultation, reason != NULL, reason, see_again);
  if (reason != NULL)
    striae_consultation_set_practitioner (consultation, name);

  revision_init (&row, consultation, NULL, now);
  row.signed_by = (char *) name;
  row.signed_at = now;
  ok = striae_store_backend_update_revision (self->backend, &row, &found, error);
  g_free (row.document);
  if (ok && !found)
    set_revision_not_found (error, id, revision);

  return ok && found;
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
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *name = NULL;
  g_autofree char *detail = NULL;
  StriaeConsultationStatus status;
  gint64 patient_id;
  guint revision;

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

  if (reason == NULL)
    detail = g_strdup_printf ("revision %u", revision);
  else if (see_again != NULL && see_again[0] != '\0')
    detail = g_strdup_printf ("revision %u not treated, see again %s", revision, see_again);
  else
    detail = g_strdup_printf ("revision %u not treated", revision);

  if (!write_signature (self, id, revision, name, reason, see_again, now, error) ||
      !store_audit_append (self, STRIAE_AUDIT_SIGN, name, patient_id, id, detail, error) ||
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
  g_autoptr(StriaeStoreRevision) row = NULL;
  gboolean ok = TRUE;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Revision 0 would be the latest for the backend; here it is none. */
  if (revision != 0)
    {
      striae_store_backend_lock (self->backend);
      ok = striae_store_backend_get_revision (self->backend, id, revision, &row, error);
      striae_store_backend_unlock (self->backend);
    }

  if (!ok)
    return FALSE;
  if (row == NULL)
    {
      set_revision_not_found (error, id, revision);
      return FALSE;
    }

  if (signed_by != NULL)
    *signed_by = g_steal_pointer (&row->signed_by);
  if (signed_at != NULL)
    *signed_at = g_steal_pointer (&row->signed_at);

  return TRUE;
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
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
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

  if (!insert_revision (self, amended, now, error) ||
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
  g_autofree char *detail = NULL;
  StriaeConsultationStatus status;
  gint64 patient_id;
  guint revision;
  gboolean deleted;

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

  /* A consultation is never left without a revision. */
  if (revision == 1)
    deleted = striae_store_backend_delete_consultation (self->backend, id, error);
  else
    deleted = striae_store_backend_delete_revision (self->backend, id, revision, error);
  if (!deleted)
    goto fail;

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
 * Tells whether the patient has a consultation whose latest revision is a draft. Cheap, and
 * it does not wait for a write, so a list can ask for every visible row.
 *
 * Returns: %TRUE when there is a draft; %FALSE when there is none or on error
 */
gboolean
striae_store_patient_has_draft (StriaeStore  *self,
                                gint64        patient_id,
                                GError      **error)
{
  gboolean has_draft = FALSE;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  striae_store_backend_patient_has_draft (self->backend, patient_id, &has_draft, error);
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
  gboolean found = FALSE;
  gboolean ok;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (page != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  striae_store_backend_lock (self->backend);
  ok = striae_store_backend_set_resume_page (self->backend, consultation_id, page, &found,
                                             error);
  striae_store_backend_unlock (self->backend);

  if (ok && !found)
    set_consultation_not_found (error, consultation_id);

  return ok && found;
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
  char *page = NULL;

  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!striae_store_backend_get_resume_page (self->backend, consultation_id, &page, error))
    return NULL;
  if (page == NULL)
    set_consultation_not_found (error, consultation_id);

  return page;
}

/* Clinic rules */

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
  ok = striae_store_backend_get_rules (self->backend, &json, error);
  striae_store_backend_unlock (self->backend);

  if (!ok)
    return NULL;
  if (json == NULL)
    return striae_rules_new ();

  rules = striae_rules_new_from_json (json, &local_error);
  if (rules == NULL)
    g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_A_DATABASE,
                 _("The clinic’s rule settings in %s are damaged: %s"), self->name,
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
  g_autofree char *old_json = NULL;
  g_autoptr(StriaeRules) before = NULL;
  g_autofree char *new_json = NULL;
  g_auto(GStrv) changes = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (STRIAE_IS_RULES (rules), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  striae_store_backend_lock (self->backend);
  if (!striae_store_backend_begin (self->backend, error))
    goto out;
  if (!striae_store_backend_get_rules (self->backend, &old_json, error))
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

  new_json = striae_rules_to_json (rules);
  ok = striae_store_backend_set_rules (self->backend, new_json, error) &&
       audit_rule_changes (self, before, rules, practitioner, error) &&
       striae_store_backend_commit (self->backend, error);

out:
  if (!ok)
    striae_store_backend_rollback (self->backend);
  striae_store_backend_unlock (self->backend);

  return ok;
}
