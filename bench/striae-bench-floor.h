/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <pango/pangocairo.h>

G_BEGIN_DECLS

/* The floor the sheets are held to (bench-sheets, bench-batch): a sheet's lines drawn with
 * bare Pango. */

/* Draws @pages (a GPtrArray of GArrays of StriaeSheetLine, as striae_sheet_dup_lines()
 * gives them) onto @cr with @pango, one layout per line at the line's place, size and
 * weight, and one page each: no template, composing, line breaking or pagination. */
void striae_bench_show_lines (cairo_t      *cr,
                              PangoContext *pango,
                              GPtrArray    *pages);

G_END_DECLS
