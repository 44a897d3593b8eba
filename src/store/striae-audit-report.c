/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "striae-store-private.h"

struct _StriaeAuditReport
{
  GObject   parent_instance;

  gint64    n_entries;
  gboolean  found[STRIAE_AUDIT_N_DAMAGES];
  gint64    first[STRIAE_AUDIT_N_DAMAGES];
  gint64    last[STRIAE_AUDIT_N_DAMAGES];
  gboolean  plain_sha256;
};

G_DEFINE_FINAL_TYPE (StriaeAuditReport, striae_audit_report, G_TYPE_OBJECT)

static void
striae_audit_report_class_init (StriaeAuditReportClass *klass)
{
}

static void
striae_audit_report_init (StriaeAuditReport *self)
{
}

StriaeAuditReport *
store_audit_report_new (gint64 n_entries)
{
  StriaeAuditReport *self = g_object_new (STRIAE_TYPE_AUDIT_REPORT, NULL);

  self->n_entries = n_entries;
  return self;
}

/* Records @damage from entry @first to entry @last; found again, the earliest first and the
 * latest last entry are kept. */
void
store_audit_report_add (StriaeAuditReport *self,
                        StriaeAuditDamage  damage,
                        gint64             first,
                        gint64             last)
{
  g_assert (damage < STRIAE_AUDIT_N_DAMAGES);

  if (!self->found[damage])
    {
      self->found[damage] = TRUE;
      self->first[damage] = first;
      self->last[damage] = last;
      return;
    }

  self->first[damage] = MIN (self->first[damage], first);
  self->last[damage] = MAX (self->last[damage], last);
}

void
store_audit_report_set_plain_sha256 (StriaeAuditReport *self)
{
  self->plain_sha256 = TRUE;
}

/* The first entry concerned by any damage; the entry after the last one when the damage
 * concerns none in particular; 0 when intact. */
gint64
store_audit_report_first_damage (StriaeAuditReport *self)
{
  gint64 first = 0;
  gboolean found = FALSE;

  for (guint i = 0; i < STRIAE_AUDIT_N_DAMAGES; i++)
    if (self->found[i])
      {
        found = TRUE;
        if (self->first[i] > 0 && (first == 0 || self->first[i] < first))
          first = self->first[i];
      }

  if (found && first == 0)
    first = self->n_entries + 1;
  return first;
}

/* The number of entries in the log. */
gint64
striae_audit_report_get_n_entries (StriaeAuditReport *self)
{
  g_return_val_if_fail (STRIAE_IS_AUDIT_REPORT (self), 0);

  return self->n_entries;
}

gboolean
striae_audit_report_is_intact (StriaeAuditReport *self)
{
  g_return_val_if_fail (STRIAE_IS_AUDIT_REPORT (self), FALSE);

  for (guint i = 0; i < STRIAE_AUDIT_N_DAMAGES; i++)
    if (self->found[i])
      return FALSE;

  return TRUE;
}

gboolean
striae_audit_report_has (StriaeAuditReport *self,
                         StriaeAuditDamage  damage)
{
  g_return_val_if_fail (STRIAE_IS_AUDIT_REPORT (self), FALSE);
  g_return_val_if_fail (damage < STRIAE_AUDIT_N_DAMAGES, FALSE);

  return self->found[damage];
}

/* The first entry concerned by @damage, 0 when it was not found (and for
 * %STRIAE_AUDIT_DAMAGE_NO_HEAD, which concerns no entry in particular). */
gint64
striae_audit_report_get_first_entry (StriaeAuditReport *self,
                                     StriaeAuditDamage  damage)
{
  g_return_val_if_fail (STRIAE_IS_AUDIT_REPORT (self), 0);
  g_return_val_if_fail (damage < STRIAE_AUDIT_N_DAMAGES, 0);

  return self->found[damage] ? self->first[damage] : 0;
}

gint64
striae_audit_report_get_last_entry (StriaeAuditReport *self,
                                    StriaeAuditDamage  damage)
{
  g_return_val_if_fail (STRIAE_IS_AUDIT_REPORT (self), 0);
  g_return_val_if_fail (damage < STRIAE_AUDIT_N_DAMAGES, 0);

  return self->found[damage] ? self->last[damage] : 0;
}

/* Whether the forged seals are the plain SHA-256 of the chain before keys, which anyone can
 * compute. */
gboolean
striae_audit_report_is_plain_sha256 (StriaeAuditReport *self)
{
  g_return_val_if_fail (STRIAE_IS_AUDIT_REPORT (self), FALSE);

  return self->plain_sha256;
}

/**
 * striae_audit_report_describe:
 *
 * Returns: (nullable): one sentence saying what was found of @damage, or %NULL when it was
 * not found
 */
char *
striae_audit_report_describe (StriaeAuditReport *self,
                              StriaeAuditDamage  damage)
{
  gint64 first, last;

  g_return_val_if_fail (STRIAE_IS_AUDIT_REPORT (self), NULL);
  g_return_val_if_fail (damage < STRIAE_AUDIT_N_DAMAGES, NULL);

  if (!self->found[damage])
    return NULL;

  first = self->first[damage];
  last = self->last[damage];

  switch (damage)
    {
    case STRIAE_AUDIT_DAMAGE_EDITED:
      return g_strdup_printf (_("The audit log was edited outside Striae: entry %" PRId64
                                " no longer matches its seal."), first);
    case STRIAE_AUDIT_DAMAGE_REMOVED:
      return g_strdup_printf (_("Entries were deleted from the audit log: entry %" PRId64
                                " is missing."), first);
    case STRIAE_AUDIT_DAMAGE_REORDERED:
      return g_strdup_printf (_("The audit log was reordered: entry %" PRId64
                                " is not where Striae wrote it."), first);
    case STRIAE_AUDIT_DAMAGE_CUT:
      return g_strdup_printf (_("The end of the audit log was cut off: entry %" PRId64
                                " and those after it, which Striae had written, are gone."),
                              first);
    case STRIAE_AUDIT_DAMAGE_FORGED:
      if (self->plain_sha256)
        return g_strdup_printf (_("The audit log was resealed with plain SHA-256, which "
                                  "anyone can compute, from entry %" PRId64 " on: those "
                                  "seals were not made by Striae."), first);
      return g_strdup_printf (_("The audit log was resealed without its key from entry %"
                                PRId64 " on: those seals were not made by Striae on this "
                                "account."), first);
    case STRIAE_AUDIT_DAMAGE_EMPTIED:
      return g_strdup_printf (_("The audit log was emptied outside Striae: every entry from "
                                "entry %" PRId64 " on was deleted."), first);
    case STRIAE_AUDIT_DAMAGE_BROKEN_BEFORE_KEYING:
      return g_strdup_printf (_("The audit log was already damaged at entry %" PRId64
                                " when Striae sealed it with a new key (on an upgrade or a "
                                "restore to a new place); the entries written before that "
                                "cannot be trusted."), first);
    case STRIAE_AUDIT_DAMAGE_UNCHECKABLE:
      return g_strdup_printf (_("Entries %" PRId64 " to %" PRId64 " of the audit log "
                                "cannot be checked: the key they were sealed with is not on "
                                "this account."), first, last);
    case STRIAE_AUDIT_DAMAGE_NO_HEAD:
      return g_strdup (_("The record of the audit log’s end, kept outside the database, was "
                         "lost, so entries cut off from the end could go unnoticed."));
    default:
      g_assert_not_reached ();
    }
}

/* Every sentence of striae_audit_report_describe(), one a line, in the order of the kinds;
 * "" when intact. */
char *
striae_audit_report_describe_all (StriaeAuditReport *self)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_val_if_fail (STRIAE_IS_AUDIT_REPORT (self), NULL);

  for (guint i = 0; i < STRIAE_AUDIT_N_DAMAGES; i++)
    {
      g_autofree char *sentence = striae_audit_report_describe (self, i);

      if (sentence != NULL)
        g_string_append_printf (text, "%s%s", text->len > 0 ? "\n" : "", sentence);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}
