/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The electronic signature's password (issue 16), one dialog for every sign-off: the wizard's
 * and the session record's. On records with accounts and on a clinic server, signing asks the
 * signed-in account's (the login's) password again, checked in a worker thread (Argon2id takes
 * a noticeable moment on purpose; a server checks it on a connection of its own and refuses a
 * login it lets in without a password, with its own sentence). A wrong password signs nothing:
 * whoever asked shows the prompt again with the refusal under the field. The right one lets
 * the next signature's audit entry say that the password was given
 * (striae_store_confirm_signature()). Escape cancels; Enter signs once a password is typed. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "striae-accessible.h"
#include "striae-app-private.h"
#include "striae-signature-prompt.h"

struct _StriaeSignaturePrompt
{
  AdwMessageDialog  parent_instance;

  AdwActionRow     *problem_row;
  GtkEditable      *password_row;

  StriaeStore      *store;
  char             *problem;
};

G_DEFINE_FINAL_TYPE (StriaeSignaturePrompt, striae_signature_prompt, ADW_TYPE_MESSAGE_DIALOG)

enum {
  PROP_0,
  PROP_STORE,
  PROP_PROBLEM,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

typedef struct
{
  StriaeStore *store;
  char        *password;
} PasswordCheck;

static void
password_check_free (PasswordCheck *check)
{
  g_clear_object (&check->store);
  /* The password goes from memory as soon as it was checked. */
  if (check->password != NULL)
    memset (check->password, 0, strlen (check->password));
  g_free (check->password);
  g_free (check);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PasswordCheck, password_check_free)

static void
password_changed_cb (StriaeSignaturePrompt *self,
                     GtkEditable           *password)
{
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "sign",
                                           gtk_editable_get_text (password)[0] != '\0');
}

static void
set_body (StriaeSignaturePrompt *self)
{
  g_autofree char *body = NULL;

  /* TRANSLATORS: %s is the display name of the account signed in, e.g. "Dr Anna Weber" */
  body = g_strdup_printf (_("The record is signed as %s and locked. Type your password to "
                            "sign it."), striae_store_get_account_display_name (self->store));
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self), body);
}

/* The password is what there is to type: the field has the keyboard, not the buttons. */
static void
striae_signature_prompt_show (GtkWidget *widget)
{
  StriaeSignaturePrompt *self = STRIAE_SIGNATURE_PROMPT (widget);

  GTK_WIDGET_CLASS (striae_signature_prompt_parent_class)->show (widget);
  gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}

static void
striae_signature_prompt_constructed (GObject *object)
{
  StriaeSignaturePrompt *self = STRIAE_SIGNATURE_PROMPT (object);

  G_OBJECT_CLASS (striae_signature_prompt_parent_class)->constructed (object);

  g_assert (self->store != NULL);
  set_body (self);
}

static void
striae_signature_prompt_dispose (GObject *object)
{
  StriaeSignaturePrompt *self = STRIAE_SIGNATURE_PROMPT (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), STRIAE_TYPE_SIGNATURE_PROMPT);
  g_clear_object (&self->store);
  g_clear_pointer (&self->problem, g_free);

  G_OBJECT_CLASS (striae_signature_prompt_parent_class)->dispose (object);
}

static void
striae_signature_prompt_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  StriaeSignaturePrompt *self = STRIAE_SIGNATURE_PROMPT (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_PROBLEM:
      g_value_set_string (value, self->problem);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_signature_prompt_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  StriaeSignaturePrompt *self = STRIAE_SIGNATURE_PROMPT (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_PROBLEM:
      striae_signature_prompt_set_problem (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_signature_prompt_class_init (StriaeSignaturePromptClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = striae_signature_prompt_constructed;
  object_class->dispose = striae_signature_prompt_dispose;
  object_class->get_property = striae_signature_prompt_get_property;
  object_class->set_property = striae_signature_prompt_set_property;
  widget_class->show = striae_signature_prompt_show;

  /**
   * StriaeSignaturePrompt:store:
   *
   * The records whose signed-in account signs: its display name is shown, its password
   * checked.
   */
  properties [PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, STRIAE_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * StriaeSignaturePrompt:problem: (nullable)
   *
   * Why the last password was refused, shown under the field; %NULL shows nothing.
   */
  properties [PROP_PROBLEM] =
    g_param_spec_string ("problem", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  striae_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/striae/Striae/ui/"
                                               "striae-signature-prompt.ui");
  gtk_widget_class_bind_template_child (widget_class, StriaeSignaturePrompt, password_row);
  gtk_widget_class_bind_template_child (widget_class, StriaeSignaturePrompt, problem_row);
  gtk_widget_class_bind_template_callback (widget_class, password_changed_cb);
}

static void
striae_signature_prompt_init (StriaeSignaturePrompt *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  striae_accessible_name_password_peek (GTK_WIDGET (self->password_row));
  striae_app_dialog_drops_focus (ADW_MESSAGE_DIALOG (self));
}

/**
 * striae_signature_prompt_new:
 * @parent: the widget asking, in the window the prompt belongs to
 * @store: the records, with an account signed in (striae_store_signs_with_password())
 * @heading: (nullable): what is signed, %NULL for "Sign With Your Password"
 * @problem: (nullable): why the last password was refused
 *
 * The dialog that asks the signed-in account's password to sign. Present it, and when it
 * responds "sign", check the password typed with striae_signature_prompt_check_async().
 *
 * Returns: (transfer none): the prompt, owned by the list of toplevel windows
 */
StriaeSignaturePrompt *
striae_signature_prompt_new (GtkWidget   *parent,
                             StriaeStore *store,
                             const char  *heading,
                             const char  *problem)
{
  StriaeSignaturePrompt *self;

  g_return_val_if_fail (GTK_IS_WIDGET (parent), NULL);
  g_return_val_if_fail (STRIAE_IS_STORE (store), NULL);

  self = g_object_new (STRIAE_TYPE_SIGNATURE_PROMPT,
                       "transient-for", gtk_widget_get_root (parent),
                       "store", store,
                       "problem", problem,
                       NULL);
  if (heading != NULL)
    adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (self), heading);
  return self;
}

StriaeStore *
striae_signature_prompt_get_store (StriaeSignaturePrompt *self)
{
  g_return_val_if_fail (STRIAE_IS_SIGNATURE_PROMPT (self), NULL);

  return self->store;
}

const char *
striae_signature_prompt_get_problem (StriaeSignaturePrompt *self)
{
  g_return_val_if_fail (STRIAE_IS_SIGNATURE_PROMPT (self), NULL);

  return self->problem;
}

void
striae_signature_prompt_set_problem (StriaeSignaturePrompt *self,
                                     const char            *problem)
{
  g_return_if_fail (STRIAE_IS_SIGNATURE_PROMPT (self));

  if (g_strcmp0 (self->problem, problem) == 0)
    return;

  g_free (self->problem);
  self->problem = g_strdup (problem);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->problem_row),
                                 problem != NULL ? problem : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problem_row), problem != NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PROBLEM]);
}

static void
check_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  PasswordCheck *check = task_data;
  GError *error = NULL;

  if (striae_store_confirm_signature (check->store, check->password, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * striae_signature_prompt_check_async:
 * @cancellable: (nullable): cancels the wait for the answer (the check itself runs to its end)
 *
 * Takes the password typed, empties the field, and checks the password in a worker thread.
 * The prompt may be closed meanwhile: the check keeps it.
 */
void
striae_signature_prompt_check_async (StriaeSignaturePrompt *self,
                                     GCancellable          *cancellable,
                                     GAsyncReadyCallback    callback,
                                     gpointer               user_data)
{
  g_autoptr(PasswordCheck) check = NULL;
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (STRIAE_IS_SIGNATURE_PROMPT (self));

  check = g_new0 (PasswordCheck, 1);
  check->store = g_object_ref (self->store);
  check->password = g_strdup (gtk_editable_get_text (self->password_row));
  gtk_editable_set_text (self->password_row, "");

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, striae_signature_prompt_check_async);
  g_task_set_task_data (task, g_steal_pointer (&check), (GDestroyNotify) password_check_free);
  g_task_run_in_thread (task, check_thread);
}

/**
 * striae_signature_prompt_check_finish:
 *
 * Returns: whether the password was right and the next signature may say so; else %FALSE
 *   with @error set to the sentence for the prompt shown again: a wrong password names no
 *   account (the account is the one signed in), the wait after too many tries and a server's
 *   refusal are said as the records say them. %G_IO_ERROR_CANCELLED when cancelled.
 */
gboolean
striae_signature_prompt_check_finish (StriaeSignaturePrompt  *self,
                                      GAsyncResult           *result,
                                      GError                **error)
{
  g_autoptr(GError) refusal = NULL;

  g_return_val_if_fail (STRIAE_IS_SIGNATURE_PROMPT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_task_propagate_boolean (G_TASK (result), &refusal))
    return TRUE;

  if (g_error_matches (refusal, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_SIGN_IN))
    g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_SIGN_IN,
                         _("The password is wrong, and nothing was signed. Type it again."));
  else
    g_propagate_error (error, g_steal_pointer (&refusal));
  return FALSE;
}
