/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "striae-clinic-cache.h"
#include "striae-sheet-names.h"
#include "striae-sheet-template.h"

/* On a clinic server the clinic's own sheet wording and its logo live in the records
 * (striae_store_load_clinic(), striae_store_load_sheet_template()). The sheets read files, so
 * this PC writes what the records hold into a folder of its cache and composes from there:
 * the folder is only ever a copy, brought up to date from the records each time (a file is
 * written only when it changed). */

/* The template loader's own check, so that the records only ever hold a template that
 * loads; its sentence names the file and line. */
static gboolean
check_sheet (const char  *name,
             const char  *language,
             const char  *text,
             const char  *file_name,
             GError     **error)
{
  g_autoptr(StriaeSheetTemplate) template = NULL;

  template = striae_sheet_template_new_from_data (text, -1, file_name,
                                                  striae_sheet_default_placeholders (),
                                                  striae_sheet_default_facts (), error);
  return template != NULL;
}

/**
 * striae_clinic_cache_store_sheet:
 * @text: the clinic's template for sheet @name in @language
 *
 * Checks @text with the sheet template loader and keeps it in the records; a template that
 * does not load is refused with the loader's sentence and nothing is stored.
 */
gboolean
striae_clinic_cache_store_sheet (StriaeStore  *store,
                                 const char   *name,
                                 const char   *language,
                                 const char   *text,
                                 const char   *practitioner,
                                 GError      **error)
{
  g_autofree char *file_name = NULL;

  g_return_val_if_fail (STRIAE_IS_STORE (store), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  file_name = g_strdup_printf ("%s/%s.xml", language, name);
  return check_sheet (name, language, text, file_name, error) &&
         striae_store_save_sheet_template (store, name, language, text, practitioner, error);
}

typedef struct
{
  char *name;
  char *language;
  char *text;
} Sheet;

static void
sheet_free (Sheet *sheet)
{
  g_free (sheet->name);
  g_free (sheet->language);
  g_free (sheet->text);
  g_free (sheet);
}

/* Every <language>/<name>.xml of @folder whose name is a sheet Striae knows, read and
 * checked; NULL at the first that cannot be read or does not load. */
static GPtrArray *
read_folder (const char  *folder,
             GError     **error)
{
  g_autoptr(GPtrArray) sheets = g_ptr_array_new_with_free_func ((GDestroyNotify) sheet_free);
  g_autoptr(GDir) dir = NULL;
  const char * const *names = striae_sheet_template_names ();
  const char *language;

  if (!g_file_test (folder, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                   _("There are no clinic sheets to load: the folder %s does not exist."),
                   folder);
      return NULL;
    }
  if ((dir = g_dir_open (folder, 0, error)) == NULL)
    return NULL;

  while ((language = g_dir_read_name (dir)) != NULL)
    for (guint i = 0; names[i] != NULL; i++)
      {
        g_autofree char *file_name = g_strconcat (names[i], ".xml", NULL);
        g_autofree char *path = g_build_filename (folder, language, file_name, NULL);
        g_autofree char *text = NULL;
        Sheet *sheet;

        if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
          continue;
        if (!g_file_get_contents (path, &text, NULL, error) ||
            !check_sheet (names[i], language, text, path, error))
          return NULL;

        sheet = g_new0 (Sheet, 1);
        sheet->name = g_strdup (names[i]);
        sheet->language = g_strdup (language);
        sheet->text = g_steal_pointer (&text);
        g_ptr_array_add (sheets, sheet);
      }

  return g_steal_pointer (&sheets);
}

/**
 * striae_clinic_cache_load_folder:
 * @folder: a folder of the clinic's templates as <language>/<name>.xml, such as
 *   striae_sheet_template_dup_default_override_dir()
 * @n_loaded: (out) (optional): how many sheets were stored
 *
 * Loads the clinic's own sheets of @folder into the records. Every template is checked
 * first: when one does not load, none is stored and @error carries the loader's sentence.
 */
gboolean
striae_clinic_cache_load_folder (StriaeStore  *store,
                                 const char   *folder,
                                 const char   *practitioner,
                                 guint        *n_loaded,
                                 GError      **error)
{
  g_autoptr(GPtrArray) sheets = NULL;

  g_return_val_if_fail (STRIAE_IS_STORE (store), FALSE);
  g_return_val_if_fail (folder != NULL, FALSE);

  if (n_loaded != NULL)
    *n_loaded = 0;
  if ((sheets = read_folder (folder, error)) == NULL)
    return FALSE;

  for (guint i = 0; i < sheets->len; i++)
    {
      Sheet *sheet = g_ptr_array_index (sheets, i);

      if (!striae_store_save_sheet_template (store, sheet->name, sheet->language, sheet->text,
                                             practitioner, error))
        return FALSE;
      if (n_loaded != NULL)
        (*n_loaded)++;
    }

  return TRUE;
}

/* Writes @data to @path unless the file holds it already: the folder is rewritten each time
 * the clinic's settings are read, and most times nothing changed. */
/* Whether the file at @path holds exactly @data. */
static gboolean
has_contents (const char *path,
              const char *data,
              gsize       length)
{
  g_autofree char *old = NULL;
  gsize old_length = 0;

  return g_file_get_contents (path, &old, &old_length, NULL) && old_length == length &&
         memcmp (old, data, length) == 0;
}

static gboolean
write_if_changed (const char    *path,
                  const char    *data,
                  gsize          length,
                  GError       **error)
{
  if (has_contents (path, data, length))
    return TRUE;

  return g_file_set_contents_full (path, data, length, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                   error);
}

/* Removes the copies a previous call wrote that the records no longer hold (@kept, paths),
 * so that a sheet taken out of the records is no longer used. */
static void
clear_sheets (const char *sheets_dir,
              GHashTable *kept)
{
  g_autoptr(GDir) dir = g_dir_open (sheets_dir, 0, NULL);
  const char *language;

  if (dir == NULL)
    return;

  while ((language = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *language_dir = g_build_filename (sheets_dir, language, NULL);
      g_autoptr(GDir) files = g_dir_open (language_dir, 0, NULL);
      const char *file;

      while (files != NULL && (file = g_dir_read_name (files)) != NULL)
        if (g_str_has_suffix (file, ".xml"))
          {
            g_autofree char *path = g_build_filename (language_dir, file, NULL);

            if (!g_hash_table_contains (kept, path))
              g_unlink (path);
          }
    }
}

static gboolean
write_sheets (StriaeStore  *store,
              const char   *sheets_dir,
              GError      **error)
{
  g_auto(GStrv) entries = striae_store_dup_sheet_templates (store, error);
  g_autoptr(GHashTable) kept = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (entries == NULL)
    return FALSE;

  for (guint i = 0; entries[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (entries[i], "/", 2);
      g_autofree char *text = NULL;
      g_autofree char *language_dir = NULL;
      g_autofree char *file_name = NULL;
      g_autofree char *path = NULL;

      if (g_strv_length (parts) != 2 ||
          !striae_store_load_sheet_template (store, parts[1], parts[0], &text, error))
        return FALSE;
      if (text == NULL)
        continue;

      language_dir = g_build_filename (sheets_dir, parts[0], NULL);
      file_name = g_strconcat (parts[1], ".xml", NULL);
      path = g_build_filename (language_dir, file_name, NULL);
      if (g_mkdir_with_parents (language_dir, 0700) != 0)
        {
          int saved_errno = errno;

          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                       _("Could not create %s: %s"), language_dir, g_strerror (saved_errno));
          return FALSE;
        }
      if (!write_if_changed (path, text, strlen (text), error))
        return FALSE;
      g_hash_table_add (kept, g_steal_pointer (&path));
    }

  clear_sheets (sheets_dir, kept);
  return TRUE;
}

/* Writes @clinic's logo as logo.png in @dir, or removes it when there is none. */
static gboolean
write_logo (StriaeClinic  *clinic,
            const char    *dir,
            char         **logo_path,
            GError       **error)
{
  g_autofree char *logo_file = g_build_filename (dir, "logo.png", NULL);
  GBytes *logo = striae_clinic_get_logo (clinic);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not create %s: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }

  if (logo == NULL)
    {
      g_unlink (logo_file);
      return TRUE;
    }
  if (!write_if_changed (logo_file, g_bytes_get_data (logo, NULL), g_bytes_get_size (logo),
                         error))
    return FALSE;
  *logo_path = g_steal_pointer (&logo_file);
  return TRUE;
}

/**
 * striae_clinic_cache_write:
 * @clinic: the clinic as the records keep it (striae_store_load_clinic())
 * @dir: a folder of this PC's cache for these records
 * @logo_path: (out) (transfer full) (nullable): the logo's file, %NULL when there is none
 *
 * Writes the clinic's logo and its own sheets from the records into @dir.
 *
 * Returns: (transfer full): the folder to compose sheets from (the override folder of
 *   striae_sheet_compose()), or %NULL with @error set
 */
char *
striae_clinic_cache_write (StriaeStore   *store,
                           StriaeClinic  *clinic,
                           const char    *dir,
                           char         **logo_path,
                           GError       **error)
{
  g_autofree char *sheets_dir = NULL;

  g_return_val_if_fail (STRIAE_IS_STORE (store), NULL);
  g_return_val_if_fail (STRIAE_IS_CLINIC (clinic), NULL);
  g_return_val_if_fail (dir != NULL && logo_path != NULL, NULL);

  *logo_path = NULL;
  sheets_dir = g_build_filename (dir, "sheets", NULL);
  if (g_mkdir_with_parents (sheets_dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not create %s: %s"), sheets_dir, g_strerror (saved_errno));
      return NULL;
    }
  if (!write_sheets (store, sheets_dir, error) ||
      !write_logo (clinic, dir, logo_path, error))
    return NULL;

  return g_steal_pointer (&sheets_dir);
}

/**
 * striae_clinic_cache_in_records:
 * @store: (nullable): the open records
 *
 * Returns: whether the clinic's name, address, phone, e-mail, logo, practitioners and idle
 *   minutes before the lock live in @store's records, where only an administrator changes
 *   them (a clinic server, or a file with accounts), rather than in this PC's settings (a
 *   file without accounts yet, or no records at all)
 */
gboolean
striae_clinic_cache_in_records (StriaeStore *store)
{
  g_return_val_if_fail (store == NULL || STRIAE_IS_STORE (store), FALSE);

  return striae_clinic_cache_sheets_in_records (store) ||
         (store != NULL && striae_store_has_accounts (store));
}

/**
 * striae_clinic_cache_sheets_in_records:
 * @store: (nullable): the open records
 *
 * Returns: whether the clinic's own sheet wording lives in @store's records too (a clinic
 *   server), rather than in this PC's folder of sheets (a file)
 */
gboolean
striae_clinic_cache_sheets_in_records (StriaeStore *store)
{
  g_return_val_if_fail (store == NULL || STRIAE_IS_STORE (store), FALSE);

  return store != NULL && striae_store_is_server_location (striae_store_get_path (store));
}

/* The logo of this PC's settings, for the one-time copy; NULL, said on the log, when its
 * file is gone or is no logo: the records cannot keep a path, and the administrator
 * chooses the logo again. */
static GBytes *
read_settings_logo (GSettings *settings)
{
  g_autofree char *path = g_settings_get_string (settings, "clinic-logo");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) logo = NULL;
  g_autofree char *data = NULL;
  gsize size = 0;

  if (path[0] == '\0')
    return NULL;
  if (g_file_get_contents (path, &data, &size, &error))
    {
      logo = g_bytes_new_take (g_steal_pointer (&data), size);
      if (striae_clinic_check_logo (logo, &error))
        return g_steal_pointer (&logo);
    }
  g_message ("The clinic’s logo %s is not copied into the records: %s", path, error->message);
  return NULL;
}

/**
 * striae_clinic_cache_dup_settings_clinic:
 * @settings: this PC's settings
 *
 * Returns: (transfer full): what this PC's settings hold about the clinic
 */
StriaeClinic *
striae_clinic_cache_dup_settings_clinic (GSettings *settings)
{
  g_autoptr(StriaeClinic) clinic = striae_clinic_new ();
  g_auto(GStrv) practitioners = NULL;
  g_autoptr(GBytes) logo = NULL;
  g_autofree char *name = NULL;
  g_autofree char *address = NULL;
  g_autofree char *phone = NULL;
  g_autofree char *email = NULL;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  name = g_settings_get_string (settings, "clinic-name");
  address = g_settings_get_string (settings, "clinic-address");
  phone = g_settings_get_string (settings, "clinic-phone");
  email = g_settings_get_string (settings, "clinic-email");
  practitioners = g_settings_get_strv (settings, "practitioner-names");
  logo = read_settings_logo (settings);
  g_object_set (clinic, "name", name, "address", address, "phone", phone, "email", email,
                NULL);
  striae_clinic_set_practitioners (clinic, (const char * const *) practitioners);
  striae_clinic_set_logo (clinic, logo);
  striae_clinic_set_lock_minutes (clinic, g_settings_get_uint (settings, "lock-after-minutes"));
  return g_steal_pointer (&clinic);
}

/**
 * striae_clinic_cache_adopt:
 * @store: (nullable): the open records
 * @settings: this PC's settings
 *
 * The one-time copy of this PC's clinic settings into a file with accounts
 * (striae_store_adopt_clinic()): the first time this version reads such a file's clinic,
 * what this PC held becomes the records'. Nothing happens after that, on a clinic server,
 * or on a file without accounts.
 */
gboolean
striae_clinic_cache_adopt (StriaeStore  *store,
                           GSettings    *settings,
                           GError      **error)
{
  g_autoptr(StriaeClinic) clinic = NULL;

  g_return_val_if_fail (store == NULL || STRIAE_IS_STORE (store), FALSE);
  g_return_val_if_fail (G_IS_SETTINGS (settings), FALSE);

  if (store == NULL || !striae_store_has_accounts (store))
    return TRUE;
  clinic = striae_clinic_cache_dup_settings_clinic (settings);
  return striae_store_adopt_clinic (store, clinic, NULL, error);
}

/**
 * striae_clinic_cache_load:
 * @store: records that keep the clinic (striae_clinic_cache_in_records())
 * @settings: (nullable): this PC's settings, for the one-time copy
 *
 * The records' clinic, after the one-time copy of this PC's settings into a file with
 * accounts (striae_clinic_cache_adopt()).
 *
 * Returns: (transfer full): the clinic, or %NULL with @error set
 */
StriaeClinic *
striae_clinic_cache_load (StriaeStore  *store,
                          GSettings    *settings,
                          GError      **error)
{
  g_return_val_if_fail (STRIAE_IS_STORE (store), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  if (settings != NULL && !striae_clinic_cache_adopt (store, settings, error))
    return NULL;
  return striae_store_load_clinic (store, error);
}

/* This PC's copy of one server's (or file's) clinic files; named by a hash, so that the
 * folder name carries nothing of the server's address. */
static char *
dup_cache_dir (StriaeStore *store)
{
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256,
                                                         striae_store_get_path (store), -1);

  return g_build_filename (g_get_user_cache_dir (), "striae", "clinic", hash, NULL);
}

/**
 * striae_clinic_cache_dup_settings:
 * @store: (nullable): the open records
 * @settings: this PC's settings
 * @override_dir: (inout) (transfer full) (nullable): the folder of the clinic's own sheets;
 *   replaced by this PC's copy of the records' sheets on a clinic server, left as it is
 *   otherwise
 *
 * The one answer to "the clinic's settings": on a file without accounts, this PC's settings
 * as always; on a clinic server or a file with accounts, what its records hold, read afresh,
 * with this PC's paper and language. A file's own sheets stay in this PC's folder.
 *
 * Returns: (transfer full): the settings, or %NULL with @error set when the records cannot
 *   be read
 */
StriaeClinicSettings *
striae_clinic_cache_dup_settings (StriaeStore  *store,
                                  GSettings    *settings,
                                  char        **override_dir,
                                  GError      **error)
{
  g_autoptr(StriaeClinic) clinic = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *logo_path = NULL;
  char *sheets_dir;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (override_dir != NULL, NULL);

  if (!striae_clinic_cache_in_records (store))
    return striae_clinic_settings_new_from_gsettings (settings);

  if ((clinic = striae_clinic_cache_load (store, settings, error)) == NULL)
    return NULL;
  dir = dup_cache_dir (store);
  if (!striae_clinic_cache_sheets_in_records (store))
    {
      if (!write_logo (clinic, dir, &logo_path, error))
        return NULL;
      return striae_clinic_settings_new_from_clinic (clinic, settings, logo_path);
    }
  if ((sheets_dir = striae_clinic_cache_write (store, clinic, dir, &logo_path, error)) == NULL)
    return NULL;

  g_free (*override_dir);
  *override_dir = sheets_dir;
  return striae_clinic_settings_new_from_clinic (clinic, settings, logo_path);
}

/* The path of this PC's copy of @clinic's logo in @dir when that copy is the records' logo
 * already; read only. */
static gboolean
peek_logo (StriaeClinic  *clinic,
           const char    *dir,
           char         **logo_path,
           GError       **error)
{
  g_autofree char *logo_file = g_build_filename (dir, "logo.png", NULL);
  GBytes *logo = striae_clinic_get_logo (clinic);

  if (logo == NULL)
    return TRUE;
  if (has_contents (logo_file, g_bytes_get_data (logo, NULL), g_bytes_get_size (logo)))
    {
      *logo_path = g_steal_pointer (&logo_file);
      return TRUE;
    }
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                       "This PC has no copy of the clinic’s logo yet");
  return FALSE;
}

/**
 * striae_clinic_cache_peek_settings:
 * @store: (nullable): the open records, read only as well
 * @settings: this PC's settings
 *
 * striae_clinic_cache_dup_settings() for a reading ahead of a sign-in, which may write
 * nothing at all: not this PC's copy of the clinic's logo, nor the copy of a clinic server's
 * own sheets, nor the one-time copy of this PC's clinic into the records. The logo's copy
 * in this PC's cache is used when it is the records' logo already.
 *
 * Returns: (transfer full): the settings, or %NULL with @error set when they cannot be had
 *   without writing (%G_IO_ERROR_NOT_FOUND: no copy of the logo, or an outdated one;
 *   %G_IO_ERROR_NOT_SUPPORTED: a clinic server's sheets) or the records cannot be read
 */
StriaeClinicSettings *
striae_clinic_cache_peek_settings (StriaeStore  *store,
                                   GSettings    *settings,
                                   GError      **error)
{
  g_autoptr(StriaeClinic) clinic = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *logo_path = NULL;

  g_return_val_if_fail (store == NULL || STRIAE_IS_STORE (store), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  if (!striae_clinic_cache_in_records (store))
    return striae_clinic_settings_new_from_gsettings (settings);
  if (striae_clinic_cache_sheets_in_records (store))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           "A clinic server’s sheets are copied to this PC first");
      return NULL;
    }

  /* No adoption here: striae_store_adopt_clinic() writes, and its caller checks after the
   * sign-in whether this run is the one that adopts. */
  if ((clinic = striae_store_load_clinic (store, error)) == NULL)
    return NULL;
  dir = dup_cache_dir (store);
  if (!peek_logo (clinic, dir, &logo_path, error))
    return NULL;
  return striae_clinic_settings_new_from_clinic (clinic, settings, logo_path);
}

/**
 * striae_clinic_cache_dup_practitioners:
 * @store: (nullable): the open records
 * @settings: (nullable): this PC's settings
 *
 * The clinic's practitioners, as the wizard offers them: the records' on a clinic server
 * or a file with accounts, this PC's settings otherwise.
 *
 * Returns: (transfer full): the names; empty when none is known or the records cannot be
 *   read (the name is then typed)
 */
GStrv
striae_clinic_cache_dup_practitioners (StriaeStore *store,
                                       GSettings   *settings)
{
  g_autoptr(StriaeClinic) clinic = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  if (!striae_clinic_cache_in_records (store))
    return settings != NULL ? g_settings_get_strv (settings, "practitioner-names")
                            : g_new0 (char *, 1);

  if ((clinic = striae_clinic_cache_load (store, settings, &error)) == NULL)
    {
      g_info ("The clinic’s practitioners are not offered: %s", error->message);
      return g_new0 (char *, 1);
    }
  return g_strdupv ((char **) striae_clinic_get_practitioners (clinic));
}

static GStrv
with_name_first (const char * const *names,
                 const char         *name)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_strv_builder_add (builder, name);
  g_strv_builder_addv (builder, (const char **) names);
  return g_strv_builder_end (builder);
}

/**
 * striae_clinic_cache_remember_practitioner:
 * @name: who signed a consultation
 *
 * Adds @name to the clinic's practitioners when it is not there yet, where the clinic keeps
 * them. A convenience: where the records keep the list, only an administrator may change
 * it, so for other accounts nothing changes.
 */
void
striae_clinic_cache_remember_practitioner (StriaeStore *store,
                                           GSettings   *settings,
                                           const char  *name)
{
  g_autoptr(StriaeClinic) clinic = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *user = NULL;
  g_auto(GStrv) updated = NULL;

  g_return_if_fail (name != NULL);

  if (!striae_clinic_cache_in_records (store))
    {
      g_auto(GStrv) names = NULL;

      if (settings == NULL)
        return;
      names = g_settings_get_strv (settings, "practitioner-names");
      if (g_strv_contains ((const char * const *) names, name))
        return;
      updated = with_name_first ((const char * const *) names, name);
      g_settings_set_strv (settings, "practitioner-names", (const char * const *) updated);
      return;
    }

  if ((clinic = striae_clinic_cache_load (store, settings, &error)) == NULL ||
      g_strv_contains (striae_clinic_get_practitioners (clinic), name))
    return;
  updated = with_name_first (striae_clinic_get_practitioners (clinic), name);
  striae_clinic_set_practitioners (clinic, (const char * const *) updated);
  user = striae_store_dup_user (store);
  if (!striae_store_save_clinic (store, clinic, user, &error))
    g_info ("%s is not added to the clinic’s practitioners: %s", name, error->message);
}

static void
read_lock_minutes_thread (GTask        *task,
                          gpointer      source,
                          gpointer      data,
                          GCancellable *cancellable)
{
  g_autoptr(StriaeClinic) clinic = NULL;
  GError *error = NULL;

  if ((clinic = striae_store_load_clinic (source, &error)) == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, striae_clinic_get_lock_minutes (clinic));
}

/**
 * striae_clinic_cache_read_lock_minutes_async:
 * @store: records that keep the clinic (striae_clinic_cache_in_records())
 *
 * Reads the clinic's idle minutes before the windows lock from the records, in a worker
 * thread, so that the window never waits on the server for them. A file with accounts took
 * this PC's settings first (striae_clinic_cache_adopt()).
 */
void
striae_clinic_cache_read_lock_minutes_async (StriaeStore         *store,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (STRIAE_IS_STORE (store));

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, striae_clinic_cache_read_lock_minutes_async);
  g_task_run_in_thread (task, read_lock_minutes_thread);
}

/**
 * striae_clinic_cache_read_lock_minutes_finish:
 *
 * Returns: the minutes, from %STRIAE_CLINIC_LOCK_MINUTES_MIN to
 *   %STRIAE_CLINIC_LOCK_MINUTES_MAX, or 0 with @error set when the records could not tell
 */
guint
striae_clinic_cache_read_lock_minutes_finish (StriaeStore   *store,
                                              GAsyncResult  *result,
                                              GError       **error)
{
  gssize minutes;

  g_return_val_if_fail (g_task_is_valid (result, store), 0);

  /* Not inside MAX(), which would evaluate it, and so take the result, twice. */
  minutes = g_task_propagate_int (G_TASK (result), error);
  return (guint) MAX (minutes, 0);
}
