/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The largest logo a clinic may keep in its records: a header image, not a photograph. */
#define STRIAE_CLINIC_LOGO_MAX_SIZE (1024 * 1024)

/* The idle minutes after which Striae's windows lock (HIPAA's automatic logoff): the clinic
 * chooses within these bounds; the lock cannot be turned off. */
#define STRIAE_CLINIC_LOCK_MINUTES_MIN 1
#define STRIAE_CLINIC_LOCK_MINUTES_MAX 60
#define STRIAE_CLINIC_LOCK_MINUTES_DEFAULT 5

#define STRIAE_TYPE_CLINIC (striae_clinic_get_type ())

G_DECLARE_FINAL_TYPE (StriaeClinic, striae_clinic, STRIAE, CLINIC, GObject)

StriaeClinic       *striae_clinic_new                (void);
StriaeClinic       *striae_clinic_copy               (StriaeClinic  *self);
const char         *striae_clinic_get_name           (StriaeClinic  *self);
void                striae_clinic_set_name           (StriaeClinic  *self,
                                                      const char    *name);
const char         *striae_clinic_get_address        (StriaeClinic  *self);
void                striae_clinic_set_address        (StriaeClinic  *self,
                                                      const char    *address);
const char         *striae_clinic_get_phone          (StriaeClinic  *self);
void                striae_clinic_set_phone          (StriaeClinic  *self,
                                                      const char    *phone);
const char         *striae_clinic_get_email          (StriaeClinic  *self);
void                striae_clinic_set_email          (StriaeClinic  *self,
                                                      const char    *email);
GBytes             *striae_clinic_get_logo           (StriaeClinic  *self);
void                striae_clinic_set_logo           (StriaeClinic  *self,
                                                      GBytes        *logo);
const char * const *striae_clinic_get_practitioners  (StriaeClinic  *self);
void                striae_clinic_set_practitioners  (StriaeClinic  *self,
                                                      const char * const *practitioners);
guint               striae_clinic_get_lock_minutes   (StriaeClinic  *self);
void                striae_clinic_set_lock_minutes   (StriaeClinic  *self,
                                                      guint          minutes);
/* Whether a consent may be signed on the screen by typing one's full name (issue 18). */
gboolean            striae_clinic_get_typed_signature (StriaeClinic *self);
void                striae_clinic_set_typed_signature (StriaeClinic *self,
                                                       gboolean      allowed);
gboolean            striae_clinic_check_logo         (GBytes        *logo,
                                                      GError       **error);

G_END_DECLS
