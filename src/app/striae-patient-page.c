/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "striae-accessible.h"
#include "striae-app-private.h"
#include "striae-consultation-row.h"
#include "striae-course-group.h"
#include "striae-patient-editor.h"
#include "striae-patient-page.h"
#include "striae-patient-row.h"
#include "striae-sheet-language.h"
#include "striae-wizard.h"

struct _StriaePatientPage
{
  AdwBin               parent_instance;

  GtkLabel            *name_label;
  GtkLabel            *summary_label;
  AdwActionRow        *birth_row;
  AdwActionRow        *sex_row;
  AdwActionRow        *phone_row;
  AdwActionRow        *email_row;
  AdwActionRow        *language_row;
  AdwActionRow        *notes_row;
  AdwPreferencesGroup *resume_group;
  AdwActionRow        *resume_row;
  GtkWidget           *resume_button;
  GtkWidget           *new_consultation_button;
  AdwPreferencesGroup *consultations_group;
  GtkWidget           *consultations_status;
  GtkWidget           *archive_button;
  GtkWidget           *archived_label;
  GtkWidget           *photos_group;
  AdwComboRow         *photo_consent_row;
  GPtrArray           *consultation_rows;
  /* The course of each signed consultation that treats, under the consultations. */
  GPtrArray           *course_groups;
  StriaeWizardRecords *records;

  StriaeStore         *store;
  StriaePatient       *patient;
  gboolean             archived;

  /* The draft offered for resuming, and the page it was left on (%NULL when unknown). */
  StriaeConsultation  *resume_consultation;
  char                *resume_page;

  /* The draft the open "Discard" dialog is about; 0 when none is open. */
  gint64               discard_id;

  /* The patient the page could not read (striae_patient_page_show_unreadable()); 0: none. */
  gint64               unread_id;
};

G_DEFINE_FINAL_TYPE (StriaePatientPage, striae_patient_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STORE,
  PROP_PATIENT,
  N_PROPS
};

enum {
  CHANGED,
  DELETED,
  ARCHIVED,
  OPEN_CONSULTATION,
  OPEN_SESSION,
  N_SIGNALS
};

static GParamSpec *properties [N_PROPS];
static guint signals [N_SIGNALS];

static void show_error (StriaePatientPage *self,
                        const char        *heading,
                        const GError      *error);

static const char *
sex_label (StriaeSex sex)
{
  switch (sex)
    {
    case STRIAE_SEX_FEMALE:
      return _("Female");
    case STRIAE_SEX_MALE:
      return _("Male");
    case STRIAE_SEX_OTHER:
      return C_("sex", "Other");
    case STRIAE_SEX_UNSPECIFIED:
    default:
      return _("Not specified");
    }
}

static void
set_optional_row (AdwActionRow *row,
                  const char   *value)
{
  gboolean has_value = value != NULL && value[0] != '\0';

  gtk_widget_set_visible (GTK_WIDGET (row), has_value);
  adw_action_row_set_subtitle (row, has_value ? value : "");
}

/* Whether the account at work may do @right (striae_store_may()): what it may not is not
 * offered, rather than refused after a click. Without records, nothing is. */
static gboolean
may (StriaePatientPage *self,
     StriaeRight        right)
{
  return self->store != NULL && striae_app_offers (self->store, right);
}

static void photo_consent_selected_cb (StriaePatientPage *self);

/* The photo consent as recorded, and when (issue 18); what the row shows is what the
 * records hold, also after a refusal. */
static void
update_photo_consent (StriaePatientPage *self)
{
  g_autoptr(GDateTime) recorded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *name = NULL;
  StriaePhotoConsentScope scope = STRIAE_PHOTO_CONSENT_NONE;
  gboolean has_patient = self->patient != NULL && self->store != NULL;

  gtk_widget_set_visible (self->photos_group, has_patient);
  if (!has_patient)
    return;

  scope = striae_store_get_photo_consent (self->store, striae_patient_get_id (self->patient),
                                          &recorded, &error);
  if (error != NULL)
    /* TRANSLATORS: %s says why the records could not tell */
    subtitle = g_strdup_printf (_("The photo consent could not be read: %s"), error->message);
  else if (recorded != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (recorded);
      g_autofree char *when = g_date_time_format (local, "%Y-%m-%d %H:%M");

      /* TRANSLATORS: when the photo consent was recorded; %s is a date and time */
      subtitle = g_strdup_printf (_("Photo consent recorded on %s"), when);
    }
  else
    subtitle = g_strdup (_("No photo consent recorded: photos cannot be added."));

  g_signal_handlers_block_by_func (self->photo_consent_row, photo_consent_selected_cb, self);
  adw_combo_row_set_selected (self->photo_consent_row, scope);
  g_signal_handlers_unblock_by_func (self->photo_consent_row, photo_consent_selected_cb,
                                     self);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->photos_group), subtitle);
  /* The name holds what the row shows, the scope too (label in name, WCAG 2.5.3), and when
   * it was recorded. */
  name = g_strjoin (" — ", adw_preferences_row_get_title (
                                ADW_PREFERENCES_ROW (self->photo_consent_row)),
                    adw_action_row_get_subtitle (ADW_ACTION_ROW (self->photo_consent_row)),
                    subtitle, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->photo_consent_row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  gtk_widget_set_sensitive (GTK_WIDGET (self->photo_consent_row),
                            error == NULL && may (self, STRIAE_RIGHT_PATIENTS));
}

/* A change of the photo consent is recorded at once, with its time, and audited. */
static void
photo_consent_selected_cb (StriaePatientPage *self)
{
  g_autoptr(GError) error = NULL;
  guint selected = adw_combo_row_get_selected (self->photo_consent_row);

  if (self->patient == NULL || self->store == NULL || selected > STRIAE_PHOTO_CONSENT_TEACHING)
    return;
  if (!striae_store_set_photo_consent (self->store, striae_patient_get_id (self->patient),
                                       (StriaePhotoConsentScope) selected, &error))
    show_error (self, _("The Photo Consent Was Not Recorded"), error);
  update_photo_consent (self);
}

static void
striae_patient_page_update (StriaePatientPage *self)
{
  g_autofree char *name = NULL;
  g_autofree char *birth = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *language = NULL;
  gboolean has_patient = self->patient != NULL;
  GDate today;
  int age;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "patient.edit",
                                 has_patient && may (self, STRIAE_RIGHT_PATIENTS));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "patient.erase",
                                 has_patient && may (self, STRIAE_RIGHT_ERASE));

  /* Archiving is the everyday way out of the register, and back. */
  self->archived = FALSE;
  if (has_patient && self->store != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!striae_store_get_patient_archived (self->store,
                                              striae_patient_get_id (self->patient),
                                              &self->archived, &error))
        g_message ("Could not tell whether the patient is archived: %s", error->message);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "patient.archive",
                                 has_patient && may (self, STRIAE_RIGHT_ARCHIVE) &&
                                 !self->archived);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "patient.unarchive",
                                 has_patient && may (self, STRIAE_RIGHT_ARCHIVE) &&
                                 self->archived);
  gtk_widget_set_visible (self->archived_label, has_patient && self->archived);
  if (!has_patient)
    update_photo_consent (self);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->archive_button),
                                  self->archived ? "patient.unarchive" : "patient.archive");
  gtk_button_set_label (GTK_BUTTON (self->archive_button),
                        self->archived ? _("_Unarchive Patient") : _("_Archive Patient"));
  /* A new label needs its accessible name again (GTK 4.8, see striae-accessible.c). */
  striae_accessible_name_buttons (self->archive_button);
  gtk_widget_set_tooltip_text (self->archive_button,
                               self->archived
                               ? _("Bring the patient back into the register")
                               : _("Hide the patient from the register; their record is kept "
                                   "and can be found under Archived"));

  if (!has_patient)
    {
      gtk_label_set_label (self->name_label, "");
      gtk_label_set_label (self->summary_label, "");
      return;
    }

  name = striae_patient_dup_full_name (self->patient);
  birth = striae_patient_dup_birth_summary (self->patient);
  gtk_label_set_label (self->name_label, name);

  striae_get_today (&today);
  age = striae_patient_get_age (self->patient, &today);
  if (age >= 0 && striae_patient_get_sex (self->patient) != STRIAE_SEX_UNSPECIFIED)
    /* TRANSLATORS: a summary under the patient's name: age and sex, e.g. "41 years · Female" */
    summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d year · %s", "%d years · %s", age),
                               age, sex_label (striae_patient_get_sex (self->patient)));
  else if (age >= 0)
    summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d year", "%d years", age), age);
  else
    summary = g_strdup ("");
  gtk_label_set_label (self->summary_label, summary);
  gtk_widget_set_visible (GTK_WIDGET (self->summary_label), summary[0] != '\0');

  adw_action_row_set_subtitle (self->birth_row, birth);
  adw_action_row_set_subtitle (self->sex_row, sex_label (striae_patient_get_sex (self->patient)));
  set_optional_row (self->phone_row, striae_patient_get_phone (self->patient));
  set_optional_row (self->email_row, striae_patient_get_email (self->patient));
  language = striae_sheet_language_dup_name (striae_patient_get_language (self->patient));
  set_optional_row (self->language_row, language);
  set_optional_row (self->notes_row, striae_patient_get_notes (self->patient));
  update_photo_consent (self);
}

static const char *
status_label (StriaeConsultation *consultation)
{
  switch (striae_consultation_get_status (consultation))
    {
    case STRIAE_CONSULTATION_STATUS_SIGNED:
      return _("Signed");
    case STRIAE_CONSULTATION_STATUS_COMPLETE:
      return _("Complete");
    case STRIAE_CONSULTATION_STATUS_DRAFT:
    default:
      return _("Draft");
    }
}

static char *
dup_status_label (StriaeConsultation *consultation)
{
  g_autofree char *see_again = NULL;

  if (striae_consultation_get_status (consultation) == STRIAE_CONSULTATION_STATUS_SIGNED &&
      striae_consultation_is_not_treated (consultation))
    {
      see_again = striae_format_optional_iso_date (
                    striae_consultation_get_see_again (consultation));
      if (see_again[0] == '\0')
        return g_strdup (_("Not treated"));
      /* TRANSLATORS: status of a consultation; %s is a date */
      return g_strdup_printf (_("Not treated · see again on %s"), see_again);
    }

  return g_strdup (status_label (consultation));
}

static void
consultation_activated_cb (StriaeConsultationRow *row,
                           StriaePatientPage     *self)
{
  StriaeConsultation *consultation = striae_consultation_row_get_consultation (row);

  /* No page: the wizard resumes a draft on the page it was left on. */
  g_signal_emit (self, signals [OPEN_CONSULTATION], 0, consultation, NULL);
}

/* The secondary actions of a consultation's row in one menu, as a course's sessions have
 * theirs, so that a narrow window keeps its room for the date and the status: Sheets…
 * (win.show-sheets), Consent… (win.sign-consent, issue 18) and Revisions…
 * (patient.show-revisions), each for whichever applies. Opening the consultation stays the
 * row's own action. NULL when none applies. */
static GtkWidget *
actions_button_new (StriaeConsultation *consultation)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autofree char *date = NULL;
  g_autofree char *name = NULL;
  gint64 id = striae_consultation_get_id (consultation);
  gboolean treated = !striae_consultation_is_not_treated (consultation);
  gboolean is_signed = striae_consultation_get_status (consultation) ==
                       STRIAE_CONSULTATION_STATUS_SIGNED;
  GtkWidget *button;
  struct { const char *label; const char *action; gboolean applies; } items[] = {
    /* A patient who was not treated takes no sheet home. */
    { N_("_Sheets…"), "win.show-sheets", treated },
    /* The consent is signed on the screen once the plan is decided. */
    { N_("C_onsent…"), "win.sign-consent", treated && is_signed },
    { N_("_Revisions…"), "patient.show-revisions",
      striae_consultation_get_revision (consultation) > 1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    {
      g_autoptr(GMenuItem) item = NULL;

      if (!items[i].applies)
        continue;
      item = g_menu_item_new (_(items[i].label), NULL);
      g_menu_item_set_action_and_target_value (item, items[i].action, g_variant_new_int64 (id));
      g_menu_append_item (menu, item);
    }
  if (g_menu_model_get_n_items (G_MENU_MODEL (menu)) == 0)
    return NULL;

  button = gtk_menu_button_new ();
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (button), G_MENU_MODEL (menu));
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "view-more-symbolic");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  date = striae_format_optional_iso_date (striae_consultation_get_date (consultation));
  gtk_widget_set_tooltip_text (button, _("Sheets, Consent and Revisions"));
  /* TRANSLATORS: the accessible name of a consultation's menu; %s is its date */
  name = g_strdup_printf (_("More for the consultation of %s"), date);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  /* TRANSLATORS: what a consultation's menu holds */
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  _("Preview, print or export its sheets, sign its consent "
                                    "on the screen, or list its revisions"),
                                  -1);
  return button;
}

static void
revision_activated_cb (StriaeConsultationRow *row,
                       StriaePatientPage     *self)
{
  StriaeConsultation *revision = striae_consultation_row_get_consultation (row);
  GtkWidget *dialog = gtk_widget_get_ancestor (GTK_WIDGET (row), ADW_TYPE_MESSAGE_DIALOG);
  g_autoptr(StriaeConsultation) keep = g_object_ref (revision);

  /* A signed revision opens read-only, as the wizard shows every signed record. */
  if (dialog != NULL)
    gtk_window_close (GTK_WINDOW (dialog));
  g_signal_emit (self, signals [OPEN_CONSULTATION], 0, keep, NULL);
}

/* One row per revision, oldest first: a signed one says who signed it and when, an amendment
 * why it was made. */
static GtkWidget *
revision_row_new (StriaePatientPage  *self,
                  StriaeConsultation *revision)
{
  GtkWidget *row = striae_consultation_row_new (revision);
  g_autoptr(GDateTime) signed_at = NULL;
  g_autofree char *by = NULL;
  g_autofree char *title = NULL;
  g_autoptr(GString) subtitle = g_string_new (NULL);
  const char *reason = striae_consultation_get_amendment_reason (revision);
  guint number = striae_consultation_get_revision (revision);
  gboolean is_signed = striae_consultation_get_status (revision) ==
                       STRIAE_CONSULTATION_STATUS_SIGNED;

  if (is_signed &&
      striae_store_get_signature (striae_wizard_records_get_store (self->records),
                                  striae_consultation_get_id (revision), number, &by,
                                  &signed_at, NULL) &&
      signed_at != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (signed_at);
      g_autofree char *when = g_date_time_format (local, "%Y-%m-%d %H:%M");

      /* TRANSLATORS: a signed revision; %u is its number, the first %s who signed it, the
       * second when */
      title = g_strdup_printf (_("Revision %u · signed by %s on %s"), number, by, when);
    }
  else
    /* TRANSLATORS: a revision not signed yet; %u is its number */
    title = g_strdup_printf (_("Revision %u · not signed yet"), number);

  if (reason[0] != '\0')
    /* TRANSLATORS: %s is the reason given for an amendment */
    g_string_append_printf (subtitle, _("Amended because: %s"), reason);
  if (is_signed && striae_consultation_is_not_treated (revision))
    {
      g_autofree char *status = dup_status_label (revision);

      if (subtitle->len > 0)
        g_string_append (subtitle, "\n");
      g_string_append (subtitle, status);
    }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  if (is_signed)
    {
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_signal_connect (row, "activated", G_CALLBACK (revision_activated_cb), self);
    }
  return row;
}

/* More than this many revisions scroll inside their dialog. */
#define MAX_REVISIONS_UNSCROLLED 4

static void
show_revisions_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  StriaePatientPage *self = STRIAE_PATIENT_PAGE (widget);
  g_autoptr(GPtrArray) revisions = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *dialog;
  GtkWidget *list;
  GtkWidget *scrolled;

  if (self->records == NULL)
    return;

  revisions = striae_store_list_revisions (striae_wizard_records_get_store (self->records),
                                           g_variant_get_int64 (parameter), &error);
  if (revisions == NULL)
    {
      show_error (self, _("The Revisions Could Not Be Read"), error);
      return;
    }

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                   _("Revisions"),
                                   _("Signed revisions are kept as they were signed; open one "
                                     "to read it."));
  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  for (guint i = 0; i < revisions->len; i++)
    gtk_list_box_append (GTK_LIST_BOX (list),
                         revision_row_new (self, g_ptr_array_index (revisions, i)));
  /* A scrolled window measures its wrapped rows for a width other than the dialog's and cut
   * long reasons off; only a long list of revisions needs one. */
  if (revisions->len > MAX_REVISIONS_UNSCROLLED)
    {
      scrolled = gtk_scrolled_window_new ();
      gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                      GTK_POLICY_AUTOMATIC);
      gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 400);
      gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), list);
      list = scrolled;
    }
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), list);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  gtk_window_present (GTK_WINDOW (dialog));
}

/* At the top of the page, the newest draft (if any) offers to carry on where it was left:
 * the practitioner called away mid-consultation finds the way back in one click. */
static void
update_resume_offer (StriaePatientPage  *self,
                     StriaeConsultation *draft)
{
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *name = NULL;
  g_autofree char *page = NULL;
  g_autofree char *date = NULL;
  int position;

  g_clear_object (&self->resume_consultation);
  g_clear_pointer (&self->resume_page, g_free);
  gtk_widget_set_visible (GTK_WIDGET (self->resume_group), draft != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "patient.resume",
                                 draft != NULL && may (self, STRIAE_RIGHT_CONSULTATIONS));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "patient.discard-draft",
                                 draft != NULL && may (self, STRIAE_RIGHT_DISCARD));
  /* While a draft waits, carrying on is the main thing to do here, not starting anew. */
  if (draft != NULL)
    gtk_widget_remove_css_class (self->new_consultation_button, "suggested-action");
  else
    gtk_widget_add_css_class (self->new_consultation_button, "suggested-action");
  if (draft == NULL)
    return;

  self->resume_consultation = g_object_ref (draft);
  page = striae_wizard_records_dup_resume_page (self->records,
                                                striae_consultation_get_id (draft));
  position = striae_wizard_page_get_position (page);
  if (position >= 0)
    self->resume_page = g_steal_pointer (&page);

  date = striae_format_optional_iso_date (striae_consultation_get_date (draft));
  if (striae_consultation_get_revision (draft) > 1 && date[0] != '\0')
    {
      /* TRANSLATORS: offer on the patient page; %s is the date of the consultation */
      title = g_strdup_printf (_("Amendment in progress of the consultation of %s"), date);
      /* TRANSLATORS: accessible name of the Continue button; %s is the consultation's date */
      name = g_strdup_printf (_("Continue the amendment of the consultation of %s"), date);
    }
  else if (date[0] != '\0')
    {
      /* TRANSLATORS: offer on the patient page; %s is the date of the consultation */
      title = g_strdup_printf (_("Unfinished consultation of %s"), date);
      /* TRANSLATORS: accessible name of the Continue button; %s is the consultation's date */
      name = g_strdup_printf (_("Continue the unfinished consultation of %s"), date);
    }
  else
    {
      title = g_strdup (_("Unfinished consultation"));
      name = g_strdup (_("Continue the unfinished consultation"));
    }
  if (self->resume_page != NULL)
    /* TRANSLATORS: where an unfinished consultation was left, e.g. "Left on step 5 of 6:
     * Plan"; the last %s is the title of the wizard page */
    subtitle = g_strdup_printf (_("Left on step %d of %d: %s"), position + 1,
                                STRIAE_WIZARD_N_PAGES,
                                striae_wizard_page_get_title (self->resume_page));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->resume_row), title);
  adw_action_row_set_subtitle (self->resume_row, subtitle != NULL ? subtitle : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->resume_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  subtitle != NULL ? subtitle : "",
                                  -1);
}

static void
resume_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  StriaePatientPage *self = STRIAE_PATIENT_PAGE (widget);
  g_autoptr(StriaeConsultation) consultation = NULL;
  g_autofree char *page = NULL;

  if (self->resume_consultation == NULL)
    return;

  /* The handler may reload this page: keep what it is given alive. */
  consultation = g_object_ref (self->resume_consultation);
  page = g_strdup (self->resume_page);
  g_signal_emit (self, signals [OPEN_CONSULTATION], 0, consultation, page);
}

/* The page's own child: the record, or why it cannot be shown. (Bound as a template child,
 * AdwBin would unparent it a second time on dispose.) */
static GtkStack *
page_stack (StriaePatientPage *self)
{
  return GTK_STACK (adw_bin_get_child (ADW_BIN (self)));
}

/* When the records do not answer (the clinic server is gone), the page shows why and what
 * to do (the store's sentence) instead of a record that may be out of date; @error NULL
 * shows the record again. */
static void
show_problem (StriaePatientPage *self,
              const GError      *error)
{
  gboolean failed = error != NULL;

  if (failed)
    {
      g_autofree char *escaped = g_markup_escape_text (error->message, -1);

      adw_status_page_set_description (
        ADW_STATUS_PAGE (gtk_stack_get_child_by_name (page_stack (self), "problem")), escaped);
    }
  gtk_stack_set_visible_child_name (page_stack (self), failed ? "problem" : "record");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "patient.reload", failed);
}

/* Reads the patient and their consultations again (after the records did not answer). */
static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  StriaePatientPage *self = STRIAE_PATIENT_PAGE (widget);
  g_autoptr(StriaePatient) fresh = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = self->patient != NULL ? striae_patient_get_id (self->patient) : self->unread_id;

  if (id == 0 || self->store == NULL)
    return;

  fresh = striae_store_get_patient (self->store, id, &error);
  if (fresh == NULL)
    {
      show_problem (self, error);
      return;
    }
  self->unread_id = 0;
  if (g_set_object (&self->patient, fresh))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PATIENT]);
  striae_patient_page_update (self);
  striae_patient_page_reload_consultations (self);
}

/* The records changed, or answer again after a pause: a page showing why it could not read
 * them tries again. */
static void
records_changed_cb (StriaePatientPage *self)
{
  if (g_strcmp0 (gtk_stack_get_visible_child_name (page_stack (self)), "problem") == 0)
    gtk_widget_activate_action (GTK_WIDGET (self), "patient.reload", NULL);
}

static void
clear_courses (StriaePatientPage *self)
{
  for (guint i = 0; i < self->course_groups->len; i++)
    gtk_box_remove (GTK_BOX (gtk_widget_get_parent (GTK_WIDGET (self->consultations_group))),
                    g_ptr_array_index (self->course_groups, i));
  g_ptr_array_set_size (self->course_groups, 0);
}

/* Under the consultations, the course of each signed one that treats, newest first. */
static void
add_courses (StriaePatientPage *self,
             GPtrArray         *consultations)
{
  GtkWidget *box = gtk_widget_get_parent (GTK_WIDGET (self->consultations_group));
  GtkWidget *sibling = GTK_WIDGET (self->consultations_group);
  StriaeStore *store;

  if (consultations == NULL || self->records == NULL)
    return;

  store = striae_wizard_records_get_store (self->records);
  for (guint i = 0; i < consultations->len; i++)
    {
      StriaeConsultation *consultation = g_ptr_array_index (consultations, i);
      g_autoptr(GError) error = NULL;
      GtkWidget *group;

      if (striae_consultation_get_status (consultation) != STRIAE_CONSULTATION_STATUS_SIGNED ||
          striae_consultation_is_not_treated (consultation))
        continue;
      group = striae_course_group_new (store, consultation, &error);
      if (group == NULL)
        {
          g_message ("Could not list the sessions: %s", error->message);
          continue;
        }
      gtk_box_insert_child_after (GTK_BOX (box), group, sibling);
      g_ptr_array_add (self->course_groups, group);
      sibling = group;
    }
}

static StriaeConsultation *
find_course (StriaePatientPage *self,
             gint64             consultation_id)
{
  for (guint i = 0; i < self->course_groups->len; i++)
    {
      StriaeConsultation *consultation =
        striae_course_group_get_consultation (g_ptr_array_index (self->course_groups, i));

      if (striae_consultation_get_id (consultation) == consultation_id)
        return consultation;
    }

  return NULL;
}

static void
record_session_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  StriaePatientPage *self = STRIAE_PATIENT_PAGE (widget);
  StriaeConsultation *consultation = find_course (self, g_variant_get_int64 (parameter));

  if (consultation != NULL)
    g_signal_emit (self, signals [OPEN_SESSION], 0, consultation, (gint64) 0);
}

static void
open_session_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  StriaePatientPage *self = STRIAE_PATIENT_PAGE (widget);
  StriaeConsultation *consultation;
  gint64 consultation_id;
  gint64 session_id;

  g_variant_get (parameter, "(xx)", &consultation_id, &session_id);
  consultation = find_course (self, consultation_id);
  if (consultation != NULL && session_id > 0)
    g_signal_emit (self, signals [OPEN_SESSION], 0, consultation, session_id);
}

/* The consultations of the patient, newest first; a draft offers to continue where it was
 * left. */
void
striae_patient_page_reload_consultations (StriaePatientPage *self)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  StriaeConsultation *newest_draft = NULL;

  g_return_if_fail (STRIAE_IS_PATIENT_PAGE (self));

  for (guint i = 0; i < self->consultation_rows->len; i++)
    adw_preferences_group_remove (self->consultations_group,
                                  g_ptr_array_index (self->consultation_rows, i));
  g_ptr_array_set_size (self->consultation_rows, 0);
  clear_courses (self);
  update_resume_offer (self, NULL);
  show_problem (self, NULL);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "patient.new-consultation",
                                 self->patient != NULL && self->records != NULL &&
                                 may (self, STRIAE_RIGHT_CONSULTATIONS));
  if (self->patient == NULL || self->records == NULL)
    return;

  list = striae_wizard_records_list (self->records, striae_patient_get_id (self->patient),
                                     &error);
  show_problem (self, error);
  if (list == NULL)
    g_message ("Could not list the consultations: %s", error->message);
  for (guint i = 0; list != NULL && i < list->len; i++)
    {
      StriaeConsultation *consultation = g_ptr_array_index (list, i);
      GtkWidget *row = striae_consultation_row_new (consultation);
      gboolean draft = striae_consultation_get_status (consultation) !=
                       STRIAE_CONSULTATION_STATUS_SIGNED;

      if (draft && newest_draft == NULL)
        newest_draft = consultation;
      const char *practitioner = striae_consultation_get_practitioner (consultation);
      g_autofree char *status = dup_status_label (consultation);
      g_autofree char *subtitle = NULL;
      g_autofree char *date = NULL;
      guint revision = striae_consultation_get_revision (consultation);
      GtkWidget *actions;

      /* An amendment in progress: the signed revision it corrects is still the record. */
      if (draft && revision > 1)
        {
          g_autoptr(GDateTime) signed_at = NULL;
          g_autofree char *by = NULL;
          g_autofree char *when = NULL;

          if (striae_store_get_signature (striae_wizard_records_get_store (self->records),
                                          striae_consultation_get_id (consultation),
                                          revision - 1, &by, &signed_at, NULL) &&
              signed_at != NULL)
            {
              g_autoptr(GDateTime) local = g_date_time_to_local (signed_at);

              when = g_date_time_format (local, "%Y-%m-%d");
              g_free (status);
              /* TRANSLATORS: status of a signed consultation being corrected; %s is the date
               * it was signed */
              status = g_strdup_printf (_("Signed %s · amendment in progress"), when);
              practitioner = NULL;
            }
        }

      date = striae_format_optional_iso_date (striae_consultation_get_date (consultation));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), date);
      if (practitioner != NULL && practitioner[0] != '\0')
        subtitle = g_strdup_printf ("%s · %s", status, practitioner);
      else
        subtitle = g_strdup (status);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      actions = actions_button_new (consultation);
      if (actions != NULL)
        adw_action_row_add_suffix (ADW_ACTION_ROW (row), actions);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 gtk_label_new (draft ? _("Continue") : _("Open")));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_signal_connect (row, "activated", G_CALLBACK (consultation_activated_cb), self);
      adw_preferences_group_add (self->consultations_group, row);
      g_ptr_array_add (self->consultation_rows, row);
    }
  gtk_widget_set_visible (self->consultations_status, self->consultation_rows->len == 0);
  update_resume_offer (self, newest_draft);
  add_courses (self, list);
}

/* "New Consultation" while a draft waits: carry on with it, or start anew on purpose. */
static void
new_consultation_response_cb (StriaePatientPage *self,
                              const char        *response,
                              AdwMessageDialog  *dialog)
{
  if (g_strcmp0 (response, "continue") == 0)
    gtk_widget_activate_action (GTK_WIDGET (self), "patient.resume", NULL);
  else if (g_strcmp0 (response, "new") == 0)
    g_signal_emit (self, signals [OPEN_CONSULTATION], 0, NULL, NULL);
}

static void
new_consultation_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  StriaePatientPage *self = STRIAE_PATIENT_PAGE (widget);
  g_autofree char *date = NULL;
  GtkWidget *dialog;

  if (self->resume_consultation == NULL)
    {
      g_signal_emit (widget, signals [OPEN_CONSULTATION], 0, NULL, NULL);
      return;
    }

  date = striae_format_optional_iso_date (
           striae_consultation_get_date (self->resume_consultation));
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                   _("Continue the Unfinished Consultation?"), NULL);
  if (date[0] != '\0')
    /* TRANSLATORS: %s is the date of the consultation */
    adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                    _("This patient has an unfinished consultation of %s. "
                                      "Carry on with it, or start a new one beside it."),
                                    date);
  else
    adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog),
                                 _("This patient has an unfinished consultation. Carry on "
                                   "with it, or start a new one beside it."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "new", _("_Start New"),
                                    "continue", _("C_ontinue Draft"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "continue",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "continue");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (new_consultation_response_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Discarding the unfinished consultation offered at the top of the page: its answers are
 * thrown away (an amendment's draft only; the signed revision stays). */
static void
discard_draft_response_cb (StriaePatientPage *self,
                           const char        *response,
                           AdwMessageDialog  *dialog)
{
  gint64 id = self->discard_id;
  g_autoptr(GError) error = NULL;
  StriaeStore *store;

  self->discard_id = 0;
  if (g_strcmp0 (response, "discard") != 0 || self->records == NULL || id <= 0)
    return;

  store = striae_wizard_records_get_store (self->records);
  if (!striae_store_discard_draft (store, id, NULL, &error))
    {
      show_error (self, _("The Draft Could Not Be Discarded"), error);
      return;
    }

  striae_patient_page_reload_consultations (self);
}

static void
discard_draft_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  StriaePatientPage *self = STRIAE_PATIENT_PAGE (widget);
  GtkWidget *dialog;
  const char *body;

  if (self->resume_consultation == NULL)
    return;

  if (striae_consultation_get_revision (self->resume_consultation) > 1)
    body = _("The changes of this amendment are thrown away; the signed revision stays as it "
             "was. This cannot be undone.");
  else
    body = _("Its answers are thrown away. This cannot be undone.");
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                   _("Discard the Unfinished Consultation?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  /* The dialog is modal: what it discards is the draft offered when it opened, even if the
   * list is reloaded meanwhile. */
  self->discard_id = striae_consultation_get_id (self->resume_consultation);
  g_signal_connect_object (dialog, "response", G_CALLBACK (discard_draft_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
editor_saved_cb (StriaePatientPage *self,
                 StriaePatient     *patient)
{
  g_autoptr(StriaePatient) copy = striae_patient_copy (patient);

  striae_patient_page_set_patient (self, copy);
  g_signal_emit (self, signals [CHANGED], 0, copy);
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  StriaePatientPage *self = STRIAE_PATIENT_PAGE (widget);
  StriaePatientEditor *editor;

  g_assert (self->patient != NULL && self->store != NULL);

  editor = striae_patient_editor_new (self->store, self->patient);
  gtk_window_set_transient_for (GTK_WINDOW (editor),
                                GTK_WINDOW (gtk_widget_get_root (widget)));
  g_signal_connect_object (editor, "saved", G_CALLBACK (editor_saved_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
show_error (StriaePatientPage *self,
            const char        *heading,
            const GError      *error)
{
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                   heading, error->message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
set_archived (StriaePatientPage *self,
              gboolean           archived)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StriaePatient) patient = NULL;

  if (self->patient == NULL || self->store == NULL)
    return;

  patient = g_object_ref (self->patient);
  if (!striae_store_set_patient_archived (self->store, striae_patient_get_id (patient),
                                          archived, NULL, &error))
    {
      show_error (self, archived ? _("The Patient Could Not Be Archived")
                                 : _("The Patient Could Not Be Unarchived"), error);
      return;
    }

  /* The register follows by itself (the store's "patients-changed"); the page says so. */
  striae_patient_page_update (self);
  {
    g_autofree char *name = striae_patient_dup_full_name (patient);

    g_signal_emit (self, signals [ARCHIVED], 0, archived, name);
  }
}

static void
archive_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  set_archived (STRIAE_PATIENT_PAGE (widget), TRUE);
}

static void
unarchive_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  set_archived (STRIAE_PATIENT_PAGE (widget), FALSE);
}

static void
delete_response_cb (StriaePatientPage *self,
                    const char        *response,
                    AdwMessageDialog  *dialog)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StriaePatient) patient = NULL;
  g_autofree char *name = NULL;
  gint64 id;

  if (g_strcmp0 (response, "erase") != 0 || self->patient == NULL || self->store == NULL)
    return;

  patient = g_object_ref (self->patient);
  id = striae_patient_get_id (patient);
  name = striae_patient_dup_full_name (patient);

  if (!striae_store_erase_patient (self->store, id, &error))
    {
      show_error (self, _("The Patient Could Not Be Erased"), error);
      return;
    }

  striae_patient_page_set_patient (self, NULL);
  g_signal_emit (self, signals [DELETED], 0, id, name);
}

/* Erasing cannot be undone, so it is not one click away: the family name must be typed. */
static void
erase_confirmation_changed_cb (GtkEditable *entry,
                               const char  *wanted)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (gtk_widget_get_ancestor (
                                                   GTK_WIDGET (entry), ADW_TYPE_MESSAGE_DIALOG));
  g_autofree char *typed = g_utf8_casefold (gtk_editable_get_text (entry), -1);
  g_autofree char *expected = g_utf8_casefold (wanted, -1);
  g_autofree char *typed_n = g_utf8_normalize (g_strstrip (typed), -1, G_NORMALIZE_ALL);
  g_autofree char *expected_n = g_utf8_normalize (expected, -1, G_NORMALIZE_ALL);

  adw_message_dialog_set_response_enabled (dialog, "erase",
                                           g_strcmp0 (typed_n, expected_n) == 0);
}

static char *
erase_body (StriaePatientPage *self,
            const char        *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *copies = NULL;
  g_autofree char *body = NULL;

  /* TRANSLATORS: %s is the patient's full name */
  body = g_strdup_printf (_("Everything Striae holds about %s — the record, every "
                            "consultation and the search index — will be erased from this "
                            "computer. The audit log keeps a row that names nobody. This cannot "
                            "be undone."), name);
  copies = striae_store_describe_patient_copies (self->store,
                                                 striae_patient_get_id (self->patient), &error);
  if (error != NULL)
    copies = g_strdup (error->message);
  if (copies == NULL)
    return g_steal_pointer (&body);
  return g_strconcat (body, "\n\n", copies, NULL);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  StriaePatientPage *self = STRIAE_PATIENT_PAGE (widget);
  g_autofree char *name = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;
  GtkWidget *entry;

  g_assert (self->patient != NULL && self->store != NULL);

  name = striae_patient_dup_full_name (self->patient);
  body = erase_body (self, name);
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), NULL, body);
  /* TRANSLATORS: %s is the patient's full name */
  adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (dialog), _("Erase %s?"), name);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "erase", _("_Erase"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "erase",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "erase", FALSE);

  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Type the family name to confirm"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Family name, typed to confirm the erasure"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  /* The entry lives in the dialog: it is given the name to compare with for its life. */
  g_signal_connect_data (entry, "changed", G_CALLBACK (erase_confirmation_changed_cb),
                         g_strdup (striae_patient_get_family_name (self->patient)),
                         (GClosureNotify) (void (*) (void)) g_free, 0);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
striae_patient_page_dispose (GObject *object)
{
  StriaePatientPage *self = (StriaePatientPage *)object;

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), STRIAE_TYPE_PATIENT_PAGE);
  g_clear_object (&self->store);
  g_clear_object (&self->patient);
  g_clear_object (&self->records);
  g_clear_object (&self->resume_consultation);
  g_clear_pointer (&self->resume_page, g_free);
  g_clear_pointer (&self->consultation_rows, g_ptr_array_unref);
  g_clear_pointer (&self->course_groups, g_ptr_array_unref);

  G_OBJECT_CLASS (striae_patient_page_parent_class)->dispose (object);
}

static void
striae_patient_page_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  StriaePatientPage *self = STRIAE_PATIENT_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_PATIENT:
      g_value_set_object (value, self->patient);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_patient_page_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  StriaePatientPage *self = STRIAE_PATIENT_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      striae_patient_page_set_store (self, g_value_get_object (value));
      break;
    case PROP_PATIENT:
      striae_patient_page_set_patient (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_patient_page_class_init (StriaePatientPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = striae_patient_page_dispose;
  object_class->get_property = striae_patient_page_get_property;
  object_class->set_property = striae_patient_page_set_property;

  properties [PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, STRIAE_TYPE_STORE, flags);
  properties [PROP_PATIENT] =
    g_param_spec_object ("patient", NULL, NULL, STRIAE_TYPE_PATIENT, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * StriaePatientPage::changed:
   * @patient: the patient as saved
   *
   * Emitted after the patient's details were edited and saved.
   */
  signals [CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, STRIAE_TYPE_PATIENT);

  /**
   * StriaePatientPage::deleted:
   * @id: the id the patient had
   * @name: the full name the patient had, to tell the user
   *
   * Emitted after the user confirmed and the patient was deleted from the store.
   */
  signals [DELETED] =
    g_signal_new ("deleted",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_STRING);

  /**
   * StriaePatientPage::archived:
   * @archived: whether the patient is now archived (or back in the register)
   * @name: the patient's full name, to tell the user
   *
   * Emitted after the patient was archived or unarchived in the store.
   */
  signals [ARCHIVED] =
    g_signal_new ("archived",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_BOOLEAN, G_TYPE_STRING);

  /**
   * StriaePatientPage::open-consultation:
   * @consultation: (nullable): the consultation to open, or %NULL for a new one
   * @page: (nullable): the wizard page a draft was left on
   */
  signals [OPEN_CONSULTATION] =
    g_signal_new ("open-consultation",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, STRIAE_TYPE_CONSULTATION, G_TYPE_STRING);

  /**
   * StriaePatientPage::open-session:
   * @consultation: the signed consultation whose plan the session follows
   * @session_id: the session record to open, or 0 to record the next session
   */
  signals [OPEN_SESSION] =
    g_signal_new ("open-session",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, STRIAE_TYPE_CONSULTATION, G_TYPE_INT64);

  striae_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/striae/Striae/ui/striae-patient-page.ui");
  gtk_widget_class_bind_template_child (widget_class, StriaePatientPage, name_label);
  gtk_widget_class_bind_template_child (widget_class, StriaePatientPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, StriaePatientPage, birth_row);
  gtk_widget_class_bind_template_child (widget_class, StriaePatientPage, sex_row);
  gtk_widget_class_bind_template_child (widget_class, StriaePatientPage, phone_row);
  gtk_widget_class_bind_template_child (widget_class, StriaePatientPage, email_row);
  gtk_widget_class_bind_template_child (widget_class, StriaePatientPage, language_row);
  gtk_widget_class_bind_template_child (widget_class, StriaePatientPage, notes_row);
  gtk_widget_class_bind_template_child (widget_class, StriaePatientPage, resume_group);
  gtk_widget_class_bind_template_child (widget_class, StriaePatientPage, resume_row);
  gtk_widget_class_bind_template_child (widget_class, StriaePatientPage, resume_button);
  gtk_widget_class_bind_template_child (widget_class, StriaePatientPage,
                                        new_consultation_button);
  gtk_widget_class_bind_template_child (widget_class, StriaePatientPage, consultations_group);
  gtk_widget_class_bind_template_child (widget_class, StriaePatientPage, consultations_status);
  gtk_widget_class_bind_template_child (widget_class, StriaePatientPage, archive_button);
  gtk_widget_class_bind_template_child (widget_class, StriaePatientPage, archived_label);
  gtk_widget_class_bind_template_child (widget_class, StriaePatientPage, photos_group);
  gtk_widget_class_bind_template_child (widget_class, StriaePatientPage, photo_consent_row);

  gtk_widget_class_install_action (widget_class, "patient.edit", NULL, edit_action);
  gtk_widget_class_install_action (widget_class, "patient.erase", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "patient.archive", NULL, archive_action);
  gtk_widget_class_install_action (widget_class, "patient.unarchive", NULL, unarchive_action);
  gtk_widget_class_install_action (widget_class, "patient.new-consultation", NULL,
                                   new_consultation_action);
  gtk_widget_class_install_action (widget_class, "patient.resume", NULL, resume_action);
  gtk_widget_class_install_action (widget_class, "patient.discard-draft", NULL,
                                   discard_draft_action);
  gtk_widget_class_install_action (widget_class, "patient.show-revisions", "x",
                                   show_revisions_action);
  gtk_widget_class_install_action (widget_class, "patient.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "patient.record-session", "x",
                                   record_session_action);
  gtk_widget_class_install_action (widget_class, "patient.open-session", "(xx)",
                                   open_session_action);
}

static void
striae_patient_page_init (StriaePatientPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_object (self->photo_consent_row, "notify::selected",
                           G_CALLBACK (photo_consent_selected_cb), self, G_CONNECT_SWAPPED);
  self->consultation_rows = g_ptr_array_new ();
  self->course_groups = g_ptr_array_new ();
  striae_patient_page_update (self);
  striae_patient_page_reload_consultations (self);
}

GtkWidget *
striae_patient_page_new (void)
{
  return g_object_new (STRIAE_TYPE_PATIENT_PAGE, NULL);
}

StriaeStore *
striae_patient_page_get_store (StriaePatientPage *self)
{
  g_return_val_if_fail (STRIAE_IS_PATIENT_PAGE (self), NULL);
  return self->store;
}

void
striae_patient_page_set_store (StriaePatientPage *self,
                               StriaeStore       *store)
{
  g_return_if_fail (STRIAE_IS_PATIENT_PAGE (self));
  g_return_if_fail (store == NULL || STRIAE_IS_STORE (store));

  if (self->store == store)
    return;
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  if (g_set_object (&self->store, store))
    {
      if (store != NULL)
        g_signal_connect_object (store, "patients-changed", G_CALLBACK (records_changed_cb),
                                 self, G_CONNECT_SWAPPED);
      striae_patient_page_update (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_STORE]);
    }
}

StriaePatient *
striae_patient_page_get_patient (StriaePatientPage *self)
{
  g_return_val_if_fail (STRIAE_IS_PATIENT_PAGE (self), NULL);
  return self->patient;
}

void
striae_patient_page_set_patient (StriaePatientPage *self,
                                 StriaePatient     *patient)
{
  g_return_if_fail (STRIAE_IS_PATIENT_PAGE (self));
  g_return_if_fail (patient == NULL || STRIAE_IS_PATIENT (patient));

  self->unread_id = 0;
  if (g_set_object (&self->patient, patient))
    {
      striae_patient_page_update (self);
      striae_patient_page_reload_consultations (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PATIENT]);
    }
}

/**
 * striae_patient_page_show_unreadable:
 * @id: the patient who was to be shown
 * @error: why the records did not give them (the clinic server is gone)
 *
 * Shows why patient @id cannot be shown and what to do, with Try Again, instead of a record.
 */
void
striae_patient_page_show_unreadable (StriaePatientPage *self,
                                     gint64             id,
                                     const GError      *error)
{
  g_return_if_fail (STRIAE_IS_PATIENT_PAGE (self));
  g_return_if_fail (error != NULL);

  striae_patient_page_set_patient (self, NULL);
  self->unread_id = id;
  show_problem (self, error);
}

/* The group where the consultations of the patient are listed; it holds a status line until
 * the consultation wizard exists. */
AdwPreferencesGroup *
striae_patient_page_get_consultations_group (StriaePatientPage *self)
{
  g_return_val_if_fail (STRIAE_IS_PATIENT_PAGE (self), NULL);
  return self->consultations_group;
}

void
striae_patient_page_set_records (StriaePatientPage   *self,
                                 StriaeWizardRecords *records)
{
  g_return_if_fail (STRIAE_IS_PATIENT_PAGE (self));
  g_return_if_fail (records == NULL || STRIAE_IS_WIZARD_RECORDS (records));

  if (g_set_object (&self->records, records))
    striae_patient_page_reload_consultations (self);
}
