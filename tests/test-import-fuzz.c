/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <string.h>

#include "striae-store.h"
#include "striae-test-date.h"
#include "striae-test-files.h"

/* Fuzzing of striae_store_import_patient() with mutants of a real export made by the store:
 * truncations, byte flips, type swaps, huge numbers and strings, deep nesting, invalid UTF-8,
 * duplicated members, NUL escapes, comments and other syntax json-glib would take. Each
 * mutant is either refused, with one sentence naming a JSON path and the database exactly
 * as before (compared through a dump of every table), or accepted and exported back to the
 * same record; no import may take 2 s. It is deterministic (a seeded GRand);
 * STRIAE_FUZZ_SEED and STRIAE_FUZZ_MUTANTS explore further. */

#define DEFAULT_SEED    20240502
#define DEFAULT_MUTANTS 1200
#define IMPORT_TIME_MAX (2 * G_USEC_PER_SEC)

typedef enum
{
  MUTATE_TRUNCATE,
  MUTATE_FLIP,
  MUTATE_INVALID_UTF8,
  MUTATE_NUL_ESCAPE,
  MUTATE_DUPLICATE_MEMBER,
  MUTATE_DEEP,
  MUTATE_SYNTAX,
  MUTATE_SPLICE,
  MUTATE_TYPE_SWAP,
  MUTATE_HUGE_NUMBER,
  MUTATE_HUGE_STRING,
  MUTATE_OTHER_TEXT,
  MUTATE_OTHER_NUMBER,
  N_MUTATIONS
} Mutation;

static const char * const mutation_names[] = {
  "truncate", "flip", "invalid-utf8", "nul-escape", "duplicate-member", "deep", "syntax",
  "splice", "type-swap", "huge-number", "huge-string", "other-text", "other-number",
};

G_STATIC_ASSERT (G_N_ELEMENTS (mutation_names) == N_MUTATIONS);

/* A stretch of the export's text: a string's contents, a number, a member's line. */
typedef struct
{
  gsize start;
  gsize end;
} Span;

typedef struct
{
  char        *dir;
  char        *target_path;
  StriaeStore *target;
  char        *base;
  gsize        base_len;
  GArray      *strings;
  GArray      *numbers;
  GArray      *members;
  GRand       *rand;
  JsonNode    *consultation_defaults;
  JsonNode    *area_defaults;
} Fuzz;

/* The record */

static void
fill_first_consultation (StriaeConsultation *c)
{
  StriaeHistory *history = striae_consultation_get_history (c);
  StriaeSkin *skin = striae_consultation_get_skin (c);
  StriaePlan *plan = striae_consultation_get_plan (c);
  g_autoptr(StriaeArea) abdomen = striae_area_new (STRIAE_BODY_SITE_ABDOMEN);
  g_autoptr(StriaeArea) thighs = striae_area_new (STRIAE_BODY_SITE_THIGHS);
  const char * const added[] = { "Avoid the sauna for 48 h", "Pas de soleil 😎", NULL };
  const char * const struck[] = { "aftercare-sun", NULL };

  striae_consultation_set_date (c, striae_test_date ("2024-02-01"));
  striae_consultation_set_practitioner (c, "Dr Élise Roux");
  striae_history_set_answer (history, STRIAE_QUESTION_PREGNANCY, STRIAE_ANSWER_NO);
  striae_history_set_answer (history, STRIAE_QUESTION_ISOTRETINOIN, STRIAE_ANSWER_YES);
  striae_history_set_detail (history, STRIAE_QUESTION_ISOTRETINOIN, "Stopped in June, 20 mg");
  striae_history_set_medication (history, "Levothyroxine 50 µg");
  striae_history_set_isotretinoin_end_date (history, striae_test_date ("2023-06-30"));
  striae_skin_set_fitzpatrick (skin, 3);
  striae_skin_set_fact (skin, STRIAE_SKIN_FACT_SENSITIVE, STRIAE_ANSWER_YES);
  striae_skin_set_products (skin, "Retinol 0,3 %\nSPF 50");

  striae_area_set_mark_type (abdomen, STRIAE_MARK_TYPE_ALBAE);
  striae_area_set_cause (abdomen, STRIAE_CAUSE_PREGNANCY);
  striae_area_set_age_months (abdomen, 36);
  striae_area_set_severity (abdomen, STRIAE_SEVERITY_MODERATE);
  striae_area_set_score_scale (abdomen, STRIAE_SCORE_SCALE_DAVEY);
  striae_area_set_score (abdomen, 4);
  striae_area_set_notes (abdomen, "Around the navel");
  striae_area_set_recommended_depth (abdomen, 1.0);
  striae_area_set_depth (abdomen, 1.25);
  striae_area_set_depth_reason (abdomen, "Thicker skin here");
  striae_consultation_add_area (c, abdomen);
  striae_area_set_mark_type (thighs, STRIAE_MARK_TYPE_RUBRAE);
  striae_area_set_cause (thighs, STRIAE_CAUSE_GROWTH_SPURT);
  striae_area_set_severity (thighs, STRIAE_SEVERITY_MILD);
  striae_area_set_score_scale (thighs, STRIAE_SCORE_SCALE_OTHER);
  striae_area_set_score (thighs, 12.5);
  striae_consultation_add_area (c, thighs);

  striae_plan_set_device (plan, STRIAE_DEVICE_PEN);
  striae_plan_set_sessions (plan, 4);
  striae_plan_set_sessions_reason (plan, "Moderate, mature marks");
  striae_plan_set_interval_weeks (plan, 6);
  striae_plan_set_first_session (plan, striae_test_date ("2024-03-01"));
  striae_plan_set_maintenance_months (plan, 6);
  striae_plan_set_numbing_cream (plan, TRUE);
  striae_plan_set_numbing_cream_reason (plan, "Asked for it");
  striae_plan_set_adjuncts (plan, STRIAE_ADJUNCT_SERUM | STRIAE_ADJUNCT_PRP);
  striae_consultation_set_acknowledged (c, "isotretinoin", TRUE);
  striae_consultation_set_added_items (c, added);
  striae_consultation_set_struck_items (c, struck);
}

/* A patient with a signed and amended consultation and a draft, in every kind of field. */
static char *
make_export (const char *path)
{
  g_autoptr(StriaeStore) store = NULL;
  g_autoptr(StriaePatient) patient = striae_patient_new ();
  g_autoptr(StriaeConsultation) first = striae_consultation_new ();
  g_autoptr(StriaeConsultation) draft = striae_consultation_new ();
  g_autoptr(StriaeConsultation) amended = NULL;
  g_autoptr(GError) error = NULL;
  char *json;

  store = striae_store_open (path, &error);
  g_assert_no_error (error);

  striae_patient_set_given_name (patient, "Zoë");
  striae_patient_set_family_name (patient, "Wiśniewska-Dąbrowska");
  striae_patient_set_birth_date (patient, striae_test_date ("1988-03-14"));
  striae_patient_set_sex (patient, STRIAE_SEX_FEMALE);
  striae_patient_set_phone (patient, "+33 6 12 34 56 78");
  striae_patient_set_email (patient, "zoe.w@example.org");
  striae_patient_set_language (patient, "fr");
  striae_patient_set_notes (patient, "Prefers mornings.\nNickel allergy: see the 2023 letter.");
  g_assert_true (striae_store_add_patient (store, patient, &error));
  g_assert_no_error (error);

  striae_consultation_set_patient_id (first, striae_patient_get_id (patient));
  fill_first_consultation (first);
  striae_consultation_set_status (first, STRIAE_CONSULTATION_STATUS_COMPLETE);
  g_assert_true (striae_store_save_consultation (store, first, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (striae_store_sign_consultation (store, striae_consultation_get_id (first),
                                                 "Dr Élise Roux", &error));
  g_assert_no_error (error);
  amended = striae_store_amend_consultation (store, striae_consultation_get_id (first), NULL,
                                             "Wrong date", &error);
  g_assert_no_error (error);
  striae_consultation_set_date (amended, striae_test_date ("2024-02-02"));
  g_assert_true (striae_store_save_consultation (store, amended, NULL, &error));
  g_assert_no_error (error);

  striae_consultation_set_patient_id (draft, striae_patient_get_id (patient));
  striae_consultation_set_practitioner (draft, "Dr Kwame Mensah");
  g_assert_true (striae_store_save_consultation (store, draft, NULL, &error));
  g_assert_no_error (error);

  json = striae_store_export_patient (store, striae_patient_get_id (patient),
                                      STRIAE_EXPORT_FLAGS_WITH_AUDIT, &error);
  g_assert_no_error (error);
  return json;
}

/* The members of a new consultation and of a new area: what a missing member means. */
static void
make_defaults (Fuzz *fuzz)
{
  g_autoptr(StriaeConsultation) consultation = striae_consultation_new ();
  g_autoptr(StriaeArea) area = striae_area_new (STRIAE_BODY_SITE_OTHER);
  g_autofree char *json = striae_consultation_to_json (consultation);
  g_autofree char *with_area = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *areas;

  fuzz->consultation_defaults = json_from_string (json, NULL);
  g_assert_nonnull (fuzz->consultation_defaults);
  striae_consultation_add_area (consultation, area);
  with_area = striae_consultation_to_json (consultation);
  root = json_from_string (with_area, NULL);
  areas = json_object_get_array_member (json_node_get_object (root), "areas");
  fuzz->area_defaults = json_node_copy (json_array_get_element (areas, 0));
}

/* Where the export's strings, numbers and member lines are, for the mutations that work on
 * the text. */
static void
find_spans (Fuzz *fuzz)
{
  const char *text = fuzz->base;
  gsize line_start = 0;

  for (gsize i = 0; i < fuzz->base_len; i++)
    {
      if (text[i] == '"')
        {
          Span span = { i + 1, i + 1 };

          for (i++; text[i] != '"'; i++)
            if (text[i] == '\\')
              i++;
          span.end = i;
          g_array_append_val (fuzz->strings, span);
        }
      else if (text[i] == '-' || g_ascii_isdigit (text[i]))
        {
          Span span = { i, i };

          while (i < fuzz->base_len && strchr ("-+.eE0123456789", text[i]) != NULL)
            i++;
          span.end = i--;
          g_array_append_val (fuzz->numbers, span);
        }
      else if (text[i] == '\n')
        {
          Span span = { line_start, i + 1 };
          const char *line = text + line_start;

          while (*line == ' ')
            line++;
          if (*line == '"' && g_strstr_len (line, text + i - line, "\" : ") != NULL)
            g_array_append_val (fuzz->members, span);
          line_start = i + 1;
        }
    }
}

/* Mutations of the text */

static Span
pick_span (Fuzz   *fuzz,
           GArray *spans)
{
  return g_array_index (spans, Span, g_rand_int_range (fuzz->rand, 0, spans->len));
}

static gsize
pick_offset (Fuzz  *fuzz,
             gsize  start,
             gsize  end)
{
  return start + (gsize) g_rand_double (fuzz->rand) * (end - start);
}

/* An offset inside a string's contents, at the start of a character. */
static gsize
pick_inside_string (Fuzz *fuzz)
{
  Span span = pick_span (fuzz, fuzz->strings);
  gsize at = pick_offset (fuzz, span.start, span.end + 1);

  while (at > span.start && ((guchar) fuzz->base[at] & 0xc0) == 0x80)
    at--;
  return at;
}

static GString *
base_copy (Fuzz *fuzz)
{
  return g_string_new_len (fuzz->base, fuzz->base_len);
}

static GString *
replace_span (Fuzz       *fuzz,
              Span        span,
              const char *with)
{
  GString *text = base_copy (fuzz);

  g_string_erase (text, span.start, span.end - span.start);
  g_string_insert (text, span.start, with);
  return text;
}

static GString *
mutate_truncate (Fuzz *fuzz)
{
  return g_string_new_len (fuzz->base, pick_offset (fuzz, 0, fuzz->base_len));
}

static GString *
mutate_flip (Fuzz *fuzz)
{
  GString *text = base_copy (fuzz);
  guint n = g_rand_int_range (fuzz->rand, 1, 5);

  for (guint i = 0; i < n; i++)
    text->str[pick_offset (fuzz, 0, text->len)] ^= 1 << g_rand_int_range (fuzz->rand, 0, 8);
  return text;
}

static GString *
mutate_invalid_utf8 (Fuzz *fuzz)
{
  static const char * const bad[] = {
    "\xff", "\xc3", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe2\x82", "\x80",
    "\xf8\x88\x80\x80\x80",
  };
  GString *text = base_copy (fuzz);

  g_string_insert (text, pick_inside_string (fuzz),
                   bad[g_rand_int_range (fuzz->rand, 0, G_N_ELEMENTS (bad))]);
  return text;
}

static GString *
mutate_nul_escape (Fuzz *fuzz)
{
  GString *text = base_copy (fuzz);

  g_string_insert (text, pick_inside_string (fuzz), "\\u0000");
  return text;
}

/* A member's line twice; the first copy gets a comma when it was the last member. */
static GString *
mutate_duplicate_member (Fuzz *fuzz)
{
  Span span = pick_span (fuzz, fuzz->members);
  GString *text = base_copy (fuzz);
  g_autoptr(GString) line = g_string_new_len (fuzz->base + span.start, span.end - span.start);

  if (line->len >= 2 && line->str[line->len - 2] != ',' && line->str[line->len - 2] != '{' &&
      line->str[line->len - 2] != '[')
    g_string_insert_c (line, line->len - 1, ',');
  g_string_insert_len (text, span.start, line->str, line->len);
  return text;
}

static GString *
mutate_deep (Fuzz *fuzz)
{
  static const guint depths[] = { 3, 6, 7, 9, 64, 80000 };
  guint depth = depths[g_rand_int_range (fuzz->rand, 0, G_N_ELEMENTS (depths))];
  gboolean objects = g_rand_boolean (fuzz->rand);
  g_autoptr(GString) nested = g_string_new (NULL);
  Span span = pick_span (fuzz, fuzz->numbers);

  for (guint i = 0; i < depth; i++)
    g_string_append (nested, objects ? "{\"a\": " : "[");
  g_string_append (nested, "1");
  for (guint i = 0; i < depth; i++)
    g_string_append_c (nested, objects ? '}' : ']');

  return replace_span (fuzz, span, nested->str);
}

/* What json-glib takes and JSON does not, and a few plain syntax errors. */
static GString *
mutate_syntax (Fuzz *fuzz)
{
  GString *text = base_copy (fuzz);
  Span span = pick_span (fuzz, fuzz->members);

  switch (g_rand_int_range (fuzz->rand, 0, 9))
    {
    case 0:
      g_string_insert (text, span.start, "/* why */ ");
      break;
    case 1:
      g_string_insert (text, span.end - 1, " // why");
      break;
    case 2:
      span = pick_span (fuzz, fuzz->strings);
      text->str[span.start - 1] = '\'';
      text->str[span.end] = '\'';
      break;
    case 3:
      g_string_append_len (text, fuzz->base, fuzz->base_len);
      break;
    case 4:
      g_string_append (text, g_rand_boolean (fuzz->rand) ? " {}" : " x");
      break;
    case 5:
      g_string_prepend (text, "\xef\xbb\xbf");
      break;
    case 6:
      g_string_insert (text, span.end - 1, ",");
      break;
    case 7:
      g_string_insert (text, span.start, "\x01");
      break;
    default:
      g_string_insert (text, span.end - 1, g_rand_boolean (fuzz->rand) ? "\f" : "\v");
      break;
    }
  return text;
}

static GString *
mutate_splice (Fuzz *fuzz)
{
  GString *text = base_copy (fuzz);
  gsize from = pick_offset (fuzz, 0, fuzz->base_len);
  gsize length = MIN ((gsize) g_rand_int_range (fuzz->rand, 1, 200), fuzz->base_len - from);

  g_string_insert_len (text, pick_offset (fuzz, 0, fuzz->base_len), fuzz->base + from, length);
  return text;
}

static GString *
mutate_huge_number (Fuzz *fuzz)
{
  static const char * const numbers[] = {
    "1e999", "-1e999", "1e-999", "99999999999999999999", "-9223372036854775809",
    "9223372036854775807", "-9223372036854775808", "4294967296", "2147483648", "-0",
    "0.1e1", "1E2", "1.7976931348623157e308", "4.9e-324", "-1", "00", "1.", ".5", "+1",
    "0x10", "NaN", "Infinity",
  };

  return replace_span (fuzz, pick_span (fuzz, fuzz->numbers),
                       numbers[g_rand_int_range (fuzz->rand, 0, G_N_ELEMENTS (numbers))]);
}

/* Mutations of the tree
 *
 * A node is replaced through its parent: json-glib 1.6 leaves a dangling pointer when a node
 * that holds something is initialised again as another kind. */

typedef struct
{
  JsonNode *parent;
  char     *name;    /* in an object, or %NULL */
  guint     index;   /* in a list */
  JsonNode *node;
} Slot;

static void
slot_free (Slot *slot)
{
  g_free (slot->name);
  g_free (slot);
}

static void
collect_slots (JsonNode  *node,
               GPtrArray *slots)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autoptr(GList) names = json_object_get_members (json_node_get_object (node));

      for (GList *l = names; l != NULL; l = l->next)
        {
          Slot *slot = g_new0 (Slot, 1);

          slot->parent = node;
          slot->name = g_strdup (l->data);
          slot->node = json_object_get_member (json_node_get_object (node), l->data);
          g_ptr_array_add (slots, slot);
          collect_slots (slot->node, slots);
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          Slot *slot = g_new0 (Slot, 1);

          slot->parent = node;
          slot->index = i;
          slot->node = json_array_get_element (array, i);
          g_ptr_array_add (slots, slot);
          collect_slots (slot->node, slots);
        }
    }
}

/* Puts @replacement (taken) where @slot's node was. */
static void
replace_slot (Slot     *slot,
              JsonNode *replacement)
{
  JsonArray *old;
  g_autoptr(JsonArray) array = NULL;

  if (slot->name != NULL)
    {
      json_object_set_member (json_node_get_object (slot->parent), slot->name, replacement);
      return;
    }

  old = json_node_get_array (slot->parent);
  array = json_array_sized_new (json_array_get_length (old));
  for (guint i = 0; i < json_array_get_length (old); i++)
    json_array_add_element (array, i == slot->index
                                   ? replacement
                                   : json_node_copy (json_array_get_element (old, i)));
  json_node_set_array (slot->parent, array);
}

/* Replaces a node of @root other than the root itself, held by @value_type if that is not
 * G_TYPE_INVALID (G_TYPE_DOUBLE: any number), with what @make returns for it. */
static void
replace_node (Fuzz      *fuzz,
              JsonNode  *root,
              GType      value_type,
              JsonNode *(*make) (Fuzz *fuzz))
{
  g_autoptr(GPtrArray) slots = g_ptr_array_new_with_free_func ((GDestroyNotify) slot_free);
  g_autoptr(GPtrArray) fitting = g_ptr_array_new ();

  collect_slots (root, slots);
  for (guint i = 0; i < slots->len; i++)
    {
      Slot *slot = g_ptr_array_index (slots, i);
      GType held = JSON_NODE_HOLDS_VALUE (slot->node) ? json_node_get_value_type (slot->node)
                                                      : G_TYPE_INVALID;

      if (value_type == G_TYPE_INVALID || held == value_type ||
          (value_type == G_TYPE_DOUBLE && held == G_TYPE_INT64))
        g_ptr_array_add (fitting, slot);
    }

  replace_slot (g_ptr_array_index (fitting, g_rand_int_range (fuzz->rand, 0, fitting->len)),
                make (fuzz));
}

static GString *
mutate_tree (Fuzz      *fuzz,
             GType      value_type,
             JsonNode *(*make) (Fuzz *fuzz))
{
  g_autoptr(JsonNode) root = json_from_string (fuzz->base, NULL);
  g_autofree char *text = NULL;

  g_assert_nonnull (root);
  replace_node (fuzz, root, value_type, make);
  text = json_to_string (root, TRUE);
  return g_string_new (text);
}

static JsonNode *
make_other_kind (Fuzz *fuzz)
{
  JsonNode *node = json_node_alloc ();

  switch (g_rand_int_range (fuzz->rand, 0, 8))
    {
    case 0:
      return json_node_init_string (node, "7");
    case 1:
      return json_node_init_int (node, 7);
    case 2:
      return json_node_init_double (node, 2.5);
    case 3:
      return json_node_init_boolean (node, g_rand_boolean (fuzz->rand));
    case 4:
      return json_node_init_null (node);
    case 5:
      {
        g_autoptr(JsonArray) array = json_array_new ();

        json_array_add_string_element (array, "x");
        return json_node_init_array (node, array);
      }
    case 6:
      {
        g_autoptr(JsonObject) object = json_object_new ();

        return json_node_init_object (node, object);
      }
    default:
      {
        g_autoptr(JsonArray) array = json_array_new ();

        return json_node_init_array (node, array);
      }
    }
}

static JsonNode *
make_huge_string (Fuzz *fuzz)
{
  static const char * const units[] = {
    "a", "\xc3\xa9", "e\xcc\x81", "\xe4\xb8\xad", "\xcc\x81", " ", "\\", "\xf0\x9f\x98\x80",
  };
  static const guint lengths[] = { 101, 201, 2001, 10001, 100001, 1000001 };
  const char *unit = units[g_rand_int_range (fuzz->rand, 0, G_N_ELEMENTS (units))];
  guint n = lengths[g_rand_int_range (fuzz->rand, 0, G_N_ELEMENTS (lengths))];
  g_autoptr(GString) text = g_string_new (NULL);

  /* Now and then one past the size of a file. */
  if (g_rand_int_range (fuzz->rand, 0, 12) == 0)
    n = 9 * 1024 * 1024 / strlen (unit);
  for (guint i = 0; i < n; i++)
    g_string_append (text, unit);

  return json_node_init_string (json_node_alloc (), text->str);
}

/* Other texts, most of them fine somewhere: these mutants are the ones that get in. */
static JsonNode *
make_other_text (Fuzz *fuzz)
{
  static const char * const texts[] = {
    "Dr Martin", "Zoë", "Łucja", "中文", "😀 ok", "a\nb", "x", "", " lead", "trail ",
    "e\xcc\x81", "\t", "O’Brien", "name@example.org", "06 12 34 56 78", "1990-01-01",
    "1990/05/12", "2023-02-29", "2024-02-01T10:00:00Z", "2024-02-01T10:00:00",
    "2024-02-01T10:00:00+05:00", "2024-02-01T10:00:00.5Z", "female", "male", "draft",
    "complete", "signed", "yes", "no", "unknown", "hips", "prp", "serum", "de", "pt_BR",
    "0c6ef1a4-4b8e-4e0e-9f1b-2c1d3e4f5a6b", "0C6EF1A4-4B8E-4E0E-9F1B-2C1D3E4F5A6B",
    "striae-patient-export", "\xe2\x80\xae", "a\rb",
  };

  return json_node_init_string (json_node_alloc (),
                                texts[g_rand_int_range (fuzz->rand, 0, G_N_ELEMENTS (texts))]);
}

static JsonNode *
make_other_number (Fuzz *fuzz)
{
  static const gint64 integers[] = {
    0, 1, 2, 3, 6, 20, 21, 26, 27, 100, 101, 1200, 1201, -1, -2, G_MAXINT32, G_MAXUINT32,
    (gint64) G_MAXUINT32 + 1, G_MAXINT64, G_MININT64,
  };
  static const double doubles[] = { 0.25, 0.5, 1.0, 1.1, 3.0, 3.25, 2.5, 99.99, 100.0, 1e300 };

  if (g_rand_boolean (fuzz->rand))
    return json_node_init_int (json_node_alloc (),
                               integers[g_rand_int_range (fuzz->rand, 0,
                                                          G_N_ELEMENTS (integers))]);
  return json_node_init_double (json_node_alloc (),
                                doubles[g_rand_int_range (fuzz->rand, 0,
                                                          G_N_ELEMENTS (doubles))]);
}

static GString *
mutate_type_swap (Fuzz *fuzz)
{
  return mutate_tree (fuzz, G_TYPE_INVALID, make_other_kind);
}

static GString *
mutate_huge_string (Fuzz *fuzz)
{
  return mutate_tree (fuzz, G_TYPE_STRING, make_huge_string);
}

static GString *
mutate_other_text (Fuzz *fuzz)
{
  return mutate_tree (fuzz, G_TYPE_STRING, make_other_text);
}

static GString *
mutate_other_number (Fuzz *fuzz)
{
  return mutate_tree (fuzz, G_TYPE_DOUBLE, make_other_number);
}

static GString *
mutate (Fuzz     *fuzz,
        Mutation  mutation)
{
  static GString *(* const mutations[]) (Fuzz *) = {
    mutate_truncate, mutate_flip, mutate_invalid_utf8, mutate_nul_escape,
    mutate_duplicate_member, mutate_deep, mutate_syntax, mutate_splice, mutate_type_swap,
    mutate_huge_number, mutate_huge_string, mutate_other_text, mutate_other_number,
  };

  G_STATIC_ASSERT (G_N_ELEMENTS (mutations) == N_MUTATIONS);
  return mutations[mutation] (fuzz);
}

/* The database, table by table: every row of every table (the search index's and SQLite's
 * own included), as a checksum of its rows in order. */
static char *
dump_tables (const char *path)
{
  g_autoptr(GString) dump = g_string_new (NULL);
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT name FROM sqlite_schema WHERE type = "
                                       "'table' ORDER BY name", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (tables, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);

  for (guint t = 0; t < tables->len; t++)
    {
      g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
      char *sql = sqlite3_mprintf ("SELECT * FROM \"%w\"", g_ptr_array_index (tables, t));
      guint rows = 0;

      g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
      sqlite3_free (sql);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          for (int i = 0; i < sqlite3_column_count (stmt); i++)
            {
              int type = sqlite3_column_type (stmt, i);
              const void *blob = sqlite3_column_blob (stmt, i);
              int n = sqlite3_column_bytes (stmt, i);

              g_checksum_update (checksum, (const guchar *) &type, sizeof type);
              g_checksum_update (checksum, (const guchar *) &n, sizeof n);
              if (blob != NULL)
                g_checksum_update (checksum, blob, n);
            }
          rows++;
        }
      sqlite3_finalize (stmt);
      g_string_append_printf (dump, "%s: %u rows, %s\n", (char *) g_ptr_array_index (tables, t),
                              rows, g_checksum_get_string (checksum));
    }
  sqlite3_close (db);

  return g_string_free (g_steal_pointer (&dump), FALSE);
}

/* Comparing a record with its export */

typedef enum
{
  COMPARE_EXACT,
  COMPARE_IGNORE,       /* the importing database's own: numbers, times, audit rows */
  COMPARE_TEXT,         /* a text where null and a missing member stand for "" */
  COMPARE_TIME,         /* the same moment; missing or null in the file: the import's time */
  COMPARE_SET,          /* the same strings in any order */
  COMPARE_MAYBE,        /* only when the file has it: a missing or null one is made anew */
  COMPARE_FORMAT,       /* a consultation's format: an older one is read and saved as the
                         * current one (STRIAE_CONSULTATION_FORMAT) */
} Compare;

static Compare
compare_rule (const char *pattern)
{
  static const struct {
    const char *pattern;
    Compare     compare;
  } rules[] = {
    { "$.generator", COMPARE_IGNORE },
    { "$.exported", COMPARE_IGNORE },
    { "$.audit", COMPARE_IGNORE },
    { "$.patient.id", COMPARE_IGNORE },
    { "$.patient.created", COMPARE_IGNORE },
    { "$.patient.updated", COMPARE_IGNORE },
    { "$.patient.record-id", COMPARE_MAYBE },
    { "$.patient.sex", COMPARE_TEXT },
    { "$.patient.phone", COMPARE_TEXT },
    { "$.patient.email", COMPARE_TEXT },
    { "$.patient.language", COMPARE_TEXT },
    { "$.patient.notes", COMPARE_TEXT },
    { "$.consultations[].id", COMPARE_IGNORE },
    { "$.consultations[].patient-id", COMPARE_IGNORE },
    { "$.consultations[].record.created", COMPARE_TIME },
    { "$.consultations[].record.updated", COMPARE_TIME },
    { "$.consultations[].record.signed-at", COMPARE_MAYBE },
    { "$.consultations[].record.signed-by", COMPARE_MAYBE },
    { "$.consultations[].format", COMPARE_FORMAT },
    { "$.consultations[].acknowledged", COMPARE_SET },
    { "$.consultations[].sheet.struck", COMPARE_SET },
    { "$.consultations[].plan.adjuncts", COMPARE_SET },
    /* The schedule names its consultation and session record by number: new on import. */
    { "$.schedule[].consultation", COMPARE_IGNORE },
    { "$.schedule[].session", COMPARE_IGNORE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rules); i++)
    if (g_str_equal (pattern, rules[i].pattern))
      return rules[i].compare;

  return COMPARE_EXACT;
}

/* What a comparison needs: the defaults a missing member stands for (the members of a new
 * consultation and of a new area), and room to say what differs. */
typedef struct
{
  JsonNode *consultation;
  JsonNode *area;
  GString  *why;
} Comparison;

static gboolean same_node (JsonNode   *file,
                           JsonNode   *exported,
                           const char *pattern,
                           const char *path,
                           Comparison *cmp);

static gboolean
same_time (JsonNode *file,
           JsonNode *exported)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) a = NULL;
  g_autoptr(GDateTime) b = NULL;

  if (!JSON_NODE_HOLDS_VALUE (file) || !JSON_NODE_HOLDS_VALUE (exported) ||
      json_node_get_value_type (file) != G_TYPE_STRING ||
      json_node_get_value_type (exported) != G_TYPE_STRING)
    return FALSE;

  a = g_date_time_new_from_iso8601 (json_node_get_string (file), utc);
  b = g_date_time_new_from_iso8601 (json_node_get_string (exported), utc);
  return a != NULL && b != NULL && g_date_time_equal (a, b);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static char *
sorted_strings (JsonNode *node)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new ();
  g_autoptr(GString) joined = g_string_new (NULL);
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return g_strdup ("(not a list)");

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    g_ptr_array_add (items, (gpointer) json_array_get_string_element (array, i));
  g_ptr_array_sort (items, compare_strings);
  for (guint i = 0; i < items->len; i++)
    g_string_append_printf (joined, "%s\x1f", (char *) g_ptr_array_index (items, i));

  return g_string_free (g_steal_pointer (&joined), FALSE);
}

static gboolean
is_null_or_missing (JsonNode *node)
{
  return node == NULL || JSON_NODE_HOLDS_NULL (node);
}

static JsonNode *
walk (JsonNode   *node,
      const char *members)
{
  g_auto(GStrv) names = g_strsplit (members, ".", -1);

  for (guint i = 0; node != NULL && names[i] != NULL; i++)
    node = JSON_NODE_HOLDS_OBJECT (node)
           ? json_object_get_member (json_node_get_object (node), names[i]) : NULL;

  return node;
}

/* What a member that a file lacks stands for, or %NULL when it has no default. Sets @any
 * for an area's identifier, which the import makes up anew. */
static JsonNode *
default_for (Comparison *cmp,
             const char *pattern,
             gboolean   *any)
{
  const char *consultation = "$.consultations[].";
  const char *area = "$.consultations[].areas[].";

  *any = g_str_equal (pattern, "$.consultations[].areas[].id");
  if (g_str_has_prefix (pattern, area))
    return walk (cmp->area, pattern + strlen (area));
  if (g_str_has_prefix (pattern, consultation))
    return walk (cmp->consultation, pattern + strlen (consultation));

  return NULL;
}

/* A member that one side may lack: what the comparison makes of it. */
static gboolean
same_member (JsonNode   *file,
             JsonNode   *exported,
             const char *pattern,
             const char *path,
             Comparison *cmp)
{
  Compare compare = compare_rule (pattern);

  switch (compare)
    {
    case COMPARE_IGNORE:
      return TRUE;
    case COMPARE_TIME:
      if (is_null_or_missing (file))
        return TRUE;
      break;
    case COMPARE_MAYBE:
      if (is_null_or_missing (file))
        return is_null_or_missing (exported) || g_str_equal (pattern, "$.patient.record-id");
      break;
    case COMPARE_TEXT:
      if (is_null_or_missing (file))
        return exported != NULL && g_strcmp0 (json_node_get_string (exported), "") == 0;
      break;
    case COMPARE_EXACT:
    case COMPARE_SET:
    default:
      break;
    }

  /* A member the file lacks keeps its default, as the format says. */
  if (file == NULL && exported != NULL)
    {
      gboolean any = FALSE;
      JsonNode *fallback = default_for (cmp, pattern, &any);

      if (any)
        return TRUE;
      if (fallback != NULL)
        return same_node (fallback, exported, pattern, path, cmp);
    }

  if (file == NULL || exported == NULL)
    {
      g_string_append_printf (cmp->why, "%s is in only one of them", path);
      return FALSE;
    }

  return same_node (file, exported, pattern, path, cmp);
}

static gboolean
same_object (JsonObject *file,
             JsonObject *exported,
             const char *pattern,
             const char *path,
             Comparison *cmp)
{
  g_autoptr(GList) names = json_object_get_members (file);
  g_autoptr(GList) exported_names = json_object_get_members (exported);

  for (GList *l = exported_names; l != NULL; l = l->next)
    if (!json_object_has_member (file, l->data))
      names = g_list_append (names, l->data);

  for (GList *l = names; l != NULL; l = l->next)
    {
      g_autofree char *child_pattern = g_strdup_printf ("%s.%s", pattern, (char *) l->data);
      g_autofree char *child_path = g_strdup_printf ("%s.%s", path, (char *) l->data);

      if (!same_member (json_object_get_member (file, l->data),
                        json_object_get_member (exported, l->data),
                        child_pattern, child_path, cmp))
        return FALSE;
    }

  return TRUE;
}

static gboolean
same_array (JsonArray  *file,
            JsonArray  *exported,
            const char *pattern,
            const char *path,
            Comparison *cmp)
{
  g_autofree char *child_pattern = g_strdup_printf ("%s[]", pattern);

  if (json_array_get_length (file) != json_array_get_length (exported))
    {
      g_string_append_printf (cmp->why, "%s has %u items, exported %u", path,
                              json_array_get_length (file), json_array_get_length (exported));
      return FALSE;
    }

  for (guint i = 0; i < json_array_get_length (file); i++)
    {
      g_autofree char *child_path = g_strdup_printf ("%s[%u]", path, i);

      if (!same_node (json_array_get_element (file, i), json_array_get_element (exported, i),
                      child_pattern, child_path, cmp))
        return FALSE;
    }

  return TRUE;
}

static gboolean
same_value (JsonNode   *file,
            JsonNode   *exported,
            const char *path,
            Comparison *cmp)
{
  GType a = json_node_get_value_type (file);
  GType b = json_node_get_value_type (exported);
  gboolean numbers = (a == G_TYPE_INT64 || a == G_TYPE_DOUBLE) &&
                     (b == G_TYPE_INT64 || b == G_TYPE_DOUBLE);

  if (numbers && json_node_get_double (file) == json_node_get_double (exported))
    return TRUE;
  if (!numbers && a == b && a == G_TYPE_STRING &&
      g_str_equal (json_node_get_string (file), json_node_get_string (exported)))
    return TRUE;
  if (!numbers && a == b && a == G_TYPE_BOOLEAN &&
      json_node_get_boolean (file) == json_node_get_boolean (exported))
    return TRUE;

  g_string_append_printf (cmp->why, "%s differs", path);
  return FALSE;
}

static gboolean
same_node (JsonNode   *file,
           JsonNode   *exported,
           const char *pattern,
           const char *path,
           Comparison *cmp)
{
  Compare compare = compare_rule (pattern);

  if (compare == COMPARE_TIME && !same_time (file, exported))
    {
      g_string_append_printf (cmp->why, "%s is another time", path);
      return FALSE;
    }
  if (compare == COMPARE_TIME)
    return TRUE;

  if (compare == COMPARE_FORMAT)
    {
      if (JSON_NODE_HOLDS_VALUE (file) && JSON_NODE_HOLDS_VALUE (exported) &&
          json_node_get_int (file) >= 1 &&
          json_node_get_int (file) <= STRIAE_CONSULTATION_FORMAT &&
          json_node_get_int (exported) == STRIAE_CONSULTATION_FORMAT)
        return TRUE;
      g_string_append_printf (cmp->why, "%s differs", path);
      return FALSE;
    }

  if (compare == COMPARE_SET)
    {
      g_autofree char *a = sorted_strings (file);
      g_autofree char *b = sorted_strings (exported);

      if (g_str_equal (a, b))
        return TRUE;
      g_string_append_printf (cmp->why, "%s holds other items", path);
      return FALSE;
    }

  if (JSON_NODE_TYPE (file) != JSON_NODE_TYPE (exported))
    {
      g_string_append_printf (cmp->why, "%s is of another type", path);
      return FALSE;
    }

  switch (JSON_NODE_TYPE (file))
    {
    case JSON_NODE_OBJECT:
      return same_object (json_node_get_object (file), json_node_get_object (exported), pattern,
                          path, cmp);
    case JSON_NODE_ARRAY:
      return same_array (json_node_get_array (file), json_node_get_array (exported), pattern,
                         path, cmp);
    case JSON_NODE_VALUE:
      return same_value (file, exported, path, cmp);
    case JSON_NODE_NULL:
    default:
      return TRUE;
    }
}

/* One mutant */

typedef struct
{
  guint  accepted[N_MUTATIONS];
  guint  refused[N_MUTATIONS];
  gint64 slowest;
  guint  slowest_mutant;
  char  *dump;   /* the target database before the next import, when known */
} Figures;

/* Exported again, the record must be the one in the file. */
static void
check_accepted (Fuzz       *fuzz,
                GString    *mutant,
                gint64      id,
                guint       n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) file = json_from_string (mutant->str, &error);
  g_autoptr(JsonNode) exported = NULL;
  g_autoptr(GString) why = g_string_new (NULL);
  g_autofree char *json = striae_store_export_patient (fuzz->target, id, 0, &error);
  Comparison cmp = { fuzz->consultation_defaults, fuzz->area_defaults, why };

  g_assert_no_error (error);
  exported = json_from_string (json, &error);
  g_assert_no_error (error);

  if (!same_node (file, exported, "$", "$", &cmp))
    g_error ("Mutant %u was accepted but not kept as it was: %s\n%s", n, why->str,
             mutant->str);

  /* Free the record id for the next mutants. */
  g_assert_true (striae_store_erase_patient (fuzz->target, id, &error));
  g_assert_no_error (error);
}

static void
check_refused (Fuzz       *fuzz,
               Figures    *figures,
               GError     *error,
               guint       n)
{
  g_autofree char *after = dump_tables (fuzz->target_path);

  g_assert_nonnull (error);
  g_assert_true (error->domain == STRIAE_STORE_ERROR);
  if (error->code == STRIAE_STORE_ERROR_INVALID &&
      !g_str_has_prefix (error->message, "The file was not imported and nothing was changed: "
                         "at $"))
    g_error ("Mutant %u was refused without naming a path: %s", n, error->message);
  if (strchr (error->message, '\n') != NULL)
    g_error ("Mutant %u was refused with more than one line: %s", n, error->message);

  if (!g_str_equal (after, figures->dump))
    g_error ("Mutant %u was refused (%s) but the database changed:\n%s\nthen\n%s", n,
             error->message, figures->dump, after);
}

static void
run_mutant (Fuzz     *fuzz,
            Figures  *figures,
            guint     n)
{
  Mutation mutation = n % N_MUTATIONS;
  g_autoptr(GString) mutant = mutate (fuzz, mutation);
  g_autoptr(GError) error = NULL;
  gboolean already = FALSE;
  gint64 start, elapsed, id;

  if (figures->dump == NULL)
    figures->dump = dump_tables (fuzz->target_path);

  start = g_get_monotonic_time ();
  id = striae_store_import_patient (fuzz->target, mutant->str, mutant->len, &already, &error);
  elapsed = g_get_monotonic_time () - start;

  if (elapsed > figures->slowest)
    {
      figures->slowest = elapsed;
      figures->slowest_mutant = n;
    }
  if (elapsed > IMPORT_TIME_MAX)
    g_error ("Mutant %u (%s) took %" G_GINT64_FORMAT " ms to import", n,
             mutation_names[mutation], elapsed / 1000);

  if (id == 0)
    {
      check_refused (fuzz, figures, error, n);
      figures->refused[mutation]++;
      return;
    }

  g_assert_no_error (error);
  g_assert_false (already);
  check_accepted (fuzz, mutant, id, n);
  figures->accepted[mutation]++;
  g_clear_pointer (&figures->dump, g_free);
}

static guint
env_number (const char *name,
            guint       fallback)
{
  const char *value = g_getenv (name);

  return value != NULL && value[0] != '\0' ? (guint) g_ascii_strtoull (value, NULL, 10)
                                           : fallback;
}

static void
report (Figures *figures,
        guint    seed,
        guint    n_mutants)
{
  guint accepted = 0, refused = 0;

  for (guint m = 0; m < N_MUTATIONS; m++)
    {
      g_test_message ("%-17s %4u accepted, %4u refused", mutation_names[m],
                      figures->accepted[m], figures->refused[m]);
      accepted += figures->accepted[m];
      refused += figures->refused[m];
    }
  g_test_message ("%u mutants (seed %u): %u accepted and exported back the same, %u refused "
                  "with the database unchanged, 0 crashes; slowest import %" G_GINT64_FORMAT
                  " ms (mutant %u)", n_mutants, seed, accepted, refused,
                  figures->slowest / 1000, figures->slowest_mutant);
  g_assert_cmpuint (accepted + refused, ==, n_mutants);
  /* Both outcomes must be common, or the mutants test little. */
  g_assert_cmpuint (accepted, >=, n_mutants / 20);
  g_assert_cmpuint (refused, >=, n_mutants / 2);
}

static void
fuzz_clear (Fuzz *fuzz)
{
  g_clear_object (&fuzz->target);
  g_clear_pointer (&fuzz->rand, g_rand_free);
  g_clear_pointer (&fuzz->consultation_defaults, json_node_unref);
  g_clear_pointer (&fuzz->area_defaults, json_node_unref);
  g_clear_pointer (&fuzz->strings, g_array_unref);
  g_clear_pointer (&fuzz->numbers, g_array_unref);
  g_clear_pointer (&fuzz->members, g_array_unref);
  g_clear_pointer (&fuzz->base, g_free);
  g_clear_pointer (&fuzz->target_path, g_free);
  if (fuzz->dir != NULL)
    striae_test_remove_tree (fuzz->dir);
  g_clear_pointer (&fuzz->dir, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Fuzz, fuzz_clear)

static void
test_fuzz (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *source = NULL;
  guint seed = env_number ("STRIAE_FUZZ_SEED", DEFAULT_SEED);
  guint n_mutants = env_number ("STRIAE_FUZZ_MUTANTS", DEFAULT_MUTANTS);
  g_auto(Fuzz) fuzz = { NULL, };
  Figures figures = { { 0, }, };

  fuzz.dir = g_dir_make_tmp ("striae-fuzz-XXXXXX", &error);
  g_assert_no_error (error);
  source = g_build_filename (fuzz.dir, "source.db", NULL);
  fuzz.target_path = g_build_filename (fuzz.dir, "target.db", NULL);
  fuzz.base = make_export (source);
  fuzz.base_len = strlen (fuzz.base);
  fuzz.strings = g_array_new (FALSE, FALSE, sizeof (Span));
  fuzz.numbers = g_array_new (FALSE, FALSE, sizeof (Span));
  fuzz.members = g_array_new (FALSE, FALSE, sizeof (Span));
  fuzz.rand = g_rand_new_with_seed (seed);
  find_spans (&fuzz);
  make_defaults (&fuzz);
  fuzz.target = striae_store_open (fuzz.target_path, &error);
  g_assert_no_error (error);

  for (guint n = 0; n < n_mutants; n++)
    run_mutant (&fuzz, &figures, n);
  g_clear_pointer (&figures.dump, g_free);
  report (&figures, seed, n_mutants);

  g_assert_true (striae_store_verify_audit (fuzz.target, NULL, NULL, &error));
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/import-fuzz/mutants", test_fuzz);

  return g_test_run ();
}
