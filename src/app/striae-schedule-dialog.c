/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "striae-app-private.h"
#include "striae-date-row.h"
#include "striae-date.h"
#include "striae-schedule-dialog.h"
#include "striae-treatment-session.h"

/* One dialog's state: the session it changes and what was typed, which comes back in a new
 * dialog with the records' sentence when they refuse it (a date before the consultation, a
 * session someone else changed meanwhile), so that nothing typed is lost. */
typedef struct
{
  GtkWidget              *parent;
  StriaeStore            *store;
  StriaeScheduledSession *session;
  StriaeScheduleChange    change;
  StriaeScheduleDone      done;
  char                   *date;
  char                   *time;
  gboolean                follow;
  char                   *reason;
  char                   *problem;

  /* The dialog's fields (NULL when it has none of the kind). */
  GtkEditable            *date_row;
  GtkEditable            *time_row;
  GtkSwitch              *follow_switch;
  GtkEditable            *reason_row;
} ScheduleForm;

static void
schedule_form_free (ScheduleForm *form)
{
  g_clear_object (&form->parent);
  g_clear_object (&form->store);
  g_clear_pointer (&form->session, striae_scheduled_session_free);
  g_free (form->date);
  g_free (form->time);
  g_free (form->reason);
  g_free (form->problem);
  g_free (form);
}

static void
schedule_form_free_closure (gpointer  data,
                            GClosure *closure)
{
  schedule_form_free (data);
}

static ScheduleForm *
schedule_form_new (GtkWidget                    *parent,
                   StriaeStore                  *store,
                   const StriaeScheduledSession *session,
                   StriaeScheduleChange          change,
                   StriaeScheduleDone            done)
{
  ScheduleForm *form = g_new0 (ScheduleForm, 1);

  form->parent = g_object_ref (parent);
  form->store = g_object_ref (store);
  form->session = striae_scheduled_session_copy (session);
  form->change = change;
  form->done = done;
  form->date = striae_format_local_date (&session->date);
  form->time = session->time >= 0 ? striae_format_minutes (session->time) : g_strdup ("");
  /* [course] the interval between sessions is the plan's: later ones keep it by default. */
  form->follow = TRUE;
  form->reason = g_strdup ("");
  return form;
}

/**
 * striae_schedule_format_day:
 *
 * Returns: a date as a clinician says it, "12 March 2027", in the user's language
 */
char *
striae_schedule_format_day (const GDate *date)
{
  g_autoptr(GDateTime) when = NULL;

  if (date == NULL || !g_date_valid (date))
    return g_strdup (_("no date"));

  when = g_date_time_new_local (g_date_get_year (date), g_date_get_month (date),
                                g_date_get_day (date), 12, 0, 0);
  /* TRANSLATORS: a day as strftime() writes it, e.g. "12 March 2027"; "%-d" is the day
   * without a leading zero, "%B" the month's name, "%Y" the year */
  return g_date_time_format (when, _("%-d %B %Y"));
}

/**
 * striae_schedule_change_offered:
 *
 * Whether the window offers @change of @session: only a session still to come (planned or
 * moved) changes, moving it and marking it missed need STRIAE_RIGHT_SCHEDULE (the front
 * desk's), cancelling it STRIAE_RIGHT_CANCEL_SESSION (the practitioner's: it shortens the
 * course).
 */
gboolean
striae_schedule_change_offered (StriaeStore                  *store,
                                const StriaeScheduledSession *session,
                                StriaeScheduleChange          change)
{
  if (store == NULL || session == NULL || !striae_scheduled_session_is_open (session))
    return FALSE;
  return striae_app_offers (store, change == STRIAE_SCHEDULE_CHANGE_CANCEL
                                   ? STRIAE_RIGHT_CANCEL_SESSION : STRIAE_RIGHT_SCHEDULE);
}

static GtkEditable *
add_entry (GtkListBox *list,
           GType       type,
           const char *title,
           const char *text)
{
  GtkWidget *row = g_object_new (type, NULL);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
  gtk_list_box_append (list, row);
  return GTK_EDITABLE (row);
}

static GtkSwitch *
add_switch (GtkListBox *list,
            const char *title,
            const char *subtitle,
            gboolean    active)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *toggle = gtk_switch_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_switch_set_active (GTK_SWITCH (toggle), active);
  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  title, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
  gtk_list_box_append (list, row);
  return GTK_SWITCH (toggle);
}

static void
add_problem (GtkListBox *list,
             const char *problem)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), problem);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_focusable (row, FALSE);
  gtk_widget_add_css_class (row, "error");
  gtk_list_box_append (list, row);
}

static const char *
response_id (StriaeScheduleChange change)
{
  switch (change)
    {
    case STRIAE_SCHEDULE_CHANGE_MOVE:
      return "move";
    case STRIAE_SCHEDULE_CHANGE_MISS:
      return "miss";
    case STRIAE_SCHEDULE_CHANGE_CANCEL:
    default:
      return "cancel-session";
    }
}

static const char *
response_label (StriaeScheduleChange change)
{
  switch (change)
    {
    case STRIAE_SCHEDULE_CHANGE_MOVE:
      return _("_Move");
    case STRIAE_SCHEDULE_CHANGE_MISS:
      return _("Mark _Missed");
    case STRIAE_SCHEDULE_CHANGE_CANCEL:
    default:
      return _("Cancel _Session");
    }
}

static void
replace_text (char       **field,
              const char  *text)
{
  g_free (*field);
  *field = g_strdup (text);
}

/* What the records are asked; FALSE with @error set when what was typed cannot be read. */
static gboolean
apply (ScheduleForm  *form,
       GError       **error)
{
  const char *reason = *form->reason != '\0' ? form->reason : NULL;
  GDate date;
  int time = -1;

  switch (form->change)
    {
    case STRIAE_SCHEDULE_CHANGE_MOVE:
      if (!striae_parse_date (form->date, &date, error))
        return FALSE;
      if (*form->time != '\0' && !striae_parse_minutes (form->time, &time))
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("Type the time as hours and minutes, such as 14:30, or "
                                 "leave it empty."));
          return FALSE;
        }
      return striae_store_move_scheduled_session (form->store, form->session->id, &date,
                                                  time, form->follow, reason, error);
    case STRIAE_SCHEDULE_CHANGE_MISS:
      return striae_store_mark_session_missed (form->store, form->session->id, reason, error);
    case STRIAE_SCHEDULE_CHANGE_CANCEL:
    default:
      return striae_store_cancel_scheduled_session (form->store, form->session->id, reason,
                                                    error);
    }
}

static ScheduleForm *
schedule_form_copy (const ScheduleForm *form)
{
  ScheduleForm *copy = schedule_form_new (form->parent, form->store, form->session,
                                          form->change, form->done);

  g_free (copy->date);
  copy->date = g_strdup (form->date);
  g_free (copy->time);
  copy->time = g_strdup (form->time);
  copy->follow = form->follow;
  g_free (copy->reason);
  copy->reason = g_strdup (form->reason);
  return copy;
}

static AdwMessageDialog *present (ScheduleForm *form);

static void
response_cb (AdwMessageDialog *dialog,
             const char       *response,
             ScheduleForm     *form)
{
  g_autoptr(GError) error = NULL;
  ScheduleForm *again;

  if (g_strcmp0 (response, response_id (form->change)) != 0)
    return;

  if (form->date_row != NULL)
    replace_text (&form->date, gtk_editable_get_text (form->date_row));
  if (form->time_row != NULL)
    replace_text (&form->time, gtk_editable_get_text (form->time_row));
  if (form->follow_switch != NULL)
    form->follow = gtk_switch_get_active (form->follow_switch);
  if (form->reason_row != NULL)
    {
      g_autofree char *reason = g_strstrip (g_strdup (gtk_editable_get_text (form->reason_row)));

      replace_text (&form->reason, reason);
    }

  if (apply (form, &error))
    {
      if (form->done != NULL)
        form->done (form->parent);
      return;
    }

  /* This dialog closes after its answer; a new one keeps what was typed and says why. */
  again = schedule_form_copy (form);
  again->problem = g_strdup (error->message);
  present (again);
}

/* Cancelling needs its reason: the button waits for one. */
static void
reason_changed_cb (GtkEditable      *reason,
                   AdwMessageDialog *dialog)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (reason)));

  adw_message_dialog_set_response_enabled (dialog, "cancel-session", *text != '\0');
}

static AdwMessageDialog *
dialog_new (ScheduleForm *form)
{
  GtkRoot *root = gtk_widget_get_root (form->parent);
  g_autofree char *place = striae_scheduled_session_describe (form->session);
  g_autofree char *day = striae_schedule_format_day (&form->session->date);
  g_autofree char *body = NULL;
  const char *heading;

  switch (form->change)
    {
    case STRIAE_SCHEDULE_CHANGE_MOVE:
      heading = _("Move the Session?");
      /* TRANSLATORS: the body of the dialog that moves a session; the first %s is its
       * place ("Session 2 of 4"), the second its date */
      body = g_strdup_printf (_("%s, on %s. Type the new date and, if you wish, a time."),
                              place, day);
      break;
    case STRIAE_SCHEDULE_CHANGE_MISS:
      heading = _("Mark the Session Missed?");
      /* TRANSLATORS: the first %s is a session's place ("Session 2 of 4"), the second its
       * date */
      body = g_strdup_printf (_("%s, on %s: the patient did not come. Recalls list a course "
                                "stopped by a missed session."), place, day);
      break;
    case STRIAE_SCHEDULE_CHANGE_CANCEL:
    default:
      heading = _("Cancel the Session?");
      /* TRANSLATORS: the first %s is a session's place ("Session 2 of 4"), the second its
       * date */
      body = g_strdup_printf (_("%s, on %s, will not take place, and the course is one "
                                "session shorter. Say why: the reason is kept."), place, day);
      break;
    }

  return ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root)
                                                                          : NULL,
                                                     heading, body));
}

static void
add_fields (ScheduleForm     *form,
            AdwMessageDialog *dialog,
            GtkListBox       *list)
{
  if (form->change == STRIAE_SCHEDULE_CHANGE_MOVE)
    {
      form->date_row = add_entry (list, STRIAE_TYPE_DATE_ROW, _("New date"), form->date);
      form->time_row = add_entry (list, ADW_TYPE_ENTRY_ROW, _("Time (such as 14:30)"),
                                  form->time);
      form->follow_switch = add_switch (list, _("Later sessions follow"),
                                        _("They move by as many days, keeping the course’s "
                                          "intervals"), form->follow);
    }
  form->reason_row = add_entry (list, ADW_TYPE_ENTRY_ROW,
                                form->change == STRIAE_SCHEDULE_CHANGE_CANCEL
                                ? _("Reason") : _("Reason (optional)"), form->reason);
  if (form->change == STRIAE_SCHEDULE_CHANGE_CANCEL)
    {
      g_signal_connect_object (form->reason_row, "changed", G_CALLBACK (reason_changed_cb),
                               dialog, 0);
      reason_changed_cb (form->reason_row, dialog);
    }
  if (form->problem != NULL)
    add_problem (list, form->problem);
}

/* Presents the dialog of @form, which it then owns. */
static AdwMessageDialog *
present (ScheduleForm *form)
{
  AdwMessageDialog *dialog = dialog_new (form);
  GtkWidget *list = gtk_list_box_new ();
  const char *response = response_id (form->change);

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  adw_message_dialog_set_extra_child (dialog, list);
  adw_message_dialog_add_responses (dialog, "back",
                                    form->change == STRIAE_SCHEDULE_CHANGE_CANCEL
                                    ? _("_Keep the Session") : _("_Cancel"),
                                    response, response_label (form->change), NULL);
  adw_message_dialog_set_response_appearance (dialog, response,
                                              form->change == STRIAE_SCHEDULE_CHANGE_CANCEL
                                              ? ADW_RESPONSE_DESTRUCTIVE
                                              : ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, response);
  adw_message_dialog_set_close_response (dialog, "back");
  add_fields (form, dialog, GTK_LIST_BOX (list));
  striae_app_dialog_drops_focus (dialog);
  g_signal_connect_data (dialog, "response", G_CALLBACK (response_cb), form,
                         schedule_form_free_closure, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (GTK_WIDGET (form->date_row != NULL ? form->date_row
                                                            : form->reason_row));
  return dialog;
}

/**
 * striae_schedule_dialog_present:
 * @parent: the widget asking, in the window the dialog belongs to
 * @session: an open scheduled session
 * @done: (nullable): called with @parent once the records took the change
 *
 * Asks what the change needs (a move's date, time, whether later sessions follow and
 * reason; a miss's reason, optional; a cancellation's reason, required), then asks the
 * records. When they refuse, the dialog comes back with what was typed and their sentence.
 *
 * Returns: (transfer none): the dialog, for tests
 */
AdwMessageDialog *
striae_schedule_dialog_present (GtkWidget                    *parent,
                                StriaeStore                  *store,
                                const StriaeScheduledSession *session,
                                StriaeScheduleChange          change,
                                StriaeScheduleDone            done)
{
  ScheduleForm *form;

  g_return_val_if_fail (GTK_IS_WIDGET (parent), NULL);
  g_return_val_if_fail (STRIAE_IS_STORE (store), NULL);
  g_return_val_if_fail (session != NULL, NULL);

  form = schedule_form_new (parent, store, session, change, done);
  return present (form);
}
