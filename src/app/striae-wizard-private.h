/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "striae-consultation-session.h"
#include "striae-areas-page-private.h"
#include "striae-history-page-private.h"
#include "striae-plan-page-private.h"
#include "striae-skin-page-private.h"
#include "striae-summary-page.h"
#include "striae-wizard.h"

G_BEGIN_DECLS

/* The wizard's parts, for its own files (striae-wizard.c, striae-wizard-actions.c). */
struct _StriaeWizard
{
  AdwBin                     parent_instance;

  GtkLabel                  *patient_label;
  GtkBox                    *steps_box;
  GtkDropDown               *steps_dropdown;
  GtkInfoBar                *save_error_bar;
  GtkLabel                  *save_error_label;
  GtkRevealer               *screening_revealer;
  GtkLabel                  *screening_label;
  AdwToastOverlay           *toast_overlay;
  GtkScrolledWindow         *scroller;
  GtkStack                  *stack;
  AdwActionRow              *name_row;
  AdwActionRow              *birth_row;
  AdwEntryRow               *date_row;
  StriaeHistoryPage         *history_page;
  StriaeSkinPage            *skin_page;
  StriaeAreasPage           *areas_page;
  StriaePlanPage            *plan_page;
  StriaeSummaryPage         *summary_page;
  GtkLabel                  *step_label;
  GtkWidget                 *next_button;

  GtkWidget                 *step_buttons [STRIAE_WIZARD_N_PAGES];
  GtkWidget                 *step_icons [STRIAE_WIZARD_N_PAGES];
  GtkStringList             *step_names;

  StriaeConsultationSession *session;

  guint                      current;
  guint                      visited;

  /* Asks what to keep when another computer changed the consultation (weak). */
  AdwMessageDialog          *conflict_dialog;

  /* The electronic signature (striae-wizard-signature.c): the check of the password under
   * way (NULL: none), and what the password asked for signs (a reason: not treated). */
  GCancellable              *signature_check;
  char                      *signature_reason;
  GDate                      signature_see_again;
};

void _striae_wizard_class_actions_init (StriaeWizardClass *klass);
void _striae_wizard_go_to              (StriaeWizard      *self,
                                        guint              index);
void _striae_wizard_emit_closed        (StriaeWizard      *self);
void _striae_wizard_refresh            (StriaeWizard      *self);
void _striae_wizard_conflict_cb        (StriaeWizard      *self);
int  _striae_wizard_find_page          (const char        *page);
gboolean _striae_wizard_sign           (StriaeWizard      *self,
                                        const char        *name,
                                        const char        *not_treated_reason,
                                        const GDate       *see_again,
                                        GError           **error);
void _striae_wizard_present_not_treated (StriaeWizard     *self,
                                         const char       *reason,
                                         const GDate      *see_again,
                                         const char       *problem);
gboolean _striae_wizard_needs_signature (StriaeWizard     *self);
void _striae_wizard_ask_signature      (StriaeWizard      *self,
                                        const char        *reason,
                                        const GDate       *see_again,
                                        const char        *problem);

/* For the tests: what the wizard shows, and the session it shows. */
StriaeConsultationSession *striae_wizard_get_session         (StriaeWizard *self);
gboolean                   striae_wizard_is_page_complete    (StriaeWizard *self,
                                                              const char   *page);
gboolean                   striae_wizard_is_saving           (StriaeWizard *self);
GtkWidget                 *striae_wizard_get_page_widget     (StriaeWizard *self,
                                                              const char   *page);
GtkWidget                 *striae_wizard_get_step_button     (StriaeWizard *self,
                                                              const char   *page);
GtkLabel                  *striae_wizard_get_patient_label   (StriaeWizard *self);
GtkLabel                  *striae_wizard_get_screening_label (StriaeWizard *self);

G_END_DECLS
