/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean  striae_parse_date        (const char   *text,
                                    GDate        *date,
                                    GError      **error);
gboolean  striae_parse_iso_date    (const char   *text,
                                    GDate        *date,
                                    GError      **error);
char     *striae_format_iso_date   (const GDate  *date);
char     *striae_format_local_date (const GDate  *date);

G_END_DECLS
