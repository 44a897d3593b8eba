/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define STRIAE_TYPE_PATIENT_SUMMARY (striae_patient_summary_get_type ())

/* One row of a patient search: what the patient list shows of a patient (names as stored,
 * date of birth, whether a consultation is open as a draft), all read by the query that
 * found the row, so that showing it asks the store nothing; and where the row stands in
 * its search's order (@rank, then @sort_key, then @id), so that the next page starts
 * after it (striae_store_search_rows()). */
typedef struct
{
  gint64    id;
  char     *given_name;
  char     *family_name;
  char     *birth_date;   /* ISO 8601, "" when not known */
  gboolean  has_draft;

  /* The search's order, ascending: the rank (the tier of the match: 0 when every word
   * matches in the names, 1 with the search names, 2 with the phone number or date of birth,
   * 3 with the email address; 0 for everyone of an empty search), the folded names (sort
   * key), the id. */
  double    rank;
  char     *sort_key;
} StriaePatientSummary;

GType                 striae_patient_summary_get_type (void) G_GNUC_CONST;
StriaePatientSummary *striae_patient_summary_new      (void);
StriaePatientSummary *striae_patient_summary_copy     (const StriaePatientSummary *summary);
void                  striae_patient_summary_free     (StriaePatientSummary       *summary);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StriaePatientSummary, striae_patient_summary_free)

G_END_DECLS
