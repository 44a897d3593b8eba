/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "striae-toast.h"

/* A toast's own title is one line that libadwaita 1.2 ends with "…": a sentence saying what
 * went wrong and what to do lost its end (the keyring that could not keep the password, the
 * server that could not be reached). The title here wraps instead. The overlay gives a toast
 * the height it asks for at its natural width, so that width must fit the window: the lines
 * are as long as the window allows, up to a comfortable reading length. */
#define TOAST_MIN_WIDTH_CHARS 20
#define TOAST_MAX_WIDTH_CHARS 60
/* The toast's margins, padding and close button, in pixels. */
#define TOAST_CHROME_WIDTH 120
/* Seconds a toast stays; a long sentence stays longer, to be read to the end. */
#define TOAST_SHORT_TIMEOUT 5
#define TOAST_LONG_TIMEOUT 10
#define TOAST_LONG_CHARS 60

static int
width_chars_for (GtkWidget *overlay)
{
  PangoFontMetrics *metrics;
  int char_width;
  int width = gtk_widget_get_width (overlay);
  int height;
  GtkRoot *root = gtk_widget_get_root (overlay);

  /* A window just made has no width yet, but the size it will have. */
  if (width <= 0 && GTK_IS_WINDOW (root))
    gtk_window_get_default_size (GTK_WINDOW (root), &width, &height);
  if (width <= TOAST_CHROME_WIDTH)
    return TOAST_MIN_WIDTH_CHARS;

  metrics = pango_context_get_metrics (gtk_widget_get_pango_context (overlay), NULL, NULL);
  char_width = pango_font_metrics_get_approximate_char_width (metrics) / PANGO_SCALE;
  pango_font_metrics_unref (metrics);
  if (char_width <= 0)
    return TOAST_MIN_WIDTH_CHARS;

  /* The title is bold, about a fifth wider than the overlay's text. */
  return CLAMP ((width - TOAST_CHROME_WIDTH) * 4 / (5 * char_width),
                TOAST_MIN_WIDTH_CHARS, TOAST_MAX_WIDTH_CHARS);
}

/**
 * striae_toast_new:
 * @overlay: the widget that will show the toast (its width sets the lines' length)
 * @text: the sentence to show, plain text (not markup)
 *
 * Returns: (transfer full): a toast whose whole text is shown, on several lines if need be
 */
AdwToast *
striae_toast_new (GtkWidget  *overlay,
                  const char *text)
{
  AdwToast *toast;
  GtkWidget *label;

  g_return_val_if_fail (GTK_IS_WIDGET (overlay), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  toast = adw_toast_new ("");
  label = gtk_label_new (text);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_max_width_chars (GTK_LABEL (label), width_chars_for (overlay));
  gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
  gtk_widget_add_css_class (label, "heading");
  adw_toast_set_custom_title (toast, label);
  adw_toast_set_timeout (toast, g_utf8_strlen (text, -1) > TOAST_LONG_CHARS
                                ? TOAST_LONG_TIMEOUT : TOAST_SHORT_TIMEOUT);
  return toast;
}
