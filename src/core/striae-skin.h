/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "striae-history.h"

G_BEGIN_DECLS

#define STRIAE_FITZPATRICK_MAX 6
#define STRIAE_SKIN_PRODUCTS_MAX 2000

/* Yes/no facts about the skin of the area. Each is a relative contraindication of
 * CLINICAL.md [contra]; the time windows are CLINICAL.md's. */
typedef enum
{
  STRIAE_SKIN_FACT_SENSITIVE,           /* sensitive skin */
  STRIAE_SKIN_FACT_RECENT_SUN,          /* sun, tan or sunburn on the area, last 2 weeks */
  STRIAE_SKIN_FACT_RECENT_RESURFACING,  /* laser, peel or resurfacing there, last 4 weeks */
  STRIAE_SKIN_FACT_RETINOIDS,           /* topical retinoids or AHA/BHA acids in use */
  STRIAE_SKIN_FACT_PIH_HISTORY,         /* past PIH or adverse reactions to skin treatment */
} StriaeSkinFact;

#define STRIAE_N_SKIN_FACTS (STRIAE_SKIN_FACT_PIH_HISTORY + 1)

typedef struct
{
  StriaeSkinFact  fact;
  const char     *id;     /* stable, used as property name and in JSON */
  const char     *label;  /* untranslated; use striae_skin_fact_get_label() */
} StriaeSkinFactInfo;

const StriaeSkinFactInfo *striae_skin_fact_get_info  (StriaeSkinFact fact);
const char               *striae_skin_fact_get_label (StriaeSkinFact fact);
gboolean                  striae_skin_fact_from_id   (const char     *id,
                                                      StriaeSkinFact *fact);

/* The six Fitzpatrick types [fitzpatrick]: 1 ("I") to 6 ("VI"); 0 means not recorded. */
const char *striae_fitzpatrick_get_numeral     (guint type);
const char *striae_fitzpatrick_get_description (guint type);
gboolean    striae_fitzpatrick_is_pih_risk     (guint type);

#define STRIAE_TYPE_SKIN (striae_skin_get_type ())

G_DECLARE_FINAL_TYPE (StriaeSkin, striae_skin, STRIAE, SKIN, GObject)

StriaeSkin   *striae_skin_new             (void);
void          striae_skin_copy_into       (StriaeSkin     *self,
                                           StriaeSkin     *dest);
guint         striae_skin_get_fitzpatrick (StriaeSkin     *self);
void          striae_skin_set_fitzpatrick (StriaeSkin     *self,
                                           guint           type);
StriaeAnswer  striae_skin_get_fact        (StriaeSkin     *self,
                                           StriaeSkinFact  fact);
void          striae_skin_set_fact        (StriaeSkin     *self,
                                           StriaeSkinFact  fact,
                                           StriaeAnswer    answer);
const char   *striae_skin_get_products    (StriaeSkin     *self);
void          striae_skin_set_products    (StriaeSkin     *self,
                                           const char     *products);
gboolean      striae_skin_validate        (StriaeSkin     *self,
                                           GError        **error);

G_END_DECLS
