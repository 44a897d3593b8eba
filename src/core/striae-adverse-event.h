/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define STRIAE_ADVERSE_EVENT_TEXT_MAX 2000

/* How serious an adverse event was. */
typedef enum
{
  STRIAE_EVENT_SEVERITY_MILD,
  STRIAE_EVENT_SEVERITY_MODERATE,
  STRIAE_EVENT_SEVERITY_SEVERE,
} StriaeEventSeverity;

#define STRIAE_TYPE_ADVERSE_EVENT (striae_adverse_event_get_type ())

G_DECLARE_FINAL_TYPE (StriaeAdverseEvent, striae_adverse_event, STRIAE, ADVERSE_EVENT, GObject)

/* Something that went wrong in or after a session (a burn, an infection, a reaction to a
 * product…): what, how severe, and what follows up on it. */
StriaeAdverseEvent  *striae_adverse_event_new           (const char          *what,
                                                         StriaeEventSeverity  severity);
StriaeAdverseEvent  *striae_adverse_event_copy          (StriaeAdverseEvent  *self);

const char          *striae_adverse_event_get_what      (StriaeAdverseEvent  *self);
void                 striae_adverse_event_set_what      (StriaeAdverseEvent  *self,
                                                         const char          *what);
StriaeEventSeverity  striae_adverse_event_get_severity  (StriaeAdverseEvent  *self);
void                 striae_adverse_event_set_severity  (StriaeAdverseEvent  *self,
                                                         StriaeEventSeverity  severity);
const char          *striae_adverse_event_get_follow_up (StriaeAdverseEvent  *self);
void                 striae_adverse_event_set_follow_up (StriaeAdverseEvent  *self,
                                                         const char          *follow_up);

G_END_DECLS
