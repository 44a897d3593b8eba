/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "striae-app-private.h"
#include "striae-combo-row.h"
#include "striae-date-row.h"
#include "striae-patient.h"
#include "striae-plan-page-private.h"
#include "striae-sheet-composer.h"
#include "striae-sheet-language.h"
#include "striae-sheet-names.h"

/* One chosen value of the course beside its recommendation, with the reason for a change. */
typedef enum
{
  COURSE_SESSIONS,
  COURSE_INTERVAL,
  COURSE_MAINTENANCE,
  COURSE_NUMBING,
  N_COURSE,
} Course;

struct _StriaePlanPage
{
  StriaeWizardPage     parent_instance;

  AdwComboRow         *device_row;
  GtkStack            *stack;
  GtkLabel            *blocked_description;
  AdwPreferencesGroup *depth_group;
  AdwPreferencesGroup *course_group;
  AdwPreferencesGroup *adjuncts_group;
  AdwPreferencesGroup *sheet_group;
  AdwEntryRow         *extra_row;
  AdwPreferencesGroup *print_group;

  GtkWidget           *course_rows [N_COURSE];
  GtkWidget           *course_values [N_COURSE];   /* spin buttons, or the switch */
  GtkWidget           *course_reasons [N_COURSE];
  GtkWidget           *first_session_row;
  GtkWidget           *schedule_row;
  GtkWidget           *adjunct_checks [3];
  GPtrArray           *depth_rows;                 /* row, reason row, row, reason row … */
  GPtrArray           *depth_spins;                /* one per area, as depth_areas */
  GPtrArray           *depth_areas;                /* the areas the depth rows are for */
  GPtrArray           *extra_rows;

  /* The shipped instructions that print for this patient, one expander per sheet. */
  GHashTable          *templates;                  /* language → GPtrArray of templates */
  GPtrArray           *sheet_templates;            /* borrowed from templates, or NULL */
  GtkWidget           *sheet_expanders [3];
  GPtrArray           *sheet_rows [3];
  GPtrArray           *item_checks;                /* as sheet_rows, all sheets in turn */
  GPtrArray           *item_ids;                   /* the item of each of item_checks */
  GPtrArray           *items_templates;            /* the sheet_templates listed, or NULL */
  GStrv                items_facts;                /* the facts they were listed for */
  StriaeConsultation  *consultation;
  gboolean             loading;
  gboolean             blocked;
};

G_DEFINE_FINAL_TYPE (StriaePlanPage, striae_plan_page, STRIAE_TYPE_WIZARD_PAGE)

static void load_consultation (StriaeWizardPage   *page,
                               StriaeConsultation *consultation);

static StriaeConsultationSession *
get_session (StriaePlanPage *self)
{
  return striae_wizard_page_get_session (STRIAE_WIZARD_PAGE (self));
}

static void show_screening    (StriaePlanPage       *self,
                               StriaeScreening      *screening,
                               StriaeRecommendation *recommendation);

static const StriaeAdjunct adjuncts[] = {
  STRIAE_ADJUNCT_SERUM, STRIAE_ADJUNCT_PRP, STRIAE_ADJUNCT_TRETINOIN,
};

static StriaePlan *
get_plan (StriaePlanPage *self)
{
  return striae_consultation_get_plan (self->consultation);
}

/* The reason field shows while the value differs from the recommendation, and is marked
 * (in colour, and as invalid with what to do for a screen reader) as soon as it does and
 * until it holds a reason. [override] */
static void
show_reason (GtkWidget  *reason_row,
             gboolean    overridden,
             const char *reason)
{
  gboolean invalid = overridden && (reason == NULL || reason[0] == '\0');

  gtk_widget_set_visible (reason_row, overridden);
  if (invalid)
    gtk_widget_add_css_class (reason_row, "error");
  else
    gtk_widget_remove_css_class (reason_row, "error");
  gtk_accessible_update_state (GTK_ACCESSIBLE (reason_row), GTK_ACCESSIBLE_STATE_INVALID,
                               invalid ? GTK_ACCESSIBLE_INVALID_TRUE
                                       : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (reason_row),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  invalid ? _("Required: say why you changed the recommended "
                                              "value.")
                                          : "",
                                  -1);
  gtk_widget_set_tooltip_text (reason_row,
                               invalid ? _("Required: say why you changed the recommended "
                                           "value.")
                                       : NULL);
}

static void
set_text_if_different (GtkWidget  *editable,
                       const char *text)
{
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (editable)), text ? text : "") != 0)
    gtk_editable_set_text (GTK_EDITABLE (editable), text ? text : "");
}

static void
update_schedule (StriaePlanPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) dates = NULL;
  g_autoptr(GString) text = g_string_new (NULL);

  if (striae_plan_get_first_session (get_plan (self)) == NULL)
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->schedule_row),
                                   _("Enter the date of the first session to see the dates."));
      return;
    }

  dates = striae_plan_compute_schedule (get_plan (self), &error);
  if (dates == NULL)
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->schedule_row), error->message);
      return;
    }

  for (guint i = 0; i < dates->len; i++)
    {
      g_autofree char *iso = striae_format_iso_date (&g_array_index (dates, GDate, i));

      if (i > 0)
        g_string_append_c (text, '\n');
      /* TRANSLATORS: one line of the session schedule: session number and date */
      g_string_append_printf (text, _("%u. %s"), i + 1, iso);
    }
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->schedule_row), text->str);
}

static void
update_course (StriaePlanPage *self)
{
  StriaePlan *plan = get_plan (self);
  g_autofree char *s = NULL, *i = NULL, *m = NULL;
  const char *n;
  guint weeks, months;

  self->loading = TRUE;

  s = g_strdup_printf (_("Recommended: %u"), striae_plan_get_recommended_sessions (plan));
  weeks = striae_plan_get_recommended_interval_weeks (plan);
  months = striae_plan_get_recommended_maintenance_months (plan);
  i = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Recommended: every %u week",
                                    "Recommended: every %u weeks", weeks),
                       weeks);
  m = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Recommended: %u month",
                                    "Recommended: %u months", months),
                       months);
  n = striae_plan_get_recommended_numbing_cream (plan) ? _("Recommended: yes")
                                                       : _("Recommended: no");
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->course_rows[COURSE_SESSIONS]), s);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->course_rows[COURSE_INTERVAL]), i);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->course_rows[COURSE_MAINTENANCE]), m);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->course_rows[COURSE_NUMBING]), n);

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->course_values[COURSE_SESSIONS]),
                             striae_plan_get_sessions (plan));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->course_values[COURSE_INTERVAL]),
                             striae_plan_get_interval_weeks (plan));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->course_values[COURSE_MAINTENANCE]),
                             striae_plan_get_maintenance_months (plan));
  gtk_switch_set_active (GTK_SWITCH (self->course_values[COURSE_NUMBING]),
                         striae_plan_get_numbing_cream (plan));

  show_reason (self->course_reasons[COURSE_SESSIONS],
               striae_plan_get_sessions (plan) != striae_plan_get_recommended_sessions (plan),
               striae_plan_get_sessions_reason (plan));
  show_reason (self->course_reasons[COURSE_INTERVAL],
               striae_plan_get_interval_weeks (plan) !=
               striae_plan_get_recommended_interval_weeks (plan),
               striae_plan_get_interval_reason (plan));
  show_reason (self->course_reasons[COURSE_MAINTENANCE],
               striae_plan_get_maintenance_months (plan) !=
               striae_plan_get_recommended_maintenance_months (plan),
               striae_plan_get_maintenance_reason (plan));
  show_reason (self->course_reasons[COURSE_NUMBING],
               striae_plan_get_numbing_cream (plan) !=
               striae_plan_get_recommended_numbing_cream (plan),
               striae_plan_get_numbing_cream_reason (plan));

  for (guint k = 0; k < G_N_ELEMENTS (adjuncts); k++)
    gtk_check_button_set_active (GTK_CHECK_BUTTON (self->adjunct_checks[k]),
                                 (striae_plan_get_adjuncts (plan) & adjuncts[k]) != 0);

  self->loading = FALSE;
  update_schedule (self);
}

/* The value of the course @widget is the value or the reason of, or N_COURSE. */
static Course
find_course (StriaePlanPage *self,
             gpointer        widget)
{
  Course c;

  for (c = 0; c < N_COURSE; c++)
    if (widget == (gpointer) self->course_values[c] || widget == (gpointer) self->course_reasons[c])
      break;
  return c;
}

static void
course_value_changed_cb (GtkWidget      *widget,
                         GParamSpec     *pspec,
                         StriaePlanPage *self)
{
  Course course = find_course (self, widget);
  StriaePlan *plan;

  if (self->loading || self->consultation == NULL || course == N_COURSE)
    return;

  plan = get_plan (self);
  switch (course)
    {
    case COURSE_SESSIONS:
      striae_plan_set_sessions (plan, gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (widget)));
      break;
    case COURSE_INTERVAL:
      striae_plan_set_interval_weeks (plan,
                                      gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (widget)));
      break;
    case COURSE_MAINTENANCE:
      striae_plan_set_maintenance_months (plan,
                                          gtk_spin_button_get_value_as_int (
                                            GTK_SPIN_BUTTON (widget)));
      break;
    case COURSE_NUMBING:
      striae_plan_set_numbing_cream (plan, gtk_switch_get_active (GTK_SWITCH (widget)));
      break;
    case N_COURSE:
    default:
      g_assert_not_reached ();
    }

  update_course (self);
}

static void
course_reason_changed_cb (GtkEditable    *editable,
                          StriaePlanPage *self)
{
  Course course = find_course (self, editable);
  const char *text = gtk_editable_get_text (editable);
  StriaePlan *plan;

  if (self->loading || self->consultation == NULL || course == N_COURSE)
    return;

  plan = get_plan (self);
  if (course == COURSE_SESSIONS)
    striae_plan_set_sessions_reason (plan, text);
  else if (course == COURSE_INTERVAL)
    striae_plan_set_interval_reason (plan, text);
  else if (course == COURSE_MAINTENANCE)
    striae_plan_set_maintenance_reason (plan, text);
  else
    striae_plan_set_numbing_cream_reason (plan, text);

  show_reason (GTK_WIDGET (editable), TRUE, text);
}

static void
first_session_changed_cb (GtkEditable    *editable,
                          StriaePlanPage *self)
{
  const char *text = gtk_editable_get_text (editable);
  GDate date;

  if (self->loading || self->consultation == NULL)
    return;

  g_date_clear (&date, 1);
  if (text[0] == '\0' || striae_parse_date (text, &date, NULL))
    {
      striae_plan_set_first_session (get_plan (self), &date);
      /* A real day can still be refused: one before the consultation date. */
      if (g_date_valid (&date) && !striae_plan_check_field (get_plan (self),
                                                            STRIAE_PLAN_FIELD_FIRST_SESSION,
                                                            NULL, NULL))
        gtk_widget_add_css_class (GTK_WIDGET (editable), "error");
      else
        gtk_widget_remove_css_class (GTK_WIDGET (editable), "error");
    }
  else
    {
      gtk_widget_add_css_class (GTK_WIDGET (editable), "error");
    }
  update_schedule (self);
}

static void
adjunct_toggled_cb (GtkCheckButton *check,
                    StriaePlanPage *self)
{
  StriaeAdjunct adjunct = 0;
  StriaeAdjunct value;

  for (guint k = 0; k < G_N_ELEMENTS (adjuncts); k++)
    if (self->adjunct_checks[k] == GTK_WIDGET (check))
      adjunct = adjuncts[k];

  if (self->loading || self->consultation == NULL)
    return;

  value = striae_plan_get_adjuncts (get_plan (self));
  value = gtk_check_button_get_active (check) ? (value | adjunct) : (value & ~adjunct);
  striae_plan_set_adjuncts (get_plan (self), value);
}

static void
device_changed_cb (StriaePlanPage *self)
{
  guint selected = adw_combo_row_get_selected (self->device_row);

  if (self->loading || self->consultation == NULL || selected == GTK_INVALID_LIST_POSITION)
    return;

  striae_plan_set_device (get_plan (self), selected);
}

static GtkWidget *
reason_row_new (const char *title)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_set_visible (row, FALSE);
  return row;
}

static void
build_course (StriaePlanPage *self)
{
  const struct {
    const char *title;
    const char *reason;
    double      min, max;
  } rows[N_COURSE] = {
    { N_("Sessions"), N_("Reason for a different number of sessions"),
      1, STRIAE_PLAN_SESSIONS_MAX },
    { N_("Weeks between sessions"), N_("Reason for a different interval"),
      1, STRIAE_PLAN_INTERVAL_MAX },
    { N_("Maintenance after (months)"), N_("Reason for a different maintenance"),
      0, STRIAE_PLAN_MAINTENANCE_MAX },
    { N_("Numbing cream"), N_("Reason for the numbing cream choice"), 0, 1 },
  };

  for (Course c = 0; c < N_COURSE; c++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *value;

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(rows[c].title));
      if (c == COURSE_NUMBING)
        {
          value = gtk_switch_new ();
          g_signal_connect (value, "notify::active", G_CALLBACK (course_value_changed_cb), self);
        }
      else
        {
          value = gtk_spin_button_new_with_range (rows[c].min, rows[c].max, 1);
          g_signal_connect (value, "notify::value", G_CALLBACK (course_value_changed_cb), self);
        }
      gtk_widget_set_valign (value, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (value), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _(rows[c].title), -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), value);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), value);
      /* One Tab stop: the value, not its row as well. */
      gtk_widget_set_focusable (row, FALSE);
      adw_preferences_group_add (self->course_group, row);

      self->course_reasons[c] = reason_row_new (_(rows[c].reason));
      g_signal_connect (self->course_reasons[c], "changed",
                        G_CALLBACK (course_reason_changed_cb), self);
      adw_preferences_group_add (self->course_group, self->course_reasons[c]);

      self->course_rows[c] = row;
      self->course_values[c] = value;
    }

  self->first_session_row = striae_date_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->first_session_row),
                                 _("First session (YYYY-MM-DD)"));
  g_signal_connect (self->first_session_row, "changed",
                    G_CALLBACK (first_session_changed_cb), self);
  adw_preferences_group_add (self->course_group, self->first_session_row);

  self->schedule_row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->schedule_row), _("Schedule"));
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (self->schedule_row), 0);
  /* Read, not visited; it is the last row of its list, so the list ends there. */
  gtk_widget_set_focusable (self->schedule_row, FALSE);
  adw_preferences_group_add (self->course_group, self->schedule_row);

  for (guint k = 0; k < G_N_ELEMENTS (adjuncts); k++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();
      const char *label = striae_adjunct_get_label (adjuncts[k]);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), label);
      gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      label, -1);
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      g_signal_connect (check, "toggled", G_CALLBACK (adjunct_toggled_cb), self);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      /* One Tab stop: the check, not its row as well. */
      gtk_widget_set_focusable (row, FALSE);
      adw_preferences_group_add (self->adjuncts_group, row);
      self->adjunct_checks[k] = check;
    }
}

static void
depth_changed_cb (GtkSpinButton  *spin,
                  GParamSpec     *pspec,
                  StriaePlanPage *self)
{
  guint i;

  if (self->loading || !g_ptr_array_find (self->depth_spins, spin, &i))
    return;

  striae_area_set_depth (g_ptr_array_index (self->depth_areas, i),
                         gtk_spin_button_get_value (spin));
}

static void
depth_reason_changed_cb (GtkEditable    *editable,
                         StriaePlanPage *self)
{
  guint i;

  /* The reason rows are every second of depth_rows, after their area's row. */
  if (self->loading || !g_ptr_array_find (self->depth_rows, editable, &i))
    return;

  striae_area_set_depth_reason (g_ptr_array_index (self->depth_areas, i / 2),
                                gtk_editable_get_text (editable));
  show_reason (GTK_WIDGET (editable), TRUE, gtk_editable_get_text (editable));
}

static void
update_depths (StriaePlanPage       *self,
               StriaeRecommendation *recommendation)
{
  GListModel *areas = striae_consultation_get_areas (self->consultation);
  guint n = g_list_model_get_n_items (areas);
  gboolean same = n == self->depth_areas->len;

  /* The rows are rebuilt only for other areas, so that typing keeps the focus. */
  for (guint i = 0; same && i < n; i++)
    {
      g_autoptr(StriaeArea) area = g_list_model_get_item (areas, i);

      same = area == g_ptr_array_index (self->depth_areas, i);
    }

  if (!same)
    {
      for (guint i = 0; i < self->depth_rows->len; i++)
        adw_preferences_group_remove (self->depth_group, g_ptr_array_index (self->depth_rows, i));
      g_ptr_array_set_size (self->depth_rows, 0);
      g_ptr_array_set_size (self->depth_spins, 0);
      g_ptr_array_set_size (self->depth_areas, 0);

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(StriaeArea) area = g_list_model_get_item (areas, i);
          GtkWidget *row = adw_action_row_new ();
          GtkWidget *spin = gtk_spin_button_new_with_range (STRIAE_DEPTH_MIN_MM,
                                                            STRIAE_DEPTH_MAX_MM,
                                                            STRIAE_DEPTH_STEP_MM);
          GtkWidget *reason;

          gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), 2);
          gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
          g_signal_connect (spin, "notify::value", G_CALLBACK (depth_changed_cb), self);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
          adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
          /* One Tab stop: the field, not its row as well. */
          gtk_widget_set_focusable (row, FALSE);
          adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);

          /* Named below with the area, which can be renamed while its rows stay. */
          reason = reason_row_new ("");
          g_signal_connect (reason, "changed", G_CALLBACK (depth_reason_changed_cb), self);

          adw_preferences_group_add (self->depth_group, row);
          adw_preferences_group_add (self->depth_group, reason);
          g_ptr_array_add (self->depth_rows, row);
          g_ptr_array_add (self->depth_rows, reason);
          g_ptr_array_add (self->depth_spins, spin);
          g_ptr_array_add (self->depth_areas, g_object_ref (area));
        }
    }

  self->loading = TRUE;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(StriaeArea) area = g_list_model_get_item (areas, i);
      GtkWidget *row = g_ptr_array_index (self->depth_rows, 2 * i);
      GtkWidget *reason = g_ptr_array_index (self->depth_rows, 2 * i + 1);
      GtkWidget *spin = g_ptr_array_index (self->depth_spins, i);
      g_autofree char *title = striae_area_dup_title (area);
      g_autofree char *reason_title = NULL;
      g_autofree char *subtitle = NULL;
      double recommended = striae_area_get_recommended_depth (area);
      const char *explanation = NULL;

      if (recommendation != NULL && i < striae_recommendation_get_n_areas (recommendation))
        explanation = striae_recommendation_get_depth_explanation (recommendation, i);

      if (recommended > 0)
        /* TRANSLATORS: the recommended needle depth in millimetres, then why */
        subtitle = g_strdup_printf (_("Recommended: %.2f mm. %s"), recommended,
                                    explanation != NULL ? explanation : "");
      else
        subtitle = g_strdup (_("No recommendation until the severity is recorded."));

      /* TRANSLATORS: %s is an area, e.g. "Abdomen" */
      reason_title = g_strdup_printf (_("Reason for the depth of %s"), title);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (reason), reason_title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      title, -1);
      if (striae_area_get_depth (area) > 0)
        gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), striae_area_get_depth (area));
      set_text_if_different (reason, striae_area_get_depth_reason (area));
      show_reason (reason, striae_area_is_depth_overridden (area),
                   striae_area_get_depth_reason (area));
    }
  self->loading = FALSE;
}

static void
remove_extra_cb (GtkButton      *button,
                 StriaePlanPage *self)
{
  /* The row's title is the instruction. */
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (button), ADW_TYPE_ACTION_ROW);
  const char *text = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
  const char * const *items = striae_consultation_get_added_items (self->consultation);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) kept = NULL;
  gboolean removed = FALSE;

  for (guint i = 0; items != NULL && items[i] != NULL; i++)
    {
      if (!removed && g_strcmp0 (items[i], text) == 0)
        removed = TRUE;
      else
        g_strv_builder_add (builder, items[i]);
    }
  kept = g_strv_builder_end (builder);
  striae_consultation_set_added_items (self->consultation, (const char * const *) kept);
}

static void
update_extras (StriaePlanPage *self)
{
  const char * const *items = striae_consultation_get_added_items (self->consultation);

  for (guint i = 0; i < self->extra_rows->len; i++)
    adw_preferences_group_remove (self->sheet_group, g_ptr_array_index (self->extra_rows, i));
  g_ptr_array_set_size (self->extra_rows, 0);

  for (guint i = 0; items != NULL && items[i] != NULL; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *button = gtk_button_new_from_icon_name ("user-trash-symbolic");
      g_autofree char *label = NULL;

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), items[i]);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
      /* TRANSLATORS: %s is an extra instruction for the patient's sheet */
      label = g_strdup_printf (_("Remove “%s”"), items[i]);
      gtk_widget_set_tooltip_text (button, label);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      label, -1);
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "flat");
      g_signal_connect (button, "clicked", G_CALLBACK (remove_extra_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      adw_preferences_group_add (self->sheet_group, row);
      g_ptr_array_add (self->extra_rows, row);
    }
}

static void
extra_apply_cb (StriaePlanPage *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (
                                                  GTK_EDITABLE (self->extra_row))));

  if (text[0] == '\0' || self->consultation == NULL)
    return;

  striae_consultation_add_sheet_item (self->consultation, text);
  gtk_editable_set_text (GTK_EDITABLE (self->extra_row), "");
  update_extras (self);
}

static const char *
sheet_title (const char *name)
{
  if (g_strcmp0 (name, "pre-treatment") == 0)
    return _("Pre-treatment sheet");
  if (g_strcmp0 (name, "aftercare") == 0)
    return _("Aftercare sheet");
  if (g_strcmp0 (name, "consent") == 0)
    return _("Consent form");
  return name;
}

static gboolean
is_read_only (StriaePlanPage *self)
{
  return self->consultation == NULL ||
         striae_consultation_session_get_read_only (get_session (self));
}

/* Shows the struck state of the consultation; an id may be in several sheets ("prp",
 * "sensitive"), and striking it strikes it in all of them. */
static void
sync_item_checks (StriaePlanPage *self)
{
  const char * const *names = striae_sheet_template_names ();

  self->loading = TRUE;
  for (guint i = 0; i < self->item_checks->len; i++)
    {
      GtkWidget *check = g_ptr_array_index (self->item_checks, i);
      const char *id = g_ptr_array_index (self->item_ids, i);

      gtk_check_button_set_active (GTK_CHECK_BUTTON (check),
                                   self->consultation == NULL ||
                                   !striae_consultation_is_item_struck (self->consultation, id));
    }
  self->loading = FALSE;

  for (guint k = 0, first = 0; k < G_N_ELEMENTS (self->sheet_expanders) && names[k] != NULL;
       first += self->sheet_rows[k]->len, k++)
    {
      GPtrArray *rows = self->sheet_rows[k];
      guint printing = 0;
      g_autofree char *subtitle = NULL;

      for (guint i = 0; i < rows->len; i++)
        {
          GtkWidget *check = g_ptr_array_index (self->item_checks, first + i);

          if (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)))
            printing++;
        }
      /* TRANSLATORS: under "Aftercare sheet" etc.: how many of the instructions that apply
       * to this patient will be printed */
      subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "%u of %u instruction prints",
                                               "%u of %u instructions print", rows->len),
                                  printing, rows->len);
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self->sheet_expanders[k]), subtitle);
    }
}

static void
item_toggled_cb (GtkCheckButton *check,
                 StriaePlanPage *self)
{
  guint i;

  if (self->loading || is_read_only (self) || !g_ptr_array_find (self->item_checks, check, &i))
    return;

  striae_consultation_set_item_struck (self->consultation, g_ptr_array_index (self->item_ids, i),
                                       !gtk_check_button_get_active (check));
  sync_item_checks (self);
}

/* A click anywhere on an instruction's row toggles its check, as on any row with a check. */
static void
item_row_activated_cb (AdwActionRow *row,
                       GtkWidget    *check)
{
  if (gtk_widget_is_sensitive (check))
    gtk_widget_mnemonic_activate (check, FALSE);
}

static void
unref_template (gpointer template)
{
  g_clear_object (&template);
}

/* The templates in the language the patient's sheets will be printed in, loaded once per
 * language for the life of the page. */
static void
load_templates (StriaePlanPage *self)
{
  StriaePatient *patient = striae_consultation_session_get_patient (get_session (self));
  const char * const *names = striae_sheet_template_names ();
  g_autoptr(StriaeClinicSettings) clinic = NULL;
  g_autofree char *language = NULL;
  GPtrArray *templates;

  /* The clinic's default language, as the sheets will be printed; without the clinic's
   * settings (a bare test run) the patient's language, else English. */
  clinic = striae_consultation_session_dup_clinic (get_session (self));

  language = striae_sheet_pick_language (patient != NULL ? striae_patient_get_language (patient)
                                                         : NULL,
                                         clinic != NULL && clinic->language != NULL &&
                                         clinic->language[0] != '\0' ? clinic->language : "en",
                                         NULL);
  templates = g_hash_table_lookup (self->templates, language);
  if (templates == NULL)
    {
      /* A sheet that could not be loaded stays a NULL slot. */
      templates = g_ptr_array_new_with_free_func (unref_template);
      for (guint k = 0; names[k] != NULL && k < G_N_ELEMENTS (self->sheet_expanders); k++)
        {
          g_autoptr(GError) error = NULL;
          g_autofree char *warning = NULL;
          StriaeSheetTemplate *template;

          template = striae_sheet_load_for_patient (names[k], NULL, patient, clinic, NULL,
                                                    &warning, &error);
          if (template == NULL)
            {
              /* A broken clinic template is reported where the sheet is printed; here the
               * sheet simply offers nothing to strike. */
              g_debug ("No %s sheet to list: %s", names[k], error->message);
            }
          g_ptr_array_add (templates, template);
        }
      g_hash_table_insert (self->templates, g_strdup (language), templates);
    }
  self->sheet_templates = templates;
}

/* Shows an item as its sheet will print it for this patient, placeholders filled. The check
 * shows "Print"; its accessible name starts with that word so that what a user sees is what
 * they can say to a speech-input tool (WCAG 2.5.3, label in name), and goes on with the
 * instruction it keeps on the sheet. */
static void
set_item_text (GtkWidget  *row,
               GtkWidget  *check,
               const char *text)
{
  g_autofree char *name = NULL;

  if (g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), text) == 0)
    return;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
  gtk_widget_set_tooltip_text (row, text);
  /* TRANSLATORS: what a screen reader says for the "Print" check beside an instruction of a
   * sheet; %s is the instruction, e.g. "Print: Avoid the sun for two weeks." Keep the word
   * shown on the check at the start. */
  name = g_strdup_printf (_("Print: %s"), text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (check),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

/* Fills the items' placeholders from this consultation, patient and clinic as the printed
 * sheets do, after every change: a new number of sessions shows at once in "Sessions: …". */
static void
update_item_texts (StriaePlanPage       *self,
                   StriaeRecommendation *recommendation)
{
  StriaePatient *patient = striae_consultation_session_get_patient (get_session (self));
  g_autoptr(StriaePatient) nobody = NULL;
  g_autoptr(StriaeClinicSettings) clinic = NULL;
  const StriaeClinicSettings no_clinic = { .paper = STRIAE_PAPER_A4 };

  /* Without a patient (the page alone, in a test) their placeholders print blank. */
  if (patient == NULL)
    patient = nobody = striae_patient_new ();
  clinic = striae_consultation_session_dup_clinic (get_session (self));

  for (guint k = 0, first = 0;
       k < G_N_ELEMENTS (self->sheet_rows) && k < self->sheet_templates->len;
       first += self->sheet_rows[k]->len, k++)
    {
      StriaeSheetTemplate *template = g_ptr_array_index (self->sheet_templates, k);
      g_autoptr(StriaeSheetContext) context = NULL;

      if (template == NULL || self->sheet_rows[k]->len == 0)
        continue;

      context = striae_sheet_compose_context (template, patient, self->consultation,
                                              recommendation,
                                              clinic != NULL ? clinic : &no_clinic, NULL);
      for (guint i = 0; i < self->sheet_rows[k]->len; i++)
        {
          GtkWidget *row = g_ptr_array_index (self->sheet_rows[k], i);
          g_autofree char *text = NULL;

          text = striae_sheet_template_dup_item_text_filled (template,
                                                             g_ptr_array_index (self->item_ids,
                                                                                first + i),
                                                             context);
          if (text != NULL)
            set_item_text (row, g_ptr_array_index (self->item_checks, first + i), text);
        }
    }
}

/* Lists, per sheet, the items whose conditions hold for the recommendation's facts; the
 * rows are rebuilt only when the facts or the language change. */
static void
update_items (StriaePlanPage       *self,
              StriaeRecommendation *recommendation)
{
  const char * const *facts;
  const char * const no_facts[] = { NULL };

  if (self->consultation == NULL)
    return;

  if (recommendation == NULL || self->sheet_templates == NULL)
    {
      sync_item_checks (self);
      return;
    }

  facts = striae_recommendation_get_facts (recommendation);
  if (facts == NULL)
    facts = no_facts;
  if (self->items_templates == self->sheet_templates && self->items_facts != NULL &&
      g_strv_equal ((const char * const *) self->items_facts, facts))
    {
      update_item_texts (self, recommendation);
      sync_item_checks (self);
      return;
    }
  self->items_templates = self->sheet_templates;
  g_strfreev (self->items_facts);
  self->items_facts = g_strdupv ((char **) facts);

  g_ptr_array_set_size (self->item_checks, 0);
  g_ptr_array_set_size (self->item_ids, 0);
  for (guint k = 0; k < G_N_ELEMENTS (self->sheet_expanders); k++)
    {
      AdwExpanderRow *expander = ADW_EXPANDER_ROW (self->sheet_expanders[k]);
      StriaeSheetTemplate *template = k < self->sheet_templates->len
                                      ? g_ptr_array_index (self->sheet_templates, k) : NULL;
      g_auto(GStrv) ids = NULL;

      for (guint i = 0; i < self->sheet_rows[k]->len; i++)
        adw_expander_row_remove (expander, g_ptr_array_index (self->sheet_rows[k], i));
      g_ptr_array_set_size (self->sheet_rows[k], 0);

      gtk_widget_set_visible (GTK_WIDGET (expander), template != NULL);
      if (template == NULL)
        continue;

      ids = striae_sheet_template_dup_ids (template);
      for (guint i = 0; ids[i] != NULL; i++)
        {
          GtkWidget *row;
          GtkWidget *check;

          if (!striae_sheet_template_is_item (template, ids[i]) ||
              !striae_sheet_template_item_holds (template, ids[i], facts))
            continue;

          /* The title, tooltip and the check's name come from update_item_texts(). */
          row = adw_action_row_new ();
          check = gtk_check_button_new_with_label (_("Print"));
          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
          adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 2);
          gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
          g_signal_connect (check, "toggled", G_CALLBACK (item_toggled_cb), self);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), check);
          /* Not adw_action_row_set_activatable_widget(): it makes the row's title label the
           * check as well, and GTK 4.8 then reads "Print: Avoid the sun. Avoid the sun." */
          gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
          g_signal_connect_object (row, "activated", G_CALLBACK (item_row_activated_cb),
                                   check, 0);
          adw_expander_row_add_row (expander, row);
          g_ptr_array_add (self->sheet_rows[k], row);
          g_ptr_array_add (self->item_checks, check);
          g_ptr_array_add (self->item_ids, g_strdup (ids[i]));
        }
    }
  update_item_texts (self, recommendation);
  sync_item_checks (self);
}

static void
build_items (StriaePlanPage *self)
{
  const char * const *names = striae_sheet_template_names ();

  for (guint k = 0; k < G_N_ELEMENTS (self->sheet_expanders); k++)
    {
      GtkWidget *expander = adw_expander_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander),
                                     names[k] != NULL ? sheet_title (names[k]) : "");
      gtk_widget_set_visible (expander, FALSE);
      adw_preferences_group_add (self->print_group, expander);
      self->sheet_expanders[k] = expander;
      self->sheet_rows[k] = g_ptr_array_new ();
    }
}

/* Every change of the consultation recomputes the screening and the recommendation: show
 * them, once the page shows that consultation ("consultation" comes in the same round). */
static void
session_screening_cb (StriaePlanPage *self)
{
  if (self->consultation != NULL &&
      self->consultation == striae_consultation_session_get_consultation (get_session (self)))
    show_screening (self, striae_consultation_session_get_screening (get_session (self)),
                    striae_consultation_session_get_recommendation (get_session (self)));
}

static void
striae_plan_page_constructed (GObject *object)
{
  StriaePlanPage *self = (StriaePlanPage *)object;

  G_OBJECT_CLASS (striae_plan_page_parent_class)->constructed (object);

  g_signal_connect_object (get_session (self), "notify::screening",
                           G_CALLBACK (session_screening_cb), self, G_CONNECT_SWAPPED);
}

static void
striae_plan_page_dispose (GObject *object)
{
  StriaePlanPage *self = (StriaePlanPage *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), STRIAE_TYPE_PLAN_PAGE);
  g_clear_object (&self->consultation);
  g_clear_pointer (&self->depth_rows, g_ptr_array_unref);
  g_clear_pointer (&self->extra_rows, g_ptr_array_unref);
  g_clear_pointer (&self->depth_spins, g_ptr_array_unref);
  g_clear_pointer (&self->depth_areas, g_ptr_array_unref);
  g_clear_pointer (&self->items_facts, g_strfreev);
  g_clear_pointer (&self->item_checks, g_ptr_array_unref);
  g_clear_pointer (&self->item_ids, g_ptr_array_unref);
  for (guint k = 0; k < G_N_ELEMENTS (self->sheet_rows); k++)
    g_clear_pointer (&self->sheet_rows[k], g_ptr_array_unref);
  self->sheet_templates = NULL;
  self->items_templates = NULL;
  g_clear_pointer (&self->templates, g_hash_table_unref);

  G_OBJECT_CLASS (striae_plan_page_parent_class)->dispose (object);
}

static void
striae_plan_page_class_init (StriaePlanPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  StriaeWizardPageClass *page_class = STRIAE_WIZARD_PAGE_CLASS (klass);

  object_class->constructed = striae_plan_page_constructed;
  object_class->dispose = striae_plan_page_dispose;

  page_class->load_consultation = load_consultation;

  striae_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/striae/Striae/ui/"
                                               "striae-plan-page.ui");
  gtk_widget_class_bind_template_child (widget_class, StriaePlanPage, device_row);
  gtk_widget_class_bind_template_child (widget_class, StriaePlanPage, stack);
  gtk_widget_class_bind_template_child (widget_class, StriaePlanPage, blocked_description);
  gtk_widget_class_bind_template_child (widget_class, StriaePlanPage, depth_group);
  gtk_widget_class_bind_template_child (widget_class, StriaePlanPage, course_group);
  gtk_widget_class_bind_template_child (widget_class, StriaePlanPage, adjuncts_group);
  gtk_widget_class_bind_template_child (widget_class, StriaePlanPage, sheet_group);
  gtk_widget_class_bind_template_child (widget_class, StriaePlanPage, extra_row);
  gtk_widget_class_bind_template_child (widget_class, StriaePlanPage, print_group);
  gtk_widget_class_bind_template_callback (widget_class, device_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, extra_apply_cb);
}

static void
striae_plan_page_init (StriaePlanPage *self)
{
  g_autoptr(GtkStringList) devices = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  self->depth_rows = g_ptr_array_new ();
  self->depth_spins = g_ptr_array_new ();
  self->depth_areas = g_ptr_array_new_with_free_func (g_object_unref);
  self->extra_rows = g_ptr_array_new ();
  for (StriaeDevice d = STRIAE_DEVICE_NOT_SET; d <= STRIAE_DEVICE_RF; d++)
    gtk_string_list_append (devices, striae_device_get_label (d));
  self->loading = TRUE;
  adw_combo_row_set_model (self->device_row, G_LIST_MODEL (devices));
  striae_combo_row_show_whole_choices (self->device_row);
  self->loading = FALSE;
  build_course (self);
  self->templates = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) g_ptr_array_unref);
  self->item_checks = g_ptr_array_new ();
  self->item_ids = g_ptr_array_new_with_free_func (g_free);
  build_items (self);
}

static void
load_consultation (StriaeWizardPage   *page,
                   StriaeConsultation *consultation)
{
  StriaePlanPage *self = STRIAE_PLAN_PAGE (page);
  g_autofree char *first_session = NULL;

  g_set_object (&self->consultation, consultation);
  first_session = striae_format_optional_iso_date (
                    striae_plan_get_first_session (get_plan (self)));

  self->loading = TRUE;
  adw_combo_row_set_selected (self->device_row, striae_plan_get_device (get_plan (self)));
  set_text_if_different (self->first_session_row, first_session);
  set_text_if_different (self->course_reasons[COURSE_SESSIONS],
                         striae_plan_get_sessions_reason (get_plan (self)));
  set_text_if_different (self->course_reasons[COURSE_INTERVAL],
                         striae_plan_get_interval_reason (get_plan (self)));
  set_text_if_different (self->course_reasons[COURSE_MAINTENANCE],
                         striae_plan_get_maintenance_reason (get_plan (self)));
  set_text_if_different (self->course_reasons[COURSE_NUMBING],
                         striae_plan_get_numbing_cream_reason (get_plan (self)));
  self->loading = FALSE;

  update_extras (self);
  load_templates (self);
  show_screening (self, striae_consultation_session_get_screening (get_session (self)),
                  striae_consultation_session_get_recommendation (get_session (self)));
}

/* Shows the plan with the screening and recommendation as they now stand. */
static void
show_screening (StriaePlanPage       *self,
                StriaeScreening      *screening,
                StriaeRecommendation *recommendation)
{
  if (self->consultation == NULL)
    return;

  if (screening != NULL)
    {
      self->blocked = striae_screening_has_absolute (screening);
      if (self->blocked)
        {
          GListModel *findings = striae_screening_get_findings (screening);
          g_autoptr(GString) text = g_string_new (_("Resolve these on the medical history "
                                                    "or skin page first:"));

          for (guint i = 0; i < g_list_model_get_n_items (findings); i++)
            {
              g_autoptr(StriaeFinding) finding = g_list_model_get_item (findings, i);

              if (striae_finding_get_level (finding) != STRIAE_LEVEL_ABSOLUTE)
                continue;
              if (striae_finding_get_unanswered (finding))
                /* TRANSLATORS: an item of the list of what blocks the plan, for a question
                 * answered "Unknown" (asked, and nobody knows); %s is the question's short
                 * title */
                g_string_append_printf (text, _("\n• %s: not known"),
                                        striae_finding_get_title (finding));
              else
                g_string_append_printf (text, "\n• %s", striae_finding_get_title (finding));
            }
          gtk_label_set_label (self->blocked_description, text->str);
        }
    }
  gtk_stack_set_visible_child_name (self->stack, self->blocked ? "blocked" : "plan");

  update_depths (self, recommendation);
  update_course (self);
  update_items (self, recommendation);
}

/* @field: "device", "sessions", "interval", "maintenance", "numbing" (the spin buttons or
 * the switch), "sessions-reason", "interval-reason", "maintenance-reason",
 * "numbing-reason", "first-session", "schedule", "extra", "serum", "prp", "tretinoin",
 * "blocked", or "depth-reason:N" (the reason for the depth of the Nth area, from 0). */
GtkWidget *
striae_plan_page_get_field (StriaePlanPage *self,
                            const char     *field)
{
  static const char * const course_names[N_COURSE] = {
    "sessions", "interval", "maintenance", "numbing",
  };

  g_return_val_if_fail (STRIAE_IS_PLAN_PAGE (self), NULL);

  if (g_str_has_prefix (field, "depth-reason:"))
    {
      guint64 area;

      if (!g_ascii_string_to_unsigned (field + strlen ("depth-reason:"), 10, 0, G_MAXUINT,
                                       &area, NULL))
        return NULL;
      return striae_plan_page_get_depth (self, (guint) area, TRUE);
    }

  for (Course c = 0; c < N_COURSE; c++)
    {
      g_autofree char *reason = g_strconcat (course_names[c], "-reason", NULL);

      if (g_str_equal (field, course_names[c]))
        return self->course_values[c];
      if (g_str_equal (field, reason))
        return self->course_reasons[c];
    }
  for (guint k = 0; k < G_N_ELEMENTS (adjuncts); k++)
    {
      static const char * const names[] = { "serum", "prp", "tretinoin" };
      if (g_str_equal (field, names[k]))
        return self->adjunct_checks[k];
    }
  if (g_str_equal (field, "device"))
    return GTK_WIDGET (self->device_row);
  if (g_str_equal (field, "first-session"))
    return self->first_session_row;
  if (g_str_equal (field, "schedule"))
    return self->schedule_row;
  if (g_str_equal (field, "extra"))
    return GTK_WIDGET (self->extra_row);
  if (g_str_equal (field, "blocked"))
    return GTK_WIDGET (self->blocked_description);

  return NULL;
}

GtkWidget *
striae_plan_page_get_depth (StriaePlanPage *self,
                            guint           area,
                            gboolean        reason)
{
  g_return_val_if_fail (STRIAE_IS_PLAN_PAGE (self), NULL);

  if (2 * area + 1 >= self->depth_rows->len)
    return NULL;

  return reason ? g_ptr_array_index (self->depth_rows, 2 * area + 1)
                : g_ptr_array_index (self->depth_spins, area);
}

/* Returns: (transfer none) (nullable): the "Print" check of the item @id of the sheet
 * @sheet_name ("pre-treatment", "aftercare" or "consent"), or %NULL when it is not listed
 * (its conditions do not hold for this patient). */
GtkWidget *
striae_plan_page_get_sheet_item (StriaePlanPage *self,
                                 const char     *sheet_name,
                                 const char     *id)
{
  const char * const *names = striae_sheet_template_names ();

  g_return_val_if_fail (STRIAE_IS_PLAN_PAGE (self), NULL);
  g_return_val_if_fail (sheet_name != NULL && id != NULL, NULL);

  for (guint k = 0, first = 0; k < G_N_ELEMENTS (self->sheet_rows) && names[k] != NULL;
       first += self->sheet_rows[k]->len, k++)
    {
      if (!g_str_equal (names[k], sheet_name))
        continue;
      for (guint i = 0; i < self->sheet_rows[k]->len; i++)
        if (g_strcmp0 (g_ptr_array_index (self->item_ids, first + i), id) == 0)
          return g_ptr_array_index (self->item_checks, first + i);
    }
  return NULL;
}

gboolean
striae_plan_page_is_blocked (StriaePlanPage *self)
{
  g_return_val_if_fail (STRIAE_IS_PLAN_PAGE (self), FALSE);
  return self->blocked;
}

/**
 * striae_plan_page_focus_field:
 * @field: a field as striae_plan_page_get_field() names it
 *
 * Moves the keyboard focus to @field, for a link to it from elsewhere (the summary's list of
 * what to fix). Returns whether there is such a field to focus.
 */
gboolean
striae_plan_page_focus_field (StriaePlanPage *self,
                              const char     *field)
{
  GtkWidget *widget;

  g_return_val_if_fail (STRIAE_IS_PLAN_PAGE (self), FALSE);
  g_return_val_if_fail (field != NULL, FALSE);

  widget = striae_plan_page_get_field (self, field);
  return widget != NULL && gtk_widget_get_visible (widget) && gtk_widget_grab_focus (widget);
}
