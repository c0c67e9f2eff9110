/* Unit tests of core/rate: who counts as one caller, and the limit off. */
#include <stdbool.h>
#include <string.h>

#include "core/rate.h"
#include "unit.h"

/* The wait rate_admit gives (0: admitted); -1 when its two answers
 * disagree. */
static int64_t admit(struct core *core, const struct principal *p)
{
	int64_t wait = -1;
	int rc = rate_admit(core, p, &wait);
	bool agree = rc == 0 ? wait == 0 : rc == KODO_ERATE && wait > 0;
	return agree ? wait : -1;
}

/* How many of n requests in a row are admitted. */
static int admitted(struct core *core, const struct principal *p, int n)
{
	int ok = 0;
	for (int i = 0; i < n; i++)
		ok += admit(core, p) == 0;
	return ok;
}

void suite_rate(void)
{
	struct fixture f;
	fixture_init(&f);
	struct principal alice = f.owner, alice_dash = f.owner, bob = f.owner;
	alice.via_token = true;
	alice_dash.via_token = false;
	memcpy(bob.user_id, "usr_bob", sizeof("usr_bob"));
	bob.via_token = true;

	/* core_init: no limit at all. */
	CHECK_EQ_INT(admitted(&f.core, &alice, 1000), 1000);

	rate_configure(&f.core, 1); /* 1/s, bursts of RATE_BURST_S */
	CHECK_EQ_INT(admitted(&f.core, &alice, RATE_BURST_S), RATE_BURST_S);
	CHECK_EQ_INT(admit(&f.core, &alice), 1000);
	/* Her session and another person are other callers. */
	CHECK_EQ_INT(admit(&f.core, &alice_dash), 0);
	CHECK_EQ_INT(admit(&f.core, &bob), 0);
	clock_fake_advance(&f.clock, 1000);
	CHECK_EQ_INT(admit(&f.core, &alice), 0);

	rate_configure(&f.core, 0); /* off again */
	CHECK_EQ_INT(admitted(&f.core, &alice, 100), 100);
	fixture_cleanup(&f);
}
