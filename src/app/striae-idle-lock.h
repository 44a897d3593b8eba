/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The monotonic time in microseconds, as g_get_monotonic_time() gives it; tests give their
 * own so that five minutes pass without waiting. */
typedef gint64 (*StriaeClockFunc) (gpointer user_data);

#define STRIAE_TYPE_IDLE_LOCK (striae_idle_lock_get_type ())

/* When the windows lock: after a clinic-set idle time without input in them, and at once when
 * the desktop locks. */
G_DECLARE_FINAL_TYPE (StriaeIdleLock, striae_idle_lock, STRIAE, IDLE_LOCK, GObject)

StriaeIdleLock *striae_idle_lock_new            (void);
gboolean        striae_idle_lock_get_locked     (StriaeIdleLock  *self);
void            striae_idle_lock_lock           (StriaeIdleLock  *self);
void            striae_idle_lock_unlock         (StriaeIdleLock  *self);
guint           striae_idle_lock_get_minutes    (StriaeIdleLock  *self);
void            striae_idle_lock_set_minutes    (StriaeIdleLock  *self,
                                                 guint            minutes);
void            striae_idle_lock_set_clock      (StriaeIdleLock  *self,
                                                 StriaeClockFunc  now,
                                                 gpointer         user_data);
void            striae_idle_lock_note_activity  (StriaeIdleLock  *self);
gint64          striae_idle_lock_get_idle_time  (StriaeIdleLock  *self);
gboolean        striae_idle_lock_check          (StriaeIdleLock  *self);
void            striae_idle_lock_watch_window   (StriaeIdleLock  *self,
                                                 GtkWindow       *window);
void            striae_idle_lock_watch_desktop  (StriaeIdleLock  *self);
gboolean        striae_idle_lock_get_watching_desktop (StriaeIdleLock *self);

G_END_DECLS
