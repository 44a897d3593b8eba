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
striae_photo_class_init (StriaePhotoClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = striae_photo_finalize;
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

#define SETTER(type, name) \
  void \
  striae_photo_set_##name (StriaePhoto *self, \
                           type         value) \
  { \
    g_return_if_fail (STRIAE_IS_PHOTO (self)); \
    self->name = value; \
  }

GETTER (gint64, id)
SETTER (gint64, id)
GETTER (gint64, patient_id)
SETTER (gint64, patient_id)
GETTER (gint64, consultation_id)
SETTER (gint64, consultation_id)
GETTER (gint64, treatment_session_id)
SETTER (gint64, treatment_session_id)
GETTER (guint, session_number)
SETTER (guint, session_number)
GETTER (StriaeBodySite, site)
SETTER (StriaeBodySite, site)
GETTER (StriaeSide, side)
SETTER (StriaeSide, side)
GETTER (StriaePhotoMoment, moment)
SETTER (StriaePhotoMoment, moment)
GETTER (double, depth_mm)
SETTER (double, depth_mm)
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

  self->width = width;
  self->height = height;
}

void
striae_photo_set_sha256 (StriaePhoto *self,
                         const char  *sha256)
{
  g_return_if_fail (STRIAE_IS_PHOTO (self));

  g_free (self->sha256);
  self->sha256 = g_strdup (sha256);
}

void
striae_photo_set_added (StriaePhoto *self,
                        GDateTime   *added)
{
  g_return_if_fail (STRIAE_IS_PHOTO (self));

  if (added != NULL)
    g_date_time_ref (added);
  g_clear_pointer (&self->added, g_date_time_unref);
  self->added = added;
}

void
striae_photo_set_added_by (StriaePhoto *self,
                           const char  *name)
{
  g_return_if_fail (STRIAE_IS_PHOTO (self));

  g_free (self->added_by);
  self->added_by = g_strdup (name);
}
