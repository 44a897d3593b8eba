/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "striae-sheet-error.h"
#include "striae-sheet-private.h"

/* Writing finished PDFs so that no file ever carries its final name before its whole content
 * is on the disk: each is written under a temporary name in its own folder, the content is
 * synced (fsync), the temporary name replaces the final one, and the folder is synced.
 * Several files are written and synced by a small pool of threads, each file by one: what
 * they wait for is the disk, not the processor, and the file system commits the syncs that
 * wait together in one go. The day's batch of 50 sheets first spent about 1 s in 100 fsyncs
 * one after the other; one syncfs () for all of them then waited for whatever else anyone
 * had written to the same file system (0.06 to 0.4 s on a machine that builds meanwhile). */

/* More threads than this gain nothing on one disk. */
#define MAX_WRITERS 8

typedef struct
{
  const char *path;
  GBytes     *contents;
  char       *temp;
  int         fd;
  GError     *error;
} PendingFile;

static void
pending_file_clear (PendingFile *file)
{
  if (file->fd >= 0)
    g_close (file->fd, NULL);
  if (file->temp != NULL)
    g_unlink (file->temp);
  g_clear_pointer (&file->temp, g_free);
  g_clear_error (&file->error);
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

/* Plain write ()s: a GUnixOutputStream would first ask epoll whether a file can be polled,
 * twice a file. */
static gboolean
write_all (int           fd,
           const guint8 *data,
           gsize         size)
{
  while (size > 0)
    {
      gssize written = write (fd, data, size);

      if (written < 0 && errno == EINTR)
        continue;
      if (written < 0)
        return FALSE;
      data += written;
      size -= written;
    }
  return TRUE;
}

/* @file's contents written to a new temporary file next to @file->path, and synced; left
 * open. */
static gboolean
pending_file_write (PendingFile  *file,
                    GError      **error)
{
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (file->contents, &size);

  file->temp = g_strconcat (file->path, ".XXXXXX", NULL);
  file->fd = g_mkstemp_full (file->temp, O_RDWR | O_CLOEXEC, 0600);
  if (file->fd < 0)
    {
      int saved_errno = errno;

      g_clear_pointer (&file->temp, g_free);
      return set_write_error (error, file->path, saved_errno);
    }

  if (!write_all (file->fd, data, size) || fsync (file->fd) != 0)
    return set_write_error (error, file->path, errno);
  return TRUE;
}

static void
write_file_cb (gpointer data,
               gpointer user_data)
{
  PendingFile *file = data;

  pending_file_write (file, &file->error);
}

/* Each of @files written and synced, by a pool of threads when there are several; each
 * file's own error in its error. */
static void
write_contents (PendingFile *files,
                guint        n_files)
{
  GThreadPool *pool;

  if (n_files == 1)
    {
      write_file_cb (&files[0], NULL);
      return;
    }

  pool = g_thread_pool_new (write_file_cb, NULL, MIN (n_files, MAX_WRITERS), FALSE, NULL);
  for (guint i = 0; i < n_files; i++)
    g_thread_pool_push (pool, &files[i], NULL);
  /* Returns once every file is written. */
  g_thread_pool_free (pool, FALSE, TRUE);
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

/* Gives each of @files, written and synced, its final name; the first *@n_named are
 * named. */
static gboolean
name_files (PendingFile  *files,
            guint         n_files,
            guint        *n_named,
            GError      **error)
{
  *n_named = 0;
  if (n_files == 0)
    return TRUE;

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

  for (guint i = 0; i < n_files; i++)
    files[i] = (PendingFile) { paths[i], contents[i], NULL, -1, NULL };
  if (n_files > 0)
    write_contents (files, n_files);

  /* As if written one after the other: a file that failed stops the batch there, and the
   * ones after it, written meanwhile or not, are dropped. */
  while (n_ready < n_files && files[n_ready].error == NULL)
    n_ready++;
  if (n_ready < n_files)
    write_error = g_steal_pointer (&files[n_ready].error);
  for (guint i = n_ready; i < n_files; i++)
    pending_file_clear (&files[i]);

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
