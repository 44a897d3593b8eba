/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "striae-accounts-page.h"
#include "striae-application.h"
#include "striae-area-row.h"
#include "striae-consent-dialog.h"
#include "striae-core-error.h"
#include "striae-day-row.h"
#include "striae-lock-page.h"
#include "striae-patient-editor.h"
#include "striae-patient-list.h"
#include "striae-patient-page.h"
#include "striae-patient-row.h"
#include "striae-photo-tile.h"
#include "striae-photos-page.h"
#include "striae-preferences.h"
#include "striae-recall-row.h"
#include "striae-rules-page.h"
#include "striae-sheet-composer.h"
#include "striae-sheet-language.h"
#include "striae-session-page.h"
#include "striae-sheet-preview.h"
#include "striae-signature-prompt.h"
#include "striae-test-window.h"
#include "striae-toast.h"
#include "striae-setup-page.h"
#include "striae-window.h"
#include "striae-wizard.h"
#include "striae-test-cli.h"
#include "striae-test-date.h"
#include "striae-test-files.h"
#include "striae-test-store.h"

#define UI_PREFIX "/io/github/striae/Striae/ui/"

/* Long enough for a slow machine under a sanitizer; a passing run takes a fraction of it. */

typedef struct
{
  char        *dir;
  char        *path;
  StriaeStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("striae-ui-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "striae.db", NULL);
  fixture->store = striae_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->store);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_clear_object (&fixture->store);

  dir = g_dir_open (fixture->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (fixture->dir, name, NULL);
      g_remove (file);
    }
  g_rmdir (fixture->dir);
  g_clear_pointer (&fixture->path, g_free);
  g_clear_pointer (&fixture->dir, g_free);
}

static gpointer
child (gpointer    widget,
       GType       type,
       const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (object);
  return object;
}

/* The line under a search's rows that counts them: shown, and saying this. */
typedef struct
{
  StriaeWindow *window;
  const char   *text;
} MatchesState;

static gboolean
matches_say (gpointer data)
{
  MatchesState *state = data;
  GtkWidget *label = child (state->window, STRIAE_TYPE_WINDOW, "matches_label");

  if (state->text == NULL)
    return !gtk_widget_get_visible (label);
  return gtk_widget_get_visible (label) &&
         g_strcmp0 (gtk_label_get_label (GTK_LABEL (label)), state->text) == 0;
}

/* The button in @root's tree that runs @action, as a person would press it. */
static AdwStatusPage *
find_status_page (GtkWidget  *widget,
                  const char *title)
{
  if (ADW_IS_STATUS_PAGE (widget) &&
      g_strcmp0 (adw_status_page_get_title (ADW_STATUS_PAGE (widget)), title) == 0)
    return ADW_STATUS_PAGE (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      AdwStatusPage *found = find_status_page (child, title);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
empty_archive_shown (gpointer data)
{
  AdwStatusPage *page = find_status_page (data, "No Archived Patients");

  return page != NULL && gtk_widget_is_drawable (GTK_WIDGET (page));
}

static GtkWidget *
button_for_action (GtkWidget  *root,
                   const char *action)
{
  for (GtkWidget *it = gtk_widget_get_first_child (root); it != NULL;
       it = gtk_widget_get_next_sibling (it))
    {
      GtkWidget *found;

      if (GTK_IS_ACTIONABLE (it) &&
          g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (it)), action) == 0)
        return it;
      found = button_for_action (it, action);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The patient list's first row is the selected one. */
static gboolean
first_row_selected (gpointer window)
{
  GtkListView *view = child (window, STRIAE_TYPE_WINDOW, "list_view");

  return gtk_selection_model_is_selected (gtk_list_view_get_model (view), 0);
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }

  return NULL;
}

static gboolean
editor_shown (gpointer data)
{
  return find_toplevel (STRIAE_TYPE_PATIENT_EDITOR) != NULL;
}

static gboolean
editor_gone (gpointer data)
{
  return find_toplevel (STRIAE_TYPE_PATIENT_EDITOR) == NULL;
}

static gboolean
message_dialog_shown (gpointer data)
{
  return find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL;
}

static gboolean
list_loaded (gpointer data)
{
  return !striae_patient_list_get_loading (STRIAE_PATIENT_LIST (data));
}

/* "striae-patient-editor.ui" → "StriaePatientEditor" */
static char *
type_name_for_file (const char *file)
{
  g_autoptr(GString) name = g_string_new (NULL);
  g_auto(GStrv) words = NULL;
  g_autofree char *base = g_strndup (file, strlen (file) - strlen (".ui"));

  words = g_strsplit (base, "-", -1);
  for (guint i = 0; words[i]; i++)
    {
      g_string_append_c (name, g_ascii_toupper (words[i][0]));
      g_string_append (name, words[i] + 1);
    }

  return g_string_free (g_steal_pointer (&name), FALSE);
}

/* Every template in the resource folder belongs to a type that loads it: a .ui file with an
 * unknown Adw type or a bad property fails here rather than in front of a user. */
static void
test_ui_templates (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) files = NULL;
  g_autoptr(GtkBuilder) builder = NULL;
  guint n_templates = 0;

  g_type_ensure (STRIAE_TYPE_WINDOW);
  g_type_ensure (STRIAE_TYPE_PATIENT_EDITOR);
  g_type_ensure (STRIAE_TYPE_PATIENT_PAGE);
  g_type_ensure (STRIAE_TYPE_PATIENT_ROW);
  g_type_ensure (STRIAE_TYPE_PREFERENCES);
  g_type_ensure (STRIAE_TYPE_RULES_PAGE);
  g_type_ensure (STRIAE_TYPE_RECORDS_PAGE);
  g_type_ensure (STRIAE_TYPE_SHEET_PREVIEW);
  g_type_ensure (STRIAE_TYPE_WIZARD);
  g_type_ensure (STRIAE_TYPE_HISTORY_PAGE);
  g_type_ensure (STRIAE_TYPE_SKIN_PAGE);
  g_type_ensure (STRIAE_TYPE_AREA_ROW);
  g_type_ensure (STRIAE_TYPE_AREAS_PAGE);
  g_type_ensure (STRIAE_TYPE_PLAN_PAGE);
  g_type_ensure (STRIAE_TYPE_SUMMARY_PAGE);
  g_type_ensure (STRIAE_TYPE_ACCOUNTS_PAGE);
  g_type_ensure (STRIAE_TYPE_SESSION_PAGE);
  g_type_ensure (STRIAE_TYPE_DAY_PAGE);
  g_type_ensure (STRIAE_TYPE_DAY_ROW);
  g_type_ensure (STRIAE_TYPE_RECALLS_PAGE);
  g_type_ensure (STRIAE_TYPE_RECALL_ROW);
  g_type_ensure (STRIAE_TYPE_BATCH_PAGE);
  g_type_ensure (STRIAE_TYPE_SETUP_PAGE);
  g_type_ensure (STRIAE_TYPE_LOCK_PAGE);
  g_type_ensure (STRIAE_TYPE_CONSENT_DIALOG);
  g_type_ensure (STRIAE_TYPE_SIGNATURE_PAD);
  g_type_ensure (STRIAE_TYPE_SIGNATURE_PROMPT);
  g_type_ensure (STRIAE_TYPE_PHOTOS_PAGE);
  g_type_ensure (STRIAE_TYPE_PHOTO_COMPARE);
  g_type_ensure (STRIAE_TYPE_PHOTO_TILE);

  files = g_resources_enumerate_children (UI_PREFIX, G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  g_assert_no_error (error);

  for (guint i = 0; files[i]; i++)
    {
      g_autofree char *type_name = type_name_for_file (files[i]);
      GType type = g_type_from_name (type_name);
      GObjectClass *klass;
      GObject *object;

      g_test_message ("Loading %s as %s", files[i], type_name);
      if (type == 0)
        g_error ("%s has no widget type %s; add it to g_type_ensure() above", files[i],
                 type_name);

      klass = g_type_class_ref (type);
      if (g_object_class_find_property (klass, "store") != NULL)
        object = g_object_new (type, "store", fixture->store, NULL);
      else
        object = g_object_new (type, NULL);
      g_type_class_unref (klass);

      g_assert_true (GTK_IS_WIDGET (object));
      if (GTK_IS_WINDOW (object))
        {
          gtk_window_present (GTK_WINDOW (object));
          striae_test_spin (50);
          gtk_window_destroy (GTK_WINDOW (object));
        }
      else
        {
          g_object_ref_sink (object);
          g_assert_finalize_object (object);
        }
      n_templates++;
    }

  g_assert_cmpuint (n_templates, >=, 4);

  builder = gtk_builder_new_from_resource ("/io/github/striae/Striae/help-overlay.ui");
  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay")));
  gtk_window_destroy (GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay")));
}

static StriaePatientEditor *
open_editor (GtkWidget  *widget,
             const char *action)
{
  g_assert_true (gtk_widget_activate_action (widget, action, NULL));
  g_assert_true (striae_test_wait_for (editor_shown, NULL));
  return STRIAE_PATIENT_EDITOR (find_toplevel (STRIAE_TYPE_PATIENT_EDITOR));
}

static void
set_field (StriaePatientEditor *editor,
           const char          *row,
           const char          *text)
{
  GtkEditable *editable = child (editor, STRIAE_TYPE_PATIENT_EDITOR, row);

  gtk_editable_set_text (editable, text);
  /* Enter counts as leaving the field, as focus moving away does. */
  g_signal_emit_by_name (editable, "entry-activated");
}

static gboolean
save_enabled (StriaePatientEditor *editor)
{
  return gtk_widget_get_sensitive (child (editor, STRIAE_TYPE_PATIENT_EDITOR, "save_button"));
}

static gboolean
one_patient_stored (gpointer data)
{
  return striae_store_count_patients (STRIAE_STORE (data), NULL) == 1;
}

static gboolean
no_patient_stored (gpointer data)
{
  return striae_store_count_patients (STRIAE_STORE (data), NULL) == 0;
}

typedef struct
{
  StriaePatientList *list;
  const char        *query;
  guint              n_items;
} ListState;

static gboolean
list_has (gpointer data)
{
  ListState *state = data;

  return !striae_patient_list_get_loading (state->list) &&
         g_strcmp0 (striae_patient_list_get_query (state->list), state->query) == 0 &&
         g_list_model_get_n_items (G_LIST_MODEL (state->list)) == state->n_items;
}

typedef struct
{
  StriaeStore *store;
  gint64       id;
  const char  *phone;
} PhoneState;

static gboolean
phone_stored (gpointer data)
{
  PhoneState *state = data;
  g_autoptr(StriaePatient) patient = striae_store_get_patient (state->store, state->id, NULL);

  return patient != NULL && g_strcmp0 (striae_patient_get_phone (patient), state->phone) == 0;
}

static const char *
visible_name (gpointer    widget,
              const char *stack)
{
  return gtk_stack_get_visible_child_name (child (widget, STRIAE_TYPE_WINDOW, stack));
}

/* The first-run page: the register was found empty (in the background, after the list
 * loaded). */
static gboolean
first_run_shown (gpointer window)
{
  return g_strcmp0 (visible_name (window, "main_stack"), "empty") == 0;
}

/* A front-desk day in one go: first start, a new patient, finding them, correcting their
 * phone number, deleting them after confirming. */
static void
test_ui_patient_flow (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(StriaePatient) stored = NULL;
  StriaeWindow *window;
  StriaePatientEditor *editor;
  StriaePatientPage *page;
  StriaePatientList *list;
  AdwMessageDialog *dialog;
  GtkWidget *confirm;
  GtkWidget *archive_button;
  GtkEditable *search;
  ListState state;
  PhoneState phone;
  gint64 id;

  window = striae_window_new (NULL, fixture->store);
  gtk_window_present (GTK_WINDOW (window));
  list = STRIAE_PATIENT_LIST (striae_window_get_patients (window));
  g_assert_true (striae_test_wait_for (list_loaded, list));
  g_assert_true (striae_test_wait_for (first_run_shown, window));

  /* New patient: Save stays off until every required field passes. */
  editor = open_editor (GTK_WIDGET (window), "win.new-patient");
  g_assert_false (save_enabled (editor));
  /* The sheet language offers the languages there are sheets in, each named in itself. */
  {
    GListModel *languages = adw_combo_row_get_model (child (editor, STRIAE_TYPE_PATIENT_EDITOR,
                                                            "language_row"));
    g_auto(GStrv) sheets = striae_sheet_dup_languages (NULL);

    g_assert_cmpuint (g_list_model_get_n_items (languages), ==, g_strv_length (sheets));
    for (guint i = 0; sheets[i] != NULL; i++)
      {
        g_autoptr(GtkStringObject) item = g_list_model_get_item (languages, i);
        g_autofree char *name = striae_sheet_language_dup_name (sheets[i]);

        g_assert_cmpstr (gtk_string_object_get_string (item), ==, name);
      }
  }
  set_field (editor, "given_row", "Zoë");
  set_field (editor, "family_row", "Wiśniewska & Co");
  g_assert_false (save_enabled (editor));
  set_field (editor, "birth_row", "1990-05-12");
  set_field (editor, "phone_row", "+48 22 555 01 23");
  g_assert_true (save_enabled (editor));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  g_assert_true (striae_test_wait_for (one_patient_stored, fixture->store));
  g_assert_true (striae_test_wait_for (editor_gone, NULL));

  state = (ListState) { list, "", 1 };
  g_assert_true (striae_test_wait_for (list_has, &state));
  g_assert_cmpstr (visible_name (window, "main_stack"), ==, "patients");
  g_assert_cmpstr (visible_name (window, "content_stack"), ==, "patient");
  /* The open patient's row is highlighted in the list, once the list holds it. */
  g_assert_true (striae_test_wait_for (first_row_selected, window));

  page = striae_window_get_patient_page (window);
  id = striae_patient_get_id (striae_patient_page_get_patient (page));
  g_assert_cmpint (id, >, 0);
  stored = striae_store_get_patient (fixture->store, id, NULL);
  g_assert_nonnull (stored);
  g_assert_cmpstr (striae_patient_get_given_name (stored), ==, "Zoë");
  g_assert_cmpstr (striae_patient_get_family_name (stored), ==, "Wiśniewska & Co");
  striae_assert_date (striae_patient_get_birth_date (stored), "1990-05-12");
  g_assert_cmpstr (striae_patient_get_language (stored), ==, "en");

  /* Typing in the search field filters the list; a miss shows the "No Results" page. */
  search = child (window, STRIAE_TYPE_WINDOW, "search_entry");
  gtk_editable_set_text (search, "Wiśn");
  state = (ListState) { list, "Wiśn", 1 };
  g_assert_true (striae_test_wait_for (list_has, &state));
  g_assert_cmpstr (visible_name (window, "list_stack"), ==, "list");
  g_assert_true (striae_test_wait_for (matches_say, &(MatchesState) { window, "1 patient matches" }));

  gtk_editable_set_text (search, "Nobody");
  state = (ListState) { list, "Nobody", 0 };
  g_assert_true (striae_test_wait_for (list_has, &state));
  g_assert_cmpstr (visible_name (window, "list_stack"), ==, "no-results");

  gtk_editable_set_text (search, "");
  state = (ListState) { list, "", 1 };
  g_assert_true (striae_test_wait_for (list_has, &state));
  g_assert_true (striae_test_wait_for (first_row_selected, window));
  g_assert_true (striae_test_wait_for (matches_say, &(MatchesState) { window, NULL }));

  /* Edit: the editor starts from the stored patient and writes the change back. */
  editor = open_editor (GTK_WIDGET (page), "patient.edit");
  g_assert_cmpstr (gtk_editable_get_text (child (editor, STRIAE_TYPE_PATIENT_EDITOR, "given_row")),
                   ==, "Zoë");
  g_assert_true (save_enabled (editor));
  set_field (editor, "phone_row", "+48 22 555 99 99");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  phone = (PhoneState) { fixture->store, id, "+48 22 555 99 99" };
  g_assert_true (striae_test_wait_for (phone_stored, &phone));
  g_assert_true (striae_test_wait_for (editor_gone, NULL));
  g_assert_cmpstr (striae_patient_get_phone (striae_patient_page_get_patient (page)),
                   ==, "+48 22 555 99 99");

  /* Archive, the everyday action: the patient leaves the register, is found under
   * "Archived" (win.show-archived), and comes back with Unarchive. */
  archive_button = button_for_action (GTK_WIDGET (page), "patient.archive");
  g_assert_nonnull (archive_button);
  g_assert_true (gtk_widget_activate (archive_button));
  state = (ListState) { list, "", 0 };
  g_assert_true (striae_test_wait_for (list_has, &state));
  g_assert_true (striae_patient_page_get_patient (page) != NULL);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (archive_button)), ==,
                   "_Unarchive Patient");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-archived", NULL));
  g_assert_true (striae_window_get_show_archived (window));
  state = (ListState) { list, "", 1 };
  g_assert_true (striae_test_wait_for (list_has, &state));
  g_assert_true (gtk_widget_activate (archive_button));
  state = (ListState) { list, "", 0 };
  g_assert_true (striae_test_wait_for (list_has, &state));
  /* An empty archive says so. */
  g_assert_true (striae_test_wait_for (empty_archive_shown, window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-archived", NULL));
  g_assert_false (striae_window_get_show_archived (window));
  state = (ListState) { list, "", 1 };
  g_assert_true (striae_test_wait_for (list_has, &state));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (archive_button)), ==, "_Archive Patient");

  /* Erase is out of the way, in the page's menu, not a button; nothing happens until the
   * confirmation, which names the patient and is enabled only once their family name is
   * typed. */
  g_assert_null (button_for_action (GTK_WIDGET (page), "patient.erase"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "patient.erase", NULL));
  g_assert_true (striae_test_wait_for (message_dialog_shown, NULL));
  dialog = ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_nonnull (strstr (adw_message_dialog_get_heading (dialog), "Zoë Wiśniewska & Co"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "cannot be undone"));
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "erase"));
  confirm = adw_message_dialog_get_extra_child (dialog);
  g_assert_true (GTK_IS_EDITABLE (confirm));
  gtk_editable_set_text (GTK_EDITABLE (confirm), "Wisniewska");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "erase"));
  gtk_editable_set_text (GTK_EDITABLE (confirm), striae_patient_get_family_name (
                           striae_patient_page_get_patient (page)));
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "erase"));
  g_assert_cmpint (striae_store_count_patients (fixture->store, NULL), ==, 1);
  adw_message_dialog_response (dialog, "erase");
  g_assert_true (striae_test_wait_for (no_patient_stored, fixture->store));

  state = (ListState) { list, "", 0 };
  g_assert_true (striae_test_wait_for (list_has, &state));
  g_assert_null (striae_patient_page_get_patient (page));
  g_assert_true (striae_test_wait_for (first_run_shown, window));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A wrong date is explained next to the date field as soon as the field is left, the row is
 * marked, Save stays off, and the message goes once the date is right. */
static void
test_ui_editor_validation (Fixture       *fixture,
                           gconstpointer  data)
{
  StriaePatientEditor *editor = striae_patient_editor_new (fixture->store, NULL);
  GtkWidget *birth_row = child (editor, STRIAE_TYPE_PATIENT_EDITOR, "birth_row");
  GtkWidget *error_row = child (editor, STRIAE_TYPE_PATIENT_EDITOR, "birth_error_row");
  GtkLabel *error_label = child (editor, STRIAE_TYPE_PATIENT_EDITOR, "birth_error");
  GtkWidget *given_error_row = child (editor, STRIAE_TYPE_PATIENT_EDITOR, "given_error_row");
  GtkWidget *email_error_row = child (editor, STRIAE_TYPE_PATIENT_EDITOR, "email_error_row");
  AdwMessageDialog *dialog;

  gtk_window_present (GTK_WINDOW (editor));
  striae_test_spin (50);

  /* Nothing is shown for fields not yet visited. */
  g_assert_false (gtk_widget_get_visible (error_row));
  g_assert_false (gtk_widget_get_visible (given_error_row));

  set_field (editor, "given_row", "Amara");
  set_field (editor, "family_row", "Okafor");
  set_field (editor, "birth_row", "1985-13-45");
  g_assert_true (gtk_widget_get_visible (error_row));
  /* The reader's sentence (test-date), which names the locale's form as well. */
  g_assert_true (g_str_has_prefix (gtk_label_get_label (error_label),
                                   "“1985-13-45” is not a valid date. Write it "));
  g_assert_true (gtk_widget_has_css_class (birth_row, "error"));
  g_assert_false (save_enabled (editor));
  g_assert_false (striae_patient_editor_is_valid (editor));
  g_assert_false (gtk_widget_get_visible (given_error_row));
  /* The text is no day: the patient holds none until it is one. */
  g_assert_null (striae_patient_get_birth_date (striae_patient_editor_get_draft (editor)));

  gtk_editable_set_text (GTK_EDITABLE (birth_row), " ");
  g_assert_cmpstr (gtk_label_get_label (error_label), ==, "Date of birth is required.");

  /* While the error shows, the message follows the typing. */
  gtk_editable_set_text (GTK_EDITABLE (birth_row), "2999-01-01");
  g_assert_nonnull (strstr (gtk_label_get_label (error_label), "future"));

  gtk_editable_set_text (GTK_EDITABLE (birth_row), "1985/4/23 ");
  g_assert_false (gtk_widget_get_visible (error_row));
  g_assert_false (gtk_widget_has_css_class (birth_row, "error"));
  g_assert_true (save_enabled (editor));
  striae_assert_date (striae_patient_get_birth_date (striae_patient_editor_get_draft (editor)),
                      "1985-04-23");

  set_field (editor, "email_row", "amara@");
  g_assert_true (gtk_widget_get_visible (email_error_row));
  g_assert_false (save_enabled (editor));
  set_field (editor, "email_row", "");
  g_assert_false (gtk_widget_get_visible (email_error_row));
  g_assert_true (save_enabled (editor));

  /* Clearing a required field brings its message back. */
  set_field (editor, "given_row", "");
  g_assert_true (gtk_widget_get_visible (given_error_row));
  g_assert_false (save_enabled (editor));

  /* Closing a form with typed details asks first; "Keep Editing" keeps it open. */
  gtk_window_close (GTK_WINDOW (editor));
  g_assert_true (striae_test_wait_for (message_dialog_shown, NULL));
  dialog = ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  adw_message_dialog_response (dialog, "keep");
  striae_test_spin (50);
  g_assert_true (editor_shown (NULL));

  gtk_window_close (GTK_WINDOW (editor));
  g_assert_true (striae_test_wait_for (message_dialog_shown, NULL));
  dialog = ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  adw_message_dialog_response (dialog, "discard");
  g_assert_true (striae_test_wait_for (editor_gone, NULL));
  g_assert_cmpint (striae_store_count_patients (fixture->store, NULL), ==, 0);

  /* An untouched form closes at once. */
  editor = striae_patient_editor_new (fixture->store, NULL);
  gtk_window_present (GTK_WINDOW (editor));
  striae_test_spin (50);
  gtk_window_close (GTK_WINDOW (editor));
  g_assert_true (striae_test_wait_for (editor_gone, NULL));
  g_assert_null (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
}

/* Tab from the widget that has the focus in @window, as GtkWindow moves it; returns the widget
 * that has it then. */
static GtkWidget *
tab (GtkWidget        *window,
     GtkDirectionType  direction)
{
  if (!gtk_widget_child_focus (window, direction))
    {
      gtk_root_set_focus (GTK_ROOT (window), NULL);
      gtk_widget_child_focus (window, direction);
    }
  return gtk_root_get_focus (GTK_ROOT (window));
}

static gboolean
focus_in (GtkWidget *focus,
          GtkWidget *field)
{
  return focus != NULL && (focus == field || gtk_widget_is_ancestor (focus, field));
}

/* With messages showing under the fields, Tab and Shift+Tab still go from field to field:
 * a message is read, not a stop, and never ends the list (issue 12: Tab from "Given name"
 * jumped to "Phone", Shift+Tab from "Sex" to "Cancel"). */
static void
test_ui_editor_tab_order (Fixture       *fixture,
                          gconstpointer  data)
{
  StriaePatientEditor *editor = striae_patient_editor_new (fixture->store, NULL);
  GtkWidget *window = GTK_WIDGET (editor);
  GtkWidget *given = child (editor, STRIAE_TYPE_PATIENT_EDITOR, "given_row");
  GtkWidget *family = child (editor, STRIAE_TYPE_PATIENT_EDITOR, "family_row");
  GtkWidget *birth = child (editor, STRIAE_TYPE_PATIENT_EDITOR, "birth_row");
  GtkWidget *sex = child (editor, STRIAE_TYPE_PATIENT_EDITOR, "sex_row");

  gtk_window_present (GTK_WINDOW (editor));
  striae_test_spin (50);

  set_field (editor, "given_row", "");
  set_field (editor, "family_row", "");
  set_field (editor, "birth_row", "1985-13-45");
  g_assert_true (gtk_widget_get_visible (child (editor, STRIAE_TYPE_PATIENT_EDITOR,
                                                "given_error_row")));
  g_assert_true (gtk_widget_get_visible (child (editor, STRIAE_TYPE_PATIENT_EDITOR,
                                                "birth_error_row")));

  gtk_widget_grab_focus (given);
  g_assert_true (focus_in (tab (window, GTK_DIR_TAB_FORWARD), family));
  g_assert_true (focus_in (tab (window, GTK_DIR_TAB_FORWARD), birth));
  /* The date row's calendar button is part of the field. */
  while (focus_in (gtk_root_get_focus (GTK_ROOT (window)), birth))
    tab (window, GTK_DIR_TAB_FORWARD);
  g_assert_true (focus_in (gtk_root_get_focus (GTK_ROOT (window)), sex));

  g_assert_true (focus_in (tab (window, GTK_DIR_TAB_BACKWARD), birth));
  while (focus_in (gtk_root_get_focus (GTK_ROOT (window)), birth))
    tab (window, GTK_DIR_TAB_BACKWARD);
  g_assert_true (focus_in (gtk_root_get_focus (GTK_ROOT (window)), family));
  g_assert_true (focus_in (tab (window, GTK_DIR_TAB_BACKWARD), given));

  gtk_window_destroy (GTK_WINDOW (editor));
}

/* The list row and the page show what a person needs to tell two patients apart. */
static void
test_ui_row_and_page (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(StriaePatient) patient = striae_patient_new ();
  GtkWidget *row = g_object_ref_sink (striae_patient_row_new ());
  GtkWidget *page = g_object_ref_sink (striae_patient_page_new ());
  GtkLabel *details;

  striae_patient_set_given_name (patient, "Amara");
  striae_patient_set_family_name (patient, "Okafor");
  striae_patient_set_birth_date (patient, striae_test_date ("1985-04-23"));
  striae_patient_set_language (patient, "fr");

  striae_patient_row_set_patient (STRIAE_PATIENT_ROW (row), patient);
  g_assert_cmpstr (gtk_label_get_label (child (row, STRIAE_TYPE_PATIENT_ROW, "name_label")),
                   ==, "Amara Okafor");
  details = child (row, STRIAE_TYPE_PATIENT_ROW, "details_label");
  g_assert_true (g_str_has_prefix (gtk_label_get_label (details), "1985-04-23 · "));
  g_assert_true (g_str_has_suffix (gtk_label_get_label (details), " years"));

  /* The row follows changes of the patient it shows. */
  striae_patient_set_given_name (patient, "Ada");
  g_assert_cmpstr (gtk_label_get_label (child (row, STRIAE_TYPE_PATIENT_ROW, "name_label")),
                   ==, "Ada Okafor");

  striae_patient_page_set_store (STRIAE_PATIENT_PAGE (page), fixture->store);
  striae_patient_page_set_patient (STRIAE_PATIENT_PAGE (page), patient);
  g_assert_cmpstr (gtk_label_get_label (child (page, STRIAE_TYPE_PATIENT_PAGE, "name_label")),
                   ==, "Ada Okafor");
  g_assert_cmpstr (adw_action_row_get_subtitle (child (page, STRIAE_TYPE_PATIENT_PAGE,
                                                       "language_row")), ==, "Français");
  g_assert_false (gtk_widget_get_visible (child (page, STRIAE_TYPE_PATIENT_PAGE, "phone_row")));
  g_assert_nonnull (striae_patient_page_get_consultations_group (STRIAE_PATIENT_PAGE (page)));

  g_assert_finalize_object (row);
  g_assert_finalize_object (page);
}

/* The InfoBar of @window's template named @name, after checking that it sits right below a
 * header bar, above what it is about (as GNOME apps place a banner). */
static GtkWidget *
banner_below_header_bar (GtkWidget  *window,
                         const char *name)
{
  GtkWidget *banner = NULL;
  GtkWidget *above;

  for (GtkWidget *w = gtk_widget_get_first_child (window); w != NULL && banner == NULL; )
    {
      /* Depth first: the banners are not template children, so they are found by name. */
      if (GTK_IS_INFO_BAR (w) && g_strcmp0 (gtk_buildable_get_buildable_id (GTK_BUILDABLE (w)),
                                            name) == 0)
        banner = w;
      else if (gtk_widget_get_first_child (w) != NULL)
        w = gtk_widget_get_first_child (w);
      else
        {
          while (w != NULL && gtk_widget_get_next_sibling (w) == NULL)
            w = w == window ? NULL : gtk_widget_get_parent (w);
          w = w != NULL && w != window ? gtk_widget_get_next_sibling (w) : NULL;
        }
    }
  g_assert_nonnull (banner);
  above = gtk_widget_get_prev_sibling (banner);
  g_assert_true (ADW_IS_HEADER_BAR (above));
  g_assert_nonnull (gtk_widget_get_next_sibling (banner));
  return banner;
}

static gboolean
widget_hidden (gpointer widget)
{
  return !gtk_widget_get_visible (widget);
}

static gboolean
problem_shown (gpointer page)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (
                      GTK_STACK (adw_bin_get_child (ADW_BIN (page)))), "problem") == 0;
}

static gboolean
record_shown (gpointer page)
{
  return !problem_shown (page);
}

/* When the clinic server is gone: the banners sit below the header bars and show while the
 * window hears so; a patient the records could not give shows why and what to do, and Try
 * Again shows them once the records answer. */
static void
test_ui_server_gone (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(StriaePatient) patient = striae_patient_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) gone = NULL;
  StriaePatientPage *page;
  AdwStatusPage *status;
  GtkWidget *window;
  GtkWidget *content_banner;
  GtkWidget *empty_banner;
  GtkWidget *sidebar_banner;

  striae_patient_set_given_name (patient, "Amara");
  striae_patient_set_family_name (patient, "Okafor");
  striae_patient_set_birth_date (patient, striae_test_date ("1985-04-23"));
  g_assert_true (striae_store_add_patient (fixture->store, patient, &error));
  g_assert_no_error (error);

  window = GTK_WIDGET (striae_window_new (NULL, fixture->store));
  gtk_window_present (GTK_WINDOW (window));
  content_banner = banner_below_header_bar (window, "server_banner");
  empty_banner = banner_below_header_bar (window, "empty_banner");
  sidebar_banner = banner_below_header_bar (window, "sidebar_banner");
  /* While the server answers, the bars are hidden, not only folded away: a bar folded away
   * is still measured, its wrapping text at every width the window tries (issue 15). */
  g_assert_false (gtk_info_bar_get_revealed (GTK_INFO_BAR (content_banner)));
  g_assert_false (gtk_widget_get_visible (content_banner));
  g_assert_false (gtk_widget_get_visible (empty_banner));
  g_assert_false (gtk_widget_get_visible (sidebar_banner));
  g_object_set (window, "server-unreachable", TRUE, NULL);
  g_assert_true (gtk_info_bar_get_revealed (GTK_INFO_BAR (content_banner)));
  g_assert_true (gtk_info_bar_get_revealed (GTK_INFO_BAR (empty_banner)));
  g_assert_true (gtk_widget_get_visible (content_banner));
  g_assert_true (gtk_widget_get_visible (empty_banner));
  /* Side by side, the banner over the content says it; folded, the sidebar's does. */
  g_assert_cmpint (gtk_widget_get_visible (sidebar_banner), ==,
                   adw_leaflet_get_folded (child (window, STRIAE_TYPE_WINDOW, "leaflet")));
  g_object_set (window, "server-unreachable", FALSE, NULL);
  g_assert_false (gtk_info_bar_get_revealed (GTK_INFO_BAR (content_banner)));
  /* Hidden again once folded away. */
  g_assert_true (striae_test_wait_for (widget_hidden, content_banner));
  g_assert_true (striae_test_wait_for (widget_hidden, empty_banner));

  /* What the records say when the server is gone (a file cannot be). */
  page = striae_window_get_patient_page (STRIAE_WINDOW (window));
  gone = g_error_new_literal (STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_UNREACHABLE,
                              "The clinic server cannot be reached. Check that it is running.");
  striae_patient_page_show_unreadable (page, striae_patient_get_id (patient), gone);
  g_assert_true (problem_shown (page));
  status = ADW_STATUS_PAGE (gtk_stack_get_child_by_name (
                             GTK_STACK (adw_bin_get_child (ADW_BIN (page))), "problem"));
  g_assert_cmpstr (adw_status_page_get_description (status), ==, gone->message);
  g_assert_null (striae_patient_page_get_patient (page));

  /* The records answer again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "patient.reload", NULL));
  g_assert_true (striae_test_wait_for (record_shown, page));
  g_assert_nonnull (striae_patient_page_get_patient (page));
  g_assert_cmpstr (gtk_label_get_label (child (page, STRIAE_TYPE_PATIENT_PAGE, "name_label")),
                   ==, "Amara Okafor");

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
window_laid_out (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_width (data) > 0;
}

/* Whether the window (args[0]) is no longer as wide as it was (args[1]). */
static gboolean
window_resized (gpointer data)
{
  gpointer *args = data;

  return gtk_widget_get_width (args[0]) != GPOINTER_TO_INT (args[1]);
}

/* The window opens at the size it was closed with. */
static void
test_ui_window_size (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.striae.Striae");
  StriaeWindow *window;
  int width, height;

  g_settings_set_int (settings, "window-width", 640);
  g_settings_set_int (settings, "window-height", 480);
  window = striae_window_new (NULL, fixture->store);
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 640);
  g_assert_cmpint (height, ==, 480);

  /* Resized once the display has shown it at its first size (a slow build's first
   * configure could otherwise come after the new size, and undo it). */
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (striae_test_wait_for (window_laid_out, window));
  width = gtk_widget_get_width (GTK_WIDGET (window));
  gtk_window_set_default_size (GTK_WINDOW (window), 820, 610);
  g_assert_true (striae_test_wait_for (window_resized,
                                       (gpointer []) { window, GINT_TO_POINTER (width) }));
  gtk_window_close (GTK_WINDOW (window));
  striae_test_spin (50);
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 820);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 610);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));
  g_assert_null (find_toplevel (STRIAE_TYPE_WINDOW));
}

/* A file that is not a database gets a dialog that says so, and is left untouched. */
static void
test_ui_open_error (void)
{
  g_autoptr(StriaeApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("striae-ui-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "letter.txt", NULL);
  g_autofree char *contents = NULL;
  const char *text = "Dear doctor, this is a letter and not a database.\n";
  AdwMessageDialog *dialog;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, text, -1, &error));

  app = striae_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  striae_application_set_database (app, path);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));

  g_assert_true (striae_test_wait_for (message_dialog_shown, NULL));
  dialog = ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==,
                   "This File Is Not a Striae Database");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), path));
  g_assert_null (find_toplevel (STRIAE_TYPE_WINDOW));
  g_assert_null (striae_application_get_store (app));

  adw_message_dialog_response (dialog, "quit");
  striae_test_spin (50);
  g_assert_null (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));

  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_cmpstr (contents, ==, text);
  g_remove (path);
  g_rmdir (dir);
}

static gboolean
quit_cb (gpointer data)
{
  g_action_group_activate_action (G_ACTION_GROUP (data), "quit", NULL);
  return G_SOURCE_REMOVE;
}

/* Quitting closes the records before the process ends, also while the window still awaits
 * the verdict of the file's check (made slow here, as a million patients' file is): the
 * clean close is noted, so that the next opening does not check the whole file again
 * before the sign-in. The wait for the verdict held the records past the end of the
 * process before. */
static void
test_ui_quit_closes_records (void)
{
  const StriaeStoreOpenFlags flags = STRIAE_STORE_OPEN_FLAGS_CHECK_IN_BACKGROUND |
                                     STRIAE_STORE_OPEN_FLAGS_TRUST_CLEAN_CLOSE |
                                     STRIAE_STORE_OPEN_FLAGS_VERIFY_TRUSTED;
  g_autoptr(StriaeApplication) app = NULL;
  g_autoptr(StriaeStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("striae-ui-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "clinic.db", NULL);
  g_autofree char *note = g_strconcat (path, "-checked", NULL);
  char *argv[] = { (char *) "striae", NULL };

  g_assert_no_error (error);
  store = striae_store_open_full (path, flags, &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  g_assert_true (g_file_test (note, G_FILE_TEST_EXISTS));

  striae_store_debug_set_check_delay (2000);
  app = striae_application_new ();
  g_application_set_application_id (G_APPLICATION (app), "io.github.striae.Striae.QuitTest");
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  striae_application_set_database (app, path);
  g_timeout_add (300, quit_cb, app);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 1, argv), ==, 0);
  striae_store_debug_set_check_delay (0);
  g_assert_false (g_file_test (note, G_FILE_TEST_EXISTS));
  g_clear_object (&app);
  /* Taken as the records opened, noted again as they closed with the application. */
  g_assert_true (g_file_test (note, G_FILE_TEST_EXISTS));

  striae_test_remove_tree (dir);
}

/* The GtkMenuButton in @root's tree, depth first. */
static GtkMenuButton *
find_menu_button (GtkWidget *root)
{
  for (GtkWidget *it = gtk_widget_get_first_child (root); it != NULL;
       it = gtk_widget_get_next_sibling (it))
    {
      GtkMenuButton *found;

      if (GTK_IS_MENU_BUTTON (it))
        return GTK_MENU_BUTTON (it);
      found = find_menu_button (it);
      if (found != NULL)
        return found;
    }

  return NULL;
}

/* Whether @model, or a section of it, has an item running @action, labelled @label. */
static gboolean
menu_has_item (GMenuModel *model,
               const char *action,
               const char *label)
{
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autofree char *item_action = NULL;
      g_autofree char *item_label = NULL;
      g_autoptr(GMenuModel) section = NULL;

      section = g_menu_model_get_item_link (model, i, G_MENU_LINK_SECTION);
      if (section != NULL && menu_has_item (section, action, label))
        return TRUE;
      if (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_ACTION, "s", &item_action) &&
          g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_LABEL, "s", &item_label) &&
          g_strcmp0 (item_action, action) == 0 && g_strcmp0 (item_label, label) == 0)
        return TRUE;
    }

  return FALSE;
}

/* Help and Preferences can be found: app.help (F1) and app.preferences (Ctrl+,) exist, are in
 * the main menu and in the shortcuts window. */
static void
test_ui_help_and_preferences (Fixture       *fixture,
                              gconstpointer  data)
{
  const char *findable[][3] = {
    { "app.help", "F1", "_Help" },
    { "app.preferences", "<Control>comma", "_Preferences" },
  };
  g_autoptr(StriaeApplication) app = NULL;
  g_autoptr(GtkBuilder) builder = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSList) objects = NULL;
  GtkMenuButton *menu_button;
  StriaeWindow *window;
  GMenuModel *menu;
  guint in_overlay = 0;

  /* A registered application stays exported on the session bus for the rest of the process:
   * under an id of its own, so that /ui/open-error can register Striae's. */
  app = striae_application_new ();
  g_application_set_application_id (G_APPLICATION (app), "io.github.striae.Striae.HelpTest");
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  /* The window without the application: the menu model is the window's own. */
  window = striae_window_new (NULL, fixture->store);
  gtk_window_present (GTK_WINDOW (window));
  striae_test_spin (50);
  menu_button = find_menu_button (GTK_WIDGET (window));
  g_assert_nonnull (menu_button);
  menu = gtk_menu_button_get_menu_model (menu_button);
  g_assert_nonnull (menu);

  builder = gtk_builder_new_from_resource ("/io/github/striae/Striae/help-overlay.ui");
  objects = gtk_builder_get_objects (builder);

  for (guint i = 0; i < G_N_ELEMENTS (findable); i++)
    {
      const char *action = findable[i][0];
      g_auto(GStrv) accels = NULL;

      g_test_message ("%s: %s in the main menu", action, findable[i][2]);
      g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), action + strlen ("app.")));
      g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (app),
                                                        action + strlen ("app.")));
      accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), action);
      g_assert_nonnull (accels);
      g_assert_cmpstr (accels[0], ==, findable[i][1]);
      g_assert_true (menu_has_item (menu, action, findable[i][2]));

      for (GSList *l = objects; l != NULL; l = l->next)
        {
          g_autofree char *shortcut_action = NULL;

          if (!GTK_IS_SHORTCUTS_SHORTCUT (l->data))
            continue;
          g_object_get (l->data, "action-name", &shortcut_action, NULL);
          if (g_strcmp0 (shortcut_action, action) == 0)
            in_overlay++;
        }
    }
  g_assert_cmpuint (in_overlay, ==, G_N_ELEMENTS (findable));

  gtk_window_destroy (GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay")));
  gtk_window_destroy (GTK_WINDOW (window));
  striae_test_spin (50);
}

/* The patient's page is made when a patient is first shown (issue 15, start-up): the
 * register's first frame neither builds nor measures it; making it changes neither the
 * window's minimum size nor, until a patient is chosen, what the window shows. */
static void
test_ui_patient_page_when_shown (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(StriaePatient) patient = striae_patient_new ();
  g_autoptr(GError) error = NULL;
  StriaeWindow *window;
  GtkStack *content;
  int width, height, made_width, made_height;

  striae_patient_set_given_name (patient, "Amara");
  striae_patient_set_family_name (patient, "Okafor");
  striae_patient_set_birth_date (patient, striae_test_date ("1985-04-23"));
  g_assert_true (striae_store_add_patient (fixture->store, patient, &error));
  g_assert_no_error (error);

  window = striae_window_new (NULL, fixture->store);
  gtk_window_present (GTK_WINDOW (window));
  striae_test_spin (50);
  content = child (window, STRIAE_TYPE_WINDOW, "content_stack");
  g_assert_null (gtk_stack_get_child_by_name (content, "patient"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (content), ==, "none");
  striae_test_measure_minimum (GTK_WIDGET (window), &width, &height);

  g_assert_true (striae_window_show_patient (window, striae_patient_get_id (patient), &error));
  g_assert_no_error (error);
  g_assert_nonnull (gtk_stack_get_child_by_name (content, "patient"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (content), ==, "patient");
  g_assert_cmpint (striae_patient_get_id (
                     striae_patient_page_get_patient (striae_window_get_patient_page (window))),
                   ==, striae_patient_get_id (patient));
  striae_test_measure_minimum (GTK_WIDGET (window), &made_width, &made_height);
  g_assert_cmpint (made_width, ==, width);
  g_assert_cmpint (made_height, ==, height);

  gtk_window_destroy (GTK_WINDOW (window));
  striae_test_spin (50);
}

/* A widget that counts how often it is measured. */
#define TEST_TYPE_PROBE (test_probe_get_type ())
G_DECLARE_FINAL_TYPE (TestProbe, test_probe, TEST, PROBE, GtkWidget)

struct _TestProbe
{
  GtkWidget parent_instance;
  guint     measured;
};

G_DEFINE_FINAL_TYPE (TestProbe, test_probe, GTK_TYPE_WIDGET)

static void
test_probe_measure (GtkWidget      *widget,
                    GtkOrientation  orientation,
                    int             for_size,
                    int            *minimum,
                    int            *natural,
                    int            *minimum_baseline,
                    int            *natural_baseline)
{
  TEST_PROBE (widget)->measured++;
  *minimum = *natural = 10;
}

static void
test_probe_class_init (TestProbeClass *klass)
{
  GTK_WIDGET_CLASS (klass)->measure = test_probe_measure;
}

static void
test_probe_init (TestProbe *self)
{
}

static gboolean
window_lists_patients (gpointer window)
{
  return g_list_model_get_n_items (striae_window_get_patients (window)) > 0;
}

static gboolean
probe_allocated (gpointer probe)
{
  return gtk_widget_get_width (probe) > 0;
}

/* The window's stacks measure the page they show alone (issue 15): the register's first
 * frame does not measure the first-run page beside it, nor the list's status page, each a
 * status page with an icon and wrapping text. A page shown is measured and laid out. */
static void
test_ui_stacks_measure_shown (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(StriaePatient) patient = striae_patient_new ();
  g_autoptr(GError) error = NULL;
  const char *stacks[] = { "main_stack", "list_stack" };
  TestProbe *probes[2];
  StriaeWindow *window;
  int width, height;

  striae_patient_set_given_name (patient, "Amara");
  striae_patient_set_family_name (patient, "Okafor");
  striae_patient_set_birth_date (patient, striae_test_date ("1985-04-23"));
  g_assert_true (striae_store_add_patient (fixture->store, patient, &error));
  g_assert_no_error (error);

  window = striae_window_new (NULL, fixture->store);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (striae_test_wait_for (window_lists_patients, window));
  striae_test_spin (50);
  for (guint i = 0; i < G_N_ELEMENTS (stacks); i++)
    {
      probes[i] = g_object_new (TEST_TYPE_PROBE, NULL);
      gtk_stack_add_named (child (window, STRIAE_TYPE_WINDOW, stacks[i]),
                           GTK_WIDGET (probes[i]), "probe");
    }
  gtk_widget_queue_resize (GTK_WIDGET (window));
  striae_test_spin (100);
  striae_test_measure_minimum (GTK_WIDGET (window), &width, &height);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (
                     child (window, STRIAE_TYPE_WINDOW, "main_stack")), ==, "patients");
  g_test_message ("the window's smallest size with the register: %d x %d", width, height);
  g_assert_cmpuint (probes[0]->measured, ==, 0);
  g_assert_cmpuint (probes[1]->measured, ==, 0);

  /* Shown, a page is measured and laid out as before (the list's inside the register's). */
  for (guint i = G_N_ELEMENTS (stacks); i-- > 0; )
    {
      gtk_stack_set_visible_child_full (child (window, STRIAE_TYPE_WINDOW, stacks[i]), "probe",
                                        GTK_STACK_TRANSITION_TYPE_NONE);
      g_assert_true (striae_test_wait_for (probe_allocated, probes[i]));
      g_assert_cmpuint (probes[i]->measured, >, 0);
    }

  gtk_window_destroy (GTK_WINDOW (window));
  striae_test_spin (50);
}

/* The lock page is made when first asked for (issue 15, start-up): a window shown without a
 * lock has made none, not even its type's class (in a process of its own, where no other
 * test made one); asked for, or at a lock, it is there, and a lock shows it. */
static void
test_ui_lock_page_when_asked (Fixture       *fixture,
                              gconstpointer  data)
{
  StriaeWindow *window;
  StriaeLockPage *page;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }

  window = striae_window_new (NULL, fixture->store);
  gtk_window_present (GTK_WINDOW (window));
  striae_test_spin (50);
  g_assert_null (g_type_class_peek (STRIAE_TYPE_LOCK_PAGE));

  page = striae_window_get_lock_page (window);
  g_assert_true (STRIAE_IS_LOCK_PAGE (page));
  g_assert_true (striae_window_get_lock_page (window) == page);
  striae_window_lock (window);
  g_assert_true (striae_window_get_locked (window));
  g_assert_true (gtk_widget_get_root (GTK_WIDGET (page)) == GTK_ROOT (window));

  gtk_window_destroy (GTK_WINDOW (window));
  striae_test_spin (50);
}

/* The keyboard shortcuts window is built when first asked for, not with every window of the
 * application (issue 15, start-up): a window of a started application has none until
 * win.show-help-overlay, which Ctrl+? still asks for, shows it over the window. */
static void
test_ui_help_overlay_when_asked (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(StriaeApplication) app = striae_application_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) accels = NULL;
  GtkShortcutsWindow *overlay;
  GLogLevelFlags fatal;
  StriaeWindow *window;

  g_application_set_application_id (G_APPLICATION (app),
                                     "io.github.striae.Striae.HelpOverlayTest");
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  window = striae_window_new (app, fixture->store);
  g_assert_true (gtk_window_get_application (GTK_WINDOW (window)) == GTK_APPLICATION (app));
  g_assert_null (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                  "win.show-help-overlay");
  g_assert_nonnull (accels);
  g_assert_cmpstr (accels[0], ==, "<Control>question");

  gtk_window_present (GTK_WINDOW (window));
  /* GTK 4.8's shortcuts window itself warns, as it is first sized, that one of its labels
   * measured a negative width ("GtkLabel … reported min width -3"): warnings are not fatal
   * while it is shown (GTK logs them structured, which g_test_log_set_fatal_handler() does
   * not see), and critical messages still are. */
  fatal = g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay",
                                             NULL));
  overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window));
  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (overlay));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (overlay)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (overlay)) == GTK_WINDOW (window));

  /* Closed and asked for again: the same window, shown again. */
  gtk_window_close (GTK_WINDOW (overlay));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (overlay)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay",
                                             NULL));
  g_assert_true (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)) ==
                 overlay);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (overlay)));

  /* Closed as a user closes it, some time before the window goes. */
  gtk_window_close (GTK_WINDOW (overlay));
  striae_test_spin (50);
  g_log_set_always_fatal (fatal);
  gtk_window_destroy (GTK_WINDOW (window));
  striae_test_spin (50);
}

/* Runs the built striae with no display at all and returns its exit status; on a database
 * file, as the test's administrator (tests/striae-test-cli.h). */
static int
run_cli_in (const char          *data_home,
            const char * const  *args,
            char               **out,
            char               **err)
{
  g_auto(GStrv) envp = g_get_environ ();

  envp = g_environ_unsetenv (envp, "DISPLAY");
  envp = g_environ_unsetenv (envp, "WAYLAND_DISPLAY");
  envp = g_environ_unsetenv (envp, "STRIAE_DATABASE");
  if (data_home != NULL)
    envp = g_environ_setenv (envp, "XDG_DATA_HOME", data_home, TRUE);

  return run_striae_env ((const char * const *) envp, NULL, args, out, err);
}

static int
run_cli (const char * const  *args,
         char               **out,
         char               **err)
{
  return run_cli_in (NULL, args, out, err);
}

static gint64
add_patient (StriaeStore *store,
             const char  *given,
             const char  *family,
             const char  *birth)
{
  g_autoptr(StriaePatient) patient = striae_patient_new ();
  g_autoptr(GError) error = NULL;

  striae_patient_set_given_name (patient, given);
  striae_patient_set_family_name (patient, family);
  striae_patient_set_birth_date (patient, striae_test_date (birth));
  g_assert_true (striae_store_add_patient (store, patient, &error));
  g_assert_no_error (error);

  return striae_patient_get_id (patient);
}

static int
min_width (GtkWidget *widget)
{
  int minimum;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  return minimum;
}

static gboolean
wizard_drawable (gpointer data)
{
  return gtk_widget_is_drawable (GTK_WIDGET (data));
}

/* The window works on a 360 px wide screen: the leaflet folds, the wizard's step strip gives
 * way to its drop-down, and no page, nor the sheet preview, asks for more than 360 px. */
static gboolean
leaflet_folded (gpointer data)
{
  return adw_leaflet_get_folded (child (data, STRIAE_TYPE_WINDOW, "leaflet"));
}

static void
test_ui_narrow (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.striae.Striae");
  g_autoptr(GError) error = NULL;
  gint64 id = add_patient (fixture->store, "Dana", "Whitfield", "1983-01-09");
  StriaeSheetPreview *preview;
  graphene_rect_t bounds;
  StriaeWindow *window;
  StriaeWizard *wizard;
  GtkWidget *next;
  guint pages = 1;

  g_settings_set_int (settings, "window-width", 360);
  g_settings_set_int (settings, "window-height", 640);
  window = striae_window_new (NULL, fixture->store);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (striae_window_show_patient (window, id, &error));
  g_assert_no_error (error);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (striae_window_get_patient_page (window)),
                                             "patient.new-consultation", NULL));
  wizard = striae_window_get_wizard (window);
  g_assert_nonnull (wizard);
  g_assert_true (striae_test_wait_for (wizard_drawable, wizard));
  striae_test_spin (100);

  /* The leaflet folds once the narrow window is laid out, which a slow build takes longer to
   * reach. */
  g_assert_true (striae_test_wait_for (leaflet_folded, window));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, 360);
  g_assert_cmpint (min_width (GTK_WIDGET (window)), <=, 360);
  g_assert_true (gtk_widget_get_child_visible (child (wizard, STRIAE_TYPE_WIZARD,
                                                      "steps_dropdown")));

  /* Every page in turn: each is measured on its own, so one wide page shows up here. */
  next = child (wizard, STRIAE_TYPE_WIZARD, "next_button");
  while (gtk_widget_get_visible (next))
    {
      const char *page = striae_wizard_get_page (wizard);

      g_test_message ("Page %s: the window needs %d px", page, min_width (GTK_WIDGET (window)));
      g_assert_cmpint (min_width (GTK_WIDGET (window)), <=, 360);
      g_assert_true (gtk_widget_get_mapped (next));
      g_assert_true (gtk_widget_is_sensitive (next));
      g_assert_true (gtk_widget_compute_bounds (next, GTK_WIDGET (window), &bounds));
      g_assert_cmpfloat (bounds.origin.x, >=, 0);
      g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=,
                         gtk_widget_get_width (GTK_WIDGET (window)));
      g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=,
                         gtk_widget_get_height (GTK_WIDGET (window)));

      gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.next", NULL);
      striae_test_spin (50);
      g_assert_cmpstr (striae_wizard_get_page (wizard), !=, page);
      pages++;
    }
  g_assert_cmpuint (pages, ==, 6);
  g_assert_cmpint (min_width (GTK_WIDGET (window)), <=, 360);

  preview = striae_sheet_preview_new (GTK_WINDOW (window), striae_wizard_get_patient (wizard),
                                      striae_wizard_get_consultation (wizard), "aftercare");
  striae_sheet_preview_set_store (preview, fixture->store);
  gtk_window_set_default_size (GTK_WINDOW (preview), 360, 640);
  gtk_window_present (GTK_WINDOW (preview));
  striae_test_spin (100);
  g_test_message ("The sheet preview needs %d px", min_width (GTK_WIDGET (preview)));
  g_assert_cmpint (min_width (GTK_WIDGET (preview)), <=, 360);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (preview)), <=, 360);
  gtk_window_destroy (GTK_WINDOW (preview));

  gtk_window_destroy (GTK_WINDOW (window));
  striae_test_spin (50);
}

static guint
count_audit_entries (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  gint64 n = 0;

  g_assert_true (striae_store_verify_audit (fixture->store, &n, NULL, &error));
  g_assert_no_error (error);
  return (guint) n;
}

static AdwMessageDialog *
find_message_dialog (void)
{
  g_autoptr(GList) windows = gtk_window_list_toplevels ();

  for (GList *l = windows; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

static gboolean
rules_saved (gpointer data)
{
  return !striae_rules_page_is_saving (data);
}

static StriaeRules *
stored_rules (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  StriaeRules *rules = striae_store_load_rules (fixture->store, &error);

  g_assert_no_error (error);
  return rules;
}

/* Preferences → Rules: a changed value is saved through the store (audited), its row says
 * "Changed" beside the default, and its reset button puts the default back; Reset All
 * resets everything; and the window still fits 360 px. */
static void
test_ui_preferences_rules (Fixture       *fixture,
                           gconstpointer  data)
{
  const char *level_key = "level.breastfeeding";
  const char *number_key = "course.severe.sessions";
  g_autoptr(StriaeRules) rules = NULL;
  StriaePreferences *preferences;
  StriaeRulesPage *page;
  GtkWidget *reset;
  guint audited;
  int plain_width;

  preferences = striae_preferences_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (preferences), 360, 640);
  gtk_window_present (GTK_WINDOW (preferences));
  striae_test_spin (200);
  plain_width = min_width (GTK_WIDGET (preferences));
  gtk_window_destroy (GTK_WINDOW (preferences));

  preferences = striae_preferences_new (NULL);
  striae_preferences_set_store (preferences, fixture->store);
  gtk_window_set_default_size (GTK_WINDOW (preferences), 360, 640);
  gtk_window_present (GTK_WINDOW (preferences));
  striae_test_spin (200);

  page = STRIAE_RULES_PAGE (striae_preferences_get_rules_page (preferences));
  g_assert_nonnull (page);
  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (preferences),
                                           ADW_PREFERENCES_PAGE (page));
  striae_test_spin (100);
  /* The page itself fits 360 px and widens the window no more than the clinic's page does
   * (libadwaita's preferences window asks for 370 px of its own, with or without it). */
  g_test_message ("The Rules page needs %d px, the window %d px, without the page %d px",
                  min_width (GTK_WIDGET (page)), min_width (GTK_WIDGET (preferences)),
                  plain_width);
  g_assert_cmpint (min_width (GTK_WIDGET (page)), <=, 360);
  g_assert_cmpint (min_width (GTK_WIDGET (preferences)), <=, plain_width);

  /* A row for every setting there is. */
  {
    g_auto(GStrv) keys = striae_rules_dup_keys ();

    for (guint i = 0; keys[i] != NULL; i++)
      {
        g_test_message ("row for %s", keys[i]);
        g_assert_nonnull (striae_rules_page_get_row (page, keys[i]));
        g_assert_nonnull (striae_rules_page_get_reset_button (page, keys[i]));
        g_assert_nonnull (gtk_widget_get_tooltip_text (
                            striae_rules_page_get_reset_button (page, keys[i])));
      }
  }

  /* Defaults: no mark, no reset, Reset All off. */
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (
                     striae_rules_page_get_row (page, level_key))), ==, "Default: Relative");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (
                     striae_rules_page_get_row (page, number_key))), ==, "Default: 6 sessions");
  g_assert_false (gtk_widget_get_visible (striae_rules_page_get_changed_mark (page, level_key)));
  g_assert_false (gtk_widget_is_sensitive (button_for_action (GTK_WIDGET (page),
                                                              "rules.reset-all")));
  audited = count_audit_entries (fixture);

  /* The level to absolute, as a person picks it in the combo row (first item). */
  adw_combo_row_set_selected (ADW_COMBO_ROW (striae_rules_page_get_editor (page, level_key)),
                              0);
  g_assert_true (striae_test_wait_for (rules_saved, page));
  rules = stored_rules (fixture);
  g_assert_cmpint (striae_rules_get_level (rules, STRIAE_CHECK_BREASTFEEDING), ==,
                   STRIAE_LEVEL_ABSOLUTE);
  g_clear_object (&rules);
  g_assert_cmpuint (count_audit_entries (fixture), ==, audited + 1);
  g_assert_true (gtk_widget_get_visible (striae_rules_page_get_changed_mark (page, level_key)));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (striae_rules_page_get_changed_mark (
                                          page, level_key))), ==, "Changed");
  g_assert_true (gtk_widget_is_sensitive (button_for_action (GTK_WIDGET (page),
                                                             "rules.reset-all")));

  /* A spin row. */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (striae_rules_page_get_editor (page, number_key)),
                             8);
  g_assert_true (striae_test_wait_for (rules_saved, page));
  rules = stored_rules (fixture);
  g_assert_cmpuint (striae_rules_get_sessions (rules, STRIAE_SEVERITY_SEVERE), ==, 8);
  g_clear_object (&rules);
  g_assert_true (gtk_widget_get_visible (striae_rules_page_get_changed_mark (page, number_key)));
  g_assert_cmpint (min_width (GTK_WIDGET (page)), <=, 360);
  g_assert_cmpint (min_width (GTK_WIDGET (preferences)), <=, plain_width);

  /* The row's reset button, which has an accessible name and runs the action. */
  reset = striae_rules_page_get_reset_button (page, level_key);
  g_assert_true (gtk_widget_get_visible (reset));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (reset), ==,
                   "Reset “Breastfeeding” to its default");
  g_assert_true (gtk_widget_activate (reset));
  /* A button clicks a moment after it is activated from the keyboard. */
  striae_test_spin (400);
  g_assert_true (striae_test_wait_for (rules_saved, page));
  rules = stored_rules (fixture);
  g_assert_cmpint (striae_rules_get_level (rules, STRIAE_CHECK_BREASTFEEDING), ==,
                   STRIAE_LEVEL_RELATIVE);
  g_clear_object (&rules);
  g_assert_false (gtk_widget_get_visible (striae_rules_page_get_changed_mark (page, level_key)));
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (
                      striae_rules_page_get_editor (page, level_key))), ==, 1);

  /* Reset All. */
  striae_rules_page_reset_all (page);
  g_assert_true (striae_test_wait_for (rules_saved, page));
  rules = stored_rules (fixture);
  g_assert_true (striae_rules_is_default (rules));
  g_clear_object (&rules);
  g_assert_false (gtk_widget_get_visible (striae_rules_page_get_changed_mark (page, number_key)));
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (
                       striae_rules_page_get_editor (page, number_key))), ==, 6);
  g_assert_false (gtk_widget_is_sensitive (button_for_action (GTK_WIDGET (page),
                                                              "rules.reset-all")));

  /* Lowering a level is confirmed: cancelled, nothing changes; confirmed, it is stored. */
  for (guint i = 0; i < 2; i++)
    {
      const char *response = i == 0 ? "cancel" : "lower";
      AdwComboRow *combo = ADW_COMBO_ROW (striae_rules_page_get_editor (page,
                                                                        "level.pregnancy"));
      AdwMessageDialog *dialog;

      adw_combo_row_set_selected (combo, 2);
      dialog = find_message_dialog ();
      g_assert_nonnull (dialog);
      g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Lower “Pregnancy”?");
      adw_message_dialog_response (dialog, response);
      gtk_window_destroy (GTK_WINDOW (dialog));
      g_assert_true (striae_test_wait_for (rules_saved, page));
      rules = stored_rules (fixture);
      g_assert_cmpint (striae_rules_get_level (rules, STRIAE_CHECK_PREGNANCY), ==,
                       i == 0 ? STRIAE_LEVEL_ABSOLUTE : STRIAE_LEVEL_OFF);
      g_clear_object (&rules);
      g_assert_cmpuint (adw_combo_row_get_selected (combo), ==, i == 0 ? 0 : 2);
    }
  striae_rules_page_reset_all (page);
  g_assert_true (striae_test_wait_for (rules_saved, page));

  /* A page opened later shows what is stored. */
  {
    g_autoptr(StriaeRules) changed = striae_rules_new ();
    StriaeRulesPage *other;

    striae_rules_set_isotretinoin_delay_months (changed, 3);
    g_assert_true (striae_store_save_rules (fixture->store, changed, NULL, NULL));
    other = g_object_ref_sink (striae_rules_page_new (fixture->store));
    g_assert_true (gtk_widget_get_visible (striae_rules_page_get_changed_mark (
                                             other, "isotretinoin-delay-months")));
    g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (
                         striae_rules_page_get_editor (other, "isotretinoin-delay-months"))),
                       ==, 3);
    g_object_unref (other);
  }

  /* A store that refuses the change (here: opened read-only): the page goes back to what is
   * stored. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(StriaeStore) read_only = NULL;
    StriaeRulesPage *other;

    read_only = striae_store_open_full (fixture->path, STRIAE_STORE_OPEN_FLAGS_READ_ONLY, &error);
    g_assert_no_error (error);
    other = g_object_ref_sink (striae_rules_page_new (read_only));
    g_assert_true (striae_rules_page_set_value (other, number_key, 9, &error));
    g_assert_no_error (error);
    g_assert_true (gtk_widget_get_visible (striae_rules_page_get_changed_mark (other,
                                                                               number_key)));
    g_test_expect_message ("Striae", G_LOG_LEVEL_WARNING, "*");
    g_assert_true (striae_test_wait_for (rules_saved, other));
    g_test_assert_expected_messages ();
    g_assert_false (gtk_widget_get_visible (striae_rules_page_get_changed_mark (other,
                                                                                number_key)));
    g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (
                         striae_rules_page_get_editor (other, number_key))), ==, 6);
    rules = stored_rules (fixture);
    g_assert_cmpuint (striae_rules_get_sessions (rules, STRIAE_SEVERITY_SEVERE), ==, 6);
    g_clear_object (&rules);

    /* Out of range: refused at once, with the key named. */
    g_assert_false (striae_rules_page_set_value (other, number_key, 99, &error));
    g_assert_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, number_key));
    g_object_unref (other);
  }

  /* Two changes in a row, then the window closes at once: the second waits for the first
   * and is saved all the same. */
  g_object_ref (page);
  g_assert_true (striae_rules_page_set_value (page, number_key, 7, NULL));
  g_assert_true (striae_rules_page_set_value (page, "isotretinoin-delay-months", 4, NULL));
  g_assert_true (striae_rules_page_is_saving (page));
  gtk_window_destroy (GTK_WINDOW (preferences));
  g_assert_true (striae_test_wait_for (rules_saved, page));
  g_object_unref (page);
  rules = stored_rules (fixture);
  g_assert_cmpuint (striae_rules_get_sessions (rules, STRIAE_SEVERITY_SEVERE), ==, 7);
  g_assert_cmpuint (striae_rules_get_isotretinoin_delay_months (rules), ==, 4);
  g_clear_object (&rules);
  striae_test_spin (50);
}

static void
test_cli_list (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *expected = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *letter = g_build_filename (fixture->dir, "letter.txt", NULL);
  g_autofree char *missing = g_build_filename (fixture->dir, "missing.db", NULL);
  g_autofree char *striae_default = g_build_filename (fixture->dir, "striae", NULL);
  gint64 okafor, nowak;

  okafor = add_patient (fixture->store, "Amara", "Okafor", "1985-04-23");
  nowak = add_patient (fixture->store, "Zoë", "Nowak", "1990-05-12");

  /* Everyone, by family name. */
  g_assert_cmpint (run_cli ((const char *[]) { "--list", "--database", fixture->path, NULL },
                            &out, &err), ==, 0);
  expected = g_strdup_printf ("%" G_GINT64_FORMAT "\tNowak\tZoë\t1990-05-12\n"
                              "%" G_GINT64_FORMAT "\tOkafor\tAmara\t1985-04-23\n",
                              nowak, okafor);
  g_assert_cmpstr (out, ==, expected);
  g_assert_cmpstr (err, ==, "");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&expected, g_free);

  g_assert_cmpint (run_cli ((const char *[]) { "--database", fixture->path, "--list",
                                               "--search", "okaf", NULL },
                            &out, &err), ==, 0);
  expected = g_strdup_printf ("%" G_GINT64_FORMAT "\tOkafor\tAmara\t1985-04-23\n", okafor);
  g_assert_cmpstr (out, ==, expected);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli ((const char *[]) { "--database", fixture->path, "--list",
                                               "--search", "nobody", NULL },
                            &out, &err), ==, 0);
  g_assert_cmpstr (out, ==, "");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A file that is not a database: exit 1, a sentence on stderr, nothing on stdout. */
  g_assert_true (g_file_set_contents (letter, "Not a database.\n", -1, NULL));
  g_assert_cmpint (run_cli ((const char *[]) { "--list", "--database", letter, NULL },
                            &out, &err), ==, 1);
  g_assert_cmpstr (out, ==, "");
  g_assert_true (g_str_has_prefix (err, "striae: "));
  g_assert_nonnull (strstr (err, "not a Striae database"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A database named on the command line that does not exist is an error, not created. */
  g_assert_cmpint (run_cli ((const char *[]) { "--list", "--database", missing, NULL },
                            &out, &err), ==, 1);
  g_assert_cmpstr (out, ==, "");
  g_assert_cmpstr (err, !=, "");
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli ((const char *[]) { "--search", "x", NULL }, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "--list"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli ((const char *[]) { "--version", NULL }, &out, &err), ==, 0);
  g_assert_true (g_str_has_prefix (out, "striae "));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* On a computer where Striae never ran there are no patients to list, and listing them
   * creates nothing. */
  g_assert_cmpint (run_cli_in (fixture->dir, (const char *[]) { "--list", NULL }, &out, &err),
                   ==, 0);
  g_assert_cmpstr (out, ==, "");
  g_assert_cmpstr (err, ==, "");
  g_assert_false (g_file_test (striae_default, G_FILE_TEST_EXISTS));
  g_remove (letter);
}

/* Imports @file into the fixture's database from the command line, another process, after
 * replacing @from with @to in the file exported from it. */
static void
import_changed_rules (Fixture    *fixture,
                      const char *from,
                      const char *to)
{
  g_autofree char *file = g_build_filename (fixture->dir, "rules.json", NULL);
  g_autofree char *json = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GString) changed = NULL;
  g_autoptr(GError) error = NULL;

  g_remove (file);
  g_assert_cmpint (run_cli ((const char *[]) { "--database", fixture->path, "--rules-export",
                                               file, NULL }, &out, &err), ==, 0);
  g_assert_true (g_file_get_contents (file, &json, NULL, &error));
  g_assert_no_error (error);
  changed = g_string_new (json);
  g_assert_cmpuint (g_string_replace (changed, from, to, 1), ==, 1);
  g_assert_true (g_file_set_contents (file, changed->str, -1, &error));
  g_assert_no_error (error);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli ((const char *[]) { "--database", fixture->path, "--rules-import",
                                               file, NULL }, &out, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
}

/* Rules imported from the command line while Preferences → Rules is open: the page shows
 * them when it is shown again, and a change made on a page that has not noticed them yet
 * is made to the imported rules instead of putting the old ones back. */
static void
test_ui_preferences_rules_elsewhere (Fixture       *fixture,
                                     gconstpointer  data)
{
  const char *level_key = "level.breastfeeding";
  const char *number_key = "course.severe.sessions";
  g_autoptr(StriaeRules) rules = NULL;
  g_autoptr(GError) error = NULL;
  StriaePreferences *preferences;
  StriaeRulesPage *page;
  GtkWidget *clinic_page;

  preferences = striae_preferences_new (NULL);
  striae_preferences_set_store (preferences, fixture->store);
  gtk_window_present (GTK_WINDOW (preferences));
  clinic_page = GTK_WIDGET (adw_preferences_window_get_visible_page (
                              ADW_PREFERENCES_WINDOW (preferences)));
  page = STRIAE_RULES_PAGE (striae_preferences_get_rules_page (preferences));
  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (preferences),
                                           ADW_PREFERENCES_PAGE (page));
  striae_test_spin (200);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (
                      striae_rules_page_get_editor (page, level_key))), ==, 1);

  /* Imported while the page shows; seen when it is shown again. */
  import_changed_rules (fixture, "\"breastfeeding\" : \"relative\"",
                        "\"breastfeeding\" : \"absolute\"");
  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (preferences),
                                           ADW_PREFERENCES_PAGE (clinic_page));
  striae_test_spin (100);
  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (preferences),
                                           ADW_PREFERENCES_PAGE (page));
  striae_test_spin (100);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (
                      striae_rules_page_get_editor (page, level_key))), ==, 0);
  g_assert_true (gtk_widget_get_visible (striae_rules_page_get_changed_mark (page, level_key)));

  /* Imported again, not seen yet (the page stayed shown): a change on the page keeps it. */
  import_changed_rules (fixture, "\"course.severe.sessions\" : 6",
                        "\"course.severe.sessions\" : 9");
  g_assert_true (striae_rules_page_set_value (page, level_key, STRIAE_LEVEL_OFF, &error));
  g_assert_no_error (error);
  g_assert_true (striae_test_wait_for (rules_saved, page));
  rules = stored_rules (fixture);
  g_assert_cmpint (striae_rules_get_level (rules, STRIAE_CHECK_BREASTFEEDING), ==,
                   STRIAE_LEVEL_OFF);
  g_assert_cmpuint (striae_rules_get_sessions (rules, STRIAE_SEVERITY_SEVERE), ==, 9);
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (
                       striae_rules_page_get_editor (page, number_key))), ==, 9);

  gtk_window_destroy (GTK_WINDOW (preferences));
}

/* A long sentence in a toast is shown whole, on several lines, and the toast stays inside a
 * narrow window (libadwaita 1.2 ended its one line with "…"). */
static GtkWidget *
find_css_name (GtkWidget  *widget,
               const char *name)
{
  if (g_strcmp0 (gtk_widget_get_css_name (widget), name) == 0)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_css_name (c, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_ui_toast (void)
{
  const char *text = "The records on the clinic server are now in use, but the password could "
                     "not be kept in the keyring: Striae will ask for it at the next start.";
  const int widths[] = { 360, 1000 };

  for (guint i = 0; i < G_N_ELEMENTS (widths); i++)
    {
      GtkWidget *window = gtk_window_new ();
      GtkWidget *overlay = adw_toast_overlay_new ();
      AdwToast *toast;
      GtkWidget *shown;
      GtkWidget *label;
      graphene_rect_t bounds;
      int min_height;

      gtk_window_set_default_size (GTK_WINDOW (window), widths[i], 400);
      gtk_window_set_child (GTK_WINDOW (window), overlay);
      adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), gtk_label_new (""));
      gtk_window_present (GTK_WINDOW (window));
      striae_test_spin (300);

      toast = striae_toast_new (overlay, text);
      label = adw_toast_get_custom_title (toast);
      g_assert_true (GTK_IS_LABEL (label));
      g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (label)), ==, text);
      g_assert_true (gtk_label_get_wrap (GTK_LABEL (label)));
      g_assert_cmpint (gtk_label_get_ellipsize (GTK_LABEL (label)), ==, PANGO_ELLIPSIZE_NONE);
      /* A long sentence stays long enough to be read. */
      g_assert_cmpuint (adw_toast_get_timeout (toast), >=, 10);
      adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
      striae_test_spin (800);

      shown = find_css_name (overlay, "toast");
      g_assert_nonnull (shown);
      g_assert_true (gtk_widget_compute_bounds (shown, overlay, &bounds));
      g_test_message ("window %d: toast %.0f px wide, %.0f high", widths[i], bounds.size.width,
                      bounds.size.height);
      g_assert_cmpfloat (bounds.origin.x, >=, 0);
      g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=,
                         gtk_widget_get_width (overlay));
      /* The label got the height its lines need at the width it got. */
      gtk_widget_measure (label, GTK_ORIENTATION_VERTICAL, gtk_widget_get_width (label),
                          &min_height, NULL, NULL, NULL);
      g_assert_cmpint (gtk_widget_get_height (label), >=, min_height);
      g_assert_cmpint (min_height, >, 0);
      gtk_window_destroy (GTK_WINDOW (window));
    }
}

/* `striae --user NAME` opens the window signed in: the password from standard input, the
 * sign-in audited in the account's name; a wrong one says so and leaves the sign-in page
 * (the first frame still comes); a clinic server's address refuses --user. */
static int
run_window (const char  *database,
            const char  *input,
            char       **err)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  g_subprocess_launcher_setenv (launcher, "STRIAE_EXIT_AFTER_FIRST_FRAME", "1", TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("STRIAE_APP_BINARY"),
                                         "--database", database, "--user", "boss", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input, NULL, NULL, err, &error);
  g_assert_no_error (error);
  g_test_message ("striae --user boss → %s", *err);
  return g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
}

static void
test_ui_start_signed_in (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *fresh = g_build_filename (fixture->dir, "signed-in.db", NULL);
  g_autofree char *err = NULL;
  const char *sign_ins = "SELECT count (*) FROM audit WHERE action = 'sign-in'"
                         "  AND actor = 'account:boss'";
  const char *failures = "SELECT count (*) FROM audit WHERE action = 'sign-in-failed'";

  g_autofree char *out = NULL;

  g_assert_cmpint (run_striae_as ("a long password\n", &out, &err, "--database", fresh,
                                  "--init", "--user", "boss", NULL), ==, 0);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (striae_test_store_query_int (fresh, sign_ins), ==, 0);

  g_assert_cmpint (run_window (fresh, "a long password\n", &err), ==, 0);
  g_assert_nonnull (strstr (err, "first frame"));
  g_assert_cmpint (striae_test_store_query_int (fresh, sign_ins), ==, 1);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_window (fresh, "not the password\n", &err), ==, 0);
  g_assert_nonnull (strstr (err, "password is wrong"));
  g_assert_nonnull (strstr (err, "first frame"));
  g_assert_cmpint (striae_test_store_query_int (fresh, sign_ins), ==, 1);
  g_assert_cmpint (striae_test_store_query_int (fresh, failures), ==, 1);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_window (fresh, "", &err), ==, 1);
  g_assert_nonnull (strstr (err, "No password was given"));
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_window ("postgresql://boss@localhost/striae", "a long password\n",
                               &err), ==, 1);
  g_assert_nonnull (strstr (err, "leave out --user"));
}

/* What the window's first frame with the register shows (issue 15): an empty register's
 * first-run page at once, not crossfading in from an empty list after the load; a register
 * with patients no more rows than its first page, the screen's, the next page coming after
 * that frame. */
typedef struct
{
  StriaeWindow *window;
  gboolean      painted;
  gboolean      fading;   /* the first-run page was still crossfading in */
  guint         n_rows;   /* rows the list view had made */
  guint         n_shown;  /* of those, the rows on screen */
} FirstFrame;

static void
first_frame_after_paint_cb (GdkFrameClock *clock,
                            FirstFrame    *frame)
{
  GtkStack *stack = child (frame->window, STRIAE_TYPE_WINDOW, "main_stack");
  GtkWidget *list = child (frame->window, STRIAE_TYPE_WINDOW, "list_view");
  GtkWidget *row = gtk_widget_get_first_child (list);

  if (frame->painted)
    return;

  if (g_strcmp0 (gtk_stack_get_visible_child_name (stack), "empty") == 0)
    {
      frame->painted = TRUE;
      frame->fading = gtk_stack_get_transition_running (stack);
    }
  else if (row != NULL && gtk_widget_get_mapped (row))
    {
      frame->painted = TRUE;
      for (; row != NULL; row = gtk_widget_get_next_sibling (row))
        {
          frame->n_rows++;
          if (gtk_widget_get_mapped (row))
            frame->n_shown++;
        }
    }
}

static gboolean
first_frame_painted (gpointer data)
{
  return ((FirstFrame *) data)->painted;
}

static void
test_ui_first_frame (Fixture       *fixture,
                     gconstpointer  data)
{
  guint n_patients = GPOINTER_TO_UINT (data);
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  FirstFrame frame = { 0 };

  for (guint i = 0; i < n_patients; i++)
    {
      StriaePatient *patient = striae_patient_new ();
      g_autofree char *given = g_strdup_printf ("Given%03u", i);
      GDate born;

      striae_patient_set_given_name (patient, given);

      g_date_clear (&born, 1);
      g_date_set_dmy (&born, 2, 4, 1991);
      striae_patient_set_family_name (patient, "Moreau");
      striae_patient_set_birth_date (patient, &born);
      g_ptr_array_add (batch, patient);
    }
  if (n_patients > 0)
    g_assert_true (striae_store_add_patients (fixture->store, batch, &error));
  g_assert_no_error (error);

  frame.window = striae_window_new (NULL, fixture->store);
  gtk_widget_realize (GTK_WIDGET (frame.window));
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (frame.window)), "after-paint",
                    G_CALLBACK (first_frame_after_paint_cb), &frame);
  gtk_window_present (GTK_WINDOW (frame.window));
  g_assert_true (striae_test_wait_for (first_frame_painted, &frame));

  g_test_message ("first frame with the register: %u rows, %u on screen, %s",
                  frame.n_rows, frame.n_shown, frame.fading ? "fading in" : "still");
  g_assert_false (frame.fading);
  if (n_patients == 0)
    g_assert_cmpuint (frame.n_rows, ==, 0);
  else
    {
      g_assert_cmpuint (frame.n_rows, >, 0);
      g_assert_cmpuint (frame.n_rows, <=, STRIAE_PATIENT_LIST_FIRST_PAGE_SIZE);
      /* The first page is what the window's height can show (700 px by default): more rows
       * than the frame shows, so that its list is full, but not many more. */
      g_assert_cmpuint (frame.n_rows, >, frame.n_shown);
      g_assert_cmpuint (frame.n_rows, ==, striae_patient_list_get_first_page_size (
                          STRIAE_PATIENT_LIST (striae_window_get_patients (frame.window))));
      g_assert_cmpuint (frame.n_rows, <=, 700 / 24 + 2);
    }

  g_signal_handlers_disconnect_by_data (gtk_widget_get_frame_clock (GTK_WIDGET (frame.window)),
                                        &frame);
  gtk_window_destroy (GTK_WINDOW (frame.window));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD_TEST(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD_TEST ("/ui/templates", test_ui_templates);
  ADD_TEST ("/ui/patient-flow", test_ui_patient_flow);
  ADD_TEST ("/ui/editor-validation", test_ui_editor_validation);
  ADD_TEST ("/ui/editor-tab-order", test_ui_editor_tab_order);
  ADD_TEST ("/ui/row-and-page", test_ui_row_and_page);
  ADD_TEST ("/ui/window-size", test_ui_window_size);
  ADD_TEST ("/ui/server-gone", test_ui_server_gone);
  ADD_TEST ("/ui/narrow", test_ui_narrow);
  ADD_TEST ("/ui/help-and-preferences", test_ui_help_and_preferences);
  ADD_TEST ("/ui/help-overlay-when-asked", test_ui_help_overlay_when_asked);
  ADD_TEST ("/ui/lock-page-when-asked", test_ui_lock_page_when_asked);
  ADD_TEST ("/ui/patient-page-when-shown", test_ui_patient_page_when_shown);
  ADD_TEST ("/ui/stacks-measure-shown", test_ui_stacks_measure_shown);
  ADD_TEST ("/ui/preferences-rules", test_ui_preferences_rules);
  ADD_TEST ("/ui/preferences-rules-elsewhere", test_ui_preferences_rules_elsewhere);
  ADD_TEST ("/ui/cli-list", test_cli_list);
  ADD_TEST ("/ui/start-signed-in", test_ui_start_signed_in);
  g_test_add ("/ui/first-frame-empty", Fixture, GUINT_TO_POINTER (0), fixture_set_up,
              test_ui_first_frame, fixture_tear_down);
  g_test_add ("/ui/first-frame-100", Fixture, GUINT_TO_POINTER (100), fixture_set_up,
              test_ui_first_frame, fixture_tear_down);
  g_test_add_func ("/ui/open-error", test_ui_open_error);
  g_test_add_func ("/ui/quit-closes-records", test_ui_quit_closes_records);
  g_test_add_func ("/ui/toast", test_ui_toast);

#undef ADD_TEST

  return g_test_run ();
}
