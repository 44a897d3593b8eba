/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Removes @path: a folder with everything in it (a link inside is removed, not followed), or
 * a file. What is not there is no error. */
void striae_test_remove_tree (const char *path);

G_END_DECLS
