/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "striae-store-backend.h"

/* The schedule's part of the backend interface (issue 17): the calls through it. */

/* A backend without a schedule (a test's) says so rather than crash. */
static gboolean
unsupported (GError **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       _("These records cannot keep a schedule."));
  return FALSE;
}

#define IFACE(self) STRIAE_STORE_BACKEND_GET_IFACE (self)

GPtrArray *
striae_store_backend_list_schedule (StriaeStoreBackend  *self,
                                    gint64               consultation_id,
                                    gint64               patient_id,
                                    GError             **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), NULL);

  if (IFACE (self)->list_schedule == NULL)
    return unsupported (error), NULL;
  return IFACE (self)->list_schedule (self, consultation_id, patient_id, error);
}

gboolean
striae_store_backend_get_scheduled_session (StriaeStoreBackend      *self,
                                            gint64                   id,
                                            StriaeScheduledSession **result,
                                            GError                 **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);
  g_return_val_if_fail (result != NULL, FALSE);

  *result = NULL;
  if (IFACE (self)->get_scheduled_session == NULL)
    return unsupported (error);
  return IFACE (self)->get_scheduled_session (self, id, result, error);
}

gboolean
striae_store_backend_insert_scheduled_session (StriaeStoreBackend     *self,
                                               StriaeScheduledSession *session,
                                               GError                **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);

  if (IFACE (self)->insert_scheduled_session == NULL)
    return unsupported (error);
  return IFACE (self)->insert_scheduled_session (self, session, error);
}

gboolean
striae_store_backend_update_scheduled_session (StriaeStoreBackend           *self,
                                               const StriaeScheduledSession *session,
                                               gboolean                     *found,
                                               GError                      **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);
  g_return_val_if_fail (found != NULL, FALSE);

  *found = FALSE;
  if (IFACE (self)->update_scheduled_session == NULL)
    return unsupported (error);
  return IFACE (self)->update_scheduled_session (self, session, found, error);
}

gboolean
striae_store_backend_delete_scheduled_session (StriaeStoreBackend  *self,
                                               gint64               id,
                                               GError             **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);

  if (IFACE (self)->delete_scheduled_session == NULL)
    return unsupported (error);
  return IFACE (self)->delete_scheduled_session (self, id, error);
}

gboolean
striae_store_backend_set_course_length (StriaeStoreBackend  *self,
                                        gint64               consultation_id,
                                        guint                course_length,
                                        GError             **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);

  if (IFACE (self)->set_course_length == NULL)
    return unsupported (error);
  return IFACE (self)->set_course_length (self, consultation_id, course_length, error);
}

/* Without a schedule, a backend (a test's) has no see-again dates either: nothing to keep. */
gboolean
striae_store_backend_set_see_again (StriaeStoreBackend  *self,
                                    gint64               consultation_id,
                                    const GDate         *date,
                                    GError             **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);

  if (IFACE (self)->set_see_again == NULL)
    return TRUE;
  return IFACE (self)->set_see_again (self, consultation_id, date, error);
}

GPtrArray *
striae_store_backend_list_day (StriaeStoreBackend  *self,
                               const GDate         *date,
                               GError             **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), NULL);

  if (IFACE (self)->list_day == NULL)
    return unsupported (error), NULL;
  return IFACE (self)->list_day (self, date, error);
}

GPtrArray *
striae_store_backend_list_recalls (StriaeStoreBackend  *self,
                                   const GDate         *since,
                                   const GDate         *today,
                                   const GDate         *until,
                                   GError             **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), NULL);

  if (IFACE (self)->list_recalls == NULL)
    return unsupported (error), NULL;
  return IFACE (self)->list_recalls (self, since, today, until, error);
}
