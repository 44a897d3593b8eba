/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "striae-resources.h"

G_BEGIN_DECLS

/* The compiled resources live in a static library: a widget that loads a template refers to
 * the bundle so that the linker keeps it, and its constructor registers it. */
static inline void
striae_app_ensure_resources (void)
{
  g_assert (striae_get_resource () != NULL);
}

G_END_DECLS
