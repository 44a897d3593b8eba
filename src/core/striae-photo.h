/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "striae-area.h"

G_BEGIN_DECLS

/* When in the course a photo was taken. */
typedef enum
{
  STRIAE_PHOTO_MOMENT_CONSULTATION,   /* at the consultation, before any treatment */
  STRIAE_PHOTO_MOMENT_BEFORE,         /* at a session, before treating */
  STRIAE_PHOTO_MOMENT_AFTER,          /* at a session, after treating */
} StriaePhotoMoment;

/* What the patient allowed photos to be used for. */
typedef enum
{
  STRIAE_PHOTO_CONSENT_NONE,          /* not asked, refused or withdrawn: no photo may be added */
  STRIAE_PHOTO_CONSENT_CLINICAL,      /* the clinical record only */
  STRIAE_PHOTO_CONSENT_TEACHING,      /* the clinical record, and teaching or publication */
} StriaePhotoConsentScope;

/* The words the records and the command line use for them: "consultation", "before",
 * "after"; "none", "clinical", "teaching". from_string() is FALSE for any other. */
const char *striae_photo_moment_to_string        (StriaePhotoMoment         moment);
gboolean    striae_photo_moment_from_string      (const char               *text,
                                                  StriaePhotoMoment        *moment);
const char *striae_photo_moment_get_label        (StriaePhotoMoment         moment);
const char *striae_photo_consent_scope_to_string (StriaePhotoConsentScope   scope);
gboolean    striae_photo_consent_scope_from_string (const char             *text,
                                                    StriaePhotoConsentScope *scope);
const char *striae_photo_consent_scope_get_label (StriaePhotoConsentScope   scope);

#define STRIAE_TYPE_PHOTO (striae_photo_get_type ())
G_DECLARE_FINAL_TYPE (StriaePhoto, striae_photo, STRIAE, PHOTO, GObject)

/* A photo's record, without its pixels (striae_store_get_photo_image() / _thumbnail()). */
StriaePhoto       *striae_photo_new                      (void);
gint64             striae_photo_get_id                   (StriaePhoto       *self);
void               striae_photo_set_id                   (StriaePhoto       *self,
                                                          gint64             id);
gint64             striae_photo_get_patient_id           (StriaePhoto       *self);
void               striae_photo_set_patient_id           (StriaePhoto       *self,
                                                          gint64             id);
gint64             striae_photo_get_consultation_id      (StriaePhoto       *self);
void               striae_photo_set_consultation_id      (StriaePhoto       *self,
                                                          gint64             id);
/* 0 for a photo of the consultation */
gint64             striae_photo_get_treatment_session_id (StriaePhoto       *self);
void               striae_photo_set_treatment_session_id (StriaePhoto       *self,
                                                          gint64             id);
/* the session's number in its course (1…N), 0 for the consultation's photos */
guint              striae_photo_get_session_number       (StriaePhoto       *self);
void               striae_photo_set_session_number       (StriaePhoto       *self,
                                                          guint              number);
StriaeBodySite     striae_photo_get_site                 (StriaePhoto       *self);
void               striae_photo_set_site                 (StriaePhoto       *self,
                                                          StriaeBodySite     site);
StriaeSide         striae_photo_get_side                 (StriaePhoto       *self);
void               striae_photo_set_side                 (StriaePhoto       *self,
                                                          StriaeSide         side);
StriaePhotoMoment  striae_photo_get_moment               (StriaePhoto       *self);
void               striae_photo_set_moment               (StriaePhoto       *self,
                                                          StriaePhotoMoment  moment);
/* the day of the consultation or session it belongs to (invalid when it has none) */
const GDate       *striae_photo_get_date                 (StriaePhoto       *self);
void               striae_photo_set_date                 (StriaePhoto       *self,
                                                          const GDate       *date);
/* the needle depth used on that area at that session (recorded), or planned at the
 * consultation; 0 when none */
double             striae_photo_get_depth_mm             (StriaePhoto       *self);
void               striae_photo_set_depth_mm             (StriaePhoto       *self,
                                                          double             mm);
guint              striae_photo_get_width                (StriaePhoto       *self);
guint              striae_photo_get_height               (StriaePhoto       *self);
void               striae_photo_set_size                 (StriaePhoto       *self,
                                                          guint              width,
                                                          guint              height);
/* lower-case hex SHA-256 of the stored (re-encoded) image bytes */
const char        *striae_photo_get_sha256               (StriaePhoto       *self);
void               striae_photo_set_sha256               (StriaePhoto       *self,
                                                          const char        *sha256);
GDateTime         *striae_photo_get_added                (StriaePhoto       *self);
void               striae_photo_set_added                (StriaePhoto       *self,
                                                          GDateTime         *added);
const char        *striae_photo_get_added_by             (StriaePhoto       *self);
void               striae_photo_set_added_by             (StriaePhoto       *self,
                                                          const char        *name);

G_END_DECLS
