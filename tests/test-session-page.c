/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "striae-course-group.h"
#include "striae-resources.h"
#include "striae-session-page.h"
#include "striae-test-app.h"
#include "striae-test-date.h"
#include "striae-test-store.h"
#include "striae-test-window.h"
#include "striae-window.h"

/* The session record page (issue 17): the check before the session stops on an absolute
 * finding (and the record is kept as stopped), waits for a relative one to be acknowledged;
 * the record is filled through its rows, saved as it is typed, signed (then read-only) and
 * amended (revision 2); an assistant reads it and records nothing; the patient page's course
 * lists the sessions, and its Record Session opens the page in the window. With
 * STRIAE_SCREENSHOT_DIR set, the page is saved there as session-check.png,
 * session-record.png and session-signed.png, and the window as window-course.png and
 * window-session.png, to look at (STRIAE_SCREENSHOT_WIDTH: the window's width,
 * STRIAE_SCREENSHOT_HEIGHT the page's height;
 * STRIAE_TEST_LANGUAGE=de: in German, for /session-page/window alone). */

#define ADMIN_PASSWORD     "admin-secret-1"
#define ASSISTANT_PASSWORD "desk-secret-1"

typedef struct
{
  StriaeTestWindow   tw;
  StriaeSessionPage *page;
} Fixture;

static GtkWidget *
child (Fixture    *fixture,
       const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (fixture->page),
                                                   STRIAE_TYPE_SESSION_PAGE, name);

  g_assert_nonnull (object);
  return GTK_WIDGET (object);
}

static void
save_screenshot (Fixture    *fixture,
                 const char *name)
{
  striae_test_window_save_png (GTK_WIDGET (fixture->tw.window), name);
}

static GtkScrolledWindow *
find_scroller (GtkWidget *widget)
{
  if (GTK_IS_SCROLLED_WINDOW (widget))
    return GTK_SCROLLED_WINDOW (widget);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkScrolledWindow *found = find_scroller (c);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The end of the page, scrolled to, for a screenshot of its lower half. */
static void
save_screenshot_of_end (Fixture    *fixture,
                        const char *name)
{
  GtkAdjustment *adjustment;

  if (g_getenv ("STRIAE_SCREENSHOT_DIR") == NULL)
    return;
  adjustment = gtk_scrolled_window_get_vadjustment (find_scroller (GTK_WIDGET (fixture->page)));
  striae_test_spin (200);
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  save_screenshot (fixture, name);
  gtk_adjustment_set_value (adjustment, 0);
}

/* @data: "accounts" for a file with an admin (signed in) and an assistant. The patient has a
 * signed consultation: one thigh area at 1 mm with a pen, 3 sessions. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  StriaeStore *store;

  striae_test_window_set_up (&fixture->tw, "striae-session-page");
  store = fixture->tw.store;
  if (data != NULL)
    {
      g_assert_true (striae_store_create_first_admin (store, "boss", "Dr Anne Roux",
                                                      ADMIN_PASSWORD, &error));
      g_assert_no_error (error);
      g_assert_true (striae_store_add_account (store, "desk", NULL,
                                               STRIAE_STAFF_ROLE_ASSISTANT,
                                               ASSISTANT_PASSWORD, &error));
      g_assert_no_error (error);
      if (!striae_store_is_signed_in (store))
        {
          g_assert_true (striae_store_sign_in (store, "boss", ADMIN_PASSWORD, &error));
          g_assert_no_error (error);
        }
    }
  striae_test_window_add_patient (&fixture->tw, NULL, NULL);
  striae_test_window_add_course (&fixture->tw, STRIAE_SIDE_NOT_APPLICABLE);

  fixture->page = STRIAE_SESSION_PAGE (striae_session_page_new ());
  striae_session_page_set_store (fixture->page, store);
  /* STRIAE_SCREENSHOT_HEIGHT: a taller window, to see the whole record at once. */
  striae_test_window_show (&fixture->tw, GTK_WIDGET (fixture->page), 720,
                           g_getenv ("STRIAE_SCREENSHOT_HEIGHT") != NULL
                           ? atoi (g_getenv ("STRIAE_SCREENSHOT_HEIGHT")) : 1000);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  striae_test_window_tear_down (&fixture->tw);
}

static void
open_new (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (striae_session_page_open (fixture->page, fixture->tw.patient,
                                           fixture->tw.consultation, 0, &error));
  g_assert_no_error (error);
  striae_test_spin (100);
}

static void
answer_all (Fixture      *fixture,
            StriaeAnswer  answer)
{
  for (guint i = 0; i < STRIAE_N_CHECK_ITEMS; i++)
    striae_wizard_answer_set_answer (striae_session_page_get_answer (fixture->page, i), answer);
}

static StriaeSessionCheck *
check_of (Fixture *fixture)
{
  return striae_treatment_session_get_check (striae_session_page_get_session (fixture->page));
}

static const char *
visible_stage (Fixture *fixture)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (child (fixture, "stack")));
}

static StriaeTreatmentSession *
stored (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  StriaeTreatmentSession *session;
  gint64 id = striae_treatment_session_get_id (striae_session_page_get_session (fixture->page));

  g_assert_cmpint (id, >, 0);
  session = striae_store_get_treatment_session (fixture->tw.store, id, &error);
  g_assert_no_error (error);
  return session;
}

/* An absolute finding (a cold sore) stops the session with its reason; the record is kept
 * as stopped, with no area treated, and can be signed as such. */
static void
test_check_stops (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(StriaeTreatmentSession) kept = NULL;
  GtkWidget *verdict = child (fixture, "verdict_label");

  open_new (fixture);
  g_assert_cmpstr (visible_stage (fixture), ==, "check");
  g_assert_false (striae_session_page_get_read_only (fixture->page));
  g_assert_false (gtk_widget_is_sensitive (child (fixture, "sign_button")));
  save_screenshot (fixture, "session-check.png");

  answer_all (fixture, STRIAE_ANSWER_NO);
  g_assert_false (gtk_widget_get_visible (verdict));
  striae_wizard_answer_set_answer (striae_session_page_get_answer (fixture->page,
                                                                   STRIAE_CHECK_ITEM_COLD_SORE),
                                   STRIAE_ANSWER_YES);
  g_assert_true (gtk_widget_get_visible (verdict));
  g_assert_true (gtk_widget_has_css_class (verdict, "error"));
  g_assert_false (gtk_widget_get_visible (child (fixture, "acknowledge_check")));
  save_screenshot (fixture, "session-check-stop.png");

  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "session.finish-check", NULL);
  g_assert_cmpint (striae_session_check_get_result (check_of (fixture)), ==,
                   STRIAE_CHECK_RESULT_STOPPED);
  g_assert_nonnull (strstr (striae_session_check_get_reason (check_of (fixture)), "cold sore"));
  g_assert_cmpstr (visible_stage (fixture), ==, "record");
  g_assert_false (gtk_widget_get_visible (child (fixture, "fields_box")));

  kept = stored (fixture);
  g_assert_cmpint (striae_session_check_get_result (striae_treatment_session_get_check (kept)),
                   ==, STRIAE_CHECK_RESULT_STOPPED);
  g_assert_cmpuint (g_list_model_get_n_items (striae_treatment_session_get_areas (kept)), ==, 0);

  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "session.sign", NULL);
  g_assert_false (gtk_widget_get_visible (child (fixture, "problem_label")));
  g_assert_true (striae_session_page_get_read_only (fixture->page));
}

/* The visible message dialog other than @not, NULL when none. */
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

/* The first widget under @widget of @type. */
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

static gboolean
dialog_shown (gpointer data)
{
  return find_message_dialog (data) != NULL;
}

/* The session's record holds the reaction typed: the save after the pause has run. */
static gboolean
reaction_stored (gpointer data)
{
  g_autoptr(StriaeTreatmentSession) kept = stored (data);

  return g_strcmp0 (striae_treatment_session_get_reaction (kept), "Mild redness") == 0;
}

static gboolean
page_signed (gpointer data)
{
  return striae_session_page_get_read_only (data);
}

/* Types @password into the password dialog, signs, and closes it as its button does. */
static void
give_password (AdwMessageDialog *dialog,
               const char       *password)
{
  GtkWidget *row = find_type (GTK_WIDGET (dialog), ADW_TYPE_PASSWORD_ENTRY_ROW);

  g_assert_nonnull (row);
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "sign"));
  gtk_editable_set_text (GTK_EDITABLE (row), password);
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "sign"));
  adw_message_dialog_response (dialog, "sign");
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* On records with accounts a session record is signed as a consultation is (issue 16): the
 * signed-in account's password is asked again; a wrong one signs nothing and the dialog comes
 * back saying so; the right one signs in the account's display name, and the audit row of the
 * signature says that the password was given. */
static void
test_sign_password (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(StriaeTreatmentSession) kept = NULL;
  g_autofree char *detail = NULL;
  AdwMessageDialog *dialog;
  AdwMessageDialog *again;
  GtkWidget *problem;

  open_new (fixture);
  answer_all (fixture, STRIAE_ANSWER_NO);
  striae_wizard_answer_set_answer (striae_session_page_get_answer (fixture->page,
                                                                   STRIAE_CHECK_ITEM_COLD_SORE),
                                   STRIAE_ANSWER_YES);
  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "session.finish-check", NULL);

  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "session.sign", NULL);
  dialog = find_message_dialog (NULL);
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Sign With Your Password");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "Dr Anne Roux"));
  give_password (dialog, "not the password");
  g_assert_true (striae_test_wait_for (dialog_shown, NULL));
  again = find_message_dialog (NULL);
  problem = gtk_widget_get_last_child (find_type (GTK_WIDGET (again), GTK_TYPE_LIST_BOX));
  g_assert_true (gtk_widget_get_visible (problem));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (problem)), ==,
                   "The password is wrong, and nothing was signed. Type it again.");
  g_assert_false (striae_session_page_get_read_only (fixture->page));
  kept = stored (fixture);
  g_assert_cmpint (striae_treatment_session_get_status (kept), ==,
                   STRIAE_TREATMENT_SESSION_STATUS_DRAFT);
  g_clear_object (&kept);
  striae_test_window_save_png (GTK_WIDGET (again), "session-sign-password.png");

  give_password (again, ADMIN_PASSWORD);
  g_assert_true (striae_test_wait_for (page_signed, fixture->page));
  kept = stored (fixture);
  g_assert_cmpint (striae_treatment_session_get_status (kept), ==,
                   STRIAE_TREATMENT_SESSION_STATUS_SIGNED);
  g_assert_cmpstr (striae_treatment_session_get_practitioner (kept), ==, "Dr Anne Roux");
  detail = striae_test_app_query_text (fixture->tw.path,
                                       "SELECT detail FROM audit WHERE action = 'session-sign'");
  g_assert_nonnull (strstr (detail, "password given"));
  g_assert_null (find_message_dialog (NULL));
}

/* A relative finding (a tan) waits until the practitioner acknowledges it. */
static void
test_relative_acknowledged (Fixture       *fixture,
                            gconstpointer  data)
{
  GtkWidget *acknowledge = child (fixture, "acknowledge_check");
  GtkWidget *verdict = child (fixture, "verdict_label");

  open_new (fixture);
  answer_all (fixture, STRIAE_ANSWER_NO);
  striae_wizard_answer_set_answer (striae_session_page_get_answer (fixture->page,
                                                                   STRIAE_CHECK_ITEM_RECENT_SUN),
                                   STRIAE_ANSWER_YES);
  g_assert_true (gtk_widget_get_visible (acknowledge));
  g_assert_true (gtk_widget_has_css_class (verdict, "warning"));
  gtk_editable_set_text (GTK_EDITABLE (child (fixture, "changes_row")), "Tan from a holiday");

  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "session.finish-check", NULL);
  g_assert_cmpint (striae_session_check_get_result (check_of (fixture)), ==,
                   STRIAE_CHECK_RESULT_NOT_DONE);
  g_assert_cmpstr (visible_stage (fixture), ==, "check");
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (verdict)), "confirm"));

  gtk_check_button_set_active (GTK_CHECK_BUTTON (acknowledge), TRUE);
  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "session.finish-check", NULL);
  g_assert_cmpint (striae_session_check_get_result (check_of (fixture)), ==,
                   STRIAE_CHECK_RESULT_ACKNOWLEDGED);
  g_assert_cmpstr (striae_session_check_get_changes (check_of (fixture)), ==,
                   "Tan from a holiday");
  g_assert_cmpstr (visible_stage (fixture), ==, "record");
  g_assert_true (gtk_widget_get_visible (child (fixture, "fields_box")));
}

/* Filled through its rows, saved as typed, signed (read-only), amended (revision 2). */
static void
test_fill_sign_amend (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(StriaeTreatmentSession) kept = NULL;
  g_autoptr(StriaeSessionProduct) product = NULL;
  g_autoptr(GError) error = NULL;
  StriaeTreatmentSession *session;
  GtkWidget *time_row = child (fixture, "time_row");

  open_new (fixture);
  answer_all (fixture, STRIAE_ANSWER_NO);
  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "session.finish-check", NULL);
  session = striae_session_page_get_session (fixture->page);
  g_assert_cmpint (striae_session_check_get_result (check_of (fixture)), ==,
                   STRIAE_CHECK_RESULT_CLEAR);
  g_assert_cmpuint (striae_treatment_session_get_number (session), ==, 1);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (child (fixture, "record_title"))), ==,
                   "Session 1 of 3");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (fixture, "practitioner_row"))),
                   ==, "Dr Roux");

  /* A time the record cannot hold is marked where it is typed; the record keeps its own. */
  gtk_editable_set_text (GTK_EDITABLE (time_row), "14:30");
  g_assert_cmpint (striae_treatment_session_get_time (session), ==, 14 * 60 + 30);
  gtk_editable_set_text (GTK_EDITABLE (time_row), "2pm");
  g_assert_true (gtk_widget_has_css_class (time_row, "error"));
  g_assert_nonnull (gtk_widget_get_tooltip_text (time_row));
  g_assert_cmpint (striae_treatment_session_get_time (session), ==, 14 * 60 + 30);
  gtk_editable_set_text (GTK_EDITABLE (time_row), "14:45");
  g_assert_false (gtk_widget_has_css_class (time_row, "error"));
  g_assert_cmpint (striae_treatment_session_get_time (session), ==, 14 * 60 + 45);

  gtk_switch_set_active (GTK_SWITCH (child (fixture, "numbing_switch")), FALSE);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (child (fixture, "tolerance_spin")), 4);
  g_assert_cmpint (striae_treatment_session_get_tolerance (session), ==, 4);
  gtk_editable_set_text (GTK_EDITABLE (child (fixture, "reaction_row")), "Mild redness");
  {
    g_autoptr(StriaeSessionArea) area =
      g_list_model_get_item (striae_treatment_session_get_areas (session), 0);

    striae_session_area_set_passes (area, 4);
  }

  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "session.add-product", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (striae_treatment_session_get_products (session)),
                    ==, 1);
  product = g_list_model_get_item (striae_treatment_session_get_products (session), 0);
  striae_session_product_set_name (product, "Hyaluronic serum");
  striae_session_product_set_lot (product, "LOT-77A");
  striae_session_product_set_expiry (product, striae_test_date ("2030-01-31"));
  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "session.add-event", NULL);
  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "session.remove-event", "u", 0);
  g_assert_cmpuint (g_list_model_get_n_items (striae_treatment_session_get_events (session)),
                    ==, 0);

  /* Saved as typed: the records hold the reaction after the pause (a busy machine may run
   * the pause's timeout late). */
  g_assert_true (striae_test_wait_for (reaction_stored, fixture));
  kept = stored (fixture);
  g_assert_cmpstr (striae_treatment_session_get_reaction (kept), ==, "Mild redness");
  g_assert_cmpint (striae_treatment_session_get_time (kept), ==, 14 * 60 + 45);
  g_assert_cmpuint (g_list_model_get_n_items (striae_treatment_session_get_products (kept)), ==,
                    1);
  g_clear_object (&kept);
  save_screenshot (fixture, "session-record.png");
  save_screenshot_of_end (fixture, "session-record-end.png");

  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "session.sign", NULL);
  g_assert_false (gtk_widget_get_visible (child (fixture, "problem_label")));
  g_assert_true (striae_session_page_get_read_only (fixture->page));
  g_assert_false (gtk_widget_get_can_target (child (fixture, "stack")));
  g_assert_true (gtk_widget_get_visible (child (fixture, "amend_button")));
  g_assert_false (gtk_widget_get_visible (child (fixture, "sign_button")));
  kept = stored (fixture);
  g_assert_cmpint (striae_treatment_session_get_status (kept), ==,
                   STRIAE_TREATMENT_SESSION_STATUS_SIGNED);
  g_clear_object (&kept);
  save_screenshot (fixture, "session-signed.png");

  /* An amendment needs its reason; then it is revision 2, a draft to edit. */
  g_assert_false (striae_session_page_amend (fixture->page, "  ", &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (striae_session_page_amend (fixture->page, "Lot number typed wrong", &error));
  g_assert_no_error (error);
  session = striae_session_page_get_session (fixture->page);
  g_assert_cmpuint (striae_treatment_session_get_revision (session), ==, 2);
  g_assert_false (striae_session_page_get_read_only (fixture->page));
  g_assert_true (gtk_widget_get_visible (child (fixture, "amendment_row")));
  gtk_editable_set_text (GTK_EDITABLE (child (fixture, "notes_row")), "Lot corrected");
  g_assert_true (striae_session_page_save_now (fixture->page, &error));
  g_assert_no_error (error);
  kept = stored (fixture);
  g_assert_cmpuint (striae_treatment_session_get_revision (kept), ==, 2);
  g_assert_cmpstr (striae_treatment_session_get_notes (kept), ==, "Lot corrected");
}

/* A record that cannot be signed says why in one sentence, and stays a draft. */
static void
test_sign_refused (Fixture       *fixture,
                   gconstpointer  data)
{
  GtkWidget *problem = child (fixture, "problem_label");

  open_new (fixture);
  answer_all (fixture, STRIAE_ANSWER_NO);
  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "session.finish-check", NULL);
  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "session.add-product", NULL);
  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "session.sign", NULL);
  g_assert_true (gtk_widget_get_visible (problem));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (problem)), !=, "");
  g_assert_false (striae_session_page_get_read_only (fixture->page));
}

/* An assistant reads the records of the course and records nothing. */
static void
test_assistant (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GtkWidget) course = NULL;
  gint64 id;

  open_new (fixture);
  answer_all (fixture, STRIAE_ANSWER_NO);
  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "session.finish-check", NULL);
  id = striae_treatment_session_get_id (striae_session_page_get_session (fixture->page));
  g_assert_cmpint (id, >, 0);
  course = g_object_ref_sink (striae_course_group_new (fixture->tw.store, fixture->tw.consultation,
                                                       &error));
  g_assert_no_error (error);
  g_assert_nonnull (adw_preferences_group_get_header_suffix (ADW_PREFERENCES_GROUP (course)));
  g_clear_object (&course);

  striae_store_sign_out (fixture->tw.store);
  g_assert_true (striae_store_sign_in (fixture->tw.store, "desk", ASSISTANT_PASSWORD, &error));
  g_assert_no_error (error);

  g_assert_false (striae_session_page_open (fixture->page, fixture->tw.patient,
                                            fixture->tw.consultation, 0, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_ALLOWED);
  g_clear_error (&error);

  g_assert_true (striae_session_page_open (fixture->page, fixture->tw.patient,
                                           fixture->tw.consultation, id, &error));
  g_assert_no_error (error);
  g_assert_true (striae_session_page_get_read_only (fixture->page));
  g_assert_cmpstr (visible_stage (fixture), ==, "record");
  g_assert_false (gtk_widget_is_sensitive (child (fixture, "amend_button")));
  g_assert_false (gtk_widget_get_visible (child (fixture, "sign_button")));

  course = g_object_ref_sink (striae_course_group_new (fixture->tw.store, fixture->tw.consultation,
                                                       &error));
  g_assert_no_error (error);
  g_assert_null (adw_preferences_group_get_header_suffix (ADW_PREFERENCES_GROUP (course)));
}

/* The course: one row per planned session, with its record's status. */
static void
test_course (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GtkWidget) course = NULL;
  const char *title;

  open_new (fixture);
  answer_all (fixture, STRIAE_ANSWER_NO);
  striae_wizard_answer_set_answer (striae_session_page_get_answer (fixture->page,
                                                                   STRIAE_CHECK_ITEM_PREGNANCY),
                                   STRIAE_ANSWER_UNKNOWN);
  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "session.finish-check", NULL);
  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "session.sign", NULL);
  g_assert_true (striae_session_page_get_read_only (fixture->page));

  course = g_object_ref_sink (striae_course_group_new (fixture->tw.store, fixture->tw.consultation,
                                                       &error));
  g_assert_no_error (error);
  g_assert_cmpuint (striae_course_group_get_n_rows (STRIAE_COURSE_GROUP (course)), ==, 3);
  title = adw_preferences_row_get_title (
            ADW_PREFERENCES_ROW (striae_course_group_get_row (STRIAE_COURSE_GROUP (course), 0)));
  g_assert_nonnull (strstr (title, "Session 1 of 3"));
  g_assert_nonnull (strstr (title, "Stopped"));
  g_assert_true (gtk_list_box_row_get_activatable (
                   GTK_LIST_BOX_ROW (striae_course_group_get_row (STRIAE_COURSE_GROUP (course),
                                                                  0))));
  title = adw_preferences_row_get_title (
            ADW_PREFERENCES_ROW (striae_course_group_get_row (STRIAE_COURSE_GROUP (course), 2)));
  g_assert_nonnull (strstr (title, "Session 3 of 3"));
  g_assert_nonnull (strstr (title, "2026"));
  g_assert_false (gtk_list_box_row_get_activatable (
                    GTK_LIST_BOX_ROW (striae_course_group_get_row (STRIAE_COURSE_GROUP (course),
                                                                   2))));

  /* A move in the schedule shows on the course. */
  {
    g_autoptr(GPtrArray) schedule = striae_store_list_schedule (
      fixture->tw.store, striae_consultation_get_id (fixture->tw.consultation), &error);
    const StriaeScheduledSession *third = NULL;

    g_assert_no_error (error);
    for (guint i = 0; i < schedule->len; i++)
      {
        const StriaeScheduledSession *scheduled = g_ptr_array_index (schedule, i);

        if (scheduled->number == 3 && !scheduled->maintenance)
          third = scheduled;
      }
    g_assert_nonnull (third);
    g_assert_true (striae_store_move_scheduled_session (fixture->tw.store, third->id,
                                                        striae_test_date ("2026-06-01"), -1,
                                                        FALSE, "Holiday", &error));
    g_assert_no_error (error);
    g_clear_object (&course);
    course = g_object_ref_sink (striae_course_group_new (fixture->tw.store,
                                                         fixture->tw.consultation, &error));
    g_assert_no_error (error);
    title = adw_preferences_row_get_title (
              ADW_PREFERENCES_ROW (striae_course_group_get_row (STRIAE_COURSE_GROUP (course),
                                                                2)));
    g_assert_nonnull (strstr (title, "1 June 2026"));
    g_assert_nonnull (strstr (title, "Moved"));
  }

  /* Session 1 was stopped by its check and treated nothing: the next record is session 1
   * again, whose place in the course stayed open. */
  open_new (fixture);
  g_assert_cmpuint (striae_treatment_session_get_number (
                      striae_session_page_get_session (fixture->page)), ==, 1);
}

static guint
count_records (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = striae_store_list_treatment_sessions (
    fixture->tw.store, striae_consultation_get_id (fixture->tw.consultation), &error);

  g_assert_no_error (error);
  return list->len;
}

static gboolean
record_made (gpointer data)
{
  return count_records (data) == 1;
}

/* A record opened and left untouched leaves nothing; the first answer makes it a draft,
 * which Record Session then opens again. */
static void
test_untouched (Fixture       *fixture,
                gconstpointer  data)
{
  open_new (fixture);
  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "session.close", NULL);
  g_assert_cmpuint (count_records (fixture), ==, 0);

  open_new (fixture);
  striae_wizard_answer_set_answer (striae_session_page_get_answer (fixture->page,
                                                                   STRIAE_CHECK_ITEM_PREGNANCY),
                                   STRIAE_ANSWER_NO);
  g_assert_true (striae_test_wait_for (record_made, fixture));
  g_assert_false (gtk_info_bar_get_revealed (GTK_INFO_BAR (child (fixture, "save_error_bar"))));

  /* Record Session again carries on with the draft rather than beginning another. */
  open_new (fixture);
  g_assert_cmpint (striae_session_check_get_answer (check_of (fixture),
                                                    STRIAE_CHECK_ITEM_PREGNANCY),
                   ==, STRIAE_ANSWER_NO);
  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "session.close", NULL);
  g_assert_cmpuint (count_records (fixture), ==, 1);
}

/* Every button, entry and switch of the page has an accessible name. */
static gboolean
has_name (GtkWidget *widget)
{
  const char *label = NULL;

  if (GTK_IS_BUTTON (widget) && gtk_button_get_label (GTK_BUTTON (widget)) != NULL)
    return TRUE;
  if (GTK_IS_CHECK_BUTTON (widget) && gtk_check_button_get_label (GTK_CHECK_BUTTON (widget)))
    return TRUE;
  if (ADW_IS_PREFERENCES_ROW (widget))
    label = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget));
  if (label != NULL && label[0] != '\0')
    return TRUE;
  return gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget),
                                           GTK_ACCESSIBLE_PROPERTY_LABEL) ||
         gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget),
                                           GTK_ACCESSIBLE_RELATION_LABELLED_BY);
}

static void
assert_named (GtkWidget *widget,
              guint     *count)
{
  /* Hidden parts (an expander row's unused switch) are not reached. */
  if (!gtk_widget_get_visible (widget))
    return;
  if (GTK_IS_BUTTON (widget) || GTK_IS_SWITCH (widget) || GTK_IS_SPIN_BUTTON (widget) ||
      ADW_IS_ENTRY_ROW (widget) || ADW_IS_COMBO_ROW (widget) || GTK_IS_CHECK_BUTTON (widget))
    {
      if (!has_name (widget))
        g_error ("a %s has no accessible name", G_OBJECT_TYPE_NAME (widget));
      (*count)++;
      if (ADW_IS_ENTRY_ROW (widget) || ADW_IS_COMBO_ROW (widget))
        return;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    assert_named (c, count);
}

static void
test_accessible (Fixture       *fixture,
                 gconstpointer  data)
{
  guint count = 0;

  open_new (fixture);
  answer_all (fixture, STRIAE_ANSWER_NO);
  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "session.finish-check", NULL);
  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "session.add-product", NULL);
  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "session.add-event", NULL);
  striae_test_spin (100);
  assert_named (GTK_WIDGET (fixture->page), &count);
  g_assert_cmpuint (count, >, 20);
}

static GtkWidget *
window_child (StriaeWindow *window,
              const char   *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (window), STRIAE_TYPE_WINDOW,
                                                   name);

  g_assert_nonnull (object);
  return GTK_WIDGET (object);
}

static GtkWidget *
find_course (GtkWidget *widget)
{
  if (STRIAE_IS_COURSE_GROUP (widget))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_course (c);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The patient page lists the course under the consultations; Record Session opens the
 * page in the window, and Escape (win.back) goes back to the patient. */
static void
test_window (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *width = g_getenv ("STRIAE_SCREENSHOT_WIDTH");
  StriaeWindow *window;
  GtkWidget *content_stack;
  GtkWidget *course;
  GtkWidget *record;

  /* One session done, for the course to show a record. */
  open_new (fixture);
  answer_all (fixture, STRIAE_ANSWER_NO);
  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "session.finish-check", NULL);
  {
    g_autoptr(StriaeSessionArea) area = g_list_model_get_item (
      striae_treatment_session_get_areas (striae_session_page_get_session (fixture->page)), 0);

    striae_session_area_set_passes (area, 4);
  }
  striae_treatment_session_set_tolerance (striae_session_page_get_session (fixture->page), 2);
  striae_treatment_session_set_numbing_cream (striae_session_page_get_session (fixture->page),
                                              FALSE);
  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "session.sign", NULL);
  g_test_message ("%s", gtk_label_get_label (GTK_LABEL (child (fixture, "problem_label"))));
  g_assert_true (striae_session_page_get_read_only (fixture->page));

  window = striae_window_new (NULL, fixture->tw.store);
  gtk_window_set_default_size (GTK_WINDOW (window), width != NULL ? atoi (width) : 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (striae_window_show_patient (window, striae_patient_get_id (fixture->tw.patient),
                                             &error));
  g_assert_no_error (error);
  striae_test_spin (300);

  course = find_course (GTK_WIDGET (striae_window_get_patient_page (window)));
  g_assert_nonnull (course);
  g_assert_cmpuint (striae_course_group_get_n_rows (STRIAE_COURSE_GROUP (course)), ==, 3);
  g_assert_true (gtk_list_box_row_get_activatable (
                   GTK_LIST_BOX_ROW (striae_course_group_get_row (STRIAE_COURSE_GROUP (course),
                                                                  0))));
  record = adw_preferences_group_get_header_suffix (ADW_PREFERENCES_GROUP (course));
  g_assert_nonnull (record);
  gtk_widget_grab_focus (record);
  striae_test_window_save_png (GTK_WIDGET (window), "window-course.png");

  content_stack = window_child (window, "content_stack");
  g_assert_true (gtk_widget_activate (record));
  for (guint i = 0; i < 100 && g_strcmp0 (gtk_stack_get_visible_child_name (
                                            GTK_STACK (content_stack)), "session") != 0; i++)
    striae_test_spin (20);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (content_stack)), ==, "session");
  striae_test_window_save_png (GTK_WIDGET (window), "window-session.png");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.back", NULL);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (content_stack)), ==, "patient");

  gtk_window_destroy (GTK_WINDOW (window));
  striae_test_spin (50);
}

static gboolean
stdin_closed_cb (GIOChannel   *channel,
                 GIOCondition  condition,
                 gpointer      data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* For tests/a11y-session.py: the page on a new record, past its check, with a product and an
 * adverse event filled in and everything a signature needs but a keyboard's last touches;
 * says "READY" on standard output and runs until standard input closes, so that a screen
 * reader's view of it can be read over AT-SPI (and Sign pressed there). */
static int
run_session_window (void)
{
  g_autoptr(GIOChannel) input = g_io_channel_unix_new (0);
  g_autoptr(StriaeSessionProduct) product = NULL;
  g_autoptr(StriaeAdverseEvent) event = NULL;
  g_autoptr(StriaeSessionArea) area = NULL;
  StriaeTreatmentSession *session;
  Fixture fixture = { 0 };
  gboolean done = FALSE;

  g_set_prgname ("striae-session-test");
  gtk_init ();
  adw_init ();
  g_assert_nonnull (striae_get_resource ());
  fixture_set_up (&fixture, NULL);
  open_new (&fixture);
  answer_all (&fixture, STRIAE_ANSWER_NO);
  gtk_widget_activate_action (GTK_WIDGET (fixture.page), "session.finish-check", NULL);
  session = striae_session_page_get_session (fixture.page);
  striae_treatment_session_set_numbing_cream (session, FALSE);
  area = g_list_model_get_item (striae_treatment_session_get_areas (session), 0);
  striae_session_area_set_passes (area, 4);
  gtk_widget_activate_action (GTK_WIDGET (fixture.page), "session.add-product", NULL);
  product = g_list_model_get_item (striae_treatment_session_get_products (session), 0);
  striae_session_product_set_name (product, "Hyaluronic serum");
  striae_session_product_set_lot (product, "LOT-77A");
  striae_session_product_set_expiry (product, striae_test_date ("2030-01-31"));
  gtk_widget_activate_action (GTK_WIDGET (fixture.page), "session.add-event", NULL);
  event = g_list_model_get_item (striae_treatment_session_get_events (session), 0);
  striae_adverse_event_set_what (event, "Pinpoint bleeding");
  striae_adverse_event_set_follow_up (event, "Checked at the next session");
  striae_test_spin (300);
  g_print ("READY\n");
  fflush (stdout);

  g_io_add_watch (input, G_IO_IN | G_IO_HUP | G_IO_ERR, stdin_closed_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  fixture_tear_down (&fixture, NULL);
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  const char *language = g_getenv ("STRIAE_TEST_LANGUAGE");
  g_autofree char *localedir = g_build_filename (g_getenv ("STRIAE_BUILD_ROOT"), "po", NULL);

  /* Messages in English, whatever the machine's locale: the test reads some. */
  g_setenv ("LANGUAGE", language != NULL ? language : "C", TRUE);
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc > 1 && g_str_equal (argv[1], "--session-window"))
    return run_session_window ();

  /* Accessible properties kept in process, to be read back (GTK's test context). */
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_assert_nonnull (striae_get_resource ());

#define ADD_TEST(path, func, accounts) \
  g_test_add (path, Fixture, accounts, fixture_set_up, func, fixture_tear_down)

  ADD_TEST ("/session-page/check-stops", test_check_stops, NULL);
  ADD_TEST ("/session-page/relative-acknowledged", test_relative_acknowledged, NULL);
  ADD_TEST ("/session-page/fill-sign-amend", test_fill_sign_amend, NULL);
  ADD_TEST ("/session-page/sign-refused", test_sign_refused, NULL);
  ADD_TEST ("/session-page/assistant", test_assistant, "accounts");
  ADD_TEST ("/session-page/sign-password", test_sign_password, "accounts");
  ADD_TEST ("/session-page/course", test_course, NULL);
  ADD_TEST ("/session-page/untouched", test_untouched, NULL);
  ADD_TEST ("/session-page/accessible", test_accessible, NULL);
  ADD_TEST ("/session-page/window", test_window, NULL);

  return g_test_run ();
}
