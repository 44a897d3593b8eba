/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <cairo.h>
#include <pango/pangocairo.h>
#include <glib/gstdio.h>
#include <poppler.h>
#include <string.h>
#include <unistd.h>

#include "striae-sheet.h"
#include "striae-sheet-error.h"
#include "striae-sheet-names.h"

/* poppler-glib 22.12 declares no autoptr cleanups. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerDocument, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerPage, g_object_unref)

typedef struct
{
  char            *dir;
  PopplerDocument *pdf;
  GPtrArray       *pages;  /* normalised text of each page */
} Rendered;

static void
rendered_free (Rendered *r)
{
  g_clear_object (&r->pdf);
  g_clear_pointer (&r->pages, g_ptr_array_unref);
  g_free (r->dir);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Rendered, rendered_free)

/* Text as a reader sees it: compatibility forms folded (ligatures), invisible format characters
 * dropped, every run of white space (line breaks, no-break spaces) one space. */
static char *
normalise (const char *text)
{
  g_autofree char *folded = g_utf8_normalize (text, -1, G_NORMALIZE_NFKC);
  GString *out = g_string_new (NULL);
  gboolean space = FALSE;

  for (const char *p = folded; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      /* Bidi embedding marks that text extraction adds around right-to-left runs. */
      if (g_unichar_type (c) == G_UNICODE_FORMAT)
        continue;
      if (g_unichar_isspace (c))
        space = TRUE;
      else
        {
          if (space && out->len > 0)
            g_string_append_c (out, ' ');
          space = FALSE;
          g_string_append_unichar (out, c);
        }
    }
  return g_string_free (out, FALSE);
}

static char *
all_text (Rendered *r)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < r->pages->len; i++)
    {
      g_string_append (text, g_ptr_array_index (r->pages, i));
      g_string_append_c (text, ' ');
    }
  return g_strdup (text->str);
}

static Rendered *
render (StriaeSheet *sheet)
{
  g_autoptr(GError) error = NULL;
  Rendered *r = g_new0 (Rendered, 1);
  g_autofree char *path = NULL;
  g_autofree char *uri = NULL;

  r->dir = g_dir_make_tmp ("striae-sheet-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (r->dir, "sheet.pdf", NULL);
  g_assert_true (striae_sheet_export_pdf (sheet, path, &error));
  g_assert_no_error (error);

  r->pdf = poppler_document_new_from_file ((uri = g_filename_to_uri (path, NULL, NULL)), NULL,
                                           &error);
  g_assert_no_error (error);
  r->pages = g_ptr_array_new_with_free_func (g_free);
  for (int i = 0; i < poppler_document_get_n_pages (r->pdf); i++)
    {
      g_autoptr(PopplerPage) page = poppler_document_get_page (r->pdf, i);
      g_autofree char *text = poppler_page_get_text (page);

      g_ptr_array_add (r->pages, normalise (text));
    }
  g_unlink (path);
  g_rmdir (r->dir);
  return r;
}

static StriaeSheetTemplate *
load (const char *name)
{
  g_autoptr(GError) error = NULL;
  StriaeSheetTemplate *template;

  template = striae_sheet_template_load (name, "en", "/nonexistent", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  return template;
}

static StriaeSheetContext *
base_context (void)
{
  StriaeSheetContext *context = striae_sheet_context_new ();
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 12, G_DATE_MAY, 1990);
  striae_sheet_context_set_patient (context, "Anna Smith", &date);
  g_date_set_dmy (&date, 23, G_DATE_NOVEMBER, 2026);
  striae_sheet_context_set_date (context, &date);
  striae_sheet_context_set_clinic (context, "Clinique Lumière", "12 Rue des Fleurs\n75001 Paris",
                                   "+33 1 23 45 67 89", "contact@lumiere.example", NULL);
  striae_sheet_context_set_value (context, "plan.treatment", "microneedling");
  striae_sheet_context_set_value (context, "plan.areas", "abdomen and thighs");
  striae_sheet_context_set_value (context, "plan.needle_depth", "1.0 mm");
  striae_sheet_context_set_value (context, "practitioner.name", "Dr Maria Nowak");
  return context;
}

/* ---------------------------------------------------------------------------------------- */

/* Evaluates a condition as FORMAT.md defines it, independently of the library. */
static gboolean
holds (const char         *condition,
       const char * const *facts)
{
  g_auto(GStrv) terms = NULL;

  if (condition == NULL)
    return TRUE;
  terms = g_strsplit (condition, " ", -1);
  for (guint i = 0; terms[i] != NULL; i++)
    {
      gboolean negate = terms[i][0] == '!';
      const char *fact = negate ? terms[i] + 1 : terms[i];

      if (*fact == '\0')
        continue;
      if (g_strv_contains (facts, fact) == negate)
        return FALSE;
    }
  return TRUE;
}

/* The text of an item up to its first placeholder, as it is printed. */
static char *
printed_prefix (StriaeSheetTemplate *template,
                const char          *id)
{
  g_autofree char *text = striae_sheet_template_dup_item_text (template, id);
  char *brace = strchr (text, '{');

  if (brace != NULL)
    *brace = '\0';
  return normalise (text);
}

static const char * const no_facts[] = { NULL };
static const char * const all_facts[] = {
  "pih-risk", "anticoagulants", "rf", "numbing-cream", "minor", "striae-albae",
  "striae-rubrae", "retinoids", "herpes-history", "prp", "serum", "sensitive-skin",
  "slow-healing", "metal-allergy", "maintenance", NULL
};
static const char * const dark_skin_on_blood_thinners[] = {
  "pih-risk", "anticoagulants", "numbing-cream", "striae-rubrae", NULL
};
static const char * const rf_teenager[] = { "rf", "minor", "no-numbing-cream", "striae-albae", NULL };
static const char * const allergies[] = {
  "no-numbing-cream", "numbing-cream", "metal-allergy", "serum", "herpes-history", NULL
};

static const char * const * const fact_sets[] = {
  no_facts, all_facts, dark_skin_on_blood_thinners, rf_teenager, allergies,
};

/* For every fact set and every id of every shipped sheet, the element is printed exactly
 * when its own condition and its section's condition hold, in the PDF text as well. */
static void
test_items_follow_facts (void)
{
  const char * const *names = striae_sheet_template_names ();

  for (guint n = 0; names[n] != NULL; n++)
    for (guint f = 0; f < G_N_ELEMENTS (fact_sets); f++)
      {
        g_autoptr(StriaeSheetTemplate) template = load (names[n]);
        g_autoptr(StriaeSheetContext) context = base_context ();
        g_autoptr(StriaeSheet) sheet = NULL;
        g_autoptr(Rendered) r = NULL;
        g_autoptr(GError) error = NULL;
        g_auto(GStrv) ids = striae_sheet_template_dup_ids (template);
        g_autoptr(GPtrArray) shown = g_ptr_array_new_with_free_func (g_free);
        g_autofree char *text = NULL;
        guint n_conditional = 0;

        for (guint i = 0; fact_sets[f][i] != NULL; i++)
          striae_sheet_context_set_fact (context, fact_sets[f][i], TRUE);
        sheet = striae_sheet_new (template, context, &error);
        g_assert_no_error (error);
        r = render (sheet);
        text = all_text (r);

        for (guint i = 0; ids[i] != NULL; i++)
          {
            const char *section = striae_sheet_template_get_item_section (template, ids[i]);
            const char *condition = striae_sheet_template_get_item_condition (template, ids[i]);
            gboolean expected = holds (condition, fact_sets[f])
                                && holds (striae_sheet_template_get_item_condition (template,
                                                                                    section),
                                          fact_sets[f]);

            /* Lists and tables have no text of their own to look for. */
            if (g_str_has_suffix (ids[i], "sessions") || g_strcmp0 (ids[i], "plan") == 0)
              continue;
            if (condition != NULL)
              n_conditional++;
            if (striae_sheet_has_item (sheet, ids[i]) != expected)
              g_error ("%s with fact set %u: “%s” (if=\"%s\") should%s be printed",
                       names[n], f, ids[i], condition, expected ? "" : " not");
            if (expected)
              g_ptr_array_add (shown, printed_prefix (template, ids[i]));
          }
        g_assert_cmpuint (n_conditional, >=, 4);

        for (guint i = 0; ids[i] != NULL; i++)
          {
            g_autofree char *prefix = printed_prefix (template, ids[i]);
            gboolean printed = striae_sheet_has_item (sheet, ids[i]);
            gboolean inside_other = FALSE;

            if (g_str_has_suffix (ids[i], "sessions") || *prefix == '\0')
              continue;
            if (printed)
              {
                if (strstr (text, prefix) == NULL)
                  g_error ("%s, fact set %u: “%s” is missing from the PDF", names[n], f, prefix);
                continue;
              }
            /* Absent: unless its words are part of another printed item, or too few to be
             * told from the header ("Patient: …"; the rule cases check those by hand). */
            if (g_utf8_strlen (prefix, -1) < 16)
              continue;
            for (guint j = 0; j < shown->len; j++)
              if (strstr (g_ptr_array_index (shown, j), prefix) != NULL)
                inside_other = TRUE;
            if (!inside_other && strstr (text, prefix) != NULL)
              g_error ("%s, fact set %u: “%s” is in the PDF but should not be", names[n], f,
                       prefix);
          }
      }
}

typedef struct
{
  const char *sheet;
  const char *facts;
  const char *phrase;
  gboolean    present;
} RuleCase;

/* The clinical rules in the issue, written out by hand with the words a patient reads. */
static const RuleCase rule_cases[] = {
  { "pre-treatment", "pih-risk", "dark or light patches", TRUE },
  { "pre-treatment", "", "dark or light patches", FALSE },
  { "pre-treatment", "anticoagulants", "Never stop a medicine on your own", TRUE },
  { "pre-treatment", "", "Never stop a medicine", FALSE },
  { "pre-treatment", "retinoids", "3 to 5 days before", TRUE },
  { "pre-treatment", "", "3 to 5 days", FALSE },
  { "pre-treatment", "numbing-cream", "numbing cream on your skin", TRUE },
  { "pre-treatment", "numbing-cream no-numbing-cream", "numbing cream on your skin", FALSE },
  { "pre-treatment", "numbing-cream no-numbing-cream", "because of your allergy", TRUE },
  { "pre-treatment", "rf", "pacemaker", TRUE },
  { "pre-treatment", "", "pacemaker", FALSE },
  { "aftercare", "anticoagulants", "thins your blood", TRUE },
  { "aftercare", "pih-risk", "Sun protection is very important", TRUE },
  { "aftercare", "", "thins your blood", FALSE },
  { "aftercare", "", "Sun protection is very important", FALSE },
  { "aftercare", "rf", "a blister or a burn", TRUE },
  { "aftercare", "", "blister", FALSE },
  { "consent", "rf", "burns, blisters or scars", TRUE },
  { "consent", "", "burns", FALSE },
  { "consent", "pih-risk", "higher risk", TRUE },
  { "consent", "", "higher risk", FALSE },
  { "consent", "minor", "Parent or guardian of Anna Smith", TRUE },
  { "consent", "minor", "Patient: Anna Smith Signature", FALSE },
  { "consent", "", "Patient: Anna Smith", TRUE },
  { "consent", "", "Parent or guardian", FALSE },
};

static void
test_rules (gconstpointer data)
{
  const RuleCase *rule = data;
  g_autoptr(StriaeSheetTemplate) template = load (rule->sheet);
  g_autoptr(StriaeSheetContext) context = base_context ();
  g_autoptr(StriaeSheet) sheet = NULL;
  g_autoptr(Rendered) r = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) facts = g_strsplit (rule->facts, " ", -1);
  g_autofree char *text = NULL;

  for (guint i = 0; facts[i] != NULL; i++)
    if (*facts[i] != '\0')
      striae_sheet_context_set_fact (context, facts[i], TRUE);
  sheet = striae_sheet_new (template, context, &error);
  g_assert_no_error (error);
  r = render (sheet);
  text = all_text (r);
  if ((strstr (text, rule->phrase) != NULL) != rule->present)
    g_error ("%s with “%s”: “%s” should%s be printed:\n%s", rule->sheet, rule->facts,
             rule->phrase, rule->present ? "" : " not", text);
}

/* ---------------------------------------------------------------------------------------- */

static void
test_names_survive (void)
{
  static const char * const names[] = {
    "Zoë Wiśniewska", "ليلى حداد", "Łukasz Żółć-Ørsted", "Nguyễn Thị Minh", NULL
  };

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(StriaeSheetTemplate) template = load ("consent");
      g_autoptr(StriaeSheetContext) context = base_context ();
      g_autoptr(StriaeSheet) sheet = NULL;
      g_autoptr(Rendered) r = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;
      g_autofree char *want = normalise (names[i]);
      /* poppler_page_get_text() gives right-to-left text in the order the glyphs stand on the
       * page (pdftotext, reading the same file, gives the logical order); accept either. */
      g_autofree char *visual = g_utf8_strreverse (want, -1);

      striae_sheet_context_set_patient (context, names[i], NULL);
      sheet = striae_sheet_new (template, context, &error);
      g_assert_no_error (error);
      r = render (sheet);
      text = all_text (r);
      /* On every page, in the header, and in the signature line of the last. */
      for (guint p = 0; p < r->pages->len; p++)
        {
          const char *page = g_ptr_array_index (r->pages, p);

          if (strstr (page, want) == NULL && strstr (page, visual) == NULL)
            g_error ("“%s” is not on page %u: %s", names[i], p + 1, page);
        }
      g_assert_true (strstr (strstr (text, "Your consent"), want) != NULL
                     || strstr (strstr (text, "Your consent"), visual) != NULL);
    }
}

static void
check_pages (StriaeSheet *sheet,
             Rendered    *r,
             double       width,
             double       height)
{
  int n = poppler_document_get_n_pages (r->pdf);
  double w, h;

  g_assert_cmpint (n, ==, (int)striae_sheet_get_n_pages (sheet));
  striae_sheet_get_page_size (sheet, &w, &h);
  g_assert_cmpfloat_with_epsilon (w, width, 0.5);
  g_assert_cmpfloat_with_epsilon (h, height, 0.5);

  for (int i = 0; i < n; i++)
    {
      g_autoptr(PopplerPage) page = poppler_document_get_page (r->pdf, i);
      g_autofree char *footer = g_strdup_printf ("Page %d of %d", i + 1, n);
      GList *attributes;
      guint runs = 0;

      poppler_page_get_size (page, &w, &h);
      g_assert_cmpfloat_with_epsilon (w, width, 0.5);
      g_assert_cmpfloat_with_epsilon (h, height, 0.5);
      g_assert_nonnull (strstr (g_ptr_array_index (r->pages, i), footer));

      /* Readable print: no text on the page smaller than 12 pt. */
      attributes = poppler_page_get_text_attributes (page);
      for (GList *l = attributes; l != NULL; l = l->next)
        {
          PopplerTextAttributes *a = l->data;

          g_assert_cmpfloat (a->font_size, >=, 12.0 - 0.01);
          runs++;
        }
      g_assert_cmpuint (runs, >, 0);
      poppler_page_free_text_attributes (attributes);
    }
}

static StriaeSheetContext *
long_context (guint n_sessions)
{
  StriaeSheetContext *context = base_context ();
  const char * const *facts = striae_sheet_default_facts ();
  GDate date;

  for (guint i = 0; facts[i] != NULL; i++)
    striae_sheet_context_set_fact (context, facts[i], TRUE);
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 1, G_DATE_DECEMBER, 2026);
  for (guint i = 0; i < n_sessions; i++)
    {
      g_autofree char *label = g_strdup_printf ("Visit %02u", i + 1);

      striae_sheet_context_add_session (context, &date, label);
      g_date_add_days (&date, 14);
    }
  return context;
}

static void
test_paper_and_pages (void)
{
  const struct { StriaePaperSize paper; double w, h; } papers[] = {
    { STRIAE_PAPER_A4, 595.28, 841.89 },
    { STRIAE_PAPER_US_LETTER, 612, 792 },
  };
  const char * const *names = striae_sheet_template_names ();

  for (guint p = 0; p < G_N_ELEMENTS (papers); p++)
    for (guint n = 0; names[n] != NULL; n++)
      {
        g_autoptr(StriaeSheetTemplate) template = load (names[n]);
        g_autoptr(StriaeSheetContext) context = long_context (6);
        g_autoptr(StriaeSheet) sheet = NULL;
        g_autoptr(Rendered) r = NULL;
        g_autoptr(GError) error = NULL;

        striae_sheet_context_set_paper (context, papers[p].paper);
        sheet = striae_sheet_new (template, context, &error);
        g_assert_no_error (error);
        g_assert_cmpuint (striae_sheet_get_n_pages (sheet), >=, 2);
        r = render (sheet);
        check_pages (sheet, r, papers[p].w, papers[p].h);
      }
}

/* At most about 70 characters a line, and not a narrow column either. */
static void
test_line_length (void)
{
  const char * const *names = striae_sheet_template_names ();
  const double sizes[] = { 12, 13, 16 };

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    for (guint n = 0; names[n] != NULL; n++)
      {
        g_autoptr(StriaeSheetTemplate) template = load (names[n]);
        g_autoptr(StriaeSheetContext) context = long_context (4);
        g_autoptr(StriaeSheet) sheet = NULL;
        g_autoptr(GError) error = NULL;
        g_autofree char *dir = g_dir_make_tmp ("striae-sheet-XXXXXX", NULL);
        g_autofree char *path = g_build_filename (dir, "s.pdf", NULL);
        g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);
        g_autoptr(PopplerDocument) pdf = NULL;
        guint longest = 0;

        striae_sheet_context_set_body_size (context, sizes[s]);
        sheet = striae_sheet_new (template, context, &error);
        g_assert_no_error (error);
        g_assert_true (striae_sheet_export_pdf (sheet, path, &error));
        pdf = poppler_document_new_from_file (uri, NULL, &error);
        g_assert_no_error (error);
        for (int i = 0; i < poppler_document_get_n_pages (pdf); i++)
          {
            g_autoptr(PopplerPage) page = poppler_document_get_page (pdf, i);
            g_autofree char *text = poppler_page_get_text (page);
            g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

            for (guint l = 0; lines[l] != NULL; l++)
              {
                glong length = g_utf8_strlen (g_strstrip (lines[l]), -1);

                if (length > 70)
                  g_error ("%s at %.0f pt: a line of %ld characters: “%s”", names[n], sizes[s],
                           length, lines[l]);
                longest = MAX (longest, (guint)length);
              }
          }
        g_assert_cmpuint (longest, >=, sizes[s] > 14 ? 40 : 55);
        g_unlink (path);
        g_rmdir (dir);
      }
}

/* Thirty sessions run over pages: each page with rows shows the column headings first, and
 * no page ends with a heading. */
static void
test_long_table (void)
{
  const char * const *names = striae_sheet_template_names ();

  for (guint n = 0; names[n] != NULL; n++)
    {
      g_autoptr(StriaeSheetTemplate) template = load (names[n]);
      g_autoptr(StriaeSheetContext) context = long_context (30);
      g_autoptr(StriaeSheet) sheet = NULL;
      g_autoptr(Rendered) r = NULL;
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) ids = striae_sheet_template_dup_ids (template);
      guint pages_with_rows = 0;
      guint rows = 0;

      striae_sheet_context_set_paper (context, STRIAE_PAPER_US_LETTER);
      sheet = striae_sheet_new (template, context, &error);
      g_assert_no_error (error);
      r = render (sheet);
      check_pages (sheet, r, 612, 792);

      for (guint p = 0; p < r->pages->len; p++)
        {
          const char *text = g_ptr_array_index (r->pages, p);
          const char *first_row = strstr (text, "Visit ");
          const char *heading = strstr (text, "Planned date");
          g_autofree char *footer = g_strdup_printf (" Page %u of %u", p + 1, r->pages->len);
          g_autofree char *body = g_strdup (text);
          char *end;

          for (const char *v = first_row; v != NULL; v = strstr (v + 1, "Visit "))
            rows++;
          if (first_row != NULL)
            {
              pages_with_rows++;
              if (heading == NULL)
                g_error ("%s: page %u has rows but no column headings: %s", names[n], p + 1,
                         text);
              g_assert_true (heading < first_row);
            }

          /* The page's text ends with the footer; before it comes the last body line, which
           * must not be a section heading. */
          end = strstr (body, footer);
          g_assert_nonnull (end);
          *end = '\0';
          {
            g_autofree char *sheet_title = normalise (striae_sheet_get_title (sheet));

            if (g_str_has_suffix (body, sheet_title))
              body[strlen (body) - strlen (sheet_title)] = '\0';
          }
          g_strchomp (body);
          for (guint i = 0; ids[i] != NULL; i++)
            if (g_strcmp0 (striae_sheet_template_get_item_section (template, ids[i]), ids[i]) == 0)
              {
                g_autofree char *title = striae_sheet_template_dup_item_text (template, ids[i]);

                if (p + 1 < r->pages->len && g_str_has_suffix (body, title))
                  g_error ("%s: page %u ends with the heading “%s”", names[n], p + 1, title);
              }
        }
      /* Only sheets with a table of dates have rows. */
      if (pages_with_rows > 0)
        {
          g_assert_cmpuint (rows, ==, 30);
          g_assert_cmpuint (pages_with_rows, >=, 2);
        }
      else
        g_assert_cmpstr (names[n], ==, "consent");
    }
}

static void
test_strike_and_extra (void)
{
  g_autoptr(StriaeSheetTemplate) template = load ("aftercare");
  g_autoptr(StriaeSheetContext) context = base_context ();
  g_autoptr(StriaeSheet) sheet = NULL;
  g_autoptr(Rendered) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const char * const *warnings;
  const char *care, *sun, *extra, *call, *extra_call, *fever;

  striae_sheet_context_strike (context, "no-sun");
  striae_sheet_context_strike (context, "first-days");
  striae_sheet_context_strike (context, "not-an-id");
  striae_sheet_context_add_extra_item (context, NULL, "Keep the dressing on until tonight.");
  striae_sheet_context_add_extra_item (context, "call", "Call Dr Nowak on {her} mobile.");
  striae_sheet_context_add_extra_item (context, "first-days", "Rest <b>today</b> & tomorrow.");
  sheet = striae_sheet_new (template, context, &error);
  g_assert_no_error (error);
  r = render (sheet);
  text = all_text (r);

  g_assert_false (striae_sheet_has_item (sheet, "no-sun"));
  g_assert_null (strstr (text, "Stay out of the sun"));
  g_assert_false (striae_sheet_has_item (sheet, "first-days"));
  g_assert_false (striae_sheet_has_item (sheet, "no-heat"));
  g_assert_null (strstr (text, "For the first 2 days"));
  g_assert_null (strstr (text, "saunas"));
  g_assert_true (striae_sheet_has_item (sheet, "sunscreen"));

  /* The default section is "care": its extra item comes after its own last item. */
  care = strstr (text, "Caring for your skin");
  sun = strstr (text, "Use a broad-spectrum sunscreen");
  extra = strstr (text, "Keep the dressing on until tonight.");
  g_assert_nonnull (care);
  g_assert_nonnull (sun);
  g_assert_nonnull (extra);
  g_assert_true (care < extra && extra < sun);

  call = strstr (text, "When to call us");
  fever = strstr (text, "anything else that worries you");
  extra_call = strstr (text, "Call Dr Nowak on {her} mobile.");
  g_assert_nonnull (extra_call);
  g_assert_true (call < fever && fever < extra_call);

  /* An item for a struck section still prints, literally, and the sheet says so. */
  g_assert_nonnull (strstr (text, "Rest <b>today</b> & tomorrow."));
  warnings = striae_sheet_get_warnings (sheet);
  g_assert_cmpuint (g_strv_length ((char **)warnings), ==, 2);
  g_assert_nonnull (strstr (warnings[0], "not-an-id"));
  g_assert_nonnull (strstr (warnings[1], "first-days"));
}

static void
test_placeholders (void)
{
  g_autoptr(StriaeSheetTemplate) template = load ("consent");
  g_autoptr(StriaeSheetContext) context = base_context ();
  g_autoptr(StriaeSheet) sheet = NULL;
  g_autoptr(Rendered) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  striae_sheet_context_set_value (context, "plan.areas", "hips & <thighs>");
  sheet = striae_sheet_new (template, context, &error);
  g_assert_no_error (error);
  r = render (sheet);
  text = all_text (r);

  g_assert_nonnull (strstr (text, "Needle length: 1.0 mm"));
  g_assert_nonnull (strstr (text, "Areas: hips & <thighs>"));
  /* No value: a blank to fill in, never the raw placeholder. */
  g_assert_nonnull (strstr (text, "Sessions: ____________, about ____________ apart"));
  g_assert_null (strstr (text, "{"));
  /* Header: clinic, patient, dates in the template's words. */
  g_assert_nonnull (strstr (g_ptr_array_index (r->pages, 0), "Clinique Lumière"));
  g_assert_nonnull (strstr (g_ptr_array_index (r->pages, 0), "Date of birth: 12 May 1990"));
  g_assert_nonnull (strstr (g_ptr_array_index (r->pages, 0), "Date: 23 November 2026"));
  g_assert_cmpstr (striae_sheet_get_title (sheet), ==, "Consent to microneedling treatment");
}

static void
test_export_errors (void)
{
  g_autoptr(StriaeSheetTemplate) template = load ("aftercare");
  g_autoptr(StriaeSheetContext) context = base_context ();
  g_autoptr(StriaeSheet) sheet = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("striae-sheet-XXXXXX", NULL);
  g_autofree char *missing = g_build_filename (dir, "no-such-folder", "sheet.pdf", NULL);
  g_autofree char *locked_dir = g_build_filename (dir, "locked", NULL);
  g_autofree char *locked = g_build_filename (locked_dir, "sheet.pdf", NULL);
  g_autofree char *good = g_build_filename (dir, "sheet.pdf", NULL);

  sheet = striae_sheet_new (template, context, &error);
  g_assert_no_error (error);

  g_assert_false (striae_sheet_export_pdf (sheet, missing, &error));
  g_assert_error (error, STRIAE_SHEET_ERROR, STRIAE_SHEET_ERROR_WRITE);
  g_assert_nonnull (strstr (error->message, "no-such-folder"));
  g_clear_error (&error);

  g_assert_false (striae_sheet_export_pdf (sheet, dir, &error));
  g_assert_error (error, STRIAE_SHEET_ERROR, STRIAE_SHEET_ERROR_WRITE);
  g_clear_error (&error);

  g_assert_cmpint (g_mkdir (locked_dir, 0500), ==, 0);
  if (access (locked_dir, W_OK) != 0)
    {
      g_assert_false (striae_sheet_export_pdf (sheet, locked, &error));
      g_assert_error (error, STRIAE_SHEET_ERROR, STRIAE_SHEET_ERROR_WRITE);
      g_clear_error (&error);
    }
  g_rmdir (locked_dir);

  g_assert_true (striae_sheet_export_pdf (sheet, good, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (good, G_FILE_TEST_IS_REGULAR));
  g_unlink (good);
  g_rmdir (dir);
}

static guint
count_entries (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  guint n = 0;

  g_assert_nonnull (handle);
  while (g_dir_read_name (handle) != NULL)
    n++;
  return n;
}

static void
assert_pdf_file (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 1000);
  g_assert_true (g_str_has_prefix (contents, "%PDF-"));
}

/* A batch of PDFs, one a sheet: each replaces what was there; a file that cannot be written
 * stops the batch there, the ones before it are whole on the disk, and no temporary file is
 * left behind. */
static void
test_export_each (void)
{
  g_autoptr(StriaeSheetTemplate) template = load ("aftercare");
  g_autoptr(StriaeSheetContext) context = base_context ();
  g_autoptr(StriaeSheet) sheet = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("striae-sheet-XXXXXX", NULL);
  g_autofree char *a = g_build_filename (dir, "a.pdf", NULL);
  g_autofree char *b = g_build_filename (dir, "b.pdf", NULL);
  g_autofree char *c = g_build_filename (dir, "c.pdf", NULL);
  g_autofree char *missing = g_build_filename (dir, "no-such-folder", "d.pdf", NULL);
  const char *all[] = { a, b, c };
  const char *broken[] = { a, b, missing, c };
  StriaeSheet *sheets[4];
  guint written = 99;

  sheet = striae_sheet_new (template, context, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (sheets); i++)
    sheets[i] = sheet;

  g_assert_true (g_file_set_contents (b, "an older file", -1, NULL));
  g_assert_true (striae_sheet_export_pdf_each (sheets, all, 3, &written, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (written, ==, 3);
  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    assert_pdf_file (all[i]);
  g_assert_cmpuint (count_entries (dir), ==, 3);

  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    g_unlink (all[i]);
  g_assert_false (striae_sheet_export_pdf_each (sheets, broken, 4, &written, &error));
  g_assert_error (error, STRIAE_SHEET_ERROR, STRIAE_SHEET_ERROR_WRITE);
  g_assert_nonnull (strstr (error->message, "no-such-folder"));
  g_clear_error (&error);
  g_assert_cmpuint (written, ==, 2);
  assert_pdf_file (a);
  assert_pdf_file (b);
  g_assert_false (g_file_test (c, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_entries (dir), ==, 2);

  g_assert_true (striae_sheet_export_pdf_each (sheets, NULL, 0, &written, &error));
  g_assert_cmpuint (written, ==, 0);

  g_unlink (a);
  g_unlink (b);
  g_rmdir (dir);
}

typedef struct
{
  StriaeSheet *sheet;
  GMutex      *fonts;
  GBytes      *pdf;
  gint         done;
} Rendering;

static gpointer
render_sharing_thread (gpointer data)
{
  Rendering *rendering = data;

  rendering->pdf = striae_sheet_render_pdf_sharing (rendering->sheet, rendering->fonts, NULL);
  g_atomic_int_set (&rendering->done, 1);
  return NULL;
}

/* A sheet made while another thread makes others draws its pages only holding the fonts'
 * lock, which that other thread holds while it lays text out (Cairo 1.16 shares what the
 * threads' fonts load without a lock of its own), and lets it go; its PDF is the same as
 * one made alone. */
static void
test_render_pdf_sharing (void)
{
  g_autoptr(StriaeSheetTemplate) template = load ("aftercare");
  g_autoptr(StriaeSheetContext) context = base_context ();
  g_autoptr(StriaeSheet) sheet = NULL;
  g_autoptr(GBytes) alone = NULL;
  g_autoptr(GError) error = NULL;
  Rendering rendering = { NULL, NULL, NULL, 0 };
  GMutex fonts;
  GThread *thread;

  sheet = striae_sheet_new (template, context, &error);
  g_assert_no_error (error);
  alone = striae_sheet_render_pdf (sheet, &error);
  g_assert_no_error (error);

  g_mutex_init (&fonts);
  g_mutex_lock (&fonts);
  rendering.sheet = sheet;
  rendering.fonts = &fonts;
  thread = g_thread_new ("render", render_sharing_thread, &rendering);
  /* Alone, a sheet is drawn in a few milliseconds. */
  g_usleep (300 * G_TIME_SPAN_MILLISECOND);
  g_assert_false (g_atomic_int_get (&rendering.done));
  g_mutex_unlock (&fonts);
  g_thread_join (thread);

  g_assert_nonnull (rendering.pdf);
  g_assert_cmpuint (g_bytes_get_size (rendering.pdf), ==, g_bytes_get_size (alone));
  g_assert_true (g_mutex_trylock (&fonts));
  g_mutex_unlock (&fonts);
  g_mutex_clear (&fonts);
  g_bytes_unref (rendering.pdf);
}

static gpointer
release_fonts_thread (gpointer data)
{
  PangoFontMap **font_map = data;

  *font_map = pango_cairo_font_map_get_default ();
  g_object_add_weak_pointer (G_OBJECT (*font_map), (gpointer *) font_map);
  striae_sheet_release_thread_fonts ();
  /* Before the thread ends, which would let go of it too. */
  return GINT_TO_POINTER (*font_map == NULL);
}

/* A thread that made sheets beside another lets go of its font map when it says so (under
 * the fonts' lock), not when it ends. */
static void
test_release_thread_fonts (void)
{
  PangoFontMap *font_map = NULL;
  GThread *thread = g_thread_new ("fonts", release_fonts_thread, &font_map);

  g_assert_true (GPOINTER_TO_INT (g_thread_join (thread)));
  g_assert_null (font_map);
}

/* A day's stack is written by several threads at once (more files than threads): as when
 * written one after the other, a file that cannot be written in the middle keeps the ones
 * before it, whole, and drops those after it, written meanwhile or not, temporary files
 * included. */
static void
test_write_pdfs_many (void)
{
  g_autoptr(StriaeSheetTemplate) template = load ("aftercare");
  g_autoptr(StriaeSheetContext) context = base_context ();
  g_autoptr(StriaeSheet) sheet = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *dir = g_dir_make_tmp ("striae-sheet-XXXXXX", NULL);
  GBytes *pdfs[20];
  guint written = 99;

  sheet = striae_sheet_new (template, context, &error);
  g_assert_no_error (error);
  pdf = striae_sheet_render_pdf (sheet, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (pdfs); i++)
    {
      g_autofree char *name = g_strdup_printf ("%02u.pdf", i);

      pdfs[i] = pdf;
      g_ptr_array_add (paths, g_build_filename (dir, name, NULL));
    }

  g_assert_true (striae_sheet_write_pdfs (pdfs, (const char * const *) paths->pdata,
                                          paths->len, &written, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (written, ==, 20);
  for (guint i = 0; i < paths->len; i++)
    assert_pdf_file (g_ptr_array_index (paths, i));
  g_assert_cmpuint (count_entries (dir), ==, 20);
  for (guint i = 0; i < paths->len; i++)
    g_unlink (g_ptr_array_index (paths, i));

  /* The 13th cannot be written: its folder does not exist. */
  g_free (paths->pdata[12]);
  paths->pdata[12] = g_build_filename (dir, "no-such-folder", "12.pdf", NULL);
  g_assert_false (striae_sheet_write_pdfs (pdfs, (const char * const *) paths->pdata,
                                           paths->len, &written, &error));
  g_assert_error (error, STRIAE_SHEET_ERROR, STRIAE_SHEET_ERROR_WRITE);
  g_assert_nonnull (strstr (error->message, "no-such-folder"));
  g_assert_cmpuint (written, ==, 12);
  for (guint i = 0; i < 12; i++)
    assert_pdf_file (g_ptr_array_index (paths, i));
  g_assert_cmpuint (count_entries (dir), ==, 12);

  for (guint i = 0; i < 12; i++)
    g_unlink (g_ptr_array_index (paths, i));
  g_rmdir (dir);
}

/* The same routine draws on any surface at any scale: a preview at half size. */
static void
test_draw_scaled (void)
{
  g_autoptr(StriaeSheetTemplate) template = load ("pre-treatment");
  g_autoptr(StriaeSheetContext) context = base_context ();
  g_autoptr(StriaeSheet) sheet = NULL;
  g_autoptr(GError) error = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  guint dark = 0;
  double w, h;

  sheet = striae_sheet_new (template, context, &error);
  g_assert_no_error (error);
  striae_sheet_get_page_size (sheet, &w, &h);
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int)(w / 2), (int)(h / 2));
  cr = cairo_create (surface);
  cairo_scale (cr, 0.5, 0.5);
  striae_sheet_draw_page (sheet, cr, 0);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_flush (surface);
  for (int y = 0; y < cairo_image_surface_get_height (surface); y++)
    {
      const guint32 *row = (const guint32 *)(cairo_image_surface_get_data (surface)
                                             + y * cairo_image_surface_get_stride (surface));

      for (int x = 0; x < cairo_image_surface_get_width (surface); x++)
        if ((row[x] & 0xff) < 0x80)
          dark++;
    }
  /* Black text on a white page. */
  g_assert_cmpuint (dark, >, 2000);
  g_assert_cmphex (((const guint32 *)cairo_image_surface_get_data (surface))[0] & 0xffffff, ==,
                   0xffffff);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

static void
test_many_in_one_pdf (void)
{
  g_autoptr(GPtrArray) sheets = g_ptr_array_new_with_free_func (g_object_unref);
  const char * const *names = striae_sheet_template_names ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("striae-sheet-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "stack.pdf", NULL);
  g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);
  g_autoptr(PopplerDocument) pdf = NULL;
  guint pages = 0;

  for (guint n = 0; names[n] != NULL; n++)
    {
      g_autoptr(StriaeSheetTemplate) template = load (names[n]);
      g_autoptr(StriaeSheetContext) context = base_context ();
      StriaeSheet *sheet;

      striae_sheet_context_set_paper (context, n == 1 ? STRIAE_PAPER_US_LETTER : STRIAE_PAPER_A4);
      sheet = striae_sheet_new (template, context, &error);
      g_assert_no_error (error);
      pages += striae_sheet_get_n_pages (sheet);
      g_ptr_array_add (sheets, sheet);
    }
  g_assert_true (striae_sheet_export_pdf_many ((StriaeSheet * const *)sheets->pdata, sheets->len,
                                               path, &error));
  g_assert_no_error (error);
  pdf = poppler_document_new_from_file (uri, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (poppler_document_get_n_pages (pdf), ==, (int)pages);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_context_inputs (void)
{
  g_autoptr(StriaeSheetContext) context = striae_sheet_context_new ();
  g_autoptr(GError) error = NULL;
  const char *label = NULL;
  const GDate *date;
  g_auto(GStrv) struck = NULL;

  g_assert_true (striae_sheet_context_add_session_iso (context, "2026-05-12", "First", &error));
  g_assert_no_error (error);
  g_assert_false (striae_sheet_context_add_session_iso (context, "2026-02-30", NULL, &error));
  g_assert_error (error, STRIAE_SHEET_ERROR, STRIAE_SHEET_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (striae_sheet_context_add_session_iso (context, "12/05/2026", NULL, &error));
  g_assert_error (error, STRIAE_SHEET_ERROR, STRIAE_SHEET_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpuint (striae_sheet_context_get_n_sessions (context), ==, 1);
  date = striae_sheet_context_get_session (context, 0, &label);
  g_assert_cmpstr (label, ==, "First");
  g_assert_cmpint (g_date_get_day (date), ==, 12);

  /* Control characters and invalid UTF-8 never reach the page. */
  striae_sheet_context_set_value (context, "patient.name", "  Ann\x01" "a \xff Smith\t ");
  g_assert_cmpstr (striae_sheet_context_get_value (context, "patient.name"), ==,
                   "Anna \xef\xbf\xbd Smith");
  striae_sheet_context_set_value (context, "patient.name", "");
  g_assert_null (striae_sheet_context_get_value (context, "patient.name"));

  striae_sheet_context_set_body_size (context, 8);
  g_assert_cmpfloat (striae_sheet_context_get_body_size (context), ==, 12);
  striae_sheet_context_strike (context, "b");
  striae_sheet_context_strike (context, "a");
  struck = striae_sheet_context_dup_struck_ids (context);
  g_assert_cmpstr (struck[0], ==, "a");
  g_assert_cmpstr (struck[1], ==, "b");
  g_assert_null (struck[2]);
  striae_sheet_context_set_fact (context, "rf", TRUE);
  g_assert_true (striae_sheet_context_has_fact (context, "rf"));
  striae_sheet_context_set_fact (context, "rf", FALSE);
  g_assert_false (striae_sheet_context_has_fact (context, "rf"));
  g_assert_finalize_object (g_steal_pointer (&context));
}

static void
test_bad_logo_warns (void)
{
  g_autoptr(StriaeSheetTemplate) template = load ("aftercare");
  g_autoptr(StriaeSheetContext) context = base_context ();
  g_autoptr(StriaeSheet) sheet = NULL;
  g_autoptr(GError) error = NULL;
  const char * const *warnings;

  striae_sheet_context_set_clinic (context, "Clinic", NULL, NULL, NULL, "/nonexistent/logo.png");
  sheet = striae_sheet_new (template, context, &error);
  g_assert_no_error (error);
  warnings = striae_sheet_get_warnings (sheet);
  g_assert_cmpuint (g_strv_length ((char **)warnings), ==, 1);
  g_assert_nonnull (strstr (warnings[0], "/nonexistent/logo.png"));
  g_assert_cmpuint (striae_sheet_get_n_pages (sheet), >=, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sheet/items-follow-facts", test_items_follow_facts);
  for (guint i = 0; i < G_N_ELEMENTS (rule_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/sheet/rule/%u-%s", i, rule_cases[i].sheet);

      g_test_add_data_func (path, &rule_cases[i], test_rules);
    }
  g_test_add_func ("/sheet/names", test_names_survive);
  g_test_add_func ("/sheet/paper-and-pages", test_paper_and_pages);
  g_test_add_func ("/sheet/line-length", test_line_length);
  g_test_add_func ("/sheet/long-table", test_long_table);
  g_test_add_func ("/sheet/strike-and-extra", test_strike_and_extra);
  g_test_add_func ("/sheet/placeholders", test_placeholders);
  g_test_add_func ("/sheet/export-errors", test_export_errors);
  g_test_add_func ("/sheet/export-each", test_export_each);
  g_test_add_func ("/sheet/write-pdfs-many", test_write_pdfs_many);
  g_test_add_func ("/sheet/render-pdf-sharing", test_render_pdf_sharing);
  g_test_add_func ("/sheet/release-thread-fonts", test_release_thread_fonts);
  g_test_add_func ("/sheet/draw-scaled", test_draw_scaled);
  g_test_add_func ("/sheet/many-in-one-pdf", test_many_in_one_pdf);
  g_test_add_func ("/sheet/context", test_context_inputs);
  g_test_add_func ("/sheet/bad-logo", test_bad_logo_warns);

  return g_test_run ();
}
