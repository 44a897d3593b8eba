/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "striae-area.h"
#include "striae-history.h"
#include "striae-plan.h"
#include "striae-skin.h"

G_BEGIN_DECLS

/* 2: an answer is "not-asked" until someone answers it, and "unknown" is an answer (format 1
 * stored both as "unknown"; reading it tells them apart). */
#define STRIAE_CONSULTATION_FORMAT 2
#define STRIAE_CONSULTATION_TEXT_MAX 2000

/* Bounds of a consultation in a file from elsewhere (docs/EXPORT-FORMAT.md): the name of the
 * practitioner or signer, the areas, and the items of each list of strings (acknowledged
 * findings, sheet items added or struck). */
#define STRIAE_CONSULTATION_NAME_MAX  200
#define STRIAE_CONSULTATION_AREAS_MAX 100
#define STRIAE_CONSULTATION_LIST_MAX  500

/* [consent] a signed consultation is locked; a correction is a new revision. */
typedef enum
{
  STRIAE_CONSULTATION_STATUS_DRAFT,
  STRIAE_CONSULTATION_STATUS_COMPLETE,
  STRIAE_CONSULTATION_STATUS_SIGNED,
} StriaeConsultationStatus;

#define STRIAE_TYPE_CONSULTATION (striae_consultation_get_type ())

G_DECLARE_FINAL_TYPE (StriaeConsultation, striae_consultation, STRIAE, CONSULTATION, GObject)

StriaeConsultation       *striae_consultation_new                 (void);
StriaeConsultation       *striae_consultation_new_from_json       (const char         *json,
                                                                   GError            **error);
char                     *striae_consultation_to_json             (StriaeConsultation *self);
StriaeConsultation       *striae_consultation_copy                (StriaeConsultation *self);
StriaeConsultation       *striae_consultation_new_revision        (StriaeConsultation *self);

gint64                    striae_consultation_get_id              (StriaeConsultation *self);
void                      striae_consultation_set_id              (StriaeConsultation *self,
                                                                   gint64              id);
gint64                    striae_consultation_get_patient_id      (StriaeConsultation *self);
void                      striae_consultation_set_patient_id      (StriaeConsultation *self,
                                                                   gint64              id);
const GDate              *striae_consultation_get_date            (StriaeConsultation *self);
void                      striae_consultation_set_date            (StriaeConsultation *self,
                                                                   const GDate        *date);
const char               *striae_consultation_get_practitioner    (StriaeConsultation *self);
void                      striae_consultation_set_practitioner    (StriaeConsultation *self,
                                                                   const char         *name);
StriaeConsultationStatus  striae_consultation_get_status          (StriaeConsultation *self);
void                      striae_consultation_set_status          (StriaeConsultation *self,
                                                                   StriaeConsultationStatus status);
guint                     striae_consultation_get_revision        (StriaeConsultation *self);
void                      striae_consultation_set_revision        (StriaeConsultation *self,
                                                                   guint               revision);
const char               *striae_consultation_get_stored_stamp    (StriaeConsultation *self);
void                      striae_consultation_set_stored_stamp    (StriaeConsultation *self,
                                                                   const char         *stamp);
const char               *striae_consultation_get_local_id        (StriaeConsultation *self);
void                      striae_consultation_set_local_id        (StriaeConsultation *self,
                                                                   const char         *local_id);

StriaeHistory            *striae_consultation_get_history         (StriaeConsultation *self);
StriaeSkin               *striae_consultation_get_skin            (StriaeConsultation *self);
GListModel               *striae_consultation_get_areas           (StriaeConsultation *self);
StriaePlan               *striae_consultation_get_plan            (StriaeConsultation *self);
void                      striae_consultation_add_area            (StriaeConsultation *self,
                                                                   StriaeArea         *area);
void                      striae_consultation_remove_area         (StriaeConsultation *self,
                                                                   guint               position);
StriaeArea               *striae_consultation_find_area           (StriaeConsultation *self,
                                                                   const char         *area_id,
                                                                   guint              *position);

gboolean                  striae_consultation_is_acknowledged     (StriaeConsultation *self,
                                                                   const char         *finding_id);
void                      striae_consultation_set_acknowledged    (StriaeConsultation *self,
                                                                   const char         *finding_id,
                                                                   gboolean            acknowledge);
GStrv                     striae_consultation_dup_acknowledged    (StriaeConsultation *self);

const char * const       *striae_consultation_get_added_items     (StriaeConsultation *self);
void                      striae_consultation_set_added_items     (StriaeConsultation *self,
                                                                   const char * const *items);
void                      striae_consultation_add_sheet_item      (StriaeConsultation *self,
                                                                   const char         *text);
const char * const       *striae_consultation_get_struck_items    (StriaeConsultation *self);
void                      striae_consultation_set_struck_items    (StriaeConsultation *self,
                                                                   const char * const *item_ids);
gboolean                  striae_consultation_is_item_struck      (StriaeConsultation *self,
                                                                   const char         *item_id);
void                      striae_consultation_set_item_struck     (StriaeConsultation *self,
                                                                   const char         *item_id,
                                                                   gboolean            struck);

guint                     striae_consultation_get_rules_format    (StriaeConsultation *self);
const char               *striae_consultation_get_rules_hash      (StriaeConsultation *self);
void                      striae_consultation_set_rules           (StriaeConsultation *self,
                                                                   guint               format,
                                                                   const char         *hash);

gboolean                  striae_consultation_is_not_treated      (StriaeConsultation *self);
const char               *striae_consultation_get_not_treated_reason
                                                                  (StriaeConsultation *self);
const GDate              *striae_consultation_get_see_again       (StriaeConsultation *self);
void                      striae_consultation_set_not_treated     (StriaeConsultation *self,
                                                                   gboolean            not_treated,
                                                                   const char         *reason,
                                                                   const GDate        *see_again);
const char               *striae_consultation_get_amendment_reason
                                                                  (StriaeConsultation *self);
void                      striae_consultation_set_amendment_reason
                                                                  (StriaeConsultation *self,
                                                                   const char         *reason);

G_END_DECLS
