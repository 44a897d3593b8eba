/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "striae-wizard-answer.h"

/* The buttons from left to right. */
static const StriaeAnswer order[] = { STRIAE_ANSWER_YES, STRIAE_ANSWER_NO,
                                      STRIAE_ANSWER_UNKNOWN };

/* Between the question and the buttons, beside (wide) or above them (narrow); the question
 * keeps at least this width beside the buttons, or goes above them. */
#define GAP        12
#define ROW_GAP    6
#define MIN_BESIDE 180

struct _StriaeWizardAnswer
{
  GtkWidget     parent_instance;

  GtkWidget    *label;        /* the question, or NULL */
  GtkWidget    *box;          /* the linked buttons */
  GtkWidget    *buttons [STRIAE_N_ANSWERS];  /* by StriaeAnswer; none for "not asked" */
  StriaeAnswer  answer;
  gunichar      initials [STRIAE_N_ANSWERS]; /* the translated labels' first letters, or 0 */
};

G_DEFINE_FINAL_TYPE (StriaeWizardAnswer, striae_wizard_answer, GTK_TYPE_WIDGET)

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

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    if (self->buttons[order[i]] == GTK_WIDGET (button))
      striae_wizard_answer_set_answer (self, order[i]);
}

/* One Tab stop per question: only the chosen button (the first one while the question is
 * not asked) takes focus from Tab; the arrows move between the answers (a roving tab stop,
 * as in a group of radio buttons). */
static void
update_tab_stop (StriaeWizardAnswer *self)
{
  GtkWidget *chosen = self->answer == STRIAE_ANSWER_NOT_ASKED ? self->buttons[order[0]]
                                                               : self->buttons[self->answer];
  gboolean had_focus = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    if (gtk_widget_has_focus (self->buttons[order[i]]))
      had_focus = TRUE;

  gtk_widget_set_focusable (chosen, TRUE);
  if (had_focus)
    gtk_widget_grab_focus (chosen);
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    if (self->buttons[order[i]] != chosen)
      gtk_widget_set_focusable (self->buttons[order[i]], FALSE);
}

static gunichar
base_letter (const char *label)
{
  gunichar c = g_utf8_get_char (label);
  gunichar decomposed [4];

  /* "Sí" gives S, "Évalué" E. */
  if (g_unichar_fully_decompose (c, FALSE, decomposed, G_N_ELEMENTS (decomposed)) > 0)
    c = decomposed [0];
  return g_unichar_isalpha (c) ? g_unichar_toupper (c) : 0;
}

/* Y, N and U always answer. The first letters of the translated labels answer too (J in
 * German, O and I in French, S and D in Spanish), but only when the three differ from one
 * another and none of them is Y, N or U for another answer: in a language where "No" and
 * "Unknown" begin alike, or "Unknown" begins with N, only Y, N and U work, so that a key
 * never gives an answer other than the one its letter stands for. */
static const gunichar latin[] = { 0, 'N', 'Y', 'U' };  /* indexed by StriaeAnswer */

static void
set_initials (StriaeWizardAnswer *self,
              const char * const *labels)
{
  gunichar initials [STRIAE_N_ANSWERS] = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      initials[order[i]] = base_letter (labels[order[i]]);
      if (initials[order[i]] == 0)
        return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    for (guint j = 0; j < G_N_ELEMENTS (order); j++)
      if (i != j && (initials[order[i]] == initials[order[j]] ||
                     initials[order[i]] == latin[order[j]]))
        return;

  memcpy (self->initials, initials, sizeof initials);
}

static gboolean
key_pressed_cb (StriaeWizardAnswer    *self,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                GtkEventControllerKey *controller)
{
  int step = 0;
  gunichar c;

  /* Shortcuts with Ctrl, Alt or Super belong to the window. */
  if (state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SUPER_MASK | GDK_META_MASK))
    return FALSE;

  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      step = -1;
      break;
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      step = 1;
      break;
    default:
      break;
    }

  if (step != 0)
    {
      guint n = G_N_ELEMENTS (order);
      guint pos = 0;

      if (gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL &&
          (keyval == GDK_KEY_Left || keyval == GDK_KEY_KP_Left ||
           keyval == GDK_KEY_Right || keyval == GDK_KEY_KP_Right))
        step = -step;
      /* From "not asked", the arrows start at one end. */
      if (self->answer == STRIAE_ANSWER_NOT_ASKED)
        pos = step > 0 ? n - 1 : 0;
      else
        while (order[pos] != self->answer)
          pos++;
      striae_wizard_answer_set_answer (self, order[(pos + n + step) % n]);
      gtk_widget_grab_focus (self->buttons[self->answer]);
      return TRUE;
    }

  c = g_unichar_toupper (gdk_keyval_to_unicode (keyval));
  if (c == 0)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      StriaeAnswer a = order[i];

      if (c == latin[a] || (self->initials[a] != 0 && c == self->initials[a]))
        {
          striae_wizard_answer_set_answer (self, a);
          gtk_widget_grab_focus (self->buttons[a]);
          return TRUE;
        }
    }

  return FALSE;
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

/* The width left to the question beside the buttons, and whether that is enough. */
static gboolean
is_wide (StriaeWizardAnswer *self,
         int                 width,
         int                *label_width)
{
  int box_nat, label_min, label_nat;

  gtk_widget_measure (self->box, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &box_nat, NULL, NULL);
  if (self->label == NULL)
    return TRUE;

  gtk_widget_measure (self->label, GTK_ORIENTATION_HORIZONTAL, -1, &label_min, &label_nat,
                      NULL, NULL);
  *label_width = MAX (width - box_nat - GAP, label_min);
  /* A long word (German has some) must fit beside the buttons too. */
  return width - box_nat - GAP >= MAX (MIN (label_nat, MIN_BESIDE), label_min);
}

static void
striae_wizard_answer_measure (GtkWidget      *widget,
                              GtkOrientation  orientation,
                              int             for_size,
                              int            *minimum,
                              int            *natural,
                              int            *minimum_baseline,
                              int            *natural_baseline)
{
  StriaeWizardAnswer *self = STRIAE_WIZARD_ANSWER (widget);
  int box_min, box_nat, label_min = 0, label_nat = 0;

  gtk_widget_measure (self->box, GTK_ORIENTATION_HORIZONTAL, -1, &box_min, &box_nat,
                      NULL, NULL);
  if (self->label != NULL)
    gtk_widget_measure (self->label, GTK_ORIENTATION_HORIZONTAL, -1, &label_min, &label_nat,
                        NULL, NULL);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = MAX (label_min, box_min);
      *natural = self->label != NULL ? label_nat + GAP + box_nat : box_nat;
    }
  else
    {
      int width = for_size >= 0 ? for_size : label_nat + GAP + box_nat;
      int height_min, height_nat, label_width = 0;

      gtk_widget_measure (self->box, GTK_ORIENTATION_VERTICAL, -1, &height_min, &height_nat,
                          NULL, NULL);
      *minimum = height_min;
      *natural = height_nat;
      if (self->label != NULL)
        {
          gboolean wide = is_wide (self, width, &label_width);
          int text_min, text_nat;

          gtk_widget_measure (self->label, GTK_ORIENTATION_VERTICAL,
                              wide ? label_width : MAX (width, label_min),
                              &text_min, &text_nat, NULL, NULL);
          *minimum = wide ? MAX (text_min, height_min) : text_min + ROW_GAP + height_min;
          *natural = wide ? MAX (text_nat, height_nat) : text_nat + ROW_GAP + height_nat;
        }
    }

  *minimum_baseline = *natural_baseline = -1;
}

static void
allocate_child (GtkWidget *parent,
                GtkWidget *child,
                int        x,
                int        y,
                int        width,
                int        height)
{
  int parent_width = gtk_widget_get_width (parent);

  if (gtk_widget_get_direction (parent) == GTK_TEXT_DIR_RTL)
    x = parent_width - x - width;
  gtk_widget_size_allocate (child, &(GtkAllocation) { x, y, width, height }, -1);
}

/* Wide: the question, then the buttons at the end, both centred. Narrow (at 360 px): the
 * question over the whole width, the buttons under it at the start. */
static void
striae_wizard_answer_size_allocate (GtkWidget *widget,
                                    int        width,
                                    int        height,
                                    int        baseline)
{
  StriaeWizardAnswer *self = STRIAE_WIZARD_ANSWER (widget);
  int box_nat, box_height, label_width = 0, label_height;

  gtk_widget_measure (self->box, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &box_nat, NULL, NULL);
  box_nat = MIN (box_nat, width);
  gtk_widget_measure (self->box, GTK_ORIENTATION_VERTICAL, box_nat, NULL, &box_height,
                      NULL, NULL);

  if (self->label == NULL)
    {
      allocate_child (widget, self->box, width - box_nat, (height - box_height) / 2, box_nat,
                      box_height);
      return;
    }

  if (is_wide (self, width, &label_width))
    {
      gtk_widget_measure (self->label, GTK_ORIENTATION_VERTICAL, label_width, NULL,
                          &label_height, NULL, NULL);
      label_height = MIN (label_height, height);
      allocate_child (widget, self->label, 0, (height - label_height) / 2, label_width,
                      label_height);
      allocate_child (widget, self->box, width - box_nat, (height - box_height) / 2, box_nat,
                      box_height);
    }
  else
    {
      gtk_widget_measure (self->label, GTK_ORIENTATION_VERTICAL, width, NULL, &label_height,
                          NULL, NULL);
      label_height = MIN (label_height, MAX (height - ROW_GAP - box_height, 0));
      allocate_child (widget, self->label, 0, 0, width, label_height);
      allocate_child (widget, self->box, 0, label_height + ROW_GAP, box_nat, box_height);
    }
}

static GtkSizeRequestMode
striae_wizard_answer_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
striae_wizard_answer_dispose (GObject *object)
{
  StriaeWizardAnswer *self = STRIAE_WIZARD_ANSWER (object);

  g_clear_pointer (&self->label, gtk_widget_unparent);
  g_clear_pointer (&self->box, gtk_widget_unparent);

  G_OBJECT_CLASS (striae_wizard_answer_parent_class)->dispose (object);
}

static void
striae_wizard_answer_class_init (StriaeWizardAnswerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = striae_wizard_answer_dispose;
  object_class->get_property = striae_wizard_answer_get_property;
  object_class->set_property = striae_wizard_answer_set_property;
  widget_class->measure = striae_wizard_answer_measure;
  widget_class->size_allocate = striae_wizard_answer_size_allocate;
  widget_class->get_request_mode = striae_wizard_answer_get_request_mode;

  /* A screen reader says the question (the group's name) and then the answer focused. */
  gtk_widget_class_set_accessible_role (GTK_WIDGET_CLASS (klass), GTK_ACCESSIBLE_ROLE_GROUP);

  properties [PROP_ANSWER] =
    g_param_spec_int ("answer", NULL, NULL,
                      STRIAE_ANSWER_NOT_ASKED, STRIAE_N_ANSWERS - 1, STRIAE_ANSWER_NOT_ASKED,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
striae_wizard_answer_init (StriaeWizardAnswer *self)
{
  /* Yes first: the answer that needs attention is the one the eye meets. */
  const char *labels[STRIAE_N_ANSWERS] = { NULL, _("No"), _("Yes"), C_("answer", "Unknown") };
  GtkToggleButton *group = NULL;
  GtkEventController *keys = gtk_event_controller_key_new ();

  self->box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_add_css_class (self->box, "linked");
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      GtkWidget *button = gtk_toggle_button_new_with_label (labels[order[i]]);

      self->buttons[order[i]] = button;
      if (group != NULL)
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), group);
      else
        group = GTK_TOGGLE_BUTTON (button);
      g_signal_connect_swapped (button, "toggled", G_CALLBACK (toggled_cb), self);
      gtk_box_append (GTK_BOX (self->box), button);
    }

  /* No button is pressed while the question is not asked. */
  update_tab_stop (self);

  set_initials (self, labels);
  g_signal_connect_swapped (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
}

GtkWidget *
striae_wizard_answer_new (void)
{
  return g_object_new (STRIAE_TYPE_WIZARD_ANSWER, NULL);
}

StriaeAnswer
striae_wizard_answer_get_answer (StriaeWizardAnswer *self)
{
  g_return_val_if_fail (STRIAE_IS_WIZARD_ANSWER (self), STRIAE_ANSWER_NOT_ASKED);
  return self->answer;
}

void
striae_wizard_answer_set_answer (StriaeWizardAnswer *self,
                                 StriaeAnswer        answer)
{
  g_return_if_fail (STRIAE_IS_WIZARD_ANSWER (self));
  g_return_if_fail (answer < STRIAE_N_ANSWERS);

  if (answer == STRIAE_ANSWER_NOT_ASKED)
    {
      for (guint i = 0; i < G_N_ELEMENTS (order); i++)
        gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->buttons[order[i]]), FALSE);
    }
  else if (!gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->buttons[answer])))
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->buttons[answer]), TRUE);

  if (self->answer == answer)
    return;

  self->answer = answer;
  update_tab_stop (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ANSWER]);
}

GtkWidget *
striae_wizard_answer_get_button (StriaeWizardAnswer *self,
                                 StriaeAnswer        answer)
{
  g_return_val_if_fail (STRIAE_IS_WIZARD_ANSWER (self), NULL);
  g_return_val_if_fail (answer < STRIAE_N_ANSWERS, NULL);
  return self->buttons[answer];  /* NULL for "not asked" */
}

/* A row with the question and the three buttons, beside them or, when narrow, above them;
 * the row and the group of buttons are named after the question and each button's
 * accessible description names it too, so a screen reader says which one it is. */
GtkWidget *
striae_wizard_answer_row_new (const char          *title,
                              StriaeWizardAnswer **answer)
{
  GtkWidget *row = adw_preferences_row_new ();
  StriaeWizardAnswer *buttons = STRIAE_WIZARD_ANSWER (striae_wizard_answer_new ());
  GtkWidget *label = gtk_label_new (title);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  /* Tab goes straight to the chosen answer: the row is no stop of its own. */
  gtk_widget_set_focusable (row, FALSE);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_widget_add_css_class (label, "title");
  buttons->label = label;
  gtk_widget_insert_after (label, GTK_WIDGET (buttons), NULL);

  gtk_widget_set_margin_start (GTK_WIDGET (buttons), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (buttons), 12);
  gtk_widget_set_margin_top (GTK_WIDGET (buttons), 8);
  gtk_widget_set_margin_bottom (GTK_WIDGET (buttons), 8);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), GTK_WIDGET (buttons));

  gtk_accessible_update_relation (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL,
                                  -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (buttons),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  -1);
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    gtk_accessible_update_property (GTK_ACCESSIBLE (buttons->buttons[order[i]]),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, title,
                                    -1);
  if (answer != NULL)
    *answer = buttons;

  return row;
}
