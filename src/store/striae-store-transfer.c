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
#include "striae-store-private.h"

/* A patient's record leaving or entering the store (export and import, documented in
 * docs/EXPORT-FORMAT.md), its erasure, and backups of the whole database. */

#define EXPORT_FORMAT "striae-patient-export"
#define EXPORT_VERSION 1

/* Bounds checked before json-glib reads a byte of an import (docs/EXPORT-FORMAT.md). A real
 * export takes a few kilobytes per revision; the deepest member of the format, a history
 * answer's detail, is at level 6. */
#define EXPORT_MAX_BYTES (8 * 1024 * 1024)
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
  static const char sql[] =
    "SELECT " PATIENT_COLUMNS ", record_id, archived FROM patients WHERE id = ?1";
  g_autoptr(StriaePatient) patient = NULL;
  gboolean archived = FALSE;
  g_autofree char *created = NULL;
  g_autofree char *updated = NULL;
  g_autofree char *record_id = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if ((stmt = store_prepare (self, STORE_MAIN (self), sql, error)) == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, patient_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      patient = store_patient_from_row (stmt);
      record_id = g_strdup ((const char *) sqlite3_column_text (stmt, 11));
      archived = sqlite3_column_int (stmt, 12) != 0;
    }
  else if (rc == SQLITE_DONE)
    g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND,
                 _("There is no patient number %" PRId64 "; they may have been deleted."),
                 patient_id);
  else
    store_set_sqlite_error (error, self, STORE_MAIN (self)->db, rc);
  store_statement_done (stmt);
  if (patient == NULL)
    return FALSE;

  created = striae_patient_get_created (patient) ?
            store_format_timestamp (striae_patient_get_created (patient)) : NULL;
  updated = striae_patient_get_updated (patient) ?
            store_format_timestamp (striae_patient_get_updated (patient)) : NULL;

  json_builder_set_member_name (builder, "patient");
  json_builder_begin_object (builder);
  add_int (builder, "id", patient_id);
  add_string (builder, "record-id", record_id);
  add_string (builder, "given-name", striae_patient_get_given_name (patient));
  add_string (builder, "family-name", striae_patient_get_family_name (patient));
  add_string (builder, "birth-date", striae_patient_get_birth_date (patient));
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

static gboolean
build_consultations (StriaeStore  *self,
                     JsonBuilder  *builder,
                     gint64        patient_id,
                     GError      **error)
{
  static const char sql[] =
    "SELECT r.data, r.created, r.updated, r.signed_by, r.signed_at"
    "  FROM consultations c JOIN consultation_revisions r ON r.consultation_id = c.id"
    "  WHERE c.patient_id = ?1 ORDER BY c.id, r.revision";
  sqlite3_stmt *stmt;
  int rc;

  if ((stmt = store_prepare (self, STORE_MAIN (self), sql, error)) == NULL)
    return FALSE;

  json_builder_set_member_name (builder, "consultations");
  json_builder_begin_array (builder);

  sqlite3_bind_int64 (stmt, 1, patient_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
#define TEXT(i) ((const char *) sqlite3_column_text (stmt, i))
      g_autoptr(JsonNode) node = json_from_string (TEXT (0), NULL);
      g_autoptr(JsonBuilder) record = json_builder_new ();

      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        {
          store_statement_done (stmt);
          g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_A_DATABASE,
                       _("A consultation of patient %" PRId64 " in %s is damaged."),
                       patient_id, self->path);
          return FALSE;
        }

      json_builder_begin_object (record);
      add_string (record, "created", TEXT (1));
      add_string (record, "updated", TEXT (2));
      add_string (record, "signed-by", TEXT (3));
      add_string (record, "signed-at", TEXT (4));
      json_builder_end_object (record);
#undef TEXT

      json_object_set_member (json_node_get_object (node), "record",
                              json_builder_get_root (record));
      json_builder_add_value (builder, g_steal_pointer (&node));
    }
  store_statement_done (stmt);
  json_builder_end_array (builder);

  if (rc != SQLITE_DONE)
    {
      store_set_sqlite_error (error, self, STORE_MAIN (self)->db, rc);
      return FALSE;
    }

  return TRUE;
}

static gboolean
build_audit (StriaeStore  *self,
             JsonBuilder  *builder,
             gint64        patient_id,
             GError      **error)
{
  static const char sql[] =
    "SELECT a.id, a.at, a.actor, a.action, coalesce (a.consultation_id, 0), a.detail"
    "  FROM audit a JOIN audit_subjects s ON s.subject = a.subject"
    "  WHERE s.patient_id = ?1 ORDER BY a.id";
  sqlite3_stmt *stmt;
  int rc;

  if ((stmt = store_prepare (self, STORE_MAIN (self), sql, error)) == NULL)
    return FALSE;

  json_builder_set_member_name (builder, "audit");
  json_builder_begin_array (builder);
  sqlite3_bind_int64 (stmt, 1, patient_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      json_builder_begin_object (builder);
      add_int (builder, "id", sqlite3_column_int64 (stmt, 0));
      add_string (builder, "at", (const char *) sqlite3_column_text (stmt, 1));
      add_string (builder, "actor", (const char *) sqlite3_column_text (stmt, 2));
      add_string (builder, "action", (const char *) sqlite3_column_text (stmt, 3));
      add_int (builder, "consultation-id", sqlite3_column_int64 (stmt, 4));
      add_string (builder, "detail", (const char *) sqlite3_column_text (stmt, 5));
      json_builder_end_object (builder);
    }
  store_statement_done (stmt);
  json_builder_end_array (builder);

  if (rc != SQLITE_DONE)
    {
      store_set_sqlite_error (error, self, STORE_MAIN (self)->db, rc);
      return FALSE;
    }

  return TRUE;
}

static char *export_patient (StriaeStore        *self,
                             gint64              patient_id,
                             StriaeExportFlags   flags,
                             const char         *path,
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

  return export_patient (self, patient_id, flags, NULL, error);
}

/**
 * striae_store_export_patient_to_file:
 * @path: the file to write (checked with striae_store_check_output(); created 0600)
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
                                     GError            **error)
{
  g_autofree char *json = NULL;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!striae_store_check_output (self, path, error))
    return FALSE;
  json = export_patient (self, patient_id, flags, path, error);
  return json != NULL;
}

/* A patient's whole record: readable by its owner only. */
static gboolean
write_export (const char   *path,
              const char   *json,
              GError      **error)
{
  g_autoptr(GError) local_error = NULL;

  if (g_file_set_contents_full (path, json, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                &local_error))
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
               GError      **error)
{
  g_autofree char *json = NULL;

  json_builder_end_object (builder);
  json = striae_json_builder_to_data (builder);
  if (path != NULL && !write_export (path, json, error))
    return NULL;
  return g_steal_pointer (&json);
}

static char *
export_patient (StriaeStore        *self,
                gint64              patient_id,
                StriaeExportFlags   flags,
                const char         *path,
                GError            **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *now = store_now ();
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
      !store_audit_append (self, STRIAE_AUDIT_EXPORT, NULL, patient_id, 0, "", error) ||
      ((flags & STRIAE_EXPORT_FLAGS_WITH_AUDIT) &&
       !build_audit (self, builder, patient_id, error)) ||
      (json = finish_export (builder, path, error)) == NULL ||
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
    *value = store_format_timestamp (time);
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
  g_autofree char *iso = NULL;
  const char *text;
  GDate date;

  if (!striae_json_read_text (&reader, object, "$.patient", "birth-date", EXPORT_SHORT_MAX,
                              &text, NULL, error))
    return FALSE;

  if (!striae_parse_date (text, &date, NULL) ||
      !g_str_equal ((iso = striae_format_iso_date (&date)), text))
    return refuse (error, "$.patient.birth-date", _("expected a date written as YYYY-MM-DD."));

  striae_patient_set_birth_date (patient, text);
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
    "format", "version", "generator", "exported", "patient", "consultations", "audit", NULL
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
  if (json_node_get_int (node) != EXPORT_VERSION)
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

/* What a file holds, read and checked, before anything is written. */
typedef struct
{
  StriaePatient *patient;
  char          *record_id;   /* %NULL in exports from before record ids */
  gboolean       archived;
  GPtrArray     *revisions;   /* of ImportedRevision */
} ImportedRecord;

static void
imported_record_clear (ImportedRecord *record)
{
  g_clear_object (&record->patient);
  g_clear_pointer (&record->record_id, g_free);
  g_clear_pointer (&record->revisions, g_ptr_array_unref);
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
      !read_audit (root, error))
    return FALSE;

  return TRUE;
}

/* The patient who has @record_id, or 0. */
static gboolean
find_record (StriaeStore  *self,
             const char   *record_id,
             gint64       *patient_id,
             GError      **error)
{
  static const char sql[] = "SELECT id FROM patients WHERE record_id = ?1";
  sqlite3_stmt *stmt = store_prepare (self, STORE_MAIN (self), sql, error);
  int rc;

  *patient_id = 0;
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, record_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *patient_id = sqlite3_column_int64 (stmt, 0);
  store_statement_done (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      store_set_sqlite_error (error, self, STORE_MAIN (self)->db, rc);
      return FALSE;
    }

  return TRUE;
}

static gboolean
insert_consultation (StriaeStore  *self,
                     gint64        patient_id,
                     const char   *created,
                     gint64       *consultation_id,
                     GError      **error)
{
  static const char sql[] = "INSERT INTO consultations (patient_id, created) VALUES (?1, ?2)";
  sqlite3_stmt *stmt = store_prepare (self, STORE_MAIN (self), sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, patient_id);
  sqlite3_bind_text (stmt, 2, created, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  store_statement_done (stmt);
  if (rc != SQLITE_DONE)
    {
      store_set_sqlite_error (error, self, STORE_MAIN (self)->db, rc);
      return FALSE;
    }

  *consultation_id = sqlite3_last_insert_rowid (STORE_MAIN (self)->db);
  return TRUE;
}

/* Inserts the revisions inside the caller's transaction, under new numbers. */
static gboolean
insert_revisions (StriaeStore  *self,
                  GPtrArray    *revisions,
                  gint64        patient_id,
                  const char   *now,
                  guint        *n_consultations,
                  GError      **error)
{
  gint64 consultation_id = 0;

  *n_consultations = 0;
  for (guint i = 0; i < revisions->len; i++)
    {
      ImportedRevision *revision = g_ptr_array_index (revisions, i);
      StriaeConsultation *c = revision->consultation;
      const char *created = revision->created ? revision->created : now;

      if (striae_consultation_get_revision (c) == 1)
        {
          if (!insert_consultation (self, patient_id, created, &consultation_id, error))
            return FALSE;
          (*n_consultations)++;
        }

      striae_consultation_set_id (c, consultation_id);
      striae_consultation_set_patient_id (c, patient_id);
      if (!store_insert_revision (self, c, created, revision->updated ? revision->updated : now,
                                  revision->signed_by, revision->signed_at, error))
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
  static const char sql[] = "UPDATE patients SET archived = 1 WHERE id = ?1";
  sqlite3_stmt *stmt = store_prepare (self, STORE_MAIN (self), sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, patient_id);
  rc = sqlite3_step (stmt);
  store_statement_done (stmt);
  if (rc != SQLITE_DONE)
    {
      store_set_sqlite_error (error, self, STORE_MAIN (self)->db, rc);
      return FALSE;
    }
  return TRUE;
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
  g_autofree char *now = store_now ();
  g_autofree char *detail = NULL;
  gint64 patient_id = 0;
  guint n_consultations = 0;

  g_return_val_if_fail (STRIAE_IS_STORE (self), 0);
  g_return_val_if_fail (json != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (already_imported != NULL)
    *already_imported = FALSE;

  if (!read_export (json, length, &record, error))
    return 0;

  striae_store_backend_lock (self->backend);

  /* Looked up inside the write transaction, so that two imports of one file cannot both
   * add it; the unique index on record_id stands behind that. */
  if (!striae_store_backend_begin (self->backend, error) ||
      (record.record_id != NULL && !find_record (self, record.record_id, &patient_id, error)))
    goto fail;

  if (patient_id != 0)
    {
      striae_store_backend_rollback (self->backend);
      striae_store_backend_unlock (self->backend);
      if (already_imported != NULL)
        *already_imported = TRUE;
      return patient_id;
    }

  if (!store_insert_patient (self, record.patient, now, record.record_id, &patient_id, error) ||
      !insert_revisions (self, record.revisions, patient_id, now, &n_consultations, error) ||
      (record.archived && !mark_archived (self, patient_id, error)))
    goto fail;

  detail = g_strdup_printf (record.archived ? "%u consultations, %u revisions, archived"
                                            : "%u consultations, %u revisions",
                            n_consultations, record.revisions->len);
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
  static const char delete_sql[] = "DELETE FROM patients WHERE id = ?1";
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;
  int rc;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  striae_store_backend_lock (self->backend);

  if (!store_exec (self, STORE_MAIN (self), "PRAGMA secure_delete = ON", error))
    goto out;

  if (!striae_store_backend_begin (self->backend, error) ||
      (stmt = store_prepare (self, STORE_MAIN (self), delete_sql, error)) == NULL)
    goto out;

  sqlite3_bind_int64 (stmt, 1, patient_id);
  rc = sqlite3_step (stmt);
  store_statement_done (stmt);
  if (rc != SQLITE_DONE)
    {
      store_set_sqlite_error (error, self, STORE_MAIN (self)->db, rc);
      goto out;
    }
  if (sqlite3_changes (STORE_MAIN (self)->db) == 0)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND,
                   _("There is no patient number %" PRId64 "; they may have been deleted."),
                   patient_id);
      goto out;
    }

  /* The external-content index only marks the rows deleted; merging its segments drops
   * their tokens for good. */
  if (!store_exec (self, STORE_MAIN (self),
                   "INSERT INTO patients_fts (patients_fts) VALUES ('optimize')", error) ||
      !store_audit_append (self, STRIAE_AUDIT_ERASE, NULL, 0, 0, "", error) ||
      !striae_store_backend_commit (self->backend, error))
    goto out;

  ok = TRUE;

  /* The write-ahead log still holds the old pages until they are copied back. */
  if (sqlite3_wal_checkpoint_v2 (STORE_MAIN (self)->db, NULL, SQLITE_CHECKPOINT_TRUNCATE,
                                 NULL, NULL) != SQLITE_OK)
    g_warning ("The write-ahead log of %s could not be emptied after an erasure: %s",
               self->path, sqlite3_errmsg (STORE_MAIN (self)->db));

out:
  if (!ok)
    striae_store_backend_rollback (self->backend);
  sqlite3_exec (STORE_MAIN (self)->db, "PRAGMA secure_delete = OFF", NULL, NULL, NULL);
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

/* Up to five items of @sql's rows (time, detail), then how many more. */
static char *
list_copies (StriaeStore  *self,
             const char   *sql,
             gint64        patient_id,
             gboolean      with_detail,
             guint        *n,
             GError      **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  *n = 0;
  stmt = store_prepare (self, STORE_MAIN (self), sql, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, patient_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *when = short_time ((const char *) sqlite3_column_text (stmt, 0));

      if (++*n > 5)
        continue;
      if (with_detail)
        /* TRANSLATORS: a backup in a list: its time and its file name */
        g_ptr_array_add (items, g_strdup_printf (_("%s (“%s”)"), when,
                                                 (const char *) sqlite3_column_text (stmt, 1)));
      else
        g_ptr_array_add (items, g_steal_pointer (&when));
    }
  store_statement_done (stmt);
  if (rc != SQLITE_DONE)
    {
      store_set_sqlite_error (error, self, STORE_MAIN (self)->db, rc);
      return NULL;
    }

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
  static const char backups_sql[] =
    "SELECT at, detail FROM audit WHERE action = 'backup' AND ?1 IS NOT NULL ORDER BY id";
  static const char exports_sql[] =
    "SELECT at FROM audit WHERE action = 'export' AND subject ="
    "  (SELECT subject FROM audit_subjects WHERE patient_id = ?1) ORDER BY id";
  g_autofree char *backups = NULL;
  g_autofree char *exports = NULL;
  guint n_backups = 0, n_exports = 0;

  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  striae_store_backend_lock (self->backend);
  backups = list_copies (self, backups_sql, patient_id, TRUE, &n_backups, error);
  if (backups != NULL)
    exports = list_copies (self, exports_sql, patient_id, FALSE, &n_exports, error);
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

static gboolean
copy_database (sqlite3      *from,
               sqlite3      *to,
               const char   *to_path,
               GError      **error)
{
  sqlite3_backup *backup = sqlite3_backup_init (to, "main", from, "main");
  int rc;

  if (backup == NULL)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FAILED,
                   _("The database could not be copied to %s: %s"), to_path,
                   sqlite3_errmsg (to));
      return FALSE;
    }

  do
    rc = sqlite3_backup_step (backup, -1);
  while (rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  sqlite3_backup_finish (backup);

  if (rc != SQLITE_DONE)
    {
      g_set_error (error, STRIAE_STORE_ERROR,
                   (rc & 0xff) == SQLITE_FULL ? STRIAE_STORE_ERROR_FULL
                                              : STRIAE_STORE_ERROR_FAILED,
                   _("The database could not be copied to %s: %s"), to_path,
                   sqlite3_errstr (rc));
      return FALSE;
    }

  return TRUE;
}

/* A backup of a damaged database would carry the damage on while looking good: the full
 * integrity check (every index against its table, unlike the quick check on opening) runs
 * first. */
static gboolean
check_source_integrity (StriaeStore  *self,
                        GError      **error)
{
  g_autofree char *result = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  striae_store_backend_lock (self->backend);
  rc = sqlite3_prepare_v2 (STORE_MAIN (self)->db, "PRAGMA integrity_check(1)", -1, &stmt, NULL);
  if (rc == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW)
    result = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  striae_store_backend_unlock (self->backend);

  if (g_strcmp0 (result, "ok") == 0)
    return TRUE;

  g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_A_DATABASE,
               _("The database %s is damaged, so no backup was made (SQLite found: %s). Keep "
                 "your last good backup."), self->path,
               result != NULL ? g_strdelimit (result, "\r\n", ' ') : sqlite3_errstr (rc));
  return FALSE;
}

/**
 * striae_store_backup:
 * @path: the backup file to write; replaced if it exists
 *
 * Copies the whole database with SQLite's online backup API (a consistent copy while the
 * store stays in use), into a private (0600) single file that striae_store_restore() accepts,
 * and records the backup in the audit log.
 */
gboolean
striae_store_backup (StriaeStore  *self,
                     const char   *path,
                     GError      **error)
{
  g_autofree char *partial = NULL;
  g_autofree char *detail = NULL;
  sqlite3 *dest = NULL;
  gboolean ok;
  int fd, rc;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!striae_store_check_output (self, path, error) || !check_source_integrity (self, error))
    return FALSE;

  /* Written beside the target and renamed at the end, so that a failed backup never
   * replaces a good one. */
  partial = g_strconcat (path, ".partial", NULL);
  g_unlink (partial);
  fd = g_open (partial, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FAILED,
                   _("The backup %s cannot be written: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }
  close (fd);

  rc = sqlite3_open_v2 (partial, &dest, SQLITE_OPEN_READWRITE, NULL);
  ok = rc == SQLITE_OK;
  if (!ok)
    g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FAILED,
                 _("The backup %s cannot be written: %s"), path, sqlite3_errstr (rc));

  if (ok)
    {
      striae_store_backend_lock (self->backend);
      ok = copy_database (STORE_MAIN (self)->db, dest, path, error);
      striae_store_backend_unlock (self->backend);
    }

  /* The head of the audit log goes with it, so that a restore brings it back. */
  if (ok)
    ok = store_audit_seal_backup (self, dest, error);

  /* One self-contained file, without a write-ahead log beside it. */
  if (ok && sqlite3_exec (dest, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) != SQLITE_OK)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FAILED,
                   _("The backup %s cannot be written: %s"), path, sqlite3_errmsg (dest));
      ok = FALSE;
    }
  if (sqlite3_close (dest) != SQLITE_OK && ok)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FAILED,
                   _("The backup %s cannot be written."), path);
      ok = FALSE;
    }

  if (ok && g_rename (partial, path) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FAILED,
                   _("The backup %s cannot be written: %s"), path, g_strerror (saved_errno));
      ok = FALSE;
    }

  if (!ok)
    {
      g_unlink (partial);
      return FALSE;
    }

  detail = g_path_get_basename (path);
  return striae_store_log_event (self, STRIAE_AUDIT_BACKUP, 0, 0, detail, error);
}

/* The checks striae_store_open() makes, plus a full integrity check, on a file that must not
 * be changed. */
static gboolean
check_backup (const char  *path,
              GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  g_autofree char *result = NULL;
  GStatBuf st;
  int version = 0;
  int rc;

  if (g_stat (path, &st) != 0 || !S_ISREG (st.st_mode))
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND,
                   _("There is no backup file at %s."), path);
      return FALSE;
    }

  if (!store_check_header (path, st.st_size, &local_error) ||
      !store_inspect_existing (path, &version, &local_error))
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                  _("The file %s is not a valid Striae backup: "), path);
      return FALSE;
    }

  if (version < 1)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_A_DATABASE,
                   _("The file %s is not a valid Striae backup: it is empty."), path);
      return FALSE;
    }

  rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL);
  if (rc == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW)
    result = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  if (g_strcmp0 (result, "ok") != 0)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_A_DATABASE,
                   _("The file %s is not a valid Striae backup: it is damaged (%s)."), path,
                   result ? result : sqlite3_errstr (rc));
      return FALSE;
    }

  return TRUE;
}

/**
 * striae_store_restore:
 * @backup_path: a file written by striae_store_backup()
 * @target_path: (nullable): the database to replace (%NULL: the default one)
 *
 * Replaces the contents of the database at @target_path (created if missing) with the backup,
 * in one transaction, then brings it up to this version's format and records the restore in
 * its audit log. A file that is not a valid Striae backup (wrong header or application id, a
 * newer format, failing SQLite's integrity check) is refused with
 * %STRIAE_STORE_ERROR_NOT_A_DATABASE or %STRIAE_STORE_ERROR_TOO_NEW before anything is
 * written; so is a target that is not a Striae database.
 */
gboolean
striae_store_restore (const char  *backup_path,
                      const char  *target_path,
                      GError     **error)
{
  g_autoptr(StriaeStore) target = NULL;
  g_autofree char *default_path = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *replaced_id = NULL;
  sqlite3 *source = NULL;
  gboolean ok;
  int rc;

  g_return_val_if_fail (backup_path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (target_path == NULL)
    target_path = default_path = striae_store_default_path ();

  if (!check_backup (backup_path, error))
    return FALSE;

  if ((target = striae_store_open (target_path, error)) == NULL)
    return FALSE;

  rc = sqlite3_open_v2 (backup_path, &source, SQLITE_OPEN_READONLY, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FAILED,
                   _("The backup %s cannot be read: %s"), backup_path, sqlite3_errstr (rc));
      sqlite3_close (source);
      return FALSE;
    }

  replaced_id = store_audit_dup_database_id (target);
  g_mutex_lock (&STORE_MAIN (target)->lock);
  ok = copy_database (source, STORE_MAIN (target)->db, target_path, error);
  g_mutex_unlock (&STORE_MAIN (target)->lock);
  sqlite3_close (source);

  if (!ok)
    return FALSE;

  /* Reopening applies the migrations a backup from an older Striae needs. */
  g_clear_object (&target);
  if ((target = striae_store_open (target_path, error)) == NULL)
    return FALSE;

  /* The log went back to the backup's moment: so does its head kept outside. */
  if (!store_audit_adopt_backup_head (target, replaced_id, error))
    return FALSE;

  detail = g_path_get_basename (backup_path);
  return striae_store_log_event (target, STRIAE_AUDIT_RESTORE, 0, 0, detail, error);
}
