/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "striae-wizard-answer.h"

struct _StriaeWizardAnswer
{
  GtkBox        parent_instance;

  GtkWidget    *buttons [3];  /* indexed by StriaeAnswer */
  StriaeAnswer  answer;
};

G_DEFINE_FINAL_TYPE (StriaeWizardAnswer, striae_wizard_answer, GTK_TYPE_BOX)

enum {
  PROP_0,
  PROP_ANSWER,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
toggled_cb (StriaeWizardAnswer *self,
            GtkToggleButton    *button)
{
  if (!gtk_toggle_button_get_active (button))
    return;

  for (guint i = 0; i < G_N_ELEMENTS (self->buttons); i++)
    if (self->buttons[i] == GTK_WIDGET (button))
      striae_wizard_answer_set_answer (self, i);
}

static void
striae_wizard_answer_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  StriaeWizardAnswer *self = STRIAE_WIZARD_ANSWER (object);

  switch (prop_id)
    {
    case PROP_ANSWER:
      g_value_set_int (value, self->answer);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_wizard_answer_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  StriaeWizardAnswer *self = STRIAE_WIZARD_ANSWER (object);

  switch (prop_id)
    {
    case PROP_ANSWER:
      striae_wizard_answer_set_answer (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_wizard_answer_class_init (StriaeWizardAnswerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = striae_wizard_answer_get_property;
  object_class->set_property = striae_wizard_answer_set_property;

  properties [PROP_ANSWER] =
    g_param_spec_int ("answer", NULL, NULL,
                      STRIAE_ANSWER_UNKNOWN, STRIAE_ANSWER_YES, STRIAE_ANSWER_UNKNOWN,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
striae_wizard_answer_init (StriaeWizardAnswer *self)
{
  /* Yes first: the answer that needs attention is the one the eye meets. */
  static const StriaeAnswer order[] = { STRIAE_ANSWER_YES, STRIAE_ANSWER_NO,
                                        STRIAE_ANSWER_UNKNOWN };
  const char *labels[] = { C_("answer", "Unknown"), _("No"), _("Yes") };
  GtkToggleButton *group = NULL;

  gtk_widget_set_valign (GTK_WIDGET (self), GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (GTK_WIDGET (self), "linked");

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      GtkWidget *button = gtk_toggle_button_new_with_label (labels[order[i]]);

      self->buttons[order[i]] = button;
      if (group != NULL)
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), group);
      else
        group = GTK_TOGGLE_BUTTON (button);
      g_signal_connect_swapped (button, "toggled", G_CALLBACK (toggled_cb), self);
      gtk_box_append (GTK_BOX (self), button);
    }

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->buttons[STRIAE_ANSWER_UNKNOWN]), TRUE);
}

GtkWidget *
striae_wizard_answer_new (void)
{
  return g_object_new (STRIAE_TYPE_WIZARD_ANSWER, NULL);
}

StriaeAnswer
striae_wizard_answer_get_answer (StriaeWizardAnswer *self)
{
  g_return_val_if_fail (STRIAE_IS_WIZARD_ANSWER (self), STRIAE_ANSWER_UNKNOWN);
  return self->answer;
}

void
striae_wizard_answer_set_answer (StriaeWizardAnswer *self,
                                 StriaeAnswer        answer)
{
  g_return_if_fail (STRIAE_IS_WIZARD_ANSWER (self));
  g_return_if_fail (answer <= STRIAE_ANSWER_YES);

  if (!gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->buttons[answer])))
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->buttons[answer]), TRUE);

  if (self->answer == answer)
    return;

  self->answer = answer;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ANSWER]);
}

GtkWidget *
striae_wizard_answer_get_button (StriaeWizardAnswer *self,
                                 StriaeAnswer        answer)
{
  g_return_val_if_fail (STRIAE_IS_WIZARD_ANSWER (self), NULL);
  g_return_val_if_fail (answer <= STRIAE_ANSWER_YES, NULL);
  return self->buttons[answer];
}

/* A row with the question as its title and the three buttons at its end; each button's
 * accessible description names the question, so a screen reader says which one it is. */
GtkWidget *
striae_wizard_answer_row_new (const char          *title,
                              StriaeWizardAnswer **answer)
{
  GtkWidget *row = adw_action_row_new ();
  StriaeWizardAnswer *buttons = STRIAE_WIZARD_ANSWER (striae_wizard_answer_new ());

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), GTK_WIDGET (buttons));
  for (guint i = 0; i < G_N_ELEMENTS (buttons->buttons); i++)
    gtk_accessible_update_property (GTK_ACCESSIBLE (buttons->buttons[i]),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, title,
                                    -1);
  if (answer != NULL)
    *answer = buttons;

  return row;
}
