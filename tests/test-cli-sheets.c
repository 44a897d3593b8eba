/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE
#include <glib/gstdio.h>
#include <poppler.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/wait.h>

#include "striae-clinic-cache.h"
#include "striae-print-job.h"
#include "striae-resources.h"
#include "striae-sheet-preview.h"
#include "striae-store.h"
#include "striae-test-app.h"
#include "striae-test-date.h"
#include "striae-test-files.h"

/* `striae --sheet` as the front desk types it: the built binary (STRIAE_APP_BINARY) against
 * a temporary database filled through the store. The real print uses the printer named by
 * STRIAE_TEST_PRINTER (tests/test-print.sh sets one up) and exists only with it. */

/* The front desk prints with an assistant's account (issue 16); exports and backups are an
 * administrator's. */
#define DESK_ACCOUNT   "desk"
#define DESK_PASSWORD  "front desk password"
#define ADMIN_ACCOUNT  "boss"
#define ADMIN_PASSWORD "administrator password"

#define SESSION_DAY "2026-12-01"
#define CLINIC_PHONE "+33 1 23 45 67 89"

typedef struct
{
  char        *dir;
  char        *database;
  StriaeStore *store;
  gint64       zoe;       /* signed, German, sessions 2026-12-01, 2027-01-12, 2027-02-23 */
  gint64       ana;       /* complete, English, sessions 2026-11-17, 2026-12-01, 2026-12-15 */
  gint64       carl;      /* signed, first session 2026-12-02: none on the day */
  gint64       dora;      /* a draft with a session on the day: left out */
  gint64       blocked;   /* complete, a session on the day, but a pacemaker: refused */
} Fixture;

static gint64
add_patient (StriaeStore *store,
             const char  *given,
             const char  *family,
             const char  *language)
{
  g_autoptr(StriaePatient) patient = striae_patient_new ();
  g_autoptr(GError) error = NULL;

  striae_patient_set_given_name (patient, given);
  striae_patient_set_family_name (patient, family);
  striae_patient_set_birth_date (patient, striae_test_date ("1990-05-12"));
  striae_patient_set_language (patient, language);
  g_assert_true (striae_store_add_patient (store, patient, &error));
  g_assert_no_error (error);
  return striae_patient_get_id (patient);
}

/* A finished consultation (every answer given) with a plan of @sessions sessions every
 * @weeks weeks from @first; signed when @status says so. */
static gint64
add_consultation (StriaeStore              *store,
                  gint64                    patient,
                  const char               *first,
                  guint                     sessions,
                  guint                     weeks,
                  StriaeConsultationStatus  status,
                  gboolean                  pacemaker)
{
  g_autoptr(StriaeConsultation) c = striae_consultation_new ();
  g_autoptr(StriaeArea) area = striae_area_new (STRIAE_BODY_SITE_THIGHS);
  g_autoptr(GError) error = NULL;
  StriaePlan *plan = striae_consultation_get_plan (c);

  striae_consultation_set_patient_id (c, patient);
  striae_consultation_set_date (c, striae_test_date ("2026-11-02"));
  striae_consultation_set_practitioner (c, "Dr Roux");
  for (guint q = 0; q < STRIAE_N_QUESTIONS; q++)
    striae_history_set_answer (striae_consultation_get_history (c), q, STRIAE_ANSWER_NO);
  if (pacemaker)
    striae_history_set_answer (striae_consultation_get_history (c), STRIAE_QUESTION_PACEMAKER,
                               STRIAE_ANSWER_YES);
  for (guint f = 0; f < STRIAE_N_SKIN_FACTS; f++)
    striae_skin_set_fact (striae_consultation_get_skin (c), f, STRIAE_ANSWER_NO);
  striae_skin_set_fitzpatrick (striae_consultation_get_skin (c), 3);
  striae_area_set_severity (area, STRIAE_SEVERITY_SEVERE);
  striae_area_set_mark_type (area, STRIAE_MARK_TYPE_ALBAE);
  striae_consultation_add_area (c, area);
  striae_plan_set_device (plan, STRIAE_DEVICE_RF);
  striae_plan_set_sessions (plan, sessions);
  striae_plan_set_interval_weeks (plan, weeks);
  striae_plan_set_first_session (plan, striae_test_date (first));

  if (status != STRIAE_CONSULTATION_STATUS_DRAFT)
    striae_consultation_set_status (c, STRIAE_CONSULTATION_STATUS_COMPLETE);
  g_assert_true (striae_store_save_consultation (store, c, "Dr Roux", &error));
  g_assert_no_error (error);
  if (status == STRIAE_CONSULTATION_STATUS_SIGNED)
    {
      g_assert_true (striae_store_sign_consultation (store, striae_consultation_get_id (c),
                                                     "Dr Roux", &error));
      g_assert_no_error (error);
    }

  return striae_consultation_get_id (c);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 patient;

  fixture->dir = g_dir_make_tmp ("striae-cli-sheets-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->database = g_build_filename (fixture->dir, "striae.db", NULL);
  fixture->store = striae_store_open (fixture->database, &error);
  g_assert_no_error (error);

  /* The child reads the clinic's settings from a key file of its own: every sheet tells the
   * patient the clinic's number. */
  {
    g_autofree char *folder = g_build_filename (fixture->dir, "config", "glib-2.0", "settings",
                                                NULL);
    g_autofree char *keyfile = g_build_filename (folder, "keyfile", NULL);

    g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
    g_assert_true (g_file_set_contents (keyfile, "[io/github/striae/Striae]\n"
                                        "clinic-phone='" CLINIC_PHONE "'\n", -1, &error));
    g_assert_no_error (error);
  }

  patient = add_patient (fixture->store, "Zoë", "Dubois-Émond Łukasiewicz", "de");
  fixture->zoe = add_consultation (fixture->store, patient, SESSION_DAY, 3, 6,
                                   STRIAE_CONSULTATION_STATUS_SIGNED, FALSE);
  patient = add_patient (fixture->store, "Ana", "Ólafsdóttir", "en");
  fixture->ana = add_consultation (fixture->store, patient, "2026-11-17", 3, 2,
                                   STRIAE_CONSULTATION_STATUS_SIGNED, FALSE);
  patient = add_patient (fixture->store, "Carl", "Meyer", "en");
  fixture->carl = add_consultation (fixture->store, patient, "2026-12-02", 3, 6,
                                    STRIAE_CONSULTATION_STATUS_SIGNED, FALSE);
  patient = add_patient (fixture->store, "Dora", "Draft", "en");
  fixture->dora = add_consultation (fixture->store, patient, SESSION_DAY, 3, 6,
                                    STRIAE_CONSULTATION_STATUS_DRAFT, FALSE);
  patient = add_patient (fixture->store, "Bert", "Blocked", "en");
  fixture->blocked = add_consultation (fixture->store, patient, SESSION_DAY, 3, 6,
                                       STRIAE_CONSULTATION_STATUS_COMPLETE, TRUE);

  /* The records have accounts: an administrator (this store, signed in) and the desk. */
  g_assert_true (striae_store_create_first_admin (fixture->store, ADMIN_ACCOUNT, NULL,
                                                  ADMIN_PASSWORD, &error));
  g_assert_no_error (error);
  g_assert_true (striae_store_add_account (fixture->store, DESK_ACCOUNT, NULL,
                                           STRIAE_STAFF_ROLE_ASSISTANT, DESK_PASSWORD,
                                           &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->store != NULL)
    g_assert_finalize_object (fixture->store);
  striae_test_remove_tree (fixture->dir);
  g_free (fixture->database);
  g_free (fixture->dir);
}

/* Runs striae with @args after --database, a sheet as the desk's assistant account and
 * anything else as the administrator (the password on standard input); returns its exit
 * status. With @quiet_print the child does not make
 * warnings fatal: the print stack warns about colord and avahi. */
static int
run_striae (Fixture             *fixture,
            const char * const  *args,
            gboolean             quiet_print,
            char               **out,
            char               **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) env = g_get_environ ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *printed = NULL;
  g_autofree char *complaints = NULL;
  const char *binary = g_getenv ("STRIAE_APP_BINARY");
  const char *password = ADMIN_PASSWORD "\n";
  const char *account = ADMIN_ACCOUNT;

  for (guint i = 0; args[i] != NULL; i++)
    if (g_str_equal (args[i], "--sheet"))
      {
        account = DESK_ACCOUNT;
        password = DESK_PASSWORD "\n";
      }

  g_assert_nonnull (binary);
  g_ptr_array_add (argv, (char *) binary);
  g_ptr_array_add (argv, (char *) "--database");
  g_ptr_array_add (argv, fixture->database);
  g_ptr_array_add (argv, (char *) "--user");
  g_ptr_array_add (argv, (char *) account);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  if (quiet_print)
    env = g_environ_unsetenv (env, "G_DEBUG");
  {
    g_autofree char *config = g_build_filename (fixture->dir, "config", NULL);

    env = g_environ_setenv (env, "GSETTINGS_BACKEND", "keyfile", TRUE);
    env = g_environ_setenv (env, "XDG_CONFIG_HOME", config, TRUE);
  }

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_environ (launcher, env);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, password, NULL, &printed, &complaints, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  if (out != NULL)
    *out = g_steal_pointer (&printed);
  if (err != NULL)
    *err = g_steal_pointer (&complaints);
  return g_subprocess_get_exit_status (process);
}

/* The day's stack as the desk, with @password on standard input; returns the exit
 * status. */
static int
run_stack_as_desk (Fixture     *fixture,
                   const char  *folder,
                   const char  *password,
                   char       **out,
                   char       **err)
{
  g_autofree char *config = g_build_filename (fixture->dir, "config", NULL);
  g_autofree char *cache = g_build_filename (fixture->dir, "cache", NULL);
  g_auto(GStrv) env = g_get_environ ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { g_getenv ("STRIAE_APP_BINARY"), "--database", fixture->database,
                         "--user", DESK_ACCOUNT, "--sheet", "aftercare", "--sessions-on",
                         SESSION_DAY, "--output", folder, NULL };

  g_assert_nonnull (argv[0]);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  env = g_environ_setenv (env, "GSETTINGS_BACKEND", "keyfile", TRUE);
  env = g_environ_setenv (env, "XDG_CONFIG_HOME", config, TRUE);
  env = g_environ_setenv (env, "XDG_CACHE_HOME", cache, TRUE);
  g_subprocess_launcher_set_environ (launcher, env);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, password, NULL, out, err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

static char *
pdf_text (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);
  PopplerDocument *document = poppler_document_new_from_file (uri, NULL, &error);
  g_autoptr(GString) text = g_string_new (NULL);

  g_assert_no_error (error);
  for (int i = 0; i < poppler_document_get_n_pages (document); i++)
    {
      PopplerPage *page = poppler_document_get_page (document, i);
      g_autofree char *page_text = poppler_page_get_text (page);

      g_string_append (text, page_text);
      g_object_unref (page);
    }
  g_object_unref (document);

  /* Ligatures come back as one character; NFKC splits them. */
  return g_utf8_normalize (text->str, -1, G_NORMALIZE_NFKC);
}

static void
test_export (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, fixture->zoe);
  g_autofree char *path = g_build_filename (fixture->dir, "sheet é.pdf", NULL);
  g_autofree char *english = g_build_filename (fixture->dir, "sheet-en.pdf", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *text = NULL;
  g_autofree char *expected = NULL;
  gint64 start;

  start = g_get_monotonic_time ();
  g_assert_cmpint (run_striae (fixture, (const char *[]) { "--sheet", "aftercare",
                                                           "--consultation", id,
                                                           "--output", path, NULL },
                               FALSE, &out, &err), ==, 0);
  g_test_message ("striae --sheet aftercare --output: %.0f ms",
                  (g_get_monotonic_time () - start) / 1000.0);
  g_assert_cmpstr (err, ==, "");
  expected = g_strconcat (path, "\n", NULL);
  g_assert_cmpstr (out, ==, expected);

  /* The patient's language (German) by default. */
  text = pdf_text (path);
  g_assert_nonnull (strstr (text, "Zoë Dubois-Émond Łukasiewicz"));
  g_assert_nonnull (strstr (text, "Hautpflege nach Ihrer Behandlung"));
  g_clear_pointer (&text, g_free);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_striae (fixture, (const char *[]) { "--sheet", "aftercare",
                                                           "--consultation", id,
                                                           "--language", "en",
                                                           "--output", english, NULL },
                               FALSE, &out, &err), ==, 0);
  text = pdf_text (english);
  g_assert_nonnull (strstr (text, "Zoë Dubois-Émond Łukasiewicz"));
  g_assert_nonnull (strstr (text, "Caring for your skin after treatment"));
  g_assert_null (strstr (text, "Hautpflege"));
}

/* The records keep the clinic (issue 16): the first sheet took this PC's settings into the
 * file, and a later change of this PC's settings (anyone at the PC can make one with
 * gsettings, an assistant too) no longer changes what a sheet prints. */
static void
test_clinic_from_records (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, fixture->zoe);
  g_autofree char *path = g_build_filename (fixture->dir, "first.pdf", NULL);
  g_autofree char *again = g_build_filename (fixture->dir, "again.pdf", NULL);
  g_autofree char *keyfile = g_build_filename (fixture->dir, "config", "glib-2.0", "settings",
                                               "keyfile", NULL);
  g_autoptr(StriaeClinic) clinic = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_assert_cmpint (run_striae (fixture, (const char *[]) { "--sheet", "aftercare",
                                                           "--consultation", id,
                                                           "--output", path, NULL },
                               FALSE, NULL, NULL), ==, 0);
  text = pdf_text (path);
  g_assert_nonnull (strstr (text, CLINIC_PHONE));
  g_clear_pointer (&text, g_free);
  clinic = striae_store_load_clinic (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (striae_clinic_get_phone (clinic), ==, CLINIC_PHONE);

  g_assert_true (g_file_set_contents (keyfile, "[io/github/striae/Striae]\n"
                                      "clinic-phone='+33 9 99 99 99 99'\n", -1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (run_striae (fixture, (const char *[]) { "--sheet", "aftercare",
                                                           "--consultation", id,
                                                           "--output", again, NULL },
                               FALSE, NULL, NULL), ==, 0);
  text = pdf_text (again);
  g_assert_nonnull (strstr (text, CLINIC_PHONE));
  g_assert_null (strstr (text, "+33 9 99 99 99 99"));
}

typedef struct
{
  const char *args[10];
  const char *message;   /* a part of the one line on stderr */
  gboolean    printer;   /* talks to the print system */
} ErrorCase;

static void
test_errors (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *blocked = g_strdup_printf ("%" G_GINT64_FORMAT, fixture->blocked);
  g_autofree char *zoe = g_strdup_printf ("%" G_GINT64_FORMAT, fixture->zoe);
  g_autofree char *pdf = g_build_filename (fixture->dir, "x.pdf", NULL);
  const ErrorCase cases[] = {
    { { "--sheet", "aftercare", "--consultation", "999", "--output", pdf },
      "no consultation number 999" },
    { { "--sheet", "aftercare", "--consultation", blocked, "--output", pdf },
      "Do not treat now" },
    { { "--sheet", "aftercare", "--consultation", zoe, "--printer", "No Such Printer 7" },
      "No Such Printer 7", TRUE },
    { { "--sheet", "aftercare", "--consultation", zoe, "--output",
        "/nonexistent-folder/sheet.pdf" }, "/nonexistent-folder/sheet.pdf" },
    { { "--sheet", "aftercare", "--sessions-on", "2026-13-01", "--output", fixture->dir },
      "“2026-13-01” is not a date" },
    { { "--sheet", "aftercare", "--sessions-on", "1.12.2026", "--output", fixture->dir },
      "is not a date" },
    { { "--sheet", "aftercare", "--output", pdf }, "--consultation ID or --sessions-on" },
    { { "--sheet", "aftercare", "--consultation", zoe, "--sessions-on", SESSION_DAY,
        "--output", pdf }, "--consultation ID or --sessions-on" },
    { { "--sheet", "aftercare", "--consultation", zoe, "--output", pdf, "--printer", "P" },
      "not both" },
    { { "--sheet", "aftercare", "--consultation", zoe }, "--output PATH or --printer" },
    { { "--consultation", zoe, "--output", pdf }, "--consultation works together with --sheet" },
    { { "--sheet", "postcare", "--consultation", zoe, "--output", pdf }, "not a sheet" },
    { { "--sheet", "aftercare", "--consultation", zoe, "--language", "xx", "--output", pdf },
      "xx" },
    { { "--sheet", "aftercare", "--sessions-on", SESSION_DAY, "--output", fixture->database },
      "is a file" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      g_autofree char *line = NULL;
      int status;

      status = run_striae (fixture, cases[i].args, cases[i].printer, &out, &err);
      line = g_strchomp (g_strdelimit (g_strdup (err), "\n", ' '));
      g_test_message ("case %u: %s", i, line);
      g_assert_cmpint (status, ==, 1);
      g_assert_cmpstr (out, ==, "");
      g_assert_true (g_str_has_prefix (err, "striae: "));
      g_assert_nonnull (strstr (err, cases[i].message));
      /* One sentence, one line. */
      g_assert_true (g_str_has_suffix (err, "\n"));
      g_assert_true (strchr (err, '\n') == err + strlen (err) - 1);
    }
  g_assert_false (g_file_test (pdf, G_FILE_TEST_EXISTS));

  {
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    g_autofree char *missing = g_build_filename (fixture->dir, "missing.db", NULL);
    const char *argv[] = { g_getenv ("STRIAE_APP_BINARY"), "--database", missing, "--sheet",
                           "aftercare", "--consultation", "1", "--output", pdf, NULL };
    int status;

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status,
                  NULL);
    g_assert_cmpint (WEXITSTATUS (status), ==, 1);
    g_assert_nonnull (strstr (err, "There is no patient database"));
    g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  }
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static GStrv
list_folder (const char *path)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_dir_close (dir);
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

static void
test_sessions_on (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *folder = g_build_filename (fixture->dir, "stack", "today", NULL);
  g_autofree char *zoe_pdf = g_build_filename (folder,
                                               SESSION_DAY "-Dubois-Émond-Łukasiewicz-Zoë-"
                                               "aftercare.pdf", NULL);
  g_autofree char *ana_pdf = g_build_filename (folder, SESSION_DAY "-Ólafsdóttir-Ana-"
                                               "aftercare.pdf", NULL);
  g_autofree char *expected_out = g_strconcat (zoe_pdf, "\n", ana_pdf, "\n", NULL);
  g_autofree char *expected_note = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) files = NULL;
  GStatBuf st;

  g_assert_cmpint (run_striae (fixture, (const char *[]) { "--sheet", "aftercare",
                                                           "--sessions-on", SESSION_DAY,
                                                           "--output", folder, NULL },
                               FALSE, &out, &err), ==, 0);

  /* By family name: Dubois-Émond before Ólafsdóttir (SQLite compares bytes). Blocked's
   * consultation is complete, not signed: it has no schedule, so no session that day. */
  g_assert_cmpstr (out, ==, expected_out);
  g_assert_cmpstr (err, ==, "");

  files = list_folder (folder);
  g_assert_cmpuint (g_strv_length (files), ==, 2);
  g_assert_cmpstr (files[0], ==, SESSION_DAY "-Dubois-Émond-Łukasiewicz-Zoë-aftercare.pdf");
  g_assert_cmpstr (files[1], ==, SESSION_DAY "-Ólafsdóttir-Ana-aftercare.pdf");
  g_assert_cmpint (g_stat (folder, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);

  /* Each in its patient's language, dated the session day. */
  text = pdf_text (zoe_pdf);
  g_assert_nonnull (strstr (text, "Zoë Dubois-Émond Łukasiewicz"));
  g_assert_nonnull (strstr (text, "Hautpflege"));
  g_clear_pointer (&text, g_free);
  text = pdf_text (ana_pdf);
  g_assert_nonnull (strstr (text, "Ana Ólafsdóttir"));
  g_assert_nonnull (strstr (text, "Caring for your skin"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A day without sessions writes nothing and says so. */
  g_assert_cmpint (run_striae (fixture, (const char *[]) { "--sheet", "aftercare",
                                                           "--sessions-on", "2026-12-03",
                                                           "--output", folder, NULL },
                               FALSE, &out, &err), ==, 0);
  g_assert_cmpstr (out, ==, "");
  g_assert_nonnull (strstr (err, "no session takes place on 2026-12-03"));
  g_strfreev (files);
  files = list_folder (folder);
  g_assert_cmpuint (g_strv_length (files), ==, 2);
}

static char *audit_sheet_rows (Fixture *fixture);

static gint64
count_failed_sign_ins (Fixture *fixture)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 count;

  g_assert_cmpint (sqlite3_open_v2 (fixture->database, &db, SQLITE_OPEN_READONLY, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count (*) FROM audit"
                                           "  WHERE action = 'sign-in-failed'",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  count = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return count;
}

/* The day's stack is read and composed while the password is checked (issue 15); with a
 * wrong password all of it is dropped: no folder, no PDF, no export in the audit log and
 * nothing said but the sign-in's error, as when the password was checked first. */
static void
test_sessions_on_while_signing_in (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autofree char *folder = g_build_filename (fixture->dir, "stack", NULL);
  g_autofree char *rows = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *failed = NULL;
  g_auto(GStrv) lines = NULL;
  gint64 failures;

  failures = count_failed_sign_ins (fixture);
  g_assert_cmpint (run_stack_as_desk (fixture, folder, "not the password\n", &out, &err), ==,
                   1);
  /* Nothing on standard output, and one line on standard error: the sign-in's error. */
  g_assert_cmpstr (out, ==, "");
  lines = g_strsplit (err, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '\0')
      {
        g_assert_null (failed);
        failed = g_strdup (lines[i]);
      }
  g_assert_nonnull (failed);
  g_assert_true (g_str_has_prefix (failed, "striae: "));
  g_assert_nonnull (strstr (failed, "password"));
  g_assert_false (g_file_test (folder, G_FILE_TEST_EXISTS));
  rows = audit_sheet_rows (fixture);
  g_assert_cmpstr (rows, ==, "");
  /* The wrong password itself is audited, as always. */
  g_assert_cmpint (count_failed_sign_ins (fixture), ==, failures + 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* The right one: the stack composed meanwhile goes out, as without the overlap. */
  g_assert_cmpint (run_stack_as_desk (fixture, folder, DESK_PASSWORD "\n", &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "-Dubois-Émond-Łukasiewicz-Zoë-aftercare.pdf\n"));
  g_assert_nonnull (strstr (out, "-Ólafsdóttir-Ana-aftercare.pdf\n"));
  g_clear_pointer (&rows, g_free);
  rows = audit_sheet_rows (fixture);
  g_assert_cmpuint (strlen (rows), >, 0);
  g_assert_nonnull (strstr (rows, "sheet aftercare; language de; PDF"));
  g_assert_nonnull (strstr (rows, "sheet aftercare; language en; PDF"));
}

static cairo_status_t
append_png_cb (void                *closure,
               const unsigned char *data,
               unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* The records' clinic with a small logo, or none. */
static void
save_clinic_logo (Fixture  *fixture,
                  gboolean  with_logo)
{
  g_autoptr(StriaeClinic) clinic = NULL;
  g_autoptr(GBytes) logo = NULL;
  g_autoptr(GError) error = NULL;

  clinic = striae_store_load_clinic (fixture->store, &error);
  g_assert_no_error (error);
  if (with_logo)
    {
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 4, 4);
      GByteArray *png = g_byte_array_new ();

      g_assert_cmpint (cairo_surface_write_to_png_stream (surface, append_png_cb, png), ==,
                       CAIRO_STATUS_SUCCESS);
      cairo_surface_destroy (surface);
      logo = g_byte_array_free_to_bytes (png);
    }
  striae_clinic_set_logo (clinic, logo);
  g_assert_true (striae_store_save_clinic (fixture->store, clinic, NULL, &error));
  g_assert_no_error (error);
}

/* Names of what @path holds, its folders' content included, one a line; "" when absent. */
static void
append_tree (GString    *list,
             const char *path,
             const char *name)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *entry;

  if (name != NULL)
    g_string_append_printf (list, "%s\n", name);
  while (dir != NULL && (entry = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (entry));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *child = g_build_filename (path, g_ptr_array_index (names, i), NULL);
      g_autofree char *child_name = g_build_filename (name != NULL ? name : "",
                                                      g_ptr_array_index (names, i), NULL);

      append_tree (list, child, child_name);
    }
}

static char *
list_tree (const char *path)
{
  GString *list = g_string_new (NULL);

  append_tree (list, path, NULL);
  return g_string_free (list, FALSE);
}

/* Nothing at all is written before the sign-in (issue 15): the stack read ahead while the
 * password is checked neither writes nor removes this PC's copy of the clinic's logo; the
 * sign-in that succeeds brings it up to date. */
static void
test_sessions_on_cache_untouched (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autofree char *folder = g_build_filename (fixture->dir, "stack", NULL);
  g_autofree char *cache = g_build_filename (fixture->dir, "cache", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  /* A logo in the records, none in this PC's cache: a wrong password writes none. */
  save_clinic_logo (fixture, TRUE);
  g_assert_cmpint (run_stack_as_desk (fixture, folder, "not the password\n", &out, &err), ==,
                   1);
  g_assert_false (g_file_test (cache, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (folder, G_FILE_TEST_EXISTS));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* The right one writes the copy, and the sheets go out. */
  g_assert_cmpint (run_stack_as_desk (fixture, folder, DESK_PASSWORD "\n", &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "-Ólafsdóttir-Ana-aftercare.pdf\n"));
  before = list_tree (cache);
  g_assert_nonnull (strstr (before, "/logo.png\n"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* The logo taken out of the records: a wrong password leaves the copy as it is. */
  save_clinic_logo (fixture, FALSE);
  g_assert_cmpint (run_stack_as_desk (fixture, folder, "not the password\n", &out, &err), ==,
                   1);
  after = list_tree (cache);
  g_assert_cmpstr (after, ==, before);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&after, g_free);

  /* The right one removes it. */
  g_assert_cmpint (run_stack_as_desk (fixture, folder, DESK_PASSWORD "\n", &out, &err), ==, 0);
  after = list_tree (cache);
  g_assert_null (strstr (after, "/logo.png\n"));
}

/* The stack read ahead is composed in two threads (issue 15): its sheets still come out in
 * the day's order, each with its own patient, in its own language, whichever thread made
 * it. */
static void
test_sessions_on_split (Fixture       *fixture,
                        gconstpointer  data)
{
  /* By family name, as SQLite compares bytes; Zoë's and Ana's are the fixture's. */
  static const struct { const char *given, *family, *language; gboolean added; } day[] = {
    { "Eva", "Aalto", "en", TRUE }, { "Eva", "Berger", "de", TRUE },
    { "Eva", "Costa", "en", TRUE }, { "Eva", "Dahl", "de", TRUE },
    { "Zoë", "Dubois-Émond-Łukasiewicz", "de", FALSE }, { "Eva", "Engel", "en", TRUE },
    { "Eva", "Fabre", "de", TRUE }, { "Eva", "Gruber", "en", TRUE },
    { "Ana", "Ólafsdóttir", "en", FALSE },
  };
  g_autofree char *folder = g_build_filename (fixture->dir, "split", NULL);
  g_autoptr(GString) expected = g_string_new (NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (day); i++)
    {
      if (day[i].added)
        add_consultation (fixture->store,
                          add_patient (fixture->store, day[i].given, day[i].family,
                                       day[i].language),
                          SESSION_DAY, 3, 6, STRIAE_CONSULTATION_STATUS_SIGNED, FALSE);
      g_string_append_printf (expected, "%s/" SESSION_DAY "-%s-%s-aftercare.pdf\n", folder,
                              day[i].family, day[i].given);
    }

  g_assert_cmpint (run_stack_as_desk (fixture, folder, DESK_PASSWORD "\n", &out, &err), ==, 0);
  g_assert_cmpstr (out, ==, expected->str);
  g_assert_cmpstr (err, ==, "");
  for (guint i = 0; i < G_N_ELEMENTS (day); i++)
    {
      g_autofree char *name = g_strdup_printf (SESSION_DAY "-%s-%s-aftercare.pdf",
                                               day[i].family, day[i].given);
      g_autofree char *path = g_build_filename (folder, name, NULL);
      g_autofree char *text = pdf_text (path);
      g_autofree char *patient = g_strdup_printf ("%s %s", day[i].given, day[i].family);

      g_assert_nonnull (strstr (text, day[i].added ? patient : day[i].given));
      g_assert_nonnull (strstr (text, g_str_equal (day[i].language, "de")
                                      ? "Hautpflege" : "Caring for your skin"));
    }
}

/* The day's sheets follow the schedule, as the window's day's list: a session moved goes out
 * on its new day and not on the old one, a missed one not at all. */
static void
test_sessions_on_schedule (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *folder = g_build_filename (fixture->dir, "moved", NULL);
  g_autofree char *zoe_pdf = g_build_filename (folder,
                                               "2026-12-04-Dubois-Émond-Łukasiewicz-Zoë-"
                                               "aftercare.pdf", NULL);
  g_autofree char *expected_out = g_strconcat (zoe_pdf, "\n", NULL);
  g_autoptr(GPtrArray) day = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *text = NULL;

  day = striae_store_list_day (fixture->store, striae_test_date (SESSION_DAY), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (day->len, ==, 2);
  for (guint i = 0; i < day->len; i++)
    {
      const StriaeScheduledSession *s = &((StriaeDayEntry *) g_ptr_array_index (day, i))->session;

      if (s->consultation_id == fixture->zoe)
        g_assert_true (striae_store_move_scheduled_session (fixture->store, s->id,
                                                           striae_test_date ("2026-12-04"),
                                                           -1, FALSE, NULL, &error));
      else
        g_assert_true (striae_store_mark_session_missed (fixture->store, s->id, NULL, &error));
      g_assert_no_error (error);
    }

  g_assert_cmpint (run_striae (fixture, (const char *[]) { "--sheet", "aftercare",
                                                           "--sessions-on", SESSION_DAY,
                                                           "--output", folder, NULL },
                               FALSE, &out, &err), ==, 0);
  g_assert_cmpstr (out, ==, "");
  g_assert_nonnull (strstr (err, "no session takes place on " SESSION_DAY));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_striae (fixture, (const char *[]) { "--sheet", "aftercare",
                                                           "--sessions-on", "2026-12-04",
                                                           "--output", folder, NULL },
                               FALSE, &out, &err), ==, 0);
  g_assert_cmpstr (out, ==, expected_out);
  g_assert_cmpstr (err, ==, "");

  /* The aftercare of the moved session: dated its day, the next session the schedule's. */
  text = pdf_text (zoe_pdf);
  g_assert_nonnull (strstr (text, "4. Dezember 2026"));
  g_assert_nonnull (strstr (text, "Ihre nächste Sitzung ist am Dienstag, 12. Januar 2027 "
                                  "geplant."));
}

static void
test_store_sessions (Fixture       *fixture,
                     gconstpointer  data)
{
  struct {
    const char *day;
    gint64      expected[3];
  } cases[] = {
    { SESSION_DAY, { fixture->zoe, fixture->ana, fixture->blocked } },
    { "2026-11-17", { fixture->ana } },
    { "2026-12-15", { fixture->ana } },
    { "2027-01-12", { fixture->zoe, fixture->blocked } },
    { "2027-02-23", { fixture->zoe, fixture->blocked } },
    { "2027-02-24", { fixture->carl } },
    { "2027-04-06", { 0 } },       /* after everybody's last session */
    { "2026-11-30", { 0 } },
    { "2026-12-02", { fixture->carl } },
  };

  /* A patient signed as not treated has no sessions, whatever the plan said. */
  {
    g_autoptr(GError) error = NULL;
    gint64 patient = add_patient (fixture->store, "Nina", "Nottreated", "en");
    gint64 id = add_consultation (fixture->store, patient, SESSION_DAY, 3, 6,
                                  STRIAE_CONSULTATION_STATUS_COMPLETE, FALSE);

    g_assert_true (striae_store_sign_not_treated (fixture->store, id, "Dr Roux", "Declined",
                                                  NULL, &error));
    g_assert_no_error (error);
  }

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) list = NULL;
      g_autoptr(GError) error = NULL;
      GDate date;
      guint n = 0;

      while (n < G_N_ELEMENTS (cases[i].expected) && cases[i].expected[n] != 0)
        n++;
      g_date_clear (&date, 1);
      g_date_set_parse (&date, cases[i].day);
      list = striae_store_list_sessions_on (fixture->store, &date, &error);
      g_assert_no_error (error);
      g_assert_nonnull (list);
      g_assert_cmpuint (list->len, ==, n);
      for (guint j = 0; j < n; j++)
        {
          gint64 id = striae_consultation_get_id (g_ptr_array_index (list, j));
          gboolean expected = FALSE;

          for (guint k = 0; k < n; k++)
            expected |= cases[i].expected[k] == id;
          g_assert_true (expected);
        }
    }
}

/* Rows of the audit log about sheets, as "action consultation detail" lines. */
static char *
audit_sheet_rows (Fixture *fixture)
{
  g_autoptr(GString) rows = g_string_new (NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (fixture->database, &db, SQLITE_OPEN_READONLY, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT action, consultation_id, detail FROM audit"
                                           "  WHERE action IN ('print', 'export') ORDER BY id",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (rows, "%s %" G_GINT64_FORMAT " %s\n",
                            (const char *) sqlite3_column_text (stmt, 0),
                            (gint64) sqlite3_column_int64 (stmt, 1),
                            (const char *) sqlite3_column_text (stmt, 2));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return g_string_free (g_steal_pointer (&rows), FALSE);
}

static void
test_audit (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, fixture->zoe);
  g_autofree char *path = g_build_filename (fixture->dir, "a.pdf", NULL);
  g_autofree char *folder = g_build_filename (fixture->dir, "stack", NULL);
  g_autofree char *rows = NULL;
  g_autofree char *expected = NULL;
  gint64 n_entries = 0;
  gint64 bad_row = 0;
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (striae_audit_action_to_string (STRIAE_AUDIT_EXPORT), ==, "export");
  rows = audit_sheet_rows (fixture);
  g_assert_cmpstr (rows, ==, "");
  g_clear_pointer (&rows, g_free);

  g_assert_cmpint (run_striae (fixture, (const char *[]) { "--sheet", "consent",
                                                           "--consultation", id,
                                                           "--output", path, NULL },
                               FALSE, NULL, NULL), ==, 0);
  g_assert_cmpint (run_striae (fixture, (const char *[]) { "--sheet", "aftercare",
                                                           "--sessions-on", SESSION_DAY,
                                                           "--output", folder, NULL },
                               FALSE, NULL, NULL), ==, 0);
  /* A refused sheet is not logged. */
  g_assert_cmpint (run_striae (fixture, (const char *[]) { "--sheet", "aftercare",
                                                           "--consultation", "999",
                                                           "--output", path, NULL },
                               FALSE, NULL, NULL), ==, 1);

  /* No names and no paths: the audit log must not identify anyone. */
  expected = g_strdup_printf ("export %" G_GINT64_FORMAT " sheet consent; language de; PDF\n"
                              "export %" G_GINT64_FORMAT " sheet aftercare; language de; PDF\n"
                              "export %" G_GINT64_FORMAT " sheet aftercare; language en; PDF\n",
                              fixture->zoe, fixture->zoe, fixture->ana);
  rows = audit_sheet_rows (fixture);
  g_assert_cmpstr (rows, ==, expected);

  /* The rows written by the other process keep the hash chain whole. */
  g_assert_true (striae_store_verify_audit (fixture->store, &n_entries, &bad_row, &error));
  g_assert_no_error (error);
  g_assert_cmpint (bad_row, ==, 0);
}

/* The preview window records what its Print… and Export PDF… buttons sent out. */
static void
open_stored (Fixture             *fixture,
             gint64               id,
             StriaePatient      **patient,
             StriaeConsultation **consultation)
{
  g_autoptr(GError) error = NULL;

  *consultation = striae_store_get_consultation (fixture->store, id, &error);
  g_assert_no_error (error);
  *patient = striae_store_get_patient (fixture->store,
                                       striae_consultation_get_patient_id (*consultation),
                                       &error);
  g_assert_no_error (error);
}

/* The preview's export goes through the same delivery as --sheet: written and audited once,
 * and without a store written but not recorded. */
static void
test_preview_audit (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(StriaeConsultation) consultation = NULL;
  g_autoptr(StriaePatient) patient = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *rows = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *first = g_build_filename (fixture->dir, "Zoë-1.pdf", NULL);
  g_autofree char *second = g_build_filename (fixture->dir, "Zoë-2.pdf", NULL);
  StriaeSheetPreview *preview;
  guint delivered = 0;

  open_stored (fixture, fixture->zoe, &patient, &consultation);
  preview = striae_sheet_preview_new (NULL, patient, consultation, "aftercare");
  g_signal_connect_swapped (preview, "delivered", G_CALLBACK (g_atomic_int_inc), &delivered);
  g_assert_null (striae_sheet_preview_get_store (preview));
  /* Without a store nothing is recorded. */
  g_assert_true (striae_sheet_preview_export_to_file (preview, first, &error));
  g_assert_no_error (error);
  striae_sheet_preview_set_store (preview, fixture->store);
  g_assert_true (striae_sheet_preview_get_store (preview) == fixture->store);
  g_assert_true (striae_sheet_preview_export_to_file (preview, second, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (delivered, ==, 2);
  g_assert_true (g_file_test (first, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (second, G_FILE_TEST_IS_REGULAR));
  gtk_window_destroy (GTK_WINDOW (preview));

  expected = g_strdup_printf ("export %" G_GINT64_FORMAT " sheet aftercare; language de; PDF\n",
                              fixture->zoe);
  rows = audit_sheet_rows (fixture);
  g_assert_cmpstr (rows, ==, expected);
}

/* [issue 11] The window and the command line give one sheet for one consultation: both
 * with the clinic's stored rules. The clinic's depth table makes the aftercare's needle
 * length differ from the built-in rules' (the area's depth was not chosen). */
static void
test_preview_same_as_sheet (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(StriaeConsultation) consultation = NULL;
  g_autoptr(StriaePatient) patient = NULL;
  g_autoptr(StriaeRules) rules = striae_rules_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, fixture->ana);
  g_autofree char *from_window = g_build_filename (fixture->dir, "window.pdf", NULL);
  g_autofree char *from_cli = g_build_filename (fixture->dir, "cli.pdf", NULL);
  g_autofree char *window_text = NULL;
  g_autofree char *cli_text = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  StriaeSheetPreview *preview;

  g_assert_cmpfloat (striae_rules_get_depth (rules, STRIAE_SEVERITY_SEVERE, FALSE), !=, 1.75);
  g_assert_true (striae_rules_set_depth (rules, STRIAE_SEVERITY_SEVERE, FALSE, 1.75, &error));
  g_assert_no_error (error);
  g_assert_true (striae_store_save_rules (fixture->store, rules, "Dr Roux", &error));
  g_assert_no_error (error);

  open_stored (fixture, fixture->ana, &patient, &consultation);
  preview = striae_sheet_preview_new (NULL, patient, consultation, "aftercare");
  striae_sheet_preview_set_store (preview, fixture->store);
  g_assert_nonnull (striae_sheet_preview_get_sheet (preview));
  g_assert_false (striae_sheet_get_draft (striae_sheet_preview_get_sheet (preview)));
  g_assert_true (striae_sheet_preview_export_to_file (preview, from_window, &error));
  g_assert_no_error (error);
  gtk_window_destroy (GTK_WINDOW (preview));

  g_assert_cmpint (run_striae (fixture, (const char *[]) { "--sheet", "aftercare",
                                                           "--consultation", id,
                                                           "--output", from_cli, NULL },
                               FALSE, &out, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");

  window_text = pdf_text (from_window);
  cli_text = pdf_text (from_cli);
  g_assert_nonnull (strstr (cli_text, "1.75 mm"));
  g_assert_cmpstr (window_text, ==, cli_text);
}

/* A consultation whose sheet is unfinished (a relative finding, Fitzpatrick V, nobody
 * acknowledged) cannot be signed, so it has no session in the schedule: the morning stack
 * leaves it out without a word, the others still go out. --sheet refuses it with the
 * sentence that says what is missing. */
static void
test_sessions_on_unfinished (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(StriaeConsultation) consultation = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = g_build_filename (fixture->dir, "stack", NULL);
  g_autofree char *pdf = g_build_filename (fixture->dir, "una.pdf", NULL);
  g_autofree char *note = NULL;
  g_autofree char *id_text = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) files = NULL;
  gint64 patient = add_patient (fixture->store, "Una", "Unfinished", "en");
  gint64 id = add_consultation (fixture->store, patient, SESSION_DAY, 3, 6,
                                STRIAE_CONSULTATION_STATUS_COMPLETE, FALSE);

  consultation = striae_store_get_consultation (fixture->store, id, &error);
  g_assert_no_error (error);
  striae_skin_set_fitzpatrick (striae_consultation_get_skin (consultation), 5);
  g_assert_true (striae_store_save_consultation (fixture->store, consultation, "Dr Roux",
                                                 &error));
  g_assert_no_error (error);

  g_assert_cmpint (run_striae (fixture, (const char *[]) { "--sheet", "aftercare",
                                                           "--sessions-on", SESSION_DAY,
                                                           "--output", folder, NULL },
                               FALSE, &out, &err), ==, 0);
  note = g_strdup_printf ("Consultation %" G_GINT64_FORMAT " left out", id);
  g_assert_null (strstr (err, note));
  g_assert_null (strstr (out, "Unfinished"));
  files = list_folder (folder);
  g_assert_cmpuint (g_strv_length (files), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  g_assert_cmpint (run_striae (fixture, (const char *[]) { "--sheet", "aftercare",
                                                           "--consultation", id_text,
                                                           "--output", pdf, NULL },
                               FALSE, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "Acknowledge “"));
  g_assert_false (g_file_test (pdf, G_FILE_TEST_EXISTS));
}

static void
test_print (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, fixture->zoe);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *rows = NULL;
  g_autofree char *expected = NULL;
  const char *printer = g_getenv ("STRIAE_TEST_PRINTER");
  gint64 start;

  g_assert_nonnull (printer);

  /* One job with Zoë's consent sheet, then one job with the day's two aftercare sheets. */
  start = g_get_monotonic_time ();
  g_assert_cmpint (run_striae (fixture, (const char *[]) { "--sheet", "consent",
                                                           "--consultation", id,
                                                           "--printer", printer, NULL },
                               TRUE, &out, &err), ==, 0);
  g_test_message ("striae --sheet consent --printer %s: %.0f ms", printer,
                  (g_get_monotonic_time () - start) / 1000.0);
  g_assert_nonnull (strstr (out, printer));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  start = g_get_monotonic_time ();
  g_assert_cmpint (run_striae (fixture, (const char *[]) { "--sheet", "aftercare",
                                                           "--sessions-on", SESSION_DAY,
                                                           "--printer", printer, NULL },
                               TRUE, &out, &err), ==, 0);
  g_test_message ("striae --sheet aftercare --sessions-on --printer %s: %.0f ms", printer,
                  (g_get_monotonic_time () - start) / 1000.0);
  g_assert_nonnull (strstr (out, "2 sheets"));

  expected = g_strdup_printf ("print %" G_GINT64_FORMAT " sheet consent; language de; "
                              "printer %s\n"
                              "print %" G_GINT64_FORMAT " sheet aftercare; language de; "
                              "printer %s\n"
                              "print %" G_GINT64_FORMAT " sheet aftercare; language en; "
                              "printer %s\n",
                              fixture->zoe, printer, fixture->zoe, printer, fixture->ana,
                              printer);
  rows = audit_sheet_rows (fixture);
  g_assert_cmpstr (rows, ==, expected);
}

/* What the records hold, less the "sign-in" rows that commands add (each signs in as an
 * account, issue 16): the rest must stay as it was when a command writes nothing. */
static char *
records_but_sign_ins (const char *database)
{
  return striae_test_app_query_text (database,
                                     "SELECT (SELECT group_concat (id || ':' || action || ':' "
                                     "|| actor || ':' || coalesce (detail, ''), '|') FROM audit "
                                     "WHERE action != 'sign-in') || '#' || (SELECT count (*) "
                                     "FROM patients) || '#' || (SELECT count (*) FROM "
                                     "consultation_revisions) || '#' || (SELECT * FROM "
                                     "pragma_application_id ())");
}

/* [output] A typo in --output never replaces the database or its journal files, for a sheet,
 * an export or a backup: one sentence, exit 1, the records as they were (but for the
 * command's sign-in). */
static void
test_output_onto_database (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *zoe = g_strdup_printf ("%" G_GINT64_FORMAT, fixture->zoe);
  g_autofree char *patient = NULL;
  g_autofree char *wal = g_strconcat (fixture->database, "-wal", NULL);
  g_autoptr(StriaeConsultation) consultation = NULL;
  g_autofree char *before = NULL;
  g_autoptr(GError) error = NULL;

  consultation = striae_store_get_consultation (fixture->store, fixture->zoe, &error);
  g_assert_no_error (error);
  patient = g_strdup_printf ("%" G_GINT64_FORMAT,
                             striae_consultation_get_patient_id (consultation));
  /* This version read the records' clinic once already: its one-time copy of this PC's
   * settings (striae_clinic_cache_adopt()) is behind them. */
  {
    g_autoptr(GSettings) settings = g_settings_new ("io.github.striae.Striae");

    g_assert_true (striae_clinic_cache_adopt (fixture->store, settings, &error));
    g_assert_no_error (error);
  }
  /* Closing the last connection folds the write-ahead log into the file, so that from here on
   * any change to it is a write by one of the commands below: none but their sign-in. */
  g_clear_object (&fixture->store);
  before = records_but_sign_ins (fixture->database);

  const char *cases[][7] = {
    { "--sheet", "consent", "--consultation", zoe, "--output", fixture->database, NULL },
    { "--export-patient", patient, "--output", fixture->database, NULL },
    { "--export-patient", patient, "--output", wal, NULL },
    { "--backup", fixture->database, NULL },
    { "--sheet", "consent", "--consultation", zoe, "--output", "/dev/null", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *err = NULL;
      g_autofree char *after = NULL;

      g_assert_cmpint (run_striae (fixture, cases[i], FALSE, NULL, &err), ==, 1);
      g_test_message ("%s %s: %s", cases[i][0], cases[i][1], err);
      g_assert_true (g_str_has_prefix (err, "striae: "));
      g_assert_nonnull (strstr (err, "Nothing was written"));
      after = records_but_sign_ins (fixture->database);
      g_assert_cmpstr (after, ==, before);
    }
}

/* [audit] Only exports that really happened are audited: two exports into a folder that does
 * not exist leave no row, one that works leaves one. */
static void
test_failed_export_not_audited (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autofree char *zoe = g_strdup_printf ("%" G_GINT64_FORMAT, fixture->zoe);
  g_autofree char *missing = g_build_filename (fixture->dir, "no-such-folder", "zoe.json", NULL);
  g_autofree char *pdf = g_build_filename (fixture->dir, "no-such-folder", "zoe.pdf", NULL);
  g_autofree char *good = g_build_filename (fixture->dir, "zoe.json", NULL);
  g_autofree char *patient = NULL;
  g_autofree char *rows = NULL;
  g_autoptr(StriaeConsultation) consultation = NULL;
  g_autoptr(GError) error = NULL;

  consultation = striae_store_get_consultation (fixture->store, fixture->zoe, &error);
  g_assert_no_error (error);
  patient = g_strdup_printf ("%" G_GINT64_FORMAT,
                             striae_consultation_get_patient_id (consultation));

  for (int i = 0; i < 2; i++)
    {
      g_assert_cmpint (run_striae (fixture, (const char *[]) { "--export-patient", patient,
                                                               "--output", missing, NULL },
                                   FALSE, NULL, NULL), ==, 1);
      g_assert_cmpint (run_striae (fixture, (const char *[]) { "--sheet", "consent",
                                                               "--consultation", zoe,
                                                               "--output", pdf, NULL },
                                   FALSE, NULL, NULL), ==, 1);
    }
  rows = audit_sheet_rows (fixture);
  g_assert_cmpstr (rows, ==, "");

  g_assert_cmpint (run_striae (fixture, (const char *[]) { "--export-patient", patient,
                                                           "--output", good, "--plain",
                                                           NULL },
                               FALSE, NULL, NULL), ==, 0);
  g_clear_pointer (&rows, g_free);
  rows = audit_sheet_rows (fixture);
  g_assert_cmpstr (rows, ==, "export 0 \n");
}

/* [audit] The day's stack is audited in one commit after its last PDF; a PDF that cannot be
 * written stops it, and those written before it are still audited and named. */
static void
test_batch_stopped_midway (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *folder = g_build_filename (fixture->dir, "stack", NULL);
  g_autofree char *zoe_pdf = g_build_filename (folder,
                                               SESSION_DAY "-Dubois-Émond-Łukasiewicz-Zoë-"
                                               "aftercare.pdf", NULL);
  g_autofree char *ana_pdf = g_build_filename (folder, SESSION_DAY "-Ólafsdóttir-Ana-"
                                               "aftercare.pdf", NULL);
  g_autofree char *expected_out = g_strconcat (zoe_pdf, "\n", NULL);
  g_autofree char *expected_rows = NULL;
  g_autofree char *rows = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  /* A folder where Ana's sheet would go: her PDF cannot replace it. */
  g_assert_cmpint (g_mkdir_with_parents (ana_pdf, 0700), ==, 0);
  g_assert_cmpint (run_striae (fixture, (const char *[]) { "--sheet", "aftercare",
                                                           "--sessions-on", SESSION_DAY,
                                                           "--output", folder, NULL },
                               FALSE, &out, &err), ==, 1);
  g_test_message ("%s", err);
  g_assert_cmpstr (out, ==, expected_out);
  g_assert_true (g_file_test (zoe_pdf, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (ana_pdf, G_FILE_TEST_IS_DIR));

  expected_rows = g_strdup_printf ("export %" G_GINT64_FORMAT " sheet aftercare; language de; "
                                   "PDF\n", fixture->zoe);
  rows = audit_sheet_rows (fixture);
  g_assert_cmpstr (rows, ==, expected_rows);
}

/* [output] Every file that holds health data is the user's alone, whatever the umask: a sheet,
 * an export, the day's folder and its sheets. */
static void
test_output_modes (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *zoe = g_strdup_printf ("%" G_GINT64_FORMAT, fixture->zoe);
  g_autofree char *pdf = g_build_filename (fixture->dir, "consent.pdf", NULL);
  g_autofree char *json = g_build_filename (fixture->dir, "zoe.json", NULL);
  g_autofree char *day = g_build_filename (fixture->dir, "day", NULL);
  g_autofree char *patient = NULL;
  g_autoptr(StriaeConsultation) consultation = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) folder = NULL;
  const char *name;
  GStatBuf st;
  mode_t old_umask;

  consultation = striae_store_get_consultation (fixture->store, fixture->zoe, &error);
  g_assert_no_error (error);
  patient = g_strdup_printf ("%" G_GINT64_FORMAT,
                             striae_consultation_get_patient_id (consultation));

  old_umask = umask (0);
  g_assert_cmpint (run_striae (fixture, (const char *[]) { "--sheet", "consent",
                                                           "--consultation", zoe,
                                                           "--output", pdf, NULL },
                               FALSE, NULL, NULL), ==, 0);
  g_assert_cmpint (run_striae (fixture, (const char *[]) { "--export-patient", patient,
                                                           "--output", json, "--plain",
                                                           NULL },
                               FALSE, NULL, NULL), ==, 0);
  g_assert_cmpint (run_striae (fixture, (const char *[]) { "--sheet", "aftercare",
                                                           "--sessions-on", SESSION_DAY,
                                                           "--output", day, NULL },
                               FALSE, NULL, NULL), ==, 0);
  umask (old_umask);

  g_assert_cmpint (g_stat (pdf, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (json, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (day, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  folder = g_dir_open (day, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (folder)) != NULL)
    {
      g_autofree char *path = g_build_filename (day, name, NULL);

      g_assert_cmpint (g_stat (path, &st), ==, 0);
      g_assert_cmpint (st.st_mode & 0777, ==, 0600);
    }
}

static void
assert_file_lacks (const char *path,
                   const char *text)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return;
  if (memmem (contents, length, text, strlen (text)) != NULL)
    g_error ("%s still holds “%s”", path, text);
}

/* [erase] `striae --erase-patient` asks first (refused without a terminal or --yes), then
 * leaves no trace of the patient in the database or its log, although the fixture's store
 * holds a second connection open as a running window would, and names the copies made
 * before. */
static void
test_erase_patient (Fixture       *fixture,
                    gconstpointer  data)
{
  static const char * const traces[] = {
    "Dubois-Émond", "dubois", "DUBOIS", "Łukasiewicz", "łukasiewicz", "lukasiewicz",
    "zoe@example.org", "0612345678",
  };
  g_autoptr(StriaeConsultation) consultation = NULL;
  g_autoptr(StriaePatient) patient = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *json = g_build_filename (fixture->dir, "zoe.json", NULL);
  g_autofree char *wal = g_strconcat (fixture->database, "-wal", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  consultation = striae_store_get_consultation (fixture->store, fixture->zoe, &error);
  g_assert_no_error (error);
  patient = striae_store_get_patient (fixture->store,
                                      striae_consultation_get_patient_id (consultation), &error);
  g_assert_no_error (error);
  striae_patient_set_email (patient, "zoe@example.org");
  striae_patient_set_phone (patient, "06 12 34 56 78");
  striae_patient_set_notes (patient, "Prefers the late afternoon.");
  g_assert_true (striae_store_update_patient (fixture->store, patient, &error));
  g_assert_no_error (error);
  id = g_strdup_printf ("%" G_GINT64_FORMAT, striae_patient_get_id (patient));

  g_assert_cmpint (run_striae (fixture, (const char *[]) { "--export-patient", id, "--output",
                                                           json, "--plain", NULL },
                               FALSE, NULL, NULL), ==, 0);
  g_assert_cmpint (run_striae (fixture, (const char *[]) { "--erase-patient", id, NULL },
                               FALSE, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "--yes"));
  g_assert_nonnull (strstr (err, "Nothing was erased"));
  g_assert_cmpint (striae_store_count_patients (fixture->store, NULL), ==, 5);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_striae (fixture, (const char *[]) { "--erase-patient", id, "--yes",
                                                           NULL },
                               FALSE, &out, &err), ==, 0);
  g_test_message ("%s", out);
  g_assert_nonnull (strstr (out, "was erased"));
  g_assert_nonnull (strstr (out, "exported"));
  g_assert_cmpint (striae_store_count_patients (fixture->store, NULL), ==, 4);

  for (guint i = 0; i < G_N_ELEMENTS (traces); i++)
    {
      assert_file_lacks (fixture->database, traces[i]);
      assert_file_lacks (wal, traces[i]);
    }
  assert_file_lacks (fixture->database, "late afternoon");
  assert_file_lacks (wal, "late afternoon");
}

/* A print server that takes every connection and never says a word: a print server that hung,
 * or a CUPS_SERVER pointing at something that is not one. */
typedef struct
{
  GSocket      *socket;
  GCancellable *cancellable;
  GThread      *thread;
  guint16       port;
} SilentServer;

static gpointer
silent_server_run (gpointer data)
{
  SilentServer *server = data;
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);

  for (;;)
    {
      GSocket *client = g_socket_accept (server->socket, server->cancellable, NULL);

      if (client == NULL)
        return NULL;
      g_ptr_array_add (held, client);
    }
}

static void
silent_server_start (SilentServer *server)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  server->socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (server->socket, any_port, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (g_socket_listen (server->socket, &error));
  g_assert_no_error (error);
  bound = g_socket_get_local_address (server->socket, &error);
  g_assert_no_error (error);
  server->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  server->cancellable = g_cancellable_new ();
  server->thread = g_thread_new ("silent-print-server", silent_server_run, server);
}

static void
silent_server_stop (SilentServer *server)
{
  g_cancellable_cancel (server->cancellable);
  g_thread_join (server->thread);
  g_clear_object (&server->cancellable);
  g_socket_close (server->socket, NULL);
  g_clear_object (&server->socket);
}

/* [print] Dialog-less printing never waits on the print system without a bound: behind a
 * silent print server, striae gives up after STRIAE_PRINT_TIMEOUT_SECONDS with one sentence,
 * exit status 1 and no audit row, for one sheet and for the day's batch. */
static void
test_silent_print_server (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, fixture->zoe);
  g_autofree char *expected = NULL;
  g_autofree char *rows = NULL;
  g_autofree char *server_name = NULL;
  g_autofree char *old_server = g_strdup (g_getenv ("CUPS_SERVER"));
  const char *cases[][7] = {
    { "--sheet", "consent", "--consultation", id, "--printer", "Frontdesk", NULL },
    { "--sheet", "aftercare", "--sessions-on", SESSION_DAY, "--printer", "Frontdesk", NULL },
  };
  SilentServer server = { NULL };

  silent_server_start (&server);
  server_name = g_strdup_printf ("127.0.0.1:%u", server.port);
  g_setenv ("CUPS_SERVER", server_name, TRUE);

  expected = g_strdup_printf ("The print system did not answer within %d seconds. Is CUPS "
                              "running? Nothing was printed.\n", STRIAE_PRINT_TIMEOUT_SECONDS);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      gint64 start = g_get_monotonic_time ();
      double seconds;

      g_assert_cmpint (run_striae (fixture, cases[i], TRUE, &out, &err), ==, 1);
      seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
      g_test_message ("%s %s behind a silent print server: gave up after %.1f s (bound %d s)",
                      cases[i][0], cases[i][1], seconds, STRIAE_PRINT_TIMEOUT_SECONDS);
      g_assert_cmpfloat (seconds, >=, STRIAE_PRINT_TIMEOUT_SECONDS);
      g_assert_cmpfloat (seconds, <, STRIAE_PRINT_TIMEOUT_SECONDS + 10);
      g_test_message ("its standard error: %s", err);
      g_assert_cmpstr (out, ==, "");
      /* The one sentence is the last line; GTK's print stack may warn before it. */
      g_assert_true (g_str_has_suffix (err, expected));
    }

  if (old_server != NULL)
    g_setenv ("CUPS_SERVER", old_server, TRUE);
  else
    g_unsetenv ("CUPS_SERVER");
  silent_server_stop (&server);

  rows = audit_sheet_rows (fixture);
  g_assert_cmpstr (rows, ==, "");
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  {
    g_autoptr(GSettings) settings = g_settings_new ("io.github.striae.Striae");

    /* The same clinic in this process (the preview) as in the child's key file. */
    g_settings_set_string (settings, "clinic-phone", CLINIC_PHONE);
  }
  /* Referencing the resource links it in from the static library, which registers it. */
  g_assert_nonnull (striae_get_resource ());

  if (g_getenv ("STRIAE_APP_BINARY") == NULL)
    {
      g_test_skip ("STRIAE_APP_BINARY is not set; run through meson test");
      return g_test_run ();
    }

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/cli-sheets/export", test_export);
  ADD ("/cli-sheets/errors", test_errors);
  ADD ("/cli-sheets/store-sessions", test_store_sessions);
  ADD ("/cli-sheets/sessions-on", test_sessions_on);
  ADD ("/cli-sheets/sessions-on-schedule", test_sessions_on_schedule);
  ADD ("/cli-sheets/sessions-on-cache-untouched", test_sessions_on_cache_untouched);
  ADD ("/cli-sheets/sessions-on-split", test_sessions_on_split);
  ADD ("/cli-sheets/sessions-on-while-signing-in", test_sessions_on_while_signing_in);
  ADD ("/cli-sheets/audit", test_audit);
  ADD ("/cli-sheets/preview-audit", test_preview_audit);
  ADD ("/cli-sheets/preview-same-as-sheet", test_preview_same_as_sheet);
  ADD ("/cli-sheets/sessions-on-unfinished", test_sessions_on_unfinished);
  ADD ("/cli-sheets/output-onto-database", test_output_onto_database);
  ADD ("/cli-sheets/output-modes", test_output_modes);
  ADD ("/cli-sheets/erase-patient", test_erase_patient);
  ADD ("/cli-sheets/failed-export-not-audited", test_failed_export_not_audited);
  ADD ("/cli-sheets/batch-stopped-midway", test_batch_stopped_midway);
  ADD ("/cli-sheets/silent-print-server", test_silent_print_server);
  ADD ("/cli-sheets/clinic-from-records", test_clinic_from_records);
  /* Only tests/test-print.sh, which sets up a printer, runs the real print: elsewhere it is not
   * registered at all, so that no skipped print is ever counted. */
  if (g_getenv ("STRIAE_TEST_PRINTER") != NULL)
    ADD ("/cli-sheets/print", test_print);
#undef ADD

  return g_test_run ();
}
