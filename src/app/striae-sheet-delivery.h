/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "striae-consultation.h"
#include "striae-patient.h"
#include "striae-sheet.h"
#include "striae-store.h"

G_BEGIN_DECLS

#define STRIAE_TYPE_SHEET_DELIVERY (striae_sheet_delivery_get_type ())

G_DECLARE_FINAL_TYPE (StriaeSheetDelivery, striae_sheet_delivery, STRIAE, SHEET_DELIVERY,
                      GObject)

/* The one way a sheet reaches a patient, for the preview, `--sheet` and `--sessions-on`:
 * the clinic's rules and settings, screening, recommendation and facts recomputed, the
 * decision whether it may be given (striae_sheet_check_printable()), the PDF or the print,
 * and its audit row. No widgets: a printer needs GTK initialised, a PDF nothing. */

StriaeSheetDelivery *striae_sheet_delivery_new              (StriaeStore          *store,
                                                             GSettings            *settings);

void                 striae_sheet_delivery_set_override_dir (StriaeSheetDelivery  *self,
                                                             const char           *override_dir);

void                 striae_sheet_delivery_set_batch        (StriaeSheetDelivery  *self,
                                                             gboolean              batch);

void                 striae_sheet_delivery_set_read_ahead   (StriaeSheetDelivery  *self,
                                                             gboolean              read_ahead);

gboolean             striae_sheet_delivery_read_batch       (StriaeSheetDelivery  *self,
                                                             GError              **error);

StriaeSheetDelivery *striae_sheet_delivery_new_sibling      (StriaeSheetDelivery  *self,
                                                             StriaeStore          *store);

StriaeSheet         *striae_sheet_delivery_compose          (StriaeSheetDelivery  *self,
                                                             StriaePatient        *patient,
                                                             StriaeConsultation   *consultation,
                                                             const char           *name,
                                                             const char           *language,
                                                             const GDate          *sheet_date,
                                                             char                **unfinished,
                                                             char                **warning,
                                                             GError              **error);

StriaeSheet         *striae_sheet_delivery_compose_stored   (StriaeSheetDelivery  *self,
                                                             gint64                consultation_id,
                                                             const char           *name,
                                                             const char           *language,
                                                             const GDate          *sheet_date,
                                                             StriaePatient       **patient,
                                                             StriaeConsultation  **consultation,
                                                             char                **warning,
                                                             GError              **error);

gboolean             striae_sheet_delivery_export           (StriaeSheetDelivery  *self,
                                                             StriaeSheet          *sheet,
                                                             StriaePatient        *patient,
                                                             StriaeConsultation   *consultation,
                                                             const char           *path,
                                                             GError              **error);

gboolean             striae_sheet_delivery_export_all
                              (StriaeSheetDelivery         *self,
                               StriaeSheet * const         *sheets,
                               StriaePatient * const       *patients,
                               StriaeConsultation * const  *consultations,
                               const char * const          *paths,
                               guint                        n_sheets,
                               guint                       *n_written,
                               GError                     **error);

gboolean             striae_sheet_delivery_export_rendered
                              (StriaeSheetDelivery         *self,
                               StriaeSheet * const         *sheets,
                               GBytes * const              *pdfs,
                               StriaePatient * const       *patients,
                               StriaeConsultation * const  *consultations,
                               const char * const          *paths,
                               guint                        n_sheets,
                               guint                       *n_written,
                               GError                     **error);

gboolean             striae_sheet_delivery_print
                              (StriaeSheetDelivery         *self,
                               StriaeSheet * const         *sheets,
                               StriaePatient * const       *patients,
                               StriaeConsultation * const  *consultations,
                               guint                        n_sheets,
                               const char                  *printer,
                               const char                  *title,
                               GError                     **error);

gboolean             striae_sheet_delivery_record_print     (StriaeSheetDelivery  *self,
                                                             StriaeSheet          *sheet,
                                                             StriaePatient        *patient,
                                                             StriaeConsultation   *consultation,
                                                             const char           *printer,
                                                             GError              **error);

G_END_DECLS
