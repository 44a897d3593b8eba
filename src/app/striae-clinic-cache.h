/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "striae-sheet-composer.h"
#include "striae-store.h"

G_BEGIN_DECLS

gboolean  striae_clinic_cache_store_sheet  (StriaeStore   *store,
                                            const char    *name,
                                            const char    *language,
                                            const char    *text,
                                            const char    *practitioner,
                                            GError       **error);
gboolean  striae_clinic_cache_load_folder  (StriaeStore   *store,
                                            const char    *folder,
                                            const char    *practitioner,
                                            guint         *n_loaded,
                                            GError       **error);
char     *striae_clinic_cache_write        (StriaeStore   *store,
                                            StriaeClinic  *clinic,
                                            const char    *dir,
                                            char         **logo_path,
                                            GError       **error);
gboolean  striae_clinic_cache_in_records   (StriaeStore   *store);
gboolean  striae_clinic_cache_sheets_in_records (StriaeStore  *store);
StriaeClinic *striae_clinic_cache_dup_settings_clinic (GSettings *settings);
gboolean  striae_clinic_cache_adopt        (StriaeStore   *store,
                                            GSettings     *settings,
                                            GError       **error);
StriaeClinic *striae_clinic_cache_load     (StriaeStore   *store,
                                            GSettings     *settings,
                                            GError       **error);
StriaeClinicSettings *striae_clinic_cache_dup_settings (StriaeStore   *store,
                                                        GSettings     *settings,
                                                        char         **override_dir,
                                                        GError       **error);
StriaeClinicSettings *striae_clinic_cache_peek_settings (StriaeStore   *store,
                                                         GSettings     *settings,
                                                         GError       **error);
GStrv     striae_clinic_cache_dup_practitioners (StriaeStore  *store,
                                                 GSettings    *settings);
void      striae_clinic_cache_remember_practitioner (StriaeStore  *store,
                                                     GSettings    *settings,
                                                     const char   *name);
void      striae_clinic_cache_read_lock_minutes_async  (StriaeStore          *store,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
guint     striae_clinic_cache_read_lock_minutes_finish (StriaeStore          *store,
                                                        GAsyncResult         *result,
                                                        GError              **error);

G_END_DECLS
