/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <string.h>

#include "striae-store.h"
#include "striae-store-backend.h"

/* The consent's part of the backend interface (issue 18): the calls through it, and a
 * stored row made a signature again, checked as strictly as a file from elsewhere. */

static gboolean
unsupported (GError **error)
{
  g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_SUPPORTED,
                       _("These records cannot keep a consent signed on the screen."));
  return FALSE;
}

#define IFACE(self) STRIAE_STORE_BACKEND_GET_IFACE (self)

gboolean
striae_store_backend_insert_consent_signature (StriaeStoreBackend      *self,
                                               StriaeConsentSignature  *signature,
                                               gint64                   patient_id,
                                               GError                 **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);
  g_return_val_if_fail (STRIAE_IS_CONSENT_SIGNATURE (signature), FALSE);

  if (IFACE (self)->insert_consent_signature == NULL)
    return unsupported (error);
  return IFACE (self)->insert_consent_signature (self, signature, patient_id, error);
}

GPtrArray *
striae_store_backend_list_consent_signatures (StriaeStoreBackend  *self,
                                              gint64               consultation_id,
                                              gint64               patient_id,
                                              GError             **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), NULL);

  if (IFACE (self)->list_consent_signatures == NULL)
    return unsupported (error), NULL;
  return IFACE (self)->list_consent_signatures (self, consultation_id, patient_id, error);
}

static gboolean
damaged (GError     **error,
         gint64       consultation_id,
         const char  *reason)
{
  g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_A_DATABASE,
               _("A consent signature of consultation %" PRId64 " is damaged: %s"),
               consultation_id, reason);
  return FALSE;
}

/* A stored signature, every column checked: a row changed outside Striae is refused rather
 * than drawn on a consent. */
StriaeConsentSignature *
striae_store_consent_signature_from_row (gint64       consultation_id,
                                         guint        revision,
                                         const char  *signer,
                                         const char  *name,
                                         const char  *signed_at,
                                         const char  *signed_by,
                                         const char  *strokes,
                                         const char  *consent_hash,
                                         GError     **error)
{
  g_autoptr(StriaeConsentSignature) signature = NULL;
  g_autoptr(GDateTime) at = NULL;
  g_autoptr(GError) local_error = NULL;
  StriaeConsentSigner who;

  if (!striae_consent_signer_from_string (signer, &who))
    return damaged (error, consultation_id, _("its signer is unknown.")), NULL;
  if (name == NULL || !g_utf8_validate (name, -1, NULL) ||
      g_utf8_strlen (name, -1) > STRIAE_SIGNATURE_NAME_MAX)
    return damaged (error, consultation_id, _("the signer's name is not valid.")), NULL;
  if (signed_at == NULL || (at = striae_store_parse_timestamp (signed_at)) == NULL)
    return damaged (error, consultation_id, _("its date and time are not valid.")), NULL;
  if (consent_hash == NULL || strlen (consent_hash) != STRIAE_SIGNATURE_HASH_LENGTH ||
      strspn (consent_hash, "0123456789abcdef") != STRIAE_SIGNATURE_HASH_LENGTH)
    return damaged (error, consultation_id, _("its consent hash is not valid.")), NULL;

  signature = striae_consent_signature_new (who);
  if (strokes == NULL ||
      !striae_consent_signature_set_strokes_from_json (signature, strokes, &local_error))
    return damaged (error, consultation_id,
                    local_error != NULL ? local_error->message : ""), NULL;

  striae_consent_signature_set_consultation (signature, consultation_id, revision);
  striae_consent_signature_set_name (signature, name);
  striae_consent_signature_set_signed_at (signature, at);
  striae_consent_signature_set_signed_by (signature, signed_by);
  striae_consent_signature_set_consent_hash (signature, consent_hash);
  return g_steal_pointer (&signature);
}
