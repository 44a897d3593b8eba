/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * How long a sheet takes to become a PDF, against drawing the same lines with bare Pango
 * (one layout per line) and with bare Cairo (cairo_show_text) in the same run. Exits 2 when
 * a sheet, or a stack of them, takes more than 1.5 times the bare Pango floor (issue 15).
 *
 *   _build/bench/bench-sheets [--count N] [--pdf-dir DIR]
 *
 * --pdf-dir writes the first sheets of the stack (each template, two patients) as PDF files
 * there, to compare the pages drawn before and after a change (pdftoppm -png).
 */
#include <cairo-pdf.h>
#include <glib.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "striae-bench.h"
#include "striae-bench-floor.h"
#include "striae-sheet.h"
#include "striae-sheet-names.h"
#include "striae-sheet-private.h"

static cairo_status_t
discard (void                *closure,
         const unsigned char *data,
         unsigned int         length)
{
  *(gsize *)closure += length;
  return CAIRO_STATUS_SUCCESS;
}

static StriaeSheetContext *
make_context (guint n)
{
  StriaeSheetContext *context = striae_sheet_context_new ();
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 12, G_DATE_MAY, 1990);
  striae_sheet_context_set_patient (context, n % 2 ? "Zoë Wiśniewska" : "ليلى حداد", &date);
  striae_sheet_context_set_clinic (context, "Clinique Lumière", "12 Rue des Fleurs\n75001 Paris",
                                   "+33 1 23 45 67 89", "contact@lumiere.example", NULL);
  striae_sheet_context_set_value (context, "plan.treatment", "microneedling");
  striae_sheet_context_set_value (context, "plan.needle_depth", "1.0 mm");
  striae_sheet_context_set_fact (context, "pih-risk", TRUE);
  striae_sheet_context_set_fact (context, "anticoagulants", n % 3 == 0);
  striae_sheet_context_set_fact (context, "rf", n % 2 == 0);
  g_date_set_dmy (&date, 1, G_DATE_DECEMBER, 2026);
  for (guint i = 0; i < 4; i++)
    {
      striae_sheet_context_add_session (context, &date, NULL);
      g_date_add_days (&date, 35);
    }
  return context;
}

/* Sheet made (composed and laid out) and written as PDF, in memory. */
static gsize
pango_pdf (StriaeSheetTemplate *template,
           StriaeSheetContext  *context)
{
  g_autoptr(StriaeSheet) sheet = striae_sheet_new (template, context, NULL);
  gsize size = 0;
  double w, h;
  cairo_surface_t *surface;
  cairo_t *cr;

  striae_sheet_get_page_size (sheet, &w, &h);
  surface = cairo_pdf_surface_create_for_stream (discard, &size, w, h);
  cr = cairo_create (surface);
  for (guint page = 0; page < striae_sheet_get_n_pages (sheet); page++)
    {
      striae_sheet_draw_page (sheet, cr, page);
      cairo_show_page (cr);
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  cairo_surface_destroy (surface);
  return size;
}

/* The sheets of every template for patients 0 and 1, to files in @dir. */
static gboolean
write_pdfs (const char  *dir,
            GError     **error)
{
  for (const char * const *name = striae_sheet_template_names (); *name != NULL; name++)
    {
      g_autoptr(StriaeSheetTemplate) template = NULL;

      template = striae_sheet_template_load (*name, "en", "/nonexistent", NULL, NULL, NULL,
                                             error);
      if (template == NULL)
        return FALSE;
      for (guint n = 0; n < 2; n++)
        {
          g_autoptr(StriaeSheetContext) context = make_context (n);
          g_autoptr(StriaeSheet) sheet = striae_sheet_new (template, context, error);
          g_autofree char *file = g_strdup_printf ("%s/%s-%u.pdf", dir, *name, n);
          cairo_surface_t *surface;
          cairo_t *cr;
          double w, h;

          if (sheet == NULL)
            return FALSE;
          striae_sheet_get_page_size (sheet, &w, &h);
          surface = cairo_pdf_surface_create (file, w, h);
          cr = cairo_create (surface);
          for (guint page = 0; page < striae_sheet_get_n_pages (sheet); page++)
            {
              striae_sheet_draw_page (sheet, cr, page);
              cairo_show_page (cr);
            }
          cairo_destroy (cr);
          cairo_surface_finish (surface);
          cairo_surface_destroy (surface);
        }
    }
  return TRUE;
}

/* The same lines at the same places with bare Pango: one layout per line, shaped and drawn,
 * with the sheet's font options, but no template, no composing, no line breaking of
 * paragraphs and no pagination. The floor the sheets are held to. */
static gsize
bare_pango_pdf (GPtrArray *pages,
                double     w,
                double     h)
{
  gsize size = 0;
  cairo_surface_t *surface = cairo_pdf_surface_create_for_stream (discard, &size, w, h);
  cairo_t *cr = cairo_create (surface);
  PangoContext *pango = pango_font_map_create_context (
    pango_cairo_font_map_get_default ());
  cairo_font_options_t *options = cairo_font_options_create ();

  pango_cairo_context_set_resolution (pango, 72.0);
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (pango, options);
  cairo_font_options_destroy (options);

  striae_bench_show_lines (cr, pango, pages);
  g_object_unref (pango);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  cairo_surface_destroy (surface);
  return size;
}

/* The same lines at the same places with the toy text API. */
static gsize
bare_pdf (GPtrArray *pages,
          double     w,
          double     h)
{
  gsize size = 0;
  cairo_surface_t *surface = cairo_pdf_surface_create_for_stream (discard, &size, w, h);
  cairo_t *cr = cairo_create (surface);

  for (guint p = 0; p < pages->len; p++)
    {
      GArray *lines = g_ptr_array_index (pages, p);

      for (guint i = 0; i < lines->len; i++)
        {
          StriaeSheetLine *line = &g_array_index (lines, StriaeSheetLine, i);

          cairo_select_font_face (cr, "Sans", CAIRO_FONT_SLANT_NORMAL,
                                  line->bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
          cairo_set_font_size (cr, line->size);
          cairo_move_to (cr, line->x, line->baseline);
          cairo_show_text (cr, line->text);
        }
      cairo_show_page (cr);
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  cairo_surface_destroy (surface);
  return size;
}

/* The lines of each page of the sheet for patient @n, for the floors. */
static GPtrArray *
collect_pages (StriaeSheetTemplate *template,
               guint                n)
{
  g_autoptr(StriaeSheetContext) context = make_context (n);
  g_autoptr(StriaeSheet) sheet = striae_sheet_new (template, context, NULL);
  GPtrArray *pages = g_ptr_array_new_with_free_func ((GDestroyNotify)g_array_unref);

  for (guint p = 0; p < striae_sheet_get_n_pages (sheet); p++)
    g_ptr_array_add (pages, _striae_sheet_collect_lines (sheet, p));
  return pages;
}

/* The CPU time this thread has used, in milliseconds: the figures compare work, so that other
 * processes on a busy machine do not weigh on one side more than the other. */
static double
now_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

#define ONE_RUNS 31
#define TARGET_RATIO 1.5

int
main (int   argc,
      char *argv[])
{
  int count = 100;
  g_autofree char *pdf_dir = NULL;
  GOptionEntry entries[] = {
    { "count", 'n', 0, G_OPTION_ARG_INT, &count, "Sheets in the batch (100)", "N" },
    { "pdf-dir", 0, 0, G_OPTION_ARG_FILENAME, &pdf_dir, "Write sample sheets there", "DIR" },
    { NULL }
  };
  g_autoptr(GOptionContext) options = g_option_context_new ("- time sheet rendering");
  g_autoptr(GError) error = NULL;
  g_autoptr(StriaeSheetTemplate) template = NULL;
  g_autoptr(StriaeSheetContext) context = NULL;
  g_autoptr(StriaeSheet) sheet = NULL;
  g_autoptr(GPtrArray) pages = g_ptr_array_new_with_free_func ((GDestroyNotify)g_array_unref);
  g_autoptr(GPtrArray) stack = g_ptr_array_new_with_free_func ((GDestroyNotify)g_ptr_array_unref);
  double one_pango[ONE_RUNS], one_floor[ONE_RUNS], one_bare[ONE_RUNS], one_layout[ONE_RUNS];
  double w, h, t, one, floor_one, batch_pango, batch_floor, batch_bare;
  gsize bytes_pango = 0, bytes_floor = 0, bytes_bare = 0;

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error) || count < 1)
    {
      g_printerr ("%s\n", error != NULL ? error->message : "--count must be at least 1");
      return 1;
    }

  if (pdf_dir != NULL)
    {
      if (!write_pdfs (pdf_dir, &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      return 0;
    }

  /* The figure asked for is for a two-page sheet: take the first that has two pages. */
  context = make_context (1);
  for (const char * const *name = striae_sheet_template_names (); *name != NULL; name++)
    {
      g_clear_object (&template);
      g_clear_object (&sheet);
      template = striae_sheet_template_load (*name, "en", "/nonexistent", NULL, NULL, NULL,
                                             &error);
      if (template == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      sheet = striae_sheet_new (template, context, NULL);
      if (striae_sheet_get_n_pages (sheet) == 2)
        break;
    }
  striae_sheet_get_page_size (sheet, &w, &h);
  for (guint p = 0; p < striae_sheet_get_n_pages (sheet); p++)
    g_ptr_array_add (pages, _striae_sheet_collect_lines (sheet, p));

  /* Warm-up: fonts found, caches filled. */
  for (int i = 0; i < 5; i++)
    {
      pango_pdf (template, context);
      bare_pango_pdf (pages, w, h);
      bare_pdf (pages, w, h);
    }

  /* One sheet: the median of 31 runs, each kind in turn, as an interactive export sees it. */
  for (int i = 0; i < ONE_RUNS; i++)
    {
      g_autoptr(StriaeSheet) s = NULL;

      t = now_ms ();
      s = striae_sheet_new (template, context, NULL);
      one_layout[i] = now_ms () - t;

      t = now_ms ();
      bytes_pango = pango_pdf (template, context);
      one_pango[i] = now_ms () - t;

      t = now_ms ();
      bytes_floor = bare_pango_pdf (pages, w, h);
      one_floor[i] = now_ms () - t;

      t = now_ms ();
      bytes_bare = bare_pdf (pages, w, h);
      one_bare[i] = now_ms () - t;
    }

  /* A stack: different patients, each sheet composed, laid out and written; the floors
   * draw each sheet of the stack with its own lines (names in other scripts bring their own
   * fonts), collected beforehand. Interleaved, so that a change of load weighs on all three. */
  for (int i = 0; i < count; i++)
    g_ptr_array_add (stack, collect_pages (template, i));
  batch_pango = batch_floor = batch_bare = 0;
  for (int i = 0; i < count; i++)
    {
      g_autoptr(StriaeSheetContext) c = make_context (i);

      t = now_ms ();
      pango_pdf (template, c);
      batch_pango += now_ms () - t;

      t = now_ms ();
      bare_pango_pdf (g_ptr_array_index (stack, i), w, h);
      batch_floor += now_ms () - t;

      t = now_ms ();
      bare_pdf (g_ptr_array_index (stack, i), w, h);
      batch_bare += now_ms () - t;
    }

  one = striae_bench_median (one_pango, ONE_RUNS);
  floor_one = striae_bench_median (one_floor, ONE_RUNS);
  printf ("Sheet: %s, %u pages, %.0f x %.0f pt\n\n", striae_sheet_template_get_name (template),
          pages->len, w, h);
  printf ("%-34s %10s %12s %8s %8s %11s\n", "measure", "Striae", "bare Pango", "ratio",
          "target", "bare Cairo");
  printf ("%-34s %7.2f ms %12s %8s %8s %11s\n", "one sheet: compose + layout",
          striae_bench_median (one_layout, ONE_RUNS), "-", "", "", "-");
  printf ("%-34s %7.2f ms %9.2f ms %7.2fx %7.1fx %8.2f ms\n",
          "one sheet to PDF (median)", one, floor_one, one / floor_one, TARGET_RATIO,
          striae_bench_median (one_bare, ONE_RUNS));
  printf ("%-34s %7.0f ms %9.0f ms %7.2fx %7.1fx %8.0f ms\n",
          count == 100 ? "100 sheets to PDF" : "batch of sheets to PDF", batch_pango,
          batch_floor, batch_pango / batch_floor, TARGET_RATIO, batch_bare);
  printf ("%-34s %7zu kB %9zu kB %8s %8s %8zu kB\n", "PDF size, one sheet",
          bytes_pango / 1024, bytes_floor / 1024, "", "", bytes_bare / 1024);
  printf ("\nTimes are CPU time of this thread (medians for one sheet, sums for the stack).\n");
  printf ("bare Pango shapes and draws the same lines at the same places, one layout each, with\n"
          "no template, composing, line breaking or pagination: the floor (target: within %.1fx).\n"
          "bare Cairo (cairo_show_text: no shaping, bidi or font fallback) is shown for scale.\n",
          TARGET_RATIO);
  return one / floor_one <= TARGET_RATIO && batch_pango / batch_floor <= TARGET_RATIO ? 0 : 2;
}
