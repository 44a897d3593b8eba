/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "striae-store.h"

G_BEGIN_DECLS

/* One set-up for the window tests: a records folder of the test's own with the records in
 * it, one patient (Inès Moreau, born 2 April 1991, unless the test names another), a signed
 * course of treatment, and the window the test looks at; torn down with the records checked
 * for leaks and the folder removed. A test embeds it in its fixture (or uses it as one):
 *
 *   striae_test_window_set_up (&fixture->records, "striae-day");
 *   striae_test_window_add_patient (&fixture->records, NULL, NULL);
 *   striae_test_window_add_course (&fixture->records, STRIAE_SIDE_NOT_APPLICABLE);
 *   striae_test_window_show (&fixture->records, page, 720, 1000);
 *   …
 *   striae_test_window_tear_down (&fixture->records);
 *
 * With STRIAE_SCREENSHOT_DIR set, striae_test_window_save_png() keeps a PNG of a window or a
 * widget there, to look at; without it, it does nothing. STRIAE_KEEP_TMP=1 keeps the records
 * (their path is printed). */

typedef struct
{
  char               *dir;
  char               *path;           /* the records file in @dir */
  StriaeStore        *store;
  StriaePatient      *patient;        /* the latest striae_test_window_add_patient() */
  StriaeConsultation *consultation;   /* the latest striae_test_window_add_course(), stored */
  GtkWindow          *window;         /* striae_test_window_show() or _show_main() */
  gboolean            kept;           /* the folder stays (striae_test_window_set_up_in()) */
} StriaeTestWindow;

/* A folder named after @prefix and new records in it, without any account. */
void                striae_test_window_set_up       (StriaeTestWindow  *tw,
                                                     const char        *prefix);
/* The same in the folder @dir (made when missing), which the tear-down leaves in place, with
 * the test's administrator (tests/striae-test-app.h) signed in: for records that another
 * program opens afterwards (the AT-SPI walks). */
void                striae_test_window_set_up_in    (StriaeTestWindow  *tw,
                                                     const char        *dir);
/* Destroys the window, checks that nothing else holds the records, and removes the folder
 * with everything in it. */
void                striae_test_window_tear_down    (StriaeTestWindow  *tw);

/* Adds a patient named @given Moreau, born on @birth_date (YYYY-MM-DD); %NULL for Inès,
 * 1991-04-02. Returns it (@tw holds it). */
StriaePatient      *striae_test_window_add_patient  (StriaeTestWindow  *tw,
                                                     const char        *given,
                                                     const char        *birth_date);
/* The signed course of striae_test_store_add_signed_course() (tests/striae-test-store.h) for
 * the latest patient, the thighs on @side. Returns it as stored (@tw holds it). */
StriaeConsultation *striae_test_window_add_course   (StriaeTestWindow  *tw,
                                                     StriaeSide         side);

/* A plain window of @width × @height holding @child, presented. */
void                striae_test_window_show         (StriaeTestWindow  *tw,
                                                     GtkWidget         *child,
                                                     int                width,
                                                     int                height);
/* The application's main window on the records, @width × @height, presented. */
GtkWindow          *striae_test_window_show_main    (StriaeTestWindow  *tw,
                                                     int                width,
                                                     int                height);

/* Runs the main context for @ms milliseconds. */
void                striae_test_spin                (guint              ms);
/* @widget's minimum width and height. */
void                striae_test_measure_minimum     (GtkWidget         *widget,
                                                     int               *width,
                                                     int               *height);
/* @widget (a window or a widget in one) drawn as it is now into the file @name in
 * STRIAE_SCREENSHOT_DIR; nothing without it. */
void                striae_test_window_save_png     (GtkWidget         *widget,
                                                     const char        *name);

G_END_DECLS
