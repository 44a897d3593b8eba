/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <adwaita.h>
#include <gdk/x11/gdkx.h>
#include <glib/gstdio.h>
#include <string.h>

#include "striae-patient-editor.h"
#include "striae-store.h"
#include "striae-test-files.h"
#include "striae-test-window.h"
#include "striae-window.h"
#include "striae-wizard-answer.h"
#include "striae-test-date.h"

/* A whole consultation by keyboard alone (issue 12): the patient found through the search,
 * a new consultation, every history and skin question answered "No", skin type III, one
 * stretch-mark area, the plan, and the sign-off, with real key presses (xdotool, through the
 * X server, as a person's keyboard) into the main window. Every key is counted and the count
 * must stay under a ceiling; the store must then hold the consultation signed with those
 * answers. The test reads where the focus is from GTK itself (GTK 4.8 tells the accessibility
 * bus of no focus in entry rows), never moves it.
 *
 * Built with -DSTRIAE_WALK_BEFORE_ISSUE_12, the same walk measures the interface of before
 * issue 12 (three answer buttons a question, each a Tab stop; no shortcut for New
 * Consultation, drop-down rows chosen by opening their list): 214 keys on commit 754b190
 * (141 of them Tab), the walk below 102. */

/* Less than half of what the same walk took before issue 12. */
#define CEILING 106

typedef struct
{
  char         *dir;
  StriaeStore  *store;
  gint64        patient_id;
  GtkWindow    *window;
  guint         tabs;
  guint         typed;
  guint         other;
} Walk;

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  gboolean *done = data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *done = TRUE;
}

/* Runs xdotool with @argv while the main loop keeps turning, so that the window receives
 * what it sends. */
static void
xdotool (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_NONE, &error);
  gboolean done = FALSE;

  g_assert_no_error (error);
  g_subprocess_wait_async (process, NULL, done_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_subprocess_get_successful (process));
  striae_test_spin (150);
}

static GtkWidget  *focus     (Walk *walk);
static const char *focus_row (Walk *walk);

static void
key (Walk       *walk,
     const char *name)
{
  if (strcmp (name, "Tab") == 0)
    walk->tabs++;
  else
    walk->other++;
  xdotool ((const char *[]) { "xdotool", "key", "--clearmodifiers", name, NULL });
  if (g_getenv ("STRIAE_WALK_DEBUG") != NULL)
    g_test_message ("%s: focus %s in \"%s\"", name,
                    focus (walk) != NULL ? G_OBJECT_TYPE_NAME (focus (walk)) : "none",
                    focus_row (walk));
}

static void
type_text (Walk       *walk,
           const char *text)
{
  walk->typed += g_utf8_strlen (text, -1);
  xdotool ((const char *[]) { "xdotool", "type", "--delay", "30", text, NULL });
}

static GtkWidget *
focus (Walk *walk)
{
  return gtk_root_get_focus (GTK_ROOT (walk->window));
}

/* The title of the row the focus is in, or "". */
static const char *
focus_row (Walk *walk)
{
  GtkWidget *widget = focus (walk);
  GtkWidget *row = widget != NULL ? gtk_widget_get_ancestor (widget, ADW_TYPE_PREFERENCES_ROW)
                                  : NULL;

  return row != NULL ? adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)) : "";
}

/* The label of the button with the focus, without its mnemonic, or "". */
static char *
dup_focus_button (Walk *walk)
{
  GtkWidget *widget = focus (walk);
  const char *label;
  g_autoptr(GString) plain = NULL;

  if (!GTK_IS_BUTTON (widget) || GTK_IS_CHECK_BUTTON (widget))
    return g_strdup ("");
  label = gtk_button_get_label (GTK_BUTTON (widget));
  plain = g_string_new (label != NULL ? label : "");
  g_string_replace (plain, "_", "", 0);
  return g_string_free (g_steal_pointer (&plain), FALSE);
}

static gboolean
on_row (Walk       *walk,
        const char *title)
{
  return g_strcmp0 (focus_row (walk), title) == 0;
}

static gboolean
on_button (Walk       *walk,
           const char *label)
{
  g_autofree char *shown = dup_focus_button (walk);

  return g_strcmp0 (shown, label) == 0;
}

static gboolean
holds_answer (GtkWidget *widget)
{
  if (STRIAE_IS_WIZARD_ANSWER (widget))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (holds_answer (child))
      return TRUE;
  return FALSE;
}

/* The focus is on a yes/no question: its answer control, or its row (a Tab stop of its own
 * before issue 12). */
static gboolean
on_answer (Walk *walk)
{
  GtkWidget *widget = focus (walk);

  if (widget == NULL)
    return FALSE;
  if (gtk_widget_get_ancestor (widget, STRIAE_TYPE_WIZARD_ANSWER) != NULL)
    return TRUE;
  return ADW_IS_ACTION_ROW (widget) && holds_answer (widget);
}

/* Tab until the focus is in the row titled @row, or on the button labelled @button. */
static void
tab_to (Walk       *walk,
        const char *row,
        const char *button)
{
  for (guint i = 0; i < 80; i++)
    {
      if ((row != NULL && on_row (walk, row)) || (button != NULL && on_button (walk, button)))
        return;
      key (walk, "Tab");
    }
  g_error ("Tab did not reach %s in 80 presses", row != NULL ? row : button);
}

/* Answers "No" to each yes/no question from the one with the focus on. */
static guint
answer_no (Walk *walk)
{
  guint n = 0;

#ifdef STRIAE_WALK_BEFORE_ISSUE_12
  /* Three buttons a question, each a Tab stop: Tab to "No", Space. */
  while (on_answer (walk))
    {
      if (on_button (walk, "No"))
        {
          key (walk, "space");
          n++;
        }
      key (walk, "Tab");
    }
#else
  /* One stop a question: N answers it, Tab goes on to the next one. */
  while (on_answer (walk))
    {
      key (walk, "n");
      n++;
      key (walk, "Tab");
    }
#endif
  return n;
}

/* Takes the entry after the one shown in the drop-down row @title. */
static void
choose_next (Walk       *walk,
             const char *title)
{
#ifndef STRIAE_WALK_BEFORE_ISSUE_12
  AdwComboRow *row;
  GListModel *model;
  guint target;
  g_autoptr(GObject) item = NULL;
  g_autofree char *letter = NULL;
#endif

  tab_to (walk, title, NULL);
#ifdef STRIAE_WALK_BEFORE_ISSUE_12
  /* Open the list, move, choose. */
  key (walk, "space");
  striae_test_spin (300);
  key (walk, "Down");
  key (walk, "Return");
  striae_test_spin (300);
#else
  /* The first letter of the entry chooses it (again for the next with the same letter). */
  row = ADW_COMBO_ROW (focus (walk));
  model = adw_combo_row_get_model (row);
  target = adw_combo_row_get_selected (row) + 1;
  g_assert_cmpuint (target, <, g_list_model_get_n_items (model));
  item = g_list_model_get_item (model, target);
  letter = g_utf8_strdown (gtk_string_object_get_string (GTK_STRING_OBJECT (item)), 1);
  for (guint i = 0; i < 5 && adw_combo_row_get_selected (row) != target; i++)
    key (walk, letter);
  g_assert_cmpuint (adw_combo_row_get_selected (row), ==, target);
#endif
}

static void
next_step (Walk *walk)
{
  key (walk, "alt+Next");
  striae_test_spin (300);
}

static void
walk_set_up (Walk *walk)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StriaePatient) patient = striae_patient_new ();
  g_autofree char *database = NULL;
  GtkEventController *shortcuts;

  walk->dir = g_dir_make_tmp ("striae-walk-XXXXXX", &error);
  g_assert_no_error (error);
  database = g_build_filename (walk->dir, "striae.db", NULL);
  walk->store = striae_store_open (database, &error);
  g_assert_no_error (error);
  striae_patient_set_given_name (patient, "Ada");
  striae_patient_set_family_name (patient, "Quill");
  striae_patient_set_birth_date (patient, striae_test_date ("1990-04-12"));
  g_assert_true (striae_store_add_patient (walk->store, patient, &error));
  g_assert_no_error (error);
  walk->patient_id = striae_patient_get_id (patient);

  walk->window = GTK_WINDOW (striae_window_new (NULL, walk->store));
  /* The application's accelerator for the search (Ctrl+F, app.search, which forwards to the
   * window's win.search), for a window made here without the application. */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_shortcut_trigger_parse_string (
                                                            "<Primary>f"),
                                                          gtk_named_action_new ("win.search")));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_shortcut_trigger_parse_string (
                                                            "<Primary>n"),
                                                          gtk_named_action_new (
                                                            "win.new-patient")));
  gtk_widget_add_controller (GTK_WIDGET (walk->window), shortcuts);
  gtk_window_set_title (walk->window, "Striae keyboard walk");
  gtk_window_set_default_size (walk->window, 1000, 760);
  gtk_window_present (walk->window);
  striae_test_spin (800);
}

static void
focus_window (Walk *walk)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (walk->window));
  g_autofree char *xid = NULL;

  g_assert_true (GDK_IS_X11_SURFACE (surface));
  xid = g_strdup_printf ("%lu", (unsigned long) gdk_x11_surface_get_xid (surface));
  xdotool ((const char *[]) { "xdotool", "windowfocus", "--sync", xid, NULL });
}

static void
walk_consultation (Walk *walk)
{
  guint questions, facts;

  /* 1. The patient: search, open, new consultation. */
  key (walk, "ctrl+f");
  type_text (walk, "Quill");
  key (walk, "Return");
  striae_test_spin (300);
#ifdef STRIAE_WALK_BEFORE_ISSUE_12
  tab_to (walk, NULL, "New Consultation");
  key (walk, "space");
#else
  key (walk, "ctrl+shift+n");
  /* The wizard opens with the focus on its first field. */
  g_assert_cmpstr (focus_row (walk), ==, "Consultation date (YYYY-MM-DD)");
#endif
  striae_test_spin (300);
  next_step (walk);

  /* 2. Medical history. */
  while (!on_answer (walk) && walk->tabs < 80)
    key (walk, "Tab");
  questions = answer_no (walk);
  g_test_message ("%u history questions answered", questions);
  g_assert_cmpuint (questions, >=, 10);
  tab_to (walk, "Medicines taken now", NULL);
  type_text (walk, "None");
  next_step (walk);

  /* 3. Skin: type III, then the questions. */
#ifdef STRIAE_WALK_BEFORE_ISSUE_12
  tab_to (walk, "Type III", NULL);
  key (walk, "space");
#else
  g_assert_cmpstr (focus_row (walk), ==, "Type I");
  key (walk, "Down");
  key (walk, "Down");
#endif
  while (!on_answer (walk))
    key (walk, "Tab");
  facts = answer_no (walk);
  g_assert_cmpuint (facts, >=, 3);
  next_step (walk);

  /* 4. Stretch marks: one area, its type and severity. */
  tab_to (walk, NULL, "Add Area");
  key (walk, "space");
  striae_test_spin (300);
  choose_next (walk, "Type");
  choose_next (walk, "Severity");
  next_step (walk);

  /* 5. Plan: the device, the first session. */
  choose_next (walk, "Device");
  tab_to (walk, "First session (YYYY-MM-DD)", NULL);
  type_text (walk, "2030-03-04");
  next_step (walk);

  /* 6. Summary: the practitioner's name, and Enter signs off. */
  tab_to (walk, "Practitioner’s name", NULL);
  type_text (walk, "Dr Lin Ames");
  key (walk, "Return");
  striae_test_spin (1000);
}

static StriaeConsultation *
find_signed (Walk *walk)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = striae_store_list_consultations (walk->store, walk->patient_id,
                                                               &error);

  g_assert_no_error (error);
  for (guint i = 0; i < list->len; i++)
    {
      StriaeConsultation *c = g_ptr_array_index (list, i);

      if (striae_consultation_get_status (c) == STRIAE_CONSULTATION_STATUS_SIGNED)
        return g_object_ref (c);
    }
  return NULL;
}

static void
test_keyboard_walk (void)
{
  Walk walk = { 0 };
  g_autoptr(StriaeConsultation) signed_c = NULL;
  StriaeHistory *history;
  guint total;
  g_autofree char *xdotool_path = g_find_program_in_path ("xdotool");

  if (xdotool_path == NULL)
    {
      g_test_skip ("xdotool is not installed (package xdotool)");
      return;
    }

  walk_set_up (&walk);
  focus_window (&walk);
  walk_consultation (&walk);

  signed_c = find_signed (&walk);
  g_assert_nonnull (signed_c);
  g_assert_cmpstr (striae_consultation_get_practitioner (signed_c), ==, "Dr Lin Ames");
  history = striae_consultation_get_history (signed_c);
  for (StriaeQuestion q = 0; q < STRIAE_N_QUESTIONS; q++)
    if (striae_question_get_info (q)->group != STRIAE_QUESTION_GROUP_RF)
      g_assert_cmpint (striae_history_get_answer (history, q), ==, STRIAE_ANSWER_NO);
  g_assert_cmpstr (striae_history_get_medication (history), ==, "None");
  g_assert_cmpuint (striae_skin_get_fitzpatrick (striae_consultation_get_skin (signed_c)), ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (striae_consultation_get_areas (signed_c)), ==, 1);
  striae_assert_date (striae_plan_get_first_session (striae_consultation_get_plan (signed_c)),
                      "2030-03-04");

  total = walk.tabs + walk.typed + walk.other;
  /* The count, for the log and the report: keys = Tab + typed characters + other keys. */
  g_test_message ("keyboard walk: %u keys (Tab %u, typed characters %u, other keys %u)",
                  total, walk.tabs, walk.typed, walk.other);
  g_print ("# keystrokes: %u (Tab %u, typed %u, other %u)\n",
           total, walk.tabs, walk.typed, walk.other);
#ifndef STRIAE_WALK_BEFORE_ISSUE_12
  g_assert_cmpuint (total, <=, CEILING);
#endif

  gtk_window_destroy (walk.window);
  striae_test_spin (100);
  g_clear_object (&walk.store);
  striae_test_remove_tree (walk.dir);
  g_free (walk.dir);
}

static GtkWindow *
find_editor (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (STRIAE_IS_PATIENT_EDITOR (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return GTK_WINDOW (window);
    }
  return NULL;
}

/* A new patient by keyboard: Ctrl+N, the fields, and Ctrl+Return from inside the notes
 * saves (Return alone there starts a new line of the notes). */
static void
test_new_patient_by_keyboard (void)
{
  Walk walk = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) found = NULL;
  g_autoptr(StriaePatient) saved = NULL;
  g_autofree char *xdotool_path = g_find_program_in_path ("xdotool");
  GtkWindow *main_window;

  if (xdotool_path == NULL)
    {
      g_test_skip ("xdotool is not installed (package xdotool)");
      return;
    }

  walk_set_up (&walk);
  focus_window (&walk);
  main_window = walk.window;
  key (&walk, "ctrl+n");
  striae_test_spin (300);
  walk.window = find_editor ();
  g_assert_nonnull (walk.window);
  focus_window (&walk);

  g_assert_cmpstr (focus_row (&walk), ==, "_Given name");
  type_text (&walk, "Noor");
  tab_to (&walk, "_Family name", NULL);
  type_text (&walk, "Haddad");
  tab_to (&walk, "_Date of birth", NULL);
  type_text (&walk, "1988-07-21");
  for (guint i = 0; i < 40 && !GTK_IS_TEXT_VIEW (focus (&walk)); i++)
    key (&walk, "Tab");
  g_assert_true (GTK_IS_TEXT_VIEW (focus (&walk)));
  type_text (&walk, "Prefers mornings");
  key (&walk, "ctrl+Return");
  striae_test_spin (500);

  g_assert_null (find_editor ());
  found = striae_store_search_patients (walk.store, "Haddad", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  saved = striae_store_get_patient (walk.store, g_array_index (found, gint64, 0), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (striae_patient_get_given_name (saved), ==, "Noor");
  g_assert_cmpstr (striae_patient_get_notes (saved), ==, "Prefers mornings");
  striae_assert_date (striae_patient_get_birth_date (saved), "1988-07-21");

  gtk_window_destroy (main_window);
  striae_test_spin (100);
  g_clear_object (&walk.store);
  striae_test_remove_tree (walk.dir);
  g_free (walk.dir);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/keyboard-walk/consultation", test_keyboard_walk);
  g_test_add_func ("/keyboard-walk/new-patient", test_new_patient_by_keyboard);

  return g_test_run ();
}
