/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>

#include "striae-photo.h"
#include "striae-sheet-context.h"
#include "striae-sheet-template.h"
#include "striae-sheet.h"

G_BEGIN_DECLS

/* The parsed document, shared by the loader and the composer. */

typedef enum
{
  STRIAE_NODE_SECTION,
  STRIAE_NODE_PARAGRAPH,
  STRIAE_NODE_LIST,
  STRIAE_NODE_ITEM,
  STRIAE_NODE_SESSIONS,
  STRIAE_NODE_SIGNATURE,
  STRIAE_NODE_PHOTOS,
} StriaeNodeKind;

/* Which of the patient's photos a <photos> element prints (FORMAT.md, issue 18). */
typedef enum
{
  STRIAE_PHOTOS_FIRST_LATEST,   /* each area's first photo and its latest, side by side */
  STRIAE_PHOTOS_LATEST,         /* each area's latest photo */
  STRIAE_PHOTOS_ALL_BEFORE,     /* each area's photos, oldest first */
} StriaePhotosWhich;

/* A stretch of text, with its placeholders still in it, printed bold or not. */
typedef struct
{
  char     *text;
  gboolean  bold;
} StriaeRun;

typedef struct _StriaeNode StriaeNode;

struct _StriaeNode
{
  StriaeNodeKind  kind;
  char           *id;
  char           *condition;     /* as written, or NULL */
  char          **terms;         /* the condition's facts, "!" prefixed when negated */
  int             line;
  StriaeNode     *parent;
  GPtrArray      *runs;          /* StriaeRun: the text of a paragraph, item or signature */
  GPtrArray      *title;         /* StriaeRun: a section's heading */
  GPtrArray      *label_heading; /* StriaeRun: sessions table, first column */
  GPtrArray      *date_heading;  /* StriaeRun: sessions table, second column */
  GPtrArray      *empty;         /* StriaeRun: sessions table without rows, or NULL */
  gboolean        upcoming;      /* sessions table: only the rows after the sheet's day */
  StriaePhotosWhich which;       /* photos: which ones */
  GPtrArray      *children;      /* StriaeNode */
};

/* The words a sheet prints around its content (header, footer, signature lines, session
 * rows), in the order of the keys of <labels>; see FORMAT.md. */
typedef enum
{
  STRIAE_LABEL_PAGE,
  STRIAE_LABEL_PATIENT,
  STRIAE_LABEL_BIRTH_DATE,
  STRIAE_LABEL_DATE,
  STRIAE_LABEL_SIGNATURE,
  STRIAE_LABEL_SIGNATURE_DATE,
  STRIAE_LABEL_SIGNATURE_TYPED,
  STRIAE_LABEL_SESSION,
  STRIAE_LABEL_MAINTENANCE,
  /* The words the composer puts into placeholders ({plan.treatment}, {plan.areas} …). */
  STRIAE_LABEL_TREATMENT,
  STRIAE_LABEL_TREATMENT_RF,
  STRIAE_LABEL_WEEK,
  STRIAE_LABEL_WEEKS,
  STRIAE_LABEL_EVERY_MONTH,
  STRIAE_LABEL_EVERY_MONTHS,
  STRIAE_LABEL_DEPTH,
  STRIAE_LABEL_DECIMAL_MARK,
  STRIAE_LABEL_AND,
  STRIAE_LABEL_AREA_ABDOMEN,
  STRIAE_LABEL_AREA_BREASTS,
  STRIAE_LABEL_AREA_HIPS,
  STRIAE_LABEL_AREA_FLANKS,
  STRIAE_LABEL_AREA_THIGHS,
  STRIAE_LABEL_AREA_BUTTOCKS,
  STRIAE_LABEL_AREA_UPPER_ARMS,
  STRIAE_LABEL_AREA_INNER_ARMS,
  STRIAE_LABEL_AREA_LOWER_BACK,
  STRIAE_LABEL_AREA_OTHER,
  STRIAE_LABEL_AREA_BREASTS_LEFT,
  STRIAE_LABEL_AREA_BREASTS_RIGHT,
  STRIAE_LABEL_AREA_BREASTS_BOTH,
  STRIAE_LABEL_AREA_HIPS_LEFT,
  STRIAE_LABEL_AREA_HIPS_RIGHT,
  STRIAE_LABEL_AREA_HIPS_BOTH,
  STRIAE_LABEL_AREA_FLANKS_LEFT,
  STRIAE_LABEL_AREA_FLANKS_RIGHT,
  STRIAE_LABEL_AREA_FLANKS_BOTH,
  STRIAE_LABEL_AREA_THIGHS_LEFT,
  STRIAE_LABEL_AREA_THIGHS_RIGHT,
  STRIAE_LABEL_AREA_THIGHS_BOTH,
  STRIAE_LABEL_AREA_BUTTOCKS_LEFT,
  STRIAE_LABEL_AREA_BUTTOCKS_RIGHT,
  STRIAE_LABEL_AREA_BUTTOCKS_BOTH,
  STRIAE_LABEL_AREA_UPPER_ARMS_LEFT,
  STRIAE_LABEL_AREA_UPPER_ARMS_RIGHT,
  STRIAE_LABEL_AREA_UPPER_ARMS_BOTH,
  STRIAE_LABEL_AREA_INNER_ARMS_LEFT,
  STRIAE_LABEL_AREA_INNER_ARMS_RIGHT,
  STRIAE_LABEL_AREA_INNER_ARMS_BOTH,
  /* The captions under photos (<photos>). */
  STRIAE_LABEL_PHOTO_CONSULTATION,
  STRIAE_LABEL_PHOTO_BEFORE,
  STRIAE_N_LABELS,
} StriaeLabel;

typedef struct
{
  char       *date_format;
  char       *labels[STRIAE_N_LABELS]; /* as written, or NULL for the English default */
  char       *months[12];
  char       *weekdays[7];
  GPtrArray  *title;            /* StriaeRun */
  char       *default_section;
  GPtrArray  *sections;         /* StriaeNode */
  GHashTable *ids;              /* id → StriaeNode (borrowed) */
} StriaeDocument;

const StriaeDocument *_striae_sheet_template_get_document (StriaeSheetTemplate *self);
char                 *_striae_document_format_date        (const StriaeDocument *document,
                                                           const GDate          *date,
                                                           gboolean              weekday);

const char           *_striae_document_get_label          (const StriaeDocument *document,
                                                           StriaeLabel           label);
char                 *_striae_document_format_label       (const StriaeDocument *document,
                                                           StriaeLabel           label,
                                                           guint                 first,
                                                           guint                 second);

gboolean              _striae_sheet_node_visible          (StriaeNode           *node,
                                                           StriaeSheetContext   *context);

/* The patient's photos on a sheet (striae-sheet-photos.c, issue 18). */
GPtrArray            *_striae_sheet_photos_select         (GPtrArray            *photos,
                                                           StriaePhotosWhich     which,
                                                           gint64                consultation_id,
                                                           const GDate          *until);
gboolean              _striae_sheet_photos_same_area      (StriaePhoto          *a,
                                                           StriaePhoto          *b);
cairo_surface_t      *_striae_sheet_photo_surface_new     (GBytes               *image,
                                                           double                box_width,
                                                           double                box_height,
                                                           double               *width,
                                                           double               *height,
                                                           GError              **error);

GHashTable           *_striae_sheet_context_get_values    (StriaeSheetContext   *context);
GHashTable           *_striae_sheet_template_dup_values   (StriaeSheetTemplate  *self,
                                                           StriaeSheetContext   *context);

/* For the benchmark: the text of every laid-out line of a page, in reading order, with its
 * position and size, so that the same page can be drawn with bare Cairo. */
typedef struct
{
  char   *text;
  double  x;
  double  baseline;
  double  size;
  gboolean bold;
} StriaeSheetLine;

/* What the sheets made from one template share (striae-sheet.c): the Pango context of each
 * language and the laid-out text that comes out the same for every patient, so that a stack
 * of sheets shapes the template's paragraphs once. Owned by the template. */
typedef struct _StriaeSheetCache StriaeSheetCache;

StriaeSheetCache *_striae_sheet_cache_new            (void);
void              _striae_sheet_cache_free           (StriaeSheetCache    *cache);
StriaeSheetCache *_striae_sheet_template_get_cache   (StriaeSheetTemplate *self);

GArray *_striae_sheet_collect_lines (StriaeSheet *self,
                                     guint        page);

/* Reads a run's text as the sheets do: literal text goes to @text (a doubled brace as one
 * brace, an unpaired brace as it is), and each {name} to @placeholder. */
typedef void (*StriaeTextFunc)        (const char *text,
                                       gsize       length,
                                       gpointer    user_data);
typedef void (*StriaePlaceholderFunc) (const char *name,
                                       gpointer    user_data);

/* The sheets' resources, also while another thread registers them (striae-sheet-template.c). */
GResource *_striae_sheets_resource (void);

/* Each file whole under its name or absent (striae-sheet-files.c). */
gboolean _striae_sheet_check_pdf_path (const char  *path,
                                       GError     **error);
gboolean _striae_sheet_write_files (GBytes * const      *contents,
                                    const char * const  *paths,
                                    guint                n_files,
                                    guint               *n_written,
                                    GError             **error);

void _striae_sheet_text_expand (const char            *text,
                                StriaeTextFunc         on_text,
                                StriaePlaceholderFunc  on_placeholder,
                                gpointer               user_data);

G_END_DECLS
