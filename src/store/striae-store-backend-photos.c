/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "striae-core-enums.h"
#include "striae-store-backend.h"

/* The photos' part of the backend interface (issue 18): the calls through it. */

/* A backend without photos (a test's) says so rather than crash. */
static gboolean
unsupported (GError **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       _("These records cannot keep photos."));
  return FALSE;
}

#define IFACE(self) STRIAE_STORE_BACKEND_GET_IFACE (self)

gboolean
striae_store_backend_insert_photo (StriaeStoreBackend  *self,
                                   StriaePhoto         *photo,
                                   GBytes              *image,
                                   GBytes              *thumbnail,
                                   GError             **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);
  g_return_val_if_fail (STRIAE_IS_PHOTO (photo), FALSE);
  g_return_val_if_fail (image != NULL && thumbnail != NULL, FALSE);

  if (IFACE (self)->insert_photo == NULL)
    return unsupported (error);
  return IFACE (self)->insert_photo (self, photo, image, thumbnail, error);
}

GPtrArray *
striae_store_backend_list_photos (StriaeStoreBackend  *self,
                                  gint64               patient_id,
                                  GError             **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), NULL);

  if (IFACE (self)->list_photos == NULL)
    return unsupported (error), NULL;
  return IFACE (self)->list_photos (self, patient_id, error);
}

gboolean
striae_store_backend_get_photo (StriaeStoreBackend  *self,
                                gint64               id,
                                StriaePhoto        **photo,
                                GError             **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);
  g_return_val_if_fail (photo != NULL, FALSE);

  *photo = NULL;
  if (IFACE (self)->get_photo == NULL)
    return unsupported (error);
  return IFACE (self)->get_photo (self, id, photo, error);
}

gboolean
striae_store_backend_get_photo_data (StriaeStoreBackend  *self,
                                     gint64               id,
                                     gboolean             thumbnail,
                                     GBytes             **data,
                                     GError             **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);
  g_return_val_if_fail (data != NULL, FALSE);

  *data = NULL;
  if (IFACE (self)->get_photo_data == NULL)
    return unsupported (error);
  return IFACE (self)->get_photo_data (self, id, thumbnail, data, error);
}

gboolean
striae_store_backend_delete_photo (StriaeStoreBackend  *self,
                                   gint64               id,
                                   gboolean            *found,
                                   GError             **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);
  g_return_val_if_fail (found != NULL, FALSE);

  *found = FALSE;
  if (IFACE (self)->delete_photo == NULL)
    return unsupported (error);
  return IFACE (self)->delete_photo (self, id, found, error);
}

gboolean
striae_store_backend_get_photo_consent (StriaeStoreBackend  *self,
                                        gint64               patient_id,
                                        char               **scope,
                                        GDateTime          **recorded,
                                        char               **recorded_by,
                                        GError             **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);
  g_return_val_if_fail (scope != NULL && recorded != NULL && recorded_by != NULL, FALSE);

  *scope = NULL;
  *recorded = NULL;
  *recorded_by = NULL;
  if (IFACE (self)->get_photo_consent == NULL)
    return unsupported (error);
  return IFACE (self)->get_photo_consent (self, patient_id, scope, recorded, recorded_by,
                                          error);
}

gboolean
striae_store_backend_set_photo_consent (StriaeStoreBackend  *self,
                                        gint64               patient_id,
                                        const char          *scope,
                                        GDateTime           *recorded,
                                        const char          *recorded_by,
                                        GError             **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);
  g_return_val_if_fail (scope != NULL && recorded != NULL, FALSE);

  if (IFACE (self)->set_photo_consent == NULL)
    return unsupported (error);
  return IFACE (self)->set_photo_consent (self, patient_id, scope, recorded, recorded_by,
                                          error);
}

/* Site and side as the records write them: the core's nicks ("upper-arms", "left"). */
static const char *
enum_to_nick (GType type,
              int   value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *ev = g_enum_get_value (klass, value);

  return ev != NULL ? ev->value_nick : NULL;
}

static gboolean
enum_from_nick (GType       type,
                const char *nick,
                int        *value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *ev = nick != NULL ? g_enum_get_value_by_nick (klass, nick) : NULL;

  if (ev == NULL)
    return FALSE;
  *value = ev->value;
  return TRUE;
}

const char *
striae_store_photo_site_to_string (StriaeBodySite site)
{
  return enum_to_nick (STRIAE_TYPE_BODY_SITE, site);
}

const char *
striae_store_photo_side_to_string (StriaeSide side)
{
  return enum_to_nick (STRIAE_TYPE_SIDE, side);
}

gboolean
striae_store_photo_site_from_string (const char     *text,
                                     StriaeBodySite *site)
{
  int value;

  if (!enum_from_nick (STRIAE_TYPE_BODY_SITE, text, &value))
    return FALSE;
  *site = value;
  return TRUE;
}

gboolean
striae_store_photo_side_from_string (const char *text,
                                     StriaeSide *side)
{
  int value;

  if (!enum_from_nick (STRIAE_TYPE_SIDE, text, &value))
    return FALSE;
  *side = value;
  return TRUE;
}
