/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "striae-core-enums.h"
#include "striae-core-error.h"
#include "striae-core-private.h"
#include "striae-session-check.h"

/* [contra] the default level of each item; the clinic's rules may change it, and the page
 * that asks the check decides with them. */
static const StriaeCheckItemInfo items[] = {
  { STRIAE_CHECK_ITEM_PREGNANCY, "pregnancy",
    N_("Is the patient pregnant, or could she be?"), TRUE },
  { STRIAE_CHECK_ITEM_BREASTFEEDING, "breastfeeding",
    N_("Is the patient breastfeeding?"), FALSE },
  { STRIAE_CHECK_ITEM_ANTICOAGULANTS, "anticoagulants",
    N_("Has the patient started blood thinners since the last visit?"), FALSE },
  { STRIAE_CHECK_ITEM_ISOTRETINOIN, "isotretinoin",
    N_("Has the patient taken isotretinoin since the last visit?"), TRUE },
  { STRIAE_CHECK_ITEM_CORTICOSTEROIDS, "corticosteroids",
    N_("Has the patient started corticosteroids since the last visit?"), FALSE },
  { STRIAE_CHECK_ITEM_INFECTION, "infection",
    N_("Is there a skin infection in or near the area?"), TRUE },
  { STRIAE_CHECK_ITEM_COLD_SORE, "cold-sore",
    N_("Does the patient have a cold sore now?"), TRUE },
  { STRIAE_CHECK_ITEM_RECENT_SUN, "recent-sun",
    N_("Sunburn or a tan on the area in the last 2 weeks?"), FALSE },
  { STRIAE_CHECK_ITEM_RECENT_RESURFACING, "recent-resurfacing",
    N_("Laser, peel or other resurfacing on the area in the last 4 weeks?"), FALSE },
  { STRIAE_CHECK_ITEM_RETINOIDS, "retinoids",
    N_("Retinoids or exfoliating acids on the area since the last visit?"), FALSE },
};

G_STATIC_ASSERT (G_N_ELEMENTS (items) == STRIAE_N_CHECK_ITEMS);

const StriaeCheckItemInfo *
striae_check_item_get_info (StriaeCheckItem item)
{
  g_return_val_if_fail (item < STRIAE_N_CHECK_ITEMS, NULL);
  return &items[item];
}

const char *
striae_check_item_get_label (StriaeCheckItem item)
{
  g_return_val_if_fail (item < STRIAE_N_CHECK_ITEMS, NULL);
  return _(items[item].label);
}

gboolean
striae_check_item_from_id (const char      *id,
                           StriaeCheckItem *item)
{
  for (guint i = 0; i < STRIAE_N_CHECK_ITEMS; i++)
    if (g_strcmp0 (items[i].id, id) == 0)
      {
        *item = i;
        return TRUE;
      }

  return FALSE;
}

/* The clinic's level of @item: that of the screening check of the same id, as the clinic set
 * it (@rules) or as CLINICAL.md gives it (%NULL); an active cold sore, which the consultation
 * asks about only as a history of herpes, is a skin infection in the area [contra]. */
StriaeLevel
striae_check_item_get_level (StriaeCheckItem  item,
                             StriaeRules     *rules)
{
  StriaeCheck check;

  g_return_val_if_fail (item < STRIAE_N_CHECK_ITEMS, STRIAE_LEVEL_ABSOLUTE);
  g_return_val_if_fail (rules == NULL || STRIAE_IS_RULES (rules), STRIAE_LEVEL_ABSOLUTE);

  if (!striae_check_from_id (items[item].id, &check))
    check = STRIAE_CHECK_INFECTION;
  if (rules != NULL)
    return striae_rules_get_level (rules, check);

  return striae_check_get_info (check)->default_level;
}

struct _StriaeSessionCheck
{
  GObject            parent_instance;

  StriaeAnswer       answers[STRIAE_N_CHECK_ITEMS];
  char              *changes;
  StriaeCheckResult  result;
  char              *reason;
};

G_DEFINE_FINAL_TYPE (StriaeSessionCheck, striae_session_check, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CHANGES,
  PROP_RESULT,
  PROP_REASON,
  PROP_ITEM0,
  N_PROPS = PROP_ITEM0 + STRIAE_N_CHECK_ITEMS
};

static GParamSpec *properties [N_PROPS];

static void
striae_session_check_finalize (GObject *object)
{
  StriaeSessionCheck *self = (StriaeSessionCheck *) object;

  g_clear_pointer (&self->changes, g_free);
  g_clear_pointer (&self->reason, g_free);

  G_OBJECT_CLASS (striae_session_check_parent_class)->finalize (object);
}

static void
striae_session_check_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  StriaeSessionCheck *self = STRIAE_SESSION_CHECK (object);

  if (prop_id >= PROP_ITEM0 && prop_id < N_PROPS)
    {
      g_value_set_enum (value, self->answers[prop_id - PROP_ITEM0]);
      return;
    }

  switch (prop_id)
    {
    case PROP_CHANGES:
      g_value_set_string (value, self->changes);
      break;
    case PROP_RESULT:
      g_value_set_enum (value, self->result);
      break;
    case PROP_REASON:
      g_value_set_string (value, self->reason);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_session_check_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  StriaeSessionCheck *self = STRIAE_SESSION_CHECK (object);

  if (prop_id >= PROP_ITEM0 && prop_id < N_PROPS)
    {
      striae_session_check_set_answer (self, prop_id - PROP_ITEM0, g_value_get_enum (value));
      return;
    }

  switch (prop_id)
    {
    case PROP_CHANGES:
      striae_session_check_set_changes (self, g_value_get_string (value));
      break;
    case PROP_RESULT:
      striae_session_check_set_result (self, g_value_get_enum (value));
      break;
    case PROP_REASON:
      striae_session_check_set_reason (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_session_check_class_init (StriaeSessionCheckClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = striae_session_check_finalize;
  object_class->get_property = striae_session_check_get_property;
  object_class->set_property = striae_session_check_set_property;

  properties [PROP_CHANGES] = g_param_spec_string ("changes", NULL, NULL, "", flags);
  properties [PROP_RESULT] =
    g_param_spec_enum ("result", NULL, NULL, STRIAE_TYPE_CHECK_RESULT,
                       STRIAE_CHECK_RESULT_NOT_DONE, flags);
  properties [PROP_REASON] = g_param_spec_string ("reason", NULL, NULL, "", flags);
  for (guint i = 0; i < STRIAE_N_CHECK_ITEMS; i++)
    properties [PROP_ITEM0 + i] =
      g_param_spec_enum (items[i].id, NULL, NULL, STRIAE_TYPE_ANSWER,
                         STRIAE_ANSWER_NOT_ASKED, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
striae_session_check_init (StriaeSessionCheck *self)
{
  self->changes = g_strdup ("");
  self->reason = g_strdup ("");
}

StriaeSessionCheck *
striae_session_check_new (void)
{
  return g_object_new (STRIAE_TYPE_SESSION_CHECK, NULL);
}

void
striae_session_check_copy_into (StriaeSessionCheck *self,
                                StriaeSessionCheck *dest)
{
  g_return_if_fail (STRIAE_IS_SESSION_CHECK (self));
  g_return_if_fail (STRIAE_IS_SESSION_CHECK (dest));

  for (guint i = 0; i < STRIAE_N_CHECK_ITEMS; i++)
    striae_session_check_set_answer (dest, i, self->answers[i]);
  striae_session_check_set_changes (dest, self->changes);
  striae_session_check_set_result (dest, self->result);
  striae_session_check_set_reason (dest, self->reason);
}

StriaeAnswer
striae_session_check_get_answer (StriaeSessionCheck *self,
                                 StriaeCheckItem     item)
{
  g_return_val_if_fail (STRIAE_IS_SESSION_CHECK (self), STRIAE_ANSWER_NOT_ASKED);
  g_return_val_if_fail (item < STRIAE_N_CHECK_ITEMS, STRIAE_ANSWER_NOT_ASKED);

  return self->answers[item];
}

void
striae_session_check_set_answer (StriaeSessionCheck *self,
                                 StriaeCheckItem     item,
                                 StriaeAnswer        answer)
{
  g_return_if_fail (STRIAE_IS_SESSION_CHECK (self));
  g_return_if_fail (item < STRIAE_N_CHECK_ITEMS);
  g_return_if_fail (answer < STRIAE_N_ANSWERS);

  if (self->answers[item] == answer)
    return;

  self->answers[item] = answer;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ITEM0 + item]);
}

/* "Unknown" counts like a "yes" that is not confirmed, as in the consultation's screening. */
static gboolean
is_change (StriaeAnswer answer)
{
  return answer == STRIAE_ANSWER_YES || answer == STRIAE_ANSWER_UNKNOWN;
}

gboolean
striae_session_check_has_changes (StriaeSessionCheck *self)
{
  g_return_val_if_fail (STRIAE_IS_SESSION_CHECK (self), FALSE);

  for (guint i = 0; i < STRIAE_N_CHECK_ITEMS; i++)
    if (is_change (self->answers[i]))
      return TRUE;

  return FALSE;
}

/* Whether a changed answer is an absolute contraindication at CLINICAL.md's default level. */
gboolean
striae_session_check_has_absolute (StriaeSessionCheck *self)
{
  g_return_val_if_fail (STRIAE_IS_SESSION_CHECK (self), FALSE);

  for (guint i = 0; i < STRIAE_N_CHECK_ITEMS; i++)
    if (items[i].absolute && is_change (self->answers[i]))
      return TRUE;

  return FALSE;
}

/**
 * striae_session_check_dup_stop_reason:
 * @rules: (nullable): the clinic's rules, or %NULL for CLINICAL.md's levels
 *
 * Why the session must stop: the changed answers that are absolute at the clinic's level,
 * in words, one a line; %NULL when none is, and the session may go on (a relative finding
 * acknowledged, or nothing changed) [contra].
 */
char *
striae_session_check_dup_stop_reason (StriaeSessionCheck *self,
                                      StriaeRules        *rules)
{
  g_autoptr(GString) reason = g_string_new (NULL);

  g_return_val_if_fail (STRIAE_IS_SESSION_CHECK (self), NULL);

  for (guint i = 0; i < STRIAE_N_CHECK_ITEMS; i++)
    {
      StriaeCheck check;
      const char *title;

      if (!is_change (self->answers[i]) ||
          striae_check_item_get_level (i, rules) != STRIAE_LEVEL_ABSOLUTE)
        continue;
      if (i == STRIAE_CHECK_ITEM_COLD_SORE)
        title = _("An active cold sore");
      else if (striae_check_from_id (items[i].id, &check))
        title = striae_check_get_title (check);
      else
        title = striae_check_item_get_label (i);
      if (reason->len > 0)
        g_string_append_c (reason, '\n');
      g_string_append (reason, title);
    }

  return reason->len > 0 ? g_string_free (g_steal_pointer (&reason), FALSE) : NULL;
}

const char *
striae_session_check_get_changes (StriaeSessionCheck *self)
{
  g_return_val_if_fail (STRIAE_IS_SESSION_CHECK (self), NULL);
  return self->changes;
}

void
striae_session_check_set_changes (StriaeSessionCheck *self,
                                  const char         *changes)
{
  g_return_if_fail (STRIAE_IS_SESSION_CHECK (self));
  striae_core_set_text (G_OBJECT (self), &self->changes, changes, properties [PROP_CHANGES]);
}

StriaeCheckResult
striae_session_check_get_result (StriaeSessionCheck *self)
{
  g_return_val_if_fail (STRIAE_IS_SESSION_CHECK (self), STRIAE_CHECK_RESULT_NOT_DONE);
  return self->result;
}

void
striae_session_check_set_result (StriaeSessionCheck *self,
                                 StriaeCheckResult   result)
{
  g_return_if_fail (STRIAE_IS_SESSION_CHECK (self));
  g_return_if_fail (result <= STRIAE_CHECK_RESULT_ACKNOWLEDGED);

  if (self->result == result)
    return;

  self->result = result;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_RESULT]);
}

const char *
striae_session_check_get_reason (StriaeSessionCheck *self)
{
  g_return_val_if_fail (STRIAE_IS_SESSION_CHECK (self), NULL);
  return self->reason;
}

void
striae_session_check_set_reason (StriaeSessionCheck *self,
                                 const char         *reason)
{
  g_return_if_fail (STRIAE_IS_SESSION_CHECK (self));
  striae_core_set_text (G_OBJECT (self), &self->reason, reason, properties [PROP_REASON]);
}

static gboolean
check_text (const char  *text,
            GError     **error)
{
  if (!g_utf8_validate (text, -1, NULL) ||
      g_utf8_strlen (text, -1) > STRIAE_SESSION_CHECK_TEXT_MAX)
    {
      g_set_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
                   _("The notes of the check before the session must be valid text of at "
                     "most %u characters."), STRIAE_SESSION_CHECK_TEXT_MAX);
      return FALSE;
    }

  return TRUE;
}

/* Whether the result fits the answers: a changed answer is never clear, a session is stopped
 * with its reason, and only a changed answer is acknowledged [contra]. Whether a finding is
 * absolute is the clinic's rule, which the page that asks the check applies. */
gboolean
striae_session_check_validate (StriaeSessionCheck  *self,
                               GError             **error)
{
  gboolean changed;

  g_return_val_if_fail (STRIAE_IS_SESSION_CHECK (self), FALSE);

  if (!check_text (self->changes, error) || !check_text (self->reason, error))
    return FALSE;

  changed = striae_session_check_has_changes (self);
  if (self->result == STRIAE_CHECK_RESULT_CLEAR && changed)
    {
      g_set_error_literal (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
                           _("An answer changed since the consultation: stop the session, or "
                             "acknowledge the finding."));
      return FALSE;
    }
  if (self->result == STRIAE_CHECK_RESULT_ACKNOWLEDGED && !changed)
    {
      g_set_error_literal (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
                           _("No answer changed since the consultation, so there is no finding "
                             "to acknowledge: mark the check as clear."));
      return FALSE;
    }
  if (self->result == STRIAE_CHECK_RESULT_STOPPED && self->reason[0] == '\0')
    {
      g_set_error_literal (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
                           _("Say why the session was stopped; the reason is kept with the "
                             "session record."));
      return FALSE;
    }

  return TRUE;
}
