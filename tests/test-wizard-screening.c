/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The screening as the wizard shows it: the history page's count and list of missing
 * answers and the banner above the pages agree, a question not asked offers nothing to
 * acknowledge, each page shows its own findings; a changed depth without a reason is marked
 * on the plan page at once, and the summary lists it with a way back to the field. */
#include <adwaita.h>
#include <string.h>

#include "striae-wizard-private.h"
#include "striae-test-date.h"
#include "striae-test-store.h"


typedef struct
{
  StriaePatient             *patient;
  GtkWindow                 *window;
  StriaeWizard              *wizard;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->patient = striae_patient_new ();
  striae_patient_set_given_name (fixture->patient, "Ada");
  striae_patient_set_family_name (fixture->patient, "Lovelace");
  striae_patient_set_birth_date (fixture->patient, striae_test_date ("1985-04-23"));

  /* No records: the session keeps the draft in memory. */
  fixture->window = GTK_WINDOW (adw_window_new ());
  gtk_window_set_default_size (fixture->window, 1000, 800);
  fixture->wizard = STRIAE_WIZARD (striae_wizard_new ());
  adw_window_set_content (ADW_WINDOW (fixture->window), GTK_WIDGET (fixture->wizard));
  gtk_window_present (fixture->window);
  striae_wizard_open (fixture->wizard, fixture->patient, NULL, NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (fixture->window);
  g_clear_object (&fixture->patient);
}

static void
next (StriaeWizard *wizard,
      const char   *expected)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.next", NULL));
  g_assert_cmpstr (striae_wizard_get_page (wizard), ==, expected);
}

static void
answer (StriaeWizardAnswer *buttons,
        StriaeAnswer        value)
{
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (striae_wizard_answer_get_button (buttons,
                                                                                   value)),
                                TRUE);
}

static StriaeHistoryPage *
history_page (StriaeWizard *wizard)
{
  return STRIAE_HISTORY_PAGE (striae_wizard_get_page_widget (wizard, "history"));
}

static StriaeSkinPage *
skin_page (StriaeWizard *wizard)
{
  return STRIAE_SKIN_PAGE (striae_wizard_get_page_widget (wizard, "skin"));
}

static GtkWidget *
find_row (GtkWidget  *widget,
          const char *prefix)
{
  if (ADW_IS_PREFERENCES_ROW (widget) && gtk_widget_get_visible (widget) &&
      g_str_has_prefix (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), prefix))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_row (child, prefix);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static GtkWidget *
find_type (GtkWidget *widget,
           GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The questions the history page lists as still needing an answer. */
static guint
count_listed_missing (StriaeHistoryPage *page)
{
  guint n = 0;

  for (StriaeQuestion q = 0; q < STRIAE_N_QUESTIONS; q++)
    if (gtk_widget_get_visible (striae_history_page_get_missing (page, q)))
      n++;

  return n;
}

/* The count on the page, the list under it, the session and the banner say the same. */
static void
assert_counts_agree (StriaeWizard *wizard,
                     guint         expected_history,
                     guint         expected_skin,
                     const char   *rest)
{
  StriaeHistoryPage *page = history_page (wizard);
  StriaeConsultationSession *session = striae_wizard_get_session (wizard);
  const char *banner = gtk_label_get_label (striae_wizard_get_screening_label (wizard));
  g_autofree char *count = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GString) where = g_string_new (NULL);

  g_assert_cmpuint (striae_consultation_session_get_history_missing (session), ==,
                    expected_history);
  g_assert_cmpuint (striae_consultation_session_get_skin_missing (session), ==, expected_skin);
  g_assert_cmpuint (count_listed_missing (page), ==, expected_history);
  /* The list opens while answers are missing; once none is, the row says so and keeps its
   * room (issue 12: nothing moves under the pointer). */
  g_assert_true (gtk_widget_get_visible (striae_history_page_get_missing_group (page)));
  g_assert_cmpint (adw_expander_row_get_enable_expansion (
                     striae_history_page_get_missing_row (page)), ==, expected_history > 0);
  if (expected_history > 0)
    {
      count = g_strdup_printf ("%u question%s still need%s an answer", expected_history,
                               expected_history == 1 ? "" : "s",
                               expected_history == 1 ? "s" : "");
      g_assert_nonnull (find_row (striae_history_page_get_missing_group (page), count));
      g_string_append_printf (where, "%u in Medical history", expected_history);
    }
  if (expected_skin > 0)
    g_string_append_printf (where, "%s%u in Skin", where->len > 0 ? ", " : "", expected_skin);

  if (expected_history + expected_skin > 0)
    expected = g_strdup_printf ("A plan needs %u more answer%s: %s%s",
                                expected_history + expected_skin,
                                expected_history + expected_skin == 1 ? "" : "s", where->str,
                                rest);
  else
    expected = g_strdup (rest + strlen ("; "));
  g_test_message ("banner: %s", banner);
  g_assert_cmpstr (banner, ==, expected);
}

static void
test_counts_agree (Fixture       *fixture,
                   gconstpointer  data)
{
  StriaeWizard *wizard = fixture->wizard;
  StriaeHistoryPage *page;
  StriaePlanPage *plan;
  const char *blocked;
  GtkWidget *focus;

  next (fixture->wizard, "history");
  page = history_page (wizard);

  /* Nothing asked: 18 questions (the two for radiofrequency are not asked without it) and
   * the skin's 6 answers are missing; there is no finding and nothing to acknowledge. */
  assert_counts_agree (wizard, 18, 6, "");
  for (StriaeCheck c = 0; c < STRIAE_N_CHECKS; c++)
    {
      const char *id = striae_check_get_info (c)->id;
      g_autofree char *unknown = g_strconcat (id, "-unanswered", NULL);

      g_assert_null (striae_history_page_get_acknowledge (page, id));
      g_assert_null (striae_history_page_get_acknowledge (page, unknown));
    }
  g_assert_nonnull (find_row (striae_history_page_get_findings (page),
                              "No contraindication in the answers so far"));

  /* "Yes" and "unknown" on relative questions are findings to acknowledge; an unknown
   * pregnancy blocks until it is ruled out. */
  answer (striae_history_page_get_answer (page, STRIAE_QUESTION_ANTICOAGULANTS),
          STRIAE_ANSWER_YES);
  answer (striae_history_page_get_answer (page, STRIAE_QUESTION_DIABETES), STRIAE_ANSWER_UNKNOWN);
  assert_counts_agree (wizard, 16, 6, "; 2 relative contraindications to acknowledge");
  g_assert_nonnull (striae_history_page_get_acknowledge (page, "anticoagulants"));
  g_assert_nonnull (striae_history_page_get_acknowledge (page, "diabetes-unanswered"));
  g_assert_null (striae_history_page_get_acknowledge (page, "autoimmune"));
  g_assert_null (striae_history_page_get_acknowledge (page, "autoimmune-unanswered"));
  g_assert_false (gtk_widget_get_visible (striae_history_page_get_missing (
                                            page, STRIAE_QUESTION_DIABETES)));

  answer (striae_history_page_get_answer (page, STRIAE_QUESTION_PREGNANCY), STRIAE_ANSWER_UNKNOWN);
  g_assert_true (g_str_has_prefix (gtk_label_get_label (striae_wizard_get_screening_label (wizard)),
                                   "Plan blocked: Pregnancy"));
  g_assert_null (striae_history_page_get_acknowledge (page, "pregnancy-unanswered"));
  /* The plan page says what blocks it: an answer nobody knows, not one still to give. */
  striae_wizard_set_page (wizard, "plan");
  plan = STRIAE_PLAN_PAGE (striae_wizard_get_page_widget (wizard, "plan"));
  g_assert_true (striae_plan_page_is_blocked (plan));
  blocked = gtk_label_get_label (GTK_LABEL (striae_plan_page_get_field (plan, "blocked")));
  g_assert_nonnull (strstr (blocked, "• Pregnancy: not known"));
  g_assert_null (strstr (blocked, "not answered"));
  striae_wizard_set_page (wizard, "history");
  answer (striae_history_page_get_answer (page, STRIAE_QUESTION_PREGNANCY), STRIAE_ANSWER_NO);

  /* A row of the list takes the keyboard to its question. */
  g_signal_emit_by_name (striae_history_page_get_missing (page, STRIAE_QUESTION_AUTOIMMUNE),
                         "activated");
  focus = gtk_window_get_focus (fixture->window);
  g_assert_nonnull (focus);
  g_assert_true (gtk_widget_is_ancestor (focus, GTK_WIDGET (striae_history_page_get_answer (
                                                  page, STRIAE_QUESTION_AUTOIMMUNE))));

  /* Acknowledging one leaves one. */
  gtk_check_button_set_active (GTK_CHECK_BUTTON (striae_history_page_get_acknowledge (
                                                   page, "anticoagulants")), TRUE);
  assert_counts_agree (wizard, 15, 6, "; 1 relative contraindication to acknowledge");

  for (StriaeQuestion q = 0; q < STRIAE_N_QUESTIONS; q++)
    if (striae_wizard_answer_get_answer (striae_history_page_get_answer (page, q)) ==
        STRIAE_ANSWER_NOT_ASKED && !striae_question_get_info (q)->rf_only)
      answer (striae_history_page_get_answer (page, q), STRIAE_ANSWER_NO);
  assert_counts_agree (wizard, 0, 6, "; 1 relative contraindication to acknowledge");

  /* The skin's findings are the skin page's, never the history page's. */
  next (wizard, "skin");
  answer (striae_skin_page_get_fact (skin_page (wizard), STRIAE_SKIN_FACT_RECENT_SUN),
          STRIAE_ANSWER_YES);
  g_assert_null (striae_history_page_get_acknowledge (page, "recent-sun"));
  g_assert_nonnull (striae_skin_page_get_acknowledge (skin_page (wizard), "recent-sun"));
  g_assert_null (striae_skin_page_get_acknowledge (skin_page (wizard), "diabetes-unanswered"));
  assert_counts_agree (wizard, 0, 5, "; 2 relative contraindications to acknowledge");
}

static gboolean
on_plan_page (gpointer data)
{
  return g_strcmp0 (striae_wizard_get_page (data), "plan") == 0;
}

static void
test_depth_reason (Fixture       *fixture,
                   gconstpointer  data)
{
  StriaeWizard *wizard = fixture->wizard;
  StriaeConsultation *c = striae_wizard_get_consultation (wizard);
  g_autoptr(StriaeArea) area = striae_area_new (STRIAE_BODY_SITE_ABDOMEN);
  StriaePlanPage *plan;
  GtkWidget *summary;
  GtkWidget *reason;
  GtkWidget *fix;
  GtkWidget *button;
  GtkWidget *area_row;
  GtkWidget *focus;
  g_autofree char *invalid = NULL;

  for (StriaeQuestion q = 0; q < STRIAE_N_QUESTIONS; q++)
    striae_history_set_answer (striae_consultation_get_history (c), q, STRIAE_ANSWER_NO);
  for (StriaeSkinFact f = 0; f < STRIAE_N_SKIN_FACTS; f++)
    striae_skin_set_fact (striae_consultation_get_skin (c), f, STRIAE_ANSWER_NO);
  striae_skin_set_fitzpatrick (striae_consultation_get_skin (c), 2);
  striae_area_set_mark_type (area, STRIAE_MARK_TYPE_ALBAE);
  striae_area_set_severity (area, STRIAE_SEVERITY_MODERATE);
  striae_consultation_add_area (c, area);
  striae_plan_set_device (striae_consultation_get_plan (c), STRIAE_DEVICE_PEN);

  next (wizard, "history");
  next (wizard, "skin");
  next (wizard, "areas");
  next (wizard, "plan");
  plan = STRIAE_PLAN_PAGE (striae_wizard_get_page_widget (wizard, "plan"));
  reason = striae_plan_page_get_depth (plan, 0, TRUE);
  g_assert_false (gtk_widget_get_visible (reason));

  /* A depth other than the recommended one: the reason field shows, marked at once. */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (striae_plan_page_get_depth (plan, 0, FALSE)), 2.5);
  g_assert_true (gtk_widget_get_visible (reason));
  g_assert_true (gtk_widget_has_css_class (reason, "error"));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (reason)), ==,
                   "Reason for the depth of Abdomen");
  invalid = gtk_test_accessible_check_state (GTK_ACCESSIBLE (reason),
                                             GTK_ACCESSIBLE_STATE_INVALID,
                                             GTK_ACCESSIBLE_INVALID_TRUE);
  g_assert_null (invalid);
  g_assert_nonnull (gtk_widget_get_tooltip_text (reason));

  /* The summary prints no empty reason and lists the missing one to fix. */
  next (wizard, "summary");
  summary = striae_wizard_get_page_widget (wizard, "summary");
  area_row = find_row (summary, "Abdomen");
  g_assert_nonnull (area_row);
  g_assert_null (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (area_row)), "reason: )"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (area_row)),
                            "no reason given yet"));
  fix = find_row (summary, "Reason for the depth of Abdomen");
  g_assert_nonnull (fix);
  button = find_type (fix, GTK_TYPE_BUTTON);
  g_assert_nonnull (button);

  /* Its button goes back to the plan page, into the field. */
  g_assert_true (gtk_widget_activate (button));
  g_assert_true (striae_test_wait_for (on_plan_page, wizard));
  focus = gtk_window_get_focus (fixture->window);
  g_assert_nonnull (focus);
  g_assert_true (focus == reason || gtk_widget_is_ancestor (focus, reason));

  /* Fewer sessions than recommended, without a reason: listed too, and its link goes to
   * that reason. */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (striae_plan_page_get_field (plan, "sessions")),
                             striae_plan_get_recommended_sessions (
                               striae_consultation_get_plan (c)) + 1);
  g_assert_true (gtk_widget_has_css_class (striae_plan_page_get_field (plan, "sessions-reason"),
                                           "error"));
  striae_wizard_set_page (wizard, "summary");
  fix = find_row (summary, "Reason for the sessions");
  g_assert_nonnull (fix);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (fix)),
                            "Give a reason"));
  g_assert_true (gtk_widget_activate (find_type (fix, GTK_TYPE_BUTTON)));
  g_assert_true (striae_test_wait_for (on_plan_page, wizard));
  focus = gtk_window_get_focus (fixture->window);
  g_assert_true (gtk_widget_is_ancestor (focus, striae_plan_page_get_field (plan,
                                                                            "sessions-reason")));
  gtk_editable_set_text (GTK_EDITABLE (striae_plan_page_get_field (plan, "sessions-reason")),
                         "The patient can come once more.");

  /* With a reason, the mark goes, and the summary has nothing to fix. */
  gtk_editable_set_text (GTK_EDITABLE (reason), "Thick skin here");
  g_assert_false (gtk_widget_has_css_class (reason, "error"));
  g_clear_pointer (&invalid, g_free);
  invalid = gtk_test_accessible_check_state (GTK_ACCESSIBLE (reason),
                                             GTK_ACCESSIBLE_STATE_INVALID,
                                             GTK_ACCESSIBLE_INVALID_FALSE);
  g_assert_null (invalid);
  striae_wizard_set_page (wizard, "summary");
  g_assert_null (find_row (summary, "Reason for the depth of Abdomen"));
  /* The reason now shows as the plan's, with no link. */
  fix = find_row (summary, "Reason for the sessions");
  g_assert_nonnull (fix);
  g_assert_null (find_type (fix, GTK_TYPE_BUTTON));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (fix)), ==,
                   "The patient can come once more.");

  /* The area moved to another site after its rows were made: its reason field is named
   * after it, not after the site it had (the rows are kept for the same area). */
  striae_area_set_site (area, STRIAE_BODY_SITE_THIGHS);
  striae_wizard_set_page (wizard, "plan");
  g_assert_true (reason == striae_plan_page_get_depth (plan, 0, TRUE));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (reason)), ==,
                   "Reason for the depth of Thighs");
}

int
main (int   argc,
      char *argv[])
{
  /* The test context keeps the accessible states this test reads; no bus is needed. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/wizard-screening/counts-agree", Fixture, NULL, fixture_set_up,
              test_counts_agree, fixture_tear_down);
  g_test_add ("/wizard-screening/depth-reason", Fixture, NULL, fixture_set_up,
              test_depth_reason, fixture_tear_down);

  return g_test_run ();
}
