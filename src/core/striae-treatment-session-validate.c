/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <time.h>

#include "striae-core-error.h"
#include "striae-core-private.h"
#include "striae-date.h"
#include "striae-treatment-session.h"

/* The rules of a session record (issue 17). Two levels, so that nothing typed is lost:
 * striae_treatment_session_validate() is what any save must pass (values in range, the
 * record fits its consultation's plan), striae_treatment_session_check_signable() what a
 * signature adds (the record is complete and true on the day it is signed). Each message is
 * one sentence the practitioner can act on. */

/* No Striae record is older than this; an earlier date is a typing slip. */
#define EARLIEST_YEAR 1900

static gboolean
fail (GError     **error,
      const char  *message)
{
  g_set_error_literal (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID, message);
  return FALSE;
}

static gboolean
text_fits (const char *text,
           guint       max)
{
  return g_utf8_validate (text, -1, NULL) && g_utf8_strlen (text, -1) <= max;
}

/* Whether @text is valid text of at most @max characters; otherwise @error says @message, a
 * whole sentence with the bound as %u (a macro, so that the format stays a literal). */
#define CHECK_TEXT(text, max, message, error) \
  (text_fits ((text), (max)) || \
   (g_set_error ((error), STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID, (message), \
                 (guint) (max)), FALSE))

static gboolean
check_texts (StriaeTreatmentSession  *self,
             GError                 **error)
{
  return CHECK_TEXT (striae_treatment_session_get_practitioner (self),
                     STRIAE_CONSULTATION_NAME_MAX,
                     _("The practitioner’s name must be at most %u characters of valid text."),
                     error) &&
         CHECK_TEXT (striae_treatment_session_get_reaction (self),
                     STRIAE_TREATMENT_SESSION_TEXT_MAX,
                     _("The immediate reaction must be at most %u characters of valid text."),
                     error) &&
         CHECK_TEXT (striae_treatment_session_get_notes (self),
                     STRIAE_TREATMENT_SESSION_TEXT_MAX,
                     _("The notes must be at most %u characters of valid text."), error) &&
         CHECK_TEXT (striae_treatment_session_get_amendment_reason (self),
                     STRIAE_TREATMENT_SESSION_TEXT_MAX,
                     _("The reason for the amendment must be at most %u characters of valid "
                       "text."), error);
}

/* [course] the place in the course: n of N, or a maintenance session counted on its own. */
static gboolean
check_course (StriaeTreatmentSession  *self,
              GError                 **error)
{
  guint number = striae_treatment_session_get_number (self);
  guint length = striae_treatment_session_get_course_length (self);

  if (number == 0)
    return fail (error, _("Give the session its number in the course (1 for the first)."));
  if (!striae_treatment_session_get_maintenance (self) && number > length)
    {
      g_set_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
                   _("Session %u does not fit a course of %u sessions; mark it as a "
                     "maintenance session, or correct the number."), number, length);
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_dates (StriaeTreatmentSession  *self,
             StriaeConsultation      *consultation,
             GError                 **error)
{
  const GDate *date = striae_treatment_session_get_date (self);
  const GDate *seen = consultation ? striae_consultation_get_date (consultation) : NULL;
  int time = striae_treatment_session_get_time (self);
  int cream = striae_treatment_session_get_numbing_cream_time (self);

  if (date != NULL && g_date_get_year (date) < EARLIEST_YEAR)
    return fail (error, _("The session date is before 1900; check the year."));
  if (date != NULL && seen != NULL && g_date_compare (date, seen) < 0)
    return fail (error, _("The session date is before the consultation that planned it; "
                          "check the date."));
  if (cream >= 0 && !striae_treatment_session_get_numbing_cream (self))
    return fail (error, _("A time is given for numbing cream that was not used; clear the "
                          "time or mark the numbing cream as used."));
  if (cream >= 0 && time >= 0 && cream > time)
    return fail (error, _("The numbing cream went on after the session started; check both "
                          "times."));

  return TRUE;
}

/* [depth] the needle depth used is 0.25 to 3 mm in steps of 0.25 mm (0 while not entered).
 * The plan is the consultation's: each area must be one of its areas, and a deeper needle or
 * another device than planned is kept with the practitioner's reason, like an override of the
 * recommendation. Radiofrequency needs the radiofrequency screening [contra], which a plan for
 * another device did not ask: it takes an amended consultation. */
static gboolean
check_area (StriaeSessionArea   *entry,
            StriaeConsultation  *consultation,
            GError             **error)
{
  double depth = striae_session_area_get_depth (entry);
  StriaeDevice device = striae_session_area_get_device (entry);
  gboolean reason = striae_session_area_get_reason (entry)[0] != '\0';
  StriaePlan *plan;
  StriaeArea *area;

  if (depth != 0 && (depth < STRIAE_DEPTH_MIN_MM || depth > STRIAE_DEPTH_MAX_MM ||
                     !striae_core_is_quarter_mm (depth)))
    return fail (error, _("A needle depth is 0.25 to 3 mm in steps of 0.25 mm."));
  if (!CHECK_TEXT (striae_session_area_get_reason (entry), STRIAE_SESSION_AREA_REASON_MAX,
                   _("The reason for the depth or device must be at most %u characters of "
                     "valid text."), error))
    return FALSE;
  if (consultation == NULL)
    return TRUE;

  plan = striae_consultation_get_plan (consultation);
  area = striae_consultation_find_area (consultation, striae_session_area_get_area_id (entry),
                                        NULL);
  if (area == NULL)
    return fail (error, _("An area of the session is not in the consultation’s plan; choose "
                          "one of the planned areas."));
  if (device == STRIAE_DEVICE_RF && striae_plan_get_device (plan) != STRIAE_DEVICE_RF)
    return fail (error, _("Radiofrequency microneedling was not planned, so its screening "
                          "questions were not asked; amend the consultation first."));
  if (depth > striae_area_get_depth (area) && !reason)
    return fail (error, _("A needle deeper than the plan’s for an area needs a reason; "
                          "give it next to the depth."));
  if (device != STRIAE_DEVICE_NOT_SET && device != striae_plan_get_device (plan) && !reason)
    return fail (error, _("A device other than the plan’s needs a reason; give it next to "
                          "the device."));

  return TRUE;
}

static gboolean
check_areas (StriaeTreatmentSession  *self,
             StriaeConsultation      *consultation,
             GError                 **error)
{
  GListModel *areas = striae_treatment_session_get_areas (self);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint n = g_list_model_get_n_items (areas);

  if (n > STRIAE_TREATMENT_SESSION_AREAS_MAX)
    return fail (error, _("A session record holds at most 100 areas."));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(StriaeSessionArea) entry = g_list_model_get_item (areas, i);

      if (!check_area (entry, consultation, error))
        return FALSE;
      if (!g_hash_table_add (seen, g_strdup (striae_session_area_get_area_id (entry))))
        return fail (error, _("An area is listed twice in the session; record each area "
                              "once."));
    }

  return TRUE;
}

static gboolean
check_products (StriaeTreatmentSession  *self,
                GError                 **error)
{
  GListModel *products = striae_treatment_session_get_products (self);
  guint n = g_list_model_get_n_items (products);

  if (n > STRIAE_TREATMENT_SESSION_PRODUCTS_MAX)
    return fail (error, _("A session record holds at most 50 products."));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(StriaeSessionProduct) product = g_list_model_get_item (products, i);
      const GDate *expiry = striae_session_product_get_expiry (product);

      if (!CHECK_TEXT (striae_session_product_get_name (product),
                       STRIAE_SESSION_PRODUCT_NAME_MAX,
                       _("A product’s name must be at most %u characters of valid text."),
                       error) ||
          !CHECK_TEXT (striae_session_product_get_lot (product), STRIAE_SESSION_LOT_MAX,
                       _("A batch or lot number must be at most %u characters of valid "
                         "text."), error))
        return FALSE;
      if (expiry != NULL && g_date_get_year (expiry) < EARLIEST_YEAR)
        return fail (error, _("A product’s expiry date is before 1900; check the year."));
    }

  return TRUE;
}

static gboolean
check_events (StriaeTreatmentSession  *self,
              GError                 **error)
{
  GListModel *events = striae_treatment_session_get_events (self);
  guint n = g_list_model_get_n_items (events);

  if (n > STRIAE_TREATMENT_SESSION_EVENTS_MAX)
    return fail (error, _("A session record holds at most 50 adverse events."));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(StriaeAdverseEvent) event = g_list_model_get_item (events, i);

      if (!CHECK_TEXT (striae_adverse_event_get_what (event), STRIAE_ADVERSE_EVENT_TEXT_MAX,
                       _("An adverse event must be described in at most %u characters of "
                         "valid text."), error) ||
          !CHECK_TEXT (striae_adverse_event_get_follow_up (event),
                       STRIAE_ADVERSE_EVENT_TEXT_MAX,
                       _("An adverse event’s follow-up must be at most %u characters of valid "
                         "text."), error))
        return FALSE;
    }

  return TRUE;
}

/* A record of @consultation's plan: the same patient and consultation, and a consultation that
 * is signed and treats (a session of a draft, or of a plan signed as not treated, is no
 * session of a plan at all). */
static gboolean
check_consultation (StriaeTreatmentSession  *self,
                    StriaeConsultation      *consultation,
                    GError                 **error)
{
  if (striae_consultation_get_id (consultation) !=
        striae_treatment_session_get_consultation_id (self) ||
      striae_consultation_get_patient_id (consultation) !=
        striae_treatment_session_get_patient_id (self))
    return fail (error, _("The session record belongs to another consultation or patient."));
  if (striae_consultation_get_status (consultation) != STRIAE_CONSULTATION_STATUS_SIGNED)
    return fail (error, _("A session is recorded for a signed plan; sign the consultation "
                          "first."));
  if (striae_consultation_is_not_treated (consultation))
    return fail (error, _("The consultation was signed as not treated, so it plans no "
                          "session."));

  return TRUE;
}

/**
 * striae_treatment_session_validate:
 * @consultation: (nullable): the consultation revision whose plan the session follows
 *
 * What every save of a session record must pass: values in range and, given its
 * consultation, a record of that signed plan whose areas, depths and devices fit it.
 * Incomplete records pass: a draft keeps what was typed so far.
 *
 * Returns: %TRUE, or %FALSE with @error set (%STRIAE_CORE_ERROR_INVALID) in one sentence
 */
gboolean
striae_treatment_session_validate (StriaeTreatmentSession  *self,
                                   StriaeConsultation      *consultation,
                                   GError                 **error)
{
  g_return_val_if_fail (STRIAE_IS_TREATMENT_SESSION (self), FALSE);
  g_return_val_if_fail (consultation == NULL || STRIAE_IS_CONSULTATION (consultation), FALSE);

  return (consultation == NULL || check_consultation (self, consultation, error)) &&
         check_texts (self, error) &&
         check_course (self, error) &&
         check_dates (self, consultation, error) &&
         check_areas (self, consultation, error) &&
         check_products (self, error) &&
         check_events (self, error) &&
         striae_session_check_validate (striae_treatment_session_get_check (self), error);
}

/* [sterile] a product past its expiry date is not applied: a batch recorded as expired on the
 * day of the session is refused, so that a wrong date or lot is corrected before the record is
 * locked. */
static gboolean
check_products_complete (StriaeTreatmentSession  *self,
                         GError                 **error)
{
  GListModel *products = striae_treatment_session_get_products (self);
  const GDate *date = striae_treatment_session_get_date (self);

  for (guint i = 0; i < g_list_model_get_n_items (products); i++)
    {
      g_autoptr(StriaeSessionProduct) product = g_list_model_get_item (products, i);
      const GDate *expiry = striae_session_product_get_expiry (product);

      if (striae_session_product_get_name (product)[0] == '\0' ||
          striae_session_product_get_lot (product)[0] == '\0' || expiry == NULL)
        return fail (error, _("Give each product its name, batch or lot number and expiry "
                              "date."));
      if (g_date_compare (expiry, date) < 0)
        {
          g_autofree char *when = striae_format_local_date (expiry);

          g_set_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID,
                       _("Batch %s expired on %s, before the session; check the batch and its "
                         "expiry date."), striae_session_product_get_lot (product), when);
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
check_areas_complete (StriaeTreatmentSession  *self,
                      GError                 **error)
{
  GListModel *areas = striae_treatment_session_get_areas (self);
  guint n = g_list_model_get_n_items (areas);
  gboolean stopped = striae_session_check_get_result (striae_treatment_session_get_check (self))
                     == STRIAE_CHECK_RESULT_STOPPED;

  /* A session stopped by its check treated nothing. */
  if (stopped)
    return n == 0 || fail (error, _("The session was stopped before treatment, so it has no "
                                    "treated areas; remove them or review the check."));
  if (n == 0)
    return fail (error, _("Record at least one treated area."));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(StriaeSessionArea) entry = g_list_model_get_item (areas, i);

      if (striae_session_area_get_depth (entry) == 0 ||
          striae_session_area_get_device (entry) == STRIAE_DEVICE_NOT_SET)
        return fail (error, _("Enter the needle depth used and the device for each treated "
                              "area."));
    }

  return TRUE;
}

/**
 * striae_treatment_session_check_signable:
 * @today: (nullable): the day of signing (%NULL: today)
 *
 * What a signature adds to striae_treatment_session_validate(): a practitioner, a date not
 * after @today (a session is signed once it took place), the check before the session done,
 * each treated area with depth and device, numbing cream with its time, each product with
 * name, lot and an expiry not before the session, each adverse event described.
 */
gboolean
striae_treatment_session_check_signable (StriaeTreatmentSession  *self,
                                         const GDate             *today,
                                         GError                 **error)
{
  StriaeSessionCheck *check;
  const GDate *date;
  GDate now;

  g_return_val_if_fail (STRIAE_IS_TREATMENT_SESSION (self), FALSE);

  if (today == NULL)
    {
      g_date_clear (&now, 1);
      g_date_set_time_t (&now, time (NULL));
      today = &now;
    }

  date = striae_treatment_session_get_date (self);
  check = striae_treatment_session_get_check (self);
  if (striae_treatment_session_get_practitioner (self)[0] == '\0')
    return fail (error, _("Enter who performed the session."));
  if (date == NULL)
    return fail (error, _("Enter the date of the session."));
  if (g_date_compare (date, today) > 0)
    return fail (error, _("The session date is in the future; a session is signed once it "
                          "took place."));
  if (striae_session_check_get_result (check) == STRIAE_CHECK_RESULT_NOT_DONE)
    return fail (error, _("Do the check before the session first."));
  if (striae_treatment_session_get_numbing_cream (self) &&
      striae_treatment_session_get_numbing_cream_time (self) < 0)
    return fail (error, _("Enter when the numbing cream went on."));

  for (guint i = 0; i < g_list_model_get_n_items (striae_treatment_session_get_events (self));
       i++)
    {
      g_autoptr(StriaeAdverseEvent) event =
        g_list_model_get_item (striae_treatment_session_get_events (self), i);

      if (striae_adverse_event_get_what (event)[0] == '\0')
        return fail (error, _("Describe each adverse event."));
    }

  return check_areas_complete (self, error) && check_products_complete (self, error);
}
