# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: install run test lint messages chart bench clean deploy-check upgrade-check

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py seed_demo
	scripts/run.sh

test: install
	VAR_DIR=$(CURDIR)/var/test $(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(PY) -m ruff check .
	$(PY) manage.py makemigrations --check --dry-run
	scripts/check_security.sh
	$(PY) manage.py makemessages -l de --no-location --ignore=.venv --ignore=var --ignore=bench -v0
	git diff --exit-code -I '^"POT-Creation-Date' -- locale/ || (echo "The German catalogue is out of date: run make messages and translate"; exit 1)

messages: install
	$(PY) manage.py makemessages -l de --no-location --ignore=.venv --ignore=var --ignore=bench
	$(PY) manage.py compilemessages -l de --ignore=.venv

chart: install
	$(PY) manage.py export_flow_chart docs/application_flow

clean:
	rm -rf $(VENV) var

# Operations (deploy/): the production configuration started, checked and stopped again;
# migrations applied forward on a database seeded by the previous release tag.
deploy-check: install
	deploy/deploy-check.sh

upgrade-check: install
	deploy/upgrade-check.sh
