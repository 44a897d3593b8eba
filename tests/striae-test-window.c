/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "striae-rules.h"
#include "striae-screening.h"
#include "striae-test-app.h"
#include "striae-test-date.h"
#include "striae-test-window.h"
#include "striae-window.h"

void
striae_test_spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < end)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (2 * G_TIME_SPAN_MILLISECOND);
}

void
striae_test_window_set_up (StriaeTestWindow *tw,
                           const char       *prefix)
{
  g_autofree char *template = g_strconcat (prefix, "-XXXXXX", NULL);
  g_autoptr(GError) error = NULL;

  memset (tw, 0, sizeof *tw);
  tw->dir = g_dir_make_tmp (template, &error);
  g_assert_no_error (error);
  tw->path = g_build_filename (tw->dir, "striae.db", NULL);
  tw->store = striae_store_open (tw->path, &error);
  g_assert_no_error (error);
}

void
striae_test_window_set_up_in (StriaeTestWindow *tw,
                              const char       *dir)
{
  memset (tw, 0, sizeof *tw);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  tw->dir = g_strdup (dir);
  tw->path = g_build_filename (dir, "striae.db", NULL);
  tw->store = striae_test_app_open_with_admin (tw->path);
  /* Another program opens the records next. */
  tw->kept = TRUE;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_assert_cmpint (g_remove (child), ==, 0);
    }
  g_assert_cmpint (g_rmdir (path), ==, 0);
}

void
striae_test_window_tear_down (StriaeTestWindow *tw)
{
  if (tw->window != NULL)
    gtk_window_destroy (tw->window);
  tw->window = NULL;
  striae_test_spin (50);
  /* Work still under way in worker threads (thumbnails being read) holds the records until
   * its answer is in: up to 2 s, then the check below fails. */
  for (guint i = 0; i < 200 && G_OBJECT (tw->store)->ref_count > 1; i++)
    striae_test_spin (10);
  g_clear_object (&tw->consultation);
  g_clear_object (&tw->patient);
  g_assert_finalize_object (g_steal_pointer (&tw->store));
  /* Records made for another program stay where they are, in silence. */
  if (!tw->kept && g_getenv ("STRIAE_KEEP_TMP") != NULL)
    g_test_message ("records kept in %s", tw->path);
  else if (!tw->kept)
    remove_tree (tw->dir);
  g_clear_pointer (&tw->path, g_free);
  g_clear_pointer (&tw->dir, g_free);
}

StriaePatient *
striae_test_window_add_patient (StriaeTestWindow *tw,
                                const char       *given,
                                const char       *birth_date)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&tw->patient);
  tw->patient = striae_patient_new ();
  striae_patient_set_given_name (tw->patient, given != NULL ? given : "Inès");
  striae_patient_set_family_name (tw->patient, "Moreau");
  striae_patient_set_birth_date (tw->patient,
                                 striae_test_date (birth_date != NULL ? birth_date
                                                                      : "1991-04-02"));
  g_assert_true (striae_store_add_patient (tw->store, tw->patient, &error));
  g_assert_no_error (error);
  return tw->patient;
}

/* Every screening finding acknowledged (a minor's "Patient under 18"), as the practitioner
 * does before completing the plan; nothing for an adult with nothing of note. */
static void
acknowledge_all (StriaeTestWindow   *tw,
                 StriaeConsultation *consultation)
{
  g_autoptr(StriaeRules) rules = striae_rules_new ();
  g_autoptr(StriaeScreening) screening = NULL;
  GListModel *findings;

  screening = striae_screen (consultation, rules, striae_patient_get_birth_date (tw->patient),
                             striae_consultation_get_date (consultation));
  findings = striae_screening_get_findings (screening);
  for (guint i = 0; i < g_list_model_get_n_items (findings); i++)
    {
      g_autoptr(StriaeFinding) finding = g_list_model_get_item (findings, i);

      striae_consultation_set_acknowledged (consultation, striae_finding_get_id (finding),
                                            TRUE);
    }
}

StriaeConsultation *
striae_test_window_add_course (StriaeTestWindow *tw,
                               StriaeSide        side)
{
  g_autoptr(StriaeConsultation) c = striae_consultation_new ();
  g_autoptr(StriaeArea) area = striae_area_new (STRIAE_BODY_SITE_THIGHS);
  StriaePlan *plan = striae_consultation_get_plan (c);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (tw->patient);
  striae_consultation_set_patient_id (c, striae_patient_get_id (tw->patient));
  striae_consultation_set_date (c, striae_test_date ("2026-03-02"));
  striae_consultation_set_practitioner (c, "Dr Roux");
  for (guint q = 0; q < STRIAE_N_QUESTIONS; q++)
    striae_history_set_answer (striae_consultation_get_history (c), q, STRIAE_ANSWER_NO);
  for (guint f = 0; f < STRIAE_N_SKIN_FACTS; f++)
    striae_skin_set_fact (striae_consultation_get_skin (c), f, STRIAE_ANSWER_NO);
  striae_skin_set_fitzpatrick (striae_consultation_get_skin (c), 3);
  if (side != STRIAE_SIDE_NOT_APPLICABLE)
    striae_area_set_side (area, side);
  striae_area_set_severity (area, STRIAE_SEVERITY_MODERATE);
  striae_area_set_mark_type (area, STRIAE_MARK_TYPE_ALBAE);
  striae_area_set_depth (area, 1.0);
  striae_consultation_add_area (c, area);
  striae_plan_set_device (plan, STRIAE_DEVICE_PEN);
  striae_plan_set_sessions (plan, 3);
  striae_plan_set_interval_weeks (plan, 4);
  striae_plan_set_first_session (plan, striae_test_date ("2026-03-09"));
  acknowledge_all (tw, c);
  striae_consultation_set_status (c, STRIAE_CONSULTATION_STATUS_COMPLETE);
  g_assert_true (striae_store_save_consultation (tw->store, c, "Dr Roux", &error));
  g_assert_no_error (error);
  g_assert_true (striae_store_sign_consultation (tw->store, striae_consultation_get_id (c),
                                                 "Dr Roux", &error));
  g_assert_no_error (error);
  g_clear_object (&tw->consultation);
  tw->consultation = striae_store_get_consultation (tw->store, striae_consultation_get_id (c),
                                                    &error);
  g_assert_no_error (error);
  return tw->consultation;
}

void
striae_test_window_show (StriaeTestWindow *tw,
                         GtkWidget        *child,
                         int               width,
                         int               height)
{
  g_assert_null (tw->window);
  tw->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (tw->window, width, height);
  gtk_window_set_child (tw->window, child);
  gtk_window_present (tw->window);
}

GtkWindow *
striae_test_window_show_main (StriaeTestWindow *tw,
                              int               width,
                              int               height)
{
  g_assert_null (tw->window);
  tw->window = GTK_WINDOW (striae_window_new (NULL, tw->store));
  gtk_window_set_default_size (tw->window, width, height);
  gtk_window_present (tw->window);
  return tw->window;
}

void
striae_test_window_save_png (GtkWidget  *widget,
                             const char *name)
{
  const char *dir = g_getenv ("STRIAE_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  int width, height;

  if (dir == NULL)
    return;
  striae_test_spin (300);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}
