/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "striae-core-enums.h"
#include "striae-core-error.h"
#include "striae-core-private.h"
#include "striae-patient.h"

struct _StriaePatient
{
  GObject    parent_instance;

  gint64     id;
  char      *given_name;
  char      *family_name;
  GDate      birth_date;
  StriaeSex  sex;
  char      *phone;
  char      *email;
  char      *language;
  char      *notes;
  GDateTime *created;
  GDateTime *updated;
};

G_DEFINE_FINAL_TYPE (StriaePatient, striae_patient, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_GIVEN_NAME,
  PROP_FAMILY_NAME,
  PROP_BIRTH_DATE,
  PROP_SEX,
  PROP_PHONE,
  PROP_EMAIL,
  PROP_LANGUAGE,
  PROP_NOTES,
  PROP_CREATED,
  PROP_UPDATED,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static gboolean
set_text (StriaePatient  *self,
          char          **field,
          const char     *value,
          int             prop)
{
  g_autofree char *normal = striae_core_normalize_text (value);

  if (g_strcmp0 (*field, normal) == 0)
    return FALSE;

  g_free (*field);
  *field = g_steal_pointer (&normal);
  g_object_notify_by_pspec (G_OBJECT (self), properties [prop]);

  return TRUE;
}

static gboolean
set_date_time (StriaePatient  *self,
               GDateTime     **field,
               GDateTime      *value,
               int             prop)
{
  if (*field == value || (*field && value && g_date_time_equal (*field, value)))
    return FALSE;

  g_clear_pointer (field, g_date_time_unref);
  if (value)
    *field = g_date_time_ref (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties [prop]);

  return TRUE;
}

static void
striae_patient_finalize (GObject *object)
{
  StriaePatient *self = (StriaePatient *)object;

  g_clear_pointer (&self->given_name, g_free);
  g_clear_pointer (&self->family_name, g_free);
  g_clear_pointer (&self->phone, g_free);
  g_clear_pointer (&self->email, g_free);
  g_clear_pointer (&self->language, g_free);
  g_clear_pointer (&self->notes, g_free);
  g_clear_pointer (&self->created, g_date_time_unref);
  g_clear_pointer (&self->updated, g_date_time_unref);

  G_OBJECT_CLASS (striae_patient_parent_class)->finalize (object);
}

static void
striae_patient_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  StriaePatient *self = STRIAE_PATIENT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_GIVEN_NAME:
      g_value_set_string (value, self->given_name);
      break;
    case PROP_FAMILY_NAME:
      g_value_set_string (value, self->family_name);
      break;
    case PROP_BIRTH_DATE:
      g_value_set_boxed (value, striae_date_or_null (&self->birth_date));
      break;
    case PROP_SEX:
      g_value_set_enum (value, self->sex);
      break;
    case PROP_PHONE:
      g_value_set_string (value, self->phone);
      break;
    case PROP_EMAIL:
      g_value_set_string (value, self->email);
      break;
    case PROP_LANGUAGE:
      g_value_set_string (value, self->language);
      break;
    case PROP_NOTES:
      g_value_set_string (value, self->notes);
      break;
    case PROP_CREATED:
      g_value_set_boxed (value, self->created);
      break;
    case PROP_UPDATED:
      g_value_set_boxed (value, self->updated);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_patient_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  StriaePatient *self = STRIAE_PATIENT (object);

  switch (prop_id)
    {
    case PROP_ID:
      striae_patient_set_id (self, g_value_get_int64 (value));
      break;
    case PROP_GIVEN_NAME:
      striae_patient_set_given_name (self, g_value_get_string (value));
      break;
    case PROP_FAMILY_NAME:
      striae_patient_set_family_name (self, g_value_get_string (value));
      break;
    case PROP_BIRTH_DATE:
      striae_patient_set_birth_date (self, g_value_get_boxed (value));
      break;
    case PROP_SEX:
      striae_patient_set_sex (self, g_value_get_enum (value));
      break;
    case PROP_PHONE:
      striae_patient_set_phone (self, g_value_get_string (value));
      break;
    case PROP_EMAIL:
      striae_patient_set_email (self, g_value_get_string (value));
      break;
    case PROP_LANGUAGE:
      striae_patient_set_language (self, g_value_get_string (value));
      break;
    case PROP_NOTES:
      striae_patient_set_notes (self, g_value_get_string (value));
      break;
    case PROP_CREATED:
      striae_patient_set_created (self, g_value_get_boxed (value));
      break;
    case PROP_UPDATED:
      striae_patient_set_updated (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
string_param (const char *name)
{
  return g_param_spec_string (name, NULL, NULL, "",
                              (G_PARAM_READWRITE |
                               G_PARAM_EXPLICIT_NOTIFY |
                               G_PARAM_STATIC_STRINGS));
}

static void
striae_patient_class_init (StriaePatientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = striae_patient_finalize;
  object_class->get_property = striae_patient_get_property;
  object_class->set_property = striae_patient_set_property;

  properties [PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties [PROP_GIVEN_NAME] = string_param ("given-name");
  properties [PROP_FAMILY_NAME] = string_param ("family-name");
  properties [PROP_BIRTH_DATE] = g_param_spec_boxed ("birth-date", NULL, NULL,
                                                     G_TYPE_DATE, flags);
  properties [PROP_SEX] = g_param_spec_enum ("sex", NULL, NULL,
                                             STRIAE_TYPE_SEX,
                                             STRIAE_SEX_UNSPECIFIED,
                                             flags);
  properties [PROP_PHONE] = string_param ("phone");
  properties [PROP_EMAIL] = string_param ("email");
  properties [PROP_LANGUAGE] = string_param ("language");
  properties [PROP_NOTES] = string_param ("notes");
  properties [PROP_CREATED] = g_param_spec_boxed ("created", NULL, NULL,
                                                  G_TYPE_DATE_TIME, flags);
  properties [PROP_UPDATED] = g_param_spec_boxed ("updated", NULL, NULL,
                                                  G_TYPE_DATE_TIME, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
striae_patient_init (StriaePatient *self)
{
  self->given_name = g_strdup ("");
  self->family_name = g_strdup ("");
  g_date_clear (&self->birth_date, 1);
  self->phone = g_strdup ("");
  self->email = g_strdup ("");
  self->language = g_strdup ("");
  self->notes = g_strdup ("");
}

StriaePatient *
striae_patient_new (void)
{
  return g_object_new (STRIAE_TYPE_PATIENT, NULL);
}

StriaePatient *
striae_patient_copy (StriaePatient *self)
{
  StriaePatient *copy;

  g_return_val_if_fail (STRIAE_IS_PATIENT (self), NULL);

  copy = striae_patient_new ();
  copy->id = self->id;
  g_free (copy->given_name);
  copy->given_name = g_strdup (self->given_name);
  g_free (copy->family_name);
  copy->family_name = g_strdup (self->family_name);
  copy->birth_date = self->birth_date;
  copy->sex = self->sex;
  g_free (copy->phone);
  copy->phone = g_strdup (self->phone);
  g_free (copy->email);
  copy->email = g_strdup (self->email);
  g_free (copy->language);
  copy->language = g_strdup (self->language);
  g_free (copy->notes);
  copy->notes = g_strdup (self->notes);
  if (self->created)
    copy->created = g_date_time_ref (self->created);
  if (self->updated)
    copy->updated = g_date_time_ref (self->updated);

  return copy;
}

gint64
striae_patient_get_id (StriaePatient *self)
{
  g_return_val_if_fail (STRIAE_IS_PATIENT (self), 0);
  return self->id;
}

void
striae_patient_set_id (StriaePatient *self,
                       gint64         id)
{
  g_return_if_fail (STRIAE_IS_PATIENT (self));

  if (self->id == id)
    return;

  self->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ID]);
}

#define TEXT_ACCESSORS(field, PROP)                                  \
const char *                                                         \
striae_patient_get_##field (StriaePatient *self)                     \
{                                                                    \
  g_return_val_if_fail (STRIAE_IS_PATIENT (self), NULL);             \
  return self->field;                                                \
}                                                                    \
                                                                     \
void                                                                 \
striae_patient_set_##field (StriaePatient *self,                     \
                            const char    *value)                    \
{                                                                    \
  g_return_if_fail (STRIAE_IS_PATIENT (self));                       \
  set_text (self, &self->field, value, PROP);                        \
}

TEXT_ACCESSORS (given_name, PROP_GIVEN_NAME)
TEXT_ACCESSORS (family_name, PROP_FAMILY_NAME)
TEXT_ACCESSORS (phone, PROP_PHONE)
TEXT_ACCESSORS (email, PROP_EMAIL)
TEXT_ACCESSORS (language, PROP_LANGUAGE)
TEXT_ACCESSORS (notes, PROP_NOTES)

#undef TEXT_ACCESSORS

char *
striae_patient_dup_full_name (StriaePatient *self)
{
  g_return_val_if_fail (STRIAE_IS_PATIENT (self), NULL);

  if (self->given_name[0] == '\0')
    return g_strdup (self->family_name);
  if (self->family_name[0] == '\0')
    return g_strdup (self->given_name);

  /* TRANSLATORS: how a patient's full name is written: given name, then family name */
  return g_strdup_printf (C_("full name", "%s %s"), self->given_name, self->family_name);
}

/**
 * striae_patient_dup_title:
 * @today: the day the age is counted on
 *
 * Returns: whose record this is, as a header shows it: the full name and the age in years
 *   ("Inès Okafor · 38"), or the name alone without a valid birth date
 */
char *
striae_patient_dup_title (StriaePatient *self,
                          const GDate   *today)
{
  g_autofree char *name = NULL;
  int age;

  g_return_val_if_fail (STRIAE_IS_PATIENT (self), NULL);
  g_return_val_if_fail (today != NULL && g_date_valid (today), NULL);

  name = striae_patient_dup_full_name (self);
  age = striae_patient_get_age (self, today);
  if (age < 0)
    return g_steal_pointer (&name);

  /* TRANSLATORS: whose record is open, in the wizard's header: the patient's full name and
   * age in years, e.g. "Inès Okafor · 38" */
  return g_strdup_printf (_("%s · %d"), name, age);
}

/* Returns: (nullable): the date of birth, %NULL when none is known */
const GDate *
striae_patient_get_birth_date (StriaePatient *self)
{
  g_return_val_if_fail (STRIAE_IS_PATIENT (self), NULL);
  return striae_date_or_null (&self->birth_date);
}

/* @birth_date: (nullable): the date of birth, or %NULL when it is not known */
void
striae_patient_set_birth_date (StriaePatient *self,
                               const GDate   *birth_date)
{
  g_return_if_fail (STRIAE_IS_PATIENT (self));

  if (striae_date_assign (&self->birth_date, birth_date))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_BIRTH_DATE]);
}

StriaeSex
striae_patient_get_sex (StriaePatient *self)
{
  g_return_val_if_fail (STRIAE_IS_PATIENT (self), STRIAE_SEX_UNSPECIFIED);
  return self->sex;
}

void
striae_patient_set_sex (StriaePatient *self,
                        StriaeSex      sex)
{
  g_return_if_fail (STRIAE_IS_PATIENT (self));
  g_return_if_fail (sex <= STRIAE_SEX_OTHER);

  if (self->sex == sex)
    return;

  self->sex = sex;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SEX]);
}

GDateTime *
striae_patient_get_created (StriaePatient *self)
{
  g_return_val_if_fail (STRIAE_IS_PATIENT (self), NULL);
  return self->created;
}

void
striae_patient_set_created (StriaePatient *self,
                            GDateTime     *created)
{
  g_return_if_fail (STRIAE_IS_PATIENT (self));
  set_date_time (self, &self->created, created, PROP_CREATED);
}

GDateTime *
striae_patient_get_updated (StriaePatient *self)
{
  g_return_val_if_fail (STRIAE_IS_PATIENT (self), NULL);
  return self->updated;
}

void
striae_patient_set_updated (StriaePatient *self,
                            GDateTime     *updated)
{
  g_return_if_fail (STRIAE_IS_PATIENT (self));
  set_date_time (self, &self->updated, updated, PROP_UPDATED);
}

void
striae_get_today (GDate *today)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  g_date_clear (today, 1);
  g_date_set_dmy (today,
                  g_date_time_get_day_of_month (now),
                  g_date_time_get_month (now),
                  g_date_time_get_year (now));
}

int
striae_patient_get_age (StriaePatient *self,
                        const GDate   *today)
{
  const GDate *birth;
  int age;

  g_return_val_if_fail (STRIAE_IS_PATIENT (self), -1);
  g_return_val_if_fail (today != NULL && g_date_valid (today), -1);

  birth = striae_date_or_null (&self->birth_date);
  if (birth == NULL)
    return -1;

  age = g_date_get_year (today) - g_date_get_year (birth);
  if (g_date_get_month (today) < g_date_get_month (birth) ||
      (g_date_get_month (today) == g_date_get_month (birth) &&
       g_date_get_day (today) < g_date_get_day (birth)))
    age--;

  return age;
}

static gboolean
has_control_characters (const char *text)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) && c != '\n' && c != '\t')
        return TRUE;
    }

  return FALSE;
}

static gboolean
check_text (const char  *text,
            gsize        max_chars,
            gboolean     single_line,
            const char  *label,
            GError     **error)
{
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
                   _("%s contains characters that are not valid text."), label);
      return FALSE;
    }

  if (g_utf8_strlen (text, -1) > (glong) max_chars)
    {
      g_set_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
                   g_dngettext (GETTEXT_PACKAGE,
                                "%s is too long: at most %u character.",
                                "%s is too long: at most %u characters.",
                                max_chars),
                   label, (guint) max_chars);
      return FALSE;
    }

  if (has_control_characters (text) || (single_line && strpbrk (text, "\n\t")))
    {
      g_set_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
                   _("%s contains control characters or line breaks."), label);
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_name (const char  *name,
            const char  *label,
            GError     **error)
{
  if (name[0] == '\0')
    {
      g_set_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INCOMPLETE,
                   _("%s is required."), label);
      return FALSE;
    }

  return check_text (name, STRIAE_PATIENT_NAME_MAX, TRUE, label, error);
}

static gboolean
check_birth_date (StriaePatient  *self,
                  const GDate    *today,
                  GError        **error)
{
  const GDate *birth = striae_date_or_null (&self->birth_date);
  GDate oldest;

  /* Text that is not a date never reaches the model: the form or the file it was read from
   * says what is wrong with it (striae_parse_date(), striae_parse_iso_date()). */
  if (birth == NULL)
    {
      g_set_error_literal (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INCOMPLETE,
                           _("Date of birth is required."));
      return FALSE;
    }

  if (g_date_compare (birth, today) > 0)
    {
      g_set_error_literal (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
                           _("Date of birth cannot be in the future."));
      return FALSE;
    }

  oldest = *today;
  g_date_subtract_years (&oldest, STRIAE_PATIENT_AGE_MAX + 1);
  if (g_date_compare (birth, &oldest) <= 0)
    {
      g_set_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
                   _("Date of birth gives an age over %d years; check the year."),
                   STRIAE_PATIENT_AGE_MAX);
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_phone (const char  *phone,
             GError     **error)
{
  guint digits = 0;

  if (phone[0] == '\0')
    return TRUE;

  if (!check_text (phone, STRIAE_PATIENT_PHONE_MAX, TRUE, _("Phone"), error))
    return FALSE;

  for (const char *p = phone; *p; p++)
    {
      if (g_ascii_isdigit (*p))
        digits++;
      else if (strchr ("+-()./ ", *p) == NULL || (*p == '+' && p != phone))
        {
          g_set_error_literal (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
                               _("A phone number may hold digits, spaces, a leading + and - ( ) . / only."));
          return FALSE;
        }
    }

  if (digits < 3)
    {
      g_set_error_literal (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
                           _("A phone number needs at least 3 digits."));
      return FALSE;
    }

  return TRUE;
}

/* The shape of an address only: one @, a non-empty local part, a domain with a dot and no
 * empty labels. Whether the mailbox exists is not ours to know. */
static gboolean
check_email (const char  *email,
             GError     **error)
{
  const char *at;
  const char *domain;
  g_auto(GStrv) labels = NULL;

  if (email[0] == '\0')
    return TRUE;

  if (!check_text (email, STRIAE_PATIENT_EMAIL_MAX, TRUE, _("Email"), error))
    return FALSE;

  at = strchr (email, '@');
  domain = at ? at + 1 : NULL;
  if (at == NULL || at == email || strchr (domain, '@') != NULL ||
      strpbrk (email, " \"(),:;<>[\\]") != NULL || strchr (domain, '.') == NULL)
    goto bad;

  labels = g_strsplit (domain, ".", -1);
  for (guint i = 0; labels[i]; i++)
    if (labels[i][0] == '\0')
      goto bad;

  return TRUE;

bad:
  g_set_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
               _("“%s” is not an email address. It should look like name@example.com."),
               email);
  return FALSE;
}

/* A language is stored as a POSIX-style code: "de", "fr", "pt_BR". */
static gboolean
check_language (const char  *language,
                GError     **error)
{
  gsize len = strlen (language);

  if (len == 0)
    return TRUE;

  if ((len == 2 || len == 3) && g_ascii_islower (language[0]) && g_ascii_islower (language[1]) &&
      (len == 2 || g_ascii_islower (language[2])))
    return TRUE;

  if (len == 5 && g_ascii_islower (language[0]) && g_ascii_islower (language[1]) &&
      language[2] == '_' && g_ascii_isupper (language[3]) && g_ascii_isupper (language[4]))
    return TRUE;

  g_set_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
               _("“%s” is not a language code such as “en”, “de” or “pt_BR”."), language);
  return FALSE;
}

gboolean
striae_patient_check_field (StriaePatient      *self,
                            StriaePatientField  field,
                            const GDate        *today,
                            GError            **error)
{
  GDate local_today;

  g_return_val_if_fail (STRIAE_IS_PATIENT (self), FALSE);
  g_return_val_if_fail (field < STRIAE_PATIENT_N_FIELDS, FALSE);

  if (today == NULL)
    {
      striae_get_today (&local_today);
      today = &local_today;
    }

  switch (field)
    {
    case STRIAE_PATIENT_FIELD_GIVEN_NAME:
      return check_name (self->given_name, _("Given name"), error);
    case STRIAE_PATIENT_FIELD_FAMILY_NAME:
      return check_name (self->family_name, _("Family name"), error);
    case STRIAE_PATIENT_FIELD_BIRTH_DATE:
      return check_birth_date (self, today, error);
    case STRIAE_PATIENT_FIELD_SEX:
      return TRUE;
    case STRIAE_PATIENT_FIELD_PHONE:
      return check_phone (self->phone, error);
    case STRIAE_PATIENT_FIELD_EMAIL:
      return check_email (self->email, error);
    case STRIAE_PATIENT_FIELD_LANGUAGE:
      return check_language (self->language, error);
    case STRIAE_PATIENT_FIELD_NOTES:
      return check_text (self->notes, STRIAE_PATIENT_NOTES_MAX, FALSE, _("Notes"), error);
    case STRIAE_PATIENT_N_FIELDS:
    default:
      g_assert_not_reached ();
    }
}

gboolean
striae_patient_validate (StriaePatient       *self,
                         const GDate         *today,
                         StriaePatientField  *bad_field,
                         GError             **error)
{
  g_return_val_if_fail (STRIAE_IS_PATIENT (self), FALSE);

  for (guint i = 0; i < STRIAE_PATIENT_N_FIELDS; i++)
    {
      if (!striae_patient_check_field (self, i, today, error))
        {
          if (bad_field)
            *bad_field = i;
          return FALSE;
        }
    }

  return TRUE;
}

const char *
striae_sex_to_string (StriaeSex sex)
{
  switch (sex)
    {
    case STRIAE_SEX_FEMALE:
      return "female";
    case STRIAE_SEX_MALE:
      return "male";
    case STRIAE_SEX_OTHER:
      return "other";
    case STRIAE_SEX_UNSPECIFIED:
    default:
      return "";
    }
}

StriaeSex
striae_sex_from_string (const char *text)
{
  if (g_strcmp0 (text, "female") == 0)
    return STRIAE_SEX_FEMALE;
  if (g_strcmp0 (text, "male") == 0)
    return STRIAE_SEX_MALE;
  if (g_strcmp0 (text, "other") == 0)
    return STRIAE_SEX_OTHER;

  return STRIAE_SEX_UNSPECIFIED;
}
