/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "striae-date.h"
#include "striae-sqlite-private.h"

/* Photos in SQLite (migration 14 in striae-sqlite-schema.c): the record's columns are read
 * for lists, the image and thumbnail blobs only when asked for one photo. */

#define SELF(backend) STRIAE_SQLITE_BACKEND (backend)
#define TEXT(stmt, i) ((const char *) sqlite3_column_text (stmt, i))

/* Columns 0 id, 1 patient, 2 consultation, 3 session record, 4 site, 5 side, 6 moment,
 * 7 date, 8 width, 9 height, 10 sha256, 11 added, 12 added by. */
#define PHOTO_COLUMNS \
  "id, patient_id, consultation_id, treatment_session_id, site, side, moment, date, width," \
  " height, sha256, added, added_by"

static StriaePhoto *
read_photo (sqlite3_stmt *stmt)
{
  StriaePhoto *photo = striae_photo_new ();
  g_autoptr(GDateTime) added = striae_store_parse_timestamp (TEXT (stmt, 11));
  StriaeBodySite site = STRIAE_BODY_SITE_OTHER;
  StriaeSide side = STRIAE_SIDE_NOT_RECORDED;
  StriaePhotoMoment moment = STRIAE_PHOTO_MOMENT_CONSULTATION;
  GDate date;

  striae_photo_set_id (photo, sqlite3_column_int64 (stmt, 0));
  striae_photo_set_patient_id (photo, sqlite3_column_int64 (stmt, 1));
  striae_photo_set_consultation_id (photo, sqlite3_column_int64 (stmt, 2));
  striae_photo_set_treatment_session_id (photo, sqlite3_column_int64 (stmt, 3));
  striae_store_photo_site_from_string (TEXT (stmt, 4), &site);
  striae_photo_set_site (photo, site);
  striae_store_photo_side_from_string (TEXT (stmt, 5), &side);
  striae_photo_set_side (photo, side);
  striae_photo_moment_from_string (TEXT (stmt, 6), &moment);
  striae_photo_set_moment (photo, moment);
  g_date_clear (&date, 1);
  striae_parse_optional_iso_date (TEXT (stmt, 7), &date, NULL);
  striae_photo_set_date (photo, &date);
  striae_photo_set_size (photo, (guint) sqlite3_column_int (stmt, 8),
                         (guint) sqlite3_column_int (stmt, 9));
  striae_photo_set_sha256 (photo, TEXT (stmt, 10));
  striae_photo_set_added (photo, added);
  striae_photo_set_added_by (photo, TEXT (stmt, 12));
  return photo;
}

static void
bind_bytes (sqlite3_stmt *stmt,
            int           index,
            GBytes       *bytes)
{
  gsize size;
  gconstpointer data = g_bytes_get_data (bytes, &size);

  sqlite3_bind_blob64 (stmt, index, data, size, SQLITE_STATIC);
}

static gboolean
sqlite_insert_photo (StriaeStoreBackend  *backend,
                     StriaePhoto         *photo,
                     GBytes              *image,
                     GBytes              *thumbnail,
                     GError             **error)
{
  static const char sql[] =
    "INSERT INTO photos (patient_id, consultation_id, treatment_session_id, site, side,"
    "  moment, date, width, height, sha256, added, added_by, image, thumbnail)"
    "  VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";
  StriaeSqliteBackend *self = SELF (backend);
  sqlite3_stmt *stmt = sqlite_prepare (&self->main, sql, error);
  gint64 session_id = striae_photo_get_treatment_session_id (photo);
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, striae_photo_get_patient_id (photo));
  sqlite3_bind_int64 (stmt, 2, striae_photo_get_consultation_id (photo));
  if (session_id > 0)
    sqlite3_bind_int64 (stmt, 3, session_id);
  else
    sqlite3_bind_null (stmt, 3);
  sqlite3_bind_text (stmt, 4, striae_store_photo_site_to_string (striae_photo_get_site (photo)),
                     -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, striae_store_photo_side_to_string (striae_photo_get_side (photo)),
                     -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, striae_photo_moment_to_string (striae_photo_get_moment (photo)),
                     -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, striae_format_optional_iso_date (striae_photo_get_date (photo)),
                     -1, g_free);
  sqlite3_bind_int (stmt, 8, (int) striae_photo_get_width (photo));
  sqlite3_bind_int (stmt, 9, (int) striae_photo_get_height (photo));
  sqlite3_bind_text (stmt, 10, striae_photo_get_sha256 (photo), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 11, striae_store_format_timestamp (striae_photo_get_added (photo)),
                     -1, g_free);
  sqlite3_bind_text (stmt, 12, striae_photo_get_added_by (photo), -1, SQLITE_STATIC);
  bind_bytes (stmt, 13, image);
  bind_bytes (stmt, 14, thumbnail);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    striae_photo_set_id (photo, sqlite3_last_insert_rowid (self->main.db));
  return sqlite_statement_finish (&self->main, stmt, rc, error);
}

static GPtrArray *
sqlite_list_photos (StriaeStoreBackend  *backend,
                    gint64               patient_id,
                    GError             **error)
{
  static const char sql[] =
    "SELECT " PHOTO_COLUMNS " FROM photos WHERE patient_id = ?1 ORDER BY date, id";
  StriaeSqliteBackend *self = SELF (backend);
  g_autoptr(GPtrArray) list = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = sqlite_prepare (&self->main, sql, error);
  if (stmt == NULL)
    return NULL;

  list = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_bind_int64 (stmt, 1, patient_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, read_photo (stmt));

  return sqlite_statement_finish (&self->main, stmt, rc, error) ? g_steal_pointer (&list) : NULL;
}

static gboolean
sqlite_get_photo (StriaeStoreBackend  *backend,
                  gint64               id,
                  StriaePhoto        **photo,
                  GError             **error)
{
  static const char sql[] = "SELECT " PHOTO_COLUMNS " FROM photos WHERE id = ?1";
  StriaeSqliteBackend *self = SELF (backend);
  sqlite3_stmt *stmt = sqlite_prepare (&self->main, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *photo = read_photo (stmt);
      rc = sqlite3_step (stmt);
    }
  return sqlite_statement_finish (&self->main, stmt, rc, error);
}

static gboolean
sqlite_get_photo_data (StriaeStoreBackend  *backend,
                       gint64               id,
                       gboolean             thumbnail,
                       GBytes             **data,
                       GError             **error)
{
  static const char image_sql[] = "SELECT image FROM photos WHERE id = ?1";
  static const char thumbnail_sql[] = "SELECT thumbnail FROM photos WHERE id = ?1";
  StriaeSqliteBackend *self = SELF (backend);
  sqlite3_stmt *stmt = sqlite_prepare (&self->main, thumbnail ? thumbnail_sql : image_sql,
                                       error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *data = g_bytes_new (sqlite3_column_blob (stmt, 0),
                           (gsize) sqlite3_column_bytes (stmt, 0));
      rc = sqlite3_step (stmt);
    }
  return sqlite_statement_finish (&self->main, stmt, rc, error);
}

static gboolean
sqlite_delete_photo (StriaeStoreBackend  *backend,
                     gint64               id,
                     gboolean            *found,
                     GError             **error)
{
  static const char sql[] = "DELETE FROM photos WHERE id = ?1";
  StriaeSqliteBackend *self = SELF (backend);
  sqlite3_stmt *stmt = sqlite_prepare (&self->main, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  *found = rc == SQLITE_DONE && sqlite3_changes (self->main.db) > 0;
  return sqlite_statement_finish (&self->main, stmt, rc, error);
}

static gboolean
sqlite_get_photo_consent (StriaeStoreBackend  *backend,
                          gint64               patient_id,
                          char               **scope,
                          GDateTime          **recorded,
                          char               **recorded_by,
                          GError             **error)
{
  static const char sql[] =
    "SELECT scope, recorded, recorded_by FROM photo_consents WHERE patient_id = ?1";
  StriaeSqliteBackend *self = SELF (backend);
  sqlite3_stmt *stmt = sqlite_prepare (&self->main, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, patient_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *scope = g_strdup (TEXT (stmt, 0));
      *recorded = striae_store_parse_timestamp (TEXT (stmt, 1));
      *recorded_by = g_strdup (TEXT (stmt, 2));
      rc = sqlite3_step (stmt);
    }
  return sqlite_statement_finish (&self->main, stmt, rc, error);
}

static gboolean
sqlite_set_photo_consent (StriaeStoreBackend  *backend,
                          gint64               patient_id,
                          const char          *scope,
                          GDateTime           *recorded,
                          const char          *recorded_by,
                          GError             **error)
{
  static const char sql[] =
    "INSERT INTO photo_consents (patient_id, scope, recorded, recorded_by)"
    "  VALUES (?1, ?2, ?3, ?4)"
    "  ON CONFLICT (patient_id) DO UPDATE SET scope = excluded.scope,"
    "    recorded = excluded.recorded, recorded_by = excluded.recorded_by";
  StriaeSqliteBackend *self = SELF (backend);
  sqlite3_stmt *stmt = sqlite_prepare (&self->main, sql, error);

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, patient_id);
  sqlite3_bind_text (stmt, 2, scope, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, striae_store_format_timestamp (recorded), -1, g_free);
  sqlite3_bind_text (stmt, 4, recorded_by ? recorded_by : "", -1, SQLITE_STATIC);
  return sqlite_statement_finish (&self->main, stmt, sqlite3_step (stmt), error);
}

void
sqlite_photos_iface_init (StriaeStoreBackendInterface *iface)
{
  iface->insert_photo = sqlite_insert_photo;
  iface->list_photos = sqlite_list_photos;
  iface->get_photo = sqlite_get_photo;
  iface->get_photo_data = sqlite_get_photo_data;
  iface->delete_photo = sqlite_delete_photo;
  iface->get_photo_consent = sqlite_get_photo_consent;
  iface->set_photo_consent = sqlite_set_photo_consent;
}
