/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"


#include "striae-consultation.h"
#include "striae-core-enums.h"
#include "striae-core-private.h"
#include "striae-plan-private.h"

struct _StriaeConsultation
{
  GObject                   parent_instance;

  gint64                    id;
  gint64                    patient_id;
  GDate                     date;
  char                     *practitioner;
  StriaeConsultationStatus  status;
  guint                     revision;

  StriaeHistory            *history;
  StriaeSkin               *skin;
  GListStore               *areas;
  GPtrArray                *watched_areas;
  StriaePlan               *plan;

  GPtrArray                *acknowledged;  /* sorted finding ids */
  GStrv                     added_items;
  GPtrArray                *struck_items;  /* sorted sheet item ids, NULL-terminated */

  guint                     rules_format;
  char                     *rules_hash;

  /* [lifecycle] signed without treatment: why, and when to see the patient again. */
  gboolean                  not_treated;
  char                     *not_treated_reason;
  GDate                     see_again;         /* cleared for none */
  char                     *amendment_reason;  /* why this revision corrects the last */

  /* Record metadata, not part of the document: which stored revision this is a copy of. */
  char                     *stored_stamp;
  char                     *local_id;
};

G_DEFINE_FINAL_TYPE (StriaeConsultation, striae_consultation, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_PATIENT_ID,
  PROP_DATE,
  PROP_PRACTITIONER,
  PROP_STATUS,
  PROP_REVISION,
  PROP_HISTORY,
  PROP_SKIN,
  PROP_AREAS,
  PROP_PLAN,
  PROP_RULES_FORMAT,
  PROP_RULES_HASH,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties [N_PROPS];
static guint signals [N_SIGNALS];

static void
emit_changed (StriaeConsultation *self)
{
  g_signal_emit (self, signals [CHANGED], 0);
}

static void
notify_changed (StriaeConsultation *self,
                int                 prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties [prop]);
  emit_changed (self);
}

static void
part_changed_cb (StriaeConsultation *self)
{
  emit_changed (self);
}

/* Each area in the list forwards its changes; the list is small, so on every change of the
 * list we simply connect to the areas it now holds. */
static void
areas_items_changed_cb (StriaeConsultation *self,
                        guint               position,
                        guint               removed,
                        guint               added,
                        GListModel         *model)
{
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < self->watched_areas->len; i++)
    g_signal_handlers_disconnect_by_func (g_ptr_array_index (self->watched_areas, i),
                                          part_changed_cb, self);
  g_ptr_array_set_size (self->watched_areas, 0);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(StriaeArea) area = g_list_model_get_item (model, i);

      g_signal_connect_swapped (area, "changed", G_CALLBACK (part_changed_cb), self);
      g_ptr_array_add (self->watched_areas, g_object_ref (area));
    }

  emit_changed (self);
}

static void
striae_consultation_dispose (GObject *object)
{
  StriaeConsultation *self = (StriaeConsultation *)object;

  if (self->watched_areas)
    {
      for (guint i = 0; i < self->watched_areas->len; i++)
        g_signal_handlers_disconnect_by_func (g_ptr_array_index (self->watched_areas, i),
                                              part_changed_cb, self);
      g_clear_pointer (&self->watched_areas, g_ptr_array_unref);
    }

  if (self->areas)
    g_signal_handlers_disconnect_by_func (self->areas, areas_items_changed_cb, self);
  g_clear_object (&self->areas);
  g_clear_object (&self->history);
  g_clear_object (&self->skin);
  g_clear_object (&self->plan);

  G_OBJECT_CLASS (striae_consultation_parent_class)->dispose (object);
}

static void
striae_consultation_finalize (GObject *object)
{
  StriaeConsultation *self = (StriaeConsultation *)object;

  g_clear_pointer (&self->practitioner, g_free);
  g_clear_pointer (&self->acknowledged, g_ptr_array_unref);
  g_clear_pointer (&self->added_items, g_strfreev);
  g_clear_pointer (&self->struck_items, g_ptr_array_unref);
  g_clear_pointer (&self->rules_hash, g_free);
  g_clear_pointer (&self->not_treated_reason, g_free);
  g_clear_pointer (&self->amendment_reason, g_free);
  g_clear_pointer (&self->stored_stamp, g_free);
  g_clear_pointer (&self->local_id, g_free);

  G_OBJECT_CLASS (striae_consultation_parent_class)->finalize (object);
}

static void
striae_consultation_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  StriaeConsultation *self = STRIAE_CONSULTATION (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_PATIENT_ID:
      g_value_set_int64 (value, self->patient_id);
      break;
    case PROP_DATE:
      g_value_set_boxed (value, striae_date_or_null (&self->date));
      break;
    case PROP_PRACTITIONER:
      g_value_set_string (value, self->practitioner);
      break;
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case PROP_REVISION:
      g_value_set_uint (value, self->revision);
      break;
    case PROP_HISTORY:
      g_value_set_object (value, self->history);
      break;
    case PROP_SKIN:
      g_value_set_object (value, self->skin);
      break;
    case PROP_AREAS:
      g_value_set_object (value, self->areas);
      break;
    case PROP_PLAN:
      g_value_set_object (value, self->plan);
      break;
    case PROP_RULES_FORMAT:
      g_value_set_uint (value, self->rules_format);
      break;
    case PROP_RULES_HASH:
      g_value_set_string (value, self->rules_hash);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_consultation_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  StriaeConsultation *self = STRIAE_CONSULTATION (object);

  switch (prop_id)
    {
    case PROP_ID:
      striae_consultation_set_id (self, g_value_get_int64 (value));
      break;
    case PROP_PATIENT_ID:
      striae_consultation_set_patient_id (self, g_value_get_int64 (value));
      break;
    case PROP_DATE:
      striae_consultation_set_date (self, g_value_get_boxed (value));
      break;
    case PROP_PRACTITIONER:
      striae_consultation_set_practitioner (self, g_value_get_string (value));
      break;
    case PROP_STATUS:
      striae_consultation_set_status (self, g_value_get_enum (value));
      break;
    case PROP_REVISION:
      striae_consultation_set_revision (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_consultation_class_init (StriaeConsultationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->dispose = striae_consultation_dispose;
  object_class->finalize = striae_consultation_finalize;
  object_class->get_property = striae_consultation_get_property;
  object_class->set_property = striae_consultation_set_property;

  properties [PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties [PROP_PATIENT_ID] =
    g_param_spec_int64 ("patient-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties [PROP_DATE] = g_param_spec_boxed ("date", NULL, NULL, G_TYPE_DATE, flags);
  properties [PROP_PRACTITIONER] = g_param_spec_string ("practitioner", NULL, NULL, "", flags);
  properties [PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, STRIAE_TYPE_CONSULTATION_STATUS,
                       STRIAE_CONSULTATION_STATUS_DRAFT, flags);
  properties [PROP_REVISION] =
    g_param_spec_uint ("revision", NULL, NULL, 1, G_MAXUINT, 1, flags);
  properties [PROP_HISTORY] =
    g_param_spec_object ("history", NULL, NULL, STRIAE_TYPE_HISTORY, ro);
  properties [PROP_SKIN] = g_param_spec_object ("skin", NULL, NULL, STRIAE_TYPE_SKIN, ro);
  properties [PROP_AREAS] = g_param_spec_object ("areas", NULL, NULL, G_TYPE_LIST_MODEL, ro);
  properties [PROP_PLAN] = g_param_spec_object ("plan", NULL, NULL, STRIAE_TYPE_PLAN, ro);
  properties [PROP_RULES_FORMAT] =
    g_param_spec_uint ("rules-format", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties [PROP_RULES_HASH] =
    g_param_spec_string ("rules-hash", NULL, NULL, "",
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * StriaeConsultation::changed:
   *
   * Emitted after any change to the consultation or one of its parts (history, skin, areas,
   * plan), so that the UI can schedule a (debounced) save of the draft.
   */
  signals [CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
striae_consultation_init (StriaeConsultation *self)
{
  g_date_clear (&self->date, 1);
  self->practitioner = g_strdup ("");
  self->revision = 1;
  self->rules_hash = g_strdup ("");
  self->not_treated_reason = g_strdup ("");
  g_date_clear (&self->see_again, 1);
  self->amendment_reason = g_strdup ("");
  self->local_id = g_uuid_string_random ();

  self->history = striae_history_new ();
  self->skin = striae_skin_new ();
  self->plan = striae_plan_new ();
  self->areas = g_list_store_new (STRIAE_TYPE_AREA);
  self->watched_areas = g_ptr_array_new_with_free_func (g_object_unref);

  self->acknowledged = g_ptr_array_new_with_free_func (g_free);
  self->added_items = g_new0 (char *, 1);
  self->struck_items = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->struck_items, NULL);

  g_signal_connect_swapped (self->history, "changed", G_CALLBACK (part_changed_cb), self);
  g_signal_connect_swapped (self->skin, "changed", G_CALLBACK (part_changed_cb), self);
  g_signal_connect_swapped (self->plan, "changed", G_CALLBACK (part_changed_cb), self);
  g_signal_connect_swapped (self->areas, "items-changed",
                            G_CALLBACK (areas_items_changed_cb), self);
}

StriaeConsultation *
striae_consultation_new (void)
{
  return g_object_new (STRIAE_TYPE_CONSULTATION, NULL);
}

/* A deep copy: the parts are new objects holding the same values. */
StriaeConsultation *
striae_consultation_copy (StriaeConsultation *self)
{
  StriaeConsultation *copy;
  guint n;

  g_return_val_if_fail (STRIAE_IS_CONSULTATION (self), NULL);

  copy = striae_consultation_new ();
  copy->id = self->id;
  copy->patient_id = self->patient_id;
  striae_consultation_set_date (copy, &self->date);
  striae_consultation_set_practitioner (copy, self->practitioner);
  copy->status = self->status;
  copy->revision = self->revision;
  striae_history_copy_into (self->history, copy->history);
  striae_skin_copy_into (self->skin, copy->skin);
  striae_plan_copy_into (self->plan, copy->plan);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->areas));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(StriaeArea) area = g_list_model_get_item (G_LIST_MODEL (self->areas), i);
      g_autoptr(StriaeArea) area_copy = striae_area_copy (area);

      g_list_store_append (copy->areas, area_copy);
    }

  for (guint i = 0; i < self->acknowledged->len; i++)
    striae_consultation_set_acknowledged (copy, g_ptr_array_index (self->acknowledged, i), TRUE);
  striae_consultation_set_added_items (copy, (const char * const *) self->added_items);
  striae_consultation_set_struck_items (copy, striae_consultation_get_struck_items (self));
  striae_consultation_set_rules (copy, self->rules_format, self->rules_hash);
  striae_consultation_set_not_treated (copy, self->not_treated, self->not_treated_reason,
                                       &self->see_again);
  striae_consultation_set_amendment_reason (copy, self->amendment_reason);
  copy->stored_stamp = g_strdup (self->stored_stamp);
  g_free (copy->local_id);
  copy->local_id = g_strdup (self->local_id);

  return copy;
}

/* [consent] a signed record is never changed: a correction starts from a copy that is a new
 * draft revision of the same consultation. */
StriaeConsultation *
striae_consultation_new_revision (StriaeConsultation *self)
{
  StriaeConsultation *copy;

  g_return_val_if_fail (STRIAE_IS_CONSULTATION (self), NULL);

  copy = striae_consultation_copy (self);
  copy->status = STRIAE_CONSULTATION_STATUS_DRAFT;
  copy->revision = self->revision + 1;
  /* The correction is signed again, treated or not, and gives its own reason. */
  striae_consultation_set_not_treated (copy, FALSE, NULL, NULL);
  striae_consultation_set_amendment_reason (copy, NULL);
  /* The new revision is not stored yet. */
  g_clear_pointer (&copy->stored_stamp, g_free);

  return copy;
}

gint64
striae_consultation_get_id (StriaeConsultation *self)
{
  g_return_val_if_fail (STRIAE_IS_CONSULTATION (self), 0);
  return self->id;
}

void
striae_consultation_set_id (StriaeConsultation *self,
                            gint64              id)
{
  g_return_if_fail (STRIAE_IS_CONSULTATION (self));
  g_return_if_fail (id >= 0);

  if (self->id == id)
    return;

  self->id = id;
  notify_changed (self, PROP_ID);
}

gint64
striae_consultation_get_patient_id (StriaeConsultation *self)
{
  g_return_val_if_fail (STRIAE_IS_CONSULTATION (self), 0);
  return self->patient_id;
}

void
striae_consultation_set_patient_id (StriaeConsultation *self,
                                    gint64              id)
{
  g_return_if_fail (STRIAE_IS_CONSULTATION (self));
  g_return_if_fail (id >= 0);

  if (self->patient_id == id)
    return;

  self->patient_id = id;
  notify_changed (self, PROP_PATIENT_ID);
}

/* Returns: (nullable): the day of the consultation, %NULL when none is set */
const GDate *
striae_consultation_get_date (StriaeConsultation *self)
{
  g_return_val_if_fail (STRIAE_IS_CONSULTATION (self), NULL);
  return striae_date_or_null (&self->date);
}

/* @date: (nullable): the day of the consultation, or %NULL for none */
void
striae_consultation_set_date (StriaeConsultation *self,
                              const GDate        *date)
{
  g_return_if_fail (STRIAE_IS_CONSULTATION (self));

  if (striae_date_assign (&self->date, date))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DATE]);
      striae_plan_set_consultation_date (self->plan, &self->date);
      emit_changed (self);
    }
}

const char *
striae_consultation_get_practitioner (StriaeConsultation *self)
{
  g_return_val_if_fail (STRIAE_IS_CONSULTATION (self), NULL);
  return self->practitioner;
}

void
striae_consultation_set_practitioner (StriaeConsultation *self,
                                      const char         *name)
{
  g_return_if_fail (STRIAE_IS_CONSULTATION (self));

  if (striae_core_set_text (G_OBJECT (self), &self->practitioner, name,
                            properties [PROP_PRACTITIONER]))
    emit_changed (self);
}

StriaeConsultationStatus
striae_consultation_get_status (StriaeConsultation *self)
{
  g_return_val_if_fail (STRIAE_IS_CONSULTATION (self), STRIAE_CONSULTATION_STATUS_DRAFT);
  return self->status;
}

void
striae_consultation_set_status (StriaeConsultation       *self,
                                StriaeConsultationStatus  status)
{
  g_return_if_fail (STRIAE_IS_CONSULTATION (self));
  g_return_if_fail (status <= STRIAE_CONSULTATION_STATUS_SIGNED);

  if (self->status == status)
    return;

  self->status = status;
  notify_changed (self, PROP_STATUS);
}

guint
striae_consultation_get_revision (StriaeConsultation *self)
{
  g_return_val_if_fail (STRIAE_IS_CONSULTATION (self), 1);
  return self->revision;
}

void
striae_consultation_set_revision (StriaeConsultation *self,
                                  guint               revision)
{
  g_return_if_fail (STRIAE_IS_CONSULTATION (self));
  g_return_if_fail (revision >= 1);

  if (self->revision == revision)
    return;

  self->revision = revision;
  notify_changed (self, PROP_REVISION);
}

/**
 * striae_consultation_get_stored_stamp:
 *
 * Which stored revision this consultation was loaded from or last saved as, as the records
 * set it (the revision's last update time): the store refuses to save or sign over a revision
 * someone else changed since. It is not part of the document (striae_consultation_to_json()),
 * and changing it emits no notification, so that it never makes a draft look edited.
 *
 * Returns: (nullable): the stamp, or %NULL for a consultation never stored
 */
const char *
striae_consultation_get_stored_stamp (StriaeConsultation *self)
{
  g_return_val_if_fail (STRIAE_IS_CONSULTATION (self), NULL);
  return self->stored_stamp;
}

void
striae_consultation_set_stored_stamp (StriaeConsultation *self,
                                      const char         *stamp)
{
  g_return_if_fail (STRIAE_IS_CONSULTATION (self));

  if (self->stored_stamp != stamp)
    {
      g_free (self->stored_stamp);
      self->stored_stamp = g_strdup (stamp);
    }
}

/**
 * striae_consultation_get_local_id:
 *
 * The name of this draft on this computer, the same for its copies: a random UUID given when
 * the consultation is made. It tells apart the new drafts of one patient before the records
 * number them (the spool of drafts kept while the clinic server is gone files them under
 * it). Like the stored stamp it is not part of the document and changes no notification.
 *
 * Returns: the local id, a UUID string
 */
const char *
striae_consultation_get_local_id (StriaeConsultation *self)
{
  g_return_val_if_fail (STRIAE_IS_CONSULTATION (self), NULL);
  return self->local_id;
}

/* Gives back the local id a draft had when it was kept (striae-store-spool.c); anything but a
 * UUID is refused, since it names a file. */
void
striae_consultation_set_local_id (StriaeConsultation *self,
                                  const char         *local_id)
{
  g_return_if_fail (STRIAE_IS_CONSULTATION (self));
  g_return_if_fail (local_id != NULL && g_uuid_string_is_valid (local_id));

  if (self->local_id != local_id)
    {
      g_free (self->local_id);
      self->local_id = g_strdup (local_id);
    }
}

StriaeHistory *
striae_consultation_get_history (StriaeConsultation *self)
{
  g_return_val_if_fail (STRIAE_IS_CONSULTATION (self), NULL);
  return self->history;
}

StriaeSkin *
striae_consultation_get_skin (StriaeConsultation *self)
{
  g_return_val_if_fail (STRIAE_IS_CONSULTATION (self), NULL);
  return self->skin;
}

/**
 * striae_consultation_get_areas:
 *
 * Returns: (transfer none): the areas with stretch marks, a #GListModel of #StriaeArea
 *   (a #GListStore: use striae_consultation_add_area() and _remove_area() to edit it)
 */
GListModel *
striae_consultation_get_areas (StriaeConsultation *self)
{
  g_return_val_if_fail (STRIAE_IS_CONSULTATION (self), NULL);
  return G_LIST_MODEL (self->areas);
}

StriaePlan *
striae_consultation_get_plan (StriaeConsultation *self)
{
  g_return_val_if_fail (STRIAE_IS_CONSULTATION (self), NULL);
  return self->plan;
}

void
striae_consultation_add_area (StriaeConsultation *self,
                              StriaeArea         *area)
{
  g_return_if_fail (STRIAE_IS_CONSULTATION (self));
  g_return_if_fail (STRIAE_IS_AREA (area));

  g_list_store_append (self->areas, area);
}

void
striae_consultation_remove_area (StriaeConsultation *self,
                                 guint               position)
{
  g_return_if_fail (STRIAE_IS_CONSULTATION (self));
  g_return_if_fail (position < g_list_model_get_n_items (G_LIST_MODEL (self->areas)));

  g_list_store_remove (self->areas, position);
}

/**
 * striae_consultation_find_area:
 *
 * Returns: (transfer none) (nullable): the area with @area_id
 */
StriaeArea *
striae_consultation_find_area (StriaeConsultation *self,
                               const char         *area_id,
                               guint              *position)
{
  guint n;

  g_return_val_if_fail (STRIAE_IS_CONSULTATION (self), NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->areas));
  for (guint i = 0; i < n; i++)
    {
      StriaeArea *area = g_list_model_get_item (G_LIST_MODEL (self->areas), i);

      /* The store keeps its own reference, so the area outlives ours. */
      g_object_unref (area);
      if (g_strcmp0 (striae_area_get_id (area), area_id) == 0)
        {
          if (position)
            *position = i;
          return area;
        }
    }

  return NULL;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static gboolean
find_string (GPtrArray  *array,
             const char *text,
             guint      *index)
{
  for (guint i = 0; i < array->len; i++)
    {
      if (g_strcmp0 (g_ptr_array_index (array, i), text) == 0)
        {
          if (index)
            *index = i;
          return TRUE;
        }
    }

  return FALSE;
}

gboolean
striae_consultation_is_acknowledged (StriaeConsultation *self,
                                     const char         *finding_id)
{
  g_return_val_if_fail (STRIAE_IS_CONSULTATION (self), FALSE);
  g_return_val_if_fail (finding_id != NULL, FALSE);

  return find_string (self->acknowledged, finding_id, NULL);
}

/* [contra] the practitioner must acknowledge each relative contraindication; the
 * acknowledgement is kept by finding id (see StriaeFinding:id). */
void
striae_consultation_set_acknowledged (StriaeConsultation *self,
                                      const char         *finding_id,
                                      gboolean            acknowledge)
{
  guint index;
  gboolean present;

  g_return_if_fail (STRIAE_IS_CONSULTATION (self));
  g_return_if_fail (finding_id != NULL && finding_id[0] != '\0');

  present = find_string (self->acknowledged, finding_id, &index);
  if (present == !!acknowledge)
    return;

  if (acknowledge)
    {
      g_ptr_array_add (self->acknowledged, g_strdup (finding_id));
      g_ptr_array_sort (self->acknowledged, compare_strings);
    }
  else
    g_ptr_array_remove_index (self->acknowledged, index);

  emit_changed (self);
}

GStrv
striae_consultation_dup_acknowledged (StriaeConsultation *self)
{
  GStrv ids;

  g_return_val_if_fail (STRIAE_IS_CONSULTATION (self), NULL);

  ids = g_new0 (char *, self->acknowledged->len + 1);
  for (guint i = 0; i < self->acknowledged->len; i++)
    ids[i] = g_strdup (g_ptr_array_index (self->acknowledged, i));

  return ids;
}

/* Sheet items the practitioner added for this patient, in order. */
const char * const *
striae_consultation_get_added_items (StriaeConsultation *self)
{
  g_return_val_if_fail (STRIAE_IS_CONSULTATION (self), NULL);
  return (const char * const *) self->added_items;
}

void
striae_consultation_set_added_items (StriaeConsultation *self,
                                     const char * const *items)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) normal = NULL;

  g_return_if_fail (STRIAE_IS_CONSULTATION (self));

  for (guint i = 0; items && items[i]; i++)
    {
      g_autofree char *text = striae_core_normalize_text (items[i]);

      if (text[0] != '\0')
        g_strv_builder_add (builder, text);
    }
  normal = g_strv_builder_end (builder);

  if (g_strv_equal ((const char * const *) normal, (const char * const *) self->added_items))
    return;

  g_strfreev (self->added_items);
  self->added_items = g_steal_pointer (&normal);
  emit_changed (self);
}

void
striae_consultation_add_sheet_item (StriaeConsultation *self,
                                    const char         *text)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) items = NULL;

  g_return_if_fail (STRIAE_IS_CONSULTATION (self));
  g_return_if_fail (text != NULL);

  g_strv_builder_addv (builder, (const char **) self->added_items);
  g_strv_builder_add (builder, text);
  items = g_strv_builder_end (builder);
  striae_consultation_set_added_items (self, (const char * const *) items);
}

/* Ids of shipped sheet items the practitioner struck for this patient, sorted. */
const char * const *
striae_consultation_get_struck_items (StriaeConsultation *self)
{
  g_return_val_if_fail (STRIAE_IS_CONSULTATION (self), NULL);
  return (const char * const *) self->struck_items->pdata;
}

gboolean
striae_consultation_is_item_struck (StriaeConsultation *self,
                                    const char         *item_id)
{
  g_return_val_if_fail (STRIAE_IS_CONSULTATION (self), FALSE);
  g_return_val_if_fail (item_id != NULL, FALSE);

  /* The last slot is the terminating NULL. */
  for (guint i = 0; i + 1 < self->struck_items->len; i++)
    if (g_str_equal (g_ptr_array_index (self->struck_items, i), item_id))
      return TRUE;

  return FALSE;
}

static gboolean
struck_set (StriaeConsultation *self,
            const char         *item_id,
            gboolean            struck)
{
  if (striae_consultation_is_item_struck (self, item_id) == !!struck || item_id[0] == '\0')
    return FALSE;

  g_ptr_array_remove_index (self->struck_items, self->struck_items->len - 1);
  if (struck)
    {
      g_ptr_array_add (self->struck_items, g_strdup (item_id));
      g_ptr_array_sort (self->struck_items, compare_strings);
    }
  else
    {
      guint index = 0;

      find_string (self->struck_items, item_id, &index);
      g_ptr_array_remove_index (self->struck_items, index);
    }
  g_ptr_array_add (self->struck_items, NULL);

  return TRUE;
}

void
striae_consultation_set_item_struck (StriaeConsultation *self,
                                     const char         *item_id,
                                     gboolean            struck)
{
  g_return_if_fail (STRIAE_IS_CONSULTATION (self));
  g_return_if_fail (item_id != NULL);

  if (struck_set (self, item_id, struck))
    emit_changed (self);
}

void
striae_consultation_set_struck_items (StriaeConsultation *self,
                                      const char * const *item_ids)
{
  gboolean changed = FALSE;
  g_auto(GStrv) old = NULL;

  g_return_if_fail (STRIAE_IS_CONSULTATION (self));

  old = g_strdupv ((char **) striae_consultation_get_struck_items (self));
  for (guint i = 0; old[i]; i++)
    if (item_ids == NULL || !g_strv_contains (item_ids, old[i]))
      changed |= struck_set (self, old[i], FALSE);
  for (guint i = 0; item_ids && item_ids[i]; i++)
    changed |= struck_set (self, item_ids[i], TRUE);

  if (changed)
    emit_changed (self);
}

guint
striae_consultation_get_rules_format (StriaeConsultation *self)
{
  g_return_val_if_fail (STRIAE_IS_CONSULTATION (self), 0);
  return self->rules_format;
}

const char *
striae_consultation_get_rules_hash (StriaeConsultation *self)
{
  g_return_val_if_fail (STRIAE_IS_CONSULTATION (self), NULL);
  return self->rules_hash;
}

/* [rules] a consultation records which rule set it was screened with: the format of the
 * rules (STRIAE_RULES_FORMAT) and striae_rules_dup_hash(). */
void
striae_consultation_set_rules (StriaeConsultation *self,
                               guint               format,
                               const char         *hash)
{
  g_return_if_fail (STRIAE_IS_CONSULTATION (self));

  g_object_freeze_notify (G_OBJECT (self));
  if (self->rules_format != format)
    {
      self->rules_format = format;
      notify_changed (self, PROP_RULES_FORMAT);
    }
  if (striae_core_set_text (G_OBJECT (self), &self->rules_hash, hash,
                            properties [PROP_RULES_HASH]))
    emit_changed (self);
  g_object_thaw_notify (G_OBJECT (self));
}

/* The life cycle's end states (docs/EXPORT-FORMAT.md, "not-treated", "amendment-reason") */

/**
 * striae_consultation_is_not_treated:
 *
 * Tells whether the consultation ends without treatment: it is (or will be) signed as "not
 * treated", with a reason (striae_consultation_get_not_treated_reason()) and perhaps a date
 * to see the patient again. No sheet is printed for it.
 */
gboolean
striae_consultation_is_not_treated (StriaeConsultation *self)
{
  g_return_val_if_fail (STRIAE_IS_CONSULTATION (self), FALSE);
  return self->not_treated;
}

const char *
striae_consultation_get_not_treated_reason (StriaeConsultation *self)
{
  g_return_val_if_fail (STRIAE_IS_CONSULTATION (self), NULL);
  return self->not_treated_reason;
}

/* Returns: (nullable): the day to see the patient again, or %NULL when none was set. */
const GDate *
striae_consultation_get_see_again (StriaeConsultation *self)
{
  g_return_val_if_fail (STRIAE_IS_CONSULTATION (self), NULL);
  return striae_date_or_null (&self->see_again);
}

/**
 * striae_consultation_set_not_treated:
 * @not_treated: whether the consultation ends without treatment
 * @reason: (nullable): why; kept only when @not_treated
 * @see_again: (nullable): the day to see the patient again, or %NULL for none
 */
void
striae_consultation_set_not_treated (StriaeConsultation *self,
                                     gboolean            not_treated,
                                     const char         *reason,
                                     const GDate        *see_again)
{
  gboolean changed = FALSE;

  g_return_if_fail (STRIAE_IS_CONSULTATION (self));

  not_treated = !!not_treated;
  if (!not_treated)
    {
      reason = NULL;
      see_again = NULL;
    }

  if (self->not_treated != not_treated)
    {
      self->not_treated = not_treated;
      changed = TRUE;
    }
  changed |= striae_core_set_text (G_OBJECT (self), &self->not_treated_reason, reason, NULL);
  changed |= striae_date_assign (&self->see_again, see_again);
  if (changed)
    emit_changed (self);
}

/* Returns: why this revision amends the one before it, or "" for a first revision. */
const char *
striae_consultation_get_amendment_reason (StriaeConsultation *self)
{
  g_return_val_if_fail (STRIAE_IS_CONSULTATION (self), NULL);
  return self->amendment_reason;
}

void
striae_consultation_set_amendment_reason (StriaeConsultation *self,
                                          const char         *reason)
{
  g_return_if_fail (STRIAE_IS_CONSULTATION (self));

  if (striae_core_set_text (G_OBJECT (self), &self->amendment_reason, reason, NULL))
    emit_changed (self);
}
