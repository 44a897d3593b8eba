/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "striae-accessible.h"
#include "striae-choice-row.h"
#include "striae-records-page.h"

/* The values of the records-place setting (io.github.striae.Striae.RecordsPlace). */
enum {
  PLACE_THIS_COMPUTER,
  PLACE_CLINIC_SERVER,
};

struct _StriaeRecordsPage
{
  AdwPreferencesPage  parent_instance;

  StriaeChoiceRow    *this_computer_row;
  StriaeChoiceRow    *clinic_server_row;
  AdwPreferencesGroup *server_group;
  AdwEntryRow        *host_row;
  AdwEntryRow        *port_row;
  AdwEntryRow        *database_row;
  AdwEntryRow        *user_row;
  AdwEntryRow        *password_row;
  AdwActionRow       *ca_row;
  GtkButton          *ca_button;
  GtkLabel           *status_label;
  GtkSpinner         *spinner;
  GtkButton          *use_button;

  GSettings          *settings;
  StriaeServerLogin  *login;
  StriaeStore        *store;       /* the records in use, if any */
  StriaeStore        *opened;      /* the records just opened, while the password is kept */
  char               *file_path;   /* the file "On This Computer" opens */
  char               *password;    /* while connecting: the one tried, wiped after */
  GCancellable       *cancellable; /* while connecting */
};

G_DEFINE_FINAL_TYPE (StriaeRecordsPage, striae_records_page, ADW_TYPE_PREFERENCES_PAGE)

enum {
  RECORDS_OPENED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static gboolean
server_chosen (StriaeRecordsPage *self)
{
  return gtk_check_button_get_active (striae_choice_row_get_check (self->clinic_server_row));
}

static gboolean
store_on_server (StriaeRecordsPage *self)
{
  return self->store != NULL &&
         striae_store_is_server_location (striae_store_get_path (self->store));
}

/* Connect opens what is chosen unless it is what is in use already: the file in use needs no
 * opening, while the server may be connected to again with other details. */
static void
update_action (StriaeRecordsPage *self)
{
  gboolean busy = self->cancellable != NULL;
  gboolean server = server_chosen (self);

  gboolean useful = server || self->store == NULL || store_on_server (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "records.use", !busy && useful);
  /* Nothing to do: no button that does nothing. */
  gtk_widget_set_visible (GTK_WIDGET (self->use_button), useful);
  gtk_button_set_label (self->use_button,
                        server ? _("_Connect") : _("_Use the Records on This Computer"));
  striae_accessible_name_buttons (GTK_WIDGET (self->use_button));
  gtk_widget_set_visible (GTK_WIDGET (self->server_group), server);
}

static void
show_status (StriaeRecordsPage *self,
             const char        *message,
             gboolean           problem)
{
  gtk_label_set_text (self->status_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), message != NULL);
  if (problem)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
}

static void
set_busy (StriaeRecordsPage *self,
          gboolean           busy)
{
  if (busy)
    self->cancellable = g_cancellable_new ();
  else
    {
      g_clear_object (&self->cancellable);
      g_clear_pointer (&self->password, striae_server_login_free_secret);
    }

  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->server_group), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->this_computer_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->clinic_server_row), !busy);
  update_action (self);
}

static void
update_file_row (StriaeRecordsPage *self)
{
  g_autofree char *escaped = NULL;

  g_free (self->file_path);
  if (self->store != NULL && !store_on_server (self))
    self->file_path = g_strdup (striae_store_get_path (self->store));
  else
    self->file_path = striae_store_default_path ();

  escaped = g_markup_escape_text (self->file_path, -1);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->this_computer_row), escaped);
}

static void
opened (StriaeRecordsPage *self,
        StriaeStore       *store,
        int                place,
        const char        *notice)
{
  g_settings_set_enum (self->settings, "records-place", place);
  g_signal_emit (self, signals [RECORDS_OPENED], 0, store, notice);
}

static void
password_stored_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(StriaeRecordsPage) self = user_data;
  g_autoptr(StriaeStore) store = g_steal_pointer (&self->opened);
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;
  g_autofree char *notice = NULL;

  /* Closed meanwhile: the switch was called off with it. */
  if (self->cancellable == NULL || g_cancellable_is_cancelled (self->cancellable))
    return;
  if (!striae_server_login_store_password_finish (STRIAE_SERVER_LOGIN (source), result,
                                                  &error))
    {
      g_message ("The clinic server password could not be kept in the keyring: %s",
                 error->message);
    }

  set_busy (self, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  striae_server_login_save_to_settings (self->login, self->settings);
  description = striae_server_login_dup_description (self->login);
  if (error == NULL)
    /* TRANSLATORS: %s is "database on host" */
    notice = g_strdup_printf (_("The records on the clinic server (%s) are now in use."),
                              description);
  else
    notice = g_strdup (_("The records on the clinic server are now in use, but the password "
                         "could not be kept in the keyring: Striae will ask for it at the next "
                         "start."));
  opened (self, store, PLACE_CLINIC_SERVER, notice);
}

static void
server_opened_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(StriaeRecordsPage) self = user_data;
  g_autoptr(GError) error = NULL;

  self->opened = striae_server_login_open_finish (STRIAE_SERVER_LOGIN (source), result,
                                                  &error);
  if (self->opened == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
          self->cancellable == NULL || g_cancellable_is_cancelled (self->cancellable))
        return;
      set_busy (self, FALSE);
      show_status (self, error->message, TRUE);
      return;
    }
  if (self->cancellable == NULL || g_cancellable_is_cancelled (self->cancellable))
    {
      g_clear_object (&self->opened);
      return;
    }

  /* Only a password that opened the records is kept. */
  show_status (self, _("Connected. Keeping the password in the keyring…"), FALSE);
  striae_server_login_store_password_async (self->login, self->password, self->cancellable,
                                            password_stored_cb, g_object_ref (self));
}

static void
open_server (StriaeRecordsPage *self)
{
  striae_server_login_open_async (self->login, self->password, self->cancellable,
                                  server_opened_cb, g_object_ref (self));
}

static void
kept_password_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(StriaeRecordsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  char *kept;

  kept = striae_server_login_lookup_password_finish (STRIAE_SERVER_LOGIN (source), result,
                                                     &error);
  if (self->cancellable == NULL || g_cancellable_is_cancelled (self->cancellable))
    {
      striae_server_login_free_secret (kept);
      return;
    }
  if (error != NULL)
    g_debug ("No password kept for the clinic server: %s", error->message);
  if (kept != NULL)
    {
      striae_server_login_free_secret (self->password);
      self->password = kept;
    }
  open_server (self);
}

static void
connect_server (StriaeRecordsPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;
  g_autofree char *message = NULL;

  if (!striae_server_login_check (self->login, &error))
    {
      show_status (self, error->message, TRUE);
      return;
    }

  set_busy (self, TRUE);
  description = striae_server_login_dup_description (self->login);
  /* TRANSLATORS: %s is "database on host" */
  message = g_strdup_printf (_("Connecting to %s…"), description);
  show_status (self, message, FALSE);
  self->password = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->password_row)));
  if (self->password[0] != '\0')
    {
      open_server (self);
      return;
    }

  /* No password typed: the one kept for these details, if any (after the server could not
   * be reached at start, say); none is a server that asks for none. */
  striae_server_login_lookup_password_async (self->login, self->cancellable,
                                             kept_password_cb, g_object_ref (self));
}

/* The file on this computer opens in a moment, as it does at every start. */
static void
open_file (StriaeRecordsPage *self)
{
  g_autoptr(StriaeStore) store = NULL;
  g_autoptr(GError) error = NULL;

  store = striae_store_open (self->file_path, &error);
  if (store == NULL)
    {
      show_status (self, error->message, TRUE);
      return;
    }
  show_status (self, NULL, FALSE);
  opened (self, store, PLACE_THIS_COMPUTER, _("The records on this computer are now in use."));
}

static void
use_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  StriaeRecordsPage *self = STRIAE_RECORDS_PAGE (widget);

  if (self->cancellable != NULL)
    return;
  if (server_chosen (self))
    connect_server (self);
  else
    open_file (self);
}

static void
ca_response_cb (GtkNativeDialog   *dialog,
                int                response,
                StriaeRecordsPage *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      path = file != NULL ? g_file_get_path (file) : NULL;
      if (path == NULL)
        show_status (self, _("Choose a file on this computer."), TRUE);
      else
        striae_server_login_set_ca_file (self->login, path);
    }

  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
choose_ca_file_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  StriaeRecordsPage *self = STRIAE_RECORDS_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  dialog = gtk_file_chooser_native_new (_("Choose the Clinic’s Certificate Authority"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"),
                                        _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Certificates"));
  gtk_file_filter_add_mime_type (filter, "application/x-x509-ca-cert");
  gtk_file_filter_add_suffix (filter, "pem");
  gtk_file_filter_add_suffix (filter, "crt");
  gtk_file_filter_add_suffix (filter, "cer");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect_object (dialog, "response", G_CALLBACK (ca_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static gboolean
port_to_text (GBinding     *binding,
              const GValue *from,
              GValue       *to,
              gpointer      user_data)
{
  guint port = g_value_get_uint (from);

  g_value_take_string (to, port != 0 ? g_strdup_printf ("%u", port) : g_strdup (""));
  return TRUE;
}

/* Anything but a number from 1 to 65535 is port 0, which Connect refuses with a sentence,
 * rather than a port silently left as it was. */
static gboolean
text_to_port (GBinding     *binding,
              const GValue *from,
              GValue       *to,
              gpointer      user_data)
{
  g_autofree char *text = g_strstrip (g_strdup (g_value_get_string (from)));
  guint64 port = 0;

  if (!g_ascii_string_to_unsigned (text, 10, 1, 65535, &port, NULL))
    port = 0;
  g_value_set_uint (to, (guint) port);
  return TRUE;
}

static gboolean
ca_file_to_subtitle (GBinding     *binding,
                     const GValue *from,
                     GValue       *to,
                     gpointer      user_data)
{
  const char *path = g_value_get_string (from);

  if (path == NULL || path[0] == '\0')
    g_value_set_string (to, _("The certificate file the clinic’s IT gives you; not needed on "
                              "the server itself (a host starting with “/”)"));
  else
    g_value_take_string (to, g_markup_escape_text (path, -1));
  return TRUE;
}

static void
choice_toggled_cb (StriaeRecordsPage *self)
{
  show_status (self, NULL, FALSE);
  update_action (self);
}

static void
password_activated_cb (StriaeRecordsPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "records.use", NULL);
}

static void
bind_rows (StriaeRecordsPage *self)
{
  GBindingFlags flags = G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL;

  g_object_bind_property (self->login, "host", self->host_row, "text", flags);
  g_object_bind_property_full (self->login, "port", self->port_row, "text", flags,
                               port_to_text, text_to_port, NULL, NULL);
  g_object_bind_property (self->login, "database", self->database_row, "text", flags);
  g_object_bind_property (self->login, "user", self->user_row, "text", flags);
  g_object_bind_property_full (self->login, "ca-file", self->ca_row, "subtitle",
                               G_BINDING_SYNC_CREATE, ca_file_to_subtitle, NULL, NULL, NULL);
}

static void
striae_records_page_dispose (GObject *object)
{
  StriaeRecordsPage *self = STRIAE_RECORDS_PAGE (object);

  /* A connection still under way is called off: nothing is switched or kept. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), STRIAE_TYPE_RECORDS_PAGE);
  g_clear_object (&self->settings);
  g_clear_object (&self->login);
  g_clear_object (&self->store);
  g_clear_object (&self->opened);

  G_OBJECT_CLASS (striae_records_page_parent_class)->dispose (object);
}

static void
striae_records_page_finalize (GObject *object)
{
  StriaeRecordsPage *self = STRIAE_RECORDS_PAGE (object);

  g_clear_pointer (&self->file_path, g_free);
  g_clear_pointer (&self->password, striae_server_login_free_secret);

  G_OBJECT_CLASS (striae_records_page_parent_class)->finalize (object);
}

static void
striae_records_page_class_init (StriaeRecordsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = striae_records_page_dispose;
  object_class->finalize = striae_records_page_finalize;

  /**
   * StriaeRecordsPage::records-opened:
   * @store: the records just opened, for the application to switch to
   * @notice: a sentence for the user about the switch
   */
  signals [RECORDS_OPENED] = g_signal_new ("records-opened", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 2, STRIAE_TYPE_STORE, G_TYPE_STRING);

  g_type_ensure (STRIAE_TYPE_CHOICE_ROW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/striae/Striae/ui/"
                                               "striae-records-page.ui");
  gtk_widget_class_bind_template_child (widget_class, StriaeRecordsPage, this_computer_row);
  gtk_widget_class_bind_template_child (widget_class, StriaeRecordsPage, clinic_server_row);
  gtk_widget_class_bind_template_child (widget_class, StriaeRecordsPage, server_group);
  gtk_widget_class_bind_template_child (widget_class, StriaeRecordsPage, host_row);
  gtk_widget_class_bind_template_child (widget_class, StriaeRecordsPage, port_row);
  gtk_widget_class_bind_template_child (widget_class, StriaeRecordsPage, database_row);
  gtk_widget_class_bind_template_child (widget_class, StriaeRecordsPage, user_row);
  gtk_widget_class_bind_template_child (widget_class, StriaeRecordsPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, StriaeRecordsPage, ca_row);
  gtk_widget_class_bind_template_child (widget_class, StriaeRecordsPage, ca_button);
  gtk_widget_class_bind_template_child (widget_class, StriaeRecordsPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, StriaeRecordsPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, StriaeRecordsPage, use_button);
  gtk_widget_class_bind_template_callback (widget_class, password_activated_cb);

  gtk_widget_class_install_action (widget_class, "records.use", NULL, use_action);
  gtk_widget_class_install_action (widget_class, "records.choose-ca-file", NULL,
                                   choose_ca_file_action);
}

static void
init_choice (StriaeRecordsPage *self)
{
  GtkCheckButton *computer = striae_choice_row_get_check (self->this_computer_row);
  GtkCheckButton *server = striae_choice_row_get_check (self->clinic_server_row);

  /* Each check is named by its row's title: the row labels its activatable widget. */
  gtk_check_button_set_group (server, computer);
  if (g_settings_get_enum (self->settings, "records-place") == PLACE_CLINIC_SERVER)
    gtk_check_button_set_active (server, TRUE);
  else
    gtk_check_button_set_active (computer, TRUE);
  g_signal_connect_object (server, "toggled", G_CALLBACK (choice_toggled_cb), self,
                           G_CONNECT_SWAPPED);
}

/* GTK 4.8 names the password row's show-the-text button by its icon ("GtkImage"); the
 * Choose… button is named by its label (Preferences names every button with a mnemonic as
 * shown, after this), so what it chooses is its description. */
static void
name_buttons (StriaeRecordsPage *self)
{
  striae_accessible_name_buttons (GTK_WIDGET (self));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->ca_button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  _("Choose the Certificate Authority"), -1);
  for (GtkWidget *w = gtk_widget_get_first_child (GTK_WIDGET (self->password_row)); w != NULL;)
    {
      GtkAccessibleRole role = gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (w));

      if (role == GTK_ACCESSIBLE_ROLE_BUTTON)
        gtk_accessible_update_property (GTK_ACCESSIBLE (w), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        _("Show the Password"), -1);

      /* Depth first over the row's own widgets. */
      if (gtk_widget_get_first_child (w) != NULL)
        w = gtk_widget_get_first_child (w);
      else
        {
          while (w != NULL && gtk_widget_get_next_sibling (w) == NULL)
            {
              w = gtk_widget_get_parent (w);
              if (w == GTK_WIDGET (self->password_row))
                w = NULL;
            }
          if (w != NULL)
            w = gtk_widget_get_next_sibling (w);
        }
    }
}

static void
striae_records_page_init (StriaeRecordsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  self->login = striae_server_login_new_from_settings (self->settings);
  init_choice (self);
  bind_rows (self);
  update_file_row (self);
  update_action (self);
  name_buttons (self);
}

/**
 * striae_records_page_set_store:
 * @store: (nullable): the records in use, %NULL when none could be opened
 */
void
striae_records_page_set_store (StriaeRecordsPage *self,
                               StriaeStore       *store)
{
  g_return_if_fail (STRIAE_IS_RECORDS_PAGE (self));
  g_return_if_fail (store == NULL || STRIAE_IS_STORE (store));

  if (!g_set_object (&self->store, store))
    return;

  /* The choice shows where the records in use are, whatever the setting says (--database
   * overrides it). */
  if (store != NULL)
    gtk_check_button_set_active (striae_choice_row_get_check (store_on_server (self)
                                                              ? self->clinic_server_row
                                                              : self->this_computer_row),
                                 TRUE);
  update_file_row (self);
  update_action (self);
}

/**
 * striae_records_page_show_problem:
 * @message: one sentence: why the records could not be opened
 */
void
striae_records_page_show_problem (StriaeRecordsPage *self,
                                  const char        *message)
{
  g_return_if_fail (STRIAE_IS_RECORDS_PAGE (self));

  show_status (self, message, message != NULL);
}

/**
 * striae_records_page_get_status:
 *
 * Returns: (nullable): the sentence under the choice (a problem, or the connection under
 *   way), %NULL when there is none
 */
const char *
striae_records_page_get_status (StriaeRecordsPage *self)
{
  g_return_val_if_fail (STRIAE_IS_RECORDS_PAGE (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->status_label)))
    return NULL;
  return gtk_label_get_text (self->status_label);
}

gboolean
striae_records_page_is_busy (StriaeRecordsPage *self)
{
  g_return_val_if_fail (STRIAE_IS_RECORDS_PAGE (self), FALSE);

  return self->cancellable != NULL;
}

/**
 * striae_records_page_get_login:
 *
 * Returns: (transfer none): the server details the rows edit
 */
StriaeServerLogin *
striae_records_page_get_login (StriaeRecordsPage *self)
{
  g_return_val_if_fail (STRIAE_IS_RECORDS_PAGE (self), NULL);

  return self->login;
}
