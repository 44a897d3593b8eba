/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "striae-history.h"

G_BEGIN_DECLS

#define STRIAE_TYPE_WIZARD_ANSWER (striae_wizard_answer_get_type ())

/* Three linked toggle buttons, Yes · No · Unknown, for one question. Notifies "answer".
 * None is pressed while the question is not asked ("not asked" is no answer; "Unknown" is one).
 * One Tab stop (the chosen answer); Left/Right and Up/Down move between the answers; Y, N, U
 * (and the translated labels' initials where they are unambiguous) answer directly. */
G_DECLARE_FINAL_TYPE (StriaeWizardAnswer, striae_wizard_answer, STRIAE, WIZARD_ANSWER, GtkWidget)

GtkWidget    *striae_wizard_answer_new        (void);
StriaeAnswer  striae_wizard_answer_get_answer (StriaeWizardAnswer *self);
void          striae_wizard_answer_set_answer (StriaeWizardAnswer *self,
                                               StriaeAnswer        answer);
GtkWidget    *striae_wizard_answer_get_button (StriaeWizardAnswer *self,
                                               StriaeAnswer        answer);
GtkWidget    *striae_wizard_answer_row_new    (const char         *title,
                                               StriaeWizardAnswer **answer);

G_END_DECLS
