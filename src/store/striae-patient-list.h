/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "striae-store.h"

G_BEGIN_DECLS

#define STRIAE_TYPE_PATIENT_LIST (striae_patient_list_get_type ())

/* The rows the list asks for at a time. */
#define STRIAE_PATIENT_LIST_PAGE_SIZE 200

/* The rows of a search's first page unless the list is told its own ("first-page-size"):
 * more than a tall screen shows (about 50 px a row), and no more, since GTK 4.8's list view
 * makes and binds a row for each item up to 200 before it draws. */
#define STRIAE_PATIENT_LIST_FIRST_PAGE_SIZE 64

/* A GListModel of StriaePatient for the patients matching a search, best first. It holds
 * the rows of the search (StriaePatientSummary), a page at a time: the first when the query
 * changes, the next when an item near the end is asked for, appended with "items-changed".
 * Its items are made from those rows alone, without asking the store: a patient with its
 * id, names and date of birth and nothing else (load the record with
 * striae_store_get_patient() to show or change more); a few hundred are kept. The draft flag
 * of a row is striae_patient_list_get_has_draft(). It reloads by itself when the store
 * reports a change. */
G_DECLARE_FINAL_TYPE (StriaePatientList, striae_patient_list, STRIAE, PATIENT_LIST, GObject)

StriaePatientList *striae_patient_list_new        (StriaeStore       *store);
StriaeStore       *striae_patient_list_get_store  (StriaePatientList *self);
guint              striae_patient_list_get_first_page_size (StriaePatientList *self);
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
const StriaePatientSummary *
                   striae_patient_list_get_row    (StriaePatientList *self,
                                                   guint              position);
gboolean           striae_patient_list_get_has_draft (StriaePatientList *self,
                                                      guint              position);
gboolean           striae_patient_list_get_complete (StriaePatientList *self);
gint64             striae_patient_list_get_matches (StriaePatientList *self);

G_END_DECLS
