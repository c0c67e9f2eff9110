/*
 * sqlite_internal — what the SQLite backend's files share: connections with
 * a prepared-statement cache, the reader pool and the group-commit writer.
 * Nothing outside src/store/sqlite_*.c includes this.
 */
#ifndef KODO_STORE_SQLITE_INTERNAL_H
#define KODO_STORE_SQLITE_INTERNAL_H

#include <sqlite3.h>

#include "store/store.h"

#define STMT_CACHE_MAX 128 /* more than the backend's static SQL texts */

struct conn {
	sqlite3 *db;
	struct {
		const char *sql; /* compared by address: SQL is static text */
		sqlite3_stmt *stmt;
	} cache[STMT_CACHE_MAX];
	int n_cached;
	struct conn *next; /* free list link */
};

/*
 * A unit of work for the writer thread. fn runs inside the batch
 * transaction under its own savepoint: a failing job rolls back alone.
 */
typedef int (*write_fn)(struct conn *c, void *arg, struct kerr *err);

/* Runs fn on the writer and waits until its batch is durable. */
int store_write(struct store *st, write_fn fn, void *arg, struct kerr *err);

/* A reader connection, exclusive to the caller until released. */
struct conn *conn_acquire(struct store *st);
void conn_release(struct store *st, struct conn *c);

/* A cached statement, reset and unbound; NULL (logged) on failure. */
sqlite3_stmt *conn_stmt(struct conn *c, const char *sql);

/* Column helpers: new strings (NULL for SQL NULL) and inline ids. */
char *col_text(sqlite3_stmt *s, int i);
void col_id(sqlite3_stmt *s, int i, char out[ID_LEN]);
void bind_text(sqlite3_stmt *s, int i, const char *text);
void bind_time(sqlite3_stmt *s, int i, int64_t ms); /* 0 binds NULL */

/* Maps an SQLite result to KODO_E*: constraint errors to KODO_ECONFLICT. */
int sqlite_rc(struct conn *c, int rc, const char *what);

/* Incidents are read the same way everywhere (sqlite_incident.c): the
 * columns to select, the row, then its services and updates. */
#define SQLITE_INCIDENT_COLS                                               \
	"seq, id, org_id, title, severity, status, source, draft, started_at," \
	" created_at, updated_at, published_at, resolved_at, retrospective,"  \
	" monitor_id"
void sqlite_incident_read_row(sqlite3_stmt *s, struct incident *inc);
int sqlite_incident_read_children(struct conn *c, struct incident *inc);

/* Applies numbered migrations; 0 or KODO_EIO. */
int sqlite_migrate(sqlite3 *db, struct kerr *err);

#endif
