# Strata: `make run` starts everything on the embedded stores; `make test` runs every test tier.
# Both install dependencies first when node_modules is missing or older than the lockfile.

SHELL := /bin/bash
NODE := node --enable-source-maps
MOCHA := $(NODE) node_modules/.bin/mocha --timeout 30000 --reporter dist/test/support/summary-reporter.js \
	--require dist/test/support/kafka-cluster/shared.js
INSTALLED := node_modules/.strata-installed
COMPOSE := docker compose -f docker/docker-compose.yml

.PHONY: run test test-unit test-int test-e2e test-stack test-faults bench bench-peers lint format build clean deps \
	kafka-artifacts kafka-artifacts-if-java

deps: $(INSTALLED)
$(INSTALLED): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

build: deps
	node_modules/.bin/tsc -p tsconfig.json

run: build
	$(NODE) dist/projections/cli/main.js run

# The Apache Kafka broker jars for the real 3-broker cluster of the int specs and fault scenarios
# (test/support/kafka-cluster/), fetched once from Maven Central into an ignored folder.
KAFKA_DIR := .build/kafka
KAFKA_POM := test/support/kafka-cluster/artifacts.pom.xml
kafka-artifacts: $(KAFKA_DIR)/libs/.complete
$(KAFKA_DIR)/libs/.complete: $(KAFKA_POM)
	rm -rf $(KAFKA_DIR)/libs
	mvn -B -q -f $(KAFKA_POM) -Dmaven.repo.local=$(CURDIR)/$(KAFKA_DIR)/m2 \
		dependency:copy-dependencies -DoutputDirectory=$(CURDIR)/$(KAFKA_DIR)/libs
	@touch $@

# Where Java and Maven are installed, `make test` fetches the jars itself; elsewhere the Kafka
# specs skip loudly (and fail under CI=true, whose .ci/run installs both first).
kafka-artifacts-if-java:
	@if command -v java >/dev/null && command -v mvn >/dev/null; then $(MAKE) --no-print-directory kafka-artifacts; \
	else echo '!!! java or mvn missing: the real Kafka cluster specs will skip'; fi

test: build lint kafka-artifacts-if-java
	$(MOCHA) 'dist/**/*.unit.spec.js' 'dist/**/*.int.spec.js' 'dist/**/*.e2e.spec.js'

test-unit: build
	$(MOCHA) 'dist/**/*.unit.spec.js'

test-int: build kafka-artifacts-if-java
	$(MOCHA) 'dist/**/*.int.spec.js'

test-e2e: build
	$(MOCHA) 'dist/**/*.e2e.spec.js'

# Fault scenarios: real processes on the embedded stores, a fault injected, figures printed.
test-faults: build kafka-artifacts-if-java
	$(MOCHA) --timeout 600000 'dist/test/faults/**/*.fault.spec.js'

# The full stack (EventStoreDB, MongoDB, Elasticsearch, Kafka, Redis) in Docker, then every
# contract suite with the server URLs set, then the stack is taken down whatever the outcome.
test-stack: build
	$(COMPOSE) up -d --wait --wait-timeout 300 || { $(COMPOSE) logs --tail 50; $(COMPOSE) down -v; exit 1; }
	ESDB_URL='esdb://localhost:2113?tls=false' \
	MONGO_URL='mongodb://localhost:27017/?replicaSet=rs0&directConnection=true' \
	ELASTICSEARCH_URL='http://localhost:9200' \
	KAFKA_BROKERS='localhost:9092' KAFKA_TOPIC_REPLICATION_FACTOR=1 KAFKA_TOPIC_MIN_INSYNC_REPLICAS=1 \
	ELASTICSEARCH_REPLICAS=0 \
	REDIS_URL='redis://localhost:6379' \
	$(MOCHA) 'dist/**/*.int.spec.js'; status=$$?; $(COMPOSE) down -v; exit $$status

# Benchmarks, not tests: each prints its figures next to a baseline measured in the same run.
bench: build bench-peers
	$(NODE) dist/bench/event-store.js
	$(NODE) dist/bench/commands.js
	$(NODE) --expose-gc dist/bench/projections.js
	$(NODE) dist/bench/queries.js
	$(NODE) dist/bench/hot-aggregates.js
	$(NODE) dist/bench/peers.js
	$(NODE) dist/bench/tracing.js
	$(NODE) dist/bench/report.js

# The libraries the peers benchmark runs beside Strata, each a package of its own (own lockfile)
# installed and compiled only here, so `make test` and CI never build them. Emmett's SQLite
# driver (sqlite3) is built from the source it ships: its install script would otherwise first
# try to download a prebuilt binary, and this machine reaches only package registries.
EMMETT := bench/peers/emmett
bench-peers: deps $(EMMETT)/node_modules/.strata-installed
	node_modules/.bin/tsc -p $(EMMETT)/tsconfig.json

$(EMMETT)/node_modules/.strata-installed: $(EMMETT)/package.json $(EMMETT)/package-lock.json
	cd $(EMMETT) && npm_config_build_from_source=true npm ci --no-audit --no-fund
	@touch $@

lint: deps
	node_modules/.bin/eslint .
	node_modules/.bin/prettier --check . --log-level warn

format: deps
	node_modules/.bin/prettier --write . --log-level warn

clean:
	rm -rf dist data $(EMMETT)/dist
