/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "striae-accessible.h"
#include "striae-cups-compat.h"
#include "striae-sheet-composer.h"
#include "striae-sheet-delivery.h"
#include "striae-sheet-error.h"
#include "striae-sheet-language.h"
#include "striae-sheet-names.h"
#include "striae-sheet-preview.h"
#include "striae-toast.h"

/* At zoom 1 a point of the sheet is one point of the screen (96 dpi). */
#define SCREEN_PER_POINT (96.0 / 72.0)
#define ZOOM_MIN 0.25
#define ZOOM_MAX 4.0
#define ZOOM_STEP 1.25
#define PAGE_GAP 24.0

struct _StriaeSheetPreview
{
  AdwWindow            parent_instance;

  AdwToastOverlay     *toast_overlay;
  GtkLabel            *patient_label;
  GtkDropDown         *sheet_dropdown;
  GtkDropDown         *language_dropdown;
  GtkStack            *stack;
  GtkScrolledWindow   *scroller;
  GtkDrawingArea      *drawing_area;
  AdwStatusPage       *error_page;
  GtkLabel            *page_label;
  GtkLabel            *source_label;
  GtkRevealer         *warning_revealer;
  GtkLabel            *warning_label;

  StriaePatient       *patient;
  StriaeConsultation  *consultation;
  GSettings           *settings;
  char               **languages;
  char                *override_dir;
  StriaeSheet         *sheet;
  StriaeStore         *store;
  StriaeSheetDelivery *delivery; /* made on first use, for the preview's store and templates */
  guint                page;
  double               zoom;
  gboolean             fit;
  gboolean             updating;
  gboolean             stale;   /* the sheet waits to be composed */
};

G_DEFINE_FINAL_TYPE (StriaeSheetPreview, striae_sheet_preview, ADW_TYPE_WINDOW)

enum {
  DELIVERED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

enum {
  PROP_0,
  PROP_STORE,
  PROP_SHEET,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static const char *
selected_sheet_name (StriaeSheetPreview *self)
{
  const char * const *names = striae_sheet_template_names ();
  guint selected = gtk_drop_down_get_selected (self->sheet_dropdown);

  if (selected >= g_strv_length ((char **) names))
    selected = 0;
  return names[selected];
}

/* NULL: the patient's language if there is a sheet in it, else the clinic's default. */
static const char *
selected_language (StriaeSheetPreview *self)
{
  guint selected = gtk_drop_down_get_selected (self->language_dropdown);

  if (selected == 0 || selected == GTK_INVALID_LIST_POSITION ||
      selected > g_strv_length (self->languages))
    return NULL;
  return self->languages[selected - 1];
}

static void
update_page_state (StriaeSheetPreview *self)
{
  guint n_pages = self->sheet != NULL ? striae_sheet_get_n_pages (self->sheet) : 0;
  g_autofree char *text = NULL;

  if (n_pages > 0)
    /* TRANSLATORS: the page shown in the preview, e.g. "Page 1 of 2" */
    text = g_strdup_printf (_("Page %u of %u"), self->page + 1, n_pages);
  gtk_label_set_text (self->page_label, text != NULL ? text : "");

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "preview.previous-page",
                                 n_pages > 0 && self->page > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "preview.next-page",
                                 self->page + 1 < n_pages);
  /* A draft is shown, never given. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "preview.print",
                                 n_pages > 0 && !striae_sheet_get_draft (self->sheet));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "preview.export",
                                 n_pages > 0 && !striae_sheet_get_draft (self->sheet));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "preview.zoom-in",
                                 n_pages > 0 && (self->fit || self->zoom < ZOOM_MAX));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "preview.zoom-out",
                                 n_pages > 0 && (self->fit || self->zoom > ZOOM_MIN));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "preview.zoom-fit",
                                 n_pages > 0 && !self->fit);
}

static void
update_size (StriaeSheetPreview *self)
{
  double width, height;

  if (self->sheet == NULL || self->fit)
    {
      gtk_drawing_area_set_content_width (self->drawing_area, 0);
      gtk_drawing_area_set_content_height (self->drawing_area, 0);
      gtk_scrolled_window_set_policy (self->scroller, GTK_POLICY_NEVER, GTK_POLICY_NEVER);
    }
  else
    {
      striae_sheet_get_page_size (self->sheet, &width, &height);
      gtk_drawing_area_set_content_width (self->drawing_area,
                                          width * SCREEN_PER_POINT * self->zoom + 2 * PAGE_GAP);
      gtk_drawing_area_set_content_height (self->drawing_area,
                                           height * SCREEN_PER_POINT * self->zoom
                                           + 2 * PAGE_GAP);
      gtk_scrolled_window_set_policy (self->scroller, GTK_POLICY_AUTOMATIC,
                                      GTK_POLICY_AUTOMATIC);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self->drawing_area));
}

static void
show_error (StriaeSheetPreview *self,
            const GError       *error)
{
  adw_status_page_set_description (self->error_page, error->message);
  gtk_stack_set_visible_child_name (self->stack, "error");
  gtk_label_set_text (self->source_label, "");
}

/* The same delivery as the command line's: the clinic's stored rules (the built-in ones
 * without a store), its settings, and the audit log. One for as long as the store and the
 * templates' folder stay, so that the photos a sheet prints are opened (and audited) once
 * while the person switches sheets and languages. */
static StriaeSheetDelivery *
get_delivery (StriaeSheetPreview *self)
{
  if (self->delivery == NULL)
    {
      self->delivery = striae_sheet_delivery_new (self->store, self->settings);
      striae_sheet_delivery_set_override_dir (self->delivery, self->override_dir);
    }
  return self->delivery;
}

static void
compose (StriaeSheetPreview *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *warning = NULL;
  g_autofree char *unfinished = NULL;
  g_autofree char *source = NULL;
  StriaeSheetTemplate *template;

  self->stale = FALSE;
  g_clear_object (&self->sheet);
  self->page = 0;

  if (self->patient == NULL || self->consultation == NULL)
    {
      update_page_state (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHEET]);
      return;
    }

  self->sheet = striae_sheet_delivery_compose (get_delivery (self), self->patient,
                                               self->consultation,
                                               selected_sheet_name (self),
                                               selected_language (self), NULL, &unfinished,
                                               &warning, &error);
  if (self->sheet == NULL)
    {
      show_error (self, error);
      gtk_revealer_set_reveal_child (self->warning_revealer, FALSE);
      update_page_state (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHEET]);
      return;
    }

  gtk_stack_set_visible_child_name (self->stack, "sheet");
  gtk_window_set_title (GTK_WINDOW (self), striae_sheet_get_title (self->sheet));

  template = striae_sheet_get_template (self->sheet);
  if (striae_sheet_template_is_built_in (template))
    {
      g_autofree char *language = striae_sheet_language_dup_name (
                                    striae_sheet_template_get_language (template));

      /* TRANSLATORS: which template file the preview uses; %s is the language's own name,
       * e.g. "Deutsch" */
      source = g_strdup_printf (_("Standard text (%s)"), language);
    }
  else
    /* TRANSLATORS: %s is the path of the clinic's own template file */
    source = g_strdup_printf (_("Clinic’s template: %s"), striae_sheet_template_get_source (template));
  gtk_label_set_text (self->source_label, source);

  /* The clinic's template was refused (file and line in the message), or the sheet itself
   * warns, e.g. about a logo it could not read. */
  if (warning == NULL && striae_sheet_get_warnings (self->sheet) != NULL &&
      striae_sheet_get_warnings (self->sheet)[0] != NULL)
    warning = g_strjoinv ("\n", (char **) striae_sheet_get_warnings (self->sheet));
  /* An unfinished sheet is shown as a draft, with what is missing first. */
  if (unfinished != NULL)
    {
      char *text = warning != NULL ? g_strconcat (unfinished, "\n", warning, NULL)
                                   : g_strdup (unfinished);

      g_free (warning);
      warning = text;
    }
  gtk_label_set_text (self->warning_label, warning != NULL ? warning : "");
  gtk_revealer_set_reveal_child (self->warning_revealer, warning != NULL);

  update_size (self);
  update_page_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHEET]);
}

static void
ensure_sheet (StriaeSheetPreview *self)
{
  if (self->stale)
    compose (self);
}

/* A window not yet shown composes its sheet when it is shown, or when asked for the sheet:
 * whoever opens it gives it its store and template folder first, and each would otherwise
 * compose it again, the first time with the built-in rules. */
static void
reload (StriaeSheetPreview *self)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    compose (self);
  else
    self->stale = TRUE;
}

static void
sheet_changed_cb (StriaeSheetPreview *self)
{
  if (!self->updating)
    reload (self);
}

static void
settings_changed_cb (StriaeSheetPreview *self)
{
  reload (self);
}

static void
draw_cb (GtkDrawingArea *area,
         cairo_t        *cr,
         int             width,
         int             height,
         gpointer        user_data)
{
  StriaeSheetPreview *self = user_data;
  double page_width, page_height, scale, x, y;

  /* The desk the paper lies on follows the style; the paper stays white, as it prints. */
  if (adw_style_manager_get_dark (adw_style_manager_get_default ()))
    cairo_set_source_rgb (cr, 0.11, 0.11, 0.11);
  else
    cairo_set_source_rgb (cr, 0.88, 0.88, 0.88);
  cairo_paint (cr);

  if (self->sheet == NULL)
    return;

  striae_sheet_get_page_size (self->sheet, &page_width, &page_height);
  if (self->fit)
    scale = MIN ((width - 2 * PAGE_GAP) / page_width, (height - 2 * PAGE_GAP) / page_height);
  else
    scale = self->zoom * SCREEN_PER_POINT;
  if (scale <= 0.0)
    return;

  x = MAX (PAGE_GAP, (width - page_width * scale) / 2.0);
  y = MAX (PAGE_GAP, (height - page_height * scale) / 2.0);

  /* A soft shadow so the white page stands out from the background. */
  cairo_set_source_rgba (cr, 0, 0, 0, 0.25);
  cairo_rectangle (cr, x + 2, y + 3, page_width * scale, page_height * scale);
  cairo_fill (cr);

  cairo_save (cr);
  cairo_translate (cr, x, y);
  cairo_scale (cr, scale, scale);
  striae_sheet_draw_page (self->sheet, cr, self->page);
  cairo_restore (cr);
}

static void
go_to_page (StriaeSheetPreview *self,
            int                 delta)
{
  guint n_pages;
  int page;

  if (self->sheet == NULL)
    return;

  n_pages = striae_sheet_get_n_pages (self->sheet);
  page = CLAMP ((int) self->page + delta, 0, (int) n_pages - 1);
  self->page = page;
  gtk_widget_queue_draw (GTK_WIDGET (self->drawing_area));
  update_page_state (self);
}

static void
previous_page_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  go_to_page (STRIAE_SHEET_PREVIEW (widget), -1);
}

static void
next_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  go_to_page (STRIAE_SHEET_PREVIEW (widget), 1);
}

/* Leaving "fit" starts from the zoom the page had while fitted, so it does not jump. */
static double
current_zoom (StriaeSheetPreview *self)
{
  double page_width, page_height, width, height;

  if (!self->fit || self->sheet == NULL)
    return self->zoom;

  striae_sheet_get_page_size (self->sheet, &page_width, &page_height);
  width = gtk_widget_get_width (GTK_WIDGET (self->drawing_area)) - 2 * PAGE_GAP;
  height = gtk_widget_get_height (GTK_WIDGET (self->drawing_area)) - 2 * PAGE_GAP;
  if (width <= 0 || height <= 0)
    return 1.0;
  return MIN (width / page_width, height / page_height) / SCREEN_PER_POINT;
}

static void
set_zoom (StriaeSheetPreview *self,
          double              zoom,
          gboolean            fit)
{
  self->fit = fit;
  if (!fit)
    self->zoom = CLAMP (zoom, ZOOM_MIN, ZOOM_MAX);
  update_size (self);
  update_page_state (self);
}

static void
zoom_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  StriaeSheetPreview *self = STRIAE_SHEET_PREVIEW (widget);

  set_zoom (self, current_zoom (self) * ZOOM_STEP, FALSE);
}

static void
zoom_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  StriaeSheetPreview *self = STRIAE_SHEET_PREVIEW (widget);

  set_zoom (self, current_zoom (self) / ZOOM_STEP, FALSE);
}

static void
zoom_fit_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  set_zoom (STRIAE_SHEET_PREVIEW (widget), 1.0, TRUE);
}

static void
toast (StriaeSheetPreview *self,
       const char         *text)
{
  AdwToast *toast = striae_toast_new (GTK_WIDGET (self->toast_overlay), text);

  adw_toast_set_timeout (toast, 8);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* Printing through the dialog: the same drawing, scaled to the printer's page. */
static void
print_draw_page_cb (GtkPrintOperation *operation,
                    GtkPrintContext   *context,
                    int                page,
                    StriaeSheet       *sheet)
{
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  double page_width, page_height, scale;

  striae_sheet_get_page_size (sheet, &page_width, &page_height);
  scale = MIN (gtk_print_context_get_width (context) / page_width,
               gtk_print_context_get_height (context) / page_height);
  cairo_save (cr);
  cairo_scale (cr, scale, scale);
  striae_sheet_draw_page (sheet, cr, page);
  cairo_restore (cr);
}

/* What a print run needs when it is done: the preview (if still open) and the sheet it
 * printed, which the preview may have switched away from meanwhile. */
typedef struct
{
  GWeakRef     preview;
  StriaeSheet *sheet;
} PrintRun;

static void
print_run_free (gpointer  data,
                GClosure *closure)
{
  PrintRun *run = data;

  g_weak_ref_clear (&run->preview);
  g_clear_object (&run->sheet);
  g_free (run);
}

static void print_done (GtkPrintOperation       *operation,
                        GtkPrintOperationResult  result,
                        StriaeSheetPreview      *self,
                        StriaeSheet             *sheet);

static void
print_done_cb (GtkPrintOperation       *operation,
               GtkPrintOperationResult  result,
               PrintRun                *run)
{
  g_autoptr(StriaeSheetPreview) self = g_weak_ref_get (&run->preview);

  if (self != NULL)
    print_done (operation, result, self, run->sheet);
}

static void
print_done (GtkPrintOperation       *operation,
            GtkPrintOperationResult  result,
            StriaeSheetPreview      *self,
            StriaeSheet             *sheet)
{
  g_autoptr(GError) error = NULL;

  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      gtk_print_operation_get_error (operation, &error);
      toast (self, error != NULL ? error->message : _("The sheet could not be printed."));
    }
  else if (result == GTK_PRINT_OPERATION_RESULT_APPLY)
    {
      GtkPrintSettings *settings = gtk_print_operation_get_print_settings (operation);
      const char *printer = settings != NULL ? gtk_print_settings_get_printer (settings) : NULL;
      g_autoptr(GError) log_error = NULL;

      /* The print went out through the dialog: record it, as the command line does. */
      if (striae_sheet_delivery_record_print (get_delivery (self), sheet, self->patient,
                                              self->consultation,
                                              printer != NULL ? printer : "", &log_error))
        toast (self, _("The sheet was sent to the printer."));
      else
        toast (self, log_error->message);
      g_signal_emit (self, signals[DELIVERED], 0, "print",
                     striae_sheet_template_get_name (striae_sheet_get_template (sheet)),
                     printer != NULL ? printer : "");
    }
}

/* The name a sheet's file is offered under, without the extension: whose, which sheet, and
 * the consultation's date ("Dana Whitfield - Aftercare - 2026-12-06"), with no character a
 * file name cannot hold. */
static char *
dup_file_base_name (StriaeSheetPreview *self)
{
  g_autofree char *name = striae_patient_dup_full_name (self->patient);
  g_autoptr(GtkStringObject) sheet = NULL;
  g_autofree char *date = NULL;
  char *base;

  date = striae_format_optional_iso_date (striae_consultation_get_date (self->consultation));
  sheet = g_list_model_get_item (gtk_drop_down_get_model (self->sheet_dropdown),
                                 gtk_drop_down_get_selected (self->sheet_dropdown));
  if (date[0] != '\0')
    base = g_strdup_printf ("%s - %s - %s", name, gtk_string_object_get_string (sheet), date);
  else
    base = g_strdup_printf ("%s - %s", name, gtk_string_object_get_string (sheet));
  return g_strdelimit (base, "/\\:*?\"<>|", '-');
}

/**
 * striae_sheet_preview_new_print_settings:
 *
 * The settings the print dialog starts with: "Print to File" proposes the same name as the
 * export ("output.pdf" without them), in the documents folder.
 *
 * Returns: (transfer full): new print settings
 */
GtkPrintSettings *
striae_sheet_preview_new_print_settings (StriaeSheetPreview *self)
{
  GtkPrintSettings *settings = gtk_print_settings_new ();
  g_autofree char *base = dup_file_base_name (self);
  const char *documents = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);
  g_autofree char *dir = documents != NULL ? g_filename_to_uri (documents, NULL, NULL) : NULL;

  gtk_print_settings_set (settings, GTK_PRINT_SETTINGS_OUTPUT_BASENAME, base);
  if (dir != NULL)
    gtk_print_settings_set (settings, GTK_PRINT_SETTINGS_OUTPUT_DIR, dir);
  return settings;
}

static void
print_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  StriaeSheetPreview *self = STRIAE_SHEET_PREVIEW (widget);
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autoptr(GtkPageSetup) setup = NULL;
  g_autoptr(GtkPaperSize) paper = NULL;
  g_autoptr(GtkPrintSettings) print_settings = NULL;
  g_autoptr(GError) error = NULL;
  PrintRun *run;
  double width, height;

  if (self->sheet == NULL || striae_sheet_get_draft (self->sheet))
    return;
  /* The newest version waits on this computer for the clinic server (issue 14): the sheet
   * would say what the records no longer hold. */
  if (self->store != NULL && self->consultation != NULL &&
      striae_store_is_spooled (self->store, striae_consultation_get_id (self->consultation),
                               striae_consultation_get_local_id (self->consultation)))
    {
      toast (self, _("The newest version of this consultation is kept on this computer until "
                     "the clinic server is back; its sheet can be printed once it has been "
                     "sent."));
      return;
    }

  /* Without the mend for Debian's libcups, the dialog freezes the window while it lists the
   * printers (striae-cups-compat.c). */
  striae_cups_compat_ensure ();

  striae_sheet_get_page_size (self->sheet, &width, &height);
  paper = gtk_paper_size_new (width > 600.0 ? GTK_PAPER_NAME_LETTER : GTK_PAPER_NAME_A4);
  setup = gtk_page_setup_new ();
  gtk_page_setup_set_paper_size_and_default_margins (setup, paper);

  operation = gtk_print_operation_new ();
  gtk_print_operation_set_job_name (operation, striae_sheet_get_title (self->sheet));
  gtk_print_operation_set_n_pages (operation, striae_sheet_get_n_pages (self->sheet));
  gtk_print_operation_set_default_page_setup (operation, setup);
  gtk_print_operation_set_use_full_page (operation, TRUE);
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_embed_page_setup (operation, TRUE);
  gtk_print_operation_set_allow_async (operation, TRUE);
  print_settings = striae_sheet_preview_new_print_settings (self);
  gtk_print_operation_set_print_settings (operation, print_settings);
  /* The operation keeps the sheet it prints even if the preview switches to another one. */
  g_signal_connect_data (operation, "draw-page", G_CALLBACK (print_draw_page_cb),
                         g_object_ref (self->sheet), (GClosureNotify) (void (*) (void)) g_object_unref,
                         0);
  run = g_new0 (PrintRun, 1);
  g_weak_ref_init (&run->preview, self);
  run->sheet = g_object_ref (self->sheet);
  g_signal_connect_data (operation, "done", G_CALLBACK (print_done_cb), run, print_run_free, 0);

  if (gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                               GTK_WINDOW (self), &error) == GTK_PRINT_OPERATION_RESULT_ERROR)
    toast (self, error->message);
}

/* Says the PDF was written, with a button that opens it. */
static void
show_saved_toast (StriaeSheetPreview *self,
                  const char         *path)
{
  AdwToast *saved = striae_toast_new (GTK_WIDGET (self->toast_overlay),
                                      _("The sheet was saved as a PDF."));
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *uri = g_file_get_uri (file);

  adw_toast_set_timeout (saved, 8);
  adw_toast_set_button_label (saved, _("_Open"));
  adw_toast_set_action_name (saved, "preview.open-file");
  adw_toast_set_action_target_value (saved, g_variant_new_string (uri));
  adw_toast_overlay_add_toast (self->toast_overlay, saved);
}

static void
export_response_cb (GtkNativeDialog    *dialog,
                    int                 response,
                    StriaeSheetPreview *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (response != GTK_RESPONSE_ACCEPT || self->sheet == NULL)
    goto out;

  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  path = file != NULL ? g_file_get_path (file) : NULL;
  if (path == NULL)
    {
      toast (self, _("Choose a file on this computer to save the PDF in."));
      goto out;
    }

  if (!striae_sheet_preview_export_to_file (self, path, &error))
    {
      toast (self, error->message);
      goto out;
    }

out:
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

/**
 * striae_sheet_preview_dup_file_name:
 *
 * Returns: (transfer full): the name the sheet shown is offered under when it is exported
 */
char *
striae_sheet_preview_dup_file_name (StriaeSheetPreview *self)
{
  g_autofree char *base = NULL;

  g_return_val_if_fail (STRIAE_IS_SHEET_PREVIEW (self), NULL);

  base = dup_file_base_name (self);
  return g_strconcat (base, ".pdf", NULL);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  StriaeSheetPreview *self = STRIAE_SHEET_PREVIEW (widget);
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = NULL;
  g_autofree char *file_name = NULL;

  if (self->sheet == NULL || striae_sheet_get_draft (self->sheet))
    return;

  dialog = gtk_file_chooser_native_new (_("Export Sheet as PDF"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"),
                                        _("_Cancel"));
  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("PDF documents"));
  gtk_file_filter_add_mime_type (filter, "application/pdf");
  gtk_file_filter_add_suffix (filter, "pdf");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  file_name = striae_sheet_preview_dup_file_name (self);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), file_name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect_object (dialog, "response", G_CALLBACK (export_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* Opens an exported sheet in the desktop's PDF viewer (the toast's "Open"). */
static void
open_file_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  gtk_show_uri (GTK_WINDOW (widget), g_variant_get_string (parameter, NULL), GDK_CURRENT_TIME);
}

static void
fill_languages (StriaeSheetPreview *self)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);

  g_strfreev (self->languages);
  self->languages = striae_sheet_dup_languages (self->override_dir);

  gtk_string_list_append (list, _("Patient’s Language"));
  for (guint i = 0; self->languages[i] != NULL; i++)
    {
      g_autofree char *name = striae_sheet_language_dup_name (self->languages[i]);

      gtk_string_list_append (list, name);
    }

  self->updating = TRUE;
  gtk_drop_down_set_model (self->language_dropdown, G_LIST_MODEL (list));
  gtk_drop_down_set_selected (self->language_dropdown, 0);
  self->updating = FALSE;
}

static void
striae_sheet_preview_dispose (GObject *object)
{
  StriaeSheetPreview *self = STRIAE_SHEET_PREVIEW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), STRIAE_TYPE_SHEET_PREVIEW);
  g_clear_object (&self->sheet);
  g_clear_object (&self->patient);
  g_clear_object (&self->consultation);
  g_clear_object (&self->settings);
  g_clear_object (&self->delivery);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (striae_sheet_preview_parent_class)->dispose (object);
}

static void
striae_sheet_preview_finalize (GObject *object)
{
  StriaeSheetPreview *self = STRIAE_SHEET_PREVIEW (object);

  g_clear_pointer (&self->languages, g_strfreev);
  g_clear_pointer (&self->override_dir, g_free);

  G_OBJECT_CLASS (striae_sheet_preview_parent_class)->finalize (object);
}

static void
striae_sheet_preview_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  StriaeSheetPreview *self = STRIAE_SHEET_PREVIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_SHEET:
      g_value_set_object (value, striae_sheet_preview_get_sheet (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_sheet_preview_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  StriaeSheetPreview *self = STRIAE_SHEET_PREVIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      striae_sheet_preview_set_store (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_sheet_preview_map (GtkWidget *widget)
{
  ensure_sheet (STRIAE_SHEET_PREVIEW (widget));

  GTK_WIDGET_CLASS (striae_sheet_preview_parent_class)->map (widget);
}

static void
striae_sheet_preview_class_init (StriaeSheetPreviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = striae_sheet_preview_dispose;
  object_class->finalize = striae_sheet_preview_finalize;
  object_class->get_property = striae_sheet_preview_get_property;
  object_class->set_property = striae_sheet_preview_set_property;
  widget_class->map = striae_sheet_preview_map;

  /**
   * StriaeSheetPreview:store:
   *
   * The patient database whose audit log records each print and export; %NULL records
   * nothing.
   */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, STRIAE_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * StriaeSheetPreview:sheet:
   *
   * The sheet shown, or %NULL when it cannot be made; notified each time it is composed.
   */
  properties[PROP_SHEET] =
    g_param_spec_object ("sheet", NULL, NULL, STRIAE_TYPE_SHEET,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * StriaeSheetPreview::delivered:
   * @action: "print" or "export"
   * @sheet_name: the template name, e.g. "aftercare"
   * @destination: the printer's name or the PDF's path
   *
   * Emitted after a sheet went out, once StriaeSheetDelivery has recorded it in the audit
   * log (when the preview has a store).
   */
  signals[DELIVERED] = g_signal_new ("delivered", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                                     G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/striae/Striae/ui/"
                                               "striae-sheet-preview.ui");
  gtk_widget_class_bind_template_child (widget_class, StriaeSheetPreview, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, StriaeSheetPreview, patient_label);
  gtk_widget_class_bind_template_child (widget_class, StriaeSheetPreview, sheet_dropdown);
  gtk_widget_class_bind_template_child (widget_class, StriaeSheetPreview, language_dropdown);
  gtk_widget_class_bind_template_child (widget_class, StriaeSheetPreview, stack);
  gtk_widget_class_bind_template_child (widget_class, StriaeSheetPreview, scroller);
  gtk_widget_class_bind_template_child (widget_class, StriaeSheetPreview, drawing_area);
  gtk_widget_class_bind_template_child (widget_class, StriaeSheetPreview, error_page);
  gtk_widget_class_bind_template_child (widget_class, StriaeSheetPreview, page_label);
  gtk_widget_class_bind_template_child (widget_class, StriaeSheetPreview, source_label);
  gtk_widget_class_bind_template_child (widget_class, StriaeSheetPreview, warning_revealer);
  gtk_widget_class_bind_template_child (widget_class, StriaeSheetPreview, warning_label);
  gtk_widget_class_bind_template_callback (widget_class, sheet_changed_cb);

  gtk_widget_class_install_action (widget_class, "preview.previous-page", NULL,
                                   previous_page_action);
  gtk_widget_class_install_action (widget_class, "preview.next-page", NULL, next_page_action);
  gtk_widget_class_install_action (widget_class, "preview.zoom-in", NULL, zoom_in_action);
  gtk_widget_class_install_action (widget_class, "preview.zoom-out", NULL, zoom_out_action);
  gtk_widget_class_install_action (widget_class, "preview.zoom-fit", NULL, zoom_fit_action);
  gtk_widget_class_install_action (widget_class, "preview.print", NULL, print_action);
  gtk_widget_class_install_action (widget_class, "preview.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "preview.open-file", "s", open_file_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, 0,
                                       "preview.next-page", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, 0,
                                       "preview.previous-page", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK,
                                       "preview.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK,
                                       "preview.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK,
                                       "preview.zoom-fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK,
                                       "preview.print", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK,
                                       "preview.export", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
striae_sheet_preview_init (StriaeSheetPreview *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  striae_accessible_name_buttons (GTK_WIDGET (self));

  self->zoom = 1.0;
  self->fit = TRUE;
  self->settings = g_settings_new (APP_ID);
  g_signal_connect_object (self->settings, "changed", G_CALLBACK (settings_changed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_drawing_area_set_draw_func (self->drawing_area, draw_cb, self, NULL);
  striae_accessible_name_drop_down (self->sheet_dropdown, _("Sheet"));
  striae_accessible_name_drop_down (self->language_dropdown, _("Language"));
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (gtk_widget_queue_draw), self->drawing_area,
                           G_CONNECT_SWAPPED);
  fill_languages (self);
  update_page_state (self);
}

/**
 * striae_sheet_preview_new:
 * @parent: (nullable): the window it belongs to
 * @patient: the patient
 * @consultation: the consultation whose sheets are shown
 * @sheet_name: (nullable): "pre-treatment" (or "pre"), "aftercare" or "consent"; %NULL for
 *   the first
 *
 * Returns: (transfer full): a new preview window, not yet shown
 */
StriaeSheetPreview *
striae_sheet_preview_new (GtkWindow          *parent,
                          StriaePatient      *patient,
                          StriaeConsultation *consultation,
                          const char         *sheet_name)
{
  StriaeSheetPreview *self;
  g_autofree char *title = NULL;
  GDate today;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (STRIAE_IS_PATIENT (patient), NULL);
  g_return_val_if_fail (STRIAE_IS_CONSULTATION (consultation), NULL);

  self = g_object_new (STRIAE_TYPE_SHEET_PREVIEW, "transient-for", parent, NULL);
  if (parent != NULL)
    gtk_window_set_application (GTK_WINDOW (self), gtk_window_get_application (parent));
  self->patient = g_object_ref (patient);
  self->consultation = g_object_ref (consultation);
  striae_get_today (&today);
  title = striae_patient_dup_title (patient, &today);
  gtk_label_set_label (self->patient_label, title);

  self->updating = TRUE;
  if (sheet_name != NULL)
    striae_sheet_preview_set_sheet_name (self, sheet_name);
  self->updating = FALSE;
  reload (self);

  return self;
}

const char *
striae_sheet_preview_get_sheet_name (StriaeSheetPreview *self)
{
  g_return_val_if_fail (STRIAE_IS_SHEET_PREVIEW (self), NULL);

  return selected_sheet_name (self);
}

void
striae_sheet_preview_set_sheet_name (StriaeSheetPreview *self,
                                     const char         *sheet_name)
{
  const char * const *names = striae_sheet_template_names ();
  const char *name = NULL;

  g_return_if_fail (STRIAE_IS_SHEET_PREVIEW (self));

  if (!striae_sheet_name_from_string (sheet_name, &name, NULL))
    {
      g_critical ("“%s” is not a sheet name", sheet_name);
      return;
    }

  for (guint i = 0; names[i] != NULL; i++)
    if (g_strcmp0 (names[i], name) == 0)
      gtk_drop_down_set_selected (self->sheet_dropdown, i);
}

/**
 * striae_sheet_preview_set_language:
 * @language: (nullable): a language code, or %NULL for the patient's language
 */
void
striae_sheet_preview_set_language (StriaeSheetPreview *self,
                                   const char         *language)
{
  g_return_if_fail (STRIAE_IS_SHEET_PREVIEW (self));

  if (language == NULL)
    {
      gtk_drop_down_set_selected (self->language_dropdown, 0);
      return;
    }

  for (guint i = 0; self->languages[i] != NULL; i++)
    if (g_strcmp0 (self->languages[i], language) == 0)
      {
        gtk_drop_down_set_selected (self->language_dropdown, i + 1);
        return;
      }
}

/**
 * striae_sheet_preview_set_override_dir:
 * @override_dir: (nullable): where the clinic's templates are; %NULL for the default
 */
void
striae_sheet_preview_set_override_dir (StriaeSheetPreview *self,
                                       const char         *override_dir)
{
  g_return_if_fail (STRIAE_IS_SHEET_PREVIEW (self));

  g_free (self->override_dir);
  self->override_dir = g_strdup (override_dir);
  g_clear_object (&self->delivery);
  fill_languages (self);
  reload (self);
}

/**
 * striae_sheet_preview_get_sheet:
 *
 * Returns: (transfer none) (nullable): the sheet shown, or %NULL when it cannot be made
 */
StriaeSheet *
striae_sheet_preview_get_sheet (StriaeSheetPreview *self)
{
  g_return_val_if_fail (STRIAE_IS_SHEET_PREVIEW (self), NULL);

  ensure_sheet (self);
  return self->sheet;
}

guint
striae_sheet_preview_get_page (StriaeSheetPreview *self)
{
  g_return_val_if_fail (STRIAE_IS_SHEET_PREVIEW (self), 0);

  return self->page;
}

/* 0 while the page is fitted to the window. */
double
striae_sheet_preview_get_zoom (StriaeSheetPreview *self)
{
  g_return_val_if_fail (STRIAE_IS_SHEET_PREVIEW (self), 0.0);

  return self->fit ? 0.0 : self->zoom;
}

StriaeStore *
striae_sheet_preview_get_store (StriaeSheetPreview *self)
{
  g_return_val_if_fail (STRIAE_IS_SHEET_PREVIEW (self), NULL);
  return self->store;
}

/* Gives the preview the database whose audit log records each print and export. */
void
striae_sheet_preview_set_store (StriaeSheetPreview *self,
                                StriaeStore        *store)
{
  g_return_if_fail (STRIAE_IS_SHEET_PREVIEW (self));
  g_return_if_fail (store == NULL || STRIAE_IS_STORE (store));

  /* The store holds the clinic's rules: the sheet is composed again with them. */
  if (g_set_object (&self->store, store))
    {
      g_clear_object (&self->delivery);
      reload (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
    }
}

/**
 * striae_sheet_preview_export_to_file:
 * @path: the PDF file to write
 *
 * What the Export action does once a file is chosen: writes the sheet shown through
 * striae_sheet_delivery_export() (the store's output check and audit log), emits
 * #StriaeSheetPreview::delivered and says so in a toast whose "Open" shows the file. A draft
 * is refused.
 *
 * Returns: %FALSE with @error set when there is no sheet, it is a draft, or it cannot be
 *   written or logged
 */
gboolean
striae_sheet_preview_export_to_file (StriaeSheetPreview  *self,
                                     const char          *path,
                                     GError             **error)
{
  g_autoptr(StriaeSheet) sheet = NULL;

  g_return_val_if_fail (STRIAE_IS_SHEET_PREVIEW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  ensure_sheet (self);
  if (self->sheet == NULL)
    {
      g_set_error_literal (error, STRIAE_SHEET_ERROR, STRIAE_SHEET_ERROR_INVALID,
                           _("There is no sheet to export; the preview says why."));
      return FALSE;
    }

  sheet = g_object_ref (self->sheet);
  if (!striae_sheet_delivery_export (get_delivery (self), sheet, self->patient,
                                     self->consultation, path,
                                     error))
    return FALSE;

  g_signal_emit (self, signals[DELIVERED], 0, "export",
                 striae_sheet_template_get_name (striae_sheet_get_template (sheet)), path);
  show_saved_toast (self, path);
  return TRUE;
}
