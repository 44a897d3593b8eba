/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "striae-locked-windows.h"
#include "striae-window.h"

/* One window whose content was taken out: put back at the unlock, with its title. */
typedef struct
{
  GtkWindow *window;  /* weak */
  GtkWidget *content;
  char      *title;
} Hidden;

struct _StriaeLockedWindows
{
  GPtrArray *windows;
};

static void
hidden_free (Hidden *hidden)
{
  g_clear_weak_pointer (&hidden->window);
  g_clear_object (&hidden->content);
  g_free (hidden->title);
  g_free (hidden);
}

/* What a window shows instead of its content: its header bar keeps the window's controls. */
static GtkWidget *
locked_placeholder (void)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *status = adw_status_page_new ();

  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), "system-lock-screen-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (status), _("Locked"));
  adw_status_page_set_description (ADW_STATUS_PAGE (status),
                                   _("Sign in again in the main window of Striae to "
                                     "continue."));
  gtk_widget_set_vexpand (status, TRUE);
  gtk_box_append (GTK_BOX (box), status);
  return box;
}

static GtkWidget *
get_content (GtkWindow *window)
{
  if (ADW_IS_WINDOW (window))
    return adw_window_get_content (ADW_WINDOW (window));
  return adw_application_window_get_content (ADW_APPLICATION_WINDOW (window));
}

static void
set_content (GtkWindow *window,
             GtkWidget *content)
{
  if (ADW_IS_WINDOW (window))
    adw_window_set_content (ADW_WINDOW (window), content);
  else
    adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), content);
}

static void
hide_window (StriaeLockedWindows *self,
             GtkWindow           *window)
{
  Hidden *hidden;

  /* A main window locks itself, with its lock page. */
  if (STRIAE_IS_WINDOW (window))
    return;

  /* Dialogs (a question, the print dialog, a file chooser) have no content to keep: closing
   * them is their Cancel, and the action can be started again after the unlock. */
  if (!ADW_IS_WINDOW (window) && !ADW_IS_APPLICATION_WINDOW (window))
    {
      gtk_window_close (window);
      return;
    }

  hidden = g_new0 (Hidden, 1);
  g_set_weak_pointer (&hidden->window, window);
  hidden->title = g_strdup (gtk_window_get_title (window));
  if (get_content (window) != NULL)
    hidden->content = g_object_ref (get_content (window));
  set_content (window, locked_placeholder ());
  /* A sheet preview's title names the patient. */
  gtk_window_set_title (window, _("Striae"));
  g_ptr_array_add (self->windows, hidden);
}

/* Takes the content out of every window of the process but the main windows, and closes the
 * dialogs. Whatever was typed in them stays in memory, out of sight. */
StriaeLockedWindows *
striae_locked_windows_hide (void)
{
  StriaeLockedWindows *self = g_new0 (StriaeLockedWindows, 1);
  GListModel *toplevels = gtk_window_get_toplevels ();
  g_autoptr(GPtrArray) windows = g_ptr_array_new_with_free_func (g_object_unref);

  self->windows = g_ptr_array_new_with_free_func ((GDestroyNotify) hidden_free);
  /* Closing a dialog changes the list: a copy is walked. */
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    g_ptr_array_add (windows, g_list_model_get_item (toplevels, i));
  for (guint i = 0; i < windows->len; i++)
    hide_window (self, windows->pdata[i]);
  return self;
}

/* Puts every hidden window's content and title back, and frees @hidden. */
void
striae_locked_windows_restore (StriaeLockedWindows *hidden)
{
  g_return_if_fail (hidden != NULL);

  for (guint i = 0; i < hidden->windows->len; i++)
    {
      Hidden *window = hidden->windows->pdata[i];

      if (window->window == NULL)
        continue;
      set_content (window->window, window->content);
      gtk_window_set_title (window->window, window->title);
    }
  g_ptr_array_unref (hidden->windows);
  g_free (hidden);
}
