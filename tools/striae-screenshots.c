/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A maintainer's tool, not shipped: its messages are in English only.
 *
 * Takes the screenshots of data/screenshots/: a demo database of fictional patients, the
 * main window, every page of the consultation wizard filled with plausible data, and a sheet
 * preview. Each PNG is rendered in-process from the window after it has painted, so no window
 * manager or screen grab is involved. Run it through tools/screenshots.sh, which pins the
 * fonts and settings for output that stays the same from run to run. */
#include <adwaita.h>
#include <glib/gstdio.h>
#include <locale.h>

#include "striae-sheet-preview.h"
#include "striae-store.h"
#include "striae-window.h"
#include "striae-wizard-private.h"

/* Long enough for a slow machine; a normal run needs a fraction of it. */
#define WAIT_MS 10000

typedef gboolean (*Condition) (gpointer data);

typedef struct
{
  const char *given;
  const char *family;
  const char *birth;
  const char *phone;
  const char *email;
  const char *language;
} DemoPatient;

/* Invented people: any likeness to a real patient is chance. */
static const DemoPatient demo_patients[] = {
  { "Amélie", "Laurent", "1991-03-14", "+33 6 12 34 56 78", "amelie.laurent@example.org", "fr" },
  { "Birgit", "Sommer", "1987-11-02", "+49 30 5550 1234", "b.sommer@example.com", "de" },
  { "Carmen", "Ortega Ruiz", "1995-07-21", "+34 612 555 019", NULL, "es" },
  { "Dana", "Whitfield", "1983-01-09", "+44 20 7946 0321", "dana.w@example.net", "en" },
  { "Elif", "Kaya", "1999-09-30", NULL, "elif.kaya@example.org", "en" },
  { "Fiona", "MacLeod", "1978-05-17", "+44 131 496 0754", NULL, "en" },
  { "Grace", "Okafor", "1993-12-05", "+44 161 496 0188", "grace.okafor@example.com", "en" },
  { "Hana", "Novák", "1989-08-11", "+420 601 555 321", NULL, "en" },
  { "Inès", "Moreau", "2001-02-26", "+33 7 55 50 12 34", "ines.moreau@example.fr", "fr" },
  { "Julia", "Berg", "1985-06-03", NULL, NULL, "de" },
};

static gboolean
wait_for (Condition condition,
          gpointer  data)
{
  gint64 end = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > end)
        return FALSE;
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2 * G_TIME_SPAN_MILLISECOND);
    }
  return TRUE;
}

static void
spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < end)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (2 * G_TIME_SPAN_MILLISECOND);
}

static void
after_paint_cb (GdkFrameClock *clock,
                guint         *painted)
{
  (*painted)++;
}

static gboolean
painted_once (gpointer data)
{
  return *(guint *) data >= 1;
}

/* Lets pending work (list loading, size allocation, transitions) settle, then asks for two
 * frames in turn and waits until each has been painted, so that the PNG shows what a user
 * would see. */
static gboolean
wait_painted (GtkWidget *window)
{
  GdkFrameClock *clock;

  spin (300);
  clock = gtk_widget_get_frame_clock (window);
  if (clock == NULL)
    return FALSE;

  for (guint frame = 0; frame < 2; frame++)
    {
      guint painted = 0;
      gulong handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb),
                                         &painted);
      gboolean ok;

      gtk_widget_queue_draw (window);
      ok = wait_for (painted_once, &painted);
      g_signal_handler_disconnect (clock, handler);
      if (!ok)
        return FALSE;
    }
  return TRUE;
}

static gboolean
save_png (GtkWidget   *window,
          const char  *dir,
          const char  *name,
          GError     **error)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  GskRenderer *renderer;
  int width, height;

  if (!wait_painted (window))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                   "The window was not drawn in time for the screenshot “%s” (%d×%d, %s).",
                   name, gtk_widget_get_width (window), gtk_widget_get_height (window),
                   gtk_widget_get_mapped (window) ? "mapped" : "not mapped");
      return FALSE;
    }

  width = gtk_widget_get_width (window);
  height = gtk_widget_get_height (window);
  paintable = gtk_widget_paintable_new (window);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  if (node == NULL || renderer == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "The window drew nothing for the screenshot “%s”.", name);
      return FALSE;
    }
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (!gdk_texture_save_to_png (texture, path))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "Could not write the screenshot “%s”.", path);
      return FALSE;
    }
  g_print ("%s (%d×%d)\n", path, width, height);
  return TRUE;
}

typedef struct
{
  GtkWidget *window;
  int        width;
  int        height;
} Size;

static gboolean
has_size (gpointer data)
{
  Size *size = data;

  return gtk_widget_get_width (size->window) == size->width &&
         gtk_widget_get_height (size->window) == size->height;
}

/* Shows @window with a content size of exactly @width × @height. Without a window manager,
 * GTK 4.8 on X11 counts part of the client-side decoration in the default size, so the
 * difference is measured once and added back. */
static gboolean
present_at_size (GtkWindow  *window,
                 int         width,
                 int         height,
                 GError    **error)
{
  Size size = { GTK_WIDGET (window), width, height };

  gtk_window_set_default_size (window, width, height);
  gtk_window_present (window);
  wait_painted (GTK_WIDGET (window));
  if (!has_size (&size))
    {
      int min_width, min_height;

      /* A window whose content cannot be that small keeps its minimum size: say so and take
       * the pictures at the size it has, which is what a user would get. */
      gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1,
                          &min_width, NULL, NULL, NULL);
      gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_VERTICAL, -1,
                          &min_height, NULL, NULL, NULL);
      size.width = MAX (width, min_width);
      size.height = MAX (height, min_height);
      if (size.width != width || size.height != height)
        g_printerr ("Warning: %s cannot be smaller than %d×%d; taking it at %d×%d.\n",
                    G_OBJECT_TYPE_NAME (window), min_width, min_height,
                    size.width, size.height);
      gtk_window_set_default_size (window,
                                   MAX (1, 2 * size.width - gtk_widget_get_width (GTK_WIDGET (window))),
                                   MAX (1, 2 * size.height - gtk_widget_get_height (GTK_WIDGET (window))));
      if (!wait_for (has_size, &size))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       "The window is %d×%d, not the %d×%d asked for.",
                       gtk_widget_get_width (GTK_WIDGET (window)),
                       gtk_widget_get_height (GTK_WIDGET (window)), size.width, size.height);
          return FALSE;
        }
    }
  return TRUE;
}

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* Scrolls the nearest scrolled window around @widget so that @widget's top sits at
 * @fraction of the view's height. */
static void
scroll_into_view (GtkWidget *widget,
                  double     fraction)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  GtkWidget *content;
  GtkAdjustment *adjustment;
  graphene_point_t point;

  if (scrolled == NULL)
    return;
  content = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled));
  if (content == NULL ||
      !gtk_widget_compute_point (widget, content, &GRAPHENE_POINT_INIT (0, 0), &point))
    return;
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  gtk_adjustment_set_value (adjustment,
                            point.y - gtk_widget_get_height (scrolled) * fraction);
}

static void
scroll_to_top (GtkWidget *widget)
{
  for (GtkWidget *w = widget; w != NULL; w = gtk_widget_get_first_child (w))
    if (GTK_IS_SCROLLED_WINDOW (w))
      {
        GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (w));

        gtk_adjustment_set_value (adjustment, gtk_adjustment_get_lower (adjustment));
        return;
      }
}

static void
click (GtkWidget *toggle)
{
  if (GTK_IS_CHECK_BUTTON (toggle))
    gtk_check_button_set_active (GTK_CHECK_BUTTON (toggle), TRUE);
  else
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (toggle), TRUE);
}

static void
answer (StriaeWizardAnswer *buttons,
        StriaeAnswer        value)
{
  click (striae_wizard_answer_get_button (buttons, value));
}

static gboolean
go_next (StriaeWizard  *wizard,
         const char    *expected,
         GError       **error)
{
  gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.next", NULL);
  if (g_strcmp0 (striae_wizard_get_page (wizard), expected) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "The wizard did not move on to the page “%s”.", expected);
      return FALSE;
    }
  scroll_to_top (striae_wizard_get_page_widget (wizard, expected));
  return TRUE;
}

static void
fill_history (StriaeWizard *wizard)
{
  StriaeHistoryPage *page = STRIAE_HISTORY_PAGE (striae_wizard_get_page_widget (wizard,
                                                                                "history"));
  GtkWidget *acknowledge;

  for (StriaeQuestion q = 0; q < STRIAE_N_QUESTIONS; q++)
    answer (striae_history_page_get_answer (page, q),
            q == STRIAE_QUESTION_ANTICOAGULANTS ? STRIAE_ANSWER_YES : STRIAE_ANSWER_NO);
  gtk_editable_set_text (striae_history_page_get_detail (page, STRIAE_QUESTION_ANTICOAGULANTS),
                         "Aspirin 75 mg daily");
  acknowledge = striae_history_page_get_acknowledge (page, "anticoagulants");
  if (acknowledge != NULL)
    {
      click (acknowledge);
      /* Show the acknowledged finding, not the top of a long list of "no". */
      wait_painted (GTK_WIDGET (gtk_widget_get_root (acknowledge)));
      scroll_into_view (acknowledge, 1.0 / 3.0);
    }
}

static void
fill_skin (StriaeWizard *wizard)
{
  StriaeSkinPage *page = STRIAE_SKIN_PAGE (striae_wizard_get_page_widget (wizard, "skin"));

  click (GTK_WIDGET (striae_skin_page_get_fitzpatrick (page, 3)));
  for (StriaeSkinFact f = 0; f < STRIAE_N_SKIN_FACTS; f++)
    answer (striae_skin_page_get_fact (page, f), STRIAE_ANSWER_NO);
}

static void
add_area (StriaeWizard   *wizard,
          guint           position,
          StriaeBodySite  site,
          StriaeMarkType  type,
          StriaeSeverity  severity,
          double          age,
          const char     *notes)
{
  StriaeAreasPage *page = STRIAE_AREAS_PAGE (striae_wizard_get_page_widget (wizard, "areas"));
  GtkWidget *spin_button;

  gtk_widget_activate_action (GTK_WIDGET (page), "areas.add", NULL);
  adw_combo_row_set_selected (ADW_COMBO_ROW (striae_areas_page_get_field (page, position,
                                                                          "site")), site);
  adw_combo_row_set_selected (ADW_COMBO_ROW (striae_areas_page_get_field (page, position,
                                                                          "type")), type);
  adw_combo_row_set_selected (ADW_COMBO_ROW (striae_areas_page_get_field (page, position,
                                                                          "cause")),
                              STRIAE_CAUSE_PREGNANCY);
  adw_combo_row_set_selected (ADW_COMBO_ROW (striae_areas_page_get_field (page, position,
                                                                          "severity")),
                              severity);
  spin_button = striae_areas_page_get_field (page, position, "age");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin_button), age);
  gtk_editable_set_text (GTK_EDITABLE (striae_areas_page_get_field (page, position, "notes")),
                         notes);
}

static void
fill_plan (StriaeWizard *wizard,
           GtkWidget    *window)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) first = g_date_time_add_days (now, 14);
  g_autofree char *first_text = g_date_time_format (first, "%Y-%m-%d");
  StriaePlanPage *plan = STRIAE_PLAN_PAGE (striae_wizard_get_page_widget (wizard, "plan"));
  StriaeConsultation *consultation = striae_wizard_get_consultation (wizard);
  guint sessions;

  adw_combo_row_set_selected (ADW_COMBO_ROW (striae_plan_page_get_field (plan, "device")),
                              STRIAE_DEVICE_PEN);
  gtk_editable_set_text (GTK_EDITABLE (striae_plan_page_get_field (plan, "first-session")),
                         first_text);
  /* One override, with its reason, as a clinician would record it. */
  sessions = striae_plan_get_recommended_sessions (striae_consultation_get_plan (consultation));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (striae_plan_page_get_field (plan, "sessions")),
                             sessions + 1);
  gtk_editable_set_text (GTK_EDITABLE (striae_plan_page_get_field (plan, "sessions-reason")),
                         "Wide marks on the thighs");
  click (striae_plan_page_get_field (plan, "serum"));
  gtk_editable_set_text (GTK_EDITABLE (striae_plan_page_get_field (plan, "extra")),
                         "No swimming for 3 days");
  g_signal_emit_by_name (striae_plan_page_get_field (plan, "extra"), "apply");
  /* The override, its reason and the schedule, rather than the top of the page. */
  wait_painted (window);
  scroll_into_view (striae_plan_page_get_field (plan, "sessions"), 0.05);
}

static gboolean
not_saving (gpointer data)
{
  return !striae_wizard_is_saving (data);
}

static gboolean
wizard_shown (gpointer data)
{
  GtkWidget *wizard = find_descendant (data, STRIAE_TYPE_WIZARD);

  return wizard != NULL && gtk_widget_is_drawable (wizard);
}

static gboolean
make_demo_store (StriaeStore  *store,
                 gint64       *featured_id,
                 GError      **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (demo_patients); i++)
    {
      const DemoPatient *demo = &demo_patients[i];
      g_autoptr(StriaePatient) patient = striae_patient_new ();
      GDate birth;

      if (!striae_parse_iso_date (demo->birth, &birth, error))
        return FALSE;
      striae_patient_set_given_name (patient, demo->given);
      striae_patient_set_family_name (patient, demo->family);
      striae_patient_set_birth_date (patient, &birth);
      striae_patient_set_language (patient, demo->language);
      if (demo->phone != NULL)
        striae_patient_set_phone (patient, demo->phone);
      if (demo->email != NULL)
        striae_patient_set_email (patient, demo->email);
      if (!striae_store_add_patient (store, patient, error))
        return FALSE;
      if (i == 3)
        *featured_id = striae_patient_get_id (patient);
    }
  return TRUE;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (path, name, NULL);

      if (g_file_test (file, G_FILE_TEST_IS_DIR))
        remove_tree (file);
      else
        g_remove (file);
    }
  g_rmdir (path);
}

static gboolean
take_screenshots (const char  *output,
                  const char  *tmp,
                  int          width,
                  int          height,
                  GError     **error)
{
  g_autofree char *database = g_build_filename (tmp, "demo.db", NULL);
  g_autoptr(GSettings) settings = g_settings_new ("io.github.striae.Striae");
  g_autoptr(StriaeStore) store = NULL;
  g_autoptr(StriaePatient) patient = NULL;
  const char *practitioners[] = { "Dr Rosalind Penrose", NULL };
  StriaeSheetPreview *preview;
  StriaePatientPage *page;
  StriaeWizard *wizard;
  StriaeWindow *window;
  gint64 featured = 0;

  g_settings_set_int (settings, "window-width", width);
  g_settings_set_int (settings, "window-height", height);
  g_settings_set_boolean (settings, "window-maximized", FALSE);
  g_settings_set_string (settings, "clinic-name", "Lindenhof Skin Clinic");
  g_settings_set_string (settings, "clinic-address", "12 Linden Row, Exampleton");
  g_settings_set_string (settings, "clinic-phone", "+44 20 7946 0000");
  g_settings_set_strv (settings, "practitioner-names", practitioners);

  store = striae_store_open (database, error);
  if (store == NULL || !make_demo_store (store, &featured, error))
    return FALSE;

  window = striae_window_new (NULL, store);
  if (!present_at_size (GTK_WINDOW (window), width, height, error))
    return FALSE;
  if (!striae_window_show_patient (window, featured, error))
    return FALSE;
  page = striae_window_get_patient_page (window);
  patient = g_object_ref (striae_patient_page_get_patient (page));

  gtk_widget_activate_action (GTK_WIDGET (page), "patient.new-consultation", NULL);
  if (!wait_for (wizard_shown, window))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                   "“New Consultation” did not open the wizard.");
      return FALSE;
    }
  wizard = STRIAE_WIZARD (find_descendant (GTK_WIDGET (window), STRIAE_TYPE_WIZARD));
  if (!save_png (GTK_WIDGET (window), output, "wizard-patient", error))
    return FALSE;

  if (!go_next (wizard, "history", error))
    return FALSE;
  /* The skin page's answers first, so that the screening shows the one finding of the
   * history rather than every skin question still open. */
  fill_skin (wizard);
  fill_history (wizard);
  if (!save_png (GTK_WIDGET (window), output, "wizard-history", error))
    return FALSE;

  if (!go_next (wizard, "skin", error))
    return FALSE;
  if (!save_png (GTK_WIDGET (window), output, "wizard-skin", error))
    return FALSE;

  if (!go_next (wizard, "areas", error))
    return FALSE;
  add_area (wizard, 0, STRIAE_BODY_SITE_ABDOMEN, STRIAE_MARK_TYPE_ALBAE,
            STRIAE_SEVERITY_MODERATE, 6, "Below the navel, silvery");
  add_area (wizard, 1, STRIAE_BODY_SITE_THIGHS, STRIAE_MARK_TYPE_RUBRAE,
            STRIAE_SEVERITY_SEVERE, 1, "Outer thighs");
  {
    StriaeAreasPage *areas = STRIAE_AREAS_PAGE (striae_wizard_get_page_widget (wizard,
                                                                               "areas"));

    adw_combo_row_set_selected (ADW_COMBO_ROW (striae_areas_page_get_field (areas, 1, "side")),
                                STRIAE_SIDE_BOTH);
    gtk_spin_button_set_value (GTK_SPIN_BUTTON (striae_areas_page_get_field (areas, 1,
                                                                             "extent")), 400);
    /* The first area closed, so that the picture shows the second one's side. */
    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (striae_areas_page_get_area_row (areas, 0)),
                                   FALSE);
  }
  if (!save_png (GTK_WIDGET (window), output, "wizard-areas", error))
    return FALSE;

  if (!go_next (wizard, "plan", error))
    return FALSE;
  fill_plan (wizard, GTK_WIDGET (window));
  if (!save_png (GTK_WIDGET (window), output, "wizard-plan", error))
    return FALSE;

  if (!go_next (wizard, "summary", error))
    return FALSE;
  gtk_editable_set_text (striae_summary_page_get_practitioner (
                           STRIAE_SUMMARY_PAGE (striae_wizard_get_page_widget (wizard,
                                                                               "summary"))),
                         practitioners[0]);
  if (!save_png (GTK_WIDGET (window), output, "wizard-summary", error))
    return FALSE;

  gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.sign-off", NULL);
  if (striae_consultation_get_status (striae_wizard_get_consultation (wizard)) !=
      STRIAE_CONSULTATION_STATUS_SIGNED)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "The demo consultation could not be signed.");
      return FALSE;
    }
  wait_for (not_saving, wizard);

  preview = striae_sheet_preview_new (GTK_WINDOW (window), patient,
                                      striae_wizard_get_consultation (wizard), "aftercare");
  striae_sheet_preview_set_store (preview, store);
  if (!present_at_size (GTK_WINDOW (preview), width, height, error))
    return FALSE;
  if (!save_png (GTK_WIDGET (preview), output, "sheet-preview", error))
    return FALSE;
  gtk_window_destroy (GTK_WINDOW (preview));

  /* Last, the patient list with the signed consultation on the patient's page. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.back", NULL);
  if (!save_png (GTK_WIDGET (window), output, "patients", error))
    return FALSE;

  wait_for (not_saving, wizard);
  gtk_window_destroy (GTK_WINDOW (window));
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  g_autofree char *tmp = NULL;
  gboolean dark = FALSE;
  int width = 1280;
  int height = 800;
  gboolean ok;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      "Folder for the PNG files (default: the current folder)", "FOLDER" },
    { "dark", 0, 0, G_OPTION_ARG_NONE, &dark, "Use the dark style", NULL },
    { "width", 0, 0, G_OPTION_ARG_INT, &width, "Window width in pixels (default 1280)",
      "PIXELS" },
    { "height", 0, 0, G_OPTION_ARG_INT, &height, "Window height in pixels (default 800)",
      "PIXELS" },
    { NULL }
  };

  setlocale (LC_ALL, "");
  context = g_option_context_new ("— take Striae's screenshots");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (width < 300 || width > 4000 || height < 300 || height > 4000)
    {
      g_printerr ("The window size must be between 300 and 4000 pixels each way.\n");
      return 2;
    }
  if (output == NULL)
    output = g_get_current_dir ();
  if (g_mkdir_with_parents (output, 0755) != 0)
    {
      g_printerr ("Could not create the folder “%s”.\n", output);
      return 1;
    }

  if (!gtk_init_check ())
    {
      g_printerr ("No display: run this through tools/screenshots.sh.\n");
      return 1;
    }
  adw_init ();
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                           : ADW_COLOR_SCHEME_FORCE_LIGHT);

  tmp = g_dir_make_tmp ("striae-screenshots-XXXXXX", &error);
  if (tmp == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  ok = take_screenshots (output, tmp, width, height, &error);
  remove_tree (tmp);
  if (!ok)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  return 0;
}
