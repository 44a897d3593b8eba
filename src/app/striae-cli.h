/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "striae-consultation.h"
#include "striae-patient.h"
#include "striae-store.h"

G_BEGIN_DECLS

int      striae_cli_print_error   (const GError   *error);
gboolean striae_cli_lookup_id     (GVariantDict   *options,
                                   const char     *name,
                                   gint64         *id,
                                   GError        **error);

/* Command-line work that needs no display. Each function writes its result to @out and
 * returns FALSE with @error set when it cannot do its work; the caller prints the error. */

gboolean striae_cli_list_patients (StriaeStore    *store,
                                   const char     *search,
                                   GOutputStream  *out,
                                   GError        **error);

gboolean striae_cli_sheet_for_consultation (StriaeStore    *store,
                                            gint64          consultation_id,
                                            const char     *sheet,
                                            const char     *language,
                                            const char     *output,
                                            const char     *printer,
                                            GSettings      *settings,
                                            GOutputStream  *out,
                                            GOutputStream  *notes,
                                            GError        **error);

gboolean striae_cli_sheets_on_day          (StriaeStore    *store,
                                            const char     *day,
                                            const char     *sheet,
                                            const char     *language,
                                            const char     *output_folder,
                                            const char     *printer,
                                            GSettings      *settings,
                                            GOutputStream  *out,
                                            GOutputStream  *notes,
                                            GError        **error);

gboolean striae_cli_sheets_on_day_signing_in (StriaeStore    *store,
                                              GVariantDict   *options,
                                              const char     *day,
                                              const char     *sheet,
                                              const char     *language,
                                              const char     *output_folder,
                                              const char     *printer,
                                              GSettings      *settings,
                                              GOutputStream  *out,
                                              GOutputStream  *notes,
                                              GError        **error);

G_END_DECLS
