/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <string.h>

#include "striae-server-engine.h"
#include "striae-store-private.h"

/* Moving a single PC's file onto the clinic server (striae --copy-to, docs/clinic-server.md):
 * every patient, consultation, revision and audit row, as stored, into records that
 * --server-init set up and nobody used yet, in one transaction on the server; then the
 * figures of both sides compared and the server's chain checked. */

/* What is copied, counted on the way. */
typedef struct
{
  StriaeStore       *source;
  StriaeStore       *target;
  StriaeCopyReport   counts;
  gboolean           failed;
  GError           **error;
} Copy;

/* The ids of every patient of @store, archived or not. */
static GArray *
list_patient_ids (StriaeStore  *store,
                  GError      **error)
{
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GArray) archived = NULL;

  ids = striae_store_backend_search_patients (store->backend, "", 0, FALSE, NULL, error);
  if (ids == NULL)
    return NULL;
  archived = striae_store_backend_search_patients (store->backend, "", 0, TRUE, NULL, error);
  if (archived == NULL)
    return NULL;

  g_array_append_vals (ids, archived->data, archived->len);
  return g_steal_pointer (&ids);
}

static gboolean
copy_consultation (Copy                      *copy,
                   const StriaeStoreRevision *latest,
                   gint64                     patient_id)
{
  StriaeStoreBackend *from = copy->source->backend;
  StriaeStoreBackend *to = copy->target->backend;
  g_autoptr(GPtrArray) revisions = NULL;
  g_autofree char *page = NULL;
  GDateTime *started = NULL;

  revisions = striae_store_backend_list_revisions (from, latest->consultation_id, copy->error);
  if (revisions == NULL ||
      !striae_store_backend_get_resume_page (from, latest->consultation_id, &page, copy->error))
    return FALSE;

  /* A consultation starts with its first revision (striae-store-consultations.c). */
  for (guint i = 0; i < revisions->len; i++)
    {
      StriaeStoreRevision *revision = g_ptr_array_index (revisions, i);

      if (started == NULL || g_date_time_compare (revision->created, started) < 0)
        started = revision->created;
    }
  if (started == NULL)
    started = latest->created;

  if (!striae_store_backend_copy_in_consultation (to, latest->consultation_id, patient_id,
                                                  started, page, copy->error))
    return FALSE;

  for (guint i = 0; i < revisions->len; i++)
    if (!striae_store_backend_insert_revision (to, g_ptr_array_index (revisions, i),
                                               copy->error) ||
        !store_index_revision (to, g_ptr_array_index (revisions, i), copy->error))
      return FALSE;

  copy->counts.consultations++;
  copy->counts.revisions += revisions->len;
  return TRUE;
}

/* Every revision of the patient's session records (issue 17), under their own numbers, with
 * their lot index. */
static gboolean
copy_sessions (Copy   *copy,
               gint64  patient_id)
{
  StriaeStoreBackend *to = copy->target->backend;
  g_autoptr(GPtrArray) rows = NULL;

  rows = striae_store_backend_list_session_revisions (copy->source->backend, 0, patient_id,
                                                      TRUE, copy->error);
  if (rows == NULL)
    return FALSE;

  for (guint i = 0; i < rows->len; i++)
    {
      const StriaeStoreSessionRevision *row = g_ptr_array_index (rows, i);
      g_autoptr(StriaeTreatmentSession) session = NULL;

      if (row->revision == 1 &&
          !striae_store_backend_copy_in_treatment_session (to, row->session_id,
                                                           row->consultation_id,
                                                           row->patient_id, row->created,
                                                           copy->error))
        return FALSE;
      if (!striae_store_backend_insert_session_revision (to, row, copy->error))
        return FALSE;
      /* A document that cannot be read indexes no lot, as the file had none for it. */
      session = striae_treatment_session_new_from_json (row->document, NULL);
      if (session != NULL)
        {
          striae_treatment_session_set_id (session, row->session_id);
          striae_treatment_session_set_revision (session, row->revision);
          if (!store_index_session_batches (to, session, copy->error))
            return FALSE;
        }
    }

  return TRUE;
}

/* The patient's schedule as the file has it (sessions moved, missed, cancelled or done, with
 * their times and reasons), over the one the copied revisions were given
 * (store_index_schedule() plans every session anew); consultations and session records keep
 * their numbers, so the rows name them as they are. */
static gboolean
copy_schedule (Copy   *copy,
               gint64  patient_id)
{
  StriaeStoreBackend *to = copy->target->backend;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) given = NULL;

  rows = striae_store_backend_list_schedule (copy->source->backend, 0, patient_id,
                                             copy->error);
  if (rows == NULL ||
      (given = striae_store_backend_list_schedule (to, 0, patient_id, copy->error)) == NULL)
    return FALSE;

  for (guint i = 0; i < given->len; i++)
    if (!striae_store_backend_delete_scheduled_session (
          to, ((StriaeScheduledSession *) g_ptr_array_index (given, i))->id, copy->error))
      return FALSE;
  for (guint i = 0; i < rows->len; i++)
    if (!striae_store_backend_insert_scheduled_session (to, g_ptr_array_index (rows, i),
                                                        copy->error))
      return FALSE;
  return TRUE;
}

/* The patient's photos (issue 18), their images and thumbnails as stored (already cleaned,
 * so their SHA-256 holds), and their photo consent. The server numbers the photos anew:
 * nothing refers to a photo's number but the audit rows' details. */
static gboolean
copy_photos (Copy   *copy,
             gint64  patient_id)
{
  StriaeStoreBackend *from = copy->source->backend;
  g_autoptr(GPtrArray) photos = NULL;
  g_autofree char *scope = NULL;
  g_autoptr(GDateTime) recorded = NULL;
  g_autofree char *recorded_by = NULL;

  if (!striae_store_backend_get_photo_consent (from, patient_id, &scope, &recorded,
                                               &recorded_by, copy->error) ||
      (scope != NULL && recorded != NULL &&
       !striae_store_backend_set_photo_consent (copy->target->backend, patient_id, scope,
                                                recorded, recorded_by, copy->error)))
    return FALSE;

  if ((photos = striae_store_backend_list_photos (from, patient_id, copy->error)) == NULL)
    return FALSE;
  for (guint i = 0; i < photos->len; i++)
    {
      StriaePhoto *photo = g_ptr_array_index (photos, i);
      g_autoptr(GBytes) image = NULL;
      g_autoptr(GBytes) thumbnail = NULL;

      if (!striae_store_backend_get_photo_data (from, striae_photo_get_id (photo), FALSE,
                                                &image, copy->error) ||
          !striae_store_backend_get_photo_data (from, striae_photo_get_id (photo), TRUE,
                                                &thumbnail, copy->error))
        return FALSE;
      if (image == NULL || thumbnail == NULL)
        continue;
      if (!striae_store_backend_insert_photo (copy->target->backend, photo, image, thumbnail,
                                              copy->error))
        return FALSE;
    }
  return TRUE;
}

/* The consent's signatures given on the screen (issue 18), on the same numbers. */
static gboolean
copy_consent_signatures (Copy   *copy,
                         gint64  patient_id)
{
  g_autoptr(GPtrArray) rows = NULL;

  rows = striae_store_backend_list_consent_signatures (copy->source->backend, 0, patient_id,
                                                       copy->error);
  if (rows == NULL)
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    if (!striae_store_backend_insert_consent_signature (copy->target->backend,
                                                        g_ptr_array_index (rows, i),
                                                        patient_id, copy->error))
      return FALSE;
  return TRUE;
}

static gboolean
copy_patient (Copy   *copy,
              gint64  id)
{
  StriaeStoreBackend *from = copy->source->backend;
  g_autoptr(StriaePatient) patient = NULL;
  g_auto(StriaeStorePatientKeys) keys = { NULL, };
  g_autoptr(GPtrArray) consultations = NULL;
  g_autofree char *record_id = NULL;
  g_autofree char *subject = NULL;
  gboolean archived = FALSE;

  if (!striae_store_backend_get_patient_record (from, id, &patient, &record_id, &archived,
                                                copy->error) ||
      !striae_store_backend_audit_get_subject (from, id, &subject, copy->error))
    return FALSE;
  if (patient == NULL)
    return TRUE;

  /* The search keys as the records layer computes them for any patient it stores. */
  store_patient_keys_init (&keys, patient);
  if (!striae_store_backend_copy_in_patient (copy->target->backend, patient, &keys, record_id,
                                             archived, subject, copy->error))
    return FALSE;
  copy->counts.patients++;

  if ((consultations = striae_store_backend_list_consultations (from, id,
                                                                copy->error)) == NULL)
    return FALSE;
  for (guint i = 0; i < consultations->len; i++)
    if (!copy_consultation (copy, g_ptr_array_index (consultations, i), id))
      return FALSE;

  return copy_sessions (copy, id) && copy_schedule (copy, id) && copy_photos (copy, id) &&
         copy_consent_signatures (copy, id);
}

static gboolean
is_type (const StriaeStoreAuditRow *row,
         StriaeAuditColumn          column,
         StriaeStoreValueType       type,
         gboolean                   or_null)
{
  StriaeStoreValueType found = row->columns[column].type;

  return found == type || (or_null && found == STRIAE_STORE_VALUE_NULL);
}

/* One audit row, verbatim: the values Striae wrote, of the types it wrote them with, which
 * the seal covers. */
static gboolean
copy_audit_row (const StriaeStoreAuditRow *row,
                gpointer                   data)
{
  Copy *copy = data;
  g_autofree char *at = store_audit_row_dup_text (row, STRIAE_AUDIT_COLUMN_AT);
  g_autofree char *actor = store_audit_row_dup_text (row, STRIAE_AUDIT_COLUMN_ACTOR);
  g_autofree char *action = store_audit_row_dup_text (row, STRIAE_AUDIT_COLUMN_ACTION);
  g_autofree char *subject = store_audit_row_dup_text (row, STRIAE_AUDIT_COLUMN_SUBJECT);
  g_autofree char *detail = store_audit_row_dup_text (row, STRIAE_AUDIT_COLUMN_DETAIL);
  g_autofree char *seal = store_audit_row_dup_text (row, STRIAE_AUDIT_COLUMN_SEAL);
  StriaeStoreAuditEntry entry = {
    .id = row->id,
    .at = at,
    .actor = actor,
    .action = action,
    .subject = subject,
    .consultation_id = store_audit_row_get_int (row, STRIAE_AUDIT_COLUMN_CONSULTATION_ID),
    .detail = detail,
    .seal = seal,
  };

  if (at == NULL || actor == NULL || action == NULL || detail == NULL || seal == NULL ||
      !is_type (row, STRIAE_AUDIT_COLUMN_SUBJECT, STRIAE_STORE_VALUE_TEXT, TRUE) ||
      !is_type (row, STRIAE_AUDIT_COLUMN_CONSULTATION_ID, STRIAE_STORE_VALUE_INTEGER, TRUE) ||
      (is_type (row, STRIAE_AUDIT_COLUMN_CONSULTATION_ID, STRIAE_STORE_VALUE_INTEGER, FALSE) &&
       entry.consultation_id <= 0))
    {
      g_set_error (copy->error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_TAMPERED,
                   _("Audit entry %" PRId64 " of %s was not written by Striae and "
                     "cannot be copied as it is; nothing was copied."),
                   (int64_t) row->id, copy->source->name);
      copy->failed = TRUE;
      return FALSE;
    }

  if (!striae_store_backend_audit_append (copy->target->backend, &entry, copy->error))
    {
      copy->failed = TRUE;
      return FALSE;
    }

  copy->counts.audit_entries++;
  return TRUE;
}

/* The server's records must be set up (--server-init) and unused. */
static gboolean
check_target_empty (StriaeStore  *target,
                    GError      **error)
{
  g_auto(StriaeStoreAuditTail) tail = { 0 };
  g_autoptr(GArray) ids = NULL;
  gint64 n_patients;

  /* (count_patients takes the lock, which the copy holds.) */
  if ((ids = list_patient_ids (target, error)) == NULL ||
      !striae_store_backend_audit_get_tail (target->backend, 0, &tail, error))
    return FALSE;
  n_patients = ids->len;

  if (n_patients == 0 && tail.last_number == 0 && tail.last_id == 0)
    return TRUE;

  /* TRANSLATORS: %s is the server; then the numbers of patients and of audit entries */
  g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_LOCKED,
               _("The records on %s are in use already (patients: %" PRId64
                 ", audit entries: %" PRId64 "); a file is copied only into "
                 "records that nobody has used yet, so nothing was copied."),
               target->name, (int64_t) n_patients,
               (int64_t) MAX (tail.last_number, tail.last_id));
  return FALSE;
}

/* The copy itself, with both backends locked, a write transaction open on each (the file's
 * keeps other writers off while it is read, and is rolled back). */
static gboolean
copy_records (Copy    *copy,
              GBytes  *key)
{
  StriaeStoreBackend *to = copy->target->backend;
  g_autoptr(GArray) ids = NULL;
  g_autofree char *rules = NULL;
  gint64 last_number = 0;

  if (!check_target_empty (copy->target, copy->error) ||
      (key != NULL && !striae_store_backend_copy_in_audit_key (to, key, copy->error)) ||
      (ids = list_patient_ids (copy->source, copy->error)) == NULL)
    return FALSE;

  for (guint i = 0; i < ids->len; i++)
    if (!copy_patient (copy, g_array_index (ids, gint64, i)))
      return FALSE;

  if (!striae_store_backend_get_rules (copy->source->backend, &rules, copy->error) ||
      (rules != NULL && !striae_store_backend_set_rules (to, rules, copy->error)))
    return FALSE;

  if (!striae_store_backend_audit_scan (copy->source->backend, &last_number, copy_audit_row,
                                        copy, copy->error) ||
      copy->failed)
    return FALSE;

  return striae_store_backend_finish_copy (to, last_number, copy->error);
}

/* The file's audit key, which sealed its rows; %NULL for a file that never wrote one. */
static gboolean
find_source_key (StriaeStore  *source,
                 GBytes      **key,
                 GError      **error)
{
  g_autofree char *database_id = NULL;
  g_autofree char *place = NULL;
  AuditHead head;
  gboolean has_head = FALSE;

  if (!store_audit_find_key (source, &database_id, key, &head, &has_head, &place, error))
    return FALSE;

  /* On the server every row is sealed with the key from the first on. */
  if (*key != NULL && head.keyed_from > 1)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_TAMPERED,
                   _("The audit log of %s was sealed with its key only from entry %"
                     PRId64 " on, which the clinic server cannot check; nothing "
                     "was copied."), source->name, (int64_t) head.keyed_from);
      g_clear_pointer (key, g_bytes_unref);
      return FALSE;
    }
  return TRUE;
}

static gboolean
copy_locked (StriaeStore       *source,
             StriaeStore       *target,
             StriaeCopyReport  *counts,
             GError           **error)
{
  g_autoptr(GBytes) key = NULL;
  Copy copy = { source, target, { 0 }, FALSE, error };
  gboolean ok;

  ok = find_source_key (source, &key, error) &&
       striae_store_backend_begin (source->backend, error) &&
       striae_store_backend_begin (target->backend, error) &&
       copy_records (&copy, key) &&
       striae_store_backend_commit (target->backend, error);
  if (!ok)
    striae_store_backend_rollback (target->backend);
  striae_store_backend_rollback (source->backend);

  *counts = copy.counts;
  return ok;
}

/* What @store holds, counted afresh. */
static gboolean
count_records (StriaeStore       *store,
               StriaeCopyReport  *counts,
               GError           **error)
{
  g_autoptr(GArray) ids = NULL;

  memset (counts, 0, sizeof *counts);
  striae_store_backend_lock (store->backend);
  ids = list_patient_ids (store, error);
  for (guint i = 0; ids != NULL && i < ids->len; i++)
    {
      g_autoptr(GPtrArray) consultations = NULL;

      consultations = striae_store_backend_list_consultations (store->backend,
                                                               g_array_index (ids, gint64, i),
                                                               error);
      if (consultations == NULL)
        {
          g_clear_pointer (&ids, g_array_unref);
          break;
        }
      counts->patients++;
      counts->consultations += consultations->len;
      for (guint j = 0; ids != NULL && j < consultations->len; j++)
        {
          const StriaeStoreRevision *latest = g_ptr_array_index (consultations, j);
          g_autoptr(GPtrArray) revisions = NULL;

          revisions = striae_store_backend_list_revisions (store->backend,
                                                           latest->consultation_id, error);
          if (revisions == NULL)
            g_clear_pointer (&ids, g_array_unref);
          else
            counts->revisions += revisions->len;
        }
    }
  striae_store_backend_unlock (store->backend);

  return ids != NULL;
}

static gboolean
check_server_ready (const char  *uri,
                    GError     **error)
{
  const StriaeServerEngine *engine;
  int version = 0;

  if (!striae_store_is_server_location (uri))
    {
      g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
                           _("Give the clinic server’s address as a URI that starts with "
                             "postgresql://, such as postgresql://striae_owner@server/striae."));
      return FALSE;
    }

  if ((engine = striae_server_engine_get (error)) == NULL ||
      !engine->check_owner (uri, &version, error))
    return FALSE;

  if (version < engine->get_latest_schema_version ())
    {
      g_autofree char *name = engine->describe (uri);

      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND,
                   _("The records on %s are not set up for this version of Striae; run "
                     "striae --server-init on it first. Nothing was copied."), name);
      return FALSE;
    }
  return TRUE;
}

/**
 * striae_store_copy_to:
 * @self: the records to copy (a single PC's file)
 * @uri: the clinic server's database, with its owner's login (a libpq URI)
 * @report: (out caller-allocates) (optional): the figures copied, equal on both sides
 *
 * Copies every patient (with its id, record id, archived flag, times and audit subject),
 * every consultation with every revision as stored, the resume pages, the clinic's rules and
 * every audit row verbatim, with the key that sealed them, into the records on @uri, which
 * striae --server-init must have set up and nobody used yet (else refused, and nothing is
 * written). The source's chain is checked first; the copy is one transaction on the server.
 * Afterwards both sides are counted again and the server's chain is checked.
 *
 * Returns: whether the copy is complete and checked
 */
gboolean
striae_store_copy_to (StriaeStore       *self,
                      const char        *uri,
                      StriaeCopyReport  *report,
                      GError           **error)
{
  g_autoptr(StriaeStore) target = NULL;
  StriaeCopyReport copied = { 0 };
  StriaeCopyReport found = { 0 };
  gint64 source_entries = 0;
  gint64 target_entries = 0;
  gboolean ok;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (uri != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!striae_store_may (self, STRIAE_RIGHT_TRANSFER, error))
    return FALSE;

  if (report != NULL)
    memset (report, 0, sizeof *report);

  /* A server's records move with the server's own tools (pg_dump). */
  if (striae_store_is_server_location (self->path))
    {
      g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_SUPPORTED,
                           _("These records are on a clinic server already; --copy-to copies "
                             "a single computer’s file onto one."));
      return FALSE;
    }

  if (!check_server_ready (uri, error))
    return FALSE;

  /* A log that does not hold would not hold on the server either. */
  if (!striae_store_verify_audit (self, &source_entries, NULL, error))
    {
      g_prefix_error (error, _("Nothing was copied: "));
      return FALSE;
    }

  if ((target = striae_store_open (uri, error)) == NULL)
    return FALSE;

  striae_store_backend_lock (self->backend);
  striae_store_backend_lock (target->backend);
  ok = copy_locked (self, target, &copied, error);
  striae_store_backend_unlock (target->backend);
  striae_store_backend_unlock (self->backend);
  if (!ok)
    return FALSE;

  /* What the server holds now, read back, against what was read from the file. */
  if (!count_records (target, &found, error) ||
      !striae_store_verify_audit (target, &target_entries, NULL, error))
    {
      g_prefix_error (error, _("The records were copied, but the copy could not be checked: "));
      return FALSE;
    }
  found.audit_entries = target_entries;

  if (memcmp (&found, &copied, sizeof found) != 0 || copied.audit_entries < source_entries)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FAILED,
                   _("The copy on %s does not match the file: it holds %" PRId64
                     " patients, %" PRId64 " revisions and %" PRId64
                     " audit entries where %" PRId64 ", %" PRId64 " and %"
                     PRId64 " were copied."),
                   target->name, (int64_t) found.patients, (int64_t) found.revisions,
                   (int64_t) found.audit_entries, (int64_t) copied.patients,
                   (int64_t) copied.revisions, (int64_t) copied.audit_entries);
      return FALSE;
    }

  if (report != NULL)
    *report = copied;
  return TRUE;
}
