/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The signature prompt (issue 16), the one dialog that asks the signed-in account's password
 * for the wizard's sign-off and for a session record's signature: what it shows, how the
 * keyboard works it, and its check of the password in a worker thread. */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "striae-resources.h"
#include "striae-signature-prompt.h"
#include "striae-test-app.h"
#include "striae-test-store.h"
#include "striae-test-window.h"

#define ADMIN_PASSWORD "admin-secret-1"
#define WRONG_SENTENCE "The password is wrong, and nothing was signed. Type it again."

typedef struct
{
  StriaeTestWindow  tw;
  GtkWidget        *parent;
  char             *response;
  GAsyncResult     *result;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  StriaeStore *store;

  striae_test_window_set_up (&fixture->tw, "striae-signature-prompt");
  store = fixture->tw.store;
  g_assert_true (striae_store_create_first_admin (store, "boss", "Dr Anne Roux",
                                                  ADMIN_PASSWORD, &error));
  g_assert_no_error (error);
  if (!striae_store_is_signed_in (store))
    {
      g_assert_true (striae_store_sign_in (store, "boss", ADMIN_PASSWORD, &error));
      g_assert_no_error (error);
    }
  g_assert_true (striae_store_signs_with_password (store));
  fixture->parent = gtk_label_new ("Record");
  striae_test_window_show (&fixture->tw, fixture->parent, 640, 480);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->response, g_free);
  g_clear_object (&fixture->result);
  striae_test_window_tear_down (&fixture->tw);
}

static void
response_cb (AdwMessageDialog *dialog,
             const char       *response,
             Fixture          *fixture)
{
  g_free (fixture->response);
  fixture->response = g_strdup (response);
}

static gboolean
has_response (gpointer data)
{
  Fixture *fixture = data;

  return fixture->response != NULL;
}

static gboolean
has_result (gpointer data)
{
  Fixture *fixture = data;

  return fixture->result != NULL;
}

static void
checked_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      data)
{
  Fixture *fixture = data;

  fixture->result = g_object_ref (result);
}

static GtkWidget *
find_type (GtkWidget *widget,
           GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_type (c, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static StriaeSignaturePrompt *
present_prompt (Fixture    *fixture,
                const char *heading,
                const char *problem)
{
  StriaeSignaturePrompt *prompt;

  prompt = striae_signature_prompt_new (fixture->parent, fixture->tw.store, heading, problem);
  g_signal_connect (prompt, "response", G_CALLBACK (response_cb), fixture);
  gtk_window_present (GTK_WINDOW (prompt));
  striae_test_spin (50);
  return prompt;
}

static GtkListBox *
prompt_list (StriaeSignaturePrompt *prompt)
{
  return GTK_LIST_BOX (adw_message_dialog_get_extra_child (ADW_MESSAGE_DIALOG (prompt)));
}

/* What the prompt shows: the account that signs, a password field with the keyboard, no
 * refusal yet, and Sign only once something is typed. */
static void
test_shows (Fixture       *fixture,
            gconstpointer  data)
{
  StriaeSignaturePrompt *prompt = present_prompt (fixture, NULL, NULL);
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (prompt);
  GtkWidget *password = GTK_WIDGET (gtk_list_box_get_row_at_index (prompt_list (prompt), 0));
  GtkWidget *problem = GTK_WIDGET (gtk_list_box_get_row_at_index (prompt_list (prompt), 1));
  GtkWidget *peek;

  g_assert_true (ADW_IS_PASSWORD_ENTRY_ROW (password));
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (prompt)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (prompt)) == fixture->tw.window);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Sign With Your Password");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "Dr Anne Roux"));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (password)), ==,
                   "Password");
  g_assert_false (gtk_widget_get_visible (problem));
  g_assert_null (striae_signature_prompt_get_problem (prompt));
  g_assert_true (gtk_widget_is_focus (GTK_WIDGET (
                   gtk_window_get_focus (GTK_WINDOW (prompt)))));
  g_assert_true (gtk_widget_is_ancestor (gtk_window_get_focus (GTK_WINDOW (prompt)),
                                         password));

  /* The button that shows the password is named for a screen reader. */
  peek = find_type (password, GTK_TYPE_BUTTON);
  g_assert_nonnull (peek);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (peek), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Show or Hide the Password");

  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "sign"));
  gtk_editable_set_text (GTK_EDITABLE (password), "x");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "sign"));
  gtk_editable_set_text (GTK_EDITABLE (password), "");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "sign"));

  /* A refusal is said under the field, as given. */
  striae_signature_prompt_set_problem (prompt, WRONG_SENTENCE);
  g_assert_true (gtk_widget_get_visible (problem));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (problem)), ==,
                   WRONG_SENTENCE);
  striae_test_window_save_png (GTK_WIDGET (prompt), "signature-prompt.png");
  gtk_window_destroy (GTK_WINDOW (prompt));

  /* A heading of the asker's, and a refusal from the start. */
  prompt = present_prompt (fixture, "Sign as Not Treated With Your Password", "Wait a minute.");
  problem = GTK_WIDGET (gtk_list_box_get_row_at_index (prompt_list (prompt), 1));
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (prompt)), ==,
                   "Sign as Not Treated With Your Password");
  g_assert_true (gtk_widget_get_visible (problem));
  g_assert_cmpstr (striae_signature_prompt_get_problem (prompt), ==, "Wait a minute.");
  gtk_window_destroy (GTK_WINDOW (prompt));
}

/* Enter in the field signs once a password is typed; closing the prompt (Escape) cancels. */
static void
test_keyboard (Fixture       *fixture,
               gconstpointer  data)
{
  StriaeSignaturePrompt *prompt = present_prompt (fixture, NULL, NULL);
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (prompt);
  GtkWidget *password = GTK_WIDGET (gtk_list_box_get_row_at_index (prompt_list (prompt), 0));

  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "sign");
  g_assert_cmpstr (adw_message_dialog_get_close_response (dialog), ==, "cancel");
  g_assert_true (adw_entry_row_get_activates_default (ADW_ENTRY_ROW (password)));

  gtk_editable_set_text (GTK_EDITABLE (password), ADMIN_PASSWORD);
  /* Enter in the field, as GtkText's "activate" keybinding emits it. */
  g_signal_emit_by_name (find_type (password, GTK_TYPE_TEXT), "activate");
  g_assert_true (striae_test_wait_for (has_response, fixture));
  g_assert_cmpstr (fixture->response, ==, "sign");
  g_clear_pointer (&fixture->response, g_free);

  /* Escape is bound to "window.close" in AdwMessageDialog, which gives the close response. */
  prompt = present_prompt (fixture, NULL, NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (prompt), "window.close", NULL));
  g_assert_true (striae_test_wait_for (has_response, fixture));
  g_assert_cmpstr (fixture->response, ==, "cancel");
}

/* The check runs in a worker and empties the field: a wrong password is refused with the
 * prompt's sentence and signs nothing; the right one is accepted. */
static void
test_check (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  StriaeSignaturePrompt *prompt = present_prompt (fixture, NULL, NULL);
  GtkEditable *password = GTK_EDITABLE (gtk_list_box_get_row_at_index (prompt_list (prompt),
                                                                       0));

  g_object_ref (prompt);
  gtk_editable_set_text (password, "not the password");
  striae_signature_prompt_check_async (prompt, NULL, checked_cb, fixture);
  g_assert_cmpstr (gtk_editable_get_text (password), ==, "");
  /* Closed meanwhile, as a response closes it: the check goes on. */
  gtk_window_destroy (GTK_WINDOW (prompt));
  g_assert_true (striae_test_wait_for (has_result, fixture));
  g_assert_false (striae_signature_prompt_check_finish (prompt, fixture->result, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_SIGN_IN);
  g_assert_cmpstr (error->message, ==, WRONG_SENTENCE);
  g_clear_error (&error);
  g_clear_object (&fixture->result);
  g_object_unref (prompt);

  prompt = present_prompt (fixture, NULL, NULL);
  password = GTK_EDITABLE (gtk_list_box_get_row_at_index (prompt_list (prompt), 0));
  gtk_editable_set_text (password, ADMIN_PASSWORD);
  striae_signature_prompt_check_async (prompt, NULL, checked_cb, fixture);
  g_assert_true (striae_test_wait_for (has_result, fixture));
  g_assert_true (striae_signature_prompt_check_finish (prompt, fixture->result, &error));
  g_assert_no_error (error);
  g_clear_object (&fixture->result);
  gtk_window_destroy (GTK_WINDOW (prompt));

  /* Cancelled (the asker went away): said as such, whatever the password. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();

    prompt = present_prompt (fixture, NULL, NULL);
    password = GTK_EDITABLE (gtk_list_box_get_row_at_index (prompt_list (prompt), 0));
    gtk_editable_set_text (password, ADMIN_PASSWORD);
    striae_signature_prompt_check_async (prompt, cancellable, checked_cb, fixture);
    g_cancellable_cancel (cancellable);
    g_assert_true (striae_test_wait_for (has_result, fixture));
    g_assert_false (striae_signature_prompt_check_finish (prompt, fixture->result, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_object (&fixture->result);
    gtk_window_destroy (GTK_WINDOW (prompt));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *localedir = g_build_filename (g_getenv ("STRIAE_BUILD_ROOT"), "po", NULL);

  /* Messages in English, whatever the machine's locale: the test reads some. */
  g_setenv ("LANGUAGE", "C", TRUE);
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Accessible properties kept in process, to be read back (GTK's test context). */
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_assert_nonnull (striae_get_resource ());

  g_test_add ("/signature-prompt/shows", Fixture, NULL, fixture_set_up, test_shows,
              fixture_tear_down);
  g_test_add ("/signature-prompt/keyboard", Fixture, NULL, fixture_set_up, test_keyboard,
              fixture_tear_down);
  g_test_add ("/signature-prompt/check", Fixture, NULL, fixture_set_up, test_check,
              fixture_tear_down);

  return g_test_run ();
}
