/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>

#include "striae-patient.h"
#include "striae-sheet-preview.h"
#include "striae-store.h"
#include "striae-window.h"
#include "striae-wizard-answer.h"
#include "striae-test-date.h"

/* The interface follows the desktop's language: started with LANGUAGE=de, the window, its
 * templates and the messages of the core speak German. */

static char *db_dir;

static gboolean
find_status_page_title (GtkWidget  *widget,
                        const char *title)
{
  if (ADW_IS_STATUS_PAGE (widget) &&
      g_strcmp0 (adw_status_page_get_title (ADW_STATUS_PAGE (widget)), title) == 0)
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (find_status_page_title (child, title))
      return TRUE;

  return FALSE;
}

static gboolean
find_search_placeholder (GtkWidget  *widget,
                         const char *text)
{
  if (GTK_IS_SEARCH_ENTRY (widget))
    {
      g_autofree char *placeholder = NULL;

      g_object_get (widget, "placeholder-text", &placeholder, NULL);
      if (g_strcmp0 (placeholder, text) == 0)
        return TRUE;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (find_search_placeholder (child, text))
      return TRUE;

  return FALSE;
}

static void
test_i18n_window_in_german (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (db_dir, "striae.db", NULL);
  g_autoptr(StriaeStore) store = striae_store_open (path, &error);
  StriaeWindow *window;

  g_assert_no_error (error);
  window = striae_window_new (NULL, store);
  gtk_window_present (GTK_WINDOW (window));

  g_assert_true (find_status_page_title (GTK_WIDGET (window), "Noch keine Patienten"));
  g_assert_false (find_status_page_title (GTK_WIDGET (window), "No Patients Yet"));
  g_assert_true (find_search_placeholder (GTK_WIDGET (window), "Patienten suchen"));
  g_assert_false (find_search_placeholder (GTK_WIDGET (window), "Search patients"));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_i18n_core_messages_in_german (void)
{
  g_autoptr(StriaePatient) patient = striae_patient_new ();
  g_autoptr(GError) error = NULL;

  g_assert_false (striae_patient_check_field (patient, STRIAE_PATIENT_FIELD_GIVEN_NAME,
                                              NULL, &error));
  g_assert_nonnull (error);
  g_test_message ("German message: %s", error->message);
  g_assert_null (strstr (error->message, "required"));
  g_assert_nonnull (strstr (error->message, "Vorname"));
}

static gboolean
send_key (GtkWidget *widget,
          guint      keyval)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (controller))
        g_signal_emit_by_name (controller, "key-pressed", keyval, 0, 0, &handled);
    }

  return handled;
}

/* Ja, Nein, Unbekannt: J answers yes as well as Y; N and U keep their meaning. */
static void
test_i18n_answer_keys_in_german (void)
{
  g_autoptr(StriaeWizardAnswer) answer =
    g_object_ref_sink (STRIAE_WIZARD_ANSWER (striae_wizard_answer_new ()));

  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (striae_wizard_answer_get_button (
                     answer, STRIAE_ANSWER_YES))), ==, "Ja");
  g_assert_true (send_key (GTK_WIDGET (answer), GDK_KEY_j));
  g_assert_cmpint (striae_wizard_answer_get_answer (answer), ==, STRIAE_ANSWER_YES);
  g_assert_true (send_key (GTK_WIDGET (answer), GDK_KEY_n));
  g_assert_cmpint (striae_wizard_answer_get_answer (answer), ==, STRIAE_ANSWER_NO);
  g_assert_true (send_key (GTK_WIDGET (answer), GDK_KEY_Y));
  g_assert_cmpint (striae_wizard_answer_get_answer (answer), ==, STRIAE_ANSWER_YES);
  g_assert_true (send_key (GTK_WIDGET (answer), GDK_KEY_u));
  g_assert_cmpint (striae_wizard_answer_get_answer (answer), ==, STRIAE_ANSWER_UNKNOWN);
  g_assert_false (send_key (GTK_WIDGET (answer), GDK_KEY_o));
}

/* Buttons under @widget that show a text label, and choices (drop-down labels) that are
 * cut. */
static void
count_labels (GtkWidget *widget,
              guint     *labelled,
              guint     *cut)
{
  if (GTK_IS_BUTTON (widget) && gtk_button_get_label (GTK_BUTTON (widget)) != NULL)
    (*labelled)++;
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      gtk_widget_get_ancestor (widget, GTK_TYPE_DROP_DOWN) != NULL &&
      pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (widget))))
    (*cut)++;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    count_labels (c, labelled, cut);
}

static GtkWidget *
find_header_bar (GtkWidget *widget)
{
  if (ADW_IS_HEADER_BAR (widget))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_header_bar (c);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* [issue 12] The preview's header is the same in German as in English (icons, no labels
 * that come and go with the width of the words), its choices are not cut at 360 px, and the
 * languages are named in themselves, not in German. */
static void
test_i18n_preview_in_german (void)
{
  g_autoptr(StriaePatient) patient = striae_patient_new ();
  g_autoptr(StriaeConsultation) consultation = striae_consultation_new ();
  StriaeSheetPreview *preview;
  GtkWidget *header;
  GListModel *languages;
  gboolean deutsch = FALSE;
  guint labelled = 0, cut = 0;

  striae_patient_set_given_name (patient, "Birgit");
  striae_patient_set_family_name (patient, "Sommer");
  striae_patient_set_birth_date (patient, striae_test_date ("1987-11-02"));
  preview = striae_sheet_preview_new (NULL, patient, consultation, "pre");
  gtk_window_set_default_size (GTK_WINDOW (preview), 360, 640);
  gtk_window_present (GTK_WINDOW (preview));
  for (int i = 0; i < 40; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5000);
    }

  header = find_header_bar (GTK_WIDGET (preview));
  g_assert_nonnull (header);
  count_labels (header, &labelled, &cut);
  g_assert_cmpuint (labelled, ==, 0);
  labelled = cut = 0;
  count_labels (GTK_WIDGET (preview), &labelled, &cut);
  g_assert_cmpuint (cut, ==, 0);

  languages = gtk_drop_down_get_model (GTK_DROP_DOWN (gtk_widget_get_template_child (
                                         GTK_WIDGET (preview), STRIAE_TYPE_SHEET_PREVIEW,
                                         "language_dropdown")));
  for (guint i = 0; i < g_list_model_get_n_items (languages); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (languages, i);

      deutsch |= g_strcmp0 (gtk_string_object_get_string (item), "Deutsch") == 0;
      g_assert_cmpstr (gtk_string_object_get_string (item), !=, "Englisch");
    }
  g_assert_true (deutsch);

  gtk_window_destroy (GTK_WINDOW (preview));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *localedir = NULL;
  int status;

  /* As the desktop would set it, before anything reads the locale. */
  g_setenv ("LANGUAGE", "de", TRUE);
  setlocale (LC_ALL, "");
  localedir = g_build_filename (g_getenv ("STRIAE_BUILD_ROOT"), "po", NULL);
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  db_dir = g_dir_make_tmp ("striae-i18n-XXXXXX", NULL);
  g_assert_nonnull (db_dir);

  g_test_add_func ("/i18n/window-in-german", test_i18n_window_in_german);
  g_test_add_func ("/i18n/core-messages-in-german", test_i18n_core_messages_in_german);
  g_test_add_func ("/i18n/answer-keys-in-german", test_i18n_answer_keys_in_german);
  g_test_add_func ("/i18n/preview-in-german", test_i18n_preview_in_german);

  status = g_test_run ();

  for (guint i = 0; i < 3; i++)
    {
      static const char *names[] = { "striae.db", "striae.db-wal", "striae.db-shm" };
      g_autofree char *file = g_build_filename (db_dir, names[i], NULL);

      g_remove (file);
    }
  g_rmdir (db_dir);
  g_free (db_dir);
  return status;
}
