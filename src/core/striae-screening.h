/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "striae-consultation.h"
#include "striae-finding.h"
#include "striae-rules.h"

G_BEGIN_DECLS

#define STRIAE_ADULT_AGE 18

#define STRIAE_TYPE_SCREENING (striae_screening_get_type ())

G_DECLARE_FINAL_TYPE (StriaeScreening, striae_screening, STRIAE, SCREENING, GObject)

/* Where the answer a check reads is recorded: the patient (the date of birth), the medical
 * history or the skin (the skin facts and the Fitzpatrick type). The wizard shows each part's
 * findings and missing answers on its page. */
typedef enum
{
  STRIAE_SCREENING_PART_PATIENT = 1 << 0,
  STRIAE_SCREENING_PART_HISTORY = 1 << 1,
  STRIAE_SCREENING_PART_SKIN    = 1 << 2,
} StriaeScreeningPart;

#define STRIAE_SCREENING_PART_ALL \
  (STRIAE_SCREENING_PART_PATIENT | STRIAE_SCREENING_PART_HISTORY | STRIAE_SCREENING_PART_SKIN)

StriaeScreeningPart striae_check_get_part (StriaeCheck check);

/* Screening applies every contraindication of the rules (StriaeCheck) to a consultation:
 *
 * - a "yes" makes a finding at the check's level (absolute or relative; "off" makes none);
 * - an "unknown" answer (asked, and nobody knows; or no birth date) makes an "unanswered"
 *   finding at the same level, as a "yes" that is not confirmed: an absolute one blocks the
 *   plan until it is ruled out, a relative one needs the practitioner's acknowledgement like
 *   a "yes" [contra];
 * - a question not asked yet (or a Fitzpatrick type not recorded) makes no finding: it is a
 *   missing answer, which the plan cannot be completed without, so that nothing is signed off
 *   on a question nobody asked. Only a finding can be acknowledged.
 * - radiofrequency-only questions count only when the plan's device is radiofrequency;
 * - oral isotretinoin counts while the patient takes it (answer "yes" and no end date, or an
 *   end date not yet past) and until the rules' delay after the end date has passed;
 * - Fitzpatrick IV–VI, and age under 18 from @birth_date on @today.
 *
 * Findings come absolute first, then relative, each in the order of StriaeCheck. */
StriaeScreening *striae_screen                                (StriaeConsultation *consultation,
                                                               StriaeRules        *rules,
                                                               const GDate        *birth_date,
                                                               const GDate        *today);

GListModel      *striae_screening_get_findings                (StriaeScreening    *self);
StriaeFinding   *striae_screening_lookup                      (StriaeScreening    *self,
                                                               const char         *finding_id);
gboolean         striae_screening_has_absolute                (StriaeScreening    *self);
gboolean         striae_screening_all_relative_acknowledged   (StriaeScreening    *self);
guint            striae_screening_count_unanswered            (StriaeScreening    *self);
guint            striae_screening_count_findings              (StriaeScreening    *self,
                                                               StriaeScreeningPart parts,
                                                               StriaeLevel         level);
guint            striae_screening_count_to_acknowledge        (StriaeScreening    *self,
                                                               StriaeScreeningPart parts);
guint            striae_screening_count_missing               (StriaeScreening    *self,
                                                               StriaeScreeningPart parts);
gboolean         striae_screening_is_missing                  (StriaeScreening    *self,
                                                               StriaeCheck         check);
gboolean         striae_screening_can_proceed                 (StriaeScreening    *self,
                                                               GError            **error);
const char      *striae_screening_get_rules_hash              (StriaeScreening    *self);
gboolean         striae_screening_acknowledge                 (StriaeScreening    *self,
                                                               StriaeConsultation *consultation,
                                                               const char         *finding_id,
                                                               gboolean            acknowledge,
                                                               GError            **error);

gboolean         striae_consultation_check_complete           (StriaeConsultation *consultation,
                                                               StriaeRules        *rules,
                                                               const GDate        *birth_date,
                                                               const GDate        *today,
                                                               GError            **error);

G_END_DECLS
