/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * How long a sheet takes to become a PDF, against drawing the same lines with bare Cairo
 * (cairo_show_text, no Pango: no shaping, no line breaking, no layout) in the same run.
 *
 *   _build/bench/bench-sheets [--count N]
 */
#include <cairo-pdf.h>
#include <glib.h>
#include <stdio.h>

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

int
main (int   argc,
      char *argv[])
{
  int count = 100;
  GOptionEntry entries[] = {
    { "count", 'n', 0, G_OPTION_ARG_INT, &count, "Sheets in the batch (100)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) options = g_option_context_new ("- time sheet rendering");
  g_autoptr(GError) error = NULL;
  g_autoptr(StriaeSheetTemplate) template = NULL;
  g_autoptr(StriaeSheetContext) context = NULL;
  g_autoptr(StriaeSheet) sheet = NULL;
  g_autoptr(GPtrArray) pages = g_ptr_array_new_with_free_func ((GDestroyNotify)g_array_unref);
  double w, h, t, one_pango = 1e9, one_bare = 1e9, one_layout = 1e9, batch_pango, batch_bare;
  gsize bytes_pango = 0, bytes_bare = 0;

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error) || count < 1)
    {
      g_printerr ("%s\n", error != NULL ? error->message : "--count must be at least 1");
      return 1;
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
      bare_pdf (pages, w, h);
    }

  /* One sheet: the best of 20 runs, as an interactive export would see it. */
  for (int i = 0; i < 20; i++)
    {
      g_autoptr(StriaeSheet) s = NULL;

      t = g_get_monotonic_time ();
      s = striae_sheet_new (template, context, NULL);
      one_layout = MIN (one_layout, (g_get_monotonic_time () - t) / 1000.0);

      t = g_get_monotonic_time ();
      bytes_pango = pango_pdf (template, context);
      one_pango = MIN (one_pango, (g_get_monotonic_time () - t) / 1000.0);

      t = g_get_monotonic_time ();
      bytes_bare = bare_pdf (pages, w, h);
      one_bare = MIN (one_bare, (g_get_monotonic_time () - t) / 1000.0);
    }

  /* A stack: different patients, each sheet composed, laid out and written. */
  t = g_get_monotonic_time ();
  for (int i = 0; i < count; i++)
    {
      g_autoptr(StriaeSheetContext) c = make_context (i);

      pango_pdf (template, c);
    }
  batch_pango = (g_get_monotonic_time () - t) / 1000.0;

  t = g_get_monotonic_time ();
  for (int i = 0; i < count; i++)
    bare_pdf (pages, w, h);
  batch_bare = (g_get_monotonic_time () - t) / 1000.0;

  printf ("Sheet: %s, %u pages, %.0f x %.0f pt\n\n", striae_sheet_template_get_name (template), pages->len, w, h);
  printf ("%-40s %12s %12s %10s\n", "measure", "Striae", "bare Cairo", "target");
  printf ("%-40s %9.2f ms %12s %10s\n", "one sheet: compose + layout", one_layout, "-", "");
  printf ("%-40s %9.2f ms %9.2f ms %7s ms\n", "one sheet: compose + layout + PDF", one_pango,
          one_bare, "20");
  printf ("%-40s %9.0f ms %9.0f ms %7s ms\n",
          count == 100 ? "100 sheets to PDF" : "batch of sheets to PDF", batch_pango, batch_bare,
          count == 100 ? "2000" : "-");
  printf ("%-40s %9zu kB %9zu kB\n", "PDF size, one sheet", bytes_pango / 1024, bytes_bare / 1024);
  printf ("\nbare Cairo draws the same lines at the same places with cairo_show_text: no shaping,\n"
          "no bidi, no line breaking, no font fallback; it is a floor, not an alternative.\n");
  return one_pango <= 20 && batch_pango <= 2000 * count / 100.0 ? 0 : 2;
}
