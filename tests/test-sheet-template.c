/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <string.h>

#include "striae-sheet-error.h"
#include "striae-sheet-names.h"
#include "striae-sheet-template.h"
#include "striae-test-files.h"

static char *
make_override_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("striae-sheets-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static char *
write_override (const char *dir,
                const char *lang,
                const char *name,
                const char *contents)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = g_build_filename (dir, lang, NULL);
  g_autofree char *file = g_strconcat (name, ".xml", NULL);
  char *path = g_build_filename (folder, file, NULL);

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

static void
test_builtin_all (void)
{
  const char * const *names = striae_sheet_template_names ();
  g_autofree char *dir = make_override_dir ();

  g_assert_cmpuint (g_strv_length ((char **)names), ==, 3);
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *warning = NULL;
      g_autoptr(StriaeSheetTemplate) template = NULL;
      g_auto(GStrv) ids = NULL;

      template = striae_sheet_template_load (names[i], "en", dir, NULL, NULL, &warning, &error);
      g_assert_no_error (error);
      g_assert_null (warning);
      g_assert_cmpstr (striae_sheet_template_get_source (template), ==, "built-in");
      g_assert_true (striae_sheet_template_is_built_in (template));
      g_assert_cmpstr (striae_sheet_template_get_name (template), ==, names[i]);
      g_assert_cmpstr (striae_sheet_template_get_language (template), ==, "en");
      ids = striae_sheet_template_dup_ids (template);
      g_assert_cmpuint (g_strv_length (ids), >, 10);
      g_assert_finalize_object (g_steal_pointer (&template));
    }
  striae_test_remove_tree (dir);
}

/* The shipped files in the source tree are the ones compiled in, and parse on their own. */
static void
test_source_files_parse (void)
{
  const char * const *names = striae_sheet_template_names ();

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *file = g_strconcat (names[i], ".xml", NULL);
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "sheets", "en",
                                                     file, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(StriaeSheetTemplate) template = NULL;

      template = striae_sheet_template_new_from_file (path, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (striae_sheet_template_get_source (template), ==, path);
      g_assert_cmpstr (striae_sheet_template_get_name (template), ==, names[i]);
    }
}

static void
test_queries (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StriaeSheetTemplate) template = NULL;
  g_autofree char *text = NULL;
  g_autofree char *title = NULL;

  template = striae_sheet_template_load ("consent", "en", "/nonexistent", NULL, NULL, NULL,
                                         &error);
  g_assert_no_error (error);
  g_assert_cmpstr (striae_sheet_template_get_item_condition (template, "risk-burns"), ==, "rf");
  g_assert_cmpstr (striae_sheet_template_get_item_condition (template, "risk-colour"), ==,
                   "!pih-risk");
  g_assert_null (striae_sheet_template_get_item_condition (template, "risk-scarring"));
  g_assert_cmpstr (striae_sheet_template_get_item_section (template, "risk-burns"), ==,
                   "risks");
  g_assert_true (striae_sheet_template_has_id (template, "sign-guardian"));
  g_assert_false (striae_sheet_template_has_id (template, "no-such-item"));
  g_assert_null (striae_sheet_template_dup_item_text (template, "no-such-item"));
  text = striae_sheet_template_dup_item_text (template, "plan-depth");
  g_assert_cmpstr (text, ==, "Needle length: {plan.needle_depth}");
  title = striae_sheet_template_dup_title (template);
  g_assert_cmpstr (title, ==, "Consent to microneedling treatment");
}

typedef struct
{
  const char       *label;
  const char       *xml;
  StriaeSheetError  code;
  int               line;
} BadCase;

#define HEAD "<sheet version=\"1\" title=\"T\">\n"

static const BadCase bad_cases[] = {
  { "unclosed element",
    HEAD "<section id=\"a\" title=\"A\">\n<p id=\"b\">Text</p>\n<list>\n"
    "<item id=\"c\">One</item>\n</section>\n</sheet>\n",
    STRIAE_SHEET_ERROR_MARKUP, 6 },
  { "not xml at all", "this is not a template\n", STRIAE_SHEET_ERROR_MARKUP, 1 },
  { "empty file", "", STRIAE_SHEET_ERROR_MARKUP, 1 },
  { "unknown placeholder",
    HEAD "<section id=\"a\" title=\"A\">\n<p id=\"b\">Your dose is\n\n  {plan.dose} today.</p>\n"
    "</section>\n</sheet>\n",
    STRIAE_SHEET_ERROR_UNKNOWN_PLACEHOLDER, 5 },
  { "unknown placeholder in a title",
    HEAD "\n<section id=\"a\" title=\"Hello {patient.nickname}\">\n<p id=\"b\">x</p>\n"
    "</section>\n</sheet>\n",
    STRIAE_SHEET_ERROR_UNKNOWN_PLACEHOLDER, 3 },
  { "unclosed placeholder",
    HEAD "<section id=\"a\" title=\"A\">\n<p id=\"b\">Call {clinic.phone</p>\n"
    "</section>\n</sheet>\n",
    STRIAE_SHEET_ERROR_UNKNOWN_PLACEHOLDER, 3 },
  { "unknown fact",
    HEAD "<section id=\"a\" title=\"A\">\n<list>\n<item id=\"b\">x</item>\n"
    "<item id=\"c\" if=\"rf !sunburnt\">y</item>\n</list>\n</section>\n</sheet>\n",
    STRIAE_SHEET_ERROR_UNKNOWN_FACT, 5 },
  { "empty condition",
    HEAD "<section id=\"a\" title=\"A\" if=\" \">\n<p id=\"b\">x</p>\n</section>\n</sheet>\n",
    STRIAE_SHEET_ERROR_UNKNOWN_FACT, 2 },
  { "unknown element",
    HEAD "<section id=\"a\" title=\"A\">\n<p id=\"b\">x</p>\n<blink id=\"c\">y</blink>\n"
    "</section>\n</sheet>\n",
    STRIAE_SHEET_ERROR_UNKNOWN_ELEMENT, 4 },
  { "unknown attribute",
    HEAD "<section id=\"a\" title=\"A\">\n<p id=\"b\" colour=\"red\">x</p>\n"
    "</section>\n</sheet>\n",
    STRIAE_SHEET_ERROR_UNKNOWN_ELEMENT, 3 },
  { "item outside a list",
    HEAD "<section id=\"a\" title=\"A\">\n\n<item id=\"b\">x</item>\n</section>\n</sheet>\n",
    STRIAE_SHEET_ERROR_UNKNOWN_ELEMENT, 4 },
  { "missing id",
    HEAD "<section id=\"a\" title=\"A\">\n<list>\n<item>x</item>\n</list>\n</section>\n</sheet>\n",
    STRIAE_SHEET_ERROR_UNKNOWN_ELEMENT, 4 },
  { "duplicate id",
    HEAD "<section id=\"a\" title=\"A\">\n<list>\n<item id=\"x\">x</item>\n"
    "<item id=\"x\">y</item>\n</list>\n</section>\n</sheet>\n",
    STRIAE_SHEET_ERROR_BAD_ID, 5 },
  { "malformed id",
    HEAD "<section id=\"a\" title=\"A\">\n<p id=\"Big Id\">x</p>\n</section>\n</sheet>\n",
    STRIAE_SHEET_ERROR_BAD_ID, 3 },
  { "stray text",
    HEAD "<section id=\"a\" title=\"A\">\nloose words\n<p id=\"b\">x</p>\n</section>\n</sheet>\n",
    STRIAE_SHEET_ERROR_UNKNOWN_ELEMENT, 4 },
  { "wrong root", "<document>\n</document>\n", STRIAE_SHEET_ERROR_UNKNOWN_ELEMENT, 1 },
  { "future version",
    "<sheet version=\"2\" title=\"T\">\n<section id=\"a\" title=\"A\"><p id=\"b\">x</p>"
    "</section></sheet>\n",
    STRIAE_SHEET_ERROR_UNKNOWN_ELEMENT, 1 },
  { "bad date format",
    "<sheet version=\"1\" title=\"T\"\n date-format=\"{day} {moon}\">\n"
    "<section id=\"a\" title=\"A\"><p id=\"b\">x</p></section></sheet>\n",
    STRIAE_SHEET_ERROR_UNKNOWN_PLACEHOLDER, 1 },
  { "empty section",
    HEAD "\n<section id=\"a\" title=\"A\">\n</section>\n</sheet>\n",
    STRIAE_SHEET_ERROR_UNKNOWN_ELEMENT, 3 },
  { "unknown default section",
    "<sheet version=\"1\" title=\"T\" default-section=\"zz\">\n<section id=\"a\" title=\"A\">"
    "<p id=\"b\">x</p></section></sheet>\n",
    STRIAE_SHEET_ERROR_BAD_ID, 1 },
};

static void
test_bad_template (gconstpointer data)
{
  const BadCase *bad = data;
  g_autofree char *dir = make_override_dir ();
  g_autofree char *path = write_override (dir, "en", "aftercare", bad->xml);
  g_autofree char *where = g_strdup_printf ("%s:%d:", path, bad->line);
  g_autoptr(GError) error = NULL;
  g_autofree char *warning = NULL;
  g_autoptr(StriaeSheetTemplate) template = NULL;

  /* Read on its own, the file is refused with its name and line. */
  template = striae_sheet_template_new_from_file (path, NULL, NULL, &error);
  g_assert_null (template);
  g_assert_error (error, STRIAE_SHEET_ERROR, (int)bad->code);
  if (!g_str_has_prefix (error->message, where))
    g_error ("%s: expected “%s” at the start of “%s”", bad->label, where, error->message);
  g_clear_error (&error);

  /* As a clinic's override, the shipped sheet is used and the reason is given. */
  template = striae_sheet_template_load ("aftercare", "en", dir, NULL, NULL, &warning, &error);
  g_assert_no_error (error);
  g_assert_nonnull (template);
  g_assert_cmpstr (striae_sheet_template_get_source (template), ==, "built-in");
  g_assert_nonnull (warning);
  g_assert_nonnull (strstr (warning, where));

  striae_test_remove_tree (dir);
}

static void
test_override_used (void)
{
  g_autofree char *dir = make_override_dir ();
  g_autofree char *path = write_override (dir, "en", "aftercare",
    "<?xml version=\"1.0\"?>\n"
    "<sheet version=\"1\" title=\"Our own aftercare\">\n"
    "  <section id=\"care\" title=\"Care\">\n"
    "    <p id=\"call\">Call <b>{clinic.phone}</b>, {{any time}}.</p>\n"
    "  </section>\n"
    "</sheet>\n");
  g_autoptr(GError) error = NULL;
  g_autofree char *warning = NULL;
  g_autoptr(StriaeSheetTemplate) template = NULL;
  g_autoptr(StriaeSheetTemplate) other = NULL;
  g_autofree char *title = NULL;
  g_autofree char *text = NULL;

  template = striae_sheet_template_load ("aftercare", "en", dir, NULL, NULL, &warning, &error);
  g_assert_no_error (error);
  g_assert_null (warning);
  g_assert_cmpstr (striae_sheet_template_get_source (template), ==, path);
  g_assert_false (striae_sheet_template_is_built_in (template));
  title = striae_sheet_template_dup_title (template);
  g_assert_cmpstr (title, ==, "Our own aftercare");
  text = striae_sheet_template_dup_item_text (template, "call");
  g_assert_cmpstr (text, ==, "Call {clinic.phone}, {{any time}}.");

  /* Other sheets and other languages are not affected. */
  other = striae_sheet_template_load ("consent", "en", dir, NULL, NULL, &warning, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (striae_sheet_template_get_source (other), ==, "built-in");

  striae_test_remove_tree (dir);
}

/* A clinic may offer a language Striae does not ship. */
static void
test_override_new_language (void)
{
  g_autofree char *dir = make_override_dir ();
  g_autofree char *path = write_override (dir, "pl", "consent",
    "<sheet version=\"1\" title=\"Zgoda\" month-names=\"stycznia,lutego,marca,kwietnia,maja,"
    "czerwca,lipca,sierpnia,września,października,listopada,grudnia\" date-format=\"{day} "
    "{month} {year}\">\n<section id=\"a\" title=\"Zabieg\"><p id=\"b\">Pacjent: "
    "{patient.name}</p></section></sheet>\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(StriaeSheetTemplate) template = NULL;

  template = striae_sheet_template_load ("consent", "pl", dir, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (striae_sheet_template_get_source (template), ==, path);
  g_assert_cmpstr (striae_sheet_template_get_language (template), ==, "pl");
  g_clear_object (&template);

  template = striae_sheet_template_load ("aftercare", "pl", dir, NULL, NULL, NULL, &error);
  g_assert_error (error, STRIAE_SHEET_ERROR, STRIAE_SHEET_ERROR_NOT_FOUND);
  g_assert_null (template);
  striae_test_remove_tree (dir);
}

static void
test_not_found (void)
{
  static const char * const names[] = { "leaflet", "../aftercare", "", ".hidden", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(StriaeSheetTemplate) template = NULL;

  for (guint i = 0; names[i] != NULL; i++)
    {
      template = striae_sheet_template_load (names[i], "en", "/nonexistent", NULL, NULL, NULL,
                                             &error);
      g_assert_null (template);
      g_assert_error (error, STRIAE_SHEET_ERROR, STRIAE_SHEET_ERROR_NOT_FOUND);
      g_clear_error (&error);
    }

  template = striae_sheet_template_load ("aftercare", "xx", "/nonexistent", NULL, NULL, NULL,
                                         &error);
  g_assert_null (template);
  g_assert_error (error, STRIAE_SHEET_ERROR, STRIAE_SHEET_ERROR_NOT_FOUND);
}

/* The loader checks against the lists it is given, not a fixed one. */
static void
test_custom_names (void)
{
  static const char * const placeholders[] = { "pet.name", NULL };
  static const char * const facts[] = { "cat", NULL };
  static const char xml[] =
    "<sheet version=\"1\" title=\"For {pet.name}\">\n"
    "<section id=\"a\" title=\"A\"><p id=\"b\" if=\"!cat\">Woof</p></section></sheet>\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(StriaeSheetTemplate) template = NULL;

  template = striae_sheet_template_new_from_data (xml, -1, "pets/en/pet.xml", placeholders,
                                                  facts, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (striae_sheet_template_get_name (template), ==, "pet");
  g_assert_cmpstr (striae_sheet_template_get_language (template), ==, "en");
  g_clear_object (&template);

  /* The same file against the default lists names both problems' file and line. */
  template = striae_sheet_template_new_from_data (xml, -1, "pets/en/pet.xml", NULL, NULL,
                                                  &error);
  g_assert_error (error, STRIAE_SHEET_ERROR, STRIAE_SHEET_ERROR_UNKNOWN_PLACEHOLDER);
  if (!g_str_has_prefix (error->message, "pets/en/pet.xml:1:"))
    g_error ("unexpected message “%s”", error->message);
}

/* Every fact the core will compute must be known to the sheets. */
static void
test_default_facts (void)
{
  static const char * const required[] = {
    "pih-risk", "anticoagulants", "rf", "no-numbing-cream", "numbing-cream", "minor",
    "striae-albae", "striae-rubrae", "retinoids", "herpes-history", "prp", "serum",
    "sensitive-skin", "slow-healing", "metal-allergy", "maintenance", NULL
  };
  const char * const *facts = striae_sheet_default_facts ();

  for (guint i = 0; required[i] != NULL; i++)
    g_assert_true (g_strv_contains (facts, required[i]));
  g_assert_true (g_strv_contains (striae_sheet_default_placeholders (), "plan.needle_depth"));
  g_assert_true (g_strv_contains (striae_sheet_default_placeholders (), "clinic.phone"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sheet-template/builtin", test_builtin_all);
  g_test_add_func ("/sheet-template/source-files", test_source_files_parse);
  g_test_add_func ("/sheet-template/queries", test_queries);
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/sheet-template/refused/%s", bad_cases[i].label);

      g_strdelimit (path + strlen ("/sheet-template/refused/"), " ", '-');
      g_test_add_data_func (path, &bad_cases[i], test_bad_template);
    }
  g_test_add_func ("/sheet-template/override", test_override_used);
  g_test_add_func ("/sheet-template/override-language", test_override_new_language);
  g_test_add_func ("/sheet-template/not-found", test_not_found);
  g_test_add_func ("/sheet-template/custom-names", test_custom_names);
  g_test_add_func ("/sheet-template/default-facts", test_default_facts);

  return g_test_run ();
}
