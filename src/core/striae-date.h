/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The model keeps each date as a GDate that is either a valid day or none (cleared, or
 * %NULL where a pointer is passed): getters return `const GDate *`, %NULL for none; setters
 * take `const GDate *`, %NULL for none. Text becomes a date, and a date text, only at the
 * edges (JSON, the store's rows, the forms, the sheets, the command line), through the
 * functions below. */

gboolean     striae_parse_date               (const char   *text,
                                              GDate        *date,
                                              GError      **error);
gboolean     striae_parse_iso_date           (const char   *text,
                                              GDate        *date,
                                              GError      **error);
gboolean     striae_parse_optional_iso_date  (const char   *text,
                                              GDate        *date,
                                              GError      **error);
char        *striae_format_iso_date          (const GDate  *date);
char        *striae_format_optional_iso_date (const GDate  *date);
char        *striae_format_local_date        (const GDate  *date);

const GDate *striae_date_or_null             (const GDate  *date);
gboolean     striae_date_equal               (const GDate  *a,
                                              const GDate  *b);
gboolean     striae_date_assign              (GDate        *field,
                                              const GDate  *value);

G_END_DECLS
