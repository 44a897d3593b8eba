/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "striae-accessible.h"
#include "striae-app-private.h"
#include "striae-core-error.h"
#include "striae-date-row.h"
#include "striae-message-row.h"
#include "striae-patient-editor.h"
#include "striae-sheet-composer.h"
#include "striae-sheet-language.h"

/* One text field of the form: where it is typed, where its error is shown, and whether the
 * person has already left it (errors appear only then, never while they are still typing
 * a field for the first time). */
typedef struct
{
  StriaePatientField  field;
  AdwEntryRow        *row;
  GtkWidget          *error_row;
  GtkLabel           *error_label;
  gboolean            touched;
} Field;

enum {
  FIELD_GIVEN,
  FIELD_FAMILY,
  FIELD_BIRTH,
  FIELD_PHONE,
  FIELD_EMAIL,
  N_TEXT_FIELDS
};

struct _StriaePatientEditor
{
  AdwWindow       parent_instance;

  AdwWindowTitle *window_title;
  GtkWidget      *save_button;
  AdwEntryRow    *given_row;
  AdwEntryRow    *family_row;
  AdwEntryRow    *birth_row;
  AdwEntryRow    *phone_row;
  AdwEntryRow    *email_row;
  GtkWidget      *given_error_row;
  GtkWidget      *family_error_row;
  GtkWidget      *birth_error_row;
  GtkWidget      *phone_error_row;
  GtkWidget      *email_error_row;
  GtkLabel       *given_error;
  GtkLabel       *family_error;
  GtkLabel       *birth_error;
  GtkLabel       *phone_error;
  GtkLabel       *email_error;
  AdwComboRow    *sex_row;
  AdwComboRow    *language_row;
  GtkTextView    *notes_view;
  GtkLabel       *notes_error;

  Field           fields [N_TEXT_FIELDS];
  GtkStringList  *languages;
  GPtrArray      *language_codes;

  StriaeStore    *store;
  StriaePatient  *draft;
  GError         *birth_date_error;  /* what is wrong with the date of birth typed */
  gboolean        loading;
  gboolean        dirty;
};

G_DEFINE_FINAL_TYPE (StriaePatientEditor, striae_patient_editor, ADW_TYPE_WINDOW)

enum {
  SAVED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static void
show_field_error (Field        *f,
                  const GError *error)
{
  gboolean bad = error != NULL;

  gtk_label_set_label (f->error_label, bad ? error->message : "");
  gtk_widget_set_visible (f->error_row, bad);
  if (bad)
    gtk_widget_add_css_class (GTK_WIDGET (f->row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (f->row), "error");
  gtk_accessible_update_state (GTK_ACCESSIBLE (f->row),
                               GTK_ACCESSIBLE_STATE_INVALID,
                               bad ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);
}

/* A field as the patient model checks it; the date of birth is first the text typed, which
 * may not be a date at all (the draft then has none). */
static gboolean
check_field (StriaePatientEditor  *self,
             StriaePatientField    field,
             GError              **error)
{
  if (field == STRIAE_PATIENT_FIELD_BIRTH_DATE && self->birth_date_error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->birth_date_error));
      return FALSE;
    }

  return striae_patient_check_field (self->draft, field, NULL, error);
}

/* Checks every field against the patient model; shows the errors of the fields the person
 * has left, and enables Save only when nothing is wrong. */
static gboolean
striae_patient_editor_validate (StriaePatientEditor *self)
{
  g_autoptr(GError) notes_error = NULL;
  gboolean valid = TRUE;

  for (guint i = 0; i < N_TEXT_FIELDS; i++)
    {
      Field *f = &self->fields [i];
      g_autoptr(GError) error = NULL;

      if (!check_field (self, f->field, &error))
        valid = FALSE;
      if (f->touched)
        show_field_error (f, error);
    }

  if (!striae_patient_check_field (self->draft, STRIAE_PATIENT_FIELD_NOTES, NULL, &notes_error))
    valid = FALSE;
  gtk_label_set_label (self->notes_error, notes_error ? notes_error->message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->notes_error), notes_error != NULL);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", valid);

  return valid;
}

/* The date of birth is read as it is typed (striae_parse_date(): year-month-day or the
 * locale's usual form): the draft holds the day, or none while the text is empty or not a
 * date, and then what is wrong with the text is kept to be said under the field. */
static void
copy_birth_date_to_draft (StriaePatientEditor *self,
                          const char          *text)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (text));
  GDate date;

  g_clear_error (&self->birth_date_error);
  g_date_clear (&date, 1);
  if (trimmed[0] != '\0')
    striae_parse_date (trimmed, &date, &self->birth_date_error);
  striae_patient_set_birth_date (self->draft, &date);
}

static void
copy_field_to_draft (StriaePatientEditor *self,
                     Field               *f)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (f->row));

  switch (f->field)
    {
    case STRIAE_PATIENT_FIELD_GIVEN_NAME:
      striae_patient_set_given_name (self->draft, text);
      break;
    case STRIAE_PATIENT_FIELD_FAMILY_NAME:
      striae_patient_set_family_name (self->draft, text);
      break;
    case STRIAE_PATIENT_FIELD_BIRTH_DATE:
      copy_birth_date_to_draft (self, text);
      break;
    case STRIAE_PATIENT_FIELD_PHONE:
      striae_patient_set_phone (self->draft, text);
      break;
    case STRIAE_PATIENT_FIELD_EMAIL:
      striae_patient_set_email (self->draft, text);
      break;
    case STRIAE_PATIENT_FIELD_SEX:
    case STRIAE_PATIENT_FIELD_LANGUAGE:
    case STRIAE_PATIENT_FIELD_NOTES:
    case STRIAE_PATIENT_N_FIELDS:
    default:
      g_assert_not_reached ();
    }
}

static Field *
find_field (StriaePatientEditor *self,
            GtkWidget           *row)
{
  for (guint i = 0; i < N_TEXT_FIELDS; i++)
    if (GTK_WIDGET (self->fields [i].row) == row)
      return &self->fields [i];

  g_assert_not_reached ();
}

static void
field_changed_cb (StriaePatientEditor *self,
                  GtkEditable         *row)
{
  if (self->loading)
    return;

  copy_field_to_draft (self, find_field (self, GTK_WIDGET (row)));
  self->dirty = TRUE;
  striae_patient_editor_validate (self);
}

/* Enter in a field counts as leaving it: its error, if any, shows now. */
static void
field_activated_cb (StriaePatientEditor *self,
                    AdwEntryRow         *row)
{
  find_field (self, GTK_WIDGET (row))->touched = TRUE;
  striae_patient_editor_validate (self);
}

static void
field_focus_leave_cb (GtkEventControllerFocus *controller,
                      StriaePatientEditor     *self)
{
  GtkWidget *row = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));

  /* Focus also leaves while the window is being destroyed. */
  if (self->draft == NULL || gtk_widget_in_destruction (GTK_WIDGET (self)))
    return;

  find_field (self, row)->touched = TRUE;
  striae_patient_editor_validate (self);
}

static void
sex_selected_cb (StriaePatientEditor *self)
{
  guint selected = adw_combo_row_get_selected (self->sex_row);

  if (self->loading || selected > STRIAE_SEX_OTHER)
    return;

  striae_patient_set_sex (self->draft, (StriaeSex) selected);
  self->dirty = TRUE;
}

static void
language_selected_cb (StriaePatientEditor *self)
{
  guint selected = adw_combo_row_get_selected (self->language_row);

  if (self->loading || selected >= self->language_codes->len)
    return;

  striae_patient_set_language (self->draft, g_ptr_array_index (self->language_codes, selected));
  self->dirty = TRUE;
  striae_patient_editor_validate (self);
}

static void
notes_changed_cb (StriaePatientEditor *self,
                  GtkTextBuffer       *buffer)
{
  g_autofree char *text = NULL;
  GtkTextIter start, end;

  if (self->loading)
    return;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  striae_patient_set_notes (self->draft, text);
  self->dirty = TRUE;
  striae_patient_editor_validate (self);
}

static void
add_language (StriaePatientEditor *self,
              const char          *code)
{
  g_autofree char *name = striae_sheet_language_dup_name (code);

  gtk_string_list_append (self->languages, name);
  g_ptr_array_add (self->language_codes, g_strdup (code));
}

static guint
language_position (StriaePatientEditor *self,
                   const char          *code)
{
  for (guint i = 0; i < self->language_codes->len; i++)
    if (g_str_equal (g_ptr_array_index (self->language_codes, i), code))
      return i;

  /* A code without sheets (from an older Striae, which offered more languages, or an import)
   * is kept as it is, until someone picks another. */
  add_language (self, code);
  return self->language_codes->len - 1;
}

static void
default_language (StriaePatientEditor *self)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autofree char *code = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);

  if (schema != NULL && g_settings_schema_has_key (schema, "sheet-language"))
    {
      g_autoptr(GSettings) settings = g_settings_new (APP_ID);

      code = g_settings_get_string (settings, "sheet-language");
    }

  striae_patient_set_language (self->draft, code != NULL && code[0] != '\0' ? code : "en");
  if (!striae_patient_check_field (self->draft, STRIAE_PATIENT_FIELD_LANGUAGE, NULL, NULL))
    striae_patient_set_language (self->draft, "en");
}

static void
load_draft (StriaePatientEditor *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->notes_view);
  g_autofree char *birth_date = NULL;

  birth_date = striae_format_optional_iso_date (striae_patient_get_birth_date (self->draft));
  g_clear_error (&self->birth_date_error);

  self->loading = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->given_row),
                         striae_patient_get_given_name (self->draft));
  gtk_editable_set_text (GTK_EDITABLE (self->family_row),
                         striae_patient_get_family_name (self->draft));
  gtk_editable_set_text (GTK_EDITABLE (self->birth_row), birth_date);
  gtk_editable_set_text (GTK_EDITABLE (self->phone_row),
                         striae_patient_get_phone (self->draft));
  gtk_editable_set_text (GTK_EDITABLE (self->email_row),
                         striae_patient_get_email (self->draft));
  adw_combo_row_set_selected (self->sex_row, striae_patient_get_sex (self->draft));
  adw_combo_row_set_selected (self->language_row,
                              language_position (self,
                                                 striae_patient_get_language (self->draft)));
  gtk_text_buffer_set_text (buffer, striae_patient_get_notes (self->draft), -1);
  self->loading = FALSE;

  self->dirty = FALSE;

  /* A stored patient was valid when saved; show at once anything that no longer is. */
  for (guint i = 0; i < N_TEXT_FIELDS; i++)
    self->fields [i].touched = striae_patient_get_id (self->draft) != 0;

  striae_patient_editor_validate (self);
}

static void
show_save_error (StriaePatientEditor *self,
                 const GError        *error)
{
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("The Patient Could Not Be Saved"),
                                   error->message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  StriaePatientEditor *self = STRIAE_PATIENT_EDITOR (widget);
  g_autoptr(StriaePatient) patient = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  for (guint i = 0; i < N_TEXT_FIELDS; i++)
    self->fields [i].touched = TRUE;
  if (!striae_patient_editor_validate (self))
    return;

  patient = striae_patient_copy (self->draft);

  if (striae_patient_get_id (patient) == 0)
    ok = striae_store_add_patient (self->store, patient, &error);
  else
    ok = striae_store_update_patient (self->store, patient, &error);

  if (!ok)
    {
      show_save_error (self, error);
      return;
    }

  self->dirty = FALSE;
  g_signal_emit (self, signals [SAVED], 0, patient);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
discard_response_cb (StriaePatientEditor *self,
                     const char          *response,
                     AdwMessageDialog    *dialog)
{
  if (g_strcmp0 (response, "discard") != 0)
    return;

  /* The dialog is still emitting this signal: detach it from the window that goes away. */
  gtk_window_set_transient_for (GTK_WINDOW (dialog), NULL);
  gtk_window_destroy (GTK_WINDOW (dialog));
  self->dirty = FALSE;
  gtk_window_destroy (GTK_WINDOW (self));
}

/* Typed details are never thrown away without asking. */
static gboolean
striae_patient_editor_close_request (GtkWindow *window)
{
  StriaePatientEditor *self = STRIAE_PATIENT_EDITOR (window);
  GtkWidget *dialog;

  if (!self->dirty)
    return GTK_WINDOW_CLASS (striae_patient_editor_parent_class)->close_request (window);

  dialog = adw_message_dialog_new (window, _("Discard Changes?"),
                                   _("What you typed in this form has not been saved."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "keep", _("_Keep Editing"),
                                    "discard", _("_Discard"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  g_signal_connect_object (dialog, "response", G_CALLBACK (discard_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));

  return TRUE;
}

static void
striae_patient_editor_dispose (GObject *object)
{
  StriaePatientEditor *self = (StriaePatientEditor *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), STRIAE_TYPE_PATIENT_EDITOR);
  g_clear_object (&self->store);
  g_clear_object (&self->draft);
  g_clear_error (&self->birth_date_error);
  g_clear_object (&self->languages);
  g_clear_pointer (&self->language_codes, g_ptr_array_unref);

  G_OBJECT_CLASS (striae_patient_editor_parent_class)->dispose (object);
}

static void
striae_patient_editor_class_init (StriaePatientEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = striae_patient_editor_dispose;
  window_class->close_request = striae_patient_editor_close_request;

  g_type_ensure (STRIAE_TYPE_DATE_ROW);
  g_type_ensure (STRIAE_TYPE_MESSAGE_ROW);

  /**
   * StriaePatientEditor::saved:
   * @patient: the patient as stored, with its id
   *
   * Emitted after the patient was written to the store, just before the editor closes.
   */
  signals [SAVED] =
    g_signal_new ("saved",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, STRIAE_TYPE_PATIENT);

  striae_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/striae/Striae/ui/striae-patient-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, StriaePatientEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, StriaePatientEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, StriaePatientEditor, given_row);
  gtk_widget_class_bind_template_child (widget_class, StriaePatientEditor, family_row);
  gtk_widget_class_bind_template_child (widget_class, StriaePatientEditor, birth_row);
  gtk_widget_class_bind_template_child (widget_class, StriaePatientEditor, phone_row);
  gtk_widget_class_bind_template_child (widget_class, StriaePatientEditor, email_row);
  gtk_widget_class_bind_template_child (widget_class, StriaePatientEditor, given_error_row);
  gtk_widget_class_bind_template_child (widget_class, StriaePatientEditor, family_error_row);
  gtk_widget_class_bind_template_child (widget_class, StriaePatientEditor, birth_error_row);
  gtk_widget_class_bind_template_child (widget_class, StriaePatientEditor, phone_error_row);
  gtk_widget_class_bind_template_child (widget_class, StriaePatientEditor, email_error_row);
  gtk_widget_class_bind_template_child (widget_class, StriaePatientEditor, given_error);
  gtk_widget_class_bind_template_child (widget_class, StriaePatientEditor, family_error);
  gtk_widget_class_bind_template_child (widget_class, StriaePatientEditor, birth_error);
  gtk_widget_class_bind_template_child (widget_class, StriaePatientEditor, phone_error);
  gtk_widget_class_bind_template_child (widget_class, StriaePatientEditor, email_error);
  gtk_widget_class_bind_template_child (widget_class, StriaePatientEditor, sex_row);
  gtk_widget_class_bind_template_child (widget_class, StriaePatientEditor, language_row);
  gtk_widget_class_bind_template_child (widget_class, StriaePatientEditor, notes_view);
  gtk_widget_class_bind_template_child (widget_class, StriaePatientEditor, notes_error);
  gtk_widget_class_bind_template_callback (widget_class, field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, field_activated_cb);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "editor.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
setup_field (StriaePatientEditor *self,
             guint                index,
             StriaePatientField   field,
             AdwEntryRow         *row,
             GtkWidget           *error_row,
             GtkLabel            *error_label)
{
  Field *f = &self->fields [index];
  GtkEventController *focus = gtk_event_controller_focus_new ();

  f->field = field;
  f->row = row;
  f->error_row = error_row;
  f->error_label = error_label;

  g_signal_connect (focus, "leave", G_CALLBACK (field_focus_leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (row), focus);

  gtk_accessible_update_relation (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, error_label, NULL,
                                  -1);
}

static void
striae_patient_editor_init (StriaePatientEditor *self)
{
  g_auto(GStrv) sheet_languages = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  striae_accessible_name_buttons (GTK_WIDGET (self));

  self->draft = striae_patient_new ();

  setup_field (self, FIELD_GIVEN, STRIAE_PATIENT_FIELD_GIVEN_NAME,
               self->given_row, self->given_error_row, self->given_error);
  setup_field (self, FIELD_FAMILY, STRIAE_PATIENT_FIELD_FAMILY_NAME,
               self->family_row, self->family_error_row, self->family_error);
  setup_field (self, FIELD_BIRTH, STRIAE_PATIENT_FIELD_BIRTH_DATE,
               self->birth_row, self->birth_error_row, self->birth_error);
  setup_field (self, FIELD_PHONE, STRIAE_PATIENT_FIELD_PHONE,
               self->phone_row, self->phone_error_row, self->phone_error);
  setup_field (self, FIELD_EMAIL, STRIAE_PATIENT_FIELD_EMAIL,
               self->email_row, self->email_error_row, self->email_error);

  /* The languages there are sheets in (shipped or the clinic's own): a patient's language
   * is the one their sheets are printed in. */
  self->languages = gtk_string_list_new (NULL);
  self->language_codes = g_ptr_array_new_with_free_func (g_free);
  sheet_languages = striae_sheet_dup_languages (NULL);
  for (guint i = 0; sheet_languages[i] != NULL; i++)
    add_language (self, sheet_languages[i]);
  adw_combo_row_set_model (self->language_row, G_LIST_MODEL (self->languages));

  g_signal_connect_object (self->sex_row, "notify::selected",
                           G_CALLBACK (sex_selected_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->language_row, "notify::selected",
                           G_CALLBACK (language_selected_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_text_view_get_buffer (self->notes_view), "changed",
                           G_CALLBACK (notes_changed_cb), self, G_CONNECT_SWAPPED);
}

/**
 * striae_patient_editor_new:
 * @store: where the patient is saved
 * @patient: (nullable): the patient to edit, or %NULL for a new one
 *
 * The editor works on a copy: @patient itself changes only through the store, and the
 * "saved" signal hands over the stored version.
 */
StriaePatientEditor *
striae_patient_editor_new (StriaeStore   *store,
                           StriaePatient *patient)
{
  StriaePatientEditor *self;

  g_return_val_if_fail (STRIAE_IS_STORE (store), NULL);
  g_return_val_if_fail (patient == NULL || STRIAE_IS_PATIENT (patient), NULL);

  self = g_object_new (STRIAE_TYPE_PATIENT_EDITOR, NULL);
  self->store = g_object_ref (store);

  if (patient != NULL)
    {
      g_clear_object (&self->draft);
      self->draft = striae_patient_copy (patient);
      adw_window_title_set_title (self->window_title, _("Edit Patient"));
      gtk_window_set_title (GTK_WINDOW (self), _("Edit Patient"));
    }
  else
    {
      default_language (self);
      adw_window_title_set_title (self->window_title, _("New Patient"));
      gtk_window_set_title (GTK_WINDOW (self), _("New Patient"));
    }

  load_draft (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->given_row));

  return self;
}

StriaePatient *
striae_patient_editor_get_draft (StriaePatientEditor *self)
{
  g_return_val_if_fail (STRIAE_IS_PATIENT_EDITOR (self), NULL);
  return self->draft;
}

gboolean
striae_patient_editor_is_valid (StriaePatientEditor *self)
{
  g_return_val_if_fail (STRIAE_IS_PATIENT_EDITOR (self), FALSE);
  return self->birth_date_error == NULL && striae_patient_validate (self->draft, NULL, NULL, NULL);
}
