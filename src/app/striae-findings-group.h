/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "striae-consultation-session.h"

G_BEGIN_DECLS

#define STRIAE_TYPE_FINDINGS_GROUP (striae_findings_group_get_type ())

/* The screening's findings about one or more parts of the consultation ("parts", a
 * StriaeScreeningPart mask), as rows: an absolute one says it blocks the plan, a relative one
 * has an "Acknowledged" check. A question not asked yet is no finding and gets no row (the
 * page counts it as a missing answer). Follows its "session". */
G_DECLARE_FINAL_TYPE (StriaeFindingsGroup, striae_findings_group, STRIAE, FINDINGS_GROUP,
                      AdwPreferencesGroup)

void       striae_findings_group_set_session     (StriaeFindingsGroup       *self,
                                                  StriaeConsultationSession *session);
GtkWidget *striae_findings_group_get_acknowledge (StriaeFindingsGroup       *self,
                                                  const char                *finding_id);
guint      striae_findings_group_get_n_findings  (StriaeFindingsGroup       *self);

G_END_DECLS
