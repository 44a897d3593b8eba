/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "striae-store.h"

G_BEGIN_DECLS

/* A clinic's records on the private server of tests/with-postgresql, for a benchmark: a
 * database of its own owned by a login of IT's, set up with striae_store_server_init(), and
 * one staff login in a group. Everything made is dropped again by bench_clinic_server_free(),
 * the group roles too when this clinic made them, unless @keep is set (for another program to
 * use; the private server and all it holds go when tests/with-postgresql ends). */
typedef struct
{
  char  *super_uri;   /* the server's superuser, database `postgres` */
  char  *database;
  char  *owner;
  char  *login;
  char  *owner_uri;   /* the database's owner: sets up and fills the records */
  char  *login_uri;   /* the staff login: what the timed command runs as */
  GStrv  created_roles;
  gboolean keep;
} BenchClinicServer;

gboolean           bench_clinic_server_available (void);
BenchClinicServer *bench_clinic_server_new       (const char         *database,
                                                  const char         *login,
                                                  StriaeStaffRole     role,
                                                  GError            **error);
gboolean           bench_clinic_server_exec      (BenchClinicServer  *self,
                                                  const char         *sql,
                                                  GError            **error);
void               bench_clinic_server_free      (BenchClinicServer  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BenchClinicServer, bench_clinic_server_free)

G_END_DECLS
