/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "striae-store-backend.h"

/* The session records' part of the backend interface (issue 17): the calls through it, and
 * the rows it passes. */

StriaeStoreSessionRevision *
striae_store_session_revision_new (void)
{
  return g_new0 (StriaeStoreSessionRevision, 1);
}

void
striae_store_session_revision_free (StriaeStoreSessionRevision *revision)
{
  if (revision == NULL)
    return;

  g_free (revision->document);
  g_clear_pointer (&revision->created, g_date_time_unref);
  g_clear_pointer (&revision->updated, g_date_time_unref);
  g_free (revision->signed_by);
  g_clear_pointer (&revision->signed_at, g_date_time_unref);
  g_free (revision);
}

StriaeStoreBatchUse *
striae_store_batch_use_new (void)
{
  return g_new0 (StriaeStoreBatchUse, 1);
}

void
striae_store_batch_use_free (StriaeStoreBatchUse *use)
{
  if (use == NULL)
    return;

  g_free (use->date);
  g_free (use->product);
  g_free (use->lot);
  g_free (use->lot_key);
  g_free (use);
}

/* A backend without session records (a test's) says so rather than crash. */
static gboolean
unsupported (GError **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       _("These records cannot keep session records."));
  return FALSE;
}

#define IFACE(self) STRIAE_STORE_BACKEND_GET_IFACE (self)

gboolean
striae_store_backend_insert_treatment_session (StriaeStoreBackend  *self,
                                               gint64               consultation_id,
                                               GDateTime           *created,
                                               gint64              *id,
                                               gint64              *patient_id,
                                               GError             **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);
  g_return_val_if_fail (id != NULL && patient_id != NULL, FALSE);

  *id = 0;
  *patient_id = 0;
  if (IFACE (self)->insert_treatment_session == NULL)
    return unsupported (error);

  return IFACE (self)->insert_treatment_session (self, consultation_id, created, id, patient_id,
                                                 error);
}

gboolean
striae_store_backend_insert_session_revision (StriaeStoreBackend                *self,
                                              const StriaeStoreSessionRevision  *revision,
                                              GError                           **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);
  g_return_val_if_fail (revision != NULL && revision->document != NULL, FALSE);

  if (IFACE (self)->insert_session_revision == NULL)
    return unsupported (error);

  return IFACE (self)->insert_session_revision (self, revision, error);
}

gboolean
striae_store_backend_update_session_revision (StriaeStoreBackend                *self,
                                              const StriaeStoreSessionRevision  *revision,
                                              gboolean                          *found,
                                              GError                           **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);
  g_return_val_if_fail (revision != NULL && revision->document != NULL, FALSE);
  g_return_val_if_fail (found != NULL, FALSE);

  *found = FALSE;
  if (IFACE (self)->update_session_revision == NULL)
    return unsupported (error);

  return IFACE (self)->update_session_revision (self, revision, found, error);
}

gboolean
striae_store_backend_get_session_revision (StriaeStoreBackend           *self,
                                           gint64                        id,
                                           guint                         revision,
                                           StriaeStoreSessionRevision  **result,
                                           GError                      **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);
  g_return_val_if_fail (result != NULL, FALSE);

  *result = NULL;
  if (IFACE (self)->get_session_revision == NULL)
    return unsupported (error);

  return IFACE (self)->get_session_revision (self, id, revision, result, error);
}

GPtrArray *
striae_store_backend_list_session_revisions (StriaeStoreBackend  *self,
                                             gint64               consultation_id,
                                             gint64               patient_id,
                                             gboolean             every_revision,
                                             GError             **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), NULL);

  if (IFACE (self)->list_session_revisions == NULL)
    {
      unsupported (error);
      return NULL;
    }

  return IFACE (self)->list_session_revisions (self, consultation_id, patient_id,
                                               every_revision, error);
}

gboolean
striae_store_backend_set_session_batches (StriaeStoreBackend  *self,
                                          gint64               session_id,
                                          guint                revision,
                                          GPtrArray           *batches,
                                          GError             **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);
  g_return_val_if_fail (batches != NULL, FALSE);

  if (IFACE (self)->set_session_batches == NULL)
    return unsupported (error);

  return IFACE (self)->set_session_batches (self, session_id, revision, batches, error);
}

GPtrArray *
striae_store_backend_find_batch (StriaeStoreBackend  *self,
                                 const char          *lot_key,
                                 GError             **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), NULL);
  g_return_val_if_fail (lot_key != NULL, NULL);

  if (IFACE (self)->find_batch == NULL)
    {
      unsupported (error);
      return NULL;
    }

  return IFACE (self)->find_batch (self, lot_key, error);
}

gboolean
striae_store_backend_copy_in_treatment_session (StriaeStoreBackend  *self,
                                                gint64               id,
                                                gint64               consultation_id,
                                                gint64               patient_id,
                                                GDateTime           *created,
                                                GError             **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE_BACKEND (self), FALSE);

  if (IFACE (self)->copy_in_treatment_session == NULL)
    return unsupported (error);

  return IFACE (self)->copy_in_treatment_session (self, id, consultation_id, patient_id,
                                                  created, error);
}
