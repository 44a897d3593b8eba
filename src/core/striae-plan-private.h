/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "striae-plan.h"

G_BEGIN_DECLS

/* For the consultation that owns the plan; not part of the public API. */
void striae_plan_set_consultation_date (StriaePlan  *self,
                                        const GDate *date);

G_END_DECLS
