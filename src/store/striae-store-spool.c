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
 * revision, patient, the stamp it was read with), who typed it, and its document exactly as
 * the store would write it. A new consultation (no id yet) is filed under its patient. */

#define SPOOL_FORMAT 1

static char *
spool_folder (StriaeStore *self)
{
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, self->name, -1);

  hash[16] = '\0';
  return g_build_filename (g_get_user_data_dir (), "striae", "spool", hash, NULL);
}

static char *
spool_file_name (gint64 id,
                 gint64 patient_id)
{
  if (id == 0)
    return g_strdup_printf ("new-%" PRId64 ".json", patient_id);
  return g_strdup_printf ("consultation-%" PRId64 ".json", id);
}

static char *
spool_path (StriaeStore *self,
            gint64       id,
            gint64       patient_id)
{
  g_autofree char *folder = spool_folder (self);
  g_autofree char *name = spool_file_name (id, patient_id);

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

/**
 * striae_store_spool_consultation:
 * @consultation: a draft or complete consultation, as it should reach the records
 * @practitioner: (nullable): who typed it, for the audit log when it is sent
 *
 * Keeps @consultation on this computer until striae_store_send_spooled() sends it: in a 0600
 * file of a 0700 folder of the user's data folder, written atomically; it replaces what was
 * kept of the same consultation before. @consultation itself is not changed.
 */
gboolean
striae_store_spool_consultation (StriaeStore         *self,
                                 StriaeConsultation  *consultation,
                                 const char          *practitioner,
                                 GError             **error)
{
  g_autofree char *folder = NULL;
  g_autofree char *path = NULL;
  g_autofree char *json = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (STRIAE_IS_CONSULTATION (consultation), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  folder = spool_folder (self);
  path = spool_path (self, striae_consultation_get_id (consultation),
                     striae_consultation_get_patient_id (consultation));
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

/* Forgets what was kept of @consultation once its newest version reached the records. */
void
store_spool_forget (StriaeStore        *self,
                    StriaeConsultation *consultation,
                    gint64              old_id)
{
  g_autofree char *path = spool_path (self, old_id,
                                      striae_consultation_get_patient_id (consultation));

  if (g_unlink (path) != 0 && errno != ENOENT)
    g_warning ("The draft sent to the records could not be removed from %s: %s", path,
               g_strerror (errno));
}

/**
 * striae_store_discard_spooled:
 * @id: the consultation, 0 for a new one of @patient_id
 *
 * Throws away what was kept on this computer of a consultation, when the user chose another
 * version of it (after a conflict).
 */
void
striae_store_discard_spooled (StriaeStore *self,
                              gint64       id,
                              gint64       patient_id)
{
  g_autofree char *path = NULL;

  g_return_if_fail (STRIAE_IS_STORE (self));

  path = spool_path (self, id, patient_id);
  g_unlink (path);
}

/**
 * striae_store_is_spooled:
 * @id: the consultation, 0 for a new one of @patient_id
 *
 * Returns: whether a version of the consultation is kept on this computer, not sent yet
 */
gboolean
striae_store_is_spooled (StriaeStore *self,
                         gint64       id,
                         gint64       patient_id)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);

  path = spool_path (self, id, patient_id);
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

/* Sends one spool file; keeps it unless the save committed. @old_id and @patient_id are the
 * keys it was kept under (0 when it could not be read). */
static gboolean
send_one (StriaeStore  *self,
          const char   *path,
          gint64       *old_id,
          gint64       *patient_id,
          GError      **error)
{
  g_autoptr(StriaeConsultation) consultation = NULL;
  g_autofree char *practitioner = NULL;

  *old_id = *patient_id = 0;
  if ((consultation = spool_read (path, &practitioner, error)) == NULL)
    return FALSE;

  *old_id = striae_consultation_get_id (consultation);
  *patient_id = striae_consultation_get_patient_id (consultation);
  if (!store_save_consultation (self, consultation, practitioner, FALSE, error))
    return FALSE;

  if (g_unlink (path) != 0 && errno != ENOENT)
    g_warning ("The draft sent to the records could not be removed from %s: %s", path,
               g_strerror (errno));
  store_emit_spool_sent (self, *old_id, consultation);
  return TRUE;
}

/**
 * striae_store_send_spooled:
 * @n_sent: (out) (optional): how many drafts reached the records
 *
 * Sends the drafts kept on this computer (striae_store_spool_consultation()) through the
 * normal save, oldest first: each file is removed only once its save committed, and
 * "spool-sent" is emitted with the consultation as now stored. A draft that someone changed
 * on the records since (%STRIAE_STORE_ERROR_CONFLICT, or signed since) stays kept and is
 * reported with "spool-refused"; the others are sent all the same.
 *
 * Returns: %FALSE with @error set (the first problem) when a draft was not sent; the server
 *   still unreachable stops at once with %STRIAE_STORE_ERROR_UNREACHABLE
 */
gboolean
striae_store_send_spooled (StriaeStore  *self,
                           guint        *n_sent,
                           GError      **error)
{
  g_autofree char *folder = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) first_error = NULL;
  g_autoptr(GError) dir_error = NULL;
  guint sent = 0;
  const char *name;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (n_sent != NULL)
    *n_sent = 0;

  folder = spool_folder (self);
  if ((dir = g_dir_open (folder, 0, &dir_error)) == NULL)
    return TRUE;  /* nothing was ever kept */

  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".json"))
      g_ptr_array_add (paths, g_build_filename (folder, name, NULL));
  g_ptr_array_sort (paths, compare_paths);

  for (guint i = 0; i < paths->len; i++)
    {
      g_autoptr(GError) local_error = NULL;
      gint64 old_id, patient_id;

      if (send_one (self, paths->pdata[i], &old_id, &patient_id, &local_error))
        {
          sent++;
          continue;
        }
      if (g_error_matches (local_error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_UNREACHABLE))
        {
          g_clear_error (&first_error);
          first_error = g_steal_pointer (&local_error);
          break;
        }
      g_message ("A draft kept on this computer was not sent: %s", local_error->message);
      store_emit_spool_refused (self, old_id, patient_id, local_error);
      if (first_error == NULL)
        first_error = g_steal_pointer (&local_error);
    }

  if (n_sent != NULL)
    *n_sent = sent;
  if (first_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&first_error));
      return FALSE;
    }
  return TRUE;
}
