/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <unistd.h>

#include "striae-json-private.h"
#include "striae-photo-image.h"
#include "striae-sealed.h"
#include "striae-store-private.h"

/* A patient's record leaving or entering the store (export and import, documented in
 * docs/EXPORT-FORMAT.md), its erasure, and backups of the whole database. */

#define EXPORT_FORMAT "striae-patient-export"
/* 2: session records ("sessions"); 3: the schedule ("schedule"); 4: photos ("photos", each
 * image in base64 with its SHA-256) and the photo consent ("photo-consent"). Files of
 * versions 1 to 3 still import (their signed consultations get the schedule their plans
 * give; they have no photos). */
#define EXPORT_VERSION 4
/* More scheduled sessions than any file of real revisions holds: 20 course sessions and
 * their maintenance for each of the revisions a file may have. */
#define EXPORT_MAX_SCHEDULE (EXPORT_MAX_REVISIONS * 4)

/* The consent signed on the screen (issue 18) travels as the optional member
 * "consent-signatures", which files without it need not have: a few signatures for each
 * revision a file may have. */
#define EXPORT_MAX_SIGNATURES (EXPORT_MAX_REVISIONS * 3)

/* Bounds checked before json-glib reads a byte of an import (docs/EXPORT-FORMAT.md). A real
 * export takes a few kilobytes per revision, and about 1.4 times its size for each photo
 * (base64); the deepest member of the format, a history answer's detail, is at level 6. */
#define EXPORT_MAX_BYTES (256 * 1024 * 1024)
#define EXPORT_MAX_PHOTOS 2000
#define EXPORT_MAX_DEPTH 8
#define EXPORT_MAX_REVISIONS 1000
#define EXPORT_GENERATOR_MAX 200
/* Dates and times, whose form is checked after this bound on their length. */
#define EXPORT_SHORT_MAX 100

/* Export */

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_int (JsonBuilder *builder,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static gboolean
build_patient (StriaeStore  *self,
               JsonBuilder  *builder,
               gint64        patient_id,
               GError      **error)
{
  g_autoptr(StriaePatient) patient = NULL;
  gboolean archived = FALSE;
  g_autofree char *birth_date = NULL;
  g_autofree char *created = NULL;
  g_autofree char *updated = NULL;
  g_autofree char *record_id = NULL;

  if (!striae_store_backend_get_patient_record (self->backend, patient_id, &patient,
                                                &record_id, &archived, error))
    return FALSE;
  if (patient == NULL)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND,
                   _("There is no patient number %" PRId64 "; they may have been deleted."),
                   patient_id);
      return FALSE;
    }

  birth_date = striae_format_optional_iso_date (striae_patient_get_birth_date (patient));
  created = striae_patient_get_created (patient) ?
            striae_store_format_timestamp (striae_patient_get_created (patient)) : NULL;
  updated = striae_patient_get_updated (patient) ?
            striae_store_format_timestamp (striae_patient_get_updated (patient)) : NULL;

  json_builder_set_member_name (builder, "patient");
  json_builder_begin_object (builder);
  add_int (builder, "id", patient_id);
  add_string (builder, "record-id", record_id);
  add_string (builder, "given-name", striae_patient_get_given_name (patient));
  add_string (builder, "family-name", striae_patient_get_family_name (patient));
  add_string (builder, "birth-date", birth_date);
  add_string (builder, "sex", striae_sex_to_string (striae_patient_get_sex (patient)));
  add_string (builder, "phone", striae_patient_get_phone (patient));
  add_string (builder, "email", striae_patient_get_email (patient));
  add_string (builder, "language", striae_patient_get_language (patient));
  add_string (builder, "notes", striae_patient_get_notes (patient));
  add_string (builder, "created", created);
  add_string (builder, "updated", updated);
  json_builder_set_member_name (builder, "archived");
  json_builder_add_boolean_value (builder, archived);
  json_builder_end_object (builder);

  return TRUE;
}

typedef struct
{
  StriaeStore *store;
  JsonBuilder *builder;
  gint64       patient_id;
} ExportWalk;

static gboolean
add_revision_cb (const StriaeStoreRevisionText  *revision,
                 gpointer                        data,
                 GError                        **error)
{
  ExportWalk *walk = data;
  g_autoptr(JsonNode) node = json_from_string (revision->data, NULL);
  g_autoptr(JsonBuilder) record = json_builder_new ();

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_A_DATABASE,
                   _("A consultation of patient %" PRId64 " in %s is damaged."),
                   walk->patient_id, walk->store->name);
      return FALSE;
    }

  json_builder_begin_object (record);
  add_string (record, "created", revision->created);
  add_string (record, "updated", revision->updated);
  add_string (record, "signed-by", revision->signed_by);
  add_string (record, "signed-at", revision->signed_at);
  json_builder_end_object (record);

  json_object_set_member (json_node_get_object (node), "record",
                          json_builder_get_root (record));
  json_builder_add_value (walk->builder, g_steal_pointer (&node));
  return TRUE;
}

static gboolean
build_consultations (StriaeStore  *self,
                     JsonBuilder  *builder,
                     gint64        patient_id,
                     GError      **error)
{
  ExportWalk walk = { self, builder, patient_id };
  gboolean ok;

  json_builder_set_member_name (builder, "consultations");
  json_builder_begin_array (builder);
  ok = striae_store_backend_list_patient_revisions (self->backend, patient_id, add_revision_cb,
                                                    &walk, error);
  json_builder_end_array (builder);

  return ok;
}

typedef struct
{
  JsonBuilder *builder;
  gint64       accounts_start;  /* the last entry before accounts, -1: none */
} AuditWalk;

static char *
dup_timestamp (GDateTime *time)
{
  return time != NULL ? striae_store_format_timestamp (time) : NULL;
}

/* Every revision of the patient's session records (issue 17), each its document with a
 * "record" member as a consultation's revision has. */
static gboolean
build_sessions (StriaeStore  *self,
                JsonBuilder  *builder,
                gint64        patient_id,
                GError      **error)
{
  g_autoptr(GPtrArray) rows = NULL;

  rows = striae_store_backend_list_session_revisions (self->backend, 0, patient_id, TRUE,
                                                      error);
  if (rows == NULL)
    return FALSE;

  json_builder_set_member_name (builder, "sessions");
  json_builder_begin_array (builder);
  for (guint i = 0; i < rows->len; i++)
    {
      const StriaeStoreSessionRevision *row = g_ptr_array_index (rows, i);
      g_autoptr(JsonNode) node = json_from_string (row->document, NULL);
      g_autoptr(JsonBuilder) record = json_builder_new ();
      g_autofree char *created = dup_timestamp (row->created);
      g_autofree char *updated = dup_timestamp (row->updated);
      g_autofree char *signed_at = dup_timestamp (row->signed_at);

      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        {
          json_builder_end_array (builder);
          g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_A_DATABASE,
                       _("A session record of patient %" PRId64 " in %s is damaged."),
                       patient_id, self->name);
          return FALSE;
        }

      json_builder_begin_object (record);
      add_string (record, "created", created);
      add_string (record, "updated", updated);
      add_string (record, "signed-by", row->signed_by);
      add_string (record, "signed-at", signed_at);
      json_builder_end_object (record);
      json_object_set_member (json_node_get_object (node), "record",
                              json_builder_get_root (record));
      json_builder_add_value (builder, g_steal_pointer (&node));
    }
  json_builder_end_array (builder);

  return TRUE;
}

/* The consent's signatures given on the screen (issue 18), each with its strokes as stored
 * (an object) and the hash of the consent's text it was given to. */
static gboolean
build_consent_signatures (StriaeStore  *self,
                          JsonBuilder  *builder,
                          gint64        patient_id,
                          GError      **error)
{
  g_autoptr(GPtrArray) rows = NULL;

  rows = striae_store_backend_list_consent_signatures (self->backend, 0, patient_id, error);
  if (rows == NULL)
    return FALSE;

  json_builder_set_member_name (builder, "consent-signatures");
  json_builder_begin_array (builder);
  for (guint i = 0; i < rows->len; i++)
    {
      StriaeConsentSignature *signature = g_ptr_array_index (rows, i);
      g_autofree char *strokes = striae_consent_signature_strokes_to_json (signature);
      g_autofree char *signed_at =
        dup_timestamp (striae_consent_signature_get_signed_at (signature));

      json_builder_begin_object (builder);
      add_int (builder, "consultation", striae_consent_signature_get_consultation_id (signature));
      add_int (builder, "revision", striae_consent_signature_get_revision (signature));
      add_string (builder, "signer", striae_consent_signer_to_string (
                                       striae_consent_signature_get_signer (signature)));
      add_string (builder, "name", striae_consent_signature_get_name (signature));
      add_string (builder, "signed-at", signed_at);
      add_string (builder, "signed-by", striae_consent_signature_get_signed_by (signature));
      add_string (builder, "consent-sha256",
                  striae_consent_signature_get_consent_hash (signature));
      json_builder_set_member_name (builder, "strokes");
      json_builder_add_value (builder, json_from_string (strokes, NULL));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  return TRUE;
}

static void
add_date (JsonBuilder *builder,
          const char  *name,
          const GDate *date)
{
  g_autofree char *text = striae_format_optional_iso_date (date);

  add_string (builder, name, text[0] != '\0' ? text : NULL);
}

/* The patient's schedule (issue 17): every scheduled session as the diary has it. */
static gboolean
build_schedule (StriaeStore  *self,
                JsonBuilder  *builder,
                gint64        patient_id,
                GError      **error)
{
  g_autoptr(GPtrArray) rows = NULL;

  rows = striae_store_backend_list_schedule (self->backend, 0, patient_id, error);
  if (rows == NULL)
    return FALSE;

  json_builder_set_member_name (builder, "schedule");
  json_builder_begin_array (builder);
  for (guint i = 0; i < rows->len; i++)
    {
      const StriaeScheduledSession *row = g_ptr_array_index (rows, i);
      g_autofree char *changed_at = dup_timestamp (row->changed_at);

      json_builder_begin_object (builder);
      add_int (builder, "consultation", row->consultation_id);
      add_int (builder, "number", row->number);
      add_int (builder, "course-length", row->course_length);
      json_builder_set_member_name (builder, "maintenance");
      json_builder_add_boolean_value (builder, row->maintenance);
      add_date (builder, "date", &row->date);
      json_builder_set_member_name (builder, "time");
      if (row->time >= 0)
        json_builder_add_int_value (builder, row->time);
      else
        json_builder_add_null_value (builder);
      add_date (builder, "planned-date", &row->planned_date);
      add_string (builder, "status", striae_schedule_status_to_string (row->status));
      json_builder_set_member_name (builder, "session");
      if (row->treatment_session_id != 0)
        json_builder_add_int_value (builder, row->treatment_session_id);
      else
        json_builder_add_null_value (builder);
      add_string (builder, "changed-by", row->changed_by);
      add_string (builder, "changed-at", changed_at);
      add_string (builder, "reason", row->reason);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  return TRUE;
}

/* The patient's photo consent and photos (issue 18): each image as stored, in base64, with
 * its SHA-256, which an import checks. The thumbnails are made again on import. */
static gboolean
build_photo_consent (StriaeStore  *self,
                     JsonBuilder  *builder,
                     gint64        patient_id,
                     GError      **error)
{
  g_autofree char *scope = NULL;
  g_autoptr(GDateTime) recorded = NULL;
  g_autofree char *recorded_by = NULL;
  g_autofree char *when = NULL;

  if (!striae_store_backend_get_photo_consent (self->backend, patient_id, &scope, &recorded,
                                               &recorded_by, error))
    return FALSE;
  json_builder_set_member_name (builder, "photo-consent");
  if (scope == NULL)
    {
      json_builder_add_null_value (builder);
      return TRUE;
    }
  when = dup_timestamp (recorded);
  json_builder_begin_object (builder);
  add_string (builder, "scope", scope);
  add_string (builder, "recorded", when);
  add_string (builder, "recorded-by", recorded_by);
  json_builder_end_object (builder);
  return TRUE;
}

static gboolean
build_photo (StriaeStore  *self,
             JsonBuilder  *builder,
             StriaePhoto  *photo,
             GError      **error)
{
  g_autoptr(GBytes) image = NULL;
  g_autofree char *added = dup_timestamp (striae_photo_get_added (photo));
  g_autofree char *base64 = NULL;
  gint64 session = striae_photo_get_treatment_session_id (photo);

  if (!striae_store_backend_get_photo_data (self->backend, striae_photo_get_id (photo), FALSE,
                                            &image, error))
    return FALSE;
  if (image == NULL)
    return TRUE;

  base64 = g_base64_encode (g_bytes_get_data (image, NULL), g_bytes_get_size (image));
  json_builder_begin_object (builder);
  add_int (builder, "consultation", striae_photo_get_consultation_id (photo));
  json_builder_set_member_name (builder, "session");
  if (session != 0)
    json_builder_add_int_value (builder, session);
  else
    json_builder_add_null_value (builder);
  add_string (builder, "site", striae_store_photo_site_to_string (striae_photo_get_site (photo)));
  add_string (builder, "side", striae_store_photo_side_to_string (striae_photo_get_side (photo)));
  add_string (builder, "moment", striae_photo_moment_to_string (striae_photo_get_moment (photo)));
  add_date (builder, "date", striae_photo_get_date (photo));
  add_int (builder, "width", striae_photo_get_width (photo));
  add_int (builder, "height", striae_photo_get_height (photo));
  add_string (builder, "sha256", striae_photo_get_sha256 (photo));
  add_string (builder, "added", added);
  add_string (builder, "added-by", striae_photo_get_added_by (photo));
  add_string (builder, "image", base64);
  json_builder_end_object (builder);
  return TRUE;
}

static gboolean
build_photos (StriaeStore  *self,
              JsonBuilder  *builder,
              gint64        patient_id,
              GError      **error)
{
  g_autoptr(GPtrArray) photos = NULL;

  if (!build_photo_consent (self, builder, patient_id, error))
    return FALSE;
  photos = striae_store_backend_list_photos (self->backend, patient_id, error);
  if (photos == NULL)
    return FALSE;

  json_builder_set_member_name (builder, "photos");
  json_builder_begin_array (builder);
  for (guint i = 0; i < photos->len; i++)
    if (!build_photo (self, builder, g_ptr_array_index (photos, i), error))
      return FALSE;
  json_builder_end_array (builder);
  return TRUE;
}

static gboolean
add_audit_row_cb (const StriaeStoreAuditRow *row,
                  gpointer                   data)
{
  AuditWalk *walk = data;
  JsonBuilder *builder = walk->builder;
  g_autofree char *at = store_audit_row_dup_text (row, STRIAE_AUDIT_COLUMN_AT);
  g_autofree char *actor = store_audit_row_dup_text (row, STRIAE_AUDIT_COLUMN_ACTOR);
  g_autofree char *action = store_audit_row_dup_text (row, STRIAE_AUDIT_COLUMN_ACTION);
  g_autofree char *detail = store_audit_row_dup_text (row, STRIAE_AUDIT_COLUMN_DETAIL);

  json_builder_begin_object (builder);
  add_int (builder, "id", row->id);
  add_string (builder, "at", at);
  add_string (builder, "actor", actor);
  /* The actor of a row from before accounts is whatever name was typed then. */
  if (walk->accounts_start >= 0 && row->id <= walk->accounts_start)
    {
      json_builder_set_member_name (builder, "before-accounts");
      json_builder_add_boolean_value (builder, TRUE);
    }
  add_string (builder, "action", action);
  add_int (builder, "consultation-id",
           store_audit_row_get_int (row, STRIAE_AUDIT_COLUMN_CONSULTATION_ID));
  add_string (builder, "detail", detail);
  json_builder_end_object (builder);
  return TRUE;
}

static gboolean
build_audit (StriaeStore  *self,
             JsonBuilder  *builder,
             gint64        patient_id,
             GError      **error)
{
  AuditWalk walk = { builder, striae_store_get_accounts_start (self) };
  gboolean ok;

  json_builder_set_member_name (builder, "audit");
  json_builder_begin_array (builder);
  ok = striae_store_backend_audit_read (self->backend, 0, 0, patient_id, NULL,
                                        add_audit_row_cb, &walk, error);
  json_builder_end_array (builder);

  return ok;
}

static char *export_patient (StriaeStore        *self,
                             gint64              patient_id,
                             StriaeExportFlags   flags,
                             const char         *path,
                             const char         *passphrase,
                             GError            **error);

/**
 * striae_store_export_patient:
 *
 * Writes the patient's whole record (the patient, every revision of every consultation, and
 * with %STRIAE_EXPORT_FLAGS_WITH_AUDIT the audit rows about them) as JSON in the format of
 * docs/EXPORT-FORMAT.md, and records the export in the audit log.
 *
 * Returns: (transfer full): the JSON text, or %NULL on error
 */
char *
striae_store_export_patient (StriaeStore        *self,
                             gint64              patient_id,
                             StriaeExportFlags   flags,
                             GError            **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!striae_store_may (self, STRIAE_RIGHT_TRANSFER, error))
    return NULL;

  return export_patient (self, patient_id, flags, NULL, NULL, error);
}

/**
 * striae_store_export_patient_to_file:
 * @path: the file to write (checked with striae_store_check_output(); created 0600)
 * @passphrase: (nullable): seal the file with it (striae_sealed_seal()); %NULL writes the
 *   plain JSON, on purpose only
 *
 * Like striae_store_export_patient(), and writes the JSON to @path before the export's audit
 * row is committed: an export that could not be written leaves no row.
 *
 * Returns: %FALSE with @error set when the record cannot be read or the file not written
 */
gboolean
striae_store_export_patient_to_file (StriaeStore        *self,
                                     gint64              patient_id,
                                     StriaeExportFlags   flags,
                                     const char         *path,
                                     const char         *passphrase,
                                     GError            **error)
{
  g_autofree char *json = NULL;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!striae_store_may (self, STRIAE_RIGHT_TRANSFER, error))
    return FALSE;

  if ((passphrase != NULL && !striae_sealed_check_passphrase (passphrase, error)) ||
      !striae_store_check_output (self, path, error))
    return FALSE;
  json = export_patient (self, patient_id, flags, path, passphrase, error);
  return json != NULL;
}

/* A patient's whole record: readable by its owner only. */
static gboolean
write_export (const char   *path,
              const char   *json,
              const char   *passphrase,
              GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) plain = g_bytes_new_static (json, strlen (json));
  g_autoptr(GBytes) sealed = NULL;

  if (passphrase != NULL &&
      (sealed = striae_sealed_seal_bytes (plain, passphrase, error)) == NULL)
    return FALSE;
  if (sealed == NULL)
    sealed = g_bytes_ref (plain);

  if (g_file_set_contents_full (path, g_bytes_get_data (sealed, NULL),
                                g_bytes_get_size (sealed), G_FILE_SET_CONTENTS_CONSISTENT,
                                0600, &local_error))
    return TRUE;
  g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FAILED,
               _("The export could not be written, so it was not recorded: %s"),
               local_error->message);
  return FALSE;
}

/* Ends the JSON and, when there is a @path, writes it there: inside the transaction, so that
 * the audit row of the export is committed only once the file exists. */
static char *
finish_export (JsonBuilder  *builder,
               const char   *path,
               const char   *passphrase,
               GError      **error)
{
  g_autofree char *json = NULL;

  json_builder_end_object (builder);
  json = striae_json_builder_to_data (builder);
  if (path != NULL && !write_export (path, json, passphrase, error))
    return NULL;
  return g_steal_pointer (&json);
}

static char *
export_patient (StriaeStore        *self,
                gint64              patient_id,
                StriaeExportFlags   flags,
                const char         *path,
                const char         *passphrase,
                GError            **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *now = striae_store_now ();
  g_autofree char *json = NULL;

  json_builder_begin_object (builder);
  add_string (builder, "format", EXPORT_FORMAT);
  add_int (builder, "version", EXPORT_VERSION);
  add_string (builder, "generator", "Striae " PACKAGE_VERSION);
  add_string (builder, "exported", now);

  /* One transaction: the file shows one moment, and holds the export in its audit rows. */
  striae_store_backend_lock (self->backend);
  if (!striae_store_backend_begin (self->backend, error) ||
      !build_patient (self, builder, patient_id, error) ||
      !build_consultations (self, builder, patient_id, error) ||
      !build_sessions (self, builder, patient_id, error) ||
      !build_schedule (self, builder, patient_id, error) ||
      !build_photos (self, builder, patient_id, error) ||
      !build_consent_signatures (self, builder, patient_id, error) ||
      !store_audit_append (self, STRIAE_AUDIT_EXPORT, NULL, patient_id, 0, "", error) ||
      ((flags & STRIAE_EXPORT_FLAGS_WITH_AUDIT) &&
       !build_audit (self, builder, patient_id, error)) ||
      (json = finish_export (builder, path, passphrase, error)) == NULL ||
      !striae_store_backend_commit (self->backend, error))
    {
      striae_store_backend_rollback (self->backend);
      striae_store_backend_unlock (self->backend);
      return NULL;
    }
  striae_store_backend_unlock (self->backend);

  return g_steal_pointer (&json);
}

/* Import */

typedef struct
{
  StriaeConsultation *consultation;
  char               *created;
  char               *updated;
  char               *signed_by;
  char               *signed_at;
} ImportedRevision;

static void
imported_revision_free (ImportedRevision *revision)
{
  g_clear_object (&revision->consultation);
  g_free (revision->created);
  g_free (revision->updated);
  g_free (revision->signed_by);
  g_free (revision->signed_at);
  g_free (revision);
}

/* @text on one line: a refusal may quote the file (a member's name, a value), which can hold
 * line breaks and other control characters; they are shown as JSON escapes. */
static char *
one_line (const char *text)
{
  GString *line = g_string_sized_new (strlen (text));

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '\n')
        g_string_append (line, "\\n");
      else if (*p == '\t')
        g_string_append (line, "\\t");
      else if ((guchar) *p < 0x20 || *p == 0x7f)
        g_string_append_printf (line, "\\u%04x", (guchar) *p);
      else
        g_string_append_c (line, *p);
    }

  return g_string_free (line, FALSE);
}

static gboolean
refuse (GError     **error,
        const char  *path,
        const char  *what)
{
  g_autofree char *path_line = one_line (path);
  g_autofree char *what_line = one_line (what);

  g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
               _("The file was not imported and nothing was changed: at %s, %s"), path_line,
               what_line);
  return FALSE;
}

/* Import is exact and strict about types, but a null stands for a value the exporter did not
 * have. */
static const StriaeJsonReader reader = {
  .fail = refuse,
  .wrong_root = N_("this is not a Striae patient export."),
  .unknown_member = N_("this member is unknown."),
  .missing = N_("this member is missing."),
  .expected_string = N_("a text was expected."),
  .expected_object = N_("an object was expected."),
  .null_value_is_missing = TRUE,
  .exact = TRUE,
};

/* A consultation in the file is read as the core reads its own (a null is of the wrong
 * type), exactly, with the file's wording and the path inside the file. */
static const StriaeJsonReader consultation_reader = {
  .fail = refuse,
  .exact = TRUE,
};

static gboolean
read_digits (const char **p,
             guint        n,
             int         *value)
{
  *value = 0;
  for (guint i = 0; i < n; i++, (*p)++)
    {
      if (!g_ascii_isdigit (**p))
        return FALSE;
      *value = *value * 10 + (**p - '0');
    }

  return TRUE;
}

static gboolean
read_char (const char **p,
           char         c)
{
  if (**p != c)
    return FALSE;

  (*p)++;
  return TRUE;
}

/* Parses a time exactly as the format writes it, in UTC: YYYY-MM-DDTHH:MM:SS, a fraction of
 * one to six digits or none, and Z. No other offset, no leap second, a real calendar day. */
static GDateTime *
parse_utc_timestamp (const char *text)
{
  const char *p = text;
  int year, month, day, hour, minute, second, micro = 0;
  guint digits = 0;

  if (!read_digits (&p, 4, &year) || !read_char (&p, '-') || !read_digits (&p, 2, &month) ||
      !read_char (&p, '-') || !read_digits (&p, 2, &day) || !read_char (&p, 'T') ||
      !read_digits (&p, 2, &hour) || !read_char (&p, ':') || !read_digits (&p, 2, &minute) ||
      !read_char (&p, ':') || !read_digits (&p, 2, &second))
    return NULL;

  if (read_char (&p, '.'))
    {
      for (; g_ascii_isdigit (*p) && digits < 6; p++, digits++)
        micro = micro * 10 + (*p - '0');
      if (digits == 0)
        return NULL;
      for (; digits < 6; digits++)
        micro *= 10;
    }

  if (!read_char (&p, 'Z') || *p != '\0' || year < 1 || !g_date_valid_dmy (day, month, year) ||
      hour > 23 || minute > 59 || second > 59)
    return NULL;

  return g_date_time_new_utc (year, month, day, hour, minute, second + micro / 1e6);
}

static gboolean
read_timestamp (JsonObject   *object,
                const char   *path,
                const char   *name,
                char        **value,
                GError      **error)
{
  g_autoptr(GDateTime) time = NULL;
  g_autofree char *where = NULL;
  const char *text;
  gboolean found;

  /* Its form is checked below; the bound only keeps what is read short. */
  if (!striae_json_read_text (&reader, object, path, name, EXPORT_SHORT_MAX, &text, &found,
                              error))
    return FALSE;
  if (!found)
    return TRUE;

  time = parse_utc_timestamp (text);
  if (time == NULL)
    {
      where = g_strdup_printf ("%s.%s", path, name);
      return refuse (error, where, _("a date and time in UTC written as "
                                     "YYYY-MM-DDTHH:MM:SS or YYYY-MM-DDTHH:MM:SS.ffffff, "
                                     "followed by Z, was expected."));
    }

  if (value != NULL)
    *value = striae_store_format_timestamp (time);
  return TRUE;
}

static const char *
patient_field_name (StriaePatientField field)
{
  static const char * const names[] = {
    [STRIAE_PATIENT_FIELD_GIVEN_NAME] = "given-name",
    [STRIAE_PATIENT_FIELD_FAMILY_NAME] = "family-name",
    [STRIAE_PATIENT_FIELD_BIRTH_DATE] = "birth-date",
    [STRIAE_PATIENT_FIELD_SEX] = "sex",
    [STRIAE_PATIENT_FIELD_PHONE] = "phone",
    [STRIAE_PATIENT_FIELD_EMAIL] = "email",
    [STRIAE_PATIENT_FIELD_LANGUAGE] = "language",
    [STRIAE_PATIENT_FIELD_NOTES] = "notes",
  };

  return field < STRIAE_PATIENT_N_FIELDS ? names[field] : "";
}

/* The patient's text fields, each within its length and kept as written. */
static gboolean
read_patient_texts (JsonObject     *object,
                    StriaePatient  *patient,
                    GError        **error)
{
  static const struct {
    const char *name;
    gboolean    required;
    guint       max_chars;
    void      (*set) (StriaePatient *, const char *);
  } fields[] = {
    { "given-name", TRUE, STRIAE_PATIENT_NAME_MAX, striae_patient_set_given_name },
    { "family-name", TRUE, STRIAE_PATIENT_NAME_MAX, striae_patient_set_family_name },
    { "phone", FALSE, STRIAE_PATIENT_PHONE_MAX, striae_patient_set_phone },
    { "email", FALSE, STRIAE_PATIENT_EMAIL_MAX, striae_patient_set_email },
    { "language", FALSE, STRIAE_PATIENT_LANGUAGE_MAX, striae_patient_set_language },
    { "notes", FALSE, STRIAE_PATIENT_NOTES_MAX, striae_patient_set_notes },
  };
  const char *text;
  gboolean found;

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      if (!striae_json_read_text (&reader, object, "$.patient", fields[i].name,
                                  fields[i].max_chars, &text,
                                  fields[i].required ? NULL : &found, error))
        return FALSE;
      if (text != NULL)
        fields[i].set (patient, text);
    }

  return TRUE;
}

/* The date of birth as YYYY-MM-DD, a real calendar day: another spelling that the patient
 * form would understand (1990/05/12) is not what the file says. */
static gboolean
read_birth_date (JsonObject     *object,
                 StriaePatient  *patient,
                 GError        **error)
{
  const char *text;
  GDate date;

  if (!striae_json_read_text (&reader, object, "$.patient", "birth-date", EXPORT_SHORT_MAX,
                              &text, NULL, error))
    return FALSE;

  if (!striae_parse_iso_date (text, &date, NULL))
    return refuse (error, "$.patient.birth-date", _("expected a date written as YYYY-MM-DD."));

  striae_patient_set_birth_date (patient, &date);
  return TRUE;
}

static gboolean
read_sex (JsonObject     *object,
          StriaePatient  *patient,
          GError        **error)
{
  const char *text;
  gboolean found;
  StriaeSex sex;

  if (!striae_json_read_string (&reader, object, "$.patient", "sex", &text, &found, error))
    return FALSE;
  if (!found)
    return TRUE;

  sex = striae_sex_from_string (text);
  if (g_strcmp0 (striae_sex_to_string (sex), text) != 0)
    return refuse (error, "$.patient.sex", _("this value is not one Striae knows."));

  striae_patient_set_sex (patient, sex);
  return TRUE;
}

static gboolean
read_patient_id (JsonObject  *object,
                 gint64      *old_id,
                 GError     **error)
{
  const char *natural = _("a whole number of 0 or more was expected.");
  JsonNode *node;

  *old_id = 0;
  if (!striae_json_read_value (&reader, object, "$.patient", "id", G_TYPE_INT64, FALSE,
                               natural, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;

  if (json_node_get_int (node) < 0)
    return refuse (error, "$.patient.id", natural);

  *old_id = json_node_get_int (node);
  return TRUE;
}

/* The record id as Striae writes it, a UUID in lower case; absent (or null) in exports from
 * before record ids, which then get a new one. */
static gboolean
read_record_id (JsonObject  *object,
                char       **record_id,
                GError     **error)
{
  const char *text;
  gboolean found;

  if (!striae_json_read_text (&reader, object, "$.patient", "record-id", EXPORT_SHORT_MAX, &text,
                              &found, error))
    return FALSE;
  if (!found)
    return TRUE;

  if (!g_uuid_string_is_valid (text))
    return refuse (error, "$.patient.record-id",
                   _("a UUID such as “0c6ef1a4-4b8e-4e0e-9f1b-2c1d3e4f5a6b” was expected."));
  for (const char *p = text; *p != '\0'; p++)
    if (g_ascii_isupper (*p))
      return refuse (error, "$.patient.record-id",
                     _("a UUID is written in lower case in an export."));

  *record_id = g_strdup (text);
  return TRUE;
}

/* Whether the patient was archived where the file comes from; absent in exports from before
 * archiving, which read as not archived. */
static gboolean
read_archived (JsonObject  *object,
               gboolean    *archived,
               GError     **error)
{
  JsonNode *node;

  *archived = FALSE;
  if (!striae_json_read_value (&reader, object, "$.patient", "archived", G_TYPE_BOOLEAN, FALSE,
                               _("expected true or false."), &node, error))
    return FALSE;
  if (node != NULL)
    *archived = json_node_get_boolean (node);
  return TRUE;
}

static StriaePatient *
read_patient (JsonObject  *root,
              gint64      *old_id,
              char       **record_id,
              gboolean    *archived,
              GError     **error)
{
  static const char * const allowed[] = {
    "id", "record-id", "given-name", "family-name", "birth-date", "sex", "phone", "email",
    "language", "notes", "created", "updated", "archived", NULL
  };
  g_autoptr(StriaePatient) patient = striae_patient_new ();
  g_autoptr(GError) local_error = NULL;
  StriaePatientField bad_field = STRIAE_PATIENT_N_FIELDS;
  JsonObject *object;
  GDate today;

  if (!striae_json_read_object (&reader, root, "$", "patient", &object, error))
    return NULL;
  if (object == NULL)
    {
      refuse (error, "$.patient", _("this member is missing."));
      return NULL;
    }

  if (!striae_json_check_members (&reader, object, "$.patient", allowed, error) ||
      !read_patient_id (object, old_id, error) ||
      !read_record_id (object, record_id, error) ||
      !read_archived (object, archived, error) ||
      !read_patient_texts (object, patient, error) ||
      !read_birth_date (object, patient, error) ||
      !read_sex (object, patient, error) ||
      !read_timestamp (object, "$.patient", "created", NULL, error) ||
      !read_timestamp (object, "$.patient", "updated", NULL, error))
    return NULL;

  striae_get_today (&today);
  if (!striae_patient_validate (patient, &today, &bad_field, &local_error))
    {
      g_autofree char *where = g_strdup_printf ("$.patient.%s", patient_field_name (bad_field));

      refuse (error, where, local_error->message);
      return NULL;
    }

  return g_steal_pointer (&patient);
}

static gboolean
read_record (JsonObject        *record,
             const char        *path,
             ImportedRevision  *revision,
             GError           **error)
{
  static const char * const allowed[] = {
    "created", "updated", "signed-by", "signed-at", NULL
  };
  const char *text;
  gboolean found;

  if (!striae_json_check_members (&reader, record, path, allowed, error) ||
      !read_timestamp (record, path, "created", &revision->created, error) ||
      !read_timestamp (record, path, "updated", &revision->updated, error) ||
      !read_timestamp (record, path, "signed-at", &revision->signed_at, error) ||
      !striae_json_read_text (&reader, record, path, "signed-by", STRIAE_CONSULTATION_NAME_MAX,
                              &text, &found, error))
    return FALSE;

  revision->signed_by = g_strdup (text);
  return TRUE;
}

static ImportedRevision *
read_revision (JsonNode  *node,
               guint      index,
               GError   **error)
{
  g_autofree char *path = g_strdup_printf ("$.consultations[%u]", index);
  g_autofree char *record_path = g_strdup_printf ("%s.record", path);
  g_autoptr(JsonNode) copy = NULL;
  ImportedRevision *revision;
  JsonObject *object;
  JsonObject *record;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      refuse (error, path, _("an object was expected."));
      return NULL;
    }

  copy = json_node_copy (node);
  object = json_node_get_object (copy);
  if (!striae_json_read_object (&reader, object, path, "record", &record, error))
    return NULL;

  revision = g_new0 (ImportedRevision, 1);
  if (record != NULL)
    {
      if (!read_record (record, record_path, revision, error))
        {
          imported_revision_free (revision);
          return NULL;
        }
      json_object_remove_member (object, "record");
    }

  revision->consultation = striae_json_read_consultation (&consultation_reader, object, path,
                                                          error);
  if (revision->consultation == NULL)
    {
      imported_revision_free (revision);
      return NULL;
    }

  return revision;
}

/* Checks that the revisions make sense together: each consultation's revisions in order
 * from 1, only the last one unsigned, signatures exactly on signed revisions, and every
 * consultation about the file's patient. */
static gboolean
check_revisions (GPtrArray  *revisions,
                 gint64      old_patient_id,
                 GError    **error)
{
  for (guint i = 0; i < revisions->len; i++)
    {
      ImportedRevision *revision = g_ptr_array_index (revisions, i);
      StriaeConsultation *c = revision->consultation;
      ImportedRevision *before = i > 0 ? g_ptr_array_index (revisions, i - 1) : NULL;
      gboolean same = before != NULL &&
                      striae_consultation_get_id (before->consultation) ==
                      striae_consultation_get_id (c);
      gboolean is_signed = striae_consultation_get_status (c) == STRIAE_CONSULTATION_STATUS_SIGNED;
      g_autofree char *path = g_strdup_printf ("$.consultations[%u]", i);
      g_autofree char *where = NULL;

      if (striae_consultation_get_id (c) <= 0)
        {
          where = g_strconcat (path, ".id", NULL);
          return refuse (error, where, _("every consultation needs its number."));
        }

      if (striae_consultation_get_patient_id (c) != 0 && old_patient_id != 0 &&
          striae_consultation_get_patient_id (c) != old_patient_id)
        {
          where = g_strconcat (path, ".patient-id", NULL);
          return refuse (error, where, _("the consultation is about another patient."));
        }

      for (guint j = 0; j < i; j++)
        {
          ImportedRevision *other = g_ptr_array_index (revisions, j);

          if (!same && striae_consultation_get_id (other->consultation) ==
                       striae_consultation_get_id (c))
            {
              where = g_strconcat (path, ".id", NULL);
              return refuse (error, where,
                             _("the revisions of a consultation must follow one another."));
            }
        }

      if (striae_consultation_get_revision (c) !=
          (same ? striae_consultation_get_revision (before->consultation) + 1 : 1))
        {
          where = g_strconcat (path, ".revision", NULL);
          return refuse (error, where,
                         _("revisions must be numbered 1, 2, 3 … without gaps, in order."));
        }

      if (same && striae_consultation_get_status (before->consultation) !=
                  STRIAE_CONSULTATION_STATUS_SIGNED)
        {
          where = g_strdup_printf ("$.consultations[%u].status", i - 1);
          return refuse (error, where,
                         _("only a signed revision can have been amended."));
        }

      if (is_signed != (revision->signed_by != NULL && revision->signed_by[0] != '\0'))
        {
          where = g_strconcat (path, ".record.signed-by", NULL);
          return refuse (error, where, is_signed ? _("a signed revision must name its signer.")
                                                 : _("only a signed revision has a signer."));
        }
      if (is_signed != (revision->signed_at != NULL))
        {
          where = g_strconcat (path, ".record.signed-at", NULL);
          return refuse (error, where, is_signed ? _("a signed revision must say when.")
                                                 : _("only a signed revision has a time of "
                                                     "signing."));
        }
    }

  return TRUE;
}

static JsonObject *
parse_export (JsonParser  *parser,
              const char  *json,
              gssize       length,
              GError     **error)
{
  static const char * const allowed[] = {
    "format", "version", "generator", "exported", "patient", "consultations", "sessions",
    "schedule", "photo-consent", "photos", "consent-signatures", "audit", NULL
  };
  JsonObject *root;
  JsonNode *node;
  const char *text;
  gboolean found;

  /* Never more than one byte past the bound, even in text without a NUL byte at the end. */
  if (length < 0)
    length = strnlen (json, EXPORT_MAX_BYTES + 1);
  if (length > EXPORT_MAX_BYTES)
    {
      g_autofree char *what =
        g_strdup_printf (_("the file is larger than the %u MB an export may have."),
                         EXPORT_MAX_BYTES >> 20);

      refuse (error, "$", what);
      return NULL;
    }

  if (!striae_json_check_strict (&reader, json, length, EXPORT_MAX_DEPTH, error) ||
      (root = striae_json_parse_object (&reader, parser, json, length, error)) == NULL)
    return NULL;

  if (!striae_json_read_string (&reader, root, "$", "format", &text, NULL, error))
    return NULL;
  if (g_strcmp0 (text, EXPORT_FORMAT) != 0)
    {
      refuse (error, "$.format", _("this is not a Striae patient export."));
      return NULL;
    }

  if (!striae_json_read_value (&reader, root, "$", "version", G_TYPE_INT64, TRUE,
                               _("the format version is missing or not a number."), &node, error))
    return NULL;
  if (json_node_get_int (node) < 1 || json_node_get_int (node) > EXPORT_VERSION)
    {
      g_autofree char *what =
        g_strdup_printf (_("format version %" PRId64 " is not one this version of Striae "
                           "reads (it reads version %d)."),
                         json_node_get_int (node), EXPORT_VERSION);

      refuse (error, "$.version", what);
      return NULL;
    }

  if (!striae_json_check_members (&reader, root, "$", allowed, error) ||
      !striae_json_read_text (&reader, root, "$", "generator", EXPORT_GENERATOR_MAX, &text,
                              &found, error) ||
      !read_timestamp (root, "$", "exported", NULL, error))
    return NULL;

  return root;
}

/* A photo of the file: its record (the file's numbers for its consultation and session), its
 * image as the file has it (its SHA-256 checked) and the thumbnail made from it. */
typedef struct
{
  StriaePhoto *photo;
  GBytes      *image;
  GBytes      *thumbnail;
} ImportedPhoto;

static void
imported_photo_free (ImportedPhoto *imported)
{
  g_clear_object (&imported->photo);
  g_clear_pointer (&imported->image, g_bytes_unref);
  g_clear_pointer (&imported->thumbnail, g_bytes_unref);
  g_free (imported);
}

/* What a file holds, read and checked, before anything is written. */
typedef struct
{
  StriaePatient *patient;
  char          *record_id;   /* %NULL in exports from before record ids */
  gboolean       archived;
  GPtrArray     *revisions;   /* of ImportedRevision */
  GPtrArray     *sessions;    /* of ImportedSession */
  GPtrArray     *schedule;    /* of StriaeScheduledSession, as the file numbers them */
  GPtrArray     *photos;      /* of ImportedPhoto, as the file numbers their places */
  char          *consent_scope;   /* NULL: the file has no photo consent */
  char          *consent_recorded;
  char          *consent_by;
  GPtrArray     *signatures;  /* of StriaeConsentSignature, as the file numbers them */
} ImportedRecord;

static void
imported_record_clear (ImportedRecord *record)
{
  g_clear_object (&record->patient);
  g_clear_pointer (&record->record_id, g_free);
  g_clear_pointer (&record->revisions, g_ptr_array_unref);
  g_clear_pointer (&record->sessions, g_ptr_array_unref);
  g_clear_pointer (&record->schedule, g_ptr_array_unref);
  g_clear_pointer (&record->photos, g_ptr_array_unref);
  g_clear_pointer (&record->consent_scope, g_free);
  g_clear_pointer (&record->consent_recorded, g_free);
  g_clear_pointer (&record->consent_by, g_free);
  g_clear_pointer (&record->signatures, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ImportedRecord, imported_record_clear)

static gboolean
read_revisions (JsonObject      *root,
                gint64           old_patient_id,
                ImportedRecord  *record,
                GError         **error)
{
  JsonArray *array;

  record->revisions = g_ptr_array_new_with_free_func ((GDestroyNotify) imported_revision_free);
  if (!striae_json_read_array (&reader, root, "$", "consultations", _("a list was expected."),
                               &array, error))
    return FALSE;
  if (array == NULL)
    return TRUE;

  if (!striae_json_check_count (&reader, "$.consultations", json_array_get_length (array),
                                EXPORT_MAX_REVISIONS, error))
    return FALSE;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      ImportedRevision *revision = read_revision (json_array_get_element (array, i), i, error);

      if (revision == NULL)
        return FALSE;
      g_ptr_array_add (record->revisions, revision);
    }

  return check_revisions (record->revisions, old_patient_id, error);
}

/* Session records (issue 17), read like the consultations' revisions: each its document as
 * the core reads its own, exactly, with the file's wording, and a "record" member. */
typedef struct
{
  StriaeTreatmentSession *session;
  ImportedRevision        record;   /* only its times and signature */
} ImportedSession;

static void
imported_session_free (ImportedSession *imported)
{
  g_clear_object (&imported->session);
  g_free (imported->record.created);
  g_free (imported->record.updated);
  g_free (imported->record.signed_by);
  g_free (imported->record.signed_at);
  g_free (imported);
}

static ImportedSession *
read_session (JsonNode  *node,
              guint      index,
              GError   **error)
{
  g_autofree char *path = g_strdup_printf ("$.sessions[%u]", index);
  g_autofree char *record_path = g_strdup_printf ("%s.record", path);
  g_autoptr(JsonNode) copy = NULL;
  ImportedSession *imported;
  JsonObject *object;
  JsonObject *record;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      refuse (error, path, _("an object was expected."));
      return NULL;
    }

  copy = json_node_copy (node);
  object = json_node_get_object (copy);
  if (!striae_json_read_object (&reader, object, path, "record", &record, error))
    return NULL;

  imported = g_new0 (ImportedSession, 1);
  if (record != NULL)
    {
      if (!read_record (record, record_path, &imported->record, error))
        {
          imported_session_free (imported);
          return NULL;
        }
      json_object_remove_member (object, "record");
    }

  imported->session = striae_json_read_treatment_session (&consultation_reader, object, path,
                                                          error);
  if (imported->session == NULL)
    {
      imported_session_free (imported);
      return NULL;
    }

  return imported;
}

/* As check_revisions(): each session's revisions in order from 1, only a signed one amended,
 * signatures exactly on signed revisions, and each session of one of the file's
 * consultations. */
static gboolean
check_session (GPtrArray   *sessions,
               guint        i,
               GHashTable  *consultations,
               GError     **error)
{
  ImportedSession *imported = g_ptr_array_index (sessions, i);
  StriaeTreatmentSession *s = imported->session;
  ImportedSession *before = i > 0 ? g_ptr_array_index (sessions, i - 1) : NULL;
  gboolean same = before != NULL &&
                  striae_treatment_session_get_id (before->session) ==
                  striae_treatment_session_get_id (s);
  gboolean is_signed =
    striae_treatment_session_get_status (s) == STRIAE_TREATMENT_SESSION_STATUS_SIGNED;
  const char *signer = imported->record.signed_by;
  g_autofree char *path = g_strdup_printf ("$.sessions[%u]", i);
  g_autofree char *where = NULL;
  gint64 consultation_id = striae_treatment_session_get_consultation_id (s);

  if (striae_treatment_session_get_id (s) <= 0)
    {
      where = g_strconcat (path, ".id", NULL);
      return refuse (error, where, _("every session record needs its number."));
    }
  if (!g_hash_table_contains (consultations, &consultation_id))
    {
      where = g_strconcat (path, ".consultation-id", NULL);
      return refuse (error, where, _("the session record belongs to no consultation of the "
                                     "file."));
    }
  for (guint j = 0; !same && j < i; j++)
    {
      ImportedSession *other = g_ptr_array_index (sessions, j);

      if (striae_treatment_session_get_id (other->session) ==
          striae_treatment_session_get_id (s))
        {
          where = g_strconcat (path, ".id", NULL);
          return refuse (error, where,
                         _("the revisions of a session record must follow one another."));
        }
    }
  if (striae_treatment_session_get_revision (s) !=
      (same ? striae_treatment_session_get_revision (before->session) + 1 : 1))
    {
      where = g_strconcat (path, ".revision", NULL);
      return refuse (error, where,
                     _("revisions must be numbered 1, 2, 3 … without gaps, in order."));
    }
  if (same && striae_treatment_session_get_status (before->session) !=
              STRIAE_TREATMENT_SESSION_STATUS_SIGNED)
    {
      where = g_strdup_printf ("$.sessions[%u].status", i - 1);
      return refuse (error, where, _("only a signed revision can have been amended."));
    }
  if (is_signed != (signer != NULL && signer[0] != '\0') ||
      is_signed != (imported->record.signed_at != NULL))
    {
      where = g_strconcat (path, ".record", NULL);
      return refuse (error, where, is_signed ? _("a signed revision must name its signer "
                                                 "and say when.")
                                             : _("only a signed revision has a signer."));
    }

  return TRUE;
}

static gboolean
read_sessions (JsonObject      *root,
               ImportedRecord  *record,
               GError         **error)
{
  g_autoptr(GHashTable) consultations =
    g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  JsonArray *array;

  record->sessions = g_ptr_array_new_with_free_func ((GDestroyNotify) imported_session_free);
  if (!striae_json_read_array (&reader, root, "$", "sessions", _("a list was expected."),
                               &array, error))
    return FALSE;
  if (array == NULL)
    return TRUE;
  if (!striae_json_check_count (&reader, "$.sessions", json_array_get_length (array),
                                EXPORT_MAX_REVISIONS, error))
    return FALSE;

  for (guint i = 0; i < record->revisions->len; i++)
    {
      ImportedRevision *revision = g_ptr_array_index (record->revisions, i);
      gint64 *id = g_new (gint64, 1);

      *id = striae_consultation_get_id (revision->consultation);
      g_hash_table_add (consultations, id);
    }

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      ImportedSession *imported = read_session (json_array_get_element (array, i), i, error);

      if (imported == NULL)
        return FALSE;
      g_ptr_array_add (record->sessions, imported);
      if (!check_session (record->sessions, i, consultations, error))
        return FALSE;
    }

  return TRUE;
}

/* An optional integer member in @min…@max (a null or no member: @absent). */
static gboolean
read_bounded (JsonObject  *object,
              const char  *path,
              const char  *name,
              gint64       min,
              gint64       max,
              gboolean     required,
              gint64       absent,
              gint64      *value,
              GError     **error)
{
  JsonNode *node = NULL;

  if (!striae_json_read_value (&reader, object, path, name, G_TYPE_INT64, required,
                               _("a whole number was expected."), &node, error))
    return FALSE;
  *value = node != NULL ? json_node_get_int (node) : absent;
  if (node != NULL && (*value < min || *value > max))
    return striae_json_fail_member (&reader, error, path, name, _("the number is out of range."));
  return TRUE;
}

static gboolean
read_date_member (JsonObject  *object,
                  const char  *path,
                  const char  *name,
                  GDate       *date,
                  GError     **error)
{
  const char *text = NULL;

  if (!striae_json_read_string (&reader, object, path, name, &text, NULL, error))
    return FALSE;
  if (!striae_parse_iso_date (text, date, NULL))
    return striae_json_fail_member (&reader, error, path, name,
                                    _("a date (YYYY-MM-DD) was expected."));
  return TRUE;
}

/* One scheduled session of the file, its numbers (consultation, session record) the file's. */
static StriaeScheduledSession *
read_scheduled (JsonNode    *node,
                guint        index,
                GHashTable  *consultations,
                GError     **error)
{
  static const char * const allowed[] = {
    "consultation", "number", "course-length", "maintenance", "date", "time", "planned-date",
    "status", "session", "changed-by", "changed-at", "reason", NULL
  };
  g_autofree char *path = g_strdup_printf ("$.schedule[%u]", index);
  g_autoptr(StriaeScheduledSession) row = g_new0 (StriaeScheduledSession, 1);
  g_autofree char *changed_at = NULL;
  gboolean found = FALSE;
  JsonObject *object;
  JsonNode *value = NULL;
  const char *text = NULL;
  gint64 number = 0;
  gint64 time = -1;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      refuse (error, path, _("an object was expected."));
      return NULL;
    }
  object = json_node_get_object (node);
  if (!striae_json_check_members (&reader, object, path, allowed, error) ||
      !read_bounded (object, path, "consultation", 1, G_MAXINT64, TRUE, 0,
                     &row->consultation_id, error) ||
      !read_bounded (object, path, "number", 1, 1000, TRUE, 0, &number, error))
    return NULL;
  row->number = (guint) number;
  if (!read_bounded (object, path, "course-length", 0, STRIAE_PLAN_SESSIONS_MAX, TRUE, 0,
                     &number, error))
    return NULL;
  row->course_length = (guint) number;
  if (!striae_json_read_value (&reader, object, path, "maintenance", G_TYPE_BOOLEAN, TRUE,
                               _("true or false was expected."), &value, error))
    return NULL;
  row->maintenance = json_node_get_boolean (value);
  if (!read_date_member (object, path, "date", &row->date, error) ||
      !read_date_member (object, path, "planned-date", &row->planned_date, error) ||
      !read_bounded (object, path, "time", 0, 24 * 60 - 1, FALSE, -1, &time, error) ||
      !read_bounded (object, path, "session", 1, G_MAXINT64, FALSE, 0,
                     &row->treatment_session_id, error) ||
      !striae_json_read_string (&reader, object, path, "status", &text, NULL, error))
    return NULL;
  row->time = (int) time;
  if (!striae_schedule_status_from_string (text, &row->status))
    {
      striae_json_fail_member (&reader, error, path, "status",
                               _("the status is not one Striae knows."));
      return NULL;
    }
  if (!g_hash_table_contains (consultations, &row->consultation_id))
    {
      refuse (error, path, _("the scheduled session belongs to no consultation of the file."));
      return NULL;
    }
  if (!striae_json_read_text (&reader, object, path, "changed-by", 200, &text, &found, error))
    return NULL;
  row->changed_by = g_strdup (text);
  if (!striae_json_read_text (&reader, object, path, "reason", STRIAE_PLAN_REASON_MAX, &text,
                              &found, error))
    return NULL;
  row->reason = g_strdup (text);
  if (!read_timestamp (object, path, "changed-at", &changed_at, error))
    return NULL;
  row->changed_at = striae_store_parse_timestamp (changed_at);

  return g_steal_pointer (&row);
}

static gboolean
read_schedule (JsonObject      *root,
               ImportedRecord  *record,
               GError         **error)
{
  g_autoptr(GHashTable) consultations =
    g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  JsonArray *array;

  record->schedule =
    g_ptr_array_new_with_free_func ((GDestroyNotify) striae_scheduled_session_free);
  if (!striae_json_read_array (&reader, root, "$", "schedule", _("a list was expected."),
                               &array, error))
    return FALSE;
  if (array == NULL)
    return TRUE;
  if (!striae_json_check_count (&reader, "$.schedule", json_array_get_length (array),
                                EXPORT_MAX_SCHEDULE, error))
    return FALSE;

  for (guint i = 0; i < record->revisions->len; i++)
    {
      ImportedRevision *revision = g_ptr_array_index (record->revisions, i);
      gint64 *id = g_new (gint64, 1);

      *id = striae_consultation_get_id (revision->consultation);
      g_hash_table_add (consultations, id);
    }

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      StriaeScheduledSession *row = read_scheduled (json_array_get_element (array, i), i,
                                                    consultations, error);

      if (row == NULL)
        return FALSE;
      g_ptr_array_add (record->schedule, row);
    }

  return TRUE;
}

/* One consent signature of the file, as strictly as the records read their own
 * (striae_store_consent_signature_from_row()), given to a revision of the file. */
static StriaeConsentSignature *
read_consent_signature (JsonNode    *node,
                        guint        index,
                        GHashTable  *revisions,
                        GError     **error)
{
  static const char * const allowed[] = {
    "consultation", "revision", "signer", "name", "signed-at", "signed-by", "consent-sha256",
    "strokes", NULL
  };
  g_autofree char *path = g_strdup_printf ("$.consent-signatures[%u]", index);
  g_autofree char *key = NULL;
  g_autofree char *signed_at = NULL;
  g_autofree char *strokes = NULL;
  g_autoptr(GError) local_error = NULL;
  StriaeConsentSignature *signature;
  const char *signer = NULL, *name = NULL, *signed_by = NULL, *hash = NULL;
  gboolean found = FALSE;
  gint64 consultation = 0, revision = 0;
  JsonObject *object;
  JsonObject *strokes_object = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      refuse (error, path, _("an object was expected."));
      return NULL;
    }
  object = json_node_get_object (node);
  if (!striae_json_check_members (&reader, object, path, allowed, error) ||
      !read_bounded (object, path, "consultation", 1, G_MAXINT64, TRUE, 0, &consultation,
                     error) ||
      !read_bounded (object, path, "revision", 1, EXPORT_MAX_REVISIONS, TRUE, 0, &revision,
                     error) ||
      !striae_json_read_string (&reader, object, path, "signer", &signer, NULL, error) ||
      !striae_json_read_text (&reader, object, path, "name", STRIAE_SIGNATURE_NAME_MAX, &name,
                              &found, error) ||
      !read_timestamp (object, path, "signed-at", &signed_at, error) ||
      !striae_json_read_text (&reader, object, path, "signed-by", 200, &signed_by, &found,
                              error) ||
      !striae_json_read_string (&reader, object, path, "consent-sha256", &hash, NULL, error) ||
      !striae_json_read_object (&reader, object, path, "strokes", &strokes_object, error))
    return NULL;
  key = g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT, consultation, revision);
  if (!g_hash_table_contains (revisions, key))
    {
      refuse (error, path, _("the signature belongs to no consultation revision of the file."));
      return NULL;
    }
  if (strokes_object == NULL || signed_at == NULL)
    {
      refuse (error, path, _("the signature has no strokes or no date and time."));
      return NULL;
    }
  {
    g_autoptr(JsonNode) strokes_node = json_node_init_object (json_node_alloc (),
                                                              strokes_object);

    strokes = json_to_string (strokes_node, FALSE);
  }
  signature = striae_store_consent_signature_from_row (consultation, (guint) revision, signer,
                                                       name != NULL ? name : "", signed_at,
                                                       signed_by, strokes, hash,
                                                       &local_error);
  if (signature == NULL)
    refuse (error, path, local_error->message);
  return signature;
}

static gboolean
read_consent_signatures (JsonObject      *root,
                         ImportedRecord  *record,
                         GError         **error)
{
  g_autoptr(GHashTable) revisions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                           NULL);
  JsonArray *array;

  record->signatures = g_ptr_array_new_with_free_func (g_object_unref);
  if (!striae_json_read_array (&reader, root, "$", "consent-signatures",
                               _("a list was expected."), &array, error))
    return FALSE;
  if (array == NULL)
    return TRUE;
  if (!striae_json_check_count (&reader, "$.consent-signatures", json_array_get_length (array),
                                EXPORT_MAX_SIGNATURES, error))
    return FALSE;

  for (guint i = 0; i < record->revisions->len; i++)
    {
      ImportedRevision *revision = g_ptr_array_index (record->revisions, i);

      g_hash_table_add (revisions,
                        g_strdup_printf ("%" G_GINT64_FORMAT ":%u",
                                         striae_consultation_get_id (revision->consultation),
                                         striae_consultation_get_revision (
                                           revision->consultation)));
    }

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      StriaeConsentSignature *signature =
        read_consent_signature (json_array_get_element (array, i), i, revisions, error);

      if (signature == NULL)
        return FALSE;
      g_ptr_array_add (record->signatures, signature);
    }

  return TRUE;
}

static gboolean
read_audit (JsonObject  *root,
            GError     **error)
{
  JsonArray *array;

  if (!striae_json_read_array (&reader, root, "$", "audit", _("a list was expected."), &array,
                               error))
    return FALSE;

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    if (!JSON_NODE_HOLDS_OBJECT (json_array_get_element (array, i)))
      {
        g_autofree char *where = g_strdup_printf ("$.audit[%u]", i);

        return refuse (error, where, _("an object was expected."));
      }

  return TRUE;
}

static gboolean
read_photo_consent (JsonObject      *root,
                    ImportedRecord  *record,
                    GError         **error)
{
  static const char * const allowed[] = { "scope", "recorded", "recorded-by", NULL };
  StriaePhotoConsentScope scope;
  JsonObject *object = NULL;
  const char *text = NULL;
  gboolean found = FALSE;

  if (!json_object_has_member (root, "photo-consent") ||
      JSON_NODE_HOLDS_NULL (json_object_get_member (root, "photo-consent")))
    return TRUE;
  if (!striae_json_read_object (&reader, root, "$", "photo-consent", &object, error))
    return FALSE;
  if (!striae_json_check_members (&reader, object, "$.photo-consent", allowed, error) ||
      !striae_json_read_string (&reader, object, "$.photo-consent", "scope", &text, NULL,
                                error))
    return FALSE;
  if (!striae_photo_consent_scope_from_string (text, &scope))
    return striae_json_fail_member (&reader, error, "$.photo-consent", "scope",
                                    _("the scope is not one Striae knows."));
  record->consent_scope = g_strdup (text);
  if (!read_timestamp (object, "$.photo-consent", "recorded", &record->consent_recorded,
                       error) ||
      !striae_json_read_text (&reader, object, "$.photo-consent", "recorded-by", 200, &text,
                              &found, error))
    return FALSE;
  if (record->consent_recorded == NULL)
    return striae_json_fail_member (&reader, error, "$.photo-consent", "recorded",
                                    _("this member is missing."));
  record->consent_by = g_strdup (found ? text : "");
  return TRUE;
}

/* The place of a photo of the file: its consultation and session among the file's. */
static gboolean
read_photo_place (JsonObject   *object,
                  const char   *path,
                  StriaePhoto  *photo,
                  GHashTable   *consultations,
                  GHashTable   *sessions,
                  GError      **error)
{
  StriaeBodySite site;
  StriaeSide side;
  StriaePhotoMoment moment;
  gint64 consultation = 0;
  gint64 session = 0;
  const char *text = NULL;
  GDate date;

  if (!read_bounded (object, path, "consultation", 1, G_MAXINT64, TRUE, 0, &consultation,
                     error) ||
      !read_bounded (object, path, "session", 1, G_MAXINT64, FALSE, 0, &session, error))
    return FALSE;
  if (!g_hash_table_contains (consultations, &consultation))
    return refuse (error, path, _("the photo belongs to no consultation of the file."));
  if (session != 0 && !g_hash_table_contains (sessions, &session))
    return refuse (error, path, _("the photo belongs to no session record of the file."));

  if (!striae_json_read_string (&reader, object, path, "site", &text, NULL, error))
    return FALSE;
  if (!striae_store_photo_site_from_string (text, &site))
    return striae_json_fail_member (&reader, error, path, "site",
                                    _("the area is not one Striae knows."));
  if (!striae_json_read_string (&reader, object, path, "side", &text, NULL, error))
    return FALSE;
  if (!striae_store_photo_side_from_string (text, &side))
    return striae_json_fail_member (&reader, error, path, "side",
                                    _("the side is not one Striae knows."));
  if (!striae_json_read_string (&reader, object, path, "moment", &text, NULL, error))
    return FALSE;
  if (!striae_photo_moment_from_string (text, &moment) ||
      (session == 0) != (moment == STRIAE_PHOTO_MOMENT_CONSULTATION))
    return striae_json_fail_member (&reader, error, path, "moment",
                                    _("the moment does not fit where the photo belongs."));
  g_date_clear (&date, 1);
  if (!read_date_member (object, path, "date", &date, error))
    return FALSE;

  striae_photo_set_consultation_id (photo, consultation);
  striae_photo_set_treatment_session_id (photo, session);
  striae_photo_set_site (photo, site);
  striae_photo_set_side (photo, side);
  striae_photo_set_moment (photo, moment);
  striae_photo_set_date (photo, &date);
  return TRUE;
}

/* The image of a photo of the file: base64 that decodes to exactly the bytes its SHA-256
 * names (a byte changed anywhere is refused), an image as Striae stores them (no metadata
 * slipped in), of the size the file says; its thumbnail made from it. */
static gboolean
read_photo_image (JsonObject     *object,
                  const char     *path,
                  ImportedPhoto  *imported,
                  GError        **error)
{
  g_autofree char *sha256 = NULL;
  g_autofree guchar *data = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *text = NULL;
  const char *expected = NULL;
  gsize size = 0;
  guint width = 0;
  guint height = 0;

  if (!striae_json_read_string (&reader, object, path, "sha256", &expected, NULL, error) ||
      !striae_json_read_string (&reader, object, path, "image", &text, NULL, error))
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '+' && *p != '/' && *p != '=')
      return striae_json_fail_member (&reader, error, path, "image",
                                      _("the image is not in base64."));
  data = g_base64_decode (text, &size);
  imported->image = g_bytes_new (data, size);
  sha256 = striae_photo_image_sha256 (imported->image);
  if (g_strcmp0 (sha256, expected) != 0)
    return striae_json_fail_member (&reader, error, path, "image",
                                    _("the image does not match its SHA-256: the file was "
                                      "changed or damaged."));
  if (!striae_photo_image_is_clean (imported->image))
    return striae_json_fail_member (&reader, error, path, "image",
                                    _("the image is not one Striae stored: it is not a JPEG "
                                      "or PNG without metadata."));
  imported->thumbnail = striae_photo_image_thumbnail (imported->image, &width, &height,
                                                      &local_error);
  if (imported->thumbnail == NULL)
    return striae_json_fail_member (&reader, error, path, "image", local_error->message);
  if (width != striae_photo_get_width (imported->photo) ||
      height != striae_photo_get_height (imported->photo))
    return refuse (error, path, _("the image is not of the size the file gives it."));
  striae_photo_set_sha256 (imported->photo, sha256);
  return TRUE;
}

static ImportedPhoto *
read_photo (JsonNode    *node,
            guint        index,
            GHashTable  *consultations,
            GHashTable  *sessions,
            GError     **error)
{
  static const char * const allowed[] = {
    "consultation", "session", "site", "side", "moment", "date", "width", "height", "sha256",
    "added", "added-by", "image", NULL
  };
  g_autofree char *path = g_strdup_printf ("$.photos[%u]", index);
  g_autoptr(GDateTime) added_time = NULL;
  g_autofree char *added = NULL;
  ImportedPhoto *imported = g_new0 (ImportedPhoto, 1);
  const char *text = NULL;
  gboolean found = FALSE;
  gint64 width = 0;
  gint64 height = 0;
  JsonObject *object;

  imported->photo = striae_photo_new ();
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      refuse (error, path, _("an object was expected."));
      goto fail;
    }
  object = json_node_get_object (node);
  if (!striae_json_check_members (&reader, object, path, allowed, error) ||
      !read_photo_place (object, path, imported->photo, consultations, sessions, error) ||
      !read_bounded (object, path, "width", 1, STRIAE_PHOTO_MAX_SIDE, TRUE, 0, &width, error) ||
      !read_bounded (object, path, "height", 1, STRIAE_PHOTO_MAX_SIDE, TRUE, 0, &height,
                     error) ||
      !read_timestamp (object, path, "added", &added, error) ||
      !striae_json_read_text (&reader, object, path, "added-by", 200, &text, &found, error))
    goto fail;
  striae_photo_set_size (imported->photo, (guint) width, (guint) height);
  added_time = striae_store_parse_timestamp (added);
  if (added_time == NULL)
    {
      striae_json_fail_member (&reader, error, path, "added", _("this member is missing."));
      goto fail;
    }
  striae_photo_set_added (imported->photo, added_time);
  striae_photo_set_added_by (imported->photo, found ? text : "");
  if (!read_photo_image (object, path, imported, error))
    goto fail;
  return imported;

fail:
  imported_photo_free (imported);
  return NULL;
}

static GHashTable *
file_ids (GPtrArray *items,
          gboolean   sessions)
{
  GHashTable *ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  for (guint i = 0; i < items->len; i++)
    {
      gint64 *id = g_new (gint64, 1);

      if (sessions)
        *id = striae_treatment_session_get_id (((ImportedSession *)
                                                g_ptr_array_index (items, i))->session);
      else
        *id = striae_consultation_get_id (((ImportedRevision *)
                                           g_ptr_array_index (items, i))->consultation);
      g_hash_table_add (ids, id);
    }
  return ids;
}

static gboolean
read_photos (JsonObject      *root,
             ImportedRecord  *record,
             GError         **error)
{
  g_autoptr(GHashTable) consultations = NULL;
  g_autoptr(GHashTable) sessions = NULL;
  JsonArray *array;

  record->photos = g_ptr_array_new_with_free_func ((GDestroyNotify) imported_photo_free);
  if (!read_photo_consent (root, record, error) ||
      !striae_json_read_array (&reader, root, "$", "photos", _("a list was expected."),
                               &array, error))
    return FALSE;
  if (array == NULL)
    return TRUE;
  if (!striae_json_check_count (&reader, "$.photos", json_array_get_length (array),
                                EXPORT_MAX_PHOTOS, error))
    return FALSE;

  consultations = file_ids (record->revisions, FALSE);
  sessions = file_ids (record->sessions, TRUE);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      ImportedPhoto *photo = read_photo (json_array_get_element (array, i), i, consultations,
                                         sessions, error);

      if (photo == NULL)
        return FALSE;
      g_ptr_array_add (record->photos, photo);
    }
  return TRUE;
}

/* Reads and checks the whole file; writes nothing. */
static gboolean
read_export (const char      *json,
             gssize           length,
             ImportedRecord  *record,
             GError         **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gint64 old_patient_id = 0;
  JsonObject *root;

  if ((root = parse_export (parser, json, length, error)) == NULL ||
      (record->patient = read_patient (root, &old_patient_id, &record->record_id,
                                       &record->archived, error)) == NULL ||
      !read_revisions (root, old_patient_id, record, error) ||
      !read_sessions (root, record, error) ||
      !read_schedule (root, record, error) ||
      !read_photos (root, record, error) ||
      !read_consent_signatures (root, record, error) ||
      !read_audit (root, error))
    return FALSE;

  return TRUE;
}

/* Inserts the revisions inside the caller's transaction, each of the consultation
 * @consultation_ids gives it (the rows add_patient() made, in the file's order). */
static gboolean
insert_revisions (StriaeStore   *self,
                  GPtrArray     *revisions,
                  gint64         patient_id,
                  const char    *now,
                  const gint64  *consultation_ids,
                  GHashTable    *new_ids,
                  GError       **error)
{
  gint64 consultation_id = 0;
  guint n = 0;

  for (guint i = 0; i < revisions->len; i++)
    {
      ImportedRevision *revision = g_ptr_array_index (revisions, i);
      StriaeConsultation *c = revision->consultation;
      const char *created = revision->created ? revision->created : now;

      if (striae_consultation_get_revision (c) == 1)
        {
          gint64 *old_id = g_new (gint64, 1);
          gint64 *new_id = g_new (gint64, 1);

          consultation_id = consultation_ids[n++];
          *old_id = striae_consultation_get_id (c);
          *new_id = consultation_id;
          g_hash_table_insert (new_ids, old_id, new_id);
        }
      striae_consultation_set_id (c, consultation_id);
      striae_consultation_set_patient_id (c, patient_id);
      if (!store_insert_revision (self, c, created, revision->updated ? revision->updated : now,
                                  revision->signed_by, revision->signed_at, error))
        return FALSE;
    }

  return TRUE;
}

/* The creation times of the file's consultations (of their first revisions), in its order. */
static GPtrArray *
consultations_created (GPtrArray  *revisions,
                       const char *now)
{
  GPtrArray *created = g_ptr_array_new_with_free_func ((GDestroyNotify) g_date_time_unref);

  for (guint i = 0; i < revisions->len; i++)
    {
      ImportedRevision *revision = g_ptr_array_index (revisions, i);
      GDateTime *time;

      if (striae_consultation_get_revision (revision->consultation) != 1)
        continue;
      time = striae_store_parse_timestamp (revision->created ? revision->created : now);
      /* The import checked the timestamps. */
      g_assert (time != NULL);
      g_ptr_array_add (created, time);
    }
  return created;
}

/* The patient of @record and the rows of their consultations, inside the caller's
 * transaction (the backend may send them together): *existing_id is set instead when a
 * patient has the record's id already. */
static gboolean
add_patient (StriaeStore     *self,
             ImportedRecord  *record,
             const char      *now,
             GPtrArray       *created,
             gint64          *existing_id,
             gint64          *patient_id,
             gint64          *consultation_ids,
             GError         **error)
{
  g_auto(StriaeStorePatientKeys) keys = { NULL, };
  g_autoptr(GDateTime) time = striae_store_parse_timestamp (now);

  store_patient_keys_init (&keys, record->patient);
  return striae_store_backend_add_imported_patient (self->backend, record->patient, &keys,
                                                    record->record_id, time,
                                                    (GDateTime * const *) created->pdata,
                                                    created->len, existing_id, patient_id,
                                                    consultation_ids, error);
}

/* Inserts the session records inside the caller's transaction, under new numbers, each of
 * the consultation that @new_ids maps its old one to. They are stored as the file has them:
 * a record is history, not checked again against today's rules. */
static gboolean
insert_sessions (StriaeStore  *self,
                 GPtrArray    *sessions,
                 GHashTable   *new_ids,
                 GHashTable   *new_session_ids,
                 gint64        patient_id,
                 const char   *now,
                 GError      **error)
{
  gint64 session_id = 0;

  for (guint i = 0; i < sessions->len; i++)
    {
      ImportedSession *imported = g_ptr_array_index (sessions, i);
      StriaeTreatmentSession *s = imported->session;
      gint64 old_consultation = striae_treatment_session_get_consultation_id (s);
      gint64 *consultation_id = g_hash_table_lookup (new_ids, &old_consultation);
      g_autoptr(GDateTime) created = NULL;
      g_autoptr(GDateTime) updated = NULL;
      g_autoptr(GDateTime) signed_at = NULL;
      gint64 owner = 0;

      /* read_sessions() checked that it is one of the file's consultations. */
      g_assert (consultation_id != NULL);
      created = striae_store_parse_timestamp (imported->record.created ? imported->record.created
                                                                       : now);
      updated = striae_store_parse_timestamp (imported->record.updated ? imported->record.updated
                                                                       : now);
      if (imported->record.signed_at != NULL)
        signed_at = striae_store_parse_timestamp (imported->record.signed_at);
      g_assert (created != NULL && updated != NULL);

      if (striae_treatment_session_get_revision (s) == 1 &&
          !striae_store_backend_insert_treatment_session (self->backend, *consultation_id,
                                                          created, &session_id, &owner,
                                                          error))
        return FALSE;
      g_assert (session_id != 0);

      if (striae_treatment_session_get_revision (s) == 1)
        {
          gint64 *old_id = g_new (gint64, 1);
          gint64 *new_id = g_new (gint64, 1);

          *old_id = striae_treatment_session_get_id (s);
          *new_id = session_id;
          g_hash_table_insert (new_session_ids, old_id, new_id);
        }
      striae_treatment_session_set_id (s, session_id);
      striae_treatment_session_set_consultation_id (s, *consultation_id);
      striae_treatment_session_set_patient_id (s, patient_id);
      if (!store_insert_session_revision (self, s, created, updated, imported->record.signed_by,
                                          signed_at, error))
        return FALSE;
    }

  return TRUE;
}

/* The file's schedule over the one its signed consultations were given as they were
 * inserted (store_index_schedule()): each consultation the file schedules gets exactly the
 * file's rows, under the new numbers, inside the import's transaction. A file without a
 * schedule (version 1 or 2) keeps the one the plans give. */
static gboolean
apply_schedule (StriaeStore  *self,
                GPtrArray    *schedule,
                GHashTable   *new_ids,
                GHashTable   *new_session_ids,
                gint64        patient_id,
                GError      **error)
{
  g_autoptr(GHashTable) cleared = g_hash_table_new (g_int64_hash, g_int64_equal);

  for (guint i = 0; i < schedule->len; i++)
    {
      StriaeScheduledSession *row = g_ptr_array_index (schedule, i);
      gint64 *consultation_id = g_hash_table_lookup (new_ids, &row->consultation_id);
      gint64 *session_id = g_hash_table_lookup (new_session_ids, &row->treatment_session_id);

      /* read_schedule() checked that it is one of the file's consultations. */
      g_assert (consultation_id != NULL);
      if (!g_hash_table_contains (cleared, consultation_id))
        {
          g_autoptr(GPtrArray) given = NULL;

          given = striae_store_backend_list_schedule (self->backend, *consultation_id, 0,
                                                      error);
          if (given == NULL)
            return FALSE;
          for (guint j = 0; j < given->len; j++)
            {
              StriaeScheduledSession *old = g_ptr_array_index (given, j);

              if (!striae_store_backend_delete_scheduled_session (self->backend, old->id,
                                                                  error))
                return FALSE;
            }
          g_hash_table_add (cleared, consultation_id);
        }

      row->consultation_id = *consultation_id;
      row->patient_id = patient_id;
      row->treatment_session_id = session_id != NULL ? *session_id : 0;
      if (!striae_store_backend_insert_scheduled_session (self->backend, row, error))
        return FALSE;
    }

  return TRUE;
}

/* The file's photos and photo consent, under the new numbers of their consultations and
 * sessions, inside the import's transaction. */
static gboolean
insert_photos (StriaeStore     *self,
               ImportedRecord  *record,
               GHashTable      *new_ids,
               GHashTable      *new_session_ids,
               gint64           patient_id,
               GError         **error)
{
  if (record->consent_scope != NULL)
    {
      g_autoptr(GDateTime) recorded = striae_store_parse_timestamp (record->consent_recorded);

      if (!striae_store_backend_set_photo_consent (self->backend, patient_id,
                                                   record->consent_scope, recorded,
                                                   record->consent_by, error))
        return FALSE;
    }

  for (guint i = 0; i < record->photos->len; i++)
    {
      ImportedPhoto *imported = g_ptr_array_index (record->photos, i);
      StriaePhoto *photo = imported->photo;
      gint64 old_consultation = striae_photo_get_consultation_id (photo);
      gint64 old_session = striae_photo_get_treatment_session_id (photo);
      gint64 *consultation_id = g_hash_table_lookup (new_ids, &old_consultation);
      gint64 *session_id = old_session != 0
                             ? g_hash_table_lookup (new_session_ids, &old_session) : NULL;

      /* read_photos() checked that both are the file's. */
      g_assert (consultation_id != NULL);
      striae_photo_set_patient_id (photo, patient_id);
      striae_photo_set_consultation_id (photo, *consultation_id);
      striae_photo_set_treatment_session_id (photo, session_id != NULL ? *session_id : 0);
      if (!striae_store_backend_insert_photo (self->backend, photo, imported->image,
                                              imported->thumbnail, error))
        return FALSE;
    }
  return TRUE;
}

/* The file's consent signatures, on the revisions of the consultations @new_ids maps the
 * file's numbers to, inside the import's transaction. */
static gboolean
insert_consent_signatures (StriaeStore  *self,
                           GPtrArray    *signatures,
                           GHashTable   *new_ids,
                           gint64        patient_id,
                           GError      **error)
{
  for (guint i = 0; i < signatures->len; i++)
    {
      StriaeConsentSignature *signature = g_ptr_array_index (signatures, i);
      gint64 old_id = striae_consent_signature_get_consultation_id (signature);
      gint64 *consultation_id = g_hash_table_lookup (new_ids, &old_id);

      /* read_consent_signatures() checked that it is one of the file's revisions. */
      g_assert (consultation_id != NULL);
      striae_consent_signature_set_consultation (signature, *consultation_id,
                                                 striae_consent_signature_get_revision (
                                                   signature));
      if (!striae_store_backend_insert_consent_signature (self->backend, signature,
                                                          patient_id, error))
        return FALSE;
    }

  return TRUE;
}

/* An imported patient archived where they come from stays archived, inside the import's
 * transaction. */
static gboolean
mark_archived (StriaeStore  *self,
               gint64        patient_id,
               GError      **error)
{
  gboolean found = FALSE, changed = FALSE;

  return striae_store_backend_set_patient_archived (self->backend, patient_id, TRUE, &found,
                                                    &changed, error);
}

/**
 * striae_store_begin_bulk:
 *
 * Starts a bulk of writes, such as the import of many records, each still in a transaction
 * of its own: until striae_store_end_bulk(), a commit need not reach the disk at once. It
 * survives a crash of Striae but may be lost, never half kept, if the computer loses power;
 * end the bulk before telling anyone the writes were made.
 *
 * Returns: %FALSE with @error set when the records cannot start one
 */
gboolean
striae_store_begin_bulk (StriaeStore  *self,
                         GError      **error)
{
  gboolean ok;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (!self->bulk, FALSE);

  striae_store_backend_lock (self->backend);
  ok = striae_store_backend_set_bulk (self->backend, TRUE, error);
  self->bulk = ok;
  striae_store_backend_unlock (self->backend);
  return ok;
}

/**
 * striae_store_end_bulk:
 *
 * Ends the bulk striae_store_begin_bulk() started: every write made in it is on the disk when
 * this returns %TRUE, and the audit log's head kept outside the records follows them.
 *
 * Returns: %FALSE with @error set when the writes could not be made durable
 */
gboolean
striae_store_end_bulk (StriaeStore  *self,
                       GError      **error)
{
  gboolean ok;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->bulk, FALSE);

  striae_store_backend_lock (self->backend);
  self->bulk = FALSE;
  ok = striae_store_backend_set_bulk (self->backend, FALSE, error) &&
       store_audit_save_bulk_head (self, error);
  striae_store_backend_unlock (self->backend);
  return ok;
}

/* A record read and checked by striae_import_record_read(), ready for
 * striae_store_import_record(). */
struct _StriaeImportRecord
{
  ImportedRecord record;
};

/**
 * striae_import_record_read:
 * @json: a patient export (docs/EXPORT-FORMAT.md)
 * @length: its length, or -1 when it ends with a NUL byte
 *
 * Reads and checks @json as striae_store_import_patient() does, without any records: the
 * work of an import that needs no store, which may so run in another thread (one record at a
 * time per thread) while the records take the one before. Anything malformed, of an unknown
 * version, inconsistent, or that would not be kept exactly as the file has it is refused
 * with %STRIAE_STORE_ERROR_INVALID and one sentence naming the JSON path of the offending
 * member.
 *
 * Returns: (transfer full): the record, for striae_store_import_record(), or %NULL on error
 */
StriaeImportRecord *
striae_import_record_read (const char  *json,
                           gssize       length,
                           GError     **error)
{
  g_autoptr(StriaeImportRecord) read = g_new0 (StriaeImportRecord, 1);

  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!read_export (json, length, &read->record, error))
    return NULL;
  return g_steal_pointer (&read);
}

void
striae_import_record_free (StriaeImportRecord *record)
{
  if (record == NULL)
    return;
  imported_record_clear (&record->record);
  g_free (record);
}

/* The import's audit detail: what the record brought. */
static char *
import_detail (const ImportedRecord *record,
               guint                 n_consultations)
{
  GString *detail = g_string_new (NULL);

  g_string_printf (detail, "%u consultations, %u revisions", n_consultations,
                   record->revisions->len);
  if (record->archived)
    g_string_append (detail, ", archived");
  if (record->sessions->len > 0)
    g_string_append_printf (detail, ", %u session revisions", record->sessions->len);
  if (record->photos->len > 0)
    g_string_append_printf (detail, ", %u photos", record->photos->len);
  if (record->signatures->len > 0)
    g_string_append_printf (detail, ", %u consent signatures", record->signatures->len);
  return g_string_free (detail, FALSE);
}

/* Writes @record, read and checked, in one transaction (striae_store_import_record()). */
static gint64
import_read (StriaeStore     *self,
             ImportedRecord  *record,
             gboolean        *already_imported,
             GError         **error)
{
  g_autoptr(GHashTable) new_ids = NULL;
  g_autoptr(GHashTable) new_session_ids = NULL;
  g_autofree char *now = striae_store_now ();
  g_autofree char *detail = NULL;
  g_autoptr(GPtrArray) created = consultations_created (record->revisions, now);
  g_autofree gint64 *consultation_ids = g_new0 (gint64, MAX (created->len, 1));
  gint64 patient_id = 0, existing_id = 0;

  striae_store_backend_lock (self->backend);

  /* Looked up inside the write transaction, so that two imports of one file cannot both
   * add it; the unique index on record_id stands behind that. */
  if (!striae_store_backend_begin (self->backend, error) ||
      !add_patient (self, record, now, created, &existing_id, &patient_id, consultation_ids,
                    error))
    goto fail;

  if (existing_id != 0)
    {
      striae_store_backend_rollback (self->backend);
      striae_store_backend_unlock (self->backend);
      if (already_imported != NULL)
        *already_imported = TRUE;
      return existing_id;
    }

  new_ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  new_session_ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  if (!insert_revisions (self, record->revisions, patient_id, now, consultation_ids, new_ids,
                         error) ||
      !insert_sessions (self, record->sessions, new_ids, new_session_ids, patient_id, now,
                        error) ||
      !apply_schedule (self, record->schedule, new_ids, new_session_ids, patient_id, error) ||
      !insert_photos (self, record, new_ids, new_session_ids, patient_id, error) ||
      !insert_consent_signatures (self, record->signatures, new_ids, patient_id, error) ||
      (record->archived && !mark_archived (self, patient_id, error)))
    goto fail;

  detail = import_detail (record, created->len);
  if (!store_audit_append (self, STRIAE_AUDIT_IMPORT, NULL, patient_id, 0, detail, error) ||
      !striae_store_backend_commit (self->backend, error))
    goto fail;

  striae_store_backend_unlock (self->backend);
  store_emit_patients_changed (self, patient_id);

  return patient_id;

fail:
  striae_store_backend_rollback (self->backend);
  striae_store_backend_unlock (self->backend);
  return 0;
}

/**
 * striae_store_import_patient:
 * @json: a patient export (docs/EXPORT-FORMAT.md)
 * @length: its length, or -1 when it ends with a NUL byte
 * @already_imported: (out) (optional): set to whether the record was here before
 *
 * Adds the patient of @json as a new patient, with every revision of their consultations as
 * it was (signatures included), in one transaction. Anything malformed, of an unknown
 * version, inconsistent, or that would not be kept exactly as the file has it is refused
 * with %STRIAE_STORE_ERROR_INVALID and one sentence naming the JSON path of the offending
 * member; then nothing is changed. Audit rows in the file are checked for shape only: they
 * belong to another database's chain, and the import itself is recorded here.
 *
 * A record whose record id is already in the database (imported before, or exported from
 * it) is not added again: nothing is changed, and the patient who has it is returned with
 * @already_imported set. So an import that was interrupted can simply be run again.
 *
 * Returns: the new patient's id (or the existing one's), or 0 on error
 */
gint64
striae_store_import_patient (StriaeStore  *self,
                             const char   *json,
                             gssize        length,
                             gboolean     *already_imported,
                             GError      **error)
{
  g_auto(ImportedRecord) record = { NULL, };

  g_return_val_if_fail (STRIAE_IS_STORE (self), 0);
  g_return_val_if_fail (json != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (!striae_store_may (self, STRIAE_RIGHT_TRANSFER, error))
    return -1;

  if (already_imported != NULL)
    *already_imported = FALSE;

  if (!read_export (json, length, &record, error))
    return 0;
  return import_read (self, &record, already_imported, error);
}

/**
 * striae_store_import_record:
 * @record: a record striae_import_record_read() read
 * @already_imported: (out) (optional): set to whether the record was here before
 *
 * Adds the patient of @record as striae_store_import_patient() adds the patient of the
 * export it was read from, in one transaction; nothing is changed when it fails. @record is
 * used up: import it once.
 *
 * Returns: the new patient's id (or the existing one's), or 0 on error
 */
gint64
striae_store_import_record (StriaeStore         *self,
                            StriaeImportRecord  *record,
                            gboolean            *already_imported,
                            GError             **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE (self), 0);
  g_return_val_if_fail (record != NULL && record->record.patient != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (!striae_store_may (self, STRIAE_RIGHT_TRANSFER, error))
    return -1;

  if (already_imported != NULL)
    *already_imported = FALSE;

  return import_read (self, &record->record, already_imported, error);
}

/* Erasure */

/**
 * striae_store_erase_patient:
 *
 * Erases a patient on request: removes their row, every revision of every consultation, their
 * search-index entries and the audit subject that linked the audit log to them, overwrites
 * the freed space (secure_delete), rewrites the search index without them and folds the
 * write-ahead log into the database, so that neither file holds their data any more. The
 * audit log keeps its rows (the chain stays verifiable), which from now on lead to nobody,
 * and gains an "erase" row naming neither the patient nor their number.
 */
gboolean
striae_store_erase_patient (StriaeStore  *self,
                            gint64        patient_id,
                            GError      **error)
{
  gboolean found = FALSE;
  gboolean ok;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!striae_store_may (self, STRIAE_RIGHT_ERASE, error))
    return FALSE;

  striae_store_backend_lock (self->backend);

  ok = striae_store_backend_begin (self->backend, error) &&
       striae_store_backend_erase_patient (self->backend, patient_id, &found, error);
  if (ok && !found)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND,
                   _("There is no patient number %" PRId64 "; they may have been deleted."),
                   patient_id);
      ok = FALSE;
    }
  ok = ok &&
       store_audit_append (self, STRIAE_AUDIT_ERASE, NULL, 0, 0, "", error) &&
       striae_store_backend_commit (self->backend, error);
  if (!ok)
    striae_store_backend_rollback (self->backend);

  /* What the engine keeps of the deleted rows beyond them goes too. */
  striae_store_backend_purge_erased (self->backend);
  striae_store_backend_unlock (self->backend);

  if (ok)
    store_emit_patients_changed (self, patient_id);

  return ok;
}

/* "2026-11-30T14:02:11.123456Z" as "2026-11-30 14:02 UTC". */
static char *
short_time (const char *at)
{
  g_autofree char *minute = g_strndup (at != NULL ? at : "", 16);

  g_strdelimit (minute, "T", ' ');
  return g_strconcat (minute, " UTC", NULL);
}

typedef struct
{
  GPtrArray *items;
  gboolean   with_detail;
  guint      n;
} CopyList;

static gboolean
add_copy_cb (const StriaeStoreAuditRow *row,
             gpointer                   data)
{
  CopyList *list = data;
  g_autofree char *at = store_audit_row_dup_text (row, STRIAE_AUDIT_COLUMN_AT);
  g_autofree char *detail = store_audit_row_dup_text (row, STRIAE_AUDIT_COLUMN_DETAIL);
  g_autofree char *when = short_time (at);

  if (++list->n > 5)
    return TRUE;
  if (list->with_detail)
    /* TRANSLATORS: a backup in a list: its time and its file name */
    g_ptr_array_add (list->items, g_strdup_printf (_("%s (“%s”)"), when,
                                                   detail != NULL ? detail : ""));
  else
    g_ptr_array_add (list->items, g_steal_pointer (&when));
  return TRUE;
}

/* Up to five audit rows of @action (about @patient_id, 0: anyone), as their times (and
 * details), then how many more. */
static char *
list_copies (StriaeStore  *self,
             const char   *action,
             gint64        patient_id,
             gboolean      with_detail,
             guint        *n,
             GError      **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_free);
  CopyList list = { items, with_detail, 0 };

  *n = 0;
  if (!striae_store_backend_audit_read (self->backend, 0, 0, patient_id, action, add_copy_cb,
                                        &list, error))
    return NULL;

  *n = list.n;
  if (*n > 5)
    /* TRANSLATORS: ends a list of dates that was cut short */
    g_ptr_array_add (items, g_strdup_printf (ngettext ("%u more", "%u more", *n - 5), *n - 5));
  g_ptr_array_add (items, NULL);
  return g_strjoinv (", ", (char **) items->pdata);
}

/**
 * striae_store_describe_patient_copies:
 * @patient_id: a patient about to be erased
 *
 * Says what outside the database may still hold the patient's data after an erasure: every
 * backup (each holds the whole database) and every export of their record or of their
 * sheets, with the times the audit log gives. Call it before striae_store_erase_patient(),
 * which unlinks the audit rows from the patient.
 *
 * Returns: (transfer full) (nullable): one sentence, or %NULL with @error unset when no copy
 *   was ever made; %NULL with @error set when the audit log cannot be read
 */
char *
striae_store_describe_patient_copies (StriaeStore  *self,
                                      gint64        patient_id,
                                      GError      **error)
{
  g_autofree char *backups = NULL;
  g_autofree char *exports = NULL;
  guint n_backups = 0, n_exports = 0;

  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  striae_store_backend_lock (self->backend);
  backups = list_copies (self, "backup", 0, TRUE, &n_backups, error);
  if (backups != NULL)
    exports = list_copies (self, "export", patient_id, FALSE, &n_exports, error);
  striae_store_backend_unlock (self->backend);

  if (backups == NULL || exports == NULL || (n_backups == 0 && n_exports == 0))
    return NULL;
  if (n_exports == 0)
    return g_strdup_printf (ngettext ("A backup made before still holds their data: %s.",
                                      "Backups made before still hold their data: %s.",
                                      n_backups), backups);
  if (n_backups == 0)
    return g_strdup_printf (ngettext ("A file exported before (a record or a sheet) may still "
                                      "hold their data, made at %s.",
                                      "Files exported before (records or sheets) may still "
                                      "hold their data, made at %s.", n_exports), exports);
  return g_strdup_printf (_("Copies made before still hold their data: backups made at %s, "
                            "and exported files made at %s."), backups, exports);
}

/* Backup and restore */

/* A private file of its own beside the records, for the plain copy a sealed backup or
 * restore goes through: never in a shared temporary folder, never beside a copy that may
 * leave the clinic. Removed by the caller. */
static char *
dup_plain_temp (const char  *records_path,
                GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (records_path);
  g_autofree char *temp = g_build_filename (dir, ".striae-copy-XXXXXX", NULL);
  int fd = g_mkstemp_full (temp, O_RDWR | O_CLOEXEC, 0600);

  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_READ_ONLY,
                   _("Could not write beside the records in %s: %s"), dir,
                   g_strerror (saved_errno));
      return NULL;
    }
  g_close (fd, NULL);
  return g_steal_pointer (&temp);
}

static gboolean
backup_sealed (StriaeStore  *self,
               const char   *path,
               const char   *passphrase,
               GError      **error)
{
  g_autofree char *temp = NULL;
  gboolean ok;

  if (striae_store_is_server_location (striae_store_get_path (self)))
    return store_audit_backup (self, path, error);  /* refused with its sentence */

  if ((temp = dup_plain_temp (striae_store_get_path (self), error)) == NULL)
    return FALSE;
  ok = store_audit_backup (self, temp, error) &&
       striae_sealed_seal_file (temp, path, passphrase, error);
  g_unlink (temp);
  return ok;
}

/**
 * striae_store_backup:
 * @path: the backup file to write; replaced if it exists
 * @passphrase: (nullable): seal the backup with it (striae_sealed_seal()); %NULL writes a
 *   plain database file, on purpose only
 *
 * Copies the whole records with the backend's backup (for a file, SQLite's online backup
 * API: a consistent copy while the store stays in use, into a private (0600) single file)
 * that striae_store_restore() accepts, with the head of the audit log as of the copy, and
 * records the backup in the audit log. A backend without a backup of its own refuses with
 * %STRIAE_STORE_ERROR_NOT_SUPPORTED.
 */
gboolean
striae_store_backup (StriaeStore  *self,
                     const char   *path,
                     const char   *passphrase,
                     GError      **error)
{
  g_autofree char *detail = NULL;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!striae_store_may (self, STRIAE_RIGHT_TRANSFER, error))
    return FALSE;

  if ((passphrase != NULL && !striae_sealed_check_passphrase (passphrase, error)) ||
      !striae_store_check_output (self, path, error) ||
      !(passphrase != NULL ? backup_sealed (self, path, passphrase, error)
                           : store_audit_backup (self, path, error)))
    return FALSE;

  detail = g_path_get_basename (path);
  return striae_store_log_event (self, STRIAE_AUDIT_BACKUP, 0, 0, detail, error);
}

static gboolean restore_plain (const char  *backup_path,
                               const char  *location,
                               const char  *logged_path,
                               GError     **error);

/**
 * striae_store_restore:
 * @backup_path: a file written by striae_store_backup()
 * @location: (nullable): the records to replace, where striae_store_open() finds them
 *   (%NULL: the default ones)
 * @passphrase: (nullable): the passphrase of a sealed backup; a sealed one without it, or
 *   with a wrong one, is refused (%STRIAE_STORE_ERROR_PASSPHRASE) and nothing is written
 *
 * Replaces the contents of the records at @location (created if missing) with the backup,
 * in one transaction, then brings them up to this version's format and records the restore
 * in their audit log. A file that is not a valid Striae backup (for a file: wrong header or
 * application id, a newer format, failing SQLite's integrity check) is refused with
 * %STRIAE_STORE_ERROR_NOT_A_DATABASE or %STRIAE_STORE_ERROR_TOO_NEW before anything is
 * written; so is a target that is not a Striae database.
 */
gboolean
striae_store_restore (const char  *backup_path,
                      const char  *location,
                      const char  *passphrase,
                      GError     **error)
{
  g_autofree char *default_path = NULL;
  g_autofree char *temp = NULL;
  gboolean sealed = FALSE;
  gboolean ok;

  g_return_val_if_fail (backup_path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (location == NULL)
    location = default_path = striae_store_default_path ();

  if (!striae_sealed_file_is_sealed (backup_path, &sealed, NULL) || !sealed ||
      striae_store_is_server_location (location))
    return restore_plain (backup_path, location, backup_path, error);
  if (passphrase == NULL)
    {
      g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_PASSPHRASE,
                           _("The backup is encrypted: give its passphrase. Nothing was "
                             "changed."));
      return FALSE;
    }

  /* Opened into a file of its own beside the records, restored from there, removed. */
  if ((temp = dup_plain_temp (location, error)) == NULL)
    return FALSE;
  ok = striae_sealed_open_file (backup_path, temp, passphrase, error) &&
       restore_plain (temp, location, backup_path, error);
  g_unlink (temp);
  return ok;
}

/* @logged_path: the backup as the user named it, for the audit log's row */
static gboolean
restore_plain (const char  *backup_path,
               const char  *location,
               const char  *logged_path,
               GError     **error)
{
  g_autoptr(StriaeStore) target = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *replaced_id = NULL;

  /* A backup that cannot be restored is refused before the target is opened, so that a
   * missing target is not created for nothing. */
  if (!store_check_backup (location, backup_path, error) ||
      (target = striae_store_open (location, error)) == NULL)
    return FALSE;

  replaced_id = store_audit_dup_database_id (target);
  if (!striae_store_backend_restore (target->backend, backup_path, error))
    return FALSE;

  /* Reopening applies the migrations a backup from an older Striae needs. */
  g_clear_object (&target);
  if ((target = striae_store_open (location, error)) == NULL)
    return FALSE;

  /* The log went back to the backup's moment: so does its head kept outside. */
  if (!store_audit_adopt_backup_head (target, replaced_id, error))
    return FALSE;

  detail = g_path_get_basename (logged_path);
  /* Who may replace the records was asked before (the command line asks an administrator
   * of records with accounts); the restored records may have accounts of their own. */
  return store_log_event (target, STRIAE_AUDIT_RESTORE, 0, 0, detail, error);
}
