/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "striae-date.h"
#include "striae-sheet-context.h"
#include "striae-sheet-error.h"
#include "striae-sheet-private.h"

#include <stdlib.h>
#include <string.h>

/* The plain inputs of a sheet.  A later adapter fills them from a consultation; nothing here
 * knows about the core's types, so the sheets can be tested and printed on their own. */
struct _StriaeSheetContext
{
  GObject          parent_instance;

  GHashTable      *values;       /* placeholder name → text */
  GHashTable      *facts;        /* set of fact names that hold */
  GArray          *sessions;     /* Session */
  GPtrArray       *extra_texts;
  GPtrArray       *extra_sections;  /* parallel to extra_texts; "" means the default section */
  GHashTable      *struck;       /* set of ids */
  char            *logo_path;
  GDate            birth_date;
  GDate            date;
  StriaePaperSize  paper;
  char            *language;
  double           body_size;
  GArray          *photos;       /* Photo */
  gboolean         photos_allowed;
};

typedef struct
{
  GDate  date;
  char  *label;
} Session;

typedef struct
{
  char   *element_id;
  GBytes   *image;
  char     *caption;
  gboolean  new_row;
} Photo;

G_DEFINE_FINAL_TYPE (StriaeSheetContext, striae_sheet_context, G_TYPE_OBJECT)

static void
session_clear (gpointer data)
{
  Session *session = data;

  g_clear_pointer (&session->label, g_free);
}

/* Whatever a form or a database hands us is printed for a patient: make it valid UTF-8 in one
 * canonical form, and drop control characters other than line breaks, which a printer would
 * show as boxes. */
static char *
clean_text (const char *text)
{
  g_autofree char *valid = NULL;
  g_autofree char *normal = NULL;
  GString *out;

  if (text == NULL)
    return g_strdup ("");

  valid = g_utf8_make_valid (text, -1);
  normal = g_utf8_normalize (valid, -1, G_NORMALIZE_NFC);
  out = g_string_new (NULL);
  for (const char *p = normal; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\t')
        c = ' ';
      if (c != '\n' && g_unichar_iscntrl (c))
        continue;
      g_string_append_unichar (out, c);
    }
  return g_strstrip (g_string_free (out, FALSE));
}

static void
photo_clear (gpointer data)
{
  Photo *photo = data;

  g_clear_pointer (&photo->element_id, g_free);
  g_clear_pointer (&photo->image, g_bytes_unref);
  g_clear_pointer (&photo->caption, g_free);
}

static void
striae_sheet_context_finalize (GObject *object)
{
  StriaeSheetContext *self = (StriaeSheetContext *)object;

  g_clear_pointer (&self->values, g_hash_table_unref);
  g_clear_pointer (&self->facts, g_hash_table_unref);
  g_clear_pointer (&self->sessions, g_array_unref);
  g_clear_pointer (&self->photos, g_array_unref);
  g_clear_pointer (&self->extra_texts, g_ptr_array_unref);
  g_clear_pointer (&self->extra_sections, g_ptr_array_unref);
  g_clear_pointer (&self->struck, g_hash_table_unref);
  g_clear_pointer (&self->logo_path, g_free);
  g_clear_pointer (&self->language, g_free);

  G_OBJECT_CLASS (striae_sheet_context_parent_class)->finalize (object);
}

static void
striae_sheet_context_class_init (StriaeSheetContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = striae_sheet_context_finalize;
}

static void
striae_sheet_context_init (StriaeSheetContext *self)
{
  self->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->facts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->sessions = g_array_new (FALSE, TRUE, sizeof (Session));
  g_array_set_clear_func (self->sessions, session_clear);
  self->photos = g_array_new (FALSE, TRUE, sizeof (Photo));
  g_array_set_clear_func (self->photos, photo_clear);
  self->extra_texts = g_ptr_array_new_with_free_func (g_free);
  self->extra_sections = g_ptr_array_new_with_free_func (g_free);
  self->struck = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_date_clear (&self->birth_date, 1);
  g_date_clear (&self->date, 1);
  self->paper = STRIAE_PAPER_A4;
  self->language = g_strdup ("en");
  self->body_size = STRIAE_SHEET_BODY_SIZE_DEFAULT;
}

/**
 * striae_sheet_context_new:
 *
 * Returns: (transfer full): an empty context: English, A4, body text 13 pt, no facts
 */
StriaeSheetContext *
striae_sheet_context_new (void)
{
  return g_object_new (STRIAE_TYPE_SHEET_CONTEXT, NULL);
}

/**
 * striae_sheet_context_set_value:
 * @name: a placeholder name such as "plan.needle_depth"
 * @value: (nullable): its text; %NULL or "" removes it
 *
 * Sets the text printed for `{name}`.  A placeholder without a value prints as a blank line
 * to be filled in by hand.
 */
void
striae_sheet_context_set_value (StriaeSheetContext *self,
                                const char         *name,
                                const char         *value)
{
  g_autofree char *clean = NULL;

  g_return_if_fail (STRIAE_IS_SHEET_CONTEXT (self));
  g_return_if_fail (name != NULL && *name != '\0');

  clean = clean_text (value);
  if (*clean == '\0')
    g_hash_table_remove (self->values, name);
  else
    g_hash_table_replace (self->values, g_strdup (name), g_steal_pointer (&clean));
}

const char *
striae_sheet_context_get_value (StriaeSheetContext *self,
                                const char         *name)
{
  g_return_val_if_fail (STRIAE_IS_SHEET_CONTEXT (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return g_hash_table_lookup (self->values, name);
}

void
striae_sheet_context_set_fact (StriaeSheetContext *self,
                               const char         *fact,
                               gboolean            holds)
{
  g_return_if_fail (STRIAE_IS_SHEET_CONTEXT (self));
  g_return_if_fail (fact != NULL && *fact != '\0');

  if (holds)
    g_hash_table_add (self->facts, g_strdup (fact));
  else
    g_hash_table_remove (self->facts, fact);
}

gboolean
striae_sheet_context_has_fact (StriaeSheetContext *self,
                               const char         *fact)
{
  g_return_val_if_fail (STRIAE_IS_SHEET_CONTEXT (self), FALSE);
  g_return_val_if_fail (fact != NULL, FALSE);

  return g_hash_table_contains (self->facts, fact);
}

/**
 * striae_sheet_context_set_patient:
 * @name: the patient's full name, as it should be printed
 * @birth_date: (nullable): the date of birth, or %NULL if unknown
 *
 * Sets `{patient.name}` and the date of birth printed in the header; the template formats
 * `{patient.birth_date}` in its own language.
 */
void
striae_sheet_context_set_patient (StriaeSheetContext *self,
                                  const char         *name,
                                  const GDate        *birth_date)
{
  g_return_if_fail (STRIAE_IS_SHEET_CONTEXT (self));

  striae_sheet_context_set_value (self, "patient.name", name);
  if (birth_date != NULL && g_date_valid (birth_date))
    self->birth_date = *birth_date;
  else
    g_date_clear (&self->birth_date, 1);
}

/**
 * striae_sheet_context_get_birth_date:
 *
 * Returns: (nullable): the date of birth, or %NULL if none was set
 */
const GDate *
striae_sheet_context_get_birth_date (StriaeSheetContext *self)
{
  g_return_val_if_fail (STRIAE_IS_SHEET_CONTEXT (self), NULL);

  return g_date_valid (&self->birth_date) ? &self->birth_date : NULL;
}

/**
 * striae_sheet_context_set_date:
 * @date: (nullable): the date the sheet is for; %NULL means today when the sheet is made
 */
void
striae_sheet_context_set_date (StriaeSheetContext *self,
                               const GDate        *date)
{
  g_return_if_fail (STRIAE_IS_SHEET_CONTEXT (self));

  if (date != NULL && g_date_valid (date))
    self->date = *date;
  else
    g_date_clear (&self->date, 1);
}

/**
 * striae_sheet_context_get_date:
 *
 * Returns: (nullable): the date set with striae_sheet_context_set_date(), or %NULL
 */
const GDate *
striae_sheet_context_get_date (StriaeSheetContext *self)
{
  g_return_val_if_fail (STRIAE_IS_SHEET_CONTEXT (self), NULL);

  return g_date_valid (&self->date) ? &self->date : NULL;
}

/**
 * striae_sheet_context_set_clinic:
 * @name: (nullable): clinic name
 * @address: (nullable): postal address; may hold line breaks
 * @phone: (nullable): phone number
 * @email: (nullable): e-mail address
 * @logo_path: (nullable): a PNG file printed in the header, or %NULL
 *
 * Sets the clinic header and the `{clinic.*}` placeholders.
 */
void
striae_sheet_context_set_clinic (StriaeSheetContext *self,
                                 const char         *name,
                                 const char         *address,
                                 const char         *phone,
                                 const char         *email,
                                 const char         *logo_path)
{
  g_return_if_fail (STRIAE_IS_SHEET_CONTEXT (self));

  striae_sheet_context_set_value (self, "clinic.name", name);
  striae_sheet_context_set_value (self, "clinic.address", address);
  striae_sheet_context_set_value (self, "clinic.phone", phone);
  striae_sheet_context_set_value (self, "clinic.email", email);
  g_free (self->logo_path);
  self->logo_path = (logo_path != NULL && *logo_path != '\0') ? g_strdup (logo_path) : NULL;
}

/**
 * striae_sheet_context_get_logo_path:
 *
 * Returns: (nullable): the logo file, or %NULL
 */
const char *
striae_sheet_context_get_logo_path (StriaeSheetContext *self)
{
  g_return_val_if_fail (STRIAE_IS_SHEET_CONTEXT (self), NULL);

  return self->logo_path;
}

/**
 * striae_sheet_context_add_session:
 * @date: a valid date
 * @label: (nullable): the row label, e.g. "Session 2"; %NULL prints the row number
 *
 * Adds a row to the table of planned session dates.
 */
void
striae_sheet_context_add_session (StriaeSheetContext *self,
                                  const GDate        *date,
                                  const char         *label)
{
  Session session = { 0 };

  g_return_if_fail (STRIAE_IS_SHEET_CONTEXT (self));
  g_return_if_fail (date != NULL && g_date_valid (date));

  session.date = *date;
  if (label != NULL && *label != '\0')
    session.label = clean_text (label);
  else
    session.label = g_strdup_printf ("%u", self->sessions->len + 1);
  g_array_append_val (self->sessions, session);
}

/**
 * striae_sheet_context_add_session_iso:
 * @iso_date: a date as YYYY-MM-DD
 * @label: (nullable): the row label
 *
 * Like striae_sheet_context_add_session() for a date kept as text.
 *
 * Returns: %FALSE with @error set if @iso_date is not a real calendar date
 */
gboolean
striae_sheet_context_add_session_iso (StriaeSheetContext  *self,
                                      const char          *iso_date,
                                      const char          *label,
                                      GError             **error)
{
  GDate date;

  g_return_val_if_fail (STRIAE_IS_SHEET_CONTEXT (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Read by the one parser of stored dates; the sentence is the sheet's own. */
  if (!striae_parse_iso_date (iso_date, &date, NULL))
    {
      g_set_error (error, STRIAE_SHEET_ERROR, STRIAE_SHEET_ERROR_INVALID,
                   _("“%s” is not a date; write it as year-month-day, for example 2026-05-12."),
                   iso_date != NULL ? iso_date : "");
      return FALSE;
    }

  striae_sheet_context_add_session (self, &date, label);
  return TRUE;
}

void
striae_sheet_context_clear_sessions (StriaeSheetContext *self)
{
  g_return_if_fail (STRIAE_IS_SHEET_CONTEXT (self));

  g_array_set_size (self->sessions, 0);
}

guint
striae_sheet_context_get_n_sessions (StriaeSheetContext *self)
{
  g_return_val_if_fail (STRIAE_IS_SHEET_CONTEXT (self), 0);

  return self->sessions->len;
}

/**
 * striae_sheet_context_get_session:
 * @label: (out) (optional): the row label
 *
 * Returns: the date of row @index
 */
const GDate *
striae_sheet_context_get_session (StriaeSheetContext  *self,
                                  guint                index,
                                  const char         **label)
{
  const Session *session;

  g_return_val_if_fail (STRIAE_IS_SHEET_CONTEXT (self), NULL);
  g_return_val_if_fail (index < self->sessions->len, NULL);

  session = &g_array_index (self->sessions, Session, index);
  if (label != NULL)
    *label = session->label;
  return &session->date;
}

/**
 * striae_sheet_context_add_extra_item:
 * @section_id: (nullable): the section to add to; %NULL means the template's default section
 * @text: the item, printed as written (braces are not placeholders here)
 *
 * Adds a bullet item for this patient alone at the end of a section.  Text longer than
 * %STRIAE_SHEET_EXTRA_ITEM_MAX characters is cut there.
 */
void
striae_sheet_context_add_extra_item (StriaeSheetContext *self,
                                     const char         *section_id,
                                     const char         *text)
{
  g_autofree char *clean = NULL;

  g_return_if_fail (STRIAE_IS_SHEET_CONTEXT (self));
  g_return_if_fail (text != NULL);

  clean = clean_text (text);
  if (*clean == '\0')
    return;
  if (g_utf8_strlen (clean, -1) > STRIAE_SHEET_EXTRA_ITEM_MAX)
    *g_utf8_offset_to_pointer (clean, STRIAE_SHEET_EXTRA_ITEM_MAX) = '\0';

  g_ptr_array_add (self->extra_texts, g_steal_pointer (&clean));
  g_ptr_array_add (self->extra_sections, g_strdup (section_id != NULL ? section_id : ""));
}

guint
striae_sheet_context_get_n_extra_items (StriaeSheetContext *self)
{
  g_return_val_if_fail (STRIAE_IS_SHEET_CONTEXT (self), 0);

  return self->extra_texts->len;
}

/**
 * striae_sheet_context_get_extra_item:
 * @section_id: (out) (optional) (nullable): the section asked for, or %NULL for the default
 *
 * Returns: the text of extra item @index
 */
const char *
striae_sheet_context_get_extra_item (StriaeSheetContext  *self,
                                     guint                index,
                                     const char         **section_id)
{
  const char *section;

  g_return_val_if_fail (STRIAE_IS_SHEET_CONTEXT (self), NULL);
  g_return_val_if_fail (index < self->extra_texts->len, NULL);

  section = g_ptr_array_index (self->extra_sections, index);
  if (section_id != NULL)
    *section_id = *section != '\0' ? section : NULL;
  return g_ptr_array_index (self->extra_texts, index);
}

/**
 * striae_sheet_context_strike:
 * @id: the id of a template element (item, paragraph, section …)
 *
 * Leaves that element out of this patient's sheet.
 */
void
striae_sheet_context_strike (StriaeSheetContext *self,
                             const char         *id)
{
  g_return_if_fail (STRIAE_IS_SHEET_CONTEXT (self));
  g_return_if_fail (id != NULL && *id != '\0');

  g_hash_table_add (self->struck, g_strdup (id));
}

gboolean
striae_sheet_context_is_struck (StriaeSheetContext *self,
                                const char         *id)
{
  g_return_val_if_fail (STRIAE_IS_SHEET_CONTEXT (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  return g_hash_table_contains (self->struck, id);
}

static int
compare_strings (const void *a,
                 const void *b)
{
  return strcmp (*(const char * const *)a, *(const char * const *)b);
}

/**
 * striae_sheet_context_dup_struck_ids:
 *
 * Returns: (transfer full): the struck ids, sorted
 */
char **
striae_sheet_context_dup_struck_ids (StriaeSheetContext *self)
{
  g_autofree const char **keys = NULL;
  GStrvBuilder *builder;
  char **ids;
  guint n;

  g_return_val_if_fail (STRIAE_IS_SHEET_CONTEXT (self), NULL);

  keys = (const char **)g_hash_table_get_keys_as_array (self->struck, &n);
  qsort (keys, n, sizeof (char *), compare_strings);
  builder = g_strv_builder_new ();
  g_strv_builder_addv (builder, keys);
  ids = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return ids;
}

void
striae_sheet_context_set_paper (StriaeSheetContext *self,
                                StriaePaperSize     paper)
{
  g_return_if_fail (STRIAE_IS_SHEET_CONTEXT (self));
  g_return_if_fail (paper == STRIAE_PAPER_A4 || paper == STRIAE_PAPER_US_LETTER);

  self->paper = paper;
}

StriaePaperSize
striae_sheet_context_get_paper (StriaeSheetContext *self)
{
  g_return_val_if_fail (STRIAE_IS_SHEET_CONTEXT (self), STRIAE_PAPER_A4);

  return self->paper;
}

/**
 * striae_sheet_context_set_language:
 * @language: a language code such as "en" or "pl"; it picks data/sheets/<language>/
 */
void
striae_sheet_context_set_language (StriaeSheetContext *self,
                                   const char         *language)
{
  g_return_if_fail (STRIAE_IS_SHEET_CONTEXT (self));
  g_return_if_fail (language != NULL && *language != '\0');

  g_free (self->language);
  self->language = g_strdup (language);
}

const char *
striae_sheet_context_get_language (StriaeSheetContext *self)
{
  g_return_val_if_fail (STRIAE_IS_SHEET_CONTEXT (self), NULL);

  return self->language;
}

/**
 * striae_sheet_context_set_body_size:
 * @points: the body text size, clamped to 12–20 pt (readable print for patients)
 */
void
striae_sheet_context_set_body_size (StriaeSheetContext *self,
                                    double              points)
{
  g_return_if_fail (STRIAE_IS_SHEET_CONTEXT (self));

  self->body_size = CLAMP (points, STRIAE_SHEET_BODY_SIZE_MIN, STRIAE_SHEET_BODY_SIZE_MAX);
}

double
striae_sheet_context_get_body_size (StriaeSheetContext *self)
{
  g_return_val_if_fail (STRIAE_IS_SHEET_CONTEXT (self), STRIAE_SHEET_BODY_SIZE_DEFAULT);

  return self->body_size;
}

/**
 * striae_sheet_context_set_photos_allowed:
 * @allowed: whether the patient consented to photos (issue 18)
 *
 * Without the patient's photo consent a <photos> element prints nothing, and the sheet's
 * warnings say why, whatever photos were added. %FALSE at first.
 */
void
striae_sheet_context_set_photos_allowed (StriaeSheetContext *self,
                                         gboolean            allowed)
{
  g_return_if_fail (STRIAE_IS_SHEET_CONTEXT (self));

  self->photos_allowed = !!allowed;
}

gboolean
striae_sheet_context_get_photos_allowed (StriaeSheetContext *self)
{
  g_return_val_if_fail (STRIAE_IS_SHEET_CONTEXT (self), FALSE);

  return self->photos_allowed;
}

/**
 * striae_sheet_context_add_photo:
 * @element_id: the id of the <photos> element that prints it
 * @image: the photo's image as stored (JPEG or PNG), kept in memory only
 * @caption: what is printed under it (area, date, session and moment), in the sheet's
 *   language
 * @new_row: whether it starts a row rather than follow the photo before it in its row (the
 *   first photo of an area's pair)
 *
 * Adds a photo for @element_id, after those already added: the element prints them in this
 * order, two to a row.
 */
void
striae_sheet_context_add_photo (StriaeSheetContext *self,
                                const char         *element_id,
                                GBytes             *image,
                                const char         *caption,
                                gboolean            new_row)
{
  Photo photo = { 0 };

  g_return_if_fail (STRIAE_IS_SHEET_CONTEXT (self));
  g_return_if_fail (element_id != NULL);
  g_return_if_fail (image != NULL);

  photo.element_id = g_strdup (element_id);
  photo.image = g_bytes_ref (image);
  photo.caption = clean_text (caption);
  photo.new_row = !!new_row;
  g_array_append_val (self->photos, photo);
}

guint
striae_sheet_context_get_n_photos (StriaeSheetContext *self)
{
  g_return_val_if_fail (STRIAE_IS_SHEET_CONTEXT (self), 0);

  return self->photos->len;
}

/**
 * striae_sheet_context_get_photo:
 * @element_id: (out) (optional) (transfer none): the <photos> element's id
 * @caption: (out) (optional) (transfer none): the text under it
 * @new_row: (out) (optional): whether it starts a row
 *
 * Returns: (transfer none): the photo's image
 */
GBytes *
striae_sheet_context_get_photo (StriaeSheetContext  *self,
                                guint                index,
                                const char         **element_id,
                                const char         **caption,
                                gboolean            *new_row)
{
  const Photo *photo;

  g_return_val_if_fail (STRIAE_IS_SHEET_CONTEXT (self), NULL);
  g_return_val_if_fail (index < self->photos->len, NULL);

  photo = &g_array_index (self->photos, Photo, index);
  if (element_id != NULL)
    *element_id = photo->element_id;
  if (caption != NULL)
    *caption = photo->caption;
  if (new_row != NULL)
    *new_row = photo->new_row;
  return photo->image;
}

GHashTable *
_striae_sheet_context_get_values (StriaeSheetContext *context)
{
  return context->values;
}
