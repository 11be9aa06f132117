# zhizhi — one non-recursive Makefile. `make run` and `make test` install what is missing first.
# Targets: all run test unit e2e bench fuzz check-layers format clean install deps.

PREFIX ?= /usr/local
DESTDIR ?=
CC ?= cc
SANITIZE ?=
V ?= 0

BUILD := build
BIN := $(BUILD)/zhizhi
PKGS := libmicrohttpd jansson sqlite3 libsodium libqrencode inih libsystemd zlib readosm expat

Q := $(if $(filter 1,$(V)),,@)
say = $(if $(filter 1,$(V)),,@printf '  %-7s %s\n' $(1) $(2);)

WARN := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 \
        -Wvla -Wwrite-strings -Werror
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(shell geos-config --cflags 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null) $(shell geos-config --clibs 2>/dev/null)
CFLAGS ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) -Isrc $(PKG_CFLAGS) -MMD -MP \
             $(if $(SANITIZE),-fsanitize=$(SANITIZE) -fno-omit-frame-pointer $(SAN_NOWARN))
LDLIBS = $(PKG_LIBS) -llinear -lpthread -lm
ALL_LDFLAGS = $(LDFLAGS) $(if $(SANITIZE),-fsanitize=$(SANITIZE))

# Sources, one per line, grouped by folder.
LIB_SRCS := \
	src/core/app.c \
	src/core/buf.c \
	src/core/calendar.c \
	src/core/clock.c \
	src/core/config.c \
	src/core/csv.c \
	src/core/db.c \
	src/core/db_row.c \
	src/core/embed.c \
	src/core/error.c \
	src/core/log.c \
	src/core/lunar.c \
	src/core/privacy.c \
	src/core/xalloc.c \
	src/geo/demo.c \
	src/geo/gcj02.c \
	src/geo/index.c \
	src/geo/polygon.c \
	src/auth/auth.c \
	src/auth/auth_api.c \
	src/auth/auth_cli.c \
	src/auth/auth_store.c \
	src/audit/audit.c \
	src/audit/audit_api.c \
	src/audit/audit_cli.c \
	src/audit/audit_store.c \
	src/http/accept.c \
	src/http/gate.c \
	src/http/encoding.c \
	src/http/proxy.c \
	src/http/reply.c \
	src/http/router.c \
	src/http/server.c \
	src/http/sse.c \
	src/http/system_api.c \
	src/event/attach.c \
	src/event/category.c \
	src/event/demo.c \
	src/event/event.c \
	src/event/event_api.c \
	src/event/event_store.c \
	src/event/history_store.c \
	src/event/intake_store.c \
	src/event/timer.c \
	src/event/public.c \
	src/event/recalendar.c \
	src/event/indicator.c \
	src/event/indicator_api.c \
	src/event/indicator_store.c \
	src/open311/open311.c \
	src/open311/open311_api.c \
	src/open311/open311_store.c \
	src/org/org.c \
	src/org/org_api.c \
	src/org/org_cli.c \
	src/org/org_import.c \
	src/org/org_store.c \
	src/org/org_write.c \
	src/org/org_write_api.c \
	src/org/org_write_store.c \
	src/web/web.c \
	src/web/web_api.c \
	src/monitor/aqi.c \
	src/monitor/dec.c \
	src/monitor/demo.c \
	src/monitor/eval.c \
	src/monitor/figures.c \
	src/monitor/monitor.c \
	src/monitor/rule.c \
	src/monitor/alert.c \
	src/monitor/ingest.c \
	src/monitor/keys.c \
	src/monitor/service.c \
	src/monitor/monitor_api.c \
	src/monitor/monitor_cli.c \
	src/monitor/monitor_store.c \
	src/monitor/noise.c \
	src/monitor/water.c \
	src/enterprise/cert.c \
	src/enterprise/cert_api.c \
	src/enterprise/demo.c \
	src/enterprise/enterprise.c \
	src/enterprise/enterprise_api.c \
	src/enterprise/enterprise_cli.c \
	src/enterprise/enterprise_store.c \
	src/enterprise/policy_api.c \
	src/enterprise/rules.c \
	src/ledger/demo.c \
	src/ledger/import.c \
	src/ledger/ledger.c \
	src/ledger/ledger_api.c \
	src/ledger/ledger_store.c \
	src/ledger/record.c \
	src/ledger/supervision.c \
	src/ledger/supervision_api.c \
	src/cli/calendar_cli.c \
	src/cli/cli.c \
	src/cli/commands.c \
	src/cli/serve.c \
	src/modules.c \
	src/modules_api.c \
	src/building/building.c \
	src/building/building_store.c \
	src/building/space.c \
	src/building/space_store.c \
	src/building/rules.c \
	src/geo/line.c \
	src/geo/gpx.c \
	src/patrol/demo.c \
	src/patrol/patrol.c \
	src/patrol/patrol_api.c \
	src/patrol/patrol_cli.c \
	src/patrol/patrol_store.c \
	src/patrol/rules.c \
	src/patrol/run.c \
	src/patrol/run_api.c \
	src/patrol/segment.c \
	src/patrol/segment_api.c \
	src/building/report.c \
	src/building/demo.c \
	src/building/building_api.c \
	src/building/space_api.c \
	src/building/building_cli.c

# parking (issue 20): shared parking
LIB_SRCS += \
	src/parking/availability.c \
	src/parking/booking.c \
	src/parking/demo.c \
	src/parking/figures.c \
	src/parking/gate.c \
	src/parking/lot.c \
	src/parking/owner.c \
	src/parking/parking_internal.c \
	src/parking/parking_api.c \
	src/parking/parking_store.c \
	src/parking/rules.c

# lifecircle (issue 19): the 15-minute living circle
LIB_SRCS += \
	src/lifecircle/network.c \
	src/lifecircle/search.c \
	src/lifecircle/levels.c \
	src/lifecircle/osm.c \
	src/lifecircle/lifecircle.c \
	src/lifecircle/import.c \
	src/lifecircle/reach.c \
	src/lifecircle/lifecircle_store.c \
	src/lifecircle/lifecircle_api.c \
	src/lifecircle/demo.c \
	src/lifecircle/lifecircle_cli.c

# component (issue 23): the 部件 census and the sewer network
LIB_SRCS += \
	src/component/component.c \
	src/component/component_api.c \
	src/component/component_cli.c \
	src/component/component_store.c \
	src/component/demo.c \
	src/component/rules.c

# renewal (issue 18): urban renewal and housing
LIB_SRCS += \
	src/renewal/appraisal.c \
	src/renewal/appraisal_api.c \
	src/renewal/demo.c \
	src/renewal/finance.c \
	src/renewal/housing.c \
	src/renewal/housing_api.c \
	src/renewal/renewal.c \
	src/renewal/renewal_api.c \
	src/renewal/renewal_cli.c \
	src/renewal/renewal_store.c \
	src/renewal/rules.c \
	src/renewal/vote.c \
	src/renewal/vote_api.c

# dispatch (issue 22): smart dispatch, the text classifier over liblinear
LIB_SRCS += \
	src/dispatch/text.c \
	src/dispatch/model.c \
	src/dispatch/eval.c \
	src/dispatch/dispatch_cli.c

MAIN_SRCS := src/main.c

MIGRATIONS := $(sort $(wildcard sql/migrations/*.sql))
DATA_FILES := data/yuzhong-divisions.csv data/yuzhong-boundary-gcj02.geojson data/cn-holidays.csv
GEN_SRCS := $(BUILD)/gen/embed_migrations.c $(BUILD)/gen/embed_data.c $(BUILD)/gen/embed_web.c
# The browser apps (web/) and the npm files they load, served from the binary.
ECHARTS := node_modules/echarts/dist/echarts.min.js
WEB_FILES := $(sort $(shell find web -type f ! -name '.*')) $(ECHARTS)

OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(LIB_SRCS) $(GEN_SRCS:$(BUILD)/%=%))
MAIN_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(MAIN_SRCS))

# Unit tests: every tests/unit/<module>/<name>_test.c is one program, built with sanitizers.
UNIT_SRCS := $(sort $(wildcard tests/unit/*/*_test.c))
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))
# GCC's -Wformat-truncation guesses from value ranges that sanitizer instrumentation blurs: it
# fires on intended snprintf truncation in sanitized builds only, so those builds skip it.
SAN_NOWARN := -Wno-format-truncation
ASAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer $(SAN_NOWARN)
ASAN_OBJS := $(patsubst %.c,$(BUILD)/asan/%.o,$(LIB_SRCS) $(GEN_SRCS:$(BUILD)/%=%))

.PHONY: all run test unit e2e bench fuzz drills check-layers format clean install deps deb
.DEFAULT_GOAL := all
# Objects are never intermediate files: keep them between runs.
.SECONDARY:

all: $(BIN)

deps:
	$(Q)scripts/deps.sh

$(BUILD)/tools/embed: tools/embed.c
	$(Q)mkdir -p $(@D)
	$(call say,CC,$@)
	$(Q)$(CC) -O1 -o $@ $<

$(BUILD)/gen/embed_migrations.c: $(MIGRATIONS) $(BUILD)/tools/embed
	$(Q)mkdir -p $(@D)
	$(call say,EMBED,$@)
	$(Q)$(BUILD)/tools/embed $@ embed_migrations $(MIGRATIONS)

$(BUILD)/gen/embed_data.c: $(DATA_FILES) $(BUILD)/tools/embed
	$(Q)mkdir -p $(@D)
	$(call say,EMBED,$@)
	$(Q)$(BUILD)/tools/embed $@ embed_data $(DATA_FILES)

$(BUILD)/gen/embed_web.c: $(WEB_FILES) $(BUILD)/tools/embed
	$(Q)mkdir -p $(@D)
	$(call say,EMBED,$@)
	$(Q)$(BUILD)/tools/embed $@ embed_web $(WEB_FILES)

# Only when missing: npm writes package files with a fixed old mtime.
$(ECHARTS):
	$(Q)npm ci --no-audit --no-fund --loglevel=error

$(BUILD)/obj/gen/%.o: $(BUILD)/gen/%.c
	$(Q)mkdir -p $(@D)
	$(call say,CC,$<)
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/obj/%.o: %.c
	$(Q)mkdir -p $(@D)
	$(call say,CC,$<)
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BIN): $(OBJS) $(MAIN_OBJS)
	$(call say,LD,$@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/asan/gen/%.o: $(BUILD)/gen/%.c
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $(ASAN_FLAGS) -c -o $@ $<

$(BUILD)/asan/%.o: %.c
	$(Q)mkdir -p $(@D)
	$(call say,CC-ASAN,$<)
	$(Q)$(CC) $(ALL_CFLAGS) $(ASAN_FLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c tests/unit/test_main.c tests/unit/test.h $(ASAN_OBJS)
	$(Q)mkdir -p $(@D)
	$(call say,TEST,$@)
	$(Q)$(CC) $(ALL_CFLAGS) $(ASAN_FLAGS) -Itests/unit -o $@ $< tests/unit/test_main.c \
		$(ASAN_OBJS) $(LDLIBS)

run: deps $(BIN)
	$(BIN) serve --live-demo true $(ARGS)

test: deps $(BIN) $(UNIT_BINS)
	$(Q)tests/run all

unit: $(UNIT_BINS)
	$(Q)tests/run unit

e2e: $(BIN)
	$(Q)tests/run e2e

bench: deps $(BIN)
	$(Q)bench/run.sh

# Fuzzing (not part of test): every fuzz/<name>_fuzz.c is a libFuzzer target built with clang
# against the library compiled with ASan/UBSan; each runs FUZZ_TIME seconds and stops itself.
FUZZ_CC ?= clang
FUZZ_TIME ?= 20
FUZZ_SRCS := $(sort $(wildcard fuzz/*_fuzz.c))
FUZZ_BINS := $(patsubst fuzz/%.c,$(BUILD)/fuzz/%,$(FUZZ_SRCS))
FUZZ_FLAGS := -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -O1 -g
FUZZ_OBJS := $(patsubst %.c,$(BUILD)/fuzzobj/%.o,$(LIB_SRCS) $(GEN_SRCS:$(BUILD)/%=%))
FUZZ_CFLAGS = $(filter-out -Werror -MMD -MP,$(ALL_CFLAGS)) $(FUZZ_FLAGS)

$(BUILD)/fuzzobj/gen/%.o: $(BUILD)/gen/%.c
	$(Q)mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -w -c -o $@ $<

$(BUILD)/fuzzobj/%.o: %.c
	$(Q)mkdir -p $(@D)
	$(call say,CC-FUZZ,$<)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

$(BUILD)/fuzz/%: fuzz/%.c fuzz/fuzz.h $(FUZZ_OBJS)
	$(Q)mkdir -p $(@D)
	$(call say,FUZZ,$@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -Ifuzz -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJS) $(LDLIBS)

fuzz: $(FUZZ_BINS)
	$(Q)fuzz/run.sh $(BUILD) $(FUZZ_TIME)

# The server built with ASan/UBSan, for the soak drill.
ASAN_BIN := $(BUILD)/zhizhi-asan
$(ASAN_BIN): $(ASAN_OBJS) $(patsubst %.c,$(BUILD)/asan/%.o,$(MAIN_SRCS))
	$(call say,LD,$@)
	$(Q)$(CC) $(ALL_LDFLAGS) $(ASAN_FLAGS) -o $@ $^ $(LDLIBS)

# Reliability drills (not part of test; minutes each): soak, the same under ASan, kill -9,
# backup under load, a full disk, and every fuzz target for FUZZ_TIME; docs/reliability.md.
drills: deps $(BIN) $(ASAN_BIN) $(FUZZ_BINS)
	$(Q)tests/drills/run.sh

check-layers:
	$(Q)scripts/check-layers.sh

format:
	$(Q)clang-format -i $$(find src tests/unit tools -name '*.[ch]')

# SYSCONFDIR and UNITDIR follow PREFIX=/usr for the Debian package (make deb).
SYSCONFDIR ?= $(if $(filter /usr,$(PREFIX)),/etc,$(PREFIX)/etc)
UNITDIR ?= $(if $(filter /usr,$(PREFIX)),/lib/systemd/system,$(PREFIX)/lib/systemd/system)
install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSCONFDIR)/zhizhi \
	    $(DESTDIR)$(PREFIX)/share/zhizhi/data $(DESTDIR)$(PREFIX)/lib/sysusers.d \
	    $(DESTDIR)$(PREFIX)/share/doc/zhizhi
	install -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/zhizhi
	sed 's|/usr/bin/zhizhi|$(PREFIX)/bin/zhizhi|;s|/etc/zhizhi|$(SYSCONFDIR)/zhizhi|' \
	    dist/zhizhi.service > $(DESTDIR)$(UNITDIR)/zhizhi.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/zhizhi.service
	install -m 0644 dist/zhizhi.conf $(DESTDIR)$(SYSCONFDIR)/zhizhi/zhizhi.conf
	install -m 0644 dist/sysusers.conf $(DESTDIR)$(PREFIX)/lib/sysusers.d/zhizhi.conf
	install -m 0644 data/cn-holidays.csv data/yuzhong-divisions.csv \
	    data/yuzhong-boundary-gcj02.geojson data/README.md $(DESTDIR)$(PREFIX)/share/zhizhi/data/
	install -m 0644 docs/deployment.md dist/nginx-zhizhi.conf $(DESTDIR)$(PREFIX)/share/doc/zhizhi/

# A Debian package (binary built here, dependencies from dpkg-shlibdeps-free ldd names).
deb: $(BIN)
	$(Q)scripts/mkdeb.sh $(BUILD)/deb

clean:
	rm -rf $(BUILD)

-include $(OBJS:.o=.d) $(MAIN_OBJS:.o=.d) $(ASAN_OBJS:.o=.d)
