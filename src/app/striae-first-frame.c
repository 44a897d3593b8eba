/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "striae-first-frame.h"

/* A benchmark switch (issue 15, bench/bench-startup): with STRIAE_EXIT_AFTER_FIRST_FRAME=1,
 * the first frame painted that shows patient rows, or a status page (no patients yet, no
 * match), prints the time since the process started on standard error, and the application
 * then quits as Ctrl+Q quits it. The records close cleanly, as after a person's day: a start
 * after one that ended without closing them (as by a crash) checks the whole file before its
 * first write, the sign-in's audit row, and every timed start would pay that (seconds at a
 * million patients) where no person's start after a quit does. Nothing after the print
 * counts, as nothing after bench/bench-bare-window's print does for the floor.
 * The time counts from STRIAE_BENCH_T0 (nanoseconds of CLOCK_REALTIME, set by the benchmark
 * just before it starts the process) when given, else from the process's start as the
 * kernel counts it (to a clock tick). Without the variable nothing here runs. */

gboolean
striae_first_frame_requested (void)
{
  return g_strcmp0 (g_getenv ("STRIAE_EXIT_AFTER_FIRST_FRAME"), "1") == 0;
}

/* Seconds since the process started. */
static double
seconds_since_start (void)
{
  const char *t0 = g_getenv ("STRIAE_BENCH_T0");
  g_autofree char *stat = NULL;
  g_autofree char *uptime = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after_name;

  if (t0 != NULL && t0[0] != '\0')
    return (g_get_real_time () * 1000.0 - g_ascii_strtod (t0, NULL)) / 1e9;

  /* Field 22 of /proc/self/stat, after the command name in parentheses, in clock ticks
   * since boot. */
  if (!g_file_get_contents ("/proc/self/stat", &stat, NULL, NULL) ||
      !g_file_get_contents ("/proc/uptime", &uptime, NULL, NULL) ||
      (after_name = strrchr (stat, ')')) == NULL)
    return -1;
  fields = g_strsplit (after_name + 2, " ", -1);
  if (g_strv_length (fields) < 20)
    return -1;
  return g_ascii_strtod (uptime, NULL) -
         g_ascii_strtod (fields[19], NULL) / sysconf (_SC_CLK_TCK);
}

/* The first list on screen in @widget's tree, or %NULL. */
static GtkWidget *
find_shown_list (GtkWidget *widget)
{
  if (!gtk_widget_get_mapped (widget))
    return NULL;
  if (GTK_IS_LIST_VIEW (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *list = find_shown_list (child);

      if (list != NULL)
        return list;
    }
  return NULL;
}

/* Whether @list has a row on screen. */
static gboolean
shows_row (GtkWidget *list)
{
  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (gtk_widget_get_mapped (row) && gtk_widget_get_first_child (row) != NULL)
      return TRUE;
  return FALSE;
}

/* Whether @widget, or a widget inside it, is a status page on screen. */
static gboolean
shows_status_page (GtkWidget *widget)
{
  if (!gtk_widget_get_mapped (widget))
    return FALSE;
  if (ADW_IS_STATUS_PAGE (widget))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows_status_page (child))
      return TRUE;
  return FALSE;
}

/* Whether @window shows its content: the register's rows once it shows the list (the status
 * page beside it, "choose a patient", is not the register's content), else a status page
 * (no patients yet, no match, the sign-in or set-up page). */
static gboolean
shows_content (GtkWidget *window)
{
  GtkWidget *list = find_shown_list (window);

  return list != NULL ? shows_row (list) : shows_status_page (window);
}

static gboolean
quit_cb (gpointer data)
{
  GApplication *app = g_application_get_default ();

  if (app == NULL || !g_action_group_has_action (G_ACTION_GROUP (app), "quit"))
    _exit (0);
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  return G_SOURCE_REMOVE;
}

static void
after_paint_cb (GdkFrameClock *clock,
                GtkWidget     *window)
{
  if (!shows_content (window))
    return;

  fprintf (stderr, "first frame: %.3f s\n", seconds_since_start ());
  fflush (stderr);
  /* One print; the windows close after this frame's handlers. */
  g_signal_handlers_disconnect_by_func (clock, after_paint_cb, window);
  g_idle_add (quit_cb, NULL);
}

static void
realize_cb (GtkWidget *window)
{
  g_signal_connect_object (gtk_widget_get_frame_clock (window), "after-paint",
                           G_CALLBACK (after_paint_cb), window, 0);
}

/* A step of the start-up (issue 15, the timeline of a start against a clinic server): with
 * STRIAE_BENCH_TIMELINE=1, "timeline: SECONDS WHAT" on standard error, the seconds counted
 * as the first frame's are. Without the variable nothing is printed. */
void
striae_first_frame_mark (const char *what)
{
  g_return_if_fail (what != NULL);

  if (g_strcmp0 (g_getenv ("STRIAE_BENCH_TIMELINE"), "1") != 0)
    return;
  fprintf (stderr, "timeline: %.3f s %s\n", seconds_since_start (), what);
  fflush (stderr);
}

/* Watches @window's frames when the switch is on. */
void
striae_first_frame_watch (GtkWindow *window)
{
  g_return_if_fail (GTK_IS_WINDOW (window));

  if (!striae_first_frame_requested ())
    return;

  if (gtk_widget_get_realized (GTK_WIDGET (window)))
    realize_cb (GTK_WIDGET (window));
  else
    g_signal_connect (window, "realize", G_CALLBACK (realize_cb), NULL);
}
