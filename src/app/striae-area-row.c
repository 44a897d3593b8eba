/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>

#include "striae-app-private.h"
#include "striae-area-row.h"
#include "striae-combo-row.h"

struct _StriaeAreaRow
{
  AdwExpanderRow  parent_instance;

  GtkImage       *warning_icon;
  AdwComboRow    *site_row;
  AdwComboRow    *side_row;
  AdwComboRow    *type_row;
  AdwComboRow    *cause_row;
  GtkSpinButton  *age_spin;
  GtkSpinButton  *extent_spin;
  AdwComboRow    *severity_row;
  AdwComboRow    *scale_row;
  GtkWidget      *score_row;
  GtkSpinButton  *score_spin;
  AdwEntryRow    *notes_row;
  GtkButton      *remove_button;

  StriaeArea     *area;
  char           *warning;
};

G_DEFINE_FINAL_TYPE (StriaeAreaRow, striae_area_row, ADW_TYPE_EXPANDER_ROW)

enum {
  PROP_0,
  PROP_AREA,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

typedef const char *(*LabelFunc) (int value);

/* The side row lists the sides a paired site can have, in the order of StriaeSide. */
#define N_SIDE_CHOICES (STRIAE_SIDE_BOTH + 1)

static void
set_choices (AdwComboRow *row,
             LabelFunc    label,
             guint        n_values)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);

  for (guint i = 0; i < n_values; i++)
    gtk_string_list_append (list, label (i));
  adw_combo_row_set_model (row, G_LIST_MODEL (list));
  striae_combo_row_show_whole_choices (row);
}

static gboolean
enum_to_selected (GBinding     *binding,
                  const GValue *from,
                  GValue       *to,
                  gpointer      user_data)
{
  g_value_set_uint (to, g_value_get_enum (from));
  return TRUE;
}

static gboolean
selected_to_enum (GBinding     *binding,
                  const GValue *from,
                  GValue       *to,
                  gpointer      user_data)
{
  guint selected = g_value_get_uint (from);

  if (selected == GTK_INVALID_LIST_POSITION)
    return FALSE;
  g_value_set_enum (to, selected);
  return TRUE;
}

/* A site without a side keeps "not applicable", which the side row does not list. */
static gboolean
side_to_selected (GBinding     *binding,
                  const GValue *from,
                  GValue       *to,
                  gpointer      user_data)
{
  StriaeSide side = g_value_get_enum (from);

  if (side >= N_SIDE_CHOICES)
    return FALSE;
  g_value_set_uint (to, side);
  return TRUE;
}

static gboolean
selected_to_side (GBinding     *binding,
                  const GValue *from,
                  GValue       *to,
                  gpointer      user_data)
{
  StriaeAreaRow *self = user_data;
  guint selected = g_value_get_uint (from);

  if (selected >= N_SIDE_CHOICES ||
      !striae_side_fits_site (selected, striae_area_get_site (self->area)))
    return FALSE;
  g_value_set_enum (to, selected);
  return TRUE;
}

static gboolean
site_has_side (GBinding     *binding,
               const GValue *from,
               GValue       *to,
               gpointer      user_data)
{
  g_value_set_boolean (to, striae_body_site_has_side (g_value_get_enum (from)));
  return TRUE;
}

/* -1 (the age is not known) shows as 0, as before anyone types an age. */
static gboolean
int_to_value (GBinding     *binding,
              const GValue *from,
              GValue       *to,
              gpointer      user_data)
{
  g_value_set_double (to, MAX (0, g_value_get_int (from)));
  return TRUE;
}

static gboolean
value_to_int (GBinding     *binding,
              const GValue *from,
              GValue       *to,
              gpointer      user_data)
{
  g_value_set_int (to, (int) lround (g_value_get_double (from)));
  return TRUE;
}

static void
bind_choice (StriaeAreaRow *self,
             const char    *property,
             AdwComboRow   *row)
{
  g_object_bind_property_full (self->area, property, row, "selected",
                               G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                               enum_to_selected, selected_to_enum, NULL, NULL);
}

static void
bind_number (StriaeAreaRow *self,
             const char    *property,
             GtkSpinButton *spin)
{
  g_object_bind_property_full (self->area, property, spin, "value",
                               G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                               int_to_value, value_to_int, NULL, NULL);
}

/* A scale's range applies to the score field only while the score fits it: narrowing the
 * field would change a score already typed, which the row's subtitle flags instead. */
static void
update_score (StriaeAreaRow *self)
{
  double min = 0, max = 100;
  gboolean has_scale = striae_score_scale_get_range (striae_area_get_score_scale (self->area),
                                                     &min, &max);
  double score = striae_area_get_score (self->area);

  gtk_widget_set_visible (self->score_row, has_scale);
  if (!has_scale || score < min || score > max)
    gtk_spin_button_set_range (self->score_spin, 0, 100);
  else
    gtk_spin_button_set_range (self->score_spin, min, max);
}

/* The title names the area as recorded; what is missing, or the page's warning, is said in
 * the subtitle and marked by an icon: colouring the whole row would paint every field
 * inside it as if each were wrong. */
static void
update_title (StriaeAreaRow *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *title = striae_area_dup_title (self->area);
  const char *subtitle = "";

  if (self->warning != NULL)
    subtitle = self->warning;
  else if (!striae_area_validate (self->area, &error))
    subtitle = error->message;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), title);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), subtitle);
  gtk_widget_set_visible (GTK_WIDGET (self->warning_icon), subtitle[0] != '\0');
  update_score (self);
}

static void
bind_area (StriaeAreaRow *self)
{
  bind_choice (self, "site", self->site_row);
  g_object_bind_property_full (self->area, "side", self->side_row, "selected",
                               G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                               side_to_selected, selected_to_side, self, NULL);
  g_object_bind_property_full (self->area, "site", self->side_row, "visible",
                               G_BINDING_SYNC_CREATE, site_has_side, NULL, NULL, NULL);
  bind_choice (self, "mark-type", self->type_row);
  bind_choice (self, "cause", self->cause_row);
  bind_number (self, "age-months", self->age_spin);
  bind_number (self, "extent", self->extent_spin);
  bind_choice (self, "severity", self->severity_row);
  bind_choice (self, "score-scale", self->scale_row);
  update_score (self);
  g_object_bind_property (self->area, "score", self->score_spin, "value",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->area, "notes", self->notes_row, "text",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->remove_button),
                                          g_variant_new_string (striae_area_get_id (self->area)));

  g_signal_connect_object (self->area, "changed", G_CALLBACK (update_title), self,
                           G_CONNECT_SWAPPED);
  update_title (self);
}

static void
striae_area_row_constructed (GObject *object)
{
  StriaeAreaRow *self = (StriaeAreaRow *)object;

  G_OBJECT_CLASS (striae_area_row_parent_class)->constructed (object);

  /* A row built on its own (the template check) shows a new area of its own. */
  if (self->area == NULL)
    self->area = striae_area_new (STRIAE_BODY_SITE_ABDOMEN);
  bind_area (self);
}

static void
striae_area_row_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  StriaeAreaRow *self = STRIAE_AREA_ROW (object);

  switch (prop_id)
    {
    case PROP_AREA:
      g_value_set_object (value, self->area);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_area_row_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  StriaeAreaRow *self = STRIAE_AREA_ROW (object);

  switch (prop_id)
    {
    case PROP_AREA:
      self->area = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_area_row_dispose (GObject *object)
{
  StriaeAreaRow *self = (StriaeAreaRow *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), STRIAE_TYPE_AREA_ROW);
  g_clear_object (&self->area);

  G_OBJECT_CLASS (striae_area_row_parent_class)->dispose (object);
}

static void
striae_area_row_finalize (GObject *object)
{
  StriaeAreaRow *self = (StriaeAreaRow *)object;

  g_clear_pointer (&self->warning, g_free);

  G_OBJECT_CLASS (striae_area_row_parent_class)->finalize (object);
}

static void
striae_area_row_class_init (StriaeAreaRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = striae_area_row_constructed;
  object_class->dispose = striae_area_row_dispose;
  object_class->finalize = striae_area_row_finalize;
  object_class->get_property = striae_area_row_get_property;
  object_class->set_property = striae_area_row_set_property;

  /* The area the row shows and edits. */
  properties [PROP_AREA] =
    g_param_spec_object ("area", NULL, NULL, STRIAE_TYPE_AREA,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  striae_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/striae/Striae/ui/"
                                               "striae-area-row.ui");
  gtk_widget_class_bind_template_child (widget_class, StriaeAreaRow, warning_icon);
  gtk_widget_class_bind_template_child (widget_class, StriaeAreaRow, site_row);
  gtk_widget_class_bind_template_child (widget_class, StriaeAreaRow, side_row);
  gtk_widget_class_bind_template_child (widget_class, StriaeAreaRow, type_row);
  gtk_widget_class_bind_template_child (widget_class, StriaeAreaRow, cause_row);
  gtk_widget_class_bind_template_child (widget_class, StriaeAreaRow, age_spin);
  gtk_widget_class_bind_template_child (widget_class, StriaeAreaRow, extent_spin);
  gtk_widget_class_bind_template_child (widget_class, StriaeAreaRow, severity_row);
  gtk_widget_class_bind_template_child (widget_class, StriaeAreaRow, scale_row);
  gtk_widget_class_bind_template_child (widget_class, StriaeAreaRow, score_row);
  gtk_widget_class_bind_template_child (widget_class, StriaeAreaRow, score_spin);
  gtk_widget_class_bind_template_child (widget_class, StriaeAreaRow, notes_row);
  gtk_widget_class_bind_template_child (widget_class, StriaeAreaRow, remove_button);
}

/* The choices come from the model's labels, before any binding reads a selection. */
static void
striae_area_row_init (StriaeAreaRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_spin_button_set_range (self->age_spin, 0, STRIAE_AREA_AGE_MONTHS_MAX);
  gtk_spin_button_set_range (self->extent_spin, 0, STRIAE_AREA_EXTENT_MAX_CM2);

  set_choices (self->site_row, (LabelFunc) striae_body_site_get_label, STRIAE_N_BODY_SITES);
  set_choices (self->side_row, (LabelFunc) striae_side_get_label, N_SIDE_CHOICES);
  set_choices (self->type_row, (LabelFunc) striae_mark_type_get_label,
               STRIAE_MARK_TYPE_CAERULEAE + 1);
  set_choices (self->cause_row, (LabelFunc) striae_cause_get_label, STRIAE_CAUSE_OTHER + 1);
  set_choices (self->severity_row, (LabelFunc) striae_severity_get_label, STRIAE_N_SEVERITIES);
  set_choices (self->scale_row, (LabelFunc) striae_score_scale_get_label,
               STRIAE_SCORE_SCALE_OTHER + 1);
}

GtkWidget *
striae_area_row_new (StriaeArea *area)
{
  g_return_val_if_fail (STRIAE_IS_AREA (area), NULL);

  return g_object_new (STRIAE_TYPE_AREA_ROW, "area", area, NULL);
}

StriaeArea *
striae_area_row_get_area (StriaeAreaRow *self)
{
  g_return_val_if_fail (STRIAE_IS_AREA_ROW (self), NULL);
  return self->area;
}

/* @warning: one sentence about this area and another (the page compares them), or %NULL. */
void
striae_area_row_set_warning (StriaeAreaRow *self,
                             const char    *warning)
{
  g_return_if_fail (STRIAE_IS_AREA_ROW (self));

  if (g_strcmp0 (self->warning, warning) == 0)
    return;

  g_free (self->warning);
  self->warning = g_strdup (warning);
  update_title (self);
}

GtkWidget *
striae_area_row_get_field (StriaeAreaRow *self,
                           const char    *field)
{
  const struct {
    const char *name;
    gpointer    widget;
  } fields[] = {
    { "site", self->site_row }, { "side", self->side_row }, { "type", self->type_row },
    { "cause", self->cause_row }, { "severity", self->severity_row },
    { "scale", self->scale_row }, { "age", self->age_spin }, { "extent", self->extent_spin },
    { "score", self->score_spin }, { "notes", self->notes_row },
    { "remove", self->remove_button },
  };

  g_return_val_if_fail (STRIAE_IS_AREA_ROW (self), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (g_str_equal (field, fields[i].name))
      return fields[i].widget;
  return NULL;
}
