# Kodo — build, run and test. `make run` and `make test` are the two commands.
PKGS     := jansson sqlite3 libsodium libcurl libcmark zlib
CC       ?= cc
WARN     := -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -Wformat=2 -Werror
CPPFLAGS := -Isrc -D_DEFAULT_SOURCE
PYTHON   := /usr/bin/python3

SRC      := $(filter-out src/main.c,$(wildcard src/*.c src/*/*.c))
UNIT_SRC := tests/unit/main.c tests/unit/fixture.c $(wildcard tests/unit/test_*.c)

# BUILD lets parallel work trees share one checkout: make BUILD=build-x
BUILD    ?= build
REL_DIR  := $(BUILD)/release
TEST_DIR := $(BUILD)/test
SAN      := -fsanitize=address,undefined -fno-omit-frame-pointer \
            -fno-sanitize-recover=undefined

# web/ (status page CSS and JS) is embedded: a generated source per BUILD.
WEB      := $(wildcard web/*.css web/*.js)
GEN_SRC  := $(BUILD)/gen/web_assets.c
SRC      += $(GEN_SRC)

PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   = $(shell pkg-config --libs $(PKGS)) -lpthread -lm

.PHONY: all run test unit e2e browser lint clean deps test-deps
all: $(REL_DIR)/kodo

deps:
	@scripts/deps.sh build
test-deps:
	@scripts/deps.sh test

$(GEN_SRC): $(WEB) scripts/embed_web.sh
	@mkdir -p $(dir $@)
	@echo "  EMBED   $@"
	@scripts/embed_web.sh $@ $(WEB)

$(REL_DIR)/%.o: %.c | deps
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(WARN) -O2 -g $(CPPFLAGS) $(PKG_CFLAGS) -MMD -MP -c $< -o $@

$(TEST_DIR)/%.o: %.c | deps
	@mkdir -p $(dir $@)
	@echo "  CC-SAN  $<"
	@$(CC) $(WARN) -O1 -g $(SAN) $(CPPFLAGS) $(PKG_CFLAGS) -MMD -MP -c $< -o $@

$(REL_DIR)/kodo: $(patsubst %.c,$(REL_DIR)/%.o,$(SRC) src/main.c)
	$(CC) -o $@ $^ $(PKG_LIBS)

$(TEST_DIR)/kodo: $(patsubst %.c,$(TEST_DIR)/%.o,$(SRC) src/main.c)
	$(CC) $(SAN) -o $@ $^ $(PKG_LIBS)

$(TEST_DIR)/unit_tests: $(patsubst %.c,$(TEST_DIR)/%.o,$(SRC) $(UNIT_SRC))
	$(CC) $(SAN) -o $@ $^ $(PKG_LIBS)

run: $(REL_DIR)/kodo
	$(REL_DIR)/kodo serve --data ./kodo-data --listen 127.0.0.1:8080

unit: $(TEST_DIR)/unit_tests
	ASAN_OPTIONS=detect_leaks=1 $(TEST_DIR)/unit_tests

e2e: $(TEST_DIR)/kodo test-deps
	KODO_BIN=$(CURDIR)/$(TEST_DIR)/kodo $(PYTHON) -m pytest -q -p no:cacheprovider tests/e2e

# The status page and the dashboard in Debian's Chromium, driven by
# playwright-core.
BROWSER_DIR := tests/browser
$(BROWSER_DIR)/node_modules/.package-lock.json: $(BROWSER_DIR)/package.json $(BROWSER_DIR)/package-lock.json
	cd $(BROWSER_DIR) && npm ci --no-audit --no-fund --loglevel=error

browser: $(TEST_DIR)/kodo $(BROWSER_DIR)/node_modules/.package-lock.json
	KODO_BIN=$(CURDIR)/$(TEST_DIR)/kodo node $(BROWSER_DIR)/status_page.test.js
	KODO_BIN=$(CURDIR)/$(TEST_DIR)/kodo node $(BROWSER_DIR)/dashboard.test.js

test: test-deps
	$(MAKE) unit
	$(MAKE) e2e
	$(MAKE) browser

lint:
	scripts/lint.sh

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
