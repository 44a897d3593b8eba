/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "striae-accessible.h"
#include "striae-app-private.h"
#include "striae-lock-page.h"

struct _StriaeLockPage
{
  AdwBin      parent_instance;

  GtkLabel   *account_label;
  GtkWidget  *name_row;
  GtkWidget  *password_row;
  GtkLabel   *problem_label;
  GtkWidget  *unlock_button;
  GtkWidget  *other_button;

  char       *account;
  gboolean    busy;
};

G_DEFINE_FINAL_TYPE (StriaeLockPage, striae_lock_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_ACCOUNT,
  PROP_BUSY,
  N_PROPS
};

enum {
  UNLOCK_REQUESTED,
  N_SIGNALS
};

static GParamSpec *properties [N_PROPS];
static guint signals [N_SIGNALS];

static gboolean
asks_name (StriaeLockPage *self)
{
  return gtk_widget_get_visible (self->name_row);
}

static void
update_account (StriaeLockPage *self)
{
  g_autofree char *text = NULL;

  if (self->account != NULL && self->account[0] != '\0')
    /* TRANSLATORS: %s is the name of the account that was signed in when Striae locked */
    text = g_strdup_printf (_("Signed in as %s"), self->account);
  gtk_label_set_text (self->account_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->account_label), text != NULL && !asks_name (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "lock.other-account",
                                 !asks_name (self) && !self->busy);
  gtk_widget_set_visible (self->other_button, !asks_name (self));
}

/* The name when it is asked and not given yet, else the password: after a wrong password
 * with the name filled in (typed, or by `striae --user NAME`), typing goes to the password,
 * not over the name. */
static void
focus_first_field (StriaeLockPage *self)
{
  gboolean name_given = gtk_editable_get_text (GTK_EDITABLE (self->name_row))[0] != '\0';

  gtk_widget_grab_focus (asks_name (self) && !name_given ? self->name_row
                                                         : self->password_row);
}

static void
unlock_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  StriaeLockPage *self = STRIAE_LOCK_PAGE (widget);
  g_autofree char *password = NULL;
  g_autofree char *name = NULL;

  name = g_strstrip (g_strdup (asks_name (self)
                               ? gtk_editable_get_text (GTK_EDITABLE (self->name_row))
                               : self->account != NULL ? self->account : ""));
  password = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->password_row)));

  if (name[0] == '\0')
    {
      striae_lock_page_show_problem (self, _("Type the name of your account, then your "
                                             "password."));
      return;
    }
  if (password[0] == '\0')
    {
      striae_lock_page_show_problem (self, _("Type your password to unlock."));
      return;
    }

  /* The password stays in the field no longer than it takes to hand it over. */
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), FALSE);
  g_signal_emit (self, signals [UNLOCK_REQUESTED], 0, name, password);
  memset (password, 0, strlen (password));
}

static void
other_account_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  StriaeLockPage *self = STRIAE_LOCK_PAGE (widget);

  gtk_widget_set_visible (self->name_row, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), FALSE);
  update_account (self);
  gtk_widget_grab_focus (self->name_row);
}

static void
entry_activated_cb (StriaeLockPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "lock.unlock", NULL);
}

/* Enter anywhere on the page unlocks, as the default button of its window. */
static void
striae_lock_page_map (GtkWidget *widget)
{
  StriaeLockPage *self = STRIAE_LOCK_PAGE (widget);
  GtkRoot *root;

  GTK_WIDGET_CLASS (striae_lock_page_parent_class)->map (widget);

  root = gtk_widget_get_root (widget);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_default_widget (GTK_WINDOW (root), self->unlock_button);
  focus_first_field (self);
}

static void
striae_lock_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), STRIAE_TYPE_LOCK_PAGE);
  G_OBJECT_CLASS (striae_lock_page_parent_class)->dispose (object);
}

static void
striae_lock_page_finalize (GObject *object)
{
  StriaeLockPage *self = (StriaeLockPage *)object;

  g_clear_pointer (&self->account, g_free);
  G_OBJECT_CLASS (striae_lock_page_parent_class)->finalize (object);
}

static void
striae_lock_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  StriaeLockPage *self = STRIAE_LOCK_PAGE (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      g_value_set_string (value, self->account);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_lock_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  StriaeLockPage *self = STRIAE_LOCK_PAGE (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      striae_lock_page_set_account (self, g_value_get_string (value));
      break;
    case PROP_BUSY:
      striae_lock_page_set_busy (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_lock_page_class_init (StriaeLockPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = striae_lock_page_dispose;
  object_class->finalize = striae_lock_page_finalize;
  object_class->get_property = striae_lock_page_get_property;
  object_class->set_property = striae_lock_page_set_property;
  widget_class->map = striae_lock_page_map;

  /* The account that was signed in when the window locked; NULL asks for a name. */
  properties [PROP_ACCOUNT] =
    g_param_spec_string ("account", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));
  /* While a password is being checked: Unlock waits for the answer, and the page says
   * "Signing in…" (the template's busy_box): a large file that was not closed cleanly is
   * checked before the sign-in writes, which takes seconds at a million patients. */
  properties [PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals [UNLOCK_REQUESTED] =
    g_signal_new ("unlock-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  striae_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/striae/Striae/ui/striae-lock-page.ui");
  gtk_widget_class_bind_template_child (widget_class, StriaeLockPage, account_label);
  gtk_widget_class_bind_template_child (widget_class, StriaeLockPage, name_row);
  gtk_widget_class_bind_template_child (widget_class, StriaeLockPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, StriaeLockPage, problem_label);
  gtk_widget_class_bind_template_child (widget_class, StriaeLockPage, unlock_button);
  gtk_widget_class_bind_template_child (widget_class, StriaeLockPage, other_button);
  gtk_widget_class_bind_template_callback (widget_class, entry_activated_cb);

  gtk_widget_class_install_action (widget_class, "lock.unlock", NULL, unlock_action);
  gtk_widget_class_install_action (widget_class, "lock.other-account", NULL,
                                   other_account_action);
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

static void
striae_lock_page_init (StriaeLockPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  striae_accessible_name_buttons (GTK_WIDGET (self));
  name_peek_button (self->password_row);
  update_account (self);
}

GtkWidget *
striae_lock_page_new (void)
{
  return g_object_new (STRIAE_TYPE_LOCK_PAGE, NULL);
}

const char *
striae_lock_page_get_account (StriaeLockPage *self)
{
  g_return_val_if_fail (STRIAE_IS_LOCK_PAGE (self), NULL);
  return self->account;
}

void
striae_lock_page_set_account (StriaeLockPage *self,
                              const char     *account)
{
  g_return_if_fail (STRIAE_IS_LOCK_PAGE (self));

  if (g_strcmp0 (self->account, account) == 0)
    return;
  g_free (self->account);
  self->account = g_strdup (account);
  /* Nobody known: the name is asked for. */
  if (account == NULL || account[0] == '\0')
    gtk_widget_set_visible (self->name_row, TRUE);
  update_account (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ACCOUNT]);
}

/* Puts @name in the account name field of a page that asks for it, as if typed there:
 * `striae --user NAME` shows whose password is being checked, and after a wrong one the
 * name is still there for the next try, as after a try typed on the page. */
void
striae_lock_page_fill_name (StriaeLockPage *self,
                            const char     *name)
{
  g_return_if_fail (STRIAE_IS_LOCK_PAGE (self));
  g_return_if_fail (name != NULL);

  if (!asks_name (self))
    return;
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), name);
}

gboolean
striae_lock_page_get_busy (StriaeLockPage *self)
{
  g_return_val_if_fail (STRIAE_IS_LOCK_PAGE (self), FALSE);
  return self->busy;
}

void
striae_lock_page_set_busy (StriaeLockPage *self,
                           gboolean        busy)
{
  g_return_if_fail (STRIAE_IS_LOCK_PAGE (self));

  busy = !!busy;
  if (self->busy == busy)
    return;
  self->busy = busy;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "lock.unlock", !busy);
  update_account (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_BUSY]);
}

/* Says in one sentence why the window is still locked (a wrong password, the records not
 * answering), and puts the keyboard back into the password field. */
void
striae_lock_page_show_problem (StriaeLockPage *self,
                               const char     *problem)
{
  g_return_if_fail (STRIAE_IS_LOCK_PAGE (self));
  g_return_if_fail (problem != NULL);

  gtk_label_set_text (self->problem_label, problem);
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->password_row),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, problem, -1);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    focus_first_field (self);
}

/* Back to the account signed in, with empty fields: for the next lock. */
void
striae_lock_page_reset (StriaeLockPage *self)
{
  g_return_if_fail (STRIAE_IS_LOCK_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->name_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), FALSE);
  gtk_accessible_reset_property (GTK_ACCESSIBLE (self->password_row),
                                 GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  gtk_widget_set_visible (self->name_row, self->account == NULL || self->account[0] == '\0');
  update_account (self);
}
