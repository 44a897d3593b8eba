/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "striae-core-private.h"
#include "striae-json-private.h"

/* Fails at member @name of the object at @path ("$.plan" and "sessions": "$.plan.sessions"). */
gboolean
striae_json_fail_member (const StriaeJsonReader  *reader,
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
      return striae_json_fail_member (reader, error, path, l->data,
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

/* Member @name of @object when it holds a value of @type (G_TYPE_DOUBLE takes whole numbers
 * too): LOOKUP_FOUND with *value set, LOOKUP_MISSING when it is missing (or null, for a
 * reader that counts null as missing), else LOOKUP_WRONG. The caller words the failure, so
 * that nothing is formatted or translated for a member that is right. */
typedef enum
{
  LOOKUP_FOUND,
  LOOKUP_MISSING,
  LOOKUP_WRONG,
} Lookup;

static Lookup
lookup_value (const StriaeJsonReader  *reader,
              JsonObject              *object,
              const char              *name,
              GType                    type,
              JsonNode               **value)
{
  JsonNode *node = json_object_get_member (object, name);
  GType held;

  *value = NULL;
  if (node == NULL || (reader->null_value_is_missing && JSON_NODE_HOLDS_NULL (node)))
    return LOOKUP_MISSING;

  held = striae_json_value_type (node);
  if (held != type && !(type == G_TYPE_DOUBLE && held == G_TYPE_INT64))
    return LOOKUP_WRONG;

  *value = node;
  return LOOKUP_FOUND;
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
  switch (lookup_value (reader, object, name, type, value))
    {
    case LOOKUP_FOUND:
      return TRUE;
    case LOOKUP_MISSING:
      return !required || striae_json_fail_member (reader, error, path, name, expected);
    case LOOKUP_WRONG:
    default:
      return striae_json_fail_member (reader, error, path, name, expected);
    }
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
  Lookup found_as = lookup_value (reader, object, name, G_TYPE_STRING, &node);

  *value = NULL;
  if (found_as == LOOKUP_WRONG)
    return striae_json_fail_member (reader, error, path, name,
                                    phrase (reader->expected_string, _("expected a string.")));

  if (found != NULL)
    *found = node != NULL;
  if (node == NULL)
    return found != NULL ||
           striae_json_fail_member (reader, error, path, name,
                                    phrase (reader->missing, _("this member is missing.")));

  *value = json_node_get_string (node);
  if (!g_utf8_validate (*value, -1, NULL))
    return striae_json_fail_member (reader, error, path, name, _("the text is not valid UTF-8."));

  return TRUE;
}

/* Whether @text has more than @max characters, found without counting past them. */
static gboolean
longer_than (const char *text,
             guint       max)
{
  guint n = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (++n > max)
      return TRUE;

  return FALSE;
}

/* Whether @text, valid UTF-8, is plainly what striae_json_check_text() accepts: ASCII alone
 * (which Unicode normal form C keeps as it is) with no space at either end, and no more than
 * @max_chars characters. FALSE says only that the full check must tell. */
static gboolean
is_kept_as_written (const char *text,
                    guint       max_chars)
{
  gsize n = 0;

  for (const char *p = text; *p != '\0'; p++, n++)
    if ((guchar) *p >= 0x80 || n >= max_chars)
      return FALSE;

  return n == 0 || (!g_ascii_isspace (text[0]) && !g_ascii_isspace (text[n - 1]));
}

/* For an exact reader, checks that @text (valid UTF-8, at @path) has at most @max_chars
 * characters and is in the form the model stores it, so that it is kept as written. The
 * length comes first: it is linear, and it bounds what normalising then costs. */
gboolean
striae_json_check_text (const StriaeJsonReader  *reader,
                        const char              *path,
                        const char              *text,
                        guint                    max_chars,
                        GError                 **error)
{
  g_autofree char *normal = NULL;

  if (!reader->exact)
    return TRUE;

  if (longer_than (text, max_chars))
    {
      g_autofree char *what =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "the text is longer than the %u character allowed.",
                                      "the text is longer than the %u characters allowed.",
                                      max_chars),
                         max_chars);

      return reader->fail (error, path, what);
    }

  normal = striae_core_normalize_text (text);
  if (!g_str_equal (normal, text))
    return reader->fail (error, path, _("the text has spaces at either end or is not in "
                                        "Unicode normal form C, so it would not be kept as "
                                        "written."));

  return TRUE;
}

/* Reads a string member that the model keeps as text of at most @max_chars characters (for
 * an exact reader; see striae_json_check_text()). */
gboolean
striae_json_read_text (const StriaeJsonReader  *reader,
                       JsonObject              *object,
                       const char              *path,
                       const char              *name,
                       guint                    max_chars,
                       const char             **value,
                       gboolean                *found,
                       GError                 **error)
{
  g_autofree char *where = NULL;

  if (!striae_json_read_string (reader, object, path, name, value, found, error))
    return FALSE;
  if (*value == NULL || !reader->exact || is_kept_as_written (*value, max_chars))
    return TRUE;

  where = g_strdup_printf ("%s.%s", path, name);
  return striae_json_check_text (reader, where, *value, max_chars, error);
}

/* For an exact reader, checks that the list at @path has at most @max_items items. */
gboolean
striae_json_check_count (const StriaeJsonReader  *reader,
                         const char              *path,
                         guint                    count,
                         guint                    max_items,
                         GError                 **error)
{
  g_autofree char *what = NULL;

  if (!reader->exact || count <= max_items)
    return TRUE;

  what = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "the list has more than the %u item allowed.",
                                       "the list has more than the %u items allowed.",
                                       max_items),
                          max_items);
  return reader->fail (error, path, what);
}

/* Member @name of @object into *value (%NULL when it is missing): FALSE when it is there
 * but not a @type node, for the caller to word (only then: nothing is translated for a
 * member that is right). */
static gboolean
lookup_node (JsonObject    *object,
             const char    *name,
             JsonNodeType   type,
             JsonNode     **value)
{
  JsonNode *node = json_object_get_member (object, name);

  *value = NULL;
  if (node != NULL && JSON_NODE_TYPE (node) != type)
    return FALSE;

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
  if (!lookup_node (object, name, JSON_NODE_OBJECT, &node))
    return striae_json_fail_member (reader, error, path, name,
                                    phrase (reader->expected_object, _("expected an object.")));

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
  if (!lookup_node (object, name, JSON_NODE_ARRAY, &node))
    return striae_json_fail_member (reader, error, path, name, expected);

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
