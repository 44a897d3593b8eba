/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "striae-sheet-template.h"

G_BEGIN_DECLS

#define STRIAE_TYPE_SHEET_TEMPLATES (striae_sheet_templates_get_type ())

G_DECLARE_FINAL_TYPE (StriaeSheetTemplates, striae_sheet_templates, STRIAE, SHEET_TEMPLATES,
                      GObject)

StriaeSheetTemplates *striae_sheet_templates_new  (void);

StriaeSheetTemplate  *striae_sheet_templates_load (StriaeSheetTemplates  *self,
                                                   const char            *name,
                                                   const char            *language,
                                                   const char            *override_dir,
                                                   const char * const    *facts,
                                                   char                 **warning,
                                                   GError               **error);

G_END_DECLS
