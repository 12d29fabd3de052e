# Strata: `make run` starts everything on the embedded stores; `make test` runs every test tier.
# Both install dependencies first when node_modules is missing or older than the lockfile.

SHELL := /bin/bash
NODE := node --enable-source-maps
MOCHA := $(NODE) node_modules/.bin/mocha --timeout 30000 --reporter dist/test/support/summary-reporter.js
INSTALLED := node_modules/.strata-installed
COMPOSE := docker compose -f docker/docker-compose.yml

.PHONY: run test test-unit test-int test-e2e test-stack test-faults bench lint format build clean deps

deps: $(INSTALLED)
$(INSTALLED): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

build: deps
	node_modules/.bin/tsc -p tsconfig.json

run: build
	$(NODE) dist/projections/cli/main.js run

test: build lint
	$(MOCHA) 'dist/**/*.unit.spec.js' 'dist/**/*.int.spec.js' 'dist/**/*.e2e.spec.js'

test-unit: build
	$(MOCHA) 'dist/**/*.unit.spec.js'

test-int: build
	$(MOCHA) 'dist/**/*.int.spec.js'

test-e2e: build
	$(MOCHA) 'dist/**/*.e2e.spec.js'

# Fault scenarios: real processes on the embedded stores, a fault injected, figures printed.
test-faults: build
	$(MOCHA) --timeout 600000 'dist/test/faults/**/*.fault.spec.js'

# The full stack (EventStoreDB, MongoDB, Elasticsearch, Kafka, Redis) in Docker, then every
# contract suite with the server URLs set, then the stack is taken down whatever the outcome.
test-stack: build
	$(COMPOSE) up -d --wait --wait-timeout 300 || { $(COMPOSE) logs --tail 50; $(COMPOSE) down -v; exit 1; }
	ESDB_URL='esdb://localhost:2113?tls=false' \
	MONGO_URL='mongodb://localhost:27017/?replicaSet=rs0&directConnection=true' \
	ELASTICSEARCH_URL='http://localhost:9200' \
	KAFKA_BROKERS='localhost:9092' \
	REDIS_URL='redis://localhost:6379' \
	$(MOCHA) 'dist/**/*.int.spec.js'; status=$$?; $(COMPOSE) down -v; exit $$status

# Benchmarks, not tests: each prints its figures next to a baseline measured in the same run.
bench: build
	$(NODE) dist/bench/event-store.js
	$(NODE) dist/bench/commands.js
	$(NODE) --expose-gc dist/bench/projections.js
	$(NODE) dist/bench/queries.js
	$(NODE) dist/bench/hot-aggregates.js
	$(NODE) dist/bench/tracing.js
	$(NODE) dist/bench/report.js

lint: deps
	node_modules/.bin/eslint .
	node_modules/.bin/prettier --check . --log-level warn

format: deps
	node_modules/.bin/prettier --write . --log-level warn

clean:
	rm -rf dist data
