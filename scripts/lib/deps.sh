# shellcheck shell=bash
# System dependencies for semnal's scripts. Source this file; it defines:
#
#   ensure_system_packages [--no-postgres]
#       Installs with apt-get whatever is missing: the PostgreSQL server
#       (Debian's `postgresql` package) and `postgresql-<MAJOR>-postgis-3`
#       for the newest installed server major, plus a C compiler/linker if
#       there is none, and what the frontend's tests need when there is a
#       frontend (see frontend_system_packages). Quiet when everything is
#       present. `--no-postgres` skips PostgreSQL/PostGIS (for runs against an
#       external DATABASE_URL).
#
#   frontend_system_packages
#       Prints the Debian packages the frontend's end-to-end tests need and
#       that are missing: `chromium` (headless browser, driven through
#       playwright-core at /usr/bin/chromium, or CHROMIUM_PATH) when
#       frontend/package.json exists. Prints nothing otherwise.
#
#   check_toolchain [--node] [--lint]
#       Checks that `cargo` exists (and, with --lint, rustfmt and clippy;
#       with --node, `node` and `npm`). Prints what is missing and how to get
#       it, and returns 1 if anything is missing.
#
#   pg_newest_server_major
#       Prints the newest PostgreSQL major that has a server binary under
#       /usr/lib/postgresql/*/bin/postgres (nothing if none).
#
#   ensure_cargo_deny
#       Installs cargo-deny (CARGO_DENY_VERSION, with `cargo install --locked`
#       from crates.io) when `cargo deny` is missing; a few minutes of
#       compiling, once. Quiet when it is there.

_deps_log() { printf '==> %s\n' "$*" >&2; }
_deps_err() { printf 'error: %s\n' "$*" >&2; }

# True if the Debian package is installed (not merely known/removed).
_deps_pkg_installed() {
    local status
    status=$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) || return 1
    [[ $status == "install ok installed" ]]
}

_DEPS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

frontend_system_packages() {
    [[ -f $_DEPS_ROOT/frontend/package.json ]] || return 0
    # An explicitly chosen browser binary needs nothing from apt.
    if [[ -n ${CHROMIUM_PATH:-} && -x ${CHROMIUM_PATH:-} ]]; then
        return 0
    fi
    if ! _deps_pkg_installed chromium; then
        printf '%s\n' chromium
    fi
    return 0
}

pg_newest_server_major() {
    local bin major best=""
    for bin in /usr/lib/postgresql/*/bin/postgres; do
        [[ -x $bin ]] || continue
        major=${bin#/usr/lib/postgresql/}
        major=${major%%/*}
        [[ $major =~ ^[0-9]+$ ]] || continue
        if [[ -z $best ]] || ((major > best)); then
            best=$major
        fi
    done
    [[ -n $best ]] && printf '%s\n' "$best"
    return 0
}

# Runs apt-get as root (directly, or through sudo).
_deps_apt_get() {
    local -a cmd=(env DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=600 "$@")
    if [[ $(id -u) -eq 0 ]]; then
        "${cmd[@]}"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "${cmd[@]}"
    else
        _deps_err "need root to run: apt-get $*"
        _deps_err "sudo is not available; run this script as root or install the packages yourself."
        return 1
    fi
}

_DEPS_APT_UPDATED=0
_deps_apt_install() {
    (($# > 0)) || return 0
    if [[ $(uname -s) != Linux ]] || ! command -v apt-get >/dev/null 2>&1; then
        _deps_err "missing packages: $* (no apt-get here; install them with your package manager)"
        return 1
    fi
    _deps_log "installing system packages: $*"
    if ((_DEPS_APT_UPDATED == 0)); then
        _deps_apt_get update -qq >/dev/null || {
            _deps_err "apt-get update failed"
            return 1
        }
        _DEPS_APT_UPDATED=1
    fi
    _deps_apt_get install -y -qq --no-install-recommends "$@" >/dev/null || {
        _deps_err "apt-get install failed for: $*"
        return 1
    }
}

ensure_system_packages() {
    local with_pg=1 arg
    for arg in "$@"; do
        case $arg in
            --no-postgres) with_pg=0 ;;
            *)
                _deps_err "ensure_system_packages: unknown option $arg"
                return 2
                ;;
        esac
    done

    if ! command -v dpkg-query >/dev/null 2>&1; then
        # Not Debian-like: only check, never install.
        if ((with_pg)) && [[ -z $(pg_newest_server_major) ]]; then
            _deps_err "no PostgreSQL server found under /usr/lib/postgresql; install PostgreSQL and PostGIS 3"
            return 1
        fi
        return 0
    fi

    local -a missing=()
    # Rust crates used here (sqlx without TLS, image) need only a C
    # compiler/linker; everything else is pure Rust.
    if ! command -v cc >/dev/null 2>&1; then
        missing+=(gcc libc6-dev)
    fi

    local pkg
    while read -r pkg; do
        [[ -n $pkg ]] && missing+=("$pkg")
    done < <(frontend_system_packages)

    if ((with_pg)); then
        local major
        major=$(pg_newest_server_major)
        if [[ -z $major ]]; then
            # Debian's `postgresql` pulls in the distribution's default major.
            _deps_apt_install "${missing[@]}" postgresql || return 1
            missing=()
            major=$(pg_newest_server_major)
            if [[ -z $major ]]; then
                _deps_err "installed 'postgresql' but found no /usr/lib/postgresql/*/bin/postgres"
                return 1
            fi
        fi
        if ! _deps_pkg_installed "postgresql-$major-postgis-3"; then
            missing+=("postgresql-$major-postgis-3")
        fi
    fi

    _deps_apt_install "${missing[@]}" || return 1

    if ((with_pg)) && [[ $(id -u) -eq 0 ]] && ! id -u postgres >/dev/null 2>&1; then
        _deps_err "the 'postgres' system user does not exist (PostgreSQL refuses to run as root)"
        return 1
    fi
    return 0
}

check_toolchain() {
    local need_node=0 need_lint=0 arg ok=1
    for arg in "$@"; do
        case $arg in
            --node) need_node=1 ;;
            --lint) need_lint=1 ;;
            *)
                _deps_err "check_toolchain: unknown option $arg"
                return 2
                ;;
        esac
    done

    if ! command -v cargo >/dev/null 2>&1; then
        _deps_err "'cargo' not found on PATH. Install Rust from https://rustup.rs"
        _deps_err "(then open a new shell or run: . \"\$HOME/.cargo/env\")"
        ok=0
    elif ((need_lint)); then
        if ! cargo fmt --version >/dev/null 2>&1; then
            _deps_err "rustfmt is missing: rustup component add rustfmt"
            ok=0
        fi
        if ! cargo clippy --version >/dev/null 2>&1; then
            _deps_err "clippy is missing: rustup component add clippy"
            ok=0
        fi
    fi

    if ((need_node)); then
        local tool
        for tool in node npm; do
            if ! command -v "$tool" >/dev/null 2>&1; then
                _deps_err "'$tool' not found on PATH but frontend/package.json exists."
                _deps_err "Install Node.js (with npm), e.g. apt-get install nodejs npm, or from https://nodejs.org"
                ok=0
            fi
        done
    fi

    ((ok))
}

# The cargo-deny release `ensure_cargo_deny` installs (it has no optional features to trim).
CARGO_DENY_VERSION=${CARGO_DENY_VERSION:-0.20.2}

ensure_cargo_deny() {
    if cargo deny --version >/dev/null 2>&1; then
        return 0
    fi
    _deps_log "installing cargo-deny $CARGO_DENY_VERSION (cargo install --locked; compiles for a few minutes)"
    cargo install --locked cargo-deny --version "$CARGO_DENY_VERSION" || {
        _deps_err "cargo install cargo-deny failed (it needs crates.io)"
        return 1
    }
}
