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

G_DEFINE_FINAL_TYPE (StriaeWizard, striae_wizard, ADW_TYPE_BIN)

static const char * const page_names[N_PAGES] = {
  "patient", "history", "skin", "areas", "plan", "summary",
};

/* The same titles as the stack pages of ui/striae-wizard.ui, for those who name a page
 * without a wizard at hand (the patient page's offer to resume a draft). */
static const char * const page_titles[N_PAGES] = {
  N_("Patient"), N_("Medical history"), N_("Skin"), N_("Stretch marks"), N_("Plan"),
  N_("Summary"),
};

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

/* Signed, or the account may not change it: read, with every page open to look at. */
static gboolean
is_read_only (StriaeWizard *self)
{
  return striae_consultation_session_get_read_only (self->session);
}

/* The position of @page, or -1 when it names no page of the wizard. */
int
_striae_wizard_find_page (const char *page)
{
  for (guint i = 0; i < N_PAGES; i++)
    if (g_strcmp0 (page_names[i], page) == 0)
      return i;
  return -1;
}

static guint
page_index (const char *page)
{
  return MAX (_striae_wizard_find_page (page), 0);
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
      gtk_widget_set_sensitive (self->step_buttons[i], i <= self->visited || is_read_only (self));
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

      if (striae_finding_get_level (finding) != STRIAE_LEVEL_ABSOLUTE)
        continue;
      /* An "Unknown" answer blocks as well, and says that it is not known, not that the
       * patient has it. */
      if (striae_finding_get_unanswered (finding))
        /* TRANSLATORS: a reason the plan is blocked, e.g. "Pregnancy (not ruled out)" */
        g_ptr_array_add (reasons, g_strdup_printf (_("%s (not ruled out)"),
                                                   striae_finding_get_title (finding)));
      else
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
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->screening_label), text);
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

/* The focus moves to the first field of @page, as Tab from above it would (past the rows that
 * are only read; a read-only page lets no focus in), so that the keyboard and a screen
 * reader start there. */
static void
focus_first_field (GtkWidget *page)
{
  GtkRoot *root = gtk_widget_get_root (page);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  if (root == NULL)
    return;
  if (focus != NULL && gtk_widget_is_ancestor (focus, page))
    gtk_root_set_focus (root, NULL);
  gtk_widget_child_focus (page, GTK_DIR_TAB_FORWARD);
}

/* What the wizard shows around the pages, after the consultation changed state (signed). */
/* What the account at work may not do is not offered (striae_store_may()): an assistant
 * neither signs nor amends. Records without accounts allow all, as before accounts. */
static void
update_rights (StriaeWizard *self)
{
  StriaeWizardRecords *records = striae_consultation_session_get_records (self->session);
  StriaeStore *store = records != NULL ? striae_wizard_records_get_store (records) : NULL;
  gboolean sign = striae_app_offers (store, STRIAE_RIGHT_SIGN);
  gboolean amend = striae_app_offers (store, STRIAE_RIGHT_AMEND);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.sign-off", sign);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.sign-not-treated", sign);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.amend", amend);
}

void
_striae_wizard_refresh (StriaeWizard *self)
{
  if (get_screening (self) != NULL)
    update_screening_label (self);
  update_steps (self);
  update_rights (self);
}

void
_striae_wizard_go_to (StriaeWizard *self,
                      guint         index)
{
  g_assert (index < N_PAGES);

  self->current = index;
  self->visited = MAX (self->visited, index);
  striae_consultation_session_set_page (self->session, page_names[index]);
  gtk_stack_set_visible_child_name (self->stack, page_names[index]);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);

  if (index == N_PAGES - 1 && get_consultation (self) != NULL)
    striae_summary_page_refresh (self->summary_page, NULL);

  _striae_wizard_refresh (self);

  /* Leaving a page saves the draft. */
  if (get_consultation (self) != NULL && !is_signed (self))
    save_draft (self);

  focus_first_field (gtk_stack_get_visible_child (self->stack));
}

/* The wizard is done with: whoever shows it goes back to the patient. */
void
_striae_wizard_emit_closed (StriaeWizard *self)
{
  g_signal_emit (self, signals [CLOSED], 0);
}

static void
step_toggled_cb (GtkToggleButton *button,
                 StriaeWizard    *self)
{
  for (guint index = 0; index < N_PAGES; index++)
    if (self->step_buttons[index] == GTK_WIDGET (button))
      {
        if (gtk_toggle_button_get_active (button) && index != self->current)
          _striae_wizard_go_to (self, index);
        return;
      }
}

static void
dropdown_selected_cb (StriaeWizard *self)
{
  guint index = gtk_drop_down_get_selected (self->steps_dropdown);

  if (index >= N_PAGES || index == self->current)
    return;

  if (index > self->visited && !is_read_only (self))
    {
      update_steps (self);
      return;
    }
  _striae_wizard_go_to (self, index);
}

static void
date_changed_cb (StriaeWizard *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->date_row));
  StriaeConsultation *consultation = get_consultation (self);
  g_autofree char *shown = NULL;
  GDate date;

  /* Showing the consultation's own date is no change of it, and no wrong date: the field
   * passes through an empty text when another consultation's date replaces the one shown,
   * which must not leave it marked. */
  if (consultation != NULL)
    shown = striae_format_optional_iso_date (striae_consultation_get_date (consultation));
  if (consultation == NULL || is_read_only (self) || g_strcmp0 (text, shown) == 0)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->date_row), "error");
      return;
    }

  if (striae_parse_date (text, &date, NULL))
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->date_row), "error");
      striae_consultation_set_date (consultation, &date);
    }
  else
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->date_row), "error");
    }
}

/* Whether @item of a drop-down row reads as beginning with @letter (case aside). */
static gboolean
item_begins_with (gpointer item,
                  gunichar letter)
{
  const char *text = GTK_IS_STRING_OBJECT (item) ? gtk_string_object_get_string (item) : NULL;

  return text != NULL && text[0] != '\0' &&
         g_unichar_tolower (g_utf8_get_char (text)) == g_unichar_tolower (letter);
}

/* A letter typed on a drop-down row of a page chooses the row's next entry that begins with
 * it (again for the one after), as in lists of choices elsewhere: one key, instead of
 * opening the list, moving in it and closing it. Other keys go on as before. */
static gboolean
choice_key_pressed_cb (StriaeWizard    *self,
                       guint            keyval,
                       guint            keycode,
                       GdkModifierType  state)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  gunichar letter = gdk_keyval_to_unicode (keyval);
  GListModel *model;
  guint n, current;

  if (!ADW_IS_COMBO_ROW (focus) || (state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) != 0 ||
      !g_unichar_isalnum (letter))
    return FALSE;

  model = adw_combo_row_get_model (ADW_COMBO_ROW (focus));
  n = model != NULL ? g_list_model_get_n_items (model) : 0;
  current = adw_combo_row_get_selected (ADW_COMBO_ROW (focus));
  for (guint i = 1; i <= n; i++)
    {
      guint position = current == GTK_INVALID_LIST_POSITION ? i - 1 : (current + i) % n;
      g_autoptr(GObject) item = g_list_model_get_item (model, position);

      if (item_begins_with (item, letter))
        {
          adw_combo_row_set_selected (ADW_COMBO_ROW (focus), position);
          return TRUE;
        }
    }
  return FALSE;
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

  if (self->conflict_dialog != NULL)
    {
      AdwMessageDialog *dialog = g_steal_pointer (&self->conflict_dialog);

      g_object_remove_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->conflict_dialog);
      gtk_window_destroy (GTK_WINDOW (dialog));
    }

  /* Autosave survives a closed window: what is not saved yet is written now (as a new draft
   * when another computer changed the consultation and nobody chose). */
  if (self->session != NULL)
    {
      striae_consultation_session_set_page (self->session, page_names[self->current]);
      striae_consultation_session_close (self->session);
      g_signal_handlers_disconnect_by_data (self->session, self);
    }

  /* A password still being checked signs nothing once the wizard is gone. */
  if (self->signature_check != NULL)
    g_cancellable_cancel (self->signature_check);
  g_clear_object (&self->signature_check);
  g_clear_pointer (&self->signature_reason, g_free);

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
  gtk_widget_class_bind_template_child (widget_class, StriaeWizard, save_error_bar);
  gtk_widget_class_bind_template_child (widget_class, StriaeWizard, save_error_label);
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

  _striae_wizard_class_actions_init (klass);
}

/* What was typed is in the session only: the bar says so, and why, until a save works. */
static void
session_save_error_cb (StriaeWizard *self)
{
  const char *save_error = striae_consultation_session_get_save_error (self->session);
  g_autofree char *text = NULL;

  if (save_error != NULL)
    {
      /* TRANSLATORS: %s is why, a sentence from the records, e.g. "Your login on the clinic
       * server … may not do this. Ask the clinic's IT for the right role." */
      text = g_strdup_printf (_("What you typed is not saved. %s"), save_error);
      gtk_label_set_label (self->save_error_label, text);
    }
  gtk_info_bar_set_revealed (self->save_error_bar, save_error != NULL);
}

static void
striae_wizard_init (StriaeWizard *self)
{
  GtkWidget *pages[5];
  GtkEventController *keys;

  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->session, "notify::screening",
                            G_CALLBACK (session_screening_cb), self);
  g_signal_connect_swapped (self->session, "notify::conflict",
                            G_CALLBACK (_striae_wizard_conflict_cb), self);
  g_signal_connect_swapped (self->session, "notify::save-error",
                            G_CALLBACK (session_save_error_cb), self);
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

  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (keys, "key-pressed", G_CALLBACK (choice_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
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
  g_autofree char *birth_date = NULL;
  g_autofree char *date = NULL;
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
  birth_date = striae_format_optional_iso_date (striae_patient_get_birth_date (patient));
  adw_action_row_set_subtitle (self->birth_row, birth_date);

  date = striae_format_optional_iso_date (striae_consultation_get_date (consultation));
  gtk_editable_set_text (GTK_EDITABLE (self->date_row), date);

  editable = !is_read_only (self);

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

      if (_striae_wizard_find_page (page) < 0)
        stored = striae_consultation_session_dup_resume_page (self->session);
      if (_striae_wizard_find_page (page) >= 0)
        start = _striae_wizard_find_page (page);
      else if (_striae_wizard_find_page (stored) >= 0)
        start = _striae_wizard_find_page (stored);
      else
        start = incomplete;
      self->visited = MAX (start, incomplete);
    }
  _striae_wizard_go_to (self, start);
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
  if (index <= self->visited || is_read_only (self))
    _striae_wizard_go_to (self, index);
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
  return _striae_wizard_find_page (page);
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
  int position = _striae_wizard_find_page (page);

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
