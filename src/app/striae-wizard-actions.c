/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The wizard's actions: moving between pages, signing off, signing as not treated, and
 * amending a signed record. */
#include "config.h"

#include <glib/gi18n.h>

#include "striae-app-private.h"
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
remember_practitioner (const char *name)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_auto(GStrv) names = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) updated = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    return;

  settings = g_settings_new (APP_ID);
  names = g_settings_get_strv (settings, "practitioner-names");
  if (g_strv_contains ((const char * const *) names, name))
    return;

  builder = g_strv_builder_new ();
  g_strv_builder_add (builder, name);
  g_strv_builder_addv (builder, (const char **) names);
  updated = g_strv_builder_end (builder);
  g_settings_set_strv (settings, "practitioner-names", (const char * const *) updated);
}

/* Signs the consultation as @name: treated, or not treated when @not_treated_reason is set
 * (with @see_again, optional). Pending autosaves are dropped: the signature saves it all. */
static void
sign (StriaeWizard *self,
      const char   *name,
      const char   *not_treated_reason,
      const char   *see_again)
{
  g_autoptr(GError) error = NULL;

  if (!striae_consultation_session_sign (self->session, name, not_treated_reason, see_again,
                                         &error))
    {
      refresh_summary (self, error->message);
      return;
    }

  remember_practitioner (name);
  striae_wizard_open (self, striae_consultation_session_get_patient (self->session),
                      get_consultation (self), "summary");
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

  if (get_consultation (self) == NULL || is_signed (self))
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

  sign (self, name, NULL, NULL);
}

/* A reason field enables its dialog's response (the field's "response") once it holds
 * more than spaces. */
/* The field at @index in the list of a reason dialog (the reason first). */
static GtkEditable *
dialog_field (AdwMessageDialog *dialog,
              int               index)
{
  GtkListBox *list = GTK_LIST_BOX (adw_message_dialog_get_extra_child (dialog));

  return GTK_EDITABLE (gtk_list_box_get_row_at_index (list, index));
}

static void
reason_changed_cb (GtkEditable      *reason,
                   AdwMessageDialog *dialog)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (reason)));

  /* Each of these dialogs has one response besides "cancel". */
  adw_message_dialog_set_response_enabled (dialog,
                                           adw_message_dialog_has_response (dialog, "sign")
                                           ? "sign" : "amend",
                                           text[0] != '\0');
}

/* Signing as not treated: the dialog asks why (required) and when to see the patient again
 * (optional); the consultation is then signed and locked, and no sheet is offered for it. */
static void
not_treated_response_cb (AdwMessageDialog *dialog,
                         const char       *response,
                         StriaeWizard     *self)
{
  g_autofree char *name = NULL;

  if (g_strcmp0 (response, "sign") != 0 || get_consultation (self) == NULL ||
      is_signed (self))
    return;

  /* The dialog is modal: the name is the one it was opened with. */
  name = dup_practitioner (self);
  sign (self, name, gtk_editable_get_text (dialog_field (dialog, 0)),
        gtk_editable_get_text (dialog_field (dialog, 1)));
}

static void
sign_not_treated_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  StriaeWizard *self = STRIAE_WIZARD (widget);
  g_autofree char *name = NULL;
  GtkWidget *dialog;
  GtkWidget *list;
  GtkWidget *reason;
  GtkWidget *see_again;

  if (get_consultation (self) == NULL || is_signed (self))
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

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                   _("Sign as Not Treated?"),
                                   _("The consultation is signed and locked without a "
                                     "treatment, and no sheet is printed for it."));
  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  reason = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (reason), _("Reason (required)"));
  see_again = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (see_again),
                                 _("See again on (YYYY-MM-DD, optional)"));
  gtk_list_box_append (GTK_LIST_BOX (list), reason);
  gtk_list_box_append (GTK_LIST_BOX (list), see_again);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), list);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "sign", _("_Sign as Not Treated"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "sign",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "sign", FALSE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  g_signal_connect_object (reason, "changed", G_CALLBACK (reason_changed_cb), dialog, 0);
  g_signal_connect_object (dialog, "response", G_CALLBACK (not_treated_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (reason);
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
  g_signal_connect_object (reason, "changed", G_CALLBACK (reason_changed_cb), dialog, 0);
  g_signal_connect_object (dialog, "response", G_CALLBACK (amend_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (reason);
}


void
_striae_wizard_class_actions_init (StriaeWizardClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "wizard.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "wizard.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "wizard.sign-off", NULL, sign_off_action);
  gtk_widget_class_install_action (widget_class, "wizard.sign-not-treated", NULL,
                                   sign_not_treated_action);
  gtk_widget_class_install_action (widget_class, "wizard.amend", NULL, amend_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, GDK_ALT_MASK,
                                       "wizard.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, GDK_ALT_MASK,
                                       "wizard.back", NULL);
}
