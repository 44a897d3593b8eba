/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "striae-consent-dialog.h"
#include "striae-resources.h"
#include "striae-signature-pad.h"
#include "striae-test-window.h"

/* Signing the consent on the screen (issue 18): the window shows the consent and a pad for
 * each signer; strokes drawn on the pad (through its API, and through a synthetic drag) are
 * saved, then shown locked; a minor's guardian types a name first; an amendment that changes
 * the consent asks for new signatures. Set STRIAE_SCREENSHOT_DIR to keep a PNG of each
 * window, to look at them. */

typedef struct
{
  StriaeTestWindow tw;
} Fixture;

/* @data: "minor" for a patient of 14 (Léa), whose guardian signs. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  striae_test_window_set_up (&fixture->tw, "striae-consent-ui");
  striae_test_window_add_patient (&fixture->tw, data != NULL ? "Léa" : "Inès",
                                  data != NULL ? "2011-04-02" : "1991-04-02");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  striae_test_window_tear_down (&fixture->tw);
}

/* A signed consultation of the patient, its findings (a minor's "Patient under 18")
 * acknowledged: one thigh area at 1 mm with a pen, 3 sessions. */
static gint64
add_signed_consultation (Fixture *fixture)
{
  return striae_consultation_get_id (striae_test_window_add_course (&fixture->tw,
                                                                    STRIAE_SIDE_NOT_APPLICABLE));
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
  c = striae_store_get_consultation (fixture->tw.store, id, &error);
  g_assert_no_error (error);
  patient = striae_store_get_patient (fixture->tw.store,
                                      striae_patient_get_id (fixture->tw.patient), &error);
  g_assert_no_error (error);
  dialog = striae_consent_dialog_new (NULL, fixture->tw.store, settings, patient, c, &error);
  g_assert_no_error (error);
  g_assert_nonnull (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  striae_test_spin (300);
  return dialog;
}

/* striae_consent_dialog_new() gives its caller a reference of its own, besides the one of
 * the window list that gtk_window_destroy() drops. */
static void
close_dialog (StriaeConsentDialog *dialog)
{
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_object_unref (dialog);
}

static guint
count_signatures (Fixture *fixture,
                  gint64   id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = striae_store_list_consent_signatures (fixture->tw.store, id,
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
  striae_test_spin (100);
  striae_test_window_save_png (GTK_WIDGET (dialog), "consent-dialog-drawn.png");

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
  striae_test_spin (200);
  striae_test_window_save_png (GTK_WIDGET (dialog), "consent-dialog-signed.png");
  close_dialog (dialog);

  /* Opened again, both show as signed. */
  dialog = open_dialog (fixture, id);
  g_assert_true (striae_consent_dialog_is_signed (dialog, STRIAE_CONSENT_SIGNER_PATIENT));
  g_assert_true (striae_consent_dialog_is_signed (dialog,
                                                  STRIAE_CONSENT_SIGNER_PRACTITIONER));
  close_dialog (dialog);
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
  striae_test_spin (200);
  striae_test_window_save_png (GTK_WIDGET (dialog), "consent-dialog-guardian.png");
  gtk_widget_activate_action (GTK_WIDGET (dialog), "consent.save-patient", NULL);

  list = striae_store_list_consent_signatures (fixture->tw.store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpint (striae_consent_signature_get_signer (g_ptr_array_index (list, 0)), ==,
                   STRIAE_CONSENT_SIGNER_GUARDIAN);
  g_assert_cmpstr (striae_consent_signature_get_name (g_ptr_array_index (list, 0)), ==,
                   "Claire Moreau");
  /* The drag's first point made a stroke of its own before the API's. */
  g_assert_cmpuint (striae_consent_signature_get_n_strokes (g_ptr_array_index (list, 0)), ==,
                    2);
  close_dialog (dialog);
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
  close_dialog (dialog);

  clinic = striae_store_load_clinic (fixture->tw.store, &error);
  g_assert_no_error (error);
  striae_clinic_set_typed_signature (clinic, TRUE);
  g_assert_true (striae_store_save_clinic (fixture->tw.store, clinic, NULL, &error));
  g_assert_no_error (error);

  dialog = open_dialog (fixture, id);
  row = find_row_titled (GTK_WIDGET (dialog), title);
  g_assert_true (gtk_widget_get_visible (row));
  gtk_widget_activate_action (GTK_WIDGET (dialog), "consent.save-patient", NULL);
  g_assert_cmpuint (count_signatures (fixture, id), ==, 0);
  gtk_editable_set_text (GTK_EDITABLE (row), " Inès Moreau ");
  striae_test_spin (200);
  striae_test_window_save_png (GTK_WIDGET (dialog), "consent-dialog-typed.png");
  gtk_widget_activate_action (GTK_WIDGET (dialog), "consent.save-patient", NULL);

  list = striae_store_list_consent_signatures (fixture->tw.store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (striae_consent_signature_get_typed (g_ptr_array_index (list, 0)), ==,
                   "Inès Moreau");
  g_assert_cmpuint (striae_consent_signature_get_n_strokes (g_ptr_array_index (list, 0)), ==,
                    0);
  g_assert_true (striae_consent_dialog_is_signed (dialog, STRIAE_CONSENT_SIGNER_PATIENT));
  g_assert_false (gtk_widget_get_visible (row));
  striae_test_spin (200);
  striae_test_window_save_png (GTK_WIDGET (dialog), "consent-dialog-typed-signed.png");
  close_dialog (dialog);
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
  close_dialog (dialog);

  amended = striae_store_amend_consultation (fixture->tw.store, id, "Dr Roux", "More sessions",
                                             &error);
  g_assert_no_error (error);
  striae_plan_set_sessions (striae_consultation_get_plan (amended), 6);
  striae_consultation_set_status (amended, STRIAE_CONSULTATION_STATUS_COMPLETE);
  g_assert_true (striae_store_save_consultation (fixture->tw.store, amended, "Dr Roux", &error));
  g_assert_no_error (error);
  g_assert_true (striae_store_sign_consultation (fixture->tw.store, id, "Dr Roux", &error));
  g_assert_no_error (error);

  dialog = open_dialog (fixture, id);
  g_assert_cmpstr (striae_consent_dialog_get_consent_hash (dialog), !=, old_hash);
  g_assert_false (striae_consent_dialog_is_signed (dialog, STRIAE_CONSENT_SIGNER_PATIENT));
  striae_test_spin (200);
  striae_test_window_save_png (GTK_WIDGET (dialog), "consent-dialog-amended.png");
  striae_signature_pad_add_stroke (striae_consent_dialog_get_pad (
                                     dialog, STRIAE_CONSENT_SIGNER_PATIENT),
                                   zigzag, G_N_ELEMENTS (zigzag) / 2);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "consent.save-patient", NULL);
  g_assert_cmpuint (count_signatures (fixture, id), ==, 2);
  g_assert_true (striae_consent_dialog_is_signed (dialog, STRIAE_CONSENT_SIGNER_PATIENT));
  close_dialog (dialog);
}

/* A photo for tests/a11y-photos.py to add through the command line: a JPEG of 640 × 480, a
 * gradient in @red's tone. */
static void
write_photo (const char *path,
             guint8      red)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 640, 480);
  g_autoptr(GError) error = NULL;
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);

  for (int y = 0; y < 480; y++)
    for (int x = 0; x < 640; x++)
      {
        guint8 *p = pixels + y * stride + x * 3;

        p[0] = red;
        p[1] = (guint8) (120 + 100 * x / 640);
        p[2] = (guint8) (100 + 100 * y / 480);
      }
  g_assert_true (gdk_pixbuf_save (pixbuf, path, "jpeg", &error, "quality", "85", NULL));
  g_assert_no_error (error);
}

/* For tests/a11y-photos.py: records in @dir (the test's administrator, Inès Moreau with a
 * signed course on her left thigh) and two photos beside them, photo-1.jpg and photo-2.jpg,
 * which the walk adds through the command line; prints the patient's and the
 * consultation's numbers. */
static int
make_walk_records (const char *dir)
{
  StriaeTestWindow tw;

  gtk_init ();
  striae_test_window_set_up_in (&tw, dir);
  striae_test_window_add_patient (&tw, NULL, NULL);
  striae_test_window_add_course (&tw, STRIAE_SIDE_LEFT);
  for (guint i = 1; i <= 2; i++)
    {
      g_autofree char *name = g_strdup_printf ("photo-%u.jpg", i);
      g_autofree char *path = g_build_filename (dir, name, NULL);

      write_photo (path, i == 1 ? 200 : 90);
    }
  g_print ("%" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n", striae_patient_get_id (tw.patient),
           striae_consultation_get_id (tw.consultation));
  striae_test_window_tear_down (&tw);
  return 0;
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

  if (argc > 2 && g_str_equal (argv[1], "--walk-records"))
    return make_walk_records (argv[2]);

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
