/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "striae-authenticator.h"
#include "striae-idle-lock.h"
#include "striae-store.h"

G_BEGIN_DECLS

#define STRIAE_TYPE_APPLICATION (striae_application_get_type ())

G_DECLARE_FINAL_TYPE (StriaeApplication, striae_application, STRIAE, APPLICATION, AdwApplication)

StriaeApplication *striae_application_new           (void);
StriaeStore       *striae_application_get_store     (StriaeApplication *self);
const char        *striae_application_get_database  (StriaeApplication *self);
void               striae_application_set_database  (StriaeApplication *self,
                                                     const char        *path);
void               striae_application_set_authenticator (StriaeApplication   *self,
                                                         StriaeAuthenticator *authenticator);
StriaeIdleLock    *striae_application_get_idle_lock (StriaeApplication *self);

G_END_DECLS
