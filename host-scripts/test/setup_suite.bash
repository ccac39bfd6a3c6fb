# shellcheck shell=bash
#
# Runs once before every bats run over host-scripts/test (bats finds it beside the test files): the
# stubs, the run's signing key and the stock sandbox that every test's setup_sandbox copies.

setup_suite() {
  # shellcheck source=test_helper.bash
  source "${BASH_SOURCE[0]%/*}/test_helper.bash"
  prepare_test_run
}
