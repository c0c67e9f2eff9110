/*
 * incident — the incident lifecycle and its rules.
 *
 * investigating → identified → monitoring → resolved, in any order: every
 * status change is an update; resolved sets resolved_at and a later
 * non-resolved update reopens the incident. Drafts stay off every public
 * route until published; only drafts may be deleted. Writes need the
 * member role, reads any role.
 */
#ifndef KODO_CORE_INCIDENT_H
#define KODO_CORE_INCIDENT_H

#include "core/core.h"

#define INCIDENT_TITLE_MAX 200
#define INCIDENT_MESSAGE_MAX 10000
#define INCIDENT_RETRO_MAX 20000
#define INCIDENT_SERVICES_MAX 100

/* A create or a partial update; NULL members are absent. */
struct incident_input {
	const char *title;
	const char *severity;
	const char *status;  /* create only */
	const char *message; /* create only */
	int draft;	     /* create only: -1 absent, else 0/1 */
	bool has_services;
	const char *const *services; /* ids or names */
	size_t n_services;
	bool has_retrospective;
	const char *retrospective; /* NULL or "" clears */
};

/* All results are new records (incident_cleanup). */
int incident_create(struct core *core, const struct principal *p,
		    const struct incident_input *in, struct incident *out,
		    struct kerr *err);
int incident_patch(struct core *core, const struct principal *p,
		   const char *id, const struct incident_input *in,
		   struct incident *out, struct kerr *err);
/* Posts status + message; out gets the whole incident (updates[0] is new). */
int incident_post_update(struct core *core, const struct principal *p,
			 const char *id, const char *status,
			 const char *message, struct incident *out,
			 struct kerr *err);
int incident_publish(struct core *core, const struct principal *p,
		     const char *id, struct incident *out, struct kerr *err);
/* KODO_ECONFLICT for a published incident. */
int incident_delete(struct core *core, const struct principal *p,
		    const char *id, struct kerr *err);
int incident_get(struct core *core, const struct principal *p, const char *id,
		 struct incident *out);
/* An incident opened by the safeguard pipeline (source auto_*). */
struct auto_incident {
	const char *org_id;
	const char *monitor_id; /* attached to the new incident */
	const char *title;
	const char *message;
	enum severity severity;
	enum incident_source source;
	const struct service_ref *services;
	size_t n_services;
	bool draft;
	int64_t started_at; /* the first failing check */
};

/* Creates it and attaches its monitor, atomically; KODO_ECONFLICT when the
 * monitor already has an open auto-incident (the database's rule). */
int incident_create_auto(struct core *core, const struct auto_incident *a,
			 struct incident *out, struct kerr *err);

#define KEEP_STATUS (-1)  /* incident_note: leave the status as it is */
#define INVESTIGATE (-2) /* ... unless monitoring or resolved: investigating */

/* Posts a message keeping (or, with INVESTIGATE, reopening) the status, or
 * with a status >= 0 taking that status. As p, which may be the system. */
int incident_note(struct core *core, const struct principal *p,
		  const char *id, int status, const char *message,
		  struct incident *out, struct kerr *err);

/* Newest first; see store_incident_list. */
int incident_list(struct core *core, const struct principal *p,
		  const struct incident_filter *f, struct incident **out,
		  size_t *n, int64_t *next_seq);

#endif
