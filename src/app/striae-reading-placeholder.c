/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What a page shows while its rows are read in a worker thread: a spinner and a sentence,
 * shown only once the read has taken longer than the eye notices, so that a quick read does
 * not flicker. The page says when it reads ("active"); the placeholder does the waiting.
 */
#include "config.h"

#include "striae-app-private.h"
#include "striae-reading-placeholder.h"

/* A read quicker than this shows nothing: the spinner would only flicker. */
#define SHOW_DELAY_MS 300

struct _StriaeReadingPlaceholder
{
  AdwBin       parent_instance;

  GtkRevealer *revealer;
  GtkSpinner  *spinner;
  GtkLabel    *label;

  gboolean     active;
  guint        show_id;
};

G_DEFINE_FINAL_TYPE (StriaeReadingPlaceholder, striae_reading_placeholder, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_LABEL,
  PROP_ACTIVE,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
striae_reading_placeholder_dispose (GObject *object)
{
  StriaeReadingPlaceholder *self = (StriaeReadingPlaceholder *)object;

  g_clear_handle_id (&self->show_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), STRIAE_TYPE_READING_PLACEHOLDER);

  G_OBJECT_CLASS (striae_reading_placeholder_parent_class)->dispose (object);
}

static void
striae_reading_placeholder_get_property (GObject    *object,
                                         guint       prop_id,
                                         GValue     *value,
                                         GParamSpec *pspec)
{
  StriaeReadingPlaceholder *self = STRIAE_READING_PLACEHOLDER (object);

  switch (prop_id)
    {
    case PROP_LABEL:
      g_value_set_string (value, striae_reading_placeholder_get_label (self));
      break;
    case PROP_ACTIVE:
      g_value_set_boolean (value, self->active);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_reading_placeholder_set_property (GObject      *object,
                                         guint         prop_id,
                                         const GValue *value,
                                         GParamSpec   *pspec)
{
  StriaeReadingPlaceholder *self = STRIAE_READING_PLACEHOLDER (object);

  switch (prop_id)
    {
    case PROP_LABEL:
      striae_reading_placeholder_set_label (self, g_value_get_string (value));
      break;
    case PROP_ACTIVE:
      striae_reading_placeholder_set_active (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_reading_placeholder_class_init (StriaeReadingPlaceholderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = striae_reading_placeholder_dispose;
  object_class->get_property = striae_reading_placeholder_get_property;
  object_class->set_property = striae_reading_placeholder_set_property;

  /* The sentence under the spinner: what is being read. */
  properties [PROP_LABEL] =
    g_param_spec_string ("label", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));
  /* Whether a read is under way: the spinner turns, and shows after its delay. */
  properties [PROP_ACTIVE] =
    g_param_spec_boolean ("active", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  striae_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/striae/Striae/ui/striae-reading-placeholder.ui");
  gtk_widget_class_bind_template_child (widget_class, StriaeReadingPlaceholder, spinner);
  gtk_widget_class_bind_template_child (widget_class, StriaeReadingPlaceholder, label);
}

static void
striae_reading_placeholder_init (StriaeReadingPlaceholder *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The bin's own child, which the bin unparents: not a template child of its own. */
  self->revealer = GTK_REVEALER (adw_bin_get_child (ADW_BIN (self)));
  g_object_bind_property (self, "active", self->spinner, "spinning", G_BINDING_SYNC_CREATE);
}

GtkWidget *
striae_reading_placeholder_new (void)
{
  return g_object_new (STRIAE_TYPE_READING_PLACEHOLDER, NULL);
}

const char *
striae_reading_placeholder_get_label (StriaeReadingPlaceholder *self)
{
  g_return_val_if_fail (STRIAE_IS_READING_PLACEHOLDER (self), NULL);
  return gtk_label_get_label (self->label);
}

void
striae_reading_placeholder_set_label (StriaeReadingPlaceholder *self,
                                      const char               *label)
{
  g_return_if_fail (STRIAE_IS_READING_PLACEHOLDER (self));

  if (g_strcmp0 (gtk_label_get_label (self->label), label) == 0)
    return;
  gtk_label_set_label (self->label, label != NULL ? label : "");
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_LABEL]);
}

gboolean
striae_reading_placeholder_get_active (StriaeReadingPlaceholder *self)
{
  g_return_val_if_fail (STRIAE_IS_READING_PLACEHOLDER (self), FALSE);
  return self->active;
}

static gboolean
show_cb (gpointer user_data)
{
  StriaeReadingPlaceholder *self = user_data;

  self->show_id = 0;
  gtk_revealer_set_reveal_child (self->revealer, TRUE);
  return G_SOURCE_REMOVE;
}

/**
 * striae_reading_placeholder_set_active:
 * @active: whether a read is under way
 *
 * A read that begins shows the spinner and its sentence once it has lasted SHOW_DELAY_MS; a
 * read that ends hides them at once.
 */
void
striae_reading_placeholder_set_active (StriaeReadingPlaceholder *self,
                                       gboolean                  active)
{
  g_return_if_fail (STRIAE_IS_READING_PLACEHOLDER (self));

  active = !!active;
  if (self->active == active)
    return;
  self->active = active;
  g_clear_handle_id (&self->show_id, g_source_remove);
  gtk_revealer_set_reveal_child (self->revealer, FALSE);
  if (active)
    self->show_id = g_timeout_add (SHOW_DELAY_MS, show_cb, self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ACTIVE]);
}

/**
 * striae_reading_placeholder_get_shown:
 *
 * Returns: whether the spinner and its sentence are shown (a read has lasted its delay)
 */
gboolean
striae_reading_placeholder_get_shown (StriaeReadingPlaceholder *self)
{
  g_return_val_if_fail (STRIAE_IS_READING_PLACEHOLDER (self), FALSE);
  return gtk_revealer_get_reveal_child (self->revealer);
}
