/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "striae-store-private.h"

/* The schedule, the day's list and the recalls (issue 17): see striae-store.h. */

static gboolean
not_yet (GError **error)
{
  g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_SUPPORTED,
                       _("The schedule is not available yet."));
  return FALSE;
}

GPtrArray *
striae_store_list_schedule (StriaeStore  *self,
                            gint64        consultation_id,
                            GError      **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);
  not_yet (error);
  return NULL;
}

GPtrArray *
striae_store_list_patient_schedule (StriaeStore  *self,
                                    gint64        patient_id,
                                    GError      **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);
  not_yet (error);
  return NULL;
}

StriaeScheduledSession *
striae_store_get_scheduled_session (StriaeStore  *self,
                                    gint64        id,
                                    GError      **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);
  not_yet (error);
  return NULL;
}

gboolean
striae_store_move_scheduled_session (StriaeStore  *self,
                                     gint64        id,
                                     const GDate  *date,
                                     int           time,
                                     gboolean      later_follow,
                                     const char   *reason,
                                     GError      **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  return not_yet (error);
}

gboolean
striae_store_mark_session_missed (StriaeStore  *self,
                                  gint64        id,
                                  const char   *reason,
                                  GError      **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  return not_yet (error);
}

gboolean
striae_store_cancel_scheduled_session (StriaeStore  *self,
                                       gint64        id,
                                       const char   *reason,
                                       GError      **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  return not_yet (error);
}

gboolean
striae_store_link_treatment_session (StriaeStore  *self,
                                     gint64        id,
                                     gint64        treatment_session_id,
                                     GError      **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  return not_yet (error);
}

GPtrArray *
striae_store_list_day (StriaeStore  *self,
                       const GDate  *date,
                       GError      **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);
  not_yet (error);
  return NULL;
}

GPtrArray *
striae_store_list_recalls (StriaeStore  *self,
                           guint         within_days,
                           const GDate  *today,
                           GError      **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);
  not_yet (error);
  return NULL;
}
