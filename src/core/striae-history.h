/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define STRIAE_HISTORY_DETAIL_MAX 2000
#define STRIAE_HISTORY_TEXT_MAX   10000

/* An answer to a yes/no screening question. A question nobody has asked yet is "not asked":
 * a missing answer, never a finding. "Unknown" is an answer: the question was asked and
 * nobody knows (the patient does not know whether she is pregnant, has a bleeding disorder
 * …); screening counts it like a "yes" that is not confirmed (see striae-screening.h).
 * Consultations of format 1 stored both as "unknown"; striae-consultation-json.c tells them
 * apart. */
typedef enum
{
  STRIAE_ANSWER_NOT_ASKED,
  STRIAE_ANSWER_NO,
  STRIAE_ANSWER_YES,
  STRIAE_ANSWER_UNKNOWN,
} StriaeAnswer;

#define STRIAE_N_ANSWERS (STRIAE_ANSWER_UNKNOWN + 1)

/* Where a question sits on the medical-history page. */
typedef enum
{
  STRIAE_QUESTION_GROUP_SKIN_AREA,
  STRIAE_QUESTION_GROUP_MEDICINES,
  STRIAE_QUESTION_GROUP_CONDITIONS,
  STRIAE_QUESTION_GROUP_PREGNANCY,
  STRIAE_QUESTION_GROUP_ALLERGIES,
  STRIAE_QUESTION_GROUP_RF,
} StriaeQuestionGroup;

/* One value per medical-history question; each is a contraindication of CLINICAL.md
 * "Screening: contraindications" [contra]. The order is the order on the page. */
typedef enum
{
  /* Infection and skin disease in the area */
  STRIAE_QUESTION_INFECTION,
  STRIAE_QUESTION_OPEN_WOUND,
  STRIAE_QUESTION_INFLAMMATORY_SKIN,
  STRIAE_QUESTION_HERPES_HISTORY,
  /* Medicines */
  STRIAE_QUESTION_ISOTRETINOIN,
  STRIAE_QUESTION_ANTICOAGULANTS,
  STRIAE_QUESTION_CORTICOSTEROIDS,
  /* Conditions */
  STRIAE_QUESTION_CANCER,
  STRIAE_QUESTION_KELOID,
  STRIAE_QUESTION_BLEEDING_DISORDER,
  STRIAE_QUESTION_DIABETES,
  STRIAE_QUESTION_IMMUNOSUPPRESSION,
  STRIAE_QUESTION_AUTOIMMUNE,
  /* Pregnancy */
  STRIAE_QUESTION_PREGNANCY,
  STRIAE_QUESTION_BREASTFEEDING,
  /* Allergies */
  STRIAE_QUESTION_ALLERGY_ANAESTHETIC,
  STRIAE_QUESTION_ALLERGY_METAL,
  STRIAE_QUESTION_ALLERGY_SERUM,
  /* Radiofrequency microneedling only */
  STRIAE_QUESTION_PACEMAKER,
  STRIAE_QUESTION_METAL_IMPLANT,
} StriaeQuestion;

#define STRIAE_N_QUESTIONS (STRIAE_QUESTION_METAL_IMPLANT + 1)

/**
 * StriaeQuestionInfo:
 * @question: the question
 * @id: stable identifier used in storage and JSON ("anticoagulants")
 * @label: the question as the practitioner reads it, untranslated: show it with
 *   striae_question_get_label()
 * @detail_label: what the optional detail field asks for, untranslated
 * @group: where it sits on the page
 * @rf_only: the question only matters for radiofrequency microneedling
 */
typedef struct
{
  StriaeQuestion       question;
  const char          *id;
  const char          *label;
  const char          *detail_label;
  StriaeQuestionGroup  group;
  gboolean             rf_only;
} StriaeQuestionInfo;

const StriaeQuestionInfo *striae_question_get_info        (StriaeQuestion       question);
const char               *striae_question_get_label       (StriaeQuestion       question);
const char               *striae_question_get_detail_label (StriaeQuestion      question);
gboolean                  striae_question_from_id         (const char          *id,
                                                           StriaeQuestion      *question);
const char               *striae_question_group_get_label (StriaeQuestionGroup  group);

#define STRIAE_TYPE_HISTORY (striae_history_get_type ())

G_DECLARE_FINAL_TYPE (StriaeHistory, striae_history, STRIAE, HISTORY, GObject)

StriaeHistory *striae_history_new                       (void);
void           striae_history_copy_into                 (StriaeHistory  *self,
                                                         StriaeHistory  *dest);

StriaeAnswer   striae_history_get_answer                (StriaeHistory  *self,
                                                         StriaeQuestion  question);
void           striae_history_set_answer                (StriaeHistory  *self,
                                                         StriaeQuestion  question,
                                                         StriaeAnswer    answer);
const char    *striae_history_get_detail                (StriaeHistory  *self,
                                                         StriaeQuestion  question);
void           striae_history_set_detail                (StriaeHistory  *self,
                                                         StriaeQuestion  question,
                                                         const char     *detail);
const char    *striae_history_get_medication            (StriaeHistory  *self);
void           striae_history_set_medication            (StriaeHistory  *self,
                                                         const char     *medication);
const GDate   *striae_history_get_isotretinoin_end_date (StriaeHistory  *self);
void           striae_history_set_isotretinoin_end_date (StriaeHistory  *self,
                                                         const GDate    *end_date);
gboolean       striae_history_validate                  (StriaeHistory  *self,
                                                         const GDate    *today,
                                                         GError        **error);

G_END_DECLS
