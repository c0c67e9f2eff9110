/* The unit test runner: every suite, then the closing line. */
#include <stdlib.h>

#include "unit.h"
#include "util/crypto.h"

int unit_passed, unit_failed;

int main(void)
{
	if (crypto_init() != 0)
		return 1;
	suite_util();
	suite_service();
	suite_incident();
	suite_settings();
	suite_statuspage();
	suite_safeguard();
	suite_probe();
	suite_monitor_store();
	suite_httpd();
	suite_session();
	suite_rate();
	printf("unit: %d passed, %d failed\n", unit_passed, unit_failed);
	return unit_failed ? 1 : 0;
}
