"""The target tenancy on OpenStack, and on OVHcloud (OpenStack plus OVHcloud's KMS and
write-once log bucket): `build_target` builds it for the `openstack` and `ovh` providers."""

from components.target.openstack.build import build_target

__all__ = ["build_target"]
