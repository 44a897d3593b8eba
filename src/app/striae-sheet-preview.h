/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "striae-consultation.h"
#include "striae-patient.h"
#include "striae-sheet.h"
#include "striae-store.h"

G_BEGIN_DECLS

#define STRIAE_TYPE_SHEET_PREVIEW (striae_sheet_preview_get_type ())

/* A window showing one of a consultation's sheets as it will print, with page navigation,
 * zoom, "Print…" (the print dialog) and "Export PDF…". It emits "delivered" (action "print"
 * or "export", the sheet's template name, the printer or file) after a sheet went out, for
 * the audit log. */
G_DECLARE_FINAL_TYPE (StriaeSheetPreview, striae_sheet_preview, STRIAE, SHEET_PREVIEW, AdwWindow)

StriaeSheetPreview *striae_sheet_preview_new            (GtkWindow          *parent,
                                                         StriaePatient      *patient,
                                                         StriaeConsultation *consultation,
                                                         const char         *sheet_name);

const char         *striae_sheet_preview_get_sheet_name (StriaeSheetPreview *self);
void                striae_sheet_preview_set_sheet_name (StriaeSheetPreview *self,
                                                         const char         *sheet_name);
void                striae_sheet_preview_set_language   (StriaeSheetPreview *self,
                                                         const char         *language);
void                striae_sheet_preview_set_override_dir (StriaeSheetPreview *self,
                                                         const char         *override_dir);
StriaeSheet        *striae_sheet_preview_get_sheet      (StriaeSheetPreview *self);
guint               striae_sheet_preview_get_page       (StriaeSheetPreview *self);
double              striae_sheet_preview_get_zoom       (StriaeSheetPreview *self);
StriaeStore        *striae_sheet_preview_get_store      (StriaeSheetPreview *self);
void                striae_sheet_preview_set_store      (StriaeSheetPreview *self,
                                                         StriaeStore        *store);

char               *striae_sheet_preview_dup_file_name  (StriaeSheetPreview *self);
GtkPrintSettings   *striae_sheet_preview_new_print_settings (StriaeSheetPreview *self);

gboolean            striae_sheet_preview_export_to_file (StriaeSheetPreview  *self,
                                                         const char          *path,
                                                         GError             **error);

G_END_DECLS
