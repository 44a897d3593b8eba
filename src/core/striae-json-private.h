/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "striae-consultation.h"
#include "striae-treatment-session.h"

G_BEGIN_DECLS

/* Reading and writing Striae's JSON documents (a consultation, the rule settings, a patient
 * export). Internal to Striae: the core and the store use it, nothing is installed.
 *
 * Every document refuses bad data with the JSON path of the offending member ("$.plan.sessions"),
 * but each words its errors in its own layer's domain and sentence; a StriaeJsonReader carries
 * that wording, so that the checks themselves are written once. */

typedef struct _StriaeJsonReader StriaeJsonReader;

struct _StriaeJsonReader
{
  /* Sets @error for the member at @path, with @what (translated) saying what is wrong, and
   * returns FALSE. */
  gboolean    (*fail)                  (GError     **error,
                                        const char  *path,
                                        const char  *what);
  /* Sets @error for text that is not JSON at all (@message is the parser's) and returns
   * FALSE; %NULL reports it through fail() at "$". */
  gboolean    (*not_json)              (GError     **error,
                                        const char  *message);

  /* Phrases for fail(), marked with N_() and translated where they are used; %NULL takes the
   * core's wording ("expected an object.", "not a known member.", …). */
  const char   *wrong_root;            /* the document is not an object */
  const char   *unknown_member;
  const char   *missing;               /* a required string is not there */
  const char   *expected_string;
  const char   *expected_object;

  /* Whether a null where a string or a number is expected counts as a missing member (TRUE)
   * or as one of the wrong type (FALSE). A null object or list is always of the wrong type. */
  gboolean      null_value_is_missing;

  /* Whether reading refuses what the model would not keep exactly as the file has it: text
   * longer than its field allows (counted before anything normalises it, which takes time)
   * or not in the form the model stores (Unicode NFC, no spaces at either end), empty or
   * repeated items of a list the model keeps as a set, lists longer than their bound. An
   * import from a file is exact; Striae's own saved documents are read as they are. */
  gboolean      exact;
};

gboolean    striae_json_check_strict      (const StriaeJsonReader  *reader,
                                           const char              *json,
                                           gssize                   length,
                                           guint                    max_depth,
                                           GError                 **error);
JsonObject *striae_json_parse_object      (const StriaeJsonReader  *reader,
                                           JsonParser              *parser,
                                           const char              *json,
                                           gssize                   length,
                                           GError                 **error);
gboolean    striae_json_check_members     (const StriaeJsonReader  *reader,
                                           JsonObject              *object,
                                           const char              *path,
                                           const char * const      *allowed,
                                           GError                 **error);
GType       striae_json_value_type        (JsonNode                *node);
gboolean    striae_json_read_value        (const StriaeJsonReader  *reader,
                                           JsonObject              *object,
                                           const char              *path,
                                           const char              *name,
                                           GType                    type,
                                           gboolean                 required,
                                           const char              *expected,
                                           JsonNode               **value,
                                           GError                 **error);
gboolean    striae_json_read_string       (const StriaeJsonReader  *reader,
                                           JsonObject              *object,
                                           const char              *path,
                                           const char              *name,
                                           const char             **value,
                                           gboolean                *found,
                                           GError                 **error);
gboolean    striae_json_check_text        (const StriaeJsonReader  *reader,
                                           const char              *path,
                                           const char              *text,
                                           guint                    max_chars,
                                           GError                 **error);
gboolean    striae_json_read_text         (const StriaeJsonReader  *reader,
                                           JsonObject              *object,
                                           const char              *path,
                                           const char              *name,
                                           guint                    max_chars,
                                           const char             **value,
                                           gboolean                *found,
                                           GError                 **error);
gboolean    striae_json_check_count       (const StriaeJsonReader  *reader,
                                           const char              *path,
                                           guint                    count,
                                           guint                    max_items,
                                           GError                 **error);
gboolean    striae_json_read_object       (const StriaeJsonReader  *reader,
                                           JsonObject              *object,
                                           const char              *path,
                                           const char              *name,
                                           JsonObject             **value,
                                           GError                 **error);
gboolean    striae_json_read_array        (const StriaeJsonReader  *reader,
                                           JsonObject              *object,
                                           const char              *path,
                                           const char              *name,
                                           const char              *expected,
                                           JsonArray              **value,
                                           GError                 **error);

gboolean    striae_json_fail_member       (const StriaeJsonReader  *reader,
                                           GError                 **error,
                                           const char              *path,
                                           const char              *name,
                                           const char              *what);

char       *striae_json_builder_to_data   (JsonBuilder             *builder);

/* striae-consultation-json.c: reads the consultation of @object, at @path in its document,
 * with @reader's wording and strictness. */
StriaeConsultation *striae_json_read_consultation (const StriaeJsonReader  *reader,
                                                   JsonObject              *object,
                                                   const char              *path,
                                                   GError                 **error);

/* striae-treatment-session-json.c: reads the session record of @object, at @path. */
StriaeTreatmentSession *striae_json_read_treatment_session (const StriaeJsonReader  *reader,
                                                            JsonObject              *object,
                                                            const char              *path,
                                                            GError                 **error);

G_END_DECLS
