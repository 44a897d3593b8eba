/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <string.h>

#include "striae-store-private.h"

/* The consent signed on the screen (issue 18). A signature belongs to the latest revision of
 * a signed consultation that treats, and to the consent's text as it was shown (its SHA-256,
 * striae_sheet_dup_content_hash(), computed by whoever showed it: the store composes no
 * sheet). Saving is the practitioner's (STRIAE_RIGHT_CONSULTATIONS): the patient signs on the
 * practitioner's screen. A signature is never changed nor replaced: the same signer signs the
 * same text once; an amendment that changes the text needs a new signature, which is a new
 * row, and the old one stays in the record. Each signature leaves an audit row. */

static gboolean
is_hash (const char *hash)
{
  return hash != NULL && strlen (hash) == STRIAE_SIGNATURE_HASH_LENGTH &&
         strspn (hash, "0123456789abcdef") == STRIAE_SIGNATURE_HASH_LENGTH;
}

static gboolean
invalid (GError     **error,
         const char  *message)
{
  g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID, message);
  return FALSE;
}

static gboolean
check_signature (StriaeConsentSignature  *signature,
                 GError                 **error)
{
  const char *name = striae_consent_signature_get_name (signature);

  if (striae_consent_signature_is_empty (signature))
    return invalid (error, _("Nothing was drawn: sign in the box, then save."));
  if (*name == '\0')
    return invalid (error, _("Type the signer's name, then save."));
  if (g_utf8_strlen (name, -1) > STRIAE_SIGNATURE_NAME_MAX)
    return invalid (error, _("The signer's name is too long: shorten it to 200 characters."));
  if (!is_hash (striae_consent_signature_get_consent_hash (signature)))
    return invalid (error, _("The consent's text was not recorded with the signature."));
  return TRUE;
}

/* The latest revision of consultation @id, which must be signed and treat: the consent is
 * given to a plan that was decided. Inside the caller's transaction. */
static StriaeConsultation *
get_signed_revision (StriaeStore  *self,
                     gint64        id,
                     GError      **error)
{
  g_autoptr(StriaeStoreRevision) row = NULL;
  g_autoptr(StriaeConsultation) consultation = NULL;

  if (!striae_store_backend_get_revision (self->backend, id, 0, &row, error))
    return NULL;
  if (row == NULL)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND,
                   _("There is no consultation number %" PRId64
                     "; it may have been deleted."), id);
      return NULL;
    }
  if ((consultation = striae_consultation_new_from_json (row->document, error)) == NULL)
    return NULL;
  if (striae_consultation_get_status (consultation) != STRIAE_CONSULTATION_STATUS_SIGNED ||
      striae_consultation_is_not_treated (consultation))
    {
      g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
                           _("Only the consent of a signed consultation that treats can be "
                             "signed: sign the consultation first."));
      return NULL;
    }
  striae_consultation_set_id (consultation, row->consultation_id);
  striae_consultation_set_revision (consultation, row->revision);
  striae_consultation_set_patient_id (consultation, row->patient_id);
  return g_steal_pointer (&consultation);
}

static gboolean
already_signed (StriaeStore             *self,
                StriaeConsentSignature  *signature,
                gint64                   id,
                gboolean                *signed_before,
                GError                 **error)
{
  g_autoptr(GPtrArray) stored = NULL;
  const char *hash = striae_consent_signature_get_consent_hash (signature);

  *signed_before = FALSE;
  stored = striae_store_backend_list_consent_signatures (self->backend, id, 0, error);
  if (stored == NULL)
    return FALSE;
  for (guint i = 0; i < stored->len; i++)
    {
      StriaeConsentSignature *other = g_ptr_array_index (stored, i);

      if (striae_consent_signature_get_signer (other) ==
            striae_consent_signature_get_signer (signature) &&
          striae_consent_signature_matches (other, hash))
        *signed_before = TRUE;
    }
  return TRUE;
}

static char *
describe (StriaeConsentSignature *signature)
{
  const char *hash = striae_consent_signature_get_consent_hash (signature);

  return g_strdup_printf ("revision %u, signer %s, consent sha256:%.16s%s",
                          striae_consent_signature_get_revision (signature),
                          striae_consent_signer_to_string (
                            striae_consent_signature_get_signer (signature)),
                          hash,
                          striae_consent_signature_get_typed (signature) != NULL
                            ? ", typed name" : "");
}

static gboolean
save_locked (StriaeStore             *self,
             StriaeConsentSignature  *signature,
             gint64                   id,
             gint64                  *patient_id,
             GError                 **error)
{
  g_autoptr(StriaeConsultation) consultation = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *user = NULL;
  g_autoptr(GDateTime) now = NULL;
  gboolean signed_before = FALSE;

  if ((consultation = get_signed_revision (self, id, error)) == NULL ||
      !already_signed (self, signature, id, &signed_before, error))
    return FALSE;
  /* A typed name signs only where the clinic allows it (its administrators' setting), read
   * in the same transaction as the signature is written. */
  if (striae_consent_signature_get_typed (signature) != NULL)
    {
      gboolean allowed = FALSE;

      if (!store_typed_signature_allowed (self, &allowed, error))
        return FALSE;
      if (!allowed)
        {
          g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_ALLOWED,
                               _("This clinic does not take a typed name as a signature: "
                                 "sign in the box instead."));
          return FALSE;
        }
    }
  if (signed_before)
    {
      g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_LOCKED,
                           _("This consent is already signed by this signer, and a "
                             "signature cannot be changed."));
      return FALSE;
    }

  *patient_id = striae_consultation_get_patient_id (consultation);
  striae_consent_signature_set_consultation (signature, id,
                                             striae_consultation_get_revision (consultation));
  if (striae_consent_signature_get_signed_at (signature) == NULL)
    {
      now = g_date_time_new_now_utc ();
      striae_consent_signature_set_signed_at (signature, now);
    }
  user = striae_store_dup_user (self);
  striae_consent_signature_set_signed_by (signature, user);
  detail = describe (signature);

  return striae_store_backend_insert_consent_signature (self->backend, signature, *patient_id,
                                                        error) &&
         store_audit_append (self, STRIAE_AUDIT_CONSENT_SIGN, NULL, *patient_id, id, detail,
                             error);
}

/**
 * striae_store_save_consent_signature:
 * @consultation_id: the consultation whose consent was signed
 * @signature: the signature: signer, name, strokes and the hash of the consent's text as it
 *   was shown; the store sets its revision (the latest), who was signed in and, when not
 *   set, the time
 *
 * Keeps a consent signature given on the screen (STRIAE_RIGHT_CONSULTATIONS). Refused
 * (STRIAE_STORE_ERROR_INVALID) without strokes, name or hash, or for a consultation not
 * signed or not treating; STRIAE_STORE_ERROR_LOCKED when the same signer already signed
 * the same text.
 */
gboolean
striae_store_save_consent_signature (StriaeStore             *self,
                                     gint64                   consultation_id,
                                     StriaeConsentSignature  *signature,
                                     GError                 **error)
{
  gint64 patient_id = 0;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (STRIAE_IS_CONSENT_SIGNATURE (signature), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!striae_store_may (self, STRIAE_RIGHT_CONSULTATIONS, error) ||
      !check_signature (signature, error))
    return FALSE;

  striae_store_backend_lock (self->backend);
  if (!striae_store_backend_begin (self->backend, error) ||
      !save_locked (self, signature, consultation_id, &patient_id, error) ||
      !striae_store_backend_commit (self->backend, error))
    {
      striae_store_backend_rollback (self->backend);
      striae_store_backend_unlock (self->backend);
      return FALSE;
    }
  striae_store_backend_unlock (self->backend);

  store_emit_patients_changed (self, patient_id);
  return TRUE;
}

/**
 * striae_store_list_consent_signatures:
 *
 * Returns: (transfer container) (element-type StriaeConsentSignature): every consent
 *   signature of consultation @consultation_id, of every revision, oldest first; whether
 *   each still holds is striae_consent_signature_matches() against the hash of the consent
 *   as it reads now (an amendment that changed it leaves them behind)
 */
GPtrArray *
striae_store_list_consent_signatures (StriaeStore  *self,
                                      gint64        consultation_id,
                                      GError      **error)
{
  GPtrArray *list;

  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!striae_store_may (self, STRIAE_RIGHT_READ, error))
    return NULL;
  striae_store_backend_lock (self->backend);
  list = striae_store_backend_list_consent_signatures (self->backend, consultation_id, 0,
                                                       error);
  striae_store_backend_unlock (self->backend);
  return list;
}

/**
 * striae_store_consent_signatures_matching:
 * @signatures: (element-type StriaeConsentSignature): a consultation's signatures
 * @consent_hash: the hash of the consent as it reads now
 *
 * Returns: (transfer container) (element-type StriaeConsentSignature): those given to the
 *   consent as it reads now, the latest of each signer
 */
GPtrArray *
striae_store_consent_signatures_matching (GPtrArray  *signatures,
                                          const char *consent_hash)
{
  GPtrArray *matching = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; signatures != NULL && i < signatures->len; i++)
    {
      StriaeConsentSignature *signature = g_ptr_array_index (signatures, i);

      if (!striae_consent_signature_matches (signature, consent_hash))
        continue;
      for (guint j = 0; j < matching->len; j++)
        if (striae_consent_signature_get_signer (g_ptr_array_index (matching, j)) ==
            striae_consent_signature_get_signer (signature))
          g_ptr_array_remove_index (matching, j--);
      g_ptr_array_add (matching, g_object_ref (signature));
    }
  return matching;
}
