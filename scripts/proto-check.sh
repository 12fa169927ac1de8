#!/usr/bin/env bash
# Checks the contracts (run through `npm run proto:check`; CI runs it too):
#   1. buf lint (STANDARD rules, buf.yaml);
#   2. buf breaking (FILE rules) against a git baseline, chosen as follows:
#        - $PROTO_BASELINE if set (any git ref, e.g. origin/main);
#        - on a branch other than main: the merge-base with main (origin/main when there is no local
#          main). The merge-base, not main's tip, so proto additions made on main after the branch
#          forked are not reported as deletions;
#        - on main itself (CI clones main): uncommitted proto changes are checked against HEAD; a
#          clean tree checks the last commit against HEAD~1 (what CI can see of the latest push);
#        - no baseline (first commit, shallow clone without parents) or a baseline without proto/
#          and buf.yaml yet: there is nothing to break, so the check is skipped with a note;
#   3. drift: generates into a temp dir and compares with the committed packages/contracts/src/gen.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

echo "proto-check: buf lint"
buf lint

has_ref() { git rev-parse --verify -q "$1^{commit}" >/dev/null 2>&1; }
has_contracts() { git cat-file -e "$1:buf.yaml" 2>/dev/null && [ -n "$(git ls-tree "$1" proto/ 2>/dev/null)" ]; }

baseline=""
if [ -n "${PROTO_BASELINE:-}" ]; then
  baseline="$PROTO_BASELINE"
elif git rev-parse --git-dir >/dev/null 2>&1 && has_ref HEAD; then
  main=""
  if has_ref refs/heads/main; then main=refs/heads/main; elif has_ref refs/remotes/origin/main; then main=refs/remotes/origin/main; fi
  if [ -n "$main" ] && [ "$(git rev-parse HEAD)" != "$(git rev-parse "$main")" ]; then
    baseline="$(git merge-base HEAD "$main" 2>/dev/null || true)"
    [ "$baseline" = "$(git rev-parse HEAD)" ] && baseline="" # HEAD is behind main: nothing of ours to check
  fi
  if [ -z "$baseline" ]; then
    if [ -n "$(git status --porcelain -- proto buf.yaml)" ]; then
      baseline=HEAD
    elif has_ref HEAD~1; then
      baseline=HEAD~1
    fi
  fi
fi

if [ -z "$baseline" ]; then
  echo "proto-check: buf breaking skipped (no git baseline to compare with)"
elif ! has_ref "$baseline"; then
  echo "proto-check: baseline '$baseline' is not a commit here" >&2
  exit 1
elif ! has_contracts "$baseline"; then
  echo "proto-check: buf breaking skipped ($baseline has no proto/ contracts yet)"
else
  sha="$(git rev-parse "$baseline^{commit}")"
  echo "proto-check: buf breaking against $baseline (${sha:0:12})"
  # Export the baseline tree to a temp dir rather than `--against .git#ref=...`: works the same in
  # shallow clones and never needs the network.
  base_dir="$(mktemp -d)"
  trap 'rm -rf "$base_dir"' EXIT
  git archive "$sha" buf.yaml proto | tar -x -C "$base_dir"
  buf breaking --against "$base_dir"
fi

echo "proto-check: generated code up to date"
gen_dir="$(mktemp -d)"
trap 'rm -rf "$gen_dir" "${base_dir:-}"' EXIT
buf generate --output "$gen_dir"
if ! diff -r "$gen_dir/packages/contracts/src/gen" packages/contracts/src/gen >"$gen_dir/diff.txt"; then
  head -n 40 "$gen_dir/diff.txt" >&2
  echo "proto-check: packages/contracts/src/gen differs from what proto/ generates: run npm run gen and commit the result" >&2
  exit 1
fi
echo "proto-check: ok"
