/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <string.h>

#include "striae-server-login.h"

/* The location of the records on a clinic server (a libpq URI), built from what the user
 * typed: every part percent-encoded, TLS with the clinic's certificate authority over TCP,
 * none on a Unix socket, and the password only in the copy meant for the store. */

typedef struct
{
  char *dir;
  char *ca_file;  /* an existing file, with spaces in its path */
} Fixture;

/* Whether the string setting @key of @settings is @value. */
static gboolean
setting_is (GSettings  *settings,
            const char *key,
            const char *value)
{
  g_autofree char *current = g_settings_get_string (settings, key);

  if (g_strcmp0 (current, value) != 0)
    g_test_message ("%s is “%s”, not “%s”", key, current, value);
  return g_strcmp0 (current, value) == 0;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = NULL;

  fixture->dir = g_dir_make_tmp ("striae-login-XXXXXX", &error);
  g_assert_no_error (error);
  folder = g_build_filename (fixture->dir, "Clinic CA", NULL);
  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  fixture->ca_file = g_build_filename (folder, "root cert.pem", NULL);
  g_file_set_contents (fixture->ca_file, "-----BEGIN CERTIFICATE-----\n", -1, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *folder = g_path_get_dirname (fixture->ca_file);

  g_unlink (fixture->ca_file);
  g_rmdir (folder);
  g_rmdir (fixture->dir);
  g_free (fixture->ca_file);
  g_free (fixture->dir);
}

static StriaeServerLogin *
new_login (const char *host,
           guint       port,
           const char *database,
           const char *user,
           const char *ca_file)
{
  return g_object_new (STRIAE_TYPE_SERVER_LOGIN,
                       "host", host, "port", port, "database", database, "user", user,
                       "ca-file", ca_file, NULL);
}

/* The URI read back with GLib's own parser: the parts decode to what was typed. */
typedef struct
{
  char       *user;
  char       *host;
  int         port;
  char       *path;
  GHashTable *params;
} Parsed;

static void
parsed_clear (Parsed *parsed)
{
  g_free (parsed->user);
  g_free (parsed->host);
  g_free (parsed->path);
  g_clear_pointer (&parsed->params, g_hash_table_unref);
}

static void
parse (const char *location,
       Parsed     *parsed)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *scheme = NULL;
  g_autofree char *query = NULL;

  memset (parsed, 0, sizeof *parsed);
  g_assert_true (g_uri_split_with_user (location, G_URI_FLAGS_ENCODED_QUERY, &scheme,
                                        &parsed->user, NULL, NULL, &parsed->host,
                                        &parsed->port, &parsed->path, &query, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (scheme, ==, "postgresql");
  parsed->params = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, &error);
  g_assert_no_error (error);
}

static void
test_tcp (Fixture       *fixture,
          gconstpointer  data)
{
  g_autoptr(StriaeServerLogin) login = new_login ("db.clinic.lan", 5432, "striae", "anna",
                                                  fixture->ca_file);
  g_autoptr(GError) error = NULL;
  g_autofree char *location = striae_server_login_dup_location (login, &error);
  g_autofree char *escaped_ca = g_uri_escape_string (fixture->ca_file, NULL, FALSE);
  g_autofree char *expected = NULL;
  Parsed parsed;

  g_assert_no_error (error);
  expected = g_strdup_printf ("postgresql://anna@db.clinic.lan:5432/striae?sslmode=verify-full"
                              "&sslrootcert=%s&connect_timeout=10&application_name=Striae",
                              escaped_ca);
  g_assert_cmpstr (location, ==, expected);
  /* The folder "Clinic CA" and the file "root cert.pem": spaces and slashes encoded. */
  g_assert_nonnull (strstr (location, "Clinic%20CA%2Froot%20cert.pem"));
  g_assert_null (strstr (location, "password"));

  parse (location, &parsed);
  g_assert_cmpstr (parsed.user, ==, "anna");
  g_assert_cmpstr (parsed.host, ==, "db.clinic.lan");
  g_assert_cmpint (parsed.port, ==, 5432);
  g_assert_cmpstr (parsed.path, ==, "/striae");
  g_assert_cmpstr (g_hash_table_lookup (parsed.params, "sslmode"), ==, "verify-full");
  g_assert_cmpstr (g_hash_table_lookup (parsed.params, "sslrootcert"), ==, fixture->ca_file);
  g_assert_true (striae_store_is_server_location (location));
  g_assert_false (striae_server_login_is_socket (login));
  parsed_clear (&parsed);
}

/* Characters that mean something in a URI stay in the name they were typed in. */
static void
test_special_characters (Fixture       *fixture,
                         gconstpointer  data)
{
  const char *user = "jo@n:é/?&=%+#";
  const char *database = "striae db/2026#1?x=y&z";
  const char *password = "p@ss w:rd&x=1%/?#+é";
  g_autoptr(StriaeServerLogin) login = new_login ("db.clinic.lan", 6543, database, user,
                                                  fixture->ca_file);
  g_autoptr(GError) error = NULL;
  g_autofree char *location = striae_server_login_dup_location (login, &error);
  char *secret = NULL;
  Parsed parsed;

  g_assert_no_error (error);
  parse (location, &parsed);
  g_assert_cmpstr (parsed.user, ==, user);
  g_assert_cmpstr (parsed.host, ==, "db.clinic.lan");
  g_assert_cmpint (parsed.port, ==, 6543);
  g_assert_cmpstr (parsed.path, ==, "/striae db/2026#1?x=y&z");
  /* Only one path segment: the slash of the name is encoded. */
  g_assert_nonnull (strstr (location, "/striae%20db%2F2026%231%3Fx%3Dy%26z?"));
  g_assert_null (g_hash_table_lookup (parsed.params, "password"));
  g_assert_null (g_hash_table_lookup (parsed.params, "x"));
  parsed_clear (&parsed);

  secret = striae_server_login_dup_secret_location (login, password, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (secret, location));
  parse (secret, &parsed);
  g_assert_cmpstr (g_hash_table_lookup (parsed.params, "password"), ==, password);
  g_assert_cmpstr (parsed.user, ==, user);
  g_assert_cmpstr (g_hash_table_lookup (parsed.params, "sslrootcert"), ==, fixture->ca_file);
  g_assert_cmpuint (g_hash_table_size (parsed.params), ==, 5);
  parsed_clear (&parsed);
  striae_server_login_free_secret (secret);

  /* No password: none in the location either. */
  secret = striae_server_login_dup_secret_location (login, "", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, location);
  striae_server_login_free_secret (secret);
}

static void
test_ipv6 (Fixture       *fixture,
           gconstpointer  data)
{
  static const struct {
    const char *typed;
    const char *in_uri;
    const char *parsed;
  } cases[] = {
    { "::1", "@[::1]:5432/", "::1" },
    { "[::1]", "@[::1]:5432/", "::1" },
    { "2001:db8::10", "@[2001:db8::10]:5432/", "2001:db8::10" },
    { "fe80::1%eth0", "@[fe80::1%25eth0]:5432/", "fe80::1%eth0" },
    { "192.0.2.7", "@192.0.2.7:5432/", "192.0.2.7" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(StriaeServerLogin) login = new_login (cases[i].typed, 5432, "striae", "anna",
                                                      fixture->ca_file);
      g_autoptr(GError) error = NULL;
      g_autofree char *location = striae_server_login_dup_location (login, &error);
      g_autoptr(GUri) uri = NULL;

      g_test_message ("host %s: %s", cases[i].typed, location);
      g_assert_no_error (error);
      g_assert_nonnull (strstr (location, cases[i].in_uri));
      g_assert_nonnull (strstr (location, "sslmode=verify-full"));
      uri = g_uri_parse (location, G_URI_FLAGS_NONE, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (g_uri_get_host (uri), ==, cases[i].parsed);
      g_assert_cmpint (g_uri_get_port (uri), ==, 5432);
    }
}

/* The folder of a Unix socket: host and port as parameters, no TLS, no certificate needed. */
static void
test_socket (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(StriaeServerLogin) login = new_login ("/var/run/postgresql", 5433, "striae",
                                                  "anna", "");
  g_autoptr(GError) error = NULL;
  g_autofree char *location = striae_server_login_dup_location (login, &error);
  Parsed parsed;

  g_assert_no_error (error);
  g_assert_true (striae_server_login_is_socket (login));
  g_assert_cmpstr (location, ==,
                   "postgresql://anna@/striae?host=%2Fvar%2Frun%2Fpostgresql&port=5433"
                   "&connect_timeout=10&application_name=Striae");
  parse (location, &parsed);
  g_assert_true (parsed.host == NULL || parsed.host[0] == '\0');
  g_assert_cmpstr (g_hash_table_lookup (parsed.params, "host"), ==, "/var/run/postgresql");
  g_assert_null (g_hash_table_lookup (parsed.params, "sslmode"));
  g_assert_null (g_hash_table_lookup (parsed.params, "sslrootcert"));
  parsed_clear (&parsed);

  /* A certificate chosen before does not bring TLS to the socket. */
  striae_server_login_set_ca_file (login, fixture->ca_file);
  g_clear_pointer (&location, g_free);
  location = striae_server_login_dup_location (login, &error);
  g_assert_no_error (error);
  g_assert_null (strstr (location, "ssl"));

  /* A folder with spaces. */
  striae_server_login_set_host (login, "/tmp/pg sockets");
  g_clear_pointer (&location, g_free);
  location = striae_server_login_dup_location (login, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (location, "?host=%2Ftmp%2Fpg%20sockets&"));
}

/* Each missing or wrong detail gets its own sentence, and no location. */
static void
test_refusals (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *missing = g_build_filename (fixture->dir, "no such ca.pem", NULL);
  const struct {
    const char *host;
    guint       port;
    const char *database;
    const char *user;
    const char *ca_file;
    const char *words;
  } cases[] = {
    { "", 5432, "striae", "anna", fixture->ca_file, "host name" },
    { "   ", 5432, "striae", "anna", fixture->ca_file, "host name" },
    { "db.clinic.lan", 0, "striae", "anna", fixture->ca_file, "1 to 65535" },
    { "db.clinic.lan", 70000, "striae", "anna", fixture->ca_file, "1 to 65535" },
    { "db.clinic.lan:5433", 5432, "striae", "anna", fixture->ca_file, "its own field" },
    { "db clinic", 5432, "striae", "anna", fixture->ca_file, "its own field" },
    { "anna@db.clinic.lan", 5432, "striae", "anna", fixture->ca_file, "its own field" },
    { "db.clinic.lan", 5432, "", "anna", fixture->ca_file, "database" },
    { "db.clinic.lan", 5432, "striae", "", fixture->ca_file, "user name" },
    { "db.clinic.lan", 5432, "striae", "anna", "", "certificate file" },
    { "db.clinic.lan", 5432, "striae", "anna", missing, "does not exist" },
    { "db.clinic.lan", 5432, "striae", "anna", fixture->dir, "does not exist" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(StriaeServerLogin) login = new_login (cases[i].host, cases[i].port,
                                                      cases[i].database, cases[i].user,
                                                      cases[i].ca_file);
      g_autoptr(GError) error = NULL;
      g_autofree char *location = striae_server_login_dup_location (login, &error);

      g_assert_null (location);
      g_assert_nonnull (error);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, cases[i].words));
      g_assert_true (g_str_has_suffix (error->message, "."));
      g_clear_error (&error);
      g_assert_null (striae_server_login_dup_secret_location (login, "secret", &error));
      g_assert_nonnull (error);
    }
}

/* The details go to GSettings and come back; no key of the schema holds a password. */
static void
test_settings (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.striae.Striae");
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(StriaeServerLogin) login = new_login ("  db.clinic.lan ", 6432, "striae",
                                                  "anna", fixture->ca_file);
  g_autoptr(StriaeServerLogin) again = NULL;
  g_auto(GStrv) keys = NULL;

  g_assert_true (setting_is (settings, "records-place", "this-computer"));
  g_assert_cmpuint (g_settings_get_uint (settings, "server-port"), ==, 5432);

  /* Spaces around a typed name are not part of it. */
  g_assert_cmpstr (striae_server_login_get_host (login), ==, "db.clinic.lan");
  striae_server_login_save_to_settings (login, settings);
  g_assert_true (setting_is (settings, "server-host", "db.clinic.lan"));
  /* Saved for good, and what the caller writes next too (no delayed mode left behind). */
  g_settings_set_string (settings, "records-place", "clinic-server");
  g_assert_false (g_settings_get_has_unapplied (settings));
  {
    g_autoptr(GSettings) other = g_settings_new ("io.github.striae.Striae");

    g_assert_true (setting_is (other, "server-host", "db.clinic.lan"));
    g_assert_true (setting_is (other, "records-place", "clinic-server"));
  }
  g_settings_reset (settings, "records-place");
  again = striae_server_login_new_from_settings (settings);
  g_assert_cmpstr (striae_server_login_get_host (again), ==, "db.clinic.lan");
  g_assert_cmpuint (striae_server_login_get_port (again), ==, 6432);
  g_assert_cmpstr (striae_server_login_get_database (again), ==, "striae");
  g_assert_cmpstr (striae_server_login_get_user (again), ==, "anna");
  g_assert_cmpstr (striae_server_login_get_ca_file (again), ==, fixture->ca_file);

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_assert_null (strstr (keys[i], "password"));
}

static void
test_is_location (void)
{
  g_assert_true (striae_store_is_server_location ("postgresql://anna@db/striae"));
  g_assert_true (striae_store_is_server_location ("postgres://anna@db/striae"));
  g_assert_false (striae_store_is_server_location ("/home/anna/striae.db"));
  g_assert_false (striae_store_is_server_location ("postgresql.db"));
  g_assert_false (striae_store_is_server_location (NULL));
}

static void
opened_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GError **error = user_data;
  StriaeStore *store;

  store = striae_server_login_open_finish (STRIAE_SERVER_LOGIN (source), result, error);
  g_assert_null (store);
  g_assert_nonnull (*error);
}

/* A server that is not there: one sentence, which never repeats the password. */
static void
test_open_unknown_host (Fixture       *fixture,
                        gconstpointer  data)
{
  const char *password = "Tr0ub4dor&3 secret";
  g_autoptr(StriaeServerLogin) login = new_login ("no-such-host.invalid", 5432, "striae",
                                                  "anna", fixture->ca_file);
  g_autoptr(GError) error = NULL;
  g_autofree char *escaped = g_uri_escape_string (password, NULL, FALSE);
  gint64 end = g_get_monotonic_time () + 60 * G_TIME_SPAN_SECOND;

  striae_server_login_open_async (login, password, NULL, opened_cb, &error);
  while (error == NULL && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);

  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_cmpstr (error->message, !=, "");
  g_assert_null (strstr (error->message, password));
  g_assert_null (strstr (error->message, escaped));
  g_assert_null (strstr (error->message, "Tr0ub4dor"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD_TEST(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD_TEST ("/server-login/tcp", test_tcp);
  ADD_TEST ("/server-login/special-characters", test_special_characters);
  ADD_TEST ("/server-login/ipv6", test_ipv6);
  ADD_TEST ("/server-login/socket", test_socket);
  ADD_TEST ("/server-login/refusals", test_refusals);
  ADD_TEST ("/server-login/settings", test_settings);
  ADD_TEST ("/server-login/open-unknown-host", test_open_unknown_host);
  g_test_add_func ("/server-login/is-location", test_is_location);

  return g_test_run ();
}
