/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gunixoutputstream.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>
#include <unistd.h>

#include "striae-sealed.h"
#include "striae-store.h"

/* The header (docs/SEALED-FORMAT.md): the magic, the version, three zero bytes, the Argon2id
 * cost (operations, then memory in KiB, both little-endian 32-bit), the salt and
 * secretstream's own header. It is bound to the first chunk as additional data, so that no
 * byte of it can change unnoticed. */
#define MAGIC          "STRIAESC"
#define MAGIC_LENGTH   8
#define VERSION        1
#define OFFSET_OPS     12
#define OFFSET_MEM     16
#define OFFSET_SALT    20
#define OFFSET_STREAM  (OFFSET_SALT + crypto_pwhash_SALTBYTES)
#define HEADER_LENGTH  (OFFSET_STREAM + crypto_secretstream_xchacha20poly1305_HEADERBYTES)

#define CHUNK          (64 * 1024)
#define SEALED_CHUNK   (CHUNK + crypto_secretstream_xchacha20poly1305_ABYTES)

/* What a file may ask of this computer to derive its key: a header asking for more is not
 * one Striae wrote (and would only make Striae slow or run out of memory). */
#define MAX_OPS        crypto_pwhash_OPSLIMIT_SENSITIVE
#define MAX_MEM_KIB    (1024 * 1024)

G_STATIC_ASSERT (HEADER_LENGTH == 60);
G_STATIC_ASSERT (crypto_pwhash_MEMLIMIT_INTERACTIVE % 1024 == 0);

typedef struct
{
  guint8 bytes[crypto_secretstream_xchacha20poly1305_KEYBYTES];
} Key;

static void
key_clear (Key *key)
{
  sodium_memzero (key, sizeof *key);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Key, key_clear)

static void
put_u32 (guint8  *at,
         guint32  value)
{
  value = GUINT32_TO_LE (value);
  memcpy (at, &value, sizeof value);
}

static guint32
get_u32 (const guint8 *at)
{
  guint32 value;

  memcpy (&value, at, sizeof value);
  return GUINT32_FROM_LE (value);
}

static gboolean
init_sodium (GError **error)
{
  if (sodium_init () >= 0)
    return TRUE;

  g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FAILED,
                       _("The encryption library could not start. Nothing was written."));
  return FALSE;
}

static void
set_wrong (GError **error)
{
  g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_PASSPHRASE,
                       _("The passphrase is wrong, or the file was changed after Striae "
                         "wrote it. Nothing was changed."));
}

static void
set_damaged (GError **error)
{
  g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
                       _("The encrypted file is damaged: it ends too early or its header "
                         "was changed. Nothing was changed."));
}

/**
 * striae_sealed_has_header:
 *
 * Returns: whether @data starts as a sealed copy does (any version)
 */
gboolean
striae_sealed_has_header (const guint8 *data,
                          gsize         length)
{
  return length >= MAGIC_LENGTH && memcmp (data, MAGIC, MAGIC_LENGTH) == 0;
}

/**
 * striae_sealed_file_is_sealed:
 * @sealed: (out): whether the file at @path is a sealed copy
 *
 * Returns: %FALSE with @error set when the file cannot be read
 */
gboolean
striae_sealed_file_is_sealed (const char  *path,
                              gboolean    *sealed,
                              GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) input = NULL;
  guint8 start[MAGIC_LENGTH];
  gsize n = 0;

  g_return_val_if_fail (path != NULL && sealed != NULL, FALSE);

  *sealed = FALSE;
  if ((input = g_file_read (file, NULL, error)) == NULL ||
      !g_input_stream_read_all (G_INPUT_STREAM (input), start, sizeof start, &n, NULL, error))
    return FALSE;

  *sealed = striae_sealed_has_header (start, n);
  return TRUE;
}

/**
 * striae_sealed_check_passphrase:
 *
 * A passphrase to seal with has at least %STRIAE_SEALED_MIN_PASSPHRASE characters.
 */
gboolean
striae_sealed_check_passphrase (const char  *passphrase,
                                GError     **error)
{
  if (passphrase != NULL && g_utf8_strlen (passphrase, -1) >= STRIAE_SEALED_MIN_PASSPHRASE)
    return TRUE;

  g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
               g_dngettext (GETTEXT_PACKAGE,
                            "A passphrase needs at least %d character; a few words are easy "
                            "to remember and hard to guess. Nothing was written.",
                            "A passphrase needs at least %d characters; a few words are easy "
                            "to remember and hard to guess. Nothing was written.",
                            STRIAE_SEALED_MIN_PASSPHRASE),
               STRIAE_SEALED_MIN_PASSPHRASE);
  return FALSE;
}

static gboolean
derive_key (Key          *key,
            const char   *passphrase,
            const guint8 *salt,
            guint32       ops,
            guint32       mem_kib,
            GError      **error)
{
  if (crypto_pwhash (key->bytes, sizeof key->bytes, passphrase, strlen (passphrase), salt,
                     ops, (size_t) mem_kib * 1024, crypto_pwhash_ALG_ARGON2ID13) == 0)
    return TRUE;

  g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FAILED,
                       _("There is not enough memory to derive the key from the passphrase. "
                         "Close other programs and try again."));
  return FALSE;
}

static gboolean
write_chunk (crypto_secretstream_xchacha20poly1305_state *state,
             GOutputStream                               *output,
             const guint8                                *plain,
             gsize                                        length,
             const guint8                                *ad,
             gsize                                        ad_length,
             guint8                                       tag,
             GCancellable                                *cancellable,
             GError                                     **error)
{
  g_autofree guint8 *sealed = g_malloc (length + crypto_secretstream_xchacha20poly1305_ABYTES);
  unsigned long long sealed_length = 0;

  crypto_secretstream_xchacha20poly1305_push (state, sealed, &sealed_length, plain, length,
                                              ad, ad_length, tag);
  return g_output_stream_write_all (output, sealed, sealed_length, NULL, cancellable, error);
}

/**
 * striae_sealed_seal:
 * @passphrase: at least %STRIAE_SEALED_MIN_PASSPHRASE characters
 *
 * Writes @input, encrypted, to @output: the header, then 64 KiB chunks, the last one tagged
 * final so that a copy cut short is refused when opened.
 */
gboolean
striae_sealed_seal (GInputStream   *input,
                    GOutputStream  *output,
                    const char     *passphrase,
                    GCancellable   *cancellable,
                    GError        **error)
{
  g_auto(Key) key = { { 0 } };
  crypto_secretstream_xchacha20poly1305_state state;
  guint8 header[HEADER_LENGTH] = { 0 };
  g_autofree guint8 *current = g_malloc (CHUNK);
  g_autofree guint8 *next = g_malloc (CHUNK);
  gsize n_current = 0, n_next = 0;
  gboolean first = TRUE;
  gboolean ok = FALSE;

  g_return_val_if_fail (G_IS_INPUT_STREAM (input) && G_IS_OUTPUT_STREAM (output), FALSE);

  if (!init_sodium (error) || !striae_sealed_check_passphrase (passphrase, error))
    return FALSE;

  memcpy (header, MAGIC, MAGIC_LENGTH);
  header[MAGIC_LENGTH] = VERSION;
  put_u32 (header + OFFSET_OPS, crypto_pwhash_OPSLIMIT_INTERACTIVE);
  put_u32 (header + OFFSET_MEM, crypto_pwhash_MEMLIMIT_INTERACTIVE / 1024);
  randombytes_buf (header + OFFSET_SALT, crypto_pwhash_SALTBYTES);
  if (!derive_key (&key, passphrase, header + OFFSET_SALT, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                   crypto_pwhash_MEMLIMIT_INTERACTIVE / 1024, error))
    return FALSE;
  crypto_secretstream_xchacha20poly1305_init_push (&state, header + OFFSET_STREAM, key.bytes);
  if (!g_output_stream_write_all (output, header, sizeof header, NULL, cancellable, error) ||
      !g_input_stream_read_all (input, current, CHUNK, &n_current, cancellable, error))
    goto out;

  /* One chunk read ahead: the last chunk is the one after which nothing follows. */
  for (;;)
    {
      guint8 *swap;

      if (!g_input_stream_read_all (input, next, CHUNK, &n_next, cancellable, error) ||
          !write_chunk (&state, output, current, n_current, first ? header : NULL,
                        first ? sizeof header : 0,
                        n_next == 0 ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0,
                        cancellable, error))
        goto out;
      first = FALSE;
      if (n_next == 0)
        {
          ok = TRUE;
          break;
        }
      swap = current, current = next, next = swap;
      n_current = n_next;
    }

out:
  sodium_memzero (current, CHUNK);
  sodium_memzero (next, CHUNK);
  sodium_memzero (&state, sizeof state);
  return ok;
}

/* Reads and checks the header; derives the key. */
static gboolean
read_header (GInputStream  *input,
             guint8        *header,
             Key           *key,
             const char    *passphrase,
             GCancellable  *cancellable,
             GError       **error)
{
  gsize n = 0;
  guint32 ops, mem_kib;

  if (!g_input_stream_read_all (input, header, HEADER_LENGTH, &n, cancellable, error))
    return FALSE;
  if (!striae_sealed_has_header (header, n))
    {
      g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
                           _("The file is not an encrypted copy written by Striae."));
      return FALSE;
    }
  if (n < HEADER_LENGTH)
    {
      set_damaged (error);
      return FALSE;
    }
  if (header[MAGIC_LENGTH] > VERSION)
    {
      g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_TOO_NEW,
                           _("The file was encrypted by a newer version of Striae. Open it "
                             "with that version, or update Striae."));
      return FALSE;
    }

  ops = get_u32 (header + OFFSET_OPS);
  mem_kib = get_u32 (header + OFFSET_MEM);
  if (header[MAGIC_LENGTH] != VERSION || header[9] != 0 || header[10] != 0 || header[11] != 0 ||
      ops < crypto_pwhash_OPSLIMIT_MIN || ops > MAX_OPS ||
      (size_t) mem_kib * 1024 < crypto_pwhash_MEMLIMIT_MIN || mem_kib > MAX_MEM_KIB)
    {
      set_damaged (error);
      return FALSE;
    }

  return derive_key (key, passphrase, header + OFFSET_SALT, ops, mem_kib, error);
}

static gboolean
open_chunks (crypto_secretstream_xchacha20poly1305_state *state,
             GInputStream                                *input,
             GOutputStream                               *output,
             const guint8                                *header,
             guint8                                      *sealed,
             guint8                                      *plain,
             GCancellable                                *cancellable,
             GError                                     **error)
{
  gboolean first = TRUE;

  for (;;)
    {
      unsigned long long n_plain = 0;
      guint8 tag = 0;
      gsize n = 0, extra = 0;
      guint8 probe;

      if (!g_input_stream_read_all (input, sealed, SEALED_CHUNK, &n, cancellable, error))
        return FALSE;
      if (n < crypto_secretstream_xchacha20poly1305_ABYTES)
        {
          set_damaged (error);
          return FALSE;
        }
      if (crypto_secretstream_xchacha20poly1305_pull (state, plain, &n_plain, &tag, sealed, n,
                                                      first ? header : NULL,
                                                      first ? HEADER_LENGTH : 0) != 0)
        {
          set_wrong (error);
          return FALSE;
        }
      first = FALSE;
      if (!g_output_stream_write_all (output, plain, n_plain, NULL, cancellable, error))
        return FALSE;

      if (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL)
        {
          /* Nothing may follow the final chunk. */
          if (!g_input_stream_read_all (input, &probe, 1, &extra, cancellable, error))
            return FALSE;
          if (extra == 0)
            return TRUE;
          set_damaged (error);
          return FALSE;
        }
      if (n < SEALED_CHUNK)
        {
          set_damaged (error);
          return FALSE;
        }
    }
}

/**
 * striae_sealed_open:
 *
 * Writes the plain bytes of the sealed copy @input to @output. A wrong passphrase or a
 * changed byte is refused (%STRIAE_STORE_ERROR_PASSPHRASE), as is a copy cut short
 * (%STRIAE_STORE_ERROR_INVALID); @output may then hold the chunks read before the refusal,
 * so the caller writes it where a refusal can be dropped (striae_sealed_open_file()).
 */
gboolean
striae_sealed_open (GInputStream   *input,
                    GOutputStream  *output,
                    const char     *passphrase,
                    GCancellable   *cancellable,
                    GError        **error)
{
  g_auto(Key) key = { { 0 } };
  crypto_secretstream_xchacha20poly1305_state state;
  guint8 header[HEADER_LENGTH] = { 0 };
  g_autofree guint8 *sealed = g_malloc (SEALED_CHUNK);
  g_autofree guint8 *plain = g_malloc (CHUNK);
  gboolean ok;

  g_return_val_if_fail (G_IS_INPUT_STREAM (input) && G_IS_OUTPUT_STREAM (output), FALSE);
  g_return_val_if_fail (passphrase != NULL, FALSE);

  if (!init_sodium (error) ||
      !read_header (input, header, &key, passphrase, cancellable, error))
    return FALSE;
  if (crypto_secretstream_xchacha20poly1305_init_pull (&state, header + OFFSET_STREAM,
                                                       key.bytes) != 0)
    {
      set_damaged (error);
      return FALSE;
    }

  ok = open_chunks (&state, input, output, header, sealed, plain, cancellable, error);
  sodium_memzero (plain, CHUNK);
  sodium_memzero (&state, sizeof state);
  return ok;
}

/**
 * striae_sealed_seal_bytes:
 *
 * striae_sealed_seal() in memory, for an exported record.
 *
 * Returns: (transfer full): the sealed copy, or %NULL with @error set
 */
GBytes *
striae_sealed_seal_bytes (GBytes      *plain,
                          const char  *passphrase,
                          GError     **error)
{
  g_autoptr(GInputStream) input = g_memory_input_stream_new_from_bytes (plain);
  g_autoptr(GOutputStream) output = g_memory_output_stream_new_resizable ();

  if (!striae_sealed_seal (input, output, passphrase, NULL, error) ||
      !g_output_stream_close (output, NULL, error))
    return NULL;
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (output));
}

/**
 * striae_sealed_open_bytes:
 *
 * striae_sealed_open() in memory; nothing of a refused copy is returned.
 *
 * Returns: (transfer full): the plain bytes, or %NULL with @error set
 */
GBytes *
striae_sealed_open_bytes (GBytes      *sealed,
                          const char  *passphrase,
                          GError     **error)
{
  g_autoptr(GInputStream) input = g_memory_input_stream_new_from_bytes (sealed);
  g_autoptr(GOutputStream) output = g_memory_output_stream_new_resizable ();
  GMemoryOutputStream *memory = G_MEMORY_OUTPUT_STREAM (output);

  if (!striae_sealed_open (input, output, passphrase, NULL, error))
    {
      sodium_memzero (g_memory_output_stream_get_data (memory),
                      g_memory_output_stream_get_data_size (memory));
      return NULL;
    }
  if (!g_output_stream_close (output, NULL, error))
    return NULL;
  return g_memory_output_stream_steal_as_bytes (memory);
}

/* Copies @from_path through @transform into @to_path, private (0600) and whole or not at
 * all: it is written beside @to_path under a temporary name, synced, and renamed only once
 * everything was written; a refusal removes it. */
typedef gboolean (*Transform) (GInputStream *, GOutputStream *, const char *, GCancellable *,
                               GError **);

static gboolean
transform_file (Transform    transform,
                const char  *from_path,
                const char  *to_path,
                const char  *passphrase,
                GError     **error)
{
  g_autoptr(GFile) from = g_file_new_for_path (from_path);
  g_autoptr(GFileInputStream) input = NULL;
  g_autoptr(GOutputStream) output = NULL;
  g_autofree char *temp = g_strconcat (to_path, ".XXXXXX", NULL);
  gboolean ok;
  int fd, saved_errno;

  if ((input = g_file_read (from, NULL, error)) == NULL)
    return FALSE;
  if ((fd = g_mkstemp_full (temp, O_WRONLY | O_CLOEXEC, 0600)) < 0)
    {
      saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not write %s: %s"), to_path, g_strerror (saved_errno));
      return FALSE;
    }

  output = g_unix_output_stream_new (fd, FALSE);
  ok = transform (G_INPUT_STREAM (input), output, passphrase, NULL, error) &&
       g_output_stream_flush (output, NULL, error);
  if (ok && fsync (fd) != 0)
    {
      saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not write %s: %s"), to_path, g_strerror (saved_errno));
      ok = FALSE;
    }
  g_close (fd, NULL);
  if (ok && g_rename (temp, to_path) != 0)
    {
      saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not write %s: %s"), to_path, g_strerror (saved_errno));
      ok = FALSE;
    }
  if (!ok)
    g_unlink (temp);
  return ok;
}

/**
 * striae_sealed_seal_file:
 *
 * Seals the file at @plain_path into @sealed_path (0600, replaced only once complete).
 */
gboolean
striae_sealed_seal_file (const char  *plain_path,
                         const char  *sealed_path,
                         const char  *passphrase,
                         GError     **error)
{
  g_return_val_if_fail (plain_path != NULL && sealed_path != NULL, FALSE);

  return transform_file (striae_sealed_seal, plain_path, sealed_path, passphrase, error);
}

/**
 * striae_sealed_open_file:
 *
 * Opens the sealed copy at @sealed_path into @plain_path (0600); a refused copy leaves
 * nothing at @plain_path.
 */
gboolean
striae_sealed_open_file (const char  *sealed_path,
                         const char  *plain_path,
                         const char  *passphrase,
                         GError     **error)
{
  g_return_val_if_fail (sealed_path != NULL && plain_path != NULL, FALSE);

  return transform_file (striae_sealed_open, sealed_path, plain_path, passphrase, error);
}
