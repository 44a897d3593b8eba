/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <json-glib/json-glib.h>
#include <math.h>

#include "striae-core-enums.h"
#include "striae-core-error.h"
#include "striae-core-private.h"
#include "striae-date.h"
#include "striae-json-private.h"
#include "striae-treatment-session.h"

/* The JSON form of a session record, the document each stored revision holds and exports
 * carry. Enum values by nick, dates as YYYY-MM-DD, times of day as HH:MM ("" for none), every
 * member always written. Reading is strict like the consultation's: a member unknown, of the
 * wrong type or out of range is refused with its JSON path; a missing one keeps its default. */

/* Writing */

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value ? value : "");
}

static void
add_date (JsonBuilder *builder,
          const char  *name,
          const GDate *date)
{
  g_autofree char *iso = striae_format_optional_iso_date (date);

  add_string (builder, name, iso);
}

static void
add_minutes (JsonBuilder *builder,
             const char  *name,
             int          minutes)
{
  g_autofree char *text = striae_format_minutes (minutes);

  add_string (builder, name, text);
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
build_area (JsonBuilder *builder,
            gpointer     item)
{
  StriaeSessionArea *area = item;

  add_string (builder, "area-id", striae_session_area_get_area_id (area));
  json_builder_set_member_name (builder, "depth");
  json_builder_add_double_value (builder, striae_session_area_get_depth (area));
  add_enum (builder, "device", STRIAE_TYPE_DEVICE, striae_session_area_get_device (area));
  add_int (builder, "passes", striae_session_area_get_passes (area));
  add_string (builder, "reason", striae_session_area_get_reason (area));
}

static void
build_product (JsonBuilder *builder,
               gpointer     item)
{
  StriaeSessionProduct *product = item;

  add_string (builder, "name", striae_session_product_get_name (product));
  add_string (builder, "lot", striae_session_product_get_lot (product));
  add_date (builder, "expiry", striae_session_product_get_expiry (product));
}

static void
build_event (JsonBuilder *builder,
             gpointer     item)
{
  StriaeAdverseEvent *event = item;

  add_string (builder, "what", striae_adverse_event_get_what (event));
  add_enum (builder, "severity", STRIAE_TYPE_EVENT_SEVERITY,
            striae_adverse_event_get_severity (event));
  add_string (builder, "follow-up", striae_adverse_event_get_follow_up (event));
}

static void
build_list (JsonBuilder  *builder,
            const char   *name,
            GListModel   *list,
            void        (*build) (JsonBuilder *, gpointer))
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (list, i);

      json_builder_begin_object (builder);
      build (builder, item);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
build_check (JsonBuilder        *builder,
             StriaeSessionCheck *check)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "answers");
  json_builder_begin_object (builder);
  for (guint i = 0; i < STRIAE_N_CHECK_ITEMS; i++)
    add_enum (builder, striae_check_item_get_info (i)->id, STRIAE_TYPE_ANSWER,
              striae_session_check_get_answer (check, i));
  json_builder_end_object (builder);
  add_string (builder, "changes", striae_session_check_get_changes (check));
  add_enum (builder, "result", STRIAE_TYPE_CHECK_RESULT, striae_session_check_get_result (check));
  add_string (builder, "reason", striae_session_check_get_reason (check));
  json_builder_end_object (builder);
}

char *
striae_treatment_session_to_json (StriaeTreatmentSession *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (STRIAE_IS_TREATMENT_SESSION (self), NULL);

  json_builder_begin_object (builder);
  add_int (builder, "format", STRIAE_TREATMENT_SESSION_FORMAT);
  add_int (builder, "id", striae_treatment_session_get_id (self));
  add_int (builder, "revision", striae_treatment_session_get_revision (self));
  add_enum (builder, "status", STRIAE_TYPE_TREATMENT_SESSION_STATUS,
            striae_treatment_session_get_status (self));
  add_int (builder, "patient-id", striae_treatment_session_get_patient_id (self));
  add_int (builder, "consultation-id", striae_treatment_session_get_consultation_id (self));
  add_int (builder, "consultation-revision",
           striae_treatment_session_get_consultation_revision (self));
  add_int (builder, "number", striae_treatment_session_get_number (self));
  add_int (builder, "course-length", striae_treatment_session_get_course_length (self));
  add_bool (builder, "maintenance", striae_treatment_session_get_maintenance (self));
  add_date (builder, "date", striae_treatment_session_get_date (self));
  add_minutes (builder, "time", striae_treatment_session_get_time (self));
  add_string (builder, "practitioner", striae_treatment_session_get_practitioner (self));
  add_bool (builder, "numbing-cream", striae_treatment_session_get_numbing_cream (self));
  add_minutes (builder, "numbing-cream-time",
               striae_treatment_session_get_numbing_cream_time (self));
  build_list (builder, "areas", striae_treatment_session_get_areas (self), build_area);
  build_list (builder, "products", striae_treatment_session_get_products (self),
              build_product);
  add_int (builder, "tolerance", striae_treatment_session_get_tolerance (self));
  add_string (builder, "reaction", striae_treatment_session_get_reaction (self));
  build_list (builder, "adverse-events", striae_treatment_session_get_events (self),
              build_event);
  add_string (builder, "notes", striae_treatment_session_get_notes (self));
  json_builder_set_member_name (builder, "check");
  build_check (builder, striae_treatment_session_get_check (self));
  add_string (builder, "amendment-reason", striae_treatment_session_get_amendment_reason (self));
  json_builder_end_object (builder);

  return striae_json_builder_to_data (builder);
}

/* Reading */

/* Ids, nicks, dates and times are short. */
#define ID_MAX 100

static gboolean
session_fail (GError     **error,
              const char  *path,
              const char  *what)
{
  g_set_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
               _("The session record is damaged at %s: %s"), path, what);
  return FALSE;
}

static gboolean
session_not_json (GError     **error,
                  const char  *message)
{
  g_set_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
               _("The session record is not valid JSON: %s"), message);
  return FALSE;
}

static const StriaeJsonReader session_reader = {
  .fail = session_fail, .not_json = session_not_json
};

/* What a member reading needs: the reader, the object and its path. */
typedef struct
{
  const StriaeJsonReader *reader;
  JsonObject             *object;
  const char             *path;
} Obj;

static gboolean
read_text (const Obj   *o,
           const char  *name,
           guint        max,
           const char **value,
           GError     **error)
{
  gboolean found;

  return striae_json_read_text (o->reader, o->object, o->path, name, max, value, &found, error);
}

static gboolean
read_int (const Obj   *o,
          const char  *name,
          gint64       min,
          gint64       max,
          gint64      *value,
          gboolean    *found,
          GError     **error)
{
  JsonNode *node;

  if (!striae_json_read_value (o->reader, o->object, o->path, name, G_TYPE_INT64, FALSE,
                               _("expected a whole number."), &node, error))
    return FALSE;
  *found = node != NULL;
  if (node == NULL)
    return TRUE;

  *value = json_node_get_int (node);
  if (*value < min || *value > max)
    {
      g_autofree char *what = g_strdup_printf (_("expected a number from %" PRId64 " to %"
                                                 PRId64 "."), min, max);

      return striae_json_fail_member (o->reader, error, o->path, name, what);
    }

  return TRUE;
}

static gboolean
read_bool (const Obj   *o,
           const char  *name,
           gboolean    *value,
           gboolean    *found,
           GError     **error)
{
  JsonNode *node;

  if (!striae_json_read_value (o->reader, o->object, o->path, name, G_TYPE_BOOLEAN, FALSE,
                               _("expected true or false."), &node, error))
    return FALSE;
  *found = node != NULL;
  if (node != NULL)
    *value = json_node_get_boolean (node);

  return TRUE;
}

static gboolean
read_enum (const Obj   *o,
           const char  *name,
           GType        type,
           int         *value,
           gboolean    *found,
           GError     **error)
{
  const char *nick = NULL;

  if (!read_text (o, name, ID_MAX, &nick, error))
    return FALSE;
  *found = nick != NULL;
  if (nick != NULL && !striae_core_enum_from_nick (type, nick, value))
    {
      g_autofree char *what = g_strdup_printf (_("“%s” is not a known value."), nick);

      return striae_json_fail_member (o->reader, error, o->path, name, what);
    }

  return TRUE;
}

static gboolean
read_date (const Obj   *o,
           const char  *name,
           GDate       *date,
           gboolean    *found,
           GError     **error)
{
  const char *text = NULL;

  g_date_clear (date, 1);
  if (!read_text (o, name, ID_MAX, &text, error))
    return FALSE;
  *found = text != NULL;
  if (text != NULL && !striae_parse_optional_iso_date (text, date, NULL))
    return striae_json_fail_member (o->reader, error, o->path, name,
                                    _("expected a date written as YYYY-MM-DD."));

  return TRUE;
}

static gboolean
read_minutes (const Obj   *o,
              const char  *name,
              int         *minutes,
              gboolean    *found,
              GError     **error)
{
  const char *text = NULL;

  if (!read_text (o, name, ID_MAX, &text, error))
    return FALSE;
  *found = text != NULL;
  if (text != NULL && !striae_parse_minutes (text, minutes))
    return striae_json_fail_member (o->reader, error, o->path, name,
                                    _("expected a time of day written as HH:MM, or \"\"."));

  return TRUE;
}

/* Reads each object of list @name with @load, after checking its members against @allowed. */
static gboolean
load_list (const Obj           *o,
           const char          *name,
           guint                max,
           const char * const  *allowed,
           gboolean           (*load) (const Obj *, StriaeTreatmentSession *, GError **),
           StriaeTreatmentSession *self,
           GError             **error)
{
  g_autofree char *list_path = g_strdup_printf ("%s.%s", o->path, name);
  JsonArray *array;

  if (!striae_json_read_array (o->reader, o->object, o->path, name,
                               _("expected a list of objects."), &array, error))
    return FALSE;
  if (array == NULL)
    return TRUE;
  if (json_array_get_length (array) > max)
    {
      g_autofree char *what =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "the list has more than the %u item allowed.",
                                      "the list has more than the %u items allowed.", max),
                         max);

      return o->reader->fail (error, list_path, what);
    }

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autofree char *item_path = g_strdup_printf ("%s[%u]", list_path, i);
      Obj item = { o->reader, NULL, item_path };

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return o->reader->fail (error, item_path, _("expected an object."));
      item.object = json_node_get_object (node);
      if (!striae_json_check_members (o->reader, item.object, item_path, allowed, error) ||
          !load (&item, self, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
load_area (const Obj               *o,
           StriaeTreatmentSession  *self,
           GError                 **error)
{
  g_autoptr(StriaeSessionArea) area = striae_session_area_new (NULL);
  const char *text = NULL;
  JsonNode *node;
  gboolean found;
  gint64 number;
  int value;

  if (!read_text (o, "area-id", ID_MAX, &text, error))
    return FALSE;
  striae_session_area_set_area_id (area, text);

  if (!striae_json_read_value (o->reader, o->object, o->path, "depth", G_TYPE_DOUBLE, FALSE,
                               _("expected a number."), &node, error))
    return FALSE;
  if (node != NULL)
    {
      double depth = json_node_get_double (node);

      if (!isfinite (depth) || depth < 0 || depth > STRIAE_DEPTH_MAX_MM)
        return striae_json_fail_member (o->reader, error, o->path, "depth",
                                        _("a needle depth is 0 (not set) or 0.25 to 3 mm in "
                                          "steps of 0.25 mm."));
      striae_session_area_set_depth (area, depth);
    }

  if (!read_enum (o, "device", STRIAE_TYPE_DEVICE, &value, &found, error))
    return FALSE;
  if (found)
    striae_session_area_set_device (area, value);
  if (!read_int (o, "passes", 0, STRIAE_SESSION_PASSES_MAX, &number, &found, error))
    return FALSE;
  if (found)
    striae_session_area_set_passes (area, (guint) number);
  if (!read_text (o, "reason", STRIAE_SESSION_AREA_REASON_MAX, &text, error))
    return FALSE;
  striae_session_area_set_reason (area, text);

  striae_treatment_session_add_area (self, area);
  return TRUE;
}

static gboolean
load_product (const Obj               *o,
              StriaeTreatmentSession  *self,
              GError                 **error)
{
  g_autoptr(StriaeSessionProduct) product = striae_session_product_new (NULL, NULL, NULL);
  const char *text = NULL;
  gboolean found;
  GDate date;

  if (!read_text (o, "name", STRIAE_SESSION_PRODUCT_NAME_MAX, &text, error))
    return FALSE;
  striae_session_product_set_name (product, text);
  if (!read_text (o, "lot", STRIAE_SESSION_LOT_MAX, &text, error))
    return FALSE;
  striae_session_product_set_lot (product, text);
  if (!read_date (o, "expiry", &date, &found, error))
    return FALSE;
  striae_session_product_set_expiry (product, &date);

  striae_treatment_session_add_product (self, product);
  return TRUE;
}

static gboolean
load_event (const Obj               *o,
            StriaeTreatmentSession  *self,
            GError                 **error)
{
  g_autoptr(StriaeAdverseEvent) event = striae_adverse_event_new (NULL, STRIAE_EVENT_SEVERITY_MILD);
  const char *text = NULL;
  gboolean found;
  int value;

  if (!read_text (o, "what", STRIAE_ADVERSE_EVENT_TEXT_MAX, &text, error))
    return FALSE;
  striae_adverse_event_set_what (event, text);
  if (!read_enum (o, "severity", STRIAE_TYPE_EVENT_SEVERITY, &value, &found, error))
    return FALSE;
  if (found)
    striae_adverse_event_set_severity (event, value);
  if (!read_text (o, "follow-up", STRIAE_ADVERSE_EVENT_TEXT_MAX, &text, error))
    return FALSE;
  striae_adverse_event_set_follow_up (event, text);

  striae_treatment_session_add_event (self, event);
  return TRUE;
}

static gboolean
load_check (const Obj           *o,
            StriaeSessionCheck  *check,
            GError             **error)
{
  static const char * const allowed[] = { "answers", "changes", "result", "reason", NULL };
  g_autofree char *answers_path = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  JsonObject *answers_object;
  const char *text = NULL;
  gboolean found;
  int value;

  if (!striae_json_check_members (o->reader, o->object, o->path, allowed, error) ||
      !striae_json_read_object (o->reader, o->object, o->path, "answers", &answers_object,
                                error))
    return FALSE;

  if (answers_object != NULL)
    {
      Obj answers = { o->reader, answers_object, NULL };

      answers_path = g_strdup_printf ("%s.answers", o->path);
      answers.path = answers_path;
      for (guint i = 0; i < STRIAE_N_CHECK_ITEMS; i++)
        g_ptr_array_add (ids, (gpointer) striae_check_item_get_info (i)->id);
      g_ptr_array_add (ids, NULL);
      if (!striae_json_check_members (o->reader, answers_object, answers_path,
                                      (const char * const *) ids->pdata, error))
        return FALSE;
      for (guint i = 0; i < STRIAE_N_CHECK_ITEMS; i++)
        {
          if (!read_enum (&answers, striae_check_item_get_info (i)->id, STRIAE_TYPE_ANSWER,
                          &value, &found, error))
            return FALSE;
          if (found)
            striae_session_check_set_answer (check, i, value);
        }
    }

  if (!read_text (o, "changes", STRIAE_SESSION_CHECK_TEXT_MAX, &text, error))
    return FALSE;
  striae_session_check_set_changes (check, text);
  if (!read_enum (o, "result", STRIAE_TYPE_CHECK_RESULT, &value, &found, error))
    return FALSE;
  if (found)
    striae_session_check_set_result (check, value);
  if (!read_text (o, "reason", STRIAE_SESSION_CHECK_TEXT_MAX, &text, error))
    return FALSE;
  striae_session_check_set_reason (check, text);

  return TRUE;
}

static gboolean
check_format (const Obj  *o,
              GError    **error)
{
  gint64 number = 0;
  gboolean found;

  if (!read_int (o, "format", 0, G_MAXINT, &number, &found, error))
    return FALSE;
  if (!found)
    return striae_json_fail_member (o->reader, error, o->path, "format",
                                    _("the format number is missing."));
  if (number >= 1 && number <= STRIAE_TREATMENT_SESSION_FORMAT)
    return TRUE;

  g_set_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
               _("The session record uses format %" PRId64 ", but this version of Striae "
                 "reads format %d. Update Striae to open it."),
               number, STRIAE_TREATMENT_SESSION_FORMAT);
  return FALSE;
}

/* The keys and numbers of the record. */
static gboolean
load_numbers (const Obj               *o,
              StriaeTreatmentSession  *self,
              GError                 **error)
{
  static const struct {
    const char *name;
    gint64      min;
    gint64      max;
  } numbers[] = {
    { "id", 0, G_MAXINT64 },
    { "revision", 1, G_MAXUINT },
    { "patient-id", 0, G_MAXINT64 },
    { "consultation-id", 0, G_MAXINT64 },
    { "consultation-revision", 0, G_MAXUINT },
    { "number", 0, STRIAE_TREATMENT_SESSION_NUMBER_MAX },
    { "course-length", 0, STRIAE_PLAN_SESSIONS_MAX },
    { "tolerance", -1, STRIAE_TOLERANCE_MAX },
  };

  for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
    {
      gboolean found;
      gint64 value;

      if (!read_int (o, numbers[i].name, numbers[i].min, numbers[i].max, &value, &found,
                     error))
        return FALSE;
      if (!found)
        continue;
      if (numbers[i].max == G_MAXUINT)
        g_object_set (self, numbers[i].name, (guint) value, NULL);
      else if (numbers[i].max == G_MAXINT64)
        g_object_set (self, numbers[i].name, value, NULL);
      else if (numbers[i].min < 0)
        g_object_set (self, numbers[i].name, (int) value, NULL);
      else
        g_object_set (self, numbers[i].name, (guint) value, NULL);
    }

  return TRUE;
}

static gboolean
load_fields (const Obj               *o,
             StriaeTreatmentSession  *self,
             GError                 **error)
{
  static const char * const texts[] = { "practitioner", "reaction", "notes",
                                        "amendment-reason" };
  static const char * const bools[] = { "maintenance", "numbing-cream" };
  static const char * const times[] = { "time", "numbing-cream-time" };
  gboolean found;
  GDate date;
  int value;

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      const char *text = NULL;

      if (!read_text (o, texts[i], i == 0 ? STRIAE_CONSULTATION_NAME_MAX
                                          : STRIAE_TREATMENT_SESSION_TEXT_MAX, &text, error))
        return FALSE;
      if (text != NULL)
        g_object_set (self, texts[i], text, NULL);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bools); i++)
    {
      gboolean flag;

      if (!read_bool (o, bools[i], &flag, &found, error))
        return FALSE;
      if (found)
        g_object_set (self, bools[i], flag, NULL);
    }
  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    {
      if (!read_minutes (o, times[i], &value, &found, error))
        return FALSE;
      if (found)
        g_object_set (self, times[i], value, NULL);
    }

  if (!read_enum (o, "status", STRIAE_TYPE_TREATMENT_SESSION_STATUS, &value, &found, error))
    return FALSE;
  if (found)
    striae_treatment_session_set_status (self, value);
  if (!read_date (o, "date", &date, &found, error))
    return FALSE;
  striae_treatment_session_set_date (self, &date);

  return TRUE;
}

/**
 * striae_json_read_treatment_session:
 * @reader: the wording and strictness of the document it is in
 * @root: the session record's object, at @path
 *
 * Reads a session record (for striae_treatment_session_new_from_json() and exports).
 */
StriaeTreatmentSession *
striae_json_read_treatment_session (const StriaeJsonReader  *reader,
                                    JsonObject              *root,
                                    const char              *path,
                                    GError                 **error)
{
  static const char * const allowed[] = {
    "format", "id", "revision", "status", "patient-id", "consultation-id",
    "consultation-revision", "number", "course-length", "maintenance", "date", "time",
    "practitioner", "numbing-cream", "numbing-cream-time", "areas", "products", "tolerance",
    "reaction", "adverse-events", "notes", "check", "amendment-reason", NULL
  };
  static const char * const area_members[] = {
    "area-id", "depth", "device", "passes", "reason", NULL
  };
  static const char * const product_members[] = { "name", "lot", "expiry", NULL };
  static const char * const event_members[] = { "what", "severity", "follow-up", NULL };
  g_autoptr(StriaeTreatmentSession) self = striae_treatment_session_new ();
  g_autofree char *check_path = g_strdup_printf ("%s.check", path);
  Obj o = { reader, root, path };
  Obj check = { reader, NULL, check_path };

  if (!check_format (&o, error) ||
      !striae_json_check_members (reader, root, path, allowed, error) ||
      !load_numbers (&o, self, error) ||
      !load_fields (&o, self, error) ||
      !load_list (&o, "areas", STRIAE_TREATMENT_SESSION_AREAS_MAX, area_members, load_area,
                  self, error) ||
      !load_list (&o, "products", STRIAE_TREATMENT_SESSION_PRODUCTS_MAX, product_members,
                  load_product, self, error) ||
      !load_list (&o, "adverse-events", STRIAE_TREATMENT_SESSION_EVENTS_MAX, event_members,
                  load_event, self, error) ||
      !striae_json_read_object (reader, root, path, "check", &check.object, error))
    return NULL;

  if (check.object != NULL &&
      !load_check (&check, striae_treatment_session_get_check (self), error))
    return NULL;

  return g_steal_pointer (&self);
}

StriaeTreatmentSession *
striae_treatment_session_new_from_json (const char  *json,
                                        GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;

  g_return_val_if_fail (json != NULL, NULL);

  if (!striae_json_check_strict (&session_reader, json, -1, 16, error) ||
      (root = striae_json_parse_object (&session_reader, parser, json, -1, error)) == NULL)
    return NULL;

  return striae_json_read_treatment_session (&session_reader, root, "$", error);
}
