/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define STRIAE_CORE_ERROR (striae_core_error_quark ())

/**
 * StriaeCoreError:
 * @STRIAE_CORE_ERROR_INVALID: a value does not meet the rules of the domain model
 * @STRIAE_CORE_ERROR_INCOMPLETE: a value is required but missing
 * @STRIAE_CORE_ERROR_CONTRAINDICATED: screening found an absolute contraindication
 */
typedef enum
{
  STRIAE_CORE_ERROR_INVALID,
  STRIAE_CORE_ERROR_INCOMPLETE,
  STRIAE_CORE_ERROR_CONTRAINDICATED,
} StriaeCoreError;

GQuark striae_core_error_quark (void);

G_END_DECLS
