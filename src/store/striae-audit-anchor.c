/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <string.h>
#include <unistd.h>

#include "striae-store-private.h"

/* A database's audit key is 32 random bytes that never enter the database: whoever can write
 * the database file alone cannot reseal its audit log. The head (how far Striae wrote the
 * log) lives beside the key, so that a log cut short or emptied still disagrees with it.
 *
 * In the keyring, one item per database (attribute "database", the database's random id)
 * holds both as its secret, a small key file with groups [Key] and [Head]. Without a usable
 * keyring, the folder holds audit-ID.key (the 32 bytes, mode 0600, created once with
 * O_EXCL) and audit-ID.head beside it (mode 0600, replaced whole at each change). */

#define HEAD_GROUP "Head"
#define KEY_GROUP "Key"
#define PLACE_KEYRING "keyring"
#define PLACE_FILE "file"

struct _StriaeAuditAnchor
{
  GObject   parent_instance;

  char     *folder;      /* where key files go; NULL: the keyring only */
  gboolean  use_keyring;
};

G_DEFINE_FINAL_TYPE (StriaeAuditAnchor, striae_audit_anchor, G_TYPE_OBJECT)

static void
striae_audit_anchor_finalize (GObject *object)
{
  StriaeAuditAnchor *self = (StriaeAuditAnchor *) object;

  g_clear_pointer (&self->folder, g_free);

  G_OBJECT_CLASS (striae_audit_anchor_parent_class)->finalize (object);
}

static void
striae_audit_anchor_class_init (StriaeAuditAnchorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = striae_audit_anchor_finalize;
}

static void
striae_audit_anchor_init (StriaeAuditAnchor *self)
{
}

/**
 * striae_audit_anchor_new:
 *
 * The user's keyring when it can be used, otherwise key files in the user's configuration
 * folder (`~/.config/striae/`). A key made in one place is looked for there again. When
 * `STRIAE_AUDIT_KEY_DIR` is set, only key files in that folder are used, never the keyring:
 * tests and scripted runs set it so that they never touch a real keyring.
 */
StriaeAuditAnchor *
striae_audit_anchor_new (void)
{
  const char *env = g_getenv ("STRIAE_AUDIT_KEY_DIR");
  StriaeAuditAnchor *self;

  if (env != NULL && env[0] != '\0')
    return striae_audit_anchor_new_for_folder (env);

  self = g_object_new (STRIAE_TYPE_AUDIT_ANCHOR, NULL);
  self->folder = g_build_filename (g_get_user_config_dir (), "striae", NULL);
  self->use_keyring = TRUE;
  return self;
}

/* Key files in @folder only. */
StriaeAuditAnchor *
striae_audit_anchor_new_for_folder (const char *folder)
{
  StriaeAuditAnchor *self;

  g_return_val_if_fail (folder != NULL && folder[0] != '\0', NULL);

  self = g_object_new (STRIAE_TYPE_AUDIT_ANCHOR, NULL);
  self->folder = g_strdup (folder);
  return self;
}

/* The keyring only: without one, keys can be neither made nor read. */
StriaeAuditAnchor *
striae_audit_anchor_new_for_keyring (void)
{
  StriaeAuditAnchor *self = g_object_new (STRIAE_TYPE_AUDIT_ANCHOR, NULL);

  self->use_keyring = TRUE;
  return self;
}

/* The folder of key files, or %NULL when only the keyring is used. */
const char *
striae_audit_anchor_get_folder (StriaeAuditAnchor *self)
{
  g_return_val_if_fail (STRIAE_IS_AUDIT_ANCHOR (self), NULL);

  return self->folder;
}

gboolean
striae_audit_anchor_uses_keyring (StriaeAuditAnchor *self)
{
  g_return_val_if_fail (STRIAE_IS_AUDIT_ANCHOR (self), FALSE);

  return self->use_keyring;
}

/* Heads as text */

static void
head_to_key_file (const AuditHead *head,
                  GKeyFile        *file)
{
  g_key_file_set_int64 (file, HEAD_GROUP, "LastEntry", head->last_entry);
  g_key_file_set_string (file, HEAD_GROUP, "Seal", head->seal);
  g_key_file_set_int64 (file, HEAD_GROUP, "CutFrom", head->cut_from);
  g_key_file_set_int64 (file, HEAD_GROUP, "ResealedAt", head->resealed_at);
  g_key_file_set_int64 (file, HEAD_GROUP, "BrokenBeforeKeying", head->broken_before_keying);
  g_key_file_set_int64 (file, HEAD_GROUP, "KeyedFrom", head->keyed_from);
  g_key_file_set_int64 (file, HEAD_GROUP, "HeadLostAt", head->head_lost_at);
}

static gboolean
head_from_key_file (GKeyFile  *file,
                    AuditHead *head)
{
  static const char * const numbers[] = {
    "LastEntry", "CutFrom", "ResealedAt", "BrokenBeforeKeying", "KeyedFrom", "HeadLostAt",
  };
  gint64 values[G_N_ELEMENTS (numbers)];
  g_autofree char *seal = NULL;

  /* Only the entry is required: what Striae noticed defaults to nothing noticed. */
  for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
    {
      g_autoptr(GError) error = NULL;

      values[i] = g_key_file_get_int64 (file, HEAD_GROUP, numbers[i], &error);
      if (i > 0 && g_error_matches (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND))
        {
          values[i] = 0;
          g_clear_error (&error);
        }
      if (error != NULL || values[i] < 0)
        return FALSE;
    }

  seal = g_key_file_get_string (file, HEAD_GROUP, "Seal", NULL);
  if (seal == NULL || strlen (seal) > AUDIT_SEAL_HEX)
    return FALSE;

  memset (head, 0, sizeof *head);
  head->last_entry = values[0];
  g_strlcpy (head->seal, seal, sizeof head->seal);
  head->cut_from = values[1];
  head->resealed_at = values[2];
  head->broken_before_keying = values[3];
  head->keyed_from = MAX (values[4], 1);
  head->head_lost_at = values[5];
  return TRUE;
}

char *
store_audit_head_to_text (const AuditHead *head)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();

  head_to_key_file (head, file);
  return g_key_file_to_data (file, NULL, NULL);
}

gboolean
store_audit_head_from_text (const char *text,
                            AuditHead  *head)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();

  return g_key_file_load_from_data (file, text, -1, G_KEY_FILE_NONE, NULL) &&
         head_from_key_file (file, head);
}

/* A database id names files: 32 lower-case hexadecimal digits and nothing else, whatever the
 * database file says. */
gboolean
store_is_database_id (const char *text)
{
  if (text == NULL || strlen (text) != 32)
    return FALSE;

  for (const char *p = text; *p; p++)
    if (!g_ascii_isxdigit (*p) || g_ascii_isupper (*p))
      return FALSE;

  return TRUE;
}

/* Key files */

static char *
key_file_path (StriaeAuditAnchor *self,
               const char        *database_id,
               const char        *suffix)
{
  g_autofree char *name = g_strconcat ("audit-", database_id, suffix, NULL);

  return g_build_filename (self->folder, name, NULL);
}

/* Messages name the file and say what the system said. */
#define set_file_error(error, message, path, saved_errno) \
  G_STMT_START { \
    const char *reason = g_strerror (saved_errno); \
    g_set_error ((error), STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FAILED, (message), (path), \
                 reason); \
  } G_STMT_END

/* Reads the key file; TRUE with *key NULL when there is none. */
static gboolean
read_key_file (StriaeAuditAnchor  *self,
               const char         *database_id,
               GBytes            **key,
               GError            **error)
{
  g_autofree char *path = key_file_path (self, database_id, ".key");
  guint8 buffer[AUDIT_KEY_SIZE + 1];
  gssize n;
  int fd;

  *key = NULL;
  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW, 0);
  if (fd < 0 && errno == ENOENT)
    return TRUE;
  if (fd < 0)
    {
      int saved_errno = errno;

      set_file_error (error, _("The audit key %s cannot be read: %s"), path, saved_errno);
      return FALSE;
    }

  do
    n = read (fd, buffer, sizeof buffer);
  while (n < 0 && errno == EINTR);
  close (fd);

  if (n != AUDIT_KEY_SIZE)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FAILED,
                   _("The audit key %s is damaged: it does not hold 32 bytes."), path);
      return FALSE;
    }

  *key = g_bytes_new (buffer, AUDIT_KEY_SIZE);
  return TRUE;
}

static gboolean
read_head_file (StriaeAuditAnchor *self,
                const char        *database_id,
                AuditHead         *head,
                gboolean          *has_head)
{
  g_autofree char *path = key_file_path (self, database_id, ".head");
  g_autoptr(GKeyFile) file = g_key_file_new ();

  *has_head = g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, NULL) &&
              head_from_key_file (file, head);
  return *has_head;
}

/* The folder holds keys: only its owner may list it, whatever the umask. */
static gboolean
make_private_folder (const char  *folder,
                     GError     **error)
{
  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved_errno = errno;

      set_file_error (error, _("The folder %s for audit keys cannot be created: %s"), folder,
                      saved_errno);
      return FALSE;
    }

  if (g_chmod (folder, 0700) != 0)
    {
      int saved_errno = errno;

      set_file_error (error, _("The folder %s for audit keys cannot be made private: %s"),
                      folder, saved_errno);
      return FALSE;
    }

  return TRUE;
}

static gboolean
write_head_file (StriaeAuditAnchor  *self,
                 const char         *database_id,
                 const AuditHead    *head,
                 GError            **error)
{
  g_autofree char *path = key_file_path (self, database_id, ".head");
  g_autofree char *text = store_audit_head_to_text (head);
  g_autoptr(GError) local_error = NULL;

  if (!g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                 &local_error))
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FAILED,
                   _("The head of the audit log cannot be saved in %s: %s"), path,
                   local_error->message);
      return FALSE;
    }

  return TRUE;
}

/* Writes the key once: O_EXCL refuses to replace a key that exists, since every seal made
 * with it would be lost. */
static gboolean
create_key_file (StriaeAuditAnchor  *self,
                 const char         *database_id,
                 GBytes             *key,
                 GError            **error)
{
  g_autofree char *path = key_file_path (self, database_id, ".key");
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (key, &size);
  gssize n;
  int fd;

  if (!make_private_folder (self->folder, error))
    return FALSE;

  fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;

      set_file_error (error, _("The audit key %s cannot be created: %s"), path, saved_errno);
      return FALSE;
    }

  do
    n = write (fd, data, size);
  while (n < 0 && errno == EINTR);

  if (n != (gssize) size || fsync (fd) != 0)
    {
      int saved_errno = n < 0 ? errno : EIO;

      close (fd);
      g_unlink (path);
      set_file_error (error, _("The audit key %s cannot be created: %s"), path, saved_errno);
      return FALSE;
    }

  close (fd);
  return TRUE;
}

/* The keyring */

static const SecretSchema *
key_schema (void)
{
  static const SecretSchema schema = {
    "io.github.striae.Striae.AuditKey", SECRET_SCHEMA_NONE,
    {
      { "database", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

static void
set_keyring_error (GError     **error,
                   const GError *cause)
{
  g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FAILED,
               _("The keyring holding the audit key cannot be used: %s. Unlock it (log in "
                 "to the desktop) and try again."), cause->message);
}

/* Finds the item of @database_id, locked ones included, and unlocks it (the keyring may ask
 * for the password). TRUE with *item NULL when the keyring has none. */
static gboolean
find_keyring_item (const char   *database_id,
                   SecretItem  **item,
                   GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(SecretService) service = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  GList *items;

  *item = NULL;
  service = secret_service_get_sync (SECRET_SERVICE_OPEN_SESSION, NULL, &local_error);
  if (service == NULL)
    {
      set_keyring_error (error, local_error);
      return FALSE;
    }

  attributes = secret_attributes_build (key_schema (), "database", database_id, NULL);
  items = secret_service_search_sync (service, key_schema (), attributes,
                                      SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK |
                                      SECRET_SEARCH_LOAD_SECRETS, NULL, &local_error);
  if (local_error != NULL)
    {
      set_keyring_error (error, local_error);
      return FALSE;
    }

  if (items != NULL)
    *item = g_object_ref (items->data);
  g_list_free_full (items, g_object_unref);

  if (*item != NULL && secret_item_get_locked (*item))
    {
      g_clear_object (item);
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FAILED,
                   _("The keyring holding the audit key is locked. Unlock it (log in to the "
                     "desktop) and try again."));
      return FALSE;
    }

  return TRUE;
}

static char *
keyring_secret_text (GBytes          *key,
                     const AuditHead *head)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *encoded = NULL;
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (key, &size);

  encoded = g_base64_encode (data, size);
  g_key_file_set_string (file, KEY_GROUP, "Secret", encoded);
  head_to_key_file (head, file);
  return g_key_file_to_data (file, NULL, NULL);
}

static gboolean
parse_keyring_secret (SecretItem  *item,
                      GBytes     **key,
                      AuditHead   *head,
                      gboolean    *has_head,
                      GError     **error)
{
  g_autoptr(SecretValue) value = secret_item_get_secret (item);
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *encoded = NULL;
  g_autofree guint8 *data = NULL;
  const char *text = value ? secret_value_get_text (value) : NULL;
  gsize size = 0;

  /* An item whose secret did not load is locked, whatever its cached state says. */
  if (value == NULL)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FAILED,
                   _("The keyring holding the audit key is locked. Unlock it (log in to the "
                     "desktop) and try again."));
      return FALSE;
    }

  if (text != NULL && g_key_file_load_from_data (file, text, -1, G_KEY_FILE_NONE, NULL))
    encoded = g_key_file_get_string (file, KEY_GROUP, "Secret", NULL);
  if (encoded != NULL)
    data = g_base64_decode (encoded, &size);

  if (size != AUDIT_KEY_SIZE)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FAILED,
                   _("The audit key in the keyring is damaged."));
      return FALSE;
    }

  *key = g_bytes_new (data, size);
  *has_head = head_from_key_file (file, head);
  return TRUE;
}

static gboolean
default_keyring_is_open (SecretService  *service,
                         GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(SecretCollection) collection = NULL;

  collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT,
                                                 SECRET_COLLECTION_NONE, NULL, &local_error);
  if (collection != NULL && !secret_collection_get_locked (collection))
    return TRUE;

  g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FAILED,
                       local_error != NULL ? local_error->message
                                           : _("The default keyring is missing or locked."));
  return FALSE;
}

static gboolean
store_keyring_item (const char       *database_id,
                    GBytes           *key,
                    const AuditHead  *head,
                    GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(SecretService) service = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(SecretValue) value = NULL;
  g_autofree char *text = keyring_secret_text (key, head);
  g_autofree char *label = NULL;

  service = secret_service_get_sync (SECRET_SERVICE_OPEN_SESSION, NULL, &local_error);
  if (service == NULL)
    {
      set_keyring_error (error, local_error);
      return FALSE;
    }

  /* Storing into a keyring that does not exist yet, or is locked, makes the keyring ask for a
   * password while Striae waits for it at start-up; a new key then goes to a key file instead,
   * without asking. */
  if (!default_keyring_is_open (service, error))
    return FALSE;

  /* TRANSLATORS: the label of the keyring item; %s is the database's random id */
  label = g_strdup_printf (_("Striae audit key (database %s)"), database_id);
  attributes = secret_attributes_build (key_schema (), "database", database_id, NULL);
  value = secret_value_new (text, -1, "text/plain");

  if (!secret_service_store_sync (service, key_schema (), attributes,
                                  SECRET_COLLECTION_DEFAULT, label, value, NULL,
                                  &local_error))
    {
      set_keyring_error (error, local_error);
      return FALSE;
    }

  return TRUE;
}

static gboolean
update_keyring_item (const char       *database_id,
                     GBytes           *key,
                     const AuditHead  *head,
                     GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(SecretItem) item = NULL;
  g_autoptr(SecretValue) value = NULL;
  g_autofree char *text = keyring_secret_text (key, head);

  if (!find_keyring_item (database_id, &item, error))
    return FALSE;

  /* Gone since it was read: the key goes back with the head. */
  if (item == NULL)
    return store_keyring_item (database_id, key, head, error);

  value = secret_value_new (text, -1, "text/plain");
  if (!secret_item_set_secret_sync (item, value, NULL, &local_error))
    {
      set_keyring_error (error, local_error);
      return FALSE;
    }

  return TRUE;
}

/* The anchor as the store uses it */

/**
 * store_anchor_lookup:
 * @place_hint: (nullable): where the key was made, as the database remembers it
 * @key: (out): the key, or %NULL when there is none anywhere
 * @has_head: (out): whether a head was found beside it
 * @place: (out): where it was found ("keyring" or "file")
 *
 * Returns %FALSE when it cannot be told whether there is a key: a key file that cannot be
 * read, or the keyring where the key was made cannot be reached or unlocked.
 */
gboolean
store_anchor_lookup (StriaeAuditAnchor  *self,
                     const char         *database_id,
                     const char         *place_hint,
                     GBytes            **key,
                     AuditHead          *head,
                     gboolean           *has_head,
                     char              **place,
                     GError            **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(SecretItem) item = NULL;

  g_assert (store_is_database_id (database_id));

  *key = NULL;
  *has_head = FALSE;
  *place = NULL;
  memset (head, 0, sizeof *head);

  if (self->folder != NULL)
    {
      if (!read_key_file (self, database_id, key, error))
        return FALSE;
      if (*key != NULL)
        {
          read_head_file (self, database_id, head, has_head);
          *place = g_strdup (PLACE_FILE);
          return TRUE;
        }
    }

  if (!self->use_keyring)
    return TRUE;

  if (!find_keyring_item (database_id, &item, &local_error))
    {
      /* A keyring that cannot be reached cannot hold a key that was made in a file. */
      if (self->folder != NULL && g_strcmp0 (place_hint, PLACE_KEYRING) != 0)
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (item == NULL)
    return TRUE;

  if (!parse_keyring_secret (item, key, head, has_head, error))
    return FALSE;
  *place = g_strdup (PLACE_KEYRING);
  return TRUE;
}

/* Keeps a new key and its first head: in the keyring when it can be used, otherwise in a
 * key file. */
gboolean
store_anchor_create (StriaeAuditAnchor  *self,
                     const char         *database_id,
                     GBytes             *key,
                     const AuditHead    *head,
                     char              **place,
                     GError            **error)
{
  g_autoptr(GError) local_error = NULL;

  g_assert (store_is_database_id (database_id));

  *place = NULL;
  if (self->use_keyring)
    {
      if (store_keyring_item (database_id, key, head, &local_error))
        {
          *place = g_strdup (PLACE_KEYRING);
          return TRUE;
        }
      if (self->folder == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_debug ("No keyring for the audit key, using a key file: %s", local_error->message);
    }

  if (!create_key_file (self, database_id, key, error) ||
      !write_head_file (self, database_id, head, error))
    return FALSE;

  *place = g_strdup (PLACE_FILE);
  return TRUE;
}

gboolean
store_anchor_store_head (StriaeAuditAnchor  *self,
                         const char         *database_id,
                         const char         *place,
                         GBytes             *key,
                         const AuditHead    *head,
                         GError            **error)
{
  g_assert (store_is_database_id (database_id));

  if (g_strcmp0 (place, PLACE_KEYRING) == 0)
    return update_keyring_item (database_id, key, head, error);

  return write_head_file (self, database_id, head, error);
}
