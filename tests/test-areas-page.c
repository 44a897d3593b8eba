/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <adwaita.h>
#include <string.h>

#include "striae-area-row.h"
#include "striae-areas-page-private.h"
#include "striae-summary-page.h"

/* The Stretch marks page on its own, over a session of its own: where a new area starts,
 * the side and extent fields, and the warning when two areas record the same skin. */

typedef struct
{
  StriaeConsultationSession *session;
  StriaeConsultation        *consultation;
  GtkWindow                 *window;
  StriaeAreasPage           *page;
} Fixture;

static void
iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
open_page (Fixture            *fixture,
           StriaeConsultation *consultation)
{
  g_autoptr(StriaePatient) patient = striae_patient_new ();

  fixture->consultation = consultation;
  fixture->session = striae_consultation_session_new ();
  striae_consultation_session_open (fixture->session, patient, consultation);
  fixture->page = g_object_new (STRIAE_TYPE_AREAS_PAGE, "session", fixture->session, NULL);
  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->page));
  gtk_window_present (fixture->window);
  iterate ();
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  open_page (fixture, striae_consultation_new ());
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (fixture->window);
  iterate ();
  striae_consultation_session_close (fixture->session);
  g_clear_object (&fixture->session);
  g_clear_object (&fixture->consultation);
}

static StriaeArea *
area_at (Fixture *fixture,
         guint    position)
{
  GListModel *areas = striae_consultation_get_areas (fixture->consultation);
  g_autoptr(StriaeArea) area = g_list_model_get_item (areas, position);

  return area;  /* the consultation holds it */
}

static void
add_area (Fixture *fixture)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "areas.add", NULL));
  iterate ();
}

static GtkWidget *
field (Fixture    *fixture,
       guint       position,
       const char *name)
{
  GtkWidget *widget = striae_areas_page_get_field (fixture->page, position, name);

  g_assert_nonnull (widget);
  return widget;
}

static void
choose (Fixture    *fixture,
        guint       position,
        const char *name,
        guint       value)
{
  adw_combo_row_set_selected (ADW_COMBO_ROW (field (fixture, position, name)), value);
  iterate ();
}

/* A new area starts at a site no area records yet, not at the abdomen again. */
static void
test_new_area_site (Fixture       *fixture,
                    gconstpointer  data)
{
  add_area (fixture);
  add_area (fixture);
  add_area (fixture);
  g_assert_cmpint (striae_area_get_site (area_at (fixture, 0)), ==, STRIAE_BODY_SITE_ABDOMEN);
  g_assert_cmpint (striae_area_get_site (area_at (fixture, 1)), ==, STRIAE_BODY_SITE_BREASTS);
  g_assert_cmpint (striae_area_get_site (area_at (fixture, 2)), ==, STRIAE_BODY_SITE_HIPS);
  g_assert_cmpstr (striae_areas_page_get_duplicate_warning (fixture->page), ==, "");

  /* The site row shows the site; moving the breasts to the thighs frees the breasts. */
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (field (fixture, 1, "site"))), ==,
                    STRIAE_BODY_SITE_BREASTS);
  choose (fixture, 1, "site", STRIAE_BODY_SITE_THIGHS);
  g_assert_cmpint (striae_area_get_site (area_at (fixture, 1)), ==, STRIAE_BODY_SITE_THIGHS);
  add_area (fixture);
  g_assert_cmpint (striae_area_get_site (area_at (fixture, 3)), ==, STRIAE_BODY_SITE_BREASTS);

  /* The new row is open, with the focus on its site. */
  g_assert_true (adw_expander_row_get_expanded (
                   ADW_EXPANDER_ROW (striae_areas_page_get_area_row (fixture->page, 3))));
}

/* Side and extent write into the area, and the row's title names the side. */
static void
test_side_and_extent (Fixture       *fixture,
                      gconstpointer  data)
{
  GtkWidget *row;
  GtkWidget *side;

  add_area (fixture);
  row = striae_areas_page_get_area_row (fixture->page, 0);
  side = field (fixture, 0, "side");

  /* The abdomen has no side: the field is not offered. */
  g_assert_false (gtk_widget_get_visible (side));
  g_assert_cmpint (striae_area_get_side (area_at (fixture, 0)), ==, STRIAE_SIDE_NOT_APPLICABLE);

  choose (fixture, 0, "site", STRIAE_BODY_SITE_THIGHS);
  g_assert_true (gtk_widget_get_visible (side));
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (side)), ==,
                    STRIAE_SIDE_NOT_RECORDED);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Thighs");

  choose (fixture, 0, "side", STRIAE_SIDE_LEFT);
  g_assert_cmpint (striae_area_get_side (area_at (fixture, 0)), ==, STRIAE_SIDE_LEFT);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Left thigh");
  choose (fixture, 0, "side", STRIAE_SIDE_BOTH);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Both thighs");

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (field (fixture, 0, "extent")), 350);
  iterate ();
  g_assert_cmpint (striae_area_get_extent (area_at (fixture, 0)), ==, 350);

  /* A change in the model shows in the fields. */
  striae_area_set_extent (area_at (fixture, 0), 120);
  striae_area_set_side (area_at (fixture, 0), STRIAE_SIDE_RIGHT);
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (field (fixture, 0, "extent"))),
                     ==, 120);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (side)), ==, STRIAE_SIDE_RIGHT);

  /* Back to a midline site: the side goes with the field. */
  choose (fixture, 0, "site", STRIAE_BODY_SITE_LOWER_BACK);
  g_assert_false (gtk_widget_get_visible (side));
  g_assert_cmpint (striae_area_get_side (area_at (fixture, 0)), ==, STRIAE_SIDE_NOT_APPLICABLE);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Lower back");
}

/* The same site and side twice is said in one sentence, under the list and in the row. */
static void
test_duplicate_warning (Fixture       *fixture,
                        gconstpointer  data)
{
  GtkWidget *row;
  g_autofree char *warning = NULL;

  add_area (fixture);
  add_area (fixture);
  choose (fixture, 0, "site", STRIAE_BODY_SITE_THIGHS);
  choose (fixture, 0, "side", STRIAE_SIDE_LEFT);
  choose (fixture, 1, "site", STRIAE_BODY_SITE_THIGHS);
  g_assert_cmpstr (striae_areas_page_get_duplicate_warning (fixture->page), ==,
                   "“Thighs” overlaps “Left thigh” above: record each place once.");

  choose (fixture, 1, "side", STRIAE_SIDE_LEFT);
  /* A copy: the label that holds it changes below. */
  warning = g_strdup (striae_areas_page_get_duplicate_warning (fixture->page));
  g_assert_cmpstr (warning, ==,
                   "“Left thigh” is recorded twice: remove one, or change its site or side.");
  row = striae_areas_page_get_area_row (fixture->page, 1);
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), ==, warning);
  /* Only the later of the two says it. */
  g_assert_cmpstr (adw_expander_row_get_subtitle (
                     ADW_EXPANDER_ROW (striae_areas_page_get_area_row (fixture->page, 0))), !=,
                   warning);

  choose (fixture, 1, "side", STRIAE_SIDE_RIGHT);
  g_assert_cmpstr (striae_areas_page_get_duplicate_warning (fixture->page), ==, "");
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), !=, warning);

  choose (fixture, 1, "side", STRIAE_SIDE_BOTH);
  g_assert_cmpstr (striae_areas_page_get_duplicate_warning (fixture->page), ==,
                   "“Both thighs” overlaps “Left thigh” above: record each place once.");

  /* Removing the first leaves nothing to warn about; the other row keeps its place. */
  g_signal_emit_by_name (field (fixture, 0, "remove"), "clicked");
  iterate ();
  g_assert_cmpuint (g_list_model_get_n_items (striae_consultation_get_areas (
                                                fixture->consultation)), ==, 1);
  g_assert_cmpstr (striae_areas_page_get_duplicate_warning (fixture->page), ==, "");
  g_assert_true (striae_areas_page_get_area_row (fixture->page, 0) == row);
}

/* A consultation opened with areas shows their sides and extents. */
static void
test_load (void)
{
  Fixture fixture = { NULL };
  StriaeConsultation *consultation = striae_consultation_new ();
  g_autoptr(StriaeArea) arm = striae_area_new (STRIAE_BODY_SITE_UPPER_ARMS);
  GtkWidget *row;

  striae_area_set_side (arm, STRIAE_SIDE_RIGHT);
  striae_area_set_extent (arm, 80);
  striae_consultation_add_area (consultation, arm);
  open_page (&fixture, consultation);

  row = striae_areas_page_get_area_row (fixture.page, 0);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                   "Right upper arm");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (field (&fixture, 0, "side"))),
                    ==, STRIAE_SIDE_RIGHT);
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (field (&fixture, 0, "extent"))),
                     ==, 80);
  /* The model kept its values while the fields were bound to it. */
  g_assert_cmpint (striae_area_get_side (arm), ==, STRIAE_SIDE_RIGHT);
  g_assert_cmpint (striae_area_get_extent (arm), ==, 80);
  g_assert_cmpint (striae_area_get_age_months (arm), ==, -1);
  fixture_tear_down (&fixture, NULL);
}

static GtkWidget *
find_row (GtkWidget  *widget,
          const char *title)
{
  if (ADW_IS_ACTION_ROW (widget) &&
      g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_row (child, title);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The summary names each area with its side, and says its size when it was measured. */
static void
test_summary (Fixture       *fixture,
              gconstpointer  data)
{
  StriaeSummaryPage *summary = g_object_new (STRIAE_TYPE_SUMMARY_PAGE,
                                             "session", fixture->session, NULL);
  GtkWidget *row;

  g_object_ref_sink (summary);
  add_area (fixture);
  add_area (fixture);
  choose (fixture, 1, "site", STRIAE_BODY_SITE_THIGHS);
  choose (fixture, 1, "side", STRIAE_SIDE_BOTH);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (field (fixture, 1, "extent")), 600);
  iterate ();

  striae_summary_page_refresh (summary, NULL);
  g_assert_nonnull (find_row (GTK_WIDGET (summary), "Abdomen"));
  row = find_row (GTK_WIDGET (summary), "Both thighs");
  g_assert_nonnull (row);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "; about 600 cm²"));
  g_assert_null (strstr (adw_action_row_get_subtitle (
                           ADW_ACTION_ROW (find_row (GTK_WIDGET (summary), "Abdomen"))),
                         "cm²"));
  g_assert_finalize_object (summary);
}

/* The focus on @widget, with its place inside @scroller's visible part, within 5 s. */
static gboolean
wait_focused_in_view (GtkWidget *widget,
                      GtkWidget *scroller)
{
  gint64 end = g_get_monotonic_time () + 5 * G_TIME_SPAN_SECOND;

  while (g_get_monotonic_time () < end)
    {
      graphene_rect_t bounds;

      if (gtk_widget_has_focus (widget) &&
          gtk_widget_compute_bounds (widget, scroller, &bounds) &&
          bounds.size.height > 0 && bounds.origin.y >= 0 &&
          bounds.origin.y + bounds.size.height <= gtk_widget_get_height (scroller))
        return TRUE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5 * G_TIME_SPAN_MILLISECOND);
    }
  return FALSE;
}

/* Adding an area below open ones, in a page too short for them all, scrolls to the new
 * area's first field: it is not added out of sight. */
static void
test_new_area_in_view (void)
{
  g_autoptr(StriaeConsultation) consultation = striae_consultation_new ();
  g_autoptr(StriaePatient) patient = striae_patient_new ();
  g_autoptr(StriaeConsultationSession) session = striae_consultation_session_new ();
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  GtkWidget *scroller = gtk_scrolled_window_new ();
  StriaeAreasPage *page;

  /* Rows that open at once: the test asks where the new area is, not where it will be. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  striae_consultation_session_open (session, patient, consultation);
  page = g_object_new (STRIAE_TYPE_AREAS_PAGE, "session", session, NULL);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (page));
  gtk_window_set_child (window, scroller);
  gtk_window_set_default_size (window, 480, 360);
  gtk_window_present (window);

  for (guint i = 0; i < 3; i++)
    {
      GtkWidget *site;

      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "areas.add", NULL));
      site = striae_areas_page_get_field (page, i, "site");
      g_assert_true (wait_focused_in_view (site, scroller));
    }
  /* Three open areas do not fit: the page did scroll. */
  g_assert_cmpfloat (gtk_adjustment_get_value (
                       gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller))),
                     >, 0);

  gtk_window_destroy (window);
  iterate ();
  striae_consultation_session_close (session);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/areas-page/new-area-site", Fixture, NULL, fixture_set_up, test_new_area_site,
              fixture_tear_down);
  g_test_add ("/areas-page/side-and-extent", Fixture, NULL, fixture_set_up,
              test_side_and_extent, fixture_tear_down);
  g_test_add ("/areas-page/duplicate-warning", Fixture, NULL, fixture_set_up,
              test_duplicate_warning, fixture_tear_down);
  g_test_add_func ("/areas-page/load", test_load);
  g_test_add_func ("/areas-page/new-area-in-view", test_new_area_in_view);
  g_test_add ("/areas-page/summary", Fixture, NULL, fixture_set_up, test_summary,
              fixture_tear_down);

  return g_test_run ();
}
