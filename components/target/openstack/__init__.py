"""The target tenancy on OpenStack, and on OVHcloud (OpenStack plus OVHcloud's KMS and
write-once log bucket): `build.build_target` builds it for the `openstack` and `ovh`
providers. Nothing is imported here: bascule's readers import `catalog` alone, without the
Pulumi SDKs."""
