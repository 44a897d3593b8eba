/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "striae-sheet-error.h"

G_DEFINE_QUARK (striae-sheet-error-quark, striae_sheet_error)
