/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "striae-accessible.h"
#include "striae-app-private.h"
#include "striae-date.h"
#include "striae-date-row.h"
#include "striae-session-page.h"
#include "striae-signature-prompt.h"

/* Typing pauses this long before the draft is saved, as in the wizard. */
#define SAVE_DELAY_MS 500

struct _StriaeSessionPage
{
  AdwBin                  parent_instance;

  GtkLabel               *patient_label;
  GtkLabel               *course_label;
  GtkInfoBar             *save_error_bar;
  GtkLabel               *save_error_label;
  GtkStack               *stack;
  AdwPreferencesGroup    *check_group;
  AdwEntryRow            *changes_row;
  GtkLabel               *verdict_label;
  GtkCheckButton         *acknowledge_check;
  GtkButton              *check_button;
  GtkLabel               *record_title;
  AdwActionRow           *check_summary_row;
  GtkWidget              *fields_box;
  StriaeDateRow          *date_row;
  AdwEntryRow            *time_row;
  AdwEntryRow            *practitioner_row;
  AdwPreferencesGroup    *areas_group;
  GtkSwitch              *numbing_switch;
  AdwEntryRow            *numbing_time_row;
  AdwPreferencesGroup    *products_group;
  GtkSpinButton          *tolerance_spin;
  AdwEntryRow            *reaction_row;
  AdwPreferencesGroup    *events_group;
  AdwEntryRow            *notes_row;
  AdwActionRow           *amendment_row;
  GtkLabel               *problem_label;
  GtkLabel               *status_label;
  GtkWidget              *sign_button;
  GtkWidget              *amend_button;

  StriaeWizardAnswer     *answers [STRIAE_N_CHECK_ITEMS];

  StriaeStore            *store;
  StriaeRules            *rules;
  StriaePatient          *patient;
  StriaeConsultation     *consultation;
  StriaeTreatmentSession *session;
  /* The bindings of the rows that stay (the template's) to the session shown. */
  GPtrArray              *bindings;
  /* The rows made for the session's lists, removed when the lists change. */
  GPtrArray              *area_rows;
  GPtrArray              *product_rows;
  GPtrArray              *event_rows;

  guint                   save_timeout;
  gboolean                read_only;
  /* The save running in a worker thread, if any, and whether a change came during it. */
  struct _SaveData       *saving;
  gboolean                dirty;
  /* While the password typed to sign is being checked (issue 16). */
  GCancellable           *signature_check;
};

G_DEFINE_FINAL_TYPE (StriaeSessionPage, striae_session_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_READ_ONLY,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

enum {
  CLOSED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static void schedule_save (StriaeSessionPage *self);

/* A field the user typed and the record cannot hold (a time as "2pm") is marked where it
 * is, with the sentence that says how to type it; the record keeps the last good value. */
static void
mark_row (GtkWidget  *row,
          const char *problem)
{
  if (problem != NULL)
    gtk_widget_add_css_class (row, "error");
  else
    gtk_widget_remove_css_class (row, "error");
  gtk_widget_set_tooltip_text (row, problem);
}

static void
mark_binding_target (GBinding   *binding,
                     const char *problem)
{
  g_autoptr(GObject) target = g_binding_dup_target (binding);

  mark_row (GTK_WIDGET (target), problem);
}

static gboolean
minutes_to_text (GBinding     *binding,
                 const GValue *from,
                 GValue       *to,
                 gpointer      data)
{
  g_value_take_string (to, striae_format_minutes (g_value_get_int (from)));
  return TRUE;
}

static gboolean
text_to_minutes (GBinding     *binding,
                 const GValue *from,
                 GValue       *to,
                 gpointer      data)
{
  g_autofree char *text = g_strstrip (g_value_dup_string (from));
  int minutes;

  if (!striae_parse_minutes (text, &minutes))
    {
      mark_binding_target (binding, _("Type the time as hours:minutes on a 24-hour clock, "
                                      "for example 14:30."));
      return FALSE;
    }
  mark_binding_target (binding, NULL);
  g_value_set_int (to, minutes);
  return TRUE;
}

static gboolean
date_to_text (GBinding     *binding,
              const GValue *from,
              GValue       *to,
              gpointer      data)
{
  g_value_take_string (to, striae_format_optional_iso_date (g_value_get_boxed (from)));
  return TRUE;
}

static gboolean
text_to_date (GBinding     *binding,
              const GValue *from,
              GValue       *to,
              gpointer      data)
{
  g_autofree char *text = g_strstrip (g_value_dup_string (from));
  g_autoptr(GError) error = NULL;
  GDate date;

  if (text[0] == '\0')
    {
      mark_binding_target (binding, NULL);
      g_value_set_boxed (to, NULL);
      return TRUE;
    }
  if (!striae_parse_date (text, &date, &error))
    {
      mark_binding_target (binding, error->message);
      return FALSE;
    }
  mark_binding_target (binding, NULL);
  g_value_set_boxed (to, &date);
  return TRUE;
}

static gboolean
depth_to_text (GBinding     *binding,
               const GValue *from,
               GValue       *to,
               gpointer      data)
{
  double mm = g_value_get_double (from);
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (mm <= 0)
    g_value_set_string (to, "");
  else
    g_value_set_string (to, g_ascii_formatd (buffer, sizeof buffer, "%.2f", mm));
  return TRUE;
}

/* A depth in millimetres, with a point or a comma: both are typed in the clinics' locales. */
static gboolean
text_to_depth (GBinding     *binding,
               const GValue *from,
               GValue       *to,
               gpointer      data)
{
  g_autofree char *text = g_strstrip (g_value_dup_string (from));
  char *end = NULL;
  double mm;

  g_strdelimit (text, ",", '.');
  mm = text[0] != '\0' ? g_ascii_strtod (text, &end) : 0;
  if (text[0] != '\0' && (end == NULL || *end != '\0' || mm <= 0))
    {
      mark_binding_target (binding, _("Type the needle depth in millimetres, for example "
                                      "1.5."));
      return FALSE;
    }
  mark_binding_target (binding, NULL);
  g_value_set_double (to, mm);
  return TRUE;
}

static gboolean
passes_to_text (GBinding     *binding,
                const GValue *from,
                GValue       *to,
                gpointer      data)
{
  guint passes = g_value_get_uint (from);

  g_value_take_string (to, passes > 0 ? g_strdup_printf ("%u", passes) : g_strdup (""));
  return TRUE;
}

static gboolean
text_to_passes (GBinding     *binding,
                const GValue *from,
                GValue       *to,
                gpointer      data)
{
  g_autofree char *text = g_strstrip (g_value_dup_string (from));
  guint64 passes = 0;

  if (text[0] != '\0' &&
      (!g_ascii_string_to_unsigned (text, 10, 1, STRIAE_SESSION_PASSES_MAX, &passes, NULL)))
    {
      g_autofree char *problem =
        g_strdup_printf (_("Type the number of passes, from 1 to %u."), STRIAE_SESSION_PASSES_MAX);

      mark_binding_target (binding, problem);
      return FALSE;
    }
  mark_binding_target (binding, NULL);
  g_value_set_uint (to, (guint) passes);
  return TRUE;
}

/* An enumeration (device, severity) is the position of its value in a combo row. */
static gboolean
enum_to_position (GBinding     *binding,
                  const GValue *from,
                  GValue       *to,
                  gpointer      data)
{
  g_value_set_uint (to, (guint) g_value_get_enum (from));
  return TRUE;
}

static gboolean
position_to_enum (GBinding     *binding,
                  const GValue *from,
                  GValue       *to,
                  gpointer      data)
{
  guint position = g_value_get_uint (from);

  if (position == GTK_INVALID_LIST_POSITION)
    return FALSE;
  g_value_set_enum (to, (int) position);
  return TRUE;
}

static void
bind_text (GObject    *object,
           const char *property,
           GtkWidget  *row)
{
  g_object_bind_property (object, property, row, "text",
                          G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);
}

static GtkWidget *
entry_row_new (const char *title)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  return row;
}

static GtkWidget *
combo_row_new (const char         *title,
               const char * const *labels)
{
  GtkWidget *row = adw_combo_row_new ();
  g_autoptr(GtkStringList) list = gtk_string_list_new (labels);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (list));
  return row;
}

static void
clear_rows (AdwPreferencesGroup *group,
            GPtrArray           *rows)
{
  for (guint i = 0; i < rows->len; i++)
    adw_preferences_group_remove (group, g_ptr_array_index (rows, i));
  g_ptr_array_set_size (rows, 0);
}

static StriaeArea *
find_area (StriaeSessionPage *self,
           const char        *id)
{
  GListModel *areas = striae_consultation_get_areas (self->consultation);

  for (guint i = 0; i < g_list_model_get_n_items (areas); i++)
    {
      g_autoptr(StriaeArea) area = g_list_model_get_item (areas, i);

      if (g_strcmp0 (striae_area_get_id (area), id) == 0)
        return area;
    }

  return NULL;
}

/* One expander per area treated, titled by the consultation's area, holding what was done:
 * depth, device, passes, and the reason for a deeper needle or another device. */
static GtkWidget *
area_row_new (StriaeSessionPage *self,
              StriaeSessionArea *entry)
{
  const char * const devices[] = {
    C_("device", "Not recorded"),
    striae_device_get_label (STRIAE_DEVICE_ROLLER),
    striae_device_get_label (STRIAE_DEVICE_PEN),
    striae_device_get_label (STRIAE_DEVICE_RF),
    NULL
  };
  StriaeArea *area = find_area (self, striae_session_area_get_area_id (entry));
  g_autofree char *title = area != NULL ? striae_area_dup_title (area)
                                        : g_strdup (striae_session_area_get_area_id (entry));
  GtkWidget *expander = adw_expander_row_new ();
  GtkWidget *depth = entry_row_new (_("Needle depth used (mm)"));
  GtkWidget *device = combo_row_new (_("Device"), devices);
  GtkWidget *passes = entry_row_new (_("Passes"));
  GtkWidget *reason = entry_row_new (_("Reason for a deeper needle or another device"));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (expander), FALSE);
  if (area != NULL)
    {
      g_autofree char *planned = g_strdup_printf (_("Planned: %.2f mm"),
                                                  striae_area_get_depth (area));

      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander), planned);
    }
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (expander), TRUE);
  g_object_bind_property_full (entry, "depth", depth, "text",
                               G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL,
                               depth_to_text, text_to_depth, NULL, NULL);
  g_object_bind_property_full (entry, "device", device, "selected",
                               G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL,
                               enum_to_position, position_to_enum, NULL, NULL);
  g_object_bind_property_full (entry, "passes", passes, "text",
                               G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL,
                               passes_to_text, text_to_passes, NULL, NULL);
  bind_text (G_OBJECT (entry), "reason", reason);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), depth);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), device);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), passes);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), reason);
  g_signal_connect_object (entry, "notify", G_CALLBACK (schedule_save), self,
                           G_CONNECT_SWAPPED);
  return expander;
}

static GtkWidget *
remove_button_new (const char *action,
                   guint       position,
                   const char *name)
{
  GtkWidget *button = gtk_button_new_from_icon_name ("user-trash-symbolic");

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button),
                                          g_variant_new_uint32 (position));
  gtk_widget_set_tooltip_text (button, name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);
  return button;
}

static GtkWidget *
product_row_new (StriaeSessionPage    *self,
                 StriaeSessionProduct *product,
                 guint                 position)
{
  GtkWidget *expander = adw_expander_row_new ();
  GtkWidget *name = entry_row_new (_("Product"));
  GtkWidget *lot = entry_row_new (_("Batch or lot number"));
  GtkWidget *expiry = striae_date_row_new ();
  g_autofree char *title = g_strdup_printf (_("Product %u"), position + 1);
  g_autofree char *remove = g_strdup_printf (_("Remove product %u"), position + 1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), title);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expiry), _("Expiry date"));
  g_object_bind_property (product, "name", expander, "subtitle", G_BINDING_SYNC_CREATE);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (expander), TRUE);
  bind_text (G_OBJECT (product), "name", name);
  bind_text (G_OBJECT (product), "lot", lot);
  g_object_bind_property_full (product, "expiry", expiry, "text",
                               G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL,
                               date_to_text, text_to_date, NULL, NULL);
  adw_expander_row_add_action (ADW_EXPANDER_ROW (expander),
                               remove_button_new ("session.remove-product", position, remove));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), name);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), lot);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), expiry);
  g_signal_connect_object (product, "notify", G_CALLBACK (schedule_save), self,
                           G_CONNECT_SWAPPED);
  return expander;
}

static GtkWidget *
event_row_new (StriaeSessionPage  *self,
               StriaeAdverseEvent *event,
               guint               position)
{
  const char * const severities[] = { _("Mild"), _("Moderate"), _("Severe"), NULL };
  GtkWidget *expander = adw_expander_row_new ();
  GtkWidget *what = entry_row_new (_("What happened"));
  GtkWidget *severity = combo_row_new (_("Severity"), severities);
  GtkWidget *follow_up = entry_row_new (_("Follow-up"));
  g_autofree char *title = g_strdup_printf (_("Adverse event %u"), position + 1);
  g_autofree char *remove = g_strdup_printf (_("Remove adverse event %u"), position + 1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), title);
  g_object_bind_property (event, "what", expander, "subtitle", G_BINDING_SYNC_CREATE);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (expander), TRUE);
  bind_text (G_OBJECT (event), "what", what);
  g_object_bind_property_full (event, "severity", severity, "selected",
                               G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL,
                               enum_to_position, position_to_enum, NULL, NULL);
  bind_text (G_OBJECT (event), "follow-up", follow_up);
  adw_expander_row_add_action (ADW_EXPANDER_ROW (expander),
                               remove_button_new ("session.remove-event", position, remove));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), what);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), severity);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), follow_up);
  g_signal_connect_object (event, "notify", G_CALLBACK (schedule_save), self,
                           G_CONNECT_SWAPPED);
  return expander;
}

static void
areas_changed_cb (StriaeSessionPage *self)
{
  GListModel *areas = striae_treatment_session_get_areas (self->session);

  clear_rows (self->areas_group, self->area_rows);
  for (guint i = 0; i < g_list_model_get_n_items (areas); i++)
    {
      g_autoptr(StriaeSessionArea) entry = g_list_model_get_item (areas, i);
      GtkWidget *row = area_row_new (self, entry);

      adw_preferences_group_add (self->areas_group, row);
      g_ptr_array_add (self->area_rows, row);
    }
}

static void
products_changed_cb (StriaeSessionPage *self)
{
  GListModel *products = striae_treatment_session_get_products (self->session);

  clear_rows (self->products_group, self->product_rows);
  for (guint i = 0; i < g_list_model_get_n_items (products); i++)
    {
      g_autoptr(StriaeSessionProduct) product = g_list_model_get_item (products, i);
      GtkWidget *row = product_row_new (self, product, i);

      adw_preferences_group_add (self->products_group, row);
      g_ptr_array_add (self->product_rows, row);
    }
  schedule_save (self);
}

static void
events_changed_cb (StriaeSessionPage *self)
{
  GListModel *events = striae_treatment_session_get_events (self->session);

  clear_rows (self->events_group, self->event_rows);
  for (guint i = 0; i < g_list_model_get_n_items (events); i++)
    {
      g_autoptr(StriaeAdverseEvent) event = g_list_model_get_item (events, i);
      GtkWidget *row = event_row_new (self, event, i);

      adw_preferences_group_add (self->events_group, row);
      g_ptr_array_add (self->event_rows, row);
    }
  schedule_save (self);
}

static void
set_problem (StriaeSessionPage *self,
             const char        *problem)
{
  gtk_label_set_label (self->problem_label, problem);
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), problem != NULL);
}

static void
set_save_error (StriaeSessionPage *self,
                const GError      *error)
{
  g_autofree char *message = NULL;

  if (error != NULL)
    /* TRANSLATORS: %s says why the records refused the draft */
    message = g_strdup_printf (_("Not saved: %s"), error->message);
  gtk_label_set_label (self->save_error_label, message);
  gtk_info_bar_set_revealed (self->save_error_bar, error != NULL);
}

/* What the check decides as the answers change, said before it is confirmed: the clinic's
 * rules (src/core) tell an absolute finding from a relative one. */
static void
update_verdict (StriaeSessionPage *self)
{
  StriaeSessionCheck *check;
  g_autofree char *stop = NULL;
  g_autofree char *text = NULL;
  gboolean changed;

  if (self->session == NULL)
    return;

  check = striae_treatment_session_get_check (self->session);
  stop = striae_session_check_dup_stop_reason (check, self->rules);
  changed = striae_session_check_has_changes (check);
  if (stop != NULL)
    /* TRANSLATORS: %s lists the findings, one a line */
    text = g_strdup_printf (_("The session cannot go ahead today:\n%s\nIt is kept as stopped, "
                              "with this reason."), stop);
  else if (changed)
    text = g_strdup (_("A finding to weigh before the session: confirm below that the session "
                       "goes ahead."));

  gtk_label_set_label (self->verdict_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->verdict_label), text != NULL);
  gtk_widget_remove_css_class (GTK_WIDGET (self->verdict_label), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->verdict_label), "warning");
  if (text != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->verdict_label), stop != NULL ? "error" : "warning");
  gtk_widget_set_visible (GTK_WIDGET (self->acknowledge_check), stop == NULL && changed);
  gtk_button_set_label (self->check_button, stop != NULL ? _("_Stop the Session")
                                                         : _("_Go On to the Session"));
  striae_accessible_name_buttons (GTK_WIDGET (self->check_button));
  gtk_widget_remove_css_class (GTK_WIDGET (self->check_button),
                               stop != NULL ? "suggested-action" : "destructive-action");
  gtk_widget_add_css_class (GTK_WIDGET (self->check_button),
                            stop != NULL ? "destructive-action" : "suggested-action");
}

static char *
dup_check_summary (StriaeSessionCheck *check)
{
  const char *reason = striae_session_check_get_reason (check);
  const char *changes = striae_session_check_get_changes (check);

  switch (striae_session_check_get_result (check))
    {
    case STRIAE_CHECK_RESULT_CLEAR:
      return g_strdup (_("Nothing changed since the consultation."));
    case STRIAE_CHECK_RESULT_ACKNOWLEDGED:
      if (changes[0] != '\0')
        /* TRANSLATORS: %s is what changed, as the practitioner wrote it */
        return g_strdup_printf (_("A finding was weighed and the session went ahead: %s"),
                                changes);
      return g_strdup (_("A finding was weighed and the session went ahead."));
    case STRIAE_CHECK_RESULT_STOPPED:
      /* TRANSLATORS: %s is why the session was stopped */
      return g_strdup_printf (_("Stopped before the session: %s"), reason);
    case STRIAE_CHECK_RESULT_NOT_DONE:
    default:
      return g_strdup (_("Not done yet."));
    }
}

/* The stage shown follows the record: the check until it is done, then the record; a
 * session stopped by its check has nothing more to record. */
static void
update_state (StriaeSessionPage *self)
{
  StriaeSessionCheck *check;
  StriaeCheckResult result;
  g_autofree char *summary = NULL;
  g_autofree char *title = NULL;
  const char *reason;
  gboolean is_signed;
  gboolean may_write;
  gboolean read_only;

  if (self->session == NULL)
    return;

  check = striae_treatment_session_get_check (self->session);
  result = striae_session_check_get_result (check);
  is_signed = striae_treatment_session_get_status (self->session) ==
              STRIAE_TREATMENT_SESSION_STATUS_SIGNED;
  may_write = self->store != NULL &&
              striae_store_may (self->store, STRIAE_RIGHT_CONSULTATIONS, NULL);
  read_only = is_signed || !may_write;

  if (read_only != self->read_only)
    {
      self->read_only = read_only;
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_READ_ONLY]);
    }

  gtk_stack_set_visible_child_name (self->stack,
                                    result == STRIAE_CHECK_RESULT_NOT_DONE && !read_only
                                    ? "check" : "record");
  summary = dup_check_summary (check);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->check_summary_row), summary);
  gtk_widget_set_visible (self->fields_box, result != STRIAE_CHECK_RESULT_STOPPED);

  if (striae_treatment_session_get_maintenance (self->session))
    /* TRANSLATORS: %u is the number of the maintenance session */
    title = g_strdup_printf (_("Maintenance Session %u"),
                             striae_treatment_session_get_number (self->session));
  else
    /* TRANSLATORS: the first %u is the session's number, the second the course's length */
    title = g_strdup_printf (_("Session %u of %u"),
                             striae_treatment_session_get_number (self->session),
                             striae_treatment_session_get_course_length (self->session));
  gtk_label_set_label (self->record_title, title);

  reason = striae_treatment_session_get_amendment_reason (self->session);
  adw_action_row_set_subtitle (self->amendment_row, reason);
  gtk_widget_set_visible (GTK_WIDGET (self->amendment_row), reason[0] != '\0');

  {
    g_autofree char *status = NULL;
    guint revision = striae_treatment_session_get_revision (self->session);

    if (is_signed)
      /* TRANSLATORS: %u is the revision number of a signed session record */
      status = g_strdup_printf (_("Revision %u · signed"), revision);
    else if (!may_write)
      status = g_strdup (_("Read only: recording sessions is the practitioner’s"));
    else
      /* TRANSLATORS: %u is the revision number of a session record being written */
      status = g_strdup_printf (_("Revision %u · draft, saved as you type"), revision);
    gtk_label_set_label (self->status_label, status);
  }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "session.finish-check", !read_only);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "session.add-product", !read_only);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "session.remove-product", !read_only);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "session.add-event", !read_only);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "session.remove-event", !read_only);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "session.sign",
                                 !read_only && result != STRIAE_CHECK_RESULT_NOT_DONE &&
                                 striae_store_may (self->store, STRIAE_RIGHT_SIGN, NULL));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "session.amend",
                                 is_signed && self->store != NULL &&
                                 striae_store_may (self->store, STRIAE_RIGHT_AMEND, NULL));
}

/* A copy of the record written in a worker thread; "done" tells the window's thread, which
 * must not write over it with an older state, when the write is over. */
typedef struct _SaveData
{
  StriaeStore            *store;
  StriaeTreatmentSession *copy;
  GMutex                  lock;
  GCond                   cond;
  gboolean                done;
} SaveData;

static void
save_data_free (SaveData *data)
{
  g_clear_object (&data->store);
  g_clear_object (&data->copy);
  g_mutex_clear (&data->lock);
  g_cond_clear (&data->cond);
  g_free (data);
}

static void
save_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SaveData *data = task_data;
  GError *error = NULL;
  gboolean ok;

  ok = striae_store_save_treatment_session (data->store, data->copy, NULL, &error);
  g_mutex_lock (&data->lock);
  data->done = TRUE;
  g_cond_signal (&data->cond);
  g_mutex_unlock (&data->lock);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Waits until the write running in a worker thread is over, so that what is written next,
 * here, is the latest state and not overwritten by an older one. */
static void
wait_for_save (StriaeSessionPage *self)
{
  SaveData *data = self->saving;

  if (data == NULL)
    return;
  g_mutex_lock (&data->lock);
  while (!data->done)
    g_cond_wait (&data->cond, &data->lock);
  g_mutex_unlock (&data->lock);
}

static gboolean
is_draft (StriaeSessionPage *self)
{
  return self->session != NULL && !self->read_only &&
         striae_treatment_session_get_status (self->session) ==
         STRIAE_TREATMENT_SESSION_STATUS_DRAFT;
}

/**
 * striae_session_page_save_now:
 *
 * Writes the draft in this thread, now (after a write running in a worker thread): for
 * signing, leaving the page and closing the window.
 */
gboolean
striae_session_page_save_now (StriaeSessionPage  *self,
                              GError            **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (STRIAE_IS_SESSION_PAGE (self), FALSE);

  g_clear_handle_id (&self->save_timeout, g_source_remove);
  wait_for_save (self);
  /* Nothing typed, nothing written: a record opened and left at once leaves no draft. */
  if (!is_draft (self) || !self->dirty)
    return TRUE;

  self->dirty = FALSE;
  if (!striae_store_save_treatment_session (self->store, self->session, NULL, &local_error))
    {
      self->dirty = TRUE;
      set_save_error (self, local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  set_save_error (self, NULL);
  update_state (self);
  return TRUE;
}

static void start_save (StriaeSessionPage *self);

static void
save_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  StriaeSessionPage *self = STRIAE_SESSION_PAGE (object);
  g_autoptr(GError) error = NULL;
  gboolean ok = g_task_propagate_boolean (G_TASK (result), &error);

  self->saving = NULL;
  /* The page went (or shows another record): nothing to say about this one. */
  if (user_data != self->session || self->session == NULL)
    return;
  set_save_error (self, ok ? NULL : error);
  /* A refused write is tried again with the next change, and on leaving. */
  if (!ok)
    self->dirty = TRUE;
  else if (self->dirty)
    start_save (self);
}

/* Writes a copy of the draft in a worker thread, unless one is being written: then the
 * change is written once that write is over. A new record gets its id here first, a quick
 * insert, so that two writes never add it twice. */
static void
start_save (StriaeSessionPage *self)
{
  g_autoptr(GTask) task = NULL;
  SaveData *data;

  if (!is_draft (self))
    return;
  if (self->saving != NULL)
    {
      self->dirty = TRUE;
      return;
    }
  if (striae_treatment_session_get_id (self->session) == 0)
    {
      striae_session_page_save_now (self, NULL);
      return;
    }

  self->dirty = FALSE;
  data = g_new0 (SaveData, 1);
  data->store = g_object_ref (self->store);
  data->copy = striae_treatment_session_copy (self->session);
  g_mutex_init (&data->lock);
  g_cond_init (&data->cond);
  self->saving = data;
  task = g_task_new (self, NULL, save_done_cb, self->session);
  g_task_set_source_tag (task, start_save);
  g_task_set_task_data (task, data, (GDestroyNotify) save_data_free);
  g_task_run_in_thread (task, save_thread);
}

static gboolean
save_timeout_cb (gpointer data)
{
  StriaeSessionPage *self = data;

  self->save_timeout = 0;
  start_save (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_save (StriaeSessionPage *self)
{
  if (!is_draft (self))
    return;

  set_problem (self, NULL);
  self->dirty = TRUE;
  g_clear_handle_id (&self->save_timeout, g_source_remove);
  self->save_timeout = g_timeout_add (SAVE_DELAY_MS, save_timeout_cb, self);
}

static void
session_notify_cb (StriaeSessionPage *self,
                   GParamSpec        *pspec)
{
  const char * const from_records[] = {
    "id", "revision", "status", "patient-id", "consultation-revision", NULL
  };

  update_state (self);
  /* What the records give the record on saving is no change to save again. */
  if (!g_strv_contains (from_records, pspec->name))
    schedule_save (self);
}

static void
check_notify_cb (StriaeSessionPage *self,
                 GParamSpec        *pspec)
{
  update_verdict (self);
  update_state (self);
  schedule_save (self);
}

static void
disconnect_session (StriaeSessionPage *self)
{
  if (self->session == NULL)
    return;

  for (guint i = 0; i < self->bindings->len; i++)
    g_binding_unbind (g_ptr_array_index (self->bindings, i));
  g_ptr_array_set_size (self->bindings, 0);
  g_signal_handlers_disconnect_by_data (self->session, self);
  g_signal_handlers_disconnect_by_data (striae_treatment_session_get_check (self->session), self);
  g_signal_handlers_disconnect_by_data (striae_treatment_session_get_areas (self->session), self);
  g_signal_handlers_disconnect_by_data (striae_treatment_session_get_products (self->session),
                                        self);
  g_signal_handlers_disconnect_by_data (striae_treatment_session_get_events (self->session),
                                        self);
  clear_rows (self->areas_group, self->area_rows);
  clear_rows (self->products_group, self->product_rows);
  clear_rows (self->events_group, self->event_rows);
  g_clear_object (&self->session);
}

static void
keep_binding (StriaeSessionPage *self,
              GBinding          *binding)
{
  g_ptr_array_add (self->bindings, binding);
}

static void
bind_session (StriaeSessionPage *self)
{
  GObject *session = G_OBJECT (self->session);
  GObject *check = G_OBJECT (striae_treatment_session_get_check (self->session));
  GBindingFlags both = G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL;

  for (guint i = 0; i < STRIAE_N_CHECK_ITEMS; i++)
    keep_binding (self, g_object_bind_property (check, striae_check_item_get_info (i)->id,
                                                self->answers[i], "answer", both));
  keep_binding (self, g_object_bind_property (check, "changes", self->changes_row, "text",
                                              both));
  keep_binding (self, g_object_bind_property_full (session, "date", self->date_row, "text",
                                                   both, date_to_text, text_to_date,
                                                   NULL, NULL));
  keep_binding (self, g_object_bind_property_full (session, "time", self->time_row, "text",
                                                   both, minutes_to_text, text_to_minutes,
                                                   NULL, NULL));
  keep_binding (self, g_object_bind_property (session, "practitioner", self->practitioner_row,
                                              "text", both));
  keep_binding (self, g_object_bind_property (session, "numbing-cream", self->numbing_switch,
                                              "active", both));
  keep_binding (self, g_object_bind_property_full (session, "numbing-cream-time",
                                                   self->numbing_time_row, "text", both,
                                                   minutes_to_text, text_to_minutes,
                                                   NULL, NULL));
  keep_binding (self, g_object_bind_property (session, "tolerance", self->tolerance_spin,
                                              "value", both));
  keep_binding (self, g_object_bind_property (session, "reaction", self->reaction_row, "text",
                                              both));
  keep_binding (self, g_object_bind_property (session, "notes", self->notes_row, "text",
                                              both));

  g_signal_connect_object (session, "notify", G_CALLBACK (session_notify_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (check, "notify", G_CALLBACK (check_notify_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (striae_treatment_session_get_areas (self->session), "items-changed",
                           G_CALLBACK (areas_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (striae_treatment_session_get_products (self->session),
                           "items-changed", G_CALLBACK (products_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (striae_treatment_session_get_events (self->session),
                           "items-changed", G_CALLBACK (events_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

/* Shows @session (taking a reference): binds every field to it; the lists get their rows. */
static void
show_session (StriaeSessionPage      *self,
              StriaeTreatmentSession *session)
{
  disconnect_session (self);
  g_clear_handle_id (&self->save_timeout, g_source_remove);
  self->session = g_object_ref (session);
  gtk_check_button_set_active (self->acknowledge_check, FALSE);
  set_problem (self, NULL);
  set_save_error (self, NULL);

  bind_session (self);
  areas_changed_cb (self);
  products_changed_cb (self);
  events_changed_cb (self);
  /* Shown is not changed: nothing to save until the user types. */
  g_clear_handle_id (&self->save_timeout, g_source_remove);
  self->dirty = FALSE;
  update_verdict (self);
  update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SESSION]);
}

/* The next place in the course: after the sessions recorded so far, then maintenance
 * sessions counted on from 1 [course]. */
static void
place_in_course (StriaeSessionPage      *self,
                 StriaeTreatmentSession *session,
                 GPtrArray              *recorded)
{
  guint course = 0;
  guint maintenance = 0;

  for (guint i = 0; i < recorded->len; i++)
    {
      StriaeTreatmentSession *other = g_ptr_array_index (recorded, i);

      if (striae_treatment_session_get_maintenance (other))
        maintenance = MAX (maintenance, striae_treatment_session_get_number (other));
      else
        course = MAX (course, striae_treatment_session_get_number (other));
    }

  if (course < striae_treatment_session_get_course_length (session))
    striae_treatment_session_set_number (session, course + 1);
  else
    {
      striae_treatment_session_set_maintenance (session, TRUE);
      striae_treatment_session_set_number (session, maintenance + 1);
    }
}

/* The first session still to come in the schedule (planned or moved), when the records
 * keep one: after a missed session, the next is the one recorded. */
static gboolean
place_from_schedule (StriaeSessionPage      *self,
                     StriaeTreatmentSession *session)
{
  g_autoptr(GPtrArray) schedule = NULL;

  schedule = striae_store_list_schedule (self->store,
                                         striae_consultation_get_id (self->consultation), NULL);
  for (guint i = 0; schedule != NULL && i < schedule->len; i++)
    {
      const StriaeScheduledSession *scheduled = g_ptr_array_index (schedule, i);

      if (striae_scheduled_session_is_open (scheduled))
        {
          striae_treatment_session_set_maintenance (session, scheduled->maintenance);
          striae_treatment_session_set_number (session, scheduled->number);
          return TRUE;
        }
    }

  return FALSE;
}

static StriaeTreatmentSession *
new_session (StriaeSessionPage  *self,
             GError            **error)
{
  g_autoptr(StriaeTreatmentSession) session = NULL;
  g_autoptr(GPtrArray) recorded = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  const char *practitioner;
  GDate today;

  recorded = striae_store_list_treatment_sessions (self->store,
                                                   striae_consultation_get_id (self->consultation),
                                                   error);
  if (recorded == NULL)
    return NULL;

  /* A record begun and not signed is carried on, not begun twice. */
  for (guint i = 0; i < recorded->len; i++)
    {
      StriaeTreatmentSession *begun = g_ptr_array_index (recorded, i);

      if (striae_treatment_session_get_status (begun) == STRIAE_TREATMENT_SESSION_STATUS_DRAFT &&
          striae_treatment_session_get_revision (begun) == 1)
        return g_object_ref (begun);
    }

  session = striae_treatment_session_new_for (self->consultation);
  if (!place_from_schedule (self, session))
    place_in_course (self, session, recorded);
  striae_get_today (&today);
  striae_treatment_session_set_date (session, &today);
  striae_treatment_session_set_time (session, g_date_time_get_hour (now) * 60 +
                                              g_date_time_get_minute (now));
  /* Signed in, the account records and signs; without accounts, the name is typed. */
  practitioner = striae_store_get_account_display_name (self->store);
  if (practitioner == NULL || practitioner[0] == '\0')
    practitioner = striae_consultation_get_practitioner (self->consultation);
  striae_treatment_session_set_practitioner (session, practitioner);
  return g_steal_pointer (&session);
}

static void
update_header (StriaeSessionPage *self)
{
  g_autofree char *title = NULL;
  g_autofree char *birth = NULL;
  g_autofree char *label = NULL;
  g_autofree char *planned = NULL;
  g_autofree char *course = NULL;
  GDate today;

  striae_get_today (&today);
  title = striae_patient_dup_title (self->patient, &today);
  birth = striae_format_optional_iso_date (striae_patient_get_birth_date (self->patient));
  /* TRANSLATORS: the patient's name and age, then their date of birth */
  label = g_strdup_printf (_("%s · born %s"), title, birth);
  gtk_label_set_label (self->patient_label, label);

  planned = striae_format_optional_iso_date (striae_consultation_get_date (self->consultation));
  /* TRANSLATORS: %s is the date of the consultation whose plan the sessions follow */
  course = g_strdup_printf (_("Course planned at the consultation of %s"), planned);
  gtk_label_set_label (self->course_label, course);
}

/**
 * striae_session_page_open:
 * @consultation: the signed consultation whose plan the session follows
 * @session_id: a session record to show, or 0 to start the next one of the course
 *
 * Returns: %FALSE with @error set when the records cannot give what is asked
 */
gboolean
striae_session_page_open (StriaeSessionPage   *self,
                          StriaePatient       *patient,
                          StriaeConsultation  *consultation,
                          gint64               session_id,
                          GError             **error)
{
  g_autoptr(StriaeTreatmentSession) session = NULL;
  g_autoptr(StriaeRules) rules = NULL;

  g_return_val_if_fail (STRIAE_IS_SESSION_PAGE (self), FALSE);
  g_return_val_if_fail (STRIAE_IS_PATIENT (patient), FALSE);
  g_return_val_if_fail (STRIAE_IS_CONSULTATION (consultation), FALSE);
  g_return_val_if_fail (STRIAE_IS_STORE (self->store), FALSE);

  striae_session_page_save_now (self, NULL);
  g_set_object (&self->patient, patient);
  g_set_object (&self->consultation, consultation);

  /* [contra] the clinic's levels decide what stops a session; without them, CLINICAL.md's. */
  rules = striae_store_load_rules (self->store, NULL);
  g_set_object (&self->rules, rules);

  if (session_id != 0)
    session = striae_store_get_treatment_session (self->store, session_id, error);
  else if (!striae_store_may (self->store, STRIAE_RIGHT_CONSULTATIONS, error))
    return FALSE;
  else
    session = new_session (self, error);
  if (session == NULL)
    return FALSE;

  update_header (self);
  show_session (self, session);
  return TRUE;
}

/**
 * striae_session_page_finish_check:
 *
 * Applies the check before the session: nothing changed, it is clear; an absolute finding
 * at the clinic's level stops the session, with its reason, and the record is kept as
 * stopped; a relative one must be acknowledged first.
 */
gboolean
striae_session_page_finish_check (StriaeSessionPage  *self,
                                  GError            **error)
{
  StriaeSessionCheck *check;
  g_autofree char *stop = NULL;

  g_return_val_if_fail (STRIAE_IS_SESSION_PAGE (self), FALSE);
  g_return_val_if_fail (self->session != NULL, FALSE);

  check = striae_treatment_session_get_check (self->session);
  stop = striae_session_check_dup_stop_reason (check, self->rules);
  if (stop != NULL)
    {
      striae_session_check_set_reason (check, stop);
      striae_session_check_set_result (check, STRIAE_CHECK_RESULT_STOPPED);
      /* [contra] nothing was done: a stopped session has no areas treated. */
      while (g_list_model_get_n_items (striae_treatment_session_get_areas (self->session)) > 0)
        striae_treatment_session_remove_area (self->session, 0);
      striae_treatment_session_set_numbing_cream (self->session, FALSE);
    }
  else if (striae_session_check_has_changes (check))
    {
      if (!gtk_check_button_get_active (self->acknowledge_check))
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("A finding changed since the consultation: confirm that you "
                                 "weighed it before the session goes ahead."));
          return FALSE;
        }
      striae_session_check_set_result (check, STRIAE_CHECK_RESULT_ACKNOWLEDGED);
    }
  else
    striae_session_check_set_result (check, STRIAE_CHECK_RESULT_CLEAR);

  return striae_session_page_save_now (self, error);
}

/**
 * striae_session_page_sign:
 *
 * Saves the draft, then signs it in the practitioner's name (the signed-in account's when
 * there is one); the record is read-only from then on.
 */
gboolean
striae_session_page_sign (StriaeSessionPage  *self,
                          GError            **error)
{
  g_autoptr(StriaeTreatmentSession) signed_one = NULL;
  gint64 id;
  GDate today;

  g_return_val_if_fail (STRIAE_IS_SESSION_PAGE (self), FALSE);
  g_return_val_if_fail (self->session != NULL, FALSE);

  striae_get_today (&today);
  if (!striae_session_page_save_now (self, error) ||
      !striae_treatment_session_check_signable (self->session, &today, error))
    return FALSE;

  id = striae_treatment_session_get_id (self->session);
  if (!striae_store_sign_treatment_session (self->store, id,
                                            striae_treatment_session_get_practitioner (
                                              self->session),
                                            error) ||
      (signed_one = striae_store_get_treatment_session (self->store, id, error)) == NULL)
    return FALSE;

  show_session (self, signed_one);
  return TRUE;
}

/**
 * striae_session_page_amend:
 * @reason: why the signed record is corrected
 *
 * Starts a new revision of the signed record shown, holding @reason, and shows it to edit.
 */
gboolean
striae_session_page_amend (StriaeSessionPage  *self,
                           const char         *reason,
                           GError            **error)
{
  g_autoptr(StriaeTreatmentSession) amended = NULL;

  g_return_val_if_fail (STRIAE_IS_SESSION_PAGE (self), FALSE);
  g_return_val_if_fail (self->session != NULL, FALSE);

  amended = striae_store_amend_treatment_session (self->store,
                                                  striae_treatment_session_get_id (self->session),
                                                  NULL, reason, error);
  if (amended == NULL)
    return FALSE;

  show_session (self, amended);
  return TRUE;
}

static void
finish_check_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  StriaeSessionPage *self = STRIAE_SESSION_PAGE (widget);
  g_autoptr(GError) error = NULL;

  if (!striae_session_page_finish_check (self, &error))
    {
      gtk_label_set_label (self->verdict_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->verdict_label), TRUE);
      return;
    }
  gtk_widget_grab_focus (GTK_WIDGET (self->stack));
}

static void
sign_now (StriaeSessionPage *self)
{
  g_autoptr(GError) error = NULL;

  if (!striae_session_page_sign (self, &error))
    {
      set_problem (self, error->message);
      return;
    }
  /* The fields take no keyboard now: the focus goes to what can still be done. */
  gtk_widget_grab_focus (self->amend_button);
}

/* Signing with the password (issue 16): on records with accounts and on a clinic server a
 * session record is signed as a consultation is, with the signed-in account's (the login's)
 * password typed again in the signature prompt (striae-signature-prompt.c), which checks it
 * in a worker thread. A wrong password signs nothing and the prompt comes back saying so; the
 * audit entry of the signature says the password was given. */

static void ask_signature (StriaeSessionPage *self,
                           const char        *problem);

/* What a password typed was asked for: nothing is signed unless that record is still shown. */
typedef struct
{
  StriaeSessionPage *page;
  gint64             session_id;
} SignatureRequest;

static void
signature_request_free (SignatureRequest *request)
{
  g_clear_object (&request->page);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SignatureRequest, signature_request_free)

static void
signature_checked_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(SignatureRequest) request = user_data;
  StriaeSessionPage *self = request->page;
  g_autoptr(GError) error = NULL;
  gboolean confirmed;

  confirmed = striae_signature_prompt_check_finish (STRIAE_SIGNATURE_PROMPT (object), result,
                                                    &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->signature_check);

  /* Another record is shown meanwhile, or this one was signed: nothing is signed unseen. */
  if (self->session == NULL || self->read_only ||
      striae_treatment_session_get_id (self->session) != request->session_id)
    return;

  if (confirmed)
    sign_now (self);
  else
    ask_signature (self, error->message);
}

static void
signature_response_cb (StriaeSessionPage     *self,
                       const char            *response,
                       StriaeSignaturePrompt *prompt)
{
  SignatureRequest *request;

  /* Only "sign" reads the dialog: its close response may come once its rows are gone. */
  if (g_strcmp0 (response, "sign") != 0 || self->signature_check != NULL ||
      self->session == NULL || self->read_only)
    return;

  request = g_new0 (SignatureRequest, 1);
  request->page = g_object_ref (self);
  request->session_id = striae_treatment_session_get_id (self->session);

  self->signature_check = g_cancellable_new ();
  striae_signature_prompt_check_async (prompt, self->signature_check, signature_checked_cb,
                                       request);
}

/* Asks the signed-in account's password to sign the record shown; @problem says why the last
 * one was refused. */
static void
ask_signature (StriaeSessionPage *self,
               const char        *problem)
{
  StriaeSignaturePrompt *prompt;

  prompt = striae_signature_prompt_new (GTK_WIDGET (self), self->store, NULL, problem);
  g_signal_connect_object (prompt, "response", G_CALLBACK (signature_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (prompt));
}

static void
sign_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  StriaeSessionPage *self = STRIAE_SESSION_PAGE (widget);
  g_autoptr(GError) error = NULL;
  GDate today;

  if (!striae_store_signs_with_password (self->store))
    {
      sign_now (self);
      return;
    }

  /* What cannot be signed is said before the password is asked. */
  striae_get_today (&today);
  if (!striae_session_page_save_now (self, &error) ||
      !striae_treatment_session_check_signable (self->session, &today, &error))
    {
      set_problem (self, error->message);
      return;
    }
  set_problem (self, NULL);
  ask_signature (self, NULL);
}

static void
amend_dialog_response_cb (StriaeSessionPage *self,
                          const char        *response,
                          AdwMessageDialog  *dialog)
{
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "amend") != 0)
    return;
  if (!striae_session_page_amend (self, gtk_editable_get_text (entry), &error))
    set_problem (self, error->message);
}

static void
amend_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  StriaeSessionPage *self = STRIAE_SESSION_PAGE (widget);
  GtkWidget *dialog;
  GtkWidget *entry = gtk_entry_new ();

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                   _("Amend the Session Record?"),
                                   _("The signed record stays as it was signed; the correction "
                                     "is a new revision, signed again. Say why it is made."));
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Reason for the amendment"), -1);
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Reason for the amendment"));
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "amend", _("_Amend"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "amend",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "amend");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (amend_dialog_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
add_product_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  StriaeSessionPage *self = STRIAE_SESSION_PAGE (widget);
  g_autoptr(StriaeSessionProduct) product = striae_session_product_new ("", "", NULL);
  GtkWidget *row;

  striae_treatment_session_add_product (self->session, product);
  /* The new product's name is where the typing goes on. */
  row = g_ptr_array_index (self->product_rows, self->product_rows->len - 1);
  gtk_widget_grab_focus (row);
}

static void
remove_product_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  StriaeSessionPage *self = STRIAE_SESSION_PAGE (widget);
  guint position = g_variant_get_uint32 (parameter);
  GListModel *products = striae_treatment_session_get_products (self->session);

  if (position < g_list_model_get_n_items (products))
    striae_treatment_session_remove_product (self->session, position);
}

static void
add_event_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  StriaeSessionPage *self = STRIAE_SESSION_PAGE (widget);
  g_autoptr(StriaeAdverseEvent) event = striae_adverse_event_new ("",
                                                                  STRIAE_EVENT_SEVERITY_MILD);
  GtkWidget *row;

  striae_treatment_session_add_event (self->session, event);
  row = g_ptr_array_index (self->event_rows, self->event_rows->len - 1);
  gtk_widget_grab_focus (row);
}

static void
remove_event_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  StriaeSessionPage *self = STRIAE_SESSION_PAGE (widget);
  guint position = g_variant_get_uint32 (parameter);
  GListModel *events = striae_treatment_session_get_events (self->session);

  if (position < g_list_model_get_n_items (events))
    striae_treatment_session_remove_event (self->session, position);
}

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  StriaeSessionPage *self = STRIAE_SESSION_PAGE (widget);
  g_autoptr(GError) error = NULL;

  /* A draft the records refuse stays open, with why, rather than being left behind. */
  if (!striae_session_page_save_now (self, &error))
    return;
  g_signal_emit (self, signals [CLOSED], 0);
}

/* -1 is "not recorded": the spin button shows nothing rather than a score. */
static gboolean
tolerance_output_cb (GtkSpinButton *spin,
                     gpointer       data)
{
  int value = (int) gtk_adjustment_get_value (gtk_spin_button_get_adjustment (spin));
  g_autofree char *text = value < 0 ? g_strdup ("") : g_strdup_printf ("%d", value);

  if (g_strcmp0 (text, gtk_editable_get_text (GTK_EDITABLE (spin))) != 0)
    gtk_editable_set_text (GTK_EDITABLE (spin), text);
  return TRUE;
}

static int
tolerance_input_cb (GtkSpinButton *spin,
                    double        *value,
                    gpointer       data)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (spin));
  guint64 score;

  if (text[0] == '\0')
    {
      *value = -1;
      return TRUE;
    }
  if (!g_ascii_string_to_unsigned (text, 10, 0, STRIAE_TOLERANCE_MAX, &score, NULL))
    return GTK_INPUT_ERROR;
  *value = (double) score;
  return TRUE;
}

static void
build_check_rows (StriaeSessionPage *self)
{
  for (guint i = 0; i < STRIAE_N_CHECK_ITEMS; i++)
    {
      GtkWidget *row = striae_wizard_answer_row_new (striae_check_item_get_label (i),
                                                     &self->answers[i]);

      adw_preferences_group_add (self->check_group, row);
    }
}

static void
striae_session_page_dispose (GObject *object)
{
  StriaeSessionPage *self = (StriaeSessionPage *)object;

  /* What was typed last is kept when the page goes with its window. */
  if (self->save_timeout != 0 || self->dirty)
    striae_session_page_save_now (self, NULL);
  else
    wait_for_save (self);
  disconnect_session (self);
  g_cancellable_cancel (self->signature_check);
  g_clear_object (&self->signature_check);
  gtk_widget_dispose_template (GTK_WIDGET (self), STRIAE_TYPE_SESSION_PAGE);
  g_clear_object (&self->store);
  g_clear_object (&self->rules);
  g_clear_object (&self->patient);
  g_clear_object (&self->consultation);

  G_OBJECT_CLASS (striae_session_page_parent_class)->dispose (object);
}

static void
striae_session_page_finalize (GObject *object)
{
  StriaeSessionPage *self = (StriaeSessionPage *)object;

  g_clear_pointer (&self->bindings, g_ptr_array_unref);
  g_clear_pointer (&self->area_rows, g_ptr_array_unref);
  g_clear_pointer (&self->product_rows, g_ptr_array_unref);
  g_clear_pointer (&self->event_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (striae_session_page_parent_class)->finalize (object);
}

static void
striae_session_page_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  StriaeSessionPage *self = STRIAE_SESSION_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_READ_ONLY:
      g_value_set_boolean (value, self->read_only);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_session_page_class_init (StriaeSessionPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = striae_session_page_dispose;
  object_class->finalize = striae_session_page_finalize;
  object_class->get_property = striae_session_page_get_property;

  properties [PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, STRIAE_TYPE_TREATMENT_SESSION, flags);
  properties [PROP_READ_ONLY] = g_param_spec_boolean ("read-only", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals [CLOSED] =
    g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);

  g_type_ensure (STRIAE_TYPE_DATE_ROW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/striae/Striae/ui/"
                                               "striae-session-page.ui");
  gtk_widget_class_bind_template_child (widget_class, StriaeSessionPage, patient_label);
  gtk_widget_class_bind_template_child (widget_class, StriaeSessionPage, course_label);
  gtk_widget_class_bind_template_child (widget_class, StriaeSessionPage, save_error_bar);
  gtk_widget_class_bind_template_child (widget_class, StriaeSessionPage, save_error_label);
  gtk_widget_class_bind_template_child (widget_class, StriaeSessionPage, stack);
  gtk_widget_class_bind_template_child (widget_class, StriaeSessionPage, check_group);
  gtk_widget_class_bind_template_child (widget_class, StriaeSessionPage, changes_row);
  gtk_widget_class_bind_template_child (widget_class, StriaeSessionPage, verdict_label);
  gtk_widget_class_bind_template_child (widget_class, StriaeSessionPage, acknowledge_check);
  gtk_widget_class_bind_template_child (widget_class, StriaeSessionPage, check_button);
  gtk_widget_class_bind_template_child (widget_class, StriaeSessionPage, record_title);
  gtk_widget_class_bind_template_child (widget_class, StriaeSessionPage, check_summary_row);
  gtk_widget_class_bind_template_child (widget_class, StriaeSessionPage, fields_box);
  gtk_widget_class_bind_template_child (widget_class, StriaeSessionPage, date_row);
  gtk_widget_class_bind_template_child (widget_class, StriaeSessionPage, time_row);
  gtk_widget_class_bind_template_child (widget_class, StriaeSessionPage, practitioner_row);
  gtk_widget_class_bind_template_child (widget_class, StriaeSessionPage, areas_group);
  gtk_widget_class_bind_template_child (widget_class, StriaeSessionPage, numbing_switch);
  gtk_widget_class_bind_template_child (widget_class, StriaeSessionPage, numbing_time_row);
  gtk_widget_class_bind_template_child (widget_class, StriaeSessionPage, products_group);
  gtk_widget_class_bind_template_child (widget_class, StriaeSessionPage, tolerance_spin);
  gtk_widget_class_bind_template_child (widget_class, StriaeSessionPage, reaction_row);
  gtk_widget_class_bind_template_child (widget_class, StriaeSessionPage, events_group);
  gtk_widget_class_bind_template_child (widget_class, StriaeSessionPage, notes_row);
  gtk_widget_class_bind_template_child (widget_class, StriaeSessionPage, amendment_row);
  gtk_widget_class_bind_template_child (widget_class, StriaeSessionPage, problem_label);
  gtk_widget_class_bind_template_child (widget_class, StriaeSessionPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, StriaeSessionPage, sign_button);
  gtk_widget_class_bind_template_child (widget_class, StriaeSessionPage, amend_button);
  gtk_widget_class_bind_template_callback (widget_class, tolerance_output_cb);
  gtk_widget_class_bind_template_callback (widget_class, tolerance_input_cb);

  gtk_widget_class_install_action (widget_class, "session.finish-check", NULL,
                                   finish_check_action);
  gtk_widget_class_install_action (widget_class, "session.sign", NULL, sign_action);
  gtk_widget_class_install_action (widget_class, "session.amend", NULL, amend_action);
  gtk_widget_class_install_action (widget_class, "session.add-product", NULL,
                                   add_product_action);
  gtk_widget_class_install_action (widget_class, "session.remove-product", "u",
                                   remove_product_action);
  gtk_widget_class_install_action (widget_class, "session.add-event", NULL, add_event_action);
  gtk_widget_class_install_action (widget_class, "session.remove-event", "u",
                                   remove_event_action);
  gtk_widget_class_install_action (widget_class, "session.close", NULL, close_action);
}

static void
striae_session_page_init (StriaeSessionPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->bindings = g_ptr_array_new ();
  self->area_rows = g_ptr_array_new ();
  self->product_rows = g_ptr_array_new ();
  self->event_rows = g_ptr_array_new ();
  build_check_rows (self);
  striae_accessible_name_buttons (GTK_WIDGET (self));

  /* [consent] a signed record is read-only and stays legible: its fields take neither
   * pointer nor keyboard, as the wizard's pages of a signed consultation. */
  g_object_bind_property (self, "read-only", self->stack, "can-target",
                          G_BINDING_SYNC_CREATE | G_BINDING_INVERT_BOOLEAN);
  g_object_bind_property (self, "read-only", self->stack, "can-focus",
                          G_BINDING_SYNC_CREATE | G_BINDING_INVERT_BOOLEAN);
}

GtkWidget *
striae_session_page_new (void)
{
  return g_object_new (STRIAE_TYPE_SESSION_PAGE, NULL);
}

void
striae_session_page_set_store (StriaeSessionPage *self,
                               StriaeStore       *store)
{
  g_return_if_fail (STRIAE_IS_SESSION_PAGE (self));
  g_return_if_fail (store == NULL || STRIAE_IS_STORE (store));

  g_set_object (&self->store, store);
}

StriaeTreatmentSession *
striae_session_page_get_session (StriaeSessionPage *self)
{
  g_return_val_if_fail (STRIAE_IS_SESSION_PAGE (self), NULL);
  return self->session;
}

gboolean
striae_session_page_get_read_only (StriaeSessionPage *self)
{
  g_return_val_if_fail (STRIAE_IS_SESSION_PAGE (self), TRUE);
  return self->read_only;
}

StriaeWizardAnswer *
striae_session_page_get_answer (StriaeSessionPage *self,
                                StriaeCheckItem    item)
{
  g_return_val_if_fail (STRIAE_IS_SESSION_PAGE (self), NULL);
  g_return_val_if_fail (item < STRIAE_N_CHECK_ITEMS, NULL);
  return self->answers[item];
}
