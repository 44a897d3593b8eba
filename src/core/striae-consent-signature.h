/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* [consent] a consent form has signature and date lines for the patient (or guardian) and the
 * practitioner; a consent signed on the screen keeps each signature as strokes. */
typedef enum
{
  STRIAE_CONSENT_SIGNER_PATIENT,
  STRIAE_CONSENT_SIGNER_GUARDIAN,
  STRIAE_CONSENT_SIGNER_PRACTITIONER,
} StriaeConsentSigner;

/* The bounds of one signature: a signature is a few strokes of a few hundred points; the
 * bounds keep a damaged or hostile record from filling memory. */
#define STRIAE_SIGNATURE_STROKES_MAX    200
#define STRIAE_SIGNATURE_POINTS_MAX     20000
#define STRIAE_SIGNATURE_JSON_MAX       (1024 * 1024)
#define STRIAE_SIGNATURE_TIME_MAX       (60 * 60 * 1000)   /* an hour, in milliseconds */
#define STRIAE_SIGNATURE_NAME_MAX       200
#define STRIAE_SIGNATURE_HASH_LENGTH    64                 /* SHA-256 in hex */
/* The pad is four times as wide as it is high; the sheet draws a signature in the same
 * proportions. */
#define STRIAE_SIGNATURE_PAD_ASPECT     4.0

/* One point of a stroke: @x and @y in the pad's 0..1 space (x to the right, y down),
 * @pressure 0..1 from a stylus or -1 when the device gives none, @time in milliseconds
 * since the signature's first point. */
typedef struct
{
  double  x;
  double  y;
  double  pressure;
  guint32 time;
} StriaeSignaturePoint;

#define STRIAE_TYPE_CONSENT_SIGNATURE (striae_consent_signature_get_type ())

G_DECLARE_FINAL_TYPE (StriaeConsentSignature, striae_consent_signature, STRIAE,
                      CONSENT_SIGNATURE, GObject)

StriaeConsentSignature *striae_consent_signature_new          (StriaeConsentSigner      signer);

StriaeConsentSigner     striae_consent_signature_get_signer   (StriaeConsentSignature  *self);
gint64                  striae_consent_signature_get_consultation_id
                                                              (StriaeConsentSignature  *self);
guint                   striae_consent_signature_get_revision (StriaeConsentSignature  *self);
void                    striae_consent_signature_set_consultation
                                                              (StriaeConsentSignature  *self,
                                                               gint64                   id,
                                                               guint                    revision);
const char             *striae_consent_signature_get_name     (StriaeConsentSignature  *self);
void                    striae_consent_signature_set_name     (StriaeConsentSignature  *self,
                                                               const char              *name);
GDateTime              *striae_consent_signature_get_signed_at (StriaeConsentSignature *self);
void                    striae_consent_signature_set_signed_at (StriaeConsentSignature *self,
                                                                GDateTime              *at);
const char             *striae_consent_signature_get_signed_by (StriaeConsentSignature *self);
void                    striae_consent_signature_set_signed_by (StriaeConsentSignature *self,
                                                                const char             *by);
const char             *striae_consent_signature_get_consent_hash
                                                              (StriaeConsentSignature  *self);
void                    striae_consent_signature_set_consent_hash
                                                              (StriaeConsentSignature  *self,
                                                               const char              *hash);
gboolean                striae_consent_signature_matches      (StriaeConsentSignature  *self,
                                                               const char              *hash);

void                    striae_consent_signature_begin_stroke (StriaeConsentSignature  *self);
gboolean                striae_consent_signature_add_point    (StriaeConsentSignature  *self,
                                                               double                   x,
                                                               double                   y,
                                                               double                   pressure,
                                                               guint32                  time);
void                    striae_consent_signature_undo_stroke  (StriaeConsentSignature  *self);
void                    striae_consent_signature_clear        (StriaeConsentSignature  *self);
guint                   striae_consent_signature_get_n_strokes (StriaeConsentSignature *self);
const StriaeSignaturePoint *
                        striae_consent_signature_get_stroke   (StriaeConsentSignature  *self,
                                                               guint                    index,
                                                               guint                   *n_points);
void                    striae_consent_signature_set_typed    (StriaeConsentSignature  *self,
                                                               const char              *text);
const char             *striae_consent_signature_get_typed    (StriaeConsentSignature  *self);
gboolean                striae_consent_signature_is_empty     (StriaeConsentSignature  *self);

char                   *striae_consent_signature_strokes_to_json
                                                              (StriaeConsentSignature  *self);
gboolean                striae_consent_signature_set_strokes_from_json
                                                              (StriaeConsentSignature  *self,
                                                               const char              *json,
                                                               GError                 **error);

const char             *striae_consent_signer_to_string       (StriaeConsentSigner      signer);
gboolean                striae_consent_signer_from_string     (const char              *text,
                                                               StriaeConsentSigner     *signer);
const char             *striae_consent_signer_to_sheet_id     (StriaeConsentSigner      signer);

G_END_DECLS
