/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "striae-consent-signature.h"
#include "striae-core-error.h"
#include "striae-json-private.h"

/* A consent signed on the screen (issue 18): who signed (patient, guardian, practitioner),
 * their name, when, the strokes drawn on the pad, and the SHA-256 of the consent's text as
 * it was shown (striae_sheet_dup_content_hash()). A signature belongs to one revision of a
 * consultation and is never changed once stored; it matches the consent only while the
 * consent reads exactly as it did (striae_consent_signature_matches()).
 *
 * The strokes are kept as JSON (docs/CONSENT-SIGNATURE.md):
 *   {"format": 1, "strokes": [[[x, y, t], [x, y, t, p], …], …]}
 * x and y in 0..1 (4 decimals), t the milliseconds since the first point, p the stylus'
 * pressure (0..1, left out when the device gives none). Reading is strict: RFC 8259 only,
 * nothing unknown, every bound checked. */

#define FORMAT 1
/* Four decimals: a tenth of a millimetre on a pad 100 mm wide, and every stored value
 * reads back as the same double. */
#define QUANTUM 10000.0

struct _StriaeConsentSignature
{
  GObject               parent_instance;

  StriaeConsentSigner   signer;
  gint64                consultation_id;
  guint                 revision;
  char                 *name;
  GDateTime            *signed_at;
  char                 *signed_by;
  char                 *consent_hash;
  GPtrArray            *strokes;       /* GArray of StriaeSignaturePoint */
  guint                 n_points;
  char                 *typed;         /* the full name typed instead of drawing, or NULL */
};

G_DEFINE_FINAL_TYPE (StriaeConsentSignature, striae_consent_signature, G_TYPE_OBJECT)

static const char * const signer_names[] = {
  [STRIAE_CONSENT_SIGNER_PATIENT] = "patient",
  [STRIAE_CONSENT_SIGNER_GUARDIAN] = "guardian",
  [STRIAE_CONSENT_SIGNER_PRACTITIONER] = "practitioner",
};

/* The ids of the consent sheet's <signature> elements (data/sheets/<lang>/consent.xml). */
static const char * const sheet_ids[] = {
  [STRIAE_CONSENT_SIGNER_PATIENT] = "sign-patient",
  [STRIAE_CONSENT_SIGNER_GUARDIAN] = "sign-guardian",
  [STRIAE_CONSENT_SIGNER_PRACTITIONER] = "sign-practitioner",
};

static void
striae_consent_signature_finalize (GObject *object)
{
  StriaeConsentSignature *self = STRIAE_CONSENT_SIGNATURE (object);

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->signed_at, g_date_time_unref);
  g_clear_pointer (&self->signed_by, g_free);
  g_clear_pointer (&self->consent_hash, g_free);
  g_clear_pointer (&self->strokes, g_ptr_array_unref);
  g_clear_pointer (&self->typed, g_free);

  G_OBJECT_CLASS (striae_consent_signature_parent_class)->finalize (object);
}

static void
striae_consent_signature_class_init (StriaeConsentSignatureClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = striae_consent_signature_finalize;
}

static void
striae_consent_signature_init (StriaeConsentSignature *self)
{
  self->strokes = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
}

StriaeConsentSignature *
striae_consent_signature_new (StriaeConsentSigner signer)
{
  StriaeConsentSignature *self;

  g_return_val_if_fail (signer <= STRIAE_CONSENT_SIGNER_PRACTITIONER, NULL);

  self = g_object_new (STRIAE_TYPE_CONSENT_SIGNATURE, NULL);
  self->signer = signer;
  return self;
}

StriaeConsentSigner
striae_consent_signature_get_signer (StriaeConsentSignature *self)
{
  g_return_val_if_fail (STRIAE_IS_CONSENT_SIGNATURE (self), STRIAE_CONSENT_SIGNER_PATIENT);
  return self->signer;
}

gint64
striae_consent_signature_get_consultation_id (StriaeConsentSignature *self)
{
  g_return_val_if_fail (STRIAE_IS_CONSENT_SIGNATURE (self), 0);
  return self->consultation_id;
}

guint
striae_consent_signature_get_revision (StriaeConsentSignature *self)
{
  g_return_val_if_fail (STRIAE_IS_CONSENT_SIGNATURE (self), 0);
  return self->revision;
}

void
striae_consent_signature_set_consultation (StriaeConsentSignature *self,
                                           gint64                  id,
                                           guint                   revision)
{
  g_return_if_fail (STRIAE_IS_CONSENT_SIGNATURE (self));
  self->consultation_id = id;
  self->revision = revision;
}

const char *
striae_consent_signature_get_name (StriaeConsentSignature *self)
{
  g_return_val_if_fail (STRIAE_IS_CONSENT_SIGNATURE (self), NULL);
  return self->name != NULL ? self->name : "";
}

void
striae_consent_signature_set_name (StriaeConsentSignature *self,
                                   const char             *name)
{
  g_return_if_fail (STRIAE_IS_CONSENT_SIGNATURE (self));
  g_free (self->name);
  self->name = name != NULL ? g_strstrip (g_utf8_normalize (name, -1, G_NORMALIZE_NFC))
                            : NULL;
}

GDateTime *
striae_consent_signature_get_signed_at (StriaeConsentSignature *self)
{
  g_return_val_if_fail (STRIAE_IS_CONSENT_SIGNATURE (self), NULL);
  return self->signed_at;
}

void
striae_consent_signature_set_signed_at (StriaeConsentSignature *self,
                                        GDateTime              *at)
{
  g_return_if_fail (STRIAE_IS_CONSENT_SIGNATURE (self));
  g_clear_pointer (&self->signed_at, g_date_time_unref);
  self->signed_at = at != NULL ? g_date_time_ref (at) : NULL;
}

const char *
striae_consent_signature_get_signed_by (StriaeConsentSignature *self)
{
  g_return_val_if_fail (STRIAE_IS_CONSENT_SIGNATURE (self), NULL);
  return self->signed_by;
}

void
striae_consent_signature_set_signed_by (StriaeConsentSignature *self,
                                        const char             *by)
{
  g_return_if_fail (STRIAE_IS_CONSENT_SIGNATURE (self));
  g_free (self->signed_by);
  self->signed_by = g_strdup (by);
}

const char *
striae_consent_signature_get_consent_hash (StriaeConsentSignature *self)
{
  g_return_val_if_fail (STRIAE_IS_CONSENT_SIGNATURE (self), NULL);
  return self->consent_hash;
}

void
striae_consent_signature_set_consent_hash (StriaeConsentSignature *self,
                                           const char             *hash)
{
  g_return_if_fail (STRIAE_IS_CONSENT_SIGNATURE (self));
  g_free (self->consent_hash);
  self->consent_hash = g_strdup (hash);
}

/* Whether the signature was given to the consent whose text hashes to @hash: a consent
 * changed by an amendment hashes otherwise, and needs a new signature. */
gboolean
striae_consent_signature_matches (StriaeConsentSignature *self,
                                  const char             *hash)
{
  g_return_val_if_fail (STRIAE_IS_CONSENT_SIGNATURE (self), FALSE);

  return hash != NULL && self->consent_hash != NULL &&
         g_ascii_strcasecmp (self->consent_hash, hash) == 0;
}

void
striae_consent_signature_begin_stroke (StriaeConsentSignature *self)
{
  g_return_if_fail (STRIAE_IS_CONSENT_SIGNATURE (self));

  if (self->strokes->len >= STRIAE_SIGNATURE_STROKES_MAX)
    return;
  g_clear_pointer (&self->typed, g_free);
  g_ptr_array_add (self->strokes, g_array_new (FALSE, FALSE, sizeof (StriaeSignaturePoint)));
}

static double
quantize (double value)
{
  return round (CLAMP (value, 0.0, 1.0) * QUANTUM) / QUANTUM;
}

/* Adds a point to the last stroke (clamped into the pad, rounded as it will be stored);
 * FALSE when the signature holds as many as it may, or no stroke was begun. */
gboolean
striae_consent_signature_add_point (StriaeConsentSignature *self,
                                    double                  x,
                                    double                  y,
                                    double                  pressure,
                                    guint32                 time)
{
  StriaeSignaturePoint point;
  GArray *stroke;

  g_return_val_if_fail (STRIAE_IS_CONSENT_SIGNATURE (self), FALSE);

  if (self->strokes->len == 0 || self->n_points >= STRIAE_SIGNATURE_POINTS_MAX ||
      !isfinite (x) || !isfinite (y))
    return FALSE;

  stroke = g_ptr_array_index (self->strokes, self->strokes->len - 1);
  point.x = quantize (x);
  point.y = quantize (y);
  point.pressure = isfinite (pressure) && pressure >= 0 ? quantize (pressure) : -1;
  point.time = MIN (time, STRIAE_SIGNATURE_TIME_MAX);
  g_array_append_val (stroke, point);
  self->n_points++;
  return TRUE;
}

void
striae_consent_signature_undo_stroke (StriaeConsentSignature *self)
{
  GArray *stroke;

  g_return_if_fail (STRIAE_IS_CONSENT_SIGNATURE (self));

  if (self->strokes->len == 0)
    return;
  stroke = g_ptr_array_index (self->strokes, self->strokes->len - 1);
  self->n_points -= stroke->len;
  g_ptr_array_set_size (self->strokes, self->strokes->len - 1);
}

void
striae_consent_signature_clear (StriaeConsentSignature *self)
{
  g_return_if_fail (STRIAE_IS_CONSENT_SIGNATURE (self));

  g_ptr_array_set_size (self->strokes, 0);
  self->n_points = 0;
}

guint
striae_consent_signature_get_n_strokes (StriaeConsentSignature *self)
{
  g_return_val_if_fail (STRIAE_IS_CONSENT_SIGNATURE (self), 0);
  return self->strokes->len;
}

const StriaeSignaturePoint *
striae_consent_signature_get_stroke (StriaeConsentSignature *self,
                                     guint                   index,
                                     guint                  *n_points)
{
  GArray *stroke;

  g_return_val_if_fail (STRIAE_IS_CONSENT_SIGNATURE (self), NULL);
  g_return_val_if_fail (index < self->strokes->len, NULL);

  stroke = g_ptr_array_index (self->strokes, index);
  if (n_points != NULL)
    *n_points = stroke->len;
  return (const StriaeSignaturePoint *) (gpointer) stroke->data;
}

/* Whether nothing was drawn: no stroke with a point in it. */
gboolean
striae_consent_signature_is_empty (StriaeConsentSignature *self)
{
  g_return_val_if_fail (STRIAE_IS_CONSENT_SIGNATURE (self), TRUE);
  return self->n_points == 0 && self->typed == NULL;
}

/**
 * striae_consent_signature_set_typed:
 * @text: (nullable): the signer's full name as they typed it, %NULL to draw instead
 *
 * A typed name in place of a drawn signature, where the clinic allows it (issue 18): kept as
 * typed (in Unicode NFC, without white space at either end; "" is none), with the same
 * hash, date and time and signer as a drawn one. It replaces any strokes, as a drawing
 * replaces the name (striae_consent_signature_begin_stroke()).
 */
void
striae_consent_signature_set_typed (StriaeConsentSignature *self,
                                    const char             *text)
{
  g_autofree char *normal = NULL;

  g_return_if_fail (STRIAE_IS_CONSENT_SIGNATURE (self));

  g_clear_pointer (&self->typed, g_free);
  if (text == NULL)
    return;
  normal = g_strstrip (g_utf8_normalize (text, -1, G_NORMALIZE_NFC));
  if (*normal == '\0')
    return;
  striae_consent_signature_clear (self);
  self->typed = g_steal_pointer (&normal);
}

/* The typed name that stands for the signature, or NULL for a drawn one. */
const char *
striae_consent_signature_get_typed (StriaeConsentSignature *self)
{
  g_return_val_if_fail (STRIAE_IS_CONSENT_SIGNATURE (self), NULL);
  return self->typed;
}

static void
append_number (GString *out,
               double   value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append (out, g_ascii_formatd (buffer, sizeof buffer, "%.4f", value));
}

/* The strokes as stored; strokes without a point are left out. A typed name is kept in the
 * same text, as the member "typed" next to no stroke. */
char *
striae_consent_signature_strokes_to_json (StriaeConsentSignature *self)
{
  GString *out;
  gboolean first_stroke = TRUE;

  g_return_val_if_fail (STRIAE_IS_CONSENT_SIGNATURE (self), NULL);

  if (self->typed != NULL)
    {
      g_autoptr(JsonNode) name = json_node_init_string (json_node_alloc (), self->typed);
      g_autofree char *quoted = json_to_string (name, FALSE);

      return g_strdup_printf ("{\"format\":1,\"strokes\":[],\"typed\":%s}", quoted);
    }

  out = g_string_new ("{\"format\":1,\"strokes\":[");
  for (guint i = 0; i < self->strokes->len; i++)
    {
      GArray *stroke = g_ptr_array_index (self->strokes, i);

      if (stroke->len == 0)
        continue;
      g_string_append (out, first_stroke ? "[" : ",[");
      first_stroke = FALSE;
      for (guint j = 0; j < stroke->len; j++)
        {
          const StriaeSignaturePoint *p = &g_array_index (stroke, StriaeSignaturePoint, j);

          g_string_append (out, j == 0 ? "[" : ",[");
          append_number (out, p->x);
          g_string_append_c (out, ',');
          append_number (out, p->y);
          g_string_append_printf (out, ",%u", (guint) p->time);
          if (p->pressure >= 0)
            {
              g_string_append_c (out, ',');
              append_number (out, p->pressure);
            }
          g_string_append_c (out, ']');
        }
      g_string_append_c (out, ']');
    }
  g_string_append (out, "]}");
  return g_string_free (out, FALSE);
}

/* Reading */

static gboolean
signature_fail (GError     **error,
                const char  *path,
                const char  *what)
{
  g_set_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
               _("The signature data is damaged at %s: %s"), path, what);
  return FALSE;
}

static gboolean
signature_not_json (GError     **error,
                    const char  *message)
{
  g_set_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
               _("The signature data is not valid JSON: %s"), message);
  return FALSE;
}

static const StriaeJsonReader signature_reader = {
  .fail = signature_fail, .not_json = signature_not_json, .exact = TRUE,
};

static gboolean
fail_at (GError     **error,
         const char  *what,
         guint        stroke,
         int          point,
         int          item)
{
  g_autofree char *path = NULL;

  if (point < 0)
    path = g_strdup_printf ("$.strokes[%u]", stroke);
  else if (item < 0)
    path = g_strdup_printf ("$.strokes[%u][%d]", stroke, point);
  else
    path = g_strdup_printf ("$.strokes[%u][%d][%d]", stroke, point, item);
  return signature_fail (error, path, what);
}

/* A number of a point, within @max. */
static gboolean
read_number (JsonArray  *array,
             guint       index,
             double      max,
             double     *value)
{
  JsonNode *node = json_array_get_element (array, index);
  GType type;

  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type != G_TYPE_DOUBLE && type != G_TYPE_INT64)
    return FALSE;
  *value = json_node_get_double (node);
  return isfinite (*value) && *value >= 0 && *value <= max;
}

static gboolean
read_point (JsonArray            *array,
            guint                 stroke,
            guint                 index,
            StriaeSignaturePoint *point,
            GError              **error)
{
  double time;
  guint n = json_array_get_length (array);

  if (n != 3 && n != 4)
    return fail_at (error, _("a point is [x, y, time] or [x, y, time, pressure]."),
                    stroke, (int) index, -1);
  if (!read_number (array, 0, 1.0, &point->x))
    return fail_at (error, _("expected a number from 0 to 1."), stroke, (int) index, 0);
  if (!read_number (array, 1, 1.0, &point->y))
    return fail_at (error, _("expected a number from 0 to 1."), stroke, (int) index, 1);
  if (!read_number (array, 2, STRIAE_SIGNATURE_TIME_MAX, &time) || time != floor (time))
    return fail_at (error, _("expected a whole number of milliseconds within an hour."),
                    stroke, (int) index, 2);
  point->time = (guint32) time;
  point->pressure = -1;
  if (n == 4 && !read_number (array, 3, 1.0, &point->pressure))
    return fail_at (error, _("expected a number from 0 to 1."), stroke, (int) index, 3);
  return TRUE;
}

static GPtrArray *
read_strokes (JsonArray  *array,
              GError    **error)
{
  g_autoptr(GPtrArray) strokes = NULL;
  guint n_points = 0;

  if (json_array_get_length (array) > STRIAE_SIGNATURE_STROKES_MAX)
    return signature_fail (error, "$.strokes", _("too many strokes.")), NULL;

  strokes = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autoptr(GArray) stroke = NULL;
      JsonArray *points;

      if (!JSON_NODE_HOLDS_ARRAY (node) ||
          json_array_get_length (points = json_node_get_array (node)) == 0)
        return fail_at (error, _("expected a list of points."), i, -1, -1), NULL;

      n_points += json_array_get_length (points);
      if (n_points > STRIAE_SIGNATURE_POINTS_MAX)
        return fail_at (error, _("too many points."), i, -1, -1), NULL;

      stroke = g_array_sized_new (FALSE, FALSE, sizeof (StriaeSignaturePoint),
                                  json_array_get_length (points));
      for (guint j = 0; j < json_array_get_length (points); j++)
        {
          JsonNode *point_node = json_array_get_element (points, j);
          StriaeSignaturePoint point;

          if (!JSON_NODE_HOLDS_ARRAY (point_node))
            return fail_at (error, _("expected a point."), i, (int) j, -1), NULL;
          if (!read_point (json_node_get_array (point_node), i, j, &point, error))
            return NULL;
          g_array_append_val (stroke, point);
        }
      g_ptr_array_add (strokes, g_steal_pointer (&stroke));
    }

  return g_steal_pointer (&strokes);
}

/* Replaces the strokes with those of @json, read strictly; on bad data the signature is
 * left as it was and @error says where. */
gboolean
striae_consent_signature_set_strokes_from_json (StriaeConsentSignature  *self,
                                                const char              *json,
                                                GError                 **error)
{
  static const char * const members[] = { "format", "strokes", "typed", NULL };
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GPtrArray) strokes = NULL;
  JsonObject *root;
  JsonNode *format;
  JsonArray *array = NULL;
  const char *typed = NULL;
  gboolean has_typed = FALSE;
  gsize length;

  g_return_val_if_fail (STRIAE_IS_CONSENT_SIGNATURE (self), FALSE);
  g_return_val_if_fail (json != NULL, FALSE);

  length = strlen (json);
  if (length > STRIAE_SIGNATURE_JSON_MAX)
    return signature_fail (error, "$", _("the signature is too large."));

  /* Root, strokes, a stroke, a point: four levels and no more. */
  parser = json_parser_new ();
  if (!striae_json_check_strict (&signature_reader, json, (gssize) length, 4, error) ||
      (root = striae_json_parse_object (&signature_reader, parser, json, (gssize) length,
                                        error)) == NULL ||
      !striae_json_check_members (&signature_reader, root, "$", members, error))
    return FALSE;

  format = json_object_get_member (root, "format");
  if (format == NULL || !JSON_NODE_HOLDS_VALUE (format) ||
      json_node_get_value_type (format) != G_TYPE_INT64 || json_node_get_int (format) != FORMAT)
    return signature_fail (error, "$.format", _("expected format 1."));

  if (!striae_json_read_array (&signature_reader, root, "$", "strokes",
                               _("expected a list of strokes."), &array, error))
    return FALSE;
  if (array == NULL)
    return signature_fail (error, "$.strokes", _("expected a list of strokes."));
  if ((strokes = read_strokes (array, error)) == NULL)
    return FALSE;
  if (!striae_json_read_text (&signature_reader, root, "$", "typed", STRIAE_SIGNATURE_NAME_MAX,
                              &typed, &has_typed, error))
    return FALSE;
  if (has_typed && (strokes->len > 0 || typed == NULL || *typed == '\0'))
    return signature_fail (error, "$.typed",
                           _("a typed name stands alone, without strokes, and is not empty."));

  g_clear_pointer (&self->typed, g_free);
  if (has_typed)
    self->typed = g_strdup (typed);
  g_clear_pointer (&self->strokes, g_ptr_array_unref);
  self->strokes = g_steal_pointer (&strokes);
  self->n_points = 0;
  for (guint i = 0; i < self->strokes->len; i++)
    self->n_points += ((GArray *) g_ptr_array_index (self->strokes, i))->len;
  return TRUE;
}

const char *
striae_consent_signer_to_string (StriaeConsentSigner signer)
{
  g_return_val_if_fail (signer < G_N_ELEMENTS (signer_names), NULL);
  return signer_names[signer];
}

gboolean
striae_consent_signer_from_string (const char          *text,
                                   StriaeConsentSigner *signer)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (signer_names); i++)
    if (strcmp (text, signer_names[i]) == 0)
      {
        *signer = (StriaeConsentSigner) i;
        return TRUE;
      }
  return FALSE;
}

/* The id of the <signature> of the consent sheet this signer signs. */
const char *
striae_consent_signer_to_sheet_id (StriaeConsentSigner signer)
{
  g_return_val_if_fail (signer < G_N_ELEMENTS (sheet_ids), NULL);
  return sheet_ids[signer];
}
