/* Unit tests of core/settings: defaults, ranges, all-or-nothing patches. */
#include "core/settings.h"
#include "unit.h"

void suite_settings(void)
{
	struct fixture f;
	fixture_init(&f);
	struct automation a;
	CHECK_EQ_INT(automation_get(&f.core, &f.owner, &a), 0);
	CHECK(!a.draft_mode && a.auto_publish_after_s == -1);
	CHECK_EQ_INT(a.failures_to_open, 3);
	CHECK_EQ_INT(a.successes_to_resolve, 2);
	CHECK_EQ_INT(a.cooldown_s, 900);
	CHECK_EQ_INT(a.notification_batch_s, 30);
	CHECK(a.auto_resolve);

	struct kerr err = { 0 };
	struct automation_patch p = { 0 };
	p.draft_mode = (struct opt_int){ true, false, 1 };
	p.cooldown_s = (struct opt_int){ true, false, -5 };
	CHECK_EQ_INT(automation_update(&f.core, &f.owner, &p, &a, &err),
		     KODO_EINVAL);
	CHECK_STR(err.field, "cooldown_s");
	CHECK_EQ_INT(automation_get(&f.core, &f.owner, &a), 0);
	CHECK(!a.draft_mode); /* nothing changed */

	p.cooldown_s = (struct opt_int){ true, false, 60 };
	p.auto_publish_after_s = (struct opt_int){ true, false, 300 };
	CHECK_EQ_INT(automation_update(&f.core, &f.owner, &p, &a, &err), 0);
	CHECK(a.draft_mode && a.cooldown_s == 60 &&
	      a.auto_publish_after_s == 300);
	struct automation_patch clear = { 0 };
	clear.auto_publish_after_s = (struct opt_int){ true, true, 0 };
	CHECK_EQ_INT(automation_update(&f.core, &f.owner, &clear, &a, &err), 0);
	CHECK_EQ_INT(a.auto_publish_after_s, -1);
	CHECK(a.draft_mode); /* untouched keys keep their value */
	struct automation_patch nul = { 0 };
	nul.failures_to_open = (struct opt_int){ true, true, 0 };
	CHECK_EQ_INT(automation_update(&f.core, &f.owner, &nul, &a, &err),
		     KODO_EINVAL);
	CHECK_STR(err.field, "failures_to_open");
	fixture_cleanup(&f);
}
