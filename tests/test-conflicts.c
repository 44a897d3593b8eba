/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>

#include "striae-store.h"
#include "striae-test-store.h"
#include "striae-test-date.h"

/* Two computers on the same records (issue 14, "Conflicts"): each is a StriaeStore of its
 * own on one location, as two processes (or two PCs on a server) would open it. A save or a
 * signature over a revision the other changed since is refused, says who and when, and
 * writes nothing; a consultation is signed exactly once. They run on the backend
 * STRIAE_TEST_BACKEND names (tests/striae-test-store.h). */

typedef struct
{
  char        *dir;
  char        *location;
  StriaeStore *a;   /* Dr Roux's computer */
  StriaeStore *b;   /* Dr Vidal's computer */
  gint64       patient;
} Fixture;


/* How a conflict names who changed the consultation: the name typed on a file; on a clinic
 * server the login both stores connect as, whatever name is typed. */
#define CHANGED(typed) (striae_test_backend_is ("postgresql") \
                        ? "postgres changed this consultation" \
                        : typed " changed this consultation")
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(StriaePatient) patient = striae_patient_new ();
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("striae-conflicts-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->location = striae_test_store_location (fixture->dir);
  fixture->a = striae_test_store_open (fixture->location);
  fixture->b = striae_test_store_open (fixture->location);
  striae_store_set_user (fixture->a, "Dr Roux");
  striae_store_set_user (fixture->b, "Dr Vidal");

  striae_patient_set_given_name (patient, "Inès");
  striae_patient_set_family_name (patient, "Moreau");
  striae_patient_set_birth_date (patient, striae_test_date ("1991-04-02"));
  g_assert_true (striae_store_add_patient (fixture->a, patient, &error));
  g_assert_no_error (error);
  fixture->patient = striae_patient_get_id (patient);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->a);
  g_assert_finalize_object (fixture->b);
  striae_test_store_remove (fixture->location);
  g_assert_cmpint (g_rmdir (fixture->dir), ==, 0);
  g_free (fixture->location);
  g_free (fixture->dir);
}

/* A consultation stored by A, with @status. */
static gint64
add_consultation (Fixture                  *fixture,
                  StriaeConsultationStatus  status)
{
  g_autoptr(StriaeConsultation) consultation = striae_consultation_new ();
  g_autoptr(GError) error = NULL;

  striae_consultation_set_patient_id (consultation, fixture->patient);
  striae_consultation_set_date (consultation, striae_test_date ("2024-03-01"));
  striae_consultation_set_practitioner (consultation, "Dr Roux");
  striae_consultation_set_status (consultation, status);
  g_assert_true (striae_store_save_consultation (fixture->a, consultation, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (striae_consultation_get_stored_stamp (consultation));

  return striae_consultation_get_id (consultation);
}

static StriaeConsultation *
load (StriaeStore *store,
      gint64       id)
{
  g_autoptr(GError) error = NULL;
  StriaeConsultation *consultation = striae_store_get_consultation (store, id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (striae_consultation_get_stored_stamp (consultation));
  return consultation;
}

static void
assert_stored (StriaeStore *store,
               gint64       id,
               const char  *json)
{
  g_autoptr(StriaeConsultation) consultation = load (store, id);
  g_autofree char *stored = striae_consultation_to_json (consultation);

  g_assert_cmpstr (stored, ==, json);
}

static void
test_second_save_refused (Fixture       *fixture,
                          gconstpointer  data)
{
  gint64 id = add_consultation (fixture, STRIAE_CONSULTATION_STATUS_DRAFT);
  g_autoptr(StriaeConsultation) on_a = load (fixture->a, id);
  g_autoptr(StriaeConsultation) on_b = load (fixture->b, id);
  g_autoptr(GError) error = NULL;
  g_autofree char *a_json = NULL;
  g_autofree char *b_json = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GPtrArray) list = NULL;
  gint64 creates;

  g_assert_cmpstr (striae_consultation_get_stored_stamp (on_a), ==,
                   striae_consultation_get_stored_stamp (on_b));

  striae_consultation_set_date (on_a, striae_test_date ("2024-03-02"));
  g_assert_true (striae_store_save_consultation (fixture->a, on_a, NULL, &error));
  g_assert_no_error (error);
  a_json = striae_consultation_to_json (on_a);

  /* B's save finds the revision changed: refused, naming A, and nothing is written. */
  striae_consultation_set_date (on_b, striae_test_date ("2024-03-05"));
  striae_consultation_set_practitioner (on_b, "Dr Vidal");
  before = striae_test_store_dump (fixture->location);
  g_assert_false (striae_store_save_consultation (fixture->b, on_b, NULL, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_CONFLICT);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, CHANGED ("Dr Roux")));
  g_clear_error (&error);
  after = striae_test_store_dump (fixture->location);
  g_assert_cmpstr (before, ==, after);
  assert_stored (fixture->b, id, a_json);

  /* Again, as an autosave would: the same answer, still nothing written. */
  g_assert_false (striae_store_save_consultation (fixture->b, on_b, NULL, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_CONFLICT);
  g_clear_error (&error);

  /* B keeps its version as a new draft; A's stays as it is. */
  creates = striae_test_store_count_audit (fixture->location, "create");
  g_assert_true (striae_store_save_as_new_draft (fixture->b, on_b, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (striae_consultation_get_id (on_b), !=, id);
  g_assert_cmpint (striae_consultation_get_revision (on_b), ==, 1);
  g_assert_cmpint (striae_consultation_get_status (on_b), ==,
                   STRIAE_CONSULTATION_STATUS_DRAFT);
  g_assert_cmpint (striae_consultation_get_patient_id (on_b), ==, fixture->patient);
  g_assert_cmpint (striae_test_store_count_audit (fixture->location, "create"), ==, creates + 1);
  {
    g_autofree char *detail = striae_test_store_query_text (fixture->location,
                                                            "SELECT detail FROM audit"
                                                            "  ORDER BY id DESC LIMIT 1");
    g_autofree char *expected = g_strdup_printf ("draft, kept apart from consultation %"
                                                 G_GINT64_FORMAT " revision 1", id);

    g_assert_cmpstr (detail, ==, expected);
  }
  g_assert_cmpstr (striae_consultation_get_practitioner (on_b), ==, "Dr Vidal");
  b_json = striae_consultation_to_json (on_b);
  assert_stored (fixture->a, striae_consultation_get_id (on_b), b_json);
  assert_stored (fixture->a, id, a_json);

  list = striae_store_list_consultations (fixture->a, fixture->patient, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);

  /* The new draft is B's own: B goes on saving it. */
  striae_consultation_set_date (on_b, striae_test_date ("2024-03-06"));
  g_assert_true (striae_store_save_consultation (fixture->b, on_b, NULL, &error));
  g_assert_no_error (error);
}

static void
test_same_store_never_conflicts (Fixture       *fixture,
                                 gconstpointer  data)
{
  gint64 id = add_consultation (fixture, STRIAE_CONSULTATION_STATUS_DRAFT);
  g_autoptr(StriaeConsultation) first = load (fixture->a, id);
  g_autoptr(StriaeConsultation) again = NULL;
  g_autoptr(StriaeConsultation) copy = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *before = g_strdup (striae_consultation_get_stored_stamp (first));

      g_assert_true (striae_store_save_consultation (fixture->a, first, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (striae_consultation_get_stored_stamp (first), !=, before);
    }

  /* What the store read back carries the stamp the save left. */
  again = load (fixture->b, id);
  g_assert_cmpstr (striae_consultation_get_stored_stamp (again), ==,
                   striae_consultation_get_stored_stamp (first));
  g_assert_true (striae_store_save_consultation (fixture->b, again, NULL, &error));
  g_assert_no_error (error);
  copy = striae_consultation_copy (again);
  g_assert_cmpstr (striae_consultation_get_stored_stamp (copy), ==,
                   striae_consultation_get_stored_stamp (again));
  g_assert_true (striae_store_save_consultation (fixture->b, copy, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (striae_test_store_count_audit (fixture->location, "update"), ==, 7);
}

static void
test_signed_while_saving (Fixture       *fixture,
                          gconstpointer  data)
{
  gint64 id = add_consultation (fixture, STRIAE_CONSULTATION_STATUS_COMPLETE);
  g_autoptr(StriaeConsultation) on_a = load (fixture->a, id);
  g_autoptr(StriaeConsultation) on_b = load (fixture->b, id);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  g_assert_true (striae_store_sign_as_held (fixture->a, on_a, "Dr Roux", NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (striae_consultation_get_status (on_a), ==,
                   STRIAE_CONSULTATION_STATUS_SIGNED);

  before = striae_test_store_dump (fixture->location);
  striae_consultation_set_date (on_b, striae_test_date ("2024-03-05"));
  g_assert_false (striae_store_save_consultation (fixture->b, on_b, NULL, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_LOCKED);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "Dr Roux signed this consultation at "));
  g_clear_error (&error);

  g_assert_false (striae_store_sign_as_held (fixture->b, on_b, "Dr Vidal", NULL, NULL,
                                             &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_LOCKED);
  g_assert_nonnull (strstr (error->message, "Dr Roux"));
  g_clear_error (&error);
  after = striae_test_store_dump (fixture->location);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpint (striae_test_store_count_audit (fixture->location, "sign"), ==, 1);

  /* B's version is not lost: it becomes a draft of its own. */
  g_assert_true (striae_store_save_as_new_draft (fixture->b, on_b, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (striae_consultation_get_id (on_b), !=, id);
}

static void
test_never_sign_unseen (Fixture       *fixture,
                        gconstpointer  data)
{
  gint64 id = add_consultation (fixture, STRIAE_CONSULTATION_STATUS_COMPLETE);
  g_autoptr(StriaeConsultation) on_a = load (fixture->a, id);
  g_autoptr(StriaeConsultation) on_b = load (fixture->b, id);
  g_autoptr(GError) error = NULL;
  g_autofree char *signed_by = NULL;

  striae_consultation_set_date (on_b, striae_test_date ("2024-03-05"));
  g_assert_true (striae_store_save_consultation (fixture->b, on_b, NULL, &error));
  g_assert_no_error (error);

  /* A never saw B's change: A's signature is refused, nothing is signed. */
  g_assert_false (striae_store_sign_as_held (fixture->a, on_a, "Dr Roux", NULL, NULL, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, CHANGED ("Dr Vidal")));
  g_clear_error (&error);
  g_assert_cmpint (striae_consultation_get_status (on_a), ==,
                   STRIAE_CONSULTATION_STATUS_COMPLETE);
  g_assert_true (striae_store_get_signature (fixture->a, id, 1, &signed_by, NULL, &error));
  g_assert_null (signed_by);
  g_assert_cmpint (striae_test_store_count_audit (fixture->location, "sign"), ==, 0);

  /* Not treated, the same. */
  g_assert_false (striae_store_sign_as_held (fixture->a, on_a, "Dr Roux", "Pregnant", NULL,
                                             &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_CONFLICT);
  g_clear_error (&error);

  /* Once reloaded, A signs what it now sees. */
  g_clear_object (&on_a);
  on_a = load (fixture->a, id);
  g_assert_true (striae_store_sign_as_held (fixture->a, on_a, "Dr Roux", NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (striae_test_store_count_audit (fixture->location, "sign"), ==, 1);

  /* A stored consultation never saved or loaded has nothing to sign as held. */
  g_clear_object (&on_b);
  on_b = striae_consultation_new ();
  g_assert_false (striae_store_sign_as_held (fixture->b, on_b, "Dr Vidal", NULL, NULL,
                                             &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID);
}

typedef struct
{
  StriaeStore        *store;
  StriaeConsultation *consultation;
  const char         *name;
  GError             *error;
  gboolean            signed_it;
} Signer;

static gpointer
sign_thread (gpointer data)
{
  Signer *signer = data;

  signer->signed_it = striae_store_sign_as_held (signer->store, signer->consultation,
                                                 signer->name, NULL, NULL, &signer->error);
  return NULL;
}

static void
test_signed_once (Fixture       *fixture,
                  gconstpointer  data)
{
  for (guint round = 0; round < 4; round++)
    {
      gint64 id = add_consultation (fixture, STRIAE_CONSULTATION_STATUS_COMPLETE);
      g_autoptr(StriaeConsultation) on_a = load (fixture->a, id);
      g_autoptr(StriaeConsultation) on_b = load (fixture->b, id);
      Signer signers[2] = {
        { fixture->a, on_a, "Dr Roux", NULL, FALSE },
        { fixture->b, on_b, "Dr Vidal", NULL, FALSE },
      };
      GThread *threads[2];
      g_autofree char *signed_by = NULL;
      g_autofree char *sql = NULL;
      Signer *loser;

      for (guint i = 0; i < 2; i++)
        threads[i] = g_thread_new ("signer", sign_thread, &signers[i]);
      for (guint i = 0; i < 2; i++)
        g_thread_join (threads[i]);

      /* Exactly one signs; the other hears who did. */
      g_assert_true (signers[0].signed_it != signers[1].signed_it);
      loser = signers[0].signed_it ? &signers[1] : &signers[0];
      g_assert_error (loser->error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_LOCKED);
      g_test_message ("%s", loser->error->message);
      g_assert_nonnull (strstr (loser->error->message,
                                signers[0].signed_it ? "Dr Roux" : "Dr Vidal"));
      g_clear_error (&loser->error);

      g_assert_true (striae_store_get_signature (fixture->a, id, 1, &signed_by, NULL, NULL));
      g_assert_cmpstr (signed_by, ==, signers[0].signed_it ? "Dr Roux" : "Dr Vidal");
      sql = g_strdup_printf ("SELECT count (*) FROM audit WHERE action = 'sign'"
                             "  AND consultation_id = %" G_GINT64_FORMAT, id);
      g_assert_cmpint (striae_test_store_query_int (fixture->location, sql), ==, 1);
    }
}

static void
test_stamp_not_in_document (Fixture       *fixture,
                            gconstpointer  data)
{
  gint64 id = add_consultation (fixture, STRIAE_CONSULTATION_STATUS_DRAFT);
  g_autoptr(StriaeConsultation) loaded = load (fixture->b, id);
  g_autofree char *sql = g_strdup_printf ("SELECT data FROM consultation_revisions"
                                          "  WHERE consultation_id = %" G_GINT64_FORMAT, id);
  g_autofree char *stored = striae_test_store_query_text (fixture->location, sql);
  g_autofree char *json = striae_consultation_to_json (loaded);
  g_autoptr(GError) error = NULL;
  g_autofree char *exported = NULL;
  g_autofree char *reexported = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *location = NULL;
  StriaeStore *other;
  gint64 imported;

  /* The document's bytes are the stored ones: the stamp is beside it, not in it. */
  g_assert_cmpstr (json, ==, stored);
  g_assert_null (strstr (json, striae_consultation_get_stored_stamp (loaded)));

  /* An export imported elsewhere exports the same consultations, byte for byte (the export's
   * own time and the patient's row times differ). */
  exported = striae_store_export_patient (fixture->a, fixture->patient,
                                          STRIAE_EXPORT_FLAGS_NONE, &error);
  g_assert_no_error (error);
  dir = g_dir_make_tmp ("striae-conflicts-XXXXXX", &error);
  g_assert_no_error (error);
  location = striae_test_store_location (dir);
  other = striae_test_store_open (location);
  imported = striae_store_import_patient (other, exported, -1, NULL, &error);
  g_assert_no_error (error);
  reexported = striae_store_export_patient (other, imported, STRIAE_EXPORT_FLAGS_NONE,
                                            &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (exported, "\"consultations\""));
  g_assert_cmpstr (strstr (reexported, "\"consultations\""), ==,
                   strstr (exported, "\"consultations\""));

  g_assert_finalize_object (other);
  striae_test_store_remove (location);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* The other computer as another process: it saves the draft, then signs it, each time in a
 * child of this test (the location and the consultation come through the environment). */
static void
other_process (const char *step)
{
  const char *location = g_getenv ("STRIAE_TEST_CONFLICT_LOCATION");
  g_autoptr(GError) error = NULL;
  g_autoptr(StriaeStore) store = striae_test_store_open (location);
  gint64 id = g_ascii_strtoll (g_getenv ("STRIAE_TEST_CONFLICT_ID"), NULL, 10);
  g_autoptr(StriaeConsultation) there = striae_store_get_consultation (store, id, &error);

  g_assert_no_error (error);
  striae_store_set_user (store, "Dr Roux");
  if (g_str_equal (step, "save"))
    {
      striae_consultation_set_date (there, striae_test_date ("2024-03-09"));
      striae_consultation_set_status (there, STRIAE_CONSULTATION_STATUS_COMPLETE);
      g_assert_true (striae_store_save_consultation (store, there, NULL, &error));
    }
  else
    g_assert_true (striae_store_sign_as_held (store, there, "Dr Roux", NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
test_two_processes (void)
{
  g_autoptr(StriaePatient) patient = striae_patient_new ();
  g_autoptr(StriaeConsultation) here = striae_consultation_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *location = NULL;
  g_autofree char *id = NULL;
  g_autofree char *signed_by = NULL;
  StriaeStore *store;

  if (g_test_subprocess ())
    {
      other_process (g_getenv ("STRIAE_TEST_CONFLICT_STEP"));
      return;
    }

  dir = g_dir_make_tmp ("striae-conflicts-XXXXXX", &error);
  g_assert_no_error (error);
  location = striae_test_store_location (dir);
  store = striae_test_store_open (location);
  striae_store_set_user (store, "Dr Vidal");
  striae_patient_set_given_name (patient, "Inès");
  striae_patient_set_family_name (patient, "Moreau");
  striae_patient_set_birth_date (patient, striae_test_date ("1991-04-02"));
  g_assert_true (striae_store_add_patient (store, patient, &error));
  striae_consultation_set_patient_id (here, striae_patient_get_id (patient));
  striae_consultation_set_date (here, striae_test_date ("2024-03-01"));
  striae_consultation_set_status (here, STRIAE_CONSULTATION_STATUS_COMPLETE);
  g_assert_true (striae_store_save_consultation (store, here, NULL, &error));
  g_assert_no_error (error);

  id = g_strdup_printf ("%" G_GINT64_FORMAT, striae_consultation_get_id (here));
  g_setenv ("STRIAE_TEST_CONFLICT_LOCATION", location, TRUE);
  g_setenv ("STRIAE_TEST_CONFLICT_ID", id, TRUE);

  /* The other process saves: this one's save and signature are refused, naming it. */
  g_setenv ("STRIAE_TEST_CONFLICT_STEP", "save", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  striae_consultation_set_date (here, striae_test_date ("2024-03-02"));
  g_assert_false (striae_store_save_consultation (store, here, NULL, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, CHANGED ("Dr Roux")));
  g_clear_error (&error);
  g_assert_false (striae_store_sign_as_held (store, here, "Dr Vidal", NULL, NULL, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_CONFLICT);
  g_clear_error (&error);

  /* It signs what it saved: this one, still on the old revision, cannot sign it again. */
  g_setenv ("STRIAE_TEST_CONFLICT_STEP", "sign", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_assert_false (striae_store_sign_as_held (store, here, "Dr Vidal", NULL, NULL, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_LOCKED);
  g_assert_nonnull (strstr (error->message, "Dr Roux signed this consultation"));
  g_clear_error (&error);
  g_assert_true (striae_store_get_signature (store, striae_consultation_get_id (here), 1,
                                             &signed_by, NULL, &error));
  g_assert_cmpstr (signed_by, ==, "Dr Roux");

  g_unsetenv ("STRIAE_TEST_CONFLICT_STEP");
  g_unsetenv ("STRIAE_TEST_CONFLICT_ID");
  g_unsetenv ("STRIAE_TEST_CONFLICT_LOCATION");
  g_assert_finalize_object (store);
  striae_test_store_remove (location);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/conflicts/save/second-refused", test_second_save_refused);
  ADD ("/conflicts/save/same-store", test_same_store_never_conflicts);
  ADD ("/conflicts/save/signed-meanwhile", test_signed_while_saving);
  ADD ("/conflicts/sign/unseen", test_never_sign_unseen);
  ADD ("/conflicts/sign/once", test_signed_once);
  ADD ("/conflicts/document-unchanged", test_stamp_not_in_document);
#undef ADD
  g_test_add_func ("/conflicts/two-processes", test_two_processes);

  return g_test_run ();
}
