/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>

#include "striae-bench.h"

int
striae_bench_compare_doubles (gconstpointer a,
                              gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

double
striae_bench_median (double *values,
                     gsize   n)
{
  g_assert (n > 0);
  qsort (values, n, sizeof (double), striae_bench_compare_doubles);
  return values[n / 2];
}

double
striae_bench_median_of (GArray *values)
{
  return striae_bench_median ((double *) (gpointer) values->data, values->len);
}

void
striae_bench_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      /* A link is removed, never followed. */
      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        striae_bench_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}
