/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "striae-records-page.h"
#include "striae-store.h"

G_BEGIN_DECLS

#define STRIAE_LOGO_MAX_BYTES (4 * 1024 * 1024)

#define STRIAE_TYPE_PREFERENCES (striae_preferences_get_type ())

/* The clinic's settings (GSettings io.github.striae.Striae): name, address, phone, e-mail,
 * logo, practitioners, paper size and default sheet language; where the records are
 * (StriaeRecordsPage); with a store, also the clinic's rules (StriaeRulesPage). Every change
 * is saved at once, except where the records are, which is saved once they opened. */
G_DECLARE_FINAL_TYPE (StriaePreferences, striae_preferences, STRIAE, PREFERENCES,
                      AdwPreferencesWindow)

StriaePreferences *striae_preferences_new        (GtkWindow          *parent);
gboolean           striae_preferences_set_logo   (StriaePreferences  *self,
                                                  const char         *path,
                                                  GError            **error);
gboolean           striae_preferences_load_sheets (StriaePreferences  *self,
                                                   const char         *folder,
                                                   GError            **error);
void               striae_preferences_set_store  (StriaePreferences  *self,
                                                  StriaeStore        *store);
GtkWidget         *striae_preferences_get_rules_page (StriaePreferences *self);
StriaeRecordsPage *striae_preferences_get_records_page (StriaePreferences *self);
void               striae_preferences_show_records (StriaePreferences *self,
                                                    const char        *problem);
gboolean           striae_preferences_get_clinic_read_only (StriaePreferences *self);
gboolean           striae_check_logo_file        (const char         *path,
                                                  GError            **error);

G_END_DECLS
