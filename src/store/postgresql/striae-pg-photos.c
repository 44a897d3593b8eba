/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "striae-date.h"
#include "striae-pg-private.h"

/* Photos on the server (step 14 in striae-pg-schema.c), as in the file
 * (striae-sqlite-photos.c). The image and the thumbnail travel as binary parameters and
 * results (bytea), never escaped into text. */

#define SELF(backend) STRIAE_PG_BACKEND (backend)

/* Columns 0 id, 1 patient, 2 consultation, 3 session record, 4 site, 5 side, 6 moment,
 * 7 date, 8 width, 9 height, 10 sha256, 11 added, 12 added by. */
#define PHOTO_COLUMNS \
  "id, patient_id, consultation_id, treatment_session_id, site, side, moment, date, width," \
  " height, sha256, added, added_by"

static StriaePhoto *
read_photo (const PGresult *result,
            int             row)
{
  StriaePhoto *photo = striae_photo_new ();
  g_autoptr(GDateTime) added = striae_store_parse_timestamp (pg_value (result, row, 11));
  StriaeBodySite site = STRIAE_BODY_SITE_OTHER;
  StriaeSide side = STRIAE_SIDE_NOT_RECORDED;
  StriaePhotoMoment moment = STRIAE_PHOTO_MOMENT_CONSULTATION;
  GDate date;

  striae_photo_set_id (photo, pg_int (result, row, 0));
  striae_photo_set_patient_id (photo, pg_int (result, row, 1));
  striae_photo_set_consultation_id (photo, pg_int (result, row, 2));
  striae_photo_set_treatment_session_id (photo, pg_int (result, row, 3));
  striae_store_photo_site_from_string (pg_value (result, row, 4), &site);
  striae_photo_set_site (photo, site);
  striae_store_photo_side_from_string (pg_value (result, row, 5), &side);
  striae_photo_set_side (photo, side);
  striae_photo_moment_from_string (pg_value (result, row, 6), &moment);
  striae_photo_set_moment (photo, moment);
  g_date_clear (&date, 1);
  striae_parse_optional_iso_date (pg_value (result, row, 7), &date, NULL);
  striae_photo_set_date (photo, &date);
  striae_photo_set_size (photo, (guint) pg_int (result, row, 8), (guint) pg_int (result, row, 9));
  striae_photo_set_sha256 (photo, pg_value (result, row, 10));
  striae_photo_set_added (photo, added);
  striae_photo_set_added_by (photo, pg_value (result, row, 12));
  return photo;
}

/* pg_run() with binary parameters where @lengths says so (0: a text) and the results in
 * binary when @binary_result; the audit rows the transaction appended go first, as there. */
static PGresult *
run_binary (StriaePgBackend     *self,
            const char          *sql,
            int                  n_params,
            const char * const  *params,
            const int           *lengths,
            gboolean             binary_result,
            GError             **error)
{
  g_autofree int *formats = g_new0 (int, MAX (n_params, 1));
  PgStatement statement = { sql, n_params, params, NULL, lengths, formats,
                            binary_result ? 1 : 0 };

  for (int i = 0; i < n_params; i++)
    formats[i] = lengths != NULL && lengths[i] > 0 ? 1 : 0;
  return pg_run_state (self, &statement, NULL, error);
}

static gboolean
pg_insert_photo (StriaeStoreBackend  *backend,
                 StriaePhoto         *photo,
                 GBytes              *image,
                 GBytes              *thumbnail,
                 GError             **error)
{
  static const char sql[] =
    "INSERT INTO photos (patient_id, consultation_id, treatment_session_id, site, side,"
    "  moment, date, width, height, sha256, added, added_by, image, thumbnail)"
    "  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id";
  StriaePgBackend *self = SELF (backend);
  gint64 session_id = striae_photo_get_treatment_session_id (photo);
  g_autofree char *patient = pg_int_text (striae_photo_get_patient_id (photo));
  g_autofree char *consultation = pg_int_text (striae_photo_get_consultation_id (photo));
  g_autofree char *session = session_id > 0 ? pg_int_text (session_id) : NULL;
  g_autofree char *date = striae_format_optional_iso_date (striae_photo_get_date (photo));
  g_autofree char *width = pg_int_text (striae_photo_get_width (photo));
  g_autofree char *height = pg_int_text (striae_photo_get_height (photo));
  g_autofree char *added = striae_store_format_timestamp (striae_photo_get_added (photo));
  gsize image_size, thumbnail_size;
  const char *image_data = g_bytes_get_data (image, &image_size);
  const char *thumbnail_data = g_bytes_get_data (thumbnail, &thumbnail_size);
  const char *params[] = {
    patient, consultation, session,
    striae_store_photo_site_to_string (striae_photo_get_site (photo)),
    striae_store_photo_side_to_string (striae_photo_get_side (photo)),
    striae_photo_moment_to_string (striae_photo_get_moment (photo)),
    date, width, height, striae_photo_get_sha256 (photo), added,
    striae_photo_get_added_by (photo), image_data, thumbnail_data,
  };
  int lengths[G_N_ELEMENTS (params)] = { 0 };
  g_autoptr(PGresult) result = NULL;

  lengths[12] = (int) image_size;
  lengths[13] = (int) thumbnail_size;
  result = run_binary (self, sql, G_N_ELEMENTS (params), params, lengths, FALSE, error);
  if (result == NULL)
    return FALSE;
  striae_photo_set_id (photo, pg_int (result, 0, 0));
  return TRUE;
}

static GPtrArray *
pg_list_photos (StriaeStoreBackend  *backend,
                gint64               patient_id,
                GError             **error)
{
  static const char sql[] =
    "SELECT " PHOTO_COLUMNS " FROM photos WHERE patient_id = $1"
    "  ORDER BY date COLLATE \"C\", id";
  StriaePgBackend *self = SELF (backend);
  g_autofree char *id_text = pg_int_text (patient_id);
  const char *params[] = { id_text };
  g_autoptr(PGresult) result = NULL;
  GPtrArray *list;

  result = pg_run (self, self->main.conn, sql, 1, params, error);
  if (result == NULL)
    return NULL;

  list = g_ptr_array_new_with_free_func (g_object_unref);
  for (int i = 0; i < PQntuples (result); i++)
    g_ptr_array_add (list, read_photo (result, i));
  return list;
}

static gboolean
pg_get_photo (StriaeStoreBackend  *backend,
              gint64               id,
              StriaePhoto        **photo,
              GError             **error)
{
  static const char sql[] = "SELECT " PHOTO_COLUMNS " FROM photos WHERE id = $1";
  StriaePgBackend *self = SELF (backend);
  g_autofree char *id_text = pg_int_text (id);
  const char *params[] = { id_text };
  g_autoptr(PGresult) result = NULL;

  result = pg_run (self, self->main.conn, sql, 1, params, error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) > 0)
    *photo = read_photo (result, 0);
  return TRUE;
}

static gboolean
pg_get_photo_data (StriaeStoreBackend  *backend,
                   gint64               id,
                   gboolean             thumbnail,
                   GBytes             **data,
                   GError             **error)
{
  static const char image_sql[] = "SELECT image FROM photos WHERE id = $1::bigint";
  static const char thumbnail_sql[] = "SELECT thumbnail FROM photos WHERE id = $1::bigint";
  StriaePgBackend *self = SELF (backend);
  g_autofree char *id_text = pg_int_text (id);
  const char *params[] = { id_text };
  g_autoptr(PGresult) result = NULL;

  result = run_binary (self, thumbnail ? thumbnail_sql : image_sql, 1, params, NULL, TRUE,
                       error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) > 0)
    *data = g_bytes_new (PQgetvalue (result, 0, 0), (gsize) PQgetlength (result, 0, 0));
  return TRUE;
}

static gboolean
pg_delete_photo (StriaeStoreBackend  *backend,
                 gint64               id,
                 gboolean            *found,
                 GError             **error)
{
  static const char sql[] = "DELETE FROM photos WHERE id = $1";
  StriaePgBackend *self = SELF (backend);
  g_autofree char *id_text = pg_int_text (id);
  const char *params[] = { id_text };
  gint64 n = 0;

  if (!pg_exec_count (self, sql, 1, params, &n, error))
    return FALSE;
  *found = n > 0;
  return TRUE;
}

static gboolean
pg_get_photo_consent (StriaeStoreBackend  *backend,
                      gint64               patient_id,
                      char               **scope,
                      GDateTime          **recorded,
                      char               **recorded_by,
                      GError             **error)
{
  static const char sql[] =
    "SELECT scope, recorded, recorded_by FROM photo_consents WHERE patient_id = $1";
  StriaePgBackend *self = SELF (backend);
  g_autofree char *id_text = pg_int_text (patient_id);
  const char *params[] = { id_text };
  g_autoptr(PGresult) result = NULL;

  result = pg_run (self, self->main.conn, sql, 1, params, error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) > 0)
    {
      *scope = g_strdup (pg_value (result, 0, 0));
      *recorded = striae_store_parse_timestamp (pg_value (result, 0, 1));
      *recorded_by = g_strdup (pg_value (result, 0, 2));
    }
  return TRUE;
}

static gboolean
pg_set_photo_consent (StriaeStoreBackend  *backend,
                      gint64               patient_id,
                      const char          *scope,
                      GDateTime           *recorded,
                      const char          *recorded_by,
                      GError             **error)
{
  static const char sql[] =
    "INSERT INTO photo_consents (patient_id, scope, recorded, recorded_by)"
    "  VALUES ($1, $2, $3, $4)"
    "  ON CONFLICT (patient_id) DO UPDATE SET scope = excluded.scope,"
    "    recorded = excluded.recorded, recorded_by = excluded.recorded_by";
  StriaePgBackend *self = SELF (backend);
  g_autofree char *id_text = pg_int_text (patient_id);
  g_autofree char *when = striae_store_format_timestamp (recorded);
  const char *params[] = { id_text, scope, when, recorded_by ? recorded_by : "" };

  return pg_queue (self, sql, G_N_ELEMENTS (params), params, error);
}

void
pg_photos_iface_init (StriaeStoreBackendInterface *iface)
{
  iface->insert_photo = pg_insert_photo;
  iface->list_photos = pg_list_photos;
  iface->get_photo = pg_get_photo;
  iface->get_photo_data = pg_get_photo_data;
  iface->delete_photo = pg_delete_photo;
  iface->get_photo_consent = pg_get_photo_consent;
  iface->set_photo_consent = pg_set_photo_consent;
}
