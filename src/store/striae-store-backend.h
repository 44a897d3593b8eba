/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "striae-patient.h"

G_BEGIN_DECLS

#define STRIAE_TYPE_STORE_BACKEND (striae_store_backend_get_type ())

G_DECLARE_INTERFACE (StriaeStoreBackend, striae_store_backend, STRIAE, STORE_BACKEND, GObject)

/* Where the records live: the seam between the records layer (StriaeStore: validation, the
 * consultation life cycle, the audit chain, erasure, import and export) and one storage
 * engine. Whatever differs between engines (placeholders, upserts, JSON access, full-text
 * search, locking) stays behind it; src/store/sqlite/ implements it for a single file.
 *
 * The write lock keeps a statement or a transaction whole when several threads share the
 * backend: the records layer takes it around every transaction it opens. Errors are
 * STRIAE_STORE_ERROR, in sentences the user can act on.
 *
 * Still to come behind this seam (issue 13): erasing patients, consultations, revisions, audit rows,
 * settings and rules, and backup; the records layer reaches them
 * through the SQLite backend's private header until each moves here. */
/* What the records layer lends a migration: how it computes the search names of a patient
 * (for a backfill), and C code that a step needs besides the backend's statements, run
 * inside the step's transaction after them (@data is the migrate call's). */
typedef struct
{
  char     *(*search_names) (const char  *given,
                             const char  *family);
  gboolean  (*after_step)   (int          version,
                             gpointer     data,
                             GError     **error);
} StriaeStoreMigrationHooks;

/* What the records layer computes for a patient's row besides the patient's fields, and
 * what the backend stores with them: the phone number's digits (so that "0612" finds
 * "06 12 34 56 78"), the sort key (names folded, for the register's order) and the search
 * names (spellings typed without the letters the index does not fold). */
typedef struct
{
  char *phone_digits;
  char *sort_key;
  char *search_names;
} StriaeStorePatientKeys;

struct _StriaeStoreBackendInterface
{
  GTypeInterface parent_iface;

  /* The engine and its version, for reports and the benchmark, e.g. "SQLite 3.40.1". */
  char      *(*dup_engine)              (StriaeStoreBackend  *self);

  /* The schema version of the records, and the newest this backend knows. Each step of
   * migrate moves the schema one version up in a transaction of its own; a newer schema
   * than the backend knows is refused with STRIAE_STORE_ERROR_TOO_NEW. */
  int        (*get_schema_version)      (StriaeStoreBackend  *self);
  int        (*get_latest_schema_version) (StriaeStoreBackend *self);
  gboolean   (*migrate)                 (StriaeStoreBackend              *self,
                                         const StriaeStoreMigrationHooks *hooks,
                                         gpointer                         data,
                                         GError                         **error);

  /* Caps the size of the records (as the engine counts it); writes beyond it fail with
   * STRIAE_STORE_ERROR_FULL, as on a full disk. 0 lifts the cap. For tests. */
  gboolean   (*set_size_limit)          (StriaeStoreBackend  *self,
                                         guint64              max_bytes,
                                         GError             **error);

  void       (*lock)                    (StriaeStoreBackend  *self);
  void       (*unlock)                  (StriaeStoreBackend  *self);

  /* A write transaction, which takes the engine's write lock at once, so that it cannot
   * fail half-way for another writer; commit and rollback end it. Rollback does nothing
   * outside a transaction. */
  gboolean   (*begin)                   (StriaeStoreBackend  *self,
                                         GError             **error);
  gboolean   (*commit)                  (StriaeStoreBackend  *self,
                                         GError             **error);
  void       (*rollback)                (StriaeStoreBackend  *self);

  /* Patients. Not found is no error: @patient NULL, or @found FALSE, and the records layer
   * says so. set_patient_archived and update_patient run in the caller's transaction;
   * @changed is FALSE when the patient already was as asked; @created is the row's creation
   * time. count_patients gives -1 with @error set. */
  gboolean   (*get_patient)             (StriaeStoreBackend  *self,
                                         gint64               id,
                                         StriaePatient      **patient,
                                         GError             **error);
  gboolean   (*get_patient_archived)    (StriaeStoreBackend  *self,
                                         gint64               id,
                                         gboolean            *found,
                                         gboolean            *archived,
                                         GError             **error);
  gboolean   (*set_patient_archived)    (StriaeStoreBackend  *self,
                                         gint64               id,
                                         gboolean             archived,
                                         gboolean            *found,
                                         gboolean            *changed,
                                         GError             **error);
  gboolean   (*update_patient)          (StriaeStoreBackend            *self,
                                         StriaePatient                 *patient,
                                         const StriaeStorePatientKeys  *keys,
                                         GDateTime                     *now,
                                         gboolean                      *found,
                                         GDateTime                    **created,
                                         GError                       **error);
  gint64     (*count_patients)          (StriaeStoreBackend  *self,
                                         GError             **error);

  /* Adds @patients (StriaePatient, validated by the records layer) with their @keys, in the
   * caller's transaction, created and updated at @now; @record_ids (nullable; an entry
   * NULL for a new one) are their record ids. Their ids go into @ids, in order; nothing is
   * set on the patients. A backend may make a large batch faster than one row at a time. */
  gboolean   (*insert_patients)         (StriaeStoreBackend            *self,
                                         GPtrArray                     *patients,
                                         const StriaeStorePatientKeys  *keys,
                                         const char * const            *record_ids,
                                         GDateTime                     *now,
                                         gint64                        *ids,
                                         GError                       **error);

  /* The ids (gint64) of the patients matching @text, best first (names weigh most, then
   * phone and date of birth, then the email address); every word typed is a prefix and all
   * must match; when every word is a group of digits, the digits run together also match a
   * phone number. An empty @text (or one with nothing searchable) lists everyone by sort key.
   * Only archived patients when @archived, only the others otherwise. @limit 0 means none.
   * Called from worker threads; @cancellable stops a long search. */
  GArray    *(*search_patients)         (StriaeStoreBackend  *self,
                                         const char          *text,
                                         guint                limit,
                                         gboolean             archived,
                                         GCancellable        *cancellable,
                                         GError             **error);

  /* The consultations whose latest revision is signed or complete, not signed as not
   * treated, and whose plan's first session lies between @first_from and @first_to
   * (inclusive), by the patient's family and given name: their ids (gint64). */
  GArray    *(*find_session_candidates) (StriaeStoreBackend  *self,
                                         const GDate         *first_from,
                                         const GDate         *first_to,
                                         GError             **error);
};

char      *striae_store_backend_dup_engine (StriaeStoreBackend  *self);
int        striae_store_backend_get_schema_version (StriaeStoreBackend *self);
int        striae_store_backend_get_latest_schema_version (StriaeStoreBackend *self);
gboolean   striae_store_backend_migrate    (StriaeStoreBackend              *self,
                                            const StriaeStoreMigrationHooks *hooks,
                                            gpointer                         data,
                                            GError                         **error);
gboolean   striae_store_backend_set_size_limit (StriaeStoreBackend  *self,
                                                guint64              max_bytes,
                                                GError             **error);
void       striae_store_backend_lock       (StriaeStoreBackend  *self);
void       striae_store_backend_unlock     (StriaeStoreBackend  *self);
gboolean   striae_store_backend_begin      (StriaeStoreBackend  *self,
                                            GError             **error);
gboolean   striae_store_backend_commit     (StriaeStoreBackend  *self,
                                            GError             **error);
void       striae_store_backend_rollback   (StriaeStoreBackend  *self);
gboolean   striae_store_backend_get_patient (StriaeStoreBackend  *self,
                                             gint64               id,
                                             StriaePatient      **patient,
                                             GError             **error);
gboolean   striae_store_backend_get_patient_archived (StriaeStoreBackend  *self,
                                                      gint64               id,
                                                      gboolean            *found,
                                                      gboolean            *archived,
                                                      GError             **error);
gboolean   striae_store_backend_set_patient_archived (StriaeStoreBackend  *self,
                                                      gint64               id,
                                                      gboolean             archived,
                                                      gboolean            *found,
                                                      gboolean            *changed,
                                                      GError             **error);
gboolean   striae_store_backend_update_patient (StriaeStoreBackend            *self,
                                                StriaePatient                 *patient,
                                                const StriaeStorePatientKeys  *keys,
                                                GDateTime                     *now,
                                                gboolean                      *found,
                                                GDateTime                    **created,
                                                GError                       **error);
gboolean   striae_store_backend_insert_patients (StriaeStoreBackend            *self,
                                                 GPtrArray                     *patients,
                                                 const StriaeStorePatientKeys  *keys,
                                                 const char * const            *record_ids,
                                                 GDateTime                     *now,
                                                 gint64                        *ids,
                                                 GError                       **error);
gint64     striae_store_backend_count_patients (StriaeStoreBackend  *self,
                                                GError             **error);
GArray    *striae_store_backend_search_patients (StriaeStoreBackend  *self,
                                                 const char          *text,
                                                 guint                limit,
                                                 gboolean             archived,
                                                 GCancellable        *cancellable,
                                                 GError             **error);
GArray    *striae_store_backend_find_session_candidates (StriaeStoreBackend  *self,
                                                         const GDate         *first_from,
                                                         const GDate         *first_to,
                                                         GError             **error);

void       striae_store_patient_keys_clear (StriaeStorePatientKeys *keys);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (StriaeStorePatientKeys, striae_store_patient_keys_clear)

GPtrArray *striae_store_backend_split_words (const char *text);

G_END_DECLS
