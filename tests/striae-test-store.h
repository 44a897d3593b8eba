/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "striae-store.h"

G_BEGIN_DECLS

/* The store suite runs against the backend that STRIAE_TEST_BACKEND names: "sqlite" (the
 * default), or another once it exists (`meson test --setup=sqlite` sets it; see
 * tests/meson.build). A test opens its records through these helpers, so that the same test
 * runs against each backend; the few checks only a file allows (its bytes, its header) stay
 * in tests registered when striae_test_backend_is ("sqlite").
 *
 * The query helpers run SQL on the records behind the store's back, as someone holding the
 * file (or the server's superuser) could: to look at what the store wrote, or to tamper with
 * it. Their SQL is plain enough for any backend. */

/* What became of SQL run behind the store's back with striae_test_store_try_exec(). */
typedef enum
{
  STRIAE_TEST_SQL_DONE,     /* it ran */
  STRIAE_TEST_SQL_REFUSED,  /* a constraint or trigger of the records refused it */
  STRIAE_TEST_SQL_INVALID,  /* it does not fit the schema: no such column, a generated one */
} StriaeTestSql;

const char  *striae_test_backend       (void);
gboolean     striae_test_backend_is    (const char  *name);
char        *striae_test_store_actor   (const char  *typed);

char        *striae_test_store_location (const char *dir);
char        *striae_test_store_other_location (const char *dir,
                                               const char *name);
StriaeStore *striae_test_store_open    (const char  *location);
void         striae_test_store_remove  (const char  *location);

gint64       striae_test_store_query_int  (const char *location,
                                           const char *sql);
char        *striae_test_store_query_text (const char *location,
                                           const char *sql);
GPtrArray   *striae_test_store_query_column (const char *location,
                                             const char *sql);
void         striae_test_store_exec       (const char *location,
                                           const char *sql);
StriaeTestSql striae_test_store_try_exec  (const char *location,
                                           const char *sql);
void         striae_test_store_assert_intact (const char *location);
void         striae_test_store_refuse_insert (const char *location,
                                              const char *table,
                                              const char *condition);
char        *striae_test_sql_literal      (const char *text);
char        *striae_test_store_dump       (const char *location);
void         striae_test_store_pg_ctl     (const char *action);

/* How many entries of @action the audit log of the records at @location holds. */
gint64       striae_test_store_count_audit (const char *location,
                                            const char *action);

/* Runs the main context until @condition holds, STRIAE_TEST_WAIT_MS at most (a slow machine
 * under a sanitizer, or the CI's whole suite beside other work); FALSE when it did not. */
#define STRIAE_TEST_WAIT_MS 30000
typedef gboolean (*StriaeTestCondition) (gpointer data);
gboolean     striae_test_wait_for         (StriaeTestCondition  condition,
                                           gpointer             data);
/* A condition: the records at @store (a StriaeStore) answer again after the server stopped. */
gboolean     striae_test_store_answers    (gpointer             store);

/* A store test's records (g_test_add()'s fixture): a folder of its own, the records in it
 * on the backend of the run, and one patient, Inès Moreau, born 2 April 1991. */
typedef struct
{
  char        *dir;
  char        *location;
  StriaeStore *store;
  gint64       patient;
} StriaeTestRecords;

void         striae_test_records_set_up    (StriaeTestRecords *records,
                                            gconstpointer      data);
void         striae_test_records_tear_down (StriaeTestRecords *records,
                                            gconstpointer      data);
/* Adds patient @given @family, born 2 April 1991; returns their id. */
gint64       striae_test_store_add_patient (StriaeStore       *store,
                                            const char        *given,
                                            const char        *family);
/* A session record of @consultation, complete for signing: session @number on @date
 * (YYYY-MM-DD) at 14:00 by Dr Roux, no numbing cream, tolerance 3, 4 passes on the first
 * area, numbing cream of lot @lot (use by 31 January 2028), the check clear. */
StriaeTreatmentSession *striae_test_session_new (StriaeConsultation *consultation,
                                                 guint               number,
                                                 const char         *date,
                                                 const char         *lot);
/* A course of treatment for patient @patient, complete and saved by Dr Roux: a consultation
 * on 2 March 2026, nothing of note in the history or on the skin (type III) and every
 * screening finding acknowledged (a minor's age): the thighs on @side
 * (STRIAE_SIDE_NOT_APPLICABLE for none), moderate white marks at 1 mm with a pen, 3 sessions
 * 4 weeks apart from 9 March 2026, then a maintenance session every @maintenance_months
 * months (0 for none). Returns it as saved. */
StriaeConsultation *striae_test_store_add_course   (StriaeStore        *store,
                                                    gint64              patient,
                                                    StriaeSide          side,
                                                    guint               maintenance_months);
/* Signs @consultation as Dr Roux; returns it as read back. */
StriaeConsultation *striae_test_store_sign_course  (StriaeStore        *store,
                                                    StriaeConsultation *consultation);
/* The course of striae_test_store_add_course() without maintenance, signed. Returns the
 * consultation's id. */
gint64       striae_test_store_add_signed_course (StriaeStore *store,
                                                  gint64       patient,
                                                  StriaeSide   side);

G_END_DECLS
