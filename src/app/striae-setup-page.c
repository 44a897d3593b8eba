/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "striae-accessible.h"
#include "striae-app-private.h"
#include "striae-setup-page.h"

/* The first administrator (issue 16): until records have an account, anyone at the PC would
 * see every patient, so the window shows this page instead of the register. The page says
 * whether the records are new or were kept before accounts (whose audit entries stay
 * "before accounts", never the new administrator's), checks what it can at once (the name,
 * the password's length, the two passwords alike), and leaves Argon2id (about 70 ms, more on
 * a busy PC) to a worker thread so that the window keeps drawing. */

struct _StriaeSetupPage
{
  AdwBin         parent_instance;

  AdwStatusPage *status_page;
  GtkWidget     *name_row;
  GtkWidget     *display_name_row;
  GtkWidget     *password_row;
  GtkWidget     *again_row;
  GtkLabel      *rules_label;
  GtkLabel      *problem_label;
  GtkWidget     *spinner;
  GtkWidget     *create_button;

  StriaeStore   *store;
  gint64         entries_before;
  gboolean       busy;
  GtkWidget     *problem_row; /* the field the problem is about, described by it */
};

G_DEFINE_FINAL_TYPE (StriaeSetupPage, striae_setup_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STORE,
  PROP_BUSY,
  N_PROPS
};

enum {
  DONE,
  N_SIGNALS
};

static GParamSpec *properties [N_PROPS];
static guint signals [N_SIGNALS];

/* What the administrator typed, handed to the worker thread. */
typedef struct
{
  StriaeStore *store;
  char        *name;
  char        *display_name;
  char        *password;
} Admin;

static void
admin_free (Admin *admin)
{
  g_clear_object (&admin->store);
  g_free (admin->name);
  g_free (admin->display_name);
  /* The password goes from memory once it was hashed. */
  if (admin->password != NULL)
    memset (admin->password, 0, strlen (admin->password));
  g_free (admin->password);
  g_free (admin);
}

static void
clear_problem (StriaeSetupPage *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), FALSE);
  if (self->problem_row != NULL)
    gtk_accessible_reset_property (GTK_ACCESSIBLE (self->problem_row),
                                   GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  self->problem_row = NULL;
}

/* Says in one sentence what stops the account being made, on the field it is about, and
 * puts the keyboard there. */
static void
show_problem (StriaeSetupPage *self,
              GtkWidget       *row,
              const char      *problem)
{
  clear_problem (self);
  gtk_label_set_text (self->problem_label, problem);
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), TRUE);
  self->problem_row = row;
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  problem, -1);
  gtk_widget_grab_focus (row);
}

static void
set_busy (StriaeSetupPage *self,
          gboolean         busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "setup.create", !busy);
  gtk_widget_set_visible (self->spinner, busy);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), busy);
  for (GtkWidget *row = self->name_row; row != NULL; row = gtk_widget_get_next_sibling (row))
    gtk_editable_set_editable (GTK_EDITABLE (row), !busy);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_BUSY]);
}

static const char *
text_of (GtkWidget *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

/* The first check that fails on what was typed, with its field; NULL when all pass. */
static GtkWidget *
check_fields (StriaeSetupPage  *self,
              GError          **error)
{
  g_autofree char *name = g_strstrip (g_strdup (text_of (self->name_row)));

  if (!striae_store_check_account_name (name, error))
    return self->name_row;
  if (!striae_store_check_new_password (text_of (self->password_row), error))
    return self->password_row;
  if (g_strcmp0 (text_of (self->password_row), text_of (self->again_row)) != 0)
    {
      g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
                           _("The two passwords differ: type the same password in both "
                             "fields."));
      return self->again_row;
    }
  return NULL;
}

static void
create_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Admin *admin = task_data;
  GError *error = NULL;

  if (striae_store_create_first_admin (admin->store, admin->name, admin->display_name,
                                       admin->password, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
created_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  StriaeSetupPage *self = STRIAE_SETUP_PAGE (source);
  g_autoptr(GError) error = NULL;

  set_busy (self, FALSE);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      /* Refused by the records: the display name, another Striae that made an account
       * meanwhile, a file that cannot be written. */
      GtkWidget *row = g_error_matches (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID)
                       ? self->display_name_row : self->name_row;

      show_problem (self, row, error->message);
      return;
    }

  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->again_row), "");
  g_signal_emit (self, signals [DONE], 0);
}

static void
create_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  StriaeSetupPage *self = STRIAE_SETUP_PAGE (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  GtkWidget *wrong;
  Admin *admin;

  if (self->busy)
    return;
  if ((wrong = check_fields (self, &error)) != NULL)
    {
      show_problem (self, wrong, error->message);
      return;
    }

  clear_problem (self);
  admin = g_new0 (Admin, 1);
  admin->store = g_object_ref (self->store);
  admin->name = g_strstrip (g_strdup (text_of (self->name_row)));
  admin->display_name = g_strdup (text_of (self->display_name_row));
  admin->password = g_strdup (text_of (self->password_row));
  task = g_task_new (self, NULL, created_cb, NULL);
  g_task_set_source_tag (task, create_action);
  g_task_set_task_data (task, admin, (GDestroyNotify) admin_free);
  set_busy (self, TRUE);
  g_task_run_in_thread (task, create_thread);
}

static void
entry_activated_cb (StriaeSetupPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "setup.create", NULL);
}

/* New records, or records kept before accounts: the page says which, and what becomes of
 * the earlier entries. */
static void
describe_records (StriaeSetupPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  self->entries_before = striae_store_count_entries_before_accounts (self->store, &error);
  if (self->entries_before < 0)
    g_message ("The audit log could not be read for the setup page: %s", error->message);

  if (self->entries_before == 0)
    text = g_strdup (_("These patient records are new. Create their first account: the "
                       "clinic’s administrator, who signs in from now on and adds the other "
                       "accounts."));
  else if (self->entries_before > 0)
    /* TRANSLATORS: %d is the number of entries in the records' audit log */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "These patient records were kept before Striae had "
                                         "accounts. Create the clinic’s administrator to sign "
                                         "in from now on. The %d entry already in the audit "
                                         "log stays attributed to “before accounts”, never "
                                         "to the new administrator.",
                                         "These patient records were kept before Striae had "
                                         "accounts. Create the clinic’s administrator to sign "
                                         "in from now on. The %d entries already in the audit "
                                         "log stay attributed to “before accounts”, never to "
                                         "the new administrator.",
                                         (gulong) self->entries_before),
                            (int) self->entries_before);
  else
    text = g_strdup (_("These patient records have no account yet. Create the clinic’s "
                       "administrator to sign in from now on."));
  adw_status_page_set_description (self->status_page, text);
}

static void
describe_rules (StriaeSetupPage *self)
{
  /* TRANSLATORS: %d is the least number of characters of a password */
  g_autofree char *text =
    g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                  "The account name is letters, digits, dots, hyphens or "
                                  "underscores, such as “m.dupont”. The display name signs "
                                  "consultations, such as “Dr Marie Dupont”. The password "
                                  "needs at least %d character.",
                                  "The account name is letters, digits, dots, hyphens or "
                                  "underscores, such as “m.dupont”. The display name signs "
                                  "consultations, such as “Dr Marie Dupont”. The password "
                                  "needs at least %d characters.",
                                  STRIAE_ACCOUNT_PASSWORD_MIN_LENGTH),
                     STRIAE_ACCOUNT_PASSWORD_MIN_LENGTH);

  gtk_label_set_text (self->rules_label, text);
}

/* libadwaita 1.2's password row shows and hides the password with a button that has no
 * accessible name (read as "GtkImage"): it is named here. */
static void
name_peek_button (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_BUTTON (child) && gtk_button_get_label (GTK_BUTTON (child)) == NULL)
        gtk_accessible_update_property (GTK_ACCESSIBLE (child),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        _("Show or Hide the Password"), -1);
      name_peek_button (child);
    }
}

/* Enter anywhere on the page creates the account, as the default button of its window. */
static void
striae_setup_page_map (GtkWidget *widget)
{
  StriaeSetupPage *self = STRIAE_SETUP_PAGE (widget);
  GtkRoot *root;

  GTK_WIDGET_CLASS (striae_setup_page_parent_class)->map (widget);

  root = gtk_widget_get_root (widget);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_default_widget (GTK_WINDOW (root), self->create_button);
  gtk_widget_grab_focus (self->name_row);
}

static void
striae_setup_page_constructed (GObject *object)
{
  StriaeSetupPage *self = STRIAE_SETUP_PAGE (object);

  G_OBJECT_CLASS (striae_setup_page_parent_class)->constructed (object);

  g_assert (self->store != NULL);
  describe_records (self);
}

static void
striae_setup_page_dispose (GObject *object)
{
  StriaeSetupPage *self = STRIAE_SETUP_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (object), STRIAE_TYPE_SETUP_PAGE);
  self->problem_row = NULL;
  g_clear_object (&self->store);
  G_OBJECT_CLASS (striae_setup_page_parent_class)->dispose (object);
}

static void
striae_setup_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  StriaeSetupPage *self = STRIAE_SETUP_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_setup_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  StriaeSetupPage *self = STRIAE_SETUP_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_setup_page_class_init (StriaeSetupPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = striae_setup_page_constructed;
  object_class->dispose = striae_setup_page_dispose;
  object_class->get_property = striae_setup_page_get_property;
  object_class->set_property = striae_setup_page_set_property;
  widget_class->map = striae_setup_page_map;

  /* The records whose first administrator is made. */
  properties [PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, STRIAE_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS));
  /* While the account is being made: Create Administrator waits for the answer. */
  properties [PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The administrator exists and is signed in. */
  signals [DONE] =
    g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  striae_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/striae/Striae/ui/striae-setup-page.ui");
  gtk_widget_class_bind_template_child (widget_class, StriaeSetupPage, status_page);
  gtk_widget_class_bind_template_child (widget_class, StriaeSetupPage, name_row);
  gtk_widget_class_bind_template_child (widget_class, StriaeSetupPage, display_name_row);
  gtk_widget_class_bind_template_child (widget_class, StriaeSetupPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, StriaeSetupPage, again_row);
  gtk_widget_class_bind_template_child (widget_class, StriaeSetupPage, rules_label);
  gtk_widget_class_bind_template_child (widget_class, StriaeSetupPage, problem_label);
  gtk_widget_class_bind_template_child (widget_class, StriaeSetupPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, StriaeSetupPage, create_button);
  gtk_widget_class_bind_template_callback (widget_class, entry_activated_cb);

  gtk_widget_class_install_action (widget_class, "setup.create", NULL, create_action);
}

static void
striae_setup_page_init (StriaeSetupPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  striae_accessible_name_buttons (GTK_WIDGET (self));
  name_peek_button (self->password_row);
  name_peek_button (self->again_row);
  describe_rules (self);
}

/* A setup page for @store, which needs its first administrator
 * (striae_store_needs_setup()). */
GtkWidget *
striae_setup_page_new (StriaeStore *store)
{
  g_return_val_if_fail (STRIAE_IS_STORE (store), NULL);

  return g_object_new (STRIAE_TYPE_SETUP_PAGE, "store", store, NULL);
}

StriaeStore *
striae_setup_page_get_store (StriaeSetupPage *self)
{
  g_return_val_if_fail (STRIAE_IS_SETUP_PAGE (self), NULL);
  return self->store;
}

gboolean
striae_setup_page_get_busy (StriaeSetupPage *self)
{
  g_return_val_if_fail (STRIAE_IS_SETUP_PAGE (self), FALSE);
  return self->busy;
}

/* The audit entries that stay "before accounts": 0 for new records, -1 when the log could
 * not be read. */
gint64
striae_setup_page_get_entries_before (StriaeSetupPage *self)
{
  g_return_val_if_fail (STRIAE_IS_SETUP_PAGE (self), -1);
  return self->entries_before;
}
