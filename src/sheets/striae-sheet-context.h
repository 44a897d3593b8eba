/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  STRIAE_PAPER_A4,
  STRIAE_PAPER_US_LETTER,
} StriaePaperSize;

#define STRIAE_SHEET_BODY_SIZE_MIN      12.0
#define STRIAE_SHEET_BODY_SIZE_MAX      20.0
#define STRIAE_SHEET_BODY_SIZE_DEFAULT  13.0
#define STRIAE_SHEET_EXTRA_ITEM_MAX     2000

#define STRIAE_TYPE_SHEET_CONTEXT (striae_sheet_context_get_type ())

G_DECLARE_FINAL_TYPE (StriaeSheetContext, striae_sheet_context, STRIAE, SHEET_CONTEXT, GObject)

StriaeSheetContext  *striae_sheet_context_new             (void);

void                 striae_sheet_context_set_value       (StriaeSheetContext  *self,
                                                           const char          *name,
                                                           const char          *value);
const char          *striae_sheet_context_get_value       (StriaeSheetContext  *self,
                                                           const char          *name);

void                 striae_sheet_context_set_fact        (StriaeSheetContext  *self,
                                                           const char          *fact,
                                                           gboolean             holds);
gboolean             striae_sheet_context_has_fact        (StriaeSheetContext  *self,
                                                           const char          *fact);

void                 striae_sheet_context_set_patient     (StriaeSheetContext  *self,
                                                           const char          *name,
                                                           const GDate         *birth_date);
const GDate         *striae_sheet_context_get_birth_date  (StriaeSheetContext  *self);
void                 striae_sheet_context_set_date        (StriaeSheetContext  *self,
                                                           const GDate         *date);
const GDate         *striae_sheet_context_get_date        (StriaeSheetContext  *self);

void                 striae_sheet_context_set_clinic      (StriaeSheetContext  *self,
                                                           const char          *name,
                                                           const char          *address,
                                                           const char          *phone,
                                                           const char          *email,
                                                           const char          *logo_path);
const char          *striae_sheet_context_get_logo_path   (StriaeSheetContext  *self);

void                 striae_sheet_context_add_session     (StriaeSheetContext  *self,
                                                           const GDate         *date,
                                                           const char          *label);
gboolean             striae_sheet_context_add_session_iso (StriaeSheetContext  *self,
                                                           const char          *iso_date,
                                                           const char          *label,
                                                           GError             **error);
void                 striae_sheet_context_clear_sessions  (StriaeSheetContext  *self);
guint                striae_sheet_context_get_n_sessions  (StriaeSheetContext  *self);
const GDate         *striae_sheet_context_get_session     (StriaeSheetContext  *self,
                                                           guint                index,
                                                           const char         **label);

void                 striae_sheet_context_add_extra_item  (StriaeSheetContext  *self,
                                                           const char          *section_id,
                                                           const char          *text);
guint                striae_sheet_context_get_n_extra_items (StriaeSheetContext *self);
const char          *striae_sheet_context_get_extra_item  (StriaeSheetContext  *self,
                                                           guint                index,
                                                           const char         **section_id);

void                 striae_sheet_context_strike          (StriaeSheetContext  *self,
                                                           const char          *id);
gboolean             striae_sheet_context_is_struck       (StriaeSheetContext  *self,
                                                           const char          *id);
char               **striae_sheet_context_dup_struck_ids  (StriaeSheetContext  *self);

/* Photos a <photos> element prints (issue 18): passed in by whoever reads the records, so
 * that the sheets know no store; in memory only, never in a file. */
void                 striae_sheet_context_set_photos_allowed (StriaeSheetContext *self,
                                                              gboolean            allowed);
gboolean             striae_sheet_context_get_photos_allowed (StriaeSheetContext *self);
void                 striae_sheet_context_add_photo       (StriaeSheetContext  *self,
                                                           const char          *element_id,
                                                           GBytes              *image,
                                                           const char          *caption,
                                                           gboolean             new_row);
guint                striae_sheet_context_get_n_photos    (StriaeSheetContext  *self);
GBytes              *striae_sheet_context_get_photo       (StriaeSheetContext  *self,
                                                           guint                index,
                                                           const char         **element_id,
                                                           const char         **caption,
                                                           gboolean            *new_row);

void                 striae_sheet_context_set_paper       (StriaeSheetContext  *self,
                                                           StriaePaperSize      paper);
StriaePaperSize      striae_sheet_context_get_paper       (StriaeSheetContext  *self);
void                 striae_sheet_context_set_language    (StriaeSheetContext  *self,
                                                           const char          *language);
const char          *striae_sheet_context_get_language    (StriaeSheetContext  *self);
void                 striae_sheet_context_set_body_size   (StriaeSheetContext  *self,
                                                           double               points);
double               striae_sheet_context_get_body_size   (StriaeSheetContext  *self);

G_END_DECLS
