/*
 * pages_dash_team — Dashboard > Team (the organization's users: add one
 * with a password or an invitation link, change a role, remove) and
 * Account (change one's own password). The rules are core/user.h's.
 */
#include <stdio.h>
#include <string.h>

#include "core/user.h"
#include "http/cookie.h"
#include "http/pages_dash.h"

static const char *const role_options[][2] = {
	{ "viewer", "Viewer" },
	{ "member", "Member" },
	{ "admin", "Admin" },
	{ "owner", "Owner" },
};

static void user_url(char *out, size_t cap, const char *id, const char *what)
{
	snprintf(out, cap, "/dashboard/team/%s/%s", id, what);
}

/* Whether d's user may change u (core checks it again). */
static bool may_change(const struct dash *d, const struct user *u)
{
	return dash_can(d, ROLE_ADMIN) && u->role <= d->who->role &&
	       strcmp(u->id, d->who->user_id) != 0;
}

static void role_cell(struct dash *d, const struct user *u)
{
	if (!may_change(d, u)) {
		buf_puts(d->b, role_name(u->role));
		return;
	}
	char url[128];
	user_url(url, sizeof(url), u->id, "role");
	dash_form_open(d, url, "inline role-form");
	buf_printf(d->b, "<label class=\"sr\" for=\"role-%s\">Role of ", u->id);
	dash_esc(d, u->name);
	buf_printf(d->b, "</label><select id=\"role-%s\" name=\"role\">", u->id);
	for (size_t i = 0; i < (size_t)d->who->role; i++)
		buf_printf(d->b, "<option value=\"%s\"%s>%s</option>",
			   role_options[i][0],
			   u->role == (enum role)(i + 1) ? " selected" : "",
			   role_options[i][1]);
	buf_puts(d->b, "</select> <button type=\"submit\" class=\"secondary\">"
		       "Change</button></form>");
}

static void user_row(struct dash *d, const struct user *u)
{
	buf_printf(d->b, "<tr data-id=\"%s\"><th scope=\"row\">", u->id);
	dash_esc(d, u->name);
	if (strcmp(u->id, d->who->user_id) == 0)
		buf_puts(d->b, " <span class=\"quiet\">(you)</span>");
	buf_puts(d->b, "</th><td>");
	if (u->email)
		dash_esc(d, u->email);
	else
		buf_puts(d->b, "<span class=\"quiet\">—</span>");
	buf_puts(d->b, "</td><td>");
	role_cell(d, u);
	buf_puts(d->b, "</td><td>");
	buf_puts(d->b, u->pw_hash && u->pw_hash[0] ? "Active"
						   : "Invited (no password yet)");
	buf_puts(d->b, "</td><td>");
	if (may_change(d, u)) {
		char url[128];
		user_url(url, sizeof(url), u->id, "remove");
		buf_printf(d->b, "<a href=\"%s\">Remove…</a>", url);
	}
	buf_puts(d->b, "</td></tr>\n");
}

/* The invitation link, absolute when the Host header looks sane. */
static void invite_link(struct dash *d, const char *token)
{
	const char *host = req_header(d->req, "Host");
	bool ok = host && *host && strlen(host) < 256 &&
		  strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTU"
			       "VWXYZ0123456789.-:[]") == strlen(host);
	if (ok)
		buf_printf(d->b, "%s://%s",
			   cookie_secure_req(d->req) ? "https" : "http", host);
	buf_printf(d->b, "/invite/%s", token);
}

static void team_page(struct dash *d, int status, const struct user *made,
		      const char *invite, const struct kerr *err)
{
	struct user *list = NULL;
	size_t n = 0;
	int rc = user_list(&d->app->core, d->who, &list, &n);
	if (rc) {
		dash_fail(d, rc, NULL);
		return;
	}
	buf_reset(d->b);
	dash_begin(d, status, "Team", "team");
	buf_puts(d->b, "<div class=\"head\"><h1>Team</h1></div>\n");
	dash_flash(d);
	if (made) {
		buf_puts(d->b, "<section class=\"notice ok\" role=\"status\"><h2>");
		dash_esc(d, made->name);
		buf_puts(d->b, " was added</h2>");
		if (invite && invite[0]) {
			buf_puts(d->b, "<p>Send them this link to choose a "
				       "password. It works once, for 7 days, and "
				       "is shown only now:</p><p><code "
				       "class=\"secret\" id=\"invite-link\">");
			invite_link(d, invite);
			buf_puts(d->b, "</code></p>");
		} else {
			buf_puts(d->b, "<p>They can sign in with the password you "
				       "set.</p>");
		}
		buf_puts(d->b, "</section>\n");
	}
	buf_puts(d->b, "<div class=\"scroll\"><table class=\"list\" id=\"team\">"
		       "<caption class=\"sr\">Users</caption><thead><tr><th "
		       "scope=\"col\">Name</th><th scope=\"col\">Email</th><th "
		       "scope=\"col\">Role</th><th scope=\"col\">Status</th><th "
		       "scope=\"col\"><span class=\"sr\">Actions</span></th></tr>"
		       "</thead><tbody>\n");
	for (size_t i = 0; i < n; i++)
		user_row(d, &list[i]);
	buf_puts(d->b, "</tbody></table></div>\n");
	if (dash_can(d, ROLE_ADMIN)) {
		buf_puts(d->b, "<section class=\"card\" aria-labelledby=\"add-h\">"
			       "<h2 id=\"add-h\">Add a user</h2>\n");
		if (!made)
			dash_error_box(d, err);
		dash_form_open(d, "/dashboard/team", "stack");
		const char *keep = made ? NULL : "";
		dash_input(d, "text", "name", "Name",
			   keep ? dash_value(d, "name", NULL) : NULL,
			   "They may sign in with it.",
			   "maxlength=\"100\" required", err);
		dash_input(d, "email", "email", "Email",
			   keep ? dash_value(d, "email", NULL) : NULL,
			   "Optional; they may sign in with it too.",
			   "maxlength=\"254\"", err);
		dash_select(d, "role", "Role", role_options,
			    (size_t)d->who->role,
			    keep ? dash_value(d, "role", "member") : "member",
			    err);
		dash_input(d, "password", "password", "Password", NULL,
			   "Leave empty to get an invitation link instead, so "
			   "that they choose their own.",
			   "autocomplete=\"new-password\" minlength=\"8\"", err);
		buf_puts(d->b, "<div class=\"actions\"><button type=\"submit\">"
			       "Add user</button></div></form></section>\n");
	}
	store_user_list_free(list, n);
	dash_end(d);
}

void dash_team(struct dash *d)
{
	team_page(d, 200, NULL, NULL, NULL);
}

void dash_user_create(struct dash *d)
{
	struct user_input in = { form_get(&d->form, "name"),
				 form_get(&d->form, "email"),
				 form_get(&d->form, "role"),
				 form_get(&d->form, "password") };
	struct kerr err = { 0 };
	struct user u;
	char invite[USER_INVITE_LEN];
	int rc = user_create(&d->app->core, d->who, &in, &u, invite, &err);
	if (rc == KODO_EINVAL || rc == KODO_ECONFLICT ||
	    (rc == KODO_EFORBIDDEN && err.has_field)) {
		team_page(d, http_status_of(rc), NULL, NULL, &err);
		return;
	}
	if (rc) {
		dash_fail(d, rc, &err);
		return;
	}
	team_page(d, 201, &u, invite, NULL);
	user_cleanup(&u);
}

void dash_user_role(struct dash *d)
{
	struct kerr err = { 0 };
	int rc = user_set_role(&d->app->core, d->who, d->req->params[0],
			       form_get(&d->form, "role"), &err);
	if (rc)
		dash_fail(d, rc, &err);
	else
		dash_done(d, "/dashboard/team", "role_saved");
}

void dash_user_delete(struct dash *d)
{
	struct user u;
	int rc = store_user_get(d->app->core.store, d->who->org_id,
				d->req->params[0], &u);
	if (rc) {
		dash_fail(d, rc, NULL);
		return;
	}
	struct kerr err = { 0 };
	if (d->post) {
		rc = user_delete(&d->app->core, d->who, u.id, &err);
		if (rc)
			dash_fail(d, rc, &err);
		else
			dash_done(d, "/dashboard/team", "user_removed");
		user_cleanup(&u);
		return;
	}
	char url[128];
	user_url(url, sizeof(url), u.id, "remove");
	dash_begin(d, 200, "Remove user", "team");
	buf_puts(d->b, "<section class=\"card narrow\"><h1>Remove ");
	dash_esc(d, u.name);
	buf_puts(d->b, "?</h1><p>They are signed out everywhere and their API "
		       "tokens stop working. Their updates stay in the "
		       "timelines.</p>");
	dash_form_open(d, url, NULL);
	buf_puts(d->b, "<div class=\"actions\"><button type=\"submit\" "
		       "class=\"danger\">Remove user</button> <a href=\""
		       "/dashboard/team\">Cancel</a></div></form></section>\n");
	dash_end(d);
	user_cleanup(&u);
}

/* --- account --- */

static void account_page(struct dash *d, const struct kerr *err)
{
	buf_reset(d->b);
	dash_begin(d, err ? http_status_of(err->code) : 200, "Your account",
		   NULL);
	buf_puts(d->b, "<div class=\"head\"><h1>Your account</h1></div>\n");
	dash_flash(d);
	buf_puts(d->b, "<section class=\"card\"><dl class=\"facts\"><dt>Name"
		       "</dt><dd>");
	dash_esc(d, d->who->name);
	buf_puts(d->b, "</dd><dt>Email</dt><dd>");
	dash_esc(d, d->s.email[0] ? d->s.email : "—");
	buf_printf(d->b, "</dd><dt>Role</dt><dd>%s</dd><dt>Organization</dt><dd>",
		   role_name(d->who->role));
	dash_esc(d, d->s.org_name);
	buf_puts(d->b, "</dd></dl></section>\n<section class=\"card narrow\" "
		       "aria-labelledby=\"pw-h\"><h2 id=\"pw-h\">Change password"
		       "</h2>\n");
	dash_error_box(d, err);
	dash_form_open(d, "/dashboard/account", "stack");
	dash_input(d, "password", "current_password", "Current password", NULL,
		   NULL, "autocomplete=\"current-password\" required", err);
	dash_input(d, "password", "password", "New password", NULL,
		   "At least 8 characters. Your other sessions are signed out.",
		   "autocomplete=\"new-password\" minlength=\"8\" required", err);
	buf_puts(d->b, "<div class=\"actions\"><button type=\"submit\">Change "
		       "password</button></div></form></section>\n");
	dash_end(d);
}

void dash_account(struct dash *d)
{
	account_page(d, NULL);
}

void dash_account_save(struct dash *d)
{
	struct kerr err = { 0 };
	int rc = user_change_password(&d->app->core, d->who,
				      form_get(&d->form, "current_password"),
				      form_get(&d->form, "password"),
				      d->s.row.hash, &err);
	if (rc == KODO_EINVAL)
		account_page(d, &err);
	else if (rc)
		dash_fail(d, rc, &err);
	else
		dash_done(d, "/dashboard/account", "password_changed");
}
