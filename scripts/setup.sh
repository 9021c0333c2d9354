#!/usr/bin/env bash
# Installs every Debian package caselink needs to build, test and run.
# Idempotent: packages already present are left as they are.
set -euo pipefail

packages=(
  # build, tests, benchmarks
  cmake ninja-build g++ pkg-config googletest libgtest-dev libgmock-dev
  # scripts/format.sh (checked in CI) and scripts/tidy.sh
  clang-format clang-tidy
  libbenchmark-dev librapidcheck-dev python3 python3-jellyfish python3-levenshtein python3-igraph
  # benchmark scripts (bench/*.sh): GNU time for peak memory, bc for rates, wrk for the server
  time bc wrk
  # bench/pprl_cross_script.py: ICU's transforms (uconv) write the partner's Cyrillic
  icu-devtools
  # Unicode and transliteration; phone numbers
  libicu-dev libphonenumber-dev
  # watchlists: the UN consolidated list is XML
  libxml2-dev
  # store: SQLite embedded; PostgreSQL through libpq, and the server the
  # tests start a throw-away cluster of (scripts/pg_cluster.sh)
  libsqlite3-dev sqlite3 libpq-dev postgresql-15
  # JSON (simdjson for bulk ingest, nlohmann for documents we write), CLI, config
  libsimdjson-dev nlohmann-json3-dev libcli11-dev libtomlplusplus-dev libfmt-dev
  # the server: HTTP, and token digests
  libcpp-httplib-dev libsodium-dev
  # the API's document (docs/openapi.yaml, served as JSON), and the test that checks answers against it
  libyaml-cpp-dev python3-yaml python3-jsonschema
  # privacy-preserving linkage: HMAC-SHA1 / HMAC-MD5 and HKDF as clkhash uses them (libcrypto)
  libssl-dev
  # import caselink (python/): pybind11, and numpy and pandas for its interface and tests
  pybind11-dev python3-dev python3-numpy python3-pandas
  # caselink.dask: resolution and screening on a Dask cluster
  python3-distributed python3-dask
  # TLS for serve --tls-cert (cpp-httplib is built with OpenSSL); the tests make a certificate
  openssl
  # the workbench's browser tests (web/tests/browser.mjs drive Debian's chromium)
  chromium
)
# The workbench is built with node and npm: Debian's, unless the machine has a node already.
if ! command -v node >/dev/null 2>&1; then packages+=(nodejs); fi
if ! command -v npm >/dev/null 2>&1; then packages+=(npm); fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages already installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "setup: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
