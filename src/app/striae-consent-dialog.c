/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "striae-consent-dialog.h"
#include "striae-sheet-delivery.h"

/* "Sign Consent on Screen" (issue 18): the consent as the patient reads it (the very sheet
 * the print and the PDF give, composed by the one delivery, in the patient's language), then
 * a pad for the patient, or for a minor's parent or guardian with their typed name, and one
 * for the practitioner. Each signature is saved with the date and time and the SHA-256 of
 * that text, and is then shown locked. A consent amended since it was signed reads otherwise:
 * the old signatures no longer match, the window says so and takes new ones. */

#define PAGE_WIDTH 560

struct _StriaeConsentDialog
{
  AdwWindow            parent_instance;

  AdwToastOverlay     *toast_overlay;
  AdwWindowTitle      *window_title;
  GtkBox              *pages_box;
  GtkLabel            *status_label;
  AdwPreferencesGroup *patient_group;
  AdwEntryRow         *guardian_row;
  AdwEntryRow         *typed_row;
  StriaeSignaturePad  *patient_pad;
  GtkLabel            *patient_stamp;
  StriaeSignaturePad  *practitioner_pad;
  GtkLabel            *practitioner_stamp;

  StriaeStore         *store;
  StriaePatient       *patient;
  StriaeConsultation  *consultation;
  StriaeSheet         *sheet;
  char                *hash;
  char                *practitioner_name;
  gboolean             minor;
  gboolean             typed_allowed;   /* the clinic's setting: a typed name may sign */
};

G_DEFINE_FINAL_TYPE (StriaeConsentDialog, striae_consent_dialog, ADW_TYPE_WINDOW)

typedef struct
{
  StriaeSheet *sheet;
  guint        page;
} PageDraw;

static void
page_draw_free (gpointer data)
{
  PageDraw *page = data;

  g_object_unref (page->sheet);
  g_free (page);
}

static void
draw_page_cb (GtkDrawingArea *area,
              cairo_t        *cr,
              int             width,
              int             height,
              gpointer        data)
{
  PageDraw *page = data;
  double page_width, page_height;

  striae_sheet_get_page_size (page->sheet, &page_width, &page_height);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, width / page_width, width / page_width);
  cairo_set_source_rgb (cr, 0, 0, 0);
  striae_sheet_draw_page (page->sheet, cr, page->page);
}

/* The consent as a screen reader reads it: the sheet's text as the sheet composes it (the
 * text its signature is given to), one line a block, without the canonical form's kinds. */
static char *
dup_readable_text (StriaeSheet *sheet)
{
  g_autofree char *content = striae_sheet_dup_content_text (sheet);
  g_auto(GStrv) lines = g_strsplit (content, "\n", -1);
  GString *text = g_string_new (NULL);

  /* The first two lines name the form and the language. */
  for (guint i = 2; lines[0] != NULL && lines[1] != NULL && lines[i] != NULL; i++)
    {
      const char *tab = strchr (lines[i], '\t');
      g_auto(GStrv) cells = NULL;

      if (tab == NULL || tab[1] == '\0')
        continue;
      cells = g_strsplit (tab + 1, "\t", -1);
      if (text->len > 0)
        g_string_append_c (text, '\n');
      for (guint j = 0; cells[j] != NULL; j++)
        {
          if (j > 0)
            g_string_append (text, " · ");
          g_string_append (text, cells[j]);
        }
    }
  return g_string_free (text, FALSE);
}

static void
show_pages (StriaeConsentDialog *self)
{
  g_autofree char *text = dup_readable_text (self->sheet);

  GtkWidget *child;
  double width, height;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->pages_box))) != NULL)
    gtk_box_remove (self->pages_box, child);

  striae_sheet_get_page_size (self->sheet, &width, &height);
  for (guint i = 0; i < striae_sheet_get_n_pages (self->sheet); i++)
    {
      GtkWidget *area = gtk_drawing_area_new ();
      PageDraw *page = g_new0 (PageDraw, 1);
      g_autofree char *label = g_strdup_printf (_("Page %u of %u"), i + 1,
                                                striae_sheet_get_n_pages (self->sheet));

      page->sheet = g_object_ref (self->sheet);
      page->page = i;
      gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (area), PAGE_WIDTH);
      gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (area),
                                           (int) (PAGE_WIDTH * height / width));
      gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (area), draw_page_cb, page,
                                      page_draw_free);
      gtk_widget_set_halign (area, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (area, "card");
      /* A drawing says nothing to a screen reader: the first page carries the consent's
       * whole text (a block may run over two pages), the others point to it. */
      gtk_accessible_update_property (GTK_ACCESSIBLE (area),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      i == 0 ? text
                                             : _("The consent’s text is read with page 1."),
                                      -1);
      gtk_box_append (self->pages_box, area);
    }
}

static StriaeConsentSigner
patient_signer (StriaeConsentDialog *self)
{
  return self->minor ? STRIAE_CONSENT_SIGNER_GUARDIAN : STRIAE_CONSENT_SIGNER_PATIENT;
}

/* The name typed to sign instead of drawing, where the clinic allows it; NULL for none. */
static char *
dup_typed (StriaeConsentDialog *self)
{
  g_autofree char *typed = NULL;

  if (!self->typed_allowed)
    return NULL;
  typed = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->typed_row))));
  return typed[0] != '\0' ? g_steal_pointer (&typed) : NULL;
}

static void
update_actions (StriaeConsentDialog *self)
{
  g_autofree char *guardian =
    g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->guardian_row))));
  g_autofree char *typed = dup_typed (self);
  gboolean patient_ready = !striae_signature_pad_get_locked (self->patient_pad) &&
                           (!striae_signature_pad_get_empty (self->patient_pad) ||
                            typed != NULL) &&
                           (!self->minor || guardian[0] != '\0');

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "consent.save-patient", patient_ready);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "consent.save-practitioner",
                                 !striae_signature_pad_get_locked (self->practitioner_pad) &&
                                 !striae_signature_pad_get_empty (self->practitioner_pad));
}

static char *
format_stamp (StriaeConsentSignature *signature)
{
  g_autoptr(GDateTime) local =
    g_date_time_to_local (striae_consent_signature_get_signed_at (signature));
  g_autofree char *when = g_date_time_format (local, "%Y-%m-%d %H:%M");

  if (striae_consent_signature_get_typed (signature) != NULL)
    /* TRANSLATORS: under a consent signed by typing a name; %s are the date and time, the
     * signer's name and the name as typed */
    return g_strdup_printf (_("Signed on %s by %s, who typed “%s” instead of drawing. A "
                              "signature cannot be changed."), when,
                            striae_consent_signature_get_name (signature),
                            striae_consent_signature_get_typed (signature));
  /* TRANSLATORS: under a signature given on the screen; %s are the date and time, and the
   * signer's name */
  return g_strdup_printf (_("Signed on %s by %s. A signature cannot be changed."), when,
                          striae_consent_signature_get_name (signature));
}

/* Shows @signature locked on @pad, or a fresh pad for @signer when it is NULL. */
static void
show_signature (StriaeConsentDialog    *self,
                StriaeSignaturePad     *pad,
                GtkLabel               *stamp,
                StriaeConsentSigner     signer,
                StriaeConsentSignature *signature)
{
  if (signature != NULL)
    {
      g_autofree char *text = format_stamp (signature);

      striae_signature_pad_set_signature (pad, signature);
      striae_signature_pad_set_locked (pad, TRUE);
      gtk_label_set_text (stamp, text);
    }
  else if (striae_signature_pad_get_locked (pad) ||
           striae_consent_signature_get_signer (striae_signature_pad_get_signature (pad)) !=
             signer)
    {
      g_autoptr(StriaeConsentSignature) fresh = striae_consent_signature_new (signer);

      striae_signature_pad_set_locked (pad, FALSE);
      striae_signature_pad_set_signature (pad, fresh);
      gtk_label_set_text (stamp, _("Not signed yet."));
    }
  else
    gtk_label_set_text (stamp, _("Not signed yet."));
}

static StriaeConsentSignature *
find_signer (GPtrArray           *signatures,
             StriaeConsentSigner  signer)
{
  for (guint i = 0; i < signatures->len; i++)
    if (striae_consent_signature_get_signer (g_ptr_array_index (signatures, i)) == signer)
      return g_ptr_array_index (signatures, i);
  return NULL;
}

/* What the records hold now, read again after each save. */
static gboolean
reload (StriaeConsentDialog  *self,
        GError              **error)
{
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) matching = NULL;
  StriaeConsentSignature *patient, *practitioner;

  all = striae_store_list_consent_signatures (self->store,
                                              striae_consultation_get_id (self->consultation),
                                              error);
  if (all == NULL)
    return FALSE;
  matching = striae_store_consent_signatures_matching (all, self->hash);
  patient = find_signer (matching, patient_signer (self));
  practitioner = find_signer (matching, STRIAE_CONSENT_SIGNER_PRACTITIONER);

  show_signature (self, self->patient_pad, self->patient_stamp, patient_signer (self), patient);
  show_signature (self, self->practitioner_pad, self->practitioner_stamp,
                  STRIAE_CONSENT_SIGNER_PRACTITIONER, practitioner);
  if (patient != NULL && self->minor)
    gtk_editable_set_text (GTK_EDITABLE (self->guardian_row),
                           striae_consent_signature_get_name (patient));
  gtk_editable_set_editable (GTK_EDITABLE (self->guardian_row), patient == NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->typed_row), self->typed_allowed && patient == NULL);

  if (patient != NULL && practitioner != NULL)
    gtk_label_set_text (self->status_label,
                        _("The consent is signed and locked. Its print and its PDF carry the "
                          "signatures."));
  else if (all->len > matching->len)
    gtk_label_set_text (self->status_label,
                        _("The consent changed after it was signed (an amendment): it needs "
                          "to be signed again. The earlier signatures stay in the record."));
  else
    gtk_label_set_text (self->status_label,
                        _("Read the consent with the patient, then each signs in their box "
                          "with the mouse, a finger or a stylus."));
  update_actions (self);
  return TRUE;
}

static void
save (StriaeConsentDialog    *self,
      StriaeConsentSignature *signature,
      const char             *name)
{
  g_autoptr(GError) error = NULL;

  striae_consent_signature_set_name (signature, name);
  striae_consent_signature_set_consent_hash (signature, self->hash);
  if (!striae_store_save_consent_signature (self->store,
                                            striae_consultation_get_id (self->consultation),
                                            signature, &error) ||
      !reload (self, &error))
    {
      /* TRANSLATORS: %s says why */
      g_autofree char *message = g_strdup_printf (_("The signature was not saved: %s"),
                                                  error->message);

      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
      return;
    }
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Signature saved")));
}

static void
save_patient_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  StriaeConsentDialog *self = STRIAE_CONSENT_DIALOG (widget);
  g_autofree char *name = NULL;
  g_autofree char *typed = dup_typed (self);
  g_autoptr(StriaeConsentSignature) signature = NULL;

  if (self->minor)
    name = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->guardian_row)));
  else
    name = striae_patient_dup_full_name (self->patient);
  /* A name typed stands for the signature in place of what was drawn. */
  if (typed != NULL)
    {
      signature = striae_consent_signature_new (patient_signer (self));
      striae_consent_signature_set_typed (signature, typed);
    }
  else
    signature = g_object_ref (striae_signature_pad_get_signature (self->patient_pad));
  save (self, signature, name);
}

static void
save_practitioner_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  StriaeConsentDialog *self = STRIAE_CONSENT_DIALOG (widget);

  save (self, striae_signature_pad_get_signature (self->practitioner_pad),
        self->practitioner_name);
}

static void
striae_consent_dialog_dispose (GObject *object)
{
  StriaeConsentDialog *self = STRIAE_CONSENT_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), STRIAE_TYPE_CONSENT_DIALOG);
  g_clear_object (&self->store);
  g_clear_object (&self->patient);
  g_clear_object (&self->consultation);
  g_clear_object (&self->sheet);

  G_OBJECT_CLASS (striae_consent_dialog_parent_class)->dispose (object);
}

static void
striae_consent_dialog_finalize (GObject *object)
{
  StriaeConsentDialog *self = STRIAE_CONSENT_DIALOG (object);

  g_free (self->hash);
  g_free (self->practitioner_name);

  G_OBJECT_CLASS (striae_consent_dialog_parent_class)->finalize (object);
}

static void
striae_consent_dialog_class_init (StriaeConsentDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = striae_consent_dialog_dispose;
  object_class->finalize = striae_consent_dialog_finalize;

  g_type_ensure (STRIAE_TYPE_SIGNATURE_PAD);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/striae/Striae/ui/"
                                               "striae-consent-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, StriaeConsentDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, StriaeConsentDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, StriaeConsentDialog, pages_box);
  gtk_widget_class_bind_template_child (widget_class, StriaeConsentDialog, status_label);
  gtk_widget_class_bind_template_child (widget_class, StriaeConsentDialog, patient_group);
  gtk_widget_class_bind_template_child (widget_class, StriaeConsentDialog, guardian_row);
  gtk_widget_class_bind_template_child (widget_class, StriaeConsentDialog, typed_row);
  gtk_widget_class_bind_template_child (widget_class, StriaeConsentDialog, patient_pad);
  gtk_widget_class_bind_template_child (widget_class, StriaeConsentDialog, patient_stamp);
  gtk_widget_class_bind_template_child (widget_class, StriaeConsentDialog, practitioner_pad);
  gtk_widget_class_bind_template_child (widget_class, StriaeConsentDialog,
                                        practitioner_stamp);
  gtk_widget_class_install_action (widget_class, "consent.save-patient", NULL,
                                   save_patient_action);
  gtk_widget_class_install_action (widget_class, "consent.save-practitioner", NULL,
                                   save_practitioner_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
striae_consent_dialog_init (StriaeConsentDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (self->patient_pad, "notify::empty", G_CALLBACK (update_actions),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->practitioner_pad, "notify::empty",
                           G_CALLBACK (update_actions), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->guardian_row, "changed", G_CALLBACK (update_actions), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->typed_row, "changed", G_CALLBACK (update_actions), self,
                           G_CONNECT_SWAPPED);
  update_actions (self);
}

/* The practitioner who signs: the account signed in, else the consultation's. */
static char *
dup_practitioner_name (StriaeStore        *store,
                       StriaeConsultation *consultation)
{
  const char *name = striae_consultation_get_practitioner (consultation);

  if (striae_store_has_accounts (store) && striae_store_is_signed_in (store))
    name = striae_store_get_account_display_name (store);
  return g_strdup (name != NULL ? name : "");
}

/**
 * striae_consent_dialog_new:
 *
 * Returns: (transfer full) (nullable): the window, or %NULL with @error set when the consent
 *   cannot be composed or its signatures read
 */
StriaeConsentDialog *
striae_consent_dialog_new (GtkWindow           *parent,
                           StriaeStore         *store,
                           GSettings           *settings,
                           StriaePatient       *patient,
                           StriaeConsultation  *consultation,
                           GError             **error)
{
  g_autoptr(StriaeConsentDialog) self = NULL;
  g_autoptr(StriaeSheetDelivery) delivery = NULL;
  g_autoptr(StriaeClinic) clinic = NULL;
  g_autofree char *full_name = NULL;
  g_autofree char *description = NULL;

  g_return_val_if_fail (STRIAE_IS_STORE (store), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (STRIAE_IS_PATIENT (patient), NULL);
  g_return_val_if_fail (STRIAE_IS_CONSULTATION (consultation), NULL);

  self = g_object_ref_sink (g_object_new (STRIAE_TYPE_CONSENT_DIALOG,
                                          "transient-for", parent, NULL));
  self->store = g_object_ref (store);
  self->patient = g_object_ref (patient);
  self->consultation = g_object_ref (consultation);

  delivery = striae_sheet_delivery_new (store, settings);
  self->sheet = striae_sheet_delivery_compose (delivery, patient, consultation, "consent",
                                               NULL, NULL, NULL, NULL, error);
  if (self->sheet == NULL)
    return NULL;
  self->hash = striae_sheet_dup_content_hash (self->sheet);
  self->minor = striae_sheet_has_item (self->sheet, "sign-guardian");
  self->practitioner_name = dup_practitioner_name (store, consultation);
  clinic = striae_store_load_clinic (store, error);
  if (clinic == NULL)
    return NULL;
  self->typed_allowed = striae_clinic_get_typed_signature (clinic);

  full_name = striae_patient_dup_full_name (patient);
  adw_window_title_set_subtitle (self->window_title, full_name);
  gtk_widget_set_visible (GTK_WIDGET (self->guardian_row), self->minor);
  if (self->minor)
    {
      adw_preferences_group_set_title (self->patient_group, _("Parent or Guardian"));
      /* TRANSLATORS: %s is the patient's name */
      description = g_strdup_printf (_("%s is under 18: a parent or guardian signs and types "
                                       "their name."), full_name);
    }
  else
    /* TRANSLATORS: %s is the patient's name */
    description = g_strdup_printf (_("%s signs here."), full_name);
  adw_preferences_group_set_description (self->patient_group, description);

  show_pages (self);
  if (!reload (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

/* The pad of @signer (the patient's pad serves the guardian). */
StriaeSignaturePad *
striae_consent_dialog_get_pad (StriaeConsentDialog *self,
                               StriaeConsentSigner  signer)
{
  g_return_val_if_fail (STRIAE_IS_CONSENT_DIALOG (self), NULL);
  return signer == STRIAE_CONSENT_SIGNER_PRACTITIONER ? self->practitioner_pad
                                                      : self->patient_pad;
}

gboolean
striae_consent_dialog_is_signed (StriaeConsentDialog *self,
                                 StriaeConsentSigner  signer)
{
  g_return_val_if_fail (STRIAE_IS_CONSENT_DIALOG (self), FALSE);
  return striae_signature_pad_get_locked (striae_consent_dialog_get_pad (self, signer));
}

const char *
striae_consent_dialog_get_consent_hash (StriaeConsentDialog *self)
{
  g_return_val_if_fail (STRIAE_IS_CONSENT_DIALOG (self), NULL);
  return self->hash;
}
