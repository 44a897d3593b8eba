/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "striae-accessible.h"
#include "striae-app-private.h"
#include "striae-date.h"
#include "striae-photo-labels.h"
#include "striae-photo-tile.h"
#include "striae-photos-page.h"
#include "striae-toast.h"

/* A patient's photos (issue 18): one area at a time, its photos oldest first in a lazy grid
 * (tiles are made for what is near the screen, filled in after the first frame, and each
 * thumbnail read in a worker thread once its tile is bound to a photo, so that 500 photos
 * show at once and scroll without a stall), the comparison of two of them, and the
 * adding of photos from files, chosen or dropped onto the grid. Photos are added only with
 * the patient's photo consent and by a practitioner; the page says which is missing. */

/* An area photos are kept for: a site and a side. */
typedef struct
{
  StriaeBodySite site;
  StriaeSide     side;
} AreaKey;

/* A consultation or a session, and the moment in it, that a photo can be added to. */
typedef struct
{
  gint64            consultation_id;
  gint64            session_id;
  StriaePhotoMoment moment;
  GDate             date;
  guint             number;
  char             *label;
} TakenAt;

struct _StriaePhotosPage
{
  AdwBin              parent_instance;

  GtkLabel           *patient_label;
  GtkDropDown        *area_drop_down;
  GtkWidget          *add_button;
  GtkWidget          *compare_button;
  GtkWidget          *delete_button;
  GtkLabel           *reason_label;
  GtkProgressBar     *progress_bar;
  GtkWidget          *problems_group;
  GtkListBox         *problems_list;
  GtkStack           *stack;
  GtkGridView        *grid_view;
  AdwStatusPage      *empty_status;
  StriaePhotoCompare *compare;

  StriaeStore        *store;
  StriaePatient      *patient;
  GPtrArray          *photos;         /* (element-type StriaePhoto) all, oldest first */
  GArray             *areas;          /* (element-type AreaKey) */
  GListStore         *area_photos;    /* the shown area's photos, as far as filled in */
  GPtrArray          *area_all;       /* (element-type StriaePhoto) all the area's photos */
  guint               fill_id;        /* filling the rest in, after the first frame */
  GArray             *taken_at;       /* (element-type TakenAt) */
  gboolean            may_add;
  gboolean            may_delete;
  gint64              delete_id;      /* the photo the open Delete Photo? dialog is about */

  /* Files being added, one after the other, each read and added in worker threads so that
   * the window stays drawn and answers; %NULL adding when none is. */
  GQueue              queue;
  AreaKey             add_area;
  TakenAt             add_target;
  GCancellable       *adding;
  guint               n_files;
  guint               n_added;
  guint               n_refused;

  /* Tiles bound and waiting for their thumbnail (GtkListItem): their reads start when the
   * window has drawn, so that the first frame does not wait for them. */
  GQueue              thumbnails;
  guint               thumbnails_id;

  /* The records changed while the comparison was shown: read again when it is left. */
  gboolean            stale;

  /* The open Add Photos dialog's choices, and the files dropped that it is about. */
  GtkDropDown        *dialog_area;
  GtkDropDown        *dialog_when;
  GSList             *dropped;
};

G_DEFINE_FINAL_TYPE (StriaePhotosPage, striae_photos_page, ADW_TYPE_BIN)

enum {
  CLOSED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static void open_add_dialog    (StriaePhotosPage *self,
                                GSList           *files);
static void records_changed_cb (StriaePhotosPage *self,
                                gint64            patient_id);

static void
taken_at_clear (TakenAt *taken_at)
{
  g_clear_pointer (&taken_at->label, g_free);
}

static void
show_toast (StriaePhotosPage *self,
            const char       *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), striae_toast_new (overlay, text));
}

static gboolean
area_equal (const AreaKey *a,
            StriaeBodySite site,
            StriaeSide     side)
{
  return a->site == site && a->side == side;
}

static void
add_area (StriaePhotosPage *self,
          StriaeBodySite    site,
          StriaeSide        side)
{
  AreaKey key = { site, side };

  for (guint i = 0; i < self->areas->len; i++)
    if (area_equal (&g_array_index (self->areas, AreaKey, i), site, side))
      return;
  g_array_append_val (self->areas, key);
}

static const AreaKey *
shown_area (StriaePhotosPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->area_drop_down);

  if (selected >= self->areas->len)
    return NULL;
  return &g_array_index (self->areas, AreaKey, selected);
}

/* The areas of the patient's consultations, and any other that has photos. */
static void
collect_areas (StriaePhotosPage *self,
               GPtrArray        *consultations)
{
  g_array_set_size (self->areas, 0);
  for (guint i = 0; consultations != NULL && i < consultations->len; i++)
    {
      GListModel *areas = striae_consultation_get_areas (consultations->pdata[i]);

      for (guint j = 0; j < g_list_model_get_n_items (areas); j++)
        {
          g_autoptr(StriaeArea) area = g_list_model_get_item (areas, j);

          add_area (self, striae_area_get_site (area), striae_area_get_side (area));
        }
    }
  for (guint i = 0; i < self->photos->len; i++)
    add_area (self, striae_photo_get_site (self->photos->pdata[i]),
              striae_photo_get_side (self->photos->pdata[i]));
}

static guint
count_photos (StriaePhotosPage *self,
              const AreaKey    *key)
{
  guint n = 0;

  for (guint i = 0; i < self->photos->len; i++)
    if (area_equal (key, striae_photo_get_site (self->photos->pdata[i]),
                    striae_photo_get_side (self->photos->pdata[i])))
      n++;
  return n;
}

static void
fill_area_drop_down (StriaePhotosPage *self,
                     const AreaKey    *keep)
{
  g_autoptr(GtkStringList) titles = gtk_string_list_new (NULL);
  guint selected = 0;

  for (guint i = 0; i < self->areas->len; i++)
    {
      const AreaKey *key = &g_array_index (self->areas, AreaKey, i);
      g_autofree char *title = striae_photo_dup_area_title (key->site, key->side);
      guint n = count_photos (self, key);
      /* TRANSLATORS: an area and how many photos it has, e.g. "Thighs, left (3)" */
      g_autofree char *item = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s (%u photo)",
                                                            "%s (%u photos)", n), title, n);

      gtk_string_list_append (titles, item);
      if (keep != NULL && area_equal (keep, key->site, key->side))
        selected = i;
    }
  gtk_drop_down_set_model (self->area_drop_down, G_LIST_MODEL (titles));
  gtk_drop_down_set_selected (self->area_drop_down,
                              self->areas->len > 0 ? selected : GTK_INVALID_LIST_POSITION);
}

static void
update_state (StriaePhotosPage *self)
{
  guint n = self->area_all->len;
  gboolean has_area = shown_area (self) != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "photos.add", self->may_add && has_area);
  gtk_widget_set_visible (self->add_button, self->may_add);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "photos.compare", n >= 2);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "photos.delete", self->may_delete && n > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "photos.delete-selected",
                                 self->may_delete && n > 0);
  gtk_widget_set_visible (self->delete_button, self->may_delete);
  gtk_widget_set_sensitive (GTK_WIDGET (self->area_drop_down), self->areas->len > 0);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "compare") == 0)
    return;
  if (n > 0)
    {
      gtk_stack_set_visible_child_name (self->stack, "grid");
      return;
    }
  if (!has_area)
    adw_status_page_set_description (self->empty_status,
                                     _("Photos are kept by area: the areas come from the "
                                       "patient’s consultations."));
  else if (self->may_add)
    adw_status_page_set_description (self->empty_status,
                                     _("Add photos of this area with Add Photos, or drop "
                                       "image files here."));
  else
    adw_status_page_set_description (self->empty_status, NULL);
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

/* GTK 4.8's grid makes and measures a tile for each of its first 30 rows or so of photos
 * at once (some 250 tiles for 500 photos), before anything is drawn. The grid is given the
 * photos that fill a large screen first, and the rest a batch each turn of the main loop
 * after the first frame, so that the page shows at once and scrolls on (issue 18). */
#define FIRST_PHOTOS 64
#define MORE_PHOTOS  64

static void
fill_in (StriaePhotosPage *self,
         guint             max)
{
  guint have = g_list_model_get_n_items (G_LIST_MODEL (self->area_photos));
  guint n = MIN (max, self->area_all->len - have);

  g_list_store_splice (self->area_photos, have, 0, self->area_all->pdata + have, n);
}

static gboolean
fill_more_cb (gpointer data)
{
  StriaePhotosPage *self = data;

  fill_in (self, MORE_PHOTOS);
  if (g_list_model_get_n_items (G_LIST_MODEL (self->area_photos)) < self->area_all->len)
    return G_SOURCE_CONTINUE;
  self->fill_id = 0;
  return G_SOURCE_REMOVE;
}

/* Every photo of the area in the grid's model now: for what needs the last or a position. */
static void
fill_all (StriaePhotosPage *self)
{
  g_clear_handle_id (&self->fill_id, g_source_remove);
  fill_in (self, G_MAXUINT);
}

static void
show_area_photos (StriaePhotosPage *self)
{
  const AreaKey *key = shown_area (self);

  g_clear_handle_id (&self->fill_id, g_source_remove);
  g_ptr_array_set_size (self->area_all, 0);
  for (guint i = 0; key != NULL && i < self->photos->len; i++)
    if (area_equal (key, striae_photo_get_site (self->photos->pdata[i]),
                    striae_photo_get_side (self->photos->pdata[i])))
      g_ptr_array_add (self->area_all, g_object_ref (self->photos->pdata[i]));
  g_list_store_splice (self->area_photos, 0,
                       g_list_model_get_n_items (G_LIST_MODEL (self->area_photos)),
                       self->area_all->pdata, MIN (self->area_all->len, FIRST_PHOTOS));
  if (self->area_all->len > FIRST_PHOTOS)
    self->fill_id = g_idle_add (fill_more_cb, self);
  update_state (self);
}

static void
area_selected_cb (StriaePhotosPage *self)
{
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "compare") == 0)
    gtk_stack_set_visible_child_name (self->stack, "grid");
  show_area_photos (self);
}

static int
compare_taken_at (gconstpointer a,
                  gconstpointer b)
{
  const TakenAt *x = a;
  const TakenAt *y = b;
  int by_date = g_date_valid (&x->date) && g_date_valid (&y->date)
                ? g_date_compare (&x->date, &y->date) : 0;

  if (by_date != 0)
    return by_date;
  if (x->number != y->number)
    return x->number < y->number ? -1 : 1;
  return (int) x->moment - (int) y->moment;
}

static void
add_taken_at (StriaePhotosPage  *self,
              gint64             consultation_id,
              gint64             session_id,
              guint              number,
              const GDate       *date,
              StriaePhotoMoment  moment)
{
  TakenAt taken_at = { consultation_id, session_id, moment, { 0 }, number, NULL };
  g_autofree char *day = NULL;

  g_date_clear (&taken_at.date, 1);
  if (date != NULL && g_date_valid (date))
    taken_at.date = *date;
  day = date != NULL && g_date_valid (date) ? striae_format_local_date (date)
                                            : g_strdup (_("no date"));
  switch (moment)
    {
    case STRIAE_PHOTO_MOMENT_BEFORE:
      /* TRANSLATORS: when photos were taken; %u is the session's number, %s its date */
      taken_at.label = g_strdup_printf (_("Session %u of %s — before"), number, day);
      break;
    case STRIAE_PHOTO_MOMENT_AFTER:
      /* TRANSLATORS: when photos were taken; %u is the session's number, %s its date */
      taken_at.label = g_strdup_printf (_("Session %u of %s — after"), number, day);
      break;
    case STRIAE_PHOTO_MOMENT_CONSULTATION:
    default:
      /* TRANSLATORS: when photos were taken; %s is the consultation's date */
      taken_at.label = g_strdup_printf (_("Consultation of %s"), day);
      break;
    }
  g_array_append_val (self->taken_at, taken_at);
}

/* Where photos can be added: each consultation, and each session before and after. */
static void
collect_taken_at (StriaePhotosPage *self,
                  GPtrArray        *consultations)
{
  g_autoptr(GPtrArray) sessions = NULL;
  g_autoptr(GError) error = NULL;
  gint64 patient_id = striae_patient_get_id (self->patient);

  g_array_set_size (self->taken_at, 0);
  for (guint i = 0; consultations != NULL && i < consultations->len; i++)
    add_taken_at (self, striae_consultation_get_id (consultations->pdata[i]), 0, 0,
                  striae_consultation_get_date (consultations->pdata[i]),
                  STRIAE_PHOTO_MOMENT_CONSULTATION);

  sessions = striae_store_list_patient_treatment_sessions (self->store, patient_id, &error);
  if (sessions == NULL)
    g_message ("Could not list the patient’s sessions for photos: %s", error->message);
  for (guint i = 0; sessions != NULL && i < sessions->len; i++)
    {
      StriaeTreatmentSession *session = sessions->pdata[i];

      for (StriaePhotoMoment m = STRIAE_PHOTO_MOMENT_BEFORE; m <= STRIAE_PHOTO_MOMENT_AFTER; m++)
        add_taken_at (self, striae_treatment_session_get_consultation_id (session),
                      striae_treatment_session_get_id (session),
                      striae_treatment_session_get_number (session),
                      striae_treatment_session_get_date (session), m);
    }
  g_array_sort (self->taken_at, compare_taken_at);
}

/* Photos are added by a practitioner, with the patient's photo consent [consent]. */
static void
read_consent (StriaePhotosPage *self)
{
  g_autoptr(GError) error = NULL;
  StriaePhotoConsentScope scope;

  /* Deleting needs what the records ask of it (striae_store_delete_photo()), consent or not:
   * a photo of the wrong patient must be removable after consent was withdrawn. */
  self->may_delete = striae_app_offers (self->store, STRIAE_RIGHT_CONSULTATIONS);
  self->may_add = FALSE;
  scope = striae_store_get_photo_consent (self->store, striae_patient_get_id (self->patient),
                                          NULL, &error);
  if (error != NULL)
    {
      /* TRANSLATORS: %s says why the records could not tell */
      g_autofree char *text = g_strdup_printf (_("Photos cannot be added now: the photo "
                                                 "consent could not be read (%s)."),
                                               error->message);

      gtk_label_set_label (self->reason_label, text);
    }
  else if (scope == STRIAE_PHOTO_CONSENT_NONE)
    gtk_label_set_label (self->reason_label,
                         _("Photos cannot be added: the patient has not given photo consent. "
                           "Record it on the patient’s page first."));
  else if (!striae_app_offers (self->store, STRIAE_RIGHT_CONSULTATIONS))
    gtk_label_set_label (self->reason_label, _("Only a practitioner can add photos."));
  else
    self->may_add = TRUE;
  gtk_widget_set_visible (GTK_WIDGET (self->reason_label), !self->may_add);
}

/**
 * striae_photos_page_reload:
 *
 * Reads the patient's photos, areas, consent and sessions again; the shown area stays.
 */
void
striae_photos_page_reload (StriaePhotosPage *self)
{
  g_autoptr(GPtrArray) consultations = NULL;
  g_autoptr(GPtrArray) photos = NULL;
  g_autoptr(GError) error = NULL;
  const AreaKey *shown;
  AreaKey keep = { 0, 0 };
  gboolean has_keep;

  g_return_if_fail (STRIAE_IS_PHOTOS_PAGE (self));

  if (self->store == NULL || self->patient == NULL)
    return;

  self->stale = FALSE;
  shown = shown_area (self);
  has_keep = shown != NULL;
  if (has_keep)
    keep = *shown;

  photos = striae_store_list_patient_photos (self->store, striae_patient_get_id (self->patient),
                                             &error);
  if (photos == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The photos cannot be shown: %s"),
                                               error->message);

      show_toast (self, text);
      photos = g_ptr_array_new_with_free_func (g_object_unref);
      g_clear_error (&error);
    }
  g_clear_pointer (&self->photos, g_ptr_array_unref);
  self->photos = g_steal_pointer (&photos);

  consultations = striae_store_list_consultations (self->store,
                                                   striae_patient_get_id (self->patient),
                                                   &error);
  if (consultations == NULL)
    g_message ("Could not list the consultations for photos: %s", error->message);
  collect_areas (self, consultations);
  collect_taken_at (self, consultations);
  read_consent (self);

  g_signal_handlers_block_by_func (self->area_drop_down, area_selected_cb, self);
  fill_area_drop_down (self, has_keep ? &keep : NULL);
  g_signal_handlers_unblock_by_func (self->area_drop_down, area_selected_cb, self);
  show_area_photos (self);
}

/* Grid tiles */

static void
tile_setup_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item)
{
  gtk_list_item_set_child (item, striae_photo_tile_new ());
}

/* The thumbnails of the tiles bound are asked for when the window has drawn its frame: the
 * tiles' texts show first, and the thumbnails follow as worker threads read them. */
static gboolean
read_thumbnails_cb (gpointer data)
{
  StriaePhotosPage *self = data;
  GtkListItem *item;

  while ((item = g_queue_pop_head (&self->thumbnails)) != NULL)
    striae_photo_tile_read_thumbnail (STRIAE_PHOTO_TILE (gtk_list_item_get_child (item)),
                                      self->store);
  self->thumbnails_id = 0;
  return G_SOURCE_REMOVE;
}

static void
tile_bind_cb (StriaePhotosPage *self,
              GtkListItem      *item)
{
  striae_photo_tile_set_photo (STRIAE_PHOTO_TILE (gtk_list_item_get_child (item)),
                               gtk_list_item_get_item (item));
  g_queue_push_tail (&self->thumbnails, item);
  if (self->thumbnails_id == 0)
    self->thumbnails_id = g_idle_add (read_thumbnails_cb, self);
}

/* A tile scrolled out of the view: its thumbnail's read, if under way, is cancelled. */
static void
tile_unbind_cb (StriaePhotosPage *self,
                GtkListItem      *item)
{
  g_queue_remove (&self->thumbnails, item);
  striae_photo_tile_set_photo (STRIAE_PHOTO_TILE (gtk_list_item_get_child (item)), NULL);
}

static void
show_compare (StriaePhotosPage *self,
              guint             left,
              guint             right)
{
  fill_all (self);
  striae_photo_compare_show (self->compare, G_LIST_MODEL (self->area_photos), left, right);
  gtk_stack_set_visible_child_name (self->stack, "compare");
  gtk_widget_child_focus (GTK_WIDGET (self->compare), GTK_DIR_TAB_FORWARD);
}

/* A photo opened from the grid is compared with the area's first (the first with the latest). */
static void
grid_activate_cb (StriaePhotosPage *self,
                  guint             position)
{
  guint n = self->area_all->len;

  if (n == 0)
    return;
  show_compare (self, 0, position == 0 ? n - 1 : position);
}

static void
compare_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  StriaePhotosPage *self = STRIAE_PHOTOS_PAGE (widget);
  guint n = self->area_all->len;

  if (n >= 2)
    show_compare (self, 0, n - 1);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  StriaePhotosPage *self = STRIAE_PHOTOS_PAGE (widget);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "compare") == 0)
    {
      gtk_stack_set_visible_child_name (self->stack, "grid");
      if (self->stale)
        striae_photos_page_reload (self);
      update_state (self);
      gtk_widget_grab_focus (GTK_WIDGET (self->grid_view));
      return;
    }
  g_signal_emit (self, signals [CLOSED], 0);
}

/* Deleting a photo */

static StriaePhoto *
find_photo (StriaePhotosPage *self,
            gint64            photo_id)
{
  for (guint i = 0; i < self->photos->len; i++)
    if (striae_photo_get_id (self->photos->pdata[i]) == photo_id)
      return self->photos->pdata[i];
  return NULL;
}

static void
reason_changed_cb (GtkEditable      *reason,
                   AdwMessageDialog *dialog)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (reason)));

  adw_message_dialog_set_response_enabled (dialog, "delete", text[0] != '\0');
}

static void
delete_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    StriaePhotosPage *self)
{
  GtkEditable *reason = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  gint64 photo_id = self->delete_id;
  g_autoptr(GError) error = NULL;

  self->delete_id = 0;
  if (g_strcmp0 (response, "delete") != 0 || self->store == NULL || photo_id == 0)
    return;
  if (!striae_store_delete_photo (self->store, photo_id, gtk_editable_get_text (reason),
                                  &error))
    {
      show_toast (self, error->message);
      return;
    }
  show_toast (self, _("Photo deleted"));
  /* A deleted photo cannot stay compared: back to the grid, read again. */
  gtk_stack_set_visible_child_name (self->stack, "grid");
  striae_photos_page_reload (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->grid_view));
}

/* Asks before deleting: it cannot be undone, and the records audit it with its reason. */
static void
confirm_delete (StriaePhotosPage *self,
                gint64            photo_id)
{
  StriaePhoto *photo = find_photo (self, photo_id);
  g_autofree char *caption = NULL;
  GtkWidget *dialog;
  GtkWidget *reason;

  if (photo == NULL || !self->may_delete || self->delete_id != 0)
    return;
  caption = striae_photo_dup_caption (photo);
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                   _("Delete Photo?"), NULL);
  /* TRANSLATORS: %s is the photo's caption, e.g. "9 March 2026 · Session 1 — before ·
   * Depth 1.00 mm" */
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("The photo of %s and its image will be deleted from the "
                                    "records. This cannot be undone; the deletion and its "
                                    "reason are recorded in the audit log."), caption);
  reason = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (reason),
                                  _("Why, for example: taken of the wrong patient"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (reason), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Reason for deleting"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), reason);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "delete", FALSE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  self->delete_id = photo_id;
  g_signal_connect_object (reason, "changed", G_CALLBACK (reason_changed_cb), dialog, 0);
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (reason);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  confirm_delete (STRIAE_PHOTOS_PAGE (widget), g_variant_get_int64 (parameter));
}

/* Delete: the photo selected in the grid, or in the comparison the one of the side with the
 * focus (the right, the latest, otherwise). */
static void
delete_selected_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  StriaePhotosPage *self = STRIAE_PHOTOS_PAGE (widget);
  StriaePhoto *photo;

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "compare") == 0)
    photo = striae_photo_compare_get_focused_photo (self->compare);
  else
    photo = gtk_single_selection_get_selected_item (
      GTK_SINGLE_SELECTION (gtk_grid_view_get_model (self->grid_view)));
  if (photo != NULL)
    confirm_delete (self, striae_photo_get_id (photo));
}

/* Adding photos */

static void
add_problem (StriaePhotosPage *self,
             GFile            *file,
             const char       *message)
{
  g_autofree char *name = g_file_get_basename (file);
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), message);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_list_box_append (self->problems_list, row);
  gtk_widget_set_visible (self->problems_group, TRUE);
}

/* One file's way through the workers: read, then added by the records. The step holds the
 * page, and every callback looks at the cancellable first (the page's end cancels it). */
typedef struct
{
  StriaePhotosPage *self;
  GCancellable     *cancellable;
  GFile            *file;
} AddStep;

static void
add_step_free (AddStep *step)
{
  g_object_unref (step->self);
  g_object_unref (step->cancellable);
  g_object_unref (step->file);
  g_free (step);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AddStep, add_step_free)

static void add_next (StriaePhotosPage *self);

static void
adding_done (StriaePhotosPage *self)
{
  g_autofree char *text = NULL;

  g_clear_object (&self->adding);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), FALSE);
  if (self->n_added > 0)
    {
      /* TRANSLATORS: %u is how many photos were just added */
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u photo added",
                                           "%u photos added", self->n_added), self->n_added);
      show_toast (self, text);
    }
  striae_photos_page_reload (self);
  if (self->n_refused > 0)
    gtk_widget_grab_focus (GTK_WIDGET (self->problems_list));
}

static void
photo_added_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(AddStep) step = user_data;
  g_autoptr(StriaePhoto) photo = NULL;
  g_autoptr(GError) error = NULL;

  photo = striae_store_add_photo_finish (STRIAE_STORE (source), result, &error);
  if (g_cancellable_is_cancelled (step->cancellable))
    return;
  if (photo != NULL)
    step->self->n_added++;
  else
    {
      step->self->n_refused++;
      add_problem (step->self, step->file, error->message);
    }
  add_next (step->self);
}

static void
file_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  AddStep *step = user_data;
  StriaePhotosPage *self = step->self;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  bytes = g_file_load_bytes_finish (G_FILE (source), result, NULL, &error);
  if (g_cancellable_is_cancelled (step->cancellable))
    {
      add_step_free (step);
      return;
    }
  if (bytes == NULL)
    {
      self->n_refused++;
      add_problem (self, step->file, error->message);
      add_step_free (step);
      add_next (self);
      return;
    }
  striae_store_add_photo_async (self->store, self->add_target.consultation_id,
                                self->add_target.session_id, self->add_area.site,
                                self->add_area.side, self->add_target.moment, bytes,
                                step->cancellable, photo_added_cb, step);
}

/* The next file, "Adding 3 of 5…", or the end of the addition. */
static void
add_next (StriaePhotosPage *self)
{
  g_autoptr(GFile) file = g_queue_pop_head (&self->queue);
  g_autofree char *text = NULL;
  guint done = self->n_added + self->n_refused;
  AddStep *step;

  if (file == NULL)
    {
      adding_done (self);
      return;
    }
  /* TRANSLATORS: progress while photos are added, e.g. "Adding 3 of 5…" */
  text = g_strdup_printf (_("Adding %u of %u…"), done + 1, self->n_files);
  gtk_progress_bar_set_text (self->progress_bar, text);
  gtk_progress_bar_set_fraction (self->progress_bar, (double) done / self->n_files);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), TRUE);

  step = g_new0 (AddStep, 1);
  step->self = g_object_ref (self);
  step->cancellable = g_object_ref (self->adding);
  step->file = g_steal_pointer (&file);
  g_file_load_bytes_async (step->file, step->cancellable, file_read_cb, step);
}

static void
clear_problems (StriaePhotosPage *self)
{
  GtkWidget *row;

  while ((row = gtk_widget_get_first_child (GTK_WIDGET (self->problems_list))) != NULL)
    gtk_list_box_remove (self->problems_list, row);
  gtk_widget_set_visible (self->problems_group, FALSE);
}

/**
 * striae_photos_page_add_files:
 * @files: (element-type GFile): the image files to add
 *
 * Adds each file as a photo of the area at @site and @side, taken at @moment of the
 * consultation (@session_id 0) or session; a file that is refused is listed with the
 * sentence that says why, and the others are still added.
 */
void
striae_photos_page_add_files (StriaePhotosPage  *self,
                              GSList            *files,
                              StriaeBodySite     site,
                              StriaeSide         side,
                              gint64             consultation_id,
                              gint64             session_id,
                              StriaePhotoMoment  moment)
{
  g_return_if_fail (STRIAE_IS_PHOTOS_PAGE (self));
  g_return_if_fail (!striae_photos_page_is_adding (self));

  if (files == NULL)
    return;
  clear_problems (self);
  self->add_area = (AreaKey) { site, side };
  self->add_target.consultation_id = consultation_id;
  self->add_target.session_id = session_id;
  self->add_target.moment = moment;
  self->n_added = 0;
  self->n_refused = 0;
  self->n_files = g_slist_length (files);
  for (GSList *l = files; l != NULL; l = l->next)
    g_queue_push_tail (&self->queue, g_object_ref (l->data));
  self->adding = g_cancellable_new ();
  add_next (self);
}

/**
 * striae_photos_page_ask_files:
 * @files: (element-type GFile): image files, dropped onto the page
 *
 * Asks for the area and when the photos in @files were taken, then adds them.
 */
void
striae_photos_page_ask_files (StriaePhotosPage *self,
                              GSList           *files)
{
  g_return_if_fail (STRIAE_IS_PHOTOS_PAGE (self));

  open_add_dialog (self, g_slist_copy_deep (files, (GCopyFunc) (void (*) (void)) g_object_ref,
                                            NULL));
}

gboolean
striae_photos_page_is_adding (StriaePhotosPage *self)
{
  g_return_val_if_fail (STRIAE_IS_PHOTOS_PAGE (self), FALSE);
  return self->adding != NULL;
}

static void
add_chosen (StriaePhotosPage *self,
            GSList           *files,
            guint             area,
            guint             taken_at)
{
  const AreaKey *key;
  const TakenAt *target;

  if (area >= self->areas->len || taken_at >= self->taken_at->len ||
      striae_photos_page_is_adding (self))
    return;
  key = &g_array_index (self->areas, AreaKey, area);
  target = &g_array_index (self->taken_at, TakenAt, taken_at);
  /* The area added to is the one shown afterwards. */
  gtk_drop_down_set_selected (self->area_drop_down, area);
  striae_photos_page_add_files (self, files, key->site, key->side, target->consultation_id,
                                target->session_id, target->moment);
}

/* What the add dialog chose, until the files are chosen. */
typedef struct
{
  StriaePhotosPage *self;
  guint             area;
  guint             taken_at;
} Choice;

static void
choice_free (Choice *choice)
{
  g_object_unref (choice->self);
  g_free (choice);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Choice, choice_free)

static void
file_chooser_response_cb (GtkNativeDialog *chooser,
                          int              response,
                          Choice          *choice)
{
  g_autoptr(GListModel) chosen = NULL;
  g_autoptr(Choice) owned = choice;
  GSList *files = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      chosen = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser));
      for (guint i = g_list_model_get_n_items (chosen); i > 0; i--)
        files = g_slist_prepend (files, g_list_model_get_item (chosen, i - 1));
      add_chosen (choice->self, files, choice->area, choice->taken_at);
      g_slist_free_full (files, g_object_unref);
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
add_filter (GtkFileChooser *chooser,
            const char     *name,
            const char     *const *types)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  for (guint i = 0; types[i] != NULL; i++)
    gtk_file_filter_add_mime_type (filter, types[i]);
  gtk_file_chooser_add_filter (chooser, filter);
}

static void
choose_files (StriaePhotosPage *self,
              guint             area,
              guint             taken_at)
{
  static const char *const all[] = { "image/jpeg", "image/png", "image/heif", "image/heic",
                                     NULL };
  static const char *const jpeg[] = { "image/jpeg", NULL };
  static const char *const png[] = { "image/png", NULL };
  static const char *const heif[] = { "image/heif", "image/heic", NULL };
  GtkFileChooserNative *chooser;
  Choice *choice = g_new0 (Choice, 1);

  chooser = gtk_file_chooser_native_new (_("Add Photos"),
                                         GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Add"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);
  add_filter (GTK_FILE_CHOOSER (chooser), _("Photos (JPEG, PNG, HEIF)"), all);
  add_filter (GTK_FILE_CHOOSER (chooser), _("JPEG"), jpeg);
  add_filter (GTK_FILE_CHOOSER (chooser), _("PNG"), png);
  add_filter (GTK_FILE_CHOOSER (chooser), _("HEIF"), heif);
  choice->self = g_object_ref (self);
  choice->area = area;
  choice->taken_at = taken_at;
  g_signal_connect (chooser, "response", G_CALLBACK (file_chooser_response_cb), choice);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static GtkWidget *
labelled_drop_down (GtkWidget    *box,
                    const char   *label,
                    GtkStringList *items,
                    guint         selected)
{
  GtkWidget *title = gtk_label_new_with_mnemonic (label);
  GtkWidget *drop_down = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (items)), NULL);
  g_autofree char *name = g_strdup (gtk_label_get_text (GTK_LABEL (title)));

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_mnemonic_widget (GTK_LABEL (title), drop_down);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (drop_down), selected);
  gtk_accessible_update_property (GTK_ACCESSIBLE (drop_down), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  name, -1);
  striae_accessible_name_drop_down (GTK_DROP_DOWN (drop_down), name);
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), drop_down);
  return drop_down;
}

static void
add_dialog_response_cb (StriaePhotosPage *self,
                        const char       *response)
{
  guint area = GTK_INVALID_LIST_POSITION;
  guint when = GTK_INVALID_LIST_POSITION;
  GSList *files = g_steal_pointer (&self->dropped);

  if (self->dialog_area != NULL && self->dialog_when != NULL)
    {
      area = gtk_drop_down_get_selected (self->dialog_area);
      when = gtk_drop_down_get_selected (self->dialog_when);
    }

  g_clear_weak_pointer (&self->dialog_area);
  g_clear_weak_pointer (&self->dialog_when);
  if (g_strcmp0 (response, "choose") == 0)
    choose_files (self, area, when);
  else if (g_strcmp0 (response, "add") == 0)
    add_chosen (self, files, area, when);
  g_slist_free_full (files, g_object_unref);
}

/* Asks for the area and when the photos were taken, then for the files (@files %NULL) or
 * adds the files dropped (@files, taken over). */
static void
open_add_dialog (StriaePhotosPage *self,
                 GSList           *files)
{
  g_autoptr(GtkStringList) areas = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) moments = gtk_string_list_new (NULL);
  GtkWidget *dialog;
  GtkWidget *box;
  guint n = g_slist_length (files);

  if (self->dialog_area != NULL || striae_photos_page_is_adding (self))
    {
      /* One dialog at a time; files dropped meanwhile are not taken. */
      g_slist_free_full (files, g_object_unref);
      return;
    }
  for (guint i = 0; i < self->areas->len; i++)
    {
      const AreaKey *key = &g_array_index (self->areas, AreaKey, i);
      g_autofree char *title = striae_photo_dup_area_title (key->site, key->side);

      gtk_string_list_append (areas, title);
    }
  for (guint i = 0; i < self->taken_at->len; i++)
    gtk_string_list_append (moments, g_array_index (self->taken_at, TakenAt, i).label);

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                   _("Add Photos"), NULL);
  if (self->taken_at->len == 0)
    {
      adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog),
                                   _("Photos belong to a consultation or a session: record "
                                     "the patient’s consultation first."));
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      g_slist_free_full (files, g_object_unref);
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }
  if (files != NULL)
    /* TRANSLATORS: %u is how many files were dropped */
    adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                    g_dngettext (GETTEXT_PACKAGE,
                                                 "Choose the area and when the photo in "
                                                 "the %u file dropped was taken.",
                                                 "Choose the area and when the photos in "
                                                 "the %u files dropped were taken.", n), n);
  else
    adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog),
                                 _("Choose the area and when the photos were taken, then the "
                                   "files (JPEG, PNG or HEIF; several at once)."));
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  /* Weak: a dialog closed with its window takes them away without an answer. */
  g_set_weak_pointer (&self->dialog_area,
                      GTK_DROP_DOWN (labelled_drop_down (box, _("_Area"), areas,
                                                         gtk_drop_down_get_selected (
                                                           self->area_drop_down))));
  g_set_weak_pointer (&self->dialog_when,
                      GTK_DROP_DOWN (labelled_drop_down (box, _("_Taken at"), moments,
                                                         self->taken_at->len - 1)));
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"));
  if (files != NULL)
    adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "add", _("_Add"));
  else
    adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "choose",
                                     _("_Choose Files…"));
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog),
                                              files != NULL ? "add" : "choose",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog),
                                           files != NULL ? "add" : "choose");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_slist_free_full (self->dropped, g_object_unref);
  self->dropped = files;
  g_signal_connect_object (dialog, "response", G_CALLBACK (add_dialog_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  open_add_dialog (STRIAE_PHOTOS_PAGE (widget), NULL);
}

static void
dismiss_problems_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  StriaePhotosPage *self = STRIAE_PHOTOS_PAGE (widget);

  clear_problems (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->grid_view));
}

/* Image files dropped onto the grid go to the area shown, after asking when they were taken. */
static gboolean
drop_cb (StriaePhotosPage *self,
         const GValue     *value,
         double            x,
         double            y)
{
  GdkFileList *list = g_value_get_boxed (value);
  GSList *files;

  if (!self->may_add || shown_area (self) == NULL)
    {
      show_toast (self, gtk_label_get_label (self->reason_label));
      return FALSE;
    }
  files = gdk_file_list_get_files (list);
  striae_photos_page_ask_files (self, files);
  g_slist_free (files);
  return TRUE;
}

static void
striae_photos_page_dispose (GObject *object)
{
  StriaePhotosPage *self = STRIAE_PHOTOS_PAGE (object);

  g_cancellable_cancel (self->adding);
  g_clear_object (&self->adding);
  g_clear_handle_id (&self->thumbnails_id, g_source_remove);
  g_clear_handle_id (&self->fill_id, g_source_remove);
  g_queue_clear (&self->thumbnails);
  g_queue_clear_full (&self->queue, g_object_unref);
  g_slist_free_full (g_steal_pointer (&self->dropped), g_object_unref);
  g_clear_weak_pointer (&self->dialog_area);
  g_clear_weak_pointer (&self->dialog_when);
  gtk_widget_dispose_template (GTK_WIDGET (self), STRIAE_TYPE_PHOTOS_PAGE);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_func (self->store, records_changed_cb, self);
  g_clear_object (&self->store);
  g_clear_object (&self->patient);
  g_clear_object (&self->area_photos);
  g_clear_pointer (&self->area_all, g_ptr_array_unref);
  g_clear_pointer (&self->photos, g_ptr_array_unref);
  g_clear_pointer (&self->areas, g_array_unref);
  g_clear_pointer (&self->taken_at, g_array_unref);

  G_OBJECT_CLASS (striae_photos_page_parent_class)->dispose (object);
}

static void
striae_photos_page_class_init (StriaePhotosPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = striae_photos_page_dispose;

  /**
   * StriaePhotosPage::closed:
   *
   * Emitted when the user goes back to the patient's page.
   */
  signals [CLOSED] =
    g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);

  g_type_ensure (STRIAE_TYPE_PHOTO_COMPARE);
  striae_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/striae/Striae/ui/"
                                               "striae-photos-page.ui");
  gtk_widget_class_bind_template_child (widget_class, StriaePhotosPage, patient_label);
  gtk_widget_class_bind_template_child (widget_class, StriaePhotosPage, area_drop_down);
  gtk_widget_class_bind_template_child (widget_class, StriaePhotosPage, add_button);
  gtk_widget_class_bind_template_child (widget_class, StriaePhotosPage, compare_button);
  gtk_widget_class_bind_template_child (widget_class, StriaePhotosPage, delete_button);
  gtk_widget_class_bind_template_child (widget_class, StriaePhotosPage, reason_label);
  gtk_widget_class_bind_template_child (widget_class, StriaePhotosPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, StriaePhotosPage, problems_group);
  gtk_widget_class_bind_template_child (widget_class, StriaePhotosPage, problems_list);
  gtk_widget_class_bind_template_child (widget_class, StriaePhotosPage, stack);
  gtk_widget_class_bind_template_child (widget_class, StriaePhotosPage, grid_view);
  gtk_widget_class_bind_template_child (widget_class, StriaePhotosPage, empty_status);
  gtk_widget_class_bind_template_child (widget_class, StriaePhotosPage, compare);

  gtk_widget_class_install_action (widget_class, "photos.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "photos.compare", NULL, compare_action);
  gtk_widget_class_install_action (widget_class, "photos.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "photos.delete", "x", delete_action);
  gtk_widget_class_install_action (widget_class, "photos.delete-selected", NULL,
                                   delete_selected_action);
  gtk_widget_class_install_action (widget_class, "photos.dismiss-problems", NULL,
                                   dismiss_problems_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "photos.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK,
                                       "photos.add", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0,
                                       "photos.delete-selected", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Delete, 0,
                                       "photos.delete-selected", NULL);
}

static void
set_up_grid (StriaePhotosPage *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkSingleSelection *selection;

  self->area_photos = g_list_store_new (STRIAE_TYPE_PHOTO);
  selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->area_photos)));
  g_signal_connect (factory, "setup", G_CALLBACK (tile_setup_cb), NULL);
  g_signal_connect_object (factory, "bind", G_CALLBACK (tile_bind_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (factory, "unbind", G_CALLBACK (tile_unbind_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_grid_view_set_factory (self->grid_view, factory);
  gtk_grid_view_set_model (self->grid_view, GTK_SELECTION_MODEL (selection));
  g_object_unref (factory);
  g_object_unref (selection);
  g_signal_connect_object (self->grid_view, "activate", G_CALLBACK (grid_activate_cb), self,
                           G_CONNECT_SWAPPED);
}

static void
striae_photos_page_init (StriaePhotosPage *self)
{
  GtkDropTarget *target;

  gtk_widget_init_template (GTK_WIDGET (self));
  striae_accessible_name_buttons (GTK_WIDGET (self));
  striae_accessible_name_drop_down (self->area_drop_down, _("Area"));

  self->photos = g_ptr_array_new_with_free_func (g_object_unref);
  self->area_all = g_ptr_array_new_with_free_func (g_object_unref);
  self->areas = g_array_new (FALSE, FALSE, sizeof (AreaKey));
  self->taken_at = g_array_new (FALSE, TRUE, sizeof (TakenAt));
  g_array_set_clear_func (self->taken_at, (GDestroyNotify) taken_at_clear);
  g_queue_init (&self->queue);
  g_queue_init (&self->thumbnails);
  set_up_grid (self);
  g_signal_connect_object (self->area_drop_down, "notify::selected",
                           G_CALLBACK (area_selected_cb), self, G_CONNECT_SWAPPED);

  target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect_object (target, "drop", G_CALLBACK (drop_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->stack), GTK_EVENT_CONTROLLER (target));
  update_state (self);
}

GtkWidget *
striae_photos_page_new (void)
{
  return g_object_new (STRIAE_TYPE_PHOTOS_PAGE, NULL);
}

/* Photos added or deleted, or the consent changed, elsewhere (another window, another PC of
 * the clinic): read again, but not under the comparison, whose photos would change under
 * the eyes (and be opened again); nor while adding, which reads again at its end. */
static void
records_changed_cb (StriaePhotosPage *self,
                    gint64            patient_id)
{
  if (self->patient == NULL ||
      (patient_id != 0 && patient_id != striae_patient_get_id (self->patient)))
    return;
  if (striae_photos_page_is_adding (self))
    return;
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "compare") == 0)
    self->stale = TRUE;
  else
    striae_photos_page_reload (self);
}

void
striae_photos_page_set_store (StriaePhotosPage *self,
                              StriaeStore      *store)
{
  g_return_if_fail (STRIAE_IS_PHOTOS_PAGE (self));
  g_return_if_fail (store == NULL || STRIAE_IS_STORE (store));

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_func (self->store, records_changed_cb, self);
  if (g_set_object (&self->store, store))
    {
      striae_photo_compare_set_store (self->compare, store);
      if (store != NULL)
        g_signal_connect_object (store, "patients-changed", G_CALLBACK (records_changed_cb),
                                 self, G_CONNECT_SWAPPED);
    }
}

/* Shows @patient's photos, the grid of the first area that has any. */
void
striae_photos_page_open (StriaePhotosPage *self,
                         StriaePatient    *patient)
{
  g_autofree char *name = NULL;

  g_return_if_fail (STRIAE_IS_PHOTOS_PAGE (self));
  g_return_if_fail (STRIAE_IS_PATIENT (patient));

  g_set_object (&self->patient, patient);
  name = striae_patient_dup_full_name (patient);
  gtk_label_set_label (self->patient_label, name);
  clear_problems (self);
  gtk_stack_set_visible_child_name (self->stack, "grid");
  g_signal_handlers_block_by_func (self->area_drop_down, area_selected_cb, self);
  gtk_drop_down_set_selected (self->area_drop_down, GTK_INVALID_LIST_POSITION);
  g_signal_handlers_unblock_by_func (self->area_drop_down, area_selected_cb, self);
  striae_photos_page_reload (self);
  for (guint i = 0; i < self->areas->len; i++)
    if (count_photos (self, &g_array_index (self->areas, AreaKey, i)) > 0)
      {
        gtk_drop_down_set_selected (self->area_drop_down, i);
        break;
      }
}

/* Shows the area at @site and @side; FALSE when the patient has none there. */
gboolean
striae_photos_page_show_area (StriaePhotosPage *self,
                              StriaeBodySite    site,
                              StriaeSide        side)
{
  g_return_val_if_fail (STRIAE_IS_PHOTOS_PAGE (self), FALSE);

  for (guint i = 0; i < self->areas->len; i++)
    if (area_equal (&g_array_index (self->areas, AreaKey, i), site, side))
      {
        gtk_drop_down_set_selected (self->area_drop_down, i);
        return TRUE;
      }
  return FALSE;
}

/* The shown area's photos, oldest first (StriaePhoto), all of them (the grid's model, filled
 * in at once if it was still being filled). */
GListModel *
striae_photos_page_get_area_photos (StriaePhotosPage *self)
{
  g_return_val_if_fail (STRIAE_IS_PHOTOS_PAGE (self), NULL);
  fill_all (self);
  return G_LIST_MODEL (self->area_photos);
}

StriaePhotoCompare *
striae_photos_page_get_compare (StriaePhotosPage *self)
{
  g_return_val_if_fail (STRIAE_IS_PHOTOS_PAGE (self), NULL);
  return self->compare;
}
