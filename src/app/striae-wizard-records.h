/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "striae-consultation.h"
#include "striae-store.h"

G_BEGIN_DECLS

#define STRIAE_TYPE_WIZARD_RECORDS (striae_wizard_records_get_type ())

/* The wizard's view of the store's consultations: the few calls it needs, a save that runs
 * in a worker thread, and signing as one step (the store signs only a complete revision).
 * A draft's save also records the wizard page it is on, to resume it there. Saves and
 * signatures are refused when another computer changed or signed the consultation since it
 * was read (STRIAE_STORE_ERROR_CONFLICT, STRIAE_STORE_ERROR_LOCKED); the wizard's own saves,
 * copies made before the last one finished included, never meet as a conflict.
 * The store itself notifies the patient list ("patients-changed") after every change. */
G_DECLARE_FINAL_TYPE (StriaeWizardRecords, striae_wizard_records, STRIAE, WIZARD_RECORDS, GObject)

StriaeWizardRecords *striae_wizard_records_new         (StriaeStore         *store);
StriaeStore         *striae_wizard_records_get_store   (StriaeWizardRecords *self);
GPtrArray           *striae_wizard_records_list        (StriaeWizardRecords *self,
                                                        gint64               patient_id,
                                                        GError             **error);
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
char                *striae_wizard_records_dup_resume_page
                                                       (StriaeWizardRecords *self,
                                                        gint64               consultation_id);
gboolean             striae_wizard_records_sign        (StriaeWizardRecords *self,
                                                        StriaeConsultation  *consultation,
                                                        const char          *practitioner,
                                                        GError             **error);
gboolean             striae_wizard_records_sign_not_treated
                                                       (StriaeWizardRecords *self,
                                                        StriaeConsultation  *consultation,
                                                        const char          *practitioner,
                                                        const char          *reason,
                                                        const GDate         *see_again,
                                                        GError             **error);
gboolean             striae_wizard_records_keep_as_new_draft
                                                       (StriaeWizardRecords *self,
                                                        StriaeConsultation  *consultation,
                                                        const char          *page,
                                                        GError             **error);
StriaeConsultation  *striae_wizard_records_amend       (StriaeWizardRecords *self,
                                                        StriaeConsultation  *consultation,
                                                        const char          *practitioner,
                                                        const char          *reason,
                                                        GError             **error);

G_END_DECLS
