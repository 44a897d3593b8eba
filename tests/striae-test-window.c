/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "striae-test-app.h"
#include "striae-test-date.h"
#include "striae-test-files.h"
#include "striae-test-store.h"
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
striae_test_measure_minimum (GtkWidget *widget,
                             int       *width,
                             int       *height)
{
  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, width, NULL, NULL, NULL);
  gtk_widget_measure (widget, GTK_ORIENTATION_VERTICAL, -1, height, NULL, NULL, NULL);
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
    striae_test_remove_tree (tw->dir);
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

StriaeConsultation *
striae_test_window_add_course (StriaeTestWindow *tw,
                               StriaeSide        side)
{
  g_autoptr(GError) error = NULL;
  gint64 id;

  g_assert_nonnull (tw->patient);
  id = striae_test_store_add_signed_course (tw->store, striae_patient_get_id (tw->patient),
                                            side);
  g_clear_object (&tw->consultation);
  tw->consultation = striae_store_get_consultation (tw->store, id, &error);
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

static gboolean
widget_laid_out (gpointer data)
{
  return gtk_widget_get_width (data) > 0 && gtk_widget_get_height (data) > 0;
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
  /* A window just presented is laid out once the display has mapped it, which on a busy
   * machine may take longer than the settling time below. */
  striae_test_wait_for (widget_laid_out, widget);
  striae_test_spin (300);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  /* A window not drawn yet (a dialog still opening) has nothing to keep. */
  if (node == NULL)
    {
      g_test_message ("screenshot %s: nothing drawn yet", name);
      return;
    }
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}
