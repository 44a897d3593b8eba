/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "striae-cli.h"
#include "striae-cli-records.h"
#include "striae-cli-secret.h"
#include "striae-cli-server.h"
#include "striae-store.h"

static const GOptionEntry server_entries[] = {
  { "server-init", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
    N_("Set up the records on a clinic server: its schema and the group roles "
       "striae_admin, striae_practitioner and striae_assistant (run as the database’s "
       "owner; running it again is harmless)"), N_("URI") },
  { "server-add-login", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
    N_("Add a staff login NAME to a clinic server, with --role and then the server’s URI; "
       "the password is read from the terminal"), N_("NAME") },
  { "copy-to", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
    N_("Copy every patient, consultation and audit entry of this computer’s records (or of "
       "--database) onto a clinic server that --server-init set up and nobody used yet "
       "(run as the database’s owner)"), N_("URI") },
  { "role", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
    N_("With --server-add-login, the login’s group: practitioner, assistant or admin"),
    N_("ROLE") },
  /* The server's URI after --server-add-login's options; no other command takes one. */
  { G_OPTION_REMAINING, 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING_ARRAY, NULL, NULL, NULL },
  { NULL }
};

void
striae_cli_server_add_options (GApplication *app)
{
  g_return_if_fail (G_IS_APPLICATION (app));

  g_application_add_main_option_entries (app, server_entries);
}

static char *
join_roles (const char * const *roles)
{
  /* TRANSLATORS: the separator between the names of roles in a list */
  return g_strjoinv (_(", "), (char **) roles);
}

static void
print_setup (const StriaeServerSetup *setup)
{
  static const char * const all_roles[] = {
    "striae_admin", "striae_practitioner", "striae_assistant", NULL
  };
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();
  guint n_created = setup->created_roles ? g_strv_length (setup->created_roles) : 0;

  if (setup->schema_before == 0)
    g_print (_("Created the records’ schema (version %d).\n"), setup->schema_after);
  else if (setup->schema_before < setup->schema_after)
    g_print (_("Upgraded the records’ schema from version %d to %d.\n"),
             setup->schema_before, setup->schema_after);
  else
    g_print (_("The records’ schema is up to date (version %d); it was not changed.\n"),
             setup->schema_after);

  for (guint i = 0; all_roles[i] != NULL; i++)
    if (setup->created_roles == NULL ||
        !g_strv_contains ((const char * const *) setup->created_roles, all_roles[i]))
      g_ptr_array_add (kept, (gpointer) all_roles[i]);
  g_ptr_array_add (kept, NULL);

  if (n_created > 0)
    {
      g_autofree char *list = join_roles ((const char * const *) setup->created_roles);

      /* TRANSLATORS: %s is a list of role names */
      g_print (g_dngettext (GETTEXT_PACKAGE, "Created the group role %s.\n",
                            "Created the group roles %s.\n", n_created), list);
    }
  if (kept->len > 1)
    {
      g_autofree char *list = join_roles ((const char * const *) kept->pdata);

      /* TRANSLATORS: %s is a list of role names */
      g_print (g_dngettext (GETTEXT_PACKAGE, "The group role %s existed already; it was kept.\n",
                            "The group roles %s existed already; they were kept.\n",
                            kept->len - 1), list);
    }
  g_print (_("Each group role now has exactly its privileges; no other login may connect.\n"));
  g_print (_("Next, add a login for each member of staff: striae --server-add-login NAME "
             "--role practitioner|assistant|admin URI\n"));
}

/* A new login's password (striae_cli_read_secret()). */
static StriaeSecret *
read_password (const char  *name,
               GError     **error)
{
  g_autofree char *prompt = g_strdup_printf (_("Password for %s: "), name);
  gboolean differ = FALSE;
  StriaeSecret *password = striae_cli_read_secret (prompt, _("The same password again: "),
                                                   &differ);

  if (password == NULL)
    g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                         differ ? _("The two passwords differ. No login was made.")
                                : _("No password was given. No login was made."));
  return password;
}

/* The password of the login in the URI, when the server wants one and nothing gives it: asked
 * on the terminal and handed to libpq through PGPASSWORD, for this process alone, so that it
 * shows neither on the command line nor in a message. */
static gboolean
ask_server_password (const char  *uri,
                     GError     **error)
{
  g_autoptr(StriaeSecret) password = NULL;
  g_autofree char *name = NULL;
  g_autofree char *prompt = NULL;

  if (!isatty (STDIN_FILENO) || !striae_store_server_needs_password (uri))
    return TRUE;

  name = striae_store_server_describe (uri);
  /* TRANSLATORS: %s is the server's login, as user@host/database */
  prompt = g_strdup_printf (_("Password of %s: "), name);
  password = striae_cli_ask_secret (prompt);
  if (password == NULL || password[0] == '\0')
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("The server needs the login’s password, and none was typed. "
                             "Nothing was changed."));
      return FALSE;
    }

  g_setenv ("PGPASSWORD", password, TRUE);
  return TRUE;
}

static int
run_init (const char   *uri,
          GVariantDict *options)
{
  g_autoptr(StriaeServerSetup) setup = NULL;
  g_autoptr(GError) error = NULL;

  if (!ask_server_password (uri, &error) ||
      (setup = striae_store_server_init (uri, &error)) == NULL)
    return striae_cli_print_error (error);

  print_setup (setup);
  return EXIT_SUCCESS;
}

static int
run_add_login (const char   *uri,
               GVariantDict *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StriaeSecret) password = NULL;
  const char *name = NULL;
  const char *display_name = NULL;
  const char *role_text = NULL;
  StriaeStaffRole role;

  g_variant_dict_lookup (options, "server-add-login", "&s", &name);
  g_variant_dict_lookup (options, "display-name", "&s", &display_name);
  if (!g_variant_dict_lookup (options, "role", "&s", &role_text) ||
      !striae_staff_role_from_string (role_text, &role))
    {
      g_set_error_literal (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("--server-add-login needs --role practitioner, --role assistant "
                             "or --role admin."));
      return striae_cli_print_error (error);
    }

  if (!ask_server_password (uri, &error) ||
      (password = read_password (name, &error)) == NULL ||
      !striae_store_server_add_login_full (uri, name, display_name, role, password, &error))
    return striae_cli_print_error (error);

  /* TRANSLATORS: %s are the login and its group role */
  g_print (_("Added the login %s to %s.\n"), name, striae_staff_role_get_group (role));
  return EXIT_SUCCESS;
}

static int
run_copy_to (const char   *database,
             const char   *uri,
             GVariantDict *options)
{
  g_autoptr(StriaeStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  StriaeCopyReport report = { 0 };
  gint64 start;

  /* The account's password first (the records on this computer), then the server's. */
  if ((store = striae_cli_open_existing_store (database, options, &error)) == NULL ||
      !ask_server_password (uri, &error))
    return striae_cli_print_error (error);

  start = g_get_monotonic_time ();
  if (!striae_store_copy_to (store, uri, &report, &error))
    return striae_cli_print_error (error);

  name = striae_store_server_describe (uri);
  /* TRANSLATORS: %s are the file and the server; then the time in seconds */
  g_print (_("Copied %s onto %s in %.1f s, and checked the copy:\n"),
           striae_store_get_path (store), name,
           (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
  g_print (_("  patients:      %" PRId64 "\n"), (int64_t) report.patients);
  g_print (_("  consultations: %" PRId64 "\n"), (int64_t) report.consultations);
  g_print (_("  revisions:     %" PRId64 "\n"), (int64_t) report.revisions);
  g_print (_("  audit entries: %" PRId64 "\n"), (int64_t) report.audit_entries);
  g_print (_("The same figures were counted on the server, and its audit log is intact.\n"));
  return EXIT_SUCCESS;
}

/* The URI given after the options, or with --database. */
static const char *
find_uri (const char    *database,
          const char   **remaining,
          GError       **error)
{
  guint n = remaining ? g_strv_length ((char **) remaining) : 0;

  if (n == 1 && database == NULL)
    return remaining[0];
  if (n == 0 && database != NULL && striae_store_is_server_location (database))
    return database;

  g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--server-add-login needs the clinic server’s URI once, after its "
                         "options, such as postgresql://striae_owner@server/striae."));
  return NULL;
}

/**
 * striae_cli_server_handle:
 * @database: (nullable): what was given with --database
 * @exit_status: (out): the exit status when a command ran
 *
 * Runs --server-init, --server-add-login or --copy-to when present, and refuses an argument
 * outside the options that none of them takes.
 *
 * Returns: %TRUE when a command was present (and has run), or was refused
 */
gboolean
striae_cli_server_handle (const char   *database,
                          GVariantDict *options,
                          int          *exit_status)
{
  g_autoptr(GError) error = NULL;
  g_autofree const char **remaining = NULL;
  const char *uri = NULL;

  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (exit_status != NULL, FALSE);

  g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&s", &remaining);

  if (g_variant_dict_contains (options, "server-init") +
      g_variant_dict_contains (options, "server-add-login") +
      g_variant_dict_contains (options, "copy-to") > 1)
    g_set_error_literal (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                         _("Give one of --server-init, --server-add-login and --copy-to, "
                           "not several."));
  else if (g_variant_dict_lookup (options, "copy-to", "&s", &uri))
    {
      if (remaining == NULL)
        {
          *exit_status = run_copy_to (database, uri, options);
          return TRUE;
        }
      g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--copy-to takes one URI; “%s” is one too many."), remaining[0]);
    }
  else if (g_variant_dict_lookup (options, "server-init", "&s", &uri))
    {
      if (remaining == NULL)
        {
          *exit_status = run_init (uri, options);
          return TRUE;
        }
      g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--server-init takes one URI; “%s” is one too many."), remaining[0]);
    }
  else if (g_variant_dict_contains (options, "server-add-login"))
    {
      if ((uri = find_uri (database, remaining, &error)) != NULL)
        {
          *exit_status = run_add_login (uri, options);
          return TRUE;
        }
    }
  else if (g_variant_dict_contains (options, "role"))
    g_set_error_literal (&error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                         _("--role works together with --server-add-login."));
  else if (remaining != NULL)
    /* TRANSLATORS: %s is what was given; --database is an option, not to translate */
    g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                 _("Striae does not know what to do with “%s”; to open other records, give "
                   "them with --database."), remaining[0]);
  else
    return FALSE;

  *exit_status = striae_cli_print_error (error);
  return TRUE;
}
