/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <adwaita.h>
#include <stdlib.h>

#include "striae-choice-row.h"
#include "striae-history-page-private.h"
#include "striae-skin-page-private.h"
#include "striae-wizard-answer.h"

/* The answer control by keyboard: one Tab stop per question, arrows between the answers,
 * Y, N and U to answer. Keys are emitted through the control's GtkEventControllerKey, the
 * way GTK delivers them to the focused control. */

static GtkEventController *
key_controller (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (controller))
        return controller;
    }

  return NULL;
}

static gboolean
send_key (GtkWidget       *widget,
          guint            keyval,
          GdkModifierType  state)
{
  GtkEventController *controller = key_controller (widget);
  gboolean handled = FALSE;

  g_assert_nonnull (controller);
  g_signal_emit_by_name (controller, "key-pressed", keyval, 0, state, &handled);
  return handled;
}

static void
iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* How many of @answer's buttons Tab can stop on. */
static guint
count_focusable (StriaeWizardAnswer *answer)
{
  guint n = 0;

  /* "Not asked" has no button. */
  g_assert_null (striae_wizard_answer_get_button (answer, STRIAE_ANSWER_NOT_ASKED));
  for (StriaeAnswer a = STRIAE_ANSWER_NO; a < STRIAE_N_ANSWERS; a++)
    if (gtk_widget_get_focusable (striae_wizard_answer_get_button (answer, a)))
      n++;

  return n;
}

static void
test_keys (void)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  StriaeWizardAnswer *answer = NULL;
  GtkWidget *row = striae_wizard_answer_row_new ("Pregnant or breastfeeding?", &answer);
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *widget = GTK_WIDGET (answer);
  guint notified = 0;

  gtk_list_box_append (GTK_LIST_BOX (list), row);
  gtk_window_set_child (window, list);
  gtk_window_present (window);
  iterate ();
  g_signal_connect_swapped (answer, "notify::answer", G_CALLBACK (g_atomic_int_inc), &notified);

  /* Not asked yet: no button is pressed ("Unknown" is an answer, not the default). */
  g_assert_cmpint (striae_wizard_answer_get_answer (answer), ==, STRIAE_ANSWER_NOT_ASKED);
  for (StriaeAnswer a = STRIAE_ANSWER_NO; a < STRIAE_N_ANSWERS; a++)
    g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (
                      striae_wizard_answer_get_button (answer, a))));

  /* The row is no Tab stop of its own; of the buttons only the chosen one is (the first,
   * Yes, while none is chosen). */
  g_assert_false (gtk_widget_get_focusable (row));
  g_assert_cmpuint (count_focusable (answer), ==, 1);
  g_assert_true (gtk_widget_get_focusable (
                   striae_wizard_answer_get_button (answer, STRIAE_ANSWER_YES)));
  g_assert_true (gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD));
  g_assert_true (gtk_window_get_focus (window) ==
                 striae_wizard_answer_get_button (answer, STRIAE_ANSWER_YES));

  g_assert_true (send_key (widget, GDK_KEY_y, 0));
  g_assert_cmpint (striae_wizard_answer_get_answer (answer), ==, STRIAE_ANSWER_YES);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (
                   striae_wizard_answer_get_button (answer, STRIAE_ANSWER_YES))));
  /* Focus follows the answer, and stays the only Tab stop. */
  g_assert_true (gtk_window_get_focus (window) ==
                 striae_wizard_answer_get_button (answer, STRIAE_ANSWER_YES));
  g_assert_cmpuint (count_focusable (answer), ==, 1);

  g_assert_true (send_key (widget, GDK_KEY_N, GDK_SHIFT_MASK));
  g_assert_cmpint (striae_wizard_answer_get_answer (answer), ==, STRIAE_ANSWER_NO);
  g_assert_true (send_key (widget, GDK_KEY_u, 0));
  g_assert_cmpint (striae_wizard_answer_get_answer (answer), ==, STRIAE_ANSWER_UNKNOWN);

  /* Yes · No · Unknown from left to right; the arrows go round. */
  g_assert_true (send_key (widget, GDK_KEY_Right, 0));
  g_assert_cmpint (striae_wizard_answer_get_answer (answer), ==, STRIAE_ANSWER_YES);
  g_assert_true (send_key (widget, GDK_KEY_Right, 0));
  g_assert_cmpint (striae_wizard_answer_get_answer (answer), ==, STRIAE_ANSWER_NO);
  g_assert_true (send_key (widget, GDK_KEY_Down, 0));
  g_assert_cmpint (striae_wizard_answer_get_answer (answer), ==, STRIAE_ANSWER_UNKNOWN);
  g_assert_true (send_key (widget, GDK_KEY_Left, 0));
  g_assert_cmpint (striae_wizard_answer_get_answer (answer), ==, STRIAE_ANSWER_NO);
  g_assert_true (send_key (widget, GDK_KEY_Up, 0));
  g_assert_cmpint (striae_wizard_answer_get_answer (answer), ==, STRIAE_ANSWER_YES);
  g_assert_true (send_key (widget, GDK_KEY_KP_Right, 0));
  g_assert_cmpint (striae_wizard_answer_get_answer (answer), ==, STRIAE_ANSWER_NO);
  g_assert_true (gtk_window_get_focus (window) ==
                 striae_wizard_answer_get_button (answer, STRIAE_ANSWER_NO));

  /* Shortcuts with Ctrl or Alt are the window's, and other letters do nothing. */
  g_assert_false (send_key (widget, GDK_KEY_y, GDK_CONTROL_MASK));
  g_assert_false (send_key (widget, GDK_KEY_n, GDK_ALT_MASK));
  g_assert_false (send_key (widget, GDK_KEY_q, 0));
  g_assert_cmpint (striae_wizard_answer_get_answer (answer), ==, STRIAE_ANSWER_NO);

  /* Setting the answer from the model moves the Tab stop too. */
  striae_wizard_answer_set_answer (answer, STRIAE_ANSWER_YES);
  g_assert_cmpuint (count_focusable (answer), ==, 1);
  g_assert_true (gtk_widget_get_focusable (
                   striae_wizard_answer_get_button (answer, STRIAE_ANSWER_YES)));

  /* A consultation with the question not asked releases every button; the arrows start
   * from either end. */
  striae_wizard_answer_set_answer (answer, STRIAE_ANSWER_NOT_ASKED);
  for (StriaeAnswer a = STRIAE_ANSWER_NO; a < STRIAE_N_ANSWERS; a++)
    g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (
                      striae_wizard_answer_get_button (answer, a))));
  g_assert_cmpuint (count_focusable (answer), ==, 1);
  g_assert_true (send_key (widget, GDK_KEY_Left, 0));
  g_assert_cmpint (striae_wizard_answer_get_answer (answer), ==, STRIAE_ANSWER_UNKNOWN);
  striae_wizard_answer_set_answer (answer, STRIAE_ANSWER_NOT_ASKED);
  g_assert_true (send_key (widget, GDK_KEY_Right, 0));
  g_assert_cmpint (striae_wizard_answer_get_answer (answer), ==, STRIAE_ANSWER_YES);

  gtk_window_destroy (window);
}

/* Walks every Tab stop of the history page, as a person pressing Tab would. */
static void
test_history_tab_stops (void)
{
  g_autoptr(StriaeConsultation) consultation = striae_consultation_new ();
  g_autoptr(StriaeConsultationSession) session = striae_consultation_session_new ();
  g_autoptr(StriaePatient) patient = striae_patient_new ();
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  StriaeHistoryPage *page = g_object_new (STRIAE_TYPE_HISTORY_PAGE, "session", session, NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) answers_reached = g_hash_table_new (NULL, NULL);
  guint questions = 0, stops = 0, answer_stops = 0;
  GtkWidget *first = NULL;

  gtk_window_set_default_size (window, 1000, 800);
  gtk_window_set_child (window, GTK_WIDGET (page));
  striae_consultation_session_open (session, patient, consultation);
  gtk_window_present (window);
  iterate ();

  for (StriaeQuestion q = 0; q < STRIAE_N_QUESTIONS; q++)
    if (gtk_widget_is_visible (GTK_WIDGET (striae_history_page_get_answer (page, q))))
      questions++;

  /* Presenting the window focused the first control: start before it. */
  gtk_window_set_focus (window, NULL);
  while (gtk_widget_child_focus (GTK_WIDGET (page), GTK_DIR_TAB_FORWARD))
    {
      GtkWidget *focus = gtk_window_get_focus (window);
      GtkWidget *answer;

      g_assert_nonnull (focus);
      if (focus == first || g_hash_table_contains (seen, focus))
        break;
      if (first == NULL)
        first = focus;
      g_hash_table_add (seen, focus);
      stops++;

      answer = gtk_widget_get_ancestor (focus, STRIAE_TYPE_WIZARD_ANSWER);
      if (answer != NULL)
        {
          answer_stops++;
          g_hash_table_add (answers_reached, answer);
        }
      g_assert_cmpuint (stops, <, 1000);
    }

  g_test_message ("history page: %u yes/no questions, %u Tab stops in all, %u of them on "
                  "the answers (three buttons and the row made 4 stops a question before)",
                  questions, stops, answer_stops);
  for (StriaeQuestion q = 0; q < STRIAE_N_QUESTIONS; q++)
    {
      StriaeWizardAnswer *answer = striae_history_page_get_answer (page, q);

      if (gtk_widget_is_visible (GTK_WIDGET (answer)) &&
          !g_hash_table_contains (answers_reached, answer))
        g_test_message ("Tab does not reach “%s”", striae_question_get_label (q));
    }
  /* Every question is reached, once. */
  g_assert_cmpuint (g_hash_table_size (answers_reached), ==, questions);
  g_assert_cmpuint (answer_stops, ==, questions);

  gtk_window_destroy (window);
}

/* At 360 px the buttons go under the question instead of squeezing it into a narrow column;
 * wide, they stay beside it. */
static void
test_narrow (void)
{
  const int widths[] = { 360, 1000 };

  for (guint i = 0; i < G_N_ELEMENTS (widths); i++)
    {
      GtkWindow *window = GTK_WINDOW (gtk_window_new ());
      StriaeWizardAnswer *answer = NULL;
      GtkWidget *row = striae_wizard_answer_row_new ("Allergy to ingredients of skin serums or "
                                                     "creams", &answer);
      GtkWidget *list = gtk_list_box_new ();
      GtkWidget *question = gtk_widget_get_first_child (GTK_WIDGET (answer));
      GtkWidget *yes = striae_wizard_answer_get_button (answer, STRIAE_ANSWER_YES);
      graphene_rect_t text, button;

      g_assert_true (GTK_IS_LABEL (question));
      gtk_list_box_append (GTK_LIST_BOX (list), row);
      gtk_window_set_child (window, list);
      gtk_window_set_default_size (window, widths[i], 200);
      gtk_window_present (window);
      while (gtk_widget_get_width (list) == 0 ||
             abs (gtk_widget_get_width (list) - widths[i]) > 1)
        g_main_context_iteration (NULL, TRUE);
      iterate ();

      g_assert_true (gtk_widget_compute_bounds (question, GTK_WIDGET (answer), &text));
      g_assert_true (gtk_widget_compute_bounds (yes, GTK_WIDGET (answer), &button));
      g_test_message ("%d px: question %.0f×%.0f at %.0f,%.0f; Yes at %.0f,%.0f", widths[i],
                      text.size.width, text.size.height, text.origin.x, text.origin.y,
                      button.origin.x, button.origin.y);
      if (widths[i] < 500)
        {
          g_assert_cmpfloat (button.origin.y, >=, text.origin.y + text.size.height);
          g_assert_cmpfloat (text.size.width, >, 250);
        }
      else
        {
          g_assert_cmpfloat (button.origin.x, >=, text.origin.x + text.size.width);
          g_assert_cmpfloat (button.origin.y, <, text.origin.y + text.size.height);
        }

      gtk_window_destroy (window);
    }
}

/* The widget with the focus after Tab (or Shift+Tab) from the one that has it now, as
 * GtkWindow moves it. */
static GtkWidget *
tab (GtkWindow        *window,
     GtkDirectionType  direction)
{
  if (!gtk_widget_child_focus (GTK_WIDGET (window), direction))
    {
      gtk_window_set_focus (window, NULL);
      gtk_widget_child_focus (GTK_WIDGET (window), direction);
    }
  return gtk_window_get_focus (window);
}

/* The Fitzpatrick skin types are one Tab stop, as a group of radio buttons: Tab comes to the
 * type chosen (or the first), Tab again leaves them, the arrows choose, and Space on the stop
 * changes nothing (issue 12: Tab walked the six types and Tab, Space changed III to V). */
static void
test_skin_types (void)
{
  g_autoptr(StriaeConsultation) consultation = striae_consultation_new ();
  g_autoptr(StriaeConsultationSession) session = striae_consultation_session_new ();
  g_autoptr(StriaePatient) patient = striae_patient_new ();
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  StriaeSkinPage *page = g_object_new (STRIAE_TYPE_SKIN_PAGE, "session", session, NULL);
  StriaeSkin *skin = striae_consultation_get_skin (consultation);
  GtkWidget *before = gtk_button_new_with_label ("Before");
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *focus;
  guint types = 0;

  gtk_box_append (GTK_BOX (box), before);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (page));
  gtk_window_set_default_size (window, 1000, 800);
  gtk_window_set_child (window, box);
  striae_consultation_session_open (session, patient, consultation);
  gtk_window_present (window);
  iterate ();

  /* None chosen: Tab comes to the first type, and the next Tab leaves the types. */
  gtk_widget_grab_focus (before);
  focus = tab (window, GTK_DIR_TAB_FORWARD);
  g_assert_true (focus == GTK_WIDGET (striae_skin_page_get_fitzpatrick (page, 1)));
  focus = tab (window, GTK_DIR_TAB_FORWARD);
  g_assert_null (gtk_widget_get_ancestor (focus, STRIAE_TYPE_CHOICE_ROW));

  /* Down chooses the next type and takes the focus with it. */
  gtk_widget_grab_focus (GTK_WIDGET (striae_skin_page_get_fitzpatrick (page, 1)));
  for (guint i = 0; i < 2; i++)
    {
      focus = gtk_window_get_focus (window);
      g_assert_true (send_key (gtk_widget_get_ancestor (focus, STRIAE_TYPE_CHOICE_ROW),
                               GDK_KEY_Down, 0));
    }
  g_assert_cmpuint (striae_skin_get_fitzpatrick (skin), ==, 3);
  g_assert_true (gtk_window_get_focus (window) ==
                 GTK_WIDGET (striae_skin_page_get_fitzpatrick (page, 3)));
  g_assert_true (send_key (gtk_widget_get_ancestor (gtk_window_get_focus (window),
                                                    STRIAE_TYPE_CHOICE_ROW),
                           GDK_KEY_Up, 0));
  g_assert_cmpuint (striae_skin_get_fitzpatrick (skin), ==, 2);
  striae_skin_set_fitzpatrick (skin, 3);
  striae_consultation_session_open (session, patient, consultation);
  iterate ();

  /* Type III chosen: from before the types, one Tab reaches III, one more leaves; from after
   * them, Shift+Tab comes back to III. */
  gtk_widget_grab_focus (before);
  g_assert_true (tab (window, GTK_DIR_TAB_FORWARD) ==
                 GTK_WIDGET (striae_skin_page_get_fitzpatrick (page, 3)));
  /* Space on the stop activates the type already chosen: nothing changes. */
  gtk_widget_activate (gtk_window_get_focus (window));
  iterate ();
  g_assert_cmpuint (striae_skin_get_fitzpatrick (skin), ==, 3);
  focus = tab (window, GTK_DIR_TAB_FORWARD);
  g_assert_null (gtk_widget_get_ancestor (focus, STRIAE_TYPE_CHOICE_ROW));
  g_assert_true (tab (window, GTK_DIR_TAB_BACKWARD) ==
                 GTK_WIDGET (striae_skin_page_get_fitzpatrick (page, 3)));

  /* Every Tab stop of the page, counted: the types are one of them. */
  gtk_window_set_focus (window, NULL);
  while (gtk_widget_child_focus (GTK_WIDGET (page), GTK_DIR_TAB_FORWARD))
    if (gtk_widget_get_ancestor (gtk_window_get_focus (window), STRIAE_TYPE_CHOICE_ROW) != NULL)
      types++;
  g_assert_cmpuint (types, ==, 1);
  g_assert_cmpuint (striae_skin_get_fitzpatrick (skin), ==, 3);

  gtk_window_destroy (window);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/wizard-answer/keys", test_keys);
  g_test_add_func ("/wizard-answer/history-tab-stops", test_history_tab_stops);
  g_test_add_func ("/wizard-answer/narrow", test_narrow);
  g_test_add_func ("/wizard-answer/skin-types", test_skin_types);

  return g_test_run ();
}
