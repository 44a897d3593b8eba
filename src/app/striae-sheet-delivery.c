/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "striae-clinic-cache.h"
#include "striae-print-job.h"
#include "striae-sheet-composer.h"
#include "striae-sheet-delivery.h"
#include "striae-sheet-error.h"

struct _StriaeSheetDelivery
{
  GObject      parent_instance;

  StriaeStore *store;
  GSettings   *settings;
  char        *override_dir;

  /* A batch's reads, made by its first sheet (striae_sheet_delivery_set_batch()). */
  gboolean              batch;
  StriaeRules          *rules;
  StriaeClinicSettings *clinic;
  char                 *clinic_override_dir;
  StriaeSheetTemplates *templates;
  /* Ahead of a sign-in nothing may be written (striae_sheet_delivery_set_read_ahead()). */
  gboolean              read_ahead;
  /* The full images of one patient's photos read for a sheet, by photo id, so that composing
   * again (the preview's language or sheet) neither opens them again nor writes another
   * "photo-view" row: one row per delivery and photo. */
  GHashTable           *photo_images;
  gint64                photo_patient_id;
};

G_DEFINE_FINAL_TYPE (StriaeSheetDelivery, striae_sheet_delivery, G_TYPE_OBJECT)

static void
striae_sheet_delivery_dispose (GObject *object)
{
  StriaeSheetDelivery *self = STRIAE_SHEET_DELIVERY (object);

  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_object (&self->rules);
  g_clear_object (&self->templates);

  G_OBJECT_CLASS (striae_sheet_delivery_parent_class)->dispose (object);
}

static void
striae_sheet_delivery_finalize (GObject *object)
{
  StriaeSheetDelivery *self = STRIAE_SHEET_DELIVERY (object);

  g_clear_pointer (&self->override_dir, g_free);
  g_clear_pointer (&self->clinic, striae_clinic_settings_free);
  g_clear_pointer (&self->clinic_override_dir, g_free);
  g_clear_pointer (&self->photo_images, g_hash_table_unref);

  G_OBJECT_CLASS (striae_sheet_delivery_parent_class)->finalize (object);
}

static void
striae_sheet_delivery_class_init (StriaeSheetDeliveryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = striae_sheet_delivery_dispose;
  object_class->finalize = striae_sheet_delivery_finalize;
}

static void
striae_sheet_delivery_init (StriaeSheetDelivery *self)
{
  self->photo_images = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                              (GDestroyNotify) g_bytes_unref);
}

/**
 * striae_sheet_delivery_new:
 * @store: (nullable): the patient database: its rules, and the audit log every export and
 *   print is written to; %NULL uses the built-in rules and records nothing (tests)
 * @settings: the application's settings, for the clinic
 *
 * Returns: (transfer full): a new delivery
 */
StriaeSheetDelivery *
striae_sheet_delivery_new (StriaeStore *store,
                           GSettings   *settings)
{
  StriaeSheetDelivery *self;

  g_return_val_if_fail (store == NULL || STRIAE_IS_STORE (store), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (STRIAE_TYPE_SHEET_DELIVERY, NULL);
  self->store = store != NULL ? g_object_ref (store) : NULL;
  self->settings = g_object_ref (settings);
  return self;
}

/**
 * striae_sheet_delivery_set_override_dir:
 * @override_dir: (nullable): where the clinic's own templates are, %NULL for the default
 */
void
striae_sheet_delivery_set_override_dir (StriaeSheetDelivery *self,
                                        const char          *override_dir)
{
  g_return_if_fail (STRIAE_IS_SHEET_DELIVERY (self));

  g_free (self->override_dir);
  self->override_dir = g_strdup (override_dir);
  g_clear_pointer (&self->clinic, striae_clinic_settings_free);
}

/**
 * striae_sheet_delivery_set_batch:
 * @batch: whether the sheets composed from now on are one stack
 *
 * For a stack composed in one go (the day's batch): the clinic's rules, its settings and
 * the templates are read by the first sheet composed and used for every sheet after it,
 * rather than read afresh for each. Turning it off reads them afresh again.
 */
void
striae_sheet_delivery_set_batch (StriaeSheetDelivery *self,
                                 gboolean             batch)
{
  g_return_if_fail (STRIAE_IS_SHEET_DELIVERY (self));

  self->batch = batch;
  g_clear_object (&self->rules);
  g_clear_object (&self->templates);
  g_clear_pointer (&self->clinic, striae_clinic_settings_free);
  g_clear_pointer (&self->clinic_override_dir, g_free);
  if (batch)
    self->templates = striae_sheet_templates_new ();
}

/**
 * striae_sheet_delivery_set_read_ahead:
 * @read_ahead: whether the sheets are composed before the account signed in
 *
 * A stack composed while the password is still being checked may write nothing at all, not
 * even this PC's copy of the clinic's logo (striae_clinic_cache_peek_settings()): composing
 * then fails when the clinic's settings cannot be had without writing, and the stack is
 * composed once signed in.
 */
void
striae_sheet_delivery_set_read_ahead (StriaeSheetDelivery *self,
                                      gboolean             read_ahead)
{
  g_return_if_fail (STRIAE_IS_SHEET_DELIVERY (self));

  self->read_ahead = read_ahead;
  g_clear_pointer (&self->clinic, striae_clinic_settings_free);
}

/* The clinic's settings, as the records or this PC hold them; nothing written ahead. */
static StriaeClinicSettings *
dup_clinic (StriaeSheetDelivery  *self,
            GError              **error)
{
  if (self->read_ahead)
    return striae_clinic_cache_peek_settings (self->store, self->settings, error);
  return striae_clinic_cache_dup_settings (self->store, self->settings,
                                           &self->clinic_override_dir, error);
}

/* The clinic's rules and settings for the next sheet, and the folder of its own templates:
 * read now, or, in a batch, by its first sheet. The caller owns nothing it gets. */
static gboolean
read_clinic (StriaeSheetDelivery          *self,
             StriaeRules                 **rules,
             const StriaeClinicSettings  **clinic,
             const char                  **override_dir,
             GError                      **error)
{
  if (self->rules == NULL)
    self->rules = self->store != NULL ? striae_store_load_rules (self->store, error)
                                      : striae_rules_new ();
  if (self->rules == NULL)
    return FALSE;
  if (self->clinic == NULL)
    {
      g_free (self->clinic_override_dir);
      self->clinic_override_dir = g_strdup (self->override_dir);
      self->clinic = dup_clinic (self, error);
      if (self->clinic == NULL)
        return FALSE;
    }
  *rules = self->rules;
  *clinic = self->clinic;
  *override_dir = self->clinic_override_dir;
  return TRUE;
}

/**
 * striae_sheet_delivery_read_batch:
 *
 * For a batch (striae_sheet_delivery_set_batch()): reads the clinic's rules and settings
 * now rather than with the first sheet, for striae_sheet_delivery_new_sibling().
 *
 * Returns: %FALSE with @error set when they cannot be read
 */
gboolean
striae_sheet_delivery_read_batch (StriaeSheetDelivery  *self,
                                  GError              **error)
{
  StriaeRules *rules = NULL;
  const StriaeClinicSettings *clinic = NULL;
  const char *override_dir = NULL;

  g_return_val_if_fail (STRIAE_IS_SHEET_DELIVERY (self), FALSE);
  g_return_val_if_fail (self->batch, FALSE);

  return read_clinic (self, &rules, &clinic, &override_dir, error);
}

static StriaeClinicSettings *
copy_clinic (const StriaeClinicSettings *clinic)
{
  StriaeClinicSettings *copy = g_new0 (StriaeClinicSettings, 1);

  copy->name = g_strdup (clinic->name);
  copy->address = g_strdup (clinic->address);
  copy->phone = g_strdup (clinic->phone);
  copy->email = g_strdup (clinic->email);
  copy->logo_path = g_strdup (clinic->logo_path);
  copy->paper = clinic->paper;
  copy->practitioner = g_strdup (clinic->practitioner);
  copy->language = g_strdup (clinic->language);
  return copy;
}

/**
 * striae_sheet_delivery_new_sibling:
 * @self: a batch whose clinic was read (striae_sheet_delivery_read_batch())
 * @store: the records this delivery reads, another connection to @self's: each thread reads
 *   through its own
 *
 * A delivery for more sheets of @self's batch, composed in another thread: the same rules
 * and clinic, which neither changes afterwards, and templates of its own, as the layouts of
 * a template are made with one thread's fonts (Pango gives each thread its own font map).
 * It may be made in that other thread while @self composes.
 *
 * Returns: (transfer full): the new delivery
 */
StriaeSheetDelivery *
striae_sheet_delivery_new_sibling (StriaeSheetDelivery *self,
                                   StriaeStore         *store)
{
  StriaeSheetDelivery *sibling;

  g_return_val_if_fail (STRIAE_IS_SHEET_DELIVERY (self), NULL);
  g_return_val_if_fail (STRIAE_IS_STORE (store), NULL);
  g_return_val_if_fail (self->batch && self->rules != NULL && self->clinic != NULL, NULL);

  sibling = striae_sheet_delivery_new (store, self->settings);
  striae_sheet_delivery_set_batch (sibling, TRUE);
  sibling->read_ahead = self->read_ahead;
  sibling->override_dir = g_strdup (self->override_dir);
  sibling->rules = g_object_ref (self->rules);
  sibling->clinic = copy_clinic (self->clinic);
  sibling->clinic_override_dir = g_strdup (self->clinic_override_dir);
  return sibling;
}

/* What read_clinic() read is kept only for a batch. */
static void
forget_clinic (StriaeSheetDelivery *self)
{
  if (self->batch)
    return;
  g_clear_object (&self->rules);
  g_clear_pointer (&self->clinic, striae_clinic_settings_free);
  g_clear_pointer (&self->clinic_override_dir, g_free);
}

static void
sheet_session_clear (StriaeSheetSession *session)
{
  g_clear_object (&session->record);
  g_clear_pointer (&session->next_dates, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (StriaeSheetSession, sheet_session_clear)

static int
compare_session_dates (gconstpointer a,
                       gconstpointer b)
{
  return g_date_compare (&((const StriaeSheetSessionDate *) a)->date,
                         &((const StriaeSheetSessionDate *) b)->date);
}

/* What the aftercare of a signed consultation's session says beyond the plan (issue 17):
 * the dates still to come in its schedule (planned or moved; none missed, cancelled or done)
 * and the session record of @sheet_date, when there is one, for the needle depth used.
 * Returns 1 with @session filled, 0 when the plan's dates stand (another sheet, no
 * schedule), -1 with @error set when the records cannot be read. */
static int
read_session (StriaeSheetDelivery  *self,
              StriaeConsultation   *consultation,
              const char           *name,
              const GDate          *sheet_date,
              StriaeSheetSession   *session,
              GError              **error)
{
  gint64 id = striae_consultation_get_id (consultation);
  g_autoptr(GPtrArray) schedule = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *template_name = NULL;
  GDate today;

  if (self->store == NULL || id <= 0 ||
      striae_consultation_get_status (consultation) != STRIAE_CONSULTATION_STATUS_SIGNED ||
      !striae_sheet_name_from_string (name, &template_name, NULL) ||
      g_strcmp0 (template_name, "aftercare") != 0)
    return 0;
  if (sheet_date == NULL || !g_date_valid (sheet_date))
    {
      striae_get_today (&today);
      sheet_date = &today;
    }

  schedule = striae_store_list_schedule (self->store, id, &local_error);
  if (schedule == NULL)
    {
      if (g_error_matches (local_error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_SUPPORTED))
        return 0;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return -1;
    }
  if (schedule->len == 0)
    return 0;
  records = striae_store_list_treatment_sessions (self->store, id, error);
  if (records == NULL)
    return -1;

  session->next_dates = g_array_new (FALSE, FALSE, sizeof (StriaeSheetSessionDate));
  for (guint i = 0; i < schedule->len; i++)
    {
      const StriaeScheduledSession *s = g_ptr_array_index (schedule, i);
      StriaeSheetSessionDate to_come = { s->date, s->number, s->maintenance };

      /* A session missed or cancelled did not take place: no aftercare is its. */
      if (g_date_compare (&s->date, sheet_date) == 0 &&
          s->status != STRIAE_SCHEDULE_STATUS_MISSED &&
          s->status != STRIAE_SCHEDULE_STATUS_CANCELLED)
        session->session_day = TRUE;
      if (striae_scheduled_session_is_open (s))
        g_array_append_val (session->next_dates, to_come);
    }
  g_array_sort (session->next_dates, compare_session_dates);

  /* The record of the day's session (the latest, should there be two), unless its check
   * stopped it: then nothing was treated. */
  for (guint i = 0; i < records->len; i++)
    {
      StriaeTreatmentSession *record = g_ptr_array_index (records, i);
      const GDate *date = striae_treatment_session_get_date (record);
      StriaeSessionCheck *check = striae_treatment_session_get_check (record);

      if (date != NULL && g_date_valid (date) && g_date_compare (date, sheet_date) == 0 &&
          striae_session_check_get_result (check) != STRIAE_CHECK_RESULT_STOPPED)
        g_set_object (&session->record, record);
    }
  return 1;
}

/* A clinic's template may print the patient's photos (issue 18): the sheets read them from
 * the records through this source, only when the template asks, each full image through the
 * audited read, kept in memory while the delivery composes for that patient. */
typedef struct
{
  StriaeSheetDelivery *delivery;
  gint64               patient_id;
} PhotoReader;

static gboolean
list_photos_cb (gpointer                  user_data,
                StriaePhotoConsentScope  *consent,
                GPtrArray               **photos,
                GError                  **error)
{
  PhotoReader *reader = user_data;
  g_autoptr(GError) local_error = NULL;

  *photos = NULL;
  *consent = striae_store_get_photo_consent (reader->delivery->store, reader->patient_id,
                                             NULL, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  *photos = striae_store_list_patient_photos (reader->delivery->store, reader->patient_id,
                                              error);
  return *photos != NULL;
}

static GBytes *
read_photo_cb (gpointer      user_data,
               StriaePhoto  *photo,
               GError      **error)
{
  PhotoReader *reader = user_data;
  StriaeSheetDelivery *self = reader->delivery;
  gint64 id = striae_photo_get_id (photo);
  GBytes *image;

  if (self->photo_patient_id != reader->patient_id)
    {
      g_hash_table_remove_all (self->photo_images);
      self->photo_patient_id = reader->patient_id;
    }
  image = g_hash_table_lookup (self->photo_images, &id);
  if (image != NULL)
    return g_bytes_ref (image);

  image = striae_store_get_photo_image (self->store, id, error);
  if (image != NULL)
    g_hash_table_insert (self->photo_images, g_memdup2 (&id, sizeof id), g_bytes_ref (image));
  return image;
}

/**
 * striae_sheet_delivery_compose:
 * @patient: the patient
 * @consultation: the consultation, as stored or as being edited
 * @name: a sheet name ("pre", "aftercare", "consent" or a template name)
 * @language: (nullable): a language code, %NULL for the patient's preferred one
 * @sheet_date: (nullable): the day the sheet is for, %NULL for today
 * @unfinished: (out) (optional) (nullable) (transfer full): with it, an unfinished sheet is
 *   composed as a draft (never exported or printed) and this says what is missing; without
 *   it, an unfinished sheet is refused
 * @warning: (out) (optional) (nullable) (transfer full): set when the clinic's template was
 *   refused and the shipped one is used
 *
 * Composes a sheet with the clinic's stored rules and current settings, each time read
 * afresh, so that the window and the command line give the same sheet.
 *
 * Returns: (transfer full): the sheet, or %NULL with @error set (%STRIAE_SHEET_ERROR_INVALID
 *   for a blocked plan or a patient not treated, %STRIAE_SHEET_ERROR_UNFINISHED for what is
 *   missing, or why the rules or the template could not be read)
 */
/* The consent carries the signatures given on the screen (issue 18) to this very text: the
 * preview, the print and the PDF all come through here. */
static gboolean
attach_signatures (StriaeSheetDelivery  *self,
                   StriaeSheet          *sheet,
                   StriaeConsultation   *consultation,
                   const char           *name,
                   GError              **error)
{
  g_autoptr(GPtrArray) signatures = NULL;

  if (self->store == NULL || g_strcmp0 (name, "consent") != 0 ||
      striae_consultation_get_id (consultation) <= 0 ||
      striae_consultation_get_status (consultation) != STRIAE_CONSULTATION_STATUS_SIGNED)
    return TRUE;

  signatures = striae_store_list_consent_signatures (self->store,
                                                     striae_consultation_get_id (consultation),
                                                     error);
  if (signatures == NULL)
    return FALSE;
  striae_sheet_set_signatures (sheet, signatures);
  return TRUE;
}

StriaeSheet *
striae_sheet_delivery_compose (StriaeSheetDelivery  *self,
                               StriaePatient        *patient,
                               StriaeConsultation   *consultation,
                               const char           *name,
                               const char           *language,
                               const GDate          *sheet_date,
                               char                **unfinished,
                               char                **warning,
                               GError              **error)
{
  g_autoptr(StriaeSheet) sheet = NULL;
  StriaeRules *rules = NULL;
  const StriaeClinicSettings *clinic = NULL;
  const char *override_dir = NULL;
  g_auto(StriaeSheetSession) session = { FALSE, NULL, NULL };
  PhotoReader reader = { NULL, 0 };
  StriaeSheetPhotoSource source = { list_photos_cb, read_photo_cb, &reader };
  StriaeSheetRequest request;

  g_return_val_if_fail (STRIAE_IS_SHEET_DELIVERY (self), NULL);
  g_return_val_if_fail (STRIAE_IS_PATIENT (patient), NULL);
  g_return_val_if_fail (STRIAE_IS_CONSULTATION (consultation), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (unfinished != NULL)
    *unfinished = NULL;
  if (warning != NULL)
    *warning = NULL;

  if (!read_clinic (self, &rules, &clinic, &override_dir, error))
    {
      forget_clinic (self);
      return NULL;
    }

  if (read_session (self, consultation, name, sheet_date, &session, error) < 0)
    {
      forget_clinic (self);
      return NULL;
    }
  reader.delivery = self;
  reader.patient_id = striae_consultation_get_patient_id (consultation);
  if (reader.patient_id <= 0)
    reader.patient_id = striae_patient_get_id (patient);
  request = (StriaeSheetRequest) {
    .name = name,
    .language = language,
    .patient = patient,
    .consultation = consultation,
    .rules = rules,
    .clinic = clinic,
    .override_dir = override_dir,
    .sheet_date = sheet_date,
    .session = session.next_dates != NULL ? &session : NULL,
    .photos = self->store != NULL && reader.patient_id > 0 ? &source : NULL,
    .templates = self->templates,
  };
  sheet = striae_sheet_compose (&request, unfinished, warning, error);
  forget_clinic (self);
  if (sheet == NULL || !attach_signatures (self, sheet, consultation, name, error))
    return NULL;
  return g_steal_pointer (&sheet);
}

/* A sheet says what the records hold, never an older version than the one typed: a
 * consultation whose newest version waits on this computer for the clinic server (issue 14)
 * is not given out. */
static gboolean
check_not_spooled (StriaeSheetDelivery  *self,
                   StriaeConsultation   *consultation,
                   GError              **error)
{
  if (self->store == NULL ||
      !striae_store_is_spooled (self->store, striae_consultation_get_id (consultation),
                                striae_consultation_get_local_id (consultation)))
    return TRUE;

  g_set_error_literal (error, STRIAE_SHEET_ERROR, STRIAE_SHEET_ERROR_UNFINISHED,
                       _("The newest version of this consultation is kept on this "
                         "computer until the clinic server is back; its sheet can be "
                         "printed once it has been sent."));
  return FALSE;
}

/**
 * striae_sheet_delivery_compose_stored:
 * @consultation_id: a stored consultation; its latest revision is used
 * @patient: (out) (optional) (transfer full): its patient
 * @consultation: (out) (optional) (transfer full): the consultation as loaded
 *
 * As striae_sheet_delivery_compose() for a stored consultation; an unfinished sheet is
 * refused. Needs a store.
 *
 * Returns: (transfer full): the sheet, or %NULL with @error set
 */
StriaeSheet *
striae_sheet_delivery_compose_stored (StriaeSheetDelivery  *self,
                                      gint64                consultation_id,
                                      const char           *name,
                                      const char           *language,
                                      const GDate          *sheet_date,
                                      StriaePatient       **patient,
                                      StriaeConsultation  **consultation,
                                      char                **warning,
                                      GError              **error)
{
  g_autoptr(StriaeConsultation) loaded = NULL;
  g_autoptr(StriaePatient) owner = NULL;
  g_autoptr(StriaeSheet) sheet = NULL;

  g_return_val_if_fail (STRIAE_IS_SHEET_DELIVERY (self), NULL);
  g_return_val_if_fail (self->store != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (warning != NULL)
    *warning = NULL;

  /* Printing and exporting sheets is the front desk's right and above (issue 16). */
  if (!striae_store_may (self->store, STRIAE_RIGHT_SHEETS, error))
    return NULL;

  loaded = striae_store_get_consultation (self->store, consultation_id, error);
  if (loaded == NULL)
    return NULL;
  if (!check_not_spooled (self, loaded, error))
    return NULL;
  owner = striae_store_get_patient (self->store, striae_consultation_get_patient_id (loaded),
                                    error);
  if (owner == NULL)
    return NULL;

  sheet = striae_sheet_delivery_compose (self, owner, loaded, name, language, sheet_date, NULL,
                                         warning, error);
  if (sheet == NULL)
    return NULL;

  if (patient != NULL)
    *patient = g_steal_pointer (&owner);
  if (consultation != NULL)
    *consultation = g_steal_pointer (&loaded);
  return g_steal_pointer (&sheet);
}

/* Nothing goes out of records found damaged: a file whose check still runs
 * (STRIAE_STORE_OPEN_FLAGS_CHECK_IN_BACKGROUND) is waited for first. */
static gboolean
check_records (StriaeSheetDelivery  *self,
               GError              **error)
{
  return self->store == NULL || striae_store_wait_checked (self->store, error);
}

/* The audit log must not identify a person (striae_store_log_event()), so the detail names
 * the sheet, its language and the printer, never the file, whose name may hold the patient's
 * name. */
static char *
delivery_detail (StriaeSheet *sheet,
                 const char  *printer)
{
  StriaeSheetTemplate *template = striae_sheet_get_template (sheet);

  if (printer != NULL)
    return g_strdup_printf ("sheet %s; language %s; printer %s",
                            striae_sheet_template_get_name (template),
                            striae_sheet_template_get_language (template), printer);
  return g_strdup_printf ("sheet %s; language %s; PDF",
                          striae_sheet_template_get_name (template),
                          striae_sheet_template_get_language (template));
}

/* One audit row for each sheet that went out, in one transaction. */
static gboolean
log_deliveries (StriaeSheetDelivery         *self,
                StriaeSheet * const         *sheets,
                StriaePatient * const       *patients,
                StriaeConsultation * const  *consultations,
                guint                        n_sheets,
                const char                  *printer,
                GError                     **error)
{
  g_autofree StriaeAuditEvent *events = NULL;
  g_autoptr(GPtrArray) details = g_ptr_array_new_with_free_func (g_free);

  if (self->store == NULL || n_sheets == 0)
    return TRUE;

  events = g_new0 (StriaeAuditEvent, n_sheets);
  for (guint i = 0; i < n_sheets; i++)
    {
      char *detail = delivery_detail (sheets[i], printer);

      g_ptr_array_add (details, detail);
      events[i] = (StriaeAuditEvent) {
        printer != NULL ? STRIAE_AUDIT_PRINT : STRIAE_AUDIT_EXPORT,
        striae_patient_get_id (patients[i]), striae_consultation_get_id (consultations[i]),
        detail
      };
    }
  if (striae_store_log_events (self->store, events, n_sheets, error))
    return TRUE;

  g_prefix_error (error, _("The sheet went out but could not be written to the audit log: "));
  return FALSE;
}

/* striae_sheet_delivery_export_all(), with the PDFs made already (@pdfs) or not (NULL). */
static gboolean
export_all (StriaeSheetDelivery         *self,
            StriaeSheet * const         *sheets,
            GBytes * const              *pdfs,
            StriaePatient * const       *patients,
            StriaeConsultation * const  *consultations,
            const char * const          *paths,
            guint                        n_sheets,
            guint                       *n_written,
            GError                     **error)
{
  g_autoptr(GError) write_error = NULL;
  guint allowed = 0;
  guint written = 0;

  if (n_written != NULL)
    *n_written = 0;

  for (guint i = 0; i < n_sheets; i++)
    if (!striae_sheet_check_final (sheets[i], error) ||
        !check_not_spooled (self, consultations[i], error))
      return FALSE;
  if (!check_records (self, error))
    return FALSE;

  while (allowed < n_sheets &&
         striae_store_check_output (self->store, paths[allowed], &write_error))
    allowed++;
  /* A refused file stops the batch there; those before it are still written. */
  if (pdfs != NULL)
    striae_sheet_write_pdfs (pdfs, paths, allowed, &written,
                             write_error == NULL ? &write_error : NULL);
  else
    striae_sheet_export_pdf_each (sheets, paths, allowed, &written,
                                  write_error == NULL ? &write_error : NULL);

  if (n_written != NULL)
    *n_written = written;
  if (!log_deliveries (self, sheets, patients, consultations, written, NULL, error))
    return FALSE;
  if (write_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&write_error));
      return FALSE;
    }
  return TRUE;
}

/**
 * striae_sheet_delivery_export_all:
 * @sheets: (array length=n_sheets): sheets from striae_sheet_delivery_compose(), no draft
 * @patients: (array length=n_sheets): the patient of each
 * @consultations: (array length=n_sheets): the consultation of each
 * @paths: (array length=n_sheets): the PDF file to write for each
 * @n_written: (out) (optional): how many PDFs were written, the first ones, also on failure
 *
 * Writes each PDF where the store allows it (striae_store_check_output()), synced to the
 * disk together (striae_sheet_export_pdf_each()), and records them in the audit log, in one
 * transaction after the last: those written before a failure are recorded too.
 *
 * Returns: %FALSE with @error set when a sheet is a draft, or a file cannot be written or
 *   the log written
 */
gboolean
striae_sheet_delivery_export_all (StriaeSheetDelivery         *self,
                                  StriaeSheet * const         *sheets,
                                  StriaePatient * const       *patients,
                                  StriaeConsultation * const  *consultations,
                                  const char * const          *paths,
                                  guint                        n_sheets,
                                  guint                       *n_written,
                                  GError                     **error)
{
  g_return_val_if_fail (STRIAE_IS_SHEET_DELIVERY (self), FALSE);
  g_return_val_if_fail (sheets != NULL && patients != NULL, FALSE);
  g_return_val_if_fail (consultations != NULL && paths != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return export_all (self, sheets, NULL, patients, consultations, paths, n_sheets, n_written,
                     error);
}

/**
 * striae_sheet_delivery_export_rendered:
 * @pdfs: (array length=n_sheets): the PDF of each sheet, from striae_sheet_render_pdf()
 *
 * striae_sheet_delivery_export_all() for sheets whose PDFs were made beforehand.
 */
gboolean
striae_sheet_delivery_export_rendered (StriaeSheetDelivery         *self,
                                       StriaeSheet * const         *sheets,
                                       GBytes * const              *pdfs,
                                       StriaePatient * const       *patients,
                                       StriaeConsultation * const  *consultations,
                                       const char * const          *paths,
                                       guint                        n_sheets,
                                       guint                       *n_written,
                                       GError                     **error)
{
  g_return_val_if_fail (STRIAE_IS_SHEET_DELIVERY (self), FALSE);
  g_return_val_if_fail (sheets != NULL && pdfs != NULL && patients != NULL, FALSE);
  g_return_val_if_fail (consultations != NULL && paths != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return export_all (self, sheets, pdfs, patients, consultations, paths, n_sheets, n_written,
                     error);
}

/**
 * striae_sheet_delivery_export:
 * @sheet: a sheet from striae_sheet_delivery_compose(), not a draft
 * @patient: its patient
 * @consultation: its consultation
 * @path: the PDF file to write
 *
 * striae_sheet_delivery_export_all() for one sheet.
 */
gboolean
striae_sheet_delivery_export (StriaeSheetDelivery  *self,
                              StriaeSheet          *sheet,
                              StriaePatient        *patient,
                              StriaeConsultation   *consultation,
                              const char           *path,
                              GError              **error)
{
  g_return_val_if_fail (STRIAE_IS_SHEET (sheet), FALSE);
  g_return_val_if_fail (STRIAE_IS_PATIENT (patient), FALSE);
  g_return_val_if_fail (STRIAE_IS_CONSULTATION (consultation), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  return striae_sheet_delivery_export_all (self, &sheet, &patient, &consultation, &path, 1,
                                           NULL, error);
}

/**
 * striae_sheet_delivery_print:
 * @sheets: (array length=n_sheets): sheets from striae_sheet_delivery_compose(), no draft
 * @patients: (array length=n_sheets): the patient of each
 * @consultations: (array length=n_sheets): the consultation of each
 * @printer: the printer, printed on without a dialog
 * @title: the print job's title
 *
 * Sends every sheet to @printer in one job (striae_print_job_print_sheets(), which needs
 * GTK initialised) and records each in the audit log.
 *
 * Returns: %FALSE with @error set when a sheet is a draft, or the printer cannot be used or
 *   the audit log written
 */
gboolean
striae_sheet_delivery_print (StriaeSheetDelivery         *self,
                             StriaeSheet * const         *sheets,
                             StriaePatient * const       *patients,
                             StriaeConsultation * const  *consultations,
                             guint                        n_sheets,
                             const char                  *printer,
                             const char                  *title,
                             GError                     **error)
{
  g_return_val_if_fail (STRIAE_IS_SHEET_DELIVERY (self), FALSE);
  g_return_val_if_fail (sheets != NULL && n_sheets > 0, FALSE);
  g_return_val_if_fail (patients != NULL && consultations != NULL, FALSE);
  g_return_val_if_fail (printer != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (guint i = 0; i < n_sheets; i++)
    if (!striae_sheet_check_final (sheets[i], error) ||
        !check_not_spooled (self, consultations[i], error))
      return FALSE;

  return check_records (self, error) &&
         striae_print_job_print_sheets (sheets, n_sheets, printer, title, error) &&
         log_deliveries (self, sheets, patients, consultations, n_sheets, printer, error);
}

/**
 * striae_sheet_delivery_record_print:
 * @printer: the printer the print dialog sent @sheet to
 *
 * For a print that went through the print dialog: records it in the audit log.
 *
 * Returns: %FALSE with @error set when the sheet is a draft or the log cannot be written
 */
gboolean
striae_sheet_delivery_record_print (StriaeSheetDelivery  *self,
                                    StriaeSheet          *sheet,
                                    StriaePatient        *patient,
                                    StriaeConsultation   *consultation,
                                    const char           *printer,
                                    GError              **error)
{
  g_return_val_if_fail (STRIAE_IS_SHEET_DELIVERY (self), FALSE);
  g_return_val_if_fail (STRIAE_IS_SHEET (sheet), FALSE);
  g_return_val_if_fail (printer != NULL, FALSE);

  return striae_sheet_check_final (sheet, error) &&
         log_deliveries (self, &sheet, &patient, &consultation, 1, printer, error);
}
