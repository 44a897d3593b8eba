/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "striae-core-error.h"

G_DEFINE_QUARK (striae-core-error-quark, striae_core_error)
