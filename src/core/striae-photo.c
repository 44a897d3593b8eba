/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "striae-core-enums.h"
#include "striae-core-private.h"
#include "striae-photo.h"

/* A photo's record (issue 18): what the records keep beside its pixels. The store fills it;
 * the image and its thumbnail are read apart, so that a list of 500 photos holds no pixel. */
struct _StriaePhoto
{
  GObject            parent_instance;

  gint64             id;
  gint64             patient_id;
  gint64             consultation_id;
  gint64             treatment_session_id;
  guint              session_number;
  StriaeBodySite     site;
  StriaeSide         side;
  StriaePhotoMoment  moment;
  GDate              date;
  double             depth_mm;
  guint              width;
  guint              height;
  char              *sha256;
  GDateTime         *added;
  char              *added_by;
};

G_DEFINE_FINAL_TYPE (StriaePhoto, striae_photo, G_TYPE_OBJECT)

/* Read-only properties, for list items and expressions to bind to; the store sets them. */
enum {
  PROP_0,
  PROP_ID,
  PROP_PATIENT_ID,
  PROP_CONSULTATION_ID,
  PROP_TREATMENT_SESSION_ID,
  PROP_SESSION_NUMBER,
  PROP_SITE,
  PROP_SIDE,
  PROP_MOMENT,
  PROP_DEPTH_MM,
  PROP_WIDTH,
  PROP_HEIGHT,
  PROP_SHA256,
  PROP_ADDED,
  PROP_ADDED_BY,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

const char *
striae_photo_moment_to_string (StriaePhotoMoment moment)
{
  return striae_core_enum_to_nick (STRIAE_TYPE_PHOTO_MOMENT, moment);
}

gboolean
striae_photo_moment_from_string (const char        *text,
                                 StriaePhotoMoment *moment)
{
  int value;

  g_return_val_if_fail (moment != NULL, FALSE);

  if (text == NULL || !striae_core_enum_from_nick (STRIAE_TYPE_PHOTO_MOMENT, text, &value))
    return FALSE;
  *moment = value;
  return TRUE;
}

const char *
striae_photo_moment_get_label (StriaePhotoMoment moment)
{
  static const char *labels[] = {
    NC_("photo moment", "Consultation"),
    NC_("photo moment", "Before"),
    NC_("photo moment", "After"),
  };

  g_return_val_if_fail (moment <= STRIAE_PHOTO_MOMENT_AFTER, NULL);
  return g_dpgettext2 (NULL, "photo moment", labels[moment]);
}

/* The nicks of the consent's scope are "none", "clinical" and "teaching". */
const char *
striae_photo_consent_scope_to_string (StriaePhotoConsentScope scope)
{
  return striae_core_enum_to_nick (STRIAE_TYPE_PHOTO_CONSENT_SCOPE, scope);
}

gboolean
striae_photo_consent_scope_from_string (const char              *text,
                                        StriaePhotoConsentScope *scope)
{
  int value;

  g_return_val_if_fail (scope != NULL, FALSE);

  if (text == NULL ||
      !striae_core_enum_from_nick (STRIAE_TYPE_PHOTO_CONSENT_SCOPE, text, &value))
    return FALSE;
  *scope = value;
  return TRUE;
}

const char *
striae_photo_consent_scope_get_label (StriaePhotoConsentScope scope)
{
  static const char *labels[] = {
    N_("No photo consent"),
    N_("Clinical record only"),
    N_("Clinical record, teaching and publication"),
  };

  g_return_val_if_fail (scope <= STRIAE_PHOTO_CONSENT_TEACHING, NULL);
  return _(labels[scope]);
}

static void
striae_photo_finalize (GObject *object)
{
  StriaePhoto *self = STRIAE_PHOTO (object);

  g_clear_pointer (&self->sha256, g_free);
  g_clear_pointer (&self->added, g_date_time_unref);
  g_clear_pointer (&self->added_by, g_free);

  G_OBJECT_CLASS (striae_photo_parent_class)->finalize (object);
}

static void
striae_photo_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  StriaePhoto *self = STRIAE_PHOTO (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_PATIENT_ID:
      g_value_set_int64 (value, self->patient_id);
      break;
    case PROP_CONSULTATION_ID:
      g_value_set_int64 (value, self->consultation_id);
      break;
    case PROP_TREATMENT_SESSION_ID:
      g_value_set_int64 (value, self->treatment_session_id);
      break;
    case PROP_SESSION_NUMBER:
      g_value_set_uint (value, self->session_number);
      break;
    case PROP_SITE:
      g_value_set_enum (value, self->site);
      break;
    case PROP_SIDE:
      g_value_set_enum (value, self->side);
      break;
    case PROP_MOMENT:
      g_value_set_enum (value, self->moment);
      break;
    case PROP_DEPTH_MM:
      g_value_set_double (value, self->depth_mm);
      break;
    case PROP_WIDTH:
      g_value_set_uint (value, self->width);
      break;
    case PROP_HEIGHT:
      g_value_set_uint (value, self->height);
      break;
    case PROP_SHA256:
      g_value_set_string (value, self->sha256);
      break;
    case PROP_ADDED:
      g_value_set_boxed (value, self->added);
      break;
    case PROP_ADDED_BY:
      g_value_set_string (value, self->added_by);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_photo_class_init (StriaePhotoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = striae_photo_finalize;
  object_class->get_property = striae_photo_get_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_PATIENT_ID] =
    g_param_spec_int64 ("patient-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_CONSULTATION_ID] =
    g_param_spec_int64 ("consultation-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_TREATMENT_SESSION_ID] =
    g_param_spec_int64 ("treatment-session-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_SESSION_NUMBER] =
    g_param_spec_uint ("session-number", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_SITE] = g_param_spec_enum ("site", NULL, NULL, STRIAE_TYPE_BODY_SITE,
                                             STRIAE_BODY_SITE_ABDOMEN, flags);
  properties[PROP_SIDE] = g_param_spec_enum ("side", NULL, NULL, STRIAE_TYPE_SIDE,
                                             STRIAE_SIDE_NOT_APPLICABLE, flags);
  properties[PROP_MOMENT] = g_param_spec_enum ("moment", NULL, NULL, STRIAE_TYPE_PHOTO_MOMENT,
                                               STRIAE_PHOTO_MOMENT_CONSULTATION, flags);
  properties[PROP_DEPTH_MM] =
    g_param_spec_double ("depth-mm", NULL, NULL, 0, G_MAXDOUBLE, 0, flags);
  properties[PROP_WIDTH] = g_param_spec_uint ("width", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_HEIGHT] = g_param_spec_uint ("height", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_SHA256] = g_param_spec_string ("sha256", NULL, NULL, NULL, flags);
  properties[PROP_ADDED] =
    g_param_spec_boxed ("added", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_ADDED_BY] = g_param_spec_string ("added-by", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
striae_photo_init (StriaePhoto *self)
{
  self->side = STRIAE_SIDE_NOT_APPLICABLE;
  g_date_clear (&self->date, 1);
}

StriaePhoto *
striae_photo_new (void)
{
  return g_object_new (STRIAE_TYPE_PHOTO, NULL);
}

#define GETTER(type, name) \
  type \
  striae_photo_get_##name (StriaePhoto *self) \
  { \
    g_return_val_if_fail (STRIAE_IS_PHOTO (self), 0); \
    return self->name; \
  }

#define SETTER(type, name, prop) \
  void \
  striae_photo_set_##name (StriaePhoto *self, \
                           type         value) \
  { \
    g_return_if_fail (STRIAE_IS_PHOTO (self)); \
    if (self->name == value) \
      return; \
    self->name = value; \
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop]); \
  }

GETTER (gint64, id)
SETTER (gint64, id, PROP_ID)
GETTER (gint64, patient_id)
SETTER (gint64, patient_id, PROP_PATIENT_ID)
GETTER (gint64, consultation_id)
SETTER (gint64, consultation_id, PROP_CONSULTATION_ID)
GETTER (gint64, treatment_session_id)
SETTER (gint64, treatment_session_id, PROP_TREATMENT_SESSION_ID)
GETTER (guint, session_number)
SETTER (guint, session_number, PROP_SESSION_NUMBER)
GETTER (StriaeBodySite, site)
SETTER (StriaeBodySite, site, PROP_SITE)
GETTER (StriaeSide, side)
SETTER (StriaeSide, side, PROP_SIDE)
GETTER (StriaePhotoMoment, moment)
SETTER (StriaePhotoMoment, moment, PROP_MOMENT)
GETTER (double, depth_mm)
SETTER (double, depth_mm, PROP_DEPTH_MM)
GETTER (guint, width)
GETTER (guint, height)
GETTER (const char *, sha256)
GETTER (GDateTime *, added)
GETTER (const char *, added_by)

const GDate *
striae_photo_get_date (StriaePhoto *self)
{
  g_return_val_if_fail (STRIAE_IS_PHOTO (self), NULL);
  return &self->date;
}

void
striae_photo_set_date (StriaePhoto *self,
                       const GDate *date)
{
  g_return_if_fail (STRIAE_IS_PHOTO (self));

  if (date != NULL && g_date_valid (date))
    self->date = *date;
  else
    g_date_clear (&self->date, 1);
}

void
striae_photo_set_size (StriaePhoto *self,
                       guint        width,
                       guint        height)
{
  g_return_if_fail (STRIAE_IS_PHOTO (self));

  if (self->width != width)
    {
      self->width = width;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WIDTH]);
    }
  if (self->height != height)
    {
      self->height = height;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEIGHT]);
    }
}

static gboolean
replace_text (char       **field,
              const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

void
striae_photo_set_sha256 (StriaePhoto *self,
                         const char  *sha256)
{
  g_return_if_fail (STRIAE_IS_PHOTO (self));

  if (replace_text (&self->sha256, sha256))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHA256]);
}

void
striae_photo_set_added (StriaePhoto *self,
                        GDateTime   *added)
{
  g_return_if_fail (STRIAE_IS_PHOTO (self));

  if (added == self->added)
    return;
  if (added != NULL)
    g_date_time_ref (added);
  g_clear_pointer (&self->added, g_date_time_unref);
  self->added = added;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ADDED]);
}

void
striae_photo_set_added_by (StriaePhoto *self,
                           const char  *name)
{
  g_return_if_fail (STRIAE_IS_PHOTO (self));

  if (replace_text (&self->added_by, name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ADDED_BY]);
}
