/* org — see org.h. */
#include "core/org.h"

#include <string.h>

#include "core/auth.h"
#include "core/settings.h"
#include "util/alloc.h"

bool org_slug_valid(const char *slug)
{
	size_t n = strlen(slug);
	if (n < 1 || n > 63 || slug[0] == '-')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = slug[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-'))
			return false;
	}
	return true;
}

int org_create(struct core *core, const struct principal *p, const char *name,
	       const char *slug, struct org *out, char token[CRYPTO_TOKEN_LEN],
	       struct kerr *err)
{
	if (!p->instance_owner)
		return kerr_set(err, KODO_EFORBIDDEN, NULL,
				"only the instance owner may create organizations");
	int rc = check_text("name", name, 1, 100, true, err);
	if (rc == 0 && !slug)
		rc = kerr_set(err, KODO_EINVAL, "slug", "slug is required");
	if (rc == 0 && !org_slug_valid(slug))
		rc = kerr_set(err, KODO_EINVAL, "slug",
			      "slug must be 1-63 characters of a-z, 0-9 and '-', "
			      "not starting with '-'");
	if (rc)
		return rc;
	memset(out, 0, sizeof(*out));
	crypto_new_id("org", out->id);
	out->name = xstrdup(name);
	out->slug = xstrdup(slug);
	out->created_at = clock_now(core->clock);
	struct api_token tok;
	auth_token_new(core, out->id, NULL, "owner", ROLE_OWNER, &tok, token);
	struct automation defaults;
	automation_defaults(&defaults);
	rc = store_org_create(core->store, out, &defaults, NULL, &tok, err);
	api_token_cleanup(&tok);
	if (rc)
		org_cleanup(out);
	return rc;
}
