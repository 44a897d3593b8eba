/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gunixoutputstream.h>
#include <glib/gi18n.h>
#include <unistd.h>

#include "striae-application.h"
#include "striae-clinic-cache.h"
#include "striae-first-frame.h"
#include "striae-idle-lock.h"
#include "striae-store-authenticator.h"
#include "striae-locked-windows.h"
#include "striae-cli.h"
#include "striae-cli-accounts.h"
#include "striae-cli-records.h"
#include "striae-cli-batch.h"
#include "striae-cli-photos.h"
#include "striae-cli-recalls.h"
#include "striae-cli-report.h"
#include "striae-cli-rules.h"
#include "striae-cli-secret.h"
#include "striae-cli-server.h"
#include "striae-preferences.h"
#include "striae-server-login.h"
#include "striae-setup-page.h"
#include "striae-window.h"

struct _StriaeApplication
{
  AdwApplication  parent_instance;

  char           *database;
  StriaeStore    *store;
  guint           changes_id;  /* the check for changes made elsewhere */
  guint           backoff_ms;  /* while the records do not answer: the next wait, else 0 */
  gboolean        asking;      /* an asking of check_changes_cb() is under way */
  gboolean        unreachable; /* the clinic server did not answer the last check */
  gboolean        opening;     /* the clinic server's records are being opened */
  gboolean        activated;   /* activate came while they were: a window when they open */
  char           *problem;     /* why they could not be opened, until activate says it */
  GCancellable   *sending;     /* while drafts kept on this computer are being sent */
  GCancellable   *verifying;   /* while the verdict of the file's check is awaited */

  /* The lock (issue 16): who checks passwords, when to lock, what is hidden meanwhile. */
  StriaeAuthenticator *authenticator;
  StriaeIdleLock      *idle_lock;
  StriaeLockedWindows *hidden;
  char                *locked_account; /* the account signed in when the windows locked */
  guint                failed_tries;   /* wrong passwords since then */
  GCancellable        *checking;       /* while a password is being checked */

  /* `striae --user NAME` without a command: the window opens on its sign-in page with NAME
   * filled in while the password, read as the command line reads it (striae-cli-secret.c),
   * is checked as one typed there (sign_in_start_account()). Wiped once handed over. */
  char                *start_user;
  StriaeSecret        *start_password;
};

/* How often the window asks whether the records were changed elsewhere (another Striae on
 * this computer, or another PC of the clinic): often enough that the front desk sees a
 * signature of the room next door within a second (issue 14). Asking costs no round trip:
 * SQLite reads a counter in shared memory, a server's notifications are already in. */
#define CHANGES_INTERVAL_MS 500

/* While the clinic server does not answer, it is asked again after 1 s, 2 s, 4 s… at most
 * every 30 s (issue 14, "When the server is gone"). */
#define BACKOFF_FIRST_MS 1000
#define BACKOFF_MAX_MS 30000

G_DEFINE_FINAL_TYPE (StriaeApplication, striae_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_UNREACHABLE,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

/* Options that do their work and exit without a window. Each runs in handle-local-options,
 * before GTK is initialised, so none of them needs a display. The first present in this table
 * wins; a new command is one option entry below and one line here. */
typedef int (*CommandFunc) (StriaeApplication *self,
                            GVariantDict      *options);

typedef struct
{
  const char  *option;
  CommandFunc  run;
} Command;

static int run_version (StriaeApplication *self,
                        GVariantDict      *options);
static int run_list    (StriaeApplication *self,
                        GVariantDict      *options);
static int run_sheet   (StriaeApplication *self,
                        GVariantDict      *options);

static const Command commands[] = {
  { "version", run_version },
  { "list", run_list },
  { "sheet", run_sheet },
};

static const GOptionEntry option_entries[] = {
  { "database", 'd', G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, NULL,
    N_("Use the patient database at PATH instead of the default one: a file, or a clinic "
       "server’s postgresql:// address"), N_("PATH") },
  { "list", 'l', G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
    N_("Print the patients, one a line: id, family name, given name, date of birth"), NULL },
  { "search", 's', G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
    N_("With --list, print only the patients matching TEXT"), N_("TEXT") },
  { "version", 'v', G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
    N_("Print the version and exit"), NULL },
  { "sheet", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
    N_("Export or print a sheet (pre, aftercare or consent) of --consultation ID, or of every "
       "session on --sessions-on DATE"), N_("NAME") },
  { "consultation", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
    N_("With --sheet, the consultation whose sheet to export or print"), N_("ID") },
  { "sessions-on", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
    N_("With --sheet, one sheet for every session planned on DATE (YYYY-MM-DD)"), N_("DATE") },
  { "output", 'o', G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, NULL,
    N_("The file to write: the sheet’s PDF with --sheet (a folder with --sessions-on), the "
       "record with --export-patient"), N_("PATH") },
  { "printer", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
    N_("With --sheet, print on this printer without a dialog"), N_("NAME") },
  { "language", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
    N_("With --sheet, the sheet’s language (default: the patient’s)"), N_("CODE") },
  { NULL }
};

static int
run_version (StriaeApplication *self,
             GVariantDict      *options)
{
  g_print ("striae %s\n", PACKAGE_VERSION);
  return EXIT_SUCCESS;
}

static int
run_list (StriaeApplication *self,
          GVariantDict      *options)
{
  g_autoptr(StriaeStore) store = NULL;
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  const char *search = NULL;

  g_variant_dict_lookup (options, "search", "&s", &search);

  /* Listing never writes, so it opens read-only: it neither creates a database nor upgrades
   * an old one. No database at the default place simply means no patients yet. */
  store = striae_store_open_full (self->database, STRIAE_STORE_OPEN_FLAGS_READ_ONLY, &error);
  if (store == NULL)
    {
      if (self->database == NULL &&
          g_error_matches (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND))
        return EXIT_SUCCESS;
      return striae_cli_print_error (error);
    }

  /* Signing in writes to the audit log: records with accounts are opened for it. */
  if (striae_store_has_accounts (store))
    {
      g_clear_object (&store);
      store = striae_cli_open_existing_store (self->database, options, &error);
    }
  else if (!striae_cli_sign_in (store, options, &error))
    g_clear_object (&store);
  if (store == NULL)
    return striae_cli_print_error (error);

  out = g_unix_output_stream_new (STDOUT_FILENO, FALSE);
  if (!striae_cli_list_patients (store, search, out, &error))
    return striae_cli_print_error (error);

  return EXIT_SUCCESS;
}

static int
run_sheet (StriaeApplication *self,
           GVariantDict      *options)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(StriaeStore) store = NULL;
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(GOutputStream) notes = NULL;
  g_autoptr(GError) error = NULL;
  const char *sheet = NULL;
  const char *day = NULL;
  const char *output = NULL;
  const char *printer = NULL;
  const char *language = NULL;
  gint64 consultation = 0;
  gboolean has_consultation;

  g_variant_dict_lookup (options, "sheet", "&s", &sheet);
  g_variant_dict_lookup (options, "sessions-on", "&s", &day);
  g_variant_dict_lookup (options, "output", "^&ay", &output);
  g_variant_dict_lookup (options, "printer", "&s", &printer);
  g_variant_dict_lookup (options, "language", "&s", &language);
  if (!striae_cli_lookup_id (options, "consultation", &consultation, &error))
    return striae_cli_print_error (error);
  has_consultation = consultation != 0;

  if (has_consultation == (day != NULL))
    {
      g_set_error_literal (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("--sheet needs either --consultation ID or --sessions-on DATE."));
      return striae_cli_print_error (error);
    }
  if (output != NULL && printer != NULL)
    {
      g_set_error_literal (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("Give either --output or --printer, not both."));
      return striae_cli_print_error (error);
    }
  if (output == NULL && printer == NULL)
    {
      g_set_error_literal (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("--sheet needs --output PATH or --printer NAME."));
      return striae_cli_print_error (error);
    }

  /* The clinic's name and address come from the preferences. */
  schema = g_settings_schema_source_lookup (g_settings_schema_source_get_default (), APP_ID,
                                            TRUE);
  if (schema == NULL)
    {
      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("The settings schema %s is not installed, so the clinic’s details are "
                     "unknown; reinstall Striae."), APP_ID);
      return striae_cli_print_error (error);
    }
  settings = g_settings_new_full (schema, NULL, NULL);

  /* Sheets go to the audit log, so the database must exist. The day's stack signs in
   * itself, composing while the password is checked. */
  store = has_consultation ? striae_cli_open_existing_store (self->database, options, &error)
                           : striae_cli_open_existing_unsigned (self->database, &error);
  if (store == NULL)
    return striae_cli_print_error (error);

  out = g_unix_output_stream_new (STDOUT_FILENO, FALSE);
  notes = g_unix_output_stream_new (STDERR_FILENO, FALSE);
  if (has_consultation
      ? !striae_cli_sheet_for_consultation (store, consultation, sheet, language, output,
                                            printer, settings, out, notes, &error)
      : !striae_cli_sheets_on_day_signing_in (store, options, day, sheet, language, output,
                                              printer, settings, out, notes, &error))
    return striae_cli_print_error (error);

  return EXIT_SUCCESS;
}

static gboolean records_on_server (void);

/* `striae --user NAME` opening the window: the password is read now, from the terminal
 * without echo or from standard input's first line, before any window shows; it is checked
 * once the window shows its sign-in page (sign_in_start_account()). A clinic server's
 * account is the login in its address. Returns FALSE, with the exit status, when it cannot
 * be. */
static gboolean
read_start_account (StriaeApplication *self,
                    GVariantDict      *options,
                    int               *status)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *prompt = NULL;
  const char *user = NULL;

  if (!g_variant_dict_lookup (options, "user", "&s", &user))
    return TRUE;
  if (self->database != NULL ? striae_store_is_server_location (self->database)
                              : records_on_server ())
    error = g_error_new_literal (G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                                 _("On a clinic server, the account is the login in its "
                                   "address (postgresql://NAME@…): leave out --user."));
  else if (striae_store_check_account_name (user, &error))
    {
      /* TRANSLATORS: %s is an account's name */
      prompt = g_strdup_printf (_("Password of %s: "), user);
      self->start_password = striae_cli_ask_secret (prompt);
      if (self->start_password == NULL)
        error = g_error_new_literal (STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_SIGN_IN,
                                     _("No password was given for --user: type it when "
                                       "asked, or give it on the first line of standard "
                                       "input."));
    }
  if (error != NULL)
    {
      *status = striae_cli_print_error (error);
      return FALSE;
    }
  self->start_user = g_strdup (user);
  return TRUE;
}

static int
striae_application_handle_local_options (GApplication *app,
                                         GVariantDict *options)
{
  StriaeApplication *self = STRIAE_APPLICATION (app);
  const char *database = NULL;
  int status;

  g_variant_dict_lookup (options, "database", "^&ay", &database);
  /* Photos take the files and words after the options, which the server's commands would
   * refuse as stray arguments. */
  if (striae_cli_photos_handle (database, options, &status))
    return status;
  /* Setting up a clinic server works on the URI as given, and refuses stray arguments. */
  if (striae_cli_server_handle (database, options, &status))
    return status;

  if (database != NULL)
    {
      /* A clinic server's URI is no file name to make absolute. */
      g_autofree char *path = striae_store_is_server_location (database)
                              ? g_strdup (database) : g_canonicalize_filename (database, NULL);

      striae_application_set_database (self, path);
      /* Another database is another register: it gets its own window and process rather
       * than being handed to an instance that already has one open. */
      g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_variant_dict_contains (options, commands[i].option))
      return commands[i].run (self, options);

  if (striae_cli_accounts_handle (self->database, options, &status))
    return status;

  if (striae_cli_records_handle (self->database, options, &status) ||
      striae_cli_rules_handle (self->database, options, &status) ||
      striae_cli_report_handle (self->database, options, &status) ||
      striae_cli_batch_handle (self->database, options, &status) ||
      striae_cli_recalls_handle (self->database, options, &status))
    return status;

  {
    static const char * const sheet_options[] = {
      "consultation", "sessions-on", "printer", "language",
    };

    for (guint i = 0; i < G_N_ELEMENTS (sheet_options); i++)
      if (g_variant_dict_contains (options, sheet_options[i]))
        {
          g_autoptr(GError) error = NULL;

          /* TRANSLATORS: %s is an option such as --printer */
          error = g_error_new (G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                               _("--%s works together with --sheet."), sheet_options[i]);
          return striae_cli_print_error (error);
        }
  }

  if (g_variant_dict_contains (options, "search"))
    {
      g_autoptr(GError) error = g_error_new_literal (G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                                                     _("--search works together with --list."));
      return striae_cli_print_error (error);
    }

  if (!read_start_account (self, options, &status))
    return status;

  return G_APPLICATION_CLASS (striae_application_parent_class)->handle_local_options (app,
                                                                                      options);
}

static GtkWindow *
find_main_window (StriaeApplication *self)
{
  GtkWindow *active = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (STRIAE_IS_WINDOW (active))
    return active;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    if (STRIAE_IS_WINDOW (l->data))
      return l->data;

  return NULL;
}

static void
open_error_response_cb (StriaeApplication *self,
                        const char        *response,
                        AdwMessageDialog  *dialog)
{
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
show_open_error (StriaeApplication *self,
                 const GError      *error)
{
  const char *heading = _("The Patient Database Could Not Be Opened");
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (g_error_matches (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_A_DATABASE))
    heading = _("This File Is Not a Striae Database");
  else if (g_error_matches (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_TOO_NEW))
    heading = _("This Database Comes From a Newer Striae");
  else if (g_error_matches (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_READ_ONLY))
    heading = _("The Patient Database Cannot Be Written");

  /* The store's message names the file and says it was left unchanged. */
  body = g_strdup_printf ("%s\n\n%s", error->message,
                          _("To open another file, start Striae with --database and the path "
                            "of that file."));
  dialog = adw_message_dialog_new (NULL, heading, body);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "quit", _("_Quit"));
  gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (self));
  g_signal_connect_object (dialog, "response", G_CALLBACK (open_error_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The records were shown while SQLite checked them (STRIAE_STORE_OPEN_FLAGS_CHECK_IN_BACKGROUND),
 * and nothing could be written meanwhile, unless Striae had closed the file cleanly
 * (STRIAE_STORE_OPEN_FLAGS_VERIFY_TRUSTED). Found damaged, they are closed as a damaged file is
 * refused at start: every window goes, the reason stays. */
static void
records_checked_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(StriaeApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GList) windows = NULL;

  /* One wait at a time: for the records opened at activation (stop_verifying()). */
  g_clear_object (&self->verifying);
  /* Also when the records were closed before the verdict (the wait was cancelled). */
  if (striae_store_wait_checked_finish (STRIAE_STORE (source), result, &error) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  show_open_error (self, error);
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  for (GList *l = windows; l; l = l->next)
    if (!ADW_IS_MESSAGE_DIALOG (l->data))
      gtk_window_destroy (l->data);
  if (self->store == STRIAE_STORE (source))
    g_clear_object (&self->store);
}

static void
set_unreachable (StriaeApplication *self,
                 gboolean           unreachable)
{
  if (self->unreachable == unreachable)
    return;
  self->unreachable = unreachable;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_UNREACHABLE]);
}

/* One sending of the kept drafts: the application, and the cancellable it was started
 * with (the records may have been switched meanwhile, and another sending started). */
typedef struct
{
  StriaeApplication *self;
  GCancellable      *cancellable;
} Sending;

static void
spool_sent_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Sending *sending = user_data;
  StriaeApplication *self = sending->self;
  g_autoptr(GError) error = NULL;
  guint n_sent = 0;

  if (!striae_store_send_spooled_finish (STRIAE_STORE (source), result, &n_sent, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_message ("Drafts kept on this computer were not all sent: %s", error->message);
  if (n_sent > 0)
    g_debug ("%u drafts kept on this computer were sent to the records", n_sent);
  if (self->sending == sending->cancellable)
    g_clear_object (&self->sending);
  g_object_unref (sending->cancellable);
  g_object_unref (self);
  g_free (sending);
}

/* Sends the drafts kept on this computer while the server was gone, in a worker thread: the
 * window never waits on the network. A draft someone changed on the server meanwhile stays
 * kept: the wizard holding it asks what to do ("spool-refused", emitted here on the main
 * context). One sending at a time; a draft kept meanwhile goes with the next. */
static void
send_spooled (StriaeApplication *self)
{
  Sending *sending;

  if (self->sending != NULL)
    return;
  self->sending = g_cancellable_new ();
  sending = g_new0 (Sending, 1);
  sending->self = g_object_ref (self);
  sending->cancellable = g_object_ref (self->sending);
  striae_store_send_spooled_async (self->store, self->sending, spool_sent_cb, sending);
}

static gboolean check_changes_cb (gpointer data);

static void
schedule_check (StriaeApplication *self,
                guint              interval_ms)
{
  g_clear_handle_id (&self->changes_id, g_source_remove);
  self->changes_id = g_timeout_add (interval_ms, check_changes_cb, self);
}

/* The answer of one asking (check_changes_cb()), which went to a worker thread. */
static void
changes_checked_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(StriaeApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  self->asking = FALSE;
  /* Records switched meanwhile are asked afresh by watch_changes(). */
  if (STRIAE_STORE (source) != self->store)
    return;

  /* A busy file or a server that does not answer now is asked again at the next tick. */
  if (striae_store_check_changes_finish (STRIAE_STORE (source), result, &error))
    {
      if (self->backoff_ms == 0)
        return;
      /* Back: what was typed meanwhile goes to the records, and the checks to their pace. */
      self->backoff_ms = 0;
      set_unreachable (self, FALSE);
      send_spooled (self);
      schedule_check (self, CHANGES_INTERVAL_MS);
      return;
    }

  g_debug ("Changes made elsewhere could not be checked: %s", error->message);
  if (!g_error_matches (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_UNREACHABLE))
    return;

  set_unreachable (self, TRUE);
  self->backoff_ms = self->backoff_ms == 0 ? BACKOFF_FIRST_MS
                                           : MIN (self->backoff_ms * 2, BACKOFF_MAX_MS);
  schedule_check (self, self->backoff_ms);
}

/* Asks the records whether they were changed elsewhere, in a worker thread, one asking at a
 * time; the answer comes to changes_checked_cb(). */
static gboolean
check_changes_cb (gpointer data)
{
  StriaeApplication *self = data;

  if (self->store != NULL && !self->asking)
    {
      self->asking = TRUE;
      striae_store_check_changes_async (self->store, NULL, changes_checked_cb,
                                        g_object_ref (self));
    }
  return G_SOURCE_CONTINUE;
}

static void
watch_changes (StriaeApplication *self)
{
  if (self->changes_id != 0)
    return;
  self->backoff_ms = 0;
  set_unreachable (self, FALSE);
  /* What a previous run kept on this computer goes now, if the records answer. */
  send_spooled (self);
  schedule_check (self, CHANGES_INTERVAL_MS);
  check_changes_cb (self);
}

static void records_opened_cb (StriaeApplication *self,
                               StriaeStore       *store,
                               const char        *notice,
                               StriaeRecordsPage *page);

static StriaePreferences *
new_preferences (StriaeApplication *self,
                 GtkWindow         *parent)
{
  StriaePreferences *preferences = striae_preferences_new (parent);

  if (self->store != NULL)
    striae_preferences_set_store (preferences, self->store);
  g_signal_connect_object (striae_preferences_get_records_page (preferences), "records-opened",
                           G_CALLBACK (records_opened_cb), self, G_CONNECT_SWAPPED);
  return preferences;
}

/* The authenticator of records with accounts (issue 16): a password is checked by
 * striae_store_sign_in(). Records without any account yet (a new file, one from before
 * accounts, before `striae --init`) have none, and then the windows never lock: a lock that
 * anyone could open without a password would only pretend to protect. */
static StriaeAuthenticator *
records_authenticator (StriaeApplication *self)
{
  g_autofree char *login = NULL;

  if (self->store == NULL)
    return NULL;
  /* A clinic server's login is an account, when the server asks it for a password. */
  if (!striae_store_has_accounts (self->store) &&
      (login = striae_store_dup_login_name (self->store)) == NULL)
    return NULL;
  return striae_store_authenticator_new (self->store);
}

static void
lock_all (StriaeApplication *self)
{
  const char *account = striae_authenticator_get_account (self->authenticator);

  g_free (self->locked_account);
  self->locked_account = g_strdup (account);
  self->failed_tries = 0;
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    if (STRIAE_IS_WINDOW (l->data))
      {
        striae_lock_page_set_account (striae_window_get_lock_page (l->data), account);
        striae_window_lock (l->data);
      }
  if (self->hidden == NULL)
    self->hidden = striae_locked_windows_hide ();
}

static void
unlock_all (StriaeApplication *self)
{
  const char *account = striae_authenticator_get_account (self->authenticator);
  gboolean same_account = g_strcmp0 (account, self->locked_account) == 0;

  if (self->hidden != NULL)
    striae_locked_windows_restore (g_steal_pointer (&self->hidden));
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    if (STRIAE_IS_WINDOW (l->data))
      striae_window_unlock (l->data, same_account);
  g_clear_pointer (&self->locked_account, g_free);
  self->failed_tries = 0;
}

/* Nothing that shows patient data opens while locked, not even by a shortcut. */
static void
set_app_actions_enabled (StriaeApplication *self,
                         gboolean           enabled)
{
  static const char * const guarded[] = { "preferences", "records", "new-patient",
                                          "search" };

  for (guint i = 0; i < G_N_ELEMENTS (guarded); i++)
    {
      GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), guarded[i]);

      if (G_IS_SIMPLE_ACTION (action))
        g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
    }
}

static void
locked_changed_cb (StriaeApplication *self)
{
  gboolean locked = striae_idle_lock_get_locked (self->idle_lock);

  set_app_actions_enabled (self, !locked);
  if (locked)
    lock_all (self);
  else
    unlock_all (self);
}

typedef struct
{
  StriaeApplication *self;
  StriaeLockPage    *page;
  GCancellable      *cancellable;
  char              *name;
  gboolean           start;  /* the password of `striae --user NAME` */
} Check;

static void
check_free (Check *check)
{
  g_object_unref (check->self);
  g_object_unref (check->page);
  g_object_unref (check->cancellable);
  g_free (check->name);
  g_free (check);
}

/* What the page shows after a wrong password: the account and the tries since the lock. */
static void
show_wrong_password (StriaeApplication *self,
                     Check             *check)
{
  g_autofree char *problem = NULL;

  self->failed_tries++;
  problem = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          /* TRANSLATORS: %s is an account name, %u the
                                           * number of wrong passwords since the lock */
                                          "Wrong password for %s (%u failed try). Type it "
                                          "again.",
                                          "Wrong password for %s (%u failed tries). Type it "
                                          "again.",
                                          self->failed_tries),
                             check->name, self->failed_tries);
  striae_lock_page_show_problem (check->page, problem);
}

static void
password_checked_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Check *check = user_data;
  StriaeApplication *self = check->self;
  g_autoptr(GError) error = NULL;
  GtkRoot *window = gtk_widget_get_root (GTK_WIDGET (check->page));
  gboolean passed;

  passed = striae_authenticator_check_finish (STRIAE_AUTHENTICATOR (source), result, &error);
  if (self->checking == check->cancellable)
    g_clear_object (&self->checking);
  /* Quitting (stop_checking()): nothing is shown any more. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      check_free (check);
      return;
    }

  striae_first_frame_mark ("password checked");
  striae_lock_page_set_busy (check->page, FALSE);
  if (passed)
    striae_idle_lock_unlock (self->idle_lock);
  else if (g_error_matches (error, STRIAE_AUTHENTICATOR_ERROR,
                            STRIAE_AUTHENTICATOR_ERROR_WRONG_PASSWORD))
    show_wrong_password (self, check);
  else
    striae_lock_page_show_problem (check->page, error->message);

  if (check->start)
    {
      /* Said where `striae --user` was typed too, as before the window showed the page. */
      if (error != NULL)
        g_printerr ("%s\n", error->message);
      /* The first frame the benchmark counts is the one after the answer: the register's
       * rows, or the page saying what went wrong (striae-first-frame.c). */
      if (GTK_IS_WINDOW (window))
        striae_first_frame_watch (GTK_WINDOW (window));
    }
  check_free (check);
}

/* Checks @password for account @name with the authenticator, in its worker thread: @window's
 * sign-in page says "Signing in…" meanwhile, and shows the answer (password_checked_cb()).
 * A password typed on the page and the one of `striae --user` (@start) both go this way.
 * Returns: whether the check was started (not while another runs). */
static gboolean
check_password (StriaeApplication *self,
                StriaeWindow      *window,
                const char        *name,
                const char        *password,
                gboolean           start)
{
  StriaeLockPage *page = striae_window_get_lock_page (window);
  Check *check;

  if (self->authenticator == NULL || self->checking != NULL)
    return FALSE;

  check = g_new0 (Check, 1);
  check->self = g_object_ref (self);
  check->page = g_object_ref (page);
  check->name = g_strdup (name);
  check->start = start;
  self->checking = g_cancellable_new ();
  check->cancellable = g_object_ref (self->checking);
  striae_lock_page_set_busy (page, TRUE);
  striae_first_frame_mark ("password handed to the check");
  striae_authenticator_check_async (self->authenticator, name, password, self->checking,
                                    password_checked_cb, check);
  return TRUE;
}

static void
unlock_requested_cb (StriaeApplication *self,
                     const char        *name,
                     const char        *password,
                     StriaeWindow      *window)
{
  check_password (self, window, name, password, FALSE);
}

/* `striae --user NAME`: the window opened on its sign-in page, which shows NAME and
 * "Signing in…" while the password read before is checked as one typed there would be
 * (check_password()): the window never waits for Argon2id, nor for the check of a file not
 * closed cleanly, which the sign-in's audit row waits for (seconds at a million patients).
 * The password is wiped once handed over; the authenticator wipes its copy after the check.
 * Returns: whether a check was started. */
static gboolean
sign_in_start_account (StriaeApplication *self,
                       StriaeWindow      *window)
{
  g_autoptr(StriaeSecret) password = g_steal_pointer (&self->start_password);
  g_autofree char *user = g_steal_pointer (&self->start_user);

  if (user == NULL || self->store == NULL)
    return FALSE;
  if (striae_window_get_setup_page (window) != NULL)
    {
      /* TRANSLATORS: %s is the database's file */
      g_autofree char *problem = g_strdup_printf (_("The records in %s have no account yet: "
                                                    "make their administrator first with "
                                                    "striae --database PATH --init --user "
                                                    "NAME."),
                                                  striae_store_get_path (self->store));

      g_printerr ("%s\n", problem);
      return FALSE;
    }
  if (!striae_window_get_locked (window))
    return FALSE;

  striae_lock_page_fill_name (striae_window_get_lock_page (window), user);
  return check_password (self, window, user, password, TRUE);
}

static void
window_added_cb (StriaeApplication *self,
                 GtkWindow         *window)
{
  if (self->idle_lock == NULL)
    return;

  striae_idle_lock_watch_window (self->idle_lock, window);
  if (!STRIAE_IS_WINDOW (window))
    return;
  g_signal_connect_object (window, "unlock-requested", G_CALLBACK (unlock_requested_cb), self,
                           G_CONNECT_SWAPPED);
  /* A window opened while locked (the records switched) locks at once. */
  if (striae_idle_lock_get_locked (self->idle_lock))
    {
      striae_lock_page_set_account (striae_window_get_lock_page (STRIAE_WINDOW (window)),
                                    self->locked_account);
      striae_window_lock (STRIAE_WINDOW (window));
    }
}

/* This PC's settings; NULL where the schema is not installed. */
static GSettings *
new_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  return schema != NULL ? g_settings_new_full (schema, NULL, NULL) : NULL;
}

static void
bind_lock_settings (StriaeApplication *self)
{
  g_autoptr(GSettings) settings = new_settings ();

  if (settings == NULL)
    return;
  g_settings_bind (settings, "lock-after-minutes", self->idle_lock, "minutes",
                   G_SETTINGS_BIND_GET);
}

static void
lock_minutes_read_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(StriaeApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  guint minutes = striae_clinic_cache_read_lock_minutes_finish (STRIAE_STORE (source), result,
                                                                &error);

  /* Unreadable now (the server away): the lock keeps the time it had. */
  if (minutes == 0)
    g_debug ("The clinic's idle time before the lock could not be read: %s", error->message);
  else if (STRIAE_STORE (source) == self->store && self->idle_lock != NULL)
    striae_idle_lock_set_minutes (self->idle_lock, minutes);
}

static void
read_lock_minutes (StriaeApplication *self)
{
  striae_clinic_cache_read_lock_minutes_async (self->store, NULL, lock_minutes_read_cb,
                                               g_object_ref (self));
}

/* What is clinic-wide changed elsewhere (a change of a patient names the patient). */
static void
clinic_changed_cb (StriaeApplication *self,
                   gint64             patient_id)
{
  if (patient_id == 0)
    read_lock_minutes (self);
}

/* The idle time before the lock is the clinic's: this PC's setting on a file without
 * accounts, the records' on a clinic server (the same on every PC) and on a file with
 * accounts (where only an administrator changes it), read again whenever they change. */
static void
follow_lock_minutes (StriaeApplication *self)
{
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GError) error = NULL;

  if (self->idle_lock == NULL)
    return;

  if (!striae_clinic_cache_in_records (self->store))
    {
      bind_lock_settings (self);
      return;
    }

  g_settings_unbind (self->idle_lock, "minutes");
  settings = new_settings ();
  /* The first time this version opens a file with accounts, this PC's minutes become the
   * records' (striae_clinic_cache_adopt()); the read below says what they are. */
  if (settings != NULL && !striae_clinic_cache_adopt (self->store, settings, &error))
    g_message ("This computer’s clinic settings could not be copied into the records: %s",
               error->message);
  read_lock_minutes (self);
  g_signal_handlers_disconnect_by_func (self->store, clinic_changed_cb, self);
  g_signal_connect_object (self->store, "patients-changed", G_CALLBACK (clinic_changed_cb),
                           self, G_CONNECT_SWAPPED);
}

/* Gives the application the one that checks passwords, and with it the lock: after the
 * clinic's idle time, or when the desktop locks, every window hides its patients until
 * a password was checked. Without an authenticator nothing locks. */
void
striae_application_set_authenticator (StriaeApplication   *self,
                                      StriaeAuthenticator *authenticator)
{
  g_return_if_fail (STRIAE_IS_APPLICATION (self));
  g_return_if_fail (STRIAE_IS_AUTHENTICATOR (authenticator));

  g_set_object (&self->authenticator, authenticator);
  if (self->idle_lock != NULL)
    return;

  self->idle_lock = striae_idle_lock_new ();
  bind_lock_settings (self);
  g_signal_connect_object (self->idle_lock, "notify::locked", G_CALLBACK (locked_changed_cb),
                           self, G_CONNECT_SWAPPED);
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    window_added_cb (self, l->data);
  striae_idle_lock_watch_desktop (self->idle_lock);
}

/* The lock, once an authenticator was set; NULL before. */
StriaeIdleLock *
striae_application_get_idle_lock (StriaeApplication *self)
{
  g_return_val_if_fail (STRIAE_IS_APPLICATION (self), NULL);
  return self->idle_lock;
}

/* The first administrator was made on @page, and is signed in: from now on the records
 * have accounts, the windows lock, and the register is shown. */
static void
setup_done_cb (StriaeApplication *self,
               StriaeSetupPage   *page)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (page));

  if (striae_setup_page_get_store (page) == self->store)
    {
      g_autoptr(StriaeAuthenticator) authenticator = records_authenticator (self);

      if (authenticator != NULL)
        striae_application_set_authenticator (self, authenticator);
      /* The records have accounts now: they keep the clinic's idle time from here on. */
      follow_lock_minutes (self);
    }
  if (STRIAE_IS_WINDOW (root))
    striae_window_end_setup (STRIAE_WINDOW (root));
}

/* Records without any account yet (a new file, or one kept before accounts) show no patient
 * to whoever sits at the PC: the window opens on the setup page of their first
 * administrator, and its actions (a new patient, the search) wait for it. Preferences stays
 * open to reach: it shows no patient, and a clinic PC's first start may go to the clinic
 * server's records from there instead. A clinic server never needs the page: its logins
 * are its accounts (striae_store_needs_setup()). */
static void
show_setup (StriaeApplication *self,
            StriaeWindow      *window)
{
  GtkWidget *page = striae_setup_page_new (self->store);

  g_signal_connect_object (page, "done", G_CALLBACK (setup_done_cb), self, G_CONNECT_SWAPPED);
  striae_window_show_setup (window, page);
}

static void
open_window (StriaeApplication *self,
             const char        *notice)
{
  GtkWindow *window;

  {
    g_autoptr(StriaeAuthenticator) authenticator = records_authenticator (self);

    if (authenticator != NULL)
      striae_application_set_authenticator (self, authenticator);
  }
  follow_lock_minutes (self);

  watch_changes (self);
  window = GTK_WINDOW (striae_window_new (self, self->store));
  striae_first_frame_mark ("window built");
  /* Before the window is drawn, so that not one frame shows the register: records without
   * any account open on the setup page, records with accounts on the sign-in (the lock
   * page, which asks a name too when nobody was signed in). */
  if (self->store != NULL && striae_store_needs_setup (self->store))
    show_setup (self, STRIAE_WINDOW (window));
  else if (self->idle_lock != NULL && self->store != NULL &&
           striae_store_has_accounts (self->store) && !striae_store_is_signed_in (self->store))
    striae_idle_lock_lock (self->idle_lock);
  /* With `striae --user`, the benchmark's first frame is the one after the password's
   * answer (password_checked_cb()), not the sign-in page shown meanwhile. */
  if (!sign_in_start_account (self, STRIAE_WINDOW (window)))
    striae_first_frame_watch (window);
  gtk_window_present (window);
  striae_first_frame_mark ("window presented");
  if (notice != NULL)
    striae_window_add_toast (STRIAE_WINDOW (window), notice);
}

/* The records could not be opened: rather than an empty window, Preferences → Records says
 * why in one sentence, with the details to correct and the way back to this computer's
 * records. Closing it without connecting quits, as there is nothing to show. */
static void
show_records_problem (StriaeApplication *self,
                      const char        *problem)
{
  StriaePreferences *preferences = new_preferences (self, NULL);
  GtkWidget *dialog;

  gtk_window_set_application (GTK_WINDOW (preferences), GTK_APPLICATION (self));
  striae_preferences_show_records (preferences, problem);
  gtk_window_present (GTK_WINDOW (preferences));

  /* The sentence also stays under the details, by Connect, which a small screen may not show
   * at first: said once where it cannot be missed. */
  dialog = adw_message_dialog_new (GTK_WINDOW (preferences),
                                   _("The Clinic Server’s Records Could Not Be Opened"),
                                   problem);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Switches every window to @store: a new main window on it, then the old ones closed, each
 * saving what it holds (the wizard its draft) into the records it was working on. */
static void
records_opened_cb (StriaeApplication *self,
                   StriaeStore       *store,
                   const char        *notice,
                   StriaeRecordsPage *page)
{
  /* Held, so that a window closed with another (a transient one) is still there to look at. */
  g_autolist(GtkWindow) windows =
    g_list_copy_deep (gtk_application_get_windows (GTK_APPLICATION (self)),
                      (GCopyFunc) g_object_ref, NULL);
  GtkRoot *preferences = gtk_widget_get_root (GTK_WIDGET (page));

  /* Closing the main window may take Preferences with it: then there is nothing to close. */
  if (preferences != NULL)
    g_object_add_weak_pointer (G_OBJECT (preferences), (gpointer *) &preferences);

  /* What was being sent to the old records stops between two drafts; what is left waits
   * there for the next time they are opened. */
  if (self->sending != NULL)
    g_cancellable_cancel (self->sending);
  g_clear_object (&self->sending);
  g_cancellable_cancel (self->verifying);
  g_set_object (&self->store, store);
  g_clear_handle_id (&self->changes_id, g_source_remove);
  open_window (self, notice);

  /* Only those still open: closing one may have closed another with it. */
  for (GList *l = windows; l != NULL; l = l->next)
    if (STRIAE_IS_WINDOW (l->data) &&
        g_list_find (gtk_application_get_windows (GTK_APPLICATION (self)), l->data) != NULL)
      gtk_window_close (l->data);
  if (preferences != NULL)
    g_object_remove_weak_pointer (G_OBJECT (preferences), (gpointer *) &preferences);
  if (GTK_IS_WINDOW (preferences))
    gtk_window_close (GTK_WINDOW (preferences));
}

/* The clinic server's records opened, or could not be: once activated, the window on them,
 * or Preferences → Records saying why. */
static void
show_server_records (StriaeApplication *self)
{
  g_autofree char *problem = g_steal_pointer (&self->problem);

  if (problem != NULL)
    show_records_problem (self, problem);
  else if (self->store != NULL)
    open_window (self, NULL);
}

static void
server_opened_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(StriaeApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  StriaeServerLogin *login = STRIAE_SERVER_LOGIN (source);

  self->store = striae_server_login_open_with_kept_password_finish (login, result, &error);
  striae_first_frame_mark ("records open");
  if (self->store == NULL)
    self->problem = g_strdup (error->message);
  self->opening = FALSE;
  if (self->activated)
    show_server_records (self);
  self->activated = FALSE;
  g_application_release (G_APPLICATION (self));
}

/* The records on the clinic server, with the password from the keyring; both may take a
 * while, so they are asked in a worker thread, and the application is held meanwhile. A
 * clinic PC asks them as it starts, before GTK is initialised: the keyring's round trips,
 * the TLS handshake and the password's check by the server go on while GTK initialises
 * (issue 15). What comes of it is shown once activated (show_server_records()). */
static void
open_server_records (StriaeApplication *self,
                     GSettings         *settings)
{
  g_autoptr(StriaeServerLogin) login = striae_server_login_new_from_settings (settings);
  g_autoptr(GError) error = NULL;

  if (!striae_server_login_check (login, &error))
    {
      self->problem = g_strdup (error->message);
      return;
    }

  self->opening = TRUE;
  g_application_hold (G_APPLICATION (self));
  striae_first_frame_mark ("keyring asked");
  striae_server_login_open_with_kept_password_async (login, NULL, server_opened_cb,
                                                     g_object_ref (self));
}

/* Where the records are when no --database was given. */
static gboolean
records_on_server (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *place = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    return FALSE;
  settings = g_settings_new_full (schema, NULL, NULL);
  place = g_settings_get_string (settings, "records-place");
  return g_strcmp0 (place, "clinic-server") == 0;
}

static void
striae_application_activate (GApplication *app)
{
  StriaeApplication *self = STRIAE_APPLICATION (app);
  g_autoptr(GError) error = NULL;
  GtkWindow *window;

  window = find_main_window (self);
  if (window == NULL && self->store == NULL)
    window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window != NULL)
    {
      gtk_window_present (window);
      return;
    }
  if (self->opening)
    {
      self->activated = TRUE;
      return;
    }

  if (self->store == NULL && self->database == NULL && self->problem == NULL &&
      records_on_server ())
    {
      g_autoptr(GSettings) settings = g_settings_new (APP_ID);

      open_server_records (self, settings);
      if (self->opening)
        {
          self->activated = TRUE;
          return;
        }
    }
  if (self->problem != NULL)
    {
      show_server_records (self);
      return;
    }

  if (self->store == NULL)
    {
      g_autofree char *path = self->database ? g_strdup (self->database)
                                             : striae_store_default_path ();

      /* Checked at every opening, in the background; after a clean close the sign-in does
       * not wait for the check of a large file (a million patients: seconds, cold). */
      self->store = striae_store_open_full (path,
                                            STRIAE_STORE_OPEN_FLAGS_CHECK_IN_BACKGROUND |
                                            STRIAE_STORE_OPEN_FLAGS_TRUST_CLEAN_CLOSE |
                                            STRIAE_STORE_OPEN_FLAGS_VERIFY_TRUSTED |
                                            STRIAE_STORE_OPEN_FLAGS_ORDER_IN_BACKGROUND,
                                            &error);
      if (self->store == NULL)
        {
          show_open_error (self, error);
          return;
        }
      g_cancellable_cancel (self->verifying);
      g_set_object (&self->verifying, g_cancellable_new ());
      striae_store_wait_checked_async (self->store, self->verifying, records_checked_cb,
                                       g_object_ref (self));
      if (striae_store_get_notice (self->store) != NULL)
        g_printerr ("%s\n", striae_store_get_notice (self->store));
    }

  open_window (self, NULL);
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  StriaeApplication *self = user_data;
  g_autoptr(GList) windows = NULL;

  /* Closing rather than quitting lets each window remember its size. */
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  for (GList *l = windows; l; l = l->next)
    gtk_window_close (l->data);
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  StriaeApplication *self = user_data;
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "application-name", _("Striae"),
                        "application-icon", APP_ID,
                        "version", PACKAGE_VERSION,
                        "developer-name", _("The Striae developers"),
                        "comments", _("Microneedling consultations for stretch marks: the patient "
                                      "register, a consultation wizard and printable sheets."),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
forward_to_window (StriaeApplication *self,
                   const char        *action_name)
{
  GtkWindow *active = gtk_application_get_active_window (GTK_APPLICATION (self));

  /* From the editor or a dialog these shortcuts do nothing: they belong to the main window. */
  if (STRIAE_IS_WINDOW (active))
    gtk_widget_activate_action (GTK_WIDGET (active), action_name, NULL);
}

static void
new_patient_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  forward_to_window (user_data, "win.new-patient");
}

static void
search_activated (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  forward_to_window (user_data, "win.search");
}

static void
preferences_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  StriaeApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  gtk_window_present (GTK_WINDOW (new_preferences (self, parent)));
}

/* Preferences on its Records page: from the setup page, a clinic PC's first start goes to
 * the clinic server's records rather than making an administrator on this computer. */
static void
records_activated (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  StriaeApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  StriaePreferences *preferences = new_preferences (self, parent);

  striae_preferences_show_records (preferences, NULL);
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
help_shown_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GtkWindow) parent = user_data;
  g_autoptr(GError) error = NULL;
  const char *message;
  GtkWidget *dialog;

  if (gtk_show_uri_full_finish (parent, result, &error))
    return;

  g_debug ("Could not open help:striae: %s", error->message);
  message = _("The user guide could not be opened: install the Yelp help viewer and try again.");
  if (STRIAE_IS_WINDOW (parent) && gtk_widget_get_mapped (GTK_WIDGET (parent)))
    {
      striae_window_add_toast (STRIAE_WINDOW (parent), message);
      return;
    }

  /* From a dialog, or after the window closed: a message of its own. */
  if (parent != NULL && !gtk_widget_get_mapped (GTK_WIDGET (parent)))
    g_clear_object (&parent);
  dialog = adw_message_dialog_new (parent, _("No Help Viewer"), message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The user guide in help/C/, installed where Yelp looks for it (help/meson.build). */
static void
help_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  StriaeApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  gtk_show_uri_full (parent, "help:striae", GDK_CURRENT_TIME, NULL, help_shown_cb,
                     parent != NULL ? g_object_ref (parent) : NULL);
}

static const GActionEntry app_actions[] = {
  { .name = "quit", .activate = quit_activated },
  { .name = "about", .activate = about_activated },
  { .name = "new-patient", .activate = new_patient_activated },
  { .name = "search", .activate = search_activated },
  { .name = "preferences", .activate = preferences_activated },
  { .name = "records", .activate = records_activated },
  { .name = "help", .activate = help_activated },
};

static void
striae_application_startup (GApplication *app)
{
  StriaeApplication *self = STRIAE_APPLICATION (app);

  striae_first_frame_mark ("startup");
  /* A clinic PC's records are asked for before GTK initialises (open_server_records()). */
  if (self->store == NULL && self->database == NULL && records_on_server ())
    {
      g_autoptr(GSettings) settings = g_settings_new (APP_ID);

      open_server_records (self, settings);
    }
  G_APPLICATION_CLASS (striae_application_parent_class)->startup (app);
  striae_first_frame_mark ("GTK initialised");

  g_signal_connect (self, "window-added", G_CALLBACK (window_added_cb), NULL);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit",
                                         (const char *[]) { "<Primary>q", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.new-patient",
                                         (const char *[]) { "<Primary>n", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.search",
                                         (const char *[]) { "<Primary>f", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         (const char *[]) { "<Primary>comma", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.help",
                                         (const char *[]) { "F1", NULL });
  /* GtkApplication's own for a gtk/help-overlay.ui, which the window builds when asked. */
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-help-overlay",
                                         (const char *[]) { "<Control>question", NULL });
}

/* How long quitting waits for the cancelled wait for the check's verdict to hand the
 * records back (it answers at once: this bounds a stuck processor). */
#define VERDICT_WAIT_MS 1000

/* The wait for the verdict of the file's check (a million patients: seconds) holds the
 * records until its callback has run. As the application shuts down it is cancelled and its
 * callback let run, so that the records close with the application and their clean close
 * is noted: the next opening trusts it instead of checking the whole file again before the
 * sign-in (striae-sqlite-check.c). */
static void
stop_verifying (StriaeApplication *self)
{
  gint64 deadline = g_get_monotonic_time () + VERDICT_WAIT_MS * G_TIME_SPAN_MILLISECOND;

  g_cancellable_cancel (self->verifying);
  while (self->verifying != NULL && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (G_TIME_SPAN_MILLISECOND);
}

/* How long quitting waits for a password's check under way (Argon2id: a fraction of a
 * second; more when the sign-in's audit row waits for the check of a file that was not
 * closed cleanly, seconds at a million patients). */
#define CHECK_WAIT_MS 5000

/* The check of a password (check_password()) holds the records in its worker thread until
 * it ends. As the application shuts down its answer is no longer shown, and it is let end:
 * the records then close with the application, their clean close noted, rather than staying
 * open in a thread when the process ends (a quit while `striae --user` signs in). */
static void
stop_checking (StriaeApplication *self)
{
  gint64 deadline = g_get_monotonic_time () + CHECK_WAIT_MS * G_TIME_SPAN_MILLISECOND;

  g_cancellable_cancel (self->checking);
  while (self->checking != NULL && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (G_TIME_SPAN_MILLISECOND);
}

static void
striae_application_shutdown (GApplication *app)
{
  StriaeApplication *self = STRIAE_APPLICATION (app);

  stop_verifying (self);
  stop_checking (self);
  G_APPLICATION_CLASS (striae_application_parent_class)->shutdown (app);
}

static void
striae_application_finalize (GObject *object)
{
  StriaeApplication *self = (StriaeApplication *)object;

  g_clear_handle_id (&self->changes_id, g_source_remove);
  g_cancellable_cancel (self->verifying);
  g_clear_object (&self->verifying);
  g_clear_object (&self->sending);
  g_clear_pointer (&self->database, g_free);
  g_clear_pointer (&self->problem, g_free);
  g_clear_object (&self->store);
  g_cancellable_cancel (self->checking);
  g_clear_object (&self->checking);
  g_clear_pointer (&self->hidden, striae_locked_windows_restore);
  g_clear_pointer (&self->locked_account, g_free);
  g_clear_object (&self->idle_lock);
  g_clear_object (&self->authenticator);
  g_clear_pointer (&self->start_user, g_free);
  g_clear_pointer (&self->start_password, striae_cli_secret_free);

  G_OBJECT_CLASS (striae_application_parent_class)->finalize (object);
}

static void
striae_application_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  StriaeApplication *self = STRIAE_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_UNREACHABLE:
      g_value_set_boolean (value, self->unreachable);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_application_class_init (StriaeApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = striae_application_finalize;
  object_class->get_property = striae_application_get_property;

  /* The clinic server did not answer the last check: what is typed is kept on this
   * computer (issue 14). */
  properties [PROP_UNREACHABLE] =
    g_param_spec_boolean ("unreachable", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  app_class->handle_local_options = striae_application_handle_local_options;
  app_class->startup = striae_application_startup;
  app_class->activate = striae_application_activate;
  app_class->shutdown = striae_application_shutdown;
}

static void
striae_application_init (StriaeApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  striae_cli_records_add_options (G_APPLICATION (self));
  striae_cli_accounts_add_options (G_APPLICATION (self));
  striae_cli_rules_add_options (G_APPLICATION (self));
  striae_cli_report_add_options (G_APPLICATION (self));
  striae_cli_batch_add_options (G_APPLICATION (self));
  striae_cli_recalls_add_options (G_APPLICATION (self));
  striae_cli_photos_add_options (G_APPLICATION (self));
  striae_cli_server_add_options (G_APPLICATION (self));
  g_application_set_option_context_parameter_string (G_APPLICATION (self), NULL);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Keep the patient register and the microneedling "
                                              "consultations of a clinic."));
}

StriaeApplication *
striae_application_new (void)
{
  return g_object_new (STRIAE_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/io/github/striae/Striae",
                       NULL);
}

/* The store the main window works on; NULL until the first window was opened. */
StriaeStore *
striae_application_get_store (StriaeApplication *self)
{
  g_return_val_if_fail (STRIAE_IS_APPLICATION (self), NULL);
  return self->store;
}

const char *
striae_application_get_database (StriaeApplication *self)
{
  g_return_val_if_fail (STRIAE_IS_APPLICATION (self), NULL);
  return self->database;
}

/* Chooses the database file before the first window opens; NULL means the default one. */
void
striae_application_set_database (StriaeApplication *self,
                                 const char        *path)
{
  g_return_if_fail (STRIAE_IS_APPLICATION (self));

  if (g_strcmp0 (self->database, path) == 0)
    return;

  g_free (self->database);
  self->database = g_strdup (path);
}
