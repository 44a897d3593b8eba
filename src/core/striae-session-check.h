/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "striae-history.h"
#include "striae-rules.h"

G_BEGIN_DECLS

#define STRIAE_SESSION_CHECK_TEXT_MAX 2000

/* The screening answers that can change between two sessions of a course, asked again before
 * each one (CLINICAL.md "Screening: contraindications" [contra] and "Before treatment").
 * The order is the order of the pre-session page. */
typedef enum
{
  STRIAE_CHECK_ITEM_PREGNANCY,          /* [contra] absolute */
  STRIAE_CHECK_ITEM_BREASTFEEDING,      /* [contra] relative (some clinics: absolute) */
  STRIAE_CHECK_ITEM_ANTICOAGULANTS,     /* new blood thinners: [contra] relative */
  STRIAE_CHECK_ITEM_ISOTRETINOIN,       /* [contra] absolute by default, a clinic setting */
  STRIAE_CHECK_ITEM_CORTICOSTEROIDS,    /* high-dose systemic: [contra] relative */
  STRIAE_CHECK_ITEM_INFECTION,          /* skin infection in or near the area: absolute */
  STRIAE_CHECK_ITEM_COLD_SORE,          /* active herpes simplex: absolute (an infection) */
  STRIAE_CHECK_ITEM_RECENT_SUN,         /* sunburn or tan, last 2 weeks: relative */
  STRIAE_CHECK_ITEM_RECENT_RESURFACING, /* laser, peel, resurfacing, last 4 weeks: relative */
  STRIAE_CHECK_ITEM_RETINOIDS,          /* topical retinoids or AHA/BHA acids: relative */
} StriaeCheckItem;

#define STRIAE_N_CHECK_ITEMS (STRIAE_CHECK_ITEM_RETINOIDS + 1)

/* What the check decided. A changed answer is never "clear": an absolute finding stops the
 * session with its reason, a relative one is acknowledged by the practitioner [contra]. */
typedef enum
{
  STRIAE_CHECK_RESULT_NOT_DONE,
  STRIAE_CHECK_RESULT_CLEAR,
  STRIAE_CHECK_RESULT_STOPPED,
  STRIAE_CHECK_RESULT_ACKNOWLEDGED,
} StriaeCheckResult;

typedef struct
{
  StriaeCheckItem  item;
  const char      *id;           /* stable, used as property name and in JSON */
  const char      *label;        /* untranslated; use striae_check_item_get_label() */
  gboolean         absolute;     /* the default level of CLINICAL.md [contra] */
} StriaeCheckItemInfo;

const StriaeCheckItemInfo *striae_check_item_get_info  (StriaeCheckItem  item);
const char                *striae_check_item_get_label (StriaeCheckItem  item);
gboolean                   striae_check_item_from_id   (const char      *id,
                                                        StriaeCheckItem *item);
StriaeLevel                striae_check_item_get_level (StriaeCheckItem  item,
                                                        StriaeRules     *rules);

#define STRIAE_TYPE_SESSION_CHECK (striae_session_check_get_type ())

G_DECLARE_FINAL_TYPE (StriaeSessionCheck, striae_session_check, STRIAE, SESSION_CHECK, GObject)

/* The pre-session check kept with a session record: an answer per item (not asked until
 * asked; "yes" or "unknown" is a change since the consultation), the changes in words, the
 * result and its reason (why the session stopped, or what was acknowledged). Each item is a
 * property named by its id, so a page can bind a row to it. */
StriaeSessionCheck *striae_session_check_new         (void);
void                striae_session_check_copy_into   (StriaeSessionCheck *self,
                                                      StriaeSessionCheck *dest);

StriaeAnswer        striae_session_check_get_answer  (StriaeSessionCheck *self,
                                                      StriaeCheckItem     item);
void                striae_session_check_set_answer  (StriaeSessionCheck *self,
                                                      StriaeCheckItem     item,
                                                      StriaeAnswer        answer);
gboolean            striae_session_check_has_changes (StriaeSessionCheck *self);
gboolean            striae_session_check_has_absolute (StriaeSessionCheck *self);
char               *striae_session_check_dup_stop_reason (StriaeSessionCheck *self,
                                                          StriaeRules        *rules);
const char         *striae_session_check_get_changes (StriaeSessionCheck *self);
void                striae_session_check_set_changes (StriaeSessionCheck *self,
                                                      const char         *changes);
StriaeCheckResult   striae_session_check_get_result  (StriaeSessionCheck *self);
void                striae_session_check_set_result  (StriaeSessionCheck *self,
                                                      StriaeCheckResult   result);
const char         *striae_session_check_get_reason  (StriaeSessionCheck *self);
void                striae_session_check_set_reason  (StriaeSessionCheck *self,
                                                      const char         *reason);
gboolean            striae_session_check_validate    (StriaeSessionCheck *self,
                                                      GError            **error);

G_END_DECLS
