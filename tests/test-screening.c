/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "striae-core-enums.h"
#include "striae-core-error.h"
#include "striae-rules.h"
#include "striae-screening.h"
#include "striae-test-date.h"

static void
set_date (GDate *date,
          guint  year,
          guint  month,
          guint  day)
{
  g_date_clear (date, 1);
  g_date_set_dmy (date, day, month, year);
}

/* A consultation where every question is answered "no", the skin is type II with nothing
 * of note, and a pen is planned: nothing to find. */
static StriaeConsultation *
clean_consultation (void)
{
  StriaeConsultation *c = striae_consultation_new ();
  StriaeHistory *history = striae_consultation_get_history (c);
  StriaeSkin *skin = striae_consultation_get_skin (c);

  for (guint q = 0; q < STRIAE_N_QUESTIONS; q++)
    striae_history_set_answer (history, q, STRIAE_ANSWER_NO);
  for (guint f = 0; f < STRIAE_N_SKIN_FACTS; f++)
    striae_skin_set_fact (skin, f, STRIAE_ANSWER_NO);
  striae_skin_set_fitzpatrick (skin, 2);
  striae_plan_set_device (striae_consultation_get_plan (c), STRIAE_DEVICE_PEN);

  return c;
}

typedef struct
{
  GDate today;
  GDate adult;
} Dates;

static void
dates_init (Dates *d)
{
  set_date (&d->today, 2026, 11, 23);
  set_date (&d->adult, 1990, 5, 12);
}

static guint
n_findings (StriaeScreening *s)
{
  return g_list_model_get_n_items (striae_screening_get_findings (s));
}

static StriaeFinding *
finding_at (StriaeScreening *s,
            guint            i)
{
  g_autoptr(StriaeFinding) f = g_list_model_get_item (striae_screening_get_findings (s), i);
  return f;  /* the store keeps a reference */
}

static void
test_clean (void)
{
  g_autoptr(StriaeConsultation) c = clean_consultation ();
  g_autoptr(StriaeRules) rules = striae_rules_new ();
  g_autoptr(StriaeScreening) s = NULL;
  g_autoptr(GError) error = NULL;
  Dates d;

  dates_init (&d);
  s = striae_screen (c, rules, &d.adult, &d.today);
  g_assert_cmpuint (n_findings (s), ==, 0);
  g_assert_false (striae_screening_has_absolute (s));
  g_assert_true (striae_screening_all_relative_acknowledged (s));
  g_assert_true (striae_screening_can_proceed (s, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (striae_screening_get_rules_hash (s)), ==, 64);
}

/* Every contraindication of CLINICAL.md alone, with the level and source label we expect
 * from the document (written here independently of the rules table). */
typedef enum { BY_QUESTION, BY_SKIN, BY_FITZPATRICK, BY_AGE } Trigger;

typedef struct
{
  const char     *id;
  Trigger         trigger;
  int             which;    /* question or skin fact */
  gboolean        rf;       /* needs a radiofrequency device */
  StriaeLevel     level;
  const char     *source;
} AloneCase;

static const AloneCase alone_cases[] = {
  { "infection", BY_QUESTION, STRIAE_QUESTION_INFECTION, FALSE, STRIAE_LEVEL_ABSOLUTE, "[contra]" },
  { "open-wound", BY_QUESTION, STRIAE_QUESTION_OPEN_WOUND, FALSE, STRIAE_LEVEL_ABSOLUTE,
    "[contra]" },
  { "inflammatory-skin", BY_QUESTION, STRIAE_QUESTION_INFLAMMATORY_SKIN, FALSE,
    STRIAE_LEVEL_ABSOLUTE, "[contra]" },
  { "isotretinoin", BY_QUESTION, STRIAE_QUESTION_ISOTRETINOIN, FALSE, STRIAE_LEVEL_ABSOLUTE,
    "[contra] isotretinoin" },
  { "pregnancy", BY_QUESTION, STRIAE_QUESTION_PREGNANCY, FALSE, STRIAE_LEVEL_ABSOLUTE, "[contra]" },
  { "cancer", BY_QUESTION, STRIAE_QUESTION_CANCER, FALSE, STRIAE_LEVEL_ABSOLUTE, "[contra]" },
  { "keloid", BY_QUESTION, STRIAE_QUESTION_KELOID, FALSE, STRIAE_LEVEL_ABSOLUTE, "[contra]" },
  { "pacemaker", BY_QUESTION, STRIAE_QUESTION_PACEMAKER, TRUE, STRIAE_LEVEL_ABSOLUTE,
    "[contra] RF" },
  { "metal-implant", BY_QUESTION, STRIAE_QUESTION_METAL_IMPLANT, TRUE, STRIAE_LEVEL_ABSOLUTE,
    "[contra] RF" },
  { "bleeding-disorder", BY_QUESTION, STRIAE_QUESTION_BLEEDING_DISORDER, FALSE,
    STRIAE_LEVEL_RELATIVE, "[contra]" },
  { "anticoagulants", BY_QUESTION, STRIAE_QUESTION_ANTICOAGULANTS, FALSE,
    STRIAE_LEVEL_RELATIVE, "[contra]" },
  { "diabetes", BY_QUESTION, STRIAE_QUESTION_DIABETES, FALSE, STRIAE_LEVEL_RELATIVE, "[contra]" },
  { "immunosuppression", BY_QUESTION, STRIAE_QUESTION_IMMUNOSUPPRESSION, FALSE,
    STRIAE_LEVEL_RELATIVE, "[contra]" },
  { "autoimmune", BY_QUESTION, STRIAE_QUESTION_AUTOIMMUNE, FALSE, STRIAE_LEVEL_RELATIVE,
    "[contra]" },
  { "breastfeeding", BY_QUESTION, STRIAE_QUESTION_BREASTFEEDING, FALSE, STRIAE_LEVEL_RELATIVE,
    "[contra]" },
  { "herpes-history", BY_QUESTION, STRIAE_QUESTION_HERPES_HISTORY, FALSE,
    STRIAE_LEVEL_RELATIVE, "[contra]" },
  { "corticosteroids", BY_QUESTION, STRIAE_QUESTION_CORTICOSTEROIDS, FALSE,
    STRIAE_LEVEL_RELATIVE, "[contra]" },
  { "allergy-anaesthetic", BY_QUESTION, STRIAE_QUESTION_ALLERGY_ANAESTHETIC, FALSE,
    STRIAE_LEVEL_RELATIVE, "[contra]" },
  { "allergy-metal", BY_QUESTION, STRIAE_QUESTION_ALLERGY_METAL, FALSE, STRIAE_LEVEL_RELATIVE,
    "[contra]" },
  { "allergy-serum", BY_QUESTION, STRIAE_QUESTION_ALLERGY_SERUM, FALSE, STRIAE_LEVEL_RELATIVE,
    "[contra]" },
  { "recent-sun", BY_SKIN, STRIAE_SKIN_FACT_RECENT_SUN, FALSE, STRIAE_LEVEL_RELATIVE,
    "[contra]" },
  { "recent-resurfacing", BY_SKIN, STRIAE_SKIN_FACT_RECENT_RESURFACING, FALSE,
    STRIAE_LEVEL_RELATIVE, "[contra]" },
  { "retinoids", BY_SKIN, STRIAE_SKIN_FACT_RETINOIDS, FALSE, STRIAE_LEVEL_RELATIVE,
    "[contra] [before]" },
  { "pih-history", BY_SKIN, STRIAE_SKIN_FACT_PIH_HISTORY, FALSE, STRIAE_LEVEL_RELATIVE,
    "[contra] [fitzpatrick]" },
  { "sensitive-skin", BY_SKIN, STRIAE_SKIN_FACT_SENSITIVE, FALSE, STRIAE_LEVEL_RELATIVE,
    "[contra]" },
  { "fitzpatrick", BY_FITZPATRICK, 5, FALSE, STRIAE_LEVEL_RELATIVE, "[contra] [fitzpatrick]" },
  { "minor", BY_AGE, 0, FALSE, STRIAE_LEVEL_RELATIVE, "[contra] [consent]" },
};

static void
trigger (StriaeConsultation *c,
         const AloneCase    *tc,
         StriaeAnswer        answer,
         GDate              *birth,
         const GDate        *today)
{
  switch (tc->trigger)
    {
    case BY_QUESTION:
      striae_history_set_answer (striae_consultation_get_history (c), tc->which, answer);
      break;
    case BY_SKIN:
      striae_skin_set_fact (striae_consultation_get_skin (c), tc->which, answer);
      break;
    case BY_FITZPATRICK:
      striae_skin_set_fitzpatrick (striae_consultation_get_skin (c),
                                   answer == STRIAE_ANSWER_YES ? tc->which : 0);
      break;
    case BY_AGE:
      if (answer == STRIAE_ANSWER_YES)
        set_date (birth, 2010, 1, 1);
      else
        g_date_clear (birth, 1);
      break;
    default:
      g_assert_not_reached ();
    }

  if (tc->rf)
    striae_plan_set_device (striae_consultation_get_plan (c), STRIAE_DEVICE_RF);
}

static void
test_every_contraindication_alone (void)
{
  guint covered = 0;
  Dates d;

  dates_init (&d);

  for (guint i = 0; i < G_N_ELEMENTS (alone_cases); i++)
    {
      const AloneCase *tc = &alone_cases[i];
      g_autoptr(StriaeConsultation) c = clean_consultation ();
      g_autoptr(StriaeRules) rules = striae_rules_new ();
      g_autoptr(StriaeScreening) s = NULL;
      StriaeFinding *f;
      GDate birth = d.adult;

      g_test_message ("contraindication alone: %s", tc->id);
      trigger (c, tc, STRIAE_ANSWER_YES, &birth, &d.today);
      s = striae_screen (c, rules, &birth, &d.today);

      g_assert_cmpuint (n_findings (s), ==, 1);
      f = finding_at (s, 0);
      g_assert_cmpstr (striae_finding_get_id (f), ==, tc->id);
      g_assert_cmpint (striae_finding_get_level (f), ==, tc->level);
      g_assert_cmpstr (striae_finding_get_source (f), ==, tc->source);
      g_assert_false (striae_finding_get_unanswered (f));
      g_assert_false (striae_finding_get_acknowledged (f));
      g_assert_cmpuint (strlen (striae_finding_get_reason (f)), >, 40);
      g_assert_cmpuint (strlen (striae_finding_get_title (f)), >, 3);
      g_assert_cmpint (striae_screening_has_absolute (s), ==, tc->level == STRIAE_LEVEL_ABSOLUTE);
      g_assert_cmpint (striae_screening_all_relative_acknowledged (s), ==,
                       tc->level == STRIAE_LEVEL_ABSOLUTE);
      if (tc->trigger == BY_QUESTION)
        g_assert_cmpint (striae_finding_get_question (f), ==, tc->which);
      else
        g_assert_cmpint (striae_finding_get_question (f), ==, -1);
      g_assert_true (striae_screening_lookup (s, tc->id) == f);
      covered++;
    }

  /* The table above covers every check there is. */
  g_assert_cmpuint (covered, ==, STRIAE_N_CHECKS);
}

/* A question not asked yet is no finding but a missing answer: nothing to acknowledge, and
 * the plan cannot be completed without it. A date of birth not recorded is the exception: it
 * is not a question of the wizard, and an unknown age is a finding (see the next test). */
static void
test_every_contraindication_not_asked (void)
{
  Dates d;

  dates_init (&d);

  for (guint i = 0; i < G_N_ELEMENTS (alone_cases); i++)
    {
      const AloneCase *tc = &alone_cases[i];
      g_autoptr(StriaeConsultation) c = clean_consultation ();
      g_autoptr(StriaeRules) rules = striae_rules_new ();
      g_autoptr(StriaeScreening) s = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *unknown_id = g_strconcat (tc->id, "-unanswered", NULL);
      g_auto(GStrv) acknowledged = NULL;
      StriaeCheck check;
      GDate birth = d.adult;

      if (tc->trigger == BY_AGE)
        continue;
      g_test_message ("contraindication not asked: %s", tc->id);
      g_assert_true (striae_check_from_id (tc->id, &check));
      trigger (c, tc, STRIAE_ANSWER_NOT_ASKED, &birth, &d.today);
      s = striae_screen (c, rules, &birth, &d.today);

      g_assert_cmpuint (n_findings (s), ==, 0);
      g_assert_cmpuint (striae_screening_count_unanswered (s), ==, 0);
      g_assert_cmpuint (striae_screening_count_missing (s, STRIAE_SCREENING_PART_ALL), ==, 1);
      g_assert_cmpuint (striae_screening_count_missing (s, striae_check_get_part (check)), ==, 1);
      g_assert_cmpuint (striae_screening_count_missing (s, STRIAE_SCREENING_PART_ALL &
                                                        ~striae_check_get_part (check)), ==, 0);
      g_assert_true (striae_screening_is_missing (s, check));
      g_assert_false (striae_screening_has_absolute (s));
      g_assert_false (striae_screening_can_proceed (s, &error));
      g_assert_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INCOMPLETE);
      g_assert_nonnull (strstr (error->message, "not"));
      g_clear_error (&error);

      /* Neither id can be acknowledged: there is no finding. */
      g_assert_false (striae_screening_acknowledge (s, c, tc->id, TRUE, &error));
      g_assert_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID);
      g_clear_error (&error);
      g_assert_false (striae_screening_acknowledge (s, c, unknown_id, TRUE, &error));
      g_assert_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INVALID);
      g_clear_error (&error);
      acknowledged = striae_consultation_dup_acknowledged (c);
      g_assert_null (acknowledged[0]);
    }
}

/* An answer "unknown" (or no date of birth) is a finding at the check's level, like a "yes"
 * not confirmed: an absolute one blocks and cannot be acknowledged; a relative one can, and
 * then the plan may go on. */
static void
test_every_contraindication_unknown (void)
{
  Dates d;

  dates_init (&d);

  for (guint i = 0; i < G_N_ELEMENTS (alone_cases); i++)
    {
      const AloneCase *tc = &alone_cases[i];
      g_autoptr(StriaeConsultation) c = clean_consultation ();
      g_autoptr(StriaeRules) rules = striae_rules_new ();
      g_autoptr(StriaeScreening) s = NULL;
      g_autoptr(StriaeScreening) again = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *id = g_strconcat (tc->id, "-unanswered", NULL);
      gboolean absolute = tc->level == STRIAE_LEVEL_ABSOLUTE;
      int code = absolute ? STRIAE_CORE_ERROR_CONTRAINDICATED : STRIAE_CORE_ERROR_INCOMPLETE;
      StriaeFinding *f;
      GDate birth = d.adult;

      /* A skin type is recorded or not; "unknown" is no type. */
      if (tc->trigger == BY_FITZPATRICK)
        continue;
      g_test_message ("contraindication unknown: %s", tc->id);
      trigger (c, tc, STRIAE_ANSWER_UNKNOWN, &birth, &d.today);
      s = striae_screen (c, rules, g_date_valid (&birth) ? &birth : NULL, &d.today);

      g_assert_cmpuint (n_findings (s), ==, 1);
      g_assert_cmpuint (striae_screening_count_missing (s, STRIAE_SCREENING_PART_ALL), ==, 0);
      f = finding_at (s, 0);
      g_assert_cmpstr (striae_finding_get_id (f), ==, id);
      g_assert_true (striae_finding_get_unanswered (f));
      g_assert_cmpint (striae_finding_get_level (f), ==, tc->level);
      g_assert_cmpuint (striae_screening_count_unanswered (s), ==, 1);
      g_assert_cmpuint (striae_screening_count_to_acknowledge (s, STRIAE_SCREENING_PART_ALL),
                        ==, absolute ? 0 : 1);
      g_assert_false (striae_screening_can_proceed (s, &error));
      g_assert_error (error, STRIAE_CORE_ERROR, code);
      g_clear_error (&error);

      g_assert_cmpint (striae_screening_acknowledge (s, c, id, TRUE, &error), ==, !absolute);
      if (absolute)
        {
          g_assert_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_CONTRAINDICATED);
          g_assert_false (striae_consultation_is_acknowledged (c, id));
          continue;
        }
      g_assert_no_error (error);
      again = striae_screen (c, rules, g_date_valid (&birth) ? &birth : NULL, &d.today);
      g_assert_true (striae_finding_get_acknowledged (finding_at (again, 0)));
      g_assert_true (striae_screening_can_proceed (again, &error));
      g_assert_no_error (error);
    }
}

/* Every count the wizard shows comes from the screening: missing answers by part, findings
 * by part and level, relative findings to acknowledge. */
typedef struct
{
  const char *name;
  gboolean    blank;          /* nothing answered (else the clean consultation) */
  gboolean    birth;          /* a date of birth is recorded */
  StriaeDevice device;
  const char *answers;        /* "question-id=yes|no|unknown|not-asked,…" */
  const char *skin;           /* "fact-id=…,…" and "fitzpatrick=N" */
  const char *off;            /* a check the clinic turned off, or NULL */
  guint       missing_history;
  guint       missing_skin;
  guint       absolute_history;
  guint       relative_history;
  guint       relative_skin;
  guint       relative_patient;
} CountCase;

static const CountCase count_cases[] = {
  { "blank", TRUE, FALSE, STRIAE_DEVICE_NOT_SET, "", "", NULL, 18, 6, 0, 0, 0, 1 },
  { "blank-rf", TRUE, TRUE, STRIAE_DEVICE_RF, "", "", NULL, 20, 6, 0, 0, 0, 0 },
  { "clean", FALSE, TRUE, STRIAE_DEVICE_PEN, "", "", NULL, 0, 0, 0, 0, 0, 0 },
  { "yes-unknown-not-asked", FALSE, TRUE, STRIAE_DEVICE_PEN,
    "anticoagulants=yes,diabetes=unknown,pregnancy=unknown,autoimmune=not-asked", "", NULL,
    1, 0, 1, 2, 0, 0 },
  { "skin-not-asked", FALSE, TRUE, STRIAE_DEVICE_PEN, "",
    "recent-sun=not-asked,retinoids=unknown,sensitive=yes,fitzpatrick=0", NULL,
    0, 2, 0, 0, 2, 0 },
  { "rf-not-asked-without-rf", FALSE, TRUE, STRIAE_DEVICE_PEN, "pacemaker=not-asked", "", NULL,
    0, 0, 0, 0, 0, 0 },
  { "off-not-needed", FALSE, TRUE, STRIAE_DEVICE_PEN, "breastfeeding=not-asked", "",
    "breastfeeding", 0, 0, 0, 0, 0, 0 },
};

static void
apply_answers (StriaeConsultation *c,
               const char         *text,
               gboolean            skin)
{
  g_auto(GStrv) items = g_strsplit (text, ",", -1);

  for (guint i = 0; items[i] != NULL && items[i][0] != '\0'; i++)
    {
      g_auto(GStrv) pair = g_strsplit (items[i], "=", 2);
      GEnumClass *klass = g_type_class_ref (STRIAE_TYPE_ANSWER);
      GEnumValue *value = g_enum_get_value_by_nick (klass, pair[1]);
      StriaeQuestion question;
      StriaeSkinFact fact;

      if (skin && g_str_equal (pair[0], "fitzpatrick"))
        striae_skin_set_fitzpatrick (striae_consultation_get_skin (c), atoi (pair[1]));
      else if (skin)
        {
          g_assert_true (striae_skin_fact_from_id (pair[0], &fact));
          g_assert_nonnull (value);
          striae_skin_set_fact (striae_consultation_get_skin (c), fact, value->value);
        }
      else
        {
          g_assert_true (striae_question_from_id (pair[0], &question));
          g_assert_nonnull (value);
          striae_history_set_answer (striae_consultation_get_history (c), question,
                                     value->value);
        }
      g_type_class_unref (klass);
    }
}

static void
test_counts (void)
{
  Dates d;

  dates_init (&d);

  for (guint i = 0; i < G_N_ELEMENTS (count_cases); i++)
    {
      const CountCase *tc = &count_cases[i];
      g_autoptr(StriaeConsultation) c = tc->blank ? striae_consultation_new ()
                                                  : clean_consultation ();
      g_autoptr(StriaeRules) rules = striae_rules_new ();
      g_autoptr(StriaeScreening) s = NULL;
      StriaeCheck off;
      guint missing;

      g_test_message ("counts: %s", tc->name);
      striae_plan_set_device (striae_consultation_get_plan (c), tc->device);
      apply_answers (c, tc->answers, FALSE);
      apply_answers (c, tc->skin, TRUE);
      if (tc->off != NULL)
        {
          g_assert_true (striae_check_from_id (tc->off, &off));
          striae_rules_set_level (rules, off, STRIAE_LEVEL_OFF);
        }
      s = striae_screen (c, rules, tc->birth ? &d.adult : NULL, &d.today);

      g_assert_cmpuint (striae_screening_count_missing (s, STRIAE_SCREENING_PART_HISTORY), ==,
                        tc->missing_history);
      g_assert_cmpuint (striae_screening_count_missing (s, STRIAE_SCREENING_PART_SKIN), ==,
                        tc->missing_skin);
      g_assert_cmpuint (striae_screening_count_missing (s, STRIAE_SCREENING_PART_PATIENT), ==, 0);
      g_assert_cmpuint (striae_screening_count_findings (s, STRIAE_SCREENING_PART_HISTORY,
                                                         STRIAE_LEVEL_ABSOLUTE), ==,
                        tc->absolute_history);
      g_assert_cmpuint (striae_screening_count_findings (s, STRIAE_SCREENING_PART_HISTORY,
                                                         STRIAE_LEVEL_RELATIVE), ==,
                        tc->relative_history);
      g_assert_cmpuint (striae_screening_count_findings (s, STRIAE_SCREENING_PART_SKIN,
                                                         STRIAE_LEVEL_RELATIVE), ==,
                        tc->relative_skin);
      g_assert_cmpuint (striae_screening_count_to_acknowledge (s, STRIAE_SCREENING_PART_PATIENT),
                        ==, tc->relative_patient);
      /* The parts add up to the whole, and every finding is counted once. */
      g_assert_cmpuint (striae_screening_count_findings (s, STRIAE_SCREENING_PART_ALL,
                                                         STRIAE_LEVEL_OFF), ==, n_findings (s));
      missing = tc->missing_history + tc->missing_skin;
      g_assert_cmpuint (striae_screening_count_missing (s, STRIAE_SCREENING_PART_ALL), ==,
                        missing);
      g_assert_cmpint (striae_screening_can_proceed (s, NULL), ==,
                       missing == 0 && n_findings (s) == 0);
    }
}

static void
test_rf_questions_only_for_rf (void)
{
  g_autoptr(StriaeConsultation) c = clean_consultation ();
  g_autoptr(StriaeRules) rules = striae_rules_new ();
  StriaeHistory *history = striae_consultation_get_history (c);
  Dates d;

  dates_init (&d);
  striae_history_set_answer (history, STRIAE_QUESTION_PACEMAKER, STRIAE_ANSWER_YES);
  striae_history_set_answer (history, STRIAE_QUESTION_METAL_IMPLANT, STRIAE_ANSWER_UNKNOWN);

  for (StriaeDevice device = STRIAE_DEVICE_NOT_SET; device <= STRIAE_DEVICE_RF; device++)
    {
      g_autoptr(StriaeScreening) s = NULL;

      striae_plan_set_device (striae_consultation_get_plan (c), device);
      s = striae_screen (c, rules, &d.adult, &d.today);
      g_assert_cmpuint (n_findings (s), ==, device == STRIAE_DEVICE_RF ? 2 : 0);
      g_assert_cmpint (striae_screening_has_absolute (s), ==, device == STRIAE_DEVICE_RF);
    }
}

static void
test_combinations (void)
{
  g_autoptr(StriaeConsultation) c = clean_consultation ();
  g_autoptr(StriaeRules) rules = striae_rules_new ();
  g_autoptr(StriaeScreening) s = NULL;
  g_autoptr(StriaeScreening) s2 = NULL;
  g_autoptr(StriaeScreening) s3 = NULL;
  g_autoptr(GError) error = NULL;
  StriaeHistory *history = striae_consultation_get_history (c);
  Dates d;

  dates_init (&d);
  striae_history_set_answer (history, STRIAE_QUESTION_ANTICOAGULANTS, STRIAE_ANSWER_YES);
  striae_history_set_answer (history, STRIAE_QUESTION_PREGNANCY, STRIAE_ANSWER_YES);
  striae_skin_set_fitzpatrick (striae_consultation_get_skin (c), 6);
  striae_skin_set_fact (striae_consultation_get_skin (c), STRIAE_SKIN_FACT_RECENT_SUN,
                        STRIAE_ANSWER_YES);

  s = striae_screen (c, rules, &d.adult, &d.today);
  g_assert_cmpuint (n_findings (s), ==, 4);
  /* Absolute first, then relative in check order. */
  g_assert_cmpstr (striae_finding_get_id (finding_at (s, 0)), ==, "pregnancy");
  g_assert_cmpstr (striae_finding_get_id (finding_at (s, 1)), ==, "anticoagulants");
  g_assert_cmpstr (striae_finding_get_id (finding_at (s, 2)), ==, "recent-sun");
  g_assert_cmpstr (striae_finding_get_id (finding_at (s, 3)), ==, "fitzpatrick");
  g_assert_nonnull (strstr (striae_finding_get_reason (finding_at (s, 3)), "VI"));
  g_assert_true (striae_screening_has_absolute (s));
  g_assert_false (striae_screening_can_proceed (s, &error));
  g_assert_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_CONTRAINDICATED);
  g_clear_error (&error);

  /* After delivery: only relative findings, to acknowledge one by one. Acknowledging an
   * absolute finding has no effect. */
  striae_history_set_answer (history, STRIAE_QUESTION_PREGNANCY, STRIAE_ANSWER_NO);
  striae_consultation_set_acknowledged (c, "anticoagulants", TRUE);
  striae_consultation_set_acknowledged (c, "recent-sun", TRUE);
  s2 = striae_screen (c, rules, &d.adult, &d.today);
  g_assert_cmpuint (n_findings (s2), ==, 3);
  g_assert_false (striae_screening_has_absolute (s2));
  g_assert_true (striae_finding_get_acknowledged (striae_screening_lookup (s2, "anticoagulants")));
  g_assert_false (striae_finding_get_acknowledged (striae_screening_lookup (s2, "fitzpatrick")));
  g_assert_false (striae_screening_all_relative_acknowledged (s2));
  g_assert_false (striae_screening_can_proceed (s2, &error));
  g_assert_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INCOMPLETE);
  g_clear_error (&error);

  striae_consultation_set_acknowledged (c, "fitzpatrick", TRUE);
  s3 = striae_screen (c, rules, &d.adult, &d.today);
  g_assert_true (striae_screening_all_relative_acknowledged (s3));
  g_assert_true (striae_screening_can_proceed (s3, &error));
  g_assert_no_error (error);
}

static void
test_absolute_cannot_be_acknowledged (void)
{
  g_autoptr(StriaeConsultation) c = clean_consultation ();
  g_autoptr(StriaeRules) rules = striae_rules_new ();
  g_autoptr(StriaeScreening) s = NULL;
  Dates d;

  dates_init (&d);
  striae_history_set_answer (striae_consultation_get_history (c), STRIAE_QUESTION_KELOID,
                             STRIAE_ANSWER_YES);
  striae_consultation_set_acknowledged (c, "keloid", TRUE);
  s = striae_screen (c, rules, &d.adult, &d.today);
  g_assert_false (striae_finding_get_acknowledged (finding_at (s, 0)));
  g_assert_true (striae_screening_has_absolute (s));
  g_assert_false (striae_screening_can_proceed (s, NULL));
}

/* The clinic may change each contraindication's level. */
typedef struct
{
  StriaeCheck    check;
  StriaeQuestion question;
  StriaeLevel    level;
} LevelCase;

static const LevelCase level_cases[] = {
  { STRIAE_CHECK_BREASTFEEDING, STRIAE_QUESTION_BREASTFEEDING, STRIAE_LEVEL_ABSOLUTE },
  { STRIAE_CHECK_ANTICOAGULANTS, STRIAE_QUESTION_ANTICOAGULANTS, STRIAE_LEVEL_ABSOLUTE },
  { STRIAE_CHECK_BLEEDING_DISORDER, STRIAE_QUESTION_BLEEDING_DISORDER, STRIAE_LEVEL_ABSOLUTE },
  { STRIAE_CHECK_KELOID, STRIAE_QUESTION_KELOID, STRIAE_LEVEL_RELATIVE },
  { STRIAE_CHECK_ISOTRETINOIN, STRIAE_QUESTION_ISOTRETINOIN, STRIAE_LEVEL_RELATIVE },
  { STRIAE_CHECK_PREGNANCY, STRIAE_QUESTION_PREGNANCY, STRIAE_LEVEL_OFF },
  { STRIAE_CHECK_AUTOIMMUNE, STRIAE_QUESTION_AUTOIMMUNE, STRIAE_LEVEL_OFF },
};

static void
test_clinic_levels (void)
{
  Dates d;

  dates_init (&d);

  for (guint i = 0; i < G_N_ELEMENTS (level_cases); i++)
    {
      const LevelCase *tc = &level_cases[i];
      g_autoptr(StriaeConsultation) c = clean_consultation ();
      g_autoptr(StriaeRules) rules = striae_rules_new ();
      g_autoptr(StriaeScreening) s = NULL;
      g_autoptr(StriaeScreening) unknown = NULL;

      striae_rules_set_level (rules, tc->check, tc->level);
      striae_history_set_answer (striae_consultation_get_history (c), tc->question,
                                 STRIAE_ANSWER_YES);
      s = striae_screen (c, rules, &d.adult, &d.today);

      if (tc->level == STRIAE_LEVEL_OFF)
        {
          g_assert_cmpuint (n_findings (s), ==, 0);
        }
      else
        {
          g_assert_cmpuint (n_findings (s), ==, 1);
          g_assert_cmpint (striae_finding_get_level (finding_at (s, 0)), ==, tc->level);
          g_assert_cmpint (striae_screening_has_absolute (s), ==,
                           tc->level == STRIAE_LEVEL_ABSOLUTE);
        }

      /* An "off" check does not ask for an answer either. */
      striae_history_set_answer (striae_consultation_get_history (c), tc->question,
                                 STRIAE_ANSWER_UNKNOWN);
      unknown = striae_screen (c, rules, &d.adult, &d.today);
      g_assert_cmpuint (n_findings (unknown), ==, tc->level == STRIAE_LEVEL_OFF ? 0 : 1);
    }
}

typedef struct
{
  const char  *label;
  const char  *end_date;  /* "" for none */
  guint        delay;
  gboolean     found;
} IsoCase;

/* Today is 2026-11-23. */
static const IsoCase iso_cases[] = {
  { "taking now, no date", "", 6, TRUE },
  { "ends in the future", "2027-01-10", 6, TRUE },
  { "ended today", "2026-11-23", 6, TRUE },
  { "ended 4 months ago", "2026-07-23", 6, TRUE },
  { "ended one day short of 6 months", "2026-05-24", 6, TRUE },
  { "ended exactly 6 months ago", "2026-05-23", 6, FALSE },
  { "ended 7 months ago", "2026-04-20", 6, FALSE },
  { "ended 4 months ago, clinic waits 3", "2026-07-23", 3, FALSE },
  { "ended 2 months ago, clinic waits 3", "2026-09-23", 3, TRUE },
  { "ended yesterday, clinic waits 0", "2026-11-22", 0, FALSE },
  { "ended 11 months ago, clinic waits 12", "2025-12-23", 12, TRUE },
};

static void
test_isotretinoin_delay (void)
{
  Dates d;

  dates_init (&d);

  for (guint i = 0; i < G_N_ELEMENTS (iso_cases); i++)
    {
      const IsoCase *tc = &iso_cases[i];
      g_autoptr(StriaeConsultation) c = clean_consultation ();
      g_autoptr(StriaeRules) rules = striae_rules_new ();
      g_autoptr(StriaeScreening) s = NULL;
      StriaeHistory *history = striae_consultation_get_history (c);

      g_test_message ("isotretinoin: %s", tc->label);
      striae_rules_set_isotretinoin_delay_months (rules, tc->delay);
      striae_history_set_answer (history, STRIAE_QUESTION_ISOTRETINOIN, STRIAE_ANSWER_YES);
      striae_history_set_isotretinoin_end_date (history, striae_test_date (tc->end_date));
      s = striae_screen (c, rules, &d.adult, &d.today);

      g_assert_cmpuint (n_findings (s), ==, tc->found ? 1 : 0);
      if (tc->found)
        {
          StriaeFinding *f = finding_at (s, 0);

          g_assert_cmpstr (striae_finding_get_id (f), ==, "isotretinoin");
          g_assert_cmpint (striae_finding_get_level (f), ==, STRIAE_LEVEL_ABSOLUTE);
          if (tc->end_date[0] != '\0')
            g_assert_nonnull (strstr (striae_finding_get_reason (f), tc->end_date));
        }
    }
}

static void
test_isotretinoin_relative (void)
{
  g_autoptr(StriaeConsultation) c = clean_consultation ();
  g_autoptr(StriaeRules) rules = striae_rules_new ();
  g_autoptr(StriaeScreening) s = NULL;
  StriaeHistory *history = striae_consultation_get_history (c);
  Dates d;

  dates_init (&d);
  striae_rules_set_level (rules, STRIAE_CHECK_ISOTRETINOIN, STRIAE_LEVEL_RELATIVE);
  striae_history_set_answer (history, STRIAE_QUESTION_ISOTRETINOIN, STRIAE_ANSWER_YES);
  striae_history_set_isotretinoin_end_date (history, striae_test_date ("2026-10-01"));
  s = striae_screen (c, rules, &d.adult, &d.today);
  g_assert_cmpuint (n_findings (s), ==, 1);
  g_assert_cmpint (striae_finding_get_level (finding_at (s, 0)), ==, STRIAE_LEVEL_RELATIVE);
  /* 2026-10-01 + 6 months */
  g_assert_nonnull (strstr (striae_finding_get_reason (finding_at (s, 0)), "2027-04-01"));
  g_assert_false (striae_screening_has_absolute (s));
}

typedef struct
{
  guint    year, month, day;
  gboolean minor;
} AgeCase;

static void
test_age (void)
{
  static const AgeCase cases[] = {
    { 2008, 11, 23, FALSE },  /* 18 today */
    { 2008, 11, 24, TRUE },   /* 18 tomorrow */
    { 2012, 1, 1, TRUE },
    { 1950, 6, 30, FALSE },
  };
  Dates d;

  dates_init (&d);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(StriaeConsultation) c = clean_consultation ();
      g_autoptr(StriaeRules) rules = striae_rules_new ();
      g_autoptr(StriaeScreening) s = NULL;
      GDate birth;

      set_date (&birth, cases[i].year, cases[i].month, cases[i].day);
      s = striae_screen (c, rules, &birth, &d.today);
      g_assert_cmpuint (n_findings (s), ==, cases[i].minor ? 1 : 0);
    }
}

static void
test_fitzpatrick_types (void)
{
  Dates d;

  dates_init (&d);

  for (guint type = 0; type <= 6; type++)
    {
      g_autoptr(StriaeConsultation) c = clean_consultation ();
      g_autoptr(StriaeRules) rules = striae_rules_new ();
      g_autoptr(StriaeScreening) s = NULL;

      striae_skin_set_fitzpatrick (striae_consultation_get_skin (c), type);
      s = striae_screen (c, rules, &d.adult, &d.today);
      /* Not recorded (0) is a missing answer, not a finding. */
      g_assert_cmpuint (n_findings (s), ==, type >= 4 ? 1 : 0);
      g_assert_cmpint (striae_screening_is_missing (s, STRIAE_CHECK_FITZPATRICK), ==, type == 0);
    }
}

/* A new consultation has nothing answered: every check but the age asks for an answer (no
 * finding), and RF-only questions stay out until RF is planned. Without a date of birth, the
 * age is not known: that one is a finding. */
static void
test_blank_consultation (void)
{
  g_autoptr(StriaeConsultation) c = striae_consultation_new ();
  g_autoptr(StriaeRules) rules = striae_rules_new ();
  g_autoptr(StriaeScreening) s = NULL;
  Dates d;

  dates_init (&d);
  s = striae_screen (c, rules, NULL, &d.today);
  g_assert_cmpuint (n_findings (s), ==, 1);
  g_assert_cmpstr (striae_finding_get_id (finding_at (s, 0)), ==, "minor-unanswered");
  g_assert_cmpuint (striae_screening_count_missing (s, STRIAE_SCREENING_PART_ALL), ==,
                    STRIAE_N_CHECKS - 3);
  g_assert_false (striae_screening_has_absolute (s));
}

/* A consultation of format 1, signed before "not asked" and "unknown" were told apart, screens
 * as it did: the relative findings it acknowledged (an unknown diabetes, retinoids, a skin
 * type not recorded) are there, acknowledged, and nothing else is missing or in the way. */
static void
test_format_1_screens_as_before (void)
{
  g_autoptr(GString) json = g_string_new ("{\"format\": 1, \"history\": {\"answers\": {");
  g_autoptr(StriaeConsultation) c = NULL;
  g_autoptr(StriaeRules) rules = striae_rules_new ();
  g_autoptr(StriaeScreening) s = NULL;
  g_autoptr(GError) error = NULL;
  Dates d;

  dates_init (&d);
  for (StriaeQuestion q = 0; q < STRIAE_N_QUESTIONS; q++)
    g_string_append_printf (json, "%s\"%s\": {\"answer\": \"%s\"}", q > 0 ? ", " : "",
                            striae_question_get_info (q)->id,
                            q == STRIAE_QUESTION_DIABETES ? "unknown" : "no");
  g_string_append (json, "}}, \"skin\": {\"fitzpatrick\": 0, \"facts\": {\"sensitive\": \"no\", "
                         "\"recent-sun\": \"no\", \"recent-resurfacing\": \"no\", "
                         "\"retinoids\": \"unknown\", \"pih-history\": \"no\"}}, "
                         "\"acknowledged\": [\"diabetes-unanswered\", \"retinoids-unanswered\", "
                         "\"fitzpatrick-unanswered\"]}");
  c = striae_consultation_new_from_json (json->str, &error);
  g_assert_no_error (error);
  s = striae_screen (c, rules, &d.adult, &d.today);

  g_assert_cmpuint (n_findings (s), ==, 3);
  for (guint i = 0; i < n_findings (s); i++)
    {
      g_assert_true (striae_finding_get_unanswered (finding_at (s, i)));
      g_assert_true (striae_finding_get_acknowledged (finding_at (s, i)));
    }
  g_assert_nonnull (striae_screening_lookup (s, "fitzpatrick-unanswered"));
  g_assert_cmpuint (striae_screening_count_missing (s, STRIAE_SCREENING_PART_ALL), ==, 0);
  g_assert_true (striae_screening_can_proceed (s, &error));
  g_assert_no_error (error);

  /* The same skin type left unrecorded without that acknowledgement is missing. */
  striae_consultation_set_acknowledged (c, "fitzpatrick-unanswered", FALSE);
  g_clear_object (&s);
  s = striae_screen (c, rules, &d.adult, &d.today);
  g_assert_true (striae_screening_is_missing (s, STRIAE_CHECK_FITZPATRICK));
  g_assert_null (striae_screening_lookup (s, "fitzpatrick-unanswered"));
}

static void
test_check_complete (void)
{
  g_autoptr(StriaeConsultation) c = clean_consultation ();
  g_autoptr(StriaeRules) rules = striae_rules_new ();
  g_autoptr(StriaeArea) area = striae_area_new (STRIAE_BODY_SITE_ABDOMEN);
  g_autoptr(GError) error = NULL;
  StriaePlan *plan = striae_consultation_get_plan (c);
  Dates d;

  dates_init (&d);

  g_assert_false (striae_consultation_check_complete (c, rules, &d.adult, &d.today, &error));
  g_assert_error (error, STRIAE_CORE_ERROR, STRIAE_CORE_ERROR_INCOMPLETE);
  g_assert_nonnull (strstr (error->message, "Consultation date"));
  g_clear_error (&error);

  striae_consultation_set_date (c, striae_test_date ("2026-11-23"));
  g_assert_false (striae_consultation_check_complete (c, rules, &d.adult, &d.today, &error));
  g_assert_nonnull (strstr (error->message, "practitioner"));
  g_clear_error (&error);

  striae_consultation_set_practitioner (c, "Dr. Ana Ruiz");
  striae_area_set_mark_type (area, STRIAE_MARK_TYPE_ALBAE);
  striae_area_set_severity (area, STRIAE_SEVERITY_MILD);
  striae_area_set_recommended_depth (area, 0.5);
  striae_area_set_depth (area, 0.5);
  striae_consultation_add_area (c, area);
  striae_plan_set_sessions (plan, 3);
  striae_plan_set_recommended_sessions (plan, 3);
  striae_plan_set_interval_weeks (plan, 4);
  striae_plan_set_recommended_interval_weeks (plan, 4);
  striae_plan_set_first_session (plan, striae_test_date ("2026-12-01"));

  /* A relative finding in the way, then acknowledged. */
  striae_history_set_answer (striae_consultation_get_history (c), STRIAE_QUESTION_DIABETES,
                             STRIAE_ANSWER_YES);
  g_assert_false (striae_consultation_check_complete (c, rules, &d.adult, &d.today, &error));
  g_assert_nonnull (strstr (error->message, "Acknowledge"));
  g_clear_error (&error);
  striae_consultation_set_acknowledged (c, "diabetes", TRUE);
  g_assert_true (striae_consultation_check_complete (c, rules, &d.adult, &d.today, &error));
  g_assert_no_error (error);

  /* The plan is checked last. */
  striae_plan_set_sessions (plan, 2);
  g_assert_false (striae_consultation_check_complete (c, rules, &d.adult, &d.today, &error));
  g_assert_nonnull (strstr (error->message, "Sessions"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/screening/clean", test_clean);
  g_test_add_func ("/screening/alone", test_every_contraindication_alone);
  g_test_add_func ("/screening/not-asked", test_every_contraindication_not_asked);
  g_test_add_func ("/screening/unknown", test_every_contraindication_unknown);
  g_test_add_func ("/screening/counts", test_counts);
  g_test_add_func ("/screening/rf-only", test_rf_questions_only_for_rf);
  g_test_add_func ("/screening/combinations", test_combinations);
  g_test_add_func ("/screening/absolute-not-acknowledged", test_absolute_cannot_be_acknowledged);
  g_test_add_func ("/screening/clinic-levels", test_clinic_levels);
  g_test_add_func ("/screening/isotretinoin-delay", test_isotretinoin_delay);
  g_test_add_func ("/screening/isotretinoin-relative", test_isotretinoin_relative);
  g_test_add_func ("/screening/age", test_age);
  g_test_add_func ("/screening/fitzpatrick", test_fitzpatrick_types);
  g_test_add_func ("/screening/blank", test_blank_consultation);
  g_test_add_func ("/screening/check-complete", test_check_complete);
  g_test_add_func ("/screening/format-1", test_format_1_screens_as_before);

  return g_test_run ();
}
