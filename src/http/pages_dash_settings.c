/*
 * pages_dash_settings — Dashboard > Settings: Automation (the safeguard
 * pipeline's parameters and the stale threshold, core/settings.h), Status
 * page (name, logo, accent color, core/page_settings.h), API tokens
 * (create — shown once —, list, revoke, core/auth.h) and, for the
 * instance owner, Organizations (core/user.h). Everyone may read the
 * first two; changes, and the token list, need the admin role.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "core/auth.h"
#include "core/page_settings.h"
#include "core/settings.h"
#include "core/user.h"
#include "http/pages_dash.h"
#include "util/text.h"

static const char *const role_options[][2] = {
	{ "viewer", "Viewer — reads everything, changes nothing" },
	{ "member", "Member — runs incidents" },
	{ "admin", "Admin — also services, monitors, settings, team" },
	{ "owner", "Owner — everything" },
};

/* The roles p may grant: the options up to p's role. */
static size_t grantable(const struct dash *d)
{
	return (size_t)d->who->role;
}

static void settings_nav(struct dash *d, const char *current)
{
	static const char *const tabs[][3] = {
		{ "automation", "/dashboard/settings/automation", "Automation" },
		{ "status-page", "/dashboard/settings/status-page", "Status page" },
		{ "tokens", "/dashboard/settings/tokens", "API tokens" },
		{ "organizations", "/dashboard/settings/organizations",
		  "Organizations" },
	};
	buf_puts(d->b, "<nav class=\"tabs\" aria-label=\"Settings\"><ul>");
	for (size_t i = 0; i < 4; i++) {
		if (i == 2 && !dash_can(d, ROLE_ADMIN))
			continue;
		if (i == 3 && !d->who->instance_owner)
			continue;
		buf_printf(d->b, "<li><a href=\"%s\"%s>%s</a></li>", tabs[i][1],
			   strcmp(current, tabs[i][0]) == 0
				   ? " aria-current=\"page\""
				   : "",
			   tabs[i][2]);
	}
	buf_puts(d->b, "</ul></nav>\n");
}

static void settings_begin(struct dash *d, int status, const char *title,
			   const char *tab)
{
	buf_reset(d->b);
	dash_begin(d, status, title, "settings");
	buf_puts(d->b, "<div class=\"head\"><h1>Settings</h1></div>\n");
	settings_nav(d, tab);
	dash_flash(d);
}

/* --- automation --- */

struct number_field {
	const char *name, *label, *hint, *attrs;
	size_t off; /* in struct automation */
};

#define NF(f, label, hint, attrs) \
	{ #f, label, hint, attrs, offsetof(struct automation, f) }
static const struct number_field numbers[] = {
	NF(failures_to_open, "Failures before an incident opens",
	   "Failed checks in a row (a monitor may override it).",
	   "min=\"1\" max=\"100\""),
	NF(successes_to_resolve, "Successes before recovery",
	   "Good checks in a row before an incident recovers.",
	   "min=\"1\" max=\"100\""),
	NF(flap_window_s, "Flap window (seconds)",
	   "State changes are counted within this window.",
	   "min=\"60\" max=\"86400\""),
	NF(flap_max_transitions, "Flapping after this many changes",
	   "More state changes than this within the window is flapping: no "
	   "incident opens while it lasts.",
	   "min=\"2\" max=\"1000\""),
	NF(cooldown_s, "Cooldown (seconds)",
	   "No new incident for a monitor within this time after its last "
	   "one (900 = 15 minutes).",
	   "min=\"0\" max=\"604800\""),
	NF(notification_batch_s, "Notification batching (seconds)",
	   "Notifications are collected over this many seconds and sent "
	   "together.",
	   "min=\"0\" max=\"3600\""),
	NF(stale_after_s, "Flag active incidents as stale after (seconds)",
	   "Without an update for this long an incident is flagged Stale "
	   "(1800 = 30 minutes; 0 never).",
	   "min=\"0\" max=\"86400\""),
};
#undef NF
#define N_NUMBERS (sizeof(numbers) / sizeof(numbers[0]))

static void automation_form(struct dash *d, const struct automation *a,
			    const struct kerr *err)
{
	bool edit = dash_can(d, ROLE_ADMIN);
	const char *ro = edit ? "" : " disabled";
	char v[32], attrs[128];
	buf_puts(d->b, "<section class=\"card\" aria-labelledby=\"auto-h\"><h2 "
		       "id=\"auto-h\">Automation</h2><p class=\"quiet\">How "
		       "incidents opened by monitors behave.</p>\n");
	dash_error_box(d, err);
	if (!edit)
		buf_puts(d->b, "<p class=\"quiet\">Only admins can change these."
			       "</p>");
	dash_form_open(d, "/dashboard/settings/automation", "stack");
	buf_puts(d->b, "<fieldset class=\"field\"><legend>Draft mode</legend>");
	buf_printf(d->b, "<label class=\"check\"><input type=\"checkbox\" "
			 "name=\"draft_mode\" value=\"1\"%s%s> Auto-created "
			 "incidents start as drafts (not on the public status "
			 "page until published)</label>",
		   a->draft_mode ? " checked" : "", ro);
	buf_puts(d->b, "</fieldset>\n");
	if (a->auto_publish_after_s >= 0)
		snprintf(v, sizeof(v), "%lld", (long long)a->auto_publish_after_s);
	else
		v[0] = '\0';
	snprintf(attrs, sizeof(attrs), "min=\"0\" max=\"604800\"%s", ro);
	dash_input(d, "number", "auto_publish_after_s",
		   "Auto-publish drafts after (seconds)",
		   dash_value(d, "auto_publish_after_s", v),
		   "Empty: drafts wait until someone publishes them.", attrs,
		   err);
	for (size_t i = 0; i < N_NUMBERS; i++) {
		const struct number_field *f = &numbers[i];
		snprintf(v, sizeof(v), "%lld",
			 (long long)*(const int64_t *)((const char *)a + f->off));
		snprintf(attrs, sizeof(attrs), "%s required%s", f->attrs, ro);
		dash_input(d, "number", f->name, f->label,
			   dash_value(d, f->name, v), f->hint, attrs, err);
	}
	buf_printf(d->b, "<label class=\"check\"><input type=\"checkbox\" "
			 "name=\"auto_resolve\" value=\"1\"%s%s> Resolve "
			 "auto-created incidents when the monitor recovers"
			 "</label>\n",
		   a->auto_resolve ? " checked" : "", ro);
	if (edit)
		buf_puts(d->b, "<div class=\"actions\"><button type=\"submit\">"
			       "Save automation settings</button></div>");
	buf_puts(d->b, "</form></section>\n");
}

static void automation_page(struct dash *d, const struct kerr *err)
{
	struct automation a;
	int rc = automation_get(&d->app->core, d->who, &a);
	if (rc) {
		dash_fail(d, rc, NULL);
		return;
	}
	settings_begin(d, err ? http_status_of(err->code) : 200,
		       "Automation settings", "automation");
	automation_form(d, &a, err);
	dash_end(d);
}

void dash_automation(struct dash *d)
{
	automation_page(d, NULL);
}

static int patch_number(const struct dash *d, const char *name, bool nullable,
			struct opt_int *o, struct kerr *err)
{
	const char *v = form_get(&d->form, name);
	if (!v)
		return 0;
	o->set = true;
	if (!*v && nullable) {
		o->null = true;
		return 0;
	}
	if (!text_parse_int(v, INT64_MIN, INT64_MAX, &o->v))
		return kerr_set(err, KODO_EINVAL, name,
				"%s must be a whole number", name);
	return 0;
}

void dash_automation_save(struct dash *d)
{
	struct automation_patch p = { 0 };
	struct kerr err = { 0 };
	/* Unchecked boxes are absent from the form: absent means off. */
	p.draft_mode = (struct opt_int){ true, false,
					 form_get(&d->form, "draft_mode") != NULL };
	p.auto_resolve = (struct opt_int){
		true, false, form_get(&d->form, "auto_resolve") != NULL
	};
	int rc = patch_number(d, "auto_publish_after_s", true,
			      &p.auto_publish_after_s, &err);
	struct opt_int *fields[] = { &p.failures_to_open,
				     &p.successes_to_resolve,
				     &p.flap_window_s,
				     &p.flap_max_transitions,
				     &p.cooldown_s,
				     &p.notification_batch_s,
				     &p.stale_after_s };
	_Static_assert(sizeof(fields) / sizeof(fields[0]) == N_NUMBERS,
		       "one patch field per number");
	for (size_t i = 0; rc == 0 && i < N_NUMBERS; i++)
		rc = patch_number(d, numbers[i].name, false, fields[i], &err);
	struct automation a = { 0 };
	if (rc == 0)
		rc = automation_update(&d->app->core, d->who, &p, &a, &err);
	if (rc == KODO_EINVAL)
		automation_page(d, &err);
	else if (rc)
		dash_fail(d, rc, &err);
	else
		dash_done(d, "/dashboard/settings/automation",
			  "automation_saved");
}

/* --- status page --- */

static void status_page_page(struct dash *d, const struct kerr *err)
{
	struct page_settings raw;
	int rc = store_page_settings_get(d->app->core.store, d->who->org_id,
					 &raw);
	if (rc) {
		dash_fail(d, rc, NULL);
		return;
	}
	bool edit = dash_can(d, ROLE_ADMIN);
	const char *ro = edit ? "" : "disabled";
	settings_begin(d, err ? http_status_of(err->code) : 200,
		       "Status page settings", "status-page");
	buf_puts(d->b, "<section class=\"card\" aria-labelledby=\"sp-h\"><h2 "
		       "id=\"sp-h\">Status page</h2><p class=\"quiet\">How your "
		       "public status page looks: <a href=\"");
	dash_public_href(d);
	buf_puts(d->b, "\">open it</a>.</p>\n");
	dash_error_box(d, err);
	dash_form_open(d, "/dashboard/settings/status-page", "stack");
	dash_input(d, "text", "name", "Name", dash_value(d, "name", raw.name),
		   "Empty: the organization's name.", ro, err);
	dash_input(d, "url", "logo_url", "Logo URL",
		   dash_value(d, "logo_url", raw.logo_url),
		   "An https:// image, shown 32 px high. Empty: no logo.", ro,
		   err);
	buf_printf(d->b, "<div class=\"field color\"><label for=\"f-accent_color\">"
			 "Accent color</label><small id=\"h-accent_color\" "
			 "class=\"hint\">Like #1f5fbf. Empty: the default "
			 "(%s).</small><span class=\"swatch-row\"><input "
			 "type=\"text\" id=\"f-accent_color\" name=\"accent_color\" "
			 "value=\"",
		   PAGE_ACCENT_DEFAULT);
	dash_esc(d, dash_value(d, "accent_color", raw.accent_color));
	buf_printf(d->b, "\" pattern=\"#[0-9A-Fa-f]{6}\" maxlength=\"7\" "
			 "aria-describedby=\"h-accent_color\" data-color %s>"
			 "</span></div>\n",
		   ro);
	if (edit)
		buf_puts(d->b, "<div class=\"actions\"><button type=\"submit\">"
			       "Save status page settings</button></div>");
	buf_puts(d->b, "</form></section>\n");
	dash_end(d);
}

void dash_status_page(struct dash *d)
{
	status_page_page(d, NULL);
}

void dash_status_page_save(struct dash *d)
{
	struct page_settings_patch p = { 0 };
	const char *name = form_get(&d->form, "name");
	const char *logo = form_get(&d->form, "logo_url");
	const char *color = form_get(&d->form, "accent_color");
	p.has_name = name != NULL;
	p.name = name && *name ? name : NULL;
	p.has_logo_url = logo != NULL;
	p.logo_url = logo && *logo ? logo : NULL;
	p.has_accent_color = color != NULL;
	p.accent_color = color && *color ? color : NULL;
	struct kerr err = { 0 };
	struct page_settings out;
	int rc = page_settings_update(&d->app->core, d->who, &p, &out, &err);
	if (rc == KODO_EINVAL)
		status_page_page(d, &err);
	else if (rc)
		dash_fail(d, rc, &err);
	else
		dash_done(d, "/dashboard/settings/status-page", "page_saved");
}

/* --- API tokens --- */

static void token_row(struct dash *d, const struct token_info *t)
{
	buf_printf(d->b, "<tr data-id=\"%s\"%s><th scope=\"row\">", t->token.id,
		   t->revoked_at ? " class=\"revoked\"" : "");
	dash_esc(d, t->token.name);
	if (t->token.instance_owner)
		buf_puts(d->b, " <span class=\"badge src\">Instance owner</span>");
	buf_printf(d->b, "</th><td>%s</td><td>", role_name(t->token.role));
	if (t->user_name[0])
		dash_esc(d, t->user_name);
	else
		buf_puts(d->b, "<span class=\"quiet\">—</span>");
	buf_puts(d->b, "</td><td>");
	dash_time(d, t->token.created_at);
	buf_puts(d->b, "</td><td>");
	if (t->revoked_at) {
		buf_puts(d->b, "Revoked ");
		dash_time(d, t->revoked_at);
	} else if (t->token.role <= d->who->role &&
		   (!t->token.instance_owner || d->who->instance_owner)) {
		buf_printf(d->b, "Active · <a href=\"/dashboard/settings/tokens/"
				 "%s/revoke\">Revoke…</a>",
			   t->token.id);
	} else {
		buf_puts(d->b, "Active");
	}
	buf_puts(d->b, "</td></tr>\n");
}

static void tokens_page(struct dash *d, int status, const char *clear,
			const struct kerr *err)
{
	struct token_info *list = NULL;
	size_t n = 0;
	struct kerr lerr = { 0 };
	int rc = auth_token_list(&d->app->core, d->who, &list, &n, &lerr);
	if (rc) {
		dash_fail(d, rc, &lerr);
		return;
	}
	settings_begin(d, status, "API tokens", "tokens");
	if (clear) {
		buf_puts(d->b, "<section class=\"notice ok\" role=\"status\" "
			       "aria-labelledby=\"new-h\"><h2 id=\"new-h\">Your new "
			       "token</h2><p>Copy it now: it is shown only this "
			       "once.</p><p><code class=\"secret\" id=\"new-token\">");
		dash_esc(d, clear);
		buf_puts(d->b, "</code></p><p class=\"quiet\">Use it as "
			       "<code>Authorization: Bearer …</code>.</p>"
			       "</section>\n");
	}
	buf_puts(d->b, "<section class=\"card\" aria-labelledby=\"tok-h\"><h2 "
		       "id=\"tok-h\">API tokens</h2>");
	if (!n)
		buf_puts(d->b, "<p class=\"quiet\">No tokens.</p>");
	else
		buf_puts(d->b, "<div class=\"scroll\"><table class=\"list\" "
			       "id=\"tokens\"><thead><tr><th scope=\"col\">Name"
			       "</th><th scope=\"col\">Role</th><th scope=\"col\">"
			       "Created by</th><th scope=\"col\">Created</th><th "
			       "scope=\"col\">Status</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < n; i++)
		token_row(d, &list[i]);
	if (n)
		buf_puts(d->b, "</tbody></table></div>");
	buf_puts(d->b, "</section>\n<section class=\"card\" aria-labelledby="
		       "\"mk-h\"><h2 id=\"mk-h\">Create a token</h2>\n");
	dash_error_box(d, err);
	dash_form_open(d, "/dashboard/settings/tokens", "stack");
	dash_input(d, "text", "name", "Name", clear ? NULL : dash_value(d, "name", NULL),
		   "What uses it, e.g. \"deploy script\".",
		   "maxlength=\"100\" required", err);
	dash_select(d, "role", "Role", role_options, grantable(d),
		    clear ? "member" : dash_value(d, "role", "member"), err);
	buf_puts(d->b, "<div class=\"actions\"><button type=\"submit\">Create "
		       "token</button></div></form></section>\n");
	store_token_list_free(list, n);
	dash_end(d);
}

void dash_tokens(struct dash *d)
{
	tokens_page(d, 200, NULL, NULL);
}

void dash_token_create(struct dash *d)
{
	struct kerr err = { 0 };
	struct api_token t;
	char clear[CRYPTO_TOKEN_LEN];
	int rc = auth_token_create(&d->app->core, d->who,
				   form_get(&d->form, "name"),
				   form_get(&d->form, "role"), &t, clear, &err);
	if (rc == KODO_EINVAL || (rc == KODO_EFORBIDDEN && err.has_field)) {
		tokens_page(d, http_status_of(rc), NULL, &err);
		return;
	}
	if (rc) {
		dash_fail(d, rc, &err);
		return;
	}
	api_token_cleanup(&t);
	tokens_page(d, 201, clear, NULL);
}

void dash_token_revoke(struct dash *d)
{
	struct kerr err = { 0 };
	if (d->post) {
		int rc = auth_token_revoke(&d->app->core, d->who,
					   d->req->params[0], &err);
		if (rc)
			dash_fail(d, rc, &err);
		else
			dash_done(d, "/dashboard/settings/tokens",
				  "token_revoked");
		return;
	}
	struct token_info t;
	int rc = store_token_get(d->app->core.store, d->who->org_id,
				 d->req->params[0], &t);
	if (rc) {
		dash_fail(d, rc, NULL);
		return;
	}
	char url[128];
	snprintf(url, sizeof(url), "/dashboard/settings/tokens/%s/revoke",
		 t.token.id);
	dash_begin(d, 200, "Revoke token", "settings");
	buf_puts(d->b, "<section class=\"card narrow\"><h1>Revoke ");
	dash_esc(d, t.token.name);
	buf_puts(d->b, "?</h1><p>Anything that uses this token stops working "
		       "at once. This cannot be undone.</p>");
	dash_form_open(d, url, NULL);
	buf_puts(d->b, "<div class=\"actions\"><button type=\"submit\" "
		       "class=\"danger\">Revoke token</button> <a href=\""
		       "/dashboard/settings/tokens\">Cancel</a></div></form>"
		       "</section>\n");
	dash_end(d);
	api_token_cleanup(&t.token);
}

/* --- organizations (the instance owner) --- */

static void orgs_page(struct dash *d, int status, const struct org *made,
		      const char *token, const struct kerr *err)
{
	struct org *list = NULL;
	size_t n = 0;
	struct kerr lerr = { 0 };
	int rc = d->who->instance_owner
			 ? user_org_list(&d->app->core, d->who, &list, &n)
			 : kerr_set(&lerr, KODO_EFORBIDDEN, NULL,
				    "Only the instance owner manages "
				    "organizations.");
	if (rc) {
		dash_fail(d, rc, &lerr);
		return;
	}
	settings_begin(d, status, "Organizations", "organizations");
	if (made) {
		buf_puts(d->b, "<section class=\"notice ok\" role=\"status\"><h2>"
			       "Organization created</h2><p>");
		dash_esc(d, made->name);
		buf_puts(d->b, " is ready; its owner can sign in now. Its owner "
			       "API token, shown only this once:</p><p><code "
			       "class=\"secret\" id=\"new-token\">");
		dash_esc(d, token);
		buf_puts(d->b, "</code></p></section>\n");
	}
	buf_puts(d->b, "<section class=\"card\"><h2>Organizations</h2><ul "
		       "class=\"plain\" id=\"orgs\">");
	for (size_t i = 0; i < n; i++) {
		buf_puts(d->b, "<li><strong>");
		dash_esc(d, list[i].name);
		buf_puts(d->b, "</strong> · <a href=\"/status/");
		dash_esc(d, list[i].slug);
		buf_puts(d->b, "\">/status/");
		dash_esc(d, list[i].slug);
		buf_puts(d->b, "</a></li>");
	}
	buf_puts(d->b, "</ul></section>\n<section class=\"card\"><h2>New "
		       "organization</h2>\n");
	dash_error_box(d, err);
	dash_form_open(d, "/dashboard/settings/organizations", "stack");
	const char *v = made ? NULL : "";
	dash_input(d, "text", "org_name", "Name",
		   v ? dash_value(d, "org_name", NULL) : NULL, NULL,
		   "maxlength=\"100\" required", err);
	dash_input(d, "text", "slug", "Short name",
		   v ? dash_value(d, "slug", NULL) : NULL,
		   "a-z, 0-9 and '-': its status page is /status/short-name.",
		   "maxlength=\"63\" pattern=\"[a-z0-9][a-z0-9-]*\" required",
		   err);
	buf_puts(d->b, "<fieldset class=\"field\"><legend>Its first owner"
		       "</legend>");
	dash_input(d, "text", "name", "Name", v ? dash_value(d, "name", NULL) : NULL,
		   NULL, "maxlength=\"100\" required", err);
	dash_input(d, "email", "email", "Email",
		   v ? dash_value(d, "email", NULL) : NULL, "Optional.",
		   "maxlength=\"254\"", err);
	dash_input(d, "password", "password", "Password", NULL,
		   "At least 8 characters.",
		   "autocomplete=\"new-password\" minlength=\"8\" required", err);
	buf_puts(d->b, "</fieldset><div class=\"actions\"><button "
		       "type=\"submit\">Create organization</button></div>"
		       "</form></section>\n");
	store_org_list_free(list, n);
	dash_end(d);
}

void dash_orgs(struct dash *d)
{
	orgs_page(d, 200, NULL, NULL, NULL);
}

void dash_org_create(struct dash *d)
{
	struct org_input in = {
		form_get(&d->form, "org_name"),
		form_get(&d->form, "slug"),
		{ form_get(&d->form, "name"), form_get(&d->form, "email"),
		  "owner", form_get(&d->form, "password") },
	};
	struct kerr err = { 0 };
	struct org made;
	char token[CRYPTO_TOKEN_LEN];
	int rc = user_org_create(&d->app->core, d->who, &in, &made, token,
				 &err);
	if (rc == KODO_EINVAL || rc == KODO_ECONFLICT) {
		orgs_page(d, http_status_of(rc), NULL, NULL, &err);
		return;
	}
	if (rc) {
		dash_fail(d, rc, &err);
		return;
	}
	orgs_page(d, 201, &made, token, NULL);
	org_cleanup(&made);
}
