/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "striae-app-private.h"
#include "striae-clinic-cache.h"
#include "striae-consultation-session.h"

struct _StriaeConsultationSession
{
  GObject               parent_instance;

  StriaeWizardRecords  *records;
  StriaeRules          *rules;
  StriaePatient        *patient;
  StriaeConsultation   *consultation;
  char                 *patient_title;
  StriaeScreening      *screening;
  StriaeRecommendation *recommendation;
  char                 *problem;
  char                 *page;
  GCancellable         *cancellable;
  GSettings            *settings;           /* the clinic's, or NULL without the schema */

  guint                 history_missing;
  guint                 skin_missing;
  guint                 areas_missing;
  gboolean              is_signed;
  /* Signed, or the account at work may not change consultations (an assistant reads
   * them): the pages take no input and nothing is saved. */
  gboolean              read_only;
  gboolean              complete [6];

  guint                 save_timeout;
  gboolean              dirty;
  gboolean              saving;

  /* Why the last save was refused because another computer changed or signed the
   * consultation since; NULL for none. Saves wait until the user chooses what to keep. */
  char                 *conflict;
  /* Why the last save failed otherwise (a login that may not write consultations, a full
   * disk); NULL once a save worked. What was typed is only in this session meanwhile. */
  char                 *save_error;
};

G_DEFINE_FINAL_TYPE (StriaeConsultationSession, striae_consultation_session, G_TYPE_OBJECT)

/* The wizard's pages, in their order; striae-wizard.c names them the same. */
static const char * const page_names[] = {
  "patient", "history", "skin", "areas", "plan", "summary",
};

enum {
  PROP_0,
  PROP_RECORDS,
  PROP_RULES,
  PROP_PATIENT,
  PROP_CONSULTATION,
  PROP_PATIENT_TITLE,
  PROP_SCREENING,
  PROP_RECOMMENDATION,
  PROP_FACTS,
  PROP_SIGNED,
  PROP_READ_ONLY,
  PROP_PROBLEM,
  PROP_HISTORY_MISSING,
  PROP_SKIN_MISSING,
  PROP_AREAS_MISSING,
  PROP_PATIENT_COMPLETE,
  PROP_HISTORY_COMPLETE,
  PROP_SKIN_COMPLETE,
  PROP_AREAS_COMPLETE,
  PROP_PLAN_COMPLETE,
  PROP_SUMMARY_COMPLETE,
  PROP_PAGE,
  PROP_SAVING,
  PROP_CONFLICT,
  PROP_SAVE_ERROR,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

G_STATIC_ASSERT (G_N_ELEMENTS (page_names) == PROP_SUMMARY_COMPLETE - PROP_PATIENT_COMPLETE + 1);

static void consultation_changed_cb (StriaeConsultationSession *self);

static int
find_page (const char *page)
{
  for (guint i = 0; i < G_N_ELEMENTS (page_names); i++)
    if (g_strcmp0 (page_names[i], page) == 0)
      return i;
  return -1;
}

static const GDate *
get_birth_date (StriaeConsultationSession *self)
{
  return self->patient != NULL ? striae_patient_get_birth_date (self->patient) : NULL;
}

static gboolean
compute_signed (StriaeConsultationSession *self)
{
  return self->consultation != NULL &&
         striae_consultation_get_status (self->consultation) == STRIAE_CONSULTATION_STATUS_SIGNED;
}

/* A page of answers is done when none is missing, none of its findings blocks and every
 * relative one is acknowledged. Every count comes from the screening, so that the pages, the
 * wizard's banner and the sign-off agree. */
static gboolean
part_resolved (StriaeConsultationSession *self,
               StriaeScreeningPart        part)
{
  return self->screening != NULL &&
         striae_screening_count_missing (self->screening, part) == 0 &&
         striae_screening_count_findings (self->screening, part, STRIAE_LEVEL_ABSOLUTE) == 0 &&
         striae_screening_count_to_acknowledge (self->screening, part) == 0;
}

/* No area at all counts as one missing answer: the page asks for at least one. */
static guint
count_areas_missing (StriaeConsultationSession *self)
{
  GListModel *areas = striae_consultation_get_areas (self->consultation);
  guint n = g_list_model_get_n_items (areas);
  guint missing = 0;

  if (n == 0)
    return 1;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(StriaeArea) area = g_list_model_get_item (areas, i);

      if (!striae_area_validate (area, NULL))
        missing++;
    }

  return missing;
}

static gboolean
compute_complete (StriaeConsultationSession *self,
                  guint                      index)
{
  switch (index)
    {
    case 0:
      return striae_consultation_get_date (self->consultation) != NULL;
    case 1:
      /* The history page also shows the patient's finding (an age not known). */
      return part_resolved (self, STRIAE_SCREENING_PART_HISTORY | STRIAE_SCREENING_PART_PATIENT);
    case 2:
      return part_resolved (self, STRIAE_SCREENING_PART_SKIN);
    case 3:
      return self->areas_missing == 0;
    case 4:
      return self->screening != NULL && !striae_screening_has_absolute (self->screening) &&
             striae_plan_validate (striae_consultation_get_plan (self->consultation),
                                   striae_consultation_get_areas (self->consultation),
                                   NULL, NULL);
    case 5:
      return self->is_signed;
    default:
      g_assert_not_reached ();
    }
}

static char *
compute_problem (StriaeConsultationSession *self,
                 const GDate               *birth,
                 const GDate               *today)
{
  g_autoptr(GError) error = NULL;

  if (striae_consultation_check_complete (self->consultation, self->rules, birth, today,
                                          &error))
    return NULL;

  return g_strdup (error->message);
}

static void
set_uint (StriaeConsultationSession *self,
          guint                     *field,
          guint                      value,
          guint                      prop)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties [prop]);
}

static void
set_boolean (StriaeConsultationSession *self,
             gboolean                  *field,
             gboolean                   value,
             guint                      prop)
{
  value = !!value;
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties [prop]);
}

/* Screening and recommendation are pure functions of the consultation: both are recomputed
 * after every change, and so is all that follows from them. Notifications wait until all is
 * computed, so that whoever reads one property finds the others up to date. */
static void
recompute (StriaeConsultationSession *self)
{
  g_autofree char *problem = NULL;
  const GDate *birth;
  GDate today;
  gboolean was_signed;
  gboolean was_read_only;

  if (self->consultation == NULL)
    return;

  g_object_freeze_notify (G_OBJECT (self));

  striae_get_today (&today);
  birth = get_birth_date (self);
  was_signed = self->is_signed;
  was_read_only = self->read_only;
  self->is_signed = compute_signed (self);
  self->read_only = self->is_signed ||
                    (self->records != NULL &&
                     !striae_app_offers (striae_wizard_records_get_store (self->records),
                                         STRIAE_RIGHT_CONSULTATIONS));
  if (was_signed != self->is_signed)
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SIGNED]);
  if (was_read_only != self->read_only)
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_READ_ONLY]);

  g_clear_object (&self->recommendation);
  self->recommendation = striae_recommend (self->consultation, self->rules, birth, &today);
  /* Writing the recommendation into the plan is no edit of the user's: it neither recomputes
   * again nor saves. */
  if (!self->is_signed)
    {
      g_signal_handlers_block_by_func (self->consultation, consultation_changed_cb, self);
      striae_recommendation_apply (self->recommendation, self->consultation);
      g_signal_handlers_unblock_by_func (self->consultation, consultation_changed_cb, self);
    }

  g_clear_object (&self->screening);
  self->screening = striae_screen (self->consultation, self->rules, birth, &today);

  set_uint (self, &self->history_missing,
            striae_screening_count_missing (self->screening, STRIAE_SCREENING_PART_HISTORY),
            PROP_HISTORY_MISSING);
  set_uint (self, &self->skin_missing,
            striae_screening_count_missing (self->screening, STRIAE_SCREENING_PART_SKIN),
            PROP_SKIN_MISSING);
  set_uint (self, &self->areas_missing, count_areas_missing (self), PROP_AREAS_MISSING);
  for (guint i = 0; i < G_N_ELEMENTS (page_names); i++)
    set_boolean (self, &self->complete[i], compute_complete (self, i),
                 PROP_PATIENT_COMPLETE + i);

  problem = compute_problem (self, birth, &today);
  if (g_strcmp0 (problem, self->problem) != 0)
    {
      g_free (self->problem);
      self->problem = g_steal_pointer (&problem);
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PROBLEM]);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_RECOMMENDATION]);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_FACTS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SCREENING]);

  g_object_thaw_notify (G_OBJECT (self));
}

static void
clear_save_timeout (StriaeConsultationSession *self)
{
  gboolean before = striae_consultation_session_is_saving (self);

  g_clear_handle_id (&self->save_timeout, g_source_remove);
  if (before != striae_consultation_session_is_saving (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SAVING]);
}

/* Whether @error says that another computer changed or signed the consultation since it
 * was read: the user chooses what to keep (striae_consultation_session_reload(),
 * striae_consultation_session_keep_as_new_draft()). */
static gboolean
is_conflict (const GError *error)
{
  return g_error_matches (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_CONFLICT) ||
         g_error_matches (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_LOCKED);
}

static void
set_conflict (StriaeConsultationSession *self,
              const char                *conflict)
{
  if (g_strcmp0 (self->conflict, conflict) == 0)
    return;

  g_free (self->conflict);
  self->conflict = g_strdup (conflict);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CONFLICT]);
}

static void
set_save_error (StriaeConsultationSession *self,
                const char                *save_error)
{
  if (g_strcmp0 (self->save_error, save_error) == 0)
    return;

  g_free (self->save_error);
  self->save_error = g_strdup (save_error);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SAVE_ERROR]);
}

static void save_before_leaving (StriaeConsultationSession *self);

static void save_done_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data);

/* Starts writing the draft in a thread unless a write runs already; "saving" is notified by
 * the callers. */
static void
start_save (StriaeConsultationSession *self)
{
  if (self->consultation == NULL || self->records == NULL || self->read_only)
    return;
  /* Until the user chooses, every save would be refused the same way: edits stay here. */
  if (self->saving || self->conflict != NULL)
    {
      self->dirty = TRUE;
      return;
    }

  self->dirty = FALSE;
  self->saving = TRUE;
  /* The first save of a new consultation gives it its number, which is no edit. */
  g_signal_handlers_block_by_func (self->consultation, consultation_changed_cb, self);
  striae_wizard_records_save_async (self->records, self->consultation, self->page,
                                    self->cancellable, save_done_cb, g_object_ref (self));
  g_signal_handlers_unblock_by_func (self->consultation, consultation_changed_cb, self);
}

static void
save_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(StriaeConsultationSession) self = user_data;
  g_autoptr(GError) error = NULL;

  gboolean ok;

  ok = striae_wizard_records_save_finish (STRIAE_WIZARD_RECORDS (object), result, &error);
  if (!ok && is_conflict (error))
    {
      /* What was typed stays in the session, to be saved once the user chose. */
      self->dirty = TRUE;
      set_conflict (self, error->message);
    }
  else if (!ok && g_error_matches (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_SPOOLED))
    /* Kept on this computer until the server is back (the window says so): no edit is
     * lost, and the next change is kept the same way. */
    g_debug ("%s", error->message);
  else if (!ok && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* The wizard says so where the user types, not only the log. */
      g_message ("The draft could not be saved: %s", error->message);
      set_save_error (self, error->message);
    }
  if (ok || g_error_matches (error, STRIAE_STORE_ERROR, STRIAE_STORE_ERROR_SPOOLED))
    set_save_error (self, NULL);

  /* A change made during the write is saved now: "saving" goes on without a break. */
  self->saving = FALSE;
  if (ok && self->dirty)
    start_save (self);
  if (!striae_consultation_session_is_saving (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SAVING]);
}

static gboolean
save_timeout_cb (gpointer user_data)
{
  StriaeConsultationSession *self = user_data;

  /* The pause is over and the write starts: "saving" goes on. */
  self->save_timeout = 0;
  start_save (self);
  if (!striae_consultation_session_is_saving (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SAVING]);
  return G_SOURCE_REMOVE;
}

static void
consultation_changed_cb (StriaeConsultationSession *self)
{
  recompute (self);
  if (self->read_only)
    return;

  self->dirty = TRUE;
  g_clear_handle_id (&self->save_timeout, g_source_remove);
  self->save_timeout = g_timeout_add (STRIAE_CONSULTATION_SESSION_SAVE_DELAY_MS,
                                      save_timeout_cb, self);
  if (!self->saving)
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SAVING]);
}

static void
update_patient_title (StriaeConsultationSession *self)
{
  g_autofree char *title = NULL;
  GDate today;

  striae_get_today (&today);
  if (self->patient != NULL)
    title = striae_patient_dup_title (self->patient, &today);

  if (g_strcmp0 (title, self->patient_title) == 0)
    return;
  g_free (self->patient_title);
  self->patient_title = g_steal_pointer (&title);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PATIENT_TITLE]);
}

static void
disconnect_consultation (StriaeConsultationSession *self)
{
  if (self->consultation != NULL)
    g_signal_handlers_disconnect_by_func (self->consultation, consultation_changed_cb, self);
}

static void
striae_consultation_session_dispose (GObject *object)
{
  StriaeConsultationSession *self = (StriaeConsultationSession *)object;

  striae_consultation_session_close (self);
  g_clear_object (&self->cancellable);
  disconnect_consultation (self);

  g_clear_object (&self->settings);
  g_clear_object (&self->records);
  g_clear_object (&self->rules);
  g_clear_object (&self->patient);
  g_clear_object (&self->consultation);
  g_clear_object (&self->screening);
  g_clear_object (&self->recommendation);

  G_OBJECT_CLASS (striae_consultation_session_parent_class)->dispose (object);
}

static void
striae_consultation_session_finalize (GObject *object)
{
  StriaeConsultationSession *self = (StriaeConsultationSession *)object;

  g_clear_pointer (&self->patient_title, g_free);
  g_clear_pointer (&self->problem, g_free);
  g_clear_pointer (&self->page, g_free);
  g_clear_pointer (&self->conflict, g_free);
  g_clear_pointer (&self->save_error, g_free);

  G_OBJECT_CLASS (striae_consultation_session_parent_class)->finalize (object);
}

static void
striae_consultation_session_get_property (GObject    *object,
                                          guint       prop_id,
                                          GValue     *value,
                                          GParamSpec *pspec)
{
  StriaeConsultationSession *self = STRIAE_CONSULTATION_SESSION (object);

  switch (prop_id)
    {
    case PROP_RECORDS:
      g_value_set_object (value, self->records);
      break;
    case PROP_RULES:
      g_value_set_object (value, self->rules);
      break;
    case PROP_PATIENT:
      g_value_set_object (value, self->patient);
      break;
    case PROP_CONSULTATION:
      g_value_set_object (value, self->consultation);
      break;
    case PROP_PATIENT_TITLE:
      g_value_set_string (value, self->patient_title);
      break;
    case PROP_SCREENING:
      g_value_set_object (value, self->screening);
      break;
    case PROP_RECOMMENDATION:
      g_value_set_object (value, self->recommendation);
      break;
    case PROP_FACTS:
      g_value_set_boxed (value, striae_consultation_session_get_facts (self));
      break;
    case PROP_SIGNED:
      g_value_set_boolean (value, self->is_signed);
      break;
    case PROP_READ_ONLY:
      g_value_set_boolean (value, self->read_only);
      break;
    case PROP_PROBLEM:
      g_value_set_string (value, self->problem);
      break;
    case PROP_HISTORY_MISSING:
      g_value_set_uint (value, self->history_missing);
      break;
    case PROP_SKIN_MISSING:
      g_value_set_uint (value, self->skin_missing);
      break;
    case PROP_AREAS_MISSING:
      g_value_set_uint (value, self->areas_missing);
      break;
    case PROP_PATIENT_COMPLETE:
    case PROP_HISTORY_COMPLETE:
    case PROP_SKIN_COMPLETE:
    case PROP_AREAS_COMPLETE:
    case PROP_PLAN_COMPLETE:
    case PROP_SUMMARY_COMPLETE:
      g_value_set_boolean (value, self->complete[prop_id - PROP_PATIENT_COMPLETE]);
      break;
    case PROP_PAGE:
      g_value_set_string (value, self->page);
      break;
    case PROP_SAVING:
      g_value_set_boolean (value, striae_consultation_session_is_saving (self));
      break;
    case PROP_CONFLICT:
      g_value_set_string (value, self->conflict);
      break;
    case PROP_SAVE_ERROR:
      g_value_set_string (value, self->save_error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
striae_consultation_session_set_property (GObject      *object,
                                          guint         prop_id,
                                          const GValue *value,
                                          GParamSpec   *pspec)
{
  StriaeConsultationSession *self = STRIAE_CONSULTATION_SESSION (object);

  switch (prop_id)
    {
    case PROP_RECORDS:
      striae_consultation_session_set_records (self, g_value_get_object (value));
      break;
    case PROP_RULES:
      striae_consultation_session_set_rules (self, g_value_get_object (value));
      break;
    case PROP_PAGE:
      striae_consultation_session_set_page (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
complete_param (const char *name)
{
  return g_param_spec_boolean (name, NULL, NULL, FALSE,
                               G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                               G_PARAM_STATIC_STRINGS);
}

static void
striae_consultation_session_class_init (StriaeConsultationSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = striae_consultation_session_dispose;
  object_class->finalize = striae_consultation_session_finalize;
  object_class->get_property = striae_consultation_session_get_property;
  object_class->set_property = striae_consultation_session_set_property;

  properties [PROP_RECORDS] =
    g_param_spec_object ("records", NULL, NULL, STRIAE_TYPE_WIZARD_RECORDS, rw);
  properties [PROP_RULES] =
    g_param_spec_object ("rules", NULL, NULL, STRIAE_TYPE_RULES, rw);
  properties [PROP_PATIENT] =
    g_param_spec_object ("patient", NULL, NULL, STRIAE_TYPE_PATIENT, ro);
  properties [PROP_CONSULTATION] =
    g_param_spec_object ("consultation", NULL, NULL, STRIAE_TYPE_CONSULTATION, ro);
  /* Whose record this is: "full name · age". */
  properties [PROP_PATIENT_TITLE] =
    g_param_spec_string ("patient-title", NULL, NULL, NULL, ro);
  properties [PROP_SCREENING] =
    g_param_spec_object ("screening", NULL, NULL, STRIAE_TYPE_SCREENING, ro);
  properties [PROP_RECOMMENDATION] =
    g_param_spec_object ("recommendation", NULL, NULL, STRIAE_TYPE_RECOMMENDATION, ro);
  properties [PROP_FACTS] =
    g_param_spec_boxed ("facts", NULL, NULL, G_TYPE_STRV, ro);
  properties [PROP_SIGNED] =
    g_param_spec_boolean ("signed", NULL, NULL, FALSE, ro);
  /* [consent] a signed consultation is read-only; so is every consultation for an account
   * that may not change them (an assistant), for bindings. */
  properties [PROP_READ_ONLY] =
    g_param_spec_boolean ("read-only", NULL, NULL, FALSE, ro);
  /* Why the consultation cannot be signed yet, or NULL. */
  properties [PROP_PROBLEM] =
    g_param_spec_string ("problem", NULL, NULL, NULL, ro);
  properties [PROP_HISTORY_MISSING] =
    g_param_spec_uint ("history-missing", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties [PROP_SKIN_MISSING] =
    g_param_spec_uint ("skin-missing", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties [PROP_AREAS_MISSING] =
    g_param_spec_uint ("areas-missing", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties [PROP_PATIENT_COMPLETE] = complete_param ("patient-complete");
  properties [PROP_HISTORY_COMPLETE] = complete_param ("history-complete");
  properties [PROP_SKIN_COMPLETE] = complete_param ("skin-complete");
  properties [PROP_AREAS_COMPLETE] = complete_param ("areas-complete");
  properties [PROP_PLAN_COMPLETE] = complete_param ("plan-complete");
  properties [PROP_SUMMARY_COMPLETE] = complete_param ("summary-complete");
  /* The wizard page the consultation is on: a draft's save records it, to resume there. */
  properties [PROP_PAGE] =
    g_param_spec_string ("page", NULL, NULL, "patient", rw);
  /* A save is waiting for a pause in typing, or running. */
  properties [PROP_SAVING] =
    g_param_spec_boolean ("saving", NULL, NULL, FALSE, ro);
  properties [PROP_CONFLICT] =
    g_param_spec_string ("conflict", NULL, NULL, NULL, ro);
  /* Why the last save failed, other than a conflict or the server gone; NULL for none. */
  properties [PROP_SAVE_ERROR] =
    g_param_spec_string ("save-error", NULL, NULL, NULL, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
striae_consultation_session_init (StriaeConsultationSession *self)
{
  self->rules = striae_rules_new ();
  self->cancellable = g_cancellable_new ();
  self->page = g_strdup ("patient");
}

StriaeConsultationSession *
striae_consultation_session_new (void)
{
  return g_object_new (STRIAE_TYPE_CONSULTATION_SESSION, NULL);
}

/* Whether the kept draft of consultation @id (0: the new one of local id @local_id) is this
 * session's. */
static gboolean
is_own_spooled (StriaeConsultationSession *self,
                gint64                     id,
                const char                *local_id)
{
  return self->consultation != NULL && !self->is_signed &&
         striae_consultation_get_id (self->consultation) == id &&
         (id != 0 ||
          g_strcmp0 (striae_consultation_get_local_id (self->consultation), local_id) == 0);
}

/* The draft this session kept on this computer reached the records (the server is back).
 * A new draft takes the number the records gave it, so that its next save is no second new
 * consultation. A stored one keeps the stamp it was read with: the store and the wizard's
 * records take its next save on from what was sent (store_spool_catch_up()), also when a
 * save went out between the sending and this signal. */
static void
spool_sent_cb (StriaeConsultationSession *self,
               gint64                     old_id,
               StriaeConsultation        *sent)
{
  if (!is_own_spooled (self, old_id, striae_consultation_get_local_id (sent)))
    return;

  if (old_id == 0)
    {
      g_signal_handlers_block_by_func (self->consultation, consultation_changed_cb, self);
      striae_consultation_set_id (self->consultation, striae_consultation_get_id (sent));
      striae_consultation_set_revision (self->consultation,
                                        striae_consultation_get_revision (sent));
      striae_consultation_set_stored_stamp (self->consultation,
                                            striae_consultation_get_stored_stamp (sent));
      g_signal_handlers_unblock_by_func (self->consultation, consultation_changed_cb, self);
    }
  if (self->dirty)
    start_save (self);
}

/* Someone changed the consultation on the records while this draft waited here: the user
 * chooses, as for any conflict. */
static void
spool_refused_cb (StriaeConsultationSession *self,
                  gint64                     id,
                  const char                *local_id,
                  const char                *message)
{
  if (!is_own_spooled (self, id, local_id))
    return;
  self->dirty = TRUE;
  set_conflict (self, message);
}

void
striae_consultation_session_set_records (StriaeConsultationSession *self,
                                         StriaeWizardRecords       *records)
{
  g_return_if_fail (STRIAE_IS_CONSULTATION_SESSION (self));
  g_return_if_fail (records == NULL || STRIAE_IS_WIZARD_RECORDS (records));

  if (self->records != NULL)
    g_signal_handlers_disconnect_by_data (striae_wizard_records_get_store (self->records),
                                          self);
  if (g_set_object (&self->records, records))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_RECORDS]);
  if (records != NULL)
    {
      StriaeStore *store = striae_wizard_records_get_store (records);

      g_signal_connect_object (store, "spool-sent", G_CALLBACK (spool_sent_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (store, "spool-refused", G_CALLBACK (spool_refused_cb), self,
                               G_CONNECT_SWAPPED);
    }
}

StriaeWizardRecords *
striae_consultation_session_get_records (StriaeConsultationSession *self)
{
  g_return_val_if_fail (STRIAE_IS_CONSULTATION_SESSION (self), NULL);
  return self->records;
}

void
striae_consultation_session_set_rules (StriaeConsultationSession *self,
                                       StriaeRules               *rules)
{
  g_return_if_fail (STRIAE_IS_CONSULTATION_SESSION (self));
  g_return_if_fail (STRIAE_IS_RULES (rules));

  if (!g_set_object (&self->rules, rules))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_RULES]);
  recompute (self);
}

StriaeRules *
striae_consultation_session_get_rules (StriaeConsultationSession *self)
{
  g_return_val_if_fail (STRIAE_IS_CONSULTATION_SESSION (self), NULL);
  return self->rules;
}

/**
 * striae_consultation_session_open:
 * @consultation: (nullable): a draft to continue or a signed record to show; %NULL starts a
 *   new consultation of @patient dated today, saved at the next pause
 *
 * Saves the draft open until now if it changed, then works on @consultation, with the
 * clinic's rules as the records' store holds them now (a change in the preferences applies
 * to the next consultation opened).
 */
void
striae_consultation_session_open (StriaeConsultationSession *self,
                                  StriaePatient             *patient,
                                  StriaeConsultation        *consultation)
{
  g_autoptr(StriaeConsultation) fresh = NULL;

  g_return_if_fail (STRIAE_IS_CONSULTATION_SESSION (self));
  g_return_if_fail (STRIAE_IS_PATIENT (patient));
  g_return_if_fail (consultation == NULL || STRIAE_IS_CONSULTATION (consultation));

  if (self->consultation != NULL && self->consultation != consultation)
    {
      if (self->dirty && !self->is_signed)
        save_before_leaving (self);
      disconnect_consultation (self);
      set_conflict (self, NULL);
      set_save_error (self, NULL);
    }
  clear_save_timeout (self);

  if (consultation == NULL)
    {
      GDate today;

      striae_get_today (&today);
      fresh = striae_consultation_new ();
      striae_consultation_set_patient_id (fresh, striae_patient_get_id (patient));
      striae_consultation_set_date (fresh, &today);
      consultation = fresh;
    }

  g_object_freeze_notify (G_OBJECT (self));

  if (g_set_object (&self->patient, patient))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PATIENT]);
  update_patient_title (self);
  if (self->consultation != consultation)
    {
      g_set_object (&self->consultation, consultation);
      g_signal_connect_swapped (consultation, "changed",
                                G_CALLBACK (consultation_changed_cb), self);
    }
  /* Opened again (signed since, say), it is shown again as it now is: notified all the
   * same. */
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CONSULTATION]);
  self->dirty = fresh != NULL;

  if (self->records != NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(StriaeRules) rules = NULL;

      rules = striae_store_load_rules (striae_wizard_records_get_store (self->records), &error);
      if (rules == NULL)
        g_message ("Keeping the previous rule settings: %s", error->message);
      else if (g_set_object (&self->rules, rules))
        g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_RULES]);
    }

  recompute (self);

  g_object_thaw_notify (G_OBJECT (self));
}

/* Saves what is not saved yet, now, and stops the saves waiting or running (what they would
 * write is written here): for closing the window. The session can be used again. */
void
striae_consultation_session_close (StriaeConsultationSession *self)
{
  g_return_if_fail (STRIAE_IS_CONSULTATION_SESSION (self));

  /* A save running in a worker thread holds the session until it is done, so a save is
   * rarely under way here; should it be, it is cancelled below: write the draft and its page
   * in this thread instead. */
  if ((self->dirty || self->saving) && self->consultation != NULL)
    save_before_leaving (self);
  g_clear_handle_id (&self->save_timeout, g_source_remove);
  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
      self->cancellable = g_cancellable_new ();
    }
}

StriaePatient *
striae_consultation_session_get_patient (StriaeConsultationSession *self)
{
  g_return_val_if_fail (STRIAE_IS_CONSULTATION_SESSION (self), NULL);
  return self->patient;
}

StriaeConsultation *
striae_consultation_session_get_consultation (StriaeConsultationSession *self)
{
  g_return_val_if_fail (STRIAE_IS_CONSULTATION_SESSION (self), NULL);
  return self->consultation;
}

const char *
striae_consultation_session_get_patient_title (StriaeConsultationSession *self)
{
  g_return_val_if_fail (STRIAE_IS_CONSULTATION_SESSION (self), NULL);
  return self->patient_title;
}

StriaeScreening *
striae_consultation_session_get_screening (StriaeConsultationSession *self)
{
  g_return_val_if_fail (STRIAE_IS_CONSULTATION_SESSION (self), NULL);
  return self->screening;
}

StriaeRecommendation *
striae_consultation_session_get_recommendation (StriaeConsultationSession *self)
{
  g_return_val_if_fail (STRIAE_IS_CONSULTATION_SESSION (self), NULL);
  return self->recommendation;
}

/* The named facts of the consultation as it stands (striae-recommendation.h), or NULL. */
const char * const *
striae_consultation_session_get_facts (StriaeConsultationSession *self)
{
  g_return_val_if_fail (STRIAE_IS_CONSULTATION_SESSION (self), NULL);
  return self->recommendation != NULL
         ? striae_recommendation_get_facts (self->recommendation) : NULL;
}

gboolean
striae_consultation_session_get_signed (StriaeConsultationSession *self)
{
  g_return_val_if_fail (STRIAE_IS_CONSULTATION_SESSION (self), FALSE);
  return self->is_signed;
}

gboolean
striae_consultation_session_get_read_only (StriaeConsultationSession *self)
{
  g_return_val_if_fail (STRIAE_IS_CONSULTATION_SESSION (self), FALSE);
  return self->read_only;
}

/**
 * striae_consultation_session_dup_signed_at:
 *
 * Returns: (transfer full) (nullable): when the revision shown was signed, as the store
 *   recorded it (UTC); %NULL when it is not signed or the store does not say
 */
GDateTime *
striae_consultation_session_dup_signed_at (StriaeConsultationSession *self)
{
  GDateTime *signed_at = NULL;

  g_return_val_if_fail (STRIAE_IS_CONSULTATION_SESSION (self), NULL);

  if (self->records == NULL || self->consultation == NULL ||
      !striae_store_get_signature (striae_wizard_records_get_store (self->records),
                                   striae_consultation_get_id (self->consultation),
                                   striae_consultation_get_revision (self->consultation), NULL,
                                   &signed_at, NULL))
    return NULL;
  return signed_at;
}

const char *
striae_consultation_session_get_problem (StriaeConsultationSession *self)
{
  g_return_val_if_fail (STRIAE_IS_CONSULTATION_SESSION (self), NULL);
  return self->problem;
}

guint
striae_consultation_session_get_history_missing (StriaeConsultationSession *self)
{
  g_return_val_if_fail (STRIAE_IS_CONSULTATION_SESSION (self), 0);
  return self->history_missing;
}

guint
striae_consultation_session_get_skin_missing (StriaeConsultationSession *self)
{
  g_return_val_if_fail (STRIAE_IS_CONSULTATION_SESSION (self), 0);
  return self->skin_missing;
}

guint
striae_consultation_session_get_areas_missing (StriaeConsultationSession *self)
{
  g_return_val_if_fail (STRIAE_IS_CONSULTATION_SESSION (self), 0);
  return self->areas_missing;
}

/**
 * striae_consultation_session_is_page_complete:
 * @page: a wizard page: "patient", "history", "skin", "areas", "plan" or "summary"
 *   (complete once signed)
 */
gboolean
striae_consultation_session_is_page_complete (StriaeConsultationSession *self,
                                              const char                *page)
{
  int index;

  g_return_val_if_fail (STRIAE_IS_CONSULTATION_SESSION (self), FALSE);

  index = find_page (page);
  g_return_val_if_fail (index >= 0, FALSE);

  return self->consultation != NULL && self->complete[index];
}

const char *
striae_consultation_session_get_page (StriaeConsultationSession *self)
{
  g_return_val_if_fail (STRIAE_IS_CONSULTATION_SESSION (self), NULL);
  return self->page;
}

void
striae_consultation_session_set_page (StriaeConsultationSession *self,
                                      const char                *page)
{
  g_return_if_fail (STRIAE_IS_CONSULTATION_SESSION (self));

  if (g_strcmp0 (self->page, page) == 0)
    return;
  g_free (self->page);
  self->page = g_strdup (page);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PAGE]);
}

/* The page the draft was left on, as its last save recorded it, or NULL. */
char *
striae_consultation_session_dup_resume_page (StriaeConsultationSession *self)
{
  g_return_val_if_fail (STRIAE_IS_CONSULTATION_SESSION (self), NULL);

  if (self->records == NULL || self->consultation == NULL ||
      striae_consultation_get_id (self->consultation) == 0)
    return NULL;

  return striae_wizard_records_dup_resume_page (self->records,
                                                striae_consultation_get_id (self->consultation));
}

gboolean
striae_consultation_session_is_saving (StriaeConsultationSession *self)
{
  g_return_val_if_fail (STRIAE_IS_CONSULTATION_SESSION (self), FALSE);
  return self->saving || self->save_timeout != 0;
}

/**
 * striae_consultation_session_save_draft:
 *
 * Writes the draft in a thread, with the page it is on; a change made during the write saves
 * again afterwards. Does nothing for a signed record.
 */
void
striae_consultation_session_save_draft (StriaeConsultationSession *self)
{
  gboolean before;

  g_return_if_fail (STRIAE_IS_CONSULTATION_SESSION (self));

  before = striae_consultation_session_is_saving (self);
  g_clear_handle_id (&self->save_timeout, g_source_remove);
  start_save (self);
  if (before != striae_consultation_session_is_saving (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SAVING]);
}

/* Saves the draft in this thread, now: for leaving the wizard and closing the window. */
gboolean
striae_consultation_session_save_now (StriaeConsultationSession  *self,
                                      GError                    **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean ok;

  g_return_val_if_fail (STRIAE_IS_CONSULTATION_SESSION (self), FALSE);

  clear_save_timeout (self);
  if (self->consultation == NULL || self->records == NULL || self->read_only)
    return TRUE;

  self->dirty = FALSE;
  g_signal_handlers_block_by_func (self->consultation, consultation_changed_cb, self);
  ok = striae_wizard_records_save (self->records, self->consultation, self->page, &local_error);
  g_signal_handlers_unblock_by_func (self->consultation, consultation_changed_cb, self);

  if (!ok)
    {
      if (is_conflict (local_error))
        {
          self->dirty = TRUE;
          set_conflict (self, local_error->message);
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
    }

  return ok;
}

/* Saves what is not saved yet before the session leaves the consultation. When another
 * computer changed or signed it since, nobody is there to choose any more: what was typed
 * is kept as a new draft rather than lost, and the other computer's version stays. */
static void
save_before_leaving (StriaeConsultationSession *self)
{
  g_autoptr(GError) error = NULL;

  if (striae_consultation_session_save_now (self, &error) || !is_conflict (error))
    return;

  g_clear_error (&error);
  if (!striae_consultation_session_keep_as_new_draft (self, &error))
    g_warning ("The draft could not be kept as a new draft: %s", error->message);
}

static void
drop_pending_saves (StriaeConsultationSession *self)
{
  clear_save_timeout (self);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
}

/**
 * striae_consultation_session_get_conflict:
 *
 * Returns: (nullable): why the consultation's last save (or signature) was refused because
 *   another computer changed or signed it since it was opened, or %NULL. While it is set,
 *   edits are kept in the session and not saved, until
 *   striae_consultation_session_reload() or striae_consultation_session_keep_as_new_draft().
 */
const char *
striae_consultation_session_get_conflict (StriaeConsultationSession *self)
{
  g_return_val_if_fail (STRIAE_IS_CONSULTATION_SESSION (self), NULL);
  return self->conflict;
}

/**
 * striae_consultation_session_get_save_error:
 *
 * Returns: (nullable): why the consultation's last save failed (other than a conflict, or
 *   the clinic server gone, when it is kept on this computer), or %NULL once a save worked
 */
const char *
striae_consultation_session_get_save_error (StriaeConsultationSession *self)
{
  g_return_val_if_fail (STRIAE_IS_CONSULTATION_SESSION (self), NULL);
  return self->save_error;
}

/**
 * striae_consultation_session_reload:
 *
 * Drops the edits not saved and opens the consultation as the store now holds it (as
 * another computer changed or signed it).
 */
gboolean
striae_consultation_session_reload (StriaeConsultationSession  *self,
                                    GError                    **error)
{
  g_autoptr(StriaeConsultation) stored = NULL;
  g_autoptr(StriaePatient) patient = NULL;

  g_return_val_if_fail (STRIAE_IS_CONSULTATION_SESSION (self), FALSE);
  g_return_val_if_fail (self->consultation != NULL && self->records != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stored = striae_store_get_consultation (striae_wizard_records_get_store (self->records),
                                          striae_consultation_get_id (self->consultation),
                                          error);
  if (stored == NULL)
    return FALSE;

  drop_pending_saves (self);
  self->dirty = FALSE;
  set_conflict (self, NULL);
  /* The version kept on this computer is the one the user chose not to keep. */
  striae_store_discard_spooled (striae_wizard_records_get_store (self->records),
                                striae_consultation_get_id (self->consultation),
                                striae_consultation_get_local_id (self->consultation));
  patient = g_object_ref (self->patient);
  striae_consultation_session_open (self, patient, stored);
  return TRUE;
}

/**
 * striae_consultation_session_keep_as_new_draft:
 *
 * Keeps the consultation as it is here as a new draft of the patient
 * (striae_wizard_records_keep_as_new_draft()), which the session then works on; the one
 * another computer changed or signed stays as it is.
 */
gboolean
striae_consultation_session_keep_as_new_draft (StriaeConsultationSession  *self,
                                               GError                    **error)
{
  gint64 old_id;
  gboolean ok;

  g_return_val_if_fail (STRIAE_IS_CONSULTATION_SESSION (self), FALSE);
  g_return_val_if_fail (self->consultation != NULL && self->records != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  drop_pending_saves (self);
  old_id = striae_consultation_get_id (self->consultation);
  g_signal_handlers_block_by_func (self->consultation, consultation_changed_cb, self);
  ok = striae_wizard_records_keep_as_new_draft (self->records, self->consultation, self->page,
                                                error);
  g_signal_handlers_unblock_by_func (self->consultation, consultation_changed_cb, self);
  if (!ok)
    return FALSE;

  /* Kept as a new draft now: what waited on this computer under the old number is stored. */
  striae_store_discard_spooled (striae_wizard_records_get_store (self->records), old_id,
                                striae_consultation_get_local_id (self->consultation));
  self->dirty = FALSE;
  set_conflict (self, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CONSULTATION]);
  recompute (self);
  return TRUE;
}

/**
 * striae_consultation_session_sign:
 * @not_treated_reason: (nullable): signs as not treated, for this reason
 * @see_again: (nullable): with @not_treated_reason, when to see the patient again
 *
 * Signs the consultation as @practitioner. Saves waiting are dropped: the signature saves it
 * all. The consultation is signed, read-only, when this returns %TRUE.
 */
gboolean
striae_consultation_session_sign (StriaeConsultationSession  *self,
                                  const char                 *practitioner,
                                  const char                 *not_treated_reason,
                                  const GDate                *see_again,
                                  GError                    **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean ok;

  g_return_val_if_fail (STRIAE_IS_CONSULTATION_SESSION (self), FALSE);
  g_return_val_if_fail (self->consultation != NULL, FALSE);
  g_return_val_if_fail (practitioner != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  clear_save_timeout (self);

  if (self->records == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                           _("There is no database to sign the consultation in."));
      return FALSE;
    }

  /* Naming the signer and the rules is part of signing, no edit to save on its own. */
  g_signal_handlers_block_by_func (self->consultation, consultation_changed_cb, self);
  striae_consultation_set_rules (self->consultation, STRIAE_RULES_FORMAT,
                                 striae_screening_get_rules_hash (self->screening));
  striae_consultation_set_practitioner (self->consultation, practitioner);
  if (not_treated_reason != NULL)
    ok = striae_wizard_records_sign_not_treated (self->records, self->consultation,
                                                 practitioner, not_treated_reason, see_again,
                                                 &local_error);
  else
    ok = striae_wizard_records_sign (self->records, self->consultation, practitioner,
                                     &local_error);
  g_signal_handlers_unblock_by_func (self->consultation, consultation_changed_cb, self);

  if (ok)
    self->dirty = FALSE;
  else
    {
      /* Signed elsewhere, or changed there since it was opened: never signed unseen. */
      if (is_conflict (local_error))
        set_conflict (self, local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
    }
  recompute (self);

  return ok;
}

/**
 * striae_consultation_session_dup_clinic:
 *
 * Returns: (transfer full) (nullable): the clinic's settings as the sheets print them now
 *   (name, phone, language…), or %NULL without the application's settings schema (a bare
 *   test run)
 */
StriaeClinicSettings *
striae_consultation_session_dup_clinic (StriaeConsultationSession *self)
{
  g_return_val_if_fail (STRIAE_IS_CONSULTATION_SESSION (self), NULL);

  if (self->settings == NULL)
    {
      GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
      g_autoptr(GSettingsSchema) schema = NULL;

      if (source != NULL)
        schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
      if (schema == NULL)
        return NULL;
      self->settings = g_settings_new (APP_ID);
    }

  /* On a clinic server, the clinic's settings are the records' (the one place that says so);
   * without records yet, this computer's. */
  if (self->records != NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *override_dir = NULL;
      StriaeClinicSettings *clinic;

      clinic = striae_clinic_cache_dup_settings (striae_wizard_records_get_store (self->records),
                                                 self->settings, &override_dir, &error);
      if (clinic != NULL)
        return clinic;
      g_debug ("The clinic’s settings could not be read from the records: %s",
               error->message);
    }
  return striae_clinic_settings_new_from_gsettings (self->settings);
}
