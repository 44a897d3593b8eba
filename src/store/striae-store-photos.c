/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "striae-core-error.h"
#include "striae-photo-image.h"
#include "striae-session-area.h"
#include "striae-store-private.h"

/* Photos (issue 18): the records layer's rules. A photo belongs to an area of a
 * consultation, taken at the consultation or before or after treating at one of its
 * sessions; it is added only with the patient's photo consent, cleaned of every piece of
 * metadata before it is stored (striae_photo_image_clean()), and audited when it is added,
 * opened or deleted. The consent is the patient's, recorded with its scope, when and by
 * whom; withdrawing it keeps the photos already taken and refuses new ones. */

static void
set_photo_not_found (GError **error,
                     gint64   id)
{
  g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND,
               _("There is no photo number %" PRId64 "; it may have been deleted."), id);
}

/* The audit detail of a photo: never a word typed, only what the records decide. */
static char *
describe_photo (StriaePhoto *photo)
{
  g_autofree char *sha = g_strndup (striae_photo_get_sha256 (photo), 16);

  return g_strdup_printf ("photo %" PRId64 ", %s %s, %s, session record %" PRId64
                          ", sha256:%s", striae_photo_get_id (photo),
                          striae_store_photo_site_to_string (striae_photo_get_site (photo)),
                          striae_store_photo_side_to_string (striae_photo_get_side (photo)),
                          striae_photo_moment_to_string (striae_photo_get_moment (photo)),
                          striae_photo_get_treatment_session_id (photo), sha);
}

/* Consent */

static gboolean
read_consent (StriaeStore              *self,
              gint64                    patient_id,
              StriaePhotoConsentScope  *scope,
              GDateTime               **recorded,
              char                    **recorded_by,
              GError                  **error)
{
  g_autofree char *text = NULL;
  g_autoptr(GDateTime) when = NULL;
  g_autofree char *by = NULL;

  if (!striae_store_backend_get_photo_consent (self->backend, patient_id, &text, &when, &by,
                                               error))
    return FALSE;
  *scope = STRIAE_PHOTO_CONSENT_NONE;
  if (text != NULL && !striae_photo_consent_scope_from_string (text, scope))
    *scope = STRIAE_PHOTO_CONSENT_NONE;
  if (recorded != NULL)
    *recorded = g_steal_pointer (&when);
  if (recorded_by != NULL)
    *recorded_by = g_steal_pointer (&by);
  return TRUE;
}

static gboolean
check_patient (StriaeStore  *self,
               gint64        patient_id,
               GError      **error)
{
  gboolean found = FALSE;
  gboolean archived = FALSE;

  if (!striae_store_backend_get_patient_archived (self->backend, patient_id, &found,
                                                  &archived, error))
    return FALSE;
  if (!found)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND,
                   _("There is no patient number %" PRId64 "; they may have been erased."),
                   patient_id);
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_consent (StriaeStore              *self,
               gint64                    patient_id,
               StriaePhotoConsentScope   scope,
               GError                  **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *user = striae_store_dup_user (self);
  g_autofree char *by = store_dup_signer (self, user);
  g_autofree char *detail = NULL;
  StriaePhotoConsentScope was = STRIAE_PHOTO_CONSENT_NONE;

  if (!read_consent (self, patient_id, &was, NULL, NULL, error))
    return FALSE;
  detail = g_strdup_printf ("photo consent %s (was %s)",
                            striae_photo_consent_scope_to_string (scope),
                            striae_photo_consent_scope_to_string (was));
  return striae_store_backend_set_photo_consent (self->backend, patient_id,
                                                 striae_photo_consent_scope_to_string (scope),
                                                 now, by, error) &&
         store_audit_append (self, STRIAE_AUDIT_PHOTO_CONSENT, NULL, patient_id, 0, detail,
                             error);
}

/**
 * striae_store_set_photo_consent:
 * @scope: what the patient allows; %STRIAE_PHOTO_CONSENT_NONE withdraws it
 *
 * Records the patient's photo consent, when and by whom (STRIAE_RIGHT_PATIENTS), in the
 * audit log too. Photos already taken stay when it is withdrawn.
 */
gboolean
striae_store_set_photo_consent (StriaeStore              *self,
                                gint64                    patient_id,
                                StriaePhotoConsentScope   scope,
                                GError                  **error)
{
  gboolean ok;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (scope <= STRIAE_PHOTO_CONSENT_TEACHING, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* The backend takes its lock itself to look the patient up; its foreign key refuses a
   * patient erased meanwhile. */
  if (!striae_store_may (self, STRIAE_RIGHT_PATIENTS, error) ||
      !check_patient (self, patient_id, error))
    return FALSE;

  striae_store_backend_lock (self->backend);
  ok = striae_store_backend_begin (self->backend, error) &&
       write_consent (self, patient_id, scope, error) &&
       striae_store_backend_commit (self->backend, error);
  if (!ok)
    striae_store_backend_rollback (self->backend);
  striae_store_backend_unlock (self->backend);

  if (ok)
    store_emit_patients_changed (self, patient_id);
  return ok;
}

/**
 * striae_store_get_photo_consent:
 * @recorded: (out) (optional) (nullable) (transfer full): when it was recorded, %NULL when
 *   it never was
 *
 * Returns: the patient's photo consent; %STRIAE_PHOTO_CONSENT_NONE when none was recorded,
 *   or with @error set
 */
StriaePhotoConsentScope
striae_store_get_photo_consent (StriaeStore  *self,
                                gint64        patient_id,
                                GDateTime   **recorded,
                                GError      **error)
{
  StriaePhotoConsentScope scope = STRIAE_PHOTO_CONSENT_NONE;
  gboolean ok;

  g_return_val_if_fail (STRIAE_IS_STORE (self), STRIAE_PHOTO_CONSENT_NONE);

  if (recorded != NULL)
    *recorded = NULL;
  if (!striae_store_may (self, STRIAE_RIGHT_READ, error))
    return STRIAE_PHOTO_CONSENT_NONE;

  striae_store_backend_lock (self->backend);
  ok = read_consent (self, patient_id, &scope, recorded, NULL, error);
  striae_store_backend_unlock (self->backend);
  return ok ? scope : STRIAE_PHOTO_CONSENT_NONE;
}

/**
 * striae_store_dup_photo_consent_recorder:
 *
 * Returns: (transfer full): who recorded the patient's photo consent, "" when no one did,
 *   or %NULL with @error set
 */
char *
striae_store_dup_photo_consent_recorder (StriaeStore  *self,
                                         gint64        patient_id,
                                         GError      **error)
{
  StriaePhotoConsentScope scope;
  char *by = NULL;
  gboolean ok;

  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);

  if (!striae_store_may (self, STRIAE_RIGHT_READ, error))
    return NULL;

  striae_store_backend_lock (self->backend);
  ok = read_consent (self, patient_id, &scope, NULL, &by, error);
  striae_store_backend_unlock (self->backend);
  if (!ok)
    return NULL;
  return by != NULL ? by : g_strdup ("");
}

/* Adding */

typedef struct
{
  gint64             consultation_id;
  gint64             session_id;
  StriaeBodySite     site;
  StriaeSide         side;
  StriaePhotoMoment  moment;
} PhotoPlace;

static gboolean
check_place (const PhotoPlace  *place,
             GError           **error)
{
  if (place->site > STRIAE_BODY_SITE_OTHER || place->side > STRIAE_SIDE_NOT_APPLICABLE ||
      place->moment > STRIAE_PHOTO_MOMENT_AFTER)
    {
      g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
                           _("Say which area the photo shows and when it was taken."));
      return FALSE;
    }
  if (!striae_side_fits_site (place->side, place->site))
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
                   _("The side “%s” does not fit the area “%s”; choose another side."),
                   striae_side_get_label (place->side),
                   striae_body_site_get_label (place->site));
      return FALSE;
    }
  if (place->session_id == 0 && place->moment != STRIAE_PHOTO_MOMENT_CONSULTATION)
    {
      g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
                           _("A photo before or after treating belongs to a session; "
                             "choose the session it was taken at."));
      return FALSE;
    }
  if (place->session_id != 0 && place->moment == STRIAE_PHOTO_MOMENT_CONSULTATION)
    {
      g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
                           _("A photo taken at a session is either before or after "
                             "treating; say which."));
      return FALSE;
    }
  return TRUE;
}

/* The photo's record from where it belongs: its patient and day are its consultation's or
 * its session's (today while they have none). */
static StriaePhoto *
make_record (StriaeStore       *self,
             const PhotoPlace  *place,
             GError           **error)
{
  g_autoptr(StriaeConsultation) consultation = NULL;
  g_autoptr(StriaeTreatmentSession) session = NULL;
  g_autoptr(StriaePhoto) photo = striae_photo_new ();
  const GDate *date;
  GDate today;

  consultation = striae_store_get_consultation (self, place->consultation_id, error);
  if (consultation == NULL)
    return NULL;
  date = striae_consultation_get_date (consultation);
  if (place->session_id != 0)
    {
      session = striae_store_get_treatment_session (self, place->session_id, error);
      if (session == NULL)
        return NULL;
      if (striae_treatment_session_get_consultation_id (session) != place->consultation_id)
        {
          g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
                       _("Session record %" PRId64 " belongs to another consultation; "
                         "choose one of this consultation’s sessions."), place->session_id);
          return NULL;
        }
      date = striae_treatment_session_get_date (session);
    }
  if (date == NULL || !g_date_valid (date))
    {
      g_date_set_time_t (&today, time (NULL));
      date = &today;
    }

  striae_photo_set_patient_id (photo, striae_consultation_get_patient_id (consultation));
  striae_photo_set_consultation_id (photo, place->consultation_id);
  striae_photo_set_treatment_session_id (photo, place->session_id);
  striae_photo_set_session_number (photo,
                                   session ? striae_treatment_session_get_number (session) : 0);
  striae_photo_set_site (photo, place->site);
  striae_photo_set_side (photo, place->side);
  striae_photo_set_moment (photo, place->moment);
  striae_photo_set_date (photo, date);
  return g_steal_pointer (&photo);
}

static gboolean
insert_photo (StriaeStore  *self,
              StriaePhoto  *photo,
              GBytes       *image,
              GBytes       *thumbnail,
              GError      **error)
{
  StriaePhotoConsentScope scope = STRIAE_PHOTO_CONSENT_NONE;
  gint64 patient_id = striae_photo_get_patient_id (photo);
  g_autofree char *detail = NULL;

  if (!read_consent (self, patient_id, &scope, NULL, NULL, error))
    return FALSE;
  if (scope == STRIAE_PHOTO_CONSENT_NONE)
    {
      g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_ALLOWED,
                           _("The patient has not given consent to photos; record their "
                             "photo consent before adding a photo."));
      return FALSE;
    }
  if (!striae_store_backend_insert_photo (self->backend, photo, image, thumbnail, error))
    return FALSE;
  detail = describe_photo (photo);
  return store_audit_append (self, STRIAE_AUDIT_PHOTO_ADD, NULL, patient_id,
                             striae_photo_get_consultation_id (photo), detail, error);
}

/* Core errors (the image itself) become the records' INVALID, with the same sentence. */
static void
propagate_image_error (GError **error,
                       GError  *local_error)
{
  if (local_error->domain == STRIAE_CORE_ERROR)
    {
      g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
                           local_error->message);
      g_error_free (local_error);
    }
  else
    g_propagate_error (error, local_error);
}

/* Adds the photo without telling anyone: the caller emits "patients-changed" in its own
 * thread. */
static StriaePhoto *
add_photo_quietly (StriaeStore       *self,
                   const PhotoPlace  *place,
                   GBytes            *bytes,
                   GError           **error)
{
  g_autoptr(StriaePhoto) photo = NULL;
  g_autoptr(GBytes) image = NULL;
  g_autoptr(GBytes) thumbnail = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *user = NULL;
  g_autofree char *by = NULL;
  g_autofree char *sha256 = NULL;
  GError *local_error = NULL;
  guint width = 0;
  guint height = 0;
  gboolean ok;

  if (!striae_store_may (self, STRIAE_RIGHT_CONSULTATIONS, error) ||
      !check_place (place, error) ||
      (photo = make_record (self, place, error)) == NULL)
    return NULL;

  /* The slow part, decoding and encoding, runs before the write lock is taken. */
  image = striae_photo_image_clean (bytes, &width, &height, &thumbnail, &local_error);
  if (image == NULL)
    {
      propagate_image_error (error, local_error);
      return NULL;
    }
  sha256 = striae_photo_image_sha256 (image);
  user = striae_store_dup_user (self);
  by = store_dup_signer (self, user);
  striae_photo_set_size (photo, width, height);
  striae_photo_set_sha256 (photo, sha256);
  striae_photo_set_added (photo, now);
  striae_photo_set_added_by (photo, by);

  striae_store_backend_lock (self->backend);
  ok = striae_store_backend_begin (self->backend, error) &&
       insert_photo (self, photo, image, thumbnail, error) &&
       striae_store_backend_commit (self->backend, error);
  if (!ok)
    striae_store_backend_rollback (self->backend);
  striae_store_backend_unlock (self->backend);
  if (!ok)
    return NULL;
  return g_steal_pointer (&photo);
}

/**
 * striae_store_add_photo:
 * @treatment_session_id: the session record the photo was taken at, 0 for the consultation
 * @bytes: the file as it came (JPEG, PNG or HEIF)
 *
 * Returns: (transfer full): the photo's record, or %NULL with @error set
 */
StriaePhoto *
striae_store_add_photo (StriaeStore        *self,
                        gint64              consultation_id,
                        gint64              treatment_session_id,
                        StriaeBodySite      site,
                        StriaeSide          side,
                        StriaePhotoMoment   moment,
                        GBytes             *bytes,
                        GError            **error)
{
  PhotoPlace place = { consultation_id, treatment_session_id, site, side, moment };
  StriaePhoto *photo;

  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);
  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  photo = add_photo_quietly (self, &place, bytes, error);
  if (photo != NULL)
    store_emit_patients_changed (self, striae_photo_get_patient_id (photo));
  return photo;
}

typedef struct
{
  PhotoPlace  place;
  GBytes     *bytes;
} AddData;

static void
add_data_free (AddData *data)
{
  g_bytes_unref (data->bytes);
  g_free (data);
}

static void
add_photo_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  AddData *data = task_data;
  GError *error = NULL;
  StriaePhoto *photo;

  if (g_cancellable_set_error_if_cancelled (cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  photo = add_photo_quietly (source_object, &data->place, data->bytes, &error);
  if (photo == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, photo, g_object_unref);
}

/**
 * striae_store_add_photo_async:
 *
 * striae_store_add_photo() in a worker thread (issue 18): the window stays drawn and
 * answers while a large photo is decoded, cleaned and stored.
 */
void
striae_store_add_photo_async (StriaeStore         *self,
                              gint64               consultation_id,
                              gint64               treatment_session_id,
                              StriaeBodySite       site,
                              StriaeSide           side,
                              StriaePhotoMoment    moment,
                              GBytes              *bytes,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  AddData *data;

  g_return_if_fail (STRIAE_IS_STORE (self));
  g_return_if_fail (bytes != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  data = g_new0 (AddData, 1);
  data->place = (PhotoPlace) { consultation_id, treatment_session_id, site, side, moment };
  data->bytes = g_bytes_ref (bytes);
  g_task_set_source_tag (task, striae_store_add_photo_async);
  g_task_set_task_data (task, data, (GDestroyNotify) add_data_free);
  /* A photo stored is reported as stored, even when the caller cancelled meanwhile. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_run_in_thread (task, add_photo_thread);
}

/**
 * striae_store_add_photo_finish:
 *
 * Returns: (transfer full): the photo's record, or %NULL with @error set (G_IO_ERROR_CANCELLED
 *   when cancelled before the worker began)
 */
StriaePhoto *
striae_store_add_photo_finish (StriaeStore   *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  StriaePhoto *photo;

  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  photo = g_task_propagate_pointer (G_TASK (result), error);
  if (photo != NULL)
    store_emit_patients_changed (self, striae_photo_get_patient_id (photo));
  return photo;
}

/* Listing */

/* The area of @consultation at @site and @side: the same side first, else the site's. */
static StriaeArea *
find_area (StriaeConsultation *consultation,
           StriaeBodySite      site,
           StriaeSide          side)
{
  GListModel *areas = striae_consultation_get_areas (consultation);
  StriaeArea *fallback = NULL;
  guint n = g_list_model_get_n_items (areas);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(StriaeArea) area = g_list_model_get_item (areas, i);

      if (striae_area_get_site (area) != site)
        continue;
      if (striae_area_get_side (area) == side)
        return area;
      if (fallback == NULL)
        fallback = area;
    }
  return fallback;
}

/* The depth used on the photo's area at its session, as the session record says; else the
 * depth the consultation's plan gives the area. */
static double
find_depth (StriaePhoto            *photo,
            StriaeConsultation     *consultation,
            StriaeTreatmentSession *session)
{
  StriaeArea *area;
  GListModel *treated;
  guint n;

  if (consultation == NULL)
    return 0;
  area = find_area (consultation, striae_photo_get_site (photo), striae_photo_get_side (photo));
  if (area == NULL)
    return 0;
  if (session == NULL)
    return striae_area_get_depth (area);

  treated = striae_treatment_session_get_areas (session);
  n = g_list_model_get_n_items (treated);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(StriaeSessionArea) used = g_list_model_get_item (treated, i);

      if (g_strcmp0 (striae_session_area_get_area_id (used), striae_area_get_id (area)) == 0)
        return striae_session_area_get_depth (used);
    }
  return striae_area_get_depth (area);
}

static GHashTable *
index_by_id (GPtrArray *objects,
             gint64   (*get_id) (gpointer))
{
  GHashTable *index = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  for (guint i = 0; objects != NULL && i < objects->len; i++)
    {
      gpointer object = g_ptr_array_index (objects, i);
      gint64 *key = g_new (gint64, 1);

      *key = get_id (object);
      g_hash_table_insert (index, key, object);
    }
  return index;
}

static gint64
consultation_id_of (gpointer object)
{
  return striae_consultation_get_id (object);
}

static gint64
session_id_of (gpointer object)
{
  return striae_treatment_session_get_id (object);
}

static int
compare_photos (gconstpointer a,
                gconstpointer b)
{
  StriaePhoto *x = *(StriaePhoto **) a;
  StriaePhoto *y = *(StriaePhoto **) b;
  int c = g_date_compare (striae_photo_get_date (x), striae_photo_get_date (y));

  if (c == 0)
    c = (int) striae_photo_get_session_number (x) - (int) striae_photo_get_session_number (y);
  if (c == 0)
    c = (int) striae_photo_get_moment (x) - (int) striae_photo_get_moment (y);
  if (c == 0)
    c = striae_photo_get_id (x) < striae_photo_get_id (y) ? -1 :
        striae_photo_get_id (x) > striae_photo_get_id (y);
  return c;
}

/* Session numbers and depths come from the records they belong to, as they stand now (a
 * session record amended later shows its new depth). */
static gboolean
complete_photos (StriaeStore  *self,
                 gint64        patient_id,
                 GPtrArray    *photos,
                 GError      **error)
{
  g_autoptr(GPtrArray) consultations = NULL;
  g_autoptr(GPtrArray) sessions = NULL;
  g_autoptr(GHashTable) by_consultation = NULL;
  g_autoptr(GHashTable) by_session = NULL;

  consultations = striae_store_list_consultations (self, patient_id, error);
  if (consultations == NULL)
    return FALSE;
  sessions = striae_store_list_patient_treatment_sessions (self, patient_id, error);
  if (sessions == NULL)
    return FALSE;
  by_consultation = index_by_id (consultations, consultation_id_of);
  by_session = index_by_id (sessions, session_id_of);

  for (guint i = 0; i < photos->len; i++)
    {
      StriaePhoto *photo = g_ptr_array_index (photos, i);
      gint64 cid = striae_photo_get_consultation_id (photo);
      gint64 sid = striae_photo_get_treatment_session_id (photo);
      StriaeConsultation *consultation = g_hash_table_lookup (by_consultation, &cid);
      StriaeTreatmentSession *session = sid ? g_hash_table_lookup (by_session, &sid) : NULL;

      if (session != NULL)
        striae_photo_set_session_number (photo, striae_treatment_session_get_number (session));
      striae_photo_set_depth_mm (photo, find_depth (photo, consultation, session));
    }
  g_ptr_array_sort (photos, compare_photos);
  return TRUE;
}

/**
 * striae_store_list_patient_photos:
 *
 * Returns: (transfer full) (element-type StriaePhoto): the patient's photos, oldest first,
 *   without their pixels, or %NULL with @error set
 */
GPtrArray *
striae_store_list_patient_photos (StriaeStore  *self,
                                  gint64        patient_id,
                                  GError      **error)
{
  g_autoptr(GPtrArray) photos = NULL;

  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!striae_store_may (self, STRIAE_RIGHT_READ, error))
    return NULL;

  striae_store_backend_lock (self->backend);
  photos = striae_store_backend_list_photos (self->backend, patient_id, error);
  striae_store_backend_unlock (self->backend);
  if (photos == NULL)
    return NULL;
  if (photos->len > 0 && !complete_photos (self, patient_id, photos, error))
    return NULL;
  return g_steal_pointer (&photos);
}

/**
 * striae_store_get_photo:
 *
 * Returns: (transfer full): the record of photo @photo_id (its session number, not its
 *   depth), or %NULL with @error set
 */
StriaePhoto *
striae_store_get_photo (StriaeStore  *self,
                        gint64        photo_id,
                        GError      **error)
{
  StriaePhoto *photo = NULL;
  gboolean ok;

  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);

  if (!striae_store_may (self, STRIAE_RIGHT_READ, error))
    return NULL;

  striae_store_backend_lock (self->backend);
  ok = striae_store_backend_get_photo (self->backend, photo_id, &photo, error);
  striae_store_backend_unlock (self->backend);
  if (ok && photo == NULL)
    set_photo_not_found (error, photo_id);
  return photo;
}

static GBytes *
read_data (StriaeStore  *self,
           gint64        photo_id,
           gboolean      thumbnail,
           GError      **error)
{
  GBytes *data = NULL;
  gboolean ok;

  striae_store_backend_lock (self->backend);
  ok = striae_store_backend_get_photo_data (self->backend, photo_id, thumbnail, &data, error);
  striae_store_backend_unlock (self->backend);
  if (ok && data == NULL)
    set_photo_not_found (error, photo_id);
  return data;
}

/**
 * striae_store_get_photo_thumbnail:
 *
 * Returns: (transfer full): the photo's thumbnail (JPEG, at most
 *   %STRIAE_PHOTO_THUMBNAIL_SIZE pixels a side), or %NULL with @error set
 */
GBytes *
striae_store_get_photo_thumbnail (StriaeStore  *self,
                                  gint64        photo_id,
                                  GError      **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);

  if (!striae_store_may (self, STRIAE_RIGHT_READ, error))
    return NULL;
  return read_data (self, photo_id, TRUE, error);
}

/**
 * striae_store_get_photo_image:
 *
 * Opens a photo: its full image, once an audit row says who opened it. An image whose
 * opening could not be audited is not given.
 *
 * Returns: (transfer full): the cleaned image (JPEG or PNG), or %NULL with @error set
 */
GBytes *
striae_store_get_photo_image (StriaeStore  *self,
                              gint64        photo_id,
                              GError      **error)
{
  g_autoptr(StriaePhoto) photo = NULL;
  g_autoptr(GBytes) image = NULL;
  g_autofree char *detail = NULL;

  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  photo = striae_store_get_photo (self, photo_id, error);
  if (photo == NULL)
    return NULL;
  image = read_data (self, photo_id, FALSE, error);
  if (image == NULL)
    return NULL;
  detail = describe_photo (photo);
  if (!store_log_event (self, STRIAE_AUDIT_PHOTO_VIEW, striae_photo_get_patient_id (photo),
                        striae_photo_get_consultation_id (photo), detail, error))
    return NULL;
  return g_steal_pointer (&image);
}

static gboolean
remove_photo (StriaeStore  *self,
              gint64        photo_id,
              const char   *reason,
              gint64       *patient_id,
              GError      **error)
{
  g_autoptr(StriaePhoto) photo = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *what = NULL;
  g_autofree char *hash = NULL;
  gboolean found = FALSE;

  if (!striae_store_backend_get_photo (self->backend, photo_id, &photo, error))
    return FALSE;
  if (photo == NULL)
    {
      set_photo_not_found (error, photo_id);
      return FALSE;
    }
  if (!striae_store_backend_delete_photo (self->backend, photo_id, &found, error))
    return FALSE;
  hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, reason, -1);
  hash[16] = '\0';
  what = describe_photo (photo);
  detail = g_strdup_printf ("%s, reason sha256:%s", what, hash);
  *patient_id = striae_photo_get_patient_id (photo);
  return store_audit_append (self, STRIAE_AUDIT_PHOTO_DELETE, NULL,
                             striae_photo_get_patient_id (photo),
                             striae_photo_get_consultation_id (photo), detail, error);
}

/**
 * striae_store_delete_photo:
 * @reason: why (a photo of the wrong patient, a blurred one); required
 *
 * Deletes a photo and its image (STRIAE_RIGHT_CONSULTATIONS); audited.
 */
gboolean
striae_store_delete_photo (StriaeStore  *self,
                           gint64        photo_id,
                           const char   *reason,
                           GError      **error)
{
  g_autofree char *text = g_strstrip (g_strdup (reason ? reason : ""));
  gint64 patient_id = 0;
  gboolean ok;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!striae_store_may (self, STRIAE_RIGHT_CONSULTATIONS, error))
    return FALSE;
  if (text[0] == '\0')
    {
      g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
                           _("Say why the photo is deleted."));
      return FALSE;
    }

  striae_store_backend_lock (self->backend);
  ok = striae_store_backend_begin (self->backend, error) &&
       remove_photo (self, photo_id, text, &patient_id, error) &&
       striae_store_backend_commit (self->backend, error);
  if (!ok)
    striae_store_backend_rollback (self->backend);
  striae_store_backend_unlock (self->backend);

  if (ok)
    store_emit_patients_changed (self, patient_id);
  return ok;
}
