/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "striae-area.h"
#include "striae-core-enums.h"
#include "striae-core-error.h"
#include "striae-core-private.h"
#include "striae-date.h"
#include "striae-plan-private.h"

struct _StriaePlan
{
  GObject        parent_instance;

  StriaeDevice   device;
  guint          recommended_sessions;
  guint          sessions;
  char          *sessions_reason;
  guint          recommended_interval_weeks;
  guint          interval_weeks;
  char          *interval_reason;
  GDate          first_session;
  guint          recommended_maintenance_months;
  guint          maintenance_months;
  char          *maintenance_reason;
  gboolean       recommended_numbing_cream;
  gboolean       numbing_cream;
  char          *numbing_cream_reason;
  StriaeAdjunct  adjuncts;

  /* The date of the consultation that owns the plan (not a property, not saved with the
   * plan): the first session cannot come before it. */
  GDate          consultation_date;
};

G_DEFINE_FINAL_TYPE (StriaePlan, striae_plan, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DEVICE,
  PROP_RECOMMENDED_SESSIONS,
  PROP_SESSIONS,
  PROP_SESSIONS_REASON,
  PROP_RECOMMENDED_INTERVAL_WEEKS,
  PROP_INTERVAL_WEEKS,
  PROP_INTERVAL_REASON,
  PROP_FIRST_SESSION,
  PROP_RECOMMENDED_MAINTENANCE_MONTHS,
  PROP_MAINTENANCE_MONTHS,
  PROP_MAINTENANCE_REASON,
  PROP_RECOMMENDED_NUMBING_CREAM,
  PROP_NUMBING_CREAM,
  PROP_NUMBING_CREAM_REASON,
  PROP_ADJUNCTS,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties [N_PROPS];
static guint signals [N_SIGNALS];

const char *
striae_device_get_label (StriaeDevice device)
{
  static const char *labels[] = {
    N_("Not chosen"),
    N_("Manual roller"),
    N_("Automated pen"),
    N_("Radiofrequency microneedling"),
  };

  g_return_val_if_fail (device <= STRIAE_DEVICE_RF, NULL);
  return _(labels[device]);
}

const char *
striae_adjunct_get_label (StriaeAdjunct adjunct)
{
  switch (adjunct)
    {
    case STRIAE_ADJUNCT_NONE:
      return _("None");
    case STRIAE_ADJUNCT_SERUM:
      return _("Serum (for example vitamin C or growth factors)");
    case STRIAE_ADJUNCT_PRP:
      return _("Platelet-rich plasma (PRP)");
    case STRIAE_ADJUNCT_TRETINOIN:
      return _("Topical tretinoin");
    default:
      g_return_val_if_reached (NULL);
    }
}

static void
changed (StriaePlan *self,
         int         prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties [prop]);
  g_signal_emit (self, signals [CHANGED], 0);
}

static void
striae_plan_finalize (GObject *object)
{
  StriaePlan *self = (StriaePlan *)object;

  g_clear_pointer (&self->sessions_reason, g_free);
  g_clear_pointer (&self->interval_reason, g_free);
  g_clear_pointer (&self->maintenance_reason, g_free);
  g_clear_pointer (&self->numbing_cream_reason, g_free);

  G_OBJECT_CLASS (striae_plan_parent_class)->finalize (object);
}

static void
striae_plan_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  StriaePlan *self = STRIAE_PLAN (object);

  switch (prop_id)
    {
    case PROP_DEVICE:
      g_value_set_enum (value, self->device);
      break;
    case PROP_RECOMMENDED_SESSIONS:
      g_value_set_uint (value, self->recommended_sessions);
      break;
    case PROP_SESSIONS:
      g_value_set_uint (value, self->sessions);
      break;
    case PROP_SESSIONS_REASON:
      g_value_set_string (value, self->sessions_reason);
      break;
    case PROP_RECOMMENDED_INTERVAL_WEEKS:
      g_value_set_uint (value, self->recommended_interval_weeks);
      break;
    case PROP_INTERVAL_WEEKS:
      g_value_set_uint (value, self->interval_weeks);
      break;
    case PROP_INTERVAL_REASON:
      g_value_set_string (value, self->interval_reason);
      break;
    case PROP_FIRST_SESSION:
      g_value_set_boxed (value, striae_date_or_null (&self->first_session));
      break;
    case PROP_RECOMMENDED_MAINTENANCE_MONTHS:
      g_value_set_uint (value, self->recommended_maintenance_months);
      break;
    case PROP_MAINTENANCE_MONTHS:
      g_value_set_uint (value, self->maintenance_months);
      break;
    case PROP_MAINTENANCE_REASON:
      g_value_set_string (value, self->maintenance_reason);
      break;
    case PROP_RECOMMENDED_NUMBING_CREAM:
      g_value_set_boolean (value, self->recommended_numbing_cream);
      break;
    case PROP_NUMBING_CREAM:
      g_value_set_boolean (value, self->numbing_cream);
      break;
    case PROP_NUMBING_CREAM_REASON:
      g_value_set_string (value, self->numbing_cream_reason);
      break;
    case PROP_ADJUNCTS:
      g_value_set_flags (value, self->adjuncts);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_plan_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  StriaePlan *self = STRIAE_PLAN (object);

  switch (prop_id)
    {
    case PROP_DEVICE:
      striae_plan_set_device (self, g_value_get_enum (value));
      break;
    case PROP_RECOMMENDED_SESSIONS:
      striae_plan_set_recommended_sessions (self, g_value_get_uint (value));
      break;
    case PROP_SESSIONS:
      striae_plan_set_sessions (self, g_value_get_uint (value));
      break;
    case PROP_SESSIONS_REASON:
      striae_plan_set_sessions_reason (self, g_value_get_string (value));
      break;
    case PROP_RECOMMENDED_INTERVAL_WEEKS:
      striae_plan_set_recommended_interval_weeks (self, g_value_get_uint (value));
      break;
    case PROP_INTERVAL_WEEKS:
      striae_plan_set_interval_weeks (self, g_value_get_uint (value));
      break;
    case PROP_INTERVAL_REASON:
      striae_plan_set_interval_reason (self, g_value_get_string (value));
      break;
    case PROP_FIRST_SESSION:
      striae_plan_set_first_session (self, g_value_get_boxed (value));
      break;
    case PROP_RECOMMENDED_MAINTENANCE_MONTHS:
      striae_plan_set_recommended_maintenance_months (self, g_value_get_uint (value));
      break;
    case PROP_MAINTENANCE_MONTHS:
      striae_plan_set_maintenance_months (self, g_value_get_uint (value));
      break;
    case PROP_MAINTENANCE_REASON:
      striae_plan_set_maintenance_reason (self, g_value_get_string (value));
      break;
    case PROP_RECOMMENDED_NUMBING_CREAM:
      striae_plan_set_recommended_numbing_cream (self, g_value_get_boolean (value));
      break;
    case PROP_NUMBING_CREAM:
      striae_plan_set_numbing_cream (self, g_value_get_boolean (value));
      break;
    case PROP_NUMBING_CREAM_REASON:
      striae_plan_set_numbing_cream_reason (self, g_value_get_string (value));
      break;
    case PROP_ADJUNCTS:
      striae_plan_set_adjuncts (self, g_value_get_flags (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_plan_class_init (StriaePlanClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = striae_plan_finalize;
  object_class->get_property = striae_plan_get_property;
  object_class->set_property = striae_plan_set_property;

  properties [PROP_DEVICE] =
    g_param_spec_enum ("device", NULL, NULL, STRIAE_TYPE_DEVICE, STRIAE_DEVICE_NOT_SET, flags);
  properties [PROP_RECOMMENDED_SESSIONS] =
    g_param_spec_uint ("recommended-sessions", NULL, NULL, 0, STRIAE_PLAN_SESSIONS_MAX, 0, flags);
  properties [PROP_SESSIONS] =
    g_param_spec_uint ("sessions", NULL, NULL, 0, STRIAE_PLAN_SESSIONS_MAX, 0, flags);
  properties [PROP_SESSIONS_REASON] =
    g_param_spec_string ("sessions-reason", NULL, NULL, "", flags);
  properties [PROP_RECOMMENDED_INTERVAL_WEEKS] =
    g_param_spec_uint ("recommended-interval-weeks", NULL, NULL,
                       0, STRIAE_PLAN_INTERVAL_MAX, 0, flags);
  properties [PROP_INTERVAL_WEEKS] =
    g_param_spec_uint ("interval-weeks", NULL, NULL, 0, STRIAE_PLAN_INTERVAL_MAX, 0, flags);
  properties [PROP_INTERVAL_REASON] =
    g_param_spec_string ("interval-reason", NULL, NULL, "", flags);
  properties [PROP_FIRST_SESSION] =
    g_param_spec_boxed ("first-session", NULL, NULL, G_TYPE_DATE, flags);
  properties [PROP_RECOMMENDED_MAINTENANCE_MONTHS] =
    g_param_spec_uint ("recommended-maintenance-months", NULL, NULL,
                       0, STRIAE_PLAN_MAINTENANCE_MAX, 0, flags);
  properties [PROP_MAINTENANCE_MONTHS] =
    g_param_spec_uint ("maintenance-months", NULL, NULL,
                       0, STRIAE_PLAN_MAINTENANCE_MAX, 0, flags);
  properties [PROP_MAINTENANCE_REASON] =
    g_param_spec_string ("maintenance-reason", NULL, NULL, "", flags);
  properties [PROP_RECOMMENDED_NUMBING_CREAM] =
    g_param_spec_boolean ("recommended-numbing-cream", NULL, NULL, TRUE, flags);
  properties [PROP_NUMBING_CREAM] =
    g_param_spec_boolean ("numbing-cream", NULL, NULL, TRUE, flags);
  properties [PROP_NUMBING_CREAM_REASON] =
    g_param_spec_string ("numbing-cream-reason", NULL, NULL, "", flags);
  properties [PROP_ADJUNCTS] =
    g_param_spec_flags ("adjuncts", NULL, NULL, STRIAE_TYPE_ADJUNCT, STRIAE_ADJUNCT_NONE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * StriaePlan::changed:
   *
   * Emitted after any change.
   */
  signals [CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
striae_plan_init (StriaePlan *self)
{
  /* [microneedling] numbing cream is usually applied beforehand. */
  self->recommended_numbing_cream = TRUE;
  self->numbing_cream = TRUE;
  self->sessions_reason = g_strdup ("");
  self->interval_reason = g_strdup ("");
  g_date_clear (&self->first_session, 1);
  g_date_clear (&self->consultation_date, 1);
  self->maintenance_reason = g_strdup ("");
  self->numbing_cream_reason = g_strdup ("");
}

StriaePlan *
striae_plan_new (void)
{
  return g_object_new (STRIAE_TYPE_PLAN, NULL);
}

void
striae_plan_copy_into (StriaePlan *self,
                       StriaePlan *dest)
{
  g_return_if_fail (STRIAE_IS_PLAN (self));
  g_return_if_fail (STRIAE_IS_PLAN (dest));

  g_object_freeze_notify (G_OBJECT (dest));
  for (guint i = 1; i < N_PROPS; i++)
    {
      g_auto(GValue) value = G_VALUE_INIT;

      g_value_init (&value, properties [i]->value_type);
      g_object_get_property (G_OBJECT (self), properties [i]->name, &value);
      g_object_set_property (G_OBJECT (dest), properties [i]->name, &value);
    }
  g_object_thaw_notify (G_OBJECT (dest));
}

StriaeDevice
striae_plan_get_device (StriaePlan *self)
{
  g_return_val_if_fail (STRIAE_IS_PLAN (self), STRIAE_DEVICE_NOT_SET);
  return self->device;
}

void
striae_plan_set_device (StriaePlan   *self,
                        StriaeDevice  device)
{
  g_return_if_fail (STRIAE_IS_PLAN (self));
  g_return_if_fail (device <= STRIAE_DEVICE_RF);

  if (self->device == device)
    return;

  self->device = device;
  changed (self, PROP_DEVICE);
}

#define UINT_ACCESSORS(field, PROP, MAX)                              \
guint                                                                 \
striae_plan_get_##field (StriaePlan *self)                            \
{                                                                     \
  g_return_val_if_fail (STRIAE_IS_PLAN (self), 0);                    \
  return self->field;                                                 \
}                                                                     \
                                                                      \
void                                                                  \
striae_plan_set_##field (StriaePlan *self,                            \
                         guint       value)                           \
{                                                                     \
  g_return_if_fail (STRIAE_IS_PLAN (self));                           \
  g_return_if_fail (value <= MAX);                                    \
                                                                      \
  if (self->field == value)                                           \
    return;                                                           \
                                                                      \
  self->field = value;                                                \
  changed (self, PROP);                                               \
}

#define TEXT_ACCESSORS(field, PROP)                                   \
const char *                                                          \
striae_plan_get_##field (StriaePlan *self)                            \
{                                                                     \
  g_return_val_if_fail (STRIAE_IS_PLAN (self), NULL);                 \
  return self->field;                                                 \
}                                                                     \
                                                                      \
void                                                                  \
striae_plan_set_##field (StriaePlan *self,                            \
                         const char *value)                           \
{                                                                     \
  g_return_if_fail (STRIAE_IS_PLAN (self));                           \
                                                                      \
  if (striae_core_set_text (G_OBJECT (self), &self->field, value,     \
                            properties [PROP]))                       \
    g_signal_emit (self, signals [CHANGED], 0);                       \
}

#define BOOL_ACCESSORS(field, PROP)                                   \
gboolean                                                              \
striae_plan_get_##field (StriaePlan *self)                            \
{                                                                     \
  g_return_val_if_fail (STRIAE_IS_PLAN (self), FALSE);                \
  return self->field;                                                 \
}                                                                     \
                                                                      \
void                                                                  \
striae_plan_set_##field (StriaePlan *self,                            \
                         gboolean    value)                           \
{                                                                     \
  g_return_if_fail (STRIAE_IS_PLAN (self));                           \
                                                                      \
  value = !!value;                                                    \
  if (self->field == value)                                           \
    return;                                                           \
                                                                      \
  self->field = value;                                                \
  changed (self, PROP);                                               \
}

UINT_ACCESSORS (recommended_sessions, PROP_RECOMMENDED_SESSIONS, STRIAE_PLAN_SESSIONS_MAX)
UINT_ACCESSORS (sessions, PROP_SESSIONS, STRIAE_PLAN_SESSIONS_MAX)
TEXT_ACCESSORS (sessions_reason, PROP_SESSIONS_REASON)
UINT_ACCESSORS (recommended_interval_weeks, PROP_RECOMMENDED_INTERVAL_WEEKS,
                STRIAE_PLAN_INTERVAL_MAX)
UINT_ACCESSORS (interval_weeks, PROP_INTERVAL_WEEKS, STRIAE_PLAN_INTERVAL_MAX)
TEXT_ACCESSORS (interval_reason, PROP_INTERVAL_REASON)
UINT_ACCESSORS (recommended_maintenance_months, PROP_RECOMMENDED_MAINTENANCE_MONTHS,
                STRIAE_PLAN_MAINTENANCE_MAX)
UINT_ACCESSORS (maintenance_months, PROP_MAINTENANCE_MONTHS, STRIAE_PLAN_MAINTENANCE_MAX)
TEXT_ACCESSORS (maintenance_reason, PROP_MAINTENANCE_REASON)
BOOL_ACCESSORS (recommended_numbing_cream, PROP_RECOMMENDED_NUMBING_CREAM)
BOOL_ACCESSORS (numbing_cream, PROP_NUMBING_CREAM)
TEXT_ACCESSORS (numbing_cream_reason, PROP_NUMBING_CREAM_REASON)

#undef UINT_ACCESSORS
#undef TEXT_ACCESSORS
#undef BOOL_ACCESSORS

/* Returns: (nullable): the day of the first session, %NULL when none is set */
const GDate *
striae_plan_get_first_session (StriaePlan *self)
{
  g_return_val_if_fail (STRIAE_IS_PLAN (self), NULL);
  return striae_date_or_null (&self->first_session);
}

/* @date: (nullable): the day of the first session, or %NULL for none */
void
striae_plan_set_first_session (StriaePlan  *self,
                               const GDate *date)
{
  g_return_if_fail (STRIAE_IS_PLAN (self));

  if (striae_date_assign (&self->first_session, date))
    changed (self, PROP_FIRST_SESSION);
}

StriaeAdjunct
striae_plan_get_adjuncts (StriaePlan *self)
{
  g_return_val_if_fail (STRIAE_IS_PLAN (self), STRIAE_ADJUNCT_NONE);
  return self->adjuncts;
}

void
striae_plan_set_adjuncts (StriaePlan    *self,
                          StriaeAdjunct  adjuncts)
{
  g_return_if_fail (STRIAE_IS_PLAN (self));
  g_return_if_fail ((adjuncts & ~STRIAE_ADJUNCT_ALL) == 0);

  if (self->adjuncts == adjuncts)
    return;

  self->adjuncts = adjuncts;
  changed (self, PROP_ADJUNCTS);
}

static gboolean
check_reason (const char  *reason,
              gboolean     overridden,
              const char  *message,
              GError     **error)
{
  if (!g_utf8_validate (reason, -1, NULL) || g_utf8_strlen (reason, -1) > STRIAE_PLAN_REASON_MAX)
    {
      g_set_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
                   _("A reason must be valid text of at most %u characters."),
                   STRIAE_PLAN_REASON_MAX);
      return FALSE;
    }

  /* [override] every recommendation can be overridden, and the override is recorded next
   * to what was recommended: a change without a reason leaves the plan incomplete. */
  if (overridden && reason[0] == '\0')
    {
      g_set_error_literal (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INCOMPLETE, message);
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_depths (GListModel  *areas,
              GError     **error)
{
  guint n = areas ? g_list_model_get_n_items (areas) : 0;

  if (n == 0)
    {
      g_set_error_literal (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INCOMPLETE,
                           _("Needle depth: add at least one area with stretch marks."));
      return FALSE;
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(StriaeArea) area = g_list_model_get_item (areas, i);
      g_autofree char *title = striae_area_dup_title (area);

      if (striae_area_get_depth (area) <= 0)
        {
          g_set_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INCOMPLETE,
                       _("Needle depth: enter or confirm the depth for %s."), title);
          return FALSE;
        }

      if (!striae_core_is_quarter_mm (striae_area_get_depth (area)))
        {
          g_set_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
                       _("Needle depth for %s: choose a depth in steps of 0.25 mm."), title);
          return FALSE;
        }

      if (striae_area_is_depth_overridden (area) &&
          striae_area_get_depth_reason (area)[0] == '\0')
        {
          g_set_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INCOMPLETE,
                       _("Needle depth for %s: %.2f mm differs from the recommended %.2f mm. "
                         "Give a reason."),
                       title, striae_area_get_depth (area),
                       striae_area_get_recommended_depth (area));
          return FALSE;
        }
    }

  return TRUE;
}

gboolean
striae_plan_check_field (StriaePlan       *self,
                         StriaePlanField   field,
                         GListModel       *areas,
                         GError          **error)
{
  g_autofree char *message = NULL, *entered = NULL, *recommended = NULL;
  g_return_val_if_fail (STRIAE_IS_PLAN (self), FALSE);
  g_return_val_if_fail (field < STRIAE_PLAN_N_FIELDS, FALSE);
  g_return_val_if_fail (areas == NULL || G_IS_LIST_MODEL (areas), FALSE);

  switch (field)
    {
    case STRIAE_PLAN_FIELD_DEVICE:
      if (self->device == STRIAE_DEVICE_NOT_SET)
        {
          g_set_error_literal (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INCOMPLETE,
                               _("Device: choose a roller, a pen or radiofrequency."));
          return FALSE;
        }
      return TRUE;

    case STRIAE_PLAN_FIELD_DEPTH:
      return check_depths (areas, error);

    case STRIAE_PLAN_FIELD_SESSIONS:
      if (self->sessions == 0)
        {
          g_set_error_literal (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INCOMPLETE,
                               _("Sessions: enter the number of sessions."));
          return FALSE;
        }
      message = g_strdup_printf (_("Sessions: %u differs from the recommended %u. "
                                   "Give a reason."),
                                 self->sessions, self->recommended_sessions);
      return check_reason (self->sessions_reason,
                           self->recommended_sessions &&
                           self->sessions != self->recommended_sessions,
                           message, error);

    case STRIAE_PLAN_FIELD_INTERVAL:
      if (self->interval_weeks == 0 && self->sessions > 1)
        {
          g_set_error_literal (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INCOMPLETE,
                               _("Interval: enter the weeks between sessions."));
          return FALSE;
        }
      entered = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u week", "%u weeks",
                                              self->interval_weeks),
                                 self->interval_weeks);
      recommended = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u week", "%u weeks",
                                                  self->recommended_interval_weeks),
                                     self->recommended_interval_weeks);
      /* TRANSLATORS: both placeholders are a number of weeks, e.g. "3 weeks"; the first is
       * the entered interval, the second the recommended one */
      message = g_strdup_printf (_("Interval: %s differs from the recommended %s. "
                                   "Give a reason."),
                                 entered, recommended);
      return check_reason (self->interval_reason,
                           self->recommended_interval_weeks &&
                           self->interval_weeks != self->recommended_interval_weeks,
                           message, error);

    case STRIAE_PLAN_FIELD_FIRST_SESSION:
      /* Whether what was typed is a day is the form's concern: only a day reaches here. */
      if (!g_date_valid (&self->first_session))
        {
          g_set_error_literal (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INCOMPLETE,
                               _("First session: enter the date of the first session."));
          return FALSE;
        }
      if (g_date_valid (&self->consultation_date) &&
          g_date_compare (&self->first_session, &self->consultation_date) < 0)
        {
          g_autofree char *shown = striae_format_local_date (&self->consultation_date);

          g_set_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
                       _("First session: it is before the consultation on %s; "
                         "choose that day or a later one."),
                       shown);
          return FALSE;
        }
      return TRUE;

    case STRIAE_PLAN_FIELD_MAINTENANCE:
      entered = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "every %u month",
                                              "every %u months", self->maintenance_months),
                                 self->maintenance_months);
      recommended = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u month", "%u months",
                                                  self->recommended_maintenance_months),
                                     self->recommended_maintenance_months);
      /* TRANSLATORS: the first placeholder is the entered interval, e.g. "every 6 months";
       * the second is the recommended number of months, e.g. "4 months" */
      message = g_strdup_printf (_("Maintenance: %s differs from the recommended %s. "
                                   "Give a reason."),
                                 entered, recommended);
      return check_reason (self->maintenance_reason,
                           self->maintenance_months != self->recommended_maintenance_months,
                           message, error);

    case STRIAE_PLAN_FIELD_NUMBING_CREAM:
      message = g_strdup (self->recommended_numbing_cream
                          ? _("Numbing cream: it is recommended but not planned. Give a reason.")
                          : _("Numbing cream: it is planned against the recommendation "
                              "(for example an allergy to local anaesthetics). Give a reason."));
      return check_reason (self->numbing_cream_reason,
                           self->numbing_cream != self->recommended_numbing_cream,
                           message, error);

    default:
      g_assert_not_reached ();
    }
}

gboolean
striae_plan_validate (StriaePlan       *self,
                      GListModel       *areas,
                      StriaePlanField  *bad_field,
                      GError          **error)
{
  g_return_val_if_fail (STRIAE_IS_PLAN (self), FALSE);

  for (guint i = 0; i < STRIAE_PLAN_N_FIELDS; i++)
    {
      if (!striae_plan_check_field (self, i, areas, error))
        {
          if (bad_field)
            *bad_field = i;
          return FALSE;
        }
    }

  return TRUE;
}

/**
 * striae_plan_compute_schedule:
 *
 * The dates of the planned sessions: the first session, then one every interval.
 *
 * Returns: (transfer full): a #GArray of #GDate, one per session
 */
GArray *
striae_plan_compute_schedule (StriaePlan  *self,
                              GError     **error)
{
  g_autoptr(GArray) dates = NULL;
  GDate date;

  g_return_val_if_fail (STRIAE_IS_PLAN (self), NULL);

  if (!striae_plan_check_field (self, STRIAE_PLAN_FIELD_FIRST_SESSION, NULL, error))
    return NULL;

  if (self->sessions == 0 || (self->sessions > 1 && self->interval_weeks == 0))
    {
      g_set_error_literal (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INCOMPLETE,
                           _("Enter the number of sessions and the weeks between them."));
      return NULL;
    }

  date = self->first_session;
  dates = g_array_sized_new (FALSE, TRUE, sizeof (GDate), self->sessions);
  for (guint i = 0; i < self->sessions; i++)
    {
      g_array_append_val (dates, date);
      g_date_add_days (&date, self->interval_weeks * 7);
    }

  return g_steal_pointer (&dates);
}

/* [course] maintenance sessions every few months once the course is done: the first one is
 * that many months after the last session of the course. Every session of the course falls on
 * the weekday the first one was booked on, a day the clinic sees patients; the maintenance
 * session keeps that weekday, on the nearest such day (at most three days either way), rather
 * than on a weekend or another day the clinic may be closed. */
gboolean
striae_plan_compute_maintenance_date (StriaePlan  *self,
                                      GDate       *date,
                                      GError     **error)
{
  g_autoptr(GArray) dates = NULL;
  GDateWeekday weekday;
  int shift;

  g_return_val_if_fail (STRIAE_IS_PLAN (self), FALSE);
  g_return_val_if_fail (date != NULL, FALSE);

  g_date_clear (date, 1);

  if (self->maintenance_months == 0)
    {
      g_set_error_literal (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INCOMPLETE,
                           _("No maintenance sessions are planned."));
      return FALSE;
    }

  dates = striae_plan_compute_schedule (self, error);
  if (dates == NULL)
    return FALSE;

  *date = g_array_index (dates, GDate, dates->len - 1);
  weekday = g_date_get_weekday (date);
  g_date_add_months (date, self->maintenance_months);
  shift = ((int) weekday - (int) g_date_get_weekday (date) + 7) % 7;
  if (shift <= 3)
    g_date_add_days (date, shift);
  else
    g_date_subtract_days (date, 7 - shift);
  return TRUE;
}

/* Called by the consultation that owns @self whenever its date changes: the first session is
 * checked against it (striae_plan_check_field()). The consultation says it changed; the
 * plan's own data did not, so "changed" is not emitted. */
void
striae_plan_set_consultation_date (StriaePlan  *self,
                                   const GDate *date)
{
  g_return_if_fail (STRIAE_IS_PLAN (self));

  striae_date_assign (&self->consultation_date, date);
}
