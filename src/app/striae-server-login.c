/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>
#include <string.h>

#include "striae-first-frame.h"
#include "striae-server-login.h"

/* How the password reaches the server. It is never in GSettings, a file, the environment
 * (PGPASSWORD would reach every program Striae starts) or a location that may be shown: the
 * location (striae_server_login_dup_location()) holds no password and is what the window,
 * the settings and the help name. Only the copy handed to striae_store_open() carries it, as
 * the libpq URI parameter "password", built in memory right before the connection, wiped
 * right after it (striae_server_login_free_secret()), and any error message that would repeat
 * it is replaced (scrub_error()). The store keeps the location it was opened with
 * (striae_store_get_path()) and names it in some messages: the PostgreSQL backend must keep
 * and show it without its "password" parameter, which only the connection needs. No
 * location from here ever goes to a log.
 *
 * Over TCP the connection is encrypted and the server's certificate checked against the
 * clinic's certificate authority (sslmode=verify-full): a host name the certificate does not
 * name, or a certificate the clinic did not sign, is refused. A host starting with "/" is the
 * folder of a Unix socket on this computer, which needs no TLS. */

/* A server that does not answer: the connection gives up after this many seconds (libpq's
 * connect_timeout) rather than leaving the user before a spinner. */
#define CONNECT_TIMEOUT_SECONDS 10

struct _StriaeServerLogin
{
  GObject  parent_instance;

  char    *host;
  guint    port;
  char    *database;
  char    *user;
  char    *ca_file;
};

G_DEFINE_FINAL_TYPE (StriaeServerLogin, striae_server_login, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_HOST,
  PROP_PORT,
  PROP_DATABASE,
  PROP_USER,
  PROP_CA_FILE,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static const SecretSchema *
login_schema (void)
{
  static const SecretSchema schema = {
    "io.github.striae.Striae.ServerLogin", SECRET_SCHEMA_NONE,
    {
      { "host", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "port", SECRET_SCHEMA_ATTRIBUTE_INTEGER },
      { "database", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

static void
striae_server_login_finalize (GObject *object)
{
  StriaeServerLogin *self = STRIAE_SERVER_LOGIN (object);

  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->database, g_free);
  g_clear_pointer (&self->user, g_free);
  g_clear_pointer (&self->ca_file, g_free);

  G_OBJECT_CLASS (striae_server_login_parent_class)->finalize (object);
}

static void
striae_server_login_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  StriaeServerLogin *self = STRIAE_SERVER_LOGIN (object);

  switch (prop_id)
    {
    case PROP_HOST:
      g_value_set_string (value, self->host);
      break;
    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;
    case PROP_DATABASE:
      g_value_set_string (value, self->database);
      break;
    case PROP_USER:
      g_value_set_string (value, self->user);
      break;
    case PROP_CA_FILE:
      g_value_set_string (value, self->ca_file);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_server_login_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  StriaeServerLogin *self = STRIAE_SERVER_LOGIN (object);

  switch (prop_id)
    {
    case PROP_HOST:
      striae_server_login_set_host (self, g_value_get_string (value));
      break;
    case PROP_PORT:
      striae_server_login_set_port (self, g_value_get_uint (value));
      break;
    case PROP_DATABASE:
      striae_server_login_set_database (self, g_value_get_string (value));
      break;
    case PROP_USER:
      striae_server_login_set_user (self, g_value_get_string (value));
      break;
    case PROP_CA_FILE:
      striae_server_login_set_ca_file (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_server_login_class_init (StriaeServerLoginClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = striae_server_login_finalize;
  object_class->get_property = striae_server_login_get_property;
  object_class->set_property = striae_server_login_set_property;

  properties [PROP_HOST] = g_param_spec_string ("host", NULL, NULL, "", flags);
  /* 0 stands for a port that was typed wrong: striae_server_login_check() refuses it. */
  properties [PROP_PORT] = g_param_spec_uint ("port", NULL, NULL, 0, G_MAXUINT,
                                              STRIAE_SERVER_LOGIN_DEFAULT_PORT, flags);
  properties [PROP_DATABASE] = g_param_spec_string ("database", NULL, NULL, "", flags);
  properties [PROP_USER] = g_param_spec_string ("user", NULL, NULL, "", flags);
  properties [PROP_CA_FILE] = g_param_spec_string ("ca-file", NULL, NULL, "", flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
striae_server_login_init (StriaeServerLogin *self)
{
  self->host = g_strdup ("");
  self->port = STRIAE_SERVER_LOGIN_DEFAULT_PORT;
  self->database = g_strdup ("");
  self->user = g_strdup ("");
  self->ca_file = g_strdup ("");
}

StriaeServerLogin *
striae_server_login_new (void)
{
  return g_object_new (STRIAE_TYPE_SERVER_LOGIN, NULL);
}

/**
 * striae_server_login_new_from_settings:
 * @settings: the application's settings (io.github.striae.Striae)
 *
 * Returns: (transfer full): the clinic server this PC was last pointed at
 */
StriaeServerLogin *
striae_server_login_new_from_settings (GSettings *settings)
{
  g_autofree char *host = NULL;
  g_autofree char *database = NULL;
  g_autofree char *user = NULL;
  g_autofree char *ca_file = NULL;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  host = g_settings_get_string (settings, "server-host");
  database = g_settings_get_string (settings, "server-database");
  user = g_settings_get_string (settings, "server-user");
  ca_file = g_settings_get_string (settings, "server-ca-file");
  return g_object_new (STRIAE_TYPE_SERVER_LOGIN,
                       "host", host,
                       "port", g_settings_get_uint (settings, "server-port"),
                       "database", database,
                       "user", user,
                       "ca-file", ca_file,
                       NULL);
}

/**
 * striae_server_login_save_to_settings:
 *
 * Keeps the server's details (never the password) for the next start.
 */
void
striae_server_login_save_to_settings (StriaeServerLogin *self,
                                      GSettings         *settings)
{
  g_return_if_fail (STRIAE_IS_SERVER_LOGIN (self));
  g_return_if_fail (G_IS_SETTINGS (settings));

  g_settings_set_string (settings, "server-host", self->host);
  g_settings_set_uint (settings, "server-port", self->port);
  g_settings_set_string (settings, "server-database", self->database);
  g_settings_set_string (settings, "server-user", self->user);
  g_settings_set_string (settings, "server-ca-file", self->ca_file);
}

static gboolean
set_text (char       **field,
          const char  *text)
{
  /* Spaces typed around a name are never part of it. */
  g_autofree char *stripped = g_strstrip (g_strdup (text != NULL ? text : ""));

  if (g_strcmp0 (*field, stripped) == 0)
    return FALSE;
  g_free (*field);
  *field = g_steal_pointer (&stripped);
  return TRUE;
}

const char *
striae_server_login_get_host (StriaeServerLogin *self)
{
  g_return_val_if_fail (STRIAE_IS_SERVER_LOGIN (self), NULL);
  return self->host;
}

void
striae_server_login_set_host (StriaeServerLogin *self,
                              const char        *host)
{
  g_return_if_fail (STRIAE_IS_SERVER_LOGIN (self));

  if (set_text (&self->host, host))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_HOST]);
}

guint
striae_server_login_get_port (StriaeServerLogin *self)
{
  g_return_val_if_fail (STRIAE_IS_SERVER_LOGIN (self), 0);
  return self->port;
}

void
striae_server_login_set_port (StriaeServerLogin *self,
                              guint              port)
{
  g_return_if_fail (STRIAE_IS_SERVER_LOGIN (self));

  if (self->port == port)
    return;
  self->port = port;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PORT]);
}

const char *
striae_server_login_get_database (StriaeServerLogin *self)
{
  g_return_val_if_fail (STRIAE_IS_SERVER_LOGIN (self), NULL);
  return self->database;
}

void
striae_server_login_set_database (StriaeServerLogin *self,
                                  const char        *database)
{
  g_return_if_fail (STRIAE_IS_SERVER_LOGIN (self));

  if (set_text (&self->database, database))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DATABASE]);
}

const char *
striae_server_login_get_user (StriaeServerLogin *self)
{
  g_return_val_if_fail (STRIAE_IS_SERVER_LOGIN (self), NULL);
  return self->user;
}

void
striae_server_login_set_user (StriaeServerLogin *self,
                              const char        *user)
{
  g_return_if_fail (STRIAE_IS_SERVER_LOGIN (self));

  if (set_text (&self->user, user))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_USER]);
}

const char *
striae_server_login_get_ca_file (StriaeServerLogin *self)
{
  g_return_val_if_fail (STRIAE_IS_SERVER_LOGIN (self), NULL);
  return self->ca_file;
}

void
striae_server_login_set_ca_file (StriaeServerLogin *self,
                                 const char        *ca_file)
{
  g_return_if_fail (STRIAE_IS_SERVER_LOGIN (self));

  /* A file name may begin or end with a space: kept as given. */
  if (g_strcmp0 (self->ca_file, ca_file != NULL ? ca_file : "") == 0)
    return;
  g_free (self->ca_file);
  self->ca_file = g_strdup (ca_file != NULL ? ca_file : "");
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CA_FILE]);
}

/**
 * striae_server_login_is_socket:
 *
 * Returns: whether the host is the folder of a Unix socket on this computer (no TLS there)
 */
gboolean
striae_server_login_is_socket (StriaeServerLogin *self)
{
  g_return_val_if_fail (STRIAE_IS_SERVER_LOGIN (self), FALSE);
  return self->host[0] == '/';
}

/* An IPv6 address, with or without its brackets, or NULL for a name or an IPv4 address. */
static char *
dup_ipv6_address (const char *host)
{
  if (strchr (host, ':') == NULL)
    return NULL;
  if (host[0] == '[')
    return g_strndup (host + 1, strcspn (host + 1, "]"));
  return g_strdup (host);
}

static gboolean
check_host (StriaeServerLogin  *self,
            GError            **error)
{
  g_autofree char *ipv6 = dup_ipv6_address (self->host);

  if (striae_server_login_is_socket (self))
    return TRUE;

  /* "db.clinic.lan:5433" is a host and a port in one field. */
  if ((ipv6 != NULL && !g_hostname_is_ip_address (ipv6)) ||
      strpbrk (self->host, " /@?#") != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a host name; type only the name or address of the server, "
                     "and the port in its own field."), self->host);
      return FALSE;
    }
  return TRUE;
}

/**
 * striae_server_login_check:
 *
 * Returns: %FALSE with @error set to one sentence saying what to fill in, if the details
 *   cannot name a server yet
 */
gboolean
striae_server_login_check (StriaeServerLogin  *self,
                           GError            **error)
{
  g_return_val_if_fail (STRIAE_IS_SERVER_LOGIN (self), FALSE);

  if (self->host[0] == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Type the clinic server’s host name."));
      return FALSE;
    }
  if (!check_host (self, error))
    return FALSE;
  if (self->port < 1 || self->port > 65535)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("The port must be a number from 1 to 65535."));
      return FALSE;
    }
  if (self->database[0] == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Type the name of the records’ database on the clinic server."));
      return FALSE;
    }
  if (self->user[0] == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Type your user name on the clinic server."));
      return FALSE;
    }
  if (!striae_server_login_is_socket (self) && self->ca_file[0] == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Choose the clinic’s certificate file: the connection to the "
                             "server is encrypted and checked with it."));
      return FALSE;
    }
  if (!striae_server_login_is_socket (self) &&
      !g_file_test (self->ca_file, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("The certificate file “%s” does not exist; choose it again."),
                   self->ca_file);
      return FALSE;
    }

  return TRUE;
}

/* Every part percent-encoded, reserved characters included, so that "@", ":", "/", "?", "&",
 * "=" or "%" in a name stay in that name. libpq decodes them back. */
static char *
escape (const char *text)
{
  return g_uri_escape_string (text, NULL, FALSE);
}

/* A libpq URI:
 *   over TCP   postgresql://USER@HOST:PORT/DATABASE?sslmode=verify-full&sslrootcert=CA&…
 *   on socket  postgresql://USER@/DATABASE?host=FOLDER&port=PORT&…
 * An IPv6 address goes in brackets, its colons kept. */
static char *
build_location (StriaeServerLogin *self,
                const char        *password)
{
  GString *uri = g_string_new ("postgresql://");
  g_autofree char *user = escape (self->user);
  g_autofree char *database = escape (self->database);

  g_string_append_printf (uri, "%s@", user);
  if (striae_server_login_is_socket (self))
    {
      g_autofree char *folder = escape (self->host);

      g_string_append_printf (uri, "/%s?host=%s&port=%u", database, folder, self->port);
    }
  else
    {
      g_autofree char *ca_file = escape (self->ca_file);
      g_autofree char *ipv6 = dup_ipv6_address (self->host);
      g_autofree char *host = ipv6 != NULL ? g_uri_escape_string (ipv6, ":", FALSE)
                                           : escape (self->host);

      g_string_append_printf (uri, ipv6 != NULL ? "[%s]:%u" : "%s:%u", host, self->port);
      g_string_append_printf (uri, "/%s?sslmode=verify-full&sslrootcert=%s", database,
                              ca_file);
    }
  g_string_append_printf (uri, "&connect_timeout=%d", CONNECT_TIMEOUT_SECONDS);
  g_string_append (uri, "&application_name=Striae");

  /* No password at all: a server that trusts the certificate or the socket's user. */
  if (password != NULL && password[0] != '\0')
    {
      char *secret = escape (password);

      g_string_append_printf (uri, "&password=%s", secret);
      striae_server_login_free_secret (secret);
    }

  return g_string_free (uri, FALSE);
}

/**
 * striae_server_login_dup_location:
 *
 * Returns: (transfer full) (nullable): the libpq URI naming the records on the server,
 *   without a password: safe to show, and what `striae --database` takes
 */
char *
striae_server_login_dup_location (StriaeServerLogin  *self,
                                  GError            **error)
{
  g_return_val_if_fail (STRIAE_IS_SERVER_LOGIN (self), NULL);

  if (!striae_server_login_check (self, error))
    return NULL;
  return build_location (self, NULL);
}

/**
 * striae_server_login_dup_secret_location:
 * @password: the user's password on the server
 *
 * The location with the password, for striae_store_open() alone: never show, log or keep
 * it.
 *
 * Returns: (transfer full) (nullable): free it with striae_server_login_free_secret()
 */
char *
striae_server_login_dup_secret_location (StriaeServerLogin  *self,
                                         const char         *password,
                                         GError            **error)
{
  g_return_val_if_fail (STRIAE_IS_SERVER_LOGIN (self), NULL);
  g_return_val_if_fail (password != NULL, NULL);

  if (!striae_server_login_check (self, error))
    return NULL;
  return build_location (self, password);
}

/**
 * striae_server_login_dup_description:
 *
 * Returns: (transfer full): "database on host" for a sentence, whatever was filled in
 */
char *
striae_server_login_dup_description (StriaeServerLogin *self)
{
  g_return_val_if_fail (STRIAE_IS_SERVER_LOGIN (self), NULL);

  /* TRANSLATORS: "“striae” on db.clinic.lan": the records' database on the clinic server */
  return g_strdup_printf (_("“%s” on %s"), self->database, self->host);
}

/**
 * striae_server_login_free_secret:
 * @secret: (nullable): a password or a location holding one
 *
 * Overwrites @secret before freeing it, so that it does not linger in freed memory.
 */
void
striae_server_login_free_secret (char *secret)
{
  if (secret == NULL)
    return;
  secret_password_wipe (secret);
  g_free (secret);
}

/* The keyring */

static void
password_looked_up_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *password = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, password, (GDestroyNotify) striae_server_login_free_secret);
}

/**
 * striae_server_login_lookup_password_async:
 *
 * Looks up the password kept in the keyring for this host, port, database and user.
 */
void
striae_server_login_lookup_password_async (StriaeServerLogin   *self,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (STRIAE_IS_SERVER_LOGIN (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, striae_server_login_lookup_password_async);
  secret_password_lookup (login_schema (), cancellable, password_looked_up_cb, task,
                          "host", self->host,
                          "port", (int) self->port,
                          "database", self->database,
                          "user", self->user,
                          NULL);
}

/**
 * striae_server_login_lookup_password_finish:
 *
 * Returns: (transfer full) (nullable): the password, to be freed with
 *   striae_server_login_free_secret(); %NULL with no error when the keyring has none
 */
char *
striae_server_login_lookup_password_finish (StriaeServerLogin  *self,
                                            GAsyncResult       *result,
                                            GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
password_stored_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * striae_server_login_store_password_async:
 * @password: the password that just opened the records
 *
 * Keeps @password in the user's default keyring, replacing the one kept for the same host,
 * port, database and user.
 */
void
striae_server_login_store_password_async (StriaeServerLogin   *self,
                                          const char          *password,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autofree char *description = NULL;
  g_autofree char *label = NULL;
  GTask *task;

  g_return_if_fail (STRIAE_IS_SERVER_LOGIN (self));
  g_return_if_fail (password != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, striae_server_login_store_password_async);
  /* The label is what the keyring's own window (Passwords and Keys) shows. */
  description = g_strdup_printf ("%s@%s:%u/%s", self->user, self->host, self->port,
                                 self->database);
  /* TRANSLATORS: %s is user@host:port/database */
  label = g_strdup_printf (_("Striae clinic server password for %s"), description);
  secret_password_store (login_schema (), SECRET_COLLECTION_DEFAULT, label, password,
                         cancellable, password_stored_cb, task,
                         "host", self->host,
                         "port", (int) self->port,
                         "database", self->database,
                         "user", self->user,
                         NULL);
}

gboolean
striae_server_login_store_password_finish (StriaeServerLogin  *self,
                                           GAsyncResult       *result,
                                           GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
password_cleared_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* FALSE without an error: there was nothing to clear, which is what was asked. */
  secret_password_clear_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * striae_server_login_clear_password_async:
 *
 * Removes the password kept for this host, port, database and user (a wrong one).
 */
void
striae_server_login_clear_password_async (StriaeServerLogin   *self,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (STRIAE_IS_SERVER_LOGIN (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, striae_server_login_clear_password_async);
  secret_password_clear (login_schema (), cancellable, password_cleared_cb, task,
                         "host", self->host,
                         "port", (int) self->port,
                         "database", self->database,
                         "user", self->user,
                         NULL);
}

gboolean
striae_server_login_clear_password_finish (StriaeServerLogin  *self,
                                           GAsyncResult       *result,
                                           GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Opening the records */

typedef struct
{
  char *location;  /* with the password */
  char *password;
} OpenData;

static void
open_data_free (OpenData *data)
{
  striae_server_login_free_secret (data->location);
  striae_server_login_free_secret (data->password);
  g_free (data);
}

/* The store's sentence, unless it repeats the password (a backend quoting its location):
 * then one that does not. */
static void
scrub_error (GError     *error,
             const char *password)
{
  g_autofree char *escaped = escape (password);

  if (password[0] == '\0' ||
      (strstr (error->message, password) == NULL && strstr (error->message, escaped) == NULL))
    return;

  g_free (error->message);
  error->message = g_strdup (_("The clinic server refused the connection; check the details "
                               "and the password, or ask the clinic’s IT."));
}

static void
open_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  OpenData *data = task_data;
  g_autoptr(GError) error = NULL;
  StriaeStore *store;

  store = striae_store_open (data->location, &error);
  if (store == NULL)
    {
      scrub_error (error, data->password);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, store, g_object_unref);
}

/**
 * striae_server_login_open_async:
 * @password: the user's password on the server
 *
 * Opens the records on the server in a thread, since a server far away (or gone) may take
 * seconds to answer. Nothing is kept: the caller keeps the password in the keyring once the
 * records opened.
 */
void
striae_server_login_open_async (StriaeServerLogin   *self,
                                const char          *password,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  OpenData *data;
  char *location;

  g_return_if_fail (STRIAE_IS_SERVER_LOGIN (self));
  g_return_if_fail (password != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, striae_server_login_open_async);
  if ((location = striae_server_login_dup_secret_location (self, password, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data = g_new0 (OpenData, 1);
  data->location = location;
  data->password = g_strdup (password);
  g_task_set_task_data (task, data, (GDestroyNotify) open_data_free);
  g_task_run_in_thread (task, open_thread);
}

/* The password kept in the keyring, read in a worker thread: libsecret's calls that wait
 * run a main context of their own, so that the keyring's round trips go on while the main
 * thread is busy (initialising GTK, building a window). NULL with @error set to the
 * sentence the user reads when there is none or the keyring cannot be read. */
static char *
lookup_kept_password (StriaeServerLogin  *self,
                      GCancellable       *cancellable,
                      GError            **error)
{
  g_autoptr(GError) local_error = NULL;
  char *password;

  password = secret_password_lookup_sync (login_schema (), cancellable, &local_error,
                                          "host", self->host,
                                          "port", (int) self->port,
                                          "database", self->database,
                                          "user", self->user,
                                          NULL);
  striae_first_frame_mark ("keyring answered");
  if (password != NULL)
    return password;

  if (local_error != NULL)
    {
      g_message ("The keyring could not be read: %s", local_error->message);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("The keyring could not be read, so the clinic server’s password "
                             "is unknown: type it and connect."));
    }
  else
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                         _("The clinic server’s password is not in this computer’s keyring: "
                           "type it and connect."));
  return NULL;
}

static void
open_with_kept_password_thread (GTask        *task,
                                gpointer      source,
                                gpointer      task_data,
                                GCancellable *cancellable)
{
  StriaeServerLogin *self = source;
  g_autoptr(GError) error = NULL;
  g_autofree char *location = NULL;
  char *password;
  StriaeStore *store = NULL;

  if ((password = lookup_kept_password (self, cancellable, &error)) != NULL &&
      (location = striae_server_login_dup_secret_location (self, password, &error)) != NULL &&
      (store = striae_store_open (location, &error)) == NULL)
    scrub_error (error, password);
  striae_server_login_free_secret (password);
  striae_server_login_free_secret (g_steal_pointer (&location));

  if (store == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, store, g_object_unref);
}

/**
 * striae_server_login_open_with_kept_password_async:
 *
 * Opens the records on the server with the password kept in the keyring
 * (striae_server_login_store_password_async()), the keyring read and the records opened in
 * one worker thread: a clinic PC's start, which can meanwhile initialise GTK and build its
 * window. The login must not change until it is done.
 */
void
striae_server_login_open_with_kept_password_async (StriaeServerLogin   *self,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (STRIAE_IS_SERVER_LOGIN (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, striae_server_login_open_with_kept_password_async);
  g_task_run_in_thread (task, open_with_kept_password_thread);
}

/**
 * striae_server_login_open_with_kept_password_finish:
 *
 * Returns: (transfer full) (nullable): the open records, or %NULL with @error set to one
 *   sentence: no password kept (%G_IO_ERROR_NOT_FOUND), a keyring that cannot be read, or
 *   the store's (see striae_server_login_open_finish())
 */
StriaeStore *
striae_server_login_open_with_kept_password_finish (StriaeServerLogin  *self,
                                                    GAsyncResult       *result,
                                                    GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * striae_server_login_open_finish:
 *
 * Returns: (transfer full) (nullable): the open records, or %NULL with @error set to the
 *   store's one sentence (a wrong password, an unknown host, a refused certificate…)
 */
StriaeStore *
striae_server_login_open_finish (StriaeServerLogin  *self,
                                 GAsyncResult       *result,
                                 GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
