/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "striae-wizard-page.h"

typedef struct
{
  StriaeConsultationSession *session;
} StriaeWizardPagePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (StriaeWizardPage, striae_wizard_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

/* The session opened a consultation (another, or the same again): the page shows it as it
 * is. Closing leaves the page as it was. */
static void
session_consultation_cb (StriaeWizardPage *self)
{
  StriaeWizardPagePrivate *priv = striae_wizard_page_get_instance_private (self);
  StriaeConsultation *consultation = striae_consultation_session_get_consultation (priv->session);

  if (consultation != NULL && STRIAE_WIZARD_PAGE_GET_CLASS (self)->load_consultation != NULL)
    STRIAE_WIZARD_PAGE_GET_CLASS (self)->load_consultation (self, consultation);
}

static void
striae_wizard_page_constructed (GObject *object)
{
  StriaeWizardPage *self = (StriaeWizardPage *)object;
  StriaeWizardPagePrivate *priv = striae_wizard_page_get_instance_private (self);

  G_OBJECT_CLASS (striae_wizard_page_parent_class)->constructed (object);

  /* A page built on its own (without the wizard) shows an empty session of its own. */
  if (priv->session == NULL)
    priv->session = striae_consultation_session_new ();
  g_signal_connect_object (priv->session, "notify::consultation",
                           G_CALLBACK (session_consultation_cb), self, G_CONNECT_SWAPPED);
  session_consultation_cb (self);
}

static void
striae_wizard_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  StriaeWizardPage *self = STRIAE_WIZARD_PAGE (object);
  StriaeWizardPagePrivate *priv = striae_wizard_page_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, priv->session);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_wizard_page_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  StriaeWizardPage *self = STRIAE_WIZARD_PAGE (object);
  StriaeWizardPagePrivate *priv = striae_wizard_page_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_SESSION:
      priv->session = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_wizard_page_dispose (GObject *object)
{
  StriaeWizardPage *self = (StriaeWizardPage *)object;
  StriaeWizardPagePrivate *priv = striae_wizard_page_get_instance_private (self);

  g_clear_object (&priv->session);

  G_OBJECT_CLASS (striae_wizard_page_parent_class)->dispose (object);
}

static void
striae_wizard_page_class_init (StriaeWizardPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = striae_wizard_page_constructed;
  object_class->dispose = striae_wizard_page_dispose;
  object_class->get_property = striae_wizard_page_get_property;
  object_class->set_property = striae_wizard_page_set_property;

  /* The consultation the page shows and writes into. */
  properties [PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, STRIAE_TYPE_CONSULTATION_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
striae_wizard_page_init (StriaeWizardPage *self)
{
}

/**
 * striae_wizard_page_get_session:
 *
 * Returns: (transfer none): the session whose consultation the page shows
 */
StriaeConsultationSession *
striae_wizard_page_get_session (StriaeWizardPage *self)
{
  StriaeWizardPagePrivate *priv;

  g_return_val_if_fail (STRIAE_IS_WIZARD_PAGE (self), NULL);

  priv = striae_wizard_page_get_instance_private (self);
  return priv->session;
}
