#!/usr/bin/env bats
#
# How lib/ is laid out: one concern per file, each under 200 lines and saying first what it owns,
# and sourcing any of them (or an entry script) runs nothing.

load test_helper

@test "every lib file is under 200 lines and its first comment says what it owns" {
  local file
  for file in "$HOST_SCRIPTS"/lib/*.sh; do
    (($(wc -l <"$file") <= 200)) || {
      echo "${file##*/} has $(wc -l <"$file") lines" >&2
      return 1
    }
    run sed -n '/^# [A-Z]/{p;q}' "$file"
    assert_output --regexp '^# Owns '
  done
}

@test "lib/common.sh loads exactly the files COMMON_LIBS lists (what the image's bootstrap gets)" {
  run bash -c "source '$HOST_SCRIPTS/lib/common.sh'; printf '%s\n' \"\${COMMON_LIBS[@]}\""
  assert_success
  # shellcheck disable=SC2016 # a sed pattern with a literal $
  assert_equal "$output" "$(sed -n 's|^source "\$HOST_SCRIPTS_LIB_DIR/\(.*\)"$|\1|p' "$HOST_SCRIPTS/lib/common.sh")"
}

@test "sourcing an entry script or a lib defines functions and runs nothing" {
  setup_sandbox
  local script COMMON_LIBS
  mapfile -t COMMON_LIBS < <(bash -c "source '$HOST_SCRIPTS/lib/common.sh'; printf '%s\\n' \"\${COMMON_LIBS[@]}\"")
  while IFS= read -r script; do
    # the seed's names only print what replaced them
    [[ "$script" == setup_ubuntu20_* ]] && continue
    # lib/common.sh loads these itself
    [[ " ${COMMON_LIBS[*]/#/lib/} " == *" $script "* ]] && continue
    run bash -c "source '$HOST_SCRIPTS/lib/common.sh'; HOST_SCRIPTS_DIR='$HOST_SCRIPTS'; source '$HOST_SCRIPTS/$script'"
    assert_success
    assert_output ''
  done < <(cd "$HOST_SCRIPTS" && printf '%s\n' *.sh lib/*.sh)
  run cat "$STUB_LOG"
  assert_output ''
}

@test "the seed's script names tell what replaced them and exit 2, changing nothing" {
  setup_sandbox
  run bash "$HOST_SCRIPTS/setup_ubuntu20_host.sh"
  assert_equal "$status" 2
  assert_output --partial 'setup_ubuntu20_host.sh was replaced by setup_gpu_host.sh'
  assert_output --partial 'IMAGE_VARIANT=ubuntu24-r580 bash setup_gpu_host.sh'
  run bash "$HOST_SCRIPTS/setup_ubuntu20_ami_host.sh"
  assert_equal "$status" 2
  assert_output --partial 'setup_ubuntu20_ami_host.sh was replaced by setup_ami_host.sh'
  run cat "$STUB_LOG"
  assert_output ''
}
