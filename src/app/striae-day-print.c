/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "striae-day-print.h"
#include "striae-sheet-delivery.h"
#include "striae-sheet-error.h"

struct _StriaeDayPrint
{
  GObject              parent_instance;

  StriaeStore         *store;
  GSettings           *settings;
  GDate                day;
  GArray              *consultation_ids;

  double               fraction;
  char                *text;

  /* While it runs: */
  GTask               *task;
  char                *printer;
  StriaeSheetDelivery *delivery;
  guint                next;
  GPtrArray           *sheets;
  GPtrArray           *patients;
  GPtrArray           *consultations;
  GString             *left_out;
  guint                n_left_out;
  guint                n_sent;
};

G_DEFINE_FINAL_TYPE (StriaeDayPrint, striae_day_print, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FRACTION,
  PROP_TEXT,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
set_progress (StriaeDayPrint *self,
              double          fraction,
              char           *text)
{
  g_free (self->text);
  self->text = text;
  self->fraction = fraction;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_FRACTION]);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_TEXT]);
}

static void
clear_run (StriaeDayPrint *self)
{
  g_clear_pointer (&self->printer, g_free);
  g_clear_object (&self->delivery);
  g_clear_pointer (&self->sheets, g_ptr_array_unref);
  g_clear_pointer (&self->patients, g_ptr_array_unref);
  g_clear_pointer (&self->consultations, g_ptr_array_unref);
  if (self->left_out != NULL)
    g_string_free (g_steal_pointer (&self->left_out), TRUE);
}

static void
striae_day_print_dispose (GObject *object)
{
  StriaeDayPrint *self = (StriaeDayPrint *)object;

  clear_run (self);
  g_clear_object (&self->task);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->consultation_ids, g_array_unref);

  G_OBJECT_CLASS (striae_day_print_parent_class)->dispose (object);
}

static void
striae_day_print_finalize (GObject *object)
{
  StriaeDayPrint *self = (StriaeDayPrint *)object;

  g_free (self->text);

  G_OBJECT_CLASS (striae_day_print_parent_class)->finalize (object);
}

static void
striae_day_print_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  StriaeDayPrint *self = STRIAE_DAY_PRINT (object);

  switch (prop_id)
    {
    case PROP_FRACTION:
      g_value_set_double (value, self->fraction);
      break;
    case PROP_TEXT:
      g_value_set_string (value, self->text);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_day_print_class_init (StriaeDayPrintClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = striae_day_print_dispose;
  object_class->finalize = striae_day_print_finalize;
  object_class->get_property = striae_day_print_get_property;

  /* How far the run is, 0 to 1, for a progress bar. */
  properties [PROP_FRACTION] =
    g_param_spec_double ("fraction", NULL, NULL, 0.0, 1.0, 0.0,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* What it does now, in a sentence. */
  properties [PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
striae_day_print_init (StriaeDayPrint *self)
{
}

/**
 * striae_day_print_new:
 * @settings: the application's settings, for the clinic
 * @day: the day the sheets are dated
 * @consultation_ids: (array length=n_consultations): the consultations with a session that
 *   day, in the list's order
 */
StriaeDayPrint *
striae_day_print_new (StriaeStore  *store,
                      GSettings    *settings,
                      const GDate  *day,
                      const gint64 *consultation_ids,
                      guint         n_consultations)
{
  StriaeDayPrint *self;

  g_return_val_if_fail (STRIAE_IS_STORE (store), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (day != NULL && g_date_valid (day), NULL);
  g_return_val_if_fail (consultation_ids != NULL || n_consultations == 0, NULL);

  self = g_object_new (STRIAE_TYPE_DAY_PRINT, NULL);
  self->store = g_object_ref (store);
  self->settings = g_object_ref (settings);
  self->day = *day;
  self->consultation_ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n_consultations);
  g_array_append_vals (self->consultation_ids, consultation_ids, n_consultations);
  return self;
}

double
striae_day_print_get_fraction (StriaeDayPrint *self)
{
  g_return_val_if_fail (STRIAE_IS_DAY_PRINT (self), 0.0);
  return self->fraction;
}

const char *
striae_day_print_get_text (StriaeDayPrint *self)
{
  g_return_val_if_fail (STRIAE_IS_DAY_PRINT (self), NULL);
  return self->text;
}

static void
finish_with_error (StriaeDayPrint *self,
                   GError         *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  clear_run (self);
  g_task_return_error (task, error);
}

/* A patient whose plan is blocked, or whose sheet is unfinished, is left out and named; the
 * others still go out, as with `--sessions-on`. */
static gboolean
note_left_out (StriaeDayPrint *self,
               gint64          consultation_id,
               GError         *error)
{
  if (!g_error_matches (error, STRIAE_SHEET_ERROR, STRIAE_SHEET_ERROR_INVALID) &&
      !g_error_matches (error, STRIAE_SHEET_ERROR, STRIAE_SHEET_ERROR_UNFINISHED))
    return FALSE;

  self->n_left_out++;
  g_string_append_c (self->left_out, '\n');
  /* TRANSLATORS: the consultation's number, then why its sheet was left out */
  g_string_append_printf (self->left_out, _("Consultation %" PRId64 " left out: %s"),
                          consultation_id, error->message);
  return TRUE;
}

static char *
result_sentence (StriaeDayPrint *self)
{
  GString *said = g_string_new (NULL);

  g_string_append_printf (said, g_dngettext (GETTEXT_PACKAGE, "%u sheet sent to %s.",
                                             "%u sheets sent to %s.", self->n_sent),
                          self->n_sent, self->printer);
  if (self->n_left_out > 0)
    {
      g_string_append_c (said, ' ');
      g_string_append_printf (said, g_dngettext (GETTEXT_PACKAGE, "%u left out:",
                                                 "%u left out:", self->n_left_out),
                              self->n_left_out);
      g_string_append (said, self->left_out->str);
    }
  return g_string_free (said, FALSE);
}

static gboolean
send_cb (gpointer user_data)
{
  StriaeDayPrint *self = user_data;
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  char day[16];

  g_date_strftime (day, sizeof day, "%Y-%m-%d", &self->day);
  /* TRANSLATORS: the print job's title; %s is a date */
  title = g_strdup_printf (_("Sheets for the sessions on %s"), day);
  if (!striae_sheet_delivery_print (self->delivery, (StriaeSheet * const *) self->sheets->pdata,
                                    (StriaePatient * const *) self->patients->pdata,
                                    (StriaeConsultation * const *) self->consultations->pdata,
                                    self->sheets->len, self->printer, title, &error))
    {
      finish_with_error (self, g_steal_pointer (&error));
      return G_SOURCE_REMOVE;
    }

  self->n_sent = self->sheets->len;
  task = g_steal_pointer (&self->task);
  set_progress (self, 1.0, result_sentence (self));
  clear_run (self);
  g_task_return_pointer (task, g_strdup (self->text), g_free);
  return G_SOURCE_REMOVE;
}

static void
start_sending (StriaeDayPrint *self)
{
  if (self->sheets->len == 0)
    {
      g_autofree char *notes = g_strdup (self->left_out->str);

      finish_with_error (self, g_error_new (STRIAE_SHEET_ERROR, STRIAE_SHEET_ERROR_UNFINISHED,
                                            _("No sheet could be printed.%s"), notes));
      return;
    }

  set_progress (self, (double) self->next / (self->consultation_ids->len + 1),
                g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Sending %u sheet to %s…",
                                              "Sending %u sheets to %s…", self->sheets->len),
                                 self->sheets->len, self->printer));
  /* After the progress bar has been drawn: the sending waits on the print system. */
  g_timeout_add_full (G_PRIORITY_LOW, 50, send_cb, g_object_ref (self), g_object_unref);
}

/* Composes the next sheet; one a turn of the main loop, so that the window keeps drawing. */
static gboolean
compose_next_cb (gpointer user_data)
{
  StriaeDayPrint *self = user_data;
  g_autoptr(StriaeSheet) sheet = NULL;
  g_autoptr(StriaePatient) patient = NULL;
  g_autoptr(StriaeConsultation) consultation = NULL;
  g_autoptr(GError) error = NULL;
  guint n = self->consultation_ids->len;
  gint64 id;

  if (g_task_return_error_if_cancelled (self->task))
    {
      g_clear_object (&self->task);
      clear_run (self);
      return G_SOURCE_REMOVE;
    }
  if (self->next >= n)
    {
      start_sending (self);
      return G_SOURCE_REMOVE;
    }

  id = g_array_index (self->consultation_ids, gint64, self->next++);
  set_progress (self, (double) self->next / (n + 1),
                /* TRANSLATORS: progress of the day's stack of sheets */
                g_strdup_printf (_("Preparing sheet %u of %u…"), self->next, n));
  sheet = striae_sheet_delivery_compose_stored (self->delivery, id, "aftercare", NULL,
                                                &self->day, &patient, &consultation, NULL,
                                                &error);
  if (sheet == NULL)
    {
      if (note_left_out (self, id, error))
        return G_SOURCE_CONTINUE;
      finish_with_error (self, g_steal_pointer (&error));
      return G_SOURCE_REMOVE;
    }

  g_ptr_array_add (self->sheets, g_steal_pointer (&sheet));
  g_ptr_array_add (self->patients, g_steal_pointer (&patient));
  g_ptr_array_add (self->consultations, g_steal_pointer (&consultation));
  return G_SOURCE_CONTINUE;
}

/**
 * striae_day_print_run_async:
 * @printer: the printer's name
 *
 * Composes and sends the stack. One run at a time.
 */
void
striae_day_print_run_async (StriaeDayPrint      *self,
                            const char          *printer,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (STRIAE_IS_DAY_PRINT (self));
  g_return_if_fail (printer != NULL);
  g_return_if_fail (self->task == NULL);

  self->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, striae_day_print_run_async);
  self->printer = g_strdup (printer);
  self->delivery = striae_sheet_delivery_new (self->store, self->settings);
  self->next = 0;
  self->n_sent = 0;
  self->n_left_out = 0;
  self->sheets = g_ptr_array_new_with_free_func (g_object_unref);
  self->patients = g_ptr_array_new_with_free_func (g_object_unref);
  self->consultations = g_ptr_array_new_with_free_func (g_object_unref);
  self->left_out = g_string_new (NULL);
  set_progress (self, 0.0, g_strdup (_("Preparing the sheets…")));
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, compose_next_cb, g_object_ref (self),
                   g_object_unref);
}

/**
 * striae_day_print_run_finish:
 * @n_sent: (out) (optional): how many sheets went to the printer
 *
 * Returns: (transfer full): the result in a sentence ("14 sheets sent to Frontdesk."), with
 *   the sheets left out and why, or %NULL with @error set
 */
char *
striae_day_print_run_finish (StriaeDayPrint  *self,
                             GAsyncResult    *result,
                             guint           *n_sent,
                             GError         **error)
{
  g_return_val_if_fail (STRIAE_IS_DAY_PRINT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (n_sent != NULL)
    *n_sent = self->n_sent;
  return g_task_propagate_pointer (G_TASK (result), error);
}
