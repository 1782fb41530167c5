#!/usr/bin/env bash
# Fast offline checks of deploy/ (no network, no cargo build, well under a minute):
#   - every YAML file parses (python3 + PyYAML);
#   - the Kubernetes manifests validate against the bundled schemas (kubernetes-validate, strict);
#   - compose.yaml passes `docker compose config` (or docker-compose v1's older schema);
#   - the systemd unit passes `systemd-analyze verify`, with its commented credential lines
#     enabled too, and keeps a low `systemd-analyze security` exposure;
#   - the Dockerfile's COPY sources exist and its stub generator covers every target the
#     manifest declares (the dependency-layer build depends on that).
# A check whose tool this machine lacks is skipped with a message, never failed. Exit status is
# non-zero only when a check that ran found a problem.
set -uo pipefail
cd "$(dirname "$0")/.."

passed=0 failed=0 skipped=0
ok()   { echo "ok    $*"; passed=$((passed + 1)); }
bad()  { echo "FAIL  $*"; failed=$((failed + 1)); }
skip() { echo "skip  $*"; skipped=$((skipped + 1)); }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

yaml_files=(deploy/compose.yaml deploy/kubernetes/*.yaml)
k8s_files=(deploy/kubernetes/*.yaml)

# --- YAML parses -----------------------------------------------------------------------------
if command -v python3 >/dev/null && python3 -c 'import yaml' 2>/dev/null; then
    if out=$(python3 - "${yaml_files[@]}" 2>&1 <<'EOF'
import sys, yaml
bad = 0
for name in sys.argv[1:]:
    try:
        with open(name) as f:
            docs = [d for d in yaml.safe_load_all(f) if d is not None]
        if not docs:
            raise ValueError("no document")
        for d in docs:
            if not isinstance(d, dict):
                raise ValueError("a document is not a mapping")
            if "kubernetes" in name and not {"apiVersion", "kind", "metadata"} <= d.keys():
                raise ValueError("a manifest lacks apiVersion, kind or metadata")
    except Exception as e:
        print(f"{name}: {e}")
        bad += 1
sys.exit(1 if bad else 0)
EOF
    ); then
        ok "YAML parses: ${yaml_files[*]}"
    else
        bad "YAML: $out"
    fi
else
    skip "YAML parsing: python3 with PyYAML not found (pip install pyyaml)"
fi

# --- Kubernetes schemas ----------------------------------------------------------------------
if command -v kubernetes-validate >/dev/null; then
    if out=$(kubernetes-validate --strict --quiet "${k8s_files[@]}" 2>&1); then
        ok "kubernetes-validate --strict (bundled schemas): ${k8s_files[*]}"
    else
        bad "kubernetes-validate: $out"
    fi
else
    skip "Kubernetes schemas: kubernetes-validate not installed (pip install kubernetes-validate)"
fi

# --- compose.yaml ----------------------------------------------------------------------------
# Checked on a copy with a dummy secret file, since the real secrets/ folder is not in git.
mkdir -p "$tmp/compose/secrets"
cp deploy/compose.yaml "$tmp/compose/compose.yaml"
for s in $(sed -n 's|^ *file: \./secrets/||p' deploy/compose.yaml); do echo dummy > "$tmp/compose/secrets/$s"; done
if docker compose version >/dev/null 2>&1; then
    if out=$(cd "$tmp/compose" && docker compose -f compose.yaml config -q 2>&1); then
        ok "docker compose config: deploy/compose.yaml"
    else
        bad "docker compose config: $out"
    fi
elif command -v docker-compose >/dev/null && docker-compose version 2>/dev/null | grep -q 'version 1\.'; then
    # v1 knows the older 3.x schema, without the top-level `name:`; check the rest.
    sed -i '/^name:/d' "$tmp/compose/compose.yaml"
    if out=$(cd "$tmp/compose" && docker-compose -f compose.yaml config -q 2>&1); then
        ok "docker-compose v1 config (without top-level name:): deploy/compose.yaml"
    else
        bad "docker-compose config: $out"
    fi
else
    skip "compose schema: neither the docker compose plugin nor docker-compose is installed"
fi

# --- systemd unit ----------------------------------------------------------------------------
# verify needs ExecStart's binary to exist, so the copies run /bin/true instead; it also exits 0
# on unknown keys and bad values, so any message about the unit counts as a failure.
if command -v systemd-analyze >/dev/null; then
    mkdir -p "$tmp/plain" "$tmp/creds"
    sed 's|^ExecStart=/usr/local/bin/signpost|ExecStart=/bin/true|' deploy/signpost.service \
        > "$tmp/plain/signpost.service"
    sed -e 's|^ExecStart=/usr/local/bin/signpost|ExecStart=/bin/true|' \
        -e 's/^#\(LoadCredential=\|Environment=SIGNPOST__\)/\1/' deploy/signpost.service \
        > "$tmp/creds/signpost.service"
    for variant in plain creds; do
        unit="$tmp/$variant/signpost.service"
        out=$(systemd-analyze verify "$unit" 2>&1); rc=$?
        if [ $rc -ne 0 ] || grep -q 'signpost\.service' <<<"$out"; then
            bad "systemd-analyze verify ($variant): $out"
        else
            ok "systemd-analyze verify ($variant copy with ExecStart=/bin/true)"
        fi
    done
    # Exposure on systemd's 0-10 scale, times ten: fail above 2.0 (it is about 1.2).
    if systemd-analyze security --help 2>&1 | grep -q -- '--threshold'; then
        if out=$(systemd-analyze security --offline=yes --threshold=20 --no-pager "$tmp/plain/signpost.service" 2>&1); then
            ok "systemd-analyze security: $(grep -o 'exposure level.*' <<<"$out")"
        else
            bad "systemd-analyze security above 2.0: $(tail -n 1 <<<"$out")"
        fi
    else
        skip "systemd-analyze security: this systemd has no --offline/--threshold"
    fi
    grep -q '^Environment=SIGNPOST__MATRIX__STORE_DIR=/' deploy/signpost.service \
        && ok "unit sets an absolute Matrix store dir" \
        || bad "unit does not set an absolute SIGNPOST__MATRIX__STORE_DIR"
else
    skip "systemd unit: systemd-analyze not installed (apt-get install systemd)"
fi

# --- Dockerfile ------------------------------------------------------------------------------
missing=""
for src in $(grep '^COPY ' deploy/Dockerfile | grep -v -- '--from=' | sed 's/^COPY \(--[^ ]* \)*//' | awk '{ $NF = ""; print }'); do
    [ -e "$src" ] || missing="$missing $src"
done
[ -z "$missing" ] && ok "Dockerfile COPY sources exist" || bad "Dockerfile COPY sources missing:$missing"

# Path dependencies (the vendored, patched crates) must be in the context before the dependency
# build, or it fails resolving the manifest.
missing=""
deps_layer=$(sed -n '1,/^RUN /p' deploy/Dockerfile | grep '^COPY ' | grep -v -- '--from=')
for dep in $(grep -o 'path = "[^"]*"' Cargo.toml | sed 's/path = "\(.*\)"/\1/' | grep -v '\.rs$'); do
    top=${dep%%/*}
    grep -qE "^COPY (.* )?$top(/| )" <<<"$deps_layer" || missing="$missing $dep"
done
[ -z "$missing" ] && ok "Dockerfile copies path dependencies before the dependency build" \
    || bad "Dockerfile: path dependencies not copied before the dependency build:$missing"

# The stub generator (the awk program in the dependency-layer RUN) must name a file for every
# target the manifest declares, or the stub build fails on a fresh checkout.
if command -v python3 >/dev/null && command -v awk >/dev/null; then
    prog=$(python3 - <<'EOF'
import re
s = open("deploy/Dockerfile").read()
run = s[s.index("COPY Cargo.toml"):]
run = run[run.index("RUN "):run.index("\n\n")]
m = re.search(r"awk ' \\\n(.*?)' Cargo.toml", run, re.S)
print(re.sub(r" \\\n", "\n", m.group(1)) if m else "")
EOF
    )
    if [ -z "$prog" ]; then
        bad "Dockerfile: could not find the stub generator"
    else
        stubs=$(awk "$prog" Cargo.toml)
        declared=$(grep -c '^\[\[\(bench\|test\|example\|bin\)\]\]' Cargo.toml)
        wrong=""
        for f in $stubs; do [ -e "$f" ] || wrong="$wrong $f"; done
        if [ "$(wc -w <<<"$stubs")" -eq "$declared" ] && [ -z "$wrong" ]; then
            ok "Dockerfile stub generator names all $declared declared targets"
        else
            bad "Dockerfile stub generator: made [$stubs] for $declared targets; not in the repo:$wrong"
        fi
    fi
else
    skip "Dockerfile stub generator: python3 or awk missing"
fi

[ -x deploy/check.sh ] && ok "check.sh is executable" || bad "deploy/check.sh is not executable"

echo "deploy: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
