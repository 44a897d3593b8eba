/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "striae-accessible.h"
#include "striae-app-private.h"
#include "striae-patient-row.h"

struct _StriaePatientRow
{
  AdwBin         parent_instance;

  GtkLabel      *name_label;
  GtkLabel      *details_label;
  GtkWidget     *draft_tag;     /* NULL until the row first shows a draft */

  StriaePatient *patient;
  gulong         notify_id;
  gboolean       has_draft;
};

G_DEFINE_FINAL_TYPE (StriaePatientRow, striae_patient_row, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_PATIENT,
  PROP_HAS_DRAFT,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

char *
striae_patient_dup_birth_summary (StriaePatient *patient)
{
  g_autofree char *birth_date = NULL;
  GDate today;
  int age;

  g_return_val_if_fail (STRIAE_IS_PATIENT (patient), NULL);

  birth_date = striae_format_optional_iso_date (striae_patient_get_birth_date (patient));
  striae_get_today (&today);
  age = striae_patient_get_age (patient, &today);
  if (age < 0)
    return g_steal_pointer (&birth_date);

  /* TRANSLATORS: a date of birth and the age it gives, e.g. "1985-04-23 · 41 years" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s · %d year", "%s · %d years", age),
                          birth_date, age);
}

/* The "Draft" tag beside the name, made the first time the row shows a patient with a
 * draft: few patients have one, and the register's first frame makes a row for each patient
 * it shows (issue 15), so that most rows never need it. */
static void
ensure_draft_tag (StriaePatientRow *self)
{
  GtkWidget *image;
  GtkWidget *label;

  if (self->draft_tag != NULL)
    return;

  self->draft_tag = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  gtk_widget_set_valign (self->draft_tag, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (self->draft_tag, _("A consultation is open as a draft"));
  gtk_widget_add_css_class (self->draft_tag, "accent");

  image = g_object_new (GTK_TYPE_IMAGE,
                        "icon-name", "document-edit-symbolic",
                        "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                        NULL);
  label = gtk_label_new (C_("patient list", "Draft"));
  gtk_widget_add_css_class (label, "caption-heading");
  gtk_box_append (GTK_BOX (self->draft_tag), image);
  gtk_box_append (GTK_BOX (self->draft_tag), label);
  /* Beside the labels, in the box that is the row's child. */
  gtk_box_append (GTK_BOX (adw_bin_get_child (ADW_BIN (self))), self->draft_tag);
}

static void
striae_patient_row_update (StriaePatientRow *self)
{
  g_autofree char *name = NULL;
  g_autofree char *details = NULL;
  g_autofree char *accessible = NULL;

  if (self->patient != NULL && self->has_draft)
    ensure_draft_tag (self);
  if (self->draft_tag != NULL)
    gtk_widget_set_visible (self->draft_tag, self->patient != NULL && self->has_draft);

  if (self->patient == NULL)
    {
      gtk_label_set_label (self->name_label, "");
      gtk_label_set_label (self->details_label, "");
      return;
    }

  name = striae_patient_dup_full_name (self->patient);
  details = striae_patient_dup_birth_summary (self->patient);
  gtk_label_set_label (self->name_label, name);
  gtk_label_set_label (self->details_label, details);

  /* TRANSLATORS: what a screen reader says for a row of the patient list: name, date of birth */
  accessible = g_strdup_printf (_("%s, born %s"), name, details);

  striae_accessible_name_list_item (GTK_WIDGET (self), accessible,
                                    self->has_draft ? _("Has a consultation open as a draft")
                                                    : NULL);
}

static void
patient_notify_cb (StriaePatientRow *self)
{
  striae_patient_row_update (self);
}

static void
striae_patient_row_dispose (GObject *object)
{
  StriaePatientRow *self = (StriaePatientRow *)object;

  striae_patient_row_set_patient (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), STRIAE_TYPE_PATIENT_ROW);
  self->draft_tag = NULL;

  G_OBJECT_CLASS (striae_patient_row_parent_class)->dispose (object);
}

static void
striae_patient_row_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  StriaePatientRow *self = STRIAE_PATIENT_ROW (object);

  switch (prop_id)
    {
    case PROP_PATIENT:
      g_value_set_object (value, self->patient);
      break;
    case PROP_HAS_DRAFT:
      g_value_set_boolean (value, self->has_draft);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_patient_row_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  StriaePatientRow *self = STRIAE_PATIENT_ROW (object);

  switch (prop_id)
    {
    case PROP_PATIENT:
      striae_patient_row_set_patient (self, g_value_get_object (value));
      break;
    case PROP_HAS_DRAFT:
      striae_patient_row_set_has_draft (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_patient_row_class_init (StriaePatientRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = striae_patient_row_dispose;
  object_class->get_property = striae_patient_row_get_property;
  object_class->set_property = striae_patient_row_set_property;

  properties [PROP_PATIENT] =
    g_param_spec_object ("patient", NULL, NULL,
                         STRIAE_TYPE_PATIENT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_HAS_DRAFT] =
    g_param_spec_boolean ("has-draft", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  striae_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/striae/Striae/ui/striae-patient-row.ui");
  gtk_widget_class_bind_template_child (widget_class, StriaePatientRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, StriaePatientRow, details_label);
}

static void
striae_patient_row_init (StriaePatientRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
striae_patient_row_new (void)
{
  return g_object_new (STRIAE_TYPE_PATIENT_ROW, NULL);
}

StriaePatient *
striae_patient_row_get_patient (StriaePatientRow *self)
{
  g_return_val_if_fail (STRIAE_IS_PATIENT_ROW (self), NULL);
  return self->patient;
}

void
striae_patient_row_set_patient (StriaePatientRow *self,
                                StriaePatient    *patient)
{
  g_return_if_fail (STRIAE_IS_PATIENT_ROW (self));
  g_return_if_fail (patient == NULL || STRIAE_IS_PATIENT (patient));

  if (self->patient == patient)
    return;

  if (self->patient != NULL)
    g_clear_signal_handler (&self->notify_id, self->patient);
  g_set_object (&self->patient, patient);
  if (patient != NULL)
    self->notify_id = g_signal_connect_object (patient, "notify",
                                               G_CALLBACK (patient_notify_cb), self,
                                               G_CONNECT_SWAPPED);

  striae_patient_row_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PATIENT]);
}

gboolean
striae_patient_row_get_has_draft (StriaePatientRow *self)
{
  g_return_val_if_fail (STRIAE_IS_PATIENT_ROW (self), FALSE);
  return self->has_draft;
}

/* Shows the "Draft" tag: the patient has a consultation left unfinished. */
void
striae_patient_row_set_has_draft (StriaePatientRow *self,
                                  gboolean          has_draft)
{
  g_return_if_fail (STRIAE_IS_PATIENT_ROW (self));

  has_draft = !!has_draft;
  if (self->has_draft == has_draft)
    return;

  self->has_draft = has_draft;
  striae_patient_row_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_HAS_DRAFT]);
}
