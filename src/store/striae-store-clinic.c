/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "striae-store-private.h"

/* What is the same on every PC of a clinic, kept in the records' settings so that on a clinic
 * server every PC reads the same: the clinic's identity, its practitioners and its own sheet
 * wording. Each value is one setting; a change is audited like a change of the rules. */

#define SHEET_INDEX_KEY "sheet.index"

typedef struct
{
  const char *key;
  const char *property;
} ClinicText;

static const ClinicText clinic_texts[] = {
  { "clinic.name", "name" },
  { "clinic.address", "address" },
  { "clinic.phone", "phone" },
  { "clinic.email", "email" },
};

static char *
practitioners_to_json (const char * const *names)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; names[i] != NULL; i++)
    json_builder_add_string_value (builder, names[i]);
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);

  return json_to_string (root, FALSE);
}

/* The stored list, or NULL when it is not a JSON array of texts. */
static GStrv
practitioners_from_json (const char *json)
{
  g_autoptr(JsonNode) root = json_from_string (json, NULL);
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  JsonArray *array;

  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    return NULL;

  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        return NULL;
      g_strv_builder_add (names, json_node_get_string (node));
    }

  return g_strv_builder_end (names);
}

static char *
logo_to_text (GBytes *logo)
{
  gsize size;
  const guchar *data;

  if (logo == NULL)
    return NULL;

  data = g_bytes_get_data (logo, &size);
  return g_base64_encode (data, size);
}

#define LOCK_MINUTES_KEY "clinic.lock-minutes"
#define TYPED_SIGNATURE_KEY "clinic.typed-signature"

/* The clinic's idle time before the windows lock; the default when it never chose one. */
static gboolean
load_lock_minutes (StriaeStore   *self,
                   StriaeClinic  *clinic,
                   GError       **error)
{
  g_autofree char *text = NULL;
  guint64 minutes = 0;

  if (!striae_store_backend_get_setting (self->backend, LOCK_MINUTES_KEY, &text, error))
    return FALSE;
  if (text == NULL)
    return TRUE;

  if (!g_ascii_string_to_unsigned (text, 10, STRIAE_CLINIC_LOCK_MINUTES_MIN,
                                   STRIAE_CLINIC_LOCK_MINUTES_MAX, &minutes, NULL))
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_A_DATABASE,
                   _("The clinic’s idle time before the lock in %s is damaged: set it again "
                     "in Preferences."), self->name);
      return FALSE;
    }
  striae_clinic_set_lock_minutes (clinic, (guint) minutes);
  return TRUE;
}

/* Whether a typed name may stand for a drawn signature: "true" when the clinic allowed it;
 * nothing stored is the default, not allowed. */
static gboolean
load_typed_signature (StriaeStore   *self,
                      StriaeClinic  *clinic,
                      GError       **error)
{
  g_autofree char *text = NULL;

  if (!striae_store_backend_get_setting (self->backend, TYPED_SIGNATURE_KEY, &text, error))
    return FALSE;
  if (text != NULL && g_strcmp0 (text, "true") != 0)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_A_DATABASE,
                   _("The clinic’s choice of typed signatures in %s is damaged: set it again "
                     "in Preferences."), self->name);
      return FALSE;
    }
  striae_clinic_set_typed_signature (clinic, text != NULL);
  return TRUE;
}

/* Whether the clinic allows a typed name for a consent's signature; the backend is locked. */
gboolean
store_typed_signature_allowed (StriaeStore  *self,
                               gboolean     *allowed,
                               GError      **error)
{
  g_autoptr(StriaeClinic) clinic = striae_clinic_new ();

  if (!load_typed_signature (self, clinic, error))
    return FALSE;
  *allowed = striae_clinic_get_typed_signature (clinic);
  return TRUE;
}

static gboolean
load_clinic_locked (StriaeStore   *self,
                    StriaeClinic  *clinic,
                    GError       **error)
{
  g_autofree char *practitioners = NULL;
  g_autofree char *logo = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (clinic_texts); i++)
    {
      g_autofree char *value = NULL;

      if (!striae_store_backend_get_setting (self->backend, clinic_texts[i].key, &value, error))
        return FALSE;
      g_object_set (clinic, clinic_texts[i].property, value, NULL);
    }

  if (!striae_store_backend_get_setting (self->backend, "clinic.practitioners",
                                         &practitioners, error) ||
      !striae_store_backend_get_setting (self->backend, "clinic.logo", &logo, error))
    return FALSE;

  if (practitioners != NULL)
    {
      g_auto(GStrv) names = practitioners_from_json (practitioners);

      if (names == NULL)
        {
          g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_A_DATABASE,
                       _("The clinic’s practitioner list in %s is damaged: save it again in "
                         "Preferences."), self->name);
          return FALSE;
        }
      striae_clinic_set_practitioners (clinic, (const char * const *) names);
    }

  if (!load_lock_minutes (self, clinic, error) ||
      !load_typed_signature (self, clinic, error))
    return FALSE;

  if (logo != NULL)
    {
      gsize size = 0;
      guchar *data = g_base64_decode (logo, &size);
      g_autoptr(GBytes) bytes = g_bytes_new_take (data, size);

      if (!striae_clinic_check_logo (bytes, NULL))
        {
          g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_NOT_A_DATABASE,
                       _("The clinic’s logo in %s is damaged: choose it again in "
                         "Preferences."), self->name);
          return FALSE;
        }
      striae_clinic_set_logo (clinic, bytes);
    }

  return TRUE;
}

/**
 * striae_store_load_clinic:
 *
 * Reads what the records keep about the clinic: name, address, phone, e-mail, logo,
 * practitioners and the idle minutes before the windows lock. A clinic that never saved them gets empty values.
 *
 * Returns: (transfer full): the clinic, or %NULL with @error set
 */
StriaeClinic *
striae_store_load_clinic (StriaeStore  *self,
                          GError      **error)
{
  g_autoptr(StriaeClinic) clinic = striae_clinic_new ();
  gboolean ok;

  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  striae_store_backend_lock (self->backend);
  ok = load_clinic_locked (self, clinic, error);
  striae_store_backend_unlock (self->backend);

  return ok ? g_steal_pointer (&clinic) : NULL;
}

/* Stores @value under @key when it differs from what is there, with one audit row saying
 * what changed: @shown is what the row shows of the new value. @changed, when given, is
 * set when the value changed. */
static gboolean
save_setting (StriaeStore  *self,
              const char   *key,
              const char   *value,
              const char   *shown,
              const char   *practitioner,
              gboolean     *changed,
              GError      **error)
{
  g_autofree char *old = NULL;
  g_autofree char *detail = NULL;

  if (!striae_store_backend_get_setting (self->backend, key, &old, error))
    return FALSE;
  if (g_strcmp0 (old, value) == 0)
    return TRUE;

  if (changed != NULL)
    *changed = TRUE;
  detail = g_strdup_printf ("%s: %s", key, value != NULL ? shown : "(none)");
  return striae_store_backend_set_setting (self->backend, key, value, error) &&
         store_audit_append (self, STRIAE_AUDIT_UPDATE, practitioner, 0, 0, detail, error);
}

/* Empty texts are not stored, so that a clinic that never filled them in reads the same. */
static const char *
nonempty (const char *text)
{
  return text != NULL && *text != '\0' ? text : NULL;
}

static gboolean
save_clinic_locked (StriaeStore   *self,
                    StriaeClinic  *clinic,
                    const char    *practitioner,
                    gboolean      *changed,
                    GError       **error)
{
  const char * const *names = striae_clinic_get_practitioners (clinic);
  g_autofree char *practitioners = names[0] != NULL ? practitioners_to_json (names) : NULL;
  GBytes *logo = striae_clinic_get_logo (clinic);
  g_autofree char *logo_text = logo_to_text (logo);
  g_autofree char *logo_shown = NULL;
  guint lock_minutes = striae_clinic_get_lock_minutes (clinic);
  g_autofree char *lock_text = NULL;
  const char *typed = striae_clinic_get_typed_signature (clinic) ? "true" : NULL;

  for (guint i = 0; i < G_N_ELEMENTS (clinic_texts); i++)
    {
      g_autofree char *value = NULL;

      g_object_get (clinic, clinic_texts[i].property, &value, NULL);
      if (!save_setting (self, clinic_texts[i].key, nonempty (value), value, practitioner,
                         changed, error))
        return FALSE;
    }

  if (logo != NULL)
    logo_shown = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, logo);

  /* The default is not stored, so that a clinic that never chose reads the same. */
  if (lock_minutes != STRIAE_CLINIC_LOCK_MINUTES_DEFAULT)
    lock_text = g_strdup_printf ("%u", lock_minutes);

  return save_setting (self, "clinic.practitioners", practitioners, practitioners,
                       practitioner, changed, error) &&
         save_setting (self, LOCK_MINUTES_KEY, lock_text, lock_text, practitioner, changed,
                       error) &&
         save_setting (self, TYPED_SIGNATURE_KEY, typed, typed, practitioner, changed, error) &&
         save_setting (self, "clinic.logo", logo_text, logo_shown, practitioner, changed,
                       error);
}

/**
 * striae_store_may_change_clinic:
 * @may: (out): whether this login may change the clinic's settings
 *
 * On a clinic server only its administrators (the group striae_admin, the database's owner)
 * may change what is clinic-wide, and the server refuses anyone else's save; on a file with
 * accounts, only an administrator signed in (striae_store_may() with %STRIAE_RIGHT_CLINIC);
 * a file without accounts may be changed by whoever may write it.
 *
 * Returns: %FALSE with @error set when the records could not tell
 */
gboolean
striae_store_may_change_clinic (StriaeStore  *self,
                                gboolean     *may,
                                GError      **error)
{
  gboolean ok;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (may != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  striae_store_backend_lock (self->backend);
  ok = striae_store_backend_may_change_clinic (self->backend, may, error);
  striae_store_backend_unlock (self->backend);
  /* On a file with accounts, the account signed in decides, as every save asks. */
  if (ok && striae_store_has_accounts (self))
    *may = striae_store_may (self, STRIAE_RIGHT_CLINIC, NULL);
  if (ok && self->read_only)
    *may = FALSE;
  return ok;
}

/**
 * striae_store_save_clinic:
 * @practitioner: (nullable): who changes them, for the audit log
 *
 * Stores the clinic's name, address, phone, e-mail, logo, practitioners and idle minutes
 * before the lock in the records, in one transaction. Each value that changes gets its own audit row ("clinic.phone: …";
 * the logo by its SHA-256); saving what is stored changes nothing and audits nothing. A logo
 * that is not a PNG or is larger than %STRIAE_CLINIC_LOGO_MAX_SIZE is refused.
 */
gboolean
striae_store_save_clinic (StriaeStore   *self,
                          StriaeClinic  *clinic,
                          const char    *practitioner,
                          GError       **error)
{
  g_autoptr(GError) logo_error = NULL;
  gboolean changed = FALSE;
  gboolean ok = FALSE;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (STRIAE_IS_CLINIC (clinic), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!striae_store_may (self, STRIAE_RIGHT_CLINIC, error))
    return FALSE;

  if (striae_clinic_get_logo (clinic) != NULL &&
      !striae_clinic_check_logo (striae_clinic_get_logo (clinic), &logo_error))
    {
      g_set_error_literal (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
                           logo_error->message);
      return FALSE;
    }

  striae_store_backend_lock (self->backend);
  ok = striae_store_backend_begin (self->backend, error) &&
       save_clinic_locked (self, clinic, practitioner, &changed, error) &&
       striae_store_backend_commit (self->backend, error);
  if (!ok)
    striae_store_backend_rollback (self->backend);
  striae_store_backend_unlock (self->backend);

  /* What follows the clinic in this process (the lock's minutes, an open Preferences)
   * hears it now, as it hears another PC's change. */
  if (ok && changed)
    store_emit_patients_changed (self, 0);

  return ok;
}

#define FROM_THIS_PC_KEY "clinic.from-this-pc"

/* @stored with what it lacks taken from @pc: a value the records hold already is kept. */
static void
take_missing (StriaeClinic *stored,
              StriaeClinic *pc)
{
  for (guint i = 0; i < G_N_ELEMENTS (clinic_texts); i++)
    {
      g_autofree char *value = NULL;
      g_autofree char *wanted = NULL;

      g_object_get (stored, clinic_texts[i].property, &value, NULL);
      g_object_get (pc, clinic_texts[i].property, &wanted, NULL);
      if (nonempty (value) == NULL && nonempty (wanted) != NULL)
        g_object_set (stored, clinic_texts[i].property, wanted, NULL);
    }

  if (striae_clinic_get_practitioners (stored)[0] == NULL)
    striae_clinic_set_practitioners (stored, striae_clinic_get_practitioners (pc));
  if (striae_clinic_get_logo (stored) == NULL)
    striae_clinic_set_logo (stored, striae_clinic_get_logo (pc));
  if (striae_clinic_get_lock_minutes (stored) == STRIAE_CLINIC_LOCK_MINUTES_DEFAULT)
    striae_clinic_set_lock_minutes (stored, striae_clinic_get_lock_minutes (pc));
}

static gboolean
adopt_clinic_locked (StriaeStore   *self,
                     StriaeClinic  *pc,
                     gboolean      *adopted,
                     GError       **error)
{
  g_autoptr(StriaeClinic) stored = striae_clinic_new ();
  g_autofree char *done = NULL;
  g_autofree char *now = NULL;

  if (!striae_store_backend_get_setting (self->backend, FROM_THIS_PC_KEY, &done, error))
    return FALSE;
  if (done != NULL)
    return TRUE;

  if (!load_clinic_locked (self, stored, error))
    return FALSE;
  take_missing (stored, pc);
  now = striae_store_now ();
  *adopted = TRUE;
  return save_clinic_locked (self, stored, NULL, NULL, error) &&
         save_setting (self, FROM_THIS_PC_KEY, now, now, NULL, NULL, error);
}

/**
 * striae_store_adopt_clinic:
 * @clinic: what this PC's settings hold about the clinic
 * @adopted: (out) (optional): whether the records took it now
 *
 * On a file with accounts the clinic's name, address, phone, e-mail, logo, practitioners and
 * idle minutes before the lock live in the records, where only an administrator changes
 * them; before, they lived in each PC's settings, where anyone at the PC could. The first
 * time such a file is read by this version, @clinic, what this PC's settings held, is copied
 * into the records, in one transaction: each value the records lack, with its audit row as
 * for a change, and a "clinic.from-this-pc" row saying when. A value the records hold
 * already is kept. After that, this changes nothing, whatever @clinic holds. It needs no
 * right: nobody changes anything, the records take what was in force.
 *
 * Nothing happens on a clinic server, on a file without accounts (whose clinic is still
 * this PC's) or on records opened read-only.
 */
gboolean
striae_store_adopt_clinic (StriaeStore   *self,
                           StriaeClinic  *clinic,
                           gboolean      *adopted,
                           GError       **error)
{
  g_autofree char *done = NULL;
  gboolean taken = FALSE;
  gboolean ok;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (STRIAE_IS_CLINIC (clinic), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (adopted != NULL)
    *adopted = FALSE;
  if (!striae_store_has_accounts (self) || self->read_only)
    return TRUE;

  /* Every reading of the clinic asks: once taken, a plain read answers, with no write
   * transaction. */
  striae_store_backend_lock (self->backend);
  ok = striae_store_backend_get_setting (self->backend, FROM_THIS_PC_KEY, &done, error);
  striae_store_backend_unlock (self->backend);
  if (!ok || done != NULL)
    return ok;

  striae_store_backend_lock (self->backend);
  ok = striae_store_backend_begin (self->backend, error) &&
       adopt_clinic_locked (self, clinic, &taken, error) &&
       striae_store_backend_commit (self->backend, error);
  if (!ok)
    striae_store_backend_rollback (self->backend);
  striae_store_backend_unlock (self->backend);

  /* Nothing that shows the clinic read it before: whoever reads it next reads the copy. */
  if (adopted != NULL)
    *adopted = ok && taken;
  return ok;
}

/* The clinic's own sheet wording */

/* Names and languages become setting keys and, in the application, file names. */
static gboolean
is_plain_word (const char *text)
{
  if (text == NULL || *text == '\0' || strlen (text) > 32)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '-' && *p != '_')
      return FALSE;
  return TRUE;
}

static char *
sheet_key (const char *name,
           const char *language)
{
  return g_strdup_printf ("sheet.%s.%s", language, name);
}

static gboolean
check_sheet_name (const char  *name,
                  const char  *language,
                  GError     **error)
{
  if (is_plain_word (name) && is_plain_word (language))
    return TRUE;

  g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
               _("“%s” in “%s” is not a sheet name Striae can keep: use lower-case letters, "
                 "digits and hyphens."), name, language);
  return FALSE;
}

static GStrv
sheet_index_from_text (const char *text)
{
  g_auto(GStrv) index = text != NULL ? practitioners_from_json (text) : NULL;

  return index != NULL ? g_steal_pointer (&index) : g_new0 (char *, 1);
}

/**
 * striae_store_load_sheet_template:
 * @name: the sheet's name ("aftercare")
 * @language: its language ("de")
 * @text: (out) (transfer full) (nullable): the template, or %NULL when the clinic keeps no
 *   wording of its own for it
 *
 * Reads the clinic's own wording of one sheet from the records.
 */
gboolean
striae_store_load_sheet_template (StriaeStore  *self,
                                  const char   *name,
                                  const char   *language,
                                  char        **text,
                                  GError      **error)
{
  g_autofree char *key = NULL;
  gboolean ok;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *text = NULL;
  if (!check_sheet_name (name, language, error))
    return FALSE;

  key = sheet_key (name, language);
  striae_store_backend_lock (self->backend);
  ok = striae_store_backend_get_setting (self->backend, key, text, error);
  striae_store_backend_unlock (self->backend);

  return ok;
}

/**
 * striae_store_dup_sheet_templates:
 *
 * Returns: (transfer full): "language/name" of each sheet the clinic keeps its own wording
 *   of in the records, sorted; empty when none
 */
GStrv
striae_store_dup_sheet_templates (StriaeStore  *self,
                                  GError      **error)
{
  g_autofree char *text = NULL;
  gboolean ok;

  g_return_val_if_fail (STRIAE_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  striae_store_backend_lock (self->backend);
  ok = striae_store_backend_get_setting (self->backend, SHEET_INDEX_KEY, &text, error);
  striae_store_backend_unlock (self->backend);

  return ok ? sheet_index_from_text (text) : NULL;
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

/* The index with @entry added (@present) or taken out. */
static char *
sheet_index_update (const char *text,
                    const char *entry,
                    gboolean    present)
{
  g_auto(GStrv) index = sheet_index_from_text (text);
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();

  for (guint i = 0; index[i] != NULL; i++)
    if (!g_str_equal (index[i], entry))
      g_ptr_array_add (entries, index[i]);
  if (present)
    g_ptr_array_add (entries, (char *) entry);
  g_ptr_array_sort (entries, compare_entries);
  g_ptr_array_add (entries, NULL);

  return entries->len > 1 ? practitioners_to_json ((const char * const *) entries->pdata)
                          : NULL;
}

static gboolean
save_sheet_locked (StriaeStore  *self,
                   const char   *name,
                   const char   *language,
                   const char   *text,
                   const char   *practitioner,
                   GError      **error)
{
  g_autofree char *key = sheet_key (name, language);
  g_autofree char *entry = g_strdup_printf ("%s/%s", language, name);
  g_autofree char *index = NULL;
  g_autofree char *new_index = NULL;
  g_autofree char *hash = NULL;

  if (!striae_store_backend_get_setting (self->backend, SHEET_INDEX_KEY, &index, error))
    return FALSE;

  new_index = sheet_index_update (index, entry, text != NULL);
  if (text != NULL)
    hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);

  return save_setting (self, key, text, hash, practitioner, NULL, error) &&
         (g_strcmp0 (index, new_index) == 0 ||
          striae_store_backend_set_setting (self->backend, SHEET_INDEX_KEY, new_index, error));
}

/**
 * striae_store_save_sheet_template:
 * @name: the sheet's name ("aftercare")
 * @language: its language ("de")
 * @text: (nullable): the template, already checked by the sheet template loader; %NULL
 *   takes the clinic's own wording away, so that the shipped one is used again
 * @practitioner: (nullable): who changes it, for the audit log
 *
 * Keeps the clinic's own wording of one sheet in the records, audited with its SHA-256 so
 * that the wording a clinic approved can be traced. A template larger than
 * %STRIAE_STORE_SHEET_TEMPLATE_MAX_SIZE is refused.
 */
gboolean
striae_store_save_sheet_template (StriaeStore  *self,
                                  const char   *name,
                                  const char   *language,
                                  const char   *text,
                                  const char   *practitioner,
                                  GError      **error)
{
  gboolean ok;

  g_return_val_if_fail (STRIAE_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!striae_store_may (self, STRIAE_RIGHT_CLINIC, error))
    return FALSE;

  if (!check_sheet_name (name, language, error))
    return FALSE;
  if (text != NULL && strlen (text) > STRIAE_STORE_SHEET_TEMPLATE_MAX_SIZE)
    {
      g_set_error (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_INVALID,
                   _("The sheet “%s” (%s) is larger than %u KB: shorten its wording."), name,
                   language, (guint) (STRIAE_STORE_SHEET_TEMPLATE_MAX_SIZE / 1024));
      return FALSE;
    }

  striae_store_backend_lock (self->backend);
  ok = striae_store_backend_begin (self->backend, error) &&
       save_sheet_locked (self, name, language, text, practitioner, error) &&
       striae_store_backend_commit (self->backend, error);
  if (!ok)
    striae_store_backend_rollback (self->backend);
  striae_store_backend_unlock (self->backend);

  return ok;
}
