/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "striae-json-private.h"

/* Fails at member @name of the object at @path ("$.plan" and "sessions": "$.plan.sessions"). */
static gboolean
fail_member (const StriaeJsonReader  *reader,
             GError                 **error,
             const char              *path,
             const char              *name,
             const char              *what)
{
  g_autofree char *where = g_strdup_printf ("%s.%s", path, name);

  return reader->fail (error, where, what);
}

/* The reader's phrase, or the core's wording when it has none. */
static const char *
phrase (const char *own,
        const char *core)
{
  return own != NULL ? _(own) : core;
}

/* Parses @json, which must be one object: returns it (owned by @parser), or %NULL with
 * @error set in the reader's words. */
JsonObject *
striae_json_parse_object (const StriaeJsonReader  *reader,
                          JsonParser              *parser,
                          const char              *json,
                          gssize                   length,
                          GError                 **error)
{
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  if (!json_parser_load_from_data (parser, json, length, &local_error))
    {
      if (reader->not_json != NULL)
        reader->not_json (error, local_error->message);
      else
        reader->fail (error, "$", local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      reader->fail (error, "$", phrase (reader->wrong_root, _("expected an object.")));
      return NULL;
    }

  return json_node_get_object (root);
}

/* Refuses members that are not in @allowed, so that nothing in a file is silently lost. */
gboolean
striae_json_check_members (const StriaeJsonReader  *reader,
                           JsonObject              *object,
                           const char              *path,
                           const char * const      *allowed,
                           GError                 **error)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (allowed, l->data))
      return fail_member (reader, error, path, l->data,
                          phrase (reader->unknown_member, _("not a known member.")));

  return TRUE;
}

/* The type of a plain value (G_TYPE_STRING, G_TYPE_INT64, G_TYPE_DOUBLE, G_TYPE_BOOLEAN), or
 * G_TYPE_INVALID for null, an object or a list. */
GType
striae_json_value_type (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
}

/* Looks up member @name of @object, the object at @path. Returns TRUE with *value set when it
 * holds a value of @type (G_TYPE_DOUBLE takes whole numbers too), TRUE with *value %NULL when
 * it is missing (or null, for a reader that counts null as missing) and not @required, and
 * otherwise FALSE with @error saying @expected (translated). */
gboolean
striae_json_read_value (const StriaeJsonReader  *reader,
                        JsonObject              *object,
                        const char              *path,
                        const char              *name,
                        GType                    type,
                        gboolean                 required,
                        const char              *expected,
                        JsonNode               **value,
                        GError                 **error)
{
  JsonNode *node = json_object_get_member (object, name);
  GType held;

  *value = NULL;
  if (node == NULL || (reader->null_value_is_missing && JSON_NODE_HOLDS_NULL (node)))
    return !required || fail_member (reader, error, path, name, expected);

  held = striae_json_value_type (node);
  if (held != type && !(type == G_TYPE_DOUBLE && held == G_TYPE_INT64))
    return fail_member (reader, error, path, name, expected);

  *value = node;
  return TRUE;
}

/* Reads a string member, which must be valid UTF-8. When it is missing, *value is %NULL and
 * *found FALSE; with @found %NULL the member is required and its absence an error. */
gboolean
striae_json_read_string (const StriaeJsonReader  *reader,
                         JsonObject              *object,
                         const char              *path,
                         const char              *name,
                         const char             **value,
                         gboolean                *found,
                         GError                 **error)
{
  JsonNode *node;

  *value = NULL;
  if (!striae_json_read_value (reader, object, path, name, G_TYPE_STRING, FALSE,
                               phrase (reader->expected_string, _("expected a string.")), &node,
                               error))
    return FALSE;

  if (found != NULL)
    *found = node != NULL;
  if (node == NULL)
    return found != NULL ||
           fail_member (reader, error, path, name,
                        phrase (reader->missing, _("this member is missing.")));

  *value = json_node_get_string (node);
  if (!g_utf8_validate (*value, -1, NULL))
    return fail_member (reader, error, path, name, _("the text is not valid UTF-8."));

  return TRUE;
}

/* Looks up member @name of @object when it is a @type node; *value is %NULL when it is
 * missing, and a member of another kind fails with @expected (translated). */
static gboolean
read_node (const StriaeJsonReader  *reader,
           JsonObject              *object,
           const char              *path,
           const char              *name,
           JsonNodeType             type,
           const char              *expected,
           JsonNode               **value,
           GError                 **error)
{
  JsonNode *node = json_object_get_member (object, name);

  *value = NULL;
  if (node != NULL && JSON_NODE_TYPE (node) != type)
    return fail_member (reader, error, path, name, expected);

  *value = node;
  return TRUE;
}

/* Reads an object member; *value is %NULL when it is missing. */
gboolean
striae_json_read_object (const StriaeJsonReader  *reader,
                         JsonObject              *object,
                         const char              *path,
                         const char              *name,
                         JsonObject             **value,
                         GError                 **error)
{
  JsonNode *node;

  *value = NULL;
  if (!read_node (reader, object, path, name, JSON_NODE_OBJECT,
                  phrase (reader->expected_object, _("expected an object.")), &node, error))
    return FALSE;

  if (node != NULL)
    *value = json_node_get_object (node);
  return TRUE;
}

/* Reads a list member; *value is %NULL when it is missing, and a member that is not a list
 * fails with @expected (translated), which can say what the list holds. */
gboolean
striae_json_read_array (const StriaeJsonReader  *reader,
                        JsonObject              *object,
                        const char              *path,
                        const char              *name,
                        const char              *expected,
                        JsonArray              **value,
                        GError                 **error)
{
  JsonNode *node;

  *value = NULL;
  if (!read_node (reader, object, path, name, JSON_NODE_ARRAY, expected, &node, error))
    return FALSE;

  if (node != NULL)
    *value = json_node_get_array (node);
  return TRUE;
}

/* The builder's document as indented text, the form every Striae document is written in. */
char *
striae_json_builder_to_data (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);

  return json_generator_to_data (generator, NULL);
}
