/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What every benchmark does around its figures: sorting times, taking their median, and
 * removing the temporary folder it made. */

/* Orders two doubles, for qsort() and g_array_sort(). */
int     striae_bench_compare_doubles (gconstpointer  a,
                                      gconstpointer  b);
/* The median of the @n values (at least one), which it sorts in place. */
double  striae_bench_median          (double        *values,
                                      gsize          n);
/* The same for an array of doubles. */
double  striae_bench_median_of       (GArray        *values);
/* Removes @path with everything in it, as far as it can (links removed, not followed): a
 * benchmark's own temporary folder, which nothing else holds. */
void    striae_bench_remove_tree     (const char    *path);

G_END_DECLS
