/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "striae-store.h"

G_BEGIN_DECLS

#define STRIAE_TYPE_SIGNATURE_PROMPT (striae_signature_prompt_get_type ())

G_DECLARE_FINAL_TYPE (StriaeSignaturePrompt, striae_signature_prompt, STRIAE, SIGNATURE_PROMPT,
                      AdwMessageDialog)

StriaeSignaturePrompt *striae_signature_prompt_new          (GtkWidget             *parent,
                                                             StriaeStore           *store,
                                                             const char            *heading,
                                                             const char            *problem);
StriaeStore           *striae_signature_prompt_get_store    (StriaeSignaturePrompt *self);
const char            *striae_signature_prompt_get_problem  (StriaeSignaturePrompt *self);
void                   striae_signature_prompt_set_problem  (StriaeSignaturePrompt *self,
                                                             const char            *problem);
void                   striae_signature_prompt_check_async  (StriaeSignaturePrompt *self,
                                                             GCancellable          *cancellable,
                                                             GAsyncReadyCallback    callback,
                                                             gpointer               user_data);
gboolean               striae_signature_prompt_check_finish (StriaeSignaturePrompt *self,
                                                             GAsyncResult          *result,
                                                             GError               **error);

G_END_DECLS
