/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "striae-consultation.h"
#include "striae-store.h"

G_BEGIN_DECLS

#define STRIAE_TYPE_COURSE_GROUP (striae_course_group_get_type ())

/* The course of treatment of one signed consultation on the patient page (issue 17): each
 * planned session as "Session 3 of 5 · 12 March 2027 · Done", its record opened from its row
 * (patient.open-session), and the next one recorded from the group's button
 * (patient.record-session), which only a practitioner sees. */
G_DECLARE_FINAL_TYPE (StriaeCourseGroup, striae_course_group, STRIAE, COURSE_GROUP,
                      AdwPreferencesGroup)

GtkWidget          *striae_course_group_new              (StriaeStore        *store,
                                                          StriaeConsultation *consultation,
                                                          GError            **error);
StriaeConsultation *striae_course_group_get_consultation (StriaeCourseGroup  *self);
guint               striae_course_group_get_n_rows       (StriaeCourseGroup  *self);
GtkWidget          *striae_course_group_get_row          (StriaeCourseGroup  *self,
                                                          guint               position);

G_END_DECLS
