/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <inttypes.h>
#include <string.h>
#include <sys/random.h>

#include "striae-store-private.h"

/* The audit log is a keyed chain. Each row's `hash` column holds its seal: the HMAC-SHA256,
 * with the database's audit key, of the previous row's stored seal followed by the row's id
 * and its other columns (see store_audit_seal()). The key is 32 random bytes kept outside the
 * database (striae-audit-anchor.c), so that whoever can write the database file alone cannot
 * make a seal: editing a row, or resealing the whole chain with plain SHA-256 or any other
 * key, leaves rows whose seals Striae does not accept.
 *
 * Every value is sealed with the type the backend stored it with and its length (a tag
 * byte, then 8 bytes, then the bytes), so that NULL and 0, or a text and a blob of the same
 * bytes, seal differently.
 * Sealing each row over the previous row's stored seal, not over a recomputed one, keeps
 * damage local: an edited row fails alone, and the rows after it still check.
 *
 * Removing rows from the end, or all of them, leaves a shorter log that is still well
 * sealed; the head (the newest entry Striae wrote and its seal) is therefore kept beside the
 * key and updated once each write commits. Striae compares the log with the head before it
 * writes and keeps, in the head, what it found missing, so that writing on after a cut does
 * not hide it.
 *
 * Rows are numbered 1, 2, 3 … without gaps; the backend keeps the highest number ever used
 * (SQLite in sqlite_sequence), so that rows removed from the end show. The records layer
 * numbers and seals each row; the backend only appends it and reads the log back in order
 * (StriaeStoreBackend's audit vfuncs). A row names a patient only by their audit subject (a
 * random token, see migration 2), never by name or number. Erasing a patient deletes the
 * token, which leaves the chain whole and unlinks the rows from the person. */

#define SEAL_DOMAIN "striae-audit-seal-1"
#define HEAD_DOMAIN "striae-audit-head-1"

static const char * const action_names[] = {
  [STRIAE_AUDIT_CREATE] = "create",
  [STRIAE_AUDIT_VIEW] = "view",
  [STRIAE_AUDIT_UPDATE] = "update",
  [STRIAE_AUDIT_SIGN] = "sign",
  [STRIAE_AUDIT_AMEND] = "amend",
  [STRIAE_AUDIT_PRINT] = "print",
  [STRIAE_AUDIT_EXPORT] = "export",
  [STRIAE_AUDIT_IMPORT] = "import",
  [STRIAE_AUDIT_DELETE] = "delete",
  [STRIAE_AUDIT_BACKUP] = "backup",
  [STRIAE_AUDIT_RESTORE] = "restore",
  [STRIAE_AUDIT_ERASE] = "erase",
  [STRIAE_AUDIT_DISCARD] = "discard",
  [STRIAE_AUDIT_ARCHIVE] = "archive",
  [STRIAE_AUDIT_UNARCHIVE] = "unarchive",
  [STRIAE_AUDIT_SIGN_IN_FAILED] = "sign-in-failed",
  [STRIAE_AUDIT_ACCOUNTS_START] = "accounts-start",
  [STRIAE_AUDIT_ACCOUNT_ADD] = "account-add",
  [STRIAE_AUDIT_ACCOUNT_CHANGE] = "account-change",
  [STRIAE_AUDIT_SESSION_CREATE] = "session-create",
  [STRIAE_AUDIT_SESSION_UPDATE] = "session-update",
  [STRIAE_AUDIT_SESSION_SIGN] = "session-sign",
  [STRIAE_AUDIT_SESSION_AMEND] = "session-amend",
  [STRIAE_AUDIT_SCHEDULE_MOVE] = "schedule-move",
  [STRIAE_AUDIT_SCHEDULE_MISS] = "schedule-miss",
  [STRIAE_AUDIT_SCHEDULE_CANCEL] = "schedule-cancel",
  [STRIAE_AUDIT_SCHEDULE_DONE] = "schedule-done",
  [STRIAE_AUDIT_SIGN_IN] = "sign-in",
  [STRIAE_AUDIT_PHOTO_ADD] = "photo-add",
  [STRIAE_AUDIT_PHOTO_VIEW] = "photo-view",
  [STRIAE_AUDIT_PHOTO_DELETE] = "photo-delete",
  [STRIAE_AUDIT_PHOTO_CONSENT] = "photo-consent",
  [STRIAE_AUDIT_CONSENT_SIGN] = "consent-sign",
};

const char *
striae_audit_action_to_string (StriaeAuditAction action)
{
  g_return_val_if_fail (action < G_N_ELEMENTS (action_names), NULL);

  return action_names[action];
}

/* Seals */

/* The hash of the chain before keys (schema 2 to 4): the SHA-256 of the previous row's hash
 * and the row's fields, each followed by a NUL byte. Still needed to check a log before it
 * is keyed, and to recognise a log resealed that way. */
char *
store_audit_legacy_hash (const char *previous,
                         gint64      id,
                         const char *at,
                         const char *actor,
                         const char *action,
                         const char *subject,
                         gint64      consultation_id,
                         const char *detail)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  const char *fields[] = {
    previous ? previous : "", at ? at : "", actor ? actor : "", action ? action : "",
    subject ? subject : "", detail ? detail : "",
  };
  char number[32];

  g_snprintf (number, sizeof number, "%" G_GINT64_FORMAT, id);
  g_checksum_update (checksum, (const guchar *) number, strlen (number) + 1);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    g_checksum_update (checksum, (const guchar *) fields[i], strlen (fields[i]) + 1);
  g_snprintf (number, sizeof number, "%" G_GINT64_FORMAT, consultation_id);
  g_checksum_update (checksum, (const guchar *) number, strlen (number) + 1);

  return g_strdup (g_checksum_get_string (checksum));
}

static void
encode_tag (GByteArray *out,
            guint8      tag,
            guint64     number)
{
  guint64 big_endian = GUINT64_TO_BE (number);

  g_byte_array_append (out, &tag, 1);
  g_byte_array_append (out, (const guint8 *) &big_endian, sizeof big_endian);
}

void
store_audit_encode_null (GByteArray *out)
{
  guint8 tag = 'N';

  g_byte_array_append (out, &tag, 1);
}

void
store_audit_encode_int (GByteArray *out,
                        gint64      value)
{
  encode_tag (out, 'I', (guint64) value);
}

void
store_audit_encode_text (GByteArray *out,
                         const char *text)
{
  gsize length = strlen (text);

  encode_tag (out, 'T', length);
  g_byte_array_append (out, (const guint8 *) text, length);
}

/* A value as the backend stored it: its type, then its value. */
void
store_audit_encode_value (GByteArray             *out,
                          const StriaeStoreValue *value)
{
  guint64 bits;

  switch (value->type)
    {
    case STRIAE_STORE_VALUE_INTEGER:
      store_audit_encode_int (out, value->integer);
      break;

    case STRIAE_STORE_VALUE_REAL:
      memcpy (&bits, &value->real, sizeof bits);
      encode_tag (out, 'R', bits);
      break;

    case STRIAE_STORE_VALUE_TEXT:
      encode_tag (out, 'T', value->size);
      if (value->size > 0)
        g_byte_array_append (out, value->data, value->size);
      break;

    case STRIAE_STORE_VALUE_BLOB:
      encode_tag (out, 'B', value->size);
      if (value->data != NULL)
        g_byte_array_append (out, value->data, value->size);
      break;

    case STRIAE_STORE_VALUE_NULL:
    default:
      store_audit_encode_null (out);
      break;
    }
}

/* The row's columns after its id, as they are sealed. */
void
store_audit_encode_row (GByteArray                *out,
                        const StriaeStoreAuditRow *row)
{
  for (int column = 0; column < STRIAE_AUDIT_COLUMN_SEAL; column++)
    store_audit_encode_value (out, &row->columns[column]);
}

/* A column of @row as an integer, 0 when it is not one. */
gint64
store_audit_row_get_int (const StriaeStoreAuditRow *row,
                         StriaeAuditColumn          column)
{
  const StriaeStoreValue *value = &row->columns[column];

  return value->type == STRIAE_STORE_VALUE_INTEGER ? value->integer : 0;
}

/* A column of @row as a text, NULL when it is not one. */
char *
store_audit_row_dup_text (const StriaeStoreAuditRow *row,
                          StriaeAuditColumn          column)
{
  const StriaeStoreValue *value = &row->columns[column];

  if (value->type != STRIAE_STORE_VALUE_TEXT)
    return NULL;
  return g_strndup ((const char *) value->data, value->size);
}

GHmac *
store_audit_hmac_new (GBytes *key)
{
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (key, &size);

  return g_hmac_new (G_CHECKSUM_SHA256, data, size);
}

/**
 * store_audit_seal:
 * @keyed: an HMAC with the key and nothing else yet (store_audit_hmac_new()); copied
 * @previous: the typed encoding of the previous row's stored seal; of NULL for the first row
 * @content: the typed encoding of the row's columns after its id (at, actor, action, subject,
 *   consultation_id, detail)
 */
void
store_audit_seal (GHmac        *keyed,
                  const guint8 *previous,
                  gsize         previous_size,
                  gint64        id,
                  const guint8 *content,
                  gsize         content_size,
                  char          seal[AUDIT_SEAL_HEX + 1])
{
  g_autoptr(GHmac) hmac = g_hmac_copy (keyed);
  guint8 id_bytes[1 + sizeof (guint64)];
  guint64 big_endian = GUINT64_TO_BE ((guint64) id);

  id_bytes[0] = 'I';
  memcpy (id_bytes + 1, &big_endian, sizeof big_endian);

  g_hmac_update (hmac, (const guchar *) SEAL_DOMAIN, sizeof SEAL_DOMAIN);
  g_hmac_update (hmac, previous, previous_size);
  g_hmac_update (hmac, id_bytes, sizeof id_bytes);
  g_hmac_update (hmac, content, content_size);
  g_strlcpy (seal, g_hmac_get_string (hmac), AUDIT_SEAL_HEX + 1);
}

static gboolean
random_bytes (guint8  *buffer,
              gsize    size,
              GError **error)
{
  gsize done = 0;

  while (done < size)
    {
      gssize n = getrandom (buffer + done, size - done, 0);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FAILED,
                       _("No random numbers for a new audit key: %s"),
                       g_strerror (saved_errno));
          return FALSE;
        }
      done += n;
    }

  return TRUE;
}

static GBytes *
new_key (GError **error)
{
  guint8 key[AUDIT_KEY_SIZE];

  if (!random_bytes (key, sizeof key, error))
    return NULL;

  return g_bytes_new (key, sizeof key);
}

static char *
new_database_id (GError **error)
{
  guint8 id[16];
  GString *text = g_string_new (NULL);

  if (!random_bytes (id, sizeof id, error))
    return (char *) g_string_free (text, TRUE);

  for (guint i = 0; i < sizeof id; i++)
    g_string_append_printf (text, "%02x", id[i]);

  return g_string_free (text, FALSE);
}

/* Settings, under the backend's lock. */

static gboolean
read_setting (StriaeStore  *self,
              const char   *key,
              char        **value,
              GError      **error)
{
  return striae_store_backend_get_setting (self->backend, key, value, error);
}

static gboolean
write_setting (StriaeStore  *self,
               const char   *key,
               const char   *value,
               GError      **error)
{
  return striae_store_backend_set_setting (self->backend, key, value, error);
}

/**
 * store_audit_find_key:
 * @database_id: (out): the database's id, or %NULL when it has none (or a malformed one)
 * @key: (out): its key, or %NULL when there is none on this account
 *
 * Reads the database's id (under the backend's lock, which the caller holds) and asks the
 * store's anchor for its key and head.
 */
gboolean
store_audit_find_key (StriaeStore  *self,
                      char        **database_id,
                      GBytes      **key,
                      AuditHead    *head,
                      gboolean     *has_head,
                      char        **place,
                      GError      **error)
{
  g_autofree char *id = NULL;
  g_autofree char *hint = NULL;

  *database_id = NULL;
  *key = NULL;
  *has_head = FALSE;
  *place = NULL;
  memset (head, 0, sizeof *head);

  if (!read_setting (self, "database-id", &id, error))
    return FALSE;

  /* Where the key lives. A file's key and the head of its log are kept outside it, by the
   * anchor (keyring or key folder), so that whoever can write the file alone cannot reseal a
   * changed log, nor cut its end unseen. On a clinic server every PC must seal with the same
   * key, and each PC's own head would lag behind the others' writes: there the key lives in
   * the records (made with the schema; the server's triggers keep anyone from changing it),
   * and no head is kept, for no Striae role can remove a row (the server's grants and
   * triggers keep the log append-only): the head is the log's own end. A server without its
   * key is refused. */
  if (striae_store_backend_keeps_audit_key (self->backend))
    {
      g_auto(StriaeStoreAuditTail) tail = { 0 };

      if (!striae_store_backend_audit_get_key (self->backend, key, error) ||
          !striae_store_backend_audit_get_tail (self->backend, 0, &tail, error))
        return FALSE;
      if (*key == NULL || !store_is_database_id (id))
        {
          g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_TAMPERED,
                       _("The audit key of the records on %s is missing. Ask the clinic’s "
                         "IT to restore the database from its last backup."), self->name);
          g_clear_pointer (key, g_bytes_unref);
          return FALSE;
        }
      head->keyed_from = 1;
      head->last_entry = tail.last_id;
      if (tail.last_seal.type == STRIAE_STORE_VALUE_TEXT &&
          tail.last_seal.size == AUDIT_SEAL_HEX)
        memcpy (head->seal, tail.last_seal.data, AUDIT_SEAL_HEX);
      *has_head = TRUE;
      *place = g_strdup (AUDIT_PLACE_RECORDS);
      *database_id = g_steal_pointer (&id);
      return TRUE;
    }

  if (!read_setting (self, "audit-key-place", &hint, error))
    return FALSE;

  if (!store_is_database_id (id))
    return TRUE;

  if (!store_anchor_lookup (self->anchor, id, hint, key, head, has_head, place, error))
    return FALSE;

  *database_id = g_steal_pointer (&id);
  return TRUE;
}

/* Writing */

typedef StriaeStoreAuditTail Tail;

/* The newest row's seal as a text, when it is one. */
static char *
tail_seal (const Tail *tail)
{
  if (tail->last_seal.type != STRIAE_STORE_VALUE_TEXT)
    return NULL;
  return g_strndup ((const char *) tail->last_seal.data, tail->last_seal.size);
}

/* Compares the log with its head before Striae writes after it, and keeps in the head what
 * is missing: entries gone from the end, or the head's entry resealed. Writing on then does
 * not hide either. */
static void
reconcile_head (AuditHead  *head,
                const Tail *tail)
{
  if (head->last_entry == 0)
    return;

  if (tail->last_id < head->last_entry)
    {
      if (head->cut_from == 0 || tail->last_id + 1 < head->cut_from)
        head->cut_from = tail->last_id + 1;
      return;
    }

  /* A row missing in the middle stays a gap, which the check finds by itself. */
  if (tail->seal_at == NULL)
    return;

  if (head->seal[0] != '\0' && strcmp (tail->seal_at, head->seal) != 0 &&
      head->resealed_at == 0)
    head->resealed_at = head->last_entry;
}

/* The head advances to the log's tail when the log extends it. */
static void
advance_head (AuditHead  *head,
              const Tail *tail)
{
  g_autofree char *seal = tail_seal (tail);
  gboolean extends = head->last_entry == 0 ||
                     (tail->seal_at != NULL && strcmp (tail->seal_at, head->seal) == 0);

  if (!extends || tail->last_id < head->last_entry)
    return;

  head->last_entry = tail->last_id;
  g_strlcpy (head->seal, seal ? seal : "", sizeof head->seal);
}

static void
head_start (AuditHead  *head,
            const Tail *tail,
            gint64      keyed_from)
{
  g_autofree char *seal = tail_seal (tail);

  memset (head, 0, sizeof *head);
  head->last_entry = tail->last_id;
  if (seal != NULL && strlen (seal) == AUDIT_SEAL_HEX)
    g_strlcpy (head->seal, seal, sizeof head->seal);
  head->keyed_from = keyed_from;
}

/* No key on this account for the log (it was written elsewhere, or the key was deleted): a
 * new key seals the entries from now on, and the head says from which entry, so that the
 * check reports every earlier entry as one it cannot check. */
static gboolean
make_new_key (StriaeStore  *self,
              char        **database_id,
              const Tail   *tail,
              GError      **error)
{
  AuditState *state = &self->audit;

  if (*database_id == NULL)
    {
      if ((*database_id = new_database_id (error)) == NULL ||
          !write_setting (self, "database-id", *database_id, error))
        return FALSE;
    }

  g_clear_pointer (&state->key, g_bytes_unref);
  g_clear_pointer (&state->place, g_free);
  if ((state->key = new_key (error)) == NULL)
    return FALSE;

  head_start (&state->head, tail, tail->last_id + 1);
  return store_anchor_create (self->anchor, *database_id, state->key, &state->head,
                              &state->place, error) &&
         write_setting (self, "audit-key-place", state->place, error);
}

/* The first append of a write transaction: finds the key and the head, and compares the log
 * with the head. */
static gboolean
audit_begin (StriaeStore  *self,
             GError      **error)
{
  AuditState *state = &self->audit;
  g_auto(StriaeStoreAuditTail) tail = { 0 };
  g_autofree char *id = NULL;
  gboolean has_head = FALSE;

  store_audit_state_clear (state);
  /* In a bulk, the key and the head are those of its last commit (the head outside lags
   * behind until the bulk ends): the log is compared with them as with the head outside. */
  if (self->bulk && self->bulk_audit.pending)
    {
      id = g_strdup (self->bulk_audit.database_id);
      state->key = g_bytes_ref (self->bulk_audit.key);
      state->place = g_strdup (self->bulk_audit.place);
      state->head = self->bulk_audit.head;
      has_head = TRUE;
    }
  else if (!store_audit_find_key (self, &id, &state->key, &state->head, &has_head,
                                  &state->place, error))
    return FALSE;
  if (!striae_store_backend_audit_get_tail (self->backend, state->head.last_entry, &tail,
                                            error))
    return FALSE;

  if (state->key == NULL)
    {
      if (!make_new_key (self, &id, &tail, error))
        return FALSE;
    }
  else if (g_strcmp0 (state->place, AUDIT_PLACE_RECORDS) == 0)
    head_start (&state->head, &tail, 1);
  else if (!has_head)
    {
      /* The head was deleted: start a new one, and keep that it was lost. */
      head_start (&state->head, &tail, 1);
      state->head.head_lost_at = tail.last_id + 1;
    }
  else
    reconcile_head (&state->head, &tail);

  state->database_id = g_steal_pointer (&id);
  state->pending = TRUE;
  return TRUE;
}

void
store_audit_state_clear (AuditState *state)
{
  g_clear_pointer (&state->database_id, g_free);
  g_clear_pointer (&state->key, g_bytes_unref);
  g_clear_pointer (&state->place, g_free);
  state->pending = FALSE;
  memset (&state->head, 0, sizeof state->head);
}

/* Called by the backend when a write transaction has committed: when it had appended rows,
 * the head moves on outside. A head that cannot be written stays behind the log, which the
 * check accepts. */
void
store_audit_committed (StriaeStore *self)
{
  AuditState *state = &self->audit;
  g_autoptr(GError) error = NULL;

  if (!state->pending)
    return;

  state->pending = FALSE;
  if (g_strcmp0 (state->place, AUDIT_PLACE_RECORDS) == 0)
    return;

  /* In a bulk, the head waits until the commits are durable: a head ahead of the log would
   * read as entries cut from its end. */
  if (self->bulk)
    {
      AuditState *saved = &self->bulk_audit;

      store_audit_state_clear (saved);
      saved->database_id = g_strdup (state->database_id);
      saved->key = g_bytes_ref (state->key);
      saved->place = g_strdup (state->place);
      saved->head = state->head;
      saved->pending = TRUE;
      return;
    }

  if (!store_anchor_store_head (self->anchor, state->database_id, state->place, state->key,
                                &state->head, &error))
    g_warning ("The head of the audit log of %s was not saved: %s", self->name,
               error->message);
}

/* Once the commits of a bulk are durable: the head of the last of them that appended rows
 * goes outside. */
gboolean
store_audit_save_bulk_head (StriaeStore  *self,
                            GError      **error)
{
  AuditState *saved = &self->bulk_audit;
  gboolean ok = TRUE;

  if (saved->pending)
    ok = store_anchor_store_head (self->anchor, saved->database_id, saved->place, saved->key,
                                  &saved->head, error);
  store_audit_state_clear (saved);
  return ok;
}

/* Called by the backend when a write transaction was rolled back: rows appended in it are
 * gone. */
void
store_audit_rolled_back (StriaeStore *self)
{
  self->audit.pending = FALSE;
}

typedef StriaeStoreAuditEntry NewRow;

/* The encoding store_audit_encode_value() gives the row once stored. */
static void
encode_new_row (GByteArray   *out,
                const NewRow *row)
{
  store_audit_encode_text (out, row->at);
  store_audit_encode_text (out, row->actor);
  store_audit_encode_text (out, row->action);
  if (row->subject != NULL)
    store_audit_encode_text (out, row->subject);
  else
    store_audit_encode_null (out);
  if (row->consultation_id > 0)
    store_audit_encode_int (out, row->consultation_id);
  else
    store_audit_encode_null (out);
  store_audit_encode_text (out, row->detail);
}

gboolean
store_audit_append (StriaeStore        *self,
                    StriaeAuditAction   action,
                    const char         *actor,
                    gint64              patient_id,
                    gint64              consultation_id,
                    const char         *detail,
                    GError            **error)
{
  g_autoptr(GByteArray) previous = g_byte_array_new ();
  g_autoptr(GByteArray) content = g_byte_array_new ();
  g_autoptr(GHmac) keyed = NULL;
  g_autofree char *default_actor = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *at = striae_store_now ();
  g_auto(StriaeStoreAuditTail) tail = { 0 };
  char seal[AUDIT_SEAL_HEX + 1];
  NewRow row = { 0 };

  /* Once someone is signed in, every row names their account, whatever the caller says. */
  if ((default_actor = store_dup_account_actor (self)) != NULL)
    actor = default_actor;
  else if (actor == NULL || actor[0] == '\0')
    actor = default_actor = striae_store_dup_user (self);

  if (!self->audit.pending && !audit_begin (self, error))
    return FALSE;

  /* Each row is numbered after the highest number ever given, and sealed over the stored
   * seal of the newest row. */
  if (!striae_store_backend_audit_get_tail (self->backend, 0, &tail, error) ||
      !striae_store_backend_audit_get_subject (self->backend, patient_id, &subject, error))
    return FALSE;
  row.id = tail.last_number + 1;
  store_audit_encode_value (previous, &tail.last_seal);

  row.at = at;
  row.actor = actor;
  row.action = striae_audit_action_to_string (action);
  row.subject = subject;
  row.consultation_id = consultation_id;
  row.detail = detail ? detail : "";
  encode_new_row (content, &row);

  keyed = store_audit_hmac_new (self->audit.key);
  store_audit_seal (keyed, previous->data, previous->len, row.id, content->data, content->len,
                    seal);
  row.seal = seal;
  if (!striae_store_backend_audit_append (self->backend, &row, error))
    return FALSE;

  self->audit.head.last_entry = row.id;
  g_strlcpy (self->audit.head.seal, seal, sizeof self->audit.head.seal);
  return TRUE;
}

/* As store_audit_append() with the store's user for each of @patient_ids in turn, the same
 * action and detail, no consultation: the rows and their seals are those one call per patient
 * would give, read and written in as few round trips as the backend allows (a bulk). */
gboolean
store_audit_append_patients (StriaeStore        *self,
                             StriaeAuditAction   action,
                             const gint64       *patient_ids,
                             guint               n,
                             const char         *detail,
                             GError            **error)
{
  g_autoptr(GByteArray) previous = g_byte_array_new ();
  g_autoptr(GByteArray) content = g_byte_array_new ();
  g_autoptr(GHmac) keyed = NULL;
  g_autofree char *actor = striae_store_dup_user (self);
  g_autofree char *at = striae_store_now ();
  g_auto(StriaeStoreAuditTail) tail = { 0 };
  g_autofree char **subjects = g_new0 (char *, MAX (n, 1));
  g_autofree NewRow *rows = g_new0 (NewRow, MAX (n, 1));
  g_autofree char *seals = g_malloc ((gsize) MAX (n, 1) * (AUDIT_SEAL_HEX + 1));
  gboolean ok = FALSE;

  if (n == 0)
    return TRUE;

  if (!self->audit.pending && !audit_begin (self, error))
    return FALSE;

  if (!striae_store_backend_audit_get_tail (self->backend, 0, &tail, error) ||
      !striae_store_backend_audit_get_subjects (self->backend, patient_ids, n, subjects,
                                                error))
    goto out;

  /* Each row is sealed over the seal of the one before, as stored: a text. */
  store_audit_encode_value (previous, &tail.last_seal);
  keyed = store_audit_hmac_new (self->audit.key);
  for (guint i = 0; i < n; i++)
    {
      NewRow *row = &rows[i];
      char *seal = seals + (gsize) i * (AUDIT_SEAL_HEX + 1);

      row->id = tail.last_number + 1 + i;
      row->at = at;
      row->actor = actor;
      row->action = striae_audit_action_to_string (action);
      row->subject = subjects[i];
      row->detail = detail ? detail : "";
      g_byte_array_set_size (content, 0);
      encode_new_row (content, row);
      store_audit_seal (keyed, previous->data, previous->len, row->id, content->data,
                        content->len, seal);
      row->seal = seal;
      g_byte_array_set_size (previous, 0);
      store_audit_encode_text (previous, seal);
    }

  if (!striae_store_backend_audit_append_rows (self->backend, rows, n, error))
    goto out;

  self->audit.head.last_entry = rows[n - 1].id;
  g_strlcpy (self->audit.head.seal, rows[n - 1].seal, sizeof self->audit.head.seal);
  ok = TRUE;

out:
  for (guint i = 0; i < n; i++)
    g_free (subjects[i]);
  return ok;
}

/* The rows of @events in one transaction, for the records layer's own rows too (a restore),
 * whose right the caller checked. */
static gboolean
store_log_events (StriaeStore             *self,
                  const StriaeAuditEvent  *events,
                  guint                    n_events,
                  GError                 **error)
{
  gboolean ok;

  if (n_events == 0)
    return TRUE;

  striae_store_backend_lock (self->backend);
  ok = striae_store_backend_begin (self->backend, error);
  for (guint i = 0; ok && i < n_events; i++)
    ok = store_audit_append (self, events[i].action, NULL, events[i].patient_id,
                             events[i].consultation_id, events[i].detail, error);
  ok = ok && striae_store_backend_commit (self->backend, error);
  if (!ok)
    striae_store_backend_rollback (self->backend);
  striae_store_backend_unlock (self->backend);

  return ok;
}

/**
 * striae_store_log_events:
 * @events: (array length=n_events): what happened, in order
 *
 * Records things that happened outside the store (a consultation shown on screen, sheets
 * printed) in the audit log, in the name of the store's user, all in one transaction: the
 * front desk's stack of fifty sheets is one commit, not fifty. The store records its own
 * changes by itself. A detail is a short note, never a name or anything else that identifies
 * a person.
 */
gboolean
striae_store_log_events (StriaeStore             *self,
                         const StriaeAuditEvent  *events,
                         guint                    n_events,
                         GError                 **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (events != NULL || n_events == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (guint i = 0; i < n_events; i++)
    g_return_val_if_fail (events[i].action < G_N_ELEMENTS (action_names), FALSE);

  if (!striae_store_may (self, STRIAE_RIGHT_READ, error))
    return FALSE;

  return store_log_events (self, events, n_events, error);
}

/**
 * striae_store_log_event:
 * @patient_id: the patient concerned, or 0
 * @consultation_id: the consultation concerned, or 0
 * @detail: (nullable): a short note; never a name or anything else that identifies a person
 *
 * striae_store_log_events() for one event.
 */
gboolean
striae_store_log_event (StriaeStore        *self,
                        StriaeAuditAction   action,
                        gint64              patient_id,
                        gint64              consultation_id,
                        const char         *detail,
                        GError            **error)
{
  StriaeAuditEvent event = { action, patient_id, consultation_id, detail };

  return striae_store_log_events (self, &event, 1, error);
}

/* As striae_store_log_event(), for the records layer's own rows (a restore), whose right
 * the caller checked. */
gboolean
store_log_event (StriaeStore        *self,
                 StriaeAuditAction   action,
                 gint64              patient_id,
                 gint64              consultation_id,
                 const char         *detail,
                 GError            **error)
{
  StriaeAuditEvent event = { action, patient_id, consultation_id, detail };

  return store_log_events (self, &event, 1, error);
}

/* Migration 5: keying the log */

typedef struct
{
  char   *previous;
  gint64  expected;
  gint64  bad;
} LegacyWalk;

static gboolean
check_legacy_row (const StriaeStoreAuditRow *row,
                  gpointer                   data)
{
  LegacyWalk *walk = data;
  g_autofree char *at = store_audit_row_dup_text (row, STRIAE_AUDIT_COLUMN_AT);
  g_autofree char *actor = store_audit_row_dup_text (row, STRIAE_AUDIT_COLUMN_ACTOR);
  g_autofree char *action = store_audit_row_dup_text (row, STRIAE_AUDIT_COLUMN_ACTION);
  g_autofree char *subject = store_audit_row_dup_text (row, STRIAE_AUDIT_COLUMN_SUBJECT);
  g_autofree char *detail = store_audit_row_dup_text (row, STRIAE_AUDIT_COLUMN_DETAIL);
  g_autofree char *stored = store_audit_row_dup_text (row, STRIAE_AUDIT_COLUMN_SEAL);
  g_autofree char *hash = store_audit_legacy_hash (walk->previous, row->id, at, actor, action,
                                                   subject,
                                                   store_audit_row_get_int (row,
                                                     STRIAE_AUDIT_COLUMN_CONSULTATION_ID),
                                                   detail);

  if (row->id != walk->expected || g_strcmp0 (hash, stored) != 0)
    walk->bad = walk->expected;
  g_free (walk->previous);
  walk->previous = g_steal_pointer (&stored);
  walk->expected++;

  return walk->bad == 0;
}

/* Checks the SHA-256 chain of a log before keys as Striae did until then. Returns the first
 * row found changed or missing, 0 when the chain is whole. */
static gint64
first_legacy_break (StriaeStore *self)
{
  g_auto(StriaeStoreAuditTail) tail = { 0 };
  LegacyWalk walk = { g_strdup (""), 1, 0 };
  gboolean ok;

  ok = striae_store_backend_audit_get_tail (self->backend, 0, &tail, NULL) &&
       striae_store_backend_audit_read (self->backend, 0, 0, 0, NULL, check_legacy_row, &walk,
                                        NULL);
  g_free (walk.previous);
  if (!ok)
    return 1;

  /* Rows removed from the end leave the sequence number behind them. */
  if (walk.bad == 0 && tail.last_number >= walk.expected)
    walk.bad = walk.expected;

  return walk.bad;
}

#define RESEAL_BATCH 256

typedef struct
{
  gint64      id;
  GByteArray *content;
} ResealRow;

static void
reseal_row_clear (ResealRow *row)
{
  g_clear_pointer (&row->content, g_byte_array_unref);
}

static gboolean
add_reseal_row (const StriaeStoreAuditRow *row,
                gpointer                   data)
{
  GArray *rows = data;
  ResealRow copy = { row->id, g_byte_array_new () };

  store_audit_encode_row (copy.content, row);
  g_array_append_val (rows, copy);
  return TRUE;
}

/* Seals every row as it stands, in order, each over the seal just given to the one before;
 * leaves in @head the last row and its seal. */
static gboolean
reseal_rows (StriaeStore  *self,
             GBytes       *key,
             AuditHead    *head,
             GError      **error)
{
  g_autoptr(GHmac) keyed = store_audit_hmac_new (key);
  g_autoptr(GByteArray) previous = g_byte_array_new ();
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (ResealRow));

  g_array_set_clear_func (rows, (GDestroyNotify) reseal_row_clear);
  store_audit_encode_null (previous);

  do
    {
      g_array_set_size (rows, 0);
      if (!striae_store_backend_audit_read (self->backend, head->last_entry, RESEAL_BATCH, 0,
                                            NULL, add_reseal_row, rows, error))
        return FALSE;

      for (guint i = 0; i < rows->len; i++)
        {
          ResealRow *row = &g_array_index (rows, ResealRow, i);

          store_audit_seal (keyed, previous->data, previous->len, row->id, row->content->data,
                            row->content->len, head->seal);
          if (!striae_store_backend_audit_reseal (self->backend, row->id, head->seal, error))
            return FALSE;
          head->last_entry = row->id;
          g_byte_array_set_size (previous, 0);
          store_audit_encode_text (previous, head->seal);
        }
    }
  while (rows->len == RESEAL_BATCH);

  return TRUE;
}

/**
 * store_audit_seal_log:
 *
 * Migration 5, inside its transaction, after its SQL gave the database its id: checks the
 * SHA-256 chain as it was, makes the database's key, seals every row with it and keeps the
 * key and the head outside. A chain that was already broken is sealed as found, and the head
 * keeps where it broke, so that every later check says so.
 */
gboolean
store_audit_seal_log (StriaeStore  *self,
                      GError      **error)
{
  g_autofree char *id = NULL;
  g_autofree char *place = NULL;
  g_autoptr(GBytes) key = NULL;
  AuditHead head = { 0 };

  if (!read_setting (self, "database-id", &id, error))
    return FALSE;
  g_assert (store_is_database_id (id));

  head.broken_before_keying = first_legacy_break (self);
  head.keyed_from = 1;
  if (head.broken_before_keying != 0)
    g_message ("The audit log of %s was already damaged at entry %" G_GINT64_FORMAT
               " before it was keyed", self->name, head.broken_before_keying);

  if ((key = new_key (error)) == NULL ||
      !reseal_rows (self, key, &head, error) ||
      !store_anchor_create (self->anchor, id, key, &head, &place, error))
    return FALSE;

  return write_setting (self, "audit-key-place", place, error);
}

/* Backups */

static char *
seal_head_text (GBytes     *key,
                const char *database_id,
                const char *text)
{
  g_autoptr(GHmac) hmac = store_audit_hmac_new (key);

  g_hmac_update (hmac, (const guchar *) HEAD_DOMAIN, sizeof HEAD_DOMAIN);
  g_hmac_update (hmac, (const guchar *) database_id, strlen (database_id) + 1);
  g_hmac_update (hmac, (const guchar *) text, strlen (text));
  return g_strdup (g_hmac_get_string (hmac));
}

typedef struct
{
  GBytes    *key;
  char      *database_id;
  AuditHead  head;
  gboolean   has_head;
} BackupSeal;

static void
backup_seal_clear (BackupSeal *seal)
{
  g_clear_pointer (&seal->key, g_bytes_unref);
  g_clear_pointer (&seal->database_id, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BackupSeal, backup_seal_clear)

/* The head of the audit log as of the copy (its @tail), sealed with the key: the settings
 * "audit-head" and "audit-head-seal" of the copy, so that a restore brings the head back
 * with the log and a backup cut short still shows. */
static char **
seal_backup_cb (const StriaeStoreAuditTail  *tail,
                gpointer                     data,
                GError                     **error)
{
  BackupSeal *seal = data;
  AuditHead head = seal->head;
  g_autoptr(GStrvBuilder) settings = g_strv_builder_new ();
  g_autofree char *text = NULL;
  g_autofree char *sealed = NULL;

  /* Without a key there is nothing to seal the head with; the first write makes one. */
  if (seal->key == NULL)
    return g_strv_builder_end (settings);

  if (!seal->has_head)
    {
      head_start (&head, tail, 1);
      head.head_lost_at = tail->last_id + 1;
    }
  else
    {
      reconcile_head (&head, tail);
      advance_head (&head, tail);
    }

  text = store_audit_head_to_text (&head);
  sealed = seal_head_text (seal->key, seal->database_id, text);
  g_strv_builder_add_many (settings, "audit-head", text, "audit-head-seal", sealed, NULL);
  return g_strv_builder_end (settings);
}

/**
 * store_audit_backup:
 * @location: where the backend writes the copy
 *
 * Has the backend copy the records, with the head of the audit log as of the copy, sealed
 * with the key, in the copy's settings.
 */
gboolean
store_audit_backup (StriaeStore  *self,
                    const char   *location,
                    GError      **error)
{
  g_autofree char *place = NULL;
  g_auto(BackupSeal) seal = { NULL, };
  gboolean ok;

  striae_store_backend_lock (self->backend);
  ok = store_audit_find_key (self, &seal.database_id, &seal.key, &seal.head, &seal.has_head,
                             &place, error);
  striae_store_backend_unlock (self->backend);
  if (!ok)
    return FALSE;

  return striae_store_backend_backup (self->backend, location, seal.head.last_entry,
                                      seal_backup_cb, &seal, error);
}

static gboolean
drop_backup_head (StriaeStore  *self,
                  GError      **error)
{
  return write_setting (self, "audit-head", NULL, error) &&
         write_setting (self, "audit-head-seal", NULL, error);
}

/* The head a restored backup carries, when its seal holds with the key on this account. */
static gboolean
read_backup_head (StriaeStore  *self,
                  GBytes       *key,
                  const char   *database_id,
                  AuditHead    *head,
                  gboolean     *found,
                  GError      **error)
{
  g_autofree char *text = NULL;
  g_autofree char *seal = NULL;
  g_autofree char *expected = NULL;

  *found = FALSE;
  if (!read_setting (self, "audit-head", &text, error) ||
      !read_setting (self, "audit-head-seal", &seal, error))
    return FALSE;

  if (text == NULL || seal == NULL || key == NULL)
    return TRUE;

  expected = seal_head_text (key, database_id, text);
  *found = strcmp (expected, seal) == 0 && store_audit_head_from_text (text, head);
  if (!*found)
    g_debug ("The head in the backup restored to %s does not hold; it is ignored", self->name);
  return TRUE;
}

/* The id of the database the store holds, or NULL. */
char *
store_audit_dup_database_id (StriaeStore *self)
{
  g_autofree char *id = NULL;

  striae_store_backend_lock (self->backend);
  if (!read_setting (self, "database-id", &id, NULL))
    g_clear_pointer (&id, g_free);
  striae_store_backend_unlock (self->backend);

  return g_steal_pointer (&id);
}

/* The restored log sealed under a new key, in one transaction: all of it when it could be
 * checked with the old key (keeping the first damage found, as migration 5 does), otherwise
 * only the entries to come. */
static gboolean
reseal_as_new_database (StriaeStore  *self,
                        gboolean      checked,
                        gint64        first_damage,
                        GError      **error)
{
  g_autofree char *id = NULL;
  g_autofree char *place = NULL;
  g_autoptr(GBytes) key = NULL;
  g_auto(StriaeStoreAuditTail) tail = { 0 };
  AuditHead head = { 0 };

  if ((id = new_database_id (error)) == NULL || (key = new_key (error)) == NULL ||
      !write_setting (self, "database-id", id, error))
    return FALSE;

  if (checked)
    {
      head.keyed_from = 1;
      head.broken_before_keying = first_damage;
      if (!reseal_rows (self, key, &head, error))
        return FALSE;
    }
  else if (striae_store_backend_audit_get_tail (self->backend, 0, &tail, error))
    head_start (&head, &tail, tail.last_id + 1);
  else
    return FALSE;

  return store_anchor_create (self->anchor, id, key, &head, &place, error) &&
         write_setting (self, "audit-key-place", place, error) &&
         drop_backup_head (self, error);
}

/* A backup restored where its database was not: the copy becomes a database of its own,
 * with its own id, key and head, so that it and the original (which may live on elsewhere
 * on this account) never share a head. Its log is checked first with the old key, against
 * the head the backup carries (or else the original's). */
static gboolean
make_separate_database (StriaeStore  *self,
                        GError      **error)
{
  g_autofree char *id = NULL;
  g_autofree char *place = NULL;
  g_autoptr(GBytes) key = NULL;
  g_autoptr(StriaeAuditReport) report = NULL;
  gboolean has_head = FALSE, found = FALSE, ok;
  AuditHead head, backup_head;

  striae_store_backend_lock (self->backend);
  ok = store_audit_find_key (self, &id, &key, &head, &has_head, &place, error) &&
       read_backup_head (self, key, id, &backup_head, &found, error);
  striae_store_backend_unlock (self->backend);
  if (!ok)
    return FALSE;

  if (key != NULL)
    {
      report = store_audit_check_with (self, key,
                                       found ? &backup_head : (has_head ? &head : NULL),
                                       error);
      if (report == NULL)
        return FALSE;
    }

  striae_store_backend_lock (self->backend);
  ok = striae_store_backend_begin (self->backend, error) &&
       reseal_as_new_database (self, key != NULL,
                               report ? store_audit_report_first_damage (report) : 0, error) &&
       striae_store_backend_commit (self->backend, error);
  if (!ok)
    striae_store_backend_rollback (self->backend);
  striae_store_backend_unlock (self->backend);

  return ok;
}

/**
 * store_audit_adopt_backup_head:
 * @replaced_id: (nullable): the id of the database the restore replaced
 *
 * After a restore over the same database: the head the backup carries
 * (store_audit_seal_backup()) becomes the head kept outside, since the log went back to that
 * moment. A head whose seal does not hold is ignored, and the log is then compared with the
 * head kept outside as it was. A restore anywhere else makes a separate database.
 */
gboolean
store_audit_adopt_backup_head (StriaeStore  *self,
                               const char   *replaced_id,
                               GError      **error)
{
  g_autofree char *id = NULL;
  g_autofree char *place = NULL;
  g_autoptr(GBytes) key = NULL;
  gboolean has_head = FALSE, found = FALSE;
  AuditHead head, backup_head;
  gboolean ok;

  striae_store_backend_lock (self->backend);
  ok = store_audit_find_key (self, &id, &key, &head, &has_head, &place, error);
  striae_store_backend_unlock (self->backend);
  if (!ok)
    return FALSE;

  if (id == NULL || g_strcmp0 (id, replaced_id) != 0)
    return make_separate_database (self, error);

  striae_store_backend_lock (self->backend);
  ok = read_backup_head (self, key, id, &backup_head, &found, error);
  if (ok && found)
    ok = store_anchor_store_head (self->anchor, id, place, key, &backup_head, error);
  if (ok)
    ok = drop_backup_head (self, error);
  striae_store_backend_unlock (self->backend);

  return ok;
}
