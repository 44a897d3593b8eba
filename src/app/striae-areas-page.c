/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "striae-app-private.h"
#include "striae-area-row.h"
#include "striae-areas-page-private.h"

struct _StriaeAreasPage
{
  StriaeWizardPage     parent_instance;

  AdwPreferencesGroup *areas_group;
  GtkWidget           *add_button;
  GtkLabel            *missing_label;
  GtkLabel            *duplicate_label;

  GPtrArray           *rows;  /* StriaeAreaRow, one per area */
  StriaeConsultation  *consultation;
};

G_DEFINE_FINAL_TYPE (StriaeAreasPage, striae_areas_page, STRIAE_TYPE_WIZARD_PAGE)

static void load_consultation (StriaeWizardPage   *page,
                               StriaeConsultation *consultation);

static void rebuild (StriaeAreasPage *self);

static StriaeArea *
row_area (StriaeAreasPage *self,
          guint            position)
{
  return striae_area_row_get_area (g_ptr_array_index (self->rows, position));
}

static void
update_missing (StriaeAreasPage *self)
{
  guint n = self->consultation != NULL
            ? g_list_model_get_n_items (striae_consultation_get_areas (self->consultation)) : 0;

  gtk_label_set_label (self->missing_label, _("Add at least one area with stretch marks."));
  gtk_widget_set_visible (GTK_WIDGET (self->missing_label), n == 0);
}

/* One sentence about @area, which records the same skin as @earlier, listed above it. */
static char *
dup_overlap_warning (StriaeArea *area,
                     StriaeArea *earlier)
{
  g_autofree char *title = striae_area_dup_title (area);
  g_autofree char *earlier_title = NULL;

  if (striae_area_get_side (area) == striae_area_get_side (earlier))
    /* TRANSLATORS: %s names an area as its row does, e.g. "Left thigh" */
    return g_strdup_printf (_("“%s” is recorded twice: remove one, or change its site or "
                              "side."), title);

  earlier_title = striae_area_dup_title (earlier);
  /* TRANSLATORS: both %s name areas as their rows do, e.g. "Left thigh", "Both thighs" */
  return g_strdup_printf (_("“%s” overlaps “%s” above: record each place once."), title,
                          earlier_title);
}

/* Each row whose area records the same skin as one above it says so; so does the line
 * under the list, for the first such row, where it shows whether the rows are open or not. */
static void
update_overlaps (StriaeAreasPage *self)
{
  g_autofree char *first = NULL;

  for (guint i = 0; i < self->rows->len; i++)
    {
      g_autofree char *warning = NULL;

      for (guint j = 0; j < i && warning == NULL; j++)
        if (striae_area_overlaps (row_area (self, i), row_area (self, j)))
          warning = dup_overlap_warning (row_area (self, i), row_area (self, j));
      striae_area_row_set_warning (g_ptr_array_index (self->rows, i), warning);
      if (first == NULL && warning != NULL)
        first = g_steal_pointer (&warning);
    }

  gtk_label_set_label (self->duplicate_label, first != NULL ? first : "");
  gtk_widget_set_visible (GTK_WIDGET (self->duplicate_label), first != NULL);
}

static void
append_row (StriaeAreasPage *self,
            StriaeArea      *area)
{
  GtkWidget *row = striae_area_row_new (area);

  adw_preferences_group_add (self->areas_group, row);
  g_ptr_array_add (self->rows, row);
}

/* [consent] A signed consultation's areas are read, not edited: the page takes no pointer,
 * so each area is shown open (it could not be opened), and there is none to add or remove. */
static void
update_read_only (StriaeAreasPage *self)
{
  gboolean read_only = striae_consultation_session_get_read_only (
                         striae_wizard_page_get_session (STRIAE_WIZARD_PAGE (self)));

  gtk_widget_set_visible (self->add_button, !read_only);
  for (guint i = 0; i < self->rows->len; i++)
    {
      StriaeAreaRow *row = g_ptr_array_index (self->rows, i);
      GtkWidget *remove = striae_area_row_get_field (row, "remove");

      gtk_widget_set_visible (gtk_widget_get_ancestor (remove, ADW_TYPE_ACTION_ROW), !read_only);
      if (read_only)
        adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
    }
}

static void
rebuild (StriaeAreasPage *self)
{
  GListModel *areas = striae_consultation_get_areas (self->consultation);
  guint n = g_list_model_get_n_items (areas);

  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (self->areas_group, g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(StriaeArea) area = g_list_model_get_item (areas, i);

      append_row (self, area);
    }

  update_missing (self);
  update_overlaps (self);
  update_read_only (self);
}

/* The focus moves to a new area's first field once the field has a place in the page: the
 * scrolled page brings the focus into view by where it is, so that a new area added below
 * an open one is scrolled to rather than added out of sight. */
static gboolean
focus_when_placed (GtkWidget     *field,
                   GdkFrameClock *clock,
                   gpointer       data)
{
  if (gtk_widget_get_height (field) == 0)
    return G_SOURCE_CONTINUE;

  gtk_widget_grab_focus (field);
  return G_SOURCE_REMOVE;
}

/* Areas added at the end get rows of their own and removed ones lose theirs, so the other
 * rows stay open or closed as they were; anything else rebuilds the list. */
static void
areas_changed_cb (StriaeAreasPage *self,
                  guint            position,
                  guint            removed,
                  guint            added)
{
  GListModel *areas = striae_consultation_get_areas (self->consultation);

  if (removed == 0 && position == self->rows->len)
    {
      for (guint i = position; i < position + added; i++)
        {
          g_autoptr(StriaeArea) area = g_list_model_get_item (areas, i);

          append_row (self, area);
        }
    }
  else if (added == 0 && position + removed <= self->rows->len)
    {
      for (guint i = position; i < position + removed; i++)
        adw_preferences_group_remove (self->areas_group, g_ptr_array_index (self->rows, i));
      g_ptr_array_remove_range (self->rows, position, removed);
    }
  else
    {
      rebuild (self);
      return;
    }
  update_missing (self);
  update_overlaps (self);

  /* A new area opens at once, with the focus on its first field. */
  if (added == 1 && removed == 0 && position < self->rows->len)
    {
      StriaeAreaRow *row = g_ptr_array_index (self->rows, position);
      GtkWidget *site = striae_area_row_get_field (row, "site");

      adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
      gtk_widget_add_tick_callback (site, focus_when_placed, NULL, NULL);
    }
}

/* A new area starts at a site that no area records yet, so that adding one does not repeat
 * the first. */
static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  StriaeAreasPage *self = STRIAE_AREAS_PAGE (widget);
  g_autoptr(StriaeArea) area = NULL;

  if (self->consultation == NULL)
    return;

  area = striae_area_new (striae_body_site_first_unrecorded (
                            striae_consultation_get_areas (self->consultation)));
  striae_consultation_add_area (self->consultation, area);
}

/* @parameter: the id of the area to remove (its row's remove button holds it). */
static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  StriaeAreasPage *self = STRIAE_AREAS_PAGE (widget);
  guint position;

  if (self->consultation != NULL &&
      striae_consultation_find_area (self->consultation, g_variant_get_string (parameter, NULL),
                                     &position) != NULL)
    striae_consultation_remove_area (self->consultation, position);
}

static void
striae_areas_page_constructed (GObject *object)
{
  StriaeAreasPage *self = (StriaeAreasPage *)object;

  G_OBJECT_CLASS (striae_areas_page_parent_class)->constructed (object);

  g_signal_connect_object (striae_wizard_page_get_session (STRIAE_WIZARD_PAGE (self)),
                           "notify::read-only", G_CALLBACK (update_read_only), self,
                           G_CONNECT_SWAPPED);
}

static void
striae_areas_page_dispose (GObject *object)
{
  StriaeAreasPage *self = (StriaeAreasPage *)object;

  if (self->consultation != NULL)
    {
      g_signal_handlers_disconnect_by_func (striae_consultation_get_areas (self->consultation),
                                            areas_changed_cb, self);
      g_signal_handlers_disconnect_by_func (self->consultation, update_overlaps, self);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), STRIAE_TYPE_AREAS_PAGE);
  g_clear_object (&self->consultation);
  g_clear_pointer (&self->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (striae_areas_page_parent_class)->dispose (object);
}

static void
striae_areas_page_class_init (StriaeAreasPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  StriaeWizardPageClass *page_class = STRIAE_WIZARD_PAGE_CLASS (klass);

  object_class->constructed = striae_areas_page_constructed;
  object_class->dispose = striae_areas_page_dispose;

  page_class->load_consultation = load_consultation;

  striae_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/striae/Striae/ui/"
                                               "striae-areas-page.ui");
  gtk_widget_class_bind_template_child (widget_class, StriaeAreasPage, areas_group);
  gtk_widget_class_bind_template_child (widget_class, StriaeAreasPage, add_button);
  gtk_widget_class_bind_template_child (widget_class, StriaeAreasPage, missing_label);
  gtk_widget_class_bind_template_child (widget_class, StriaeAreasPage, duplicate_label);
  gtk_widget_class_install_action (widget_class, "areas.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "areas.remove", "s", remove_action);
}

static void
striae_areas_page_init (StriaeAreasPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_ptr_array_new ();
}

static void
load_consultation (StriaeWizardPage   *page,
                   StriaeConsultation *consultation)
{
  StriaeAreasPage *self = STRIAE_AREAS_PAGE (page);

  if (self->consultation != NULL)
    {
      g_signal_handlers_disconnect_by_func (striae_consultation_get_areas (self->consultation),
                                            areas_changed_cb, self);
      g_signal_handlers_disconnect_by_func (self->consultation, update_overlaps, self);
    }
  g_set_object (&self->consultation, consultation);
  g_signal_connect_swapped (striae_consultation_get_areas (consultation), "items-changed",
                            G_CALLBACK (areas_changed_cb), self);
  /* A changed site, side or note can make two areas the same. */
  g_signal_connect_swapped (consultation, "changed", G_CALLBACK (update_overlaps), self);
  rebuild (self);
}

GtkWidget *
striae_areas_page_get_area_row (StriaeAreasPage *self,
                                guint            position)
{
  g_return_val_if_fail (STRIAE_IS_AREAS_PAGE (self), NULL);
  g_return_val_if_fail (position < self->rows->len, NULL);
  return g_ptr_array_index (self->rows, position);
}

/* @field: as striae_area_row_get_field() takes it. */
GtkWidget *
striae_areas_page_get_field (StriaeAreasPage *self,
                             guint            position,
                             const char      *field)
{
  GtkWidget *row = striae_areas_page_get_area_row (self, position);

  return row != NULL ? striae_area_row_get_field (STRIAE_AREA_ROW (row), field) : NULL;
}

/* The warning under the list when two areas record the same skin ("" when none do). */
const char *
striae_areas_page_get_duplicate_warning (StriaeAreasPage *self)
{
  g_return_val_if_fail (STRIAE_IS_AREAS_PAGE (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->duplicate_label))
         ? gtk_label_get_label (self->duplicate_label) : "";
}
