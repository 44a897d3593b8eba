/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <gio/gio.h>
#include <string.h>

#include "striae-patient.h"
#include "striae-sheet-error.h"
#include "striae-sheet-names.h"
#include "striae-sheet-private.h"
#include "striae-sheets-resources.h"

#define RESOURCE_PREFIX "/io/github/striae/Striae/sheets/"

struct _StriaeSheetTemplate
{
  GObject         parent_instance;

  char           *name;
  char           *language;
  char           *source;
  StriaeDocument  document;
  StriaeSheetCache *cache;
};

G_DEFINE_FINAL_TYPE (StriaeSheetTemplate, striae_sheet_template, G_TYPE_OBJECT)

static const char * const default_months[12] = {
  "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12",
};

/**
 * _striae_sheets_resource:
 *
 * The sheets' own resources (striae_sheets_get_resource()), also in a thread that asks for
 * them while another thread registers the program's resources. GLib 2.74's
 * g_static_resource_get_resource() returns without waiting when another thread has taken
 * the list of resources to register and is still making them, so that thread gets %NULL:
 * with two threads composing the day's batch, one crashed in g_resource_enumerate_children()
 * while the other was in g_resource_new_from_data() (core dump of the crash of one run in
 * about 190). The functions on all registered resources wait for the registration under
 * GLib's lock; after one of them the sheets' resource is there.
 */
GResource *
_striae_sheets_resource (void)
{
  GResource *resource = striae_sheets_get_resource ();

  if (G_UNLIKELY (resource == NULL))
    {
      g_strfreev (g_resources_enumerate_children ("/", G_RESOURCE_LOOKUP_FLAGS_NONE, NULL));
      resource = striae_sheets_get_resource ();
    }
  g_assert (resource != NULL);
  return resource;
}

/* A no-break space keeps a number with its unit ("0.75 mm", "6 weeks") on one line. */
#define NBSP "\xc2\xa0"

/* The words around a sheet's content come from the template, never from the computer's
 * locale: an English sheet printed in a German session must not say "Seite 1 von 2".  A
 * template without <labels> (an older clinic copy) prints these English words. */
static const struct
{
  const char *key;
  const char *english;
  const char *tokens[3];  /* the {names} the label may use */
} label_info[STRIAE_N_LABELS] = {
  [STRIAE_LABEL_PAGE]           = { "page", "Page {page} of {pages}", { "page", "pages", NULL } },
  [STRIAE_LABEL_PATIENT]        = { "patient", "Patient:", { NULL } },
  [STRIAE_LABEL_BIRTH_DATE]     = { "birth-date", "Date of birth:", { NULL } },
  [STRIAE_LABEL_DATE]           = { "date", "Date:", { NULL } },
  [STRIAE_LABEL_SIGNATURE]      = { "signature", "Signature", { NULL } },
  [STRIAE_LABEL_SIGNATURE_DATE] = { "signature-date", "Date", { NULL } },
  [STRIAE_LABEL_SIGNATURE_TYPED] = { "signature-typed", "{name} (typed)", { "name", NULL } },
  [STRIAE_LABEL_SESSION]        = { "session", "Session {n}", { "n", NULL } },
  [STRIAE_LABEL_MAINTENANCE]    = { "maintenance", "Maintenance", { NULL } },
  [STRIAE_LABEL_TREATMENT]      = { "treatment", "microneedling", { NULL } },
  [STRIAE_LABEL_TREATMENT_RF]   = { "treatment-rf", "radiofrequency microneedling", { NULL } },
  [STRIAE_LABEL_WEEK]           = { "week", "{n}" NBSP "week", { "n", NULL } },
  [STRIAE_LABEL_WEEKS]          = { "weeks", "{n}" NBSP "weeks", { "n", NULL } },
  [STRIAE_LABEL_EVERY_MONTH]    = { "every-month", "every {n}" NBSP "month", { "n", NULL } },
  [STRIAE_LABEL_EVERY_MONTHS]   = { "every-months", "every {n}" NBSP "months", { "n", NULL } },
  [STRIAE_LABEL_DEPTH]          = { "depth", "{depth}" NBSP "mm", { "depth", NULL } },
  [STRIAE_LABEL_DECIMAL_MARK]   = { "decimal-mark", ".", { NULL } },
  [STRIAE_LABEL_AND]            = { "and", "and", { NULL } },
  [STRIAE_LABEL_AREA_ABDOMEN]   = { "area-abdomen", "abdomen", { NULL } },
  [STRIAE_LABEL_AREA_BREASTS]   = { "area-breasts", "breasts", { NULL } },
  [STRIAE_LABEL_AREA_HIPS]      = { "area-hips", "hips", { NULL } },
  [STRIAE_LABEL_AREA_FLANKS]    = { "area-flanks", "flanks", { NULL } },
  [STRIAE_LABEL_AREA_THIGHS]    = { "area-thighs", "thighs", { NULL } },
  [STRIAE_LABEL_AREA_BUTTOCKS]  = { "area-buttocks", "buttocks", { NULL } },
  [STRIAE_LABEL_AREA_UPPER_ARMS] = { "area-upper-arms", "upper arms", { NULL } },
  [STRIAE_LABEL_AREA_INNER_ARMS] = { "area-inner-arms", "inner arms", { NULL } },
  [STRIAE_LABEL_AREA_LOWER_BACK] = { "area-lower-back", "lower back", { NULL } },
  [STRIAE_LABEL_AREA_OTHER]     = { "area-other", "other area", { NULL } },
  [STRIAE_LABEL_AREA_BREASTS_LEFT] = { "area-breasts-left", "left breast", { NULL } },
  [STRIAE_LABEL_AREA_BREASTS_RIGHT] = { "area-breasts-right", "right breast", { NULL } },
  [STRIAE_LABEL_AREA_BREASTS_BOTH] = { "area-breasts-both", "both breasts", { NULL } },
  [STRIAE_LABEL_AREA_HIPS_LEFT] = { "area-hips-left", "left hip", { NULL } },
  [STRIAE_LABEL_AREA_HIPS_RIGHT] = { "area-hips-right", "right hip", { NULL } },
  [STRIAE_LABEL_AREA_HIPS_BOTH] = { "area-hips-both", "both hips", { NULL } },
  [STRIAE_LABEL_AREA_FLANKS_LEFT] = { "area-flanks-left", "left flank", { NULL } },
  [STRIAE_LABEL_AREA_FLANKS_RIGHT] = { "area-flanks-right", "right flank", { NULL } },
  [STRIAE_LABEL_AREA_FLANKS_BOTH] = { "area-flanks-both", "both flanks", { NULL } },
  [STRIAE_LABEL_AREA_THIGHS_LEFT] = { "area-thighs-left", "left thigh", { NULL } },
  [STRIAE_LABEL_AREA_THIGHS_RIGHT] = { "area-thighs-right", "right thigh", { NULL } },
  [STRIAE_LABEL_AREA_THIGHS_BOTH] = { "area-thighs-both", "both thighs", { NULL } },
  [STRIAE_LABEL_AREA_BUTTOCKS_LEFT] = { "area-buttocks-left", "left buttock", { NULL } },
  [STRIAE_LABEL_AREA_BUTTOCKS_RIGHT] = { "area-buttocks-right", "right buttock", { NULL } },
  [STRIAE_LABEL_AREA_BUTTOCKS_BOTH] = { "area-buttocks-both", "both buttocks", { NULL } },
  [STRIAE_LABEL_AREA_UPPER_ARMS_LEFT] = { "area-upper-arms-left", "left upper arm", { NULL } },
  [STRIAE_LABEL_AREA_UPPER_ARMS_RIGHT] = { "area-upper-arms-right", "right upper arm", { NULL } },
  [STRIAE_LABEL_AREA_UPPER_ARMS_BOTH] = { "area-upper-arms-both", "both upper arms", { NULL } },
  [STRIAE_LABEL_AREA_INNER_ARMS_LEFT] = { "area-inner-arms-left", "left inner arm", { NULL } },
  [STRIAE_LABEL_AREA_INNER_ARMS_RIGHT] = { "area-inner-arms-right", "right inner arm", { NULL } },
  [STRIAE_LABEL_AREA_INNER_ARMS_BOTH] = { "area-inner-arms-both", "both inner arms", { NULL } },
  [STRIAE_LABEL_PHOTO_CONSULTATION] = { "photo-consultation", "Consultation", { NULL } },
  [STRIAE_LABEL_PHOTO_BEFORE]   = { "photo-before", "Session {n}, before treatment",
                                    { "n", NULL } },
};

static void
run_free (gpointer data)
{
  StriaeRun *run = data;

  g_free (run->text);
  g_free (run);
}

static void
node_free (gpointer data)
{
  StriaeNode *node = data;

  g_free (node->id);
  g_free (node->condition);
  g_strfreev (node->terms);
  g_clear_pointer (&node->runs, g_ptr_array_unref);
  g_clear_pointer (&node->title, g_ptr_array_unref);
  g_clear_pointer (&node->label_heading, g_ptr_array_unref);
  g_clear_pointer (&node->date_heading, g_ptr_array_unref);
  g_clear_pointer (&node->empty, g_ptr_array_unref);
  g_clear_pointer (&node->children, g_ptr_array_unref);
  g_free (node);
}

static void
document_clear (StriaeDocument *document)
{
  g_clear_pointer (&document->date_format, g_free);
  for (guint i = 0; i < STRIAE_N_LABELS; i++)
    g_clear_pointer (&document->labels[i], g_free);
  for (guint i = 0; i < 12; i++)
    g_clear_pointer (&document->months[i], g_free);
  for (guint i = 0; i < 7; i++)
    g_clear_pointer (&document->weekdays[i], g_free);
  g_clear_pointer (&document->title, g_ptr_array_unref);
  g_clear_pointer (&document->default_section, g_free);
  g_clear_pointer (&document->sections, g_ptr_array_unref);
  g_clear_pointer (&document->ids, g_hash_table_unref);
}

static void
striae_sheet_template_finalize (GObject *object)
{
  StriaeSheetTemplate *self = (StriaeSheetTemplate *)object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->language, g_free);
  g_clear_pointer (&self->source, g_free);
  document_clear (&self->document);
  g_clear_pointer (&self->cache, _striae_sheet_cache_free);

  G_OBJECT_CLASS (striae_sheet_template_parent_class)->finalize (object);
}

static void
striae_sheet_template_class_init (StriaeSheetTemplateClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = striae_sheet_template_finalize;
}

static void
striae_sheet_template_init (StriaeSheetTemplate *self)
{
  self->document.sections = g_ptr_array_new_with_free_func (node_free);
  self->document.ids = g_hash_table_new (g_str_hash, g_str_equal);
  self->cache = _striae_sheet_cache_new ();
}

StriaeSheetCache *
_striae_sheet_template_get_cache (StriaeSheetTemplate *self)
{
  return self->cache;
}

/* ---------------------------------------------------------------------------------------- */
/* Parsing                                                                                   */

typedef struct
{
  StriaeSheetTemplate *self;
  const char          *data;
  gsize                length;
  const char          *filename;
  const char * const  *placeholders;
  const char * const  *facts;
  GMarkupParseContext *context;
  int                  tag_line;    /* where the start tag being read begins */
  gboolean             seen_root;
  gboolean             seen_labels;
  gboolean             in_labels;   /* inside <labels>, which holds nothing */
  StriaeNode          *node;        /* innermost open element of ours, NULL at the root */
  int                  bold_depth;
  GPtrArray           *open_runs;   /* runs of the node whose text we are reading, or NULL */
} ParseState;

static int
current_line (ParseState *state)
{
  int line = 0;

  g_markup_parse_context_get_position (state->context, &line, NULL);
  return line;
}

/* GMarkup reports where it is after reading a start tag; an error about an element is about
 * the line where its tag starts, so look back for it. */
static int
element_line (ParseState *state,
              const char *element)
{
  int line = 0, column = 0;
  gsize offset = 0;
  g_autofree char *needle = g_strconcat ("<", element, NULL);
  gsize needle_length = strlen (needle);

  g_markup_parse_context_get_position (state->context, &line, &column);
  for (int l = 1; l < line && offset < state->length; offset++)
    if (state->data[offset] == '\n')
      l++;
  for (int c = 0; c < column && offset < state->length && state->data[offset] != '\n'; c++)
    offset = g_utf8_next_char (state->data + offset) - state->data;
  offset = MIN (offset, state->length);

  while (offset > 0)
    {
      offset--;
      if (state->data[offset] == '\n')
        line--;
      if (offset + needle_length <= state->length
          && strncmp (state->data + offset, needle, needle_length) == 0)
        return line;
    }
  return MAX (line, 1);
}

G_GNUC_PRINTF (5, 6)
static void
set_template_error (GError         **error,
                    const char      *filename,
                    int              line,
                    StriaeSheetError code,
                    const char      *format,
                    ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, STRIAE_SHEET_ERROR, code, "%s:%d: %s", filename, line, message);
}

static gboolean
name_is_known (const char * const *names,
               const char         *name,
               gsize               length)
{
  for (guint i = 0; names[i] != NULL; i++)
    if (strlen (names[i]) == length && strncmp (names[i], name, length) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
is_name_char (char c)
{
  return g_ascii_isalnum (c) || c == '.' || c == '_' || c == '-';
}

/* Checks every `{name}` in @text against the known list.  `{{` and `}}` stand for braces. */
static gboolean
check_placeholders (ParseState  *state,
                    const char  *text,
                    int          line,
                    GError     **error)
{
  for (const char *p = text; *p; p++)
    {
      const char *end;

      if (*p == '\n')
        line++;
      if (*p != '{')
        continue;
      if (p[1] == '{')
        {
          p++;
          continue;
        }
      for (end = p + 1; is_name_char (*end); end++)
        ;
      if (*end != '}' || end == p + 1)
        {
          set_template_error (error, state->filename, line,
                              STRIAE_SHEET_ERROR_UNKNOWN_PLACEHOLDER,
                              _("A “{” does not start a placeholder such as {patient.name}; "
                                "write “{{” for a brace."));
          return FALSE;
        }
      if (!name_is_known (state->placeholders, p + 1, end - p - 1))
        {
          g_autofree char *name = g_strndup (p + 1, end - p - 1);

          set_template_error (error, state->filename, line,
                              STRIAE_SHEET_ERROR_UNKNOWN_PLACEHOLDER,
                              _("Unknown placeholder “{%s}”."), name);
          return FALSE;
        }
      p = end;
    }
  return TRUE;
}

/* Collapses every run of white space to one space, as the reader of the XML expects. */
static char *
collapse_space (const char *text,
                gsize       length)
{
  GString *out = g_string_sized_new (length);
  gboolean space = FALSE;

  for (gsize i = 0; i < length; i++)
    {
      if (g_ascii_isspace (text[i]))
        space = TRUE;
      else
        {
          if (space)
            g_string_append_c (out, ' ');
          space = FALSE;
          g_string_append_c (out, text[i]);
        }
    }
  if (space)
    g_string_append_c (out, ' ');
  return g_string_free (out, FALSE);
}

static GPtrArray *
runs_from_attribute (ParseState  *state,
                     const char  *value,
                     GError     **error)
{
  GPtrArray *runs;
  StriaeRun *run;
  g_autofree char *text = NULL;

  if (!check_placeholders (state, value, state->tag_line, error))
    return NULL;
  text = collapse_space (value, strlen (value));
  runs = g_ptr_array_new_with_free_func (run_free);
  run = g_new0 (StriaeRun, 1);
  run->text = g_strdup (g_strstrip (text));
  g_ptr_array_add (runs, run);
  return runs;
}

static gboolean
parse_condition (ParseState  *state,
                 StriaeNode  *node,
                 const char  *condition,
                 GError     **error)
{
  g_auto(GStrv) terms = g_strsplit_set (condition, " \t\n", -1);
  GStrvBuilder *builder = g_strv_builder_new ();
  guint n = 0;

  for (guint i = 0; terms[i] != NULL; i++)
    {
      const char *fact = terms[i];

      if (*fact == '\0')
        continue;
      if (*fact == '!')
        fact++;
      if (!name_is_known (state->facts, fact, strlen (fact)))
        {
          set_template_error (error, state->filename, node->line,
                              STRIAE_SHEET_ERROR_UNKNOWN_FACT,
                              _("Unknown fact “%s” in the condition “%s”."), fact, condition);
          g_strv_builder_unref (builder);
          return FALSE;
        }
      g_strv_builder_add (builder, terms[i]);
      n++;
    }

  node->terms = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  if (n == 0)
    {
      set_template_error (error, state->filename, node->line, STRIAE_SHEET_ERROR_UNKNOWN_FACT,
                          _("The condition is empty; name at least one fact."));
      return FALSE;
    }
  node->condition = g_strdup (condition);
  return TRUE;
}

static gboolean
id_is_valid (const char *id)
{
  if (!g_ascii_islower (*id) && !g_ascii_isdigit (*id))
    return FALSE;
  for (const char *p = id; *p; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '-')
      return FALSE;
  return TRUE;
}

static gboolean
split_names (ParseState  *state,
             const char  *value,
             char       **out,
             guint        n,
             const char  *attribute,
             GError     **error)
{
  g_auto(GStrv) names = g_strsplit (value, ",", -1);

  if (g_strv_length (names) != n)
    {
      set_template_error (error, state->filename, state->tag_line,
                          STRIAE_SHEET_ERROR_UNKNOWN_ELEMENT,
                          _("“%s” must list %u names separated by commas."), attribute, n);
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    out[i] = g_strdup (g_strstrip (names[i]));
  return TRUE;
}

static gboolean
check_date_format (ParseState  *state,
                   const char  *format,
                   GError     **error)
{
  static const char * const tokens[] = { "weekday", "day", "dd", "month", "mm", "year", NULL };

  for (const char *p = format; *p; p++)
    {
      const char *end;

      if (*p != '{')
        continue;
      end = strchr (p, '}');
      if (end == NULL || !name_is_known (tokens, p + 1, end - p - 1))
        {
          set_template_error (error, state->filename, state->tag_line,
                              STRIAE_SHEET_ERROR_UNKNOWN_PLACEHOLDER,
                              _("The date format “%s” may only use {weekday}, {day}, {dd}, "
                                "{month}, {mm} and {year}."), format);
          return FALSE;
        }
      p = end;
    }
  return TRUE;
}

static gboolean
parse_root (ParseState          *state,
            const char         **names,
            const char         **values,
            GError             **error)
{
  StriaeDocument *document = &state->self->document;
  const char *version = NULL, *title = NULL, *default_section = NULL;
  const char *date_format = NULL, *months = NULL, *weekdays = NULL;

  if (!g_markup_collect_attributes ("sheet", names, values, error,
                                    G_MARKUP_COLLECT_STRING, "version", &version,
                                    G_MARKUP_COLLECT_STRING, "title", &title,
                                    G_MARKUP_COLLECT_STRING | G_MARKUP_COLLECT_OPTIONAL,
                                    "default-section", &default_section,
                                    G_MARKUP_COLLECT_STRING | G_MARKUP_COLLECT_OPTIONAL,
                                    "date-format", &date_format,
                                    G_MARKUP_COLLECT_STRING | G_MARKUP_COLLECT_OPTIONAL,
                                    "month-names", &months,
                                    G_MARKUP_COLLECT_STRING | G_MARKUP_COLLECT_OPTIONAL,
                                    "weekday-names", &weekdays,
                                    G_MARKUP_COLLECT_INVALID))
    return FALSE;

  if (g_strcmp0 (version, "1") != 0)
    {
      set_template_error (error, state->filename, state->tag_line,
                          STRIAE_SHEET_ERROR_UNKNOWN_ELEMENT,
                          _("This is version “%s” of the sheet format; only version 1 is "
                            "known."), version);
      return FALSE;
    }

  document->title = runs_from_attribute (state, title, error);
  if (document->title == NULL)
    return FALSE;
  document->default_section = g_strdup (default_section);
  document->date_format = g_strdup (date_format != NULL ? date_format : "{year}-{mm}-{dd}");
  if (!check_date_format (state, document->date_format, error))
    return FALSE;
  if (months != NULL)
    {
      if (!split_names (state, months, document->months, 12, "month-names", error))
        return FALSE;
    }
  else
    for (guint i = 0; i < 12; i++)
      document->months[i] = g_strdup (default_months[i]);
  if (weekdays != NULL)
    {
      if (!split_names (state, weekdays, document->weekdays, 7, "weekday-names", error))
        return FALSE;
    }
  else
    for (guint i = 0; i < 7; i++)
      document->weekdays[i] = g_strdup ("");
  return TRUE;
}

/* Checks that @label uses no {name} but its own, e.g. {page} and {pages} in "page". */
static gboolean
check_label_tokens (ParseState  *state,
                    StriaeLabel  label,
                    const char  *value,
                    GError     **error)
{
  for (const char *p = value; *p; p++)
    {
      const char *end;

      if (*p != '{')
        continue;
      end = strchr (p, '}');
      if (end == NULL || !name_is_known (label_info[label].tokens, p + 1, end - p - 1))
        {
          if (label_info[label].tokens[0] == NULL)
            set_template_error (error, state->filename, state->tag_line,
                                STRIAE_SHEET_ERROR_UNKNOWN_PLACEHOLDER,
                                _("The label “%s” may not use placeholders."),
                                label_info[label].key);
          else if (label_info[label].tokens[1] == NULL)
            /* TRANSLATORS: the key of a label, then the one {name} it may use, e.g. "n" */
            set_template_error (error, state->filename, state->tag_line,
                                STRIAE_SHEET_ERROR_UNKNOWN_PLACEHOLDER,
                                _("The label “%s” may only use {%s}."), label_info[label].key,
                                label_info[label].tokens[0]);
          else
            /* TRANSLATORS: the key of a label, then the two {names} it may use, e.g. "page"
             * and "pages" */
            set_template_error (error, state->filename, state->tag_line,
                                STRIAE_SHEET_ERROR_UNKNOWN_PLACEHOLDER,
                                _("The label “%s” may only use {%s} and {%s}."),
                                label_info[label].key, label_info[label].tokens[0],
                                label_info[label].tokens[1]);
          return FALSE;
        }
      p = end;
    }
  return TRUE;
}

static gboolean
parse_labels (ParseState   *state,
              const char  **names,
              const char  **values,
              GError      **error)
{
  StriaeDocument *document = &state->self->document;
  const char *found[STRIAE_N_LABELS] = { NULL };

  if (state->node != NULL || state->seen_labels)
    {
      set_template_error (error, state->filename, state->tag_line,
                          STRIAE_SHEET_ERROR_UNKNOWN_ELEMENT,
                          _("<labels> belongs inside <sheet>, once."));
      return FALSE;
    }
  state->seen_labels = TRUE;

  for (guint i = 0; names[i] != NULL; i++)
    {
      guint label;

      for (label = 0; label < STRIAE_N_LABELS; label++)
        if (strcmp (names[i], label_info[label].key) == 0)
          break;
      if (label == STRIAE_N_LABELS)
        {
          g_autoptr(GString) keys = g_string_new (NULL);

          for (guint k = 0; k < STRIAE_N_LABELS; k++)
            {
              if (k > 0)
                /* TRANSLATORS: separates the names of labels in a list */
                g_string_append (keys, _(", "));
              g_string_append (keys, label_info[k].key);
            }
          /* TRANSLATORS: the unknown name, then the list of known ones (not translated) */
          set_template_error (error, state->filename, state->tag_line,
                              STRIAE_SHEET_ERROR_UNKNOWN_ELEMENT,
                              _("Unknown label “%s”. The labels are: %s."), names[i], keys->str);
          return FALSE;
        }
      if (found[label] != NULL)
        {
          set_template_error (error, state->filename, state->tag_line,
                              STRIAE_SHEET_ERROR_UNKNOWN_ELEMENT,
                              _("The label “%s” is given twice."), names[i]);
          return FALSE;
        }
      if (!check_label_tokens (state, label, values[i], error))
        return FALSE;
      found[label] = values[i];
    }

  for (guint label = 0; label < STRIAE_N_LABELS; label++)
    if (found[label] != NULL)
      {
        g_autofree char *text = collapse_space (found[label], strlen (found[label]));

        document->labels[label] = g_strdup (g_strstrip (text));
      }
  return TRUE;
}

static StriaeNode *
new_node (ParseState      *state,
          StriaeNodeKind   kind,
          const char      *id,
          const char      *condition,
          GError         **error)
{
  StriaeSheetTemplate *self = state->self;
  g_autoptr(GPtrArray) holder = g_ptr_array_new_with_free_func (node_free);
  StriaeNode *node = g_new0 (StriaeNode, 1);

  g_ptr_array_add (holder, node);
  node->kind = kind;
  node->line = state->tag_line;
  node->children = g_ptr_array_new_with_free_func (node_free);

  if (id != NULL)
    {
      if (!id_is_valid (id))
        {
          set_template_error (error, state->filename, node->line, STRIAE_SHEET_ERROR_BAD_ID,
                              _("The id “%s” may only hold lower-case letters, digits and "
                                "hyphens."), id);
          return NULL;
        }
      if (g_hash_table_contains (self->document.ids, id))
        {
          StriaeNode *other = g_hash_table_lookup (self->document.ids, id);

          set_template_error (error, state->filename, node->line, STRIAE_SHEET_ERROR_BAD_ID,
                              _("The id “%s” is already used on line %d."), id, other->line);
          return NULL;
        }
      node->id = g_strdup (id);
    }

  if (condition != NULL && !parse_condition (state, node, condition, error))
    return NULL;

  if (node->id != NULL)
    g_hash_table_insert (self->document.ids, node->id, node);
  return g_ptr_array_steal_index (holder, 0);
}

static gboolean
photos_which_from_string (const char        *text,
                          StriaePhotosWhich *which)
{
  static const char * const names[] = {
    [STRIAE_PHOTOS_FIRST_LATEST] = "first-latest",
    [STRIAE_PHOTOS_LATEST] = "latest",
    [STRIAE_PHOTOS_ALL_BEFORE] = "all-before",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_strcmp0 (text, names[i]) == 0)
      {
        *which = (StriaePhotosWhich) i;
        return TRUE;
      }
  return FALSE;
}

static void
start_element_cb (GMarkupParseContext  *context,
                  const char           *element,
                  const char          **names,
                  const char          **values,
                  gpointer              user_data,
                  GError              **error)
{
  ParseState *state = user_data;
  StriaeNode *parent = state->node;
  StriaeNodeKind parent_kind = parent != NULL ? parent->kind : (StriaeNodeKind)-1;
  const char *id = NULL, *condition = NULL;
  StriaeNode *node = NULL;
  const char *expected_parent = NULL;
  gboolean ok = FALSE;

  state->tag_line = element_line (state, element);
  if (state->in_labels)
    {
      set_template_error (error, state->filename, state->tag_line,
                          STRIAE_SHEET_ERROR_UNKNOWN_ELEMENT,
                          _("<labels> holds no elements, only attributes."));
      return;
    }
  if (!state->seen_root)
    {
      if (strcmp (element, "sheet") != 0)
        {
          set_template_error (error, state->filename, state->tag_line,
                              STRIAE_SHEET_ERROR_UNKNOWN_ELEMENT,
                              _("A template starts with <sheet>, not <%s>."), element);
          return;
        }
      state->seen_root = TRUE;
      parse_root (state, names, values, error);
      return;
    }

  if (strcmp (element, "b") == 0)
    {
      if (state->open_runs == NULL || state->bold_depth > 0)
        {
          set_template_error (error, state->filename, state->tag_line,
                              STRIAE_SHEET_ERROR_UNKNOWN_ELEMENT,
                              _("<b> belongs inside <p>, <item> or <signature>, once."));
          return;
        }
      if (g_markup_collect_attributes (element, names, values, error,
                                       G_MARKUP_COLLECT_INVALID, NULL))
        state->bold_depth++;
      return;
    }

  if (strcmp (element, "labels") == 0)
    {
      if (parse_labels (state, names, values, error))
        state->in_labels = TRUE;
      return;
    }

  if (strcmp (element, "section") == 0)
    {
      const char *title = NULL;

      if (parent != NULL)
        {
          expected_parent = "sheet";
          goto misplaced;
        }
      if (!g_markup_collect_attributes (element, names, values, error,
                                        G_MARKUP_COLLECT_STRING, "id", &id,
                                        G_MARKUP_COLLECT_STRING, "title", &title,
                                        G_MARKUP_COLLECT_STRING | G_MARKUP_COLLECT_OPTIONAL,
                                        "if", &condition,
                                        G_MARKUP_COLLECT_INVALID))
        goto failed;
      node = new_node (state, STRIAE_NODE_SECTION, id, condition, error);
      if (node == NULL)
        return;
      g_ptr_array_add (state->self->document.sections, node);
      node->title = runs_from_attribute (state, title, error);
      ok = node->title != NULL;
    }
  else if (strcmp (element, "p") == 0 || strcmp (element, "signature") == 0)
    {
      if (parent_kind != STRIAE_NODE_SECTION)
        {
          expected_parent = "section";
          goto misplaced;
        }
      if (!g_markup_collect_attributes (element, names, values, error,
                                        G_MARKUP_COLLECT_STRING, "id", &id,
                                        G_MARKUP_COLLECT_STRING | G_MARKUP_COLLECT_OPTIONAL,
                                        "if", &condition,
                                        G_MARKUP_COLLECT_INVALID))
        goto failed;
      node = new_node (state,
                       element[0] == 'p' ? STRIAE_NODE_PARAGRAPH : STRIAE_NODE_SIGNATURE,
                       id, condition, error);
      if (node == NULL)
        return;
      g_ptr_array_add (parent->children, node);
      node->runs = g_ptr_array_new_with_free_func (run_free);
      state->open_runs = node->runs;
      ok = TRUE;
    }
  else if (strcmp (element, "list") == 0)
    {
      if (parent_kind != STRIAE_NODE_SECTION)
        {
          expected_parent = "section";
          goto misplaced;
        }
      if (!g_markup_collect_attributes (element, names, values, error,
                                        G_MARKUP_COLLECT_STRING | G_MARKUP_COLLECT_OPTIONAL,
                                        "id", &id,
                                        G_MARKUP_COLLECT_STRING | G_MARKUP_COLLECT_OPTIONAL,
                                        "if", &condition,
                                        G_MARKUP_COLLECT_INVALID))
        goto failed;
      node = new_node (state, STRIAE_NODE_LIST, id, condition, error);
      if (node == NULL)
        return;
      g_ptr_array_add (parent->children, node);
      ok = TRUE;
    }
  else if (strcmp (element, "item") == 0)
    {
      if (parent_kind != STRIAE_NODE_LIST)
        {
          expected_parent = "list";
          goto misplaced;
        }
      if (!g_markup_collect_attributes (element, names, values, error,
                                        G_MARKUP_COLLECT_STRING, "id", &id,
                                        G_MARKUP_COLLECT_STRING | G_MARKUP_COLLECT_OPTIONAL,
                                        "if", &condition,
                                        G_MARKUP_COLLECT_INVALID))
        goto failed;
      node = new_node (state, STRIAE_NODE_ITEM, id, condition, error);
      if (node == NULL)
        return;
      g_ptr_array_add (parent->children, node);
      node->runs = g_ptr_array_new_with_free_func (run_free);
      state->open_runs = node->runs;
      ok = TRUE;
    }
  else if (strcmp (element, "sessions") == 0)
    {
      const char *label_heading = NULL, *date_heading = NULL, *empty = NULL, *rows = NULL;

      if (parent_kind != STRIAE_NODE_SECTION)
        {
          expected_parent = "section";
          goto misplaced;
        }
      if (!g_markup_collect_attributes (element, names, values, error,
                                        G_MARKUP_COLLECT_STRING, "id", &id,
                                        G_MARKUP_COLLECT_STRING, "label-heading", &label_heading,
                                        G_MARKUP_COLLECT_STRING, "date-heading", &date_heading,
                                        G_MARKUP_COLLECT_STRING | G_MARKUP_COLLECT_OPTIONAL,
                                        "empty", &empty,
                                        G_MARKUP_COLLECT_STRING | G_MARKUP_COLLECT_OPTIONAL,
                                        "rows", &rows,
                                        G_MARKUP_COLLECT_STRING | G_MARKUP_COLLECT_OPTIONAL,
                                        "if", &condition,
                                        G_MARKUP_COLLECT_INVALID))
        goto failed;
      if (rows != NULL && strcmp (rows, "all") != 0 && strcmp (rows, "upcoming") != 0)
        {
          set_template_error (error, state->filename, current_line (state),
                              STRIAE_SHEET_ERROR_MARKUP,
                              _("rows=\"%s\" is not known; write rows=\"all\" or "
                                "rows=\"upcoming\"."), rows);
          return;
        }
      node = new_node (state, STRIAE_NODE_SESSIONS, id, condition, error);
      if (node == NULL)
        return;
      node->upcoming = g_strcmp0 (rows, "upcoming") == 0;
      g_ptr_array_add (parent->children, node);
      node->label_heading = runs_from_attribute (state, label_heading, error);
      if (node->label_heading == NULL)
        return;
      node->date_heading = runs_from_attribute (state, date_heading, error);
      if (node->date_heading == NULL)
        return;
      if (empty != NULL)
        {
          node->empty = runs_from_attribute (state, empty, error);
          if (node->empty == NULL)
            return;
        }
      ok = TRUE;
    }
  else if (strcmp (element, "photos") == 0)
    {
      const char *which = NULL, *empty = NULL;
      StriaePhotosWhich kind;

      if (parent_kind != STRIAE_NODE_SECTION)
        {
          expected_parent = "section";
          goto misplaced;
        }
      if (!g_markup_collect_attributes (element, names, values, error,
                                        G_MARKUP_COLLECT_STRING, "id", &id,
                                        G_MARKUP_COLLECT_STRING, "which", &which,
                                        G_MARKUP_COLLECT_STRING | G_MARKUP_COLLECT_OPTIONAL,
                                        "empty", &empty,
                                        G_MARKUP_COLLECT_STRING | G_MARKUP_COLLECT_OPTIONAL,
                                        "if", &condition,
                                        G_MARKUP_COLLECT_INVALID))
        goto failed;
      if (!photos_which_from_string (which, &kind))
        {
          set_template_error (error, state->filename, current_line (state),
                              STRIAE_SHEET_ERROR_MARKUP,
                              _("which=\"%s\" is not known; write which=\"first-latest\", "
                                "which=\"latest\" or which=\"all-before\"."), which);
          return;
        }
      node = new_node (state, STRIAE_NODE_PHOTOS, id, condition, error);
      if (node == NULL)
        return;
      node->which = kind;
      g_ptr_array_add (parent->children, node);
      if (empty != NULL)
        {
          node->empty = runs_from_attribute (state, empty, error);
          if (node->empty == NULL)
            return;
        }
      ok = TRUE;
    }
  else
    {
      set_template_error (error, state->filename, state->tag_line,
                          STRIAE_SHEET_ERROR_UNKNOWN_ELEMENT,
                          _("Unknown element <%s>."), element);
      return;
    }

  if (ok)
    {
      node->parent = parent;
      state->node = node;
    }
  return;

misplaced:
  set_template_error (error, state->filename, state->tag_line,
                      STRIAE_SHEET_ERROR_UNKNOWN_ELEMENT,
                      _("<%s> belongs inside <%s>."), element, expected_parent);
  return;

failed:
  /* GMarkup's own message names the attribute; add where it is. */
  {
    g_autofree char *message = g_strdup ((*error)->message);

    g_clear_error (error);
    set_template_error (error, state->filename, state->tag_line,
                        STRIAE_SHEET_ERROR_UNKNOWN_ELEMENT, "%s", message);
  }
}

static void
end_element_cb (GMarkupParseContext  *context,
                const char           *element,
                gpointer              user_data,
                GError              **error)
{
  ParseState *state = user_data;

  if (strcmp (element, "b") == 0)
    {
      state->bold_depth--;
      return;
    }
  if (strcmp (element, "sheet") == 0)
    return;
  if (strcmp (element, "labels") == 0)
    {
      state->in_labels = FALSE;
      return;
    }

  g_assert (state->node != NULL);
  if (state->node->runs != NULL && state->node->runs->len == 0)
    {
      set_template_error (error, state->filename, state->node->line,
                          STRIAE_SHEET_ERROR_UNKNOWN_ELEMENT,
                          _("<%s id=\"%s\"> has no text."), element, state->node->id);
      return;
    }
  if ((state->node->kind == STRIAE_NODE_LIST || state->node->kind == STRIAE_NODE_SECTION)
      && state->node->children->len == 0)
    {
      set_template_error (error, state->filename, state->node->line,
                          STRIAE_SHEET_ERROR_UNKNOWN_ELEMENT,
                          _("<%s> is empty."), element);
      return;
    }
  if (state->open_runs != NULL && state->open_runs == state->node->runs)
    state->open_runs = NULL;
  state->node = state->node->parent;
}

static void
text_cb (GMarkupParseContext  *context,
         const char           *text,
         gsize                 length,
         gpointer              user_data,
         GError              **error)
{
  ParseState *state = user_data;
  g_autofree char *copy = NULL;
  StriaeRun *run;
  int line;

  if (state->open_runs == NULL)
    {
      for (gsize i = 0; i < length; i++)
        if (!g_ascii_isspace (text[i]))
          {
            set_template_error (error, state->filename, current_line (state),
                                STRIAE_SHEET_ERROR_UNKNOWN_ELEMENT,
                                _("Text belongs inside <p>, <item> or <signature>."));
            return;
          }
      return;
    }

  /* GMarkup reports the position at the end of the text; count back to where it starts. */
  copy = g_strndup (text, length);
  line = current_line (state);
  for (gsize i = 0; i < length; i++)
    if (text[i] == '\n')
      line--;
  if (!check_placeholders (state, copy, line, error))
    return;

  run = g_new0 (StriaeRun, 1);
  run->text = collapse_space (text, length);
  run->bold = state->bold_depth > 0;
  if (*run->text == '\0')
    run_free (run);
  else
    g_ptr_array_add (state->open_runs, run);
}

static const GMarkupParser parser = {
  start_element_cb,
  end_element_cb,
  text_cb,
  NULL,
  NULL,
};

static gboolean
parse_document (StriaeSheetTemplate *self,
                const char          *data,
                gssize               length,
                const char          *filename,
                const char * const  *placeholders,
                const char * const  *facts,
                GError             **error)
{
  ParseState state = { 0 };
  g_autoptr(GError) local_error = NULL;
  gboolean ok;

  state.self = self;
  state.data = data;
  state.length = length >= 0 ? (gsize)length : strlen (data);
  state.filename = filename;
  state.placeholders = placeholders != NULL ? placeholders : striae_sheet_default_placeholders ();
  state.facts = facts != NULL ? facts : striae_sheet_default_facts ();
  state.context = g_markup_parse_context_new (&parser, G_MARKUP_TREAT_CDATA_AS_TEXT,
                                              &state, NULL);

  ok = g_markup_parse_context_parse (state.context, data, length, &local_error)
       && g_markup_parse_context_end_parse (state.context, &local_error);

  if (!ok && local_error->domain != STRIAE_SHEET_ERROR)
    {
      /* GMarkup says "Error on line 3 char 7: …"; keep its text and lead with the file. */
      g_set_error (error, STRIAE_SHEET_ERROR, STRIAE_SHEET_ERROR_MARKUP, "%s:%d: %s",
                   filename, current_line (&state), local_error->message);
    }
  else if (!ok)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else if (!state.seen_root)
    {
      g_set_error (error, STRIAE_SHEET_ERROR, STRIAE_SHEET_ERROR_MARKUP,
                   _("%s:%d: The file is empty."), filename, 1);
      ok = FALSE;
    }
  else if (self->document.default_section != NULL)
    {
      StriaeNode *section = g_hash_table_lookup (self->document.ids,
                                                 self->document.default_section);

      if (section == NULL || section->kind != STRIAE_NODE_SECTION)
        {
          g_set_error (error, STRIAE_SHEET_ERROR, STRIAE_SHEET_ERROR_BAD_ID,
                       _("%s:%d: The default section “%s” is not a section of this sheet."),
                       filename, 1, self->document.default_section);
          ok = FALSE;
        }
    }

  g_markup_parse_context_free (state.context);
  return ok;
}

/* ---------------------------------------------------------------------------------------- */
/* Loading                                                                                   */

/**
 * striae_sheet_template_new_from_data:
 * @data: the XML text
 * @length: its length, or -1 if nul-terminated
 * @filename: the name to use in error messages
 * @placeholders: (nullable) (array zero-terminated=1): the known placeholder names, or %NULL
 *   for striae_sheet_default_placeholders()
 * @facts: (nullable) (array zero-terminated=1): the known fact names, or %NULL for
 *   striae_sheet_default_facts()
 *
 * Parses a template.  The name is the file's base name without ".xml", the language the name
 * of the folder holding it; the source is @filename.
 *
 * Returns: (transfer full): the template, or %NULL with @error set; the message starts with
 *   "@filename:LINE: "
 */
StriaeSheetTemplate *
striae_sheet_template_new_from_data (const char          *data,
                                     gssize               length,
                                     const char          *filename,
                                     const char * const  *placeholders,
                                     const char * const  *facts,
                                     GError             **error)
{
  g_autoptr(StriaeSheetTemplate) self = NULL;
  g_autofree char *base = NULL;
  g_autofree char *dir = NULL;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (filename != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (STRIAE_TYPE_SHEET_TEMPLATE, NULL);
  if (!parse_document (self, data, length, filename, placeholders, facts, error))
    return NULL;

  base = g_path_get_basename (filename);
  if (g_str_has_suffix (base, ".xml"))
    base[strlen (base) - 4] = '\0';
  dir = g_path_get_dirname (filename);
  self->name = g_steal_pointer (&base);
  self->language = g_path_get_basename (dir);
  self->source = g_strdup (filename);
  return g_steal_pointer (&self);
}

/**
 * striae_sheet_template_new_from_file:
 * @path: a template file
 *
 * Like striae_sheet_template_new_from_data() for a file.
 *
 * Returns: (transfer full): the template, or %NULL with @error set
 */
StriaeSheetTemplate *
striae_sheet_template_new_from_file (const char          *path,
                                     const char * const  *placeholders,
                                     const char * const  *facts,
                                     GError             **error)
{
  g_autofree char *data = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_file_get_contents (path, &data, &length, &local_error))
    {
      g_set_error (error, STRIAE_SHEET_ERROR, STRIAE_SHEET_ERROR_NOT_FOUND,
                   _("%s:%d: The template could not be read: %s"), path, 0,
                   local_error->message);
      return NULL;
    }
  return striae_sheet_template_new_from_data (data, length, path, placeholders, facts, error);
}

static gboolean
name_is_safe (const char *name)
{
  /* Names become file names: refuse anything that could leave the folder. */
  return name != NULL && *name != '\0' && *name != '.' && strchr (name, '/') == NULL
         && strchr (name, '\\') == NULL && strlen (name) <= 64;
}

/**
 * striae_sheet_template_dup_default_override_dir:
 *
 * Returns: (transfer full): g_get_user_config_dir()/striae/sheets, where a clinic places
 *   its own templates as <lang>/<name>.xml
 */
char *
striae_sheet_template_dup_default_override_dir (void)
{
  return g_build_filename (g_get_user_config_dir (), "striae", "sheets", NULL);
}

/**
 * striae_sheet_template_load:
 * @name: a template name such as "aftercare" (see striae_sheet_template_names())
 * @language: a language code such as "en"
 * @override_dir: (nullable): the folder holding a clinic's <lang>/<name>.xml, or %NULL for
 *   striae_sheet_template_dup_default_override_dir()
 * @placeholders: (nullable) (array zero-terminated=1): known placeholders, or %NULL for the
 *   defaults
 * @facts: (nullable) (array zero-terminated=1): known facts, or %NULL for the defaults
 * @warning: (out) (optional) (nullable) (transfer full): set when the clinic's template was
 *   refused and the shipped one is used: a sentence to show, naming file and line
 *
 * Loads the clinic's template if there is one and it is valid, else the shipped one.
 * striae_sheet_template_get_source() says which: the file's path or "built-in".
 *
 * Returns: (transfer full): the template, or %NULL with @error set when neither exists or
 *   is usable
 */
StriaeSheetTemplate *
striae_sheet_template_load (const char          *name,
                            const char          *language,
                            const char          *override_dir,
                            const char * const  *placeholders,
                            const char * const  *facts,
                            char               **warning,
                            GError             **error)
{
  g_autofree char *default_dir = NULL;
  g_autofree char *file_name = NULL;
  g_autofree char *override_path = NULL;
  g_autofree char *resource_path = NULL;
  g_autofree char *display_name = NULL;
  g_autoptr(GError) override_error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(StriaeSheetTemplate) self = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (warning != NULL)
    *warning = NULL;

  if (!name_is_safe (name) || !name_is_safe (language))
    {
      g_set_error (error, STRIAE_SHEET_ERROR, STRIAE_SHEET_ERROR_NOT_FOUND,
                   _("“%s” in “%s” is not a sheet name."),
                   name != NULL ? name : "", language != NULL ? language : "");
      return NULL;
    }

  if (override_dir == NULL)
    override_dir = default_dir = striae_sheet_template_dup_default_override_dir ();
  file_name = g_strconcat (name, ".xml", NULL);
  override_path = g_build_filename (override_dir, language, file_name, NULL);

  if (g_file_test (override_path, G_FILE_TEST_EXISTS))
    {
      self = striae_sheet_template_new_from_file (override_path, placeholders, facts,
                                                  &override_error);
      if (self != NULL)
        {
          g_free (self->name);
          self->name = g_strdup (name);
          g_free (self->language);
          self->language = g_strdup (language);
          return g_steal_pointer (&self);
        }
    }

  resource_path = g_strconcat (RESOURCE_PREFIX, language, "/", file_name, NULL);
  bytes = g_resource_lookup_data (_striae_sheets_resource (), resource_path,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  if (bytes == NULL)
    {
      if (override_error != NULL)
        g_propagate_error (error, g_steal_pointer (&override_error));
      else
        g_set_error (error, STRIAE_SHEET_ERROR, STRIAE_SHEET_ERROR_NOT_FOUND,
                     _("There is no “%s” sheet in the language “%s”. Add %s to offer one."),
                     name, language, override_path);
      return NULL;
    }

  /* Errors in a shipped template name the file as it is in the source tree. */
  display_name = g_build_filename ("data", "sheets", language, file_name, NULL);
  self = striae_sheet_template_new_from_data (g_bytes_get_data (bytes, NULL),
                                              g_bytes_get_size (bytes), display_name,
                                              placeholders, facts, error);
  if (self == NULL)
    return NULL;

  g_free (self->source);
  self->source = g_strdup (STRIAE_SHEET_SOURCE_BUILT_IN);
  g_free (self->language);
  self->language = g_strdup (language);

  if (override_error != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The clinic’s template was not used because "
                                                 "it has an error; the standard text is "
                                                 "printed instead. %s"),
                                               override_error->message);
      g_info ("%s", text);
      if (warning != NULL)
        *warning = g_steal_pointer (&text);
    }

  return g_steal_pointer (&self);
}

/* ---------------------------------------------------------------------------------------- */
/* Queries                                                                                   */

const char *
striae_sheet_template_get_name (StriaeSheetTemplate *self)
{
  g_return_val_if_fail (STRIAE_IS_SHEET_TEMPLATE (self), NULL);

  return self->name;
}

const char *
striae_sheet_template_get_language (StriaeSheetTemplate *self)
{
  g_return_val_if_fail (STRIAE_IS_SHEET_TEMPLATE (self), NULL);

  return self->language;
}

/**
 * striae_sheet_template_get_source:
 *
 * Returns: the path of the file the template came from, or "built-in"
 */
const char *
striae_sheet_template_get_source (StriaeSheetTemplate *self)
{
  g_return_val_if_fail (STRIAE_IS_SHEET_TEMPLATE (self), NULL);

  return self->source;
}

gboolean
striae_sheet_template_is_built_in (StriaeSheetTemplate *self)
{
  g_return_val_if_fail (STRIAE_IS_SHEET_TEMPLATE (self), FALSE);

  return g_strcmp0 (self->source, STRIAE_SHEET_SOURCE_BUILT_IN) == 0;
}

static char *
runs_to_text (GPtrArray *runs)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; runs != NULL && i < runs->len; i++)
    g_string_append (text, ((StriaeRun *)g_ptr_array_index (runs, i))->text);
  return g_strstrip (g_string_free (text, FALSE));
}

/**
 * striae_sheet_template_dup_title:
 *
 * Returns: (transfer full): the sheet's title as written, placeholders included
 */
char *
striae_sheet_template_dup_title (StriaeSheetTemplate *self)
{
  g_return_val_if_fail (STRIAE_IS_SHEET_TEMPLATE (self), NULL);

  return runs_to_text (self->document.title);
}

static void
collect_ids (GPtrArray    *nodes,
             GStrvBuilder *builder)
{
  for (guint i = 0; i < nodes->len; i++)
    {
      StriaeNode *node = g_ptr_array_index (nodes, i);

      if (node->id != NULL)
        g_strv_builder_add (builder, node->id);
      collect_ids (node->children, builder);
    }
}

/**
 * striae_sheet_template_dup_ids:
 *
 * Returns: (transfer full): every id in the template, in document order: sections,
 *   paragraphs, lists that have one, items, session tables and signatures
 */
char **
striae_sheet_template_dup_ids (StriaeSheetTemplate *self)
{
  GStrvBuilder *builder;
  char **ids;

  g_return_val_if_fail (STRIAE_IS_SHEET_TEMPLATE (self), NULL);

  builder = g_strv_builder_new ();
  collect_ids (self->document.sections, builder);
  ids = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return ids;
}

gboolean
striae_sheet_template_has_id (StriaeSheetTemplate *self,
                              const char          *id)
{
  g_return_val_if_fail (STRIAE_IS_SHEET_TEMPLATE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  return g_hash_table_contains (self->document.ids, id);
}

/**
 * striae_sheet_template_dup_item_text:
 * @id: an id of this template
 *
 * Returns: (transfer full) (nullable): the text as written (placeholders included): a
 *   section's heading, a table's column headings, an item's or paragraph's text; %NULL if
 *   there is no such id
 */
char *
striae_sheet_template_dup_item_text (StriaeSheetTemplate *self,
                                     const char          *id)
{
  StriaeNode *node;

  g_return_val_if_fail (STRIAE_IS_SHEET_TEMPLATE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  node = g_hash_table_lookup (self->document.ids, id);
  if (node == NULL)
    return NULL;
  switch (node->kind)
    {
    case STRIAE_NODE_SECTION:
      return runs_to_text (node->title);
    case STRIAE_NODE_SESSIONS:
      {
        g_autofree char *a = runs_to_text (node->label_heading);
        g_autofree char *b = runs_to_text (node->date_heading);

        return g_strconcat (a, " ", b, NULL);
      }
    case STRIAE_NODE_LIST:
      return g_strdup ("");
    case STRIAE_NODE_PHOTOS:
      return node->empty != NULL ? runs_to_text (node->empty) : g_strdup ("");
    case STRIAE_NODE_PARAGRAPH:
    case STRIAE_NODE_ITEM:
    case STRIAE_NODE_SIGNATURE:
    default:
      return runs_to_text (node->runs);
    }
}

/* The printed sheet's blank line for a placeholder nobody filled in (striae-sheet.c). */
#define FILLED_BLANK "____________"

/* The values a sheet fills its placeholders with: the caller's, then the dates in the
 * template's own words (today when the context names no date). */
GHashTable *
_striae_sheet_template_dup_values (StriaeSheetTemplate *self,
                                   StriaeSheetContext  *context)
{
  GHashTable *values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  const GDate *birth = striae_sheet_context_get_birth_date (context);
  const GDate *date = striae_sheet_context_get_date (context);
  GHashTableIter iter;
  gpointer key, value;
  GDate today;

  g_hash_table_iter_init (&iter, _striae_sheet_context_get_values (context));
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_replace (values, g_strdup (key), g_strdup (value));
  if (birth != NULL)
    g_hash_table_replace (values, g_strdup ("patient.birth_date"),
                          _striae_document_format_date (&self->document, birth, FALSE));
  if (date == NULL)
    {
      striae_get_today (&today);
      date = &today;
    }
  g_hash_table_replace (values, g_strdup ("sheet.date"),
                        _striae_document_format_date (&self->document, date, FALSE));
  return values;
}

void
_striae_sheet_text_expand (const char            *text,
                           StriaeTextFunc         on_text,
                           StriaePlaceholderFunc  on_placeholder,
                           gpointer               user_data)
{
  const char *p = text;

  while (*p)
    {
      const char *brace = strpbrk (p, "{}");
      const char *end;

      if (brace == NULL)
        {
          on_text (p, strlen (p), user_data);
          break;
        }
      if (brace > p)
        on_text (p, brace - p, user_data);
      if (brace[0] == brace[1])
        {
          on_text (brace, 1, user_data);
          p = brace + 2;
        }
      else if (*brace == '}' || (end = strchr (brace, '}')) == NULL)
        {
          on_text (brace, 1, user_data);
          p = brace + 1;
        }
      else
        {
          g_autofree char *name = g_strndup (brace + 1, end - brace - 1);

          on_placeholder (name, user_data);
          p = end + 1;
        }
    }
}

typedef struct
{
  GHashTable *values;
  GString    *out;
} Fill;

static void
fill_text (const char *text,
           gsize       length,
           gpointer    user_data)
{
  Fill *fill = user_data;

  g_string_append_len (fill->out, text, length);
}

static void
fill_placeholder (const char *name,
                  gpointer    user_data)
{
  Fill *fill = user_data;
  const char *value = g_hash_table_lookup (fill->values, name);

  g_string_append (fill->out, value != NULL ? value : FILLED_BLANK);
}

/**
 * striae_sheet_template_dup_item_text_filled:
 * @id: an id of this template
 * @context: the inputs of one patient's sheet, e.g. striae_sheet_compose_context()
 *
 * The text of @id as the sheet prints it for @context, as plain text: each `{name}` replaced
 * by its value (the dates in the template's words), a placeholder without a value by the
 * printed blank line to fill in by hand, and `{{` and `}}` by single braces.
 *
 * Returns: (transfer full) (nullable): the filled text, %NULL if there is no such id
 */
char *
striae_sheet_template_dup_item_text_filled (StriaeSheetTemplate *self,
                                            const char          *id,
                                            StriaeSheetContext  *context)
{
  g_autoptr(GHashTable) values = NULL;
  g_autofree char *text = NULL;
  Fill fill;
  GString *out;

  g_return_val_if_fail (STRIAE_IS_SHEET_TEMPLATE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (STRIAE_IS_SHEET_CONTEXT (context), NULL);

  text = striae_sheet_template_dup_item_text (self, id);
  if (text == NULL)
    return NULL;

  values = _striae_sheet_template_dup_values (self, context);
  out = g_string_new (NULL);
  fill.values = values;
  fill.out = out;
  _striae_sheet_text_expand (text, fill_text, fill_placeholder, &fill);
  return g_string_free (out, FALSE);
}

/**
 * striae_sheet_template_get_item_condition:
 * @id: an id of this template
 *
 * Returns: (nullable): the element's own condition as written (e.g. "rf !minor"), or %NULL
 *   if it has none; the conditions of enclosing elements apply as well
 */
const char *
striae_sheet_template_get_item_condition (StriaeSheetTemplate *self,
                                          const char          *id)
{
  StriaeNode *node;

  g_return_val_if_fail (STRIAE_IS_SHEET_TEMPLATE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  node = g_hash_table_lookup (self->document.ids, id);
  return node != NULL ? node->condition : NULL;
}

/**
 * striae_sheet_template_is_item:
 * @id: an id of this template
 *
 * Returns: %TRUE if @id names a bullet item (not a section, paragraph, list, session table
 *   or signature)
 */
gboolean
striae_sheet_template_is_item (StriaeSheetTemplate *self,
                               const char          *id)
{
  StriaeNode *node;

  g_return_val_if_fail (STRIAE_IS_SHEET_TEMPLATE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  node = g_hash_table_lookup (self->document.ids, id);
  return node != NULL && node->kind == STRIAE_NODE_ITEM;
}

/**
 * striae_sheet_template_item_holds:
 * @id: an id of this template
 * @facts: (nullable): the facts that hold, e.g. striae_recommendation_get_facts()
 *
 * Whether the conditions of @id and of every element around it hold for @facts, that is,
 * whether it prints unless it is struck.
 *
 * Returns: %TRUE if they hold; %FALSE if not, or if there is no such id
 */
gboolean
striae_sheet_template_item_holds (StriaeSheetTemplate *self,
                                  const char          *id,
                                  const char * const  *facts)
{
  StriaeNode *node;

  g_return_val_if_fail (STRIAE_IS_SHEET_TEMPLATE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  node = g_hash_table_lookup (self->document.ids, id);
  if (node == NULL)
    return FALSE;

  for (; node != NULL; node = node->parent)
    for (guint i = 0; node->terms != NULL && node->terms[i] != NULL; i++)
      {
        const char *term = node->terms[i];
        gboolean negate = term[0] == '!';
        gboolean holds = facts != NULL &&
                         g_strv_contains (facts, negate ? term + 1 : term);

        if (holds == negate)
          return FALSE;
      }
  return TRUE;
}

/**
 * striae_sheet_template_get_item_section:
 * @id: an id of this template
 *
 * Returns: (nullable): the id of the section holding @id (a section's own id for a section)
 */
const char *
striae_sheet_template_get_item_section (StriaeSheetTemplate *self,
                                        const char          *id)
{
  StriaeNode *node;

  g_return_val_if_fail (STRIAE_IS_SHEET_TEMPLATE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  node = g_hash_table_lookup (self->document.ids, id);
  while (node != NULL && node->kind != STRIAE_NODE_SECTION)
    node = node->parent;
  return node != NULL ? node->id : NULL;
}

static int
label_from_key (const char *key)
{
  for (guint i = 0; i < STRIAE_N_LABELS; i++)
    if (g_strcmp0 (key, label_info[i].key) == 0)
      return i;
  return -1;
}

/**
 * striae_sheet_template_get_label:
 * @key: a key of <labels>: "page", "patient", "birth-date", "date", "signature",
 *   "signature-date", "session" or "maintenance"
 *
 * The words the sheet prints around its content, in the template's language.
 *
 * Returns: (nullable): the label as the template writes it, its English default when the
 *   template does not set it, or %NULL for an unknown key
 */
const char *
striae_sheet_template_get_label (StriaeSheetTemplate *self,
                                 const char          *key)
{
  int label;

  g_return_val_if_fail (STRIAE_IS_SHEET_TEMPLATE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  label = label_from_key (key);
  if (label < 0)
    return NULL;
  return _striae_document_get_label (&self->document, label);
}

/**
 * striae_sheet_template_has_label:
 * @key: a key of <labels>
 *
 * Returns: %TRUE when the template sets the label itself rather than leaving the English
 *   default
 */
gboolean
striae_sheet_template_has_label (StriaeSheetTemplate *self,
                                 const char          *key)
{
  int label;

  g_return_val_if_fail (STRIAE_IS_SHEET_TEMPLATE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  label = label_from_key (key);
  return label >= 0 && self->document.labels[label] != NULL;
}

/**
 * striae_sheet_template_dup_session_label:
 * @number: the session's number, from 1
 *
 * Returns: (transfer full): the first column of a row of the sessions table in the
 *   template's language, e.g. "Sitzung 2"
 */
char *
striae_sheet_template_dup_session_label (StriaeSheetTemplate *self,
                                         guint                number)
{
  g_return_val_if_fail (STRIAE_IS_SHEET_TEMPLATE (self), NULL);

  return _striae_document_format_label (&self->document, STRIAE_LABEL_SESSION, number, 0);
}

const char *
_striae_document_get_label (const StriaeDocument *document,
                            StriaeLabel           label)
{
  g_assert (label < STRIAE_N_LABELS);

  return document->labels[label] != NULL ? document->labels[label] : label_info[label].english;
}

/* Fills a label's numbers: {page} and {n} take @first, {pages} takes @second. */
char *
_striae_document_format_label (const StriaeDocument *document,
                               StriaeLabel           label,
                               guint                 first,
                               guint                 second)
{
  const char *text = _striae_document_get_label (document, label);
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p; p++)
    {
      const char *end;

      if (*p != '{' || (end = strchr (p, '}')) == NULL)
        {
          g_string_append_c (out, *p);
          continue;
        }
      if (end - p - 1 == 5 && strncmp (p + 1, "pages", 5) == 0)
        g_string_append_printf (out, "%u", second);
      else
        g_string_append_printf (out, "%u", first);
      p = end;
    }
  return g_string_free (out, FALSE);
}

const StriaeDocument *
_striae_sheet_template_get_document (StriaeSheetTemplate *self)
{
  return &self->document;
}

/* Formats a date with the template's own month and weekday names, so that the sheet's
 * language decides, not the computer's locale.  A date of birth has no use for its weekday:
 * without @weekday, {weekday} and the punctuation after it are left out. */
char *
_striae_document_format_date (const StriaeDocument *document,
                              const GDate          *date,
                              gboolean              weekday)
{
  GString *out = g_string_new (NULL);
  const char *format = document->date_format;

  for (const char *p = format; *p; p++)
    {
      const char *end;

      if (*p != '{' || (end = strchr (p, '}')) == NULL)
        {
          g_string_append_c (out, *p);
          continue;
        }
#define TOKEN(t) (end - p - 1 == (int)strlen (t) && strncmp (p + 1, t, end - p - 1) == 0)
      if (TOKEN ("weekday") && !weekday)
        {
          while (end[1] == ' ' || end[1] == ',')
            end++;
        }
      else if (TOKEN ("weekday"))
        g_string_append (out, document->weekdays[g_date_get_weekday (date) - 1]);
      else if (TOKEN ("day"))
        g_string_append_printf (out, "%u", g_date_get_day (date));
      else if (TOKEN ("dd"))
        g_string_append_printf (out, "%02u", g_date_get_day (date));
      else if (TOKEN ("month"))
        g_string_append (out, document->months[g_date_get_month (date) - 1]);
      else if (TOKEN ("mm"))
        g_string_append_printf (out, "%02u", (guint)g_date_get_month (date));
      else if (TOKEN ("year"))
        g_string_append_printf (out, "%u", g_date_get_year (date));
#undef TOKEN
      p = end;
    }
  return g_strstrip (g_string_free (out, FALSE));
}
