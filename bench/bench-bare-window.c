/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The floor of the start-up benchmark (bench/bench-startup): a bare AdwApplicationWindow, at
 * Striae's default size, holding a GtkListView of N label rows in a scrolled window. After
 * the first frame painted with a row on screen it prints the time since STRIAE_BENCH_T0
 * (nanoseconds of CLOCK_REALTIME, set just before the process starts) and ends at once when
 * STRIAE_EXIT_AFTER_FIRST_FRAME=1, exactly as Striae does; without it, it stays (for RSS).
 *
 * The model holds --rows strings (200: more than a screenful); a larger one only costs the
 * floor the time to fill it, which a lazy model (Striae's) does not pay.
 *
 *   STRIAE_EXIT_AFTER_FIRST_FRAME=1 STRIAE_BENCH_T0=$(date +%s%N) \
 *     _build/bench/bench-bare-window [--rows N]
 */
#include <adwaita.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static int rows = 200;

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item)
{
  gtk_list_item_set_child (item, gtk_label_new (NULL));
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item)
{
  GtkStringObject *string = gtk_list_item_get_item (item);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)),
                      gtk_string_object_get_string (string));
}

static void
after_paint_cb (GdkFrameClock *clock,
                GtkWidget     *list)
{
  const char *t0 = g_getenv ("STRIAE_BENCH_T0");
  GtkWidget *row = gtk_widget_get_first_child (list);

  if (row == NULL || !gtk_widget_get_mapped (row) ||
      g_strcmp0 (g_getenv ("STRIAE_EXIT_AFTER_FIRST_FRAME"), "1") != 0)
    return;
  fprintf (stderr, "first frame: %.3f s\n",
           t0 != NULL ? (g_get_real_time () * 1000.0 - g_ascii_strtod (t0, NULL)) / 1e9 : -1);
  fflush (stderr);
  _exit (0);
}

static void
realize_cb (GtkWidget *window,
            GtkWidget *list)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (after_paint_cb), list);
}

static void
activate_cb (GApplication *app)
{
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (app));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkStringList *strings = gtk_string_list_new (NULL);
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkWidget *list;

  for (int i = 0; i < rows; i++)
    {
      g_autofree char *text = g_strdup_printf ("Patient %d", i);

      gtk_string_list_append (strings, text);
    }
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), NULL);
  list = gtk_list_view_new (GTK_SELECTION_MODEL (gtk_single_selection_new (
                              G_LIST_MODEL (strings))), factory);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), list);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (box), scrolled);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  g_signal_connect (window, "realize", G_CALLBACK (realize_cb), list);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) app = NULL;

  for (int i = 1; i + 1 < argc; i++)
    if (g_str_equal (argv[i], "--rows"))
      rows = atoi (argv[i + 1]);

  app = adw_application_new ("io.github.striae.BenchBareWindow", G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), NULL);
  return g_application_run (G_APPLICATION (app), 1, argv);
}
