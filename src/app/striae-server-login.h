/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "striae-store.h"

G_BEGIN_DECLS

/* The records on the clinic server, as this PC reaches them: host, port, database, user and
 * the clinic's certificate authority. The password is never a property: it lives in the
 * user's keyring (libsecret) and passes through here only on its way to the store. */

#define STRIAE_SERVER_LOGIN_DEFAULT_PORT 5432

#define STRIAE_TYPE_SERVER_LOGIN (striae_server_login_get_type ())

G_DECLARE_FINAL_TYPE (StriaeServerLogin, striae_server_login, STRIAE, SERVER_LOGIN, GObject)


StriaeServerLogin *striae_server_login_new                (void);
StriaeServerLogin *striae_server_login_new_from_settings  (GSettings          *settings);
void               striae_server_login_save_to_settings   (StriaeServerLogin  *self,
                                                           GSettings          *settings);

const char        *striae_server_login_get_host           (StriaeServerLogin  *self);
void               striae_server_login_set_host           (StriaeServerLogin  *self,
                                                           const char         *host);
guint              striae_server_login_get_port           (StriaeServerLogin  *self);
void               striae_server_login_set_port           (StriaeServerLogin  *self,
                                                           guint               port);
const char        *striae_server_login_get_database       (StriaeServerLogin  *self);
void               striae_server_login_set_database       (StriaeServerLogin  *self,
                                                           const char         *database);
const char        *striae_server_login_get_user           (StriaeServerLogin  *self);
void               striae_server_login_set_user           (StriaeServerLogin  *self,
                                                           const char         *user);
const char        *striae_server_login_get_ca_file        (StriaeServerLogin  *self);
void               striae_server_login_set_ca_file        (StriaeServerLogin  *self,
                                                           const char         *ca_file);
gboolean           striae_server_login_is_socket          (StriaeServerLogin  *self);

gboolean           striae_server_login_check              (StriaeServerLogin  *self,
                                                           GError            **error);
char              *striae_server_login_dup_location       (StriaeServerLogin  *self,
                                                           GError            **error);
char              *striae_server_login_dup_secret_location (StriaeServerLogin *self,
                                                            const char        *password,
                                                            GError           **error);
char              *striae_server_login_dup_description    (StriaeServerLogin  *self);
void               striae_server_login_free_secret        (char               *secret);

void               striae_server_login_lookup_password_async  (StriaeServerLogin   *self,
                                                               GCancellable        *cancellable,
                                                               GAsyncReadyCallback  callback,
                                                               gpointer             user_data);
char              *striae_server_login_lookup_password_finish (StriaeServerLogin   *self,
                                                               GAsyncResult        *result,
                                                               GError             **error);
void               striae_server_login_store_password_async   (StriaeServerLogin   *self,
                                                               const char          *password,
                                                               GCancellable        *cancellable,
                                                               GAsyncReadyCallback  callback,
                                                               gpointer             user_data);
gboolean           striae_server_login_store_password_finish  (StriaeServerLogin   *self,
                                                               GAsyncResult        *result,
                                                               GError             **error);
void               striae_server_login_clear_password_async   (StriaeServerLogin   *self,
                                                               GCancellable        *cancellable,
                                                               GAsyncReadyCallback  callback,
                                                               gpointer             user_data);
gboolean           striae_server_login_clear_password_finish  (StriaeServerLogin   *self,
                                                               GAsyncResult        *result,
                                                               GError             **error);

void               striae_server_login_open_async         (StriaeServerLogin   *self,
                                                           const char          *password,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
StriaeStore       *striae_server_login_open_finish        (StriaeServerLogin   *self,
                                                           GAsyncResult        *result,
                                                           GError             **error);
void               striae_server_login_open_with_kept_password_async
                                                          (StriaeServerLogin   *self,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
StriaeStore       *striae_server_login_open_with_kept_password_finish
                                                          (StriaeServerLogin   *self,
                                                           GAsyncResult        *result,
                                                           GError            **error);

G_END_DECLS
