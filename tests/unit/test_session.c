/*
 * Unit tests of the dashboard's sign-in machinery: core/session (sign-in,
 * expiry, throttling, CSRF), core/user (roles, invitations, passwords,
 * organizations), token management in core/auth, service order, the stale
 * rule, and the form and cookie parsers of http/.
 */
#include <stdlib.h>
#include <string.h>

#include "core/auth.h"
#include "core/incident.h"
#include "core/service.h"
#include "core/service_order.h"
#include "core/session.h"
#include "core/settings.h"
#include "core/stale.h"
#include "core/user.h"
#include "http/cookie.h"
#include "http/form.h"
#include "unit.h"

static enum login_outcome login(struct fixture *f, const char *name,
				const char *pw, const char *org,
				struct login_result *r)
{
	struct login_request in = { name, pw, org };
	CHECK_EQ_INT(session_login(&f->core, &in, r), 0);
	return r->outcome;
}

static void test_sign_in_and_expiry(void)
{
	struct fixture f;
	fixture_init(&f);
	struct login_result r;
	CHECK_EQ_INT(login(&f, "admin", "pw", NULL, &r), LOGIN_OK);
	CHECK_EQ_INT(strlen(r.cookie), SESSION_ID_CHARS);
	struct session_record s;
	CHECK_EQ_INT(session_get(&f.core, r.cookie, &s), 0);
	CHECK_STR(s.who.name, "admin");
	CHECK_EQ_INT(s.who.role, ROLE_OWNER);
	CHECK(!s.who.via_token);
	CHECK(s.who.instance_owner); /* holds the bootstrap token */
	CHECK_STR(s.org_slug, "default");
	CHECK(session_csrf_ok(&s, s.row.csrf));
	CHECK(!session_csrf_ok(&s, "nope"));
	CHECK(!session_csrf_ok(&s, NULL));
	CHECK(!session_csrf_ok(&s, ""));
	/* Only the hash is stored: the cookie is not a key. */
	CHECK(strcmp(s.row.hash, r.cookie) != 0);

	/* Malformed and unknown cookies. */
	CHECK_EQ_INT(session_get(&f.core, "short", &s), KODO_EAUTH);
	char other[SESSION_ID_LEN];
	memcpy(other, r.cookie, sizeof(other));
	other[0] = other[0] == 'A' ? 'B' : 'A';
	CHECK_EQ_INT(session_get(&f.core, other, &s), KODO_EAUTH);

	/* Idle: a request within the idle time keeps it alive... */
	clock_fake_advance(&f.clock, SESSION_IDLE_MS - 1000);
	CHECK_EQ_INT(session_get(&f.core, r.cookie, &s), 0);
	clock_fake_advance(&f.clock, SESSION_IDLE_MS - 1000);
	CHECK_EQ_INT(session_get(&f.core, r.cookie, &s), 0);
	/* ...and a whole idle time without one ends it. */
	clock_fake_advance(&f.clock, SESSION_IDLE_MS);
	CHECK_EQ_INT(session_get(&f.core, r.cookie, &s), KODO_EAUTH);

	/* However busy, a session ends SESSION_MAX_MS after sign-in. */
	CHECK_EQ_INT(login(&f, "admin", "pw", NULL, &r), LOGIN_OK);
	int64_t start = clock_now(&f.clock), step = SESSION_IDLE_MS / 2;
	int alive = 0;
	while (clock_now(&f.clock) - start < SESSION_MAX_MS + step) {
		clock_fake_advance(&f.clock, step);
		alive += session_get(&f.core, r.cookie, &s) == 0;
	}
	CHECK_EQ_INT(alive, SESSION_MAX_MS / step - 1);
	CHECK_EQ_INT(session_get(&f.core, r.cookie, &s), KODO_EAUTH);

	/* Sign-out. */
	CHECK_EQ_INT(login(&f, "ADMIN", "pw", NULL, &r), LOGIN_FAILED);
	CHECK_EQ_INT(login(&f, "admin", "pw", NULL, &r), LOGIN_OK);
	CHECK_EQ_INT(session_end(&f.core, r.cookie), 0);
	CHECK_EQ_INT(session_get(&f.core, r.cookie, &s), KODO_EAUTH);
	fixture_cleanup(&f);
}

static void test_throttling(void)
{
	struct fixture f;
	fixture_init(&f);
	struct login_result r;
	for (int i = 0; i < LOGIN_MAX_FAILURES; i++) {
		CHECK_EQ_INT(login(&f, "admin", "wrong", NULL, &r), LOGIN_FAILED);
		clock_fake_advance(&f.clock, 1000);
	}
	/* Locked, even with the right password, and for any spelling. */
	CHECK_EQ_INT(login(&f, "admin", "pw", NULL, &r), LOGIN_THROTTLED);
	CHECK(r.retry_after_s > 0 &&
	      r.retry_after_s <= LOGIN_WINDOW_MS / 1000);
	CHECK_EQ_INT(login(&f, "Admin", "pw", NULL, &r), LOGIN_THROTTLED);
	/* Other names are not affected. */
	CHECK_EQ_INT(login(&f, "someone", "pw", NULL, &r), LOGIN_FAILED);
	/* Once the oldest failure leaves the window, one more try. */
	clock_fake_advance(&f.clock, LOGIN_WINDOW_MS - 4000);
	CHECK_EQ_INT(login(&f, "admin", "pw", NULL, &r), LOGIN_OK);
	/* Success clears the count. */
	for (int i = 0; i < LOGIN_MAX_FAILURES - 1; i++)
		CHECK_EQ_INT(login(&f, "admin", "x", NULL, &r), LOGIN_FAILED);
	CHECK_EQ_INT(login(&f, "admin", "pw", NULL, &r), LOGIN_OK);
	/* Empty or oversized input never reaches the store. */
	CHECK_EQ_INT(login(&f, "", "pw", NULL, &r), LOGIN_FAILED);
	CHECK_EQ_INT(login(&f, "admin", "", NULL, &r), LOGIN_FAILED);
	fixture_cleanup(&f);
}

static void test_users(void)
{
	struct fixture f;
	fixture_init(&f);
	struct kerr err = { 0 };
	struct user u;
	char invite[USER_INVITE_LEN];
	struct user_input in = { "Ana", "Ana@Example.com", "member",
				 "correct horse" };
	CHECK_EQ_INT(user_create(&f.core, &f.owner, &in, &u, invite, &err), 0);
	CHECK_STR(invite, "");
	char ana_id[ID_LEN];
	memcpy(ana_id, u.id, ID_LEN);
	user_cleanup(&u);
	struct login_result r;
	CHECK_EQ_INT(login(&f, "ana@example.COM", "correct horse", NULL, &r),
		     LOGIN_OK);
	CHECK_EQ_INT(r.session.who.role, ROLE_MEMBER);
	CHECK(!r.session.who.instance_owner);
	const struct principal ana = r.session.who;

	/* Validation and duplicates. */
	struct user_input bad = in;
	bad.name = "a@b";
	CHECK_EQ_INT(user_create(&f.core, &f.owner, &bad, &u, invite, &err),
		     KODO_EINVAL);
	CHECK_STR(err.field, "name");
	bad = in;
	bad.name = "Bo";
	CHECK_EQ_INT(user_create(&f.core, &f.owner, &bad, &u, invite, &err),
		     KODO_ECONFLICT);
	CHECK_STR(err.field, "email");
	bad.email = "bo@example.com";
	bad.password = "short";
	CHECK_EQ_INT(user_create(&f.core, &f.owner, &bad, &u, invite, &err),
		     KODO_EINVAL);
	CHECK_STR(err.field, "password");
	bad = in;
	bad.email = NULL;
	CHECK_EQ_INT(user_create(&f.core, &f.owner, &bad, &u, invite, &err),
		     KODO_ECONFLICT);
	CHECK_STR(err.field, "name");

	/* Members add nobody; nobody grants more than they have. */
	struct user_input viewer = { "Vi", NULL, "viewer", "viewer-password" };
	CHECK_EQ_INT(user_create(&f.core, &ana, &viewer, &u, invite, &err),
		     KODO_EFORBIDDEN);
	CHECK_EQ_INT(user_set_role(&f.core, &f.owner, ana_id, "admin", &err), 0);
	CHECK_EQ_INT(login(&f, "Ana", "correct horse", NULL, &r), LOGIN_OK);
	const struct principal ana_admin = r.session.who;
	CHECK_EQ_INT(ana_admin.role, ROLE_ADMIN); /* read at sign-in */
	struct user_input boss = { "Boss", NULL, "owner", "boss-password" };
	CHECK_EQ_INT(user_create(&f.core, &ana_admin, &boss, &u, invite, &err),
		     KODO_EFORBIDDEN);
	CHECK_EQ_INT(user_set_role(&f.core, &ana_admin, f.owner.user_id,
				   "viewer", &err),
		     KODO_EFORBIDDEN);
	/* The only owner cannot step down; nobody removes themself. */
	CHECK_EQ_INT(user_set_role(&f.core, &f.owner, f.owner.user_id, "admin",
				   &err),
		     KODO_ECONFLICT);
	CHECK_EQ_INT(user_delete(&f.core, &f.owner, f.owner.user_id, &err),
		     KODO_ECONFLICT);

	/* An invitation: no password until the link is used, once. */
	viewer.password = NULL;
	CHECK_EQ_INT(user_create(&f.core, &ana_admin, &viewer, &u, invite, &err),
		     0);
	CHECK_EQ_INT(strlen(invite), USER_INVITE_CHARS);
	user_cleanup(&u);
	CHECK_EQ_INT(login(&f, "Vi", "", NULL, &r), LOGIN_FAILED);
	CHECK_EQ_INT(user_invite_get(&f.core, invite, &u), 0);
	CHECK_STR(u.name, "Vi");
	user_cleanup(&u);
	CHECK_EQ_INT(user_invite_accept(&f.core, invite, "tiny", &u, &err),
		     KODO_EINVAL);
	CHECK_EQ_INT(user_invite_accept(&f.core, invite, "viewer-password", &u,
					&err),
		     0);
	user_cleanup(&u);
	CHECK_EQ_INT(user_invite_accept(&f.core, invite, "viewer-password", &u,
					&err),
		     KODO_ENOTFOUND);
	CHECK_EQ_INT(login(&f, "Vi", "viewer-password", NULL, &r), LOGIN_OK);
	CHECK_EQ_INT(r.session.who.role, ROLE_VIEWER);

	/* An invitation expires. */
	struct user_input late = { "Late", NULL, "viewer", NULL };
	CHECK_EQ_INT(user_create(&f.core, &f.owner, &late, &u, invite, &err), 0);
	user_cleanup(&u);
	clock_fake_advance(&f.clock, USER_INVITE_TTL_MS + 1);
	CHECK_EQ_INT(user_invite_get(&f.core, invite, &u), KODO_ENOTFOUND);

	/* Changing a password ends the other sessions, not this one. */
	struct login_result a1, a2;
	CHECK_EQ_INT(login(&f, "Ana", "correct horse", NULL, &a1), LOGIN_OK);
	CHECK_EQ_INT(login(&f, "Ana", "correct horse", NULL, &a2), LOGIN_OK);
	CHECK_EQ_INT(user_change_password(&f.core, &a1.session.who, "wrong",
					  "new password 1", a1.session.row.hash,
					  &err),
		     KODO_EINVAL);
	CHECK_STR(err.field, "current_password");
	CHECK_EQ_INT(user_change_password(&f.core, &a1.session.who,
					  "correct horse", "new password 1",
					  a1.session.row.hash, &err),
		     0);
	struct session_record s;
	CHECK_EQ_INT(session_get(&f.core, a1.cookie, &s), 0);
	CHECK_EQ_INT(session_get(&f.core, a2.cookie, &s), KODO_EAUTH);
	CHECK_EQ_INT(login(&f, "Ana", "correct horse", NULL, &r), LOGIN_FAILED);
	CHECK_EQ_INT(login(&f, "Ana", "new password 1", NULL, &r), LOGIN_OK);

	/* Removing a user ends their sessions. */
	CHECK_EQ_INT(user_delete(&f.core, &f.owner, ana_id, &err), 0);
	CHECK_EQ_INT(session_get(&f.core, a1.cookie, &s), KODO_EAUTH);
	fixture_cleanup(&f);
}

static void test_organizations(void)
{
	struct fixture f;
	fixture_init(&f);
	struct kerr err = { 0 };
	struct org o;
	char token[CRYPTO_TOKEN_LEN];
	struct org_input in = { "B Corp", "b", { "admin", "boss@b.example",
						 "owner", "password-b" } };
	struct login_result r;
	CHECK_EQ_INT(login(&f, "admin", "pw", NULL, &r), LOGIN_OK);
	struct principal owner = r.session.who;
	CHECK_EQ_INT(user_org_create(&f.core, &owner, &in, &o, token, &err), 0);
	org_cleanup(&o);
	struct principal tp;
	CHECK_EQ_INT(auth_token(&f.core, token, &tp), 0);
	/* "admin" now names two users; the password tells them apart. */
	CHECK_EQ_INT(login(&f, "admin", "pw", NULL, &r), LOGIN_OK);
	CHECK_STR(r.session.org_slug, "default");
	CHECK_EQ_INT(login(&f, "admin", "password-b", NULL, &r), LOGIN_OK);
	CHECK_STR(r.session.org_slug, "b");
	CHECK(!r.session.who.instance_owner);
	struct principal b_owner = r.session.who;
	CHECK_EQ_INT(user_org_create(&f.core, &b_owner, &in, &o, token, &err),
		     KODO_EFORBIDDEN);
	/* Same name and password in two organizations: ask which. */
	struct org_input c = { "C", "c", { "admin", NULL, "owner",
					   "password-b" } };
	CHECK_EQ_INT(user_org_create(&f.core, &owner, &c, &o, token, &err), 0);
	org_cleanup(&o);
	CHECK_EQ_INT(login(&f, "admin", "password-b", NULL, &r),
		     LOGIN_AMBIGUOUS);
	CHECK_EQ_INT(login(&f, "admin", "password-b", "c", &r), LOGIN_OK);
	CHECK_STR(r.session.org_slug, "c");
	/* Taken slug and email. */
	struct org_input dup = { "D", "b", { "d", NULL, "owner", "password-d" } };
	CHECK_EQ_INT(user_org_create(&f.core, &owner, &dup, &o, token, &err),
		     KODO_ECONFLICT);
	CHECK_STR(err.field, "slug");
	dup.slug = "d";
	dup.owner.email = "BOSS@b.example";
	CHECK_EQ_INT(user_org_create(&f.core, &owner, &dup, &o, token, &err),
		     KODO_ECONFLICT);
	CHECK_STR(err.field, "email");
	struct org *list;
	size_t n;
	CHECK_EQ_INT(user_org_list(&f.core, &owner, &list, &n), 0);
	CHECK_EQ_INT(n, 3);
	store_org_list_free(list, n);
	fixture_cleanup(&f);
}

static void test_tokens(void)
{
	struct fixture f;
	fixture_init(&f);
	struct kerr err = { 0 };
	struct api_token t;
	char clear[CRYPTO_TOKEN_LEN];
	clock_fake_advance(&f.clock, 1000); /* newer than the bootstrap's */
	CHECK_EQ_INT(auth_token_create(&f.core, &f.owner, "deploy", "member", &t,
				       clear, &err),
		     0);
	char id[ID_LEN];
	memcpy(id, t.id, ID_LEN);
	api_token_cleanup(&t);
	struct principal p;
	CHECK_EQ_INT(auth_token(&f.core, clear, &p), 0); /* now cached */
	CHECK_EQ_INT(p.role, ROLE_MEMBER);
	CHECK(p.via_token);
	CHECK_EQ_INT(auth_token_create(&f.core, &p, "x", "viewer", &t, clear,
				       &err),
		     KODO_EFORBIDDEN);
	struct token_info *list;
	size_t n;
	CHECK_EQ_INT(auth_token_list(&f.core, &f.owner, &list, &n, &err), 0);
	CHECK_EQ_INT(n, 2);
	CHECK_STR(list[0].token.name, "deploy");
	CHECK_STR(list[0].token.hash, ""); /* the list holds no hashes */
	store_token_list_free(list, n);
	CHECK_EQ_INT(auth_token_revoke(&f.core, &f.owner, id, &err), 0);
	CHECK_EQ_INT(auth_token(&f.core, clear, &p), KODO_EAUTH);
	CHECK_EQ_INT(auth_token_revoke(&f.core, &f.owner, id, &err),
		     KODO_ECONFLICT);
	CHECK_EQ_INT(auth_token_revoke(&f.core, &f.owner, "tok_nope", &err),
		     KODO_ENOTFOUND);
	fixture_cleanup(&f);
}

static void test_order_and_stale(void)
{
	struct fixture f;
	fixture_init(&f);
	struct kerr err = { 0 };
	const char *names[] = { "A", "B", "C" };
	char ids[3][ID_LEN];
	for (int i = 0; i < 3; i++) {
		struct service_input in = { names[i], NULL, false, NULL };
		struct service_view v;
		CHECK_EQ_INT(service_create(&f.core, &f.owner, &in, &v, &err), 0);
		memcpy(ids[i], v.svc.id, ID_LEN);
		service_cleanup(&v.svc);
	}
	CHECK_EQ_INT(service_move(&f.core, &f.owner, ids[2], -1, &err), 0);
	CHECK_EQ_INT(service_move(&f.core, &f.owner, ids[0], -5, &err), 0);
	CHECK_EQ_INT(service_move(&f.core, &f.owner, ids[1], 9, &err), 0);
	struct service_view *list;
	size_t n;
	CHECK_EQ_INT(service_list(&f.core, f.owner.org_id, &list, &n), 0);
	CHECK(n == 3 && strcmp(list[0].svc.name, "A") == 0 &&
	      strcmp(list[1].svc.name, "C") == 0 &&
	      strcmp(list[2].svc.name, "B") == 0);
	service_view_list_free(list, n);
	CHECK_EQ_INT(service_move(&f.core, &f.owner, "svc_nope", 1, &err),
		     KODO_ENOTFOUND);

	struct automation a;
	automation_defaults(&a);
	CHECK_EQ_INT(a.stale_after_s, 1800);
	struct incident inc = { 0 };
	struct update u = { 0 };
	int64_t now = clock_now(&f.clock);
	u.created_at = now;
	inc.updates = &u;
	inc.n_updates = 1;
	int64_t last = 0;
	CHECK(!incident_stale(&inc, &a, now + 1799 * 1000, &last));
	CHECK_EQ_INT(last, now);
	CHECK(incident_stale(&inc, &a, now + 1800 * 1000, &last));
	inc.draft = true;
	CHECK(!incident_stale(&inc, &a, now + 3600 * 1000, NULL));
	inc.draft = false;
	inc.status = IST_RESOLVED;
	CHECK(!incident_stale(&inc, &a, now + 3600 * 1000, NULL));
	inc.status = IST_MONITORING;
	a.stale_after_s = 0;
	CHECK(!incident_stale(&inc, &a, now + 86400 * 1000, NULL));
	fixture_cleanup(&f);
}

static void test_form_and_cookie(void)
{
	struct form fm;
	struct kerr err = { 0 };
	const char *body = "title=Hello+world%21&services=a&services=b&msg=l1%"
			   "0D%0Al2%0Dl3&empty=&flag&caf%C3%A9=%E2%9C%93";
	CHECK_EQ_INT(form_parse_text(body, strlen(body), &fm, &err), 0);
	CHECK_STR(form_get(&fm, "title"), "Hello world!");
	CHECK_STR(form_get(&fm, "msg"), "l1\nl2\nl3");
	CHECK_STR(form_get(&fm, "empty"), "");
	CHECK_STR(form_get(&fm, "flag"), "");
	CHECK_STR(form_get(&fm, "café"), "✓");
	CHECK(form_get(&fm, "nope") == NULL);
	const char *all[4];
	CHECK_EQ_INT(form_get_all(&fm, "services", all, 4), 2);
	CHECK_STR(all[1], "b");
	form_cleanup(&fm);
	const char *bad[] = { "a=%zz", "a=%4", "a=%", "a=%00", "a=%C3",
			      "a=%ED%A0%80", "a=%C0%80" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_EQ_INT(form_parse_text(bad[i], strlen(bad[i]), &fm, &err),
			     KODO_EBADREQ);
		form_cleanup(&fm);
	}
	struct buf many = BUF_INIT;
	for (int i = 0; i <= FORM_FIELDS_MAX; i++)
		buf_printf(&many, "f%d=1&", i);
	CHECK_EQ_INT(form_parse_text(many.data, many.len, &fm, &err),
		     KODO_ETOOLARGE);
	form_cleanup(&fm);
	buf_cleanup(&many);

	char v[16];
	CHECK(cookie_get("a=1; kodo_session=xyz; b=2", "kodo_session", v,
			 sizeof(v)));
	CHECK_STR(v, "xyz");
	CHECK(cookie_get("kodo_session=\"q\"", "kodo_session", v, sizeof(v)));
	CHECK_STR(v, "q");
	CHECK(!cookie_get("xkodo_session=1", "kodo_session", v, sizeof(v)));
	CHECK(!cookie_get("kodo_session=0123456789abcdefXYZ", "kodo_session",
			  v, sizeof(v)));
	CHECK(!cookie_get(NULL, "kodo_session", v, sizeof(v)));
	CHECK(cookie_get("a=1;kodo_session=first; kodo_session=second",
			 "kodo_session", v, sizeof(v)));
	CHECK_STR(v, "first");
}

void suite_session(void)
{
	test_sign_in_and_expiry();
	test_throttling();
	test_users();
	test_organizations();
	test_tokens();
	test_order_and_stale();
	test_form_and_cookie();
}
