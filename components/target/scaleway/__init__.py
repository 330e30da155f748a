"""The target on Scaleway (pulumiverse-scaleway): `build_target` builds it."""

from components.target.scaleway.estate import build_target as build_target
