/*
 * model — the records Kodo keeps, as plain structs shared by core/ and store/.
 *
 * Strings are heap-owned by the record and released by its _cleanup
 * function; ids are fixed-size inline arrays so most records need no
 * allocation for them. Times are ms since the epoch; 0 means "not set"
 * (JSON null).
 */
#ifndef KODO_STORE_MODEL_H
#define KODO_STORE_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/crypto.h"

#define ID_LEN CRYPTO_ID_LEN

enum severity { SEV_NONE = 0, SEV_MINOR = 1, SEV_MAJOR = 2, SEV_CRITICAL = 3 };

enum incident_status {
	IST_INVESTIGATING = 0,
	IST_IDENTIFIED = 1,
	IST_MONITORING = 2,
	IST_RESOLVED = 3,
};

enum incident_source {
	SRC_MANUAL = 0,
	SRC_API = 1,
	SRC_AUTO_UPTIME = 2,
	SRC_AUTO_HEARTBEAT = 3,
	SRC_AUTO_INTEGRATION = 4,
	SRC_AUTO_BEACON = 5,
};
#define SRC_COUNT 6

/* Ordered: a higher role may do everything a lower one may. */
enum role { ROLE_VIEWER = 1, ROLE_MEMBER = 2, ROLE_ADMIN = 3, ROLE_OWNER = 4 };

struct org {
	char id[ID_LEN];
	char *name;
	char *slug;
	int64_t created_at;
};

struct user {
	char id[ID_LEN];
	char org_id[ID_LEN];
	char *name;
	char *email; /* may be NULL */
	char *pw_hash;
	enum role role;
	int64_t created_at;
};

struct api_token {
	char id[ID_LEN];
	char org_id[ID_LEN];
	char user_id[ID_LEN]; /* "" when the token has no user */
	char *name;
	char hash[CRYPTO_HASH_HEX_LEN];
	enum role role;
	bool instance_owner; /* may manage organizations */
	int64_t created_at;
};

/* Who is calling: resolved from a token or a session. */
struct principal {
	char org_id[ID_LEN];
	char user_id[ID_LEN];
	char name[128]; /* author shown on updates */
	enum role role;
	bool instance_owner;
	bool via_token; /* API token (source "api") vs dashboard session */
};

struct service {
	char id[ID_LEN];
	char org_id[ID_LEN];
	char *name;
	char *description;
	char *group; /* NULL when ungrouped */
	int64_t position;
	int64_t created_at;
	int64_t updated_at;
};

struct service_ref {
	char id[ID_LEN];
	char *name;
};

struct update {
	char id[ID_LEN];
	enum incident_status status;
	char *message;
	char *author;
	int64_t created_at;
	bool is_new; /* not yet stored: the store inserts it on save */
};

struct incident {
	char id[ID_LEN];
	char org_id[ID_LEN];
	int64_t seq; /* store-assigned insertion order, for cursors */
	char *title;
	enum severity severity;
	enum incident_status status;
	enum incident_source source;
	bool draft;
	struct service_ref *services;
	size_t n_services;
	struct update *updates; /* newest first */
	size_t n_updates;
	int64_t started_at;
	int64_t created_at;
	int64_t updated_at;
	int64_t published_at;
	int64_t resolved_at;
	char *retrospective; /* NULL when none */
	char monitor_id[ID_LEN]; /* "" for incidents not opened by a monitor */
};

/* Settings > Automation. -1 in auto_publish_after_s means never (null). */
struct automation {
	bool draft_mode;
	int64_t auto_publish_after_s;
	int64_t failures_to_open;
	int64_t successes_to_resolve;
	int64_t flap_window_s;
	int64_t flap_max_transitions;
	int64_t cooldown_s;
	int64_t notification_batch_s;
	bool auto_resolve;
	int64_t stale_after_s; /* dashboard flags active incidents this long
				  without an update; 0: never */
};

void org_cleanup(struct org *o);
void user_cleanup(struct user *u);
void api_token_cleanup(struct api_token *t);
void service_cleanup(struct service *s);
void service_ref_list_free(struct service_ref *refs, size_t n);
void update_cleanup(struct update *u);
void incident_cleanup(struct incident *inc);
/* Deep copy into dst (caller cleans up). */
void incident_copy(struct incident *dst, const struct incident *src);

/* Names as in API.md; the parsers return false on unknown names. */
const char *severity_name(enum severity s);
bool severity_parse(const char *s, enum severity *out);
const char *incident_status_name(enum incident_status s);
bool incident_status_parse(const char *s, enum incident_status *out);
const char *incident_source_name(enum incident_source s);
bool incident_source_parse(const char *s, enum incident_source *out);
const char *role_name(enum role r);
bool role_parse(const char *s, enum role *out);

#endif
