/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The kinds of damage striae_store_check_audit() tells apart. */
typedef enum
{
  STRIAE_AUDIT_DAMAGE_EDITED,               /* a row no longer matches its seal */
  STRIAE_AUDIT_DAMAGE_REMOVED,              /* a gap in the entry numbers */
  STRIAE_AUDIT_DAMAGE_REORDERED,            /* a row sealed for another place in the log */
  STRIAE_AUDIT_DAMAGE_CUT,                  /* the log ends before the head kept outside */
  STRIAE_AUDIT_DAMAGE_FORGED,               /* seals made without the key (rewritten or added) */
  STRIAE_AUDIT_DAMAGE_EMPTIED,              /* every entry was deleted */
  STRIAE_AUDIT_DAMAGE_BROKEN_BEFORE_KEYING, /* the old SHA-256 chain was broken when keyed */
  STRIAE_AUDIT_DAMAGE_UNCHECKABLE,          /* sealed with a key this account does not hold */
  STRIAE_AUDIT_DAMAGE_NO_HEAD,              /* the head kept outside the database is gone */
} StriaeAuditDamage;

#define STRIAE_AUDIT_N_DAMAGES (STRIAE_AUDIT_DAMAGE_NO_HEAD + 1)

#define STRIAE_TYPE_AUDIT_REPORT (striae_audit_report_get_type ())

/* What a check of the audit log found: for each kind of damage, whether it was found and the
 * first entry (and for some kinds the last entry) concerned. */
G_DECLARE_FINAL_TYPE (StriaeAuditReport, striae_audit_report, STRIAE, AUDIT_REPORT, GObject)

gint64    striae_audit_report_get_n_entries   (StriaeAuditReport *self);
gboolean  striae_audit_report_is_intact       (StriaeAuditReport *self);
gboolean  striae_audit_report_has             (StriaeAuditReport *self,
                                               StriaeAuditDamage  damage);
gint64    striae_audit_report_get_first_entry (StriaeAuditReport *self,
                                               StriaeAuditDamage  damage);
gint64    striae_audit_report_get_last_entry  (StriaeAuditReport *self,
                                               StriaeAuditDamage  damage);
gboolean  striae_audit_report_is_plain_sha256 (StriaeAuditReport *self);
char     *striae_audit_report_describe        (StriaeAuditReport *self,
                                               StriaeAuditDamage  damage);
char     *striae_audit_report_describe_all    (StriaeAuditReport *self);

G_END_DECLS
