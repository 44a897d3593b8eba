/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>

#include "striae-store-private.h"

/* Consultations and their revisions: the rules of their life, above the backend
 * (StriaeStoreBackend's "Consultations and revisions"), which only stores and reads them.
 *
 * Life of a consultation: it is saved as a draft as often as the wizard likes (partial
 * answers included), saved as complete when finished, then signed, which records who and
 * when and locks it: a signed revision is never changed again. A correction is an amendment,
 * a new draft revision that starts as a copy of the signed one, which stays readable. Only the
 * latest revision of a consultation can be saved.
 *
 * The consultation's document (striae_consultation_to_json()) is the one source of its facts:
 * its status, date, practitioner and rules hash are read from it. Its id, revision and patient
 * are the keys the backend files it under, and are set from them.
 *
 * Several computers (or processes) may hold the same consultation. Each copy read or saved
 * carries the stamp of the stored revision it is (striae_consultation_get_stored_stamp(): the
 * revision's updated time), and a save or a signature checks it in its own transaction, once
 * read_latest() has locked the consultation: nobody's change is written over unseen, and a
 * consultation is signed once, as its signer saw it. */

static const char *
status_to_string (StriaeConsultationStatus status)
{
  switch (status)
    {
    case STRIAE_CONSULTATION_STATUS_DRAFT:
      return "draft";
    case STRIAE_CONSULTATION_STATUS_COMPLETE:
      return "complete";
    case STRIAE_CONSULTATION_STATUS_SIGNED:
      return "signed";
    default:
      g_assert_not_reached ();
    }
}

static void
set_consultation_not_found (GError **error,
                            gint64   id)
{
  g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND,
               _("There is no consultation number %" PRId64 "; it may have been deleted."),
               id);
}

static void
set_revision_not_found (GError **error,
                        gint64   id,
                        guint    revision)
{
  g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND,
               _("Consultation %" PRId64 " has no revision %u."), id, revision);
}

/* The revision row of @consultation, whose id, revision and patient must already be right. */
static void
revision_init (StriaeStoreRevision *row,
               StriaeConsultation  *consultation,
               GDateTime           *created,
               GDateTime           *updated)
{
  *row = (StriaeStoreRevision) {
    .consultation_id = striae_consultation_get_id (consultation),
    .revision = striae_consultation_get_revision (consultation),
    .patient_id = striae_consultation_get_patient_id (consultation),
    .document = striae_consultation_to_json (consultation),
    .created = created,
    .updated = updated,
  };
}

/* Inserts one revision inside the caller's transaction, created and last updated at @now. */
static gboolean
insert_revision (StriaeStore         *self,
                 StriaeConsultation  *consultation,
                 GDateTime           *now,
                 GError             **error)
{
  StriaeStoreRevision row;
  gboolean ok;

  revision_init (&row, consultation, now, now);
  ok = striae_store_backend_insert_revision (self->backend, &row, error) &&
       store_index_sessions (self->backend, consultation, error);
  g_free (row.document);

  return ok;
}

/* Inserts one revision row inside the caller's transaction, with the times and signature an
 * import brings (UTC timestamps as the store writes them). The consultation's id, revision,
 * status and patient must already be right; its document is stored as it is. */
gboolean
store_insert_revision (StriaeStore         *self,
                       StriaeConsultation  *consultation,
                       const char          *created,
                       const char          *updated,
                       const char          *signed_by,
                       const char          *signed_at,
                       GError             **error)
{
  g_autoptr(GDateTime) created_time = striae_store_parse_timestamp (created);
  g_autoptr(GDateTime) updated_time = striae_store_parse_timestamp (updated);
  g_autoptr(GDateTime) signed_time = striae_store_parse_timestamp (signed_at);
  StriaeStoreRevision row;
  gboolean ok;

  g_assert (created_time != NULL && updated_time != NULL);
  g_assert (signed_at == NULL || signed_time != NULL);

  revision_init (&row, consultation, created_time, updated_time);
  row.signed_by = (char *) signed_by;
  row.signed_at = signed_time;
  ok = striae_store_backend_insert_revision (self->backend, &row, error) &&
       store_index_sessions (self->backend, consultation, error);
  g_free (row.document);

  return ok;
}

/* The stored stamp of a revision is its last update time, as the store writes it (UTC, to the
 * microsecond): every save and signature moves it (next_update()). */
static void
set_stamp (StriaeConsultation *consultation,
           GDateTime          *updated)
{
  g_autofree char *stamp = updated != NULL ? striae_store_format_timestamp (updated) : NULL;

  striae_consultation_set_stored_stamp (consultation, stamp);
}

/* When a write made at @now leaves revision @row updated: later than @row's time even when
 * this computer's clock is behind the one that wrote it, so that its stamp changes. */
static GDateTime *
next_update (StriaeStoreRevision *row,
             GDateTime           *now)
{
  if (row->updated != NULL && g_date_time_compare (now, row->updated) <= 0)
    return g_date_time_add (row->updated, 1);

  return g_date_time_ref (now);
}

static StriaeConsultation *
consultation_from_revision (StriaeStore          *self,
                            StriaeStoreRevision  *row,
                            GError              **error)
{
  g_autoptr(GError) local_error = NULL;
  StriaeConsultation *consultation;

  consultation = striae_consultation_new_from_json (row->document, &local_error);
  if (consultation == NULL)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_A_DATABASE,
                   _("Consultation number %" PRId64 " in %s is damaged: %s"),
                   row->consultation_id, self->name, local_error->message);
      return NULL;
    }

  striae_consultation_set_id (consultation, row->consultation_id);
  striae_consultation_set_revision (consultation, row->revision);
  striae_consultation_set_patient_id (consultation, row->patient_id);
  set_stamp (consultation, row->updated);

  return consultation;
}

/* Reads the latest revision's number, status and patient of consultation @id, inside the
 * caller's transaction. */
static gboolean
read_latest (StriaeStore               *self,
             gint64                     id,
             gint64                    *patient_id,
             guint                     *revision,
             StriaeConsultationStatus  *status,
             GError                   **error)
{
  gboolean found;

  if (!striae_store_backend_get_latest_status (self->backend, id, &found, patient_id, revision,
                                               status, error))
    return FALSE;
  if (!found)
    {
      set_consultation_not_found (error, id);
      return FALSE;
    }

  return TRUE;
}

static void
set_locked (GError  **error,
            gint64    id,
            guint     revision)
{
  g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_LOCKED,
               _("Consultation %" PRId64 " (revision %u) is signed and cannot be changed. "
                 "Amend it to make a correction."), id, revision);
}

/* A time for a sentence, in the user's time zone: the hour alone today, the day too before. */
static char *
format_when (GDateTime *time)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (time);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  if (g_date_time_get_year (local) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (now))
    return g_date_time_format (local, "%H:%M");

  /* TRANSLATORS: a day and a time in a sentence such as "Dr Roux changed this consultation
   * at %s"; see strftime(3). */
  return g_date_time_format (local, _("%x, %H:%M"));
}

typedef struct
{
  gint64  consultation_id;
  char   *actor;
} ChangerSearch;

static gboolean
note_changer (const StriaeStoreAuditRow *row,
              gpointer                   data)
{
  ChangerSearch *search = data;
  g_autofree char *action = NULL;

  if (store_audit_row_get_int (row, STRIAE_AUDIT_COLUMN_CONSULTATION_ID) !=
      search->consultation_id)
    return TRUE;

  /* Views and printouts change nothing, nor do the photos of the consultation (issue 18),
   * which are not part of its revisions. */
  action = store_audit_row_dup_text (row, STRIAE_AUDIT_COLUMN_ACTION);
  if (g_str_has_prefix (action ? action : "", "photo-") ||
      g_strcmp0 (action, striae_audit_action_to_string (STRIAE_AUDIT_VIEW)) == 0 ||
      g_strcmp0 (action, striae_audit_action_to_string (STRIAE_AUDIT_PRINT)) == 0 ||
      g_strcmp0 (action, striae_audit_action_to_string (STRIAE_AUDIT_EXPORT)) == 0)
    return TRUE;

  g_free (search->actor);
  search->actor = store_audit_row_dup_text (row, STRIAE_AUDIT_COLUMN_ACTOR);
  return TRUE;
}

/* Who changed consultation @id last, as the audit log says: the actor of the newest row
 * about it that changed it; "Someone" when the log cannot tell. */
static char *
dup_changer (StriaeStore *self,
             gint64       patient_id,
             gint64       id)
{
  g_autoptr(GError) local_error = NULL;
  ChangerSearch search = { id, NULL };

  if (!striae_store_backend_audit_read (self->backend, 0, 0, patient_id, NULL, note_changer,
                                        &search, &local_error))
    g_message ("Could not read who changed consultation %" PRId64 ": %s", id,
               local_error->message);
  if (search.actor == NULL || search.actor[0] == '\0')
    {
      g_free (search.actor);
      return g_strdup (_("Someone"));
    }

  /* An account's rows (a login's, on a clinic server) are named without their prefix. */
  {
    g_autofree char *actor = g_steal_pointer (&search.actor);

    return store_dup_actor_name (self, actor);
  }
}

/* Refuses to write over revision @row, which someone changed since the caller read it. */
static void
set_conflict (StriaeStore          *self,
              StriaeStoreRevision  *row,
              GError              **error)
{
  g_autofree char *who = dup_changer (self, row->patient_id, row->consultation_id);
  g_autofree char *when = format_when (row->updated);

  g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_CONFLICT,
               _("%s changed this consultation at %s on another computer. Reload it to see "
                 "those changes, or keep yours as a new draft."), who, when);
}

/* Refuses to change revision @row, which someone signed since the caller read it. */
static void
set_signed_meanwhile (StriaeStoreRevision  *row,
                      GError              **error)
{
  g_autofree char *when = format_when (row->signed_at);

  g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_LOCKED,
               _("%s signed this consultation at %s, so it cannot be changed. Reload it to "
                 "see what was signed, or keep your version as a new draft."),
               row->signed_by, when);
}

/* Checks, inside the caller's transaction and after read_latest() locked the consultation,
 * that its latest revision @row is still the one @stamp names (a stored stamp, or %NULL for
 * none to check): refuses a revision signed or changed since. */
static gboolean
check_stamp (StriaeStore          *self,
             StriaeStoreRevision  *row,
             const char           *stamp,
             GError              **error)
{
  g_autofree char *stored = NULL;

  /* A row without its time (a damaged one) cannot tell; the backend's guards still hold. */
  if (stamp == NULL || row->updated == NULL)
    return TRUE;

  stored = striae_store_format_timestamp (row->updated);
  if (g_strcmp0 (stored, stamp) == 0)
    return TRUE;

  if (row->signed_by != NULL && row->signed_at != NULL)
    set_signed_meanwhile (row, error);
  else
    set_conflict (self, row, error);

  return FALSE;
}

/* The stored row of revision @revision of consultation @id; the caller holds the lock. */
static StriaeStoreRevision *
get_row (StriaeStore  *self,
         gint64        id,
         guint         revision,
         GError      **error)
{
  StriaeStoreRevision *row = NULL;

  if (!striae_store_backend_get_revision (self->backend, id, revision, &row, error))
    return NULL;
  if (row == NULL)
    set_revision_not_found (error, id, revision);

  return row;
}

/* Reads one revision (the latest when @revision is 0); the caller holds the backend's
 * lock. */
static StriaeConsultation *
load_revision (StriaeStore  *self,
               gint64        id,
               guint         revision,
               GError      **error)
{
  g_autoptr(StriaeStoreRevision) row = NULL;

  if (!striae_store_backend_get_revision (self->backend, id, revision, &row, error))
    return NULL;

  if (row == NULL && revision != 0)
    set_revision_not_found (error, id, revision);
  else if (row == NULL)
    set_consultation_not_found (error, id);
  if (row == NULL)
    return NULL;

  return consultation_from_revision (self, row, error);
}

/* Replaces the latest revision @copy of a stored consultation, inside the caller's
 * transaction: the rules of saving are checked first, then that nobody changed the revision
 * since @copy was read (its stored stamp). @updated is when the revision now says it was
 * updated. */
static gboolean
replace_revision (StriaeStore         *self,
                  StriaeConsultation  *copy,
                  GDateTime           *now,
                  GDateTime          **updated,
                  GError             **error)
{
  StriaeConsultationStatus stored_status;
  gint64 id = striae_consultation_get_id (copy);
  guint revision = striae_consultation_get_revision (copy);
  const char *stamp = striae_consultation_get_stored_stamp (copy);
  g_autoptr(StriaeStoreRevision) stored = NULL;
  gint64 stored_patient;
  StriaeStoreRevision row;
  gboolean found = FALSE;
  guint latest;
  gboolean ok;

  if (!read_latest (self, id, &stored_patient, &latest, &stored_status, error))
    return FALSE;

  if (stored_patient != striae_consultation_get_patient_id (copy))
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
                   _("Consultation %" PRId64 " belongs to another patient."), id);
      return FALSE;
    }
  if (revision < latest)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_LOCKED,
                   _("Revision %u of consultation %" PRId64 " has been superseded by "
                     "revision %u and cannot be changed."), revision, id, latest);
      return FALSE;
    }
  if (revision > latest)
    {
      set_revision_not_found (error, id, revision);
      return FALSE;
    }
  if ((stored = get_row (self, id, revision, error)) == NULL ||
      !check_stamp (self, stored, stamp, error))
    return FALSE;
  if (stored_status == STRIAE_CONSULTATION_STATUS_SIGNED)
    {
      set_locked (error, id, latest);
      return FALSE;
    }

  /* An amendment's reason was given when it was started; saving keeps it. */
  if (revision > 1)
    {
      g_autoptr(StriaeConsultation) original = consultation_from_revision (self, stored, error);

      if (original == NULL)
        return FALSE;
      striae_consultation_set_amendment_reason (
        copy, striae_consultation_get_amendment_reason (original));
    }

  *updated = next_update (stored, now);
  revision_init (&row, copy, NULL, *updated);
  ok = striae_store_backend_update_revision (self->backend, &row, &found, error);
  g_free (row.document);
  if (ok && !found)
    set_revision_not_found (error, id, revision);

  return ok && found && store_index_sessions (self->backend, copy, error);
}

/* Saves @copy (checked by the caller) in a transaction of its own: adds it when it has no id
 * (setting its id and revision 1), replaces its latest revision otherwise. @detail is the
 * audit row's (NULL: the status). @updated is when the stored revision says it was updated,
 * for its stamp. */
static gboolean
save_copy (StriaeStore         *self,
           StriaeConsultation  *copy,
           const char          *practitioner,
           const char          *detail,
           GDateTime          **updated,
           GError             **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  StriaeConsultationStatus status = striae_consultation_get_status (copy);
  gint64 patient_id = striae_consultation_get_patient_id (copy);
  gint64 id = striae_consultation_get_id (copy);

  if (detail == NULL)
    detail = status_to_string (status);

  striae_store_backend_lock (self->backend);

  if (!striae_store_backend_begin (self->backend, error))
    goto fail;

  if (id == 0)
    {
      if (!striae_store_backend_insert_consultation (self->backend, patient_id, now, &id,
                                                     error))
        goto fail;
      if (id == 0)
        {
          g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND,
                       _("There is no patient number %" PRId64 "; "
                         "they may have been deleted."), patient_id);
          goto fail;
        }

      striae_consultation_set_id (copy, id);
      striae_consultation_set_revision (copy, 1);
      *updated = g_date_time_ref (now);

      if (!insert_revision (self, copy, now, error) ||
          !store_audit_append (self, STRIAE_AUDIT_CREATE, practitioner, patient_id, id,
                               detail, error))
        goto fail;
    }
  else if (!replace_revision (self, copy, now, updated, error) ||
           !store_audit_append (self, STRIAE_AUDIT_UPDATE, practitioner, patient_id, id,
                                detail, error))
    goto fail;

  if (!striae_store_backend_commit (self->backend, error))
    goto fail;

  striae_store_backend_unlock (self->backend);
  return TRUE;

fail:
  g_clear_pointer (updated, g_date_time_unref);
  striae_store_backend_rollback (self->backend);
  striae_store_backend_unlock (self->backend);
  return FALSE;
}

/* Refuses what no save may store: a consultation of no patient, or a signed one. */
static gboolean
check_savable (StriaeConsultation  *consultation,
               GError             **error)
{
  if (striae_consultation_get_patient_id (consultation) <= 0)
    {
      g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
                           _("The consultation belongs to no patient, so it cannot be saved."));
      return FALSE;
    }
  if (striae_consultation_get_status (consultation) == STRIAE_CONSULTATION_STATUS_SIGNED)
    {
      g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
                           _("A consultation is signed through sign-off, not by saving it."));
      return FALSE;
    }

  return TRUE;
}

/**
 * striae_store_save_consultation:
 * @consultation: a draft or complete consultation; its patient must be stored
 * @practitioner: (nullable): who saves it, for the audit log (%NULL: the store's user)
 *
 * Saves a consultation as it is, partial answers included. A consultation without an id is
 * added (as revision 1) and gets its id; one with an id replaces its latest revision. Refuses
 * with %STRIAE_STORE_ERROR_LOCKED a signed revision or one that is not the latest.
 *
 * Several computers (or processes) may hold the same draft: a consultation read from the
 * store carries the stamp of the revision it was read as (striae_consultation_get_stored_stamp()),
 * and the save is refused with %STRIAE_STORE_ERROR_CONFLICT, naming who changed it and when,
 * when the stored revision changed since, or with %STRIAE_STORE_ERROR_LOCKED when it was
 * signed since; nothing is written then. The caller may reload it, or keep its version with
 * striae_store_save_as_new_draft(). A consultation without a stamp is saved over whatever is
 * stored. On success @consultation gets its id, revision and the new stamp.
 */
gboolean
striae_store_save_consultation (StriaeStore         *self,
                                StriaeConsultation  *consultation,
                                const char          *practitioner,
                                GError             **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (STRIAE_IS_CONSULTATION (consultation), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!striae_store_may (self, STRIAE_RIGHT_CONSULTATIONS, error))
    return FALSE;

  return store_save_consultation (self, consultation, practitioner, TRUE, error);
}

/* Saves @consultation; with @spool, a draft that cannot reach the clinic server is kept on
 * this computer (striae-store-spool.c) and the save refused with STRIAE_STORE_ERROR_SPOOLED.
 * The spool's lock is held. */
static gboolean
save_or_spool (StriaeStore         *self,
               StriaeConsultation  *consultation,
               const char          *practitioner,
               gboolean             spool,
               GError             **error)
{
  g_autoptr(StriaeConsultation) copy = NULL;
  g_autoptr(GDateTime) updated = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 old_id = striae_consultation_get_id (consultation);
  gint64 kept_id;

  if (!check_savable (consultation, error))
    return FALSE;

  /* The caller's object changes only once the transaction has committed. */
  copy = striae_consultation_copy (consultation);
  if (spool)
    store_spool_catch_up (self, copy);
  kept_id = striae_consultation_get_id (copy);
  if (!save_copy (self, copy, practitioner, NULL, &updated, &local_error))
    {
      if (!spool ||
          !g_error_matches (local_error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_UNREACHABLE))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      /* Nothing typed is lost: the draft waits on this computer for the server. */
      g_debug ("Keeping the draft on this computer: %s", local_error->message);
      if (!store_spool_write (self, copy, practitioner, error))
        return FALSE;
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_SPOOLED,
                   _("The clinic server %s cannot be reached. The consultation is kept on "
                     "this computer and sent when the server is back."), self->name);
      return FALSE;
    }

  striae_consultation_set_id (consultation, striae_consultation_get_id (copy));
  striae_consultation_set_revision (consultation, striae_consultation_get_revision (copy));
  set_stamp (consultation, updated);
  /* What waited on this computer is older than what was just stored. */
  if (spool)
    {
      const char *local_id = striae_consultation_get_local_id (consultation);

      store_spool_forget (self, old_id, local_id);
      if (kept_id != old_id)
        store_spool_forget (self, kept_id, local_id);
    }
  store_emit_patients_changed (self, striae_consultation_get_patient_id (consultation));

  return TRUE;
}

/* striae_store_save_consultation(); with @spool, as save_or_spool() under the spool's lock. */
gboolean
store_save_consultation (StriaeStore         *self,
                         StriaeConsultation  *consultation,
                         const char          *practitioner,
                         gboolean             spool,
                         GError             **error)
{
  gboolean ok;

  if (!spool)
    return save_or_spool (self, consultation, practitioner, FALSE, error);

  store_spool_lock (self);
  ok = save_or_spool (self, consultation, practitioner, TRUE, error);
  store_spool_unlock (self);
  return ok;
}

/**
 * striae_store_save_as_new_draft:
 * @consultation: a consultation whose patient is stored, usually one whose save was refused
 *   with %STRIAE_STORE_ERROR_CONFLICT or %STRIAE_STORE_ERROR_LOCKED
 * @practitioner: (nullable): who saves it, for the audit log (%NULL: the store's user)
 *
 * Keeps the content of @consultation as a new consultation of the same patient: a new id,
 * revision 1, a draft, audited as a create that names the consultation it was a copy of
 * ("draft, kept apart from consultation 12 revision 1"), which stays as it is stored. On success @consultation becomes that new draft (its id, revision, status and
 * stamp), without an amendment's reason.
 */
gboolean
striae_store_save_as_new_draft (StriaeStore         *self,
                                StriaeConsultation  *consultation,
                                const char          *practitioner,
                                GError             **error)
{
  g_autoptr(StriaeConsultation) copy = NULL;
  g_autoptr(GDateTime) updated = NULL;
  g_autofree char *detail = NULL;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (STRIAE_IS_CONSULTATION (consultation), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!striae_store_may (self, STRIAE_RIGHT_CONSULTATIONS, error))
    return FALSE;

  /* The log says where the new draft came from. */
  if (striae_consultation_get_id (consultation) != 0)
    detail = g_strdup_printf ("draft, kept apart from consultation %" PRId64 " revision %u",
                              striae_consultation_get_id (consultation),
                              striae_consultation_get_revision (consultation));

  copy = striae_consultation_copy (consultation);
  striae_consultation_set_id (copy, 0);
  striae_consultation_set_revision (copy, 1);
  striae_consultation_set_status (copy, STRIAE_CONSULTATION_STATUS_DRAFT);
  striae_consultation_set_not_treated (copy, FALSE, NULL, NULL);
  striae_consultation_set_amendment_reason (copy, NULL);
  striae_consultation_set_stored_stamp (copy, NULL);

  if (!check_savable (copy, error) ||
      !save_copy (self, copy, practitioner, detail, &updated, error))
    return FALSE;

  striae_consultation_set_id (consultation, striae_consultation_get_id (copy));
  striae_consultation_set_revision (consultation, 1);
  striae_consultation_set_status (consultation, STRIAE_CONSULTATION_STATUS_DRAFT);
  striae_consultation_set_not_treated (consultation, FALSE, NULL, NULL);
  striae_consultation_set_amendment_reason (consultation, NULL);
  set_stamp (consultation, updated);
  store_emit_patients_changed (self, striae_consultation_get_patient_id (consultation));

  return TRUE;
}

/* Returns the latest revision of consultation @id. */
StriaeConsultation *
striae_store_get_consultation (StriaeStore  *self,
                               gint64        id,
                               GError      **error)
{
  StriaeConsultation *consultation;

  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  striae_store_backend_lock (self->backend);
  consultation = load_revision (self, id, 0, error);
  striae_store_backend_unlock (self->backend);

  return consultation;
}

StriaeConsultation *
striae_store_get_revision (StriaeStore  *self,
                           gint64        id,
                           guint         revision,
                           GError      **error)
{
  StriaeConsultation *consultation;

  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);
  g_return_val_if_fail (revision >= 1, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  striae_store_backend_lock (self->backend);
  consultation = load_revision (self, id, revision, error);
  striae_store_backend_unlock (self->backend);

  return consultation;
}

/* The consultations of revision rows from the backend (a list, or NULL with @error set). */
static GPtrArray *
consultations_from_revisions (StriaeStore  *self,
                              GPtrArray    *rows,
                              GError      **error)
{
  g_autoptr(GPtrArray) list = NULL;

  if (rows == NULL)
    return NULL;

  list = g_ptr_array_new_full (rows->len, g_object_unref);
  for (guint i = 0; i < rows->len; i++)
    {
      StriaeConsultation *consultation;

      consultation = consultation_from_revision (self, g_ptr_array_index (rows, i), error);
      if (consultation == NULL)
        return NULL;
      g_ptr_array_add (list, consultation);
    }

  return g_steal_pointer (&list);
}

/**
 * striae_store_list_consultations:
 *
 * Returns: (transfer full) (element-type StriaeConsultation): the latest revision of each of
 *   the patient's consultations, newest first (by consultation date, or by when it was
 *   started while it has no date); empty for an unknown patient
 */
GPtrArray *
striae_store_list_consultations (StriaeStore  *self,
                                 gint64        patient_id,
                                 GError      **error)
{
  g_autoptr(GPtrArray) rows = NULL;

  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  striae_store_backend_lock (self->backend);
  rows = striae_store_backend_list_consultations (self->backend, patient_id, error);
  striae_store_backend_unlock (self->backend);

  return consultations_from_revisions (self, rows, error);
}

/**
 * striae_store_list_revisions:
 *
 * Returns: (transfer full) (element-type StriaeConsultation): every revision of consultation
 *   @id, oldest first
 */
GPtrArray *
striae_store_list_revisions (StriaeStore  *self,
                             gint64        id,
                             GError      **error)
{
  g_autoptr(GPtrArray) rows = NULL;

  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  striae_store_backend_lock (self->backend);
  rows = striae_store_backend_list_revisions (self->backend, id, error);
  striae_store_backend_unlock (self->backend);

  if (rows != NULL && rows->len == 0)
    {
      set_consultation_not_found (error, id);
      return NULL;
    }

  return consultations_from_revisions (self, rows, error);
}

/* Signs the stored revision @row in @name's name at @signed_at, inside the caller's
 * transaction. With @reason, it is signed as not treated and @name becomes its
 * practitioner. */
static gboolean
write_signature (StriaeStore          *self,
                 StriaeStoreRevision  *stored,
                 const char           *name,
                 const char           *reason,
                 const GDate          *see_again,
                 GDateTime            *signed_at,
                 GError              **error)
{
  g_autoptr(StriaeConsultation) consultation = NULL;
  StriaeStoreRevision row;
  gboolean found = FALSE;
  gboolean ok;

  if ((consultation = consultation_from_revision (self, stored, error)) == NULL)
    return FALSE;
  striae_consultation_set_status (consultation, STRIAE_CONSULTATION_STATUS_SIGNED);
  striae_consultation_set_not_treated (consultation, reason != NULL, reason, see_again);
  if (reason != NULL)
    striae_consultation_set_practitioner (consultation, name);

  revision_init (&row, consultation, NULL, signed_at);
  row.signed_by = (char *) name;
  row.signed_at = signed_at;
  ok = striae_store_backend_update_revision (self->backend, &row, &found, error);
  g_free (row.document);
  if (ok && !found)
    set_revision_not_found (error, stored->consultation_id, stored->revision);

  return ok && found && store_index_sessions (self->backend, consultation, error);
}

/* Signs the latest revision of consultation @id in @name's name. With @reason, it is signed
 * as not treated, from a draft as well as a complete revision; without, it must be complete.
 * With @stamp, only while the latest revision is still the one it names (checked in the
 * signature's transaction); @signed_at is when it was signed, which is its new stamp. */
static gboolean
sign_latest (StriaeStore  *self,
             gint64        id,
             const char   *stamp,
             const char   *practitioner,
             const char   *reason,
             const GDate  *see_again,
             GDateTime   **signed_at,
             GError      **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(StriaeStoreRevision) stored = NULL;
  g_autofree char *name = NULL;
  g_autofree char *detail = NULL;
  StriaeConsultationStatus status;
  gint64 patient_id;
  guint revision;

  /* A signed-in account signs in its own name, whatever name the caller typed. */
  name = store_dup_signer (self, practitioner);
  if (name[0] == '\0')
    {
      g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
                           _("A consultation is signed in a practitioner’s name; set the "
                             "practitioner’s name in the preferences first."));
      return FALSE;
    }

  striae_store_backend_lock (self->backend);

  if (!striae_store_backend_begin (self->backend, error) ||
      !read_latest (self, id, &patient_id, &revision, &status, error) ||
      (stored = get_row (self, id, revision, error)) == NULL ||
      !check_stamp (self, stored, stamp, error))
    goto fail;

  if (status == STRIAE_CONSULTATION_STATUS_SIGNED)
    {
      set_locked (error, id, revision);
      goto fail;
    }
  if (status != STRIAE_CONSULTATION_STATUS_COMPLETE && reason == NULL)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
                   _("Consultation %" PRId64 " is still a draft. Complete it before "
                     "signing it."), id);
      goto fail;
    }

  if (reason == NULL)
    detail = g_strdup_printf ("revision %u", revision);
  else if (see_again != NULL)
    {
      g_autofree char *iso = striae_format_iso_date (see_again);

      detail = g_strdup_printf ("revision %u not treated, see again %s", revision, iso);
    }
  else
    detail = g_strdup_printf ("revision %u not treated", revision);
  /* The window's sign-off asks the account's password again: the audit says it was given. */
  if (store_take_signature_confirmed (self))
    {
      g_autofree char *given = g_strconcat (detail, ", password given", NULL);

      g_free (detail);
      detail = g_steal_pointer (&given);
    }

  *signed_at = next_update (stored, now);
  if (!write_signature (self, stored, name, reason, see_again, *signed_at, error) ||
      !store_audit_append (self, STRIAE_AUDIT_SIGN, name, patient_id, id, detail, error) ||
      !striae_store_backend_commit (self->backend, error))
    goto fail;

  striae_store_backend_unlock (self->backend);
  store_emit_patients_changed (self, patient_id);
  return TRUE;

fail:
  g_clear_pointer (signed_at, g_date_time_unref);
  striae_store_backend_rollback (self->backend);
  striae_store_backend_unlock (self->backend);
  return FALSE;
}

/**
 * striae_store_sign_consultation:
 * @practitioner: the name of the practitioner who signs
 *
 * Signs the latest revision of consultation @id, which must be complete: records
 * @practitioner and the time (see striae_store_get_signature()) and locks it. This signs
 * whatever is stored; the application signs what it shows with striae_store_sign_as_held().
 */
gboolean
striae_store_sign_consultation (StriaeStore  *self,
                                gint64        id,
                                const char   *practitioner,
                                GError      **error)
{
  g_autoptr(GDateTime) signed_at = NULL;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!striae_store_may (self, STRIAE_RIGHT_SIGN, error))
    return FALSE;

  return sign_latest (self, id, NULL, practitioner, NULL, NULL, &signed_at, error);
}

/* A reason kept with the record (why not treated, why amended): trimmed, not empty, not too
 * long. @missing is the sentence for an empty one. */
static char *
dup_reason (const char  *reason,
            const char  *missing,
            GError     **error)
{
  g_autofree char *why = g_strstrip (g_strdup (reason != NULL ? reason : ""));

  if (why[0] == '\0')
    {
      g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID, missing);
      return NULL;
    }
  if (g_utf8_strlen (why, -1) > STRIAE_CONSULTATION_TEXT_MAX)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
                   _("The reason is too long; keep it under %d characters."),
                   STRIAE_CONSULTATION_TEXT_MAX);
      return NULL;
    }

  return g_steal_pointer (&why);
}

/**
 * striae_store_sign_not_treated:
 * @practitioner: the name of the practitioner who signs
 * @reason: why the patient was not treated (required)
 * @see_again: (nullable): when to see the patient again, or %NULL (or a cleared date) for
 *   none
 *
 * Signs the latest revision of consultation @id, a draft or a complete one, as not treated:
 * a consultation blocked by an absolute contraindication (or any other) reaches its end
 * state this way. It is locked like any signed revision and no sheet is printed for it.
 */
gboolean
striae_store_sign_not_treated (StriaeStore  *self,
                               gint64        id,
                               const char   *practitioner,
                               const char   *reason,
                               const GDate  *see_again,
                               GError      **error)
{
  g_autoptr(GDateTime) signed_at = NULL;
  g_autofree char *why = NULL;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!striae_store_may (self, STRIAE_RIGHT_SIGN, error))
    return FALSE;

  why = dup_reason (reason, _("Say why the patient was not treated; the reason is part of "
                               "the record."), error);
  if (why == NULL)
    return FALSE;

  return sign_latest (self, id, NULL, practitioner, why, striae_date_or_null (see_again),
                      &signed_at, error);
}

/**
 * striae_store_sign_as_held:
 * @consultation: a stored consultation as the practitioner sees it, with the stamp it was
 *   loaded or last saved with (striae_consultation_get_stored_stamp())
 * @practitioner: the name of the practitioner who signs
 * @reason: (nullable): why the patient was not treated, to sign it as not treated (as
 *   striae_store_sign_not_treated()); %NULL signs a complete consultation (as
 *   striae_store_sign_consultation())
 * @see_again: (nullable): with @reason, when to see the patient again
 *
 * Signs the stored revision @consultation was loaded or last saved as, and nothing else: in
 * the signature's own transaction, a revision changed since is refused with
 * %STRIAE_STORE_ERROR_CONFLICT (naming who changed it and when) and one signed since with
 * %STRIAE_STORE_ERROR_LOCKED (naming who signed it), so that a consultation is signed once,
 * and only as its signer saw it. Save the consultation first: edits not saved are not signed.
 * On success @consultation is marked signed (not treated with @reason) with its new stamp.
 */
gboolean
striae_store_sign_as_held (StriaeStore         *self,
                           StriaeConsultation  *consultation,
                           const char          *practitioner,
                           const char          *reason,
                           const GDate         *see_again,
                           GError             **error)
{
  g_autoptr(GDateTime) signed_at = NULL;
  g_autofree char *why = NULL;
  const char *stamp;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (STRIAE_IS_CONSULTATION (consultation), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!striae_store_may (self, STRIAE_RIGHT_SIGN, error))
    return FALSE;

  stamp = striae_consultation_get_stored_stamp (consultation);
  if (striae_consultation_get_id (consultation) == 0 || stamp == NULL)
    {
      g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
                           _("Save the consultation before signing it."));
      return FALSE;
    }
  if (reason != NULL &&
      (why = dup_reason (reason, _("Say why the patient was not treated; the reason is part "
                                   "of the record."), error)) == NULL)
    return FALSE;

  if (!sign_latest (self, striae_consultation_get_id (consultation), stamp, practitioner, why,
                    why != NULL ? striae_date_or_null (see_again) : NULL, &signed_at, error))
    return FALSE;

  striae_consultation_set_status (consultation, STRIAE_CONSULTATION_STATUS_SIGNED);
  if (why != NULL)
    {
      g_autofree char *name = store_dup_signer (self, practitioner);

      striae_consultation_set_not_treated (consultation, TRUE, why,
                                           striae_date_or_null (see_again));
      striae_consultation_set_practitioner (consultation, name);
    }
  set_stamp (consultation, signed_at);

  return TRUE;
}

/**
 * striae_store_get_signature:
 * @signed_by: (out) (optional): who signed, %NULL when not signed
 * @signed_at: (out) (optional): when (UTC), %NULL when not signed
 *
 * Returns: %TRUE when the revision exists (signed or not)
 */
gboolean
striae_store_get_signature (StriaeStore  *self,
                            gint64        id,
                            guint         revision,
                            char        **signed_by,
                            GDateTime   **signed_at,
                            GError      **error)
{
  g_autoptr(StriaeStoreRevision) row = NULL;
  gboolean ok = TRUE;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Revision 0 would be the latest for the backend; here it is none. */
  if (revision != 0)
    {
      striae_store_backend_lock (self->backend);
      ok = striae_store_backend_get_revision (self->backend, id, revision, &row, error);
      striae_store_backend_unlock (self->backend);
    }

  if (!ok)
    return FALSE;
  if (row == NULL)
    {
      set_revision_not_found (error, id, revision);
      return FALSE;
    }

  if (signed_by != NULL)
    *signed_by = g_steal_pointer (&row->signed_by);
  if (signed_at != NULL)
    *signed_at = g_steal_pointer (&row->signed_at);

  return TRUE;
}

/* The audit row of an amendment commits to its reason without holding it: the log outlives
 * an erasure, and a reason is free text about the patient. */
static char *
amend_detail (guint       revision,
              const char *reason)
{
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, reason, -1);

  hash[16] = '\0';
  return g_strdup_printf ("revision %u, reason sha256:%s", revision, hash);
}

/**
 * striae_store_amend_consultation:
 * @practitioner: (nullable): who amends it, for the audit log
 * @reason: why the signed record is corrected (required)
 *
 * Starts a correction of signed consultation @id: stores a new draft revision, a copy of the
 * signed one that holds @reason (striae_consultation_get_amendment_reason()), and returns it.
 * The signed revision stays as it was (striae_store_list_revisions()). The audit row names
 * the new revision and the start of the SHA-256 of the reason.
 *
 * Returns: (transfer full): the new revision
 */
StriaeConsultation *
striae_store_amend_consultation (StriaeStore  *self,
                                 gint64        id,
                                 const char   *practitioner,
                                 const char   *reason,
                                 GError      **error)
{
  g_autofree char *why = NULL;
  g_autoptr(StriaeConsultation) signed_one = NULL;
  g_autoptr(StriaeConsultation) amended = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *detail = NULL;
  StriaeConsultationStatus status;
  gint64 patient_id;
  guint revision;

  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!striae_store_may (self, STRIAE_RIGHT_AMEND, error))
    return NULL;

  why = dup_reason (reason, _("Say why the signed record is amended; the reason is kept with "
                               "the new revision."), error);
  if (why == NULL)
    return NULL;

  striae_store_backend_lock (self->backend);

  if (!striae_store_backend_begin (self->backend, error) ||
      !read_latest (self, id, &patient_id, &revision, &status, error))
    goto fail;

  if (status != STRIAE_CONSULTATION_STATUS_SIGNED)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
                   _("Consultation %" PRId64 " is not signed, so it can be changed as it is; "
                     "there is nothing to amend."), id);
      goto fail;
    }

  if ((signed_one = load_revision (self, id, revision, error)) == NULL)
    goto fail;
  amended = striae_consultation_new_revision (signed_one);
  striae_consultation_set_amendment_reason (amended, why);
  detail = amend_detail (striae_consultation_get_revision (amended),
                         striae_consultation_get_amendment_reason (amended));

  if (!insert_revision (self, amended, now, error) ||
      !store_audit_append (self, STRIAE_AUDIT_AMEND, practitioner, patient_id, id, detail,
                           error) ||
      !striae_store_backend_commit (self->backend, error))
    goto fail;

  striae_store_backend_unlock (self->backend);
  set_stamp (amended, now);
  store_emit_patients_changed (self, patient_id);
  return g_steal_pointer (&amended);

fail:
  striae_store_backend_rollback (self->backend);
  striae_store_backend_unlock (self->backend);
  return NULL;
}

/**
 * striae_store_discard_draft:
 * @practitioner: (nullable): who discards it, for the audit log
 *
 * Throws away the unsigned latest revision of consultation @id (a draft, or one saved as
 * complete but not signed). A first revision takes the consultation with it; an amendment
 * leaves the signed revisions before it as they were. Signed revisions are never discarded.
 * Audited as "discard".
 */
gboolean
striae_store_discard_draft (StriaeStore  *self,
                            gint64        id,
                            const char   *practitioner,
                            GError      **error)
{
  g_autofree char *detail = NULL;
  StriaeConsultationStatus status;
  gint64 patient_id;
  guint revision;
  gboolean deleted;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!striae_store_may (self, STRIAE_RIGHT_DISCARD, error))
    return FALSE;

  striae_store_backend_lock (self->backend);

  if (!striae_store_backend_begin (self->backend, error) ||
      !read_latest (self, id, &patient_id, &revision, &status, error))
    goto fail;

  if (status == STRIAE_CONSULTATION_STATUS_SIGNED)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_LOCKED,
                   _("Consultation %" PRId64 " (revision %u) is signed, so it is kept; "
                     "only an unsigned draft can be discarded."), id, revision);
      goto fail;
    }

  /* A consultation is never left without a revision. */
  if (revision == 1)
    deleted = striae_store_backend_delete_consultation (self->backend, id, error);
  else
    deleted = striae_store_backend_delete_revision (self->backend, id, revision, error);
  if (!deleted)
    goto fail;

  detail = g_strdup_printf ("revision %u", revision);
  if (!store_audit_append (self, STRIAE_AUDIT_DISCARD, practitioner, patient_id, id, detail,
                           error) ||
      !striae_store_backend_commit (self->backend, error))
    goto fail;

  striae_store_backend_unlock (self->backend);
  store_emit_patients_changed (self, patient_id);
  return TRUE;

fail:
  striae_store_backend_rollback (self->backend);
  striae_store_backend_unlock (self->backend);
  return FALSE;
}

/**
 * striae_store_patient_has_draft:
 *
 * Tells whether the patient has a consultation whose latest revision is a draft. Cheap, and
 * it does not wait for a write, so a list can ask for every visible row.
 *
 * Returns: %TRUE when there is a draft; %FALSE when there is none or on error
 */
gboolean
striae_store_patient_has_draft (StriaeStore  *self,
                                gint64        patient_id,
                                GError      **error)
{
  gboolean has_draft = FALSE;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  striae_store_backend_patient_has_draft (self->backend, patient_id, &has_draft, error);
  return has_draft;
}

/**
 * striae_store_set_resume_page:
 * @consultation_id: a stored consultation
 * @page: the name of the wizard page it was left on
 *
 * Remembers where the practitioner left a consultation. This is not part of the record:
 * it is not audited, not exported and not kept per revision.
 */
gboolean
striae_store_set_resume_page (StriaeStore  *self,
                              gint64        consultation_id,
                              const char   *page,
                              GError      **error)
{
  gboolean found = FALSE;
  gboolean ok;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (page != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!striae_store_may (self, STRIAE_RIGHT_CONSULTATIONS, error))
    return FALSE;

  striae_store_backend_lock (self->backend);
  ok = striae_store_backend_set_resume_page (self->backend, consultation_id, page, &found,
                                             error);
  striae_store_backend_unlock (self->backend);

  if (ok && !found)
    set_consultation_not_found (error, consultation_id);

  return ok && found;
}

/**
 * striae_store_dup_resume_page:
 * @consultation_id: a stored consultation
 *
 * Returns: (transfer full) (nullable): the wizard page the consultation was left on, "" when
 *   none was recorded, or %NULL with @error set
 */
char *
striae_store_dup_resume_page (StriaeStore  *self,
                              gint64        consultation_id,
                              GError      **error)
{
  char *page = NULL;

  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!striae_store_backend_get_resume_page (self->backend, consultation_id, &page, error))
    return NULL;
  if (page == NULL)
    set_consultation_not_found (error, consultation_id);

  return page;
}

/* Clinic rules */

/**
 * striae_store_load_rules:
 *
 * Returns: (transfer full): the clinic's rule settings, or the defaults when it never
 *   changed them
 */
StriaeRules *
striae_store_load_rules (StriaeStore  *self,
                         GError      **error)
{
  g_autofree char *json = NULL;
  g_autoptr(GError) local_error = NULL;
  StriaeRules *rules;
  gboolean ok;

  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  striae_store_backend_lock (self->backend);
  ok = striae_store_backend_get_rules (self->backend, &json, error);
  striae_store_backend_unlock (self->backend);

  if (!ok)
    return NULL;
  if (json == NULL)
    return striae_rules_new ();

  rules = striae_rules_new_from_json (json, &local_error);
  if (rules == NULL)
    g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_A_DATABASE,
                 _("The clinic’s rule settings in %s are damaged: %s"), self->name,
                 local_error->message);

  return rules;
}

/* One audit row per value that changes, old → new, each with the hash of the new rules
 * that consultations screened from now on record. */
static gboolean
audit_rule_changes (StriaeStore  *self,
                    StriaeRules  *before,
                    StriaeRules  *after,
                    const char   *practitioner,
                    GError      **error)
{
  g_auto(GStrv) keys = striae_rules_dup_differences (after, before);
  g_autofree char *hash = striae_rules_dup_hash (after);

  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autofree char *old = striae_rules_dup_value_text (before, keys[i]);
      g_autofree char *new = striae_rules_dup_value_text (after, keys[i]);
      g_autofree char *detail = g_strdup_printf ("rules %s: %s %s → %s", hash, keys[i], old,
                                                 new);

      if (!store_audit_append (self, STRIAE_AUDIT_UPDATE, practitioner, 0, 0, detail, error))
        return FALSE;
    }

  return TRUE;
}

/**
 * striae_store_save_rules:
 * @practitioner: (nullable): who changes them, for the audit log
 *
 * Stores the clinic's rule settings; consultations screened from now on record their hash.
 * Each value that changes gets its own audit row ("rules HASH: level.pregnancy absolute →
 * relative"); saving the rules already stored changes nothing and audits nothing.
 */
gboolean
striae_store_save_rules (StriaeStore  *self,
                         StriaeRules  *rules,
                         const char   *practitioner,
                         GError      **error)
{
  g_autofree char *old_json = NULL;
  g_autoptr(StriaeRules) before = NULL;
  g_autofree char *new_json = NULL;
  g_auto(GStrv) changes = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (STRIAE_IS_RULES (rules), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!striae_store_may (self, STRIAE_RIGHT_CLINIC, error))
    return FALSE;

  striae_store_backend_lock (self->backend);
  if (!striae_store_backend_begin (self->backend, error))
    goto out;
  if (!striae_store_backend_get_rules (self->backend, &old_json, error))
    goto out;

  /* Damaged stored settings are replaced; their values are audited as the defaults. */
  if (old_json != NULL)
    before = striae_rules_new_from_json (old_json, NULL);
  if (before == NULL)
    before = striae_rules_new ();

  changes = striae_rules_dup_differences (rules, before);
  if (changes[0] == NULL && old_json != NULL)
    {
      ok = striae_store_backend_commit (self->backend, error);
      goto out;
    }

  new_json = striae_rules_to_json (rules);
  ok = striae_store_backend_set_rules (self->backend, new_json, error) &&
       audit_rule_changes (self, before, rules, practitioner, error) &&
       striae_store_backend_commit (self->backend, error);

out:
  if (!ok)
    striae_store_backend_rollback (self->backend);
  striae_store_backend_unlock (self->backend);

  return ok;
}
