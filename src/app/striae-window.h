/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "striae-application.h"
#include "striae-lock-page.h"
#include "striae-day-page.h"
#include "striae-patient-page.h"
#include "striae-batch-page.h"
#include "striae-recalls-page.h"
#include "striae-store.h"
#include "striae-wizard.h"

G_BEGIN_DECLS

#define STRIAE_TYPE_WINDOW (striae_window_get_type ())

G_DECLARE_FINAL_TYPE (StriaeWindow, striae_window, STRIAE, WINDOW, AdwApplicationWindow)

StriaeWindow      *striae_window_new              (StriaeApplication *application,
                                                   StriaeStore       *store);
StriaeStore       *striae_window_get_store        (StriaeWindow      *self);
GListModel        *striae_window_get_patients     (StriaeWindow      *self);
gboolean           striae_window_get_show_archived (StriaeWindow *self);
void               striae_window_set_show_archived (StriaeWindow *self,
                                                    gboolean      show_archived);
StriaePatientPage *striae_window_get_patient_page (StriaeWindow      *self);
StriaeDayPage     *striae_window_get_day_page     (StriaeWindow      *self);
StriaeRecallsPage *striae_window_get_recalls_page (StriaeWindow      *self);
StriaeBatchPage   *striae_window_get_batch_page   (StriaeWindow      *self);
StriaeWizard      *striae_window_get_wizard       (StriaeWindow      *self);
gboolean           striae_window_show_patient     (StriaeWindow      *self,
                                                   gint64             id,
                                                   GError           **error);
void               striae_window_add_toast        (StriaeWindow      *self,
                                                   const char        *title);
void               striae_window_lock             (StriaeWindow      *self);
void               striae_window_unlock           (StriaeWindow      *self,
                                                   gboolean           same_account);
gboolean           striae_window_get_locked       (StriaeWindow      *self);
StriaeLockPage    *striae_window_get_lock_page    (StriaeWindow      *self);
void               striae_window_show_setup       (StriaeWindow      *self,
                                                   GtkWidget         *page);
void               striae_window_end_setup        (StriaeWindow      *self);
GtkWidget         *striae_window_get_setup_page   (StriaeWindow      *self);

G_END_DECLS
