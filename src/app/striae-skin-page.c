/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "striae-app-private.h"
#include "striae-choice-row.h"
#include "striae-findings-group.h"
#include "striae-skin-page-private.h"

struct _StriaeSkinPage
{
  StriaeWizardPage     parent_instance;

  AdwPreferencesGroup *fitzpatrick_group;
  GtkLabel            *fitzpatrick_missing;
  AdwPreferencesGroup *facts_group;
  GtkLabel            *facts_missing;
  AdwEntryRow         *products_row;
  StriaeFindingsGroup *findings_group;

  GtkCheckButton      *types [STRIAE_FITZPATRICK_MAX + 1];
  StriaeWizardAnswer  *facts [STRIAE_N_SKIN_FACTS];
  StriaeConsultation  *consultation;
  gboolean             loading;
};

G_DEFINE_FINAL_TYPE (StriaeSkinPage, striae_skin_page, STRIAE_TYPE_WIZARD_PAGE)

static void load_consultation (StriaeWizardPage   *page,
                               StriaeConsultation *consultation);

static StriaeConsultationSession *
get_session (StriaeSkinPage *self)
{
  return striae_wizard_page_get_session (STRIAE_WIZARD_PAGE (self));
}


static void
update_missing (StriaeSkinPage *self)
{
  StriaeConsultationSession *session = get_session (self);
  StriaeScreening *screening = striae_consultation_session_get_screening (session);
  guint unknown = striae_consultation_session_get_skin_missing (session);
  gboolean type_missing;
  g_autofree char *text = NULL;

  if (self->consultation == NULL || screening == NULL)
    return;

  /* The skin's missing answers, as the session (and the wizard's banner) counts them: the
   * type, and the yes/no questions. */
  type_missing = striae_screening_is_missing (screening, STRIAE_CHECK_FITZPATRICK);
  gtk_widget_set_visible (GTK_WIDGET (self->fitzpatrick_missing), type_missing);
  unknown -= type_missing ? 1 : 0;
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u question is not answered yet.",
                                       "%u questions are not answered yet.", unknown),
                          unknown);
  gtk_label_set_label (self->facts_missing, text);
  gtk_widget_set_visible (GTK_WIDGET (self->facts_missing), unknown > 0);
}

/* The Fitzpatrick type @check stands for. */
static guint
find_type (StriaeSkinPage *self,
           GtkCheckButton *check)
{
  for (guint t = 1; t <= STRIAE_FITZPATRICK_MAX; t++)
    if (self->types[t] == check)
      return t;
  g_assert_not_reached ();
}

/* The skin fact @answer is the answer to. */
static StriaeSkinFact
find_fact (StriaeSkinPage     *self,
           StriaeWizardAnswer *answer)
{
  for (StriaeSkinFact f = 0; f < STRIAE_N_SKIN_FACTS; f++)
    if (self->facts[f] == answer)
      return f;
  g_assert_not_reached ();
}

static void
type_toggled_cb (GtkCheckButton *check,
                 StriaeSkinPage *self)
{
  if (self->loading || self->consultation == NULL || !gtk_check_button_get_active (check))
    return;

  striae_skin_set_fitzpatrick (striae_consultation_get_skin (self->consultation),
                               find_type (self, check));
}

static void
fact_changed_cb (StriaeWizardAnswer *answer,
                 GParamSpec         *pspec,
                 StriaeSkinPage     *self)
{
  if (self->loading || self->consultation == NULL)
    return;

  striae_skin_set_fact (striae_consultation_get_skin (self->consultation),
                        find_fact (self, answer),
                        striae_wizard_answer_get_answer (answer));
}

static void
products_changed_cb (StriaeSkinPage *self)
{
  if (self->loading || self->consultation == NULL)
    return;

  striae_skin_set_products (striae_consultation_get_skin (self->consultation),
                            gtk_editable_get_text (GTK_EDITABLE (self->products_row)));
}

static void
build_rows (StriaeSkinPage *self)
{
  GtkCheckButton *group = NULL;

  /* The types are one stop for Tab, with the arrows between them (StriaeChoiceRow). */
  for (guint type = 1; type <= STRIAE_FITZPATRICK_MAX; type++)
    {
      /* TRANSLATORS: a Fitzpatrick skin type; %s is a Roman numeral from I to VI */
      g_autofree char *title = g_strdup_printf (_("Type %s"),
                                                striae_fitzpatrick_get_numeral (type));
      GtkWidget *row = striae_choice_row_new (title);
      GtkCheckButton *check = striae_choice_row_get_check (STRIAE_CHOICE_ROW (row));

      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   striae_fitzpatrick_get_description (type));
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      if (group != NULL)
        gtk_check_button_set_group (check, group);
      else
        group = check;
      g_signal_connect (check, "toggled", G_CALLBACK (type_toggled_cb), self);
      adw_preferences_group_add (self->fitzpatrick_group, row);
      self->types[type] = check;
    }

  for (StriaeSkinFact f = 0; f < STRIAE_N_SKIN_FACTS; f++)
    {
      GtkWidget *row = striae_wizard_answer_row_new (striae_skin_fact_get_label (f),
                                                     &self->facts[f]);

      g_signal_connect (self->facts[f], "notify::answer", G_CALLBACK (fact_changed_cb), self);
      adw_preferences_group_add (self->facts_group, row);
    }
}

static void
striae_skin_page_constructed (GObject *object)
{
  StriaeSkinPage *self = (StriaeSkinPage *)object;

  G_OBJECT_CLASS (striae_skin_page_parent_class)->constructed (object);

  g_signal_connect_object (get_session (self), "notify::screening",
                           G_CALLBACK (update_missing), self, G_CONNECT_SWAPPED);
  striae_findings_group_set_session (self->findings_group, get_session (self));
  update_missing (self);
}

static void
striae_skin_page_dispose (GObject *object)
{
  StriaeSkinPage *self = (StriaeSkinPage *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), STRIAE_TYPE_SKIN_PAGE);
  g_clear_object (&self->consultation);

  G_OBJECT_CLASS (striae_skin_page_parent_class)->dispose (object);
}

static void
striae_skin_page_class_init (StriaeSkinPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  StriaeWizardPageClass *page_class = STRIAE_WIZARD_PAGE_CLASS (klass);

  object_class->constructed = striae_skin_page_constructed;
  object_class->dispose = striae_skin_page_dispose;

  page_class->load_consultation = load_consultation;

  g_type_ensure (STRIAE_TYPE_FINDINGS_GROUP);
  striae_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/striae/Striae/ui/"
                                               "striae-skin-page.ui");
  gtk_widget_class_bind_template_child (widget_class, StriaeSkinPage, findings_group);
  gtk_widget_class_bind_template_child (widget_class, StriaeSkinPage, fitzpatrick_group);
  gtk_widget_class_bind_template_child (widget_class, StriaeSkinPage, fitzpatrick_missing);
  gtk_widget_class_bind_template_child (widget_class, StriaeSkinPage, facts_group);
  gtk_widget_class_bind_template_child (widget_class, StriaeSkinPage, facts_missing);
  gtk_widget_class_bind_template_child (widget_class, StriaeSkinPage, products_row);
  gtk_widget_class_bind_template_callback (widget_class, products_changed_cb);
}

static void
striae_skin_page_init (StriaeSkinPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  build_rows (self);
}

static void
load_consultation (StriaeWizardPage   *page,
                   StriaeConsultation *consultation)
{
  StriaeSkinPage *self = STRIAE_SKIN_PAGE (page);
  StriaeSkin *skin;
  guint type;

  g_set_object (&self->consultation, consultation);
  skin = striae_consultation_get_skin (consultation);

  self->loading = TRUE;
  type = striae_skin_get_fitzpatrick (skin);
  for (guint t = 1; t <= STRIAE_FITZPATRICK_MAX; t++)
    gtk_check_button_set_active (self->types[t], t == type);
  for (StriaeSkinFact f = 0; f < STRIAE_N_SKIN_FACTS; f++)
    striae_wizard_answer_set_answer (self->facts[f], striae_skin_get_fact (skin, f));
  gtk_editable_set_text (GTK_EDITABLE (self->products_row),
                         striae_skin_get_products (skin) != NULL
                         ? striae_skin_get_products (skin) : "");
  self->loading = FALSE;

  update_missing (self);
}

GtkCheckButton *
striae_skin_page_get_fitzpatrick (StriaeSkinPage *self,
                                  guint           type)
{
  g_return_val_if_fail (STRIAE_IS_SKIN_PAGE (self), NULL);
  g_return_val_if_fail (type >= 1 && type <= STRIAE_FITZPATRICK_MAX, NULL);
  return self->types[type];
}

StriaeWizardAnswer *
striae_skin_page_get_fact (StriaeSkinPage *self,
                           StriaeSkinFact  fact)
{
  g_return_val_if_fail (STRIAE_IS_SKIN_PAGE (self), NULL);
  g_return_val_if_fail (fact < STRIAE_N_SKIN_FACTS, NULL);
  return self->facts[fact];
}

/* Returns: (transfer none) (nullable): the "Acknowledged" check of the skin's relative
 *   finding @finding_id, or %NULL when there is no such finding */
GtkWidget *
striae_skin_page_get_acknowledge (StriaeSkinPage *self,
                                  const char     *finding_id)
{
  g_return_val_if_fail (STRIAE_IS_SKIN_PAGE (self), NULL);
  return striae_findings_group_get_acknowledge (self->findings_group, finding_id);
}
