/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

void striae_combo_row_show_whole_choices (AdwComboRow *row);

G_END_DECLS
