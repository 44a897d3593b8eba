/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "striae-day-item.h"

struct _StriaeDayItem
{
  GObject  parent_instance;

  gint64   patient_id;
  gint64   consultation_id;
  char    *name;
  char    *time;
  char    *course;
  char    *status;
  char    *summary;
  gboolean printable;
  StriaeScheduledSession *scheduled;
};

G_DEFINE_FINAL_TYPE (StriaeDayItem, striae_day_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_TIME,
  PROP_COURSE,
  PROP_STATUS,
  PROP_SUMMARY,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
striae_day_item_finalize (GObject *object)
{
  StriaeDayItem *self = (StriaeDayItem *)object;

  g_free (self->name);
  g_free (self->time);
  g_free (self->course);
  g_free (self->status);
  g_free (self->summary);
  g_clear_pointer (&self->scheduled, striae_scheduled_session_free);

  G_OBJECT_CLASS (striae_day_item_parent_class)->finalize (object);
}

static void
striae_day_item_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  StriaeDayItem *self = STRIAE_DAY_ITEM (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_TIME:
      g_value_set_string (value, self->time);
      break;
    case PROP_COURSE:
      g_value_set_string (value, self->course);
      break;
    case PROP_STATUS:
      g_value_set_string (value, self->status);
      break;
    case PROP_SUMMARY:
      g_value_set_string (value, self->summary);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
string_property (const char *name)
{
  return g_param_spec_string (name, NULL, NULL, "",
                              (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                               G_PARAM_STATIC_STRINGS));
}

static void
striae_day_item_class_init (StriaeDayItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = striae_day_item_finalize;
  object_class->get_property = striae_day_item_get_property;

  /* The row binds these (ui/striae-day-page.ui). */
  properties [PROP_NAME] = string_property ("name");
  properties [PROP_TIME] = string_property ("time");
  properties [PROP_COURSE] = string_property ("course");
  properties [PROP_STATUS] = string_property ("status");
  /* The line under the name: time, place in the course and status, as a screen reader reads
   * the row too. */
  properties [PROP_SUMMARY] = string_property ("summary");
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
striae_day_item_init (StriaeDayItem *self)
{
}

/**
 * striae_day_item_new:
 * @name: the patient's name as the list shows it
 * @time: (nullable): the session's time ("09:30"), %NULL or "" when none was set
 * @course: its place in the course ("Session 2 of 4")
 * @status: its status ("Planned", "Done"…)
 * @printable: whether its aftercare sheet is handed out: not for a session missed or
 *   cancelled
 */
StriaeDayItem *
striae_day_item_new (gint64      patient_id,
                     gint64      consultation_id,
                     const char *name,
                     const char *time,
                     const char *course,
                     const char *status,
                     gboolean    printable)
{
  StriaeDayItem *self = g_object_new (STRIAE_TYPE_DAY_ITEM, NULL);

  self->patient_id = patient_id;
  self->consultation_id = consultation_id;
  self->name = g_strdup (name != NULL ? name : "");
  self->time = g_strdup (time != NULL ? time : "");
  self->course = g_strdup (course != NULL ? course : "");
  self->status = g_strdup (status != NULL ? status : "");
  self->printable = printable;
  if (*self->time != '\0')
    /* TRANSLATORS: a row of the day's list: the time, the place in the course and the
     * status, e.g. "09:30 · Session 2 of 4 · Planned" */
    self->summary = g_strdup_printf (_("%s · %s · %s"), self->time, self->course, self->status);
  else
    /* TRANSLATORS: a row of the day's list without a time: the place in the course and the
     * status, e.g. "Session 2 of 4 · Planned" */
    self->summary = g_strdup_printf (_("%s · %s"), self->course, self->status);
  return self;
}

gint64
striae_day_item_get_patient_id (StriaeDayItem *self)
{
  g_return_val_if_fail (STRIAE_IS_DAY_ITEM (self), 0);
  return self->patient_id;
}

gint64
striae_day_item_get_consultation_id (StriaeDayItem *self)
{
  g_return_val_if_fail (STRIAE_IS_DAY_ITEM (self), 0);
  return self->consultation_id;
}

const char *
striae_day_item_get_name (StriaeDayItem *self)
{
  g_return_val_if_fail (STRIAE_IS_DAY_ITEM (self), NULL);
  return self->name;
}

const char *
striae_day_item_get_time (StriaeDayItem *self)
{
  g_return_val_if_fail (STRIAE_IS_DAY_ITEM (self), NULL);
  return self->time;
}

const char *
striae_day_item_get_course (StriaeDayItem *self)
{
  g_return_val_if_fail (STRIAE_IS_DAY_ITEM (self), NULL);
  return self->course;
}

const char *
striae_day_item_get_status (StriaeDayItem *self)
{
  g_return_val_if_fail (STRIAE_IS_DAY_ITEM (self), NULL);
  return self->status;
}

const char *
striae_day_item_get_summary (StriaeDayItem *self)
{
  g_return_val_if_fail (STRIAE_IS_DAY_ITEM (self), NULL);
  return self->summary;
}

gboolean
striae_day_item_get_printable (StriaeDayItem *self)
{
  g_return_val_if_fail (STRIAE_IS_DAY_ITEM (self), FALSE);
  return self->printable;
}

const StriaeScheduledSession *
striae_day_item_get_scheduled (StriaeDayItem *self)
{
  g_return_val_if_fail (STRIAE_IS_DAY_ITEM (self), NULL);
  return self->scheduled;
}

/* Set once, when the day is read, as the item's words are. */
void
striae_day_item_set_scheduled (StriaeDayItem                *self,
                               const StriaeScheduledSession *session)
{
  g_return_if_fail (STRIAE_IS_DAY_ITEM (self));

  g_clear_pointer (&self->scheduled, striae_scheduled_session_free);
  if (session != NULL)
    self->scheduled = striae_scheduled_session_copy (session);
}
