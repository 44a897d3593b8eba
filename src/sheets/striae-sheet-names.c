/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "striae-sheet-names.h"

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

/* Each fact comes from the consultation: the screening answers ([contra]), the skin type
 * ([skin]) and the plan ([plan]) in CLINICAL.md. */
static const char * const default_facts[] = {
  "pih-risk",          /* [skin] Fitzpatrick IV–VI, or earlier PIH */
  "anticoagulants",    /* [contra] relative: bleeding and bruising */
  "rf",                /* [plan] radiofrequency: burn risk */
  "numbing-cream",     /* [plan] topical anaesthetic before the session */
  "no-numbing-cream",  /* [contra] allergy to local anaesthetics */
  "minor",             /* [contra] under 18: guardian consent */
  "striae-albae",      /* [striae] mature white marks improve less and more slowly */
  "striae-rubrae",     /* [striae] new red marks respond best */
  "retinoids",         /* [contra] pause topical retinoids and acids before treatment */
  "herpes-history",    /* [contra] antiviral prophylaxis */
  "prp",               /* [plan] platelet-rich plasma */
  "serum",             /* [plan] serum applied during treatment */
  "sensitive-skin",    /* [contra] relative */
  "slow-healing",      /* [contra] diabetes, immunosuppression */
  "metal-allergy",     /* [contra] nickel: check needle material */
  "maintenance",       /* [course] maintenance session after the course */
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
 * Returns: (transfer none): the fact names conditions may test
 */
const char * const *
striae_sheet_default_facts (void)
{
  return default_facts;
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
