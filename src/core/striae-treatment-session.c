/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <string.h>

#include "striae-core-enums.h"
#include "striae-core-error.h"
#include "striae-core-private.h"
#include "striae-date.h"
#include "striae-treatment-session.h"

struct _StriaeTreatmentSession
{
  GObject                       parent_instance;

  gint64                        id;
  guint                         revision;
  StriaeTreatmentSessionStatus  status;
  gint64                        patient_id;
  gint64                        consultation_id;
  guint                         consultation_revision;
  guint                         number;
  guint                         course_length;
  gboolean                      maintenance;
  GDate                         date;
  int                           time;
  char                         *practitioner;
  gboolean                      numbing_cream;
  int                           numbing_cream_time;
  int                           tolerance;
  char                         *reaction;
  char                         *notes;
  char                         *amendment_reason;

  StriaeSessionCheck           *check;
  GListStore                   *areas;
  GListStore                   *products;
  GListStore                   *events;
};

G_DEFINE_FINAL_TYPE (StriaeTreatmentSession, striae_treatment_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_REVISION,
  PROP_STATUS,
  PROP_PATIENT_ID,
  PROP_CONSULTATION_ID,
  PROP_CONSULTATION_REVISION,
  PROP_NUMBER,
  PROP_COURSE_LENGTH,
  PROP_MAINTENANCE,
  PROP_DATE,
  PROP_TIME,
  PROP_PRACTITIONER,
  PROP_NUMBING_CREAM,
  PROP_NUMBING_CREAM_TIME,
  PROP_TOLERANCE,
  PROP_REACTION,
  PROP_NOTES,
  PROP_AMENDMENT_REASON,
  PROP_CHECK,
  PROP_AREAS,
  PROP_PRODUCTS,
  PROP_EVENTS,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
striae_treatment_session_finalize (GObject *object)
{
  StriaeTreatmentSession *self = (StriaeTreatmentSession *) object;

  g_clear_pointer (&self->practitioner, g_free);
  g_clear_pointer (&self->reaction, g_free);
  g_clear_pointer (&self->notes, g_free);
  g_clear_pointer (&self->amendment_reason, g_free);
  g_clear_object (&self->check);
  g_clear_object (&self->areas);
  g_clear_object (&self->products);
  g_clear_object (&self->events);

  G_OBJECT_CLASS (striae_treatment_session_parent_class)->finalize (object);
}

static void
striae_treatment_session_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  StriaeTreatmentSession *self = STRIAE_TREATMENT_SESSION (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_REVISION:
      g_value_set_uint (value, self->revision);
      break;
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case PROP_PATIENT_ID:
      g_value_set_int64 (value, self->patient_id);
      break;
    case PROP_CONSULTATION_ID:
      g_value_set_int64 (value, self->consultation_id);
      break;
    case PROP_CONSULTATION_REVISION:
      g_value_set_uint (value, self->consultation_revision);
      break;
    case PROP_NUMBER:
      g_value_set_uint (value, self->number);
      break;
    case PROP_COURSE_LENGTH:
      g_value_set_uint (value, self->course_length);
      break;
    case PROP_MAINTENANCE:
      g_value_set_boolean (value, self->maintenance);
      break;
    case PROP_DATE:
      g_value_set_boxed (value, striae_date_or_null (&self->date));
      break;
    case PROP_TIME:
      g_value_set_int (value, self->time);
      break;
    case PROP_PRACTITIONER:
      g_value_set_string (value, self->practitioner);
      break;
    case PROP_NUMBING_CREAM:
      g_value_set_boolean (value, self->numbing_cream);
      break;
    case PROP_NUMBING_CREAM_TIME:
      g_value_set_int (value, self->numbing_cream_time);
      break;
    case PROP_TOLERANCE:
      g_value_set_int (value, self->tolerance);
      break;
    case PROP_REACTION:
      g_value_set_string (value, self->reaction);
      break;
    case PROP_NOTES:
      g_value_set_string (value, self->notes);
      break;
    case PROP_AMENDMENT_REASON:
      g_value_set_string (value, self->amendment_reason);
      break;
    case PROP_CHECK:
      g_value_set_object (value, self->check);
      break;
    case PROP_AREAS:
      g_value_set_object (value, self->areas);
      break;
    case PROP_PRODUCTS:
      g_value_set_object (value, self->products);
      break;
    case PROP_EVENTS:
      g_value_set_object (value, self->events);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_treatment_session_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  StriaeTreatmentSession *self = STRIAE_TREATMENT_SESSION (object);

  switch (prop_id)
    {
    case PROP_ID:
      striae_treatment_session_set_id (self, g_value_get_int64 (value));
      break;
    case PROP_REVISION:
      striae_treatment_session_set_revision (self, g_value_get_uint (value));
      break;
    case PROP_STATUS:
      striae_treatment_session_set_status (self, g_value_get_enum (value));
      break;
    case PROP_PATIENT_ID:
      striae_treatment_session_set_patient_id (self, g_value_get_int64 (value));
      break;
    case PROP_CONSULTATION_ID:
      striae_treatment_session_set_consultation_id (self, g_value_get_int64 (value));
      break;
    case PROP_CONSULTATION_REVISION:
      striae_treatment_session_set_consultation_revision (self, g_value_get_uint (value));
      break;
    case PROP_NUMBER:
      striae_treatment_session_set_number (self, g_value_get_uint (value));
      break;
    case PROP_COURSE_LENGTH:
      striae_treatment_session_set_course_length (self, g_value_get_uint (value));
      break;
    case PROP_MAINTENANCE:
      striae_treatment_session_set_maintenance (self, g_value_get_boolean (value));
      break;
    case PROP_DATE:
      striae_treatment_session_set_date (self, g_value_get_boxed (value));
      break;
    case PROP_TIME:
      striae_treatment_session_set_time (self, g_value_get_int (value));
      break;
    case PROP_PRACTITIONER:
      striae_treatment_session_set_practitioner (self, g_value_get_string (value));
      break;
    case PROP_NUMBING_CREAM:
      striae_treatment_session_set_numbing_cream (self, g_value_get_boolean (value));
      break;
    case PROP_NUMBING_CREAM_TIME:
      striae_treatment_session_set_numbing_cream_time (self, g_value_get_int (value));
      break;
    case PROP_TOLERANCE:
      striae_treatment_session_set_tolerance (self, g_value_get_int (value));
      break;
    case PROP_REACTION:
      striae_treatment_session_set_reaction (self, g_value_get_string (value));
      break;
    case PROP_NOTES:
      striae_treatment_session_set_notes (self, g_value_get_string (value));
      break;
    case PROP_AMENDMENT_REASON:
      striae_treatment_session_set_amendment_reason (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_treatment_session_class_init (StriaeTreatmentSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags read_only = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = striae_treatment_session_finalize;
  object_class->get_property = striae_treatment_session_get_property;
  object_class->set_property = striae_treatment_session_set_property;

  properties [PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties [PROP_REVISION] =
    g_param_spec_uint ("revision", NULL, NULL, 1, G_MAXUINT, 1, flags);
  properties [PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, STRIAE_TYPE_TREATMENT_SESSION_STATUS,
                       STRIAE_TREATMENT_SESSION_STATUS_DRAFT, flags);
  properties [PROP_PATIENT_ID] =
    g_param_spec_int64 ("patient-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties [PROP_CONSULTATION_ID] =
    g_param_spec_int64 ("consultation-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties [PROP_CONSULTATION_REVISION] =
    g_param_spec_uint ("consultation-revision", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties [PROP_NUMBER] =
    g_param_spec_uint ("number", NULL, NULL, 0, STRIAE_TREATMENT_SESSION_NUMBER_MAX, 0, flags);
  properties [PROP_COURSE_LENGTH] =
    g_param_spec_uint ("course-length", NULL, NULL, 0, STRIAE_PLAN_SESSIONS_MAX, 0, flags);
  properties [PROP_MAINTENANCE] =
    g_param_spec_boolean ("maintenance", NULL, NULL, FALSE, flags);
  properties [PROP_DATE] = g_param_spec_boxed ("date", NULL, NULL, G_TYPE_DATE, flags);
  properties [PROP_TIME] =
    g_param_spec_int ("time", NULL, NULL, -1, STRIAE_MINUTES_MAX, -1, flags);
  properties [PROP_PRACTITIONER] = g_param_spec_string ("practitioner", NULL, NULL, "", flags);
  properties [PROP_NUMBING_CREAM] =
    g_param_spec_boolean ("numbing-cream", NULL, NULL, FALSE, flags);
  properties [PROP_NUMBING_CREAM_TIME] =
    g_param_spec_int ("numbing-cream-time", NULL, NULL, -1, STRIAE_MINUTES_MAX, -1, flags);
  properties [PROP_TOLERANCE] =
    g_param_spec_int ("tolerance", NULL, NULL, -1, STRIAE_TOLERANCE_MAX, -1, flags);
  properties [PROP_REACTION] = g_param_spec_string ("reaction", NULL, NULL, "", flags);
  properties [PROP_NOTES] = g_param_spec_string ("notes", NULL, NULL, "", flags);
  properties [PROP_AMENDMENT_REASON] =
    g_param_spec_string ("amendment-reason", NULL, NULL, "", flags);
  properties [PROP_CHECK] =
    g_param_spec_object ("check", NULL, NULL, STRIAE_TYPE_SESSION_CHECK, read_only);
  properties [PROP_AREAS] =
    g_param_spec_object ("areas", NULL, NULL, G_TYPE_LIST_MODEL, read_only);
  properties [PROP_PRODUCTS] =
    g_param_spec_object ("products", NULL, NULL, G_TYPE_LIST_MODEL, read_only);
  properties [PROP_EVENTS] =
    g_param_spec_object ("events", NULL, NULL, G_TYPE_LIST_MODEL, read_only);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
striae_treatment_session_init (StriaeTreatmentSession *self)
{
  self->revision = 1;
  self->time = -1;
  self->numbing_cream_time = -1;
  self->tolerance = -1;
  g_date_clear (&self->date, 1);
  self->practitioner = g_strdup ("");
  self->reaction = g_strdup ("");
  self->notes = g_strdup ("");
  self->amendment_reason = g_strdup ("");
  self->check = striae_session_check_new ();
  self->areas = g_list_store_new (STRIAE_TYPE_SESSION_AREA);
  self->products = g_list_store_new (STRIAE_TYPE_SESSION_PRODUCT);
  self->events = g_list_store_new (STRIAE_TYPE_ADVERSE_EVENT);
}

StriaeTreatmentSession *
striae_treatment_session_new (void)
{
  return g_object_new (STRIAE_TYPE_TREATMENT_SESSION, NULL);
}

/**
 * striae_treatment_session_new_for:
 * @consultation: a signed consultation whose plan treats
 *
 * A new session record of @consultation's plan: its keys, the course length of the plan,
 * numbing cream as planned, and one area entry for each of the plan's areas at the planned
 * depth and with the planned device, for the practitioner to confirm or change [depth].
 */
StriaeTreatmentSession *
striae_treatment_session_new_for (StriaeConsultation *consultation)
{
  StriaeTreatmentSession *self;
  StriaePlan *plan;
  GListModel *areas;

  g_return_val_if_fail (STRIAE_IS_CONSULTATION (consultation), NULL);

  plan = striae_consultation_get_plan (consultation);
  self = striae_treatment_session_new ();
  self->patient_id = striae_consultation_get_patient_id (consultation);
  self->consultation_id = striae_consultation_get_id (consultation);
  self->consultation_revision = striae_consultation_get_revision (consultation);
  self->course_length = MIN (striae_plan_get_sessions (plan), STRIAE_PLAN_SESSIONS_MAX);
  self->numbing_cream = striae_plan_get_numbing_cream (plan);

  areas = striae_consultation_get_areas (consultation);
  for (guint i = 0; i < g_list_model_get_n_items (areas); i++)
    {
      g_autoptr(StriaeArea) area = g_list_model_get_item (areas, i);
      g_autoptr(StriaeSessionArea) entry =
        striae_session_area_new (striae_area_get_id (area));

      striae_session_area_set_depth (entry, striae_area_get_depth (area));
      striae_session_area_set_device (entry, striae_plan_get_device (plan));
      g_list_store_append (self->areas, entry);
    }

  return self;
}

static void
copy_list (GListStore *from,
           GListStore *to,
           gpointer  (*copy) (gpointer))
{
  g_list_store_remove_all (to);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (from)); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (from), i);
      g_autoptr(GObject) item_copy = copy (item);

      g_list_store_append (to, item_copy);
    }
}

StriaeTreatmentSession *
striae_treatment_session_copy (StriaeTreatmentSession *self)
{
  StriaeTreatmentSession *copy;

  g_return_val_if_fail (STRIAE_IS_TREATMENT_SESSION (self), NULL);

  copy = striae_treatment_session_new ();
  copy->id = self->id;
  copy->revision = self->revision;
  copy->status = self->status;
  copy->patient_id = self->patient_id;
  copy->consultation_id = self->consultation_id;
  copy->consultation_revision = self->consultation_revision;
  copy->number = self->number;
  copy->course_length = self->course_length;
  copy->maintenance = self->maintenance;
  copy->date = self->date;
  copy->time = self->time;
  g_free (copy->practitioner);
  copy->practitioner = g_strdup (self->practitioner);
  copy->numbing_cream = self->numbing_cream;
  copy->numbing_cream_time = self->numbing_cream_time;
  copy->tolerance = self->tolerance;
  g_free (copy->reaction);
  copy->reaction = g_strdup (self->reaction);
  g_free (copy->notes);
  copy->notes = g_strdup (self->notes);
  g_free (copy->amendment_reason);
  copy->amendment_reason = g_strdup (self->amendment_reason);
  striae_session_check_copy_into (self->check, copy->check);
  copy_list (self->areas, copy->areas, (gpointer (*) (gpointer)) striae_session_area_copy);
  copy_list (self->products, copy->products,
             (gpointer (*) (gpointer)) striae_session_product_copy);
  copy_list (self->events, copy->events, (gpointer (*) (gpointer)) striae_adverse_event_copy);

  return copy;
}

/* The start of a correction of a signed record: a draft copy numbered one revision on,
 * without the old amendment's reason. */
StriaeTreatmentSession *
striae_treatment_session_new_revision (StriaeTreatmentSession *self)
{
  StriaeTreatmentSession *copy;

  g_return_val_if_fail (STRIAE_IS_TREATMENT_SESSION (self), NULL);

  copy = striae_treatment_session_copy (self);
  copy->status = STRIAE_TREATMENT_SESSION_STATUS_DRAFT;
  copy->revision = self->revision + 1;
  striae_treatment_session_set_amendment_reason (copy, NULL);

  return copy;
}

/* Accessors */

#define SET_SCALAR(field, value, prop) \
  G_STMT_START { \
    if (self->field == (value)) \
      return; \
    self->field = (value); \
    g_object_notify_by_pspec (G_OBJECT (self), properties [prop]); \
  } G_STMT_END

gint64
striae_treatment_session_get_id (StriaeTreatmentSession *self)
{
  g_return_val_if_fail (STRIAE_IS_TREATMENT_SESSION (self), 0);
  return self->id;
}

void
striae_treatment_session_set_id (StriaeTreatmentSession *self,
                                 gint64                  id)
{
  g_return_if_fail (STRIAE_IS_TREATMENT_SESSION (self));
  g_return_if_fail (id >= 0);
  SET_SCALAR (id, id, PROP_ID);
}

guint
striae_treatment_session_get_revision (StriaeTreatmentSession *self)
{
  g_return_val_if_fail (STRIAE_IS_TREATMENT_SESSION (self), 0);
  return self->revision;
}

void
striae_treatment_session_set_revision (StriaeTreatmentSession *self,
                                       guint                   revision)
{
  g_return_if_fail (STRIAE_IS_TREATMENT_SESSION (self));
  g_return_if_fail (revision >= 1);
  SET_SCALAR (revision, revision, PROP_REVISION);
}

StriaeTreatmentSessionStatus
striae_treatment_session_get_status (StriaeTreatmentSession *self)
{
  g_return_val_if_fail (STRIAE_IS_TREATMENT_SESSION (self),
                        STRIAE_TREATMENT_SESSION_STATUS_DRAFT);
  return self->status;
}

void
striae_treatment_session_set_status (StriaeTreatmentSession       *self,
                                     StriaeTreatmentSessionStatus  status)
{
  g_return_if_fail (STRIAE_IS_TREATMENT_SESSION (self));
  g_return_if_fail (status <= STRIAE_TREATMENT_SESSION_STATUS_SIGNED);
  SET_SCALAR (status, status, PROP_STATUS);
}

gint64
striae_treatment_session_get_patient_id (StriaeTreatmentSession *self)
{
  g_return_val_if_fail (STRIAE_IS_TREATMENT_SESSION (self), 0);
  return self->patient_id;
}

void
striae_treatment_session_set_patient_id (StriaeTreatmentSession *self,
                                         gint64                  id)
{
  g_return_if_fail (STRIAE_IS_TREATMENT_SESSION (self));
  g_return_if_fail (id >= 0);
  SET_SCALAR (patient_id, id, PROP_PATIENT_ID);
}

gint64
striae_treatment_session_get_consultation_id (StriaeTreatmentSession *self)
{
  g_return_val_if_fail (STRIAE_IS_TREATMENT_SESSION (self), 0);
  return self->consultation_id;
}

void
striae_treatment_session_set_consultation_id (StriaeTreatmentSession *self,
                                              gint64                  id)
{
  g_return_if_fail (STRIAE_IS_TREATMENT_SESSION (self));
  g_return_if_fail (id >= 0);
  SET_SCALAR (consultation_id, id, PROP_CONSULTATION_ID);
}

guint
striae_treatment_session_get_consultation_revision (StriaeTreatmentSession *self)
{
  g_return_val_if_fail (STRIAE_IS_TREATMENT_SESSION (self), 0);
  return self->consultation_revision;
}

void
striae_treatment_session_set_consultation_revision (StriaeTreatmentSession *self,
                                                    guint                   revision)
{
  g_return_if_fail (STRIAE_IS_TREATMENT_SESSION (self));
  SET_SCALAR (consultation_revision, revision, PROP_CONSULTATION_REVISION);
}

guint
striae_treatment_session_get_number (StriaeTreatmentSession *self)
{
  g_return_val_if_fail (STRIAE_IS_TREATMENT_SESSION (self), 0);
  return self->number;
}

void
striae_treatment_session_set_number (StriaeTreatmentSession *self,
                                     guint                   number)
{
  g_return_if_fail (STRIAE_IS_TREATMENT_SESSION (self));
  g_return_if_fail (number <= STRIAE_TREATMENT_SESSION_NUMBER_MAX);
  SET_SCALAR (number, number, PROP_NUMBER);
}

guint
striae_treatment_session_get_course_length (StriaeTreatmentSession *self)
{
  g_return_val_if_fail (STRIAE_IS_TREATMENT_SESSION (self), 0);
  return self->course_length;
}

void
striae_treatment_session_set_course_length (StriaeTreatmentSession *self,
                                            guint                   length)
{
  g_return_if_fail (STRIAE_IS_TREATMENT_SESSION (self));
  g_return_if_fail (length <= STRIAE_PLAN_SESSIONS_MAX);
  SET_SCALAR (course_length, length, PROP_COURSE_LENGTH);
}

gboolean
striae_treatment_session_get_maintenance (StriaeTreatmentSession *self)
{
  g_return_val_if_fail (STRIAE_IS_TREATMENT_SESSION (self), FALSE);
  return self->maintenance;
}

void
striae_treatment_session_set_maintenance (StriaeTreatmentSession *self,
                                          gboolean                maintenance)
{
  g_return_if_fail (STRIAE_IS_TREATMENT_SESSION (self));
  SET_SCALAR (maintenance, !!maintenance, PROP_MAINTENANCE);
}

const GDate *
striae_treatment_session_get_date (StriaeTreatmentSession *self)
{
  g_return_val_if_fail (STRIAE_IS_TREATMENT_SESSION (self), NULL);
  return striae_date_or_null (&self->date);
}

void
striae_treatment_session_set_date (StriaeTreatmentSession *self,
                                   const GDate            *date)
{
  g_return_if_fail (STRIAE_IS_TREATMENT_SESSION (self));

  if (striae_date_assign (&self->date, date))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DATE]);
}

int
striae_treatment_session_get_time (StriaeTreatmentSession *self)
{
  g_return_val_if_fail (STRIAE_IS_TREATMENT_SESSION (self), -1);
  return self->time;
}

/* The local time of day the session started, in minutes after midnight; -1 for none. */
void
striae_treatment_session_set_time (StriaeTreatmentSession *self,
                                   int                     minutes)
{
  g_return_if_fail (STRIAE_IS_TREATMENT_SESSION (self));
  g_return_if_fail (minutes >= -1 && minutes <= STRIAE_MINUTES_MAX);
  SET_SCALAR (time, minutes, PROP_TIME);
}

const char *
striae_treatment_session_get_practitioner (StriaeTreatmentSession *self)
{
  g_return_val_if_fail (STRIAE_IS_TREATMENT_SESSION (self), NULL);
  return self->practitioner;
}

void
striae_treatment_session_set_practitioner (StriaeTreatmentSession *self,
                                           const char             *name)
{
  g_return_if_fail (STRIAE_IS_TREATMENT_SESSION (self));
  striae_core_set_text (G_OBJECT (self), &self->practitioner, name,
                        properties [PROP_PRACTITIONER]);
}

gboolean
striae_treatment_session_get_numbing_cream (StriaeTreatmentSession *self)
{
  g_return_val_if_fail (STRIAE_IS_TREATMENT_SESSION (self), FALSE);
  return self->numbing_cream;
}

void
striae_treatment_session_set_numbing_cream (StriaeTreatmentSession *self,
                                            gboolean                used)
{
  g_return_if_fail (STRIAE_IS_TREATMENT_SESSION (self));
  SET_SCALAR (numbing_cream, !!used, PROP_NUMBING_CREAM);
}

int
striae_treatment_session_get_numbing_cream_time (StriaeTreatmentSession *self)
{
  g_return_val_if_fail (STRIAE_IS_TREATMENT_SESSION (self), -1);
  return self->numbing_cream_time;
}

/* When the numbing cream went on, in minutes after midnight of the session's day; -1 for
 * none. */
void
striae_treatment_session_set_numbing_cream_time (StriaeTreatmentSession *self,
                                                 int                     minutes)
{
  g_return_if_fail (STRIAE_IS_TREATMENT_SESSION (self));
  g_return_if_fail (minutes >= -1 && minutes <= STRIAE_MINUTES_MAX);
  SET_SCALAR (numbing_cream_time, minutes, PROP_NUMBING_CREAM_TIME);
}

int
striae_treatment_session_get_tolerance (StriaeTreatmentSession *self)
{
  g_return_val_if_fail (STRIAE_IS_TREATMENT_SESSION (self), -1);
  return self->tolerance;
}

void
striae_treatment_session_set_tolerance (StriaeTreatmentSession *self,
                                        int                     score)
{
  g_return_if_fail (STRIAE_IS_TREATMENT_SESSION (self));
  g_return_if_fail (score >= -1 && score <= STRIAE_TOLERANCE_MAX);
  SET_SCALAR (tolerance, score, PROP_TOLERANCE);
}

const char *
striae_treatment_session_get_reaction (StriaeTreatmentSession *self)
{
  g_return_val_if_fail (STRIAE_IS_TREATMENT_SESSION (self), NULL);
  return self->reaction;
}

void
striae_treatment_session_set_reaction (StriaeTreatmentSession *self,
                                       const char             *reaction)
{
  g_return_if_fail (STRIAE_IS_TREATMENT_SESSION (self));
  striae_core_set_text (G_OBJECT (self), &self->reaction, reaction, properties [PROP_REACTION]);
}

const char *
striae_treatment_session_get_notes (StriaeTreatmentSession *self)
{
  g_return_val_if_fail (STRIAE_IS_TREATMENT_SESSION (self), NULL);
  return self->notes;
}

void
striae_treatment_session_set_notes (StriaeTreatmentSession *self,
                                    const char             *notes)
{
  g_return_if_fail (STRIAE_IS_TREATMENT_SESSION (self));
  striae_core_set_text (G_OBJECT (self), &self->notes, notes, properties [PROP_NOTES]);
}

const char *
striae_treatment_session_get_amendment_reason (StriaeTreatmentSession *self)
{
  g_return_val_if_fail (STRIAE_IS_TREATMENT_SESSION (self), NULL);
  return self->amendment_reason;
}

void
striae_treatment_session_set_amendment_reason (StriaeTreatmentSession *self,
                                               const char             *reason)
{
  g_return_if_fail (STRIAE_IS_TREATMENT_SESSION (self));
  striae_core_set_text (G_OBJECT (self), &self->amendment_reason, reason,
                        properties [PROP_AMENDMENT_REASON]);
}

StriaeSessionCheck *
striae_treatment_session_get_check (StriaeTreatmentSession *self)
{
  g_return_val_if_fail (STRIAE_IS_TREATMENT_SESSION (self), NULL);
  return self->check;
}

GListModel *
striae_treatment_session_get_areas (StriaeTreatmentSession *self)
{
  g_return_val_if_fail (STRIAE_IS_TREATMENT_SESSION (self), NULL);
  return G_LIST_MODEL (self->areas);
}

GListModel *
striae_treatment_session_get_products (StriaeTreatmentSession *self)
{
  g_return_val_if_fail (STRIAE_IS_TREATMENT_SESSION (self), NULL);
  return G_LIST_MODEL (self->products);
}

GListModel *
striae_treatment_session_get_events (StriaeTreatmentSession *self)
{
  g_return_val_if_fail (STRIAE_IS_TREATMENT_SESSION (self), NULL);
  return G_LIST_MODEL (self->events);
}

void
striae_treatment_session_add_area (StriaeTreatmentSession *self,
                                   StriaeSessionArea      *area)
{
  g_return_if_fail (STRIAE_IS_TREATMENT_SESSION (self));
  g_return_if_fail (STRIAE_IS_SESSION_AREA (area));
  g_list_store_append (self->areas, area);
}

void
striae_treatment_session_remove_area (StriaeTreatmentSession *self,
                                      guint                   position)
{
  g_return_if_fail (STRIAE_IS_TREATMENT_SESSION (self));
  g_list_store_remove (self->areas, position);
}

void
striae_treatment_session_add_product (StriaeTreatmentSession *self,
                                      StriaeSessionProduct   *product)
{
  g_return_if_fail (STRIAE_IS_TREATMENT_SESSION (self));
  g_return_if_fail (STRIAE_IS_SESSION_PRODUCT (product));
  g_list_store_append (self->products, product);
}

void
striae_treatment_session_remove_product (StriaeTreatmentSession *self,
                                         guint                   position)
{
  g_return_if_fail (STRIAE_IS_TREATMENT_SESSION (self));
  g_list_store_remove (self->products, position);
}

void
striae_treatment_session_add_event (StriaeTreatmentSession *self,
                                    StriaeAdverseEvent     *event)
{
  g_return_if_fail (STRIAE_IS_TREATMENT_SESSION (self));
  g_return_if_fail (STRIAE_IS_ADVERSE_EVENT (event));
  g_list_store_append (self->events, event);
}

void
striae_treatment_session_remove_event (StriaeTreatmentSession *self,
                                       guint                   position)
{
  g_return_if_fail (STRIAE_IS_TREATMENT_SESSION (self));
  g_list_store_remove (self->events, position);
}

/* Times of day */

/* "HH:MM", or "" for -1. */
char *
striae_format_minutes (int minutes)
{
  if (minutes < 0 || minutes > STRIAE_MINUTES_MAX)
    return g_strdup ("");

  return g_strdup_printf ("%02d:%02d", minutes / 60, minutes % 60);
}

/* Reads "HH:MM" (24-hour clock) or "" (none: -1). */
gboolean
striae_parse_minutes (const char *text,
                      int        *minutes)
{
  if (text == NULL || text[0] == '\0')
    {
      *minutes = -1;
      return TRUE;
    }

  if (strlen (text) != 5 || !g_ascii_isdigit (text[0]) || !g_ascii_isdigit (text[1]) ||
      text[2] != ':' || !g_ascii_isdigit (text[3]) || !g_ascii_isdigit (text[4]))
    return FALSE;

  {
    int hours = (text[0] - '0') * 10 + (text[1] - '0');
    int mins = (text[3] - '0') * 10 + (text[4] - '0');

    if (hours > 23 || mins > 59)
      return FALSE;
    *minutes = hours * 60 + mins;
  }

  return TRUE;
}
