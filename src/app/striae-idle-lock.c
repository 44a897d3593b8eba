/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "striae-idle-lock.h"

/* How often the idle time is compared with the limit: a lock comes at most this late. */
#define CHECK_INTERVAL_S 5

/* The clinic's idle time when nobody set one (issue 16): five minutes. */
#define DEFAULT_MINUTES 5

struct _StriaeIdleLock
{
  GObject          parent_instance;

  gboolean         locked;
  guint            minutes;
  StriaeClockFunc  now;
  gpointer         now_data;
  gint64           last_activity;
  guint            check_id;

  GCancellable    *cancellable;
  GDBusConnection *session_bus;
  GDBusConnection *system_bus;
  guint            screensaver_id;
  guint            logind_id;
};

G_DEFINE_FINAL_TYPE (StriaeIdleLock, striae_idle_lock, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LOCKED,
  PROP_MINUTES,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static gint64
monotonic_clock (gpointer user_data)
{
  return g_get_monotonic_time ();
}

static gint64
now (StriaeIdleLock *self)
{
  return self->now (self->now_data);
}

static gboolean
check_cb (gpointer data)
{
  striae_idle_lock_check (STRIAE_IDLE_LOCK (data));
  return G_SOURCE_CONTINUE;
}

/* Only what a person does counts: a window that appears under a resting pointer (enter,
 * focus) is no sign that someone is there. */
static gboolean
input_event_cb (StriaeIdleLock *self,
                GdkEvent       *event)
{
  switch ((int) gdk_event_get_event_type (event))
    {
    case GDK_KEY_PRESS:
    case GDK_KEY_RELEASE:
    case GDK_BUTTON_PRESS:
    case GDK_BUTTON_RELEASE:
    case GDK_MOTION_NOTIFY:
    case GDK_SCROLL:
    case GDK_TOUCH_BEGIN:
    case GDK_TOUCH_UPDATE:
    case GDK_TOUCHPAD_SWIPE:
    case GDK_TOUCHPAD_PINCH:
      striae_idle_lock_note_activity (self);
      break;
    default:
      break;
    }
  return GDK_EVENT_PROPAGATE;
}

static void
screensaver_changed_cb (GDBusConnection *connection,
                        const char      *sender,
                        const char      *path,
                        const char      *interface,
                        const char      *signal,
                        GVariant        *parameters,
                        gpointer         user_data)
{
  gboolean active = FALSE;

  if (g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(b)")))
    g_variant_get (parameters, "(b)", &active);
  if (active)
    striae_idle_lock_lock (STRIAE_IDLE_LOCK (user_data));
}

static void
session_lock_cb (GDBusConnection *connection,
                 const char      *sender,
                 const char      *path,
                 const char      *interface,
                 const char      *signal,
                 GVariant        *parameters,
                 gpointer         user_data)
{
  striae_idle_lock_lock (STRIAE_IDLE_LOCK (user_data));
}

static void
session_bus_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(StriaeIdleLock) self = user_data;
  g_autoptr(GError) error = NULL;
  GDBusConnection *bus = g_bus_get_finish (result, &error);

  if (bus == NULL)
    {
      g_debug ("No session bus, so the desktop’s screen lock is not followed: %s",
               error->message);
      return;
    }
  if (g_cancellable_is_cancelled (self->cancellable))
    {
      g_object_unref (bus);
      return;
    }

  /* Any sender: GNOME Shell owns the name org.gnome.ScreenSaver, other desktops emit the
   * same signal under their own. A signal can only lock, never unlock, so a peer that sends
   * it does no harm. */
  self->session_bus = bus;
  self->screensaver_id =
    g_dbus_connection_signal_subscribe (bus, NULL, "org.gnome.ScreenSaver", "ActiveChanged",
                                        "/org/gnome/ScreenSaver", NULL,
                                        G_DBUS_SIGNAL_FLAGS_NONE, screensaver_changed_cb,
                                        self, NULL);
}

static void
login_session_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(StriaeIdleLock) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  const char *path = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (reply == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No login session, so its lock is not followed: %s", error->message);
      return;
    }

  g_variant_get (reply, "(&o)", &path);
  self->logind_id =
    g_dbus_connection_signal_subscribe (self->system_bus, "org.freedesktop.login1",
                                        "org.freedesktop.login1.Session", "Lock", path, NULL,
                                        G_DBUS_SIGNAL_FLAGS_NONE, session_lock_cb, self, NULL);
}

static void
system_bus_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(StriaeIdleLock) self = user_data;
  g_autoptr(GError) error = NULL;
  GDBusConnection *bus = g_bus_get_finish (result, &error);

  if (bus == NULL)
    {
      g_debug ("No system bus, so the login session’s lock is not followed: %s",
               error->message);
      return;
    }
  if (g_cancellable_is_cancelled (self->cancellable))
    {
      g_object_unref (bus);
      return;
    }

  /* "auto" is the caller's own session; its Lock signal comes from its real object path. */
  self->system_bus = bus;
  g_dbus_connection_call (bus, "org.freedesktop.login1", "/org/freedesktop/login1",
                          "org.freedesktop.login1.Manager", "GetSession",
                          g_variant_new ("(s)", "auto"), G_VARIANT_TYPE ("(o)"),
                          G_DBUS_CALL_FLAGS_NO_AUTO_START, -1, self->cancellable,
                          login_session_cb, g_object_ref (self));
}

static void
striae_idle_lock_dispose (GObject *object)
{
  StriaeIdleLock *self = (StriaeIdleLock *)object;

  g_clear_handle_id (&self->check_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->screensaver_id != 0)
    g_dbus_connection_signal_unsubscribe (self->session_bus, self->screensaver_id);
  self->screensaver_id = 0;
  if (self->logind_id != 0)
    g_dbus_connection_signal_unsubscribe (self->system_bus, self->logind_id);
  self->logind_id = 0;
  g_clear_object (&self->session_bus);
  g_clear_object (&self->system_bus);

  G_OBJECT_CLASS (striae_idle_lock_parent_class)->dispose (object);
}

static void
striae_idle_lock_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  StriaeIdleLock *self = STRIAE_IDLE_LOCK (object);

  switch (prop_id)
    {
    case PROP_LOCKED:
      g_value_set_boolean (value, self->locked);
      break;
    case PROP_MINUTES:
      g_value_set_uint (value, self->minutes);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_idle_lock_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  StriaeIdleLock *self = STRIAE_IDLE_LOCK (object);

  switch (prop_id)
    {
    case PROP_MINUTES:
      striae_idle_lock_set_minutes (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_idle_lock_class_init (StriaeIdleLockClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = striae_idle_lock_dispose;
  object_class->get_property = striae_idle_lock_get_property;
  object_class->set_property = striae_idle_lock_set_property;

  /* Whether the windows show no patient and ask for a password. */
  properties [PROP_LOCKED] =
    g_param_spec_boolean ("locked", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));
  /* The idle time after which the windows lock: the GSettings key lock-after-minutes, which
   * has no "never" (automatic logoff, HIPAA §164.312(a)(2)(iii)). */
  properties [PROP_MINUTES] =
    g_param_spec_uint ("minutes", NULL, NULL, 1, 60, DEFAULT_MINUTES,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
striae_idle_lock_init (StriaeIdleLock *self)
{
  self->minutes = DEFAULT_MINUTES;
  self->now = monotonic_clock;
  self->last_activity = now (self);
  self->check_id = g_timeout_add_seconds (CHECK_INTERVAL_S, check_cb, self);
}

StriaeIdleLock *
striae_idle_lock_new (void)
{
  return g_object_new (STRIAE_TYPE_IDLE_LOCK, NULL);
}

gboolean
striae_idle_lock_get_locked (StriaeIdleLock *self)
{
  g_return_val_if_fail (STRIAE_IS_IDLE_LOCK (self), FALSE);
  return self->locked;
}

void
striae_idle_lock_lock (StriaeIdleLock *self)
{
  g_return_if_fail (STRIAE_IS_IDLE_LOCK (self));

  if (self->locked)
    return;
  self->locked = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_LOCKED]);
}

/* Called once the password was checked: the idle time starts again from now. */
void
striae_idle_lock_unlock (StriaeIdleLock *self)
{
  g_return_if_fail (STRIAE_IS_IDLE_LOCK (self));

  self->last_activity = now (self);
  if (!self->locked)
    return;
  self->locked = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_LOCKED]);
}

guint
striae_idle_lock_get_minutes (StriaeIdleLock *self)
{
  g_return_val_if_fail (STRIAE_IS_IDLE_LOCK (self), 0);
  return self->minutes;
}

void
striae_idle_lock_set_minutes (StriaeIdleLock *self,
                              guint           minutes)
{
  g_return_if_fail (STRIAE_IS_IDLE_LOCK (self));
  g_return_if_fail (minutes >= 1);

  if (self->minutes == minutes)
    return;
  self->minutes = minutes;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_MINUTES]);
}

/* Replaces the clock (NULL: the monotonic one); the idle time starts from its "now". */
void
striae_idle_lock_set_clock (StriaeIdleLock  *self,
                            StriaeClockFunc  now_func,
                            gpointer         user_data)
{
  g_return_if_fail (STRIAE_IS_IDLE_LOCK (self));

  self->now = now_func != NULL ? now_func : monotonic_clock;
  self->now_data = now_func != NULL ? user_data : NULL;
  self->last_activity = now (self);
}

/* Someone used a window: the idle time starts again. Input on the lock page unlocks
 * nothing. */
void
striae_idle_lock_note_activity (StriaeIdleLock *self)
{
  g_return_if_fail (STRIAE_IS_IDLE_LOCK (self));

  if (!self->locked)
    self->last_activity = now (self);
}

/* Microseconds since the last input, by the lock's clock. */
gint64
striae_idle_lock_get_idle_time (StriaeIdleLock *self)
{
  g_return_val_if_fail (STRIAE_IS_IDLE_LOCK (self), 0);
  return now (self) - self->last_activity;
}

/* Locks when nobody used a window for the set minutes; the lock's own timer calls it every
 * few seconds. Returns whether the windows are locked. */
gboolean
striae_idle_lock_check (StriaeIdleLock *self)
{
  g_return_val_if_fail (STRIAE_IS_IDLE_LOCK (self), FALSE);

  if (!self->locked &&
      striae_idle_lock_get_idle_time (self) >= (gint64) self->minutes * 60 * G_USEC_PER_SEC)
    striae_idle_lock_lock (self);
  return self->locked;
}

/* Counts the keyboard, pointer and touch input of @window, before any widget in it takes
 * it (the capture phase), so that typing into a field counts as well. */
void
striae_idle_lock_watch_window (StriaeIdleLock *self,
                               GtkWindow      *window)
{
  GtkEventController *controller;

  g_return_if_fail (STRIAE_IS_IDLE_LOCK (self));
  g_return_if_fail (GTK_IS_WINDOW (window));

  controller = gtk_event_controller_legacy_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "event", G_CALLBACK (input_event_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (window), controller);
}

/* Locks at once when the desktop locks: the session's org.gnome.ScreenSaver ActiveChanged
 * signal, and logind's Lock of this login session (loginctl lock-session). Either bus may be
 * absent (a sandbox, a test): then only a debug line says so. */
void
striae_idle_lock_watch_desktop (StriaeIdleLock *self)
{
  g_return_if_fail (STRIAE_IS_IDLE_LOCK (self));

  if (self->cancellable != NULL)
    return;
  self->cancellable = g_cancellable_new ();
  g_bus_get (G_BUS_TYPE_SESSION, self->cancellable, session_bus_cb, g_object_ref (self));
  g_bus_get (G_BUS_TYPE_SYSTEM, self->cancellable, system_bus_cb, g_object_ref (self));
}

/* Whether the screen saver's signal is listened to now (tests wait for it). */
gboolean
striae_idle_lock_get_watching_desktop (StriaeIdleLock *self)
{
  g_return_val_if_fail (STRIAE_IS_IDLE_LOCK (self), FALSE);
  return self->screensaver_id != 0;
}
