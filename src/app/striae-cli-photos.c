/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <stdio.h>

#include "striae-cli.h"
#include "striae-cli-photos.h"
#include "striae-cli-records.h"
#include "striae-core-enums.h"
#include "striae-photo-image.h"
#include "striae-store.h"

/* No camera writes a photo this large; a bigger file is refused before it is read. */
#define PHOTO_FILE_MAX_BYTES (200 * 1024 * 1024)

static const GOptionEntry photo_entries[] = {
  { "add-photo", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME_ARRAY, NULL,
    N_("Add the photo FILE (JPEG, PNG or HEIF; several files may follow) of --site at "
       "--moment to --consultation ID, or to its session --session N"), N_("FILE") },
  { "session", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
    N_("With --add-photo, the session of the consultation (its number in the course)"),
    N_("N") },
  { "site", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
    N_("With --add-photo, the area photographed: abdomen, breasts, hips, flanks, thighs, "
       "buttocks, upper-arms, inner-arms, lower-back or other"), N_("SITE") },
  { "side", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
    N_("With --add-photo, the side of a paired area: left, right or both"), N_("SIDE") },
  { "moment", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
    N_("With --add-photo, when it was taken: consultation, before or after (treating)"),
    N_("MOMENT") },
  { "photo-consent", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
    N_("Record the photo consent of patient ID, given as none, clinical or teaching after "
       "it"), N_("ID") },
  { NULL }
};

void
striae_cli_photos_add_options (GApplication *app)
{
  g_return_if_fail (G_IS_APPLICATION (app));

  g_application_add_main_option_entries (app, photo_entries);
}

/* What followed the options (striae-cli-server.c collects it): more files after
 * --add-photo, the scope after --photo-consent. */
static GPtrArray *
remaining (GVariantDict *options)
{
  GPtrArray *words = g_ptr_array_new_with_free_func (g_free);
  g_autofree const char **values = NULL;

  if (g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&s", &values))
    for (guint i = 0; values[i] != NULL; i++)
      g_ptr_array_add (words, g_strdup (values[i]));
  return words;
}

static gboolean
bad_value (GError     **error,
           const char  *option,
           const char  *expected,
           const char  *given)
{
  /* TRANSLATORS: --%s is an option such as --site; then the values it takes; “%s” what was
   * given */
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               _("--%s takes %s, not “%s”."), option, expected, given);
  return FALSE;
}

static gboolean
lookup_enum (GVariantDict  *options,
             const char    *option,
             GType          type,
             const char    *expected,
             gboolean       required,
             int           *value,
             GError       **error)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  const char *text = NULL;
  GEnumValue *ev;

  if (!g_variant_dict_lookup (options, option, "&s", &text))
    {
      if (!required)
        return TRUE;
      /* TRANSLATORS: --%s is an option such as --moment; then the values it takes */
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("--add-photo needs --%s: %s."), option, expected);
      return FALSE;
    }
  ev = g_enum_get_value_by_nick (klass, text);
  if (ev == NULL)
    return bad_value (error, option, expected, text);
  *value = ev->value;
  return TRUE;
}

typedef struct
{
  gint64             consultation_id;
  guint              session_number;
  StriaeBodySite     site;
  StriaeSide         side;
  StriaePhotoMoment  moment;
} Place;

static gboolean
read_place (GVariantDict  *options,
            Place         *place,
            GError       **error)
{
  const char *text = NULL;
  int site = STRIAE_BODY_SITE_OTHER;
  int side = -1;
  int moment = STRIAE_PHOTO_MOMENT_CONSULTATION;
  guint64 number = 0;

  if (!striae_cli_lookup_id (options, "consultation", &place->consultation_id, error))
    return FALSE;
  if (place->consultation_id == 0)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("--add-photo needs --consultation ID: the consultation the photo "
                             "belongs to."));
      return FALSE;
    }
  if (g_variant_dict_lookup (options, "session", "&s", &text) &&
      !g_ascii_string_to_unsigned (text, 10, 1, 100, &number, NULL))
    return bad_value (error, "session", _("the session’s number in the course (1, 2, 3…)"),
                      text);
  place->session_number = (guint) number;
  if (!lookup_enum (options, "site", STRIAE_TYPE_BODY_SITE,
                    _("abdomen, breasts, hips, flanks, thighs, buttocks, upper-arms, "
                      "inner-arms, lower-back or other"), TRUE, &site, error) ||
      !lookup_enum (options, "moment", STRIAE_TYPE_PHOTO_MOMENT,
                    _("consultation, before or after"), TRUE, &moment, error))
    return FALSE;
  if (g_variant_dict_lookup (options, "side", "&s", &text) &&
      !g_str_equal (text, "left") && !g_str_equal (text, "right") && !g_str_equal (text, "both"))
    return bad_value (error, "side", _("left, right or both"), text);
  if (!lookup_enum (options, "side", STRIAE_TYPE_SIDE, _("left, right or both"), FALSE, &side,
                    error))
    return FALSE;
  if (side < 0 && striae_body_site_has_side (site))
    {
      /* TRANSLATORS: --site %s is the area given, such as thighs */
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("--site %s is on both sides of the body: say which with --side left, "
                     "right or both."), g_variant_dict_lookup (options, "site", "&s", &text)
                                        ? text : "");
      return FALSE;
    }
  place->site = site;
  place->side = side >= 0 ? side : STRIAE_SIDE_NOT_APPLICABLE;
  place->moment = moment;
  return TRUE;
}

/* The session record number @number of the consultation (its latest revision's number in
 * the course). */
static gboolean
find_session (StriaeStore  *store,
              const Place  *place,
              gint64       *session_id,
              GError      **error)
{
  g_autoptr(GPtrArray) sessions = NULL;

  *session_id = 0;
  if (place->session_number == 0)
    return TRUE;
  sessions = striae_store_list_treatment_sessions (store, place->consultation_id, error);
  if (sessions == NULL)
    return FALSE;
  for (guint i = 0; i < sessions->len; i++)
    {
      StriaeTreatmentSession *session = g_ptr_array_index (sessions, i);

      if (striae_treatment_session_get_number (session) == place->session_number &&
          !striae_treatment_session_get_maintenance (session))
        {
          *session_id = striae_treatment_session_get_id (session);
          return TRUE;
        }
    }
  /* TRANSLATORS: %u is the session's number, then the consultation's */
  g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_FOUND,
               _("Session %u of consultation %" PRId64 " has no record yet; record the "
                 "session first, then add its photos."),
               place->session_number, place->consultation_id);
  return FALSE;
}

static GBytes *
read_photo_file (const char  *path,
                 GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
  g_autoptr(GFileInfo) info = NULL;
  char *contents = NULL;
  gsize size = 0;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE,
                            NULL, error);
  if (info == NULL)
    return NULL;
  if (g_file_info_get_size (info) > PHOTO_FILE_MAX_BYTES)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
                   _("The file is larger than the %d MB a photo may have."),
                   PHOTO_FILE_MAX_BYTES >> 20);
      return NULL;
    }
  if (!g_file_load_contents (file, NULL, &contents, &size, NULL, error))
    return NULL;
  return g_bytes_new_take (contents, size);
}

/* One file: added and said so on standard output, or refused with its sentence. */
static gboolean
add_one (StriaeStore  *store,
         const Place  *place,
         gint64        session_id,
         const char   *path)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(StriaePhoto) photo = NULL;
  g_autoptr(GError) error = NULL;

  bytes = read_photo_file (path, &error);
  if (bytes != NULL)
    photo = striae_store_add_photo (store, place->consultation_id, session_id, place->site,
                                    place->side, place->moment, bytes, &error);
  if (photo == NULL)
    {
      /* TRANSLATORS: the file, then why it was not added */
      g_printerr (_("striae: %s: %s\n"), path, error->message);
      return FALSE;
    }
  /* TRANSLATORS: the photo's number, its file, its size in pixels */
  g_print (_("Photo %" PRId64 " added from %s (%u × %u pixels).\n"),
           striae_photo_get_id (photo), path, striae_photo_get_width (photo),
           striae_photo_get_height (photo));
  return TRUE;
}

static int
run_add_photos (const char    *database,
                GVariantDict  *options)
{
  g_autoptr(StriaeStore) store = NULL;
  g_autoptr(GPtrArray) files = remaining (options);
  g_autoptr(GError) error = NULL;
  g_autofree const char **given = NULL;
  Place place = { 0, };
  gint64 session_id = 0;
  guint failed = 0;

  if (g_variant_dict_lookup (options, "add-photo", "^a&ay", &given))
    for (guint i = 0; given[i] != NULL; i++)
      g_ptr_array_insert (files, i, g_strdup (given[i]));

  if (!read_place (options, &place, &error) ||
      (store = striae_cli_open_existing_store (database, options, &error)) == NULL ||
      !find_session (store, &place, &session_id, &error))
    return striae_cli_print_error (error);

  for (guint i = 0; i < files->len; i++)
    if (!add_one (store, &place, session_id, g_ptr_array_index (files, i)))
      failed++;
  return failed > 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}

static int
run_photo_consent (const char    *database,
                   GVariantDict  *options)
{
  g_autoptr(StriaeStore) store = NULL;
  g_autoptr(GPtrArray) words = remaining (options);
  g_autoptr(GError) error = NULL;
  StriaePhotoConsentScope scope;
  gint64 patient_id = 0;

  if (!striae_cli_lookup_id (options, "photo-consent", &patient_id, &error))
    return striae_cli_print_error (error);
  if (words->len != 1 ||
      !striae_photo_consent_scope_from_string (g_ptr_array_index (words, 0), &scope))
    {
      g_set_error_literal (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("--photo-consent ID takes one of none, clinical or teaching "
                             "after the patient’s number."));
      return striae_cli_print_error (error);
    }
  if ((store = striae_cli_open_existing_store (database, options, &error)) == NULL ||
      !striae_store_set_photo_consent (store, patient_id, scope, &error))
    return striae_cli_print_error (error);

  /* TRANSLATORS: the patient's number, then the consent as recorded */
  g_print (_("Photo consent of patient %" PRId64 ": %s.\n"), patient_id,
           striae_photo_consent_scope_get_label (scope));
  return EXIT_SUCCESS;
}

/**
 * striae_cli_photos_handle:
 * @database: (nullable): the database given on the command line
 * @exit_status: (out): the exit status when the command ran
 *
 * Returns: %TRUE when --add-photo, --photo-consent or one of their options was given, and
 *   has run
 */
gboolean
striae_cli_photos_handle (const char   *database,
                          GVariantDict *options,
                          int          *exit_status)
{
  static const char * const with_add[] = { "session", "site", "side", "moment" };
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (exit_status != NULL, FALSE);

  if (g_variant_dict_contains (options, "add-photo"))
    {
      *exit_status = run_add_photos (database, options);
      return TRUE;
    }
  if (g_variant_dict_contains (options, "photo-consent"))
    {
      *exit_status = run_photo_consent (database, options);
      return TRUE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (with_add); i++)
    if (g_variant_dict_contains (options, with_add[i]))
      {
        /* TRANSLATORS: %s is an option such as --site */
        g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                     _("--%s works together with --add-photo."), with_add[i]);
        *exit_status = striae_cli_print_error (error);
        return TRUE;
      }
  return FALSE;
}
