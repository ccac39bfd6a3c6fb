#!/usr/bin/env bats
# scripts/check-doc-links.py: a broken relative link or anchor fails the check, naming the file and line;
# links that resolve, external links and links inside code pass.

setup() {
  bats_load_library bats-support
  bats_load_library bats-assert
  CHECK="$BATS_TEST_DIRNAME/../check-doc-links.py"
  cd "$BATS_TEST_TMPDIR" || return 1
  mkdir -p docs
  printf '# Front door\n\n## AWS Control Tower'"'"'s proactive controls\n' >README.md
  printf '# Settings\n\n<a id="table"></a>\n' >docs/settings.md
}

@test "links to files, headings (GitHub's anchors) and explicit anchors pass" {
  printf '[a](../README.md) [b](../README.md#aws-control-towers-proactive-controls) [c](#settings) [d](settings.md#table) [e](https://example.com/x.md)\n' >>docs/settings.md
  run python3 "$CHECK" README.md docs/settings.md
  assert_success
  assert_output "check-doc-links: every relative link in 2 Markdown file(s) resolves"
}

@test "a link to a missing file fails, naming the file, line and link" {
  printf '\nSee [the settings](docs/setings.md).\n' >>README.md
  run python3 "$CHECK" README.md
  assert_failure
  assert_line "README.md:5: docs/setings.md: docs/setings.md does not exist"
}

@test "a link to a missing heading fails" {
  printf '\n[controls](../README.md#control-tower)\n' >>docs/settings.md
  run python3 "$CHECK" docs/settings.md
  assert_failure
  assert_line "docs/settings.md:5: ../README.md#control-tower: README.md has no heading or anchor #control-tower"
}

@test "links inside code are text" {
  # shellcheck disable=SC2016 # backquotes written as Markdown, not run
  printf '\n`[a](nowhere.md)`\n\n```\n[b](nowhere.md)\n```\n' >>README.md
  run python3 "$CHECK" README.md
  assert_success
}
