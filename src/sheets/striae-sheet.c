/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <cairo-pdf.h>
#include <glib/gi18n.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "striae-consent-signature.h"
#include "striae-patient.h"
#include "striae-sheet-error.h"
#include "striae-sheet-private.h"

/* Page geometry, in points (1/72 inch).  CLINICAL.md "Patient sheets: readable print":
 * body text 12 pt or more, left aligned, line spacing about 1.5, at most about 70 characters a
 * line, black on white, bold (never italics or capitals) for emphasis. */
#define A4_WIDTH            595.2756
#define A4_HEIGHT           841.8898
#define LETTER_WIDTH        612.0
#define LETTER_HEIGHT       792.0
#define MARGIN_SIDE         56.7     /* 20 mm */
#define MARGIN_TOP          36.0     /* 12.7 mm (half an inch): inside every printer's margin */
#define MARGIN_BOTTOM       36.0
#define LINE_SPACING        1.4
#define MEASURE_CHARS       70       /* average characters a line: at most about 70 */
#define SMALL_SIZE          12.0     /* header, footer and captions: still 12 pt */
#define BULLET_INDENT       20.0
#define CELL_PADDING        4.0
#define SIGNATURE_SPACE     40.0
#define PHOTO_GAP           14.0     /* between two photos of a row */
#define PHOTO_MAX_HEIGHT    230.0    /* a photo's height at most: two rows fit on a page */
#define BLANK               "____________"
#define NO_BREAK_SPACE      "\xc2\xa0"   /* U+00A0 in UTF-8 */

typedef enum
{
  BLOCK_TITLE,
  BLOCK_HEADING,
  BLOCK_PARAGRAPH,
  BLOCK_BULLET,
  BLOCK_TABLE_HEADER,
  BLOCK_TABLE_ROW,
  BLOCK_SIGNATURE,
  BLOCK_PHOTOS,
} BlockKind;

typedef struct
{
  BlockKind    kind;
  PangoLayout *layout;         /* the text; a table's first column */
  PangoLayout *layout2;        /* a table's second column; a signature's captions */
  double       space_before;
  double       height;
  gboolean     keep_with_next;
  gboolean     splittable;
  int          n_lines;
  double      *line_top;       /* n_lines + 1 entries; the last is the layout's height */
  int          table_header;   /* rows: index of their table's header block, else -1 */
  const char  *id;             /* a signature's id in the template (which outlives it) */
  /* A row of photos: one or two images, their printed sizes; their captions are layout and
   * layout2. */
  cairo_surface_t *images[2];
  double       image_width[2];
  double       image_height[2];
} Block;

typedef struct
{
  guint  block;
  int    line_start;
  int    line_end;
  double y;
} Placement;

struct _StriaeSheet
{
  GObject              parent_instance;

  StriaeSheetTemplate *template;
  StriaeSheetCache    *cache;       /* the template's, NULL in another thread's font map */
  PangoContext        *pango;
  GHashTable          *values;      /* placeholder → text, dates already formatted */
  GHashTable          *printed;     /* ids that made it onto the sheet */
  GPtrArray           *warnings;
  char                *title;
  char                *language;

  double               page_width;
  double               page_height;
  double               text_width;
  double               left;        /* the text column's left edge */
  double               body_size;

  GArray              *blocks;      /* Block */
  GPtrArray           *pages;       /* GArray of Placement */

  PangoLayout         *clinic_layout;
  PangoLayout         *patient_layout;
  PangoLayout         *running_layout;
  cairo_surface_t     *logo;
  double               logo_width;
  double               logo_height;
  double               first_top;   /* where the body starts on page 1 */
  double               other_top;   /* … and on the following pages */
  double               body_bottom;
  char                *draft_reason;  /* what the sheet lacks to be given; NULL if nothing */
  /* The consent's signatures given on the screen (StriaeConsentSignature) that match this
   * sheet's text, drawn on their lines (striae_sheet_set_signatures()). */
  GPtrArray           *signatures;
};

G_DEFINE_FINAL_TYPE (StriaeSheet, striae_sheet, G_TYPE_OBJECT)

/* ---------------------------------------------------------------------------------------- */
/* What the sheets of one template share                                                     */

/* A stack of sheets lays out the same paragraphs for every patient: the first sheet shapes
 * them and the others take the same laid-out PangoLayout, which no sheet changes afterwards.
 * The entries were made with one thread's default font map (Pango gives each thread its
 * own); a sheet made in another thread makes its own. The number of entries is bounded, as
 * the text of a patient's own lines (name, dates) differs from sheet to sheet. */
#define CACHE_MAX_LAYOUTS 2048

struct _StriaeSheetCache
{
  GMutex        lock;
  PangoFontMap *font_map;
  GHashTable   *contexts;     /* language → PangoContext */
  GHashTable   *layouts;      /* key (see text_layout()) → PangoLayout */
};

StriaeSheetCache *
_striae_sheet_cache_new (void)
{
  StriaeSheetCache *cache = g_new0 (StriaeSheetCache, 1);

  g_mutex_init (&cache->lock);
  cache->contexts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  cache->layouts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  return cache;
}

void
_striae_sheet_cache_free (StriaeSheetCache *cache)
{
  g_hash_table_unref (cache->layouts);
  g_hash_table_unref (cache->contexts);
  g_mutex_clear (&cache->lock);
  g_free (cache);
}

/* The template's cache when this thread's font map is the one its entries were made with. */
static StriaeSheetCache *
usable_cache (StriaeSheetTemplate *template)
{
  StriaeSheetCache *cache = _striae_sheet_template_get_cache (template);
  PangoFontMap *font_map = pango_cairo_font_map_get_default ();
  gboolean usable;

  g_mutex_lock (&cache->lock);
  if (cache->font_map == NULL)
    cache->font_map = font_map;
  usable = cache->font_map == font_map;
  g_mutex_unlock (&cache->lock);

  return usable ? cache : NULL;
}

/* Layout in points, without hinting, so the preview at any zoom, the printer and the PDF
 * break every line at the same place. */
static PangoContext *
new_context (const char *language)
{
  PangoContext *pango = pango_font_map_create_context (pango_cairo_font_map_get_default ());
  cairo_font_options_t *options = cairo_font_options_create ();

  pango_cairo_context_set_resolution (pango, 72.0);
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (pango, options);
  cairo_font_options_destroy (options);
  pango_context_set_language (pango, pango_language_from_string (language));
  pango_context_set_base_dir (pango, PANGO_DIRECTION_LTR);
  pango_context_set_round_glyph_positions (pango, FALSE);
  return pango;
}

/* The context for @language: the cache's, which no sheet changes, or a new one. */
static PangoContext *
get_context (StriaeSheetCache *cache,
             const char       *language)
{
  PangoContext *pango;

  if (cache == NULL)
    return new_context (language);

  g_mutex_lock (&cache->lock);
  pango = g_hash_table_lookup (cache->contexts, language);
  if (pango == NULL)
    {
      pango = new_context (language);
      g_hash_table_insert (cache->contexts, g_strdup (language), pango);
    }
  g_object_ref (pango);
  g_mutex_unlock (&cache->lock);

  return pango;
}


static void
block_clear (gpointer data)
{
  Block *block = data;

  g_clear_object (&block->layout);
  g_clear_object (&block->layout2);
  g_clear_pointer (&block->line_top, g_free);
  g_clear_pointer (&block->images[0], cairo_surface_destroy);
  g_clear_pointer (&block->images[1], cairo_surface_destroy);
}

static void
striae_sheet_finalize (GObject *object)
{
  StriaeSheet *self = (StriaeSheet *)object;

  g_clear_object (&self->pango);
  g_clear_object (&self->template);
  g_clear_pointer (&self->values, g_hash_table_unref);
  g_clear_pointer (&self->printed, g_hash_table_unref);
  g_clear_pointer (&self->warnings, g_ptr_array_unref);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->language, g_free);
  g_clear_pointer (&self->draft_reason, g_free);
  g_clear_pointer (&self->signatures, g_ptr_array_unref);
  g_clear_pointer (&self->blocks, g_array_unref);
  g_clear_pointer (&self->pages, g_ptr_array_unref);
  g_clear_object (&self->clinic_layout);
  g_clear_object (&self->patient_layout);
  g_clear_object (&self->running_layout);
  g_clear_pointer (&self->logo, cairo_surface_destroy);

  G_OBJECT_CLASS (striae_sheet_parent_class)->finalize (object);
}

static void
striae_sheet_class_init (StriaeSheetClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = striae_sheet_finalize;
}

static void
striae_sheet_init (StriaeSheet *self)
{
  self->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->printed = g_hash_table_new (g_str_hash, g_str_equal);
  self->warnings = g_ptr_array_new_with_free_func (g_free);
  self->blocks = g_array_new (FALSE, TRUE, sizeof (Block));
  g_array_set_clear_func (self->blocks, block_clear);
  self->pages = g_ptr_array_new_with_free_func ((GDestroyNotify)g_array_unref);
}

/* ---------------------------------------------------------------------------------------- */
/* Text                                                                                      */

typedef struct
{
  StriaeSheet *self;
  GString     *markup;
} Substitution;

static void
substitute_text (const char *text,
                 gsize       length,
                 gpointer    user_data)
{
  Substitution *sub = user_data;
  g_autofree char *escaped = g_markup_escape_text (text, length);

  g_string_append (sub->markup, escaped);
}

static void
substitute_placeholder (const char *name,
                        gpointer    user_data)
{
  Substitution *sub = user_data;
  const char *value = g_hash_table_lookup (sub->self->values, name);
  g_autofree char *escaped = NULL;

  /* A short value (a phone number, "1.0 mm", a name) reads badly when broken over two
   * lines: keep it together. */
  if (value != NULL && g_utf8_strlen (value, -1) <= 24)
    {
      g_auto(GStrv) words = g_strsplit (value, " ", -1);
      g_autofree char *joined = g_strjoinv ("\xc2\xa0", words);

      escaped = g_markup_escape_text (joined, -1);
    }
  else
    escaped = g_markup_escape_text (value != NULL ? value : BLANK, -1);
  g_string_append (sub->markup, escaped);
}

/* Replaces each {name} by its escaped value; a value nobody supplied becomes a blank line to
 * fill in by hand rather than a stray "{plan.needle_depth}". */
static void
append_substituted (StriaeSheet *self,
                    GString     *markup,
                    const char  *text)
{
  Substitution sub = { self, markup };

  _striae_sheet_text_expand (text, substitute_text, substitute_placeholder, &sub);
}

static char *
runs_to_markup (StriaeSheet *self,
                GPtrArray   *runs)
{
  GString *markup = g_string_new (NULL);

  for (guint i = 0; runs != NULL && i < runs->len; i++)
    {
      StriaeRun *run = g_ptr_array_index (runs, i);
      g_autofree char *text = g_strdup (run->text);

      /* White space at the very start and end of an element is layout of the XML file. */
      if (i == 0)
        g_strchug (text);
      if (i == runs->len - 1)
        g_strchomp (text);
      if (run->bold)
        g_string_append (markup, "<b>");
      append_substituted (self, markup, text);
      if (run->bold)
        g_string_append (markup, "</b>");
    }
  return g_string_free (markup, FALSE);
}

static PangoLayout *
new_layout (StriaeSheet *self,
            double       size,
            gboolean     bold,
            double       width,
            double       spacing)
{
  PangoLayout *layout = pango_layout_new (self->pango);
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string ("Sans");
  PangoAttrList *attrs = pango_attr_list_new ();

  pango_font_description_set_size (font, (int)(size * PANGO_SCALE));
  if (bold)
    pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, (int)(width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment (layout, PANGO_ALIGN_LEFT);
  if (spacing > 0)
    pango_layout_set_line_spacing (layout, spacing);
  /* Hyphens inserted by the line breaker would make words harder to read and to search. */
  pango_attr_list_insert (attrs, pango_attr_insert_hyphens_new (FALSE));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  return layout;
}

static void
set_markup (PangoLayout *layout,
            const char  *markup)
{
  PangoAttrList *base = pango_layout_get_attributes (layout);
  PangoAttrList *attrs = NULL;
  g_autofree char *text = NULL;

  /* The markup is built from escaped text, so it always parses; the attribute list keeps our
   * "no hyphens" setting next to the bold runs. */
  if (!pango_parse_markup (markup, -1, 0, &attrs, &text, NULL, NULL))
    {
      pango_layout_set_text (layout, markup, -1);
      return;
    }
  if (base != NULL)
    pango_attr_list_insert (attrs, pango_attr_insert_hyphens_new (FALSE));
  pango_layout_set_text (layout, text, -1);
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
}

/* A layout of @markup, laid out: the cache's when a sheet of the template already made the
 * same one, which is then only read (measured, drawn), never changed. A negative @width
 * means no wrapping. */
static PangoLayout *
text_layout (StriaeSheet *self,
             double       size,
             gboolean     bold,
             double       width,
             double       spacing,
             const char  *markup)
{
  g_autofree char *key = NULL;
  PangoLayout *layout = NULL;

  if (self->cache != NULL)
    {
      key = g_strdup_printf ("%s\x1f%a\x1f%d\x1f%a\x1f%a\x1f%s", self->language, size, bold,
                             width < 0 ? -1.0 : width, spacing, markup);
      g_mutex_lock (&self->cache->lock);
      layout = g_hash_table_lookup (self->cache->layouts, key);
      if (layout != NULL)
        g_object_ref (layout);
      g_mutex_unlock (&self->cache->lock);
      if (layout != NULL)
        return layout;
    }

  layout = new_layout (self, size, bold, width, spacing);
  if (width < 0)
    pango_layout_set_width (layout, -1);
  set_markup (layout, markup);
  /* Lines are broken now, so that a shared layout is only read from here on. */
  pango_layout_get_line_count (layout);

  if (self->cache != NULL)
    {
      g_mutex_lock (&self->cache->lock);
      if (g_hash_table_size (self->cache->layouts) < CACHE_MAX_LAYOUTS &&
          !g_hash_table_contains (self->cache->layouts, key))
        g_hash_table_insert (self->cache->layouts, g_steal_pointer (&key),
                             g_object_ref (layout));
      g_mutex_unlock (&self->cache->lock);
    }

  return layout;
}

static double
layout_height (PangoLayout *layout)
{
  int height;

  pango_layout_get_size (layout, NULL, &height);
  return (double)height / PANGO_SCALE;
}

/* ---------------------------------------------------------------------------------------- */
/* Composition: the template's elements that hold for this patient, as blocks                */

static gboolean
condition_holds (StriaeNode         *node,
                 StriaeSheetContext *context)
{
  for (guint i = 0; node->terms != NULL && node->terms[i] != NULL; i++)
    {
      const char *term = node->terms[i];
      gboolean negate = term[0] == '!';

      if (striae_sheet_context_has_fact (context, negate ? term + 1 : term) == negate)
        return FALSE;
    }
  return TRUE;
}

gboolean
_striae_sheet_node_visible (StriaeNode         *node,
                            StriaeSheetContext *context)
{
  for (; node != NULL; node = node->parent)
    {
      if (!condition_holds (node, context))
        return FALSE;
      if (node->id != NULL && striae_sheet_context_is_struck (context, node->id))
        return FALSE;
    }
  return TRUE;
}

static void
measure_block (Block *block)
{
  PangoLayoutIter *iter;
  int i = 0;

  block->n_lines = pango_layout_get_line_count (block->layout);
  block->line_top = g_new0 (double, block->n_lines + 1);
  iter = pango_layout_get_iter (block->layout);
  do
    {
      int y0;

      pango_layout_iter_get_line_yrange (iter, &y0, NULL);
      block->line_top[i++] = (double)y0 / PANGO_SCALE;
    }
  while (pango_layout_iter_next_line (iter) && i < block->n_lines);
  pango_layout_iter_free (iter);
  block->line_top[block->n_lines] = layout_height (block->layout);
}

static Block *
add_text_block (StriaeSheet *self,
                BlockKind    kind,
                const char  *markup)
{
  Block block = { 0 };
  double size = self->body_size;
  gboolean bold = FALSE;
  double width = self->text_width;

  block.kind = kind;
  block.table_header = -1;
  switch (kind)
    {
    case BLOCK_TITLE:
      size = self->body_size + 9;
      bold = TRUE;
      block.keep_with_next = TRUE;
      break;
    case BLOCK_HEADING:
      size = self->body_size + 3;
      bold = TRUE;
      block.space_before = self->body_size * 1.0;
      block.keep_with_next = TRUE;
      break;
    case BLOCK_PARAGRAPH:
      block.space_before = self->body_size * 0.6;
      block.splittable = TRUE;
      break;
    case BLOCK_BULLET:
      block.space_before = self->body_size * 0.35;
      block.splittable = TRUE;
      width -= BULLET_INDENT;
      break;
    case BLOCK_SIGNATURE:
      block.space_before = self->body_size * 1.2;
      break;
    case BLOCK_TABLE_HEADER:
    case BLOCK_TABLE_ROW:
    default:
      g_assert_not_reached ();
    }

  block.layout = text_layout (self, size, bold, width,
                              kind == BLOCK_TITLE ? 1.2 : LINE_SPACING, markup);
  measure_block (&block);
  block.height = block.line_top[block.n_lines];
  /* Only a long paragraph is split over two pages; a short one moves whole. */
  block.splittable = block.splittable && block.n_lines >= 6;

  if (kind == BLOCK_SIGNATURE)
    {
      /* Room to sign, a line, and what goes on it. */
      block.layout2 = new_layout (self, SMALL_SIZE, FALSE, self->text_width, 0);
      block.height += SIGNATURE_SPACE + 4 + layout_height (block.layout2);
    }

  g_array_append_val (self->blocks, block);
  return &g_array_index (self->blocks, Block, self->blocks->len - 1);
}

static void
add_table_row (StriaeSheet *self,
               BlockKind    kind,
               const char  *markup1,
               const char  *markup2,
               int          header)
{
  Block block = { 0 };
  double first = floor (self->text_width * 0.4);
  gboolean bold = kind == BLOCK_TABLE_HEADER;

  block.kind = kind;
  block.table_header = header;
  block.keep_with_next = kind == BLOCK_TABLE_HEADER;
  block.space_before = kind == BLOCK_TABLE_HEADER ? self->body_size * 0.8 : 0;
  block.layout = text_layout (self, self->body_size, bold, first - 2 * CELL_PADDING, 1.2,
                              markup1);
  block.layout2 = text_layout (self, self->body_size, bold,
                               self->text_width - first - 2 * CELL_PADDING, 1.2, markup2);
  measure_block (&block);
  block.height = MAX (layout_height (block.layout), layout_height (block.layout2))
                 + 2 * CELL_PADDING;
  g_array_append_val (self->blocks, block);
}

static void
add_extra_items (StriaeSheet *self,
                 GPtrArray   *extras)
{
  for (guint i = 0; extras != NULL && i < extras->len; i++)
    {
      g_autofree char *markup = g_markup_escape_text (g_ptr_array_index (extras, i), -1);

      add_text_block (self, BLOCK_BULLET, markup);
    }
}

static void
compose_sessions (StriaeSheet        *self,
                  StriaeNode         *node,
                  StriaeSheetContext *context)
{
  const StriaeDocument *document = _striae_sheet_template_get_document (self->template);
  guint n = striae_sheet_context_get_n_sessions (context);
  const GDate *day = striae_sheet_context_get_date (context);
  g_autofree char *label_heading = NULL;
  g_autofree char *date_heading = NULL;
  guint shown = 0;
  GDate today;
  int header;

  /* "Your next sessions": only the rows after the sheet's day (a sheet without a day is for
   * today). */
  if (day == NULL)
    {
      striae_get_today (&today);
      day = &today;
    }
  for (guint i = 0; i < n; i++)
    if (!node->upcoming ||
        g_date_compare (striae_sheet_context_get_session (context, i, NULL), day) > 0)
      shown++;

  if (shown == 0)
    {
      if (node->empty != NULL)
        {
          g_autofree char *markup = runs_to_markup (self, node->empty);

          add_text_block (self, BLOCK_PARAGRAPH, markup);
          g_hash_table_add (self->printed, node->id);
        }
      return;
    }

  label_heading = runs_to_markup (self, node->label_heading);
  date_heading = runs_to_markup (self, node->date_heading);
  header = self->blocks->len;
  add_table_row (self, BLOCK_TABLE_HEADER, label_heading, date_heading, header);
  for (guint i = 0; i < n; i++)
    {
      const char *label = NULL;
      const GDate *date = striae_sheet_context_get_session (context, i, &label);
      g_autofree char *formatted = NULL;
      g_autofree char *markup1 = NULL;
      g_autofree char *markup2 = NULL;

      if (node->upcoming && g_date_compare (date, day) <= 0)
        continue;
      formatted = _striae_document_format_date (document, date, TRUE);
      markup1 = g_markup_escape_text (label, -1);
      markup2 = g_markup_escape_text (formatted, -1);

      add_table_row (self, BLOCK_TABLE_ROW, markup1, markup2, header);
    }
  g_hash_table_add (self->printed, node->id);
}

/* One photo, decoded, with its caption. */
typedef struct
{
  cairo_surface_t *image;
  double           width;
  double           height;
  PangoLayout     *caption;
} RowPhoto;

static void
add_photo_row (StriaeSheet *self,
               RowPhoto    *photos,
               guint        n)
{
  Block block = { 0 };
  double image_height = 0;
  double caption_height = 0;

  g_assert (n == 1 || n == 2);
  block.kind = BLOCK_PHOTOS;
  block.table_header = -1;
  block.space_before = self->body_size * 0.8;
  for (guint i = 0; i < n; i++)
    {
      block.images[i] = g_steal_pointer (&photos[i].image);
      block.image_width[i] = photos[i].width;
      block.image_height[i] = photos[i].height;
      image_height = MAX (image_height, photos[i].height);
      caption_height = MAX (caption_height, layout_height (photos[i].caption));
    }
  block.layout = g_steal_pointer (&photos[0].caption);
  if (n == 2)
    block.layout2 = g_steal_pointer (&photos[1].caption);
  block.height = image_height + 4 + caption_height;
  /* A row moves to the next page whole. */
  block.n_lines = 1;
  block.line_top = g_new0 (double, 2);
  block.line_top[1] = block.height;
  g_array_append_val (self->blocks, block);
}

/* The photos the context holds for this <photos> element, two to a row, each with its
 * caption under it. Without the patient's photo consent nothing is printed: the sheet is
 * still given, and its warnings tell the person printing why the photos are missing; a
 * patient with consent but no photo yet gets the element's `empty` text, if any. */
static void
compose_photos (StriaeSheet        *self,
                StriaeNode         *node,
                StriaeSheetContext *context)
{
  double cell = (self->text_width - PHOTO_GAP) / 2;
  RowPhoto row[2] = { { 0 } };
  guint in_row = 0;
  gboolean any = FALSE;

  if (!striae_sheet_context_get_photos_allowed (context))
    {
      g_ptr_array_add (self->warnings,
                       g_strdup (_("The sheet asks for the patient’s photos, but the patient "
                                   "has not consented to photos: none are printed.")));
      return;
    }

  for (guint i = 0; i < striae_sheet_context_get_n_photos (context); i++)
    {
      const char *element_id = NULL;
      const char *caption = NULL;
      gboolean new_row = FALSE;
      GBytes *image = striae_sheet_context_get_photo (context, i, &element_id, &caption,
                                                      &new_row);
      g_autoptr(GError) error = NULL;
      g_autofree char *markup = NULL;
      RowPhoto *photo;

      if (g_strcmp0 (element_id, node->id) != 0)
        continue;
      if (new_row && in_row == 1)
        {
          add_photo_row (self, row, 1);
          in_row = 0;
        }
      photo = &row[in_row];
      photo->image = _striae_sheet_photo_surface_new (image, cell, PHOTO_MAX_HEIGHT,
                                                      &photo->width, &photo->height, &error);
      if (photo->image == NULL)
        {
          g_ptr_array_add (self->warnings,
                           g_strdup_printf (_("The photo “%s” could not be read from the "
                                              "records; it is left out."), caption));
          continue;
        }
      markup = g_markup_escape_text (caption, -1);
      photo->caption = text_layout (self, SMALL_SIZE, FALSE, cell, 1.15, markup);
      any = TRUE;
      if (++in_row == 2)
        {
          add_photo_row (self, row, 2);
          in_row = 0;
        }
    }
  if (in_row == 1)
    add_photo_row (self, row, 1);

  if (any)
    g_hash_table_add (self->printed, node->id);
  else if (node->empty != NULL)
    {
      g_autofree char *markup = runs_to_markup (self, node->empty);

      add_text_block (self, BLOCK_PARAGRAPH, markup);
      g_hash_table_add (self->printed, node->id);
    }
}

static void
compose_section (StriaeSheet        *self,
                 StriaeNode         *section,
                 StriaeSheetContext *context,
                 GPtrArray          *extras)
{
  g_autofree char *heading = NULL;
  guint heading_index = self->blocks->len;
  Block *previous = NULL;

  heading = runs_to_markup (self, section->title);
  add_text_block (self, BLOCK_HEADING, heading);

  for (guint i = 0; i < section->children->len; i++)
    {
      StriaeNode *child = g_ptr_array_index (section->children, i);
      g_autofree char *markup = NULL;

      if (!_striae_sheet_node_visible (child, context))
        continue;

      switch (child->kind)
        {
        case STRIAE_NODE_PARAGRAPH:
          markup = runs_to_markup (self, child->runs);
          previous = add_text_block (self, BLOCK_PARAGRAPH, markup);
          g_hash_table_add (self->printed, child->id);
          break;

        case STRIAE_NODE_SIGNATURE:
          markup = runs_to_markup (self, child->runs);
          /* The signatures stay on one page with each other and with the last sentence they
           * sign for: a signature alone on a last page signs nothing the patient can see. */
          if (self->blocks->len > heading_index + 1)
            g_array_index (self->blocks, Block, self->blocks->len - 1).keep_with_next = TRUE;
          previous = add_text_block (self, BLOCK_SIGNATURE, markup);
          previous->id = child->id;
          g_hash_table_add (self->printed, child->id);
          break;

        case STRIAE_NODE_LIST:
          {
            gboolean any = FALSE;

            for (guint j = 0; j < child->children->len; j++)
              {
                StriaeNode *item = g_ptr_array_index (child->children, j);
                g_autofree char *item_markup = NULL;

                if (!_striae_sheet_node_visible (item, context))
                  continue;
                /* A sentence that introduces a list stays with its first item. */
                if (!any && previous != NULL && previous->kind == BLOCK_PARAGRAPH)
                  previous->keep_with_next = TRUE;
                item_markup = runs_to_markup (self, item->runs);
                add_text_block (self, BLOCK_BULLET, item_markup);
                g_hash_table_add (self->printed, item->id);
                any = TRUE;
              }
            if (any && child->id != NULL)
              g_hash_table_add (self->printed, child->id);
            previous = NULL;
          }
          break;

        case STRIAE_NODE_SESSIONS:
          compose_sessions (self, child, context);
          previous = NULL;
          break;

        case STRIAE_NODE_PHOTOS:
          compose_photos (self, child, context);
          previous = NULL;
          break;

        case STRIAE_NODE_SECTION:
        case STRIAE_NODE_ITEM:
        default:
          g_assert_not_reached ();
        }
    }

  add_extra_items (self, extras);

  /* A section whose every element was left out prints nothing, not a lonely heading. */
  if (self->blocks->len == heading_index + 1)
    g_array_set_size (self->blocks, heading_index);
  else
    g_hash_table_add (self->printed, section->id);
}

static void
compose (StriaeSheet        *self,
         StriaeSheetContext *context)
{
  const StriaeDocument *document = _striae_sheet_template_get_document (self->template);
  g_autoptr(GHashTable) extras = g_hash_table_new_full (NULL, NULL, NULL,
                                                        (GDestroyNotify)g_ptr_array_unref);
  g_auto(GStrv) struck = striae_sheet_context_dup_struck_ids (context);
  StriaeNode *fallback = NULL;
  g_autofree char *title = NULL;

  for (guint i = 0; struck[i] != NULL; i++)
    if (!g_hash_table_contains (document->ids, struck[i]))
      g_ptr_array_add (self->warnings,
                       g_strdup_printf (_("The item “%s” to leave out is not in the sheet "
                                          "“%s”."), struck[i], self->title));

  /* Extra items go to the section asked for; when that one is unknown or not printed for
   * this patient, to the template's default section (or the last one printed). */
  for (guint i = 0; i < document->sections->len; i++)
    {
      StriaeNode *section = g_ptr_array_index (document->sections, i);

      if (_striae_sheet_node_visible (section, context)
          && (fallback == NULL || g_strcmp0 (fallback->id, document->default_section) != 0))
        fallback = section;
    }

  for (guint i = 0; i < striae_sheet_context_get_n_extra_items (context); i++)
    {
      const char *section_id = NULL;
      const char *text = striae_sheet_context_get_extra_item (context, i, &section_id);
      StriaeNode *section = NULL;
      GPtrArray *list;

      if (section_id != NULL)
        {
          section = g_hash_table_lookup (document->ids, section_id);
          if (section == NULL || section->kind != STRIAE_NODE_SECTION
              || !_striae_sheet_node_visible (section, context))
            {
              g_ptr_array_add (self->warnings,
                               g_strdup_printf (_("The section “%s” is not printed on this "
                                                  "sheet; the added item is printed in "
                                                  "another section."), section_id));
              section = NULL;
            }
        }
      if (section == NULL)
        section = fallback;
      if (section == NULL)
        {
          g_ptr_array_add (self->warnings,
                           g_strdup (_("No section of this sheet is printed, so the added "
                                       "items are left out.")));
          break;
        }
      list = g_hash_table_lookup (extras, section);
      if (list == NULL)
        {
          list = g_ptr_array_new ();
          g_hash_table_insert (extras, section, list);
        }
      g_ptr_array_add (list, (gpointer)text);
    }

  title = runs_to_markup (self, document->title);
  add_text_block (self, BLOCK_TITLE, title);

  for (guint i = 0; i < document->sections->len; i++)
    {
      StriaeNode *section = g_ptr_array_index (document->sections, i);

      if (_striae_sheet_node_visible (section, context))
        compose_section (self, section, context, g_hash_table_lookup (extras, section));
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Header and footer                                                                         */

/* Replaces every space with a no-break space, so that Pango keeps the words on one line. */
static char *
dup_unbreakable (const char *text)
{
  g_auto(GStrv) words = g_strsplit (text, " ", -1);

  return g_strjoinv (NO_BREAK_SPACE, words);
}

/* The label comes from the template with its own punctuation ("Date of birth:", French
 * "Nom :"), so that the sheet's language decides, not the computer's locale.  A label stays
 * on the line of its value, and a date is never split ("12. Mai" / "1990"): the header breaks
 * between its pairs. */
static char *
label_value (StriaeSheet *self,
             StriaeLabel  label,
             const char  *value,
             gboolean     unbreakable)
{
  const StriaeDocument *document = _striae_sheet_template_get_document (self->template);
  g_autofree char *joined = dup_unbreakable (_striae_document_get_label (document, label));
  g_autofree char *kept = unbreakable && value != NULL ? dup_unbreakable (value) : NULL;
  g_autofree char *l = g_markup_escape_text (joined, -1);
  g_autofree char *v = g_markup_escape_text (kept != NULL ? kept
                                             : value != NULL ? value : BLANK, -1);

  return g_strdup_printf ("%s" NO_BREAK_SPACE "<b>%s</b>", l, v);
}

static void
load_logo (StriaeSheet *self,
           const char  *path)
{
  cairo_surface_t *surface;
  double w, h, scale;

  if (path == NULL)
    return;

  surface = cairo_image_surface_create_from_png (path);
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      g_ptr_array_add (self->warnings,
                       g_strdup_printf (_("The logo “%s” could not be read as a PNG image: "
                                          "%s. The sheet is printed without it."), path,
                                        cairo_status_to_string (cairo_surface_status (surface))));
      cairo_surface_destroy (surface);
      return;
    }

  w = cairo_image_surface_get_width (surface);
  h = cairo_image_surface_get_height (surface);
  if (w < 1 || h < 1)
    {
      cairo_surface_destroy (surface);
      return;
    }
  scale = MIN (56.0 / h, 140.0 / w);
  self->logo = surface;
  self->logo_width = w * scale;
  self->logo_height = h * scale;
}

static void
build_header (StriaeSheet        *self,
              StriaeSheetContext *context)
{
  const char *clinic = g_hash_table_lookup (self->values, "clinic.name");
  const char *address = g_hash_table_lookup (self->values, "clinic.address");
  const char *phone = g_hash_table_lookup (self->values, "clinic.phone");
  const char *email = g_hash_table_lookup (self->values, "clinic.email");
  const char *name = g_hash_table_lookup (self->values, "patient.name");
  const char *birth = g_hash_table_lookup (self->values, "patient.birth_date");
  const char *date = g_hash_table_lookup (self->values, "sheet.date");
  double clinic_width;
  GString *markup = g_string_new (NULL);
  g_autofree char *patient = NULL;
  g_autofree char *born = NULL;
  g_autofree char *dated = NULL;
  g_autofree char *patient_markup = NULL;
  g_autofree char *running = NULL;

  load_logo (self, striae_sheet_context_get_logo_path (context));
  clinic_width = self->text_width - (self->logo != NULL ? self->logo_width + 14 : 0);

  if (clinic != NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (clinic, -1);

      g_string_append_printf (markup, "<span size=\"%d\" weight=\"bold\">%s</span>",
                              (int)((SMALL_SIZE + 4) * PANGO_SCALE), escaped);
    }
  if (address != NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (address, -1);

      g_string_append_printf (markup, "%s%s", markup->len ? "\n" : "", escaped);
    }
  if (phone != NULL || email != NULL)
    {
      g_autofree char *p = g_markup_escape_text (phone != NULL ? phone : "", -1);
      g_autofree char *e = g_markup_escape_text (email != NULL ? email : "", -1);

      g_string_append_printf (markup, "%s%s%s%s", markup->len ? "\n" : "", p,
                              phone != NULL && email != NULL ? "   " : "", e);
    }
  self->clinic_layout = text_layout (self, SMALL_SIZE, FALSE, clinic_width, 1.15, markup->str);
  g_string_free (markup, TRUE);

  patient = label_value (self, STRIAE_LABEL_PATIENT, name, FALSE);
  born = label_value (self, STRIAE_LABEL_BIRTH_DATE, birth, TRUE);
  dated = label_value (self, STRIAE_LABEL_DATE, date, TRUE);
  patient_markup = g_strdup_printf ("%s\n%s     %s", patient, born, dated);
  self->patient_layout = new_layout (self, self->body_size, FALSE, self->text_width, 1.3);
  set_markup (self->patient_layout, patient_markup);

  /* Later pages repeat who the sheet is for, so that a loose page finds its owner. */
  running = g_strdup_printf ("%s     %s", patient, born);
  self->running_layout = new_layout (self, SMALL_SIZE, FALSE, self->text_width, 1.15);
  set_markup (self->running_layout, running);
}

static double
clinic_height (StriaeSheet *self)
{
  double h = pango_layout_get_character_count (self->clinic_layout) > 0
             ? layout_height (self->clinic_layout) : 0;

  return MAX (h, self->logo != NULL ? self->logo_height : 0);
}

static double
footer_height (StriaeSheet *self)
{
  g_autoptr(PangoLayout) layout = text_layout (self, SMALL_SIZE, FALSE, self->text_width, 0,
                                               "Page");

  return layout_height (layout);
}

/* ---------------------------------------------------------------------------------------- */
/* Pagination                                                                                */

static double
lines_height (const Block *block,
              int          start,
              int          end)
{
  return block->line_top[end] - block->line_top[start];
}

/* The least of a block that may stand at the bottom of a page: two lines of a paragraph,
 * else all of it. */
static double
min_first_part (const Block *block)
{
  if (block->splittable && block->n_lines >= 4)
    return lines_height (block, 0, 2);
  return block->height;
}

static double
page_top (StriaeSheet *self,
          guint        page)
{
  return page == 0 ? self->first_top : self->other_top;
}

static GArray *
new_page (StriaeSheet *self)
{
  GArray *page = g_array_new (FALSE, FALSE, sizeof (Placement));

  g_ptr_array_add (self->pages, page);
  return page;
}

static void
paginate (StriaeSheet *self)
{
  GArray *page = new_page (self);
  double top = page_top (self, 0);
  double y = top;
  int last_header_placed = -1;

  for (guint i = 0; i < self->blocks->len; i++)
    {
      Block *block = &g_array_index (self->blocks, Block, i);
      double space = y > top ? block->space_before : 0;
      double need = space + block->height;
      int line = 0;

      /* Keep a heading (and a chain of them) with the start of what follows. */
      if (block->keep_with_next)
        {
          need = space + block->height;
          for (guint j = i + 1; j < self->blocks->len; j++)
            {
              Block *next = &g_array_index (self->blocks, Block, j);

              if (!next->keep_with_next)
                {
                  need += next->space_before + min_first_part (next);
                  break;
                }
              need += next->space_before + next->height;
            }
        }
      else
        need = space + min_first_part (block);

      if (y + need > self->body_bottom && y > top)
        {
          page = new_page (self);
          top = page_top (self, self->pages->len - 1);
          y = top;
          space = 0;
          /* A table that goes on shows its column headings again. */
          if (block->kind == BLOCK_TABLE_ROW && block->table_header == last_header_placed)
            {
              Block *header = &g_array_index (self->blocks, Block, block->table_header);
              Placement again = { block->table_header, 0, header->n_lines, y };

              g_array_append_val (page, again);
              y += header->height;
            }
        }

      y += space;
      while (TRUE)
        {
          Placement placement = { i, line, block->n_lines, y };
          double remaining = lines_height (block, line, block->n_lines);
          double rest = block->height - block->line_top[block->n_lines] + remaining;
          int fit;

          if (!block->splittable || y + rest <= self->body_bottom || y <= top)
            {
              /* It fits, or it cannot be split, or it is already at the top of a page. */
              if (block->splittable && y + rest > self->body_bottom)
                {
                  /* Taller than a whole page: cut it where the page ends. */
                  for (fit = line + 1; fit < block->n_lines; fit++)
                    if (y + lines_height (block, line, fit + 1) > self->body_bottom)
                      break;
                  if (fit < block->n_lines)
                    {
                      placement.line_end = fit;
                      g_array_append_val (page, placement);
                      line = fit;
                      page = new_page (self);
                      top = y = page_top (self, self->pages->len - 1);
                      continue;
                    }
                }
              g_array_append_val (page, placement);
              y += rest;
              break;
            }

          /* Split a paragraph: at least two lines on each side. */
          for (fit = line; fit < block->n_lines; fit++)
            if (y + lines_height (block, line, fit + 1) > self->body_bottom)
              break;
          if (fit - line < 2 || block->n_lines - fit < 2)
            {
              if (block->n_lines - fit < 2 && fit - line >= 3)
                fit--;
              else
                fit = line;
            }
          if (fit > line)
            {
              placement.line_end = fit;
              g_array_append_val (page, placement);
              line = fit;
            }
          page = new_page (self);
          top = y = page_top (self, self->pages->len - 1);
        }

      if (block->kind == BLOCK_TABLE_HEADER)
        last_header_placed = i;
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Construction                                                                              */

static void
choose_measure (StriaeSheet *self)
{
  static const char sample[] =
    "Keep the treated skin clean and dry, and call the clinic if it hurts more.";
  g_autoptr(PangoLayout) layout = text_layout (self, self->body_size, FALSE, -1, 0, sample);
  int width;
  double per_char;

  pango_layout_get_size (layout, &width, NULL);
  per_char = (double)width / PANGO_SCALE / g_utf8_strlen (sample, -1);
  self->text_width = MIN (self->page_width - 2 * MARGIN_SIDE, per_char * MEASURE_CHARS);
  /* The column is centred: equal margins look calmer than one wide white strip. */
  self->left = MAX (MARGIN_SIDE, floor ((self->page_width - self->text_width) / 2));
}

/**
 * striae_sheet_new:
 * @template: a loaded template
 * @context: the inputs for one patient
 *
 * Composes the sheet for @context (the elements whose facts hold, minus the struck ones, plus
 * the extra items) and lays it out into pages.  The sheet keeps no reference to @context;
 * make a new sheet when the inputs change.  Problems that do not stop printing (a struck id
 * the template does not have, an unreadable logo …) are listed by
 * striae_sheet_get_warnings().  A sheet is used from one thread at a time.
 *
 * Returns: (transfer full): the sheet, or %NULL with @error set
 */
StriaeSheet *
striae_sheet_new (StriaeSheetTemplate  *template,
                  StriaeSheetContext   *context,
                  GError              **error)
{
  g_autoptr(StriaeSheet) self = NULL;

  g_return_val_if_fail (STRIAE_IS_SHEET_TEMPLATE (template), NULL);
  g_return_val_if_fail (STRIAE_IS_SHEET_CONTEXT (context), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (STRIAE_TYPE_SHEET, NULL);
  self->template = g_object_ref (template);
  self->language = g_strdup (striae_sheet_context_get_language (context));
  self->body_size = striae_sheet_context_get_body_size (context);
  if (striae_sheet_context_get_paper (context) == STRIAE_PAPER_US_LETTER)
    {
      self->page_width = LETTER_WIDTH;
      self->page_height = LETTER_HEIGHT;
    }
  else
    {
      self->page_width = A4_WIDTH;
      self->page_height = A4_HEIGHT;
    }

  if (g_strcmp0 (self->language, striae_sheet_template_get_language (template)) != 0)
    g_ptr_array_add (self->warnings,
                     g_strdup_printf (_("The sheet is in “%s” but the patient’s language is "
                                        "“%s”."), striae_sheet_template_get_language (template),
                                      self->language));

  self->cache = usable_cache (template);
  self->pango = get_context (self->cache, self->language);

  g_hash_table_unref (self->values);
  self->values = _striae_sheet_template_dup_values (template, context);

  /* The title as printed, for the footer and the PDF's metadata. */
  {
    const StriaeDocument *document = _striae_sheet_template_get_document (template);
    g_autofree char *markup = runs_to_markup (self, document->title);

    if (!pango_parse_markup (markup, -1, 0, NULL, &self->title, NULL, NULL))
      self->title = striae_sheet_template_dup_title (template);
  }

  choose_measure (self);
  build_header (self, context);
  compose (self, context);

  self->first_top = MARGIN_TOP + clinic_height (self) + 10 + 10
                    + layout_height (self->patient_layout) + 16;
  self->other_top = MARGIN_TOP + layout_height (self->running_layout) + 8 + 14;
  /* The footer's rule sits 6 pt above its text; leave a clear gap above the rule (one line's
   * leading is enough: the rule separates). */
  self->body_bottom = self->page_height - MARGIN_BOTTOM - footer_height (self) - 6 - 12;
  paginate (self);

  return g_steal_pointer (&self);
}

/* ---------------------------------------------------------------------------------------- */
/* Drawing                                                                                   */


/* Draws lines [start, end) of @layout with the top of line @start at (@x, @y).  Each line is
 * drawn on its own so that a paragraph split over two pages puts only its own lines on each,
 * with no clipped copy of the rest hidden in the PDF. */
static void
draw_lines (cairo_t     *cr,
            PangoLayout *layout,
            double       x,
            double       y,
            int          start,
            int          end)
{
  PangoLayoutIter *iter = pango_layout_get_iter (layout);
  int index = 0;
  double offset = 0;

  do
    {
      int y0, baseline;
      PangoRectangle logical;

      if (index >= end)
        break;
      pango_layout_iter_get_line_yrange (iter, &y0, NULL);
      if (index == start)
        offset = (double)y0 / PANGO_SCALE;
      if (index >= start)
        {
          baseline = pango_layout_iter_get_baseline (iter);
          pango_layout_iter_get_line_extents (iter, NULL, &logical);
          cairo_move_to (cr, x + (double)logical.x / PANGO_SCALE,
                         y + (double)baseline / PANGO_SCALE - offset);
          pango_cairo_show_layout_line (cr, pango_layout_iter_get_line_readonly (iter));
          /* A text path left open would join the next shape drawn. */
          cairo_new_path (cr);
        }
      index++;
    }
  while (pango_layout_iter_next_line (iter));
  pango_layout_iter_free (iter);
}

static void
draw_rule (cairo_t *cr,
           double   x0,
           double   x1,
           double   y,
           double   width)
{
  cairo_new_path (cr);
  cairo_set_line_width (cr, width);
  cairo_move_to (cr, x0, y);
  cairo_line_to (cr, x1, y);
  cairo_stroke (cr);
}

/* ---------------------------------------------------------------------------------------- */
/* Signatures given on the screen                                                            */

/* The signature stored for the <signature> @id, when it matches this sheet's text. */
static StriaeConsentSignature *
find_signature (StriaeSheet *self,
                const char  *id)
{
  for (guint i = 0; id != NULL && self->signatures != NULL && i < self->signatures->len; i++)
    {
      StriaeConsentSignature *signature = g_ptr_array_index (self->signatures, i);
      StriaeConsentSigner signer = striae_consent_signature_get_signer (signature);

      if (g_strcmp0 (striae_consent_signer_to_sheet_id (signer), id) == 0)
        return signature;
    }
  return NULL;
}

/* One stroke as a smooth path: quadratic curves through the midpoints of its points,
 * written as cubic ones (cairo has no other), with the line as wide as the stylus pressed. */
static void
draw_stroke (cairo_t                    *cr,
             const StriaeSignaturePoint *points,
             guint                       n,
             double                      x0,
             double                      y0,
             double                      width,
             double                      height)
{
  double pressure = 0;
  guint pressed = 0;

  for (guint i = 0; i < n; i++)
    if (points[i].pressure >= 0)
      {
        pressure += points[i].pressure;
        pressed++;
      }

  cairo_new_path (cr);
  cairo_set_line_width (cr, pressed > 0 ? 0.6 + 1.2 * pressure / pressed : 1.2);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_move_to (cr, x0 + points[0].x * width, y0 + points[0].y * height);
  if (n == 1)
    cairo_line_to (cr, x0 + points[0].x * width + 0.1, y0 + points[0].y * height);
  for (guint i = 1; i < n; i++)
    {
      double px, py, mx, my, cx, cy;

      cairo_get_current_point (cr, &cx, &cy);
      px = x0 + points[i - 1].x * width;
      py = y0 + points[i - 1].y * height;
      mx = i + 1 < n ? (px + x0 + points[i].x * width) / 2 : x0 + points[i].x * width;
      my = i + 1 < n ? (py + y0 + points[i].y * height) / 2 : y0 + points[i].y * height;
      cairo_curve_to (cr, cx + 2.0 / 3.0 * (px - cx), cy + 2.0 / 3.0 * (py - cy),
                      mx + 2.0 / 3.0 * (px - mx), my + 2.0 / 3.0 * (py - my), mx, my);
    }
  cairo_stroke (cr);
}

/* A name typed instead of a drawn signature, on the line, plainly, with the template's word
 * saying it was typed ("Inès Moreau (typed)"): nobody takes it for handwriting. */
static void
draw_typed (StriaeSheet *self,
            cairo_t     *cr,
            const char  *name,
            double       x,
            double       line_y,
            double       width)
{
  const StriaeDocument *document = _striae_sheet_template_get_document (self->template);
  const char *label = _striae_document_get_label (document, STRIAE_LABEL_SIGNATURE_TYPED);
  g_auto(GStrv) parts = g_strsplit (label, "{name}", -1);
  g_autofree char *text = g_strjoinv (name, parts);
  g_autofree char *markup = g_markup_escape_text (text, -1);
  g_autoptr(PangoLayout) layout = new_layout (self, self->body_size + 2, FALSE, width, 0);

  set_markup (layout, markup);
  draw_lines (cr, layout, x, line_y - layout_height (layout) - 2, 0,
              pango_layout_get_line_count (layout));
}

/* The strokes in the space above the line to sign (in the pad's proportions, from the
 * line's left end), and the date and time of the signature above the date line. */
static void
draw_signature (StriaeSheet            *self,
                cairo_t                *cr,
                StriaeConsentSignature *signature,
                double                  x,
                double                  line_y,
                double                  date_x)
{
  double height = SIGNATURE_SPACE - 2;
  double width = MIN (height * STRIAE_SIGNATURE_PAD_ASPECT, date_x - x - 24);
  GDateTime *at = striae_consent_signature_get_signed_at (signature);

  if (striae_consent_signature_get_typed (signature) != NULL)
    draw_typed (self, cr, striae_consent_signature_get_typed (signature), x, line_y,
                date_x - x - 24);

  cairo_save (cr);
  for (guint i = 0; i < striae_consent_signature_get_n_strokes (signature); i++)
    {
      guint n = 0;
      const StriaeSignaturePoint *points = striae_consent_signature_get_stroke (signature, i,
                                                                               &n);

      if (n > 0)
        draw_stroke (cr, points, n, x, line_y - height - 1, width, height);
    }
  cairo_restore (cr);

  if (at != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (at);
      g_autofree char *when = g_date_time_format (local, "%Y-%m-%d %H:%M");
      g_autoptr(PangoLayout) layout = text_layout (self, SMALL_SIZE, FALSE, -1, 0, when);

      draw_lines (cr, layout, date_x, line_y - layout_height (layout) - 2, 0, 1);
    }
}

/**
 * striae_sheet_set_signatures:
 * @signatures: (element-type StriaeConsentSignature) (nullable): the consultation's
 *   signatures given on the screen
 *
 * Draws, on the line of each <signature> whose signer signed on the screen, the strokes,
 * the signer's name and the date and time, but only for a signature given to this very
 * text (its hash is this sheet's striae_sheet_dup_content_hash()): a consent that reads
 * otherwise since (an amendment) keeps its lines to sign, and says so in its warnings.
 */
void
striae_sheet_set_signatures (StriaeSheet *self,
                             GPtrArray   *signatures)
{
  g_autofree char *hash = NULL;
  gboolean stale = FALSE;

  g_return_if_fail (STRIAE_IS_SHEET (self));

  g_clear_pointer (&self->signatures, g_ptr_array_unref);
  if (signatures == NULL || signatures->len == 0)
    return;

  hash = striae_sheet_dup_content_hash (self);
  self->signatures = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < signatures->len; i++)
    {
      StriaeConsentSignature *signature = g_ptr_array_index (signatures, i);

      if (striae_consent_signature_matches (signature, hash))
        g_ptr_array_add (self->signatures, g_object_ref (signature));
      else
        stale = TRUE;
    }
  if (stale && self->signatures->len == 0)
    g_ptr_array_add (self->warnings,
                     g_strdup (_("The consent changed after it was signed on the screen: "
                                 "it needs to be signed again.")));
}

static const char * const block_names[] = {
  [BLOCK_TITLE] = "title",
  [BLOCK_HEADING] = "heading",
  [BLOCK_PARAGRAPH] = "paragraph",
  [BLOCK_BULLET] = "bullet",
  [BLOCK_TABLE_HEADER] = "table-header",
  [BLOCK_TABLE_ROW] = "table-row",
  [BLOCK_SIGNATURE] = "signature",
  [BLOCK_PHOTOS] = "photos",
};

/* @text in NFC, each run of white space one space, none at either end. */
static void
append_canonical (GString    *out,
                  const char *text)
{
  g_autofree char *nfc = g_utf8_normalize (text != NULL ? text : "", -1, G_NORMALIZE_NFC);
  gboolean space = FALSE;
  gsize start = out->len;

  for (const char *p = nfc; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p))
        {
          space = TRUE;
          continue;
        }
      if (space && out->len > start)
        g_string_append_c (out, ' ');
      space = FALSE;
      g_string_append_c (out, *p);
    }
}

/**
 * striae_sheet_dup_content_text:
 *
 * The sheet's content in its canonical form, what a consent's signature is given to
 * (docs/CONSENT-SIGNATURE.md): the line "striae-sheet-content 1", the line "language",
 * a tab and the sheet's language, then one line a block of the body in order (title,
 * headings, paragraphs, bullets, the session table's rows, the signatures' text), each its
 * kind, a tab and its text as printed (a table row's two cells apart by a tab), in Unicode
 * NFC with each run of white space one space. The page header and footer (the clinic, the
 * date the sheet was printed, page numbers) and the paper size are no part of it: the same
 * consent printed another day or on other paper reads the same.
 *
 * Returns: (transfer full): the text, UTF-8, lines ending in "\n"
 */
char *
striae_sheet_dup_content_text (StriaeSheet *self)
{
  GString *out;

  g_return_val_if_fail (STRIAE_IS_SHEET (self), NULL);

  out = g_string_new ("striae-sheet-content 1\nlanguage\t");
  append_canonical (out, self->language);
  g_string_append_c (out, '\n');
  for (guint i = 0; i < self->blocks->len; i++)
    {
      const Block *block = &g_array_index (self->blocks, Block, i);

      g_string_append (out, block_names[block->kind]);
      g_string_append_c (out, '\t');
      append_canonical (out, pango_layout_get_text (block->layout));
      if (block->layout2 != NULL && block->kind != BLOCK_SIGNATURE)
        {
          g_string_append_c (out, '\t');
          append_canonical (out, pango_layout_get_text (block->layout2));
        }
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

/**
 * striae_sheet_dup_content_hash:
 *
 * Returns: (transfer full): the SHA-256 of striae_sheet_dup_content_text(), in lower-case
 *   hex: what a consent signed on the screen was signed for
 */
char *
striae_sheet_dup_content_hash (StriaeSheet *self)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (STRIAE_IS_SHEET (self), NULL);

  text = striae_sheet_dup_content_text (self);
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
}

static void
draw_header (StriaeSheet *self,
             cairo_t     *cr,
             guint        page)
{
  double x = self->left;
  double y = MARGIN_TOP;
  double right = self->left + self->text_width;

  if (page == 0)
    {
      double clinic_x = x;
      double h = clinic_height (self);

      if (self->logo != NULL)
        {
          cairo_save (cr);
          cairo_translate (cr, x, y);
          cairo_scale (cr, self->logo_width / cairo_image_surface_get_width (self->logo),
                       self->logo_height / cairo_image_surface_get_height (self->logo));
          cairo_set_source_surface (cr, self->logo, 0, 0);
          cairo_paint (cr);
          cairo_restore (cr);
          clinic_x += self->logo_width + 14;
        }
      cairo_set_source_rgb (cr, 0, 0, 0);
      draw_lines (cr, self->clinic_layout, clinic_x, y, 0,
                  pango_layout_get_line_count (self->clinic_layout));
      y += h + 10;
      draw_rule (cr, x, right, y, 1.0);
      y += 10;
      draw_lines (cr, self->patient_layout, x, y, 0,
                  pango_layout_get_line_count (self->patient_layout));
    }
  else
    {
      cairo_set_source_rgb (cr, 0, 0, 0);
      draw_lines (cr, self->running_layout, x, y, 0,
                  pango_layout_get_line_count (self->running_layout));
      y += layout_height (self->running_layout) + 8;
      draw_rule (cr, x, right, y, 0.75);
    }
}

static void
draw_footer (StriaeSheet *self,
             cairo_t     *cr,
             guint        page)
{
  g_autoptr(PangoLayout) title = new_layout (self, SMALL_SIZE, FALSE, self->text_width * 0.62, 0);
  g_autoptr(PangoLayout) number = new_layout (self, SMALL_SIZE, FALSE, self->text_width, 0);
  g_autofree char *text = NULL;
  double y = self->page_height - MARGIN_BOTTOM - layout_height (number);

  text = _striae_document_format_label (_striae_sheet_template_get_document (self->template),
                                        STRIAE_LABEL_PAGE, page + 1, self->pages->len);
  pango_layout_set_text (number, text, -1);
  pango_layout_set_alignment (number, PANGO_ALIGN_RIGHT);
  pango_layout_set_text (title, self->title, -1);
  pango_layout_set_ellipsize (title, PANGO_ELLIPSIZE_END);

  cairo_set_source_rgb (cr, 0, 0, 0);
  draw_rule (cr, self->left, self->left + self->text_width, y - 6, 0.75);
  draw_lines (cr, title, self->left, y, 0, 1);
  draw_lines (cr, number, self->left, y, 0, 1);
}

/* Each photo scaled by Cairo from the pixels decoded for the printer, top-aligned in its
 * half of the column, its caption under the row's tallest photo. */
static void
draw_photo_row (StriaeSheet *self,
                cairo_t     *cr,
                const Block *block,
                double       x,
                double       y)
{
  double cell = (self->text_width - PHOTO_GAP) / 2;
  double row_height = MAX (block->image_height[0], block->image_height[1]);

  for (guint i = 0; i < 2 && block->images[i] != NULL; i++)
    {
      cairo_surface_t *image = block->images[i];
      PangoLayout *caption = i == 0 ? block->layout : block->layout2;
      double left = x + i * (cell + PHOTO_GAP);

      cairo_save (cr);
      cairo_translate (cr, left, y);
      cairo_scale (cr, block->image_width[i] / cairo_image_surface_get_width (image),
                   block->image_height[i] / cairo_image_surface_get_height (image));
      cairo_set_source_surface (cr, image, 0, 0);
      cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_GOOD);
      cairo_paint (cr);
      cairo_restore (cr);
      cairo_set_source_rgb (cr, 0, 0, 0);
      draw_lines (cr, caption, left, y + row_height + 4, 0,
                  pango_layout_get_line_count (caption));
    }
}

static void
draw_block (StriaeSheet     *self,
            cairo_t         *cr,
            const Placement *placement)
{
  const Block *block = &g_array_index (self->blocks, Block, placement->block);
  const StriaeDocument *document = _striae_sheet_template_get_document (self->template);
  double x = self->left;
  double y = placement->y;
  double first = floor (self->text_width * 0.4);

  switch (block->kind)
    {
    case BLOCK_BULLET:
      if (placement->line_start == 0)
        {
          g_autoptr(PangoLayout) bullet = text_layout (self, self->body_size, TRUE, -1, 0,
                                                       "•");

          draw_lines (cr, bullet, x + 4, y, 0, 1);
        }
      draw_lines (cr, block->layout, x + BULLET_INDENT, y, placement->line_start,
                  placement->line_end);
      break;

    case BLOCK_TABLE_HEADER:
    case BLOCK_TABLE_ROW:
      draw_lines (cr, block->layout, x + CELL_PADDING, y + CELL_PADDING, 0,
                  pango_layout_get_line_count (block->layout));
      draw_lines (cr, block->layout2, x + first + CELL_PADDING, y + CELL_PADDING, 0,
                  pango_layout_get_line_count (block->layout2));
      draw_rule (cr, x, x + self->text_width, y + block->height,
                 block->kind == BLOCK_TABLE_HEADER ? 1.5 : 0.5);
      break;

    case BLOCK_SIGNATURE:
      {
        double line_y = y + lines_height (block, 0, block->n_lines) + SIGNATURE_SPACE;
        double sign_end = x + self->text_width * 0.62;
        double date_start = sign_end + 24;

        StriaeConsentSignature *signature = find_signature (self, block->id);
        g_autofree char *caption = NULL;

        draw_lines (cr, block->layout, x, y, 0, block->n_lines);
        if (signature != NULL)
          draw_signature (self, cr, signature, x, line_y, date_start);
        draw_rule (cr, x, sign_end, line_y, 0.75);
        draw_rule (cr, date_start, x + self->text_width, line_y, 0.75);
        if (signature != NULL && *striae_consent_signature_get_name (signature) != '\0')
          caption = g_strdup_printf ("%s: %s",
                                     _striae_document_get_label (document,
                                                                 STRIAE_LABEL_SIGNATURE),
                                     striae_consent_signature_get_name (signature));
        else
          caption = g_strdup (_striae_document_get_label (document, STRIAE_LABEL_SIGNATURE));
        pango_layout_set_text (block->layout2, caption, -1);
        draw_lines (cr, block->layout2, x, line_y + 4, 0, 1);
        pango_layout_set_text (block->layout2,
                               _striae_document_get_label (document,
                                                           STRIAE_LABEL_SIGNATURE_DATE),
                               -1);
        draw_lines (cr, block->layout2, date_start, line_y + 4, 0, 1);
      }
      break;

    case BLOCK_PHOTOS:
      draw_photo_row (self, cr, block, x, y);
      break;

    case BLOCK_TITLE:
    case BLOCK_HEADING:
    case BLOCK_PARAGRAPH:
    default:
      draw_lines (cr, block->layout, x, y, placement->line_start, placement->line_end);
      break;
    }
}

/* "Draft — not for the patient", large, red and half transparent, from the bottom left
 * corner to the top right one, over the text, so that nobody can take the page for a sheet
 * to hand out. In the application's language: it is for the practitioner, not the patient. */
static void
draw_draft_mark (StriaeSheet *self,
                 cairo_t     *cr)
{
  g_autoptr(PangoLayout) layout = pango_layout_new (self->pango);
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string ("Sans Bold");
  double diagonal = sqrt (self->page_width * self->page_width +
                          self->page_height * self->page_height);
  int width, height;
  double scale;

  pango_layout_set_text (layout, _("Draft — not for the patient"), -1);
  pango_font_description_set_absolute_size (font, 40 * PANGO_SCALE);
  pango_layout_set_font_description (layout, font);
  pango_layout_get_size (layout, &width, &height);
  if (width <= 0 || height <= 0)
    return;
  /* Four fifths of the diagonal, whatever the language's words. */
  scale = 0.8 * diagonal / ((double) width / PANGO_SCALE);

  cairo_save (cr);
  cairo_translate (cr, self->page_width / 2.0, self->page_height / 2.0);
  cairo_rotate (cr, -atan2 (self->page_height, self->page_width));
  cairo_scale (cr, scale, scale);
  cairo_move_to (cr, -(double) width / PANGO_SCALE / 2.0, -(double) height / PANGO_SCALE / 2.0);
  cairo_set_source_rgba (cr, 0.8, 0.0, 0.0, 0.35);
  pango_cairo_show_layout (cr, layout);
  cairo_restore (cr);
}

/**
 * striae_sheet_draw_page:
 * @cr: any Cairo context: a preview widget's, a print job's, a PDF surface's
 * @page: the page, from 0
 *
 * Draws one page in points with its top left corner at the current origin: scale @cr first
 * to draw at another size (the preview) or resolution (a printer).  The page is painted
 * white first.
 */
void
striae_sheet_draw_page (StriaeSheet *self,
                        cairo_t     *cr,
                        guint        page)
{
  GArray *placements;

  g_return_if_fail (STRIAE_IS_SHEET (self));
  g_return_if_fail (cr != NULL);
  g_return_if_fail (page < self->pages->len);

  cairo_save (cr);
  cairo_new_path (cr);
  cairo_rectangle (cr, 0, 0, self->page_width, self->page_height);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);

  draw_header (self, cr, page);
  placements = g_ptr_array_index (self->pages, page);
  for (guint i = 0; i < placements->len; i++)
    draw_block (self, cr, &g_array_index (placements, Placement, i));
  draw_footer (self, cr, page);
  if (self->draft_reason != NULL)
    draw_draft_mark (self, cr);

  cairo_restore (cr);
}

/* ---------------------------------------------------------------------------------------- */
/* Queries                                                                                   */

/**
 * striae_sheet_get_template:
 *
 * Returns: (transfer none): the template the sheet was made from
 */
StriaeSheetTemplate *
striae_sheet_get_template (StriaeSheet *self)
{
  g_return_val_if_fail (STRIAE_IS_SHEET (self), NULL);

  return self->template;
}

/**
 * striae_sheet_get_title:
 *
 * Returns: the title as printed, placeholders filled in
 */
const char *
striae_sheet_get_title (StriaeSheet *self)
{
  g_return_val_if_fail (STRIAE_IS_SHEET (self), NULL);

  return self->title;
}

/**
 * striae_sheet_set_draft:
 * @reason: (nullable): what the sheet lacks before it may be given, as a sentence the user
 *   can act on (the clinic's phone number, an acknowledgement…); %NULL for a sheet to give
 *
 * A draft is drawn with "Draft — not for the patient" across each page, for the preview to
 * show; it is never exported or printed (striae_sheet_check_final()).
 */
void
striae_sheet_set_draft (StriaeSheet *self,
                        const char  *reason)
{
  g_return_if_fail (STRIAE_IS_SHEET (self));

  g_free (self->draft_reason);
  self->draft_reason = g_strdup (reason);
}

gboolean
striae_sheet_get_draft (StriaeSheet *self)
{
  g_return_val_if_fail (STRIAE_IS_SHEET (self), FALSE);

  return self->draft_reason != NULL;
}

/* What the draft lacks (striae_sheet_set_draft()), or NULL for a sheet to give. */
const char *
striae_sheet_get_draft_reason (StriaeSheet *self)
{
  g_return_val_if_fail (STRIAE_IS_SHEET (self), NULL);

  return self->draft_reason;
}

/**
 * striae_sheet_check_final:
 *
 * The one check before a sheet leaves Striae (a PDF, a printer): a draft is refused with
 * what it lacks, so that the sentence says what to do (sign the consultation, or set the
 * clinic's phone number) rather than guess.
 *
 * Returns: %TRUE for a sheet to give; %FALSE with @error set (%STRIAE_SHEET_ERROR_UNFINISHED)
 *   for a draft
 */
gboolean
striae_sheet_check_final (StriaeSheet  *self,
                          GError      **error)
{
  g_return_val_if_fail (STRIAE_IS_SHEET (self), FALSE);

  if (self->draft_reason == NULL)
    return TRUE;

  /* TRANSLATORS: %s is a whole sentence saying what the sheet lacks and what to do */
  g_set_error (error, STRIAE_SHEET_ERROR, STRIAE_SHEET_ERROR_UNFINISHED,
               _("A draft sheet is not for the patient and is not saved. %s"),
               self->draft_reason);
  return FALSE;
}

guint
striae_sheet_get_n_pages (StriaeSheet *self)
{
  g_return_val_if_fail (STRIAE_IS_SHEET (self), 0);

  return self->pages->len;
}

/**
 * striae_sheet_get_page_size:
 * @width: (out) (optional): in points
 * @height: (out) (optional): in points
 *
 * A4 is 595.3 × 841.9 points, US Letter 612 × 792.
 */
void
striae_sheet_get_page_size (StriaeSheet *self,
                            double      *width,
                            double      *height)
{
  g_return_if_fail (STRIAE_IS_SHEET (self));

  if (width != NULL)
    *width = self->page_width;
  if (height != NULL)
    *height = self->page_height;
}

/**
 * striae_sheet_has_item:
 * @id: a template id
 *
 * Returns: whether the element @id is printed on this sheet
 */
gboolean
striae_sheet_has_item (StriaeSheet *self,
                       const char  *id)
{
  g_return_val_if_fail (STRIAE_IS_SHEET (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  return g_hash_table_contains (self->printed, id);
}

/**
 * striae_sheet_get_warnings:
 *
 * Returns: (array zero-terminated=1) (transfer none): sentences about inputs that were not
 *   used, to show to the person printing; empty when there are none
 */
const char * const *
striae_sheet_get_warnings (StriaeSheet *self)
{
  g_return_val_if_fail (STRIAE_IS_SHEET (self), NULL);

  if (self->warnings->len == 0 || g_ptr_array_index (self->warnings, self->warnings->len - 1))
    g_ptr_array_add (self->warnings, NULL);
  return (const char * const *)self->warnings->pdata;
}

/* ---------------------------------------------------------------------------------------- */
/* PDF                                                                                       */

static cairo_status_t
write_to_bytes (void                *closure,
                const unsigned char *data,
                unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* Whether @path can be a PDF file's name: not a folder. */
gboolean
_striae_sheet_check_pdf_path (const char  *path,
                              GError     **error)
{
  if (*path != '\0' && !g_file_test (path, G_FILE_TEST_IS_DIR))
    return TRUE;

  g_set_error (error, STRIAE_SHEET_ERROR, STRIAE_SHEET_ERROR_WRITE,
               _("“%s” is a folder, not a file name. Choose a file name ending in .pdf."),
               path);
  return FALSE;
}

/* A PDF of the pages of @sheets, one after the other; %NULL with @error set when a sheet is
 * a draft or @path, where it goes (%NULL: not known yet), cannot take it. Each page is drawn
 * holding @fonts (when not %NULL), as drawing lays text out with Pango; the page's content
 * and the PDF's fonts are written without it (see striae_sheet_render_pdf_sharing()). */
static GBytes *
render_pdf (StriaeSheet * const  *sheets,
            guint                 n_sheets,
            const char           *path,
            GMutex               *fonts,
            GError              **error)
{
  g_autoptr(GByteArray) bytes = NULL;
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;

  for (guint i = 0; i < n_sheets; i++)
    if (!striae_sheet_check_final (sheets[i], error))
      return NULL;

  if (path != NULL && !_striae_sheet_check_pdf_path (path, error))
    return NULL;

  /* The PDF is made in memory and written in one go, so a failure leaves no half-written
   * file behind and the error names the real cause (a missing folder, no permission …). */
  bytes = g_byte_array_new ();
  surface = cairo_pdf_surface_create_for_stream (write_to_bytes, bytes,
                                                 sheets[0]->page_width, sheets[0]->page_height);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, sheets[0]->title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Striae");
  cr = cairo_create (surface);
  for (guint i = 0; i < n_sheets; i++)
    for (guint page = 0; page < sheets[i]->pages->len; page++)
      {
        cairo_pdf_surface_set_size (surface, sheets[i]->page_width, sheets[i]->page_height);
        if (fonts != NULL)
          g_mutex_lock (fonts);
        striae_sheet_draw_page (sheets[i], cr, page);
        if (fonts != NULL)
          g_mutex_unlock (fonts);
        cairo_show_page (cr);
      }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, STRIAE_SHEET_ERROR, STRIAE_SHEET_ERROR_WRITE,
                   _("The PDF could not be made: %s."), cairo_status_to_string (status));
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
}

/**
 * striae_sheet_export_pdf_many:
 * @sheets: (array length=n_sheets): the sheets, e.g. the day's stack
 * @n_sheets: how many, at least one
 * @path: the PDF file to write; it is replaced only when the whole PDF is on the disk
 *
 * Writes the pages of every sheet, one after the other, to one PDF.
 *
 * Returns: %FALSE with @error set (%STRIAE_SHEET_ERROR_WRITE) when the file cannot be written
 */
gboolean
striae_sheet_export_pdf_many (StriaeSheet * const  *sheets,
                              guint                 n_sheets,
                              const char           *path,
                              GError              **error)
{
  g_autoptr(GBytes) pdf = NULL;

  g_return_val_if_fail (sheets != NULL && n_sheets > 0, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  for (guint i = 0; i < n_sheets; i++)
    g_return_val_if_fail (STRIAE_IS_SHEET (sheets[i]), FALSE);

  pdf = render_pdf (sheets, n_sheets, path, NULL, error);
  return pdf != NULL && _striae_sheet_write_files (&pdf, &path, 1, NULL, error);
}

/**
 * striae_sheet_export_pdf_each:
 * @sheets: (array length=n_sheets): the sheets, e.g. the day's batch
 * @paths: (array length=n_sheets): the PDF file of each; each is replaced only when the
 *   whole PDF is on the disk
 * @n_written: (out) (optional): how many were written, the first ones, also on failure
 *
 * Writes each sheet to its own PDF, synced to the disk together (see
 * _striae_sheet_write_files()).
 *
 * Returns: %FALSE with @error set (%STRIAE_SHEET_ERROR_WRITE) when a sheet is a draft or a
 *   file cannot be written: the ones before it are written
 */
gboolean
striae_sheet_export_pdf_each (StriaeSheet * const  *sheets,
                              const char * const   *paths,
                              guint                 n_sheets,
                              guint                *n_written,
                              GError              **error)
{
  g_autoptr(GPtrArray) pdfs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GError) render_error = NULL;
  gboolean written;

  g_return_val_if_fail (sheets != NULL || n_sheets == 0, FALSE);
  g_return_val_if_fail (paths != NULL || n_sheets == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (guint i = 0; i < n_sheets && render_error == NULL; i++)
    {
      GBytes *pdf = render_pdf (&sheets[i], 1, paths[i], NULL, &render_error);

      if (pdf != NULL)
        g_ptr_array_add (pdfs, pdf);
    }

  written = _striae_sheet_write_files ((GBytes * const *) pdfs->pdata, paths, pdfs->len,
                                      n_written, render_error == NULL ? error : NULL);
  if (render_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&render_error));
      return FALSE;
    }
  return written;
}

/**
 * striae_sheet_render_pdf:
 *
 * The sheet's PDF, made in memory: nothing is written. For a stack made while something
 * else decides whether it goes out (the day's batch, while the password is checked), and
 * written with striae_sheet_write_pdfs() once it does.
 *
 * Returns: (transfer full): the PDF, or %NULL with @error set when the sheet is a draft or
 *   the PDF cannot be made
 */
GBytes *
striae_sheet_render_pdf (StriaeSheet  *self,
                         GError      **error)
{
  g_return_val_if_fail (STRIAE_IS_SHEET (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return render_pdf (&self, 1, NULL, NULL, error);
}

/**
 * striae_sheet_render_pdf_sharing:
 * @fonts: the lock that every thread making sheets at the same time holds while it lays
 *   text out, composing included (striae_sheet_new())
 *
 * striae_sheet_render_pdf() for a sheet made while another thread makes others. Pango gives
 * each thread its own font map, but underneath, Cairo 1.16 keeps one FreeType font and a
 * list of its font faces for each font file, for the whole process, and adds to that list,
 * takes from it and opens the FreeType face without a lock (cairo-ft-font.c:
 * _cairo_ft_font_face_create(), _cairo_ft_font_face_destroy(),
 * _cairo_ft_unscaled_font_lock_face()); two threads that load a font at the same moment
 * can corrupt it. So the pages are drawn holding @fonts: drawing lays out the footer and
 * other lines with Pango, which may load a font. The page's content and the PDF's fonts
 * (the subsets, most of the work) are written without it: they use the fonts already
 * loaded, through Cairo's own locks.
 *
 * Returns: (transfer full): the PDF, or %NULL with @error set when the sheet is a draft or
 *   the PDF cannot be made
 */
GBytes *
striae_sheet_render_pdf_sharing (StriaeSheet  *self,
                                 GMutex       *fonts,
                                 GError      **error)
{
  g_return_val_if_fail (STRIAE_IS_SHEET (self), NULL);
  g_return_val_if_fail (fonts != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return render_pdf (&self, 1, NULL, fonts, error);
}

/**
 * striae_sheet_release_thread_fonts:
 *
 * Lets go of this thread's Pango font map now rather than when the thread ends. For a
 * thread that made sheets beside another one: called holding the lock of
 * striae_sheet_render_pdf_sharing(), as a font let go of can take its Cairo font face with
 * it. The sheets made keep the fonts they use; a later sheet made in this thread gets a new
 * font map.
 */
void
striae_sheet_release_thread_fonts (void)
{
  pango_cairo_font_map_set_default (NULL);
}

/**
 * striae_sheet_export_pdf:
 * @path: the PDF file to write
 *
 * Returns: %FALSE with @error set (%STRIAE_SHEET_ERROR_WRITE) when the file cannot be written
 */
gboolean
striae_sheet_export_pdf (StriaeSheet  *self,
                         const char   *path,
                         GError      **error)
{
  g_return_val_if_fail (STRIAE_IS_SHEET (self), FALSE);

  return striae_sheet_export_pdf_many (&self, 1, path, error);
}

/* ---------------------------------------------------------------------------------------- */
/* For the benchmark                                                                          */

static void
collect_layout_lines (GArray      *lines,
                      PangoLayout *layout,
                      double       x,
                      double       y,
                      int          start,
                      int          end,
                      double       size,
                      gboolean     bold)
{
  PangoLayoutIter *iter = pango_layout_get_iter (layout);
  const char *text = pango_layout_get_text (layout);
  int index = 0;
  double offset = 0;

  do
    {
      PangoLayoutLine *line = pango_layout_iter_get_line_readonly (iter);
      int y0;

      if (index >= end)
        break;
      pango_layout_iter_get_line_yrange (iter, &y0, NULL);
      if (index == start)
        offset = (double)y0 / PANGO_SCALE;
      if (index >= start)
        {
          StriaeSheetLine out = { 0 };

          out.text = g_strndup (text + line->start_index, line->length);
          out.x = x;
          out.baseline = y + (double)pango_layout_iter_get_baseline (iter) / PANGO_SCALE - offset;
          out.size = size;
          out.bold = bold;
          g_array_append_val (lines, out);
        }
      index++;
    }
  while (pango_layout_iter_next_line (iter));
  pango_layout_iter_free (iter);
}

static void
sheet_line_clear (gpointer data)
{
  g_free (((StriaeSheetLine *)data)->text);
}

GArray *
_striae_sheet_collect_lines (StriaeSheet *self,
                             guint        page)
{
  GArray *lines = g_array_new (FALSE, TRUE, sizeof (StriaeSheetLine));
  GArray *placements = g_ptr_array_index (self->pages, page);

  g_array_set_clear_func (lines, sheet_line_clear);
  for (guint i = 0; i < placements->len; i++)
    {
      const Placement *p = &g_array_index (placements, Placement, i);
      const Block *block = &g_array_index (self->blocks, Block, p->block);
      gboolean bold = block->kind == BLOCK_TITLE || block->kind == BLOCK_HEADING
                      || block->kind == BLOCK_TABLE_HEADER;
      double size = block->kind == BLOCK_TITLE ? self->body_size + 9
                    : block->kind == BLOCK_HEADING ? self->body_size + 3 : self->body_size;
      double x = self->left + (block->kind == BLOCK_BULLET ? BULLET_INDENT : 0);

      collect_layout_lines (lines, block->layout, x, p->y, p->line_start, p->line_end,
                            size, bold);
      if (block->layout2 != NULL && block->kind != BLOCK_SIGNATURE)
        collect_layout_lines (lines, block->layout2, x + floor (self->text_width * 0.4), p->y,
                              0, pango_layout_get_line_count (block->layout2), size, bold);
    }
  return lines;
}
