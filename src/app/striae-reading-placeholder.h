/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define STRIAE_TYPE_READING_PLACEHOLDER (striae_reading_placeholder_get_type ())

G_DECLARE_FINAL_TYPE (StriaeReadingPlaceholder, striae_reading_placeholder, STRIAE,
                      READING_PLACEHOLDER, AdwBin)

GtkWidget  *striae_reading_placeholder_new        (void);
const char *striae_reading_placeholder_get_label  (StriaeReadingPlaceholder *self);
void        striae_reading_placeholder_set_label  (StriaeReadingPlaceholder *self,
                                                   const char               *label);
gboolean    striae_reading_placeholder_get_active (StriaeReadingPlaceholder *self);
void        striae_reading_placeholder_set_active (StriaeReadingPlaceholder *self,
                                                   gboolean                  active);
gboolean    striae_reading_placeholder_get_shown  (StriaeReadingPlaceholder *self);

G_END_DECLS
