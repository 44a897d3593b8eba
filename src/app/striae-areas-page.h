/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "striae-consultation.h"

G_BEGIN_DECLS

#define STRIAE_TYPE_AREAS_PAGE (striae_areas_page_get_type ())

/* The stretch-marks page of the wizard: one expandable row per treated area. */
G_DECLARE_FINAL_TYPE (StriaeAreasPage, striae_areas_page, STRIAE, AREAS_PAGE, AdwBin)

void       striae_areas_page_set_consultation (StriaeAreasPage    *self,
                                               StriaeConsultation *consultation);
GtkWidget *striae_areas_page_get_area_row     (StriaeAreasPage    *self,
                                               guint               position);
GtkWidget *striae_areas_page_get_field        (StriaeAreasPage    *self,
                                               guint               position,
                                               const char         *field);
guint      striae_areas_page_count_missing    (StriaeAreasPage    *self);

G_END_DECLS
