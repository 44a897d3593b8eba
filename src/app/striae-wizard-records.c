/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"


#include "striae-wizard-records.h"

struct _StriaeWizardRecords
{
  GObject      parent_instance;

  StriaeStore *store;

  /* One save at a time, so that a save the wizard asked for later always lands last. */
  GMutex       lock;
  GHashTable  *latest;      /* consultation id (gint64 *) → serial of its newest save */
  guint        last_serial; /* only touched in the thread that made the object */

  /* A save works on a copy, so the wizard's consultation may still carry the stamp of a
   * revision that this object itself replaced since. Per consultation id: the stamps of
   * this object's own line of saves (a GHashTable set), and the newest of them. */
  GHashTable  *own_stamps;  /* consultation id (gint64 *) → set of stamps */
  GHashTable  *head_stamp;  /* consultation id (gint64 *) → the newest stamp written */
};

G_DEFINE_FINAL_TYPE (StriaeWizardRecords, striae_wizard_records, G_TYPE_OBJECT)

static void
striae_wizard_records_finalize (GObject *object)
{
  StriaeWizardRecords *self = (StriaeWizardRecords *)object;

  g_clear_object (&self->store);
  g_clear_pointer (&self->latest, g_hash_table_unref);
  g_clear_pointer (&self->own_stamps, g_hash_table_unref);
  g_clear_pointer (&self->head_stamp, g_hash_table_unref);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (striae_wizard_records_parent_class)->finalize (object);
}

static void
striae_wizard_records_class_init (StriaeWizardRecordsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = striae_wizard_records_finalize;
}

static void
striae_wizard_records_init (StriaeWizardRecords *self)
{
  g_mutex_init (&self->lock);
  self->latest = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->own_stamps = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                            (GDestroyNotify) g_hash_table_unref);
  self->head_stamp = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
}

StriaeWizardRecords *
striae_wizard_records_new (StriaeStore *store)
{
  StriaeWizardRecords *self;

  g_return_val_if_fail (STRIAE_IS_STORE (store), NULL);

  self = g_object_new (STRIAE_TYPE_WIZARD_RECORDS, NULL);
  self->store = g_object_ref (store);

  return self;
}

StriaeStore *
striae_wizard_records_get_store (StriaeWizardRecords *self)
{
  g_return_val_if_fail (STRIAE_IS_WIZARD_RECORDS (self), NULL);
  return self->store;
}

/**
 * striae_wizard_records_list:
 *
 * Returns: (transfer full): the latest revision of each consultation of the patient, newest
 *   first, with its status and practitioner.
 */
GPtrArray *
striae_wizard_records_list (StriaeWizardRecords  *self,
                            gint64                patient_id,
                            GError              **error)
{
  g_return_val_if_fail (STRIAE_IS_WIZARD_RECORDS (self), NULL);
  return striae_store_list_consultations (self->store, patient_id, error);
}

gboolean
striae_wizard_records_has_draft (StriaeWizardRecords *self,
                                 gint64               patient_id)
{
  g_autoptr(GError) error = NULL;
  gboolean has_draft;

  g_return_val_if_fail (STRIAE_IS_WIZARD_RECORDS (self), FALSE);

  has_draft = striae_store_patient_has_draft (self->store, patient_id, &error);
  if (error != NULL)
    g_message ("Could not tell whether patient %" G_GINT64_FORMAT " has a draft: %s",
               patient_id, error->message);
  return has_draft;
}

/**
 * striae_wizard_records_dup_resume_page:
 * @consultation_id: a stored consultation
 *
 * Returns: (transfer full) (nullable): the wizard page the consultation was left on, or
 *   %NULL when none was recorded or it cannot be read (which is logged)
 */
char *
striae_wizard_records_dup_resume_page (StriaeWizardRecords *self,
                                       gint64               consultation_id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *page = NULL;

  g_return_val_if_fail (STRIAE_IS_WIZARD_RECORDS (self), NULL);

  page = striae_store_dup_resume_page (self->store, consultation_id, &error);
  if (page == NULL)
    g_message ("Could not read where consultation %" G_GINT64_FORMAT " was left: %s",
               consultation_id, error->message);
  if (page == NULL || page[0] == '\0')
    return NULL;
  return g_steal_pointer (&page);
}

/* Records that the newest save of consultation @id is @serial; the lock is held. */
static void
set_latest (StriaeWizardRecords *self,
            gint64               id,
            guint                serial)
{
  g_hash_table_insert (self->latest, g_memdup2 (&id, sizeof id), GUINT_TO_POINTER (serial));
}

/* Remembers the page a saved draft was left on. The page only saves the practitioner a few
 * clicks, so a failure here is logged and the draft, already written, counts as saved. */
static void
remember_page (StriaeWizardRecords *self,
               gint64               id,
               const char          *page)
{
  g_autoptr(GError) error = NULL;

  if (page == NULL)
    return;
  if (!striae_store_set_resume_page (self->store, id, page, &error))
    g_message ("Could not remember that consultation %" G_GINT64_FORMAT " was left on the "
               "page “%s”: %s", id, page, error->message);
}

/* Before a save or a signature, under the lock: a copy that carries a stamp this object
 * itself replaced since is brought up to the newest one it wrote, so that the wizard's own
 * saves never meet as a conflict; any other stamp (another computer's) is left to the
 * store to check. */
static void
catch_up_stamp (StriaeWizardRecords *self,
                StriaeConsultation  *consultation)
{
  gint64 id = striae_consultation_get_id (consultation);
  const char *stamp = striae_consultation_get_stored_stamp (consultation);
  GHashTable *own = g_hash_table_lookup (self->own_stamps, &id);

  if (stamp != NULL && own != NULL && g_hash_table_contains (own, stamp))
    striae_consultation_set_stored_stamp (consultation,
                                          g_hash_table_lookup (self->head_stamp, &id));
}

/* After a save or a signature went from stamp @before to the consultation's new one, under
 * the lock. */
static void
note_stamp (StriaeWizardRecords *self,
            StriaeConsultation  *consultation,
            const char          *before)
{
  gint64 id = striae_consultation_get_id (consultation);
  const char *stamp = striae_consultation_get_stored_stamp (consultation);
  GHashTable *own = g_hash_table_lookup (self->own_stamps, &id);

  if (stamp == NULL)
    return;
  if (own == NULL)
    {
      own = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_insert (self->own_stamps, g_memdup2 (&id, sizeof id), own);
    }
  if (before != NULL)
    g_hash_table_add (own, g_strdup (before));
  g_hash_table_add (own, g_strdup (stamp));
  g_hash_table_insert (self->head_stamp, g_memdup2 (&id, sizeof id), g_strdup (stamp));
}

/* Saves @consultation in the calling thread, under the lock, over the revision it was read
 * as (see catch_up_stamp()). */
static gboolean
store_save (StriaeWizardRecords  *self,
            StriaeConsultation   *consultation,
            GError              **error)
{
  g_autofree char *before = NULL;

  catch_up_stamp (self, consultation);
  before = g_strdup (striae_consultation_get_stored_stamp (consultation));
  if (!striae_store_save_consultation (self->store, consultation, NULL, error))
    return FALSE;

  note_stamp (self, consultation, before);
  return TRUE;
}

/* Saves in the calling thread, under the lock. A consultation without a number gets it here
 * (the store sets it on @consultation), so that two saves cannot add it twice. */
static gboolean
save_locked (StriaeWizardRecords  *self,
             StriaeConsultation   *consultation,
             const char           *page,
             GError              **error)
{
  guint serial = ++self->last_serial;
  gint64 id;

  if (!store_save (self, consultation, error))
    return FALSE;

  id = striae_consultation_get_id (consultation);
  set_latest (self, id, serial);
  remember_page (self, id, page);
  return TRUE;
}

/**
 * striae_wizard_records_save:
 * @page: (nullable): the wizard page the draft is on, to resume it there; %NULL keeps the
 *   page recorded before
 *
 * Saves the draft @consultation now, in the calling thread.
 */
gboolean
striae_wizard_records_save (StriaeWizardRecords  *self,
                            StriaeConsultation   *consultation,
                            const char           *page,
                            GError              **error)
{
  gboolean ok;

  g_return_val_if_fail (STRIAE_IS_WIZARD_RECORDS (self), FALSE);
  g_return_val_if_fail (STRIAE_IS_CONSULTATION (consultation), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_mutex_lock (&self->lock);
  ok = save_locked (self, consultation, page, error);
  g_mutex_unlock (&self->lock);

  return ok;
}

typedef struct
{
  StriaeConsultation *copy;
  char               *page;
  guint               serial;
} SaveData;

static void
save_data_free (SaveData *data)
{
  g_clear_object (&data->copy);
  g_clear_pointer (&data->page, g_free);
  g_free (data);
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  StriaeWizardRecords *self = source_object;
  SaveData *data = task_data;
  gint64 id = striae_consultation_get_id (data->copy);
  GError *error = NULL;
  gboolean ok = TRUE;

  g_mutex_lock (&self->lock);
  if (g_task_return_error_if_cancelled (task))
    {
      g_mutex_unlock (&self->lock);
      return;
    }
  /* A save asked for later (or a signature) has written newer content already, or will. */
  if (GPOINTER_TO_UINT (g_hash_table_lookup (self->latest, &id)) == data->serial)
    {
      ok = store_save (self, data->copy, &error);
      if (ok)
        remember_page (self, id, data->page);
    }
  g_mutex_unlock (&self->lock);

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * striae_wizard_records_save_async:
 * @page: (nullable): the wizard page the draft is on, as for striae_wizard_records_save()
 *
 * Saves a copy of @consultation in a worker thread: the caller may go on changing it.
 */
void
striae_wizard_records_save_async (StriaeWizardRecords *self,
                                  StriaeConsultation  *consultation,
                                  const char          *page,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SaveData *data;

  g_return_if_fail (STRIAE_IS_WIZARD_RECORDS (self));
  g_return_if_fail (STRIAE_IS_CONSULTATION (consultation));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, striae_wizard_records_save_async);

  /* The first save of a new consultation gives it its number: a quick insert, made here. */
  if (striae_consultation_get_id (consultation) == 0)
    {
      GError *error = NULL;

      if (striae_wizard_records_save (self, consultation, page, &error))
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_error (task, error);
      return;
    }

  data = g_new0 (SaveData, 1);
  data->copy = striae_consultation_copy (consultation);
  data->page = g_strdup (page);
  data->serial = ++self->last_serial;
  g_mutex_lock (&self->lock);
  set_latest (self, striae_consultation_get_id (consultation), data->serial);
  g_mutex_unlock (&self->lock);

  g_task_set_task_data (task, data, (GDestroyNotify) save_data_free);
  g_task_run_in_thread (task, save_thread);
}

gboolean
striae_wizard_records_save_finish (StriaeWizardRecords  *self,
                                   GAsyncResult         *result,
                                   GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Stores @consultation as it is, then signs what it stored (striae_store_sign_as_held()):
 * a change another computer saved in between is refused, never signed unseen. On success
 * @consultation takes the signed state. */
static gboolean
save_and_sign (StriaeWizardRecords  *self,
               StriaeConsultation   *consultation,
               StriaeConsultationStatus status,
               const char           *practitioner,
               const char           *reason,
               const GDate          *see_again,
               GError              **error)
{
  g_autoptr(StriaeConsultation) copy = striae_consultation_copy (consultation);
  g_autofree char *before = NULL;
  gboolean ok;

  striae_consultation_set_status (copy, status);

  g_mutex_lock (&self->lock);
  ok = save_locked (self, copy, NULL, error);
  if (ok)
    {
      before = g_strdup (striae_consultation_get_stored_stamp (copy));
      ok = striae_store_sign_as_held (self->store, copy, practitioner, reason, see_again,
                                      error);
    }
  if (ok)
    note_stamp (self, copy, before);
  g_mutex_unlock (&self->lock);

  if (!ok)
    return FALSE;

  striae_consultation_set_id (consultation, striae_consultation_get_id (copy));
  striae_consultation_set_revision (consultation, striae_consultation_get_revision (copy));
  striae_consultation_set_stored_stamp (consultation,
                                        striae_consultation_get_stored_stamp (copy));
  if (reason != NULL)
    striae_consultation_set_not_treated (consultation, TRUE,
                                         striae_consultation_get_not_treated_reason (copy),
                                         striae_consultation_get_see_again (copy));
  striae_consultation_set_status (consultation, STRIAE_CONSULTATION_STATUS_SIGNED);
  return TRUE;
}

/**
 * striae_wizard_records_sign:
 * @practitioner: who signs
 *
 * Stores @consultation as complete and signs it in @practitioner's name; on success
 * @consultation is marked signed. A draft save still waiting in a worker thread is dropped.
 * Refused with %STRIAE_STORE_ERROR_CONFLICT or %STRIAE_STORE_ERROR_LOCKED when another
 * computer changed or signed it since it was read.
 */
gboolean
striae_wizard_records_sign (StriaeWizardRecords  *self,
                            StriaeConsultation   *consultation,
                            const char           *practitioner,
                            GError              **error)
{
  g_return_val_if_fail (STRIAE_IS_WIZARD_RECORDS (self), FALSE);
  g_return_val_if_fail (STRIAE_IS_CONSULTATION (consultation), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return save_and_sign (self, consultation, STRIAE_CONSULTATION_STATUS_COMPLETE, practitioner,
                        NULL, NULL, error);
}

/**
 * striae_wizard_records_sign_not_treated:
 * @practitioner: who signs
 * @reason: why the patient was not treated
 * @see_again: (nullable): when to see them again, or %NULL
 *
 * Stores @consultation as it is and signs it as not treated (striae_store_sign_as_held());
 * on success @consultation is marked signed and not treated. A draft save still waiting in a
 * worker thread is dropped.
 */
gboolean
striae_wizard_records_sign_not_treated (StriaeWizardRecords  *self,
                                        StriaeConsultation   *consultation,
                                        const char           *practitioner,
                                        const char           *reason,
                                        const GDate          *see_again,
                                        GError              **error)
{
  g_return_val_if_fail (STRIAE_IS_WIZARD_RECORDS (self), FALSE);
  g_return_val_if_fail (STRIAE_IS_CONSULTATION (consultation), FALSE);
  g_return_val_if_fail (reason != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return save_and_sign (self, consultation, striae_consultation_get_status (consultation),
                        practitioner, reason, see_again, error);
}

/**
 * striae_wizard_records_keep_as_new_draft:
 *
 * Saves the content of @consultation as a new draft consultation of the same patient
 * (striae_store_save_as_new_draft()), after another computer changed or signed the one it
 * was a copy of; on success @consultation is that new draft. Saves of the old one still
 * waiting in a worker thread are dropped.
 */
gboolean
striae_wizard_records_keep_as_new_draft (StriaeWizardRecords  *self,
                                         StriaeConsultation   *consultation,
                                         const char           *page,
                                         GError              **error)
{
  gint64 old_id;
  gboolean ok;

  g_return_val_if_fail (STRIAE_IS_WIZARD_RECORDS (self), FALSE);
  g_return_val_if_fail (STRIAE_IS_CONSULTATION (consultation), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  old_id = striae_consultation_get_id (consultation);

  g_mutex_lock (&self->lock);
  ok = striae_store_save_as_new_draft (self->store, consultation, NULL, error);
  if (ok)
    {
      set_latest (self, old_id, ++self->last_serial);
      set_latest (self, striae_consultation_get_id (consultation), self->last_serial);
      note_stamp (self, consultation, NULL);
      remember_page (self, striae_consultation_get_id (consultation), page);
    }
  g_mutex_unlock (&self->lock);

  return ok;
}

/**
 * striae_wizard_records_amend:
 * @practitioner: (nullable): who amends it, for the audit log
 * @reason: why the signed record is corrected
 *
 * Returns: (transfer full): the new draft revision of signed @consultation; the signed one
 *   stays readable in the store.
 */
StriaeConsultation *
striae_wizard_records_amend (StriaeWizardRecords  *self,
                             StriaeConsultation   *consultation,
                             const char           *practitioner,
                             const char           *reason,
                             GError              **error)
{
  StriaeConsultation *revision;

  g_return_val_if_fail (STRIAE_IS_WIZARD_RECORDS (self), NULL);
  g_return_val_if_fail (STRIAE_IS_CONSULTATION (consultation), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_mutex_lock (&self->lock);
  revision = striae_store_amend_consultation (self->store,
                                              striae_consultation_get_id (consultation),
                                              practitioner, reason, error);
  g_mutex_unlock (&self->lock);

  return revision;
}
