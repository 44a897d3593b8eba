/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "striae-consultation.h"
#include "striae-patient.h"
#include "striae-signature-pad.h"
#include "striae-store.h"

G_BEGIN_DECLS

#define STRIAE_TYPE_CONSENT_DIALOG (striae_consent_dialog_get_type ())

G_DECLARE_FINAL_TYPE (StriaeConsentDialog, striae_consent_dialog, STRIAE, CONSENT_DIALOG,
                      AdwWindow)

StriaeConsentDialog *striae_consent_dialog_new            (GtkWindow           *parent,
                                                           StriaeStore         *store,
                                                           GSettings           *settings,
                                                           StriaePatient       *patient,
                                                           StriaeConsultation  *consultation,
                                                           GError             **error);
StriaeSignaturePad  *striae_consent_dialog_get_pad        (StriaeConsentDialog *self,
                                                           StriaeConsentSigner  signer);
gboolean             striae_consent_dialog_is_signed      (StriaeConsentDialog *self,
                                                           StriaeConsentSigner  signer);
const char          *striae_consent_dialog_get_consent_hash (StriaeConsentDialog *self);

G_END_DECLS
