/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* striae --add-photo FILE… --consultation ID [--session N] --site SITE [--side SIDE]
 * --moment consultation|before|after [--user NAME]: adds photos of an area to the records
 * (striae_store_add_photo()), each file on its own: one refused says why and the others are
 * still added. striae --photo-consent PATIENT_ID none|clinical|teaching records the
 * patient's photo consent. Both need no display. */

void     striae_cli_photos_add_options (GApplication  *app);
gboolean striae_cli_photos_handle      (const char    *database,
                                        GVariantDict  *options,
                                        int           *exit_status);

G_END_DECLS
