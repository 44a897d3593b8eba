/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "striae-consent-dialog.h"
#include "striae-resources.h"
#include "striae-screening.h"
#include "striae-signature-pad.h"
#include "striae-test-date.h"

/* Signing the consent on the screen (issue 18): the window shows the consent and a pad for
 * each signer; strokes drawn on the pad (through its API, and through a synthetic drag) are
 * saved, then shown locked; a minor's guardian types a name first; an amendment that changes
 * the consent asks for new signatures. Set STRIAE_SCREENSHOT_DIR to keep a PNG of each
 * window, to look at them. */

typedef struct
{
  char        *dir;
  char        *path;
  StriaeStore *store;
  gint64       patient;
} Fixture;

static void
spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < end)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (2 * G_TIME_SPAN_MILLISECOND);
}

static void
screenshot (GtkWidget  *widget,
            const char *name)
{
  const char *dir = g_getenv ("STRIAE_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;
  int width, height;

  if (dir == NULL)
    return;
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  file = g_strconcat (name, ".png", NULL);
  path = g_build_filename (dir, file, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(StriaePatient) patient = striae_patient_new ();
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("striae-consent-ui-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "records.db", NULL);
  fixture->store = striae_store_open (fixture->path, &error);
  g_assert_no_error (error);
  striae_patient_set_given_name (patient, data != NULL ? "Léa" : "Inès");
  striae_patient_set_family_name (patient, "Moreau");
  striae_patient_set_birth_date (patient, striae_test_date (data != NULL ? "2011-04-02"
                                                                          : "1991-04-02"));
  g_assert_true (striae_store_add_patient (fixture->store, patient, &error));
  g_assert_no_error (error);
  fixture->patient = striae_patient_get_id (patient);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  for (const char *suffix = ""; suffix != NULL;
       suffix = *suffix == '\0' ? "-wal" : g_str_equal (suffix, "-wal") ? "-shm" : NULL)
    {
      g_autofree char *file = g_strconcat (fixture->path, suffix, NULL);

      g_unlink (file);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

/* Every screening finding acknowledged (a minor's "Patient under 18"), as the practitioner
 * does before completing the plan. */
static void
acknowledge_all (Fixture            *fixture,
                 StriaeConsultation *consultation)
{
  g_autoptr(StriaeRules) rules = striae_rules_new ();
  g_autoptr(StriaePatient) patient = NULL;
  g_autoptr(StriaeScreening) screening = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *findings;

  patient = striae_store_get_patient (fixture->store, fixture->patient, &error);
  g_assert_no_error (error);
  screening = striae_screen (consultation, rules, striae_patient_get_birth_date (patient),
                             striae_consultation_get_date (consultation));
  findings = striae_screening_get_findings (screening);
  for (guint i = 0; i < g_list_model_get_n_items (findings); i++)
    {
      g_autoptr(StriaeFinding) finding = g_list_model_get_item (findings, i);

      striae_consultation_set_acknowledged (consultation, striae_finding_get_id (finding),
                                            TRUE);
    }
}

static gint64
add_signed_consultation (Fixture *fixture)
{
  g_autoptr(StriaeConsultation) c = striae_consultation_new ();
  g_autoptr(StriaeArea) area = striae_area_new (STRIAE_BODY_SITE_THIGHS);
  StriaePlan *plan = striae_consultation_get_plan (c);
  g_autoptr(GError) error = NULL;

  striae_consultation_set_patient_id (c, fixture->patient);
  striae_consultation_set_date (c, striae_test_date ("2026-03-02"));
  striae_consultation_set_practitioner (c, "Dr Roux");
  for (guint q = 0; q < STRIAE_N_QUESTIONS; q++)
    striae_history_set_answer (striae_consultation_get_history (c), q, STRIAE_ANSWER_NO);
  for (guint f = 0; f < STRIAE_N_SKIN_FACTS; f++)
    striae_skin_set_fact (striae_consultation_get_skin (c), f, STRIAE_ANSWER_NO);
  striae_skin_set_fitzpatrick (striae_consultation_get_skin (c), 3);
  striae_area_set_severity (area, STRIAE_SEVERITY_MODERATE);
  striae_area_set_mark_type (area, STRIAE_MARK_TYPE_ALBAE);
  striae_area_set_depth (area, 1.0);
  striae_consultation_add_area (c, area);
  striae_plan_set_device (plan, STRIAE_DEVICE_PEN);
  striae_plan_set_sessions (plan, 3);
  striae_plan_set_interval_weeks (plan, 4);
  striae_plan_set_first_session (plan, striae_test_date ("2026-03-09"));
  acknowledge_all (fixture, c);
  striae_consultation_set_status (c, STRIAE_CONSULTATION_STATUS_COMPLETE);
  g_assert_true (striae_store_save_consultation (fixture->store, c, "Dr Roux", &error));
  g_assert_no_error (error);
  g_assert_true (striae_store_sign_consultation (fixture->store,
                                                 striae_consultation_get_id (c), "Dr Roux",
                                                 &error));
  g_assert_no_error (error);
  return striae_consultation_get_id (c);
}

static StriaeConsentDialog *
open_dialog (Fixture *fixture,
             gint64   id)
{
  g_autoptr(StriaeConsultation) c = NULL;
  g_autoptr(StriaePatient) patient = NULL;
  g_autoptr(GSettings) settings = g_settings_new ("io.github.striae.Striae");
  g_autoptr(GError) error = NULL;
  StriaeConsentDialog *dialog;

  g_settings_set_string (settings, "clinic-name", "Clinique du Parc");
  g_settings_set_string (settings, "clinic-phone", "+33 1 23 45 67 89");
  c = striae_store_get_consultation (fixture->store, id, &error);
  g_assert_no_error (error);
  patient = striae_store_get_patient (fixture->store, fixture->patient, &error);
  g_assert_no_error (error);
  dialog = striae_consent_dialog_new (NULL, fixture->store, settings, patient, c, &error);
  g_assert_no_error (error);
  g_assert_nonnull (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  spin (300);
  return dialog;
}

static guint
count_signatures (Fixture *fixture,
                  gint64   id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = striae_store_list_consent_signatures (fixture->store, id,
                                                                    &error);

  g_assert_no_error (error);
  return list->len;
}

static const double zigzag[] = {
  0.05, 0.7, 0.15, 0.2, 0.25, 0.75, 0.35, 0.25, 0.45, 0.7, 0.55, 0.3, 0.65, 0.65, 0.8, 0.4,
};

/* A drag across the pad as a pointer would make it: the gesture's own signals. */
static void
drag_on (StriaeSignaturePad *pad)
{
  GtkWidget *area = gtk_widget_get_first_child (gtk_widget_get_first_child (
                      gtk_widget_get_first_child (GTK_WIDGET (pad))));
  g_autoptr(GListModel) controllers = NULL;
  GtkGestureDrag *drag = NULL;

  g_assert_true (GTK_IS_DRAWING_AREA (area));
  controllers = gtk_widget_observe_controllers (area);
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_GESTURE_DRAG (controller))
        drag = GTK_GESTURE_DRAG (controller);
    }
  g_assert_nonnull (drag);
  g_signal_emit_by_name (drag, "drag-begin", 20.0, 40.0);
}

static void
test_sign (Fixture       *fixture,
           gconstpointer  data)
{
  gint64 id = add_signed_consultation (fixture);
  StriaeConsentDialog *dialog = open_dialog (fixture, id);
  StriaeSignaturePad *patient = striae_consent_dialog_get_pad (dialog,
                                                               STRIAE_CONSENT_SIGNER_PATIENT);
  StriaeSignaturePad *doctor = striae_consent_dialog_get_pad (dialog,
                                                              STRIAE_CONSENT_SIGNER_PRACTITIONER);

  g_assert_true (striae_signature_pad_get_empty (patient));
  g_assert_false (striae_consent_dialog_is_signed (dialog, STRIAE_CONSENT_SIGNER_PATIENT));

  /* Nothing drawn: the save does nothing (its action is disabled). */
  gtk_widget_activate_action (GTK_WIDGET (dialog), "consent.save-patient", NULL);
  g_assert_cmpuint (count_signatures (fixture, id), ==, 0);

  /* Draw, undo, draw again. */
  striae_signature_pad_add_stroke (patient, zigzag, G_N_ELEMENTS (zigzag) / 2);
  g_assert_false (striae_signature_pad_get_empty (patient));
  gtk_widget_activate_action (GTK_WIDGET (patient), "pad.undo", NULL);
  g_assert_true (striae_signature_pad_get_empty (patient));
  striae_signature_pad_add_stroke (patient, zigzag, G_N_ELEMENTS (zigzag) / 2);
  striae_signature_pad_add_stroke (doctor, zigzag, G_N_ELEMENTS (zigzag) / 2);
  spin (100);
  screenshot (GTK_WIDGET (dialog), "consent-dialog-drawn");

  gtk_widget_activate_action (GTK_WIDGET (dialog), "consent.save-patient", NULL);
  g_assert_cmpuint (count_signatures (fixture, id), ==, 1);
  g_assert_true (striae_consent_dialog_is_signed (dialog, STRIAE_CONSENT_SIGNER_PATIENT));
  g_assert_true (striae_signature_pad_get_locked (patient));

  /* A locked pad takes no more ink, and a second save does nothing. */
  striae_signature_pad_add_stroke (patient, zigzag, 3);
  gtk_widget_activate_action (GTK_WIDGET (patient), "pad.clear", NULL);
  g_assert_false (striae_signature_pad_get_empty (patient));
  gtk_widget_activate_action (GTK_WIDGET (dialog), "consent.save-patient", NULL);
  g_assert_cmpuint (count_signatures (fixture, id), ==, 1);

  gtk_widget_activate_action (GTK_WIDGET (dialog), "consent.save-practitioner", NULL);
  g_assert_cmpuint (count_signatures (fixture, id), ==, 2);
  g_assert_true (striae_consent_dialog_is_signed (dialog,
                                                  STRIAE_CONSENT_SIGNER_PRACTITIONER));
  spin (200);
  screenshot (GTK_WIDGET (dialog), "consent-dialog-signed");
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* Opened again, both show as signed. */
  dialog = open_dialog (fixture, id);
  g_assert_true (striae_consent_dialog_is_signed (dialog, STRIAE_CONSENT_SIGNER_PATIENT));
  g_assert_true (striae_consent_dialog_is_signed (dialog,
                                                  STRIAE_CONSENT_SIGNER_PRACTITIONER));
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static GtkWidget *
find_entry_row (GtkWidget *widget)
{
  if (ADW_IS_ENTRY_ROW (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_entry_row (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A minor's consent: the guardian signs, and types their name first. */
static void
test_guardian (Fixture       *fixture,
               gconstpointer  data)
{
  gint64 id = add_signed_consultation (fixture);
  StriaeConsentDialog *dialog = open_dialog (fixture, id);
  StriaeSignaturePad *pad = striae_consent_dialog_get_pad (dialog,
                                                           STRIAE_CONSENT_SIGNER_GUARDIAN);
  GtkWidget *row;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;

  drag_on (pad);
  striae_signature_pad_add_stroke (pad, zigzag, G_N_ELEMENTS (zigzag) / 2);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "consent.save-patient", NULL);
  g_assert_cmpuint (count_signatures (fixture, id), ==, 0);

  row = GTK_WIDGET (gtk_widget_get_ancestor (GTK_WIDGET (pad), ADW_TYPE_PREFERENCES_GROUP));
  g_assert_nonnull (row);
  row = find_entry_row (row);
  g_assert_true (ADW_IS_ENTRY_ROW (row));
  g_assert_true (gtk_widget_get_visible (row));
  gtk_editable_set_text (GTK_EDITABLE (row), "Claire Moreau");
  spin (200);
  screenshot (GTK_WIDGET (dialog), "consent-dialog-guardian");
  gtk_widget_activate_action (GTK_WIDGET (dialog), "consent.save-patient", NULL);

  list = striae_store_list_consent_signatures (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpint (striae_consent_signature_get_signer (g_ptr_array_index (list, 0)), ==,
                   STRIAE_CONSENT_SIGNER_GUARDIAN);
  g_assert_cmpstr (striae_consent_signature_get_name (g_ptr_array_index (list, 0)), ==,
                   "Claire Moreau");
  /* The drag's first point made a stroke of its own before the API's. */
  g_assert_cmpuint (striae_consent_signature_get_n_strokes (g_ptr_array_index (list, 0)), ==,
                    2);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static GtkWidget *
find_row_titled (GtkWidget  *widget,
                 const char *title)
{
  if (ADW_IS_PREFERENCES_ROW (widget) &&
      g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_row_titled (child, title);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A typed name instead of a drawing (issue 18): not offered until the clinic allows it;
 * then the typed name alone signs, and is kept as typed. */
static void
test_typed (Fixture       *fixture,
            gconstpointer  data)
{
  const char *title = "Or type the full name to sign instead of drawing";
  gint64 id = add_signed_consultation (fixture);
  StriaeConsentDialog *dialog = open_dialog (fixture, id);
  g_autoptr(StriaeClinic) clinic = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *row = find_row_titled (GTK_WIDGET (dialog), title);

  g_assert_nonnull (row);
  g_assert_false (gtk_widget_get_visible (row));
  gtk_window_destroy (GTK_WINDOW (dialog));

  clinic = striae_store_load_clinic (fixture->store, &error);
  g_assert_no_error (error);
  striae_clinic_set_typed_signature (clinic, TRUE);
  g_assert_true (striae_store_save_clinic (fixture->store, clinic, NULL, &error));
  g_assert_no_error (error);

  dialog = open_dialog (fixture, id);
  row = find_row_titled (GTK_WIDGET (dialog), title);
  g_assert_true (gtk_widget_get_visible (row));
  gtk_widget_activate_action (GTK_WIDGET (dialog), "consent.save-patient", NULL);
  g_assert_cmpuint (count_signatures (fixture, id), ==, 0);
  gtk_editable_set_text (GTK_EDITABLE (row), " Inès Moreau ");
  spin (200);
  screenshot (GTK_WIDGET (dialog), "consent-dialog-typed");
  gtk_widget_activate_action (GTK_WIDGET (dialog), "consent.save-patient", NULL);

  list = striae_store_list_consent_signatures (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (striae_consent_signature_get_typed (g_ptr_array_index (list, 0)), ==,
                   "Inès Moreau");
  g_assert_cmpuint (striae_consent_signature_get_n_strokes (g_ptr_array_index (list, 0)), ==,
                    0);
  g_assert_true (striae_consent_dialog_is_signed (dialog, STRIAE_CONSENT_SIGNER_PATIENT));
  g_assert_false (gtk_widget_get_visible (row));
  spin (200);
  screenshot (GTK_WIDGET (dialog), "consent-dialog-typed-signed");
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* After an amendment that changes the consent, the old signatures no longer hold. */
static void
test_amended (Fixture       *fixture,
              gconstpointer  data)
{
  gint64 id = add_signed_consultation (fixture);
  StriaeConsentDialog *dialog = open_dialog (fixture, id);
  g_autofree char *old_hash = g_strdup (striae_consent_dialog_get_consent_hash (dialog));
  g_autoptr(StriaeConsultation) amended = NULL;
  g_autoptr(GError) error = NULL;

  striae_signature_pad_add_stroke (striae_consent_dialog_get_pad (
                                     dialog, STRIAE_CONSENT_SIGNER_PATIENT),
                                   zigzag, G_N_ELEMENTS (zigzag) / 2);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "consent.save-patient", NULL);
  g_assert_cmpuint (count_signatures (fixture, id), ==, 1);
  gtk_window_destroy (GTK_WINDOW (dialog));

  amended = striae_store_amend_consultation (fixture->store, id, "Dr Roux", "More sessions",
                                             &error);
  g_assert_no_error (error);
  striae_plan_set_sessions (striae_consultation_get_plan (amended), 6);
  striae_consultation_set_status (amended, STRIAE_CONSULTATION_STATUS_COMPLETE);
  g_assert_true (striae_store_save_consultation (fixture->store, amended, "Dr Roux", &error));
  g_assert_no_error (error);
  g_assert_true (striae_store_sign_consultation (fixture->store, id, "Dr Roux", &error));
  g_assert_no_error (error);

  dialog = open_dialog (fixture, id);
  g_assert_cmpstr (striae_consent_dialog_get_consent_hash (dialog), !=, old_hash);
  g_assert_false (striae_consent_dialog_is_signed (dialog, STRIAE_CONSENT_SIGNER_PATIENT));
  spin (200);
  screenshot (GTK_WIDGET (dialog), "consent-dialog-amended");
  striae_signature_pad_add_stroke (striae_consent_dialog_get_pad (
                                     dialog, STRIAE_CONSENT_SIGNER_PATIENT),
                                   zigzag, G_N_ELEMENTS (zigzag) / 2);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "consent.save-patient", NULL);
  g_assert_cmpuint (count_signatures (fixture, id), ==, 2);
  g_assert_true (striae_consent_dialog_is_signed (dialog, STRIAE_CONSENT_SIGNER_PATIENT));
  gtk_window_destroy (GTK_WINDOW (dialog));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *localedir = g_build_filename (g_getenv ("STRIAE_BUILD_ROOT"), "po", NULL);

  g_setenv ("LANGUAGE", "C", TRUE);
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_assert_nonnull (striae_get_resource ());

  g_test_add ("/consent-dialog/sign", Fixture, NULL, fixture_set_up, test_sign,
              fixture_tear_down);
  g_test_add ("/consent-dialog/guardian", Fixture, "minor", fixture_set_up, test_guardian,
              fixture_tear_down);
  g_test_add ("/consent-dialog/typed", Fixture, NULL, fixture_set_up, test_typed,
              fixture_tear_down);
  g_test_add ("/consent-dialog/amended", Fixture, NULL, fixture_set_up, test_amended,
              fixture_tear_down);

  return g_test_run ();
}
