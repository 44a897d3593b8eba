/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <cairo.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sys/stat.h>

#include "striae-accessible.h"
#include "striae-accounts-page.h"
#include "striae-clinic-cache.h"
#include "striae-preferences.h"
#include "striae-records-page.h"
#include "striae-rules-page.h"
#include "striae-sheet-composer.h"
#include "striae-sheet-language.h"
#include "striae-toast.h"

struct _StriaePreferences
{
  AdwPreferencesWindow  parent_instance;

  AdwEntryRow          *name_row;
  AdwEntryRow          *phone_row;
  AdwPreferencesGroup  *lock_group;
  AdwActionRow         *lock_row;
  GtkSpinButton        *lock_spin;
  AdwEntryRow          *email_row;
  AdwActionRow         *name_value_row;
  AdwActionRow         *phone_value_row;
  AdwActionRow         *email_value_row;
  GtkTextView          *address_view;
  GtkWidget            *address_group;
  AdwActionRow         *address_value_row;
  AdwActionRow         *logo_row;
  GtkWidget            *logo_remove_button;
  GtkWidget            *logo_choose_button;
  GtkListBox           *practitioners_list;
  AdwEntryRow          *add_practitioner_row;
  AdwComboRow          *paper_row;
  AdwComboRow          *language_row;
  AdwPreferencesGroup  *clinic_group;
  GtkWidget            *read_only_group;
  GtkWidget            *read_only_row;
  AdwActionRow         *server_sheets_row;
  StriaeRecordsPage    *records_page;
  AdwPreferencesGroup  *signing_group;
  AdwActionRow         *typed_signature_row;
  GtkSwitch            *typed_signature_switch;

  GSettings            *settings;
  /* On a clinic server or a file with accounts, what the Clinic page edits: the records'
   * clinic, saved a moment after the last change. NULL on a file without accounts, where
   * GSettings holds it. */
  StriaeStore          *store;
  StriaeClinic         *clinic;
  guint                 save_id;
  gboolean              reloading;
  /* For an account outside the clinic's administrators: the Clinic page shows the records'
   * clinic and changes nothing (the records would refuse the save anyway). */
  gboolean              clinic_read_only;
  /* On a file, the records' clinic the typed-signature switch edits (issue 18), saved at
   * once; on a clinic server the switch edits @clinic with the rest. */
  StriaeClinic         *signing;
  StriaeRulesPage      *rules_page;
  GPtrArray            *practitioner_rows;
  char                **languages;
};

G_DEFINE_FINAL_TYPE (StriaePreferences, striae_preferences, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_CLINIC_READ_ONLY,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

/**
 * striae_check_logo_file:
 * @path: a file
 *
 * A logo must be a PNG image Cairo can read, of a size a sheet header can hold.
 *
 * Returns: %FALSE with @error set, saying what is wrong, if it cannot be used
 */
gboolean
striae_check_logo_file (const char  *path,
                        GError     **error)
{
  cairo_surface_t *surface;
  cairo_status_t status;
  GStatBuf info;
  int width, height;

  g_return_val_if_fail (path != NULL, FALSE);

  if (g_stat (path, &info) != 0 || !S_ISREG (info.st_mode))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("The logo “%s” does not exist or is not a file."), path);
      return FALSE;
    }
  if (info.st_size > STRIAE_LOGO_MAX_BYTES)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The logo “%s” is larger than 4 MB. Choose a smaller image."), path);
      return FALSE;
    }

  surface = cairo_image_surface_create_from_png (path);
  status = cairo_surface_status (surface);
  width = status == CAIRO_STATUS_SUCCESS ? cairo_image_surface_get_width (surface) : 0;
  height = status == CAIRO_STATUS_SUCCESS ? cairo_image_surface_get_height (surface) : 0;
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS || width <= 0 || height <= 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The logo “%s” is not a PNG image. Save it as PNG and choose it again."),
                   path);
      return FALSE;
    }

  return TRUE;
}

static void
update_logo_row (StriaePreferences *self)
{
  g_autofree char *path = g_settings_get_string (self->settings, "clinic-logo");

  if (self->clinic != NULL)
    {
      gboolean has_logo = striae_clinic_get_logo (self->clinic) != NULL;

      const char *kept = striae_clinic_cache_sheets_in_records (self->store)
                         ? _("Kept in the clinic server’s records")
                         : _("Kept in the records");

      /* Read only, the row says whether the sheets carry a logo, not how to choose one. */
      if (self->clinic_read_only)
        adw_action_row_set_subtitle (self->logo_row,
                                     has_logo ? _("Shown at the top of each sheet")
                                              : _("Not set"));
      else
        adw_action_row_set_subtitle (self->logo_row,
                                     has_logo ? kept
                                              : _("A PNG image shown at the top of each sheet"));
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "preferences.remove-logo",
                                     has_logo && !self->clinic_read_only);
      return;
    }

  if (path[0] == '\0')
    adw_action_row_set_subtitle (self->logo_row,
                                 _("A PNG image shown at the top of each sheet"));
  else
    {
      g_autofree char *escaped = g_markup_escape_text (path, -1);

      adw_action_row_set_subtitle (self->logo_row, escaped);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "preferences.remove-logo",
                                 path[0] != '\0');
}

/* Where the records keep the clinic, the logo's bytes go into them: a path means nothing on
 * another PC, and a file on this one could be changed by anyone. */
static gboolean
set_server_logo (StriaePreferences  *self,
                 const char         *path,
                 GError            **error)
{
  g_autoptr(GBytes) logo = NULL;
  g_autofree char *data = NULL;
  gsize size = 0;

  if (path != NULL)
    {
      if (!g_file_get_contents (path, &data, &size, error))
        return FALSE;
      logo = g_bytes_new_take (g_steal_pointer (&data), size);
      if (!striae_clinic_check_logo (logo, error))
        return FALSE;
    }

  striae_clinic_set_logo (self->clinic, logo);
  return TRUE;
}

/**
 * striae_preferences_set_logo:
 * @path: (nullable): a PNG file, or %NULL to print no logo
 *
 * Returns: %FALSE with @error set (and the setting unchanged) if @path cannot be used
 */
gboolean
striae_preferences_set_logo (StriaePreferences  *self,
                             const char         *path,
                             GError            **error)
{
  g_return_val_if_fail (STRIAE_IS_PREFERENCES (self), FALSE);

  if (path != NULL && !striae_check_logo_file (path, error))
    return FALSE;

  if (self->clinic != NULL)
    return set_server_logo (self, path, error);

  g_settings_set_string (self->settings, "clinic-logo", path != NULL ? path : "");
  return TRUE;
}

/* A sentence for the user, whole, over the window. */
static void
add_toast (StriaePreferences *self,
           const char        *text)
{
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                    striae_toast_new (GTK_WIDGET (self), text));
}

static void
logo_response_cb (GtkNativeDialog   *dialog,
                  int                response,
                  StriaePreferences *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      path = file != NULL ? g_file_get_path (file) : NULL;
      if (path == NULL)
        add_toast (self, _("Choose a file on this computer."));
      else if (!striae_preferences_set_logo (self, path, &error))
        add_toast (self, error->message);
    }

  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
choose_logo_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  StriaePreferences *self = STRIAE_PREFERENCES (widget);
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  dialog = gtk_file_chooser_native_new (_("Choose the Clinic’s Logo"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"),
                                        _("_Cancel"));
  gtk_file_filter_set_name (filter, _("PNG images"));
  gtk_file_filter_add_mime_type (filter, "image/png");
  gtk_file_filter_add_suffix (filter, "png");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect_object (dialog, "response", G_CALLBACK (logo_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
remove_logo_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  striae_preferences_set_logo (STRIAE_PREFERENCES (widget), NULL, NULL);
}

/* The practitioners the Clinic page edits: the records' on a clinic server, else this PC's. */
static GStrv
dup_practitioners (StriaePreferences *self)
{
  if (self->clinic != NULL)
    return g_strdupv ((char **) striae_clinic_get_practitioners (self->clinic));
  return g_settings_get_strv (self->settings, "practitioner-names");
}

static void
set_practitioners (StriaePreferences  *self,
                   const char * const *names)
{
  if (self->clinic != NULL)
    striae_clinic_set_practitioners (self->clinic, names);
  else
    g_settings_set_strv (self->settings, "practitioner-names", names);
}

static void
remove_practitioner_cb (GtkButton         *button,
                        StriaePreferences *self)
{
  const char *name = g_object_get_data (G_OBJECT (button), "practitioner");
  g_auto(GStrv) names = dup_practitioners (self);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) kept = NULL;

  for (guint i = 0; names[i] != NULL; i++)
    if (g_strcmp0 (names[i], name) != 0)
      g_strv_builder_add (builder, names[i]);
  kept = g_strv_builder_end (builder);
  set_practitioners (self, (const char * const *) kept);
}

static void
update_practitioners (StriaePreferences *self)
{
  g_auto(GStrv) names = dup_practitioners (self);

  for (guint i = 0; i < self->practitioner_rows->len; i++)
    gtk_list_box_remove (self->practitioners_list,
                         g_ptr_array_index (self->practitioner_rows, i));
  g_ptr_array_set_size (self->practitioner_rows, 0);

  for (guint i = 0; names[i] != NULL; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *button = gtk_button_new_from_icon_name ("edit-delete-symbolic");
      g_autofree char *escaped = g_markup_escape_text (names[i], -1);
      g_autofree char *label = g_strdup_printf (_("Remove %s"), names[i]);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped);
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_tooltip_text (button, label);
      g_object_bind_property (self, "clinic-read-only", button, "visible",
                              G_BINDING_SYNC_CREATE | G_BINDING_INVERT_BOOLEAN);
      g_object_set_data_full (G_OBJECT (button), "practitioner", g_strdup (names[i]), g_free);
      g_signal_connect_object (button, "clicked", G_CALLBACK (remove_practitioner_cb), self,
                               0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      gtk_list_box_insert (self->practitioners_list, row, i);
      g_ptr_array_add (self->practitioner_rows, row);
    }
}

static void
add_practitioner_cb (StriaePreferences *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->add_practitioner_row));
  g_autofree char *name = g_strstrip (g_strdup (text));
  g_auto(GStrv) names = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) updated = NULL;

  if (name[0] == '\0')
    return;

  names = dup_practitioners (self);
  if (g_strv_contains ((const char * const *) names, name))
    {
      add_toast (self, _("This practitioner is already in the list."));
      return;
    }

  builder = g_strv_builder_new ();
  g_strv_builder_addv (builder, (const char **) names);
  g_strv_builder_add (builder, name);
  updated = g_strv_builder_end (builder);
  set_practitioners (self, (const char * const *) updated);
  gtk_editable_set_text (GTK_EDITABLE (self->add_practitioner_row), "");
}

static gboolean
paper_get_mapping (GValue   *value,
                   GVariant *variant,
                   gpointer  user_data)
{
  g_value_set_uint (value, g_strcmp0 (g_variant_get_string (variant, NULL), "letter") == 0);
  return TRUE;
}

static GVariant *
paper_set_mapping (const GValue       *value,
                   const GVariantType *expected_type,
                   gpointer            user_data)
{
  return g_variant_new_string (g_value_get_uint (value) == 1 ? "letter" : "a4");
}

static gboolean
language_get_mapping (GValue   *value,
                      GVariant *variant,
                      gpointer  user_data)
{
  StriaePreferences *self = user_data;
  const char *code = g_variant_get_string (variant, NULL);

  for (guint i = 0; self->languages[i] != NULL; i++)
    if (g_strcmp0 (self->languages[i], code) == 0)
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  return FALSE;
}

static GVariant *
language_set_mapping (const GValue       *value,
                      const GVariantType *expected_type,
                      gpointer            user_data)
{
  StriaePreferences *self = user_data;
  guint selected = g_value_get_uint (value);

  if (selected >= g_strv_length (self->languages))
    return NULL;
  return g_variant_new_string (self->languages[selected]);
}

static void
settings_changed_cb (StriaePreferences *self,
                     const char        *key)
{
  if (self->clinic != NULL)
    return;
  if (g_strcmp0 (key, "clinic-logo") == 0)
    update_logo_row (self);
  else if (g_strcmp0 (key, "practitioner-names") == 0)
    update_practitioners (self);
}

static gboolean
save_clinic (StriaePreferences  *self,
             GError            **error)
{
  g_autofree char *user = striae_store_dup_user (self->store);

  return striae_store_save_clinic (self->store, self->clinic, user, error);
}

static gboolean
save_clinic_cb (gpointer data)
{
  StriaePreferences *self = data;
  g_autoptr(GError) error = NULL;

  self->save_id = 0;
  if (!save_clinic (self, &error))
    add_toast (self, error->message);

  return G_SOURCE_REMOVE;
}

/* A moment after the last change, so that typing a name does not audit every letter. */
static void
clinic_changed_cb (StriaePreferences *self,
                   GParamSpec        *pspec)
{
  if (!self->reloading)
    {
      g_clear_handle_id (&self->save_id, g_source_remove);
      self->save_id = g_timeout_add_seconds (1, save_clinic_cb, self);
    }

  if (g_strcmp0 (pspec->name, "practitioners") == 0)
    update_practitioners (self);
  else if (g_strcmp0 (pspec->name, "logo") == 0)
    update_logo_row (self);
}

/* What a change not yet saved becomes when the window closes: saved now, or said. */
static void
flush_clinic (StriaePreferences *self)
{
  g_autoptr(GError) error = NULL;

  if (self->save_id == 0)
    return;

  g_clear_handle_id (&self->save_id, g_source_remove);
  if (!save_clinic (self, &error))
    g_warning ("%s", error->message);
}

/* Another PC changed the records (striae_store_check_changes()): the page shows the clinic
 * as stored now, unless a change typed here is waiting to be saved. */
static void
records_changed_cb (StriaePreferences *self,
                    gint64             patient_id)
{
  g_autoptr(StriaeClinic) stored = NULL;

  if (patient_id != 0 || self->save_id != 0)
    return;
  if ((stored = striae_store_load_clinic (self->store, NULL)) == NULL)
    return;

  self->reloading = TRUE;
  g_object_set (self->clinic,
                "name", striae_clinic_get_name (stored),
                "address", striae_clinic_get_address (stored),
                "phone", striae_clinic_get_phone (stored),
                "email", striae_clinic_get_email (stored),
                "logo", striae_clinic_get_logo (stored),
                "practitioners", striae_clinic_get_practitioners (stored),
                "lock-minutes", striae_clinic_get_lock_minutes (stored),
                "typed-signature", striae_clinic_get_typed_signature (stored),
                NULL);
  self->reloading = FALSE;
}

static void
bind_clinic (StriaePreferences *self,
             const char        *property,
             gpointer           target,
             const char        *target_property)
{
  g_settings_unbind (target, target_property);
  g_object_bind_property (self->clinic, property, target, target_property,
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
}

static gboolean
minutes_to_subtitle (GBinding     *binding,
                     const GValue *from,
                     GValue       *to,
                     gpointer      data)
{
  guint minutes = (guint) g_value_get_double (from);

  g_value_take_string (to, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                         "Locks after %u minute without use",
                                                         "Locks after %u minutes without use",
                                                         minutes),
                                            minutes));
  return TRUE;
}

/* A spin button that may not be changed still spins with its buttons: the row says the
 * time instead, where Tab and a screen reader reach it (the spin button hides with
 * clinic-read-only). */
static void
show_lock_minutes_read_only (StriaePreferences *self)
{
  adw_action_row_set_activatable_widget (self->lock_row, NULL);
  g_object_bind_property_full (gtk_spin_button_get_adjustment (self->lock_spin), "value",
                               self->lock_row, "subtitle", G_BINDING_SYNC_CREATE,
                               minutes_to_subtitle, NULL, NULL, NULL);
}

/* A login that is not one of the clinic's administrators sees the clinic's settings as they
 * are, says why they cannot be changed, and has nothing to press that would change them. */
static void
set_clinic_read_only (StriaePreferences *self,
                      const char        *description)
{
  GtkWidget *none = gtk_label_new (_("No practitioners are listed."));

  /* What shows or hides, and what takes typing, follows clinic-read-only (bound in init). */
  self->clinic_read_only = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CLINIC_READ_ONLY]);
  show_lock_minutes_read_only (self);
  update_logo_row (self);
  gtk_widget_add_css_class (none, "dim-label");
  gtk_widget_set_margin_top (none, 12);
  gtk_widget_set_margin_bottom (none, 12);
  gtk_list_box_set_placeholder (self->practitioners_list, none);
  gtk_widget_set_visible (GTK_WIDGET (self->server_sheets_row), FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "preferences.choose-logo", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "preferences.load-sheets", FALSE);
  adw_preferences_group_set_description (self->clinic_group, description);
  update_logo_row (self);
  update_practitioners (self);
}

gboolean
striae_preferences_get_clinic_read_only (StriaePreferences *self)
{
  g_return_val_if_fail (STRIAE_IS_PREFERENCES (self), FALSE);
  return self->clinic_read_only;
}

/* What the Clinic page says of where the settings are kept and who may change them. */
static void
describe_records_clinic (StriaePreferences *self,
                         gboolean           server)
{
  if (!server)
    {
      adw_preferences_group_set_description (self->clinic_group,
                                             _("Printed in the header of every patient "
                                               "sheet. Kept in the records: only an "
                                               "administrator can change these settings."));
      return;
    }

  adw_preferences_group_set_description (self->clinic_group,
                                         _("Printed in the header of every patient sheet. "
                                           "Shared by every PC of the clinic: kept in the "
                                           "clinic server’s records."));
  adw_preferences_group_set_description (self->lock_group,
                                         _("Striae hides every patient and asks for the "
                                           "password when it has not been used for this "
                                           "long. The same on every PC of the clinic."));
}

/* On a clinic server the Clinic page edits the records, shared by every PC of the clinic; on
 * a file with accounts too, where only an administrator changes them. */
static void
use_records_clinic (StriaePreferences *self,
                    StriaeStore       *store)
{
  g_autoptr(GError) error = NULL;
  gboolean server = striae_clinic_cache_sheets_in_records (store);
  gboolean may_change = TRUE;

  self->clinic = striae_clinic_cache_load (store, self->settings, &error);
  if (self->clinic == NULL)
    {
      add_toast (self, error->message);
      return;
    }
  self->store = g_object_ref (store);

  bind_clinic (self, "name", self->name_row, "text");
  bind_clinic (self, "phone", self->phone_row, "text");
  bind_clinic (self, "email", self->email_row, "text");
  bind_clinic (self, "address", gtk_text_view_get_buffer (self->address_view), "text");
  bind_clinic (self, "lock-minutes", gtk_spin_button_get_adjustment (self->lock_spin), "value");
  g_signal_connect_object (self->clinic, "notify", G_CALLBACK (clinic_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (store, "patients-changed", G_CALLBACK (records_changed_cb), self,
                           G_CONNECT_SWAPPED);
  describe_records_clinic (self, server);
  gtk_widget_set_visible (GTK_WIDGET (self->server_sheets_row), server);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "preferences.load-sheets", server);
  update_logo_row (self);
  update_practitioners (self);

  /* The records refuse anyone else's save; the page says so before anything is typed. When
   * the server cannot tell now, the page stays open to change and a save says why not. */
  if (!striae_store_may_change_clinic (store, &may_change, &error))
    g_message ("Could not tell whether this login may change the clinic’s settings: %s",
               error->message);
  else if (!may_change && server)
    set_clinic_read_only (self, _("Printed in the header of every patient sheet. Shared by "
                                  "every PC of the clinic: only the clinic’s administrator "
                                  "can change these settings."));
  else if (!may_change)
    set_clinic_read_only (self, _("Printed in the header of every patient sheet. Only an "
                                  "administrator can change these settings."));
}

/**
 * striae_preferences_load_sheets:
 * @folder: (nullable): a folder of the clinic's templates as <language>/<name>.xml, %NULL
 *   for striae_sheet_template_dup_default_override_dir()
 *
 * On a clinic server, loads the clinic's own sheets into the records and says how many, or
 * why none was loaded, in a toast.
 *
 * Returns: %FALSE with @error set when nothing was loaded
 */
gboolean
striae_preferences_load_sheets (StriaePreferences  *self,
                                const char         *folder,
                                GError            **error)
{
  g_autofree char *default_dir = NULL;
  g_autofree char *user = NULL;
  g_autofree char *message = NULL;
  guint n = 0;

  g_return_val_if_fail (STRIAE_IS_PREFERENCES (self), FALSE);
  g_return_val_if_fail (self->store != NULL, FALSE);

  if (folder == NULL)
    folder = default_dir = striae_sheet_template_dup_default_override_dir ();
  user = striae_store_dup_user (self->store);
  if (!striae_clinic_cache_load_folder (self->store, folder, user, &n, error))
    return FALSE;

  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u sheet loaded",
                                          "%u sheets loaded", n), n);
  add_toast (self, message);
  return TRUE;
}

static void
load_sheets_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  StriaePreferences *self = STRIAE_PREFERENCES (widget);
  g_autoptr(GError) error = NULL;

  if (!striae_preferences_load_sheets (self, NULL, &error))
    add_toast (self, error->message);
}

static void
striae_preferences_dispose (GObject *object)
{
  StriaePreferences *self = STRIAE_PREFERENCES (object);

  flush_clinic (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), STRIAE_TYPE_PREFERENCES);
  g_clear_object (&self->clinic);
  g_clear_object (&self->signing);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->practitioner_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (striae_preferences_parent_class)->dispose (object);
}

static void
striae_preferences_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  StriaePreferences *self = STRIAE_PREFERENCES (object);

  switch (prop_id)
    {
    case PROP_CLINIC_READ_ONLY:
      g_value_set_boolean (value, self->clinic_read_only);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_preferences_finalize (GObject *object)
{
  StriaePreferences *self = STRIAE_PREFERENCES (object);

  g_clear_pointer (&self->languages, g_strfreev);

  G_OBJECT_CLASS (striae_preferences_parent_class)->finalize (object);
}

static void
striae_preferences_class_init (StriaePreferencesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = striae_preferences_dispose;
  object_class->finalize = striae_preferences_finalize;
  object_class->get_property = striae_preferences_get_property;

  /**
   * StriaePreferences:clinic-read-only:
   *
   * Whether the Clinic page only shows the clinic's settings, to a login outside the
   * clinic's administrators: everything that edits them hides or takes no typing.
   */
  properties [PROP_CLINIC_READ_ONLY] =
    g_param_spec_boolean ("clinic-read-only", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (STRIAE_TYPE_RECORDS_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/striae/Striae/ui/"
                                               "striae-preferences.ui");
  gtk_widget_class_bind_template_child (widget_class, StriaePreferences, name_row);
  gtk_widget_class_bind_template_child (widget_class, StriaePreferences, phone_row);
  gtk_widget_class_bind_template_child (widget_class, StriaePreferences, lock_group);
  gtk_widget_class_bind_template_child (widget_class, StriaePreferences, lock_row);
  gtk_widget_class_bind_template_child (widget_class, StriaePreferences, lock_spin);
  gtk_widget_class_bind_template_child (widget_class, StriaePreferences, email_row);
  gtk_widget_class_bind_template_child (widget_class, StriaePreferences, name_value_row);
  gtk_widget_class_bind_template_child (widget_class, StriaePreferences, phone_value_row);
  gtk_widget_class_bind_template_child (widget_class, StriaePreferences, email_value_row);
  gtk_widget_class_bind_template_child (widget_class, StriaePreferences, logo_remove_button);
  gtk_widget_class_bind_template_child (widget_class, StriaePreferences, logo_choose_button);
  gtk_widget_class_bind_template_child (widget_class, StriaePreferences, address_view);
  gtk_widget_class_bind_template_child (widget_class, StriaePreferences, address_group);
  gtk_widget_class_bind_template_child (widget_class, StriaePreferences, address_value_row);
  gtk_widget_class_bind_template_child (widget_class, StriaePreferences, logo_row);
  gtk_widget_class_bind_template_child (widget_class, StriaePreferences, practitioners_list);
  gtk_widget_class_bind_template_child (widget_class, StriaePreferences, add_practitioner_row);
  gtk_widget_class_bind_template_child (widget_class, StriaePreferences, paper_row);
  gtk_widget_class_bind_template_child (widget_class, StriaePreferences, language_row);
  gtk_widget_class_bind_template_child (widget_class, StriaePreferences, clinic_group);
  gtk_widget_class_bind_template_child (widget_class, StriaePreferences, read_only_group);
  gtk_widget_class_bind_template_child (widget_class, StriaePreferences, read_only_row);
  gtk_widget_class_bind_template_child (widget_class, StriaePreferences, server_sheets_row);
  gtk_widget_class_bind_template_child (widget_class, StriaePreferences, records_page);
  gtk_widget_class_bind_template_child (widget_class, StriaePreferences, signing_group);
  gtk_widget_class_bind_template_child (widget_class, StriaePreferences, typed_signature_row);
  gtk_widget_class_bind_template_child (widget_class, StriaePreferences,
                                        typed_signature_switch);
  gtk_widget_class_bind_template_callback (widget_class, add_practitioner_cb);

  gtk_widget_class_install_action (widget_class, "preferences.choose-logo", NULL,
                                   choose_logo_action);
  gtk_widget_class_install_action (widget_class, "preferences.remove-logo", NULL,
                                   remove_logo_action);
  gtk_widget_class_install_action (widget_class, "preferences.load-sheets", NULL,
                                   load_sheets_action);
}

/* What an empty field reads as when it cannot be filled in. */
static gboolean
text_to_value (GBinding     *binding,
               const GValue *from,
               GValue       *to,
               gpointer      data)
{
  const char *text = g_value_get_string (from);

  g_value_set_string (to, text != NULL && text[0] != '\0' ? text : _("Not set"));
  return TRUE;
}

static void
bind_shown (StriaePreferences *self,
            gpointer           widget,
            const char        *property,
            gboolean           when_read_only)
{
  g_object_bind_property (self, "clinic-read-only", widget, property,
                          G_BINDING_SYNC_CREATE |
                          (when_read_only ? G_BINDING_DEFAULT : G_BINDING_INVERT_BOOLEAN));
}

/* One switch for the Clinic page: read only, it says why at the top, shows each value as
 * text, and hides every pencil, entry and button that would change them. Read, not greyed
 * out: each value keeps the keyboard focus and is read out by a screen reader. */
static void
bind_read_only (StriaePreferences *self)
{
  AdwEntryRow *entries[] = { self->name_row, self->phone_row, self->email_row };
  AdwActionRow *values[] = { self->name_value_row, self->phone_value_row,
                             self->email_value_row };

  bind_shown (self, self->read_only_group, "visible", TRUE);
  bind_shown (self, self->read_only_row, "visible", TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    {
      bind_shown (self, entries[i], "visible", FALSE);
      bind_shown (self, entries[i], "editable", FALSE);
      bind_shown (self, values[i], "visible", TRUE);
      g_object_bind_property_full (entries[i], "text", values[i], "subtitle",
                                   G_BINDING_SYNC_CREATE, text_to_value, NULL, NULL, NULL);
    }
  bind_shown (self, self->address_group, "visible", FALSE);
  bind_shown (self, self->address_view, "editable", FALSE);
  bind_shown (self, self->address_value_row, "visible", TRUE);
  g_object_bind_property_full (gtk_text_view_get_buffer (self->address_view), "text",
                               self->address_value_row, "subtitle", G_BINDING_SYNC_CREATE,
                               text_to_value, NULL, NULL, NULL);
  bind_shown (self, self->logo_remove_button, "visible", FALSE);
  bind_shown (self, self->logo_choose_button, "visible", FALSE);
  bind_shown (self, self->lock_spin, "visible", FALSE);
  bind_shown (self, self->add_practitioner_row, "visible", FALSE);
}

static void
striae_preferences_init (StriaePreferences *self)
{
  g_autoptr(GtkStringList) languages = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  striae_accessible_name_buttons (GTK_WIDGET (self));

  self->practitioner_rows = g_ptr_array_new ();
  bind_read_only (self);
  self->settings = g_settings_new (APP_ID);
  self->languages = striae_sheet_dup_languages (NULL);
  for (guint i = 0; self->languages[i] != NULL; i++)
    {
      g_autofree char *name = striae_sheet_language_dup_name (self->languages[i]);

      gtk_string_list_append (languages, name);
    }
  adw_combo_row_set_model (self->language_row, G_LIST_MODEL (languages));

  g_settings_bind (self->settings, "clinic-name", self->name_row, "text",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "clinic-phone", self->phone_row, "text",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "clinic-email", self->email_row, "text",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "lock-after-minutes",
                   gtk_spin_button_get_adjustment (self->lock_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "clinic-address",
                   gtk_text_view_get_buffer (self->address_view), "text",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (self->settings, "paper-size", self->paper_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, paper_get_mapping, paper_set_mapping,
                                NULL, NULL);
  g_settings_bind_with_mapping (self->settings, "sheet-language", self->language_row,
                                "selected", G_SETTINGS_BIND_DEFAULT, language_get_mapping,
                                language_set_mapping, self, NULL);

  g_signal_connect_object (self->settings, "changed", G_CALLBACK (settings_changed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "preferences.load-sheets", FALSE);
  update_logo_row (self);
  update_practitioners (self);
}

StriaePreferences *
striae_preferences_new (GtkWindow *parent)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  return g_object_new (STRIAE_TYPE_PREFERENCES, "transient-for", parent, "modal", TRUE, NULL);
}

/* The switch saved at once on a file; a refusal puts it back as the records have it. */
static void
signing_changed_cb (StriaePreferences *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StriaeClinic) stored = NULL;
  g_autofree char *user = striae_store_dup_user (self->store);

  if (striae_store_save_clinic (self->store, self->signing, user, &error))
    return;
  add_toast (self, error->message);
  if ((stored = striae_store_load_clinic (self->store, NULL)) != NULL)
    striae_clinic_set_typed_signature (self->signing,
                                       striae_clinic_get_typed_signature (stored));
}

/* Whether a consent may be signed by typing one's name is a setting of the records, on a
 * file as on a clinic server (issue 18), and only an administrator changes it. */
static void
use_records_signing (StriaePreferences *self,
                     StriaeStore       *store)
{
  g_autoptr(GError) error = NULL;
  StriaeClinic *clinic = self->clinic;

  if (clinic == NULL)
    {
      self->signing = striae_store_load_clinic (store, &error);
      if (self->signing == NULL)
        {
          add_toast (self, error->message);
          gtk_widget_set_visible (GTK_WIDGET (self->signing_group), FALSE);
          return;
        }
      g_set_object (&self->store, store);
      clinic = self->signing;
      g_signal_connect_object (clinic, "notify::typed-signature",
                               G_CALLBACK (signing_changed_cb), self, G_CONNECT_SWAPPED);
    }
  g_object_bind_property (clinic, "typed-signature", self->typed_signature_switch, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  if (self->clinic_read_only || !striae_store_may (store, STRIAE_RIGHT_CLINIC, NULL))
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self->typed_signature_switch), FALSE);
      adw_action_row_set_subtitle (self->typed_signature_row,
                                   _("Only the clinic’s administrator can change this."));
    }
}

/**
 * striae_preferences_set_store:
 * @store: the open database, whose clinic rules the Rules page edits
 *
 * Adds the Rules page (once). On a clinic server the Clinic page edits the records' clinic,
 * shared by every PC, and offers to load the clinic's own sheets into them; on a file with
 * accounts it edits the records' clinic too, which only an administrator may change.
 */
void
striae_preferences_set_store (StriaePreferences *self,
                              StriaeStore       *store)
{
  g_return_if_fail (STRIAE_IS_PREFERENCES (self));
  g_return_if_fail (STRIAE_IS_STORE (store));

  striae_records_page_set_store (self->records_page, store);
  if (self->rules_page != NULL)
    return;

  if (striae_clinic_cache_in_records (store))
    use_records_clinic (self, store);

  use_records_signing (self, store);

  self->rules_page = striae_rules_page_new (store);
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self),
                              ADW_PREFERENCES_PAGE (self->rules_page));

  /* Accounts are an administrator's: nobody else sees the page. */
  if (striae_accounts_page_applies (store))
    adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self),
                                ADW_PREFERENCES_PAGE (striae_accounts_page_new (store)));
}

/**
 * striae_preferences_get_rules_page:
 *
 * Returns: (transfer none) (nullable): the Rules page, once a store is set
 */
GtkWidget *
striae_preferences_get_rules_page (StriaePreferences *self)
{
  g_return_val_if_fail (STRIAE_IS_PREFERENCES (self), NULL);

  return self->rules_page != NULL ? GTK_WIDGET (self->rules_page) : NULL;
}

/**
 * striae_preferences_get_records_page:
 *
 * Returns: (transfer none): the Records page (where the records are)
 */
StriaeRecordsPage *
striae_preferences_get_records_page (StriaePreferences *self)
{
  g_return_val_if_fail (STRIAE_IS_PREFERENCES (self), NULL);

  return self->records_page;
}

/**
 * striae_preferences_show_records:
 * @problem: (nullable): one sentence saying why the records could not be opened
 *
 * Turns to the Records page, with @problem above its Connect button.
 */
void
striae_preferences_show_records (StriaePreferences *self,
                                 const char        *problem)
{
  g_return_if_fail (STRIAE_IS_PREFERENCES (self));

  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (self),
                                           ADW_PREFERENCES_PAGE (self->records_page));
  if (problem != NULL)
    striae_records_page_show_problem (self->records_page, problem);
}
