/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "striae-app-private.h"
#include "striae-accessible.h"
#include "striae-accounts-page.h"
#include "striae-toast.h"

/* Preferences → Accounts: every change goes through the records layer, which checks that an
 * administrator asks and audits it. Adding an account and resetting a password hash the
 * password (Argon2id, a noticeable moment on purpose): that runs in a worker thread, and the
 * dialog that asked comes back with what was typed and one sentence when the records refuse.
 * Passwords are never shown again, and leave memory once hashed. */

struct _StriaeAccountsPage
{
  AdwPreferencesPage   parent_instance;

  AdwPreferencesGroup *accounts_group;
  GtkWidget           *add_button;
  GtkListBox          *list;

  StriaeStore         *store;
  /* The account the open Reset Password dialog is about (the dialog is modal). */
  char                *reset_name;
  /* Passwords being hashed in a worker thread. */
  guint                busy;
};

G_DEFINE_FINAL_TYPE (StriaeAccountsPage, striae_accounts_page, ADW_TYPE_PREFERENCES_PAGE)

typedef struct
{
  char            *name;
  char            *display_name;
  StriaeStaffRole  role;
  char            *password;
} AccountRequest;

static void
account_request_free (AccountRequest *request)
{
  g_free (request->name);
  g_free (request->display_name);
  if (request->password != NULL)
    memset (request->password, 0, strlen (request->password));
  g_free (request->password);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AccountRequest, account_request_free)

static const char *
role_title (StriaeStaffRole role)
{
  switch (role)
    {
    case STRIAE_STAFF_ROLE_ASSISTANT:
      return _("Assistant");
    case STRIAE_STAFF_ROLE_PRACTITIONER:
      return _("Practitioner");
    case STRIAE_STAFF_ROLE_ADMIN:
    default:
      return _("Administrator");
    }
}

static const char *
role_action_label (StriaeStaffRole role)
{
  switch (role)
    {
    case STRIAE_STAFF_ROLE_ASSISTANT:
      return _("Make Assistant");
    case STRIAE_STAFF_ROLE_PRACTITIONER:
      return _("Make Practitioner");
    case STRIAE_STAFF_ROLE_ADMIN:
    default:
      return _("Make Administrator");
    }
}

static void
add_toast (StriaeAccountsPage *self,
           const char         *text)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (ADW_IS_PREFERENCES_WINDOW (root))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (root),
                                      striae_toast_new (GTK_WIDGET (root), text));
  else
    g_message ("%s", text);
}

static GtkWindow *
get_window (StriaeAccountsPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

/* The menu of one account: reset its password, change its role, disable or enable it; of a
 * clinic server's login (@keeps FALSE), only reset its password: its group and its login
 * are clinic IT's to change on the server. */
static GMenuModel *
account_menu_new (const StriaeAccount *account,
                  gboolean             keeps)
{
  GMenu *menu = g_menu_new ();
  g_autoptr(GMenu) roles = g_menu_new ();
  g_autoptr(GMenu) state = g_menu_new ();
  g_autoptr(GMenuItem) reset = g_menu_item_new (_("Reset Password…"), NULL);
  g_autoptr(GMenuItem) disable = NULL;

  g_menu_item_set_action_and_target_value (reset, "accounts.reset-password",
                                           g_variant_new_string (account->name));
  g_menu_append_item (menu, reset);
  if (!keeps)
    return G_MENU_MODEL (menu);

  for (StriaeStaffRole role = STRIAE_STAFF_ROLE_ASSISTANT; role <= STRIAE_STAFF_ROLE_ADMIN; role++)
    {
      g_autoptr(GMenuItem) item = NULL;

      if (role == account->role)
        continue;
      item = g_menu_item_new (role_action_label (role), NULL);
      g_menu_item_set_action_and_target_value (item, "accounts.set-role",
                                               g_variant_new ("(ss)", account->name,
                                                              striae_staff_role_to_string (role)));
      g_menu_append_item (roles, item);
    }
  g_menu_append_section (menu, _("Change Role"), G_MENU_MODEL (roles));

  disable = g_menu_item_new (account->disabled ? _("Enable Account") : _("Disable Account"),
                             NULL);
  g_menu_item_set_action_and_target_value (disable, "accounts.set-disabled",
                                           g_variant_new ("(sb)", account->name,
                                                          !account->disabled));
  g_menu_append_item (state, disable);
  g_menu_append_section (menu, NULL, G_MENU_MODEL (state));

  return G_MENU_MODEL (menu);
}

static GtkWidget *
account_row_new (const StriaeAccount *account,
                 gboolean             keeps)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_menu_button_new ();
  g_autoptr(GMenuModel) menu = account_menu_new (account, keeps);
  g_autofree char *subtitle = NULL;
  g_autofree char *label = NULL;

  if (account->disabled)
    /* TRANSLATORS: under an account's display name: its name, its role, and that it is
     * disabled, e.g. "kim · Assistant · Disabled" */
    subtitle = g_strdup_printf (_("%s · %s · Disabled"), account->name,
                                role_title (account->role));
  else
    /* TRANSLATORS: under an account's display name: its name and role, e.g.
     * "kim · Assistant" */
    subtitle = g_strdup_printf (_("%s · %s"), account->name, role_title (account->role));

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), account->display_name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  if (account->disabled)
    gtk_widget_add_css_class (row, "dim-label");

  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "view-more-symbolic");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (button), menu);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  /* TRANSLATORS: %s is an account's display name */
  label = g_strdup_printf (_("Change the account of %s"), account->display_name);
  gtk_widget_set_tooltip_text (button, label);
  striae_accessible_name_menu_button (GTK_MENU_BUTTON (button), label);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  return row;
}

static GtkWidget *
message_row_new (const char *text)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  return row;
}

/**
 * striae_accounts_page_reload:
 *
 * Lists the accounts as the records hold them now: on a clinic server its staff logins, whose
 * passwords alone can be reset here (clinic IT adds logins with --server-add-login). Where
 * the records cannot list them, says why and offers nothing to change.
 */
void
striae_accounts_page_reload (StriaeAccountsPage *self)
{
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;
  gboolean keeps;

  g_return_if_fail (STRIAE_IS_ACCOUNTS_PAGE (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);

  accounts = striae_store_list_accounts (self->store, &error);
  keeps = striae_store_keeps_accounts (self->store);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "accounts.add", accounts != NULL && keeps);
  gtk_widget_set_visible (self->add_button, accounts != NULL && keeps);
  adw_preferences_group_set_description (self->accounts_group,
                                         keeps ? _("Everyone who works with these records "
                                                   "signs in with an account of their own. An "
                                                   "administrator resets a forgotten password; "
                                                   "nobody can read one.")
                                               : _("On the clinic server, everyone signs in "
                                                   "with a login of their own, which the "
                                                   "clinic’s IT adds (striae "
                                                   "--server-add-login). An administrator "
                                                   "resets a forgotten password here; nobody "
                                                   "can read one."));
  if (accounts == NULL)
    {
      gtk_list_box_append (self->list, message_row_new (error->message));
      return;
    }

  for (guint i = 0; i < accounts->len; i++)
    gtk_list_box_append (self->list, account_row_new (g_ptr_array_index (accounts, i), keeps));
}

/* The dialogs */

static GtkWidget *
entry_row_new (GType       type,
               const char *title,
               const char *text)
{
  GtkWidget *row = g_object_new (type, NULL);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
  if (type == ADW_TYPE_PASSWORD_ENTRY_ROW)
    striae_accessible_name_password_peek (row);
  return row;
}

static GtkWidget *
problem_row_new (const char *problem)
{
  GtkWidget *row = message_row_new (problem != NULL ? problem : "");

  gtk_widget_set_focusable (row, FALSE);
  gtk_widget_add_css_class (row, "error");
  gtk_widget_set_visible (row, problem != NULL);
  return row;
}

/* A message dialog whose fields are the rows of @list. */
static AdwMessageDialog *
form_dialog_new (StriaeAccountsPage *self,
                 const char         *heading,
                 const char         *body,
                 GtkWidget          *list,
                 const char         *response,
                 const char         *label)
{
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (get_window (self), heading, body));
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  adw_message_dialog_set_extra_child (dialog, list);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), response, label, NULL);
  adw_message_dialog_set_response_appearance (dialog, response, ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, response);
  adw_message_dialog_set_close_response (dialog, "cancel");
  striae_app_dialog_drops_focus (dialog);
  return dialog;
}

static GtkWidget *
dialog_row (AdwMessageDialog *dialog,
            int               index)
{
  GtkListBox *list = GTK_LIST_BOX (adw_message_dialog_get_extra_child (dialog));

  return GTK_WIDGET (gtk_list_box_get_row_at_index (list, index));
}

static GtkEditable *
dialog_field (AdwMessageDialog *dialog,
              int               index)
{
  return GTK_EDITABLE (dialog_row (dialog, index));
}

/* The two password fields at @index and the next: %NULL with @problem set when they differ
 * (the records say what else is wrong with a password). */
static char *
dup_password (AdwMessageDialog  *dialog,
              int                index,
              char             **problem)
{
  const char *first = gtk_editable_get_text (dialog_field (dialog, index));
  const char *second = gtk_editable_get_text (dialog_field (dialog, index + 1));

  if (g_strcmp0 (first, second) != 0)
    {
      *problem = g_strdup (_("The two passwords differ: type the same password twice."));
      return NULL;
    }
  return g_strdup (first);
}

static void present_add_dialog   (StriaeAccountsPage   *self,
                                  const AccountRequest *typed,
                                  const char           *problem);
static void present_reset_dialog (StriaeAccountsPage   *self,
                                  const char           *problem);

static void
add_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  StriaeAccountsPage *self = source_object;
  AccountRequest *request = task_data;
  GError *error = NULL;

  if (striae_store_add_account (self->store, request->name, request->display_name,
                                request->role, request->password, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
reset_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  StriaeAccountsPage *self = source_object;
  AccountRequest *request = task_data;
  GError *error = NULL;

  if (striae_store_reset_password (self->store, request->name, request->password, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
add_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  StriaeAccountsPage *self = STRIAE_ACCOUNTS_PAGE (object);
  AccountRequest *request = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  self->busy--;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      /* Preferences closed meanwhile: no dialog comes back on its own. */
      if (gtk_widget_get_root (GTK_WIDGET (self)) == NULL)
        g_message ("The account was not added: %s", error->message);
      else
        present_add_dialog (self, request, error->message);
      return;
    }

  striae_accounts_page_reload (self);
  /* TRANSLATORS: a toast; %s is the new account's name */
  text = g_strdup_printf (_("Account “%s” added"), request->name);
  add_toast (self, text);
}

static void
reset_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  StriaeAccountsPage *self = STRIAE_ACCOUNTS_PAGE (object);
  AccountRequest *request = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  self->busy--;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (gtk_widget_get_root (GTK_WIDGET (self)) == NULL)
        {
          g_message ("The password was not reset: %s", error->message);
          return;
        }
      g_free (self->reset_name);
      self->reset_name = g_strdup (request->name);
      present_reset_dialog (self, error->message);
      return;
    }

  striae_accounts_page_reload (self);
  /* TRANSLATORS: a toast; %s is the account's name */
  text = g_strdup_printf (_("The password of “%s” was reset"), request->name);
  add_toast (self, text);
}

static void
run_request (StriaeAccountsPage  *self,
             AccountRequest      *request,
             GTaskThreadFunc      thread,
             GAsyncReadyCallback  done)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, done, NULL);

  self->busy++;
  g_task_set_source_tag (task, run_request);
  g_task_set_task_data (task, request, (GDestroyNotify) account_request_free);
  g_task_run_in_thread (task, thread);
}

static void
add_response_cb (AdwMessageDialog   *dialog,
                 const char         *response,
                 StriaeAccountsPage *self)
{
  g_autoptr(AccountRequest) request = g_new0 (AccountRequest, 1);
  g_autofree char *problem = NULL;

  if (g_strcmp0 (response, "add") != 0)
    return;

  request->name = g_strstrip (g_strdup (gtk_editable_get_text (dialog_field (dialog, 0))));
  request->display_name = g_strdup (gtk_editable_get_text (dialog_field (dialog, 1)));
  request->role = adw_combo_row_get_selected (ADW_COMBO_ROW (dialog_row (dialog, 2)));
  request->password = dup_password (dialog, 3, &problem);
  if (request->password == NULL)
    {
      present_add_dialog (self, request, problem);
      return;
    }

  run_request (self, g_steal_pointer (&request), add_thread, add_done_cb);
}

/* @typed: (nullable): what was typed before, without its password */
static void
present_add_dialog (StriaeAccountsPage   *self,
                    const AccountRequest *typed,
                    const char           *problem)
{
  AdwMessageDialog *dialog;
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *name;
  GtkWidget *role = adw_combo_row_new ();
  g_autoptr(GtkStringList) roles = gtk_string_list_new (NULL);

  for (StriaeStaffRole r = STRIAE_STAFF_ROLE_ASSISTANT; r <= STRIAE_STAFF_ROLE_ADMIN; r++)
    gtk_string_list_append (roles, role_title (r));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (role), _("Role"));
  adw_combo_row_set_model (ADW_COMBO_ROW (role), G_LIST_MODEL (roles));
  adw_combo_row_set_selected (ADW_COMBO_ROW (role),
                              typed != NULL ? typed->role : STRIAE_STAFF_ROLE_PRACTITIONER);

  name = entry_row_new (ADW_TYPE_ENTRY_ROW, _("Account name (to sign in)"),
                        typed != NULL ? typed->name : NULL);
  gtk_list_box_append (GTK_LIST_BOX (list), name);
  gtk_list_box_append (GTK_LIST_BOX (list),
                       entry_row_new (ADW_TYPE_ENTRY_ROW, _("Display name (signs consultations)"),
                                      typed != NULL ? typed->display_name : NULL));
  gtk_list_box_append (GTK_LIST_BOX (list), role);
  gtk_list_box_append (GTK_LIST_BOX (list),
                       entry_row_new (ADW_TYPE_PASSWORD_ENTRY_ROW, _("Password"), NULL));
  gtk_list_box_append (GTK_LIST_BOX (list),
                       entry_row_new (ADW_TYPE_PASSWORD_ENTRY_ROW, _("Password again"), NULL));
  gtk_list_box_append (GTK_LIST_BOX (list), problem_row_new (problem));

  dialog = form_dialog_new (self, _("Add Account"),
                            _("The new account signs in with this name and password, and "
                              "may do what its role allows."),
                            list, "add", _("_Add"));
  g_signal_connect_object (dialog, "response", G_CALLBACK (add_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (name);
}

static void
reset_response_cb (AdwMessageDialog   *dialog,
                   const char         *response,
                   StriaeAccountsPage *self)
{
  g_autoptr(AccountRequest) request = g_new0 (AccountRequest, 1);
  g_autofree char *problem = NULL;

  if (g_strcmp0 (response, "reset") != 0 || self->reset_name == NULL)
    return;

  request->name = g_strdup (self->reset_name);
  request->password = dup_password (dialog, 0, &problem);
  if (request->password == NULL)
    {
      present_reset_dialog (self, problem);
      return;
    }

  run_request (self, g_steal_pointer (&request), reset_thread, reset_done_cb);
}

/* Asks a new password for the account self->reset_name. */
static void
present_reset_dialog (StriaeAccountsPage *self,
                      const char         *problem)
{
  AdwMessageDialog *dialog;
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *password = entry_row_new (ADW_TYPE_PASSWORD_ENTRY_ROW, _("New password"), NULL);
  g_autofree char *heading = NULL;

  /* TRANSLATORS: %s is an account's name */
  heading = g_strdup_printf (_("Reset the Password of “%s”?"), self->reset_name);
  gtk_list_box_append (GTK_LIST_BOX (list), password);
  gtk_list_box_append (GTK_LIST_BOX (list),
                       entry_row_new (ADW_TYPE_PASSWORD_ENTRY_ROW, _("New password again"),
                                      NULL));
  gtk_list_box_append (GTK_LIST_BOX (list), problem_row_new (problem));
  dialog = form_dialog_new (self, heading,
                            _("The old password stops working at once. Give the new one to "
                              "its owner in person."),
                            list, "reset", _("_Reset Password"));
  g_signal_connect_object (dialog, "response", G_CALLBACK (reset_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (password);
}

/* The actions */

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  present_add_dialog (STRIAE_ACCOUNTS_PAGE (widget), NULL, NULL);
}

static void
reset_password_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  StriaeAccountsPage *self = STRIAE_ACCOUNTS_PAGE (widget);

  g_free (self->reset_name);
  self->reset_name = g_variant_dup_string (parameter, NULL);
  present_reset_dialog (self, NULL);
}

/* Changing a role or disabling hashes nothing: done at once, said in a toast. */
static void
changed (StriaeAccountsPage *self,
         gboolean            ok,
         const GError       *error,
         const char         *done)
{
  if (!ok)
    {
      add_toast (self, error->message);
      return;
    }
  striae_accounts_page_reload (self);
  add_toast (self, done);
}

static void
set_role_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  StriaeAccountsPage *self = STRIAE_ACCOUNTS_PAGE (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *done = NULL;
  StriaeStaffRole role = STRIAE_STAFF_ROLE_ASSISTANT;
  const char *name, *text;
  gboolean ok;

  g_variant_get (parameter, "(&s&s)", &name, &text);
  while (role < STRIAE_STAFF_ROLE_ADMIN &&
         g_strcmp0 (striae_staff_role_to_string (role), text) != 0)
    role++;
  ok = striae_store_set_account_role (self->store, name, role, &error);
  /* TRANSLATORS: a toast; the first %s is an account's name, the second its new role */
  done = g_strdup_printf (_("“%s” is now: %s"), name, role_title (role));
  changed (self, ok, error, done);
}

static void
set_disabled_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  StriaeAccountsPage *self = STRIAE_ACCOUNTS_PAGE (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *done = NULL;
  const char *name;
  gboolean disabled, ok;

  g_variant_get (parameter, "(&sb)", &name, &disabled);
  ok = striae_store_set_account_disabled (self->store, name, disabled, &error);
  done = disabled
         /* TRANSLATORS: a toast; %s is an account's name */
         ? g_strdup_printf (_("“%s” can no longer sign in"), name)
         /* TRANSLATORS: a toast; %s is an account's name */
         : g_strdup_printf (_("“%s” can sign in again"), name);
  changed (self, ok, error, done);
}

static void
striae_accounts_page_dispose (GObject *object)
{
  StriaeAccountsPage *self = STRIAE_ACCOUNTS_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), STRIAE_TYPE_ACCOUNTS_PAGE);
  g_clear_object (&self->store);
  g_clear_pointer (&self->reset_name, g_free);

  G_OBJECT_CLASS (striae_accounts_page_parent_class)->dispose (object);
}

static void
striae_accounts_page_class_init (StriaeAccountsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = striae_accounts_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/striae/Striae/ui/"
                                               "striae-accounts-page.ui");
  gtk_widget_class_bind_template_child (widget_class, StriaeAccountsPage, accounts_group);
  gtk_widget_class_bind_template_child (widget_class, StriaeAccountsPage, add_button);
  gtk_widget_class_bind_template_child (widget_class, StriaeAccountsPage, list);

  gtk_widget_class_install_action (widget_class, "accounts.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "accounts.reset-password", "s",
                                   reset_password_action);
  gtk_widget_class_install_action (widget_class, "accounts.set-role", "(ss)", set_role_action);
  gtk_widget_class_install_action (widget_class, "accounts.set-disabled", "(sb)",
                                   set_disabled_action);
}

static void
striae_accounts_page_init (StriaeAccountsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  striae_accessible_name_buttons (GTK_WIDGET (self));
}

/**
 * striae_accounts_page_applies:
 *
 * Returns: whether Preferences shows the Accounts page: to an administrator of records
 *   with accounts, or of a clinic server (where it says how its logins are managed); not
 *   before the first administrator exists (the setup makes that one)
 */
gboolean
striae_accounts_page_applies (StriaeStore *store)
{
  g_return_val_if_fail (STRIAE_IS_STORE (store), FALSE);

  return !striae_store_needs_setup (store) &&
         striae_store_may (store, STRIAE_RIGHT_ACCOUNTS, NULL);
}

StriaeAccountsPage *
striae_accounts_page_new (StriaeStore *store)
{
  StriaeAccountsPage *self;

  g_return_val_if_fail (STRIAE_IS_STORE (store), NULL);

  self = g_object_new (STRIAE_TYPE_ACCOUNTS_PAGE, NULL);
  self->store = g_object_ref (store);
  striae_accounts_page_reload (self);
  return self;
}

/* For the tests: whether a password is being hashed. */
gboolean
striae_accounts_page_is_busy (StriaeAccountsPage *self)
{
  g_return_val_if_fail (STRIAE_IS_ACCOUNTS_PAGE (self), FALSE);
  return self->busy > 0;
}
