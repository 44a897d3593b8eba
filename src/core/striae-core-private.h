/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "striae-date.h"

G_BEGIN_DECLS

/* Helpers shared by the core's model files; not part of the public API. */

char       *striae_core_normalize_text    (const char   *text);
gboolean    striae_core_set_text          (GObject      *object,
                                           char        **field,
                                           const char   *value,
                                           GParamSpec   *pspec);
const char *striae_core_enum_to_nick      (GType         type,
                                           int           value);
gboolean    striae_core_enum_from_nick    (GType         type,
                                           const char   *nick,
                                           int          *value);
gboolean    striae_core_is_quarter_mm     (double        mm);

G_END_DECLS
