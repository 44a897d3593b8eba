/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "striae-test-cli.h"
#include "striae-store.h"

/* striae --rules-export and --rules-import, through the built binary without a display. */

typedef struct
{
  char        *dir;
  char        *path;
  char        *file;
  StriaeStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("striae-cli-rules-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "striae.db", NULL);
  fixture->file = g_build_filename (fixture->dir, "rules.json", NULL);
  fixture->store = striae_store_open (fixture->path, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->dir, 0, NULL);
  const char *name;

  g_clear_object (&fixture->store);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->file);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static gint64
count_rule_rows (Fixture *fixture)
{
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count (*) FROM audit "
                                       "WHERE detail LIKE 'rules %'", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

static char *
stored_hash (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StriaeRules) rules = striae_store_load_rules (fixture->store, &error);

  g_assert_no_error (error);
  return striae_rules_dup_hash (rules);
}

/* The sentence of a refusal: one line, "striae: …", naming what it must. */
static void
assert_one_sentence (const char *err,
                     const char *named)
{
  g_assert_true (g_str_has_prefix (err, "striae: "));
  g_assert_true (g_str_has_suffix (err, ".\n"));
  g_assert_null (strchr (err, '\n') == err + strlen (err) - 1 ? NULL : "more than one line");
  g_assert_nonnull (strstr (err, named));
}

/* Export, change one value in the file, import: the store has it, audited; importing the
 * same file again changes nothing. */
static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *json = NULL;
  g_autoptr(GString) changed = NULL;
  g_autoptr(StriaeRules) rules = NULL;
  g_autoptr(StriaeRules) defaults = striae_rules_new ();
  g_autofree char *expected = NULL;
  g_autofree char *default_hash = striae_rules_dup_hash (defaults);
  g_autofree char *hash = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  g_assert_cmpint (run_striae (fixture->path, &out, &err, "--rules-export", fixture->file,
                               NULL), ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpint (g_stat (fixture->file, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_file_get_contents (fixture->file, &json, NULL, &error));
  expected = striae_rules_to_json (defaults);
  g_assert_cmpstr (json, ==, expected);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* The clinic's rules unchanged: nothing to import. */
  g_assert_cmpint (run_striae (fixture->path, &out, &err, "--rules-import", fixture->file,
                               NULL), ==, 0);
  g_assert_nonnull (strstr (out, "nothing was changed"));
  g_assert_cmpint (count_rule_rows (fixture), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  changed = g_string_new (json);
  g_assert_cmpuint (g_string_replace (changed, "\"breastfeeding\" : \"relative\"",
                                      "\"breastfeeding\" : \"absolute\"", 1), ==, 1);
  g_assert_cmpuint (g_string_replace (changed, "\"course.severe.sessions\" : 6",
                                      "\"course.severe.sessions\" : 8", 1), ==, 1);
  g_assert_true (g_file_set_contents (fixture->file, changed->str, -1, NULL));
  g_assert_cmpint (run_striae (fixture->path, &out, &err, "--rules-import", fixture->file,
                               NULL), ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_assert_nonnull (strstr (out, "2 settings changed"));
  g_assert_nonnull (strstr (out, "level.breastfeeding: relative → absolute"));
  g_assert_nonnull (strstr (out, "course.severe.sessions: 6 → 8"));
  g_assert_cmpint (count_rule_rows (fixture), ==, 2);

  rules = striae_store_load_rules (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpint (striae_rules_get_level (rules, STRIAE_CHECK_BREASTFEEDING), ==,
                   STRIAE_LEVEL_ABSOLUTE);
  g_assert_cmpuint (striae_rules_get_sessions (rules, STRIAE_SEVERITY_SEVERE), ==, 8);
  hash = striae_rules_dup_hash (rules);
  g_assert_cmpstr (hash, !=, default_hash);

  /* And back out: the export is the file imported. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&json, g_free);
  g_assert_cmpint (run_striae (fixture->path, &out, &err, "--rules-export", fixture->file,
                               NULL), ==, 0);
  g_assert_true (g_file_get_contents (fixture->file, &json, NULL, &error));
  g_assert_cmpstr (json, ==, changed->str);
}

typedef struct
{
  const char *member;       /* replaced in an exported file; NULL: text is the whole file */
  const char *replacement;
  const char *text;
  const char *named;        /* expected in the sentence */
} BadFile;

static const BadFile bad_files[] = {
  { NULL, NULL, "", "not imported" },
  { NULL, NULL, "{\"format\": 1, \"levels\": {", "not imported" },
  { NULL, NULL, "{\"format\": 7}", "format 7" },
  { NULL, NULL, "{\"format\": 1, \"levels\": {}, \"settings\": {}}", "$.levels.infection" },
  { "\"pregnancy\" : \"absolute\"", "\"pregnancy\" : \"sometimes\"", NULL,
    "$.levels.pregnancy" },
  { "\"pregnancy\" : \"absolute\"", "\"pregnancy\" : \"absolute\", \"flu\" : \"off\"", NULL,
    "$.levels.flu" },
  { "\"pregnancy\" : \"absolute\"", "\"pregnancy\" : \"off\", \"pregnancy\" : \"absolute\"",
    NULL, "$.levels.pregnancy" },
  { "\"depth.severe.thick\" : 1.5", "\"depth.severe.thick\" : 1.6", NULL,
    "depth.severe.thick" },
  { "\"depth.severe.thick\" : 1.5", "\"depth.severe.thick\" : 9", NULL, "depth.severe.thick" },
  { "\"isotretinoin-delay-months\" : 6", "\"isotretinoin-delay-months\" : -1", NULL,
    "isotretinoin-delay-months" },
  { "\"course.mild.sessions\" : 3", "\"course.mild.sessions\" : null", NULL,
    "course.mild.sessions" },
  { "\"course.mild.sessions\" : 3", "\"course.mild.sessions\" : 3, \"course.knee\" : 1", NULL,
    "course.knee" },
};

/* Every refusal: exit 1, one sentence naming the key, the clinic's rules and the audit log
 * as they were, even when the file's other values were valid changes. */
static void
test_refused (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(StriaeRules) defaults = striae_rules_new ();
  g_autofree char *before = stored_hash (fixture);

  for (guint i = 0; i < G_N_ELEMENTS (bad_files); i++)
    {
      const BadFile *b = &bad_files[i];
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      g_autofree char *after = NULL;
      g_autoptr(GString) text = NULL;

      if (b->text != NULL)
        text = g_string_new (b->text);
      else
        {
          g_autofree char *json = striae_rules_to_json (defaults);

          text = g_string_new (json);
          /* A valid change too, which must not be kept. */
          g_assert_cmpuint (g_string_replace (text, "\"diabetes\" : \"relative\"",
                                              "\"diabetes\" : \"absolute\"", 1), ==, 1);
          g_assert_cmpuint (g_string_replace (text, b->member, b->replacement, 1), ==, 1);
        }
      g_assert_true (g_file_set_contents (fixture->file, text->str, -1, NULL));

      g_assert_cmpint (run_striae (fixture->path, &out, &err, "--rules-import", fixture->file,
                                   NULL), ==, 1);
      g_assert_cmpstr (out, ==, "");
      assert_one_sentence (err, b->named);
      after = stored_hash (fixture);
      g_assert_cmpstr (after, ==, before);
      g_assert_cmpint (count_rule_rows (fixture), ==, 0);
    }
}

/* The export never replaces the database, and both commands name what is wrong. */
static void
test_other_refusals (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *wal = g_strconcat (fixture->path, "-wal", NULL);
  g_autofree char *missing = g_build_filename (fixture->dir, "missing.json", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  GStatBuf before, after;

  g_assert_cmpint (g_stat (fixture->path, &before), ==, 0);
  g_assert_cmpint (run_striae (fixture->path, &out, &err, "--rules-export", fixture->path,
                               NULL), ==, 1);
  assert_one_sentence (err, "patient database");
  g_assert_cmpint (g_stat (fixture->path, &after), ==, 0);
  g_assert_cmpint (before.st_size, ==, after.st_size);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_striae (fixture->path, &out, &err, "--rules-export", wal, NULL), ==, 1);
  assert_one_sentence (err, "patient database");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_striae (fixture->path, &out, &err, "--rules-export", fixture->dir,
                               NULL), ==, 1);
  assert_one_sentence (err, "folder");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_striae (fixture->path, &out, &err, "--rules-import", missing, NULL),
                   ==, 1);
  assert_one_sentence (err, "missing.json");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_striae (fixture->path, &out, &err, "--rules-import", fixture->path,
                               NULL), ==, 1);
  assert_one_sentence (err, "not imported");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_striae (fixture->path, &out, &err, "--rules-import", fixture->file,
                               "--rules-export", fixture->file, NULL), ==, 1);
  assert_one_sentence (err, "not both");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/cli-rules/round-trip", test_round_trip);
  ADD ("/cli-rules/refused", test_refused);
  ADD ("/cli-rules/other-refusals", test_other_refusals);

  return g_test_run ();
}
