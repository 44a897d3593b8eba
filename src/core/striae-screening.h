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

/* Screening applies every contraindication of the rules (StriaeCheck) to a consultation:
 *
 * - a "yes" makes a finding at the check's level (absolute or relative; "off" makes none);
 * - an "unknown" answer (or Fitzpatrick type not recorded, or no birth date) makes an
 *   "unanswered" finding at the same level: an unanswered absolute question blocks the plan
 *   like a "yes" until someone asks it, and an unanswered relative one must be asked or
 *   acknowledged. We chose this so that nothing is signed off on a question nobody asked.
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
gboolean         striae_screening_can_proceed                 (StriaeScreening    *self,
                                                               GError            **error);
const char      *striae_screening_get_rules_hash              (StriaeScreening    *self);

gboolean         striae_consultation_check_complete           (StriaeConsultation *consultation,
                                                               StriaeRules        *rules,
                                                               const GDate        *birth_date,
                                                               const GDate        *today,
                                                               GError            **error);

G_END_DECLS
