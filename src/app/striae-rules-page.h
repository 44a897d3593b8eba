/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "striae-store.h"

G_BEGIN_DECLS

#define STRIAE_TYPE_RULES_PAGE (striae_rules_page_get_type ())

/* Preferences → Rules: the clinic's rule settings (CLINICAL.md's defaults a clinic may
 * change): each contraindication's level, the isotretinoin delay, the depth table and the
 * course defaults. Each row shows its default and a "Changed" mark with a reset button when
 * it differs. Every change is saved at once through the store, which audits it.
 *
 * Actions: rules.reset-key (s: a setting key), rules.reset-all (asks first). */
G_DECLARE_FINAL_TYPE (StriaeRulesPage, striae_rules_page, STRIAE, RULES_PAGE,
                      AdwPreferencesPage)

StriaeRulesPage *striae_rules_page_new             (StriaeStore      *store);
gboolean         striae_rules_page_set_value       (StriaeRulesPage  *self,
                                                    const char       *key,
                                                    double            value,
                                                    GError          **error);
void             striae_rules_page_reset_all       (StriaeRulesPage  *self);
gboolean         striae_rules_page_is_saving       (StriaeRulesPage  *self);
GtkWidget       *striae_rules_page_get_row         (StriaeRulesPage  *self,
                                                    const char       *key);
GtkWidget       *striae_rules_page_get_changed_mark (StriaeRulesPage *self,
                                                     const char      *key);
GtkWidget       *striae_rules_page_get_reset_button (StriaeRulesPage *self,
                                                     const char      *key);
GtkWidget       *striae_rules_page_get_editor      (StriaeRulesPage  *self,
                                                    const char       *key);

G_END_DECLS
