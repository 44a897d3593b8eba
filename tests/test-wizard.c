/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <adwaita.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>

#include "striae-patient-page.h"
#include "striae-patient-row.h"
#include "striae-sheet-composer.h"
#include "striae-sheet-preview.h"
#include "striae-test-files.h"
#include "striae-test-store.h"
#include "striae-test-window.h"
#include "striae-window.h"
#include "striae-wizard-private.h"
#include "striae-wizard-records.h"
#include "striae-test-date.h"

/* Long enough for a slow machine under a sanitizer; a passing run takes a fraction of it. */
#define WAIT_MS 10000

typedef struct
{
  char                *dir;
  char                *database;
  StriaeStore         *store;
  StriaeWizardRecords *records;
  StriaePatient       *patient;
  GtkWindow           *window;
  StriaeWizard        *wizard;
} Fixture;

static StriaePatient *
make_patient (void)
{
  StriaePatient *patient = striae_patient_new ();

  striae_patient_set_given_name (patient, "Ada");
  striae_patient_set_family_name (patient, "Lovelace");
  striae_patient_set_birth_date (patient, striae_test_date ("1985-04-23"));
  return patient;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("striae-wizard-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->database = g_build_filename (fixture->dir, "striae.db", NULL);
  fixture->store = striae_store_open (fixture->database, &error);
  g_assert_no_error (error);
  fixture->records = striae_wizard_records_new (fixture->store);
  fixture->patient = make_patient ();
  g_assert_true (striae_store_add_patient (fixture->store, fixture->patient, &error));
  g_assert_no_error (error);

  fixture->window = GTK_WINDOW (adw_window_new ());
  gtk_window_set_default_size (fixture->window, 1000, 800);
  fixture->wizard = STRIAE_WIZARD (striae_wizard_new ());
  striae_wizard_set_records (fixture->wizard, fixture->records);
  adw_window_set_content (ADW_WINDOW (fixture->window), GTK_WIDGET (fixture->wizard));
  gtk_window_present (fixture->window);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (fixture->window);
  g_clear_object (&fixture->patient);
  g_assert_finalize_object (fixture->records);
  g_assert_finalize_object (fixture->store);
  striae_test_remove_tree (fixture->dir);
  g_clear_pointer (&fixture->database, g_free);
  g_clear_pointer (&fixture->dir, g_free);
}

static void
spin_frames (void)
{
  for (int i = 0; i < 30; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5000);
    }
}

static gboolean
not_saving (gpointer data)
{
  return !striae_wizard_is_saving (data);
}

static gboolean
two_areas (gpointer data)
{
  return g_list_model_get_n_items (striae_consultation_get_areas (
                                     striae_wizard_get_consultation (data))) == 2;
}

static void
click (GtkWidget *toggle)
{
  g_assert_true (gtk_widget_is_sensitive (toggle));
  if (GTK_IS_CHECK_BUTTON (toggle))
    gtk_check_button_set_active (GTK_CHECK_BUTTON (toggle), TRUE);
  else
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (toggle), TRUE);
}

static void
answer (StriaeWizardAnswer *buttons,
        StriaeAnswer        value)
{
  click (striae_wizard_answer_get_button (buttons, value));
}

static void
next (StriaeWizard *wizard,
      const char   *expected)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.next", NULL));
  g_assert_cmpstr (striae_wizard_get_page (wizard), ==, expected);
}

static StriaeHistoryPage *
history_page (StriaeWizard *wizard)
{
  return STRIAE_HISTORY_PAGE (striae_wizard_get_page_widget (wizard, "history"));
}

/* Answers every question "no" but @yes. */
static void
fill_history (StriaeWizard   *wizard,
              StriaeQuestion  yes,
              const char     *detail)
{
  StriaeHistoryPage *page = history_page (wizard);

  for (StriaeQuestion q = 0; q < STRIAE_N_QUESTIONS; q++)
    {
      GtkEditable *detail_row = striae_history_page_get_detail (page, q);

      answer (striae_history_page_get_answer (page, q),
              q == yes ? STRIAE_ANSWER_YES : STRIAE_ANSWER_NO);
      /* The detail field appears on "yes" only. */
      g_assert_cmpint (gtk_widget_get_visible (GTK_WIDGET (detail_row)), ==, q == yes);
      if (q == yes)
        gtk_editable_set_text (detail_row, detail);
    }
}

/* The first widget under @widget whose tooltip is @tooltip. */
static GtkWidget *
find_by_tooltip (GtkWidget  *widget,
                 const char *tooltip)
{
  if (g_strcmp0 (gtk_widget_get_tooltip_text (widget), tooltip) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_by_tooltip (child, tooltip);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Picks @name in the menu of the clinic's practitioners beside the summary's name field, as
 * its popover does: the item's action with its target, on the menu button. */
static void
choose_practitioner (GtkWidget  *summary,
                     const char *name)
{
  GtkWidget *button = find_by_tooltip (summary, "Choose a practitioner of the clinic");
  GMenuModel *menu;
  gboolean found = FALSE;

  g_assert_true (GTK_IS_MENU_BUTTON (button));
  g_assert_true (gtk_widget_get_visible (button));
  menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (button));
  for (int i = 0; i < g_menu_model_get_n_items (menu) && !found; i++)
    {
      g_autofree char *label = NULL;
      g_autofree char *action = NULL;
      g_autoptr(GVariant) target = NULL;

      g_assert_true (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_LABEL, "s",
                                                      &label));
      if (g_strcmp0 (label, name) != 0)
        continue;
      g_assert_true (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s",
                                                      &action));
      target = g_menu_model_get_item_attribute_value (menu, i, G_MENU_ATTRIBUTE_TARGET,
                                                      G_VARIANT_TYPE_STRING);
      g_assert_true (gtk_widget_activate_action_variant (button, action, target));
      found = TRUE;
    }
  g_assert_true (found);
}

static void
fill_skin (StriaeWizard *wizard,
           guint         type)
{
  StriaeSkinPage *page = STRIAE_SKIN_PAGE (striae_wizard_get_page_widget (wizard, "skin"));

  g_assert_false (striae_wizard_is_page_complete (wizard, "skin"));
  click (GTK_WIDGET (striae_skin_page_get_fitzpatrick (page, type)));
  for (StriaeSkinFact f = 0; f < STRIAE_N_SKIN_FACTS; f++)
    answer (striae_skin_page_get_fact (page, f), STRIAE_ANSWER_NO);
  /* Types IV to VI are a relative finding, acknowledged on the skin page. */
  g_assert_cmpint (striae_skin_page_get_acknowledge (page, "fitzpatrick") != NULL, ==, type >= 4);
  if (type >= 4)
    {
      g_assert_false (striae_wizard_is_page_complete (wizard, "skin"));
      click (striae_skin_page_get_acknowledge (page, "fitzpatrick"));
    }
  g_assert_true (striae_wizard_is_page_complete (wizard, "skin"));
}

static void
add_area (StriaeWizard   *wizard,
          guint           position,
          StriaeBodySite  site,
          StriaeMarkType  type,
          StriaeSeverity  severity,
          const char     *notes)
{
  StriaeAreasPage *page = STRIAE_AREAS_PAGE (striae_wizard_get_page_widget (wizard, "areas"));
  GtkWidget *age;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "areas.add", NULL));
  adw_combo_row_set_selected (ADW_COMBO_ROW (striae_areas_page_get_field (page, position, "site")),
                              site);
  adw_combo_row_set_selected (ADW_COMBO_ROW (striae_areas_page_get_field (page, position, "type")),
                              type);
  adw_combo_row_set_selected (ADW_COMBO_ROW (striae_areas_page_get_field (page, position,
                                                                          "cause")),
                              STRIAE_CAUSE_PREGNANCY);
  adw_combo_row_set_selected (ADW_COMBO_ROW (striae_areas_page_get_field (page, position,
                                                                          "severity")),
                              severity);
  age = striae_areas_page_get_field (page, position, "age");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (age), 30);
  gtk_editable_set_text (GTK_EDITABLE (striae_areas_page_get_field (page, position, "notes")),
                         notes);
}

static void
test_wizard_templates (Fixture       *fixture,
                       gconstpointer  data)
{
  striae_wizard_open (fixture->wizard, fixture->patient, NULL, NULL);
  g_assert_cmpstr (striae_wizard_get_page (fixture->wizard), ==, "patient");
  g_assert_true (striae_wizard_is_page_complete (fixture->wizard, "patient"));
  /* Pages not visited yet cannot be jumped to. */
  g_assert_false (gtk_widget_get_sensitive (striae_wizard_get_step_button (fixture->wizard,
                                                                           "plan")));
  g_assert_true (striae_test_wait_for (not_saving, fixture->wizard));
}

static GtkWidget *find_label (GtkWidget  *widget,
                              const char *text);
static AdwMessageDialog *find_message_dialog (void);
static GtkWidget *find_row (GtkWidget  *widget,
                            const char *title,
                            const char *subtitle);

static void
test_wizard_blocked (Fixture       *fixture,
                     gconstpointer  data)
{
  StriaeWizard *wizard = fixture->wizard;
  StriaePlanPage *plan;
  GtkWidget *summary;
  const char *status;

  striae_wizard_open (wizard, fixture->patient, NULL, NULL);
  next (wizard, "history");
  /* Questions not asked yet hold the plan back, calmly: not the blocking red. */
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (striae_wizard_get_screening_label (wizard)),
                                           "warning"));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (striae_wizard_get_screening_label (wizard)),
                                            "error"));
  fill_history (wizard, STRIAE_QUESTION_PREGNANCY, "12 weeks");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (striae_wizard_get_screening_label (wizard)),
                                           "error"));
  g_assert_nonnull (strstr (gtk_label_get_label (striae_wizard_get_screening_label (wizard)),
                            "regnan"));
  g_assert_false (striae_wizard_is_page_complete (wizard, "history"));

  next (wizard, "skin");
  next (wizard, "areas");
  next (wizard, "plan");
  plan = STRIAE_PLAN_PAGE (striae_wizard_get_page_widget (wizard, "plan"));
  g_assert_true (striae_plan_page_is_blocked (plan));
  status = gtk_label_get_label (GTK_LABEL (striae_plan_page_get_field (plan, "blocked")));
  g_assert_nonnull (strstr (status, "regnan"));

  /* The summary says there is no plan instead of listing a course. */
  next (wizard, "summary");
  summary = striae_wizard_get_page_widget (wizard, "summary");
  g_assert_nonnull (find_label (summary, "No Plan While a Contraindication Stands"));
  g_assert_null (find_label (summary, "Course"));

  /* Back to the history page through the step indicator: answering "no" lifts the block. */
  click (striae_wizard_get_step_button (wizard, "history"));
  g_assert_cmpstr (striae_wizard_get_page (wizard), ==, "history");
  answer (striae_history_page_get_answer (history_page (wizard), STRIAE_QUESTION_PREGNANCY),
          STRIAE_ANSWER_NO);
  g_assert_false (striae_plan_page_is_blocked (plan));
  click (striae_wizard_get_step_button (wizard, "summary"));
  g_assert_cmpstr (striae_wizard_get_page (wizard), ==, "summary");
  g_assert_null (find_label (summary, "No Plan While a Contraindication Stands"));
  g_assert_nonnull (find_label (summary, "Course"));
  /* What is applied with the needling is signed with the plan. */
  g_assert_nonnull (find_row (summary, "With the treatment", "None"));
  striae_plan_set_adjuncts (striae_consultation_get_plan (striae_wizard_get_consultation (wizard)),
                            STRIAE_ADJUNCT_PRP | STRIAE_ADJUNCT_TRETINOIN);
  click (striae_wizard_get_step_button (wizard, "plan"));
  click (striae_wizard_get_step_button (wizard, "summary"));
  g_assert_nonnull (find_row (summary, "With the treatment",
                              "Platelet-rich plasma (PRP)\nTopical tretinoin"));
  g_assert_true (striae_test_wait_for (not_saving, wizard));
}

static GtkWidget *find_button (GtkWidget  *widget,
                               const char *label);
static GtkWidget *find_menu_item (GtkWidget  *widget,
                                  const char *label,
                                  char      **action,
                                  GVariant  **target);

/* A signed consultation's pages take no input, and stay legible: sensitive, not greyed. Its
 * areas are shown open, since they could not be opened, and none can be added. */
static void
assert_read_only (StriaeWizard *wizard,
                  gboolean      read_only)
{
  const char * const pages[] = { "patient", "history", "skin", "areas", "plan" };
  StriaeAreasPage *areas = STRIAE_AREAS_PAGE (striae_wizard_get_page_widget (wizard, "areas"));
  guint n = g_list_model_get_n_items (striae_consultation_get_areas (
                                        striae_wizard_get_consultation (wizard)));

  g_assert_cmpint (gtk_widget_get_visible (find_button (GTK_WIDGET (areas), "_Add Area")), ==,
                   !read_only);
  for (guint i = 0; i < n; i++)
    {
      GtkWidget *row = striae_areas_page_get_area_row (areas, i);
      GtkWidget *remove = striae_areas_page_get_field (areas, i, "remove");

      g_assert_cmpint (gtk_widget_get_visible (gtk_widget_get_ancestor (remove,
                                                                        ADW_TYPE_ACTION_ROW)),
                       ==, !read_only);
      if (read_only)
        g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (row)));
    }

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      GtkWidget *page = striae_wizard_get_page_widget (wizard, pages[i]);

      g_assert_true (gtk_widget_is_sensitive (page));
      g_assert_cmpint (gtk_widget_get_can_target (page), ==, !read_only);
      g_assert_cmpint (gtk_widget_get_can_focus (page), ==, !read_only);
    }
}

/* The title label of a visible toast under @widget that starts with @prefix. */
static GtkWidget *
find_toast_label (GtkWidget  *widget,
                  const char *prefix)
{
  if (GTK_IS_LABEL (widget) && g_str_has_prefix (gtk_label_get_label (GTK_LABEL (widget)), prefix))
    for (GtkWidget *a = widget; a != NULL; a = gtk_widget_get_parent (a))
      if (g_strcmp0 (gtk_widget_get_css_name (a), "toast") == 0)
        return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_toast_label (c, prefix);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A preferences group (or row) under @widget with the title @title. */
static GtkWidget *
find_descendant_with_title (GtkWidget  *widget,
                            const char *title)
{
  if (ADW_IS_PREFERENCES_GROUP (widget) &&
      g_strcmp0 (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (widget)), title) == 0)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_descendant_with_title (c, title);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_wizard_complete (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.striae.Striae");
  GtkEditable *practitioner;
  StriaeWizard *wizard = fixture->wizard;
  StriaePlanPage *plan;
  GtkWidget *check;
  GtkWidget *reason;
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) revisions = NULL;
  g_autoptr(StriaeConsultation) original = NULL;
  g_autoptr(StriaeConsultation) amended = NULL;
  g_autoptr(GDateTime) signed_at = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *signed_by = NULL;
  gint64 patient_id, id;
  StriaeConsultation *c;
  guint sessions;
  guint revision;

  striae_wizard_open (wizard, fixture->patient, NULL, NULL);
  next (wizard, "history");
  fill_history (wizard, STRIAE_QUESTION_ANTICOAGULANTS, "Aspirin 75 mg");
  g_assert_false (striae_wizard_is_page_complete (wizard, "history"));
  check = striae_history_page_get_acknowledge (history_page (wizard), "anticoagulants");
  g_assert_nonnull (check);
  click (check);
  g_assert_true (striae_wizard_is_page_complete (wizard, "history"));

  next (wizard, "skin");
  fill_skin (wizard, 2);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (striae_wizard_get_screening_label (wizard)),
                                           "success"));

  next (wizard, "areas");
  g_assert_false (striae_wizard_is_page_complete (wizard, "areas"));
  add_area (wizard, 0, STRIAE_BODY_SITE_ABDOMEN, STRIAE_MARK_TYPE_ALBAE,
            STRIAE_SEVERITY_MODERATE, "Below the navel");
  add_area (wizard, 1, STRIAE_BODY_SITE_THIGHS, STRIAE_MARK_TYPE_RUBRAE,
            STRIAE_SEVERITY_SEVERE, "");
  add_area (wizard, 2, STRIAE_BODY_SITE_HIPS, STRIAE_MARK_TYPE_RUBRAE, STRIAE_SEVERITY_MILD, "");
  g_signal_emit_by_name (striae_areas_page_get_field (
                         STRIAE_AREAS_PAGE (striae_wizard_get_page_widget (wizard, "areas")),
                         2, "remove"), "clicked");
  /* An activated button emits "clicked" a moment later. */
  g_assert_true (striae_test_wait_for (two_areas, wizard));
  g_assert_true (striae_wizard_is_page_complete (wizard, "areas"));

  next (wizard, "plan");
  plan = STRIAE_PLAN_PAGE (striae_wizard_get_page_widget (wizard, "plan"));
  g_assert_false (striae_plan_page_is_blocked (plan));
  adw_combo_row_set_selected (ADW_COMBO_ROW (striae_plan_page_get_field (plan, "device")),
                              STRIAE_DEVICE_PEN);

  /* An override asks for a reason, and the page is incomplete until it has one. */
  sessions = striae_plan_get_recommended_sessions (
               striae_consultation_get_plan (striae_wizard_get_consultation (wizard)));
  g_assert_cmpuint (sessions, >, 0);
  reason = striae_plan_page_get_field (plan, "sessions-reason");
  g_assert_false (gtk_widget_get_visible (reason));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (striae_plan_page_get_field (plan, "sessions")),
                             sessions + 2);
  g_assert_true (gtk_widget_get_visible (reason));
  g_assert_false (striae_wizard_is_page_complete (wizard, "plan"));
  gtk_editable_set_text (GTK_EDITABLE (reason), "Wide marks on the thighs");

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (striae_plan_page_get_depth (plan, 0, FALSE)), 2.5);
  g_assert_true (gtk_widget_get_visible (striae_plan_page_get_depth (plan, 0, TRUE)));
  gtk_editable_set_text (GTK_EDITABLE (striae_plan_page_get_depth (plan, 0, TRUE)),
                         "Thick skin here");

  /* A first session before the consultation (dated today) is refused. */
  gtk_editable_set_text (GTK_EDITABLE (striae_plan_page_get_field (plan, "first-session")),
                         "2020-01-06");
  g_assert_true (gtk_widget_has_css_class (striae_plan_page_get_field (plan, "first-session"),
                                           "error"));
  g_assert_false (striae_wizard_is_page_complete (wizard, "plan"));
  gtk_editable_set_text (GTK_EDITABLE (striae_plan_page_get_field (plan, "first-session")),
                         "2030-03-04");
  g_assert_false (gtk_widget_has_css_class (striae_plan_page_get_field (plan, "first-session"),
                                            "error"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (
                              ADW_ACTION_ROW (striae_plan_page_get_field (plan, "schedule"))),
                            "2030-03-04"));
  click (striae_plan_page_get_field (plan, "serum"));
  gtk_editable_set_text (GTK_EDITABLE (striae_plan_page_get_field (plan, "extra")),
                         "No swimming for 3 days");
  g_signal_emit_by_name (striae_plan_page_get_field (plan, "extra"), "apply");
  /* An extra instruction added by mistake goes with its own remove button. */
  gtk_editable_set_text (GTK_EDITABLE (striae_plan_page_get_field (plan, "extra")), "Oops");
  g_signal_emit_by_name (striae_plan_page_get_field (plan, "extra"), "apply");
  g_signal_emit_by_name (find_by_tooltip (GTK_WIDGET (plan), "Remove “Oops”"), "clicked");
  g_assert_cmpstrv (striae_consultation_get_added_items (striae_wizard_get_consultation (wizard)),
                    ((const char * const []) { "No swimming for 3 days", NULL }));
  g_assert_true (striae_wizard_is_page_complete (wizard, "plan"));

  next (wizard, "summary");
  /* Without a name, sign-off is refused at the name field, which turns red; typing clears
   * that. */
  practitioner = striae_summary_page_get_practitioner (
                   STRIAE_SUMMARY_PAGE (striae_wizard_get_page_widget (wizard, "summary")));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.sign-off", NULL));
  g_assert_cmpint (striae_consultation_get_status (striae_wizard_get_consultation (wizard)), !=,
                   STRIAE_CONSULTATION_STATUS_SIGNED);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (practitioner), "error"));
  /* The clinic's practitioners (Preferences → Practitioners) are offered beside the field,
   * in their order; a name is taken from there. */
  {
    GtkWidget *summary = striae_wizard_get_page_widget (wizard, "summary");
    GtkWidget *button = find_by_tooltip (summary, "Choose a practitioner of the clinic");

    /* No name yet (an earlier test signed as someone): no menu. */
    g_settings_reset (settings, "practitioner-names");
    g_assert_false (gtk_widget_get_visible (button));
    g_settings_set_strv (settings, "practitioner-names",
                         (const char * const []) { "Dr Ada Byron", "Dr Grace Hopper", NULL });
    g_assert_true (gtk_widget_get_visible (button));
    g_assert_cmpint (g_menu_model_get_n_items (
                       gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (button))), ==, 2);
    choose_practitioner (summary, "Dr Grace Hopper");
    g_assert_cmpstr (gtk_editable_get_text (practitioner), ==, "Dr Grace Hopper");
  }
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (practitioner), "error"));
  /* Signed from the bottom of the summary, the page stays where it was. */
  {
    GtkAdjustment *scroll = gtk_scrolled_window_get_vadjustment (
                              GTK_SCROLLED_WINDOW (gtk_widget_get_template_child (
                                GTK_WIDGET (wizard), STRIAE_TYPE_WIZARD, "scroller")));
    double bottom;

    spin_frames ();
    gtk_adjustment_set_value (scroll, gtk_adjustment_get_upper (scroll));
    spin_frames ();
    bottom = gtk_adjustment_get_value (scroll);
    g_assert_cmpfloat (bottom, >, 0);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.sign-off", NULL));
    spin_frames ();
    g_assert_cmpfloat (gtk_adjustment_get_value (scroll), >, bottom / 2);
    striae_test_window_save_png (GTK_WIDGET (fixture->window), "signed-summary-bottom.png");
  }
  c = striae_wizard_get_consultation (wizard);
  g_assert_cmpint (striae_consultation_get_status (c), ==, STRIAE_CONSULTATION_STATUS_SIGNED);
  /* Signed: read-only, and still legible (not greyed out). */
  assert_read_only (wizard, TRUE);
  /* The sign-off says so: a toast, and who signed and when under the summary. */
  g_assert_nonnull (find_toast_label (GTK_WIDGET (wizard), "Consultation signed at "));
  striae_test_window_save_png (GTK_WIDGET (fixture->window), "signed-summary.png");
  {
    AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (
      find_descendant_with_title (striae_wizard_get_page_widget (wizard, "summary"),
                                  "Sign-Off"));
    g_autoptr(GDateTime) local = g_date_time_new_now_local ();
    g_autofree char *today = g_date_time_format (local, "Signed by Dr Grace Hopper on %Y-%m-%d ");

    g_assert_nonnull (group);
    g_assert_true (g_str_has_prefix (adw_preferences_group_get_description (group), today));
  }
  /* No name to choose any more. */
  g_assert_false (gtk_widget_get_visible (
                    find_by_tooltip (striae_wizard_get_page_widget (wizard, "summary"),
                                     "Choose a practitioner of the clinic")));
  g_settings_reset (settings, "practitioner-names");

  patient_id = striae_patient_get_id (fixture->patient);
  stored = striae_store_list_consultations (fixture->store, patient_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stored->len, ==, 1);
  c = g_ptr_array_index (stored, 0);
  id = striae_consultation_get_id (c);
  g_assert_cmpint (id, ==, striae_consultation_get_id (striae_wizard_get_consultation (wizard)));
  g_assert_true (striae_store_get_signature (fixture->store, id,
                                             striae_consultation_get_revision (c),
                                             &signed_by, &signed_at, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (signed_by, ==, "Dr Grace Hopper");
  g_assert_nonnull (signed_at);
  now = g_date_time_new_now_utc ();
  g_assert_cmpint (g_date_time_difference (now, signed_at), >=, 0);
  g_assert_cmpint (g_date_time_difference (now, signed_at), <, 60 * G_TIME_SPAN_SECOND);
  g_assert_cmpint (striae_consultation_get_status (c), ==, STRIAE_CONSULTATION_STATUS_SIGNED);
  g_assert_cmpstr (striae_consultation_get_practitioner (c), ==, "Dr Grace Hopper");
  g_assert_cmpuint (g_list_model_get_n_items (striae_consultation_get_areas (c)), ==, 2);
  g_assert_cmpuint (striae_plan_get_sessions (striae_consultation_get_plan (c)), ==,
                    sessions + 2);
  g_assert_cmpstr (striae_plan_get_sessions_reason (striae_consultation_get_plan (c)), ==,
                   "Wide marks on the thighs");
  g_assert_cmpstr (striae_history_get_detail (striae_consultation_get_history (c),
                                              STRIAE_QUESTION_ANTICOAGULANTS), ==,
                   "Aspirin 75 mg");
  g_assert_true (striae_consultation_is_acknowledged (c, "anticoagulants"));
  g_assert_cmpstr (striae_consultation_get_added_items (c)[0], ==, "No swimming for 3 days");
  g_assert_false (striae_store_patient_has_draft (fixture->store, patient_id, &error));
  g_assert_no_error (error);

  /* Amend: asks why, then a new draft revision, editable again. */
  revision = striae_consultation_get_revision (c);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.amend", NULL));
  {
    AdwMessageDialog *dialog = find_message_dialog ();
    GtkWidget *why;

    g_assert_nonnull (dialog);
    /* Cancelled, nothing changes. */
    adw_message_dialog_response (dialog, "cancel");
    gtk_window_destroy (GTK_WINDOW (dialog));
    g_assert_cmpint (striae_consultation_get_status (striae_wizard_get_consultation (wizard)),
                     ==, STRIAE_CONSULTATION_STATUS_SIGNED);

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.amend", NULL));
    dialog = find_message_dialog ();
    g_assert_false (adw_message_dialog_get_response_enabled (dialog, "amend"));
    why = find_row (GTK_WIDGET (dialog), "Reason for the amendment (required)", NULL);
    g_assert_nonnull (why);
    gtk_editable_set_text (GTK_EDITABLE (why), "  ");
    g_assert_false (adw_message_dialog_get_response_enabled (dialog, "amend"));
    gtk_editable_set_text (GTK_EDITABLE (why), "Second area was missing");
    g_assert_true (adw_message_dialog_get_response_enabled (dialog, "amend"));
    adw_message_dialog_response (dialog, "amend");
    gtk_window_destroy (GTK_WINDOW (dialog));
  }
  c = striae_wizard_get_consultation (wizard);
  g_assert_cmpstr (striae_consultation_get_amendment_reason (c), ==, "Second area was missing");
  g_assert_cmpint (striae_consultation_get_status (c), ==, STRIAE_CONSULTATION_STATUS_DRAFT);
  g_assert_cmpuint (striae_consultation_get_revision (c), ==, revision + 1);
  assert_read_only (wizard, FALSE);
  g_assert_true (striae_store_patient_has_draft (fixture->store, patient_id, &error));
  g_assert_no_error (error);
  g_assert_true (striae_test_wait_for (not_saving, wizard));

  /* The signed revision stays as it was, signature included, beside the amendment. */
  revisions = striae_store_list_revisions (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (revisions->len, ==, 2);
  original = striae_store_get_revision (fixture->store, id, revision, &error);
  g_assert_no_error (error);
  g_assert_cmpint (striae_consultation_get_status (original), ==,
                   STRIAE_CONSULTATION_STATUS_SIGNED);
  g_assert_cmpstr (striae_consultation_get_practitioner (original), ==, "Dr Grace Hopper");
  g_assert_cmpuint (g_list_model_get_n_items (striae_consultation_get_areas (original)), ==, 2);
  g_clear_pointer (&signed_by, g_free);
  g_assert_true (striae_store_get_signature (fixture->store, id, revision + 1, &signed_by,
                                             NULL, &error));
  g_assert_null (signed_by);
  amended = striae_store_get_consultation (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (striae_consultation_get_revision (amended), ==, revision + 1);
  g_assert_cmpint (striae_consultation_get_status (amended), ==,
                   STRIAE_CONSULTATION_STATUS_DRAFT);
}


static AdwMessageDialog *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

static GtkWidget *
find_row (GtkWidget  *widget,
          const char *title,
          const char *subtitle)
{
  if (ADW_IS_PREFERENCES_ROW (widget) &&
      (title == NULL ||
       g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0) &&
      (subtitle == NULL ||
       (ADW_IS_ACTION_ROW (widget) &&
        g_strcmp0 (adw_action_row_get_subtitle (ADW_ACTION_ROW (widget)), subtitle) == 0)))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_row (child, title, subtitle);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The widgets under @widget that are drawn with the suggested (blue) style. */
static guint
count_suggested (GtkWidget *widget)
{
  guint n = 0;

  if (!gtk_widget_get_mapped (widget))
    return 0;
  if (gtk_widget_has_css_class (widget, "suggested-action"))
    n++;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    n += count_suggested (c);
  return n;
}

/* The labels showing a choice (in a drop-down or a combo row) under @widget that are cut. */
static guint
count_cut_choices (GtkWidget *widget)
{
  guint n = 0;

  if (!gtk_widget_get_mapped (widget))
    return 0;
  if (GTK_IS_LABEL (widget) &&
      (gtk_widget_get_ancestor (widget, GTK_TYPE_DROP_DOWN) != NULL ||
       gtk_widget_get_ancestor (widget, ADW_TYPE_COMBO_ROW) != NULL) &&
      pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (widget))))
    {
      g_test_message ("Cut: %s", gtk_label_get_label (GTK_LABEL (widget)));
      n++;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    n += count_cut_choices (c);
  return n;
}

static void
open_first_area (StriaeWizard *wizard)
{
  StriaeAreasPage *page = STRIAE_AREAS_PAGE (striae_wizard_get_page_widget (wizard, "areas"));
  GtkWidget *type;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "areas.add", NULL));
  type = striae_areas_page_get_field (page, 0, "type");
  adw_combo_row_set_selected (ADW_COMBO_ROW (type), STRIAE_MARK_TYPE_RUBRAE);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (gtk_widget_get_ancestor (
                                   type, ADW_TYPE_EXPANDER_ROW)), TRUE);
}

/* The list of the combo row @row, opened: none of its choices is cut (libadwaita 1.2 cuts
 * them at 20 characters: "Striae rubrae (new, re…", "Radiofrequency micro…"). */
static GtkWidget *
find_popover (GtkWidget *widget)
{
  if (GTK_IS_POPOVER (widget))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_popover (c);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
assert_whole_choices (GtkWidget *row)
{
  GtkWidget *popover;

  adw_action_row_activate (ADW_ACTION_ROW (row));
  spin_frames ();
  popover = find_popover (row);
  g_assert_nonnull (popover);
  g_assert_true (gtk_widget_get_mapped (popover));
  g_assert_cmpuint (count_cut_choices (popover), ==, 0);
  gtk_popover_popdown (GTK_POPOVER (popover));
  spin_frames ();
}

/* [issue 12] At one width the step strip stays a strip (or a drop-down) on every page, even
 * as pages left incomplete get their mark; each page has one suggested action; and no
 * choice on the wizard's pages is cut, at the window's width and at 360 px. */
static void
test_wizard_consistency (Fixture       *fixture,
                         gconstpointer  data)
{
  StriaeWizard *wizard = fixture->wizard;
  GtkWidget *steps = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (wizard),
                                                                 STRIAE_TYPE_WIZARD,
                                                                 "steps_box"));
  AdwSqueezer *squeezer = ADW_SQUEEZER (gtk_widget_get_ancestor (steps, ADW_TYPE_SQUEEZER));
  const int widths[] = { 1000, 360 };
  GtkWindow *window = fixture->window;

  striae_wizard_open (wizard, fixture->patient, NULL, NULL);
  for (guint w = 0; w < G_N_ELEMENTS (widths); w++)
    {
      GtkWidget *shown = NULL;
      int natural = -1;

      /* A window's default size counts only when it is first shown: each width has its own. */
      if (w > 0)
        {
          g_object_ref (wizard);
          adw_window_set_content (ADW_WINDOW (window), NULL);
          window = GTK_WINDOW (adw_window_new ());
          gtk_window_set_default_size (window, widths[w], 700);
          adw_window_set_content (ADW_WINDOW (window), GTK_WIDGET (wizard));
          g_object_unref (wizard);
          gtk_window_present (window);
        }
      striae_wizard_set_page (wizard, "patient");
      spin_frames ();
      g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, widths[w]);
      for (guint i = 0; i < STRIAE_WIZARD_N_PAGES; i++)
        {
          const char *page = striae_wizard_get_page (wizard);
          int n;

          /* An open area row, so that its choices are on screen to be measured. */
          if (w == 0 && g_strcmp0 (page, "areas") == 0)
            {
              StriaeAreasPage *areas = STRIAE_AREAS_PAGE (striae_wizard_get_page_widget (
                                                            wizard, "areas"));

              open_first_area (wizard);
              spin_frames ();
              assert_whole_choices (striae_areas_page_get_field (areas, 0, "type"));
              assert_whole_choices (striae_areas_page_get_field (areas, 0, "cause"));
            }
          if (w == 0 && g_strcmp0 (page, "plan") == 0)
            {
              GtkWidget *device = striae_plan_page_get_field (
                                    STRIAE_PLAN_PAGE (striae_wizard_get_page_widget (wizard,
                                                                                     "plan")),
                                    "device");

              assert_whole_choices (device);
              /* The longest device, chosen, is shown whole in its row too. */
              adw_combo_row_set_selected (ADW_COMBO_ROW (device), STRIAE_DEVICE_RF);
              spin_frames ();
              g_assert_cmpuint (count_cut_choices (device), ==, 0);
              adw_combo_row_set_selected (ADW_COMBO_ROW (device), STRIAE_DEVICE_NOT_SET);
            }
          spin_frames ();
          g_test_message ("%d px, page %s", widths[w], page);
          gtk_widget_measure (steps, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &n, NULL, NULL);
          if (natural < 0)
            natural = n;
          g_assert_cmpint (n, ==, natural);
          if (shown == NULL)
            shown = adw_squeezer_get_visible_child (squeezer);
          g_assert_true (adw_squeezer_get_visible_child (squeezer) == shown);
          g_assert_cmpuint (count_suggested (GTK_WIDGET (window)), <=, 1);
          g_assert_cmpuint (count_cut_choices (GTK_WIDGET (window)), ==, 0);
          if (i + 1 < STRIAE_WIZARD_N_PAGES)
            g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.next",
                                                       NULL));
        }
      /* The pages left unanswered are marked, and the strip kept its width all the same. */
      g_assert_false (striae_wizard_is_page_complete (wizard, "history"));
    }
  g_assert_true (striae_test_wait_for (not_saving, wizard));
  gtk_window_destroy (window);
}

static StriaeWindow *open_patient_window (Fixture *fixture);
static gboolean store_released (gpointer data);

/* A consultation blocked by pregnancy is signed as not treated, with the reason and the date
 * to see the patient again; the patient page then says so and offers no sheets. */
static void
test_wizard_not_treated (Fixture       *fixture,
                         gconstpointer  data)
{
  StriaeWizard *wizard = fixture->wizard;
  AdwMessageDialog *dialog;
  GtkEditable *practitioner;
  GtkWidget *reason;
  GtkWidget *see_again;
  StriaeWindow *window;
  StriaePatientPage *page;
  g_autoptr(StriaeConsultation) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *action = NULL;
  g_autoptr(GVariant) target = NULL;
  StriaeConsultation *c;

  striae_wizard_open (wizard, fixture->patient, NULL, NULL);
  next (wizard, "history");
  fill_history (wizard, STRIAE_QUESTION_PREGNANCY, "12 weeks");
  next (wizard, "skin");
  next (wizard, "areas");
  next (wizard, "plan");
  next (wizard, "summary");
  g_assert_true (striae_test_wait_for (not_saving, wizard));

  practitioner = striae_summary_page_get_practitioner (
                   STRIAE_SUMMARY_PAGE (striae_wizard_get_page_widget (wizard, "summary")));
  gtk_editable_set_text (practitioner, "Dr Hopper");
  /* Blocked: sign-off is refused, signing as not treated is offered. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.sign-off", NULL));
  g_assert_cmpint (striae_consultation_get_status (striae_wizard_get_consultation (wizard)), !=,
                   STRIAE_CONSULTATION_STATUS_SIGNED);
  g_assert_nonnull (find_button (striae_wizard_get_page_widget (wizard, "summary"),
                                 "Not _Treated…"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.sign-not-treated",
                                             NULL));
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  /* The reason is required. */
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "sign"));
  reason = find_row (GTK_WIDGET (dialog), "Reason (required)", NULL);
  see_again = find_row (GTK_WIDGET (dialog), "See again on (YYYY-MM-DD, optional)", NULL);
  g_assert_nonnull (reason);
  g_assert_nonnull (see_again);
  gtk_editable_set_text (GTK_EDITABLE (reason), "Pregnant; after the birth");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "sign"));
  /* A date that is none is said at once, under the fields; signing waits for a good one, and
   * the reason stays as typed. */
  gtk_editable_set_text (GTK_EDITABLE (see_again), "next autumn");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "sign"));
  g_assert_true (gtk_widget_has_css_class (see_again, "error"));
  g_assert_nonnull (find_row (GTK_WIDGET (dialog),
                              "“next autumn” is not a date; write it as YYYY-MM-DD, or leave it "
                              "empty.", NULL));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (reason)), ==,
                   "Pregnant; after the birth");
  striae_test_window_save_png (GTK_WIDGET (dialog), "not-treated-bad-date.png");
  gtk_editable_set_text (GTK_EDITABLE (see_again), "");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "sign"));
  g_assert_false (gtk_widget_has_css_class (see_again, "error"));
  g_assert_null (find_row (GTK_WIDGET (dialog),
                           "“next autumn” is not a date; write it as YYYY-MM-DD, or leave it "
                           "empty.", NULL));
  gtk_editable_set_text (GTK_EDITABLE (see_again), "2027-09-01");
  adw_message_dialog_response (dialog, "sign");
  gtk_window_destroy (GTK_WINDOW (dialog));

  c = striae_wizard_get_consultation (wizard);
  g_assert_cmpint (striae_consultation_get_status (c), ==, STRIAE_CONSULTATION_STATUS_SIGNED);
  g_assert_true (striae_consultation_is_not_treated (c));
  stored = striae_store_get_consultation (fixture->store, striae_consultation_get_id (c),
                                          &error);
  g_assert_no_error (error);
  g_assert_cmpint (striae_consultation_get_status (stored), ==,
                   STRIAE_CONSULTATION_STATUS_SIGNED);
  g_assert_true (striae_consultation_is_not_treated (stored));
  g_assert_cmpstr (striae_consultation_get_not_treated_reason (stored), ==,
                   "Pregnant; after the birth");
  striae_assert_date (striae_consultation_get_see_again (stored), "2027-09-01");
  /* The summary says so and offers no sheets. */
  g_assert_false (gtk_widget_get_visible (find_button (
                    striae_wizard_get_page_widget (wizard, "summary"), "S_heets…")));
  g_assert_true (striae_test_wait_for (not_saving, wizard));

  window = open_patient_window (fixture);
  page = striae_window_get_patient_page (window);
  g_assert_nonnull (find_row (GTK_WIDGET (page), NULL,
                              "Not treated · see again on 2027-09-01 · Dr Hopper"));
  g_assert_null (find_button (GTK_WIDGET (page), "_Sheets…"));
  g_assert_null (find_menu_item (GTK_WIDGET (page), "_Sheets…", &action, &target));
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_true (striae_test_wait_for (store_released, fixture));
}

/* The child fills part of the wizard, says so, and waits to be killed. */
static int
crash_child (const char *database,
             const char *patient_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StriaeStore) store = striae_store_open (database, &error);
  g_autoptr(StriaeWizardRecords) records = NULL;
  g_autoptr(StriaePatient) patient = NULL;
  GtkWindow *window = GTK_WINDOW (adw_window_new ());
  StriaeWizard *wizard = STRIAE_WIZARD (striae_wizard_new ());

  g_assert_no_error (error);
  patient = striae_store_get_patient (store, g_ascii_strtoll (patient_id, NULL, 10), &error);
  g_assert_no_error (error);
  records = striae_wizard_records_new (store);
  striae_wizard_set_records (wizard, records);
  adw_window_set_content (ADW_WINDOW (window), GTK_WIDGET (wizard));
  gtk_window_present (window);
  striae_wizard_open (wizard, patient, NULL, NULL);
  next (wizard, "history");
  next (wizard, "skin");
  fill_skin (wizard, 4);
  gtk_editable_set_text (GTK_EDITABLE (striae_wizard_get_page_widget (wizard, "patient")),
                         "2031-01-02");
  g_print ("EDITED\n");

  while (TRUE)
    g_main_context_iteration (NULL, TRUE);
  return 0;
}

static void
test_wizard_crash (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  g_autofree char *patient_id = NULL;
  g_autoptr(GPtrArray) stored = NULL;
  StriaeConsultation *draft;
  StriaeSkinPage *skin;

  patient_id = g_strdup_printf ("%" G_GINT64_FORMAT, striae_patient_get_id (fixture->patient));
  g_subprocess_launcher_setenv (launcher, "STRIAE_WIZARD_CRASH_CHILD", fixture->database, TRUE);
  g_subprocess_launcher_setenv (launcher, "STRIAE_WIZARD_CRASH_PATIENT", patient_id, TRUE);
  child = g_subprocess_launcher_spawn (launcher, &error, g_test_get_filename (G_TEST_BUILT,
                                                                              "test-wizard",
                                                                              NULL), NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
  /* gtk_test_init() prints TAP lines of its own before the child's. */
  do
    {
      g_free (line);
      line = g_data_input_stream_read_line (out, NULL, NULL, &error);
      g_assert_no_error (error);
    }
  while (line != NULL && g_strcmp0 (line, "EDITED") != 0);
  g_assert_cmpstr (line, ==, "EDITED");

  /* The promise: no more than the last 2 seconds are lost. */
  g_usleep (2 * G_USEC_PER_SEC);
  g_subprocess_send_signal (child, SIGKILL);
  g_subprocess_wait (child, NULL, NULL);

  /* The draft is in the database, as the killed process left it. */
  g_assert_true (striae_store_patient_has_draft (fixture->store,
                                                 striae_patient_get_id (fixture->patient),
                                                 &error));
  g_assert_no_error (error);
  stored = striae_store_list_consultations (fixture->store,
                                            striae_patient_get_id (fixture->patient), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stored->len, ==, 1);
  draft = g_ptr_array_index (stored, 0);
  g_assert_cmpint (striae_consultation_get_status (draft), ==, STRIAE_CONSULTATION_STATUS_DRAFT);
  striae_assert_date (striae_consultation_get_date (draft), "2031-01-02");
  g_assert_cmpuint (striae_skin_get_fitzpatrick (striae_consultation_get_skin (draft)), ==, 4);

  /* Resumed, the wizard opens on the page the killed process was on, with the input in the
   * fields; the history page, skipped, can be reached from the step strip, the next page
   * not yet. */
  striae_wizard_open (fixture->wizard, fixture->patient, draft, NULL);
  g_assert_cmpstr (striae_wizard_get_page (fixture->wizard), ==, "skin");
  g_assert_true (striae_wizard_is_page_complete (fixture->wizard, "patient"));
  g_assert_false (striae_wizard_is_page_complete (fixture->wizard, "history"));
  g_assert_true (gtk_widget_get_sensitive (striae_wizard_get_step_button (fixture->wizard,
                                                                          "history")));
  g_assert_false (gtk_widget_get_sensitive (striae_wizard_get_step_button (fixture->wizard,
                                                                           "areas")));
  skin = STRIAE_SKIN_PAGE (striae_wizard_get_page_widget (fixture->wizard, "skin"));
  g_assert_true (gtk_check_button_get_active (striae_skin_page_get_fitzpatrick (skin, 4)));
  g_assert_true (striae_test_wait_for (not_saving, fixture->wizard));
}

static GtkWidget *
find_label (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, text);

      if (found != NULL)
        return found;
    }

  return NULL;
}

#define CLINIC_RULES_LINE "Screened with the clinic’s own rules, not Striae’s defaults"

/* The summary says, in one line, when the consultation is screened with rules the clinic
 * changed, and says nothing with the defaults. */
static void
test_wizard_clinic_rules (Fixture       *fixture,
                          gconstpointer  data)
{
  StriaeWizard *wizard = fixture->wizard;
  g_autoptr(StriaeRules) rules = striae_rules_new ();
  g_autoptr(GError) error = NULL;
  GtkWidget *summary;

  striae_wizard_open (wizard, fixture->patient, NULL, NULL);
  next (wizard, "history");
  next (wizard, "skin");
  next (wizard, "areas");
  next (wizard, "plan");
  next (wizard, "summary");
  summary = striae_wizard_get_page_widget (wizard, "summary");
  g_assert_null (find_label (summary, CLINIC_RULES_LINE));
  g_assert_true (striae_test_wait_for (not_saving, wizard));

  striae_rules_set_level (rules, STRIAE_CHECK_SENSITIVE_SKIN, STRIAE_LEVEL_OFF);
  g_assert_true (striae_store_save_rules (fixture->store, rules, NULL, &error));
  g_assert_no_error (error);
  striae_wizard_open (wizard, fixture->patient, NULL, NULL);
  next (wizard, "history");
  next (wizard, "skin");
  next (wizard, "areas");
  next (wizard, "plan");
  next (wizard, "summary");
  g_assert_nonnull (find_label (summary, CLINIC_RULES_LINE));
  g_assert_true (striae_test_wait_for (not_saving, wizard));
}

static gboolean
draft_saved (gpointer data)
{
  Fixture *fixture = data;

  return striae_wizard_records_has_draft (fixture->records,
                                          striae_patient_get_id (fixture->patient));
}

/* A last-dose date that is not a date says why under the field, and nothing is stored
 * until the date is whole; a good date then clears the message and is kept. */
static void
test_wizard_isotretinoin_date (Fixture       *fixture,
                               gconstpointer  data)
{
  StriaeWizard *wizard = fixture->wizard;
  StriaeHistoryPage *page;
  StriaeHistory *history;
  GtkEditable *field;
  GtkWidget *message;

  striae_wizard_open (wizard, fixture->patient, NULL, NULL);
  next (wizard, "history");
  page = history_page (wizard);
  field = striae_history_page_get_isotretinoin_end (page);
  message = striae_history_page_get_isotretinoin_error (page);
  history = striae_consultation_get_history (striae_wizard_get_consultation (wizard));

  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (field)));
  answer (striae_history_page_get_answer (page, STRIAE_QUESTION_ISOTRETINOIN),
          STRIAE_ANSWER_YES);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (field)));

  gtk_editable_set_text (field, "last week");
  g_assert_true (gtk_widget_get_visible (message));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (field), "error"));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (message)), !=, "");
  g_assert_null (striae_history_get_isotretinoin_end_date (history));

  gtk_editable_set_text (field, "2026-01-15");
  g_assert_false (gtk_widget_get_visible (message));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (field), "error"));
  striae_assert_date (striae_history_get_isotretinoin_end_date (history), "2026-01-15");

  /* The message leaves with the field when the answer is no longer "yes". */
  gtk_editable_set_text (field, "15/01");
  g_assert_true (gtk_widget_get_visible (message));
  answer (striae_history_page_get_answer (page, STRIAE_QUESTION_ISOTRETINOIN),
          STRIAE_ANSWER_NO);
  g_assert_false (gtk_widget_get_visible (message));
  g_assert_true (striae_test_wait_for (not_saving, wizard));
}

/* The patient list marks who has a draft open, for the eye and for a screen reader; a row
 * makes its tag only when it first shows a draft (issue 15: the register's first frame makes
 * a row for each patient it shows). */
static void
test_wizard_draft_tag (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GtkWidget) row = g_object_ref_sink (striae_patient_row_new ());
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  GtkWidget *tag;

  gtk_window_set_child (window, row);
  gtk_window_present (window);
  striae_patient_row_set_patient (STRIAE_PATIENT_ROW (row), fixture->patient);
  g_assert_false (draft_saved (fixture));
  striae_patient_row_set_has_draft (STRIAE_PATIENT_ROW (row), draft_saved (fixture));
  g_assert_null (find_label (row, "Draft"));

  /* A new consultation is a draft as soon as it is opened. */
  striae_wizard_open (fixture->wizard, fixture->patient, NULL, NULL);
  g_assert_true (striae_test_wait_for (draft_saved, fixture));
  striae_patient_row_set_has_draft (STRIAE_PATIENT_ROW (row), draft_saved (fixture));
  g_assert_true (striae_patient_row_get_has_draft (STRIAE_PATIENT_ROW (row)));
  tag = find_label (row, "Draft");
  g_assert_nonnull (tag);
  g_assert_true (gtk_widget_is_visible (tag));
  g_assert_true (striae_test_wait_for (not_saving, fixture->wizard));

  /* A row bound to a patient without a draft hides the tag it made. */
  striae_patient_row_set_has_draft (STRIAE_PATIENT_ROW (row), FALSE);
  g_assert_false (gtk_widget_is_visible (tag));

  gtk_window_destroy (window);
}

static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The menu button under @widget whose menu has an item labelled @label; its action and
 * target in @action and @target. */
static GtkWidget *
find_menu_item (GtkWidget  *widget,
                const char *label,
                char      **action,
                GVariant  **target)
{
  if (GTK_IS_MENU_BUTTON (widget) &&
      gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (widget)) != NULL)
    {
      GMenuModel *menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (widget));

      for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
        {
          g_autofree char *text = NULL;

          if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_LABEL, "s", &text) &&
              g_strcmp0 (text, label) == 0)
            {
              g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", action);
              *target = g_menu_model_get_item_attribute_value (menu, i,
                                                               G_MENU_ATTRIBUTE_TARGET, NULL);
              return widget;
            }
        }
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_menu_item (child, label, action, target);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static StriaeSheetPreview *
find_preview (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (STRIAE_IS_SHEET_PREVIEW (window))
        return STRIAE_SHEET_PREVIEW (window);
    }
  return NULL;
}

static gboolean
preview_shown (gpointer data)
{
  return find_preview () != NULL;
}

static gboolean
store_released (gpointer data)
{
  Fixture *fixture = data;

  /* The fixture's own reference and the wizard records' one remain. */
  return G_OBJECT (fixture->store)->ref_count <= 2;
}

/* A consultation's row on the patient page opens its sheets, with the store attached so that
 * printing and exporting reach the audit log. */
static void
test_wizard_sheets_from_patient_page (Fixture       *fixture,
                                      gconstpointer  data)
{
  g_autoptr(StriaeConsultation) consultation = striae_consultation_new ();
  g_autoptr(GError) error = NULL;
  StriaeWindow *window;
  StriaeSheetPreview *preview;
  GtkWidget *button;
  g_autofree char *action = NULL;
  g_autoptr(GVariant) target = NULL;
  g_autofree char *export = NULL;
  GtkWidget *date_label;
  int natural = 0;

  striae_consultation_set_patient_id (consultation, striae_patient_get_id (fixture->patient));
  striae_consultation_set_date (consultation, striae_test_date ("2026-11-23"));
  g_assert_true (striae_store_save_consultation (fixture->store, consultation, "Dr Hopper",
                                                 &error));
  g_assert_no_error (error);

  window = striae_window_new (NULL, fixture->store);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (striae_window_show_patient (window, striae_patient_get_id (fixture->patient),
                                             &error));
  g_assert_no_error (error);

  /* Opening the record is written to the audit log. */
  export = striae_store_export_patient (fixture->store, striae_patient_get_id (fixture->patient),
                                        STRIAE_EXPORT_FLAGS_WITH_AUDIT, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (export, "\"view\""));

  /* At 360 px, as on a phone-sized window, the row's date keeps its width: one line, not a
   * column of digits squeezed by the row's buttons. */
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 720);
  spin_frames ();
  date_label = find_label (GTK_WIDGET (striae_window_get_patient_page (window)), "2026-11-23");
  g_assert_nonnull (date_label);
  for (int i = 0; i < 200 && gtk_widget_get_width (GTK_WIDGET (window)) > 360; i++)
    spin_frames ();
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, 360);
  gtk_widget_measure (date_label, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
  g_test_message ("the date is %d px wide, %d px natural", gtk_widget_get_width (date_label),
                  natural);
  g_assert_cmpint (gtk_widget_get_width (date_label), >=, natural);
  striae_test_window_save_png (GTK_WIDGET (window), "patient-page-narrow.png");

  /* Sheets… is in the consultation's menu (a narrow window keeps room for its date). */
  button = find_menu_item (GTK_WIDGET (striae_window_get_patient_page (window)), "_Sheets…",
                           &action, &target);
  g_assert_nonnull (button);
  g_assert_cmpstr (action, ==, "win.show-sheets");
  g_assert_nonnull (target);
  g_assert_null (find_preview ());
  g_assert_true (gtk_widget_activate_action_variant (button, "win.show-sheets", target));
  g_assert_true (striae_test_wait_for (preview_shown, NULL));

  preview = find_preview ();
  g_assert_true (striae_sheet_preview_get_store (preview) == fixture->store);
  g_assert_cmpstr (striae_sheet_preview_get_sheet_name (preview), ==, "pre-treatment");

  gtk_window_destroy (GTK_WINDOW (preview));
  gtk_window_destroy (GTK_WINDOW (window));
  /* The list's last search finishes in a worker thread that holds the store until then. */
  g_assert_true (striae_test_wait_for (store_released, fixture));
}

static gboolean
wizard_made (gpointer data)
{
  return striae_window_get_wizard (data) != NULL;
}

/* The window's wizard, which it makes when a consultation is first opened (possibly after a
 * load from the records). */
static StriaeWizard *
find_wizard (GtkWidget *window)
{
  g_assert_true (striae_test_wait_for (wizard_made, window));
  return striae_window_get_wizard (STRIAE_WINDOW (window));
}

static char *
dup_stored_page (Fixture *fixture,
                 gint64   id)
{
  g_autoptr(GError) error = NULL;
  char *page = striae_store_dup_resume_page (fixture->store, id, &error);

  g_assert_no_error (error);
  return page;
}

static StriaeWindow *
open_patient_window (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  StriaeWindow *window = striae_window_new (NULL, fixture->store);

  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (striae_window_show_patient (window, striae_patient_get_id (fixture->patient),
                                             &error));
  g_assert_no_error (error);
  return window;
}

static gboolean
on_plan_page (gpointer data)
{
  StriaeWizard *wizard = data;

  return striae_wizard_get_consultation (wizard) != NULL &&
         g_strcmp0 (striae_wizard_get_page (wizard), "plan") == 0;
}

/* The practitioner goes as far as the plan, is called away and closes the window; the
 * patient page then offers the draft, and "Continue" brings back the plan page as it was. */
static void
test_wizard_resume_from_patient_page (Fixture       *fixture,
                                      gconstpointer  data)
{
  StriaeWindow *window;
  StriaePatientPage *page;
  StriaeWizard *wizard;
  StriaePlanPage *plan;
  GtkWidget *resume;
  GtkWidget *row;
  GtkWidget *check;
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stored_page = NULL;
  g_autofree char *title = NULL;
  g_autofree char *date = NULL;
  StriaeConsultation *draft;
  gint64 id;

  window = open_patient_window (fixture);
  page = striae_window_get_patient_page (window);
  resume = find_button (GTK_WIDGET (page), "C_ontinue");
  g_assert_nonnull (resume);
  /* No draft, no offer. */
  g_assert_false (gtk_widget_is_visible (resume));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "patient.new-consultation",
                                             NULL));
  wizard = find_wizard (GTK_WIDGET (window));
  g_assert_nonnull (wizard);
  g_assert_cmpstr (striae_wizard_get_page (wizard), ==, "patient");
  g_assert_true (striae_test_wait_for (not_saving, wizard));
  /* The new draft is stored with its page from the start. */
  id = striae_consultation_get_id (striae_wizard_get_consultation (wizard));
  g_assert_cmpint (id, >, 0);
  stored_page = dup_stored_page (fixture, id);
  g_assert_cmpstr (stored_page, ==, "patient");

  next (wizard, "history");
  fill_history (wizard, STRIAE_QUESTION_ANTICOAGULANTS, "Aspirin 75 mg");
  check = striae_history_page_get_acknowledge (history_page (wizard), "anticoagulants");
  g_assert_nonnull (check);
  click (check);
  next (wizard, "skin");
  fill_skin (wizard, 3);
  next (wizard, "areas");
  add_area (wizard, 0, STRIAE_BODY_SITE_ABDOMEN, STRIAE_MARK_TYPE_ALBAE,
            STRIAE_SEVERITY_MODERATE, "Below the navel");
  next (wizard, "plan");
  plan = STRIAE_PLAN_PAGE (striae_wizard_get_page_widget (wizard, "plan"));
  gtk_editable_set_text (GTK_EDITABLE (striae_plan_page_get_field (plan, "first-session")),
                         "2030-03-04");

  /* Closed at once: the page change and the edit are still being saved. */
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_true (striae_test_wait_for (store_released, fixture));
  g_clear_pointer (&stored_page, g_free);
  stored_page = dup_stored_page (fixture, id);
  g_assert_cmpstr (stored_page, ==, "plan");

  window = open_patient_window (fixture);
  page = striae_window_get_patient_page (window);
  resume = find_button (GTK_WIDGET (page), "C_ontinue");
  g_assert_nonnull (resume);
  g_assert_true (gtk_widget_is_visible (resume));
  g_assert_true (gtk_widget_is_sensitive (resume));
  g_assert_true (gtk_widget_get_focusable (resume));
  g_assert_true (gtk_button_get_use_underline (GTK_BUTTON (resume)));
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (resume)), ==,
                   "patient.resume");

  /* The offer names the draft and the page it was left on. */
  stored = striae_store_list_consultations (fixture->store,
                                            striae_patient_get_id (fixture->patient), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stored->len, ==, 1);
  draft = g_ptr_array_index (stored, 0);
  date = striae_format_iso_date (striae_consultation_get_date (draft));
  title = g_strdup_printf ("Unfinished consultation of %s", date);
  row = gtk_widget_get_ancestor (resume, ADW_TYPE_ACTION_ROW);
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, title);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   "Left on step 5 of 6: Plan");

  g_assert_true (gtk_widget_activate (resume));
  wizard = find_wizard (GTK_WIDGET (window));
  g_assert_true (striae_test_wait_for (on_plan_page, wizard));
  g_assert_cmpint (striae_consultation_get_id (striae_wizard_get_consultation (wizard)), ==, id);
  plan = STRIAE_PLAN_PAGE (striae_wizard_get_page_widget (wizard, "plan"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (striae_plan_page_get_field (
                                                          plan, "first-session"))), ==,
                   "2030-03-04");
  striae_assert_date (striae_plan_get_first_session (striae_consultation_get_plan (
                                                    striae_wizard_get_consultation (wizard))),
                      "2030-03-04");
  /* Every page before it can be reached from the step strip. */
  g_assert_true (gtk_widget_get_sensitive (striae_wizard_get_step_button (wizard, "areas")));
  g_assert_true (gtk_widget_get_sensitive (striae_wizard_get_step_button (wizard, "history")));

  /* Back on the patient page from another page, the offer follows. */
  click (striae_wizard_get_step_button (wizard, "areas"));
  g_assert_cmpstr (striae_wizard_get_page (wizard), ==, "areas");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.back", NULL));
  g_assert_true (gtk_widget_is_visible (resume));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   "Left on step 4 of 6: Stretch marks");
  g_assert_true (striae_test_wait_for (not_saving, wizard));

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_true (striae_test_wait_for (store_released, fixture));
}

/* A draft saved before the store kept pages, or with a page the wizard does not have, opens
 * at its first incomplete page; a stored page wins over that. */
static void
test_wizard_resume_without_page (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(StriaeConsultation) draft = striae_consultation_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *stored_page = NULL;
  gint64 id;

  striae_consultation_set_patient_id (draft, striae_patient_get_id (fixture->patient));
  striae_consultation_set_date (draft, striae_test_date ("2030-05-06"));
  g_assert_true (striae_store_save_consultation (fixture->store, draft, NULL, &error));
  g_assert_no_error (error);
  id = striae_consultation_get_id (draft);
  stored_page = dup_stored_page (fixture, id);
  g_assert_cmpstr (stored_page, ==, "");

  striae_wizard_open (fixture->wizard, fixture->patient, draft, NULL);
  g_assert_cmpstr (striae_wizard_get_page (fixture->wizard), ==, "history");
  g_assert_false (gtk_widget_get_sensitive (striae_wizard_get_step_button (fixture->wizard,
                                                                           "skin")));
  g_assert_true (striae_test_wait_for (not_saving, fixture->wizard));

  g_assert_true (striae_store_set_resume_page (fixture->store, id, "nowhere", &error));
  g_assert_no_error (error);
  striae_wizard_open (fixture->wizard, fixture->patient, draft, NULL);
  g_assert_cmpstr (striae_wizard_get_page (fixture->wizard), ==, "history");
  g_assert_true (striae_test_wait_for (not_saving, fixture->wizard));

  g_assert_true (striae_store_set_resume_page (fixture->store, id, "areas", &error));
  g_assert_no_error (error);
  striae_wizard_open (fixture->wizard, fixture->patient, draft, NULL);
  g_assert_cmpstr (striae_wizard_get_page (fixture->wizard), ==, "areas");
  g_assert_true (gtk_widget_get_sensitive (striae_wizard_get_step_button (fixture->wizard,
                                                                          "skin")));
  g_assert_false (gtk_widget_get_sensitive (striae_wizard_get_step_button (fixture->wizard,
                                                                           "plan")));
  g_assert_true (striae_test_wait_for (not_saving, fixture->wizard));
  /* A page asked for explicitly wins over the stored one. */
  striae_wizard_open (fixture->wizard, fixture->patient, draft, "skin");
  g_assert_cmpstr (striae_wizard_get_page (fixture->wizard), ==, "skin");
  g_assert_true (striae_test_wait_for (not_saving, fixture->wizard));
}

/* Opening a consultation with another date than the one shown replaces the field's text:
 * the field, on its way through an empty text, must not stay marked as a wrong date. */
static void
test_wizard_date_of_another (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(StriaeConsultation) draft = striae_consultation_new ();
  GtkWidget *date = striae_wizard_get_page_widget (fixture->wizard, "patient");
  g_autoptr(GError) error = NULL;

  striae_consultation_set_patient_id (draft, striae_patient_get_id (fixture->patient));
  striae_consultation_set_date (draft, striae_test_date ("2030-05-06"));
  g_assert_true (striae_store_save_consultation (fixture->store, draft, NULL, &error));
  g_assert_no_error (error);

  striae_wizard_open (fixture->wizard, fixture->patient, NULL, NULL);
  g_assert_true (striae_test_wait_for (not_saving, fixture->wizard));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (date)), !=, "2030-05-06");
  striae_wizard_open (fixture->wizard, fixture->patient, draft, "patient");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (date)), ==, "2030-05-06");
  g_assert_false (gtk_widget_has_css_class (date, "error"));
  striae_assert_date (striae_consultation_get_date (striae_wizard_get_consultation (
                                                   fixture->wizard)), "2030-05-06");

  /* A wrong date typed is still marked, and a right one clears the mark. */
  gtk_editable_set_text (GTK_EDITABLE (date), "2030-13-40");
  g_assert_true (gtk_widget_has_css_class (date, "error"));
  gtk_editable_set_text (GTK_EDITABLE (date), "2030-05-06");
  g_assert_false (gtk_widget_has_css_class (date, "error"));
  g_assert_true (striae_test_wait_for (not_saving, fixture->wizard));
}

/* The practitioner's name on the summary is the consultation's: a name typed for one
 * consultation is not offered to sign the next one (another patient's, perhaps), and a draft
 * shows the name it was left with. */
static void
test_wizard_practitioner_of_each (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(StriaeConsultation) draft = striae_consultation_new ();
  StriaeSummaryPage *summary = STRIAE_SUMMARY_PAGE (striae_wizard_get_page_widget (
                                                      fixture->wizard, "summary"));
  GtkEditable *practitioner = striae_summary_page_get_practitioner (summary);
  g_autoptr(GError) error = NULL;

  striae_consultation_set_patient_id (draft, striae_patient_get_id (fixture->patient));
  striae_consultation_set_date (draft, striae_test_date ("2030-05-06"));
  striae_consultation_set_practitioner (draft, "Dr Left Earlier");
  g_assert_true (striae_store_save_consultation (fixture->store, draft, NULL, &error));
  g_assert_no_error (error);

  striae_wizard_open (fixture->wizard, fixture->patient, NULL, "summary");
  g_assert_cmpstr (gtk_editable_get_text (practitioner), ==, "");
  gtk_editable_set_text (practitioner, "Dr Typed Here");
  g_assert_true (striae_test_wait_for (not_saving, fixture->wizard));

  striae_wizard_open (fixture->wizard, fixture->patient, NULL, "summary");
  g_assert_cmpstr (gtk_editable_get_text (practitioner), ==, "");
  g_assert_true (striae_test_wait_for (not_saving, fixture->wizard));

  striae_wizard_open (fixture->wizard, fixture->patient, draft, "summary");
  g_assert_cmpstr (gtk_editable_get_text (practitioner), ==, "Dr Left Earlier");
  g_assert_true (striae_test_wait_for (not_saving, fixture->wizard));
}

static guint
count_consultations (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = striae_store_list_consultations (
                                fixture->store, striae_patient_get_id (fixture->patient),
                                &error);

  g_assert_no_error (error);
  return list->len;
}

/* "New Consultation" while a draft exists asks: continue it, start anew, or cancel; the draft
 * can be discarded after a confirmation, which the audit log records. */
static void
test_wizard_new_while_draft (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(StriaeConsultation) draft = striae_consultation_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *export = NULL;
  AdwMessageDialog *dialog;
  StriaePatientPage *page;
  StriaeWindow *window;
  StriaeWizard *wizard;
  gint64 id;

  striae_consultation_set_patient_id (draft, striae_patient_get_id (fixture->patient));
  striae_consultation_set_date (draft, striae_test_date ("2030-05-06"));
  g_assert_true (striae_store_save_consultation (fixture->store, draft, NULL, &error));
  g_assert_no_error (error);
  id = striae_consultation_get_id (draft);

  /* Cancel: nothing happens. */
  window = open_patient_window (fixture);
  page = striae_window_get_patient_page (window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "patient.new-consultation",
                                             NULL));
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  g_assert_true (adw_message_dialog_has_response (dialog, "continue"));
  g_assert_true (adw_message_dialog_has_response (dialog, "new"));
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  spin_frames ();
  wizard = striae_window_get_wizard (window);
  g_assert_true (wizard == NULL || striae_wizard_get_consultation (wizard) == NULL);
  g_assert_cmpuint (count_consultations (fixture), ==, 1);

  /* Continue: the draft opens. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "patient.new-consultation",
                                             NULL));
  dialog = find_message_dialog ();
  adw_message_dialog_response (dialog, "continue");
  gtk_window_destroy (GTK_WINDOW (dialog));
  wizard = find_wizard (GTK_WIDGET (window));
  g_assert_nonnull (wizard);
  g_assert_cmpint (striae_consultation_get_id (striae_wizard_get_consultation (wizard)), ==,
                   id);
  g_assert_true (striae_test_wait_for (not_saving, wizard));
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_true (striae_test_wait_for (store_released, fixture));
  g_assert_cmpuint (count_consultations (fixture), ==, 1);

  /* Start new: a second consultation, on purpose. */
  window = open_patient_window (fixture);
  page = striae_window_get_patient_page (window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "patient.new-consultation",
                                             NULL));
  dialog = find_message_dialog ();
  adw_message_dialog_response (dialog, "new");
  gtk_window_destroy (GTK_WINDOW (dialog));
  wizard = find_wizard (GTK_WIDGET (window));
  g_assert_nonnull (wizard);
  g_assert_cmpint (striae_consultation_get_id (striae_wizard_get_consultation (wizard)), !=,
                   id);
  g_assert_true (striae_test_wait_for (not_saving, wizard));
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_true (striae_test_wait_for (store_released, fixture));
  g_assert_cmpuint (count_consultations (fixture), ==, 2);

  /* Discard, confirmed: the draft offered on the page goes, and the log says so. */
  window = open_patient_window (fixture);
  page = striae_window_get_patient_page (window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "patient.discard-draft", NULL));
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_cmpuint (count_consultations (fixture), ==, 2);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "patient.discard-draft", NULL));
  dialog = find_message_dialog ();
  adw_message_dialog_response (dialog, "discard");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_cmpuint (count_consultations (fixture), ==, 1);
  export = striae_store_export_patient (fixture->store, striae_patient_get_id (fixture->patient),
                                        STRIAE_EXPORT_FLAGS_WITH_AUDIT, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (export, "\"discard\""));
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_true (striae_test_wait_for (store_released, fixture));
}

static GtkWidget *
find_row_titled (GtkWidget  *widget,
                 const char *prefix)
{
  if (ADW_IS_PREFERENCES_ROW (widget) &&
      g_str_has_prefix (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), prefix))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_row_titled (child, prefix);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* While an amendment is in progress the list still shows the signed record; "Revisions…"
 * lists every revision, who signed it and when, and why it was amended, and opens a signed
 * one read-only. */
#define LONG_REASON "Wrong area: the marks on the outer thighs were recorded as the abdomen, " \
                    "and the depth of the second area was copied from the first one"

static void
test_wizard_revisions (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(StriaeConsultation) consultation = striae_consultation_new ();
  g_autoptr(StriaeConsultation) amended = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *subtitle = g_strdup_printf ("Signed %s · amendment in progress", today);
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog;
  StriaePatientPage *page;
  StriaeWindow *window;
  StriaeWizard *wizard;
  StriaeConsultation *opened;
  GtkWidget *row;
  gint64 id;

  striae_consultation_set_patient_id (consultation, striae_patient_get_id (fixture->patient));
  striae_consultation_set_date (consultation, striae_test_date ("2026-12-02"));
  striae_consultation_set_status (consultation, STRIAE_CONSULTATION_STATUS_COMPLETE);
  g_assert_true (striae_store_save_consultation (fixture->store, consultation, NULL, &error));
  id = striae_consultation_get_id (consultation);
  g_assert_true (striae_store_sign_consultation (fixture->store, id, "Dr Roux", &error));
  amended = striae_store_amend_consultation (fixture->store, id, "Dr Roux", LONG_REASON,
                                             &error);
  g_assert_no_error (error);

  window = open_patient_window (fixture);
  page = striae_window_get_patient_page (window);
  g_assert_nonnull (find_row (GTK_WIDGET (page), "2026-12-02", subtitle));
  g_assert_nonnull (find_row (GTK_WIDGET (page),
                              "Amendment in progress of the consultation of 2026-12-02", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "patient.show-revisions", "x",
                                             id));
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  g_assert_nonnull (find_row_titled (GTK_WIDGET (dialog), "Revision 1 · signed by Dr Roux on "));
  g_assert_nonnull (find_row (GTK_WIDGET (dialog), "Revision 2 · not signed yet",
                              "Amended because: " LONG_REASON));
  striae_test_window_save_png (GTK_WIDGET (dialog), "revisions.png");
  /* A long reason wraps and is shown whole, above the dialog's button. */
  {
    GtkWidget *reason = find_label (GTK_WIDGET (dialog), "Amended because: " LONG_REASON);
    graphene_rect_t bounds;
    int minimum;

    g_assert_nonnull (reason);
    for (int i = 0; i < 40 && gtk_widget_get_height (reason) == 0; i++)
      spin_frames ();
    g_assert_true (gtk_widget_compute_bounds (reason, GTK_WIDGET (dialog), &bounds));
    gtk_widget_measure (reason, GTK_ORIENTATION_VERTICAL, gtk_widget_get_width (reason),
                        &minimum, NULL, NULL, NULL);
    g_assert_cmpint (gtk_widget_get_height (reason), >=, minimum);
    g_assert_null (gtk_widget_get_ancestor (reason, GTK_TYPE_SCROLLED_WINDOW));
    g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=,
                       gtk_widget_get_height (GTK_WIDGET (dialog)) - 48);
  }

  /* The signed revision opens, read-only. */
  row = find_row_titled (GTK_WIDGET (dialog), "Revision 1 ·");
  g_assert_true (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (row)));
  g_signal_emit_by_name (row, "activated");
  wizard = find_wizard (GTK_WIDGET (window));
  g_assert_nonnull (wizard);
  opened = striae_wizard_get_consultation (wizard);
  g_assert_cmpuint (striae_consultation_get_revision (opened), ==, 1);
  g_assert_cmpint (striae_consultation_get_status (opened), ==,
                   STRIAE_CONSULTATION_STATUS_SIGNED);
  assert_read_only (wizard, TRUE);
  striae_wizard_set_page (wizard, "history");
  striae_test_window_save_png (GTK_WIDGET (window), "signed-history.png");
  if (find_message_dialog () != NULL)
    gtk_window_destroy (GTK_WINDOW (find_message_dialog ()));
  /* It is not the revision to amend: it offers no Amend, and says where the record is now. */
  {
    GtkWidget *summary = striae_wizard_get_page_widget (wizard, "summary");
    AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (find_descendant_with_title (summary,
                                                                                    "Sign-Off"));

    striae_wizard_set_page (wizard, "summary");
    g_assert_false (gtk_widget_get_visible (find_button (summary, "_Amend")));
    g_assert_nonnull (strstr (adw_preferences_group_get_description (group),
                              "This is revision 1, kept as it was signed; the record now is "
                              "revision 2"));
  }
  /* Asked for all the same (a shortcut), it says why not, and nothing is stored. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.amend", NULL));
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "The Record Could Not Be Amended");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "newer revision 2"));
  gtk_window_destroy (GTK_WINDOW (dialog));
  {
    g_autoptr(GPtrArray) revisions = striae_store_list_revisions (fixture->store, id, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (revisions->len, ==, 2);
  }
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_true (striae_test_wait_for (store_released, fixture));
}

static gboolean
is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* A window closed while the wizard still writes the last page change, with an edit made
 * since: both the edit and the page reach the database. */
static void
test_wizard_close_while_saving (Fixture       *fixture,
                                gconstpointer  data)
{
  GtkWindow *window = GTK_WINDOW (adw_window_new ());
  StriaeWizard *wizard = STRIAE_WIZARD (striae_wizard_new ());
  StriaeConsultationSession *session;
  g_autoptr(StriaeConsultation) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stored_page = NULL;
  gint64 id;

  striae_wizard_set_records (wizard, fixture->records);
  adw_window_set_content (ADW_WINDOW (window), GTK_WIDGET (wizard));
  gtk_window_present (window);
  striae_wizard_open (wizard, fixture->patient, NULL, NULL);
  g_assert_true (striae_test_wait_for (not_saving, wizard));
  id = striae_consultation_get_id (striae_wizard_get_consultation (wizard));

  next (wizard, "history");
  gtk_editable_set_text (GTK_EDITABLE (striae_wizard_get_page_widget (wizard, "patient")),
                         "2031-01-02");
  g_assert_true (striae_wizard_is_saving (wizard));
  session = striae_wizard_get_session (wizard);
  g_object_add_weak_pointer (G_OBJECT (wizard), (gpointer *) &wizard);
  g_object_add_weak_pointer (G_OBJECT (session), (gpointer *) &session);
  gtk_window_destroy (window);
  /* The save still running holds the wizard's session until it has finished. */
  g_assert_true (striae_test_wait_for (is_null, &wizard));
  g_assert_true (striae_test_wait_for (is_null, &session));

  stored = striae_store_get_consultation (fixture->store, id, &error);
  g_assert_no_error (error);
  striae_assert_date (striae_consultation_get_date (stored), "2031-01-02");
  stored_page = dup_stored_page (fixture, id);
  g_assert_cmpstr (stored_page, ==, "history");
}

/* The database refuses to keep the page: the draft is saved all the same, and the refusal is
 * logged. */
static void
test_wizard_page_not_kept (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stored_page = NULL;
  sqlite3 *db = NULL;
  gint64 id;

  g_assert_cmpint (sqlite3_open_v2 (fixture->database, &db, SQLITE_OPEN_READWRITE, NULL), ==,
                   SQLITE_OK);
  sqlite3_busy_timeout (db, WAIT_MS);
  g_assert_cmpint (sqlite3_exec (db,
                                 "CREATE TRIGGER refuse_page BEFORE UPDATE OF resume_page "
                                 "ON consultations BEGIN "
                                 "SELECT RAISE (ABORT, 'the page is refused'); END",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  g_test_expect_message ("Striae", G_LOG_LEVEL_MESSAGE, "*left on the page “patient”*");
  striae_wizard_open (fixture->wizard, fixture->patient, NULL, NULL);
  g_assert_true (striae_test_wait_for (not_saving, fixture->wizard));
  g_test_assert_expected_messages ();

  g_test_expect_message ("Striae", G_LOG_LEVEL_MESSAGE, "*left on the page “history”*");
  next (fixture->wizard, "history");
  g_assert_true (striae_test_wait_for (not_saving, fixture->wizard));
  g_test_assert_expected_messages ();

  id = striae_consultation_get_id (striae_wizard_get_consultation (fixture->wizard));
  g_assert_cmpint (id, >, 0);
  stored = striae_store_list_consultations (fixture->store,
                                            striae_patient_get_id (fixture->patient), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stored->len, ==, 1);
  g_assert_cmpint (striae_consultation_get_id (g_ptr_array_index (stored, 0)), ==, id);
  stored_page = dup_stored_page (fixture, id);
  g_assert_cmpstr (stored_page, ==, "");
  g_assert_true (striae_store_patient_has_draft (fixture->store,
                                                 striae_patient_get_id (fixture->patient),
                                                 &error));
  g_assert_no_error (error);
}

/* Unchecking a shipped instruction on the plan page strikes it for this patient: it is gone
 * from the composed sheet; items whose facts do not hold are not offered at all. */
static void
test_wizard_strike_item (Fixture       *fixture,
                         gconstpointer  data)
{
  StriaeWizard *wizard = fixture->wizard;
  StriaeConsultation *consultation;
  StriaePlanPage *plan;
  GtkWidget *wash;
  GtkWidget *check;
  g_autoptr(StriaeSheet) sheet = NULL;
  g_autoptr(StriaeSheet) again = NULL;
  g_autoptr(GError) error = NULL;
  StriaeClinicSettings clinic = { .name = "Clinic", .phone = "+44 20 7946 0000",
                                   .paper = STRIAE_PAPER_A4 };

  striae_wizard_open (wizard, fixture->patient, NULL, NULL);
  next (wizard, "history");
  fill_history (wizard, STRIAE_QUESTION_ANTICOAGULANTS, "Aspirin 75 mg");
  check = striae_history_page_get_acknowledge (history_page (wizard), "anticoagulants");
  g_assert_nonnull (check);
  click (check);
  next (wizard, "skin");
  fill_skin (wizard, 2);
  next (wizard, "areas");
  add_area (wizard, 0, STRIAE_BODY_SITE_ABDOMEN, STRIAE_MARK_TYPE_ALBAE,
            STRIAE_SEVERITY_MODERATE, "");
  next (wizard, "plan");
  plan = STRIAE_PLAN_PAGE (striae_wizard_get_page_widget (wizard, "plan"));
  consultation = striae_wizard_get_consultation (wizard);

  /* "bruising" holds for blood thinners; "pigment" needs pih-risk, which type II lacks. */
  g_assert_nonnull (striae_plan_page_get_sheet_item (plan, "aftercare", "bruising"));
  g_assert_null (striae_plan_page_get_sheet_item (plan, "aftercare", "pigment"));
  g_assert_nonnull (striae_plan_page_get_sheet_item (plan, "pre-treatment", "sun"));
  g_assert_null (striae_plan_page_get_sheet_item (plan, "aftercare", "care"));

  wash = striae_plan_page_get_sheet_item (plan, "aftercare", "wash");
  g_assert_nonnull (wash);
  g_assert_true (gtk_widget_is_sensitive (wash));
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (wash)));
  g_assert_false (striae_consultation_is_item_struck (consultation, "wash"));

  gtk_check_button_set_active (GTK_CHECK_BUTTON (wash), FALSE);
  g_assert_true (striae_consultation_is_item_struck (consultation, "wash"));
  /* Another change of the consultation rebuilds nothing and keeps the check as it is. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (striae_plan_page_get_field (plan, "device")),
                              STRIAE_DEVICE_PEN);
  g_assert_true (wash == striae_plan_page_get_sheet_item (plan, "aftercare", "wash"));
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (wash)));

  sheet = striae_sheet_compose (&(StriaeSheetRequest) {
      .name = "aftercare",
      .language = "en",
      .patient = fixture->patient,
      .consultation = consultation,
      .clinic = &clinic,
    },
    NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (striae_sheet_has_item (sheet, "wash"));
  g_assert_true (striae_sheet_has_item (sheet, "moisturise"));
  g_assert_true (striae_sheet_has_item (sheet, "bruising"));

  gtk_check_button_set_active (GTK_CHECK_BUTTON (wash), TRUE);
  g_assert_false (striae_consultation_is_item_struck (consultation, "wash"));
  again = striae_sheet_compose (&(StriaeSheetRequest) {
      .name = "aftercare",
      .language = "en",
      .patient = fixture->patient,
      .consultation = consultation,
      .clinic = &clinic,
    },
    NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (striae_sheet_has_item (again, "wash"));

  /* A session table is not an instruction to strike. */
  g_assert_null (striae_plan_page_get_sheet_item (plan, "pre-treatment", "sessions"));

  /* PRP brings its items; an id on two sheets is one choice for both. */
  g_assert_null (striae_plan_page_get_sheet_item (plan, "aftercare", "prp"));
  click (striae_plan_page_get_field (plan, "prp"));
  check = striae_plan_page_get_sheet_item (plan, "pre-treatment", "prp");
  g_assert_nonnull (check);
  g_assert_nonnull (striae_plan_page_get_sheet_item (plan, "aftercare", "prp"));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), FALSE);
  g_assert_true (striae_consultation_is_item_struck (consultation, "prp"));
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (
                    striae_plan_page_get_sheet_item (plan, "aftercare", "prp"))));

  g_assert_true (striae_test_wait_for (not_saving, wizard));
}

/* Whose record it is stays in the wizard's header on every page, a signed record's too. */
static void
test_wizard_patient_header (Fixture       *fixture,
                            gconstpointer  data)
{
  StriaeWizard *wizard = fixture->wizard;
  const char * const pages[] = { "patient", "history", "skin", "areas", "plan", "summary" };
  GtkWidget *label = GTK_WIDGET (striae_wizard_get_patient_label (wizard));
  g_autofree char *expected = NULL;
  g_autoptr(StriaePatient) other = NULL;
  g_autoptr(GError) error = NULL;
  GDate today;

  striae_get_today (&today);
  expected = g_strdup_printf ("Ada Lovelace · %d",
                              striae_patient_get_age (fixture->patient, &today));

  striae_wizard_open (wizard, fixture->patient, NULL, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      if (i > 0)
        next (wizard, pages[i]);
      g_assert_cmpstr (striae_wizard_get_page (wizard), ==, pages[i]);
      g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (label)), ==, expected);
      g_assert_true (gtk_widget_is_drawable (label) || !gtk_widget_get_realized (label));
      g_assert_true (gtk_widget_get_visible (label));
      g_assert_true (gtk_widget_get_child_visible (label));
    }

  /* Another patient's record names the other patient. */
  other = striae_patient_new ();
  striae_patient_set_given_name (other, "Inès");
  striae_patient_set_family_name (other, "Okafor");
  striae_patient_set_birth_date (other, striae_test_date ("1988-03-14"));
  g_assert_true (striae_store_add_patient (fixture->store, other, &error));
  g_assert_no_error (error);
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("Inès Okafor · %d", striae_patient_get_age (other, &today));
  striae_wizard_open (wizard, other, NULL, "skin");
  g_assert_cmpstr (striae_wizard_get_page (wizard), ==, "skin");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (label)), ==, expected);
  g_assert_true (striae_test_wait_for (not_saving, wizard));
}

/* Scrolls @widget into the middle of @scroller's view, as a person scrolling to it would. */
static void
scroll_to (GtkScrolledWindow *scroller,
           GtkWidget         *widget)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (scroller);
  graphene_point_t point;

  g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (scroller),
                                           &GRAPHENE_POINT_INIT (0, 0), &point));
  gtk_adjustment_set_value (adjustment,
                            gtk_adjustment_get_value (adjustment) + point.y -
                            gtk_adjustment_get_page_size (adjustment) / 2);
  striae_test_spin (60);
}

/* Waits until @widget stays where it is in @window (the layout after a change, or after a
 * page was shown, is done), for at most two seconds. */
static void
settle_at (GtkWidget *window,
           GtkWidget *widget)
{
  graphene_point_t last = GRAPHENE_POINT_INIT (-1, -1);

  for (guint i = 0; i < 40; i++)
    {
      graphene_point_t now;

      striae_test_spin (50);
      g_assert_true (gtk_widget_compute_point (widget, window, &GRAPHENE_POINT_INIT (0, 0),
                                               &now));
      if (graphene_point_equal (&now, &last))
        return;
      last = now;
    }
}

/* The widget under the middle of @widget, in @window. */
static GtkWidget *
pick_middle (GtkWidget        *window,
             GtkWidget        *widget,
             graphene_point_t *point)
{
  g_assert_true (gtk_widget_compute_point (widget, window,
                                           &GRAPHENE_POINT_INIT (
                                             gtk_widget_get_width (widget) / 2.0,
                                             gtk_widget_get_height (widget) / 2.0),
                                           point));
  return gtk_widget_pick (window, point->x, point->y, GTK_PICK_DEFAULT);
}

/* Nothing moves under the pointer after a click (issue 12: "Weeks, or due date" opened under
 * the pointer and the next click landed in it). Each question of the history page is
 * answered "yes" where a person would click it, which opens its detail field and may block
 * the plan; the widget under the pointer is the same before and after. */
static void
test_wizard_stable_layout (Fixture       *fixture,
                           gconstpointer  data)
{
  StriaeWizard *wizard = fixture->wizard;
  GtkWidget *window = GTK_WIDGET (fixture->window);
  StriaeHistoryPage *page;
  GtkScrolledWindow *scroller;
  guint clicks = 0;

  /* Narrow, where the screening line above the pages wraps as its reasons grow. */
  if (data != NULL)
    gtk_window_set_default_size (fixture->window, GPOINTER_TO_INT (data), 700);
  striae_wizard_open (wizard, fixture->patient, NULL, NULL);
  next (wizard, "history");
  striae_test_spin (100);
  page = history_page (wizard);
  scroller = GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (GTK_WIDGET (page),
                                                           GTK_TYPE_SCROLLED_WINDOW));

  for (StriaeQuestion q = 0; q < STRIAE_N_QUESTIONS; q++)
    {
      StriaeWizardAnswer *buttons = striae_history_page_get_answer (page, q);
      GtkWidget *yes = striae_wizard_answer_get_button (buttons, STRIAE_ANSWER_YES);
      GtkWidget *before, *after;
      graphene_point_t point, again;

      if (!gtk_widget_is_visible (GTK_WIDGET (buttons)))
        continue;

      scroll_to (scroller, yes);
      settle_at (window, yes);
      before = pick_middle (window, yes, &point);
      g_assert_true (before == yes || gtk_widget_is_ancestor (before, yes));

      click (yes);
      striae_test_spin (100);
      settle_at (window, yes);
      g_assert_true (gtk_widget_get_visible (
                       GTK_WIDGET (striae_history_page_get_detail (page, q))));
      after = gtk_widget_pick (window, point.x, point.y, GTK_PICK_DEFAULT);
      pick_middle (window, yes, &again);
      if (after != before)
        g_test_message ("question %u: the \"yes\" button moved from y %.0f to y %.0f", q,
                        point.y, again.y);
      g_assert_true (after == before);
      clicks++;
    }
  g_assert_cmpuint (clicks, >=, 10);
  g_assert_true (striae_test_wait_for (not_saving, wizard));
}

/* The same on the plan page: a value changed where a person would click it (the spin
 * button's "+") opens its reason field below, and nothing moves under the pointer. */
static void
test_wizard_stable_layout_plan (Fixture       *fixture,
                                gconstpointer  data)
{
  static const char * const fields[] = { "sessions", "interval", "maintenance", "numbing" };
  StriaeWizard *wizard = fixture->wizard;
  GtkWidget *window = GTK_WIDGET (fixture->window);
  StriaePlanPage *plan;
  GtkScrolledWindow *scroller;

  striae_wizard_open (wizard, fixture->patient, NULL, NULL);
  next (wizard, "history");
  fill_history (wizard, STRIAE_N_QUESTIONS, NULL);
  next (wizard, "skin");
  fill_skin (wizard, 2);
  next (wizard, "areas");
  add_area (wizard, 0, STRIAE_BODY_SITE_ABDOMEN, STRIAE_MARK_TYPE_ALBAE, STRIAE_SEVERITY_MILD,
            "");
  next (wizard, "plan");
  striae_test_spin (150);
  plan = STRIAE_PLAN_PAGE (striae_wizard_get_page_widget (wizard, "plan"));
  g_assert_false (striae_plan_page_is_blocked (plan));
  scroller = GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (GTK_WIDGET (plan),
                                                           GTK_TYPE_SCROLLED_WINDOW));

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      GtkWidget *value = striae_plan_page_get_field (plan, fields[i]);
      g_autofree char *reason_name = g_strconcat (fields[i], "-reason", NULL);
      GtkWidget *reason = striae_plan_page_get_field (plan, reason_name);
      GtkWidget *before, *after;
      graphene_point_t point;

      scroll_to (scroller, value);
      settle_at (window, value);
      g_assert_false (gtk_widget_get_visible (reason));
      before = pick_middle (window, value, &point);
      g_assert_true (before == value || gtk_widget_is_ancestor (before, value));
      if (GTK_IS_SWITCH (value))
        gtk_switch_set_active (GTK_SWITCH (value), !gtk_switch_get_active (GTK_SWITCH (value)));
      else
        gtk_spin_button_spin (GTK_SPIN_BUTTON (value),
                              gtk_spin_button_get_value (GTK_SPIN_BUTTON (value)) > 1
                              ? GTK_SPIN_STEP_BACKWARD : GTK_SPIN_STEP_FORWARD, 1);
      striae_test_spin (100);
      settle_at (window, value);
      g_assert_true (gtk_widget_get_visible (reason));
      after = gtk_widget_pick (window, point.x, point.y, GTK_PICK_DEFAULT);
      if (after != before)
        g_test_message ("%s moved", fields[i]);
      g_assert_true (after == before);
    }
  g_assert_true (striae_test_wait_for (not_saving, wizard));
}

/* On the patient page the details are read, not visited: Tab goes from Edit to New
 * Consultation (issue 12: eight Tabs); win.new-consultation (Ctrl+Shift+N) opens the wizard
 * with the focus on its first field, the consultation date. */
static void
test_wizard_patient_page_keys (Fixture       *fixture,
                               gconstpointer  data)
{
  StriaeWindow *window = open_patient_window (fixture);
  StriaePatientPage *page = striae_window_get_patient_page (window);
  GtkWidget *edit = find_button (GTK_WIDGET (page), "_Edit");
  GtkWidget *new_consultation = find_button (GTK_WIDGET (page), "New _Consultation");
  StriaeWizard *wizard;
  GtkWidget *focus;

  striae_test_spin (150);
  g_assert_nonnull (edit);
  g_assert_nonnull (new_consultation);
  g_assert_true (gtk_widget_grab_focus (edit));
  g_assert_true (gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD));
  g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) == new_consultation);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.new-consultation",
                                             NULL));
  wizard = find_wizard (GTK_WIDGET (window));
  g_assert_nonnull (wizard);
  g_assert_cmpstr (striae_wizard_get_page (wizard), ==, "patient");
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_nonnull (focus);
  g_assert_true (gtk_widget_is_ancestor (focus, striae_wizard_get_page_widget (wizard,
                                                                             "patient")));
  g_assert_true (striae_test_wait_for (not_saving, wizard));
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_true (striae_test_wait_for (store_released, fixture));
}

static gboolean
has_message_dialog (gpointer data)
{
  return find_message_dialog () != NULL;
}

static guint
count_message_dialogs (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint count = 0;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        count++;
    }
  return count;
}

/* Another computer (a second store on the file) saves consultation @id with skin type
 * @value. */
static void
save_elsewhere (StriaeStore *other,
                gint64       id,
                guint        value)
{
  for (guint attempt = 0; ; attempt++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(StriaeConsultation) there = striae_store_get_consultation (other, id, &error);

      g_assert_no_error (error);
      striae_skin_set_fitzpatrick (striae_consultation_get_skin (there), value);
      if (striae_store_save_consultation (other, there, NULL, &error))
        return;

      /* The wizard's own autosave landed between the read and the save here (a slow build
       * makes that likely), as it could on another computer: that one reads again. */
      g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_CONFLICT);
      g_assert_cmpuint (attempt, <, 5);
      spin_frames ();
    }
}

/* Edits the skin type in the wizard and waits for the question the refused autosave asks. */
static AdwMessageDialog *
edit_until_asked (StriaeWizard *wizard,
                  guint         value)
{
  StriaeConsultation *consultation = striae_wizard_get_consultation (wizard);

  striae_skin_set_fitzpatrick (striae_consultation_get_skin (consultation), value);
  g_assert_true (striae_test_wait_for (not_saving, wizard));
  g_assert_true (striae_test_wait_for (has_message_dialog, NULL));
  return find_message_dialog ();
}

/* Another computer changed the draft: one dialog says who, offers to reload or to keep this
 * version as a new draft, and comes once however much is typed while it is open. */
static void
test_wizard_conflict (Fixture       *fixture,
                      gconstpointer  data)
{
  StriaeWizard *wizard = fixture->wizard;
  g_autoptr(StriaeStore) other = NULL;
  g_autoptr(GError) error = NULL;
  StriaeConsultation *consultation;
  AdwMessageDialog *dialog;
  gint64 id, kept;

  other = striae_store_open (fixture->database, &error);
  g_assert_no_error (error);
  striae_store_set_user (other, "Dr Roux");

  striae_wizard_open (wizard, fixture->patient, NULL, NULL);
  next (wizard, "history");
  g_assert_true (striae_test_wait_for (not_saving, wizard));
  consultation = striae_wizard_get_consultation (wizard);
  id = striae_consultation_get_id (consultation);
  g_assert_cmpint (id, >, 0);

  save_elsewhere (other, id, 2);
  dialog = edit_until_asked (wizard, 4);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Changed on Another Computer");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog),
                            "Dr Roux changed this consultation at "));
  g_assert_cmpstr (adw_message_dialog_get_response_label (dialog, "reload"), ==, "_Reload");
  g_assert_cmpstr (adw_message_dialog_get_response_label (dialog, "keep"), ==,
                   "_Keep Mine as a New Draft");
  g_assert_cmpstr (adw_message_dialog_get_close_response (dialog), ==, "keep");
  striae_test_window_save_png (GTK_WIDGET (dialog), "conflict.png");

  /* Typing on: no second dialog, nothing written over theirs. */
  striae_skin_set_fitzpatrick (striae_consultation_get_skin (consultation), 5);
  g_assert_true (striae_test_wait_for (not_saving, wizard));
  spin_frames ();
  g_assert_cmpuint (count_message_dialogs (), ==, 1);

  adw_message_dialog_response (dialog, "keep");
  gtk_window_destroy (GTK_WINDOW (dialog));
  consultation = striae_wizard_get_consultation (wizard);
  kept = striae_consultation_get_id (consultation);
  g_assert_cmpint (kept, !=, id);
  g_assert_cmpint (striae_consultation_get_status (consultation), ==,
                   STRIAE_CONSULTATION_STATUS_DRAFT);
  g_assert_cmpuint (striae_skin_get_fitzpatrick (striae_consultation_get_skin (consultation)),
                    ==, 5);
  {
    g_autoptr(StriaeConsultation) theirs = striae_store_get_consultation (fixture->store, id,
                                                                          &error);
    g_autoptr(StriaeConsultation) mine = striae_store_get_consultation (fixture->store, kept,
                                                                        &error);

    g_assert_cmpuint (striae_skin_get_fitzpatrick (striae_consultation_get_skin (theirs)),
                      ==, 2);
    g_assert_cmpuint (striae_skin_get_fitzpatrick (striae_consultation_get_skin (mine)),
                      ==, 5);
  }

  /* Reload: the wizard shows their version. */
  save_elsewhere (other, kept, 1);
  dialog = edit_until_asked (wizard, 6);
  adw_message_dialog_response (dialog, "reload");
  gtk_window_destroy (GTK_WINDOW (dialog));
  consultation = striae_wizard_get_consultation (wizard);
  g_assert_cmpint (striae_consultation_get_id (consultation), ==, kept);
  g_assert_cmpuint (striae_skin_get_fitzpatrick (striae_consultation_get_skin (consultation)),
                    ==, 1);
  g_assert_true (striae_test_wait_for (not_saving, wizard));
  g_assert_null (find_message_dialog ());

  g_assert_finalize_object (g_steal_pointer (&other));
}

int
main (int   argc,
      char *argv[])
{
  const char *crash = g_getenv ("STRIAE_WIZARD_CRASH_CHILD");

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  if (crash != NULL)
    return crash_child (crash, g_getenv ("STRIAE_WIZARD_CRASH_PATIENT"));

  g_test_add ("/wizard/patient-header", Fixture, NULL, fixture_set_up,
              test_wizard_patient_header, fixture_tear_down);
  g_test_add ("/wizard/strike-item", Fixture, NULL, fixture_set_up, test_wizard_strike_item,
              fixture_tear_down);
  g_test_add ("/wizard/templates", Fixture, NULL, fixture_set_up, test_wizard_templates,
              fixture_tear_down);
  g_test_add ("/wizard/clinic-rules", Fixture, NULL, fixture_set_up, test_wizard_clinic_rules,
              fixture_tear_down);
  g_test_add ("/wizard/stable-layout", Fixture, NULL, fixture_set_up,
              test_wizard_stable_layout, fixture_tear_down);
  g_test_add ("/wizard/stable-layout-narrow", Fixture, GINT_TO_POINTER (420), fixture_set_up,
              test_wizard_stable_layout, fixture_tear_down);
  g_test_add ("/wizard/stable-layout-plan", Fixture, NULL, fixture_set_up,
              test_wizard_stable_layout_plan, fixture_tear_down);
  g_test_add ("/wizard/patient-page-keys", Fixture, NULL, fixture_set_up,
              test_wizard_patient_page_keys, fixture_tear_down);
  g_test_add ("/wizard/blocked", Fixture, NULL, fixture_set_up, test_wizard_blocked,
              fixture_tear_down);
  g_test_add ("/wizard/conflict", Fixture, NULL, fixture_set_up, test_wizard_conflict,
              fixture_tear_down);
  g_test_add ("/wizard/not-treated", Fixture, NULL, fixture_set_up, test_wizard_not_treated,
              fixture_tear_down);
  g_test_add ("/wizard/complete", Fixture, NULL, fixture_set_up, test_wizard_complete,
              fixture_tear_down);
  g_test_add ("/wizard/crash", Fixture, NULL, fixture_set_up, test_wizard_crash,
              fixture_tear_down);
  g_test_add ("/wizard/draft-tag", Fixture, NULL, fixture_set_up, test_wizard_draft_tag,
              fixture_tear_down);
  g_test_add ("/wizard/sheets-from-patient-page", Fixture, NULL, fixture_set_up,
              test_wizard_sheets_from_patient_page, fixture_tear_down);
  g_test_add ("/wizard/resume-from-patient-page", Fixture, NULL, fixture_set_up,
              test_wizard_resume_from_patient_page, fixture_tear_down);
  g_test_add ("/wizard/resume-without-page", Fixture, NULL, fixture_set_up,
              test_wizard_resume_without_page, fixture_tear_down);
  g_test_add ("/wizard/new-while-draft", Fixture, NULL, fixture_set_up,
              test_wizard_new_while_draft, fixture_tear_down);
  g_test_add ("/wizard/revisions", Fixture, NULL, fixture_set_up,
              test_wizard_revisions, fixture_tear_down);
  g_test_add ("/wizard/page-not-kept", Fixture, NULL, fixture_set_up,
              test_wizard_page_not_kept, fixture_tear_down);
  g_test_add ("/wizard/close-while-saving", Fixture, NULL, fixture_set_up,
              test_wizard_close_while_saving, fixture_tear_down);
  g_test_add ("/wizard/date-of-another", Fixture, NULL, fixture_set_up,
              test_wizard_date_of_another, fixture_tear_down);
  g_test_add ("/wizard/practitioner-of-each", Fixture, NULL, fixture_set_up,
              test_wizard_practitioner_of_each, fixture_tear_down);
  g_test_add ("/wizard/consistency", Fixture, NULL, fixture_set_up, test_wizard_consistency,
              fixture_tear_down);
  g_test_add ("/wizard/isotretinoin-date", Fixture, NULL, fixture_set_up,
              test_wizard_isotretinoin_date, fixture_tear_down);

  return g_test_run ();
}
