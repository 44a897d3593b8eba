/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * The names a template may use, passed to the loader so that a typo in a clinic's template
 * is caught when it is loaded, not when a patient reads a blank.  striae_sheet_default_facts()
 * is the core's list of named facts (striae_facts_get_all()); the facts below are those the
 * shipped templates use.
 *
 * Placeholders (values are plain text supplied by the caller):
 *   patient.name, patient.birth_date   the patient, as printed in the header
 *   sheet.date                         the date the sheet is printed for
 *   clinic.name, clinic.address, clinic.phone, clinic.email
 *   practitioner.name                  who treats or supervises
 *   plan.treatment                     e.g. "Microneedling" or "Radiofrequency microneedling"
 *   plan.areas                         e.g. "abdomen and thighs"
 *   plan.needle_depth                  e.g. "1.0 mm"
 *   plan.sessions                      number of planned sessions, e.g. "4"
 *   plan.interval                      e.g. "4 to 6 weeks"
 *   plan.first_date, plan.next_date    dates already formatted for the patient
 *   plan.maintenance                   e.g. "every 4 to 6 months"
 *
 * Facts (true or false for one patient and plan):
 *   pih-risk          higher risk of pigment change (Fitzpatrick IV–VI or earlier PIH)
 *   anticoagulants    blood thinners or a bleeding disorder
 *   rf                radiofrequency microneedling is planned
 *   numbing-cream     numbing cream will be used
 *   no-numbing-cream  no numbing cream (allergy to local anaesthetics)
 *   minor             the patient is under 18 (guardian consent)
 *   striae-albae      mature, white marks
 *   striae-rubrae     new, red or purple marks
 *   retinoids         topical retinoids or exfoliating acids in use
 *   herpes-history    cold sores in or near the area
 *   prp               platelet-rich plasma is planned
 *   serum             a serum is applied during treatment
 *   sensitive-skin    sensitive skin
 *   slow-healing      diabetes, immunosuppression or other slow wound healing
 *   metal-allergy     allergy to nickel or other metals
 *   maintenance       this is a maintenance session after a finished course
 */

const char * const *striae_sheet_default_placeholders (void);
const char * const *striae_sheet_default_facts        (void);
const char * const *striae_sheet_template_names       (void);

G_END_DECLS
