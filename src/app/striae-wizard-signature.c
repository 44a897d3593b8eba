/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The wizard's electronic signature (issue 16): on records with accounts and on a clinic
 * server, signing asks the signed-in account's (the login's) password again in the signature
 * prompt (striae-signature-prompt.c), which checks it in a worker thread. A wrong password
 * signs nothing and the prompt comes back saying so; the right one signs in the account's
 * name, and the audit entry of the signature says that the password was given. */
#include "config.h"

#include <glib/gi18n.h>

#include "striae-app-private.h"
#include "striae-signature-prompt.h"
#include "striae-wizard-private.h"

/* What a password typed was asked for: the wizard holds the check, and nothing is signed
 * unless the consultation shown is still this one. */
typedef struct
{
  StriaeWizard       *wizard;
  StriaeConsultation *consultation;
  char               *reason;       /* NULL: signed as treated */
  GDate               see_again;
} SignatureRequest;

static void
signature_request_free (SignatureRequest *request)
{
  g_clear_object (&request->wizard);
  g_clear_object (&request->consultation);
  g_free (request->reason);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SignatureRequest, signature_request_free)

static StriaeStore *
get_store (StriaeWizard *self)
{
  StriaeWizardRecords *records = striae_consultation_session_get_records (self->session);

  return records != NULL ? striae_wizard_records_get_store (records) : NULL;
}

/**
 * _striae_wizard_needs_signature:
 *
 * Returns: whether signing asks the password first: records with accounts, someone signed
 *   in, or a clinic server, whose login's password the server checks again (and where a
 *   login let in without a password cannot sign: the dialog says why). A file without
 *   accounts signs in the typed name, as before accounts.
 */
gboolean
_striae_wizard_needs_signature (StriaeWizard *self)
{
  StriaeStore *store = get_store (self);

  return store != NULL && striae_store_signs_with_password (store);
}

static void
check_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(SignatureRequest) request = user_data;
  StriaeWizard *self = request->wizard;
  StriaeSignaturePrompt *prompt = STRIAE_SIGNATURE_PROMPT (object);
  g_autoptr(GError) error = NULL;
  const char *signer;
  const GDate *see_again = g_date_valid (&request->see_again) ? &request->see_again : NULL;
  gboolean confirmed = striae_signature_prompt_check_finish (prompt, result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->signature_check);

  /* The wizard moved on to another consultation meanwhile: nothing is signed unseen. */
  if (striae_consultation_session_get_consultation (self->session) != request->consultation ||
      striae_consultation_session_get_signed (self->session))
    return;

  if (!confirmed)
    {
      _striae_wizard_ask_signature (self, request->reason, see_again, error->message);
      return;
    }

  /* Signed out meanwhile (the window locked): nothing is signed. */
  signer = striae_store_get_account_display_name (striae_signature_prompt_get_store (prompt));
  if (signer == NULL)
    return;
  g_clear_error (&error);
  if (_striae_wizard_sign (self, signer, request->reason, see_again, &error))
    return;

  /* Refused by the records after the password was right (another computer signed it, a
   * lost server): said where the sign-off was asked for. */
  if (request->reason != NULL)
    _striae_wizard_present_not_treated (self, request->reason, see_again, error->message);
  else
    striae_summary_page_refresh (self->summary_page, error->message);
}

static void
signature_response_cb (StriaeSignaturePrompt *prompt,
                       const char            *response,
                       StriaeWizard          *self)
{
  SignatureRequest *request;

  /* Only "sign" reads the dialog: its close response may come once its rows are gone. */
  if (g_strcmp0 (response, "sign") != 0 || self->signature_check != NULL ||
      striae_consultation_session_get_consultation (self->session) == NULL ||
      striae_consultation_session_get_signed (self->session) || get_store (self) == NULL)
    return;

  request = g_new0 (SignatureRequest, 1);
  request->wizard = g_object_ref (self);
  request->consultation = g_object_ref (striae_consultation_session_get_consultation (
                                          self->session));
  request->reason = g_strdup (self->signature_reason);
  request->see_again = self->signature_see_again;

  self->signature_check = g_cancellable_new ();
  striae_signature_prompt_check_async (prompt, self->signature_check, check_done_cb, request);
}

/**
 * _striae_wizard_ask_signature:
 * @reason: (nullable): signs as not treated, for this reason
 * @see_again: (nullable): with @reason, when to see the patient again
 * @problem: (nullable): why the last password was refused
 *
 * Asks the signed-in account's password to sign the consultation shown, in a dialog; the
 * signature follows once the records accept the password.
 */
void
_striae_wizard_ask_signature (StriaeWizard *self,
                              const char   *reason,
                              const GDate  *see_again,
                              const char   *problem)
{
  StriaeStore *store = get_store (self);
  StriaeSignaturePrompt *prompt;

  g_return_if_fail (store != NULL && striae_store_signs_with_password (store));

  prompt = striae_signature_prompt_new (GTK_WIDGET (self), store,
                                        reason != NULL
                                        ? _("Sign as Not Treated With Your Password") : NULL,
                                        problem);

  /* What the password signs: the dialog is modal, so one at a time. */
  g_free (self->signature_reason);
  self->signature_reason = g_strdup (reason);
  g_date_clear (&self->signature_see_again, 1);
  if (see_again != NULL && g_date_valid (see_again))
    self->signature_see_again = *see_again;

  g_signal_connect_object (prompt, "response", G_CALLBACK (signature_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (prompt));
}
