/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "striae-bench-floor.h"
#include "striae-sheet-private.h"

void
striae_bench_show_lines (cairo_t      *cr,
                         PangoContext *pango,
                         GPtrArray    *pages)
{
  PangoFontDescription *font = pango_font_description_from_string ("Sans");

  for (guint p = 0; p < pages->len; p++)
    {
      GArray *lines = g_ptr_array_index (pages, p);

      for (guint i = 0; i < lines->len; i++)
        {
          StriaeSheetLine *line = &g_array_index (lines, StriaeSheetLine, i);
          g_autoptr(PangoLayout) layout = pango_layout_new (pango);

          pango_font_description_set_size (font, (int) (line->size * PANGO_SCALE));
          pango_font_description_set_weight (font, line->bold ? PANGO_WEIGHT_BOLD
                                                              : PANGO_WEIGHT_NORMAL);
          pango_layout_set_font_description (layout, font);
          pango_layout_set_text (layout, line->text, -1);
          cairo_move_to (cr, line->x, line->baseline);
          pango_cairo_show_layout_line (cr, pango_layout_get_line_readonly (layout, 0));
          cairo_new_path (cr);
        }
      cairo_show_page (cr);
    }
  pango_font_description_free (font);
}
