/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE  /* memmem */
#include <glib/gstdio.h>
#include <string.h>

#include "striae-sealed.h"
#include "striae-store.h"

/* Encrypted copies (issue 16): what is sealed opens again byte for byte with its passphrase
 * and with nothing else; a changed byte anywhere, a copy cut short or grown, a header asking
 * for absurd costs are each refused, and a refused copy leaves no file behind. */

#define PASSPHRASE "correct horse battery staple"
#define CHUNK      (64 * 1024)
#define HEADER     60

static GBytes *
random_bytes (gsize length)
{
  guint8 *data = g_malloc (length + 1);

  for (gsize i = 0; i < length; i++)
    data[i] = g_test_rand_int_range (0, 256);
  return g_bytes_new_take (data, length);
}

static GBytes *
seal (GBytes *plain)
{
  g_autoptr(GError) error = NULL;
  GBytes *sealed = striae_sealed_seal_bytes (plain, PASSPHRASE, &error);

  g_assert_no_error (error);
  g_assert_nonnull (sealed);
  return sealed;
}

/* Sizes around the chunk's: empty, one byte, a chunk exactly, a chunk and a byte, several. */
static void
test_round_trip (void)
{
  const gsize sizes[] = { 0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 5 };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autoptr(GBytes) plain = random_bytes (sizes[i]);
      g_autoptr(GBytes) sealed = seal (plain);
      g_autoptr(GBytes) opened = NULL;
      g_autoptr(GError) error = NULL;
      gsize length = 0;
      const guint8 *data = g_bytes_get_data (sealed, &length);

      g_assert_true (striae_sealed_has_header (data, length));
      /* Nothing of the plain bytes shows through. */
      if (sizes[i] >= 16)
        g_assert_null (memmem (data, length, g_bytes_get_data (plain, NULL), 16));

      opened = striae_sealed_open_bytes (sealed, PASSPHRASE, &error);
      g_assert_no_error (error);
      g_assert_true (g_bytes_equal (opened, plain));
    }
}

/* Two sealings of the same bytes differ (a salt and a nonce of their own). */
static void
test_fresh_salt (void)
{
  g_autoptr(GBytes) plain = g_bytes_new_static ("same", 4);
  g_autoptr(GBytes) a = seal (plain);
  g_autoptr(GBytes) b = seal (plain);

  g_assert_false (g_bytes_equal (a, b));
}

static void
test_wrong_passphrase (void)
{
  g_autoptr(GBytes) plain = random_bytes (1000);
  g_autoptr(GBytes) sealed = seal (plain);
  g_autoptr(GBytes) opened = NULL;
  g_autoptr(GError) error = NULL;

  opened = striae_sealed_open_bytes (sealed, "correct horse battery stapler", &error);
  g_assert_null (opened);
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_PASSPHRASE);
  g_assert_cmpstr (error->message, ==, "The passphrase is wrong, or the file was changed after "
                   "Striae wrote it. Nothing was changed.");
}

static GBytes *
flip (GBytes *bytes,
      gsize   at)
{
  gsize length = g_bytes_get_size (bytes);
  guint8 *data = g_memdup2 (g_bytes_get_data (bytes, NULL), length);

  g_assert_cmpuint (at, <, length);
  data[at] ^= 0x01;
  return g_bytes_new_take (data, length);
}

/* A byte changed in each part: the magic, the version, the reserved bytes, the costs, the
 * salt, the stream header, the first and the last chunk. */
static void
test_flipped_byte (void)
{
  g_autoptr(GBytes) plain = random_bytes (CHUNK + 100);
  g_autoptr(GBytes) sealed = seal (plain);
  gsize length = g_bytes_get_size (sealed);
  const struct {
    gsize at;
    int   code;
  } cases[] = {
    { 0, STRIAE_STORE_ERROR_INVALID },      /* not a sealed copy at all */
    { 8, STRIAE_STORE_ERROR_INVALID },      /* the version: 1 → 0, which none has */
    { 10, STRIAE_STORE_ERROR_INVALID },     /* reserved */
    { 12, STRIAE_STORE_ERROR_INVALID },     /* operations: 2 → 3 is allowed, so a wrong key */
    { 18, STRIAE_STORE_ERROR_INVALID },     /* memory: beyond what a copy may ask */
    { 20, STRIAE_STORE_ERROR_PASSPHRASE },  /* the salt */
    { 40, STRIAE_STORE_ERROR_PASSPHRASE },  /* the stream's header */
    { HEADER + 5, STRIAE_STORE_ERROR_PASSPHRASE },
    { 0, STRIAE_STORE_ERROR_PASSPHRASE },   /* the last byte (at = length - 1 below) */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gsize at = i == G_N_ELEMENTS (cases) - 1 ? length - 1 : cases[i].at;
      g_autoptr(GBytes) changed = flip (sealed, at);
      g_autoptr(GBytes) opened = NULL;
      g_autoptr(GError) error = NULL;

      opened = striae_sealed_open_bytes (changed, PASSPHRASE, &error);
      g_test_message ("byte %" G_GSIZE_FORMAT ": %s", at, error ? error->message : "opened");
      g_assert_null (opened);
      if (at == 12)
        /* 2 → 3 operations is a cost a copy may ask: the key differs. */
        g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_PASSPHRASE);
      else
        g_assert_error (error, STRIAE_STORE_ERROR, cases[i].code);
    }

  /* A later version of the format: a newer Striae wrote it. */
  {
    gsize n = g_bytes_get_size (sealed);
    g_autofree guint8 *data = g_memdup2 (g_bytes_get_data (sealed, NULL), n);
    g_autoptr(GBytes) newer = NULL;
    g_autoptr(GBytes) opened = NULL;
    g_autoptr(GError) error = NULL;

    data[8] = 2;
    newer = g_bytes_new (data, n);
    opened = striae_sealed_open_bytes (newer, PASSPHRASE, &error);
    g_assert_null (opened);
    g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_TOO_NEW);
  }
}

/* A copy cut at a chunk's end, in a chunk, or in the header; and one with bytes after its
 * end. */
static void
test_truncated_and_grown (void)
{
  g_autoptr(GBytes) plain = random_bytes (2 * CHUNK + 10);
  g_autoptr(GBytes) sealed = seal (plain);
  gsize length = 0;
  const guint8 *data = g_bytes_get_data (sealed, &length);
  const gsize cuts[] = { HEADER + CHUNK + 17, HEADER + 2 * (CHUNK + 17), length - 1, 30 };

  for (guint i = 0; i < G_N_ELEMENTS (cuts); i++)
    {
      g_autoptr(GBytes) cut = g_bytes_new (data, cuts[i]);
      g_autoptr(GBytes) opened = NULL;
      g_autoptr(GError) error = NULL;

      opened = striae_sealed_open_bytes (cut, PASSPHRASE, &error);
      g_test_message ("cut at %" G_GSIZE_FORMAT ": %s", cuts[i], error ? error->message : "");
      g_assert_null (opened);
      g_assert_nonnull (error);
      g_assert_true (error->code == STRIAE_STORE_ERROR_INVALID ||
                     error->code == STRIAE_STORE_ERROR_PASSPHRASE);
    }

  {
    g_autoptr(GByteArray) grown = g_byte_array_new ();
    g_autoptr(GBytes) grown_bytes = NULL;
    g_autoptr(GBytes) opened = NULL;
    g_autoptr(GError) error = NULL;

    g_byte_array_append (grown, data, length);
    g_byte_array_append (grown, (const guint8 *) "x", 1);
    grown_bytes = g_byte_array_free_to_bytes (g_steal_pointer (&grown));
    opened = striae_sealed_open_bytes (grown_bytes, PASSPHRASE, &error);
    g_assert_null (opened);
    g_assert_nonnull (error);
    g_assert_true (error->code == STRIAE_STORE_ERROR_INVALID ||
                   error->code == STRIAE_STORE_ERROR_PASSPHRASE);
  }
}

static void
test_short_passphrase (void)
{
  g_autoptr(GBytes) plain = g_bytes_new_static ("x", 1);
  g_autoptr(GBytes) sealed = NULL;
  g_autoptr(GError) error = NULL;

  sealed = striae_sealed_seal_bytes (plain, "elevenchars", &error);
  g_assert_null (sealed);
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "at least 12 characters"));
  g_clear_error (&error);

  /* Characters, not bytes: twelve accented letters are enough. */
  sealed = striae_sealed_seal_bytes (plain, "éééééééééééé", &error);
  g_assert_no_error (error);
  g_assert_nonnull (sealed);
}

/* Files: private, and a refused copy leaves no file where the plain one would go. */
static void
test_files (void)
{
  g_autofree char *dir = g_dir_make_tmp ("striae-sealed-XXXXXX", NULL);
  g_autofree char *plain_path = g_build_filename (dir, "plain", NULL);
  g_autofree char *sealed_path = g_build_filename (dir, "sealed", NULL);
  g_autofree char *opened_path = g_build_filename (dir, "opened", NULL);
  g_autoptr(GBytes) plain = random_bytes (CHUNK * 2 + 3);
  g_autoptr(GError) error = NULL;
  g_autofree char *opened = NULL;
  gsize opened_length = 0;
  gboolean sealed = TRUE;
  GStatBuf st;

  g_assert_true (g_file_set_contents (plain_path, g_bytes_get_data (plain, NULL),
                                      g_bytes_get_size (plain), NULL));
  g_assert_true (striae_sealed_file_is_sealed (plain_path, &sealed, &error));
  g_assert_false (sealed);
  g_assert_true (striae_sealed_seal_file (plain_path, sealed_path, PASSPHRASE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (sealed_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (striae_sealed_file_is_sealed (sealed_path, &sealed, &error));
  g_assert_true (sealed);

  g_assert_false (striae_sealed_open_file (sealed_path, opened_path, "not the passphrase",
                                           &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_PASSPHRASE);
  g_clear_error (&error);
  g_assert_false (g_file_test (opened_path, G_FILE_TEST_EXISTS));

  g_assert_true (striae_sealed_open_file (sealed_path, opened_path, PASSPHRASE, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (opened_path, &opened, &opened_length, NULL));
  g_assert_cmpmem (opened, opened_length, g_bytes_get_data (plain, NULL),
                   g_bytes_get_size (plain));
  g_assert_cmpint (g_stat (opened_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* Only the three files: no temporary one left over. */
  {
    g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
    guint n = 0;

    while (g_dir_read_name (listing) != NULL)
      n++;
    g_assert_cmpuint (n, ==, 3);
  }

  g_unlink (plain_path);
  g_unlink (sealed_path);
  g_unlink (opened_path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sealed/round-trip", test_round_trip);
  g_test_add_func ("/sealed/fresh-salt", test_fresh_salt);
  g_test_add_func ("/sealed/wrong-passphrase", test_wrong_passphrase);
  g_test_add_func ("/sealed/flipped-byte", test_flipped_byte);
  g_test_add_func ("/sealed/truncated-and-grown", test_truncated_and_grown);
  g_test_add_func ("/sealed/short-passphrase", test_short_passphrase);
  g_test_add_func ("/sealed/files", test_files);

  return g_test_run ();
}
