/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <cairo.h>
#include <json-glib/json-glib.h>
#include <glib/gstdio.h>
#include <poppler.h>
#include <string.h>

#include "striae-consent-signature.h"
#include "striae-core-error.h"
#include "striae-sheet-composer.h"
#include "striae-store.h"
#include "striae-test-date.h"
#include "striae-test-store.h"

/* poppler-glib 22.02 defines no cleanup functions. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerDocument, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerPage, g_object_unref)

/* The consent signed on the screen (issue 18, part 3) on the backend STRIAE_TEST_BACKEND
 * names: strokes that round-trip through the records, the strict reading of their JSON,
 * the lock on a signature, an amendment that changes the consent's text needing new
 * signatures, and the PDF carrying the drawing. */

/* The records with one patient, Inès Moreau (tests/striae-test-store.h). */
typedef StriaeTestRecords Fixture;

static const StriaeClinicSettings clinic = {
  .name = "Clinique du Parc", .phone = "01 23 45 67 89", .paper = STRIAE_PAPER_A4,
  .practitioner = "Dr Roux", .language = "en",
};

/* With STRIAE_SCREENSHOT_DIR set, what a test made is kept there as @name, to look at it:
 * the file at @path, or @text when @path is %NULL. Without it, nothing. */
static void
keep_to_look_at (const char *name,
                 const char *path,
                 const char *text)
{
  const char *dir = g_getenv ("STRIAE_SCREENSHOT_DIR");
  g_autofree char *kept = NULL;
  g_autoptr(GFile) from = NULL;
  g_autoptr(GFile) to = NULL;

  if (dir == NULL)
    return;
  kept = g_build_filename (dir, name, NULL);
  if (path == NULL)
    {
      g_assert_true (g_file_set_contents (kept, text, -1, NULL));
      return;
    }
  from = g_file_new_for_path (path);
  to = g_file_new_for_path (kept);
  g_assert_true (g_file_copy (from, to, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, NULL));
}

/* The signed course of a consultation that treats one thigh area (no side). */
static gint64
add_signed_consultation (Fixture *fixture)
{
  return striae_test_store_add_signed_course (fixture->store, fixture->patient,
                                              STRIAE_SIDE_NOT_APPLICABLE);
}

/* The consent of consultation @id as the patient sees it now. */
static StriaeSheet *
compose_consent (Fixture *fixture,
                 gint64   id)
{
  g_autoptr(StriaeConsultation) c = NULL;
  g_autoptr(StriaePatient) patient = NULL;
  g_autoptr(StriaeRules) rules = striae_rules_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *warning = NULL;
  StriaeSheet *sheet;

  c = striae_store_get_consultation (fixture->store, id, &error);
  g_assert_no_error (error);
  patient = striae_store_get_patient (fixture->store, fixture->patient, &error);
  g_assert_no_error (error);
  sheet = striae_sheet_compose (&(StriaeSheetRequest) {
      .name = "consent",
      .language = "en",
      .patient = patient,
      .consultation = c,
      .rules = rules,
      .clinic = &clinic,
      .sheet_date = striae_test_date ("2026-03-02"),
    },
    NULL, &warning, &error);
  g_assert_no_error (error);
  g_assert_nonnull (sheet);
  return sheet;
}

/* A signature of @signer: a zigzag of @n points, a second stroke with pressure. */
static StriaeConsentSignature *
draw (StriaeConsentSigner  signer,
      const char          *name,
      guint                n)
{
  StriaeConsentSignature *signature = striae_consent_signature_new (signer);

  striae_consent_signature_set_name (signature, name);
  striae_consent_signature_begin_stroke (signature);
  for (guint i = 0; i < n; i++)
    g_assert_true (striae_consent_signature_add_point (signature, 0.05 + 0.9 * i / n,
                                                       i % 2 ? 0.2 : 0.8, -1, i * 16));
  striae_consent_signature_begin_stroke (signature);
  g_assert_true (striae_consent_signature_add_point (signature, 0.1, 0.9, 0.25, n * 16 + 300));
  g_assert_true (striae_consent_signature_add_point (signature, 0.95, 0.85, 0.7,
                                                     n * 16 + 500));
  return signature;
}

static void
assert_same_strokes (StriaeConsentSignature *a,
                     StriaeConsentSignature *b)
{
  g_assert_cmpuint (striae_consent_signature_get_n_strokes (a), ==,
                    striae_consent_signature_get_n_strokes (b));
  for (guint i = 0; i < striae_consent_signature_get_n_strokes (a); i++)
    {
      guint na = 0, nb = 0;
      const StriaeSignaturePoint *pa = striae_consent_signature_get_stroke (a, i, &na);
      const StriaeSignaturePoint *pb = striae_consent_signature_get_stroke (b, i, &nb);

      g_assert_cmpuint (na, ==, nb);
      for (guint j = 0; j < na; j++)
        {
          /* Exactly: what is drawn is rounded as it is stored. */
          g_assert_cmpfloat (pa[j].x, ==, pb[j].x);
          g_assert_cmpfloat (pa[j].y, ==, pb[j].y);
          g_assert_cmpfloat (pa[j].pressure, ==, pb[j].pressure);
          g_assert_cmpuint (pa[j].time, ==, pb[j].time);
        }
    }
}

static void
test_json_round_trip (void)
{
  g_autoptr(StriaeConsentSignature) signature = draw (STRIAE_CONSENT_SIGNER_PATIENT, "Inès",
                                                      97);
  g_autoptr(StriaeConsentSignature) read = striae_consent_signature_new (
    STRIAE_CONSENT_SIGNER_PATIENT);
  g_autofree char *json = striae_consent_signature_strokes_to_json (signature);
  g_autofree char *again = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (striae_consent_signature_set_strokes_from_json (read, json, &error));
  g_assert_no_error (error);
  assert_same_strokes (signature, read);
  again = striae_consent_signature_strokes_to_json (read);
  g_assert_cmpstr (json, ==, again);

  /* Undo takes the last stroke away, clear everything. */
  striae_consent_signature_undo_stroke (read);
  g_assert_cmpuint (striae_consent_signature_get_n_strokes (read), ==, 1);
  striae_consent_signature_clear (read);
  g_assert_true (striae_consent_signature_is_empty (read));
}

/* Each is refused with a sentence, and the signature keeps what it had. */
static const char * const bad_json[] = {
  "",
  "[]",
  "{}",
  "{\"format\":1}",
  "{\"format\":2,\"strokes\":[]}",
  "{\"format\":1,\"strokes\":{}}",
  "{\"format\":1,\"strokes\":[[]]}",
  "{\"format\":1,\"strokes\":[[[0.5,0.5]]]}",
  "{\"format\":1,\"strokes\":[[[0.5,0.5,0,0.5,1]]]}",
  "{\"format\":1,\"strokes\":[[[1.5,0.5,0]]]}",
  "{\"format\":1,\"strokes\":[[[-0.1,0.5,0]]]}",
  "{\"format\":1,\"strokes\":[[[0.5,0.5,1.5]]]}",
  "{\"format\":1,\"strokes\":[[[0.5,0.5,-3]]]}",
  "{\"format\":1,\"strokes\":[[[0.5,0.5,0,2]]]}",
  "{\"format\":1,\"strokes\":[[[\"0.5\",0.5,0]]]}",
  "{\"format\":1,\"strokes\":[[[0.5,null,0]]]}",
  "{\"format\":1,\"strokes\":[[[0.5,0.5,99999999999]]]}",
  "{\"format\":1,\"strokes\":[[[[0.5],0.5,0]]]}",
  "{\"format\":1,\"strokes\":[[0.5]]}",
  "{\"format\":1,\"strokes\":[]} {}",
  "{\"format\":1,\"strokes\":[],\"strokes\":[]}",
  "{\"format\":1,\"strokes\":[],\"extra\":true}",
  "{\"format\":1,/* x */\"strokes\":[]}",
  "{'format':1,'strokes':[]}",
  "{\"format\":1,\"strokes\":[[[0.5,0.5,0]]",
  "{\"format\":1e400,\"strokes\":[]}",
  "{\"format\":1,\"strokes\":[[[0.5,0.5,0,NaN]]]}",
};

static void
test_strict_parser (void)
{
  g_autoptr(StriaeConsentSignature) signature = draw (STRIAE_CONSENT_SIGNER_PATIENT, "Inès",
                                                      10);
  g_autofree char *good = striae_consent_signature_strokes_to_json (signature);
  g_autoptr(GString) big = g_string_new ("{\"format\":1,\"strokes\":[");
  g_autoptr(GString) many = g_string_new ("{\"format\":1,\"strokes\":[[");
  g_autoptr(GRand) rand = g_rand_new_with_seed (18);

  for (guint i = 0; i < G_N_ELEMENTS (bad_json); i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("bad %u: %s", i, bad_json[i]);
      g_assert_false (striae_consent_signature_set_strokes_from_json (signature, bad_json[i],
                                                                      &error));
      g_assert_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID);
      g_assert_cmpuint (striae_consent_signature_get_n_strokes (signature), ==, 2);
    }

  /* More strokes, and more points, than a signature may hold; deeper than it nests. */
  for (guint i = 0; i <= STRIAE_SIGNATURE_STROKES_MAX; i++)
    g_string_append (big, i == 0 ? "[[0.5,0.5,0]]" : ",[[0.5,0.5,0]]");
  g_string_append (big, "]}");
  g_assert_false (striae_consent_signature_set_strokes_from_json (signature, big->str, NULL));
  for (guint i = 0; i <= STRIAE_SIGNATURE_POINTS_MAX; i++)
    g_string_append (many, i == 0 ? "[0.5,0.5,0]" : ",[0.5,0.5,0]");
  g_string_append (many, "]]}");
  g_assert_false (striae_consent_signature_set_strokes_from_json (signature, many->str, NULL));
  g_assert_false (striae_consent_signature_set_strokes_from_json (
    signature, "{\"format\":1,\"strokes\":[[[[[[[[[]]]]]]]]]}", NULL));

  /* Fuzz: good text with one byte changed, cut short, or a byte inserted is either refused
   * or read as a valid signature; never a crash, never out of bounds. */
  for (guint round = 0; round < 3000; round++)
    {
      g_autofree char *text = g_strdup (good);
      gsize length = strlen (text);
      gsize at = (gsize) g_rand_int_range (rand, 0, (gint32) length);
      g_autoptr(StriaeConsentSignature) fuzzed =
        striae_consent_signature_new (STRIAE_CONSENT_SIGNER_PATIENT);

      switch (round % 3)
        {
        case 0:
          text[at] = (char) g_rand_int_range (rand, 1, 256);
          break;
        case 1:
          text[at] = '\0';
          break;
        default:
          {
            g_autofree char *tail = g_strdup (text + at);
            char *longer;

            text[at] = "[]{},:\"0-.e9"[g_rand_int_range (rand, 0, 12)];
            text[at + 1] = '\0';
            longer = g_strconcat (text, tail, NULL);
            g_free (text);
            text = longer;
          }
          break;
        }
      if (striae_consent_signature_set_strokes_from_json (fuzzed, text, NULL))
        {
          for (guint i = 0; i < striae_consent_signature_get_n_strokes (fuzzed); i++)
            {
              guint n = 0;
              const StriaeSignaturePoint *p = striae_consent_signature_get_stroke (fuzzed, i,
                                                                                  &n);

              g_assert_cmpuint (n, >, 0);
              for (guint j = 0; j < n; j++)
                {
                  g_assert_true (p[j].x >= 0 && p[j].x <= 1 && p[j].y >= 0 && p[j].y <= 1);
                  g_assert_true (p[j].pressure == -1 ||
                                 (p[j].pressure >= 0 && p[j].pressure <= 1));
                }
            }
        }
    }
}

static void
sign (Fixture                *fixture,
      gint64                  id,
      StriaeConsentSignature *signature,
      const char             *hash)
{
  g_autoptr(GError) error = NULL;

  striae_consent_signature_set_consent_hash (signature, hash);
  g_assert_true (striae_store_save_consent_signature (fixture->store, id, signature, &error));
  g_assert_no_error (error);
}

static GPtrArray *
list_signatures (Fixture *fixture,
                 gint64   id)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *list = striae_store_list_consent_signatures (fixture->store, id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (list);
  return list;
}

static void
test_store_round_trip (Fixture       *fixture,
                       gconstpointer  data)
{
  gint64 id = add_signed_consultation (fixture);
  g_autoptr(StriaeSheet) sheet = compose_consent (fixture, id);
  g_autofree char *hash = striae_sheet_dup_content_hash (sheet);
  g_autoptr(StriaeConsentSignature) patient = draw (STRIAE_CONSENT_SIGNER_PATIENT,
                                                    "Inès Moreau", 300);
  g_autoptr(StriaeConsentSignature) doctor = draw (STRIAE_CONSENT_SIGNER_PRACTITIONER,
                                                   "Dr Roux", 40);
  g_autoptr(StriaeConsentSignature) again = draw (STRIAE_CONSENT_SIGNER_PATIENT,
                                                  "Inès Moreau", 5);
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  StriaeConsentSignature *read;

  g_assert_cmpuint (strlen (hash), ==, 64);
  sign (fixture, id, patient, hash);
  sign (fixture, id, doctor, hash);

  list = list_signatures (fixture, id);
  g_assert_cmpuint (list->len, ==, 2);
  read = g_ptr_array_index (list, 0);
  g_assert_cmpint (striae_consent_signature_get_signer (read), ==,
                   STRIAE_CONSENT_SIGNER_PATIENT);
  g_assert_cmpstr (striae_consent_signature_get_name (read), ==, "Inès Moreau");
  g_assert_cmpstr (striae_consent_signature_get_consent_hash (read), ==, hash);
  g_assert_cmpint (striae_consent_signature_get_consultation_id (read), ==, id);
  g_assert_cmpuint (striae_consent_signature_get_revision (read), ==, 1);
  g_assert_nonnull (striae_consent_signature_get_signed_at (read));
  g_assert_true (g_date_time_equal (striae_consent_signature_get_signed_at (read),
                                    striae_consent_signature_get_signed_at (patient)));
  assert_same_strokes (patient, read);
  assert_same_strokes (doctor, g_ptr_array_index (list, 1));
  g_assert_cmpint (striae_test_store_count_audit (fixture->location, "consent-sign"), ==, 2);

  /* A signature is locked: the same signer cannot sign the same text again, and the row
   * cannot be changed behind the store's back. */
  striae_consent_signature_set_consent_hash (again, hash);
  g_assert_false (striae_store_save_consent_signature (fixture->store, id, again, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_LOCKED);
  g_assert_cmpint (striae_test_store_try_exec (fixture->location,
                                               "UPDATE consent_signatures SET name = 'X'"),
                   ==, STRIAE_TEST_SQL_REFUSED);
  g_assert_cmpint (striae_test_store_count_audit (fixture->location, "consent-sign"), ==, 2);
  striae_test_store_assert_intact (fixture->location);
}

static void
test_refused (Fixture       *fixture,
              gconstpointer  data)
{
  gint64 id = add_signed_consultation (fixture);
  g_autoptr(StriaeConsentSignature) empty =
    striae_consent_signature_new (STRIAE_CONSENT_SIGNER_GUARDIAN);
  g_autoptr(StriaeConsentSignature) nameless = draw (STRIAE_CONSENT_SIGNER_GUARDIAN, "", 9);
  g_autoptr(StriaeConsentSignature) unhashed = draw (STRIAE_CONSENT_SIGNER_GUARDIAN, "Ana", 9);
  g_autoptr(GError) error = NULL;
  const char *hash = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

  striae_consent_signature_set_name (empty, "Ana");
  striae_consent_signature_set_consent_hash (empty, hash);
  striae_consent_signature_set_consent_hash (nameless, hash);
  g_assert_false (striae_store_save_consent_signature (fixture->store, id, empty, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (striae_store_save_consent_signature (fixture->store, id, nameless, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (striae_store_save_consent_signature (fixture->store, id, unhashed, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID);
  g_clear_error (&error);
  striae_consent_signature_set_consent_hash (unhashed, hash);
  g_assert_false (striae_store_save_consent_signature (fixture->store, id + 100, unhashed,
                                                      &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND);
  g_assert_cmpint (striae_test_store_count_audit (fixture->location, "consent-sign"), ==, 0);
}

/* An amendment that changes the plan changes the consent's text: the old signatures no
 * longer match, the sheet keeps its lines to sign, and a new signature is taken. */
static void
test_amendment (Fixture       *fixture,
                gconstpointer  data)
{
  gint64 id = add_signed_consultation (fixture);
  g_autoptr(StriaeSheet) before = compose_consent (fixture, id);
  g_autofree char *old_hash = striae_sheet_dup_content_hash (before);
  g_autoptr(StriaeSheet) after = NULL;
  g_autoptr(StriaeSheet) same = NULL;
  g_autofree char *new_hash = NULL;
  g_autofree char *same_hash = NULL;
  g_autoptr(StriaeConsentSignature) first = draw (STRIAE_CONSENT_SIGNER_PATIENT, "Inès", 20);
  g_autoptr(StriaeConsentSignature) second = draw (STRIAE_CONSENT_SIGNER_PATIENT, "Inès", 30);
  g_autoptr(StriaeConsultation) amended = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GPtrArray) matching = NULL;
  g_autoptr(GError) error = NULL;

  /* The same consent composed another day reads the same. */
  same = compose_consent (fixture, id);
  same_hash = striae_sheet_dup_content_hash (same);
  g_assert_cmpstr (same_hash, ==, old_hash);

  sign (fixture, id, first, old_hash);

  amended = striae_store_amend_consultation (fixture->store, id, "Dr Roux",
                                             "Two more sessions", &error);
  g_assert_no_error (error);
  striae_plan_set_sessions (striae_consultation_get_plan (amended), 5);
  striae_consultation_set_status (amended, STRIAE_CONSULTATION_STATUS_COMPLETE);
  g_assert_true (striae_store_save_consultation (fixture->store, amended, "Dr Roux", &error));
  g_assert_no_error (error);
  g_assert_true (striae_store_sign_consultation (fixture->store, id, "Dr Roux", &error));
  g_assert_no_error (error);

  after = compose_consent (fixture, id);
  new_hash = striae_sheet_dup_content_hash (after);
  g_assert_cmpstr (new_hash, !=, old_hash);

  list = list_signatures (fixture, id);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_false (striae_consent_signature_matches (g_ptr_array_index (list, 0), new_hash));
  matching = striae_store_consent_signatures_matching (list, new_hash);
  g_assert_cmpuint (matching->len, ==, 0);
  striae_sheet_set_signatures (after, list);
  g_assert_nonnull (striae_sheet_get_warnings (after));
  g_assert_nonnull (striae_sheet_get_warnings (after)[0]);

  /* A new signature, to the new text, on the new revision; the old one stays. */
  sign (fixture, id, second, new_hash);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = list_signatures (fixture, id);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpuint (striae_consent_signature_get_revision (g_ptr_array_index (list, 1)), ==, 2);
  g_clear_pointer (&matching, g_ptr_array_unref);
  matching = striae_store_consent_signatures_matching (list, new_hash);
  g_assert_cmpuint (matching->len, ==, 1);
  assert_same_strokes (second, g_ptr_array_index (matching, 0));
}

/* Dark pixels of the first page of @path, rendered at 72 dpi, inside @box (points). */
static guint
dark_pixels (const char                  *path,
             const cairo_rectangle_t     *box)
{
  g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PopplerDocument) pdf = poppler_document_new_from_file (uri, NULL, &error);
  g_autoptr(PopplerPage) page = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  double w, h;
  guint dark = 0;
  int n;

  g_assert_no_error (error);
  n = poppler_document_get_n_pages (pdf);
  page = poppler_document_get_page (pdf, n - 1);
  poppler_page_get_size (page, &w, &h);
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) w, (int) h);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  poppler_page_render_for_printing (page, cr);
  cairo_surface_flush (surface);
  for (int y = (int) box->y;
       y < (int) (box->y + box->height) && y < cairo_image_surface_get_height (surface); y++)
    {
      const guint8 *data = cairo_image_surface_get_data (surface);
      const guint32 *row = (const guint32 *) (gconstpointer) (
                             data + y * cairo_image_surface_get_stride (surface));

      for (int x = (int) box->x;
           x < (int) (box->x + box->width) && x < cairo_image_surface_get_width (surface); x++)
        if ((row[x] & 0xff) < 0x80)
          dark++;
    }
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return dark;
}

/* The PDF carries the strokes: more ink on the last page than the same consent without
 * them, curves in its content, and the signer's name in its text. */
static void
test_pdf (Fixture       *fixture,
          gconstpointer  data)
{
  gint64 id = add_signed_consultation (fixture);
  g_autoptr(StriaeSheet) plain = compose_consent (fixture, id);
  g_autoptr(StriaeSheet) signed_sheet = compose_consent (fixture, id);
  g_autofree char *hash = striae_sheet_dup_content_hash (plain);
  g_autoptr(StriaeConsentSignature) patient = draw (STRIAE_CONSENT_SIGNER_PATIENT,
                                                    "Inès Moreau", 60);
  g_autoptr(StriaeConsentSignature) doctor = draw (STRIAE_CONSENT_SIGNER_PRACTITIONER,
                                                   "Dr Roux", 60);
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *plain_path = g_build_filename (fixture->dir, "plain.pdf", NULL);
  g_autofree char *signed_path = g_build_filename (fixture->dir, "signed.pdf", NULL);
  g_autofree char *uri = g_filename_to_uri (signed_path, NULL, NULL);
  g_autoptr(PopplerDocument) pdf = NULL;
  g_autoptr(PopplerPage) page = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  const cairo_rectangle_t page_box = { 0, 0, 10000, 10000 };
  guint plain_dark, signed_dark;

  sign (fixture, id, patient, hash);
  sign (fixture, id, doctor, hash);
  list = list_signatures (fixture, id);
  striae_sheet_set_signatures (signed_sheet, list);
  g_assert_null (striae_sheet_get_warnings (signed_sheet) != NULL ?
                 striae_sheet_get_warnings (signed_sheet)[0] : NULL);

  g_assert_true (striae_sheet_export_pdf (plain, plain_path, &error));
  g_assert_no_error (error);
  g_assert_true (striae_sheet_export_pdf (signed_sheet, signed_path, &error));
  g_assert_no_error (error);

  plain_dark = dark_pixels (plain_path, &page_box);
  signed_dark = dark_pixels (signed_path, &page_box);
  g_test_message ("dark pixels: %u without, %u with the signatures", plain_dark, signed_dark);
  g_assert_cmpuint (signed_dark, >, plain_dark + 200);

  pdf = poppler_document_new_from_file (uri, NULL, &error);
  g_assert_no_error (error);
  page = poppler_document_get_page (pdf, poppler_document_get_n_pages (pdf) - 1);
  text = poppler_page_get_text (page);
  g_assert_nonnull (strstr (text, "Signature: Inès Moreau"));
  g_assert_nonnull (strstr (text, "Signature: Dr Roux"));

  keep_to_look_at ("consent-signed.pdf", signed_path, NULL);
  g_unlink (plain_path);
  g_unlink (signed_path);
}

/* Only the consultation (by the file's number) and its signatures of an import. */
static GPtrArray *
imported_signatures (Fixture *fixture,
                     gint64   patient)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) consultations = striae_store_list_consultations (fixture->store,
                                                                       patient, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (consultations->len, ==, 1);
  return list_signatures (fixture,
                          striae_consultation_get_id (g_ptr_array_index (consultations, 0)));
}

static char *
replace (const char *text,
         const char *from,
         const char *to)
{
  g_auto(GStrv) parts = g_strsplit (text, from, 2);

  g_assert_nonnull (parts[1]);
  return g_strjoin (to, parts[0], parts[1], NULL);
}

/* The export carries the signatures and the import brings them back, strokes and all; a
 * file without them (an older version, another helper's) still imports; a damaged one is
 * refused whole. */
static void
test_transfer (Fixture       *fixture,
               gconstpointer  data)
{
  gint64 id = add_signed_consultation (fixture);
  g_autoptr(StriaeSheet) sheet = compose_consent (fixture, id);
  g_autofree char *hash = striae_sheet_dup_content_hash (sheet);
  g_autoptr(StriaeConsentSignature) patient = draw (STRIAE_CONSENT_SIGNER_PATIENT,
                                                    "Inès Moreau", 50);
  g_autoptr(StriaeConsentSignature) doctor = draw (STRIAE_CONSENT_SIGNER_PRACTITIONER,
                                                   "Dr Roux", 30);
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *without = NULL;
  g_autofree char *damaged = NULL;
  g_autofree char *member = NULL;
  gint64 imported;

  sign (fixture, id, patient, hash);
  sign (fixture, id, doctor, hash);
  json = striae_store_export_patient (fixture->store, fixture->patient, 0, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (json, "\"consent-signatures\""));
  g_assert_nonnull (strstr (json, hash));

  /* The export, to open the patient in the window. */
  keep_to_look_at ("consent-export.json", NULL, json);
  g_assert_true (striae_store_erase_patient (fixture->store, fixture->patient, &error));
  g_assert_no_error (error);

  /* A stroke's point outside the pad: refused, nothing imported. */
  member = g_strdup_printf ("\"consent-sha256\" : \"%s\"", hash);
  g_assert_nonnull (strstr (json, member));
  damaged = replace (json, "[\n              0.05", "[\n              1.05");
  g_assert_cmpint (striae_store_import_patient (fixture->store, damaged, -1, NULL, &error), ==,
                   0);
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  imported = striae_store_import_patient (fixture->store, json, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (imported, >, 0);
  list = imported_signatures (fixture, imported);
  g_assert_cmpuint (list->len, ==, 2);
  assert_same_strokes (patient, g_ptr_array_index (list, 0));
  assert_same_strokes (doctor, g_ptr_array_index (list, 1));
  g_assert_cmpstr (striae_consent_signature_get_consent_hash (g_ptr_array_index (list, 0)), ==,
                   hash);
  g_assert_cmpstr (striae_consent_signature_get_name (g_ptr_array_index (list, 0)), ==,
                   "Inès Moreau");
  g_assert_true (g_date_time_equal (
    striae_consent_signature_get_signed_at (g_ptr_array_index (list, 0)),
    striae_consent_signature_get_signed_at (patient)));
  g_clear_pointer (&list, g_ptr_array_unref);

  /* Without the member: the consultation comes, with no signature. */
  g_assert_true (striae_store_erase_patient (fixture->store, imported, &error));
  g_assert_no_error (error);
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autoptr(JsonGenerator) generator = json_generator_new ();

    g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
    json_object_remove_member (json_node_get_object (json_parser_get_root (parser)),
                               "consent-signatures");
    json_generator_set_root (generator, json_parser_get_root (parser));
    without = json_generator_to_data (generator, NULL);
  }
  imported = striae_store_import_patient (fixture->store, without, -1, NULL, &error);
  g_assert_no_error (error);
  list = imported_signatures (fixture, imported);
  g_assert_cmpuint (list->len, ==, 0);
}

/* Erasing the patient takes their signatures with them. */
static void
test_erasure (Fixture       *fixture,
              gconstpointer  data)
{
  gint64 id = add_signed_consultation (fixture);
  g_autoptr(StriaeConsentSignature) patient = draw (STRIAE_CONSENT_SIGNER_PATIENT, "Inès", 20);
  g_autoptr(GError) error = NULL;

  sign (fixture, id, patient,
        "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210");
  g_assert_cmpint (striae_test_store_query_int (fixture->location,
                                                "SELECT count (*) FROM consent_signatures"),
                   ==, 1);
  g_assert_true (striae_store_erase_patient (fixture->store, fixture->patient, &error));
  g_assert_no_error (error);
  g_assert_cmpint (striae_test_store_query_int (fixture->location,
                                                "SELECT count (*) FROM consent_signatures"),
                   ==, 0);
}

/* A typed name (issue 18) instead of strokes: kept as typed in the same JSON text, read back
 * strictly; it stands alone, never next to strokes, and is never empty. */
static void
test_typed_json (void)
{
  g_autoptr(StriaeConsentSignature) typed = striae_consent_signature_new (
    STRIAE_CONSENT_SIGNER_PATIENT);
  g_autoptr(StriaeConsentSignature) back = striae_consent_signature_new (
    STRIAE_CONSENT_SIGNER_PATIENT);
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;

  g_assert_true (striae_consent_signature_is_empty (typed));
  striae_consent_signature_set_typed (typed, "  ");
  g_assert_true (striae_consent_signature_is_empty (typed));
  striae_consent_signature_set_typed (typed, " Ine\xcc\x80s \"Mo\\reau\" ");
  g_assert_false (striae_consent_signature_is_empty (typed));
  /* NFC, no white space at either end, quotes and backslashes kept. */
  g_assert_cmpstr (striae_consent_signature_get_typed (typed), ==, "Inès \"Mo\\reau\"");
  json = striae_consent_signature_strokes_to_json (typed);
  g_assert_true (striae_consent_signature_set_strokes_from_json (back, json, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (striae_consent_signature_get_typed (back), ==, "Inès \"Mo\\reau\"");
  g_assert_cmpuint (striae_consent_signature_get_n_strokes (back), ==, 0);

  /* A drawing replaces the typed name. */
  striae_consent_signature_begin_stroke (back);
  g_assert_null (striae_consent_signature_get_typed (back));

  /* Strokes and a typed name together, or an empty one: refused, nothing changed. */
  g_assert_false (striae_consent_signature_set_strokes_from_json (
    typed, "{\"format\":1,\"strokes\":[[[0.1,0.1,0]]],\"typed\":\"Inès\"}", &error));
  g_assert_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "$.typed"));
  g_clear_error (&error);
  g_assert_false (striae_consent_signature_set_strokes_from_json (
    typed, "{\"format\":1,\"strokes\":[],\"typed\":\"\"}", &error));
  g_assert_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (striae_consent_signature_set_strokes_from_json (
    typed, "{\"format\":1,\"strokes\":[],\"typed\":7}", &error));
  g_assert_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpstr (striae_consent_signature_get_typed (typed), ==, "Inès \"Mo\\reau\"");
}

static StriaeConsentSignature *
type_name (StriaeConsentSigner  signer,
           const char          *name,
           const char          *typed)
{
  StriaeConsentSignature *signature = striae_consent_signature_new (signer);

  striae_consent_signature_set_name (signature, name);
  striae_consent_signature_set_typed (signature, typed);
  return signature;
}

static void
set_typed_allowed (StriaeStore  *store,
                   gboolean      allowed,
                   GError      **error)
{
  g_autoptr(StriaeClinic) stored = striae_store_load_clinic (store, error);

  g_assert_nonnull (stored);
  striae_clinic_set_typed_signature (stored, allowed);
  striae_store_save_clinic (store, stored, NULL, error);
}

static gboolean
typed_allowed (StriaeStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StriaeClinic) stored = striae_store_load_clinic (store, &error);

  g_assert_no_error (error);
  return striae_clinic_get_typed_signature (stored);
}

/* The clinic's setting: off by default, and a typed name is refused then; only an
 * administrator turns it on (a practitioner's save is refused and changes nothing); once on,
 * the practitioner's screen takes the patient's typed name, audited as such. */
static void
test_typed_setting (Fixture       *fixture,
                    gconstpointer  data)
{
  gint64 id = add_signed_consultation (fixture);
  g_autoptr(StriaeSheet) sheet = compose_consent (fixture, id);
  g_autofree char *hash = striae_sheet_dup_content_hash (sheet);
  g_autoptr(StriaeConsentSignature) typed = type_name (STRIAE_CONSENT_SIGNER_PATIENT,
                                                       "Inès Moreau", "Inès Moreau");
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *detail = NULL;
  gboolean server = striae_store_is_server_location (fixture->location);

  g_assert_false (typed_allowed (fixture->store));
  striae_consent_signature_set_consent_hash (typed, hash);
  g_assert_false (striae_store_save_consent_signature (fixture->store, id, typed, &error));
  g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  g_assert_cmpint (striae_test_store_count_audit (fixture->location, "consent-sign"), ==, 0);

  if (server)
    {
      /* A server's logins are its roles: test-clinic-preferences' read-only case has a
       * practitioner's save of the clinic refused by the server; here the owner turns it
       * on. */
      set_typed_allowed (fixture->store, TRUE, &error);
      g_assert_no_error (error);
      g_assert_true (typed_allowed (fixture->store));
    }
  else
    {
      g_assert_true (striae_store_create_first_admin (fixture->store, "boss", "Dr Anne Roux",
                                                      "correct horse", &error));
      g_assert_no_error (error);
      g_assert_true (striae_store_add_account (fixture->store, "doc", "Dr Roux",
                                               STRIAE_STAFF_ROLE_PRACTITIONER,
                                               "battery staple", &error));
      g_assert_no_error (error);
      striae_store_sign_out (fixture->store);

      g_assert_true (striae_store_sign_in (fixture->store, "doc", "battery staple", &error));
      g_assert_no_error (error);
      set_typed_allowed (fixture->store, TRUE, &error);
      g_assert_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_ALLOWED);
      g_clear_error (&error);
      g_assert_false (typed_allowed (fixture->store));
      striae_store_sign_out (fixture->store);

      g_assert_true (striae_store_sign_in (fixture->store, "boss", "correct horse", &error));
      g_assert_no_error (error);
      set_typed_allowed (fixture->store, TRUE, &error);
      g_assert_no_error (error);
      g_assert_true (typed_allowed (fixture->store));
      striae_store_sign_out (fixture->store);

      g_assert_true (striae_store_sign_in (fixture->store, "doc", "battery staple", &error));
      g_assert_no_error (error);
    }
  g_assert_true (striae_store_save_consent_signature (fixture->store, id, typed, &error));
  g_assert_no_error (error);
  list = list_signatures (fixture, id);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (striae_consent_signature_get_typed (g_ptr_array_index (list, 0)), ==,
                   "Inès Moreau");
  g_assert_cmpstr (striae_consent_signature_get_consent_hash (g_ptr_array_index (list, 0)), ==,
                   hash);
  if (!server)
    g_assert_cmpstr (striae_consent_signature_get_signed_by (g_ptr_array_index (list, 0)), ==,
                     "account:doc");
  g_assert_nonnull (striae_consent_signature_get_signed_at (g_ptr_array_index (list, 0)));
  detail = striae_test_store_query_text (fixture->location,
                                         "SELECT detail FROM audit WHERE action = "
                                         "'consent-sign'");
  g_assert_nonnull (strstr (detail, "typed name"));
}

/* The typed name on the consent's PDF, marked as typed, and through export and import. */
static void
test_typed_pdf (Fixture       *fixture,
                gconstpointer  data)
{
  gint64 id = add_signed_consultation (fixture);
  g_autoptr(StriaeSheet) sheet = compose_consent (fixture, id);
  g_autofree char *hash = striae_sheet_dup_content_hash (sheet);
  g_autoptr(StriaeConsentSignature) patient = type_name (STRIAE_CONSENT_SIGNER_PATIENT,
                                                         "Inès Moreau", "Inès Moreau");
  g_autoptr(StriaeConsentSignature) doctor = draw (STRIAE_CONSENT_SIGNER_PRACTITIONER,
                                                   "Dr Roux", 40);
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GPtrArray) imported_list = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "typed.pdf", NULL);
  g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);
  g_autoptr(PopplerDocument) pdf = NULL;
  g_autoptr(PopplerPage) page = NULL;
  g_autofree char *text = NULL;
  g_autofree char *json = NULL;
  g_autoptr(GError) error = NULL;
  gint64 imported;

  set_typed_allowed (fixture->store, TRUE, &error);
  g_assert_no_error (error);
  sign (fixture, id, patient, hash);
  sign (fixture, id, doctor, hash);
  list = list_signatures (fixture, id);
  striae_sheet_set_signatures (sheet, list);
  g_assert_true (striae_sheet_export_pdf (sheet, path, &error));
  g_assert_no_error (error);

  pdf = poppler_document_new_from_file (uri, NULL, &error);
  g_assert_no_error (error);
  page = poppler_document_get_page (pdf, poppler_document_get_n_pages (pdf) - 1);
  text = poppler_page_get_text (page);
  g_assert_nonnull (strstr (text, "Inès Moreau (typed)"));
  g_assert_nonnull (strstr (text, "Signature: Inès Moreau"));
  g_assert_null (strstr (text, "Dr Roux (typed)"));
  keep_to_look_at ("consent-typed.pdf", path, NULL);
  g_unlink (path);

  json = striae_store_export_patient (fixture->store, fixture->patient, 0, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (json, "\"typed\""));
  g_assert_true (striae_store_erase_patient (fixture->store, fixture->patient, &error));
  g_assert_no_error (error);
  imported = striae_store_import_patient (fixture->store, json, -1, NULL, &error);
  g_assert_no_error (error);
  imported_list = imported_signatures (fixture, imported);
  g_assert_cmpuint (imported_list->len, ==, 2);
  g_assert_cmpstr (striae_consent_signature_get_typed (g_ptr_array_index (imported_list, 0)),
                   ==, "Inès Moreau");
  g_assert_null (striae_consent_signature_get_typed (g_ptr_array_index (imported_list, 1)));
  assert_same_strokes (doctor, g_ptr_array_index (imported_list, 1));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/consent/json-round-trip", test_json_round_trip);
  g_test_add_func ("/consent/strict-parser", test_strict_parser);
  g_test_add_func ("/consent/typed-json", test_typed_json);
#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, striae_test_records_set_up, func, \
              striae_test_records_tear_down)
  ADD ("/consent/store-round-trip", test_store_round_trip);
  ADD ("/consent/refused", test_refused);
  ADD ("/consent/amendment", test_amendment);
  ADD ("/consent/pdf", test_pdf);
  ADD ("/consent/erasure", test_erasure);
  ADD ("/consent/transfer", test_transfer);
  ADD ("/consent/typed-setting", test_typed_setting);
  ADD ("/consent/typed-pdf", test_typed_pdf);
#undef ADD

  return g_test_run ();
}
