/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "striae-app-private.h"
#include "striae-areas-page-private.h"

struct _StriaeAreasPage
{
  StriaeWizardPage     parent_instance;

  AdwPreferencesGroup *areas_group;
  GtkLabel            *missing_label;

  GPtrArray           *rows;  /* AdwExpanderRow, one per area */
  StriaeConsultation  *consultation;
  gboolean             loading;
};

G_DEFINE_FINAL_TYPE (StriaeAreasPage, striae_areas_page, STRIAE_TYPE_WIZARD_PAGE)

static void load_consultation (StriaeWizardPage   *page,
                               StriaeConsultation *consultation);


typedef const char *(*LabelFunc) (int value);

static void rebuild (StriaeAreasPage *self);

static StriaeArea *
row_area (GtkWidget *widget)
{
  return g_object_get_data (G_OBJECT (widget), "area");
}

static void
update_row (StriaeAreasPage *self,
            GtkWidget       *row)
{
  StriaeArea *area = row_area (row);
  g_autoptr(GError) error = NULL;
  g_autofree char *title = striae_area_dup_title (area);
  GtkWidget *score = g_object_get_data (G_OBJECT (row), "score");
  double min, max;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  /* What is missing is said in the subtitle, marked by an icon: colouring the whole row
   * would paint every field inside it as if each were wrong. */
  if (!striae_area_validate (area, &error))
    {
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), error->message);
      gtk_widget_set_visible (g_object_get_data (G_OBJECT (row), "warning-icon"), TRUE);
    }
  else
    {
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), "");
      gtk_widget_set_visible (g_object_get_data (G_OBJECT (row), "warning-icon"), FALSE);
    }

  if (striae_score_scale_get_range (striae_area_get_score_scale (area), &min, &max))
    {
      GtkWidget *spin = g_object_get_data (G_OBJECT (score), "spin");

      gtk_spin_button_set_range (GTK_SPIN_BUTTON (spin), min, max);
      gtk_widget_set_visible (score, TRUE);
    }
  else
    {
      gtk_widget_set_visible (score, FALSE);
    }
}

static void
update_missing (StriaeAreasPage *self)
{
  guint n = self->consultation != NULL
            ? g_list_model_get_n_items (striae_consultation_get_areas (self->consultation)) : 0;

  gtk_label_set_label (self->missing_label, _("Add at least one area with stretch marks."));
  gtk_widget_set_visible (GTK_WIDGET (self->missing_label), n == 0);
}

static void
combo_selected_cb (AdwComboRow     *combo,
                   GParamSpec      *pspec,
                   StriaeAreasPage *self)
{
  StriaeArea *area = row_area (GTK_WIDGET (combo));
  const char *field = g_object_get_data (G_OBJECT (combo), "field");
  guint value = adw_combo_row_get_selected (combo);

  if (self->loading || value == GTK_INVALID_LIST_POSITION)
    return;

  if (g_str_equal (field, "site"))
    striae_area_set_site (area, value);
  else if (g_str_equal (field, "type"))
    striae_area_set_mark_type (area, value);
  else if (g_str_equal (field, "cause"))
    striae_area_set_cause (area, value);
  else if (g_str_equal (field, "severity"))
    striae_area_set_severity (area, value);
  else if (g_str_equal (field, "scale"))
    striae_area_set_score_scale (area, value);

  update_row (self, g_object_get_data (G_OBJECT (combo), "expander"));
}

static void
spin_changed_cb (GtkSpinButton   *spin,
                 StriaeAreasPage *self)
{
  StriaeArea *area = row_area (GTK_WIDGET (spin));
  const char *field = g_object_get_data (G_OBJECT (spin), "field");

  if (self->loading)
    return;

  if (g_str_equal (field, "age"))
    striae_area_set_age_months (area, gtk_spin_button_get_value_as_int (spin));
  else
    striae_area_set_score (area, gtk_spin_button_get_value (spin));
}

static void
notes_changed_cb (GtkEditable     *editable,
                  StriaeAreasPage *self)
{
  if (self->loading)
    return;

  striae_area_set_notes (row_area (GTK_WIDGET (editable)), gtk_editable_get_text (editable));
  update_row (self, g_object_get_data (G_OBJECT (editable), "expander"));
}

static void
remove_clicked_cb (GtkButton       *button,
                   StriaeAreasPage *self)
{
  guint position;

  if (striae_consultation_find_area (self->consultation,
                                     striae_area_get_id (row_area (GTK_WIDGET (button))),
                                     &position) != NULL)
    striae_consultation_remove_area (self->consultation, position);
}

static GtkWidget *
combo_row_new (GtkWidget  *expander,
               StriaeArea *area,
               const char *field,
               const char *title,
               LabelFunc   label,
               guint       n_values,
               guint       selected)
{
  GtkWidget *row = adw_combo_row_new ();
  GtkStringList *list = gtk_string_list_new (NULL);

  for (guint i = 0; i < n_values; i++)
    gtk_string_list_append (list, label (i));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (list));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), selected);
  g_object_unref (list);
  g_object_set_data (G_OBJECT (row), "area", area);
  g_object_set_data (G_OBJECT (row), "field", (gpointer) field);
  g_object_set_data (G_OBJECT (row), "expander", expander);
  g_object_set_data (G_OBJECT (expander), field, row);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), row);

  return row;
}

static GtkWidget *
spin_row_new (GtkWidget  *expander,
              StriaeArea *area,
              const char *field,
              const char *title,
              double      max,
              double      step,
              double      value)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (0, max, step);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), step < 1 ? 1 : 0);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  /* One Tab stop: the field, not its row as well. */
  gtk_widget_set_focusable (row, FALSE);
  g_object_set_data (G_OBJECT (spin), "area", area);
  g_object_set_data (G_OBJECT (spin), "field", (gpointer) field);
  g_object_set_data (G_OBJECT (row), "spin", spin);
  g_object_set_data (G_OBJECT (expander), field, row);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), row);

  return spin;
}

static GtkWidget *
area_row_new (StriaeAreasPage *self,
              StriaeArea      *area)
{
  GtkWidget *expander = adw_expander_row_new ();
  GtkWidget *row;
  GtkWidget *spin;
  GtkWidget *notes;
  GtkWidget *remove;

  GtkWidget *warning_icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

  g_object_set_data_full (G_OBJECT (expander), "area", g_object_ref (area), g_object_unref);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (expander), FALSE);
  gtk_widget_add_css_class (warning_icon, "warning");
  gtk_widget_set_visible (warning_icon, FALSE);
  adw_expander_row_add_prefix (ADW_EXPANDER_ROW (expander), warning_icon);
  g_object_set_data (G_OBJECT (expander), "warning-icon", warning_icon);

  row = combo_row_new (expander, area, "site", _("Body location"),
                       (LabelFunc) striae_body_site_get_label, STRIAE_N_BODY_SITES,
                       striae_area_get_site (area));
  g_signal_connect (row, "notify::selected", G_CALLBACK (combo_selected_cb), self);
  row = combo_row_new (expander, area, "type", _("Type"),
                       (LabelFunc) striae_mark_type_get_label, STRIAE_MARK_TYPE_CAERULEAE + 1,
                       striae_area_get_mark_type (area));
  g_signal_connect (row, "notify::selected", G_CALLBACK (combo_selected_cb), self);
  row = combo_row_new (expander, area, "cause", _("Cause"),
                       (LabelFunc) striae_cause_get_label, STRIAE_CAUSE_OTHER + 1,
                       striae_area_get_cause (area));
  g_signal_connect (row, "notify::selected", G_CALLBACK (combo_selected_cb), self);

  spin = spin_row_new (expander, area, "age", _("Age of the marks in months"),
                       STRIAE_AREA_AGE_MONTHS_MAX, 1, MAX (0, striae_area_get_age_months (area)));
  g_signal_connect (spin, "value-changed", G_CALLBACK (spin_changed_cb), self);

  row = combo_row_new (expander, area, "severity", _("Severity"),
                       (LabelFunc) striae_severity_get_label, STRIAE_N_SEVERITIES,
                       striae_area_get_severity (area));
  g_signal_connect (row, "notify::selected", G_CALLBACK (combo_selected_cb), self);
  row = combo_row_new (expander, area, "scale", _("Score scale (optional)"),
                       (LabelFunc) striae_score_scale_get_label, STRIAE_SCORE_SCALE_OTHER + 1,
                       striae_area_get_score_scale (area));
  g_signal_connect (row, "notify::selected", G_CALLBACK (combo_selected_cb), self);

  spin = spin_row_new (expander, area, "score", _("Score"), 100, 0.5,
                       striae_area_get_score (area));
  g_signal_connect (spin, "value-changed", G_CALLBACK (spin_changed_cb), self);

  notes = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (notes), _("Notes"));
  gtk_editable_set_text (GTK_EDITABLE (notes),
                         striae_area_get_notes (area) != NULL ? striae_area_get_notes (area) : "");
  g_object_set_data (G_OBJECT (notes), "area", area);
  g_object_set_data (G_OBJECT (notes), "expander", expander);
  g_object_set_data (G_OBJECT (expander), "notes", notes);
  g_signal_connect (notes, "changed", G_CALLBACK (notes_changed_cb), self);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), notes);

  row = adw_action_row_new ();
  remove = gtk_button_new_with_label (_("Remove Area"));
  gtk_widget_add_css_class (remove, "destructive-action");
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  g_object_set_data (G_OBJECT (remove), "area", area);
  g_object_set_data (G_OBJECT (expander), "remove", remove);
  g_signal_connect (remove, "clicked", G_CALLBACK (remove_clicked_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), row);

  update_row (self, expander);
  return expander;
}

static void
rebuild (StriaeAreasPage *self)
{
  GListModel *areas = striae_consultation_get_areas (self->consultation);
  guint n = g_list_model_get_n_items (areas);

  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (self->areas_group, g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);

  self->loading = TRUE;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(StriaeArea) area = g_list_model_get_item (areas, i);
      GtkWidget *row = area_row_new (self, area);

      adw_preferences_group_add (self->areas_group, row);
      g_ptr_array_add (self->rows, row);
    }
  self->loading = FALSE;

  update_missing (self);
}

static void
areas_changed_cb (StriaeAreasPage *self,
                  guint            position,
                  guint            removed,
                  guint            added)
{
  rebuild (self);

  /* A new area opens at once, with the focus on its first field. */
  if (added == 1 && removed == 0 && position < self->rows->len)
    {
      GtkWidget *row = g_ptr_array_index (self->rows, position);

      adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
      gtk_widget_grab_focus (g_object_get_data (G_OBJECT (row), "site"));
    }
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  StriaeAreasPage *self = STRIAE_AREAS_PAGE (widget);
  g_autoptr(StriaeArea) area = striae_area_new (STRIAE_BODY_SITE_ABDOMEN);

  if (self->consultation != NULL)
    striae_consultation_add_area (self->consultation, area);
}

static void
striae_areas_page_dispose (GObject *object)
{
  StriaeAreasPage *self = (StriaeAreasPage *)object;

  if (self->consultation != NULL)
    g_signal_handlers_disconnect_by_func (striae_consultation_get_areas (self->consultation),
                                          areas_changed_cb, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), STRIAE_TYPE_AREAS_PAGE);
  g_clear_object (&self->consultation);
  g_clear_pointer (&self->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (striae_areas_page_parent_class)->dispose (object);
}

static void
striae_areas_page_class_init (StriaeAreasPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  StriaeWizardPageClass *page_class = STRIAE_WIZARD_PAGE_CLASS (klass);

  object_class->dispose = striae_areas_page_dispose;

  page_class->load_consultation = load_consultation;

  striae_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/striae/Striae/ui/"
                                               "striae-areas-page.ui");
  gtk_widget_class_bind_template_child (widget_class, StriaeAreasPage, areas_group);
  gtk_widget_class_bind_template_child (widget_class, StriaeAreasPage, missing_label);
  gtk_widget_class_install_action (widget_class, "areas.add", NULL, add_action);
}

static void
striae_areas_page_init (StriaeAreasPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_ptr_array_new ();
}

static void
load_consultation (StriaeWizardPage   *page,
                   StriaeConsultation *consultation)
{
  StriaeAreasPage *self = STRIAE_AREAS_PAGE (page);

  if (self->consultation != NULL)
    g_signal_handlers_disconnect_by_func (striae_consultation_get_areas (self->consultation),
                                          areas_changed_cb, self);
  g_set_object (&self->consultation, consultation);
  g_signal_connect_swapped (striae_consultation_get_areas (consultation), "items-changed",
                            G_CALLBACK (areas_changed_cb), self);
  rebuild (self);
}

GtkWidget *
striae_areas_page_get_area_row (StriaeAreasPage *self,
                                guint            position)
{
  g_return_val_if_fail (STRIAE_IS_AREAS_PAGE (self), NULL);
  g_return_val_if_fail (position < self->rows->len, NULL);
  return g_ptr_array_index (self->rows, position);
}

/* @field: "site", "type", "cause", "severity", "scale" (combo rows), "age", "score" (rows
 * with a spin button as "spin" data), "notes" (entry row) or "remove" (button). */
GtkWidget *
striae_areas_page_get_field (StriaeAreasPage *self,
                             guint            position,
                             const char      *field)
{
  GtkWidget *row = striae_areas_page_get_area_row (self, position);

  return row != NULL ? g_object_get_data (G_OBJECT (row), field) : NULL;
}
