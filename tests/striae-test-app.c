/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "striae-lock-page.h"
#include "striae-window.h"
#include "striae-test-app.h"
#include "striae-test-cli.h"
#include "striae-test-store.h"

StriaeStore *
striae_test_app_open_with_admin (const char *database)
{
  g_autoptr(StriaeStore) store = NULL;
  g_autoptr(GError) error = NULL;

  store = striae_store_open (database, &error);
  g_assert_no_error (error);
  if (striae_store_needs_setup (store))
    g_assert_true (striae_store_create_first_admin (store, STRIAE_TEST_ACCOUNT, NULL,
                                                    STRIAE_TEST_PASSWORD, &error));
  else
    g_assert_true (striae_store_sign_in (store, STRIAE_TEST_ACCOUNT, STRIAE_TEST_PASSWORD,
                                         &error));
  g_assert_no_error (error);
  return g_steal_pointer (&store);
}

static StriaeWindow *
main_window (StriaeApplication *app)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l; l = l->next)
    if (STRIAE_IS_WINDOW (l->data))
      return l->data;
  return NULL;
}

static GtkWidget *
find_row (GtkWidget  *widget,
          const char *title)
{
  if (ADW_IS_PREFERENCES_ROW (widget) &&
      g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_row (child, title);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
unlocked (gpointer data)
{
  return !striae_window_get_locked (data);
}

void
striae_test_app_sign_in (StriaeApplication *app)
{
  StriaeWindow *window = main_window (app);
  StriaeLockPage *page;
  GtkWidget *password_row;

  g_assert_nonnull (window);
  g_assert_true (striae_window_get_locked (window));
  page = striae_window_get_lock_page (window);
  gtk_editable_set_text (GTK_EDITABLE (find_row (GTK_WIDGET (page), _("Account Name"))),
                         STRIAE_TEST_ACCOUNT);
  password_row = find_row (GTK_WIDGET (page), _("Password"));
  gtk_editable_set_text (GTK_EDITABLE (password_row), STRIAE_TEST_PASSWORD);
  g_signal_emit_by_name (password_row, "entry-activated");
  g_assert_true (striae_test_wait_for (unlocked, window));
}

void
striae_test_app_remove_database (const char *database)
{
  for (const char *suffix = ""; suffix != NULL;
       suffix = g_str_equal (suffix, "") ? "-wal" : g_str_equal (suffix, "-wal") ? "-shm" : NULL)
    {
      g_autofree char *file = g_strconcat (database, suffix, NULL);

      g_remove (file);
    }
}

static sqlite3_stmt *
query (const char  *database,
       const char  *sql,
       sqlite3    **db)
{
  sqlite3_stmt *statement = NULL;

  g_assert_cmpint (sqlite3_open_v2 (database, db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (*db, sql, -1, &statement, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (statement), ==, SQLITE_ROW);
  return statement;
}

gint64
striae_test_app_query_int (const char *database,
                           const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *statement = query (database, sql, &db);
  gint64 value = sqlite3_column_int64 (statement, 0);

  sqlite3_finalize (statement);
  sqlite3_close (db);
  return value;
}

char *
striae_test_app_query_text (const char *database,
                            const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *statement = query (database, sql, &db);
  char *value = g_strdup ((const char *) sqlite3_column_text (statement, 0));

  sqlite3_finalize (statement);
  sqlite3_close (db);
  return value;
}
