/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define STRIAE_SHEET_ERROR (striae_sheet_error_quark ())

/**
 * StriaeSheetError:
 * @STRIAE_SHEET_ERROR_NOT_FOUND: no template of that name exists for that language
 * @STRIAE_SHEET_ERROR_MARKUP: the template is not well-formed XML
 * @STRIAE_SHEET_ERROR_UNKNOWN_ELEMENT: an element or attribute the format does not define
 * @STRIAE_SHEET_ERROR_UNKNOWN_PLACEHOLDER: a `{name}` that is not in the known list
 * @STRIAE_SHEET_ERROR_UNKNOWN_FACT: a condition names a fact that is not in the known list
 * @STRIAE_SHEET_ERROR_BAD_ID: an id is missing, malformed or used twice
 * @STRIAE_SHEET_ERROR_INVALID: an input value is not acceptable
 * @STRIAE_SHEET_ERROR_WRITE: a PDF could not be written
 * @STRIAE_SHEET_ERROR_UNFINISHED: the consultation is not finished enough for this sheet to
 *   reach the patient (a relative finding not acknowledged, an empty field the sheet prints)
 *
 * Template errors always carry the file name and line in their message.
 */
typedef enum
{
  STRIAE_SHEET_ERROR_NOT_FOUND,
  STRIAE_SHEET_ERROR_MARKUP,
  STRIAE_SHEET_ERROR_UNKNOWN_ELEMENT,
  STRIAE_SHEET_ERROR_UNKNOWN_PLACEHOLDER,
  STRIAE_SHEET_ERROR_UNKNOWN_FACT,
  STRIAE_SHEET_ERROR_BAD_ID,
  STRIAE_SHEET_ERROR_INVALID,
  STRIAE_SHEET_ERROR_WRITE,
  STRIAE_SHEET_ERROR_UNFINISHED,
} StriaeSheetError;

GQuark striae_sheet_error_quark (void);

G_END_DECLS
