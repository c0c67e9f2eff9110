/*
 * pages_dash_services — Dashboard > Services: the services users see on
 * the status page, in their order and groups, with their derived status;
 * create, rename, regroup, reorder (move up/down) and delete (after a
 * confirmation page). Changes need the admin role.
 */
#include <stdio.h>
#include <string.h>

#include "core/service.h"
#include "core/service_order.h"
#include "http/pages_dash.h"
#include "http/public.h"

static void service_url(char *out, size_t cap, const char *id,
			const char *what)
{
	snprintf(out, cap, "/dashboard/services/%s%s%s", id, what ? "/" : "",
		 what ? what : "");
}

/* The existing groups, offered while typing a group name. */
static void groups_datalist(struct dash *d, const struct service_view *list,
			    size_t n)
{
	buf_puts(d->b, "<datalist id=\"groups\">");
	for (size_t i = 0; i < n; i++) {
		const char *g = list[i].svc.group;
		bool seen = !g;
		for (size_t j = 0; j < i && !seen; j++)
			seen = list[j].svc.group &&
			       strcmp(list[j].svc.group, g) == 0;
		if (seen)
			continue;
		buf_puts(d->b, "<option value=\"");
		dash_esc(d, g);
		buf_puts(d->b, "\">");
	}
	buf_puts(d->b, "</datalist>\n");
}

static void service_fields(struct dash *d, const struct service *s,
			   const struct kerr *err)
{
	dash_input(d, "text", "name", "Name",
		   dash_value(d, "name", s ? s->name : NULL),
		   "As users know it, e.g. \"API\" or \"Web app\".",
		   "maxlength=\"100\" required", err);
	dash_input(d, "text", "description", "Description",
		   dash_value(d, "description", s ? s->description : NULL),
		   "Optional; shown under the name on the status page.",
		   "maxlength=\"2000\"", err);
	dash_input(d, "text", "group", "Group",
		   dash_value(d, "group", s && s->group ? s->group : NULL),
		   "Optional; services of one group are shown together.",
		   "maxlength=\"100\" list=\"groups\"", err);
}

static void move_buttons(struct dash *d, const struct service *s, size_t i,
			 size_t n)
{
	char url[128];
	service_url(url, sizeof(url), s->id, "move");
	if (i > 0) {
		dash_form_open(d, url, "inline");
		buf_puts(d->b, "<input type=\"hidden\" name=\"dir\" value=\"up\">"
			       "<button type=\"submit\" class=\"icon\" "
			       "aria-label=\"Move ");
		dash_esc(d, s->name);
		buf_puts(d->b, " up\" title=\"Move up\">&uarr;</button></form>");
	}
	if (i + 1 < n) {
		dash_form_open(d, url, "inline");
		buf_puts(d->b, "<input type=\"hidden\" name=\"dir\" "
			       "value=\"down\"><button type=\"submit\" "
			       "class=\"icon\" aria-label=\"Move ");
		dash_esc(d, s->name);
		buf_puts(d->b, " down\" title=\"Move down\">&darr;</button>"
			       "</form>");
	}
}

static void service_row(struct dash *d, const struct service_view *v,
			size_t i, size_t n)
{
	const struct service *s = &v->svc;
	char url[128];
	service_url(url, sizeof(url), s->id, NULL);
	buf_printf(d->b, "<tr data-id=\"%s\"><th scope=\"row\"><a href=\"%s\">",
		   s->id, url);
	dash_esc(d, s->name);
	buf_puts(d->b, "</a>");
	if (s->description && s->description[0]) {
		buf_puts(d->b, "<br><small class=\"quiet\">");
		dash_esc(d, s->description);
		buf_puts(d->b, "</small>");
	}
	buf_puts(d->b, "</th><td data-label=\"Group\">");
	if (s->group)
		dash_esc(d, s->group);
	else
		buf_puts(d->b, "<span class=\"quiet\">—</span>");
	buf_printf(d->b, "</td><td data-label=\"Status\"><span class=\"st s%d\">"
			 "%s</span></td>",
		   (int)v->status, public_status_label(v->status));
	if (dash_can(d, ROLE_ADMIN)) {
		buf_puts(d->b, "<td class=\"row-actions\">");
		move_buttons(d, s, i, n);
		buf_printf(d->b, " <a href=\"%s\">Edit</a></td>", url);
	}
	buf_puts(d->b, "</tr>\n");
}

static void services_page(struct dash *d, const struct kerr *err)
{
	struct service_view *list = NULL;
	size_t n = 0;
	int rc = service_list(&d->app->core, d->who->org_id, &list, &n);
	if (rc) {
		dash_fail(d, rc, NULL);
		return;
	}
	buf_reset(d->b);
	dash_begin(d, err ? http_status_of(err->code) : 200, "Services",
		   "services");
	buf_puts(d->b, "<div class=\"head\"><h1>Services</h1></div>\n");
	dash_flash(d);
	if (!n)
		buf_puts(d->b, "<p class=\"empty\">No services yet.</p>\n");
	else
		buf_puts(d->b, "<div class=\"scroll\"><table class=\"list cards\" "
			       "id=\"services\"><caption class=\"sr\">Services, "
			       "in the order of the status page</caption><thead>"
			       "<tr><th scope=\"col\">Service</th><th scope=\"col\">"
			       "Group</th><th scope=\"col\">Status</th>");
	if (n && dash_can(d, ROLE_ADMIN))
		buf_puts(d->b, "<th scope=\"col\"><span class=\"sr\">Actions"
			       "</span></th>");
	if (n)
		buf_puts(d->b, "</tr></thead><tbody>\n");
	for (size_t i = 0; i < n; i++)
		service_row(d, &list[i], i, n);
	if (n)
		buf_puts(d->b, "</tbody></table></div>\n");
	if (dash_can(d, ROLE_ADMIN)) {
		buf_puts(d->b, "<section class=\"card\" aria-labelledby=\"add-h\">"
			       "<h2 id=\"add-h\">Add a service</h2>\n");
		dash_error_box(d, err);
		dash_form_open(d, "/dashboard/services", "stack");
		service_fields(d, NULL, err);
		groups_datalist(d, list, n);
		buf_puts(d->b, "<div class=\"actions\"><button type=\"submit\">"
			       "Add service</button></div></form></section>\n");
	}
	service_view_list_free(list, n);
	dash_end(d);
}

void dash_services(struct dash *d)
{
	services_page(d, NULL);
}

static void input_of(const struct dash *d, struct service_input *in)
{
	const char *group = form_get(&d->form, "group");
	in->name = form_get(&d->form, "name");
	in->description = form_get(&d->form, "description");
	in->has_group = true;
	in->group = group && *group ? group : NULL;
}

void dash_service_create(struct dash *d)
{
	struct service_input in = { 0 };
	input_of(d, &in);
	struct kerr err = { 0 };
	struct service_view v;
	int rc = service_create(&d->app->core, d->who, &in, &v, &err);
	if (rc == KODO_EINVAL || rc == KODO_ECONFLICT) {
		services_page(d, &err);
		return;
	}
	if (rc) {
		dash_fail(d, rc, &err);
		return;
	}
	service_cleanup(&v.svc);
	dash_done(d, "/dashboard/services", "service_created");
}

static void service_page(struct dash *d, const struct kerr *err)
{
	struct service_view v;
	int rc = service_get(&d->app->core, d->who, d->req->params[0], &v);
	if (rc) {
		dash_fail(d, rc, NULL);
		return;
	}
	struct service_view *all = NULL;
	size_t n = 0;
	if (service_list(&d->app->core, d->who->org_id, &all, &n) != 0)
		n = 0;
	char url[128];
	buf_reset(d->b);
	dash_begin(d, err ? http_status_of(err->code) : 200, v.svc.name,
		   "services");
	buf_puts(d->b, "<p class=\"back\"><a href=\"/dashboard/services\">"
		       "&larr; Services</a></p><section class=\"card\"><h1>");
	dash_esc(d, v.svc.name);
	buf_printf(d->b, "</h1><p class=\"meta\"><span class=\"st s%d\">%s</span>"
			 "</p>\n",
		   (int)v.status, public_status_label(v.status));
	if (dash_can(d, ROLE_ADMIN)) {
		dash_error_box(d, err);
		service_url(url, sizeof(url), v.svc.id, NULL);
		dash_form_open(d, url, "stack");
		service_fields(d, &v.svc, err);
		groups_datalist(d, all, n);
		service_url(url, sizeof(url), v.svc.id, "delete");
		buf_printf(d->b, "<div class=\"actions\"><button type=\"submit\">"
				 "Save</button> <a class=\"button danger\" "
				 "href=\"%s\">Delete…</a></div></form>",
			   url);
	}
	buf_puts(d->b, "</section>\n");
	dash_end(d);
	service_view_list_free(all, n);
	service_cleanup(&v.svc);
}

void dash_service(struct dash *d)
{
	service_page(d, NULL);
}

void dash_service_save(struct dash *d)
{
	struct service_input in = { 0 };
	input_of(d, &in);
	struct kerr err = { 0 };
	struct service_view v;
	int rc = service_update(&d->app->core, d->who, d->req->params[0], &in,
				&v, &err);
	if (rc == KODO_EINVAL || rc == KODO_ECONFLICT) {
		service_page(d, &err);
		return;
	}
	if (rc) {
		dash_fail(d, rc, &err);
		return;
	}
	service_cleanup(&v.svc);
	dash_done(d, "/dashboard/services", "service_saved");
}

void dash_service_move(struct dash *d)
{
	const char *dir = form_get(&d->form, "dir");
	int delta = dir && strcmp(dir, "up") == 0 ? -1 : 1;
	struct kerr err = { 0 };
	int rc = service_move(&d->app->core, d->who, d->req->params[0], delta,
			      &err);
	if (rc)
		dash_fail(d, rc, &err);
	else
		dash_done(d, "/dashboard/services", "service_moved");
}

void dash_service_delete(struct dash *d)
{
	struct service_view v;
	int rc = service_get(&d->app->core, d->who, d->req->params[0], &v);
	if (rc) {
		dash_fail(d, rc, NULL);
		return;
	}
	struct kerr err = { 0 };
	if (d->post) {
		rc = service_delete(&d->app->core, d->who, v.svc.id, &err);
		if (rc)
			dash_fail(d, rc, &err);
		else
			dash_done(d, "/dashboard/services", "service_deleted");
		service_cleanup(&v.svc);
		return;
	}
	char url[128];
	service_url(url, sizeof(url), v.svc.id, "delete");
	dash_begin(d, 200, "Delete service", "services");
	buf_puts(d->b, "<section class=\"card narrow\"><h1>Delete ");
	dash_esc(d, v.svc.name);
	buf_puts(d->b, "?</h1><p>It disappears from the status page, and "
		       "incidents and monitors no longer list it. This cannot "
		       "be undone.</p>");
	dash_form_open(d, url, NULL);
	service_url(url, sizeof(url), v.svc.id, NULL);
	buf_printf(d->b, "<div class=\"actions\"><button type=\"submit\" "
			 "class=\"danger\">Delete service</button> <a "
			 "href=\"%s\">Cancel</a></div></form></section>\n",
		   url);
	dash_end(d);
	service_cleanup(&v.svc);
}
