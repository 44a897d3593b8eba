/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "striae-app-private.h"
#include "striae-findings-group.h"
#include "striae-history-page-private.h"
#include "striae-patient.h"

struct _StriaeHistoryPage
{
  StriaeWizardPage    parent_instance;

  GtkWidget          *missing_group;
  AdwExpanderRow     *missing_row;
  GtkWidget          *missing_icon;
  GtkBox             *groups_box;
  AdwEntryRow        *medication_row;
  StriaeFindingsGroup *findings_group;

  GtkWidget          *rf_group;
  StriaeWizardAnswer *answers [STRIAE_N_QUESTIONS];
  GtkWidget          *details [STRIAE_N_QUESTIONS];
  GtkWidget          *missing [STRIAE_N_QUESTIONS];  /* a row of missing_row per question */
  GtkWidget          *isotretinoin_end_row;
  GtkWidget          *isotretinoin_error_row;

  StriaeConsultation *consultation;
  gboolean            loading;
};

G_DEFINE_FINAL_TYPE (StriaeHistoryPage, striae_history_page, STRIAE_TYPE_WIZARD_PAGE)

static StriaeConsultationSession *
get_session (StriaeHistoryPage *self)
{
  return striae_wizard_page_get_session (STRIAE_WIZARD_PAGE (self));
}

static StriaeHistory *
get_history (StriaeHistoryPage *self)
{
  return self->consultation != NULL ? striae_consultation_get_history (self->consultation) : NULL;
}

/* The count and the list of the questions the plan still needs an answer to, both from the
 * session's screening, like the wizard's banner. */
static void
update_missing (StriaeHistoryPage *self)
{
  StriaeScreening *screening = striae_consultation_session_get_screening (get_session (self));
  guint missing = striae_consultation_session_get_history_missing (get_session (self));
  gboolean expanded = adw_expander_row_get_expanded (self->missing_row);
  g_autofree char *text = NULL;

  /* Once all is answered the row says so and keeps its room: the questions below it do not
   * move up under the pointer that answered the last one (issue 12). */
  if (missing > 0)
    /* TRANSLATORS: shown at the top of the medical-history page */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u question still needs an answer",
                                         "%u questions still need an answer", missing),
                            missing);
  else
    text = g_strdup (_("Every question has an answer"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->missing_row), text);
  adw_expander_row_set_subtitle (self->missing_row,
                                 missing > 0
                                 ? _("Expand for the list; choose a question to go to it.")
                                 : _("Nothing is left to ask."));
  /* Enabling expansion also expands the row: it stays as the practitioner left it. */
  adw_expander_row_set_enable_expansion (self->missing_row, missing > 0);
  adw_expander_row_set_expanded (self->missing_row, expanded && missing > 0);
  gtk_image_set_from_icon_name (GTK_IMAGE (self->missing_icon),
                                missing > 0 ? "dialog-warning-symbolic" : "emblem-ok-symbolic");
  gtk_widget_remove_css_class (self->missing_icon, missing > 0 ? "success" : "warning");
  gtk_widget_add_css_class (self->missing_icon, missing > 0 ? "warning" : "success");

  for (StriaeQuestion q = 0; q < STRIAE_N_QUESTIONS; q++)
    {
      StriaeCheck check;

      gtk_widget_set_visible (self->missing[q],
                              screening != NULL && striae_check_for_question (q, &check) &&
                              striae_screening_is_missing (screening, check));
    }
}

/* A row of the list of missing answers takes the keyboard to its question. */
static void
missing_activated_cb (AdwActionRow      *row,
                      StriaeHistoryPage *self)
{
  for (StriaeQuestion q = 0; q < STRIAE_N_QUESTIONS; q++)
    if (self->missing[q] == GTK_WIDGET (row))
      gtk_widget_child_focus (GTK_WIDGET (self->answers[q]), GTK_DIR_TAB_FORWARD);
}

/* The question whose answer buttons or detail field @widget is. */
static StriaeQuestion
find_question (StriaeHistoryPage *self,
               gpointer           widget)
{
  for (StriaeQuestion q = 0; q < STRIAE_N_QUESTIONS; q++)
    if (widget == (gpointer) self->answers[q] || widget == (gpointer) self->details[q])
      return q;
  g_assert_not_reached ();
}

static void
answer_changed_cb (StriaeWizardAnswer *answer,
                   GParamSpec         *pspec,
                   StriaeHistoryPage  *self)
{
  StriaeQuestion question = find_question (self, answer);
  StriaeAnswer value = striae_wizard_answer_get_answer (answer);

  gtk_widget_set_visible (self->details[question], value == STRIAE_ANSWER_YES);
  if (question == STRIAE_QUESTION_ISOTRETINOIN)
    {
      /* The message goes and comes with the field, as long as the date is wrong. */
      gtk_widget_set_visible (self->isotretinoin_end_row, value == STRIAE_ANSWER_YES);
      gtk_widget_set_visible (self->isotretinoin_error_row,
                              value == STRIAE_ANSWER_YES &&
                              gtk_widget_has_css_class (self->isotretinoin_end_row, "error"));
    }

  if (self->loading || self->consultation == NULL)
    return;

  striae_history_set_answer (get_history (self), question, value);
}

static void
detail_changed_cb (GtkEditable       *editable,
                   StriaeHistoryPage *self)
{
  if (self->loading || self->consultation == NULL)
    return;

  striae_history_set_detail (get_history (self), find_question (self, editable),
                             gtk_editable_get_text (editable));
}

static void
isotretinoin_end_changed_cb (GtkEditable       *editable,
                             StriaeHistoryPage *self)
{
  const char *text = gtk_editable_get_text (editable);
  g_autoptr(GError) error = NULL;
  GDate date;

  if (self->loading || self->consultation == NULL)
    return;

  /* Only a whole date is stored; the row under the field says what is wrong until then. */
  g_date_clear (&date, 1);
  if (text[0] == '\0' || striae_parse_date (text, &date, &error))
    {
      gtk_widget_remove_css_class (GTK_WIDGET (editable), "error");
      gtk_widget_set_visible (self->isotretinoin_error_row, FALSE);
      striae_history_set_isotretinoin_end_date (get_history (self), &date);
    }
  else
    {
      gtk_widget_add_css_class (GTK_WIDGET (editable), "error");
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->isotretinoin_error_row),
                                     error->message);
      gtk_widget_set_visible (self->isotretinoin_error_row, TRUE);
    }
}

static void
medication_changed_cb (StriaeHistoryPage *self)
{
  if (self->loading || self->consultation == NULL)
    return;

  striae_history_set_medication (get_history (self),
                                 gtk_editable_get_text (GTK_EDITABLE (self->medication_row)));
}

/* The row under the last-dose field that says what is wrong with the date typed. */
static GtkWidget *
isotretinoin_error_row_new (StriaeHistoryPage *self)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_add_css_class (icon, "error");
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  gtk_widget_set_visible (row, FALSE);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->isotretinoin_end_row),
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, row, NULL,
                                  -1);
  self->isotretinoin_error_row = row;
  return row;
}

static void
build_questions (StriaeHistoryPage *self)
{
  AdwPreferencesGroup *group = NULL;
  int current_group = -1;

  for (StriaeQuestion q = 0; q < STRIAE_N_QUESTIONS; q++)
    {
      const StriaeQuestionInfo *info = striae_question_get_info (q);
      GtkWidget *row;
      GtkWidget *detail;

      if ((int) info->group != current_group)
        {
          current_group = info->group;
          group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
          adw_preferences_group_set_title (group, striae_question_group_get_label (info->group));
          if (info->group == STRIAE_QUESTION_GROUP_RF)
            {
              adw_preferences_group_set_description (group,
                                                     _("Asked because radiofrequency "
                                                       "microneedling is chosen."));
              self->rf_group = GTK_WIDGET (group);
              gtk_widget_set_visible (self->rf_group, FALSE);
            }
          gtk_box_append (self->groups_box, GTK_WIDGET (group));
        }

      self->missing[q] = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self->missing[q]), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->missing[q]),
                                     striae_question_get_label (q));
      adw_action_row_set_title_lines (ADW_ACTION_ROW (self->missing[q]), 0);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self->missing[q]), TRUE);
      adw_action_row_add_suffix (ADW_ACTION_ROW (self->missing[q]),
                                 gtk_image_new_from_icon_name ("go-next-symbolic"));
      g_signal_connect (self->missing[q], "activated", G_CALLBACK (missing_activated_cb), self);
      adw_expander_row_add_row (self->missing_row, self->missing[q]);

      row = striae_wizard_answer_row_new (striae_question_get_label (q), &self->answers[q]);
      g_signal_connect (self->answers[q], "notify::answer", G_CALLBACK (answer_changed_cb), self);
      adw_preferences_group_add (group, row);

      detail = adw_entry_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (detail),
                                     striae_question_get_detail_label (q));
      gtk_widget_set_visible (detail, FALSE);
      g_signal_connect (detail, "changed", G_CALLBACK (detail_changed_cb), self);
      adw_preferences_group_add (group, detail);
      self->details[q] = detail;

      if (q == STRIAE_QUESTION_ISOTRETINOIN)
        {
          self->isotretinoin_end_row = adw_entry_row_new ();
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->isotretinoin_end_row),
                                         _("Date the last dose was or will be taken "
                                           "(YYYY-MM-DD)"));
          gtk_widget_set_visible (self->isotretinoin_end_row, FALSE);
          g_signal_connect (self->isotretinoin_end_row, "changed",
                            G_CALLBACK (isotretinoin_end_changed_cb), self);
          adw_preferences_group_add (group, self->isotretinoin_end_row);
          adw_preferences_group_add (group, isotretinoin_error_row_new (self));
        }
    }
}

static void
show_screening (StriaeHistoryPage *self)
{
  if (self->consultation != NULL)
    gtk_widget_set_visible (self->rf_group,
                            striae_plan_get_device (striae_consultation_get_plan (
                                                      self->consultation)) ==
                            STRIAE_DEVICE_RF);
  update_missing (self);
}

static void
load_consultation (StriaeWizardPage   *page,
                   StriaeConsultation *consultation)
{
  StriaeHistoryPage *self = STRIAE_HISTORY_PAGE (page);
  StriaeHistory *history;
  g_autofree char *end = NULL;

  g_set_object (&self->consultation, consultation);
  history = get_history (self);

  self->loading = TRUE;
  for (StriaeQuestion q = 0; q < STRIAE_N_QUESTIONS; q++)
    {
      const char *detail = striae_history_get_detail (history, q);

      striae_wizard_answer_set_answer (self->answers[q], striae_history_get_answer (history, q));
      gtk_editable_set_text (GTK_EDITABLE (self->details[q]), detail != NULL ? detail : "");
    }
  end = striae_format_optional_iso_date (striae_history_get_isotretinoin_end_date (history));
  gtk_editable_set_text (GTK_EDITABLE (self->isotretinoin_end_row), end);
  gtk_widget_remove_css_class (self->isotretinoin_end_row, "error");
  gtk_widget_set_visible (self->isotretinoin_error_row, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->medication_row),
                         striae_history_get_medication (history) != NULL
                         ? striae_history_get_medication (history) : "");
  self->loading = FALSE;

  /* The screening of the consultation comes with it. */
  show_screening (self);
}

/* A change recomputed the screening; a screening of a consultation this page does not show
 * yet waits for "consultation", which comes in the same round. */
static void
session_screening_cb (StriaeHistoryPage *self)
{
  if (self->consultation == striae_consultation_session_get_consultation (get_session (self)))
    show_screening (self);
}

static void
striae_history_page_constructed (GObject *object)
{
  StriaeHistoryPage *self = (StriaeHistoryPage *)object;

  G_OBJECT_CLASS (striae_history_page_parent_class)->constructed (object);

  g_signal_connect_object (get_session (self), "notify::screening",
                           G_CALLBACK (session_screening_cb), self, G_CONNECT_SWAPPED);
  striae_findings_group_set_session (self->findings_group, get_session (self));
  show_screening (self);
}

static void
striae_history_page_dispose (GObject *object)
{
  StriaeHistoryPage *self = (StriaeHistoryPage *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), STRIAE_TYPE_HISTORY_PAGE);
  g_clear_object (&self->consultation);

  G_OBJECT_CLASS (striae_history_page_parent_class)->dispose (object);
}

static void
striae_history_page_class_init (StriaeHistoryPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  StriaeWizardPageClass *page_class = STRIAE_WIZARD_PAGE_CLASS (klass);

  object_class->constructed = striae_history_page_constructed;
  object_class->dispose = striae_history_page_dispose;

  page_class->load_consultation = load_consultation;

  g_type_ensure (STRIAE_TYPE_FINDINGS_GROUP);
  striae_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/striae/Striae/ui/"
                                               "striae-history-page.ui");
  gtk_widget_class_bind_template_child (widget_class, StriaeHistoryPage, missing_group);
  gtk_widget_class_bind_template_child (widget_class, StriaeHistoryPage, missing_row);
  gtk_widget_class_bind_template_child (widget_class, StriaeHistoryPage, missing_icon);
  gtk_widget_class_bind_template_child (widget_class, StriaeHistoryPage, groups_box);
  gtk_widget_class_bind_template_child (widget_class, StriaeHistoryPage, medication_row);
  gtk_widget_class_bind_template_child (widget_class, StriaeHistoryPage, findings_group);
  gtk_widget_class_bind_template_callback (widget_class, medication_changed_cb);
}

static void
striae_history_page_init (StriaeHistoryPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  build_questions (self);
}

StriaeWizardAnswer *
striae_history_page_get_answer (StriaeHistoryPage *self,
                                StriaeQuestion     question)
{
  g_return_val_if_fail (STRIAE_IS_HISTORY_PAGE (self), NULL);
  g_return_val_if_fail (question < STRIAE_N_QUESTIONS, NULL);
  return self->answers[question];
}

GtkEditable *
striae_history_page_get_detail (StriaeHistoryPage *self,
                                StriaeQuestion     question)
{
  g_return_val_if_fail (STRIAE_IS_HISTORY_PAGE (self), NULL);
  g_return_val_if_fail (question < STRIAE_N_QUESTIONS, NULL);
  return GTK_EDITABLE (self->details[question]);
}

/* Returns: (transfer none): the field of the date of the last isotretinoin dose */
GtkEditable *
striae_history_page_get_isotretinoin_end (StriaeHistoryPage *self)
{
  g_return_val_if_fail (STRIAE_IS_HISTORY_PAGE (self), NULL);
  return GTK_EDITABLE (self->isotretinoin_end_row);
}

/* Returns: (transfer none): the row under that field that says what is wrong with it; its
 *   title is the message */
GtkWidget *
striae_history_page_get_isotretinoin_error (StriaeHistoryPage *self)
{
  g_return_val_if_fail (STRIAE_IS_HISTORY_PAGE (self), NULL);
  return self->isotretinoin_error_row;
}

GtkWidget *
striae_history_page_get_acknowledge (StriaeHistoryPage *self,
                                     const char        *finding_id)
{
  g_return_val_if_fail (STRIAE_IS_HISTORY_PAGE (self), NULL);
  return striae_findings_group_get_acknowledge (self->findings_group, finding_id);
}

/* Returns: (transfer none): the row that lists @question among the missing answers; it is
 *   visible while the question is not asked */
GtkWidget *
striae_history_page_get_missing (StriaeHistoryPage *self,
                                 StriaeQuestion     question)
{
  g_return_val_if_fail (STRIAE_IS_HISTORY_PAGE (self), NULL);
  g_return_val_if_fail (question < STRIAE_N_QUESTIONS, NULL);
  return self->missing[question];
}

/* Returns: (transfer none): the group of the missing answers (visible while one is) */
GtkWidget *
striae_history_page_get_missing_group (StriaeHistoryPage *self)
{
  g_return_val_if_fail (STRIAE_IS_HISTORY_PAGE (self), NULL);
  return self->missing_group;
}

AdwExpanderRow *
striae_history_page_get_missing_row (StriaeHistoryPage *self)
{
  g_return_val_if_fail (STRIAE_IS_HISTORY_PAGE (self), NULL);
  return self->missing_row;
}

GtkWidget *
striae_history_page_get_findings (StriaeHistoryPage *self)
{
  g_return_val_if_fail (STRIAE_IS_HISTORY_PAGE (self), NULL);
  return GTK_WIDGET (self->findings_group);
}
