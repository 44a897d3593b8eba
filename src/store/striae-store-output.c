/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "striae-store-private.h"

/* Where Striae may write a file that a person named: `--output`, a file chooser, a backup.
 * A typo there must never replace the records themselves, SQLite's files beside them, or a
 * device, folder or link that happens to carry the name. Files are compared both by name
 * (after resolving the folder, so "./x/../striae.db" is caught) and, when both exist, by
 * device and inode (so a hard link is caught too). */

/* The absolute name with its folder resolved: the file itself need not exist. */
static char *
resolve_name (const char *path)
{
  g_autofree char *absolute = g_canonicalize_filename (path, NULL);
  g_autofree char *dir = g_path_get_dirname (absolute);
  g_autofree char *base = g_path_get_basename (absolute);
  g_autofree char *real_dir = realpath (dir, NULL);

  if (real_dir == NULL)
    return g_steal_pointer (&absolute);
  return g_build_filename (real_dir, base, NULL);
}

static gboolean
is_same_file (const char *resolved,
              GStatBuf   *target,
              gboolean    target_exists,
              const char *other)
{
  g_autofree char *resolved_other = resolve_name (other);
  GStatBuf st;

  if (g_strcmp0 (resolved, resolved_other) == 0)
    return TRUE;
  return target_exists && g_lstat (other, &st) == 0 &&
         st.st_dev == target->st_dev && st.st_ino == target->st_ino;
}

static gboolean
is_inside (const char *resolved,
           const char *folder)
{
  g_autofree char *real_folder = realpath (folder, NULL);
  const char *root = real_folder != NULL ? real_folder : folder;
  gsize length = strlen (root);

  return strncmp (resolved, root, length) == 0 &&
         (resolved[length] == G_DIR_SEPARATOR || resolved[length] == '\0');
}

static gboolean
check_not_database (StriaeStore  *self,
                    const char   *path,
                    const char   *resolved,
                    GStatBuf     *st,
                    gboolean      exists,
                    GError      **error)
{
  g_auto(GStrv) files = NULL;

  if (self == NULL)
    return TRUE;

  files = striae_store_backend_dup_files (self->backend);
  for (guint i = 0; files != NULL && files[i] != NULL; i++)
    {
      if (!is_same_file (resolved, st, exists, files[i]))
        continue;
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
                   _("“%s” is the patient database (or one of its journal files) that is open "
                     "now; writing there would destroy the records. Nothing was written; "
                     "choose another file name."), path);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_not_in_data_folder (const char  *path,
                          const char  *resolved,
                          GError     **error)
{
  g_autofree char *folder = g_build_filename (g_get_user_data_dir (), "striae", NULL);

  if (!is_inside (resolved, folder))
    return TRUE;
  g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
               _("“%s” is inside Striae’s own data folder %s, which holds the records. Nothing "
                 "was written; choose a place outside it."), path, folder);
  return FALSE;
}

static gboolean
check_output (StriaeStore  *self,
              const char   *path,
              gboolean      folder,
              GError      **error)
{
  g_autofree char *resolved = NULL;
  GStatBuf st;
  gboolean exists;

  if (path == NULL || *path == '\0')
    {
      g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
                           _("No file name was given. Nothing was written."));
      return FALSE;
    }

  exists = g_lstat (path, &st) == 0;
  if (exists && folder && !S_ISDIR (st.st_mode))
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
                   _("“%s” exists and is not a folder. Nothing was written; name a new or "
                     "existing folder."), path);
      return FALSE;
    }
  if (exists && !folder && S_ISDIR (st.st_mode))
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
                   _("“%s” is a folder, not a file name. Nothing was written; name a file "
                     "inside it."), path);
      return FALSE;
    }
  if (exists && !folder && !S_ISREG (st.st_mode))
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
                   _("“%s” exists and is not an ordinary file (a link, a device or a pipe). "
                     "Nothing was written; choose another file name."), path);
      return FALSE;
    }

  resolved = resolve_name (path);
  return check_not_database (self, path, resolved, &st, exists, error) &&
         check_not_in_data_folder (path, resolved, error);
}

/**
 * striae_store_check_output:
 * @self: (nullable): the open store, whose files are protected
 * @path: a file Striae is about to write (a PDF, an export, a backup)
 *
 * Refuses a file name that would replace the open database, its -wal, -shm or journal file,
 * anything inside Striae's data folder, or an existing folder, link, device or pipe. Call it
 * before writing; it changes nothing.
 *
 * Returns: %FALSE with @error set (%STRIAE_STORE_ERROR_INVALID) when @path must not be written
 */
gboolean
striae_store_check_output (StriaeStore  *self,
                           const char   *path,
                           GError      **error)
{
  g_return_val_if_fail (self == NULL || STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return check_output (self, path, FALSE, error);
}

/**
 * striae_store_check_output_folder:
 * @self: (nullable): the open store
 * @path: a folder Striae is about to write files into (the day's sheets)
 *
 * Like striae_store_check_output() for a folder: it must be a folder or not exist yet, and
 * lie outside Striae's data folder. Each file written into it is checked on its own too.
 *
 * Returns: %FALSE with @error set when @path must not be written into
 */
gboolean
striae_store_check_output_folder (StriaeStore  *self,
                                  const char   *path,
                                  GError      **error)
{
  g_return_val_if_fail (self == NULL || STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return check_output (self, path, TRUE, error);
}
