/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <libpq-fe.h>
#include <string.h>

#include "striae-pg-backend.h"
#include "striae-pg-roles.h"

/* The staff of a clinic reach the records through three group roles, which hold every
 * privilege; a staff login holds none of its own and is a member of one group. The server
 * enforces what must never happen twice over: the backend's triggers refuse changing a signed
 * revision and changing or deleting audit rows, and the grants below never let a Striae role
 * try (no UPDATE, DELETE or TRUNCATE on the audit log for anyone; row-level security keeps
 * UPDATE of consultation_revisions to revisions that are not signed). Everything not granted
 * here is refused, PUBLIC included: a login that is in no group cannot even connect. */

typedef struct
{
  const char *name;
  const char *description;
} Group;

static const Group groups[] = {
  [STRIAE_STAFF_ROLE_ASSISTANT] = { "striae_assistant",
                                    "Striae: front desk (reads records, contact details)" },
  [STRIAE_STAFF_ROLE_PRACTITIONER] = { "striae_practitioner",
                                       "Striae: practitioner (consultations, sign-off)" },
  [STRIAE_STAFF_ROLE_ADMIN] = { "striae_admin",
                                "Striae: clinic admin (settings, rules, archive, erasure)" },
};

#define ALL_GROUPS "striae_assistant, striae_practitioner, striae_admin"
#define PRACTITIONERS "striae_practitioner, striae_admin"

/* Run in order in one transaction, after the groups exist. Each run starts from nothing
 * (REVOKE ALL) so that a second run leaves exactly these privileges, whatever was granted by
 * hand in between. A migration that adds a table adds its grants here (server-roles checks
 * that every group can read every table). */
static const char * const grants[] = {
  /* Nothing for PUBLIC: the tables of patient records are not for every login on the
   * server. */
  "REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC, " ALL_GROUPS,
  "REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM PUBLIC, " ALL_GROUPS,
  "REVOKE ALL ON SCHEMA public FROM PUBLIC",
  "GRANT USAGE ON SCHEMA public TO " ALL_GROUPS,

  /* Everyone reads the records: the front desk finds patients and prints their sheets, which
   * are composed from the signed consultation and the clinic's settings. Opening the records
   * reads the schema's version, and sealing an audit row reads the audit key. */
  "GRANT SELECT ON patients, consultations, consultation_revisions, audit_subjects, audit,"
  "  audit_numbers, audit_key, settings, striae_schema, planned_sessions TO " ALL_GROUPS,
  /* The prefixes of the patients' names (schema 20) are read as the patients are, for the
   * patient list's searches; the schema's triggers write them, as its owner. */
  "GRANT SELECT ON patient_name_prefixes TO " ALL_GROUPS,

  /* The front desk registers patients and keeps their contact details up to date; names,
   * date of birth, sex and notes are the practitioner's. Column privileges keep every role
   * off the record id, the creation time and (but for the admin) the archive flag. The
   * records layer saves a patient whole, setting every column it may change, so the front
   * desk's limit is on values rather than columns: the trigger below refuses a change to
   * anything but the contact details from a login that is only an assistant. A new
   * patient's audit subject is made by the schema's trigger, which runs as the login that
   * inserts. */
  "GRANT INSERT ON patients, audit_subjects TO " ALL_GROUPS,
  "GRANT UPDATE (given_name, family_name, birth_date, sex, phone, phone_digits, email,"
  "  language, notes, sort_key, search_names, updated) ON patients"
  "  TO striae_assistant, striae_practitioner",
  "CREATE OR REPLACE FUNCTION striae_front_desk_edit () RETURNS trigger"
  "  LANGUAGE plpgsql AS $$"
  "BEGIN"
  "  IF pg_has_role ('striae_assistant', 'USAGE')"
  "     AND NOT pg_has_role ('striae_practitioner', 'USAGE')"
  "     AND NOT pg_has_role ('striae_admin', 'USAGE')"
  "     AND (new.given_name, new.family_name, new.birth_date, new.sex, new.notes,"
  "          new.sort_key, new.search_names)"
  "         IS DISTINCT FROM (old.given_name, old.family_name, old.birth_date, old.sex,"
  "                           old.notes, old.sort_key, old.search_names) THEN"
  "    RAISE EXCEPTION 'the front desk changes only contact details'"
  "      USING ERRCODE = 'insufficient_privilege';"
  "  END IF;"
  "  RETURN new;"
  "END $$",
  "DROP TRIGGER IF EXISTS striae_front_desk_edit ON patients",
  "CREATE TRIGGER striae_front_desk_edit BEFORE UPDATE ON patients FOR EACH ROW"
  "  EXECUTE FUNCTION striae_front_desk_edit ()",

  /* Every role appends to the audit log (a view, a print, an export is audited), and no
   * role may change or delete what is there. Each insert moves the highest number given on,
   * through the schema's trigger, as the login that inserts (its own trigger refuses
   * moving it back). */
  "GRANT INSERT ON audit TO " ALL_GROUPS,
  "GRANT UPDATE (last_number) ON audit_numbers TO " ALL_GROUPS,
  /* Who did it is the server's to say: a row appended by any login but the tables' owner (or
   * a superuser, who could switch the trigger off anyway) names the login that the server
   * authenticated, session_user, whatever the client wrote; Striae writes the same, so that
   * its seal holds (a client that wrote another name has its row sealed over a name the row
   * no longer holds, which --verify-audit shows). The owner's --copy-to brings rows written
   * elsewhere, each in the name it had. */
  "CREATE OR REPLACE FUNCTION striae_audit_actor () RETURNS trigger"
  "  LANGUAGE plpgsql AS $$"
  "BEGIN"
  "  IF NOT pg_catalog.pg_has_role (session_user,"
  "           (SELECT relowner FROM pg_catalog.pg_class WHERE oid = TG_RELID), 'MEMBER') THEN"
  "    new.actor := 'account:' || session_user;"
  "  END IF;"
  "  RETURN new;"
  "END $$",
  "DROP TRIGGER IF EXISTS striae_audit_actor ON audit",
  "CREATE TRIGGER striae_audit_actor BEFORE INSERT ON audit FOR EACH ROW"
  "  EXECUTE FUNCTION striae_audit_actor ()",

  /* An administrator gives a staff login a new password (Preferences → Accounts): staff
   * logins have no right to change roles (CREATEROLE reaches far in PostgreSQL 15), so this
   * function holds it for them, through its owner, for that one change: a SCRAM verifier
   * made on the PC (never a password, which would land in the server's logs), on a login of
   * one of Striae's groups that is neither a superuser, nor the database's owner, nor may
   * change roles itself. */
  "CREATE OR REPLACE FUNCTION striae_set_login_password (login text, verifier text)"
  "  RETURNS void LANGUAGE plpgsql SECURITY DEFINER"
  "  SET search_path = pg_catalog, pg_temp AS $$"
  "BEGIN"
  "  IF NOT pg_has_role (session_user, 'striae_admin', 'MEMBER') THEN"
  "    RAISE EXCEPTION 'only Striae''s administrators change passwords'"
  "      USING ERRCODE = 'insufficient_privilege';"
  "  END IF;"
  "  IF verifier IS NULL OR verifier NOT LIKE 'SCRAM-SHA-256$%' THEN"
  "    RAISE EXCEPTION 'a SCRAM-SHA-256 verifier, never a password'"
  "      USING ERRCODE = 'invalid_parameter_value';"
  "  END IF;"
  "  IF NOT EXISTS (SELECT FROM pg_roles r"
  "                  WHERE r.rolname = login AND r.rolcanlogin AND NOT r.rolsuper"
  "                    AND NOT r.rolcreaterole"
  "                    AND r.oid <> (SELECT datdba FROM pg_database"
  "                                   WHERE datname = current_database ())"
  "                    AND EXISTS (SELECT FROM pg_roles g"
  "                                 WHERE g.rolname IN ('striae_admin',"
  "                                         'striae_practitioner', 'striae_assistant')"
  "                                   AND pg_has_role (r.oid, g.oid, 'MEMBER'))) THEN"
  "    RAISE EXCEPTION 'no such staff login' USING ERRCODE = 'undefined_object';"
  "  END IF;"
  "  EXECUTE format ('ALTER ROLE %I PASSWORD %L', login, verifier);"
  "END $$",
  "REVOKE ALL ON FUNCTION striae_set_login_password (text, text) FROM PUBLIC",
  "GRANT EXECUTE ON FUNCTION striae_set_login_password (text, text) TO striae_admin",

  /* Practitioners write consultations: drafts, their revisions, sign-off and amendments, and
   * discard their own drafts (row-level security below keeps that to drafts). Saving locks
   * the consultation (SELECT … FOR UPDATE), which needs UPDATE on one of its columns. */
  "GRANT INSERT, DELETE ON consultations TO " PRACTITIONERS,
  "GRANT UPDATE (resume_page) ON consultations TO " PRACTITIONERS,
  "GRANT INSERT, UPDATE (updated, signed_by, signed_at, data), DELETE"
  "  ON consultation_revisions TO " PRACTITIONERS,
  /* The index of planned session dates is written with each revision (and goes with it). */
  "GRANT INSERT, DELETE ON planned_sessions TO " PRACTITIONERS,
  /* Session records (issue 17): everyone reads them (the day's list, batch tracing);
   * practitioners record, sign and amend them, like consultations. Saving locks the
   * session's row (SELECT … FOR UPDATE), which needs UPDATE on one of its columns. The lot
   * index is written with each revision. */
  "GRANT SELECT ON treatment_sessions, treatment_session_revisions, session_batches TO "
  ALL_GROUPS,
  "GRANT INSERT, UPDATE (created) ON treatment_sessions TO " PRACTITIONERS,
  "GRANT INSERT, UPDATE (updated, signed_by, signed_at, data)"
  "  ON treatment_session_revisions TO " PRACTITIONERS,
  "GRANT INSERT, DELETE ON session_batches TO " PRACTITIONERS,
  /* The schedule (issue 17): everyone reads it. The front desk runs the diary: it moves a
   * session and marks it missed (the records layer refuses it a cancellation, which is the
   * practitioner's); practitioners make the schedule when they sign, cancel, and mark a
   * session done when they sign its record. The see-again dates are written with a
   * revision. */
  "GRANT SELECT ON scheduled_sessions, see_again TO " ALL_GROUPS,
  "GRANT UPDATE (date, time, status, changed_by, changed_at, reason)"
  "  ON scheduled_sessions TO striae_assistant",
  "GRANT INSERT, UPDATE, DELETE ON scheduled_sessions TO " PRACTITIONERS,
  "GRANT INSERT, DELETE ON see_again TO " PRACTITIONERS,
  /* Photos (issue 18): everyone sees them; practitioners add and delete them. The photo
   * consent is the patient's, recorded at the front desk as well (STRIAE_RIGHT_PATIENTS). */
  "GRANT SELECT ON photos, photo_consents TO " ALL_GROUPS,
  "GRANT INSERT, DELETE ON photos TO " PRACTITIONERS,
  "GRANT INSERT, UPDATE ON photo_consents TO " ALL_GROUPS,
  /* The consent signed on the screen (issue 18): everyone reads it (the front desk prints
   * the consent); practitioners add signatures, the patient's too, on their screen. Nobody
   * changes or deletes one: it goes only with its patient, on erasure. */
  "GRANT SELECT ON consent_signatures TO " ALL_GROUPS,
  "GRANT INSERT ON consent_signatures TO " PRACTITIONERS,

  /* The clinic's admin: settings and rules, archiving (a patient's every column) and erasure
   * (deleting a patient deletes everything of theirs through the foreign keys). */
  "GRANT INSERT, UPDATE, DELETE ON settings TO striae_admin",
  "GRANT UPDATE, DELETE ON patients TO striae_admin",

  /* Row-level security, a second wall beside the trigger: nobody but the owner updates a
   * signed revision, and a practitioner deletes only drafts. The owner of the tables (who
   * runs --server-init and the migrations) is not bound by it, nor are the foreign keys'
   * cascades of an erasure. */
  "ALTER TABLE consultation_revisions ENABLE ROW LEVEL SECURITY",
  "DROP POLICY IF EXISTS striae_read ON consultation_revisions",
  "DROP POLICY IF EXISTS striae_add ON consultation_revisions",
  "DROP POLICY IF EXISTS striae_change_unsigned ON consultation_revisions",
  "DROP POLICY IF EXISTS striae_discard_draft ON consultation_revisions",
  "DROP POLICY IF EXISTS striae_erase ON consultation_revisions",
  "CREATE POLICY striae_read ON consultation_revisions FOR SELECT TO " ALL_GROUPS
  "  USING (true)",
  "CREATE POLICY striae_add ON consultation_revisions FOR INSERT TO " PRACTITIONERS
  "  WITH CHECK (true)",
  "CREATE POLICY striae_change_unsigned ON consultation_revisions FOR UPDATE TO " PRACTITIONERS
  "  USING (status IS DISTINCT FROM 'signed' AND signed_at IS NULL) WITH CHECK (true)",
  "CREATE POLICY striae_discard_draft ON consultation_revisions FOR DELETE TO "
  "  striae_practitioner USING (status = 'draft' AND signed_at IS NULL)",
  "CREATE POLICY striae_erase ON consultation_revisions FOR DELETE TO striae_admin"
  "  USING (true)",

  /* Deleting a consultation deletes its revisions through the foreign key, which row-level
   * security does not see: a practitioner deletes only a consultation whose every revision is
   * a draft. */
  "ALTER TABLE consultations ENABLE ROW LEVEL SECURITY",
  "DROP POLICY IF EXISTS striae_read ON consultations",
  "DROP POLICY IF EXISTS striae_add ON consultations",
  "DROP POLICY IF EXISTS striae_change ON consultations",
  "DROP POLICY IF EXISTS striae_discard_draft ON consultations",
  "DROP POLICY IF EXISTS striae_erase ON consultations",
  "CREATE POLICY striae_read ON consultations FOR SELECT TO " ALL_GROUPS " USING (true)",
  "CREATE POLICY striae_add ON consultations FOR INSERT TO " PRACTITIONERS
  "  WITH CHECK (true)",
  "CREATE POLICY striae_change ON consultations FOR UPDATE TO " PRACTITIONERS
  "  USING (true) WITH CHECK (true)",
  "CREATE POLICY striae_discard_draft ON consultations FOR DELETE TO striae_practitioner"
  "  USING (NOT EXISTS (SELECT FROM consultation_revisions r"
  "                     WHERE r.consultation_id = consultations.id"
  "                       AND (r.status IS DISTINCT FROM 'draft'"
  "                            OR r.signed_at IS NOT NULL)))",
  "CREATE POLICY striae_erase ON consultations FOR DELETE TO striae_admin USING (true)",
};

/* Sequences behind the tables each role inserts into: the group's USAGE lets it draw the next
 * id (identity columns need none, serial columns do). */
static const struct
{
  const char *table;
  const char *grantees;
} sequences[] = {
  { "patients", ALL_GROUPS },
  { "consultations", PRACTITIONERS },
};

const char *
striae_pg_roles_group_name (StriaeStaffRole role)
{
  g_return_val_if_fail (role < G_N_ELEMENTS (groups), NULL);

  return groups[role].name;
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGconn, PQfinish)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

/* libpq's own message, on one line, for the end of a sentence of ours. */
static char *
dup_reason (const char *message)
{
  char *reason = g_strdup (message != NULL ? message : "");

  g_strstrip (g_strdelimit (reason, "\r\n", ' '));
  return reason;
}

/* The server's notices ("policy … does not exist, skipping") are not for clinic IT to read. */
static void
ignore_notice (void       *data,
               const char *message)
{
}

static PGconn *
connect_server (const char  *uri,
                GError     **error)
{
  g_autoptr(PGconn) conn = PQconnectdb (uri);
  g_autofree char *reason = NULL;
  g_autofree char *name = NULL;

  if (conn != NULL && PQstatus (conn) == CONNECTION_OK)
    {
      PQsetNoticeProcessor (conn, ignore_notice, NULL);
      return g_steal_pointer (&conn);
    }

  /* Clinic IT reads these on the server's console: libpq's reason stays, after ours. */
  reason = dup_reason (conn != NULL ? PQerrorMessage (conn) : NULL);
  name = striae_pg_backend_describe (uri);
  if (conn != NULL && (PQconnectionNeedsPassword (conn) ||
                       strstr (reason, "authentication failed") != NULL))
    g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_ACCESS_DENIED,
                 _("The clinic server %s refused the login; check the user name and the "
                   "password (%s)."), name, reason);
  else if (strstr (reason, "certificate") != NULL || strstr (reason, "SSL") != NULL)
    g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_CERTIFICATE,
                 _("The clinic server %s could not prove who it is; check the certificate "
                   "file (sslrootcert) and that the server’s certificate names the host "
                   "in the URI (%s)."), name, reason);
  else if (strstr (reason, "pg_hba.conf") != NULL)
    g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_ACCESS_DENIED,
                 _("The clinic server %s does not let this login in from this computer; "
                   "check its pg_hba.conf and that the URI asks for TLS (%s)."),
                 name, reason);
  else if (strstr (reason, "role \"") != NULL && strstr (reason, "does not exist") != NULL)
    g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_ACCESS_DENIED,
                 _("The clinic server %s has no such login; check the user name."), name);
  else if (strstr (reason, "database \"") != NULL && strstr (reason, "does not exist") != NULL)
    g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND,
                 _("The clinic server %s has no such database; create it first (createdb "
                   "--owner), as docs/clinic-server.md shows."), name);
  else if (strstr (reason, "CONNECT privilege") != NULL)
    g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_ACCESS_DENIED,
                 _("This login may not connect to %s: it neither owns the database nor "
                   "belongs to one of Striae’s group roles."), name);
  else
    g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_UNREACHABLE,
                 _("The clinic server %s could not be reached; check its address, that it "
                   "is running and that this computer may connect to it (%s)."),
                 name, reason);
  return NULL;
}

/**
 * striae_pg_roles_needs_password:
 *
 * Returns: whether the server asks @uri's login for a password that neither @uri, the
 *   environment (PGPASSWORD) nor ~/.pgpass gives
 */
gboolean
striae_pg_roles_needs_password (const char *uri)
{
  g_autoptr(PGconn) conn = NULL;

  g_return_val_if_fail (uri != NULL, FALSE);

  conn = PQconnectdb (uri);
  return conn != NULL && PQstatus (conn) != CONNECTION_OK && PQconnectionNeedsPassword (conn);
}

/* Runs @sql: one statement with text parameters, or statements without any; %NULL with @error
 * set when the server refuses it. */
static PGresult *
run (PGconn       *conn,
     const char   *sql,
     int           n_params,
     const char  **params,
     GError      **error)
{
  g_autoptr(PGresult) result = n_params == 0
    ? PQexec (conn, sql) : PQexecParams (conn, sql, n_params, NULL, params, NULL, NULL, 0);
  ExecStatusType status = PQresultStatus (result);
  g_autofree char *reason = NULL;

  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
    return g_steal_pointer (&result);

  reason = dup_reason (result != NULL ? PQresultErrorMessage (result) : PQerrorMessage (conn));
  g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FAILED,
               _("The clinic server refused to set up Striae’s roles (%s)."), reason);
  return NULL;
}

static gboolean
exec (PGconn      *conn,
      const char  *sql,
      GError     **error)
{
  g_autoptr(PGresult) result = run (conn, sql, 0, NULL, error);

  return result != NULL;
}

static void
rollback (PGconn *conn)
{
  g_autoptr(PGresult) result = PQexec (conn, "ROLLBACK");
}

/* Who the login is: the database's owner, a superuser, allowed to create roles. */
typedef struct
{
  gboolean  owner;
  gboolean  superuser;
  gboolean  create_role;
  char     *login;
  char     *database;
  char     *owner_name;
} Login;

static void
login_clear (Login *login)
{
  g_clear_pointer (&login->login, g_free);
  g_clear_pointer (&login->database, g_free);
  g_clear_pointer (&login->owner_name, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Login, login_clear)

static gboolean
read_login (PGconn  *conn,
            Login   *login,
            GError **error)
{
  g_autoptr(PGresult) result = NULL;

  result = run (conn,
                "SELECT r.rolsuper, d.datdba = r.oid, r.rolcreaterole, current_user,"
                "       current_database (), pg_catalog.pg_get_userbyid (d.datdba)"
                "  FROM pg_catalog.pg_database d, pg_catalog.pg_roles r"
                "  WHERE d.datname = current_database () AND r.rolname = current_user",
                0, NULL, error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) != 1)
    {
      g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FAILED,
                           _("The clinic server did not say who owns the database."));
      return FALSE;
    }

  login->superuser = strcmp (PQgetvalue (result, 0, 0), "t") == 0;
  login->owner = strcmp (PQgetvalue (result, 0, 1), "t") == 0;
  login->create_role = strcmp (PQgetvalue (result, 0, 2), "t") == 0;
  login->login = g_strdup (PQgetvalue (result, 0, 3));
  login->database = g_strdup (PQgetvalue (result, 0, 4));
  login->owner_name = g_strdup (PQgetvalue (result, 0, 5));
  return TRUE;
}

/* The schema's version as the backend keeps it (striae-pg-schema.c), 0 for none. */
static gboolean
read_schema_version (PGconn  *conn,
                     int     *version,
                     GError **error)
{
  g_autoptr(PGresult) exists = NULL;
  g_autoptr(PGresult) result = NULL;

  *version = 0;
  if ((exists = run (conn, "SELECT to_regclass ('striae_schema') IS NOT NULL", 0, NULL,
                     error)) == NULL)
    return FALSE;
  if (strcmp (PQgetvalue (exists, 0, 0), "t") != 0)
    return TRUE;

  if ((result = run (conn, "SELECT coalesce (max (version), 0) FROM striae_schema", 0, NULL,
                     error)) == NULL)
    return FALSE;
  *version = (int) g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);
  return TRUE;
}

/**
 * striae_pg_roles_check_owner:
 * @schema_version: (out): the version of the records' schema found, 0 for none
 *
 * Checks that the login of @uri owns its database, as setting up the schema and the grants
 * needs, before anything is written.
 */
gboolean
striae_pg_roles_check_owner (const char  *uri,
                             int         *schema_version,
                             GError     **error)
{
  g_autoptr(PGconn) conn = NULL;
  g_auto(Login) login = { 0 };

  g_return_val_if_fail (uri != NULL, FALSE);
  g_return_val_if_fail (schema_version != NULL, FALSE);

  if ((conn = connect_server (uri, error)) == NULL || !read_login (conn, &login, error) ||
      !read_schema_version (conn, schema_version, error))
    return FALSE;

  /* Not even a superuser: the tables would become theirs, and the owner, who keeps the
   * records for the clinic (and backs them up, restores them, adds logins), could not grant
   * on them. */
  if (!login.owner)
    {
      /* TRANSLATORS: %s are the login used, the database and the login that owns it */
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_ACCESS_DENIED,
                   _("The login %s does not own the database %s; run --server-init with the "
                     "owner’s login (%s). Nothing was changed."),
                   login.login, login.database, login.owner_name);
      return FALSE;
    }

  return TRUE;
}

static gboolean
role_exists (PGconn      *conn,
             const char  *name,
             gboolean    *exists,
             GError     **error)
{
  g_autoptr(PGresult) result = NULL;

  result = run (conn, "SELECT FROM pg_catalog.pg_roles WHERE rolname = $1", 1, &name, error);
  if (result == NULL)
    return FALSE;

  *exists = PQntuples (result) > 0;
  return TRUE;
}

static gboolean
create_group (PGconn       *conn,
              const Group  *group,
              const Login  *login,
              gboolean     *created,
              GError      **error)
{
  g_autofree char *sql = NULL;
  char *description;
  gboolean exists = FALSE;

  *created = FALSE;
  if (!role_exists (conn, group->name, &exists, error))
    return FALSE;
  if (exists)
    return TRUE;

  if (!login->superuser && !login->create_role)
    {
      /* TRANSLATORS: %s are the login, then a role's name, then the login again */
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_ACCESS_DENIED,
                   _("The login %s may not create the role %s; as the server’s superuser, "
                     "run ALTER ROLE %s CREATEROLE, then --server-init again. Nothing was "
                     "changed."), login->login, group->name, login->login);
      return FALSE;
    }

  description = PQescapeLiteral (conn, group->description, strlen (group->description));
  sql = g_strdup_printf ("CREATE ROLE %s NOLOGIN; COMMENT ON ROLE %s IS %s",
                         group->name, group->name, description);
  PQfreemem (description);
  if (!exec (conn, sql, error))
    return FALSE;

  *created = TRUE;
  return TRUE;
}

/* CONNECT on the database: only the groups (and the owner) connect. */
static gboolean
grant_database (PGconn       *conn,
                const Login  *login,
                GError      **error)
{
  g_autofree char *sql = NULL;
  char *database;

  database = PQescapeIdentifier (conn, login->database, strlen (login->database));
  sql = g_strdup_printf ("REVOKE ALL ON DATABASE %s FROM PUBLIC;"
                         "GRANT CONNECT ON DATABASE %s TO " ALL_GROUPS,
                         database, database);
  PQfreemem (database);
  return exec (conn, sql, error);
}

static gboolean
grant_sequences (PGconn  *conn,
                 GError **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (sequences); i++)
    {
      g_autoptr(PGresult) result = NULL;
      g_autofree char *sql = NULL;
      const char *table = sequences[i].table;

      result = run (conn, "SELECT pg_catalog.pg_get_serial_sequence ($1, 'id')", 1, &table,
                    error);
      if (result == NULL)
        return FALSE;
      if (PQgetisnull (result, 0, 0))
        continue;

      /* pg_get_serial_sequence() returns the name quoted as SQL needs it. */
      sql = g_strdup_printf ("GRANT USAGE ON SEQUENCE %s TO %s", PQgetvalue (result, 0, 0),
                             sequences[i].grantees);
      if (!exec (conn, sql, error))
        return FALSE;
    }

  return TRUE;
}

/**
 * striae_pg_roles_setup:
 * @created: (out) (transfer full): the names of the group roles made now (those that existed
 *   already are left out)
 *
 * Makes the three group roles that do not exist yet and gives each exactly its privileges on
 * the records' tables, in one transaction: all of it or nothing. Run it again and the roles are
 * kept and their privileges set again.
 */
gboolean
striae_pg_roles_setup (const char  *uri,
                       GStrv       *created,
                       GError     **error)
{
  g_autoptr(GStrvBuilder) made = g_strv_builder_new ();
  g_autoptr(PGconn) conn = NULL;
  g_auto(Login) login = { 0 };

  g_return_val_if_fail (uri != NULL, FALSE);
  g_return_val_if_fail (created != NULL, FALSE);

  if ((conn = connect_server (uri, error)) == NULL || !read_login (conn, &login, error) ||
      !exec (conn, "BEGIN", error))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (groups); i++)
    {
      gboolean made_now = FALSE;

      if (!create_group (conn, &groups[i], &login, &made_now, error))
        goto fail;
      if (made_now)
        g_strv_builder_add (made, groups[i].name);
    }

  if (!grant_database (conn, &login, error))
    goto fail;
  for (guint i = 0; i < G_N_ELEMENTS (grants); i++)
    if (!exec (conn, grants[i], error))
      goto fail;
  if (!grant_sequences (conn, error) || !exec (conn, "COMMIT", error))
    goto fail;

  *created = g_strv_builder_end (made);
  return TRUE;

fail:
  rollback (conn);
  return FALSE;
}

/* A login's name: what `psql -U` takes without quoting, and not one of the server's own
 * (pg_…) or of Striae's groups. */
static gboolean
is_login_name (const char *name)
{
  gsize length = strlen (name);

  if (length == 0 || length > 63 || !g_ascii_islower (name[0]) ||
      g_str_has_prefix (name, "pg_") || g_str_has_prefix (name, "striae_"))
    return FALSE;

  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '_')
      return FALSE;

  return TRUE;
}

/**
 * striae_pg_roles_add_login:
 * @name: the new login, lower-case letters, digits and '_'
 * @display_name: (nullable): the name it signs with, kept as the login's comment (%NULL or
 *   "": its name)
 * @password: its password; only its SCRAM-SHA-256 verifier is sent to the server
 *
 * Makes a staff login that is a member of @role's group, with nothing of its own.
 */
gboolean
striae_pg_roles_add_login (const char       *uri,
                           const char       *name,
                           const char       *display_name,
                           StriaeStaffRole   role,
                           const char       *password,
                           GError          **error)
{
  const Group *group;
  g_autoptr(PGconn) conn = NULL;
  g_autoptr(PGresult) result = NULL;
  g_auto(Login) login = { 0 };
  g_autofree char *sql = NULL;
  g_autofree char *reason = NULL;
  char *verifier = NULL;
  char *literal = NULL;
  gboolean exists = FALSE;

  g_return_val_if_fail (uri != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (role < G_N_ELEMENTS (groups), FALSE);
  g_return_val_if_fail (password != NULL, FALSE);

  group = &groups[role];
  if (!is_login_name (name))
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
                   _("“%s” cannot be a login: use up to 63 lower-case letters, digits and _, "
                     "starting with a letter, and not pg_ or striae_ at the start."), name);
      return FALSE;
    }
  if (strlen (password) < 8)
    {
      g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
                           _("The password is too short: use at least 8 characters. No login "
                             "was made."));
      return FALSE;
    }

  if ((conn = connect_server (uri, error)) == NULL || !read_login (conn, &login, error) ||
      !role_exists (conn, group->name, &exists, error))
    return FALSE;
  if (!login.superuser && !login.create_role)
    {
      /* TRANSLATORS: %s are the login, twice */
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_ACCESS_DENIED,
                   _("The login %s may not make logins; as the server’s superuser, run ALTER "
                     "ROLE %s CREATEROLE first. No login was made."), login.login, login.login);
      return FALSE;
    }
  if (!exists)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND,
                   _("The server has no role %s yet; run --server-init first. No login was "
                     "made."), group->name);
      return FALSE;
    }
  if (!role_exists (conn, name, &exists, error))
    return FALSE;
  if (exists)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
                   _("The server has a login %s already; choose another name, or change its "
                     "password with psql’s \\password. Nothing was changed."), name);
      return FALSE;
    }

  /* The password itself never travels: the verifier is computed here, with the server's
   * own salt and iteration count. */
  verifier = PQencryptPasswordConn (conn, password, name, "scram-sha-256");
  if (verifier == NULL)
    {
      reason = dup_reason (PQerrorMessage (conn));
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FAILED,
                   _("The password could not be prepared for the server (%s). No login was "
                     "made."), reason);
      return FALSE;
    }
  literal = PQescapeLiteral (conn, verifier, strlen (verifier));
  PQfreemem (verifier);

  /* The name was checked above to need no quoting. The display name goes in with it, as its
   * comment: both statements in one implicit transaction. */
  if (display_name != NULL && display_name[0] != '\0')
    {
      char *comment = PQescapeLiteral (conn, display_name, strlen (display_name));

      sql = g_strdup_printf ("CREATE ROLE %s LOGIN PASSWORD %s IN ROLE %s; "
                             "COMMENT ON ROLE %s IS %s",
                             name, literal, group->name, name, comment);
      PQfreemem (comment);
    }
  else
    sql = g_strdup_printf ("CREATE ROLE %s LOGIN PASSWORD %s IN ROLE %s",
                           name, literal, group->name);
  PQfreemem (literal);
  result = PQexec (conn, sql);
  if (PQresultStatus (result) != PGRES_COMMAND_OK)
    {
      reason = dup_reason (PQresultErrorMessage (result));
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_FAILED,
                   _("The clinic server refused to make the login %s (%s). No login was "
                     "made."), name, reason);
      return FALSE;
    }

  return TRUE;
}
