/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "striae-findings-group.h"

struct _StriaeFindingsGroup
{
  AdwPreferencesGroup        parent_instance;

  guint                      parts;
  StriaeConsultationSession *session;
  GPtrArray                 *rows;
  GHashTable                *checks;   /* finding id → its "Acknowledged" GtkCheckButton */
  char                      *key;      /* the findings shown, to rebuild only on a change */
  guint                      n_findings;
};

G_DEFINE_FINAL_TYPE (StriaeFindingsGroup, striae_findings_group, ADW_TYPE_PREFERENCES_GROUP)

enum {
  PROP_0,
  PROP_PARTS,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
acknowledge_toggled_cb (GtkCheckButton      *check,
                        StriaeFindingsGroup *self)
{
  StriaeConsultation *consultation = striae_consultation_session_get_consultation (self->session);
  StriaeScreening *screening = striae_consultation_session_get_screening (self->session);
  gboolean active = gtk_check_button_get_active (check);
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer id, value;

  if (consultation == NULL || screening == NULL)
    return;

  g_hash_table_iter_init (&iter, self->checks);
  while (g_hash_table_iter_next (&iter, &id, &value))
    if (value == (gpointer) check &&
        !striae_screening_acknowledge (screening, consultation, id, active, &error))
      {
        /* Only findings have a check, so this is a screening that changed under it. */
        g_warning ("%s", error->message);
        gtk_check_button_set_active (check, FALSE);
        return;
      }
}

static GtkWidget *
finding_row_new (StriaeFindingsGroup *self,
                 StriaeFinding       *finding)
{
  GtkWidget *row = adw_action_row_new ();
  gboolean absolute = striae_finding_get_level (finding) == STRIAE_LEVEL_ABSOLUTE;
  GtkWidget *icon;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), striae_finding_get_title (finding));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), striae_finding_get_reason (finding));
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);

  icon = gtk_image_new_from_icon_name (absolute ? "dialog-error-symbolic"
                                                : "dialog-warning-symbolic");
  gtk_widget_add_css_class (icon, absolute ? "error" : "warning");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  absolute ? _("Blocks the plan") : _("Needs acknowledgement"),
                                  -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);

  if (absolute)
    {
      GtkWidget *label = gtk_label_new (_("Blocks the plan"));

      gtk_widget_add_css_class (label, "error");
      gtk_widget_add_css_class (label, "heading");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
    }
  else
    {
      GtkWidget *check = gtk_check_button_new_with_label (_("Acknowledged"));

      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (check),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      striae_finding_get_title (finding), -1);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check),
                                   striae_finding_get_acknowledged (finding));
      g_signal_connect (check, "toggled", G_CALLBACK (acknowledge_toggled_cb), self);
      g_hash_table_insert (self->checks, g_strdup (striae_finding_get_id (finding)), check);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), check);
    }

  return row;
}

static void
add_row (StriaeFindingsGroup *self,
         GtkWidget           *row)
{
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);
  g_ptr_array_add (self->rows, row);
}

static void
add_none_row (StriaeFindingsGroup *self,
              StriaeScreening     *screening)
{
  GtkWidget *row = adw_action_row_new ();
  gboolean missing = striae_screening_count_missing (screening, self->parts) > 0;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 missing ? _("No contraindication in the answers so far")
                                         : _("No contraindications found"));
  adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name ("emblem-ok-symbolic"));
  add_row (self, row);
}

/* The findings of the group's parts, in the screening's order. */
static GPtrArray *
collect (StriaeFindingsGroup *self,
         StriaeScreening     *screening,
         GString             *key)
{
  GListModel *findings = striae_screening_get_findings (screening);
  GPtrArray *mine = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < g_list_model_get_n_items (findings); i++)
    {
      g_autoptr(StriaeFinding) finding = g_list_model_get_item (findings, i);

      if ((striae_check_get_part (striae_finding_get_check (finding)) & self->parts) == 0)
        continue;
      g_string_append_printf (key, "%s:%d:%s;", striae_finding_get_id (finding),
                              striae_finding_get_level (finding),
                              striae_finding_get_reason (finding));
      g_ptr_array_add (mine, g_steal_pointer (&finding));
    }
  g_string_append_printf (key, "missing:%u",
                          striae_screening_count_missing (screening, self->parts) > 0);

  return mine;
}

/* Rebuilds the rows only when the set of findings changed, so that ticking an
 * acknowledgement keeps the focus where it is. */
static void
update (StriaeFindingsGroup *self)
{
  StriaeScreening *screening = self->session != NULL
                               ? striae_consultation_session_get_screening (self->session)
                               : NULL;
  g_autoptr(GString) key = g_string_new (NULL);
  g_autoptr(GPtrArray) mine = NULL;

  if (screening == NULL)
    return;

  mine = collect (self, screening, key);
  self->n_findings = mine->len;
  if (g_strcmp0 (key->str, self->key) == 0)
    {
      for (guint i = 0; i < mine->len; i++)
        {
          StriaeFinding *finding = g_ptr_array_index (mine, i);
          GtkCheckButton *check = g_hash_table_lookup (self->checks,
                                                       striae_finding_get_id (finding));

          if (check != NULL &&
              gtk_check_button_get_active (check) != striae_finding_get_acknowledged (finding))
            gtk_check_button_set_active (check, striae_finding_get_acknowledged (finding));
        }
      return;
    }

  g_free (self->key);
  self->key = g_string_free (g_steal_pointer (&key), FALSE);

  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self),
                                  g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);
  g_hash_table_remove_all (self->checks);

  if (mine->len == 0)
    add_none_row (self, screening);
  for (guint i = 0; i < mine->len; i++)
    add_row (self, finding_row_new (self, g_ptr_array_index (mine, i)));
}

static void
striae_findings_group_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  StriaeFindingsGroup *self = STRIAE_FINDINGS_GROUP (object);

  switch (prop_id)
    {
    case PROP_PARTS:
      g_value_set_uint (value, self->parts);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_findings_group_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  StriaeFindingsGroup *self = STRIAE_FINDINGS_GROUP (object);

  switch (prop_id)
    {
    case PROP_PARTS:
      self->parts = g_value_get_uint (value);
      g_clear_pointer (&self->key, g_free);
      update (self);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_findings_group_dispose (GObject *object)
{
  StriaeFindingsGroup *self = (StriaeFindingsGroup *)object;

  g_clear_object (&self->session);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->checks, g_hash_table_unref);
  g_clear_pointer (&self->key, g_free);

  G_OBJECT_CLASS (striae_findings_group_parent_class)->dispose (object);
}

static void
striae_findings_group_class_init (StriaeFindingsGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = striae_findings_group_dispose;
  object_class->get_property = striae_findings_group_get_property;
  object_class->set_property = striae_findings_group_set_property;

  /* The StriaeScreeningPart mask of the findings shown. */
  properties [PROP_PARTS] =
    g_param_spec_uint ("parts", NULL, NULL, 0, STRIAE_SCREENING_PART_ALL,
                       STRIAE_SCREENING_PART_ALL,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
striae_findings_group_init (StriaeFindingsGroup *self)
{
  self->parts = STRIAE_SCREENING_PART_ALL;
  self->rows = g_ptr_array_new ();
  self->checks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/* A new consultation of the session shows its findings afresh. */
static void
session_consultation_cb (StriaeFindingsGroup *self)
{
  g_clear_pointer (&self->key, g_free);
  update (self);
}

void
striae_findings_group_set_session (StriaeFindingsGroup       *self,
                                   StriaeConsultationSession *session)
{
  g_return_if_fail (STRIAE_IS_FINDINGS_GROUP (self));
  g_return_if_fail (STRIAE_IS_CONSULTATION_SESSION (session));

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  g_signal_connect_object (session, "notify::consultation",
                           G_CALLBACK (session_consultation_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "notify::screening",
                           G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  session_consultation_cb (self);
}

/* Returns: (transfer none) (nullable): the "Acknowledged" check of @finding_id, or %NULL when
 * the group shows no such relative finding */
GtkWidget *
striae_findings_group_get_acknowledge (StriaeFindingsGroup *self,
                                       const char          *finding_id)
{
  g_return_val_if_fail (STRIAE_IS_FINDINGS_GROUP (self), NULL);
  return g_hash_table_lookup (self->checks, finding_id);
}

guint
striae_findings_group_get_n_findings (StriaeFindingsGroup *self)
{
  g_return_val_if_fail (STRIAE_IS_FINDINGS_GROUP (self), 0);
  return self->n_findings;
}
