/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

AdwToast *striae_toast_new (GtkWidget  *overlay,
                            const char *text);

G_END_DECLS
