/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <inttypes.h>
#include <json-glib/json-glib.h>

#include "striae-store-private.h"

/* The spool (issue 14, "When the server is gone"): a draft that could not reach the records
 * because the clinic server cannot be reached is kept on this computer, one file per
 * consultation, until striae_store_send_spooled() delivers it through the normal save (so
 * that nobody's change is written over unseen) and only then removes it.
 *
 * The files live in g_get_user_data_dir()/striae/spool/<records>/, where <records> is a hash
 * of the records' name as messages give it (never a server's password), in a 0700 folder,
 * each file 0600 and written whole or not at all. A file holds the consultation's keys (id,
 * revision, patient, the stamp it was read with, its local id), who typed it, and its
 * document exactly as the store would write it. A new consultation (no id yet) is filed under
 * its local id, so that two new drafts of one patient are two files.
 *
 * Sending may run in a worker thread (striae_store_send_spooled_async()) while the wizard
 * goes on saving: each file is read, sent and removed under the spool's lock, which a save
 * that may keep a draft holds as well. Once a file is sent, a save made on this computer from
 * the same start (the stamp the file was kept with) goes on from what was sent instead of
 * meeting it as a conflict, or adding a new draft twice (store_spool_catch_up()). */

#define SPOOL_FORMAT 1

/* What a sent spool file became in the records. */
typedef struct
{
  char   *old_stamp;  /* the stamp it was kept with; NULL for a new draft */
  gint64  id;
  guint   revision;
  char   *stamp;      /* the stamp the records gave it */
} SpoolSent;

static void
spool_sent_free (SpoolSent *sent)
{
  g_free (sent->old_stamp);
  g_free (sent->stamp);
  g_free (sent);
}

void
store_spool_init (StriaeStore *self)
{
  g_mutex_init (&self->spool_lock);
  self->spool_sent = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) spool_sent_free);
}

void
store_spool_clear (StriaeStore *self)
{
  g_clear_pointer (&self->spool_sent, g_hash_table_unref);
  g_mutex_clear (&self->spool_lock);
}

void
store_spool_lock (StriaeStore *self)
{
  g_mutex_lock (&self->spool_lock);
}

void
store_spool_unlock (StriaeStore *self)
{
  g_mutex_unlock (&self->spool_lock);
}

static char *
spool_folder (StriaeStore *self)
{
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, self->name, -1);

  hash[16] = '\0';
  return g_build_filename (g_get_user_data_dir (), "striae", "spool", hash, NULL);
}

/* A stored consultation is kept under its number; a new one under its local id, a UUID
 * (striae_consultation_set_local_id() takes nothing else), so no name leaves the folder. */
static char *
spool_file_name (gint64      id,
                 const char *local_id)
{
  if (id == 0)
    {
      g_assert (local_id != NULL && g_uuid_string_is_valid (local_id));
      return g_strdup_printf ("new-%s.json", local_id);
    }
  return g_strdup_printf ("consultation-%" PRId64 ".json", id);
}

static char *
spool_path (StriaeStore *self,
            gint64       id,
            const char  *local_id)
{
  g_autofree char *folder = spool_folder (self);
  g_autofree char *name = spool_file_name (id, local_id);

  return g_build_filename (folder, name, NULL);
}

static void
set_spool_error (GError     **error,
                 const char  *path,
                 int          saved_errno)
{
  g_set_error (error, STRIAE_STORE_ERROR,
               saved_errno == ENOSPC ? STRIAE_STORE_ERROR_FULL : STRIAE_STORE_ERROR_READ_ONLY,
               _("The draft could not be kept on this computer in %s: %s."), path,
               g_strerror (saved_errno));
}

static char *
spool_to_json (StriaeConsultation *consultation,
               const char         *practitioner)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *document = striae_consultation_to_json (consultation);
  const char *stamp = striae_consultation_get_stored_stamp (consultation);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_int_value (builder, SPOOL_FORMAT);
  json_builder_set_member_name (builder, "consultation");
  json_builder_add_int_value (builder, striae_consultation_get_id (consultation));
  json_builder_set_member_name (builder, "revision");
  json_builder_add_int_value (builder, striae_consultation_get_revision (consultation));
  json_builder_set_member_name (builder, "patient");
  json_builder_add_int_value (builder, striae_consultation_get_patient_id (consultation));
  json_builder_set_member_name (builder, "local");
  json_builder_add_string_value (builder, striae_consultation_get_local_id (consultation));
  json_builder_set_member_name (builder, "stamp");
  if (stamp != NULL)
    json_builder_add_string_value (builder, stamp);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "practitioner");
  if (practitioner != NULL)
    json_builder_add_string_value (builder, practitioner);
  else
    json_builder_add_null_value (builder);
  /* The document as a string, so that what is sent is byte for byte what was kept. */
  json_builder_set_member_name (builder, "document");
  json_builder_add_string_value (builder, document);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, NULL);
}

/* The consultation a spool file holds, with its keys and stamp; @practitioner who typed it. */
static StriaeConsultation *
spool_read (const char  *path,
            char       **practitioner,
            GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(StriaeConsultation) consultation = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonObject *object;
  const char *document;
  const char *local_id;

  if (!json_parser_load_from_file (parser, path, &local_error) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    goto damaged;

  object = json_node_get_object (json_parser_get_root (parser));
  if (json_object_get_int_member_with_default (object, "format", 0) != SPOOL_FORMAT ||
      (document = json_object_get_string_member_with_default (object, "document",
                                                               NULL)) == NULL ||
      (consultation = striae_consultation_new_from_json (document, &local_error)) == NULL)
    goto damaged;

  striae_consultation_set_id (consultation,
                              json_object_get_int_member_with_default (object,
                                                                       "consultation", 0));
  striae_consultation_set_revision (
    consultation, json_object_get_int_member_with_default (object, "revision", 1));
  striae_consultation_set_patient_id (
    consultation, json_object_get_int_member_with_default (object, "patient", 0));
  striae_consultation_set_stored_stamp (
    consultation, json_object_get_string_member_with_default (object, "stamp", NULL));
  /* A file kept before drafts had a local id keeps the one just made. */
  local_id = json_object_get_string_member_with_default (object, "local", NULL);
  if (local_id != NULL && g_uuid_string_is_valid (local_id))
    striae_consultation_set_local_id (consultation, local_id);
  *practitioner = g_strdup (json_object_get_string_member_with_default (object,
                                                                         "practitioner",
                                                                         NULL));
  return g_steal_pointer (&consultation);

damaged:
  g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
               _("The draft kept on this computer in %s cannot be read: %s"), path,
               local_error != NULL ? local_error->message : _("it is not a Striae draft"));
  return NULL;
}

/* Keeps @consultation (striae_store_spool_consultation()); the spool's lock is held. */
gboolean
store_spool_write (StriaeStore         *self,
                   StriaeConsultation  *consultation,
                   const char          *practitioner,
                   GError             **error)
{
  g_autofree char *folder = spool_folder (self);
  g_autofree char *path = NULL;
  g_autofree char *json = NULL;
  g_autoptr(GError) local_error = NULL;

  path = spool_path (self, striae_consultation_get_id (consultation),
                     striae_consultation_get_local_id (consultation));
  if (g_mkdir_with_parents (folder, 0700) != 0 || g_chmod (folder, 0700) != 0)
    {
      set_spool_error (error, folder, errno);
      return FALSE;
    }

  json = spool_to_json (consultation, practitioner != NULL ? practitioner : self->user);
  if (!g_file_set_contents_full (path, json, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                 &local_error))
    {
      g_set_error (error, STRIAE_STORE_ERROR,
                   g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOSPC)
                   ? STRIAE_STORE_ERROR_FULL : STRIAE_STORE_ERROR_READ_ONLY,
                   _("The draft could not be kept on this computer: %s"),
                   local_error->message);
      return FALSE;
    }

  return TRUE;
}

/**
 * striae_store_spool_consultation:
 * @consultation: a draft or complete consultation, as it should reach the records
 * @practitioner: (nullable): who typed it, for the audit log when it is sent
 *
 * Keeps @consultation on this computer until striae_store_send_spooled() sends it: in a 0600
 * file of a 0700 folder of the user's data folder, written atomically; it replaces what was
 * kept of the same consultation before (a new one: of the same local id). @consultation
 * itself is not changed.
 */
gboolean
striae_store_spool_consultation (StriaeStore         *self,
                                 StriaeConsultation  *consultation,
                                 const char          *practitioner,
                                 GError             **error)
{
  gboolean ok;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (STRIAE_IS_CONSULTATION (consultation), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!striae_store_may (self, STRIAE_RIGHT_CONSULTATIONS, error))
    return FALSE;

  store_spool_lock (self);
  ok = store_spool_write (self, consultation, practitioner, error);
  store_spool_unlock (self);
  return ok;
}

/* Forgets what was kept of a consultation once a newer version reached the records; the
 * spool's lock is held. */
void
store_spool_forget (StriaeStore *self,
                    gint64       id,
                    const char  *local_id)
{
  g_autofree char *path = spool_path (self, id, local_id);

  if (g_unlink (path) != 0 && errno != ENOENT)
    g_warning ("The draft sent to the records could not be removed from %s: %s", path,
               g_strerror (errno));
}

/* Before a save that may keep a draft, under the spool's lock: a copy made on this computer
 * from the start a sent draft was kept with continues what was sent (its number and stamp),
 * as the draft's own next save. A copy of any other stamp is left to the conflict check. */
void
store_spool_catch_up (StriaeStore        *self,
                      StriaeConsultation *consultation)
{
  g_autofree char *name = spool_file_name (striae_consultation_get_id (consultation),
                                           striae_consultation_get_local_id (consultation));
  SpoolSent *sent = g_hash_table_lookup (self->spool_sent, name);

  if (sent == NULL ||
      g_strcmp0 (sent->old_stamp, striae_consultation_get_stored_stamp (consultation)) != 0)
    return;

  striae_consultation_set_id (consultation, sent->id);
  striae_consultation_set_revision (consultation, sent->revision);
  striae_consultation_set_stored_stamp (consultation, sent->stamp);
}

/**
 * striae_store_discard_spooled:
 * @id: the consultation, 0 for a new one
 * @local_id: (nullable): the new one's local id (striae_consultation_get_local_id())
 *
 * Throws away what was kept on this computer of a consultation, when the user chose another
 * version of it (after a conflict).
 */
void
striae_store_discard_spooled (StriaeStore *self,
                              gint64       id,
                              const char  *local_id)
{
  g_return_if_fail (STRIAE_IS_STORE (self));
  g_return_if_fail (id != 0 || local_id != NULL);

  store_spool_lock (self);
  store_spool_forget (self, id, local_id);
  store_spool_unlock (self);
}

/**
 * striae_store_is_spooled:
 * @id: the consultation, 0 for a new one
 * @local_id: (nullable): the new one's local id (striae_consultation_get_local_id())
 *
 * Returns: whether a version of the consultation is kept on this computer, not sent yet
 */
gboolean
striae_store_is_spooled (StriaeStore *self,
                         gint64       id,
                         const char  *local_id)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != 0 || local_id != NULL, FALSE);

  path = spool_path (self, id, local_id);
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

/**
 * striae_store_dup_spool_folder:
 *
 * Returns: the folder where drafts of these records wait to be sent
 */
char *
striae_store_dup_spool_folder (StriaeStore *self)
{
  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);
  return spool_folder (self);
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* What became of one spool file, reported on the thread that asked for the sending. */
typedef struct
{
  gint64              old_id;
  char               *local_id;
  StriaeConsultation *stored;   /* as now stored; NULL when it was refused */
  GError             *refusal;
} SpoolOutcome;

static void
spool_outcome_free (SpoolOutcome *outcome)
{
  g_free (outcome->local_id);
  g_clear_object (&outcome->stored);
  g_clear_error (&outcome->refusal);
  g_free (outcome);
}

typedef enum
{
  SEND_SENT,
  SEND_GONE,    /* removed meanwhile: a newer version reached the records directly */
  SEND_FAILED,
} SendResult;

/* Sends one spool file under the spool's lock; keeps it unless the save committed. On
 * success @outcome holds the consultation as stored, on a failure the keys it was kept under
 * (0 and NULL when it could not be read). */
static SendResult
send_one (StriaeStore   *self,
          const char    *path,
          SpoolOutcome  *outcome,
          GError       **error)
{
  g_autoptr(StriaeConsultation) consultation = NULL;
  g_autofree char *practitioner = NULL;
  g_autofree char *old_stamp = NULL;
  SpoolSent *sent;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return SEND_GONE;
  if ((consultation = spool_read (path, &practitioner, error)) == NULL)
    return SEND_FAILED;

  outcome->old_id = striae_consultation_get_id (consultation);
  outcome->local_id = g_strdup (striae_consultation_get_local_id (consultation));
  old_stamp = g_strdup (striae_consultation_get_stored_stamp (consultation));
  if (!store_save_consultation (self, consultation, practitioner, FALSE, error))
    return SEND_FAILED;

  if (g_unlink (path) != 0 && errno != ENOENT)
    g_warning ("The draft sent to the records could not be removed from %s: %s", path,
               g_strerror (errno));

  sent = g_new0 (SpoolSent, 1);
  sent->old_stamp = g_steal_pointer (&old_stamp);
  sent->id = striae_consultation_get_id (consultation);
  sent->revision = striae_consultation_get_revision (consultation);
  sent->stamp = g_strdup (striae_consultation_get_stored_stamp (consultation));
  g_hash_table_insert (self->spool_sent, g_path_get_basename (path), sent);

  outcome->stored = g_steal_pointer (&consultation);
  return SEND_SENT;
}

/* Sends the spool without telling anyone: what became of each file is added to @outcomes. */
static gboolean
send_spooled (StriaeStore   *self,
              GPtrArray     *outcomes,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autofree char *folder = spool_folder (self);
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) first_error = NULL;
  const char *name;

  if ((dir = g_dir_open (folder, 0, NULL)) == NULL)
    return TRUE;  /* nothing was ever kept */

  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".json"))
      g_ptr_array_add (paths, g_build_filename (folder, name, NULL));
  g_ptr_array_sort (paths, compare_paths);

  for (guint i = 0; i < paths->len; i++)
    {
      g_autoptr(GError) local_error = NULL;
      SpoolOutcome *outcome;
      SendResult result;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      outcome = g_new0 (SpoolOutcome, 1);
      store_spool_lock (self);
      result = send_one (self, paths->pdata[i], outcome, &local_error);
      store_spool_unlock (self);

      if (result != SEND_FAILED)
        {
          if (result == SEND_SENT)
            g_ptr_array_add (outcomes, outcome);
          else
            spool_outcome_free (outcome);
          continue;
        }
      if (g_error_matches (local_error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_UNREACHABLE))
        {
          spool_outcome_free (outcome);
          g_clear_error (&first_error);
          first_error = g_steal_pointer (&local_error);
          break;
        }
      g_message ("A draft kept on this computer was not sent: %s", local_error->message);
      outcome->refusal = g_error_copy (local_error);
      g_ptr_array_add (outcomes, outcome);
      if (first_error == NULL)
        first_error = g_steal_pointer (&local_error);
    }

  if (first_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&first_error));
      return FALSE;
    }
  return TRUE;
}

/* Tells what became of the files ("spool-sent", "spool-refused"); returns how many were sent. */
static guint
emit_outcomes (StriaeStore *self,
               GPtrArray   *outcomes)
{
  guint sent = 0;

  for (guint i = 0; i < outcomes->len; i++)
    {
      SpoolOutcome *outcome = outcomes->pdata[i];

      if (outcome->stored != NULL)
        {
          sent++;
          store_emit_spool_sent (self, outcome->old_id, outcome->stored);
        }
      else
        store_emit_spool_refused (self, outcome->old_id, outcome->local_id, outcome->refusal);
    }
  return sent;
}

/**
 * striae_store_send_spooled:
 * @n_sent: (out) (optional): how many drafts reached the records
 *
 * Sends the drafts kept on this computer (striae_store_spool_consultation()) through the
 * normal save, oldest first, in the calling thread: each file is removed only once its save
 * committed, and "spool-sent" is emitted with the consultation as now stored. A draft that
 * someone changed on the records since (%STRIAE_STORE_ERROR_CONFLICT, or signed since) stays
 * kept and is reported with "spool-refused"; the others are sent all the same. The signals
 * are emitted once all was sent.
 *
 * Returns: %FALSE with @error set (the first problem) when a draft was not sent; the server
 *   still unreachable stops at once with %STRIAE_STORE_ERROR_UNREACHABLE
 */
gboolean
striae_store_send_spooled (StriaeStore  *self,
                           guint        *n_sent,
                           GError      **error)
{
  g_autoptr(GPtrArray) outcomes = NULL;
  gboolean ok;
  guint sent;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!striae_store_may (self, STRIAE_RIGHT_CONSULTATIONS, error))
    return FALSE;

  outcomes = g_ptr_array_new_with_free_func ((GDestroyNotify) spool_outcome_free);
  ok = send_spooled (self, outcomes, NULL, error);
  sent = emit_outcomes (self, outcomes);
  if (n_sent != NULL)
    *n_sent = sent;
  return ok;
}

static void
send_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;

  if (send_spooled (source_object, task_data, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Back on the context that asked (@user_data, the caller's task): the signals, then the
 * caller's callback. */
static void
send_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GPtrArray *outcomes = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;
  gboolean ok = g_task_propagate_boolean (G_TASK (result), &error);
  guint *n_sent = g_task_get_task_data (task);

  *n_sent = emit_outcomes (STRIAE_STORE (object), outcomes);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * striae_store_send_spooled_async:
 *
 * Sends the drafts kept on this computer as striae_store_send_spooled() does, in a worker
 * thread, so that the window never waits on the network. "spool-sent" and "spool-refused"
 * are emitted on the thread-default main context of the caller, before @callback.
 */
void
striae_store_send_spooled_async (StriaeStore         *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) worker = NULL;
  GTask *task;

  g_return_if_fail (STRIAE_IS_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, striae_store_send_spooled_async);
  g_task_set_task_data (task, g_new0 (guint, 1), g_free);

  worker = g_task_new (self, cancellable, send_done_cb, task);
  g_task_set_task_data (worker,
                        g_ptr_array_new_with_free_func ((GDestroyNotify) spool_outcome_free),
                        (GDestroyNotify) g_ptr_array_unref);
  g_task_run_in_thread (worker, send_thread);
}

/**
 * striae_store_send_spooled_finish:
 * @n_sent: (out) (optional): how many drafts reached the records
 *
 * Returns: as striae_store_send_spooled()
 */
gboolean
striae_store_send_spooled_finish (StriaeStore   *self,
                                  GAsyncResult  *result,
                                  guint         *n_sent,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (n_sent != NULL)
    *n_sent = *(guint *) g_task_get_task_data (G_TASK (result));
  return g_task_propagate_boolean (G_TASK (result), error);
}
