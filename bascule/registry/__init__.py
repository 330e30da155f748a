"""The SecNumCloud offer registry: which cloud offers are qualified, from when to when, with
what scope, and on which sources (`offers.yaml`, validated at load)."""
