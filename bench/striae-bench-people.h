/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "striae-patient.h"

G_BEGIN_DECLS

/* The seed of the registers the benchmarks make: the same people on every run. */
#define STRIAE_BENCH_PEOPLE_SEED 20261123

/* A synthetic patient, the @serial-th drawn from @rand: a name of one of ten languages, a
 * birth date between 1935 and 2008, and most of the time a phone and an e-mail address. */
StriaePatient *striae_bench_people_make       (GRand      *rand,
                                               guint       serial);
/* The ASCII letters of @name, lower case (an e-mail address's, or a name typed on a keyboard
 * without its letters), or %NULL for a name in a script without them. */
char          *striae_bench_people_ascii_part (const char *name);

G_END_DECLS
