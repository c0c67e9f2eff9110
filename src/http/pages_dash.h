/*
 * pages_dash — what the dashboard's pages share: the request context,
 * the page frame (head, navigation, footer), form pieces and responses.
 *
 * pages_dashboard.c owns the route table, sign-in and the frame; each
 * section has its file (pages_dash_incidents.c, _services.c, _monitors.c,
 * _settings.c, _team.c). A page handler gets a struct dash whose session
 * is live and, for a POST, whose form is parsed and whose CSRF token has
 * been checked; it calls core/ and writes HTML (every piece of user text
 * through util/html.h or util/markdown.h) or redirects (303, so that a
 * reload never posts twice). The pages work without JavaScript.
 */
#ifndef KODO_HTTP_PAGES_DASH_H
#define KODO_HTTP_PAGES_DASH_H

#include <stdbool.h>

#include "core/session.h"
#include "http/app.h"
#include "http/form.h"
#include "util/buf.h"

struct dash {
	struct app *app;
	struct http_req *req;
	struct http_resp *resp;
	struct buf *b; /* the response body */
	struct session_record s;
	const struct principal *who; /* &s.who */
	struct form form;	     /* POST only */
	bool post;
	int64_t now;
};

typedef void (*dash_fn)(struct dash *d);

/* --- responses --- */

/* 303 to location (a path of this site). */
void dash_redirect(struct dash *d, const char *location);
/* 303 to location with ?done=what (a flash message key, see dash_flash). */
void dash_done(struct dash *d, const char *location, const char *what);
/* A whole error page: status, heading and sentence (not escaped: static). */
void dash_error(struct dash *d, int status, const char *title,
		const char *message);
/* The error page of a core result: 403, 404, 409, 422 or 500. */
void dash_fail(struct dash *d, int rc, const struct kerr *err);

/* --- the frame --- */

/* Starts an HTML page (status, <title>, navigation with nav marked). */
void dash_begin(struct dash *d, int status, const char *title,
		const char *nav);
void dash_end(struct dash *d);
/* The message for ?done= (if any), and an error box for err (if set). */
void dash_flash(struct dash *d);
void dash_error_box(struct dash *d, const struct kerr *err);

/* --- pieces --- */

void dash_esc(struct dash *d, const char *s);
/* <input type=hidden name=csrf>, for every form. */
void dash_csrf(struct dash *d);
/* <form method=post action=...> with its CSRF field. */
void dash_form_open(struct dash *d, const char *action, const char *cls);
/* A one-button form (publish, pause, ...). */
void dash_button_form(struct dash *d, const char *action, const char *label,
		      const char *cls);
/* A labelled text input; value escaped; err marks it invalid when err
 * names this field. type: "text", "email", "password", "number", "url". */
void dash_input(struct dash *d, const char *type, const char *name,
		const char *label, const char *value, const char *hint,
		const char *attrs, const struct kerr *err);
void dash_textarea(struct dash *d, const char *name, const char *label,
		   const char *value, const char *hint, const char *attrs,
		   const struct kerr *err);
/* <select> of options (value, label pairs, n of them). */
void dash_select(struct dash *d, const char *name, const char *label,
		 const char *const (*options)[2], size_t n,
		 const char *selected, const struct kerr *err);
void dash_checkbox(struct dash *d, const char *name, const char *value,
		   const char *label, bool checked);
/* The POSTed value of name, else fallback (for re-shown forms). */
const char *dash_value(const struct dash *d, const char *name,
		       const char *fallback);
/* How long ago ms was: "12 s", "5 min", "3 h", "2 d"; dash_ago says
 * "5 min ago", or "just now" within a minute. */
void dash_age(struct dash *d, int64_t ms);
void dash_ago(struct dash *d, int64_t ms);
/* <time> in UTC, as on the public page. */
void dash_time(struct dash *d, int64_t ms);
/* The public page of the organization: "/" or "/status/{slug}". */
void dash_public_href(struct dash *d);
bool dash_can(const struct dash *d, enum role role);

/* --- section pages --- */

void dash_incidents(struct dash *d);
void dash_incident_new(struct dash *d);
void dash_incident_create(struct dash *d);
void dash_incident(struct dash *d);
void dash_incident_update(struct dash *d);
void dash_incident_edit(struct dash *d);
void dash_incident_publish(struct dash *d);
void dash_incident_discard(struct dash *d);
void dash_incident_retro(struct dash *d);

void dash_services(struct dash *d);
void dash_service_create(struct dash *d);
void dash_service(struct dash *d);
void dash_service_save(struct dash *d);
void dash_service_move(struct dash *d);
void dash_service_delete(struct dash *d);

void dash_monitors(struct dash *d);
void dash_monitor_new(struct dash *d);
void dash_monitor_create(struct dash *d);
void dash_monitor(struct dash *d);
void dash_monitor_save(struct dash *d);
void dash_monitor_pause(struct dash *d);
void dash_monitor_resume(struct dash *d);
void dash_monitor_delete(struct dash *d);

void dash_automation(struct dash *d);
void dash_automation_save(struct dash *d);
void dash_status_page(struct dash *d);
void dash_status_page_save(struct dash *d);
void dash_tokens(struct dash *d);
void dash_token_create(struct dash *d);
void dash_token_revoke(struct dash *d);

void dash_team(struct dash *d);
void dash_user_create(struct dash *d);
void dash_user_role(struct dash *d);
void dash_user_delete(struct dash *d);
void dash_account(struct dash *d);
void dash_account_save(struct dash *d);
void dash_orgs(struct dash *d);
void dash_org_create(struct dash *d);

#endif
