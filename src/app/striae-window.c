/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "striae-accessible.h"
#include "striae-app-private.h"
#include "striae-consent-dialog.h"
#include "striae-day-page.h"
#include "striae-lock-page.h"
#include "striae-patient-editor.h"
#include "striae-patient-list.h"
#include "striae-patient-row.h"
#include "striae-batch-page.h"
#include "striae-photos-page.h"
#include "striae-recalls-page.h"
#include "striae-sheet-preview.h"
#include "striae-toast.h"
#include "striae-window.h"
#include "striae-wizard.h"
#include "striae-session-page.h"

/* Typing pauses shorter than this belong to one search. */
#define SEARCH_DELAY_MS 150

/* Less than the height of a row of the patient list: two lines of text and 12 px of margins
 * (32 px with Debian's default fonts under Xvfb, the tests' /ui/first-frame-100): the
 * window's height over it is more rows than the window shows. */
#define ROW_HEIGHT_MIN 24

/* After the clinic server was gone, each of the records' reading connections that the outage
 * broke fails once before it is made again: the list is read up to this many times before it
 * says it cannot be shown. */
#define RELOADS_AFTER_OUTAGE 3

struct _StriaeWindow
{
  AdwApplicationWindow  parent_instance;

  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  AdwLeaflet           *leaflet;
  GtkWidget            *sidebar;
  GtkWidget            *content;
  GtkSearchEntry       *search_entry;
  GtkStack             *list_stack;
  GtkLabel             *matches_label;
  GtkListView          *list_view;
  AdwStatusPage        *no_results_status;
  GtkWidget            *reload_button;
  GtkStack             *content_stack;
  GtkInfoBar           *empty_banner;
  GtkInfoBar           *sidebar_banner;
  GtkInfoBar           *server_banner;
  StriaePatientPage    *patient_page;
  StriaeWizard         *wizard;
  StriaeSessionPage    *session_page;
  StriaePhotosPage     *photos_page;
  StriaeWizardRecords  *records;
  StriaeDayPage        *day_page;
  StriaeRecallsPage    *recalls_page;
  StriaeBatchPage      *batch_page;

  StriaeStore          *store;
  StriaePatientList    *patients;
  GtkSingleSelection   *selection;
  GSettings            *settings;
  gboolean              has_patients;
  /* Whether a load said if the register is empty; until then has_patients is a guess, which
   * the answer replaces without the stack's crossfade: at start-up an empty register shows
   * its first-run page at once rather than 0.2 s later (issue 15). */
  gboolean              register_known;
  /* Whether the archive holds anyone (-1 while not known), counted in the background beside
   * each load of the list, so that a register of archived patients alone is not shown as
   * a new one. */
  int                   archive_used;
  GCancellable         *archive_cancellable;
  gboolean              show_archived;
  GtkWidget            *archived_heading;
  gboolean              server_unreachable;
  /* Loads of the list still to try after one that could not read the patients, once the
   * clinic server is back or Try Again was pressed. */
  guint                 reloads_left;

  /* While locked, the window's content is out of the widget tree, kept here, and the lock
   * page is shown instead; the focus goes back where it was. */
  StriaeLockPage       *lock_page;
  GtkWidget            *locked_content;
  GtkWidget            *focus_before_lock;
  GPtrArray            *locked_menus;
  gboolean              lock_page_shown;
  /* While records without any account show their setup page instead (the content is away
   * as while locked, and an unlock does not bring it back). */
  GtkWidget            *setup_page;
};

G_DEFINE_FINAL_TYPE (StriaeWindow, striae_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_SHOW_ARCHIVED,
  PROP_SERVER_UNREACHABLE,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static gboolean
showing_front_desk (StriaeWindow *self)
{
  const char *shown = gtk_stack_get_visible_child_name (self->main_stack);

  return g_strcmp0 (shown, "day") == 0 || g_strcmp0 (shown, "recalls") == 0 ||
         g_strcmp0 (shown, "batch") == 0;
}

enum {
  UNLOCK_REQUESTED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static void
striae_window_update_state (StriaeWindow *self)
{
  const char *query = striae_patient_list_get_query (self->patients);
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->patients));
  gboolean loading = striae_patient_list_get_loading (self->patients);
  gboolean known = TRUE;

  /* Whether the register is empty, from the list itself: everyone is listed when nothing is
   * searched for, besides the archived patients, which are only counted. */
  if (self->archive_used > 0 || n_items > 0)
    self->has_patients = TRUE;
  else if (!loading && query[0] == '\0' && !self->show_archived &&
           striae_patient_list_get_problem (self->patients) == NULL &&
           self->archive_used == 0)
    self->has_patients = FALSE;
  else
    known = FALSE;

  /* The day's list and the recalls stay shown while the patient list changes behind them. */
  if (!showing_front_desk (self))
    gtk_stack_set_visible_child_full (self->main_stack,
                                      self->has_patients ? "patients" : "empty",
                                      self->register_known
                                      ? gtk_stack_get_transition_type (self->main_stack)
                                      : GTK_STACK_TRANSITION_TYPE_NONE);
  self->register_known = self->register_known || known;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.search",
                                 self->has_patients && self->locked_content == NULL);

  if (striae_patient_list_get_problem (self->patients) != NULL && !loading)
    {
      g_autofree char *problem =
        g_markup_escape_text (striae_patient_list_get_problem (self->patients), -1);

      /* The records did not answer: no stale list, but why there is none. */
      adw_status_page_set_icon_name (self->no_results_status, "network-offline-symbolic");
      adw_status_page_set_title (self->no_results_status, _("Patients Cannot Be Shown"));
      adw_status_page_set_description (self->no_results_status, problem);
      gtk_widget_set_visible (self->reload_button, TRUE);
      gtk_stack_set_visible_child_name (self->list_stack, "no-results");
      return;
    }

  gtk_widget_set_visible (self->reload_button, FALSE);
  if (query[0] != '\0' && n_items == 0 && !loading)
    {
      g_autofree char *escaped = g_markup_escape_text (query, -1);
      g_autofree char *description = NULL;

      if (self->show_archived)
        /* TRANSLATORS: %s is the text the user searched for */
        description = g_strdup_printf (_("No archived patient matches “%s”. Choose Archived "
                                         "in the main menu again to search the register."),
                                       escaped);
      else
        /* TRANSLATORS: %s is the text the user searched for */
        description = g_strdup_printf (_("No patient matches “%s”. Search by name, phone "
                                         "number, email or date of birth."),
                                       escaped);
      adw_status_page_set_icon_name (self->no_results_status, "edit-find-symbolic");
      adw_status_page_set_title (self->no_results_status, _("No Results"));
      adw_status_page_set_description (self->no_results_status, description);
      gtk_stack_set_visible_child_name (self->list_stack, "no-results");
    }
  else if (self->show_archived && n_items == 0 && !loading)
    {
      /* An empty archive says what it is for, not just nothing. */
      adw_status_page_set_icon_name (self->no_results_status, "folder-symbolic");
      adw_status_page_set_title (self->no_results_status, _("No Archived Patients"));
      adw_status_page_set_description (self->no_results_status,
                                       _("Patients you archive are listed here. Choose "
                                         "Archived in the main menu again to go back to the "
                                         "register."));
      gtk_stack_set_visible_child_name (self->list_stack, "no-results");
    }
  else if (n_items > 0 || !loading)
    {
      gtk_stack_set_visible_child_name (self->list_stack, "list");
    }
}

/* The patient shown on the patient's page; %NULL also while the page was never made. */
static StriaePatient *
shown_patient (StriaeWindow *self)
{
  return self->patient_page != NULL ? striae_patient_page_get_patient (self->patient_page)
                                    : NULL;
}

static void patient_changed_cb (StriaeWindow  *self,
                                StriaePatient *patient);
static void patient_deleted_cb (StriaeWindow *self,
                                gint64        id,
                                const char   *name);
static void patient_archived_cb (StriaeWindow *self,
                                 gboolean      archived,
                                 const char   *name);
static void open_consultation_cb (StriaeWindow       *self,
                                  StriaeConsultation *consultation,
                                  const char         *page);
static void open_session_cb (StriaeWindow       *self,
                             StriaeConsultation *consultation,
                             gint64              session_id);

/* The patient's page ("patient" in the content's stack), made when a patient is first shown
 * rather than with the window's template: the register's first frame neither builds its
 * groups and rows nor measures them in the stack, which shows "none" (issue 15). */
static StriaePatientPage *
ensure_patient_page (StriaeWindow *self)
{
  GtkWidget *clamp;
  GtkWidget *scrolled;

  if (self->patient_page != NULL)
    return self->patient_page;

  self->patient_page = STRIAE_PATIENT_PAGE (striae_patient_page_new ());
  /* Named as the window's own buttons are, which it was among in the template. */
  striae_accessible_name_buttons (GTK_WIDGET (self->patient_page));
  striae_patient_page_set_store (self->patient_page, self->store);
  striae_patient_page_set_records (self->patient_page, self->records);
  g_signal_connect_object (self->patient_page, "changed",
                           G_CALLBACK (patient_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->patient_page, "deleted",
                           G_CALLBACK (patient_deleted_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->patient_page, "archived",
                           G_CALLBACK (patient_archived_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->patient_page, "open-consultation",
                           G_CALLBACK (open_consultation_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->patient_page, "open-session",
                           G_CALLBACK (open_session_cb), self, G_CONNECT_SWAPPED);

  clamp = adw_clamp_new ();
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 720);
  adw_clamp_set_child (ADW_CLAMP (clamp), GTK_WIDGET (self->patient_page));
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  gtk_stack_add_named (self->content_stack, scrolled, "patient");
  return self->patient_page;
}

/* The row of the patient whose page is open is the selected one, also after the list
 * reloaded (a new patient appears in it only then): called on the selection model's own
 * items-changed, once it has taken the change in. */
static void
select_shown_patient (StriaeWindow *self)
{
  StriaePatient *shown = shown_patient (self);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->patients));
  gint64 id;

  if (shown == NULL)
    return;
  id = striae_patient_get_id (shown);
  for (guint i = 0; i < n; i++)
    {
      if (striae_patient_list_get_id (self->patients, i) == id)
        {
          if (gtk_single_selection_get_selected (self->selection) != i)
            gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), i, TRUE);
          return;
        }
    }
  gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));
}

static void
patients_changed_cb (StriaeWindow *self)
{
  striae_window_update_state (self);
}

static void
archive_counted_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(StriaeWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 count;

  count = striae_store_count_matches_finish (STRIAE_STORE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (count < 0)
    {
      g_message ("Could not count the archived patients: %s", error->message);
      return;
    }

  self->archive_used = count > 0;
  striae_window_update_state (self);
}

/* Under a search's rows, how many there are: the list fetches them a page at a time as one
 * scrolls, so the count comes from a query of its own, stopped at 1 001. */
static void
update_matches (StriaeWindow *self)
{
  const char *query = striae_patient_list_get_query (self->patients);
  g_autofree char *text = NULL;
  gint64 matches = -1;

  if (query[0] != '\0' && !striae_patient_list_get_loading (self->patients))
    matches = striae_patient_list_get_matches (self->patients);

  if (matches > 1000)
    /* TRANSLATORS: %d is 1000 */
    text = g_strdup_printf (_("More than %d patients match"), 1000);
  else if (matches > 0)
    text = g_strdup_printf (ngettext ("%d patient matches", "%d patients match", matches),
                            (int) matches);

  gtk_label_set_label (self->matches_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->matches_label), text != NULL);
}

/* Whether the archive holds anyone: an index look-up, in the background like the list's own
 * search. Asked when a load of the list starts, beside it rather than after it, so that an
 * empty register shows its first-run page with the load's result instead of a round trip
 * later (issue 15: about a frame or more at start-up). */
static void
count_archive (StriaeWindow *self)
{
  g_cancellable_cancel (self->archive_cancellable);
  g_clear_object (&self->archive_cancellable);
  self->archive_cancellable = g_cancellable_new ();
  self->archive_used = -1;
  striae_store_count_matches_async (self->store, "", STRIAE_SEARCH_FLAGS_ARCHIVED, 1,
                                    self->archive_cancellable, archive_counted_cb,
                                    g_object_ref (self));
}

static void
patients_loading_cb (StriaeWindow *self)
{
  if (!striae_patient_list_get_loading (self->patients))
    {
      if (striae_patient_list_get_problem (self->patients) == NULL)
        self->reloads_left = 0;
      else if (self->reloads_left > 0)
        {
          self->reloads_left--;
          striae_patient_list_reload (self->patients);
          return;
        }
    }

  if (striae_patient_list_get_loading (self->patients))
    count_archive (self);

  update_matches (self);
  striae_window_update_state (self);
}

static void
show_page (StriaeWindow  *self,
           StriaePatient *patient)
{
  StriaePatient *shown = shown_patient (self);

  /* A session record left for another patient keeps what was typed. */
  if (self->session_page != NULL)
    striae_session_page_save_now (self->session_page, NULL);

  /* Opening a record is an access to health data: the audit log keeps it [records]. */
  if (shown == NULL || striae_patient_get_id (shown) != striae_patient_get_id (patient))
    {
      g_autoptr(GError) error = NULL;

      if (!striae_store_log_event (self->store, STRIAE_AUDIT_VIEW,
                                   striae_patient_get_id (patient), 0, NULL, &error))
        g_message ("Could not record the view of patient %" G_GINT64_FORMAT ": %s",
                   striae_patient_get_id (patient), error->message);
    }

  striae_patient_page_set_patient (ensure_patient_page (self), patient);
  select_shown_patient (self);
  gtk_stack_set_visible_child_name (self->content_stack, "patient");
  adw_leaflet_set_visible_child (self->leaflet, self->content);
}

static void
close_page (StriaeWindow *self)
{
  if (self->session_page != NULL)
    striae_session_page_save_now (self->session_page, NULL);
  if (self->patient_page != NULL)
    striae_patient_page_set_patient (self->patient_page, NULL);
  gtk_stack_set_visible_child_name (self->content_stack, "none");
  gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));
  adw_leaflet_set_visible_child (self->leaflet, self->sidebar);
}

static void
show_error (StriaeWindow *self,
            const char   *heading,
            const GError *error)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, error->message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
list_activate_cb (StriaeWindow *self,
                  guint         position)
{
  g_autoptr(GError) error = NULL;
  gint64 id = striae_patient_list_get_id (self->patients, position);

  if (id == 0 || striae_window_show_patient (self, id, &error))
    return;

  /* The clinic server is gone: the page says why, and offers to try again. */
  if (g_error_matches (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_UNREACHABLE))
    {
      striae_patient_page_show_unreadable (ensure_patient_page (self), id, error);
      gtk_stack_set_visible_child_name (self->content_stack, "patient");
      adw_leaflet_set_visible_child (self->leaflet, self->content);
      return;
    }
  show_error (self, _("The Patient Could Not Be Opened"), error);
}

static void
search_changed_cb (StriaeWindow   *self,
                   GtkSearchEntry *entry)
{
  striae_patient_list_set_query (self->patients, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

/* Enter in the search field opens the best match. */
static void
search_activate_cb (StriaeWindow *self)
{
  if (g_list_model_get_n_items (G_LIST_MODEL (self->patients)) > 0)
    {
      gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), 0, TRUE);
      list_activate_cb (self, 0);
    }
}

static void
stop_search_cb (StriaeWindow *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

static void
patient_changed_cb (StriaeWindow  *self,
                    StriaePatient *patient)
{
  striae_window_add_toast (self, _("Changes saved"));
}

static void
patient_deleted_cb (StriaeWindow *self,
                    gint64        id,
                    const char   *name)
{
  g_autofree char *message = NULL;

  close_page (self);
  /* TRANSLATORS: %s is the full name of the patient who was just erased */
  message = g_strdup_printf (_("%s was erased"), name);
  striae_window_add_toast (self, message);
}

static void
patient_archived_cb (StriaeWindow *self,
                     gboolean      archived,
                     const char   *name)
{
  g_autofree char *message = NULL;

  if (archived)
    /* TRANSLATORS: %s is the full name of the patient who was just archived */
    message = g_strdup_printf (_("%s is archived: choose Archived in the main menu to find "
                                 "them"), name);
  else
    /* TRANSLATORS: %s is the full name of the patient who was just unarchived */
    message = g_strdup_printf (_("%s is back in the patient list"), name);
  striae_window_add_toast (self, message);
}

static void
new_patient_saved_cb (StriaeWindow  *self,
                      StriaePatient *patient)
{
  g_autoptr(StriaePatient) copy = striae_patient_copy (patient);

  self->has_patients = TRUE;
  striae_window_update_state (self);
  show_page (self, copy);
  striae_window_add_toast (self, _("Patient added"));
}

static void
wizard_closed_cb (StriaeWindow *self)
{
  striae_patient_page_reload_consultations (ensure_patient_page (self));
  gtk_stack_set_visible_child_name (self->content_stack, "patient");
}

/* The wizard is made when a consultation is first opened, not with the window: its six
 * pages are a third of the window's memory and of its time to the first frame
 * (bench/bench-startup), and many windows show patients without opening one. */
static void
ensure_wizard (StriaeWindow *self)
{
  if (self->wizard != NULL)
    return;

  self->wizard = STRIAE_WIZARD (striae_wizard_new ());
  striae_wizard_set_records (self->wizard, self->records);
  g_signal_connect_object (self->wizard, "closed",
                           G_CALLBACK (wizard_closed_cb), self, G_CONNECT_SWAPPED);
  gtk_stack_add_named (self->content_stack, GTK_WIDGET (self->wizard), "wizard");
  striae_accessible_name_buttons (GTK_WIDGET (self->wizard));
}

static void
open_consultation_cb (StriaeWindow       *self,
                      StriaeConsultation *consultation,
                      const char         *page)
{
  StriaePatient *patient = shown_patient (self);

  if (patient == NULL)
    return;

  /* Shown first, so that the wizard can put the focus on the first field of its page: a
   * hidden page takes no focus, and the keyboard would be left on the patient page. */
  ensure_wizard (self);
  gtk_stack_set_visible_child_name (self->content_stack, "wizard");
  striae_wizard_open (self->wizard, patient, consultation, page);
}

static void
session_closed_cb (StriaeWindow *self)
{
  striae_patient_page_reload_consultations (ensure_patient_page (self));
  gtk_stack_set_visible_child_name (self->content_stack, "patient");
}

/* Made when a session record is first opened, as the wizard is. */
static void
ensure_session_page (StriaeWindow *self)
{
  if (self->session_page != NULL)
    return;

  self->session_page = STRIAE_SESSION_PAGE (striae_session_page_new ());
  striae_session_page_set_store (self->session_page, self->store);
  g_signal_connect_object (self->session_page, "closed",
                           G_CALLBACK (session_closed_cb), self, G_CONNECT_SWAPPED);
  gtk_stack_add_named (self->content_stack, GTK_WIDGET (self->session_page), "session");
}

static void
open_session_cb (StriaeWindow       *self,
                 StriaeConsultation *consultation,
                 gint64              session_id)
{
  StriaePatient *patient = shown_patient (self);
  g_autoptr(GError) error = NULL;

  if (patient == NULL)
    return;

  ensure_session_page (self);
  if (!striae_session_page_open (self->session_page, patient, consultation, session_id,
                                 &error))
    {
      show_error (self, _("The Session Record Could Not Be Opened"), error);
      return;
    }
  gtk_stack_set_visible_child_name (self->content_stack, "session");
  gtk_widget_child_focus (GTK_WIDGET (self->session_page), GTK_DIR_TAB_FORWARD);
}

static void
photos_closed_cb (StriaeWindow *self)
{
  gtk_stack_set_visible_child_name (self->content_stack, "patient");
  gtk_widget_grab_focus (GTK_WIDGET (ensure_patient_page (self)));
}

/* Made when photos are first shown, as the wizard is. */
static void
ensure_photos_page (StriaeWindow *self)
{
  if (self->photos_page != NULL)
    return;

  self->photos_page = STRIAE_PHOTOS_PAGE (striae_photos_page_new ());
  striae_photos_page_set_store (self->photos_page, self->store);
  g_signal_connect_object (self->photos_page, "closed",
                           G_CALLBACK (photos_closed_cb), self, G_CONNECT_SWAPPED);
  gtk_stack_add_named (self->content_stack, GTK_WIDGET (self->photos_page), "photos");
}

/* The photos of the patient shown (issue 18): Photos, then Compare, from the patient's page. */
static void
show_photos_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  StriaeWindow *self = STRIAE_WINDOW (widget);
  StriaePatient *patient = shown_patient (self);

  if (patient == NULL ||
      g_strcmp0 (gtk_stack_get_visible_child_name (self->content_stack), "patient") != 0)
    return;
  ensure_photos_page (self);
  striae_photos_page_open (self->photos_page, patient);
  gtk_stack_set_visible_child_name (self->content_stack, "photos");
  adw_leaflet_set_visible_child (self->leaflet, self->content);
  gtk_widget_child_focus (GTK_WIDGET (self->photos_page), GTK_DIR_TAB_FORWARD);
}

static void
new_patient_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  StriaeWindow *self = STRIAE_WINDOW (widget);
  StriaePatientEditor *editor = striae_patient_editor_new (self->store, NULL);

  gtk_window_set_transient_for (GTK_WINDOW (editor), GTK_WINDOW (self));
  g_signal_connect_object (editor, "saved", G_CALLBACK (new_patient_saved_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (editor));
}

/* "New Consultation" of the patient shown, wherever the focus is in the window (the search
 * field, the list): the page's own action decides, as its button does. */
static void
new_consultation_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  StriaeWindow *self = STRIAE_WINDOW (widget);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->content_stack), "patient") == 0)
    gtk_widget_activate_action (GTK_WIDGET (self->patient_page), "patient.new-consultation",
                                NULL);
}

/* Opens the sheet preview of a stored consultation; every print and export from it is written
 * to the audit log through the store. */
static void
show_sheets_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  StriaeWindow *self = STRIAE_WINDOW (widget);
  g_autoptr(StriaeConsultation) consultation = NULL;
  g_autoptr(StriaePatient) patient = NULL;
  g_autoptr(GError) error = NULL;
  StriaeSheetPreview *preview;
  const char *sheet_name;

  consultation = striae_store_get_consultation (self->store, g_variant_get_int64 (parameter),
                                                &error);
  if (consultation != NULL)
    patient = striae_store_get_patient (self->store,
                                        striae_consultation_get_patient_id (consultation),
                                        &error);
  if (patient == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The sheets cannot be shown: %s"),
                                                  error->message);

      striae_window_add_toast (self, message);
      return;
    }

  /* Before the plan is signed the patient needs the pre-treatment sheet; afterwards, the
   * aftercare sheet is the one handed out after each session. */
  if (striae_consultation_get_status (consultation) == STRIAE_CONSULTATION_STATUS_SIGNED)
    sheet_name = "aftercare";
  else
    sheet_name = "pre-treatment";

  preview = striae_sheet_preview_new (GTK_WINDOW (self), patient, consultation, sheet_name);
  striae_sheet_preview_set_store (preview, self->store);
  gtk_window_present (GTK_WINDOW (preview));
}

/* "Sign Consent on Screen" of a signed consultation that treats (issue 18). */
static void
sign_consent_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  StriaeWindow *self = STRIAE_WINDOW (widget);
  g_autoptr(StriaeConsultation) consultation = NULL;
  g_autoptr(StriaePatient) patient = NULL;
  g_autoptr(StriaeConsentDialog) dialog = NULL;
  g_autoptr(GError) error = NULL;

  consultation = striae_store_get_consultation (self->store, g_variant_get_int64 (parameter),
                                                &error);
  if (consultation != NULL)
    patient = striae_store_get_patient (self->store,
                                        striae_consultation_get_patient_id (consultation),
                                        &error);
  if (patient != NULL)
    dialog = striae_consent_dialog_new (GTK_WINDOW (self), self->store, self->settings,
                                        patient, consultation, &error);
  if (dialog == NULL)
    {
      /* TRANSLATORS: %s says why */
      g_autofree char *message = g_strdup_printf (_("The consent cannot be signed: %s"),
                                                  error->message);

      striae_window_add_toast (self, message);
      return;
    }
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The front desk's page: the day's sessions (today when first shown). */
static void
show_day_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  StriaeWindow *self = STRIAE_WINDOW (widget);
  gboolean made = self->day_page == NULL;
  StriaeDayPage *page = striae_window_get_day_page (self);

  /* A page just made has started reading the day already. */
  if (!made)
    striae_day_page_reload (page);
  gtk_stack_set_visible_child_name (self->main_stack, "day");
  striae_day_page_focus_list (page);
}

/* Who to call back: maintenance due, courses stopped, patients to see again. */
static void
show_recalls_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  StriaeWindow *self = STRIAE_WINDOW (widget);
  StriaeRecallsPage *page = striae_window_get_recalls_page (self);

  striae_recalls_page_reload (page);
  gtk_stack_set_visible_child_name (self->main_stack, "recalls");
  gtk_widget_child_focus (GTK_WIDGET (page), GTK_DIR_TAB_FORWARD);
}

/* Batch tracing: the sessions that received a lot, looked for again as the records are now. */
static void
find_batch_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  StriaeWindow *self = STRIAE_WINDOW (widget);
  StriaeBatchPage *page = striae_window_get_batch_page (self);

  striae_batch_page_reload (page);
  gtk_stack_set_visible_child_name (self->main_stack, "batch");
  striae_batch_page_focus (page);
}

/* The keyboard shortcuts, built when first asked for rather than for every window as
 * GtkApplication does with a gtk/help-overlay.ui of the application's resources: the
 * shortcuts window is as large as a page, and no start shows it (issue 15). From then on the
 * window keeps it, as GtkApplicationWindow does. */
static void
show_help_overlay_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  GtkApplicationWindow *window = GTK_APPLICATION_WINDOW (widget);
  GtkShortcutsWindow *overlay = gtk_application_window_get_help_overlay (window);

  if (overlay == NULL)
    {
      g_autoptr(GtkBuilder) builder =
        gtk_builder_new_from_resource ("/io/github/striae/Striae/help-overlay.ui");

      overlay = GTK_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
      gtk_application_window_set_help_overlay (window, overlay);
    }
  gtk_window_present (GTK_WINDOW (overlay));
}

static void
leave_day (StriaeWindow *self)
{
  gtk_stack_set_visible_child_name (self->main_stack, "patients");
  striae_window_update_state (self);
}

static void
day_close_cb (StriaeWindow *self)
{
  leave_day (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
}

static void
day_open_patient_cb (StriaeWindow *self,
                     gint64        patient_id)
{
  g_autoptr(GError) error = NULL;

  leave_day (self);
  if (!striae_window_show_patient (self, patient_id, &error))
    show_error (self, _("The Patient Could Not Be Opened"), error);
}

/* A session record started from the day's list: the patient's page, then its course's
 * Record Session, which carries on with a record begun or starts the next one. */
static void
record_session_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  StriaeWindow *self = STRIAE_WINDOW (widget);
  gint64 consultation_id = g_variant_get_int64 (parameter);
  g_autoptr(StriaeConsultation) consultation = NULL;
  g_autoptr(GError) error = NULL;

  consultation = striae_store_get_consultation (self->store, consultation_id, &error);
  if (consultation == NULL)
    {
      show_error (self, _("The Session Record Could Not Be Opened"), error);
      return;
    }
  leave_day (self);
  if (!striae_window_show_patient (self, striae_consultation_get_patient_id (consultation),
                                   &error))
    {
      show_error (self, _("The Patient Could Not Be Opened"), error);
      return;
    }
  gtk_widget_activate_action (GTK_WIDGET (self->patient_page), "patient.record-session", "x",
                              consultation_id);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  StriaeWindow *self = STRIAE_WINDOW (widget);

  adw_leaflet_set_visible_child (self->leaflet, self->sidebar);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  StriaeWindow *self = STRIAE_WINDOW (widget);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->content_stack), "wizard") == 0)
    {
      striae_wizard_save_now (self->wizard, NULL);
      wizard_closed_cb (self);
      return;
    }
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->content_stack), "session") == 0)
    {
      gtk_widget_activate_action (GTK_WIDGET (self->session_page), "session.close", NULL);
      return;
    }
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->content_stack), "photos") == 0)
    {
      gtk_widget_activate_action (GTK_WIDGET (self->photos_page), "photos.back", NULL);
      return;
    }
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->content_stack), "patient") != 0)
    return;

  if (adw_leaflet_get_folded (self->leaflet) &&
      adw_leaflet_get_visible_child (self->leaflet) == self->content)
    adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
  else
    close_page (self);

  gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
}

static void
factory_setup_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *item)
{
  gtk_list_item_set_child (item, striae_patient_row_new ());
}

/* The store tells the patient list about every saved, signed or amended consultation, and the
 * list then searches again: the "Draft" tag comes with the row, read by the search, so that
 * binding a row asks the store nothing. */
static void
factory_bind_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 StriaeWindow             *self)
{
  StriaePatientRow *row = STRIAE_PATIENT_ROW (gtk_list_item_get_child (item));
  StriaePatient *patient = gtk_list_item_get_item (item);

  striae_patient_row_set_patient (row, patient);
  striae_patient_row_set_has_draft (row, patient != NULL &&
                                    striae_patient_list_get_has_draft (
                                      self->patients, gtk_list_item_get_position (item)));
}

static void
factory_unbind_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *item)
{
  striae_patient_row_set_patient (STRIAE_PATIENT_ROW (gtk_list_item_get_child (item)), NULL);
}

static void
restore_size (StriaeWindow *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    {
      /* Running from a build tree without its compiled schema: the size is not kept. */
      g_message ("The settings schema %s is not installed; the window size is not remembered.",
                 APP_ID);
      return;
    }

  self->settings = g_settings_new (APP_ID);
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static gboolean
striae_window_close_request (GtkWindow *window)
{
  StriaeWindow *self = STRIAE_WINDOW (window);

  if (self->settings != NULL)
    {
      gboolean maximized = gtk_window_is_maximized (window);
      int width, height;

      /* A maximized window keeps the size it had before, to come back to. */
      if (!maximized)
        {
          gtk_window_get_default_size (window, &width, &height);
          g_settings_set_int (self->settings, "window-width", width);
          g_settings_set_int (self->settings, "window-height", height);
        }
      g_settings_set_boolean (self->settings, "window-maximized", maximized);
    }

  return GTK_WINDOW_CLASS (striae_window_parent_class)->close_request (window);
}

static void set_actions_enabled (StriaeWindow *self,
                                 gboolean      enabled);

/* The height of the tallest screen, -1 when none is known. */
static int
tallest_screen (GtkWidget *widget)
{
  GListModel *monitors = gdk_display_get_monitors (gtk_widget_get_display (widget));
  int height = -1;

  for (guint i = 0; i < g_list_model_get_n_items (monitors); i++)
    {
      g_autoptr(GdkMonitor) monitor = g_list_model_get_item (monitors, i);
      GdkRectangle geometry;

      gdk_monitor_get_geometry (monitor, &geometry);
      height = MAX (height, geometry.height);
    }
  return height;
}

/* The rows of the list's first page: those the window's height can show (the tallest
 * screen's when it opens maximized), so that the first frame makes and binds no row that it
 * does not show (issue 15: about 1 M instructions each, with its text measured); the next
 * page follows after that frame, as the pages after it do. */
static guint
first_page_rows (StriaeWindow *self)
{
  int width, height;

  /* GTK 4.8 fills both, NULL or not. */
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  if (height <= 0 ||
      (self->settings != NULL && g_settings_get_boolean (self->settings, "window-maximized")))
    height = tallest_screen (GTK_WIDGET (self));
  if (height <= 0)
    return STRIAE_PATIENT_LIST_FIRST_PAGE_SIZE;
  return MIN (height / ROW_HEIGHT_MIN + 2, STRIAE_PATIENT_LIST_PAGE_SIZE);
}

static void
striae_window_constructed (GObject *object)
{
  StriaeWindow *self = (StriaeWindow *)object;
  GtkListItemFactory *factory;

  G_OBJECT_CLASS (striae_window_parent_class)->constructed (object);

  g_assert (STRIAE_IS_STORE (self->store));

  self->records = striae_wizard_records_new (self->store);

  restore_size (self);
  self->patients = g_object_new (STRIAE_TYPE_PATIENT_LIST,
                                 "store", self->store,
                                 "first-page-size", first_page_rows (self),
                                 NULL);
  g_signal_connect_object (self->patients, "items-changed",
                           G_CALLBACK (patients_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->patients, "notify::loading",
                           G_CALLBACK (patients_loading_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->patients, "notify::matches",
                           G_CALLBACK (update_matches), self, G_CONNECT_SWAPPED);
  /* The list's first load started as it was made. */
  count_archive (self);

  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->patients)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (self->selection, "items-changed",
                           G_CALLBACK (select_shown_patient), self, G_CONNECT_SWAPPED);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (factory_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (factory_bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (factory_unbind_cb), NULL);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);

  /* Until the list has loaded, a register rather than the first-run page, which a large
   * register would otherwise flash; an empty one loads at once. */
  self->has_patients = TRUE;

  set_actions_enabled (self, TRUE);
  striae_window_update_state (self);
}

/* GTK 4.8 unrefs a freed object when a menu's model buttons lose their keyboard shortcuts,
 * which they do when their menu leaves the window: the menus are taken down first, while
 * still in it, and put back at the unlock. */
static void
take_down_menus (GtkWidget *widget,
                 GPtrArray *menus)
{
  if (GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (widget)))
    {
      g_ptr_array_add (menus, g_object_ref (widget));
      g_ptr_array_add (menus, g_object_ref (gtk_menu_button_get_menu_model (
                                              GTK_MENU_BUTTON (widget))));
      gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (widget), NULL);
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    take_down_menus (child, menus);
}

static void
put_back_menus (GPtrArray *menus)
{
  for (guint i = 0; i + 1 < menus->len; i += 2)
    gtk_menu_button_set_menu_model (menus->pdata[i], menus->pdata[i + 1]);
}

static void
striae_window_dispose (GObject *object)
{
  StriaeWindow *self = (StriaeWindow *)object;

  /* Closed while locked: the content goes with the window as usual (the wizard saves). */
  if (self->locked_content != NULL)
    {
      /* The lock or setup page's fields let go of the focus while the window is whole:
       * libadwaita 1.2's entry rows follow the window's focus, and would hear of it from a
       * window half disposed. */
      gtk_window_set_focus (GTK_WINDOW (self), NULL);
      gtk_window_set_default_widget (GTK_WINDOW (self), NULL);
      adw_application_window_set_content (ADW_APPLICATION_WINDOW (self), self->locked_content);
      g_clear_object (&self->locked_content);
      put_back_menus (self->locked_menus);
    }
  if (self->list_view != NULL)
    gtk_list_view_set_model (self->list_view, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), STRIAE_TYPE_WINDOW);
  self->patient_page = NULL;
  self->wizard = NULL;
  self->session_page = NULL;
  self->photos_page = NULL;
  g_clear_object (&self->selection);
  /* The wizard's last save (when it goes with the window) reloads the list: a reload ending
   * after this must not reach the window. */
  if (self->patients != NULL)
    g_signal_handlers_disconnect_by_data (self->patients, self);
  g_clear_object (&self->patients);
  g_cancellable_cancel (self->archive_cancellable);
  g_clear_object (&self->archive_cancellable);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);
  g_clear_object (&self->records);
  g_clear_weak_pointer (&self->focus_before_lock);
  g_clear_object (&self->locked_content);
  g_clear_pointer (&self->locked_menus, g_ptr_array_unref);
  g_clear_object (&self->lock_page);
  g_clear_object (&self->setup_page);

  G_OBJECT_CLASS (striae_window_parent_class)->dispose (object);
}

static void
striae_window_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  StriaeWindow *self = STRIAE_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_SHOW_ARCHIVED:
      g_value_set_boolean (value, self->show_archived);
      break;
    case PROP_SERVER_UNREACHABLE:
      g_value_set_boolean (value, self->server_unreachable);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Whether @banner's bar is still folding away: its revealer's transition has not ended. */
static gboolean
banner_folding (GtkInfoBar *banner)
{
  GtkWidget *revealer = gtk_widget_get_first_child (GTK_WIDGET (banner));

  return GTK_IS_REVEALER (revealer) && gtk_revealer_get_child_revealed (GTK_REVEALER (revealer));
}

/* Shows @banner, or folds it away and then hides it. A bar only folded away (revealed
 * %FALSE) is still measured, its wrapping text at every width the window tries, which was
 * the largest part of the text measured for the register's first frame (issue 15): while
 * the server answers, the bars are hidden. Shown first and then revealed, a bar slides in;
 * it is hidden once it has folded away (banner_revealed_cb). */
static void
show_banner (GtkInfoBar *banner,
             gboolean    shown)
{
  if (shown)
    gtk_widget_set_visible (GTK_WIDGET (banner), TRUE);
  gtk_info_bar_set_revealed (banner, shown);
  if (!shown && !banner_folding (banner))
    gtk_widget_set_visible (GTK_WIDGET (banner), FALSE);
}

/* While the clinic server does not answer, the banners below the header bars say that
 * typing is kept on this computer. Side by side, the banner over the content says it;
 * folded, the sidebar's does. */
static void
update_banners (StriaeWindow *self)
{
  show_banner (self->empty_banner, self->server_unreachable);
  show_banner (self->server_banner, self->server_unreachable);
  show_banner (self->sidebar_banner,
               self->server_unreachable && adw_leaflet_get_folded (self->leaflet));
}

static void
banner_revealed_cb (StriaeWindow *self)
{
  update_banners (self);
}

/* A bar is hidden once its fold ends: its revealer says so. */
static void
watch_banner (StriaeWindow *self,
              GtkInfoBar   *banner)
{
  GtkWidget *revealer = gtk_widget_get_first_child (GTK_WIDGET (banner));

  if (GTK_IS_REVEALER (revealer))
    g_signal_connect_object (revealer, "notify::child-revealed",
                             G_CALLBACK (banner_revealed_cb), self, G_CONNECT_SWAPPED);
}

/* The clinic server answers again: a list that could not be read is read again, and the
 * load that may be running already (the records told of a change) may try again too. */
static void
server_back (StriaeWindow *self)
{
  if (self->patients == NULL)
    return;
  self->reloads_left = RELOADS_AFTER_OUTAGE;
  if (!striae_patient_list_get_loading (self->patients) &&
      striae_patient_list_get_problem (self->patients) != NULL)
    {
      self->reloads_left--;
      striae_patient_list_reload (self->patients);
    }
}

static void
reload_patients_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  StriaeWindow *self = STRIAE_WINDOW (widget);

  self->reloads_left = RELOADS_AFTER_OUTAGE - 1;
  striae_patient_list_reload (self->patients);
}

static void
striae_window_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  StriaeWindow *self = STRIAE_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_SHOW_ARCHIVED:
      striae_window_set_show_archived (self, g_value_get_boolean (value));
      break;
    case PROP_SERVER_UNREACHABLE:
      if (self->server_unreachable != g_value_get_boolean (value))
        {
          self->server_unreachable = g_value_get_boolean (value);
          update_banners (self);
          if (!self->server_unreachable)
            server_back (self);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_window_class_init (StriaeWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = striae_window_constructed;
  object_class->dispose = striae_window_dispose;
  object_class->get_property = striae_window_get_property;
  object_class->set_property = striae_window_set_property;
  window_class->close_request = striae_window_close_request;

  properties [PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         STRIAE_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  /* The register lists the archived patients instead of the others (win.show-archived). */
  properties [PROP_SHOW_ARCHIVED] =
    g_param_spec_boolean ("show-archived", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));
  /* While the clinic server does not answer, the banners below the header bars say that
   * typing is kept on this computer (the application's "unreachable"). */
  properties [PROP_SERVER_UNREACHABLE] =
    g_param_spec_boolean ("server-unreachable", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The lock page asks to check @password for account @name (whoever checks passwords
   * answers on striae_window_get_lock_page()). */
  signals [UNLOCK_REQUESTED] =
    g_signal_new ("unlock-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  g_type_ensure (STRIAE_TYPE_PATIENT_PAGE);
  g_type_ensure (STRIAE_TYPE_WIZARD);

  striae_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/striae/Striae/ui/striae-window.ui");
  gtk_widget_class_bind_template_child (widget_class, StriaeWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, StriaeWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, StriaeWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, StriaeWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, StriaeWindow, content);
  gtk_widget_class_bind_template_child (widget_class, StriaeWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, StriaeWindow, list_stack);
  gtk_widget_class_bind_template_child (widget_class, StriaeWindow, matches_label);
  gtk_widget_class_bind_template_child (widget_class, StriaeWindow, list_view);
  gtk_widget_class_bind_template_child (widget_class, StriaeWindow, no_results_status);
  gtk_widget_class_bind_template_child (widget_class, StriaeWindow, reload_button);
  gtk_widget_class_bind_template_child (widget_class, StriaeWindow, archived_heading);
  gtk_widget_class_bind_template_child (widget_class, StriaeWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, StriaeWindow, empty_banner);
  gtk_widget_class_bind_template_child (widget_class, StriaeWindow, sidebar_banner);
  gtk_widget_class_bind_template_child (widget_class, StriaeWindow, server_banner);
  gtk_widget_class_bind_template_callback (widget_class, list_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);

  gtk_widget_class_install_action (widget_class, "win.new-patient", NULL, new_patient_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.show-day", NULL, show_day_action);
  gtk_widget_class_install_action (widget_class, "win.show-recalls", NULL, show_recalls_action);
  gtk_widget_class_install_action (widget_class, "win.find-batch", NULL, find_batch_action);
  gtk_widget_class_install_action (widget_class, "win.new-consultation", NULL,
                                   new_consultation_action);
  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "win.reload-patients", NULL,
                                   reload_patients_action);
  gtk_widget_class_install_action (widget_class, "win.show-sheets", "x", show_sheets_action);
  gtk_widget_class_install_action (widget_class, "win.sign-consent", "x", sign_consent_action);
  gtk_widget_class_install_action (widget_class, "win.record-session", "x",
                                   record_session_action);
  gtk_widget_class_install_action (widget_class, "win.show-photos", NULL, show_photos_action);
  gtk_widget_class_install_action (widget_class, "win.show-help-overlay", NULL,
                                   show_help_overlay_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK | GDK_ALT_MASK,
                                       "win.show-photos", NULL);
  gtk_widget_class_install_property_action (widget_class, "win.show-archived", "show-archived");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.new-consultation", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK,
                                       "win.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_d, GDK_CONTROL_MASK,
                                       "win.show-day", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.show-recalls", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_b, GDK_CONTROL_MASK,
                                       "win.find-batch", NULL);
}

static void
lock_page_unlock_requested_cb (StriaeWindow   *self,
                               const char     *name,
                               const char     *password,
                               StriaeLockPage *page)
{
  g_signal_emit (self, signals [UNLOCK_REQUESTED], 0, name, password);
}

/* A lock page of its own for each lock, with the account of the one before: GTK 4.8 breaks
 * the accessible objects of widgets that leave a window and come back (their AT-SPI
 * actions and text then reach nothing), so that a screen reader could not unlock a window
 * a second time with a page that was shown before. The first is made when first asked for
 * (striae_window_get_lock_page(), a lock), not with the window: a start signed in never
 * shows it before its first frame (issue 15). */
static void
new_lock_page (StriaeWindow *self)
{
  g_autofree char *account = NULL;

  if (self->lock_page != NULL)
    {
      account = g_strdup (striae_lock_page_get_account (self->lock_page));
      g_signal_handlers_disconnect_by_data (self->lock_page, self);
      g_clear_object (&self->lock_page);
    }
  self->lock_page = g_object_ref_sink (STRIAE_LOCK_PAGE (striae_lock_page_new ()));
  striae_lock_page_set_account (self->lock_page, account);
  g_signal_connect_object (self->lock_page, "unlock-requested",
                           G_CALLBACK (lock_page_unlock_requested_cb), self,
                           G_CONNECT_SWAPPED);
}

static void
striae_window_init (StriaeWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  striae_accessible_name_buttons (GTK_WIDGET (self));

  gtk_search_entry_set_search_delay (self->search_entry, SEARCH_DELAY_MS);
  gtk_search_entry_set_key_capture_widget (self->search_entry, self->sidebar);

  g_signal_connect_object (self->leaflet, "notify::folded",
                           G_CALLBACK (update_banners), self, G_CONNECT_SWAPPED);
  watch_banner (self, self->empty_banner);
  watch_banner (self, self->sidebar_banner);
  watch_banner (self, self->server_banner);
}

StriaeWindow *
striae_window_new (StriaeApplication *application,
                   StriaeStore       *store)
{
  g_return_val_if_fail (application == NULL || STRIAE_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (STRIAE_IS_STORE (store), NULL);

  StriaeWindow *self = g_object_new (STRIAE_TYPE_WINDOW,
                                     "application", application,
                                     "store", store,
                                     NULL);

  /* While the clinic server does not answer, the window says that typing is kept here. */
  if (application != NULL)
    g_object_bind_property (application, "unreachable", self, "server-unreachable",
                            G_BINDING_SYNC_CREATE);
  return self;
}

StriaeStore *
striae_window_get_store (StriaeWindow *self)
{
  g_return_val_if_fail (STRIAE_IS_WINDOW (self), NULL);
  return self->store;
}

/* The patients the list shows (a StriaePatientList), for tests and later features. */
GListModel *
striae_window_get_patients (StriaeWindow *self)
{
  g_return_val_if_fail (STRIAE_IS_WINDOW (self), NULL);
  return G_LIST_MODEL (self->patients);
}

gboolean
striae_window_get_show_archived (StriaeWindow *self)
{
  g_return_val_if_fail (STRIAE_IS_WINDOW (self), FALSE);
  return self->show_archived;
}

/* Lists the archived patients (%TRUE) or the register's others; the search applies to
 * whichever is shown. */
void
striae_window_set_show_archived (StriaeWindow *self,
                                 gboolean      show_archived)
{
  g_return_if_fail (STRIAE_IS_WINDOW (self));

  show_archived = !!show_archived;
  if (self->show_archived == show_archived)
    return;

  self->show_archived = show_archived;
  gtk_widget_set_visible (self->archived_heading, show_archived);
  if (self->patients != NULL)
    striae_patient_list_set_archived (self->patients, show_archived);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SHOW_ARCHIVED]);
}

/* The wizard, %NULL until a consultation was opened in this window (ensure_wizard()). */
StriaeWizard *
striae_window_get_wizard (StriaeWindow *self)
{
  g_return_val_if_fail (STRIAE_IS_WINDOW (self), NULL);
  return self->wizard;
}

StriaePatientPage *
striae_window_get_patient_page (StriaeWindow *self)
{
  g_return_val_if_fail (STRIAE_IS_WINDOW (self), NULL);
  return ensure_patient_page (self);
}

/* The pages the menu opens (the day's list, the recalls, Find Batch) are made the first time
 * they are asked for (issue 15): the first frame shows none of them, and the day's page reads
 * the records as soon as it has them. */
static GtkWidget *
add_front_desk_page (StriaeWindow *self,
                     GtkWidget    *page,
                     const char   *name)
{
  g_signal_connect_swapped (page, "open-patient", G_CALLBACK (day_open_patient_cb), self);
  g_signal_connect_swapped (page, "close", G_CALLBACK (day_close_cb), self);
  gtk_stack_add_named (self->main_stack, page, name);
  return page;
}

/* Batch tracing (win.find-batch), made when first asked for. */
StriaeBatchPage *
striae_window_get_batch_page (StriaeWindow *self)
{
  g_return_val_if_fail (STRIAE_IS_WINDOW (self), NULL);

  if (self->batch_page == NULL)
    {
      self->batch_page = STRIAE_BATCH_PAGE (
        add_front_desk_page (self, g_object_new (STRIAE_TYPE_BATCH_PAGE, NULL), "batch"));
      striae_batch_page_set_store (self->batch_page, self->store);
    }
  return self->batch_page;
}

/* The recalls (win.show-recalls), made when first asked for. */
StriaeRecallsPage *
striae_window_get_recalls_page (StriaeWindow *self)
{
  g_return_val_if_fail (STRIAE_IS_WINDOW (self), NULL);

  if (self->recalls_page == NULL)
    {
      self->recalls_page = STRIAE_RECALLS_PAGE (
        add_front_desk_page (self, g_object_new (STRIAE_TYPE_RECALLS_PAGE, NULL), "recalls"));
      striae_recalls_page_set_store (self->recalls_page, self->store);
    }
  return self->recalls_page;
}

/* The front desk's page (win.show-day), made when first asked for. */
StriaeDayPage *
striae_window_get_day_page (StriaeWindow *self)
{
  g_return_val_if_fail (STRIAE_IS_WINDOW (self), NULL);

  if (self->day_page == NULL)
    {
      self->day_page = STRIAE_DAY_PAGE (
        add_front_desk_page (self, g_object_new (STRIAE_TYPE_DAY_PAGE, NULL), "day"));
      striae_day_page_set_store (self->day_page, self->store);
    }
  return self->day_page;
}

gboolean
striae_window_show_patient (StriaeWindow  *self,
                            gint64         id,
                            GError       **error)
{
  g_autoptr(StriaePatient) patient = NULL;

  g_return_val_if_fail (STRIAE_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  patient = striae_store_get_patient (self->store, id, error);
  if (patient == NULL)
    return FALSE;

  show_page (self, patient);
  return TRUE;
}

void
striae_window_add_toast (StriaeWindow *self,
                         const char   *title)
{
  g_return_if_fail (STRIAE_IS_WINDOW (self));
  g_return_if_fail (title != NULL);

  /* Plain text, whole: a name may hold an ampersand, a sentence may be long. */
  adw_toast_overlay_add_toast (self->toast_overlay,
                               striae_toast_new (GTK_WIDGET (self->toast_overlay), title));
}

/* The window's own actions, none of which may act while it is locked (the shortcuts stay
 * bound to the window when its content is away). */
static const char * const window_actions[] = {
  "win.new-patient", "win.search", "win.new-consultation", "win.back", "win.show-sheets",
  "win.show-archived", "win.show-day", "win.show-recalls", "win.show-photos",
  "win.sign-consent", "win.find-batch",
};

/* Unlocked, the actions follow what the account signed in may do (striae_store_may()): an
 * assistant adds patients but starts no consultation. */
static void
set_actions_enabled (StriaeWindow *self,
                     gboolean      enabled)
{
  for (guint i = 0; i < G_N_ELEMENTS (window_actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), window_actions[i], enabled);
  if (enabled && self->store != NULL)
    {
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.new-patient",
                                     striae_app_offers (self->store, STRIAE_RIGHT_PATIENTS));
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.new-consultation",
                                     striae_app_offers (self->store,
                                                        STRIAE_RIGHT_CONSULTATIONS));
      /* The patient signs on the practitioner's screen. */
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sign-consent",
                                     striae_app_offers (self->store,
                                                        STRIAE_RIGHT_CONSULTATIONS));
    }
}

/* Hides every patient detail: the open draft is saved, the search forgotten, the list's model
 * unbound, and the whole content (list, patient page, wizard, toasts) leaves the widget tree
 * for @page (the lock page, the setup page), so that nothing of it is drawn or read out over
 * AT-SPI. It stays in memory only, to come back as it was. */
static void
hide_content (StriaeWindow *self,
              GtkWidget    *page)
{
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->content_stack), "wizard") == 0 &&
      !striae_wizard_save_now (self->wizard, &error))
    /* The draft stays in the wizard, which keeps trying (or keeps it on this computer). */
    g_message ("The draft could not be saved before the lock: %s", error->message);

  g_set_weak_pointer (&self->focus_before_lock, gtk_window_get_focus (GTK_WINDOW (self)));
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_list_view_set_model (self->list_view, NULL);
  self->locked_content =
    g_object_ref (adw_application_window_get_content (ADW_APPLICATION_WINDOW (self)));
  self->locked_menus = g_ptr_array_new_with_free_func (g_object_unref);
  take_down_menus (self->locked_content, self->locked_menus);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (self), page);
  set_actions_enabled (self, FALSE);
}

void
striae_window_lock (StriaeWindow *self)
{
  g_return_if_fail (STRIAE_IS_WINDOW (self));

  if (self->locked_content != NULL)
    return;

  if (self->lock_page_shown || self->lock_page == NULL)
    new_lock_page (self);
  self->lock_page_shown = TRUE;
  striae_lock_page_reset (self->lock_page);
  hide_content (self, GTK_WIDGET (self->lock_page));
}

static void show_content (StriaeWindow *self,
                          gboolean      same_account);

/* Brings the content back after the password was checked. The account that locked the
 * window finds its patient and draft where they were; another account starts from the list,
 * the previous draft saved and left to its owner. A window on its setup page stays there:
 * only striae_window_end_setup() leaves it. */
void
striae_window_unlock (StriaeWindow *self,
                      gboolean      same_account)
{
  g_return_if_fail (STRIAE_IS_WINDOW (self));

  if (self->locked_content == NULL || self->setup_page != NULL)
    return;

  show_content (self, same_account);
}

/* Shows @page, a StriaeSetupPage, instead of the content, as the lock page is shown: records
 * without any account yet show no patient until their administrator exists. */
void
striae_window_show_setup (StriaeWindow *self,
                          GtkWidget    *page)
{
  g_return_if_fail (STRIAE_IS_WINDOW (self));
  g_return_if_fail (GTK_IS_WIDGET (page));
  g_return_if_fail (self->setup_page == NULL && self->locked_content == NULL);

  self->setup_page = g_object_ref_sink (page);
  hide_content (self, page);
}

/* The administrator exists and is signed in: the register comes. */
void
striae_window_end_setup (StriaeWindow *self)
{
  g_return_if_fail (STRIAE_IS_WINDOW (self));

  if (self->setup_page == NULL)
    return;

  g_clear_object (&self->setup_page);
  show_content (self, TRUE);
}

/* The setup page shown, or NULL. */
GtkWidget *
striae_window_get_setup_page (StriaeWindow *self)
{
  g_return_val_if_fail (STRIAE_IS_WINDOW (self), NULL);
  return self->setup_page;
}

static void
show_content (StriaeWindow *self,
              gboolean      same_account)
{
  gtk_window_set_default_widget (GTK_WINDOW (self), NULL);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (self), self->locked_content);
  g_clear_object (&self->locked_content);
  put_back_menus (self->locked_menus);
  g_clear_pointer (&self->locked_menus, g_ptr_array_unref);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
  set_actions_enabled (self, TRUE);
  striae_window_update_state (self);

  if (!same_account)
    {
      if (g_strcmp0 (gtk_stack_get_visible_child_name (self->content_stack), "wizard") == 0)
        {
          striae_wizard_save_now (self->wizard, NULL);
          wizard_closed_cb (self);
        }
      close_page (self);
      g_clear_weak_pointer (&self->focus_before_lock);
    }
  else
    {
      select_shown_patient (self);
    }

  if (self->focus_before_lock != NULL &&
      gtk_widget_is_ancestor (self->focus_before_lock, GTK_WIDGET (self)))
    gtk_widget_grab_focus (self->focus_before_lock);
  g_clear_weak_pointer (&self->focus_before_lock);
}

gboolean
striae_window_get_locked (StriaeWindow *self)
{
  g_return_val_if_fail (STRIAE_IS_WINDOW (self), FALSE);
  return self->locked_content != NULL;
}

/* The page the locked window shows (a new one at each lock): whoever checks passwords
 * listens to the window's "unlock-requested" and answers on this page. */
StriaeLockPage *
striae_window_get_lock_page (StriaeWindow *self)
{
  g_return_val_if_fail (STRIAE_IS_WINDOW (self), NULL);
  if (self->lock_page == NULL)
    new_lock_page (self);
  return self->lock_page;
}
