/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "striae-store.h"

G_BEGIN_DECLS

#define STRIAE_TYPE_APPLICATION (striae_application_get_type ())

G_DECLARE_FINAL_TYPE (StriaeApplication, striae_application, STRIAE, APPLICATION, AdwApplication)

StriaeApplication *striae_application_new           (void);
StriaeStore       *striae_application_get_store     (StriaeApplication *self);
const char        *striae_application_get_database  (StriaeApplication *self);
void               striae_application_set_database  (StriaeApplication *self,
                                                     const char        *path);

G_END_DECLS
