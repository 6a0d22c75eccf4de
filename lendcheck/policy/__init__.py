"""The lender's policy: rules read from TOML (:mod:`lendcheck.policy.model`), applied to the
report's figures (:mod:`lendcheck.policy.engine`), graded into the verdict
(:mod:`lendcheck.policy.verdict`). The default policy is ``default.toml`` beside this file;
docs/policy.md explains every rule and threshold."""
