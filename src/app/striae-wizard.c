/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "striae-accessible.h"
#include "striae-app-private.h"
#include "striae-consultation-session.h"
#include "striae-recommendation.h"
#include "striae-screening.h"
#include "striae-wizard-private.h"

#define N_PAGES STRIAE_WIZARD_N_PAGES

static const char * const page_names[N_PAGES] = {
  "patient", "history", "skin", "areas", "plan", "summary",
};

/* The same titles as the stack pages of ui/striae-wizard.ui, for those who name a page
 * without a wizard at hand (the patient page's offer to resume a draft). */
static const char * const page_titles[N_PAGES] = {
  N_("Patient"), N_("Medical history"), N_("Skin"), N_("Stretch marks"), N_("Plan"),
  N_("Summary"),
};

struct _StriaeWizard
{
  AdwBin                     parent_instance;

  GtkLabel                  *patient_label;
  GtkBox                    *steps_box;
  GtkDropDown               *steps_dropdown;
  GtkRevealer               *screening_revealer;
  GtkLabel                  *screening_label;
  AdwToastOverlay           *toast_overlay;
  GtkScrolledWindow         *scroller;
  GtkStack                  *stack;
  AdwActionRow              *name_row;
  AdwActionRow              *birth_row;
  AdwEntryRow               *date_row;
  StriaeHistoryPage         *history_page;
  StriaeSkinPage            *skin_page;
  StriaeAreasPage           *areas_page;
  StriaePlanPage            *plan_page;
  StriaeSummaryPage         *summary_page;
  GtkLabel                  *step_label;
  GtkWidget                 *next_button;

  GtkWidget                 *step_buttons [N_PAGES];
  GtkWidget                 *step_icons [N_PAGES];
  GtkStringList             *step_names;

  StriaeConsultationSession *session;

  guint                      current;
  guint                      visited;
};

G_DEFINE_FINAL_TYPE (StriaeWizard, striae_wizard, ADW_TYPE_BIN)

enum {
  CLOSED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static StriaeConsultation *
get_consultation (StriaeWizard *self)
{
  return striae_consultation_session_get_consultation (self->session);
}

static StriaeScreening *
get_screening (StriaeWizard *self)
{
  return striae_consultation_session_get_screening (self->session);
}

static gboolean
is_signed (StriaeWizard *self)
{
  return striae_consultation_session_get_signed (self->session);
}

/* The position of @page, or -1 when it names no page of the wizard. */
static int
find_page (const char *page)
{
  for (guint i = 0; i < N_PAGES; i++)
    if (g_strcmp0 (page_names[i], page) == 0)
      return i;
  return -1;
}

static guint
page_index (const char *page)
{
  return MAX (find_page (page), 0);
}

static gboolean
page_complete (StriaeWizard *self,
               guint         index)
{
  return striae_consultation_session_is_page_complete (self->session, page_names[index]);
}

static guint
first_incomplete_page (StriaeWizard *self)
{
  for (guint i = 0; i + 1 < N_PAGES; i++)
    if (!page_complete (self, i))
      return i;
  return N_PAGES - 1;
}

/* @problem: (nullable): what to say instead of what the session finds */
static void
refresh_summary (StriaeWizard *self,
                 const char   *problem)
{
  striae_summary_page_refresh (self->summary_page, problem);
}

/* Leaving a page saves the draft, with the page it is on now. */
static void
save_draft (StriaeWizard *self)
{
  striae_consultation_session_set_page (self->session, page_names[self->current]);
  striae_consultation_session_save_draft (self->session);
}

static void
update_steps (StriaeWizard *self)
{
  g_autofree char *step = NULL;
  const char *title;

  for (guint i = 0; i < N_PAGES; i++)
    {
      gboolean complete = page_complete (self, i);
      /* Only pages one has left show as incomplete: a page not reached yet is not "missing". */
      gboolean mark = !complete && i < self->visited && i != N_PAGES - 1;

      /* The mark keeps its room while hidden: a strip that grew by an icon could stop
       * fitting and give way to the drop-down on one page but not the next. */
      gtk_widget_set_opacity (self->step_icons[i], mark ? 1.0 : 0.0);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->step_buttons[i]),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      mark ? _("Incomplete") : "", -1);
      gtk_widget_set_sensitive (self->step_buttons[i], i <= self->visited || is_signed (self));
      /* Showing the current step selects nothing new: the handlers compare with it. */
      if (i == self->current)
        gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->step_buttons[i]), TRUE);
    }

  gtk_drop_down_set_selected (self->steps_dropdown, self->current);

  title = gtk_stack_page_get_title (gtk_stack_get_page (self->stack,
                                                       gtk_stack_get_visible_child (self->stack)));
  if (is_signed (self))
    /* TRANSLATORS: the step indicator of a signed consultation, e.g. "Step 2 of 6: Medical
     * history · signed, read only" */
    step = g_strdup_printf (_("Step %u of %u: %s · signed, read only"), self->current + 1,
                            N_PAGES, title);
  else
    /* TRANSLATORS: the step indicator, e.g. "Step 2 of 6: Medical history" */
    step = g_strdup_printf (_("Step %u of %u: %s"), self->current + 1, N_PAGES, title);
  gtk_label_set_label (self->step_label, step);
  /* GTK 4.8 does not pass a label's later text changes to the accessibility bus; naming the
   * label explicitly does, so a screen reader hears which step is shown. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->step_label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, step,
                                  -1);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.next", self->current + 1 < N_PAGES);
  gtk_widget_set_visible (self->next_button, self->current + 1 < N_PAGES);
}

/* "A plan needs 24 more answers: 18 in Medical history, 6 in Skin", with the counts the
 * pages show (all from the session's screening). */
static char *
dup_missing_text (StriaeWizard *self)
{
  guint history = striae_consultation_session_get_history_missing (self->session);
  guint skin = striae_consultation_session_get_skin_missing (self->session);
  g_autoptr(GPtrArray) where = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *joined = NULL;

  if (history > 0)
    /* TRANSLATORS: part of "A plan needs %u more answers: …"; %u counts them, then the step */
    g_ptr_array_add (where, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u in %s",
                                                          "%u in %s", history),
                                             history, _(page_titles[1])));
  if (skin > 0)
    g_ptr_array_add (where, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u in %s",
                                                          "%u in %s", skin),
                                             skin, _(page_titles[2])));
  g_ptr_array_add (where, NULL);
  joined = g_strjoinv (C_("list separator", ", "), (char **) where->pdata);

  /* TRANSLATORS: shown above the wizard while answers are missing; %u counts them, %s says
   * on which steps, e.g. "18 in Medical history, 6 in Skin" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "A plan needs %u more answer: %s",
                                       "A plan needs %u more answers: %s", history + skin),
                          history + skin, joined);
}

/* One line above the pages: what blocks the plan, which answers are missing, what needs
 * acknowledging; each count is the screening's, as on the pages. */
static void
update_screening_label (StriaeWizard *self)
{
  StriaeScreening *screening = get_screening (self);
  GListModel *findings = striae_screening_get_findings (screening);
  guint n = g_list_model_get_n_items (findings);
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) reasons = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *text = NULL;
  guint open = striae_screening_count_to_acknowledge (screening, STRIAE_SCREENING_PART_ALL);
  const char *style;

  gtk_widget_remove_css_class (GTK_WIDGET (self->screening_label), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->screening_label), "warning");
  gtk_widget_remove_css_class (GTK_WIDGET (self->screening_label), "success");

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(StriaeFinding) finding = g_list_model_get_item (findings, i);

      if (striae_finding_get_level (finding) == STRIAE_LEVEL_ABSOLUTE)
        g_ptr_array_add (reasons, g_strdup (striae_finding_get_title (finding)));
    }
  if (reasons->len > 0)
    {
      g_autofree char *joined = NULL;

      g_ptr_array_add (reasons, NULL);
      /* TRANSLATORS: separates the reasons in "Plan blocked: A, B, C" */
      joined = g_strjoinv (C_("list separator", ", "), (char **) reasons->pdata);
      /* TRANSLATORS: %s is the list of reasons the plan is blocked */
      g_ptr_array_add (parts, g_strdup_printf (_("Plan blocked: %s"), joined));
    }
  if (striae_screening_count_missing (screening, STRIAE_SCREENING_PART_ALL) > 0)
    g_ptr_array_add (parts, dup_missing_text (self));
  if (open > 0)
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                          "%u relative contraindication to "
                                                          "acknowledge",
                                                          "%u relative contraindications to "
                                                          "acknowledge",
                                                          open), open));

  style = reasons->len > 0 ? "error" : parts->len > 0 ? "warning" : "success";
  if (parts->len == 0)
    g_ptr_array_add (parts, g_strdup (_("No contraindication stands in the way")));
  g_ptr_array_add (parts, NULL);
  /* TRANSLATORS: separates the parts of the screening line above the wizard */
  text = g_strjoinv (C_("screening summary separator", "; "), (char **) parts->pdata);

  gtk_widget_add_css_class (GTK_WIDGET (self->screening_label), style);
  gtk_label_set_label (self->screening_label, text);
  gtk_revealer_set_reveal_child (self->screening_revealer, self->current >= 1);
}

/* The session recomputed the screening and the recommendation after a change of the
 * consultation: show the result. */
static void
session_screening_cb (StriaeWizard *self)
{
  if (get_consultation (self) == NULL || get_screening (self) == NULL)
    return;

  update_screening_label (self);
  update_steps (self);
}

static GtkWidget *
first_focusable (GtkWidget *widget)
{
  /* A read-only page lets no focus in (striae_wizard_init). */
  if (!gtk_widget_get_can_focus (widget))
    return NULL;
  if (gtk_widget_get_focusable (widget) && gtk_widget_get_visible (widget) &&
      gtk_widget_is_sensitive (widget) && !GTK_IS_LABEL (widget))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (!gtk_widget_get_visible (child))
        continue;
      found = first_focusable (child);
      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
go_to (StriaeWizard *self,
       guint         index)
{
  GtkWidget *child;
  GtkWidget *focus;

  g_assert (index < N_PAGES);

  self->current = index;
  self->visited = MAX (self->visited, index);
  striae_consultation_session_set_page (self->session, page_names[index]);
  gtk_stack_set_visible_child_name (self->stack, page_names[index]);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);

  if (index == N_PAGES - 1 && get_consultation (self) != NULL)
    refresh_summary (self, NULL);

  if (get_screening (self) != NULL)
    update_screening_label (self);
  update_steps (self);

  /* Leaving a page saves the draft. */
  if (get_consultation (self) != NULL && !is_signed (self))
    save_draft (self);

  /* The focus moves to the first field of the page, so that the keyboard and a screen reader
   * start there. */
  child = gtk_stack_get_visible_child (self->stack);
  focus = first_focusable (child);
  if (focus != NULL)
    gtk_widget_grab_focus (focus);
}

static void
step_toggled_cb (GtkToggleButton *button,
                 StriaeWizard    *self)
{
  for (guint index = 0; index < N_PAGES; index++)
    if (self->step_buttons[index] == GTK_WIDGET (button))
      {
        if (gtk_toggle_button_get_active (button) && index != self->current)
          go_to (self, index);
        return;
      }
}

static void
dropdown_selected_cb (StriaeWizard *self)
{
  guint index = gtk_drop_down_get_selected (self->steps_dropdown);

  if (index >= N_PAGES || index == self->current)
    return;

  if (index > self->visited && !is_signed (self))
    {
      update_steps (self);
      return;
    }
  go_to (self, index);
}

static void
date_changed_cb (StriaeWizard *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->date_row));
  StriaeConsultation *consultation = get_consultation (self);
  GDate date;

  /* Showing the consultation's own date is no change of it. */
  if (consultation == NULL || is_signed (self) ||
      g_strcmp0 (text, striae_consultation_get_date (consultation) != NULL
                       ? striae_consultation_get_date (consultation) : "") == 0)
    return;

  if (striae_parse_date (text, &date, NULL))
    {
      g_autofree char *iso = striae_format_iso_date (&date);

      gtk_widget_remove_css_class (GTK_WIDGET (self->date_row), "error");
      striae_consultation_set_date (consultation, iso);
    }
  else
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->date_row), "error");
    }
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  StriaeWizard *self = STRIAE_WIZARD (widget);

  if (self->current + 1 < N_PAGES)
    go_to (self, self->current + 1);
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
  index = find_page (page);
  if (index < 0)
    return;

  go_to (self, index);
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
      go_to (self, self->current - 1);
      return;
    }

  /* Back from the first page leaves the wizard; the draft is saved first. */
  striae_wizard_save_now (self, NULL);
  g_signal_emit (self, signals [CLOSED], 0);
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

/* When the consultation shown was signed, as the store recorded it, in local time. */
static char *
dup_signed_time (StriaeWizard *self)
{
  StriaeWizardRecords *records = striae_consultation_session_get_records (self->session);
  StriaeConsultation *consultation = get_consultation (self);
  g_autoptr(GDateTime) signed_at = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (records == NULL ||
      !striae_store_get_signature (striae_wizard_records_get_store (records),
                                   striae_consultation_get_id (consultation),
                                   striae_consultation_get_revision (consultation), NULL,
                                   &signed_at, NULL) ||
      signed_at == NULL)
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
  toast = adw_toast_new (text);
  adw_toast_set_timeout (toast, 5);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* Signs the consultation as @name: treated, or not treated when @not_treated_reason is set
 * (with @see_again, optional). Pending autosaves are dropped: the signature saves it all.
 * The summary stays where it was scrolled to; it says who signed and when, and a toast
 * confirms it. */
static gboolean
sign (StriaeWizard  *self,
      const char    *name,
      const char    *not_treated_reason,
      const char    *see_again,
      GError       **error)
{
  if (!striae_consultation_session_sign (self->session, name, not_treated_reason, see_again,
                                         error))
    return FALSE;

  remember_practitioner (name);
  self->visited = N_PAGES - 1;
  refresh_summary (self, NULL);
  if (get_screening (self) != NULL)
    update_screening_label (self);
  update_steps (self);
  show_signed_toast (self);

  /* The buttons that signed are gone: the focus goes to the next thing to do, near where
   * it was, so the page does not scroll away. */
  striae_summary_page_focus_next_step (self->summary_page);
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

  if (!sign (self, name, NULL, NULL, &error))
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

/* The Not Treated dialog checks as it is typed: the reason is required, and a date to see
 * the patient again, when there is one, must be a date; what is wrong is said under the
 * fields, and nothing typed is lost. */
static void
not_treated_changed_cb (GtkEditable      *field,
                        AdwMessageDialog *dialog)
{
  GtkEditable *see_again = dialog_field (dialog, 1);
  const char *date_text = gtk_editable_get_text (see_again);
  GDate date;
  gboolean date_ok = !has_text (see_again) || striae_parse_date (date_text, &date, NULL);
  g_autofree char *problem = NULL;

  if (date_ok)
    gtk_widget_remove_css_class (GTK_WIDGET (see_again), "error");
  else
    {
      gtk_widget_add_css_class (GTK_WIDGET (see_again), "error");
      /* TRANSLATORS: %s is what was typed as the date to see the patient again */
      problem = g_strdup_printf (_("“%s” is not a date; write it as YYYY-MM-DD, or leave it "
                                   "empty."), date_text);
    }
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

  if (g_strcmp0 (response, "sign") != 0 || get_consultation (self) == NULL ||
      is_signed (self))
    return;

  /* The dialog is modal: the name is the one it was opened with. */
  name = dup_practitioner (self);
  if (!sign (self, name, reason, see_again, &error))
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

static void
sign_not_treated_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  StriaeWizard *self = STRIAE_WIZARD (widget);
  g_autofree char *name = NULL;

  if (get_consultation (self) == NULL || is_signed (self))
    return;

  name = dup_practitioner (self);
  if (name[0] == '\0')
    {
      GtkWidget *field = GTK_WIDGET (striae_summary_page_get_practitioner (self->summary_page));

      if (g_strcmp0 (striae_wizard_get_page (self), "summary") != 0)
        go_to (self, N_PAGES - 1);
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
  g_signal_connect_object (reason, "changed", G_CALLBACK (amend_reason_changed_cb), dialog, 0);
  g_signal_connect_object (dialog, "response", G_CALLBACK (amend_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (reason);
}

static void
build_steps (StriaeWizard *self)
{
  GtkToggleButton *group = NULL;

  self->step_names = gtk_string_list_new (NULL);
  for (guint i = 0; i < N_PAGES; i++)
    {
      const char *title = gtk_stack_page_get_title (
                            gtk_stack_get_page (self->stack,
                                                gtk_stack_get_child_by_name (self->stack,
                                                                             page_names[i])));
      GtkWidget *button = gtk_toggle_button_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
      GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
      g_autofree char *label = g_strdup_printf ("%u. %s", i + 1, title);

      gtk_box_append (GTK_BOX (box), gtk_label_new (label));
      gtk_widget_add_css_class (icon, "warning");
      gtk_widget_set_opacity (icon, 0.0);
      gtk_accessible_update_state (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
      gtk_box_append (GTK_BOX (box), icon);
      gtk_button_set_child (GTK_BUTTON (button), box);
      /* The name a screen reader gives is the text on the button, number included, so that
       * a user of speech input can say what they see (WCAG 2.5.3, label in name). */
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      label, -1);
      if (group != NULL)
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), group);
      else
        group = GTK_TOGGLE_BUTTON (button);
      g_signal_connect (button, "toggled", G_CALLBACK (step_toggled_cb), self);
      gtk_box_append (self->steps_box, button);
      gtk_string_list_append (self->step_names, label);

      self->step_buttons[i] = button;
      self->step_icons[i] = icon;
    }

  gtk_drop_down_set_model (self->steps_dropdown, G_LIST_MODEL (self->step_names));
  striae_accessible_name_drop_down (self->steps_dropdown, _("Consultation step"));
}

static void
striae_wizard_dispose (GObject *object)
{
  StriaeWizard *self = (StriaeWizard *)object;

  /* Autosave survives a closed window: what is not saved yet is written now. */
  if (self->session != NULL)
    {
      striae_consultation_session_set_page (self->session, page_names[self->current]);
      striae_consultation_session_close (self->session);
      g_signal_handlers_disconnect_by_data (self->session, self);
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), STRIAE_TYPE_WIZARD);
  g_clear_object (&self->step_names);

  G_OBJECT_CLASS (striae_wizard_parent_class)->dispose (object);
}

static void
striae_wizard_class_init (StriaeWizardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = striae_wizard_dispose;

  signals [CLOSED] =
    g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (STRIAE_TYPE_CONSULTATION_SESSION);
  g_type_ensure (STRIAE_TYPE_HISTORY_PAGE);
  g_type_ensure (STRIAE_TYPE_SKIN_PAGE);
  g_type_ensure (STRIAE_TYPE_AREAS_PAGE);
  g_type_ensure (STRIAE_TYPE_PLAN_PAGE);
  g_type_ensure (STRIAE_TYPE_SUMMARY_PAGE);

  striae_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/striae/Striae/ui/striae-wizard.ui");
  gtk_widget_class_bind_template_child (widget_class, StriaeWizard, session);
  gtk_widget_class_bind_template_child (widget_class, StriaeWizard, patient_label);
  gtk_widget_class_bind_template_child (widget_class, StriaeWizard, steps_box);
  gtk_widget_class_bind_template_child (widget_class, StriaeWizard, steps_dropdown);
  gtk_widget_class_bind_template_child (widget_class, StriaeWizard, screening_revealer);
  gtk_widget_class_bind_template_child (widget_class, StriaeWizard, screening_label);
  gtk_widget_class_bind_template_child (widget_class, StriaeWizard, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, StriaeWizard, scroller);
  gtk_widget_class_bind_template_child (widget_class, StriaeWizard, stack);
  gtk_widget_class_bind_template_child (widget_class, StriaeWizard, name_row);
  gtk_widget_class_bind_template_child (widget_class, StriaeWizard, birth_row);
  gtk_widget_class_bind_template_child (widget_class, StriaeWizard, date_row);
  gtk_widget_class_bind_template_child (widget_class, StriaeWizard, history_page);
  gtk_widget_class_bind_template_child (widget_class, StriaeWizard, skin_page);
  gtk_widget_class_bind_template_child (widget_class, StriaeWizard, areas_page);
  gtk_widget_class_bind_template_child (widget_class, StriaeWizard, plan_page);
  gtk_widget_class_bind_template_child (widget_class, StriaeWizard, summary_page);
  gtk_widget_class_bind_template_child (widget_class, StriaeWizard, step_label);
  gtk_widget_class_bind_template_child (widget_class, StriaeWizard, next_button);
  gtk_widget_class_bind_template_callback (widget_class, dropdown_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, date_changed_cb);

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

static void
striae_wizard_init (StriaeWizard *self)
{
  GtkWidget *pages[5];

  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->session, "notify::screening",
                            G_CALLBACK (session_screening_cb), self);
  g_object_bind_property (self->session, "patient-title", self->patient_label, "label",
                          G_BINDING_SYNC_CREATE);

  /* [consent] a signed consultation is read-only, and it stays legible: its pages take
   * neither pointer nor keyboard (both hold for every widget inside) instead of being
   * greyed out as insensitive. */
  pages[0] = GTK_WIDGET (self->date_row);
  pages[1] = GTK_WIDGET (self->history_page);
  pages[2] = GTK_WIDGET (self->skin_page);
  pages[3] = GTK_WIDGET (self->areas_page);
  pages[4] = GTK_WIDGET (self->plan_page);
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_object_bind_property (self->session, "read-only", pages[i], "can-target",
                              G_BINDING_SYNC_CREATE | G_BINDING_INVERT_BOOLEAN);
      g_object_bind_property (self->session, "read-only", pages[i], "can-focus",
                              G_BINDING_SYNC_CREATE | G_BINDING_INVERT_BOOLEAN);
    }

  build_steps (self);
}

GtkWidget *
striae_wizard_new (void)
{
  return g_object_new (STRIAE_TYPE_WIZARD, NULL);
}

void
striae_wizard_set_records (StriaeWizard        *self,
                           StriaeWizardRecords *records)
{
  g_return_if_fail (STRIAE_IS_WIZARD (self));
  g_return_if_fail (records == NULL || STRIAE_IS_WIZARD_RECORDS (records));

  striae_consultation_session_set_records (self->session, records);
}

void
striae_wizard_set_rules (StriaeWizard *self,
                         StriaeRules  *rules)
{
  g_return_if_fail (STRIAE_IS_WIZARD (self));
  g_return_if_fail (STRIAE_IS_RULES (rules));

  striae_consultation_session_set_rules (self->session, rules);
}

/**
 * striae_wizard_open:
 * @consultation: (nullable): a draft to continue or a signed record to show; %NULL starts a
 *   new consultation dated today
 * @page: (nullable): the page to show; %NULL shows the first page of a new consultation or a
 *   signed one, and for a draft the page it was left on (its first incomplete page when the
 *   store has no valid page for it)
 */
void
striae_wizard_open (StriaeWizard       *self,
                    StriaePatient      *patient,
                    StriaeConsultation *consultation,
                    const char         *page)
{
  gboolean fresh = consultation == NULL;
  g_autofree char *name = NULL;
  gboolean editable;
  guint start;

  g_return_if_fail (STRIAE_IS_WIZARD (self));
  g_return_if_fail (STRIAE_IS_PATIENT (patient));
  g_return_if_fail (consultation == NULL || STRIAE_IS_CONSULTATION (consultation));

  /* The pages follow the session: it notifies them of the consultation and its screening. */
  striae_consultation_session_open (self->session, patient, consultation);
  consultation = get_consultation (self);

  name = striae_patient_dup_full_name (patient);
  adw_action_row_set_subtitle (self->name_row, name);
  adw_action_row_set_subtitle (self->birth_row, striae_patient_get_birth_date (patient));

  gtk_editable_set_text (GTK_EDITABLE (self->date_row),
                         striae_consultation_get_date (consultation) != NULL
                         ? striae_consultation_get_date (consultation) : "");

  editable = !is_signed (self);

  self->current = 0;
  self->visited = 0;

  if (!editable || fresh)
    {
      start = page_index (page);
      self->visited = editable ? start : N_PAGES - 1;
    }
  else
    {
      /* A draft resumes on the page asked for, else on the page it was left on (every save
       * records it), else, for a draft saved before pages were recorded, on its first
       * incomplete page. The pages before its first incomplete one were all filled in, so
       * they count as visited too and the step strip reaches them. */
      guint incomplete = first_incomplete_page (self);
      g_autofree char *stored = NULL;

      if (find_page (page) < 0)
        stored = striae_consultation_session_dup_resume_page (self->session);
      if (find_page (page) >= 0)
        start = find_page (page);
      else if (find_page (stored) >= 0)
        start = find_page (stored);
      else
        start = incomplete;
      self->visited = MAX (start, incomplete);
    }
  go_to (self, start);
}

StriaeConsultation *
striae_wizard_get_consultation (StriaeWizard *self)
{
  g_return_val_if_fail (STRIAE_IS_WIZARD (self), NULL);
  return get_consultation (self);
}

StriaePatient *
striae_wizard_get_patient (StriaeWizard *self)
{
  g_return_val_if_fail (STRIAE_IS_WIZARD (self), NULL);
  return striae_consultation_session_get_patient (self->session);
}

const char *
striae_wizard_get_page (StriaeWizard *self)
{
  g_return_val_if_fail (STRIAE_IS_WIZARD (self), NULL);
  return page_names[self->current];
}

/* Jumps to @page if it was visited (any page of a signed record). */
void
striae_wizard_set_page (StriaeWizard *self,
                        const char   *page)
{
  guint index;

  g_return_if_fail (STRIAE_IS_WIZARD (self));

  index = page_index (page);
  if (index <= self->visited || is_signed (self))
    go_to (self, index);
}

gboolean
striae_wizard_is_page_complete (StriaeWizard *self,
                                const char   *page)
{
  g_return_val_if_fail (STRIAE_IS_WIZARD (self), FALSE);
  return page_complete (self, page_index (page));
}

gboolean
striae_wizard_is_saving (StriaeWizard *self)
{
  g_return_val_if_fail (STRIAE_IS_WIZARD (self), FALSE);
  return striae_consultation_session_is_saving (self->session);
}

/* Saves the draft in this thread, now: for leaving the wizard and closing the window. */
gboolean
striae_wizard_save_now (StriaeWizard  *self,
                        GError       **error)
{
  g_return_val_if_fail (STRIAE_IS_WIZARD (self), FALSE);

  striae_consultation_session_set_page (self->session, page_names[self->current]);
  return striae_consultation_session_save_now (self->session, error);
}

GtkWidget *
striae_wizard_get_page_widget (StriaeWizard *self,
                               const char   *page)
{
  g_return_val_if_fail (STRIAE_IS_WIZARD (self), NULL);

  if (g_strcmp0 (page, "patient") == 0)
    return GTK_WIDGET (self->date_row);
  return gtk_stack_get_child_by_name (self->stack, page);
}

/**
 * striae_wizard_page_get_position:
 * @page: (nullable): a page name, as striae_wizard_get_page() returns
 *
 * Returns: where @page comes in the wizard, from 0, or -1 when it is not a page of the wizard
 */
int
striae_wizard_page_get_position (const char *page)
{
  return find_page (page);
}

/**
 * striae_wizard_page_get_title:
 * @page: (nullable): a page name, as striae_wizard_get_page() returns
 *
 * Returns: (nullable): the translated title of @page, or %NULL when it is not a page of the
 *   wizard
 */
const char *
striae_wizard_page_get_title (const char *page)
{
  int position = find_page (page);

  return position >= 0 ? _(page_titles[position]) : NULL;
}

GtkWidget *
striae_wizard_get_step_button (StriaeWizard *self,
                               const char   *page)
{
  g_return_val_if_fail (STRIAE_IS_WIZARD (self), NULL);
  return self->step_buttons[page_index (page)];
}

GtkLabel *
striae_wizard_get_patient_label (StriaeWizard *self)
{
  g_return_val_if_fail (STRIAE_IS_WIZARD (self), NULL);
  return self->patient_label;
}

GtkLabel *
striae_wizard_get_screening_label (StriaeWizard *self)
{
  g_return_val_if_fail (STRIAE_IS_WIZARD (self), NULL);
  return self->screening_label;
}

StriaeConsultationSession *
striae_wizard_get_session (StriaeWizard *self)
{
  g_return_val_if_fail (STRIAE_IS_WIZARD (self), NULL);
  return self->session;
}
