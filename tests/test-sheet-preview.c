/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <string.h>

#include "striae-preferences.h"
#include "striae-screening.h"
#include "striae-sheet-error.h"
#include "striae-resources.h"
#include "striae-sheet-preview.h"
#include "striae-test-date.h"
#include "striae-test-window.h"

/* Set STRIAE_SCREENSHOT_DIR to keep a PNG of each window, to look at them. */

static void
acknowledge_all (StriaeConsultation *consultation,
                 StriaePatient      *patient)
{
  g_autoptr(StriaeRules) rules = striae_rules_new ();
  g_autoptr(StriaeScreening) screening = NULL;
  GListModel *findings;
  GDate today;

  striae_get_today (&today);
  g_assert_nonnull (striae_patient_get_birth_date (patient));
  screening = striae_screen (consultation, rules, striae_patient_get_birth_date (patient), &today);
  findings = striae_screening_get_findings (screening);
  for (guint i = 0; i < g_list_model_get_n_items (findings); i++)
    {
      g_autoptr(StriaeFinding) finding = g_list_model_get_item (findings, i);

      striae_consultation_set_acknowledged (consultation, striae_finding_get_id (finding), TRUE);
    }
}

static void
make_consultation (StriaePatient      **patient,
                   StriaeConsultation **consultation)
{
  StriaePatient *p = striae_patient_new ();
  StriaeConsultation *c = striae_consultation_new ();
  StriaePlan *plan = striae_consultation_get_plan (c);
  g_autoptr(StriaeArea) area = striae_area_new (STRIAE_BODY_SITE_ABDOMEN);

  striae_patient_set_given_name (p, "Zoë");
  striae_patient_set_family_name (p, "Dubois-Émond");
  striae_patient_set_birth_date (p, striae_test_date ("1990-05-12"));

  for (guint q = 0; q < STRIAE_N_QUESTIONS; q++)
    striae_history_set_answer (striae_consultation_get_history (c), q, STRIAE_ANSWER_NO);
  for (guint f = 0; f < STRIAE_N_SKIN_FACTS; f++)
    striae_skin_set_fact (striae_consultation_get_skin (c), f, STRIAE_ANSWER_NO);
  striae_skin_set_fitzpatrick (striae_consultation_get_skin (c), 5);
  striae_area_set_severity (area, STRIAE_SEVERITY_MODERATE);
  striae_area_set_mark_type (area, STRIAE_MARK_TYPE_RUBRAE);
  striae_consultation_add_area (c, area);
  striae_plan_set_device (plan, STRIAE_DEVICE_PEN);
  striae_plan_set_sessions (plan, 4);
  striae_plan_set_interval_weeks (plan, 6);
  striae_plan_set_first_session (plan, striae_test_date ("2026-12-01"));
  striae_plan_set_maintenance_months (plan, 6);
  striae_area_set_depth (area, 1.0);
  /* Fitzpatrick V is a relative finding: acknowledged, as the Summary page does. */
  acknowledge_all (c, p);

  *patient = p;
  *consultation = c;
}

static gpointer
child (gpointer    widget,
       GType       type,
       const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (object);
  return object;
}

/* Whether the buttons for an action can be pressed: GTK makes a GtkActionable insensitive
 * while its action is disabled. Every button for @name must agree. */
static void
collect_sensitive (GtkWidget  *widget,
                   const char *name,
                   guint      *n_sensitive,
                   guint      *n_buttons)
{
  if (GTK_IS_ACTIONABLE (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), name) == 0)
    {
      (*n_buttons)++;
      if (gtk_widget_get_sensitive (widget))
        (*n_sensitive)++;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    collect_sensitive (c, name, n_sensitive, n_buttons);
}

static gboolean
action_enabled (gpointer    widget,
                const char *name)
{
  guint n_sensitive = 0, n_buttons = 0;

  collect_sensitive (GTK_WIDGET (widget), name, &n_sensitive, &n_buttons);
  g_assert_cmpuint (n_buttons, >, 0);
  g_assert_true (n_sensitive == 0 || n_sensitive == n_buttons);
  return n_sensitive > 0;
}

/* The visible widget under @widget that runs @action. */
static GtkWidget *
find_actionable (GtkWidget  *widget,
                 const char *action)
{
  if (GTK_IS_ACTIONABLE (widget) && gtk_widget_get_visible (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_actionable (c, action);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_by_tooltip (GtkWidget  *widget,
                 const char *tooltip)
{
  if (g_strcmp0 (gtk_widget_get_tooltip_text (widget), tooltip) == 0)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_by_tooltip (c, tooltip);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_by_css_name (GtkWidget  *widget,
                  const char *name)
{
  if (gtk_widget_get_mapped (widget) && g_strcmp0 (gtk_widget_get_css_name (widget), name) == 0)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_by_css_name (c, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_preview (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.striae.Striae");
  g_autoptr(StriaePatient) patient = NULL;
  g_autoptr(StriaeConsultation) consultation = NULL;
  g_autofree char *empty_dir = g_dir_make_tmp ("striae-preview-XXXXXX", NULL);
  StriaeSheetPreview *preview;
  GtkLabel *label;
  guint n_pages;

  g_settings_set_string (settings, "clinic-name", "Clinique Étoile");
  g_settings_set_string (settings, "clinic-phone", "+33 1 23 45 67 89");
  make_consultation (&patient, &consultation);

  preview = striae_sheet_preview_new (NULL, patient, consultation, "aftercare");
  striae_sheet_preview_set_override_dir (preview, empty_dir);
  gtk_window_present (GTK_WINDOW (preview));
  striae_test_spin (400);

  g_assert_nonnull (striae_sheet_preview_get_sheet (preview));
  g_assert_false (striae_sheet_get_draft (striae_sheet_preview_get_sheet (preview)));
  g_assert_true (action_enabled (preview, "preview.print"));
  g_assert_true (action_enabled (preview, "preview.export"));
  g_assert_cmpstr (striae_sheet_preview_get_sheet_name (preview), ==, "aftercare");
  n_pages = striae_sheet_get_n_pages (striae_sheet_preview_get_sheet (preview));
  g_assert_cmpuint (n_pages, >=, 2);
  label = child (preview, STRIAE_TYPE_SHEET_PREVIEW, "page_label");
  {
    g_autofree char *expected = g_strdup_printf ("Page 1 of %u", n_pages);

    g_assert_cmpstr (gtk_label_get_text (label), ==, expected);
  }
  label = child (preview, STRIAE_TYPE_SHEET_PREVIEW, "source_label");
  g_assert_cmpstr (gtk_label_get_text (label), ==, "Standard text (English)");
  striae_test_window_save_png (GTK_WIDGET (preview), "preview-aftercare.png");

  /* Navigation stops at the ends. */
  gtk_widget_activate_action (GTK_WIDGET (preview), "preview.previous-page", NULL);
  g_assert_cmpuint (striae_sheet_preview_get_page (preview), ==, 0);
  gtk_widget_activate_action (GTK_WIDGET (preview), "preview.next-page", NULL);
  g_assert_cmpuint (striae_sheet_preview_get_page (preview), ==, 1);
  for (guint i = 0; i < n_pages + 2; i++)
    gtk_widget_activate_action (GTK_WIDGET (preview), "preview.next-page", NULL);
  g_assert_cmpuint (striae_sheet_preview_get_page (preview), ==, n_pages - 1);

  /* Zoom: fitted to start with, then steps, then fitted again. */
  g_assert_cmpfloat (striae_sheet_preview_get_zoom (preview), ==, 0.0);
  gtk_widget_activate_action (GTK_WIDGET (preview), "preview.zoom-in", NULL);
  g_assert_cmpfloat (striae_sheet_preview_get_zoom (preview), >, 0.0);
  {
    double zoomed = striae_sheet_preview_get_zoom (preview);

    gtk_widget_activate_action (GTK_WIDGET (preview), "preview.zoom-in", NULL);
    g_assert_cmpfloat (striae_sheet_preview_get_zoom (preview), >, zoomed);
    gtk_widget_activate_action (GTK_WIDGET (preview), "preview.zoom-out", NULL);
    gtk_widget_activate_action (GTK_WIDGET (preview), "preview.zoom-out", NULL);
    g_assert_cmpfloat (striae_sheet_preview_get_zoom (preview), <, zoomed);
  }
  striae_test_spin (100);
  striae_test_window_save_png (GTK_WIDGET (preview), "preview-zoomed.png");
  gtk_widget_activate_action (GTK_WIDGET (preview), "preview.zoom-fit", NULL);
  g_assert_cmpfloat (striae_sheet_preview_get_zoom (preview), ==, 0.0);

  /* Another sheet starts on its first page; the clinic's settings show at once. */
  striae_sheet_preview_set_sheet_name (preview, "consent");
  g_assert_cmpuint (striae_sheet_preview_get_page (preview), ==, 0);
  g_assert_cmpstr (striae_sheet_template_get_name (
                     striae_sheet_get_template (striae_sheet_preview_get_sheet (preview))), ==,
                   "consent");
  g_settings_set_enum (settings, "paper-size", 1);
  {
    double width, height;

    striae_sheet_get_page_size (striae_sheet_preview_get_sheet (preview), &width, &height);
    g_assert_cmpfloat (width, ==, 612.0);
  }
  striae_test_spin (100);
  striae_test_window_save_png (GTK_WIDGET (preview), "preview-consent-letter.png");

  /* [issue 11] Without the clinic's phone the sheet is unfinished: shown as a draft, with the
   * sentence that says what is missing, and neither printed nor exported. */
  g_settings_reset (settings, "clinic-phone");
  g_assert_nonnull (striae_sheet_preview_get_sheet (preview));
  g_assert_true (striae_sheet_get_draft (striae_sheet_preview_get_sheet (preview)));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (child (preview, STRIAE_TYPE_SHEET_PREVIEW,
                                                            "stack")), ==, "sheet");
  label = child (preview, STRIAE_TYPE_SHEET_PREVIEW, "warning_label");
  g_assert_true (g_str_has_prefix (gtk_label_get_text (label),
                                   "Set the clinic’s phone number in Preferences → Clinic: the "
                                   "consent form"));
  g_assert_true (gtk_revealer_get_reveal_child (child (preview, STRIAE_TYPE_SHEET_PREVIEW,
                                                       "warning_revealer")));
  g_assert_false (action_enabled (preview, "preview.print"));
  g_assert_false (action_enabled (preview, "preview.export"));
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *path = g_build_filename (empty_dir, "draft.pdf", NULL);

    g_assert_false (striae_sheet_preview_export_to_file (preview, path, &error));
    g_assert_error (error, STRIAE_SHEET_ERROR, STRIAE_SHEET_ERROR_UNFINISHED);
    g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  }
  striae_test_spin (100);
  striae_test_window_save_png (GTK_WIDGET (preview), "preview-draft.png");

  /* The phone set again, the sheet may be given. */
  g_settings_set_string (settings, "clinic-phone", "+33 1 23 45 67 89");
  g_assert_false (striae_sheet_get_draft (striae_sheet_preview_get_sheet (preview)));
  g_assert_true (action_enabled (preview, "preview.print"));
  g_assert_true (action_enabled (preview, "preview.export"));
  g_assert_false (gtk_revealer_get_reveal_child (child (preview, STRIAE_TYPE_SHEET_PREVIEW,
                                                        "warning_revealer")));

  /* Export and Print to File propose the patient, the sheet and the date as the file's name;
   * the toast after an export opens the file. */
  striae_consultation_set_date (consultation, striae_test_date ("2026-12-02"));
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *name = striae_sheet_preview_dup_file_name (preview);
    g_autofree char *path = g_build_filename (empty_dir, name, NULL);
    g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);
    g_autoptr(GtkPrintSettings) print_settings = striae_sheet_preview_new_print_settings (preview);
    GtkWidget *open;

    g_assert_cmpstr (name, ==, "Zoë Dubois-Émond - Consent - 2026-12-02.pdf");
    g_assert_cmpstr (gtk_print_settings_get (print_settings, GTK_PRINT_SETTINGS_OUTPUT_BASENAME),
                     ==, "Zoë Dubois-Émond - Consent - 2026-12-02");
    g_assert_true (striae_sheet_preview_export_to_file (preview, path, &error));
    g_assert_no_error (error);
    /* The toast slides in; where it stops is what counts. */
    striae_test_spin (800);
    open = find_actionable (GTK_WIDGET (preview), "preview.open-file");
    g_assert_nonnull (open);
    g_assert_true (gtk_widget_get_mapped (open));
    g_assert_cmpstr (g_variant_get_string (gtk_actionable_get_action_target_value (
                                             GTK_ACTIONABLE (open)), NULL), ==, uri);
    /* The toast sits over the sheet, not over the page and zoom buttons. */
    {
      graphene_rect_t a, b;

      g_assert_true (gtk_widget_compute_bounds (open, GTK_WIDGET (preview), &a));
      g_assert_true (gtk_widget_compute_bounds (find_actionable (GTK_WIDGET (preview),
                                                                 "preview.zoom-fit"),
                                                GTK_WIDGET (preview), &b));
      g_assert_cmpfloat (a.origin.y + a.size.height, <=, b.origin.y);
    }
    striae_test_window_save_png (GTK_WIDGET (preview), "preview-exported.png");
    g_unlink (path);
  }

  /* Languages are named in themselves, as everywhere else. */
  {
    GListModel *languages = gtk_drop_down_get_model (child (preview, STRIAE_TYPE_SHEET_PREVIEW,
                                                            "language_dropdown"));
    gboolean english = FALSE;

    for (guint i = 0; i < g_list_model_get_n_items (languages); i++)
      {
        g_autoptr(GtkStringObject) item = g_list_model_get_item (languages, i);

        g_assert_cmpstr (gtk_string_object_get_string (item), !=, "en");
        english |= g_strcmp0 (gtk_string_object_get_string (item), "English") == 0;
      }
    g_assert_true (english);
  }

  /* A blocked plan shows why instead of a sheet, and nothing can be printed. */
  striae_history_set_answer (striae_consultation_get_history (consultation),
                             STRIAE_QUESTION_PREGNANCY, STRIAE_ANSWER_YES);
  striae_sheet_preview_set_sheet_name (preview, "pre");
  striae_sheet_preview_set_override_dir (preview, empty_dir);
  g_assert_null (striae_sheet_preview_get_sheet (preview));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (child (preview, STRIAE_TYPE_SHEET_PREVIEW,
                                                            "stack")), ==, "error");
  striae_test_spin (100);
  striae_test_window_save_png (GTK_WIDGET (preview), "preview-blocked.png");

  g_settings_reset (settings, "paper-size");
  gtk_window_destroy (GTK_WINDOW (preview));
  g_rmdir (empty_dir);
}

static void
test_preferences (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.striae.Striae");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("striae-prefs-XXXXXX", NULL);
  g_autofree char *png = g_build_filename (dir, "logo.png", NULL);
  g_autofree char *fake = g_build_filename (dir, "logo-fake.png", NULL);
  g_autofree char *logo = NULL;
  g_auto(GStrv) names = NULL;
  StriaePreferences *preferences;
  cairo_surface_t *surface;
  AdwEntryRow *row;

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 40, 20);
  g_assert_cmpint (cairo_surface_write_to_png (surface, png), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
  g_assert_true (g_file_set_contents (fake, "GIF89a not a png", -1, NULL));

  g_settings_set_string (settings, "clinic-name", "Clinique Étoile");
  preferences = striae_preferences_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (preferences), 360, 600);
  gtk_window_present (GTK_WINDOW (preferences));
  striae_test_spin (300);

  row = child (preferences, STRIAE_TYPE_PREFERENCES, "name_row");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "Clinique Étoile");
  gtk_editable_set_text (GTK_EDITABLE (row), "Clinique Lumière");
  logo = g_settings_get_string (settings, "clinic-name");
  g_assert_cmpstr (logo, ==, "Clinique Lumière");
  g_clear_pointer (&logo, g_free);

  /* Practitioners: added from the entry row, no duplicates. */
  row = child (preferences, STRIAE_TYPE_PREFERENCES, "add_practitioner_row");
  gtk_editable_set_text (GTK_EDITABLE (row), "  Dr Hélène Marchand ");
  g_signal_emit_by_name (row, "apply");
  gtk_editable_set_text (GTK_EDITABLE (row), "Dr Hélène Marchand");
  g_signal_emit_by_name (row, "apply");
  names = g_settings_get_strv (settings, "practitioner-names");
  g_assert_cmpstrv (names, ((const char *[]) { "Dr Hélène Marchand", NULL }));
  /* The toast that says so leaves the Remove button free, the page scrolled to its end. */
  {
    GtkWidget *remove = find_by_tooltip (GTK_WIDGET (preferences), "Remove Dr Hélène Marchand");
    GtkScrolledWindow *scrolled;
    GtkAdjustment *adjustment;
    GtkWidget *toast;
    graphene_rect_t a, b;

    g_assert_nonnull (remove);
    scrolled = GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (remove, GTK_TYPE_SCROLLED_WINDOW));
    striae_test_spin (200);
    adjustment = gtk_scrolled_window_get_vadjustment (scrolled);
    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
    striae_test_spin (200);
    toast = find_by_css_name (GTK_WIDGET (preferences), "toast");
    g_assert_nonnull (toast);
    g_assert_true (gtk_widget_compute_bounds (remove, GTK_WIDGET (preferences), &a));
    g_assert_true (gtk_widget_compute_bounds (toast, GTK_WIDGET (preferences), &b));
    striae_test_window_save_png (GTK_WIDGET (preferences), "preferences-toast.png");
    g_assert_false (graphene_rect_intersection (&a, &b, NULL));
  }

  /* The logo must be a PNG: anything else is refused and the setting kept. */
  g_assert_true (striae_preferences_set_logo (preferences, png, &error));
  g_assert_no_error (error);
  g_assert_false (striae_preferences_set_logo (preferences, fake, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "PNG"));
  g_clear_error (&error);
  g_assert_false (striae_check_logo_file ("/nonexistent/logo.png", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  logo = g_settings_get_string (settings, "clinic-logo");
  g_assert_cmpstr (logo, ==, png);

  g_settings_set_enum (settings, "paper-size", 1);
  g_assert_cmpuint (adw_combo_row_get_selected (child (preferences, STRIAE_TYPE_PREFERENCES,
                                                       "paper_row")), ==, 1);
  adw_combo_row_set_selected (child (preferences, STRIAE_TYPE_PREFERENCES, "paper_row"), 0);
  g_assert_cmpint (g_settings_get_enum (settings, "paper-size"), ==, 0);

  striae_test_spin (200);
  striae_test_window_save_png (GTK_WIDGET (preferences), "preferences.png");

  gtk_window_destroy (GTK_WINDOW (preferences));
  g_settings_reset (settings, "clinic-logo");
  g_settings_reset (settings, "practitioner-names");
  g_unlink (png);
  g_unlink (fake);
  g_rmdir (dir);
}

static void
count_cb (GObject    *object,
          GParamSpec *pspec,
          guint      *count)
{
  (*count)++;
}

/* The window composes its sheet once when it opens, with the store's rules, although it
 * is given its store and its template folder after it was made; then once per change. */
static void
test_composed_once (void)
{
  g_autoptr(StriaePatient) patient = NULL;
  g_autoptr(StriaeConsultation) consultation = NULL;
  g_autoptr(StriaeStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("striae-preview-XXXXXX", NULL);
  g_autofree char *database = g_build_filename (dir, "striae.db", NULL);
  g_autofree char *empty_dir = g_build_filename (dir, "templates", NULL);
  StriaeSheetPreview *preview;
  StriaeSheet *sheet;
  guint composed = 0;

  g_assert_cmpint (g_mkdir (empty_dir, 0700), ==, 0);
  store = striae_store_open (database, &error);
  g_assert_no_error (error);
  make_consultation (&patient, &consultation);

  preview = striae_sheet_preview_new (NULL, patient, consultation, "aftercare");
  g_signal_connect (preview, "notify::sheet", G_CALLBACK (count_cb), &composed);
  striae_sheet_preview_set_store (preview, store);
  striae_sheet_preview_set_override_dir (preview, empty_dir);
  g_assert_cmpuint (composed, ==, 0);
  gtk_window_present (GTK_WINDOW (preview));
  striae_test_spin (200);
  g_assert_cmpuint (composed, ==, 1);
  sheet = striae_sheet_preview_get_sheet (preview);
  g_assert_nonnull (sheet);
  g_assert_cmpuint (composed, ==, 1);

  /* Another sheet is composed at once while the window shows. */
  striae_sheet_preview_set_sheet_name (preview, "consent");
  g_assert_cmpuint (composed, ==, 2);
  sheet = striae_sheet_preview_get_sheet (preview);
  g_assert_cmpstr (striae_sheet_template_get_name (striae_sheet_get_template (sheet)), ==,
                   "consent");
  g_assert_cmpuint (composed, ==, 2);

  /* Asked for its sheet before it is shown, a window composes it then, and not again when
   * it is shown. */
  gtk_window_destroy (GTK_WINDOW (preview));
  composed = 0;
  preview = striae_sheet_preview_new (NULL, patient, consultation, "pre");
  g_signal_connect (preview, "notify::sheet", G_CALLBACK (count_cb), &composed);
  striae_sheet_preview_set_store (preview, store);
  g_assert_nonnull (striae_sheet_preview_get_sheet (preview));
  g_assert_cmpuint (composed, ==, 1);
  gtk_window_present (GTK_WINDOW (preview));
  striae_test_spin (200);
  g_assert_cmpuint (composed, ==, 1);

  gtk_window_destroy (GTK_WINDOW (preview));
  g_assert_finalize_object (g_steal_pointer (&store));
  g_remove (database);
  g_rmdir (empty_dir);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* Referencing the resource links it in from the static library, which registers it. */
  g_assert_nonnull (striae_get_resource ());

  g_test_add_func ("/sheet-preview/preview", test_preview);
  g_test_add_func ("/sheet-preview/preferences", test_preferences);
  g_test_add_func ("/sheet-preview/composed-once", test_composed_once);

  return g_test_run ();
}
