/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "striae-bench-records.h"
#include "striae-bench.h"
#include "striae-photo-tile.h"
#include "striae-photos-page.h"
#include "striae-store.h"

/* The photos page's first frame (issue 18): a patient with 500 photos of one area, the page
 * asked for (made, opened on the patient and shown, as the window's Photos does) until the
 * first frame painted that shows the grid's tiles, against its floor, a bare GtkGridView of
 * the same 500 thumbnails as GdkTextures (decoded before the clock starts) in a GtkPicture
 * each, shown the same way in the same run; target 200 ms. Medians of --runs alternating
 * runs (7), each in a new window of 1366 × 900, after one untimed run of each. It also
 * prints when every tile in view has its thumbnail, which the page reads after the first
 * frame.
 *
 * The records (a temporary folder, one patient, a signed consultation, photo consent and
 * 500 photos added through striae_store_add_photo() from one 640 × 480 JPEG) are made once;
 * then the program runs itself once for each renderer, GSK_RENDERER=cairo and gl (a
 * renderer is chosen once per process), and says so when one cannot run. Under Xvfb:
 *   xvfb-run -a -s '-screen 0 1366x900x24' dbus-run-session -- _build/bench/bench-photo-grid
 */

#define TARGET_MS 200.0
#define WIDTH     1366
#define HEIGHT    900
#define PHOTO_W   640
#define PHOTO_H   480
/* How long a run may wait for a frame before the benchmark gives up. */
#define PATIENCE  (20 * G_TIME_SPAN_SECOND)

/* Making the records */

/* A signed consultation of the left thigh at 1 mm, three sessions. */
static StriaeConsultation *
add_consultation (StriaeStore *store,
                  gint64       patient,
                  const GDate *date)
{
  g_autoptr(StriaeConsultation) c = striae_consultation_new ();
  g_autoptr(StriaeArea) area = striae_area_new (STRIAE_BODY_SITE_THIGHS);
  StriaePlan *plan = striae_consultation_get_plan (c);
  g_autoptr(GError) error = NULL;

  striae_consultation_set_patient_id (c, patient);
  striae_consultation_set_date (c, date);
  striae_consultation_set_practitioner (c, "Dr Bench");
  for (guint q = 0; q < STRIAE_N_QUESTIONS; q++)
    striae_history_set_answer (striae_consultation_get_history (c), q, STRIAE_ANSWER_NO);
  for (guint f = 0; f < STRIAE_N_SKIN_FACTS; f++)
    striae_skin_set_fact (striae_consultation_get_skin (c), f, STRIAE_ANSWER_NO);
  striae_skin_set_fitzpatrick (striae_consultation_get_skin (c), 3);
  striae_area_set_side (area, STRIAE_SIDE_LEFT);
  striae_area_set_severity (area, STRIAE_SEVERITY_MODERATE);
  striae_area_set_mark_type (area, STRIAE_MARK_TYPE_ALBAE);
  striae_area_set_depth (area, 1.0);
  striae_consultation_add_area (c, area);
  striae_plan_set_device (plan, STRIAE_DEVICE_PEN);
  striae_plan_set_sessions (plan, 3);
  striae_plan_set_interval_weeks (plan, 4);
  striae_plan_set_first_session (plan, date);
  striae_consultation_set_status (c, STRIAE_CONSULTATION_STATUS_COMPLETE);
  if (!striae_store_save_consultation (store, c, "Dr Bench", &error) ||
      !striae_store_sign_consultation (store, striae_consultation_get_id (c), "Dr Bench",
                                       &error))
    g_error ("%s", error->message);
  return g_steal_pointer (&c);
}

/* The records of the benchmark in @dir: the patient's number. */
static gint64
make_records (const char *dir,
              int         count)
{
  g_autofree char *path = g_build_filename (dir, "striae.db", NULL);
  g_autoptr(StriaeStore) store = NULL;
  g_autoptr(StriaeConsultation) consultation = NULL;
  g_autoptr(GBytes) jpeg = striae_bench_make_photo (PHOTO_W, PHOTO_H, 90);
  g_autoptr(GError) error = NULL;
  gint64 patient;
  GDate date;

  store = striae_store_open (path, &error);
  if (store == NULL)
    g_error ("%s", error->message);
  striae_bench_day (&date);
  patient = striae_bench_add_patient (store);
  consultation = add_consultation (store, patient, &date);
  for (int i = 0; i < count; i++)
    {
      g_autoptr(StriaePhoto) photo = NULL;

      photo = striae_store_add_photo (store, striae_consultation_get_id (consultation), 0,
                                      STRIAE_BODY_SITE_THIGHS, STRIAE_SIDE_LEFT,
                                      STRIAE_PHOTO_MOMENT_CONSULTATION, jpeg, &error);
      if (photo == NULL)
        g_error ("%s", error->message);
    }
  return patient;
}

/* The patient of records kept from an earlier run (--keep), 0 when there are none. */
static gint64
find_records (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "striae.db", NULL);
  g_autoptr(StriaeStore) store = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return 0;
  store = striae_store_open (path, &error);
  if (store != NULL)
    ids = striae_store_search_patients (store, "Benchmark", 1, &error);
  if (ids == NULL)
    g_error ("%s", error->message);
  if (ids->len == 0)
    g_error ("%s holds no benchmark patient", path);
  return g_array_index (ids, gint64, 0);
}

/* Timing, in the process of one renderer */

typedef struct
{
  GtkWidget *window;
  GtkStack  *stack;
  gint64     start;
  gint64     start_cpu;      /* the UI thread's CPU time at the start, in µs */
  double     first_cpu_ms;   /* the UI thread's CPU time until the first frame */
  double     setup_ms;       /* the calls that ask for the page (or the floor's grid) */
  double     first_ms;       /* the first frame with tiles, -1 until then */
  double     thumbnails_ms;  /* every tile in view with its thumbnail, -1 until then */
  guint      tiles;
  guint      frames;         /* frames painted since the window was shown */
} Run;

static GtkWidget *
find_grid (GtkWidget *widget)
{
  if (GTK_IS_GRID_VIEW (widget))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_grid (c);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Whether a grid on the screen shows a tile: a cell mapped with a widget in it. */
static gboolean
shows_tiles (GtkWidget *window,
             guint     *n_tiles)
{
  GtkWidget *grid = find_grid (window);
  gboolean shown = FALSE;

  *n_tiles = 0;
  if (grid == NULL || !gtk_widget_get_mapped (grid))
    return FALSE;
  for (GtkWidget *cell = gtk_widget_get_first_child (grid); cell != NULL;
       cell = gtk_widget_get_next_sibling (cell))
    {
      GtkWidget *tile = gtk_widget_get_first_child (cell);

      if (tile == NULL)
        continue;
      (*n_tiles)++;
      shown = shown || gtk_widget_get_mapped (tile);
    }
  return shown;
}

/* Whether every page tile in the scrolled window's view has its thumbnail. */
static gboolean
thumbnails_shown (GtkWidget *window)
{
  GtkWidget *grid = find_grid (window);
  GtkWidget *view = gtk_widget_get_parent (grid);
  int height = gtk_widget_get_height (view);

  for (GtkWidget *cell = gtk_widget_get_first_child (grid); cell != NULL;
       cell = gtk_widget_get_next_sibling (cell))
    {
      GtkWidget *tile = gtk_widget_get_first_child (cell);
      graphene_rect_t bounds;

      if (tile == NULL || !STRIAE_IS_PHOTO_TILE (tile) || !gtk_widget_get_mapped (tile) ||
          !gtk_widget_compute_bounds (tile, view, &bounds))
        continue;
      if (bounds.origin.y + bounds.size.height <= 0 || bounds.origin.y >= height)
        continue;
      if (striae_photo_tile_get_thumbnail (STRIAE_PHOTO_TILE (tile)) == NULL)
        return FALSE;
    }
  return TRUE;
}

/* The UI thread's CPU time: what the first frame cost, whatever else the machine runs. */
static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static void
after_paint_cb (GdkFrameClock *clock,
                Run           *run)
{
  double ms = (g_get_monotonic_time () - run->start) / 1000.0;

  run->frames++;
  if (run->start == 0)
    return;
  if (run->first_ms < 0 && shows_tiles (run->window, &run->tiles))
    {
      run->first_ms = ms;
      run->first_cpu_ms = (thread_cpu_us () - run->start_cpu) / 1000.0;
    }
  if (run->first_ms >= 0 && run->thumbnails_ms < 0 && thumbnails_shown (run->window))
    run->thumbnails_ms = ms;
}

static void
wait_for (gboolean (*done) (Run *run),
          Run       *run)
{
  gint64 end = g_get_monotonic_time () + PATIENCE;

  while (!done (run))
    {
      if (g_get_monotonic_time () > end)
        g_error ("No frame came within %d s", (int) (PATIENCE / G_TIME_SPAN_SECOND));
      g_main_context_iteration (NULL, TRUE);
    }
}

static gboolean
window_painted (Run *run)
{
  return run->frames > 0;
}

static gboolean
grid_painted (Run *run)
{
  return run->first_ms >= 0;
}

static gboolean
thumbnails_done (Run *run)
{
  return run->thumbnails_ms >= 0;
}

/* A window with a stack showing a stand-in for the patient's page, painted once. */
static void
run_start (Run *run)
{
  GdkFrameClock *clock;

  *run = (Run) { .first_ms = -1, .thumbnails_ms = -1 };
  run->window = gtk_window_new ();
  run->stack = GTK_STACK (gtk_stack_new ());
  gtk_stack_add_named (run->stack, gtk_label_new ("The patient"), "patient");
  gtk_window_set_default_size (GTK_WINDOW (run->window), WIDTH, HEIGHT);
  gtk_window_set_child (GTK_WINDOW (run->window), GTK_WIDGET (run->stack));
  gtk_window_present (GTK_WINDOW (run->window));
  clock = gtk_widget_get_frame_clock (run->window);
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), run);
  /* The first paint of the bare window: after it, the clock starts. */
  wait_for (window_painted, run);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
run_finish (Run *run)
{
  gtk_window_destroy (GTK_WINDOW (run->window));
  for (int i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
}

/* The page as the window's Photos shows it: made, given the records, opened on the patient,
 * then shown. */
static void
run_page (Run           *run,
          StriaeStore   *store,
          StriaePatient *patient)
{
  GtkWidget *page;

  run_start (run);
  run->start_cpu = thread_cpu_us ();
  run->start = g_get_monotonic_time ();
  page = striae_photos_page_new ();
  striae_photos_page_set_store (STRIAE_PHOTOS_PAGE (page), store);
  gtk_stack_add_named (run->stack, page, "photos");
  striae_photos_page_open (STRIAE_PHOTOS_PAGE (page), patient);
  gtk_stack_set_visible_child_name (run->stack, "photos");
  run->setup_ms = (g_get_monotonic_time () - run->start) / 1000.0;
  wait_for (grid_painted, run);
  wait_for (thumbnails_done, run);
}

static void
floor_setup_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item)
{
  GtkWidget *picture = gtk_picture_new ();

  gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
  gtk_widget_set_size_request (picture, 144, 144);
  gtk_list_item_set_child (item, picture);
}

static void
floor_bind_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item)
{
  gtk_picture_set_paintable (GTK_PICTURE (gtk_list_item_get_child (item)),
                             gtk_list_item_get_item (item));
}

/* The floor: a bare grid of the textures, each in a picture the size of a page's tile. */
static void
run_floor (Run        *run,
           GListModel *textures)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkSelectionModel *selection;
  GtkWidget *scroller;
  GtkWidget *grid;

  run_start (run);
  run->start_cpu = thread_cpu_us ();
  run->start = g_get_monotonic_time ();
  g_signal_connect (factory, "setup", G_CALLBACK (floor_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (floor_bind_cb), NULL);
  selection = GTK_SELECTION_MODEL (gtk_single_selection_new (g_object_ref (textures)));
  grid = gtk_grid_view_new (selection, factory);
  gtk_grid_view_set_max_columns (GTK_GRID_VIEW (grid), 8);
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), grid);
  gtk_stack_add_named (run->stack, scroller, "photos");
  gtk_stack_set_visible_child_name (run->stack, "photos");
  run->setup_ms = (g_get_monotonic_time () - run->start) / 1000.0;
  wait_for (grid_painted, run);
  /* The floor's tiles have their textures from the first frame. */
  run->thumbnails_ms = run->first_ms;
}

/* The same thumbnails as textures, read and decoded before any clock starts. */
static GListModel *
read_textures (StriaeStore *store,
               GPtrArray   *photos)
{
  GListStore *textures = g_list_store_new (GDK_TYPE_TEXTURE);

  for (guint i = 0; i < photos->len; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GdkTexture) texture = NULL;

      bytes = striae_store_get_photo_thumbnail (store,
                                                striae_photo_get_id (photos->pdata[i]),
                                                &error);
      if (bytes != NULL)
        texture = gdk_texture_new_from_bytes (bytes, &error);
      if (texture == NULL)
        g_error ("%s", error->message);
      g_list_store_append (textures, texture);
    }
  return G_LIST_MODEL (textures);
}

static void
append_run (Run    *run,
            GArray *setup,
            GArray *first,
            GArray *cpu,
            GArray *thumbnails)
{
  g_array_append_val (setup, run->setup_ms);
  g_array_append_val (first, run->first_ms);
  g_array_append_val (cpu, run->first_cpu_ms);
  g_array_append_val (thumbnails, run->thumbnails_ms);
}

static int
time_renderer (const char *dir,
               gint64      patient_id,
               int         runs)
{
  g_autofree char *path = g_build_filename (dir, "striae.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(StriaeStore) store = NULL;
  g_autoptr(StriaePatient) patient = NULL;
  g_autoptr(GPtrArray) photos = NULL;
  g_autoptr(GListModel) textures = NULL;
  g_autoptr(GArray) page_first = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) page_thumbnails = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) floor_first = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) floor_thumbnails = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) page_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) page_setup = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) floor_setup = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) floor_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  guint page_tiles = 0, floor_tiles = 0;
  double page_ms, floor_ms, page_cpu_ms, floor_cpu_ms;
  Run run;

  gtk_init ();
  adw_init ();
  store = striae_store_open (path, &error);
  if (store == NULL)
    g_error ("%s", error->message);
  patient = striae_store_get_patient (store, patient_id, &error);
  photos = striae_store_list_patient_photos (store, patient_id, &error);
  if (patient == NULL || photos == NULL)
    g_error ("%s", error->message);
  textures = read_textures (store, photos);

  /* One untimed run of each: fonts, icons, the CSS and the renderer's caches filled. */
  run_page (&run, store, patient);
  run_finish (&run);
  run_floor (&run, textures);
  run_finish (&run);

  for (int i = 0; i < runs; i++)
    for (int k = 0; k < 2; k++)
      {
        /* Alternating, and which goes first alternates too, so that a busy moment of the
         * machine falls on both. */
        if ((i + k) % 2 == 0)
          {
            run_page (&run, store, patient);
            append_run (&run, page_setup, page_first, page_cpu, page_thumbnails);
            page_tiles = run.tiles;
          }
        else
          {
            run_floor (&run, textures);
            append_run (&run, floor_setup, floor_first, floor_cpu, floor_thumbnails);
            floor_tiles = run.tiles;
          }
        run_finish (&run);
      }

  page_ms = striae_bench_median_of (page_first);
  floor_ms = striae_bench_median_of (floor_first);
  printf ("GSK_RENDERER=%s: %u photos of one area, a window of %d × %d, median of %d "
          "alternating runs\n", g_getenv ("GSK_RENDERER"), photos->len, WIDTH, HEIGHT, runs);
  printf ("  photos page, first frame   %8.1f ms  (target %.0f ms: %s; runs %.0f–%.0f ms)\n",
          page_ms, TARGET_MS, page_ms <= TARGET_MS ? "met" : "NOT met",
          g_array_index (page_first, double, 0),
          g_array_index (page_first, double, page_first->len - 1));
  printf ("  floor: bare GtkGridView    %8.1f ms  (runs %.0f–%.0f ms)\n", floor_ms,
          g_array_index (floor_first, double, 0),
          g_array_index (floor_first, double, floor_first->len - 1));
  printf ("  ratio to the floor         %8.2f×\n", page_ms / floor_ms);
  printf ("  of which asking for it     %8.1f ms  (floor %.1f ms; the rest is layout and "
          "drawing)\n", striae_bench_median_of (page_setup), striae_bench_median_of (floor_setup));
  page_cpu_ms = striae_bench_median_of (page_cpu);
  floor_cpu_ms = striae_bench_median_of (floor_cpu);
  printf ("  UI thread's CPU to it      %8.1f ms  (floor %.1f ms: %.2f×)\n", page_cpu_ms,
          floor_cpu_ms, page_cpu_ms / floor_cpu_ms);
  printf ("  page, thumbnails in view   %8.1f ms  (the floor has them in its first frame)\n",
          striae_bench_median_of (page_thumbnails));
  printf ("  tiles made                 %8u      (floor %u)\n", page_tiles, floor_tiles);
  g_clear_object (&store);
  return 0;
}

/* Runs this program again for @renderer on the records in @dir. */
static void
spawn_renderer (const char *self_path,
                const char *renderer,
                const char *dir,
                gint64      patient_id,
                int         runs)
{
  g_autofree char *patient = g_strdup_printf ("%" G_GINT64_FORMAT, patient_id);
  g_autofree char *count = g_strdup_printf ("%d", runs);
  const char *argv[] = { self_path, "--renderer", renderer, "--records", dir,
                         "--patient", patient, "--runs", count, NULL };
  g_auto(GStrv) env = g_environ_setenv (g_get_environ (), "GSK_RENDERER", renderer, TRUE);
  g_autoptr(GError) error = NULL;
  int status = 0;

  fflush (stdout);
  if (!g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL,
                     &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    printf ("GSK_RENDERER=%s: could not run here (%s)\n", renderer, error->message);
  printf ("\n");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *renderer = NULL;
  g_autofree char *records = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *keys = NULL;
  g_autofree char *self_path = NULL;
  g_autofree char *keep = NULL;
  gint64 patient_id = 0;
  int runs = 7;
  int count = 500;
  GOptionEntry entries[] = {
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Runs of each to take the median of (7)", "N" },
    { "count", 0, 0, G_OPTION_ARG_INT, &count, "Photos of the patient (500)", "N" },
    { "keep", 0, 0, G_OPTION_ARG_FILENAME, &keep,
      "Keep the records in DIR (reused when they exist there)", "DIR" },
    { "renderer", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &renderer, NULL, NULL },
    { "records", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME, &records, NULL, NULL },
    { "patient", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT64, &patient_id, NULL, NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || runs < 1 || count < 1)
    {
      g_printerr ("bench-photo-grid: %s\n",
                  error ? error->message : "--runs and --count must be 1 or more");
      return EXIT_FAILURE;
    }
  if (renderer != NULL && records != NULL)
    return time_renderer (records, patient_id, runs);

  if (keep != NULL)
    dir = g_strdup (keep);
  else
    dir = g_dir_make_tmp ("striae-bench-photo-grid-XXXXXX", &error);
  if (dir == NULL || g_mkdir_with_parents (dir, 0700) != 0)
    g_error ("Could not make the records' folder: %s", error ? error->message : dir);
  /* Audit keys in a folder of this run, never in the user's keyring; settings in memory. */
  keys = g_build_filename (dir, "keys", NULL);
  g_setenv ("STRIAE_AUDIT_KEY_DIR", keys, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", FALSE);
  patient_id = find_records (dir);
  if (patient_id == 0)
    patient_id = make_records (dir, count);

  self_path = g_file_read_link ("/proc/self/exe", NULL);
  spawn_renderer (self_path != NULL ? self_path : argv[0], "cairo", dir, patient_id, runs);
  spawn_renderer (self_path != NULL ? self_path : argv[0], "gl", dir, patient_id, runs);
  if (keep == NULL)
    striae_bench_remove_tree (dir);
  else
    printf ("The records are in %s (patient %" G_GINT64_FORMAT ").\n", dir, patient_id);
  return 0;
}
