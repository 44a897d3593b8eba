/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "striae-rules.h"

G_BEGIN_DECLS

#define STRIAE_TYPE_FINDING (striae_finding_get_type ())

G_DECLARE_FINAL_TYPE (StriaeFinding, striae_finding, STRIAE, FINDING, GObject)

/* One result of screening: a contraindication that applies, or one whose question has not
 * been answered. Made by striae_screen(); read-only. Its id is stable ("anticoagulants",
 * or "anticoagulants-unanswered") and is what the consultation stores acknowledgements
 * under. */
StriaeFinding *striae_finding_new             (StriaeCheck    check,
                                               StriaeLevel    level,
                                               gboolean       unanswered,
                                               const char    *reason,
                                               gboolean       acknowledged);

const char    *striae_finding_get_id          (StriaeFinding *self);
StriaeCheck    striae_finding_get_check       (StriaeFinding *self);
int            striae_finding_get_question    (StriaeFinding *self);
StriaeLevel    striae_finding_get_level       (StriaeFinding *self);
gboolean       striae_finding_get_unanswered  (StriaeFinding *self);
const char    *striae_finding_get_title       (StriaeFinding *self);
const char    *striae_finding_get_reason      (StriaeFinding *self);
const char    *striae_finding_get_source      (StriaeFinding *self);
gboolean       striae_finding_get_acknowledged (StriaeFinding *self);

G_END_DECLS
