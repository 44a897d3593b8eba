/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <libintl.h>
#include <locale.h>
#include <poppler.h>
#include <string.h>

#include "striae-sheet.h"
#include "striae-sheet-composer.h"
#include "striae-sheet-error.h"
#include "striae-sheet-language.h"
#include "striae-sheet-names.h"
#include "striae-test-date.h"

/* poppler-glib 22.12 declares no autoptr cleanups. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerDocument, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerPage, g_object_unref)

static const char * const languages[] = { "de", "fr", "es", NULL };

static const char * const label_keys[] = {
  "page", "patient", "birth-date", "date", "signature", "signature-date", "session",
  "maintenance", NULL
};

/* The words the composer fills into placeholders: every shipped template, English included,
 * writes them out so a clinic's copy shows what to change. */
static const char * const value_keys[] = {
  "treatment", "treatment-rf", "week", "weeks", "every-month", "every-months", "depth",
  "decimal-mark", "and", "area-abdomen", "area-breasts", "area-hips", "area-flanks",
  "area-thighs", "area-buttocks", "area-upper-arms", "area-inner-arms", "area-lower-back",
  "area-other", "area-breasts-left", "area-breasts-right", "area-breasts-both", "area-hips-left",
  "area-hips-right", "area-hips-both", "area-flanks-left", "area-flanks-right",
  "area-flanks-both", "area-thighs-left", "area-thighs-right", "area-thighs-both",
  "area-buttocks-left", "area-buttocks-right", "area-buttocks-both", "area-upper-arms-left",
  "area-upper-arms-right", "area-upper-arms-both", "area-inner-arms-left",
  "area-inner-arms-right", "area-inner-arms-both", NULL
};

static StriaeSheetTemplate *
load (const char *name,
      const char *language)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *warning = NULL;
  StriaeSheetTemplate *template;

  template = striae_sheet_template_load (name, language, "/nonexistent", NULL, NULL, &warning,
                                         &error);
  g_assert_no_error (error);
  g_assert_null (warning);
  g_assert_true (striae_sheet_template_is_built_in (template));
  g_assert_cmpstr (striae_sheet_template_get_language (template), ==, language);
  return template;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The {placeholders} of a text, sorted, as one string. */
static char *
placeholders_of (const char *text)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GString *out = g_string_new (NULL);

  for (const char *p = text; p != NULL && *p; p++)
    {
      const char *end;

      if (*p == '{' && p[1] == '{')
        p++;
      else if (*p == '{' && (end = strchr (p, '}')) != NULL)
        {
          g_ptr_array_add (names, g_strndup (p + 1, end - p - 1));
          p = end;
        }
    }
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    g_string_append_printf (out, "%s{%s}", i > 0 ? " " : "",
                            (char *) g_ptr_array_index (names, i));
  return g_string_free (out, FALSE);
}

/* ---------------------------------------------------------------------------------------- */

typedef struct
{
  const char *language;
  const char *name;
} Pair;

/* A translation is a full document written for patients, but a struck id must stay struck
 * and a condition must pick the same items in every language (FORMAT.md "Ids"). */
static void
test_same_structure (gconstpointer data)
{
  const Pair *pair = data;
  g_autoptr(StriaeSheetTemplate) english = load (pair->name, "en");
  g_autoptr(StriaeSheetTemplate) translated = load (pair->name, pair->language);
  g_auto(GStrv) english_ids = striae_sheet_template_dup_ids (english);
  g_auto(GStrv) ids = striae_sheet_template_dup_ids (translated);
  g_autofree char *english_title = striae_sheet_template_dup_title (english);
  g_autofree char *title = striae_sheet_template_dup_title (translated);
  g_autofree char *english_title_names = placeholders_of (english_title);
  g_autofree char *title_names = placeholders_of (title);

  g_assert_cmpstrv (ids, english_ids);
  g_assert_cmpstr (title, !=, english_title);
  g_assert_cmpstr (title_names, ==, english_title_names);

  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autofree char *english_text = striae_sheet_template_dup_item_text (english, ids[i]);
      g_autofree char *text = striae_sheet_template_dup_item_text (translated, ids[i]);
      g_autofree char *english_names = placeholders_of (english_text);
      g_autofree char *names = placeholders_of (text);

      g_assert_cmpstr (striae_sheet_template_get_item_condition (translated, ids[i]), ==,
                       striae_sheet_template_get_item_condition (english, ids[i]));
      g_assert_cmpstr (striae_sheet_template_get_item_section (translated, ids[i]), ==,
                       striae_sheet_template_get_item_section (english, ids[i]));
      g_assert_cmpstr (names, ==, english_names);
      /* Lists have no text of their own; everything else is written out. */
      g_assert_cmpint (*text == '\0', ==, *english_text == '\0');
      /* A sentence equal to the English one was left untranslated; short texts such as
       * "Signature" may be the same word. */
      if (strlen (english_text) > 12)
        g_assert_cmpstr (text, !=, english_text);
    }

  /* Each language carries its own words around the content. */
  for (guint i = 0; label_keys[i] != NULL; i++)
    {
      g_assert_true (striae_sheet_template_has_label (translated, label_keys[i]));
      g_assert_false (striae_sheet_template_has_label (english, label_keys[i]));
    }
  for (guint i = 0; value_keys[i] != NULL; i++)
    {
      g_assert_true (striae_sheet_template_has_label (translated, value_keys[i]));
      g_assert_true (striae_sheet_template_has_label (english, value_keys[i]));
      g_assert_cmpstr (striae_sheet_template_get_label (english, value_keys[i]), !=, NULL);
    }
}

/* Every template composes without a warning, with every fact holding and with none. */
static void
test_loads_cleanly (gconstpointer data)
{
  const Pair *pair = data;
  const char * const *facts = striae_sheet_default_facts ();
  g_autoptr(StriaeSheetTemplate) template = load (pair->name, pair->language);

  for (guint all = 0; all < 2; all++)
    {
      g_autoptr(StriaeSheetContext) context = striae_sheet_context_new ();
      g_autoptr(StriaeSheet) sheet = NULL;
      g_autoptr(GError) error = NULL;

      striae_sheet_context_set_language (context, pair->language);
      for (guint i = 0; facts[i] != NULL; i++)
        striae_sheet_context_set_fact (context, facts[i], all);
      sheet = striae_sheet_new (template, context, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (g_strv_length ((char **) striae_sheet_get_warnings (sheet)), ==, 0);
      g_assert_cmpuint (striae_sheet_get_n_pages (sheet), >=, 1);
    }
}

/* ---------------------------------------------------------------------------------------- */
/* PDF spot checks                                                                           */

/* Text as a reader sees it: ligatures folded, every run of white space (line breaks, no-break
 * spaces) one space. */
static char *
normalise (const char *text)
{
  g_autofree char *folded = g_utf8_normalize (text, -1, G_NORMALIZE_NFKC);
  GString *out = g_string_new (NULL);
  gboolean space = FALSE;

  for (const char *p = folded; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

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

/* Exports @sheet and returns the text of every page, pages separated by form feeds; @lines
 * gets the text's lines as poppler reads them, NFKC-folded. */
static char *
pdf_text_lines (StriaeSheet  *sheet,
                guint        *n_pages,
                char       ***lines)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("striae-languages-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *uri = NULL;
  g_autoptr(PopplerDocument) pdf = NULL;
  GString *text = g_string_new (NULL);
  GString *raw_text = g_string_new (NULL);

  g_assert_no_error (error);
  path = g_build_filename (dir, "sheet.pdf", NULL);
  g_assert_true (striae_sheet_export_pdf (sheet, path, &error));
  g_assert_no_error (error);
  uri = g_filename_to_uri (path, NULL, NULL);
  pdf = poppler_document_new_from_file (uri, NULL, &error);
  g_assert_no_error (error);
  *n_pages = poppler_document_get_n_pages (pdf);
  for (guint i = 0; i < *n_pages; i++)
    {
      g_autoptr(PopplerPage) page = poppler_document_get_page (pdf, i);
      g_autofree char *raw = poppler_page_get_text (page);
      g_autofree char *clean = normalise (raw);

      g_autofree char *folded = g_utf8_normalize (raw, -1, G_NORMALIZE_NFKC);

      g_string_append_printf (text, "%s\f", clean);
      g_string_append_printf (raw_text, "%s\n", folded);
    }
  g_unlink (path);
  g_rmdir (dir);
  if (lines != NULL)
    *lines = g_strsplit (raw_text->str, "\n", -1);
  g_string_free (raw_text, TRUE);
  return g_string_free (text, FALSE);
}

static char *
pdf_text (StriaeSheet *sheet,
          guint       *n_pages)
{
  return pdf_text_lines (sheet, n_pages, NULL);
}

static StriaeSheet *
patient_sheet (StriaeSheetTemplate *template,
               const char          *language)
{
  g_autoptr(StriaeSheetContext) context = striae_sheet_context_new ();
  g_autoptr(GError) error = NULL;
  StriaeSheet *sheet;
  GDate date;

  striae_sheet_context_set_language (context, language);
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 12, G_DATE_MAY, 1990);
  striae_sheet_context_set_patient (context, "Anna Weiß", &date);
  g_date_set_dmy (&date, 23, G_DATE_NOVEMBER, 2026);
  striae_sheet_context_set_date (context, &date);
  striae_sheet_context_set_clinic (context, "Hautpraxis Süd", "Hauptstraße 1\n80331 München",
                                   "+49 89 123456", NULL, NULL);
  striae_sheet_context_set_value (context, "plan.treatment", "Microneedling");
  striae_sheet_context_set_value (context, "plan.needle_depth", "1,0 mm");
  striae_sheet_context_set_value (context, "practitioner.name", "Dr. Lena Roth");
  striae_sheet_context_set_fact (context, "striae-albae", TRUE);
  for (guint i = 1; i <= 3; i++)
    {
      g_autofree char *label = striae_sheet_template_dup_session_label (template, i);

      g_date_add_days (&date, 14);
      striae_sheet_context_add_session (context, &date, label);
    }
  sheet = striae_sheet_new (template, context, &error);
  g_assert_no_error (error);
  return sheet;
}

typedef struct
{
  const char *language;
  const char *sheet_date;   /* the header: 23 November 2026 */
  const char *birth_date;   /* the header: 12 May 1990 */
  const char *session;      /* the second row of the table … */
  const char *session_date; /* … on Monday 21 December 2026, with its weekday */
  const char *page;         /* the footer of page 1, without the count */
  const char *header;       /* the header's date-of-birth label */
  const char *phrase;       /* a sentence of the body */
  const char *signature;    /* the caption under a signature line */
} SpotCheck;

static const SpotCheck spot_checks[] = {
  { "de", "Datum: 23. November 2026", "Geburtsdatum: 12. Mai 1990",
    "Sitzung 2", "Montag, 21. Dezember 2026", "Seite 1 von ", "Geburtsdatum:",
    "Ältere, weiße Streifen bessern sich weniger und langsamer.", "Unterschrift" },
  { "fr", "Date : 23 novembre 2026", "Date de naissance : 12 mai 1990",
    "Séance 2", "lundi 21 décembre 2026", "Page 1 sur ", "Date de naissance :",
    "Les vergetures anciennes et blanches s’améliorent moins et plus lentement.",
    "Signature" },
  { "es", "Fecha: 23 de noviembre de 2026", "Fecha de nacimiento: 12 de mayo de 1990",
    "Sesión 2", "lunes, 21 de diciembre de 2026", "Página 1 de ", "Fecha de nacimiento:",
    "Las estrías antiguas y blancas mejoran menos y más despacio.", "Firma" },
  { "en", "Date: 23 November 2026", "Date of birth: 12 May 1990",
    "Session 2", "Monday 21 December 2026", "Page 1 of ", "Date of birth:",
    "Older, white marks improve less and more slowly.", "Signature" },
};

static void
assert_contains (const char *text,
                 const char *needle)
{
  if (strstr (text, needle) == NULL)
    g_error ("“%s” is not in the sheet:\n%s", needle, text);
}

static void
test_pdf_spot_checks (gconstpointer data)
{
  const SpotCheck *check = data;
  g_autoptr(StriaeSheetTemplate) aftercare = load ("aftercare", check->language);
  g_autoptr(StriaeSheetTemplate) consent = load ("consent", check->language);
  g_autoptr(StriaeSheet) sheet = patient_sheet (aftercare, check->language);
  g_autoptr(StriaeSheet) consent_sheet = patient_sheet (consent, check->language);
  g_autofree char *text = NULL;
  g_autofree char *consent_text = NULL;
  g_autofree char *footer = NULL;
  g_autofree char *title = striae_sheet_template_dup_title (aftercare);
  g_auto(GStrv) lines = NULL;
  guint n_headers = 0;
  guint n_pages = 0;
  guint n_consent_pages = 0;

  text = pdf_text_lines (sheet, &n_pages, &lines);
  g_assert_cmpuint (n_pages, ==, striae_sheet_get_n_pages (sheet));
  g_assert_cmpuint (n_pages, >=, 2);
  /* The header breaks between its pairs, never inside a date: on every page (the first and
   * the running header of the others) the birth date's label and its year share a line. */
  for (guint i = 0; lines[i] != NULL; i++)
    if (strstr (lines[i], check->header) != NULL)
      {
        if (strstr (lines[i], "1990") == NULL)
          g_error ("The date of birth is split: “%s”", lines[i]);
        n_headers++;
      }
  g_assert_cmpuint (n_headers, ==, n_pages);
  footer = g_strdup_printf ("%s%u", check->page, n_pages);
  assert_contains (text, footer);
  assert_contains (text, check->sheet_date);
  assert_contains (text, check->birth_date);
  assert_contains (text, check->session);
  assert_contains (text, check->session_date);
  assert_contains (text, check->header);
  assert_contains (text, check->phrase);
  assert_contains (text, title);

  consent_text = pdf_text (consent_sheet, &n_consent_pages);
  assert_contains (consent_text, check->signature);
  g_assert_cmpuint (n_consent_pages, ==, striae_sheet_get_n_pages (consent_sheet));

  /* No English chrome on a translated sheet. */
  if (g_strcmp0 (check->language, "en") != 0)
    {
      g_assert_null (strstr (text, "Page 1 of"));
      g_assert_null (strstr (text, "Date of birth"));
      g_assert_null (strstr (text, "Session "));
      g_assert_null (strstr (text, "Monday"));
    }
}

/* ---------------------------------------------------------------------------------------- */
/* An English sheet in a German session                                                      */

/* Writes a GNU message catalog (.mo) holding @pairs (msgid, msgstr, …, NULL), sorted by msgid
 * as the format requires. */
static void
write_catalog (const char         *path,
               const char * const *pairs)
{
  g_autoptr(GByteArray) data = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  guint n = g_strv_length ((char **) pairs) / 2;
  guint32 header[7] = { 0x950412de, 0, n, 28, 28 + 8 * n, 0, 28 + 16 * n };
  guint32 offset = 28 + 16 * n;

  g_byte_array_append (data, (guint8 *) header, sizeof header);
  for (guint column = 0; column < 2; column++)
    {
      guint32 at = offset;

      for (guint i = 0; i < n; i++)
        {
          const char *s = pairs[2 * i + column];
          guint32 entry[2] = { strlen (s), at };

          g_byte_array_append (data, (guint8 *) entry, sizeof entry);
          at += strlen (s) + 1;
        }
      offset = at;
    }
  g_assert_cmpuint (data->len, ==, 28 + 16 * n);
  for (guint column = 0; column < 2; column++)
    for (guint i = 0; i < n; i++)
      g_byte_array_append (data, (guint8 *) pairs[2 * i + column],
                           strlen (pairs[2 * i + column]) + 1);

  g_file_set_contents (path, (char *) data->data, data->len, &error);
  g_assert_no_error (error);
}

/* A known defect: the sheet's words around its content followed the application's locale, so
 * an English sheet printed in a German session said "Seite 1 von 2". The catalog below holds
 * the old messages; the test first proves that gettext uses it. */
static void
test_english_in_german_session (void)
{
  static const char * const pairs[] = {
    "", "Content-Type: text/plain; charset=UTF-8\n",
    "%s: <b>%s</b>", "%s – <b>%s</b>",
    "Date", "Datum",
    "Date of birth", "Geburtsdatum",
    "Page %u of %u", "Seite %u von %u",
    "Patient", "Patientin",
    "Signature", "Unterschrift",
    NULL
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("striae-locale-XXXXXX", &error);
  g_autofree char *messages = g_build_filename (dir, "de", "LC_MESSAGES", NULL);
  g_autofree char *catalog = g_build_filename (messages, "striae-test.mo", NULL);
  g_autoptr(StriaeSheetTemplate) aftercare = NULL;
  g_autoptr(StriaeSheetTemplate) consent = NULL;
  g_autoptr(StriaeSheet) sheet = NULL;
  g_autoptr(StriaeSheet) consent_sheet = NULL;
  g_autofree char *text = NULL;
  g_autofree char *consent_text = NULL;
  g_autofree char *footer = NULL;
  g_autofree char *old_language = g_strdup (g_getenv ("LANGUAGE"));
  guint n_pages = 0;

  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir_with_parents (messages, 0700), ==, 0);
  write_catalog (catalog, pairs);

  g_setenv ("LANGUAGE", "de", TRUE);
  setlocale (LC_ALL, "");
  bindtextdomain ("striae-test", dir);
  bind_textdomain_codeset ("striae-test", "UTF-8");
  textdomain ("striae-test");
  if (g_strcmp0 (gettext ("Page %u of %u"), "Seite %u von %u") != 0)
    g_error ("The German test catalog is not used (locale “%s”), so the test proves nothing.",
             setlocale (LC_MESSAGES, NULL));

  aftercare = load ("aftercare", "en");
  consent = load ("consent", "en");
  sheet = patient_sheet (aftercare, "en");
  consent_sheet = patient_sheet (consent, "en");
  text = pdf_text (sheet, &n_pages);
  consent_text = pdf_text (consent_sheet, &n_pages);

  textdomain ("messages");
  if (old_language != NULL)
    g_setenv ("LANGUAGE", old_language, TRUE);
  else
    g_unsetenv ("LANGUAGE");
  g_unlink (catalog);
  g_rmdir (messages);
  {
    g_autofree char *de = g_path_get_dirname (messages);

    g_rmdir (de);
  }
  g_rmdir (dir);

  footer = g_strdup_printf ("Page 1 of %u", striae_sheet_get_n_pages (sheet));
  assert_contains (text, footer);
  assert_contains (text, "Patient: Anna Weiß");
  assert_contains (text, "Date of birth: 12 May 1990");
  assert_contains (text, "Date: 23 November 2026");
  assert_contains (text, "Session 2");
  assert_contains (consent_text, "Signature");
  for (guint i = 2; pairs[i] != NULL; i += 2)
    if (strlen (pairs[i + 1]) > 6)
      {
        g_assert_null (strstr (text, pairs[i + 1]));
        g_assert_null (strstr (consent_text, pairs[i + 1]));
      }
  g_assert_null (strstr (text, "Seite"));
}

/* ---------------------------------------------------------------------------------------- */
/* Labels in the template                                                                    */

static void
test_labels (void)
{
  g_autoptr(StriaeSheetTemplate) english = load ("aftercare", "en");
  g_autoptr(StriaeSheetTemplate) german = load ("aftercare", "de");
  g_autofree char *row = striae_sheet_template_dup_session_label (german, 12);
  g_autofree char *english_row = striae_sheet_template_dup_session_label (english, 1);

  /* Without <labels>, English. */
  g_assert_cmpstr (striae_sheet_template_get_label (english, "page"), ==,
                   "Page {page} of {pages}");
  g_assert_cmpstr (striae_sheet_template_get_label (english, "birth-date"), ==,
                   "Date of birth:");
  g_assert_cmpstr (english_row, ==, "Session 1");
  g_assert_cmpstr (striae_sheet_template_get_label (german, "page"), ==,
                   "Seite {page} von {pages}");
  g_assert_cmpstr (striae_sheet_template_get_label (german, "signature"), ==, "Unterschrift");
  g_assert_cmpstr (row, ==, "Sitzung 12");
  g_assert_null (striae_sheet_template_get_label (german, "footer"));
  g_assert_false (striae_sheet_template_has_label (german, "footer"));
}

#define SHEET_START "<sheet version=\"1\" title=\"T\">\n"
#define SHEET_END   "<section id=\"s\" title=\"S\"><p id=\"p\">Text.</p></section>\n</sheet>\n"

/* A number and its unit stay on one line: each shipped template, and the English words of a
 * clinic's copy without <labels>, join them with a no-break space. */
static void
test_unit_labels (void)
{
  static const char * const keys[] = { "week", "weeks", "every-month", "every-months", "depth" };
  static const char * const all[] = { "en", "de", "fr", "es", NULL };
  const char * const *names = striae_sheet_template_names ();
  g_autoptr(GError) error = NULL;
  g_autoptr(StriaeSheetTemplate) bare = NULL;

  bare = striae_sheet_template_new_from_data (SHEET_START SHEET_END, -1, "bare.xml", NULL, NULL,
                                              &error);
  g_assert_no_error (error);
  g_assert_cmpstr (striae_sheet_template_get_label (bare, "depth"), ==, "{depth}\xc2\xa0mm");
  g_assert_cmpstr (striae_sheet_template_get_label (bare, "weeks"), ==, "{n}\xc2\xa0weeks");

  for (guint l = 0; all[l] != NULL; l++)
    for (guint n = 0; names[n] != NULL; n++)
      {
        g_autoptr(StriaeSheetTemplate) template = load (names[n], all[l]);

        for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
          {
            const char *label = striae_sheet_template_get_label (template, keys[k]);
            const char *number = strstr (label, keys[k][0] == 'd' ? "{depth}" : "{n}");

            g_test_message ("%s %s %s: \"%s\"", all[l], names[n], keys[k], label);
            /* "jeden Monat", "tous les mois": no number, nothing to keep together. */
            if (number == NULL)
              continue;
            number = strchr (number, '}') + 1;
            g_assert_true (g_str_has_prefix (number, "\xc2\xa0"));
          }
      }
}

typedef struct
{
  const char *xml;
  int         line;
  const char *message;  /* a part of the message */
} BadLabels;


static const BadLabels bad_labels[] = {
  { SHEET_START "<labels footer=\"x\"/>\n" SHEET_END, 2, "Unknown label “footer”" },
  { SHEET_START "\n<labels page=\"Seite {n}\"/>\n" SHEET_END, 3, "{page} and {pages}" },
  { SHEET_START "<labels date=\"Datum {page}\"/>\n" SHEET_END, 2, "may not use placeholders" },
  { SHEET_START "<labels weeks=\"{weeks} Wochen\"/>\n" SHEET_END, 2, "may only use {n}" },
  { SHEET_START "<labels depth=\"{n} mm\"/>\n" SHEET_END, 2, "may only use {depth}" },
  { SHEET_START "<labels area-abdomen=\"Bauch {n}\"/>\n" SHEET_END, 2,
    "may not use placeholders" },
  { SHEET_START "<labels area-belly=\"Bauch\"/>\n" SHEET_END, 2, "area-abdomen" },
  { SHEET_START "<labels date=\"Datum\"/>\n<labels page=\"S\"/>\n" SHEET_END, 3, "once" },
  { SHEET_START "<labels>\n<section id=\"x\" title=\"X\"/></labels>\n" SHEET_END, 3,
    "holds no elements" },
  { SHEET_START "<labels>Text</labels>\n" SHEET_END, 2, "Text belongs inside" },
  { SHEET_START "<section id=\"s\" title=\"S\"><labels date=\"D\"/><p id=\"p\">T.</p>"
    "</section>\n</sheet>\n", 2, "<labels> belongs inside <sheet>" },
};

static void
test_bad_labels (gconstpointer data)
{
  const BadLabels *bad = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(StriaeSheetTemplate) template = NULL;
  g_autofree char *prefix = g_strdup_printf ("clinic/de/aftercare.xml:%d: ", bad->line);

  template = striae_sheet_template_new_from_data (bad->xml, -1, "clinic/de/aftercare.xml",
                                                  NULL, NULL, &error);
  g_assert_null (template);
  g_assert_nonnull (error);
  g_assert_true (error->domain == STRIAE_SHEET_ERROR);
  if (!g_str_has_prefix (error->message, prefix) || strstr (error->message, bad->message) == NULL)
    g_error ("Expected “%s…%s”, got “%s”", prefix, bad->message, error->message);
}

static void
test_good_labels (void)
{
  static const char xml[] =
    SHEET_START "<labels page=\"{page}/{pages}\" session=\"#{n}\"\n"
    "        patient=\"  Name\n   der Person: \"/>\n" SHEET_END;
  g_autoptr(GError) error = NULL;
  g_autoptr(StriaeSheetTemplate) template = NULL;
  g_autofree char *row = NULL;

  template = striae_sheet_template_new_from_data (xml, -1, "clinic/xx/aftercare.xml", NULL,
                                                  NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (striae_sheet_template_get_label (template, "patient"), ==,
                   "Name der Person:");
  g_assert_cmpstr (striae_sheet_template_get_label (template, "date"), ==, "Date:");
  row = striae_sheet_template_dup_session_label (template, 3);
  g_assert_cmpstr (row, ==, "#3");
}

/* The composer writes the rows of the sessions table in the sheet's language: a German
 * patient's plan of 2 sessions and maintenance, composed in an English session. */
static void
test_composed_rows (void)
{
  const StriaeClinicSettings clinic = { .name = "Hautpraxis Süd", .phone = "+49 89 123456",
                                        .practitioner = "Dr. Lena Roth", .language = "en" };
  g_autoptr(StriaePatient) patient = striae_patient_new ();
  g_autoptr(StriaeConsultation) consultation = striae_consultation_new ();
  g_autoptr(StriaeSheetTemplate) template = load ("aftercare", "de");
  g_autoptr(StriaeSheetContext) context = NULL;
  StriaePlan *plan = striae_consultation_get_plan (consultation);
  const char *label = NULL;
  GDate today;

  striae_patient_set_given_name (patient, "Jonas");
  striae_patient_set_family_name (patient, "Bauer");
  striae_patient_set_birth_date (patient, striae_test_date ("1988-03-01"));
  striae_patient_set_language (patient, "de_AT");
  striae_plan_set_sessions (plan, 2);
  striae_plan_set_interval_weeks (plan, 6);
  striae_plan_set_first_session (plan, striae_test_date ("2026-12-01"));
  striae_plan_set_maintenance_months (plan, 6);

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 23, G_DATE_NOVEMBER, 2026);
  context = striae_sheet_compose_context (template, patient, consultation, NULL, &clinic,
                                          &today);
  g_assert_cmpuint (striae_sheet_context_get_n_sessions (context), ==, 3);
  striae_sheet_context_get_session (context, 0, &label);
  g_assert_cmpstr (label, ==, "Sitzung 1");
  striae_sheet_context_get_session (context, 1, &label);
  g_assert_cmpstr (label, ==, "Sitzung 2");
  striae_sheet_context_get_session (context, 2, &label);
  g_assert_cmpstr (label, ==, "Auffrischung");
  g_assert_cmpstr (striae_sheet_context_get_value (context, "plan.first_date"), ==,
                   "Dienstag, 1. Dezember 2026");
}

/* ---------------------------------------------------------------------------------------- */
/* Picking the language                                                                      */

typedef struct
{
  const char *wanted;
  const char *fallback;
  gboolean    clinic;    /* with the clinic's folder below */
  const char *expected;
} PickCase;

static const PickCase pick_cases[] = {
  { "de", "en", FALSE, "de" },
  { "de_AT", "en", FALSE, "de" },
  { "de-CH", "en", FALSE, "de" },
  { "de_DE.UTF-8", "en", FALSE, "de" },
  { "DE", "en", FALSE, "de" },
  { "fr_CA", "en", FALSE, "fr" },
  { "fr_BE@euro", "en", FALSE, "fr" },
  { "es_MX", "en", FALSE, "es" },
  { "en_US", "de", FALSE, "en" },
  { "pt_BR", "en", FALSE, "en" },
  { "pt_BR", "es", FALSE, "es" },
  { "pt_BR", "en", TRUE, "pt_BR" },
  { "pt-br", "en", TRUE, "pt_BR" },
  { "pt", "en", TRUE, "pt_BR" },
  { "pt_PT", "en", TRUE, "pt_BR" },
  { "it", "en", TRUE, "en" },        /* a folder without sheets offers nothing */
  { "it", "fr", TRUE, "fr" },
  { "nl_BE", "en", TRUE, "nl" },
  { "it:es:de", "en", FALSE, "es" }, /* $LANGUAGE style, best first */
  { "C", "de", FALSE, "de" },
  { "POSIX", NULL, FALSE, "en" },
  { "C.UTF-8", NULL, FALSE, "en" },
  { "", "fr", FALSE, "fr" },
  { NULL, NULL, FALSE, "en" },
  { "../de", "en", FALSE, "en" },
  { "zh_CN", "", FALSE, "en" },
};

static char *
make_clinic_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("striae-clinic-XXXXXX", &error);
  const char *files[] = { "pt_BR/aftercare.xml", "nl/consent.xml", "it/notes.txt", NULL };

  g_assert_no_error (error);
  for (guint i = 0; files[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (dir, files[i], NULL);
      g_autofree char *folder = g_path_get_dirname (path);

      g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
      g_file_set_contents (path, "<sheet/>", -1, &error);
      g_assert_no_error (error);
    }
  return dir;
}

static void
remove_clinic_dir (const char *dir)
{
  const char *files[] = { "pt_BR/aftercare.xml", "nl/consent.xml", "it/notes.txt", NULL };

  for (guint i = 0; files[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (dir, files[i], NULL);
      g_autofree char *folder = g_path_get_dirname (path);

      g_unlink (path);
      g_rmdir (folder);
    }
  g_rmdir (dir);
}

static void
test_pick_language (void)
{
  g_autofree char *clinic = make_clinic_dir ();

  for (guint i = 0; i < G_N_ELEMENTS (pick_cases); i++)
    {
      const PickCase *c = &pick_cases[i];
      g_autofree char *picked = striae_sheet_pick_language (c->wanted, c->fallback,
                                                            c->clinic ? clinic
                                                                      : "/nonexistent");

      if (g_strcmp0 (picked, c->expected) != 0)
        g_error ("“%s” (fallback “%s”, %s): expected “%s”, got “%s”",
                 c->wanted ? c->wanted : "(null)", c->fallback ? c->fallback : "(null)",
                 c->clinic ? "with the clinic's folder" : "shipped only", c->expected, picked);
    }

  remove_clinic_dir (clinic);
}

/* One way of naming a language everywhere: in itself; a regional variant adds its code; a
 * language Striae does not know keeps its code. Every shipped language has its own name. */
static void
test_language_names (void)
{
  static const struct { const char *code; const char *name; } cases[] = {
    { "de", "Deutsch" }, { "en", "English" }, { "es", "Español" }, { "fr", "Français" },
    { "de_AT", "Deutsch (de_AT)" }, { "fr-ca", "Français (fr_CA)" }, { "sv", "sv" },
    { "", "" }, { NULL, "" },
  };
  g_auto(GStrv) shipped = striae_sheet_dup_languages ("/nonexistent");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = striae_sheet_language_dup_name (cases[i].code);

      g_assert_cmpstr (name, ==, cases[i].name);
    }
  g_assert_cmpuint (g_strv_length (shipped), >=, 4);
  for (guint i = 0; shipped[i] != NULL; i++)
    {
      g_autofree char *name = striae_sheet_language_dup_name (shipped[i]);

      g_assert_cmpstr (name, !=, shipped[i]);
    }
}

int
main (int    argc,
      char **argv)
{
  const char * const *names = striae_sheet_template_names ();
  g_autoptr(GPtrArray) pairs = g_ptr_array_new_with_free_func (g_free);

  g_test_init (&argc, &argv, NULL);

  for (guint l = 0; languages[l] != NULL; l++)
    for (guint n = 0; names[n] != NULL; n++)
      {
        Pair *pair = g_new0 (Pair, 1);
        g_autofree char *structure = NULL;
        g_autofree char *clean = NULL;

        pair->language = languages[l];
        pair->name = names[n];
        g_ptr_array_add (pairs, pair);
        structure = g_strdup_printf ("/sheet-languages/structure/%s/%s", languages[l], names[n]);
        clean = g_strdup_printf ("/sheet-languages/loads-cleanly/%s/%s", languages[l],
                                 names[n]);
        g_test_add_data_func (structure, pair, test_same_structure);
        g_test_add_data_func (clean, pair, test_loads_cleanly);
      }
  for (guint i = 0; i < G_N_ELEMENTS (spot_checks); i++)
    {
      g_autofree char *path = g_strdup_printf ("/sheet-languages/pdf/%s",
                                               spot_checks[i].language);

      g_test_add_data_func (path, &spot_checks[i], test_pdf_spot_checks);
    }
  g_test_add_func ("/sheet-languages/labels", test_labels);
  for (guint i = 0; i < G_N_ELEMENTS (bad_labels); i++)
    {
      g_autofree char *path = g_strdup_printf ("/sheet-languages/bad-labels/%u", i);

      g_test_add_data_func (path, &bad_labels[i], test_bad_labels);
    }
  g_test_add_func ("/sheet-languages/good-labels", test_good_labels);
  g_test_add_func ("/sheet-languages/unit-labels", test_unit_labels);
  g_test_add_func ("/sheet-languages/composed-rows", test_composed_rows);
  g_test_add_func ("/sheet-languages/pick", test_pick_language);
  g_test_add_func ("/sheet-languages/names", test_language_names);
  g_test_add_func ("/sheet-languages/english-in-german-session",
                   test_english_in_german_session);

  return g_test_run ();
}
