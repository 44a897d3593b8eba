/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "striae-consultation-session.h"

G_BEGIN_DECLS

#define STRIAE_TYPE_WIZARD_PAGE (striae_wizard_page_get_type ())

/* A page of the consultation wizard: it shows the consultation of its "session" (given at
 * construction; a page built on its own gets an empty session of its own) and writes into it.
 * The session tells the page through load_consultation() when it opens a consultation,
 * another or the same again. */
G_DECLARE_DERIVABLE_TYPE (StriaeWizardPage, striae_wizard_page, STRIAE, WIZARD_PAGE, AdwBin)

struct _StriaeWizardPageClass
{
  AdwBinClass parent_class;

  void (*load_consultation) (StriaeWizardPage   *self,
                             StriaeConsultation *consultation);
};

StriaeConsultationSession *striae_wizard_page_get_session (StriaeWizardPage *self);

G_END_DECLS
