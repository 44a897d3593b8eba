/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "striae-clinic.h"
#include "striae-consultation.h"
#include "striae-patient.h"
#include "striae-photo.h"
#include "striae-recommendation.h"
#include "striae-sheet.h"
#include "striae-sheet-context.h"
#include "striae-sheet-template.h"
#include "striae-sheet-templates.h"
#include "striae-treatment-session.h"

G_BEGIN_DECLS

/**
 * StriaeClinicSettings:
 * @name: (nullable): the clinic's name
 * @address: (nullable): postal address, may hold line breaks
 * @phone: (nullable): phone number for patients
 * @email: (nullable): e-mail address for patients
 * @logo_path: (nullable): a PNG file for the header, or %NULL
 * @paper: the paper size sheets are laid out for
 * @practitioner: (nullable): printed when the consultation names no practitioner
 * @language: (nullable): the default sheet language, "en" when %NULL or empty
 *
 * The clinic's settings as plain values, so that the sheets need neither GSettings nor a
 * display; the application fills it from its preferences.
 */
typedef struct
{
  const char      *name;
  const char      *address;
  const char      *phone;
  const char      *email;
  const char      *logo_path;
  StriaePaperSize  paper;
  const char      *practitioner;
  const char      *language;
} StriaeClinicSettings;

StriaeClinicSettings *striae_clinic_settings_new_from_gsettings (GSettings            *settings);
StriaeClinicSettings *striae_clinic_settings_new_from_clinic    (StriaeClinic         *clinic,
                                                                GSettings            *settings,
                                                                const char           *logo_path);
void                  striae_clinic_settings_free               (StriaeClinicSettings *clinic);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StriaeClinicSettings, striae_clinic_settings_free)

char               **striae_sheet_dup_languages     (const char                  *override_dir);

StriaeSheetContext  *striae_sheet_compose_context   (StriaeSheetTemplate         *template,
                                                     StriaePatient               *patient,
                                                     StriaeConsultation          *consultation,
                                                     StriaeRecommendation        *recommendation,
                                                     const StriaeClinicSettings  *clinic,
                                                     const GDate                 *sheet_date);

StriaeSheetTemplate *striae_sheet_load_for_patient  (const char                  *name,
                                                     const char                  *language,
                                                     StriaePatient               *patient,
                                                     const StriaeClinicSettings  *clinic,
                                                     const char                  *override_dir,
                                                     char                       **warning,
                                                     GError                     **error);

/* A session still to come in the schedule: its day and its place in the course. */
typedef struct
{
  GDate    date;
  guint    number;
  gboolean maintenance;
} StriaeSheetSessionDate;

/* The session an aftercare sheet follows (issue 17): whether one took place on the sheet's
 * day, its record when there is one (the needle depth used), and the sessions still to come
 * in the schedule, by date (StriaeSheetSessionDate; NULL: the plan's dates). */
typedef struct
{
  gboolean                session_day;
  StriaeTreatmentSession *record;
  GArray                 *next_dates;
} StriaeSheetSession;

/* Where a sheet's photos come from (issue 18): whoever reads the records (the application,
 * over the store), so that the sheets know no store. Called only when the template has a
 * <photos> element to print for this patient: a sheet without one reads no photo.
 * @list gives the patient's photo consent and their photos without pixels, oldest first
 * (element-type StriaePhoto); @read one photo's full image, through the audited read. */
typedef struct
{
  gboolean (*list)     (gpointer                  user_data,
                        StriaePhotoConsentScope  *consent,
                        GPtrArray               **photos,
                        GError                  **error);
  GBytes  *(*read)     (gpointer                  user_data,
                        StriaePhoto              *photo,
                        GError                  **error);
  gpointer   user_data;
} StriaeSheetPhotoSource;

/**
 * StriaeSheetRequest:
 * @name: a template name, or a short one ("pre", see striae_sheet_name_from_string())
 * @language: (nullable): see striae_sheet_load_for_patient()
 * @patient: the patient
 * @consultation: the consultation
 * @rules: (nullable): the clinic's rules, %NULL for the defaults
 * @clinic: the clinic's settings
 * @override_dir: (nullable): where the clinic's own templates are, %NULL for the default
 * @sheet_date: (nullable): the day the sheet is for, %NULL for today
 * @session: (nullable): for the aftercare of one session of the schedule: its record
 *   (nullable) and the dates still to come in it (nullable: the plan's); %NULL for the
 *   plan's dates
 * @photos: (nullable): where the patient's photos come from, %NULL for none (a <photos>
 *   element then prints as without consent)
 * @templates: (nullable): the templates of a stack of sheets composed together, each read
 *   once for all of them; %NULL reads the template afresh
 *
 * Every input of one sheet, for striae_sheet_compose(). It borrows what it names and owns
 * nothing: fill one on the stack with designated initialisers, the fields left out are
 * %NULL.
 */
typedef struct
{
  const char                   *name;
  const char                   *language;
  StriaePatient                *patient;
  StriaeConsultation           *consultation;
  StriaeRules                  *rules;
  const StriaeClinicSettings   *clinic;
  const char                   *override_dir;
  const GDate                  *sheet_date;
  const StriaeSheetSession     *session;
  const StriaeSheetPhotoSource *photos;
  StriaeSheetTemplates         *templates;
} StriaeSheetRequest;

StriaeSheet         *striae_sheet_compose           (const StriaeSheetRequest    *request,
                                                     char                       **unfinished,
                                                     char                       **warning,
                                                     GError                     **error);

gboolean             striae_sheet_check_printable   (const char                  *name,
                                                     StriaePatient               *patient,
                                                     StriaeConsultation          *consultation,
                                                     StriaeRules                 *rules,
                                                     const StriaeClinicSettings  *clinic,
                                                     GError                     **error);

gboolean             striae_sheet_name_from_string  (const char                  *text,
                                                     const char                 **name,
                                                     GError                     **error);

G_END_DECLS
