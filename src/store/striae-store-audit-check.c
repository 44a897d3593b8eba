/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "striae-store-private.h"

/* Checking the audit log (see striae-store-audit.c for how it is sealed). One pass checks
 * each row's seal over the stored seal of the row before it, so that damage stays local:
 *
 *  - a row whose seal fails while its neighbours hold was edited;
 *  - a gap in the ids means rows were removed;
 *  - a failing row whose seal holds at another place (with the seal of the row that belongs
 *    before that place) was moved: the log was reordered;
 *  - failing rows up to the head's entry, when that entry no longer carries the head's seal,
 *    or failing rows after the head, were resealed without the key: forged (and when their
 *    seals are the old plain SHA-256 chain, the report says so);
 *  - a log that ends before the head kept outside was cut; one with no rows left, emptied.
 *
 * Only damaged rows keep their columns in memory; the others keep their id and stored seal,
 * so that 100 000 rows take a few megabytes. */

/* Moved rows are looked for among at most this many damaged rows: the search tries every
 * pair of a damaged row and a free place. */
#define MAX_RELOCATED 64

typedef enum
{
  ROW_SEALED,    /* its seal holds where it is */
  ROW_FAILED,    /* its seal does not hold over the row before it */
  ROW_AFTER_GAP, /* the row before it is missing, so its seal cannot hold */
  ROW_UNKEYED,   /* sealed before the current key */
} RowState;

typedef struct
{
  gint64      id;
  RowState    state;
  gboolean    sha256;       /* its seal is the plain SHA-256 of the chain before keys */
  guint       seal_offset;  /* its stored seal, typed, in Walk.seals */
  guint       seal_length;
  GByteArray *content;      /* its typed columns after the id; damaged rows only */
  gint64      position;     /* where its seal places it; 0 while unknown */
} Row;

typedef struct
{
  gint64 first;
  gint64 last;
} Gap;

typedef struct
{
  GHmac      *keyed;        /* NULL without a key */
  AuditHead   head;
  gboolean    has_head;
  gint64      seq;
  GArray     *rows;         /* Row, by id */
  GByteArray *seals;
  GArray     *gaps;         /* Gap */
  GByteArray *scratch;
  GHashTable *placed;       /* position → index in rows, for moved rows */
} Walk;

static void
row_clear (Row *row)
{
  g_clear_pointer (&row->content, g_byte_array_unref);
}

static void
walk_init (Walk *walk)
{
  memset (walk, 0, sizeof *walk);
  walk->rows = g_array_new (FALSE, FALSE, sizeof (Row));
  g_array_set_clear_func (walk->rows, (GDestroyNotify) row_clear);
  walk->seals = g_byte_array_new ();
  walk->gaps = g_array_new (FALSE, FALSE, sizeof (Gap));
  walk->scratch = g_byte_array_new ();
  walk->placed = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
}

static void
walk_clear (Walk *walk)
{
  g_clear_pointer (&walk->keyed, g_hmac_unref);
  g_clear_pointer (&walk->rows, g_array_unref);
  g_clear_pointer (&walk->seals, g_byte_array_unref);
  g_clear_pointer (&walk->gaps, g_array_unref);
  g_clear_pointer (&walk->scratch, g_byte_array_unref);
  g_clear_pointer (&walk->placed, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Walk, walk_clear)

#define ROW(walk, i) (&g_array_index ((walk)->rows, Row, (i)))

static const guint8 null_seal[] = { 'N' };

static const guint8 *
row_seal (Walk      *walk,
          const Row *row,
          gsize     *length)
{
  *length = row->seal_length;
  return walk->seals->data + row->seal_offset;
}

/* Whether a stored seal, typed, is the text @hex. */
static gboolean
seal_is (const guint8 *stored,
         gsize         length,
         const char   *hex)
{
  return length == 1 + 8 + AUDIT_SEAL_HEX && stored[0] == 'T' &&
         memcmp (stored + 9, hex, AUDIT_SEAL_HEX) == 0;
}

/* The stored seal as text, "" when it is not a text. */
static char *
seal_text (const guint8 *stored,
           gsize         length)
{
  if (length < 9 || stored[0] != 'T')
    return g_strdup ("");

  return g_strndup ((const char *) stored + 9, length - 9);
}

static gboolean
seal_holds (Walk         *walk,
            const guint8 *previous,
            gsize         previous_length,
            gint64        position,
            GByteArray   *content,
            const guint8 *stored,
            gsize         stored_length)
{
  char expected[AUDIT_SEAL_HEX + 1];

  store_audit_seal (walk->keyed, previous, previous_length, position, content->data,
                    content->len, expected);
  return seal_is (stored, stored_length, expected);
}

/* Whether the row was resealed with the plain SHA-256 of the chain before keys. */
static gboolean
is_plain_sha256 (const StriaeStoreAuditRow *stored_row,
                 const char                *previous)
{
#define TEXT(column) store_audit_row_dup_text (stored_row, STRIAE_AUDIT_COLUMN_ ## column)
  g_autofree char *at = TEXT (AT);
  g_autofree char *actor = TEXT (ACTOR);
  g_autofree char *action = TEXT (ACTION);
  g_autofree char *subject = TEXT (SUBJECT);
  g_autofree char *detail = TEXT (DETAIL);
  g_autofree char *stored = TEXT (SEAL);
#undef TEXT
  g_autofree char *hash = NULL;

  if (stored == NULL)
    return FALSE;

  hash = store_audit_legacy_hash (previous, stored_row->id, at, actor, action, subject,
                                  store_audit_row_get_int (stored_row,
                                                           STRIAE_AUDIT_COLUMN_CONSULTATION_ID),
                                  detail);
  return strcmp (hash, stored) == 0;
}

static gboolean
walk_row (const StriaeStoreAuditRow *stored_row,
          gpointer                   data)
{
  Walk *walk = data;
  Row row = { stored_row->id, ROW_UNKEYED };
  Row *before = walk->rows->len > 0 ? ROW (walk, walk->rows->len - 1) : NULL;
  gint64 expected_id = before != NULL ? before->id + 1 : 1;
  const guint8 *previous = null_seal, *stored;
  gsize previous_length = sizeof null_seal, stored_length;

  if (before != NULL)
    previous = row_seal (walk, before, &previous_length);

  if (row.id > expected_id)
    {
      Gap gap = { expected_id, row.id - 1 };

      g_array_append_val (walk->gaps, gap);
    }

  row.seal_offset = walk->seals->len;
  store_audit_encode_value (walk->seals, &stored_row->columns[STRIAE_AUDIT_COLUMN_SEAL]);
  row.seal_length = walk->seals->len - row.seal_offset;
  /* The array may have moved. */
  if (before != NULL)
    previous = row_seal (walk, before, &previous_length);
  stored = row_seal (walk, &row, &stored_length);

  if (walk->keyed != NULL && row.id >= walk->head.keyed_from)
    {
      g_byte_array_set_size (walk->scratch, 0);
      store_audit_encode_row (walk->scratch, stored_row);

      if (seal_holds (walk, previous, previous_length, row.id, walk->scratch, stored,
                      stored_length))
        {
          row.state = ROW_SEALED;
          row.position = row.id;
        }
      else
        {
          g_autofree char *previous_text = seal_text (previous, previous_length);

          row.state = row.id > expected_id ? ROW_AFTER_GAP : ROW_FAILED;
          row.content = g_byte_array_sized_new (walk->scratch->len);
          g_byte_array_append (row.content, walk->scratch->data, walk->scratch->len);
          row.sha256 = is_plain_sha256 (stored_row, before != NULL ? previous_text : "");
        }
    }

  g_array_append_val (walk->rows, row);
  return TRUE;
}

/* Places */

/* The row that stands at @id in the table, or NULL. */
static Row *
find_row (Walk   *walk,
          gint64  id)
{
  guint low = 0, high = walk->rows->len;

  while (low < high)
    {
      guint middle = low + (high - low) / 2;
      Row *row = ROW (walk, middle);

      if (row->id == id)
        return row;
      if (row->id < id)
        low = middle + 1;
      else
        high = middle;
    }

  return NULL;
}

/* The row whose seal places it at @position, or NULL. */
static Row *
row_placed_at (Walk   *walk,
               gint64  position)
{
  gpointer index;
  Row *row;

  if (g_hash_table_lookup_extended (walk->placed, &position, NULL, &index))
    return ROW (walk, GPOINTER_TO_UINT (index));

  row = find_row (walk, position);
  if (row != NULL && (row->state == ROW_SEALED || row->state == ROW_UNKEYED ||
                      row->position == position))
    return row;

  return NULL;
}

static void
place_row (Walk   *walk,
           guint   index,
           gint64  position)
{
  gint64 *key = g_new (gint64, 1);

  *key = position;
  ROW (walk, index)->position = position;
  g_hash_table_insert (walk->placed, key, GUINT_TO_POINTER (index));
}

/* Tries to place the damaged row @index at one of the free @places. */
static gboolean
try_places (Walk   *walk,
            guint   index,
            GArray *places)
{
  Row *row = ROW (walk, index);
  gsize stored_length;
  const guint8 *stored = row_seal (walk, row, &stored_length);

  for (guint i = 0; i < places->len; i++)
    {
      gint64 position = g_array_index (places, gint64, i);
      const guint8 *previous = null_seal;
      gsize previous_length = sizeof null_seal;

      if (row_placed_at (walk, position) != NULL)
        continue;

      if (position > 1)
        {
          Row *before = row_placed_at (walk, position - 1);

          if (before == NULL)
            continue;
          previous = row_seal (walk, before, &previous_length);
        }

      if (seal_holds (walk, previous, previous_length, position, row->content, stored,
                      stored_length))
        {
          place_row (walk, index, position);
          return TRUE;
        }
    }

  return FALSE;
}

/* Damaged rows may hold where another row's place is, once the rows around that place are
 * known: rows moved by a reordering, and rows after a moved one, whose predecessor is then
 * found. Each round places at least one row or ends. */
static void
place_damaged_rows (Walk *walk)
{
  g_autoptr(GArray) damaged = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) places = g_array_new (FALSE, FALSE, sizeof (gint64));
  gboolean progress = TRUE;

  for (guint i = 0; i < walk->rows->len; i++)
    if (ROW (walk, i)->state == ROW_FAILED || ROW (walk, i)->state == ROW_AFTER_GAP)
      {
        g_array_append_val (damaged, i);
        g_array_append_val (places, ROW (walk, i)->id);
      }

  if (damaged->len == 0 || damaged->len > MAX_RELOCATED)
    return;

  for (guint i = 0; i < walk->gaps->len; i++)
    g_array_append_val (places, g_array_index (walk->gaps, Gap, i).first);

  while (progress)
    {
      progress = FALSE;
      for (guint i = 0; i < damaged->len; i++)
        {
          guint index = g_array_index (damaged, guint, i);

          if (ROW (walk, index)->position == 0 && try_places (walk, index, places))
            progress = TRUE;
        }
    }
}

/* Findings */

/* The highest place a row holds at, by its own seal or after being placed. */
static gint64
highest_place (Walk *walk)
{
  gint64 highest = 0;

  for (guint i = 0; i < walk->rows->len; i++)
    highest = MAX (highest, ROW (walk, i)->position);

  return highest;
}

static void
report_moved_rows (Walk              *walk,
                   StriaeAuditReport *report)
{
  for (guint i = 0; i < walk->rows->len; i++)
    {
      Row *row = ROW (walk, i);

      if (row->position != 0 && row->position != row->id)
        store_audit_report_add (report, STRIAE_AUDIT_DAMAGE_REORDERED,
                                MIN (row->id, row->position), MAX (row->id, row->position));
    }
}

/* A gap is rows removed when Striae had written past it: the head says so, or a row sealed
 * after the gap. Places filled by moved rows are not missing. */
static void
report_gaps (Walk              *walk,
             StriaeAuditReport *report)
{
  gint64 highest = highest_place (walk);

  for (guint i = 0; i < walk->gaps->len; i++)
    {
      Gap *gap = &g_array_index (walk->gaps, Gap, i);
      gint64 missing = gap->first;

      while (missing <= gap->last && g_hash_table_contains (walk->placed, &missing))
        missing++;
      if (missing > gap->last)
        continue;

      if (!walk->has_head || missing <= walk->head.last_entry || highest > gap->last)
        store_audit_report_add (report, STRIAE_AUDIT_DAMAGE_REMOVED, missing, gap->last);
    }
}

static gboolean
row_is_unplaced_damage (const Row *row)
{
  return (row->state == ROW_FAILED || row->state == ROW_AFTER_GAP) && row->position == 0;
}

/* Whether the failing rows from @first to @last (indexes) were resealed rather than edited:
 * their seals are plain SHA-256, or the head's entry among them lost the head's seal. A row
 * that holds after a run proves that the run's last seal is Striae's, so a run that stops
 * before the end was edited; a run to the end of a log whose head's entry is gone (or with
 * no head) proves nothing either way, and counts as resealed when it is longer than one. */
static gboolean
run_is_forged (Walk *walk,
               guint first,
               guint last)
{
  gint64 first_id = ROW (walk, first)->id, last_id = ROW (walk, last)->id;
  gint64 head_entry = walk->head.last_entry;
  gboolean to_the_end = last == walk->rows->len - 1;

  for (guint i = first; i <= last; i++)
    if (ROW (walk, i)->sha256)
      return TRUE;

  if (!walk->has_head || (to_the_end && head_entry > last_id))
    return to_the_end && last > first;

  if (walk->head.resealed_at >= first_id && walk->head.resealed_at <= last_id)
    return TRUE;

  if (head_entry >= first_id && head_entry <= last_id)
    {
      Row *row = find_row (walk, head_entry);
      gsize length = 0;
      const guint8 *stored = row_seal (walk, row, &length);

      return !seal_is (stored, length, walk->head.seal);
    }

  return FALSE;
}

static void
report_run (Walk              *walk,
            StriaeAuditReport *report,
            guint              first,
            guint              last)
{
  gboolean forged = run_is_forged (walk, first, last);
  StriaeAuditDamage damage = forged ? STRIAE_AUDIT_DAMAGE_FORGED : STRIAE_AUDIT_DAMAGE_EDITED;

  store_audit_report_add (report, damage, ROW (walk, first)->id, ROW (walk, last)->id);

  for (guint i = first; forged && i <= last; i++)
    if (ROW (walk, i)->sha256)
      store_audit_report_set_plain_sha256 (report);
}

/* Failing rows, in runs of consecutive ids. Rows past the head were added without the key.
 * A row after a gap cannot hold by its nature and is not reported by itself. */
static void
report_failing_rows (Walk              *walk,
                     StriaeAuditReport *report)
{
  guint i = 0;

  while (i < walk->rows->len)
    {
      Row *row = ROW (walk, i);
      guint last = i;

      if (!row_is_unplaced_damage (row))
        {
          i++;
          continue;
        }

      if (walk->has_head && row->id > walk->head.last_entry)
        {
          store_audit_report_add (report, STRIAE_AUDIT_DAMAGE_FORGED, row->id, row->id);
          if (row->sha256)
            store_audit_report_set_plain_sha256 (report);
          i++;
          continue;
        }

      if (row->state == ROW_AFTER_GAP)
        {
          i++;
          continue;
        }

      while (last + 1 < walk->rows->len && ROW (walk, last + 1)->state == ROW_FAILED &&
             ROW (walk, last + 1)->position == 0 && ROW (walk, last + 1)->id == row->id +
             (last + 1 - i) && (!walk->has_head ||
                                ROW (walk, last + 1)->id <= walk->head.last_entry))
        last++;

      report_run (walk, report, i, last);
      i = last + 1;
    }
}

static void
report_short_log (StriaeAuditReport *report,
                  gint64             last_id,
                  gint64             first_missing)
{
  if (last_id == 0 || first_missing <= 1)
    store_audit_report_add (report, STRIAE_AUDIT_DAMAGE_EMPTIED, 1, MAX (first_missing, 1));
  else
    store_audit_report_add (report, STRIAE_AUDIT_DAMAGE_CUT, first_missing, first_missing);
}

/* What the head kept outside says about the end of the log, and what Striae noticed and
 * kept in it. */
static void
report_head (Walk              *walk,
             StriaeAuditReport *report)
{
  AuditHead *head = &walk->head;
  gint64 last_id = walk->rows->len > 0 ? ROW (walk, walk->rows->len - 1)->id : 0;

  if (walk->seq > last_id)
    report_short_log (report, last_id, last_id + 1);

  if (walk->keyed == NULL)
    return;

  if (!walk->has_head)
    {
      if (last_id > 0)
        store_audit_report_add (report, STRIAE_AUDIT_DAMAGE_NO_HEAD, 0, 0);
      return;
    }

  if (head->last_entry > last_id)
    report_short_log (report, last_id, last_id + 1);
  else if (head->last_entry > 0)
    {
      Row *row = find_row (walk, head->last_entry);
      const guint8 *stored = NULL;
      gsize length = 0;

      if (row != NULL)
        stored = row_seal (walk, row, &length);

      /* Sealed in place, yet not the head's seal: the log was cut back to an earlier entry
       * and written on, without Striae noticing. */
      if (row != NULL && row->state == ROW_SEALED && !seal_is (stored, length, head->seal))
        store_audit_report_add (report, STRIAE_AUDIT_DAMAGE_CUT, head->last_entry,
                                head->last_entry);
    }

  if (head->cut_from > 0)
    report_short_log (report, last_id, head->cut_from);
  if (head->resealed_at > 0)
    store_audit_report_add (report, STRIAE_AUDIT_DAMAGE_FORGED, head->resealed_at,
                            head->resealed_at);
  if (head->broken_before_keying > 0)
    store_audit_report_add (report, STRIAE_AUDIT_DAMAGE_BROKEN_BEFORE_KEYING,
                            head->broken_before_keying, head->broken_before_keying);
  if (head->head_lost_at > 0)
    store_audit_report_add (report, STRIAE_AUDIT_DAMAGE_NO_HEAD, head->head_lost_at,
                            head->head_lost_at);
}

static void
report_unkeyed (Walk              *walk,
                StriaeAuditReport *report)
{
  gint64 first = 0, last = 0;

  for (guint i = 0; i < walk->rows->len; i++)
    if (ROW (walk, i)->state == ROW_UNKEYED)
      {
        if (first == 0)
          first = ROW (walk, i)->id;
        last = ROW (walk, i)->id;
      }

  if (first != 0)
    store_audit_report_add (report, STRIAE_AUDIT_DAMAGE_UNCHECKABLE, first, last);
}

static StriaeAuditReport *
make_report (Walk *walk)
{
  StriaeAuditReport *report = store_audit_report_new (walk->rows->len);

  if (walk->keyed != NULL)
    place_damaged_rows (walk);

  report_unkeyed (walk, report);
  report_moved_rows (walk, report);
  report_gaps (walk, report);
  report_failing_rows (walk, report);
  report_head (walk, report);

  return report;
}

/* Checks the log with @key (NULL: none on this account) against @head (NULL: none kept). */
StriaeAuditReport *
store_audit_check_with (StriaeStore      *self,
                        GBytes           *key,
                        const AuditHead  *head,
                        GError          **error)
{
  g_auto(Walk) walk = { 0 };

  walk_init (&walk);
  if (key != NULL)
    walk.keyed = store_audit_hmac_new (key);
  if (key != NULL && head != NULL)
    {
      walk.head = *head;
      walk.has_head = TRUE;
    }
  walk.head.keyed_from = MAX (walk.head.keyed_from, 1);

  /* The rows and the highest number given, of one moment, while writers carry on. */
  if (!striae_store_backend_audit_scan (self->backend, &walk.seq, walk_row, &walk, error))
    return NULL;

  return make_report (&walk);
}

/**
 * striae_store_check_audit:
 *
 * Checks every seal of the audit log with the database's key, and the log's end with the
 * head kept outside the database, and says what kinds of damage it found, each with the
 * first entry concerned. Returns %NULL with an error only when the log or its key could not
 * be read (a keyring that cannot be reached or unlocked, for one).
 */
StriaeAuditReport *
striae_store_check_audit (StriaeStore  *self,
                          GError      **error)
{
  g_autofree char *database_id = NULL;
  g_autofree char *place = NULL;
  g_autoptr(GBytes) key = NULL;
  gboolean has_head = FALSE;
  AuditHead head;
  gboolean ok;

  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!striae_store_may (self, STRIAE_RIGHT_AUDIT, error))
    return NULL;

  /* The head first, the rows after: the head is written only once the rows it names have
   * committed, so it is never ahead of the rows read after it. */
  striae_store_backend_lock (self->backend);
  ok = store_audit_find_key (self, &database_id, &key, &head, &has_head, &place, error);
  striae_store_backend_unlock (self->backend);

  if (!ok)
    return NULL;

  return store_audit_check_with (self, key, has_head ? &head : NULL, error);
}

/**
 * striae_store_verify_audit:
 * @n_entries: (out) (optional): the number of entries checked
 * @bad_row_id: (out) (optional): the first entry concerned by any damage, 0 when intact
 *
 * striae_store_check_audit() for callers that need to know only whether the log is intact:
 * returns %FALSE with %STRIAE_STORE_ERROR_TAMPERED, whose message has one sentence per kind
 * of damage found, or with another error when the log could not be read.
 */
gboolean
striae_store_verify_audit (StriaeStore  *self,
                           gint64       *n_entries,
                           gint64       *bad_row_id,
                           GError      **error)
{
  g_autoptr(StriaeAuditReport) report = NULL;
  g_autoptr(GString) message = NULL;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!striae_store_may (self, STRIAE_RIGHT_AUDIT, error))
    return FALSE;

  if (n_entries != NULL)
    *n_entries = 0;
  if (bad_row_id != NULL)
    *bad_row_id = 0;

  if ((report = striae_store_check_audit (self, error)) == NULL)
    return FALSE;

  if (n_entries != NULL)
    *n_entries = striae_audit_report_get_n_entries (report);
  if (striae_audit_report_is_intact (report))
    return TRUE;

  message = g_string_new (NULL);
  for (guint i = 0; i < STRIAE_AUDIT_N_DAMAGES; i++)
    {
      g_autofree char *sentence = striae_audit_report_describe (report, i);

      if (sentence != NULL)
        g_string_append_printf (message, "%s%s", message->len > 0 ? " " : "", sentence);
    }

  if (bad_row_id != NULL)
    *bad_row_id = store_audit_report_first_damage (report);
  g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_TAMPERED, message->str);
  return FALSE;
}
