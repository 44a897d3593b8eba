/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <math.h>

#include "striae-consultation.h"
#include "striae-core-enums.h"
#include "striae-core-error.h"
#include "striae-core-private.h"
#include "striae-json-private.h"
#include "striae-patient.h"
#include "striae-rules.h"

/* The JSON form of a consultation: drafts are saved in it and exports use it. Enum values are
 * written by nick, questions and skin facts by their stable ids; every member is always
 * written. On reading, a missing member keeps its default (a file from before the member
 * existed still loads), and anything unknown, of the wrong type or out of range is refused
 * with the JSON path of the offending member, so that nothing is silently lost. */

/* Writing */

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value ? value : "");
}

/* A date as YYYY-MM-DD, or "" when there is none. */
static void
add_date (JsonBuilder *builder,
          const char  *name,
          const GDate *date)
{
  g_autofree char *iso = striae_format_optional_iso_date (date);

  add_string (builder, name, iso);
}

static void
add_int (JsonBuilder *builder,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static void
add_double (JsonBuilder *builder,
            const char  *name,
            double       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_double_value (builder, value);
}

static void
add_bool (JsonBuilder *builder,
          const char  *name,
          gboolean     value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_boolean_value (builder, value);
}

static void
add_enum (JsonBuilder *builder,
          const char  *name,
          GType        type,
          int          value)
{
  add_string (builder, name, striae_core_enum_to_nick (type, value));
}

static void
add_strv (JsonBuilder        *builder,
          const char         *name,
          const char * const *strv)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; strv && strv[i]; i++)
    json_builder_add_string_value (builder, strv[i]);
  json_builder_end_array (builder);
}

static void
build_history (JsonBuilder   *builder,
               StriaeHistory *history)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "answers");
  json_builder_begin_object (builder);
  for (guint i = 0; i < STRIAE_N_QUESTIONS; i++)
    {
      json_builder_set_member_name (builder, striae_question_get_info (i)->id);
      json_builder_begin_object (builder);
      add_enum (builder, "answer", STRIAE_TYPE_ANSWER, striae_history_get_answer (history, i));
      add_string (builder, "detail", striae_history_get_detail (history, i));
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  add_string (builder, "medication", striae_history_get_medication (history));
  add_date (builder, "isotretinoin-end-date", striae_history_get_isotretinoin_end_date (history));
  json_builder_end_object (builder);
}

static void
build_skin (JsonBuilder *builder,
            StriaeSkin  *skin)
{
  json_builder_begin_object (builder);
  add_int (builder, "fitzpatrick", striae_skin_get_fitzpatrick (skin));
  json_builder_set_member_name (builder, "facts");
  json_builder_begin_object (builder);
  for (guint i = 0; i < STRIAE_N_SKIN_FACTS; i++)
    add_enum (builder, striae_skin_fact_get_info (i)->id, STRIAE_TYPE_ANSWER,
              striae_skin_get_fact (skin, i));
  json_builder_end_object (builder);
  add_string (builder, "products", striae_skin_get_products (skin));
  json_builder_end_object (builder);
}

static void
build_area (JsonBuilder *builder,
            StriaeArea  *area)
{
  json_builder_begin_object (builder);
  add_string (builder, "id", striae_area_get_id (area));
  add_enum (builder, "site", STRIAE_TYPE_BODY_SITE, striae_area_get_site (area));
  add_enum (builder, "side", STRIAE_TYPE_SIDE, striae_area_get_side (area));
  add_int (builder, "extent-cm2", striae_area_get_extent (area));
  add_enum (builder, "mark-type", STRIAE_TYPE_MARK_TYPE, striae_area_get_mark_type (area));
  add_enum (builder, "cause", STRIAE_TYPE_CAUSE, striae_area_get_cause (area));
  add_int (builder, "age-months", striae_area_get_age_months (area));
  add_enum (builder, "severity", STRIAE_TYPE_SEVERITY, striae_area_get_severity (area));
  add_enum (builder, "score-scale", STRIAE_TYPE_SCORE_SCALE, striae_area_get_score_scale (area));
  add_double (builder, "score", striae_area_get_score (area));
  add_string (builder, "notes", striae_area_get_notes (area));
  add_double (builder, "recommended-depth", striae_area_get_recommended_depth (area));
  add_double (builder, "depth", striae_area_get_depth (area));
  add_string (builder, "depth-reason", striae_area_get_depth_reason (area));
  json_builder_end_object (builder);
}

static void
build_plan (JsonBuilder *builder,
            StriaePlan  *plan)
{
  g_autoptr(GFlagsClass) flags = g_type_class_ref (STRIAE_TYPE_ADJUNCT);
  StriaeAdjunct adjuncts = striae_plan_get_adjuncts (plan);

  json_builder_begin_object (builder);
  add_enum (builder, "device", STRIAE_TYPE_DEVICE, striae_plan_get_device (plan));
  add_int (builder, "recommended-sessions", striae_plan_get_recommended_sessions (plan));
  add_int (builder, "sessions", striae_plan_get_sessions (plan));
  add_string (builder, "sessions-reason", striae_plan_get_sessions_reason (plan));
  add_int (builder, "recommended-interval-weeks",
           striae_plan_get_recommended_interval_weeks (plan));
  add_int (builder, "interval-weeks", striae_plan_get_interval_weeks (plan));
  add_string (builder, "interval-reason", striae_plan_get_interval_reason (plan));
  add_date (builder, "first-session", striae_plan_get_first_session (plan));
  add_int (builder, "recommended-maintenance-months",
           striae_plan_get_recommended_maintenance_months (plan));
  add_int (builder, "maintenance-months", striae_plan_get_maintenance_months (plan));
  add_string (builder, "maintenance-reason", striae_plan_get_maintenance_reason (plan));
  add_bool (builder, "recommended-numbing-cream",
            striae_plan_get_recommended_numbing_cream (plan));
  add_bool (builder, "numbing-cream", striae_plan_get_numbing_cream (plan));
  add_string (builder, "numbing-cream-reason", striae_plan_get_numbing_cream_reason (plan));

  json_builder_set_member_name (builder, "adjuncts");
  json_builder_begin_array (builder);
  for (guint i = 0; i < flags->n_values; i++)
    if (flags->values[i].value != 0 && (adjuncts & flags->values[i].value))
      json_builder_add_string_value (builder, flags->values[i].value_nick);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

char *
striae_consultation_to_json (StriaeConsultation *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_auto(GStrv) acknowledged = NULL;
  GListModel *areas;
  guint n;

  g_return_val_if_fail (STRIAE_IS_CONSULTATION (self), NULL);

  json_builder_begin_object (builder);
  add_int (builder, "format", STRIAE_CONSULTATION_FORMAT);
  add_int (builder, "id", striae_consultation_get_id (self));
  add_int (builder, "patient-id", striae_consultation_get_patient_id (self));
  add_date (builder, "date", striae_consultation_get_date (self));
  add_string (builder, "practitioner", striae_consultation_get_practitioner (self));
  add_enum (builder, "status", STRIAE_TYPE_CONSULTATION_STATUS,
            striae_consultation_get_status (self));
  add_int (builder, "revision", striae_consultation_get_revision (self));

  json_builder_set_member_name (builder, "rules");
  json_builder_begin_object (builder);
  add_int (builder, "format", striae_consultation_get_rules_format (self));
  add_string (builder, "hash", striae_consultation_get_rules_hash (self));
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "history");
  build_history (builder, striae_consultation_get_history (self));
  json_builder_set_member_name (builder, "skin");
  build_skin (builder, striae_consultation_get_skin (self));

  json_builder_set_member_name (builder, "areas");
  json_builder_begin_array (builder);
  areas = striae_consultation_get_areas (self);
  n = g_list_model_get_n_items (areas);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(StriaeArea) area = g_list_model_get_item (areas, i);
      build_area (builder, area);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "plan");
  build_plan (builder, striae_consultation_get_plan (self));

  acknowledged = striae_consultation_dup_acknowledged (self);
  add_strv (builder, "acknowledged", (const char * const *) acknowledged);

  json_builder_set_member_name (builder, "sheet");
  json_builder_begin_object (builder);
  add_strv (builder, "added", striae_consultation_get_added_items (self));
  add_strv (builder, "struck", striae_consultation_get_struck_items (self));
  json_builder_end_object (builder);

  add_bool (builder, "not-treated", striae_consultation_is_not_treated (self));
  add_string (builder, "not-treated-reason", striae_consultation_get_not_treated_reason (self));
  add_date (builder, "see-again", striae_consultation_get_see_again (self));
  add_string (builder, "amendment-reason", striae_consultation_get_amendment_reason (self));

  json_builder_end_object (builder);

  return striae_json_builder_to_data (builder);
}

/* Reading
 *
 * Every reader takes the StriaeJsonReader that words its errors and says how strict to be:
 * the core's own (below) for consultations Striae saved, an exact one for an import, which
 * also bounds text and lists (docs/EXPORT-FORMAT.md). Paths start at the consultation's own
 * path in its document: "$" for a saved consultation, "$.consultations[2]" in an export. */

/* Identifiers (of areas, findings, sheet items, the rule set) and enum nicks are short; so
 * is a date, whose form is checked after this bound on its length. */
#define ID_MAX 100

static gboolean
core_fail (GError     **error,
           const char  *path,
           const char  *what)
{
  g_set_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
               _("The consultation data is damaged at %s: %s"), path, what);
  return FALSE;
}

static gboolean
core_not_json (GError     **error,
               const char  *message)
{
  g_set_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
               _("The consultation data is not valid JSON: %s"), message);
  return FALSE;
}

/* The core's wording, and a null is never taken for a missing member. */
static const StriaeJsonReader core_reader = { .fail = core_fail, .not_json = core_not_json };

/* Each reader returns FALSE with @error set on bad data; when the member is missing it
 * returns TRUE and leaves *found FALSE. */
static gboolean
read_text (const StriaeJsonReader  *reader,
           JsonObject              *object,
           const char              *path,
           const char              *name,
           guint                    max_chars,
           const char             **value,
           gboolean                *found,
           GError                 **error)
{
  return striae_json_read_text (reader, object, path, name, max_chars, value, found, error);
}

/* A date written as YYYY-MM-DD; "" is none, and @date is then cleared. */
static gboolean
read_date (const StriaeJsonReader  *reader,
           JsonObject              *object,
           const char              *path,
           const char              *name,
           GDate                   *date,
           gboolean                *found,
           GError                 **error)
{
  const char *text;

  g_date_clear (date, 1);
  if (!read_text (reader, object, path, name, ID_MAX, &text, found, error))
    return FALSE;
  if (!*found)
    return TRUE;

  if (!striae_parse_optional_iso_date (text, date, NULL))
    return striae_json_fail_member (reader, error, path, name,
                                    _("expected a date written as YYYY-MM-DD."));

  return TRUE;
}

static gboolean
read_int (const StriaeJsonReader  *reader,
          JsonObject              *object,
          const char              *path,
          const char              *name,
          gint64                   min,
          gint64                   max,
          gint64                  *value,
          gboolean                *found,
          GError                 **error)
{
  g_autofree char *what = NULL;
  JsonNode *node;

  if (!striae_json_read_value (reader, object, path, name, G_TYPE_INT64, FALSE,
                               _("expected a whole number."), &node, error))
    return FALSE;
  *found = node != NULL;
  if (node == NULL)
    return TRUE;

  *value = json_node_get_int (node);
  if (*value < min || *value > max)
    {
      what = g_strdup_printf (_("expected a number from %" PRId64 " to %"
                                PRId64 "."), min, max);
      return striae_json_fail_member (reader, error, path, name, what);
    }

  return TRUE;
}

static gboolean
read_double (const StriaeJsonReader  *reader,
             JsonObject              *object,
             const char              *path,
             const char              *name,
             double                   min,
             double                   max,
             double                  *value,
             gboolean                *found,
             GError                 **error)
{
  g_autofree char *what = NULL;
  JsonNode *node;

  if (!striae_json_read_value (reader, object, path, name, G_TYPE_DOUBLE, FALSE,
                               _("expected a number."), &node, error))
    return FALSE;
  *found = node != NULL;
  if (node == NULL)
    return TRUE;

  *value = json_node_get_double (node);
  if (!isfinite (*value) || *value < min || *value > max)
    {
      what = g_strdup_printf (_("expected a number from %g to %g."), min, max);
      return striae_json_fail_member (reader, error, path, name, what);
    }

  return TRUE;
}

static gboolean
read_depth (const StriaeJsonReader  *reader,
            JsonObject              *object,
            const char              *path,
            const char              *name,
            double                  *value,
            gboolean                *found,
            GError                 **error)
{
  if (!read_double (reader, object, path, name, 0, STRIAE_DEPTH_MAX_MM, value, found, error))
    return FALSE;

  if (*found && *value != 0 &&
      (*value < STRIAE_DEPTH_MIN_MM || !striae_core_is_quarter_mm (*value)))
    return striae_json_fail_member (reader, error, path, name,
                                    _("a needle depth is 0 (not set) or 0.25 to 3 mm in steps of "
                                      "0.25 mm."));

  return TRUE;
}

static gboolean
read_bool (const StriaeJsonReader  *reader,
           JsonObject              *object,
           const char              *path,
           const char              *name,
           gboolean                *value,
           gboolean                *found,
           GError                 **error)
{
  JsonNode *node;

  if (!striae_json_read_value (reader, object, path, name, G_TYPE_BOOLEAN, FALSE,
                               _("expected true or false."), &node, error))
    return FALSE;
  *found = node != NULL;
  if (node != NULL)
    *value = json_node_get_boolean (node);

  return TRUE;
}

static gboolean
read_enum (const StriaeJsonReader  *reader,
           JsonObject              *object,
           const char              *path,
           const char              *name,
           GType                    type,
           int                     *value,
           gboolean                *found,
           GError                 **error)
{
  const char *nick = NULL;

  if (!read_text (reader, object, path, name, ID_MAX, &nick, found, error))
    return FALSE;

  if (*found && !striae_core_enum_from_nick (type, nick, value))
    {
      g_autoptr(GEnumClass) klass = g_type_class_ref (type);
      g_autoptr(GString) names = g_string_new (NULL);
      g_autofree char *what = NULL;

      for (guint i = 0; i < klass->n_values; i++)
        {
          /* The count at the end of some enums is not a value. */
          if (g_str_has_prefix (klass->values[i].value_nick, "n-"))
            continue;
          if (names->len > 0)
            /* TRANSLATORS: separates the allowed values in a list such as
             * "“mild”, “moderate”, “severe”" */
            g_string_append (names, _(", "));
          /* TRANSLATORS: one allowed value, quoted; use your language's quotation marks */
          g_string_append_printf (names, _("“%s”"), klass->values[i].value_nick);
        }
      what = g_strdup_printf (_("“%s” is not one of %s."), nick, names->str);
      return striae_json_fail_member (reader, error, path, name, what);
    }

  return TRUE;
}

/* How the items of a list of strings are kept. */
typedef enum
{
  ITEMS_LIST, /* in order, each one as it is */
  ITEMS_SET,  /* without order or repeats: an exact reader refuses a repeated item */
} Items;

/* Reads a list of strings of at most @max_chars characters each. The model drops empty
 * items, so an exact reader refuses them. */
static gboolean
read_strv (const StriaeJsonReader  *reader,
           JsonObject              *object,
           const char              *path,
           const char              *name,
           Items                    items,
           guint                    max_chars,
           GStrv                   *value,
           gboolean                *found,
           GError                 **error)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  g_autoptr(GHashTable) seen = NULL;
  g_autofree char *list_path = g_strdup_printf ("%s.%s", path, name);
  JsonArray *array;

  if (!striae_json_read_array (reader, object, path, name, _("expected a list of strings."),
                               &array, error))
    return FALSE;
  *found = array != NULL;
  if (array == NULL)
    return TRUE;

  if (!striae_json_check_count (reader, list_path, json_array_get_length (array),
                                STRIAE_CONSULTATION_LIST_MAX, error))
    return FALSE;

  builder = g_strv_builder_new ();
  seen = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      g_autofree char *item_path = g_strdup_printf ("%s[%u]", list_path, i);
      const char *text;

      if (striae_json_value_type (item) != G_TYPE_STRING ||
          !g_utf8_validate (json_node_get_string (item), -1, NULL))
        return reader->fail (error, item_path, _("expected a string."));

      text = json_node_get_string (item);
      if (!striae_json_check_text (reader, item_path, text, max_chars, error))
        return FALSE;
      if (reader->exact && text[0] == '\0')
        return reader->fail (error, item_path, _("an empty text is not allowed in this list."));
      if (reader->exact && !g_hash_table_add (seen, (gpointer) text) && items == ITEMS_SET)
        return reader->fail (error, item_path, _("this item is already in the list."));

      g_strv_builder_add (builder, text);
    }

  *value = g_strv_builder_end (builder);
  return TRUE;
}

static gboolean
read_object (const StriaeJsonReader  *reader,
             JsonObject              *object,
             const char              *path,
             const char              *name,
             JsonObject             **value,
             GError                 **error)
{
  return striae_json_read_object (reader, object, path, name, value, error);
}

static gboolean
check_members (const StriaeJsonReader  *reader,
               JsonObject              *object,
               const char              *path,
               const char * const      *allowed,
               GError                 **error)
{
  return striae_json_check_members (reader, object, path, allowed, error);
}

static gboolean
load_answer (const StriaeJsonReader  *reader,
             StriaeHistory           *history,
             JsonObject              *answers,
             const char              *path,
             const char              *id,
             GError                 **error)
{
  static const char * const allowed[] = { "answer", "detail", NULL };
  g_autofree char *where = g_strdup_printf ("%s.%s", path, id);
  JsonNode *node = json_object_get_member (answers, id);
  StriaeQuestion question;
  JsonObject *entry;
  const char *text;
  gboolean found;
  int answer;

  if (!striae_question_from_id (id, &question))
    return reader->fail (error, where, _("not a known question."));
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return reader->fail (error, where, _("expected an object."));

  entry = json_node_get_object (node);
  if (!check_members (reader, entry, where, allowed, error) ||
      !read_enum (reader, entry, where, "answer", STRIAE_TYPE_ANSWER, &answer, &found, error))
    return FALSE;
  if (found)
    striae_history_set_answer (history, question, answer);

  if (!read_text (reader, entry, where, "detail", STRIAE_HISTORY_DETAIL_MAX, &text, &found,
                  error))
    return FALSE;
  if (found)
    striae_history_set_detail (history, question, text);

  return TRUE;
}

static gboolean
load_history (const StriaeJsonReader  *reader,
              StriaeHistory           *history,
              JsonObject              *object,
              const char              *path,
              GError                 **error)
{
  static const char * const allowed[] = { "answers", "medication", "isotretinoin-end-date", NULL };
  g_autofree char *answers_path = g_strdup_printf ("%s.answers", path);
  JsonObject *answers;
  const char *text;
  gboolean found;
  GDate date;

  if (!check_members (reader, object, path, allowed, error) ||
      !read_object (reader, object, path, "answers", &answers, error))
    return FALSE;

  if (answers)
    {
      g_autoptr(GList) ids = json_object_get_members (answers);

      for (GList *l = ids; l; l = l->next)
        if (!load_answer (reader, history, answers, answers_path, l->data, error))
          return FALSE;
    }

  if (!read_text (reader, object, path, "medication", STRIAE_HISTORY_TEXT_MAX, &text, &found,
                  error))
    return FALSE;
  if (found)
    striae_history_set_medication (history, text);

  if (!read_date (reader, object, path, "isotretinoin-end-date", &date, &found, error))
    return FALSE;
  if (found)
    striae_history_set_isotretinoin_end_date (history, &date);

  return TRUE;
}

static gboolean
load_skin (const StriaeJsonReader  *reader,
           StriaeSkin              *skin,
           JsonObject              *object,
           const char              *path,
           GError                 **error)
{
  static const char * const allowed[] = { "fitzpatrick", "facts", "products", NULL };
  g_autofree char *facts_path = g_strdup_printf ("%s.facts", path);
  JsonObject *facts;
  const char *text;
  gint64 number;
  gboolean found;

  if (!check_members (reader, object, path, allowed, error))
    return FALSE;

  if (!read_int (reader, object, path, "fitzpatrick", 0, STRIAE_FITZPATRICK_MAX, &number,
                 &found, error))
    return FALSE;
  if (found)
    striae_skin_set_fitzpatrick (skin, (guint) number);

  if (!read_object (reader, object, path, "facts", &facts, error))
    return FALSE;
  if (facts)
    {
      g_autoptr(GList) ids = json_object_get_members (facts);

      for (GList *l = ids; l; l = l->next)
        {
          StriaeSkinFact fact;
          int answer;

          if (!striae_skin_fact_from_id (l->data, &fact))
            return striae_json_fail_member (reader, error, facts_path, l->data,
                                            _("not a known skin fact."));
          if (!read_enum (reader, facts, facts_path, l->data, STRIAE_TYPE_ANSWER, &answer,
                          &found, error))
            return FALSE;
          striae_skin_set_fact (skin, fact, answer);
        }
    }

  if (!read_text (reader, object, path, "products", STRIAE_SKIN_PRODUCTS_MAX, &text, &found,
                  error))
    return FALSE;
  if (found)
    striae_skin_set_products (skin, text);

  return TRUE;
}

/* The side must fit the area's site, read before it. */
static gboolean
read_side (const StriaeJsonReader  *reader,
           JsonObject              *object,
           const char              *path,
           StriaeArea              *area,
           GError                 **error)
{
  StriaeBodySite site = striae_area_get_site (area);
  gboolean found;
  int value;

  if (!read_enum (reader, object, path, "side", STRIAE_TYPE_SIDE, &value, &found, error))
    return FALSE;
  if (!found)
    return TRUE;

  if (!striae_side_fits_site (value, site) && striae_body_site_has_side (site))
    return striae_json_fail_member (reader, error, path, "side",
                                    _("a paired site’s side is “not-recorded”, “left”, "
                                      "“right” or “both”."));
  if (!striae_side_fits_site (value, site))
    return striae_json_fail_member (reader, error, path, "side",
                                    _("only a paired site has a side: this site’s is "
                                      "“not-applicable”."));

  striae_area_set_side (area, value);
  return TRUE;
}

static StriaeArea *
load_area (const StriaeJsonReader  *reader,
           JsonNode                *node,
           const char              *path,
           GError                 **error)
{
  static const char * const allowed[] = {
    "id", "site", "side", "extent-cm2", "mark-type", "cause", "age-months", "severity",
    "score-scale", "score", "notes", "recommended-depth", "depth", "depth-reason", NULL
  };
  g_autoptr(StriaeArea) area = NULL;
  JsonObject *object;
  const char *text;
  gint64 number;
  double real;
  gboolean found;
  int value;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      reader->fail (error, path, _("expected an object."));
      return NULL;
    }
  object = json_node_get_object (node);

  if (!check_members (reader, object, path, allowed, error))
    return NULL;

  if (!read_enum (reader, object, path, "site", STRIAE_TYPE_BODY_SITE, &value, &found, error))
    return NULL;
  area = striae_area_new (found ? value : STRIAE_BODY_SITE_OTHER);

  if (!read_text (reader, object, path, "id", ID_MAX, &text, &found, error))
    return NULL;
  if (found)
    {
      if (text[0] == '\0')
        {
          striae_json_fail_member (reader, error, path, "id", _("an area needs an identifier."));
          return NULL;
        }
      striae_area_set_id (area, text);
    }

  /* A file from before sides existed has none: a paired site reads as side not recorded. */
  if (!read_side (reader, object, path, area, error))
    return NULL;

  if (!read_int (reader, object, path, "extent-cm2", 0, STRIAE_AREA_EXTENT_MAX_CM2, &number,
                 &found, error))
    return NULL;
  if (found)
    striae_area_set_extent (area, (int) number);

#define ENUM_FIELD(name, TYPE, setter)                                         \
  if (!read_enum (reader, object, path, name, TYPE, &value, &found, error))    \
    return NULL;                                                               \
  if (found)                                                                   \
    setter (area, value);

  ENUM_FIELD ("mark-type", STRIAE_TYPE_MARK_TYPE, striae_area_set_mark_type)
  ENUM_FIELD ("cause", STRIAE_TYPE_CAUSE, striae_area_set_cause)
  ENUM_FIELD ("severity", STRIAE_TYPE_SEVERITY, striae_area_set_severity)
  ENUM_FIELD ("score-scale", STRIAE_TYPE_SCORE_SCALE, striae_area_set_score_scale)

#undef ENUM_FIELD

  if (!read_int (reader, object, path, "age-months", -1, STRIAE_AREA_AGE_MONTHS_MAX, &number,
                 &found, error))
    return NULL;
  if (found)
    striae_area_set_age_months (area, (int) number);

  if (!read_double (reader, object, path, "score", 0, 100, &real, &found, error))
    return NULL;
  if (found)
    striae_area_set_score (area, real);

  if (!read_text (reader, object, path, "notes", STRIAE_AREA_NOTES_MAX, &text, &found, error))
    return NULL;
  if (found)
    striae_area_set_notes (area, text);

  if (!read_depth (reader, object, path, "recommended-depth", &real, &found, error))
    return NULL;
  if (found)
    striae_area_set_recommended_depth (area, real);

  if (!read_depth (reader, object, path, "depth", &real, &found, error))
    return NULL;
  if (found)
    striae_area_set_depth (area, real);

  if (!read_text (reader, object, path, "depth-reason", STRIAE_AREA_NOTES_MAX, &text, &found,
                  error))
    return NULL;
  if (found)
    striae_area_set_depth_reason (area, text);

  return g_steal_pointer (&area);
}

static gboolean
load_adjuncts (const StriaeJsonReader  *reader,
               StriaePlan              *plan,
               JsonObject              *object,
               const char              *path,
               GError                 **error)
{
  g_autoptr(GFlagsClass) klass = g_type_class_ref (STRIAE_TYPE_ADJUNCT);
  g_auto(GStrv) adjuncts = NULL;
  StriaeAdjunct all = STRIAE_ADJUNCT_NONE;
  gboolean found;

  if (!read_strv (reader, object, path, "adjuncts", ITEMS_SET, ID_MAX, &adjuncts, &found,
                  error))
    return FALSE;
  if (!found)
    return TRUE;

  for (guint i = 0; adjuncts[i]; i++)
    {
      GFlagsValue *fv = g_flags_get_value_by_nick (klass, adjuncts[i]);

      if (fv == NULL || fv->value == 0)
        {
          g_autofree char *where = g_strdup_printf ("%s.adjuncts[%u]", path, i);

          return reader->fail (error, where,
                               _("expected “serum”, “prp” or “tretinoin”."));
        }
      all |= fv->value;
    }
  striae_plan_set_adjuncts (plan, all);

  return TRUE;
}

static gboolean
load_plan (const StriaeJsonReader  *reader,
           StriaePlan              *plan,
           JsonObject              *object,
           const char              *path,
           GError                 **error)
{
  static const char * const allowed[] = {
    "device", "recommended-sessions", "sessions", "sessions-reason",
    "recommended-interval-weeks", "interval-weeks", "interval-reason", "first-session",
    "recommended-maintenance-months", "maintenance-months", "maintenance-reason",
    "recommended-numbing-cream", "numbing-cream", "numbing-cream-reason", "adjuncts", NULL
  };
  static const struct {
    const char *name;
    guint       max;
  } uints[] = {
    { "recommended-sessions", STRIAE_PLAN_SESSIONS_MAX },
    { "sessions", STRIAE_PLAN_SESSIONS_MAX },
    { "recommended-interval-weeks", STRIAE_PLAN_INTERVAL_MAX },
    { "interval-weeks", STRIAE_PLAN_INTERVAL_MAX },
    { "recommended-maintenance-months", STRIAE_PLAN_MAINTENANCE_MAX },
    { "maintenance-months", STRIAE_PLAN_MAINTENANCE_MAX },
  };
  static const char * const texts[] = {
    "sessions-reason", "interval-reason", "maintenance-reason", "numbing-cream-reason",
  };
  static const char * const bools[] = { "recommended-numbing-cream", "numbing-cream" };
  const char *text;
  gint64 number;
  gboolean found, flag;
  GDate date;
  int value;

  if (!check_members (reader, object, path, allowed, error))
    return FALSE;

  if (!read_enum (reader, object, path, "device", STRIAE_TYPE_DEVICE, &value, &found, error))
    return FALSE;
  if (found)
    striae_plan_set_device (plan, value);

  /* The plan's members are its property names, so they are set generically. */
  for (guint i = 0; i < G_N_ELEMENTS (uints); i++)
    {
      if (!read_int (reader, object, path, uints[i].name, 0, uints[i].max, &number, &found,
                     error))
        return FALSE;
      if (found)
        g_object_set (plan, uints[i].name, (guint) number, NULL);
    }

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      if (!read_text (reader, object, path, texts[i], STRIAE_PLAN_REASON_MAX, &text, &found,
                      error))
        return FALSE;
      if (found)
        g_object_set (plan, texts[i], text, NULL);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bools); i++)
    {
      if (!read_bool (reader, object, path, bools[i], &flag, &found, error))
        return FALSE;
      if (found)
        g_object_set (plan, bools[i], flag, NULL);
    }

  if (!read_date (reader, object, path, "first-session", &date, &found, error))
    return FALSE;
  if (found)
    striae_plan_set_first_session (plan, &date);

  return load_adjuncts (reader, plan, object, path, error);
}

static gboolean
load_areas (const StriaeJsonReader  *reader,
            StriaeConsultation      *self,
            JsonObject              *root,
            const char              *path,
            GError                 **error)
{
  g_autofree char *list_path = g_strdup_printf ("%s.areas", path);
  g_autoptr(GHashTable) ids = NULL;
  JsonArray *array;

  if (!striae_json_read_array (reader, root, path, "areas", _("expected a list of areas."),
                               &array, error))
    return FALSE;
  if (array == NULL)
    return TRUE;

  if (!striae_json_check_count (reader, list_path, json_array_get_length (array),
                                STRIAE_CONSULTATION_AREAS_MAX, error))
    return FALSE;

  ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *area_path = g_strdup_printf ("%s[%u]", list_path, i);
      g_autoptr(StriaeArea) area = load_area (reader, json_array_get_element (array, i),
                                              area_path, error);

      if (area == NULL)
        return FALSE;

      if (!g_hash_table_add (ids, g_strdup (striae_area_get_id (area))))
        return striae_json_fail_member (reader, error, area_path, "id",
                                        _("two areas have the same identifier."));

      striae_consultation_add_area (self, area);
    }

  return TRUE;
}

static gboolean
load_sheet (const StriaeJsonReader  *reader,
            StriaeConsultation      *self,
            JsonObject              *object,
            const char              *path,
            GError                 **error)
{
  static const char * const allowed[] = { "added", "struck", NULL };
  g_auto(GStrv) added = NULL;
  g_auto(GStrv) struck = NULL;
  gboolean found;

  if (!check_members (reader, object, path, allowed, error) ||
      !read_strv (reader, object, path, "added", ITEMS_LIST, STRIAE_CONSULTATION_TEXT_MAX,
                  &added, &found, error) ||
      !read_strv (reader, object, path, "struck", ITEMS_SET, ID_MAX, &struck, &found, error))
    return FALSE;

  striae_consultation_set_added_items (self, (const char * const *) added);
  striae_consultation_set_struck_items (self, (const char * const *) struck);
  return TRUE;
}

/* The members of a consultation that hold its parts. */
static gboolean
load_parts (const StriaeJsonReader  *reader,
            StriaeConsultation      *self,
            JsonObject              *root,
            const char              *path,
            GError                 **error)
{
  static const char * const rules_allowed[] = { "format", "hash", NULL };
  g_autofree char *rules_path = g_strdup_printf ("%s.rules", path);
  g_autofree char *history_path = g_strdup_printf ("%s.history", path);
  g_autofree char *skin_path = g_strdup_printf ("%s.skin", path);
  g_autofree char *plan_path = g_strdup_printf ("%s.plan", path);
  g_autofree char *sheet_path = g_strdup_printf ("%s.sheet", path);
  g_auto(GStrv) acknowledged = NULL;
  JsonObject *part;
  const char *text;
  gboolean found;

  if (!read_object (reader, root, path, "rules", &part, error))
    return FALSE;
  if (part)
    {
      gint64 format = 0;

      if (!check_members (reader, part, rules_path, rules_allowed, error) ||
          !read_int (reader, part, rules_path, "format", 0, G_MAXINT, &format, &found, error) ||
          !read_text (reader, part, rules_path, "hash", ID_MAX, &text, &found, error))
        return FALSE;
      striae_consultation_set_rules (self, (guint) format, found ? text : "");
    }

  if (!read_object (reader, root, path, "history", &part, error) ||
      (part && !load_history (reader, striae_consultation_get_history (self), part,
                              history_path, error)) ||
      !read_object (reader, root, path, "skin", &part, error) ||
      (part && !load_skin (reader, striae_consultation_get_skin (self), part, skin_path,
                           error)) ||
      !load_areas (reader, self, root, path, error) ||
      !read_object (reader, root, path, "plan", &part, error) ||
      (part && !load_plan (reader, striae_consultation_get_plan (self), part, plan_path,
                           error)))
    return FALSE;

  if (!read_strv (reader, root, path, "acknowledged", ITEMS_SET, ID_MAX, &acknowledged,
                  &found, error))
    return FALSE;
  for (guint i = 0; found && acknowledged[i]; i++)
    if (acknowledged[i][0] != '\0')
      striae_consultation_set_acknowledged (self, acknowledged[i], TRUE);

  if (!read_object (reader, root, path, "sheet", &part, error))
    return FALSE;
  return part == NULL || load_sheet (reader, self, part, sheet_path, error);
}

/* How the consultation ended or was corrected: not treated (with its reason and the date to
 * see the patient again) and the reason of an amendment. A file from before these members
 * reads as treated, with no amendment reason. */
static gboolean
load_life_cycle (const StriaeJsonReader  *reader,
                 StriaeConsultation      *self,
                 JsonObject              *root,
                 const char              *path,
                 GError                 **error)
{
  const char *reason = "";
  const char *amendment = "";
  GDate see_again;
  gboolean not_treated = FALSE;
  gboolean found;

  if (!read_bool (reader, root, path, "not-treated", &not_treated, &found, error) ||
      !read_text (reader, root, path, "not-treated-reason", STRIAE_CONSULTATION_TEXT_MAX,
                  &reason, &found, error) ||
      !read_date (reader, root, path, "see-again", &see_again, &found, error) ||
      !read_text (reader, root, path, "amendment-reason", STRIAE_CONSULTATION_TEXT_MAX,
                  &amendment, &found, error))
    return FALSE;

  if (not_treated && (reason == NULL || reason[0] == '\0'))
    return striae_json_fail_member (reader, error, path, "not-treated-reason",
                                    _("a consultation signed as not treated needs its "
                                      "reason."));

  /* The model keeps a reason and a date to see the patient again only for a consultation
   * not treated: an import must not drop them without a word. */
  if (reader->exact && !not_treated && reason != NULL && reason[0] != '\0')
    return striae_json_fail_member (reader, error, path, "not-treated-reason",
                                    _("only a consultation signed as not treated has this "
                                      "reason; leave it empty."));
  if (reader->exact && !not_treated && g_date_valid (&see_again))
    return striae_json_fail_member (reader, error, path, "see-again",
                                    _("only a consultation signed as not treated has a date "
                                      "to see the patient again; leave it empty."));

  striae_consultation_set_not_treated (self, not_treated, reason, &see_again);
  striae_consultation_set_amendment_reason (self, amendment);
  return TRUE;
}

/* Format 1 stored a question nobody asked and one answered "unknown" alike, as "unknown";
 * screening made a finding of both, which asked to be answered or (when relative)
 * acknowledged. A practitioner who acknowledged it went on without knowing: that is an
 * "unknown" answer, and stays one. Any other was a question not asked yet. So a consultation
 * of format 1 keeps its findings, its acknowledgements and its meaning. */
static void
tell_unknown_from_not_asked (StriaeConsultation *self)
{
  StriaeHistory *history = striae_consultation_get_history (self);
  StriaeSkin *skin = striae_consultation_get_skin (self);

  for (StriaeQuestion q = 0; q < STRIAE_N_QUESTIONS; q++)
    {
      StriaeCheck check;
      g_autofree char *id = NULL;

      if (striae_history_get_answer (history, q) != STRIAE_ANSWER_UNKNOWN)
        continue;
      if (striae_check_for_question (q, &check))
        id = g_strconcat (striae_check_get_info (check)->id, "-unanswered", NULL);
      if (id == NULL || !striae_consultation_is_acknowledged (self, id))
        striae_history_set_answer (history, q, STRIAE_ANSWER_NOT_ASKED);
    }

  for (StriaeCheck c = 0; c < STRIAE_N_CHECKS; c++)
    {
      const StriaeCheckInfo *info = striae_check_get_info (c);
      g_autofree char *id = g_strconcat (info->id, "-unanswered", NULL);

      if (info->kind == STRIAE_CHECK_KIND_SKIN &&
          striae_skin_get_fact (skin, info->skin_fact) == STRIAE_ANSWER_UNKNOWN &&
          !striae_consultation_is_acknowledged (self, id))
        striae_skin_set_fact (skin, info->skin_fact, STRIAE_ANSWER_NOT_ASKED);
    }
}

static gboolean
check_format (const StriaeJsonReader  *reader,
              JsonObject              *root,
              const char              *path,
              gint64                  *format,
              GError                 **error)
{
  g_autofree char *what = NULL;
  gint64 number;
  gboolean found;

  if (!read_int (reader, root, path, "format", 0, G_MAXINT, &number, &found, error))
    return FALSE;
  if (!found)
    return striae_json_fail_member (reader, error, path, "format",
                                    _("the format number is missing."));
  *format = number;
  if (number >= 1 && number <= STRIAE_CONSULTATION_FORMAT)
    return TRUE;

  /* A consultation Striae saved itself comes from a newer Striae; in a file from elsewhere,
   * the member is named like any other. */
  if (reader == &core_reader)
    {
      g_set_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
                   _("The consultation uses format %" PRId64 ", but this version of "
                     "Striae reads format %d. Update Striae to open it."),
                   number, STRIAE_CONSULTATION_FORMAT);
      return FALSE;
    }

  what = g_strdup_printf (_("format %" PRId64 " is not one this version of Striae reads (it "
                            "reads format %d)."),
                          number, STRIAE_CONSULTATION_FORMAT);
  return striae_json_fail_member (reader, error, path, "format", what);
}

StriaeConsultation *
striae_json_read_consultation (const StriaeJsonReader  *reader,
                               JsonObject              *root,
                               const char              *path,
                               GError                 **error)
{
  static const char * const allowed[] = {
    "format", "id", "patient-id", "date", "practitioner", "status", "revision", "rules",
    "history", "skin", "areas", "plan", "acknowledged", "sheet", "not-treated",
    "not-treated-reason", "see-again", "amendment-reason", NULL
  };
  g_autoptr(StriaeConsultation) self = NULL;
  const char *text;
  gint64 format = 0;
  gint64 number;
  gboolean found;
  GDate date;
  int value;

  if (!check_format (reader, root, path, &format, error) ||
      !check_members (reader, root, path, allowed, error))
    return NULL;

  self = striae_consultation_new ();

  if (!read_int (reader, root, path, "id", 0, G_MAXINT64, &number, &found, error))
    return NULL;
  if (found)
    striae_consultation_set_id (self, number);

  if (!read_int (reader, root, path, "patient-id", 0, G_MAXINT64, &number, &found, error))
    return NULL;
  if (found)
    striae_consultation_set_patient_id (self, number);

  if (!read_date (reader, root, path, "date", &date, &found, error))
    return NULL;
  if (found)
    striae_consultation_set_date (self, &date);

  if (!read_text (reader, root, path, "practitioner", STRIAE_CONSULTATION_NAME_MAX, &text,
                  &found, error))
    return NULL;
  if (found)
    striae_consultation_set_practitioner (self, text);

  if (!read_enum (reader, root, path, "status", STRIAE_TYPE_CONSULTATION_STATUS, &value,
                  &found, error))
    return NULL;
  if (found)
    striae_consultation_set_status (self, value);

  if (!read_int (reader, root, path, "revision", 1, G_MAXUINT, &number, &found, error))
    return NULL;
  if (found)
    striae_consultation_set_revision (self, (guint) number);

  if (!load_parts (reader, self, root, path, error) ||
      !load_life_cycle (reader, self, root, path, error))
    return NULL;
  if (format == 1)
    tell_unknown_from_not_asked (self);

  return g_steal_pointer (&self);
}

StriaeConsultation *
striae_consultation_new_from_json (const char  *json,
                                   GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;

  g_return_val_if_fail (json != NULL, NULL);

  if ((root = striae_json_parse_object (&core_reader, parser, json, -1, error)) == NULL)
    return NULL;

  return striae_json_read_consultation (&core_reader, root, "$", error);
}
