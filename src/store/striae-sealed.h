/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Encrypted copies of the records (backups, exported records): libsodium's secretstream
 * (XChaCha20-Poly1305) under a key derived from a passphrase with Argon2id. The format is
 * docs/SEALED-FORMAT.md. Nothing here knows what the bytes mean. */

/* The shortest passphrase a copy is sealed with. */
#define STRIAE_SEALED_MIN_PASSPHRASE 12

gboolean  striae_sealed_has_header  (const guint8   *data,
                                     gsize           length);
gboolean  striae_sealed_file_is_sealed (const char  *path,
                                        gboolean    *sealed,
                                        GError     **error);
gboolean  striae_sealed_check_passphrase (const char  *passphrase,
                                          GError     **error);

gboolean  striae_sealed_seal        (GInputStream   *input,
                                     GOutputStream  *output,
                                     const char     *passphrase,
                                     GCancellable   *cancellable,
                                     GError        **error);
gboolean  striae_sealed_open        (GInputStream   *input,
                                     GOutputStream  *output,
                                     const char     *passphrase,
                                     GCancellable   *cancellable,
                                     GError        **error);

GBytes   *striae_sealed_seal_bytes  (GBytes         *plain,
                                     const char     *passphrase,
                                     GError        **error);
GBytes   *striae_sealed_open_bytes  (GBytes         *sealed,
                                     const char     *passphrase,
                                     GError        **error);
gboolean  striae_sealed_seal_file   (const char     *plain_path,
                                     const char     *sealed_path,
                                     const char     *passphrase,
                                     GError        **error);
gboolean  striae_sealed_open_file   (const char     *sealed_path,
                                     const char     *plain_path,
                                     const char     *passphrase,
                                     GError        **error);

G_END_DECLS
