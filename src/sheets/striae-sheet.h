/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include <glib-object.h>

#include "striae-sheet-context.h"
#include "striae-sheet-template.h"

G_BEGIN_DECLS

#define STRIAE_TYPE_SHEET (striae_sheet_get_type ())

G_DECLARE_FINAL_TYPE (StriaeSheet, striae_sheet, STRIAE, SHEET, GObject)

StriaeSheet         *striae_sheet_new             (StriaeSheetTemplate  *template,
                                                   StriaeSheetContext   *context,
                                                   GError              **error);

StriaeSheetTemplate *striae_sheet_get_template    (StriaeSheet          *self);
const char          *striae_sheet_get_title       (StriaeSheet          *self);
guint                striae_sheet_get_n_pages     (StriaeSheet          *self);
void                 striae_sheet_get_page_size   (StriaeSheet          *self,
                                                   double               *width,
                                                   double               *height);
void                 striae_sheet_draw_page       (StriaeSheet          *self,
                                                   cairo_t              *cr,
                                                   guint                 page);
void                 striae_sheet_set_draft       (StriaeSheet          *self,
                                                   const char           *reason);
gboolean             striae_sheet_get_draft       (StriaeSheet          *self);
const char          *striae_sheet_get_draft_reason (StriaeSheet         *self);
gboolean             striae_sheet_check_final     (StriaeSheet          *self,
                                                   GError              **error);
gboolean             striae_sheet_has_item        (StriaeSheet          *self,
                                                   const char           *id);
const char * const  *striae_sheet_get_warnings    (StriaeSheet          *self);

char                *striae_sheet_dup_content_text (StriaeSheet         *self);
char                *striae_sheet_dup_content_hash (StriaeSheet         *self);
void                 striae_sheet_set_signatures  (StriaeSheet          *self,
                                                   GPtrArray            *signatures);

gboolean             striae_sheet_export_pdf      (StriaeSheet          *self,
                                                   const char           *path,
                                                   GError              **error);
gboolean             striae_sheet_export_pdf_many (StriaeSheet * const  *sheets,
                                                   guint                 n_sheets,
                                                   const char           *path,
                                                   GError              **error);
gboolean             striae_sheet_export_pdf_each (StriaeSheet * const  *sheets,
                                                   const char * const   *paths,
                                                   guint                 n_sheets,
                                                   guint                *n_written,
                                                   GError              **error);
GBytes              *striae_sheet_render_pdf      (StriaeSheet          *self,
                                                   GError              **error);
GBytes              *striae_sheet_render_pdf_sharing (StriaeSheet       *self,
                                                      GMutex            *fonts,
                                                      GError           **error);
void                 striae_sheet_release_thread_fonts (void);
gboolean             striae_sheet_write_pdfs      (GBytes * const       *pdfs,
                                                   const char * const   *paths,
                                                   guint                 n_files,
                                                   guint                *n_written,
                                                   GError              **error);

G_END_DECLS
