/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "striae-patient-summary.h"

G_DEFINE_BOXED_TYPE (StriaePatientSummary, striae_patient_summary,
                     striae_patient_summary_copy, striae_patient_summary_free)

StriaePatientSummary *
striae_patient_summary_new (void)
{
  return g_new0 (StriaePatientSummary, 1);
}

StriaePatientSummary *
striae_patient_summary_copy (const StriaePatientSummary *summary)
{
  StriaePatientSummary *copy;

  g_return_val_if_fail (summary != NULL, NULL);

  copy = g_memdup2 (summary, sizeof *summary);
  copy->given_name = g_strdup (summary->given_name);
  copy->family_name = g_strdup (summary->family_name);
  copy->birth_date = g_strdup (summary->birth_date);
  copy->sort_key = g_strdup (summary->sort_key);
  return copy;
}

void
striae_patient_summary_free (StriaePatientSummary *summary)
{
  if (summary == NULL)
    return;

  g_free (summary->given_name);
  g_free (summary->family_name);
  g_free (summary->birth_date);
  g_free (summary->sort_key);
  g_free (summary);
}
