/* SPDX-License-Identifier: GPL-3.0-or-later */
/* syncfs () is Linux's, declared by glibc for GNU sources. */
#define _GNU_SOURCE
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gunixoutputstream.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "striae-sheet-error.h"
#include "striae-sheet-private.h"

/* Writing finished PDFs so that no file ever carries its final name before its whole content
 * is on the disk: each is written under a temporary name in its own folder, the content is
 * synced, the temporary name replaces the final one, and the folder is synced. One file is
 * synced alone (fsync). Several are synced together, once per file system (syncfs), rather
 * than twice a file: the day's batch of 50 sheets spent about 1 s of its 2.3 s in 100
 * fsyncs of its PDFs and their folder (GLib's g_file_set_contents_full ()). */

typedef struct
{
  const char *path;
  char       *temp;
  int         fd;
} PendingFile;

static void
pending_file_clear (PendingFile *file)
{
  if (file->fd >= 0)
    g_close (file->fd, NULL);
  if (file->temp != NULL)
    g_unlink (file->temp);
  g_clear_pointer (&file->temp, g_free);
  file->fd = -1;
}

static gboolean
set_write_error (GError     **error,
                 const char  *path,
                 int          saved_errno)
{
  g_set_error (error, STRIAE_SHEET_ERROR, STRIAE_SHEET_ERROR_WRITE,
               _("The PDF could not be saved: %s: %s."), path, g_strerror (saved_errno));
  return FALSE;
}

/* @contents written to a new temporary file next to @file->path, left open. */
static gboolean
pending_file_write (PendingFile  *file,
                    GBytes       *contents,
                    GError      **error)
{
  g_autoptr(GOutputStream) stream = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize size = 0;
  const void *data = g_bytes_get_data (contents, &size);

  file->temp = g_strconcat (file->path, ".XXXXXX", NULL);
  file->fd = g_mkstemp_full (file->temp, O_RDWR | O_CLOEXEC, 0600);
  if (file->fd < 0)
    {
      int saved_errno = errno;

      g_clear_pointer (&file->temp, g_free);
      return set_write_error (error, file->path, saved_errno);
    }

  stream = g_unix_output_stream_new (file->fd, FALSE);
  if (!g_output_stream_write_all (stream, data, size, NULL, NULL, &local_error))
    {
      g_set_error (error, STRIAE_SHEET_ERROR, STRIAE_SHEET_ERROR_WRITE,
                   _("The PDF could not be saved: %s"), local_error->message);
      return FALSE;
    }
  return TRUE;
}

/* A FUSE file system (the document portal of a Flatpak, among others) may not pass syncfs ()
 * on to what holds the files; fsync () it passes on. */
#define FUSE_MAGIC 0x65735546

/* Whether syncing the file system of @fd is enough for its content: not for a FUSE one. */
static gboolean
fs_syncs_whole (int fd)
{
  struct statfs fs;

  return fstatfs (fd, &fs) == 0 && fs.f_type != FUSE_MAGIC;
}

/* The content of @files (at least one) on the disk: one file alone, or a file system
 * syncfs () does not reach, file by file; else each file system once. */
static gboolean
sync_contents (PendingFile  *files,
               guint         n_files,
               GError      **error)
{
  g_autoptr(GArray) synced = g_array_new (FALSE, FALSE, sizeof (dev_t));

  for (guint i = 0; i < n_files; i++)
    {
      struct stat st;
      gboolean done = FALSE;

      if (n_files == 1 || !fs_syncs_whole (files[i].fd))
        {
          if (fsync (files[i].fd) != 0)
            return set_write_error (error, files[i].path, errno);
          continue;
        }
      if (fstat (files[i].fd, &st) != 0)
        return set_write_error (error, files[i].path, errno);
      for (guint j = 0; j < synced->len && !done; j++)
        done = g_array_index (synced, dev_t, j) == st.st_dev;
      if (done)
        continue;
      if (syncfs (files[i].fd) != 0)
        return set_write_error (error, files[i].path, errno);
      g_array_append_val (synced, st.st_dev);
    }
  return TRUE;
}

/* Each folder of @files on the disk, with the names it now holds. */
static gboolean
sync_folders (PendingFile  *files,
              guint         n_files,
              GError      **error)
{
  g_autoptr(GHashTable) synced = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < n_files; i++)
    {
      char *folder = g_path_get_dirname (files[i].path);
      int fd;

      if (!g_hash_table_add (synced, folder))
        continue;
      fd = g_open (folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
      if (fd < 0 || fsync (fd) != 0)
        {
          int saved_errno = errno;

          if (fd >= 0)
            g_close (fd, NULL);
          return set_write_error (error, files[i].path, saved_errno);
        }
      g_close (fd, NULL);
    }
  return TRUE;
}

/* Syncs @files, then gives each its final name; the first *@n_named are named. */
static gboolean
name_files (PendingFile  *files,
            guint         n_files,
            guint        *n_named,
            GError      **error)
{
  *n_named = 0;
  if (n_files == 0)
    return TRUE;
  if (!sync_contents (files, n_files, error))
    return FALSE;

  for (guint i = 0; i < n_files; i++)
    {
      if (g_rename (files[i].temp, files[i].path) != 0)
        return set_write_error (error, files[i].path, errno);
      g_clear_pointer (&files[i].temp, g_free);
      *n_named = i + 1;
    }
  return sync_folders (files, n_files, error);
}

/**
 * _striae_sheet_write_files:
 * @contents: (array length=n_files): the content of each file
 * @paths: (array length=n_files): where each goes; a file there is replaced
 * @n_written: (out) (optional): how many files were written, the first ones, also on failure
 *
 * Writes each file so that it is either absent, as it was, or whole on the disk under its
 * name: the first ones are written when a later one fails.
 *
 * Returns: %FALSE with @error set (%STRIAE_SHEET_ERROR_WRITE) when a file cannot be written
 */
gboolean
_striae_sheet_write_files (GBytes * const      *contents,
                          const char * const  *paths,
                          guint                n_files,
                          guint               *n_written,
                          GError             **error)
{
  g_autofree PendingFile *files = g_new0 (PendingFile, MAX (n_files, 1));
  g_autoptr(GError) write_error = NULL;
  guint n_ready = 0;
  guint n_named = 0;
  gboolean named;

  while (n_ready < n_files)
    {
      files[n_ready] = (PendingFile) { paths[n_ready], NULL, -1 };
      if (!pending_file_write (&files[n_ready], contents[n_ready], &write_error))
        break;
      n_ready++;
    }
  if (n_ready < n_files)
    pending_file_clear (&files[n_ready]);

  named = name_files (files, n_ready, &n_named, write_error == NULL ? error : NULL);
  for (guint i = 0; i < n_ready; i++)
    pending_file_clear (&files[i]);

  if (n_written != NULL)
    *n_written = n_named;
  if (write_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&write_error));
      return FALSE;
    }
  return named;
}

/**
 * striae_sheet_write_pdfs:
 * @pdfs: (array length=n_files): PDFs from striae_sheet_render_pdf()
 * @paths: (array length=n_files): the file of each; each is replaced only when the whole PDF
 *   is on the disk
 * @n_written: (out) (optional): how many were written, the first ones, also on failure
 *
 * Writes PDFs made beforehand as striae_sheet_export_pdf_each() writes its own: synced to
 * the disk together.
 *
 * Returns: %FALSE with @error set (%STRIAE_SHEET_ERROR_WRITE) when a file cannot be written:
 *   the ones before it are written
 */
gboolean
striae_sheet_write_pdfs (GBytes * const      *pdfs,
                         const char * const  *paths,
                         guint                n_files,
                         guint               *n_written,
                         GError             **error)
{
  g_autoptr(GError) path_error = NULL;
  guint n_fine = 0;
  gboolean written;

  g_return_val_if_fail (pdfs != NULL || n_files == 0, FALSE);
  g_return_val_if_fail (paths != NULL || n_files == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* As striae_sheet_export_pdf_each(): a folder in the way stops the stack there. */
  while (n_fine < n_files && _striae_sheet_check_pdf_path (paths[n_fine], &path_error))
    n_fine++;
  written = _striae_sheet_write_files (pdfs, paths, n_fine, n_written,
                                      path_error == NULL ? error : NULL);
  if (path_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&path_error));
      return FALSE;
    }
  return written;
}
