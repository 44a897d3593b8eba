/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The wizard's electronic signature (issue 16): on records with accounts and on a clinic
 * server, signing asks the signed-in account's (the login's) password again, checked in a worker thread (Argon2id takes a
 * noticeable moment on purpose). A wrong password signs nothing and says so in the dialog,
 * which comes back; the right one signs in the account's name, and the audit entry of the
 * signature says that the password was given (striae_store_confirm_signature()). */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "striae-accessible.h"
#include "striae-app-private.h"
#include "striae-wizard-private.h"

typedef struct
{
  StriaeStore        *store;
  StriaeConsultation *consultation; /* the one the password was asked for */
  char               *password;
  char               *reason;       /* NULL: signed as treated */
  GDate               see_again;
} SignatureCheck;

static void
signature_check_free (SignatureCheck *check)
{
  g_clear_object (&check->store);
  g_clear_object (&check->consultation);
  /* The password goes from memory as soon as it was checked. */
  if (check->password != NULL)
    memset (check->password, 0, strlen (check->password));
  g_free (check->password);
  g_free (check->reason);
  g_free (check);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SignatureCheck, signature_check_free)

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
check_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  SignatureCheck *check = task_data;
  GError *error = NULL;

  if (striae_store_confirm_signature (check->store, check->password, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* The dialog's sentence for a refused password: a wrong one names no account name (the
 * account is the one signed in); the wait after too many tries is said as the records say. */
static char *
dup_refusal (const GError *error)
{
  if (g_error_matches (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_SIGN_IN))
    return g_strdup (_("The password is wrong, and nothing was signed. Type it again."));
  return g_strdup (error->message);
}

static void
check_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  StriaeWizard *self = STRIAE_WIZARD (object);
  SignatureCheck *check = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *refusal = NULL;
  const char *signer;
  const GDate *see_again = g_date_valid (&check->see_again) ? &check->see_again : NULL;

  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return;
  g_clear_object (&self->signature_check);

  /* The wizard moved on to another consultation meanwhile: nothing is signed unseen. */
  if (striae_consultation_session_get_consultation (self->session) != check->consultation ||
      striae_consultation_session_get_signed (self->session))
    return;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      refusal = dup_refusal (error);
      _striae_wizard_ask_signature (self, check->reason, see_again, refusal);
      return;
    }

  /* Signed out meanwhile (the window locked): nothing is signed. */
  signer = striae_store_get_account_display_name (check->store);
  if (signer == NULL)
    return;
  if (_striae_wizard_sign (self, signer, check->reason, see_again, &error))
    return;

  /* Refused by the records after the password was right (another computer signed it, a
   * lost server): said where the sign-off was asked for. */
  if (check->reason != NULL)
    _striae_wizard_present_not_treated (self, check->reason, see_again, error->message);
  else
    striae_summary_page_refresh (self->summary_page, error->message);
}

static GtkEditable *
dialog_password (AdwMessageDialog *dialog)
{
  GtkListBox *list = GTK_LIST_BOX (adw_message_dialog_get_extra_child (dialog));

  return GTK_EDITABLE (gtk_list_box_get_row_at_index (list, 0));
}

static void
signature_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       StriaeWizard     *self)
{
  g_autoptr(SignatureCheck) check = NULL;
  g_autoptr(GTask) task = NULL;
  GtkEditable *password;

  /* Only "sign" reads the dialog: its close response may come once its rows are gone. */
  if (g_strcmp0 (response, "sign") != 0 || self->signature_check != NULL ||
      striae_consultation_session_get_consultation (self->session) == NULL ||
      striae_consultation_session_get_signed (self->session) || get_store (self) == NULL)
    return;

  password = dialog_password (dialog);

  check = g_new0 (SignatureCheck, 1);
  check->store = g_object_ref (get_store (self));
  check->consultation = g_object_ref (striae_consultation_session_get_consultation (
                                        self->session));
  check->password = g_strdup (gtk_editable_get_text (password));
  check->reason = g_strdup (self->signature_reason);
  check->see_again = self->signature_see_again;
  gtk_editable_set_text (password, "");

  self->signature_check = g_cancellable_new ();
  task = g_task_new (self, self->signature_check, check_done_cb, NULL);
  g_task_set_source_tag (task, signature_response_cb);
  g_task_set_task_data (task, g_steal_pointer (&check), (GDestroyNotify) signature_check_free);
  g_task_run_in_thread (task, check_thread);
}

static void
password_changed_cb (GtkEditable      *password,
                     AdwMessageDialog *dialog)
{
  adw_message_dialog_set_response_enabled (dialog, "sign",
                                           gtk_editable_get_text (password)[0] != '\0');
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
  AdwMessageDialog *dialog;
  GtkWidget *list;
  GtkWidget *password;
  GtkWidget *problem_row;
  g_autofree char *body = NULL;

  g_return_if_fail (store != NULL && striae_store_signs_with_password (store));

  /* TRANSLATORS: %s is the display name of the account signed in, e.g. "Dr Anna Weber" */
  body = g_strdup_printf (_("The record is signed as %s and locked. Type your password to "
                            "sign it."), striae_store_get_account_display_name (store));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (
                                 GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                 reason != NULL ? _("Sign as Not Treated With Your Password")
                                                : _("Sign With Your Password"),
                                 body));
  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  password = adw_password_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (password), _("Password"));
  adw_entry_row_set_activates_default (ADW_ENTRY_ROW (password), TRUE);
  striae_accessible_name_password_peek (password);
  problem_row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (problem_row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (problem_row),
                                 problem != NULL ? problem : "");
  adw_action_row_set_title_lines (ADW_ACTION_ROW (problem_row), 0);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (problem_row), FALSE);
  gtk_widget_set_focusable (problem_row, FALSE);
  gtk_widget_add_css_class (problem_row, "error");
  gtk_widget_set_visible (problem_row, problem != NULL);
  gtk_list_box_append (GTK_LIST_BOX (list), password);
  gtk_list_box_append (GTK_LIST_BOX (list), problem_row);
  adw_message_dialog_set_extra_child (dialog, list);

  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "sign", _("_Sign"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "sign", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (dialog, "sign", FALSE);
  adw_message_dialog_set_default_response (dialog, "sign");
  adw_message_dialog_set_close_response (dialog, "cancel");
  striae_app_dialog_drops_focus (dialog);

  /* What the password signs: the dialog is modal, so one at a time. */
  g_free (self->signature_reason);
  self->signature_reason = g_strdup (reason);
  g_date_clear (&self->signature_see_again, 1);
  if (see_again != NULL && g_date_valid (see_again))
    self->signature_see_again = *see_again;

  g_signal_connect_object (password, "changed", G_CALLBACK (password_changed_cb), dialog, 0);
  g_signal_connect_object (dialog, "response", G_CALLBACK (signature_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (password);
}
