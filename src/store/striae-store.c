/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <inttypes.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "sqlite/striae-sqlite-backend.h"
#include "striae-server-engine.h"
#include "striae-store-private.h"

#define SORT_KEY_SEPARATOR "\x1f"





G_DEFINE_FINAL_TYPE (StriaeStore, striae_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (striae-store-error-quark, striae_store_error)

enum {
  PATIENTS_CHANGED,
  SPOOL_SENT,
  SPOOL_REFUSED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static void
striae_store_finalize (GObject *object)
{
  StriaeStore *self = (StriaeStore *)object;
  g_autoptr(GError) error = NULL;

  if (self->bulk && !striae_store_end_bulk (self, &error))
    g_warning ("A bulk of writes to %s ended unfinished: %s", self->path, error->message);
  g_clear_object (&self->backend);
  store_audit_state_clear (&self->audit);
  store_audit_state_clear (&self->bulk_audit);
  g_clear_object (&self->anchor);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->user, g_free);
  g_clear_pointer (&self->notice, g_free);
  store_spool_clear (self);
  store_accounts_clear (self);

  G_OBJECT_CLASS (striae_store_parent_class)->finalize (object);
}

static void
striae_store_class_init (StriaeStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = striae_store_finalize;

  signals [PATIENTS_CHANGED] =
    g_signal_new ("patients-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);
  signals [SPOOL_SENT] =
    g_signal_new ("spool-sent",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_INT64, STRIAE_TYPE_CONSULTATION);
  signals [SPOOL_REFUSED] =
    g_signal_new ("spool-refused",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_INT64, G_TYPE_STRING, G_TYPE_STRING);
}

static void
striae_store_init (StriaeStore *self)
{
  store_spool_init (self);
  store_accounts_init (self);
}

/* Opening */

char *
striae_store_default_path (void)
{
  const char *env = g_getenv ("STRIAE_DATABASE");

  if (env != NULL && env[0] != '\0')
    return g_strdup (env);

  return g_build_filename (g_get_user_data_dir (), "striae", "striae.db", NULL);
}

int
striae_store_get_latest_schema_version (void)
{
  return striae_sqlite_backend_get_latest_schema_version ();
}

/* Migrations that need C code besides their statements, run in the same transaction after
 * them. */
static gboolean
run_migration_code (int        version,
                    gpointer   data,
                    GError   **error)
{
  StriaeStore *self = data;

  switch (version)
    {
    case 5:
      return store_audit_seal_log (self, error);
    case 9:
      /* Schema step "planned sessions": the index of session dates. */
      return store_index_all_sessions (self, error);
    case 13:
      /* Schema step "schedule" (issue 17): the schedule of the consultations signed before. */
      return store_schedule_all (self, error);
    default:
      return TRUE;
    }
}

static const StriaeStoreMigrationHooks migration_hooks = {
  .search_names = store_make_search_names,
  .after_step = run_migration_code,
};

static void
committed_hook_cb (gpointer data)
{
  store_audit_committed (data);
}

static void
rollback_hook_cb (gpointer data)
{
  store_audit_rolled_back (data);
}

/**
 * striae_store_is_server_location:
 * @location: where records are, as given to striae_store_open()
 *
 * Returns: whether @location names records on a clinic server (a libpq URI,
 *   postgresql://… or postgres://…) rather than a file
 */
gboolean
striae_store_is_server_location (const char *location)
{
  return striae_server_engine_is_location (location);
}

static gboolean
is_server_location (const char *location)
{
  return striae_store_is_server_location (location);
}

/* The factory: the backend that keeps the records at @location, opened after every check
 * that can refuse them and before anything writes to them. A file path goes to SQLite; a
 * clinic server's URI (postgresql://…) to PostgreSQL (issue 14). */
static StriaeStoreBackend *
open_backend (StriaeStore           *self,
              const char            *location,
              StriaeStoreOpenFlags   flags,
              int                   *version,
              GError               **error)
{
  gboolean read_only = (flags & STRIAE_STORE_OPEN_FLAGS_READ_ONLY) != 0;

  if (is_server_location (location))
    {
      const StriaeServerEngine *engine = striae_server_engine_get (error);

      return engine != NULL ? engine->open (location, read_only, committed_hook_cb,
                                            rollback_hook_cb, self, version, error)
                            : NULL;
    }

  return (StriaeStoreBackend *)
    striae_sqlite_backend_open (location, read_only, flags, committed_hook_cb,
                                rollback_hook_cb, self, version, &self->notice, error);
}

/* Whether @backup can be restored into the records at @location, asked of the kind of
 * backend that keeps them before they are opened (which would create missing ones). A
 * server is backed up and restored with its own tools. */
gboolean
store_check_backup (const char  *location,
                    const char  *backup,
                    GError     **error)
{
  if (is_server_location (location))
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_SUPPORTED,
                   _("The records on a clinic server are backed up and restored with the "
                     "server’s own tools (pg_dump and pg_restore), not by Striae."));
      return FALSE;
    }

  return striae_sqlite_backend_check_backup (backup, error);
}

/**
 * striae_store_open_full:
 * @location: (nullable): where the records are (see striae_store_open())
 */
StriaeStore *
striae_store_open_full (const char            *location,
                        StriaeStoreOpenFlags   flags,
                        GError               **error)
{
  g_autoptr(StriaeAuditAnchor) anchor = striae_audit_anchor_new ();

  return striae_store_open_with_anchor (location, flags, anchor, error);
}

/**
 * striae_store_open_with_anchor:
 * @anchor: where the audit log's key and head are kept
 *
 * striae_store_open_full() with the audit key and head kept by @anchor, rather than in the
 * user's keyring or configuration folder.
 */
StriaeStore *
striae_store_open_with_anchor (const char            *location,
                               StriaeStoreOpenFlags   flags,
                               StriaeAuditAnchor     *anchor,
                               GError               **error)
{
  g_autoptr(StriaeStore) self = NULL;
  g_autofree char *default_path = NULL;
  gboolean read_only = (flags & STRIAE_STORE_OPEN_FLAGS_READ_ONLY) != 0;
  int version = 0;

  g_return_val_if_fail (STRIAE_IS_AUDIT_ANCHOR (anchor), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (location == NULL)
    location = default_path = striae_store_default_path ();

  self = g_object_new (STRIAE_TYPE_STORE, NULL);
  self->path = g_strdup (location);
  self->name = is_server_location (location) ? striae_store_server_describe (location)
                                             : g_strdup (location);
  self->read_only = read_only;
  self->anchor = g_object_ref (anchor);

  if ((self->backend = open_backend (self, location, flags, &version, error)) == NULL)
    return NULL;

  if (!read_only &&
      !striae_store_backend_migrate (self->backend, &migration_hooks, self, error))
    return NULL;
  self->schema_version = striae_store_backend_get_schema_version (self->backend);

  if (!striae_store_backend_ready (self->backend, error) ||
      !store_accounts_load (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * striae_store_open:
 * @location: (nullable): where the records are: the path of a database file (created when
 *   missing); %NULL for the default one (striae_store_default_path())
 *
 * Opens the records, after every check that can refuse them (not a Striae database, from a
 * newer Striae, read-only), and brings them up to this version's schema.
 */
StriaeStore *
striae_store_open (const char  *location,
                   GError     **error)
{
  return striae_store_open_full (location, STRIAE_STORE_OPEN_FLAGS_NONE, error);
}

/**
 * striae_store_get_backend:
 *
 * Returns: (transfer none): the backend that keeps the records, for what only it can say
 *   (striae_store_backend_dup_engine())
 */
StriaeStoreBackend *
striae_store_get_backend (StriaeStore *self)
{
  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);

  return self->backend;
}

/**
 * striae_store_wait_checked:
 *
 * Waits for the verdict of the check of records opened with
 * %STRIAE_STORE_OPEN_FLAGS_CHECK_IN_BACKGROUND (at once for others): what goes out of the
 * records (a sheet, a copy) asks it first, as every write does by itself. Any thread.
 *
 * Returns: %FALSE with @error set when the records are damaged
 */
gboolean
striae_store_wait_checked (StriaeStore  *self,
                           GError      **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return striae_store_backend_wait_checked (self->backend, NULL, error);
}

static void
wait_checked_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  StriaeStore *self = source_object;
  GError *error = NULL;

  if (striae_store_backend_wait_checked (self->backend, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * striae_store_wait_checked_async:
 *
 * striae_store_wait_checked() in a worker thread, for the window, which shows the records
 * while they are checked and closes them if they are found damaged. The task holds the
 * records until it ends: cancelling @cancellable ends the wait (G_IO_ERROR_CANCELLED), so
 * that records closed before the verdict are not kept open by it.
 */
void
striae_store_wait_checked_async (StriaeStore         *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (STRIAE_IS_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, striae_store_wait_checked_async);
  g_task_run_in_thread (task, wait_checked_thread);
}

gboolean
striae_store_wait_checked_finish (StriaeStore   *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * striae_store_get_notice:
 *
 * Returns: (nullable): a sentence about what opening the database changed (its mode was
 *   narrowed to the owner's alone), for the user to read; %NULL when nothing was changed
 */
const char *
striae_store_get_notice (StriaeStore *self)
{
  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);

  return self->notice;
}

/* One asking of the backend, under its lock: 1 when the records were changed elsewhere,
 * 0 when not, -1 with @error set when they could not be asked. */
static gssize
poll_changes (StriaeStore  *self,
              GError      **error)
{
  gboolean changed = FALSE;
  gboolean ok;

  striae_store_backend_lock (self->backend);
  ok = striae_store_backend_poll_changes (self->backend, &changed, error);
  striae_store_backend_unlock (self->backend);
  return ok ? (changed ? 1 : 0) : -1;
}

/**
 * striae_store_check_changes:
 *
 * Asks the backend whether someone else (another Striae on this computer or, on a clinic
 * server, another PC) changed the records since the last check, and if so emits
 * "patients-changed" with 0, so that whatever shows the records reads them again. The first
 * check only takes note. Meant to be called now and then from the main loop.
 *
 * Returns: %FALSE with @error set when the records could not be asked
 */
gboolean
striae_store_check_changes (StriaeStore  *self,
                            GError      **error)
{
  gssize changed;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  changed = poll_changes (self, error);
  if (changed > 0)
    store_emit_patients_changed (self, 0);
  return changed >= 0;
}

static void
check_changes_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  GError *error = NULL;
  gssize changed = poll_changes (source_object, &error);

  if (changed >= 0)
    g_task_return_int (task, changed);
  else
    g_task_return_error (task, error);
}

/**
 * striae_store_check_changes_async:
 *
 * striae_store_check_changes() with the asking in a worker thread, for the window: a clinic
 * server's round trip, or a network that went away, never holds up a frame (issue 15).
 * striae_store_check_changes_finish() emits "patients-changed" in the caller's thread.
 */
void
striae_store_check_changes_async (StriaeStore         *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (STRIAE_IS_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, striae_store_check_changes_async);
  g_task_run_in_thread (task, check_changes_thread);
}

gboolean
striae_store_check_changes_finish (StriaeStore   *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  gssize changed;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  changed = g_task_propagate_int (G_TASK (result), error);
  if (changed < 0)
    return FALSE;
  if (changed)
    store_emit_patients_changed (self, 0);
  return TRUE;
}

const char *
striae_store_get_path (StriaeStore *self)
{
  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);
  return self->path;
}

int
striae_store_get_schema_version (StriaeStore *self)
{
  g_return_val_if_fail (STRIAE_IS_STORE (self), 0);
  return self->schema_version;
}

gboolean
striae_store_is_read_only (StriaeStore *self)
{
  g_return_val_if_fail (STRIAE_IS_STORE (self), TRUE);
  return self->read_only;
}

/* Names @user (a practitioner's name) in the audit log for the changes made through this
 * store from now on, when a call does not name someone itself. %NULL or "" goes back to the
 * default, "system:" and the name of the operating-system account. A signed-in account
 * (striae_store_sign_in()) always wins over it. */
void
striae_store_set_user (StriaeStore *self,
                       const char  *user)
{
  g_return_if_fail (STRIAE_IS_STORE (self));

  g_free (self->user);
  self->user = (user != NULL && user[0] != '\0') ? g_strdup (user) : NULL;
}

char *
striae_store_dup_user (StriaeStore *self)
{
  char *account;

  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);

  /* The signed-in account wins over any name typed. */
  if ((account = store_dup_account_actor (self)) != NULL)
    return account;
  if (self->user != NULL)
    return g_strdup (self->user);

  return g_strconcat ("system:", g_get_user_name (), NULL);
}

void
store_emit_patients_changed (StriaeStore *self,
                             gint64       id)
{
  g_signal_emit (self, signals [PATIENTS_CHANGED], 0, id);
}

void
store_emit_spool_sent (StriaeStore        *self,
                       gint64              old_id,
                       StriaeConsultation *consultation)
{
  g_signal_emit (self, signals [SPOOL_SENT], 0, old_id, consultation);
}

void
store_emit_spool_refused (StriaeStore  *self,
                          gint64        id,
                          const char   *local_id,
                          const GError *error)
{
  g_signal_emit (self, signals [SPOOL_REFUSED], 0, id, local_id, error->message);
}

/* Caps the size of the database file (rounded down to whole pages) for this connection;
 * writes beyond it fail with STRIAE_STORE_ERROR_FULL, as on a full disk. 0 lifts the cap. */
gboolean
striae_store_set_size_limit (StriaeStore  *self,
                             guint64       max_bytes,
                             GError      **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return striae_store_backend_set_size_limit (self->backend, max_bytes, error);
}

/* Patients */

static char *
fold_for_sorting (const char *text)
{
  g_autofree char *decomposed = g_utf8_normalize (text, -1, G_NORMALIZE_NFKD);
  g_autoptr(GString) bare = NULL;

  if (decomposed == NULL)
    return g_strdup (text);

  bare = g_string_sized_new (strlen (decomposed));
  for (const char *p = decomposed; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_ismark (c))
        g_string_append_unichar (bare, c);
    }

  return g_utf8_casefold (bare->str, bare->len);
}

static char *
make_sort_key (StriaePatient *patient)
{
  g_autofree char *family = fold_for_sorting (striae_patient_get_family_name (patient));
  g_autofree char *given = fold_for_sorting (striae_patient_get_given_name (patient));

  return g_strconcat (family, SORT_KEY_SEPARATOR, given, NULL);
}

/* Folds @word roughly as the index's tokenizer (unicode61 remove_diacritics 2) does:
 * canonical decomposition without the marks, in lower case. */
static char *
fold_like_tokenizer (const char *word)
{
  g_autofree char *decomposed = g_utf8_normalize (word, -1, G_NORMALIZE_NFD);
  g_autoptr(GString) bare = NULL;

  if (decomposed == NULL)
    return g_utf8_strdown (word, -1);

  bare = g_string_sized_new (strlen (decomposed));
  for (const char *p = decomposed; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_ismark (c))
        g_string_append_unichar (bare, c);
    }

  return g_utf8_strdown (bare->str, bare->len);
}

/* Whether @word holds a letter that Unicode does not decompose into a base letter and
 * marks (ł, ø, ß, but also every Cyrillic or Greek letter), the only ones the tokenizer
 * leaves as they are. */
static gboolean
has_undecomposed_letter (const char *word)
{
  for (const char *p = word; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      gunichar decomposition[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];

      if (c >= 0x80 && !g_unichar_ismark (c) &&
          g_unichar_fully_decompose (c, FALSE, decomposition,
                                     G_N_ELEMENTS (decomposition)) == 1)
        return TRUE;
    }

  return FALSE;
}

static void
append_spelling (GString    *out,
                 const char *spelling,
                 const char *folded_word)
{
  g_autofree char *folded = fold_like_tokenizer (spelling);

  if (strcmp (folded, folded_word) == 0)
    return;

  if (out->len > 0)
    g_string_append_c (out, ' ');
  g_string_append (out, folded);
}

/* Appends to @out the ASCII spellings of @word (one word, valid UTF-8) that the tokenizer
 * would not derive itself, as GLib's locale-independent transliteration writes them
 * ("Mikołaj" gives "mikolaj", "Strauß" gives "strauss"). GLib spells ø, æ, œ and ß with two
 * letters, as German spells ö; people who lack the letter type "lochen" as often as
 * "loechen" for "Løchen", so such a letter also gives a spelling with the first of the two
 * (but not a ligature like ﬁ, which Unicode itself spells out). A letter GLib cannot spell
 * in ASCII (Cyrillic, Greek, đ, ı) stays as it is. */
static void
append_ascii_spellings (GString    *out,
                        const char *word)
{
  g_autofree char *composed = g_utf8_normalize (word, -1, G_NORMALIZE_NFC);
  g_autofree char *folded_word = NULL;
  g_autoptr(GString) full = NULL;
  g_autoptr(GString) short_form = NULL;
  gboolean has_short_form = FALSE;

  if (composed == NULL || !has_undecomposed_letter (composed))
    return;

  full = g_string_sized_new (strlen (composed));
  short_form = g_string_sized_new (strlen (composed));
  for (const char *p = composed; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      gunichar decomposition[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];
      char utf8[8] = { 0 };
      g_autofree char *ascii = NULL;

      if (c < 0x80)
        {
          g_string_append_c (full, (char) c);
          g_string_append_c (short_form, (char) c);
          continue;
        }

      g_unichar_to_utf8 (c, utf8);
      ascii = g_str_to_ascii (utf8, "C");
      if (ascii[0] == '\0' || strchr (ascii, '?') != NULL)
        {
          g_string_append (full, utf8);
          g_string_append (short_form, utf8);
        }
      else if (ascii[1] != '\0' &&
               g_unichar_fully_decompose (c, TRUE, decomposition,
                                          G_N_ELEMENTS (decomposition)) == 1)
        {
          g_string_append (full, ascii);
          g_string_append_c (short_form, ascii[0]);
          has_short_form = TRUE;
        }
      else
        {
          g_string_append (full, ascii);
          g_string_append (short_form, ascii);
        }
    }

  folded_word = fold_like_tokenizer (composed);
  append_spelling (out, full->str, folded_word);
  if (has_short_form)
    append_spelling (out, short_form->str, folded_word);
}

/* The words the index holds besides the names themselves, so that a name is found when
 * typed without the letters the tokenizer does not fold; empty for most names. */
char *
store_make_search_names (const char *given,
                         const char *family)
{
  const char *names[] = { given, family };
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *valid = NULL;
      g_autoptr(GPtrArray) words = NULL;

      if (names[i] == NULL || g_str_is_ascii (names[i]))
        continue;

      valid = g_utf8_make_valid (names[i], -1);
      words = striae_store_backend_split_words (valid);
      for (guint j = 0; j < words->len; j++)
        append_ascii_spellings (out, g_ptr_array_index (words, j));
    }

  return g_string_free (out, FALSE);
}

/* striae_search_names (given_name, family_name), for migration 4. */
static char *
phone_digits (const char *phone)
{
  GString *digits = g_string_new (NULL);

  for (const char *p = phone; *p; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (digits, *p);

  return g_string_free (digits, FALSE);
}

gboolean
store_validate_patient (StriaePatient  *patient,
                        const GDate    *today,
                        GError        **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!striae_patient_validate (patient, today, NULL, &local_error))
    {
      g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
                           local_error->message);
      return FALSE;
    }

  return TRUE;
}

/* The keys the records layer computes for a patient's row: the phone number's digits, the
 * sort key and the search names. */
void
store_patient_keys_init (StriaeStorePatientKeys *keys,
                         StriaePatient          *patient)
{
  keys->phone_digits = phone_digits (striae_patient_get_phone (patient));
  keys->sort_key = make_sort_key (patient);
  keys->search_names = store_make_search_names (striae_patient_get_given_name (patient),
                                                striae_patient_get_family_name (patient));
}

/* The keys of one row, computed as the backend stores it (StriaeStorePatientKeysFunc). */
static void
patient_keys_cb (StriaePatient          *patient,
                 StriaeStorePatientKeys *keys,
                 gpointer                data)
{
  store_patient_keys_init (keys, patient);
}

/* Inserts one patient inside the caller's transaction, with @record_id or, when that is
 * %NULL, a new one; sets nothing on @patient. */
gboolean
store_insert_patient (StriaeStore    *self,
                      StriaePatient  *patient,
                      const char     *now,
                      const char     *record_id,
                      gint64         *id,
                      GError        **error)
{
  g_autoptr(GPtrArray) one = g_ptr_array_new ();
  g_autoptr(GDateTime) time = striae_store_parse_timestamp (now);
  const char *record_ids[] = { record_id };

  g_ptr_array_add (one, patient);

  return striae_store_backend_insert_patients (self->backend, one, patient_keys_cb, NULL,
                                               record_ids, time, id, error);
}

static gboolean
check_new (StriaePatient  *patient,
           GError        **error)
{
  if (striae_patient_get_id (patient) != 0)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
                   _("This patient is already stored (number %" PRId64 ")."),
                   striae_patient_get_id (patient));
      return FALSE;
    }

  return TRUE;
}

gboolean
striae_store_add_patient (StriaeStore    *self,
                          StriaePatient  *patient,
                          GError        **error)
{
  g_autoptr(GPtrArray) one = NULL;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (STRIAE_IS_PATIENT (patient), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!striae_store_may (self, STRIAE_RIGHT_PATIENTS, error))
    return FALSE;

  one = g_ptr_array_new ();
  g_ptr_array_add (one, patient);

  return striae_store_add_patients (self, one, error);
}

/* Adds all of @patients (StriaePatient objects) in one transaction, or none of them. On
 * success each patient gets its id and its created and updated times. */
gboolean
striae_store_add_patients (StriaeStore  *self,
                           GPtrArray    *patients,
                           GError      **error)
{
  g_autoptr(GDateTime) now = NULL;
  g_autofree gint64 *ids = NULL;
  GDate today;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (patients != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!striae_store_may (self, STRIAE_RIGHT_PATIENTS, error))
    return FALSE;

  striae_get_today (&today);

  for (guint i = 0; i < patients->len; i++)
    {
      StriaePatient *patient = g_ptr_array_index (patients, i);

      g_return_val_if_fail (STRIAE_IS_PATIENT (patient), FALSE);

      if (!check_new (patient, error) || !store_validate_patient (patient, &today, error))
        {
          if (patients->len > 1)
            g_prefix_error (error, _("Patient %u of %u: "), i + 1, patients->len);
          return FALSE;
        }
    }

  if (patients->len == 0)
    return TRUE;

  now = g_date_time_new_now_utc ();
  ids = g_new0 (gint64, patients->len);

  striae_store_backend_lock (self->backend);

  if (!striae_store_backend_begin (self->backend, error) ||
      !striae_store_backend_insert_patients (self->backend, patients, patient_keys_cb, NULL,
                                             NULL, now, ids, error))
    goto fail;

  if (!store_audit_append_patients (self, STRIAE_AUDIT_CREATE, ids, patients->len, "patient",
                                    error))
    goto fail;

  if (!striae_store_backend_commit (self->backend, error))
    goto fail;

  striae_store_backend_unlock (self->backend);

  for (guint i = 0; i < patients->len; i++)
    {
      StriaePatient *patient = g_ptr_array_index (patients, i);

      striae_patient_set_id (patient, ids[i]);
      striae_patient_set_created (patient, now);
      striae_patient_set_updated (patient, now);
    }

  g_signal_emit (self, signals [PATIENTS_CHANGED], 0, patients->len == 1 ? ids[0] : 0);

  return TRUE;

fail:
  striae_store_backend_rollback (self->backend);
  striae_store_backend_unlock (self->backend);
  return FALSE;
}

gboolean
striae_store_update_patient (StriaeStore    *self,
                             StriaePatient  *patient,
                             GError        **error)
{
  g_auto(StriaeStorePatientKeys) keys = { NULL, };
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) created = NULL;
  gboolean found = FALSE;
  gint64 id;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (STRIAE_IS_PATIENT (patient), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!striae_store_may (self, STRIAE_RIGHT_PATIENTS, error))
    return FALSE;

  if (!store_validate_patient (patient, NULL, error))
    return FALSE;

  id = striae_patient_get_id (patient);
  now = g_date_time_new_now_utc ();
  store_patient_keys_init (&keys, patient);

  striae_store_backend_lock (self->backend);

  /* The change and its audit row are one transaction. */
  if (!striae_store_backend_begin (self->backend, error) ||
      !striae_store_backend_update_patient (self->backend, patient, &keys, now, &found,
                                            &created, error))
    goto fail;

  if (!found)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND,
                   _("There is no patient number %" PRId64 "; "
                     "they may have been deleted."), id);
      goto fail;
    }

  if (!store_audit_append (self, STRIAE_AUDIT_UPDATE, NULL, id, 0, "patient", error) ||
      !striae_store_backend_commit (self->backend, error))
    goto fail;

  striae_store_backend_unlock (self->backend);

  striae_patient_set_updated (patient, now);
  if (created != NULL)
    striae_patient_set_created (patient, created);

  g_signal_emit (self, signals [PATIENTS_CHANGED], 0, id);

  return TRUE;

fail:
  striae_store_backend_rollback (self->backend);
  striae_store_backend_unlock (self->backend);
  return FALSE;
}

static void
set_not_found (GError **error,
               gint64   id)
{
  g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND,
               _("There is no patient number %" PRId64 "; they may have been deleted."),
               id);
}

StriaePatient *
striae_store_get_patient (StriaeStore  *self,
                          gint64        id,
                          GError      **error)
{
  StriaePatient *patient = NULL;

  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!striae_store_backend_get_patient (self->backend, id, &patient, error))
    return NULL;
  if (patient == NULL)
    set_not_found (error, id);

  return patient;
}

/**
 * striae_store_get_patient_archived:
 * @archived: (out): whether patient @id is archived
 *
 * Returns: %FALSE with @error set when there is no such patient
 */
gboolean
striae_store_get_patient_archived (StriaeStore  *self,
                                   gint64        id,
                                   gboolean     *archived,
                                   GError      **error)
{
  gboolean found = FALSE;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (archived != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!striae_store_backend_get_patient_archived (self->backend, id, &found, archived, error))
    return FALSE;
  if (!found)
    {
      set_not_found (error, id);
      return FALSE;
    }

  return TRUE;
}

/**
 * striae_store_set_patient_archived:
 * @archived: %TRUE to archive the patient, %FALSE to bring them back to the register
 * @practitioner: (nullable): who does it, for the audit log
 *
 * Archives patient @id, or brings them back: an archived patient keeps their whole record
 * but the register lists them only when asked for (striae_store_search_patients_full()).
 * Audited as "archive" or "unarchive"; setting what already holds changes and audits nothing.
 */
gboolean
striae_store_set_patient_archived (StriaeStore  *self,
                                   gint64        id,
                                   gboolean      archived,
                                   const char   *practitioner,
                                   GError      **error)
{
  gboolean changed = FALSE;
  gboolean found = FALSE;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!striae_store_may (self, STRIAE_RIGHT_ARCHIVE, error))
    return FALSE;

  striae_store_backend_lock (self->backend);

  if (!striae_store_backend_begin (self->backend, error) ||
      !striae_store_backend_set_patient_archived (self->backend, id, archived, &found,
                                                  &changed, error))
    goto fail;

  if (!found)
    {
      set_not_found (error, id);
      goto fail;
    }

  if (changed &&
      !store_audit_append (self, archived ? STRIAE_AUDIT_ARCHIVE : STRIAE_AUDIT_UNARCHIVE,
                           practitioner, id, 0, "", error))
    goto fail;

  if (!striae_store_backend_commit (self->backend, error))
    goto fail;

  striae_store_backend_unlock (self->backend);
  if (changed)
    store_emit_patients_changed (self, id);
  return TRUE;

fail:
  striae_store_backend_rollback (self->backend);
  striae_store_backend_unlock (self->backend);
  return FALSE;
}

gint64
striae_store_count_patients (StriaeStore  *self,
                             GError      **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE (self), -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  return striae_store_backend_count_patients (self->backend, error);
}

/* Search */

static GArray *
search_patients (StriaeStore        *self,
                 const char         *text,
                 guint               limit,
                 StriaeSearchFlags   flags,
                 GCancellable       *cancellable,
                 GError            **error)
{
  g_autofree char *search = store_search_text (text);

  return striae_store_backend_search_patients (self->backend, search, limit,
                                               (flags & STRIAE_SEARCH_FLAGS_ARCHIVED) != 0,
                                               cancellable, error);
}

/* Returns the ids (gint64) of the patients matching @text, best first; an empty @text lists
 * everyone by family then given name. @limit 0 means no limit. Archived patients are left
 * out (see striae_store_search_patients_full()). */
GArray *
striae_store_search_patients (StriaeStore  *self,
                              const char   *text,
                              guint         limit,
                              GError      **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return search_patients (self, text, limit, STRIAE_SEARCH_FLAGS_NONE, NULL, error);
}

/**
 * striae_store_search_patients_full:
 * @flags: %STRIAE_SEARCH_FLAGS_ARCHIVED to search the archived patients instead of the others
 *
 * As striae_store_search_patients(), among the patients @flags asks for.
 */
GArray *
striae_store_search_patients_full (StriaeStore        *self,
                                   const char         *text,
                                   guint               limit,
                                   StriaeSearchFlags   flags,
                                   GError            **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return search_patients (self, text, limit, flags, NULL, error);
}

typedef struct
{
  char              *text;
  guint              limit;
  StriaeSearchFlags  flags;
} SearchData;

static void
search_data_free (SearchData *data)
{
  g_free (data->text);
  g_free (data);
}

static void
search_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  SearchData *data = task_data;
  GError *error = NULL;
  GArray *ids;

  if (g_task_return_error_if_cancelled (task))
    return;

  ids = search_patients (source_object, data->text, data->limit, data->flags, cancellable,
                         &error);
  if (ids == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, ids, (GDestroyNotify) g_array_unref);
}

void
striae_store_search_patients_async (StriaeStore          *self,
                                    const char           *text,
                                    guint                 limit,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data)
{
  striae_store_search_patients_full_async (self, text, limit, STRIAE_SEARCH_FLAGS_NONE,
                                           cancellable, callback, user_data);
}

/* As striae_store_search_patients_async(), among the patients @flags asks for; finish with
 * striae_store_search_patients_finish(). */
void
striae_store_search_patients_full_async (StriaeStore          *self,
                                         const char           *text,
                                         guint                 limit,
                                         StriaeSearchFlags     flags,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  SearchData *data;

  g_return_if_fail (STRIAE_IS_STORE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (SearchData, 1);
  data->text = g_strdup (text ? text : "");
  data->limit = limit;
  data->flags = flags;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, striae_store_search_patients_async);
  g_task_set_task_data (task, data, (GDestroyNotify) search_data_free);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, search_thread);
}

GArray *
striae_store_search_patients_finish (StriaeStore   *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
