/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "striae-patient.h"

G_BEGIN_DECLS

#define STRIAE_STORE_ERROR (striae_store_error_quark ())

typedef enum
{
  STRIAE_STORE_ERROR_FAILED,         /* anything else SQLite reports */
  STRIAE_STORE_ERROR_NOT_A_DATABASE, /* the file is not a Striae database (or is damaged) */
  STRIAE_STORE_ERROR_TOO_NEW,        /* the file comes from a newer Striae */
  STRIAE_STORE_ERROR_READ_ONLY,      /* the file or its folder cannot be written */
  STRIAE_STORE_ERROR_FULL,           /* the disk is full */
  STRIAE_STORE_ERROR_NOT_FOUND,      /* no such record */
  STRIAE_STORE_ERROR_INVALID,        /* the record does not pass validation */
} StriaeStoreError;

GQuark striae_store_error_quark (void);

/* Written to `PRAGMA application_id` so that a Striae database can be told from any other
 * SQLite file; the four bytes spell "STRI" in ASCII. */
#define STRIAE_STORE_APPLICATION_ID 0x53545249

typedef enum
{
  STRIAE_STORE_OPEN_FLAGS_NONE      = 0,
  STRIAE_STORE_OPEN_FLAGS_READ_ONLY = 1 << 0, /* never write; refuse a file that needs upgrading */
} StriaeStoreOpenFlags;

#define STRIAE_TYPE_STORE (striae_store_get_type ())

/* StriaeStore emits "patients-changed" (gint64 id, 0 after a bulk insert) in the thread that
 * made the change, after it was committed. */
G_DECLARE_FINAL_TYPE (StriaeStore, striae_store, STRIAE, STORE, GObject)

char          *striae_store_default_path      (void);
StriaeStore   *striae_store_open              (const char   *path,
                                               GError      **error);
const char    *striae_store_get_path          (StriaeStore  *self);
int            striae_store_get_schema_version (StriaeStore *self);
StriaeStore   *striae_store_open_full         (const char            *path,
                                               StriaeStoreOpenFlags   flags,
                                               GError               **error);
gboolean       striae_store_is_read_only      (StriaeStore  *self);
int            striae_store_get_latest_schema_version (void);
gboolean       striae_store_set_size_limit    (StriaeStore  *self,
                                               guint64       max_bytes,
                                               GError      **error);

/* Patients */
gboolean       striae_store_add_patient       (StriaeStore    *self,
                                               StriaePatient  *patient,
                                               GError        **error);
gboolean       striae_store_add_patients      (StriaeStore    *self,
                                               GPtrArray      *patients,
                                               GError        **error);
gboolean       striae_store_update_patient    (StriaeStore    *self,
                                               StriaePatient  *patient,
                                               GError        **error);
StriaePatient *striae_store_get_patient       (StriaeStore    *self,
                                               gint64          id,
                                               GError        **error);
gboolean       striae_store_delete_patient    (StriaeStore    *self,
                                               gint64          id,
                                               GError        **error);
gint64         striae_store_count_patients    (StriaeStore    *self,
                                               GError        **error);
GArray        *striae_store_search_patients   (StriaeStore    *self,
                                               const char     *text,
                                               guint           limit,
                                               GError        **error);
void           striae_store_search_patients_async  (StriaeStore          *self,
                                                    const char           *text,
                                                    guint                 limit,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
GArray        *striae_store_search_patients_finish (StriaeStore          *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);

G_END_DECLS
