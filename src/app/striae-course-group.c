/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "striae-app-private.h"
#include "striae-course-group.h"
#include "striae-date.h"
#include "striae-schedule-dialog.h"
#include "striae-treatment-session.h"

struct _StriaeCourseGroup
{
  AdwPreferencesGroup  parent_instance;

  StriaeStore         *store;
  StriaeConsultation  *consultation;
  GPtrArray           *schedule;
  GPtrArray           *rows;
};

G_DEFINE_FINAL_TYPE (StriaeCourseGroup, striae_course_group, ADW_TYPE_PREFERENCES_GROUP)

/* A record says what was done; without one, the schedule says what became of the session
 * (planned, moved, missed, cancelled), or, without a schedule, the plan's date. */
static const char *
status_label (StriaeTreatmentSession       *session,
              const StriaeScheduledSession *scheduled,
              const GDate                  *planned,
              const GDate                  *today)
{
  if (session != NULL)
    {
      StriaeSessionCheck *check = striae_treatment_session_get_check (session);

      if (striae_session_check_get_result (check) == STRIAE_CHECK_RESULT_STOPPED)
        return _("Stopped by the check");
      if (striae_treatment_session_get_status (session) ==
          STRIAE_TREATMENT_SESSION_STATUS_SIGNED)
        return _("Done");
      if (striae_treatment_session_get_revision (session) > 1)
        return _("Done · amendment in progress");
      return _("In progress");
    }

  if (scheduled != NULL)
    return striae_schedule_status_get_label (scheduled->status);

  /* Before the schedule, a past date without a record is only that: nothing recorded. */
  if (planned != NULL && g_date_valid (planned) && g_date_compare (planned, today) < 0)
    return C_("session status", "Not recorded");
  return _("Planned");
}

/* Move…, Mark Missed…, Cancel Session… of a session still to come, for whoever may change
 * the schedule (the front desk and the practitioners). */
static GtkWidget *
change_button_new (const StriaeScheduledSession *scheduled,
                   const char                   *place)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  GtkWidget *button = gtk_menu_button_new ();
  g_autofree char *name = NULL;
  struct { const char *label; const char *action; } items[] = {
    { N_("_Move…"), "course.move" },
    { N_("Mark M_issed…"), "course.miss" },
    { N_("_Cancel Session…"), "course.cancel" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (_(items[i].label), NULL);

      g_menu_item_set_action_and_target_value (item, items[i].action,
                                               g_variant_new_int64 (scheduled->id));
      g_menu_append_item (menu, item);
    }
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (button), G_MENU_MODEL (menu));
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "view-more-symbolic");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, _("Move, Mark Missed or Cancel"));
  /* TRANSLATORS: the accessible name of a session's menu; %s is its place, "Session 2 of 4" */
  name = g_strdup_printf (_("Change %s"), place);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);
  return button;
}

static GtkWidget *
session_row_new (StriaeCourseGroup            *self,
                 StriaeTreatmentSession       *session,
                 const StriaeScheduledSession *scheduled,
                 guint                         number,
                 guint                         length,
                 gboolean                      maintenance,
                 const GDate                  *planned,
                 const GDate                  *today)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *place = NULL;
  g_autofree char *date = NULL;
  g_autofree char *title = NULL;

  if (maintenance)
    /* TRANSLATORS: %u is the number of a maintenance session after the course */
    place = g_strdup_printf (_("Maintenance session %u"), number);
  else
    /* TRANSLATORS: the first %u is the session's number, the second the course's length */
    place = g_strdup_printf (_("Session %u of %u"), number, length);
  date = striae_schedule_format_day (session != NULL ? striae_treatment_session_get_date (session)
                                           : planned);
  /* TRANSLATORS: a session of the course: its place, its date and its status */
  title = g_strdup_printf (_("%s — %s — %s"), place, date,
                           status_label (session, scheduled, planned, today));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);

  if (striae_schedule_change_offered (self->store, scheduled, STRIAE_SCHEDULE_CHANGE_MOVE))
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), change_button_new (scheduled, place));
  if (session != NULL)
    {
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "patient.open-session");
      gtk_actionable_set_action_target_value (
        GTK_ACTIONABLE (row),
        g_variant_new ("(xx)", striae_consultation_get_id (self->consultation),
                       striae_treatment_session_get_id (session)));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
    }
  else
    gtk_widget_set_focusable (row, FALSE);

  return row;
}

static void
add_row (StriaeCourseGroup *self,
         GtkWidget         *row)
{
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);
  g_ptr_array_add (self->rows, row);
}

/* The latest record of session @number of the course (or of maintenance), if any. */
static StriaeTreatmentSession *
find_record (GPtrArray *records,
             guint      number,
             gboolean   maintenance)
{
  for (guint i = 0; i < records->len; i++)
    {
      StriaeTreatmentSession *session = g_ptr_array_index (records, i);

      if (striae_treatment_session_get_number (session) == number &&
          !striae_treatment_session_get_maintenance (session) == !maintenance)
        return session;
    }

  return NULL;
}

static StriaeTreatmentSession *
find_record_by_id (GPtrArray *records,
                   gint64     id)
{
  for (guint i = 0; i < records->len; i++)
    if (striae_treatment_session_get_id (g_ptr_array_index (records, i)) == id)
      return g_ptr_array_index (records, i);

  return NULL;
}

/* One row per scheduled session, with its record: the one it was done by, or the one in
 * progress for its place in the course. */
static void
build_scheduled_rows (StriaeCourseGroup *self,
                      GPtrArray         *records,
                      GPtrArray         *schedule)
{
  GDate today;

  striae_get_today (&today);
  for (guint i = 0; i < schedule->len; i++)
    {
      const StriaeScheduledSession *scheduled = g_ptr_array_index (schedule, i);
      StriaeTreatmentSession *session = NULL;

      if (scheduled->treatment_session_id != 0)
        session = find_record_by_id (records, scheduled->treatment_session_id);
      if (session == NULL && striae_scheduled_session_is_open (scheduled))
        session = find_record (records, scheduled->number, scheduled->maintenance);
      add_row (self, session_row_new (self, session, scheduled, scheduled->number,
                                      scheduled->course_length, scheduled->maintenance,
                                      &scheduled->date, &today));
    }
}

/* Without a schedule (records from before it), the plan's dates. */
static void
build_rows (StriaeCourseGroup *self,
            GPtrArray         *records)
{
  StriaePlan *plan = striae_consultation_get_plan (self->consultation);
  g_autoptr(GArray) schedule = striae_plan_compute_schedule (plan, NULL);
  guint length = striae_plan_get_sessions (plan);
  guint maintenance = 0;
  GDate today;

  striae_get_today (&today);
  for (guint n = 1; n <= length; n++)
    {
      const GDate *planned = schedule != NULL && n <= schedule->len
                             ? &g_array_index (schedule, GDate, n - 1) : NULL;

      add_row (self, session_row_new (self, find_record (records, n, FALSE), NULL, n, length,
                                      FALSE, planned, &today));
    }

  for (guint i = 0; i < records->len; i++)
    if (striae_treatment_session_get_maintenance (g_ptr_array_index (records, i)))
      maintenance = MAX (maintenance,
                         striae_treatment_session_get_number (g_ptr_array_index (records, i)));
  for (guint n = 1; n <= maintenance; n++)
    {
      StriaeTreatmentSession *session = find_record (records, n, TRUE);

      if (session != NULL)
        add_row (self, session_row_new (self, session, NULL, n, length, TRUE, NULL, &today));
    }
}

static GtkWidget *
record_button_new (StriaeCourseGroup *self)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Record Session"));
  g_autofree char *date =
    striae_format_optional_iso_date (striae_consultation_get_date (self->consultation));
  /* TRANSLATORS: %s is the date of the consultation whose plan the session follows */
  g_autofree char *name = g_strdup_printf (_("Record the next session of the plan of %s"),
                                           date);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "patient.record-session");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button),
                                          g_variant_new_int64 (
                                            striae_consultation_get_id (self->consultation)));
  gtk_widget_set_tooltip_text (button, name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Record Session"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, name, -1);
  return button;
}

/* The records took the change: the patient page reads the course again. */
static void
schedule_changed (GtkWidget *widget)
{
  gtk_widget_activate_action (widget, "patient.reload", NULL);
}

static void
change_session (StriaeCourseGroup    *self,
                GVariant             *parameter,
                StriaeScheduleChange  change)
{
  gint64 id = g_variant_get_int64 (parameter);

  for (guint i = 0; self->schedule != NULL && i < self->schedule->len; i++)
    {
      const StriaeScheduledSession *scheduled = g_ptr_array_index (self->schedule, i);

      if (scheduled->id == id)
        {
          striae_schedule_dialog_present (GTK_WIDGET (self), self->store, scheduled, change,
                                          schedule_changed);
          return;
        }
    }
}

static void
move_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  change_session (STRIAE_COURSE_GROUP (widget), parameter, STRIAE_SCHEDULE_CHANGE_MOVE);
}

static void
miss_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  change_session (STRIAE_COURSE_GROUP (widget), parameter, STRIAE_SCHEDULE_CHANGE_MISS);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  change_session (STRIAE_COURSE_GROUP (widget), parameter, STRIAE_SCHEDULE_CHANGE_CANCEL);
}

static void
striae_course_group_dispose (GObject *object)
{
  StriaeCourseGroup *self = (StriaeCourseGroup *)object;

  g_clear_object (&self->store);
  g_clear_pointer (&self->schedule, g_ptr_array_unref);
  g_clear_object (&self->consultation);
  g_clear_pointer (&self->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (striae_course_group_parent_class)->dispose (object);
}

static void
striae_course_group_class_init (StriaeCourseGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = striae_course_group_dispose;

  gtk_widget_class_install_action (widget_class, "course.move", "x", move_action);
  gtk_widget_class_install_action (widget_class, "course.miss", "x", miss_action);
  gtk_widget_class_install_action (widget_class, "course.cancel", "x", cancel_action);
}

static void
striae_course_group_init (StriaeCourseGroup *self)
{
  self->rows = g_ptr_array_new ();
}

/**
 * striae_course_group_new:
 * @consultation: a signed consultation whose plan treats
 *
 * Returns: (transfer floating): the group, or %NULL with @error set when the records of
 *   its sessions cannot be read
 */
GtkWidget *
striae_course_group_new (StriaeStore        *store,
                         StriaeConsultation *consultation,
                         GError            **error)
{
  StriaeCourseGroup *self;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GPtrArray) schedule = NULL;
  g_autoptr(GError) schedule_error = NULL;
  g_autofree char *date = NULL;
  g_autofree char *title = NULL;

  g_return_val_if_fail (STRIAE_IS_STORE (store), NULL);
  g_return_val_if_fail (STRIAE_IS_CONSULTATION (consultation), NULL);

  records = striae_store_list_treatment_sessions (store,
                                                  striae_consultation_get_id (consultation),
                                                  error);
  if (records == NULL)
    return NULL;
  /* The schedule knows moves, misses and cancellations; records that keep none (a backend
   * without it yet) show the plan's dates. */
  schedule = striae_store_list_schedule (store, striae_consultation_get_id (consultation),
                                         &schedule_error);
  if (schedule == NULL &&
      !g_error_matches (schedule_error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_SUPPORTED))
    {
      g_propagate_error (error, g_steal_pointer (&schedule_error));
      return NULL;
    }

  self = g_object_new (STRIAE_TYPE_COURSE_GROUP, NULL);
  self->store = g_object_ref (store);
  self->consultation = g_object_ref (consultation);
  self->schedule = schedule != NULL ? g_ptr_array_ref (schedule) : NULL;
  /* Cancelling shortens the course the practitioner planned: theirs alone. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "course.cancel",
                                 striae_app_offers (store, STRIAE_RIGHT_CANCEL_SESSION));
  date = striae_schedule_format_day (striae_consultation_get_date (consultation));
  /* TRANSLATORS: %s is the date of the consultation that planned the course */
  title = g_strdup_printf (_("Course Planned on %s"), date);
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), title);

  /* [consent] recording what was done is the practitioner's; others read the course. */
  if (striae_store_may (store, STRIAE_RIGHT_CONSULTATIONS, NULL))
    adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (self),
                                             record_button_new (self));
  if (schedule != NULL && schedule->len > 0)
    build_scheduled_rows (self, records, schedule);
  else
    build_rows (self, records);
  return GTK_WIDGET (self);
}

StriaeConsultation *
striae_course_group_get_consultation (StriaeCourseGroup *self)
{
  g_return_val_if_fail (STRIAE_IS_COURSE_GROUP (self), NULL);
  return self->consultation;
}

guint
striae_course_group_get_n_rows (StriaeCourseGroup *self)
{
  g_return_val_if_fail (STRIAE_IS_COURSE_GROUP (self), 0);
  return self->rows->len;
}

GtkWidget *
striae_course_group_get_row (StriaeCourseGroup *self,
                             guint              position)
{
  g_return_val_if_fail (STRIAE_IS_COURSE_GROUP (self), NULL);
  g_return_val_if_fail (position < self->rows->len, NULL);
  return g_ptr_array_index (self->rows, position);
}
