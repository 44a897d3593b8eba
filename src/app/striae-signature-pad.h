/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "striae-consent-signature.h"

G_BEGIN_DECLS

#define STRIAE_TYPE_SIGNATURE_PAD (striae_signature_pad_get_type ())

G_DECLARE_FINAL_TYPE (StriaeSignaturePad, striae_signature_pad, STRIAE, SIGNATURE_PAD, GtkWidget)

GtkWidget              *striae_signature_pad_new           (void);
StriaeConsentSignature *striae_signature_pad_get_signature (StriaeSignaturePad     *self);
void                    striae_signature_pad_set_signature (StriaeSignaturePad     *self,
                                                            StriaeConsentSignature *signature);
gboolean                striae_signature_pad_get_empty     (StriaeSignaturePad     *self);
gboolean                striae_signature_pad_get_locked    (StriaeSignaturePad     *self);
void                    striae_signature_pad_set_locked    (StriaeSignaturePad     *self,
                                                            gboolean                locked);
void                    striae_signature_pad_add_stroke    (StriaeSignaturePad     *self,
                                                            const double           *xy,
                                                            guint                   n_points);

G_END_DECLS
