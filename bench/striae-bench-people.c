/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "striae-bench-people.h"

/* The synthetic patients of the register benchmarks: names, phones and e-mail addresses of
 * ten languages, drawn from a GRand, so that a register made with the same seed holds the
 * same people in a file (bench-patients) and on a clinic server (bench-server-register). */

typedef struct
{
  const char         *language;
  const char * const *given;
  const char * const *family;
  const char         *phone_pattern; /* # stands for a digit */
  const char * const *domains;
} Culture;

#define NAMES(...) (const char * const []) { __VA_ARGS__, NULL }

static const Culture cultures[] = {
  { "fr",
    NAMES ("Camille", "Léa", "Manon", "Chloé", "Inès", "Zoé", "Élodie", "Hélène", "Amélie",
           "Océane", "Julie", "Lucas", "Hugo", "Théo", "Noé", "Mathéo", "Jérôme", "François"),
    NAMES ("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
           "Leroy", "Moreau", "Lefèvre", "Fournier", "Girard", "Bonnet", "Dupont", "Lambert",
           "Fontaine", "Rousseau", "Vincent", "Mercier", "Chevalier", "Boyer", "Gauthier"),
    "06 ## ## ## ##",
    NAMES ("orange.fr", "free.fr", "laposte.net", "gmail.com") },
  { "de",
    NAMES ("Anna", "Lena", "Lea", "Hannah", "Sophie", "Jürgen", "Jörg", "Björn", "Lukas",
           "Maximilian", "Felix", "Katharina", "Ursula", "Käthe", "Sören", "Grete"),
    NAMES ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
           "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf",
           "Schröder", "Neumann", "Schwarz", "Zimmermann", "Krüger", "Hartmann", "Lange"),
    "+49 151 ########",
    NAMES ("web.de", "gmx.de", "t-online.de", "posteo.de") },
  { "pl",
    NAMES ("Zofia", "Zuzanna", "Julia", "Maja", "Małgorzata", "Katarzyna", "Agnieszka",
           "Łucja", "Jan", "Mikołaj", "Wojciech", "Stanisław", "Paweł", "Michał"),
    NAMES ("Nowak", "Kowalska", "Wiśniewska", "Wójcik", "Kowalczyk", "Kamińska", "Lewandowska",
           "Zielińska", "Szymańska", "Woźniak", "Dąbrowska", "Kozłowska", "Jankowska",
           "Mazur", "Krawczyk", "Piotrowska", "Grabowska", "Pawłowska", "Michalska"),
    "+48 ### ### ###",
    NAMES ("wp.pl", "onet.pl", "interia.pl", "o2.pl") },
  { "es",
    NAMES ("María", "Lucía", "Sofía", "Martina", "Paula", "Valentina", "José", "Álvaro",
           "Adrián", "Iñigo", "Begoña", "Núria", "Ángela", "Jesús"),
    NAMES ("García", "Rodríguez", "González", "Fernández", "López", "Martínez", "Sánchez",
           "Pérez", "Gómez", "Martín", "Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno",
           "Muñoz", "Álvarez", "Romero", "Alonso", "Gutiérrez", "Navarro", "Ibáñez"),
    "6## ### ###",
    NAMES ("gmail.com", "hotmail.es", "yahoo.es", "telefonica.net") },
  { "it",
    NAMES ("Giulia", "Sofia", "Aurora", "Alice", "Ginevra", "Chiara", "Francesca", "Niccolò",
           "Leonardo", "Lorenzo", "Mattia", "Gabriele", "Nicolò"),
    NAMES ("Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci",
           "Marino", "Greco", "Bruno", "Gallo", "Conti", "De Luca", "Mancini", "Costa",
           "Giordano", "Rizzo", "Lombardi", "Moretti", "D’Angelo"),
    "+39 3## ### ####",
    NAMES ("libero.it", "virgilio.it", "alice.it", "gmail.com") },
  { "tr",
    NAMES ("Zeynep", "Elif", "Ayşe", "Fatma", "Emine", "Hülya", "Gülşen", "Şule", "Çağla",
           "Yusuf", "Mehmet", "Mustafa", "İbrahim", "Özge"),
    NAMES ("Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Yıldırım", "Öztürk",
           "Aydın", "Özdemir", "Arslan", "Doğan", "Kılıç", "Aslan", "Çetin", "Kara", "Koç",
           "Kurt", "Özkan", "Şimşek"),
    "05## ### ## ##",
    NAMES ("gmail.com", "hotmail.com", "yandex.com.tr") },
  { "pt_BR",
    NAMES ("Ana", "Beatriz", "Júlia", "Letícia", "Gabriela", "Luíza", "Conceição", "João",
           "Antônio", "Sebastião", "Thaís", "Lívia"),
    NAMES ("Silva", "Santos", "Oliveira", "Souza", "Rodrigues", "Ferreira", "Alves", "Pereira",
           "Lima", "Gomes", "Ribeiro", "Carvalho", "Araújo", "Magalhães", "Gonçalves",
           "Conceição", "Assunção"),
    "+55 11 9####-####",
    NAMES ("uol.com.br", "bol.com.br", "gmail.com") },
  { "vi",
    NAMES ("Anh", "Linh", "Ngọc", "Hương", "Thảo", "Trang", "Hằng", "Phương", "Minh", "Đức"),
    NAMES ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
           "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"),
    "09# ### ####",
    NAMES ("gmail.com", "yahoo.com.vn") },
  { "ar",
    NAMES ("Fatima", "Aïcha", "Khadija", "Yasmine", "Salma", "Nour", "Leïla", "Meryem",
           "ليلى", "فاطمة", "مريم", "Youssef", "Omar"),
    NAMES ("Benali", "El Amrani", "Bennani", "Alaoui", "Haddad", "Mansour", "Benjelloun",
           "Saïdi", "Chraïbi", "Belkacem", "حداد", "منصور", "العلوي"),
    "+212 6##-######",
    NAMES ("gmail.com", "menara.ma", "hotmail.fr") },
  { "ru",
    NAMES ("Анна", "Мария", "Елена", "Ольга", "Наталья", "Татьяна", "Юлия", "Алёна",
           "Дарья", "Ксения"),
    NAMES ("Иванова", "Смирнова", "Кузнецова", "Попова", "Васильева", "Петрова", "Соколова",
           "Михайлова", "Новикова", "Фёдорова", "Морозова", "Волкова"),
    "+7 9## ###-##-##",
    NAMES ("mail.ru", "yandex.ru", "gmail.com") },
  { "el",
    NAMES ("Μαρία", "Ελένη", "Αικατερίνη", "Βασιλική", "Σοφία", "Αγγελική", "Δήμητρα"),
    NAMES ("Παπαδοπούλου", "Παπαδάκη", "Γεωργίου", "Οικονόμου", "Νικολάου", "Βασιλείου",
           "Αθανασίου", "Ιωάννου"),
    "69## ### ###",
    NAMES ("gmail.com", "otenet.gr", "yahoo.gr") },
  { "en",
    NAMES ("Olivia", "Amelia", "Isla", "Ava", "Emily", "Sophie", "Grace", "Chloe", "Siobhán",
           "Niamh", "Zoë", "Renée", "Oliver", "Seán"),
    NAMES ("Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies",
           "Robinson", "Wright", "Thompson", "Evans", "Walker", "O’Brien", "O’Connor",
           "Murphy", "Kelly", "MacDonald", "Ng", "Patel", "Khan"),
    "07### ######",
    NAMES ("gmail.com", "outlook.com", "btinternet.com", "yahoo.co.uk") },
};

static guint
count_names (const char * const *names)
{
  guint n = 0;

  while (names[n] != NULL)
    n++;

  return n;
}

static const char *
pick (GRand              *rand,
      const char * const *names)
{
  return names[g_rand_int_range (rand, 0, (gint32) count_names (names))];
}

/* The ASCII letters of a name, lower case, for an email address; NULL for a name in a
 * script without them. */
char *
striae_bench_people_ascii_part (const char *name)
{
  g_autofree char *ascii = g_str_to_ascii (name, "C");
  GString *part = g_string_new (NULL);

  for (const char *p = ascii; *p; p++)
    if (g_ascii_isalpha (*p))
      g_string_append_c (part, g_ascii_tolower (*p));

  if (part->len < 2 || strchr (ascii, '?') != NULL)
    {
      g_string_free (part, TRUE);
      return NULL;
    }

  return g_string_free (part, FALSE);
}

StriaePatient *
striae_bench_people_make (GRand *rand,
                          guint  serial)
{
  const Culture *culture = &cultures[g_rand_int_range (rand, 0, G_N_ELEMENTS (cultures))];
  StriaePatient *patient = striae_patient_new ();
  const char *given = pick (rand, culture->given);
  const char *family = pick (rand, culture->family);
  g_autofree char *phone = NULL;
  GDate date;

  striae_patient_set_given_name (patient, given);
  striae_patient_set_family_name (patient, family);

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 1, G_DATE_JANUARY, 1935);
  g_date_add_days (&date, g_rand_int_range (rand, 0, 365 * 73));
  striae_patient_set_birth_date (patient, &date);

  striae_patient_set_sex (patient, g_rand_int_range (rand, 0, 10) < 8 ? STRIAE_SEX_FEMALE
                                                                       : STRIAE_SEX_MALE);
  striae_patient_set_language (patient, culture->language);

  if (g_rand_int_range (rand, 0, 10) < 9)
    {
      phone = g_strdup (culture->phone_pattern);
      for (char *p = phone; *p; p++)
        if (*p == '#')
          *p = '0' + g_rand_int_range (rand, 0, 10);
      striae_patient_set_phone (patient, phone);
    }

  if (g_rand_int_range (rand, 0, 10) < 7)
    {
      g_autofree char *g = striae_bench_people_ascii_part (given);
      g_autofree char *f = striae_bench_people_ascii_part (family);
      g_autofree char *email = NULL;

      if (g != NULL && f != NULL)
        email = g_strdup_printf ("%s.%s%u@%s", g, f, serial % 100, pick (rand, culture->domains));
      else
        email = g_strdup_printf ("patient%u@%s", serial, pick (rand, culture->domains));
      striae_patient_set_email (patient, email);
    }

  if (g_rand_int_range (rand, 0, 10) < 3)
    striae_patient_set_notes (patient, "Referred by her GP. Prefers appointments after 16:00.");

  return patient;
}
