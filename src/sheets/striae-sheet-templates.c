/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "striae-sheet-templates.h"

/* The templates of one stack of sheets (the day's batch), each read and parsed once rather
 * than once a sheet. Sharing one template also lets the sheets share the paragraphs it lays
 * out (the layout cache of striae-sheet.c belongs to the template). What a load answered,
 * a missing translation included, is answered again: a template changed on the disk in the
 * middle of a batch is read by the next batch. */

typedef struct
{
  StriaeSheetTemplate *template;
  char                *warning;
  GError              *error;
} Entry;

struct _StriaeSheetTemplates
{
  GObject     parent_instance;

  GMutex      lock;
  GHashTable *entries;  /* name, language and folder → Entry */
};

G_DEFINE_FINAL_TYPE (StriaeSheetTemplates, striae_sheet_templates, G_TYPE_OBJECT)

static void
entry_free (Entry *entry)
{
  g_clear_object (&entry->template);
  g_clear_pointer (&entry->warning, g_free);
  g_clear_error (&entry->error);
  g_free (entry);
}

static void
striae_sheet_templates_finalize (GObject *object)
{
  StriaeSheetTemplates *self = STRIAE_SHEET_TEMPLATES (object);

  g_clear_pointer (&self->entries, g_hash_table_unref);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (striae_sheet_templates_parent_class)->finalize (object);
}

static void
striae_sheet_templates_class_init (StriaeSheetTemplatesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = striae_sheet_templates_finalize;
}

static void
striae_sheet_templates_init (StriaeSheetTemplates *self)
{
  g_mutex_init (&self->lock);
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) entry_free);
}

/**
 * striae_sheet_templates_new:
 *
 * Returns: (transfer full): an empty set of templates, for one stack of sheets
 */
StriaeSheetTemplates *
striae_sheet_templates_new (void)
{
  return g_object_new (STRIAE_TYPE_SHEET_TEMPLATES, NULL);
}

/**
 * striae_sheet_templates_load:
 * @facts: the facts the template may name; the same for every call on @self
 *
 * striae_sheet_template_load() (without placeholders) for @name in @language, read the first
 * time it is asked for; later calls answer the same, the same warning or error included.
 * Safe to call from several threads.
 *
 * Returns: (transfer full): the template, or %NULL with @error set
 */
StriaeSheetTemplate *
striae_sheet_templates_load (StriaeSheetTemplates  *self,
                             const char            *name,
                             const char            *language,
                             const char            *override_dir,
                             const char * const    *facts,
                             char                 **warning,
                             GError               **error)
{
  g_autofree char *key = NULL;
  Entry *entry;

  g_return_val_if_fail (STRIAE_IS_SHEET_TEMPLATES (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (warning != NULL)
    *warning = NULL;
  key = g_strjoin ("\n", name ? name : "", language ? language : "",
                   override_dir ? override_dir : "", NULL);

  g_mutex_lock (&self->lock);
  entry = g_hash_table_lookup (self->entries, key);
  if (entry == NULL)
    {
      entry = g_new0 (Entry, 1);
      entry->template = striae_sheet_template_load (name, language, override_dir, NULL, facts,
                                                    &entry->warning, &entry->error);
      g_hash_table_insert (self->entries, g_steal_pointer (&key), entry);
    }
  if (entry->template == NULL)
    g_propagate_error (error, g_error_copy (entry->error));
  else if (warning != NULL)
    *warning = g_strdup (entry->warning);
  g_mutex_unlock (&self->lock);

  return entry->template != NULL ? g_object_ref (entry->template) : NULL;
}
