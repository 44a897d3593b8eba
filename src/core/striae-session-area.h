/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "striae-plan.h"

G_BEGIN_DECLS

/* The passes over one area in a session: pen and roller protocols make a few (commonly 2 to
 * 8); more than 20 is a typing slip. 0: not recorded. */
#define STRIAE_SESSION_PASSES_MAX 20
#define STRIAE_SESSION_AREA_REASON_MAX 2000

#define STRIAE_TYPE_SESSION_AREA (striae_session_area_get_type ())

G_DECLARE_FINAL_TYPE (StriaeSessionArea, striae_session_area, STRIAE, SESSION_AREA, GObject)

/* One area treated in a session: which of the consultation's areas (its id), the needle depth
 * actually used, the device and the number of passes. A depth deeper than the plan's for the
 * area, or another device than the plan's, is recorded with a reason [depth]. */
StriaeSessionArea *striae_session_area_new        (const char        *area_id);
StriaeSessionArea *striae_session_area_copy       (StriaeSessionArea *self);

const char        *striae_session_area_get_area_id (StriaeSessionArea *self);
void               striae_session_area_set_area_id (StriaeSessionArea *self,
                                                    const char        *area_id);
double             striae_session_area_get_depth  (StriaeSessionArea *self);
void               striae_session_area_set_depth  (StriaeSessionArea *self,
                                                   double             mm);
StriaeDevice       striae_session_area_get_device (StriaeSessionArea *self);
void               striae_session_area_set_device (StriaeSessionArea *self,
                                                   StriaeDevice       device);
guint              striae_session_area_get_passes (StriaeSessionArea *self);
void               striae_session_area_set_passes (StriaeSessionArea *self,
                                                   guint              passes);
const char        *striae_session_area_get_reason (StriaeSessionArea *self);
void               striae_session_area_set_reason (StriaeSessionArea *self,
                                                   const char        *reason);

G_END_DECLS
