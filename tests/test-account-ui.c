/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Accounts in the window (issue 16): the password asked again at sign-off, what each role is
 * offered, and the administrator's Accounts page in Preferences. */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "striae-accounts-page.h"
#include "striae-patient-page.h"
#include "striae-preferences.h"
#include "striae-test-window.h"
#include "striae-window.h"
#include "striae-wizard-private.h"
#include "striae-wizard-records.h"
#include "striae-test-date.h"
#include "striae-test-store.h"

#define ADMIN_PASSWORD "admin password 1"
#define DOCTOR_PASSWORD "correct horse"
#define DESK_PASSWORD "front desk 42"

typedef struct
{
  char          *dir;
  char          *location;
  StriaeStore   *store;
  StriaePatient *patient;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("striae-account-ui-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->location = striae_test_store_location (fixture->dir);
  fixture->store = striae_test_store_open (fixture->location);
  g_assert_true (striae_store_create_first_admin (fixture->store, "admin", "Clinic Admin",
                                                  ADMIN_PASSWORD, &error));
  g_assert_no_error (error);
  g_assert_true (striae_store_add_account (fixture->store, "dr.weber", "Dr Anna Weber",
                                           STRIAE_STAFF_ROLE_PRACTITIONER, DOCTOR_PASSWORD,
                                           &error));
  g_assert_no_error (error);
  g_assert_true (striae_store_add_account (fixture->store, "desk", "Kim Front",
                                           STRIAE_STAFF_ROLE_ASSISTANT, DESK_PASSWORD, &error));
  g_assert_no_error (error);

  fixture->patient = striae_patient_new ();
  striae_patient_set_given_name (fixture->patient, "Ada");
  striae_patient_set_family_name (fixture->patient, "Lovelace");
  striae_patient_set_birth_date (fixture->patient, striae_test_date ("1985-04-23"));
  g_assert_true (striae_store_add_patient (fixture->store, fixture->patient, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->patient);
  g_assert_finalize_object (fixture->store);
  striae_test_store_remove (fixture->location);
  g_rmdir (fixture->dir);
  g_clear_pointer (&fixture->location, g_free);
  g_clear_pointer (&fixture->dir, g_free);
}

/* The width of the windows shown: @wide, or STRIAE_SCREENSHOT_WIDTH for screenshots of a
 * narrow window. */
static int
window_width (int wide)
{
  const char *width = g_getenv ("STRIAE_SCREENSHOT_WIDTH");

  return width != NULL ? atoi (width) : wide;
}

static void
sign_in (Fixture    *fixture,
         const char *name,
         const char *password)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (striae_store_sign_in (fixture->store, name, password, &error));
  g_assert_no_error (error);
}

/* The visible message dialog other than @not. */
static AdwMessageDialog *
find_message_dialog (gpointer not)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)) &&
          (gpointer) window != not)
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

static gboolean
other_dialog_shown (gpointer data)
{
  return find_message_dialog (data) != NULL;
}

/* The first widget under @widget of @type. */
static GtkWidget *
find_type (GtkWidget *widget,
           GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The first actionable under @widget for @action. */
static GtkWidget *
find_actionable (GtkWidget  *widget,
                 const char *action)
{
  if (GTK_IS_ACTIONABLE (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_actionable (child, action);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Whether @action is offered under @widget: its button is there and can be pressed. */
static gboolean
offered (GtkWidget  *widget,
         const char *action)
{
  GtkWidget *button = find_actionable (widget, action);

  g_assert_nonnull (button);
  return gtk_widget_is_sensitive (button);
}

/* Whether activating @action under @widget (by its shortcut, say) opens its dialog: a
 * disabled action does nothing. */
static gboolean
opens_dialog (GtkWidget  *widget,
              const char *action)
{
  AdwMessageDialog *dialog;

  gtk_widget_activate_action (widget, action, NULL);
  striae_test_spin (100);
  dialog = find_message_dialog (NULL);
  if (dialog == NULL)
    return FALSE;
  gtk_window_destroy (GTK_WINDOW (dialog));
  striae_test_spin (50);
  return TRUE;
}

/* A consultation the wizard finds complete, stored as a draft of the fixture's patient. */
static StriaeConsultation *
save_complete_draft (Fixture *fixture)
{
  StriaeConsultation *c = striae_consultation_new ();
  StriaePlan *plan = striae_consultation_get_plan (c);
  g_autoptr(StriaeArea) area = striae_area_new (STRIAE_BODY_SITE_THIGHS);
  g_autoptr(GError) error = NULL;
  GDate today;

  striae_get_today (&today);
  striae_consultation_set_patient_id (c, striae_patient_get_id (fixture->patient));
  striae_consultation_set_date (c, &today);
  for (guint q = 0; q < STRIAE_N_QUESTIONS; q++)
    striae_history_set_answer (striae_consultation_get_history (c), q, STRIAE_ANSWER_NO);
  for (guint f = 0; f < STRIAE_N_SKIN_FACTS; f++)
    striae_skin_set_fact (striae_consultation_get_skin (c), f, STRIAE_ANSWER_NO);
  striae_skin_set_fitzpatrick (striae_consultation_get_skin (c), 2);
  striae_area_set_severity (area, STRIAE_SEVERITY_MODERATE);
  striae_area_set_mark_type (area, STRIAE_MARK_TYPE_ALBAE);
  striae_consultation_add_area (c, area);
  striae_plan_set_device (plan, STRIAE_DEVICE_PEN);
  g_date_add_days (&today, 7);
  striae_plan_set_first_session (plan, &today);
  g_assert_true (striae_store_save_consultation (fixture->store, c, NULL, &error));
  g_assert_no_error (error);
  return c;
}

static gboolean
is_signed (gpointer wizard)
{
  StriaeConsultation *c = striae_wizard_get_consultation (wizard);

  return c != NULL &&
         striae_consultation_get_status (c) == STRIAE_CONSULTATION_STATUS_SIGNED;
}

static void
scroll_to_end (StriaeWizard *wizard)
{
  GtkWidget *scroller = gtk_widget_get_ancestor (striae_wizard_get_page_widget (wizard,
                                                                              "summary"),
                                                 GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment;

  striae_test_spin (200);
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) -
                                        gtk_adjustment_get_page_size (adjustment));
  striae_test_spin (100);
}

/* @widget is shown whole within the wizard's scrolled page. */
static void
assert_in_sight (StriaeWizard *wizard,
                 GtkWidget    *widget)
{
  GtkWidget *scroller;
  graphene_rect_t bounds;

  g_assert_nonnull (widget);
  scroller = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  g_assert_true (gtk_widget_get_mapped (widget));
  g_assert_true (gtk_widget_compute_bounds (widget, scroller, &bounds));
  g_test_message ("%s at %.0f to %.0f of %d", G_OBJECT_TYPE_NAME (widget),
                  bounds.origin.y, bounds.origin.y + bounds.size.height,
                  gtk_widget_get_height (scroller));
  g_assert_cmpfloat (bounds.origin.y, >=, 0);
  g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, gtk_widget_get_height (scroller));
}

static gint64
audit_count (Fixture    *fixture,
             const char *where)
{
  g_autofree char *sql = g_strconcat ("SELECT count (*) FROM audit WHERE ", where, NULL);

  return striae_test_store_query_int (fixture->location, sql);
}

/* Types @password into the password dialog and signs. */
static void
give_password (AdwMessageDialog *dialog,
               const char       *password)
{
  GtkWidget *row = find_type (GTK_WIDGET (dialog), ADW_TYPE_PASSWORD_ENTRY_ROW);

  g_assert_nonnull (row);
  g_assert_true (gtk_widget_has_focus (row) || gtk_widget_is_focus (row) ||
                 gtk_widget_get_focus_child (row) != NULL);
  gtk_editable_set_text (GTK_EDITABLE (row), password);
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "sign"));
  /* As its button does: the answer, then the dialog closes. */
  adw_message_dialog_response (dialog, "sign");
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* On records with accounts, signing asks the signed-in account's password again: a wrong
 * one signs nothing and says so, the right one signs in the account's display name, and the
 * audit entry of the signature says that the password was given. */
static void
test_sign_off_password (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(StriaeConsultation) draft = NULL;
  g_autoptr(StriaeWizardRecords) records = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *signed_by = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *actor = NULL;
  GtkWindow *window;
  StriaeWizard *wizard;
  AdwMessageDialog *dialog;
  AdwMessageDialog *again;
  GtkEditable *practitioner;
  const char *problem;
  gint64 id;

  sign_in (fixture, "dr.weber", DOCTOR_PASSWORD);
  draft = save_complete_draft (fixture);
  id = striae_consultation_get_id (draft);

  records = striae_wizard_records_new (fixture->store);
  window = GTK_WINDOW (adw_window_new ());
  gtk_window_set_default_size (window, window_width (900), 760);
  wizard = STRIAE_WIZARD (striae_wizard_new ());
  striae_wizard_set_records (wizard, records);
  adw_window_set_content (ADW_WINDOW (window), GTK_WIDGET (wizard));
  gtk_window_present (window);
  striae_wizard_open (wizard, fixture->patient, draft, "summary");
  g_assert_cmpstr (striae_wizard_get_page (wizard), ==, "summary");
  problem = striae_consultation_session_get_problem (striae_wizard_get_session (wizard));
  if (problem != NULL)
    g_test_message ("problem: %s", problem);
  g_assert_null (problem);

  /* The account signs, in its display name: shown, not typed. */
  practitioner = striae_summary_page_get_practitioner (
                   STRIAE_SUMMARY_PAGE (striae_wizard_get_page_widget (wizard, "summary")));
  g_assert_cmpstr (gtk_editable_get_text (practitioner), ==, "Dr Anna Weber");
  g_assert_false (gtk_editable_get_editable (practitioner));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.sign-off", NULL));
  dialog = find_message_dialog (NULL);
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, _("Sign With Your Password"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "Dr Anna Weber"));
  /* Nothing to sign with before a password is typed. */
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "sign"));
  striae_test_window_save_png (GTK_WIDGET (dialog), "sign-off-password.png");

  /* A wrong password: the dialog comes back and says so; nothing is signed. */
  give_password (dialog, "not my password");
  g_assert_true (striae_test_wait_for (other_dialog_shown, NULL));
  again = find_message_dialog (NULL);
  g_assert_nonnull (again);
  {
    GtkWidget *list = adw_message_dialog_get_extra_child (again);
    GtkListBoxRow *problem_row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 1);

    g_assert_true (gtk_widget_get_visible (GTK_WIDGET (problem_row)));
    g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (problem_row)), ==,
                     _("The password is wrong, and nothing was signed. Type it again."));
  }
  striae_test_window_save_png (GTK_WIDGET (again), "sign-off-password-wrong.png");
  g_assert_false (is_signed (wizard));
  g_assert_true (striae_store_get_signature (fixture->store, id,
                                             striae_consultation_get_revision (draft),
                                             &signed_by, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (signed_by);
  g_assert_cmpint (audit_count (fixture, "action = 'sign'"), ==, 0);
  g_assert_cmpint (audit_count (fixture, "action = 'sign-in-failed'"), ==, 1);

  /* The right one signs, as the account. The page was scrolled to its end, where the
   * sign-off is; what comes next after it (the sheets) is in sight, not under the bar. */
  scroll_to_end (wizard);
  give_password (again, DOCTOR_PASSWORD);
  g_assert_true (striae_test_wait_for (is_signed, wizard));
  striae_test_spin (300);
  assert_in_sight (wizard, find_actionable (GTK_WIDGET (wizard), "win.show-sheets"));
  striae_test_window_save_png (GTK_WIDGET (window), "signed-summary.png");
  g_assert_true (striae_store_get_signature (fixture->store, id,
                                             striae_consultation_get_revision (
                                               striae_wizard_get_consultation (wizard)),
                                             &signed_by, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (signed_by, ==, "Dr Anna Weber");
  g_assert_cmpint (audit_count (fixture, "action = 'sign'"), ==, 1);
  detail = striae_test_store_query_text (fixture->location,
                                         "SELECT detail FROM audit WHERE action = 'sign'");
  actor = striae_test_store_query_text (fixture->location,
                                        "SELECT actor FROM audit WHERE action = 'sign'");
  g_assert_nonnull (strstr (detail, "password given"));
  g_assert_cmpstr (actor, ==, "account:dr.weber");
  /* The confirmation was for that signature alone: the next one, signed without the
   * dialog, does not claim it. */
  {
    g_autoptr(StriaeConsultation) other = save_complete_draft (fixture);
    g_autofree char *other_detail = NULL;

    striae_consultation_set_status (other, STRIAE_CONSULTATION_STATUS_COMPLETE);
    g_assert_true (striae_store_save_consultation (fixture->store, other, NULL, &error));
    g_assert_no_error (error);
    g_assert_true (striae_store_sign_consultation (fixture->store,
                                                   striae_consultation_get_id (other), NULL,
                                                   &error));
    g_assert_no_error (error);
    other_detail = striae_test_store_query_text (fixture->location,
                                                 "SELECT detail FROM audit WHERE "
                                                 "action = 'sign' ORDER BY id DESC LIMIT 1");
    g_assert_null (strstr (other_detail, "password given"));
  }

  gtk_window_destroy (window);
  striae_test_spin (50);
}

/* Signing as not treated asks the password too, after the reason. */
static void
test_not_treated_password (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(StriaeConsultation) draft = NULL;
  g_autoptr(StriaeWizardRecords) records = NULL;
  g_autofree char *detail = NULL;
  GtkWindow *window;
  StriaeWizard *wizard;
  AdwMessageDialog *dialog;

  sign_in (fixture, "dr.weber", DOCTOR_PASSWORD);
  draft = save_complete_draft (fixture);
  records = striae_wizard_records_new (fixture->store);
  window = GTK_WINDOW (adw_window_new ());
  wizard = STRIAE_WIZARD (striae_wizard_new ());
  striae_wizard_set_records (wizard, records);
  adw_window_set_content (ADW_WINDOW (window), GTK_WIDGET (wizard));
  gtk_window_present (window);
  striae_wizard_open (wizard, fixture->patient, draft, "summary");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.sign-not-treated",
                                             NULL));
  dialog = find_message_dialog (NULL);
  g_assert_nonnull (dialog);
  gtk_editable_set_text (GTK_EDITABLE (gtk_list_box_get_row_at_index (
                           GTK_LIST_BOX (adw_message_dialog_get_extra_child (dialog)), 0)),
                         "Sunburn on the thighs");
  adw_message_dialog_response (dialog, "sign");
  gtk_window_destroy (GTK_WINDOW (dialog));
  /* Nothing is signed before the password. */
  g_assert_false (is_signed (wizard));
  dialog = find_message_dialog (NULL);
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==,
                   _("Sign as Not Treated With Your Password"));
  give_password (dialog, DOCTOR_PASSWORD);
  g_assert_true (striae_test_wait_for (is_signed, wizard));
  g_assert_true (striae_consultation_is_not_treated (striae_wizard_get_consultation (wizard)));
  g_assert_cmpstr (striae_consultation_get_not_treated_reason (
                     striae_wizard_get_consultation (wizard)), ==, "Sunburn on the thighs");
  detail = striae_test_store_query_text (fixture->location,
                                         "SELECT detail FROM audit WHERE action = 'sign'");
  g_assert_nonnull (strstr (detail, "not treated"));
  g_assert_nonnull (strstr (detail, "password given"));

  gtk_window_destroy (window);
  striae_test_spin (50);
}

/* What each role is offered on the patient page and in the wizard: an assistant keeps the
 * front desk (contact details) and neither starts a consultation nor archives, erases, signs
 * or amends; a practitioner consults but neither archives nor erases. */
static void
test_rights (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(StriaeWizardRecords) records = striae_wizard_records_new (fixture->store);
  GtkWindow *window = GTK_WINDOW (adw_window_new ());
  GtkWidget *page = striae_patient_page_new ();
  GtkWidget *main_window;

  adw_window_set_content (ADW_WINDOW (window), page);
  gtk_window_present (window);

  sign_in (fixture, "desk", DESK_PASSWORD);
  striae_patient_page_set_store (STRIAE_PATIENT_PAGE (page), fixture->store);
  striae_patient_page_set_records (STRIAE_PATIENT_PAGE (page), records);
  striae_patient_page_set_patient (STRIAE_PATIENT_PAGE (page), fixture->patient);
  striae_test_spin (50);
  g_assert_false (offered (page, "patient.new-consultation"));
  g_assert_true (offered (page, "patient.edit"));
  g_assert_false (offered (page, "patient.archive"));
  g_assert_false (opens_dialog (page, "patient.erase"));
  striae_test_window_save_png (GTK_WIDGET (window), "patient-page-assistant.png");

  /* The main window follows the same rights. */
  main_window = GTK_WIDGET (striae_window_new (NULL, fixture->store));
  gtk_window_present (GTK_WINDOW (main_window));
  striae_test_spin (50);
  /* The front desk adds patients. */
  g_assert_true (offered (main_window, "win.new-patient"));
  gtk_window_destroy (GTK_WINDOW (main_window));

  sign_in (fixture, "dr.weber", DOCTOR_PASSWORD);
  striae_patient_page_set_patient (STRIAE_PATIENT_PAGE (page), NULL);
  striae_patient_page_set_patient (STRIAE_PATIENT_PAGE (page), fixture->patient);
  striae_test_spin (50);
  g_assert_true (offered (page, "patient.new-consultation"));
  g_assert_true (offered (page, "patient.edit"));
  g_assert_false (offered (page, "patient.archive"));
  g_assert_false (opens_dialog (page, "patient.erase"));

  sign_in (fixture, "admin", ADMIN_PASSWORD);
  striae_patient_page_set_patient (STRIAE_PATIENT_PAGE (page), NULL);
  striae_patient_page_set_patient (STRIAE_PATIENT_PAGE (page), fixture->patient);
  striae_test_spin (50);
  g_assert_true (offered (page, "patient.new-consultation"));
  g_assert_true (offered (page, "patient.archive"));
  g_assert_true (opens_dialog (page, "patient.erase"));

  gtk_window_destroy (window);
  striae_test_spin (50);
}

/* An assistant who opens a signed consultation reads it, and is offered no amendment. */
static void
test_assistant_reads_signed (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(StriaeConsultation) draft = NULL;
  g_autoptr(StriaeConsultation) stored = NULL;
  g_autoptr(StriaeWizardRecords) records = NULL;
  g_autoptr(GError) error = NULL;
  GtkWindow *window;
  StriaeWizard *wizard;
  GtkWidget *summary;

  sign_in (fixture, "dr.weber", DOCTOR_PASSWORD);
  draft = save_complete_draft (fixture);
  striae_consultation_set_status (draft, STRIAE_CONSULTATION_STATUS_COMPLETE);
  g_assert_true (striae_store_save_consultation (fixture->store, draft, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (striae_store_sign_consultation (fixture->store,
                                                 striae_consultation_get_id (draft), NULL,
                                                 &error));
  g_assert_no_error (error);

  sign_in (fixture, "desk", DESK_PASSWORD);
  stored = striae_store_get_consultation (fixture->store, striae_consultation_get_id (draft),
                                          &error);
  g_assert_no_error (error);
  records = striae_wizard_records_new (fixture->store);
  window = GTK_WINDOW (adw_window_new ());
  wizard = STRIAE_WIZARD (striae_wizard_new ());
  striae_wizard_set_records (wizard, records);
  adw_window_set_content (ADW_WINDOW (window), GTK_WIDGET (wizard));
  gtk_window_present (window);
  striae_wizard_open (wizard, fixture->patient, stored, "summary");
  striae_test_spin (50);
  summary = striae_wizard_get_page_widget (wizard, "summary");
  g_assert_true (is_signed (wizard));
  g_assert_false (offered (summary, "wizard.amend"));
  g_assert_false (offered (summary, "wizard.sign-off"));

  /* A draft too is only read: its pages take no input, and nothing is saved on the way
   * through it (the records would refuse the assistant's save). */
  {
    g_autoptr(StriaeConsultation) other = NULL;
    GtkWidget *history;
    g_autofree char *stamp = NULL;

    sign_in (fixture, "dr.weber", DOCTOR_PASSWORD);
    other = save_complete_draft (fixture);
    sign_in (fixture, "desk", DESK_PASSWORD);
    stamp = g_strdup (striae_consultation_get_stored_stamp (other));
    striae_wizard_open (wizard, fixture->patient, other, "history");
    striae_test_spin (50);
    g_assert_true (striae_consultation_session_get_read_only (
                     striae_wizard_get_session (wizard)));
    history = striae_wizard_get_page_widget (wizard, "history");
    g_assert_false (gtk_widget_get_can_target (history));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.next", NULL));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.next", NULL));
    g_assert_true (striae_wizard_save_now (wizard, NULL));
    striae_test_spin (100);
    g_clear_object (&other);
    other = striae_store_get_consultation (fixture->store, striae_consultation_get_id (
                                             striae_wizard_get_consultation (wizard)), &error);
    g_assert_no_error (error);
    g_assert_cmpstr (striae_consultation_get_stored_stamp (other), ==, stamp);
  }

  gtk_window_destroy (window);
  striae_test_spin (50);
}

/* The row under @widget titled @title. */
static GtkWidget *
find_row (GtkWidget  *widget,
          const char *title)
{
  if (ADW_IS_PREFERENCES_ROW (widget) &&
      g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_row (child, title);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
dialog_row (AdwMessageDialog *dialog,
            int               index)
{
  GtkListBox *list = GTK_LIST_BOX (adw_message_dialog_get_extra_child (dialog));

  return GTK_WIDGET (gtk_list_box_get_row_at_index (list, index));
}

static GtkEditable *
dialog_field (AdwMessageDialog *dialog,
              int               index)
{
  return GTK_EDITABLE (dialog_row (dialog, index));
}

/* The sentence under a dialog's fields, %NULL when it says nothing. */
static const char *
dialog_problem (AdwMessageDialog *dialog)
{
  GtkListBox *list = GTK_LIST_BOX (adw_message_dialog_get_extra_child (dialog));
  GtkWidget *last = gtk_widget_get_last_child (GTK_WIDGET (list));

  if (!gtk_widget_get_visible (last))
    return NULL;
  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (last));
}

static gboolean
not_busy (gpointer page)
{
  return !striae_accounts_page_is_busy (page);
}

static StriaeAccount *
find_account (Fixture    *fixture,
              const char *name)
{
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;

  accounts = striae_store_list_accounts (fixture->store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < accounts->len; i++)
    {
      StriaeAccount *account = g_ptr_array_index (accounts, i);

      if (g_strcmp0 (account->name, name) == 0)
        return striae_account_copy (account);
    }
  return NULL;
}

/* Whether @password signs @name in, asked of the records as another PC would. */
static gboolean
can_sign_in (Fixture    *fixture,
             const char *name,
             const char *password)
{
  g_autoptr(StriaeStore) other = striae_test_store_open (fixture->location);

  return striae_store_sign_in (other, name, password, NULL);
}

/* The dialog shown next (the one before was answered and closed). */
static AdwMessageDialog *
next_dialog (void)
{
  AdwMessageDialog *dialog;

  g_assert_true (striae_test_wait_for (other_dialog_shown, NULL));
  dialog = find_message_dialog (NULL);
  g_assert_nonnull (dialog);
  return dialog;
}

static void
fill_add_dialog (AdwMessageDialog *dialog,
                 const char       *name,
                 const char       *display_name,
                 StriaeStaffRole   role,
                 const char       *password,
                 const char       *again)
{
  gtk_editable_set_text (dialog_field (dialog, 0), name);
  gtk_editable_set_text (dialog_field (dialog, 1), display_name);
  adw_combo_row_set_selected (ADW_COMBO_ROW (dialog_row (dialog, 2)), role);
  gtk_editable_set_text (dialog_field (dialog, 3), password);
  gtk_editable_set_text (dialog_field (dialog, 4), again);
  adw_message_dialog_response (dialog, "add");
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* Preferences → Accounts, through the page as an administrator uses it, with the records
 * checked after each step; and only an administrator sees it. */
static void
test_accounts_page (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(StriaeAccount) lee = NULL;
  g_autoptr(StriaeAccount) desk = NULL;
  g_autoptr(StriaeAccount) admin = NULL;
  g_autofree char *subtitle = NULL;
  StriaePreferences *preferences;
  AdwMessageDialog *dialog;
  GtkWidget *page;
  GtkWidget *row;

  sign_in (fixture, "admin", ADMIN_PASSWORD);
  g_assert_true (striae_accounts_page_applies (fixture->store));
  preferences = striae_preferences_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (preferences), window_width (720), 640);
  striae_preferences_set_store (preferences, fixture->store);
  page = find_type (GTK_WIDGET (preferences), STRIAE_TYPE_ACCOUNTS_PAGE);
  g_assert_nonnull (page);
  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (preferences),
                                           ADW_PREFERENCES_PAGE (page));
  gtk_window_present (GTK_WINDOW (preferences));
  row = find_row (page, "Kim Front");
  g_assert_nonnull (row);
  subtitle = g_strdup_printf (_("%s · %s"), "desk", _("Assistant"));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, subtitle);
  g_assert_nonnull (find_row (page, "Dr Anna Weber"));
  g_assert_nonnull (find_row (page, "Clinic Admin"));
  striae_test_window_save_png (GTK_WIDGET (preferences), "accounts-page.png");

  /* Add: two passwords that differ are refused at once, a short one by the records; what
   * was typed comes back with the sentence, and nothing is added until it is right. */
  g_assert_true (gtk_widget_activate_action (page, "accounts.add", NULL));
  dialog = next_dialog ();
  striae_test_window_save_png (GTK_WIDGET (dialog), "accounts-add.png");
  fill_add_dialog (dialog, "nurse.lee", "Lee Nurse", STRIAE_STAFF_ROLE_ASSISTANT,
                   "long enough 1", "long enough 2");
  dialog = next_dialog ();
  g_assert_cmpstr (dialog_problem (dialog), ==,
                   _("The two passwords differ: type the same password twice."));
  g_assert_cmpstr (gtk_editable_get_text (dialog_field (dialog, 0)), ==, "nurse.lee");
  g_assert_cmpstr (gtk_editable_get_text (dialog_field (dialog, 3)), ==, "");
  fill_add_dialog (dialog, "nurse.lee", "Lee Nurse", STRIAE_STAFF_ROLE_ASSISTANT,
                   "short", "short");
  dialog = next_dialog ();
  g_assert_nonnull (dialog_problem (dialog));
  g_assert_null (find_account (fixture, "nurse.lee"));
  fill_add_dialog (dialog, "nurse.lee", "Lee Nurse", STRIAE_STAFF_ROLE_ASSISTANT,
                   "long enough 1", "long enough 1");
  striae_test_spin (50);
  g_assert_true (striae_test_wait_for (not_busy, page));
  lee = find_account (fixture, "nurse.lee");
  g_assert_nonnull (lee);
  g_assert_cmpstr (lee->display_name, ==, "Lee Nurse");
  g_assert_cmpint (lee->role, ==, STRIAE_STAFF_ROLE_ASSISTANT);
  g_assert_nonnull (find_row (page, "Lee Nurse"));
  g_assert_true (can_sign_in (fixture, "nurse.lee", "long enough 1"));

  /* Reset the front desk's password: the new one works, the old one no longer. */
  g_assert_true (gtk_widget_activate_action (page, "accounts.reset-password", "s", "desk"));
  dialog = next_dialog ();
  g_assert_nonnull (strstr (adw_message_dialog_get_heading (dialog), "desk"));
  gtk_editable_set_text (dialog_field (dialog, 0), "brand new desk");
  gtk_editable_set_text (dialog_field (dialog, 1), "brand new desk");
  adw_message_dialog_response (dialog, "reset");
  gtk_window_destroy (GTK_WINDOW (dialog));
  striae_test_spin (50);
  g_assert_true (striae_test_wait_for (not_busy, page));
  g_assert_true (can_sign_in (fixture, "desk", "brand new desk"));
  g_assert_false (can_sign_in (fixture, "desk", DESK_PASSWORD));

  /* Change a role, then disable an account: said on its row, and it no longer signs in. */
  g_assert_true (gtk_widget_activate_action (page, "accounts.set-role", "(ss)", "nurse.lee",
                                             "practitioner"));
  g_clear_pointer (&lee, striae_account_free);
  lee = find_account (fixture, "nurse.lee");
  g_assert_cmpint (lee->role, ==, STRIAE_STAFF_ROLE_PRACTITIONER);
  g_assert_true (gtk_widget_activate_action (page, "accounts.set-disabled", "(sb)", "desk",
                                             TRUE));
  desk = find_account (fixture, "desk");
  g_assert_true (desk->disabled);
  row = find_row (page, "Kim Front");
  g_free (subtitle);
  subtitle = g_strdup_printf (_("%s · %s · Disabled"), "desk", _("Assistant"));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, subtitle);
  g_assert_false (can_sign_in (fixture, "desk", "brand new desk"));
  striae_test_window_save_png (GTK_WIDGET (preferences), "accounts-page-changed.png");

  /* The last administrator stays one: refused, and nothing changes. */
  g_assert_true (gtk_widget_activate_action (page, "accounts.set-role", "(ss)", "admin",
                                             "assistant"));
  admin = find_account (fixture, "admin");
  g_assert_cmpint (admin->role, ==, STRIAE_STAFF_ROLE_ADMIN);

  gtk_window_destroy (GTK_WINDOW (preferences));
  striae_test_spin (50);

  /* A practitioner has no Accounts page. */
  sign_in (fixture, "dr.weber", DOCTOR_PASSWORD);
  g_assert_false (striae_accounts_page_applies (fixture->store));
  preferences = striae_preferences_new (NULL);
  striae_preferences_set_store (preferences, fixture->store);
  g_assert_null (find_type (GTK_WIDGET (preferences), STRIAE_TYPE_ACCOUNTS_PAGE));
  gtk_window_destroy (GTK_WINDOW (preferences));
  striae_test_spin (50);
}

/* For an account that may not change them, the Clinic and Rules pages are read, not greyed
 * out: every value can be reached with Tab and read out, and none can be changed. */
static void
test_read_only_preferences (Fixture       *fixture,
                            gconstpointer  data)
{
  StriaePreferences *preferences;
  GtkWidget *rules;
  GtkWidget *name;
  GtkWidget *spin_button;
  double value;

  sign_in (fixture, "dr.weber", DOCTOR_PASSWORD);
  preferences = striae_preferences_new (NULL);
  striae_preferences_set_store (preferences, fixture->store);
  gtk_window_present (GTK_WINDOW (preferences));
  striae_test_spin (50);

  g_assert_true (striae_preferences_get_clinic_read_only (preferences));
  name = find_row (GTK_WIDGET (preferences), _("Name"));
  g_assert_nonnull (name);
  g_assert_true (gtk_widget_is_sensitive (name));
  g_assert_true (gtk_widget_get_focusable (name) ||
                 gtk_widget_get_focusable (gtk_widget_get_first_child (name)));
  g_assert_false (gtk_editable_get_editable (GTK_EDITABLE (name)));
  striae_test_window_save_png (GTK_WIDGET (preferences), "clinic-read-only.png");

  rules = striae_preferences_get_rules_page (preferences);
  g_assert_nonnull (rules);
  spin_button = find_type (rules, GTK_TYPE_SPIN_BUTTON);
  g_assert_nonnull (spin_button);
  g_assert_true (gtk_widget_is_sensitive (spin_button));
  g_assert_false (gtk_editable_get_editable (GTK_EDITABLE (spin_button)));
  value = gtk_spin_button_get_value (GTK_SPIN_BUTTON (spin_button));
  g_signal_emit_by_name (spin_button, "change-value", GTK_SCROLL_STEP_UP);
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (spin_button)), ==, value);
  {
    GtkWidget *combo = find_type (rules, ADW_TYPE_COMBO_ROW);

    g_assert_nonnull (combo);
    g_assert_true (gtk_widget_is_sensitive (combo));
    g_assert_false (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (combo)));
  }
  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (preferences),
                                           ADW_PREFERENCES_PAGE (rules));
  striae_test_window_save_png (GTK_WIDGET (preferences), "rules-read-only.png");

  gtk_window_destroy (GTK_WINDOW (preferences));
  striae_test_spin (50);
}

int
main (int   argc,
      char *argv[])
{
  /* The same checks in another language (STRIAE_TEST_LANGUAGE=de), for its screenshots. */
  if (g_getenv ("STRIAE_TEST_LANGUAGE") != NULL)
    {
      g_autofree char *localedir = g_build_filename (g_getenv ("STRIAE_BUILD_ROOT"), "po",
                                                     NULL);

      g_setenv ("LANGUAGE", g_getenv ("STRIAE_TEST_LANGUAGE"), TRUE);
      setlocale (LC_ALL, "");
      bindtextdomain (GETTEXT_PACKAGE, localedir);
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
    }
  textdomain (GETTEXT_PACKAGE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/account-ui/sign-off-password", Fixture, NULL, fixture_set_up,
              test_sign_off_password, fixture_tear_down);
  g_test_add ("/account-ui/not-treated-password", Fixture, NULL, fixture_set_up,
              test_not_treated_password, fixture_tear_down);
  g_test_add ("/account-ui/rights", Fixture, NULL, fixture_set_up, test_rights,
              fixture_tear_down);
  g_test_add ("/account-ui/assistant-reads-signed", Fixture, NULL, fixture_set_up,
              test_assistant_reads_signed, fixture_tear_down);

  g_test_add ("/account-ui/accounts-page", Fixture, NULL, fixture_set_up, test_accounts_page,
              fixture_tear_down);
  g_test_add ("/account-ui/read-only-preferences", Fixture, NULL, fixture_set_up,
              test_read_only_preferences, fixture_tear_down);

  return g_test_run ();
}
