/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "striae-patient.h"
#include "striae-photo.h"
#include "striae-photo-compare.h"
#include "striae-store.h"

G_BEGIN_DECLS

#define STRIAE_TYPE_PHOTOS_PAGE (striae_photos_page_get_type ())

G_DECLARE_FINAL_TYPE (StriaePhotosPage, striae_photos_page, STRIAE, PHOTOS_PAGE, AdwBin)

GtkWidget          *striae_photos_page_new            (void);
void                striae_photos_page_set_store      (StriaePhotosPage  *self,
                                                       StriaeStore       *store);
void                striae_photos_page_open           (StriaePhotosPage  *self,
                                                       StriaePatient     *patient);
void                striae_photos_page_reload         (StriaePhotosPage  *self);
gboolean            striae_photos_page_show_area      (StriaePhotosPage  *self,
                                                       StriaeBodySite     site,
                                                       StriaeSide         side);
GListModel         *striae_photos_page_get_area_photos (StriaePhotosPage *self);
void                striae_photos_page_add_files      (StriaePhotosPage  *self,
                                                       GSList            *files,
                                                       StriaeBodySite     site,
                                                       StriaeSide         side,
                                                       gint64             consultation_id,
                                                       gint64             session_id,
                                                       StriaePhotoMoment  moment);
void                striae_photos_page_ask_files      (StriaePhotosPage  *self,
                                                       GSList            *files);
gboolean            striae_photos_page_is_adding      (StriaePhotosPage  *self);
StriaePhotoCompare *striae_photos_page_get_compare    (StriaePhotosPage  *self);

G_END_DECLS
