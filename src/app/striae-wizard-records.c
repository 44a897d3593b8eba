/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "striae-wizard-records.h"

struct _StriaeWizardRecords
{
  GObject     parent_instance;

  char       *folder;
  gint64      last_id;
  GHashTable *drafts;   /* patient id (gint64 *) → number of draft files */
};

G_DEFINE_FINAL_TYPE (StriaeWizardRecords, striae_wizard_records, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

/* "p12-c3-r1.json": patient 12, consultation 3, revision 1. */
static gboolean
parse_name (const char *name,
            gint64     *patient_id,
            gint64     *id,
            guint      *revision)
{
  gint64 p, c;
  guint r;
  int n = 0;

  if (sscanf (name, "p%" G_GINT64_FORMAT "-c%" G_GINT64_FORMAT "-r%u.json%n",
              &p, &c, &r, &n) != 3 || n == 0 || name[n] != '\0')
    return FALSE;

  *patient_id = p;
  *id = c;
  *revision = r;
  return TRUE;
}

static char *
file_path (StriaeWizardRecords *self,
           gint64               patient_id,
           gint64               id,
           guint                revision,
           const char          *suffix)
{
  g_autofree char *name = g_strdup_printf ("p%" G_GINT64_FORMAT "-c%" G_GINT64_FORMAT "-r%u.%s",
                                           patient_id, id, revision, suffix);

  return g_build_filename (self->folder, name, NULL);
}

static StriaeConsultation *
load_file (const char  *path,
           GError     **error)
{
  g_autofree char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, error))
    return NULL;

  return striae_consultation_new_from_json (contents, error);
}

static void
count_draft (StriaeWizardRecords *self,
             gint64               patient_id,
             int                  delta)
{
  gpointer value = NULL;
  int count;

  g_hash_table_lookup_extended (self->drafts, &patient_id, NULL, &value);
  count = GPOINTER_TO_INT (value) + delta;
  if (count <= 0)
    g_hash_table_remove (self->drafts, &patient_id);
  else
    g_hash_table_insert (self->drafts, g_memdup2 (&patient_id, sizeof patient_id),
                         GINT_TO_POINTER (count));
}

/* One pass over the folder at start-up: the highest id, and which patients have a draft. */
static void
scan (StriaeWizardRecords *self)
{
  g_autoptr(GDir) dir = g_dir_open (self->folder, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autoptr(StriaeConsultation) consultation = NULL;
      g_autoptr(GError) error = NULL;
      gint64 patient_id, id;
      guint revision;

      if (!parse_name (name, &patient_id, &id, &revision))
        continue;
      self->last_id = MAX (self->last_id, id);

      path = g_build_filename (self->folder, name, NULL);
      consultation = load_file (path, &error);
      if (consultation == NULL)
        g_message ("Skipping the damaged consultation file %s: %s", path, error->message);
      else if (striae_consultation_get_status (consultation) != STRIAE_CONSULTATION_STATUS_SIGNED)
        count_draft (self, patient_id, 1);
    }
}

static void
striae_wizard_records_finalize (GObject *object)
{
  StriaeWizardRecords *self = (StriaeWizardRecords *)object;

  g_clear_pointer (&self->folder, g_free);
  g_clear_pointer (&self->drafts, g_hash_table_unref);

  G_OBJECT_CLASS (striae_wizard_records_parent_class)->finalize (object);
}

static void
striae_wizard_records_class_init (StriaeWizardRecordsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = striae_wizard_records_finalize;

  signals [CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
striae_wizard_records_init (StriaeWizardRecords *self)
{
  self->drafts = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
}

StriaeWizardRecords *
striae_wizard_records_new (const char *folder)
{
  StriaeWizardRecords *self;

  g_return_val_if_fail (folder != NULL, NULL);

  self = g_object_new (STRIAE_TYPE_WIZARD_RECORDS, NULL);
  self->folder = g_strdup (folder);
  if (g_mkdir_with_parents (folder, 0700) != 0)
    g_message ("Could not create the consultations folder %s: %s", folder, g_strerror (errno));
  scan (self);

  return self;
}

/* The folder beside the database file, so that a test database keeps its own records. */
StriaeWizardRecords *
striae_wizard_records_new_for_store (StriaeStore *store)
{
  g_autofree char *folder = NULL;

  g_return_val_if_fail (STRIAE_IS_STORE (store), NULL);

  folder = g_strconcat (striae_store_get_path (store), ".consultations", NULL);
  return striae_wizard_records_new (folder);
}

const char *
striae_wizard_records_get_folder (StriaeWizardRecords *self)
{
  g_return_val_if_fail (STRIAE_IS_WIZARD_RECORDS (self), NULL);
  return self->folder;
}

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  StriaeConsultation *ca = *(StriaeConsultation **) a;
  StriaeConsultation *cb = *(StriaeConsultation **) b;
  int cmp = g_strcmp0 (striae_consultation_get_date (cb), striae_consultation_get_date (ca));
  gint64 ia = striae_consultation_get_id (ca);
  gint64 ib = striae_consultation_get_id (cb);

  if (cmp != 0)
    return cmp;
  return ib < ia ? -1 : ib > ia;
}

/**
 * striae_wizard_records_list:
 *
 * Returns: (transfer container): the latest revision of each consultation of the patient,
 *   newest first.
 */
GPtrArray *
striae_wizard_records_list (StriaeWizardRecords  *self,
                            gint64                patient_id,
                            GError              **error)
{
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) latest = g_hash_table_new_full (g_int64_hash, g_int64_equal,
                                                        g_free, NULL);
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_return_val_if_fail (STRIAE_IS_WIZARD_RECORDS (self), NULL);

  dir = g_dir_open (self->folder, 0, error);
  if (dir == NULL)
    return NULL;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autoptr(GError) local_error = NULL;
      StriaeConsultation *consultation;
      StriaeConsultation *other;
      gint64 p, id;
      guint revision;

      if (!parse_name (name, &p, &id, &revision) || p != patient_id)
        continue;

      path = g_build_filename (self->folder, name, NULL);
      consultation = load_file (path, &local_error);
      if (consultation == NULL)
        {
          g_message ("Skipping the damaged consultation file %s: %s", path,
                     local_error->message);
          continue;
        }

      other = g_hash_table_lookup (latest, &id);
      if (other != NULL && striae_consultation_get_revision (other) >= revision)
        {
          g_object_unref (consultation);
          continue;
        }
      if (other != NULL)
        g_ptr_array_remove (result, other);
      g_ptr_array_add (result, consultation);
      g_hash_table_insert (latest, g_memdup2 (&id, sizeof id), consultation);
    }

  g_ptr_array_sort (result, compare_newest_first);
  return g_steal_pointer (&result);
}

/**
 * striae_wizard_records_get_draft:
 * @page: (out) (optional): the wizard page the draft was left on
 *
 * Returns: (transfer full) (nullable): the newest draft of the patient.
 */
StriaeConsultation *
striae_wizard_records_get_draft (StriaeWizardRecords  *self,
                                 gint64                patient_id,
                                 char                **page)
{
  g_autoptr(GPtrArray) list = NULL;

  g_return_val_if_fail (STRIAE_IS_WIZARD_RECORDS (self), NULL);

  if (page != NULL)
    *page = NULL;
  if (!striae_wizard_records_has_draft (self, patient_id))
    return NULL;

  list = striae_wizard_records_list (self, patient_id, NULL);
  for (guint i = 0; list != NULL && i < list->len; i++)
    {
      StriaeConsultation *consultation = g_ptr_array_index (list, i);

      if (striae_consultation_get_status (consultation) == STRIAE_CONSULTATION_STATUS_SIGNED)
        continue;
      if (page != NULL)
        {
          g_autofree char *path = file_path (self, patient_id,
                                             striae_consultation_get_id (consultation),
                                             striae_consultation_get_revision (consultation),
                                             "page");
          g_autofree char *contents = NULL;

          if (g_file_get_contents (path, &contents, NULL, NULL))
            *page = g_strstrip (g_steal_pointer (&contents));
        }
      return g_object_ref (consultation);
    }

  return NULL;
}

gboolean
striae_wizard_records_has_draft (StriaeWizardRecords *self,
                                 gint64               patient_id)
{
  g_return_val_if_fail (STRIAE_IS_WIZARD_RECORDS (self), FALSE);
  return g_hash_table_contains (self->drafts, &patient_id);
}

typedef struct
{
  char     *path;
  char     *page_path;
  char     *json;
  char     *page;
  gint64    patient_id;
  gboolean  signing;
} SaveData;

static void
save_data_free (SaveData *data)
{
  g_free (data->path);
  g_free (data->page_path);
  g_free (data->json);
  g_free (data->page);
  g_free (data);
}

/* Takes what a save needs from the consultation in the calling thread, so that the write can
 * run in another; gives the consultation an id if it has none. */
static SaveData *
prepare_save (StriaeWizardRecords  *self,
              StriaeConsultation   *consultation,
              const char           *page,
              GError              **error)
{
  g_autofree char *path = NULL;
  g_autoptr(StriaeConsultation) stored = NULL;
  gint64 patient_id = striae_consultation_get_patient_id (consultation);
  gboolean was_draft = FALSE;
  SaveData *data;

  if (patient_id <= 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The consultation belongs to no patient, so it cannot be saved."));
      return NULL;
    }

  if (striae_consultation_get_id (consultation) == 0)
    striae_consultation_set_id (consultation, ++self->last_id);

  path = file_path (self, patient_id, striae_consultation_get_id (consultation),
                    striae_consultation_get_revision (consultation), "json");
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      stored = load_file (path, NULL);
      /* [consent] a signed record is immutable: a correction is a new revision. */
      if (stored != NULL &&
          striae_consultation_get_status (stored) == STRIAE_CONSULTATION_STATUS_SIGNED)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                       _("This consultation is signed and cannot be changed. Amend it to "
                         "record a correction."));
          return NULL;
        }
      was_draft = stored != NULL;
    }

  data = g_new0 (SaveData, 1);
  data->path = g_steal_pointer (&path);
  data->page_path = file_path (self, patient_id, striae_consultation_get_id (consultation),
                               striae_consultation_get_revision (consultation), "page");
  data->json = striae_consultation_to_json (consultation);
  data->page = g_strdup (page);
  data->patient_id = patient_id;
  data->signing = striae_consultation_get_status (consultation) ==
                  STRIAE_CONSULTATION_STATUS_SIGNED;

  if (!was_draft && !data->signing)
    count_draft (self, patient_id, 1);
  else if (was_draft && data->signing)
    count_draft (self, patient_id, -1);

  return data;
}

static gboolean
write_save (SaveData  *data,
            GError   **error)
{
  GFileSetContentsFlags flags = G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE;

  if (data->page != NULL &&
      !g_file_set_contents_full (data->page_path, data->page, -1, flags, 0600, error))
    return FALSE;

  return g_file_set_contents_full (data->path, data->json, -1, flags, 0600, error);
}

gboolean
striae_wizard_records_save (StriaeWizardRecords  *self,
                            StriaeConsultation   *consultation,
                            const char           *page,
                            GError              **error)
{
  SaveData *data;
  gboolean ok;
  gint64 patient_id;

  g_return_val_if_fail (STRIAE_IS_WIZARD_RECORDS (self), FALSE);
  g_return_val_if_fail (STRIAE_IS_CONSULTATION (consultation), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  data = prepare_save (self, consultation, page, error);
  if (data == NULL)
    return FALSE;

  ok = write_save (data, error);
  patient_id = data->patient_id;
  save_data_free (data);
  if (ok)
    g_signal_emit (self, signals [CHANGED], 0, patient_id);

  return ok;
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;

  if (write_save (task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
striae_wizard_records_save_async (StriaeWizardRecords *self,
                                  StriaeConsultation  *consultation,
                                  const char          *page,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  SaveData *data;

  g_return_if_fail (STRIAE_IS_WIZARD_RECORDS (self));
  g_return_if_fail (STRIAE_IS_CONSULTATION (consultation));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, striae_wizard_records_save_async);

  data = prepare_save (self, consultation, page, &error);
  if (data == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_set_task_data (task, data, (GDestroyNotify) save_data_free);
  g_task_run_in_thread (task, save_thread);
}

gboolean
striae_wizard_records_save_finish (StriaeWizardRecords  *self,
                                   GAsyncResult         *result,
                                   GError              **error)
{
  SaveData *data;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  data = g_task_get_task_data (G_TASK (result));
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  g_signal_emit (self, signals [CHANGED], 0, data->patient_id);
  return TRUE;
}
