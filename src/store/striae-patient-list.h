/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "striae-store.h"

G_BEGIN_DECLS

#define STRIAE_TYPE_PATIENT_LIST (striae_patient_list_get_type ())

/* A GListModel of StriaePatient for the patients matching a search, best first. It holds
 * only the ids; patients are loaded from the store when asked for, and a few hundred are
 * kept. It reloads by itself when the store reports a change. */
G_DECLARE_FINAL_TYPE (StriaePatientList, striae_patient_list, STRIAE, PATIENT_LIST, GObject)

StriaePatientList *striae_patient_list_new        (StriaeStore       *store);
StriaeStore       *striae_patient_list_get_store  (StriaePatientList *self);
const char        *striae_patient_list_get_query  (StriaePatientList *self);
void               striae_patient_list_set_query  (StriaePatientList *self,
                                                   const char        *text);
gboolean           striae_patient_list_get_archived (StriaePatientList *self);
void               striae_patient_list_set_archived (StriaePatientList *self,
                                                    gboolean           archived);
gboolean           striae_patient_list_get_loading (StriaePatientList *self);
const char        *striae_patient_list_get_problem (StriaePatientList *self);
void               striae_patient_list_reload     (StriaePatientList *self);
gint64             striae_patient_list_get_id     (StriaePatientList *self,
                                                   guint              position);

G_END_DECLS
