/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "striae-clinic.h"
#include "striae-core-error.h"

/* What is the same on every PC of a clinic: its identity on the sheets and the people who
 * treat there. On a single PC the application keeps these in GSettings; on a clinic server
 * the records keep them (striae_store_load_clinic()), so this object carries no file path:
 * the logo is the PNG's bytes. */
struct _StriaeClinic
{
  GObject  parent_instance;

  char    *name;
  char    *address;
  char    *phone;
  char    *email;
  GBytes  *logo;
  GStrv    practitioners;
  guint    lock_minutes;
  gboolean typed_signature;
};

G_DEFINE_FINAL_TYPE (StriaeClinic, striae_clinic, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_ADDRESS,
  PROP_PHONE,
  PROP_EMAIL,
  PROP_LOGO,
  PROP_PRACTITIONERS,
  PROP_LOCK_MINUTES,
  PROP_TYPED_SIGNATURE,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
striae_clinic_finalize (GObject *object)
{
  StriaeClinic *self = STRIAE_CLINIC (object);

  g_free (self->name);
  g_free (self->address);
  g_free (self->phone);
  g_free (self->email);
  g_clear_pointer (&self->logo, g_bytes_unref);
  g_strfreev (self->practitioners);

  G_OBJECT_CLASS (striae_clinic_parent_class)->finalize (object);
}

static void
striae_clinic_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  StriaeClinic *self = STRIAE_CLINIC (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_ADDRESS:
      g_value_set_string (value, self->address);
      break;
    case PROP_PHONE:
      g_value_set_string (value, self->phone);
      break;
    case PROP_EMAIL:
      g_value_set_string (value, self->email);
      break;
    case PROP_LOGO:
      g_value_set_boxed (value, self->logo);
      break;
    case PROP_PRACTITIONERS:
      g_value_set_boxed (value, self->practitioners);
      break;
    case PROP_LOCK_MINUTES:
      g_value_set_uint (value, self->lock_minutes);
      break;
    case PROP_TYPED_SIGNATURE:
      g_value_set_boolean (value, self->typed_signature);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_clinic_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  StriaeClinic *self = STRIAE_CLINIC (object);

  switch (prop_id)
    {
    case PROP_NAME:
      striae_clinic_set_name (self, g_value_get_string (value));
      break;
    case PROP_ADDRESS:
      striae_clinic_set_address (self, g_value_get_string (value));
      break;
    case PROP_PHONE:
      striae_clinic_set_phone (self, g_value_get_string (value));
      break;
    case PROP_EMAIL:
      striae_clinic_set_email (self, g_value_get_string (value));
      break;
    case PROP_LOGO:
      striae_clinic_set_logo (self, g_value_get_boxed (value));
      break;
    case PROP_PRACTITIONERS:
      striae_clinic_set_practitioners (self, g_value_get_boxed (value));
      break;
    case PROP_LOCK_MINUTES:
      striae_clinic_set_lock_minutes (self, g_value_get_uint (value));
      break;
    case PROP_TYPED_SIGNATURE:
      striae_clinic_set_typed_signature (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
text_property (const char *name)
{
  return g_param_spec_string (name, NULL, NULL, "",
                              G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                              G_PARAM_STATIC_STRINGS);
}

static void
striae_clinic_class_init (StriaeClinicClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = striae_clinic_finalize;
  object_class->get_property = striae_clinic_get_property;
  object_class->set_property = striae_clinic_set_property;

  properties[PROP_NAME] = text_property ("name");
  properties[PROP_ADDRESS] = text_property ("address");
  properties[PROP_PHONE] = text_property ("phone");
  properties[PROP_EMAIL] = text_property ("email");
  properties[PROP_LOGO] =
    g_param_spec_boxed ("logo", NULL, NULL, G_TYPE_BYTES,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PRACTITIONERS] =
    g_param_spec_boxed ("practitioners", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The idle minutes after which every window of every PC of the clinic locks. */
  properties[PROP_LOCK_MINUTES] =
    g_param_spec_uint ("lock-minutes", NULL, NULL,
                       STRIAE_CLINIC_LOCK_MINUTES_MIN, STRIAE_CLINIC_LOCK_MINUTES_MAX,
                       STRIAE_CLINIC_LOCK_MINUTES_DEFAULT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Whether the consent signed on the screen may be signed by typing one's full name
   * instead of drawing (issue 18): the clinic's choice, off unless it makes it. */
  properties[PROP_TYPED_SIGNATURE] =
    g_param_spec_boolean ("typed-signature", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
striae_clinic_init (StriaeClinic *self)
{
  self->name = g_strdup ("");
  self->address = g_strdup ("");
  self->phone = g_strdup ("");
  self->email = g_strdup ("");
  self->practitioners = g_new0 (char *, 1);
  self->lock_minutes = STRIAE_CLINIC_LOCK_MINUTES_DEFAULT;
}

StriaeClinic *
striae_clinic_new (void)
{
  return g_object_new (STRIAE_TYPE_CLINIC, NULL);
}

/**
 * striae_clinic_copy:
 *
 * Returns: (transfer full): a new clinic with the same values
 */
StriaeClinic *
striae_clinic_copy (StriaeClinic *self)
{
  g_return_val_if_fail (STRIAE_IS_CLINIC (self), NULL);

  return g_object_new (STRIAE_TYPE_CLINIC,
                       "name", self->name,
                       "address", self->address,
                       "phone", self->phone,
                       "email", self->email,
                       "logo", self->logo,
                       "practitioners", self->practitioners,
                       "lock-minutes", self->lock_minutes,
                       "typed-signature", self->typed_signature,
                       NULL);
}

/* A NULL text is kept as "", so that bound entries never see NULL. */
static void
set_text (StriaeClinic  *self,
          char         **field,
          const char    *value,
          guint          prop)
{
  if (value == NULL)
    value = "";
  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

const char *
striae_clinic_get_name (StriaeClinic *self)
{
  g_return_val_if_fail (STRIAE_IS_CLINIC (self), NULL);
  return self->name;
}

void
striae_clinic_set_name (StriaeClinic *self,
                        const char   *name)
{
  g_return_if_fail (STRIAE_IS_CLINIC (self));
  set_text (self, &self->name, name, PROP_NAME);
}

const char *
striae_clinic_get_address (StriaeClinic *self)
{
  g_return_val_if_fail (STRIAE_IS_CLINIC (self), NULL);
  return self->address;
}

void
striae_clinic_set_address (StriaeClinic *self,
                           const char   *address)
{
  g_return_if_fail (STRIAE_IS_CLINIC (self));
  set_text (self, &self->address, address, PROP_ADDRESS);
}

const char *
striae_clinic_get_phone (StriaeClinic *self)
{
  g_return_val_if_fail (STRIAE_IS_CLINIC (self), NULL);
  return self->phone;
}

void
striae_clinic_set_phone (StriaeClinic *self,
                         const char   *phone)
{
  g_return_if_fail (STRIAE_IS_CLINIC (self));
  set_text (self, &self->phone, phone, PROP_PHONE);
}

const char *
striae_clinic_get_email (StriaeClinic *self)
{
  g_return_val_if_fail (STRIAE_IS_CLINIC (self), NULL);
  return self->email;
}

void
striae_clinic_set_email (StriaeClinic *self,
                         const char   *email)
{
  g_return_if_fail (STRIAE_IS_CLINIC (self));
  set_text (self, &self->email, email, PROP_EMAIL);
}

/**
 * striae_clinic_get_logo:
 *
 * Returns: (transfer none) (nullable): the logo's PNG bytes, or %NULL when there is none
 */
GBytes *
striae_clinic_get_logo (StriaeClinic *self)
{
  g_return_val_if_fail (STRIAE_IS_CLINIC (self), NULL);
  return self->logo;
}

/**
 * striae_clinic_set_logo:
 * @logo: (nullable): PNG bytes (see striae_clinic_check_logo()), or %NULL for none
 */
void
striae_clinic_set_logo (StriaeClinic *self,
                        GBytes       *logo)
{
  g_return_if_fail (STRIAE_IS_CLINIC (self));

  if (logo != NULL && g_bytes_get_size (logo) == 0)
    logo = NULL;
  if (logo == self->logo ||
      (logo != NULL && self->logo != NULL && g_bytes_equal (logo, self->logo)))
    return;

  g_clear_pointer (&self->logo, g_bytes_unref);
  if (logo != NULL)
    self->logo = g_bytes_ref (logo);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOGO]);
}

/**
 * striae_clinic_get_practitioners:
 *
 * Returns: (transfer none): the names of the clinic's practitioners, in the clinic's order
 */
const char * const *
striae_clinic_get_practitioners (StriaeClinic *self)
{
  g_return_val_if_fail (STRIAE_IS_CLINIC (self), NULL);
  return (const char * const *) self->practitioners;
}

void
striae_clinic_set_practitioners (StriaeClinic       *self,
                                 const char * const *practitioners)
{
  static const char * const none[] = { NULL };

  g_return_if_fail (STRIAE_IS_CLINIC (self));

  if (practitioners == NULL)
    practitioners = none;
  if (g_strv_equal ((const char * const *) self->practitioners, practitioners))
    return;

  g_strfreev (self->practitioners);
  self->practitioners = g_strdupv ((char **) practitioners);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRACTITIONERS]);
}

/**
 * striae_clinic_check_logo:
 * @logo: the bytes of a file chosen as the clinic's logo
 *
 * Checks that @logo is a PNG image small enough to keep in the records.
 */
gboolean
striae_clinic_check_logo (GBytes  *logo,
                          GError **error)
{
  static const guint8 png_signature[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  gsize size;
  const guint8 *data;

  g_return_val_if_fail (logo != NULL, FALSE);

  data = g_bytes_get_data (logo, &size);
  if (size < sizeof png_signature || memcmp (data, png_signature, sizeof png_signature) != 0)
    {
      g_set_error_literal (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
                           _("The clinic’s logo is not a PNG image: choose a PNG file."));
      return FALSE;
    }
  if (size > STRIAE_CLINIC_LOGO_MAX_SIZE)
    {
      g_set_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
                   _("The clinic’s logo is larger than %u KB: choose a smaller PNG file."),
                   (guint) (STRIAE_CLINIC_LOGO_MAX_SIZE / 1024));
      return FALSE;
    }

  return TRUE;
}

guint
striae_clinic_get_lock_minutes (StriaeClinic *self)
{
  g_return_val_if_fail (STRIAE_IS_CLINIC (self), STRIAE_CLINIC_LOCK_MINUTES_DEFAULT);

  return self->lock_minutes;
}

void
striae_clinic_set_lock_minutes (StriaeClinic *self,
                                guint         minutes)
{
  g_return_if_fail (STRIAE_IS_CLINIC (self));
  g_return_if_fail (minutes >= STRIAE_CLINIC_LOCK_MINUTES_MIN &&
                    minutes <= STRIAE_CLINIC_LOCK_MINUTES_MAX);

  if (self->lock_minutes == minutes)
    return;
  self->lock_minutes = minutes;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCK_MINUTES]);
}

gboolean
striae_clinic_get_typed_signature (StriaeClinic *self)
{
  g_return_val_if_fail (STRIAE_IS_CLINIC (self), FALSE);

  return self->typed_signature;
}

void
striae_clinic_set_typed_signature (StriaeClinic *self,
                                   gboolean      allowed)
{
  g_return_if_fail (STRIAE_IS_CLINIC (self));

  allowed = !!allowed;
  if (self->typed_signature == allowed)
    return;
  self->typed_signature = allowed;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TYPED_SIGNATURE]);
}
