# Newsroom: `make run` serves a demo site on SQLite with a task worker, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
CORPUS ?= ../shared/corpus/voa

.PHONY: run test serve front bench lint format clean messages compilemessages

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements.txt
	touch $@

# A development .env: DEBUG on and a random key from a `$`-free alphabet (django-environ
# would expand a leading `$` as a reference to another variable).
.env:
	$(PYTHON) -c "import secrets, string; a = string.ascii_letters + string.digits + '-_'; print('DEBUG=True'); print('SECRET_KEY=' + ''.join(secrets.choice(a) for _ in range(50)))" > $@

run: $(VENV)/.installed .env
	$(PY) manage.py migrate --noinput
	$(PY) manage.py import_articles --publish seeds/
	@if [ -d "$(CORPUS)" ]; then $(PY) manage.py import_articles --publish "$(CORPUS)"; fi
	$(PY) manage.py ensure_admin
	@echo "Site: http://$(HOST):$(PORT)/   Admin: http://$(HOST):$(PORT)/admin/"
	$(PY) manage.py worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.installed .env
	$(PY) -m pytest

# Production serving: DEBUG off, hashed and compressed static files, gunicorn (gunicorn.conf.py).
# Needs SECRET_KEY (environment or .env). HTTPS is expected from a proxy in front; for plain
# http on this machine: SECURE=False make serve. Background tasks need workers beside it, run
# by the service manager: `manage.py worker` (docs/operations.md, "Background tasks").
serve: $(VENV)/.installed
	DEBUG=False $(PY) manage.py collectstatic --noinput --verbosity 0
	DEBUG=False $(PY) manage.py migrate --noinput
	DEBUG=False HOST=$(HOST) PORT=$(PORT) $(VENV)/bin/gunicorn --config gunicorn.conf.py

# The site behind Varnish (deploy/varnish/newsroom.vcl), as production runs it: readers at
# http://HOST:FRONT_PORT/, gunicorn on PORT, purges from the site to Varnish. Needs Debian's
# varnish and varnish-modules. A task worker sends the purges; Ctrl-C stops all three.
FRONT_PORT ?= 6081
front: $(VENV)/.installed
	DEBUG=False $(PY) manage.py collectstatic --noinput --verbosity 0
	DEBUG=False $(PY) manage.py migrate --noinput
	mkdir -p var/varnish/config
	sed 's/"8000"/"$(PORT)"/' deploy/varnish/backend.vcl > var/varnish/config/backend.vcl
	@echo "Site through Varnish: http://$(HOST):$(FRONT_PORT)/   gunicorn: http://$(HOST):$(PORT)/"
	DEBUG=False VARNISH_PURGE_URLS=http://127.0.0.1:$(FRONT_PORT)/ $(PY) manage.py worker & worker=$$!; \
	DEBUG=False HOST=$(HOST) PORT=$(PORT) VARNISH_PURGE_URLS=http://127.0.0.1:$(FRONT_PORT)/ \
		$(VENV)/bin/gunicorn --config gunicorn.conf.py & web=$$!; \
	trap 'kill $$web $$worker 2>/dev/null' EXIT INT TERM; \
	/usr/sbin/varnishd -F -j none -n $(CURDIR)/var/varnish/work -a $(HOST):$(FRONT_PORT) -T none \
		-f $(CURDIR)/deploy/varnish/newsroom.vcl -s malloc,256m \
		-p vcl_path=$(CURDIR)/var/varnish/config:$(CURDIR)/deploy/varnish

# Benchmarks with their floors, one table (docs/performance.md). BENCH_FULL=1 adds 100,000 files.
bench: $(VENV)/.installed
	$(PY) bench/run.py

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Translations (needs GNU gettext: apt-get install gettext). `messages` refreshes the catalogs in
# locale/ from the code and templates; translate the new entries, then `compilemessages`. The
# compiled .mo files are committed, so running and testing the site needs no gettext.
LOCALES := -l zh_Hans -l zh_Hant -l fa
messages: $(VENV)/.installed
	$(PY) manage.py makemessages $(LOCALES) --no-obsolete --ignore ".venv/*" --ignore "var/*" --ignore "bench/*"

compilemessages: $(VENV)/.installed
	$(PY) manage.py compilemessages --ignore ".venv/*"

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
