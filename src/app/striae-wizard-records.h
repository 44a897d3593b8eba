/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "striae-consultation.h"
#include "striae-store.h"

G_BEGIN_DECLS

#define STRIAE_TYPE_WIZARD_RECORDS (striae_wizard_records_get_type ())

/* Where the wizard keeps consultations until the store holds them: one JSON file per
 * revision in a folder beside the database, written atomically. The API is the small one the
 * wizard needs, so that the store's consultation API can replace it in a few lines.
 *
 * Emits "changed" (gint64 patient id) in the main thread after a save. */
G_DECLARE_FINAL_TYPE (StriaeWizardRecords, striae_wizard_records, STRIAE, WIZARD_RECORDS, GObject)

StriaeWizardRecords *striae_wizard_records_new         (const char          *folder);
StriaeWizardRecords *striae_wizard_records_new_for_store (StriaeStore       *store);
const char          *striae_wizard_records_get_folder  (StriaeWizardRecords *self);
GPtrArray           *striae_wizard_records_list        (StriaeWizardRecords *self,
                                                        gint64               patient_id,
                                                        GError             **error);
StriaeConsultation  *striae_wizard_records_get_draft   (StriaeWizardRecords *self,
                                                        gint64               patient_id,
                                                        char               **page);
gboolean             striae_wizard_records_has_draft   (StriaeWizardRecords *self,
                                                        gint64               patient_id);
gboolean             striae_wizard_records_save        (StriaeWizardRecords *self,
                                                        StriaeConsultation  *consultation,
                                                        const char          *page,
                                                        GError             **error);
void                 striae_wizard_records_save_async  (StriaeWizardRecords *self,
                                                        StriaeConsultation  *consultation,
                                                        const char          *page,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean             striae_wizard_records_save_finish (StriaeWizardRecords *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

G_END_DECLS
