/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "striae-rules-page.h"
#include "striae-toast.h"

typedef enum
{
  UNIT_LEVEL,
  UNIT_MONTHS,
  UNIT_WEEKS,
  UNIT_SESSIONS,
  UNIT_MM,
} Unit;

typedef enum
{
  GROUP_WAITING,
  GROUP_DEPTH,
  GROUP_COURSE,
} Group;

/* The numeric settings, in the order shown. The levels come first, one row per check. */
static const struct {
  const char *key;
  const char *title;
  Unit        unit;
  Group       group;
} numbers[] = {
  { "isotretinoin-delay-months", N_("Wait after oral isotretinoin"), UNIT_MONTHS,
    GROUP_WAITING },
  { "depth.mild.thick", N_("Mild marks, thick skin"), UNIT_MM, GROUP_DEPTH },
  { "depth.mild.thin", N_("Mild marks, thin skin"), UNIT_MM, GROUP_DEPTH },
  { "depth.moderate.thick", N_("Moderate marks, thick skin"), UNIT_MM, GROUP_DEPTH },
  { "depth.moderate.thin", N_("Moderate marks, thin skin"), UNIT_MM, GROUP_DEPTH },
  { "depth.severe.thick", N_("Severe marks, thick skin"), UNIT_MM, GROUP_DEPTH },
  { "depth.severe.thin", N_("Severe marks, thin skin"), UNIT_MM, GROUP_DEPTH },
  { "depth.pih-step", N_("Less for skin at risk of dark marks"), UNIT_MM, GROUP_DEPTH },
  { "course.mild.sessions", N_("Sessions, mild marks"), UNIT_SESSIONS, GROUP_COURSE },
  { "course.moderate.sessions", N_("Sessions, moderate marks"), UNIT_SESSIONS, GROUP_COURSE },
  { "course.severe.sessions", N_("Sessions, severe marks"), UNIT_SESSIONS, GROUP_COURSE },
  { "course.mild.interval-weeks", N_("Weeks apart, mild marks"), UNIT_WEEKS, GROUP_COURSE },
  { "course.moderate.interval-weeks", N_("Weeks apart, moderate marks"), UNIT_WEEKS,
    GROUP_COURSE },
  { "course.severe.interval-weeks", N_("Weeks apart, severe marks"), UNIT_WEEKS,
    GROUP_COURSE },
  { "course.mild.interval-weeks-higher-risk", N_("Weeks apart, mild marks, higher-risk skin"),
    UNIT_WEEKS, GROUP_COURSE },
  { "course.moderate.interval-weeks-higher-risk",
    N_("Weeks apart, moderate marks, higher-risk skin"), UNIT_WEEKS, GROUP_COURSE },
  { "course.severe.interval-weeks-higher-risk",
    N_("Weeks apart, severe marks, higher-risk skin"), UNIT_WEEKS, GROUP_COURSE },
  { "maintenance-months", N_("Maintenance session after"), UNIT_MONTHS, GROUP_COURSE },
  { "maintenance-months-higher-risk", N_("Maintenance session after, higher-risk skin"),
    UNIT_MONTHS, GROUP_COURSE },
};

/* One row of the page. */
typedef struct
{
  char      *key;
  char      *title;
  Unit       unit;
  GtkWidget *row;
  GtkWidget *editor;   /* the combo row itself, or the spin button */
  GtkWidget *mark;
  GtkWidget *reset;
} Row;

struct _StriaeRulesPage
{
  AdwPreferencesPage    parent_instance;

  AdwPreferencesGroup  *rules_group;
  GtkWidget            *read_only_row;
  GtkWidget            *reset_all_button;
  AdwPreferencesGroup  *levels_group;
  AdwPreferencesGroup  *waiting_group;
  AdwPreferencesGroup  *depth_group;
  AdwPreferencesGroup  *course_group;

  StriaeStore          *store;
  StriaeRules          *rules;     /* as shown */
  StriaeRules          *saved;     /* as stored */
  gboolean              saving;
  gboolean              pending;
  GHashTable           *rows;      /* key → Row */
  gboolean              updating;
  gboolean              read_only;  /* a login that may not change the clinic's rules */
};

G_DEFINE_FINAL_TYPE (StriaeRulesPage, striae_rules_page, ADW_TYPE_PREFERENCES_PAGE)

/* The combo rows list the levels from the strongest: absolute, relative, off. */
static guint
level_to_position (StriaeLevel level)
{
  return STRIAE_LEVEL_ABSOLUTE - level;
}

static StriaeLevel
position_to_level (guint position)
{
  return STRIAE_LEVEL_ABSOLUTE - MIN (position, (guint) STRIAE_LEVEL_ABSOLUTE);
}

static const char *
level_short_label (StriaeLevel level)
{
  switch (level)
    {
    case STRIAE_LEVEL_ABSOLUTE:
      return C_("contraindication level", "Absolute");
    case STRIAE_LEVEL_RELATIVE:
      return C_("contraindication level", "Relative");
    case STRIAE_LEVEL_OFF:
    default:
      return C_("contraindication level", "Off");
    }
}

static char *
format_default (Unit   unit,
                double value)
{
  guint n = (guint) value;

  switch (unit)
    {
    case UNIT_LEVEL:
      /* TRANSLATORS: a rule's default, under its title: "Default: Relative" */
      return g_strdup_printf (_("Default: %s"), level_short_label ((StriaeLevel) value));
    case UNIT_MONTHS:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Default: %u month",
                                           "Default: %u months", n), n);
    case UNIT_WEEKS:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Default: %u week",
                                           "Default: %u weeks", n), n);
    case UNIT_SESSIONS:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Default: %u session",
                                           "Default: %u sessions", n), n);
    case UNIT_MM:
    default:
      return g_strdup_printf (_("Default: %.2f mm"), value);
    }
}

static void
row_free (gpointer data)
{
  Row *row = data;

  g_free (row->key);
  g_free (row->title);
  g_free (row);
}

static void
show_error (StriaeRulesPage *self,
            const GError    *error)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (ADW_IS_PREFERENCES_WINDOW (root))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (root),
                                      striae_toast_new (GTK_WIDGET (root), error->message));
  else
    g_warning ("%s", error->message);
}

static void
show_message (StriaeRulesPage *self,
              const char      *message)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (ADW_IS_PREFERENCES_WINDOW (root))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (root),
                                      striae_toast_new (GTK_WIDGET (root), message));
}

/* Shows @row's value from the rules, and whether it differs from the default. */
static void
update_row (StriaeRulesPage *self,
            Row             *row)
{
  double value = striae_rules_get_value (self->rules, row->key);
  gboolean changed = striae_rules_is_changed (self->rules, row->key);

  self->updating = TRUE;
  if (row->unit == UNIT_LEVEL)
    adw_combo_row_set_selected (ADW_COMBO_ROW (row->editor),
                                level_to_position ((StriaeLevel) value));
  else
    gtk_spin_button_set_value (GTK_SPIN_BUTTON (row->editor), value);
  self->updating = FALSE;

  gtk_widget_set_visible (row->mark, changed);
  gtk_widget_set_visible (row->reset, changed);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "rules.reset-all",
                                 !self->read_only && !striae_rules_is_default (self->rules));
}

static void
update_rows (StriaeRulesPage *self)
{
  GHashTableIter iter;
  gpointer value;

  if (self->rows == NULL)
    return;

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    update_row (self, value);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "rules.reset-all",
                                 !self->read_only && !striae_rules_is_default (self->rules));
}

static void save_next (StriaeRulesPage *self);

/* The store says nothing when another process writes to it (a --rules-import from the
 * command line, another computer on the clinic's server), so the page reads the rules again
 * whenever it could have missed such a change: when it is shown, when its window becomes
 * active again, and before it saves a change, so that the change is made to the rules as
 * stored rather than putting back what the page showed. While a save of the page's own is
 * under way, that save is the newest change and is kept. */
static void
refresh (StriaeRulesPage *self)
{
  g_autoptr(StriaeRules) stored = NULL;
  g_auto(GStrv) changes = NULL;

  if (self->store == NULL || self->saving || self->pending)
    return;

  /* Damaged stored rules were reported when the page opened; the page keeps what it shows
   * and a save will store it. */
  stored = striae_store_load_rules (self->store, NULL);
  if (stored == NULL)
    return;

  changes = striae_rules_dup_differences (stored, self->saved);
  if (changes[0] == NULL)
    return;

  g_set_object (&self->saved, stored);
  g_clear_object (&self->rules);
  self->rules = striae_rules_copy (stored);
  update_rows (self);
  /* A toast holds one short line. */
  show_message (self, _("Rules changed elsewhere are now shown"));
}

static void
root_active_cb (StriaeRulesPage *self,
                GParamSpec      *pspec,
                GtkWindow       *window)
{
  if (gtk_window_is_active (window) && gtk_widget_get_mapped (GTK_WIDGET (self)))
    refresh (self);
}

/* What a worker thread saves: its own copy of the rules, and the store. */
typedef struct
{
  StriaeStore *store;
  StriaeRules *rules;
} SaveData;

static void
save_data_free (SaveData *data)
{
  g_clear_object (&data->store);
  g_clear_object (&data->rules);
  g_free (data);
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SaveData *data = task_data;
  GError *error = NULL;

  if (striae_store_save_rules (data->store, data->rules, NULL, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
save_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  StriaeRulesPage *self = STRIAE_RULES_PAGE (object);
  SaveData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  self->saving = FALSE;
  if (g_task_propagate_boolean (G_TASK (result), &error))
    g_set_object (&self->saved, data->rules);
  else
    {
      /* Nothing was stored: show the rules that are, and drop what was waiting. */
      self->pending = FALSE;
      g_clear_object (&self->rules);
      self->rules = striae_rules_copy (self->saved);
      if (self->rows != NULL)
        {
          update_rows (self);
          show_error (self, error);
        }
      else
        g_warning ("%s", error->message);
    }

  if (self->pending)
    save_next (self);
}

/* Saves the rules shown through the store (which audits each changed value) in a worker
 * thread, one save at a time and in order: a change made during a save is saved after it. */
static void
save_next (StriaeRulesPage *self)
{
  g_autoptr(GTask) task = NULL;
  SaveData *data;

  self->pending = FALSE;
  if (self->store == NULL)
    {
      g_clear_object (&self->saved);
      self->saved = striae_rules_copy (self->rules);
      return;
    }

  self->saving = TRUE;
  data = g_new0 (SaveData, 1);
  data->store = g_object_ref (self->store);
  data->rules = striae_rules_copy (self->rules);
  task = g_task_new (self, NULL, save_done_cb, NULL);
  g_task_set_source_tag (task, save_next);
  g_task_set_task_data (task, data, (GDestroyNotify) save_data_free);
  g_task_run_in_thread (task, save_thread);
}

static void
save (StriaeRulesPage *self,
      StriaeRules     *rules)
{
  if (self->rules != rules)
    {
      g_clear_object (&self->rules);
      self->rules = striae_rules_copy (rules);
    }
  update_rows (self);

  if (self->saving)
    self->pending = TRUE;
  else
    save_next (self);
}

/**
 * striae_rules_page_is_saving:
 *
 * Returns: whether a change is being saved (or waits to be)
 */
gboolean
striae_rules_page_is_saving (StriaeRulesPage *self)
{
  g_return_val_if_fail (STRIAE_IS_RULES_PAGE (self), FALSE);

  return self->saving || self->pending;
}

/**
 * striae_rules_page_set_value:
 * @key: a setting key (striae_rules_dup_keys())
 * @value: its new value (a #StriaeLevel for a level key)
 *
 * Changes one rule and saves it at once, as the row would: the page shows it now, the store
 * gets it in a worker thread (striae_rules_page_is_saving()); if the store refuses it, the
 * page says so and goes back to the stored rules.
 *
 * Returns: %FALSE with @error set (and nothing changed) when the value is out of range
 */
gboolean
striae_rules_page_set_value (StriaeRulesPage  *self,
                             const char       *key,
                             double            value,
                             GError          **error)
{
  g_autoptr(StriaeRules) copy = NULL;

  g_return_val_if_fail (STRIAE_IS_RULES_PAGE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  refresh (self);
  if (striae_rules_get_value (self->rules, key) == value)
    return TRUE;

  copy = striae_rules_copy (self->rules);
  if (!striae_rules_set_value (copy, key, value, error))
    {
      update_rows (self);
      return FALSE;
    }

  save (self, copy);
  return TRUE;
}

/**
 * striae_rules_page_reset_all:
 *
 * Puts every rule back to Striae's defaults and saves them as striae_rules_page_set_value()
 * does, without asking (the rules.reset-all action asks first).
 */
void
striae_rules_page_reset_all (StriaeRulesPage *self)
{
  g_autoptr(StriaeRules) defaults = striae_rules_new ();

  g_return_if_fail (STRIAE_IS_RULES_PAGE (self));

  save (self, defaults);
}

static void
set_level (StriaeRulesPage *self,
           AdwComboRow     *combo)
{
  const char *key = g_object_get_data (G_OBJECT (combo), "rules-key");
  g_autoptr(GError) error = NULL;

  if (!striae_rules_page_set_value (self, key,
                                    position_to_level (adw_combo_row_get_selected (combo)),
                                    &error))
    show_error (self, error);
}

static void
lower_level_response_cb (AdwMessageDialog *dialog,
                         const char       *response,
                         StriaeRulesPage  *self)
{
  AdwComboRow *combo = g_object_get_data (G_OBJECT (dialog), "combo");

  if (g_strcmp0 (response, "lower") == 0)
    set_level (self, combo);
  else
    update_rows (self);
}

/* Lowering a level takes a check away from every consultation screened from now on: an
 * absolute contraindication would no longer block treatment, a relative one would no longer
 * be acknowledged. One slip of the mouse must not do that, so it is confirmed. */
static void
level_changed_cb (AdwComboRow     *combo,
                  GParamSpec      *pspec,
                  StriaeRulesPage *self)
{
  const char *key = g_object_get_data (G_OBJECT (combo), "rules-key");
  StriaeLevel level = position_to_level (adw_combo_row_get_selected (combo));
  StriaeLevel before = (StriaeLevel) striae_rules_get_value (self->rules, key);
  const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (combo));
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  if (self->updating)
    return;
  if (level >= before)
    {
      set_level (self, combo);
      return;
    }

  /* TRANSLATORS: %s is a contraindication, e.g. "Pregnancy" */
  heading = g_strdup_printf (_("Lower “%s”?"), title);
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading,
                                   before == STRIAE_LEVEL_ABSOLUTE
                                   ? _("From now on it will no longer stop a treatment. "
                                       "The change is recorded in the audit log.")
                                   : _("From now on nobody will be asked to acknowledge it. "
                                       "The change is recorded in the audit log."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "lower", _("_Lower"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "lower",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "combo", combo);
  g_signal_connect_object (dialog, "response", G_CALLBACK (lower_level_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
number_changed_cb (GtkSpinButton   *spin,
                   StriaeRulesPage *self)
{
  const char *key = g_object_get_data (G_OBJECT (spin), "rules-key");
  g_autoptr(GError) error = NULL;

  if (self->updating)
    return;
  if (!striae_rules_page_set_value (self, key, gtk_spin_button_get_value (spin), &error))
    show_error (self, error);
}

static void
reset_key_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  StriaeRulesPage *self = STRIAE_RULES_PAGE (widget);
  const char *key = g_variant_get_string (parameter, NULL);
  g_autoptr(GError) error = NULL;

  if (!striae_rules_key_get_kind (key, NULL))
    return;
  if (!striae_rules_page_set_value (self, key, striae_rules_key_get_default (key), &error))
    show_error (self, error);
}

static void
reset_all_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       StriaeRulesPage  *self)
{
  if (g_strcmp0 (response, "reset") == 0)
    striae_rules_page_reset_all (self);
}

static void
reset_all_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  StriaeRulesPage *self = STRIAE_RULES_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Reset All Rules?"),
                                   _("Every level, the waiting time, the depth table and the "
                                     "course go back to Striae’s defaults. Each change is "
                                     "recorded in the audit log."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "reset", _("_Reset All"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "reset",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (reset_all_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The "Changed" mark and the reset button every row carries at its end. */
static void
add_suffixes (StriaeRulesPage *self,
              Row             *row)
{
  g_autofree char *tooltip = NULL;

  row->mark = gtk_label_new (C_("rule setting", "Changed"));
  gtk_widget_add_css_class (row->mark, "accent");
  gtk_widget_add_css_class (row->mark, "caption-heading");
  gtk_widget_set_valign (row->mark, GTK_ALIGN_CENTER);

  row->reset = gtk_button_new_from_icon_name ("edit-undo-symbolic");
  /* TRANSLATORS: a button's tooltip and accessible name; %s is a rule's title */
  tooltip = g_strdup_printf (_("Reset “%s” to its default"), row->title);
  gtk_widget_set_tooltip_text (row->reset, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row->reset),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
  gtk_widget_add_css_class (row->reset, "flat");
  gtk_widget_set_valign (row->reset, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row->reset), "rules.reset-key");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (row->reset), "s", row->key);

  /* A combo row shows its value itself, before its suffixes; a spin button comes last. */
  adw_action_row_add_suffix (ADW_ACTION_ROW (row->row), row->mark);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row->row), row->reset);
  if (row->editor != row->row)
    adw_action_row_add_suffix (ADW_ACTION_ROW (row->row), row->editor);
}

/* The level shown in full ("Relative", never "Rel…"): on a narrow screen the title wraps
 * instead. In the popover, a check mark shows the selected level, as AdwComboRow's own items
 * do. */
static void
level_item_setup_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *item,
                     gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_set_visible (check, FALSE);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), check);
  gtk_list_item_set_child (item, box);
}

static void
update_level_check (GtkListItem *item,
                    AdwComboRow *combo)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *check = gtk_widget_get_last_child (box);

  gtk_widget_set_visible (check, gtk_widget_get_ancestor (box, GTK_TYPE_POPOVER) != NULL &&
                                 adw_combo_row_get_selected_item (combo) ==
                                 gtk_list_item_get_item (item));
}

static void
level_selected_cb (AdwComboRow *combo,
                   GParamSpec  *pspec,
                   GtkListItem *item)
{
  update_level_check (item, combo);
}

static void
level_item_bind_cb (GtkSignalListItemFactory *factory,
                    GtkListItem              *item,
                    AdwComboRow              *combo)
{
  GtkStringObject *string = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);

  gtk_label_set_label (GTK_LABEL (gtk_widget_get_first_child (box)),
                       gtk_string_object_get_string (string));
  g_signal_connect_object (combo, "notify::selected-item", G_CALLBACK (level_selected_cb),
                           item, 0);
  update_level_check (item, combo);
}

static void
level_item_unbind_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *item,
                      AdwComboRow              *combo)
{
  g_signal_handlers_disconnect_by_func (combo, level_selected_cb, item);
}

static Row *
add_level_row (StriaeRulesPage *self,
               StriaeCheck      check)
{
  const StriaeCheckInfo *info = striae_check_get_info (check);
  g_autoptr(GtkStringList) levels = gtk_string_list_new (NULL);
  g_autofree char *subtitle = NULL;
  Row *row = g_new0 (Row, 1);

  row->key = g_strconcat ("level.", info->id, NULL);
  row->title = g_strdup (striae_check_get_title (check));
  row->unit = UNIT_LEVEL;
  for (guint position = 0; position <= STRIAE_LEVEL_ABSOLUTE; position++)
    gtk_string_list_append (levels, level_short_label (position_to_level (position)));

  row->row = row->editor = adw_combo_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row->row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row->row), row->title);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row->row), 0);
  subtitle = format_default (UNIT_LEVEL, striae_rules_key_get_default (row->key));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row->row), subtitle);
  adw_combo_row_set_model (ADW_COMBO_ROW (row->row), G_LIST_MODEL (levels));
  {
    g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

    g_signal_connect (factory, "setup", G_CALLBACK (level_item_setup_cb), NULL);
    g_signal_connect (factory, "bind", G_CALLBACK (level_item_bind_cb), row->row);
    g_signal_connect (factory, "unbind", G_CALLBACK (level_item_unbind_cb), row->row);
    adw_combo_row_set_factory (ADW_COMBO_ROW (row->row), factory);
  }
  add_suffixes (self, row);
  g_object_set_data_full (G_OBJECT (row->editor), "rules-key", g_strdup (row->key), g_free);
  g_signal_connect_object (row->editor, "notify::selected", G_CALLBACK (level_changed_cb),
                           self, 0);

  adw_preferences_group_add (self->levels_group, row->row);
  return row;
}

/* A spin button steps with the mouse wheel. Scrolling down a long page of rules must not
 * change the one under the pointer (each change is saved and audited): unless the spin button
 * has the keyboard focus, the wheel scrolls the page. */
static gboolean
spin_scroll_cb (GtkEventControllerScroll *controller,
                double                    dx,
                double                    dy,
                gpointer                  user_data)
{
  GtkWidget *spin = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));
  GtkRoot *root = gtk_widget_get_root (spin);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  GtkWidget *scrolled;
  GtkAdjustment *adjustment;
  double delta;

  if (focus != NULL && (focus == spin || gtk_widget_is_ancestor (focus, spin)) &&
      gtk_editable_get_editable (GTK_EDITABLE (spin)))
    return FALSE;

  scrolled = gtk_widget_get_ancestor (spin, GTK_TYPE_SCROLLED_WINDOW);
  if (scrolled != NULL)
    {
      adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
      delta = gtk_event_controller_scroll_get_unit (controller) == GDK_SCROLL_UNIT_WHEEL
              ? dy * 50 : dy;
      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + delta);
    }
  return TRUE;
}

static Row *
add_number_row (StriaeRulesPage *self,
                guint            i)
{
  AdwPreferencesGroup *groups[] = { self->waiting_group, self->depth_group,
                                    self->course_group };
  g_autofree char *subtitle = NULL;
  double min = 0, max = 0, step = 1;
  Row *row = g_new0 (Row, 1);

  row->key = g_strdup (numbers[i].key);
  row->title = g_strdup (_(numbers[i].title));
  row->unit = numbers[i].unit;
  if (!striae_rules_key_get_range (row->key, &min, &max, &step))
    g_assert_not_reached ();

  row->row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row->row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row->row), row->title);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row->row), 0);
  subtitle = format_default (row->unit, striae_rules_key_get_default (row->key));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row->row), subtitle);

  row->editor = gtk_spin_button_new_with_range (min, max, step);
  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (row->editor), row->unit == UNIT_MM ? 2 : 0);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (row->editor), TRUE);
  gtk_spin_button_set_snap_to_ticks (GTK_SPIN_BUTTON (row->editor), TRUE);
  gtk_widget_set_valign (row->editor, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row->editor),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, row->title, -1);
  {
    GtkEventController *scroll =
      gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);

    gtk_event_controller_set_propagation_phase (scroll, GTK_PHASE_CAPTURE);
    g_signal_connect (scroll, "scroll", G_CALLBACK (spin_scroll_cb), NULL);
    gtk_widget_add_controller (row->editor, scroll);
  }
  add_suffixes (self, row);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row->row), row->editor);
  g_object_set_data_full (G_OBJECT (row->editor), "rules-key", g_strdup (row->key), g_free);
  g_signal_connect_object (row->editor, "value-changed", G_CALLBACK (number_changed_cb), self,
                           0);

  adw_preferences_group_add (groups[numbers[i].group], row->row);
  return row;
}

static void
striae_rules_page_map (GtkWidget *widget)
{
  refresh (STRIAE_RULES_PAGE (widget));

  GTK_WIDGET_CLASS (striae_rules_page_parent_class)->map (widget);
}

static void
striae_rules_page_root (GtkWidget *widget)
{
  GtkRoot *root;

  GTK_WIDGET_CLASS (striae_rules_page_parent_class)->root (widget);

  root = gtk_widget_get_root (widget);
  if (GTK_IS_WINDOW (root))
    g_signal_connect_object (root, "notify::is-active", G_CALLBACK (root_active_cb), widget,
                             G_CONNECT_SWAPPED);
}

static void
striae_rules_page_unroot (GtkWidget *widget)
{
  g_signal_handlers_disconnect_by_func (gtk_widget_get_root (widget), root_active_cb, widget);

  GTK_WIDGET_CLASS (striae_rules_page_parent_class)->unroot (widget);
}

static void
striae_rules_page_dispose (GObject *object)
{
  StriaeRulesPage *self = STRIAE_RULES_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), STRIAE_TYPE_RULES_PAGE);
  g_clear_pointer (&self->rows, g_hash_table_unref);

  G_OBJECT_CLASS (striae_rules_page_parent_class)->dispose (object);
}

/* The rules and the store stay to the end: a save under way holds the page, and a change
 * that waits for it is still saved after the window has closed. */
static void
striae_rules_page_finalize (GObject *object)
{
  StriaeRulesPage *self = STRIAE_RULES_PAGE (object);

  g_clear_object (&self->rules);
  g_clear_object (&self->saved);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (striae_rules_page_parent_class)->finalize (object);
}

static void
striae_rules_page_class_init (StriaeRulesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = striae_rules_page_dispose;
  object_class->finalize = striae_rules_page_finalize;
  widget_class->map = striae_rules_page_map;
  widget_class->root = striae_rules_page_root;
  widget_class->unroot = striae_rules_page_unroot;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/striae/Striae/ui/"
                                               "striae-rules-page.ui");
  gtk_widget_class_bind_template_child (widget_class, StriaeRulesPage, rules_group);
  gtk_widget_class_bind_template_child (widget_class, StriaeRulesPage, read_only_row);
  gtk_widget_class_bind_template_child (widget_class, StriaeRulesPage, reset_all_button);
  gtk_widget_class_bind_template_child (widget_class, StriaeRulesPage, levels_group);
  gtk_widget_class_bind_template_child (widget_class, StriaeRulesPage, waiting_group);
  gtk_widget_class_bind_template_child (widget_class, StriaeRulesPage, depth_group);
  gtk_widget_class_bind_template_child (widget_class, StriaeRulesPage, course_group);

  gtk_widget_class_install_action (widget_class, "rules.reset-key", "s", reset_key_action);
  gtk_widget_class_install_action (widget_class, "rules.reset-all", NULL, reset_all_action);
}

static void
striae_rules_page_init (StriaeRulesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->rows = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, row_free);
  self->rules = striae_rules_new ();
  self->saved = striae_rules_new ();

  for (StriaeCheck check = 0; check < STRIAE_N_CHECKS; check++)
    {
      Row *row = add_level_row (self, check);

      g_hash_table_insert (self->rows, row->key, row);
    }
  for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
    {
      Row *row = add_number_row (self, i);

      g_hash_table_insert (self->rows, row->key, row);
    }
  update_rows (self);
}

/* On a clinic server only its administrators change the rules (the server refuses anyone
 * else's save), and on this computer only an administrator's account: the page shows them,
 * says so (@description), and offers nothing to change. */
static void
set_read_only (StriaeRulesPage *self,
               const char      *description)
{
  GHashTableIter iter;
  Row *row;

  self->read_only = TRUE;
  gtk_widget_set_visible (self->read_only_row, TRUE);
  /* Nothing to reset: the button would only be one more thing that does not work. */
  gtk_widget_set_visible (self->reset_all_button, FALSE);
  /* Read, not greyed out: each value keeps the keyboard focus and is read out, and nothing
   * changes it (a level opens no list, a number takes no typing and no step). */
  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &row))
    {
      if (GTK_IS_SPIN_BUTTON (row->editor))
        gtk_editable_set_editable (GTK_EDITABLE (row->editor), FALSE);
      else
        gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row->row), FALSE);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "rules.reset-key", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "rules.reset-all", FALSE);
  adw_preferences_group_set_description (self->rules_group, description);
}

/**
 * striae_rules_page_new:
 * @store: (nullable): where the clinic's rules are kept; %NULL shows the defaults and saves
 *   nothing (for tests of the layout)
 */
StriaeRulesPage *
striae_rules_page_new (StriaeStore *store)
{
  StriaeRulesPage *self;

  g_return_val_if_fail (store == NULL || STRIAE_IS_STORE (store), NULL);

  self = g_object_new (STRIAE_TYPE_RULES_PAGE, NULL);
  if (store != NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(StriaeRules) rules = striae_store_load_rules (store, &error);
      g_autoptr(GError) role_error = NULL;
      gboolean may_change = TRUE;

      self->store = g_object_ref (store);
      if (rules != NULL)
        {
          g_set_object (&self->rules, rules);
          g_clear_object (&self->saved);
          self->saved = striae_rules_copy (rules);
        }
      else
        {
          /* Damaged stored rules: show the defaults, which a save would store. */
          g_warning ("%s", error->message);
        }
      update_rows (self);
      if (!striae_store_may_change_clinic (store, &may_change, &role_error))
        g_message ("Could not tell whether this login may change the rules: %s",
                   role_error->message);
      else if (!may_change)
        set_read_only (self, _("Screening and the recommendation follow these rules. Shared "
                               "by every PC of the clinic: only the clinic’s administrator "
                               "can change them."));
      else if (!striae_store_may (store, STRIAE_RIGHT_CLINIC, NULL))
        /* On this computer, the account signed in is no administrator. */
        set_read_only (self, _("Screening and the recommendation follow these rules. Only "
                               "an administrator can change them."));
    }

  return self;
}

static Row *
lookup (StriaeRulesPage *self,
        const char      *key)
{
  g_return_val_if_fail (STRIAE_IS_RULES_PAGE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  return g_hash_table_lookup (self->rows, key);
}

/**
 * striae_rules_page_get_row:
 *
 * Returns: (transfer none) (nullable): the row of @key
 */
GtkWidget *
striae_rules_page_get_row (StriaeRulesPage *self,
                           const char      *key)
{
  Row *row = lookup (self, key);

  return row != NULL ? row->row : NULL;
}

/**
 * striae_rules_page_get_changed_mark:
 *
 * Returns: (transfer none) (nullable): the "Changed" label of @key's row
 */
GtkWidget *
striae_rules_page_get_changed_mark (StriaeRulesPage *self,
                                    const char      *key)
{
  Row *row = lookup (self, key);

  return row != NULL ? row->mark : NULL;
}

/**
 * striae_rules_page_get_reset_button:
 *
 * Returns: (transfer none) (nullable): the reset button of @key's row
 */
GtkWidget *
striae_rules_page_get_reset_button (StriaeRulesPage *self,
                                    const char      *key)
{
  Row *row = lookup (self, key);

  return row != NULL ? row->reset : NULL;
}

/**
 * striae_rules_page_get_editor:
 *
 * Returns: (transfer none) (nullable): the #AdwComboRow of a level, or the #GtkSpinButton
 *   of a number
 */
GtkWidget *
striae_rules_page_get_editor (StriaeRulesPage *self,
                              const char      *key)
{
  Row *row = lookup (self, key);

  return row != NULL ? row->editor : NULL;
}
