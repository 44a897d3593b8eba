/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "striae-accessible.h"
#include "striae-app-private.h"
#include "striae-clinic-cache.h"
#include "striae-summary-page.h"

struct _StriaeSummaryPage
{
  StriaeWizardPage     parent_instance;

  GtkBox              *groups_box;
  AdwPreferencesGroup *sign_group;
  GtkLabel            *problem_label;
  AdwEntryRow         *practitioner_row;
  GtkMenuButton       *practitioners_button;
  GtkWidget           *amend_button;
  GtkWidget           *sheets_button;
  GtkWidget           *consent_button;
  GtkWidget           *sign_button;
  GtkWidget           *not_treated_button;

  GPtrArray           *groups;
  StriaeConsultation  *shown;      /* the consultation whose practitioner the field shows */
  GSettings           *settings;   /* the clinic's practitioners; NULL without the schema */
  GMenu               *practitioners;
};

G_DEFINE_FINAL_TYPE (StriaeSummaryPage, striae_summary_page, STRIAE_TYPE_WIZARD_PAGE)

static StriaeConsultationSession *
get_session (StriaeSummaryPage *self)
{
  return striae_wizard_page_get_session (STRIAE_WIZARD_PAGE (self));
}

static void show_summary (StriaeSummaryPage  *self,
                          StriaeConsultation *consultation,
                          StriaePatient      *patient,
                          StriaeScreening    *screening,
                          const char         *problem);

static AdwPreferencesGroup *
add_group (StriaeSummaryPage *self,
           const char        *title)
{
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  gtk_box_append (self->groups_box, group);
  g_ptr_array_add (self->groups, group);
  return ADW_PREFERENCES_GROUP (group);
}

static void
add_row (AdwPreferencesGroup *group,
         const char          *title,
         const char          *value)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value != NULL ? value : "");
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_add_css_class (row, "property");
  /* Read, not visited: Tab goes on to the practitioner's name and the sign-off. Each group
   * holds only such rows, so the list ends where it should. */
  gtk_widget_set_focusable (row, FALSE);
  adw_preferences_group_add (group, row);
}

/* A date as the record keeps it, YYYY-MM-DD; empty when there is none. */
static void
add_date_row (AdwPreferencesGroup *group,
              const char          *title,
              const GDate         *date)
{
  g_autofree char *value = striae_format_optional_iso_date (date);

  add_row (group, title, value);
}

static const char *
answer_label (StriaeAnswer answer)
{
  return answer == STRIAE_ANSWER_YES ? _("Yes")
         : answer == STRIAE_ANSWER_NO ? _("No")
         : answer == STRIAE_ANSWER_UNKNOWN ? C_("answer", "Unknown")
         : _("Not answered yet");
}

/* A row of "To Fix": what is wrong, and a button that takes the keyboard to the field. */
static void
add_fix_row (AdwPreferencesGroup *group,
             const char          *title,
             const char          *problem,
             const char          *page,
             const char          *field)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Go to the Field"));
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), problem);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_add_css_class (icon, "warning");
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  striae_accessible_name_buttons (button);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "wizard.show-field");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "(ss)", page, field);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  title, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), button);
  adw_preferences_group_add (group, row);
}

/* The group "To Fix Before Signing", made (first on the page) when there is something. */
static AdwPreferencesGroup *
ensure_fix_group (StriaeSummaryPage    *self,
                  AdwPreferencesGroup **group)
{
  if (*group == NULL)
    {
      *group = add_group (self, _("To Fix Before Signing"));
      gtk_box_reorder_child_after (self->groups_box, GTK_WIDGET (*group), NULL);
    }
  return *group;
}

/* A changed course value without its reason, with the core's sentence for it. */
static void
add_course_fixes (StriaeSummaryPage    *self,
                  StriaeConsultation   *consultation,
                  AdwPreferencesGroup **group)
{
  StriaePlan *plan = striae_consultation_get_plan (consultation);
  const struct {
    StriaePlanField  field;
    gboolean         overridden;
    const char      *reason;
    const char      *name;
    const char      *title;
  } course[] = {
    { STRIAE_PLAN_FIELD_SESSIONS,
      striae_plan_get_recommended_sessions (plan) > 0 &&
      striae_plan_get_sessions (plan) != striae_plan_get_recommended_sessions (plan),
      striae_plan_get_sessions_reason (plan), "sessions-reason", N_("Reason for the sessions") },
    { STRIAE_PLAN_FIELD_INTERVAL,
      striae_plan_get_recommended_interval_weeks (plan) > 0 &&
      striae_plan_get_interval_weeks (plan) != striae_plan_get_recommended_interval_weeks (plan),
      striae_plan_get_interval_reason (plan), "interval-reason", N_("Reason for the interval") },
    { STRIAE_PLAN_FIELD_MAINTENANCE,
      striae_plan_get_maintenance_months (plan) !=
      striae_plan_get_recommended_maintenance_months (plan),
      striae_plan_get_maintenance_reason (plan), "maintenance-reason",
      N_("Reason for the maintenance") },
    { STRIAE_PLAN_FIELD_NUMBING_CREAM,
      striae_plan_get_numbing_cream (plan) != striae_plan_get_recommended_numbing_cream (plan),
      striae_plan_get_numbing_cream_reason (plan), "numbing-reason",
      N_("Reason for the numbing cream") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (course); i++)
    {
      g_autoptr(GError) error = NULL;

      if (!course[i].overridden || (course[i].reason != NULL && course[i].reason[0] != '\0') ||
          striae_plan_check_field (plan, course[i].field,
                                   striae_consultation_get_areas (consultation), &error))
        continue;
      add_fix_row (ensure_fix_group (self, group), _(course[i].title), error->message, "plan",
                   course[i].name);
    }
}

/* [override] a changed value needs its reason: each one missing is listed first, with a way
 * back to its field, rather than found by Sign Off. */
static void
add_fixes (StriaeSummaryPage  *self,
           StriaeConsultation *consultation)
{
  GListModel *areas = striae_consultation_get_areas (consultation);
  AdwPreferencesGroup *group = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (areas); i++)
    {
      g_autoptr(StriaeArea) area = g_list_model_get_item (areas, i);
      g_autofree char *title = NULL;
      g_autofree char *problem = NULL;
      g_autofree char *field = NULL;
      g_autofree char *name = NULL;

      if (!striae_area_is_depth_overridden (area) ||
          striae_area_get_depth_reason (area)[0] != '\0')
        continue;

      name = striae_area_dup_title (area);
      /* TRANSLATORS: %s is an area, e.g. "Abdomen" */
      title = g_strdup_printf (_("Reason for the depth of %s"), name);
      /* TRANSLATORS: the chosen and the recommended needle depths in millimetres */
      problem = g_strdup_printf (_("%.2f mm differs from the recommended %.2f mm, and no "
                                   "reason is given."),
                                 striae_area_get_depth (area),
                                 striae_area_get_recommended_depth (area));
      field = g_strdup_printf ("depth-reason:%u", i);
      add_fix_row (ensure_fix_group (self, &group), title, problem, "plan", field);
    }

  add_course_fixes (self, consultation, &group);
}

/* The open records, or NULL when the wizard works without them (tests). */
static StriaeStore *
get_store (StriaeSummaryPage *self)
{
  StriaeConsultationSession *session = get_session (self);
  StriaeWizardRecords *records = session != NULL
                                 ? striae_consultation_session_get_records (session) : NULL;

  return records != NULL ? striae_wizard_records_get_store (records) : NULL;
}

/* The names entered in Preferences → Practitioners (and those who signed before) are
 * offered in a menu beside the field; a name not in it is still typed in the field. */
static void
update_practitioners (StriaeSummaryPage *self)
{
  g_auto(GStrv) names = NULL;
  gboolean editable = gtk_editable_get_editable (GTK_EDITABLE (self->practitioner_row));

  g_menu_remove_all (self->practitioners);
  names = striae_clinic_cache_dup_practitioners (get_store (self), self->settings);
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (names[i], NULL);

      g_menu_item_set_action_and_target_value (item, "summary.use-practitioner",
                                               g_variant_new_string (names[i]));
      g_menu_append_item (self->practitioners, item);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->practitioners_button),
                          editable && names != NULL && names[0] != NULL);
}

static void
use_practitioner_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  StriaeSummaryPage *self = STRIAE_SUMMARY_PAGE (widget);

  if (!gtk_editable_get_editable (GTK_EDITABLE (self->practitioner_row)))
    return;
  gtk_editable_set_text (GTK_EDITABLE (self->practitioner_row),
                         g_variant_get_string (parameter, NULL));
  gtk_editable_set_position (GTK_EDITABLE (self->practitioner_row), -1);
  gtk_widget_grab_focus (GTK_WIDGET (self->practitioner_row));
}

static void
practitioner_activated_cb (StriaeSummaryPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "wizard.sign-off", NULL);
}

/* Every change recomputes the session: the summary follows while it is the page shown (the
 * wizard refreshes it when it comes to it). */
static void
session_changed_cb (StriaeSummaryPage *self)
{
  StriaeConsultationSession *session = get_session (self);
  StriaeConsultation *consultation = striae_consultation_session_get_consultation (session);

  if (consultation != NULL && gtk_widget_get_child_visible (GTK_WIDGET (self)))
    show_summary (self, consultation, striae_consultation_session_get_patient (session),
                  striae_consultation_session_get_screening (session),
                  striae_consultation_session_get_problem (session));
}

static void
striae_summary_page_constructed (GObject *object)
{
  StriaeSummaryPage *self = (StriaeSummaryPage *)object;

  G_OBJECT_CLASS (striae_summary_page_parent_class)->constructed (object);

  g_signal_connect_object (get_session (self), "notify::screening",
                           G_CALLBACK (session_changed_cb), self, G_CONNECT_SWAPPED);
}

static void
striae_summary_page_dispose (GObject *object)
{
  StriaeSummaryPage *self = (StriaeSummaryPage *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), STRIAE_TYPE_SUMMARY_PAGE);
  g_clear_pointer (&self->groups, g_ptr_array_unref);
  g_clear_object (&self->shown);
  g_clear_object (&self->settings);
  g_clear_object (&self->practitioners);

  G_OBJECT_CLASS (striae_summary_page_parent_class)->dispose (object);
}

static void
striae_summary_page_class_init (StriaeSummaryPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = striae_summary_page_constructed;
  object_class->dispose = striae_summary_page_dispose;

  striae_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/striae/Striae/ui/"
                                               "striae-summary-page.ui");
  gtk_widget_class_bind_template_child (widget_class, StriaeSummaryPage, groups_box);
  gtk_widget_class_bind_template_child (widget_class, StriaeSummaryPage, sign_group);
  gtk_widget_class_bind_template_child (widget_class, StriaeSummaryPage, problem_label);
  gtk_widget_class_bind_template_child (widget_class, StriaeSummaryPage, practitioner_row);
  gtk_widget_class_bind_template_child (widget_class, StriaeSummaryPage, practitioners_button);
  gtk_widget_class_bind_template_child (widget_class, StriaeSummaryPage, amend_button);
  gtk_widget_class_bind_template_child (widget_class, StriaeSummaryPage, not_treated_button);
  gtk_widget_class_bind_template_child (widget_class, StriaeSummaryPage, sheets_button);
  gtk_widget_class_bind_template_child (widget_class, StriaeSummaryPage, consent_button);
  gtk_widget_class_bind_template_child (widget_class, StriaeSummaryPage, sign_button);
  gtk_widget_class_bind_template_callback (widget_class, practitioner_activated_cb);

  gtk_widget_class_install_action (widget_class, "summary.use-practitioner", "s",
                                   use_practitioner_action);
}

/* A name typed after a refused sign-off takes the field out of its error state. */
static void
practitioner_changed_cb (GtkEditable *editable)
{
  gtk_widget_remove_css_class (GTK_WIDGET (editable), "error");
}

static void
striae_summary_page_init (StriaeSummaryPage *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->groups = g_ptr_array_new ();
  g_signal_connect (self->practitioner_row, "changed", G_CALLBACK (practitioner_changed_cb),
                    NULL);

  self->practitioners = g_menu_new ();
  gtk_menu_button_set_menu_model (self->practitioners_button,
                                  G_MENU_MODEL (self->practitioners));
  striae_accessible_name_menu_button (self->practitioners_button,
                                      _("Choose a practitioner of the clinic"));
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema != NULL)
    {
      self->settings = g_settings_new (APP_ID);
      g_signal_connect_object (self->settings, "changed::practitioner-names",
                               G_CALLBACK (update_practitioners), self, G_CONNECT_SWAPPED);
    }
  update_practitioners (self);
}

/* What is applied with the needling is signed with the plan: one line each. */
static void
add_adjuncts_row (AdwPreferencesGroup *group,
                  StriaeAdjunct        adjuncts)
{
  static const StriaeAdjunct each[] = {
    STRIAE_ADJUNCT_SERUM, STRIAE_ADJUNCT_PRP, STRIAE_ADJUNCT_TRETINOIN,
  };
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) labels = NULL;
  g_autofree char *text = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (each); i++)
    if (adjuncts & each[i])
      g_strv_builder_add (builder, striae_adjunct_get_label (each[i]));
  labels = g_strv_builder_end (builder);
  text = labels[0] != NULL ? g_strjoinv ("\n", labels)
                           : g_strdup (striae_adjunct_get_label (STRIAE_ADJUNCT_NONE));
  add_row (group, _("With the treatment"), text);
}

static void
add_plan_rows (AdwPreferencesGroup *group,
               StriaeConsultation  *consultation)
{
  StriaePlan *plan = striae_consultation_get_plan (consultation);
  g_autofree char *value = NULL;
  const char * const *added;
  g_autofree char *first = NULL;

  {
    guint sessions = striae_plan_get_sessions (plan);
    guint weeks = striae_plan_get_interval_weeks (plan);
    guint months = striae_plan_get_maintenance_months (plan);
    g_autofree char *sessions_text = NULL, *weeks_text = NULL, *months_text = NULL;

    /* TRANSLATORS: first part of the course summary, e.g. "6 sessions, every 4 weeks,
     * maintenance after 6 months" */
    sessions_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u session",
                                                  "%u sessions", sessions),
                                     sessions);
    /* TRANSLATORS: second part of the course summary */
    weeks_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "every %u week",
                                               "every %u weeks", weeks),
                                  weeks);
    /* TRANSLATORS: third part of the course summary */
    months_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "maintenance after %u month",
                                                "maintenance after %u months", months),
                                   months);
    /* TRANSLATORS: the course summary: sessions, interval and maintenance, each
     * translated above */
    value = g_strdup_printf (C_("course summary", "%s, %s, %s"),
                             sessions_text, weeks_text, months_text);
  }
  add_row (group, _("Course"), value);
  if (striae_plan_get_sessions_reason (plan) != NULL &&
      striae_plan_get_sessions_reason (plan)[0] != '\0')
    add_row (group, _("Reason for the sessions"), striae_plan_get_sessions_reason (plan));
  if (striae_plan_get_interval_reason (plan) != NULL &&
      striae_plan_get_interval_reason (plan)[0] != '\0')
    add_row (group, _("Reason for the interval"), striae_plan_get_interval_reason (plan));
  add_row (group, _("Numbing cream"), striae_plan_get_numbing_cream (plan) ? _("Yes") : _("No"));
  add_adjuncts_row (group, striae_plan_get_adjuncts (plan));
  first = striae_format_optional_iso_date (striae_plan_get_first_session (plan));
  add_row (group, _("First session"),
           first[0] != '\0' ? first : C_("first session", "Not chosen"));
  added = striae_consultation_get_added_items (consultation);
  for (guint i = 0; added != NULL && added[i] != NULL; i++)
    add_row (group, _("Extra instruction"), added[i]);
}

/* The number of the consultation's latest revision in the store; 0 when unknown. */
static guint
latest_revision (StriaeSummaryPage  *self,
                 StriaeConsultation *consultation)
{
  StriaeWizardRecords *records = striae_consultation_session_get_records (get_session (self));
  g_autoptr(StriaeConsultation) latest = NULL;

  if (records == NULL || striae_consultation_get_id (consultation) <= 0)
    return 0;
  latest = striae_store_get_consultation (striae_wizard_records_get_store (records),
                                          striae_consultation_get_id (consultation), NULL);
  return latest != NULL ? striae_consultation_get_revision (latest) : 0;
}

/* When the revision shown was signed, in local time ("2026-12-06 14:05"); %NULL when the
 * store does not say. */
static char *
dup_signed_time (StriaeSummaryPage  *self,
                 StriaeConsultation *consultation)
{
  g_autoptr(GDateTime) signed_at = striae_consultation_session_dup_signed_at (get_session (self));
  g_autoptr(GDateTime) local = NULL;

  g_assert (consultation == striae_consultation_session_get_consultation (get_session (self)));
  if (signed_at == NULL)
    return NULL;
  local = g_date_time_to_local (signed_at);
  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

/* Who signed, when, as what; and what can be done with the locked record: amend the latest
 * revision, or go to it from an older one. */
static char *
dup_signed_text (StriaeSummaryPage  *self,
                 StriaeConsultation *consultation,
                 guint               latest)
{
  const char *by = striae_consultation_get_practitioner (consultation);
  g_autofree char *see_again = NULL;
  const char *reason = striae_consultation_get_not_treated_reason (consultation);
  guint revision = striae_consultation_get_revision (consultation);
  g_autofree char *when = dup_signed_time (self, consultation);
  g_autofree char *who = NULL;
  g_autofree char *what = NULL;
  g_autofree char *next = NULL;

  if (when != NULL)
    /* TRANSLATORS: who signed and when; the first %s is the practitioner's name, the second
     * the date and time, e.g. "Dr Penrose on 2026-12-06 14:05" */
    who = g_strdup_printf (_("%s on %s"), by, when);
  else
    who = g_strdup (by);

  see_again = striae_format_optional_iso_date (striae_consultation_get_see_again (consultation));
  if (striae_consultation_is_not_treated (consultation) && see_again[0] != '\0')
    /* TRANSLATORS: the first %s is who signed and when, the second the reason, the third a
     * date */
    what = g_strdup_printf (_("Signed as not treated by %s: %s. See the patient again on %s."),
                            who, reason, see_again);
  else if (striae_consultation_is_not_treated (consultation))
    /* TRANSLATORS: the first %s is who signed and when, the second the reason */
    what = g_strdup_printf (_("Signed as not treated by %s: %s."), who, reason);
  else
    /* TRANSLATORS: %s is who signed and when */
    what = g_strdup_printf (_("Signed by %s."), who);

  if (latest > revision)
    /* TRANSLATORS: said of an older revision; %u are revision numbers */
    next = g_strdup_printf (_("This is revision %u, kept as it was signed; the record now is "
                              "revision %u, opened from the patient’s list."),
                            revision, latest);
  else
    next = g_strdup (_("The record is locked; amend it to record a correction."));

  return g_strconcat (what, " ", next, NULL);
}

/* The display name of the account signed in, which signs on records with accounts and on a
 * clinic server (the login's); %NULL on records without (the typed name signs). */
static char *
dup_account_signer (StriaeSummaryPage *self)
{
  StriaeStore *store = get_store (self);

  if (store == NULL || !striae_store_signs_with_password (store))
    return NULL;
  return g_strdup (striae_store_get_account_display_name (store));
}

/* On records with accounts, a draft that the account signed in may sign names it as its
 * practitioner from the start: the summary neither asks for a name the account gives nor
 * shows a name that will not sign. */
static void
claim_for_signer (StriaeSummaryPage  *self,
                  StriaeConsultation *consultation)
{
  StriaeStore *store = get_store (self);
  g_autofree char *signer = NULL;

  if (striae_consultation_get_status (consultation) == STRIAE_CONSULTATION_STATUS_SIGNED ||
      store == NULL || !striae_app_offers (store, STRIAE_RIGHT_SIGN))
    return;
  signer = dup_account_signer (self);
  if (signer != NULL &&
      g_strcmp0 (striae_consultation_get_practitioner (consultation), signer) != 0)
    striae_consultation_set_practitioner (consultation, signer);
}

/* @problem: what still stops the sign-off, or %NULL. */
static void
show_summary (StriaeSummaryPage  *self,
              StriaeConsultation *consultation,
              StriaePatient      *patient,
              StriaeScreening    *screening,
              const char         *problem)
{
  StriaeHistory *history = striae_consultation_get_history (consultation);
  StriaeSkin *skin = striae_consultation_get_skin (consultation);
  StriaePlan *plan = striae_consultation_get_plan (consultation);
  GListModel *areas = striae_consultation_get_areas (consultation);
  gboolean signed_off = striae_consultation_get_status (consultation) ==
                        STRIAE_CONSULTATION_STATUS_SIGNED;
  AdwPreferencesGroup *group;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *name = patient != NULL ? striae_patient_dup_full_name (patient) : NULL;
  g_autofree char *value = NULL;
  gboolean blocked = screening != NULL && striae_screening_has_absolute (screening);
  g_autofree char *signer = NULL;
  guint latest;

  for (guint i = 0; i < self->groups->len; i++)
    gtk_box_remove (self->groups_box, g_ptr_array_index (self->groups, i));
  g_ptr_array_set_size (self->groups, 0);

  if (!signed_off && !blocked)
    add_fixes (self, consultation);

  group = add_group (self, _("Patient"));
  add_row (group, _("Name"), name);
  add_date_row (group, _("Date of birth"),
                patient != NULL ? striae_patient_get_birth_date (patient) : NULL);
  add_date_row (group, _("Consultation date"), striae_consultation_get_date (consultation));

  group = add_group (self, _("Medical History"));
  for (StriaeQuestion q = 0; q < STRIAE_N_QUESTIONS; q++)
    {
      StriaeAnswer answer = striae_history_get_answer (history, q);
      const char *detail = striae_history_get_detail (history, q);

      if (answer == STRIAE_ANSWER_NO)
        continue;
      if (striae_question_get_info (q)->rf_only && striae_plan_get_device (plan) != STRIAE_DEVICE_RF)
        continue;
      g_free (value);
      value = detail != NULL && detail[0] != '\0'
              ? g_strdup_printf ("%s — %s", answer_label (answer), detail)
              : g_strdup (answer_label (answer));
      add_row (group, striae_question_get_label (q), value);
    }
  if (striae_history_get_medication (history) != NULL &&
      striae_history_get_medication (history)[0] != '\0')
    add_row (group, _("Medicines taken now"), striae_history_get_medication (history));
  add_row (group, _("All other questions"), _("No"));

  group = add_group (self, _("Screening"));
  {
    /* A signed consultation says which rules it was screened with; a draft will record the
     * ones it is screened with now. */
    const char *hash = signed_off ? striae_consultation_get_rules_hash (consultation)
                       : screening != NULL ? striae_screening_get_rules_hash (screening)
                       : NULL;

    if (striae_rules_hash_is_clinic_changed (hash))
      add_row (group, _("Screened with the clinic’s own rules, not Striae’s defaults"), NULL);
  }
  if (screening != NULL)
    {
      GListModel *findings = striae_screening_get_findings (screening);
      guint n = g_list_model_get_n_items (findings);

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(StriaeFinding) finding = g_list_model_get_item (findings, i);
          const char *state = striae_finding_get_level (finding) == STRIAE_LEVEL_ABSOLUTE
                              ? _("Blocks the plan")
                              : striae_finding_get_acknowledged (finding)
                              ? _("Acknowledged") : _("Not acknowledged");

          add_row (group, striae_finding_get_title (finding), state);
        }
      if (n == 0)
        add_row (group, _("No contraindications found"), NULL);
    }

  group = add_group (self, _("Skin"));
  g_free (value);
  value = striae_skin_get_fitzpatrick (skin) > 0
          ? g_strdup_printf ("%s — %s", striae_fitzpatrick_get_numeral (
                               striae_skin_get_fitzpatrick (skin)),
                             striae_fitzpatrick_get_description (
                               striae_skin_get_fitzpatrick (skin)))
          : g_strdup (C_("Fitzpatrick type", "Not recorded"));
  add_row (group, _("Fitzpatrick type"), value);
  for (StriaeSkinFact f = 0; f < STRIAE_N_SKIN_FACTS; f++)
    add_row (group, striae_skin_fact_get_label (f), answer_label (striae_skin_get_fact (skin, f)));

  group = add_group (self, _("Stretch Marks"));
  for (guint i = 0; i < g_list_model_get_n_items (areas); i++)
    {
      g_autoptr(StriaeArea) area = g_list_model_get_item (areas, i);
      g_autofree char *title = striae_area_dup_title (area);

      int age = MAX (0, striae_area_get_age_months (area));

      g_string_truncate (text, 0);
      /* TRANSLATORS: summary of one area: type, severity, cause, age in months;
       * the depth follows in a separate message */
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                                 "%s, %s, cause: %s, %d month",
                                                 "%s, %s, cause: %s, %d months", age),
                              striae_mark_type_get_label (striae_area_get_mark_type (area)),
                              striae_severity_get_label (striae_area_get_severity (area)),
                              striae_cause_get_label (striae_area_get_cause (area)),
                              age);
      if (striae_area_get_extent (area) > 0)
        /* TRANSLATORS: follows the summary of one area: the approximate skin surface the
         * marks cover, in square centimetres */
        g_string_append_printf (text, _("; about %d cm²"), striae_area_get_extent (area));
      /* TRANSLATORS: follows the summary of one area: the planned needle depth */
      if (!blocked)
        g_string_append_printf (text, _("; depth %.2f mm"), striae_area_get_depth (area));
      if (!blocked && striae_area_is_depth_overridden (area) &&
          striae_area_get_depth_reason (area)[0] != '\0')
        g_string_append_printf (text, _(" (recommended %.2f mm; reason: %s)"),
                                striae_area_get_recommended_depth (area),
                                striae_area_get_depth_reason (area));
      else if (!blocked && striae_area_is_depth_overridden (area))
        g_string_append_printf (text, _(" (recommended %.2f mm; no reason given yet)"),
                                striae_area_get_recommended_depth (area));
      if (striae_area_get_notes (area) != NULL && striae_area_get_notes (area)[0] != '\0')
        g_string_append_printf (text, "\n%s", striae_area_get_notes (area));
      add_row (group, title, text->str);
    }

  group = add_group (self, _("Plan"));
  add_row (group, _("Device"), striae_device_get_label (striae_plan_get_device (plan)));
  /* A plan under an absolute contraindication is not a plan: say so rather than list a
   * course and depths that the Plan page withholds. */
  if (blocked)
    add_row (group, _("No Plan While a Contraindication Stands"), NULL);
  else
    add_plan_rows (group, consultation);

  gtk_label_set_label (self->problem_label, problem != NULL ? problem : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), problem != NULL && !signed_off);
  gtk_widget_set_visible (self->sign_button, !signed_off);
  gtk_widget_set_visible (self->not_treated_button, !signed_off);
  /* Only the latest signed revision is the one to correct; an older one, opened from the
   * revisions, is shown as it was signed. */
  latest = signed_off ? latest_revision (self, consultation) : 0;
  gtk_widget_set_visible (self->amend_button,
                          signed_off && latest <= striae_consultation_get_revision (consultation));
  /* The sheets are composed from the stored record, which exists after the first save; a
   * patient who was not treated has none. */
  gtk_widget_set_visible (self->sheets_button,
                          striae_consultation_get_id (consultation) > 0 &&
                          !striae_consultation_is_not_treated (consultation));
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->sheets_button),
                                          g_variant_new_int64 (
                                            striae_consultation_get_id (consultation)));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->sheets_button), "win.show-sheets");
  /* The consent is signed on the screen once the plan is signed (issue 18). */
  gtk_widget_set_visible (self->consent_button,
                          signed_off && striae_consultation_get_id (consultation) > 0 &&
                          !striae_consultation_is_not_treated (consultation));
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->consent_button),
                                          g_variant_new_int64 (
                                            striae_consultation_get_id (consultation)));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->consent_button), "win.sign-consent");
  /* Another consultation shows its own practitioner (none yet for a new one), never the
   * name left in the field by the one shown before, perhaps another patient's signer. */
  if (self->shown != consultation)
    {
      const char *practitioner = striae_consultation_get_practitioner (consultation);

      g_set_object (&self->shown, consultation);
      gtk_editable_set_text (GTK_EDITABLE (self->practitioner_row),
                             practitioner != NULL ? practitioner : "");
      gtk_widget_remove_css_class (GTK_WIDGET (self->practitioner_row), "error");
    }
  /* On records with accounts, the account signed in signs, in its display name: shown,
   * read (and read out), not typed. */
  signer = signed_off ? NULL : dup_account_signer (self);
  if (signer != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->practitioner_row), signer);
  gtk_editable_set_editable (GTK_EDITABLE (self->practitioner_row),
                             !signed_off && signer == NULL);
  /* A signed name is read, not edited: no pencil to click, as on the other signed pages. */
  gtk_widget_set_can_target (GTK_WIDGET (self->practitioner_row), !signed_off && signer == NULL);
  gtk_widget_set_can_focus (GTK_WIDGET (self->practitioner_row), !signed_off);
  update_practitioners (self);
  if (signed_off)
    {
      g_autofree char *signed_text = dup_signed_text (self, consultation, latest);

      gtk_editable_set_text (GTK_EDITABLE (self->practitioner_row),
                             striae_consultation_get_practitioner (consultation));
      adw_preferences_group_set_description (self->sign_group, signed_text);
    }
  else if (striae_consultation_get_amendment_reason (consultation)[0] != '\0')
    {
      g_autofree char *amendment = NULL;

      /* TRANSLATORS: %u is the number of the signed revision being corrected, %s the reason
       * given for the amendment */
      amendment = g_strdup_printf (_("This amendment corrects revision %u because: %s. "
                                     "Signing locks it as a new revision."),
                                   striae_consultation_get_revision (consultation) - 1,
                                   striae_consultation_get_amendment_reason (consultation));
      adw_preferences_group_set_description (self->sign_group, amendment);
    }
  else
    {
      adw_preferences_group_set_description (self->sign_group,
                                             _("Signing locks the record. A later correction "
                                               "is a new revision."));
    }
}

/**
 * striae_summary_page_refresh:
 * @problem: (nullable): what stops the sign-off, to say instead of what the session finds
 *   (a refused signature, a missing name); %NULL for the session's own
 *
 * Shows the session's consultation as it now stands.
 */
void
striae_summary_page_refresh (StriaeSummaryPage *self,
                             const char        *problem)
{
  StriaeConsultation *consultation;

  g_return_if_fail (STRIAE_IS_SUMMARY_PAGE (self));

  consultation = striae_consultation_session_get_consultation (get_session (self));
  if (consultation == NULL)
    return;
  claim_for_signer (self, consultation);
  if (problem == NULL)
    problem = striae_consultation_session_get_problem (get_session (self));
  show_summary (self, consultation, striae_consultation_session_get_patient (get_session (self)),
                striae_consultation_session_get_screening (get_session (self)), problem);
}

GtkEditable *
striae_summary_page_get_practitioner (StriaeSummaryPage *self)
{
  g_return_val_if_fail (STRIAE_IS_SUMMARY_PAGE (self), NULL);
  return GTK_EDITABLE (self->practitioner_row);
}

/* After the sign-off: the focus goes to what comes next, the sheets, or the amendment of a
 * record that has none; both sit where the sign-off buttons were. */
void
striae_summary_page_focus_next_step (StriaeSummaryPage *self)
{
  g_return_if_fail (STRIAE_IS_SUMMARY_PAGE (self));

  if (!gtk_widget_grab_focus (self->sheets_button))
    gtk_widget_grab_focus (self->amend_button);
}
