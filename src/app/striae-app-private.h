/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "striae-resources.h"
#include "striae-store.h"

G_BEGIN_DECLS

/* The compiled resources live in a static library: a widget that loads a template refers to
 * the bundle so that the linker keeps it, and its constructor registers it. */
static inline void
striae_app_ensure_resources (void)
{
  g_assert (striae_get_resource () != NULL);
}

/* Whether the window offers what needs @right (issue 16): not when the records say the
 * account at work may not (STRIAE_STORE_ERROR_NOT_ALLOWED). When they cannot tell now (a
 * clinic server out of reach), it is offered, and the records refuse it with their own
 * sentence if need be. Without records, nothing is refused. */
static inline gboolean
striae_app_offers (StriaeStore *store,
                   StriaeRight  right)
{
  g_autoptr(GError) error = NULL;

  if (store == NULL || striae_store_may (store, right, &error))
    return TRUE;
  return !g_error_matches (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_ALLOWED);
}

static inline void
striae_app_drop_focus_cb (AdwMessageDialog *dialog,
                          const char       *response,
                          gpointer          data)
{
  gtk_window_set_focus (GTK_WINDOW (dialog), NULL);
}

/* A message dialog with entry rows lets go of the focus when answered, before it closes:
 * libadwaita 1.2's entry rows follow their window's focus, and one that still held it heard
 * of it from the half-disposed dialog (a crash, after typing a password and pressing Sign). */
static inline void
striae_app_dialog_drops_focus (AdwMessageDialog *dialog)
{
  g_signal_connect (dialog, "response", G_CALLBACK (striae_app_drop_focus_cb), NULL);
}

G_END_DECLS
