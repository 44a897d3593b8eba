/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "striae-store.h"

G_BEGIN_DECLS

/* The records the photo benchmarks make (bench-photos, bench-photo-grid): their photo and
 * their patient. A failure stops the benchmark with its message (g_error()). */

/* A photo-like JPEG of @width × @height at JPEG @quality: smooth shading with fine noise, as
 * skin under a clinic's light, so that it compresses like a camera's (a flat image would
 * flatter every figure). The same seed each time: the same bytes in every run. */
GBytes *striae_bench_make_photo  (int          width,
                                  int          height,
                                  int          quality);
/* The day of the benchmark's records, 2 March 2026: its patient's birth and the date of the
 * consultations made for them. */
void    striae_bench_day         (GDate       *date);
/* Adds the benchmark's patient, Zoë Benchmark, born on striae_bench_day(), with consent to
 * clinical photos. Returns their id. */
gint64  striae_bench_add_patient (StriaeStore *store);

G_END_DECLS
