/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "striae-date.h"

G_BEGIN_DECLS

#define STRIAE_PATIENT_NAME_MAX   100
#define STRIAE_PATIENT_PHONE_MAX  32
#define STRIAE_PATIENT_EMAIL_MAX  254
#define STRIAE_PATIENT_LANGUAGE_MAX 5  /* a code such as "pt_BR" */
#define STRIAE_PATIENT_NOTES_MAX  10000
#define STRIAE_PATIENT_AGE_MAX    120

typedef enum
{
  STRIAE_SEX_UNSPECIFIED,
  STRIAE_SEX_FEMALE,
  STRIAE_SEX_MALE,
  STRIAE_SEX_OTHER,
} StriaeSex;

/* The fields a person fills in, so that a form can show an error next to the right one. */
typedef enum
{
  STRIAE_PATIENT_FIELD_GIVEN_NAME,
  STRIAE_PATIENT_FIELD_FAMILY_NAME,
  STRIAE_PATIENT_FIELD_BIRTH_DATE,
  STRIAE_PATIENT_FIELD_SEX,
  STRIAE_PATIENT_FIELD_PHONE,
  STRIAE_PATIENT_FIELD_EMAIL,
  STRIAE_PATIENT_FIELD_LANGUAGE,
  STRIAE_PATIENT_FIELD_NOTES,
  STRIAE_PATIENT_N_FIELDS,
} StriaePatientField;

#define STRIAE_TYPE_PATIENT (striae_patient_get_type ())

G_DECLARE_FINAL_TYPE (StriaePatient, striae_patient, STRIAE, PATIENT, GObject)

StriaePatient *striae_patient_new              (void);
StriaePatient *striae_patient_copy             (StriaePatient     *self);

gint64         striae_patient_get_id           (StriaePatient     *self);
void           striae_patient_set_id           (StriaePatient     *self,
                                                gint64             id);
const char    *striae_patient_get_given_name   (StriaePatient     *self);
void           striae_patient_set_given_name   (StriaePatient     *self,
                                                const char        *given_name);
const char    *striae_patient_get_family_name  (StriaePatient     *self);
void           striae_patient_set_family_name  (StriaePatient     *self,
                                                const char        *family_name);
char          *striae_patient_dup_full_name    (StriaePatient     *self);
char          *striae_patient_dup_title        (StriaePatient     *self,
                                                const GDate       *today);
const GDate   *striae_patient_get_birth_date   (StriaePatient     *self);
void           striae_patient_set_birth_date   (StriaePatient     *self,
                                                const GDate       *birth_date);
StriaeSex      striae_patient_get_sex          (StriaePatient     *self);
void           striae_patient_set_sex          (StriaePatient     *self,
                                                StriaeSex          sex);
const char    *striae_patient_get_phone        (StriaePatient     *self);
void           striae_patient_set_phone        (StriaePatient     *self,
                                                const char        *phone);
const char    *striae_patient_get_email        (StriaePatient     *self);
void           striae_patient_set_email        (StriaePatient     *self,
                                                const char        *email);
const char    *striae_patient_get_language     (StriaePatient     *self);
void           striae_patient_set_language     (StriaePatient     *self,
                                                const char        *language);
const char    *striae_patient_get_notes        (StriaePatient     *self);
void           striae_patient_set_notes        (StriaePatient     *self,
                                                const char        *notes);
GDateTime     *striae_patient_get_created      (StriaePatient     *self);
void           striae_patient_set_created      (StriaePatient     *self,
                                                GDateTime         *created);
GDateTime     *striae_patient_get_updated      (StriaePatient     *self);
void           striae_patient_set_updated      (StriaePatient     *self,
                                                GDateTime         *updated);

int            striae_patient_get_age          (StriaePatient     *self,
                                                const GDate       *today);

gboolean       striae_patient_check_field      (StriaePatient     *self,
                                                StriaePatientField field,
                                                const GDate       *today,
                                                GError           **error);
gboolean       striae_patient_validate         (StriaePatient     *self,
                                                const GDate       *today,
                                                StriaePatientField *bad_field,
                                                GError           **error);

void           striae_get_today                (GDate             *today);

const char    *striae_sex_to_string            (StriaeSex          sex);
StriaeSex      striae_sex_from_string          (const char        *text);

G_END_DECLS
