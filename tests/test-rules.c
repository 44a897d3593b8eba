/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "striae-core-error.h"
#include "striae-rules.h"

/* Changed when 0.5 mm became the shallowest depth (depth.mild.thin 0.25 → 0.5). */
#define DEFAULT_RULES_HASH "71307b83a77b1647be9edd9a02011d65af07a5902701cbbc5401cd71264aa4e5"
#define FORMER_DEFAULT_RULES_HASH \
  "59d2305569ad4a1b2873194218d24b3b451e55c6b477109cb7f48aefe9428ad2"

/* CLINICAL.md's levels, written out here independently of the rules table. */
static const struct {
  const char  *id;
  StriaeLevel  level;
} default_levels[] = {
  { "infection", STRIAE_LEVEL_ABSOLUTE },
  { "open-wound", STRIAE_LEVEL_ABSOLUTE },
  { "inflammatory-skin", STRIAE_LEVEL_ABSOLUTE },
  { "isotretinoin", STRIAE_LEVEL_ABSOLUTE },
  { "pregnancy", STRIAE_LEVEL_ABSOLUTE },
  { "cancer", STRIAE_LEVEL_ABSOLUTE },
  { "keloid", STRIAE_LEVEL_ABSOLUTE },
  { "pacemaker", STRIAE_LEVEL_ABSOLUTE },
  { "metal-implant", STRIAE_LEVEL_ABSOLUTE },
  { "bleeding-disorder", STRIAE_LEVEL_RELATIVE },
  { "anticoagulants", STRIAE_LEVEL_RELATIVE },
  { "diabetes", STRIAE_LEVEL_RELATIVE },
  { "immunosuppression", STRIAE_LEVEL_RELATIVE },
  { "autoimmune", STRIAE_LEVEL_RELATIVE },
  { "breastfeeding", STRIAE_LEVEL_RELATIVE },
  { "herpes-history", STRIAE_LEVEL_RELATIVE },
  { "corticosteroids", STRIAE_LEVEL_RELATIVE },
  { "allergy-anaesthetic", STRIAE_LEVEL_RELATIVE },
  { "allergy-metal", STRIAE_LEVEL_RELATIVE },
  { "allergy-serum", STRIAE_LEVEL_RELATIVE },
  { "recent-sun", STRIAE_LEVEL_RELATIVE },
  { "recent-resurfacing", STRIAE_LEVEL_RELATIVE },
  { "retinoids", STRIAE_LEVEL_RELATIVE },
  { "pih-history", STRIAE_LEVEL_RELATIVE },
  { "sensitive-skin", STRIAE_LEVEL_RELATIVE },
  { "fitzpatrick", STRIAE_LEVEL_RELATIVE },
  { "minor", STRIAE_LEVEL_RELATIVE },
};

static void
test_default_levels (void)
{
  g_autoptr(StriaeRules) rules = striae_rules_new ();

  g_assert_cmpuint (G_N_ELEMENTS (default_levels), ==, STRIAE_N_CHECKS);

  for (guint i = 0; i < G_N_ELEMENTS (default_levels); i++)
    {
      StriaeCheck check;
      const StriaeCheckInfo *info;

      g_assert_true (striae_check_from_id (default_levels[i].id, &check));
      info = striae_check_get_info (check);
      g_assert_cmpstr (info->id, ==, default_levels[i].id);
      g_assert_cmpint (striae_rules_get_level (rules, check), ==, default_levels[i].level);
      g_assert_cmpint (info->default_level, ==, default_levels[i].level);
      g_assert_true (g_str_has_prefix (info->source, "[contra]"));
      g_assert_cmpuint (strlen (striae_check_get_reason (check)), >, 40);
      g_assert_cmpuint (strlen (striae_check_get_title (check)), >, 3);
    }

  g_assert_false (striae_check_from_id ("nonsense", NULL));
}

/* Each question belongs to exactly one check; each check reads what its kind says. */
static void
test_checks_cover_questions (void)
{
  for (guint q = 0; q < STRIAE_N_QUESTIONS; q++)
    {
      StriaeCheck check;
      const StriaeQuestionInfo *info = striae_question_get_info (q);

      g_assert_true (striae_check_for_question (q, &check));
      g_assert_cmpint (striae_check_get_info (check)->question, ==, q);
      /* The question and the check share the stable id. */
      g_assert_cmpstr (striae_check_get_info (check)->id, ==, info->id);
    }

  for (guint f = 0; f < STRIAE_N_SKIN_FACTS; f++)
    {
      gboolean seen = FALSE;

      for (guint c = 0; c < STRIAE_N_CHECKS; c++)
        {
          const StriaeCheckInfo *info = striae_check_get_info (c);

          if (info->kind == STRIAE_CHECK_KIND_SKIN && info->skin_fact == f)
            seen = TRUE;
        }
      g_assert_true (seen);
    }
}

static void
test_default_numbers (void)
{
  g_autoptr(StriaeRules) rules = striae_rules_new ();

  /* [contra] */
  g_assert_cmpuint (striae_rules_get_isotretinoin_delay_months (rules), ==, 6);
  /* [depth] */
  g_assert_cmpfloat (striae_rules_get_depth (rules, STRIAE_SEVERITY_MILD, FALSE), ==, 0.5);
  g_assert_cmpfloat (striae_rules_get_depth (rules, STRIAE_SEVERITY_MILD, TRUE), ==, 0.5);
  g_assert_cmpfloat (striae_rules_get_depth (rules, STRIAE_SEVERITY_MODERATE, FALSE), ==, 1.0);
  g_assert_cmpfloat (striae_rules_get_depth (rules, STRIAE_SEVERITY_MODERATE, TRUE), ==, 0.75);
  g_assert_cmpfloat (striae_rules_get_depth (rules, STRIAE_SEVERITY_SEVERE, FALSE), ==, 1.5);
  g_assert_cmpfloat (striae_rules_get_depth (rules, STRIAE_SEVERITY_SEVERE, TRUE), ==, 1.25);
  g_assert_cmpfloat (striae_rules_get_pih_depth_step (rules), ==, 0.25);
  /* [course] */
  g_assert_cmpuint (striae_rules_get_sessions (rules, STRIAE_SEVERITY_MILD), ==, 3);
  g_assert_cmpuint (striae_rules_get_sessions (rules, STRIAE_SEVERITY_MODERATE), ==, 4);
  g_assert_cmpuint (striae_rules_get_sessions (rules, STRIAE_SEVERITY_SEVERE), ==, 6);
  for (StriaeSeverity s = STRIAE_SEVERITY_MILD; s <= STRIAE_SEVERITY_SEVERE; s++)
    {
      g_assert_cmpuint (striae_rules_get_interval_weeks (rules, s, FALSE), ==, 4);
      g_assert_cmpuint (striae_rules_get_interval_weeks (rules, s, TRUE), ==, 6);
    }
  g_assert_cmpuint (striae_rules_get_maintenance_months (rules, FALSE), ==, 4);
  g_assert_cmpuint (striae_rules_get_maintenance_months (rules, TRUE), ==, 6);
}

static void
test_changed_keys (void)
{
  g_autoptr(StriaeRules) rules = striae_rules_new ();
  g_auto(GStrv) none = striae_rules_dup_changed_keys (rules);
  g_auto(GStrv) some = NULL;
  g_auto(GStrv) after = NULL;
  g_autoptr(GError) error = NULL;
  const char *expected[] = {
    "level.breastfeeding", "level.minor", "isotretinoin-delay-months", "depth.moderate.thin",
    "course.severe.interval-weeks-higher-risk", "maintenance-months", NULL
  };

  g_assert_cmpuint (g_strv_length (none), ==, 0);

  striae_rules_set_level (rules, STRIAE_CHECK_BREASTFEEDING, STRIAE_LEVEL_ABSOLUTE);
  striae_rules_set_level (rules, STRIAE_CHECK_MINOR, STRIAE_LEVEL_OFF);
  striae_rules_set_isotretinoin_delay_months (rules, 3);
  g_assert_true (striae_rules_set_depth (rules, STRIAE_SEVERITY_MODERATE, TRUE, 0.5, &error));
  g_assert_no_error (error);
  striae_rules_set_interval_weeks (rules, STRIAE_SEVERITY_SEVERE, TRUE, 8);
  striae_rules_set_maintenance_months (rules, FALSE, 5);

  some = striae_rules_dup_changed_keys (rules);
  g_assert_true (g_strv_equal ((const char * const *) some, expected));
  g_assert_true (striae_rules_is_changed (rules, "level.breastfeeding"));
  g_assert_false (striae_rules_is_changed (rules, "level.pregnancy"));
  g_assert_true (striae_rules_is_changed (rules, "depth.moderate.thin"));
  g_assert_false (striae_rules_is_changed (rules, "depth.moderate.thick"));

  /* Setting a value back to its default is no change. */
  striae_rules_set_level (rules, STRIAE_CHECK_MINOR, STRIAE_LEVEL_RELATIVE);
  g_assert_true (striae_rules_reset_key (rules, "maintenance-months", &error));
  g_assert_true (striae_rules_reset_key (rules, "level.breastfeeding", &error));
  g_assert_no_error (error);
  after = striae_rules_dup_changed_keys (rules);
  g_assert_cmpuint (g_strv_length (after), ==, 3);

  g_assert_false (striae_rules_reset_key (rules, "depth.huge", &error));
  g_assert_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID);

  striae_rules_reset (rules);
  g_strfreev (after);
  after = striae_rules_dup_changed_keys (rules);
  g_assert_cmpuint (g_strv_length (after), ==, 0);
}

static void
test_depth_steps (void)
{
  g_autoptr(StriaeRules) rules = striae_rules_new ();
  g_autoptr(GError) error = NULL;

  g_assert_false (striae_rules_set_depth (rules, STRIAE_SEVERITY_MILD, FALSE, 0.6, &error));
  g_assert_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (striae_rules_set_depth (rules, STRIAE_SEVERITY_MILD, FALSE, 3.25, &error));
  g_assert_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (striae_rules_set_pih_depth_step (rules, 0.3, &error));
  g_assert_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (striae_rules_set_pih_depth_step (rules, 0.5, &error));
  g_assert_true (striae_rules_set_depth (rules, STRIAE_SEVERITY_SEVERE, FALSE, 2.5, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (striae_rules_get_depth (rules, STRIAE_SEVERITY_SEVERE, FALSE), ==, 2.5);
}

static void
changed_cb (StriaeRules *rules,
            guint       *count)
{
  (*count)++;
}

static void
test_changed_signal (void)
{
  g_autoptr(StriaeRules) rules = striae_rules_new ();
  guint count = 0;

  g_signal_connect (rules, "changed", G_CALLBACK (changed_cb), &count);
  striae_rules_set_level (rules, STRIAE_CHECK_KELOID, STRIAE_LEVEL_RELATIVE);
  striae_rules_set_level (rules, STRIAE_CHECK_KELOID, STRIAE_LEVEL_RELATIVE);
  striae_rules_set_sessions (rules, STRIAE_SEVERITY_MILD, 3);
  striae_rules_set_sessions (rules, STRIAE_SEVERITY_MILD, 2);
  g_assert_cmpuint (count, ==, 2);
}

static void
test_json_round_trip (void)
{
  g_autoptr(StriaeRules) rules = striae_rules_new ();
  g_autoptr(StriaeRules) loaded = NULL;
  g_autoptr(StriaeRules) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json2 = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *hash2 = NULL;
  g_autofree char *hash_default = NULL;
  g_auto(GStrv) changed = NULL;

  hash_default = striae_rules_dup_hash (rules);

  striae_rules_set_level (rules, STRIAE_CHECK_ISOTRETINOIN, STRIAE_LEVEL_RELATIVE);
  striae_rules_set_level (rules, STRIAE_CHECK_AUTOIMMUNE, STRIAE_LEVEL_OFF);
  striae_rules_set_isotretinoin_delay_months (rules, 1);
  g_assert_true (striae_rules_set_depth (rules, STRIAE_SEVERITY_SEVERE, TRUE, 1.0, NULL));
  striae_rules_set_sessions (rules, STRIAE_SEVERITY_SEVERE, 8);

  json = striae_rules_to_json (rules);
  loaded = striae_rules_new_from_json (json, &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);

  json2 = striae_rules_to_json (loaded);
  g_assert_cmpstr (json, ==, json2);

  hash = striae_rules_dup_hash (rules);
  hash2 = striae_rules_dup_hash (loaded);
  g_assert_cmpstr (hash, ==, hash2);
  g_assert_cmpstr (hash, !=, hash_default);
  g_assert_cmpuint (strlen (hash), ==, 64);

  changed = striae_rules_dup_changed_keys (loaded);
  g_assert_cmpuint (g_strv_length (changed), ==, 5);

  copy = striae_rules_copy (loaded);
  g_clear_pointer (&hash2, g_free);
  hash2 = striae_rules_dup_hash (copy);
  g_assert_cmpstr (hash, ==, hash2);
}

/* The default rule set's hash is recorded with consultations; it must not change unless the
 * defaults do. If this fails after a deliberate change of defaults, update the value here
 * and say so in the change log. */
static void
test_default_hash_stable (void)
{
  g_autoptr(StriaeRules) rules = striae_rules_new ();
  g_autofree char *hash = striae_rules_dup_hash (rules);

  g_assert_cmpstr (hash, ==, DEFAULT_RULES_HASH);
  /* Consultations screened with an earlier version's defaults were not screened with rules
   * the clinic changed. */
  g_assert_false (striae_rules_hash_is_clinic_changed (DEFAULT_RULES_HASH));
  g_assert_false (striae_rules_hash_is_clinic_changed (FORMER_DEFAULT_RULES_HASH));
  g_assert_true (striae_rules_hash_is_clinic_changed ("00" DEFAULT_RULES_HASH));
}

static void
test_json_partial (void)
{
  g_autoptr(StriaeRules) rules = NULL;
  g_autoptr(GError) error = NULL;

  /* A file without some settings keeps the defaults for them. */
  rules = striae_rules_new_from_json ("{\"format\": 1, \"levels\": {\"breastfeeding\": "
                                      "\"absolute\"}, \"settings\": {\"depth.mild.thick\": 0.75}}",
                                      &error);
  g_assert_no_error (error);
  g_assert_cmpint (striae_rules_get_level (rules, STRIAE_CHECK_BREASTFEEDING), ==,
                   STRIAE_LEVEL_ABSOLUTE);
  g_assert_cmpint (striae_rules_get_level (rules, STRIAE_CHECK_PREGNANCY), ==,
                   STRIAE_LEVEL_ABSOLUTE);
  g_assert_cmpfloat (striae_rules_get_depth (rules, STRIAE_SEVERITY_MILD, FALSE), ==, 0.75);
  g_assert_cmpuint (striae_rules_get_sessions (rules, STRIAE_SEVERITY_MILD), ==, 3);
}

typedef struct
{
  const char *json;
  const char *path;  /* expected in the message */
} BadCase;

static const BadCase bad_cases[] = {
  { "not json", "not valid JSON" },
  { "[1, 2]", "$" },
  { "{}", "$.format" },
  { "{\"format\": \"1\"}", "$.format" },
  { "{\"format\": 2}", "format 2" },
  { "{\"format\": 1, \"colour\": 3}", "$.colour" },
  { "{\"format\": 1, \"levels\": []}", "$.levels" },
  { "{\"format\": 1, \"levels\": {\"pregnancy\": \"maybe\"}}", "$.levels.pregnancy" },
  { "{\"format\": 1, \"levels\": {\"pregnancy\": 2}}", "$.levels.pregnancy" },
  { "{\"format\": 1, \"levels\": {\"flu\": \"off\"}}", "$.levels.flu" },
  { "{\"format\": 1, \"settings\": 4}", "$.settings" },
  { "{\"format\": 1, \"settings\": {\"depth.mild.thick\": 0.6}}", "$.settings.depth.mild.thick" },
  { "{\"format\": 1, \"settings\": {\"depth.mild.thick\": \"0.5\"}}",
    "$.settings.depth.mild.thick" },
  { "{\"format\": 1, \"settings\": {\"course.mild.sessions\": 0}}",
    "$.settings.course.mild.sessions" },
  { "{\"format\": 1, \"settings\": {\"course.mild.sessions\": 3.5}}",
    "$.settings.course.mild.sessions" },
  { "{\"format\": 1, \"settings\": {\"isotretinoin-delay-months\": 99}}",
    "$.settings.isotretinoin-delay-months" },
  { "{\"format\": 1, \"settings\": {\"depth.knee\": 1}}", "$.settings.depth.knee" },
};

static void
test_json_refused (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(StriaeRules) rules = striae_rules_new_from_json (bad_cases[i].json, &error);

      g_test_message ("bad rules: %s", bad_cases[i].json);
      g_assert_null (rules);
      g_assert_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, bad_cases[i].path));
    }
}

/* Every key has a kind, a range holding its default, and reads back what is set. */
static void
test_keys (void)
{
  g_autoptr(StriaeRules) rules = striae_rules_new ();
  g_auto(GStrv) keys = striae_rules_dup_keys ();
  guint n_levels = 0;

  g_assert_true (striae_rules_is_default (rules));
  g_assert_cmpuint (g_strv_length (keys), ==, STRIAE_N_CHECKS + 19);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      StriaeRulesKeyKind kind;
      double min, max, step, def = striae_rules_key_get_default (keys[i]);
      g_autofree char *text = striae_rules_dup_value_text (rules, keys[i]);
      g_autofree char *def_text = striae_rules_key_dup_default_text (keys[i]);

      g_test_message ("key %s", keys[i]);
      g_assert_true (striae_rules_key_get_kind (keys[i], &kind));
      g_assert_true (striae_rules_key_get_range (keys[i], &min, &max, &step));
      g_assert_cmpfloat (min, <=, def);
      g_assert_cmpfloat (def, <=, max);
      g_assert_cmpfloat (step, ==, kind == STRIAE_RULES_KEY_MM ? 0.25 : 1);
      g_assert_cmpfloat (striae_rules_get_value (rules, keys[i]), ==, def);
      g_assert_cmpstr (text, ==, def_text);
      g_assert_false (striae_rules_is_changed (rules, keys[i]));
      if (kind == STRIAE_RULES_KEY_LEVEL)
        n_levels++;
    }
  g_assert_cmpuint (n_levels, ==, STRIAE_N_CHECKS);
  g_assert_false (striae_rules_key_get_kind ("depth.knee", NULL));
  g_assert_false (striae_rules_key_get_range ("level.flu", NULL, NULL, NULL));
}

typedef struct
{
  const char *key;
  double      value;
  const char *text;      /* the value's text afterwards, or NULL when refused */
} SetCase;

static const SetCase set_cases[] = {
  { "level.breastfeeding", STRIAE_LEVEL_ABSOLUTE, "absolute" },
  { "level.pregnancy", STRIAE_LEVEL_OFF, "off" },
  { "level.pregnancy", 3, NULL },
  { "level.pregnancy", 1.5, NULL },
  { "level.flu", 1, NULL },
  { "isotretinoin-delay-months", 3, "3" },
  { "isotretinoin-delay-months", 25, NULL },
  { "depth.moderate.thin", 1.25, "1.25" },
  { "depth.moderate.thin", 1.1, NULL },
  { "depth.moderate.thin", 0, NULL },
  { "depth.pih-step", 0, "0.00" },
  { "course.severe.sessions", 8, "8" },
  { "course.severe.sessions", 0, NULL },
  { "course.severe.sessions", 2.5, NULL },
  { "course.mild.interval-weeks-higher-risk", 8, "8" },
  { "course.mild.interval-weeks-higher-risk", 27, NULL },
  { "maintenance-months", 0, "0" },
  { "depth.knee", 1, NULL },
};

static void
test_set_value (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (set_cases); i++)
    {
      const SetCase *c = &set_cases[i];
      g_autoptr(StriaeRules) rules = striae_rules_new ();
      g_autoptr(GError) error = NULL;
      gboolean ok;

      g_test_message ("set %s = %g", c->key, c->value);
      ok = striae_rules_set_value (rules, c->key, c->value, &error);
      if (c->text != NULL)
        {
          g_autofree char *text = striae_rules_dup_value_text (rules, c->key);
          g_auto(GStrv) diff = NULL;
          g_autoptr(StriaeRules) defaults = striae_rules_new ();

          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_cmpstr (text, ==, c->text);
          g_assert_cmpfloat (striae_rules_get_value (rules, c->key), ==, c->value);
          g_assert_true (striae_rules_is_changed (rules, c->key));
          g_assert_false (striae_rules_is_default (rules));
          diff = striae_rules_dup_differences (rules, defaults);
          g_assert_cmpuint (g_strv_length (diff), ==, 1);
          g_assert_cmpstr (diff[0], ==, c->key);
          g_assert_true (striae_rules_reset_key (rules, c->key, NULL));
          g_assert_true (striae_rules_is_default (rules));
        }
      else
        {
          g_assert_false (ok);
          g_assert_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID);
          /* One sentence, naming the key. */
          g_assert_nonnull (strstr (error->message, c->key));
          g_assert_true (g_str_has_suffix (error->message, "."));
          g_assert_true (striae_rules_is_default (rules));
        }
    }
}

static void
test_differences (void)
{
  g_autoptr(StriaeRules) a = striae_rules_new ();
  g_autoptr(StriaeRules) b = striae_rules_new ();
  g_auto(GStrv) none = striae_rules_dup_differences (a, b);
  g_auto(GStrv) diff = NULL;

  g_assert_cmpuint (g_strv_length (none), ==, 0);
  striae_rules_set_sessions (a, STRIAE_SEVERITY_MILD, 5);
  striae_rules_set_level (a, STRIAE_CHECK_MINOR, STRIAE_LEVEL_ABSOLUTE);
  striae_rules_set_level (b, STRIAE_CHECK_DIABETES, STRIAE_LEVEL_OFF);
  diff = striae_rules_dup_differences (a, b);
  /* In key order: levels first. */
  g_assert_cmpuint (g_strv_length (diff), ==, 3);
  g_assert_cmpstr (diff[0], ==, "level.diabetes");
  g_assert_cmpstr (diff[1], ==, "level.minor");
  g_assert_cmpstr (diff[2], ==, "course.mild.sessions");
}

/* A complete file, as --rules-export writes it, with one member replaced. */
static char *
complete_with (const char *member,
               const char *replacement)
{
  g_autoptr(StriaeRules) rules = striae_rules_new ();
  g_autofree char *json = striae_rules_to_json (rules);
  g_autoptr(GString) text = g_string_new (json);

  if (member != NULL)
    g_assert_cmpuint (g_string_replace (text, member, replacement, 1), ==, 1);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
test_import_round_trip (void)
{
  g_autoptr(StriaeRules) rules = striae_rules_new ();
  g_autoptr(StriaeRules) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *back_hash = NULL;

  striae_rules_set_level (rules, STRIAE_CHECK_BREASTFEEDING, STRIAE_LEVEL_ABSOLUTE);
  striae_rules_set_isotretinoin_delay_months (rules, 3);
  g_assert_true (striae_rules_set_depth (rules, STRIAE_SEVERITY_SEVERE, FALSE, 2.0, NULL));
  json = striae_rules_to_json (rules);
  back = striae_rules_new_from_import (json, -1, &error);
  g_assert_no_error (error);
  hash = striae_rules_dup_hash (rules);
  back_hash = striae_rules_dup_hash (back);
  g_assert_cmpstr (hash, ==, back_hash);
}

typedef struct
{
  const char *member;       /* replaced in a complete file; NULL: json is the whole file */
  const char *replacement;
  const char *json;
  const char *named;        /* expected in the sentence */
} ImportCase;

static const ImportCase import_cases[] = {
  { NULL, NULL, "not json", "malformed" },
  { NULL, NULL, "{\"format\": 1} x", "not imported" },
  { NULL, NULL, "{\"format\": 1, \"format\": 1}", "format" },
  { NULL, NULL, "{\"format\": 2}", "format 2" },
  /* Missing settings are refused in an import, naming the first one missing. */
  { NULL, NULL, "{\"format\": 1}", "$.levels.infection" },
  { "\"minor\" : \"relative\"", "\"minor\" : \"sometimes\"", NULL, "$.levels.minor" },
  { "\"minor\" : \"relative\"", "\"minor\" : 1", NULL, "$.levels.minor" },
  { "\"minor\" : \"relative\"", "\"minor\" : \"relative\", \"flu\" : \"off\"", NULL,
    "$.levels.flu" },
  { "\"minor\" : \"relative\"", "\"minor\" : \"relative\", \"minor\" : \"off\"", NULL,
    "minor" },
  { "\"minor\" : \"relative\"", "\"fitzpatrick\" : \"relative\"", NULL, "fitzpatrick" },
  { "\"depth.mild.thick\" : 0.5", "\"depth.mild.thick\" : 0.6", NULL,
    "depth.mild.thick" },
  { "\"depth.mild.thick\" : 0.5", "\"depth.mild.thick\" : \"0.5\"", NULL,
    "depth.mild.thick" },
  { "\"course.mild.sessions\" : 3", "\"course.mild.sessions\" : 0", NULL,
    "course.mild.sessions" },
  { "\"course.mild.sessions\" : 3", "\"course.mild.sessions\" : 3.5", NULL,
    "course.mild.sessions" },
  { "\"course.mild.sessions\" : 3", "\"course.mild.sessions\" : 3, \"depth.knee\" : 1", NULL,
    "depth.knee" },
  { "\"maintenance-months-higher-risk\" : 6", "\"maintenance-months\" : 6", NULL,
    "maintenance-months" },
  { "\"format\" : 1", "\"format\" : 1, \"colour\" : 3", NULL, "$.colour" },
};

static void
test_import_refused (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (import_cases); i++)
    {
      const ImportCase *c = &import_cases[i];
      g_autofree char *json = c->json ? g_strdup (c->json)
                                      : complete_with (c->member, c->replacement);
      g_autoptr(GError) error = NULL;
      g_autoptr(StriaeRules) rules = striae_rules_new_from_import (json, -1, &error);

      g_test_message ("import: %s", json);
      g_assert_null (rules);
      g_assert_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID);
      g_test_message ("sentence: %s", error->message);
      g_assert_nonnull (strstr (error->message, c->named));
      g_assert_true (g_str_has_suffix (error->message, "."));
      g_assert_null (strchr (error->message, '\n'));
    }
}

/* docs/RULES-FORMAT.md names every level and every setting, so that a new one cannot be
 * added without its documentation. */
static void
test_documented (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("STRIAE_SOURCE_ROOT"), "docs",
                                            "RULES-FORMAT.md", NULL);
  g_auto(GStrv) keys = striae_rules_dup_keys ();
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  if (g_getenv ("STRIAE_SOURCE_ROOT") == NULL)
    {
      g_test_skip ("STRIAE_SOURCE_ROOT is not set");
      return;
    }
  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);

  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autofree char *quoted = NULL;
      g_autoptr(GString) generic = g_string_new (keys[i]);

      if (g_str_has_prefix (keys[i], "level."))
        quoted = g_strdup_printf ("`%s`", keys[i] + strlen ("level."));
      else
        quoted = g_strdup_printf ("`%s`", keys[i]);
      g_string_replace (generic, ".mild.", ".<severity>.", 1);
      g_string_replace (generic, ".moderate.", ".<severity>.", 1);
      g_string_replace (generic, ".severe.", ".<severity>.", 1);
      g_string_prepend_c (generic, '`');
      g_string_append_c (generic, '`');

      g_test_message ("documented: %s", keys[i]);
      g_assert_true (strstr (text, quoted) != NULL || strstr (text, generic->str) != NULL);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/rules/default-levels", test_default_levels);
  g_test_add_func ("/rules/checks-cover-questions", test_checks_cover_questions);
  g_test_add_func ("/rules/default-numbers", test_default_numbers);
  g_test_add_func ("/rules/changed-keys", test_changed_keys);
  g_test_add_func ("/rules/depth-steps", test_depth_steps);
  g_test_add_func ("/rules/changed-signal", test_changed_signal);
  g_test_add_func ("/rules/json-round-trip", test_json_round_trip);
  g_test_add_func ("/rules/default-hash", test_default_hash_stable);
  g_test_add_func ("/rules/json-partial", test_json_partial);
  g_test_add_func ("/rules/json-refused", test_json_refused);
  g_test_add_func ("/rules/keys", test_keys);
  g_test_add_func ("/rules/set-value", test_set_value);
  g_test_add_func ("/rules/differences", test_differences);
  g_test_add_func ("/rules/import-round-trip", test_import_round_trip);
  g_test_add_func ("/rules/import-refused", test_import_refused);
  g_test_add_func ("/rules/documented", test_documented);

  return g_test_run ();
}
