/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The wizard's actions: moving between pages, a link to a field, signing off, signing as not
 * treated, and amending a signed record. */
#include "config.h"

#include <glib/gi18n.h>

#include "striae-app-private.h"
#include "striae-clinic-cache.h"
#include "striae-toast.h"
#include "striae-wizard-private.h"

static StriaeConsultation *
get_consultation (StriaeWizard *self)
{
  return striae_consultation_session_get_consultation (self->session);
}

static gboolean
is_signed (StriaeWizard *self)
{
  return striae_consultation_session_get_signed (self->session);
}

/* @problem: (nullable): what to say instead of what the session finds */
static void
refresh_summary (StriaeWizard *self,
                 const char   *problem)
{
  striae_summary_page_refresh (self->summary_page, problem);
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  StriaeWizard *self = STRIAE_WIZARD (widget);

  if (self->current + 1 < STRIAE_WIZARD_N_PAGES)
    _striae_wizard_go_to (self, self->current + 1);
}

/* A link to a field from elsewhere (the summary's list of what to fix): the page, then the
 * field, with the keyboard focus in it. @parameter: (page name, field name). */
static void
show_field_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  StriaeWizard *self = STRIAE_WIZARD (widget);
  const char *page, *field;
  int index;

  g_variant_get (parameter, "(&s&s)", &page, &field);
  index = _striae_wizard_find_page (page);
  if (index < 0)
    return;

  _striae_wizard_go_to (self, index);
  if (g_str_equal (page, "plan"))
    striae_plan_page_focus_field (self->plan_page, field);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  StriaeWizard *self = STRIAE_WIZARD (widget);

  if (self->current > 0)
    {
      _striae_wizard_go_to (self, self->current - 1);
      return;
    }

  /* Back from the first page leaves the wizard; the draft is saved first. */
  striae_wizard_save_now (self, NULL);
  _striae_wizard_emit_closed (self);
}

static void
remember_practitioner (StriaeWizard *self,
                       const char   *name)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;
  StriaeWizardRecords *records = striae_consultation_session_get_records (self->session);

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema != NULL)
    settings = g_settings_new (APP_ID);

  striae_clinic_cache_remember_practitioner (records != NULL
                                             ? striae_wizard_records_get_store (records)
                                             : NULL,
                                             settings, name);
}

/* When the consultation shown was signed, as the store recorded it, in local time. */
static char *
dup_signed_time (StriaeWizard *self)
{
  g_autoptr(GDateTime) signed_at = striae_consultation_session_dup_signed_at (self->session);
  g_autoptr(GDateTime) local = NULL;

  if (signed_at == NULL)
    return NULL;
  local = g_date_time_to_local (signed_at);
  return g_date_time_format (local, "%H:%M");
}

static void
show_signed_toast (StriaeWizard *self)
{
  g_autofree char *time = dup_signed_time (self);
  g_autofree char *text = NULL;
  AdwToast *toast;

  if (time != NULL)
    /* TRANSLATORS: a toast after the sign-off; %s is the time, e.g. "14:05" */
    text = g_strdup_printf (_("Consultation signed at %s"), time);
  else
    text = g_strdup (_("Consultation signed"));
  toast = striae_toast_new (GTK_WIDGET (self->toast_overlay), text);
  adw_toast_set_timeout (toast, 5);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* The room a toast takes at the bottom of the page (the stack's bottom margin). */
#define TOAST_ROOM 84

/* Once the summary is laid out again after the sign-off (it changes length: the signer's
 * line, other buttons), the button that has the focus is scrolled into sight above the
 * toast, never left under the Back/Next bar. Runs on the second frame: the first lays out. */
static gboolean
reveal_focus_cb (GtkWidget     *widget,
                 GdkFrameClock *clock,
                 gpointer       data)
{
  StriaeWizard *self = STRIAE_WIZARD (widget);
  guint *frames = data;
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  int height = gtk_widget_get_height (GTK_WIDGET (self->scroller));
  graphene_rect_t bounds;
  double bottom;

  if (++(*frames) < 2)
    return G_SOURCE_CONTINUE;

  if (focus == NULL || !gtk_widget_is_ancestor (focus, GTK_WIDGET (self->scroller)) ||
      !gtk_widget_compute_bounds (focus, GTK_WIDGET (self->scroller), &bounds))
    return G_SOURCE_REMOVE;

  bottom = bounds.origin.y + bounds.size.height;
  if (bottom > height - TOAST_ROOM)
    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) +
                                          bottom - (height - TOAST_ROOM));
  else if (bounds.origin.y < 0)
    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) +
                                          bounds.origin.y);
  return G_SOURCE_REMOVE;
}

/* Signs the consultation as @name: treated, or not treated when @not_treated_reason is set
 * (with @see_again, optional). Pending autosaves are dropped: the signature saves it all.
 * The summary says who signed and when, and a toast confirms it. */
gboolean
_striae_wizard_sign (StriaeWizard  *self,
                     const char    *name,
                     const char    *not_treated_reason,
                     const GDate   *see_again,
                     GError       **error)
{
  if (!striae_consultation_session_sign (self->session, name, not_treated_reason, see_again,
                                         error))
    return FALSE;

  remember_practitioner (self, name);
  self->visited = STRIAE_WIZARD_N_PAGES - 1;
  refresh_summary (self, NULL);
  _striae_wizard_refresh (self);
  show_signed_toast (self);

  /* The buttons that signed are gone: the focus goes to the next thing to do, near where
   * it was, in sight. */
  striae_summary_page_focus_next_step (self->summary_page);
  gtk_widget_add_tick_callback (GTK_WIDGET (self), reveal_focus_cb, g_new0 (guint, 1), g_free);
  return TRUE;
}

/* The practitioner's name as typed on the summary page, without spaces around it. */
static char *
dup_practitioner (StriaeWizard *self)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (
                                 striae_summary_page_get_practitioner (self->summary_page))));
}

static void
sign_off_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  StriaeWizard *self = STRIAE_WIZARD (widget);
  g_autofree char *name = NULL;
  g_autofree char *problem = NULL;
  g_autoptr(GError) error = NULL;

  if (get_consultation (self) == NULL || is_signed (self) || self->signature_check != NULL)
    return;

  name = dup_practitioner (self);
  if (name[0] == '\0')
    {
      GtkWidget *field = GTK_WIDGET (striae_summary_page_get_practitioner (self->summary_page));

      /* Say it at the field too, and put the cursor there. */
      problem = g_strdup (_("Enter the practitioner’s name to sign off."));
      gtk_widget_add_css_class (field, "error");
      gtk_widget_grab_focus (field);
    }
  else
    {
      /* Naming the practitioner is a change: the session checks the consultation again. */
      striae_consultation_set_practitioner (get_consultation (self), name);
      problem = g_strdup (striae_consultation_session_get_problem (self->session));
    }
  if (problem != NULL)
    {
      refresh_summary (self, problem);
      return;
    }

  /* On records with accounts, the signature is the account's password, asked again. */
  if (_striae_wizard_needs_signature (self))
    _striae_wizard_ask_signature (self, NULL, NULL, NULL);
  else if (!_striae_wizard_sign (self, name, NULL, NULL, &error))
    refresh_summary (self, error->message);
}

/* The field at @index in the list of a reason dialog (the reason first). */
static GtkEditable *
dialog_field (AdwMessageDialog *dialog,
              int               index)
{
  GtkListBox *list = GTK_LIST_BOX (adw_message_dialog_get_extra_child (dialog));

  return GTK_EDITABLE (gtk_list_box_get_row_at_index (list, index));
}

/* The row under the fields of the Not Treated dialog that says what is wrong with them. */
static AdwActionRow *
dialog_problem_row (AdwMessageDialog *dialog)
{
  GtkListBox *list = GTK_LIST_BOX (adw_message_dialog_get_extra_child (dialog));

  return ADW_ACTION_ROW (gtk_list_box_get_row_at_index (list, 2));
}

static gboolean
has_text (GtkEditable *editable)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (editable)));

  return text[0] != '\0';
}

/* The amendment's reason enables "amend" once it holds more than spaces. */
static void
amend_reason_changed_cb (GtkEditable      *reason,
                         AdwMessageDialog *dialog)
{
  adw_message_dialog_set_response_enabled (dialog, "amend", has_text (reason));
}

/* @problem: (nullable): what to say under the fields, %NULL for nothing */
static void
show_dialog_problem (AdwMessageDialog *dialog,
                     const char       *problem)
{
  AdwActionRow *row = dialog_problem_row (dialog);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), problem != NULL ? problem : "");
  gtk_widget_set_visible (GTK_WIDGET (row), problem != NULL);
}

/* The date to see the patient again as typed in the Not Treated dialog: none when blank, or
 * a day as striae_parse_date() reads it. Otherwise %FALSE, and @problem says what to do. */
static gboolean
read_see_again (const char  *text,
                GDate       *date,
                char       **problem)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (text));

  g_date_clear (date, 1);
  if (trimmed[0] == '\0' || striae_parse_date (trimmed, date, NULL))
    return TRUE;

  /* TRANSLATORS: %s is what was typed as the date to see the patient again */
  *problem = g_strdup_printf (_("“%s” is not a date; write it as YYYY-MM-DD, or leave it "
                                "empty."), text);
  return FALSE;
}

/* The Not Treated dialog checks as it is typed: the reason is required, and a date to see
 * the patient again, when there is one, must be a date; what is wrong is said under the
 * fields, and nothing typed is lost. */
static void
not_treated_changed_cb (GtkEditable      *field,
                        AdwMessageDialog *dialog)
{
  GtkEditable *see_again = dialog_field (dialog, 1);
  g_autofree char *problem = NULL;
  GDate date;
  gboolean date_ok = read_see_again (gtk_editable_get_text (see_again), &date, &problem);

  if (date_ok)
    gtk_widget_remove_css_class (GTK_WIDGET (see_again), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (see_again), "error");
  show_dialog_problem (dialog, problem);
  adw_message_dialog_set_response_enabled (dialog, "sign",
                                           date_ok && has_text (dialog_field (dialog, 0)));
}

static void present_not_treated_dialog (StriaeWizard *self,
                                        const char   *reason,
                                        const char   *see_again,
                                        const char   *problem);

/* Signing as not treated: the dialog asks why (required) and when to see the patient again
 * (optional); the consultation is then signed and locked, and no sheet is offered for it.
 * When the store refuses, the dialog comes back with what was typed and the reason why. */
static void
not_treated_response_cb (AdwMessageDialog *dialog,
                         const char       *response,
                         StriaeWizard     *self)
{
  g_autofree char *name = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = g_strdup (gtk_editable_get_text (dialog_field (dialog, 0)));
  g_autofree char *see_again = g_strdup (gtk_editable_get_text (dialog_field (dialog, 1)));
  g_autofree char *problem = NULL;
  GDate date;

  if (g_strcmp0 (response, "sign") != 0 || get_consultation (self) == NULL ||
      is_signed (self))
    return;

  /* Sign is enabled only with a date or none; should it come here otherwise, the dialog
   * comes back and says why. */
  if (!read_see_again (see_again, &date, &problem))
    {
      present_not_treated_dialog (self, reason, see_again, problem);
      return;
    }

  /* The dialog is modal: the name is the one it was opened with. */
  name = dup_practitioner (self);
  if (_striae_wizard_needs_signature (self))
    _striae_wizard_ask_signature (self, reason, striae_date_or_null (&date), NULL);
  else if (!_striae_wizard_sign (self, name, reason, striae_date_or_null (&date), &error))
    present_not_treated_dialog (self, reason, see_again, error->message);
}

static GtkWidget *
entry_row_new (const char *title,
               const char *text)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
  return row;
}

/* @reason, @see_again: (nullable): what to fill in; @problem: (nullable): what to say */
static void
present_not_treated_dialog (StriaeWizard *self,
                            const char   *reason,
                            const char   *see_again,
                            const char   *problem)
{
  AdwMessageDialog *dialog;
  GtkWidget *list;
  GtkWidget *reason_row;
  GtkWidget *see_again_row;
  GtkWidget *problem_row;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (
                                 GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                 _("Sign as Not Treated?"),
                                 _("The consultation is signed and locked without a "
                                   "treatment, and no sheet is printed for it.")));
  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  reason_row = entry_row_new (_("Reason (required)"), reason);
  see_again_row = entry_row_new (_("See again on (YYYY-MM-DD, optional)"), see_again);
  problem_row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (problem_row), FALSE);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (problem_row), 0);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (problem_row), FALSE);
  gtk_widget_set_focusable (problem_row, FALSE);
  gtk_widget_add_css_class (problem_row, "error");
  gtk_list_box_append (GTK_LIST_BOX (list), reason_row);
  gtk_list_box_append (GTK_LIST_BOX (list), see_again_row);
  gtk_list_box_append (GTK_LIST_BOX (list), problem_row);
  adw_message_dialog_set_extra_child (dialog, list);

  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "sign", _("_Sign as Not Treated"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "sign", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  striae_app_dialog_drops_focus (dialog);
  not_treated_changed_cb (NULL, dialog);
  if (problem != NULL)
    show_dialog_problem (dialog, problem);

  g_signal_connect_object (reason_row, "changed", G_CALLBACK (not_treated_changed_cb), dialog,
                           0);
  g_signal_connect_object (see_again_row, "changed", G_CALLBACK (not_treated_changed_cb),
                           dialog, 0);
  g_signal_connect_object (dialog, "response", G_CALLBACK (not_treated_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (reason_row);
}

/* The Not Treated dialog again, after the records refused its signature. */
void
_striae_wizard_present_not_treated (StriaeWizard *self,
                                    const char   *reason,
                                    const GDate  *see_again,
                                    const char   *problem)
{
  g_autofree char *date = see_again != NULL ? striae_format_iso_date (see_again) : NULL;

  present_not_treated_dialog (self, reason, date, problem);
}

static void
sign_not_treated_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  StriaeWizard *self = STRIAE_WIZARD (widget);
  g_autofree char *name = NULL;

  if (get_consultation (self) == NULL || is_signed (self))
    return;

  if (self->signature_check != NULL)
    return;

  name = dup_practitioner (self);
  if (name[0] == '\0')
    {
      GtkWidget *field = GTK_WIDGET (striae_summary_page_get_practitioner (self->summary_page));

      if (g_strcmp0 (striae_wizard_get_page (self), "summary") != 0)
        _striae_wizard_go_to (self, STRIAE_WIZARD_N_PAGES - 1);
      gtk_widget_add_css_class (field, "error");
      gtk_widget_grab_focus (field);
      refresh_summary (self, _("Enter the practitioner’s name to sign off."));
      return;
    }

  present_not_treated_dialog (self, NULL, NULL, NULL);
}

static void
show_amend_error (StriaeWizard *self,
                  const char   *message)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                              _("The Record Could Not Be Amended"), message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Amending asks why first: the reason is kept with the new revision and shown in the
 * consultation's revisions. */
static void
amend_response_cb (AdwMessageDialog *dialog,
                   const char       *response,
                   StriaeWizard     *self)
{
  GtkEditable *reason = dialog_field (dialog, 0);
  StriaeWizardRecords *records = striae_consultation_session_get_records (self->session);
  g_autoptr(StriaeConsultation) revision = NULL;
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "amend") != 0 || !is_signed (self) || records == NULL)
    return;

  revision = striae_wizard_records_amend (records, get_consultation (self),
                                          striae_consultation_get_practitioner (
                                            get_consultation (self)),
                                          gtk_editable_get_text (reason), &error);
  if (revision == NULL)
    {
      /* The summary of a signed record shows no problem line: say it in a dialog. */
      show_amend_error (self, error->message);
      return;
    }
  /* Whoever signs the correction names themselves again. */
  striae_consultation_set_practitioner (revision, NULL);
  striae_wizard_open (self, striae_consultation_session_get_patient (self->session), revision,
                      "patient");
}

static void
amend_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  StriaeWizard *self = STRIAE_WIZARD (widget);
  StriaeWizardRecords *records = striae_consultation_session_get_records (self->session);
  GtkWidget *dialog;
  GtkWidget *list;
  GtkWidget *reason;

  if (!is_signed (self) || records == NULL)
    return;

  /* An older revision, opened from the list of revisions, is not the one to correct. */
  {
    g_autoptr(StriaeConsultation) latest = NULL;
    guint shown = striae_consultation_get_revision (get_consultation (self));

    latest = striae_store_get_consultation (striae_wizard_records_get_store (records),
                                            striae_consultation_get_id (get_consultation (self)),
                                            NULL);
    if (latest != NULL && striae_consultation_get_revision (latest) != shown)
      {
        g_autofree char *message = NULL;

        /* TRANSLATORS: %u are revision numbers */
        message = g_strdup_printf (_("This is revision %u; the consultation has a newer "
                                     "revision %u. Open the consultation from the patient’s "
                                     "list to correct it."),
                                   shown, striae_consultation_get_revision (latest));
        show_amend_error (self, message);
        return;
      }
  }

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                   _("Amend the Signed Record?"),
                                   _("The signed revision stays as it is; the correction is a "
                                     "new revision, signed again. Say why it is needed."));
  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  reason = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (reason),
                                 _("Reason for the amendment (required)"));
  gtk_list_box_append (GTK_LIST_BOX (list), reason);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), list);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "amend", _("_Amend"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "amend",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "amend", FALSE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  striae_app_dialog_drops_focus (ADW_MESSAGE_DIALOG (dialog));
  g_signal_connect_object (reason, "changed", G_CALLBACK (amend_reason_changed_cb), dialog, 0);
  g_signal_connect_object (dialog, "response", G_CALLBACK (amend_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (reason);
}

static void present_conflict_dialog (StriaeWizard *self,
                                     const char   *problem);

/* The user chose which version to keep after another computer changed or signed the
 * consultation; the wizard then shows it, on the page it was on. */
static void
conflict_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      StriaeWizard     *self)
{
  g_autoptr(StriaePatient) patient = NULL;
  g_autofree char *page = NULL;
  g_autoptr(GError) error = NULL;
  const char *done;
  gboolean ok;

  g_object_remove_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->conflict_dialog);
  self->conflict_dialog = NULL;
  if (striae_consultation_session_get_conflict (self->session) == NULL)
    return;

  patient = g_object_ref (striae_consultation_session_get_patient (self->session));
  page = g_strdup (striae_consultation_session_get_page (self->session));
  if (g_strcmp0 (response, "reload") == 0)
    {
      ok = striae_consultation_session_reload (self->session, &error);
      done = _("Showing the version saved on the other computer");
    }
  else
    {
      ok = striae_consultation_session_keep_as_new_draft (self->session, &error);
      done = _("Your version is kept as a new draft");
    }

  if (!ok)
    {
      /* Nothing was dropped: the user is asked again, with the reason. */
      present_conflict_dialog (self, error->message);
      return;
    }

  striae_wizard_open (self, patient, get_consultation (self), page);
  adw_toast_overlay_add_toast (self->toast_overlay,
                               striae_toast_new (GTK_WIDGET (self->toast_overlay), done));
}

/* @problem: (nullable): why the last choice failed */
static void
present_conflict_dialog (StriaeWizard *self,
                         const char   *problem)
{
  const char *conflict = striae_consultation_session_get_conflict (self->session);
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;

  body = problem != NULL ? g_strdup_printf ("%s\n\n%s", conflict, problem) : g_strdup (conflict);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (
                                 GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                 _("Changed on Another Computer"), body));
  adw_message_dialog_add_responses (dialog,
                                    "reload", _("_Reload"),
                                    "keep", _("_Keep Mine as a New Draft"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "keep", ADW_RESPONSE_SUGGESTED);
  /* Closing it loses nothing either: what was typed is kept apart. */
  adw_message_dialog_set_default_response (dialog, "keep");
  adw_message_dialog_set_close_response (dialog, "keep");

  self->conflict_dialog = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->conflict_dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (conflict_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The session found the consultation changed or signed on another computer: one dialog
 * asks what to keep, however many saves it refused meanwhile (saves wait for the answer). */
void
_striae_wizard_conflict_cb (StriaeWizard *self)
{
  if (striae_consultation_session_get_conflict (self->session) == NULL ||
      self->conflict_dialog != NULL || gtk_widget_get_root (GTK_WIDGET (self)) == NULL)
    return;

  present_conflict_dialog (self, NULL);
}

void
_striae_wizard_class_actions_init (StriaeWizardClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "wizard.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "wizard.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "wizard.show-field", "(ss)", show_field_action);
  gtk_widget_class_install_action (widget_class, "wizard.sign-off", NULL, sign_off_action);
  gtk_widget_class_install_action (widget_class, "wizard.sign-not-treated", NULL,
                                   sign_not_treated_action);
  gtk_widget_class_install_action (widget_class, "wizard.amend", NULL, amend_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, GDK_ALT_MASK,
                                       "wizard.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, GDK_ALT_MASK,
                                       "wizard.back", NULL);
}
