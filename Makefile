# The two commands a newcomer needs: `make book` and `make test`. Everything else is a helper.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Debian packages the oracle and site tests need: real resolvers (glibc getent, musl-gcc),
# network namespaces (iproute2, util-linux), NSD (the authoritative server the Kubernetes DNS
# records are compared with), the browser for the site tests, and Go with Debian's robfig/cron
# v3.0.1 (the release Kubernetes pins), which the CronJob schedule oracle builds against offline,
# the reference CNI plugins with ping for the CNI oracle, and openssl for the HTTP labs' certificate.
# ipset: the ipsets that Calico natOutgoing and kube-proxy IPVS-mode rules match, in the netfilter lab.
APT_PACKAGES := iproute2 util-linux libc-bin gcc musl-tools chromium nsd iptables nftables conntrack openssl \
  golang-go golang-github-robfig-cron-dev containernetworking-plugins iputils-ping ipset
# Ceph's daemons for the PG-state mini-cluster (Pacific 16.2 in Debian 12), as the shared recipe
# installed them: without recommends (98 packages, about 20 s). The migrations lab's MariaDB
# and PostgreSQL servers, which the tests start as plain processes in temporary directories;
# chrony for the NTP lab (two chronyd -x in a namespace: they never adjust the clock); a CJK
# font so the site tests' screenshots show the Chinese text as a reader sees it.
APT_NO_RECOMMENDS := ceph-mon ceph-osd ceph-mgr ceph-common mariadb-server postgresql chrony \
  fonts-noto-cjk
JB := $(BIN)/jupyter-book
JOBS ?= 2

.PHONY: help venv system-deps book book-zh i18n-update i18n-status test lint serve lab execute clean
# Pyodide for the "Try it on your own input" panels, at the version package-lock.json pins;
# the book's extension (_ext/infranotes_tryit.py) copies the files it needs into the site.
NODE_STAMP := node_modules/.package-lock.json

help:
	@echo "make book     build the site into _build/html (English) and _build/html/zh (Chinese)"
	@echo "make i18n-update  after an English change: merge it into locales/zh_CN/LC_MESSAGES/*.po"
	@echo "make test     lint, unit, fuzz, oracle, notebook (nbval) and site tests"
	@echo "make serve    serve _build/html on http://127.0.0.1:8000"
	@echo "make lab      JupyterLab on the notebooks, with infranotes importable"
	@echo "make execute  re-execute every notebook in place (stores fresh outputs)"

venv: $(STAMP)

# Re-install when the pins or the package metadata change.
# Any CPython 3.11 or newer will do, Debian 12's /usr/bin/python3 (3.11.2) included; it needs
# the venv module (Debian: python3-venv). PYTHON=/path/to/python3.x picks another interpreter.
$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
	  echo "make: $(PYTHON) must be CPython >= 3.11 with the venv module (Debian: apt install python3-venv);" \
	       "give another with PYTHON=/path/to/python3.11" >&2; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

# Installs only what is missing, and only as root; a non-root run skips the oracle tests instead.
system-deps:
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  missing=$$(for p in $(APT_PACKAGES); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; \
	  done); \
	  if [ -n "$$missing" ]; then \
	    echo "installing: $$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  fi; \
	  missing=$$(for p in $(APT_NO_RECOMMENDS); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; \
	  done); \
	  if [ -n "$$missing" ]; then \
	    echo "installing (no recommends): $$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      --no-install-recommends $$missing >/dev/null; \
	  fi; \
	else echo "not root: skipping apt packages ($(APT_PACKAGES)); oracle and site tests will skip"; fi

# Pyodide for the try-it panels comes from the npm registry (package-lock.json pins it). A
# machine without npm gets Debian's as root; otherwise the message says what is missing.
$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; \
	  else echo "npm not found: the try-it panels need Node.js's npm (apt-get install npm)"; exit 1; fi; }
	npm ci --no-audit --no-fund --loglevel=error

# Both editions read the outputs stored in the notebooks (nothing is executed). The Chinese one
# is Sphinx i18n on the same sources with the configuration JB computes (tools/i18n.py).
book: $(STAMP) $(NODE_STAMP)
	$(JB) build . --all -W -n --keep-going
	$(BIN)/python tools/i18n.py html

book-zh: $(STAMP) $(NODE_STAMP)
	$(BIN)/python tools/i18n.py html

# Regenerates the message catalogs and merges them into the .po files: a changed English
# paragraph becomes a fuzzy entry with its old translation, a new one an empty entry.
i18n-update: $(STAMP)
	$(BIN)/python tools/i18n.py update

i18n-status: $(STAMP)
	$(BIN)/python tools/i18n.py status

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check src tests

# As root every live lab must run: INFRANOTES_REQUIRE_LABS turns a notebook's skip into an error.
test: $(STAMP) $(NODE_STAMP) system-deps lint
	INFRANOTES_REQUIRE_LABS=$$( [ "$$(id -u)" = 0 ] && echo 1 || echo 0 ) \
	$(BIN)/python -m pytest -n $(JOBS) --dist loadfile \
	  --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg --nbval-current-env \
	  tests notebooks

serve: book
	$(BIN)/python -m http.server --bind 127.0.0.1 --directory _build/html 8000

lab: $(STAMP)
	$(BIN)/jupyter lab --ip 127.0.0.1 --no-browser notebooks

execute: $(STAMP)
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	  --ExecutePreprocessor.record_timing=False --ExecutePreprocessor.timeout=300 notebooks/*.ipynb

clean:
	rm -rf _build
