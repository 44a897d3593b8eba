/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "striae-date.h"
#include "striae-store-private.h"

/* The record rules of session records (issue 17). A session is recorded for a signed
 * consultation whose plan treats; it is saved as a draft as often as needed, signed by the
 * practitioner, and then locked like a consultation: a correction is a new revision with its
 * reason, signed again. The core's rules (striae_treatment_session_validate()) are checked
 * against the consultation revision the session follows, read in the same transaction as the
 * write. Every write leaves an audit row naming the patient, the session, its revision and
 * its consultation. */

static void
set_session_not_found (GError **error,
                       gint64   id)
{
  g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND,
               _("There is no session record number %" PRId64 "; it may have been "
                 "erased."), id);
}

static void
set_locked (GError **error,
            gint64   id,
            guint    revision)
{
  g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_LOCKED,
               _("Session record %" PRId64 " (revision %u) is signed and cannot be changed. "
                 "Amend it to make a correction."), id, revision);
}

/* Core errors become the store's INVALID, with the core's sentence. */
static gboolean
invalid (GError  *core_error,
         GError **error)
{
  g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
                       core_error->message);
  g_error_free (core_error);
  return FALSE;
}

/**
 * striae_store_fold_lot:
 * @lot: a batch or lot number as typed or printed
 *
 * The key a lot number is indexed and searched by: its letters and digits alone, in capitals,
 * so that "ab 123" and "AB-123" find "AB123" as printed on a box. An advisory had better
 * list one session too many than miss one.
 */
char *
striae_store_fold_lot (const char *lot)
{
  GString *key = g_string_new (NULL);

  if (lot == NULL || !g_utf8_validate (lot, -1, NULL))
    return g_string_free (key, FALSE);

  for (const char *p = lot; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalnum (c))
        g_string_append_unichar (key, g_unichar_toupper (c));
    }

  return g_string_free (key, FALSE);
}

/* The consultation revision @id/@revision (the latest for 0), inside the caller's lock. */
static StriaeConsultation *
load_consultation (StriaeStore  *self,
                   gint64        id,
                   guint         revision,
                   GError      **error)
{
  g_autoptr(StriaeStoreRevision) row = NULL;
  g_autoptr(GError) local_error = NULL;
  StriaeConsultation *consultation;

  if (!striae_store_backend_get_revision (self->backend, id, revision, &row, error))
    return NULL;
  if (row == NULL)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND,
                   _("There is no consultation number %" PRId64 " to record a session for; "
                     "it may have been erased."), id);
      return NULL;
    }

  consultation = striae_consultation_new_from_json (row->document, &local_error);
  if (consultation == NULL)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_A_DATABASE,
                   _("Consultation number %" PRId64 " in %s is damaged: %s"),
                   id, self->name, local_error->message);
      return NULL;
    }
  striae_consultation_set_id (consultation, row->consultation_id);
  striae_consultation_set_revision (consultation, row->revision);
  striae_consultation_set_patient_id (consultation, row->patient_id);

  return consultation;
}

/* The session of a stored row: its keys are the row's. */
static StriaeTreatmentSession *
session_from_row (StriaeStore                       *self,
                  const StriaeStoreSessionRevision  *row,
                  GError                           **error)
{
  g_autoptr(GError) local_error = NULL;
  StriaeTreatmentSession *session;

  session = striae_treatment_session_new_from_json (row->document, &local_error);
  if (session == NULL)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_A_DATABASE,
                   _("Session record number %" PRId64 " in %s is damaged: %s"),
                   row->session_id, self->name, local_error->message);
      return NULL;
    }

  striae_treatment_session_set_id (session, row->session_id);
  striae_treatment_session_set_revision (session, row->revision);
  striae_treatment_session_set_consultation_id (session, row->consultation_id);
  striae_treatment_session_set_patient_id (session, row->patient_id);
  /* A document too damaged to say so still counts as signed once it has a signature. */
  if (row->signed_at != NULL)
    striae_treatment_session_set_status (session, STRIAE_TREATMENT_SESSION_STATUS_SIGNED);

  return session;
}

/* The latest stored revision of session @id, inside the caller's lock. */
static StriaeStoreSessionRevision *
get_latest (StriaeStore  *self,
            gint64        id,
            GError      **error)
{
  StriaeStoreSessionRevision *row = NULL;

  if (!striae_store_backend_get_session_revision (self->backend, id, 0, &row, error))
    return NULL;
  if (row == NULL)
    set_session_not_found (error, id);

  return row;
}

/* The lot index of @session's revision in @backend: one entry a product with a lot, inside
 * the caller's transaction (a save, an import, a copy to the clinic server). */
gboolean
store_index_session_batches (StriaeStoreBackend      *backend,
                             StriaeTreatmentSession  *session,
                             GError                 **error)
{
  GListModel *products = striae_treatment_session_get_products (session);
  g_autoptr(GPtrArray) batches =
    g_ptr_array_new_with_free_func ((GDestroyNotify) striae_store_batch_use_free);

  for (guint i = 0; i < g_list_model_get_n_items (products); i++)
    {
      g_autoptr(StriaeSessionProduct) product = g_list_model_get_item (products, i);
      StriaeStoreBatchUse *use;

      if (striae_session_product_get_lot (product)[0] == '\0')
        continue;
      use = striae_store_batch_use_new ();
      use->product = g_strdup (striae_session_product_get_name (product));
      use->lot = g_strdup (striae_session_product_get_lot (product));
      use->lot_key = striae_store_fold_lot (use->lot);
      g_ptr_array_add (batches, use);
    }

  return striae_store_backend_set_session_batches (
    backend, striae_treatment_session_get_id (session),
    striae_treatment_session_get_revision (session), batches, error);
}

static void
row_init (StriaeStoreSessionRevision *row,
          StriaeTreatmentSession     *session,
          GDateTime                  *created,
          GDateTime                  *updated)
{
  *row = (StriaeStoreSessionRevision) {
    .session_id = striae_treatment_session_get_id (session),
    .revision = striae_treatment_session_get_revision (session),
    .consultation_id = striae_treatment_session_get_consultation_id (session),
    .patient_id = striae_treatment_session_get_patient_id (session),
    .document = striae_treatment_session_to_json (session),
    .created = created,
    .updated = updated,
  };
}

static gboolean
insert_revision (StriaeStore             *self,
                 StriaeTreatmentSession  *session,
                 GDateTime               *now,
                 GError                 **error)
{
  StriaeStoreSessionRevision row;
  gboolean ok;

  row_init (&row, session, now, now);
  ok = striae_store_backend_insert_session_revision (self->backend, &row, error);
  g_free (row.document);

  return ok && store_index_session_batches (self->backend, session, error);
}

/* For an import: inserts @session's revision as the file has it (its keys already the new
 * ones), with its record's times and signature, and indexes its lots, inside the caller's
 * transaction. */
gboolean
store_insert_session_revision (StriaeStore             *self,
                               StriaeTreatmentSession  *session,
                               GDateTime               *created,
                               GDateTime               *updated,
                               const char              *signed_by,
                               GDateTime               *signed_at,
                               GError                 **error)
{
  StriaeStoreSessionRevision row;
  gboolean ok;

  row_init (&row, session, created, updated);
  row.signed_by = (char *) signed_by;
  row.signed_at = signed_at;
  ok = striae_store_backend_insert_session_revision (self->backend, &row, error);
  g_free (row.document);

  return ok && store_index_session_batches (self->backend, session, error);
}

static gboolean
audit (StriaeStore             *self,
       StriaeAuditAction        action,
       const char              *practitioner,
       StriaeTreatmentSession  *session,
       const char              *extra,
       GError                 **error)
{
  g_autofree char *detail =
    g_strdup_printf ("session %" PRId64 " revision %u of consultation %" PRId64 "%s%s",
                     striae_treatment_session_get_id (session),
                     striae_treatment_session_get_revision (session),
                     striae_treatment_session_get_consultation_id (session),
                     extra ? ", " : "", extra ? extra : "");

  return store_audit_append (self, action, practitioner,
                             striae_treatment_session_get_patient_id (session), 0, detail,
                             error);
}

/* Checks @copy against the consultation revision it follows (the latest signed one when it
 * names none, which it then names), inside the caller's transaction. */
static gboolean
check_against_plan (StriaeStore             *self,
                    StriaeTreatmentSession  *copy,
                    GError                 **error)
{
  g_autoptr(StriaeConsultation) consultation = NULL;
  GError *core_error = NULL;

  consultation = load_consultation (self, striae_treatment_session_get_consultation_id (copy),
                                    striae_treatment_session_get_consultation_revision (copy),
                                    error);
  /* Named by none, the session follows the latest signed revision: while an amendment of
   * the consultation is a draft, the plan signed before it still stands. */
  while (consultation != NULL &&
         striae_treatment_session_get_consultation_revision (copy) == 0 &&
         striae_consultation_get_status (consultation) != STRIAE_CONSULTATION_STATUS_SIGNED &&
         striae_consultation_get_revision (consultation) > 1)
    {
      guint earlier = striae_consultation_get_revision (consultation) - 1;

      g_clear_object (&consultation);
      consultation = load_consultation (self,
                                        striae_treatment_session_get_consultation_id (copy),
                                        earlier, error);
    }
  if (consultation == NULL)
    return FALSE;

  striae_treatment_session_set_consultation_revision (
    copy, striae_consultation_get_revision (consultation));
  striae_treatment_session_set_patient_id (copy,
                                           striae_consultation_get_patient_id (consultation));
  if (!striae_treatment_session_validate (copy, consultation, &core_error))
    return invalid (core_error, error);

  return TRUE;
}

/* Adds @copy as a new session, revision 1. */
static gboolean
add_session (StriaeStore             *self,
             StriaeTreatmentSession  *copy,
             GDateTime               *now,
             const char              *practitioner,
             GError                 **error)
{
  gint64 id = 0;
  gint64 patient_id = 0;

  if (!striae_store_backend_insert_treatment_session (
        self->backend, striae_treatment_session_get_consultation_id (copy), now, &id,
        &patient_id, error))
    return FALSE;
  if (id == 0)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND,
                   _("There is no consultation number %" PRId64 " to record a session for; "
                     "it may have been erased."),
                   striae_treatment_session_get_consultation_id (copy));
      return FALSE;
    }

  striae_treatment_session_set_id (copy, id);
  striae_treatment_session_set_revision (copy, 1);
  return insert_revision (self, copy, now, error) &&
         audit (self, STRIAE_AUDIT_SESSION_CREATE, practitioner, copy, NULL, error);
}

/* Replaces the latest revision of a stored session with @copy: a draft, and the revision
 * @copy was read as. */
static gboolean
replace_session (StriaeStore             *self,
                 StriaeTreatmentSession  *copy,
                 GDateTime               *now,
                 const char              *practitioner,
                 GError                 **error)
{
  gint64 id = striae_treatment_session_get_id (copy);
  g_autoptr(StriaeStoreSessionRevision) stored = NULL;
  StriaeStoreSessionRevision row;
  gboolean found = FALSE;
  gboolean ok;

  if ((stored = get_latest (self, id, error)) == NULL)
    return FALSE;
  if (stored->signed_at != NULL)
    {
      set_locked (error, id, stored->revision);
      return FALSE;
    }
  if (stored->revision != striae_treatment_session_get_revision (copy) ||
      stored->consultation_id != striae_treatment_session_get_consultation_id (copy))
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_LOCKED,
                   _("Session record %" PRId64 " has a newer revision than the one being "
                     "saved; open it again."), id);
      return FALSE;
    }

  row_init (&row, copy, stored->created, now);
  ok = striae_store_backend_update_session_revision (self->backend, &row, &found, error);
  g_free (row.document);
  if (ok && !found)
    set_session_not_found (error, id);

  return ok && found && store_index_session_batches (self->backend, copy, error) &&
         audit (self, STRIAE_AUDIT_SESSION_UPDATE, practitioner, copy, NULL, error);
}

/**
 * striae_store_save_treatment_session:
 * @session: a draft session record of a signed consultation
 * @practitioner: (nullable): who saves it, for the audit log (%NULL: the store's user)
 *
 * Saves a session record as a draft, incomplete as it may be. A record without an id is
 * added as revision 1 of a new session and gets its id; one with an id replaces its latest
 * revision, which must be a draft (%STRIAE_STORE_ERROR_LOCKED otherwise). The consultation
 * must be signed and treat (%STRIAE_STORE_ERROR_INVALID otherwise), and the record must pass
 * striae_treatment_session_validate() against the consultation revision it follows (the
 * latest, when it names none). On success @session gets its id, revision, patient and
 * consultation revision.
 */
gboolean
striae_store_save_treatment_session (StriaeStore             *self,
                                     StriaeTreatmentSession  *session,
                                     const char              *practitioner,
                                     GError                 **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(StriaeTreatmentSession) copy = NULL;
  gint64 patient_id;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (STRIAE_IS_TREATMENT_SESSION (session), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Recording what was done at a session is the practitioner's, as the consultation is. */
  if (!striae_store_may (self, STRIAE_RIGHT_CONSULTATIONS, error))
    return FALSE;

  if (striae_treatment_session_get_status (session) != STRIAE_TREATMENT_SESSION_STATUS_DRAFT)
    {
      g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
                           _("A session record is signed through sign-off, not by saving "
                             "it."));
      return FALSE;
    }

  /* The caller's object changes only once the transaction has committed. */
  copy = striae_treatment_session_copy (session);

  striae_store_backend_lock (self->backend);
  if (!striae_store_backend_begin (self->backend, error) ||
      !check_against_plan (self, copy, error))
    goto fail;
  if (striae_treatment_session_get_id (copy) == 0
        ? !add_session (self, copy, now, practitioner, error)
        : !replace_session (self, copy, now, practitioner, error))
    goto fail;
  if (!striae_store_backend_commit (self->backend, error))
    goto fail;
  striae_store_backend_unlock (self->backend);

  striae_treatment_session_set_id (session, striae_treatment_session_get_id (copy));
  striae_treatment_session_set_revision (session, striae_treatment_session_get_revision (copy));
  striae_treatment_session_set_consultation_revision (
    session, striae_treatment_session_get_consultation_revision (copy));
  patient_id = striae_treatment_session_get_patient_id (copy);
  striae_treatment_session_set_patient_id (session, patient_id);
  store_emit_patients_changed (self, patient_id);
  return TRUE;

fail:
  striae_store_backend_rollback (self->backend);
  striae_store_backend_unlock (self->backend);
  return FALSE;
}

/* Signs @stored, the latest revision, in @name's name, inside the caller's transaction;
 * @extra, when given, ends the audit row's detail. */
static gboolean
write_signature (StriaeStore                 *self,
                 StriaeStoreSessionRevision  *stored,
                 const char                  *name,
                 GDateTime                   *now,
                 const char                  *extra,
                 GError                     **error)
{
  g_autoptr(StriaeTreatmentSession) session = NULL;
  StriaeStoreSessionRevision row;
  GError *core_error = NULL;
  gboolean found = FALSE;
  gboolean ok;

  if ((session = session_from_row (self, stored, error)) == NULL ||
      !check_against_plan (self, session, error))
    return FALSE;
  if (!striae_treatment_session_check_signable (session, NULL, &core_error))
    return invalid (core_error, error);

  striae_treatment_session_set_status (session, STRIAE_TREATMENT_SESSION_STATUS_SIGNED);
  row_init (&row, session, stored->created, now);
  row.signed_by = (char *) name;
  row.signed_at = now;
  ok = striae_store_backend_update_session_revision (self->backend, &row, &found, error);
  g_free (row.document);
  if (ok && !found)
    set_session_not_found (error, stored->session_id);

  return ok && found &&
         audit (self, STRIAE_AUDIT_SESSION_SIGN, name, session, extra, error) &&
         store_schedule_session_signed (self, session, error);
}

/**
 * striae_store_sign_treatment_session:
 * @practitioner: the name of the practitioner who signs
 *
 * Signs the latest revision of session record @id, which must be a draft that passes
 * striae_treatment_session_check_signable() (today) and its plan's rules; records
 * @practitioner and the time and locks it: the backend refuses any later change of the
 * revision (%STRIAE_STORE_ERROR_LOCKED), a correction is striae_store_amend_treatment_session().
 */
gboolean
striae_store_sign_treatment_session (StriaeStore  *self,
                                     gint64        id,
                                     const char   *practitioner,
                                     GError      **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(StriaeStoreSessionRevision) stored = NULL;
  g_autofree char *name = NULL;
  gboolean confirmed;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!striae_store_may (self, STRIAE_RIGHT_SIGN, error))
    return FALSE;
  /* The session page asks the account's password again, as the sign-off does: the audit
   * says it was given. */
  confirmed = store_take_signature_confirmed (self);

  /* Signed in, the account signs, whatever name is typed. */
  name = store_dup_signer (self, practitioner);
  if (name[0] == '\0')
    {
      g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
                           _("A session record is signed in a practitioner’s name; set the "
                             "practitioner’s name in the preferences first."));
      return FALSE;
    }

  striae_store_backend_lock (self->backend);
  if (!striae_store_backend_begin (self->backend, error) ||
      (stored = get_latest (self, id, error)) == NULL)
    goto fail;
  if (stored->signed_at != NULL)
    {
      set_locked (error, id, stored->revision);
      goto fail;
    }
  if (!write_signature (self, stored, name, now, confirmed ? "password given" : NULL, error) ||
      !striae_store_backend_commit (self->backend, error))
    goto fail;
  striae_store_backend_unlock (self->backend);

  store_emit_patients_changed (self, stored->patient_id);
  return TRUE;

fail:
  striae_store_backend_rollback (self->backend);
  striae_store_backend_unlock (self->backend);
  return FALSE;
}

/* The audit row of an amendment commits to its reason without holding it: the log outlives
 * an erasure, and a reason is free text about the patient. */
static char *
amend_extra (const char *reason)
{
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, reason, -1);

  hash[16] = '\0';
  return g_strdup_printf ("reason sha256:%s", hash);
}

/**
 * striae_store_amend_treatment_session:
 * @practitioner: (nullable): who amends it, for the audit log
 * @reason: why the signed record is corrected (required)
 *
 * Starts a correction of signed session record @id: stores a new draft revision, a copy of
 * the signed one that holds @reason, and returns it; the signed revision stays as it was.
 * Save the correction with striae_store_save_treatment_session() and sign it again.
 *
 * Returns: (transfer full): the new revision
 */
StriaeTreatmentSession *
striae_store_amend_treatment_session (StriaeStore  *self,
                                      gint64        id,
                                      const char   *practitioner,
                                      const char   *reason,
                                      GError      **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(StriaeStoreSessionRevision) stored = NULL;
  g_autoptr(StriaeTreatmentSession) signed_one = NULL;
  g_autoptr(StriaeTreatmentSession) amended = NULL;
  g_autofree char *why = g_strstrip (g_strdup (reason ? reason : ""));
  g_autofree char *extra = NULL;

  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!striae_store_may (self, STRIAE_RIGHT_AMEND, error))
    return NULL;

  if (why[0] == '\0')
    {
      g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
                           _("Say why the signed session record is amended; the reason is "
                             "kept with the new revision."));
      return NULL;
    }

  striae_store_backend_lock (self->backend);
  if (!striae_store_backend_begin (self->backend, error) ||
      (stored = get_latest (self, id, error)) == NULL)
    goto fail;
  if (stored->signed_at == NULL)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
                   _("Session record %" PRId64 " is not signed, so it can be changed as it "
                     "is; there is nothing to amend."), id);
      goto fail;
    }
  if ((signed_one = session_from_row (self, stored, error)) == NULL)
    goto fail;

  amended = striae_treatment_session_new_revision (signed_one);
  striae_treatment_session_set_amendment_reason (amended, why);
  extra = amend_extra (striae_treatment_session_get_amendment_reason (amended));
  if (!insert_revision (self, amended, now, error) ||
      !audit (self, STRIAE_AUDIT_SESSION_AMEND, practitioner, amended, extra, error) ||
      !striae_store_backend_commit (self->backend, error))
    goto fail;
  striae_store_backend_unlock (self->backend);

  store_emit_patients_changed (self, stored->patient_id);
  return g_steal_pointer (&amended);

fail:
  striae_store_backend_rollback (self->backend);
  striae_store_backend_unlock (self->backend);
  return NULL;
}

/**
 * striae_store_get_treatment_session_revision:
 * @revision: a revision number, or 0 for the latest
 *
 * Returns: (transfer full): revision @revision of session record @id, or %NULL with @error
 *   set (%STRIAE_STORE_ERROR_NOT_FOUND when there is none)
 */
StriaeTreatmentSession *
striae_store_get_treatment_session_revision (StriaeStore  *self,
                                             gint64        id,
                                             guint         revision,
                                             GError      **error)
{
  g_autoptr(StriaeStoreSessionRevision) row = NULL;
  gboolean ok;

  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  striae_store_backend_lock (self->backend);
  ok = striae_store_backend_get_session_revision (self->backend, id, revision, &row, error);
  striae_store_backend_unlock (self->backend);
  if (!ok)
    return NULL;
  if (row == NULL)
    {
      set_session_not_found (error, id);
      return NULL;
    }

  return session_from_row (self, row, error);
}

/**
 * striae_store_get_treatment_session:
 *
 * Returns: (transfer full): the latest revision of session record @id, or %NULL with @error
 *   set
 */
StriaeTreatmentSession *
striae_store_get_treatment_session (StriaeStore  *self,
                                    gint64        id,
                                    GError      **error)
{
  return striae_store_get_treatment_session_revision (self, id, 0, error);
}

static GPtrArray *
list_sessions (StriaeStore  *self,
               gint64        consultation_id,
               gint64        patient_id,
               GError      **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);

  striae_store_backend_lock (self->backend);
  rows = striae_store_backend_list_session_revisions (self->backend, consultation_id,
                                                      patient_id, FALSE, error);
  striae_store_backend_unlock (self->backend);
  if (rows == NULL)
    return NULL;

  for (guint i = 0; i < rows->len; i++)
    {
      StriaeTreatmentSession *session = session_from_row (self, g_ptr_array_index (rows, i),
                                                          error);

      if (session == NULL)
        return NULL;
      g_ptr_array_add (list, session);
    }

  return g_steal_pointer (&list);
}

/**
 * striae_store_list_treatment_sessions:
 *
 * Returns: (transfer full) (element-type StriaeTreatmentSession): the latest revision of each
 *   session record of consultation @consultation_id, by date, or %NULL with @error set
 */
GPtrArray *
striae_store_list_treatment_sessions (StriaeStore  *self,
                                      gint64        consultation_id,
                                      GError      **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);
  g_return_val_if_fail (consultation_id > 0, NULL);

  return list_sessions (self, consultation_id, 0, error);
}

/**
 * striae_store_list_patient_treatment_sessions:
 *
 * Returns: (transfer full) (element-type StriaeTreatmentSession): the latest revision of each
 *   session record of patient @patient_id, of all their consultations, by date
 */
GPtrArray *
striae_store_list_patient_treatment_sessions (StriaeStore  *self,
                                              gint64        patient_id,
                                              GError      **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);
  g_return_val_if_fail (patient_id > 0, NULL);

  return list_sessions (self, 0, patient_id, error);
}

/**
 * striae_store_find_batch:
 * @lot: a batch or lot number (compared as striae_store_fold_lot() folds it)
 *
 * Every session that received @lot, as its record says now (the latest revision of each
 * session record), by date: for a manufacturer's advisory. Through an index, so it stays
 * quick with many records.
 *
 * Returns: (transfer full) (element-type StriaeStoreBatchUse): the uses (patient, session,
 *   consultation, date, product, lot as recorded), empty when none, or %NULL with @error set
 */
GPtrArray *
striae_store_find_batch (StriaeStore  *self,
                         const char   *lot,
                         GError      **error)
{
  g_autofree char *key = NULL;
  GPtrArray *uses;

  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);
  g_return_val_if_fail (lot != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  key = striae_store_fold_lot (lot);
  if (key[0] == '\0')
    {
      g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
                           _("Type the batch or lot number to look for."));
      return NULL;
    }

  striae_store_backend_lock (self->backend);
  uses = striae_store_backend_find_batch (self->backend, key, error);
  striae_store_backend_unlock (self->backend);

  return uses;
}

void
striae_batch_record_free (StriaeBatchRecord *record)
{
  if (record == NULL)
    return;

  striae_store_batch_use_free (record->use);
  g_clear_object (&record->patient);
  g_clear_object (&record->session);
  g_free (record);
}

/* The uses of @lot with their patients (each read once, however many sessions they had) and
 * session records, through the records' own locking: safe in any thread. */
static GPtrArray *
read_batch_records (StriaeStore   *self,
                    const char    *lot,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(GPtrArray) uses = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GHashTable) patients = NULL;

  uses = striae_store_find_batch (self, lot, error);
  if (uses == NULL)
    return NULL;

  records = g_ptr_array_new_full (uses->len, (GDestroyNotify) striae_batch_record_free);
  patients = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  for (guint i = 0; i < uses->len; i++)
    {
      g_autoptr(StriaeBatchRecord) record = g_new0 (StriaeBatchRecord, 1);
      StriaePatient *patient;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;

      /* The record takes the use over; the array frees what is left of it. */
      record->use = g_steal_pointer (&g_ptr_array_index (uses, i));
      patient = g_hash_table_lookup (patients, &record->use->patient_id);
      if (patient == NULL)
        {
          patient = striae_store_get_patient (self, record->use->patient_id, error);
          if (patient == NULL)
            return NULL;
          g_hash_table_insert (patients, g_memdup2 (&record->use->patient_id, sizeof (gint64)),
                               patient);
        }
      record->patient = g_object_ref (patient);
      record->session = striae_store_get_treatment_session (self, record->use->session_id,
                                                            error);
      if (record->session == NULL)
        return NULL;
      g_ptr_array_add (records, g_steal_pointer (&record));
    }

  return g_steal_pointer (&records);
}

static void
find_batch_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *records = read_batch_records (source_object, task_data, cancellable, &error);

  if (records == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, records, (GDestroyNotify) g_ptr_array_unref);
}

/**
 * striae_store_find_batch_async:
 * @lot: a batch or lot number, as for striae_store_find_batch()
 * @cancellable: (nullable): cancelled when the search is no longer wanted
 *
 * As striae_store_find_batch(), in a worker thread, each use with its patient and session
 * record (StriaeBatchRecord), so that the window never waits on the records (issue 15).
 */
void
striae_store_find_batch_async (StriaeStore         *self,
                               const char          *lot,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (STRIAE_IS_STORE (self));
  g_return_if_fail (lot != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, striae_store_find_batch_async);
  g_task_set_task_data (task, g_strdup (lot), g_free);
  g_task_run_in_thread (task, find_batch_thread);
}

/**
 * striae_store_find_batch_finish:
 *
 * Returns: (transfer container) (element-type StriaeBatchRecord): the uses with their
 *   patients and session records, by date, empty when none, or %NULL with @error set
 *   (G_IO_ERROR_CANCELLED when cancelled meanwhile, whatever was read)
 */
GPtrArray *
striae_store_find_batch_finish (StriaeStore   *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        striae_store_find_batch_async, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
