/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "striae-sheet-context.h"

G_BEGIN_DECLS

#define STRIAE_SHEET_SOURCE_BUILT_IN "built-in"

#define STRIAE_TYPE_SHEET_TEMPLATE (striae_sheet_template_get_type ())

G_DECLARE_FINAL_TYPE (StriaeSheetTemplate, striae_sheet_template, STRIAE, SHEET_TEMPLATE, GObject)

StriaeSheetTemplate *striae_sheet_template_load            (const char          *name,
                                                            const char          *language,
                                                            const char          *override_dir,
                                                            const char * const  *placeholders,
                                                            const char * const  *facts,
                                                            char               **warning,
                                                            GError             **error);
StriaeSheetTemplate *striae_sheet_template_new_from_data   (const char          *data,
                                                            gssize               length,
                                                            const char          *filename,
                                                            const char * const  *placeholders,
                                                            const char * const  *facts,
                                                            GError             **error);
StriaeSheetTemplate *striae_sheet_template_new_from_file   (const char          *path,
                                                            const char * const  *placeholders,
                                                            const char * const  *facts,
                                                            GError             **error);
char                *striae_sheet_template_dup_default_override_dir (void);

const char          *striae_sheet_template_get_name        (StriaeSheetTemplate *self);
const char          *striae_sheet_template_get_language    (StriaeSheetTemplate *self);
const char          *striae_sheet_template_get_source      (StriaeSheetTemplate *self);
gboolean             striae_sheet_template_is_built_in     (StriaeSheetTemplate *self);
char                *striae_sheet_template_dup_title       (StriaeSheetTemplate *self);
char               **striae_sheet_template_dup_ids         (StriaeSheetTemplate *self);
gboolean             striae_sheet_template_has_id          (StriaeSheetTemplate *self,
                                                            const char          *id);
char                *striae_sheet_template_dup_item_text   (StriaeSheetTemplate *self,
                                                            const char          *id);
char                *striae_sheet_template_dup_item_text_filled (StriaeSheetTemplate *self,
                                                            const char          *id,
                                                            StriaeSheetContext  *context);
const char          *striae_sheet_template_get_item_condition (StriaeSheetTemplate *self,
                                                            const char          *id);
gboolean             striae_sheet_template_is_item         (StriaeSheetTemplate *self,
                                                            const char          *id);
gboolean             striae_sheet_template_item_holds      (StriaeSheetTemplate *self,
                                                            const char          *id,
                                                            const char * const  *facts);
const char          *striae_sheet_template_get_item_section (StriaeSheetTemplate *self,
                                                            const char          *id);
const char          *striae_sheet_template_get_label       (StriaeSheetTemplate *self,
                                                            const char          *key);
gboolean             striae_sheet_template_has_label       (StriaeSheetTemplate *self,
                                                            const char          *key);
char                *striae_sheet_template_dup_session_label (StriaeSheetTemplate *self,
                                                            guint                number);

G_END_DECLS
