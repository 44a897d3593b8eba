/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "striae-sheet-names.h"

#include "striae-recommendation.h"

static const char * const default_placeholders[] = {
  "patient.name",
  "patient.birth_date",
  "sheet.date",
  "clinic.name",
  "clinic.address",
  "clinic.phone",
  "clinic.email",
  "practitioner.name",
  "plan.treatment",
  "plan.areas",
  "plan.needle_depth",
  "plan.sessions",
  "plan.interval",
  "plan.first_date",
  "plan.next_date",
  "plan.maintenance",
  NULL
};

static const char * const template_names[] = {
  "pre-treatment",
  "aftercare",
  "consent",
  NULL
};

/**
 * striae_sheet_default_placeholders:
 *
 * Returns: (transfer none): the placeholder names the shipped templates may use
 */
const char * const *
striae_sheet_default_placeholders (void)
{
  return default_placeholders;
}

/**
 * striae_sheet_default_facts:
 *
 * Returns: (transfer none): the fact names conditions may test: the core's named facts
 *   (striae_facts_get_all())
 */
const char * const *
striae_sheet_default_facts (void)
{
  static const char **facts = NULL;

  /* The facts are the core's named facts, so that a template cannot test a fact the core
   * never computes and the two lists cannot drift apart. */
  if (g_once_init_enter (&facts))
    {
      const StriaeFactInfo *info;
      const char **names;
      guint n_facts = 0;

      info = striae_facts_get_all (&n_facts);
      names = g_new0 (const char *, n_facts + 1);
      for (guint i = 0; i < n_facts; i++)
        names[i] = info[i].name;
      g_once_init_leave (&facts, names);
    }

  return (const char * const *) facts;
}

/**
 * striae_sheet_template_names:
 *
 * Returns: (transfer none): the names of the shipped templates
 */
const char * const *
striae_sheet_template_names (void)
{
  return template_names;
}
