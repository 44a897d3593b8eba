/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *striae_sheet_pick_language     (const char *wanted,
                                      const char *fallback,
                                      const char *override_dir);
char *striae_sheet_language_dup_name (const char *code);

G_END_DECLS
